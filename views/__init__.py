"""What the pages show: pure chart builders and table shapers, and the widget helpers.

``views.charts`` and ``views.tables`` are pure functions of DataFrames (no Streamlit
call), tested on their output. ``views.state`` holds the few helpers that talk to
Streamlit: loading the data once, the session's uploaded tables, the scenario inputs
and their links.
"""
