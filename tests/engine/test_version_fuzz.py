"""The version counter never lets a wrong gradient through: on the random programs of
``fuzz_programs.py``, each leaf in turn is changed in place between the forward and the backward
pass. The backward pass must then either raise torch's "modified by an inplace operation" error or
give exactly the gradients of the forward pass that ran (those of a run without the change). A rule
that reads an array the version check does not know it reads (``autograd._versions.reads``) fails
here. Which cases raise, compared with torch: tests/torch_compat/test_version_counter.py."""

from __future__ import annotations

import os

import numpy as np
import pytest
from fuzz_programs import run_tensor_program, tensor_program

import autograd
from autograd import Tensor, _versions

N_PROGRAMS = 150 * int(os.environ.get("FUZZ_SCALE", "1"))


def _grads(
    prog: dict, arrays: list[np.ndarray], changed: int | None, create_graph: bool
) -> str | list[bytes]:
    leaves = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = run_tensor_program(prog, leaves[:-1], leaves[-1], False)
    if changed is not None:
        with autograd.no_grad():
            leaves[changed].mul_(-1.5).add_(0.25)  # (new numbers, also where the old were 0 or ±inf)
    try:
        out.sum().backward(create_graph=create_graph)
    except RuntimeError as e:
        if "modified by an inplace operation" not in str(e):
            raise
        return "raises"
    return [b"" if x.grad is None else x.grad.data.tobytes() for x in leaves]


def _failures(n: int, create_graph: bool = False) -> tuple[list[str], int]:
    failures, raised = [], 0
    for seed in range(n):
        rng = np.random.default_rng(seed)
        prog = tensor_program(rng, rng.random() < 0.1)
        arrays = [*prog["leaves"], prog["weight"]]
        try:
            clean = _grads(prog, arrays, None, create_graph)
        except Exception:  # noqa: BLE001, S112 (a program the engine refuses: nothing to check)
            continue
        for k in range(len(arrays)):
            found = _grads(prog, arrays, k, create_graph)
            raised += found == "raises"
            if found != "raises" and found != clean:
                failures.append(f"seed {seed}, leaf {k} changed: other gradients (ops {prog['ops']})")
    return failures, raised


@pytest.mark.parametrize("create_graph", [False, True])
def test_a_change_in_place_raises_or_leaves_the_gradients_as_they_were(create_graph: bool) -> None:
    failures, raised = _failures(N_PROGRAMS, create_graph)
    assert not failures, f"{len(failures)} cases:\n" + "\n".join(failures[:10])
    assert raised > N_PROGRAMS // 4  # (the check is exercised: many programs read a leaf's numbers)


def test_the_fuzz_catches_a_rule_whose_reads_are_missed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_versions, "reads", lambda op, i, n: ())  # (no rule reads anything)
    failures, _ = _failures(40)
    assert len(failures) > 10
