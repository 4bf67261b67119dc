"""Set up and run the project with nothing but Python 3.11+.

    python3 dev.py app     # install what the app needs in .venv, then `streamlit run app.py`
    python3 dev.py test    # install the test tools too, then lint and run the whole test suite
    python3 dev.py bench   # print the speed figures (model and app)

The virtual environment lives in ``.venv`` beside this file and is brought up
to date whenever a requirements file changes.
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


def ensure_environment(requirements: str) -> None:
    """Create ``.venv`` and install ``requirements`` unless they are installed already."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may run on an older Python
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = sorted(ROOT.glob("requirements*.txt"))
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(
        f"Installing the packages of {requirements} into .venv: about a minute the first "
        "time, with pip's progress below.",
        flush=True,
    )
    run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([PYTHON, "-m", "pip", "install", "--progress-bar", "on", "-r", ROOT / requirements])
    stamp.write_text(digest)
    print("Installed.", flush=True)


def run(command: list, **options) -> None:
    result = subprocess.run([str(part) for part in command], cwd=ROOT, **options)
    if result.returncode != 0:
        sys.exit(result.returncode)


def app(extra: list[str]) -> None:
    ensure_environment("requirements.txt")
    print(
        "Starting the app; open the address it prints below (another port: "
        "python3 dev.py app --server.port 8502). Ctrl+C stops it.",
        flush=True,
    )
    run([PYTHON, "-m", "streamlit", "run", "app.py", *extra])


def test(extra: list[str]) -> None:
    ensure_environment("requirements-dev.txt")
    run([PYTHON, "-m", "ruff", "check", "."])
    run([PYTHON, "-m", "ruff", "format", "--check", "."])
    run([PYTHON, "-m", "pytest", *extra])


def bench(extra: list[str]) -> None:
    ensure_environment("requirements-dev.txt")
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        run([PYTHON, script, *extra])


COMMANDS = {"app": app, "test": test, "bench": bench}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 dev.py {{{'|'.join(COMMANDS)}}} [arguments passed on]")
    COMMANDS[sys.argv[1]](sys.argv[2:])
