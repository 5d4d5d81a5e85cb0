"""The checksums S3 verifies (``x-amz-checksum-*`` headers and trailers, ``Content-MD5``), with
the standard library alone.

Each algorithm gives the digest S3 sends and expects: the base64 of the big-endian CRC (4 bytes
for CRC32 and CRC32C, 8 for CRC64NVME) or of the hash. CRC32 is :func:`zlib.crc32`; CRC32C
(Castagnoli, reflected polynomial ``0x82F63B78``) and CRC64NVME (reflected polynomial
``0x9A6C9329AC4BC9B5``) are table-driven here, in pure Python (a few MB/s: ample for a stub
server's test uploads). The xxHash checksums S3 also lists are not in the standard library and
are not verified.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Callable
from typing import Final

__all__ = ["ALGORITHMS", "digest"]


def _table(polynomial: int) -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ polynomial if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC32C: Final = _table(0x82F63B78)
_CRC64NVME: Final = _table(0x9A6C9329AC4BC9B5)
_MASK32: Final = 0xFFFFFFFF
_MASK64: Final = 0xFFFFFFFFFFFFFFFF


def crc32c(data: bytes) -> int:
    table = _CRC32C
    crc = _MASK32
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ _MASK32


def crc64nvme(data: bytes) -> int:
    table = _CRC64NVME
    crc = _MASK64
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ _MASK64


def _crc(function: Callable[[bytes], int], width: int) -> Callable[[bytes], bytes]:
    def digest(data: bytes) -> bytes:
        return function(data).to_bytes(width, "big")

    return digest


def _hash(name: str) -> Callable[[bytes], bytes]:
    def digest(data: bytes) -> bytes:
        return hashlib.new(name, data).digest()

    return digest


# the algorithm's name in x-amz-checksum-<name> -> the raw digest of a body
ALGORITHMS: Final[dict[str, Callable[[bytes], bytes]]] = {
    "crc32": _crc(zlib.crc32, 4),
    "crc32c": _crc(crc32c, 4),
    "crc64nvme": _crc(crc64nvme, 8),
    "sha1": _hash("sha1"),
    "sha256": _hash("sha256"),
    "sha512": _hash("sha512"),
    "md5": _hash("md5"),
}


def digest(algorithm: str, data: bytes) -> str:
    """The base64 digest of ``data`` (``algorithm``: a key of :data:`ALGORITHMS`)."""
    return base64.b64encode(ALGORITHMS[algorithm](data)).decode("ascii")
