"""Behaviour, per service: operation name -> function(context, params) -> result.

A behaviour receives validated Python params (botocore-style) and returns a result dict in
botocore's output shape, or raises :class:`codegen.server.errors.ApiError`. Two kinds, the
first taking precedence: hand-written ones (:func:`behaviours_for`: the flow logs, S3 buckets
and objects, SQS queues and messages, DynamoDB tables and items, Secrets Manager secrets and their values,
Lambda functions, IAM users and roles, SNS topics, Kinesis streams, STS's caller and credentials, CloudWatch Logs' groups, streams and events: what no model states) and the derived engine's (:func:`derived_behaviours`: every operation of every
resource :mod:`codegen.resources` derives from the model, :mod:`codegen.server.engine`).
Operations without either answer the protocol layer's ``example_response``.
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
    hand_written: dict[str, Callable[[], Mapping[str, Behaviour]]] = {
        "s3": lambda: _s3(model),
        "sqs": _sqs,
        "dynamodb": _dynamodb,
        "secretsmanager": _secretsmanager,
        "lambda": lambda: _lambda(model),
        "iam": lambda: _iam(model),
        "sns": lambda: _sns(model),
        "kinesis": _kinesis,
        "sts": _sts,
        "logs": lambda: _logs(model),
    }
    make = hand_written.get(model.name)
    if make is None:
        return {}
    return {name: fn for name, fn in make().items() if name in model.operations}


def _s3(model: ServiceModel) -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import s3

    return s3.behaviours(model)


def _logs(model: ServiceModel) -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import logs

    return logs.behaviours(model)


def _sts() -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import sts

    return sts.behaviours()


def _sqs() -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import sqs

    return sqs.behaviours()


class DerivedFallback:
    """A hand-written service whose operations also cover resources it leaves to the derived
    engine (tags of Lambda's other ARNs, of SNS's other resources): :meth:`_others` is the
    derived engine's behaviour of an operation, built on first use."""

    def __init__(self, model: ServiceModel) -> None:
        self.model = model
        self._derived: Mapping[str, Behaviour] | None = None

    def _others(self, operation: str) -> Behaviour:
        if self._derived is None:
            self._derived = derived_behaviours(self.model)
        return self._derived[operation]


def derived_behaviours(model: ServiceModel) -> Mapping[str, Behaviour]:
    """The derived engine's behaviours for the operations of ``model``'s resources."""
    from codegen.resources import resources_for
    from codegen.server.engine import Engine

    return Engine(model, resources_for(model)).behaviours()


def _dynamodb() -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import dynamodb

    return dynamodb.behaviours()


def _secretsmanager() -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import secretsmanager

    return secretsmanager.behaviours()


def _lambda(model: ServiceModel) -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import lambda_functions

    return lambda_functions.behaviours(model)


def _iam(model: ServiceModel) -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import iam

    return iam.behaviours(model)


def _sns(model: ServiceModel) -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import sns

    return sns.behaviours(model)


def _kinesis() -> Mapping[str, Behaviour]:
    from codegen.server.behaviours import kinesis

    return kinesis.behaviours()
