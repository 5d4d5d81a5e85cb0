"""botocore releases: fetch them from the package index and cache their service models.

A :class:`Release` is a read-only view of one botocore release's ``data`` folder, which holds
``<service>/<api-version>/service-2.json`` (``service-2.json.gz`` in newer releases) and, for
most services, ``paginators-1.json[.gz]`` next to it. It comes from one of two places:

* :func:`installed_release` -- the botocore importable in this interpreter, read in place;
* :func:`fetch_release` -- any published release, downloaded once with the package client
  as configured on this machine (``python -m pip download``) and cached.

Cache layout (the root is :func:`cache_root`)::

    <cache_root>/botocore/
        <version>/
            data/<service>/<api-version>/service-2.json[.gz]   the wheel's botocore/data/
            manifest.json                                       written last
        .staging-<version>-<random>/                            a fetch in progress

``manifest.json`` holds ``{"version", "build_date", "services": {name: {"api_version",
"sha256", "paginators_sha256"}}}``: the newest API version of each service, the SHA-256 of its
*decompressed* paginators file there (null: none), the SHA-256 of its *decompressed*
service-2 bytes, and the date of the newest ``botocore/data/`` entry in the wheel (the day
the release was built). A release is cached exactly when its manifest exists; then it is
used without any network access, so cached releases work offline.

The cache is not trusted blindly: once per process, before a cached release is used, each
file the manifest has a digest for is checked against it (hashed again only when its size or
modification time changed since it was last found intact: ``verified.json``, a memo). A
damaged or incomplete entry is an error naming the file; ``apigen botocore fetch VERSION``
checks every file and downloads a damaged entry again, ``--force`` in any case.

A fetch downloads and extracts into a private staging folder inside the cache root, renames
the extracted folder to ``<version>/data`` in one step and only then writes the manifest
(atomically, too). An interrupted fetch therefore leaves no half-written cache entry, and of
two concurrent fetches of one release the loser simply uses the winner's folder.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, NoReturn

from codegen.errors import BotocoreFetchError, ModelFileError, SpecProblem, displayable
from codegen.files import surrogate_problems
from codegen.model import release_problem

__all__ = [
    "Release",
    "cache_root",
    "fetch_release",
    "installed_release",
    "resolve_release",
]

_SHA256_RE = re.compile(r"[0-9a-f]{64}")
_WHEEL_DATA_PREFIX = "botocore/data/"
_MODEL_NAMES = ("service-2.json", "service-2.json.gz")
_PAGINATOR_NAMES = ("paginators-1.json", "paginators-1.json.gz")
_STAGING_PREFIX = ".staging-"
_STALE_STAGING_SECONDS = 24 * 3600
_PIP_TIMEOUT_SECONDS = 900

# Phrases in pip's output that mean the index could not be reached (as opposed to the index
# answering that no such version exists).
_NETWORK_TROUBLE = (
    "Retrying (",
    "NewConnectionError",
    "Failed to establish a new connection",
    "Max retries exceeded",
    "Could not fetch URL",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "ProxyError",
    "Temporary failure in name resolution",
    "Name or service not known",
    "connection broken",
    "Network is unreachable",
)
_NOT_FOUND = ("Could not find a version that satisfies", "No matching distribution found")


def cache_root() -> Path:
    """Where apigen caches data: ``$APIGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/apigen``,
    else ``~/.cache/apigen``."""
    explicit = os.environ.get("APIGEN_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "apigen"
    return Path.home() / ".cache" / "apigen"


class Release:
    """One botocore release's data folder (a read-only view)."""

    def __init__(
        self,
        version: str,
        data_dir: Path,
        *,
        build_date: date | None = None,
        installed: bool = False,
        digests: Mapping[str, str] | None = None,
        paginator_digests: Mapping[str, str | None] | None = None,
        services: list[str] | None = None,
    ) -> None:
        self.version = version
        self.data_dir = data_dir
        self.build_date = build_date
        self.installed = installed
        # Digests of the newest model of each service: from the manifest, else memoized here.
        self._digests: dict[str, str] = dict(digests or {})
        self._paginator_digests: dict[str, str | None] = dict(paginator_digests or {})
        self._services = sorted(services) if services is not None else None
        self._api_versions: dict[str, list[str]] = {}

    def __repr__(self) -> str:
        where = "installed" if self.installed else "cached"
        return f"Release({self.version!r}, {where}, data_dir={str(self.data_dir)!r})"

    def services(self) -> list[str]:
        """The sorted names of the services that have a service-2 model."""
        if self._services is None:
            self._services = sorted(
                entry.name
                for entry in _subdirs(self.data_dir)
                if any(_find(version_dir, _MODEL_NAMES) for version_dir in _subdirs(entry))
            )
        return list(self._services)

    def api_versions(self, service: str) -> list[str]:
        """The sorted API-version folder names of ``service`` that hold a service-2 model."""
        if not _is_plain_name(service):
            return []
        known = self._api_versions.get(service)
        if known is None:  # a release is read-only: list each folder once
            known = sorted(
                version_dir.name
                for version_dir in _subdirs(self.data_dir / service)
                if _find(version_dir, _MODEL_NAMES)
            )
            self._api_versions[service] = known
        return list(known)

    def model_path(self, service: str, api_version: str | None = None) -> Path:
        """The service-2 file (``.json`` or ``.json.gz``); the newest API version by default."""
        folder = self._version_dir(service, api_version)
        path = _find(folder, _MODEL_NAMES)
        assert path is not None  # _version_dir only returns folders that hold a model
        return path

    def load_model(self, service: str, api_version: str | None = None) -> dict[str, Any]:
        """The parsed service-2 model, with ``service-2.sdk-extras.json`` merged in as botocore's
        loader merges it (S3's ``Expires`` becomes a timestamp)."""
        path = self.model_path(service, api_version)
        return self._with_extras(self._load_json(path), path.parent, "service-2")

    def load_paginators(
        self, service: str, api_version: str | None = None
    ) -> dict[str, Any] | None:
        """The ``pagination`` dict of the service's paginators-1 file (its sdk-extras merged in),
        or None if it has none."""
        folder = self._version_dir(service, api_version)
        path = _find(folder, _PAGINATOR_NAMES)
        if path is None:
            return None
        pagination = self._with_extras(self._load_json(path), folder, "paginators-1").get(
            "pagination"
        )
        return pagination if isinstance(pagination, dict) else None

    def _with_extras(self, document: dict[str, Any], folder: Path, kind: str) -> dict[str, Any]:
        extras = _find(folder, (f"{kind}.sdk-extras.json", f"{kind}.sdk-extras.json.gz"))
        if extras is not None:
            merge = self._load_json(extras).get("merge")
            if isinstance(merge, dict):
                _merge_dicts(document, merge)
        return document

    def model_digest(self, service: str) -> str:
        """SHA-256 (hex) of the decompressed bytes of the service's newest service-2 model."""
        digest = self._digests.get(service)
        if digest is None:
            digest = hashlib.sha256(self._read(self.model_path(service))).hexdigest()
            self._digests[service] = digest
        return digest

    def paginators_digest(self, service: str) -> str | None:
        """SHA-256 (hex) of the decompressed paginators file next to the service's newest model
        (None: it has none). From the manifest when it records it, else computed and memoized."""
        if service not in self._paginator_digests:
            path = _find(self._version_dir(service, None), _PAGINATOR_NAMES)
            digest = hashlib.sha256(self._read(path)).hexdigest() if path else None
            self._paginator_digests[service] = digest
        return self._paginator_digests[service]

    def _version_dir(self, service: str, api_version: str | None) -> Path:
        known = self.api_versions(service)
        if not known:
            self._fail(f"no service model for {service!r} in this release")
        if api_version is None:
            return self.data_dir / service / known[-1]
        if api_version not in known:
            self._fail(
                f"no API version {api_version!r} of {service!r} in this release"
                f" (it has {', '.join(known)})"
            )
        return self.data_dir / service / api_version

    def _read(self, path: Path) -> bytes:
        try:
            if path.name.endswith(".gz"):
                with gzip.open(path, "rb") as stream:
                    return stream.read()
            return path.read_bytes()
        except (OSError, EOFError) as error:
            self._fail(f"cannot read {path}: {_one_line(error)}")

    def _load_json(self, path: Path) -> dict[str, Any]:
        raw = self._read(path)
        try:
            data = json.loads(raw)
        except ValueError as error:
            self._fail(f"{path} is not valid JSON: {_one_line(error)}")
        if not isinstance(data, dict):
            self._fail(f"{path} does not hold a JSON object")
        lone = surrogate_problems(raw, data)  # the installed botocore's files are not hashed
        if lone:
            shown = displayable(str(path))
            raise ModelFileError(shown, [SpecProblem(shown, ptr, msg) for ptr, msg in lone])
        return data

    def _fail(self, reason: str) -> NoReturn:
        raise BotocoreFetchError(version=self.version, reason=reason)


