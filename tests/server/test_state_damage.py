"""A state file damaged on disk (issue 15): garbage written into its middle. Before, the server
started on it, answered every describe with a 500 (``DatabaseError: malformed``) and every
create with a 200.

Now ``apigen serve`` checks the file when it opens it (``PRAGMA quick_check``) and refuses a
damaged one (exit 2, the problems named, the file left as it is); damage found while serving
is said once on standard error, the request in hand gets no answer at all (never a 5xx, which
SDKs retry) and the process exits 2, for its supervisor to restart (which then refuses the
file until it is restored). Everything acknowledged before was committed: the backup taken
before the damage holds every flow log created. Real processes, real files, real SQLite.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from codegen.server.state import State, StateFileError
from tests.support.paths import SPEC
from tests.support.server import post

APIGEN = str(Path(sys.executable).parent / "apigen")
DESCRIBE = "Action=DescribeFlowLogs&Version=2016-11-15"


def serve(state: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [APIGEN, "serve", str(SPEC), "--state", str(state), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def create(url: str, batch: int) -> None:
    """1000 flow logs in one CreateFlowLogs (each acknowledged once this returns)."""
    ids = "&".join(f"ResourceId.{j + 1}=vpc-{batch:04d}{j:04d}" for j in range(1000))
    body = (
        "Action=CreateFlowLogs&Version=2016-11-15&ResourceType=VPC&TrafficType=ALL"
        f"&LogGroupName=logs-{batch}&{ids}"
    )
    status, answer, _ = post(url, body)
    assert status == 200 and answer.count(b"<item>fl-") == 1000, answer[:300]


def count(url: str) -> int:
    status, body, _ = post(url, DESCRIBE)
    assert status == 200, body[:300]
    return body.count(b"<flowLogId>")


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state file of 20,000 flow logs (about 22 MB: more than SQLite's page cache holds),
    written by a server stopped cleanly."""
    state = tmp_path_factory.mktemp("state") / "state.db"
    proc, url = serve(state)
    try:
        for batch in range(20):
            create(url, batch)
        assert count(url) == 20_000
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    return state


def damage(path: Path) -> None:
    """1 MiB of garbage over the middle of the file."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(1 << 20))


def test_a_damaged_file_is_refused_at_start(filled: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    shutil.copyfile(filled, state)
    damage(state)
    before = state.read_bytes()
    proc, url = serve(state)
    assert url == ""  # no URL: it never served
    assert proc.wait(60) == 2
    assert proc.stderr is not None
    err = proc.stderr.read()
    assert f"apigen: error: state file {state}: is damaged (SQLite's quick_check: " in err, err
    assert "refusing to use it" in err and "Traceback" not in err and err.count("\n") == 1
    assert state.read_bytes() == before  # left as it was


def test_damage_found_while_serving_stops_the_server(filled: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    shutil.copyfile(filled, state)
    backup = tmp_path / "backup.db"
    proc, url = serve(state)
    create(url, 20)  # acknowledged: committed before the answer
    assert count(url) == 21_000
    os.kill(proc.pid, 0)
    shutil.copyfile(state, backup)
    if (wal := state.with_name("state.db-wal")).exists():
        shutil.copyfile(wal, backup.with_name("backup.db-wal"))
    damage(state)
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=30)
    connection.request(
        "POST", "/", DESCRIBE, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        connection.getresponse()  # no answer at all: not a 500
    assert proc.wait(30) == 2
    assert proc.stderr is not None
    err = proc.stderr.read()
    assert err.count("cannot be used any more") == 1, err  # said once
    assert f"state file {state}: cannot be used any more (database disk image is malformed)" in err
    assert "Traceback" not in err and "Internal" not in err
    restarted, url = serve(state)  # what a supervisor does: refused until restored
    assert url == "" and restarted.wait(60) == 2
    shutil.copyfile(backup, state)
    state.with_name("state.db-wal").unlink(missing_ok=True)
    if backup.with_name("backup.db-wal").exists():
        shutil.copyfile(backup.with_name("backup.db-wal"), state.with_name("state.db-wal"))
    restored, url = serve(state)
    try:
        assert count(url) == 21_000  # every acknowledged flow log
    finally:
        restored.send_signal(signal.SIGTERM)
        assert restored.wait(30) == 0


def test_a_file_too_large_to_check_in_time_is_used_with_a_warning(filled: Path) -> None:
    """The check at start is bounded in time (``CHECK_SECONDS``): a larger file is used, said
    so, and damage found later is handled as above."""
    with pytest.raises(StateFileError):
        State(filled.with_name("missing") / "state.db")
    state = State(filled)
    try:
        assert state.warning is None
        assert state._check(seconds=0.0) is not None
        assert "not checked for damage" in str(state._check(seconds=0.0))
    finally:
        state.close()
