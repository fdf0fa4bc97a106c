"""The harness of the HIPS port: a case as data, its check against torch, and the to-do list.

A :class:`Case` is one gradient check of HIPS autograd's test suite (one ``check_grads`` call,
or one ``grad(...) ==`` assertion): a function written once against a NumPy namespace ``xp``,
its inputs, which of them are differentiated, and the vocabulary it needs (``ops``).

:func:`check` runs the function the NumPy way on the engine (``xp = numpy`` on Tensors, or on
Values for scalar code) and on torch float64 (``xp`` = :data:`hips_torch.TORCH_NUMPY`), and
compares, as HIPS's ``check_grads(modes=['rev'])`` does, level by level:

- level 0: the forward values;
- level 1: the VJP ``(x, u) ↦ uᵀ ∂f/∂x`` for a random cotangent ``u``;
- level k + 1: the VJP of level k's function with respect to all of its inputs (``x`` and the
  cotangents), up to the case's ``order`` (HIPS's default 2; 3 where HIPS asks for it).

Every level is computed with ``create_graph=True`` on both sides (``autograd.grad`` and
``torch.autograd.grad``) with the same random cotangents. Where torch has no counterpart of the
op (the case's ``reference="fd"``), each level is checked against central differences of the
level below (a directional check, as HIPS's).

:data:`UNSUPPORTED` is the one list of operations the engine lacks: a case needing one is
``xfail(strict=True, raises=...)``, so the case turns red the moment the op arrives and must be
unmarked by removing the op here. :data:`OUT_OF_SCOPE` names what the engine does not aim at.

Status (``PYTHONPATH=$PWD python tests/hips/summary.py`` prints the current one)::

    file                 passed  missing op  out of scope  failed  total
    test_scalar_ops.py       48           0             0       0     48
    test_numpy.py           178           0             4       0    182
    test_systematic.py      972           0           204       0   1176
    test_linalg.py           65           0            24       0     89
    all                    1263           0           232       0   1495

All 1,263 cases in scope pass: every elementwise op (on Tensors and on Values), the complex-number
API on real inputs (real, imag, conj, conjugate, angle, real_if_close), the reductions, scans,
products and linear algebra, the shape and selection functions, sort and partition. One,
``pinv_low_rank[2x5x5]``, is compared at rtol 1e-6: its XᵀX has condition number 3,000, and one
rounding of X moves torch's own second level by 1e-7.

Building arrays from Tensors with ``np.array``, ``np.r_`` and ``np.c_`` (9 cases) cannot give a
Tensor (NumPy offers no protocol for them); the engine refuses them with a TypeError naming
``autograd.stack``/``concatenate``, and those cases check the refusal and then that spelling
(``Case.refused``, ``Case.instead``).

Out of scope (232): complex inputs 228; HIPS's own ``make_diagonal`` and ``__version__`` 3; and
one deliberate difference, ``Value.dtype`` (object, where the case asks for float64: NumPy's
mean, var, std and average cast a result whose dtype is float64 with ``np.float64(v)``, a plain
float, which would drop the graph). Where torch's own second derivative is nan although the
function is smooth there (``0.0 ** y``, and ``std`` over one element, whose first derivative torch
gives as 0), and where torch has no counterpart (``partition``), the engine is checked against
differences instead, and agrees with them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
import torch
from hips_torch import TORCH_NUMPY

import autograd
from autograd import Tensor, Value, ValueArray


class GraphDropped(Exception):
    """A function given nodes returned plain numbers: the gradient would silently be 0."""


#: The operations the engine does not have yet, each with the exception a case needing it
#: raises today. A case needing any of them is a strict xfail (see the module docstring).
UNSUPPORTED: dict[str, type[BaseException]] = {
    "linalg.eig": TypeError,
}

#: Why a case is out of scope for this engine (skipped with the reason).
COMPLEX = "complex numbers: the engine is real-valued"
HIPS_ONLY = "HIPS-specific API"
VALUE_DTYPE = (
    "Value.dtype is object (the case asks for float64): np.mean, np.var, np.std and np.average cast "
    "a result whose dtype is float64 with np.float64(v), a plain float, which would drop the graph"
)
OUT_OF_SCOPE = (COMPLEX, HIPS_ONLY, VALUE_DTYPE)


@dataclass
class Case:
    """One gradient check of the HIPS suite, as data.

    ``fn(xp, *args, **kwargs)`` is the user's code, run with ``xp = numpy`` on the engine and
    ``xp = TORCH_NUMPY`` on torch (or ``torch_fn`` there, where torch tensors need other code).
    ``argnums`` are the differentiated arguments: an array or float is one input, a tuple or list
    of arrays one input per element. ``kind`` says how differentiated numbers enter the engine:
    ``"tensor"`` (float64 Tensors, 0-d for a float) or ``"value"`` (a float becomes a ``Value``,
    as ``autograd.grad(f)(3.0)`` does). ``constant_ok``: the result may be plain numbers (a
    function with derivative 0, or no dependence on the input), otherwise that is a dropped graph.
    ``refused``: the engine refuses ``fn`` on nodes with a ``TypeError`` matching this pattern (a
    NumPy spelling that no NumPy protocol lets it record, such as ``np.array`` or ``np.r_`` of
    Tensors); ``instead``, the spelling that error names, is then checked in ``fn``'s place.
    ``rtol``: the comparison's tolerance (default 1e-9; 1e-5 for float32) where the case's own
    conditioning leaves float64 fewer digits (say by how much it was measured). ``step``: the
    difference step of a ``reference="fd"`` case (default 1e-3); a piecewise function needs one
    that stays within a piece (say how far its nearest kink is).
    """

    name: str
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    argnums: tuple[int, ...] = (0,)
    kwargs: dict[str, Any] = field(default_factory=dict)
    ops: tuple[str, ...] = ()
    kind: str = "tensor"
    order: int = 2
    constant_ok: bool = False
    reference: str = "torch"
    torch_fn: Callable[..., Any] | None = None
    skip: str | None = None
    extra: Callable[[list[Any]], None] | None = None
    refused: str | None = None
    instead: Callable[..., Any] | None = None
    rtol: float | None = None
    step: float = 1e-3

    def __post_init__(self) -> None:
        if self.skip is None and _has_complex(self.args):
            self.skip = COMPLEX


def _has_complex(x: Any) -> bool:
    if isinstance(x, (list, tuple)):
        return any(_has_complex(e) for e in x)
    return isinstance(x, complex) or (isinstance(x, np.ndarray) and x.dtype.kind == "c")


def call(name: str) -> Callable[..., Any]:
    """The case function calling NumPy's ``name`` (``"linalg.inv"`` for ``xp.linalg.inv``)."""

    def fn(xp: Any, *args: Any, **kwargs: Any) -> Any:
        target = xp
        for part in name.split("."):
            target = getattr(target, part)
        return target(*args, **kwargs)

    fn.__name__ = name
    return fn


