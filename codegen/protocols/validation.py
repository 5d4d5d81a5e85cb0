"""The validators' issues in the words AWS services use for them.

AWS's JSON, CBOR and query services answer a request whose members break the model's
constraints with one error listing every broken constraint::

    2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member
    must have length greater than or equal to 3; Value null at 'keySchema.1.member.keyType'
    failed to satisfy constraint: Member must not be null

:func:`aws_message` writes that sentence from the generated validators' issues (botocore-style
paths such as ``KeySchema[0].KeyType``): the member path in AWS's form (wire names with their
first letter lower-cased, list items as ``N.member`` counted from 1, map entries by key), the
value as AWS shows it (``null``, ``'text'``, ``'[a, b]'``, ``'{k=v}'``), and the constraint
from the service's tables (``min``, ``max``, ``pattern``, ``enum``). A scalar inside a list or
map is reported on the list or map, as AWS does (``Member must satisfy constraint: [...]``,
``Map value must satisfy constraint: [...]``). An issue that no model constraint explains (a
documented rule of a hand-written spec, a union with two members) keeps the validator's own
message. At most :data:`SHOWN` issues are spelled out (the count is always all of them), and
each value is shortened, so that the message stays small whatever the request holds.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from .base import Issue
from .tables import ServiceTables, Shape
from .values import timestamp_text

__all__ = ["SHOWN", "aws_message", "locate"]

SHOWN: Final = 10  # issues spelled out in one message
# the validators' rule names of the constraints botocore's model states (None: botocore's own
# checks; the others are checked in strict mode only)
_MODEL_RULES: Final = frozenset({None, "min", "max", "enum", "pattern"})
_VALUE_LIMIT: Final = 256  # characters of a value shown


def aws_message(
    tables: ServiceTables, shape_name: str, params: Mapping[str, Any], issues: Sequence[Issue]
) -> str:
    """``N validation error(s) detected: ...`` for ``issues`` of ``params`` of the input shape
    ``shape_name``."""
    parts = [_describe(tables, shape_name, params, issue) for issue in issues[:SHOWN]]
    if len(issues) > SHOWN:
        parts.append(f"and {len(issues) - SHOWN} more")
    count = len(issues)
    return f"{count} validation error{'' if count == 1 else 's'} detected: " + "; ".join(parts)


class Located:
    """Where an issue's path leads: the AWS-style path, the value there, its shape, and for a
    scalar in a list or map, the list or map (its path, value and how AWS names it)."""

    __slots__ = ("container", "container_path", "container_value", "path", "shape", "value")

    def __init__(self) -> None:
        self.path = ""
        self.value: Any = None
        self.shape: Shape | None = None
        self.container = ""  # "list", "map value", "map key" or ""
        self.container_path = ""
        self.container_value: Any = None


def locate(tables: ServiceTables, shape_name: str, params: Any, path: str) -> Located:
    """Follow a validator's path (``A.B[0].C``, a map's key after a dot) through ``params``
    and the tables. Stops where the path leaves the model (the rest is then not shown)."""
    found = Located()
    parts: list[str] = []
    shape: Shape | None = tables.shapes.get(shape_name)
    value: Any = params
    pos = 0
    while pos < len(path) and shape is not None:
        container_path, container_value = ".".join(parts), value
        if shape.type == "structure":
            if path[pos] == ".":
                pos += 1
            end = _next_separator(path, pos)
            name = path[pos:end]
            ref = next((r for r in shape.members if r.name == name), None)
            if ref is None:
                break
            target = tables.shapes.get(ref.shape)
            wire = ref.location_name or (target.location_name if target else "") or ref.name
            parts.append(wire[:1].lower() + wire[1:])
            value = value.get(name) if isinstance(value, Mapping) else None
            shape, pos = target, end
            found.container = ""
        elif shape.type == "list" and shape.member is not None and path[pos] == "[":
            close = path.find("]", pos)
            if close < 0 or not path[pos + 1 : close].isdigit():
                break
            index = int(path[pos + 1 : close])
            parts += [str(index + 1), "member"]
            items = value if isinstance(value, (list, tuple)) else ()
            value = items[index] if index < len(items) else None
            shape, pos = tables.shapes.get(shape.member.shape), close + 1
            found.container = "list"
        elif shape.type == "map" and shape.value is not None and path[pos] == ".":
            entries = value if isinstance(value, Mapping) else {}
            key = _map_key(path, pos + 1, entries)
            if key is None:
                break
            parts.append(key)
            value = entries.get(key)
            shape, pos = tables.shapes.get(shape.value.shape), pos + 1 + len(key)
            found.container = "map value"
        else:
            break
        found.container_path, found.container_value = container_path, container_value
    found.path, found.value, found.shape = ".".join(parts), value, shape
    if found.container and (shape is None or shape.type in ("structure", "list", "map")):
        found.container = ""  # a structure in a list: AWS names its path (keySchema.1.member)
    return found


def _next_separator(path: str, start: int) -> int:
    ends = [i for i in (path.find(".", start), path.find("[", start)) if i >= 0]
    return min(ends) if ends else len(path)


def _map_key(path: str, start: int, entries: Mapping[Any, Any]) -> str | None:
    """The longest key of ``entries`` the path continues with (a key may hold dots)."""
    ends = [i for i in range(start, len(path)) if path[i] in ".["] + [len(path)]
    for end in reversed(ends):
        if path[start:end] in entries:
            return path[start:end]
    return None


def _describe(
    tables: ServiceTables, shape_name: str, params: Mapping[str, Any], issue: Issue
) -> str:
    found = locate(tables, shape_name, params, issue.path)
    words = _constraint(issue, found)
    if words is None:  # nothing of the model's: the validator's own words
        return f"Value at '{found.path or 'input'}' failed to satisfy constraint: {issue.message}"
    if found.container == "list":
        words = f"Member must satisfy constraint: [{words}]"
        return _sentence(found.container_value, found.container_path, words)
    if found.container == "map value":
        words = f"Map value must satisfy constraint: [{words}]"
        return _sentence(found.container_value, found.container_path, words)
    return _sentence(found.value, found.path, words)


def _sentence(value: Any, path: str, words: str) -> str:
    shown = "null" if value is None else f"'{_shorten(_java(value))}'"
    return f"Value {shown} at '{path or 'input'}' failed to satisfy constraint: {words}"


def _constraint(issue: Issue, found: Located) -> str | None:
    """The constraint ``issue`` breaks, in AWS's words, when the model states it."""
    shape, value = found.shape, found.value
    if issue.code == "missing_required" and issue.rule is None:
        found.container = ""  # the member itself is null, not an item of a list
        return "Member must not be null"
    if issue.rule not in _MODEL_RULES or shape is None:
        return None  # a documented constraint or rule of a hand-written spec
    if issue.code in ("invalid_length", "too_few_items", "too_many_items"):
        size = len(value) if isinstance(value, (str, bytes, list, tuple, Mapping)) else None
        return _bound("length", size, shape)
    if issue.code == "invalid_range":
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        return _bound("value", number, shape)
    if issue.code == "invalid_enum" and shape.enum:
        return f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
    if issue.code == "invalid_format" and shape.pattern:
        return f"Member must satisfy regular expression pattern: {shape.pattern}"
    return None


def _bound(what: str, actual: float | None, shape: Shape) -> str | None:
    if shape.min is not None and (actual is None or actual < shape.min):
        return f"Member must have {what} greater than or equal to {_number(shape.min)}"
    if shape.max is not None:
        return f"Member must have {what} less than or equal to {_number(shape.max)}"
    return None


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _java(value: Any) -> str:
    """A value as AWS's (Java) services print it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return timestamp_text(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value[:_VALUE_LIMIT])).decode("ascii")
    if isinstance(value, Mapping):
        shown = list(value.items())[:_VALUE_LIMIT]
        return "{" + ", ".join(f"{_java(k)}={_java(v)}" for k, v in shown) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_java(v) for v in value[:_VALUE_LIMIT]) + "]"
    if value is None:
        return "null"
    return str(value)


def _shorten(text: str) -> str:
    return text if len(text) <= _VALUE_LIMIT else text[:_VALUE_LIMIT] + "..."
