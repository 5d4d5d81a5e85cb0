"""The ``query`` protocol (IAM, STS, SNS, ...): form-encoded requests, XML responses.

Requests::

    POST /  (Content-Type: application/x-www-form-urlencoded; or GET /?...)
    Action=CreateUser&Version=2010-05-08&UserName=bob&Tags.member.1.Key=team&Tags.member.1.Value=a

The keys of the query string and of the form body are read together, strictly decoded
(:func:`~codegen.protocols.http.decode_form`); a key given twice is refused. ``Action`` names
the operation and ``Version`` must be the service's API version. Every other key is a path into
the input shape, with the model's wire names (botocore's ``QuerySerializer``): a member under
its ``locationName``; a list as ``Name.member.N`` (its items' ``locationName`` instead of
``member``; a flattened list ``Name.N``, under its items' ``locationName`` when they have one;
``Name=`` alone for an empty list); a map as ``Name.entry.N.key`` / ``Name.entry.N.value``
(``Name.N.key`` flattened; key and value under their ``locationName``). Items are numbered
1, 2, 3, ... without gaps. The keys are arranged in a tree of plain dicts and read by the input
shape's reader, closures made once per shape (:meth:`QueryProtocol.reader`) that take only
the happy path; on anything else they give up, and the keys are arranged again in a tree of
:class:`Node` and walked along the input shape, which accepts them or names the fault (so
every message is the walk's). Values by type (integers, floats, ``true``/``false``,
timestamps in any of the three formats, base64 blobs). Signature keys (SigV4 and SigV2 in the query string) are
not parameters. Characters XML 1.0 cannot carry are refused (``InvalidCharacter``), so that
whatever is accepted can come back exactly.

Responses are XML, element names from the model (:mod:`~codegen.protocols.xml`)::

    <CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
      <CreateUserResult>...</CreateUserResult>            (the operation's resultWrapper)
      <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
    </CreateUserResponse>

Errors::

    <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>NoSuchEntity</Code>
    <Message>...</Message>(the modeled error's other members)</Error><RequestId>...</RequestId>
    </ErrorResponse>

Codes for what a client gets wrong, as AWS's query services answer them: ``MissingAction``,
``InvalidAction``, ``NoSuchVersion``, ``MalformedQueryString`` (not form-encoded, not UTF-8, a
malformed percent-escape), ``UnknownParameter``, ``InvalidParameter`` (a key given twice, gaps
in the numbering, a value for a list or structure), ``InvalidParameterValue`` (not of the
member's type), ``InvalidCharacter``; and for constraints, ``ValidationError`` with AWS's
sentence (:mod:`~codegen.protocols.validation`), or the operation's own modeled
``ValidationError``. :class:`~codegen.protocols.ec2.Ec2Protocol` changes the names, the
envelopes and the codes; the reading is this class's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from . import register
from .base import GiveUp, Issue, Protocol, Request, Validate, made_once
from .errors import ProtocolError, ServiceError
from .http import HttpRequest, HttpResponse, decode_form
from .tables import Ref, ServiceTables, Shape
from .validation import aws_message
from .values import SPECIAL_FLOATS, parse_blob, parse_timestamp
from .xml import (
    UNSAFE,
    XML_ILLEGAL,
    Again,
    Writer,
    XmlWriter,
    clean,
    escape,
)

__all__ = ["FORM", "Node", "QueryProtocol"]

FORM: Final = "application/x-www-form-urlencoded"

# Keys of the request that authenticate it (SigV4 and SigV2 query signing), not parameters.
AUTH_KEYS: Final = frozenset(
    {
        "AWSAccessKeyId",
        "Expires",
        "Signature",
        "SignatureMethod",
        "SignatureVersion",
        "Timestamp",
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
        "X-Amz-Signature",
        "X-Amz-SignedHeaders",
    }
)
MAX_DEPTH: Final = 32  # dots in one key; deeper keys name nothing a client can send
MAX_INDEX_DIGITS: Final = 6  # a list index of more digits is refused before it is read

_INTEGER: Final = re.compile(r"-?[0-9]{1,20}")
# unambiguous (digits, then an optional fraction): re's fullmatch stays linear on any text
_FLOAT: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?")


class Node:
    """One key prefix of a request: its value (if the key itself was sent) and its children."""

    __slots__ = ("children", "parent", "part", "value")

    def __init__(self, parent: Node | None, part: str) -> None:
        self.parent = parent
        self.part = part
        self.value: str | None = None
        self.children: dict[str, Node] = {}

    @property
    def key(self) -> str:
        """The key prefix this node stands for (``Filter.1.Value``), for messages."""
        parts: list[str] = []
        node: Node | None = self
        while node is not None and node.parent is not None:
            parts.append(node.part)
            node = node.parent
        return ".".join(reversed(parts))


def quote(text: str, limit: int = 80) -> str:
    """A client-sent string for a message: shortened, control characters shown escaped."""
    shown = text if len(text) <= limit else text[:limit] + "..."
    return repr(shown)[1:-1] if XML_ILLEGAL.search(shown) else shown


@register("query")
class QueryProtocol(Protocol):
    name = "query"
    content_type = "text/xml"

    def __init__(
        self,
        tables: ServiceTables,
        validate: Validate,
        *,
        writers: Mapping[str, Writer] | None = None,
    ) -> None:
        super().__init__(tables, validate)
        # operation -> a generated straight-line writer of its output's members
        self.writers: Mapping[str, Writer] = writers or {}
        self.xml = XmlWriter(tables)
        namespace = tables.xml_namespace or (
            f"https://{tables.endpoint_prefix or tables.name}.amazonaws.com"
            f"/doc/{tables.api_version}/"
        )
        self.namespace = namespace if namespace.endswith("/") else namespace + "/"
        self._keys: dict[str, dict[str, Ref]] = {}  # structure -> {first key part: member}
        self._names: dict[str, dict[str, Ref]] = {}  # structure -> {member name: member}
        self._readers: dict[tuple[str, bool, str], Callable[[Any], Any]] = {}

    # -- routing ---------------------------------------------------------------------------

    def recognizes(self, request: HttpRequest) -> bool:
        """A GET, or a POST of a form (or of no declared type), that is not one of the other
        RPC protocols' (no ``X-Amz-Target``, no ``/service/`` path)."""
        if request.method not in ("GET", "POST") or "x-amz-target" in request.headers:
            return False
        if request.path.startswith("/service/"):
            return False
        return request.method == "GET" or request.media_type in (FORM, "")

    def operation_for(self, request: HttpRequest) -> str | None:
        try:
            action = dict(self.fields(request)).get("Action")
        except ProtocolError:
            return None
        return action if action in self.tables.operations else None

    # -- requests --------------------------------------------------------------------------

    malformed_code = "InvalidParameter"
    methods = ("GET", "POST")  # a query string, or a form body
    method_not_allowed_code = "MethodNotAllowed"

    def parse_request(self, request: HttpRequest) -> Request:
        """Routing and reading share one pass over the keys (``Action`` is one of them)."""
        self.check_method(request)  # PUT, DELETE, ...: 405, changing nothing
        fields = self.fields(request)
        operation = self.route(fields)
        return self.checked(operation, lambda: self.read_fields(operation, fields))

    def fields(self, request: HttpRequest) -> dict[str, str]:
        """The request's keys and values: the query string's, then the form body's."""
        pairs = decode_form(request.query, error_code="MalformedQueryString")
        if request.body:
            media = request.media_type or FORM
            if media != FORM:
                raise ProtocolError(
                    "MalformedQueryString",
                    f"The request body must be form-encoded ({FORM}), not {quote(media)}.",
                )
            pairs.extend(decode_form(request.body, error_code="MalformedQueryString"))
        fields = dict(pairs)
        if len(fields) == len(pairs):
            return fields
        fields = {}
        for key, value in pairs:  # a key given twice: the first repeated is named
            if key in fields:
                raise ProtocolError(
                    "InvalidParameter", f"The parameter {quote(key)} is given more than once."
                )
            fields[key] = value
        return fields

    def route(self, fields: dict[str, str]) -> str:
        """The operation ``Action`` names, its ``Version`` checked; both are taken out."""
        action = fields.pop("Action", None)
        if not action:
            raise ProtocolError("MissingAction", "The request must contain the parameter Action.")
        version = fields.pop("Version", None)
        if action not in self.tables.operations:
            raise ProtocolError(
                "InvalidAction",
                f"The action {quote(action)} is not valid for this web service.",
            )
        if not version:
            raise ProtocolError(
                "MissingParameter",
                "The request must contain the parameter Version.",
                operation=action,
            )
        if version != self.tables.api_version:
            raise ProtocolError(
                "NoSuchVersion",
                f"The requested version ({quote(version)}) of service {self.tables.name} does"
                f" not exist; this endpoint serves {self.tables.api_version}.",
                operation=action,
            )
        return action

    def unknown_operation(self, request: HttpRequest) -> ProtocolError:
        try:
            self.route(self.fields(request))
        except ProtocolError as error:  # MissingAction, InvalidAction, or the fields' own
            return error
        return ProtocolError("InvalidAction", "The request names no action of this service.")

    def read_params(self, operation: str, request: HttpRequest) -> dict[str, Any]:
        fields = self.fields(request)
        fields.pop("Action", None)
        fields.pop("Version", None)
        return self.read_fields(operation, fields)

    def read_fields(self, operation: str, fields: Mapping[str, str]) -> dict[str, Any]:
        """The keys (``Action`` and ``Version`` taken out) as the operation's params: by the
        input shape's reader (:meth:`reader`) when it takes them, else by the walk of a tree
        of :class:`Node`, which accepts them or names the fault."""
        input_shape = self.tables.operations[operation].input
        # one scan of everything for characters XML cannot carry; each field only if one is found
        suspect = XML_ILLEGAL.search("".join(fields)) or XML_ILLEGAL.search(
            "".join(fields.values())
        )
        if input_shape and not suspect:
            try:
                return self.read_fast(input_shape, fields)
            except GiveUp:
                pass
        return self.walk_fields(operation, fields)

    def walk_fields(self, operation: str, fields: Mapping[str, str]) -> dict[str, Any]:
        """:meth:`read_fields` by the walk of a tree of :class:`Node`: the first fault named."""
        input_shape = self.tables.operations[operation].input
        top = self.keys(input_shape) if input_shape else {}
        root = Node(None, "")
        suspect = XML_ILLEGAL.search("".join(fields)) or XML_ILLEGAL.search(
            "".join(fields.values())
        )
        for key, value in fields.items():
            if key in AUTH_KEYS:
                continue
            if suspect and (XML_ILLEGAL.search(key) or XML_ILLEGAL.search(value)):
                _check_characters(key, key)
                _check_characters(key, value)
            parts = key.split(".")
            if len(parts) > MAX_DEPTH or "" in parts or parts[0] not in top:
                raise ProtocolError(
                    "UnknownParameter", f"The parameter {quote(key)} is not recognized."
                )
            node = root
            for part in parts:
                child = node.children.get(part)
                if child is None:
                    child = node.children[part] = Node(node, part)
                node = child
            node.value = value
        if not input_shape:
            return {}  # every key was refused above: the operation takes none
        return self.read_structure(input_shape, root)

    # -- readers: closures made once per shape ---------------------------------------------

    def read_fast(self, input_shape: str, fields: Mapping[str, str]) -> dict[str, Any]:
        """The keys arranged in a tree of plain dicts (a key part -> its subtree, or the value
        sent when the key ends there), read by the input shape's reader. A key that is also
        the prefix of another (a value given for a structure, say) is the walk's."""
        if not AUTH_KEYS.isdisjoint(fields):
            fields = {k: v for k, v in fields.items() if k not in AUTH_KEYS}
        root: Tree = {}
        nodes: dict[str, Tree] = {}  # a key's prefix -> its subtree
        for key, value in fields.items():
            head, dot, last = key.rpartition(".")
            node = root
            if dot:
                found_node = nodes.get(head)
                node = _subtree(nodes, root, head) if found_node is None else found_node
            if last in node:
                raise GiveUp
            node[last] = value
        found: dict[str, Any] = self.reader(input_shape, None)(root)
        return found

    def reader(self, shape_name: str, ref: Ref | None) -> Callable[[Any], Any]:
        """The function reading a subtree of keys (see :meth:`read_fast`) as a value of
        ``shape_name`` (as the member ``ref``: flattened or not, its timestamp format); made
        once per shape and kept. It takes the happy path only: keys numbered 1..n, every part
        known, a scalar sent as one value. On anything else it raises :class:`GiveUp`, and
        :meth:`read_fields` walks the keys again to accept them or say what is wrong; what it
        returns is what that walk returns."""
        key = (
            shape_name,
            bool(ref is not None and ref.flattened),
            ref.timestamp_format if ref is not None else "",
        )
        return made_once(self._readers, key, lambda: self._make_reader(shape_name, ref))

    def _make_reader(self, shape_name: str, ref: Ref | None) -> Callable[[Any], Any]:
        shape = self.tables.shapes[shape_name]
        flattened = bool(ref is not None and ref.flattened)
        if shape.type == "structure":
            return self._structure_reader(shape_name)
        if shape.type == "list":
            assert shape.member is not None
            return _list_reader(
                self.reader(shape.member.shape, shape.member),
                self.list_item_part(flattened, shape),
            )
        if shape.type == "map":
            assert shape.key is not None and shape.value is not None
            return _map_reader(
                self.reader(shape.key.shape, shape.key),
                self.reader(shape.value.shape, shape.value),
                None if flattened or shape.flattened else "entry",
                self.map_part(shape.key, "key"),
                self.map_part(shape.value, "value"),
            )
        if shape.type == "string":
            return _string
        scalar = self.scalar

        def read_scalar(tree: Any) -> Any:
            if type(tree) is not str:
                raise GiveUp
            try:
                return scalar(shape, ref, _NOWHERE, tree)
            except ProtocolError:
                raise GiveUp from None

        return read_scalar

    def _structure_reader(self, shape_name: str) -> Callable[[Any], Any]:
        order = tuple(self.names(shape_name))
        position = {name: index for index, name in enumerate(order)}
        members: dict[str, tuple[str, int, Callable[[Any], Any]]] = {
            part: (ref.name, position[ref.name], self.reader(ref.shape, ref))
            for part, ref in self.keys(shape_name).items()
        }

        def read_structure(tree: Any) -> dict[str, Any]:
            if type(tree) is not dict:
                raise GiveUp  # a value sent for the structure itself
            found: dict[str, Any] = {}
            last = -1
            ordered = True
            for part, subtree in tree.items():
                member = members.get(part)
                if member is None:
                    raise GiveUp
                name, index, read = member
                found[name] = read(subtree)
                if index < last:
                    ordered = False
                last = index
            if ordered:
                return found
            return {name: found[name] for name in order if name in found}

        return read_structure

    # -- wire names ------------------------------------------------------------------------

    def member_key(self, ref: Ref) -> str:
        """The first key part of a structure member (botocore's ``_get_serialized_name``, and
        a flattened list under its items' name)."""
        target = self.tables.shapes[ref.shape]
        if target.type == "list" and (ref.flattened or target.flattened):
            assert target.member is not None
            if target.member.location_name:
                return target.member.location_name
        return ref.location_name or target.location_name or ref.name

    def list_item_part(self, ref_flattened: bool, shape: Shape) -> str | None:
        """The key part between a list's key and its item numbers (``member``), or None."""
        assert shape.member is not None
        if ref_flattened or shape.flattened:
            return None
        return shape.member.location_name or "member"

    def map_part(self, ref: Ref, default: str) -> str:
        """The key part naming a map's key or value."""
        return ref.location_name or default

    def keys(self, shape_name: str) -> dict[str, Ref]:
        """A structure's members by their first key part."""
        found = self._keys.get(shape_name)
        if found is None:
            shape = self.tables.shapes[shape_name]
            found = {self.member_key(ref): ref for ref in shape.members}
            self._keys[shape_name] = found
        return found

    def names(self, shape_name: str) -> dict[str, Ref]:
        found = self._names.get(shape_name)
        if found is None:
            found = {ref.name: ref for ref in self.tables.shapes[shape_name].members}
            self._names[shape_name] = found
        return found

    # -- reading -----------------------------------------------------------------------------

    def read(self, shape_name: str, node: Node, ref: Ref | None = None) -> Any:
        shape = self.tables.shapes[shape_name]
        if shape.type == "structure":
            if node.value is not None and not node.children:
                raise ProtocolError(
                    "InvalidParameter",
                    f"The parameter {quote(node.key)} is a structure: send its members as"
                    f" {quote(node.key)}.<Member>.",
                )
            return self.read_structure(shape_name, node)
        flattened = bool(ref is not None and ref.flattened)
        if shape.type == "list":
            return self.read_list(shape, node, flattened)
        if shape.type == "map":
            return self.read_map(shape, node, flattened)
        if node.children:
            child = next(iter(node.children.values()))
            raise ProtocolError(
                "UnknownParameter", f"The parameter {quote(child.key)} is not recognized."
            )
        assert node.value is not None
        return self.scalar(shape, ref, node, node.value)

    def read_structure(self, shape_name: str, node: Node) -> dict[str, Any]:
        members = self.keys(shape_name)
        out: dict[str, Any] = {}
        for part, child in node.children.items():
            ref = members.get(part)
            if ref is None:
                raise ProtocolError(
                    "UnknownParameter", f"The parameter {quote(child.key)} is not recognized."
                )
            out[ref.name] = self.read(ref.shape, child, ref)
        # in the order of the model's members (as botocore's serializer would send them)
        return {name: out[name] for name in self.names(shape_name) if name in out}

    def indexed(self, node: Node) -> list[Node]:
        """The children of a list or map node, by their indices 1..n (no gaps, no zeros)."""
        by_index: dict[int, Node] = {}
        for part, child in node.children.items():
            if (
                not (part.isdigit() and part.isascii())
                or part[0] == "0"
                or len(part) > MAX_INDEX_DIGITS
            ):
                raise ProtocolError(
                    "UnknownParameter",
                    f"The parameter {quote(child.key)} is not recognized: {quote(node.key)}"
                    " takes items numbered from 1.",
                )
            by_index[int(part)] = child
        for expected, index in enumerate(sorted(by_index), 1):
            if index != expected:
                raise ProtocolError(
                    "InvalidParameter",
                    f"The parameter {quote(node.key)}.{index} is given without"
                    f" {quote(node.key)}.{expected}: items are numbered 1, 2, 3, ... without gaps.",
                )
        return [by_index[i] for i in sorted(by_index)]

    def read_list(self, shape: Shape, node: Node, flattened: bool) -> list[Any]:
        assert shape.member is not None
        if node.value is not None:
            if node.value == "" and not node.children:
                return []  # the query protocol's empty list
            raise ProtocolError(
                "InvalidParameter",
                f"The parameter {quote(node.key)} is a list: send its items numbered from 1.",
            )
        items = node
        part = self.list_item_part(flattened, shape)
        if part is not None:
            extra = [c for p, c in node.children.items() if p != part]
            if extra:
                raise ProtocolError(
                    "UnknownParameter",
                    f"The parameter {quote(extra[0].key)} is not recognized: the items of"
                    f" {quote(node.key)} are {quote(node.key)}.{part}.N.",
                )
            items = node.children.get(part) or Node(node, part)
            if items.value is not None:
                raise ProtocolError(
                    "InvalidParameter",
                    f"The parameter {quote(items.key)} is a list: send its items numbered from 1.",
                )
        return [
            self.read(shape.member.shape, child, shape.member) for child in self.indexed(items)
        ]

    def read_map(self, shape: Shape, node: Node, flattened: bool) -> dict[Any, Any]:
        assert shape.key is not None and shape.value is not None
        entries = node
        if not (flattened or shape.flattened):
            entries = node.children.get("entry") or Node(node, "entry")
            extra = [c for p, c in node.children.items() if p != "entry"]
            if extra:
                raise ProtocolError(
                    "UnknownParameter", f"The parameter {quote(extra[0].key)} is not recognized."
                )
        if node.value is not None or entries.value is not None:
            raise ProtocolError("InvalidParameter", f"The parameter {quote(node.key)} is a map.")
        key_part = self.map_part(shape.key, "key")
        value_part = self.map_part(shape.value, "value")
        out: dict[Any, Any] = {}
        for entry in self.indexed(entries):
            key_node = entry.children.get(key_part)
            value_node = entry.children.get(value_part)
            extra = [c for p, c in entry.children.items() if p not in (key_part, value_part)]
            if extra:
                raise ProtocolError(
                    "UnknownParameter", f"The parameter {quote(extra[0].key)} is not recognized."
                )
            if key_node is None or value_node is None:
                missing = key_part if key_node is None else value_part
                raise ProtocolError(
                    "MissingParameter",
                    f"The request must contain the parameter {quote(entry.key)}.{missing}.",
                )
            key = self.read(shape.key.shape, key_node, shape.key)
            if key in out:
                raise ProtocolError(
                    "InvalidParameter",
                    f"The key {quote(str(key))} of {quote(node.key)} is given twice.",
                )
            out[key] = self.read(shape.value.shape, value_node, shape.value)
        return out

    def scalar(self, shape: Shape, ref: Ref | None, node: Node, text: str) -> Any:
        """The value of a scalar; the node names the key only in an error (built when needed)."""
        kind = shape.type
        if kind == "string":
            return text
        if kind in ("integer", "long"):
            if _INTEGER.fullmatch(text):
                return int(text)
            raise _bad_value(node.key, text, "an integer")
        if kind in ("float", "double"):
            if text in SPECIAL_FLOATS:
                return SPECIAL_FLOATS[text]
            if _FLOAT.fullmatch(text):
                value = float(text)
                if not math.isinf(value):
                    return value
            raise _bad_value(node.key, text, "a number")
        if kind == "boolean":
            if text == "true":
                return True
            if text == "false":
                return False
            raise _bad_value(node.key, text, "true or false")
        if kind == "timestamp":
            fmt = (ref.timestamp_format if ref else "") or shape.timestamp_format
            parsed = parse_timestamp(text, fmt)
            if parsed is None:
                raise _bad_value(node.key, text, "a timestamp")
            return parsed
        if kind == "blob":
            data = parse_blob(text)
            if data is None:
                raise _bad_value(node.key, text, "base64-encoded data")
            return data
        raise _bad_value(node.key, text, kind)

    # -- validation ------------------------------------------------------------------------

    def validation_error(
        self, operation: str, issues: Sequence[Issue], params: Mapping[str, Any]
    ) -> ProtocolError:
        """``ValidationError`` (or the operation's modeled one) with AWS's sentence."""
        input_shape = self.tables.operations[operation].input
        message = aws_message(self.tables, input_shape, params, issues)
        return self.modeled_validation_error(operation, message, "ValidationError")

    # -- responses -------------------------------------------------------------------------

    def members_xml(self, operation: str, result: Mapping[str, Any]) -> str:
        """The output's members as XML: the generated writer when there is one (strings
        written raw, then checked all at once; written again escaping each one in the rare
        case that one needs it), else the generic walk."""
        output = self.tables.operations[operation].output
        if not output:
            return ""
        write = self.writers.get(operation)
        if write is None:
            out: list[str] = []
            self.xml.members(out, output, result)
            return "".join(out)
        parts: list[str] = []
        strings: list[str] = []
        try:
            write(parts.append, strings.append, result)
            escaping = not clean("".join(strings))
        except Again:
            escaping = True
        if escaping:
            parts = []
            write(parts.append, UNSAFE, result)
        return "".join(parts)

    def serialize_response(
        self, operation: str, result: Mapping[str, Any], request_id: str
    ) -> HttpResponse:
        op = self.tables.operations[operation]
        members = self.members_xml(operation, result)
        if op.result_wrapper:
            members = f"<{op.result_wrapper}>{members}</{op.result_wrapper}>"
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<{operation}Response xmlns="{self.namespace}">{members}'
            f"<ResponseMetadata><RequestId>{escape(request_id)}</RequestId></ResponseMetadata>"
            f"</{operation}Response>"
        )
        return self.response(200, body)

    def serialize_error(
        self, error: ServiceError, operation: str | None, request_id: str
    ) -> HttpResponse:
        kind = "Sender" if error.sender_fault else "Receiver"
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<ErrorResponse xmlns="{self.namespace}"><Error><Type>{kind}</Type>'
            f"<Code>{escape(error.code)}</Code><Message>{escape(error.message)}</Message>"
            f"{self.error_fields_xml(error)}</Error>"
            f"<RequestId>{escape(request_id)}</RequestId></ErrorResponse>"
        )
        return self.response(error.status, body)

    def error_fields_xml(self, error: ServiceError) -> str:
        """A modeled error's members other than its code and message."""
        shape_name = self.error_shape(error.code)
        if not error.fields or shape_name is None:
            return ""
        fields = {k: v for k, v in error.fields.items() if k not in ("Code", "Message", "message")}
        out: list[str] = []
        self.xml.members(out, shape_name, fields)
        return "".join(out)

    def response(self, status: int, body: str) -> HttpResponse:
        return HttpResponse(status, [("Content-Type", self.content_type)], body.encode("utf-8"))


