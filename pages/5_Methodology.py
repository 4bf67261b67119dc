"""Methodology: renders docs/methodology.md (equations, parameters and sources, back-test,
what is left out, tools that do more)."""

import re
from pathlib import Path

import streamlit as st

from views.nav import page_setup
from views.text import dollars, markdown_with_math, split_sections

page_setup("Methodology: China's trade surplus")
st.title("How the model works")

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"
RECORD_HEADINGS = ("What changed from", "Speed")


def anchor_of(heading: str) -> str:
    """A heading's link anchor: lower case, words joined by hyphens."""
    return "-".join(re.sub(r"[^\w\s-]", "", heading.lower()).split())


@st.cache_data(max_entries=2, show_spinner=False)
def read_doc(path: str) -> tuple[str | None, str]:
    """The document's text, or None and why it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8"), ""
    except FileNotFoundError:
        return None, "it is missing"
    except UnicodeDecodeError as error:
        return None, f"it is not UTF-8 text (byte {error.start:,})"
    except OSError as error:
        return None, f"it cannot be read ({error.strerror or error})"


text, why = read_doc(str(DOC))
if text is None:
    st.error(f"The methodology document, docs/{DOC.name}, could not be read: {why}.")
    st.stop()
sections = split_sections(text)
# How the model came to be and how fast it runs are kept for the record, after the
# economics, where they are not in a reader's way.
record = [(h, b) for h, b in sections if h.startswith(RECORD_HEADINGS)]
economics = [(h, b) for h, b in sections if (h, b) not in record]
contents = [f"- [{h}](#{anchor_of(h)})" for h, _ in economics if h]
if record:
    contents.append(f"- [For the record: {'; '.join(h for h, _ in record)}](#for-the-record)")
st.markdown("**Contents**\n\n" + dollars("\n".join(contents)))
for heading, body in economics:
    if heading:
        st.header(dollars(heading), anchor=anchor_of(heading))
    if body:
        st.markdown(markdown_with_math(body))
if record:
    st.header("For the record", anchor="for-the-record", divider="gray")
    for heading, body in record:
        with st.expander(dollars(heading)):
            st.markdown(markdown_with_math(body))