def describe(x: Any) -> str:
    """A short readable id for an argument or keyword value."""
    if isinstance(x, np.ndarray):
        return "x".join(map(str, x.shape)) if x.ndim else "0d"
    if isinstance(x, (bool, int, str)) or x is None:
        return str(x)
    if isinstance(x, (float, complex)):
        return f"{x:.3g}"
    if isinstance(x, (list, tuple)):
        return "(" + ",".join(describe(e) for e in x) + ")"
    return type(x).__name__


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)
    return type(a) is type(b) and a == b


def unique(cases: Sequence[Case]) -> list[Case]:
    """The cases without exact repeats (HIPS checks some combinations twice within one test);
    different cases that share a name get a suffix."""
    kept: dict[str, list[Case]] = {}
    out = []
    for case in cases:
        earlier = kept.setdefault(case.name, [])
        if any(
            _same(case.args, e.args) and case.kwargs == e.kwargs and case.argnums == e.argnums
            for e in earlier
        ):
            continue
        earlier.append(case)
        if len(earlier) > 1:
            case.name = f"{case.name}#{len(earlier)}"
        out.append(case)
    return out


def params(cases: Sequence[Case]) -> list[Any]:
    """The cases as pytest parameters: out of scope skipped, those needing an unsupported op
    a strict xfail raising that op's exception."""
    out = []
    for case in unique(cases):
        marks: list[Any] = []
        missing = [op for op in case.ops if op in UNSUPPORTED]
        if case.skip:
            marks.append(pytest.mark.skip(reason=case.skip))
        elif missing:
            raises = tuple(dict.fromkeys(UNSUPPORTED[op] for op in missing))
            reason = f"{', '.join(missing)} not supported yet"
            marks.append(pytest.mark.xfail(strict=True, raises=raises, reason=reason))
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


