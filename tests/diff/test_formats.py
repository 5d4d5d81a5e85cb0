"""The report formats: json against its schema, markdown, and html as a person sees it in a
headless Chromium (skipped, with the reason, when Chromium is not installed). No network."""

from __future__ import annotations

import copy
import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from codegen.diff import diff, parse_source
from codegen.diff.formats import render
from codegen.diff.report import DiffReport
from codegen.diff.rules import RULES
from tests.support.paths import DIFF_DEMO as DEMO
from tests.support.paths import ROOT, SPEC

SCHEMA = ROOT / "specs" / "diff-report.schema.json"


def demo_pair(tmp_path: Path) -> tuple[Path, Path]:
    """The demo service and a later version of it with many kinds of change at once."""
    raw: dict[str, Any] = json.loads((DEMO / "service-2.json").read_text(encoding="utf-8"))
    new = copy.deepcopy(raw)
    shapes = new["shapes"]
    shapes["PutThingRequest"]["members"].pop("Note")  # RemovedMember (breaking)
    shapes["PutThingRequest"]["required"].append("Kind")  # MadeRequired (breaking)
    shapes["Kind"]["enum"].append("huge")  # AddedEnumValue
    shapes["Name"]["max"] = 32  # TightenedLength
    shapes["Thing"]["members"]["Owner"] = {"shape": "String"}  # AddedMember
    shapes["Tag"]["members"]["Key"]["locationName"] = "key"  # ChangedWireName
    new["operations"]["GetThing"]["documentation"] = "<p>Gets one thing.</p>"  # docs only
    new["operations"].pop("ListThings")  # RemovedOperation
    new["operations"]["PutThing"]["errors"].append({"shape": "Conflict"})  # AddedError
    folder = tmp_path / "demo" / "2020-02-02"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(new), encoding="utf-8")
    return DEMO / "service-2.json", folder / "service-2.json"


@pytest.fixture
def demo_report(tmp_path: Path) -> DiffReport:
    old, new = demo_pair(tmp_path)
    return diff(parse_source(str(old), "OLD"), parse_source(str(new), "NEW"))


def spec_report(old: str, new: str) -> DiffReport:
    return diff(parse_source(f"{SPEC}@{old}", "OLD"), parse_source(f"{SPEC}@{new}", "NEW"))


# -- json ------------------------------------------------------------------------------------


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_lists_every_rule() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$defs"]["change"]["properties"]["rule"]["enum"] == [r.id for r in RULES]


@pytest.mark.parametrize(
    "versions", [("1.14.9", "1.14.10"), ("1.14.10", "1.14.9"), ("1.14.10", "1.14.10")]
)
def test_json_of_spec_diffs_is_valid(versions: tuple[str, str]) -> None:
    document = json.loads(render(spec_report(*versions), "json"))
    errors = sorted(validator().iter_errors(document), key=str)
    assert not errors, "\n".join(str(e) for e in errors)


def test_json_carries_every_change(demo_report: DiffReport) -> None:
    document = json.loads(render(demo_report, "json"))
    assert not list(validator().iter_errors(document))
    # A change reached from many places is listed once, under its service's "shared" (grouping).
    shared = [g for s in document["services"] for g in s["shared"]]
    rules = {c["rule"] for c in document["changes"]} | {g["rule"] for g in shared}
    assert {
        "RemovedMember",
        "MadeRequired",
        "AddedEnumValue",
        "TightenedLength",
        "AddedMember",
        "ChangedWireName",
        "ChangedDocumentation",
        "RemovedOperation",
        "AddedError",
    } <= rules
    # every change is accounted for exactly once: listed, or counted in its shared group
    assert (
        len(document["changes"]) + sum(g["changes"] for g in shared)
        == document["summary"]["total"]
    )
    one = next(c for c in document["changes"] if c["rule"] == "RemovedMember")
    assert one == {
        "service": "demo",
        "operation": "PutThing",
        "direction": "request",
        "path": "Note",
        "rule": "RemovedMember",
        "kind": "member",
        "severity": "breaking",
        "message": "member removed (string)",
        "subject": "",
        "old": "string",
        "new": None,
        "fingerprint": one["fingerprint"],
    }
    listed = sum(c["severity"] == "breaking" for c in document["changes"])
    assert document["summary"]["breaking"] == listed + sum(
        g["severities"]["breaking"] for g in shared
    )


# -- markdown --------------------------------------------------------------------------------


def test_markdown(demo_report: DiffReport) -> None:
    md = render(demo_report, "markdown")
    assert md.startswith("# API changes: ")
    assert "## Demo Service (`demo`)" in md
    assert "### PutThing (updated) — **BREAKING**" in md
    assert "| **BREAKING** | request | `Note` | member removed (string) | `RemovedMember` |" in md
    assert "### ListThings (removed)" in md
    # the enum Kind is reached from 3 places: its new value is one shared row, not in each dict
    assert (
        "| dangerous | `Kind` | enum value 'huge' added | `AddedEnumValue` | 3 places in 2 operation(s): "
        in md
    )
    assert "{'Kind': {'huge'}}" not in md
    assert "Shared changes (above): `Name`, `Tag.Key`, `Kind`" in md
    # enum signatures contain '|': escaped inside table cells
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows and all(line.replace("\\|", "").count("|") in (6, 7) for line in rows)
    # documentation changes are folded away under their operation
    assert "<details><summary>Documentation changes (1)</summary>" in md
    assert (
        "| docs | operation |  | operation documentation changed | `ChangedDocumentation` |" in md
    )


