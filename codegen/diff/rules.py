"""The classification table: every kind of change the diff engine reports, and how bad it is.

Each :class:`DiffRule` has a stable id (used in reports, fingerprints and suppression files), a
description, and a severity for each direction a change can travel in:

* ``request``: the change is in an operation's input (what clients send);
* ``response``: the change is in its output or in one of its error shapes (what clients read).

Service- and operation-level rules have the same severity in both columns. The table is the
single source of truth: the engine only names rule ids, :func:`severity` looks them up here, and
:func:`rules_markdown` renders the table for docs/api-diffs.md (``python -m codegen.diff``;
``tools/update_docs.py`` copies it into the page).

Severities, after oasdiff and smithy-diff:

* ``breaking``: existing, correct clients fail (a removed member, a newly required member, a
  tightened limit on a request, a type change);
* ``dangerous``: some clients may break (a new enum value in a response, a relaxed limit on a
  response, a new error);
* ``non-breaking``: additions clients can ignore;
* ``docs``: documentation only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["breaking", "dangerous", "non-breaking", "docs"]
Direction = Literal["service", "operation", "request", "response", "error"]
Scope = Literal["service", "operation", "member"]

SEVERITIES: tuple[Severity, ...] = ("breaking", "dangerous", "non-breaking", "docs")
DIRECTIONS: tuple[Direction, ...] = ("service", "operation", "request", "response", "error")

B: Severity = "breaking"
D: Severity = "dangerous"
N: Severity = "non-breaking"
DOC: Severity = "docs"


@dataclass(frozen=True)
class DiffRule:
    id: str
    kind: str  # a coarse category: service, operation, member, type, required, enum, ...
    scope: Scope
    request: Severity
    response: Severity
    description: str
    smithy: str = ""  # the smithy-diff evaluator this corresponds to, if any

    def severity(self, direction: Direction) -> Severity:
        return self.request if direction == "request" else self.response


def _any(
    id: str, kind: str, scope: Scope, sev: Severity, description: str, smithy: str = ""
) -> DiffRule:
    return DiffRule(id, kind, scope, sev, sev, description, smithy)


def _dir(
    id: str, kind: str, request: Severity, response: Severity, description: str, smithy: str = ""
) -> DiffRule:
    return DiffRule(id, kind, "member", request, response, description, smithy)


RULES: tuple[DiffRule, ...] = (
    # -- services ------------------------------------------------------------------------
    _any("AddedService", "service", "service", N, "A service was added.", "AddedShape (service)"),
    _any(
        "RemovedService",
        "service",
        "service",
        B,
        "A service was removed.",
        "RemovedShape (service)",
    ),
    _any(
        "ChangedServiceMetadata",
        "service",
        "service",
        D,
        "Wire metadata changed: protocol, API version, endpoint prefix, target prefix, signing, XML namespace.",
        "ModifiedTrait (protocol traits)",
    ),
    _any(
        "ChangedServiceName",
        "service",
        "service",
        N,
        "The service's full name or abbreviation changed.",
        "ModifiedTrait (title)",
    ),
    # -- operations ----------------------------------------------------------------------
    _any(
        "AddedOperation", "operation", "operation", N, "An operation was added.", "AddedOperation"
    ),
    _any(
        "RemovedOperation",
        "operation",
        "operation",
        B,
        "An operation was removed.",
        "RemovedOperation",
    ),
    _any(
        "ChangedHttpBinding",
        "operation",
        "operation",
        B,
        "The HTTP method, request URI, response code, host prefix or wire name of an operation changed.",
        "ModifiedTrait (http, endpoint)",
    ),
    _any(
        "AddedError",
        "error",
        "operation",
        D,
        "An operation can return a new error (botocore error shape or documented error code); "
        "clients that handle errors exhaustively may not expect it.",
        "AddedOperationError",
    ),
    _any(
        "RemovedError",
        "error",
        "operation",
        D,
        "An operation no longer returns an error; code that catches it is dead, typed SDKs may drop "
        "the class.",
        "RemovedOperationError",
    ),
    _any(
        "AddedPagination",
        "pagination",
        "operation",
        N,
        "An operation became paginated.",
        "ChangedPaginated",
    ),
    _any(
        "RemovedPagination",
        "pagination",
        "operation",
        B,
        "An operation is no longer paginated: its paginator disappears.",
        "ChangedPaginated",
    ),
    _any(
        "ChangedPagination",
        "pagination",
        "operation",
        D,
        "The input/output token, limit key or result key of a paginator changed.",
        "ChangedPaginated",
    ),
    # -- members and shapes (direction-aware) --------------------------------------------
    _dir("AddedMember", "member", N, N, "An optional member was added.", "AddedShape (member)"),
    _dir(
        "AddedRequiredMember",
        "member",
        B,
        N,
        "A required member was added: existing requests lack it.",
        "AddedRequiredMember",
    ),
    _dir(
        "RemovedMember",
        "member",
        B,
        B,
        "A member was removed: clients that send it fail validation, clients that read it get nothing.",
        "RemovedShape (member)",
    ),
    _dir(
        "ChangedShapeType",
        "type",
        B,
        B,
        "A member's type changed (e.g. string to integer, list to structure).",
        "ChangedShapeType",
    ),
    _dir(
        "ChangedMemberTarget",
        "type",
        N,
        N,
        "A member targets a differently named shape of the same type; differences in the targets are "
        "reported on their own. Wire format unchanged; generated type names may change.",
        "ChangedMemberTarget (compatible)",
    ),
    _dir(
        "MadeRequired",
        "required",
        B,
        N,
        "An existing member became required.",
        "ChangedNullability (required added)",
    ),
    _dir(
        "MadeOptional",
        "required",
        N,
        D,
        "A required member became optional: responses may now omit it.",
        "ChangedNullability (required removed)",
    ),
    _dir(
        "AddedEnumValue",
        "enum",
        N,
        D,
        "An enum value was appended: clients that switch over response values may not know it.",
        "ChangedEnum (appended)",
    ),
    _dir(
        "InsertedEnumValue",
        "enum",
        D,
        D,
        "An enum value was inserted before existing ones: ordinals in generated enums shift.",
        "ChangedEnum (inserted)",
    ),
    _dir(
        "RemovedEnumValue",
        "enum",
        B,
        D,
        "An enum value was removed: requests that send it fail.",
        "ChangedEnum (removed)",
    ),
    _dir(
        "RenamedEnumValue",
        "enum",
        B,
        B,
        "An enum value was renamed (a value replaced at the same position).",
        "ChangedEnum (renamed)",
    ),
    _dir(
        "AddedEnum",
        "enum",
        D,
        N,
        "A free-form string became an enum.",
        "ChangedEnum (enum trait added)",
    ),
    _dir(
        "RemovedEnum",
        "enum",
        N,
        D,
        "An enum became a free-form string.",
        "ChangedEnum (enum trait removed)",
    ),
    _dir(
        "AddedAllowedValue",
        "constraint",
        N,
        D,
        "A value was added to the documented allowed values.",
        "ChangedEnum (appended), documented",
    ),
    _dir(
        "RemovedAllowedValue",
        "constraint",
        B,
        D,
        "A value was removed from the documented allowed values.",
        "ChangedEnum (removed), documented",
    ),
    _dir(
        "TightenedAllowedValues",
        "constraint",
        B,
        N,
        "The documentation now restricts a member to listed values.",
        "ChangedEnum, documented",
    ),
    _dir(
        "RelaxedAllowedValues",
        "constraint",
        N,
        D,
        "The documentation no longer restricts a member to listed values.",
        "ChangedEnum, documented",
    ),
    _dir(
        "TightenedLength",
        "constraint",
        B,
        N,
        "A length or item-count limit (min/max, botocore or documented) was added or narrowed.",
        "ChangedLengthTrait",
    ),
    _dir(
        "RelaxedLength",
        "constraint",
        N,
        D,
        "A length or item-count limit was removed or widened: responses may hold longer values.",
        "ChangedLengthTrait",
    ),
    _dir(
        "TightenedRange",
        "constraint",
        B,
        N,
        "A numeric range (min/max, botocore or documented) was added or narrowed.",
        "ChangedRangeTrait",
    ),
    _dir(
        "RelaxedRange",
        "constraint",
        N,
        D,
        "A numeric range was removed or widened.",
        "ChangedRangeTrait",
    ),
    _dir(
        "AddedPattern",
        "constraint",
        B,
        N,
        "A pattern or named value format now constrains a value.",
        "ChangedPattern (added)",
    ),
    _dir(
        "RemovedPattern",
        "constraint",
        N,
        D,
        "A pattern or named value format no longer constrains a value.",
        "ChangedPattern (removed)",
    ),
    _dir(
        "RelaxedPattern",
        "constraint",
        N,
        D,
        "A pattern or named value format changed and now accepts every value it accepted and "
        "more (compared as languages; the details name a value only the new one accepts).",
        "ChangedPattern (looser)",
    ),
    _dir(
        "TightenedPattern",
        "constraint",
        B,
        N,
        "A pattern or named value format changed and now accepts only some of the values it "
        "accepted (the details name a value it no longer accepts).",
        "ChangedPattern (tighter)",
    ),
    _dir(
        "EquivalentPattern",
        "constraint",
        DOC,
        DOC,
        "A pattern or named value format was rewritten but accepts exactly the same values.",
        "ChangedPattern (same values)",
    ),
    _dir(
        "ChangedPattern",
        "constraint",
        B,
        D,
        "A pattern or named value format changed: neither looser nor tighter, or not decided "
        "(a construct the comparison does not model, or its bounds hit; the message says which).",
        "ChangedPattern",
    ),
    _dir(
        "AddedDefault",
        "default",
        D,
        N,
        "A documented default value was added.",
        "ChangedDefault (added)",
    ),
    _dir(
        "RemovedDefault",
        "default",
        B,
        D,
        "A documented default value was removed: omitting the member may now behave differently.",
        "ChangedDefault (removed)",
    ),
    _dir(
        "ChangedDefault",
        "default",
        B,
        D,
        "A documented default value changed: requests that omit the member behave differently.",
        "ChangedDefault",
    ),
    _dir(
        "AddedRule",
        "constraint",
        B,
        N,
        "A documented rule between members (forbidden/required together/format) was added.",
        "ModifiedTrait (documented constraint)",
    ),
    _dir(
        "RemovedRule",
        "constraint",
        N,
        D,
        "A documented rule between members was removed.",
        "ModifiedTrait (documented constraint)",
    ),
    _dir(
        "ChangedRule",
        "constraint",
        D,
        D,
        "A documented rule between members changed.",
        "ModifiedTrait (documented constraint)",
    ),
    _dir(
        "AddedFilterName",
        "constraint",
        N,
        N,
        "A documented filter name was added.",
        "ChangedEnum (appended), documented",
    ),
    _dir(
        "RemovedFilterName",
        "constraint",
        B,
        B,
        "A documented filter name was removed: requests that use it fail.",
        "ChangedEnum (removed), documented",
    ),
    _dir(
        "ChangedWireName",
        "wire",
        B,
        B,
        "A wire name changed (locationName, queryName): the member is sent or read under another name.",
        "ModifiedTrait (jsonName/xmlName)",
    ),
    _dir(
        "AddedIdempotencyToken",
        "idempotency",
        N,
        N,
        "A member became an idempotency token: SDKs fill it in automatically.",
        "ModifiedTrait (idempotencyToken added)",
    ),
    _dir(
        "RemovedIdempotencyToken",
        "idempotency",
        D,
        N,
        "A member is no longer an idempotency token: SDKs stop filling it in, retries may duplicate.",
        "ModifiedTrait (idempotencyToken removed)",
    ),
    # -- traits, any level ---------------------------------------------------------------
    _any(
        "ChangedWireTrait",
        "trait",
        "member",
        B,
        "A trait that shapes the wire format changed (location, timestampFormat, flattened, "
        "xmlAttribute, xmlNamespace, jsonvalue, streaming, event stream, hostLabel, error code, "
        "result wrapper).",
        "ModifiedTrait (protocol traits)",
    ),
    _any(
        "ChangedTrait",
        "trait",
        "member",
        D,
        "Any other botocore trait changed (auth type, checksum, endpoint discovery, ...).",
        "ModifiedTrait",
    ),
    _any(
        "ChangedAnnotationTrait",
        "trait",
        "member",
        N,
        "An annotation with no effect on the wire changed (sensitive, box, documentation URL).",
        "ModifiedTrait (annotation)",
    ),
    _any(
        "AddedDeprecation",
        "trait",
        "member",
        N,
        "An operation, shape or member was marked deprecated.",
        "ModifiedTrait (deprecated added)",
    ),
    _any(
        "RemovedDeprecation",
        "trait",
        "member",
        N,
        "An operation, shape or member is no longer deprecated.",
        "ModifiedTrait (deprecated removed)",
    ),
    # -- documentation -------------------------------------------------------------------
    _any(
        "ChangedDocumentation",
        "documentation",
        "member",
        DOC,
        "Documentation text changed (service, operation, shape, member, or the source sentence of a "
        "documented constraint).",
        "ModifiedTrait (documentation)",
    ),
)

RULES_BY_ID: dict[str, DiffRule] = {r.id: r for r in RULES}
assert len(RULES_BY_ID) == len(RULES), "duplicate rule ids"


def rule(rule_id: str) -> DiffRule:
    return RULES_BY_ID[rule_id]


def severity(rule_id: str, direction: Direction) -> Severity:
    return RULES_BY_ID[rule_id].severity(direction)


def severity_rank(sev: Severity) -> int:
    """0 for breaking ... 3 for docs (lower is worse)."""
    return SEVERITIES.index(sev)


def rules_markdown() -> str:
    """The table as GitHub markdown, for docs/api-diffs.md."""
    lines = [
        "| Rule id | Kind | Request | Response | smithy-diff | Description |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in RULES:
        req: str = r.request
        resp: str = r.response
        if r.scope != "member":
            req = resp = f"{r.request} ({r.scope})"
        lines.append(
            f"| `{r.id}` | {r.kind} | {req} | {resp} | {r.smithy or '-'} | {r.description} |"
        )
    lines.append("")
    lines.append(
        "Response covers an operation's output and its error shapes. Service- and operation-level "
        "rules have one severity, shown in both columns."
    )
    return "\n".join(lines) + "\n"
