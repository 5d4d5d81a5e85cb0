"""The diff engine on hand-made model pairs: one pair per kind of change, each with the exact
changes (operation, direction, path, rule, severity) it must produce, and nothing else.

The models are built the way every model is: a small botocore-style service
(``tests/fixtures/diff/demo/2020-01-01/service-2.json``, edited per test) through
``import_model``; what only specs hold (documented constraints, rules between members, filters)
is added with ``dataclasses.replace``. No network.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest

from codegen.bridge.importer import import_model
from codegen.diff.engine import Change, compare_models
from codegen.diff.report import DiffReport, ServiceDiff, SideInfo, group_operations
from codegen.diff.rules import RULES, RULES_BY_ID, rules_markdown
from codegen.model import Condition, Constraints, FilterName, FilterSpec, Rule, ServiceModel
from tests.support.paths import DIFF_DEMO as FIXTURE

BASE: dict[str, Any] = json.loads((FIXTURE / "service-2.json").read_text(encoding="utf-8"))
PAGINATORS: dict[str, Any] = json.loads(
    (FIXTURE / "paginators-1.json").read_text(encoding="utf-8")
)

Row = tuple[str | None, str, str, str, str]


def model(
    raw: dict[str, Any] | None = None, paginators: dict[str, Any] | None = None
) -> ServiceModel:
    return import_model(
        raw or BASE, name="demo", paginators=PAGINATORS if paginators is None else paginators
    )


def edited(edit: Callable[[dict[str, Any]], object]) -> ServiceModel:
    raw = copy.deepcopy(BASE)
    edit(raw)
    return model(raw)


def rows(changes: list[Change]) -> set[Row]:
    return {(c.operation, c.direction, c.path, c.rule, c.severity) for c in changes}


def diff_rows(old: ServiceModel, new: ServiceModel) -> set[Row]:
    return rows(compare_models(old, new))


def replace_member(m: ServiceModel, shape: str, member: str, **changes: Any) -> ServiceModel:
    s = m.shapes[shape]
    new_member = dataclasses.replace(s.members[member], **changes)
    new_shape = dataclasses.replace(s, members={**s.members, member: new_member})
    return dataclasses.replace(m, shapes={**m.shapes, shape: new_shape})


def replace_shape(m: ServiceModel, shape: str, **changes: Any) -> ServiceModel:
    return dataclasses.replace(
        m, shapes={**m.shapes, shape: dataclasses.replace(m.shapes[shape], **changes)}
    )


# Responses that hold a Thing: reported under each operation that reaches it.
THING_PATHS = [("PutThing", "Thing"), ("GetThing", "Thing"), ("ListThings", "Things")]


def thing_rows(suffix: str, rule: str, severity: str) -> set[Row]:
    return {(op, "response", f"{path}.{suffix}", rule, severity) for op, path in THING_PATHS}


def test_identical_models_have_no_changes() -> None:
    assert compare_models(model(), model()) == []


# -- members ---------------------------------------------------------------------------------


def test_removed_request_member_is_breaking() -> None:
    new = edited(lambda r: r["shapes"]["PutThingRequest"]["members"].pop("Note"))
    assert diff_rows(model(), new) == {
        ("PutThing", "request", "Note", "RemovedMember", "breaking")
    }


def test_removed_response_member_is_breaking_under_each_operation() -> None:
    new = edited(lambda r: r["shapes"]["Thing"]["members"].pop("Parent"))
    assert diff_rows(model(), new) == thing_rows("Parent", "RemovedMember", "breaking")


def test_added_optional_member() -> None:
    new = edited(
        lambda r: r["shapes"]["PutThingRequest"]["members"].update(Color={"shape": "String"})
    )
    changes = compare_models(model(), new)
    assert rows(changes) == {("PutThing", "request", "Color", "AddedMember", "non-breaking")}
    assert changes[0].new == "string"


def test_added_required_member_is_breaking_in_a_request() -> None:
    def edit(r: dict[str, Any]) -> None:
        r["shapes"]["PutThingRequest"]["members"]["Owner"] = {"shape": "String"}
        r["shapes"]["PutThingRequest"]["required"].append("Owner")

    assert diff_rows(model(), edited(edit)) == {
        ("PutThing", "request", "Owner", "AddedRequiredMember", "breaking")
    }


def test_added_required_member_is_fine_in_a_response() -> None:
    def edit(r: dict[str, Any]) -> None:
        r["shapes"]["Thing"]["members"]["Owner"] = {"shape": "String"}
        r["shapes"]["Thing"]["required"].append("Owner")

    assert diff_rows(model(), edited(edit)) == thing_rows(
        "Owner", "AddedRequiredMember", "non-breaking"
    )


def test_added_structure_member_shows_its_signature() -> None:
    new = edited(
        lambda r: r["shapes"]["PutThingRequest"]["members"].update(Labels={"shape": "TagList"})
    )
    (change,) = compare_models(model(), new)
    assert change.new == [{"Key": "string", "Value": "string"}]
    assert change.message == "member added (list<Tag>)"


def test_made_required_in_a_request_is_breaking() -> None:
    new = edited(lambda r: r["shapes"]["PutThingRequest"]["required"].append("Kind"))
    assert diff_rows(model(), new) == {("PutThing", "request", "Kind", "MadeRequired", "breaking")}


def test_made_optional_in_a_response_is_dangerous() -> None:
    new = edited(lambda r: r["shapes"]["Thing"].update(required=[]))
    assert diff_rows(model(), new) == thing_rows("Name", "MadeOptional", "dangerous")


def test_made_optional_in_a_request_is_not_breaking() -> None:
    new = edited(lambda r: r["shapes"]["PutThingRequest"].update(required=[]))
    assert diff_rows(model(), new) == {
        ("PutThing", "request", "Name", "MadeOptional", "non-breaking")
    }


# -- types -----------------------------------------------------------------------------------


def test_changed_member_type_is_breaking() -> None:
    new = edited(
        lambda r: r["shapes"]["PutThingRequest"]["members"]["Size"].update(shape="String")
    )
    changes = compare_models(model(), new)
    assert rows(changes) == {("PutThing", "request", "Size", "ChangedShapeType", "breaking")}
    assert (changes[0].old, changes[0].new) == ("integer", "string")


def test_changed_shape_type_in_place_is_breaking_everywhere() -> None:
    new = edited(lambda r: r["shapes"].update(Size={"type": "long", "min": 1, "max": 100}))
    assert diff_rows(model(), new) == {
        ("PutThing", "request", "Size", "ChangedShapeType", "breaking"),
        ("ListThings", "request", "MaxResults", "ChangedShapeType", "breaking"),
    }


def test_renamed_target_of_same_type_is_only_noted() -> None:
    def edit(r: dict[str, Any]) -> None:
        r["shapes"]["NoteText"] = {"type": "string"}
        r["shapes"]["PutThingRequest"]["members"]["Note"]["shape"] = "NoteText"

    assert diff_rows(model(), edited(edit)) == {
        ("PutThing", "request", "Note", "ChangedMemberTarget", "non-breaking")
    }


def test_renamed_target_with_a_tighter_limit_reports_both() -> None:
    def edit(r: dict[str, Any]) -> None:
        r["shapes"]["NoteText"] = {"type": "string", "max": 256}
        r["shapes"]["PutThingRequest"]["members"]["Note"]["shape"] = "NoteText"

    assert diff_rows(model(), edited(edit)) == {
        ("PutThing", "request", "Note", "ChangedMemberTarget", "non-breaking"),
        ("PutThing", "request", "Note", "TightenedLength", "breaking"),
    }


# -- enums -----------------------------------------------------------------------------------

KIND_REQUEST = ("PutThing", "request", "Kind")


def _kind(values: list[str]) -> ServiceModel:
    return edited(lambda r: r["shapes"]["Kind"].update(enum=values))


def test_enum_value_appended() -> None:
    assert diff_rows(model(), _kind(["small", "large", "huge"])) == (
        {(*KIND_REQUEST, "AddedEnumValue", "non-breaking")}
        | thing_rows("Kind", "AddedEnumValue", "dangerous")
    )


def test_enum_value_removed() -> None:
    assert diff_rows(model(), _kind(["small"])) == (
        {(*KIND_REQUEST, "RemovedEnumValue", "breaking")}
        | thing_rows("Kind", "RemovedEnumValue", "dangerous")
    )


def test_enum_value_renamed() -> None:
    changes = compare_models(model(), _kind(["small", "big"]))
    assert rows(changes) == (
        {(*KIND_REQUEST, "RenamedEnumValue", "breaking")}
        | thing_rows("Kind", "RenamedEnumValue", "breaking")
    )
    assert {(c.old, c.new) for c in changes} == {("large", "big")}


def test_enum_value_inserted() -> None:
    assert diff_rows(model(), _kind(["small", "medium", "large"])) == (
        {(*KIND_REQUEST, "InsertedEnumValue", "dangerous")}
        | thing_rows("Kind", "InsertedEnumValue", "dangerous")
    )


def test_string_became_enum_and_back() -> None:
    new = edited(lambda r: r["shapes"]["Name"].update(enum=["a", "b"]))
    assert diff_rows(model(), new) == (
        {("PutThing", "request", "Name", "AddedEnum", "dangerous")}
        | thing_rows("Name", "AddedEnum", "non-breaking")
    )
    assert diff_rows(new, model()) == (
        {("PutThing", "request", "Name", "RemovedEnum", "non-breaking")}
        | thing_rows("Name", "RemovedEnum", "dangerous")
    )


# -- constraints -----------------------------------------------------------------------------


def test_length_tightened_and_relaxed() -> None:
    tighter = edited(lambda r: r["shapes"]["Name"].update(max=32))
    assert diff_rows(model(), tighter) == (
        {("PutThing", "request", "Name", "TightenedLength", "breaking")}
        | thing_rows("Name", "TightenedLength", "non-breaking")
    )
    looser = edited(lambda r: r["shapes"]["Name"].update(max=128))
    assert diff_rows(model(), looser) == (
        {("PutThing", "request", "Name", "RelaxedLength", "non-breaking")}
        | thing_rows("Name", "RelaxedLength", "dangerous")
    )


def test_list_item_limit_tightened() -> None:
    new = edited(lambda r: r["shapes"]["TagList"].update(max=5))
    assert diff_rows(model(), new) == (
        {("PutThing", "request", "Tags", "TightenedLength", "breaking")}
        | thing_rows("Tags", "TightenedLength", "non-breaking")
    )


def test_range_tightened_and_limit_removed() -> None:
    tighter = edited(lambda r: r["shapes"]["Size"].update(min=5))
    assert diff_rows(model(), tighter) == {
        ("PutThing", "request", "Size", "TightenedRange", "breaking"),
        ("ListThings", "request", "MaxResults", "TightenedRange", "breaking"),
    }
    unbounded = edited(lambda r: r["shapes"]["Size"].pop("max"))
    assert diff_rows(model(), unbounded) == {
        ("PutThing", "request", "Size", "RelaxedRange", "non-breaking"),
        ("ListThings", "request", "MaxResults", "RelaxedRange", "non-breaking"),
    }


def test_pattern_changed_added_removed() -> None:
    changed = edited(lambda r: r["shapes"]["Name"].update(pattern="^[a-z0-9]+$"))
    assert diff_rows(model(), changed) == (
        {("PutThing", "request", "Name", "ChangedPattern", "breaking")}
        | thing_rows("Name", "ChangedPattern", "dangerous")
    )
    removed = edited(lambda r: r["shapes"]["Name"].pop("pattern"))
    assert diff_rows(model(), removed) == (
        {("PutThing", "request", "Name", "RemovedPattern", "non-breaking")}
        | thing_rows("Name", "RemovedPattern", "dangerous")
    )
    assert diff_rows(removed, model()) == (
        {("PutThing", "request", "Name", "AddedPattern", "breaking")}
        | thing_rows("Name", "AddedPattern", "non-breaking")
    )


def test_documented_constraints() -> None:
    old = model()
    base = Constraints(default="small", max_items=None, allowed_values=("a", "b"), min_value=1)
    old = replace_member(old, "PutThingRequest", "Note", documented=base)
    cases = {
        "ChangedDefault": dataclasses.replace(base, default="large"),
        "RemovedDefault": dataclasses.replace(base, default=None),
        "RemovedAllowedValue": dataclasses.replace(base, allowed_values=("a",)),
        "AddedAllowedValue": dataclasses.replace(base, allowed_values=("a", "b", "c")),
        "RelaxedAllowedValues": dataclasses.replace(base, allowed_values=()),
        "TightenedRange": dataclasses.replace(base, min_value=2),
        "TightenedLength": dataclasses.replace(base, max_items=1000),
        "AddedPattern": dataclasses.replace(base, format="flow-log-format"),
    }
    expected_severity = {
        "ChangedDefault": "breaking",
        "RemovedDefault": "breaking",
        "RemovedAllowedValue": "breaking",
        "AddedAllowedValue": "non-breaking",
        "RelaxedAllowedValues": "non-breaking",
        "TightenedRange": "breaking",
        "TightenedLength": "breaking",
        "AddedPattern": "breaking",
    }
    for rule, documented in cases.items():
        new = replace_member(model(), "PutThingRequest", "Note", documented=documented)
        assert diff_rows(old, new) == {
            ("PutThing", "request", "Note", rule, expected_severity[rule])
        }, rule
    # the same documented change on a response member
    old_resp = replace_member(model(), "Thing", "Name", documented=base)
    new_resp = replace_member(
        model(),
        "Thing",
        "Name",
        documented=dataclasses.replace(base, allowed_values=("a", "b", "c")),
    )
    assert diff_rows(old_resp, new_resp) == thing_rows("Name", "AddedAllowedValue", "dangerous")
    # only the sentence the constraints were transcribed from changed: documentation
    sourced = replace_member(
        model(),
        "PutThingRequest",
        "Note",
        documented=dataclasses.replace(base, source="Default: small"),
    )
    assert diff_rows(old, sourced) == {
        ("PutThing", "request", "Note", "ChangedDocumentation", "docs")
    }


def test_documented_filters() -> None:
    filters = FilterSpec(
        names=(
            FilterName("name", "The name."),
            FilterName("kind", "The kind.", ("small", "large")),
        )
    )
    old = replace_member(
        model(), "PutThingRequest", "Tags", documented=Constraints(filters=filters)
    )
    fewer = FilterSpec(names=(FilterName("kind", "The kind.", ("small",)),))
    new = replace_member(model(), "PutThingRequest", "Tags", documented=Constraints(filters=fewer))
    assert diff_rows(old, new) == {
        ("PutThing", "request", "Tags", "RemovedFilterName", "breaking"),
        ("PutThing", "request", "Tags", "RemovedAllowedValue", "breaking"),
    }


def test_rules_between_members() -> None:
    rule = Rule(
        "no-note-for-small",
        "forbidden",
        ("Note",),
        "must not be given for small things",
        "doc",
        when=Condition("equals", member="Kind", values=("small",)),
    )
    with_rule = replace_shape(model(), "PutThingRequest", rules=(rule,))
    assert diff_rows(model(), with_rule) == {("PutThing", "request", "", "AddedRule", "breaking")}
    assert diff_rows(with_rule, model()) == {
        ("PutThing", "request", "", "RemovedRule", "non-breaking")
    }
    changed = replace_shape(
        model(), "PutThingRequest", rules=(dataclasses.replace(rule, members=("Note", "Size")),)
    )
    assert diff_rows(with_rule, changed) == {
        ("PutThing", "request", "", "ChangedRule", "dangerous")
    }
    reworded = replace_shape(
        model(), "PutThingRequest", rules=(dataclasses.replace(rule, message="no notes"),)
    )
    assert diff_rows(with_rule, reworded) == {
        ("PutThing", "request", "", "ChangedDocumentation", "docs")
    }


# -- wire, traits, idempotency ---------------------------------------------------------------


def test_wire_name_changed_under_every_path() -> None:
    new = edited(lambda r: r["shapes"]["Tag"]["members"]["Key"].update(locationName="key"))
    assert diff_rows(model(), new) == (
        {("PutThing", "request", "Tags.Key", "ChangedWireName", "breaking")}
        | thing_rows("Tags.Key", "ChangedWireName", "breaking")
    )


def test_idempotency_token_removed_and_added() -> None:
    new = edited(
        lambda r: r["shapes"]["PutThingRequest"]["members"]["Token"].pop("idempotencyToken")
    )
    assert diff_rows(model(), new) == {
        ("PutThing", "request", "Token", "RemovedIdempotencyToken", "dangerous")
    }
    assert diff_rows(new, model()) == {
        ("PutThing", "request", "Token", "AddedIdempotencyToken", "non-breaking")
    }
    # a documented idempotency token equals botocore's trait
    documented = replace_member(
        new, "PutThingRequest", "Token", documented=Constraints(idempotency_token=True)
    )
    assert diff_rows(model(), documented) == set()


def test_traits() -> None:
    new = edited(
        lambda r: r["shapes"]["PutThingRequest"]["members"]["Created"].update(
            timestampFormat="iso8601"
        )
    )
    assert diff_rows(model(), new) == {
        ("PutThing", "request", "Created", "ChangedWireTrait", "breaking")
    }
    deprecated = edited(lambda r: r["operations"]["GetThing"].update(deprecated=True))
    assert diff_rows(model(), deprecated) == {
        ("GetThing", "operation", "", "AddedDeprecation", "non-breaking")
    }
    sensitive = edited(lambda r: r["shapes"]["String"].update(sensitive=True))
    assert {row[3:] for row in diff_rows(model(), sensitive)} == {
        ("ChangedAnnotationTrait", "non-breaking")
    }
    auth = edited(lambda r: r["operations"]["GetThing"].update(authtype="none"))
    assert diff_rows(model(), auth) == {("GetThing", "operation", "", "ChangedTrait", "dangerous")}


# -- operations, errors, pagination ----------------------------------------------------------


def test_operation_added_and_removed() -> None:
    new = edited(lambda r: r["operations"].pop("GetThing"))
    assert diff_rows(model(), new) == {
        ("GetThing", "operation", "", "RemovedOperation", "breaking")
    }
    assert diff_rows(new, model()) == {
        ("GetThing", "operation", "", "AddedOperation", "non-breaking")
    }


def test_http_binding_changed() -> None:
    new = edited(lambda r: r["operations"]["GetThing"]["http"].update(requestUri="/things"))
    assert diff_rows(model(), new) == {
        ("GetThing", "operation", "", "ChangedHttpBinding", "breaking")
    }


def test_errors_added_and_removed() -> None:
    new = edited(lambda r: r["operations"]["PutThing"]["errors"].append({"shape": "Conflict"}))
    assert diff_rows(model(), new) == {("PutThing", "operation", "", "AddedError", "dangerous")}
    assert diff_rows(new, model()) == {("PutThing", "operation", "", "RemovedError", "dangerous")}


def test_error_shape_changes_are_reported_under_the_operation() -> None:
    new = edited(lambda r: r["shapes"]["BadInput"]["members"].update(Code={"shape": "String"}))
    assert diff_rows(model(), new) == {
        ("PutThing", "error", "BadInput.Code", "AddedMember", "non-breaking")
    }
    status = edited(
        lambda r: r["shapes"]["BadInput"].update(error={"code": "BadInput", "httpStatusCode": 422})
    )
    assert diff_rows(model(), status) == {
        ("PutThing", "error", "BadInput", "ChangedWireTrait", "breaking")
    }


def test_pagination_removed_changed_added() -> None:
    unpaged = model(paginators={"pagination": {}})
    assert diff_rows(model(), unpaged) == {
        ("ListThings", "operation", "", "RemovedPagination", "breaking")
    }
    assert diff_rows(unpaged, model()) == {
        ("ListThings", "operation", "", "AddedPagination", "non-breaking")
    }
    other = copy.deepcopy(PAGINATORS)
    other["pagination"]["ListThings"]["limit_key"] = "Limit"
    assert diff_rows(model(), model(paginators=other)) == {
        ("ListThings", "operation", "", "ChangedPagination", "dangerous")
    }


# -- documentation ---------------------------------------------------------------------------


def test_documentation_only_changes_are_kept_apart() -> None:
    def edit(r: dict[str, Any]) -> None:
        r["shapes"]["PutThingRequest"]["members"]["Note"].update(
            documentation="<p>A short note.</p>"
        )
        r["operations"]["GetThing"].update(documentation="<p>Gets one thing.</p>")

    new = edited(edit)
    changes = compare_models(model(), new)
    assert rows(changes) == {
        ("PutThing", "request", "Note", "ChangedDocumentation", "docs"),
        ("GetThing", "operation", "", "ChangedDocumentation", "docs"),
    }
    service = ServiceDiff("demo", "Demo Service", "updated", changes, model(), new)
    assert {op.name: op.status for op in group_operations(service)} == {
        "PutThing": "docs",
        "GetThing": "docs",
    }
    report = DiffReport(
        SideInfo("a", "a", "file", None), SideInfo("b", "b", "file", None), [service]
    )
    assert report.exit_code("breaking") == 0 and report.exit_code("any") == 1


# -- structure of the walk -------------------------------------------------------------------


def test_recursive_shapes_terminate_and_report_once_per_path() -> None:
    new = edited(lambda r: r["shapes"]["Node"]["members"].update(Label={"shape": "String"}))
    assert diff_rows(model(), new) == thing_rows("Parent.Label", "AddedMember", "non-breaking")


def test_maps_collapse_to_their_values() -> None:
    new = edited(lambda r: r["shapes"]["Attribute"]["members"].update(Unit={"shape": "String"}))
    assert diff_rows(model(), new) == thing_rows("Attributes.Unit", "AddedMember", "non-breaking")


def test_a_shape_reached_from_several_operations_is_reported_under_each() -> None:
    new = edited(lambda r: r["shapes"]["Tag"]["members"].pop("Value"))
    got = diff_rows(model(), new)
    assert got == {
        ("PutThing", "request", "Tags.Value", "RemovedMember", "breaking")
    } | thing_rows("Tags.Value", "RemovedMember", "breaking")
    fingerprints = [c.fingerprint for c in compare_models(model(), new)]
    assert len(set(fingerprints)) == len(fingerprints) == 4


# -- services --------------------------------------------------------------------------------


def test_services_added_removed_and_metadata() -> None:
    assert rows(compare_models(None, model())) == {
        (None, "service", "", "AddedService", "non-breaking")
    }
    assert rows(compare_models(model(), None)) == {
        (None, "service", "", "RemovedService", "breaking")
    }
    new = edited(lambda r: r["metadata"].update(protocol="rest-json"))
    assert diff_rows(model(), new) == {
        (None, "service", "", "ChangedServiceMetadata", "dangerous")
    }
    renamed = edited(lambda r: r["metadata"].update(serviceFullName="Demo"))
    assert diff_rows(model(), renamed) == {
        (None, "service", "", "ChangedServiceName", "non-breaking")
    }


# -- the table -------------------------------------------------------------------------------


B, D, N, DOC = "breaking", "dangerous", "non-breaking", "docs"
# The table as designed (request, response), written out by hand: a change to either column of
# any rule must be made here too. Requests break on anything that rejects what clients send;
# responses are dangerous where clients may see what they did not expect.
SEVERITY_TABLE: dict[str, tuple[str, str]] = {
    "AddedService": (N, N),
    "RemovedService": (B, B),
    "ChangedServiceMetadata": (D, D),
    "ChangedServiceName": (N, N),
    "AddedOperation": (N, N),
    "RemovedOperation": (B, B),
    "ChangedHttpBinding": (B, B),
    "AddedError": (D, D),
    "RemovedError": (D, D),
    "AddedPagination": (N, N),
    "RemovedPagination": (B, B),
    "ChangedPagination": (D, D),
    "AddedMember": (N, N),
    "AddedRequiredMember": (B, N),
    "RemovedMember": (B, B),
    "ChangedShapeType": (B, B),
    "ChangedMemberTarget": (N, N),
    "MadeRequired": (B, N),
    "MadeOptional": (N, D),
    "AddedEnumValue": (N, D),
    "InsertedEnumValue": (D, D),
    "RemovedEnumValue": (B, D),
    "RenamedEnumValue": (B, B),
    "AddedEnum": (D, N),
    "RemovedEnum": (N, D),
    "AddedAllowedValue": (N, D),
    "RemovedAllowedValue": (B, D),
    "TightenedAllowedValues": (B, N),
    "RelaxedAllowedValues": (N, D),
    "TightenedLength": (B, N),
    "RelaxedLength": (N, D),
    "TightenedRange": (B, N),
    "RelaxedRange": (N, D),
    "AddedPattern": (B, N),
    "RemovedPattern": (N, D),
    "ChangedPattern": (B, D),
    "AddedDefault": (D, N),
    "RemovedDefault": (B, D),
    "ChangedDefault": (B, D),
    "AddedRule": (B, N),
    "RemovedRule": (N, D),
    "ChangedRule": (D, D),
    "AddedFilterName": (N, N),
    "RemovedFilterName": (B, B),
    "ChangedWireName": (B, B),
    "AddedIdempotencyToken": (N, N),
    "RemovedIdempotencyToken": (D, N),
    "ChangedWireTrait": (B, B),
    "ChangedTrait": (D, D),
    "ChangedAnnotationTrait": (N, N),
    "AddedDeprecation": (N, N),
    "RemovedDeprecation": (N, N),
    "ChangedDocumentation": (DOC, DOC),
}


def test_every_rule_has_severities_and_the_markdown_lists_them() -> None:
    table = rules_markdown()
    for r in RULES:
        assert r.request in ("breaking", "dangerous", "non-breaking", "docs")
        assert r.response in ("breaking", "dangerous", "non-breaking", "docs")
        assert f"`{r.id}`" in table
    assert len(RULES_BY_ID) == len(RULES)


def test_both_columns_of_the_rule_table() -> None:
    assert {r.id: (r.request, r.response) for r in RULES} == SEVERITY_TABLE
    for r in RULES:
        assert r.severity("request") == SEVERITY_TABLE[r.id][0]
        for direction in ("response", "error", "service", "operation"):
            assert r.severity(direction) == SEVERITY_TABLE[r.id][1], (r.id, direction)
    # the markdown (the table of docs/api-diffs.md) shows both columns as designed
    rows = {
        line.split(" | ")[0].strip("| `"): line.split(" | ")
        for line in rules_markdown().splitlines()
    }
    for rule_id, (request, response) in SEVERITY_TABLE.items():
        cells = rows[rule_id]
        assert cells[2].split(" (")[0] == request and cells[3].split(" (")[0] == response, cells


def test_fingerprints_are_stable() -> None:
    change = Change(
        "ec2",
        "CreateFlowLogs",
        "request",
        "MaxAggregationInterval",
        "AddedMember",
        "non-breaking",
        "member added (integer)",
        None,
        "integer",
    )
    import hashlib

    key = "ec2|CreateFlowLogs|request|MaxAggregationInterval|AddedMember"
    assert change.fingerprint == hashlib.sha256(key.encode()).hexdigest()[:12]
    assert json.loads(json.dumps(change.to_json()))["fingerprint"] == change.fingerprint


@pytest.mark.parametrize("rule_id", ["AddedMember", "RemovedEnumValue", "MadeOptional"])
def test_direction_aware_severity(rule_id: str) -> None:
    r = RULES_BY_ID[rule_id]
    assert r.severity("error") == r.response


def test_operation_gaining_an_input_reports_its_members() -> None:
    old = edited(lambda r: r["operations"]["GetThing"].pop("input"))
    assert diff_rows(old, model()) == {
        ("GetThing", "request", "Id", "AddedRequiredMember", "breaking")
    }
    assert diff_rows(model(), old) == {("GetThing", "request", "Id", "RemovedMember", "breaking")}


# -- documented constraints in full: rule, severity, message, old, new, subject ----------------

Full = tuple[str | None, str, str, str, str, str, Any, Any, str]


def full_rows(old: ServiceModel, new: ServiceModel) -> list[Full]:
    return [
        (c.operation, c.direction, c.path, c.rule, c.severity, c.message, c.old, c.new, c.subject)
        for c in compare_models(old, new)
    ]


def note(documented: Constraints) -> ServiceModel:
    return replace_member(model(), "PutThingRequest", "Note", documented=documented)


AB = Constraints(allowed_values=("a", "b"))
DOCUMENTED_CASES: list[tuple[Constraints, Constraints, list[Full]]] = [
    (
        Constraints(),
        AB,
        [
            (
                "PutThing",
                "request",
                "Note",
                "TightenedAllowedValues",
                "breaking",
                "allowed values now restricted to ['a', 'b']",
                None,
                ["a", "b"],
                "allowed",
            ),
        ],
    ),
    (
        AB,
        Constraints(),
        [
            (
                "PutThing",
                "request",
                "Note",
                "RelaxedAllowedValues",
                "non-breaking",
                "allowed values no longer restricted",
                ["a", "b"],
                None,
                "allowed",
            ),
        ],
    ),
    (
        AB,
        Constraints(allowed_values=("b", "c")),
        [
            (
                "PutThing",
                "request",
                "Note",
                "RemovedAllowedValue",
                "breaking",
                "allowed value 'a' removed",
                "a",
                None,
                "allowed a",
            ),
            (
                "PutThing",
                "request",
                "Note",
                "AddedAllowedValue",
                "non-breaking",
                "allowed value 'c' added",
                None,
                "c",
                "allowed c",
            ),
        ],
    ),
    (
        Constraints(),
        Constraints(pattern="^x"),
        [
            (
                "PutThing",
                "request",
                "Note",
                "AddedPattern",
                "breaking",
                "pattern (documented) none -> '^x'",
                None,
                "^x",
                "pattern (documented)",
            ),
        ],
    ),
    (
        Constraints(pattern="^x"),
        Constraints(),
        [
            (
                "PutThing",
                "request",
                "Note",
                "RemovedPattern",
                "non-breaking",
                "pattern (documented) '^x' -> none",
                "^x",
                None,
                "pattern (documented)",
            ),
        ],
    ),
    (
        Constraints(pattern="^x"),
        Constraints(pattern="^y"),
        [
            (
                "PutThing",
                "request",
                "Note",
                "ChangedPattern",
                "breaking",
                "pattern (documented) '^x' -> '^y'",
                "^x",
                "^y",
                "pattern (documented)",
            ),
        ],
    ),
    (
        Constraints(),
        Constraints(format="flow-log-format"),
        [
            (
                "PutThing",
                "request",
                "Note",
                "AddedPattern",
                "breaking",
                "format (documented) none -> 'flow-log-format'",
                None,
                "flow-log-format",
                "format (documented)",
            ),
        ],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), DOCUMENTED_CASES)
def test_documented_changes_in_full(
    old: Constraints, new: Constraints, expected: list[Full]
) -> None:
    assert sorted(full_rows(note(old), note(new)), key=str) == sorted(expected, key=str)


def test_shape_pattern_change_in_full() -> None:
    new = replace_shape(model(), "Name", pattern="^[a-z0-9]+$")
    message = "pattern '^[a-z]+$' -> '^[a-z0-9]+$'"
    assert sorted(full_rows(model(), new), key=str) == sorted(
        [
            (
                "PutThing",
                "request",
                "Name",
                "ChangedPattern",
                "breaking",
                message,
                "^[a-z]+$",
                "^[a-z0-9]+$",
                "pattern",
            ),
            (
                "PutThing",
                "response",
                "Thing.Name",
                "ChangedPattern",
                "dangerous",
                message,
                "^[a-z]+$",
                "^[a-z0-9]+$",
                "pattern",
            ),
            (
                "GetThing",
                "response",
                "Thing.Name",
                "ChangedPattern",
                "dangerous",
                message,
                "^[a-z]+$",
                "^[a-z0-9]+$",
                "pattern",
            ),
            (
                "ListThings",
                "response",
                "Things.Name",
                "ChangedPattern",
                "dangerous",
                message,
                "^[a-z]+$",
                "^[a-z0-9]+$",
                "pattern",
            ),
        ],
        key=str,
    )
    removed = replace_shape(model(), "Name", pattern=None)
    assert {(r[3], r[4], r[6], r[7]) for r in full_rows(model(), removed)} == {
        ("RemovedPattern", "non-breaking", "^[a-z]+$", None),
        ("RemovedPattern", "dangerous", "^[a-z]+$", None),
    }
    added = replace_shape(model(), "Size", pattern="^1")
    assert {(r[3], r[4], r[6], r[7]) for r in full_rows(model(), added)} == {
        ("AddedPattern", "breaking", None, "^1"),
    }


def test_every_rule_says_what_it_is() -> None:
    """Descriptions, kinds, scopes and smithy-diff names, as the table is written."""
    for r in RULES:
        assert r.description and r.description[0].isupper() and r.description.endswith("."), r
        assert r.kind and r.kind.islower(), r
        assert r.smithy, r
        assert r.scope in ("service", "operation", "member"), r
        if r.scope != "member":
            assert r.request == r.response, r
    assert RULES_BY_ID["AddedService"].scope == "service"
    assert RULES_BY_ID["AddedOperation"].scope == "operation"
    assert RULES_BY_ID["AddedMember"].scope == "member"
    assert RULES_BY_ID["AddedService"].kind == "service"
    assert RULES_BY_ID["ChangedShapeType"].kind == "type"
    assert RULES_BY_ID["AddedError"].kind == "error"
    assert RULES_BY_ID["AddedMember"].smithy == "AddedShape (member)"
    assert RULES_BY_ID["AddedService"].smithy == "AddedShape (service)"
    assert RULES_BY_ID["AddedService"].description == "A service was added."
    assert RULES_BY_ID["AddedMember"].description == "An optional member was added."
    table = rules_markdown()
    for r in RULES:
        assert f"| {r.kind} |" in table and r.description in table and r.smithy in table, r


def test_a_response_code_change_is_an_http_binding_change() -> None:
    new = edited(lambda r: r["operations"]["PutThing"]["http"].update(responseCode=201))
    assert full_rows(model(), new) == [
        (
            "PutThing",
            "operation",
            "",
            "ChangedHttpBinding",
            "breaking",
            "trait http.responseCode none -> 201",
            None,
            201,
            "http.responseCode",
        ),
    ]


def test_a_string_becoming_an_enum_in_full() -> None:
    old = replace_shape(model(), "Kind", enum=())
    message, values = "now an enum (small | large)", ["small", "large"]
    assert sorted(full_rows(old, model()), key=str) == sorted(
        [
            (
                "PutThing",
                "request",
                "Kind",
                "AddedEnum",
                "dangerous",
                message,
                None,
                values,
                "enum",
            ),
            (
                "PutThing",
                "response",
                "Thing.Kind",
                "AddedEnum",
                "non-breaking",
                message,
                None,
                values,
                "enum",
            ),
            (
                "GetThing",
                "response",
                "Thing.Kind",
                "AddedEnum",
                "non-breaking",
                message,
                None,
                values,
                "enum",
            ),
            (
                "ListThings",
                "response",
                "Things.Kind",
                "AddedEnum",
                "non-breaking",
                message,
                None,
                values,
                "enum",
            ),
        ],
        key=str,
    )


# -- enum values and limits in full (message, old, new, subject), written out by hand ---------


def _request_changes(old: ServiceModel, new: ServiceModel, path: str) -> list[tuple[Any, ...]]:
    return sorted(
        (
            (c.rule, c.severity, c.message, c.old, c.new, c.subject)
            for c in compare_models(old, new)
            if c.operation == "PutThing" and c.direction == "request" and c.path == path
        ),
        key=repr,
    )


def test_enum_changes_in_full() -> None:
    assert _request_changes(model(), _kind(["small"]), "Kind") == [
        (
            "RemovedEnumValue",
            "breaking",
            "enum value 'large' removed",
            "large",
            None,
            "enum large",
        ),
    ]
    assert _request_changes(model(), _kind(["small", "big"]), "Kind") == [
        (
            "RenamedEnumValue",
            "breaking",
            "enum value 'large' renamed to 'big'",
            "large",
            "big",
            "enum large",
        ),
    ]
    assert _request_changes(model(), _kind(["small", "large", "huge"]), "Kind") == [
        ("AddedEnumValue", "non-breaking", "enum value 'huge' added", None, "huge", "enum huge"),
    ]
    assert _request_changes(model(), _kind(["small", "medium", "large"]), "Kind") == [
        (
            "InsertedEnumValue",
            "dangerous",
            "enum value 'medium' inserted",
            None,
            "medium",
            "enum medium",
        ),
    ]
    named = edited(lambda r: r["shapes"]["Name"].update(enum=["a", "b"]))
    assert _request_changes(named, model(), "Name") == [
        ("RemovedEnum", "non-breaking", "no longer an enum", ["a", "b"], None, "enum"),
    ]
    assert _request_changes(model(), named, "Name") == [
        ("AddedEnum", "dangerous", "now an enum (a | b)", None, ["a", "b"], "enum"),
    ]


def test_limit_changes_in_full() -> None:
    # Size: min 1, max 100
    looser = edited(lambda r: r["shapes"]["Size"].update(min=0, max=200))
    assert _request_changes(model(), looser, "Size") == [
        ("RelaxedRange", "non-breaking", "maximum 100 -> 200", 100, 200, "max"),
        ("RelaxedRange", "non-breaking", "minimum 1 -> 0", 1, 0, "min"),
    ]
    tighter = edited(lambda r: r["shapes"]["Size"].update(min=5, max=50))
    assert _request_changes(model(), tighter, "Size") == [
        ("TightenedRange", "breaking", "maximum 100 -> 50", 100, 50, "max"),
        ("TightenedRange", "breaking", "minimum 1 -> 5", 1, 5, "min"),
    ]
    unbounded = edited(lambda r: [r["shapes"]["Size"].pop(k) for k in ("min", "max")])
    assert _request_changes(model(), unbounded, "Size") == [
        ("RelaxedRange", "non-breaking", "maximum 100 -> none", 100, None, "max"),
        ("RelaxedRange", "non-breaking", "minimum 1 -> none", 1, None, "min"),
    ]
    assert _request_changes(unbounded, model(), "Size") == [
        ("TightenedRange", "breaking", "maximum none -> 100", None, 100, "max"),
        ("TightenedRange", "breaking", "minimum none -> 1", None, 1, "min"),
    ]
