"""Reading spec files: the only code that opens ``specs/``.

``load_spec(path)`` returns a :class:`~codegen.spec.Spec` or raises
:class:`~codegen.errors.SpecError` listing *every* problem found, each with the file and a
JSON pointer (and line/column when the file is not valid JSON). Checks run in three passes:

1. syntax: valid UTF-8 JSON, no duplicate keys in any object, no lone surrogate (``"\\udfff"``)
   in any string;
2. form: the JSON Schema ``codegen/schemas/spec.schema.json`` (draft 2020-12; a copy in ``specs/``);
3. meaning: references to unknown shapes, formats and versions; duplicate names; documented
   constraints that contradict their member's type; rules naming unknown members or values
   outside an enum; versions that do not chain (dates and botocore releases must increase;
   nothing may exist before the shape that holds it); pagination keys that are not members.
   Every version of a spec is in the one document (:mod:`codegen.spec`): a reference, in
   ``history`` too, must name a shape that exists at every version the reference holds in
   (lifetimes are masks of version indexes: :func:`codegen.spec.lifetime`), and a shape must
   have, at every version, the fields its type then needs.

A document of 256 KB or more (a whole-service spec) is first checked against the schema by a
validator compiled from it, which only says yes or no; jsonschema lists the problems when it
says no.

A later pass runs only when the earlier ones found nothing, so that its checks can trust the
document's form; within a pass, every problem is reported.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
from jsonschema.exceptions import ValidationError, best_match

from codegen.errors import (
    ApigenError,
    SpecError,
    SpecProblem,
    UsageError,
    cut,
    displayable,
    excerpt,
)
from codegen.files import json_depth_problem, read_bytes, replace_file, surrogate_problems
from codegen.model import NUMBER_TYPES, release_key, release_problem
from codegen.regexes import portable_regex
from codegen.spec import Spec, as_of, condition, enum_value, lifetime, spans, versions_of

# Shipped inside the package (an installed apigen has no checkout); ``specs/spec.schema.json``
# is an identical copy where spec authors see it (tests/test_packaging.py keeps them equal).
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "spec.schema.json"
SPECS_DIR = Path("specs")  # commands without SPEC arguments read ./specs of the current folder


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is below it, else absolute; as one
    line of printable text (:func:`~codegen.errors.displayable`: it is written into generated
    files' headers and reports, and a file name need not be UTF-8 or free of newlines)."""
    try:
        shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        shown = str(path)
    return displayable(shown)


@lru_cache(maxsize=1)
def spec_schema() -> Mapping[str, Any]:
    with SCHEMA_PATH.open(encoding="utf-8") as f:
        schema: Mapping[str, Any] = json.load(f)
        return schema


def discover_specs(root: Path = SPECS_DIR) -> list[Path]:
    """Every spec file under ``root`` (default ``./specs``; schema files excluded), sorted.

    No such folder, or no spec in it, is an error: a command given no SPEC must not succeed
    having done nothing.
    """
    where = f"{root}{os.sep} (in {Path.cwd()})" if not root.is_absolute() else f"{root}{os.sep}"
    if not root.is_dir():
        raise UsageError(
            message=f"no SPEC given and no specs folder {where}: pass spec files, or run "
            "from the folder that holds specs/"
        )
    found = sorted(p for p in root.rglob("*.json") if not p.name.endswith(".schema.json"))
    if not found:
        raise UsageError(message=f"no SPEC given and no spec files (*.json) under {where}")
    return found


def load_spec(path: str | Path) -> Spec:
    path = Path(path)
    shown = display_path(path)
    try:
        raw = read_bytes(path)
    except OSError as exc:
        raise SpecError(
            shown, [SpecProblem(shown, "", f"cannot read the file: {exc.strerror}")]
        ) from None
    return spec_from_bytes(raw, shown)


def spec_from_bytes(raw: bytes, shown: str) -> Spec:
    """A spec from its bytes, every check of :func:`load_spec` made; problems name ``shown``."""
    document = parse_spec(raw, shown)
    spec = Spec(path=shown, document=document, sha256=hashlib.sha256(raw).hexdigest())
    problems = []
    for version in spec.versions:
        try:
            model = spec.model(version.version)
            if document.get("resources") and version == spec.latest:
                from codegen.resources import StatementError, resources_for

                try:
                    resources_for(model)  # a resource stated anew must say enough
                except StatementError as exc:
                    problems.append(SpecProblem(shown, f"/resources/{exc.name}", exc.message))
        except ApigenError as exc:  # an invariant of the model the checks above did not catch
            problems.append(SpecProblem(shown, "", f"as of {version.version}: {exc}"))
    if problems:
        raise SpecError(shown, problems)
    return spec


