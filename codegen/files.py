"""Where files enter and leave the toolkit: reading a user's file, parsing JSON, writing an output.

Every failure becomes a :class:`~codegen.errors.UsageError` naming the file (or option) and
what is wrong with it, never an ``OSError``, ``UnicodeDecodeError`` or ``RecursionError``:

* :func:`read_text` — a text file the user names (``--ignore``, ``--changelog``): missing,
  unreadable, a folder, or not UTF-8 (with the offset of the first bad byte);
* :func:`parse_json` — JSON from anyone: malformed, or nested deeper than the parser (or the
  code after it) can follow;
* :func:`write_text` — an output file the user names (``--output``): a folder, under a regular
  file, in a missing folder, on a full or read-only device. The file is written in place, so a
  device (``/dev/stdout``) stays what it is. :func:`open_output` is the same for a file
  written piece by piece (the streamed diff reports);
* :func:`write_files` — files written into a folder the user names (``--data-path``): never
  replacing a file apigen did not write there;
* :func:`replace_below` / :func:`remove_below` — every file written or removed below an output
  folder (``generate``, ``update``, ``--data-path``), never through a symbolic link.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import os
import re
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any

from codegen.errors import UsageError

#: Deeper JSON than this is refused before anything walks it: botocore's own models nest
#: about 10 levels, specs about 12; recursive code (the loader's checks, the JSON Schema
#: validator) must never meet a document deep enough to exhaust Python's stack.
MAX_JSON_DEPTH = 200


def describe_os_error(exc: OSError) -> str:
    if exc.errno == errno.ENOTDIR:
        return "a part of the path is a file, not a folder"
    if exc.errno == errno.EISDIR:
        return "is a folder"
    if exc.errno == errno.ELOOP:
        return "a symbolic link is on the way (apigen writes nothing through one)"
    return exc.strerror or str(exc)


#: No input file is read beyond this: the largest botocore model is a few MB.
MAX_INPUT_BYTES = 256 * 2**20


def read_bytes(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file, or an ``OSError`` saying why not: besides the usual ones, a
    device or socket (``/dev/zero`` never ends) and a file larger than ``limit`` are refused,
    so that reading never hangs or exhausts memory. Pipes (``<(...)``) and ``/dev/null`` are
    read."""
    with open(path, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if stat.S_ISCHR(mode) and os.path.samefile(path, os.devnull):
            return b""  # an empty input, on purpose
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise OSError(errno.EINVAL, "not a regular file (a device or socket)", str(path))
        raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // 2**20} MiB", str(path))
    return raw


def gunzip(raw: bytes, limit: int = MAX_INPUT_BYTES) -> bytes:
    """``raw`` decompressed (an ``OSError`` past ``limit`` bytes: a small file must not
    decompress into gigabytes)."""
    with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // 2**20} MiB once decompressed")
    return data


def read_text(path: Path, what: str) -> str:
    """The UTF-8 text of ``path``; ``what`` names it in errors (e.g. ``--ignore rules.txt``)."""
    try:
        raw = read_bytes(path)
    except OSError as exc:
        raise UsageError(message=f"{what}: cannot read it ({describe_os_error(exc)})") from None
    return decode_utf8(raw, what)


def decode_utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            message=f"{what}: not UTF-8 text (byte {exc.start}, line {line}: {raw[exc.start : exc.start + 1]!r})"
        ) from None


