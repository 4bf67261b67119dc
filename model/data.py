"""The actual figures: read, check and serve the files in ``data/``.

Every file in ``data/`` is described in ``data/datapackage.json`` (the Frictionless
Data Package convention): its columns, their types and constraints, its primary
key. One set of checks serves the shipped files and a user's uploaded file:

* the header holds exactly the schema's columns;
* every cell parses as its column's type and keeps its constraints
  (required, minimum, maximum, enum, pattern);
* no primary key appears twice;
* ``balance = exports - imports`` within the row's published rounding;
* the named regions never add up to more than the year's total;
* a combined January-February row stands alone for its year.

A failed check never stops at the first problem: every problem is collected,
each naming the file, the row (as a spreadsheet shows it: the header is row 1)
and the column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

REGIONS = (
    "United States",
    "European Union",
    "ASEAN",
    "Japan",
    "South Korea",
    "Hong Kong",
    "India",
    "Russia",
    "Latin America",
    "Africa",
)
REST_OF_WORLD = "Rest of world"

MAX_UPLOAD_BYTES = (
    2 * 1024 * 1024
)  # matches server.maxUploadSize = 2 (MB) in .streamlit/config.toml
# Text that a spreadsheet would run as a formula: refused in input, neutralised in output.
FORMULA_PREFIXES = ("=", "+", "@", "\t", "\r")
CSV_FORMULA_PREFIXES = (*FORMULA_PREFIXES, "-")
MAX_PROBLEMS_LISTED = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file.

    ``row`` counts as a spreadsheet does: the header is row 1, the first record
    row 2. It is None for a problem of the whole file (a missing column, say).
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class DataError(ValueError):
    """Raised when a data file fails its checks; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"- {p}" for p in problems[:20])
        more = f"\n- ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{shown}{more}")


def read_package(folder: Path = DATA_DIR) -> dict:
    """Return the parsed ``datapackage.json`` of ``folder``."""
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(_display(path), None, None, "the file is missing")]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DataError(
            [Problem(_display(path), None, None, f"cannot be read as JSON ({error})")]
        ) from None


def resource_schema(name: str, package: dict | None = None) -> dict:
    """Return the schema of resource ``name`` (e.g. ``"annual"``)."""
    package = package if package is not None else read_package()
    for resource in package["resources"]:
        if resource["name"] == name:
            return resource["schema"]
    raise KeyError(f"no resource named {name!r} in datapackage.json")


def resource_names(package: dict | None = None) -> list[str]:
    """Names of the package's resources, in the package's order."""
    package = package if package is not None else read_package()
    return [resource["name"] for resource in package["resources"]]


# --------------------------------------------------------------------------- parsing


