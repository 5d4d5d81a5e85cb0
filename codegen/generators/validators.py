"""Generator: standalone parameter validators, one Python module per service.

Writes ``validators.py``: a module that needs nothing but the standard library (users copy it
into their projects) or, for a service of more than 64 operations, a package ``validators/``
with the same API whose modules are imported lazily (:mod:`codegen.generators.split`), with,
for every operation,

* ``validate_<operation>(params, *, strict=True) -> list[ValidationIssue]`` for its input and
  ``validate_<operation>_output(response, *, strict=True)`` for its output;
* dispatchers ``validate(operation_name, params)``, ``validate_output(...)`` and ``check(...)``,
  which raises ``ParamValidationError`` (botocore's message format) carrying every issue.

``strict=False`` checks exactly what botocore's ``ParamValidator`` checks (types by botocore's
rules, required members, unknown members, ``min``). ``strict=True`` adds what botocore's model
states but botocore does not check (``max``, ``pattern``, enums), every documented constraint of
a member (:class:`~codegen.model.Constraints`: allowed values, item counts, formats, filters)
and every :class:`~codegen.model.Rule` between members, and it rejects a bool given for a number
(botocore accepts one, because ``bool`` is a subclass of ``int``; it is sent as ``True``).

The code is generated straight: one function per structure shape (and direction), with the
checks of each member inlined, regular expressions compiled once, enums as frozensets. The
checks are built here, as lines of Python; the Jinja template only lays out the file and holds
the shared runtime (the issue type, message helpers, the timestamp check).
"""

from __future__ import annotations

import builtins
import functools
import json
import keyword
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from codegen.docs import wrap
from codegen.generators.base import GenerationContext, Generator, GeneratorError, environment
from codegen.generators.jsonschema_gen import RESPONSE_METADATA, json_value_header, shape_regex
from codegen.generators.split import (
    LAYOUTS,
    Definition,
    bucket_count,
    defined,
    from_import,
    imports_of,
    is_large,
    isort_member,
    isort_module,
    partition,
    words,
)
from codegen.model import (
    Condition,
    Constraints,
    FieldList,
    Format,
    Member,
    Rule,
    ServiceModel,
    Shape,
)
from codegen.regex_safety import linear_matcher
from codegen.regexes import enforceable

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

INPUT = "input"
OUTPUT = "output"

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
_INDENT = "    "


def snake_case(name: str) -> str:
    """``CreateFlowLogs`` -> ``create_flow_logs``; ``DescribeDBInstances`` -> ``describe_db_instances``."""
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()


def constant_case(name: str) -> str:
    return snake_case(name).upper()


def py(value: Any) -> str:
    """A Python literal for a JSON-like value (deterministic)."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(py(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"no literal for {value!r}")


def _string(text: str) -> str:
    """A double-quoted literal (JSON's escapes are Python's; control characters escaped)."""
    return json.dumps(text, ensure_ascii=False)


def regex_literal(pattern: str) -> str:
    """A raw string literal for ``pattern`` when possible (readable), else an escaped one."""
    plain = all(ch.isprintable() for ch in pattern)
    if plain and '"' not in pattern and not pattern.endswith("\\"):
        return f'r"{pattern}"'
    return _string(pattern)


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


def required_literal(pattern: str) -> str | None:
    """The longest run of literal characters that every match of ``pattern`` contains, if any.

    Only the top level of the pattern is looked at (groups, classes and repeats end a run); a
    top-level alternation means there is none. The generated code tests ``literal in value``
    (fast) before searching a *reject* pattern, which cannot match without it.
    """
    runs: list[str] = []
    run: list[str] = []
    for op, av in sre_parse.parse(pattern).data:
        if op is sre_constants.LITERAL:
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if op is sre_constants.BRANCH:
            return None
        runs.append("".join(run))
        run = []
    runs.append("".join(run))
    best = max(runs, key=len)
    return best if len(best) >= 2 else None


_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
)


def docstring(*paragraphs: str, width: int = 88) -> str:
    """A docstring body (without quotes), wrapped, safe to put between triple quotes.

    A body of several lines ends with a newline, so that the closing quotes get a line of
    their own once indented (see :func:`quoted`).
    """
    blocks: list[str] = []
    for para in paragraphs:
        for chunk in para.split("\n\n"):
            chunk = " ".join(chunk.split())
            if chunk:
                blocks.append("\n".join(wrap(chunk, width)))
    text = "\n\n".join(blocks).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)  # ruff's PLE2515
    if text.endswith('"'):
        text += " "
    return text


def quoted(body: str) -> list[str]:
    """The lines of a docstring with ``body`` (from :func:`docstring`), at one indent level."""
    lines = body.split("\n")
    if len(lines) == 1:
        return [f'    """{body}"""']
    return [f'    """{lines[0]}', *indent(lines[1:]), '    """']


def comment(text: str, width: int = 88) -> list[str]:
    return [f"# {line}" for line in wrap(" ".join(text.split()), width)]


def first_paragraph(text: str) -> str:
    return text.split("\n\n")[0].strip()


def indent(lines: Iterable[str], levels: int = 1) -> list[str]:
    pad = _INDENT * levels
    return [pad + line if line else line for line in lines]


@dataclass
class Check:
    """One check inside a value's checks: ``if cond: body`` (or ``body`` alone when cond is None)."""

    cond: str | None
    body: list[str]

    def lines(self) -> list[str]:
        if self.cond is None:
            return list(self.body)
        return [f"if {self.cond}:", *indent(self.body)]


