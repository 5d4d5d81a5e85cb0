"""The checks of the generated validators, written as lines of Python.

:class:`StructureWriter` writes the function checking one structure shape in one direction
(input or output): its type, required and unknown members, each member's checks and the
:class:`~codegen.model.Rule` s between members. :class:`ValueWriter` writes the checks of one
value (a member, a list item, a map key or value): its type by botocore's rules, then what
botocore checks (``min``) and, under ``strict``, what it does not (``max``, patterns, enums,
documented constraints and formats). Each check is a :class:`Check` (``if cond: body``); the
helpers at the end join them into as flat a chain of ``if``/``elif`` as they allow. Constants
and the functions of nested structures go to the :class:`~.validators_builder.ValidatorsBuilder`.
"""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass
from typing import Any

from codegen.generators.base import GeneratorError
from codegen.generators.jsonschema_gen import json_value_header
from codegen.generators.text import (
    INDENT,
    comment,
    docstring_text,
    first_paragraph,
    indent,
    py,
    quoted,
)
from codegen.generators.validators_builder import DOC_WIDTH, INPUT, OUTPUT, ValidatorsBuilder
from codegen.model import Condition, Constraints, Member, Rule, Shape
from codegen.names import constant_case, snake_case
from codegen.regexes import enforceable

# botocore's valid-type lists, as its messages print them
_TYPE_NAMES = {
    "string": "_T_STRING",
    "integer": "_T_INTEGER",
    "long": "_T_INTEGER",
    "float": "_T_FLOAT",
    "double": "_T_FLOAT",
    "boolean": "_T_BOOLEAN",
    "timestamp": "_T_TIMESTAMP",
    "blob": "_T_BLOB",
}
# names the generated functions use (a rule's local must not shadow them)
# the locals and parameters of generated validators, and the module's imported names
_RESERVED_LOCALS = frozenset(
    {"params", "response", "path", "issues", "strict", "fail_fast", "value", "candidate", "absent"}
    | {"unknown", "unknown_members"}
    | {"re", "datetime", "timezone", "parsedate_to_datetime", "dataclass", "annotations"}
)
_LOOP_LOCAL = re.compile(r"(index|item|base|key)[0-9]+")


def local_name(member: str) -> str:
    """A local variable for ``member``'s value that shadows nothing the code uses."""
    name = snake_case(member) or "member"
    if (
        keyword.iskeyword(name)
        or name in _RESERVED_LOCALS
        or hasattr(builtins, name)
        or _LOOP_LOCAL.fullmatch(name)
        or not name.isidentifier()
    ):
        name += "_value"
    return name


@dataclass
class Check:
    """One check inside a value's checks: ``if cond: body`` (or ``body`` alone when cond is None)."""

    cond: str | None
    body: list[str]

    def lines(self) -> list[str]:
        if self.cond is None:
            return list(self.body)
        return [f"if {self.cond}:", *indent(self.body)]


