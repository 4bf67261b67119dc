"""The upload limit as a user meets it: the browser and the app refuse at the same size.

Streamlit's browser side refuses a file over ``MAX_UPLOAD_MB * 1,000,000`` bytes with
its own message; a file of exactly ``MAX_UPLOAD_BYTES`` reaches the app, whose own
size check lets it through (here to be refused for having no rows).
"""

from playwright.sync_api import expect


def test_the_upload_limit_is_one_figure_in_the_browser_and_the_app(page, server, tmp_path):
    from model.data import MAX_UPLOAD_BYTES

    header = b"year,exports_usd_bn,imports_usd_bn,balance_usd_bn,world_exports_usd_bn,"
    header += b"rounded_to_usd_bn,source,note\n"
    over = tmp_path / "over.csv"
    over.write_bytes(header + b"\n" * (MAX_UPLOAD_BYTES + 1 - len(header)))
    at_limit = tmp_path / "at_limit.csv"
    at_limit.write_bytes(header + b"\n" * (MAX_UPLOAD_BYTES - len(header)))
    page.goto(f"{server}/Data")
    uploader = page.get_by_test_id("stFileUploader")
    uploader.locator("input[type=file]").set_input_files(str(over))
    expect(uploader).to_contain_text("File must be 2.0MB or smaller.")
    expect(page.get_by_text("Upload refused")).to_have_count(0)  # the server never saw it
    uploader.locator("input[type=file]").set_input_files(str(at_limit))
    expect(page.get_by_text("Upload refused")).to_be_visible()  # read, and refused for its rows
    expect(page.get_by_text("header but no rows")).to_be_attached()  # a table cell
    expect(page.get_by_text("larger than")).to_have_count(0)
