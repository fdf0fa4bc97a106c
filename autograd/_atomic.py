"""Replace a file atomically: write a temporary file in the same folder, flush it to
disk, rename it over the target. A crash at any moment leaves the old file or the new
one, complete.

* Permissions are those of ``np.save`` / ``torch.save``: a file they could not open
  for writing (e.g. mode 0444 for an ordinary user) raises ``PermissionError``, and
  the replacement keeps the old file's mode.
* Errors name the caller's path, not the temporary file.
* A save killed mid-write leaves its temporary file (``.NAME.XXXXXXXX.tmp``). Each
  later save of the same path removes those of its own naming pattern, but never one
  that a live process is still writing. A writer holds an exclusive ``flock`` on its
  temporary file until it has renamed it; the kernel drops the lock when the writer
  dies, even by SIGKILL, so "the lock can be taken" means exactly "no live writer".
  (A process id in the name would be wrong for a folder shared between machines or
  containers and after pid reuse; an age limit would delete a slow writer's file, or
  keep leftovers for as long as the limit.) The cleaner deletes a file only while
  holding its lock and only if the name still refers to the locked file; a writer
  whose fresh file was deleted before it could lock it starts over with a new one.
  Where ``flock`` does not exist (Windows), leftovers are not removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from typing import IO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_SUFFIX = ".tmp"


def write_atomically(path: str, write: Callable[[IO[bytes]], None]) -> None:
    """Replace ``path`` by a file that ``write(f)`` fills, atomically.

    Raises:
        OSError: (``PermissionError``, ``FileNotFoundError``, ...) naming ``path``, when it
            cannot be written: not writable, no such folder, a read-only file system, ...
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        mode = _writable_mode(path)
        _remove_stale(folder, os.path.basename(path))
        with _locked_temporary(folder, os.path.basename(path)) as (f, tmp):
            try:
                write(f)
                f.flush()
                os.fsync(f.fileno())
                os.chmod(tmp, mode)
                if fcntl is None:  # Windows renames no open file
                    f.close()
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
    except OSError as e:
        raise _naming(e, path, folder) from None
    with contextlib.suppress(OSError, AttributeError):  # folders can't be opened on Windows
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _writable_mode(path: str) -> int:
    """The mode for the new file: the old file's (which must be writable, as for ``np.save``),
    else 0o666 less the umask."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    if stat.S_ISREG(st.st_mode):
        try:
            os.close(os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0)))  # writes nothing
        except PermissionError as e:
            reason = f"{e.strerror} (path: expected a file you may write, as np.save needs; it is read-only)"
            raise PermissionError(e.errno, reason, path) from None
    return st.st_mode & 0o777


def _naming(e: OSError, path: str, folder: str) -> OSError:
    """``e`` with a message about ``path`` (the temporary file is an internal detail)."""
    if e.errno is None or e.filename == path:
        return e
    if e.errno == errno.ENOENT and not os.path.isdir(folder):
        reason = f"{e.strerror} (path: expected a file in an existing folder; {folder!r} does not exist)"
    else:
        reason = f"{e.strerror} (path: it is written to a temporary file in its folder, then renamed over it)"
    return type(e)(e.errno, reason, path)


@contextlib.contextmanager
def _locked_temporary(folder: str, name: str) -> Iterator[tuple[IO[bytes], str]]:
    """A new temporary file ``.NAME.XXXXXXXX.tmp`` in ``folder``, open for writing and
    locked (where locks exist) until the block ends."""
    import tempfile  # (here: 4 ms of the optimizers' import time otherwise)

    while True:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=_SUFFIX, dir=folder)
        f = os.fdopen(fd, "wb")
        if fcntl is None:
            break
        with contextlib.suppress(OSError):  # a file system without locks: no cleaner can lock either
            fcntl.flock(fd, fcntl.LOCK_EX)
        if _is_named(fd, tmp):
            break
        f.close()  # a cleaner removed it before we locked it: take another
    try:
        yield f, tmp
    finally:
        f.close()


def _is_named(fd: int, name: str) -> bool:
    """Whether ``name`` is (still) the file open as ``fd``."""
    try:
        return os.path.samestat(os.stat(name, follow_symlinks=False), os.fstat(fd))
    except OSError:
        return False


def _remove_stale(folder: str, name: str) -> None:
    """Remove the temporary files of earlier saves of ``name`` that no live process holds."""
    if fcntl is None:
        return
    pattern = re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}{re.escape(_SUFFIX)}")
    candidates = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:  # no folder: the save says so
        candidates = [e.path for e in entries if pattern.fullmatch(e.name)]
    for tmp in candidates:
        try:
            fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue  # gone already, a link, or not ours to open
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a live writer holds it
            if stat.S_ISREG(os.fstat(fd).st_mode) and _is_named(fd, tmp):
                os.unlink(tmp)
        except OSError:
            pass
        finally:
            os.close(fd)
