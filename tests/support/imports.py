"""Generated code, imported as a user imports it: from files in a folder.

The tests import generated code two ways, and both go through here:

* the committed outputs (``generated/ec2/validators.py``, the ``generated/ec2`` package), as
  they are on disk;
* code generated during the session from a spec or a hand-made model: written into a
  temporary folder (:func:`scratch`, removed when the interpreter exits) and imported from
  there (:func:`generate_into`, :func:`import_source`).

Every module is imported under a name given by the caller or made fresh (:func:`fresh_name`),
and registered in ``sys.modules`` before it runs: ``dataclasses`` looks a class's module up
while building the class, and a split package's ``__getattr__`` imports ``NAME._ops_NN`` on
first use. Two tests that generate the same file never share a module.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import ModuleType

from codegen.generators.base import GenerationContext, Generator

_counter = itertools.count()


@cache
def _session_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="apigen-tests-")


def scratch(prefix: str = "gen") -> Path:
    """A new, empty folder for generated code, inside one folder the interpreter removes when
    it exits."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=_session_folder().name))


def fresh_name(stem: str) -> str:
    """A module name no other import of the session has (``_apigen_<stem>_<n>``)."""
    return f"_apigen_{stem.replace('-', '_').replace('.', '_')}_{next(_counter)}"


def import_file(name: str, path: Path) -> ModuleType:
    """The module ``path``, imported as ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def import_package(name: str, folder: Path) -> ModuleType:
    """The package ``folder`` (its ``__init__.py``), imported as ``name``; its modules import
    as ``name.module``."""
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None, folder
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return package


def import_generated(name: str, folder: Path, stem: str) -> ModuleType:
    """The generated ``stem`` (``validators``, ``shapes``) of ``folder``, as ``name``: the module
    ``stem.py``, or the package ``stem/`` a large service gets."""
    if (folder / stem / "__init__.py").is_file():
        return import_package(name, folder / stem)
    return import_file(name, folder / f"{stem}.py")


def write_files(folder: Path, files: Mapping[str, str]) -> None:
    """Each ``relative path -> text`` of ``files`` written under ``folder``."""
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def generate_into(
    folder: Path, context: GenerationContext, *generators: Generator
) -> dict[str, str]:
    """The outputs of ``generators`` for ``context``, written under ``folder`` (one service's
    output folder, as ``apigen generate`` lays it out), and returned."""
    files: dict[str, str] = {}
    for generator in generators:
        files.update(generator.generate(context))
    write_files(folder, files)
    return files


def import_source(source: str, name: str, folder: Path | None = None) -> ModuleType:
    """``source`` written to ``name.py`` in ``folder`` (a new :func:`scratch` folder by default)
    and imported as ``name``."""
    path = (folder if folder is not None else scratch(name)) / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return import_file(name, path)
