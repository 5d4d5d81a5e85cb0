"""Benchmark: every wire protocol's parse + serialize, ours against moto's model-driven ones.

    .venv/bin/python tools/bench_protocols.py [--repeat N] [--sizes 1,10,100,1000] [--only P]

Ours is what ``apigen serve`` runs: the served package of a service of the installed botocore
(generated into ``$APIGEN_CACHE_DIR`` on first use, as ``apigen serve --service NAME`` does),
its ``protocol.PROTOCOLS[p]``. The peer is moto's ``moto.core.parse`` (``PROTOCOL_PARSERS``) and
``moto.core.serialize`` (``get_serializer_class``), given botocore's operation model of the
same model document (this interpreter's botocore's, sent to moto's side). moto is only in the
optional ``bench`` extra (``.venv/bin/pip install -e '.[bench]'``), so its side runs in a
worker process: of this interpreter when it imports moto, else of the system's ``python3``
(as ``tools/bench_startup.py`` finds it; ``--moto-python`` chooses another), which times its
own calls between ours, case by case, in the same run.

For each protocol, one service and two operations, each at N = 1, 10, 100 and 1000 items (how
the cost grows with N):

* *request*: the HTTP request botocore sends for params holding N list items or map entries
  (serialized, then prepared as botocore's HTTP layer prepares it). Ours: ``parse_request`` of
  that whole request (routing, decoding, strict validation). moto: its parser given what its
  server hands it, built from the same raw request inside the timed call (query string and form
  body decoded into werkzeug's ``MultiDict``, headers into werkzeug's ``Headers``, URI labels
  matched by a regular expression compiled beforehand); moto's routing to the operation is not
  timed. Both must read botocore's params back exactly, else the run fails.
* *response*: a result of N items (the operation's example result, its list grown to N).
  Ours: ``serialize_response`` to the whole HTTP response. moto: its serializer's
  ``serialize`` of the same result. botocore's parser must read our body back to the result,
  else the run fails; what it reads from moto's body is compared too, and a difference is
  printed (a fault of moto's, not a failure of the run).

Times: the best of ``--repeat`` runs of as many calls as fill about 0.2 s, in CPU time of the
process doing the work (the closer figure to an idle core on a shared machine) and wall-clock
time. The ratio divides moto's CPU time by ours (above 1: ours is faster). moto has no
``smithy-rpc-v2-cbor`` parser or serializer: that protocol is measured for ours alone. The
exit status is 1 when a sanity check fails, else 0; the 5x target is read off the output.

The floor of parsing: every parser of a request, moto's and ours, must at least decode its
body, which the standard library's C decoders do fastest (``json.loads``,
``ElementTree.fromstring``). Each JSON and XML parse row also times that decoding alone on the
same body (*stdlib decode*) and divides moto's time by it (*ceiling*): no parser that decodes the
body so can be faster than moto by more than that, whatever else it skips (routing, reading by
shape, validation). Where the ceiling is under the 5x target, the target cannot be met there.
Forms have no such floor: ``parse_qsl`` is slower than our own form decoder.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from importlib.metadata import version
from types import ModuleType
from typing import IO, Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import botocore.model  # type: ignore[import-untyped,unused-ignore]
import botocore.parsers  # type: ignore[import-untyped,unused-ignore]
import botocore.serialize  # type: ignore[import-untyped,unused-ignore]
from botocore.awsrequest import (  # type: ignore[import-untyped,unused-ignore]
    create_request_object,
    prepare_request_dict,
)

from codegen.bridge.releases import installed_release
from codegen.protocols import HttpRequest
from codegen.server.routing import entry_from_botocore
from codegen.server.services import release_service

SIZES = (1, 10, 100, 1000)
WHEN = datetime(2026, 12, 7, 12, 0, 0, tzinfo=timezone.utc)

# moto's side: reads (kind, ...) jobs pickled on stdin, answers each pickled on stdout.
MOTO_WORKER = r"""
import pickle, re, sys, time, timeit
from urllib.parse import parse_qsl
import moto
from moto.core.model import ServiceModel
from moto.core.parse import PROTOCOL_PARSERS
from moto.core.serialize import XFormedAttributePicker, get_serializer_class
from werkzeug.datastructures import Headers, MultiDict

