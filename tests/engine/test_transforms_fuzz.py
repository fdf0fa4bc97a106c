"""Differential fuzzer of the function transforms (grad with argnums and aux, grad_and_value,
value_and_grad, vjp, jvp, jacrev, jacfwd, jacobian, hessian, hvp; eager and compiled) against
torch.func and torch.autograd.functional (torch 2.13, CPU).

The functions are the first-order fuzzer's random programs (``fuzz_programs.py``): Tensor programs
of one to three arguments (0-d to 3-d, some with an empty axis), float64 and float32, at points and
along directions that hold nan, ±inf and ±0; Value programs of one to three floats. Each program is
checked three ways:

- against the engine's own ``autograd.grad`` on the same program, **bit for bit** (the transforms
  must deliver exactly the engine's derivative: the same operations in the same order): the
  gradients of grad/grad_and_value/value_and_grad/vjp and the scalar's jacrev/jacfwd, for every
  argnums; the compiled hvp and hessian against the eager ones. A nan equals any nan (which of two
  nans an operation keeps, and its sign, is unspecified in numpy and in torch);
- against torch.func (torch.autograd.functional's ``hvp``, the closer API), to ``agree``'s
  tolerance (the first-order fuzzer's): torch's kernels sum in another order. Where the engine's
  plain derivative already differs from torch's (a deliberate deviation of the first-order fuzzer's
  list, or a second derivative torch's double backward orders differently: see
  ``test_fuzz_second_order.py``), the transform is not at fault: those are counted, not failed;
- the results' types (a Tensor argument gives Tensors without a graph, an ndarray ndarrays, a
  float floats; the same for eager and compiled and across the transforms), dtypes (the
  argument's, as torch.func), shapes, and that no result shares memory with an input.

``FUZZ_SCALE`` multiplies the number of programs, as in the other fuzzers.
"""

from __future__ import annotations

import ast
import math
import os
import random
import warnings
from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.autograd.functional as taf
import torch.func as tf
from fuzz_programs import Lib, numbers, run_scalar_program, run_tensor_program, scalar_program, tensor_program
from test_fuzz_second_order import agree_second
from test_fuzz_vs_torch import agree

import autograd as ag
from autograd import Tensor

SCALE = int(os.environ.get("FUZZ_SCALE", 10 if os.environ.get("HYPOTHESIS_PROFILE") == "dev" else 1))
N_TENSOR, N_VALUE = 150 * SCALE, 400 * SCALE
#: at most this share of the programs may differ from torch where the engine's plain derivative does
#: too (the first- and second-order fuzzers' business, not the transforms')
ENGINE_DIFFERS_SHARE = 0.25


