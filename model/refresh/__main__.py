"""``python -m model.refresh``: bring ``data/`` up to date from the official services.

Exit status: 0 when done (or nothing to do), 1 when a service failed or the
merged tables fail the checks, 2 for moves beyond the tolerance not accepted.
``data/`` is left untouched in every case but 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from model.data import DATA_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m model.refresh",
        description="Refresh the actual figures in data/ from the IMF, the World Bank, "
        "Eurostat and (with COMTRADE_API_KEY) UN Comtrade.",
    )
    parser.add_argument("--yes", action="store_true", help="accept moves beyond the tolerance")
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        from model import refresh as refreshing
        from model.refresh.fetch import NoNetwork
    except ImportError as error:
        print(
            f"The refresh packages are not installed ({error.name}): run `python3 dev.py refresh`.",
            file=sys.stderr,
        )
        return 1

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def confirm(moves: list[str]) -> bool:
        if args.yes:
            return True
        if not sys.stdin.isatty():
            return False
        return input(f"Accept these {len(moves)} moves? [y/N] ").strip().lower() in ("y", "yes")

    today = dt.date.today()
    try:
        _, written = refreshing.refresh(
            args.data,
            timeout=args.timeout,
            fetched=today.isoformat(),
            last_year=today.year,
            confirm=confirm,
            dry_run=args.dry_run,
            progress=progress,
            report=lambda plan: _report(plan),
        )
    except NoNetwork as error:
        print(f"No network: {error}; data/ is unchanged.", file=sys.stderr)
        return 1
    except refreshing.ServiceError as error:
        print(f"{error}; data/ is unchanged.", file=sys.stderr)
        return 1
    except refreshing.DataError as error:
        print(
            f"The refreshed tables fail the checks, so nothing was written.\n{error}",
            file=sys.stderr,
        )
        return 1
    except refreshing.NeedsConfirmation as error:
        print(
            f"{len(error.args[0])} figure(s) moved beyond the tolerance; nothing was written. "
            "Run again with --yes to accept them.",
            file=sys.stderr,
        )
        return 2
    if args.dry_run:
        print("Dry run: nothing was written.")
    elif written:
        print("Wrote " + ", ".join(f"data/{name}" for name in written) + ".")
    else:
        print("data/ is up to date: nothing to write.")
    return 0


def _report(plan) -> None:
    sections = [
        ("Gaps filled and rows added", plan.filled),
        ("Revisions within the tolerance", plan.revised),
        (f"Moves beyond the tolerance ({_tolerance()}), to confirm", plan.to_confirm),
        ("Service figures that disagree with the shipped ones (shipped kept)", plan.disagreements),
    ]
    for title, lines in sections:
        if lines:
            print(f"{title}:")
            for line in lines:
                print(f"  {line}")


def _tolerance() -> str:
    from model.refresh import TOLERANCE_PCT

    return f"more than the row's rounding and {TOLERANCE_PCT:g}%"


if __name__ == "__main__":
    sys.exit(main())
