"""What ``apigen diff`` compares: OLD and NEW as given on the command line, turned into models.

A source is one of

* a spec version: ``specs/ec2/flow-logs.json@2020-02-04`` (after ``@`` any name
  ``Spec.version`` takes: id, date or botocore release); a spec path alone means its latest version;
* a botocore release: ``botocore:1.14.9`` (fetched and cached) or ``botocore:installed``;
* a botocore ``service-2.json`` file, plain or ``.gz`` (its ``paginators-1.json`` beside it is
  read too).

A spec or a file holds one service; a release holds many. Models are always built with
:func:`codegen.bridge.importer.import_model` or ``Spec.model``: the diff engine sees only
:class:`~codegen.model.ServiceModel` objects.

Two releases are compared service by service, and a service whose ``service-2`` model has the
same content hash (``Release.model_digest``, from the cache manifest) and whose paginators file
has the same bytes in both is skipped without being read. Of a service that did change, only
the operations whose definition or reachable shapes differ are kept (:func:`prune_pair`): the
rest would compare equal anyway. Without ``--details``, documentation that no comparison reads
is left out (:func:`elide_unread_docs`). The two models are built lazily, a shape when the
engine first looks it up, and a shape equal on both sides once for both (:func:`pair_models`).
These are optimizations only; every change reported is found by comparing models, and
``tests/diff/test_pruning.py`` checks that they give exactly what comparing whole models gives.
"""

from __future__ import annotations

import gc
import gzip
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from codegen.bridge.importer import SharedShapes, import_model
from codegen.bridge.modelcheck import check_model
from codegen.bridge.releases import Release, resolve_release
from codegen.errors import ApigenError, SpecError, UsageError
from codegen.files import gunzip, parse_json, read_bytes
from codegen.model import ServiceModel, VersionInfo
from codegen.spec import Spec

Json = Mapping[str, Any]
_DATE_DIR = re.compile(r"\d{4}-\d{2}-\d{2}")
_PAGINATOR_NAMES = ("paginators-1.json", "paginators-1.json.gz")
_MODEL_NAMES = ("service-2.json", "service-2.json.gz")


@dataclass
class Source:
    """One side of a diff."""

    text: str  # as given
    kind: Literal["spec", "botocore", "file"]
    label: str  # for people: "specs/ec2/flow-logs.json@2020-02-04", "botocore 1.14.9"
    date: str | None = None  # YYYY-MM-DD
    release: Release | None = None
    spec: Spec | None = None
    version: VersionInfo | None = None
    path: Path | None = None
    _model: ServiceModel | None = field(default=None, repr=False)
    _raw: dict[str, Any] | None = field(default=None, repr=False)
    _paginators: dict[str, Any] | None = field(default=None, repr=False)
    _paginators_file: Path | None = field(default=None, repr=False)

    @property
    def single(self) -> bool:
        """True for a spec or a file (one service), False for a release."""
        return self.kind != "botocore"

    @property
    def service_name(self) -> str:
        if self.kind == "spec":
            assert self.spec is not None
            return self.spec.service
        if self.kind == "file":
            assert self.path is not None
            parent = self.path.parent
            if _DATE_DIR.fullmatch(parent.name) and parent.parent.name:
                return parent.parent.name
            meta = (self.raw() or {}).get("metadata", {})
            return str(meta.get("endpointPrefix") or meta.get("signingName") or "service")
        raise AssertionError("a release has many services")

    def raw(self) -> dict[str, Any]:
        """A file source's service-2 dict."""
        assert self.kind == "file" and self.path is not None
        if self._raw is None:
            self._raw = _read_json(self.path, self.text)
            check_model(self._raw, str(self.path))
        return self._raw

    def paginators(self) -> dict[str, Any] | None:
        """A file source's ``pagination`` dict (from the paginators file beside it), if any."""
        assert self.kind == "file" and self.path is not None
        if self._paginators is None:
            for name in _PAGINATOR_NAMES:
                candidate = self.path.parent / name
                if candidate.is_file():
                    document = _read_json(candidate, str(candidate))
                    check_model(document, str(candidate), paginators=True)
                    self._paginators = dict(document.get("pagination", {}))
                    self._paginators_file = candidate
                    break
            else:
                self._paginators = {}
        return self._paginators or None

    def files_read(self) -> tuple[str, ...] | None:
        """A file source's files: its service-2 model, and the paginators file beside it if
        there is one (None for specs and releases)."""
        if self.kind != "file":
            return None
        assert self.path is not None
        self.paginators()
        extra = (str(self._paginators_file),) if self._paginators_file is not None else ()
        return (str(self.path), *extra)

    def identity(self) -> str:
        """Which service a spec or a file holds: its endpoint prefix (else its name)."""
        if self.kind == "spec":
            assert self.spec is not None
            meta = self.spec.document.get("metadata", {})
            return str(meta.get("endpointPrefix") or self.spec.service)
        meta = self.raw().get("metadata", {})
        return str(meta.get("endpointPrefix") or self.service_name)

    def model(self, name: str | None = None) -> ServiceModel:
        """The model of a spec version or a file (releases: see :func:`release_model`)."""
        if self._model is None:
            if self.kind == "spec":
                assert self.spec is not None and self.version is not None
                self._model = self.spec.model(self.version.version)
            elif self.kind == "file":
                self._model = import_model(
                    self.raw(),
                    name=name or self.service_name,
                    paginators=_wrap(self.paginators()),
                    source=self.label,
                )
            else:
                raise AssertionError("a release has many services")
        return self._model