# ---------------------------------------------------------------- comparisons
def _canonical(a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    if a.dtype.kind == "f":
        a[np.isnan(a)] = np.nan
    return a


def same(ours: Any, theirs: Any) -> bool:
    """Bit for bit: the same type, dtype, shape and bytes (any nan equals any nan)."""
    if type(ours) is not type(theirs):
        return False
    a, b = np.asarray(getattr(ours, "data", ours)), np.asarray(getattr(theirs, "data", theirs))
    return a.dtype == b.dtype and a.shape == b.shape and _canonical(a).tobytes() == _canonical(b).tobytes()


def numbers_in(x: Any) -> np.ndarray:
    """A result's numbers as float64 (a Tensor's data, a torch tensor's numbers, an ndarray, a float)."""
    if isinstance(x, torch.Tensor):
        return x.numpy(force=True).astype(np.float64)
    return np.asarray(getattr(x, "data", x), dtype=np.float64)


class Findings:
    """Failures (named by seed) and the counts of tolerated differences."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self.engine_differs = 0
        self.differing: Counter[str] = Counter()  # (which transforms, over all programs)
        self.this_program: set[str] = set()
        self.programs = 0
        self.checks = 0

    def fail(self, where: str, what: str) -> None:
        what = " ".join(what.split())
        self.failures.append(f"{where}: {what if len(what) < 400 else what[:400] + '...'}")

    def differs(self, what: str) -> None:
        """The engine's ``what`` differs from torch's where its plain derivative does too."""
        self.this_program.add(what)

    def next_program(self) -> None:
        self.engine_differs += any(not w.endswith("(non-finite)") for w in self.this_program)
        self.differing.update(self.this_program)
        self.this_program = set()
        self.programs += 1

    def check(self, ok: bool, where: str, what: str) -> None:
        self.checks += 1
        if not ok:
            self.fail(where, what)

    def report(self, kind: str, least: int) -> None:
        print(f"{kind}: {self.programs} programs, {self.checks} checks; {self.engine_differs} differ "
              f"from torch where the engine's plain derivative does: {dict(self.differing)}")  # fmt: skip
        assert not self.failures, f"{len(self.failures)} failures, first:\n" + "\n".join(self.failures[:8])
        assert self.programs >= least, f"only {self.programs} programs ran"
        assert self.engine_differs <= ENGINE_DIFFERS_SHARE * self.programs


def expected_type(arg: Any) -> type:
    """The type of a derivative for argument ``arg``: a Tensor's is a Tensor, an array's an ndarray,
    a float's a float."""
    if isinstance(arg, Tensor):
        return Tensor
    return np.ndarray if isinstance(arg, np.ndarray) else float


def check_result(
    found: Findings, where: str, what: str, result: Any, arg: Any, shape: tuple, inputs: list
) -> None:
    """``result``'s type follows ``arg``'s, its dtype is ``arg``'s, its shape ``shape``; a Tensor has no
    graph; no result shares memory with an input."""
    kind = expected_type(arg)
    found.check(type(result) is kind, where, f"{what}: {type(result).__name__} for a {type(arg).__name__}")
    if kind is float:
        return
    data = result.data if isinstance(result, Tensor) else result
    dtype = np.asarray(getattr(arg, "data", arg)).dtype
    found.check(isinstance(data, np.ndarray) and data.dtype == dtype and data.shape == shape, where,
                f"{what}: {getattr(data, 'dtype', '?')} {np.shape(data)}, not {dtype} {shape}")  # fmt: skip
    if isinstance(result, Tensor):
        found.check(not result.requires_grad, where, f"{what}: a Tensor with a graph")
    shared = [k for k, x in enumerate(inputs) if np.shares_memory(data, np.asarray(getattr(x, "data", x)))]
    found.check(not shared, where, f"{what} shares memory with input(s) {shared}")


def near(ours: Any, theirs: Any, second: bool = False) -> bool:
    """Equal to the first-order fuzzer's tolerance (``agree``; the second-order fuzzer's for second
    derivatives); float32 numbers to 1e-4 relative, 1e-5 of the largest, plus 2e-6 (sums of float32
    products in two orders: the rounding of each partial sum, ~6e-8, grows with the terms that
    cancel, and a derivative that is 0 keeps a residue of terms of order 1)."""
    a, b = numbers_in(ours), numbers_in(theirs)
    if np.asarray(getattr(ours, "data", ours)).dtype == np.float32:
        if a.shape != b.shape or (np.isnan(a) != np.isnan(b)).any():
            return False
        scale = float(np.max(np.abs(b[np.isfinite(b)]), initial=0.0))
        finite = np.isfinite(a) & np.isfinite(b)
        tolerance = 1e-4 * np.abs(b)[finite] + 1e-5 * scale + 2e-6
        return bool((a[~finite & ~np.isnan(a)] == b[~finite & ~np.isnan(b)]).all() and
                    np.all(np.abs(a - b)[finite] <= tolerance))  # fmt: skip
    if not second:
        return agree(a, b)
    # second derivatives: also within 1e-9 of the largest finite number (terms of 1e300 that cancel
    # leave a residue of 1e291 in another order; test_fuzz_second_order.py's scale)
    scale = float(np.max(np.abs(np.concatenate([a[np.isfinite(a)], b[np.isfinite(b)]])), initial=0.0))
    with np.errstate(all="ignore"):
        close = (np.abs(a - b) <= 1e-9 * scale) | (a == b) | (np.isnan(a) & np.isnan(b))
    return agree_second(a, b) or (a.shape == b.shape and bool(close.all()))


def only_where_not_finite(ours: Any, theirs: Any) -> bool:
    """Whether ``ours`` and ``theirs`` (of one shape) differ only at places where one of them is
    inf or nan: a 0·inf met in one order of operations and not in the other (see ``judge``)."""
    a, b = numbers_in(ours), numbers_in(theirs)
    if a.shape != b.shape:
        return False
    with np.errstate(all="ignore"):
        equal = (np.isnan(a) & np.isnan(b)) | (a == b) | (np.abs(a - b) <= 1e-7 * np.abs(b) + 1e-9)
    return bool(np.all(~np.isfinite(a[~equal]) | ~np.isfinite(b[~equal])))


def moderate(arrays: list[Any], tiny: float = 1e-300) -> bool:
    """Whether every number is 0 or of magnitude ``tiny`` to 1e100 (no overflow in a product, no
    division by a subnormal number)."""
    a = np.concatenate([np.ravel(np.asarray(x, dtype=np.float64)) for x in arrays]) if arrays else np.zeros(0)
    return bool(np.all((a == 0) | ((np.abs(a) >= tiny) & (np.abs(a) < 1e100))))


def judge(
    found: Findings,
    where: str,
    name: str,
    ours: Any,
    refs: list[Any],
    engine_differs: bool,
    strict: bool = False,
) -> None:
    """``ours`` against torch's ``refs`` (any may match). A finite number that differs from torch's
    fails, unless the engine's plain derivative differs too (``engine_differs``: the first- and
    second-order fuzzers' business); where one side is inf or nan and the other not, the two
    orders of operations met a 0·inf differently (forward mode multiplies a tangent by a
    derivative, the double-VJP trick differentiates a VJP rule by its seed, torch's double
    backward masks where the engine's rule selects): counted as ``name (non-finite)``, unless
    ``strict`` (the engine's reverse-mode numbers are finite and torch's: then this is the
    transform's own 0·inf).
    """
    refs = [r for r in refs if r is not None]
    if not refs or any(near(ours, r, second=name in ("hessian", "hvp")) for r in refs):
        return
    if not strict and any(only_where_not_finite(ours, r) for r in refs):
        found.differs(f"{name} (non-finite)")
        return
    found.differs(name)
    found.check(engine_differs, where, f"{name} {numbers_in(ours)} != torch {numbers_in(refs[0])}")


# ---------------------------------------------------------------- the programs
class Program:
    """One random Tensor program as a function of its leaves (the weight a constant), for the engine
    (``ours``) and for torch (``theirs``), with its points in ``dtype``."""

    def __init__(self, seed: int, dtype: type) -> None:
        rng = np.random.default_rng(seed)
        self.rng, self.seed = rng, seed
        self.prog = tensor_program(rng, rng.random() < 0.15)
        self.dtype = dtype
        self.arrays = [a.astype(dtype) for a in self.prog["leaves"]]
        self.weight = self.prog["weight"].astype(dtype)
        self.pr = random.Random(seed)

    def ours(self, *xs: Any) -> Any:
        """The program (an argument the transform was not asked to differentiate comes in as it was
        passed: an ndarray is made a Tensor)."""
        leaves = [x if isinstance(x, Tensor) else Tensor(x) for x in xs]
        return run_tensor_program(self.prog, leaves, Tensor(self.weight), False)

    def theirs(self, *xs: Any) -> Any:
        return run_tensor_program(self.prog, list(xs), torch.tensor(self.weight), True)

    def direction(self, shape: tuple) -> np.ndarray:
        return numbers(self.rng, shape, p_edge=self.pr.choice([0.0, 0.2])).astype(self.dtype)

    def argnums(self) -> int | tuple[int, ...]:
        n = len(self.arrays)
        if self.pr.random() < 0.4:
            return self.pr.randrange(-n, n)
        picked = self.pr.sample(range(n), self.pr.randint(1, n))
        return tuple(picked)


def _torch_ok(fn: Callable[[], Any]) -> Any:
    """torch's result, or None where torch refuses the program (the first-order fuzzer checks that
    the engine refuses it too)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()
    except (RuntimeError, IndexError, ValueError):
        return None


def plain_grads(p: Program, cotangent: Any = None) -> tuple[Any, list[np.ndarray]]:
    """The engine's output and ``autograd.grad`` of it with respect to every leaf (the reference the
    transforms must reproduce bit for bit)."""
    leaves = [Tensor(a, requires_grad=True) for a in p.arrays]
    out = p.ours(*leaves)
    seed = None if cotangent is None else np.asarray(cotangent, dtype=out.data.dtype)
    gs = ag.grad(out, leaves, grad_outputs=seed, allow_unused=True, materialize_grads=True)
    return out, [np.asarray(g) for g in gs]


def double_backward(out: Any, leaf: Any, v: Any) -> Any:
    """``autograd.grad`` of ⟨∂out/∂leaf, v⟩: the reference of the eager hvp (zeros where out or its
    gradient does not depend on ``leaf``), as the transform's numbers (a float for a Value)."""
    zeros = 0.0 if isinstance(leaf, ag.Value) else np.zeros(leaf.shape, leaf.data.dtype)
    try:
        (g,) = ag.grad(out, leaf, create_graph=True, allow_unused=True, materialize_grads=True)
        (h,) = ag.grad(g, leaf, grad_outputs=v, allow_unused=True, materialize_grads=True)
    except RuntimeError as e:  # (a constant: "output 0 does not require grad")
        assert "does not require grad" in str(e)
        return zeros
    return float(h) if isinstance(leaf, ag.Value) else np.array(h, leaf.data.dtype)