class StructureWriter:
    """Writes the function checking one structure shape (input or output direction)."""

    def __init__(
        self, module: ValidatorsBuilder, shape: Shape, direction: str, top: bool = False
    ) -> None:
        self.module = module
        self.model = module.model
        self.shape = shape
        self.direction = direction
        self.prefix = f"_{constant_case(shape.name)}"
        self.top = top  # inlined in a public validator, where ``path`` is ""

    def at(self, member: str) -> str:
        """The expression of a member's path: its name itself at the top level."""
        return py(member) if self.top else f"_at(path, {py(member)})"

    def function(self) -> str:
        shape = self.shape
        name = self.module.structure_function(shape, self.direction)
        role = self._role()
        doc = docstring_text(
            f"Check a value of shape {shape.name}{role} found at ``path`` ('' at the top level).",
            first_paragraph(shape.documentation),
            width=DOC_WIDTH,
        )
        extra = ", unknown: bool" if self.direction == OUTPUT else ""
        body = self.body("return")
        if self.nested:  # a value of a recursive shape is followed _MAX_NESTING levels deep
            extra += ", depth: int = 0"
            body[:0] = [
                "if depth >= _MAX_NESTING:",
                f"    issues.append(_too_deep(path, {py(shape.name)}))",
                "    return",
            ]
        signature = f"def {name}(params: object, path: str, issues: list[ValidationIssue], strict: bool{extra}) -> None:"
        return "\n".join([signature, *quoted(doc), *indent(body)])

    @property
    def nested(self) -> bool:
        """Whether this function checks a recursive shape, with a ``depth`` (not inlined)."""
        return not self.top and self.shape.name in self.module.recursive

    def body(self, exit_statement: str) -> list[str]:
        """The checks of ``params`` (at ``path``, into ``issues``); ``exit_statement`` leaves early."""
        shape = self.shape
        body: list[str] = [
            "if not isinstance(params, dict):",
            "    issues.append(_invalid_type(path, params, _T_STRUCTURE))",
            f"    {exit_statement}",
        ]
        for required in shape.required:
            body += [
                f"if {py(required)} not in params:",
                f"    issues.append(_missing(path, {py(required)}))",
            ]
        members = self.module.frozen(f"{self.prefix}_MEMBERS", list(shape.members))
        names = self.module.ordered(f"{self.prefix}_MEMBER_NAMES", list(shape.members))
        if shape.traits.get("union"):
            body += [
                "if len(params) != 1:",
                f"    issues.append(_union_issue(path, params, {names}))",
            ]
        if shape.members:
            body.append("absent = 0")
        for member in shape.members.values():
            member_shape = self.model.shape(member.shape)
            checks = ValueWriter(
                self, member_shape, member, "value", self.at(member.name), 1
            ).lines()
            body.append(f"value = params.get({py(member.name)}, _ABSENT)")
            body += _when_present(checks)
        # Every key is a member that is given, or unknown: counting is faster than a set test.
        unknown = f"len(params) + absent > {len(shape.members)}" if shape.members else "params"
        if self.direction == OUTPUT:  # a newer API's responses carry new members: only on request
            unknown = f"unknown and {unknown}"
        body += [
            f"if {unknown}:  # a key that is not a member",
            f"    _report_unknown(params, path, {members}, {names}, issues)",
        ]
        body += self.rules()
        return body

    def _role(self) -> str:
        roles = []
        for op in self.model.operations.values():
            if self.direction == INPUT and op.input == self.shape.name:
                roles.append(f"the input of {op.name}")
            if self.direction == OUTPUT and op.output == self.shape.name:
                roles.append(f"the output of {op.name}")
        if roles:
            return " (" + ", ".join(roles) + ")"
        return " (in an output)" if self.direction == OUTPUT else ""

    # rules between members

    def rules(self) -> list[str]:
        shape = self.shape
        if not shape.rules:
            return []
        body: list[str] = []
        locals_: dict[str, str] = {}
        for rule in shape.rules:
            if rule.when is not None:
                for member in sorted(_equals_members(rule.when)):
                    if member in locals_:
                        continue
                    local = local_name(member)
                    locals_[member] = local
                    default = shape.members[member].documented.default
                    if default is None:
                        body.append(f"{local} = params.get({py(member)}, _ABSENT)")
                    else:
                        body.append(
                            f"# {member} counts as {default!r}, its documented default, when absent"
                        )
                        body.append(f"{local} = params.get({py(member)}, {py(default)})")
        for rule in shape.rules:
            body += comment(f"{rule.id}: {rule.source}")
            body += self.rule(rule, locals_)
        return ["if strict:", *indent(body)]

    def rule(self, rule: Rule, locals_: dict[str, str]) -> list[str]:
        cond = self.condition(rule.when, locals_) if rule.when is not None else None
        args = f"{py(rule.id)}, {py(rule.message)}"
        checks: list[Check] = []
        if rule.kind == "forbidden":
            for member in rule.members:
                checks.append(
                    Check(
                        f"{py(member)} in params",
                        [f"issues.append(_forbidden(path, {py(member)}, {args}))"],
                    )
                )
        elif rule.kind == "required":
            for member in rule.members:
                if member in self.shape.required:
                    continue  # reported by the required check already
                checks.append(
                    Check(
                        f"{py(member)} not in params",
                        [f"issues.append(_missing(path, {py(member)}, {args}))"],
                    )
                )
        elif rule.kind == "one_of_required":
            absent = " and ".join(f"{py(m)} not in params" for m in rule.members)
            members = py(tuple(rule.members))
            checks.append(
                Check(absent, [f"issues.append(_missing_one_of(path, {members}, {args}))"])
            )
        else:  # format
            assert rule.format is not None
            fmt = self.model.formats[rule.format]
            member = rule.members[0]
            test = self.module.format_test(fmt, "candidate")
            explain = self.module.explain(fmt, "candidate")
            checks.append(
                Check(
                    None,
                    [
                        f"candidate = params.get({py(member)})",
                        f"if isinstance(candidate, str) and {test}:",
                        f"    issues.append(_bad_format({self.at(member)}, candidate, {args}, {explain}))",
                    ],
                )
            )
        return _join_checks(cond, checks)

    def condition(self, cond: Condition, locals_: dict[str, str]) -> str:
        if cond.kind == "equals":
            assert cond.member is not None
            local = locals_[cond.member]
            if all(isinstance(v, str) for v in cond.values):
                if len(cond.values) == 1:
                    return f"{local} == {py(cond.values[0])}"
                return f"{local} in {py(tuple(cond.values))}"
            return " or ".join(_equals(local, v) for v in cond.values)
        if cond.kind == "present":
            return f"{py(cond.member)} in params"
        if cond.kind == "absent":
            return f"{py(cond.member)} not in params"
        if cond.kind == "not":
            inner = cond.conditions[0]
            if (
                inner.kind == "equals"
                and len(inner.values) == 1
                and isinstance(inner.values[0], str)
            ):
                return f"{locals_[inner.member or '']} != {py(inner.values[0])}"
            return f"not ({self.condition(inner, locals_)})"
        joiner = " and " if cond.kind == "all" else " or "
        return joiner.join(f"({self.condition(c, locals_)})" for c in cond.conditions)


