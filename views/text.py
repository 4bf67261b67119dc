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


_CURRENCY = re.compile(r"(?<![\\$])\$(?=\d[\d,.]*\s*(?:bn|tn|billion|trillion|million|m)\b)")


def markdown_with_math(text: str) -> str:
    """Markdown where ``$...$`` is math but a money figure (``$992 bn``) stays money.

    Streamlit's markdown reads ``$...$`` as LaTeX; a dollar sign followed by a
    figure and a unit of money is escaped so two such figures in one paragraph
    are not read as one formula.
    """
    return _CURRENCY.sub(r"\\$", text)


def split_sections(text: str) -> list[tuple[str, str]]:
    """A markdown document as (heading, body) pairs, split at its ``## `` headings.

    Text before the first such heading comes with an empty heading; the document's
    ``# `` title line is dropped (the page has its own title).
    """
    sections: list[tuple[str, list[str]]] = [("", [])]
    in_code = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("# ") and not sections[0][1] and len(sections) == 1:
            continue
        if not in_code and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        else:
            sections[-1][1].append(line)
    return [
        (head, "\n".join(body).strip())
        for head, body in sections
        if head or "\n".join(body).strip()
    ]