def _as_args(p: Program, kind: str) -> list[Any]:
    return [Tensor(a) for a in p.arrays] if kind == "tensor" else [a.copy() for a in p.arrays]


def _picked(argnums: int | tuple[int, ...], n: int) -> list[int]:
    return [a % n for a in ((argnums,) if isinstance(argnums, int) else argnums)]


def _grouped(result: Any, argnums: int | tuple[int, ...]) -> list[Any]:
    return [result] if isinstance(argnums, int) else list(result)


def fuzz_first_order(p: Program, kind: str, found: Findings, where: str) -> None:
    """grad (argnums, has_aux), grad_and_value, value_and_grad, vjp and jvp of a Tensor program;
    whether the engine differs from torch where its plain derivative does."""
    n = len(p.arrays)
    args = _as_args(p, kind)
    targs = [torch.tensor(a) for a in p.arrays]
    out, plain = plain_grads(p)
    value_type = Tensor if kind == "tensor" else np.ndarray
    argnums, has_aux = p.argnums(), p.pr.random() < 0.5
    picked = _picked(argnums, n)
    f = (lambda *xs: (p.ours(*xs), p.ours(*xs) * 2.0)) if has_aux else p.ours
    result = ag.func.grad(f, argnums, has_aux=has_aux)(*args)
    grads, aux = result if has_aux else (result, None)
    gs = _grouped(grads, argnums)
    for i, g in zip(picked, gs):
        check_result(found, where, f"grad argnums={argnums} [{i}]", g, args[i], p.arrays[i].shape, args)
        found.check(
            same(numbers_in_place(g), plain[i]), where, f"grad argnums={argnums} [{i}] != autograd.grad"
        )
    if has_aux:
        twice = np.asarray(out.data * 2.0)
        found.check(type(aux) is value_type and same(numbers_in_place(aux), twice), where,
                    f"grad has_aux: aux {type(aux).__name__}")  # fmt: skip
    for name, transform in (
        ("grad_and_value", ag.func.grad_and_value),
        ("value_and_grad", ag.value_and_grad),
    ):
        pair = transform(p.ours, argnums)(*args)
        g2, value = pair if name == "grad_and_value" else pair[::-1]
        found.check(type(value) is value_type and same(numbers_in_place(value), out.data), where,
                    f"{name}: value {type(value).__name__} {value!r}, expected {out.data!r}")  # fmt: skip
        pairs = zip(_grouped(g2, argnums), gs)
        found.check(all(same(numbers_in_place(a), numbers_in_place(b)) for a, b in pairs),
                    where, f"{name}: gradients differ from grad's")  # fmt: skip
    # the arguments as one pytree (a dict of the leaves, or a list): the gradient has its structure
    keys = [f"x{i}" for i in range(n)]
    tree = dict(zip(keys, args)) if p.pr.random() < 0.5 else list(args)
    leaves_of = (lambda t: [t[k] for k in keys]) if isinstance(tree, dict) else list
    g_tree = ag.func.grad(lambda t: p.ours(*leaves_of(t)))(tree)
    found.check(type(g_tree) is type(tree), where, f"grad of a pytree: {type(g_tree).__name__}")
    for i, g in enumerate(leaves_of(g_tree)):
        check_result(found, where, f"grad of a pytree [{i}]", g, args[i], p.arrays[i].shape, args)
        found.check(same(numbers_in_place(g), plain[i]), where, f"grad of a pytree [{i}] != autograd.grad")
    # vjp with a cotangent that may be nan, inf or 0
    u = p.direction(())
    value, vjp_fn = ag.vjp(p.ours, *args)
    found.check(type(value) is value_type and same(numbers_in_place(value), out.data), where, "vjp: value")
    _, plain_u = plain_grads(p, u)
    vs = vjp_fn(Tensor(u) if kind == "tensor" else u)
    for i, g in enumerate(vs):
        check_result(found, where, f"vjp [{i}]", g, args[i], p.arrays[i].shape, [*args, u])
        found.check(same(numbers_in_place(g), plain_u[i]), where, f"vjp [{i}] != autograd.grad with u={u}")
    # jvp along tangents that may hold nan, inf and ±0
    ts = [p.direction(a.shape) for a in p.arrays]
    targ_ts = [Tensor(t) for t in ts] if kind == "tensor" else ts
    value, tangent = ag.jvp(p.ours, tuple(args), tuple(targ_ts))
    found.check(type(value) is value_type and same(numbers_in_place(value), out.data), where, "jvp: value")
    if has_aux:  # (vjp's and jvp's aux: as grad's)
        aux_v = ag.vjp(f, *args, has_aux=True)[2]
        aux_j = ag.jvp(f, tuple(args), tuple(targ_ts), has_aux=True)[2]
        for name, a in (("vjp", aux_v), ("jvp", aux_j)):
            ok = type(a) is value_type and same(numbers_in_place(a), twice)
            found.check(ok, where, f"{name} has_aux: aux {type(a).__name__}")
    found.check(type(tangent) is value_type and numbers_in_place(tangent).dtype == out.data.dtype, where,
                f"jvp: tangent {type(tangent).__name__}")  # fmt: skip
    if p.dtype is not np.float64:
        return
    ref = _torch_ok(lambda: tf.grad(p.theirs, argnums)(*targs))
    if ref is None:
        return
    for i, g, r in zip(picked, gs, _grouped(ref, argnums)):
        judge(found, where, "grad", g, [r], not agree(plain[i], r.numpy()))
    ref_jvp = _torch_ok(lambda: tf.jvp(p.theirs, tuple(targs), tuple(torch.tensor(t) for t in ts)))
    if ref_jvp is not None:
        # the engine's J·t comes from the double-VJP trick, torch's from forward mode; Σ ⟨∂f/∂x_i, t_i⟩
        # of the engine's gradients tells whether the engine's derivative differs from torch's
        own = sum(float(np.sum(plain[i].astype(np.float64) * t)) for i, t in enumerate(ts))
        # strict where the point, the tangents and the value are moderate numbers and the engine's
        # reverse-mode J·t is torch's (elsewhere an overflow or 0·inf of the double-VJP trick's order)
        strict = (
            moderate([*p.arrays, out.data])
            and moderate(ts, 0.0)
            and math.isfinite(own)
            and near(own, ref_jvp[1])
        )
        judge(found, where, "jvp", tangent, [ref_jvp[1]], not near(own, ref_jvp[1]), strict)


