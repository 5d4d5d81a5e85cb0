"""``apigen serve`` as a process: the URL line, Ctrl-C/SIGTERM, --state surviving SIGKILL (flow
logs and the derived engine's records), state files it refuses, --accounts and
--verify-signatures, --settle-after, and the pytest fixture."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from codegen.server import running_server
from codegen.server.auth import account_of
from codegen.server.state import SCHEMA_VERSION
from tests.support.paths import ROOT, SPEC
from tests.support.server import THINGS, ec2, error_of, payload, post, things, xml_error

APIGEN = str(Path(sys.executable).parent / "apigen")


class Served:
    """``apigen serve ...`` in a subprocess; ``url`` once it printed it."""

    def __init__(self, *args: str, cwd: Path = ROOT) -> None:
        self.proc = subprocess.Popen(
            [APIGEN, "serve", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.stderr = self.proc.stderr
        line = self.proc.stdout.readline().strip()
        if not line.startswith("http://"):
            self.proc.kill()
            raise AssertionError(f"no URL: {line!r} {self.stderr.read()}")
        self.url = line

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, str]:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(20)
        finally:
            self.proc.kill()
        return code, self.stderr.read()


def test_serve_prints_url_and_stops_cleanly_on_sigterm_and_ctrl_c(tmp_path: Path) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):
        served = Served(str(SPEC), "--port", "0")
        assert served.url.startswith("http://127.0.0.1:")
        status, _, _ = post(served.url, "Action=DescribeFlowLogs&Version=2016-11-15")
        assert status == 200
        status, _, _ = post(served.url, "Action=DeleteFlowLogs&Version=2016-11-15")
        assert status == 400  # FlowLogIds is required
        status, _, _ = post(served.url, "Action=Nope&Version=2016-11-15")
        assert status == 400
        code, err = served.stop(sig)
        assert code == 0, err
        assert "ec2: behaviour: CreateFlowLogs, DeleteFlowLogs, DescribeFlowLogs" in err
        assert "ec2: example responses: -" in err
        assert "POST / DescribeFlowLogs 200" in err  # one log line per request
        assert "POST / DeleteFlowLogs 400" in err  # named though it did not validate
        assert "POST / - 400" in err  # no such operation
        assert "Traceback" not in err and "server stopped" in err


def test_quiet_logs_no_requests() -> None:
    served = Served("--quiet")  # no SPEC: every spec under ./specs
    post(served.url, "Action=DescribeFlowLogs&Version=2016-11-15")
    code, err = served.stop()
    assert code == 0 and "DescribeFlowLogs 200" not in err


def test_state_survives_sigkill_and_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    served = Served("--quiet", "--state", str(state))
    client = ec2(served.url)
    acknowledged = []
    for i in range(30):
        acknowledged += client.create_flow_logs(
            ResourceIds=[f"vpc-{i}", f"vpc-{i}x"],
            ResourceType="VPC",
            TrafficType="ALL",
            LogGroupName="g",
            ClientToken=f"t{i}",
        )["FlowLogIds"]
    served.proc.send_signal(signal.SIGKILL)
    served.proc.wait(10)
    again = Served("--quiet", "--state", str(state))
    try:
        client = ec2(again.url)
        found = [i["FlowLogId"] for i in payload(client.describe_flow_logs())["FlowLogs"]]
        assert found == acknowledged
        # client tokens survived too
        replay = client.create_flow_logs(
            ResourceIds=["vpc-0", "vpc-0x"],
            ResourceType="VPC",
            TrafficType="ALL",
            LogGroupName="g",
            ClientToken="t0",
        )
        assert replay["FlowLogIds"] == acknowledged[:2]
    finally:
        again.stop()


def _serve_fails(*args: str) -> str:
    done = subprocess.run(
        [APIGEN, "serve", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stderr.startswith("apigen: error: ") or "\nError: " in done.stderr, done.stderr
    return done.stderr


def test_state_files_it_refuses(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    with running_server(state=newer):
        pass
    db = sqlite3.connect(newer)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    err = _serve_fails("--state", str(newer))
    assert "has state schema version 99" in err and f"reads version {SCHEMA_VERSION}" in err
    db = sqlite3.connect(newer)  # the previous release's file too: no silent migration
    db.execute(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION - 1),)
    )
    db.commit()
    db.close()
    err = _serve_fails("--state", str(newer))
    assert f"has state schema version {SCHEMA_VERSION - 1}" in err
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    assert "not an apigen state file" in _serve_fails("--state", str(other))
    text = tmp_path / "notes.txt"
    text.write_text("my notes\n")
    assert "not an SQLite database" in _serve_fails("--state", str(text))
    assert text.read_text() == "my notes\n"  # never overwritten
    assert "is a directory" in _serve_fails("--state", str(tmp_path))


def test_bad_options_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "accounts.json"
    bad.write_text('{"AKID": "123"}')
    assert "account '123' is not 12 digits" in _serve_fails("--accounts", str(bad))
    bad.write_text("{")
    assert "line 1 column 2" in _serve_fails("--accounts", str(bad))
    assert "No such file" in _serve_fails("--accounts", str(tmp_path / "missing.json"))
    assert "--verify-signatures needs --accounts" in _serve_fails("--verify-signatures")
    assert "no such file" in _serve_fails(str(tmp_path / "nope.json")).lower()


@pytest.fixture(scope="module")
def accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accounts") / "accounts.json"
    path.write_text(
        json.dumps(
            {
                "AKIDALICE": {"account": "111122223333", "secret": "alice-secret"},
                "AKIDALICE2": {"account": "111122223333", "secret": "alice-other-secret"},
                "AKIDBOB": "444455556666",
            }
        )
    )
    return path


def test_accounts_file_maps_keys_to_accounts(accounts_file: Path) -> None:
    with running_server(accounts=accounts_file) as server:
        alice, alice2 = ec2(server.url, "AKIDALICE"), ec2(server.url, "AKIDALICE2")
        [created] = alice.create_flow_logs(
            ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL", LogGroupName="g"
        )["FlowLogIds"]
        # two keys of one account share its flow logs
        [seen] = payload(alice2.describe_flow_logs())["FlowLogs"]
        assert seen["FlowLogId"] == created
        assert seen["LogDestination"] == "arn:aws:logs:us-east-1:111122223333:log-group:g"
        bob = ec2(server.url, "AKIDBOB")
        assert payload(bob.describe_flow_logs())["FlowLogs"] == []
        bob.create_flow_logs(
            ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL", LogGroupName="g"
        )
        assert (
            ":444455556666:" in payload(bob.describe_flow_logs())["FlowLogs"][0]["LogDestination"]
        )
        stranger = ec2(server.url, "AKIDSTRANGER")
        stranger.create_flow_logs(
            ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL", LogGroupName="g"
        )
        arn = payload(stranger.describe_flow_logs())["FlowLogs"][0]["LogDestination"]
        assert arn.split(":")[4] == account_of("AKIDSTRANGER")


def test_unmapped_keys_get_stable_distinct_accounts() -> None:
    digest = hashlib.sha256(b"AKIDX").digest()
    assert (
        account_of("AKIDX")
        == account_of("AKIDX")
        == f"{int.from_bytes(digest[:8], 'big') % 10**12:012d}"
    )
    assert len({account_of(f"AKID{i}") for i in range(1000)}) == 1000


def test_verify_signatures(accounts_file: Path) -> None:
    with running_server(accounts=accounts_file, verify_signatures=True) as server:
        good = ec2(server.url, "AKIDALICE", secret="alice-secret")
        assert payload(good.describe_flow_logs())["FlowLogs"] == []
        good.create_flow_logs(
            ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL", LogGroupName="g"
        )
        good_get = ec2(server.url, "AKIDALICE2", region="eu-west-1", secret="alice-other-secret")
        assert payload(good_get.describe_flow_logs())["FlowLogs"] == []
        for key, secret in (
            ("AKIDALICE", "wrong"),
            ("AKIDALICE2", "alice-secret"),
            ("AKIDBOB", "anything"),
            ("AKIDNOBODY", "x"),
        ):
            with pytest.raises(ClientError) as excinfo:
                ec2(server.url, key, secret=secret).describe_flow_logs()
            assert error_of(excinfo)[:2] == ("AuthFailure", 401), key
        status, body, _ = post(server.url, "Action=DescribeFlowLogs&Version=2016-11-15")
        assert status == 401 and xml_error(body)[0] == "MissingAuthenticationToken"
        # a signed request whose body was changed after signing
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials

        request = botocore.awsrequest.AWSRequest(
            method="POST",
            url=server.url + "/",
            data=b"Action=DescribeFlowLogs&Version=2016-11-15",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        botocore.auth.SigV4Auth(
            botocore.credentials.Credentials("AKIDALICE", "alice-secret"), "ec2", "us-east-1"
        ).add_auth(request)
        headers = dict(request.headers.items())
        signed = request.body
        assert isinstance(signed, bytes)
        status, body, _ = post(server.url, signed, headers=headers)
        assert status == 200, body
        status, body, _ = post(server.url, signed + b"&MaxResults=5", headers=headers)
        assert status == 401 and xml_error(body)[0] == "AuthFailure"


def test_pytest_fixture_through_the_entry_point(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent("""
        import boto3

        def _client(server):
            return boto3.client("ec2", endpoint_url=server.url, region_name="us-east-1",
                                aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="x")

        def test_create(apigen_server):
            ec2 = _client(apigen_server)
            ec2.create_flow_logs(ResourceIds=["vpc-1"], ResourceType="VPC", TrafficType="ALL",
                                 LogGroupName="g")
            assert len(ec2.describe_flow_logs()["FlowLogs"]) == 1

        def test_state_was_reset(apigen_server):
            assert _client(apigen_server).describe_flow_logs()["FlowLogs"] == []
    """)
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--apigen-spec",
            str(SPEC),
            str(tmp_path / "test_user.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def _readme_blocks(marker: str) -> list[str]:
    """The fenced blocks of the README and the docs pages that hold ``marker``."""
    import re

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    text = "".join(page.read_text(encoding="utf-8") for page in pages)
    blocks = re.findall(r"^```\w*\n(.*?)^```\s*$", text, re.DOTALL | re.MULTILINE)
    return [b for b in blocks if marker in b]


def test_readme_examples_run(tmp_path: Path) -> None:
    """The server examples of the README and docs/stub-server.md (plain fences:
    tests/test_readme.py runs Python blocks from generated/ec2 under mypy, which cannot follow
    the editable install to codegen.server)."""
    scripts = _readme_blocks("with running_server() as server:")
    assert scripts
    for script in scripts:
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    [fixture] = _readme_blocks("def test_it(apigen_server")
    (tmp_path / "test_readme_fixture.py").write_text(fixture)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--apigen-spec",
            str(SPEC),
            str(tmp_path / "test_readme_fixture.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr


def test_unservable_specs_and_ports_are_clear_errors(tmp_path: Path) -> None:
    from codegen.generators.protocol import supported_protocols

    schema = json.loads((ROOT / "specs" / "spec.schema.json").read_text(encoding="utf-8"))
    metadata = schema["properties"]["metadata"]
    if "$ref" in metadata:  # "#/$defs/metadata"
        metadata = schema["$defs"][metadata["$ref"].rsplit("/", 1)[1]]
    protocols = metadata["properties"]["protocol"]["enum"]
    unspoken = [p for p in protocols if p not in supported_protocols()]
    if unspoken:  # a spec of a protocol not spoken yet is refused, naming it and those spoken
        document = json.loads(SPEC.read_text(encoding="utf-8"))
        document["metadata"]["protocol"] = unspoken[0]
        spec = tmp_path / "specs" / "ec2" / "other.json"
        spec.parent.mkdir(parents=True)
        spec.write_text(json.dumps(document), encoding="utf-8")
        err = _serve_fails(str(spec))
        assert "no protocol layer" in err and repr(unspoken[0]) in err, err
        assert all(p in err for p in supported_protocols()), err
    served = Served("--quiet")
    try:
        port = served.url.rsplit(":", 1)[1]
        assert "cannot listen on 127.0.0.1:" + port in _serve_fails("--port", port)
    finally:
        served.stop()
    empty = tmp_path / "empty"
    empty.mkdir()
    done = subprocess.run(
        [APIGEN, "serve"], cwd=empty, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2 and "no SPEC given" in done.stderr, done.stderr


# -- the derived engine's state and its settle option ------------------------------------------


def test_records_survive_sigkill_and_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    served = Served(str(THINGS), "--quiet", "--state", str(state))
    client = things(served.url)
    made = [
        client.create_thing(Name=f"t{i}", ClientToken=f"tok{i}")["Thing"]["ThingId"]
        for i in range(20)
    ]
    client.create_tags(Resources=made[:2], Tags=[{"Key": "k", "Value": "v"}])
    client.delete_thing(ThingId=made[-1])
    served.proc.send_signal(signal.SIGKILL)
    served.proc.wait(10)
    again = Served(str(THINGS), "--quiet", "--state", str(state))
    try:
        client = things(again.url)
        listed = client.describe_things()["Things"]
        assert [t["ThingId"] for t in listed] == made[:-1]
        assert listed[0]["Tags"] == [{"Key": "k", "Value": "v"}]
        replay = client.create_thing(Name="t0", ClientToken="tok0")["Thing"]
        assert replay["ThingId"] == made[0]  # the client token survived too
    finally:
        again.stop()


def test_settle_after_option(tmp_path: Path) -> None:
    for args, first in (((), "pending"), (("--settle-after", "0"), "available")):
        served = Served(str(THINGS), *args)
        try:
            created = things(served.url).create_thing(Name="x")["Thing"]
            assert created["State"]["Name"] == first
        finally:
            code, err = served.stop()
        assert code == 0, err
        assert "ec2: behaviour: -" in err
        assert (
            "ec2: derived from the model: CreateTags, CreateThing, DeleteTags, DeleteThing, "
            "DescribeTags, DescribeThingAttribute, DescribeThings, ModifyThingAttribute, "
            "StartThings, StopThings" in err
        )
        assert "ec2: example responses: DescribeRegions" in err
    err = _serve_fails(str(THINGS), "--settle-after", "-1")
    assert "--settle-after" in err and "-1" in err