@functools.cache
def installed_release() -> Release:
    """The botocore importable in this interpreter, read in place (nothing is copied)."""
    try:
        botocore = importlib.import_module("botocore")  # botocore ships no type information
    except ImportError as error:
        raise BotocoreFetchError(
            version="installed", reason=f"botocore is not importable ({_one_line(error)})"
        ) from None
    version = str(getattr(botocore, "__version__", "installed"))
    data_dir = Path(botocore.__file__ or ".").resolve().parent / "data"
    if not data_dir.is_dir():
        raise BotocoreFetchError(version=version, reason=f"no data folder at {data_dir}")
    return Release(version, data_dir, installed=True)


def resolve_release(name: str) -> Release:
    """``"installed"`` means :func:`installed_release`; anything else is a release number."""
    if name == "installed":
        return installed_release()
    return fetch_release(name)


def fetch_release(
    version: str,
    *,
    offline: bool = False,
    repair: bool = False,
    force: bool = False,
    on_repair: Callable[[str], None] | None = None,
) -> Release:
    """The botocore release ``version`` (e.g. ``"1.14.10"``), from the cache or downloaded.

    A cached release is used without network access, once its files match the digests its
    manifest recorded at fetch time (checked once per process per release; see
    :func:`_verify`). A damaged entry is an error naming the file, unless ``repair``: then it
    is downloaded again (``on_repair`` is told why first). ``force`` downloads in any case.
    Downloading is off when ``offline`` is true or ``APIGEN_OFFLINE=1`` is set.
    """
    problem = release_problem(version)
    if problem is not None:
        shown = version if version and version.isprintable() else repr(version)
        raise BotocoreFetchError(version=shown, reason=problem)
    release_dir = cache_root() / "botocore" / version
    damage = ""
    if not force:
        cached = _read_cached(version, release_dir)
        if cached is not None:
            if release_dir in _VERIFIED and not repair:
                return cached
            problems = _verify(release_dir, full=repair)
            if not problems:
                _VERIFIED.add(release_dir)
                return cached
            damage = _damage(problems)
            if not repair:
                raise BotocoreFetchError(
                    version=version,
                    reason=f"the cached release is damaged: {damage}; "
                    f"run 'apigen botocore fetch {version}' to repair it",
                )
        elif (release_dir / "manifest.json").exists():
            try:
                _read_manifest(release_dir)
                damage = f"the cache entry at {release_dir} is incomplete"
            except (OSError, ValueError) as error:
                damage = f"{release_dir / 'manifest.json'} is damaged: {_one_line(error)}"
        elif (release_dir / "data").exists():
            damage = f"the cache entry at {release_dir} is incomplete"
    if offline or _offline_by_env():
        why = damage or ("asked to download again" if force else "not in the cache")
        raise BotocoreFetchError(
            version=version,
            reason=f"{why}, and downloading is off (offline mode / APIGEN_OFFLINE=1)",
        )
    if damage and on_repair is not None:
        on_repair(damage)
    _download_into_cache(version, release_dir, replace=force)
    cached = _read_cached(version, release_dir)
    problems = _verify(release_dir, full=True) if cached is not None else []
    if cached is None or problems:
        raise BotocoreFetchError(
            version=version,
            reason=f"the cache entry at {release_dir} could not be read back"
            + (f": {_damage(problems)}" if problems else ""),
        )
    _VERIFIED.add(release_dir)
    return cached


