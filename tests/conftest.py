"""Shared fixtures.

botocore releases are fetched from the package index once and cached under ``.cache/`` in
the checkout (git-ignored), so a second run of the suite works offline.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "ec2-2020-02-04-flow-logs.txt"
SPEC = ROOT / "specs" / "ec2" / "flow-logs.json"

os.environ.setdefault("APIGEN_CACHE_DIR", str(ROOT / ".cache" / "apigen"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("APIGEN_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="opt-in: set APIGEN_SLOW_TESTS=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
