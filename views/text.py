"""Text helpers: figures into sentences, and text made safe for Streamlit's markdown."""

from __future__ import annotations

import re

#: Characters markdown acts on, escaped with a backslash; ``&`` too, so that text
#: like ``&#58;`` stays as typed rather than becoming a character.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~$&=^])")
#: Streamlit finds addresses, e-mails, icon codes (``:material/lock:``) and emoji codes
#: in the text *after* markdown is read, so escaping cannot stop them. A colon is
#: written as a character reference (icon and emoji codes need a literal one) and an
#: invisible word joiner (U+2060) goes before each colon, ``@`` and ``.``, so that no
#: ``scheme://``, ``www.`` or ``name@domain`` is left for the browser to draw as a link.
WORD_JOINER = "\u2060"
_BREAKERS = {":": WORD_JOINER + "&#58;", "@": WORD_JOINER + "@", ".": WORD_JOINER + "."}


def dollars(text: str) -> str:
    """Escape ``$`` so markdown shows a dollar sign, not the start of math."""
    return text.replace("$", r"\$")


def plain(text: str) -> str:
    """Text a user gave (a link's value, a scenario's name, a file's cell), made to show
    in Streamlit's markdown exactly as typed: no format, link, address, e-mail, icon,
    emoji, math or HTML. The browser draws the same characters (with invisible word
    joiners before each ``:``, ``@`` and ``.``); line breaks become spaces.
    """
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))
    return "".join(_BREAKERS.get(c, c) for c in escaped)


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
