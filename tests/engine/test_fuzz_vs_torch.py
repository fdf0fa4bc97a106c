"""Differential fuzzer: random Value, Tensor and ValueArray graphs against torch 2.13 (float64).

Each graph (see ``fuzz_programs.py``) reuses nodes, broadcasts shapes 0-d to 3-d, includes empty
axes, and is fed nan, ±inf, ±0, huge and subnormal numbers with no domain guard. The output and
every leaf's gradient must equal torch's: nan where torch has nan, the same infinities, finite
numbers to ``RTOL`` (plus ``ATOL`` for the rounding residue of cancellations). The default run
checks 10,000 Value graphs (batched: one torch run serves ``BATCH`` input sets of a program),
2,000 Tensor graphs and 300 ValueArray graphs; ``FUZZ_SCALE=10`` (or ``HYPOTHESIS_PROFILE=dev``)
runs ten times as many.

A mismatch passes only where the graph contains one of the cases listed below (each is
recognised from the graph itself, after backward):

- ``DELIBERATE_DEVIATIONS``: the library is more exact than torch. Each has a test with the
  exact value at the end of this file, and is in the known differences (docs/guides/numerics.md).

Anything else fails, naming the seed that reproduces it.
"""

from __future__ import annotations

import math
import os
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import mpmath
import numpy as np
import pytest
import torch
from engine_helpers import close
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
    value_array_program,
)

import autograd as ag
from autograd import Tensor, Value, ValueArray, ops

RTOL = 1e-9
# where terms of order 1 cancel (softmax's gradient g - s·Σg), two correct evaluation orders leave
# different rounding residues (~1e-16): those count as equal
ATOL = 1e-12
SCALE = int(os.environ.get("FUZZ_SCALE", 10 if os.environ.get("HYPOTHESIS_PROFILE") == "dev" else 1))
BATCH = 25
N_VALUE, N_TENSOR, N_VALUE_ARRAY = 10_000 * SCALE, 2_000 * SCALE, 300 * SCALE

Nodes = list[Any]  # the engine's nodes of one graph, after backward
Case = Callable[[Nodes, dict], bool]


def _data(node: Any) -> np.ndarray:
    return np.asarray(node.data, dtype=np.float64)


def _grad(node: Any) -> np.ndarray:
    """The gradient; zeros for an unused leaf (torch's None)."""
    return np.zeros(np.shape(node.data)) if node.grad is None else np.asarray(node.grad, dtype=np.float64)


def agree(ours: Any, theirs: Any) -> bool:
    """Same shape; nan exactly where torch has nan; the same infinities; finite numbers close."""
    a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
    if a.shape != b.shape:
        return False
    nan = np.isnan(a)
    if (nan != np.isnan(b)).any():
        return False
    a, b = a[~nan], b[~nan]
    inf = np.isinf(a) | np.isinf(b)
    if (a[inf] != b[inf]).any():
        return False
    return bool(np.all(np.abs(a[~inf] - b[~inf]) <= RTOL * np.abs(b[~inf]) + ATOL))


def _scalars_agree(a: float, b: float) -> bool:
    """``agree`` for two floats, without numpy (the Value fuzzer compares ~40,000 pairs)."""
    if a != a or b != b:
        return a != a and b != b
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= RTOL * abs(b) + ATOL


def _rule_inputs(n: Any) -> tuple[np.ndarray, ...]:
    return (_grad(n), _data(n), *(_data(c) for c in n.children))


# ---------------------------------------------------------------- deliberate deviations
def _x_over_x(nodes: Nodes, prog: dict) -> bool:
    """d(x/x)/dx on a Value is exactly 0 here (local derivatives 1/x and -1/x times the same g);
    torch adds g/x and -g·(1/x)/x, which can leave a rounding residue (a Tensor does as torch)."""
    return any(
        isinstance(n, Value) and n.op == "/" and len(n.children) == 2 and n.children[0] is n.children[1]
        for n in nodes
    )


def _subnormal_sigmoid(nodes: Nodes, prog: dict) -> bool:
    """sigmoid(x) for x < -708 is e^x/(1+e^x) here, a subnormal number; torch's 1/(1+e^-x) gives 0."""
    return any(n.op == "sigmoid" and (_data(n.children[0]) < -708).any() for n in nodes)


def _huge_logsumexp(nodes: Nodes, prog: dict) -> bool:
    """logsumexp's gradient at finite |x| ~ 1e308 is softmax here (1/3 each at [1e308]*3); torch's
    exp(x - logsumexp(x)) rounds logsumexp back to x and gives 1 each (log_softmax/softmax too)."""
    ops = {op[1] for op in prog.get("ops", ())}
    return bool(ops & {"logsumexp", "log_softmax", "softmax"}) and any(
        ((np.abs(_data(n)) > 1e300) & np.isfinite(_data(n))).any() for n in nodes
    )


def _softplus_gradient_overflow(nodes: Nodes, prog: dict) -> bool:
    """softplus' gradient is g·σ(x) here; torch computes g·e^x / (1 + e^x), which overflows to inf
    when g·e^x does (|g| ~ 1e308) although the gradient is finite."""
    with np.errstate(all="ignore"):
        return any(
            n.op == "softplus" and np.isinf(_grad(n) * np.exp(_data(n.children[0]))).any() for n in nodes
        )


def _signed_zero_tie(nodes: Nodes, prog: dict) -> bool:
    """maximum/minimum of +0 and -0, and a max/min reduction over both: which zero comes out is
    unspecified (torch's scalar and vectorized kernels differ, numpy's SIMD loops too), and it
    decides the sign of a later 1/0 or copysign."""
    ops = ("max", "min", "maximum", "minimum")

    def both_zeros(a: np.ndarray, b: np.ndarray) -> bool:
        return bool(((a == 0) & (b == 0)).any() and (np.signbit(a) != np.signbit(b)).any())

    for n in nodes:
        if n.op not in ops:
            continue
        if len(n.children) == 2 and both_zeros(_data(n.children[0]), _data(n.children[1])):
            return True
        if len(n.children) == 1 and (_data(n) == 0).any():  # (a reduction: its input's zeros)
            zeros = _data(n.children[0])[_data(n.children[0]) == 0]
            if np.signbit(zeros).any() and not np.signbit(zeros).all():
                return True
    return False