def parse_spec(raw: bytes, shown: str) -> Mapping[str, Any]:
    """Decode and check a spec document; raise SpecError with every problem."""
    document: Mapping[str, Any] = _decode(raw, shown)
    valid = len(raw) >= COMPILED_FROM and schema_accepts(document)
    problems = [] if valid else [SpecProblem(shown, p, m) for p, m in _schema_problems(document)]
    if not problems:
        problems = [SpecProblem(shown, ptr, msg) for ptr, msg in SemanticChecker(document).run()]
    if problems:
        raise SpecError(shown, problems)
    return document


# -- pass 1: syntax ------------------------------------------------------------------------


class _Object(dict[str, Any]):
    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _decode(raw: bytes, shown: str) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecError(
            shown, [SpecProblem(shown, "", f"not UTF-8 text (byte {exc.start})")]
        ) from None
    too_deep = json_depth_problem(text)
    if too_deep is not None:
        raise SpecError(shown, [SpecProblem(shown, "", f"unusable JSON: {too_deep}")])
    try:
        document = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        problem = SpecProblem(shown, "", f"malformed JSON: {exc.msg}", exc.lineno, exc.colno)
        raise SpecError(shown, [problem]) from None
    duplicates = [
        SpecProblem(shown, pointer(path + [key]), f"duplicate key {key!r}")
        for path, obj in _walk_objects(document, [])
        for key in obj.duplicates
    ]
    if duplicates:
        raise SpecError(shown, duplicates)
    lone = [SpecProblem(shown, ptr, msg) for ptr, msg in surrogate_problems(text, document)]
    if lone:
        raise SpecError(shown, lone)
    return document


