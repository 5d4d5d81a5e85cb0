"""Shared helpers of the catastrophic-backtracking tests (this module holds no tests).

* :func:`growth` - how much longer a call takes on a longer input than on a shorter one (best
  of several runs each: a loaded machine only ever adds time), the measure the tests bound
  instead of an absolute time;
* :func:`linear` - the generated runtime's ``_Dfa`` for a pattern, whatever matcher the
  generated code would choose for it (so that the differential tests reach the automaton
  even on the patterns ``re`` keeps); :func:`lazy` - its ``_Lazy`` (the NFA run as an
  automaton built while reading), likewise;
* :func:`installed_validators` - the validators generated from a whole service of the
  installed botocore, imported from files as users import them;
* :class:`Served` - ``apigen serve`` in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from codegen import automata, nfa, regex_safety
from codegen.generators.base import GenerationContext
from codegen.generators.validators import ValidatorsGenerator
from codegen.pipeline import release_spec
from tests.support.helpers import release
from tests.support.imports import fresh_name, generate_into, import_generated, scratch

# A linear matcher's time may grow by this factor times the growth of the input's length (and
# of a linear baseline's time); backtracking that doubles per character exceeds it by far.
GENEROUS = 4.0


def best_time(call: Callable[[], object], repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def growth(call: Callable[[str], object], short: str, long: str, repeat: int = 7) -> float:
    """``call(long)``'s time over ``call(short)``'s (each the best of ``repeat`` runs)."""
    return best_time(lambda: call(long), repeat) / max(
        best_time(lambda: call(short), repeat), 1e-7
    )


def bound(short: str, long: str, baseline: float = 1.0) -> float:
    """The largest growth a linear matcher is allowed from ``short`` to ``long``: generous
    over the growth of the length, and over a linear baseline's growth in the same run."""
    return GENEROUS * max(len(long) / max(len(short), 1), baseline)


@cache
def linear(pattern: str) -> Any:
    """The generated runtime's ``_Dfa`` for the portable ``pattern`` (its minimal automaton)."""
    table = regex_safety.encode(automata.dfa(pattern, regex_safety.MAX_STATES))
    assert table is not None, pattern
    runtime = regex_safety._runtime()
    return runtime["_Dfa"](
        table.ranges, table.rows, class_width=table.class_width, state_width=table.state_width
    )


def lazy(pattern: str) -> Any:
    """A new generated runtime's ``_Lazy`` for the portable ``pattern`` (no state built yet)."""
    return regex_safety.lazy_matcher(nfa.encode(nfa.compile_nfa(pattern)))


@cache
def installed_validators(service: str) -> ModuleType:
    """The generated validators of ``service`` of the installed botocore (a module or, for a
    large service, the lazy package), written to a folder and imported."""
    spec = release_spec(release("installed"), service)
    folder = scratch(service)
    generate_into(folder, GenerationContext(model=spec.model(), spec=spec), ValidatorsGenerator())
    return import_generated(fresh_name(service), folder, "validators")


class Served:
    """``apigen serve SPEC --port 0 --quiet`` in a subprocess."""

    def __init__(self, spec: Path) -> None:
        apigen = str(Path(sys.executable).parent / "apigen")
        self.proc = subprocess.Popen(
            [apigen, "serve", str(spec), "--port", "0", "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        finally:
            self.proc.kill()
