"""The served services: each a generated package, generated on first use and cached on disk.

A served service comes from a :class:`Source`: specs of one service combined
(:class:`SpecSource`, ``apigen serve SPEC ...``) or one service of a botocore release imported
in memory as ``apigen generate --all-services`` imports it (:class:`ReleaseSource`,
``--service NAME`` and ``--all-services``). Its package (the protocol generator's
``protocol.py``, ``_protocols/`` and ``__init__.py``, the validators generator's
``validators.py`` or lazily loaded ``validators/``) is generated into the cache::

    $APIGEN_CACHE_DIR/server/<key>/apigen_served_<service>_<key>/
        __init__.py  protocol.py  _protocols/  validators...   (and their bytecode)
        entry.json     routing facts, the behaviours, where it came from
        model.pickle   the in-memory model, for behaviours (read only when one needs it)

The key is a digest of the source (the specs' bytes; or the release's version and the
service's name) and of this toolkit (:func:`toolkit_signature`: the names, sizes and
modification times of its files, so that any change to the toolkit regenerates). A cached
package is used as it is: starting needs neither the spec's model nor any generation. The
server's packages are not formatted (``GenerationContext.formatted``) but compiled to bytecode
when written, so that importing them later compiles nothing (even with
``PYTHONDONTWRITEBYTECODE``).

A :class:`Service` is cheap until used: it knows its :class:`~codegen.server.routing.Entry`
(from the cache, or from the release's routing index) and loads the rest on first use
(:meth:`Service.load`, once, under a lock: concurrent first requests generate it once; across
processes a lock file does the same). A failure is remembered and said on each later request
(:class:`GenerationFailed`) rather than tried again.

:class:`Catalog` is the set of served services and their router. ``--all-services`` builds the
routing index of a release (every service's entry, from its ``service-2.json``) once per
release and toolkit and caches it (``$APIGEN_CACHE_DIR/server/index-<key>.json``); a server
with no index yet builds it in the background after it is up.
"""

from __future__ import annotations

import compileall
import functools
import hashlib
import importlib
import json
import os
import pickle
import shutil
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

import codegen
from codegen.errors import ApigenError
from codegen.protocols.http import HttpRequest
from codegen.server.routing import Entry, Router, entry_from_botocore, entry_from_tables

if TYPE_CHECKING:
    from codegen.bridge.releases import Release
    from codegen.model import ServiceModel
    from codegen.server.behaviours import Behaviour
    from codegen.spec import Spec

CACHE_LAYOUT = "3"  # bumped when what the cache holds changes shape
ENTRY = "entry.json"
MODEL = "model.pickle"
# what the generators write that is not the served package's code
_NOT_CODE = frozenset({"schemas", "botocore", "reports"})


class ServeError(ApigenError):
    fmt = "{message}"


class GenerationFailed(ApigenError):
    """A service's package could not be generated (or imported): the server answers its
    requests with an error naming it, and serves the others."""

    fmt = "apigen serve cannot serve {service}: {reason}"


def cache_folder() -> Path:
    from codegen.bridge.releases import cache_root

    return cache_root() / "server"


@functools.cache
def toolkit_signature() -> str:
    """What the cached packages depend on besides their source: this toolkit's files (names,
    sizes, modification times: a stat of each, not a read), its version, the cache's layout
    and the Python version (bytecode and pickles are the interpreter's)."""
    root = Path(codegen.__file__).parent
    digest = hashlib.sha256(
        f"{CACHE_LAYOUT}\0{codegen.__version__}\0{sys.version_info[:2]}".encode()
    )
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".j2", ".json"} and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(
                f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
            )
    return digest.hexdigest()


# -- sources ---------------------------------------------------------------------------------


class Source(ABC):
    """Where a served service comes from."""

    service: str

    @property
    @abstractmethod
    def key(self) -> str:
        """The cache key of the service's package (a hex digest)."""

    @property
    @abstractmethod
    def shown(self) -> str:
        """The source as a log line names it."""

    @abstractmethod
    def load(self) -> tuple[Spec, ServiceModel]:
        """The spec and the model to generate from (the expensive part)."""