# ----------------------------------------------------------------------------- the two sides
class _Engine:
    """This engine, used the NumPy way."""

    xp = np

    @staticmethod
    def leaf(number: Any, kind: str) -> Any:
        if kind == "value":
            return Value(float(number))
        if kind == "values":
            return ValueArray(np.asarray(number, dtype=np.float64))
        return Tensor(np.asarray(number), requires_grad=True)

    @staticmethod
    def constant(x: Any) -> Any:
        return x

    @staticmethod
    def flat(result: Any) -> list[Any]:
        if isinstance(result, (list, tuple)):
            return [x for r in result for x in _Engine.flat(r)]
        if isinstance(result, np.ndarray) and result.dtype == object:
            return [ValueArray(result)]  # NumPy code on Values gives object arrays of them
        return [result]

    @staticmethod
    def live(x: Any) -> bool:
        return isinstance(x, (Value, ValueArray)) or (isinstance(x, Tensor) and x.requires_grad)

    @staticmethod
    def is_node(x: Any) -> bool:
        return isinstance(x, (Value, ValueArray, Tensor))

    @staticmethod
    def kind_of(x: Any, kind: str) -> str:
        if kind == "tensor":
            return "tensor"
        return "value" if isinstance(x, Value) or np.ndim(_Engine.numbers(x)) == 0 else "values"

    @staticmethod
    def numbers(x: Any) -> np.ndarray:
        if isinstance(x, (Tensor, ValueArray)):
            return np.array(x.data)
        if isinstance(x, Value):
            return np.array(x.data, dtype=np.float64)
        return np.array(x, dtype=np.float64)

    @staticmethod
    def grad(outs: list[Any], xs: Sequence[Any], us: list[Any]) -> list[Any]:
        return list(
            autograd.grad(outs, list(xs), us, create_graph=True, allow_unused=True, materialize_grads=True)
        )


class _Torch:
    """torch float64, running :data:`hips_torch.TORCH_NUMPY`."""

    xp = TORCH_NUMPY

    @staticmethod
    def leaf(number: Any, kind: str) -> Any:
        return torch.tensor(np.asarray(number, dtype=np.float64), requires_grad=True)

    @staticmethod
    def constant(x: Any) -> Any:
        if isinstance(x, np.ndarray):
            return torch.as_tensor(x if x.dtype.kind in "bi" else x.astype(np.float64))
        if isinstance(x, (list, tuple)) and any(isinstance(e, np.ndarray) for e in x):
            return type(x)(_Torch.constant(e) for e in x)
        return x

    @staticmethod
    def flat(result: Any) -> list[Any]:
        if isinstance(result, (list, tuple)):
            return [x for r in result for x in _Torch.flat(r)]
        return [result]

    @staticmethod
    def live(x: Any) -> bool:
        return isinstance(x, torch.Tensor) and x.requires_grad

    @staticmethod
    def numbers(x: Any) -> np.ndarray:
        if isinstance(x, torch.Tensor):
            if x._is_zerotensor():
                return np.zeros(tuple(x.shape))
            return x.detach().numpy().astype(np.float64)
        return np.array(x, dtype=np.float64)

    @staticmethod
    def grad(outs: list[Any], xs: Sequence[Any], us: list[Any]) -> list[Any]:
        return list(
            torch.autograd.grad(
                outs, list(xs), us, create_graph=True, allow_unused=True, materialize_grads=True
            )
        )


