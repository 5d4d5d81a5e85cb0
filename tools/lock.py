"""The pinned environment of ``make demo`` and ``make test``: ``constraints.txt``.

``constraints.txt`` names one version of every package the two install (transitive ones
included, botocore and boto3 among them) and the build backend (setuptools). The Makefile
installs with it (``pip install -c constraints.txt``, and ``PIP_CONSTRAINT`` so that the
isolated build of this package uses the pinned setuptools too), then runs this script with
``--check``: every package of the lock must be installed at its version, or the install
fails naming the difference. So a fresh clone gets exactly the versions the lock names, and
the botocore release the README's figures were measured on.

It is updated on purpose, never by an install:

    make lock                        # everything at its newest allowed version, botocore kept
    make lock BOTOCORE=1.44.20       # the same with another botocore (boto3: its matching release)

which runs ``python tools/lock.py [--botocore VERSION]``: a fresh virtual environment in a
temporary folder, ``pip install -e '.[test,examples]'`` (botocore and boto3 pinned as asked),
then ``pip freeze`` written to ``constraints.txt`` with a header saying how it was made.
Run the whole test suite after it (``make test``) before committing a new lock: the botocore
pin decides what ``botocore:installed`` means in the tests and the README's examples.

``python tools/lock.py --check [EXTRAS]`` compares the running interpreter with the lock (what
``make demo`` and ``make test`` run after installing): every package ``apigen-codegen[EXTRAS]``
needs, transitively (as this Python's markers select them), must be installed at the version
the lock names; one missing, at another version or not in the lock is an error. Packages it
does not need (an opt-in extra such as ``bench``) are listed, not checked. pip and setuptools
come with the virtual environment and follow the Python it was made with.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "constraints.txt"
EXTRAS = "test,examples"  # what make test and make demo install
UNCHECKED = {"pip", "setuptools"}  # the virtual environment's own tools
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)\s*(?:#.*)?$")


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path = LOCK) -> dict[str, str]:
    """``{name: version}`` of every ``name==version`` line of the lock."""
    pins: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        match = _PIN.match(text)
        if match is None:
            raise SystemExit(f"{path}:{number}: not a pin (name==version): {text}")
        pins[canonical(match[1])] = match[2]
    return pins


def installed() -> dict[str, str]:
    """``{name: version}`` of the distributions this interpreter sees (this package left out)."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name and canonical(name) != "apigen-codegen":
            found[canonical(name)] = dist.version
    return found


def needed(extras: set[str]) -> tuple[set[str], set[str]]:
    """The distributions ``apigen-codegen[extras]`` needs, transitively, as this interpreter's
    markers select them: (installed names, names not installed)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # the demo environment: pip's own copy
        from pip._vendor.packaging.requirements import Requirement  # type: ignore[assignment]
    found: set[str] = set()
    missing: set[str] = set()
    todo: list[tuple[str, set[str]]] = [("apigen-codegen", extras)]
    done: set[tuple[str, frozenset[str]]] = set()
    while todo:
        name, active = todo.pop()
        if (name, frozenset(active)) in done:
            continue
        done.add((name, frozenset(active)))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            missing.add(name)
            continue
        if name != "apigen-codegen":
            found.add(name)
        for text in dist.requires or ():
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is not None and not any(
                marker.evaluate({"extra": extra}) for extra in (active or {""})
            ):
                continue
            todo.append((canonical(requirement.name), set(requirement.extras)))
    return found, missing


def check(extras: set[str], lock: Path = LOCK) -> int:
    """0 when every package ``apigen-codegen[extras]`` needs is installed at its locked version."""
    pins = read_lock(lock)
    have = installed()
    wanted, missing = needed(extras)
    problems = [f"{name}: needed, not installed" for name in sorted(missing)]
    problems += [
        f"{name}: installed {have.get(name)}, "
        + (f"locked {pins[name]}" if name in pins else "not in the lock (run make lock)")
        for name in sorted(wanted)
        if have.get(name) != pins.get(name)
    ]
    shown = f"apigen-codegen[{','.join(sorted(extras))}]" if extras else "apigen-codegen"
    if problems:
        print(f"{lock.name}: {shown} is not installed as locked:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("  (reinstall: rm -rf .venv && make test; or update the lock: make lock)")
        return 1
    others = sorted(set(have) - wanted - UNCHECKED)
    note = f"; also installed, not needed by it: {', '.join(others)}" if others else ""
    print(f"{lock.name}: {shown}: {len(wanted)} packages, each at its locked version{note}")
    return 0


def current_botocore(lock: Path = LOCK) -> str | None:
    return read_lock(lock).get("botocore") if lock.exists() else None


def make_lock(botocore: str, lock: Path = LOCK) -> None:
    with tempfile.TemporaryDirectory(prefix="apigen-lock-") as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        pip = [python, "-m", "pip", "--disable-pip-version-check"]
        subprocess.run(
            [*pip, "install", "--quiet", "-e", f"{ROOT}[{EXTRAS}]", f"botocore=={botocore}"],
            check=True,
        )
        frozen = subprocess.run(
            [*pip, "freeze", "--all", "--exclude-editable"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        version = subprocess.run(
            [python, "-c", "import platform; print(platform.python_version())"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    pins = sorted(
        (
            line
            for line in frozen.splitlines()
            if _PIN.match(line) and not line.startswith("pip==")
        ),
        key=lambda line: canonical(line.split("==")[0]),
    )
    header = [
        "# The environment of `make demo` and `make test`: every package, pinned (tools/lock.py).",
        f"# Made by `make lock BOTOCORE={botocore}` with Python {version}: the extras [{EXTRAS}],",
        "# botocore pinned on purpose (the README's figures name it), the rest at their newest",
        "# versions then. Update it on purpose only (make lock), then run the whole suite.",
    ]
    lock.write_text("\n".join([*header, *pins]) + "\n", encoding="utf-8")
    print(f"wrote {lock} ({len(pins)} pins, botocore {botocore})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        metavar="EXTRAS",
        nargs="?",
        const=EXTRAS,
        help="compare the environment with the lock (apigen-codegen[EXTRAS]; default: "
        f"{EXTRAS}; '' for none)",
    )
    parser.add_argument("--botocore", metavar="VERSION", help="the botocore release to pin")
    parser.add_argument("--lock", type=Path, default=LOCK, help=f"default: {LOCK.name}")
    args = parser.parse_args(argv)
    if args.check is not None:
        return check({e for e in args.check.split(",") if e}, args.lock)
    botocore = args.botocore or current_botocore(args.lock)
    if not botocore:
        parser.error("no botocore pin yet: pass --botocore VERSION")
    make_lock(botocore, args.lock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
