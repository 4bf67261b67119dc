"""Set up and run the project with nothing but Python 3.11+.

    python3 dev.py app     # install what the app needs in .venv, then `streamlit run app.py`
    python3 dev.py test    # install the test tools too, then lint and run the whole test suite
    python3 dev.py bench   # print the speed figures (model and app)
    python3 dev.py refresh # the refresh packages in .venv-refresh, then `python -m model.refresh`

The virtual environment lives in ``.venv`` beside this file and is brought up
to date whenever a requirements file changes. The refresh packages pin their
own pandas, so they have an environment of their own, ``.venv-refresh``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
REFRESH_VENV = ROOT / ".venv-refresh"
REFRESH_PYTHON = REFRESH_VENV / BIN.name / PYTHON.name


def ensure_environment(requirements: str, env: Path = VENV) -> None:
    """Create ``env`` and install ``requirements`` unless they are installed already."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may run on an older Python
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    python = env / BIN.name / PYTHON.name
    if not python.exists():
        print(f"Creating {env.name} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(env)
    files = sorted(ROOT.glob("requirements*.txt"))
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = env / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"Installing {requirements} ...", flush=True)
    run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([python, "-m", "pip", "install", "--quiet", "-r", ROOT / requirements])
    stamp.write_text(digest)


def run(command: list, **options) -> None:
    result = subprocess.run([str(part) for part in command], cwd=ROOT, **options)
    if result.returncode != 0:
        sys.exit(result.returncode)


def app(extra: list[str]) -> None:
    ensure_environment("requirements.txt")
    run([PYTHON, "-m", "streamlit", "run", "app.py", *extra])


def test(extra: list[str]) -> None:
    ensure_environment("requirements-dev.txt")
    run([PYTHON, "-m", "ruff", "check", "."])
    run([PYTHON, "-m", "ruff", "format", "--check", "."])
    # The refresh tests need the refresh packages, which live in their own environment
    # (the main run skips them); the shared conftest needs Streamlit, which is not there.
    # They run first, so that the whole suite's summary is the last line printed.
    ensure_environment("requirements-refresh.txt", REFRESH_VENV)
    run([REFRESH_PYTHON, "-m", "pytest", "--noconftest", "-q", "tests/test_refresh.py"])
    run([PYTHON, "-m", "pytest", *extra])


def bench(extra: list[str]) -> None:
    ensure_environment("requirements-dev.txt")
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        run([PYTHON, script, *extra])


def refresh(extra: list[str]) -> None:
    ensure_environment("requirements-refresh.txt", REFRESH_VENV)
    run([REFRESH_PYTHON, "-m", "model.refresh", *extra])


COMMANDS = {"app": app, "test": test, "bench": bench, "refresh": refresh}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 dev.py {{{'|'.join(COMMANDS)}}} [arguments passed on]")
    COMMANDS[sys.argv[1]](sys.argv[2:])