# the keys of a request as read_fast arranges them: a key part -> its subtree, or the value
Tree = dict[str, Any]
_NOWHERE: Final = Node(None, "")  # the node a fast reader's scalar names in an error (unused)
_NUMBERS: Final = tuple(str(index) for index in range(1, 1001))  # "1", "2", ...: item parts


def _subtree(nodes: dict[str, Tree], root: Tree, prefix: str) -> Tree:
    """The subtree of ``prefix`` (a key's parts but the last), made and noted if new."""
    if prefix.count(".") >= MAX_DEPTH - 1:
        raise GiveUp  # a key of more than MAX_DEPTH parts
    head, dot, last = prefix.rpartition(".")
    parent = root
    if dot:
        found = nodes.get(head)
        parent = _subtree(nodes, root, head) if found is None else found
    node = parent.get(last)
    if node is None:
        node = parent[last] = {}
    elif type(node) is not dict:
        raise GiveUp  # the prefix is also a key of its own
    nodes[prefix] = node
    return node


def _numbered(tree: Any) -> list[Any]:
    """The subtrees of the parts 1..n of ``tree``, when those are all its parts."""
    if type(tree) is not dict:
        raise GiveUp
    count = len(tree)
    if count <= len(_NUMBERS):
        numbers: Sequence[str] = _NUMBERS[:count]
    elif count < 10**MAX_INDEX_DIGITS:
        numbers = [str(index) for index in range(1, count + 1)]
    else:
        raise GiveUp
    try:
        return [tree[number] for number in numbers]
    except KeyError:
        raise GiveUp from None


