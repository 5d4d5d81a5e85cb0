"""Splitting a large service's generated module into a package of modules loaded lazily.

A service with more than :data:`SPLIT_THRESHOLD` operations gets a package (``validators/``,
``shapes/``) instead of one module: an ``__init__.py`` giving the public API by name (lazily,
through a module ``__getattr__``), a runtime module, and the definitions spread over modules
so that using one operation imports little.

The partition is deterministic and stable:

* operations go into :func:`bucket_count` buckets by a stable hash of their name
  (``zlib.crc32``), a power of two derived from the operation count, so that adding an
  operation changes one bucket's module, not every module;
* a definition (function, constant, class) reached from the roots of one bucket only lives in
  that bucket's module (``_ops_NN``);
* a definition reached from several buckets lives in a shared module named after the set of
  buckets that reach it (its *reach signature*). Reach sets are monotone (if S uses T, every
  bucket reaching S reaches T), so a module only imports modules of larger signatures: no
  import cycles. A bucket's module imports exactly the shared modules its own definitions
  need, so using one operation loads its bucket and the shared code that bucket reaches,
  nothing else.

Both generators with the package layout (validators, dataclasses) take it from here, written
once: the ``layout`` option (:class:`SplitLayout`), the modules with their definitions and
imports (:func:`package_modules`) and the orders ruff wants (:func:`isort_member`,
:func:`all_order`). Each gives its own definitions and roots, and renders the modules with its
own templates.
"""

from __future__ import annotations

import functools
import re
import symtable
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# more operations than this: a package of modules (fewer: one module, as always)
SPLIT_THRESHOLD = 64
OPERATIONS_PER_BUCKET = 16
MIN_BUCKETS = 8

LAYOUTS = ("auto", "single", "split")


def is_large(operations: int, layout: str = "auto") -> bool:
    """Whether a service of ``operations`` operations gets the package layout."""
    if layout == "single":
        return False
    if layout == "split":
        return True
    return operations > SPLIT_THRESHOLD


class SplitLayout:
    """A generator that gives a large service the package layout: its option ``layout``,
    ``"auto"`` (a package for more than :data:`SPLIT_THRESHOLD` operations), or ``"single"`` /
    ``"split"`` to force one (benchmarks and tests compare them)."""

    def __init__(self, layout: str = "auto") -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        self.layout = layout

    def split(self, operations: int) -> bool:
        """Whether a service of ``operations`` operations gets the package layout."""
        return is_large(operations, self.layout)


def bucket_count(operations: int) -> int:
    """A power of two, about :data:`OPERATIONS_PER_BUCKET` operations per bucket."""
    count = MIN_BUCKETS
    while count * OPERATIONS_PER_BUCKET < operations:
        count *= 2
    return count


def bucket_of(key: str, count: int) -> int:
    """The bucket of ``key`` (an operation or shape name): a stable hash, not Python's."""
    return zlib.crc32(key.encode("utf-8")) & (count - 1)


# string literals and comments: their words are not references
_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|#[^\n]*"
)
_WORD = re.compile(r"[A-Za-z_]\w*")


def words(code: str) -> set[str]:
    """The identifiers ``code`` uses (outside string literals and comments)."""
    return set(_WORD.findall(_NOT_CODE.sub(" ", code)))


def referenced(code: str) -> set[str]:
    """The names ``code`` (a class or function definition) reads from the module's globals
    (annotations included): what its module must define or import."""
    found: set[str] = set()
    todo = [symtable.symtable(code, "<generated>", "exec")]
    while todo:
        table = todo.pop()
        todo.extend(table.get_children())
        for symbol in table.get_symbols():
            if symbol.is_referenced() and not symbol.is_local() and not symbol.is_free():
                found.add(symbol.get_name())
            elif table.get_type() == "module" and symbol.is_referenced():
                found.add(symbol.get_name())  # a decorator: a global of the snippet's module
    return found


def defined(code: str) -> set[str]:
    """The names a module (its source ``code``) defines at the top level (imported names only
    if also defined, as a fallback for an older Python)."""
    table = symtable.symtable(code, "<generated>", "exec")
    return {s.get_name() for s in table.get_symbols() if s.is_assigned()}


@dataclass(frozen=True)
class Definition:
    """One top-level definition of the generated code: its name, text and what it uses."""

    name: str
    text: str
    uses: frozenset[str]  # the words of its code (see :func:`words`)


@dataclass(frozen=True)
class Partition:
    """Where each definition goes: ``{module name: [definition names, in the given order]}``."""

    modules: dict[str, list[str]]
    home: dict[str, str]  # definition name -> module name
    buckets: int


