"""No value makes a generated validator (or the stub server) backtrack: patterns are matched in
linear time, with exactly ``re.search``'s verdict.

Times are never compared with a constant (machines are noisy): each check bounds how much a
call's time *grows* when its input grows (:func:`tests.support.regex_safety.growth`), against
the growth of the length and of a linear baseline measured in the same run. Python's ``re``
on these patterns doubles its time with every character, so the bound fails by orders of
magnitude on a backtracking matcher, and holds with room to spare on a linear one.

* a spec's format pattern ``^(a+)+$``: the validators generated from the spec, and a request
  through the stub server (EC2, real boto3 client) carrying the value;
* botocore's own: events ``CreateConnection`` (``HeaderValue``, ``AuthHeaderParameters``) and
  ecr ``PutRegistryScanningConfiguration`` (``ScanningRepositoryFilterValue``), through the
  validators generated from the whole services of the installed botocore;
* the adversarial search (:mod:`codegen.regex_attacks`) on those patterns and a sample of
  others: each generated matcher grows linearly on its worst input found; its walk that keeps
  an automaton out of its sinks;
* a leading look-ahead on the rest's length (sagemaker, partnercentral-selling, ec2): searched
  in its window, linear where ``re`` is quadratic or worse, with ``re``'s verdict (and no window
  where that would not be the same search);
* differential: the generated runtime's automaton agrees with ``re.search`` on hypothesis'
  patterns and strings, and on botocore's patterns with their example values and mutations of
  them (a sample in CI; ``APIGEN_SLOW_TESTS=1``: every pattern of the installed botocore,
  with the growth check too);
* the lazily built automaton (``_Lazy``) of the patterns too complex for a whole one (rum
  ``Url``, on ``re`` quadratic): through the generated rum validators, growing linearly cold
  and warm, and agreeing with ``re.search`` on hypothesis' patterns and strings, on botocore's
  too-complex patterns with their examples and mutations, and across a flush of its states;
  keeping only the shallowest twin of an unrolled repeat's copies (resiliencehub
  ``IamRoleArn``: a few dozen states where its attack made thousands), with ``re``'s verdict
  on hypothesis' counted repeats of groups;
* a top-level alternation searched a branch at a time (``_Any``: servicediscovery
  ``ServiceName``, rum ``AppMonitorDomain``) and an automaton of the reversed pattern (ssm
  ``ManagedInstanceId``): the split, the reversal and the window written ``(?=^C{m,n}$)^``
  against ``re.search`` on hypothesis' patterns and strings, and on those botocore patterns
  with their examples and mutations, growing linearly;
* the adversarial search's values stitched from a pattern's matches reach the states
  ``_Lazy`` makes at most (pcs ``InstanceProfileArn``), where no other candidate does.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import example as pinned
from hypothesis import strategies as st

from codegen import automata, nfa, regex_safety
from codegen.generators.base import GenerationContext
from codegen.generators.validators import ValidatorsGenerator
from codegen.loader import load_spec
from codegen.pipeline import release_spec
from codegen.regex_attacks import Stitch, candidates, grown, live, slowest, stitched, stitches
from codegen.regexes import enforceable, examples
from tests.support.helpers import release
from tests.support.imports import fresh_name, generate_into, import_generated
from tests.support.paths import SPEC
from tests.support.regex_safety import (
    Served,
    best_time,
    bound,
    growth,
    installed_validators,
    lazy,
    linear,
)
from tests.support.server import ec2

EXPONENTIAL = "^(a+)+$"
HEADER_VALUE = r"^[ \t]*[\x20-\x7E]+([ \t]+[\x20-\x7E]+)*[ \t]*$"  # events HeaderValue
AUTH_HEADER = r"^[ \t]*[^\x00-\x1F:\x7F]+([ \t]+[^\x00-\x1F:\x7F]+)*[ \t]*$"  # events
ECR_FILTER = r"^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$"  # ecr ScanningRepositoryFilterValue
KNOWN_BAD = (EXPONENTIAL, HEADER_VALUE, AUTH_HEADER, ECR_FILTER)

# -- a spec's format pattern -------------------------------------------------------------------


def _spec_with_format(folder: Path, pattern: str) -> Path:
    """The EC2 spec with the CloudWatch log group format's pattern replaced by ``pattern``."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["formats"]["cloudwatch-log-group-arn"]["pattern"] = pattern
    path = folder / "specs" / "ec2" / SPEC.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _flow_logs(destination: str) -> dict[str, Any]:
    return {
        "ResourceIds": ["vpc-1a2b3c4d"],
        "ResourceType": "VPC",
        "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogDestination": destination,
    }


def test_a_spec_format_that_backtracks_is_checked_in_linear_time(tmp_path: Path) -> None:
    spec = load_spec(_spec_with_format(tmp_path, EXPONENTIAL))
    files = generate_into(
        tmp_path / "out",
        GenerationContext(model=spec.model(), spec=spec),
        ValidatorsGenerator(),
    )
    validators = import_generated(fresh_name("exponential_format"), tmp_path / "out", "validators")

    def destination_issues(value: str) -> list[str]:
        issues = validators.validate("CreateFlowLogs", _flow_logs(value))
        return [i.code for i in issues if i.path == "LogDestination"]

    assert destination_issues("a" * 20) == []
    assert destination_issues("a" * 20 + "!") == ["invalid_format"]
    assert destination_issues("ab") == ["invalid_format"]
    short, long = "a" * 10 + "!", "a" * 20 + "!"
    baseline = growth(destination_issues, "a" * 10, "a" * 20)
    assert growth(destination_issues, short, long) < bound(short, long, baseline)
    assert "_Dfa(" in files["validators.py"]  # the format got the automaton


def test_a_request_through_the_stub_server_is_checked_in_linear_time(tmp_path: Path) -> None:
    served = Served(_spec_with_format(tmp_path, EXPONENTIAL))
    try:
        assert served.url.startswith("http://"), served.url
        client = ec2(served.url)

        def create(value: str) -> str:
            try:
                client.create_flow_logs(**_flow_logs(value))
            except ClientError as exc:
                return str(exc.response["Error"]["Message"])
            return ""

        rejected = create("a" * 22 + "!")
        assert "LogDestination" in rejected, rejected
        short, long = "a" * 11 + "!", "a" * 22 + "!"
        baseline = growth(create, "a" * 11, "a" * 22, repeat=5)
        assert growth(create, short, long, repeat=5) < bound(short, long, baseline)
    finally:
        served.stop()


# -- botocore's patterns in whole generated services -------------------------------------------


def _connection(header_value: str = "v", key_name: str = "x-api-key") -> dict[str, Any]:
    return {
        "Name": "hooks",
        "AuthorizationType": "API_KEY",
        "AuthParameters": {
            "ApiKeyAuthParameters": {"ApiKeyName": key_name, "ApiKeyValue": "secret"},
            "InvocationHttpParameters": {
                "HeaderParameters": [{"Key": "x-trace", "Value": header_value}]
            },
        },
    }


def _scanning(value: str) -> dict[str, Any]:
    return {
        "scanType": "ENHANCED",
        "rules": [
            {
                "scanFrequency": "SCAN_ON_PUSH",
                "repositoryFilters": [{"filter": value, "filterType": "WILDCARD"}],
            }
        ],
    }