def measure(function, repeat):
    number, _ = timeit.Timer(function).autorange()
    number = max(number, 1)
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        for _ in range(number):
            function()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return min(wall) / number * 1e3, min(cpu) / number * 1e3

def label_pattern(uri):
    path = uri.split("?", 1)[0]
    out, i = [], 0
    for m in re.finditer(r"\{([^}+]+)(\+?)\}", path):
        out.append(re.escape(path[i:m.start()]))
        out.append(f"(?P<{m.group(1)}>.*)" if m.group(2) else f"(?P<{m.group(1)}>[^/]+)")
        i = m.end()
    out.append(re.escape(path[i:]))
    return re.compile("".join(out) + "$")

models = {}
source, sink = sys.stdin.buffer, sys.stdout.buffer
pickle.dump(("moto", moto.__version__), sink); sink.flush()
while True:
    try:
        job = pickle.load(source)
    except EOFError:
        break
    kind = job[0]
    try:
        if kind == "model":
            _, service, document = job
            models[service] = ServiceModel(document, service_name=service)
            answer = None
        elif kind == "parse":
            _, service, protocol, operation, http, repeat = job
            method, path, query, headers, body = http
            op = models[service].operation_model(operation)
            parser = PROTOCOL_PARSERS[protocol](op)
            pattern = label_pattern(op.http.get("requestUri", "/"))
            form = headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
            def parse():
                values = parse_qsl(query, keep_blank_values=True)
                if form:
                    values += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
                match = pattern.match(path)
                return parser.parse({
                    "method": method, "values": MultiDict(values), "headers": Headers(headers),
                    "body": body, "url_path": path,
                    "url_params": match.groupdict() if match else {},
                })
            answer = (parse(), *measure(parse, repeat))
        elif kind == "serialize":
            _, service, protocol, operation, result, repeat = job
            model = models[service]
            op = model.operation_model(operation)
            cls = get_serializer_class(service, protocol)
            def serialize():
                return cls(op, value_picker=XFormedAttributePicker()).serialize(result)
            answer = (serialize(), *measure(serialize, repeat))
        else:
            raise ValueError(kind)
        pickle.dump(("ok", answer), sink)
    except Exception as exc:
        pickle.dump(("error", f"{type(exc).__name__}: {exc}"), sink)
    sink.flush()
