"""Methodology: renders docs/methodology.md (equations, parameters and sources, back-test,
what is left out, tools that do more)."""

from pathlib import Path

import streamlit as st

from views.nav import page_setup
from views.text import dollars, markdown_with_math, split_sections

page_setup("Methodology: China's trade surplus")
st.title("How the model works")

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"


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
for heading, body in split_sections(text):
    if heading:
        st.header(dollars(heading), anchor=False)
    if body:
        st.markdown(markdown_with_math(body))
