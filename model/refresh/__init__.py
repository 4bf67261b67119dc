"""Refresh the actual figures in ``data/`` from the official statistics services.

``python -m model.refresh`` fetches what each service in
:mod:`model.refresh.services` publishes and merges it into the files of
``data/``, in their schema:

* a cell that is blank (a gap) is filled, and the row's ``source`` gains
  ``"<what>: <service> <series>, fetched <date>"``;
* a period or partner the file lacks gets a new row whose ``source`` names the
  service, the series codes and the date fetched (a month inside a shipped
  January-February row is not added: GAC publishes the two together, and
  such a row is not set against the service's February alone);
* a figure an earlier refresh wrote (its citation names the service) is
  replaced by the service's current figure, a revision;
* a row every figure of which a service gave takes, in a table with a
  ``released`` column, the service's last update of its figures (blank, and
  the note says so, where the service gives none);
* any other figure (China customs, WTO) stays as shipped: where the service
  disagrees with it by more than the tolerance, the disagreement is reported.

Two figures agree when they differ by no more than
``max(rounded_to_usd_bn, TOLERANCE_PCT % of the shipped figure)``. A revision
beyond that tolerance is listed and written only when the user confirms it.

An optional table whose file is missing (``exports_by_hs_chapter``) starts
empty and is created when a service gives its figures.

Nothing is written unless every service answered, the new tables pass the
loader's checks (:func:`model.data.load_actuals`), and every move beyond the
tolerance is confirmed; each file is then written to a temporary file and
moved into place in one step.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from model.data import DATA_DIR, DataError, load_actuals, read_package
from model.refresh.fetch import ServiceError, Transport, get, urllib_transport
from model.refresh.services import SERVICES, Figure, Service

TOLERANCE_PCT = 2.0
FIRST_YEAR = 2015
WHAT = {
    "exports_usd_bn": "exports",
    "imports_usd_bn": "imports",
    "world_exports_usd_bn": "world exports",
    "imports": "imports",
}


@dataclass
class Plan:
    """What a refresh would change, and what it found."""

    tables: dict[str, list[dict]]  # resource name -> rows (text cells), merged
    changed: set[str] = field(default_factory=set)  # resource names with a change
    filled: list[str] = field(default_factory=list)  # gaps filled and rows added
    revised: list[str] = field(default_factory=list)  # service figures within tolerance
    to_confirm: list[str] = field(default_factory=list)  # revisions beyond tolerance
    disagreements: list[str] = field(default_factory=list)  # service vs shipped figure


def read_tables(folder: Path) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """The rows (as text) and the header of every CSV resource in ``folder``.

    An optional resource whose file is missing has no rows and its schema's columns.
    """
    tables, headers = {}, {}
    for resource in read_package(folder)["resources"]:
        path = folder / resource["path"]
        if resource.get("optional") and not path.exists():
            headers[resource["name"]] = [f["name"] for f in resource["schema"]["fields"]]
            tables[resource["name"]] = []
            continue
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
        headers[resource["name"]] = list(reader.fieldnames or [])
        tables[resource["name"]] = list(reader)
    return tables, headers


def to_csv(rows: list[dict], header: list[str]) -> str:
    """CSV text as the shipped files are written: minimal quoting, ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def merge(
    tables: dict[str, list[dict]],
    keys: dict[str, list[str]],
    headers: dict[str, list[str]],
    service: Service,
    figures: list[Figure],
    fetched: str,
) -> Plan:
    """Merge one service's figures into ``tables`` (changed in place) and say what changed.

    ``keys`` gives each resource's primary-key columns and ``headers`` its
    columns; ``fetched`` is the ISO date of the fetch, written into every
    citation. A changed table that was in key order stays so; one that was
    not (``markets``) keeps its order, with new rows at its end.
    """
    plan = Plan(tables)
    in_order = {
        name: rows == sorted(rows, key=lambda r, k=keys[name]: _order(r, k))
        for name, rows in tables.items()
    }
    for figure in figures:
        rows = tables[figure.table]
        key_columns = keys[figure.table]
        where = f"{figure.table} {' '.join(figure.key)} {WHAT[figure.column]}"
        row = next((r for r in rows if tuple(r[k] for k in key_columns) == figure.key), None)
        if row is None:
            row = _new_row(figure, key_columns, headers[figure.table], rows)
            if row is None:
                continue
            rows.append(row)
        if row.get("months") == "2":
            continue  # a January-February row: the service's figure is February's alone
        shipped = row[figure.column].strip()
        new = f"{figure.value:.{figure.decimals}f}"
        owned = _citation(row, figure.column, service) is not None
        if shipped and not owned:
            if not _agrees(float(shipped), figure.value, row.get("rounded_to_usd_bn", "")):
                plan.disagreements.append(
                    f"{where}: shipped {shipped}, {service.tag} {new} ({figure.series}); "
                    "the shipped figure is kept"
                )
            continue
        if shipped and float(shipped) == figure.value:
            continue
        if shipped:
            agree = _agrees(float(shipped), figure.value, row.get("rounded_to_usd_bn", ""))
            move = f"{where}: {shipped} -> {new} ({service.tag} {figure.series})"
            (plan.revised if agree else plan.to_confirm).append(move)
        else:
            plan.filled.append(f"{where}: {new} ({service.tag} {figure.series})")
        row[figure.column] = new
        _cite(row, figure.column, f"{service.tag} {figure.series}, fetched {fetched}")
        if _service_row(row):
            _derive_balance(row)
            if "released" in row:
                _release(row, figure, service)
        plan.changed.add(figure.table)
    for name in plan.changed:
        if in_order[name]:
            tables[name].sort(key=lambda r, k=keys[name]: _order(r, k))
    return plan