def _nonfinite_var(nodes: Nodes, prog: dict) -> bool:
    """var/std of a ValueArray with inf/nan: composed there (the mean's path included), so inf - inf
    gives nan; torch's closed form 2(x - mean)/(n - c) skips that path (zero for finite inputs) and
    can give ±inf. (A Tensor's var is a primitive with torch's rule: not listed.)"""
    ops = {op[1] for op in prog.get("ops", ())}
    return (
        bool(ops & {"var", "std"})
        and not any(isinstance(n, Tensor) for n in nodes)
        and any(not np.isfinite(_data(n)).all() for n in nodes)
    )


def _std_of_equal_values(nodes: Nodes, prog: dict) -> bool:
    """std where all values are equal: here var is exactly 0 and, as torch does at 0, the gradient
    is masked to 0; torch's mean rounds, so its std is ~1e-17 and its gradient noise/noise. (Where
    the mean rounds here too, both stds are that noise, below 1e-15 of the values: so are both
    gradients.)"""
    finite = [np.abs(d[np.isfinite(d)]) for d in map(_data, nodes)]
    scale = max((float(d.max()) for d in finite if d.size), default=0.0)
    return any(
        n.op == "where" and n.children[0].op == "sqrt" and (np.abs(_data(n)) <= 1e-15 * scale).any()
        for n in nodes
        if n.children
    )


def _value_local_before_g(nodes: Nodes, prog: dict) -> bool:
    """A Value's local derivative is a number formed before its gradient g is known: the 1/x of log
    (log2, log10) and a quotient's 1/y overflow to inf at a subnormal x or y, where torch's g/x is
    finite for a small g; and the locals of arctan2 (x·(1/r²)), hypot (x/r) and exp2 (2^x·ln 2) stay
    finite where torch's g·x (g·2^x) overflows first."""
    tiny = 2.2250738585072014e-308
    for n in nodes:
        if not isinstance(n, Value) or not n.children:
            continue
        if n.op in ("log", "log2", "log10", "/") and 0 < abs(n.children[-1].data) < tiny:
            return True
        if n.op in ("arctan2", "hypot", "exp2") and any(
            math.isinf(n.grad * v) for v in (n.data, *(c.data for c in n.children))
        ):
            return True
    return False


def _plain_result_cuts_the_graph(nodes: Nodes, prog: dict) -> bool:
    """sign/floor/ceil/round/trunc/floor_divide give plain numbers, so no gradient flows back through
    them. torch sends a zero gradient, which becomes nan where it meets an inf local derivative (0·inf)."""
    return prog["torch_nan_only"] and any(op[1].startswith("times_") for op in prog.get("ops", ()))


def _remainder_of_an_overflowing_quotient(nodes: Nodes, prog: dict) -> bool:
    """fmod and remainder are exact here where x/y overflows (a subnormal y, a huge x); torch's
    vectorised kernel computes through x/y and gives nan there (its 0-d kernel the exact value)."""
    for n in nodes:
        if n.op in ("%", "fmod") and len(n.children) == 2:
            x, y = _data(n.children[0]), _data(n.children[1])
            with np.errstate(all="ignore"):
                if (np.isinf(x / y) & np.isfinite(x)).any():
                    return True
    return False


def _hyperbolic_near_overflow(nodes: Nodes, prog: dict) -> bool:
    """sinh and cosh of 709.78 < |x| < 710.48 are finite (sinh(710) = 1.117e308); torch's vectorised
    kernel overflows to inf there (its 0-d kernel does not)."""
    return any(
        n.op in ("sinh", "cosh") and ((np.abs(_data(n.children[0])) > 709.78) & np.isfinite(_data(n))).any()
        for n in nodes
    )


def _logaddexp2_tie(nodes: Nodes, prog: dict) -> bool:
    """logaddexp2(x, x) is x + 1 exactly here (numpy's); torch fuses x + log1p(1)·(1/ln 2) into one
    multiply-add, an ulp below (-4.8e-17 at x = -1), which a later atan2 or division can magnify."""
    return any(
        n.op == "logaddexp2" and len(n.children) == 2 and (_data(n.children[0]) == _data(n.children[1])).any()
        for n in nodes
    )


# -- reductions, scans, products and linear algebra (issue 16): the tests with the numbers are in
# test_reductions_and_scans.py and test_linear_algebra.py
LAPACK = {"inv", "det", "slogdet", "solve", "cholesky", "pinv", "eigh", "svd"}


def _lapack_nonfinite_gradient(nodes: Nodes, prog: dict) -> bool:
    """A LAPACK solve given a non-finite gradient (inv's, solve's, ... rules solve with g): which
    results are nan and which ±inf follows the library's elimination order (NumPy's LAPACK here)."""
    return any(n.op in LAPACK and not np.isfinite(_grad(n)).all() for n in nodes)


def _cumprod_exact_at_zeros(nodes: Nodes, prog: dict) -> bool:
    """cumprod's gradient where its input holds a 0 beside ±inf, nan, subnormal or huge numbers:
    here the products Σ g_j ∏_{i≠k} a_i themselves (torch's own rule under create_graph); torch's
    first-order shortcut divides by a up to the first zero (overflowing at a subnormal a) and
    drops the terms after it."""
    for n in nodes:
        if n.op == "cumprod":
            a = np.abs(_data(n.children[0]))
            extreme = ~np.isfinite(a) | ((a != 0) & ((a < 1e-290) | (a > 1e290)))
            if (a == 0).any() and extreme.any():
                return True
    return False