def numbers_in_place(x: Any) -> Any:
    """A result's numbers in its own dtype (a Tensor's data; an ndarray or a float as it is)."""
    return x.data if isinstance(x, Tensor) else x


def _one_hot(shape: tuple, j: int, dtype: type) -> np.ndarray:
    e = np.zeros(math.prod(shape), dtype)
    e[j] = 1.0
    return e.reshape(shape)


def fuzz_jacobians(p: Program, kind: str, found: Findings, where: str) -> None:
    """jacrev, jacfwd and jacobian of the vector ``f(x) · x_0`` (of x_0's shape)."""
    n = len(p.arrays)
    args = _as_args(p, kind)
    argnums = p.argnums()
    picked = _picked(argnums, n)

    def g(*xs: Any) -> Any:
        return p.ours(*xs) * xs[0]

    leaves = [Tensor(a, requires_grad=True) for a in p.arrays]
    out = g(*leaves)
    shape = out.shape
    # the reference: one autograd.grad per output element, stacked
    rows = [
        ag.grad(out, [leaves[i] for i in picked], grad_outputs=_one_hot(shape, j, out.data.dtype),
                allow_unused=True, materialize_grads=True)
        for j in range(math.prod(shape))
    ]  # fmt: skip
    jac_rev = _grouped(ag.func.jacrev(g, argnums)(*args), argnums)
    jac_fwd = _grouped(ag.func.jacfwd(g, argnums)(*args), argnums)
    jac = _grouped(ag.jacobian(g, argnums)(*args), argnums)
    for k, i in enumerate(picked):
        block = shape + p.arrays[i].shape
        want = np.stack([np.asarray(r[k]) for r in rows]).reshape(block) if rows else np.zeros(block, p.dtype)
        for name, found_jac in (("jacrev", jac_rev), ("jacfwd", jac_fwd), ("jacobian", jac)):
            check_result(found, where, f"{name} argnums={argnums} [{i}]", found_jac[k], args[i], block, args)
        found.check(same(numbers_in_place(jac_rev[k]), want), where, f"jacrev [{i}] != autograd.grad's rows")
        found.check(same(jac[k], jac_rev[k]), where, f"jacobian [{i}] != jacrev")
        # jacfwd's columns are VJPs of u ↦ Jᵀu (double-VJP trick): the same products summed in another
        # order, and a nan local derivative spreads along a column (0·nan), as in torch's forward mode,
        # where jacrev spreads it along a row: the entries finite in both agree
        a, b = np.asarray(numbers_in_place(jac_fwd[k])), np.asarray(numbers_in_place(jac_rev[k]))
        both = np.isfinite(a) & np.isfinite(b)
        found.check(near(a[both], b[both]), where, f"jacfwd [{i}] {jac_fwd[k]} != jacrev {jac_rev[k]}")
    if p.dtype is not np.float64:
        return
    targs = [torch.tensor(a) for a in p.arrays]
    refs = [
        _torch_ok(lambda: transform(lambda *xs: p.theirs(*xs) * xs[0], argnums)(*targs))  # noqa: B023
        for transform in (tf.jacrev, tf.jacfwd)
    ]
    if refs[0] is None or refs[1] is None:
        return
    rev, fwd = _grouped(refs[0], argnums), _grouped(refs[1], argnums)
    rev_agrees = all(near(a, b) for a, b in zip(jac_rev, rev))
    torch_consistent = all(near(a, b) for a, b in zip(fwd, rev))
    for k in range(len(picked)):
        # (jacrev is autograd.grad's rows, bit for bit: where it differs, the engine does)
        judge(found, where, "jacrev", jac_rev[k], [rev[k]], True)
        # torch's forward-mode rules are not its reverse-mode ones (embedding's, attention's differ):
        # where torch's jacfwd is not its jacrev, the engine's (which agrees with jacrev) differs too
        # (strict where the point and the value are moderate and jacrev finite: a non-finite jacfwd is
        # then the double-VJP trick's own 0·inf, as sinc's at 0 was)
        finite = moderate([*p.arrays, out.data]) and np.isfinite(numbers_in(jac_rev[k])).all()
        engine = not (torch_consistent and rev_agrees)
        judge(found, where, "jacfwd", jac_fwd[k], [fwd[k]], engine, bool(finite))