def partition(
    definitions: Mapping[str, Definition], roots: Iterable[tuple[str, Iterable[str]]], count: int
) -> Partition:
    """Place ``definitions``; ``roots`` gives, per key (an operation name, or a shape name for
    a shape no operation reaches), the definitions it needs directly; the key's bucket is
    :func:`bucket_of` it. Every definition must be reached from some root."""
    edges = {
        name: sorted(used for used in d.uses if used in definitions and used != name)
        for name, d in definitions.items()
    }
    by_bucket: dict[int, list[str]] = {}
    for key, names in roots:
        by_bucket.setdefault(bucket_of(key, count), []).extend(names)
    reach: dict[str, set[int]] = {}
    for bucket in sorted(by_bucket):
        stack = list(by_bucket[bucket])
        seen: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(edges[name])
        for name in seen:
            reach.setdefault(name, set()).add(bucket)
    for root in definitions:  # what no operation reaches (a shape of no operation): by name
        if root in reach:
            continue
        bucket = bucket_of(root, count)
        stack = [root]
        while stack:
            name = stack.pop()
            if bucket in reach.setdefault(name, set()):
                continue
            reach[name].add(bucket)
            stack.extend(edges[name])
    width = len(str(count - 1))
    home: dict[str, str] = {}
    for name in definitions:
        buckets = reach[name]
        if len(buckets) == 1:
            home[name] = f"_ops_{next(iter(buckets)):0{width}d}"
        else:
            signature = ",".join(str(b) for b in sorted(buckets))
            home[name] = f"_shared_{len(buckets):0{width}d}_{zlib.crc32(signature.encode()):08x}"
    modules: dict[str, list[str]] = {}
    for name in definitions:
        modules.setdefault(home[name], []).append(name)
    return Partition(dict(sorted(modules.items())), home, count)


@dataclass(frozen=True)
class Module:
    """One module of a package: its name, the names of its definitions (in the given order)
    and its imports (the standard library's, then the package's own, a blank line between)."""

    name: str
    members: list[str]
    imports: str

    @property
    def bucket(self) -> bool:
        """A bucket's module (``_ops_NN``), not a shared one."""
        return self.name.startswith("_ops_")


def package_modules(
    definitions: Mapping[str, Definition],
    roots: Iterable[tuple[str, Iterable[str]]],
    operations: int,
    runtime: Iterable[str],
    stdlib: Sequence[tuple[str, frozenset[str]]],
) -> tuple[Partition, list[Module]]:
    """The modules of a package: ``definitions`` placed by :func:`partition` from ``roots``
    into :func:`bucket_count` buckets for ``operations`` operations, each module with the
    imports its definitions need: from the package's ``_runtime`` module (which defines the
    names ``runtime``), from the other modules, and from the standard library (``stdlib``:
    see :func:`stdlib_imports`)."""
    parts = partition(definitions, roots, bucket_count(operations))
    runtime_names = set(runtime)
    modules: list[Module] = []
    for name, members in parts.modules.items():
        uses = set().union(*(definitions[m].uses for m in members))
        needed = imports_of(name, members, definitions, parts.home)
        from_runtime = sorted(uses & runtime_names)
        if from_runtime:
            needed["_runtime"] = from_runtime
        relative = [
            from_import(where, needed[where]) for where in sorted(needed, key=isort_module)
        ]
        blocks = (stdlib_imports(uses, stdlib), relative)
        modules.append(Module(name, members, "\n\n".join("\n".join(b) for b in blocks if b)))
    return parts, modules


def stdlib_imports(uses: set[str], stdlib: Sequence[tuple[str, frozenset[str]]]) -> list[str]:
    """The import lines for the standard library's names among ``uses``: ``stdlib`` lists
    ``(module, names)`` in the order of the lines, each a ``from module import names``; a
    module listed without names is imported whole if used (``("re", frozenset())``:
    ``import re``)."""
    lines: list[str] = []
    for module, names in stdlib:
        if not names:
            if module in uses:
                lines.append(f"import {module}")
        elif found := uses & names:
            lines.append(f"from {module} import {', '.join(sorted(found, key=isort_member))}")
    return lines


def imports_of(
    module: str,
    names: Iterable[str],
    definitions: Mapping[str, Definition],
    home: Mapping[str, str],
) -> dict[str, list[str]]:
    """``{other module: [names]}``: what the definitions ``names`` of ``module`` import."""
    needed: dict[str, set[str]] = {}
    for name in names:
        for used in definitions[name].uses:
            where = home.get(used)
            if where is not None and where != module:
                needed.setdefault(where, set()).add(used)
    return {where: sorted(needed[where]) for where in sorted(needed, key=isort_module)}


def from_import(module: str, names: Iterable[str]) -> str:
    """``from .module import (a, b)``, the names in isort's order (ruff format lays it out)."""
    listed = ", ".join(sorted(names, key=isort_member))
    return f"from .{module} import ({listed},)"


def isort_member(name: str) -> tuple[int, Any, Any]:
    """ruff's isort order of imported names (``order-by-type``): CONSTANTS, Classes, the rest
    (a leading underscore makes a CamelCase name "the rest"), each case-insensitively in
    natural order."""
    if len(name) > 1 and name.upper() == name and name.lower() != name:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, natural(name.lower()), natural(name)


def all_order(name: str) -> tuple[int, Any]:
    """The order ruff's RUF022 wants in ``__all__``: CONSTANTS, then Classes, then the rest,
    each in natural order (case-sensitive, unlike :func:`isort_member`)."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, natural(name)


def isort_module(module: str) -> tuple[Any, Any]:
    return natural(module.lower()), natural(module)


def _natural_cmp(a: str, b: str) -> int:
    """Natural order as ruff compares (the natord crate): runs of digits compare as numbers,
    but left-aligned, digit by digit, when either starts with 0 (``034`` < ``1``)."""
    left, right = re.split(r"(\d+)", a), re.split(r"(\d+)", b)
    for x, y in zip(left, right):
        if x == y:
            continue
        if x.isdigit() and y.isdigit():
            if x.startswith("0") or y.startswith("0"):
                return -1 if x < y else 1
            return -1 if (len(x), x) < (len(y), y) else 1
        return -1 if x < y else 1
    return (len(left) > len(right)) - (len(left) < len(right))


natural = functools.cmp_to_key(_natural_cmp)
