"""The ``ec2`` protocol: the query protocol with EC2's names, envelopes, codes and DryRun.

What differs from :class:`~codegen.protocols.query.QueryProtocol` (as botocore's
``EC2Serializer`` and ``EC2QueryParser`` differ from their query parents):

* Request keys: a member is sent under its ``queryName``, else its ``locationName`` with the
  first letter upper-cased, else its name; a list's items are always numbered right after the
  list's key (``ResourceId.1``, ``Filter.1.Value.2``: no ``member`` part, whatever the list's
  own names); an empty list is not sent at all.
* The response has no result wrapper and carries the request id as its first element::

      <DescribeFlowLogsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
        <requestId>...</requestId><flowLogSet><item>...</item></flowLogSet>
      </DescribeFlowLogsResponse>

* Errors::

      <Response><Errors><Error><Code>InvalidFlowLogId.NotFound</Code><Message>...</Message>
      </Error></Errors><RequestID>...</RequestID></Response>

* A request that does not validate gets EC2's codes: the first issue's (``MissingParameter``,
  ``UnknownParameter``, ``InvalidParameterCombination``, ``InvalidFilter``, else
  ``InvalidParameterValue``) with every issue's message, naming request keys
  (``Filter.1.Value.1``) rather than botocore's paths.
* ``DryRun=true`` on a request that validates answers ``DryRunOperation`` (412) before any
  behaviour runs: the request would have succeeded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from . import register
from .base import Issue, Request
from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse
from .query import QueryProtocol
from .tables import Ref, Shape
from .xml import escape

__all__ = ["ISSUE_ERRORS", "Ec2Protocol"]

# validator issue code -> EC2 error code
ISSUE_ERRORS: Final[Mapping[str, str]] = {
    "missing_required": "MissingParameter",
    "unknown_parameter": "UnknownParameter",
    "forbidden_combination": "InvalidParameterCombination",
    "invalid_filter": "InvalidFilter",
}

_PATH_PART: Final = re.compile(r"([^.\[]+)|\[([0-9]+)\]|\.")


@register("ec2")
class Ec2Protocol(QueryProtocol):
    name = "ec2"
    content_type = "text/xml;charset=UTF-8"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.tables.xml_namespace:
            self.namespace = (
                f"http://{self.tables.endpoint_prefix or self.tables.name}.amazonaws.com"
                f"/doc/{self.tables.api_version}/"
            )

    # -- wire names ------------------------------------------------------------------------

    def member_key(self, ref: Ref) -> str:
        if ref.query_name:
            return ref.query_name
        target = self.tables.shapes[ref.shape]
        name = ref.location_name or target.location_name
        if name:
            return name[0].upper() + name[1:]
        return ref.name

    def list_item_part(self, ref_flattened: bool, shape: Shape) -> str | None:
        return None  # Name.N, always

    def map_part(self, ref: Ref, default: str) -> str:
        if ref.query_name:
            return ref.query_name
        if ref.location_name:
            return ref.location_name[0].upper() + ref.location_name[1:]
        return default

    # -- requests --------------------------------------------------------------------------

    def parse_request(self, request: HttpRequest) -> Request:
        parsed = super().parse_request(request)
        if parsed.params.get("DryRun") is True:
            raise ProtocolError(
                "DryRunOperation",
                "Request would have succeeded, but DryRun flag is set.",
                412,
                operation=parsed.operation,
            )
        return parsed

    def validation_error(
        self, operation: str, issues: Sequence[Issue], params: Mapping[str, Any]
    ) -> ProtocolError:
        """The validator's issues as one EC2 error: the first issue's code, every message."""
        shape_name = self.tables.operations[operation].input
        code = ISSUE_ERRORS.get(issues[0].code, "InvalidParameterValue")
        messages = []
        for issue in issues:
            wire = self.wire_path(shape_name, issue.path)
            message = issue.message
            if issue.code == "missing_required" and issue.rule is None and wire:
                message = f"The request must contain the parameter {wire}."
            elif wire and wire != issue.path:
                message = f"{message} (parameter {wire})"
            messages.append(message)
        return ProtocolError(code, "; ".join(messages), operation=operation)

    def wire_path(self, shape_name: str, path: str) -> str:
        """A validator's path (``Filter[0].Values[2]``) as a request key (``Filter.1.Value.3``);
        empty when the path does not follow the model."""
        keys: list[str] = []
        shape: Shape | None = self.tables.shapes.get(shape_name)
        for match in _PATH_PART.finditer(path):
            name, index = match.groups()
            if shape is None:
                return ""
            if name is not None:
                ref = self.names(shape_name).get(name) if shape.type == "structure" else None
                if ref is None:
                    return ""
                keys.append(self.member_key(ref))
                shape_name, shape = ref.shape, self.tables.shapes.get(ref.shape)
            elif index is not None:
                if shape.type != "list" or shape.member is None:
                    return ""
                keys.append(str(int(index) + 1))
                shape_name, shape = shape.member.shape, self.tables.shapes.get(shape.member.shape)
        return ".".join(keys)

    # -- responses -------------------------------------------------------------------------

    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        if operation not in self.tables.operations:
            raise KeyError(f"unknown operation {operation!r}")
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<{operation}Response xmlns="{self.namespace}">'
            f"<requestId>{escape(request_id)}</requestId>"
            f"{self.members_xml(operation, result)}</{operation}Response>"
        )
        return self.response(200, body)

    def serialize_error(
        self, error: ServiceError, operation: str | None, request_id: str
    ) -> HttpResponse:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Response><Errors><Error><Code>{escape(error.code)}</Code>"
            f"<Message>{escape(error.message)}</Message>{self.error_fields_xml(error)}"
            f"</Error></Errors><RequestID>{escape(request_id)}</RequestID></Response>"
        )
        return self.response(error.status, body)
