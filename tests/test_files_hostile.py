"""Hostile input at the file boundaries: deeply nested JSON, unwritable outputs (files and
standard output), option files that are not UTF-8. Each gives one clear line and exit 2,
never an internal error (exit 70) or a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.files import MAX_JSON_DEPTH, json_depth_problem
from tests.support.paths import ROOT, SPEC

OLD, NEW = f"{SPEC}@1.14.9", f"{SPEC}@1.14.10"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exited:
        code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    if err.startswith("Usage: "):  # click's own check of the option (a folder given as a file)
        assert err.count("\nError: ") == 1, err
    else:
        assert err.startswith("apigen: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err
    for needle in needles:
        assert needle in err, err


# -- 1. deeply nested JSON ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def deep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deep") / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")  # 400 KB
    return path


def test_deep_spec_in_check(deep: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(deep))
    assert code == 2 and out == "" and "nested more than" in err and "Traceback" not in err
    assert "RecursionError" not in err and "internal error" not in err


@pytest.mark.parametrize("side", ["old", "new"])
def test_deep_json_in_diff(deep: Path, side: str, capsys: pytest.CaptureFixture[str]) -> None:
    args = [str(deep), str(SPEC)] if side == "old" else [str(SPEC), str(deep)]
    code, _, err = run(capsys, "diff", *args)
    one_error_line(code, err, str(deep), "nested more than")


def test_deep_inside_a_real_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Deep nesting inside an otherwise real spec: every walker after the parser is spared."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["shapes"]["FlowLog"]["documentation"] = "@"
    path = tmp_path / "spec.json"
    path.write_text(
        json.dumps(document).replace('"@"', '{"a": [' * 5000 + '"x"' + "]}" * 5000),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "check", str(path))
    assert code == 2 and "nested more than" in err and "internal error" not in err
    code, _, err = run(capsys, "diff", str(path), str(SPEC))
    one_error_line(code, err, "nested more than")


def test_depth_check_counts_only_brackets_outside_strings() -> None:
    assert json_depth_problem('"' + "[" * 10_000 + '"') is None
    assert json_depth_problem('["\\"' + "[" * 10_000 + '"]') is None
    shallow = "[" * (MAX_JSON_DEPTH // 2) + "]" * (MAX_JSON_DEPTH // 2)
    assert json_depth_problem(shallow * 50) is None
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    assert json_depth_problem(deep) is not None
    mixed = '{"a": ' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1)
    assert json_depth_problem(mixed) is not None


# -- 3. unwritable outputs ---------------------------------------------------------------------


def unwritable(tmp_path: Path) -> list[tuple[str, str]]:
    """(path, what the message says) for outputs that cannot be written."""
    regular = tmp_path / "file.txt"
    regular.write_text("mine\n", encoding="utf-8")
    return [
        ("/proc/r.txt", "/proc/r.txt"),
        (str(regular / "r.txt"), "is a file, not a folder"),
        ("", "an empty path names no file"),  # was reported as '.'
        (str(tmp_path), "is a directory"),
        (str(tmp_path / "a" / "b" / "r.txt"), "no such folder"),
        ("/dev/full", "No space left on device"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_unwritable_export_output(
    tmp_path: Path, index: int, capsys: pytest.CaptureFixture[str]
) -> None:
    path, message = unwritable(tmp_path)[index]
    code, out, err = run(capsys, "export", str(SPEC), "-o", path)
    one_error_line(code, err, message)
    assert out == ""
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_unwritable_diff_output(
    tmp_path: Path, index: int, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path, message = unwritable(tmp_path)[index]
    code, _, err = run(capsys, "diff", OLD, NEW, "--format", fmt, "-o", path)
    one_error_line(code, err, message)
    if path and not err.startswith(
        "Usage: "
    ):  # the report is streamed: the error still names its file
        assert f"--output {path}" in err, err


def test_output_folder_itself_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reports" / "r.json"
    code, _, _ = run(capsys, "export", str(SPEC), "-o", str(target))
    assert (
        code == 0
        and json.loads(target.read_text(encoding="utf-8"))["metadata"]["endpointPrefix"] == "ec2"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["versions", str(SPEC)],
        ["export", str(SPEC)],
        ["diff", OLD, NEW, "--format", "html", "--details"],
        ["rules", str(SPEC)],
    ],
)
def test_standard_output_on_a_full_device(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-c", "from codegen.cli import main; main()", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 2, result.stderr
    assert (
        result.stderr
        == "apigen: error: cannot write to standard output (No space left on device)\n"
    )


def test_standard_output_closed_pipe() -> None:
    """A reader that goes away (``apigen ... | head -0``): no traceback, no internal error
    (click drops the output quietly; the exit status is the diff's)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from codegen.cli import main; main()",
            "diff",
            OLD,
            NEW,
            "--details",
            "--format",
            "html",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) in (1, 2), err
    assert "Traceback" not in err and "internal error" not in err and "Exception" not in err


