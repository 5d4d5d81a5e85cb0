"""Boundary fuzz tests: real inputs, mutated, fed to ``apigen`` in process.

For each place input enters — a spec file, a botocore ``service-2.json`` and the
``paginators-1.json`` beside it, an ``--ignore`` or ``--changelog`` file, the OLD/NEW source
strings — hypothesis mutates a real input (the flow-logs spec; the models of several services
of the cached botocore 1.14.10; the repository's suppression and changelog fixtures) and runs
the commands that read it. Each run must end with exit status 0, 1 or 2, and an error is one
clear line (``apigen: error: ...``) or a heading followed by a list of problems, never a
traceback or an internal error (70).

A bounded number of examples runs in CI (``APIGEN_FUZZ_EXAMPLES``, default 25 per test); more
in an opt-in run, e.g. ``APIGEN_FUZZ_EXAMPLES=2000 APIGEN_SLOW_TESTS=1 pytest tests/test_fuzz_boundaries.py``
(the slow run also generates code from every mutated spec that loads).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen.cli import main
from tests.support.helpers import release
from tests.support.paths import ROOT, SPEC

FIXTURES = ROOT / "tests" / "fixtures" / "diff"
EXAMPLES = int(os.environ.get("APIGEN_FUZZ_EXAMPLES", "25"))
SLOW = os.environ.get("APIGEN_SLOW_TESTS") == "1"
SERVICES = ("sts", "sqs", "lambda", "dynamodb", "s3")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)

# A problem line: "  FILE[:LINE:COL][ at /POINTER]: MESSAGE", or how many more there are.
_PROBLEM = re.compile(r"^  (\S.*?(:\d+:\d+)?( at (/\S*)?)?: \S.*|\.\.\. and \d+ more)$")
_HEADING = re.compile(
    r"^(apigen: error: )?\S.*: (not a usable botocore model: )?\d+ problem\(s\)$"
)
_CLEAN_ERROR = re.compile(r"^apigen: error: \S.*$")
_INFO = re.compile(r"^(apigen: (note|warning): |wrote ).*$")


def run(*args: str) -> tuple[int, str, str]:
    """``apigen ARGS`` in process: (exit status, standard output, standard error)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exited:
            code = (
                exited.code if isinstance(exited.code, int) else (0 if exited.code is None else 2)
            )
    return code, out.getvalue(), err.getvalue()


def assert_clean(code: int, err: str, args: tuple[str, ...]) -> None:
    """Exit 0, 1 or 2; standard error holds notes, one error line, or a list of problems."""
    context = f"\napigen {' '.join(a[:80] for a in args)}\nexit {code}\n{err[:3000]}"
    assert code in (0, 1, 2), context
    assert (
        "Traceback (most recent call last)" not in err and "apigen: internal error" not in err
    ), context
    lines = err.splitlines()
    if code != 2:
        assert all(_INFO.match(line) for line in lines), context
        return
    assert lines, context
    errors = [i for i, line in enumerate(lines) if not _INFO.match(line)]
    first = errors[0]
    if _HEADING.match(lines[first]):  # a list of problems
        assert len(lines) > first + 1 and all(
            _PROBLEM.match(line) for line in lines[first + 1 :]
        ), context
    elif lines[first].startswith("Usage: "):  # click's own option checks
        assert any(line.startswith("Error: ") for line in lines), context
    else:
        assert _CLEAN_ERROR.match(lines[first]) and first == len(lines) - 1, context


# -- mutations ----------------------------------------------------------------------------------

WRONG = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    10**30,
    "",
    "x",
    "2020-13-45",
    "@",
    [],
    [1, 2],
    ["x"],
    {},
    {"a": 1},
    {"shape": {"x": 1}},
    {"type": "structure"},
    "\u0000",
    "é" * 3,
]