# --- checking the cache against its manifest ------------------------------------------------

_VERIFIED_NAME = "verified.json"
_VERIFIED: set[Path] = set()  # release folders checked in this process


def _damage(problems: list[str]) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def _expected_files(release_dir: Path) -> dict[Path, str | None]:
    """The model and paginators file of each service the manifest lists, with the SHA-256 of
    their decompressed bytes it recorded (None: the release has no such file)."""
    manifest = _read_manifest(release_dir)
    expected: dict[Path, str | None] = {}
    for name, entry in manifest["services"].items():
        api_version = entry["api_version"]
        folder = release_dir / "data" / name / api_version
        model = _find(folder, _MODEL_NAMES) or folder / _MODEL_NAMES[0]
        expected[model] = entry["sha256"]
        if "paginators_sha256" in entry:
            pages = _find(folder, _PAGINATOR_NAMES) or folder / _PAGINATOR_NAMES[0]
            expected[pages] = entry["paginators_sha256"]
    return expected


def _verify(release_dir: Path, *, full: bool) -> list[str]:
    """Every way the cached files differ from what the manifest recorded (empty: none).

    A file is hashed again only when its size or modification time differs from when it was
    last found intact (``verified.json`` beside the manifest, a memo, never trusted for the
    digests themselves); ``full`` hashes every file.
    """
    try:
        expected = _expected_files(release_dir)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return [f"{release_dir / 'manifest.json'} cannot be read: {_one_line(error)}"]
    memo_path = release_dir / _VERIFIED_NAME
    memo: dict[str, Any] = {}
    if not full:
        try:
            loaded = json.loads(memo_path.read_text(encoding="utf-8"))
            memo = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            memo = {}
    fresh: dict[str, Any] = {}
    problems: list[str] = []
    for path, digest in sorted(expected.items()):
        rel = path.relative_to(release_dir).as_posix()
        try:
            stat = path.stat()
        except OSError:
            if digest is not None:
                problems.append(f"{path} is missing")
            continue
        if digest is None:
            problems.append(f"{path} is not part of the release as fetched")
            continue
        stamp = [stat.st_size, stat.st_mtime_ns, digest]
        if memo.get(rel) == stamp:
            fresh[rel] = stamp
            continue
        try:
            raw = path.read_bytes()
            if path.name.endswith(".gz"):
                raw = gzip.decompress(raw)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            problems.append(f"{path} cannot be read: {_one_line(error)}")
            continue
        if hashlib.sha256(raw).hexdigest() != digest:
            problems.append(
                f"{path} does not match the SHA-256 its manifest recorded when it was fetched"
            )
            continue
        fresh[rel] = stamp
    if fresh != memo:
        try:
            handle, temp_name = tempfile.mkstemp(prefix=".verified-", dir=release_dir)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(fresh, stream, sort_keys=True)
            os.replace(temp_name, memo_path)
        except OSError:
            pass  # a read-only cache is checked in full each time
    return problems