def fuzz_second_order(p: Program, kind: str, found: Findings, where: str) -> None:
    """hessian and hvp of the program as a function of its first leaf (the others captured: data, or
    for a third of the seeds parameters that require grad), eager and compiled."""
    rest = [Tensor(a, requires_grad=p.seed % 3 == 0) for a in p.arrays[1:]]
    x = _as_args(p, kind)[0]

    def fx(x_: Any) -> Any:
        return p.ours(x_, *rest)

    v = p.direction(p.arrays[0].shape)
    v_arg = Tensor(v) if kind == "tensor" else v
    shape = p.arrays[0].shape
    h = ag.hessian(fx)(x)
    hv = ag.hvp(fx, x, v_arg)
    check_result(found, where, "hessian", h, x, shape + shape, [x])
    check_result(found, where, "hvp", hv, x, shape, [x, v_arg])
    leaf = Tensor(p.arrays[0], requires_grad=True)
    plain = double_backward(fx(leaf), leaf, v)
    found.check(same(numbers_in_place(hv), plain), where, "hvp != autograd.grad's double backward")
    compiled = ag.compile(fx)
    hc = ag.hessian(compiled)(x)
    hvc = ag.hvp(compiled, x, v_arg)
    found.check(same(hc, h), where, f"compiled hessian {hc} != eager {h}")
    found.check(same(hvc, hv), where, f"compiled hvp {hvc} != eager {hv}")
    check_result(found, where, "compiled hvp", hvc, x, shape, [x, v_arg])
    if p.dtype is not np.float64 or not np.isfinite(p.arrays[0]).all():
        return
    tx = torch.tensor(p.arrays[0])
    trest = [torch.tensor(a) for a in p.arrays[1:]]
    ref_h = _torch_ok(lambda: tf.hessian(lambda x_: p.theirs(x_, *trest))(tx))
    # torch.func.hessian is forward over reverse, the engine's reverse over reverse: torch.autograd's
    # (double backward) counts as well (where a nan meets a zero the two spread it differently)
    ref_rr = _torch_ok(lambda: taf.hessian(lambda x_: p.theirs(x_, *trest), tx))
    ref_hv = _torch_ok(lambda: taf.hvp(lambda x_: p.theirs(x_, *trest), tx, torch.tensor(v))[1])
    # torch's hvp is a double-backward trick (a VJP of a VJP of the gradient), the engine's the gradient
    # of ⟨∇f, v⟩: where H holds a nan or an inf the two spread it differently, so torch's H·v (its
    # hessian times v) counts as well
    ref_hv_h = (
        None
        if ref_h is None
        else (ref_h.reshape(v.size, v.size) @ torch.tensor(v).reshape(-1)).reshape(v.shape)
    )
    # (the eager hvp is autograd.grad's double backward bit for bit, checked above: where it differs
    # from torch, the engine's second derivative does)
    for name, ours, refs in (("hessian", h, [ref_h, ref_rr]), ("hvp", hv, [ref_hv, ref_hv_h])):
        judge(found, where, name, ours, refs, True)
    # every argument at once: the nested blocks H[i][j] of shape x_i.shape + x_j.shape
    n = len(p.arrays)
    if n < 2 or not all(np.isfinite(a).all() for a in p.arrays):
        return
    args = _as_args(p, kind)
    blocks = ag.hessian(p.ours, argnums=tuple(range(n)))(*args)
    targs = tuple(torch.tensor(a) for a in p.arrays)
    ref = _torch_ok(lambda: taf.hessian(p.theirs, targs))
    for i in range(n):
        for j in range(n):
            block_shape = p.arrays[i].shape + p.arrays[j].shape
            check_result(found, where, f"hessian[{i}][{j}]", blocks[i][j], args[j], block_shape, args)
            if ref is not None:
                judge(found, where, "hessian", blocks[i][j], [ref[i][j]], True)


