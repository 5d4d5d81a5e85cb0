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
the operations whose definition or reachable shapes differ are imported (:func:`prune`): the
rest would compare equal anyway. That pruning is an optimization only; every change reported is
found by comparing models.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from codegen.bridge.importer import import_model
from codegen.bridge.releases import Release, resolve_release
from codegen.errors import ApigenError, SpecError, UsageError
from codegen.model import ServiceModel, Shape, VersionInfo
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
        return self._raw

    def paginators(self) -> dict[str, Any] | None:
        """A file source's ``pagination`` dict (from the paginators file beside it), if any."""
        assert self.kind == "file" and self.path is not None
        if self._paginators is None:
            for name in _PAGINATOR_NAMES:
                candidate = self.path.parent / name
                if candidate.is_file():
                    self._paginators = dict(_read_json(candidate, str(candidate)).get("pagination", {}))
                    break
            else:
                self._paginators = {}
        return self._paginators or None

    def model(self, name: str | None = None) -> ServiceModel:
        """The model of a spec version or a file (releases: see :func:`release_model`)."""
        if self._model is None:
            if self.kind == "spec":
                assert self.spec is not None and self.version is not None
                self._model = self.spec.model(self.version.version)
            elif self.kind == "file":
                self._model = import_model(self.raw(), name=name or self.service_name,
                                           paginators=_wrap(self.paginators()), source=self.label)
            else:
                raise AssertionError("a release has many services")
        return self._model


