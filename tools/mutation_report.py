"""The score of the last ``make mutate`` run, and the survivors not explained as equivalent.

Reads mutmut's results (``mutants/**/*.py.meta``) for the mutants ``tests/mutation/targets.txt``
selects, and ``tests/mutation/equivalent.md`` (each equivalent mutant's name in backquotes at
the start of a list item, with the reason). Prints the counts, the score (killed / checked,
equivalent mutants left out of both) and every survivor that is not listed; exits 1 if there
is one (so a new survivor needs a test or a reason).
"""

from __future__ import annotations

import fnmatch
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ROOT / "tests" / "mutation" / "targets.txt"
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.md"

STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", None: "not checked"}
STATUS.update(
    {33: "no tests", 34: "skipped", 35: "suspicious", 36: "timeout", 37: "caught by type check"}
)
STATUS.update(
    {-24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", -11: "segfault", -9: "killed"}
)


def targets() -> list[str]:
    lines = TARGETS.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def equivalent() -> set[str]:
    """The names listed as equivalent (the gaps section at the end does not count)."""
    text = EQUIVALENT.read_text(encoding="utf-8") if EQUIVALENT.exists() else ""
    text = text.split("## Not equivalent")[0]
    return set(re.findall(r"^- `([^`]+)`", text, flags=re.MULTILINE))


def results() -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        out.update(data.get("exit_code_by_key", {}))
    return out


def main() -> int:
    patterns = targets()
    chosen = {
        name: code
        for name, code in results().items()
        if any(fnmatch.fnmatch(name, p) for p in patterns)
    }
    if not chosen:
        print("no results: run `make mutate` first", file=sys.stderr)
        return 2
    listed = equivalent()
    statuses = Counter(STATUS.get(code, "suspicious") for code in chosen.values())
    survivors = sorted(n for n, c in chosen.items() if STATUS.get(c, "suspicious") == "survived")
    unexplained = [n for n in survivors if n not in listed]
    equivalent_survivors = [n for n in survivors if n in listed]
    checked = sum(statuses[s] for s in ("killed", "survived", "timeout", "caught by type check"))
    caught = statuses["killed"] + statuses["timeout"] + statuses["caught by type check"]
    denominator = checked - len(equivalent_survivors)
    print(f"mutants selected: {len(chosen)}")
    for status, count in sorted(statuses.items()):
        print(f"  {status}: {count}")
    print(f"equivalent (tests/mutation/equivalent.md): {len(equivalent_survivors)}")
    if denominator:
        print(
            f"score: {caught}/{denominator} = {100 * caught / denominator:.1f}% "
            "(killed / checked, equivalent mutants left out)"
        )
    for name in unexplained:
        print(f"SURVIVED  {name}   (mutmut show {name})")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