def _nan_masked_sum(nodes: Nodes, prog: dict) -> bool:
    """nansum and nanmean send 0 to a nan element (a mask); torch multiplies g by [not nan], nan where
    g is infinite (a nanmean of no numbers divides by 0)."""
    return prog["torch_nan_only"] and any(op[1] in ("nansum", "nanmean") for op in prog.get("ops", ()))


def _elu_family_at_nan(nodes: Nodes, prog: dict) -> bool:
    """elu, selu, celu and hardswish pass g back at a nan input, torch's 0-d result, where torch's
    kernels for 16 or more elements give nan; hardswish(-inf) is 0, where torch's -inf · 0 is nan."""
    return prog["torch_nan_only"] and _ops(prog, ("F.elu", "F.selu", "F.celu", "F.hardswish"))


def _ops(prog: dict, names: tuple[str, ...]) -> bool:
    return any(op[1] in names for op in prog.get("ops", ()))


def _elu_second_derivative_at_0(nodes: Nodes, prog: dict) -> bool:
    """At x = 0 elu's (celu's, selu's) gradient takes the negative branch, α, as torch's does; its
    second derivative there is that branch's too, α, where torch's double backward gives 0."""
    return bool(prog.get("firsts_agree")) and _ops(prog, ("F.elu", "F.celu", "F.selu"))


def _copysign_by_a_made_nan(nodes: Nodes, prog: dict) -> bool:
    """copysign(x, y) takes the sign bit of y, also of a nan y, as torch's does; the sign bit of a nan
    that an invalid operation made (log2(-1), 0/0, inf - inf) is the library's: numpy's x86 loops give
    -nan, torch's kernels +nan, so the signs differ there (a user's nan gives the same result)."""
    return any(n.op == "copysign" and np.isnan(_data(n.children[1])).any() for n in nodes)


def _layer_norm_of_huge_numbers(nodes: Nodes, prog: dict) -> bool:
    """layer_norm of numbers whose squares overflow (|x| >= 1.34e154): torch's moments give nan once
    the mean's square overflows (layer_norm([1e155, 1e155]) is nan); here the mean is subtracted
    first, so equal values give their exact 0, and an overflowing variance a 0 (x - mean over inf)."""
    if not (prog["torch_nan_only"] and _ops(prog, ("F.layer_norm",))):
        return False
    with np.errstate(invalid="ignore"):
        return any(((np.abs(_data(n)) >= 1e150) & np.isfinite(_data(n))).any() for n in nodes)


def _glu_gradient_overflow(nodes: Nodes, prog: dict) -> bool:
    """glu(x) = a·σ(b) is composed, so the gate's gradient is (g·a)·σ'(b): where g·a overflows (|a|
    near 1e308) it is ±inf, where torch's kernel multiplies (1 - σ)·σ·a·g, small factors first, and
    stays finite. Every difference is a non-finite number here against a finite one of torch's."""
    if not _ops(prog, ("F.glu",)):
        return False
    with np.errstate(invalid="ignore"):
        if not any(((np.abs(_data(n)) >= 1e300) & np.isfinite(_data(n))).any() for n in nodes):
            return False
        for ours, theirs in prog.get("pairs") or []:
            a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
            differ = ~((a == b) | (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= RTOL * np.abs(b) + ATOL))
            if (differ & ~(~np.isfinite(a) & np.isfinite(b))).any():
                return False
    return True


DELIBERATE_DEVIATIONS: dict[str, Case] = {
    "x/x gradient is exactly 0 (Values)": _x_over_x,
    "sigmoid keeps subnormal results": _subnormal_sigmoid,
    "logsumexp gradient at |x| ~ 1e308 is softmax": _huge_logsumexp,
    "softplus gradient g·σ(x) stays finite where g·e^x overflows": _softplus_gradient_overflow,
    "sign of the zero that maximum/minimum (or a max/min reduction) pick at a +0/-0 tie": _signed_zero_tie,
    "var/std gradient at non-finite inputs": _nonfinite_var,
    "std of equal values: gradient 0": _std_of_equal_values,
    "a Value's local derivative is formed before g": _value_local_before_g,
    "sign/floor/ceil/round/trunc/floor_divide give plain results": _plain_result_cuts_the_graph,
    "fmod/remainder exact where x/y overflows": _remainder_of_an_overflowing_quotient,
    "sinh/cosh finite up to 710.48": _hyperbolic_near_overflow,
    "logaddexp2(x, x) is x + 1": _logaddexp2_tie,
    "sign/floor/ceil/round/trunc give plain results": _plain_result_cuts_the_graph,
    "LAPACK given a non-finite gradient": _lapack_nonfinite_gradient,
    "cumprod's gradient at zeros beside extreme numbers: exact products": _cumprod_exact_at_zeros,
    "nansum/nanmean mask a nan's gradient": _nan_masked_sum,
    "elu family: g at nan (torch's 0-d result); hardswish(-inf) = 0": _elu_family_at_nan,
    "elu family: second derivative at 0 is the negative branch's": _elu_second_derivative_at_0,
    "copysign by a nan an invalid operation made: its sign bit is numpy's": _copysign_by_a_made_nan,
    "layer_norm of numbers whose squares overflow: no nan from the moments": _layer_norm_of_huge_numbers,
    "glu's gate gradient (g·a)·σ'(b) overflows where torch's (1 - σ)·σ·a·g does not": _glu_gradient_overflow,
}


def _torch_nan_only(pairs: list) -> bool:
    """Whether every difference is a nan in torch's result where the engine has a number."""
    for ours, theirs in pairs:
        a, b = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
        if a.shape != b.shape:
            return False
        with np.errstate(invalid="ignore"):  # (inf - inf)
            differ = ~((a == b) | (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= RTOL * np.abs(b) + ATOL))
        if (differ & ~(np.isnan(b) & ~np.isnan(a))).any():
            return False
    return True


