"""botocore changelogs: where the one-line summary of a release's change to a service comes from.

Releases on the package index carry no summary, so ``apigen diff --changelog PATH`` reads one of

* ``CHANGELOG.rst`` (botocore's, or boto3's: entries may start with ``[``botocore``]``)::

      1.14.10
      =======

      * api-change:``ec2``: [``botocore``] Amazon VPC Flow Logs adds support for 1-minute ...

* a ``.changes/<version>.json`` file (a list of ``{"type", "category", "description"}``), or a
  ``.changes`` folder of them, or one JSON object mapping versions to such lists.

``summary(version, service)`` joins the descriptions of the ``api-change`` entries for
``service`` in ``version``; None when there are none (the report then shows no summary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from codegen.errors import UsageError
from codegen.files import parse_json, read_text

_HEADING = re.compile(r"^(?P<version>\d+\.\d+\.\d+)\s*$")
_UNDERLINE = re.compile(r"^[=\-~^]{3,}\s*$")
_ENTRY = re.compile(
    r"^\*\s*(?P<type>[\w-]+)\s*:\s*(?P<category>``[^`]*``|[^:]*?)\s*:\s*(?P<description>.*)$"
)
_PREFIX = re.compile(r"^\[``[^`]*``\]\s*")


@dataclass(frozen=True)
class Entry:
    type: str
    category: str
    description: str


@dataclass
class Changelog:
    path: str
    releases: dict[str, list[Entry]] = field(default_factory=dict)

    def summary(self, version: str, service: str) -> str | None:
        texts = [
            e.description
            for e in self.releases.get(version, ())
            if e.type == "api-change" and e.category.lower() == service.lower()
        ]
        return " ".join(texts) if texts else None

    def has(self, version: str) -> bool:
        return version in self.releases


def _clean_category(category: str) -> str:
    return category.strip().strip("`").strip()


def _clean_description(text: str) -> str:
    return " ".join(_PREFIX.sub("", text.strip()).split())


def parse_rst(text: str, path: str = "CHANGELOG.rst") -> Changelog:
    log = Changelog(path)
    lines = text.splitlines()
    current: list[Entry] | None = None
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading and i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1]):
            current = log.releases.setdefault(heading.group("version"), [])
            continue
        if current is None:
            continue
        entry = _ENTRY.match(line)
        if entry:
            current.append(
                Entry(
                    entry.group("type"),
                    _clean_category(entry.group("category")),
                    _clean_description(entry.group("description")),
                )
            )
        elif line.startswith((" ", "\t")) and line.strip() and current:
            last = current[-1]  # a wrapped description goes on
            current[-1] = Entry(last.type, last.category, f"{last.description} {line.strip()}")
    return log


def _entries(data: object, where: str) -> list[Entry]:
    if not isinstance(data, list):
        raise UsageError(message=f"--changelog {where}: expected a list of changes")
    out = []
    for item in data:
        if isinstance(item, dict) and "description" in item:
            out.append(
                Entry(
                    str(item.get("type", "")),
                    _clean_category(str(item.get("category", ""))),
                    _clean_description(str(item["description"])),
                )
            )
    return out


def load_changelog(path: str | Path) -> Changelog:
    p = Path(path)
    if p.is_dir():
        log = Changelog(str(p))
        for file in sorted(p.glob("*.json")):
            if _HEADING.match(file.stem):
                log.releases[file.stem] = _entries(_load_json(file), str(file))
        if not log.releases:
            raise UsageError(message=f"--changelog {path}: no <version>.json files in this folder")
        return log
    text = read_text(p, f"--changelog {path}")
    if p.suffix == ".json" or text.lstrip().startswith(("[", "{")):
        data = _load_json(p, text)
        log = Changelog(str(p))
        if isinstance(data, dict):
            for version, entries in data.items():
                log.releases[str(version)] = _entries(entries, str(p))
        elif _HEADING.match(p.stem):
            log.releases[p.stem] = _entries(data, str(p))
        else:
            raise UsageError(
                message=f"--changelog {path}: a list of changes needs a file named <version>.json"
            )
        return log
    log = parse_rst(text, str(p))
    if not log.releases:
        raise UsageError(
            message=f"--changelog {path}: no release sections (a version line underlined with ===)"
        )
    return log


def _load_json(path: Path, text: str | None = None) -> object:
    if text is None:
        text = read_text(path, f"--changelog {path}")
    return parse_json(text, f"--changelog {path}")