@dataclass(frozen=True)
class SpecSource(Source):
    """Specs of one service, combined as ``apigen generate`` combines them
    (:func:`codegen.pipeline.combine_specs`: a structural conflict is an error naming both)."""

    service: str
    paths: tuple[Path, ...]
    digests: tuple[str, ...]  # sha256 of each spec's bytes, as read when the server started
    # specs already loaded (checked) while starting, by digest: not loaded again
    loaded: Mapping[str, Spec] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        parts = ("specs", toolkit_signature(), *sorted(self.digests))
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    @property
    def shown(self) -> str:
        return ", ".join(str(p) for p in self.paths)

    def load(self) -> tuple[Spec, ServiceModel]:
        from codegen.loader import load_spec
        from codegen.pipeline import combine_specs

        specs = [
            self.loaded.get(digest) or load_spec(path)
            for path, digest in zip(self.paths, self.digests, strict=True)
        ]
        if len(specs) == 1:
            return specs[0], specs[0].model()
        return combine_specs(specs)


@dataclass(frozen=True)
class ReleaseSource(Source):
    """One service of a botocore release, imported whole in memory
    (:func:`codegen.pipeline.release_spec`)."""

    service: str
    release: Release

    @property
    def key(self) -> str:
        parts = ("botocore", toolkit_signature(), self.release.version, self.service)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    @property
    def shown(self) -> str:
        return f"botocore {self.release.version}"

    def load(self) -> tuple[Spec, ServiceModel]:
        from codegen.pipeline import release_spec

        spec = release_spec(self.release, self.service)
        return spec, spec.model()


# -- the cache -------------------------------------------------------------------------------


def _loaded(source: Source) -> tuple[Spec, ServiceModel]:
    """The source's spec and model, the model with the corrections of botocore's models
    (:mod:`codegen.corrections`: what the service accepts beyond what the model says)."""
    from codegen.corrections import corrected

    spec, model = source.load()
    return spec, corrected(model)


def _package_name(service: str, key: str) -> str:
    return f"apigen_served_{service.replace('-', '_').replace('.', '_')}_{key[:20]}"


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold ``lock`` (a file) exclusively: another process generating the same package waits
    and then finds it generated."""
    try:
        import fcntl
    except ImportError:  # not POSIX: two processes may both generate; the first copy is kept
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Cached:
    """A service's package in the cache."""

    root: Path  # on sys.path
    package: str

    @property
    def folder(self) -> Path:
        return self.root / self.package

    def read(self) -> tuple[Entry, tuple[str, ...]] | None:
        """(entry, behaviours) of a complete package, or None when it is not there."""
        try:
            data = json.loads((self.folder / ENTRY).read_text(encoding="utf-8"))
            return Entry.from_json(data["entry"]), tuple(data["behaviours"])
        except (OSError, ValueError, KeyError, TypeError):
            return None


def cached(source: Source, cache: Path | None = None) -> Cached:
    key = source.key
    return Cached((cache or cache_folder()) / key[:20], _package_name(source.service, key))


def generate(source: Source, where: Cached) -> tuple[Entry, tuple[str, ...], bool]:
    """Generate ``source``'s package into the cache (unless it is there, or another process
    just did); (its entry, the operations that have behaviour, whether it was generated now)."""
    found = where.read()
    if found is not None:
        return (*found, False)
    with _exclusive(where.root / ".lock"):
        found = where.read()
        if found is not None:
            return (*found, False)
        return (*_generate(source, where), True)