def _jump(x: Value, c: Value, err: dict[int, float]) -> bool:
    """Whether ``x * c`` is a fuzz program's ``x * floor(x)`` (ceil, round, trunc: ``c`` a plain
    number, here an integer) whose x is within its rounding of a jump of c (an integer or, for
    round, a half)."""
    if c.children or not x.children or not (math.isfinite(x.data) and math.isfinite(c.data)):
        return False
    if c.data != int(c.data):
        return False
    frac = x.data - math.floor(x.data)
    return min(frac, 1 - frac, abs(frac - 0.5)) <= 4 * err[id(x)]


def within_rounding(out: Value, leaves: list[Value], ours: list[float], theirs: list[float]) -> bool:
    """Whether Value results that differ from torch's are within the rounding both may commit.

    Both evaluate the same operations, but libm and torch may differ by an ulp in transcendental
    functions, and gradients reaching a node along several paths are added in another order.
    Where terms cancel, such differences grow: a forward error bound (ulp of each result plus the
    inputs' errors times |∂out/∂input|) and the sum of |contributions| reaching each leaf (the
    backward pass on |local derivatives|) bound them. ``ours``/``theirs``: value, then leaf grads.
    Where the error in an argument of sin, cos, tan or sinc reaches 0.1 (sin of 2e17, whose ulp is
    32), the result and its local derivative are undetermined: any result is within rounding. So
    are a result whose local derivative is infinite (or nan) at an argument that carries an error
    (log10 of an x - x that is 0 here and -5e-324 in torch), and a remainder within its error of
    a jump (the quotient within rounding of an integer). Each rounding is at least the smallest
    subnormal, 5e-324.
    """
    topo = ag.toposort(out)
    err: dict[int, float] = {}
    for n in topo:  # inputs first
        total = max(2.3e-16 * abs(n.data), 5e-324) if n.children else 2.3e-16 * abs(n.data)
        for c, d in zip(n.children, n.local_grads):
            if err[id(c)] and not math.isfinite(d):
                return True
            total += abs(d) * err[id(c)] if err[id(c)] else 0.0
        err[id(n)] = total
        if n.op in ("sin", "cos", "tan", "sinc") and err[id(n.children[0])] > 0.1:
            return True
        if n.op in ("%", "fmod") and len(n.children) == 2 and math.isfinite(total):
            y = abs(n.children[1].data)
            if min(abs(n.data), abs(y - abs(n.data))) <= total:
                return True
        if n.op in ("maximum", "minimum", "fmax", "fmin") and len(n.children) == 2:
            a, b = n.children  # (a tie within rounding: which one gets the gradient is undetermined)
            if abs(a.data - b.data) <= err[id(a)] + err[id(b)]:
                return True
        if n.op == "*" and len(n.children) == 2:
            a, b = n.children
            if _jump(a, b, err) or _jump(b, a, err):
                return True
    size = {id(out): 1.0}
    for n in reversed(topo):
        for c, d in zip(n.children, n.local_grads):
            size[id(c)] = size.get(id(c), 0.0) + abs(d) * size.get(id(n), 0.0)
    bounds = [4 * err[id(out)]] + [1e-11 * size.get(id(v), 0.0) for v in leaves]
    return all(_scalars_agree(a, b) or abs(a - b) <= bound for a, b, bound in zip(ours, theirs, bounds))


# ---------------------------------------------------------------- bookkeeping
class Tally:
    """What one fuzz run saw: graphs compared, mismatches by listed case, unexplained ones."""

    def __init__(self) -> None:
        self.graphs = 0
        self.listed: Counter[str] = Counter()
        self.failures: list[str] = []

    def mismatch(self, nodes: Nodes, prog: dict, where: str, detail: str, pairs: list | None = None) -> None:
        """A graph whose results differ from torch's: passes only as a listed case. ``pairs``: the
        (ours, torch) results, so a case can tell where the difference is."""
        seen = {**prog, "torch_nan_only": pairs is not None and _torch_nan_only(pairs), "pairs": pairs}
        for name, case in DELIBERATE_DEVIATIONS.items():
            if case(nodes, seen):
                self.listed[name] += 1
                return
        self.failures.append(f"{where}: {detail}")

    def check(self, kind: str, minimum: int) -> None:
        assert not self.failures, (
            f"{len(self.failures)} {kind} graph(s) disagree with torch outside the listed cases:\n"
            + "\n".join(self.failures[:10])
        )
        assert self.graphs >= minimum, f"only {self.graphs} {kind} graphs were compared"
        explained = sum(self.listed.values())
        assert explained <= 0.25 * self.graphs, (
            f"{explained} of {self.graphs} {kind} graphs only pass as listed"
        )
        print(f"\n{kind}: {self.graphs} graphs agree with torch; listed-case mismatches: {dict(self.listed)}")


# ---------------------------------------------------------------- Value graphs
def _agrees_with_torch_one_by_one(prog: dict, column: list[float], ours: list[float], lib: Any) -> bool:
    """Whether the engine's results equal torch's for this one input set run alone: torch's
    vectorised kernels (the batch) may differ from its one-element ones by a few ulps, which an
    ill-conditioned program magnifies (tan near its pole, a floor at an integer)."""
    leaves = [torch.tensor([x], dtype=torch.float64, requires_grad=True) for x in column]
    out = run_scalar_program(prog, leaves, lib)
    out.backward()
    theirs = [out.item()] + [0.0 if t.grad is None else t.grad.item() for t in leaves]
    return all(_scalars_agree(a, b) for a, b in zip(ours, theirs))