def _new_row(
    figure: Figure, key_columns: list[str], header: list[str], rows: list[dict]
) -> dict | None:
    """A blank row for a period or partner the table lacks, or None where none is made."""
    if figure.table == "annual":
        return None  # an annual row rests on the customs release; a service alone makes none
    if figure.table == "monthly":
        year, month = figure.key[0].split("-")
        if month in ("01", "02") and any(
            r["month"] == f"{year}-02" and r["months"] == "2" for r in rows
        ):
            return None
    row = {column: "" for column in header}
    row.update(dict(zip(key_columns, figure.key, strict=True)))
    if figure.table == "monthly":
        row["months"] = "1"
        row["note"] = "balance = exports - imports (derived)"
    if "rounded_to_usd_bn" in row:
        row["rounded_to_usd_bn"] = "0.01"
    if "unit" in row:
        row["unit"] = figure.unit
    return row


def _citation(row: dict, column: str, service: Service) -> re.Match | None:
    """Where the row's source cites ``service`` for ``column``, if it does."""
    what, tag = re.escape(WHAT[column]), re.escape(service.tag)
    return re.search(
        rf"(?:^|; ){what}: {tag} [^;]*?fetched [0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}", row["source"]
    )


def _cite(row: dict, column: str, citation: str) -> None:
    """Cite ``citation`` for ``column`` in the row's source, in place of an older citation."""
    segments = [s for s in row["source"].split("; ") if s]
    segments = (
        [s for s in segments if not s.startswith(f"{WHAT[column]}: ")]
        if _service_row(row)
        else segments
    )
    for i, segment in enumerate(segments):
        if segment.startswith(f"{WHAT[column]}: ") and "fetched " in segment:
            segments[i] = f"{WHAT[column]}: {citation}"
            break
    else:
        segments.append(f"{WHAT[column]}: {citation}")
    row["source"] = "; ".join(segments)


def _service_row(row: dict) -> bool:
    """True for a row every figure of which a service gave (its source cites nothing else)."""
    segments = [s for s in row["source"].split("; ") if s]
    labels = tuple(f"{what}: " for what in WHAT.values())
    return all(s.startswith(labels) and "fetched " in s for s in segments)


def _release(row: dict, figure: Figure, service: Service) -> None:
    """Date a row every figure of which ``service`` gave with the service's last update;
    where the service gives none, leave ``released`` blank and say so in the note."""
    row["released"] = figure.released
    undated = f"released: {service.tag} gives no release date"
    notes = [n for n in row["note"].split("; ") if n and n != undated]
    row["note"] = "; ".join(notes if figure.released else [*notes, undated])


def _derive_balance(row: dict) -> None:
    if "balance_usd_bn" in row and row["exports_usd_bn"] and row["imports_usd_bn"]:
        row["balance_usd_bn"] = f"{float(row['exports_usd_bn']) - float(row['imports_usd_bn']):.2f}"


def _agrees(shipped: float, new: float, rounded_to: str) -> bool:
    rounding = float(rounded_to) if rounded_to.strip() else 0.0
    return abs(new - shipped) <= max(rounding, TOLERANCE_PCT / 100 * abs(shipped)) + 1e-9


def _order(row: dict, columns: list[str]) -> tuple:
    return tuple(_sortable(row[c]) for c in columns)


def _sortable(cell: str):
    return (0, int(cell), "") if cell.isdigit() else (1, 0, cell)


# --------------------------------------------------------------------------- running


