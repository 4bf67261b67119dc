"""The refresh from the statistics services, offline: recorded answers in each
service's own format go through the real request, retry, parsing, merging,
checking and writing code. No test reaches a service.

These tests need the refresh packages (requirements-refresh.txt); ``dev.py
test`` runs them in the refresh environment.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("imfp", reason="refresh packages not installed (python3 dev.py refresh)")
pytest.importorskip("wbgapi", reason="refresh packages not installed (python3 dev.py refresh)")
pytest.importorskip("sdmx", reason="refresh packages not installed (python3 dev.py refresh)")

from model.data import DATA_DIR, DataError, load_actuals
from model.refresh import NeedsConfirmation, refresh
from model.refresh.__main__ import main
from model.refresh.fetch import ATTEMPTS, Response, ServiceError
from model.refresh.services import IMF, Comtrade, Eurostat, WorldBank

FIXTURES = Path(__file__).parent / "fixtures" / "refresh"
FETCHED = "2026-12-02"
SERVICES = (IMF(), WorldBank(), Eurostat())


def recorded(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def answer_for(url: str) -> str:
    """The fixture recorded for a request URL."""
    if "api.imf.org" in url and "/structure/dataflow/IMF.STA/IMTS/" in url:
        return "imf_imts_dataflow.json"
    if "api.imf.org" in url:
        return "imf_imts_monthly.json" if ".G001.M" in url else "imf_imts_annual.json"
    if "ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/ext_lt_maineu/" in url:
        return "eurostat_ext_lt_maineu.xml"
    if "TX.VAL.MRCH.CD.WT" in url:
        return "wb_exports.json"
    if "TM.VAL.MRCH.CD.WT" in url:
        return "wb_imports.json"
    if "comtradeapi.un.org" in url and "cmdCode=AG2" in url:
        return "comtrade_hs_chapters.json"
    if "comtradeapi.un.org" in url:
        return "comtrade_final.json"
    raise AssertionError(f"no recorded answer for {url}")


class Recorded:
    """A transport playing recorded answers; ``edits`` change one fixture first (a JSON
    fixture's parsed message in place, an XML one's text by returning the new text)."""

    def __init__(self, edits=None, override=None):
        self.edits = edits or {}
        self.override = override  # url -> Response | Exception, tried first
        self.calls = []

    def __call__(self, url, headers, timeout):
        self.calls.append((url, headers, timeout))
        if self.override:
            result = self.override(url)
            if isinstance(result, Exception):
                raise result
            if result is not None:
                return result
        name = answer_for(url)
        body = recorded(name)
        if name in self.edits and name.endswith(".xml"):
            body = self.edits[name](body.decode()).encode()
        elif name in self.edits:
            message = json.loads(body)
            self.edits[name](message)
            body = json.dumps(message).encode()
        return Response(200, body, {"Content-Type": "application/json"})


@pytest.fixture
def data(tmp_path):
    """A copy of the shipped data/ to refresh."""
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def run(folder, transport, **options):
    options.setdefault("confirm", lambda moves: False)
    return refresh(
        folder,
        SERVICES,
        transport=transport,
        fetched=FETCHED,
        last_year=2026,
        progress=lambda line: None,
        sleep=lambda seconds: None,
        **options,
    )


def rows(folder: Path, name: str) -> list[str]:
    return (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()


def row_of(folder: Path, name: str, start: str) -> str:
    return next(r for r in rows(folder, name) if r.startswith(start))


def edit_observation(name: str, series_key: str, period_index: str, usd: float):
    def edit(message):
        message["data"]["dataSets"][0]["series"][series_key]["observations"][period_index] = [
            str(usd)
        ]

    return {name: edit}


# ------------------------------------------------------------------- the good path


def test_recorded_answers_agree_with_the_shipped_figures_and_change_nothing(data):
    before = digest(data)
    plan, written = run(data, Recorded())
    assert plan.disagreements == [] and plan.to_confirm == [] and plan.filled == []
    assert written == []
    assert digest(data) == before


def test_gaps_are_filled_and_missing_rows_added_with_the_service_as_source(data):
    # Blank the 2024 world exports and drop the 2025-11 month: the services have both.
    annual = (data / "annual.csv").read_text(encoding="utf-8")
    annual = annual.replace("992.1,24430,0.1,", "992.1,,0.1,")
    (data / "annual.csv").write_text(annual, encoding="utf-8")
    monthly = [r for r in rows(data, "monthly") if not r.startswith("2025-11")]
    (data / "monthly.csv").write_text("\n".join(monthly) + "\n", encoding="utf-8")

    _, written = run(data, Recorded())

    assert sorted(written) == ["annual.csv", "monthly.csv"]
    actuals = load_actuals(data)  # the loader's checks pass on what was written
    assert actuals.annual.at[2024, "world_exports_usd_bn"] == 24430
    assert (
        "world exports: World Bank WDI TX.VAL.MRCH.CD.WT (WLD), fetched 2026-12-02"
        in (actuals.annual.at[2024, "source"])
    )
    november = actuals.monthly.set_index("month").loc["2025-11"]
    assert (november.exports_usd_bn, november.imports_usd_bn) == (330.30, 218.60)
    assert november.balance_usd_bn == pytest.approx(111.70)  # 330.30 - 218.60, derived
    assert november.source == (
        "exports: IMF IMTS CHN.XG_FOB_USD.G001.M, fetched 2026-12-02; "
        "imports: IMF IMTS CHN.MG_CIF_USD.G001.M, fetched 2026-12-02"
    )
    # released: the lastUpdatedAt of the IMTS data flow (2026-11-27T16:02:11Z), not GAC's date.
    assert november.released == "2026-11-27"
    assert november.note == "balance = exports - imports (derived)"
    # The rows around it are untouched, and the file stays in month order.
    months = [r.split(",")[0] for r in rows(data, "monthly")[1:]]
    assert months == sorted(months)
    shipped = [r for r in rows(DATA_DIR, "monthly") if not r.startswith("2025-11")]
    assert [r for r in rows(data, "monthly") if not r.startswith("2025-11")] == shipped
    # A second refresh with the same answers has nothing to do.
    assert run(data, Recorded())[1] == []


def test_a_month_inside_a_shipped_january_february_row_is_not_added(data):
    def january(message):
        periods = message["data"]["structures"][0]["dimensions"]["observation"][0]["values"]
        periods.append({"value": "2025-M01", "id": "2025-M01"})
        message["data"]["dataSets"][0]["series"]["0:0:0:0"]["observations"]["2"] = ["300e9"]

    before = digest(data)
    _, written = run(data, Recorded({"imf_imts_monthly.json": january}))
    assert written == [] and digest(data) == before


def test_a_february_figure_is_not_set_against_a_january_february_row(data):
    # The IMF gives February alone; the shipped 2025-02 row (months = 2) is January and
    # February together, so the two are not the same figure: no disagreement, no change.
    def february(message):
        periods = message["data"]["structures"][0]["dimensions"]["observation"][0]["values"]
        periods.append({"value": "2025-M02", "id": "2025-M02"})
        message["data"]["dataSets"][0]["series"]["0:0:0:0"]["observations"]["2"] = ["250e9"]

    before = digest(data)
    plan, written = run(data, Recorded({"imf_imts_monthly.json": february}))
    assert plan.disagreements == [] and written == [] and digest(data) == before


def test_a_service_figure_that_disagrees_with_customs_is_reported_and_not_written(data):
    before = digest(data)
    edits = edit_observation("imf_imts_monthly.json", "0:0:0:0", "0", 315.35e9)  # shipped 305.35
    plan, written = run(data, Recorded(edits))
    assert plan.disagreements == [
        "monthly 2025-10 exports: shipped 305.35, IMF IMTS 315.35 (CHN.XG_FOB_USD.G001.M); "
        "the shipped figure is kept"
    ]
    assert written == [] and digest(data) == before


def test_within_the_rounding_is_no_disagreement(data):
    # 305.35 shipped to US$0.01 bn: 2% of it is 6.1, so 311.0 agrees and 311.5 does not.
    for usd, disagree in ((311.0e9, False), (311.5e9, True)):
        edits = edit_observation("imf_imts_monthly.json", "0:0:0:0", "0", usd)
        plan, _ = run(data, Recorded(edits))
        assert bool(plan.disagreements) is disagree


def test_revisions_of_service_figures_are_written_and_big_moves_need_confirming(data):
    monthly = [r for r in rows(data, "monthly") if not r.startswith("2025-11")]
    (data / "monthly.csv").write_text("\n".join(monthly) + "\n", encoding="utf-8")
    run(data, Recorded())  # 2025-11 now comes from the IMF

    small = edit_observation("imf_imts_monthly.json", "0:0:0:0", "1", 331.0e9)  # +0.2%
    plan, written = run(data, Recorded(small))
    assert plan.revised == [
        "monthly 2025-11 exports: 330.30 -> 331.00 (IMF IMTS CHN.XG_FOB_USD.G001.M)"
    ]
    assert written == ["monthly.csv"]
    assert row_of(data, "monthly", "2025-11").startswith("2025-11,1,331.00,218.60,112.40,")

    before = digest(data)
    big = edit_observation("imf_imts_monthly.json", "0:0:0:0", "1", 350.0e9)  # +5.7%
    with pytest.raises(NeedsConfirmation):
        run(data, Recorded(big))
    assert digest(data) == before
    plan, written = run(data, Recorded(big), confirm=lambda moves: True)
    assert plan.to_confirm == [
        "monthly 2025-11 exports: 331.00 -> 350.00 (IMF IMTS CHN.XG_FOB_USD.G001.M)"
    ]
    assert row_of(data, "monthly", "2025-11").startswith("2025-11,1,350.00,218.60,131.40,")


def test_a_merge_the_loader_rejects_is_not_written(data):
    # A gap filled in a customs row whose published balance it then contradicts.
    monthly = (data / "monthly.csv").read_text(encoding="utf-8")
    monthly = monthly.replace("2025-10,1,305.35,215.28,", "2025-10,1,305.35,,")
    (data / "monthly.csv").write_text(monthly, encoding="utf-8")
    before = digest(data)
    edits = edit_observation("imf_imts_monthly.json", "0:1:0:0", "0", 225.28e9)
    with pytest.raises(DataError, match=r"balance 90\.07 differs from exports - imports"):
        run(data, Recorded(edits))
    assert digest(data) == before


def drop_month(folder: Path, month: str) -> None:
    kept = [r for r in rows(folder, "monthly") if not r.startswith(month)]
    (folder / "monthly.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")


def test_a_service_row_without_a_release_date_leaves_released_blank_and_says_so(data):
    def undated(message):
        flow = message["data"]["dataflows"][0]
        flow["annotations"] = [a for a in flow["annotations"] if a["id"] != "lastUpdatedAt"]

    drop_month(data, "2025-11")
    run(data, Recorded({"imf_imts_dataflow.json": undated}))
    november = load_actuals(data).monthly.set_index("month").loc["2025-11"]
    assert november.released == ""
    assert november.note == (
        "balance = exports - imports (derived); released: IMF IMTS gives no release date"
    )


def test_a_customs_row_keeps_its_release_date_when_a_gap_in_it_is_filled(data):
    # 2026-06 (GAC, released 2026-07-14) with its imports blanked: the IMF fills the gap,
    # and the row keeps GAC's date, for the row still rests on GAC's release.
    shipped = row_of(data, "monthly", "2026-06")
    assert shipped.startswith("2026-06,1,412,286.4,125.6,") and shipped.endswith(",2026-07-14")
    monthly = (data / "monthly.csv").read_text(encoding="utf-8")
    blanked = shipped.replace("2026-06,1,412,286.4,", "2026-06,1,412,,", 1)
    (data / "monthly.csv").write_text(monthly.replace(shipped, blanked), encoding="utf-8")

    def june(message):
        periods = message["data"]["structures"][0]["dimensions"]["observation"][0]["values"]
        periods.append({"value": "2026-M06", "id": "2026-M06"})
        message["data"]["dataSets"][0]["series"]["0:1:0:0"]["observations"]["2"] = ["286.4e9"]

    plan, written = run(data, Recorded({"imf_imts_monthly.json": june}))
    assert plan.filled == ["monthly 2026-06 imports: 286.40 (IMF IMTS CHN.MG_CIF_USD.G001.M)"]
    assert written == ["monthly.csv"]
    refilled = row_of(data, "monthly", "2026-06")
    assert refilled.startswith("2026-06,1,412,286.40,125.6,")
    assert "; imports: IMF IMTS CHN.MG_CIF_USD.G001.M, fetched 2026-12-02" in refilled
    assert refilled.endswith(",2026-07-14")


def test_eurostat_adds_a_missing_market_row_citing_dataset_and_series_key(data):
    # Drop the EU's 2024 imports from China: Eurostat's 517,800 million euro come back as
    # 517.80 EUR bn, at the end of the file (markets.csv is not in key order).
    shipped = rows(data, "markets")
    dropped = [r for r in shipped if not r.startswith("2024,European Union,China,")]
    (data / "markets.csv").write_text("\n".join(dropped) + "\n", encoding="utf-8")

    plan, written = run(data, Recorded())

    assert written == ["markets.csv"]
    assert plan.filled == [
        "markets 2024 European Union China imports: 517.80 "
        "(Eurostat ext_lt_maineu A.MIO_IMP_VAL.TOTAL.CN_X_HK.EU27_2020)"
    ]
    assert rows(data, "markets") == [
        *dropped,
        "2024,European Union,China,517.80,EUR bn,"
        '"imports: Eurostat ext_lt_maineu A.MIO_IMP_VAL.TOTAL.CN_X_HK.EU27_2020, '
        'fetched 2026-12-02",',
    ]
    actuals = load_actuals(data)
    assert actuals.market_imports("European Union", 2024) == {
        "World": (2434.0, "EUR bn"),
        "China": (517.8, "EUR bn"),
    }


def eurostat_world_2024(million_euro: str):
    return {
        "eurostat_ext_lt_maineu.xml": lambda text: text.replace('"2434000"', f'"{million_euro}"')
    }


def test_a_eurostat_figure_beyond_the_tolerance_is_reported_and_the_shipped_kept(data):
    # Shipped 2434.0 EUR bn, no rounding column: 2% of it is 48.68, so 2482.0 agrees.
    before = digest(data)
    plan, _ = run(data, Recorded(eurostat_world_2024("2482000")))
    assert plan.disagreements == []
    plan, written = run(data, Recorded(eurostat_world_2024("2483000")))
    assert plan.disagreements == [
        "markets 2024 European Union World imports: shipped 2434.0, Eurostat 2483.00 "
        "(ext_lt_maineu A.MIO_IMP_VAL.TOTAL.EXT_EU27_2020.EU27_2020); the shipped figure is kept"
    ]
    assert written == [] and digest(data) == before


# ------------------------------------------------------------------ failure modes


IMF_DATA = "api.imf.org/external/sdmx/3.0/data/"  # the data requests, not the data flow's


def status(code, body=b"", headers=None, where="api.imf.org"):
    return lambda url: Response(code, body, headers or {}) if where in url else None


FAILURES = {
    "time-out": (
        lambda url: TimeoutError("timed out"),
        "IMF: no answer from api.imf.org within 30 s",
    ),
    "error status": (
        status(500, b"<html>Internal error</html>"),
        "IMF: api.imf.org answered HTTP 500",
    ),
    "not found": (status(404, b'{"message":"No results"}'), "IMF: api.imf.org answered HTTP 404"),
    "empty answer": (status(200, b"  \n"), "IMF: api.imf.org sent an empty answer"),
    "not JSON": (status(200, b"<html>maintenance</html>"), "IMF: the answer is not JSON"),
    "changed shape": (
        status(200, b'{"meta": {}, "dataSets": []}', where=IMF_DATA),
        "IMF: the answer changed shape (no SDMX-JSON 'data')",
    ),
    "no observations": (
        status(200, b'{"data": {"dataSets": [], "structures": []}}', where=IMF_DATA),
        "IMF: no observations for CHN.XG_FOB_USD+MG_CIF_USD.G001.M",
    ),
    "rate limit": (status(429, b"Too Many Requests"), "IMF: rate limit (HTTP 429) at api.imf.org"),
    "no network": (
        lambda url: urllib.error.URLError(OSError(-3, "Temporary failure in name resolution")),
        "IMF: cannot reach api.imf.org",
    ),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_each_failure_gives_one_clear_line_and_changes_no_byte(data, failure):
    override, message = FAILURES[failure]
    before = digest(data)
    with pytest.raises(ServiceError) as raised:
        run(data, Recorded(override=override))
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
    assert digest(data) == before


def eurostat(text_edit):
    return {"eurostat_ext_lt_maineu.xml": text_edit}


EUROSTAT_FOOTER = """<footer:Footer xmlns:footer="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer">
    <footer:Message code="413" severity="Infomation">
      <common:Text xml:lang="en">Due to the large query the response will be written to a file</common:Text>
      <common:Text xml:lang="en">https://ec.europa.eu/eurostat/api/dissemination/files?file=data.zip</common:Text>
    </footer:Message>
  </footer:Footer>