@dataclass
class ModuleBuilder:
    """Collects the constants and functions of the generated module."""

    model: ServiceModel
    generator: str
    constants: dict[str, str] = field(default_factory=dict)  # name -> "NAME: Final = ..." line(s)
    _by_code: dict[str, str] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    _structures: dict[tuple[str, str], str] = field(default_factory=dict)
    _pending: list[tuple[str, str]] = field(default_factory=list)
    _explainers: dict[str, str] = field(default_factory=dict)

    # constants

    def constant(
        self, name: str, code: str, annotation: str = "Final", note: str | None = None
    ) -> str:
        """Declare ``name = code`` once (the same code under another name reuses the first)."""
        key = f"{annotation}={code}"
        if key in self._by_code:
            return self._by_code[key]
        base, n = name, 2
        while name in self.constants:
            name, n = f"{base}_{n}", n + 1
        lines = comment(note) if note else []
        lines.append(f"{name}: {annotation} = {code}")
        self.constants[name] = "\n".join(lines)
        self._by_code[key] = name
        return name

    def regex(self, name: str, pattern: str, where: str, note: str | None = None) -> str:
        """A constant with a ``search`` method for ``pattern``: ``re.compile(...)``, or the
        runtime's ``_Dfa`` when re's backtracking is not linear on it (:mod:`codegen.regex_safety`)."""
        portable = shape_regex(pattern, where, self.generator)
        linear = linear_matcher(portable, where, self.generator)
        if linear is not None:
            why = "as a deterministic automaton: re would backtrack super-linearly on some values"
            return self.constant(
                name, linear, "Final", f"{note}; {why}" if note else f"{where} {why}"
            )
        return self.constant(name, f"re.compile({regex_literal(portable)})", "Final", note)

    def frozen(self, name: str, values: Sequence[Any], note: str | None = None) -> str:
        if not values:  # frozenset({}) would leave mypy no element type
            return self.constant(name, "frozenset[str]()", "Final", note)
        items = ", ".join(py(v) for v in sorted(values, key=lambda v: (str(type(v)), v)))
        return self.constant(name, f"frozenset({{{items}}})", "Final", note)

    def ordered(self, name: str, values: Sequence[Any]) -> str:
        return self.constant(name, py(tuple(values)), "Final")

    # structures

    def structure_function(self, shape: Shape, direction: str) -> str:
        """The name of the function checking ``shape`` in ``direction``; queued for writing."""
        key = (shape.name, direction)
        if key not in self._structures:
            suffix = "_output" if direction == OUTPUT else ""
            name = f"_check_{snake_case(shape.name)}{suffix}"
            # shape FooOutput (input) and shape Foo (output) both give _check_foo_output, and
            # a shape Document would shadow the runtime's _check_document: a later one gets "_"
            taken = {*self._structures.values(), *runtime_functions()}
            while name in taken:
                name += "_"
            self._structures[key] = name
            self._pending.append(key)
        return self._structures[key]

    def write_pending(self) -> None:
        while self._pending:
            name, direction = self._pending.pop(0)
            self.functions.append(
                StructureWriter(self, self.model.shape(name), direction).function()
            )

    # formats

    def explain(self, fmt: Format, var: str) -> str:
        """An expression: the reasons why ``var`` is not in format ``fmt`` (used on failure only)."""
        if fmt.fields is None and not fmt.rejects:
            return py(
                ("is not " + fmt.description,)
            )  # the pattern is the whole format: one reason
        return f"{self.explainer(fmt)}({var})"

    def explainer(self, fmt: Format) -> str:
        """A function listing why a string is not in format ``fmt``."""
        if fmt.name in self._explainers:
            return self._explainers[fmt.name]
        name = f"_why_not_{snake_case(fmt.name)}"
        self._explainers[fmt.name] = name
        where = f"format {fmt.name}"
        body: list[str] = ["problems: list[str] = []"]
        self.format_test(fmt, "value")  # declares the regular expressions used below
        if fmt.fields is not None:
            fields: FieldList = fmt.fields
            known = self.frozen(f"_{constant_case(fmt.name)}_FIELDS", fields.fields)
            body.append(
                f"_field_list_problems(value, {py(fields.prefix)}, {py(fields.suffix)}, "
                f"{py(fields.separator)}, {fields.min_fields}, {known}, problems)"
            )
        if fmt.pattern is not None:
            pattern = self.regex(f"_{constant_case(fmt.name)}", fmt.pattern, where)
            body += [
                f"if {pattern}.search(value) is None:",
                f"    problems.append({py('is not ' + fmt.description)})",
            ]
        for index, reject in enumerate(fmt.rejects, 1):
            pattern = self.regex(
                f"_{constant_case(fmt.name)}_REJECT_{index}", reject.pattern, where
            )
            body += [f"if {pattern}.search(value):", f"    problems.append({py(reject.message)})"]
        if fmt.fields is not None:  # the regex and the token-by-token reading could differ
            body.append(f"return problems or [{py('is not ' + fmt.description)}]")
        else:  # the same tests as format_test: at least one of them failed
            body.append("return problems")
        doc = docstring(f"The reasons why ``value`` is not {fmt.description}.")
        self.functions.append(
            "\n".join([f"def {name}(value: str) -> list[str]:", *quoted(doc), *indent(body)])
        )
        return name

    def format_test(self, fmt: Format, var: str) -> str:
        """An expression, true when string ``var`` is *not* in format ``fmt`` (parenthesized).

        The parts of the format are tested one by one (its field list, its pattern, each
        pattern it rejects, the latter only when the value holds the literal text the reject
        pattern needs), which is faster than the single equivalent :meth:`Format.regex`.
        """
        where = f"format {fmt.name}"
        note = f"format {fmt.name}: {fmt.description}"
        prefix = f"_{constant_case(fmt.name)}"
        parts: list[str] = []
        if fmt.fields is not None:
            name = prefix + ("_FIELD_LIST" if fmt.pattern is not None else "")
            parts.append(
                f"{self.regex(name, fmt.fields.regex(), where, note)}.search({var}) is None"
            )
        if fmt.pattern is not None:
            parts.append(f"{self.regex(prefix, fmt.pattern, where, note)}.search({var}) is None")
        for index, reject in enumerate(fmt.rejects, 1):
            reject_note = f"format {fmt.name} rejects: {reject.message}"
            regex = self.regex(f"{prefix}_REJECT_{index}", reject.pattern, where, reject_note)
            test = f"{regex}.search({var}) is not None"
            literal = required_literal(shape_regex(reject.pattern, where, self.generator))
            parts.append(f"({py(literal)} in {var} and {test})" if literal else test)
        return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