def paths(document: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path (keys and indexes) into a JSON document, the root excluded."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


# Keys the code reads structure from: half the mutations aim at one of them.
STRUCTURAL = frozenset(
    {
        "type",
        "shape",
        "members",
        "member",
        "key",
        "value",
        "required",
        "enum",
        "min",
        "max",
        "pattern",
        "operations",
        "shapes",
        "input",
        "output",
        "errors",
        "http",
        "metadata",
        "pagination",
        "input_token",
        "output_token",
        "result_key",
        "limit_key",
        "more_results",
        "versions",
        "since",
        "rules",
        "formats",
        "documented",
        "when",
        "version",
        "date",
        "botocore",
        "locationName",
        "queryName",
        "documentation",
    }
)


@st.composite
def json_mutation(draw: st.DrawFn, document: Any, all_paths: list[tuple[Any, ...]]) -> Any:
    """``document`` with one to three nodes replaced by a wrong value, deleted, or renamed."""
    out = json.loads(json.dumps(document))
    aimed = [p for p in all_paths if p[-1] in STRUCTURAL] or all_paths
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(aimed if draw(st.booleans()) else all_paths))
        parent = out
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]]  # still there after an earlier mutation?
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, (dict, list)):
            continue
        action = draw(
            st.sampled_from(["replace", "replace", "replace", "delete", "rename", "wrap"])
        )
        if action == "delete":
            del parent[path[-1]]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["", "Nope", "type", "shape", "$ref"]))] = parent.pop(
                path[-1]
            )
        elif action == "wrap":
            parent[path[-1]] = [parent[path[-1]]]
        else:
            parent[path[-1]] = draw(
                st.one_of(st.sampled_from(WRONG), st.integers(), st.text(max_size=6))
            )
    return out


@st.composite
def byte_mutation(draw: st.DrawFn, raw: bytes) -> bytes:
    """``raw`` truncated, or with bytes inserted, replaced or deleted somewhere."""
    action = draw(st.sampled_from(["truncate", "insert", "replace", "delete"]))
    at = draw(st.integers(0, len(raw)))
    if action == "truncate":
        return raw[:at]
    junk = draw(
        st.one_of(
            st.binary(min_size=1, max_size=6),
            st.sampled_from([b"\xff", b"[", b"{", b'"', b"\\", b"\xc3", b"\x00", b"]}", b",,"]),
        )
    )
    if action == "insert":
        return raw[:at] + junk + raw[at:]
    if action == "replace":
        return raw[:at] + junk + raw[at + len(junk) :]
    return raw[:at] + raw[at + draw(st.integers(1, 40)) :]


# -- spec files ---------------------------------------------------------------------------------

SPEC_DOCUMENT = json.loads(SPEC.read_text(encoding="utf-8"))
SPEC_PATHS = list(paths(SPEC_DOCUMENT))


def spec_commands(path: Path, tmp: Path) -> list[tuple[str, ...]]:
    commands = [
        ("check", str(path)),
        ("versions", str(path)),
        ("rules", str(path)),
        ("export", str(path), "--as-of", "1.14.9"),
        ("diff", f"{SPEC}@1.14.9", str(path), "--format", "json"),
        ("diff", f"{path}@2020-01-24", str(SPEC), "--details"),
    ]
    if SLOW:
        commands.append(("generate", str(path), "-o", str(tmp / "out")))
    return commands