def fuzz_values(seeds: range, tally: Tally) -> None:
    """Each seed: one program, run by torch on BATCH input sets at once and by the engine on each."""
    ours, theirs = Lib(False), Lib(True)
    for seed in seeds:
        rng = np.random.default_rng(seed)
        prog = scalar_program(rng)
        inputs = numbers(rng, (prog["n_leaves"], BATCH))
        tleaves = [torch.tensor(x, requires_grad=True) for x in inputs]
        tout = run_scalar_program(prog, tleaves, theirs)
        tout.backward(torch.ones(BATCH, dtype=torch.float64))
        ref_out = tout.detach().tolist()
        ref_grads = [[0.0] * BATCH if t.grad is None else t.grad.tolist() for t in tleaves]
        for b, column in enumerate(inputs.T.tolist()):
            leaves = [Value(x) for x in column]
            out = run_scalar_program(prog, leaves, ours)
            out.backward()
            tally.graphs += 1
            if _scalars_agree(out.data, ref_out[b]) and all(
                _scalars_agree(v.grad, g[b]) for v, g in zip(leaves, ref_grads)
            ):
                continue
            ours_all = [out.data] + [v.grad for v in leaves]
            if within_rounding(out, leaves, ours_all, [ref_out[b]] + [g[b] for g in ref_grads]):
                continue
            if _agrees_with_torch_one_by_one(prog, column, ours_all, theirs):
                continue
            tally.mismatch(
                ag.toposort(out), prog, f"Value seed {seed}, inputs {column}, ops {prog['ops']}",
                f"value {out.data} (torch {ref_out[b]}), grads {[v.grad for v in leaves]} "
                f"(torch {[g[b] for g in ref_grads]})",
                list(zip(ours_all, [ref_out[b]] + [g[b] for g in ref_grads])),
            )  # fmt: skip


