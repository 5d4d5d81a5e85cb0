"""Hand-written behaviour, per service: operation name -> function(context, params) -> result.

A behaviour receives validated Python params (botocore-style) and returns a result dict in
botocore's output shape, or raises :class:`codegen.server.errors.ApiError`. Operations without
one answer the protocol layer's ``example_response``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from codegen.model import ServiceModel
from codegen.server.context import Context

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]


def behaviours_for(model: ServiceModel) -> Mapping[str, Behaviour]:
    """The behaviours this runtime has for the operations of ``model``."""
    if model.name == "ec2":
        from codegen.server.behaviours.ec2_flow_logs import FlowLogs, documented

        if not documented(model):  # a plain import: example responses for every operation
            return {}

        flow_logs = FlowLogs(model)
        found = {
            "CreateFlowLogs": flow_logs.create,
            "DescribeFlowLogs": flow_logs.describe,
            "DeleteFlowLogs": flow_logs.delete,
        }
        return {name: fn for name, fn in found.items() if name in model.operations}
    return {}
