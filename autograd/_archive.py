"""Read a zip of ``.npy`` members (an ``.npz`` file) without trusting it: no pickle, every size and
header checked from the zip directory before any data is decompressed, and a JSON member parsed
with caps on its size, nesting and integers. Every problem is a ``ValueError`` naming the member.

Shared by :func:`autograd.load` and ``optimizers.load_checkpoint``.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

import numpy as np

#: Caps on a JSON member: characters, nesting depth, digits of an integer.
MAX_META_CHARS, MAX_DEPTH, MAX_INT_DIGITS = 1 << 22, 32, 20
_CHUNK = 1 << 20
MAX_HEADER = 1 << 16  # bytes of a .npy header (magic, length and dict), far more than numpy writes
_KINDS = {"f": "a real floating-point array", "U": "a unicode string"}


def corrupt(what: str, e: BaseException) -> ValueError:
    return ValueError(f"{what}: the archive is corrupt or truncated ({type(e).__name__}: {e})")


class Archive:
    """The members of a zip of ``.npy`` files, read with every size and header checked."""

    def __init__(self, f: IO[bytes]) -> None:
        import zipfile  # (here: 4 ms of the optimizers' import time otherwise)

        start = f.read(6)
        f.seek(0)
        try:
            self.zip = zipfile.ZipFile(f)
            infos = self.zip.infolist()
        except Exception as e:  # zipfile raises many types on hostile input
            if start == b"\x93NUMPY":
                raise ValueError("expected an .npz archive (a zip file), found a single .npy array") from None
            raise corrupt("expected an .npz archive (a zip file)", e) from None
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not info.filename.endswith(".npy"):
                raise ValueError(f"member {info.filename!r}: expected only .npy members")
            name = info.filename[:-4]
            if name in self.members:
                raise ValueError(f"member {name!r} appears twice")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise ValueError(
                    f"member {name!r}: expected a stored or deflated member, got compression "
                    f"method {info.compress_type}"
                )
            self.members[name] = info

    def header(self, name: str) -> tuple[np.dtype, tuple[int, ...], bool, int]:
        """``(dtype, shape, fortran_order, header bytes)`` of member ``name``, refusing
        pickled (object) and structured dtypes."""
        info = self.members.get(name)
        if info is None:
            raise ValueError(f"member {name!r} is missing")
        try:
            with self.zip.open(info) as stream:
                version = np.lib.format.read_magic(stream)
                read = {
                    (1, 0): np.lib.format.read_array_header_1_0,
                    (2, 0): np.lib.format.read_array_header_2_0,
                }.get(version)
                if read is None:
                    raise ValueError(f"unsupported .npy format version {version}")
                shape, fortran, dtype = read(stream, max_header_size=MAX_HEADER)
                offset = stream.tell()
        except Exception as e:
            raise corrupt(f"member {name!r} (.npy header)", e) from None
        if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
            raise ValueError(f"member {name!r}: expected a plain numeric array, got dtype {dtype} (refused)")
        return dtype, shape, fortran, offset

    def check(
        self, name: str, kinds: str, shape: tuple[int, ...] | None
    ) -> tuple[np.dtype, tuple[int, ...], bool, int, int]:
        """``(dtype, shape, fortran_order, header bytes, data bytes)`` of member ``name`` after
        checking, from its header and the zip directory alone, that its dtype kind is in
        ``kinds``, its shape is ``shape`` (any, if None) and its declared size fits exactly."""
        dtype, found, fortran, offset = self.header(name)
        if dtype.kind not in kinds:
            expected = _KINDS.get(kinds, f"an array of dtype kind {'/'.join(kinds)}")
            raise ValueError(f"member {name!r}: expected {expected}, got dtype {dtype}")
        if shape is not None and found != shape:
            raise ValueError(f"member {name!r}: expected shape {shape}, got {found}")
        nbytes = dtype.itemsize * int(np.prod(found, dtype=object))
        info = self.members[name]
        if info.file_size != offset + nbytes:
            raise ValueError(
                f"member {name!r}: expected {offset + nbytes} bytes for a {dtype} array of shape "
                f"{found}, but its declared size is {info.file_size}"
            )
        return dtype, found, fortran, offset, nbytes

    def read(self, name: str, kinds: str, shape: tuple[int, ...] | None) -> np.ndarray:
        """Member ``name``, checked as in ``check`` before any data is decompressed."""
        dtype, shape, fortran, offset, nbytes = self.check(name, kinds, shape)
        info = self.members[name]
        data, filled = np.empty(nbytes, np.uint8), 0
        try:
            with self.zip.open(info) as stream:
                stream.seek(offset)
                while filled < nbytes:  # chunks into one buffer (zipfile's own read(n) joins bytes)
                    chunk = stream.read(min(_CHUNK, nbytes - filled))
                    if not chunk:
                        break
                    data[filled : filled + len(chunk)] = np.frombuffer(chunk, np.uint8)
                    filled += len(chunk)
                end = stream.read(1)  # reaching the end checks the CRC
        except Exception as e:
            raise corrupt(f"member {name!r}", e) from None
        if filled != nbytes or end:
            raise ValueError(f"member {name!r}: expected {nbytes} bytes of data, got {filled + len(end)}")
        return data.view(dtype).reshape(shape, order="F" if fortran else "C")

    def json(self, name: str) -> Any:
        """Member ``name``, a unicode string holding JSON, parsed with the caps on its size,
        nesting and integers (``MAX_META_CHARS``, ``MAX_DEPTH``, ``MAX_INT_DIGITS``)."""
        info = self.members[name]
        if info.file_size > MAX_HEADER + 4 * MAX_META_CHARS:
            raise ValueError(
                f"member {name!r}: expected at most {MAX_META_CHARS} characters, "
                f"got a declared size of {info.file_size} bytes"
            )
        text = str(self.read(name, "U", ())[()])
        check_depth(text, name)
        try:
            return json.loads(text, parse_int=parse_int)
        except (ValueError, RecursionError) as e:
            raise ValueError(f"member {name!r}: expected JSON, got an invalid document ({e})") from None


def check_depth(text: str, name: str = "__meta__") -> None:
    """Refuse JSON nested deeper than ``MAX_DEPTH`` (before the recursive parser sees it)."""
    outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text).encode("utf-8", "replace")
    codes = np.frombuffer(outside_strings, np.uint8)
    steps = np.isin(codes, (ord("["), ord("{"))).astype(np.int64) - np.isin(codes, (ord("]"), ord("}")))
    depth = int(np.cumsum(steps).max(initial=0))
    if depth > MAX_DEPTH:
        raise ValueError(f"member {name!r}: expected JSON nested at most {MAX_DEPTH} deep, got {depth}")


def parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"expected integers of at most {MAX_INT_DIGITS} digits, got {len(digits)} digits")
    return int(digits)