@FUZZ
@given(data=st.data())
def test_spec_files(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    tmp = tmp_path_factory.mktemp("spec")
    folder = tmp / "specs" / "ec2"
    folder.mkdir(parents=True)
    path = folder / "flow-logs.json"
    if data.draw(st.booleans(), label="bytes"):
        path.write_bytes(data.draw(byte_mutation(SPEC.read_bytes()), label="raw"))
    else:
        document = data.draw(json_mutation(SPEC_DOCUMENT, SPEC_PATHS), label="document")
        path.write_text(json.dumps(document), encoding="utf-8")
    for args in spec_commands(path, tmp):
        assert_clean(*run(*args)[::2], args)


# -- botocore model files -----------------------------------------------------------------------


def model_folder(service: str) -> Path:
    return release("1.14.10").model_path(service).parent


_DOCUMENTS: dict[str, tuple[Any, list[tuple[Any, ...]]]] = {}


def document_and_paths(path: Path) -> tuple[Any, list[tuple[Any, ...]]]:
    """A model file's document and every path into it (read once per file)."""
    key = str(path)
    if key not in _DOCUMENTS:
        document = json.loads(path.read_text(encoding="utf-8"))
        _DOCUMENTS[key] = (document, list(paths(document)))
    return _DOCUMENTS[key]


@pytest.mark.network
@FUZZ
@given(data=st.data())
def test_model_files(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    service = data.draw(st.sampled_from(SERVICES), label="service")
    source = model_folder(service)
    tmp = tmp_path_factory.mktemp("model")
    good, bad = tmp / "good", tmp / "bad"
    shutil.copytree(source, good)
    shutil.copytree(source, bad)
    name = data.draw(st.sampled_from(["service-2.json", "paginators-1.json"]), label="file")
    target = bad / name
    if data.draw(st.integers(0, 4), label="bytes?") == 0:
        target.write_bytes(data.draw(byte_mutation(target.read_bytes()), label="raw"))
    else:
        document, all_paths = document_and_paths(source / name)
        if not all_paths:
            return
        target.write_text(
            json.dumps(data.draw(json_mutation(document, all_paths), label="document")),
            encoding="utf-8",
        )
    old, new = (good, bad) if data.draw(st.booleans(), label="bad is new") else (bad, good)
    fmt = data.draw(st.sampled_from(["text", "json", "markdown", "html"]), label="format")
    args: tuple[str, ...] = (
        "diff",
        str(old / "service-2.json"),
        str(new / "service-2.json"),
        "--format",
        fmt,
    )
    if data.draw(st.booleans(), label="details"):
        args += ("--details",)
    assert_clean(*run(*args)[::2], args)


# -- option files -------------------------------------------------------------------------------

IGNORE_TEXT = """# known changes
ChangedDocumentation
ec2/DescribeFlowLogs/response/FlowLogs.*
AddedEnumValue ec2/*/response/*
rule:AddedMember path:MaxAggregationInterval
3f2a9c1d0b7e
"""
IGNORE_JSON = json.dumps(
    [
        "ChangedDocumentation",
        {"rule": "AddedMember", "path": "MaxAggregationInterval", "reason": "known"},
        "fingerprint:3f2a9c1d0b7e",
    ]
)
CHANGELOGS = {
    "CHANGELOG.rst": (FIXTURES / "botocore-CHANGELOG-1.14.8-1.14.11.rst").read_bytes(),
    "1.14.10.json": (FIXTURES / "1.14.10.json").read_bytes(),
}


@FUZZ
@given(data=st.data())
def test_option_files(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    tmp = tmp_path_factory.mktemp("options")
    option = data.draw(st.sampled_from(["--ignore", "--changelog"]), label="option")
    if option == "--ignore":
        name, raw = data.draw(
            st.sampled_from(
                [("ignore.txt", IGNORE_TEXT.encode()), ("ignore.json", IGNORE_JSON.encode())]
            ),
            label="file",
        )
    else:
        name, raw = data.draw(st.sampled_from(sorted(CHANGELOGS.items())), label="file")
    if name.endswith(".json") and data.draw(st.booleans(), label="json-level"):
        document = json.loads(raw)
        all_paths = list(paths(document))
        mutated = (
            data.draw(json_mutation(document, all_paths), label="document")
            if all_paths
            else document
        )
        raw = json.dumps(mutated).encode()
    else:
        raw = data.draw(byte_mutation(raw), label="raw")
    path = tmp / name
    path.write_bytes(raw)
    old, new = (
        ("botocore:1.14.9", "botocore:1.14.10")
        if option == "--changelog" and SLOW
        else (f"{SPEC}@1.14.9", f"{SPEC}@1.14.10")
    )
    args = (
        "diff",
        old,
        new,
        option,
        str(path),
        "--format",
        data.draw(st.sampled_from(["text", "json"])),
    )
    assert_clean(*run(*args)[::2], args)


# -- the OLD and NEW source strings -------------------------------------------------------------


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            [
                "botocore:",
                "botocore:x",
                "botocore:1.14",
                "@",
                f"{SPEC}@",
                f"{SPEC}@@",
                f"{SPEC}@x",
                f"{SPEC}@2020-02-30",
                f"{SPEC}@1.14.9@1",
                str(ROOT),
                str(ROOT / "specs"),
                "/dev/null",
                "/proc/self/status",
                str(ROOT / "README.md"),
                "-",
                "--",
                "\x00",
                "botocore:1.14.9\n",
            ]
        ),
        st.builds(lambda a, b: f"{SPEC}@{a}{b}", st.text(max_size=5), st.text(max_size=5)),
    )
)
def test_source_strings(text: str) -> None:
    if "\x00" in text:  # the operating system refuses it before apigen sees it
        text = text.replace("\x00", "")
    for args in (
        ("diff", text, f"{SPEC}@1.14.9"),
        ("diff", f"{SPEC}@1.14.9", text, "--format", "json"),
    ):
        code, _, err = run(*args)
        if text.startswith("botocore:") and "no such release" not in err and code == 2:
            pass
        assert_clean(code, err, args)