CASES: dict[
    str, tuple[str, str, Callable[[str], dict[str, Any]], str, str, Callable[[int], str]]
] = {
    # name: service, operation, parameters of a value, path of the value, valid value, attack
    "events HeaderValue": (
        "events",
        "CreateConnection",
        _connection,
        "AuthParameters.InvocationHttpParameters.HeaderParameters[0].Value",
        "Bearer abc",
        lambda n: " " * n + "\x00",
    ),
    "events AuthHeaderParameters": (
        "events",
        "CreateConnection",
        lambda value: _connection(key_name=value),
        "AuthParameters.ApiKeyAuthParameters.ApiKeyName",
        "x-api-key",
        lambda n: " " * n + "\x00",
    ),
    "ecr ScanningRepositoryFilterValue": (
        "ecr",
        "PutRegistryScanningConfiguration",
        _scanning,
        "rules[0].repositoryFilters[0].filter",
        "prod/*",
        lambda n: "a" * n + "!",
    ),
    "rum Url": (  # too complex for a whole automaton: the lazy one
        "rum",
        "CreateAppMonitor",
        lambda value: {
            "Name": "monitor",
            "Domain": "example.com",
            "AppMonitorConfiguration": {"IncludedPages": [value]},
        },
        "AppMonitorConfiguration.IncludedPages[0]",
        "https://example.com/page",
        lambda n: "http://" + "-" * (n * 4) + "!",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_botocore_patterns_in_generated_services_are_checked_in_linear_time(case: str) -> None:
    service, operation, params, path, valid, attack = CASES[case]
    validators = installed_validators(service)

    def issues_at(value: str) -> list[str]:
        return [i.code for i in validators.validate(operation, params(value)) if i.path == path]

    assert issues_at(valid) == []
    assert issues_at(attack(14)) == ["invalid_format"]
    short, long = attack(8), attack(16)
    baseline = growth(issues_at, valid * 2, valid * 4)
    assert growth(issues_at, short, long) < bound(short, long, baseline)


# -- the adversarial search --------------------------------------------------------------------


@cache
def _sample_patterns() -> list[str]:
    """Distinct portable patterns of a few varied services of the installed botocore."""
    installed = release("installed")
    found: set[str] = set()
    for service in ("events", "ecr", "apprunner", "connect", "iam", "lambda", "s3", "sagemaker"):
        for shape in installed.load_model(service)["shapes"].values():
            if shape.get("type") == "string" and "pattern" in shape:
                portable = enforceable(shape["pattern"])
                if portable is not None:
                    found.add(portable)
    return sorted(found)


def _stretch(text: str, factor: int) -> str:
    """``text`` made ``factor`` times as long by repeating its middle character."""
    middle = len(text) // 2
    return text[:middle] + text[middle] * (len(text) * (factor - 1)) + text[middle:]


def _held_linear(portable: str, length: int = 128) -> None:
    """The generated matcher's worst input found, stretched 16 times, takes about 16 times
    as long (a quadratic matcher: 256 times; an exponential one: far more). Patterns too
    complex for either matcher keep ``re`` (see the test below) and are not held to it."""
    try:
        regex_safety.plan(portable)
    except regex_safety.TooComplex:
        return
    search = regex_safety.matcher(portable).search
    worst = slowest(search, portable, length, rounds=8, budget=0.5)
    if not worst.text:
        return
    long = _stretch(worst.text, 16)
    ratio = growth(search, worst.text, long, repeat=5)
    assert ratio < bound(worst.text, long), (portable, worst.text[:80], ratio)


@pytest.mark.parametrize("pattern", KNOWN_BAD)
def test_the_known_bad_patterns_get_an_automaton_that_stays_linear(pattern: str) -> None:
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety.plan(portable).engine == "dfa"
    _held_linear(portable)


def test_a_sample_of_botocore_patterns_stays_linear_on_its_worst_input() -> None:
    patterns = random.Random(15).sample(_sample_patterns(), 16)
    for portable in patterns:
        _held_linear(portable)


@pytest.mark.parametrize("pattern", [*KNOWN_BAD, r"[\w.%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"])
def test_the_live_walk_keeps_the_automaton_out_of_its_sinks_to_the_end(pattern: str) -> None:
    """The worst-case tool's input for a pattern on the automaton: the runtime stops reading at
    a sink, so a walk that never reaches one is its slowest input. Checked on the automaton
    itself (``automata.dfa``), not on the runtime's table the walk was read from."""
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety.plan(portable).engine == "dfa"
    automaton = automata.dfa(portable, regex_safety.MAX_STATES)
    sinks = set(automaton.sinks()) - {None}
    for length in (1, 7, 300):
        walk = live(portable, length)
        assert walk is not None and len(walk) == length
        state = 0
        for char in walk:
            state = automaton.run(char, state)
            assert state not in sinks, (pattern, walk)


def test_there_is_no_live_walk_where_every_input_reaches_a_sink_or_re_is_kept() -> None:
    bounded = enforceable("^(a|aa){1,12}b")  # a sink after at most 25 characters
    assert bounded is not None
    assert regex_safety.plan(bounded).engine == "dfa"
    assert live(bounded, 100) is None
    kept = enforceable("^[a-z0-9-]{1,63}$")
    assert kept is not None and regex_safety.plan(kept).engine == "re"
    assert live(kept, 100) is None


# -- a leading look-ahead on the rest's length: the window ---------------------------------------

CFN_TEMPLATE_URL = r"(?=.{1,1024}$)(https)://([^/]+)/(.+)"  # sagemaker
PARTNERCENTRAL = (  # partnercentral-selling TaggableResourceArn, a shape without a max
    r"(?=.{1,1000}$)arn:[\w+=/,.@-]+:partnercentral:[\w+=/,.@-]*:[0-9]{12}:catalog/"
    r"([a-zA-Z]+)/[\w+=,.@-]+(/[\w+=,.@-]+)*"
)
COMPANY_WEBSITE_URL = (  # partnercentral-selling CompanyWebsiteUrl: the rest can be 3 long
    r"(?=.{4,255}$)((http|https)://)??(www[.])??([a-zA-Z0-9]|-)+?([.][a-zA-Z0-9(-|/|=|?)??]+?)+?"
)
SECRET_ARN = (  # ec2 SecretArn: anchored
    r"^(?=.{20,2048}$)arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[a-zA-Z0-9/_+=.@-]+"
)
WINDOWS: dict[str, Callable[[int], str]] = {
    # pattern: an attack on re (the look-ahead fails at every start: the value ends in a newline)
    CFN_TEMPLATE_URL: lambda n: "https://" + "h" * n + "\n",
    PARTNERCENTRAL: lambda n: "arn:" + "a" * n + "\n",
    SECRET_ARN: lambda n: "arn:aws" + "-" * n + "\n",
    COMPANY_WEBSITE_URL: lambda n: "a" * n + "!",  # 11.7 s in re at 256 KB
}


@pytest.mark.parametrize("pattern", sorted(WINDOWS))
def test_a_leading_length_look_ahead_is_searched_in_its_window_in_linear_time(
    pattern: str,
) -> None:
    """Too complex for an automaton (the look-ahead counts up to 2048 characters alongside
    the rest), and quadratic or worse in ``re`` on the values here (CfnTemplateURL: 49 ms at
    its 1024 characters, partnercentral: 3 s at 32 KB): the rest searched in the tail the
    look-ahead allows, with ``re``'s verdict."""
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety.plan(portable).engine == "window"
    search = regex_safety.matcher(portable).search
    attack = WINDOWS[pattern]
    short, long = attack(240), attack(960)
    regex = re.compile(portable)
    for text in (short, long, short[:-1], long[:-1], "arn:" + long):
        assert (search(text) is not None) == (regex.search(text) is not None), (pattern, text)
    _agrees_on_examples(portable, random.Random(15))
    baseline = growth(len, short, long)
    assert growth(search, short, long) < bound(short, long, baseline)


def test_a_window_in_a_generated_service_checks_in_linear_time() -> None:
    """partnercentral-selling's ``TaggableResourceArn`` (no ``max``: a request can carry a
    megabyte) through the validators generated from the whole service."""
    validators = installed_validators("partnercentral-selling")

    def issues_at(value: str) -> list[str]:
        found = validators.validate("ListTagsForResource", {"ResourceArn": value})
        return [i.code for i in found if i.path == "ResourceArn"]

    valid = "arn:aws:partnercentral:us-east-1:123456789012:catalog/AWS/engagement/e-1"
    assert issues_at(valid) == []
    assert issues_at(valid + "\n") == ["invalid_format"]
    assert issues_at("x" * 1001 + valid) == []  # the rest from a start: 1,000 at most
    # within the look-ahead's 1,000 characters, where re's work is quadratic
    short, long = WINDOWS[PARTNERCENTRAL](60), WINDOWS[PARTNERCENTRAL](960)
    assert issues_at(short) == ["invalid_format"]
    baseline = growth(len, short, long)
    assert growth(issues_at, short, long) < bound(short, long, baseline)


@pytest.mark.parametrize(
    "pattern",
    [
        "(?=.{1,5}$)ab|c",  # the look-ahead applies to the first branch only
        "(?=.{1,5}$)(?<=x)ab",  # the rest looks behind the tail
        "(?=.{1,5}$)a(?:^|b)",  # the rest holds ^
        "(?=(?:ab){1,5}$)ab",  # the look-ahead counts more than one character at a time
        "a(?=.{1,5}$)b",  # not leading
    ],
)
def test_no_window_where_it_would_not_be_the_same_search(pattern: str) -> None:
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety.window(portable) is None


_WINDOWED = st.sampled_from(
    [
        "(?=.{2,5}$)a[ab]+",
        "^(?=.{2,5}$)a[ab]*b",
        "(?=[^b]{1,4}$)a(?=a)",
        "(?=.{0,3}$)(?:ab|a)(?:\n|$)",
        "(?=[^\n\u2028]{1,6}$)(a|b)+c?",
        # the rest can be shorter than the look-ahead's minimum: a start must leave m
        "(?=.{3,5}$)a",
        "^(?=.{2,4}$)a",
        "(?=.{3,6}$)(?:a|-)+?(?:[.][a-c.]+?)+?",
    ]
)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_WINDOWED, texts=st.lists(st.text("ab\nc.-\u2028", max_size=9), max_size=8))
def test_the_window_agrees_with_re(pattern: str, texts: list[str]) -> None:
    portable = enforceable(pattern)
    assert portable is not None
    found = regex_safety.window(portable)
    assert found is not None, portable
    runtime = regex_safety._runtime()
    window = runtime["_Window"](re.compile(found.inner), found.most, found.outside, found.anchored)
    regex = re.compile(portable)
    for text in [*texts, "", "a", "ab", "ab\n", "\nab"]:
        assert (window.search(text) is not None) == (regex.search(text) is not None), (
            portable,
            text,
        )


def test_a_pattern_too_complex_for_an_automaton_keeps_re_rather_than_failing() -> None:
    """sagemaker's ``CfnTemplateURL`` after a character (no window then: the look-ahead is not
    leading): a look-ahead over up to 1024 characters needs more states than the bound, and
    the NFA reads no look-ahead longer than a character; the generated code keeps ``re`` (its
    worst case is reported in docs/regex-safety.md), and generating the service does not
    fail."""
    portable = enforceable("x(?=.{1,1024}$)(https)://([^/]+)/(.+)")
    assert portable is not None
    with pytest.raises(regex_safety.TooComplex, match="more than"):
        regex_safety.plan(portable)
    assert regex_safety.linear_matcher(portable) is None
    assert isinstance(regex_safety.matcher(portable), re.Pattern)


# -- differential: the automaton against re ----------------------------------------------------

_ATOMS = st.sampled_from(
    ["a", "b", "ab", "[ab]", "[^a]", ".", r"\d", r"\s", "[a-c]", r"\n", "^", "$", r"\Z", r"\b"]
)


def _patterns() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map(lambda p: f"(?:{p[0]}|{p[1]})"),
            st.tuples(inner, st.sampled_from(["*", "+", "?", "{2}", "{1,3}", "*?", "+?"])).map(
                lambda p: f"(?:{p[0]}){p[1]}"
            ),
            inner.map(lambda p: f"({p})"),
            inner.map(lambda p: f"(?={p})"),
            inner.map(lambda p: f"(?!{p})"),
            st.sampled_from(["(?<=a)", "(?<!b)", "(?<=ab)"]),
        )

    return st.recursive(_ATOMS, extend, max_leaves=8)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_patterns(), texts=st.lists(st.text("ab\n c1!", max_size=10), max_size=8))
