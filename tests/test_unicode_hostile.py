"""Strings no output can carry, and names that are not plain text (issue 15).

A lone surrogate (``"\\udfff"``: a JSON ``\\u`` escape without its pair) is refused where a
document enters, with the file and the JSON pointer: specs, botocore models (a file, a release's
data folder), ``--ignore`` and ``--changelog`` JSON, the server's ``--accounts``. Before, it
passed ``check`` and then ``versions``, ``generate`` and ``diff --format json`` exited 70. Text
options refuse bytes that are not UTF-8. A file name is taken as it is and shown escaped
(``\\xff`` for a byte that is not UTF-8, ``\\n`` for a newline) wherever it is written: headers
of generated code, MANIFEST.json, reports, messages.

Run as real processes (standard output as a UTF-8 terminal has it: strict), not in-process,
where a captured stream would accept what a real one refuses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.bridge.releases import Release
from codegen.errors import ModelFileError, displayable
from tests.support.paths import ROOT, SPEC

DEMO = ROOT / "tests" / "fixtures" / "diff" / "demo" / "2020-01-01"
APIGEN = Path(sys.executable).parent / "apigen"
LONE = "\\udfff"  # as written in a JSON file: six characters, a lone surrogate once parsed


def apigen(*args: str | bytes, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")  # strict, as on a UTF-8 terminal
    return subprocess.run(
        [str(APIGEN), *args],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        env=env,
        cwd=cwd,
        check=False,
        timeout=300,
    )


def refused(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def spec_text(edit: str, replacement: str) -> str:
    text = SPEC.read_text(encoding="utf-8")
    assert edit in text
    return text.replace(edit, replacement, 1)


SUMMARY = "Amazon VPC Flow Logs adds support for 1-minute aggregation intervals."
DOC = "Describes a flow log."


@pytest.mark.parametrize(
    ("edit", "replacement", "pointer"),
    [
        (SUMMARY, f"Amazon VPC {LONE} Flow Logs", "/versions/1/summary"),
        (DOC, f"Describes {LONE} a flow log.", "/shapes/FlowLog/documentation/0"),
        ('"FlowLogStatus": {', f'"FlowLog{LONE}Status": {{', "/shapes/FlowLog/members/FlowLog"),
    ],
    ids=["version summary", "documentation", "a key"],
)
@pytest.mark.parametrize(
    "command",
    [
        ["check", "{spec}"],
        ["versions", "{spec}"],
        ["generate", "{spec}", "-o", "{tmp}/out"],
        ["diff", "{spec}@1.14.9", "{spec}@1.14.10", "--format", "json"],
        ["diff", "{spec}@1.14.9", "{spec}@1.14.10", "--format", "html", "-o", "{tmp}/r.html"],
        ["export", "{spec}"],
    ],
    ids=lambda c: c[0] + (f"-{c[-1]}" if c[0] == "diff" else ""),
)
def test_a_lone_surrogate_in_a_spec(
    tmp_path: Path, edit: str, replacement: str, pointer: str, command: list[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(spec_text(edit, replacement), encoding="utf-8")
    args = [a.replace("{spec}", str(spec)).replace("{tmp}", str(tmp_path)) for a in command]
    result = apigen(*args)
    if command[0] == "diff":  # names the spec and sends to check, which lists the problems
        refused(result, f"{spec}@1.14.9': the spec has 1 problem(s); see 'apigen check {spec}'")
    else:
        refused(result, f"{spec} at {pointer}", "lone surrogate (\\udfff at character")
    assert result.stdout == ""
    assert not (tmp_path / "out").exists() and not (tmp_path / "r.html").exists()


def test_a_surrogate_pair_is_a_character(tmp_path: Path) -> None:
    """No false alarm: an escaped pair (U+1F600) is one character, written back as it is."""
    spec = tmp_path / "spec.json"
    spec.write_text(spec_text(DOC, "Describes a flow log \\ud83d\\ude00."), encoding="utf-8")
    result = apigen("generate", str(spec), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "\U0001f600" in (tmp_path / "out" / "ec2" / "shapes.py").read_text(encoding="utf-8")


def test_a_lone_surrogate_in_a_botocore_model_file(tmp_path: Path) -> None:
    folder = tmp_path / "demo" / "2020-01-01"
    shutil.copytree(DEMO, folder)
    model = json.loads((folder / "service-2.json").read_text(encoding="utf-8"))
    model["operations"]["PutThing"]["documentation"] = "<p>Puts @ thing.</p>"
    (folder / "service-2.json").write_text(json.dumps(model).replace("@", LONE), encoding="utf-8")
    for fmt in ("json", "text", "html"):
        result = apigen("diff", str(DEMO / "service-2.json"), str(folder), "--format", fmt)
        refused(result, str(folder / "service-2.json"), "/operations/PutThing/documentation")
        assert result.stdout == ""


def test_a_lone_surrogate_in_a_release_data_folder(tmp_path: Path) -> None:
    """A release's model (the installed botocore's files are not checked by digest)."""
    folder = tmp_path / "data" / "demo" / "2020-01-01"
    shutil.copytree(DEMO, folder)
    text = (folder / "service-2.json").read_text(encoding="utf-8")
    (folder / "service-2.json").write_text(
        text.replace('"Demo Service"', f'"Demo {LONE} Service"'), encoding="utf-8"
    )
    with pytest.raises(ModelFileError) as raised:
        Release("9.9.9", tmp_path / "data").load_model("demo")
    assert "/metadata/serviceFullName: the string holds a lone surrogate" in str(raised.value)


def test_option_files(tmp_path: Path) -> None:
    ignore = tmp_path / "ignore.json"
    ignore.write_text(f'["AddedMember", "ec2/*/request/Max{LONE}"]', encoding="utf-8")
    result = apigen("diff", f"{SPEC}@1.14.9", f"{SPEC}@1.14.10", "--ignore", str(ignore))
    refused(result, f"--ignore {ignore}: at /1: the string holds a lone surrogate")
    changes = tmp_path / "1.14.10.json"
    changes.write_text(
        json.dumps([{"type": "api-change", "category": "``ec2``", "description": "@"}]).replace(
            "@", LONE
        ),
        encoding="utf-8",
    )
    result = apigen("diff", "botocore:1.14.9", "botocore:1.14.10", "--changelog", str(changes))
    refused(result, f"--changelog {changes}: at /0/description: the string holds a lone")


def test_the_accounts_file_of_the_server(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.json"
    accounts.write_text(
        '{"AKIDALICE": {"account": "111122223333", "secret": "s' + LONE + '"}}', encoding="utf-8"
    )
    result = apigen("serve", str(SPEC), "--accounts", str(accounts), "--verify-signatures")
    refused(result, f"accounts file {accounts}: at /AKIDALICE/secret: the string holds a lone")


def test_text_options_that_are_not_utf8(tmp_path: Path) -> None:
    copy = tmp_path / "spec.json"
    shutil.copyfile(SPEC, copy)
    result = apigen("update", str(copy), "--to", "botocore:1.14.10", "--summary", b"caf\xe9")
    assert result.returncode == 2 and "'caf\\xe9' is not UTF-8 text" in result.stderr
    assert copy.read_bytes() == SPEC.read_bytes()
    result = apigen("diff", f"{SPEC}@1.14.9", f"{SPEC}@1.14.10", "--operation", b"\xff")
    assert result.returncode == 2 and "'\\xff' is not UTF-8 text" in result.stderr


# -- file names that are not plain text: taken as they are, shown escaped ---------------------


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    """A spec in a folder whose name is not UTF-8 (the byte 0xff)."""
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9-\xff"))
    folder.mkdir()
    shutil.copyfile(SPEC, folder / "flow-logs.json")
    return folder


def utf8_files(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, decoded strictly (a file that is not UTF-8 fails)."""
    return {
        str(p.relative_to(folder)): p.read_bytes().decode("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_generate_from_a_folder_that_is_not_utf8(odd_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = apigen("generate", str(odd_folder / "flow-logs.json"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    shown = displayable(str(odd_folder))
    assert shown.endswith("/caf\\xe9-\\xff")
    files = utf8_files(out / "ec2")
    assert f"# Spec: {shown}/flow-logs.json (service ec2)" in files["validators.py"]
    assert json.loads(files["MANIFEST.json"])["generatedBy"][1].startswith(f"Spec: {shown}/")
    assert json.loads(files["reports/2020-02-04.json"])["old"]["label"].startswith(shown)
    assert f"{out}/ec2: 17 files" in result.stdout
    check = apigen("generate", str(odd_folder / "flow-logs.json"), "-o", str(out), "--check")
    assert check.returncode == 0, check.stderr
    imported = subprocess.run(
        [sys.executable, "-c", "import ec2.validators, ec2.shapes, ec2.protocol"],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr


def test_diff_into_a_folder_that_is_not_utf8(odd_folder: Path) -> None:
    spec = odd_folder / "flow-logs.json"
    shown = displayable(str(spec))
    for fmt in ("json", "html", "markdown", "text"):
        target = odd_folder / f"report.{fmt}"
        result = apigen(
            "diff", f"{spec}@1.14.9", f"{spec}@1.14.10", "--format", fmt, "-o", str(target)
        )
        assert result.returncode == 1, result.stderr
        text = target.read_bytes().decode("utf-8")
        assert shown in text or fmt in ("text", "json"), text[:300]
        if fmt == "json":
            assert json.loads(text)["old"]["source"] == f"{shown}@1.14.9"
        assert f"wrote {displayable(str(target))}" in result.stderr
    result = apigen("diff", f"{spec}@1.14.9", f"{spec}@1.14.10", "--format", "json")
    assert (
        result.returncode == 1
        and json.loads(result.stdout)["new"]["label"] == f"{shown}@2020-02-04"
    )


def test_a_file_name_never_becomes_code(tmp_path: Path) -> None:
    """A newline in a folder name ended the header comment: the rest of the line was Python
    in the generated module. Now it is ``\\n``, and the modules import without running it."""
    marker = tmp_path / "ran"
    folder = tmp_path / f'x\nopen({str(marker.name)!r}, "w")\n#'
    folder.mkdir()
    shutil.copyfile(SPEC, folder / "flow-logs.json")
    quotes = tmp_path / 'q"""\\N{'
    quotes.mkdir()
    shutil.copyfile(SPEC, quotes / "flow-logs.json")
    for source in (folder, quotes):
        out = tmp_path / "out"
        result = apigen("generate", str(source / "flow-logs.json"), "-o", str(out))
        assert result.returncode == 0, result.stderr
        header = (out / "ec2" / "validators.py").read_text(encoding="utf-8").splitlines()[1]
        assert (
            header
            == f"# Spec: {displayable(str(source))}/flow-logs.json (service ec2), version 2020-02-04"
        )
        imported = subprocess.run(
            [
                sys.executable,
                "-c",
                "import ec2.validators, ec2.shapes, ec2.protocol as p; print(p.__doc__)",
            ],
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
        )
        assert imported.returncode == 0, imported.stderr
        assert f"{displayable(str(source))}/flow-logs.json" in " ".join(imported.stdout.split())
        shutil.rmtree(out)
    assert not marker.exists() and not (tmp_path / "out" / "ec2" / "ran").exists()


def test_free_text_in_docstrings(tmp_path: Path) -> None:
    """A title or service name holding triple quotes and backslashes stays text."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["title"] = 'T """ \\N{x} end'
    document["metadata"]["serviceFullName"] = 'F """ \\x \u2028 end'
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "out"
    result = apigen("generate", str(spec), "-o", str(out))
    assert result.returncode == 0, result.stderr
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import ec2.protocol, ec2.validators as v; print(v.__doc__.splitlines()[0])",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == 'Parameter validators for T """ \\N{x} end.\n'


@pytest.mark.parametrize("version", ["2020\nimport os", "../../../escaped", "a b", "-x"])
def test_a_version_id_is_a_plain_name(tmp_path: Path, version: str) -> None:
    """A version id names report files (``reports/<version>.txt``) and follows ``@``: a path
    or a newline in it wrote outside the output folder or into a generated header."""
    document = json.loads(SPEC.read_text(encoding="utf-8"))
    document["versions"][1]["version"] = version
    text = json.dumps(document).replace('"since": "2020-02-04"', f'"since": {json.dumps(version)}')
    spec = tmp_path / "a" / "b" / "spec.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(text, encoding="utf-8")
    result = apigen("generate", str(spec), "-o", str(tmp_path / "a" / "b" / "out"))
    refused(result, "at /versions/1/version: ", "a name of letters, digits and . _ -")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "spec.json"]


def test_a_cache_folder_that_is_not_utf8(tmp_path: Path) -> None:
    cache = Path(os.fsdecode(bytes(tmp_path) + b"/cache-\xff"))
    env = dict(os.environ, PYTHONIOENCODING="utf-8", APIGEN_CACHE_DIR=str(cache))
    result = subprocess.run(
        [str(APIGEN), "generate", str(SPEC), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (cache / "format").is_dir()
