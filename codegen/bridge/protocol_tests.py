"""botocore's protocol test suite: fetched from botocore's source distribution, cached.

botocore's sdist (not its wheel) ships ``tests/unit/protocols/{input,output}/<protocol>.json``:
for each protocol, cases of params and the request botocore must send for them, and of
response bodies and the result botocore must parse from them, each case with its own little
model. :func:`fetch_protocol_tests` downloads the sdist with pip (as this machine configures
it), keeps only those files (and botocore's own ignore list) under
``<cache>/botocore-protocol-tests/<version>/`` and works offline once cached. The tests run
the cases in reverse against the generated protocol layer.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from codegen.bridge.releases import cache_root, pip_download
from codegen.errors import BotocoreFetchError

FOLDER = "botocore-protocol-tests"
_PREFIX = PurePosixPath("tests/unit/protocols")


def protocol_tests_dir(version: str) -> Path:
    return cache_root() / FOLDER / version


def fetch_protocol_tests(version: str) -> Path:
    """The folder holding ``input/`` and ``output/`` of botocore ``version``'s protocol tests,
    downloaded (the sdist, with pip) and cached on first use."""
    target = protocol_tests_dir(version)
    if (target / "input").is_dir() and (target / "output").is_dir():
        return target
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".staging-{version}-", dir=parent))
    except OSError as error:
        raise BotocoreFetchError(
            version=version, reason=f"cannot write {parent}: {error}"
        ) from None
    try:
        sdist = pip_download(version, staging / "sdist", sdist=True)
        extracted = staging / "tests"
        _extract(version, sdist, extracted)
        try:
            os.rename(extracted, target)
        except OSError:
            if not (target / "input").is_dir():
                raise
    except OSError as error:
        raise BotocoreFetchError(
            version=version, reason=f"cannot write {target}: {error}"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def load_suite(version: str, direction: str, protocol: str) -> list[dict[str, Any]]:
    """The test suites of one protocol, ``direction`` ``input`` or ``output``."""
    path = fetch_protocol_tests(version) / direction / f"{protocol}.json"
    suites: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return suites


def load_ignore_list(version: str) -> dict[str, Any]:
    """botocore's own list of the protocol tests it skips."""
    path = fetch_protocol_tests(version) / "protocol-tests-ignore-list.json"
    ignored: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return ignored


def _extract(version: str, sdist: Path, dest: Path) -> None:
    """Copy the protocol test files out of the sdist (by name, never by the archive's paths)."""
    try:
        with tarfile.open(sdist, "r:gz") as archive:
            for member in archive:
                parts = PurePosixPath(member.name).parts[1:]  # below botocore-<version>/
                path = PurePosixPath(*parts) if parts else PurePosixPath()
                if not member.isfile() or path.suffix != ".json":
                    continue
                if path.parent == _PREFIX:
                    relative = PurePosixPath(path.name)  # e.g. botocore's ignore list
                elif path.parent.parent == _PREFIX and path.parent.name in ("input", "output"):
                    relative = path.relative_to(_PREFIX)
                else:
                    continue
                stream = archive.extractfile(member)
                if stream is None:
                    continue
                out = dest.joinpath(*relative.parts)
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(stream.read())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BotocoreFetchError(
            version=version, reason=f"cannot read the source distribution: {error}"
        ) from None
    if not (dest / "input").is_dir() or not (dest / "output").is_dir():
        raise BotocoreFetchError(
            version=version, reason="the source distribution has no tests/unit/protocols"
        )
