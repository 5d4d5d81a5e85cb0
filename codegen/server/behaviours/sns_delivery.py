"""SNS's delivery of a published message to the SQS queues subscribed to its topic.

What no model states: a message published to a topic with an ``sqs`` subscription arrives in
the subscribed queue (``arn:aws:sqs:REGION:ACCOUNT:NAME``), when the server serves SQS too, as
SNS delivers it:

* in SNS's JSON envelope (``Type`` ``Notification``, ``MessageId``, ``TopicArn``,
  ``Subject``, ``Message``, ``Timestamp``, ``SignatureVersion``, ``Signature``,
  ``SigningCertURL``, ``UnsubscribeURL``, and ``MessageAttributes`` as ``{"Type", "Value"}``),
  or, with the subscription's ``RawMessageDelivery`` ``true``, as the message itself with its
  attributes as the SQS message's;
* with ``MessageStructure`` ``json``, the ``sqs`` key of the message, else its ``default``;
* only where the subscription's ``FilterPolicy`` accepts it (``FilterPolicyScope``
  ``MessageAttributes``, the default, or ``MessageBody``): each key of the policy must match
  (an attribute or a member of the body, nested objects key by key), by one of its values:
  a string or number (equal), ``{"prefix": ...}``, ``{"suffix": ...}``,
  ``{"anything-but": value or [values]}``, ``{"exists": true/false}``,
  ``{"numeric": ["<", 5, ">=", 1, ...]}``, ``{"equals-ignore-case": ...}``; ``$or`` lists of
  policies. A policy that is not JSON, or uses another operator, delivers nothing;
* to a FIFO queue with the message's group and deduplication ids.

A queue that is not there (or an SQS that is not served) gets nothing, as SNS's delivery would
fail and retry; the publish still succeeds. Deliveries to other protocols (``lambda``,
``http``, ``email``, ...) are not made.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from codegen.server.context import Caller, Context
from codegen.server.errors import ApiError

__all__ = ["deliver", "policy_accepts"]


def deliver(
    ctx: Context,
    topic_arn: str,
    message_id: str,
    params: Mapping[str, Any],
    subscriptions: Iterable[tuple[str, str, Mapping[str, str]]],
) -> None:
    """Sends the message ``params`` publish to each ``(arn, endpoint, attributes)`` of the
    topic's ``sqs`` subscriptions whose filter policy accepts it."""
    from codegen.server.behaviours.sqs import Sqs

    message = _message_for_sqs(params)
    attributes = dict(params.get("MessageAttributes") or {})
    for subscription_arn, endpoint, settings in subscriptions:
        if not _accepted(settings, attributes, message):
            continue
        parts = endpoint.split(":")
        if len(parts) != 6 or parts[2] != "sqs":
            continue
        region, account, queue = parts[3], parts[4], parts[5]
        queue_ctx = dataclasses.replace(ctx, caller=Caller(account, region))
        raw = settings.get("RawMessageDelivery", "false").lower() == "true"
        entry: dict[str, Any] = {
            "QueueUrl": Sqs.url(queue_ctx, queue),
            "MessageBody": message
            if raw
            else _envelope(topic_arn, message_id, subscription_arn, params, message, attributes),
        }
        if raw and attributes:
            entry["MessageAttributes"] = attributes
        if queue.endswith(".fifo"):
            entry["MessageGroupId"] = params.get("MessageGroupId") or "default"
            entry["MessageDeduplicationId"] = params.get("MessageDeduplicationId") or message_id
        try:
            Sqs().send_message(queue_ctx, entry)
        except ApiError:
            continue  # no such queue, or one that refuses it: SNS's delivery fails, not the publish


def _message_for_sqs(params: Mapping[str, Any]) -> str:
    message = str(params["Message"])
    if params.get("MessageStructure") != "json":
        return message
    try:
        structure = json.loads(message)
    except (ValueError, RecursionError):
        return message  # (Publish refuses it first)
    if isinstance(structure, dict):
        chosen = structure.get("sqs", structure.get("default", message))
        return chosen if isinstance(chosen, str) else json.dumps(chosen)
    return message


