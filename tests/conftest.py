"""Shared fixtures.

botocore releases are fetched from the package index once and cached where the ``apigen``
command caches them (``codegen.bridge.releases.cache_root``: ``$APIGEN_CACHE_DIR``, else
``$XDG_CACHE_HOME/apigen``, else ``~/.cache/apigen``), so a second run works offline.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The source document the spec transcribes, kept beside it (a copy of ../shared/seeds/...).
SEED = ROOT / "specs" / "ec2" / "sources" / "ec2-2020-02-04-flow-logs.txt"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / SEED.name
SPEC = ROOT / "specs" / "ec2" / "flow-logs.json"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("APIGEN_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="opt-in: set APIGEN_SLOW_TESTS=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The numbers of the whole-service differential test, when it ran."""
    import sys

    support = sys.modules.get("differential_support")
    line = support.summary() if support is not None else None
    if line:
        terminalreporter.write_line(line)
