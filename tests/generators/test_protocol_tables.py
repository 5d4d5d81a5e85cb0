"""The protocol tables state every wire fact botocore's own model states, for whole services.

The expected values come from botocore's ``ServiceModel`` (its ``serialization`` dicts, error
metadata and operation bindings), not from the code under test; and the generated source reads
back as the same tables.
"""

from __future__ import annotations

from typing import Any

import botocore.model
import botocore.session
import pytest

from codegen.bridge.importer import import_model
from codegen.generators.protocol_tables import service_tables, tables_source
from codegen.protocols.tables import Operation, Ref, ServiceTables, Shape

# one service of every protocol, and the quirks: S3's payloads and hosts, EC2's query names,
# cloudwatch's several protocols, sqs's query compatibility
SERVICES = ["ec2", "s3", "sqs", "dynamodb", "cloudwatch", "lambda", "route53", "s3control", "sts"]

_LOADER = botocore.session.get_session().get_component("data_loader")


def _botocore(service: str) -> tuple[dict[str, Any], botocore.model.ServiceModel]:
    raw = _LOADER.load_service_model(service, "service-2")
    return raw, botocore.model.ServiceModel(raw, service_name=service)


@pytest.fixture(scope="module", params=SERVICES)
def pair(request: pytest.FixtureRequest) -> tuple[ServiceTables, botocore.model.ServiceModel]:
    raw, bmodel = _botocore(request.param)
    return service_tables(import_model(raw, name=request.param)), bmodel


def _check_ref(tables: ServiceTables, ref: Ref, member: botocore.model.Shape, where: str) -> None:
    """``ref`` with its target shape says what botocore's merged ``serialization`` says (a
    member's reference overrides its shape's own traits)."""
    s = member.serialization
    target = tables.shapes[ref.shape]
    assert ref.shape == member.name, where
    assert ref.location == s.get("location", ""), where
    assert (ref.location_name or target.location_name) == s.get("name", ""), where
    assert ref.query_name == s.get("queryName", ""), where
    assert (ref.flattened or target.flattened) == bool(s.get("flattened")), where
    assert ref.xml_attribute == bool(s.get("xmlAttribute")), where
    namespace = ref.xml_namespace or target.xml_namespace
    expected = s.get("xmlNamespace")
    assert (namespace[1] if namespace else None) == (
        expected.get("uri") if isinstance(expected, dict) else None
    ), where
    assert (ref.timestamp_format or target.timestamp_format) == (s.get("timestampFormat") or ""), (
        where
    )
    assert ref.json_value == bool(s.get("jsonvalue")), where
    assert ref.host_label == bool(s.get("hostLabel")), where
    assert ref.event_payload == bool(s.get("eventpayload")), where
    assert ref.event_header == bool(s.get("eventheader")), where
    assert ref.idempotency_token == bool(member.metadata.get("idempotencyToken")), where


def test_every_member_carries_botocore_wire_facts(
    pair: tuple[ServiceTables, botocore.model.ServiceModel],
) -> None:
    tables, bmodel = pair
    for name in bmodel.shape_names:
        if name not in tables.shapes:
            continue  # reached by no operation
        shape, bshape = tables.shapes[name], bmodel.shape_for(name)
        assert shape.type == bshape.type_name, name
        if isinstance(bshape, botocore.model.StructureShape):
            assert [r.name for r in shape.members] == list(bshape.members), name
            for ref in shape.members:
                _check_ref(tables, ref, bshape.members[ref.name], f"{name}.{ref.name}")
            assert shape.payload == (bshape.serialization.get("payload") or ""), name
            assert shape.required == tuple(bshape.required_members), name
            assert shape.exception == bool(bshape.metadata.get("exception")), name
            error = bshape.metadata.get("error", {})
            assert shape.error_code == error.get("code", ""), name
            assert shape.error_status == error.get("httpStatusCode", 0), name
            assert shape.event_stream == bool(bshape.serialization.get("eventstream")), name
        elif isinstance(bshape, botocore.model.ListShape):
            assert shape.member is not None
            _check_ref(tables, shape.member, bshape.member, f"{name}.member")
            assert shape.flattened == bool(bshape.serialization.get("flattened")), name
        elif isinstance(bshape, botocore.model.MapShape):
            assert shape.key is not None and shape.value is not None
            _check_ref(tables, shape.key, bshape.key, f"{name}.key")
            _check_ref(tables, shape.value, bshape.value, f"{name}.value")
        else:
            assert shape.timestamp_format == (bshape.serialization.get("timestampFormat") or ""), (
                name
            )
            assert shape.streaming == bool(bshape.serialization.get("streaming")), name
            assert shape.enum == tuple(getattr(bshape, "enum", ())), name


def test_operations_carry_their_http_bindings(
    pair: tuple[ServiceTables, botocore.model.ServiceModel],
) -> None:
    tables, bmodel = pair
    assert sorted(tables.operations) == sorted(bmodel.operation_names)
    for name in bmodel.operation_names:
        op, bop = tables.operations[name], bmodel.operation_model(name)
        assert op.method == bop.http["method"], name
        assert op.request_uri == bop.http["requestUri"], name
        assert op.response_code == bop.http.get("responseCode", 200), name
        assert op.input == (bop.input_shape.name if bop.input_shape else ""), name
        assert op.output == (bop.output_shape.name if bop.output_shape else ""), name
        assert op.errors == tuple(e.name for e in bop.error_shapes), name
        # the model's "endpoint" object, a dict (botocore-stubs call it a str)
        endpoint: dict[str, Any] | None = bop.endpoint  # type: ignore[assignment]
        assert op.host_prefix == endpoint.get("hostPrefix", "") if endpoint else True
        wrapper = bop.output_shape.serialization.get("resultWrapper") if bop.output_shape else None
        assert op.result_wrapper == (wrapper or ""), name


def test_service_metadata(pair: tuple[ServiceTables, botocore.model.ServiceModel]) -> None:
    tables, bmodel = pair
    meta = bmodel.metadata
    assert tables.protocol == meta["protocol"]
    assert tables.protocols == tuple(meta.get("protocols", [meta["protocol"]]))
    assert tables.target_prefix == meta.get("targetPrefix", "")
    assert tables.json_version == meta.get("jsonVersion", "")
    assert tables.signing_name == bmodel.signing_name
    assert tables.aws_query_compatible == ("awsQueryCompatible" in meta)


def test_source_reads_back_as_the_same_tables(
    pair: tuple[ServiceTables, botocore.model.ServiceModel],
) -> None:
    tables, _ = pair
    namespace: dict[str, Any] = {
        "ServiceTables": ServiceTables,
        "Shape": Shape,
        "Ref": Ref,
        "Operation": Operation,
        "EXAMPLES": {},
    }
    assert eval(tables_source(tables), namespace) == tables
