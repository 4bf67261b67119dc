"""Every page's set-up: the browser tab, and the list of pages in the sidebar.

Streamlit's own list for a pages/ folder names the home page after its file
("app"), so the app hides that list (``client.showSidebarNavigation = false``)
and draws its own, with the names a reader expects. Deep links still go through
the pages/ folder, so a shared link opens its page on a cold server.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from views.freshness import show_as_of
from views.state import actuals, shipped
from views.widgets import dropped_link_note

PAGES = (
    ("app.py", "Home", ":material/home:"),
    ("pages/1_Scenario.py", "Scenario", ":material/tune:"),
    ("pages/2_Backtest.py", "Back-test", ":material/history:"),
    ("pages/3_Compare.py", "Compare", ":material/compare:"),
    ("pages/4_Data.py", "Data", ":material/table:"),
    ("pages/5_Methodology.py", "Methodology", ":material/functions:"),
)


#: The browser tab's icon, a file of the app's own: a ``:material/...:`` icon would be
#: fetched from fonts.gstatic.com, which a machine offline cannot reach, and an emoji
#: makes Streamlit load its emoji table (a quarter of a second of the first page).
TAB_ICON = Path(__file__).with_name("tab_icon.svg")


def on_a_phone(user_agent: str | None = None) -> bool:
    """Whether the page is read on a phone, by its browser's User-Agent (by default, the
    one this session's browser sent): phones' browsers put "Mobi" in it, computers' do
    not. For a chart of fixed width, which a phone's screen would cut off."""
    if user_agent is None:
        user_agent = st.context.headers.get("User-Agent", "")
    return "Mobi" in user_agent


def page_setup(title: str) -> None:
    """Set the tab's title and icon, draw the page list at the top of the sidebar, and
    check the shipped data: if a file fails its checks, every page shows the same error
    page naming it, and stops. Then the "as of" line of the figures in use."""
    st.set_page_config(page_title=title, page_icon=TAB_ICON, layout="wide")
    with st.sidebar:
        for path, label, page_icon in PAGES:
            st.page_link(path, label=label, icon=page_icon)
        st.divider()
    shipped()
    show_as_of(actuals().monthly)
    note = dropped_link_note()
    if note:
        st.warning(note, icon=":material/link_off:")
