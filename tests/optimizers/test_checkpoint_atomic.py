"""A process killed (SIGKILL) at a random moment while saving over an existing
checkpoint leaves a complete checkpoint: the old one or the new one."""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from autograd import Tensor
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


def _kill_during_saves(path: Path, trials: int, seed: int) -> tuple[int, int, set[int]]:
    """Fork a saver, SIGKILL it after a random delay, load what is on disk; repeat.
    Returns (files that failed to load completely, kills that left a temp file, rounds seen)."""
    rng = random.Random(seed)
    unreadable, interrupted, rounds = 0, 0, set()
    for trial in range(trials):
        pid = os.fork()
        if pid == 0:
            _save_forever(path, first_round=1000 * (trial + 1))
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        leftovers = [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
        interrupted += bool(leftovers)
        for p in leftovers:
            p.unlink()
        w = Tensor(np.full(SIZE, np.nan), requires_grad=True)
        try:
            k = load_checkpoint(path, [w])["round"]
        except CheckpointError:
            unreadable += 1
            continue
        assert np.all(w.data == (-1 if k < 0 else VERSIONS[k % 2].data[0]))  # all from one save
        rounds.add(k)
    return unreadable, interrupted, rounds


def test_a_killed_save_never_loses_the_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "run.npz"
    save_checkpoint(path, [Tensor(np.full(SIZE, -1.0))], round=-1)
    unreadable, interrupted, rounds = _kill_during_saves(path, trials=20, seed=0)
    print(f"atomic save: {unreadable}/20 unreadable; {interrupted} kills mid-write; rounds {sorted(rounds)}")
    assert unreadable == 0
    assert interrupted > 0  # the kills did land during writes, so the test can fail


def test_the_harness_catches_a_save_that_truncates_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same harness with the old non-atomic save finds unreadable files."""

    def truncating_write(path: str, arrays: dict[str, np.ndarray]) -> None:
        with open(path, "wb") as f:
            np.savez(f, **arrays)

    monkeypatch.setattr(checkpoint, "_write_atomically", truncating_write)
    path = tmp_path / "run.npz"
    save_checkpoint(path, [Tensor(np.full(SIZE, -1.0))], round=-1)
    unreadable, _, _ = _kill_during_saves(path, trials=6, seed=1)
    print(f"truncating save: {unreadable}/6 unreadable", file=sys.stderr)
    assert unreadable > 0