"""


class Moto:
    """moto's side: the worker process, asked job by job."""

    def __init__(self, python: str) -> None:
        self.process = subprocess.Popen(
            [python, "-c", MOTO_WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._in: IO[bytes] = self.process.stdin
        self._out: IO[bytes] = self.process.stdout
        self.version = str(pickle.load(self._out)[1])
        self._sent: set[str] = set()

    def ask(self, *job: Any) -> Any:
        pickle.dump(job, self._in)
        self._in.flush()
        status, answer = pickle.load(self._out)
        if status != "ok":
            raise RuntimeError(f"moto's side failed: {answer}")
        return answer

    def model(self, service: str, document: Mapping[str, Any]) -> None:
        if service not in self._sent:
            self.ask("model", service, dict(document))
            self._sent.add(service)

    def close(self) -> None:
        self._in.close()
        self.process.wait(timeout=30)


@dataclass(frozen=True)
class Case:
    """One protocol's benchmark: a service, an operation whose request holds N items and one
    whose result holds N items."""

    protocol: str
    service: str
    request_operation: str
    request: Callable[[int], dict[str, Any]]  # N -> params
    response_operation: str
    response: Callable[[Mapping[str, Any], int], dict[str, Any]]  # (example result, N) -> result


def grown(path: tuple[str, ...], vary: str | None = None) -> Callable[..., dict[str, Any]]:
    """A result maker: the example result with the list at ``path`` grown to N copies of its
    first item (``vary``: a string member made distinct per item)."""

    def make(example: Mapping[str, Any], n: int) -> dict[str, Any]:
        result = copy.deepcopy(dict(example))
        holder: Any = result
        for key in path[:-1]:
            holder = holder[key][0] if isinstance(holder[key], list) else holder[key]
        item = holder[path[-1]][0]
        items = []
        for i in range(n):
            one = copy.deepcopy(item)
            if vary is not None:
                one[vary] = f"{one[vary]}-{i}"
            items.append(one)
        holder[path[-1]] = items
        return result

    return make


def numbers(example: Mapping[str, Any], n: int) -> dict[str, Any]:
    """A GetMetricData result: one series of N points."""
    result = copy.deepcopy(dict(example))
    series = result["MetricDataResults"][0]
    series["Timestamps"] = [WHEN + timedelta(minutes=i) for i in range(n)]
    series["Values"] = [float(i) + 0.5 for i in range(n)]
    result["MetricDataResults"] = [series]
    return result


CASES = (
    Case(
        "query",
        "sns",
        "SetEndpointAttributes",
        lambda n: {
            "EndpointArn": "arn:aws:sns:us-east-1:123456789012:endpoint/GCM/app/abc",
            "Attributes": {f"Attribute{i}": f"value {i} & more" for i in range(n)},
        },
        "ListSubscriptions",
        grown(("Subscriptions",), "SubscriptionArn"),
    ),
    Case(
        "ec2",
        "ec2",
        "DescribeFlowLogs",
        lambda n: {
            "Filter": [{"Name": "resource-id", "Values": ["vpc-1", "vpc-2"]}],
            "FlowLogIds": [f"fl-{i:017x}" for i in range(n)],
            "MaxResults": 1000,
            "NextToken": "abc",
        },
        "DescribeFlowLogs",
        grown(("FlowLogs",), "FlowLogId"),
    ),
    Case(
        "json",  # 1.0
        "dynamodb",
        "PutItem",
        lambda n: {
            "TableName": "music",
            "Item": {f"a{i}": {"S": f"value {i}"} if i % 2 else {"N": str(i)} for i in range(n)},
        },
        "Scan",
        grown(("Items",)),
    ),
    Case(
        "json",  # 1.1
        "logs",
        "PutLogEvents",
        lambda n: {
            "logGroupName": "group",
            "logStreamName": "stream",
            "logEvents": [
                {"timestamp": 1765108800000 + i, "message": f"line {i}: GET /x 200"}
                for i in range(n)
            ],
        },
        "GetLogEvents",
        grown(("events",), "message"),
    ),
    Case(
        "rest-json",
        "lambda",
        "UpdateFunctionConfiguration",
        lambda n: {
            "FunctionName": "my-function",
            "Timeout": 30,
            "Environment": {"Variables": {f"VAR_{i}": f"value {i}" for i in range(n)}},
        },
        "ListFunctions",
        grown(("Functions",), "FunctionName"),
    ),
    Case(
        "rest-xml",
        "s3",
        "DeleteObjects",
        lambda n: {
            "Bucket": "bucket",
            "Delete": {"Objects": [{"Key": f"logs/2026/{i:06d}.gz"} for i in range(n)]},
        },
        "ListObjectsV2",
        grown(("Contents",), "Key"),
    ),
    Case(
        "smithy-rpc-v2-cbor",
        "cloudwatch",
        "PutMetricData",
        lambda n: {
            "Namespace": "App",
            "MetricData": [
                {
                    "MetricName": "Latency",
                    "Dimensions": [{"Name": "Host", "Value": f"h{i}"}],
                    "Timestamp": WHEN + timedelta(seconds=i),
                    "Value": i + 0.25,
                    "Unit": "Milliseconds",
                }
                for i in range(n)
            ],
        },
        "GetMetricData",
        numbers,
    ),
)


def _json(body: bytes) -> Any:
    return json.loads(body) if body else None


def _xml(body: bytes) -> Any:
    return ElementTree.fromstring(body) if body else None


# the least any parser of a request of the protocol does: decode its body, by the fastest
# decoder at hand (the standard library's, in C); none for CBOR (no decoder in the stdlib), nor
# for forms (``parse_qsl`` is slower than the served package's own form decoder: no floor)
FLOORS: dict[str, Callable[[bytes], Any]] = {
    "json": _json,
    "rest-json": _json,
    "rest-xml": _xml,
}
TARGET = 5.0


def measure(function: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best time of one call in milliseconds: (wall clock, CPU of this process)."""
    number, _ = timeit.Timer(function).autorange()
    number = max(number, 1)
    wall, cpu = [], []
    for _ in range(repeat):
        started, processor = time.perf_counter(), time.process_time()
        for _ in range(number):
            function()
        cpu.append(time.process_time() - processor)
        wall.append(time.perf_counter() - started)
    return min(wall) / number * 1e3, min(cpu) / number * 1e3


def botocore_request(
    model: botocore.model.ServiceModel, operation: str, params: Mapping[str, Any]
) -> HttpRequest:
    """The HTTP request botocore sends for ``params`` (unsigned)."""
    op = model.operation_model(operation)
    serializer = botocore.serialize.create_serializer(model.protocol, False)
    request = serializer.serialize_to_request(dict(params), op)
    prepare_request_dict(request, endpoint_url="http://localhost:4566")
    prepared = create_request_object(request).prepare()
    url = urlsplit(prepared.url)
    headers = {k.lower(): _text(v) for k, v in prepared.headers.items()}
    headers["host"] = url.netloc
    body = prepared.body
    data = body if isinstance(body, bytes) else (body or "").encode("utf-8")
    return HttpRequest(prepared.method, url.path or "/", url.query, headers, data)


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def botocore_reads(
    model: botocore.model.ServiceModel,
    operation: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
) -> dict[str, Any]:
    """What botocore's parser reads from a response (its metadata dropped)."""
    op = model.operation_model(operation)
    assert op.output_shape is not None
    parser = botocore.parsers.create_parser(model.protocol)
    parsed: dict[str, Any] = parser.parse(
        {"status_code": status, "headers": dict(headers), "body": body}, op.output_shape
    )
    parsed.pop("ResponseMetadata", None)
    return parsed


def load(service: str) -> tuple[ModuleType, botocore.model.ServiceModel, dict[str, Any]]:
    """The served package's ``protocol`` module, botocore's model and the model document."""
    release = installed_release()
    document = release.load_model(service)
    served = release_service(release, entry_from_botocore(service, document))
    return served.protocol, botocore.model.ServiceModel(document, service), document


def with_protocol(document: dict[str, Any], protocol: str) -> dict[str, Any]:
    """``document`` speaking ``protocol`` (botocore's client for a service of several speaks
    the one it picks; here each is measured in turn)."""
    if document["metadata"]["protocol"] == protocol:
        return document
    return {**document, "metadata": {**document["metadata"], "protocol": protocol}}


def row(label: str, ours: tuple[float, float], peer: tuple[float, float] | None) -> str:
    text = f"  {label:<42}{ours[1]:>9.3f} ms{ours[0]:>9.3f}"
    if peer is None:
        return text + f"{'(moto lacks it)':>36}"
    return text + f"{peer[1]:>11.3f} ms{peer[0]:>9.3f}{peer[1] / ours[1]:>10.1f}x"


def ceiling_note(floor: tuple[float, float], peer: tuple[float, float] | None) -> str:
    """The stdlib decode's CPU time, and moto's / it: the most any parser could gain on moto."""
    text = f"  stdlib decode {floor[1]:.4f} ms"
    if peer is None:
        return text
    ceiling = peer[1] / floor[1]
    mark = "" if ceiling >= TARGET else f" < {TARGET:g}x"
    return text + f", ceiling {ceiling:.1f}x{mark}"


def run(
    case: Case, moto: Moto | None, sizes: tuple[int, ...], repeat: int, ceilings: list[str]
) -> list[str]:
    """Measure one case; returns the sanity failures (and appends to ``ceilings`` each parse
    whose ceiling is under the target)."""
    failures: list[str] = []
    module, model, document = load(case.service)
    protocol = module.PROTOCOLS[case.protocol]
    model = botocore.model.ServiceModel(with_protocol(document, case.protocol), case.service)
    peer = moto if case.protocol != "smithy-rpc-v2-cbor" else None
    if peer is not None:
        peer.model(case.service, with_protocol(document, case.protocol))
    version_note = ""
    if case.protocol == "json":
        version_note = f" {document['metadata'].get('jsonVersion', '1.0')}"
    print(f"{case.protocol}{version_note} ({case.service})")
    for n in sizes:
        params = case.request(n)
        http = botocore_request(model, case.request_operation, params)
        parsed = protocol.parse_request(http)
        if (parsed.operation, parsed.params) != (case.request_operation, params):
            failures.append(f"{case.service} {case.request_operation} N={n}: ours reads back else")
        ours = measure(partial(protocol.parse_request, http), repeat)
        theirs = None
        if peer is not None:
            raw = (http.method, http.path, http.query, dict(http.headers), http.body)
            moto_params, *times = peer.ask(
                "parse", case.service, case.protocol, case.request_operation, raw, repeat
            )
            theirs = (times[0], times[1])
            if moto_params != params:
                failures.append(
                    f"{case.service} {case.request_operation} N={n}: moto reads back"
                    f" {str(moto_params)[:200]}"
                )
        label = f"parse {case.request_operation} N={n}"
        note = ""
        decode = FLOORS.get(case.protocol)
        if decode is not None:
            floor = measure(partial(decode, http.body), repeat)
            note = ceiling_note(floor, theirs)
            if theirs is not None and theirs[1] / floor[1] < TARGET:
                ceilings.append(f"{case.protocol} ({case.service}) {label}: {note.strip()}")
        print(row(label, ours, theirs) + note)
    example = module.example_response(case.response_operation)
    for n in sizes:
        result = case.response(example, n)
        response = protocol.serialize_response(case.response_operation, result, "rid")
        read = botocore_reads(
            model, case.response_operation, response.status, response.headers, response.body
        )
        if read != result:
            failures.append(f"{case.service} {case.response_operation} N={n}: botocore reads else")
        ours = measure(
            partial(protocol.serialize_response, case.response_operation, result, "rid"), repeat
        )
        theirs = None
        note = ""
        if peer is not None:
            answer, *times = peer.ask(
                "serialize", case.service, case.protocol, case.response_operation, result, repeat
            )
            theirs = (times[0], times[1])
            body = answer["body"]
            body = body.encode("utf-8") if isinstance(body, str) else body
            try:
                moto_read = botocore_reads(
                    model,
                    case.response_operation,
                    answer["status_code"],
                    {k.lower(): str(v) for k, v in answer["headers"].items()},
                    body,
                )
                if moto_read != result:
                    note = "  (botocore reads moto's body as another result)"
            except (botocore.parsers.ResponseParserError, ValueError, TypeError, KeyError) as exc:
                note = f"  (botocore cannot read moto's body: {type(exc).__name__})"
        print(row(f"serialize {case.response_operation} N={n}", ours, theirs) + note)
    return failures


def _moto_python() -> str | None:
    """This interpreter if it imports moto, else the system's ``python3`` if that does."""
    for candidate in (sys.executable, shutil.which("python3")):
        if candidate is not None:
            found = subprocess.run(
                [candidate, "-c", "import moto.core.parse"], capture_output=True, check=False
            )
            if found.returncode == 0:
                return candidate
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best kept)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="values of N")
    parser.add_argument("--only", action="append", help="a protocol (or service) to measure")
    parser.add_argument("--moto-python", help="a Python that imports moto (default: found)")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(","))
    cases = [c for c in CASES if not args.only or {c.protocol, c.service} & set(args.only)]
    python = args.moto_python or _moto_python()
    if python is None:
        parser.error("no Python here imports moto: pip install -e '.[bench]', or --moto-python")
    moto = Moto(python)
    try:
        load_average = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"Protocols, ours vs moto {moto.version}: best of {args.repeat}; Python"
            f" {platform.python_version()}, botocore {version('botocore')};"
            f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {load_average}."
        )
        print(f"  {'':<42}{'ours CPU':>12}{'wall':>9}{'moto CPU':>14}{'wall':>9}{'moto/ours':>10}")
        failures: list[str] = []
        ceilings: list[str] = []
        for case in cases:
            failures += run(case, moto, sizes, args.repeat, ceilings)
    finally:
        moto.close()
    if ceilings:
        print(
            f"Where even the standard library's decoding of the body alone leaves less than"
            f" {TARGET:g}x on moto's whole parse, no parser can reach {TARGET:g}x:"
        )
        for line in ceilings:
            print(f"  {line}")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