def test_the_generated_automaton_agrees_with_re(pattern: str, texts: list[str]) -> None:
    try:
        regex = re.compile(pattern)
    except re.error:
        assume(False)
        return
    try:
        automaton = linear(pattern)
    except (automata.TooLarge, automata.Unsupported):
        assume(False)
        return
    for text in [*texts, "", "a", "ab\n"]:
        expected = regex.search(text) is not None
        assert (automaton.search(text) is not None) == expected, (pattern, text)


def _mutations(text: str, rng: random.Random, alphabet: str) -> Iterator[str]:
    for _ in range(6):
        chars = list(text)
        where = rng.randrange(len(chars) + 1)
        kind = rng.randrange(3)
        if kind == 0 and chars:
            chars[min(where, len(chars) - 1)] = rng.choice(alphabet)
        elif kind == 1:
            chars.insert(where, rng.choice(alphabet))
        elif chars:
            del chars[min(where, len(chars) - 1)]
        yield "".join(chars)


def _stretched(text: str, rng: random.Random, counts: tuple[int, ...]) -> Iterator[str]:
    """``text`` with one of its characters (or two in turn) repeated to make a run of each of
    ``counts``: a counted repeat read to, and past, its bounds."""
    for count in counts:
        where = rng.randrange(len(text)) if text else 0
        piece = text[where : where + rng.choice((1, 2))] or "a"
        yield text[:where] + (piece * count)[:count] + text[where:]


def _agrees_on_examples(portable: str, rng: random.Random) -> None:
    """The runtime's automaton (or window, or lazy one) and ``re`` agree on the pattern's
    examples and mutations of them (only strings short enough for ``re`` where it
    backtracks)."""
    try:
        plan = regex_safety.plan(portable)
    except regex_safety.TooComplex:
        return
    automaton: Any
    if plan.engine in ("window", "lazy", "any") or plan.table is not None and plan.table.reverse:
        automaton = regex_safety.matcher(portable)
    else:
        try:
            automaton = linear(portable)
        except (automata.TooLarge, automata.Unsupported):
            return
    regex = re.compile(portable)
    cap = {"re": 1 << 16, "window": 256, "lazy": 256, "any": 256}.get(plan.engine, 12)
    alphabet = "aZ09-_./: \t\n!\x00é\u2028" + "".join(sorted(set(portable)))[:40]
    for example in examples(portable, limit=64)[:6]:
        for text in [example, *_mutations(example, rng, alphabet)]:
            if len(text) > cap:
                text = text[:cap]
            expected = regex.search(text) is not None
            assert (automaton.search(text) is not None) == expected, (portable, text)


def test_the_automaton_agrees_with_re_on_a_sample_of_botocore_patterns() -> None:
    rng = random.Random(20)
    for portable in rng.sample(_sample_patterns(), 60):
        _agrees_on_examples(portable, rng)


@cache
def _every_botocore_pattern() -> list[str]:
    installed = release("installed")
    found: set[str] = set()
    for service in installed.services():
        for shape in installed.load_model(service)["shapes"].values():
            if shape.get("type") == "string" and "pattern" in shape:
                portable = enforceable(shape["pattern"])
                if portable is not None:
                    found.add(portable)
    return sorted(found)


@pytest.mark.slow
def test_every_botocore_pattern_agrees_with_re_and_stays_linear() -> None:
    rng = random.Random(5160)
    for portable in _every_botocore_pattern():
        _agrees_on_examples(portable, rng)
        _held_linear(portable)


def test_the_runtime_reads_each_character_once_whatever_its_classes() -> None:
    """The automaton's verdict on characters outside the BMP, lone surrogates and the
    character-class cache's overflow (more distinct characters than it keeps)."""
    automaton = linear(enforceable(HEADER_VALUE) or "")
    assert automaton.search(" x y ") is True
    assert automaton.search("x\udfff") is None
    assert automaton.search("x\U0001f600") is None
    varied = "".join(chr(c) for c in range(0x100, 0x100 + 5000))
    assert automaton.search(varied) is None
    assert automaton.search("x" * 10 + "\x7e") is True


# -- the lazily built automaton ----------------------------------------------------------------

RUM_URL = r".*https?:\/\/(www\.)?[-a-zA-Z0-9@:%._\+~#=]{1,256}\.[a-zA-Z0-9()]{1,6}\b([-a-zA-Z0-9()@:%_\+.~#?&*//=]*).*"
# botocore's patterns too complex for a whole automaton (decided in tools/regex_worst_case.py's
# run; see docs/regex-safety.md): counted repeats, unanchored, a word boundary
APPINTEGRATIONS_ARN_OR_UUID = (
    r"^(arn:aws:[A-Za-z0-9][A-Za-z0-9_/.-]{0,62}:[A-Za-z0-9_/.-]{0,63}:[A-Za-z0-9_/.-]{0,63}:"
    r"[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,1023}|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-"
    r"[a-f0-9]{12})(:[\w\$]+)?$"
)
TOO_COMPLEX = (
    RUM_URL,
    r"arn:[a-z-]*?:cases:[a-z0-9-]*?:[0-9]{12}:domain/.{1,500}/case/[A-Za-z0-9\-._/:#=+-]{1,500}",
    r"arn:(aws|aws-cn|aws-iso|aws-iso-[a-z]{1}|aws-us-gov):iam::[0-9]{12}:role/(([^/][!-~]+/){1,511})?[A-Za-z0-9_+=,.@-]{1,64}",
    r"^.{1,100000}$",
    r"arn:([a-z0-9-.]{1,63}):([a-z0-9-.]{1,63}):([a-z0-9-.]{1,63}):([a-z0-9-.]{1,63}):([a-z0-9-.]{1,510})/([a-z0-9-.]{1,510})",
    r"[a-f0-9]{8}-?[a-f0-9]{4}-?4[a-f0-9]{3}-?[89ab][a-f0-9]{3}-?[a-f0-9]{12}",
    r"https?://(?:www.)?[a-zA-Z0-9@:._+~#=-]{2,256}\.[a-z]{2,6}\b(?:[-a-zA-Z0-9@:%_+.~#?&/=]{0,2048})",
    # a long repeat that what follows reads too: runs that only add one to counts
    APPINTEGRATIONS_ARN_OR_UUID,
    r"^arn:aws[A-Za-z-]*:secretsmanager:[a-z0-9-]{1,20}:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}-[A-Za-z0-9]{6}$",
    r"(^mi-[0-9a-f]{17}$)|(^eks_c:[0-9A-Za-z][A-Za-z0-9\-_]{0,99}_\w{17}$)",
)


# pcs ``InstanceProfileArn``: an ``arn:`` coming at every offset from the last ``/`` makes
# ``_Lazy`` a state for each (count, progress through the new ARN): the slowest values there
# are, which neither stretched examples nor the model's attacks reach
PCS_INSTANCE_PROFILE_ARN = (
    r"arn:aws([a-zA-Z-]{0,10})?:iam::[0-9]{12}:instance-profile/([!-~]{1,510}/)?"
    r"([\w+=,.@-]{1,128})"
)


def test_a_pattern_too_complex_for_a_whole_automaton_gets_the_lazy_one() -> None:
    """pcs ``InstanceProfileArn``: more than 20,000 states forwards (within about 2 s, so the
    decision does not depend on the machine's speed, as rum's ``Url``, whose automaton fits in
    10 s of processor time, does past the 5 s bound), none backwards."""
    portable = enforceable(PCS_INSTANCE_PROFILE_ARN)
    assert portable is not None
    assert regex_safety.plan(portable).engine == "lazy"
    assert "_Lazy(" in (regex_safety.linear_matcher(portable) or "")
    _held_linear(portable)


@pytest.mark.parametrize(
    ("pattern", "short"),
    [
        (RUM_URL, "aaahttps://www" + "." * 60),  # each count of {1,256} makes a state
        (RUM_URL, "http://" + "/" * 76),  # re's worst: every start rescans the line
        (r"^.{1,100000}$", "a" * 60 + "\x00"),  # ssm: a run read at once, not a state a count
        (r"^[A-Za-z0-9+/=]{1,2048}$", "+" * 3000),  # rbin: past the run, nothing alive
    ],
)
def test_the_lazy_automaton_grows_linearly_from_cold(pattern: str, short: str) -> None:
    """Worst inputs for a new matcher, stretched 16 times: its time grows about 16 times."""
    portable = enforceable(pattern) or ""
    long = _stretch(short, 16)
    ratio = growth(lambda text: lazy(portable).search(text), short, long, repeat=5)
    assert ratio < bound(short, long), (short, ratio)


def _nfa_patterns() -> st.SearchStrategy[str]:
    """Patterns the NFA reads: one-character look-arounds, counted repeats of a set."""
    atoms = st.sampled_from(
        ["a", "b", "[ab]", "[^a]", ".", r"\d", r"\s", r"\n", "^", r"\Z", r"\b"]
        + ["(?=a)", "(?!b)", "(?<=a)", "(?<![ab])", "[ab]{2,4}", "[^b]{0,3}", "a{3}"]
    )

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, inner).map("".join),
            st.tuples(inner, inner).map(lambda p: f"(?:{p[0]}|{p[1]})"),
            st.tuples(inner, st.sampled_from(["*", "+", "?", "{2}", "{1,3}", "*?", "{0,2}"])).map(
                lambda p: f"(?:{p[0]}){p[1]}"
            ),
        )

    return st.recursive(atoms, extend, max_leaves=8)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_nfa_patterns(), texts=st.lists(st.text("ab\n c1!", max_size=10), max_size=8))
@pinned(pattern=r"\Z(?<=a)", texts=["ab\n", "ba"])  # a start at the end, past a dead state
def test_the_lazy_automaton_agrees_with_re(pattern: str, texts: list[str]) -> None:
    regex = re.compile(pattern)
    matcher = lazy(pattern)
    for text in [*texts, "", "a", "ab\n", "aab", "aaab b"]:
        expected = regex.search(text) is not None
        assert (matcher.search(text) is not None) == expected, (pattern, text)


