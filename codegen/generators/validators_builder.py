"""The validators module being generated: its constants and its functions, collected once.

:class:`ValidatorsBuilder` is what the writers of :mod:`.validators_checks` write into and what
:mod:`.validators` lays out as one module or a package. A constant is declared once per value
(the same frozenset or regular expression under another name reuses the first name), a
structure's check function once per shape and direction (queued, then written by
:func:`~codegen.generators.validators_checks.write_structures`), a format's test and its
explanation once per format. Regular expressions are compiled once, as module constants, in
the portable form :func:`~codegen.generators.jsonschema_gen.shape_regex` gives; a *reject*
pattern is searched only when the value holds the literal text it needs
(:func:`required_literal`).
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from codegen.generators.base import environment
from codegen.generators.jsonschema_gen import shape_regex
from codegen.generators.text import comment, docstring_text, indent, py, quoted, regex_literal
from codegen.model import FieldList, Format, ServiceModel, Shape
from codegen.names import constant_case, snake_case
from codegen.regex_safety import LONG, linear_matcher

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

# the directions a structure is checked in: in an operation's input (parameters), in its output
INPUT = "input"
OUTPUT = "output"
# a docstring's text: 88 characters, at one indent level
DOC_WIDTH = 88


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


@dataclass
class ValidatorsBuilder:
    """Collects the constants and functions of the generated module."""

    model: ServiceModel
    generator: str
    constants: dict[str, str] = field(default_factory=dict)  # name -> "NAME: Final = ..." line(s)
    _by_code: dict[str, str] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)
    _structures: dict[tuple[str, str], str] = field(default_factory=dict)
    _pending: list[tuple[str, str]] = field(default_factory=list)
    _explainers: dict[str, str] = field(default_factory=dict)
    recursive: frozenset[str] = frozenset()  # structures on a cycle: checked to _MAX_NESTING

    def __post_init__(self) -> None:
        self.recursive = self.model.recursive_structures()

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

    def regex(
        self,
        name: str,
        pattern: str,
        where: str,
        note: str | None = None,
        longest: int | None = None,
    ) -> str:
        """A constant with a ``search`` method for ``pattern`` on values of at most ``longest``
        characters (None: the shape has no ``max``): ``re.compile(...)``, or the runtime's
        ``_Dfa``, ``_Lazy``, ``_Window`` or ``_Any`` when re's backtracking is not linear on it,
        or ``_Long`` (``re`` on short values, the automaton on long ones) where it is linear
        but some long values cost it a few steps a character (:mod:`codegen.regex_safety`)."""
        portable = shape_regex(pattern, where, self.generator)
        linear = linear_matcher(portable, longest)
        if linear is not None:
            why = "as a deterministic automaton: re would backtrack super-linearly on some values"
            if linear.startswith("_Long("):
                why = (
                    f"read by re up to {LONG:,} characters (linear on it, and the fastest on "
                    "short values) and past them by its deterministic automaton: on some long "
                    "values re backtracks a few steps a character"
                )
            if linear.startswith("_Lazy("):
                why = (
                    "as an automaton built while reading (too large to write out): re would "
                    "backtrack super-linearly on some values"
                )
            if linear.startswith("_Window("):
                why = (
                    "searched in the tail its leading look-ahead allows: re would run the "
                    "look-ahead from every start"
                )
            if linear.startswith("_Any("):
                why = (
                    "searched a branch at a time, each by its own linear matcher: re would "
                    "backtrack super-linearly on some values"
                )
            if linear.startswith("_Dfa(") and linear.endswith("reverse=True)"):
                why = (
                    "as a deterministic automaton of the pattern reversed, reading the value "
                    "backwards (forwards it is too large): re would backtrack super-linearly "
                    "on some values"
                )
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

    def pending(self) -> Iterator[tuple[str, str]]:
        """The structure functions :meth:`structure_function` queued, (shape name, direction),
        until none is left (writing one may queue more)."""
        while self._pending:
            yield self._pending.pop(0)

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
        doc = docstring_text(
            f"The reasons why ``value`` is not {fmt.description}.", width=DOC_WIDTH
        )
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
