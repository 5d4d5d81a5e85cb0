"""What every generator shares: the Jinja environment, the header, formatting, writing and checking.

Output is deterministic byte for byte: no timestamps, sorted collections, ``ruff format``
(pinned version and options), ``\\n`` line endings. Every Python file starts with a header naming the
generator, the spec file, the spec version and the spec's sha256; JSON files are listed with
the same facts in ``generated/<service>/MANIFEST.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from codegen import __version__
from codegen.errors import ApigenError
from codegen.model import ServiceModel
from codegen.spec import Spec

# ruff format, with the settings [tool.ruff] in pyproject.toml states (a test checks they
# agree); passed explicitly, with --isolated, so that no configuration found near the output
# changes it. Its output is also what black (line length 99) leaves as it is (a test runs it).
RUFF_FORMAT_ARGS = ("format", "--isolated", "--line-length", "99", "--target-version", "py310")
LINE_LENGTH = 99


class GeneratorError(ApigenError):
    fmt = "{generator}: {message}"


@dataclass(frozen=True)
class GenerationContext:
    """What a generator is given: the model (as of the spec's latest version) and its spec."""

    model: ServiceModel
    spec: Spec

    @property
    def version(self) -> str:
        return self.model.version.version if self.model.version else ""


class Generator:
    """Base class: subclasses set ``name`` and implement ``generate``."""

    name = "generator"

    def generate(self, context: GenerationContext) -> dict[str, str]:
        raise NotImplementedError

    # helpers for subclasses ------------------------------------------------------------

    def header(self, context: GenerationContext, comment: str = "#") -> str:
        return (
            "\n".join(f"{comment} {line}".rstrip() for line in header_lines(self.name, context))
            + "\n"
        )

    def render(self, template: str, **values: Any) -> str:
        return environment().get_template(template).render(**values)

    def python(self, context: GenerationContext, source: str) -> str:
        """Prefix the header and format with ruff; a syntax error is a generator bug."""
        return format_python(self.header(context) + source, self.name)

    def python_files(
        self, context: GenerationContext, sources: Mapping[str, str]
    ) -> dict[str, str]:
        """:meth:`python` for the many modules of a package (one ruff run, not one each).

        The header (comments, which ruff leaves as they are) is added after formatting, so
        that the format cache, keyed by the module's own text, still holds the modules a
        change of the spec left alone (a new operation: its bucket's, not all of them)."""
        header = self.header(context)
        formatted = format_python_files(sources, self.name)
        return {rel: header + text for rel, text in formatted.items()}


def format_python(text: str, generator: str = "apigen") -> str:
    """``text`` formatted by ``ruff format`` (:data:`RUFF_FORMAT_ARGS`).

    Incremental: the result is kept in the cache (``$APIGEN_CACHE_DIR/format/``) under the
    SHA-256 of the input and of the formatter's version and arguments, so regenerating a file
    whose inputs did not change formats nothing (and ``write_outputs`` rewrites nothing)."""
    key = hashlib.sha256(
        "\0".join((_ruff_version(), *RUFF_FORMAT_ARGS, text)).encode("utf-8", "surrogatepass")
    ).hexdigest()
    cached = _format_cache_dir() / key[:2] / f"{key}.py"
    try:
        return cached.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    result = subprocess.run(
        [_ruff_bin(), *RUFF_FORMAT_ARGS, "--stdin-filename", "generated.py", "-"],
        input=text.encode("utf-8", "surrogatepass"),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GeneratorError(
            generator=generator,
            message=f"generated invalid Python: {message[0] if message else 'ruff failed'}",
        )
    formatted = result.stdout.decode("utf-8")
    try:  # a cache that cannot be written only costs time
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(formatted, encoding="utf-8", newline="\n")
        tmp.replace(cached)
    except OSError:
        pass
    return formatted


def format_python_files(texts: Mapping[str, str], generator: str = "apigen") -> dict[str, str]:
    """:func:`format_python` of many texts (the modules of a package, keyed by path): those
    the cache lacks are written where the cache keeps them and formatted there, in place, by
    one ``ruff format`` run (a process each costs more than formatting a small module, and
    on a slow disk so does every extra file). If that fails (no cache folder, a syntax error),
    each is formatted alone, so that the error names the text it is in."""
    out: dict[str, str] = {}
    missing: dict[str, Path] = {}
    for rel, text in texts.items():
        cached = _format_cache_path(text)
        try:
            out[rel] = cached.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            missing[rel] = cached
    if len(missing) > 1:
        pending = {
            rel: path.with_name(f"{path.stem}.{os.getpid()}.py") for rel, path in missing.items()
        }
        try:
            for rel, tmp in pending.items():
                tmp.parent.mkdir(parents=True, exist_ok=True)
                tmp.write_bytes(texts[rel].encode("utf-8", "surrogatepass"))
            result = subprocess.run(
                [_ruff_bin(), *RUFF_FORMAT_ARGS, *map(str, pending.values())],
                capture_output=True,
                check=False,
            )
            if result.returncode == 0:
                for rel, tmp in pending.items():
                    out[rel] = tmp.read_bytes().decode("utf-8")
                    tmp.replace(missing[rel])
        except (OSError, UnicodeDecodeError):
            pass
        for rel, tmp in pending.items():
            if rel not in out:
                tmp.unlink(missing_ok=True)
    for rel in missing:
        if rel not in out:
            out[rel] = format_python(texts[rel], generator)
    return {rel: out[rel] for rel in texts}


def _format_cache_path(text: str) -> Path:
    """Where :func:`format_python` keeps the formatted ``text`` (the same key)."""
    key = hashlib.sha256(
        "\0".join((_ruff_version(), *RUFF_FORMAT_ARGS, text)).encode("utf-8", "surrogatepass")
    ).hexdigest()
    return _format_cache_dir() / key[:2] / f"{key}.py"


@lru_cache(maxsize=1)
def _ruff_bin() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]  # pinned ruff

    return str(find_ruff_bin())


@lru_cache(maxsize=1)
def _ruff_version() -> str:
    return subprocess.run(
        [_ruff_bin(), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _format_cache_dir() -> Path:
    from codegen.bridge.releases import cache_root

    return cache_root() / "format"


def header_lines(generator: str, context: GenerationContext) -> list[str]:
    return [
        f"Code generated by apigen {__version__} ({generator} generator). DO NOT EDIT.",
        f"Spec: {context.spec.path} (service {context.model.name}), version {context.version}",
        f"Spec sha256: {context.spec.sha256}",
    ]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The single Jinja environment: templates under ``codegen/templates``, strict undefined."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("codegen", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def dump_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


MANIFEST = "MANIFEST.json"
_MANIFEST_MARK = "Code generated by apigen"


class OutputError(ApigenError):
    """The output folder cannot be written, or writing would destroy what apigen did not write."""

    fmt = "{path}: {message}"


@dataclass(frozen=True)
class WriteReport:
    written: list[Path]
    unchanged: list[Path]
    removed: list[Path]
    stale: list[str]  # with check=True: files that differ, are missing or are no longer produced
    foreign: list[Path] = field(default_factory=list)  # not written by apigen: left alone

    @property
    def ok(self) -> bool:
        return not self.stale


def previous_outputs(root: Path) -> set[str] | None:
    """The files apigen wrote into ``root`` last time, from its ``MANIFEST.json``.

    ``None`` when there is no manifest, or the file there is not one apigen wrote (then it is
    somebody else's file, and nothing under ``root`` counts as ours). Only plain relative paths
    inside ``root`` are believed.
    """
    path = root / MANIFEST
    if not path.is_file() or path.is_symlink():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    by = document.get("generatedBy")
    files = document.get("files")
    if not (
        isinstance(by, list)
        and by
        and isinstance(by[0], str)
        and by[0].startswith(_MANIFEST_MARK)
        and isinstance(files, dict)
    ):
        return None
    ours = {MANIFEST}
    for rel in files:
        pure = PurePosixPath(rel)
        if (
            isinstance(rel, str)
            and rel
            and not pure.is_absolute()
            and ".." not in pure.parts
            and "\\" not in rel
            and pure.as_posix() == rel
        ):
            ours.add(rel)
    return ours


def prepare_output(output: Path, *, parents: bool = False) -> None:
    """Create the output folder itself (its missing parents only if ``parents``), or say why not."""
    if not str(output):
        raise OutputError(path="''", message="the output folder is an empty path")
    if output.is_dir():
        return
    if output.exists() or output.is_symlink():
        raise OutputError(path=output, message="exists and is not a folder")
    parent = output.absolute().parent
    if not parents and not parent.is_dir():
        raise OutputError(
            path=output,
            message=f"cannot create the output folder: its parent {parent} is not an existing "
            "folder (create it first, or pass --parents)",
        )
    try:
        output.mkdir(parents=parents, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            path=output, message=f"cannot create the output folder: {exc.strerror or exc}"
        ) from None


def write_outputs(root: Path, outputs: Mapping[str, str], *, check: bool) -> WriteReport:
    """Write ``outputs`` under ``root`` (or, with ``check``, only compare).

    Only what apigen wrote itself is ever replaced or removed: the files the previous
    ``MANIFEST.json`` lists (a file no longer produced is removed) and files whose content is
    already the new one. Any other file is left alone and reported in ``foreign``; a foreign
    file where an output belongs stops the whole run before anything is written.
    """
    ours = previous_outputs(root) if root.is_dir() else None
    previous = ours or set()
    written: list[Path] = []
    unchanged: list[Path] = []
    removed: list[Path] = []
    stale: list[str] = []
    pending: list[tuple[Path, str]] = []
    blocked: list[str] = []
    for rel in sorted(outputs):
        path = root / rel
        content = outputs[rel]
        try:
            current = path.read_text(encoding="utf-8") if path.is_file() else None
        except (OSError, UnicodeDecodeError):
            current = ""  # unreadable: certainly not what we would write
        if current == content:
            unchanged.append(path)
            continue
        if check:
            stale.append(f"{path} ({'missing' if current is None else 'differs from the spec'})")
            continue
        if not _inside(path, root) or (
            (path.exists() or path.is_symlink()) and (rel not in previous or not path.is_file())
        ):
            blocked.append(str(path))  # not ours, or a symlinked folder leads elsewhere
            continue
        pending.append((path, content))
    if blocked:
        raise OutputError(
            path=root,
            message="refusing to overwrite what apigen did not write (its MANIFEST.json does "
            "not list it) or to write through a symlinked folder: "
            + ", ".join(blocked)
            + "; move them away and run again",
        )
    for path, content in pending:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".apigen-tmp")
            tmp.write_text(content, encoding="utf-8", newline="\n")
            tmp.replace(path)
        except OSError as exc:
            raise OutputError(
                path=path, message=f"cannot write: {exc.strerror or exc}"
            ) from None
        written.append(path)
    foreign: list[Path] = []
    if root.is_dir():
        for rel in sorted(previous - set(outputs)):
            path = root / rel
            if not path.is_file() or path.is_symlink() or not _inside(path, root):
                continue
            if check:
                stale.append(f"{path} (no longer produced; 'apigen generate' removes it)")
                continue
            try:
                path.unlink()
            except OSError as exc:
                raise OutputError(
                    path=path, message=f"cannot remove a stale file: {exc.strerror or exc}"
                ) from None
            removed.append(path)
            _remove_empty_parents(path.parent, root)
        foreign = _foreign(root, set(outputs))
    return WriteReport(written, unchanged, removed, stale, foreign)


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` really lies under ``root`` (no symlinked folder leads elsewhere)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except OSError:
        return False


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent


def _foreign(root: Path, outputs: set[str]) -> list[Path]:
    """What lies under ``root`` that apigen did not write: files, or whole folders that hold
    no output (a ``.git/`` is named once, not file by file); ``__pycache__`` is not named."""
    folders = {PurePosixPath(rel).parent.as_posix() for rel in outputs}
    folders |= {p.as_posix() for rel in outputs for p in PurePosixPath(rel).parents}
    found: list[Path] = []

    def walk(folder: Path, rel: str) -> None:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return
        for entry in entries:
            sub = f"{rel}/{entry.name}" if rel else entry.name
            if entry.name == "__pycache__" or sub in outputs:
                continue
            if entry.is_dir() and not entry.is_symlink():
                if sub in folders:
                    walk(entry, sub)
                else:
                    found.append(entry)
            else:
                found.append(entry)

    walk(root, "")
    return found