@pytest.mark.parametrize("pattern", TOO_COMPLEX)
def test_the_lazy_automaton_agrees_with_re_on_botocore_patterns(pattern: str) -> None:
    portable = enforceable(pattern)
    assert portable is not None
    matcher, regex, rng = lazy(portable), re.compile(portable), random.Random(pattern)
    alphabet = "aZ09-_./: \t\n!\x00é\u2028" + "".join(sorted(set(portable)))[:40]
    found = examples(portable, limit=64)[:6]
    assert found, portable
    bounds = {int(n) for n in re.findall(r"\{(?:\d+,)?(\d+)\}", portable)}
    counts = tuple(sorted({b + d for b in bounds for d in (-2, -1, 0, 1) if b + d > 0}))[:24]
    for example in found:
        stretched = list(_stretched(example, rng, counts))
        for text in [example, *_mutations(example, rng, alphabet), example * 2, example[:-1]]:
            expected = regex.search(text) is not None
            assert (matcher.search(text) is not None) == expected, (portable, text)
        for text in stretched:
            expected = regex.search(text) is not None
            assert (matcher.search(text) is not None) == expected, (portable, text)
            assert (lazy(portable).search(text) is not None) == expected, (portable, text)


def _counted_patterns() -> st.SearchStrategy[str]:
    """A counted repeat of a set, with what comes before it, and after it what reads some of
    what it reads (so a character adds one to its count and keeps the rest alive)."""
    repeat = st.tuples(
        st.sampled_from(["[ab]", "[a-c]", "[^c]", ".", r"\w", "a"]),
        st.integers(0, 5),
        st.integers(1, 24),
    ).map(lambda p: f"{p[0]}{{{p[1]},{p[1] + p[2]}}}")
    before = st.sampled_from(["", "^", "^x", "a", "x|", "(?<=a)", "[ab]{1,3}"])
    after = st.sampled_from(
        ["", r"\Z", "[ab]+", r"(?::\w+)?\Z", "b", "[bc]{2,5}", "c", r"\b", "(?=b)", "a*c"]
        + [r"(?:a|:b)*\Z", r"[ab]{3}\Z", r"\w{4}\Z", "(?![ab])"]
    )
    return st.tuples(before, repeat, after, after).map("".join)


def _runs() -> st.SearchStrategy[str]:
    """Texts of runs: a character (or two or three in turn) up to 40 times, a few runs."""
    run = st.tuples(
        st.sampled_from(["a", "b", "c", "x", ":", "_", "ab", "a:", "ba", "\n", "ab:", "aab"]),
        st.integers(1, 40),
    )
    return st.lists(run, max_size=4).map(lambda runs: "".join((p * n)[:n] for p, n in runs))


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_counted_patterns(), texts=st.lists(_runs(), min_size=1, max_size=6))
@pinned(pattern=r"^[ab]{0,20}(?::\w+)?\Z", texts=["a" * 25, "a" * 19 + ":" + "a" * 30, "b" * 21])
@pinned(pattern="[ab]{2,9}[ab]+b", texts=["a" * 12 + "b", "c" * 3 + "a" * 9])
@pinned(pattern=r"^[a:_]{0,20}(?::\w+)?\Z", texts=["a:_a" * 6, "a:" * 10 + "a", "a:_" * 7])
def test_the_lazy_automaton_agrees_with_re_on_runs_through_counted_repeats(
    pattern: str, texts: list[str]
) -> None:
    """Runs that add one to a repeat's count while what follows stays alive are read at once
    (``_Lazy._shift``): to each of the repeat's bounds, past them, and from states kept from
    other texts, as ``re.search`` reads them."""
    _agrees_new_and_kept(pattern, texts)


def _agrees_new_and_kept(pattern: str, texts: list[str]) -> None:
    """``_Lazy`` of ``pattern`` gives ``re.search``'s verdict on each of ``texts``, new each
    time and kept across them (its states made by the texts before)."""
    regex = re.compile(pattern)
    kept = lazy(pattern)
    for text in texts:
        expected = regex.search(text) is not None
        assert (lazy(pattern).search(text) is not None) == expected, (pattern, text)
        assert (kept.search(text) is not None) == expected, (pattern, text)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    pattern=st.one_of(_counted_patterns(), _nfa_patterns()),
    texts=st.lists(_runs(), min_size=1, max_size=6),
    near=st.sampled_from([0, 1, 3]),
    chunk=st.sampled_from([3, 7, 1024]),
)
@pinned(pattern="[ab]{2,9}[ab]+b", texts=["a" * 12 + "b", "ab" * 9 + "c"], near=0, chunk=3)
@pinned(
    pattern=r"a[^c]{0,20}c|ab", texts=["a" * 30 + "c", "a" * 19 + "c", "a" * 25], near=1, chunk=7
)
def test_the_lazy_automaton_agrees_with_re_with_far_counts_left_out(
    pattern: str, texts: list[str], near: int, chunk: int
) -> None:
    """Counts far from their bounds left out of the states (``_Lazy._read``), with a small
    ``_NEAR`` so that the short repeats hypothesis draws have them, and small pieces so that
    the characters read so end inside and across pieces: ``re.search``'s verdict, from new
    states and from states kept from other texts."""
    with _runtime_set("_NEAR", near), _runtime_set("_CHUNK", chunk):
        _agrees_new_and_kept(pattern, texts)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_patterns(), texts=st.lists(_runs(), min_size=1, max_size=4))
@pinned(pattern="[ab]+c", texts=["ab" * 700 + "c", ("a" * 20 + "b") * 80 + "c", "a" * 3000])
@pinned(
    pattern="^a[bc]*d", texts=["abcbd", "bcd", "a" + "b" * 40 + "d"]
)  # a start that loops on none
def test_the_automaton_reads_runs_where_a_state_loops_as_re_does(
    pattern: str, texts: list[str]
) -> None:
    """``_Dfa`` reads a run of the classes a state loops on at once: to its end, across the
    pieces it translates at a time, and once the runs it met were short (``_SHORT_RUNS``), a
    step at a time again; its verdict is ``re.search``'s."""
    try:
        regex = re.compile(pattern)
        automaton = linear(pattern)
    except (re.error, automata.TooLarge, automata.Unsupported):
        assume(False)
        return
    short = "".join(texts[:1]) * 70  # more short runs than it tries to read at once
    for text in [*texts, short, short + "c", "ab" * 600 + "c", ("ab" * 9 + "b\n") * 70]:
        expected = regex.search(text) is not None
        assert (automaton.search(text) is not None) == expected, (pattern, text)


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:0:::0" + "+" * 44 + "_" + "+" * 400 + ":" + "0" * 903 + "a" + "0" * 271,  # found
        "arn:aws:a:b:c:d" + "0a_" * 340 + ":" + "0" * 900,  # by the search; and in the group
    ],
)
def test_a_run_through_a_long_counted_repeat_makes_a_state_at_its_bounds_only(text: str) -> None:
    """appintegrations ``ArnOrUUID``: ``[...]{0,1023}`` then ``(:[\\w$]+)?$``, which reads what
    the repeat reads. A character of a run there only adds one to the count: the run is read
    at once, and states are made where the count crosses a bound (29 ms at 2,048 characters
    when each count was a state), and the verdict is ``re``'s."""
    portable = enforceable(APPINTEGRATIONS_ARN_OR_UUID) or ""
    assert regex_safety.plan(portable).engine == "lazy"
    matcher = lazy(portable)
    for stretched in (text, text + ":", text[:2040], text + "0" * (2100 - len(text))):
        expected = re.search(portable, stretched) is not None
        assert (lazy(portable).search(stretched) is not None) == expected, stretched
        assert (matcher.search(stretched) is not None) == expected, stretched
    assert len(matcher._index) < 100