_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_depth_problem(text: str, limit: int = MAX_JSON_DEPTH) -> str | None:
    """A message if the JSON text nests arrays/objects deeper than about ``limit``, else None.

    Strings and everything but brackets are dropped, then the innermost pairs are removed
    pass by pass (each pass removes one or two levels), all at C speed: a model of several
    megabytes takes milliseconds. Unbalanced brackets are left to the parser to report."""
    if text.count("[") + text.count("{") <= limit:
        return None
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    for _ in range(limit // 2):
        if not brackets:
            return None
        fewer = brackets.replace("[]", "").replace("{}", "")
        if fewer == brackets:
            return None
        brackets = fewer
    return f"nested more than {limit // 2} levels deep" if brackets else None


# A JSON escape of a UTF-16 surrogate (D800-DFFF): text decoded as UTF-8 holds no surrogate, so
# such an escape is the only way one gets into a parsed document; its pair makes one character,
# alone it stays a lone surrogate, which no UTF-8 output (a file, standard output, generated
# code, JSON, XML) can carry.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_problems(text: str | bytes, document: Any) -> list[tuple[str, str]]:
    """``(JSON pointer, message)`` for every string of ``document`` (parsed from ``text``), key
    or value, that holds a lone surrogate (``"\\udfff"``): refused where a document enters, so
    that no output meets one. A text without a surrogate escape is not walked at all."""
    if isinstance(text, bytes):
        escaped = _SURROGATE_ESCAPE_BYTES.search(text) is not None
    else:
        escaped = _SURROGATE_ESCAPE.search(text) is not None
    if not escaped:
        return []
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                inner = f"{where}/{key.replace('~', '~0').replace('/', '~1')}"
                if _LONE_SURROGATE.search(key):
                    found.append((inner, _surrogate_message(key, "the key")))
                stack.append((value, inner))
        elif isinstance(node, list):
            stack.extend((value, f"{where}/{i}") for i, value in enumerate(node))
        elif isinstance(node, str) and _LONE_SURROGATE.search(node):
            found.append((where, _surrogate_message(node, "the string")))
    return sorted(found)


def _surrogate_message(text: str, what: str) -> str:
    match = _LONE_SURROGATE.search(text)
    assert match is not None
    return (
        f"{what} holds a lone surrogate ({match.group().encode('unicode_escape').decode()} at "
        f"character {match.start()}): a \\u escape without its pair is no character, and no "
        "UTF-8 output can carry it"
    )


def parse_json(
    text: str | bytes,
    what: str,
    *,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
) -> Any:
    """Parse JSON; malformed or too deeply nested JSON, or a string holding a lone surrogate, is
    a UsageError naming ``what`` (and the JSON pointers)."""
    if isinstance(text, bytes):
        text = decode_utf8(text, what)
    problem = json_depth_problem(text)
    if problem is not None:
        raise UsageError(message=f"{what} is not a usable JSON document: {problem}")
    try:
        document = json.loads(text, object_pairs_hook=object_pairs_hook)
    except json.JSONDecodeError as exc:
        raise UsageError(
            message=f"{what} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except RecursionError:  # pragma: no cover - the depth check above comes first
        raise UsageError(
            message=f"{what} is not a usable JSON document: nested too deeply"
        ) from None
    lone = surrogate_problems(text, document)
    if lone:
        where = ", ".join(pointer or "/" for pointer, _ in lone[:3])
        more = f" and {len(lone) - 3} more" if len(lone) > 3 else ""
        raise UsageError(message=f"{what}: at {where}{more}: {lone[0][1]}")
    return document


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically: written to a fresh temporary file beside it
    (a name no other file has, so nothing of the user's is overwritten on the way), which then
    takes its place; a file that exists keeps its permission bits. Raises ``OSError`` (the
    temporary file removed) for the caller to report."""
    try:
        mode: int | None = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = None
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".apigen-tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is None:  # a new file: what open() would have made of it
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- writing below an output folder, never through a symbolic link ---------------------------
#
# The folder a user names (``-o o``, ``--data-path DIR``) may be a symbolic link: they chose
# where it leads. Nothing the tool creates or writes below it ever goes through one: each
# folder under it is opened with ``O_NOFOLLOW`` relative to the one above (``openat``), and
# each file is written to a fresh temporary name in that folder and renamed over the old one,
# so that a link put in place of a folder, even while apigen runs, fails the write (ELOOP)
# instead of leading it elsewhere. Callers check first (:func:`symlink_on_the_way`) so that
# the usual case, a link already there, is refused before anything is written.

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def symlink_on_the_way(base: Path, rel: str) -> Path | None:
    """The first of ``base/rel``'s folders and file below ``base`` that is a symbolic link, or
    None (``base`` itself is the user's and may be one)."""
    path = base
    for part in PurePosixPath(rel).parts:
        path = path / part
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return path
        except OSError:
            return None  # missing (or unreadable): nothing below it exists to lead elsewhere
    return None


@contextmanager
def _folder(base: Path, parts: Sequence[str], *, create: bool) -> Iterator[int]:
    """A descriptor of the folder ``base/parts...``, each part opened without following a
    symbolic link (and created first when ``create``)."""
    fd = os.open(base, _DIR_FLAGS)
    try:
        for part in parts:
            if create:
                try:
                    os.mkdir(part, dir_fd=fd)
                except FileExistsError:
                    pass
            try:
                inner = os.open(part, _DIR_FLAGS | _NOFOLLOW, dir_fd=fd)
            except OSError as exc:  # Linux says ENOTDIR for a link opened as a folder
                if stat.S_ISLNK(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode):
                    raise OSError(errno.ELOOP, "a symbolic link", part) from None
                raise exc from None
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def plain_relative(rel: str) -> bool:
    """Whether ``rel`` is a relative path of plain names (no ``..``, ``.``, empty part,
    absolute start or backslash): it names a place below a folder, never outside it."""
    parts = rel.split("/")
    return bool(rel) and "\\" not in rel and all(p not in ("", ".", "..") for p in parts)


def _parts(rel: str) -> list[str]:
    if not plain_relative(rel):
        raise OSError(errno.EINVAL, "not a plain relative path", rel)
    return rel.split("/")


def replace_below(base: Path, rel: str, data: bytes) -> None:
    """Replace the file ``base/rel`` by ``data`` atomically (a fresh temporary file renamed over
    it; an existing file keeps its permission bits), creating the folders of ``rel``; nothing
    below ``base`` is followed if it is a symbolic link (an ``OSError``, ELOOP, is raised)."""
    *folders, name = _parts(rel)
    with _folder(base, folders, create=True) as fd:
        try:
            mode: int | None = stat.S_IMODE(
                os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
            )
        except FileNotFoundError:
            mode = None
        temp = f".{name}.{secrets.token_hex(6)}.apigen-tmp"
        out = os.open(
            temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666, dir_fd=fd
        )  # 0o666 less the umask: what open() makes of a new file
        try:
            with os.fdopen(out, "wb") as f:
                if mode is not None:
                    os.fchmod(f.fileno(), mode)
                f.write(data)
            os.replace(temp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            try:
                os.unlink(temp, dir_fd=fd)
            except OSError:
                pass
            raise


def remove_below(base: Path, rel: str, *, keep: int = 0) -> None:
    """Remove the file ``base/rel`` (never following a symbolic link below ``base``), then the
    folders of ``rel`` it leaves empty, deepest first, except the first ``keep`` of them."""
    *folders, name = _parts(rel)
    with _folder(base, folders, create=False) as fd:
        os.unlink(name, dir_fd=fd)
    while len(folders) > keep:
        *above, last = folders
        try:
            with _folder(base, above, create=False) as fd:
                os.rmdir(last, dir_fd=fd)  # only when empty
        except OSError:
            return
        folders = above


def write_text(path: Path, text: str, what: str = "--output") -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to the file ``path`` the user named.

    Its folder is created if the folder above it exists (a chain of missing folders is not);
    a folder at ``path``, a path under a regular file or a failed write is a UsageError
    naming the path (see :func:`open_output`)."""
    with open_output(path, what) as f:
        f.write(text)


@contextmanager
def open_output(path: Path, what: str = "--output") -> Iterator[IO[str]]:
    """The file ``path`` the user named, open for writing text (UTF-8, ``\\n`` line ends),
    with :func:`write_text`'s checks: a folder at ``path``, a path under a regular file, a
    chain of missing folders, or a failure to open, write or close it (a full device) is a
    UsageError naming the path. Writes inside the ``with`` block are covered too."""
    shown = f"{what} {str(path) or repr('')}"
    if str(path) in ("", "."):
        raise UsageError(message=f"{what} {str(path)!r}: expected a file path")
    if path.is_dir():
        raise UsageError(message=f"{shown}: is a folder, not a file")
    parent = path.parent
    if not parent.exists() and parent.parent.is_dir():
        try:
            parent.mkdir()
        except OSError as exc:
            raise UsageError(
                message=f"{shown}: cannot create its folder ({describe_os_error(exc)})"
            ) from None
    if not parent.is_dir():
        reason = "is a file, not a folder" if parent.exists() else "no such folder"
        raise UsageError(message=f"{shown}: cannot write it: {parent} {reason}")
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            yield f
    except OSError as exc:
        raise UsageError(message=f"{shown}: cannot write it ({describe_os_error(exc)})") from None


#: Beside the files :func:`write_files` wrote: each file's name and the SHA-256 it was written
#: with, so that a later run replaces (or removes) only what it wrote and nobody changed since.
WRITTEN_MARK = ".apigen-written.json"


def write_files(root: Path, sub: str, files: dict[str, str], what: str) -> Path:
    """Write ``files`` (name: text) into the folder ``root/sub`` and return that folder.

    ``root`` itself is created if the folder above it exists (a chain of missing folders is
    not); ``sub``'s folders under it are created. An existing file is replaced only when it
    already holds the new text or is one this function wrote and nobody changed since (its
    digest in :data:`WRITTEN_MARK`); a file it wrote before that is no longer produced is removed
    on the same terms. Anything else is left alone and stops the run before anything is written,
    named in a UsageError, as is every failure to write.
    """
    if not str(root):
        raise UsageError(message=f"{what} '': an empty path is not a folder")
    shown = f"{what} {root}"
    if not root.is_dir():
        if root.exists() or root.is_symlink():
            raise UsageError(message=f"{shown}: exists and is not a folder")
        parent = root.absolute().parent
        if not parent.is_dir():
            raise UsageError(
                message=f"{shown}: cannot create the folder: its parent {parent} is not an "
                "existing folder (create it first)"
            )
        try:
            root.mkdir()
        except OSError as exc:
            raise UsageError(
                message=f"{shown}: cannot create the folder ({describe_os_error(exc)})"
            ) from None
    from codegen.locking import folder_lock  # (imports this module)

    with folder_lock(root, what):
        return _write_files(root, sub, files, what, shown)


def _write_files(root: Path, sub: str, files: dict[str, str], what: str, shown: str) -> Path:
    folder = root / sub
    links = {symlink_on_the_way(root, f"{sub}/{name}") for name in [*files, WRITTEN_MARK]}
    if links - {None}:
        shown = ", ".join(sorted(str(link) for link in links if link is not None))
        raise UsageError(
            message=f"{shown}: refusing to write through a symbolic link (apigen writes nothing "
            f"through one below {what} {root}): replace it by a folder and run again"
        )
    recorded = _recorded(folder / WRITTEN_MARK)
    blocked: list[str] = []
    for name in sorted(set(files) | set(recorded)):
        path = folder / name
        if not (path.exists() or path.is_symlink()):
            continue
        try:
            current = None if path.is_symlink() or not path.is_file() else path.read_bytes()
        except OSError:
            current = None
        if current is None:
            blocked.append(str(path))
        elif name in files and current == files[name].encode("utf-8"):
            continue
        elif recorded.get(name) != hashlib.sha256(current).hexdigest():
            blocked.append(str(path))
    if blocked:
        raise UsageError(
            message=f"{shown}: refusing to replace what apigen did not write (or what was "
            f"changed since): {', '.join(blocked)}; move it away and run again"
        )
    levels = len(PurePosixPath(sub).parts)
    try:
        for name in sorted(set(recorded) - set(files)):
            try:
                remove_below(root, f"{sub}/{name}", keep=levels)
            except FileNotFoundError:
                pass
        for name, text in sorted(files.items()):
            replace_below(root, f"{sub}/{name}", text.encode("utf-8"))
        digests = {n: hashlib.sha256(t.encode("utf-8")).hexdigest() for n, t in files.items()}
        mark = json.dumps(digests, indent=2, sort_keys=True) + "\n"
        replace_below(root, f"{sub}/{WRITTEN_MARK}", mark.encode("utf-8"))
    except OSError as exc:
        raise UsageError(
            message=f"{shown}: cannot write {folder} ({describe_os_error(exc)})"
        ) from None
    return folder


def _recorded(mark: Path) -> dict[str, str]:
    """The digests :func:`write_files` recorded (none when the mark is missing or damaged)."""
    try:
        document = json.loads(mark.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict):
        return {}
    return {
        name: digest
        for name, digest in document.items()
        if isinstance(digest, str) and isinstance(name, str) and _PLAIN_NAME.fullmatch(name)
    }


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


#: What a failed write to an open stream raises (no file name: the stream was open already).
_WRITE_ERRNOS = {errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EBADF}


def is_stream_write_error(exc: OSError) -> bool:
    """Whether ``exc`` is a failed write to an already open stream (standard output: every
    file the toolkit writes goes through :func:`open_output`, which names its path)."""
    return exc.filename is None and exc.errno in _WRITE_ERRNOS


def stdout_broken(error: OSError | None = None) -> OSError | None:
    """Flush standard output; the error if it cannot be written (a full device, a closed pipe),
    or ``error`` when that is the failure of a write to it.

    After a failure standard output is pointed at the null device, so that the interpreter's
    own flush at exit does not fail again with a traceback."""
    broken = error if error is not None and is_stream_write_error(error) else None
    try:
        sys.stdout.flush()
    except OSError as exc:
        broken = exc
    except ValueError:  # closed
        pass
    if broken is not None:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
            pass
    return broken
