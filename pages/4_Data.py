"""Data: every actual series with its source and its gaps; download; upload your own."""

import streamlit as st

from model.data import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_MB,
    check_upload,
    compare_tables,
    table_of,
    to_safe_csv,
)
from views import tables
from views.nav import page_setup
from views.state import actuals, changes_text, problems_frame, set_upload, shipped, uploads
from views.text import dollars, plain
from views.widgets import (
    apply_pending,
    check_page_link,
    forget_link_warnings,
    rerun_if_scheduled,
    show_link_warnings,
)

page_setup("Data: China's trade surplus")
st.title("The actual figures")
st.caption(
    "US$ billions, nominal, goods, China customs (GAC) basis unless a column says "
    "otherwise. Every row names its source; a cell that shows None is a gap: the figure was "
    "not found, and nothing is filled in for it."
)

data = actuals()  # first: a missing or broken data file (datapackage.json too) stops here
package = data.package  # as checked when loaded: the page never reads the file again
resources = {r["name"]: r for r in package["resources"]}
names = list(resources)
in_use = uploads()

apply_pending()
# The link may name a table by its name, title or file, in any case (the page writes its
# title); the control takes only names, so a spelling it does not take becomes its name.
opened_from_link = None
given = st.query_params.get_all("data_table")
if len(given) == 1 and not st.session_state.get("data_link_checked"):
    opened_from_link = tables.table_named(given[0], resources)
if opened_from_link:
    st.session_state["data_table"] = opened_from_link
    st.session_state["data_link_checked"] = True
else:
    spellings = [*names, *(resources[n].get("title", n) for n in names)]
    check_page_link("data", {"data_table": names[0]}, choices={"data_table": spellings})
show_link_warnings("data")
name = st.segmented_control(
    "Table",
    names,
    default=names[0],
    required=True,
    format_func=lambda n: resources[n].get("title", n),
    key="data_table",
    bind="query-params",
    on_change=forget_link_warnings,
    args=("data",),
)
rerun_if_scheduled()  # a link's refused value, set back now that the control is drawn
name = name if name in resources else names[0]
resource = resources[name]
schema = resource["schema"]

st.subheader(resource.get("title", name))
if opened_from_link:
    st.info(
        f"The link opened this table: {resource.get('title', name)} ({resource['path']}).",
        icon=":material/link:",
    )
st.markdown(dollars(resource.get("description", "")))
if name in in_use:
    st.info(
        "This table is your upload, in use for this session only. The shipped figures "
        "come back with the button below or when the session ends.",
        icon=":material/upload_file:",
    )

table = tables.resource_table(data, name, schema)
LONG_TEXT = {"source", "note", "event", "series"}
st.caption(
    "Latest first. $bn: billions of US dollars; % y/y: change on the same months a year "
    "earlier. Hover a column's name for what it holds."
)
headers = {}
# Each column as wide as its name (and a date or a name its widest value), so that eleven
# columns fit a 1400 px screen and no name is cut; the notes take what is left.
for field in schema["fields"]:
    column = field["name"]
    label, description = tables.column_label(column, tables.SHORT_UNITS), field.get("description")
    if field["type"] in ("number", "integer"):
        shown = "%d" if field["type"] == "integer" else None
        headers[column] = st.column_config.NumberColumn(
            label, help=description, format=shown, width=tables.header_width(label)
        )
    else:
        values = () if column in LONG_TEXT else table[column].dropna().astype(str).unique()
        headers[column] = st.column_config.TextColumn(
            label, help=description, width=tables.fitted_width(label, values)
        )
st.dataframe(
    tables.newest_first(table, schema),
    hide_index=True,
    column_config=headers,
    alt=f"{resource.get('title', name)}: every row with its source, latest first",
)
st.download_button(
    f"Download {resource['path']} (CSV)",
    data=lambda: to_safe_csv(table),  # made on click, not on every run
    file_name=resource["path"],
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="data_download",
)

