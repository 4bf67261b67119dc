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
* a combined January-February row stands alone for its year;
* every date is a real calendar date, and no month is later than today;
* exports, imports and world exports are above zero where given (the model
  divides by them).

An uploaded file is checked further against what the pages will do with it
(see :func:`check_upload`). Every check takes time linear in the rows, and a
file has at most :data:`MAX_ROWS` rows.

A failed check never stops at the first problem: every problem is collected,
each naming the file, the row (as a spreadsheet shows it: the header is row 1)
and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
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

#: The largest upload, in megabytes as Streamlit counts them: its browser side refuses
#: a file over ``MAX_UPLOAD_MB * 1,000,000`` bytes (``* 1,048,576`` on Windows), its
#: server side one over ``MAX_UPLOAD_MB * 1,048,576`` bytes. The app passes it to
#: every ``st.file_uploader`` and refuses any larger file itself at the smaller figure.
MAX_UPLOAD_MB = 2
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1_000_000
#: The most rows a data file may have: the shipped files have a few hundred at most.
MAX_ROWS = 5_000
# Text that a spreadsheet would run as a formula: refused in input, neutralised in output.
FORMULA_PREFIXES = ("=", "+", "@", "\t", "\r")
CSV_FORMULA_PREFIXES = (*FORMULA_PREFIXES, "-")
MAX_PROBLEMS_LISTED = 200
#: Levels that must be above zero where given: the model and the pages divide by them.
POSITIVE_LEVELS = ("exports_usd_bn", "imports_usd_bn", "world_exports_usd_bn")
#: The earliest year of any figure (the annual schema's minimum).
FIRST_DATA_YEAR = 1990
#: The year the Back-test page replays from when a link names none.
BACKTEST_OPENING_YEAR = 2017
#: The latest date a tariff step may take effect (the schema's last year).
LATEST_TARIFF_DATE = dt.date(2100, 12, 31)


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
    if len(records) - 1 > MAX_ROWS:
        return None, [
            Problem(
                file,
                None,
                None,
                f"the file has {len(records) - 1:,} rows, more than the {MAX_ROWS:,} a data "
                "file may have",
            )
        ]
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
    return table, problems[: MAX_PROBLEMS_LISTED + 1]


