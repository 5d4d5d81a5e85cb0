"""The cases of botocore's rest-json and rest-xml protocol suites that cannot pass in reverse,
and why (quoted on the stub-server page of the docs: keep the two in step)."""

from __future__ import annotations

_HOST_PATH = (
    "the endpoint has a path (/custom) in front of the operation's: a client's endpoint URL,"
    " which a server cannot tell from its own routes (botocore skips the suite too)"
)
_COMPRESSION = (
    "request compression (the requestcompression trait: a gzip body) is not decoded; no REST"
    " service of botocore compresses requests (botocore skips the suite too)"
)
_TOKEN = (
    "the client fills in an idempotency token the caller did not give, so the request holds"
    " a param the case's params lack (botocore skips the suite too)"
)
_PRECEDENCE = (
    "botocore sends a query map's key and a named member's key alike; this case wants the"
    " named member to win, the parser gives the key to both (botocore skips it too)"
)
_ALL_IN_MAP = (
    "the case's map of query parameters holds every query parameter, the named members' too,"
    " though botocore sends each once: the map holds the keys no named member takes, the"
    " inverse of botocore's serializer (rest-xml's twin of the case agrees)"
)
_EMPTY_LISTS = (
    "botocore sends nothing for an empty list in the query string, so [] and no list are the"
    " same request: the parser cannot give back []"
)
_MEDIA_TYPE = (
    "the case's param is the text 'true' but its header holds base64 of the JSON true, not of"
    ' the JSON string "true": botocore would send the latter (botocore skips it too)'
)
_QUOTED = (
    "botocore's parser splits header lists at every comma and keeps the quotes: no header"
    " gives back a string holding a comma or a quote (botocore skips it too)"
)
_DATES = (
    "botocore's parser splits header lists at every comma, so an HTTP date (which holds one)"
    " cannot come back in a list (botocore skips it too)"
)
_NO_BLOB = (
    "botocore reads an empty body as an empty blob payload, so an unset blob and b'' are the"
    " same response (botocore skips it too)"
)
_UNSET_UNION = (
    "botocore refuses a union payload with no member set, whatever the body (botocore skips"
    " it too)"
)
_ALL_HEADERS = (
    "an empty header prefix: botocore reads every header of the response into the map, the"
    " server's own (Content-Type, the request id) too"
)

# (protocol, direction) -> case id -> reason
SKIPPED: dict[tuple[str, str], dict[str, str]] = {
    ("rest-json", "input"): {
        "RestJsonHostWithPath": _HOST_PATH,
        "SDKAppliedContentEncoding_restJson1": _COMPRESSION,
        "SDKAppendedGzipAfterProvidedEncoding_restJson1": _COMPRESSION,
        "RestJsonQueryIdempotencyTokenAutoFill": _TOKEN,
        "RestJsonAllQueryStringTypes": _ALL_IN_MAP,
        "RestJsonQueryStringEscaping": _ALL_IN_MAP,
        "RestJsonSupportsNaNFloatQueryValues": _ALL_IN_MAP,
        "RestJsonSupportsInfinityFloatQueryValues": _ALL_IN_MAP,
        "RestJsonSupportsNegativeInfinityFloatQueryValues": _ALL_IN_MAP,
        "RestJsonZeroAndFalseQueryValues": _ALL_IN_MAP,
        "RestJsonQueryPrecedence": _PRECEDENCE,
        "RestJsonOmitsEmptyListQueryValues": _EMPTY_LISTS,
        "MediaTypeHeaderInputBase64": _MEDIA_TYPE,
    },
    ("rest-json", "output"): {
        "RestJsonHttpPayloadTraitsWithNoBlobBody": _NO_BLOB,
        "RestJsonHttpPayloadWithUnsetUnion": _UNSET_UNION,
        "HttpPrefixHeadersResponse": _ALL_HEADERS,
        "RestJsonInputAndOutputWithQuotedStringHeaders": _QUOTED,
        "RestJsonInputAndOutputWithTimestampHeaders": _DATES,
    },
    ("rest-xml", "input"): {
        "SDKAppliedContentEncoding_restXml": _COMPRESSION,
        "SDKAppendedGzipAfterProvidedEncoding_restXml": _COMPRESSION,
        "QueryIdempotencyTokenAutoFill": _TOKEN,
        "RestXmlQueryPrecedence": _PRECEDENCE,
        "BodyWithXmlName": (
            "the case names the member's element <nested> though the member's shape has the"
            " locationName Hello, which botocore (and so this layer) uses: botocore sends"
            " <Hello> (botocore skips it too)"
        ),
    },
    ("rest-xml", "output"): {
        "HttpPayloadTraitsWithNoBlobBody": _NO_BLOB,
        "RestXmlHttpPayloadWithUnsetUnion": _UNSET_UNION,
        "InputAndOutputWithTimestampHeaders": _DATES,
        "XmlLists": (
            "three flattened lists whose items are all named 'item' (flattenedList,"
            " flattenedList2, flattenedStructureList): botocore reads all three from the same"
            " elements, so no body gives back each (botocore skips it too)"
        ),
    },
}