def fuzz_tensor_programs(seeds: range, found: Findings, dtype: type = np.float64) -> None:
    for seed in seeds:
        p = Program(seed, dtype)
        try:  # a program the engine refuses (a broadcast of an empty axis): the other fuzzers' business
            plain_grads(p)
        except (ValueError, RuntimeError, IndexError, TypeError):
            continue
        kind = "tensor" if seed % 2 else "array"
        shapes = [a.shape for a in p.arrays]
        where = f"{np.dtype(dtype).name} {kind} seed {seed}: shapes {shapes}, ops {p.prog['ops']}"
        for part in (fuzz_first_order, fuzz_jacobians, fuzz_second_order):
            try:  # (the engine computed the program's derivative: every transform must too)
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    part(p, kind, found, where)
            except Exception as e:  # noqa: BLE001
                found.fail(where, f"{part.__name__} raised {type(e).__name__}: {str(e)[:300]}")
        found.next_program()


def test_transforms_of_tensor_programs_float64() -> None:
    found = Findings()
    fuzz_tensor_programs(range(N_TENSOR), found)
    found.report("Tensor programs, float64", int(0.8 * N_TENSOR))


def test_transforms_of_tensor_programs_float32() -> None:
    found = Findings()
    fuzz_tensor_programs(range(10**6, 10**6 + N_TENSOR // 2), found, np.float32)
    found.report("Tensor programs, float32", int(0.4 * N_TENSOR))


# ---------------------------------------------------------------- Value programs: floats in, floats out
def fuzz_value_programs(seeds: range, found: Findings) -> None:
    """grad (argnums), value_and_grad, vjp, jvp, hessian and hvp of programs of floats: floats out,
    bit for bit the engine's ``autograd.grad`` on Values, and torch's numbers on 0-d tensors."""
    ours_lib, theirs_lib = Lib(False), Lib(True)
    for seed in seeds:
        rng = np.random.default_rng(seed)
        prog = scalar_program(rng)
        xs = [float(x) for x in numbers(rng, prog["n_leaves"], p_edge=0.2)]
        pr = random.Random(seed)
        where = f"Value seed {seed}: inputs {xs}, ops {prog['ops']}"

        def f(*leaves: Any, prog: dict = prog) -> Any:
            nodes = [x if isinstance(x, ag.Value) else ag.Value(x) for x in leaves]  # (the other arguments)
            return run_scalar_program(prog, nodes, ours_lib)

        def f_torch(*leaves: Any, prog: dict = prog) -> Any:
            return run_scalar_program(prog, list(leaves), theirs_lib)

        leaves = [ag.Value(x) for x in xs]
        out = f(*leaves)
        if not isinstance(out, ag.Value):
            continue
        plain = ag.grad(out, leaves, allow_unused=True, materialize_grads=True)
        n = len(xs)
        argnums = pr.randrange(n) if pr.random() < 0.5 else tuple(pr.sample(range(n), pr.randint(1, n)))
        picked = _picked(argnums, n)
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value, grads = ag.value_and_grad(f, argnums)(*xs)
                gs = _grouped(grads, argnums)
                found.check(type(value) is float and same(value, out.data), where, f"value {value!r}")
                for i, g in zip(picked, gs):
                    found.check(type(g) is float and same(g, float(plain[i])), where, f"grad [{i}] {g!r}")
                _, vjp_fn = ag.vjp(f, *xs)
                found.check(all(type(g) is float and same(g, float(p)) for g, p in zip(vjp_fn(1.0), plain)),
                            where, "vjp with 1.0 != autograd.grad")  # fmt: skip
                ts = [float(t) for t in numbers(rng, n, p_edge=0.2)]
                _, tangent = ag.jvp(f, tuple(xs), tuple(ts))
                found.check(type(tangent) is float, where, f"jvp: {type(tangent).__name__}")
                rest = xs[1:]
                h = ag.hessian(lambda x: f(x, *rest))(xs[0])  # noqa: B023
                leaf = ag.Value(xs[0])
                plain_h = double_backward(f(leaf, *rest), leaf, 1.0)
                found.check(same(h, plain_h), where, f"hessian {h} != autograd.grad's double backward")
                hv = ag.hvp(lambda x: f(x, *rest), xs[0], ts[0])  # noqa: B023
                found.check(
                    type(h) is float and type(hv) is float, where, f"hessian/hvp {type(h)} {type(hv)}"
                )
        except Exception as e:  # noqa: BLE001
            found.fail(where, f"raised {type(e).__name__}: {str(e)[:300]}")
            continue
        targs = [torch.tensor(x, dtype=torch.float64) for x in xs]
        ref = _torch_ok(lambda: tf.grad(f_torch, argnums)(*targs))  # noqa: B023
        if ref is not None:
            for i, g, r in zip(picked, gs, _grouped(ref, argnums)):
                judge(found, where, "grad", g, [r], not agree(float(plain[i]), r.item()))
        ref_jvp = _torch_ok(lambda: tf.jvp(f_torch, tuple(targs), tuple(torch.tensor(t) for t in ts)))  # noqa: B023
        if ref_jvp is not None:
            own = sum(float(p) * t for p, t in zip(plain, ts))
            strict = (
                moderate([*xs, out.data])
                and moderate(ts, 0.0)
                and math.isfinite(own)
                and near(own, ref_jvp[1])
            )
            judge(found, where, "jvp", tangent, [ref_jvp[1]], not near(own, ref_jvp[1]), strict)
        if all(math.isfinite(x) for x in xs):
            trest = targs[1:]
            ref_h = _torch_ok(lambda: taf.hessian(lambda x: f_torch(x, *trest), targs[0]))  # noqa: B023
            judge(found, where, "hessian", h, [ref_h], True)  # (the double backward's: the engine's)
        found.next_program()


def test_transforms_of_value_programs() -> None:
    found = Findings()
    fuzz_value_programs(range(N_VALUE), found)
    found.report("Value programs", int(0.8 * N_VALUE))


# ---------------------------------------------------------------- the fuzzer can fail
def first_catch(caught: Callable[[str], bool], seeds: range = range(40)) -> Findings:
    """The findings of the Tensor programs ``seeds``, run one at a time up to the first failure that
    ``caught`` accepts: the same question as running them all (does one of these programs catch
    it?), answered at the first that does."""
    found = Findings()
    for seed in seeds:
        fuzz_tensor_programs(range(seed, seed + 1), found)
        if any(caught(f) for f in found.failures):
            break
    return found


def test_the_fuzzer_catches_a_wrong_batch_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reduction batched without shifting its axes past the batch axis (the compiled Hessian sums
    over the directions): the compiled hessian differs from the eager one."""
    from autograd.compiled import batch

    def unshifted(self: Any, expr: Any, x: Any, axis_args: Any) -> Any:
        keywords = {k.arg: k.value for k in expr.keywords}
        axis = self._value(keywords.get("axis", axis_args[0] if axis_args else ast.Constant(None)))
        keywords["axis"] = batch.literal(self.code, axis)
        args = (
            [x] if not isinstance(expr.func, ast.Attribute) or not self._is_batched(expr.func.value) else []
        )
        keywords_ = [ast.keyword(arg=k, value=v) for k, v in keywords.items()]
        return ast.Call(func=expr.func, args=args, keywords=keywords_)

    monkeypatch.setattr(batch.Batcher, "_reduction", unshifted)
    found = first_catch(lambda f: "compiled hessian" in f)
    assert any("compiled hessian" in f for f in found.failures), found.failures[:3]


def test_the_fuzzer_catches_a_wrong_result_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """The gradients handed back as the engine gives them (numpy scalars for 0-d arrays, the memory of
    a seed): the types' checks fail."""
    from autograd import functional

    monkeypatch.setattr(functional, "_numbers_like", lambda g, x: g)
    found = first_catch(lambda f: "float64 for a ndarray" in f or "for a Tensor" in f)
    assert any("float64 for a ndarray" in f or "for a Tensor" in f for f in found.failures), found.failures[
        :3
    ]
