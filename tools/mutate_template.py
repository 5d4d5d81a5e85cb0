"""Mutation testing of the dataclasses runtime template (``make mutate``; mutmut mutates Python
files only, and this is a Jinja template of Python code).

Each mutant is one operator change on one code line of
``codegen/templates/dataclasses/runtime.py.j2`` (docstrings, comments and Jinja tags are left
alone). For each, the template is rewritten, the dataclass tests run (they generate the module
in memory from the template, so they see the mutant), and the template is restored, whatever
happens. Survivors must be listed in ``tests/mutation/equivalent.md`` as
``template:runtime.py.j2:LINE:OPERATOR`` with the reason; exit 1 if one is not.

    python tools/mutate_template.py [--list]
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "codegen" / "templates" / "dataclasses" / "runtime.py.j2"
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.md"
TESTS = [
    "tests/generators/test_dataclasses.py",
    "tests/generators/test_dataclasses_gen.py::test_the_python_3_10_fallback_runs",
    "tests/generators/test_dataclasses_gen.py::test_synthetic_model_round_trips",
]

# (name, pattern, replacement): each match on a code line is one mutant
OPERATORS: list[tuple[str, str, str]] = [
    ("is-not->is", r" is not None", " is None"),
    ("is->is-not", r" is None", " is not None"),
    ("==->!=", r" == ", " != "),
    ("!=->==", r" != ", " == "),
    ("not-dropped", r"\bnot (?=isinstance|self\.)", ""),
    ("and->or", r" and ", " or "),
    ("or->and", r" or ", " and "),
    ("not-in->in", r" not in ", " in "),
    ("value->name", r"\.value\b", ".name"),
    ("raise->return", r"^(\s*)raise _mismatch\(.*\)$", r"\1return value  # type: ignore"),
    ("utc->local", r"timezone\.utc", "timezone(timedelta(hours=1))"),
    ("index+1", r"\[\{i\}\]", "[{i + 1}]"),
    ("ignore->keep", r'== "ignore"', '== "keep"'),
]


def code_lines(text: str) -> list[int]:
    """Indexes of the lines that are Python code (not docstrings, comments or Jinja tags)."""
    out: list[int] = []
    in_doc = False
    for i, line in enumerate(text.splitlines()):
        stripped = line.strip()
        quotes = stripped.count('"""')
        if in_doc:
            if quotes % 2:
                in_doc = False
            continue
        if stripped.startswith('"""'):
            in_doc = quotes == 1
            continue
        if not stripped or stripped.startswith(("#", "{%", "{{")):
            continue
        out.append(i)
    return out


def mutants(text: str) -> list[tuple[str, str]]:
    """(mutant id, mutated template) for each operator match on each code line."""
    lines = text.splitlines(keepends=True)
    out: list[tuple[str, str]] = []
    for i in code_lines(text):
        for name, pattern, replacement in OPERATORS:
            for match in re.finditer(pattern, lines[i].rstrip("\n"), flags=re.MULTILINE):
                line = lines[i].rstrip("\n")
                mutated = line[: match.start()] + match.expand(replacement) + line[match.end() :]
                if mutated == line:
                    continue
                copy = list(lines)
                copy[i] = mutated + "\n"
                out.append((f"template:runtime.py.j2:{i + 1}:{name}", "".join(copy)))
    return out


def equivalent() -> set[str]:
    text = EQUIVALENT.read_text(encoding="utf-8") if EQUIVALENT.exists() else ""
    text = text.split("## Not equivalent")[0]
    return set(re.findall(r"^- `([^`]+)`", text, flags=re.MULTILINE))


def main() -> int:
    original = TEMPLATE.read_text(encoding="utf-8")
    todo = mutants(original)
    if "--list" in sys.argv:
        for name, _ in todo:
            print(name)
        return 0
    # stopped (SIGTERM) mid-run: still put the template back (the finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    survivors: list[str] = []
    killed = 0
    env = {**os.environ, "MUTANT_UNDER_TEST": "template"}
    try:
        for name, text in todo:
            TEMPLATE.write_text(text, encoding="utf-8")
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode == 0:
                survivors.append(name)
                print(f"SURVIVED  {name}", flush=True)
            else:
                killed += 1
                print(f"killed    {name}", flush=True)
    finally:
        TEMPLATE.write_text(original, encoding="utf-8")
    listed = equivalent()
    unexplained = [s for s in survivors if s not in listed]
    total = killed + len(survivors)
    scored = total - (len(survivors) - len(unexplained))
    print(
        f"template mutants: {total}, killed {killed}, survived {len(survivors)} "
        f"({len(survivors) - len(unexplained)} listed as equivalent)"
    )
    if scored:
        print(f"template score: {killed}/{scored} = {100 * killed / scored:.1f}%")
    for name in unexplained:
        print(f"SURVIVED (not listed as equivalent)  {name}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