@functools.cache
def runtime_functions() -> frozenset[str]:
    """The functions the template's runtime defines (a structure's check must not take them)."""
    env = environment()
    assert env.loader is not None
    source = env.loader.get_source(env, "validators/runtime.py.j2")[0]
    return frozenset(re.findall(r"^def (\w+)", source, re.MULTILINE))


class StructureWriter:
    """Writes the function checking one structure shape (input or output direction)."""

    def __init__(
        self, module: ModuleBuilder, shape: Shape, direction: str, top: bool = False
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
        doc = docstring(
            f"Check a value of shape {shape.name}{role} found at ``path`` ('' at the top level).",
            first_paragraph(shape.documentation),
        )
        extra = ", unknown: bool" if self.direction == OUTPUT else ""
        signature = f"def {name}(params: object, path: str, issues: list[ValidationIssue], strict: bool{extra}) -> None:"
        return "\n".join([signature, *quoted(doc), *indent(self.body("return"))])

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
            if shape.min is not None:
                always.append(self._length(shape.min, "min", "invalid_length", None))
            elif self.member.traits.get("hostLabel"):  # botocore: a host label is never empty
                always.append(self._length(1, "min", "invalid_length", None))
            if shape.max is not None:
                strict.append(self._length(shape.max, "max", "invalid_length", "max"))
            if doc.min_length is not None:
                strict.append(self._length(doc.min_length, "min", "invalid_length", "min_length"))
            if doc.max_length is not None:
                strict.append(self._length(doc.max_length, "max", "invalid_length", "max_length"))
            if shape.pattern is not None and enforceable(shape.pattern) is not None:
                strict.append(
                    self._pattern(
                        f"_{constant_case(shape.name)}_PATTERN",
                        shape.pattern,
                        f"shape {shape.name}",
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
                        f"{self.name}_PATTERN", doc.pattern, f"member {self.member.name}"
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

    def _length(self, bound: float, side: str, code: str, rule: str | None) -> Check:
        op = "<" if side == "min" else ">"
        n = int(bound)
        return Check(
            f"len({self.var}) {op} {n}",
            self.report(
                f"_bad_length({self.path}, {self.var}, {n}, {py(side)}, {py(code)}, {py(rule)})"
            ),
        )

    def _pattern(self, constant: str, pattern: str, where: str) -> Check:
        """The value must match ``pattern`` (compiled once, as module constant ``constant``)."""
        regex = self.module.regex(constant, pattern, where)
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
        if shape.min is not None:
            always.append(self._length(shape.min, "min", "too_few_items", None))
        if shape.max is not None:
            strict.append(self._length(shape.max, "max", "too_many_items", "max"))
        if doc.min_items is not None:
            strict.append(self._length(doc.min_items, "min", "too_few_items", "min_items"))
        if doc.max_items is not None:
            strict.append(self._length(doc.max_items, "max", "too_many_items", "max_items"))
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
    lines = ["if value is _ABSENT:", f"{_INDENT}absent += 1"]
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


def _stopping(checks: list[str]) -> list[str]:
    """A public validator's body: ``checks`` append to ``issues``; with ``fail_fast`` the list
    is a ``_FirstIssue``, whose first append ends the checks (``_Stop``)."""
    return [
        "issues: list[ValidationIssue] = _FirstIssue() if fail_fast else []",
        "try:",
        *indent(checks),
        "except _Stop:",
        "    pass",
        "except Exception as error:  # noqa: BLE001 - a value whose own methods raise",
        "    _unreadable(issues, error)",
        "return list(issues) if fail_fast else issues",
    ]


class ValidatorsGenerator(Generator):
    """``layout``: ``"auto"`` (a package for a large service, see :mod:`.split`), or
    ``"single"``/``"split"`` to force one (benchmarks and tests compare them)."""

    name = "validators"

    def __init__(self, layout: str = "auto") -> None:
        if layout not in LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
        self.layout = layout

    def generate(self, context: GenerationContext) -> dict[str, str]:
        model = context.model
        module = ModuleBuilder(model, self.name)
        operations = [model.operations[name] for name in model.operations]
        public: list[str] = []
        inputs: list[tuple[str, str]] = []
        outputs: list[tuple[str, str]] = []
        taken: set[str] = set()  # operation DeleteApplicationOutput vs DeleteApplication's output
        for op in operations:
            snake = snake_case(op.name)
            summary = first_paragraph(op.documentation)
            for direction in (INPUT, OUTPUT):
                shape_name = op.input if direction == INPUT else op.output
                function = (
                    f"validate_{snake}" if direction == INPUT else f"validate_{snake}_output"
                )
                while function in taken:
                    function += "_"
                taken.add(function)
                argument = "params" if direction == INPUT else "response"
                (inputs if direction == INPUT else outputs).append((op.name, function))
                if shape_name is None:
                    what = "takes no parameters" if direction == INPUT else "returns nothing"
                    doc = docstring(
                        f"{op.name} {what}: nothing to check (botocore checks nothing either)."
                    )
                    options = "strict: bool = True, fail_fast: bool = False"
                    if direction == OUTPUT:
                        options += ", unknown_members: bool = False"
                    public.append(
                        "\n".join(
                            [
                                f"def {function}({argument}: object, *, {options}) -> list[ValidationIssue]:",
                                *quoted(doc),
                                "    return []",
                            ]
                        )
                    )
                    continue
                shape = model.shape(shape_name)
                # the top-level structure's checks are inlined: one call less per validation
                checks = StructureWriter(module, shape, direction, top=True).body("return issues")
                if direction == INPUT:
                    doc = docstring(
                        f"Check the parameters of {op.name} (shape {shape.name}); every issue, none when valid.",
                        summary,
                        "``strict=False`` checks what botocore checks; ``strict=True`` (the default) "
                        "also checks the documented rules. ``fail_fast=True`` stops at the first issue "
                        "(the first of the full list).",
                    )
                    body = _stopping(['path = ""', *checks])
                else:
                    doc = docstring(
                        f"Check a response of {op.name} (shape {shape.name}); every issue, none when valid.",
                        f"botocore's ``{RESPONSE_METADATA}`` is ignored. ``strict=False`` checks types, "
                        "required members and ``min``; ``strict=True`` (the default) also checks the "
                        "documented rules. Members this module does not know (a newer API added them) "
                        "are reported only with ``unknown_members=True``. ``fail_fast=True`` stops at "
                        "the first issue (the first of the full list).",
                    )
                    body = _stopping(
                        [
                            'path = ""',
                            "unknown = unknown_members",
                            "params = response",
                            f"if isinstance(params, dict) and {py(RESPONSE_METADATA)} in params:",
                            f"    params = {{k: v for k, v in params.items() if k != {py(RESPONSE_METADATA)}}}",
                            *checks,
                        ]
                    )
                options = "strict: bool = True, fail_fast: bool = False"
                if direction == OUTPUT:
                    options += ", unknown_members: bool = False"
                public.append(
                    "\n".join(
                        [
                            f"def {function}({argument}: object, *, {options}) -> list[ValidationIssue]:",
                            *quoted(doc),
                            *indent(body),
                        ]
                    )
                )
        module.write_pending()
        if is_large(len(operations), self.layout):
            return self._package(context, module, public, inputs, outputs)
        source = self.render(
            "validators/module.py.j2",
            **_docstring_values(context, operations[0].name if operations else "Operation"),
            constants="\n".join(module.constants[name] for name in module.constants),
            uses_re=re.search(
                r"\bre\.", "".join([*module.constants.values(), *module.functions, *public])
            )
            is not None,
            functions="\n\n\n".join(module.functions),
            public="\n\n\n".join(public),
            inputs=inputs,
            outputs=outputs,
            public_names=_public_names(inputs, outputs),
            uses_json="_check_json_value(" in "".join([*module.functions, *public]),
            uses_linear=_uses_linear(module),
            uses_decimal=re.search(
                r"\bDecimal\b", "".join([*module.constants.values(), *module.functions, *public])
            )
            is not None,
        )
        return {"validators.py": self.python(context, source)}

    def _package(
        self,
        context: GenerationContext,
        module: ModuleBuilder,
        public: list[str],
        inputs: list[tuple[str, str]],
        outputs: list[tuple[str, str]],
    ) -> dict[str, str]:
        """The package layout (``validators/``): see :mod:`codegen.generators.split`."""
        model = context.model
        uses_json = "_check_json_value(" in "".join([*module.functions, *public])
        runtime = self.render(
            "validators/package_runtime.py.j2",
            service=model.name,
            uses_json=uses_json,
            uses_linear=_uses_linear(module),
            package=True,
        )
        runtime_names = defined(runtime)
        definitions: dict[str, Definition] = {}
        for name, text in module.constants.items():
            definitions[name] = Definition(name, text, frozenset(words(text)))
        for text in [*module.functions, *public]:
            found = _DEF.match(text)
            assert found is not None
            if found[1] in definitions:  # one would replace the other, as in a single module
                raise GeneratorError(generator=self.name, message=f"two definitions of {found[1]}")
            definitions[found[1]] = Definition(found[1], text, frozenset(words(text)))
        functions = dict(inputs)
        roots = [(op, [functions[op], function]) for op, function in outputs]
        count = bucket_count(len(inputs))
        parts = partition(definitions, roots, count)
        sources: dict[str, str] = {}
        for name, members in parts.modules.items():
            uses = set().union(*(definitions[m].uses for m in members))
            needed = imports_of(name, members, definitions, parts.home)
            from_runtime = sorted(uses & runtime_names)
            if from_runtime:
                needed["_runtime"] = from_runtime
            stdlib = [
                line
                for word, line in (
                    ("re", "import re"),
                    ("Decimal", "from decimal import Decimal"),
                    ("Final", "from typing import Final"),
                )
                if word in uses
            ]
            relative = [
                from_import(where, needed[where]) for where in sorted(needed, key=isort_module)
            ]
            constants = [m for m in members if m in module.constants]
            bucket = name.startswith("_ops_")
            source = self.render(
                "validators/package_part.py.j2",
                service=model.name,
                what=(
                    "the validators of the operations "
                    + ", ".join(op for op, f in inputs if parts.home[f] == name)
                    if bucket
                    else "checks shared by several of its modules"
                ),
                imports="\n\n".join("\n".join(block) for block in (stdlib, relative) if block),
                constants="\n".join(definitions[m].text for m in constants),
                functions="\n\n\n".join(
                    definitions[m].text for m in members if m not in module.constants
                ),
            )
            sources[f"validators/{name}.py"] = source
        sources["validators/_runtime.py"] = runtime
        by_module: dict[str, list[str]] = {}
        for _, function in [*inputs, *outputs]:
            by_module.setdefault(parts.home[function], []).append(function)
        source = self.render(
            "validators/package_init.py.j2",
            **_docstring_values(context, inputs[0][0] if inputs else "Operation"),
            package=True,
            public_names=_public_names(inputs, outputs),
            table=[
                (op, function, output, parts.home[function])
                for (op, function), (_, output) in zip(inputs, outputs)
            ],
            by_module=[
                (m, sorted(by_module[m], key=isort_member))
                for m in sorted(by_module, key=isort_module)
            ],
            modules=len(parts.modules),
            buckets=count,
        )
        sources["validators/__init__.py"] = source
        return self.python_files(context, sources)


def _docstring_values(context: GenerationContext, example: str) -> dict[str, str]:
    """What the module's (or the package's) docstring names: the service, the spec and an
    example operation."""
    model = context.model
    return {
        "title": context.spec.title,
        "service": model.name,
        "service_full_name": model.metadata.service_full_name,
        "api_version": model.metadata.api_version,
        "spec_path": context.spec.path,
        "spec_version": context.version,
        "example": example,
    }


_DEF = re.compile(r"def (\w+)")


def _uses_linear(module: ModuleBuilder) -> bool:
    """Whether a constant is one of the runtime's linear matchers (``_Dfa``)."""
    return any(": Final = _Dfa(" in text for text in module.constants.values())


def _public_names(inputs: list[tuple[str, str]], outputs: list[tuple[str, str]]) -> list[str]:
    return sorted(
        [
            "API_VERSION",
            "ISSUE_CODES",
            "OPERATIONS",
            "ParamValidationError",
            "SERVICE",
            "SPEC_VERSION",
            "ValidationIssue",
            "check",
            "validate",
            "validate_output",
            *(f for _, f in inputs),
            *(f for _, f in outputs),
        ],
        key=_isort_key,
    )


def _isort_key(name: str) -> tuple[int, str]:
    """isort's order for ``__all__``: CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)
