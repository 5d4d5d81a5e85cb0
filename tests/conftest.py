"""The suite's root: the ``slow`` marker's opt-in, the summary lines of the differential test
and of the lifecycle and waiter measures, and how test modules are imported.

Layout: ``tests/`` mirrors the package (``tests/generators/`` tests ``codegen/generators/``,
and so on; tests of top-level modules such as the loader, the CLI or ``apigen update`` sit
here), shared helpers are in the :mod:`tests.support` package (no tests there), fixtures in the
``conftest.py`` of the folder that uses them, data in ``tests/fixtures/``.

Import mode: every folder of ``tests/`` is a package (it has an ``__init__.py``), and pytest's
default ``prepend`` mode imports each test module by its full dotted name from the checkout's
root (``tests.diff.test_command``, ``tests.server.test_state``). Two modules of one basename in
different folders therefore cannot collide in ``sys.modules``, and a helper is imported the
one way everywhere: ``from tests.support.helpers import release``. This was chosen over
``--import-mode=importlib`` because that mode puts nothing on ``sys.path``, so
``tests.support`` would need a ``pythonpath`` setting as well, and it imports test modules
under names of its own making, where pickling, ``dataclasses`` and hypothesis look modules up by
``__module__``. The packages also give mypy one name per file (it refuses two ``conftest``
modules otherwise), and work unchanged in the copy of the checkout ``make mutate`` runs in.

Markers (``pyproject.toml``): ``network`` tests fetch botocore releases from the package index
once; they are cached where the ``apigen`` command caches them
(``codegen.bridge.releases.cache_root``: ``$APIGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/apigen``,
else ``~/.cache/apigen``), so a second run works offline. ``slow`` tests run only with
``APIGEN_SLOW_TESTS=1``.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis.internal.conjecture import providers as _hypothesis_providers

_PACKAGE = Path(__file__).resolve().parent.parent / "codegen"


def _skip_generated_code_constants() -> None:
    """Hypothesis seeds its strategies with the literals of every "local" module imported so far:
    it parses the source of each new one before the next example. The suite imports thousands
    of generated modules from temporary folders (whole services, EC2 split into packages), and
    each worker parsed them all again: 70 s of a three-minute test, and the reason a test could
    take ten times as long in the whole run as alone. Their literals are not what the strategies
    here need (they are built from the models), so only the package's own modules are read.
    Hypothesis is pinned (constraints.txt); if a release drops this hook the suite is slower,
    not wrong."""
    local = getattr(_hypothesis_providers, "is_local_module_file", None)
    if local is None:
        return

    @lru_cache(8192)
    def package_only(path: str) -> bool:
        return Path(path).resolve().is_relative_to(_PACKAGE) and bool(local(path))

    _hypothesis_providers.is_local_module_file = package_only  # type: ignore[attr-defined]


_skip_generated_code_constants()


# The slowest test files, slowest first (``--durations=0`` over the whole suite, 8 December
# 2026). ``make test`` hands whole files to its two workers (pytest-xdist ``--dist loadfile``)
# in the order they are collected; a slow file handed out last keeps one core busy minutes
# after the other has finished. Collected first, they run while the many short files fill the
# other core, and the two end together. A file missing here only runs in its usual place.
SLOWEST_FIRST = (
    "tests/generators/test_validators_differential_services.py",
    "tests/test_whole_services.py",
    "tests/test_readme.py",
    "tests/test_whole_ec2.py",
    "tests/generators/test_protocol_round_trips.py",
    "tests/generators/test_validators_differential.py",
    "tests/generators/test_split.py",
    "tests/test_loader.py",
    "tests/test_regex_safety.py",
    "tests/bridge/test_release_cache.py",
    "tests/test_regexes.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.partition("::")[0], len(rank)))  # stable
    if os.environ.get("APIGEN_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="opt-in: set APIGEN_SLOW_TESTS=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The numbers of the whole-service differential test, when it ran."""
    for name in ("tests.support.differential", "tests.support.lifecycle"):
        support = sys.modules.get(name)
        text = support.summary() if support is not None else None
        for line in (text or "").splitlines():
            terminalreporter.write_line(line)