def _decode(raw: bytes | str, file: str) -> tuple[str | None, list[Problem]]:
    if isinstance(raw, str):
        return raw, []
    if len(raw) > MAX_UPLOAD_BYTES:
        return None, [
            Problem(
                file,
                None,
                None,
                f"the file is larger than {MAX_UPLOAD_BYTES:,} bytes ({MAX_UPLOAD_MB} MB)",
            )
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
        if kind == "integer":  # whole, and small enough to hold exactly
            whole = values.astype(float) % 1 == 0
            bad |= ~blank & values.notna() & (~whole | (values.abs() > 2**53))
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
        for i in text.index[~blank & ~text.str.fullmatch(rules["pattern"])]:
            problems.append(
                Problem(file, _row(i), name, f"{_quote(text[i])} is not in the expected form")
            )
    return text, problems


def _duplicate_keys(table: pd.DataFrame, key: list[str], file: str) -> list[Problem]:
    """Every row whose key an earlier row has, naming that first row (one pass)."""
    if not key:
        return []
    first_at: dict[tuple, int] = {}
    problems = []
    for i, values in zip(table.index, table[key].itertuples(index=False, name=None), strict=True):
        first = first_at.setdefault(values, i)
        if first != i:
            shown = ", ".join(f"{k}={v}" for k, v in zip(key, values, strict=True))
            problems.append(
                Problem(file, _row(i), None, f"duplicate {shown} (first at row {_row(first)})")
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


def check_divisors(table: pd.DataFrame, file: str) -> list[Problem]:
    """Exports, imports and world exports above zero, and a year's balance not zero,
    where given.

    China's trade with the world or a region is never nil in a year or a month; a
    zero there is a placeholder, and the model's shares and growth rates divide by
    it. The back-test's percentage errors divide by each year's balance.
    """
    problems = []
    for column in POSITIVE_LEVELS:
        if column in table:
            problems += [
                Problem(
                    file,
                    _row(i),
                    column,
                    f"{table.at[i, column]:g} is not above 0: the "
                    "model divides by this level; leave the cell empty for a gap",
                )
                for i in table.index[table[column] <= 0]
            ]
    if "year" in table and "balance_usd_bn" in table:
        problems += [
            Problem(
                file,
                _row(i),
                "balance_usd_bn",
                "a balance of exactly 0: the back-test's "
                "percentage errors divide by it; leave the cell empty for a gap",
            )
            for i in table.index[table["balance_usd_bn"] == 0]
        ]
    return problems


def parse_date(text: str) -> dt.date | None:
    """The first day a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date covers; None if it is
    not a real calendar date (``2025-13-45``, ``2025-02-30``) or not of those forms."""
    forms = {4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}
    form = forms.get(len(text))
    if form is None:
        return None
    try:
        return dt.datetime.strptime(text, form).date()
    except ValueError:
        return None


def check_dates(
    table: pd.DataFrame, column: str, file: str, latest: dt.date | None = None
) -> list[Problem]:
    """Each date in ``column`` is a real calendar date from 1990 on (and, given ``latest``,
    not after it: an actual month cannot come from the future)."""
    problems = []
    for i, text in table[column].items():
        if not text:
            continue
        date = parse_date(text)
        if date is None:
            problems.append(Problem(file, _row(i), column, f"{_quote(text)} is not a real date"))
        elif date.year < FIRST_DATA_YEAR:
            problems.append(
                Problem(
                    file,
                    _row(i),
                    column,
                    f"{text} is before {FIRST_DATA_YEAR}, the first year of the data",
                )
            )
        elif latest is not None and date > latest:
            problems.append(Problem(file, _row(i), column, f"{text} is after {latest:%Y-%m-%d}"))
    return problems


# --------------------------------------------------------------------------- loading


#: Columns of the optional markets table.
MARKET_COLUMNS = ("year", "market", "origin", "imports", "unit", "source", "note")
#: Columns of the optional table of exports by partner and HS chapter (UN Comtrade).
HS_CHAPTER_COLUMNS = ("year", "partner", "hs_chapter", "exports_usd_bn", "source", "note")


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
    sources : resource name -> title.
    markets : destination markets' imports by origin (year, market, origin, imports,
        unit); empty where the package has no such file (it is optional).
    partners_ytd : DataFrame of exports by partner over part of the current year.
    exports_by_hs_chapter : China's exports by partner and HS chapter (year, partner,
        hs_chapter, exports_usd_bn), as a refresh with a UN Comtrade key writes them;
        empty where the package has no such file (it is optional).
    package : the parsed ``datapackage.json`` the figures were checked against, so
        that a page never reads it again while the server runs.
    """

    annual: pd.DataFrame
    monthly: pd.DataFrame
    by_region: pd.DataFrame
    tariffs: pd.DataFrame
    drivers: pd.DataFrame
    sources: dict = field(default_factory=dict)
    markets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MARKET_COLUMNS))
    partners_ytd: pd.DataFrame = field(default_factory=pd.DataFrame)
    package: dict = field(default_factory=dict)
    exports_by_hs_chapter: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=HS_CHAPTER_COLUMNS)
    )

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
    """Check a user's file for resource ``name`` against the same schema and checks,
    then against what the pages will do with it.

    Regions are checked against the shipped annual totals unless the upload is
    itself the annual file. A file that passes is put in place of the shipped one
    and the model run on the result as the pages run it (see :func:`model_problems`):
    a file the model cannot start from, or that makes it give an infinite or
    undefined figure, is refused. Returns the typed table (None if any problem) and
    the problems, at most :data:`MAX_PROBLEMS_LISTED` and one line saying how many
    more.
    """
    schema = resource_schema(name, actuals.package or None)
    table, problems = parse_table(raw, schema, file)
    if table is None or problems:
        return None, _listed(problems, file)
    tables = {name: table}
    if name == "exports_by_region":
        tables["annual"] = _annual_table(actuals)
    problems = [Problem(file, p.row, p.column, p.message) for p in _cross_checks(tables)]
    if not problems:
        problems = [
            Problem(file, None, None, m)
            for m in model_problems(replace_table(actuals, name, table))
        ]
    return (None if problems else table), _listed(problems, file)


def _listed(problems: list[Problem], file: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS_LISTED:
        return problems
    more = f"... and more problems: only the first {MAX_PROBLEMS_LISTED} are listed"
    return [*problems[:MAX_PROBLEMS_LISTED], Problem(file, None, None, more)]


def model_problems(actuals: Actuals) -> list[str]:
    """What stops the pages from using these figures, in words (empty when nothing).

    The Home page opens with the latest balance; the pages start the model from the
    latest full year (it must come before the first projected year and hold exports
    to the United States, whose tariff the Scenario page opens with), project the
    default scenario, and replay history from the year the Back-test opens with. A
    replay the data cannot support is the Back-test page's to explain; any step
    that fails otherwise, or gives a figure that is not finite, is a problem.
    """
    from model.backtest import backtest
    from model.baseline import baseline_from_actuals, latest_full_year
    from model.params import FIRST_YEAR
    from model.scenario import Scenario
    from model.simulate import simulate

    if actuals.annual["balance_usd_bn"].dropna().empty:
        return ["no year has a balance: the Home page opens with the latest one"]
    try:
        base_year = latest_full_year(actuals)
    except ValueError as error:
        return [f"the model cannot start from these figures: {error}"]
    if base_year >= FIRST_YEAR:
        return [
            f"the latest year with both exports and imports is {base_year}; the model starts "
            f"from a full year before {FIRST_YEAR}, its first projected year"
        ]
    try:
        base = baseline_from_actuals(actuals)
        path = simulate(Scenario(), base).path
    except (ValueError, ArithmeticError) as error:
        return [f"the model cannot start from these figures: {error}"]
    if "United States" not in base.regions:
        return [
            f"no exports to the United States in {base_year}: the Scenario page opens with "
            "the US tariff"
        ]
    if not np.isfinite(path.select_dtypes("number").to_numpy()).all():
        return ["the default scenario gives a figure that is not finite on these figures"]
    complete = actuals.annual.dropna(subset=["exports_usd_bn", "imports_usd_bn"]).index
    first, last = int(complete.min()), int(complete.max())
    if last - first < 2:
        return []  # no replay: the Back-test page says what it lacks
    opening = min(max(BACKTEST_OPENING_YEAR, first), last - 1)
    try:
        result = backtest(opening, actuals=actuals)
    except ValueError:
        return []  # the Back-test page says what the replay lacks
    except ArithmeticError as error:
        return [f"the back-test from {opening} fails on these figures: {error}"]
    numbers = result.metrics.select_dtypes("number").to_numpy(dtype=float)
    if not np.isfinite(numbers[~np.isnan(numbers)]).all():
        return [f"the back-test from {opening} gives an error that is not finite"]
    return []


@dataclass(frozen=True)
class TableChanges:
    """How an uploaded table differs from the one it replaces, row by row (by primary key).

    ``missing``, ``added`` and ``changed`` list the keys, as text, of the rows only
    in the replaced table, only in the upload, and in both with some cell changed.
    """

    rows_before: int
    rows_after: int
    missing: list[str]
    added: list[str]
    changed: list[str]

    @property
    def unchanged(self) -> bool:
        return not (self.missing or self.added or self.changed)


def compare_tables(before: pd.DataFrame, after: pd.DataFrame, key: list[str]) -> TableChanges:
    """The rows missing, added and changed in ``after`` against ``before`` (one pass each)."""

    def rows(table: pd.DataFrame) -> dict[str, tuple]:
        cells = table.astype(object).where(table.notna(), None)
        keys = [" ".join(str(v) for v in k) for k in cells[key].itertuples(index=False, name=None)]
        return dict(zip(keys, cells.itertuples(index=False, name=None), strict=True))

    old, new = rows(before[list(after.columns)]), rows(after)
    return TableChanges(
        rows_before=len(old),
        rows_after=len(new),
        missing=[k for k in old if k not in new],
        added=[k for k in new if k not in old],
        changed=[k for k in new if k in old and not _same_row(old[k], new[k])],
    )


def _same_row(a: tuple, b: tuple) -> bool:
    return all(
        x == y or (isinstance(x, float) and isinstance(y, float) and math.isclose(x, y))
        for x, y in zip(a, b, strict=True)
    )


def table_of(actuals: Actuals, name: str) -> pd.DataFrame:
    """Resource ``name`` of ``actuals`` as its file holds it (the columns of its schema)."""
    return _tables(actuals)[name]


def replace_table(actuals: Actuals, name: str, table: pd.DataFrame) -> Actuals:
    """A copy of ``actuals`` with resource ``name`` replaced by a checked ``table``."""
    tables = _tables(actuals)
    tables[name] = table
    return _assemble(tables, actuals.package)


def _tables(actuals: Actuals) -> dict[str, pd.DataFrame]:
    return {
        "annual": _annual_table(actuals),
        "monthly": actuals.monthly,
        "exports_by_region": actuals.by_region,
        "tariffs": actuals.tariffs.drop(columns="start"),
        "drivers": actuals.drivers,
        "markets": actuals.markets,
        "partners_ytd": actuals.partners_ytd,
        "exports_by_hs_chapter": actuals.exports_by_hs_chapter,
    }


def _cross_checks(tables: dict[str, pd.DataFrame], folder: Path | None = None) -> list[Problem]:
    def shown(name: str) -> str:
        return _display(folder / f"{name}.csv") if folder else f"{name}.csv"

    problems = []
    for name in ("annual", "monthly"):
        if name in tables:
            problems += check_balance(tables[name], shown(name))
    for name in ("annual", "monthly", "exports_by_region"):
        if name in tables:
            problems += check_divisors(tables[name], shown(name))
    if "monthly" in tables:
        problems += check_january_february(tables["monthly"], shown("monthly"))
        problems += check_dates(tables["monthly"], "month", shown("monthly"), dt.date.today())
    if "tariffs" in tables:
        problems += check_dates(tables["tariffs"], "date", shown("tariffs"), LATEST_TARIFF_DATE)
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
    partners = tables.get("partners_ytd", pd.DataFrame())
    chapters = tables.get("exports_by_hs_chapter", pd.DataFrame(columns=HS_CHAPTER_COLUMNS))
    chapters = chapters.astype({"year": int}).sort_values(["year", "partner", "hs_chapter"])
    return Actuals(
        annual,
        monthly,
        by_region,
        tariffs,
        drivers,
        titles,
        markets,
        partners,
        package or {},
        chapters.reset_index(drop=True),
    )


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
