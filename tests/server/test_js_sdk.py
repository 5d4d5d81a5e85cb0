"""The AWS SDK for JavaScript v3 (@aws-sdk/client-ec2) against the stub server.

``make test`` installs it under tests/server/js/ with npm where Node is present; without Node or
the installed SDK this test skips, saying why.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from codegen.server import running_server
from tests.support.paths import ROOT

JS = ROOT / "tests" / "server" / "js"


def test_javascript_sdk_v3() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed (make test installs the JS SDK where it is)")
    if not (JS / "node_modules" / "@aws-sdk" / "client-ec2").is_dir():
        pytest.skip(
            "@aws-sdk/client-ec2 is not installed: run 'npm ci' in tests/server/js (make test does)"
        )
    with running_server() as server:
        done = subprocess.run(
            [node, str(JS / "flow.mjs"), server.url],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert len(seen["created"]) == 7 and all(
        re.fullmatch(r"fl-[0-9a-f]{17}", i) for i in seen["created"]
    )
    assert seen["clientToken"] == "js-token"
    assert [len(p) for p in seen["pages"]] == [2, 2, 1]
    items = [item for page in seen["pages"] for item in page]
    assert [i[0] for i in items] == seen["created"][:5]  # filtered, in creation order
    assert [i[1] for i in items] == [f"vpc-js{i}" for i in range(5)]
    assert all(i[2] == 60 and i[3] is True for i in items)
    assert seen["error"]["code"] == "InvalidFilter" and seen["error"]["status"] == 400
    assert seen["unsuccessful"] == [["fl-0123456789abcdef0", "InvalidFlowLogId.NotFound"]]
    assert seen["left"] == 0