def _walk_objects(node: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], _Object]]:
    if isinstance(node, _Object):
        yield path, node
        for key, value in node.items():
            yield from _walk_objects(value, path + [key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_objects(value, path + [i])


def pointer(parts: list[str | int] | tuple[str | int, ...]) -> str:
    """A JSON pointer (RFC 6901) for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# -- pass 2: form --------------------------------------------------------------------------


# A whole-service spec is megabytes: jsonschema takes seconds to walk it (4.6 s for EC2 at
# botocore 1.44.18), a validator compiled from the schema (fastjsonschema) a twentieth of that.
# The compiled one only says yes or no; when it says no, jsonschema lists every problem with
# its pointer. Compiling takes 0.2 s: below this size jsonschema alone is faster.
COMPILED_FROM = 256 * 1024


@lru_cache(maxsize=1)
def _compiled() -> Callable[[Any], Any]:
    # use_default=False: it never writes into the document
    compiled: Callable[[Any], Any] = fastjsonschema.compile(dict(spec_schema()), use_default=False)
    return compiled


def schema_accepts(document: Any) -> bool:
    """Whether the spec schema accepts ``document`` (the compiled validator: fast, no details)."""
    try:
        _compiled()(document)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _schema_problems(document: Any) -> list[tuple[str, str]]:
    validator = jsonschema.Draft202012Validator(spec_schema())
    problems: list[tuple[str, str]] = []
    for error in validator.iter_errors(document):
        problems.extend(_explain(error))
    return sorted(set(problems))


def _explain(error: ValidationError) -> list[tuple[str, str]]:
    """Turn one schema error into readable problems (descending into oneOf/anyOf/if-then)."""
    if error.context:
        best = best_match(error.context)
        if (
            best is not None
            and list(best.absolute_path) != list(error.absolute_path)
            or (
                best is not None
                and best.validator not in ("oneOf", "anyOf", "type", "required", "const")
            )
        ):
            return _explain(best)
    where = pointer(list(error.absolute_path))
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        unknown = [key for key in error.instance if key not in known]
        shown = ", ".join(excerpt(key, 40) for key in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        verb = "was" if len(unknown) == 1 else "were"
        return [(where, f"unknown key(s) ({shown}{more} {verb} unexpected)")]
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        return [(where, f"does not match any allowed form ({cut(_keys(error.instance), 200)})")]
    message = _shortened(error)
    meaning = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator == "pattern" and isinstance(meaning, str):  # what the pattern means
        message += f"; expected {meaning}"
    return [(where, message)]


def _shortened(error: ValidationError) -> str:
    """jsonschema's message with the bad value it starts with (often the whole value, however
    big) replaced by a short excerpt."""
    message = str(error.message)
    try:
        shown = repr(error.instance)
    except (ValueError, RecursionError):  # an integer of more than 4,300 digits
        shown = ""
    if shown and message.startswith(shown) and len(shown) > 60:
        message = excerpt(error.instance) + message[len(shown) :]
    return message


def _keys(obj: Mapping[str, Any]) -> str:
    return "keys: " + ", ".join(sorted(obj)) if obj else "empty object"


# -- pass 3: meaning -----------------------------------------------------------------------


class SemanticChecker:
    """Checks what the schema cannot: references, duplicates, contradictions, version order."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.doc = document
        self.problems: list[tuple[str, str]] = []
        self.shapes: Mapping[str, Any] = document["shapes"]
        self.formats: Mapping[str, Any] = document.get("formats", {})
        self.version_order: dict[str, int] = {}

    def report(self, where: list[str | int], message: str) -> None:
        self.problems.append((pointer(where), message))

    def run(self) -> list[tuple[str, str]]:
        self.check_versions()
        self.count = len(versions_of(self.doc))
        self.names = [v.version for v in versions_of(self.doc)]
        self.until(self.doc, [])  # the service's own history
        self.lives = {name: self.life(shape) for name, shape in self.shapes.items()}
        self.check_formats()
        for name, shape in self.shapes.items():
            self.check_shape(name, shape)
        for name, op in self.doc["operations"].items():
            self.check_operation(name, op)
        for name, waiter in self.doc.get("waiters", {}).items():
            self.check_waiter(name, waiter)
        for name, resource in self.doc.get("resources", {}).items():
            self.check_resource(name, resource)
        return sorted(set(self.problems))

    def life(self, element: Mapping[str, Any]) -> int:
        """The mask of the version indexes at which ``element`` exists."""
        return lifetime(element, self.version_order, self.count)

    def spans(self, element: Mapping[str, Any], key: str) -> list[tuple[Any, int, int | None]]:
        return spans(element, key, self.version_order, self.count)

    @staticmethod
    def at(where: list[str | int], index: int | None, *path: str | int) -> list[str | int]:
        """Where a value of :meth:`spans` is written: the field itself or a history entry."""
        return where + ([] if index is None else ["history", index]) + list(path)

    # versions --------------------------------------------------------------------------

    def check_versions(self) -> None:
        versions = versions_of(self.doc)
        canonical = [
            v.botocore is None or self.check_release(v.botocore, ["versions", i, "botocore"])
            for i, v in enumerate(versions)
        ]
        for i, v in enumerate(versions):
            where: list[str | int] = ["versions", i]
            if v.version in self.version_order:
                self.report(where, f"duplicate version {v.version!r}")
            self.version_order.setdefault(v.version, i)
            try:
                datetime.date.fromisoformat(v.date)
            except ValueError as exc:
                self.report(where + ["date"], f"{v.date} is not a calendar date ({exc})")
            if i == 0:
                continue
            prev = versions[i - 1]
            if v.date <= prev.date:
                self.report(
                    where + ["date"],
                    f"date {v.date} does not follow the previous version's {prev.date}",
                )
            if (
                v.botocore
                and prev.botocore
                and canonical[i]
                and canonical[i - 1]
                and release_key(v.botocore) <= release_key(prev.botocore)
            ):
                self.report(
                    where + ["botocore"],
                    f"botocore {v.botocore} does not follow the previous version's {prev.botocore}",
                )

    def check_release(self, release: str, where: list[str | int]) -> bool:
        """Whether ``release`` is a canonical botocore release number (else reported)."""
        problem = release_problem(release)
        if problem is not None:
            self.report(where, f"botocore release {excerpt(release)}: {problem}")
        return problem is None

    def check_provenance(self, element: Mapping[str, Any], where: list[str | int]) -> None:
        provenance = element.get("provenance")
        if isinstance(provenance, Mapping):
            self.check_release(provenance["release"], where + ["provenance", "release"])

    def since(
        self, element: Mapping[str, Any], where: list[str | int], outer: str | None = None
    ) -> int:
        """Check an element's ``since`` (and ``until``, ``history``) and return its version
        index (0 when absent)."""
        self.until(element, where)
        since = element.get("since")
        if since is None:
            return self.version_order.get(outer, 0) if outer else 0
        if since not in self.version_order:
            self.report(
                where + ["since"],
                f"unknown version {since!r} (known: {', '.join(self.version_order)})",
            )
            return 0
        index = self.version_order[since]
        if outer is not None and outer in self.version_order and index < self.version_order[outer]:
            self.report(
                where + ["since"],
                f"since {since} is earlier than {outer}, the since of what holds it",
            )
        return index

    def until(self, element: Mapping[str, Any], where: list[str | int]) -> None:
        """``until`` and each ``history`` entry's name a known version later than ``since``;
        one history entry per version."""
        since = self.version_order.get(element.get("since") or "", 0)
        entries: list[tuple[list[str | int], Any, bool]] = [
            (where + ["until"], element.get("until"), False)
        ]
        entries += [
            (where + ["history", i, "until"], h.get("until"), True)
            for i, h in enumerate(element.get("history", ()))
            if isinstance(h, Mapping)
        ]
        seen: set[str] = set()
        for at, version, in_history in entries:
            if version is None:
                continue
            if version not in self.version_order:
                self.report(
                    at, f"unknown version {version!r} (known: {', '.join(self.version_order)})"
                )
            elif self.version_order[version] <= since:
                self.report(at, f"until {version} is not later than the element's since")
            if in_history and version in seen:
                self.report(at, f"another history entry is for {version} too")
            if in_history:
                seen.add(version)

    def check_ref(self, name: str, where: list[str | int], mask: int) -> None:
        """``name`` is a shape that exists at every version of ``mask`` (where it is referred to)."""
        if name not in self.shapes:
            close = [s for s in self.shapes if s.lower() == name.lower()]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.report(where, f"unknown shape {name!r}{hint}")
            return
        missing = mask & ~self.lives[name]
        if not missing:
            return
        first = (missing & -missing).bit_length() - 1
        shape = self.shapes[name]
        since, until = shape.get("since"), shape.get("until")
        if since in self.version_order and self.version_order[since] > first:
            self.report(
                where, f"shape {name!r} exists only since {since}, later than what refers to it"
            )
        else:
            gone = f" (until {until})" if until in self.version_order else ""
            self.report(
                where,
                f"shape {name!r} does not exist as of {self.names[first]}{gone}, "
                "where this refers to it",
            )

    # formats ---------------------------------------------------------------------------

    def check_formats(self) -> None:
        for name, f in self.formats.items():
            where: list[str | int] = ["formats", name]
            self.check_regex(f.get("pattern"), where + ["pattern"])
            for i, r in enumerate(f.get("rejects", ())):
                self.check_regex(r["pattern"], where + ["rejects", i, "pattern"])
            seen: set[str] = set()
            for rv, ids in f.get("fields", {}).get("byRecordVersion", {}).items():
                for i, fid in enumerate(ids):
                    if fid in seen:
                        self.report(
                            where + ["fields", "byRecordVersion", rv, i],
                            f"duplicate field id {fid!r}",
                        )
                    seen.add(fid)

    def check_regex(
        self, pattern: str | None, where: list[str | int], *, marked: bool = False
    ) -> None:
        """A pattern must have a portable form (codegen.regexes); with ``marked``, one that has
        none may be kept unenforced by saying so (``patternEnforced: false``, as imports do)."""
        if pattern is None:
            return
        try:
            portable_regex(pattern)
            return
        except ValueError as exc:
            problem = f"not portable to ECMA-262 (JSON Schema): {exc}"
        try:
            re.compile(pattern)
        except re.error as exc:
            problem = f"invalid regular expression: {exc}"
        hint = ' (an imported pattern may be kept unenforced: "patternEnforced": false)'
        self.report(where, problem + (hint if marked else ""))

    # shapes ----------------------------------------------------------------------------

    def check_shape(self, name: str, shape: Mapping[str, Any]) -> None:
        where: list[str | int] = ["shapes", name]
        self.since(shape, where)
        self.check_provenance(shape, where)
        life = self.lives[name]
        outer = shape.get("since")
        if "min" in shape and "max" in shape and shape["min"] > shape["max"]:
            self.report(where, f"min {shape['min']} is greater than max {shape['max']}")
        self.check_patterns(shape, where)
        for enum, mask, index in self.spans(shape, "enum"):
            seen: set[str] = set()
            for i, e in enumerate(enum or ()):
                value = enum_value(e)
                if value in seen:
                    self.report(
                        self.at(where, index, "enum", i), f"duplicate enum value {value!r}"
                    )
                seen.add(value)
                if not isinstance(e, str):
                    self.since(e, self.at(where, index, "enum", i), outer)
        for slot in ("member", "key", "value"):
            for member, mask, index in self.spans(shape, slot):
                if member is not None:
                    self.check_member(member, self.at(where, index, slot), life & mask)
        for members, mask, index in self.spans(shape, "members"):
            for mname, member in (members or {}).items():
                at = self.at(where, index, "members", mname)
                self.since(member, at, outer)
                self.check_member(member, at, self.life(member) & life & mask)
        if shape["type"] == "structure":
            self.check_structure(shape, where)
        if "history" in shape:
            self.check_history(shape, where, life)

    def check_patterns(self, shape: Mapping[str, Any], where: list[str | int]) -> None:
        """Every pattern the shape has at some version must be portable, unless it is marked
        unenforced (``patternEnforced: false``) at each version it holds."""
        enforced = [
            mask for value, mask, _ in self.spans(shape, "patternEnforced") if value is None
        ]
        for pattern, mask, index in self.spans(shape, "pattern"):
            if pattern is not None and any(mask & e for e in enforced):
                self.check_regex(pattern, self.at(where, index, "pattern"), marked=True)

    def check_history(self, shape: Mapping[str, Any], where: list[str | int], life: int) -> None:
        """What only a shape's history can get wrong: an order naming what the shape never
        had, a type without the fields it needs at some version."""
        members = set(shape.get("members", ()))
        values = {enum_value(e) for e in shape.get("enum", ())}
        for h in shape["history"]:
            members.update(h.get("members") or ())
            values.update(enum_value(e) for e in h.get("enum") or ())
        for i, h in enumerate(shape["history"]):
            for key, known, what in (
                ("memberOrder", members, "member"),
                ("enumOrder", values, "enum value"),
            ):
                for j, item in enumerate(h.get(key) or ()):
                    if item not in known:
                        self.report(
                            where + ["history", i, key, j], f"{key} names unknown {what} {item!r}"
                        )
        if not any(
            k in h for h in shape["history"] for k in ("type", "members", "member", "key", "value")
        ):
            return
        for index in range(self.count):
            if not life >> index & 1:
                continue
            then = as_of(shape, self.version_order, index)
            kind = then["type"]
            needs = {"structure": ("members",), "list": ("member",), "map": ("key", "value")}
            lacking = [k for k in needs.get(kind, ()) if k not in then]
            foreign = [
                k
                for k in ("members", "member", "key", "value")
                if k in then and k not in needs.get(kind, ())
            ]
            if lacking or foreign:
                problem = (
                    f"a {kind} needs {' and '.join(lacking)}"
                    if lacking
                    else f"{' and '.join(foreign)} do(es) not apply to a {kind}"
                )
                self.report(where + ["history"], f"as of {self.names[index]}: {problem}")
                return

    def check_structure(self, shape: Mapping[str, Any], where: list[str | int]) -> None:
        members: Mapping[str, Any] = shape["members"]
        required = shape.get("required", [])
        for i, r in enumerate(required):
            if r not in members:
                self.report(where + ["required", i], f"required names unknown member {r!r}")
            if required.index(r) != i:
                self.report(where + ["required", i], f"duplicate required member {r!r}")
        ids: set[str] = set()
        for i, r in enumerate(shape.get("rules", ())):
            self.check_rule(r, members, where + ["rules", i])
            if r["id"] in ids:
                self.report(where + ["rules", i, "id"], f"duplicate rule id {r['id']!r}")
            ids.add(r["id"])

    def member_type(self, member: Mapping[str, Any]) -> str | None:
        target = self.shapes.get(member["shape"])
        return target["type"] if target else None

    def check_member(self, member: Mapping[str, Any], where: list[str | int], life: int) -> None:
        """The shapes ``member`` refers to, over the versions of ``life`` (where it exists)."""
        for target, mask, index in self.spans(member, "shape"):
            if target is not None:
                self.check_ref(target, self.at(where, index, "shape"), life & mask)
        documented = member.get("documented")
        if documented and member["shape"] in self.shapes:
            self.check_constraints(
                documented, self.shapes[member["shape"]], where + ["documented"]
            )

    def check_constraints(
        self, c: Mapping[str, Any], target: Mapping[str, Any], where: list[str | int]
    ) -> None:
        kind = target["type"]
        applies = {
            "minItems": {"list", "map"},
            "maxItems": {"list", "map"},
            "minLength": {"string", "blob"},
            "maxLength": {"string", "blob"},
            "minValue": NUMBER_TYPES,
            "maxValue": NUMBER_TYPES,
            "pattern": {"string"},
            "format": {"string"},
            "idempotencyToken": {"string"},
            "filters": {"list"},
        }
        for key, kinds in applies.items():
            if key in c and kind not in kinds:
                self.report(where + [key], f"{key} does not apply to a member of type {kind}")
        for low, high in (
            ("minItems", "maxItems"),
            ("minLength", "maxLength"),
            ("minValue", "maxValue"),
        ):
            if low in c and high in c and c[low] > c[high]:
                self.report(where, f"{low} {c[low]} is greater than {high} {c[high]}")
        self.check_regex(c.get("pattern"), where + ["pattern"])
        if "format" in c and c["format"] not in self.formats:
            self.report(where + ["format"], f"unknown format {c['format']!r}")
        enum = [e if isinstance(e, str) else e["value"] for e in target.get("enum", ())]
        for i, value in enumerate(c.get("allowedValues", ())):
            problem = self.value_problem(value, kind, enum)
            if problem:
                self.report(where + ["allowedValues", i], problem)
        if "default" in c:
            problem = self.value_problem(c["default"], kind, enum)
            allowed = c.get("allowedValues")
            if problem is None and allowed and c["default"] not in allowed:
                problem = f"default {c['default']!r} is not one of the allowed values {allowed}"
            if problem:
                self.report(where + ["default"], problem)
        if "filters" in c and kind == "list":
            self.check_filters(c["filters"], target, where + ["filters"])

    def value_problem(self, value: Any, kind: str, enum: list[str]) -> str | None:
        python_types: dict[str, type | tuple[type, ...]] = {
            "string": str,
            "integer": int,
            "long": int,
            "double": (int, float),
            "float": (int, float),
            "boolean": bool,
        }
        expected = python_types.get(kind)
        if expected is None:
            return f"a value does not apply to a member of type {kind}"
        if isinstance(value, bool) != (kind == "boolean") or not isinstance(value, expected):
            return f"{value!r} is not a valid {kind}"
        if enum and value not in enum:
            return f"{value!r} is not one of the enum values {enum}"
        return None

    def check_filters(
        self, f: Mapping[str, Any], target: Mapping[str, Any], where: list[str | int]
    ) -> None:
        item = self.shapes.get(target["member"]["shape"])
        if item is None or item["type"] != "structure":
            self.report(where, "filters need a list of structures")
            return
        for key, default in (("nameMember", "Name"), ("valuesMember", "Values")):
            if f.get(key, default) not in item["members"]:
                self.report(
                    where + [key],
                    f"{target['member']['shape']} has no member {f.get(key, default)!r}",
                )
        names: set[str] = set()
        for i, n in enumerate(f["names"]):
            if n["name"] in names:
                self.report(where + ["names", i], f"duplicate filter name {n['name']!r}")
            names.add(n["name"])

    def check_rule(
        self, r: Mapping[str, Any], members: Mapping[str, Any], where: list[str | int]
    ) -> None:
        for i, m in enumerate(r["members"]):
            if m not in members:
                self.report(where + ["members", i], f"rule names unknown member {m!r}")
        if "when" in r:
            self.check_condition(r["when"], members, where + ["when"])
        if r["kind"] == "format":
            if r["format"] not in self.formats:
                self.report(where + ["format"], f"unknown format {r['format']!r}")
            target = members.get(r["members"][0])
            if target is not None and self.member_type(target) not in (None, "string"):
                self.report(where + ["members", 0], "a format rule applies to string members only")

    def check_condition(
        self, c: Mapping[str, Any], members: Mapping[str, Any], where: list[str | int]
    ) -> None:
        for key in ("not",):
            if key in c:
                self.check_condition(c[key], members, where + [key])
        for key in ("all", "any"):
            for i, sub in enumerate(c.get(key, ())):
                self.check_condition(sub, members, where + [key, i])
        if "member" not in c:
            return
        member = members.get(c["member"])
        if member is None:
            self.report(where + ["member"], f"condition names unknown member {c['member']!r}")
            return
        values = [c["equals"]] if "equals" in c else c.get("in", [])
        target = self.shapes.get(member["shape"])
        if target is None:
            return
        enum = [e if isinstance(e, str) else e["value"] for e in target.get("enum", ())]
        for value in values:
            problem = self.value_problem(value, target["type"], enum)
            if problem:
                self.report(where, problem)
        try:
            condition(c)
        except ApigenError as exc:
            self.report(where, str(exc))

    # operations ------------------------------------------------------------------------

    def check_operation(self, name: str, op: Mapping[str, Any]) -> None:
        where: list[str | int] = ["operations", name]
        self.since(op, where)
        self.check_provenance(op, where)
        life = self.life(op)
        for slot in ("input", "output"):
            for target, mask, index in self.spans(op, slot):
                if target is not None:
                    self.check_ref(target, self.at(where, index, slot), life & mask)
            if slot in op:
                target = self.shapes.get(op[slot])
                if target is not None and target["type"] != "structure":
                    self.report(
                        where + [slot],
                        f"{slot} shape {op[slot]!r} is a {target['type']}, not a structure",
                    )
        for errors, mask, index in self.spans(op, "errors"):
            for i, err in enumerate(errors or ()):
                self.check_ref(err, self.at(where, index, "errors", i), life & mask)
        codes = [e["code"] for e in op.get("documentedErrors", ())]
        for i, code in enumerate(codes):
            if codes.index(code) != i:
                self.report(where + ["documentedErrors", i], f"duplicate error code {code!r}")
        if "pagination" in op:
            self.check_pagination(op, where + ["pagination"])

    def check_pagination(self, op: Mapping[str, Any], where: list[str | int]) -> None:
        p = op["pagination"]
        input_members = self.shapes.get(op.get("input", ""), {}).get("members", {})
        output_members = self.shapes.get(op.get("output", ""), {}).get("members", {})
        checks = [
            ("inputToken", input_members, "input"),
            ("limitKey", input_members, "input"),
            ("outputToken", output_members, "output"),
            ("resultKey", output_members, "output"),
        ]
        for key, members, side in checks:
            if key not in p:
                continue
            for value in [p[key]] if isinstance(p[key], str) else p[key]:
                # botocore's keys are JMESPath: "NextMarker || Contents[-1].Key" names two
                for alternative in value.split("||"):
                    head = re.split(r"[.\[]", alternative.strip(), maxsplit=1)[0]
                    if head not in members:
                        self.report(
                            where + [key], f"{value!r} is not a member of the {side} shape"
                        )

    # waiters and resources ------------------------------------------------------------

    def output_members(self, operation: str, side: str = "output") -> Mapping[str, Any] | None:
        op = self.doc["operations"].get(operation)
        if op is None:
            return None
        shape = self.shapes.get(op.get(side, ""), {})
        members: Mapping[str, Any] = shape.get("members", {})
        return members

    def check_waiter(self, name: str, waiter: Mapping[str, Any]) -> None:
        where: list[str | int] = ["waiters", name]
        self.since(waiter, where)
        # the waiter as written, and each earlier form its history keeps
        for operation, _, index in self.spans(waiter, "operation"):
            if operation is not None and operation not in self.doc["operations"]:
                self.report(self.at(where, index, "operation"), f"unknown operation {operation!r}")
        forms = [(waiter, None)] + [
            (h, i) for i, h in enumerate(waiter.get("history", ())) if "acceptors" in h
        ]
        for form, index in forms:
            operation = form.get("operation", waiter["operation"])
            self.check_acceptors(operation, form["acceptors"], self.at(where, index))

    def check_acceptors(
        self, operation: str, acceptors: list[Mapping[str, Any]], where: list[str | int]
    ) -> None:
        outputs = self.output_members(operation)
        for i, a in enumerate(acceptors):
            at = where + ["acceptors", i]
            path = a["matcher"].startswith("path")
            if path and "argument" not in a:
                self.report(at, f"a {a['matcher']} acceptor needs an argument (a JMESPath)")
            if not path and "argument" in a:
                self.report(at + ["argument"], f"a {a['matcher']} acceptor takes no argument")
            expected = a["expected"]
            if a["matcher"] == "status" and (
                not isinstance(expected, int) or isinstance(expected, bool)
            ):
                self.report(at + ["expected"], f"a status is an integer, not {expected!r}")
            if a["matcher"] == "error" and not isinstance(expected, (str, bool)):
                self.report(
                    at + ["expected"], f"an error is a code or true/false, not {expected!r}"
                )
            head = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(?=$|[.\[ ])", a.get("argument", ""))
            if path and head and outputs is not None and head.group(1) not in outputs:
                self.report(
                    at + ["argument"],
                    f"{head.group(1)!r} is not a member of {operation}'s output",
                )

    def check_resource(self, name: str, r: Mapping[str, Any]) -> None:
        where: list[str | int] = ["resources", name]
        shape = self.shapes.get(r.get("shape", ""))
        if "shape" in r:
            if shape is None:
                self.report(where + ["shape"], f"unknown shape {r['shape']!r}")
            elif shape["type"] != "structure":
                self.report(
                    where + ["shape"], f"{r['shape']!r} is a {shape['type']}, not a structure"
                )
        members = shape.get("members", {}) if shape else None
        for key in ("identifier", "arn"):
            value = r.get(key)
            if (
                isinstance(value, Mapping)
                and members is not None
                and value["member"] not in members
            ):
                self.report(
                    where + [key, "member"], f"{r['shape']} has no member {value['member']!r}"
                )
        for key in ("name", "tags"):
            value = r.get(key)
            if isinstance(value, str) and members is not None and value not in members:
                self.report(where + [key], f"{r['shape']} has no member {value!r}")
        state = r.get("state")
        if isinstance(state, Mapping) and shape is not None:
            target: Mapping[str, Any] | None = shape
            for part in state["member"].split("."):
                ref = (target or {}).get("members", {}).get(part)
                target = self.shapes.get(ref["shape"]) if ref else None
                if target is None:
                    self.report(
                        where + ["state", "member"],
                        f"{state['member']!r} is not a member path of {r['shape']}",
                    )
                    break
            enum = [
                e if isinstance(e, str) else e["value"] for e in (target or {}).get("enum", ())
            ]
            for key in ("ready", "initial", "deleting", "deleted"):
                value = state.get(key)
                if target is not None and enum and value is not None and value not in enum:
                    self.report(
                        where + ["state", key], f"{value!r} is not one of the values {enum}"
                    )
        for role in ("create", "read", "update", "delete"):
            for i, b in enumerate(r.get(role, ())):
                self.check_binding(b, where + [role, i])

    def check_binding(self, b: Mapping[str, Any], where: list[str | int]) -> None:
        operation = b["operation"]
        if operation not in self.doc["operations"]:
            self.report(where + ["operation"], f"unknown operation {operation!r}")
            return
        inputs = self.output_members(operation, "input") or {}
        for key in ("id", "filters", "count", "each", "token"):
            if key in b and b[key] not in inputs:
                self.report(where + [key], f"{b[key]!r} is not a member of {operation}'s input")
        if b.get("records"):
            shape: Mapping[str, Any] | None = self.shapes.get(
                self.doc["operations"][operation].get("output", "")
            )
            for part in b["records"].split("."):
                many = part.endswith("[]")
                ref = (shape or {}).get("members", {}).get(part.removesuffix("[]"))
                shape = self.shapes.get(ref["shape"]) if ref else None
                if shape is not None and many:
                    item = shape.get("member")
                    shape = (
                        self.shapes.get(item["shape"])
                        if item and shape["type"] == "list"
                        else None
                    )
                if shape is None:
                    self.report(
                        where + ["records"],
                        f"{b['records']!r} is not a path of {operation}'s output",
                    )
                    break


# Where a top-level key a document did not have goes (:func:`placed`): after the last key
# named before it here that the document has.
KEY_ORDER = (
    "$schema",
    "specFormat",
    "service",
    "title",
    "scope",
    "source",
    "metadata",
    "history",
    "versions",
    "documentation",
    "traits",
)


def placed(document: Mapping[str, Any], original: Iterable[str]) -> dict[str, Any]:
    """``document`` with its top-level keys in the order of ``original`` (the keys it had),
    each new key placed after the last key :data:`KEY_ORDER` names before it (a key it does
    not name: after every key it names), so that an edited spec reads like a written one."""

    def rank(key: str, unnamed: int) -> int:
        return KEY_ORDER.index(key) if key in KEY_ORDER else unnamed

    had = list(original)
    keys = [k for k in had if k in document]
    for key in document:
        if key in had:
            continue
        at = 0
        for i, k in enumerate(keys):
            if rank(k, len(KEY_ORDER) + 1) <= rank(key, len(KEY_ORDER)):
                at = i + 1
        keys.insert(at, key)
    return {k: document[k] for k in keys}


def format_spec(document: Mapping[str, Any]) -> str:
    """The canonical text of a spec document (what ``save_spec`` writes)."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def save_spec(path: str | Path, document: Mapping[str, Any]) -> None:
    """Write a spec document, after checking it; the old file stays intact on any problem."""
    path = Path(path)
    text = format_spec(document)
    parse_spec(text.encode("utf-8"), display_path(path))
    try:
        replace_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(message=f"{path}: cannot write: {exc.strerror or exc}") from None