def test_markdown_of_the_seed_change_has_its_summary() -> None:
    md = render(spec_report("1.14.9", "1.14.10"), "markdown", details=True)
    assert "> Amazon VPC Flow Logs adds support for 1-minute aggregation intervals." in md
    assert (
        "Changes (response)\n\n```python\n{'FlowLogs': {'MaxAggregationInterval': 'integer'}}\n```"
        in md
    )
    assert "<summary>Documentation of CreateFlowLogs</summary>" in md


# -- html ------------------------------------------------------------------------------------


def test_html_is_self_contained(demo_report: DiffReport) -> None:
    page = render(demo_report, "html", details=True)
    assert page.startswith("<!DOCTYPE html>")
    for external in ("<script", "<link", "src=", "@import", "url("):
        assert external not in page


def test_html_escapes_model_text(tmp_path: Path) -> None:
    raw = json.loads((DEMO / "service-2.json").read_text(encoding="utf-8"))
    raw["metadata"]["serviceFullName"] = "Demo <script>alert(1)</script> & Co"
    folder = tmp_path / "demo" / "2020-03-03"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(raw), encoding="utf-8")
    page = render(
        diff(parse_source(str(DEMO / "service-2.json"), "OLD"), parse_source(str(folder), "NEW")),
        "html",
    )
    assert "<script>" not in page
    assert "Demo &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


def chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def run_chromium(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    binary = chromium()
    if binary is None:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium); cannot look at the page"
        )
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


def visible_text(dom: str) -> str:
    import html
    import re

    body = re.sub(r"(?s)<(style|script)[^>]*>.*?</\1>", " ", dom)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_html_in_a_browser(demo_report: DiffReport, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render(demo_report, "html"), encoding="utf-8")
    dom = run_chromium(page, tmp_path, "--dump-dom").stdout.decode("utf-8")
    text = visible_text(dom)
    assert "Demo Service" in text
    for operation in ("PutThing", "ListThings", "GetThing"):
        assert operation in text
    # every breaking change is a row marked BREAKING, and only those
    import re

    # (a change reached from many places is one row of its own: grouping)
    rows = re.findall(
        r'<tr class="(?:change|shared) sev-(\S+)"[^>]*>(.*?)</tr>', dom, flags=re.DOTALL
    )
    breaking = [body for sev, body in rows if sev == "breaking"]
    held = {id(c) for s in demo_report.services for g in s.shared for c in g.changes}
    groups = [g for s in demo_report.services for g in s.shared if g.severity == "breaking"]
    own = sum(c.severity == "breaking" for c in demo_report.changes if id(c) not in held)
    assert len(breaking) == own + len(groups) and own > 0 and groups
    assert all("BREAKING" in body for body in breaking)
    assert not any("BREAKING" in body for sev, body in rows if sev != "breaking")
    assert "member removed (string)" in visible_text("".join(breaking))

    # ... and what it looks like: the BREAKING badges are drawn in red
    shot = tmp_path / "report.png"
    run_chromium(page, tmp_path, "--window-size=1200,1600", f"--screenshot={shot}")
    width, height, pixels = read_png(shot.read_bytes())
    red = sum(1 for r, g, b in pixels if r > 180 and g < 70 and b < 80)
    assert red > 200, f"no red BREAKING badge visible in the {width}x{height} screenshot"


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) to RGB pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    assert header is not None
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for y in range(height):
        start = y * (stride + 1)
        ftype, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        pixels.extend((line[i], line[i + 1], line[i + 2]) for i in range(0, stride, bpp))
        previous = line
    return width, height, pixels


# -- text ------------------------------------------------------------------------------------


def test_text_lists_what_the_dict_cannot_show(demo_report: DiffReport) -> None:
    text = render(demo_report, "text")
    assert "Demo Service - 2 updated 1 removed api methods" in text
    # Kind, Name and Tag.Key are each reached from 3 places: reported once, above (grouping)
    assert (
        "GetThing (updated) Link ¶\nChanges (response)\n{'Thing': {'Owner': 'string'}}\n" in text
    )
    assert (
        "Changes shared by many places\nName: maximum 64 -> 32 [request: breaking, response: non-breaking]\n"
        "  reached from 3 places in 2 operation(s): PutThing request Name; PutThing response Thing.Name; "
        "GetThing response Thing.Name\n"
    ) in text
    assert "Kind: enum value 'huge' added [request: non-breaking, response: dangerous]" in text
    assert text.count("Shared changes (above): Name, Tag.Key, Kind") == 2
    assert "- Note: member removed (string) [breaking]" in text
    assert "- Kind: now required [breaking]" in text
    assert "Changes (operation)\n- new error Conflict [dangerous]" in text
    assert "ListThings (removed) Link ¶" in text
    assert text.rstrip().endswith("GetThing: operation")
    assert "Documentation changes" in text


def test_text_without_changes() -> None:
    assert render(spec_report("1.14.10", "1.14.10"), "text") == (
        f"No changes from {spec_report('1.14.10', '1.14.10').old.label} to "
        f"{spec_report('1.14.10', '1.14.10').new.label}.\n"
    )