# --- the cache ------------------------------------------------------------------------------


class _DamagedManifest(ValueError):
    """A manifest that is valid JSON but not of the shape the cache writes."""


def _read_manifest(release_dir: Path) -> dict[str, Any]:
    """``<release_dir>/manifest.json``, checked for the structure the cache relies on (an
    ``OSError`` if it cannot be read, a ``ValueError`` saying what is wrong otherwise), so that
    a damaged manifest counts as a damaged cache entry, never as an internal error."""
    try:
        manifest = json.loads((release_dir / "manifest.json").read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise _DamagedManifest(f"not UTF-8: {_one_line(error)}") from None
    except RecursionError:
        raise _DamagedManifest("nested too deeply") from None
    if not isinstance(manifest, dict):
        raise _DamagedManifest("not a JSON object")
    built = manifest.get("build_date")
    if built is not None:
        if not isinstance(built, str):
            raise _DamagedManifest("build_date is not a string")
        date.fromisoformat(built)  # a ValueError names the bad date
    services = manifest.get("services")
    if not isinstance(services, dict):
        raise _DamagedManifest("services is not a JSON object")
    for name, entry in services.items():
        if not _is_plain_name(name):
            raise _DamagedManifest(f"manifest names a service {name!r}")
        if not isinstance(entry, dict):
            raise _DamagedManifest(f"the entry of service {name!r} is not a JSON object")
        api_version = entry.get("api_version")
        if not (isinstance(api_version, str) and _is_plain_name(api_version)):
            raise _DamagedManifest(f"manifest entry of {name!r} has no API version")
        for key, optional in (("sha256", False), ("paginators_sha256", True)):
            digest = entry.get(key)
            if optional and digest is None:
                continue  # absent (an older cache) or null (the release has no such file)
            if not (isinstance(digest, str) and _SHA256_RE.fullmatch(digest)):
                raise _DamagedManifest(f"the {key} of service {name!r} is not a SHA-256 digest")
    return manifest


def _read_cached(version: str, release_dir: Path) -> Release | None:
    """The cached release, or None if it is not (completely) cached."""
    data_dir = release_dir / "data"
    try:
        manifest = _read_manifest(release_dir)
    except (OSError, ValueError):
        return None  # missing or damaged: fetch (again)
    services: dict[str, dict[str, str]] = manifest["services"]
    built = manifest.get("build_date")
    build_date = date.fromisoformat(built) if built else None
    if not data_dir.is_dir():
        return None
    return Release(
        version,
        data_dir,
        build_date=build_date,
        digests={name: entry["sha256"] for name, entry in services.items()},
        paginator_digests={
            name: entry["paginators_sha256"]
            for name, entry in services.items()
            if "paginators_sha256" in entry  # older caches: computed when asked
        },
        services=list(services),
    )


def _download_into_cache(version: str, release_dir: Path, *, replace: bool) -> None:
    parent = release_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(parent)
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{version}-", dir=parent))
    except OSError as error:
        raise BotocoreFetchError(
            version=version, reason=f"cannot write the cache at {parent}: {_one_line(error)}"
        ) from None
    try:
        wheel = pip_download(version, staging / "wheel")
        manifest = _extract_data(version, wheel, staging / "data")
        _publish(version, staging / "data", release_dir, manifest, staging, replace=replace)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(
    version: str,
    extracted: Path,
    release_dir: Path,
    manifest: dict[str, Any],
    staging: Path,
    *,
    replace: bool,
) -> None:
    """Move ``extracted`` to ``<release_dir>/data`` in one step, then write the manifest.

    A ``data`` folder already there is kept when it is intact (another fetch of this release
    won the race: it holds the same files), else (or with ``replace``) moved into ``staging``
    to be deleted with it.
    """
    target = release_dir / "data"
    try:
        release_dir.mkdir(exist_ok=True)
        if target.exists() and (
            replace
            or _read_cached(version, release_dir) is None
            or _verify(release_dir, full=True)
        ):
            (release_dir / "manifest.json").unlink(missing_ok=True)
            (release_dir / _VERIFIED_NAME).unlink(missing_ok=True)
            try:
                os.rename(target, staging / "replaced-data")
            except FileNotFoundError:
                pass
        try:
            os.rename(extracted, target)
        except OSError:
            if not target.is_dir():
                raise
            # Another fetch of this release won the race: its folder holds the same files.
        handle, temp_name = tempfile.mkstemp(prefix=".manifest-", dir=release_dir)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(manifest, stream, indent=1, sort_keys=True)
                stream.write("\n")
            os.replace(temp_name, release_dir / "manifest.json")
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise BotocoreFetchError(
            version=version,
            reason=f"cannot write the cache at {release_dir}: {_one_line(error)}",
        ) from None


def _remove_stale_staging(parent: Path) -> None:
    """Best effort: remove staging folders left behind by fetches killed long ago."""
    cutoff = time.time() - _STALE_STAGING_SECONDS
    for entry in parent.glob(f"{_STAGING_PREFIX}*"):
        try:
            if entry.is_dir() and entry.stat().st_mtime < cutoff:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass


# --- downloading and extracting -------------------------------------------------------------


def pip_download(version: str, dest: Path, *, sdist: bool = False) -> Path:
    """Download botocore ``version`` with pip (as configured on this machine) into ``dest``:
    its wheel, or with ``sdist`` its source distribution; return the file."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-binary=:all:" if sdist else "--only-binary=:all:",
        "--disable-pip-version-check",
        "--retries",
        "1",
        "--timeout",
        "30",
        "-d",
        str(dest),
        f"botocore=={version}",
    ]
    env = dict(os.environ, PIP_NO_INPUT="1")  # never wait for a password prompt
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            errors="replace",
            env=env,
            timeout=_PIP_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BotocoreFetchError(
            version=version, reason=f"pip download gave no result in {_PIP_TIMEOUT_SECONDS} s"
        ) from None
    except OSError as error:
        raise BotocoreFetchError(
            version=version, reason=f"cannot run pip: {_one_line(error)}"
        ) from None
    if result.returncode != 0:
        raise BotocoreFetchError(
            version=version, reason=_pip_failure(result.stdout + "\n" + result.stderr)
        )
    kind = "source distribution" if sdist else "wheel"
    found = sorted(dest.glob("botocore-*.tar.gz" if sdist else "botocore-*.whl"))
    if not found:
        raise BotocoreFetchError(version=version, reason=f"pip download produced no {kind}")
    return found[0]


def _pip_failure(output: str) -> str:
    """One line saying why pip download failed."""
    if any(phrase in output for phrase in _NETWORK_TROUBLE):
        return "could not reach the package index (no network?) and the release is not cached"
    if any(phrase in output for phrase in _NOT_FOUND):
        return "no such release on the package index"
    if "No module named pip" in output:
        return "cannot download it: pip is not available in this Python"
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    last = (errors or lines or ["(no output)"])[-1]
    return f"pip download failed: {last.removeprefix('ERROR:').strip()}"


def _extract_data(version: str, wheel: Path, dest: Path) -> dict[str, Any]:
    """Extract the wheel's ``botocore/data/`` into ``dest``; return the release's manifest."""
    newest: dict[str, tuple[str, str]] = {}  # service -> (api version, sha256)
    paginators: dict[tuple[str, str], str] = {}  # (service, api version) -> sha256
    stamps: list[tuple[int, int, int, int, int, int]] = []
    try:
        dest.mkdir()
        with zipfile.ZipFile(wheel) as archive:
            for info in archive.infolist():
                if not info.filename.startswith(_WHEEL_DATA_PREFIX) or info.is_dir():
                    continue
                relative = PurePosixPath(info.filename[len(_WHEEL_DATA_PREFIX) :])
                if not relative.parts or not all(map(_is_plain_name, relative.parts)):
                    continue  # never write outside dest
                stamps.append(info.date_time)
                payload = archive.read(info)
                target = dest.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(payload)
                if len(relative.parts) == 3 and relative.name in _PAGINATOR_NAMES:
                    raw = gzip.decompress(payload) if relative.suffix == ".gz" else payload
                    paginators[relative.parts[0], relative.parts[1]] = hashlib.sha256(
                        raw
                    ).hexdigest()
                if len(relative.parts) == 3 and relative.name in _MODEL_NAMES:
                    service, api_version = relative.parts[0], relative.parts[1]
                    if service not in newest or api_version > newest[service][0]:
                        raw = gzip.decompress(payload) if relative.suffix == ".gz" else payload
                        newest[service] = (api_version, hashlib.sha256(raw).hexdigest())
    except (zipfile.BadZipFile, gzip.BadGzipFile, EOFError, OSError) as error:
        raise BotocoreFetchError(
            version=version, reason=f"cannot unpack the downloaded wheel: {_one_line(error)}"
        ) from None
    if not newest:
        raise BotocoreFetchError(
            version=version, reason="the downloaded wheel holds no service models"
        )
    return {
        "version": version,
        "build_date": date(*max(stamps)[:3]).isoformat(),
        "services": {
            name: {
                "api_version": api_version,
                "sha256": digest,
                "paginators_sha256": paginators.get((name, api_version)),
            }
            for name, (api_version, digest) in sorted(newest.items())
        },
    }


# --- small helpers --------------------------------------------------------------------------


def _merge_dicts(into: dict[str, Any], extra: dict[str, Any]) -> None:
    """botocore's ``merge_dicts``: nested objects merge, anything else replaces."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge_dicts(into[key], value)
        else:
            into[key] = value


def _subdirs(folder: Path) -> list[Path]:
    try:
        return [entry for entry in folder.iterdir() if entry.is_dir()]
    except OSError:
        return []


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    """The first of ``names`` that is a file in ``folder``."""
    for name in names:
        path = folder / name
        if path.is_file():
            return path
    return None


def _is_plain_name(name: str) -> bool:
    """A single path component: not empty, not ``.``/``..``, no separators."""
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name


def _offline_by_env() -> bool:
    return os.environ.get("APIGEN_OFFLINE", "").strip().lower() in ("1", "true", "yes")


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__