def _equals(local: str, value: Any) -> str:
    """``local`` equals ``value`` as JSON Schema's ``const`` has it: a bool is not a number."""
    if isinstance(value, bool):
        return f"{local} is {value!r}"
    if isinstance(value, (int, float)):
        return f"({local} == {value!r} and type({local}) is not bool)"
    return f"{local} == {py(value)}"


def _equals_members(cond: Condition) -> set[str]:
    found = {cond.member} if cond.kind == "equals" and cond.member else set()
    for inner in cond.conditions:
        found |= _equals_members(inner)
    return found


def _join_checks(cond: str | None, checks: list[Check]) -> list[str]:
    """``if cond:`` around ``checks``, folding a single conditional check into one ``if``."""
    if cond is None:
        return [line for c in checks for line in c.lines()]
    if len(checks) == 1 and checks[0].cond is not None:
        if " or " in cond:
            cond = f"({cond})"
        return [f"if {cond} and {checks[0].cond}:", *indent(checks[0].body)]
    return [f"if {cond}:", *indent([line for c in checks for line in c.lines()])]


class ValueWriter:
    """Writes the checks of one value (a member, list item or map key/value) of known presence.

    ``var`` is the local holding the value; ``path`` a Python expression giving its path,
    evaluated only when an issue is reported (``depth`` names the loop variables).
    """

    def __init__(
        self, owner: StructureWriter, shape: Shape, member: Member, var: str, path: str, depth: int
    ):
        self.owner = owner
        self.module = owner.module
        self.shape = shape
        self.member = member
        self.doc: Constraints = member.documented
        self.var = var
        self.path = path
        self.depth = depth
        self.name = (
            f"{owner.prefix}_{constant_case(member.name)}"
            if depth == 1
            else (f"{owner.prefix}_{constant_case(member.name)}_{depth}")
        )

    def lines(self) -> list[str]:
        kind = self.shape.type
        if kind == "structure" and self.shape.traits.get("document"):
            return [f"_check_document({self.var}, {self.path}, issues)"]
        if kind == "structure":
            function = self.module.structure_function(self.shape, self.owner.direction)
            extra = ", unknown" if self.owner.direction == OUTPUT else ""
            if self.owner.shape.name in self.module.recursive and self.shape.name in (
                self.module.recursive
            ):  # one level deeper into the cycle (an inlined top-level shape is level 0)
                extra += ", depth + 1" if self.owner.nested else ", 1"
            call = f"{function}({self.var}, {self.path}, issues, strict{extra})"
            if self.shape.traits.get("eventstream") and self.owner.direction == OUTPUT:
                # botocore returns an EventStream object, iterated for the events
                return [f"if not _is_stream({self.var}):", f"    {call}"]
            return [call]
        if json_value_header(self.member, self.shape):  # botocore: anything json.dumps encodes
            return [f"_check_json_value({self.var}, {self.path}, issues, strict)"]
        if kind == "list":
            return self.list_lines()
        if kind == "map":
            return self.map_lines()
        return self.scalar_lines()

    # reporting helpers

    def report(self, call: str) -> list[str]:
        return [f"issues.append({call})"]

    # scalars

    def type_test(self) -> tuple[str, str]:
        """(condition meaning 'wrong type', the issue to report)."""
        v, p, kind = self.var, self.path, self.shape.type
        names = _TYPE_NAMES[kind]
        if kind == "string":
            return f"not isinstance({v}, str)", f"_invalid_type({p}, {v}, {names})"
        if kind in ("integer", "long"):
            return (
                f"not isinstance({v}, int) or strict and type({v}) is bool",
                f"_invalid_number({p}, {v}, {names})",
            )
        if kind in ("float", "double"):
            return (
                f"not isinstance({v}, (float, Decimal, int)) or strict and type({v}) is bool",
                f"_invalid_number({p}, {v}, {names})",
            )
        if kind == "boolean":
            return f"{v} is not True and {v} is not False", f"_invalid_type({p}, {v}, {names})"
        if kind == "timestamp":
            return f"not _is_timestamp({v}, strict)", f"_invalid_number({p}, {v}, {names})"
        if kind == "blob":
            return (
                f'not isinstance({v}, (bytes, bytearray, str)) and not hasattr({v}, "read")',
                f"_invalid_type({p}, {v}, {names})",
            )
        raise GeneratorError(
            generator=self.module.generator,
            message=f"shape {self.shape.name}: unsupported type {kind}",
        )

    def scalar_lines(self) -> list[str]:
        shape, doc, v, p = self.shape, self.doc, self.var, self.path
        kind = shape.type
        always: list[Check] = []
        strict: list[Check] = []
        if kind == "string":
            self._sizes(always, strict, ("invalid_length",) * 2, ("min_length", "max_length"))
            if shape.pattern is not None and enforceable(shape.pattern) is not None:
                strict.append(
                    self._pattern(
                        f"_{constant_case(shape.name)}_PATTERN",
                        shape.pattern,
                        f"shape {shape.name}",
                        _longest(shape.max),
                    )
                )
            if shape.enum:
                members = self.module.frozen(f"_{constant_case(shape.name)}", shape.enum)
                ordered = self.module.ordered(f"_{constant_case(shape.name)}_VALUES", shape.enum)
                strict.append(
                    Check(f"{v} not in {members}", self.report(f"_bad_enum({p}, {v}, {ordered})"))
                )
            if doc.pattern is not None:
                strict.append(
                    self._pattern(
                        f"{self.name}_PATTERN",
                        doc.pattern,
                        f"member {self.member.name}",
                        _longest(doc.max_length),
                    )
                )
            if doc.format is not None:
                fmt = self.module.model.formats[doc.format]
                test = self.module.format_test(fmt, v)
                explain = self.module.explain(fmt, v)
                text = py(f"must be {fmt.description}")
                strict.append(
                    Check(
                        test,
                        self.report(f'_bad_format({p}, {v}, "format", {text}, {explain})'),
                    )
                )
        elif kind in ("integer", "long", "float", "double"):
            if shape.min is not None:
                always.append(self._range(shape.min, "min", None))
            if shape.max is not None:
                strict.append(self._range(shape.max, "max", "max"))
            if doc.min_value is not None:
                strict.append(self._range(doc.min_value, "min", "min_value"))
            if doc.max_value is not None:
                strict.append(self._range(doc.max_value, "max", "max_value"))
        if doc.allowed_values:
            allowed = self.module.frozen(f"{self.name}_ALLOWED", doc.allowed_values)
            ordered = self.module.ordered(f"{self.name}_ALLOWED_VALUES", doc.allowed_values)
            strict.append(
                Check(f"{v} not in {allowed}", self.report(f"_not_allowed({p}, {v}, {ordered})"))
            )
        wrong, issue = self.type_test()
        return _compose(wrong, self.report(issue), always, strict)

    def _sizes(
        self,
        always: list[Check],
        strict: list[Check],
        codes: tuple[str, str],
        documented: tuple[str, str],
    ) -> None:
        """The checks of a string's length or a list's item count: the shape's ``min`` into
        ``always`` (botocore checks it), its ``max`` and the documented bounds into ``strict``.
        ``codes``: the issue codes (too few, too many); ``documented``: the fields of the
        member's :class:`~codegen.model.Constraints` holding the bounds (min, max), which are
        also the names of the rules they state."""
        shape = self.shape
        if shape.min is not None:
            always.append(self._length(shape.min, "min", codes[0], None))
        elif shape.type == "string" and self.member.traits.get("hostLabel"):
            always.append(self._length(1, "min", codes[0], None))  # botocore: never empty
        if shape.max is not None:
            strict.append(self._length(shape.max, "max", codes[1], "max"))
        for rule, side, code in zip(documented, ("min", "max"), codes):
            bound = getattr(self.doc, rule)
            if bound is not None:
                strict.append(self._length(bound, side, code, rule))

    def _length(self, bound: float, side: str, code: str, rule: str | None) -> Check:
        op = "<" if side == "min" else ">"
        n = int(bound)
        return Check(
            f"len({self.var}) {op} {n}",
            self.report(
                f"_bad_length({self.path}, {self.var}, {n}, {py(side)}, {py(code)}, {py(rule)})"
            ),
        )

    def _pattern(self, constant: str, pattern: str, where: str, longest: int | None) -> Check:
        """The value must match ``pattern`` (compiled once, as module constant ``constant``);
        ``longest``: the most characters its shape allows (None: no bound)."""
        regex = self.module.regex(constant, pattern, where, longest=longest)
        text = py(f"must match the pattern {pattern}")
        return Check(
            f"{regex}.search({self.var}) is None",
            self.report(
                f'_bad_value({self.path}, {self.var}, "invalid_format", "pattern", {text})'
            ),
        )

    def _range(self, bound: float, side: str, rule: str | None) -> Check:
        op = "<" if side == "min" else ">"
        literal = repr(int(bound)) if float(bound).is_integer() else repr(float(bound))
        return Check(
            f"{self.var} {op} {literal}",
            self.report(
                f"_out_of_range({self.path}, {self.var}, {literal}, {py(side)}, {py(rule)})"
            ),
        )

    # containers

    def list_lines(self) -> list[str]:
        shape, doc, v, p = self.shape, self.doc, self.var, self.path
        assert shape.member is not None
        always: list[Check] = []
        strict: list[Check] = []
        self._sizes(
            always, strict, ("too_few_items", "too_many_items"), ("min_items", "max_items")
        )
        index, item = f"index{self.depth}", f"item{self.depth}"
        item_shape = self.module.model.shape(shape.member.shape)
        item_path = f"_item({p}, {index})"
        if item_shape.type == "structure":
            # a structure needs its path eagerly: compute the list's path once
            base = f"base{self.depth}"
            item_path = f"_item({base}, {index})"
            loop = [f"{base} = {p}", f"for {index}, {item} in enumerate({v}):"]
        else:
            loop = [f"for {index}, {item} in enumerate({v}):"]
        inner = ValueWriter(
            self.owner, item_shape, shape.member, item, item_path, self.depth + 1
        ).lines()
        loop += indent(inner)
        after: list[Check] = []
        if doc.filters is not None:
            spec = doc.filters
            table = self._filters_table()
            after.append(
                Check(
                    None,
                    [
                        (
                            f"_documented_filters({v}, {p}, {table}, {py(spec.name_member)}, "
                            f"{py(spec.values_member)}, {spec.case_sensitive}, issues)"
                        )
                    ],
                )
            )
        body: list[str] = []
        for check in always:
            body += check.lines()
        body += _strict_block(strict)
        body += loop
        body += _strict_block(after)
        wrong, issue = self.type_test_container("list")
        return [f"if {wrong}:", *indent(self.report(issue)), "else:", *indent(body)]

    def _filters_table(self) -> str:
        spec = self.doc.filters
        assert spec is not None

        def fold(text: str) -> str:
            return text if spec.case_sensitive else text.casefold()

        entries = ", ".join(
            f"{py(fold(f.name))}: {py(tuple(fold(x) for x in f.values))}" for f in spec.names
        )
        note = (
            f"documented filters of {self.owner.shape.name}.{self.member.name} (name: allowed values, () for any)"
            + ("" if spec.case_sensitive else "; case-insensitive, so folded")
        )
        return self.module.constant(
            f"{self.name}_FILTERS", f"{{{entries}}}", "Final[dict[str, tuple[str, ...]]]", note
        )

    def type_test_container(self, kind: str) -> tuple[str, str]:
        v, p = self.var, self.path
        if kind == "list":
            return f"not isinstance({v}, (list, tuple))", f"_invalid_type({p}, {v}, _T_LIST)"
        return f"not isinstance({v}, dict)", f"_invalid_type({p}, {v}, _T_MAP)"

    def map_lines(self) -> list[str]:
        shape, v, p = self.shape, self.var, self.path
        assert shape.key is not None and shape.value is not None
        key, item = f"key{self.depth}", f"item{self.depth}"
        key_shape = self.module.model.shape(shape.key.shape)
        value_shape = self.module.model.shape(shape.value.shape)
        key_lines = ValueWriter(
            self.owner, key_shape, shape.key, key, f"_key({p}, {key})", self.depth + 1
        ).lines()
        value_path = f"_at({p}, _name({key}))"
        value_lines = ValueWriter(
            self.owner, value_shape, shape.value, item, value_path, self.depth + 1
        ).lines()
        wrong, issue = self.type_test_container("map")
        strict: list[Check] = []  # botocore does not check a map's size
        if shape.min is not None:
            strict.append(self._length(shape.min, "min", "too_few_items", "min"))
        if shape.max is not None:
            strict.append(self._length(shape.max, "max", "too_many_items", "max"))
        loop = [f"for {key}, {item} in {v}.items():", *indent(key_lines + value_lines)]
        return [
            f"if {wrong}:",
            *indent(self.report(issue)),
            "else:",
            *indent(_strict_block(strict) + loop),
        ]