def fetch_all(
    services: tuple[Service, ...],
    first_year: int,
    last_year: int,
    *,
    transport: Transport = urllib_transport,
    timeout: float = 30.0,
    progress: Callable[[str], None] = print,
    sleep: Callable[[float], None] | None = None,
) -> dict[str, list[Figure]]:
    """Every service's figures, by service name; a service left out says so in ``progress``.

    A request marked ``release`` gives the service's last update, which every
    figure of that service then carries. Raises the first :class:`ServiceError`;
    nothing is merged from a run in which a service failed.
    """
    figures, released = {}, {}
    wanted = [s for s in services if not s.skipped()]
    for service in services:
        if service.skipped():
            progress(service.skipped())
    steps = [(s, r) for s in wanted for r in s.requests(first_year, last_year)]
    for number, (service, request) in enumerate(steps, start=1):
        progress(f"[{number}/{len(steps)}] {service.name}: {request.label} ...")
        options = {"sleep": sleep} if sleep else {}
        body = get(
            request.url,
            service.name,
            headers=request.headers,
            transport=transport,
            timeout=timeout,
            **options,
        )
        if request.release:
            released[service.name] = service.parse_release(request, body)
            when = released[service.name] or "no date given"
            progress(f"[{number}/{len(steps)}] {service.name}: {request.label}: updated {when}")
            continue
        found = service.parse(request, body)
        progress(f"[{number}/{len(steps)}] {service.name}: {request.label}: {len(found)} figures")
        figures.setdefault(service.name, []).extend(found)
    return {
        name: [replace(f, released=released.get(name, "")) for f in found]
        for name, found in figures.items()
    }


def plan_refresh(
    folder: Path, figures: dict[str, list[Figure]], services: tuple[Service, ...], fetched: str
) -> tuple[Plan, dict[str, list[str]]]:
    """Merge every service's figures into the tables of ``folder`` (read, not written)."""
    tables, headers = read_tables(folder)
    package = read_package(folder)
    keys = {r["name"]: r["schema"].get("primaryKey", []) for r in package["resources"]}
    total = Plan(tables)
    for service in services:
        plan = merge(tables, keys, headers, service, figures.get(service.name, []), fetched)
        total.changed |= plan.changed
        for name in ("filled", "revised", "to_confirm", "disagreements"):
            getattr(total, name).extend(getattr(plan, name))
    return total, headers


def check(folder: Path, plan: Plan, headers: dict[str, list[str]]) -> None:
    """Run the loader's checks on the merged tables, in a scratch copy of ``folder``.

    Raises
    ------
    DataError
        With every problem the loader finds in the merged tables.
    """
    with tempfile.TemporaryDirectory(prefix="refresh-") as scratch:
        scratch = Path(scratch)
        for item in folder.iterdir():
            if item.is_file():
                shutil.copy2(item, scratch / item.name)
        for name in plan.changed:
            (scratch / f"{name}.csv").write_text(
                to_csv(plan.tables[name], headers[name]), encoding="utf-8"
            )
        load_actuals(scratch)


def write(folder: Path, plan: Plan, headers: dict[str, list[str]]) -> list[str]:
    """Write each changed table through a temporary file and an atomic replace."""
    written = []
    for name in sorted(plan.changed):
        target = folder / f"{name}.csv"
        text = to_csv(plan.tables[name], headers[name])
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(target.name)
    return written


class NeedsConfirmation(Exception):
    """Figures moved beyond the tolerance and the user did not accept them."""


def refresh(
    folder: Path = DATA_DIR,
    services: tuple[Service, ...] = SERVICES,
    *,
    transport: Transport = urllib_transport,
    timeout: float = 30.0,
    fetched: str,
    last_year: int,
    confirm: Callable[[list[str]], bool] = lambda moves: False,
    dry_run: bool = False,
    progress: Callable[[str], None] = print,
    report: Callable[[Plan], None] = lambda plan: None,
    sleep: Callable[[float], None] | None = None,
) -> tuple[Plan, list[str]]:
    """Fetch, merge, check and (unless ``dry_run``) write; return the plan and the files written.

    Raises
    ------
    ServiceError
        A service failed (its one-line message); nothing is written.
    DataError
        The merged tables fail the loader's checks; nothing is written.
    NeedsConfirmation
        Figures moved beyond the tolerance and ``confirm`` refused them.
    """
    figures = fetch_all(
        services,
        FIRST_YEAR,
        last_year,
        transport=transport,
        timeout=timeout,
        progress=progress,
        sleep=sleep,
    )
    plan, headers = plan_refresh(folder, figures, services, fetched)
    if plan.changed:
        check(folder, plan, headers)
    report(plan)
    if dry_run:
        return plan, []
    if plan.to_confirm and not confirm(plan.to_confirm):
        raise NeedsConfirmation(plan.to_confirm)
    return plan, write(folder, plan, headers)


__all__ = ["DataError", "NeedsConfirmation", "ServiceError", "refresh"]
