"""The generated service packages the server runs on.

For each served spec the two generators a served package needs run in memory (the protocol
generator: ``protocol.py``, ``_protocols/``, ``__init__.py``; the validators generator:
``validators.py`` or the lazily loaded ``validators/`` package) and their modules are written to
a private folder under the cache (``$APIGEN_CACHE_DIR/server/<key>/``, keyed by the spec's
bytes and this toolkit's own source), then imported as a package. A later start with the same
spec and toolkit imports them again without generating. Importing the package loads its
``protocol.py`` only: the validators on the first request.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import codegen
from codegen.errors import ApigenError
from codegen.model import ServiceModel
from codegen.protocols.http import HttpRequest
from codegen.server.behaviours import Behaviour, behaviours_for, derived_behaviours
from codegen.spec import Spec


class ServeError(ApigenError):
    fmt = "{message}"


@dataclass(frozen=True)
class Service:
    """One served service: its model, generated protocol module and behaviours."""

    model: ServiceModel
    spec_path: Path
    protocol: ModuleType  # the served package's protocol.py
    behaviours: dict[str, Behaviour]  # hand-written and derived: what the app calls
    derived: frozenset[str] = frozenset()  # those the derived engine answers

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def hand_written(self) -> list[str]:
        return sorted(op for op in self.behaviours if op not in self.derived)

    @property
    def signing_name(self) -> str:
        """The service a SigV4 credential scope names for it."""
        name: str = self.protocol.TABLES.signing_name or self.model.name
        return name

    @property
    def examples(self) -> list[str]:
        return [op for op in self.protocol.OPERATIONS if op not in self.behaviours]

    @property
    def validators(self) -> ModuleType:
        """The package's strict generated validators (imported on first use)."""
        return importlib.import_module(self.protocol.__name__.rsplit(".", 1)[0] + ".validators")

    @property
    def error_types(self) -> tuple[type[Exception], ...]:
        """What the package's protocols raise for an error to answer (its own copy of
        :class:`codegen.protocols.errors.ServiceError`)."""
        return (self.protocol.ServiceError,)

    def protocol_for(self, request: HttpRequest) -> Any:
        """The package's protocol that ``request`` is in (its first when none recognizes it)."""
        return self.protocol.protocol_for(request)


# what the generators write that is not the served package's code
_NOT_CODE = frozenset({"schemas", "botocore", "reports"})


def _cache_root() -> Path:
    from codegen.bridge.releases import cache_root

    return cache_root() / "server"


def _toolkit_digest() -> str:
    """A digest of this toolkit's own source (generators, templates, model): the cache key's half."""
    root = Path(codegen.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if (
            path.is_file()
            and path.suffix in {".py", ".j2", ".json"}
            and "__pycache__" not in path.parts
        ):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_service(spec_path: Path, *, cache: Path | None = None) -> Service:
    """The served service of one spec (see :func:`load_combined` for several of one service)."""
    return load_combined([spec_path], cache=cache)


def load_combined(spec_paths: Sequence[Path], *, cache: Path | None = None) -> Service:
    """The served service of specs of one service (e.g. a whole-service import and a
    hand-written spec), combined as ``apigen generate`` combines them
    (:func:`codegen.pipeline.combine_specs`: a structural conflict is an error naming both)."""
    from codegen.loader import load_spec

    return _load([load_spec(path) for path in spec_paths], spec_paths, cache)


def _load(specs: Sequence[Spec], spec_paths: Sequence[Path], cache: Path | None) -> Service:
    from codegen.generators.base import GenerationContext
    from codegen.generators.protocol import ProtocolGenerator
    from codegen.generators.validators import ValidatorsGenerator
    from codegen.pipeline import combine_specs

    if len(specs) == 1:
        spec, model = specs[0], specs[0].model()
    else:
        spec, model = combine_specs(specs)
    digest = hashlib.sha256()
    for path in spec_paths:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(_toolkit_digest().encode())
    key = digest.hexdigest()[:20]
    package = f"apigen_served_{model.name.replace('-', '_')}_{key}"
    root = (cache or _cache_root()) / key
    folder = root / package
    if not (folder / "protocol.py").is_file():
        context = GenerationContext(model=model, spec=spec)
        files: dict[str, str] = {}
        for generator in (ProtocolGenerator(), ValidatorsGenerator()):
            for rel, content in generator.generate(context).items():
                if rel.endswith(".py") and rel.split("/")[0] not in _NOT_CODE:
                    files[rel] = content
        if "protocol.py" not in files:
            from codegen.generators.protocol import supported_protocols

            listed = model.metadata.traits.get("protocols") or [model.metadata.protocol]
            raise ServeError(
                message=f"{spec.path}: no protocol layer is generated for protocol "
                f"{', '.join(map(repr, listed))}; apigen serve speaks "
                f"{', '.join(supported_protocols())}"
            )
        files.setdefault("__init__.py", "")
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
        for rel, content in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(content, encoding="utf-8")
        try:
            os.replace(staging, folder)
        except OSError:  # another process won the race: use its copy
            shutil.rmtree(staging, ignore_errors=True)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    protocol = importlib.import_module(f"{package}.protocol")
    hand = dict(behaviours_for(model))  # hand-written first, then the derived engine's
    derived = {k: v for k, v in derived_behaviours(model).items() if k not in hand}
    return Service(model, Path(spec_paths[0]), protocol, {**derived, **hand}, frozenset(derived))


def load_services(spec_paths: list[Path] | None = None) -> list[Service]:
    from codegen.loader import discover_specs, load_spec

    paths = [Path(p) for p in (spec_paths or discover_specs())]
    if not paths:
        raise ServeError(message="no specs to serve (none given and none found under ./specs)")
    by_service: dict[str, list[tuple[Path, Spec]]] = {}
    for path in paths:  # specs of one service are served as one, combined
        spec = load_spec(path)
        by_service.setdefault(spec.model().name, []).append((path, spec))
    return [
        _load([spec for _, spec in group], [path for path, _ in group], None)
        for group in by_service.values()
    ]
