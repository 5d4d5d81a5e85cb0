"""An operation's documentation in the layout of the changelog seed (AWS's boto3 reference page).

``operation_details(model, name)`` gives the lines the changelog shows under an operation with
``--details``: its documentation, ``See also``, the request syntax, one ``type``/``param`` entry
per request member (documentation, documented filter names, nested items), the response syntax
and the response structure as a bulleted tree. Type names are boto3's (``dict``, ``list``,
``string``, ``integer``, ``datetime``, ...), as in the seed.
"""

from __future__ import annotations

from codegen.docs import BULLET, paragraphs
from codegen.model import Member, ServiceModel, Shape
from codegen.names import client_method

BOTO_TYPES = {
    "structure": "dict",
    "list": "list",
    "map": "dict",
    "string": "string",
    "integer": "integer",
    "long": "integer",
    "boolean": "boolean",
    "timestamp": "datetime",
    "double": "float",
    "float": "float",
    "blob": "bytes",
}
_SCALAR_SAMPLES = {
    "string": "'string'",
    "integer": "123",
    "long": "123",
    "boolean": "True|False",
    "timestamp": "datetime(2015, 1, 1)",
    "double": "123.0",
    "float": "123.0",
    "blob": "b'bytes'",
}


def boto_type(shape: Shape) -> str:
    return BOTO_TYPES.get(shape.type, shape.type)


def operation_details(model: ServiceModel, name: str) -> list[str]:
    op = model.operation(name)
    lines: list[str] = []
    for para in paragraphs(op.documentation):
        lines += [_doc_line(para, 0, top=True), ""]
    lines += ["See also: AWS API Documentation", "", "Request Syntax", ""]
    input_shape = model.shapes[op.input] if op.input else None
    lines += request_syntax(model, name)
    lines.append("")
    if input_shape is not None:
        for member_name, member in input_shape.members.items():
            lines += _param(model, member_name, member, member_name in input_shape.required)
    lines += ["", "", "", "Response Syntax" if op.output else "Returns", ""]
    if op.output:
        lines += _value_lines(model, op.output, 0, frozenset())
        lines += ["", "Response Structure", ""]
        lines += _item(model, None, op.output, "", 2, frozenset(), named=False)
    else:
        lines += ["None", ""]
    return lines


# -- request parameters ------------------------------------------------------------------------


def _doc_line(para: str, indent: int, *, top: bool = False) -> str:
    # At the top level (operation and parameter text) list items are indented by two spaces,
    # as on AWS's pages; inside the bulleted structure they align with the text.
    extra = 2 if top and para.startswith(BULLET) else 0
    return " " * (indent + extra) + para


def _param(model: ServiceModel, name: str, member: Member, required: bool) -> list[str]:
    lines = [f"type {name}", "", "", f"param {name}", ""]
    if required:
        lines.append("")
    paras = paragraphs(member.documentation)
    filters = member.documented.filters
    if filters is not None:
        for f in filters.names:
            bullet = f"{BULLET}{f.name} - {f.documentation}"
            if not any(p.startswith(f"{BULLET}{f.name} ") for p in paras):
                paras.append(bullet)
    for para in paras:
        lines += [_doc_line(para, 0, top=True), ""]
    lines += _children(model, member.shape, 2, frozenset())
    return lines


# -- the bulleted structure --------------------------------------------------------------------


def _item(
    model: ServiceModel,
    name: str | None,
    shape_name: str,
    documentation: str,
    indent: int,
    seen: frozenset[str],
    *,
    named: bool = True,
) -> list[str]:
    shape = model.shapes[shape_name]
    label = f"{name} ({boto_type(shape)})" if named and name else f"({boto_type(shape)})"
    lines = [" " * indent + f"{BULLET}{label} --", ""]
    for para in paragraphs(documentation or shape.documentation):
        lines += [_doc_line(para, indent + 2), ""]
    lines += _children(model, shape_name, indent + 2, seen)
    return lines


def _children(
    model: ServiceModel, shape_name: str, indent: int, seen: frozenset[str]
) -> list[str]:
    shape = model.shapes[shape_name]
    if shape_name in seen:
        return []
    seen = seen | {shape_name}
    lines: list[str] = []
    if shape.type == "structure":
        for member_name, member in shape.members.items():
            lines += _item(model, member_name, member.shape, member.documentation, indent, seen)
    elif shape.type == "list" and shape.member is not None:
        lines += _item(model, None, shape.member.shape, shape.member.documentation, indent, seen)
    elif shape.type == "map" and shape.key is not None and shape.value is not None:
        key = model.shapes[shape.key.shape]
        lines += [" " * indent + f"{BULLET}({boto_type(key)}) --", ""]
        lines += _item(model, None, shape.value.shape, shape.value.documentation, indent + 2, seen)
    return lines


# -- syntax blocks -----------------------------------------------------------------------------


def request_syntax(model: ServiceModel, name: str) -> list[str]:
    op = model.operation(name)
    call = f"response = client.{client_method(name)}("
    if not op.input or not model.shapes[op.input].members:
        return [call + ")"]
    shape = model.shapes[op.input]
    lines = [call]
    items = list(shape.members.items())
    for i, (member_name, member) in enumerate(items):
        value = _value_lines(model, member.shape, 4, frozenset({op.input}))
        entry = [f"    {member_name}={value[0]}", *value[1:]]
        if i < len(items) - 1:
            entry[-1] += ","
        lines += entry
    lines.append(")")
    return lines


def _value_lines(
    model: ServiceModel, shape_name: str, indent: int, seen: frozenset[str]
) -> list[str]:
    """A sample value of the shape as boto3 shows it; the first line has no indentation."""
    shape = model.shapes[shape_name]
    pad = " " * indent
    inner = " " * (indent + 4)
    if shape.type in ("structure", "list", "map") and shape_name in seen:
        return ["{'... recursive ...'}"]
    seen = seen | {shape_name}
    if shape.type == "structure":
        lines = ["{"]
        items = list(shape.members.items())
        for i, (member_name, member) in enumerate(items):
            value = _value_lines(model, member.shape, indent + 4, seen)
            entry = [f"{inner}'{member_name}': {value[0]}", *value[1:]]
            if i < len(items) - 1:
                entry[-1] += ","
            lines += entry
        return lines + [pad + "}"]
    if shape.type == "list":
        assert shape.member is not None
        value = _value_lines(model, shape.member.shape, indent + 4, seen)
        return ["[", *_indented_item(value, inner), pad + "]"]
    if shape.type == "map":
        assert shape.key is not None and shape.value is not None
        key = _value_lines(model, shape.key.shape, indent + 4, seen)[0]
        value = _value_lines(model, shape.value.shape, indent + 4, seen)
        return ["{", f"{inner}{key}: {value[0]}", *value[1:], pad + "}"]
    if shape.enum:
        return ["|".join(f"'{v}'" for v in shape.enum)]
    return [_SCALAR_SAMPLES.get(shape.type, "'string'")]


def _indented_item(value: list[str], inner: str) -> list[str]:
    lines = [f"{inner}{value[0]}", *value[1:]]
    lines[-1] += ","
    return lines