def _string(tree: Any) -> str:
    if type(tree) is str:
        return tree
    raise GiveUp


def _list_reader(read: Callable[[Any], Any], part: str | None) -> Callable[[Any], Any]:
    def read_list(tree: Any) -> list[Any]:
        if type(tree) is str:
            if tree == "":
                return []  # the query protocol's empty list
            raise GiveUp
        if part is not None:
            if len(tree) != 1:
                raise GiveUp
            tree = tree.get(part)
        return [read(item) for item in _numbered(tree)]

    return read_list


def _map_reader(
    read_key: Callable[[Any], Any],
    read_value: Callable[[Any], Any],
    part: str | None,
    key_part: str,
    value_part: str,
) -> Callable[[Any], Any]:
    def read_map(tree: Any) -> dict[Any, Any]:
        if type(tree) is not dict:
            raise GiveUp
        if part is not None:
            if len(tree) != 1:
                raise GiveUp
            tree = tree.get(part)
        out: dict[Any, Any] = {}
        for entry in _numbered(tree):
            if type(entry) is not dict or len(entry) != 2:
                raise GiveUp
            key_tree = entry.get(key_part)
            value_tree = entry.get(value_part)
            if key_tree is None or value_tree is None:
                raise GiveUp
            key = read_key(key_tree)
            if key in out:
                raise GiveUp
            out[key] = read_value(value_tree)
        return out

    return read_map


def _check_characters(key: str, text: str) -> None:
    bad = XML_ILLEGAL.search(text)
    if bad is not None:
        raise ProtocolError(
            "InvalidCharacter",
            f"The parameter {quote(key)} contains the character U+{ord(bad.group()):04X},"
            " which is not allowed.",
        )


def _bad_value(key: str, text: str, expected: str) -> ProtocolError:
    return ProtocolError(
        "InvalidParameterValue",
        f"Value ({quote(text)}) for parameter {quote(key)} is invalid. Expected {expected}.",
    )
