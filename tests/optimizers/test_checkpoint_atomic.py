"""Saving is atomic and tidy: a process killed (SIGKILL) at a random moment while saving
over an existing checkpoint leaves a complete checkpoint (the old one or the new one);
what killed saves leave behind is removed by the next save, but never a temporary file
that a live process is writing; a file ``np.savez`` may not write is not replaced; and
errors name the caller's path."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from autograd import Tensor, _atomic
from optimizers import CheckpointError, checkpoint, load_checkpoint, save_checkpoint

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")

SIZE = 2**21  # float64 elements: a 16 MiB checkpoint


# Round k saves VERSIONS[k % 2] (built before forking, so the child starts saving at once).
VERSIONS = [Tensor(np.full(SIZE, 1.0)), Tensor(np.full(SIZE, 2.0))]


def _save_forever(path: Path, first_round: int) -> None:
    """In a forked child: save rounds ``first_round, first_round + 1, ...`` until killed."""
    try:
        for k in range(first_round, first_round + 10**6):
            save_checkpoint(path, [VERSIONS[k % 2]], round=k)
    finally:
        os._exit(0)


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def _kill_during_saves(path: Path, trials: int, seed: int) -> tuple[int, int, int, set[int]]:
    """Fork a saver, SIGKILL it after a random delay, load what is on disk; repeat.
    Returns (files that failed to load completely, kills that left a temporary file, the
    most temporary files seen at once, rounds seen)."""
    rng = random.Random(seed)
    unreadable, interrupted, most, rounds = 0, 0, 0, set()
    for trial in range(trials):
        pid = os.fork()
        if pid == 0:
            _save_forever(path, first_round=1000 * (trial + 1))
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        leftovers = len(_temporaries(path.parent))
        interrupted += leftovers > 0
        most = max(most, leftovers)
        w = Tensor(np.full(SIZE, np.nan), requires_grad=True)
        try:
            k = load_checkpoint(path, [w])["round"]
        except CheckpointError:
            unreadable += 1
            continue
        assert np.all(w.data == (-1 if k < 0 else VERSIONS[k % 2].data[0]))  # all from one save
        rounds.add(k)
    return unreadable, interrupted, most, rounds


def test_a_killed_save_never_loses_the_checkpoint_and_leaves_no_pile(tmp_path: Path) -> None:
    """Each save first removes what earlier killed saves left (before it creates its own
    file), so at most the one file of the last kill is ever there, and the next save
    removes it too."""
    path = tmp_path / "run.npz"
    save_checkpoint(path, [Tensor(np.full(SIZE, -1.0))], round=-1)
    unreadable, interrupted, most, rounds = _kill_during_saves(path, trials=20, seed=0)
    print(f"atomic save: {unreadable}/20 unreadable; {interrupted} kills mid-write; rounds {sorted(rounds)}")
    assert unreadable == 0
    assert interrupted > 0  # the kills did land during writes, so the test can fail
    assert most == 1
    save_checkpoint(path, [Tensor(np.zeros(3))])
    assert _temporaries(tmp_path) == []


def test_the_harness_catches_a_save_that_truncates_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same harness with the old non-atomic save finds unreadable files."""

    def truncating_write(path: str, write: object) -> None:
        with open(path, "wb") as f:
            write(f)

    monkeypatch.setattr(checkpoint, "write_atomically", truncating_write)
    path = tmp_path / "run.npz"
    save_checkpoint(path, [Tensor(np.full(SIZE, -1.0))], round=-1)
    unreadable, _, _, _ = _kill_during_saves(path, trials=6, seed=1)
    print(f"truncating save: {unreadable}/6 unreadable", file=sys.stderr)
    assert unreadable > 0


def test_the_harness_catches_leftovers_that_pile_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the clean-up (as before), every kill mid-write adds a file of up to full size."""
    monkeypatch.setattr(_atomic, "_remove_stale", lambda folder, name: None)
    path = tmp_path / "run.npz"
    save_checkpoint(path, [Tensor(np.full(SIZE, -1.0))], round=-1)
    _, _, most, _ = _kill_during_saves(path, trials=8, seed=2)
    assert most > 1


def _hold_a_temporary(path: Path) -> Iterator[Path]:
    """A forked child that is "writing" ``path``: it holds a temporary file exactly as a live
    save does until told to stop. Yields that file's path."""
    ready_r, ready_w = os.pipe()
    stop_r, stop_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(ready_r)
            os.close(stop_w)
            with _atomic._locked_temporary(str(path.parent), path.name) as (f, tmp):
                f.write(b"half a checkpoint")
                os.write(ready_w, tmp.encode())
                os.read(stop_r, 1)  # until the parent says so (or dies)
        finally:
            os._exit(0)
    os.close(ready_w)
    os.close(stop_r)
    try:
        yield Path(os.read(ready_r, 4096).decode())
    finally:
        os.write(stop_w, b"x")
        os.waitpid(pid, 0)
        os.close(ready_r)
        os.close(stop_w)