# -- 4. option files that are not UTF-8 --------------------------------------------------------


@pytest.mark.parametrize("option", ["--ignore", "--changelog"])
@pytest.mark.parametrize(
    "content",
    [
        b"ChangedDocumentation\n\xff\xfe\n",
        b"\xff",
        "r\u00e9gle\n".encode("latin-1"),
        b'["ChangedDocumentation", "\xc3"]',
    ],
)
def test_option_file_not_utf8(
    tmp_path: Path, option: str, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ("opt.json" if content.startswith(b"[") else "opt.txt")
    path.write_bytes(content)
    code, _, err = run(capsys, "diff", OLD, NEW, option, str(path))
    one_error_line(code, err, f"{option} {path}: not UTF-8 text (byte ")


@pytest.mark.parametrize("option", ["--ignore", "--changelog"])
def test_option_file_deep_json(
    tmp_path: Path, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "1.14.10.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    code, _, err = run(capsys, "diff", OLD, NEW, option, str(path))
    one_error_line(code, err, "nested more than")


# -- found by the issue-8 verification (qa8) ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["check", ""],
        ["export", ""],
        ["export", str(SPEC), "--data-path", ""],
        ["diff", OLD, NEW, "--ignore", ""],
        ["diff", OLD, NEW, "--changelog", ""],
        ["import", "", "--from", "botocore:installed", "--operation", "DescribeVpcs"],
    ],
)
def test_an_empty_path_is_named_not_read_as_the_current_folder(
    args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # --data-path "" wrote ec2/2016-11-15/ into the current folder
    code, _, err = run(capsys, *args)
    one_error_line(code, err, "an empty path names no file or folder")
    assert list(tmp_path.iterdir()) == []


def data_path_cases(tmp_path: Path) -> list[tuple[str, str]]:
    """(--data-path, what the message says): each was an internal error (exit 70)."""
    regular = tmp_path / "file.txt"
    regular.write_text("mine\n", encoding="utf-8")
    blocked = tmp_path / "blocked"
    (blocked / "ec2").mkdir(parents=True)
    (blocked / "ec2" / "2016-11-15").write_text("mine\n", encoding="utf-8")
    folder = tmp_path / "folder"
    (folder / "ec2" / "2016-11-15" / "service-2.json").mkdir(parents=True)
    return [
        ("/proc/x", "/proc/x: cannot create the folder"),
        ("/dev/full", "exists and is not a folder"),
        (str(regular), "is a file"),  # click's own check
        (str(regular / "x"), "is not an existing folder"),
        (str(blocked), "cannot write"),
        (str(folder), "refusing to replace what apigen did not write"),
        (str(tmp_path / "a" / "b"), "is not an existing folder"),  # a chain of missing folders
    ]


@pytest.mark.parametrize("index", range(7))
def test_unwritable_data_path(
    tmp_path: Path, index: int, capsys: pytest.CaptureFixture[str]
) -> None:
    path, message = data_path_cases(tmp_path)[index]
    code, _, err = run(capsys, "export", str(SPEC), "--data-path", path)
    one_error_line(code, err, message)
    assert (tmp_path / "file.txt").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "a").exists()


def test_data_path_never_replaces_a_file_apigen_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # e.g. --data-path ~/.aws/models: the user's own ec2 model was silently replaced
    folder = tmp_path / "ec2" / "2016-11-15"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text("my own model\n", encoding="utf-8")
    code, _, err = run(capsys, "export", str(SPEC), "--data-path", str(tmp_path))
    one_error_line(code, err, str(folder / "service-2.json"), "refusing to replace")
    assert (folder / "service-2.json").read_text(encoding="utf-8") == "my own model\n"
    assert not (folder / "paginators-1.json").exists()  # nothing written