def test_the_matchers_in_generated_code_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    """rum's validators carry the runtime's ``_Dfa``, ``_Any`` and ``_Window`` of a class, pcs'
    its ``_Lazy`` (written only where a pattern needs them, so the generators' own checks on a
    spec without such a pattern never see them; rum's ``Url`` is on ``_Lazy`` or ``_Dfa`` as
    the machine's speed decides): they pass ``mypy --strict`` and ``ruff`` as any generated
    module does."""
    targets = []
    for service in ("rum", "pcs"):
        spec = release_spec(release("installed"), service)
        context = GenerationContext(model=spec.model(), spec=spec)
        generate_into(tmp_path / service, context, ValidatorsGenerator())
        target = tmp_path / f"{service}_validators.py"  # one module name each, for mypy
        target.write_text((tmp_path / service / "validators.py").read_text())
        targets.append(str(target))
    text = "".join(Path(target).read_text() for target in targets)
    assert all(kind in text for kind in ("_Lazy(", "_Dfa(", "_Any(", "within=re.compile("))
    python = [sys.executable, "-m"]
    for command in (
        ["mypy", "--strict", "--no-incremental", "--python-version", "3.10", *targets],
        ["ruff", "check", "--no-cache", *targets],
    ):
        done = subprocess.run(
            [*python, *command], capture_output=True, text=True, timeout=300, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_lazy_automaton_keeps_its_verdict_across_a_flush_of_its_states() -> None:
    """More states than it keeps (each count of the repeat is one, as what follows it can read
    what it reads): dropped and made again."""
    kept = regex_safety._runtime()["_MAX_LAZY_STATES"]
    pattern = r"^[ab]{0,3000}[bc]\b"
    matcher, regex = lazy(pattern), re.compile(pattern)
    for text in ("a" * (kept + 10) + "c", "a" * 3001 + "c", "b" * (kept + 10) + "cd"):
        for _ in range(2):
            assert (matcher.search(text) is not None) == (regex.search(text) is not None), text


# -- twins: the copies of an unrolled counted repeat of a group (``_Lazy._prune``) -------------

RESILIENCEHUB_IAM_ROLE_ARN = (
    r"^arn:(aws|aws-cn|aws-iso|aws-iso-[a-z]{1}|aws-us-gov):iam::[0-9]{12}:role/"
    r"(([^/][!-~]+/){1,511})?[A-Za-z0-9_+=,.@-]{1,64}$"
)


@pytest.mark.parametrize(
    ("pattern", "chains"),
    [
        ("(?:ab){0,3}", [(3, 3)]),  # a copy: its body's nodes, then the choice that enters it
        ("(?:ab){2,5}c", [(3, 3)]),  # the two mandatory copies are no twins
        ("(?:a|b){0,1}", []),  # one optional copy: nothing to keep the shallowest of
        ("(?:ab)*", []),
        ("[ab]{0,40}", []),  # a counted set: one node that counts
        ("(?:[^/][!-~]+/){1,511}", [(6, 510)]),
        ("(?:[ab]{1,3}/){0,4}", [(3, 4)]),  # a counted set in the body: its twins count too
        # nested: the inner repeat's chain in each outer copy (and in the mandatory one), and
        # the outer chain, whose copies hold the inner chains
        ("(?:(?:ab){0,2}c){1,3}", [(3, 2), (3, 2), (8, 2), (3, 2)]),
    ],
)
def test_the_nfa_records_the_optional_copies_of_an_unrolled_repeat(
    pattern: str, chains: list[tuple[int, int]]
) -> None:
    """Each chain of optional copies, its copies alike node for node (the twins)."""
    built = nfa.compile_nfa(pattern)
    assert [(chain.size, chain.copies) for chain in built.chains] == chains
    for chain in built.chains:
        copies = [
            built.nodes[chain.first + copy * chain.size : chain.first + (copy + 1) * chain.size]
            for copy in range(chain.copies)
        ]
        assert len({tuple((n.kind, n.ranges, n.least, n.most) for n in c) for c in copies}) == 1
        assert copies[0][-1].kind == nfa.SPLIT
    table = nfa.encode(built)
    assert ("twins=" in table.code()) == bool(chains)  # left out where there is none


def _chained_patterns() -> st.SearchStrategy[str]:
    """Counted repeats of groups whose bodies overlap themselves (a character can end one
    iteration or go on in it: resiliencehub's ``[^/][!-~]+/``), nested, with mandatory and
    optional copies, what comes before and after."""
    body = st.sampled_from(
        ["[^/][ab/]+/", "a[ab]*b", "(?:ab|a)", "a?b", "[ab]{1,3}/", "(?:a|ab)(?:b|/)", "[ab/]"]
        + ["a(?:ba){0,2}", "(?:[ab]/?){1,3}", "(?:a|b/)+", r"a\b", "(?<=a)b", "[ab]{2,3}/?"]
        + ["[ab]{1,40}/?", "/[ab/]{0,45}"]  # counts far from their bounds: left out (``_far``)
    )
    counted = st.tuples(body, st.integers(0, 2), st.integers(2, 12)).map(
        lambda p: f"(?:{p[0]}){{{p[1]},{p[1] + p[2]}}}"
    )
    nested = st.tuples(counted, st.sampled_from(["/", "b", "", "a?"]), st.integers(0, 1)).map(
        lambda p: f"(?:{p[0]}{p[1]}){{{p[2]},{p[2] + 3}}}"
    )
    repeat = st.one_of(counted, nested, counted.map(lambda p: f"(?:{p})?"))
    before = st.sampled_from(["", "^", "^a", "/", "^(?:x|)"])
    after = st.sampled_from(
        ["", r"\Z", r"[ab]{1,3}\Z", "b", "/", r"(?![\s\S])", "[ab]", "a(?!b)", "[ab]{2}", "x"]
    )
    return st.tuples(before, repeat, after).map("".join)


def _deep_texts() -> st.SearchStrategy[str]:
    """Pieces repeated, so that a value goes through many iterations of a repeat and keeps
    many copies alive at once."""
    piece = st.tuples(
        st.sampled_from(["a", "b", "/", "ab/", "a/", "b/", "aab/", "ba", "ab", "x", "a//", "bb/"]),
        st.integers(1, 10),
    )
    return st.lists(piece, max_size=4).map(lambda pieces: "".join(p * n for p, n in pieces)[:40])


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_chained_patterns(), texts=st.lists(_deep_texts(), min_size=1, max_size=6))
@pinned(pattern=r"^(?:(?:[^/][ab/]+/){1,20})?[ab]{1,4}(?![\s\S])", texts=["a/" * 19 + "ab"])
@pinned(pattern=r"(?:(?:ab){0,2}c){1,3}\Z", texts=["ababcabcc", "abcababcababc"])
@pinned(pattern=r"(?:[ab]{1,3}/){0,4}b", texts=["ab/ab/a/bb/b", "aab/" * 5 + "b"])
@pinned(pattern=r"^(?:[ab]{2,3}/?){0,4}\Z", texts=["aaaa"])  # twins at counts 2 and 1
@pinned(pattern=r"^(?:(?:[ab]/?){1,3}){0,5}[ab]{1,3}\Z", texts=["a/" * 15 + "b"])
@pinned(pattern=r"(?:[ab]{1,40}/?){0,4}b/a\Z", texts=["a" * 30 + "/" + "a" * 25 + "b/a"])
def test_the_lazy_automaton_keeps_re_s_verdict_with_the_shallowest_twins_only(
    pattern: str, texts: list[str]
) -> None:
    """``_Lazy`` keeps, of the twins of an unrolled repeat at the same count, only the
    shallowest (``_prune``): values that go through many iterations (many copies alive) get
    ``re.search``'s verdict, from cold and from the states other values made. The verdict is
    the derivative automaton's (``re.search``'s language; ``re`` itself backtracks for minutes
    on some of these patterns and values), or ``re``'s on short values where the automaton is
    too large."""
    expected_of = _derivative_search(pattern)
    kept = lazy(pattern)
    for text in [*texts, "a/" * 15 + "b", "ab/" * 12 + "x", ("aab/" * 9)[:-1]]:
        expected = expected_of(text)
        if expected is None:
            continue
        assert (lazy(pattern).search(text) is not None) == expected, (pattern, text)
        assert (kept.search(text) is not None) == expected, (pattern, text)


def _derivative_search(pattern: str) -> Callable[[str], bool | None]:
    """Whether ``re.search`` finds ``pattern`` in a text, by the derivative automaton (the
    runtime's ``_Dfa``) where it has at most 2,000 states (built within half a second), else by
    ``re`` on texts of at most 12 characters (None on longer ones)."""
    try:
        automaton = automata.dfa(pattern, 2000, deadline=time.process_time() + 0.5)
    except (automata.TooLarge, automata.Unsupported):
        regex = re.compile(pattern)
        return lambda text: regex.search(text) is not None if len(text) <= 12 else None
    table = regex_safety.encode(automaton)
    assert table is not None
    matcher = regex_safety._dfa(table)
    return lambda text: matcher.search(text) is not None


