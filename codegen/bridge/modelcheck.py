"""The structure of a botocore model, checked where it is read: every problem with its JSON pointer.

``service-2.json`` and ``paginators-1.json`` files come from anywhere (a user's copy, an edited
cache); the importer and the diff engine rely on their structure: an ``operations`` object of
objects, a shape's ``type`` one botocore knows, a member's ``shape`` the name of a shape,
``min``/``max`` numbers, and so on. :func:`model_problems` lists what breaks that structure
(the traits the toolkit keeps verbatim may hold any JSON); :func:`check_model` raises a
:class:`~codegen.errors.ModelFileError` listing them. One pass over the document, no recursion.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from codegen.errors import ModelFileError, SpecProblem
from codegen.model import SHAPE_TYPES
from codegen.spec import _METADATA_FIELDS

Problems = Iterator[tuple[str, str]]

_TYPES = frozenset(SHAPE_TYPES)
_STRING_REF_KEYS = ("documentation", "locationName", "queryName")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _ptr(*parts: str | int) -> str:
    return "".join(f"/{_escape(str(p))}" for p in parts)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _string_list(value: Any, where: str) -> Problems:
    if not isinstance(value, list):
        yield where, f"expected an array of strings, found {_kind(value)}"
        return
    for i, item in enumerate(value):
        if not isinstance(item, str):
            yield f"{where}/{i}", f"expected a string, found {_kind(item)}"


def _strings(value: dict[str, Any], keys: Iterable[str], where: str) -> Problems:
    """Each of ``keys`` that the object ``value`` (at ``where``) has must be a string."""
    for key in keys:
        if key in value and not isinstance(value[key], str):
            yield f"{where}/{key}", f"expected a string, found {_kind(value[key])}"


def _ref(ref: Any, shapes: Mapping[str, Any], where: str) -> Problems:
    """A shape reference: ``{"shape": NAME, ...}`` naming a shape of the model."""
    if not isinstance(ref, dict):
        yield where, f"expected a shape reference (an object), found {_kind(ref)}"
        return
    if "shape" not in ref:
        yield where, "a shape reference needs 'shape'"
    else:
        target = ref["shape"]
        if not isinstance(target, str):
            yield f"{where}/shape", f"expected a shape name (a string), found {_kind(target)}"
        elif target not in shapes:
            yield f"{where}/shape", f"unknown shape {target!r}"
    yield from _strings(ref, _STRING_REF_KEYS, where)


def _shape(name: str, shape: Any, shapes: Mapping[str, Any]) -> Problems:
    where = _ptr("shapes", name)
    if not isinstance(shape, dict):
        yield where, f"expected a shape (an object), found {_kind(shape)}"
        return
    kind = shape.get("type")
    if "type" not in shape:
        yield where, "a shape needs a 'type'"
    elif not isinstance(kind, str) or kind not in _TYPES:
        yield (
            f"{where}/type",
            f"unknown shape type {kind!r} (expected one of {', '.join(SHAPE_TYPES)})",
        )
    if "members" in shape:
        members = shape["members"]
        if not isinstance(members, dict):
            yield f"{where}/members", f"expected an object of members, found {_kind(members)}"
        else:
            for member, ref in members.items():
                yield from _ref(ref, shapes, f"{where}/members/{_escape(member)}")
    if "required" in shape:
        required = shape["required"]
        yield from _string_list(required, f"{where}/required")
        members = shape.get("members")
        if isinstance(required, list) and isinstance(members, dict):
            for i, item in enumerate(required):
                if isinstance(item, str) and item not in members:
                    yield f"{where}/required/{i}", f"required names no member {item!r}"
    for slot in ("member", "key", "value"):
        if slot in shape:
            yield from _ref(shape[slot], shapes, f"{where}/{slot}")
    if kind == "list" and "member" not in shape:
        yield where, "a list needs a 'member'"
    if kind == "map":
        for slot in ("key", "value"):
            if slot not in shape:
                yield where, f"a map needs a '{slot}'"
    if "enum" in shape:
        yield from _string_list(shape["enum"], f"{where}/enum")
    for key in ("min", "max"):
        if key in shape and not _is_number(shape[key]):
            yield f"{where}/{key}", f"expected a number, found {_kind(shape[key])}"
    yield from _strings(shape, ("pattern", "documentation"), where)


def _operation(name: str, op: Any, shapes: Mapping[str, Any]) -> Problems:
    where = _ptr("operations", name)
    if not isinstance(op, dict):
        yield where, f"expected an operation (an object), found {_kind(op)}"
        return
    yield from _strings(op, ("name",), where)
    if "http" in op:
        http = op["http"]
        if not isinstance(http, dict):
            yield f"{where}/http", f"expected an object, found {_kind(http)}"
        else:
            yield from _strings(http, ("method", "requestUri"), f"{where}/http")
    for slot in ("input", "output"):
        if slot in op:
            yield from _ref(op[slot], shapes, f"{where}/{slot}")
    if "errors" in op:
        errors = op["errors"]
        if not isinstance(errors, list):
            yield (
                f"{where}/errors",
                f"expected an array of shape references, found {_kind(errors)}",
            )
        else:
            for i, ref in enumerate(errors):
                yield from _ref(ref, shapes, f"{where}/errors/{i}")
    yield from _strings(op, ("documentation",), where)


def model_problems(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(JSON pointer, message) of every structural problem of a service-2 document."""
    problems: list[tuple[str, str]] = []
    add = problems.extend
    for key in ("version", "documentation"):
        if key in document and not isinstance(document[key], str):
            problems.append((_ptr(key), f"expected a string, found {_kind(document[key])}"))
    meta = document.get("metadata", {})
    if not isinstance(meta, dict):
        problems.append(("/metadata", f"expected an object, found {_kind(meta)}"))
    else:
        for key in _METADATA_FIELDS:
            if key in meta and not isinstance(meta[key], str):
                problems.append(
                    (_ptr("metadata", key), f"expected a string, found {_kind(meta[key])}")
                )
    shapes = document.get("shapes", {})
    if not isinstance(shapes, dict):
        problems.append(("/shapes", f"expected an object of shapes, found {_kind(shapes)}"))
        shapes = {}
    operations = document.get("operations", {})
    if not isinstance(operations, dict):
        problems.append(
            ("/operations", f"expected an object of operations, found {_kind(operations)}")
        )
        operations = {}
    for name, op in operations.items():
        add(_operation(name, op, shapes))
    for name, shape in shapes.items():
        add(_shape(name, shape, shapes))
    return problems


