"""The README's examples as the tests read them (``tests/test_readme.py`` runs them,
``tests/test_packaging.py`` runs the command sessions against an installed wheel).

An example is a fenced block or an inline command of a Markdown page:

* ```` ```sh ```` blocks (``sh``): commands, one a line;
* blocks that start with ``$ command`` (``session-sh``): the command and the output it prints,
  ``...`` matching anything (:func:`pattern`);
* ```` ```python ```` blocks: doctest sessions (``session``, they hold ``>>>``) or scripts
  (``python``);
* inline ``apigen ...`` commands of three words or more in the prose (``inline``), unless they
  hold a placeholder (``...``, ``VERSION``, ``SPEC``, ``FILE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.support.paths import ROOT

README = ROOT / "README.md"


@dataclass(frozen=True)
class Example:
    kind: str  # "sh", "session", "python", "inline"
    text: str
    line: int

    @property
    def id(self) -> str:
        first = self.text.strip().splitlines()[0]
        return f"L{self.line}-{self.kind}-{first[:40]}"


def examples(page: Path = README) -> list[Example]:
    """The examples of a Markdown page, in the order they appear."""
    text = page.read_text(encoding="utf-8")
    found: list[Example] = []
    fences = list(re.finditer(r"^```(\w*)\n(.*?)^```\s*$", text, re.DOTALL | re.MULTILINE))
    for m in fences:
        lang, body = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        if lang == "sh":
            found.append(Example("sh", body, line))
        elif lang == "python":
            found.append(Example("session" if ">>> " in body else "python", body, line))
        elif not lang and body.startswith("$ "):
            found.append(Example("session-sh", body, line))
    prose = text
    for m in reversed(fences):
        prose = prose[: m.start()] + "\n" * m.group(0).count("\n") + prose[m.end() :]
    for m in re.finditer(r"`(apigen [^`]+)`", prose):
        command = m.group(1)
        if len(command.split()) < 3:
            continue  # a command named in passing (`apigen import`), not an example
        if "..." not in command and not any(w in command for w in ("VERSION", "SPEC", "FILE")):
            found.append(Example("inline", command, prose.count("\n", 0, m.start()) + 1))
    return found


def pattern(expected: str) -> re.Pattern[str]:
    """``expected`` as a regular expression: ``...`` alone on a line matches any lines,
    elsewhere any text."""
    parts = []
    for line in expected.rstrip("\n").split("\n"):
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = [re.escape(piece) for piece in line.rstrip().split("...")]
            parts.append(".*?".join(pieces) + r"\n")
    return re.compile("".join(parts), re.DOTALL)


def normalized(output: str) -> str:
    return "".join(line.rstrip() + "\n" for line in output.rstrip("\n").split("\n"))