def parse_table(
    raw: bytes | str, schema: dict, file: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse CSV text against a resource schema.

    Returns the typed table and the problems found. The table is None when the
    file cannot be read as CSV or its header is wrong; otherwise it holds every
    row, with cells that failed to parse left as NaN (and listed in problems).
    """
    text, problems = _decode(raw, file)
    if text is None:
        return None, problems
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        return None, [Problem(file, None, None, f"not valid CSV ({error})")]
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        return None, [Problem(file, None, None, "the file is empty")]
    header, body = [h.strip() for h in records[0]], records[1:]

    names = [f["name"] for f in schema["fields"]]
    missing = [n for n in names if n not in header]
    unknown = [c for c in header if c not in names]
    problems += [Problem(file, 1, n, "required column is missing") for n in missing]
    problems += [Problem(file, 1, c or "(blank)", "unknown column") for c in unknown]
    if missing or unknown:
        return None, problems
    if header != names:
        problems.append(
            Problem(file, 1, None, f"columns must be in this order: {', '.join(names)}")
        )
        return None, problems
    if not body:
        return None, [Problem(file, None, None, "the file has a header but no rows")]
    ragged = [i for i, r in enumerate(body) if len(r) != len(names)]
    problems += [
        Problem(file, _row(i), None, f"has {len(body[i])} cells, the header has {len(names)}")
        for i in ragged
    ]
    if ragged:
        return None, problems
    cells = pd.DataFrame(body, columns=names, dtype=str)

    table = pd.DataFrame(index=cells.index)
    for spec in schema["fields"]:
        column, column_problems = _parse_column(cells[spec["name"]], spec, file)
        table[spec["name"]] = column
        problems += column_problems
    problems += _duplicate_keys(table, schema.get("primaryKey", []), file)
    return table, problems


def _decode(raw: bytes | str, file: str) -> tuple[str | None, list[Problem]]:
    if isinstance(raw, str):
        return raw, []
    if len(raw) > MAX_UPLOAD_BYTES:
        return None, [
            Problem(file, None, None, f"the file is larger than {MAX_UPLOAD_BYTES:,} bytes")
        ]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(file, None, None, "UTF-16 text, not UTF-8; save it as CSV UTF-8")]
    if b"\x00" in raw[:4096]:
        return None, [Problem(file, None, None, "this is a binary file, not CSV text")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        return None, [
            Problem(
                file,
                None,
                None,
                f"not UTF-8 text (byte {error.start}); save the file as CSV UTF-8",
            )
        ]


def _parse_column(cells: pd.Series, spec: dict, file: str) -> tuple[pd.Series, list[Problem]]:
    name, kind = spec["name"], spec.get("type", "string")
    rules = spec.get("constraints", {})
    text = cells.str.strip()
    blank = text == ""
    problems = (
        [Problem(file, _row(i), name, "a value is required") for i in text.index[blank]]
        if rules.get("required")
        else []
    )

    if kind in ("integer", "number"):
        values = pd.to_numeric(text.where(~blank), errors="coerce")
        bad = ~blank & (values.isna() | ~np.isfinite(values.astype(float)))
        if kind == "integer":
            bad |= ~blank & values.notna() & (values.astype(float) % 1 != 0)
        for i in text.index[bad]:
            problems.append(
                Problem(file, _row(i), name, f"{_quote(text[i])} is not {_article(kind)}")
            )
        values = values.where(~bad).astype(float)
        if "minimum" in rules:
            for i in values.index[values < rules["minimum"]]:
                problems.append(
                    Problem(file, _row(i), name, f"{values[i]:g} is below {rules['minimum']}")
                )
        if "maximum" in rules:
            for i in values.index[values > rules["maximum"]]:
                problems.append(
                    Problem(file, _row(i), name, f"{values[i]:g} is above {rules['maximum']}")
                )
        if kind == "integer":
            return values.astype("Int64"), problems
        return values, problems

    for i in text.index[cells.str.lstrip(" ").str.startswith(FORMULA_PREFIXES)]:
        problems.append(
            Problem(file, _row(i), name, f"{_quote(text[i])} looks like a spreadsheet formula")
        )
    if "enum" in rules:
        for i in text.index[~blank & ~text.isin(rules["enum"])]:
            allowed = ", ".join(rules["enum"])
            problems.append(
                Problem(file, _row(i), name, f"{_quote(text[i])} is not one of: {allowed}")
            )
    if "pattern" in rules:
        pattern = re.compile(rules["pattern"])
        for i in text.index[~blank]:
            if not pattern.fullmatch(text[i]):
                problems.append(
                    Problem(file, _row(i), name, f"{_quote(text[i])} is not in the expected form")
                )
    return text, problems


def _duplicate_keys(table: pd.DataFrame, key: list[str], file: str) -> list[Problem]:
    if not key:
        return []
    repeated = table.duplicated(subset=key, keep="first")
    problems = []
    for i in table.index[repeated]:
        values = ", ".join(f"{k}={table.at[i, k]}" for k in key)
        first = table.index[(table[key] == table.loc[i, key]).all(axis=1)][0]
        problems.append(
            Problem(file, _row(i), None, f"duplicate {values} (first at row {_row(first)})")
        )
    return problems


def _row(index: int) -> int:
    return int(index) + 2


def _quote(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return repr(shown)


def _article(kind: str) -> str:
    return "an integer" if kind == "integer" else "a number"


# --------------------------------------------------------------------- cross checks


def check_balance(table: pd.DataFrame, file: str) -> list[Problem]:
    """Check ``balance = exports - imports`` within each row's rounding.

    The tolerance is the row's ``rounded_to_usd_bn`` (two rounded figures can
    each be off by half of it) plus 0.01 for figures given to the cent of a
    billion. Rows with a gap in any of the three are not checked.
    """
    complete = table[["exports_usd_bn", "imports_usd_bn", "balance_usd_bn"]].notna().all(axis=1)
    gap = (table["exports_usd_bn"] - table["imports_usd_bn"] - table["balance_usd_bn"]).abs()
    tolerance = table["rounded_to_usd_bn"].fillna(0) + 0.011
    problems = []
    for i in table.index[complete & (gap > tolerance)]:
        row = table.loc[i]
        problems.append(
            Problem(
                file,
                _row(i),
                "balance_usd_bn",
                f"balance {row.balance_usd_bn:g} differs from exports - imports = "
                f"{row.exports_usd_bn - row.imports_usd_bn:g} by {gap[i]:.2f}, more than "
                f"the rounding of {tolerance[i] - 0.011:g}",
            )
        )
    return problems


def check_regions_within_total(
    by_region: pd.DataFrame, annual: pd.DataFrame, file: str
) -> list[Problem]:
    """Check that, each year, the named regions' exports do not exceed the total."""
    totals = annual.set_index("year")["exports_usd_bn"]
    rounding = annual.set_index("year")["rounded_to_usd_bn"]
    problems = []
    for year, group in by_region.groupby("year"):
        if year not in totals.index or pd.isna(totals[year]):
            continue
        named = group["exports_usd_bn"].sum()
        allowed = totals[year] + rounding[year] + group["rounded_to_usd_bn"].sum()
        if named > allowed:
            problems.append(
                Problem(
                    file,
                    _row(group.index[-1]),
                    "exports_usd_bn",
                    f"the named regions' exports in {year} add up to {named:,.1f}, "
                    f"more than the year's total of {totals[year]:,.1f}",
                )
            )
    return problems


