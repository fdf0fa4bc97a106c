"""Second derivatives of random Value and Tensor graphs against torch 2.13 (float64).

For each graph f (the first-order fuzzer's programs, ``fuzz_programs.py``) with leaves x_j, the
engine's and torch's ``create_graph`` gradients g_i = ∂f/∂x_i are compared, and then the derivative
of Σ g_i with respect to every leaf: Σ_i ∂²f/∂x_i∂x_j, one row sum of the Hessian per leaf. Inputs
are finite (the round values 0, ±1, 2 included, so relu/abs kinks, clip bounds and ties occur);
non-finite inputs belong to the first-order fuzzer. A torch gradient that is a constant (clamp,
maximum, amax: no grad_fn) has derivative 0, as the engine's.

The gradients must agree as in the first-order fuzzer, and so must every second derivative that
is finite in torch. Where torch's is inf or nan (a log or division by 0 met on the way) the
engine's may differ: torch's double backward multiplies where its first backward masks (the
derivative of ``x ** 0``, of a maximum's dropped input) and orders 0·inf differently; those are
counted (``TORCH_NONFINITE``), reported, and may make up at most a quarter of the graphs.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
import torch
from fuzz_programs import (
    DTYPE14_OPS,
    DTYPE15_OPS,
    EDGE16_OPS,
    INPLACE13_OPS,
    LOSS17_OPS,
    NEW_OPS,
    POW16_OPS,
    REDUCE17_OPS,
    REDUCE18_OPS,
    SCATTER_OPS,
    SESSION10_OPS,
    SESSION11_OPS,
    SESSION12_OPS,
    SESSION13_OPS,
    TRIPLET17_OPS,
    Lib,
    numbers,
    run_scalar_program,
    run_tensor_program,
    scalar_program,
    tensor_program,
)
from test_fuzz_vs_torch import Tally, agree

import autograd as ag
from autograd import Tensor, Value, ops

SCALE = int(os.environ.get("FUZZ_SCALE", 10 if os.environ.get("HYPOTHESIS_PROFILE") == "dev" else 1))
BATCH = 10
N_VALUE, N_TENSOR = 400 * SCALE, 200 * SCALE


TORCH_NONFINITE = "second derivative not finite in torch"
# second derivatives add more terms that cancel (their rounding residues reach ~1e-10 where the
# exact value is 0): finite values count as equal within this
RTOL2, ATOL2 = 1e-7, 1e-9


def agree_second(ours: Any, theirs: Any) -> bool:
    a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    if agree(a, b):
        return True
    both = np.isfinite(a) & np.isfinite(b)
    return a.shape == b.shape and bool(
        agree(np.where(both, 0, a), np.where(both, 0, b))
        and np.all(np.abs(a - b)[both] <= ATOL2 + RTOL2 * np.abs(b)[both])
    )


def judge(
    tally: Tally, nodes: list, prog: dict, where: str, pairs: list[tuple[Any, Any]], detail: str, scale: float
) -> None:
    """``pairs``: (ours, torch) for each gradient, then for each second derivative. A second
    derivative counts as equal within 1e-9 of ``scale``, the largest number the engine's passes
    computed (terms of 1e196 that cancel leave a residue of order 1 in another evaluation order)."""
    n = len(pairs) // 2

    def near(a: Any, b: Any) -> bool:
        if agree_second(a, b):
            return True
        return np.shape(a) == np.shape(b) and bool(
            np.all(np.abs(np.asarray(a) - np.asarray(b)) <= 1e-9 * scale)
        )

    if all(agree(a, b) for a, b in pairs[:n]) and all(near(a, b) for a, b in pairs[n:]):
        return
    firsts_agree = all(agree(a, b) for a, b in pairs[:n])
    if firsts_agree and all(agree_second(a, b) or not np.isfinite(b).all() for a, b in pairs[n:]):
        tally.listed[TORCH_NONFINITE] += 1
        return
    tally.mismatch(nodes, {**prog, "firsts_agree": firsts_agree}, where, detail, pairs)


def torch_second(out: torch.Tensor, leaves: list[torch.Tensor]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """torch's gradients of out.sum() and the derivatives of their sum (0 where a gradient is constant)."""
    gs = torch.autograd.grad(out.sum(), leaves, create_graph=True, allow_unused=True, materialize_grads=True)
    total = sum(g.sum() for g in gs if g.requires_grad)
    if isinstance(total, torch.Tensor) and total.requires_grad:
        hs = torch.autograd.grad(total, leaves, allow_unused=True, materialize_grads=True)
    else:
        hs = [torch.zeros_like(x) for x in leaves]
    return [g.detach().numpy() for g in gs], [h.numpy(force=True) for h in hs]