def test_a_temporary_file_that_a_live_process_writes_is_never_removed(tmp_path: Path) -> None:
    path = tmp_path / "run.npz"
    live = _hold_a_temporary(path)
    held = next(live)
    save_checkpoint(path, [Tensor(np.ones(3))])
    assert held.exists()  # its writer is alive
    next(live, None)  # the writer exits without renaming: now it is a leftover
    assert held.exists()
    save_checkpoint(path, [Tensor(np.ones(3))])
    assert not held.exists() and _temporaries(tmp_path) == []


def test_the_check_catches_a_cleaner_that_ignores_live_writers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cleaner that takes no lock (deletes every file of the pattern) deletes a live one."""

    class NoLocks:
        LOCK_EX = LOCK_NB = 0

        @staticmethod
        def flock(fd: int, operation: int) -> None:
            pass

    path = tmp_path / "run.npz"
    live = _hold_a_temporary(path)
    held = next(live)
    monkeypatch.setattr(_atomic, "fcntl", NoLocks)
    save_checkpoint(path, [Tensor(np.ones(3))])
    assert not held.exists()
    next(live, None)


def test_two_processes_saving_the_same_path_never_fail(tmp_path: Path) -> None:
    """Each cleans up before it writes; neither ever removes the other's file in progress."""
    path = tmp_path / "run.npz"
    rounds = 40
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            for k in range(rounds):
                save_checkpoint(path, [Tensor(np.full(2**16, 1.0))], round=k)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    for k in range(rounds):
        save_checkpoint(path, [Tensor(np.full(2**16, 2.0))], round=k)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    w = Tensor(np.zeros(2**16), requires_grad=True)
    load_checkpoint(path, [w])
    assert w.data[0] in (1.0, 2.0) and np.all(w.data == w.data[0])
    assert _temporaries(tmp_path) == []


def _overwrite_read_only(folder: str) -> dict:
    """Save, make the file read-only (0444), try to overwrite it with np.savez and with
    save_checkpoint; what each raised, and whether the file is unchanged."""
    path = os.path.join(folder, "run.npz")
    save_checkpoint(path, [Tensor([1.0, 2.0])])
    os.chmod(path, 0o444)
    with open(path, "rb") as f:
        before = f.read()
    found: dict = {}
    for name, save in (
        ("np.savez", lambda: np.savez(path, x=np.zeros(2))),
        ("save_checkpoint", lambda: save_checkpoint(path, [Tensor([5.0, 6.0])])),
    ):
        try:
            save()
            found[name] = None
        except Exception as e:
            found[name] = [type(e).__name__, str(e)]
    with open(path, "rb") as f:
        found["unchanged"] = f.read() == before
    found["files"] = sorted(os.listdir(folder))
    return found


def test_a_read_only_checkpoint_is_refused_as_np_savez_refuses_it() -> None:
    """Root may write any file (and np.savez then does), so as root this runs in a forked
    child that has become the ordinary user "nobody", in a folder of its own."""
    _overwrite_read_only(tempfile.mkdtemp())  # imports everything the child will need
    folder = tempfile.mkdtemp()
    os.chmod(folder, 0o777)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            os.write(write, json.dumps(_overwrite_read_only(folder)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        output = f.read()
    os.waitpid(pid, 0)
    shutil.rmtree(folder)
    found = json.loads(output)
    assert found["np.savez"][0] == "PermissionError"
    kind, message = found["save_checkpoint"]
    assert kind == "PermissionError" and "run.npz'" in message and "read-only" in message
    assert ".tmp" not in message
    assert found["unchanged"] and found["files"] == ["run.npz"]


def test_errors_name_the_path_not_the_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no such folder" / "run.npz"
    with pytest.raises(FileNotFoundError, match="expected a file in an existing folder") as info:
        save_checkpoint(missing, [Tensor([1.0])])
    assert info.value.filename == str(missing) and ".tmp" not in str(info.value)

    with pytest.raises(IsADirectoryError) as info:
        save_checkpoint(tmp_path, [Tensor([1.0])])
    assert info.value.filename == str(tmp_path)

    def read_only_file_system(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / ".run.npz.abcdefgh.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only_file_system)  # (_atomic imports it when it writes)
    path = tmp_path / "run.npz"
    with pytest.raises(OSError, match="Read-only file system") as info:
        save_checkpoint(path, [Tensor([1.0])])
    assert info.value.errno == errno.EROFS and info.value.filename == str(path)
    assert ".tmp" not in str(info.value)