st.subheader("Gaps")
gaps = tables.gaps_of(data, name)
total = int(gaps["gap_cells"].sum()) if not gaps.empty else 0
st.markdown(
    f"{total} gap cell{'s' if total != 1 else ''} in this table. "
    "Missing lists every year (or month) without a figure, including years with no row."
)
st.dataframe(
    gaps.assign(series=gaps["series"].map(tables.named_series)).rename(
        columns={
            "series": "Series",
            "rows": "Rows",
            "gap_cells": "Gap cells",
            "absent_rows": "Rows absent",
            "missing": "Missing",
        }
    ),
    hide_index=True,
    alt=f"Gap cells and missing years of each series in {resource['path']}",
)

sources = tables.sources_of(table)
with st.expander(f"Sources cited in this table ({len(sources)})", icon=":material/menu_book:"):
    st.dataframe(
        {"Source": sources},
        hide_index=True,
        alt="Every source cited in this table, most used first",
    )

st.subheader("Use your own figures")
st.markdown(
    "Upload a CSV in the same shape as a shipped file (download one above to start "
    "from). It goes through the same checks; a good file is used in place of the "
    "shipped one for this session only, and nothing is saved on the server. "
    f"At most {MAX_UPLOAD_MB} MB ({MAX_UPLOAD_BYTES:,} bytes) and {MAX_ROWS:,} rows."
)
target = st.selectbox(
    "File to replace",
    names,
    index=names.index(name),
    format_func=lambda n: f"{resources[n]['path']}: {resources[n].get('title', n)}",
    key="data_upload_target",
)
upload = st.file_uploader(
    f"Your {resources[target]['path']}",
    type=["csv"],
    key="data_upload_file",
    max_upload_size=MAX_UPLOAD_MB,
)
if upload is not None:
    marker = (upload.file_id, target)
    if st.session_state.get("data_upload_done") != marker:
        table_in, problems = check_upload(target, upload.getvalue(), shipped(), file=upload.name)
        st.session_state["data_upload_done"] = marker
        st.session_state["data_upload_result"] = (target, upload.name, problems)
        st.session_state.pop("data_upload_pending", None)
        if table_in is not None and not problems:
            key = resources[target]["schema"].get("primaryKey", [])
            changes = compare_tables(table_of(shipped(), target), table_in, key)
            st.session_state["data_upload_pending"] = (target, table_in, changes)

result = st.session_state.get("data_upload_result")
pending = st.session_state.get("data_upload_pending")
if result is not None:
    result_target, file_name, problems = result
    shown_name = resources[result_target]["path"]
    if problems:
        st.error(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the uploaded "
            f"file, listed below by row. The shipped {shown_name} is still in use.",
            title="Upload refused",
            icon=":material/error:",
        )
        st.dataframe(
            problems_frame(problems),
            hide_index=True,
            alt="Every problem found in the uploaded file, by row",
        )
    elif pending is not None:
        _, table_in, changes = pending
        (st.warning if changes.missing else st.info)(
            plain(
                f"The uploaded file passed every check. Against the shipped {shown_name}: "
                f"{changes_text(changes)} Use it in place of {shown_name} for this session?"
            ),
            title="Check what the file changes",
            icon=":material/difference:",
        )
        with st.container(horizontal=True):
            if st.button(
                "Use the uploaded file",
                key="data_upload_use",
                icon=":material/check:",
                type="primary",
            ):
                set_upload(result_target, table_in)
                st.session_state.pop("data_upload_pending", None)
                st.rerun()
            if st.button("Keep the shipped file", key="data_upload_keep", icon=":material/close:"):
                st.session_state.pop("data_upload_pending", None)
                st.session_state.pop("data_upload_result", None)
                st.rerun()
    elif result_target in uploads():
        st.success(
            f"The uploaded file passed every check and is in use in place of {shown_name} "
            "for this session.",
            icon=":material/check_circle:",
        )

for replaced in list(uploads()):
    if st.button(
        f"Go back to the shipped {resources[replaced]['path']}",
        key=f"data_restore_{replaced}",
        icon=":material/undo:",
    ):
        set_upload(replaced, None)
        st.session_state.pop("data_upload_result", None)
        st.rerun()