def engine_second(out: Any, leaves: list[Any]) -> tuple[list[np.ndarray], list[np.ndarray], float]:
    gs = ag.grad(out, leaves, create_graph=True, allow_unused=True, materialize_grads=True)
    # the gradients that are nodes (a Value gradient may be a leaf itself: ∂(a·b)/∂b = a)
    nodes = [
        g
        for g in gs
        if (g.requires_grad if isinstance(g, Tensor) else bool(g.op) or any(g is x for x in leaves))
    ]
    if nodes:
        total = nodes[0].sum() if isinstance(nodes[0], Tensor) else nodes[0]
        for g in nodes[1:]:
            total = total + (g.sum() if isinstance(g, Tensor) else g)
        hs = ag.grad(total, leaves, allow_unused=True, materialize_grads=True)
        numbers = np.concatenate([np.ravel(np.asarray(v.data, dtype=np.float64)) for v in ag.toposort(total)])
        scale = float(np.max(np.abs(numbers[np.isfinite(numbers)]), initial=0.0))
    else:
        hs, scale = [np.zeros(np.shape(x.data)) for x in leaves], 0.0
    as_floats = lambda xs: [np.asarray(x, dtype=np.float64) for x in xs]  # noqa: E731
    return as_floats(g.data for g in gs), as_floats(hs), scale


def fuzz_values(seeds: range, tally: Tally) -> None:
    ours, theirs = Lib(False), Lib(True)
    for seed in seeds:
        rng = np.random.default_rng(seed)
        prog = scalar_program(rng)
        inputs = numbers(rng, (prog["n_leaves"], BATCH), p_edge=0.0)
        tleaves = [torch.tensor(x, requires_grad=True) for x in inputs]
        ref_g, ref_h = torch_second(run_scalar_program(prog, tleaves, theirs), tleaves)
        for b, column in enumerate(inputs.T.tolist()):
            leaves = [Value(x) for x in column]
            out = run_scalar_program(prog, leaves, ours)
            tally.graphs += 1
            g, h, scale = engine_second(out, leaves)
            theirs_g, theirs_h = [r[b] for r in ref_g], [r[b] for r in ref_h]
            judge(
                tally, ag.toposort(out), prog, f"Value seed {seed}, inputs {column}, ops {prog['ops']}",
                [*zip(g, theirs_g), *zip(h, theirs_h)],
                f"grads {g} (torch {theirs_g}), second {h} (torch {theirs_h})", scale,
            )  # fmt: skip


def fuzz_tensors(seeds: range, tally: Tally, only: Sequence[str] = ()) -> None:
    for seed in seeds:
        rng = np.random.default_rng(seed)
        prog = tensor_program(rng, only=only)
        prog["leaves"] = [numbers(rng, a.shape, p_edge=0.0) for a in prog["leaves"]]
        prog["weight"] = numbers(rng, prog["weight"].shape, p_edge=0.0)
        arrays = [*prog["leaves"], prog["weight"]]
        tleaves = [torch.tensor(a, requires_grad=True) for a in arrays]
        where = f"tensor seed {seed}: shapes {[a.shape for a in prog['leaves']]}, ops {prog['ops']}"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                ref = torch_second(run_tensor_program(prog, tleaves[:-1], tleaves[-1], True), tleaves)
        except (RuntimeError, IndexError, ValueError):
            continue  # torch refuses (the first-order fuzzer checks that the engine does too)
        leaves = [Tensor(a, requires_grad=True) for a in arrays]
        out = run_tensor_program(prog, leaves[:-1], leaves[-1], False)
        tally.graphs += 1
        g, h, scale = engine_second(out, leaves)
        bad = [k for k in range(len(leaves)) if not (agree(g[k], ref[0][k]) and agree(h[k], ref[1][k]))]
        if bad:
            k = bad[0]
            detail = f"leaf {k}: grad {g[k]} (torch {ref[0][k]}), second {h[k]} (torch {ref[1][k]})"
            judge(tally, ag.toposort(out), prog, where, [*zip(g, ref[0]), *zip(h, ref[1])], detail, scale)