def test_the_attack_on_resiliencehub_s_role_arn_makes_few_states() -> None:
    """resiliencehub ``IamRoleArn`` (``([^/][!-~]+/){1,511}``, unrolled: 510 optional copies)
    on values that keep many copies alive (a role path of ``!`` and ``/`` that never ends in a
    name, ARN after ARN; :func:`codegen.regex_attacks.stitched`'s random pieces): 64 KB made a
    state at almost every character, each a pass over hundreds of tokens (1.3 s cold),
    flushing the states past 2,048. Keeping the shallowest twin only, a few dozen states;
    without the twins, far more (the attack is real), with the same verdict."""
    portable = enforceable(RESILIENCEHUB_IAM_ROLE_ARN) or ""
    assert regex_safety.plan(portable).engine == "lazy"
    unanchored = portable.removeprefix("^").removesuffix("(?![\\s\\S])")
    unit = "!arn:aws:iam::000000000000:role/" + "!!/" * 7 + "!/" * 5
    path = unit * (65536 // len(unit) + 2)
    for pattern, text, most in (
        (portable, path[1:65537], 100),  # anchored: from the first ARN on
        (unanchored, path[:65536], 100),  # every ARN a new start
        (portable, stitched(portable, 65536, Stitch(0)), 200),  # random: not the same each run
    ):
        table = nfa.encode(nfa.compile_nfa(pattern))
        assert table.twins
        pruned, unpruned = lazy(pattern), _without_twins(table)
        assert pruned.search(text) == unpruned.search(text)
        assert len(pruned._index) < most, len(pruned._index)
        if most == 100:
            assert 4 * len(pruned._index) < len(unpruned._index)


def test_the_twins_go_through_the_decision_cache_into_the_generated_matcher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``_Lazy`` plan with twins, written to the disk cache and read back, is the same plan
    (an entry written before there were twins has none: it is not used); its generated
    expression builds the runtime's ``_Lazy`` with them."""
    monkeypatch.setenv("APIGEN_CACHE_DIR", str(tmp_path))
    portable = enforceable(RESILIENCEHUB_IAM_ROLE_ARN) or ""
    made = regex_safety.Plan(portable, None, None, lazy=nfa.encode(nfa.compile_nfa(portable)))
    assert made.lazy is not None and made.lazy.twins == ("3,6,e6",)  # 510 copies of 6 nodes
    path = regex_safety._cache_path(portable)
    assert path is not None
    regex_safety._write_cache(path, made)
    assert regex_safety._read_cache(path, portable) == made
    entry = json.loads(path.read_text())
    del entry["lazy"]["twins"]
    path.write_text(json.dumps(entry))
    assert regex_safety._read_cache(path, portable) is None
    built = eval(made.lazy.code(), dict(regex_safety._runtime()))
    assert built._encoded[-1] == made.lazy.twins
    assert built.search("arn:aws:iam::000000000000:role/a/b/c") is not None


def _without_twins(table: nfa.LazyTable) -> Any:
    """The runtime's ``_Lazy`` of ``table`` without its twins (every copy's token kept)."""
    return regex_safety.lazy_matcher(replace(table, twins=()))


# -- large character classes -------------------------------------------------------------------


@pytest.mark.parametrize("pattern", [r"[^\p{C}]+", r"(?:(?!\$\{[a-zA-Z]+:)[\P{C}\r\n])+"])
def test_a_class_re_tests_range_by_range_gets_an_automaton(pattern: str) -> None:
    """iot ``DetailsValue`` and wellarchitected ``CommentsString``: ``re`` is linear on them by
    the model, but tests a character against their 700 ranges one by one; the automaton reads
    it in one look-up. On the input that makes ``re`` test every character (control
    characters, none in the class), the automaton's time grows with the length and ``re``'s
    takes many times as long (both measured here, in the same run)."""
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety.widest_class(portable) > regex_safety.MAX_RE_RANGES
    assert regex_safety.plan(portable).engine == "dfa"
    automaton, regex = regex_safety.matcher(portable), re.compile(portable)
    for text in ("\x00" * 50, "\x00 é\U0001f600", "${ab:x", "\u0378\r", "\t\n"):
        assert (automaton.search(text) is not None) == (regex.search(text) is not None), text
    short, long = "\x00" * 16384, "\x00" * 65536
    assert growth(automaton.search, short, long, repeat=5) < bound(short, long)
    assert best_time(lambda: regex.search(long), 3) > 3 * best_time(
        lambda: automaton.search(long), 3
    )


def test_the_lazy_automaton_reads_a_run_no_further_than_its_repeat_allows() -> None:
    """A run of the repeat's characters read at once stops at its count's most, and past the
    run of an anchored pattern nothing is read."""
    for pattern in (r"^[ab]{2,40}\Z", r"^x[ab]{0,40}(?![\s\S])", r"^[ab]{3,40}c", r"^a{2,9}b?"):
        matcher, regex = lazy(pattern), re.compile(pattern)
        for n in (0, 1, 2, 3, 9, 10, 39, 40, 41, 80):
            for text in ("a" * n, "a" * n + "c", "x" + "b" * n, "x" + "b" * n + "c"):
                expected = regex.search(text) is not None
                assert (matcher.search(text) is not None) == expected, (pattern, text)


@pytest.mark.parametrize(
    "pattern",
    [
        r"^.{1,12000}$",
        r"^x[ab.é]{0,11999}c",
        r"^[^c]{3,12000}\Z",
        r"x[ab]{1,3000}c?\b",
        r"^x[ab]{1,12000}(?<=a)c",  # after a run, the class of its last character
    ],
)
@pytest.mark.parametrize("text_ranges", [16, 0])
def test_the_lazy_automaton_reads_runs_across_the_pieces_it_translates(
    pattern: str, text_ranges: int
) -> None:
    """``_Lazy`` translates a long value a piece at a time, each twice as long as the one
    before (up to ``_MAX_CHUNK``), or 1,024 characters where the piece holds a character
    outside ASCII (``str.translate`` reads those one at a time); a run read at once goes on
    from one piece into the next, in the value itself where the repeat's set has at most
    ``_TEXT_RANGES`` ranges (0 here: none does). Runs that end at, before, past and across each
    piece's end, with characters outside ASCII (and outside the repeat's set) there, get
    ``re``'s verdict."""
    portable = enforceable(pattern) or ""
    regex = re.compile(portable)
    ends = [0]
    size = regex_safety._runtime()["_CHUNK"]
    while ends[-1] < 15000:
        ends.append(ends[-1] + size)
        size = min(2 * size, regex_safety._runtime()["_MAX_CHUNK"])
    texts = []
    for end in ends[1:]:
        for shift in (-1, 0, 1):
            for odd in ("", "é", "\u2028", "c"):
                run = "a" * (end + shift - 1)
                texts += [run + odd + "a" * 40, "x" + run + odd, run[: end // 2] + odd + run]
                texts += [(run + odd).ljust(12000, "a"), "x" + (run + odd).ljust(12000, "a") + "c"]
                texts += [(run + odd).ljust(12001, "a")]  # at the repeat's most, and past it
    with _runtime_set("_TEXT_RANGES", text_ranges):
        kept = lazy(portable)
        for text in texts:
            expected = regex.search(text) is not None
            assert (kept.search(text) is not None) == expected, (pattern, len(text), text[-45:])
        fresh = lazy(portable).search(texts[-1]) is not None
    assert fresh == (regex.search(texts[-1]) is not None)


@contextmanager
def _runtime_set(name: str, value: int) -> Iterator[None]:
    """The generated runtime's constant ``name`` set to ``value`` for a while (its functions
    read it from their module's namespace when they run)."""
    runtime = regex_safety._runtime()
    saved = runtime[name]
    runtime[name] = value
    try:
        yield
    finally:
        runtime[name] = saved


def test_a_long_run_makes_a_state_per_piece_it_is_translated_in_no_more() -> None:
    """ssm ``InstancePropertyFilterValue``: a megabyte of ``.`` in ``^.{1,1048576}$`` (ASCII)
    is translated in pieces that double, so it makes a few states (pieces of 1,024 characters
    made one at the end of each and one more at the start of the next: 2,048). Where the
    characters are outside ASCII, the run is read in the value itself once a piece has entered
    it (``str.translate`` would read them one at a time, in pieces of 1,024)."""
    portable = enforceable(r"^.{1,1048576}$") or ""
    for texts, text_ranges in (
        (("a" * 1048576, "a" * 1048575 + "\n", "a" * 1048577), 0),
        (("é" * 1048576, "\uffff" * 1048575 + "\u2028", "\U0001f600" * 1048577), 16),
    ):
        with _runtime_set("_TEXT_RANGES", text_ranges):
            matcher = lazy(portable)
            for text in texts:
                expected = re.search(portable, text) is not None
                assert (matcher.search(text) is not None) == expected, text[-3:]
        assert len(matcher._index) < 80


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_nfa_patterns(), texts=st.lists(st.text("ab\n c1!", max_size=12), max_size=6))
def test_the_lazy_automaton_agrees_with_re_when_its_steps_are_dropped(
    pattern: str, texts: list[str]
) -> None:
    """``_Lazy`` keeps the closure and step of each node at count 0 (``_after``), by the
    classes either side; past ``_MAX_AFTER`` nodes' worth they are all dropped and worked out
    again. Kept for a few steps only, its verdict is still ``re``'s."""
    regex = re.compile(pattern)
    matcher = lazy(pattern)
    nodes = len(" ".join(nfa.encode(nfa.compile_nfa(pattern)).nodes).split())
    with _runtime_set("_MAX_AFTER", 2 * nodes):
        for text in [*texts, "aab", "ab\n ab", "b1 a!b"]:
            expected = regex.search(text) is not None
            assert (matcher.search(text) is not None) == expected, (pattern, text)


# -- a branch at a time, and backwards ---------------------------------------------------------

SERVICE_NAME = (  # servicediscovery ServiceName: a window's shape in its first branch
    r"((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])"
    r"(\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\.$)"
)
APP_MONITOR_DOMAIN = (  # rum: three branches, the third a window of a class
    r"(localhost)$|^((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(25[0-5]|2[0-4][0-9]|[01]?"
    r"[0-9][0-9]?)$|(?=^[a-zA-Z0-9\.\*-]{4,253}$)(?!.*\.-)(?!.*-\.)(?!.*\.\.)(?!.*[^\.]{64,})"
    r"^(\*\.)?(?![-\.\*])[^\*]{1,}\.(\*|(?!.*--)(?=.*[a-zA-Z])[^\*]{1,}[^\*-])"
)
MANAGED_INSTANCE_ID = r"(^mi-[0-9a-f]{17}$)|(^eks_c:[0-9A-Za-z][A-Za-z0-9\-_]{0,99}_\w{17}$)"


@pytest.mark.parametrize(
    ("pattern", "found"),
    [
        ("a|b", ("a", "b")),
        ("(a)|(?:b)|((c))", ("a", "b", "c")),
        (r"[|]|\||(a|b)c|[]|]|[^]|]", ("[|]", r"\|", "(a|b)c", "[]|]", "[^]|]")),
        ("(a)b|(c)", ("(a)b", "c")),  # a group that does not wrap the whole branch stays
        ("(?=a|b)c", None),  # no top-level |
        ("(a|b)", None),
        (r"(a)\1|b", None),  # a back-reference reads a group's text
    ],
)
def test_a_pattern_splits_at_its_top_level_alternation_only(
    pattern: str, found: tuple[str, ...] | None
) -> None:
    assert regex_safety.branches(pattern) == found


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    parts=st.lists(_patterns(), min_size=2, max_size=3),
    wraps=st.lists(st.sampled_from(["{}", "({})", "(?:{})"]), min_size=3, max_size=3),
    texts=st.lists(st.text("ab\n c1!", max_size=10), max_size=8),
)
def test_searching_branch_by_branch_agrees_with_re(
    parts: list[str], wraps: list[str], texts: list[str]
) -> None:
    """``_Any`` over the branches :func:`codegen.regex_safety.branches` finds, each on ``re``:
    the split and the claim that a search of ``A|B`` is one of ``A`` or of ``B``."""
    pattern = "|".join(wrap.format(part) for wrap, part in zip(wraps, parts, strict=False))
    try:
        regex = re.compile(pattern)
    except re.error:
        assume(False)
        return
    found = regex_safety.branches(pattern)
    assert found is not None and len(found) >= len(parts), pattern
    split = regex_safety._runtime()["_Any"](tuple(re.compile(b) for b in found))
    for text in [*texts, "", "a", "ab\n"]:
        assert (split.search(text) is not None) == (regex.search(text) is not None), (
            pattern,
            text,
        )


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_patterns(), texts=st.lists(st.text("ab\n c1!", max_size=10), max_size=8))
@pinned(pattern=r"(?<=ab)\b\Z", texts=["ab", "ab\n", "cab"])
def test_the_reversed_automaton_agrees_with_re(pattern: str, texts: list[str]) -> None:
    """The automaton of :func:`codegen.automata.reverse`'s pattern, run by the runtime's
    ``_Dfa`` with ``reverse``, has ``re.search``'s verdict on the value read forwards."""
    try:
        regex = re.compile(pattern)
        table = regex_safety.encode(
            automata.dfa(pattern, regex_safety.MAX_STATES, reversed_=True), reverse=True
        )
    except (re.error, automata.TooLarge, automata.Unsupported):
        assume(False)
        return
    assert table is not None and table.reverse
    automaton = regex_safety._runtime()["_Dfa"](
        table.ranges, table.rows, table.class_width, table.state_width, reverse=True
    )
    for text in [*texts, "", "a", "ab\n", "ab" * 40 + "!"]:
        expected = regex.search(text) is not None
        assert (automaton.search(text) is not None) == expected, (pattern, text)


