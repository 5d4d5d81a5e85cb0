"""SNS topics and subscriptions as SNS answers them, on Python values.

The derived engine keeps a topic as a record under a generated identifier, but an SNS topic is
known by its name: ``CreateTopic`` of a name that exists answers that topic's ARN
(``arn:aws:sns:REGION:ACCOUNT:NAME``) again, and its attributes are a map no model fills. So
topics and their subscriptions are written here by hand; SNS's other resources (platform
applications, SMS sandbox numbers) stay the derived engine's, and so do the tags of their ARNs.

State (``codegen/server/state.py``): ``sns_topics`` per account, region and name (the
attributes set, and tags, as JSON) and ``sns_subscriptions`` (by ARN, and by topic in order of
subscription).

* **Topics**: ``CreateTopic`` is idempotent by name; with other attributes or tags than the
  topic's it is SNS's ``InvalidParameter`` (``Topic already exists with different
  attributes``/``tags``). FIFO topics: the name ends in ``.fifo`` and ``FifoTopic`` is
  ``true``, both or neither. ``GetTopicAttributes`` answers ``TopicArn``, ``Owner``,
  ``DisplayName``, ``Policy`` (SNS's default policy), ``EffectiveDeliveryPolicy``, the
  subscription counts and what ``SetTopicAttributes`` set (its names checked).
  ``ListTopics`` in order of the name, 100 a page with ``NextToken``. ``DeleteTopic`` removes
  the topic and its subscriptions, and succeeds for a topic that is not there, as SNS does.
* **Subscriptions**: ``Subscribe`` (``NotFound`` for a missing topic) is idempotent by protocol
  and endpoint; ``sqs``, ``lambda``, ``firehose`` and ``application`` endpoints are confirmed
  at once, the others answer ``pending confirmation`` unless ``ReturnSubscriptionArn``.
  ``ListSubscriptionsByTopic``, ``ListSubscriptions``, ``GetSubscriptionAttributes``,
  ``SetSubscriptionAttributes``, ``Unsubscribe``.
* ``Publish`` and ``PublishBatch`` to a topic check it (``NotFound``; FIFO topics need
  ``MessageGroupId``; a ``json`` ``MessageStructure`` needs a ``default``), answer a
  ``MessageId``, and deliver the message to the topic's ``sqs`` subscriptions
  (:mod:`.sns_delivery`: SNS's envelope or raw, filter policies); other protocols get nothing.
* ``TagResource``, ``UntagResource``, ``ListTagsForResource`` of a topic's ARN
  (``ResourceNotFound`` for a missing one); another ARN is the derived engine's.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Final

from codegen.model import ServiceModel
from codegen.server.behaviours import DerivedFallback
from codegen.server.behaviours.paging import decode_token, encode_token
from codegen.server.behaviours.sns_delivery import deliver
from codegen.server.context import Context
from codegen.server.errors import ApiError

__all__ = ["Sns", "behaviours"]

Behaviour = Callable[[Context, dict[str, Any]], dict[str, Any]]

PAGE: Final = 100
_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")
_FIFO_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,251}\.fifo")
TOPIC_ATTRIBUTES: Final = frozenset(
    {
        "DeliveryPolicy",
        "DisplayName",
        "Policy",
        "TracingConfig",
        "KmsMasterKeyId",
        "SignatureVersion",
        "ContentBasedDeduplication",
        "FifoTopic",
        "ArchivePolicy",
        "FifoThroughputScope",
        "DataProtectionPolicy",
    }
    | {
        f"{protocol}{what}"
        for protocol in ("Application", "Firehose", "HTTP", "Lambda", "SQS")
        for what in (
            "SuccessFeedbackRoleArn",
            "SuccessFeedbackSampleRate",
            "FailureFeedbackRoleArn",
        )
    }
)
SUBSCRIPTION_ATTRIBUTES: Final = frozenset(
    {
        "DeliveryPolicy",
        "FilterPolicy",
        "FilterPolicyScope",
        "RawMessageDelivery",
        "RedrivePolicy",
        "SubscriptionRoleArn",
        "ReplayPolicy",
    }
)
CONFIRMED_AT_ONCE: Final = frozenset({"sqs", "lambda", "firehose", "application"})
PROTOCOLS: Final = CONFIRMED_AT_ONCE | {"http", "https", "email", "email-json", "sms"}


def _invalid(message: str) -> ApiError:
    return ApiError("InvalidParameter", f"Invalid parameter: {message}", 400)


def _not_found(what: str = "Topic") -> ApiError:
    return ApiError("NotFound", f"{what} does not exist", 404)


def _read_token(token: str | None) -> str:
    if token is None:
        return ""
    key = decode_token(token)
    if key is None:
        raise _invalid("NextToken")
    return key


def _topic_name(ctx: Context, arn: str) -> str:
    parts = arn.split(":")
    if len(parts) != 6 or parts[:3] != ["arn", "aws", "sns"]:
        raise _invalid("TopicArn")
    if parts[3] != ctx.region or parts[4] != ctx.account:
        raise _not_found()
    return parts[5]


def _default_policy(ctx: Context, arn: str) -> str:
    return json.dumps(
        {
            "Version": "2008-10-17",
            "Id": "__default_policy_ID",
            "Statement": [
                {
                    "Sid": "__default_statement_ID",
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": [
                        "SNS:GetTopicAttributes",
                        "SNS:SetTopicAttributes",
                        "SNS:AddPermission",
                        "SNS:RemovePermission",
                        "SNS:DeleteTopic",
                        "SNS:Subscribe",
                        "SNS:ListSubscriptionsByTopic",
                        "SNS:Publish",
                    ],
                    "Resource": arn,
                    "Condition": {"StringEquals": {"AWS:SourceOwner": ctx.account}},
                }
            ],
        },
        separators=(",", ":"),
    )


_DELIVERY: Final = json.dumps(
    {
        "http": {
            "defaultHealthyRetryPolicy": {
                "minDelayTarget": 20,
                "maxDelayTarget": 20,
                "numRetries": 3,
                "numMaxDelayRetries": 0,
                "numNoDelayRetries": 0,
                "numMinDelayRetries": 0,
                "backoffFunction": "linear",
            },
            "disableSubscriptionOverrides": False,
            "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
        }
    },
    separators=(",", ":"),
)


class Sns(DerivedFallback):
    """The behaviours of SNS's topic and subscription operations."""

    @staticmethod
    def arn(ctx: Context, name: str) -> str:
        return f"arn:aws:sns:{ctx.region}:{ctx.account}:{name}"

    def _topic(
        self, ctx: Context, db: sqlite3.Connection, arn: str
    ) -> tuple[str, dict[str, str], dict[str, str]]:
        name = _topic_name(ctx, arn)
        row = db.execute(
            "SELECT attributes, tags FROM sns_topics WHERE account = ? AND region = ? AND name = ?",
            (ctx.account, ctx.region, name),
        ).fetchone()
        if row is None:
            raise _not_found()
        return name, json.loads(row[0]), json.loads(row[1])

    # -- topics ------------------------------------------------------------------------------

    def create_topic(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        name = params["Name"]
        attributes = dict(params.get("Attributes") or {})
        for key in attributes:
            if key not in TOPIC_ATTRIBUTES:
                raise _invalid(f"Attributes Reason: Unknown attribute {key[:100]}")
        fifo = attributes.get("FifoTopic", "false").lower() == "true"
        if fifo:
            attributes["FifoTopic"] = "true"
        else:
            attributes.pop("FifoTopic", None)
        if not (_FIFO_NAME if fifo else _NAME).fullmatch(name):
            raise _invalid(
                "Topic Name"
                if not fifo
                else "Fifo Topic names must end with .fifo and must be made up of only "
                "uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and "
                "must be between 1 and 256 characters long."
            )
        if params.get("DataProtectionPolicy") is not None:
            attributes["DataProtectionPolicy"] = params["DataProtectionPolicy"]
        tags = {t["Key"]: t["Value"] for t in params.get("Tags") or []}
        arn = self.arn(ctx, name)
        with ctx.state.transaction() as db:
            row = db.execute(
                "SELECT attributes, tags FROM sns_topics WHERE account = ? AND region = ? "
                "AND name = ?",
                (ctx.account, ctx.region, name),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO sns_topics (account, region, name, attributes, tags) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (ctx.account, ctx.region, name, json.dumps(attributes), json.dumps(tags)),
                )
                return {"TopicArn": arn}
            existing, existing_tags = json.loads(row[0]), json.loads(row[1])
            if any(existing.get(k) != v for k, v in attributes.items()):
                raise _invalid("Attributes Reason: Topic already exists with different attributes")
            if tags and tags != existing_tags:
                raise _invalid("Tags Reason: Topic already exists with different tags")
        return {"TopicArn": arn}

    def list_topics(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        after = _read_token(params.get("NextToken"))
        rows = ctx.state.query(
            "SELECT name FROM sns_topics WHERE account = ? AND region = ? AND name > ? "
            "ORDER BY name LIMIT ?",
            (ctx.account, ctx.region, after, PAGE + 1),
        )
        out: dict[str, Any] = {"Topics": [{"TopicArn": self.arn(ctx, r[0])} for r in rows[:PAGE]]}
        if len(rows) > PAGE:
            out["NextToken"] = encode_token(rows[PAGE - 1][0])
        return out

    def get_topic_attributes(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["TopicArn"]
        with ctx.state.transaction() as db:
            name, attributes, _ = self._topic(ctx, db, arn)
            confirmed = db.execute(
                "SELECT COUNT(*) FROM sns_subscriptions WHERE account = ? AND region = ? "
                "AND topic = ?",
                (ctx.account, ctx.region, name),
            ).fetchone()[0]
        out = {
            "TopicArn": arn,
            "Owner": ctx.account,
            "DisplayName": "",
            "Policy": _default_policy(ctx, arn),
            "EffectiveDeliveryPolicy": _DELIVERY,
            "SubscriptionsConfirmed": str(confirmed),
            "SubscriptionsPending": "0",
            "SubscriptionsDeleted": "0",
        }
        out.update(attributes)
        return {"Attributes": out}

    def set_topic_attributes(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        key = params["AttributeName"]
        if key not in TOPIC_ATTRIBUTES or key == "FifoTopic":
            raise _invalid("AttributeName")
        with ctx.state.transaction() as db:
            name, attributes, _ = self._topic(ctx, db, params["TopicArn"])
            attributes[key] = params.get("AttributeValue") or ""
            db.execute(
                "UPDATE sns_topics SET attributes = ? WHERE account = ? AND region = ? AND name = ?",
                (json.dumps(attributes), ctx.account, ctx.region, name),
            )
        return {}

    def delete_topic(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        try:
            name = _topic_name(ctx, params["TopicArn"])
        except ApiError as error:
            if error.code == "NotFound":
                return {}
            raise
        with ctx.state.transaction() as db:
            for table in ("sns_topics", "sns_subscriptions"):
                column = "name" if table == "sns_topics" else "topic"
                db.execute(
                    f"DELETE FROM {table} WHERE account = ? AND region = ? AND {column} = ?",
                    (ctx.account, ctx.region, name),
                )
        return {}

    def publish(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("TopicArn") is None:
            raise _invalid("TopicArn or TargetArn Reason: no value for required parameter")
        with ctx.state.transaction() as db:
            name, attributes, _ = self._topic(ctx, db, params["TopicArn"])
        self._check_message(params, attributes)
        message_id = str(uuid.uuid4())
        rows = ctx.state.query(
            "SELECT arn, endpoint, attributes FROM sns_subscriptions WHERE account = ? AND "
            "region = ? AND topic = ? AND protocol = 'sqs' ORDER BY seq",
            (ctx.account, ctx.region, name),
        )
        deliver(
            ctx,
            self.arn(ctx, name),
            message_id,
            params,
            [(arn, endpoint, json.loads(settings)) for arn, endpoint, settings in rows],
        )
        out: dict[str, Any] = {"MessageId": message_id}
        if attributes.get("FifoTopic") == "true":
            out["SequenceNumber"] = f"{int(uuid.uuid4().int % 10**20):020d}"
        return out

    @staticmethod
    def _check_message(params: Mapping[str, Any], attributes: Mapping[str, str]) -> None:
        if attributes.get("FifoTopic") == "true" and not params.get("MessageGroupId"):
            raise _invalid("The MessageGroupId parameter is required for FIFO topics")
        if params.get("MessageStructure") == "json":
            try:
                structure = json.loads(str(params["Message"]))
            except (ValueError, RecursionError):
                structure = None
            if not isinstance(structure, dict) or "default" not in structure:
                raise _invalid(
                    "Message Structure - No default entry in JSON message body"
                    if isinstance(structure, dict)
                    else "Message Structure - JSON message body failed to parse"
                )

    def publish_batch(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        """Each entry published as :meth:`publish` does; one that fails is in ``Failed``."""
        entries = list(params["PublishBatchRequestEntries"])
        ids = [entry["Id"] for entry in entries]
        if len(set(ids)) != len(ids):
            raise ApiError(
                "BatchEntryIdsNotDistinct",
                "Two or more batch entries in the request have the same Id.",
                400,
            )
        with ctx.state.transaction() as db:
            self._topic(ctx, db, params["TopicArn"])
        successful, failed = [], []
        for entry in entries:
            try:
                answer = self.publish(ctx, {"TopicArn": params["TopicArn"], **entry})
            except ApiError as error:
                failed.append(
                    {
                        "Id": entry["Id"],
                        "Code": error.code,
                        "Message": error.message,
                        "SenderFault": True,
                    }
                )
                continue
            successful.append({"Id": entry["Id"], **answer})
        return {"Successful": successful, "Failed": failed}

    # -- subscriptions -----------------------------------------------------------------------

    def subscribe(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        protocol = params["Protocol"]
        if protocol not in PROTOCOLS:
            raise _invalid("Amazon SNS does not support this protocol string: " + protocol[:64])
        endpoint = params.get("Endpoint") or ""
        attributes = dict(params.get("Attributes") or {})
        for key in attributes:
            if key not in SUBSCRIPTION_ATTRIBUTES:
                raise _invalid(f"Attributes Reason: Unknown attribute {key[:100]}")
        with ctx.state.transaction() as db:
            name, _, _ = self._topic(ctx, db, params["TopicArn"])
            row = db.execute(
                "SELECT arn FROM sns_subscriptions WHERE account = ? AND region = ? AND topic = ? "
                "AND protocol = ? AND endpoint = ?",
                (ctx.account, ctx.region, name, protocol, endpoint),
            ).fetchone()
            if row is not None:
                arn = str(row[0])
            else:
                arn = f"{self.arn(ctx, name)}:{uuid.uuid4()}"
                db.execute(
                    "INSERT INTO sns_subscriptions (account, region, topic, arn, protocol, "
                    "endpoint, attributes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        ctx.account,
                        ctx.region,
                        name,
                        arn,
                        protocol,
                        endpoint,
                        json.dumps(attributes),
                    ),
                )
        if protocol not in CONFIRMED_AT_ONCE and not params.get("ReturnSubscriptionArn"):
            return {"SubscriptionArn": "pending confirmation"}
        return {"SubscriptionArn": arn}

    def _subscriptions(
        self, ctx: Context, params: Mapping[str, Any], topic: str | None
    ) -> dict[str, Any]:
        after = _read_token(params.get("NextToken"))
        start = int(after) if re.fullmatch(r"[0-9]{1,18}", after) else 0
        if after and not start:
            raise _invalid("NextToken")
        where = "" if topic is None else " AND topic = ?"
        args: tuple[Any, ...] = (ctx.account, ctx.region, start)
        if topic is not None:
            args += (topic,)
        rows = ctx.state.query(
            "SELECT seq, topic, arn, protocol, endpoint FROM sns_subscriptions "
            f"WHERE account = ? AND region = ? AND seq > ?{where} ORDER BY seq LIMIT ?",
            (*args, PAGE + 1),
        )
        out: dict[str, Any] = {
            "Subscriptions": [
                {
                    "SubscriptionArn": arn,
                    "Owner": ctx.account,
                    "Protocol": protocol,
                    "Endpoint": endpoint,
                    "TopicArn": self.arn(ctx, name),
                }
                for _, name, arn, protocol, endpoint in rows[:PAGE]
            ]
        }
        if len(rows) > PAGE:
            out["NextToken"] = encode_token(str(rows[PAGE - 1][0]))
        return out

    def list_subscriptions_by_topic(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            name, _, _ = self._topic(ctx, db, params["TopicArn"])
        return self._subscriptions(ctx, params, name)

    def list_subscriptions(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._subscriptions(ctx, params, None)

    def _subscription(
        self, ctx: Context, db: sqlite3.Connection, arn: str
    ) -> tuple[str, str, str, dict[str, str]]:
        row = db.execute(
            "SELECT topic, protocol, endpoint, attributes FROM sns_subscriptions "
            "WHERE account = ? AND region = ? AND arn = ?",
            (ctx.account, ctx.region, arn),
        ).fetchone()
        if row is None:
            raise _not_found("Subscription")
        return row[0], row[1], row[2], json.loads(row[3])

    def get_subscription_attributes(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        arn = params["SubscriptionArn"]
        with ctx.state.transaction() as db:
            topic, protocol, endpoint, attributes = self._subscription(ctx, db, arn)
        out = {
            "SubscriptionArn": arn,
            "TopicArn": self.arn(ctx, topic),
            "Owner": ctx.account,
            "Protocol": protocol,
            "Endpoint": endpoint,
            "ConfirmationWasAuthenticated": "true",
            "PendingConfirmation": "false",
            "RawMessageDelivery": "false",
            "SubscriptionPrincipal": f"arn:aws:iam::{ctx.account}:root",
        }
        out.update(attributes)
        return {"Attributes": out}

    def set_subscription_attributes(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        key = params["AttributeName"]
        if key not in SUBSCRIPTION_ATTRIBUTES:
            raise _invalid("AttributeName")
        with ctx.state.transaction() as db:
            _, _, _, attributes = self._subscription(ctx, db, params["SubscriptionArn"])
            attributes[key] = params.get("AttributeValue") or ""
            db.execute(
                "UPDATE sns_subscriptions SET attributes = ? WHERE account = ? AND region = ? "
                "AND arn = ?",
                (json.dumps(attributes), ctx.account, ctx.region, params["SubscriptionArn"]),
            )
        return {}

    def unsubscribe(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        with ctx.state.transaction() as db:
            gone = db.execute(
                "DELETE FROM sns_subscriptions WHERE account = ? AND region = ? AND arn = ?",
                (ctx.account, ctx.region, params["SubscriptionArn"]),
            ).rowcount
        if not gone:
            raise _not_found("Subscription")
        return {}

    # -- tags --------------------------------------------------------------------------------

    def _is_topic(self, arn: str) -> bool:
        parts = arn.split(":")
        return len(parts) == 6 and parts[:3] == ["arn", "aws", "sns"]

    def _tagged(
        self, ctx: Context, db: sqlite3.Connection, arn: str
    ) -> tuple[str, dict[str, str]]:
        try:
            name, _, tags = self._topic(ctx, db, arn)
        except ApiError as error:
            if error.code == "NotFound":
                raise ApiError("ResourceNotFound", "Resource does not exist", 404) from None
            raise
        return name, tags

    def _retag(self, ctx: Context, params: dict[str, Any], operation: str) -> dict[str, Any]:
        if not self._is_topic(params["ResourceArn"]):
            return self._others(operation)(ctx, params)
        with ctx.state.transaction() as db:
            name, tags = self._tagged(ctx, db, params["ResourceArn"])
            if operation == "TagResource":
                tags.update({t["Key"]: t["Value"] for t in params["Tags"]})
                if len(tags) > 50:
                    raise ApiError(
                        "TagLimitExceeded",
                        "Could not complete request: tag quota of per resource exceeded",
                        400,
                    )
            else:
                for key in params["TagKeys"]:
                    tags.pop(key, None)
            db.execute(
                "UPDATE sns_topics SET tags = ? WHERE account = ? AND region = ? AND name = ?",
                (json.dumps(tags), ctx.account, ctx.region, name),
            )
        return {}

    def tag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._retag(ctx, params, "TagResource")

    def untag_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        return self._retag(ctx, params, "UntagResource")

    def list_tags_for_resource(self, ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
        if not self._is_topic(params["ResourceArn"]):
            return self._others("ListTagsForResource")(ctx, params)
        with ctx.state.transaction() as db:
            _, tags = self._tagged(ctx, db, params["ResourceArn"])
        return {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}


def behaviours(model: ServiceModel) -> dict[str, Behaviour]:
    sns = Sns(model)
    return {
        "CreateTopic": sns.create_topic,
        "ListTopics": sns.list_topics,
        "GetTopicAttributes": sns.get_topic_attributes,
        "SetTopicAttributes": sns.set_topic_attributes,
        "DeleteTopic": sns.delete_topic,
        "Publish": sns.publish,
        "PublishBatch": sns.publish_batch,
        "Subscribe": sns.subscribe,
        "ListSubscriptionsByTopic": sns.list_subscriptions_by_topic,
        "ListSubscriptions": sns.list_subscriptions,
        "GetSubscriptionAttributes": sns.get_subscription_attributes,
        "SetSubscriptionAttributes": sns.set_subscription_attributes,
        "Unsubscribe": sns.unsubscribe,
        "TagResource": sns.tag_resource,
        "UntagResource": sns.untag_resource,
        "ListTagsForResource": sns.list_tags_for_resource,
    }