def test_fuzz_value_graphs() -> None:
    tally = Tally()
    fuzz_values(range(N_VALUE // BATCH), tally)
    tally.check("Value", N_VALUE)


# ---------------------------------------------------------------- Tensor and ValueArray graphs
def _torch_run(prog: dict[str, Any]) -> tuple[np.ndarray, list[np.ndarray]] | None:
    """torch's output and leaf gradients, or None where torch refuses (amax of an empty axis)."""
    tleaves = [torch.tensor(a, requires_grad=True) for a in [*prog["leaves"], prog["weight"]]]
    try:
        with warnings.catch_warnings():  # (var/std with correction >= n warn, and give inf/nan)
            warnings.simplefilter("ignore", UserWarning)
            out = run_tensor_program(prog, tleaves[:-1], tleaves[-1], True)
            if out.requires_grad:  # (torch makes some results of empty inputs constants: gradient 0)
                out.backward()
    except (RuntimeError, IndexError, ValueError):
        return None
    return out.detach().numpy(), [np.zeros(t.shape) if t.grad is None else t.grad.numpy() for t in tleaves]


def _engine_run(kind: str, prog: dict[str, Any], log: list) -> tuple[Any, list[Any]]:
    arrays = [*prog["leaves"], prog["weight"]]
    if kind == "tensor":
        leaves = [Tensor(a, requires_grad=True) for a in arrays]
        out = run_tensor_program(prog, leaves[:-1], leaves[-1], False, log)
        out.backward()
        return out, leaves
    leaves = [ValueArray(a) for a in arrays]
    out = run_tensor_program(prog, leaves[:-1], leaves[-1], False, log).to_value()
    out.backward()
    return out, leaves


def _array_within_rounding(out: Value, leaves: list[ValueArray], ref: tuple) -> bool:
    """:func:`within_rounding` for a ValueArray program, whose graph is one of Values: a sum of
    Values adds in its own order (numpy's object loop, left to right), torch in another, which
    matters where the terms cancel (1e308 - 1e308 absorbs what was added before)."""
    values = [v for leaf in leaves for v in leaf.values.flat]
    theirs = [float(ref[0])] + [float(g) for arr in ref[1] for g in np.ravel(arr)]
    return within_rounding(out, values, [out.data] + [v.grad for v in values], theirs)


def _sums_huge_terms(nodes: Nodes) -> bool:
    """Whether the graph holds a finite number of magnitude 1e300 or more: the program's final sums
    then add in numpy's pairwise order and torch's own, and where terms of that size cancel (or
    overflow only in one grouping: -1e308 + -1e308 is -inf) the totals differ by more than every
    smaller term. Used only where every gradient agrees."""
    for n in nodes:
        with np.errstate(invalid="ignore"):
            a = np.abs(np.asarray(_data(n), dtype=np.float64))
            if ((a >= 1e300) & np.isfinite(a)).any():
                return True
    return False


def fuzz_arrays(kind: str, seeds: range, tally: Tally, only: Sequence[str] = ()) -> None:
    for seed in seeds:
        rng = np.random.default_rng(seed)
        prog = (
            value_array_program(rng)
            if kind == "value_array"
            else tensor_program(rng, rng.random() < 0.1, only)
        )
        ref = _torch_run(prog)
        where = f"{kind} seed {seed}: shapes {[a.shape for a in prog['leaves']]}, ops {prog['ops']}"
        log: list[tuple[str, tuple[int, ...]]] = []
        tally.graphs += 1
        try:
            out, leaves = _engine_run(kind, prog, log)
        except Exception as e:  # noqa: BLE001 (every failure is classified here)
            if ref is None:
                continue  # both refuse
            tally.failures.append(f"{where}: raised {type(e).__name__}: {e}")
            continue
        if ref is None:
            tally.failures.append(f"{where}: torch refuses, the engine computes {_data(out)}")
            continue
        bad = next((k for k, (x, g) in enumerate(zip(leaves, ref[1])) if not agree(_grad(x), g)), None)
        if not agree(_data(out), ref[0]) or bad is not None:
            detail = f"value {_data(out)} (torch {ref[0]})"
            if bad is not None:
                detail += f"; grad of leaf {bad} {_grad(leaves[bad])} (torch {ref[1][bad]})"
            pairs = [(_data(out), ref[0])] + [(_grad(x), g) for x, g in zip(leaves, ref[1])]
            if kind == "value_array" and _array_within_rounding(out, leaves, ref):
                continue
            if bad is None and _sums_huge_terms(ag.toposort(out)):
                continue
            tally.mismatch(ag.toposort(out), prog, where, detail, pairs)


def test_fuzz_tensor_graphs() -> None:
    tally = Tally()
    fuzz_arrays("tensor", range(N_TENSOR), tally)
    tally.check("Tensor", N_TENSOR)


#: the op sets drawn alone, each on many shapes and edge inputs (in the mixed programs each op is one
#: of ~130): (name, the ops of fuzz_programs, programs per SCALE)
ALONE = [
    ("session 9's ops: layers, losses and members", NEW_OPS, 150),
    ("session 10's ops: mode, nanquantile, max_unpool, sort's and mode's positions", SESSION10_OPS, 150),
    ("session 11's ops: members, nn and linalg functions composed of the engine's", SESSION11_OPS, 150),
    ("session 12's ops: changed and new functions", SESSION12_OPS, 150),
    ("session 13's ops: add/sub with alpha, addcmul, lerp, their in-place forms", SESSION13_OPS, 150),
    ("session 13's in-place ops: round(decimals=), the scatter family, the random fills", INPLACE13_OPS, 150),
    ("session 14's dtype promotion: float32 with float64 0-d, int64 and bool with floats", DTYPE14_OPS, 150),
    ("session 15's dtype edges: clamp by bool, int64 bounds, numpy scalars, mixed floats", DTYPE15_OPS, 150),
    ("session 16's powers: 0-d tensor exponents, integer tensors to negative powers", POW16_OPS, 150),
    ("session 16's differential findings: norms p < 1, quantile keepdim, huber, cdist inf", EDGE16_OPS, 150),
    ("session 17's loss findings: weights of probability losses, poisson's full target", LOSS17_OPS, 150),
    ("session 17's reductions: nanmean of nans, 0-d amax, norm dtype=, float32 sums", REDUCE17_OPS, 150),
    ("session 18's reductions: var's rule, var_mean's Welford mean, empty cummax", REDUCE18_OPS, 150),
    ("session 17's triplet_margin_with_distance_loss", TRIPLET17_OPS, 150),
    # repeated indices, ties, zeros, nan and inf, 0-d and empty arrays, negative dims, include_self
    ("the scatter family", SCATTER_OPS, 300),
]


@pytest.mark.parametrize(("what", "chosen", "per"), ALONE, ids=[a[0].split(":")[0] for a in ALONE])
def test_fuzz_op_sets_on_their_own(what: str, chosen: Any, per: int) -> None:
    """Each set of ops drawn alone (fuzz_programs' lists), against torch."""
    tally = Tally()
    fuzz_arrays("tensor", range(per * SCALE), tally, chosen)
    tally.check(f"Tensor ({what.split(':')[0]})", per * SCALE)


def test_fuzz_value_array_graphs() -> None:
    tally = Tally()
    fuzz_arrays("value_array", range(N_VALUE_ARRAY), tally)
    tally.check("ValueArray", N_VALUE_ARRAY)


# ---------------------------------------------------------------- the fuzzer can fail
def _wrong_tanh(self: Value) -> Value:
    out = math.tanh(self.data)
    return Value(out, _prev=(self,), _local=(1.0 - out,), _op="tanh")  # 1 - tanh, not 1 - tanh²


def test_fuzzer_catches_a_wrong_value_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Value, "tanh", _wrong_tanh)
    tally = Tally()
    fuzz_values(range(200), tally)
    assert any("tanh" in f for f in tally.failures), "a wrong tanh derivative went unnoticed"


def test_fuzzer_catches_a_wrong_tensor_rule() -> None:
    tally = Tally()
    with ops.replaced(ops.TABLE["exp"].replace(d="out * 1.0001")):  # the table's rule, regenerated
        fuzz_arrays("tensor", range(200), tally)
    assert tally.failures and not any("raised" in f for f in tally.failures)  # wrong numbers, no errors
    assert any("'exp'" in f for f in tally.failures), "a wrong exp derivative went unnoticed"


# ---------------------------------------------------------------- the deliberate deviations, exactly
def test_x_over_x_gradient_is_exactly_zero_on_values() -> None:
    """A Value's backward multiplies local derivatives by g: 1/x and -(x/x)/x = -1/x, exactly
    opposite. A Tensor's rule computes g/x and -g·((x/x)/x) as torch does, with torch's residue."""
    residues = []
    for x in (3.0, 1e-200, 7.0e15, -0.1):
        v = Value(x)
        (v / v * 2.5).backward()
        assert v.grad == 0.0
        t = Tensor([x], requires_grad=True)
        (t / t * 2.5).sum().backward()
        ref = torch.tensor([x], dtype=torch.float64, requires_grad=True)
        (ref / ref * 2.5).sum().backward()
        assert t.grad.tolist() == ref.grad.tolist()
        residues.append(ref.grad.item())
    assert residues[1] > 1e184  # torch: g/x - g·(1/x)/x leaves a residue of order ulp(g/x)


def test_divisor_gradient_is_torchs_where_out_over_b_overflows() -> None:
    """The divisor's share is -g·(out/b), torch's order: -inf where out/b overflows (the rule
    before the table gave a finite -(g/b)·out there, a listed deviation no longer)."""
    g, b = 1e-20, 1e-10
    a = 1e300 * b
    for x, y in ((Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)), (Value(a), Value(b))):
        (x / y).backward(g)
        assert float(y.grad) == -math.inf
        assert float(x.grad) == (g / b if isinstance(x, Tensor) else g * (1 / b))
    tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    (tx / ty).backward(torch.tensor(g, dtype=torch.float64))
    assert ty.grad.item() == -math.inf and tx.grad.item() == g / b


def test_sigmoid_keeps_subnormal_results() -> None:
    mpmath.mp.dps = 50
    for x in (-709.0, -740.0, -745.0):
        exact = float(1 / (1 + mpmath.exp(-mpmath.mpf(x))))
        assert exact > 0 and Value(x).sigmoid().data == exact
        assert Tensor(x).sigmoid().data == exact
        assert torch.sigmoid(torch.tensor(x, dtype=torch.float64)).item() in (0.0, exact)


