"""Result dtypes against torch: a differential sweep, then the promotion's gradients, in-place writes,
errors, fast path and compiled steps.

The sweep calls every function of the torch namespace and every Tensor method this library also
has, on bool, int64, float32 and float64 tensors (1-d and 0-d) and Python bools, ints and floats,
alone and in pairs, with torch's default dtype set to this library's (so where torch gives its
default float dtype from non-float inputs, both give the same one), once under float64 and once
under float32. Wherever torch returns tensors, this library must return the same dtypes and values;
where torch accepts the arguments, it must accept them too, except for the listed forms that are no
dtype question. For the elementwise ops, where torch refuses dtypes (``-`` of bools), it must too.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag
from autograd.ops.elementwise import TABLE

DTYPES = ("bool", "int64", "float32", "float64")
FLOATS = ("float32", "float64")
#: draws, uninitialized memory, global state, I/O and constructors of data: no dtype question
SKIP = set(
    "empty_like empty rand_like randn_like randint_like bernoulli normal poisson multinomial dropout "
    "alpha_dropout feature_alpha_dropout manual_seed seed set_default_dtype set_printoptions save load "
    "compile vmap cond from_numpy as_tensor tensor asarray set_grad_enabled data grad new_empty "
    "random_ uniform_ normal_ exponential_ geometric_ cauchy_ log_normal_ bernoulli_ resize_ set_ "
    "storage untyped_storage share_memory_ backward register_hook retain_grad requires_grad_ numpy "
    "tolist item pin_memory copy_ apply_ map_".split()
)
#: the operator methods swept (``__rtruediv__`` is left out: torch computes it as reciprocal(self)
#: times other, so a bool tensor's reciprocal is float64 there before the promotion)
OPERATORS = set(
    "__add__ __radd__ __sub__ __rsub__ __mul__ __rmul__ __truediv__ __pow__ __rpow__ __mod__ "
    "__rmod__ __floordiv__ __rfloordiv__ __iadd__ __isub__ __imul__ __itruediv__ __neg__ __abs__ "
    "__and__ __or__ __xor__ __invert__ __eq__ __lt__".split()
)
#: where this library refuses (or reads otherwise) a form torch accepts that is no dtype question: a
#: 0-d tensor or a bool given where torch takes a number, a size, a count or a dim
ARGUMENT_FORMS = set(
    "adjoint arange bartlett_window blackman_window hamming_window hann_window kaiser_window eye "
    "ones zeros rand randn randperm repeat_interleave celu celu_ chunk unsafe_chunk diag diag_embed "
    "diagflat diff full_like hardshrink kthvalue topk logit logit_ mvlgamma mvlgamma_ nan_to_num "
    "nan_to_num_ norm polygamma polygamma_ range roll split unsafe_split tensor_split hsplit new "
    "new_ones new_zeros repeat tile expand broadcast_to to histogram unique_consecutive".split()
)
#: losses torch computes outside their domain (targets that are no probabilities or labels), refused
#: here, and of integer inputs (torch's hinge_embedding_loss of int64 is int64)
DOMAIN_CHECKED = {"binary_cross_entropy_with_logits", "hinge_embedding_loss", "kl_div"}
#: dtype differences still open: a bool tensor to the power of a Python bool (torch: bool) and integer
#: powers with negative exponents (torch computes them, numpy refuses)
OPEN = set("pow pow_ __pow__".split())
#: ops that are no elementwise table entry whose refusals are checked too (torch's errors for bools,
#: floats and integer division by 0; the float-only reductions)
REFUSALS = set(
    "gcd lcm bitwise_left_shift bitwise_right_shift __lshift__ __rshift__ mean nanmean var std "
    "var_mean std_mean positive div divide".split()
)
#: elementwise names (every spelling in the table) and the operators: torch's refusals are checked too
ELEMENTWISE = {n for entry in TABLE.values() for n in getattr(entry, "names", ())} | OPERATORS


def _names() -> list[tuple[str, str]]:
    out = []
    for n in sorted(dir(torch)):
        f, tf = getattr(ag, n, None), getattr(torch, n)
        if n.startswith("_") or n in SKIP or isinstance(f, type) or isinstance(tf, type):
            continue
        if callable(f) and callable(tf):
            out.append(("fn", n))
    for n in sorted(dir(torch.Tensor)):
        if (n.startswith("_") and n not in OPERATORS) or n in SKIP or n.rstrip("_") in SKIP:
            continue
        if callable(getattr(ag.Tensor, n, None)):
            out.append(("method", n))
    return out


def _leaf(lib: Any, dtype: str, ndim: int, k: int) -> Any:
    """A tensor of ``lib`` (torch or autograd); the second operand has no zero (integer division by 0
    raises in torch, numpy gives 0)."""
    v = 1 + k
    values = {
        "bool": [True, k != 0, True],
        "int64": [v, 1 + k, 3],
        "float32": [v + 0.5, -0.5 * k, 3.0],  # (-0.0 first: the sign of zero through the casts)
        "float64": [v + 0.25, 0.0, 3.0],
    }[dtype]
    return lib.tensor(values if ndim else values[0]).to(getattr(lib, dtype))


def _operand(lib: Any, spec: tuple[str, Any], k: int) -> Any:
    return spec[1] if spec[0] == "py" else _leaf(lib, spec[0], spec[1], k)


TENSORS = [(dt, nd) for dt in DTYPES for nd in (1, 0)]
SCALARS = [("py", True), ("py", 2), ("py", 2.5)]
#: every pair for the elementwise ops; for the others, pairs of 1-d tensors, of equal-dtype 0-d ones,
#: and each tensor dtype with each Python number
FULL_PAIRS = [(a, b) for a in TENSORS for b in TENSORS] + [(a, s) for a in TENSORS for s in SCALARS]
SOME_PAIRS = (
    [((a, 1), (b, 1)) for a in DTYPES for b in DTYPES]
    + [((a, 0), (a, 0)) for a in DTYPES]
    + [((a, 1), s) for a in DTYPES for s in SCALARS]
)


def _result(r: Any) -> Any:
    """A result as (dtype name, ndarray), a list of those for a tuple of tensors, or None."""
    if isinstance(r, (torch.Tensor, ag.Tensor)):
        data = r.detach().numpy() if isinstance(r, torch.Tensor) else np.asarray(r.data)
        return str(r.dtype).replace("torch.", ""), data
    if isinstance(r, (tuple, list)) and r and all(isinstance(x, (torch.Tensor, ag.Tensor)) for x in r):
        return [_result(x) for x in r]
    return None


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(got, list) and len(got) == len(expected) and all(map(_same, expected, got))
    if not isinstance(got, tuple) or got[0] != expected[0] or got[1].shape != expected[1].shape:
        return False
    a, b = expected[1], got[1]
    if a.dtype.kind in "biu":
        return np.array_equal(a, b)
    tol = 1e-5 if a.dtype == np.float32 else 1e-12
    return np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True)


def _call(fn: Any, args: list[Any]) -> tuple[Any, str | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _result(fn(*args)), None
    except Exception as e:  # noqa: BLE001 (any error: compared below)
        return None, f"{type(e).__name__}: {e}"


def _function(lib: Any, kind: str, name: str) -> Any:
    if kind == "fn":
        return getattr(lib, name)
    return lambda self, *args: getattr(self, name)(*args)


@contextlib.contextmanager
def _default(dtype: str) -> Iterator[None]:
    before, tbefore = ag.get_default_dtype(), torch.get_default_dtype()
    ag.set_default_dtype(getattr(ag, dtype))
    torch.set_default_dtype(getattr(torch, dtype))
    try:
        yield
    finally:
        ag.set_default_dtype(before)
        torch.set_default_dtype(tbefore)


def sweep(names: list[tuple[str, str]], arity: int, floats: bool = True) -> list[tuple[Any, ...]]:
    """The differences from torch: (name, operands, torch's result or error, this library's);
    ``floats=False``: only the operand sets without float tensors."""
    found = []
    for kind, name in names:
        tf, f = _function(torch, kind, name), _function(ag, kind, name)
        if arity == 1:
            specs: list[tuple[Any, ...]] = [(t,) for t in TENSORS]
        else:
            specs = FULL_PAIRS if name in ELEMENTWISE else SOME_PAIRS
        for spec in specs:
            if not floats and any(s[0] in FLOATS for s in spec):
                continue
            expected, terror = _call(tf, [_operand(torch, s, k) for k, s in enumerate(spec)])
            if expected is None and terror is None:  # (no tensor result: not compared)
                continue
            got, error = _call(f, [_operand(ag, s, k) for k, s in enumerate(spec)])
            if expected is None:
                if name in ELEMENTWISE | REFUSALS and name not in OPEN and error is None \
                        and "TypeError" not in terror:  # fmt: skip
                    found.append((name, spec, terror, _brief(got)))  # torch refuses the dtypes; here computed
                continue
            if name in DOMAIN_CHECKED or (got is None and name in ARGUMENT_FORMS | OPEN):
                continue
            if arity == 2 and name in ARGUMENT_FORMS:  # (its second argument is no operand)
                continue
            if not _same(expected, got):
                found.append((name, spec, _brief(expected), error or _brief(got)))
    return found


def _brief(r: Any) -> Any:
    if isinstance(r, list):
        return [_brief(x) for x in r]
    return r if r is None else (r[0], r[1].tolist())


NAMES = _names()


def test_the_sweep_covers_the_library() -> None:
    names = {n for _, n in NAMES}
    assert len(NAMES) > 800 and {"add", "sin", "where", "__add__", "add_", "median", "cat"} <= names


@pytest.mark.parametrize("default", ["float64", "float32"])
@pytest.mark.parametrize("arity", [1, 2])
def test_result_dtypes_and_values_are_torchs(default: str, arity: int) -> None:
    """Under a float32 default, only the operands without float tensors (where the default dtype
    shows; the others are the float64 run's)."""
    with _default(default):
        found = sweep(NAMES, arity, floats=default == "float64")
    assert not found, f"{len(found)} differences from torch, e.g.:\n" + "\n".join(map(str, found[:20]))


def test_the_issues_probes() -> None:
    """The cases the sweep was written for, spelled out."""
    i, f32 = ag.tensor([1, 2]), ag.tensor([0.5, 0.25], dtype=ag.float32)
    f64_0d, b = ag.tensor(2.0), ag.tensor([True, False])
    assert (i + f32).dtype == (f32 * f64_0d).dtype == (f64_0d * f32).dtype == ag.float32
    assert ag.where(b, i, f32).dtype == ag.float32 and ag.atan2(i, f32).dtype == ag.float32
    assert ag.cat([i, f32]).dtype == ag.float32 and ag.cat([i, f32]).tolist() == [1.0, 2.0, 0.5, 0.25]
    assert ag.stack([b, i]).dtype == ag.int64  # (torch.cat and torch.stack promote as the ops do)
    assert b.sin().dtype == b.sqrt().dtype == ag.atan2(b, b).dtype == ag.float64  # (numpy: float16)
    assert i.sigmoid().dtype == i.angle().dtype == b.logit().dtype == ag.float64
    assert i.relu().dtype == i.median().dtype == ag.nansum(i).dtype == ag.nansum(b).dtype == ag.int64
    assert b.sign().tolist() == [True, False] and b.sign().dtype == ag.bool
    assert ag.diff(ag.tensor([True, True, False])).tolist() == [False, True]
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with two bool tensors"):
        b - b
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        i - b
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        f32 - True
    for op in (ag.floor_divide, ag.remainder, ag.pow, ag.fmod):
        with pytest.raises(NotImplementedError, match="not implemented for .Bool."):
            op(b, b)


def test_gradients_come_back_in_each_inputs_dtype() -> None:
    """As torch's: a float32 tensor times a float64 0-d one is float32, computed in float32; the 0-d
    one's gradient is float64. Second order through the cast too."""
    x = ag.tensor([1.5, 2.25], dtype=ag.float32, requires_grad=True)
    y = ag.tensor(3.0, requires_grad=True)
    tx = torch.tensor([1.5, 2.25], dtype=torch.float32, requires_grad=True)
    ty = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    z, tz = (x * y * x).sum(), (tx * ty * tx).sum()
    assert z.dtype == ag.float32 and tz.dtype == torch.float32
    gx, gy = ag.autograd.grad(z, (x, y), create_graph=True)
    tgx, tgy = torch.autograd.grad(tz, (tx, ty), create_graph=True)
    assert (gx.dtype, gy.dtype) == (ag.float32, ag.float64)
    assert gx.tolist() == tgx.tolist() and gy.item() == tgy.item()
    (hy,) = ag.autograd.grad(gx.sum(), (y,))
    (thy,) = torch.autograd.grad(tgx.sum(), (ty,))
    assert np.asarray(hy).dtype == np.float64 and float(np.asarray(hy)) == thy.item() == 7.5
    w, tw = ag.tensor([0.5, 0.25], requires_grad=True), torch.tensor([0.5, 0.25], requires_grad=True)
    (ag.tensor([1, 2]) * w).sum().backward()
    (torch.tensor([1, 2]) * tw).sum().backward()
    assert w.grad.dtype == ag.float64 and w.grad.tolist() == tw.grad.tolist() == [1.0, 2.0]


def test_equal_float_dtypes_take_the_fast_path() -> None:
    """Equal float dtypes: the op's node reads its inputs directly; mixed ones through a cast node."""
    a, b = ag.tensor([1.0, 2.0], requires_grad=True), ag.tensor([3.0, 4.0], requires_grad=True)
    assert (a + b)._prev == (a, b) and (a * 2)._prev[0] is a and a.sin()._prev == (a,)
    c = ag.tensor(2.0, dtype=ag.float32, requires_grad=True)
    mixed = a.to(ag.float32) * ag.tensor(2.0, requires_grad=True)
    assert mixed.dtype == ag.float32 and mixed._prev[1].op == "astype"
    assert (c + a).dtype == ag.float64 and (c + a)._prev[0].op == "astype"


def test_in_place_writes_check_the_result_dtype() -> None:
    """torch's: the result must be castable to the written tensor's dtype; computed in torch's dtype."""
    i, b = ag.tensor([1, 2]), ag.tensor([True, False])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i.add_(ag.tensor([0.5, 0.5], dtype=ag.float32))
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i += 0.5
    with pytest.raises(RuntimeError, match="result type Long can't be cast to the desired output type Bool"):
        b.add_(i)
    with pytest.raises(RuntimeError, match="Subtraction, the `-` operator, with a bool tensor"):
        ag.tensor([1.0]).sub_(ag.tensor([True]))
    with pytest.raises(RuntimeError, match="result type Float can't be cast"):
        ag.tensor([1, 5]).clamp_(2.5)
    x = ag.tensor([1.0, 2.0], dtype=ag.float32)
    x += ag.tensor(0.1)  # float32 + (float64 0-d): computed in float32, as torch
    tx = torch.tensor([1.0, 2.0])
    tx += torch.tensor(0.1, dtype=torch.float64)
    assert x.dtype == ag.float32 and x.tolist() == tx.tolist()
    i += True
    assert i.tolist() == [2, 3] and i.dtype == ag.int64


def test_a_compiled_step_gives_eagers_dtypes() -> None:
    """A compiled step replays the promotion's cast nodes: the same dtypes and numbers as eager."""

    def step(w: ag.Tensor, k: ag.Tensor, n: ag.Tensor) -> ag.Tensor:
        return (w * k + n).sin().sum() + (n / n).sum()

    w = ag.tensor([0.5, 1.5], dtype=ag.float32, requires_grad=True)
    k, n = ag.tensor(2.0), ag.tensor([1, 2])
    eager = step(w, k, n)
    eager.backward()
    g = w.grad.data.copy()
    w.grad = None
    compiled = ag.compile(step, check=True)  # (check: the eager step beside it, any difference raises)
    for _ in range(2):
        out = compiled(w, k, n)  # (forward and backward: fills w.grad)
        assert out.dtype == eager.dtype == ag.float64  # (float32 sum + float64 sum of n / n)
        assert out.item() == eager.item() and w.grad.dtype == ag.float32
        assert np.array_equal(w.grad.data, g)
        w.grad = None