_BEGIN_AFTER = st.sampled_from(
    [
        "(?=^[a-c]{1,5}$)^a[ab]*",
        "(?=^.{2,4}$)(?!b)^a.",
        "(?=^[^b]{1,4}$)(?=a)(?!.*c)^a",
        # a class that excludes many characters: the tail found by its run, read backwards
        "(?=[a-c.]{2,5}$)a[ab]*",
        "(?=[ab]{3,6}$)a(?=b)",
        "^(?=[a-c]{0,3}$)(?:ab|a)(?:c|$)",
    ]
)


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(pattern=_BEGIN_AFTER, texts=st.lists(st.text("abc.\n-", max_size=9), max_size=8))
def test_a_window_written_after_its_anchor_or_of_a_class_agrees_with_re(
    pattern: str, texts: list[str]
) -> None:
    portable = enforceable(pattern)
    assert portable is not None
    found = regex_safety.window(portable)
    assert found is not None, portable
    within = re.compile(found.within + "*") if found.within else None
    window = regex_safety._runtime()["_Window"](
        re.compile(found.inner), found.most, found.outside, found.anchored, within
    )
    regex = re.compile(portable)
    for text in [*texts, "", "a", "ab", "abab", "ab\n", "\nab", "cab"]:
        assert (window.search(text) is not None) == (regex.search(text) is not None), (
            portable,
            text,
        )


@pytest.mark.parametrize(
    "pattern",
    [
        "(?=^a{1,5}$)b^a",  # something that reads a character before the ^
        "(?=^.{1,5}$)(?<=x)^a",  # a look-behind before it
        "(?=^.{1,5}$)a|^b",  # the ^ is in another branch
    ],
)
def test_no_window_where_the_anchor_does_not_follow_the_look_ahead(pattern: str) -> None:
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety.window(portable) is None