def _when_present(checks: list[str]) -> list[str]:
    """Count an absent member, else run ``checks`` (their leading ``if`` joins the chain)."""
    lines = ["if value is _ABSENT:", f"{INDENT}absent += 1"]
    head = checks[0]
    if head.startswith("if ") and head.endswith(":"):
        return [*lines, "el" + head, *checks[1:]]
    return [*lines, "else:", *indent(checks)]


def _strict_block(checks: list[Check]) -> list[str]:
    if not checks:
        return []
    if len(checks) == 1 and checks[0].cond is not None:
        return [f"if strict and {checks[0].cond}:", *indent(checks[0].body)]
    return ["if strict:", *indent([line for c in checks for line in c.lines()])]


def _compose(wrong: str, report: list[str], always: list[Check], strict: list[Check]) -> list[str]:
    """``if wrong type: report`` followed by the value's other checks, as flat as possible."""
    lines = [f"if {wrong}:", *indent(report)]
    if not always and not strict:
        return lines
    if not always and len(strict) == 1 and strict[0].cond is not None:
        return lines + [f"elif strict and {strict[0].cond}:", *indent(strict[0].body)]
    if not strict and len(always) == 1 and always[0].cond is not None:
        return lines + [f"elif {always[0].cond}:", *indent(always[0].body)]
    body = [line for c in always for line in c.lines()] + _strict_block(strict)
    return lines + ["else:", *indent(body)]


def write_structures(module: ValidatorsBuilder) -> None:
    """Write the check function of every structure queued in ``module`` (and of those the
    written ones queue in turn)."""
    for name, direction in module.pending():
        module.functions.append(
            StructureWriter(module, module.model.shape(name), direction).function()
        )


def _longest(bound: float | None) -> int | None:
    """The most characters a string's ``max`` (or documented ``maxLength``) allows, None without
    one: the length of the values its pattern's matcher is chosen for."""
    return None if bound is None else int(bound)