# ----------------------------------------------------------------------------- levels
def _inputs(case: Case) -> tuple[list[Any], Callable[[Any, Sequence[Any]], tuple[Any, ...]]]:
    """The differentiated numbers, flat, and how to put leaves back into the argument list."""
    numbers: list[Any] = []
    slots: list[tuple[int, int | None]] = []  # (argument, element of a sequence argument or None)
    for p in case.argnums:
        arg = case.args[p]
        if isinstance(arg, (list, tuple)):
            for k, e in enumerate(arg):
                numbers.append(e)
                slots.append((p, k))
        else:
            numbers.append(arg)
            slots.append((p, None))

    def rebuild(side: Any, leaves: Sequence[Any]) -> tuple[Any, ...]:
        args = [a if p in case.argnums else side.constant(a) for p, a in enumerate(case.args)]
        seqs = {p: list(case.args[p]) for p in case.argnums if isinstance(case.args[p], (list, tuple))}
        for (p, k), leaf in zip(slots, leaves):
            if k is None:
                args[p] = leaf
            else:
                seqs[p][k] = leaf
        for p, seq in seqs.items():
            args[p] = type(case.args[p])(seq)
        return tuple(args)

    return numbers, rebuild


def _first_level(case: Case, side: Any, rebuild: Any) -> Callable[..., list[Any]]:
    fn = case.torch_fn if side is _Torch and case.torch_fn is not None else case.fn
    if side is _Engine and case.instead is not None:
        fn = case.instead

    def level0(*leaves: Any) -> list[Any]:
        outs = side.flat(fn(side.xp, *rebuild(side, leaves), **case.kwargs))
        if side is _Engine and not case.constant_ok and not any(map(side.is_node, outs)):
            raise GraphDropped(
                f"{case.name}: given {type(leaves[0]).__name__}s, the function returned plain "
                f"{', '.join(sorted({type(o).__name__ for o in outs}))}: the graph was dropped"
            )
        return outs

    return level0


def _vjp_level(side: Any, inner: Callable[..., list[Any]], n: int) -> Callable[..., list[Any]]:
    """``(x, u) ↦ Σ uᵢᵀ ∂innerᵢ/∂x``, as nodes (so it can be differentiated again)."""

    def level(*leaves: Any) -> list[Any]:
        xs, us = leaves[:n], leaves[n:]
        pairs = [(o, u) for o, u in zip(inner(*xs), us) if side.live(o)]
        if not pairs:
            return [np.zeros(np.shape(side.numbers(x))) for x in xs]
        return side.grad([o for o, _ in pairs], xs, [u for _, u in pairs])

    return level


def _run(side: Any, fn: Callable[..., list[Any]], numbers: Sequence[Any], kinds: Sequence[str]) -> list[Any]:
    return fn(*(side.leaf(x, k) for x, k in zip(numbers, kinds)))


def _plain(numbers: Sequence[Any]) -> list[Any]:
    """The inputs as NumPy has them (a float as a 0-d float64, with ``shape`` and ``dtype``)."""
    return [np.float64(x) if isinstance(x, float) else x for x in numbers]


def _close(actual: list[np.ndarray], expected: list[np.ndarray], rtol: float, what: str) -> None:
    assert len(actual) == len(expected), f"{what}: {len(actual)} results, expected {len(expected)}"
    for i, (a, e) in enumerate(zip(actual, expected)):
        assert a.shape == e.shape, f"{what}[{i}]: shape {a.shape}, expected {e.shape}"
        scale = max(1.0, float(np.max(np.abs(e[np.isfinite(e)]), initial=0.0)))
        np.testing.assert_allclose(a, e, rtol=rtol, atol=rtol * scale, equal_nan=True, err_msg=f"{what}[{i}]")


def _directional(
    fn: Callable[[list[Any]], list[np.ndarray]], x: list[Any], v: list[np.ndarray], h: float
) -> list[Any]:
    """∂fn(x)[v] by the five-point central difference of step ``h`` (error O(h⁴))."""

    def at(t: float) -> list[np.ndarray]:
        return fn([np.asarray(xi, dtype=np.float64) + t * vi for xi, vi in zip(x, v)])

    plus2, plus1, minus1, minus2 = at(2 * h), at(h), at(-h), at(-2 * h)
    return [(-a + 8 * b - 8 * c + d) / (12 * h) for a, b, c, d in zip(plus2, plus1, minus1, minus2)]