@pytest.mark.parametrize(
    ("pattern", "attack"),
    [
        (SERVICE_NAME, lambda n: ("a" * 60 + ".") * (n // 61) + "!"),
        (SERVICE_NAME, lambda n: "." * n),
        (APP_MONITOR_DOMAIN, lambda n: "a-" * (n // 2) + "."),
        (APP_MONITOR_DOMAIN, lambda n: "1." * (n // 2)),
    ],
)
def test_a_top_level_alternation_is_searched_a_branch_at_a_time(
    pattern: str, attack: Callable[[int], str]
) -> None:
    """Too complex as a whole (a window's look-ahead in one branch): each branch gets its own
    matcher (``re`` where linear, a window, an automaton), with ``re.search``'s verdict on the
    examples and their mutations, and linear growth."""
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety.plan(portable).engine == "any"
    assert (regex_safety.linear_matcher(portable) or "").startswith("_Any((")
    _agrees_on_examples(portable, random.Random(pattern))
    search, regex = regex_safety.matcher(portable).search, re.compile(portable)
    for text in ("a.b", "a" * 64, "a" * 63 + ".b", ".", "..", "localhost", "10.0.0.1", "*.a.com"):
        assert (search(text) is not None) == (regex.search(text) is not None), text
    short, long = attack(250), attack(4000)
    assert growth(search, short, long) < bound(short, long, growth(len, short, long))


def test_a_pattern_small_only_backwards_gets_the_reversed_automaton() -> None:
    """ssm ``ManagedInstanceId``: forwards, which of the last 17 characters were ``_`` is the
    state (no automaton within the bound, and ``_Lazy`` made a state a character); backwards,
    a count. Its verdict is ``re.search``'s on the examples, their mutations and values of
    random ``_`` and letters that keep every count alive."""
    portable = enforceable(MANAGED_INSTANCE_ID)
    assert portable is not None
    chosen = regex_safety.plan(portable)
    assert chosen.engine == "dfa" and chosen.table is not None and chosen.table.reverse
    assert "reverse=True" in (regex_safety.linear_matcher(portable) or "")
    _agrees_on_examples(portable, random.Random(17))
    search, regex, rng = (
        regex_safety.matcher(portable).search,
        re.compile(portable),
        random.Random(3),
    )
    for _ in range(300):
        body = "".join(rng.choice("_A0-") for _ in range(rng.randrange(90, 125)))
        for text in ("eks_c:" + body, "eks_c:a" + body[:99] + "_" + "B" * 17, "mi-" + "f" * 17):
            assert (search(text) is not None) == (regex.search(text) is not None), text
    short, long = "eks_c:" + "_A" * 60, "eks_c:" + "_A" * 960
    assert growth(search, short, long) < bound(short, long, growth(len, short, long))


def test_a_branch_at_a_time_in_a_generated_service_checks_in_linear_time() -> None:
    """servicediscovery's ``ServiceName`` (no ``max``: a request can carry a megabyte; 110 ms
    on ``re`` there) through the validators generated from the whole service."""
    validators = installed_validators("servicediscovery")

    def issues_at(value: str) -> list[str]:
        found = validators.validate("CreateService", {"Name": value})
        return [i.code for i in found if i.path == "Name"]

    for valid in ("my-service", "_http._tcp.a-b", ".", "a" * 63 + ".b"):
        assert issues_at(valid) == [], valid
    for invalid in ("-a", "a" * 64, "a..b", "..", "a.b\n", "a." * 64 + "b"):
        assert issues_at(invalid) == ["invalid_format"], invalid
    short, long = "a." * 4096 + "!", "a." * 65536 + "!"
    assert growth(issues_at, short, long) < bound(short, long, growth(len, short, long))


@pytest.mark.parametrize(
    ("pattern", "start_only"),
    [
        (r"^https://[a-z.]{1,253}\.s3/.{1,2000}", True),  # ssm TargetLocationsURL's shape
        (r"^a{1,3}b$", False),
        (MANAGED_INSTANCE_ID, False),  # anchored in each branch, and at the end
        (r"a{1,3}b", False),
    ],
)
def test_a_pattern_anchored_at_its_start_only_is_not_read_backwards(
    pattern: str, start_only: bool
) -> None:
    """Forwards, its search stops where it matches or nothing is alive; backwards it would
    read the whole value."""
    portable = enforceable(pattern)
    assert portable is not None
    assert regex_safety._start_only(portable) is start_only


# -- long values on re: the automaton past LONG characters -------------------------------------

# botocore's patterns kept on re (linear by the model) that re reads slowest at 1 MiB, with the
# values the whole run found slowest: re gives back what a repeat read, a few steps a character
LONG_ON_RE = {
    "mediaconvert": (
        r"^([01][0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9][:;][0-9]{2}(@[0-9]+(\.[0-9]+)?(:[0-9]+)?)?$",
        "00:00:00:00@",
        "0",
        "!",
    ),
    "codestar-notifications": (r"^([a-zA-Z0-9-])+$", "", "-", "\x00"),
    "mturk": (r"^[0-9]+(\.)?[0-9]{0,2}$", "", "0", "!"),
    "securitylake": (
        r"^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$",
        "arn::iam::000000000000:role/",
        "+",
        "~",
    ),
}


def _long(pattern: str, short: int) -> Any:
    """The runtime's ``_Long`` of the portable ``pattern``: ``re`` on values of at most
    ``short`` characters, the pattern's automaton on longer ones."""
    return regex_safety._runtime()["_Long"](re.compile(pattern), linear(pattern), short)


@pytest.mark.parametrize("name", sorted(LONG_ON_RE))
def test_a_long_value_of_a_pattern_kept_on_re_is_read_by_its_automaton(name: str) -> None:
    """Within a shape's ``max`` of at most LONG characters the pattern stays on ``re``; past
    it (or with no ``max``) a value longer than LONG is read by the automaton, with ``re``'s
    verdict, on the pattern's examples and mutations of them stretched past LONG."""
    pattern, prefix, pump, suffix = LONG_ON_RE[name]
    portable = enforceable(pattern)
    assert portable is not None
    long_enough = regex_safety.LONG
    assert regex_safety.plan(portable).engine == "re"
    assert regex_safety.linear_matcher(portable, long_enough) is None
    for longest in (long_enough + 1, None):
        assert (regex_safety.linear_matcher(portable, longest) or "").startswith("_Long(re.")
    assert isinstance(regex_safety.matcher(portable, long_enough), re.Pattern)
    matcher, regex = regex_safety.matcher(portable, None), re.compile(portable)
    rng = random.Random(name)
    alphabet = "aZ09-_./:@; \t\n!\x00é" + "".join(sorted(set(portable)))[:40]
    for example in [*examples(portable, limit=64)[:4], prefix + pump + suffix]:
        for text in [example, *_mutations(example, rng, alphabet)]:
            for stretched in _stretched(text, rng, (long_enough - len(text), long_enough + 1)):
                for value in (stretched, *_mutations(stretched, rng, alphabet)):
                    expected = regex.search(value) is not None
                    assert (matcher.search(value) is not None) == expected, (name, value[:80])


def test_long_reads_up_to_its_threshold_with_re_and_past_it_with_the_automaton() -> None:
    """``re`` returns its match, the automaton ``True``: which one answered shows."""
    portable = enforceable(LONG_ON_RE["codestar-notifications"][0])
    assert portable is not None
    matcher, most = regex_safety.matcher(portable, None), regex_safety.LONG
    assert isinstance(matcher.search("a" * most), re.Match)
    assert matcher.search("a" * (most + 1)) is True
    assert matcher.search("a" * most + "!") is None
    assert matcher.search("a" * most + "\u00e9") is None


@pytest.mark.parametrize("name", ["mediaconvert", "codestar-notifications"])
def test_a_long_value_re_backtracks_on_costs_the_automaton_much_less(name: str) -> None:
    """On the value ``re`` reads slowest (measured here, side by side), the matcher of a shape
    without a ``max`` takes a fraction of ``re``'s time, and grows linearly."""
    pattern, prefix, pump, suffix = LONG_ON_RE[name]
    portable = enforceable(pattern)
    assert portable is not None
    matcher, regex = regex_safety.matcher(portable, None), re.compile(portable)
    short, long = (prefix + pump * n + suffix for n in (1 << 16, 1 << 18))
    assert matcher.search(long) is None and regex.search(long) is None
    assert growth(matcher.search, short, long, repeat=3) < bound(short, long)
    assert best_time(lambda: regex.search(long), 3) > 3 * best_time(
        lambda: matcher.search(long), 3
    )


@pytest.mark.parametrize(
    ("pattern", "rate_above", "runs_only", "ascii_only"),
    [
        (r"^a{1,3}b$", False, True, True),
        (r"^\+?[1-9]\d{1,14}$", False, True, True),  # chime E164PhoneNumber
        (r"^([a-zA-Z0-9]+[\\.-])+([a-zA-Z0-9])+$", True, False, True),  # ds DirectoryName
        (r"vpc-[0-9a-fA-F]+", True, False, False),  # cloudhsmv2 VpcId
        (r"^([^\u0000-\u007F]|[-_ a-zA-Z0-9])+$", True, True, False),  # securityhub
        (r"[!-~]([ \t]*[!-~])*", True, True, False),  # devops-agent: unanchored
    ],
)
def test_re_keeps_long_values_where_the_automaton_would_not_be_faster(
    pattern: str, rate_above: bool, runs_only: bool, ascii_only: bool
) -> None:
    """The model's rate at most LONG_RATE (``re`` reads a character a step: as fast as the
    automaton), an automaton that a value can take round a cycle other than a state's own
    loop (a step a character, in Python: ``a.a.a...``, ``vpc-vpc-...``), or one that reads on
    past a character beyond ASCII (a Python call for each it has not kept): a shape without a
    ``max`` keeps ``re``."""
    portable = enforceable(pattern)
    assert portable is not None
    chosen = regex_safety.plan(portable)
    assert chosen.engine == "re" and chosen.rate is not None
    assert (chosen.rate > regex_safety.LONG_RATE) is rate_above
    automaton = automata.dfa(portable, regex_safety.MAX_STATES)
    assert regex_safety.runs_only(automaton) is runs_only
    assert regex_safety.ascii_only(automaton) is ascii_only
    assert regex_safety.long_table(portable) is None
    assert regex_safety.linear_matcher(portable, None) is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^a+b*c?$", True),
        ("^(ab)+$", False),
        ("[!-~]([ \t]*[!-~])*", True),  # unanchored: the start state loops
        ("ab", False),  # unanchored: a then not b goes back to the start
        ("^(a|b)*c$", True),
    ],
)
def test_runs_only_finds_cycles_other_than_a_states_own_loop(pattern: str, expected: bool) -> None:
    assert regex_safety.runs_only(automata.dfa(pattern, regex_safety.MAX_STATES)) is expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^a+$", True),
        ("^[^a]+$", False),  # reads on through any character but a
        ("^a+\u00e9?$", False),  # one character past ASCII, then the end: not a sink
        ("^a+(?!\u00e9)", True),  # past ASCII: a match found (the accepting sink)
        ("a", False),  # unanchored: the start reads on through anything
        ("^[\x00-\x7f]*$", True),
    ],
)
def test_ascii_only_is_a_sink_on_every_character_past_ascii(pattern: str, expected: bool) -> None:
    assert regex_safety.ascii_only(automata.dfa(pattern, regex_safety.MAX_STATES)) is expected


@settings(
    max_examples=int(os.environ.get("APIGEN_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    pattern=_patterns(),
    texts=st.lists(st.text("ab\n c1!\u00e9", max_size=10), max_size=8),
    short=st.integers(0, 6),
)
def test_long_agrees_with_re_on_either_side_of_its_threshold(
    pattern: str, texts: list[str], short: int
) -> None:
    """``_Long`` with a threshold hypothesis' strings reach on either side: ``re.search``'s
    verdict whichever matcher reads the value."""
    try:
        regex = re.compile(pattern)
        matcher = _long(pattern, short)
    except (re.error, automata.TooLarge, automata.Unsupported):
        assume(False)
        return
    for text in [*texts, "", "a", "ab\n"]:
        expected = regex.search(text) is not None
        assert (matcher.search(text) is not None) == expected, (pattern, short, text)


def test_a_shape_over_the_threshold_gets_long_and_one_within_it_keeps_re(tmp_path: Path) -> None:
    """The generated validators: a documented pattern with a ``maxLength`` over LONG, or with
    none, gets ``_Long``; the same pattern with a ``maxLength`` of LONG keeps ``re``; the
    module passes ``mypy --strict`` and ``ruff``; long values are checked with ``re``'s
    verdict."""
    pattern = LONG_ON_RE["codestar-notifications"][0]
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    members = document["shapes"]["CreateFlowLogsRequest"]["members"]
    for member, most in (
        ("ClientToken", None),
        ("LogGroupName", regex_safety.LONG + 1),
        ("DeliverLogsPermissionArn", regex_safety.LONG),
    ):
        bounded = {} if most is None else {"maxLength": most}
        members[member]["documented"] = {"pattern": pattern, **bounded, "source": "the test's"}
    path = tmp_path / "specs" / "ec2" / SPEC.name
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    spec = load_spec(path)
    context = GenerationContext(model=spec.model(), spec=spec)
    text = generate_into(tmp_path / "out", context, ValidatorsGenerator())["validators.py"]
    long_on_re = "_CREATE_FLOW_LOGS_REQUEST_CLIENT_TOKEN_PATTERN"
    on_re = "_CREATE_FLOW_LOGS_REQUEST_DELIVER_LOGS_PERMISSION_ARN_PATTERN"
    assert f"{long_on_re}: Final = _Long(" in text
    assert f"{on_re}: Final = re.compile(" in text
    assert text.count(f"{long_on_re}.search(") == 2  # ClientToken and LogGroupName
    assert text.count(f"{on_re}.search(") == 1
    target = str(tmp_path / "out" / "validators.py")  # the runtime's _Long typed as all else
    for command in (
        ["mypy", "--strict", "--no-incremental", "--python-version", "3.10", target],
        ["ruff", "check", "--no-cache", target],
    ):
        done = subprocess.run(
            [sys.executable, "-m", *command],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    validators = import_generated(fresh_name("long_on_re"), tmp_path / "out", "validators")
    destination = "arn:aws:logs:us-east-1:123456789012:log-group:g"
    most = regex_safety.LONG
    for value, fine in (
        ("a" * (most + 1), True),
        ("a" * most + "!", False),
        ("-" * (most + 1), True),
    ):
        request = {**_flow_logs(destination), "ClientToken": value, "LogGroupName": value}
        found = [
            (i.path, i.code)
            for i in validators.validate("CreateFlowLogs", request)
            if i.path in ("ClientToken", "LogGroupName")
        ]
        wrong = [("ClientToken", "invalid_format"), ("LogGroupName", "invalid_format")]
        assert found == ([] if fine else wrong), (value[:10], found)


def test_values_stitched_from_matches_reach_the_states_lazy_makes_at_most() -> None:
    """The adversarial search's stitched values (a prefix of a match again and again, each
    time one more filler character after it) make ``_Lazy`` far more states than any other
    candidate, and what they make grows with their length (so ``tools/regex_worst_case.py``,
    which makes them afresh at a pattern's limit rather than stretching them, times the
    states a long value makes). Measured with every count kept in the states (``_NEAR`` past
    any repeat's bounds), as the runtime did before it left far counts out."""
    portable = enforceable(PCS_INSTANCE_PROFILE_ARN) or ""
    assert regex_safety.plan(portable).engine == "lazy"
    with _runtime_set("_NEAR", 1 << 30):
        ways = stitches(portable)
        made = {way: _states_made(portable, stitched(portable, 4096, way)) for way in ways}
        worst = max(made, key=made.__getitem__)
        others = [
            _states_made(portable, text)
            for text in candidates(portable, 4096, model=False)
            if text not in grown(portable, 4096)
        ]
        assert worst.match is not None, worst
        assert made[worst] > 10 * max(others), (made[worst], max(others))
        assert _states_made(portable, stitched(portable, 16384, worst)) > 2 * made[worst]


def test_a_count_far_from_its_bounds_is_left_out_of_the_states() -> None:
    """pcs ``InstanceProfileArn`` on the stitched values that make the most states when every
    count is kept: with far counts left out, a value makes a few hundred states whatever its
    length (not one for each offset at each count), and the verdict is ``re``'s."""
    portable = enforceable(PCS_INSTANCE_PROFILE_ARN) or ""
    with _runtime_set("_NEAR", 1 << 30):
        kept = {
            way: _states_made(portable, stitched(portable, 4096, way))
            for way in stitches(portable)
        }
    worst = max(kept, key=kept.__getitem__)
    short = _states_made(portable, stitched(portable, 4096, worst))
    long = _states_made(portable, stitched(portable, 65536, worst))
    assert short * 4 < kept[worst], (short, kept[worst])
    assert long < 3 * short, (short, long)


def _states_made(portable: str, text: str) -> int:
    """How many states a new ``_Lazy`` of ``portable`` makes searching ``text`` (flushes
    included), having checked its verdict against ``re``'s."""
    runtime = regex_safety._runtime()
    made = 0
    original = runtime["_LazyState"]

    class Counted(original):  # type: ignore[misc, valid-type]
        __slots__ = ()

        def __init__(self, *args: Any) -> None:
            nonlocal made
            made += 1
            super().__init__(*args)

    runtime["_LazyState"] = Counted
    try:
        found = lazy(portable).search(text)
    finally:
        runtime["_LazyState"] = original
    assert found == (re.search(portable, text) is not None or None)
    return made