def test_softplus_gradient_stays_finite_where_torch_overflows() -> None:
    mpmath.mp.dps = 50
    x, g = 1.1926046177756418, -1e308
    exact = float(mpmath.mpf(g) / (1 + mpmath.exp(-mpmath.mpf(x))))
    v = Value(x)
    v.softplus().backward(g)
    close(v.grad, exact, rtol=1e-15, atol=0)
    t = Tensor(x, requires_grad=True)
    t.softplus().backward(g)
    close(t.grad, exact, rtol=1e-15, atol=0)
    ref = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.softplus(ref).backward(torch.tensor(g, dtype=torch.float64))
    assert ref.grad.item() == -math.inf  # torch: g·e^x overflows before the division by 1 + e^x


def test_logsumexp_gradient_at_huge_logits_is_softmax() -> None:
    x = Tensor([1e308] * 3, requires_grad=True)
    x.logsumexp().backward()
    close(x.grad, [1 / 3] * 3, rtol=1e-15, atol=0)  # softmax of equal logits, exactly
    va = ValueArray([1e308] * 3)
    va.logsumexp(0).to_value().backward()
    close(va.grad, [1 / 3] * 3, rtol=1e-15, atol=0)
    t = torch.tensor([1e308] * 3, dtype=torch.float64, requires_grad=True)
    t.logsumexp(0).backward()
    assert t.grad.tolist() == [1.0] * 3  # torch: exp(x - logsumexp(x)) with logsumexp rounded to x


def test_std_of_equal_values_has_gradient_zero() -> None:
    x = Tensor([0.19256434223739533] * 3, requires_grad=True)
    s = x.std()
    assert s.data == 0.0
    s.backward()
    assert x.grad.tolist() == [0.0] * 3  # torch's mask at std = 0, as here
    t = torch.tensor([0.19256434223739533] * 3, dtype=torch.float64, requires_grad=True)
    assert t.std().item() != 0.0  # torch's mean rounds: its std is rounding noise, and so is its gradient


def test_a_value_local_derivative_is_formed_before_g() -> None:
    """A Value stores ∂out/∂input as a number and backward multiplies it by g; torch folds g in
    first. log's 1/x overflows at a subnormal x where torch's g/x does not; arctan2's local
    x·(1/r²) stays finite where torch's (g·x)·(1/r²) overflows. A Tensor computes as torch."""
    v, t = Value(1e-310), Tensor(1e-310, requires_grad=True)
    ref = torch.tensor(1e-310, dtype=torch.float64, requires_grad=True)
    for x, g in ((v, 1e-3), (t, 1e-3), (ref, torch.tensor(1e-3, dtype=torch.float64))):
        x.log().backward(g)
    assert v.grad == math.inf and float(t.grad) == ref.grad.item() == 1e-3 / 1e-310
    y, x = Value(-1e308), Value(710.0)
    (y.arctan2(x) * 2.0).backward()
    ty = torch.tensor(-1e308, dtype=torch.float64, requires_grad=True)
    tx = torch.tensor(710.0, dtype=torch.float64, requires_grad=True)
    (torch.atan2(ty, tx) * 2.0).backward()
    assert x.grad == 0.0 and math.isnan(tx.grad.item())  # torch: (2 · 1e308)·(1/r²) = inf · 0
    y, x = Tensor(-1e308, requires_grad=True), Tensor(710.0, requires_grad=True)
    (y.arctan2(x) * 2.0).backward()
    assert math.isnan(float(x.grad))
    # hypot: the local y/r is 1; torch's (g·y)/r overflows for g = 10 (a Tensor computes as torch)
    for y, g in ((Value(1e308), 10.0), (Tensor(1e308, requires_grad=True), 10.0)):
        y.hypot(1.0).backward(g)
        assert float(y.grad) == (10.0 if isinstance(y, Value) else math.inf)
    ty = torch.tensor(1e308, dtype=torch.float64, requires_grad=True)
    torch.hypot(ty, torch.tensor(1.0, dtype=torch.float64)).backward(torch.tensor(10.0, dtype=torch.float64))
    assert ty.grad.item() == math.inf


def test_plain_results_send_no_gradient() -> None:
    """floor (sign, ceil, round, trunc) gives a plain number: nothing flows back through it. torch
    sends a zero gradient, which an inf local derivative upstream turns into nan (0 · inf)."""
    for x in (Value(2.0), Tensor(2.0, requires_grad=True)):
        ((x * math.inf).floor() + x).backward()
        assert float(x.grad) == 1.0
    ref = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ((ref * math.inf).floor() + ref).backward()
    assert math.isnan(ref.grad.item())
    # x // y too (torch.floor_divide has no derivative at all: its backward raises)
    for x in (Value(7.0), Tensor(7.0, requires_grad=True)):
        q = x // 2.0  # (a float for a Value, a Tensor that needs no grad for a Tensor)
        assert not isinstance(q, Value) and not getattr(q, "requires_grad", False) and float(q) == 3.0
        (x * q).backward()
        assert float(x.grad) == 3.0
    ref = torch.tensor(7.0, dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match="floor_divide is not implemented"):
        (ref * torch.floor_divide(ref, 2.0)).backward()


def test_fmod_and_remainder_are_exact_where_the_quotient_overflows() -> None:
    """1/1e-310 overflows: the remainders are still exact (Python's math.fmod), as torch's 0-d kernel
    gives them; its vectorised kernel (17 elements) gives nan. Both gradients are torch's 0-d ones."""
    for op, exact in (("fmod", math.fmod(1.0, 1e-310)), ("remainder", 1.0 % 1e-310)):
        assert exact == pytest.approx(3.5074317610433e-311, abs=1e-323)
        tensors = (Tensor([1.0] * 17, requires_grad=True), Tensor(1e-310, requires_grad=True))
        for x, y in ((Value(1.0), Value(1e-310)), tensors):
            out = getattr(x, op)(y)
            out.sum().backward() if isinstance(out, Tensor) else out.backward()
            assert (_data(out) == exact).all() and (_grad(x) == 1.0).all()
            assert float(np.sum(_grad(y))) == -math.inf
        ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (1.0, 1e-310))
        getattr(torch, op)(ta, tb).backward()
        assert getattr(torch, op)(ta, tb).item() == exact
        assert (ta.grad.item(), tb.grad.item()) == (1.0, -math.inf)
        assert math.isnan(getattr(torch, op)(torch.full((17,), 1.0, dtype=torch.float64), 1e-310)[0].item())