def check_january_february(monthly: pd.DataFrame, file: str) -> list[Problem]:
    """A two-month row must be a January-February row and stand alone for its year."""
    problems = []
    month = monthly["month"].fillna("")
    for i in monthly.index[monthly["months"] == 2]:
        if not month[i].endswith("-02"):
            problems.append(
                Problem(file, _row(i), "months", "only a January-February row (YYYY-02) covers 2")
            )
            continue
        year = month[i][:4]
        for single in (f"{year}-01", f"{year}-02"):
            clash = monthly.index[(month == single) & (monthly["months"] == 1)]
            problems += [
                Problem(file, _row(j), "month", f"{single} is also inside the Jan-Feb row")
                for j in clash
            ]
    return problems


# --------------------------------------------------------------------------- loading


#: Columns of the optional markets table.
MARKET_COLUMNS = ("year", "market", "origin", "imports", "unit", "source", "note")


@dataclass(frozen=True)
class Actuals:
    """The actual figures, checked and typed.

    Attributes
    ----------
    annual : DataFrame indexed by year; ``world_share_pct`` is computed as
        ``100 * exports / world exports``.
    monthly : DataFrame, one row a period (a Jan-Feb row covers two months).
    by_region : long DataFrame of the named regions (year, region, ...).
    tariffs : DataFrame of dated tariff levels, with ``start`` as a Timestamp.
    drivers : DataFrame of outside series (year, series, value, unit, kind).
    markets : destination markets' imports by origin (year, market, origin, imports,
        unit); empty where the package has no such file (it is optional).
    """

    annual: pd.DataFrame
    monthly: pd.DataFrame
    by_region: pd.DataFrame
    tariffs: pd.DataFrame
    drivers: pd.DataFrame
    sources: dict = field(default_factory=dict)
    markets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MARKET_COLUMNS))

    def market_imports(self, market: str, year: int) -> dict[str, tuple[float, str]]:
        """A market's imports in ``year`` by origin: origin -> (value, unit)."""
        m = self.markets
        rows = m[(m["market"] == market) & (m["year"] == year)]
        columns = zip(rows["origin"], rows["imports"], rows["unit"], strict=True)
        return {origin: (float(value), unit) for origin, value, unit in columns}

    def exports_by_region(self, year: int) -> pd.Series:
        """Exports to each named region that has a figure in ``year``, plus Rest of world.

        Rest of world is the residual: the year's total less the named regions,
        so the regions always add up to the total.
        """
        total = self.annual.at[year, "exports_usd_bn"]
        rows = self.by_region[(self.by_region["year"] == year)].dropna(subset=["exports_usd_bn"])
        named = rows.set_index("region")["exports_usd_bn"].reindex(
            [r for r in REGIONS if r in set(rows["region"])]
        )
        return pd.concat([named, pd.Series({REST_OF_WORLD: total - named.sum()})]).rename(
            "exports_usd_bn"
        )

    def driver(self, series: str, kind: str = "actual") -> pd.Series:
        """The values of one driver series, indexed by year, gaps dropped."""
        rows = self.drivers[(self.drivers["series"] == series) & (self.drivers["kind"] == kind)]
        return rows.set_index("year")["value"].dropna().sort_index().rename(series)

    def tariff_steps(
        self,
        imposed_by: str = "United States",
        imposed_on: str = "China",
        series: str = "PIIE trade-weighted average",
    ) -> pd.Series:
        """A dated tariff level series: the level in percent from each start date on."""
        t = self.tariffs
        rows = t[(t["imposed_by"] == imposed_by) & (t["imposed_on"] == imposed_on)]
        rows = rows[rows["series"] == series]
        return rows.set_index("start")["value_pct"].sort_index().rename(series)