def _generate(source: Source, where: Cached) -> tuple[Entry, tuple[str, ...]]:
    from codegen.generators.base import GenerationContext
    from codegen.generators.protocol import ProtocolGenerator, supported_protocols
    from codegen.generators.protocol_tables import service_tables
    from codegen.generators.validators import ValidatorsGenerator
    from codegen.server.behaviours import behaviours_for, derived_behaviours

    spec, model = _loaded(source)
    context = GenerationContext(model=model, spec=spec, formatted=False)
    files: dict[str, str] = {}
    for generator in (ProtocolGenerator(), ValidatorsGenerator()):
        for rel, content in generator.generate(context).items():
            if rel.endswith(".py") and rel.split("/")[0] not in _NOT_CODE:
                files[rel] = content
    if "protocol.py" not in files:
        listed = model.metadata.traits.get("protocols") or [model.metadata.protocol]
        raise ServeError(
            message=f"{spec.path}: no protocol layer is generated for protocol "
            f"{', '.join(map(repr, listed))}; apigen serve speaks "
            f"{', '.join(supported_protocols())}"
        )
    files.setdefault("__init__.py", "")
    entry = entry_from_tables(service_tables(model))
    # hand-written and derived (the engine's, from the resources the model states)
    behaviours = tuple(sorted({*behaviours_for(model), *derived_behaviours(model)}))
    where.root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=where.root))
    try:
        for rel, content in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(content, encoding="utf-8")
        try:
            (staging / MODEL).write_bytes(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass  # the model is built again from the source when a behaviour needs it
        # bytecode now, under the names the files will have (imports then compile nothing)
        compileall.compile_dir(str(staging), ddir=str(where.folder), quiet=2, workers=1)
        document = {
            "entry": entry.to_json(),
            "behaviours": list(behaviours),
            "source": source.shown,
        }
        (staging / ENTRY).write_text(json.dumps(document), encoding="utf-8")
        try:
            os.replace(staging, where.folder)
        except OSError:  # an older layout's folder of the same name: replace it
            shutil.rmtree(where.folder, ignore_errors=True)
            os.replace(staging, where.folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return entry, behaviours


# -- services --------------------------------------------------------------------------------


class Service:
    """One served service: its entry now; its package, model and behaviours on first use."""

    def __init__(
        self,
        entry: Entry,
        source: Source,
        where: Cached,
        *,
        behaviour_names: Sequence[str] | None = None,
    ) -> None:
        self.entry = entry
        self.source = source
        self.where = where
        self.behaviour_names = tuple(behaviour_names) if behaviour_names is not None else None
        self._lock = threading.Lock()
        self._protocol: ModuleType | None = None
        self._model: ServiceModel | None = None
        self._behaviours: dict[str, Behaviour] | None = None
        self.derived: frozenset[str] = frozenset()  # the operations the derived engine answers
        self.failure: GenerationFailed | None = None
        self.load_seconds: float | None = None  # how long the first load took
        self.generated: bool | None = None  # whether that load generated the package
        self._announced = False

    def __repr__(self) -> str:
        return f"Service({self.name!r}, from {self.source.shown})"

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def signing_name(self) -> str:
        """The service a SigV4 credential scope names for it."""
        return self.entry.signing_name or self.entry.name

    @property
    def loaded(self) -> bool:
        return self._protocol is not None

    def load(self) -> None:
        """Generate (unless cached) and import the package, and make the behaviours; once.
        Raises :class:`GenerationFailed` (now and on every later call) when that fails."""
        if self._protocol is not None:
            return
        with self._lock:
            if self._protocol is not None:
                return
            if self.failure is not None:
                raise self.failure
            started = time.perf_counter()
            try:
                entry, names, generated = generate(self.source, self.where)
                self.entry = entry
                self.behaviour_names = names
                root = str(self.where.root)
                if root not in sys.path:
                    sys.path.insert(0, root)
                protocol = importlib.import_module(f"{self.where.package}.protocol")
                behaviours = self._make_behaviours() if names else {}
            except GenerationFailed:
                raise
            except Exception as exc:  # told to the client; the app logs why
                self.failure = GenerationFailed(service=self.name, reason=_one_line(exc))
                self.failure.__cause__ = exc
                raise self.failure from exc
            self._behaviours = behaviours
            self._protocol = protocol
            self.generated = generated
            self.load_seconds = time.perf_counter() - started

    def announce(self, log: TextIO | None) -> None:
        """Say once in ``log`` that the service is loaded, in how long and whether its package
        was generated or found in the cache (whoever loaded it: a request or the warm-up)."""
        with self._lock:
            if self._announced or self.load_seconds is None:
                return
            self._announced = True
        if log is not None:
            how = "generated" if self.generated else "from the cache"
            print(
                f"apigen: {self.name} ready in {self.load_seconds:.2f}s ({how})",
                file=log,
                flush=True,
            )

    def _make_behaviours(self) -> dict[str, Behaviour]:
        """The behaviours of the service's operations (:mod:`codegen.server.behaviours`): the
        hand-written ones, and the derived engine's for the other operations of the resources
        the model states (:mod:`codegen.server.engine`)."""
        from codegen.server.behaviours import behaviours_for, derived_behaviours
        from codegen.server.engine import modeled_not_found

        hand = dict(behaviours_for(self.model))
        derived = {k: v for k, v in derived_behaviours(self.model).items() if k not in hand}
        self.derived = frozenset(derived)
        # the derived engine's not-found errors become the operation's own; hand-written
        # behaviours answer what AWS answers, modeled or not (S3's GetObject: NoSuchBucket)
        derived = {op: modeled_not_found(self.model, op, b) for op, b in derived.items()}
        return {**derived, **hand}

    @property
    def hand_written(self) -> list[str]:
        """The operations answered by hand-written behaviours (loading the service)."""
        return sorted(op for op in self.behaviours if op not in self.derived)

    @property
    def protocol(self) -> ModuleType:
        """The package's ``protocol.py`` (loading the service)."""
        self.load()
        assert self._protocol is not None
        return self._protocol

    @property
    def model(self) -> ServiceModel:
        """The in-memory model: from the cache's pickle, else built from the source."""
        if self._model is None:
            model: ServiceModel | None = None
            try:
                with open(self.where.folder / MODEL, "rb") as handle:
                    model = pickle.load(handle)  # our own cache, as trusted as its code
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                model = None
            if model is None:
                model = _loaded(self.source)[1]
            self._model = model
        return self._model

    @property
    def behaviours(self) -> dict[str, Behaviour]:
        """Operation -> behaviour (loading the service); the app calls what this holds."""
        self.load()
        assert self._behaviours is not None
        return self._behaviours

    @property
    def examples(self) -> list[str]:
        return [op for op in self.protocol.OPERATIONS if op not in self.behaviours]

    @property
    def validators(self) -> ModuleType:
        """The package's strict generated validators (imported on first use)."""
        return importlib.import_module(f"{self.where.package}.validators")

    @property
    def error_types(self) -> tuple[type[Exception], ...]:
        """What the package's protocols raise for an error to answer (its own copy of
        :class:`codegen.protocols.errors.ServiceError`)."""
        return (self.protocol.ServiceError,)

    def protocol_for(self, request: HttpRequest) -> Any:
        """The package's protocol that ``request`` is in (its first when none recognizes it)."""
        return self.protocol.protocol_for(request)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(exc, ApigenError):
        return first[:500]
    return f"{type(exc).__name__}: {first}"[:500]


# -- specs -----------------------------------------------------------------------------------


def _spec_service(path: Path, raw: bytes, digest: str, cache: Path) -> tuple[str, Spec | None]:
    """The service a spec is of, and the spec when it had to be loaded. A spec whose bytes
    were checked before by this toolkit is not loaded again (a memo under the cache); else it
    is loaded, with every check."""
    memo = (
        cache / "specs" / hashlib.sha256(f"{toolkit_signature()}\0{digest}".encode()).hexdigest()
    )
    try:
        return memo.read_text(encoding="utf-8").strip(), None
    except OSError:
        pass
    from codegen.loader import display_path, spec_from_bytes  # (jsonschema: only on a miss)

    spec = spec_from_bytes(raw, display_path(path))
    name = spec.model().name
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        temporary = memo.with_name(f".{memo.name}.{os.getpid()}")
        temporary.write_text(name, encoding="utf-8")
        os.replace(temporary, memo)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return name, spec


def spec_services(paths: Sequence[Path], *, cache: Path | None = None) -> list[Service]:
    """The services of ``paths`` (specs of one service served as one, combined), each
    generated now unless cached, and imported: a spec that cannot be served is an error
    before the server starts."""
    from codegen.errors import SpecError, SpecProblem
    from codegen.files import read_bytes

    folder = cache or cache_folder()
    groups: dict[str, list[tuple[Path, str]]] = {}
    loaded: dict[str, Spec] = {}
    for path in paths:
        try:
            raw = read_bytes(path)
        except OSError as exc:
            from codegen.loader import display_path  # (jsonschema: imported only when needed)

            shown = display_path(path)
            raise SpecError(
                shown, [SpecProblem(shown, "", f"cannot read the file: {exc.strerror}")]
            ) from None
        digest = hashlib.sha256(raw).hexdigest()
        name, spec = _spec_service(path, raw, digest, folder)
        if spec is not None:
            loaded[digest] = spec
        groups.setdefault(name, []).append((path, digest))
    services = []
    for name, group in groups.items():
        digests = tuple(d for _, d in group)
        source = SpecSource(
            name,
            tuple(p for p, _ in group),
            digests,
            {d: loaded[d] for d in digests if d in loaded},
        )
        where = cached(source, folder)
        entry, names, _ = generate(source, where)
        service = Service(entry, source, where, behaviour_names=names)
        try:
            service.load()
        except GenerationFailed as failure:
            raise ServeError(message=str(failure)) from failure.__cause__
        services.append(service)
    return services


def load_services(spec_paths: Sequence[Path] | None = None) -> list[Service]:
    """The services of the given specs (default: every spec under ./specs)."""
    if spec_paths:
        paths = [Path(p) for p in spec_paths]
    else:
        from codegen.loader import discover_specs

        paths = list(discover_specs())
    if not paths:
        raise ServeError(message="no specs to serve (none given and none found under ./specs)")
    return spec_services(paths)


# -- releases --------------------------------------------------------------------------------


def release_entries(
    release: Release, names: Sequence[str] | None = None, *, cache: Path | None = None
) -> list[Entry]:
    """The routing entries of ``names`` (default: every service of the release whose
    protocols are spoken). Every service's: read from the index cached for this release and
    toolkit, else built from the release's models and cached."""
    if names is not None:
        return [entry_from_botocore(n, release.load_model(n)) for n in names]
    folder = cache or cache_folder()
    key = hashlib.sha256(f"index\0{toolkit_signature()}\0{release.version}".encode()).hexdigest()
    index = folder / f"index-{key[:20]}.json"
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
        return [Entry.from_json(item) for item in data]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    from codegen.protocols import supported

    spoken = set(supported())
    entries = []
    for name in release.services():
        entry = entry_from_botocore(name, release.load_model(name))
        if spoken & set(entry.protocols):
            entries.append(entry)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = index.with_name(f".{index.name}.{os.getpid()}")
        temporary.write_text(json.dumps([e.to_json() for e in entries]), encoding="utf-8")
        os.replace(temporary, index)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return entries


def release_service(release: Release, entry: Entry, *, cache: Path | None = None) -> Service:
    """The service of ``entry`` from ``release`` (nothing loaded yet; its cached package, if
    any, is found on first use)."""
    source = ReleaseSource(entry.name, release)
    return Service(entry, source, cached(source, cache or cache_folder()))


# -- the catalog -----------------------------------------------------------------------------


class Catalog:
    """Every served service and the router between them.

    ``fixed``: services known at start (specs, ``--service``). ``index``: a function giving
    more entries (every service of a release, for ``--all-services``), run in a background
    thread from :meth:`start`; a service of ``fixed`` wins over an indexed one of its name.
    ``make`` turns an indexed entry into a service. ``warm``: services loaded in the
    background from :meth:`start` (a request for one meanwhile waits for the same load)."""

    def __init__(
        self,
        fixed: Sequence[Service],
        *,
        index: Callable[[], Sequence[Entry]] | None = None,
        make: Callable[[Entry], Service] | None = None,
        warm: Sequence[str] = (),
        description: str = "",
    ) -> None:
        self.services: dict[str, Service] = {s.name: s for s in fixed}
        self._index = index
        self._make = make
        self._warm = [self.services[name] for name in warm]
        self.description = description
        self._router: Router | None = None if index is not None else Router(s.entry for s in fixed)
        self._ready = threading.Event()
        self.failure: BaseException | None = None
        if index is None:
            self._ready.set()

    def start(self, log: TextIO | None = None) -> None:
        """Build the index and load the ``warm`` services, in the background."""
        if self._warm:

            def warm() -> None:
                for service in self._warm:
                    try:
                        service.load()
                        service.announce(log)
                    except GenerationFailed as failure:
                        if log is not None:
                            print(f"apigen: {failure}", file=log, flush=True)

            threading.Thread(target=warm, name="apigen-warm", daemon=True).start()
        if self._ready.is_set():
            return

        def build() -> None:
            try:
                assert self._index is not None and self._make is not None
                started = time.perf_counter()
                entries = self._index()
                for entry in entries:
                    if entry.name not in self.services:
                        self.services[entry.name] = self._make(entry)
                self._router = Router(s.entry for s in self.services.values())
                if log is not None:
                    print(
                        f"apigen: routing index of {len(entries)} services ready in"
                        f" {time.perf_counter() - started:.1f}s",
                        file=log,
                        flush=True,
                    )
            except BaseException as exc:  # noqa: BLE001 - said on every request, and logged
                self.failure = exc
                if log is not None:
                    print(f"apigen: the routing index failed: {_one_line(exc)}", file=log)
            finally:
                self._ready.set()

        threading.Thread(target=build, name="apigen-index", daemon=True).start()

    def router(self, timeout: float | None = None) -> Router:
        """The router (waiting for the index); raises :class:`ServeError` if it failed."""
        if not self._ready.wait(timeout):
            raise ServeError(message="the routing index is still being built")
        if self._router is None:
            reason = _one_line(self.failure) if self.failure else "unknown"
            raise ServeError(message=f"the routing index could not be built: {reason}")
        return self._router

    @property
    def ready(self) -> bool:
        return self._ready.is_set()