def test_sinh_and_cosh_are_finite_up_to_710_48() -> None:
    """sinh(710) = 1.117e308 (Python's math.sinh, torch's 0-d kernel); torch's vectorised kernel
    overflows to inf for |x| > 709.78."""
    exact = math.sinh(710.0)
    v, t = Value(710.0), Tensor([710.0] * 25, requires_grad=True)
    v.cosh().backward()
    t.cosh().sum().backward()
    assert v.sinh().data == exact and v.grad == exact and (t.grad == np.sinh(710.0)).all()
    close(t.sinh().data, exact, rtol=1e-15, atol=0)
    assert torch.sinh(torch.tensor(710.0, dtype=torch.float64)).item() == exact
    assert torch.sinh(torch.full((25,), 710.0, dtype=torch.float64))[0].item() == math.inf


def test_logaddexp2_of_equal_inputs_is_exact() -> None:
    """log2(2^x + 2^x) = x + 1: exactly here (numpy's), an ulp less in torch (a fused multiply-add
    of log1p(1) and 1/ln 2)."""
    for x in (Value(-1.0), Tensor(-1.0, requires_grad=True), ValueArray([-1.0])):
        out = x.logaddexp2(x)
        assert float(np.sum(_data(out))) == 0.0
    t = torch.tensor(-1.0, dtype=torch.float64)
    assert torch.logaddexp2(t, t).item() == -4.756597398230631e-17


def test_elu_family_at_nan_and_hardswish_at_minus_inf_exactly() -> None:
    import autograd.nn.functional as F

    for f in (F.elu, F.selu, F.celu, F.hardswish):
        x = Tensor(np.full(20, np.nan), requires_grad=True)
        f(x).sum().backward()
        assert np.isnan(f(Tensor(np.full(20, np.nan))).data).all()
        assert np.all(x.grad.data == (1.0507009873554805 if f is F.selu else 1.0))
    assert F.hardswish(Tensor([-np.inf])).data.tolist() == [0.0]


def test_hardsigmoid_slope_and_elus_second_derivative_at_0_exactly() -> None:
    import autograd.nn.functional as F

    x = Tensor(np.array([0.5]), requires_grad=True)
    F.hardsigmoid(x).sum().backward()
    assert x.grad.data.tolist() == [float(np.float32(1) / np.float32(6))] != [1 / 6]  # torch's float32 1/6
    z = Tensor(np.array(0.0), requires_grad=True)
    (g,) = ag.grad(F.elu(z, 1.7), [z], create_graph=True)
    (h,) = ag.grad(g, [z])
    assert g.item() == 1.7 and h.item() == 0.0  # (torch 2.13's elu_double_backward masks by x < 0)


def test_copysign_by_a_nan_takes_its_sign_bit_as_torch() -> None:
    """The same nan gives torch's result (its sign bit decides, for the value and the gradient). (An
    invalid operation's nan carries the sign bit its library's kernel gives, which may differ between
    numpy and torch and between CPUs: ``log2(-1)`` is -nan in numpy on an Intel Xeon, +nan on an AMD
    EPYC; torch's +nan on both.)"""
    for y in (math.nan, -math.nan):
        for x in (Tensor([2.0, -3.0], requires_grad=True), ValueArray([2.0, -3.0])):
            out = x.copysign(y)
            out.sum().backward() if isinstance(out, Tensor) else out.sum().to_value().backward()
            ref = torch.tensor([2.0, -3.0], dtype=torch.float64, requires_grad=True)
            theirs = torch.copysign(ref, torch.tensor(y, dtype=torch.float64))
            theirs.sum().backward()
            assert _data(out).tolist() == theirs.tolist() and _grad(x).tolist() == ref.grad.tolist()


def test_layer_norm_of_numbers_whose_squares_overflow_exactly() -> None:
    import autograd.nn.functional as F

    ten = [1e155, 1e155]
    assert F.layer_norm(Tensor(ten), (2,)).data.tolist() == [0.0, 0.0]  # (torch: nan, nan)
    assert F.layer_norm(Tensor([1e200, -1e200]), (2,)).data.tolist() == [0.0, 0.0]  # (torch too)
    assert F.layer_norm(Tensor([1e200, 5e199]), (2,)).data.tolist() == [0.0, 0.0]  # (torch: nan, nan)
    t = torch.tensor(ten, dtype=torch.float64)
    assert torch.isnan(torch.nn.functional.layer_norm(t, (2,))).all()
    ok = [1e150, 5e149]  # (below, the two agree)
    np.testing.assert_allclose(
        F.layer_norm(Tensor(ok), (2,)).data,
        torch.nn.functional.layer_norm(torch.tensor(ok, dtype=t.dtype), (2,)).numpy(),
    )


def test_glu_gate_gradient_overflows_where_g_times_a_does_exactly() -> None:
    import autograd.nn.functional as F

    x = Tensor([-1e308, 1.2280499381140106], requires_grad=True)
    F.glu(x).backward(Tensor([2.5]))
    t = torch.tensor([-1e308, 1.2280499381140106], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.glu(t).backward(torch.tensor([2.5], dtype=torch.float64))
    assert x.grad.data[1] == -np.inf and np.isfinite(t.grad[1].item())  # (g·a = -2.5e308 first)
    assert x.grad.data[0] == t.grad[0].item()  # (a's gradient g·σ(b) agrees)
    x = Tensor([-1e307, 1.2280499381140106], requires_grad=True)  # (g·a finite: they agree)
    F.glu(x).backward(Tensor([2.5]))
    t = torch.tensor([-1e307, 1.2280499381140106], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.glu(t).backward(torch.tensor([2.5], dtype=torch.float64))
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-14)