def paginator_problems(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(JSON pointer, message) of every structural problem of a paginators-1 document."""
    pagination = document.get("pagination", {})
    if not isinstance(pagination, dict):
        return [("/pagination", f"expected an object of paginators, found {_kind(pagination)}")]
    problems: list[tuple[str, str]] = []
    for name, paginator in pagination.items():
        where = _ptr("pagination", name)
        if not isinstance(paginator, dict):
            problems.append((where, f"expected a paginator (an object), found {_kind(paginator)}"))
            continue
        for key in ("input_token", "output_token"):
            if key not in paginator:
                problems.append((where, f"a paginator needs '{key}'"))
        for key in ("input_token", "output_token", "result_key"):
            value = paginator.get(key)
            if key in paginator and not isinstance(value, str):
                problems.extend(_string_list(value, f"{where}/{key}"))
        for key in ("limit_key", "more_results"):
            if key in paginator and not isinstance(paginator[key], str):
                problems.append(
                    (f"{where}/{key}", f"expected a string, found {_kind(paginator[key])}")
                )
        if "non_aggregate_keys" in paginator:
            problems.extend(
                _string_list(paginator["non_aggregate_keys"], f"{where}/non_aggregate_keys")
            )
    return problems


def check_model(document: Mapping[str, Any], file: str, *, paginators: bool = False) -> None:
    """Raise :class:`ModelFileError` listing every structural problem of the document
    (a service-2 model, or with ``paginators`` a paginators-1 document) read from ``file``."""
    found = paginator_problems(document) if paginators else model_problems(document)
    if found:
        raise ModelFileError(
            file, [SpecProblem(file, pointer, message) for pointer, message in found]
        )