def parse_source(text: str, role: str) -> Source:
    """OLD/NEW as given on the command line -> a Source; a usage error says what was wrong."""
    if text.startswith("botocore:"):
        version = text.partition(":")[2]
        if not version:
            raise UsageError(
                message=f"{role} {text!r}: expected botocore:VERSION or botocore:installed"
            )
        release = resolve_release(version)
        label = f"botocore {release.version}" + (" (installed)" if release.installed else "")
        date = release.build_date.isoformat() if release.build_date else None
        return Source(text, "botocore", label, date=date, release=release)
    path_text, at, version = text.rpartition("@") if "@" in text else (text, "", "")
    path = Path(path_text)
    if at:
        if not version:
            raise UsageError(
                message=f"{role} {text!r}: nothing after '@' (expected a version of the spec)"
            )
        if not path.is_file():
            raise UsageError(message=f"{role} {text!r}: no such spec file {path_text!r}")
        return _spec_source(text, path, version, role)
    if not path.exists():
        hint = (
            " (a botocore release is written botocore:VERSION)"
            if re.fullmatch(r"[0-9.]+", text)
            else ""
        )
        raise UsageError(message=f"{role} {text!r}: no such file{hint}")
    if path.is_dir():
        for name in _MODEL_NAMES:
            if (path / name).is_file():
                path = path / name
                break
        else:
            raise UsageError(message=f"{role} {text!r}: a folder without a service-2.json")
    if path.name.endswith(".gz"):
        return Source(text, "file", str(path), path=path)
    document = _read_json(path, f"{role} {text!r}")
    if "specFormat" in document or "versions" in document:
        return _spec_source(text, path, None, role)
    if "operations" in document or "shapes" in document:
        check_model(document, str(path))
        source = Source(text, "file", str(path), path=path)
        source._raw = document
        return source
    raise UsageError(message=f"{role} {text!r}: neither a spec nor a botocore service-2 model")


def _spec_source(text: str, path: Path, version: str | None, role: str) -> Source:
    from codegen.loader import load_spec

    try:
        spec = load_spec(path)
    except SpecError as exc:
        raise UsageError(
            message=f"{role} {text!r}: the spec has {len(exc.problems)} problem(s); see 'apigen check {path}'"
        ) from None
    info = spec.version(version) if version else spec.latest
    return Source(
        text,
        "spec",
        f"{spec.path}@{info.version}",
        date=info.date,
        spec=spec,
        version=info,
        path=path,
    )


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        raw = read_bytes(path)
        if path.name.endswith(".gz"):
            raw = gunzip(raw)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise UsageError(message=f"{what}: cannot read {path}: {reason}") from None
    data = parse_json(raw, f"{what}: {path}")
    if not isinstance(data, dict):
        raise UsageError(message=f"{what}: {path} does not hold a JSON object")
    return data


