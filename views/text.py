"""Text helpers: figures into sentences, and text made safe for Streamlit's markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


def dollars(text: str) -> str:
    """Escape ``$`` so markdown shows a dollar sign, not the start of math."""
    return text.replace("$", r"\$")


def plain(text: str) -> str:
    """Escape every markdown special, so user text (a scenario's name) shows as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
