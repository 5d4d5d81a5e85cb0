"""Suppression files (``apigen diff --ignore FILE``): silence changes you know about.

Plain text, one entry per line, ``#`` starts a comment::

    # every change by one rule
    ChangedDocumentation
    # one change, by its fingerprint (the 12 hex digits reports show)
    3f2a9c1d0b7e
    # a path pattern: service/operation/direction/path, shell-style wildcards
    ec2/DescribeFlowLogs/response/FlowLogs.*
    # a pattern without '/' matches the member path alone
    FlowLogs.MaxAggregationInterval
    # a rule and a pattern together: both must match
    AddedEnumValue ec2/*/response/*

Tokens may also be written ``rule:ID``, ``path:PATTERN``, ``fingerprint:HEX``. A JSON file holds
a list of such strings, or of objects ``{"rule", "path", "fingerprint", "reason"}``.

An entry that matches no change is reported back (the CLI warns on standard error), so stale
entries do not pile up.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from codegen.diff.engine import Change
from codegen.diff.rules import RULES_BY_ID
from codegen.errors import UsageError, displayable, excerpt
from codegen.files import parse_json, read_text

_FINGERPRINT = re.compile(r"[0-9a-f]{12}")
# fnmatch compiles a path into a regular expression first: seconds for a line of megabytes
_WILDCARD = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Suppression:
    source: str  # "FILE:LINE" or "FILE[index]"
    text: str
    rule: str | None = None
    path: str | None = None
    fingerprint: str | None = None

    def matches(self, change: Change) -> bool:
        if self.fingerprint is not None and change.fingerprint != self.fingerprint:
            return False
        if self.rule is not None and change.rule != self.rule:
            return False
        if self.path is not None:
            target = change.location if "/" in self.path else change.path
            if _WILDCARD.search(self.path) is None:  # plain text: no pattern to compile
                if target != self.path:
                    return False
            elif not fnmatchcase(target, self.path):
                return False
        return True

    def hint(self) -> str:
        """Why an unmatched entry may be wrong (a misspelt rule id), or ''."""
        if (
            self.path is not None
            and "/" not in self.path
            and self.rule is None
            and len(self.path) < 100
        ):
            close = difflib.get_close_matches(self.path, list(RULES_BY_ID), n=1)
            if close:
                return f" (did you mean rule {close[0]}?)"
        return ""


def _parse_tokens(tokens: list[str], source: str, text: str) -> Suppression:
    rule = path = fingerprint = None
    for token in tokens:
        kind, sep, value = token.partition(":")
        if sep and kind in ("rule", "path", "fingerprint"):
            if kind == "rule":
                if value not in RULES_BY_ID:
                    raise UsageError(
                        message=f"--ignore {source}: unknown rule id {excerpt(value)}"
                    )
                rule = value
            elif kind == "path":
                path = value
            else:
                fingerprint = value.lower()
        elif token in RULES_BY_ID:
            rule = token
        elif _FINGERPRINT.fullmatch(token.lower()):
            fingerprint = token.lower()
        else:
            path = token
    return Suppression(source, text, rule, path, fingerprint)


def parse_suppressions(text: str, name: str) -> list[Suppression]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        return _parse_json(text, name)
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        tokens = content.split()
        if len(tokens) > 3:
            raise UsageError(
                message=f"--ignore {name}:{number}: expected at most a rule, a path and a fingerprint"
            )
        entries.append(_parse_tokens(tokens, f"{name}:{number}", content))
    return entries


def _parse_json(text: str, name: str) -> list[Suppression]:
    data = parse_json(text, f"--ignore {name}")
    if not isinstance(data, list):
        raise UsageError(message=f"--ignore {name}: a JSON suppression file holds a list")
    entries = []
    for index, item in enumerate(data):
        where = f"{name}[{index}]"
        if isinstance(item, str):
            entries.append(_parse_tokens(item.split(), where, item))
        elif isinstance(item, dict):
            tokens = [f"{k}:{item[k]}" for k in ("rule", "path", "fingerprint") if item.get(k)]
            if not tokens:
                raise UsageError(
                    message=f"--ignore {where}: needs a rule, a path or a fingerprint"
                )
            entries.append(_parse_tokens(tokens, where, " ".join(tokens)))
        else:
            raise UsageError(message=f"--ignore {where}: expected a string or an object")
    return entries


def load_suppressions(path: str | Path) -> list[Suppression]:
    text = read_text(Path(path), f"--ignore {path}")
    return parse_suppressions(text, displayable(str(path)))


def apply_suppressions(
    changes: Iterable[Change], entries: list[Suppression]
) -> tuple[list[Change], list[Change], list[Suppression]]:
    """Split ``changes`` into (kept, suppressed); also return the entries that matched nothing."""
    kept: list[Change] = []
    suppressed: list[Change] = []
    used: set[int] = set()
    for change in changes:
        hit = [i for i, entry in enumerate(entries) if entry.matches(change)]
        if hit:
            used.update(hit)
            suppressed.append(change)
        else:
            kept.append(change)
    unmatched = [entry for i, entry in enumerate(entries) if i not in used]
    return kept, suppressed, unmatched
