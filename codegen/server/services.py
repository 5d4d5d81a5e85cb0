"""The generated service packages the server runs on.

For each served spec the generators run in memory and their Python modules (``protocol.py``,
``validators.py``, ...) are written to a private folder under the cache
(``$APIGEN_CACHE_DIR/server/<key>/``, keyed by the spec's bytes and this toolkit's own source),
then imported as a package. A later start with the same spec and toolkit imports them again
without generating.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import codegen
from codegen.errors import ApigenError
from codegen.model import ServiceModel
from codegen.server.behaviours import Behaviour, behaviours_for


class ServeError(ApigenError):
    fmt = "{message}"


@dataclass(frozen=True)
class Service:
    """One served service: its model, generated protocol module and behaviours."""

    model: ServiceModel
    spec_path: Path
    protocol: ModuleType
    behaviours: dict[str, Behaviour]

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def examples(self) -> list[str]:
        return [op for op in self.protocol.OPERATIONS if op not in self.behaviours]


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
    from codegen.generators import GENERATORS
    from codegen.generators.base import GenerationContext
    from codegen.loader import load_spec

    spec = load_spec(spec_path)
    model = spec.model()
    key = hashlib.sha256(spec_path.read_bytes() + _toolkit_digest().encode()).hexdigest()[:20]
    package = f"apigen_served_{model.name.replace('-', '_')}_{key}"
    root = (cache or _cache_root()) / key
    folder = root / package
    if not (folder / "protocol.py").is_file():
        context = GenerationContext(model=model, spec=spec)
        outputs: dict[str, str] = {}
        for generator in GENERATORS:
            outputs.update(generator.generate(context))
        # the Python modules, and the packages a large service's validators and shapes are
        files = {
            rel: content
            for rel, content in outputs.items()
            if rel.endswith(".py")
            and ("/" not in rel or f"{rel.split('/')[0]}/__init__.py" in outputs)
        }
        if "protocol.py" not in files:
            raise ServeError(
                message=f"{spec_path}: no protocol layer is generated for protocol "
                f"{model.metadata.protocol!r}; apigen serve cannot serve it"
            )
        files.setdefault("__init__.py", "")
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root))
        for rel, content in files.items():
            (staging / rel).parent.mkdir(exist_ok=True)
            (staging / rel).write_text(content, encoding="utf-8")
        try:
            os.replace(staging, folder)
        except OSError:  # another process won the race: use its copy
            shutil.rmtree(staging, ignore_errors=True)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    protocol = importlib.import_module(f"{package}.protocol")
    return Service(model, spec_path, protocol, dict(behaviours_for(model)))


def load_services(spec_paths: list[Path] | None = None) -> list[Service]:
    from codegen.loader import discover_specs

    paths = spec_paths or discover_specs()
    if not paths:
        raise ServeError(message="no specs to serve (none given and none found under ./specs)")
    services = [load_service(Path(p)) for p in paths]
    seen: dict[str, Path] = {}
    for service in services:
        if service.name in seen:
            raise ServeError(
                message=f"{service.spec_path} and {seen[service.name]} both describe service "
                f"{service.name!r}; serve one of them"
            )
        seen[service.name] = service.spec_path
    return services