def test_data_path_replaces_and_removes_only_what_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ec2" / "2016-11-15"
    assert run(capsys, "export", str(SPEC), "--data-path", str(tmp_path))[0] == 0
    first = (folder / "service-2.json").read_text(encoding="utf-8")
    assert "MaxAggregationInterval" in first
    assert run(capsys, "export", str(SPEC), "--data-path", str(tmp_path))[0] == 0  # again: same
    assert (
        run(capsys, "export", str(SPEC), "--as-of", "1.14.9", "--data-path", str(tmp_path))[0] == 0
    )
    assert "MaxAggregationInterval" not in (folder / "service-2.json").read_text(encoding="utf-8")
    (folder / "service-2.json").write_text(first + "edited\n", encoding="utf-8")  # a change
    code, _, err = run(capsys, "export", str(SPEC), "--data-path", str(tmp_path))
    one_error_line(code, err, "refusing to replace")
    assert (folder / "service-2.json").read_text(encoding="utf-8").endswith("edited\n")


@pytest.mark.parametrize(
    "args",
    [
        ["check", "/dev/zero"],  # read until memory ran out (killed)
        ["diff", "/dev/zero", NEW],
        ["diff", OLD, NEW, "--ignore", "/dev/zero"],  # hung
        ["diff", OLD, NEW, "--changelog", "/dev/zero"],
    ],
)
def test_a_device_that_never_ends_is_refused(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "codegen.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_dev_null_is_an_empty_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", OLD, NEW, "--ignore", "/dev/null")
    assert code == 1 and err == ""


def test_a_model_that_decompresses_into_gigabytes_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gzip

    bomb = tmp_path / "service-2.json.gz"
    with gzip.open(bomb, "wb") as stream:  # 300 KB on disk, 300 MiB decompressed
        for _ in range(300):
            stream.write(b" " * 2**20)
    code, _, err = run(capsys, "diff", str(bomb), "botocore:installed", "--service", "ec2")
    one_error_line(code, err, "larger than 256 MiB once decompressed")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("x" * 3_000_000 + "\n", "matched no change"),  # a warning
        ("rule:" + "x" * 3_000_000 + "\n", "unknown rule id"),  # an error
        (json.dumps([{"rule": "x" * 3_000_000}]), "unknown rule id"),
    ],
)
def test_an_option_file_line_is_shown_as_an_excerpt(
    tmp_path: Path, content: str, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # each message repeated the whole 3 MB line
    path = tmp_path / ("rules.json" if content.startswith("[") else "rules.txt")
    path.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "diff", OLD, NEW, "--ignore", str(path))
    assert code in (1, 2) and needle in err and "(a string of 3000000 characters)" in err
    assert max(len(line) for line in err.splitlines()) < 300, len(err)


def test_no_error_line_repeats_a_huge_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "diff", f"{SPEC}@{'9' * 100_000}", NEW)
    one_error_line(code, err, "no version")
    assert len(err) < 2100


def test_writing_a_spec_or_outputs_touches_no_file_of_the_users(tmp_path: Path) -> None:
    """Files are replaced through temporary files of fresh names: a user's ``spec.json.tmp``
    or ``x.apigen-tmp`` beside them is left as it was, and a spec keeps its permissions."""
    import shutil
    import stat

    from tests.support.paths import SPEC

    spec = tmp_path / "flow-logs.json"
    shutil.copyfile(SPEC, spec)
    spec.chmod(0o640)
    mine = {
        tmp_path / "flow-logs.json.tmp": b"my notes",
        tmp_path / "flow-logs.json.apigen-tmp": b"mine",
    }
    out = tmp_path / "out"
    (out / "ec2").mkdir(parents=True)
    mine[out / "ec2" / "validators.py.apigen-tmp"] = b"also mine"
    for path, data in mine.items():
        path.write_bytes(data)
    # imports into the spec, then saves it (a success returns, an error exits)
    main(["import", str(spec), "--from", "botocore:1.14.10", "--operation", "DescribeVpcs"])
    main(["generate", str(spec), "-o", str(out)])
    assert "DescribeVpcs" in json.loads(spec.read_text())["operations"]
    assert stat.S_IMODE(spec.stat().st_mode) == 0o640
    assert (out / "ec2" / "validators.py").is_file()
    for path, data in mine.items():
        assert path.read_bytes() == data, path
    leftovers = [p.name for p in tmp_path.rglob("*.apigen-tmp") if p not in mine]
    assert leftovers == []