def _wrap(pagination: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The ``pagination`` dict (what ``Release.load_paginators`` returns) as the paginators-1
    document ``import_model`` takes."""
    return {"pagination": dict(pagination)} if pagination else None


# -- releases ----------------------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the duration (restored as it was after).

    Reading and comparing two releases allocates millions of objects (parsed JSON, model
    objects) that hold no reference cycles: reference counting frees them. The collector
    would only walk the ones still alive, again and again, as their number grows; pausing it
    spares that and changes nothing else."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def release_unchanged(old: Release, new: Release, service: str) -> bool:
    """True when both releases ship the same service-2 content and the same paginators file."""
    return old.model_digest(service) == new.model_digest(service) and old.paginators_digest(
        service
    ) == new.paginators_digest(service)


def release_model(
    release: Release, service: str, *, operations: Iterable[str] | None = None, lazy: bool = False
) -> ServiceModel:
    """The service's model from a release, with only ``operations`` (and what they reach)
    imported when given; with ``lazy``, each shape built when first looked up."""
    document = release.load_model(service)
    if operations is not None:
        document = restrict_raw(document, operations)
    return _imported(
        f"botocore {release.version}",
        service,
        document,
        release.load_paginators(service),
        lazy=lazy,
    )


def _imported(
    label: str, service: str, document: Json, pagination: Json | None, **options: Any
) -> ServiceModel:
    """``import_model`` of a document of ``label`` (a release); a malformed one is a usage error."""
    try:
        return import_model(
            document, name=service, paginators=_wrap(pagination), source=label, **options
        )
    except ApigenError:
        raise
    except (
        KeyError,
        TypeError,
        AttributeError,
        ValueError,
    ) as exc:  # a malformed model: say where
        check_model(document, f"{label}: the {service} model")
        check_model(
            {"pagination": pagination or {}}, f"{label}: the {service} paginators", paginators=True
        )
        raise UsageError(message=f"{label}: cannot read the {service} model ({exc!r})") from None


# -- pruning (an optimization; the comparison itself is on models) -----------------------------


def _reaches(op: Json, names: set[str]) -> bool:
    """Whether the operation's input, output or an error is one of ``names``."""
    for slot in ("input", "output"):
        ref = op.get(slot)
        if ref is not None and ref["shape"] in names:
            return True
    return any(error["shape"] in names for error in op.get("errors", ()))


def _op_refs(op: Json) -> Iterable[str]:
    for slot in ("input", "output"):
        if slot in op:
            yield op[slot]["shape"]
    for error in op.get("errors", ()):
        yield error["shape"]


def closure(document: Json, operations: Iterable[str]) -> dict[str, None]:
    """The names of the shapes ``operations`` reach, in a deterministic order."""
    shapes = document.get("shapes", {})
    ops = document.get("operations", {})
    seen: dict[str, None] = {}
    stack = [ref for name in operations if name in ops for ref in _op_refs(ops[name])]
    push = stack.append
    while stack:
        name = stack.pop()
        if name in seen or name not in shapes:
            continue
        seen[name] = None
        shape = shapes[name]
        members = shape.get("members")
        if members:
            for ref in members.values():
                push(ref["shape"])
        for slot in ("member", "key", "value"):
            ref = shape.get(slot)
            if ref is not None:
                push(ref["shape"])
    return seen


def restrict_raw(document: Json, operations: Iterable[str]) -> dict[str, Any]:
    """The document with only ``operations`` and the shapes they reach (everything else kept)."""
    ops = document.get("operations", {})
    names = [n for n in operations if n in ops]
    shapes = document.get("shapes", {})
    out = dict(document)
    out["operations"] = {n: ops[n] for n in names}
    out["shapes"] = {n: shapes[n] for n in closure(document, names)}
    return out


def dirty_shapes(old: Json, new: Json) -> set[str]:
    """Shapes defined differently on the two sides, or on one side only."""
    old_shapes, new_shapes = old.get("shapes", {}), new.get("shapes", {})
    dirty = {n for n, shape in new_shapes.items() if old_shapes.get(n) != shape}
    dirty.update(n for n in old_shapes if n not in new_shapes)
    return dirty


def tainted_shapes(old: Json, new: Json, dirty: set[str] | None = None) -> set[str]:
    """Shapes defined differently on the two sides (or on one side only), and every shape that
    reaches one of them. Any other shape is equal on both sides, closure included.
    ``dirty``: :func:`dirty_shapes` of the two documents, when already known."""
    old_shapes, new_shapes = old.get("shapes", {}), new.get("shapes", {})
    if dirty is None:
        dirty = dirty_shapes(old, new)
    if not dirty:
        return set()
    # Walk the reversed reference graph. A clean shape has the same references on both sides,
    # so one side's suffice for it. (This runs over every shape of a changed service.)
    parents: defaultdict[str, list[str]] = defaultdict(list)
    dirty_old = [(name, old_shapes[name]) for name in dirty if name in old_shapes]
    for items in (new_shapes.items(), dirty_old):
        for name, shape in items:
            members = shape.get("members")
            if members:
                for ref in members.values():
                    parents[ref["shape"]].append(name)
                continue
            kind = shape.get("type")
            if kind == "list":
                parents[shape["member"]["shape"]].append(name)
            elif kind == "map":
                parents[shape["key"]["shape"]].append(name)
                parents[shape["value"]["shape"]].append(name)
    tainted = set(dirty)
    stack = list(dirty)
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in tainted:
                tainted.add(parent)
                stack.append(parent)
    return tainted


def changed_operations(
    old: Json,
    new: Json,
    old_pages: Json | None,
    new_pages: Json | None,
    only: Iterable[str] | None = None,
    tainted: set[str] | None = None,
) -> list[str]:
    """Operations that may differ: on one side only, defined differently, paginated
    differently, or reaching a shape that is defined differently (or only on one side).
    Every other operation is equal, shape for shape, and so compares equal as a model.
    ``tainted``: :func:`tainted_shapes` of the two documents, when already known."""
    old_ops, new_ops = old.get("operations", {}), new.get("operations", {})
    old_pages, new_pages = old_pages or {}, new_pages or {}
    if tainted is None:
        tainted = tainted_shapes(old, new)
    wanted = set(only) if only is not None else None
    result = []
    for name in list(new_ops) + [n for n in old_ops if n not in new_ops]:
        if wanted is not None and name not in wanted:
            continue
        a, b = old_ops.get(name), new_ops.get(name)
        if (
            a is None
            or b is None
            or a != b
            or old_pages.get(name) != new_pages.get(name)
            or (tainted and _reaches(b, tainted))
        ):  # (a == b: one side's references suffice)
            result.append(name)
    return result


@dataclass
class PrunedPair:
    """Two versions of one service's service-2 document, cut down to what can differ."""

    old: dict[str, Any]
    new: dict[str, Any]
    tainted: set[str]  # shapes not equal on both sides, closure included (see tainted_shapes)
    operations: list[str]  # the operations kept (see changed_operations)
    documented: set[str] | None = None  # shapes whose documentation counts (None: all)


def prune_pair(
    old: Json,
    new: Json,
    old_pages: Json | None,
    new_pages: Json | None,
    *,
    only: Iterable[str] | None = None,
    elide_docs: bool = False,
) -> PrunedPair | None:
    """Both documents with only the operations that may differ (:func:`changed_operations`),
    and with ``elide_docs`` also without the documentation no comparison looks at
    (:func:`elide_unread_docs`). None when no operation may differ and the service metadata
    is equal: the two compare equal.

    The shapes stay as they are (built lazily, only those a comparison reaches are built:
    see :func:`pair_models`)."""
    dirty = dirty_shapes(old, new)
    tainted = tainted_shapes(old, new, dirty)
    changed = changed_operations(old, new, old_pages, new_pages, only=only, tainted=tainted)
    if not changed and not service_metadata_differs(old, new):
        return None
    a, b = dict(old), dict(new)
    old_ops, new_ops = old.get("operations", {}), new.get("operations", {})
    a["operations"] = {n: old_ops[n] for n in changed if n in old_ops}
    b["operations"] = {n: new_ops[n] for n in changed if n in new_ops}
    if not elide_docs:
        return PrunedPair(a, b, tainted, changed)
    a, b, documented = elide_unread_docs(a, b, dirty)
    return PrunedPair(a, b, tainted, changed, documented)


def pair_models(
    pruned: PrunedPair,
    service: str,
    old_pages: Json | None,
    new_pages: Json | None,
    old_label: str = "old",
    new_label: str = "new",
) -> tuple[ServiceModel, ServiceModel]:
    """The two models to compare, built lazily from ``pruned``, sharing each shape that is not
    tainted: it is equal on both sides, closure included, so it is built once, and the engine
    sees one object on both sides and skips it. The labels name the sides in errors (e.g.
    ``botocore 1.14.9``)."""
    shared = SharedShapes(_Untainted(pruned.tainted))
    return tuple(  # type: ignore[return-value]
        _imported(
            label, service, raw, pages, shared=shared, documented=pruned.documented, lazy=True
        )
        for label, raw, pages in (
            (old_label, pruned.old, old_pages),
            (new_label, pruned.new, new_pages),
        )
    )


class _Untainted:
    """The names not in ``tainted`` (a Container, without listing them)."""

    def __init__(self, tainted: set[str]) -> None:
        self.tainted = tainted

    def __contains__(self, name: object) -> bool:
        return name not in self.tainted


def _without_docs(ref: Json) -> Json:
    return (
        {k: v for k, v in ref.items() if k != "documentation"} if "documentation" in ref else ref
    )


def _shape_without_docs(shape: Json, other: Json) -> Json:
    """``shape`` without the documentation it shares with ``other`` (same place), and without
    that of members ``other`` lacks."""
    out = dict(shape)
    if other.get("documentation") == shape.get("documentation"):
        out.pop("documentation", None)
    members = shape.get("members")
    if members:
        other_members = other.get("members", {})
        out["members"] = {
            name: _without_docs(ref)
            if name not in other_members
            or other_members[name].get("documentation") == ref.get("documentation")
            else ref
            for name, ref in members.items()
        }
    return out


def _slots(shape: Json) -> Iterable[tuple[str, str]]:
    """(slot, target shape) of a shape's references: members by name, then member/key/value."""
    for name, ref in shape.get("members", {}).items():
        yield name, ref["shape"]
    for slot in ("member", "key", "value"):
        ref = shape.get(slot)
        if ref is not None:
            yield f"<{slot}>", ref["shape"]


def cross_named(old: Json, new: Json, dirty: Iterable[str]) -> tuple[set[str], set[str]]:
    """The old and the new shapes that the diff engine compares with a shape of another name:
    the targets of an operation's input or output, or of a member, that changed, and from
    there down through the slots the two have in common, as far as the names differ."""
    old_shapes, new_shapes = old.get("shapes", {}), new.get("shapes", {})
    old_ops, new_ops = old.get("operations", {}), new.get("operations", {})
    stack: list[tuple[str, str]] = []
    for name, op in new_ops.items():
        other = old_ops.get(name)
        if other is not None:
            for slot in ("input", "output"):
                if slot in op and slot in other and op[slot]["shape"] != other[slot]["shape"]:
                    stack.append((other[slot]["shape"], op[slot]["shape"]))

    def children(a: str, b: str) -> Iterable[tuple[str, str]]:
        sa, sb = old_shapes.get(a), new_shapes.get(b)
        if sa is None or sb is None:
            return ()
        targets = dict(_slots(sa))
        return [
            (targets[slot], t) for slot, t in _slots(sb) if slot in targets and targets[slot] != t
        ]

    for name in dirty:
        stack.extend(children(name, name))
    seen: set[tuple[str, str]] = set()
    while stack:
        pair = stack.pop()
        if pair in seen:
            continue
        seen.add(pair)
        stack.extend(children(*pair))
    return {a for a, _ in seen}, {b for _, b in seen}


def elide_unread_docs(
    old: Json, new: Json, dirty: set[str] | None = None
) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
    """Leave out of both documents the documentation that no comparison can find different.

    The diff engine compares the documentation of an element with that of its counterpart: the
    service's, an operation's or a shape's of the same name, a member's of the same name in
    the two shapes it compares. Documentation equal to its counterpart's compares equal, and
    that of an element on one side only (an added operation, shape or member) is compared with
    nothing: leaving either out changes no result, and spares converting it from HTML. Shapes
    compared across names (a member now targets another shape: :func:`cross_named`) keep all
    theirs.

    Returns both documents, without that documentation in the service, the operations and the
    shapes on both sides that differ, and the names of the shapes whose documentation counts
    (``documented`` of :func:`~codegen.bridge.importer.import_model`): those differing shapes
    and the ones compared across names. Every other shape is equal on both sides or on one
    side only. The models built so lack that documentation: use them for comparing, not for
    showing documentation (``--details``).

    ``dirty``: :func:`dirty_shapes` of the two documents, when already known."""
    if dirty is None:
        dirty = dirty_shapes(old, new)
    # A shape compared across names keeps its documentation on both sides, so that comparing
    # it with its namesake still finds what differs too.
    keep = set().union(*cross_named(old, new, dirty))
    a, b = dict(old), dict(new)
    if a.get("documentation") == b.get("documentation"):
        a.pop("documentation", None)
        b.pop("documentation", None)
    ops_a, ops_b = old.get("operations", {}), new.get("operations", {})
    a["operations"] = {
        n: _shape_without_docs(op, ops_b[n]) if n in ops_b else _without_docs(op)
        for n, op in ops_a.items()
    }
    b["operations"] = {
        n: _shape_without_docs(op, ops_a[n]) if n in ops_a else _without_docs(op)
        for n, op in ops_b.items()
    }
    shapes_a, shapes_b = old.get("shapes", {}), new.get("shapes", {})
    both = {name for name in dirty if name in shapes_a and name in shapes_b} - keep
    for doc, shapes, others in ((a, shapes_a, shapes_b), (b, shapes_b, shapes_a)):
        out = dict(shapes)
        for name in both:
            out[name] = _shape_without_docs(shapes[name], others[name])
        doc["shapes"] = out
    return a, b, both | keep


def service_metadata_differs(old: Json, new: Json) -> bool:
    keys = (set(old) | set(new)) - {"operations", "shapes"}
    return any(old.get(k) != new.get(k) for k in keys)
