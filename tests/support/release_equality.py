"""Does a spec version export equal to its botocore release? Compared with the release's own
files, nothing of ours in between but the exporter under test.

``differences(spec, version, release)`` exports the spec as of ``version``
(``codegen.bridge.exporter``, what ``apigen export --as-of`` prints) and compares it with the
release's ``service-2.json``, ``paginators-1.json`` and ``waiters-2.json`` as botocore's
loader reads them (sdk-extras merged: ``Release.load_model``):

* every key at every level, values compared exactly; the order of a structure's members and
  of an enum's values counts (botocore serializes members in that order), the order of other
  keys does not;
* documentation compared as text (both sides through ``codegen.docs.html_to_text``: the
  model keeps plain text, the export writes it back as HTML of its own);
* documentation on an operation's input, output and error references is left out on both
  sides: the model does not hold it (docs/botocore-bridge.md says why);
* paginators of operations the model has (a paginators file may name operations its
  service-2.json lacks; botocore never uses those).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codegen.bridge.exporter import export_paginators, export_service, export_waiters
from codegen.bridge.releases import Release
from codegen.docs import html_to_text
from codegen.spec import Spec

_REFS = ("input", "output", "errors")


def _text(node: Any, path: tuple[str, ...] = ()) -> Any:
    """``node`` with documentation as text, and without the documentation of references."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "documentation" and isinstance(value, str):
                if len(path) >= 3 and path[0] == "operations" and path[2] in _REFS:
                    continue
                text = html_to_text(value)
                if text:
                    out[key] = text
            else:
                out[key] = _text(value, (*path, str(key)))
        return out
    if isinstance(node, list):
        return [_text(value, path) for value in node]
    return node


def _compare(ours: Any, theirs: Any, path: str, out: list[str], ordered: bool = False) -> None:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        if ordered and [k for k in ours if k in theirs] != [k for k in theirs if k in ours]:
            out.append(f"{path}: order {list(ours)} != {list(theirs)}")
        for key in sorted(set(ours) | set(theirs), key=str):
            where = f"{path}/{key}"
            if key not in ours:
                out.append(f"{where}: missing (botocore: {str(theirs[key])[:100]})")
            elif key not in theirs:
                out.append(f"{where}: not in botocore (ours: {str(ours[key])[:100]})")
            else:
                # members: their order is the order of a structure on the wire
                members = key == "members" and path.count("/") == 2 and path.startswith("/shapes/")
                _compare(ours[key], theirs[key], where, out, ordered=members)
    elif ours != theirs:
        out.append(f"{path}: {str(ours)[:100]} != botocore {str(theirs)[:100]}")


def _reached(raw: Mapping[str, Any], operations: list[str]) -> set[str]:
    """The shapes ``operations`` reach in a raw service-2 document (every ``"shape"`` key)."""

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [v for k, v in node.items() if k == "shape" and isinstance(v, str)]
            return found + [r for k, v in node.items() if k != "shape" for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    reached: set[str] = set()
    todo = [r for name in operations for r in refs(raw["operations"][name])]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(refs(raw["shapes"][name]))
    return reached


def differences(
    spec: Spec, version: str, release: Release, operations: list[str] | None = None
) -> list[str]:
    """Every difference between the spec's export as of ``version`` and ``release``; with
    ``operations``, between those operations and the shapes they reach (and the metadata)."""
    model = spec.model(version)
    raw = release.load_model(spec.service)
    ours = export_service(model)
    if operations is not None:
        reached = _reached(raw, operations)
        raw = {
            "metadata": raw["metadata"],
            "operations": {n: raw["operations"][n] for n in operations},
            "shapes": {n: s for n, s in raw["shapes"].items() if n in reached},
        }
        ours = {
            "metadata": ours["metadata"],
            "operations": {n: o for n, o in ours["operations"].items() if n in operations},
            "shapes": {n: s for n, s in ours["shapes"].items() if n in reached},
        }
    out: list[str] = []
    _compare(_text(ours), _text(raw), "", out)
    pagination = export_paginators(model)["pagination"]
    theirs: Mapping[str, Any] = release.load_paginators(spec.service) or {}
    names = set(raw.get("operations", {}))
    _compare(
        {name: p for name, p in pagination.items() if name in names},
        {name: p for name, p in theirs.items() if name in names},
        "/paginators",
        out,
    )
    # waiters-2.json likewise: the waiters of those operations (all of them, in a whole export)
    waiters = export_waiters(model)["waiters"]
    botocores: Mapping[str, Any] = release.load_waiters(spec.service) or {}
    _compare(
        {name: w for name, w in waiters.items() if w["operation"] in names},
        {name: w for name, w in botocores.items() if w["operation"] in names},
        "/waiters",
        out,
    )
    return out