def check(case: Case) -> None:
    """Compare the engine with torch (or finite differences) on ``case``, levels 0 to ``order``.

    A case that stops on an op of :data:`UNSUPPORTED` with that op's exception gets it re-raised
    from here, without the engine's and NumPy's frames and marked ``missing_op`` (see
    :func:`stopped_on_missing_op`): pytest formats the whole traceback of every xfail, 0.1 s
    each for hundreds of cases. Any other failure keeps its traceback.
    """
    expected = tuple(UNSUPPORTED[op] for op in case.ops if op in UNSUPPORTED)
    try:
        _check(case)
    except expected as e:
        __tracebackhide__ = True
        e.missing_op = True  # type: ignore[attr-defined]
        raise e.with_traceback(None) from None


def stopped_on_missing_op(excinfo: Any) -> bool:
    """For a test function's ``__tracebackhide__``: hide its frame when its case stopped on the
    missing op it is marked with (then pytest has no source to format)."""
    return getattr(excinfo.value, "missing_op", False)


def _check(case: Case) -> None:
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))
    numbers, rebuild = _inputs(case)
    rtol = case.rtol or (1e-5 if any(np.asarray(x).dtype == np.float32 for x in numbers) else 1e-9)
    engine, reference = _first_level(case, _Engine, rebuild), _first_level(case, _Torch, rebuild)
    kinds = ["value" if case.kind == "value" else "tensor" for _ in numbers]
    if case.refused is not None:
        leaves = [_Engine.leaf(x, k) for x, k in zip(numbers, kinds)]
        with pytest.raises(TypeError, match=case.refused):
            case.fn(np, *rebuild(_Engine, leaves), **case.kwargs)
    plain = [
        _Engine.numbers(o)
        for o in _Engine.flat(case.fn(np, *rebuild(_Engine, _plain(numbers)), **case.kwargs))
    ]
    if case.reference == "torch":  # the judge first: torch computes what NumPy computes
        expected = [_Torch.numbers(o) for o in _run(_Torch, reference, numbers, kinds)]
        _close(expected, plain, rtol, f"{case.name}: the reference (torch) against NumPy on arrays")
    for level in range(case.order + 1):
        outs = _run(_Engine, engine, numbers, kinds)
        got = [_Engine.numbers(o) for o in outs]
        if case.reference == "torch":
            expected = [_Torch.numbers(o) for o in _run(_Torch, reference, numbers, kinds)]
            _close(got, expected, rtol, f"{case.name}: level {level} (engine vs torch)")
        elif level == 0:
            _close(got, plain, rtol, f"{case.name}: values (engine vs NumPy on arrays)")
        if case.extra is not None and level == 1:
            case.extra(got)
        if level == case.order:
            return
        n, us = len(numbers), [rng.standard_normal(g.shape) for g in got]
        next_kinds = kinds + [_Engine.kind_of(o, case.kind) for o in outs]
        next_engine = _vjp_level(_Engine, engine, n)
        if case.reference == "fd":
            vjp = [_Engine.numbers(g) for g in _run(_Engine, next_engine, list(numbers) + us, next_kinds)]
            what = f"{case.name}: level {level + 1} (differences)"
            _check_fd(engine, numbers, kinds, us, vjp, rng, case.step, what)
        kinds, numbers = next_kinds, list(numbers) + us
        engine, reference = next_engine, _vjp_level(_Torch, reference, n)


def _check_fd(
    fn: Callable[..., list[Any]],
    numbers: list[Any],
    kinds: list[str],
    us: list[np.ndarray],
    vjp: list[np.ndarray],
    rng: np.random.Generator,
    step: float,
    what: str,
) -> None:
    """⟨vjp, v⟩ against ⟨u, ∂fn[v]⟩ by differences of the engine's ``fn``, for a random direction v
    (``vjp`` is the engine's ``uᵀ ∂fn``)."""
    v = [rng.standard_normal(np.shape(x)) for x in numbers]
    values = lambda x: [_Engine.numbers(o) for o in _run(_Engine, fn, x, kinds)]  # noqa: E731
    change = _directional(values, numbers, v, step)
    exact = sum(float(np.sum(g * vi)) for g, vi in zip(vjp, v))
    approx = sum(float(np.sum(u * c)) for u, c in zip(us, change))
    assert abs(exact - approx) <= 1e-6 * max(1.0, abs(approx)), f"{what}: {exact} vs {approx}"