def test_fuzz_second_derivatives_of_value_graphs() -> None:
    tally = Tally()
    fuzz_values(range(N_VALUE // BATCH), tally)
    tally.check("Value (second order)", N_VALUE)


def test_fuzz_second_derivatives_of_tensor_graphs() -> None:
    tally = Tally()
    fuzz_tensors(range(N_TENSOR), tally)
    tally.check("Tensor (second order)", int(0.9 * N_TENSOR))


#: the op sets drawn alone: (name, the ops, programs per 250 of N_TENSOR, the least that must run)
ALONE = [
    # session 9's layers, losses and members (torch has no double backward for two of the margin
    # losses: those programs are skipped there, and checked by gradgradcheck instead)
    ("session 9's ops", NEW_OPS, 150, 10),
    ("session 10's ops: mode, nanquantile, max_unpool, sort's positions", SESSION10_OPS, 150, 100),
    ("session 11's composed members and functions", SESSION11_OPS, 150, 100),
    # (a prod with two zeros in one product is once differentiable in torch and here: skipped)
    ("the scatter family", SCATTER_OPS, 300, 100),
    ("session 12's changed and new functions", SESSION12_OPS, 150, 100),
    ("round(decimals=) and session 13's in-place writes into the graph", INPLACE13_OPS, 150, 100),
    ("session 13's fused multiply-adds", SESSION13_OPS, 150, 100),
    ("session 14's dtype promotion", DTYPE14_OPS, 150, 100),
    ("session 15's dtype edges", DTYPE15_OPS, 150, 100),
    ("session 16's powers", POW16_OPS, 150, 100),
    ("session 16's differential findings", EDGE16_OPS, 150, 100),
    ("session 17's loss findings", LOSS17_OPS, 150, 100),
    ("session 17's reductions", REDUCE17_OPS, 150, 100),
    ("session 18's reductions", REDUCE18_OPS, 150, 100),
    ("session 17's triplet_margin_with_distance_loss", TRIPLET17_OPS, 150, 100),
]


@pytest.mark.parametrize(("what", "chosen", "per", "least"), ALONE, ids=[a[0].split(":")[0] for a in ALONE])
def test_fuzz_second_derivatives_of_op_sets_on_their_own(
    what: str, chosen: Any, per: int, least: int
) -> None:
    """Each set of ops drawn alone (fuzz_programs' lists), second order against torch."""
    tally = Tally()
    fuzz_tensors(range(per * max(1, N_TENSOR // 250)), tally, chosen)
    tally.check(f"Tensor (second order, {what})", least)


# ---------------------------------------------------------------- the fuzzer can fail
def until_caught(fuzz: Callable[[range, Tally], None], seeds: range, name: str) -> Tally:
    """``fuzz`` over ``seeds`` one seed at a time, up to the first failure naming ``name``: the same
    question as fuzzing them all (does one of these programs catch it?), answered at the first."""
    tally = Tally()
    for seed in seeds:
        fuzz(range(seed, seed + 1), tally)
        if any(name in f for f in tally.failures):
            break
    return tally


def test_second_order_fuzzer_catches_a_rule_wrong_only_when_differentiated(monkeypatch) -> None:  # noqa: ANN001
    # 1 - tanh² with one factor taken as a constant: right numbers, half the second derivative. (The
    # rule language cannot say this, so the compiled node-level rules are replaced.)
    tanh = ops.TABLE["tanh"]
    monkeypatch.setitem(tanh._compiled, "locals", lambda ns, out, x: (1.0 - ns.num(out) * out,))
    tally = until_caught(fuzz_values, range(200), "tanh")
    assert any("tanh" in f for f in tally.failures), "a wrong second derivative of tanh went unnoticed"
    monkeypatch.setattr(tanh.primitive, "vjps", (lambda ns, g, out, x: g * (1 - ns.num(out) * out),))
    tally = until_caught(fuzz_tensors, range(300), "tanh")
    assert any("tanh" in f for f in tally.failures), "a wrong second derivative of Tensor tanh went unnoticed"