def parse_source(text: str, role: str) -> Source:
    """OLD/NEW as given on the command line -> a Source; a usage error says what was wrong."""
    if text.startswith("botocore:"):
        version = text.partition(":")[2]
        if not version:
            raise UsageError(message=f"{role} {text!r}: expected botocore:VERSION or botocore:installed")
        release = resolve_release(version)
        label = f"botocore {release.version}" + (" (installed)" if release.installed else "")
        date = release.build_date.isoformat() if release.build_date else None
        return Source(text, "botocore", label, date=date, release=release)
    path_text, at, version = text.rpartition("@") if "@" in text else (text, "", "")
    path = Path(path_text)
    if at:
        if not version:
            raise UsageError(message=f"{role} {text!r}: nothing after '@' (expected a version of the spec)")
        if not path.is_file():
            raise UsageError(message=f"{role} {text!r}: no such spec file {path_text!r}")
        return _spec_source(text, path, version, role)
    if not path.exists():
        hint = " (a botocore release is written botocore:VERSION)" if re.fullmatch(r"[0-9.]+", text) else ""
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
    return Source(text, "spec", f"{spec.path}@{info.version}", date=info.date, spec=spec, version=info, path=path)


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        data = json.loads(raw)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise UsageError(message=f"{what}: cannot read {path}: {exc}") from None
    except ValueError as exc:
        raise UsageError(message=f"{what}: {path} is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise UsageError(message=f"{what}: {path} does not hold a JSON object")
    return data


def _wrap(pagination: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The ``pagination`` dict (what ``Release.load_paginators`` returns) as the paginators-1
    document ``import_model`` takes."""
    return {"pagination": dict(pagination)} if pagination else None


# -- releases ----------------------------------------------------------------------------------


def release_unchanged(old: Release, new: Release, service: str) -> bool:
    """True when both releases ship the same service-2 content and the same paginators file."""
    return (old.model_digest(service) == new.model_digest(service)
            and old.paginators_digest(service) == new.paginators_digest(service))


def release_model(release: Release, service: str, *, operations: Iterable[str] | None = None,
                  raw: Json | None = None, paginators: Json | None = None,
                  reuse: Mapping[str, Shape] | None = None) -> ServiceModel:
    """The service's model from a release, with only ``operations`` (and what they reach)
    imported when given. ``reuse``: shapes already built from equal definitions (see
    :func:`~codegen.bridge.importer.import_model`)."""
    document = raw if raw is not None else release.load_model(service)
    pagination = paginators if paginators is not None else release.load_paginators(service)
    if operations is not None:
        document = restrict_raw(document, operations)
    try:
        return import_model(document, name=service, paginators=_wrap(pagination),
                            source=f"botocore {release.version}", reuse=reuse)
    except ApigenError:
        raise
    except (KeyError, TypeError, AttributeError) as exc:  # a malformed model
        raise UsageError(message=f"botocore {release.version}: cannot read the {service} model ({exc!r})") from None


# -- pruning (an optimization; the comparison itself is on models) -----------------------------


def _refs(shape: Json) -> Iterable[str]:
    for member in shape.get("members", {}).values():
        yield member["shape"]
    for slot in ("member", "key", "value"):
        if slot in shape:
            yield shape[slot]["shape"]


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
    while stack:
        name = stack.pop()
        if name in seen or name not in shapes:
            continue
        seen[name] = None
        stack.extend(_refs(shapes[name]))
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


def tainted_shapes(old: Json, new: Json) -> set[str]:
    """Shapes defined differently on the two sides (or on one side only), and every shape that
    reaches one of them. Any other shape is equal on both sides, closure included."""
    old_shapes, new_shapes = old.get("shapes", {}), new.get("shapes", {})
    dirty = {n for n, shape in new_shapes.items() if old_shapes.get(n) != shape}
    dirty.update(n for n in old_shapes if n not in new_shapes)
    if not dirty:
        return set()
    # Walk the reversed reference graph. A clean shape has the same references on both sides,
    # so one side's suffice for it.
    parents: dict[str, list[str]] = {}
    for shapes, names in ((new_shapes, new_shapes.keys()), (old_shapes, dirty)):
        for name in names:
            shape = shapes.get(name)
            if shape is None:
                continue
            members = shape.get("members")
            if members:
                for ref in members.values():
                    parents.setdefault(ref["shape"], []).append(name)
            for slot in ("member", "key", "value"):
                ref = shape.get(slot)
                if ref is not None:
                    parents.setdefault(ref["shape"], []).append(name)
    tainted = set(dirty)
    stack = list(dirty)
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in tainted:
                tainted.add(parent)
                stack.append(parent)
    return tainted


def changed_operations(old: Json, new: Json, old_pages: Json | None, new_pages: Json | None,
                       only: Iterable[str] | None = None, tainted: set[str] | None = None) -> list[str]:
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
        if (a is None or b is None or a != b or old_pages.get(name) != new_pages.get(name)
                or (tainted and (any(ref in tainted for ref in _op_refs(a))
                                 or any(ref in tainted for ref in _op_refs(b))))):
            result.append(name)
    return result


def _without_docs(ref: Json) -> Json:
    return {k: v for k, v in ref.items() if k != "documentation"} if "documentation" in ref else ref


def _stripped(shape: Json) -> Json:
    """``shape`` without any documentation (its own, its members')."""
    out = _without_docs(shape)
    members = shape.get("members")
    if members:
        out = dict(out)
        out["members"] = {name: _without_docs(ref) for name, ref in members.items()}
    return out


def _shape_without_docs(shape: Json, other: Json | None) -> Json:
    """``shape`` without the documentation strings it shares with ``other`` (same place)."""
    if other is None:
        return shape
    out = dict(shape)
    if other.get("documentation") == shape.get("documentation"):
        out.pop("documentation", None)
    members = shape.get("members")
    if members:
        other_members = other.get("members", {})
        out["members"] = {
            name: _without_docs(ref)
            if name in other_members and other_members[name].get("documentation") == ref.get("documentation")
            else ref
            for name, ref in members.items()
        }
    return out


def elide_shared_docs(old: Json, new: Json) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both documents without the documentation strings they have in common (same element).

    Equal documentation compares equal, so leaving it out changes no result of the comparison;
    it only spares converting it from HTML. The models built from these documents lack that
    documentation: use them for comparing, not for showing documentation (``--details``)."""
    a, b = dict(old), dict(new)
    if a.get("documentation") == b.get("documentation"):
        a.pop("documentation", None)
        b.pop("documentation", None)
    ops_a, ops_b = old.get("operations", {}), new.get("operations", {})
    a["operations"] = {n: _shape_without_docs(op, ops_b.get(n)) for n, op in ops_a.items()}
    b["operations"] = {n: _shape_without_docs(op, ops_a.get(n)) for n, op in ops_b.items()}
    shapes_a, shapes_b = old.get("shapes", {}), new.get("shapes", {})
    out_a: dict[str, Any] = {}
    out_b: dict[str, Any] = {}
    for name, shape in shapes_b.items():
        other = shapes_a.get(name)
        if other is not None and other == shape:  # the same shape: one copy serves both sides
            out_a[name] = out_b[name] = _stripped(shape)
        else:
            out_b[name] = _shape_without_docs(shape, other)
            if other is not None:
                out_a[name] = _shape_without_docs(other, shape)
    for name, shape in shapes_a.items():
        if name not in shapes_b:
            out_a[name] = shape
    a["shapes"], b["shapes"] = out_a, out_b
    return a, b


def service_metadata_differs(old: Json, new: Json) -> bool:
    keys = (set(old) | set(new)) - {"operations", "shapes"}
    return any(old.get(k) != new.get(k) for k in keys)
