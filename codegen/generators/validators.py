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
checks are built in Python, as lines of Python; the Jinja templates only lay out the file and
hold the shared runtime (the issue type, message helpers, the timestamp check). Three modules:

* this one, the generator: the public validators of each operation, and the layout (one module,
  or a package through :func:`codegen.generators.split.package_modules`);
* :mod:`.validators_checks`: the checks of a structure and of each value, as lines of Python;
* :mod:`.validators_builder`: the module's constants and functions, each declared once.
"""

from __future__ import annotations

import re

from codegen.generators.base import GenerationContext, Generator, GeneratorError
from codegen.generators.jsonschema_gen import RESPONSE_METADATA
from codegen.generators.split import (
    Definition,
    SplitLayout,
    all_order,
    defined,
    isort_member,
    isort_module,
    package_modules,
    words,
)
from codegen.generators.text import docstring_text, first_paragraph, indent, py, quoted
from codegen.generators.validators_builder import DOC_WIDTH, INPUT, OUTPUT, ValidatorsBuilder
from codegen.generators.validators_checks import StructureWriter, write_structures
from codegen.names import snake_case


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


class ValidatorsGenerator(SplitLayout, Generator):
    """The validators of a service: one module, or a package (see :class:`.split.SplitLayout`)."""

    name = "validators"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        model = context.model
        module = ValidatorsBuilder(model, self.name)
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
                options = "strict: bool = True, fail_fast: bool = False"
                if direction == OUTPUT:
                    options += ", unknown_members: bool = False"
                signature = (
                    f"def {function}({argument}: object, *, {options}) -> list[ValidationIssue]:"
                )
                if shape_name is None:
                    what = "takes no parameters" if direction == INPUT else "returns nothing"
                    doc = docstring_text(
                        f"{op.name} {what}: nothing to check (botocore checks nothing either).",
                        width=DOC_WIDTH,
                    )
                    public.append("\n".join([signature, *quoted(doc), "    return []"]))
                    continue
                shape = model.shape(shape_name)
                # the top-level structure's checks are inlined: one call less per validation
                checks = StructureWriter(module, shape, direction, top=True).body("return issues")
                if direction == INPUT:
                    doc = docstring_text(
                        f"Check the parameters of {op.name} (shape {shape.name}); every issue, none when valid.",
                        summary,
                        "``strict=False`` checks what botocore checks; ``strict=True`` (the default) "
                        "also checks the documented rules. ``fail_fast=True`` stops at the first issue "
                        "(the first of the full list).",
                        width=DOC_WIDTH,
                    )
                    body = _stopping(['path = ""', *checks])
                else:
                    doc = docstring_text(
                        f"Check a response of {op.name} (shape {shape.name}); every issue, none when valid.",
                        f"botocore's ``{RESPONSE_METADATA}`` is ignored. ``strict=False`` checks types, "
                        "required members and ``min``; ``strict=True`` (the default) also checks the "
                        "documented rules. Members this module does not know (a newer API added them) "
                        "are reported only with ``unknown_members=True``. ``fail_fast=True`` stops at "
                        "the first issue (the first of the full list).",
                        width=DOC_WIDTH,
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
                public.append("\n".join([signature, *quoted(doc), *indent(body)]))
        write_structures(module)
        if self.split(len(operations)):
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
            uses_nesting=bool(module.recursive),
            uses_decimal=re.search(
                r"\bDecimal\b", "".join([*module.constants.values(), *module.functions, *public])
            )
            is not None,
        )
        return {"validators.py": self.python(context, source)}

    def _package(
        self,
        context: GenerationContext,
        module: ValidatorsBuilder,
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
            uses_nesting=bool(module.recursive),
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
        parts, modules = package_modules(
            definitions, roots, len(inputs), runtime_names, _PACKAGE_STDLIB
        )
        sources: dict[str, str] = {}
        for part in modules:
            source = self.render(
                "validators/package_part.py.j2",
                service=model.name,
                what=(
                    "the validators of the operations "
                    + ", ".join(op for op, f in inputs if parts.home[f] == part.name)
                    if part.bucket
                    else "checks shared by several of its modules"
                ),
                imports=part.imports,
                constants="\n".join(
                    definitions[m].text for m in part.members if m in module.constants
                ),
                functions="\n\n\n".join(
                    definitions[m].text for m in part.members if m not in module.constants
                ),
            )
            sources[f"validators/{part.name}.py"] = source
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
            buckets=parts.buckets,
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
# the standard library names a module of a validators package may use, by module
_PACKAGE_STDLIB = (
    ("re", frozenset[str]()),
    ("decimal", frozenset({"Decimal"})),
    ("typing", frozenset({"Final"})),
)


def _uses_linear(module: ValidatorsBuilder) -> bool:
    """Whether a constant is one of the runtime's linear matchers (``_Dfa``, ``_Lazy``,
    ``_Window``, ``_Any``, ``_Long``)."""
    return any(
        any(f": Final = {kind}(" in text for kind in ("_Dfa", "_Lazy", "_Window", "_Any", "_Long"))
        for text in module.constants.values()
    )


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
        key=all_order,
    )
