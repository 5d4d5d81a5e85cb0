"""The pages' examples as the tests read them (``tests/test_readme.py`` runs them,
``tests/test_packaging.py`` runs the command sessions against an installed wheel).

The pages are README.md and every ``docs/**/*.md``. An example is a fenced block or an inline
command of a page:

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


def pages(root: Path = ROOT) -> list[Path]:
    """The pages whose examples run and whose links resolve: README.md and docs/**/*.md."""
    return [root / "README.md", *sorted((root / "docs").rglob("*.md"))]


@dataclass(frozen=True)
class Example:
    kind: str  # "sh", "session", "session-sh", "python", "inline"
    text: str
    line: int
    page: Path = README

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()} line {self.line}"

    @property
    def id(self) -> str:
        first = self.text.strip().splitlines()[0]
        return f"{self.page.relative_to(ROOT).as_posix()}:L{self.line}-{self.kind}-{first[:40]}"


FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.DOTALL | re.MULTILINE)


def without_fences(text: str) -> str:
    """``text`` with every fenced block blanked out (line numbers kept)."""
    for m in reversed(list(FENCE.finditer(text))):
        text = text[: m.start()] + "\n" * m.group(0).count("\n") + text[m.end() :]
    return text


def page_examples(page: Path) -> list[Example]:
    text = page.read_text(encoding="utf-8")
    found: list[Example] = []
    for m in FENCE.finditer(text):
        lang, body = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        if lang == "sh":
            found.append(Example("sh", body, line, page))
        elif lang == "python":
            found.append(Example("session" if ">>> " in body else "python", body, line, page))
        elif not lang and body.startswith("$ "):
            found.append(Example("session-sh", body, line, page))
    prose = without_fences(text)
    for m in re.finditer(r"`(apigen [^`]+)`", prose):
        command = m.group(1)
        if len(command.split()) < 3:
            continue  # a command named in passing (`apigen import`), not an example
        if "..." not in command and not any(w in command for w in ("VERSION", "SPEC", "FILE")):
            found.append(Example("inline", command, prose.count("\n", 0, m.start()) + 1, page))
    return found


def examples(page: Path | None = None) -> list[Example]:
    """The examples of one page, or of every page."""
    return [e for p in ([page] if page else pages()) for e in page_examples(p)]


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