def load_actuals(folder: Path | str | None = None) -> Actuals:
    """Read and check every file of the data package in ``folder`` (default ``data/``).

    Raises
    ------
    DataError
        With every problem found, each naming its file, row and column.
    """
    folder = Path(folder) if folder is not None else DATA_DIR
    package = read_package(folder)
    tables, problems = {}, []
    for resource in package["resources"]:
        path = folder / resource["path"]
        shown = _display(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            if resource.get("optional"):
                continue
            problems.append(Problem(shown, None, None, "the file is missing"))
            continue
        except OSError as error:
            problems.append(Problem(shown, None, None, f"cannot be read ({error.strerror})"))
            continue
        table, found = parse_table(raw, resource["schema"], shown)
        problems += found
        if table is not None:
            tables[resource["name"]] = table
    if problems:
        raise DataError(problems)
    problems += _cross_checks(tables, folder)
    if problems:
        raise DataError(problems)
    return _assemble(tables, package)


def check_upload(
    name: str, raw: bytes, actuals: Actuals, file: str = "uploaded file"
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Check a user's file for resource ``name`` against the same schema and checks.

    Regions are checked against the shipped annual totals unless the upload is
    itself the annual file. Returns the typed table (None if any problem) and
    the problems.
    """
    table, problems = parse_table(raw, resource_schema(name), file)
    if table is None or problems:
        return None, problems
    tables = {name: table}
    if name == "exports_by_region":
        tables["annual"] = _annual_table(actuals)
    problems = [Problem(file, p.row, p.column, p.message) for p in _cross_checks(tables)]
    return (None if problems else table), problems


def replace_table(actuals: Actuals, name: str, table: pd.DataFrame) -> Actuals:
    """A copy of ``actuals`` with resource ``name`` replaced by a checked ``table``."""
    tables = {
        "annual": _annual_table(actuals),
        "monthly": actuals.monthly,
        "exports_by_region": actuals.by_region,
        "tariffs": actuals.tariffs.drop(columns="start"),
        "drivers": actuals.drivers,
        "markets": actuals.markets,
    }
    tables[name] = table
    return _assemble(tables, None)


def _cross_checks(tables: dict[str, pd.DataFrame], folder: Path | None = None) -> list[Problem]:
    def shown(name: str) -> str:
        return _display(folder / f"{name}.csv") if folder else f"{name}.csv"

    problems = []
    for name in ("annual", "monthly"):
        if name in tables:
            problems += check_balance(tables[name], shown(name))
    if "monthly" in tables:
        problems += check_january_february(tables["monthly"], shown("monthly"))
    if "exports_by_region" in tables and "annual" in tables:
        problems += check_regions_within_total(
            tables["exports_by_region"], tables["annual"], shown("exports_by_region")
        )
    return problems


def _assemble(tables: dict[str, pd.DataFrame], package: dict | None) -> Actuals:
    annual = tables["annual"].astype({"year": int}).set_index("year").sort_index()
    annual["world_share_pct"] = 100 * annual["exports_usd_bn"] / annual["world_exports_usd_bn"]
    by_region = tables["exports_by_region"].astype({"year": int})
    by_region = by_region.sort_values(["year", "region"]).reset_index(drop=True)
    tariffs = tables["tariffs"].copy()
    tariffs["start"] = pd.to_datetime(tariffs["date"], format="mixed")
    tariffs = tariffs.sort_values(["start", "imposed_by", "series"]).reset_index(drop=True)
    drivers = tables["drivers"].astype({"year": int})
    monthly = tables["monthly"].sort_values("month").reset_index(drop=True)
    titles = {r["name"]: r.get("title", r["name"]) for r in (package or {}).get("resources", [])}
    markets = tables.get("markets", pd.DataFrame(columns=MARKET_COLUMNS)).astype({"year": int})
    return Actuals(annual, monthly, by_region, tariffs, drivers, titles, markets)


def _annual_table(actuals: Actuals) -> pd.DataFrame:
    return actuals.annual.drop(columns="world_share_pct").reset_index()


def _display(path: Path) -> str:
    """``data/annual.csv`` for a shipped file; the bare name elsewhere."""
    try:
        return str(path.resolve().relative_to(DATA_DIR.parent))
    except ValueError:
        return path.name


def to_safe_csv(table: pd.DataFrame) -> bytes:
    """CSV bytes of ``table`` with text cells neutralised against formula injection.

    A text cell that a spreadsheet would run as a formula (it starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
    apostrophe. Numbers are written as numbers.
    """
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(_neutralise)
    return safe.to_csv(index=False).encode("utf-8")


def _neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        value = "'" + value
    if isinstance(value, str) and "\r" in value:
        # A bare carriage return is left unquoted by the CSV writer and ends the row in a
        # spreadsheet, so "a\r=1+1" would start a row with a formula; as a newline the
        # cell is quoted and stays one cell.
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value