</message:GenericData>"""


def without_series(text: str) -> str:
    start, end = text.index("<generic:Series>"), text.rindex("</generic:Series>")
    return text[:start] + text[end + len("</generic:Series>") :]


EUROSTAT = "ec.europa.eu/eurostat"
EUROSTAT_STRUCTURE = b"""<?xml version="1.0" encoding="UTF-8"?>
<message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
  <message:Header>
    <message:ID>X</message:ID>
    <message:Test>false</message:Test>
    <message:Prepared>2026-12-02T05:10:00</message:Prepared>
    <message:Sender id="ESTAT"/>
  </message:Header>
  <message:Structures/>
</message:Structure>"""
EUROSTAT_FAILURES = {
    "time-out": (
        {},
        lambda url: TimeoutError("timed out") if EUROSTAT in url else None,
        "Eurostat: no answer from ec.europa.eu within 30 s",
    ),
    "error status": (
        {},
        status(404, b"<message:Error/>", where=EUROSTAT),
        "Eurostat: ec.europa.eu answered HTTP 404",
    ),
    "empty answer": ({}, status(200, b"", where=EUROSTAT), "Eurostat: ec.europa.eu sent an empty"),
    "rate limit": (
        {},
        status(429, where=EUROSTAT),
        "Eurostat: rate limit (HTTP 429) at ec.europa.eu after 4 tries",
    ),
    "not SDMX-ML": (
        {},
        status(200, b"<html>maintenance</html>", where=EUROSTAT),
        "Eurostat: the answer is not SDMX-ML (the service changed shape)",
    ),
    "a structure, not data": (
        {},
        status(200, EUROSTAT_STRUCTURE, where=EUROSTAT),
        "Eurostat: the answer changed shape (not a data message)",
    ),
    "changed shape": (
        eurostat(lambda text: text.replace('id="indic_et"', 'id="indicator"')),
        None,
        "Eurostat: the answer changed shape (no indic_et)",
    ),
    "no observations": (
        eurostat(without_series),
        None,
        "Eurostat: no observations for ext_lt_maineu A.MIO_IMP_VAL.TOTAL.CN_X_HK+EXT_EU27_2020",
    ),
    "deferred to a download": (
        eurostat(
            lambda text: without_series(text).replace("</message:GenericData>", EUROSTAT_FOOTER)
        ),
        None,
        "Eurostat: the data were deferred to a download",
    ),
    "other series only": (
        eurostat(lambda text: text.replace('value="MIO_IMP_VAL"', 'value="MIO_EXP_VAL"')),
        None,
        "Eurostat: the answer changed shape (no series A.MIO_IMP_VAL.TOTAL.CN_X_HK.EU27_2020, "
        "A.MIO_IMP_VAL.TOTAL.EXT_EU27_2020.EU27_2020 in ext_lt_maineu)",
    ),
    "a series missing": (
        eurostat(lambda text: text.replace('value="EXT_EU27_2020"', 'value="EXT_EU27_2007"')),
        None,
        "Eurostat: the answer changed shape (no series "
        "A.MIO_IMP_VAL.TOTAL.EXT_EU27_2020.EU27_2020 in ext_lt_maineu)",
    ),
    "another unit": (
        eurostat(lambda text: text.replace('"517800"', '"517.8"')),  # bn, not million
        None,
        "Eurostat: ext_lt_maineu A.MIO_IMP_VAL.TOTAL.CN_X_HK.EU27_2020 = 517.8 is not a euro",
    ),
}


@pytest.mark.parametrize("failure", list(EUROSTAT_FAILURES))
def test_each_eurostat_failure_gives_one_clear_line_and_changes_no_byte(data, failure):
    edits, override, message = EUROSTAT_FAILURES[failure]
    before = digest(data)
    with pytest.raises(ServiceError) as raised:
        run(data, Recorded(edits, override=override))
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
    assert digest(data) == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda m: m["data"]["dataflows"][0].update(id="DOT"),
            "IMF: the answer changed shape (no IMTS data flow)",
        ),
        (
            lambda m: m["data"]["dataflows"][0]["annotations"][2].update(value="last week"),
            "IMF: the answer changed shape (lastUpdatedAt 'last week' is not a date)",
        ),
    ],
)
def test_a_changed_imf_data_flow_is_named_and_changes_no_byte(data, edit, message):
    before = digest(data)
    with pytest.raises(ServiceError, match=re.escape(message)):
        run(data, Recorded({"imf_imts_dataflow.json": edit}))
    assert digest(data) == before


def test_world_bank_error_message_and_changed_shape_are_named(data):
    error = b'[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]'
    override = lambda url: Response(200, error) if "worldbank" in url else None  # noqa: E731
    with pytest.raises(ServiceError, match="World Bank: Invalid value: The provided parameter"):
        run(data, Recorded(override=override))
    override = lambda url: Response(200, b'{"rows": []}') if "worldbank" in url else None  # noqa: E731
    with pytest.raises(ServiceError, match="World Bank: the answer changed shape"):
        run(data, Recorded(override=override))


def test_a_value_in_another_unit_is_a_changed_shape(data):
    edits = edit_observation("imf_imts_monthly.json", "0:0:0:0", "0", 305.35)  # bn, not US$
    with pytest.raises(ServiceError, match="is not a US-dollar amount"):
        run(data, Recorded(edits))


def test_rate_limit_is_retried_with_back_off_then_succeeds(data):
    answers = iter([Response(429, b"", {"Retry-After": "7"}), Response(429, b"")])

    def override(url):
        return next(answers, None) if "api.imf.org" in url else None

    waits = []
    plan, _ = refresh(
        data,
        SERVICES,
        transport=Recorded(override=override),
        fetched=FETCHED,
        last_year=2026,
        progress=lambda line: None,
        sleep=waits.append,
    )
    assert waits == [7.0, 4.0]  # the service's Retry-After, then 2 s x 2^1
    assert plan.disagreements == []


def test_a_lasting_rate_limit_gives_up_after_the_stated_tries(data):
    transport = Recorded(override=status(429))
    with pytest.raises(ServiceError, match=f"after {ATTEMPTS} tries"):
        run(data, transport)
    assert len(transport.calls) == ATTEMPTS


def test_progress_names_each_service_and_series(data, monkeypatch):
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    lines = []
    refresh(
        data,
        (IMF(), WorldBank(), Eurostat(), Comtrade()),
        transport=Recorded(),
        fetched=FETCHED,
        last_year=2026,
        progress=lines.append,
    )
    assert lines[0] == "UN Comtrade: skipped (set COMTRADE_API_KEY to include it)"
    assert "[1/6] IMF: IMF.STA:IMTS data flow: updated 2026-11-27" in lines
    assert "[2/6] IMF: CHN.XG_FOB_USD+MG_CIF_USD.G001.M: 4 figures" in lines
    assert "[5/6] World Bank: TM.VAL.MRCH.CD.WT (CHN): 2 figures" in lines
    assert (
        "[6/6] Eurostat: ext_lt_maineu A.MIO_IMP_VAL.TOTAL.CN_X_HK+EXT_EU27_2020.EU27_2020: "
        "3 figures" in lines
    )


def test_comtrade_with_a_key_sends_it_in_a_header_never_in_the_url(data, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", "k3y-for-the-test")
    transport = Recorded()
    plan, _ = refresh(
        data,
        (Comtrade(),),
        transport=transport,
        fetched=FETCHED,
        last_year=2026,
        progress=lambda line: None,
        dry_run=True,
    )
    [(total, headers, _), (chapters, chapter_headers, _)] = transport.calls
    for url in (total, chapters):
        assert "k3y" not in url and "reportercode=156" in url
    assert headers["Ocp-Apim-Subscription-Key"] == "k3y-for-the-test"
    assert chapter_headers["Ocp-Apim-Subscription-Key"] == "k3y-for-the-test"
    assert "cmdCode=TOTAL" in total and "flowCode=X%2CM" in total
    assert "cmdCode=AG2" in chapters and "flowCode=X&" in chapters
    assert "partnerCode=842%2C392%2C410%2C344%2C699%2C643%2C0" in chapters  # six and the world
    assert plan.disagreements == []  # 2024 US figures agree with GAC
    assert plan.changed == {"exports_by_hs_chapter"}


def comtrade_run(folder, transport, **options):
    return refresh(
        folder,
        (Comtrade(),),
        transport=transport,
        fetched=FETCHED,
        last_year=2026,
        progress=lambda line: None,
        **options,
    )


def test_comtrade_writes_the_hs_chapter_file_that_the_loader_reads(data, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", "k3y-for-the-test")
    assert not (data / "exports_by_hs_chapter.csv").exists()  # not shipped

    plan, written = comtrade_run(data, Recorded())

    assert written == ["exports_by_hs_chapter.csv"]
    # US$ 25,000,000 -> 0.0250 bn; 1,234,567 -> 0.0012 (four decimals); 1e11 -> 100.0000.
    assert rows(data, "exports_by_hs_chapter") == [
        "year,partner,hs_chapter,exports_usd_bn,source,note",
        '2024,United States,01,0.0250,"exports: UN Comtrade C/A/HS 156.X.842.01, fetched 2026-12-02",',
        '2024,United States,85,100.0000,"exports: UN Comtrade C/A/HS 156.X.842.85, fetched 2026-12-02",',
        '2024,World,01,0.0012,"exports: UN Comtrade C/A/HS 156.X.0.01, fetched 2026-12-02",',
        '2024,World,85,500.0000,"exports: UN Comtrade C/A/HS 156.X.0.85, fetched 2026-12-02",',
    ]
    assert len(plan.filled) == 4
    chapters = load_actuals(data).exports_by_hs_chapter.set_index(["partner", "hs_chapter"])
    assert chapters.loc[("World", "85"), "exports_usd_bn"] == 500.0
    assert chapters.loc[("United States", "01"), "exports_usd_bn"] == 0.025
    assert comtrade_run(data, Recorded())[1] == []  # the same answers: nothing to write


def test_a_comtrade_chapter_revision_beyond_the_tolerance_needs_confirming(data, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", "k3y-for-the-test")
    comtrade_run(data, Recorded())

    def more_electrical(message):
        message["data"][1]["primaryValue"] = 110e9  # US, chapter 85: +10%

    before = digest(data)
    with pytest.raises(NeedsConfirmation):
        comtrade_run(data, Recorded({"comtrade_hs_chapters.json": more_electrical}))
    assert digest(data) == before
    plan, written = comtrade_run(
        data,
        Recorded({"comtrade_hs_chapters.json": more_electrical}),
        confirm=lambda moves: True,
    )
    assert written == ["exports_by_hs_chapter.csv"]
    assert plan.to_confirm == [
        "exports_by_hs_chapter 2024 United States 85 exports: 100.0000 -> 110.0000 "
        "(UN Comtrade C/A/HS 156.X.842.85)"
    ]
    assert row_of(data, "exports_by_hs_chapter", "2024,United States,85,").startswith(
        "2024,United States,85,110.0000,"
    )


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Response(500, b"Internal error"), "UN Comtrade: comtradeapi.un.org answered HTTP 500"),
        (
            Response(200, b'{"count": 0, "data": [], "error": ""}'),
            "UN Comtrade: no observations for C/A/HS 156 exports by HS chapter (AG2)",
        ),
        (
            Response(200, b'{"count": 1, "error": "", "rows": []}'),
            "UN Comtrade: the answer changed shape (no 'data' list)",
        ),
    ],
)
def test_a_failed_chapter_request_creates_no_file(data, monkeypatch, answer, message):
    monkeypatch.setenv("COMTRADE_API_KEY", "k3y-for-the-test")
    before = digest(data)
    override = lambda url: answer if "cmdCode=AG2" in url else None  # noqa: E731
    with pytest.raises(ServiceError, match=re.escape(message)):
        comtrade_run(data, Recorded(override=override))
    assert digest(data) == before
    assert not (data / "exports_by_hs_chapter.csv").exists()


def test_a_chapter_given_twice_is_a_changed_shape(data, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", "k3y-for-the-test")

    def twice(message):
        message["data"].append(dict(message["data"][0]))

    with pytest.raises(ServiceError, match=r"C/A/HS 156\.X\.0\.85 2024 given twice"):
        comtrade_run(data, Recorded({"comtrade_hs_chapters.json": twice}))
    assert not (data / "exports_by_hs_chapter.csv").exists()


# ---------------------------------------------------------------- the command line


def test_without_network_the_command_exits_with_one_line_and_data_untouched(
    data, monkeypatch, capsys
):
    def no_network(*args, **kwargs):
        raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    before = digest(data)
    assert main(["--data", str(data)]) == 1
    error_lines = [
        line for line in capsys.readouterr().err.splitlines() if not line.startswith(("[", "UN"))
    ]
    assert error_lines == [
        "No network: IMF: cannot reach api.imf.org ([Errno -3] Temporary failure in name "
        "resolution); data/ is unchanged."
    ]
    assert digest(data) == before


class RecordedAnswer:
    """What ``urllib.request.urlopen`` returns, for a recorded answer."""

    def __init__(self, body: bytes):
        self.status, self.headers, self.body = 200, {"Content-Type": "application/json"}, body

    def read(self) -> bytes:
        return self.body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def serve_recorded(monkeypatch, edits=None):
    """Answer the command's requests from the fixtures, at urllib's own entry point."""
    transport = Recorded(edits)

    def urlopen(request, timeout):
        answer = transport(request.full_url, dict(request.header_items()), timeout)
        return RecordedAnswer(answer.body)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)


def test_the_command_fills_a_gap_and_names_what_it_wrote(data, monkeypatch, capsys):
    serve_recorded(monkeypatch)
    monthly = [r for r in rows(data, "monthly") if not r.startswith("2025-11")]
    (data / "monthly.csv").write_text("\n".join(monthly) + "\n", encoding="utf-8")

    assert main(["--data", str(data), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "monthly 2025-11 exports: 330.30 (IMF IMTS CHN.XG_FOB_USD.G001.M)" in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert not any(r.startswith("2025-11") for r in rows(data, "monthly"))

    assert main(["--data", str(data)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("Wrote data/monthly.csv.")
    assert not (data / "exports_by_hs_chapter.csv").exists()  # no Comtrade key, no file
    assert main(["--data", str(data)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("data/ is up to date: nothing to write.")


def test_the_command_writes_a_big_move_only_with_yes(data, monkeypatch, capsys):
    monthly = [r for r in rows(data, "monthly") if not r.startswith("2025-11")]
    (data / "monthly.csv").write_text("\n".join(monthly) + "\n", encoding="utf-8")
    serve_recorded(monkeypatch)
    assert main(["--data", str(data)]) == 0
    before = digest(data)

    serve_recorded(monkeypatch, edit_observation("imf_imts_monthly.json", "0:0:0:0", "1", 350e9))
    assert main(["--data", str(data)]) == 2  # no terminal to ask: refused
    captured = capsys.readouterr()
    assert "monthly 2025-11 exports: 330.30 -> 350.00" in captured.out
    assert "1 figure(s) moved beyond the tolerance; nothing was written." in captured.err
    assert digest(data) == before
    assert main(["--data", str(data), "--yes"]) == 0
    assert row_of(data, "monthly", "2025-11").startswith("2025-11,1,350.00,218.60,131.40,")
