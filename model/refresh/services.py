"""The official services the refresh reads, each as a list of requests and a parser.

Every service turns its answer into :class:`Figure` objects: one value (in
billions: US$, or EUR for Eurostat's) for one cell of one table in ``data/``,
with the series code it came from. A parser that does not find what it expects
raises :class:`ServiceError` saying the answer changed shape; it never guesses.

* IMF, International Trade in Goods by partner (dataset ``IMF.STA:IMTS``, the
  successor of Direction of Trade Statistics), SDMX 3.0 at api.imf.org, no key:
  China's monthly exports and imports with the world, and annual ones with
  single-country partners. Parsed by ``imfp``'s SDMX-JSON reader; the data
  flow's ``lastUpdatedAt`` annotation dates the figures.
* World Bank, World Development Indicators through its API (``wbgapi``'s
  endpoint and response reader), no key: annual merchandise exports of China
  and the world (``TX.VAL.MRCH.CD.WT``, WTO figures) and China's imports
  (``TM.VAL.MRCH.CD.WT``).
* Eurostat, SDMX 2.1 dissemination API through ``sdmx1`` (its request builder
  and SDMX-ML reader), no key: the EU's (EU27_2020) annual imports from China
  (``CN_X_HK``, China except Hong Kong) and from outside the EU
  (``EXT_EU27_2020``), all goods, in million euro, from dataset
  ``ext_lt_maineu`` (key ``freq.indic_et.sitc06.partner.geo``).
* UN Comtrade, only with a subscription key in ``COMTRADE_API_KEY`` (the free
  key allows 500 calls a day and 100,000 rows a call): China's annual exports
  and imports by partner, all goods (``cmdCode=TOTAL``), and its exports by
  partner and HS chapter (``cmdCode=AG2``), from the endpoint that
  ``comtradeapicall.getFinalData`` calls (that package prints an error and
  returns None, so the refresh asks the endpoint itself).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import dataclass
from urllib.parse import urlencode

from model.refresh.fetch import ServiceError


@dataclass(frozen=True)
class Figure:
    """One figure for one cell: ``table`` row ``key`` (primary-key values as text), ``column``."""

    table: str
    key: tuple[str, ...]
    column: str
    value: float
    series: str
    decimals: int = 2  # digits after the point the cell is written with
    unit: str = ""  # the unit cell of a new row, in a table that has one (markets)
    released: str = ""  # the service's last update of its figures, YYYY-MM-DD; "" if not given


@dataclass(frozen=True)
class Request:
    label: str  # the series, as the progress line names it
    url: str
    headers: dict
    release: bool = False  # the answer dates the service's figures (last update), holds none


# Partners with a single-country code, by the region name used in data/.
IMF_PARTNERS = {
    "USA": "United States",
    "JPN": "Japan",
    "KOR": "South Korea",
    "HKG": "Hong Kong",
    "IND": "India",
    "RUS": "Russia",
}
COMTRADE_PARTNERS = {
    "842": "United States",
    "392": "Japan",
    "410": "South Korea",
    "344": "Hong Kong",
    "699": "India",
    "643": "Russia",
}
# Partners of the exports by HS chapter: the six, and the world (Comtrade code 0).
COMTRADE_CHAPTER_PARTNERS = {**COMTRADE_PARTNERS, "0": "World"}
# Eurostat partner code -> origin in markets.csv (the EU's imports from it).
EUROSTAT_ORIGINS = {"CN_X_HK": "China", "EXT_EU27_2020": "World"}
EUROSTAT_KEY = "A.MIO_IMP_VAL.TOTAL.{partner}.EU27_2020"  # freq.indic_et.sitc06.partner.geo
# World Bank indicator -> (economies asked for, column of each economy's figure).
WB_INDICATORS = {
    "TX.VAL.MRCH.CD.WT": ("CHN;WLD", {"CHN": "exports_usd_bn", "WLD": "world_exports_usd_bn"}),
    "TM.VAL.MRCH.CD.WT": ("CHN", {"CHN": "imports_usd_bn"}),
}
FLOW_COLUMNS = {"XG_FOB_USD": "exports_usd_bn", "MG_CIF_USD": "imports_usd_bn"}


class Service:
    """A service: its name, the tag its citations start with, its requests, its parser."""

    name: str
    tag: str  # every source citation written for this service starts with it
    needs: str = "nothing (no key)"

    def skipped(self) -> str | None:
        """Why the service is left out of this run, or None."""
        return None

    def requests(self, first_year: int, last_year: int) -> list[Request]:
        raise NotImplementedError

    def parse(self, request: Request, body: bytes) -> list[Figure]:
        raise NotImplementedError

    def parse_release(self, request: Request, body: bytes) -> str:
        """The date (YYYY-MM-DD) of the service's last update, from a ``release`` request's
        answer; "" where the answer gives none."""
        raise NotImplementedError


class IMF(Service):
    name = "IMF"
    tag = "IMF IMTS"
    flow = "data/dataflow/IMF.STA/IMTS/+"

    def requests(self, first_year: int, last_year: int) -> list[Request]:
        from imfp.utils import IMF_API_BASE_URL

        flows = "+".join(FLOW_COLUMNS)
        partners = "+".join(IMF_PARTNERS)
        asked = [
            (f"CHN.{flows}.G001.M", f"ge:{first_year}-M01"),
            (f"CHN.{flows}.{partners}.A", f"ge:{first_year}-A1"),
        ]
        # The dataflow query imfp makes for a data set's metadata (imfp.utils._imf_metadata):
        # its lastUpdatedAt annotation dates the figures.
        structure = f"{IMF_API_BASE_URL}structure/dataflow/IMF.STA/IMTS/+"
        out = [Request("IMF.STA:IMTS data flow", structure, {"Accept": "application/json"}, True)]
        for key, period in asked:
            # The query imfp builds for IMF.STA data flows (imfp.utils._build_data_request).
            query = {
                "dimensionAtObservation": "TIME_PERIOD",
                "attributes": "dsd",
                "measures": "all",
                "c[TIME_PERIOD]": period,
            }
            url = f"{IMF_API_BASE_URL}{self.flow}/{key}?{urlencode(query)}"
            out.append(Request(key, url, {"Accept": "application/json"}))
        return out

    def parse(self, request: Request, body: bytes) -> list[Figure]:
        from imfp.utils import _parse_imf_sdmx_json

        message = _json(self.name, body)
        if not isinstance(message, dict) or "data" not in message:
            raise ServiceError(f"{self.name}: the answer changed shape (no SDMX-JSON 'data')")
        table = _parse_imf_sdmx_json(message)
        if table.empty:
            raise ServiceError(f"{self.name}: no observations for {request.label}")
        needed = {"COUNTRY", "INDICATOR", "COUNTERPART_COUNTRY", "TIME_PERIOD", "OBS_VALUE"}
        if not needed <= set(table.columns):
            missing = ", ".join(sorted(needed - set(table.columns)))
            raise ServiceError(f"{self.name}: the answer changed shape (no {missing})")
        figures = []
        for row in table.dropna(subset=["OBS_VALUE"]).itertuples(index=False):
            column = FLOW_COLUMNS.get(row.INDICATOR)
            period = str(row.TIME_PERIOD)
            series = f"{row.COUNTRY}.{row.INDICATOR}.{row.COUNTERPART_COUNTRY}.{period[5:6] or 'A'}"
            value = _billions(self.name, row.OBS_VALUE, series)
            if row.COUNTRY != "CHN" or column is None:
                continue
            if row.COUNTERPART_COUNTRY == "G001" and "-M" in period:
                month = period.replace("-M", "-")
                figures.append(Figure("monthly", (month,), column, value, series))
            elif row.COUNTERPART_COUNTRY in IMF_PARTNERS and len(period) == 4:
                region = IMF_PARTNERS[row.COUNTERPART_COUNTRY]
                figures.append(Figure("exports_by_region", (period, region), column, value, series))
        if not figures:
            raise ServiceError(
                f"{self.name}: the answer changed shape (no China series in {request.label})"
            )
        return figures

    def parse_release(self, request: Request, body: bytes) -> str:
        from imfp.utils import _annotation_value

        message = _json(self.name, body)
        flows = message.get("data", {}).get("dataflows") if isinstance(message, dict) else None
        flow = next((f for f in flows or [] if isinstance(f, dict) and f.get("id") == "IMTS"), None)
        if flow is None:
            raise ServiceError(f"{self.name}: the answer changed shape (no IMTS data flow)")
        return _date(self.name, _annotation_value(flow, "lastUpdatedAt"), "lastUpdatedAt")


class WorldBank(Service):
    name = "World Bank"
    tag = "World Bank WDI"

    def requests(self, first_year: int, last_year: int) -> list[Request]:
        import wbgapi

        out = []
        for indicator, (countries, _) in WB_INDICATORS.items():
            query = urlencode(
                {"format": "json", "per_page": 1000, "date": f"{first_year}:{last_year}"}
            )
            url = f"{wbgapi.endpoint}/country/{countries}/indicator/{indicator}?{query}"
            out.append(Request(f"{indicator} ({countries})", url, {"Accept": "application/json"}))
        return out

    def parse(self, request: Request, body: bytes) -> list[Figure]:
        import wbgapi

        result = _json(self.name, body)
        try:
            header = wbgapi._responseHeader(request.url, result)
            if header.get("message"):
                message = header["message"][0]
                raise ServiceError(f"{self.name}: {message.get('key')}: {message.get('value')}")
            if int(header.get("pages", 1)) > 1:
                raise ServiceError(f"{self.name}: the answer came in pages; ask for fewer years")
            rows = wbgapi._responseObjects(request.url, result)
        except wbgapi.APIError:
            raise ServiceError(f"{self.name}: the answer changed shape") from None
        if not rows:
            raise ServiceError(f"{self.name}: no observations for {request.label}")
        indicator = request.label.split()[0]
        columns = WB_INDICATORS[indicator][1]
        figures = []
        for row in rows:
            try:
                country, year, value = row["countryiso3code"], row["date"], row["value"]
            except (KeyError, TypeError):
                raise ServiceError(f"{self.name}: the answer changed shape") from None
            if value is None or country not in columns:
                continue
            series = f"{indicator} ({country})"
            figures.append(
                Figure(
                    "annual",
                    (str(year),),
                    columns[country],
                    _billions(self.name, value, series),
                    series,
                )
            )
        return figures


class Comtrade(Service):
    name = "UN Comtrade"
    tag = "UN Comtrade"
    needs = "a subscription key in COMTRADE_API_KEY (free: 500 calls a day, 100,000 rows a call)"
    key_variable = "COMTRADE_API_KEY"

    def skipped(self) -> str | None:
        if not os.environ.get(self.key_variable):
            return f"{self.name}: skipped (set {self.key_variable} to include it)"
        return None

    def requests(self, first_year: int, last_year: int) -> list[Request]:
        # The endpoint comtradeapicall.getFinalData calls; the key goes in a header,
        # so that it is never part of a URL that a message could show.
        periods = ",".join(str(y) for y in range(first_year, last_year + 1))
        asked = [
            ("C/A/HS 156 TOTAL by partner", "X,M", "TOTAL", COMTRADE_PARTNERS),
            ("C/A/HS 156 exports by HS chapter (AG2)", "X", "AG2", COMTRADE_CHAPTER_PARTNERS),
        ]
        headers = {"Ocp-Apim-Subscription-Key": os.environ.get(self.key_variable, "")}
        out = []
        for label, flows, commodities, partners in asked:
            query = urlencode(
                {
                    "reportercode": "156",
                    "flowCode": flows,
                    "period": periods,
                    "cmdCode": commodities,
                    "partnerCode": ",".join(partners),
                }
            )
            url = f"https://comtradeapi.un.org/data/v1/get/C/A/HS?{query}"
            out.append(Request(label, url, headers))
        return out

    def parse(self, request: Request, body: bytes) -> list[Figure]:
        """Figures from the rows of an answer: all goods (``cmdCode`` TOTAL) for
        ``exports_by_region``, HS chapters (two-digit ``cmdCode``) for
        ``exports_by_hs_chapter``; a cell given twice is a changed shape."""
        payload = _json(self.name, body)
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
            raise ServiceError(f"{self.name}: the answer changed shape (no 'data' list)")
        if payload.get("error"):
            raise ServiceError(f"{self.name}: {payload['error']}")
        if not payload["data"]:
            raise ServiceError(f"{self.name}: no observations for {request.label}")
        columns = {"X": "exports_usd_bn", "M": "imports_usd_bn"}
        figures, cells = [], set()
        for row in payload["data"]:
            try:
                partner, flow = str(row["partnerCode"]), row["flowCode"]
                year, value, commodity = str(row["refYear"]), row["primaryValue"], row["cmdCode"]
            except (KeyError, TypeError):
                raise ServiceError(f"{self.name}: the answer changed shape") from None
            series = f"C/A/HS 156.{flow}.{partner}.{commodity}"
            if value is None or flow not in columns:
                continue
            if commodity == "TOTAL" and partner in COMTRADE_PARTNERS:
                region = COMTRADE_PARTNERS[partner]
                figure = Figure(
                    "exports_by_region",
                    (year, region),
                    columns[flow],
                    _billions(self.name, value, series),
                    series,
                )
            elif (
                str(commodity).isdigit()
                and len(str(commodity)) == 2
                and flow == "X"
                and partner in COMTRADE_CHAPTER_PARTNERS
            ):
                region = COMTRADE_CHAPTER_PARTNERS[partner]
                amount = _billions(self.name, value, series, smallest=0.0, decimals=4)
                figure = Figure(
                    "exports_by_hs_chapter",
                    (year, region, commodity),
                    "exports_usd_bn",
                    amount,
                    series,
                    decimals=4,
                )
            else:
                continue
            cell = (figure.table, figure.key, figure.column)
            if cell in cells:
                raise ServiceError(
                    f"{self.name}: the answer changed shape ({series} {year} given twice)"
                )
            cells.add(cell)
            figures.append(figure)
        return figures


class Eurostat(Service):
    name = "Eurostat"
    tag = "Eurostat"
    dataset = "ext_lt_maineu"
    # SDMX-ML 2.1 generic data, the dissemination API's default format.
    accept = "application/vnd.sdmx.genericdata+xml;version=2.1"

    def requests(self, first_year: int, last_year: int) -> list[Request]:
        import sdmx

        key = EUROSTAT_KEY.format(partner="+".join(EUROSTAT_ORIGINS))
        prepared = sdmx.Client("ESTAT").get(
            "data",
            self.dataset,
            key=key,
            params={"startPeriod": str(first_year), "endPeriod": str(last_year)},
            dry_run=True,
        )
        return [Request(f"{self.dataset} {key}", prepared.url, {"Accept": self.accept})]

    def parse(self, request: Request, body: bytes) -> list[Figure]:
        import sdmx

        try:
            message = sdmx.read_sdmx(io.BytesIO(body))
        except Exception:  # sdmx1's readers raise many kinds (XML, format, value errors)
            raise ServiceError(
                f"{self.name}: the answer is not SDMX-ML (the service changed shape)"
            ) from None
        if not isinstance(message, sdmx.message.DataMessage):
            raise ServiceError(f"{self.name}: the answer changed shape (not a data message)")
        observations = [ds for ds in message.data if ds.obs]
        if not observations:
            if message.footer is not None and message.footer.text:
                raise ServiceError(
                    f"{self.name}: the data were deferred to a download (a footer, no "
                    f"observations) for {request.label}; ask for fewer series"
                )
            raise ServiceError(f"{self.name}: no observations for {request.label}")
        figures = []
        for data_set in observations:
            table = sdmx.to_pandas(data_set).reset_index()
            table.columns = [str(c).lower() for c in table.columns]
            needed = {"time_period", "freq", "indic_et", "sitc06", "partner", "geo", "value"}
            if not needed <= set(table.columns):
                missing = ", ".join(sorted(needed - set(table.columns)))
                raise ServiceError(f"{self.name}: the answer changed shape (no {missing})")
            for row in table.dropna(subset=["value"]).itertuples(index=False):
                wanted = EUROSTAT_KEY.format(partner=row.partner)
                if f"{row.freq}.{row.indic_et}.{row.sitc06}.{row.partner}.{row.geo}" != wanted:
                    continue  # another series than the ones asked for
                if row.partner not in EUROSTAT_ORIGINS or not str(row.time_period).isdigit():
                    continue
                series = f"{self.dataset} {wanted}"
                # The EU's imports from China or the world are hundreds of billions: a
                # value under 1 bn euro means the unit changed (e.g. to billions).
                value = _billions(
                    self.name, row.value, series, scale=1e6, currency="euro", smallest=1e9
                )
                key = (str(row.time_period), "European Union", EUROSTAT_ORIGINS[row.partner])
                figures.append(Figure("markets", key, "imports", value, series, unit="EUR bn"))
        given = {figure.key[2] for figure in figures}
        lacking = [
            EUROSTAT_KEY.format(partner=p) for p, o in EUROSTAT_ORIGINS.items() if o not in given
        ]
        if lacking:
            raise ServiceError(
                f"{self.name}: the answer changed shape (no series "
                f"{', '.join(lacking)} in {self.dataset})"
            )
        return figures


SERVICES = (IMF(), WorldBank(), Eurostat(), Comtrade())


def _json(service: str, body: bytes):
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ServiceError(
            f"{service}: the answer is not JSON (the service changed shape)"
        ) from None


def _billions(
    service: str,
    value,
    series: str,
    *,
    scale: float = 1.0,
    currency: str = "US-dollar",
    smallest: float = 1e6,
    decimals: int = 2,
) -> float:
    """Billions from a value in units of ``scale`` (1e6 for millions) of ``currency``.

    An amount outside ``smallest`` to 1e15 currency units, or a value that is
    not a number, is a changed shape (the unit or the field changed).
    """
    try:
        amount = float(value) * scale
    except (TypeError, ValueError):
        raise ServiceError(f"{service}: {series} has a value that is not a number") from None
    if not smallest <= abs(amount) <= 1e15:
        raise ServiceError(
            f"{service}: {series} = {float(value):g} is not a {currency} amount of goods trade "
            "(the unit changed?)"
        )
    return round(amount / 1e9, decimals)


def _date(service: str, text: str | None, field: str) -> str:
    """YYYY-MM-DD from an ISO date or time stamp; "" for none; another text is a changed shape."""
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(str(text)[:10]).isoformat()
    except ValueError:
        raise ServiceError(
            f"{service}: the answer changed shape ({field} {text!r} is not a date)"
        ) from None
