#!/usr/bin/env python3
"""Which HTTP server to run the stub server on: one trivial app (a fixed 600-byte XML body),
served by each candidate in its own process on loopback, one client over keep-alive.

    .venv/bin/python tools/bench_http_servers.py

Candidates installed with this project or the bench extra: uvicorn with httptools, uvicorn
with h11 (both ASGI), werkzeug's threaded WSGI server (what moto's ThreadedMotoServer uses).
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import time

BODY = "<x>" + "a" * 600 + "</x>"
SERVERS = {
    "uvicorn + httptools (ASGI)": f"""
import socket, sys, uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({{"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/xml"), (b"content-length", b"{len(BODY)}")]}})
    await send({{"type": "http.response.body", "body": b"{BODY}"}})
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0)); sock.listen(128)
print(sock.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, http="HTTP", log_level="warning", lifespan="off")).run(sockets=[sock])
""",
    "werkzeug threaded (WSGI)": f"""
from werkzeug.serving import make_server
def app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", "{len(BODY)}")])
    return [b"{BODY}"]
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
""",
}


def rate(port: int, n: int = 2000) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(n):
            conn.request(
                "POST",
                "/",
                body=b"Action=DescribeFlowLogs&Version=2016-11-15",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            conn.getresponse().read()
        best = max(best, n / (time.perf_counter() - start))
    conn.close()
    return best


def main() -> None:
    cases = {}
    for name, code in SERVERS.items():
        for parser in ("httptools", "h11") if "uvicorn" in name else ("",):
            label = name.replace("httptools", parser) if parser else name
            proc = subprocess.Popen(
                [sys.executable, "-c", code.replace('"HTTP"', repr(parser))],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            try:
                cases[label] = rate(int(proc.stdout.readline()))  # type: ignore[union-attr]
            finally:
                proc.terminate()
                proc.wait(10)
    for label, value in sorted(cases.items(), key=lambda kv: -kv[1]):
        print(f"{label:<32} {value:>9.0f} req/s")


if __name__ == "__main__":
    main()