def _envelope(
    topic_arn: str,
    message_id: str,
    subscription_arn: str,
    params: Mapping[str, Any],
    message: str,
    attributes: Mapping[str, Mapping[str, Any]],
) -> str:
    region = topic_arn.split(":")[3] if topic_arn.count(":") >= 5 else "us-east-1"
    now = datetime.now(timezone.utc)
    envelope: dict[str, Any] = {
        "Type": "Notification",
        "MessageId": message_id,
        "TopicArn": topic_arn,
    }
    if params.get("Subject") is not None:
        envelope["Subject"] = params["Subject"]
    envelope.update(
        {
            "Message": message,
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "SignatureVersion": "1",
            "Signature": base64.b64encode(hashlib.sha256(message_id.encode()).digest()).decode(),
            "SigningCertURL": f"https://sns.{region}.amazonaws.com/SimpleNotificationService.pem",
            "UnsubscribeURL": f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe"
            f"&SubscriptionArn={subscription_arn}",
        }
    )
    if attributes:
        envelope["MessageAttributes"] = {
            name: {
                "Type": value.get("DataType", "String"),
                "Value": base64.b64encode(bytes(value["BinaryValue"])).decode()
                if value.get("BinaryValue") is not None
                else value.get("StringValue", ""),
            }
            for name, value in attributes.items()
        }
    return json.dumps(envelope)


def _accepted(
    settings: Mapping[str, str], attributes: Mapping[str, Mapping[str, Any]], message: str
) -> bool:
    """Whether the subscription's filter policy accepts the message; a policy or body nested
    too deeply to read (JSON of thousands of levels) accepts nothing, never an error."""
    try:
        return _accepts(settings, attributes, message)
    except RecursionError:
        return False


def _accepts(
    settings: Mapping[str, str], attributes: Mapping[str, Mapping[str, Any]], message: str
) -> bool:
    policy_text = settings.get("FilterPolicy")
    if not policy_text:
        return True
    try:
        policy = json.loads(policy_text)
    except ValueError:
        return False
    if settings.get("FilterPolicyScope") == "MessageBody":
        try:
            body = json.loads(message)
        except ValueError:
            return False
        return isinstance(body, dict) and policy_accepts(policy, body)
    values: dict[str, Any] = {}
    for name, value in attributes.items():
        kind = str(value.get("DataType", "String"))
        text = value.get("StringValue")
        if text is None:
            continue  # a binary attribute: no filter matches it
        if kind.startswith("Number"):
            try:
                values[name] = float(text)
            except ValueError:
                values[name] = text
        elif kind.startswith("String.Array"):
            try:
                values[name] = json.loads(text)
            except ValueError:
                values[name] = text
        else:
            values[name] = text
    return policy_accepts(policy, values)


def policy_accepts(policy: Any, values: Mapping[str, Any]) -> bool:
    """Whether an SNS filter ``policy`` accepts ``values`` (attributes, or a body's members)."""
    if not isinstance(policy, dict):
        return False
    for key, rule in policy.items():
        if key == "$or":
            if not isinstance(rule, list) or not any(policy_accepts(p, values) for p in rule):
                return False
            continue
        present = key in values
        value = values.get(key)
        if isinstance(rule, dict):  # a nested object of the body
            if not isinstance(value, dict) or not policy_accepts(rule, value):
                return False
            continue
        if not isinstance(rule, list) or not _any_matches(rule, present, value):
            return False
    return True


def _any_matches(rules: list[Any], present: bool, value: Any) -> bool:
    candidates = value if isinstance(value, list) else [value]
    for rule in rules:
        if isinstance(rule, dict) and "exists" in rule:
            if bool(rule["exists"]) == present:
                return True
            continue
        if not present:
            continue
        if any(_matches(rule, v) for v in candidates):
            return True
    return False


def _matches(rule: Any, value: Any) -> bool:
    if isinstance(rule, bool) or rule is None:
        return bool(value is rule)
    if isinstance(rule, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value == rule
    if isinstance(rule, str):
        return isinstance(value, str) and value == rule
    if not isinstance(rule, dict) or len(rule) != 1:
        return False
    ((operator, operand),) = rule.items()
    if operator == "prefix":
        return isinstance(value, str) and isinstance(operand, str) and value.startswith(operand)
    if operator == "suffix":
        return isinstance(value, str) and isinstance(operand, str) and value.endswith(operand)
    if operator == "equals-ignore-case":
        return (
            isinstance(value, str)
            and isinstance(operand, str)
            and (value.lower() == operand.lower())
        )
    if operator == "anything-but":
        excluded = operand if isinstance(operand, list) else [operand]
        if isinstance(operand, dict):  # {"anything-but": {"prefix": "x"}}
            return not _matches(operand, value)
        return not any(_matches(e, value) for e in excluded)
    if operator == "numeric":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return False
        if not isinstance(operand, list) or len(operand) % 2:
            return False
        checks = {
            "=": lambda a, b: a == b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        for op, bound in zip(operand[::2], operand[1::2], strict=True):
            check = checks.get(op)
            if check is None or not isinstance(bound, (int, float)) or not check(value, bound):
                return False
        return True
    return False
