"""Hand-written behaviour, per service: operation name -> function(context, params) -> result.

A behaviour receives validated Python params (botocore-style) and returns a result dict in
botocore's output shape, or raises :class:`codegen.server.errors.ApiError`. Operations without
one answer the protocol layer's ``example_response``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from codegen.model import ServiceModel
from codegen.server.context import Context

Behaviour = Callable[[Context, dict[str, Any]], Any]  # a result dict or a RawResponse


def behaviours_for(
    model: ServiceModel, protocol: ModuleType | None = None
) -> Mapping[str, Behaviour]:
    """The behaviours this runtime has for the operations of ``model`` (``protocol``: the
    generated protocol layer, for behaviours that pre-render what they store)."""
    if model.name == "ec2":
        from codegen.server.behaviours.ec2_flow_logs import FlowLogs

        flow_logs = FlowLogs(model, protocol)
        found = {
            "CreateFlowLogs": flow_logs.create,
            "DescribeFlowLogs": flow_logs.describe,
            "DeleteFlowLogs": flow_logs.delete,
        }
        return {name: fn for name, fn in found.items() if name in model.operations}
    return {}
