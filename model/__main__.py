"""Command line: run a scenario, list the presets, replay history.

    python -m model run SCENARIO.json       simulated path as CSV, one row a year
    python -m model run --preset NAME       the same for a preset
    python -m model presets                 the presets as CSV (name, label, ...)
    python -m model backtest --start YEAR   simulated vs actual as CSV, a blank line,
                                            then the error metrics as CSV

Bad input exits with status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from model.data import DataError

FLOAT_FORMAT = "%.4f"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        raise _Fail(message)


class _Fail(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", description="China trade-surplus scenario model")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = commands.add_parser("run", help="simulate a scenario and print its path as CSV")
    run.add_argument("scenario", nargs="?", help="scenario JSON file (see Scenario.to_json)")
    run.add_argument("--preset", help="run a preset instead (see: python -m model presets)")
    commands.add_parser("presets", help="list the presets as CSV")
    back = commands.add_parser("backtest", help="replay history and compare with the actual")
    back.add_argument("--start", type=int, default=2017, help="start year (default 2017)")
    back.add_argument("--end", type=int, default=None, help="last year (default: latest data)")
    commands.add_parser(
        "nowcast",
        help="the current year's published months: actual, model and naive, and the "
        "full-year estimate, as CSV",
    )
    return parser


def path_csv(result) -> str:
    """The CLI's CSV of a simulated path: totals, then exports by modelled region."""
    path = result.path
    columns = ["year", "exports_usd_bn", "imports_usd_bn", "balance_usd_bn", "world_share_pct"]
    columns += [c for c in path.columns if c.startswith("exports_") and c != "exports_usd_bn"]
    return path[columns].to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def _run(args) -> str:
    from model.presets import PRESETS
    from model.scenario import MAX_SCENARIO_BYTES, Scenario
    from model.simulate import simulate

    if (args.scenario is None) == (args.preset is None):
        raise _Fail("give either a scenario JSON file or --preset NAME")
    if args.preset is not None:
        if args.preset not in PRESETS:
            raise _Fail(f"unknown preset {args.preset!r}; known: {', '.join(PRESETS)}")
        scenario = PRESETS[args.preset].scenario
    else:
        file = Path(args.scenario)
        try:
            with file.open("rb") as stream:
                raw = stream.read(MAX_SCENARIO_BYTES + 1)  # enough to know it is too large
        except FileNotFoundError:
            raise _Fail(f"no such file: {file}") from None
        except OSError as error:
            raise _Fail(f"cannot read {file}: {error.strerror or error}") from None
        try:
            scenario = Scenario.from_json(raw)
        except ValueError as error:
            raise _Fail(f"{file}: {error}") from None
    return path_csv(simulate(scenario))


def _presets() -> str:
    from model.presets import PRESETS

    table = pd.DataFrame(
        [
            {"name": p.name, "label": p.label, "description": p.description, "source": p.source}
            for p in PRESETS.values()
        ]
    )
    return table.to_csv(index=False, lineterminator="\n")


def _backtest(args) -> str:
    from model.backtest import backtest

    result = backtest(args.start, args.end)
    table = result.table.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    metrics = result.metrics.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    return table + "\n" + metrics


def _nowcast() -> str:
    from model.nowcast import nowcast

    result = nowcast()
    columns = [c for c in result.table.columns if c != "period"]
    months = result.table[columns].to_csv(
        index=False, float_format=FLOAT_FORMAT, lineterminator="\n"
    )
    year = result.full_year.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    return months + "\n" + year


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = _parser().parse_args(argv)
        if args.command == "run":
            output = _run(args)
        elif args.command == "presets":
            output = _presets()
        elif args.command == "nowcast":
            output = _nowcast()
        else:
            output = _backtest(args)
    except (_Fail, ValueError, DataError) as error:
        message = " ".join(str(error).split())
        print(f"error: {message}", file=sys.stderr)
        return 2
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
