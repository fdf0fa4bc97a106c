"""Check a hand-derived derivative formula against the engine, and name the usual slips.

``check_derivative(f, formula, *inputs, wrt=-1)`` differentiates the scalar ``f(*inputs)``
with ``backward`` and compares ``∂f/∂inputs[wrt]`` element by element with
``formula(*arrays)``, the same inputs as float arrays; with ``order=2``, the Hessian
``∂²f/∂inputs[wrt]²`` (or a mixed ``∂²f/∂x∂y`` with ``wrt=(i, j)``) against a hand-derived one.
When they disagree it looks for the mistakes people make when deriving by hand: a flipped sign,
a missing ``1/n`` of a mean (or an extra one), a factor of 2, the two arguments swapped, the
derivative taken with respect to the other argument, a transposed second derivative, or a sign
flipped on some elements only.
"""

from __future__ import annotations

import inspect
import itertools
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .tensor import Tensor
from .value import Value
from .value_array import ValueArray, holds_values, numbers

MAX_ROWS = 12


def _fresh_values(x: Any) -> Any:
    """A copy of ``x``'s structure (Value, ValueArray, nested lists) with new leaf Values."""
    if isinstance(x, Value):
        return Value(x.data, label=x.label)
    if isinstance(x, ValueArray):
        return ValueArray(x.data)
    if isinstance(x, (list, tuple)):
        return type(x)(_fresh_values(v) for v in x)
    if np.ndim(x):
        return ValueArray(np.asarray(x, dtype=np.float64))
    return Value(float(x))


def _leaf_grads(x: Any) -> np.ndarray:
    if isinstance(x, Value):
        return np.array(x.grad)
    if isinstance(x, ValueArray):
        return x.grad
    return np.array([_leaf_grads(v) for v in x], dtype=np.float64)


def _backward(out: Any) -> None:
    _backward_check(out)
    out.backward()


def _backward_check(out: Any) -> None:
    if not (isinstance(out, Value) or (isinstance(out, (Tensor, ValueArray)) and out.size == 1)):
        shape = getattr(out, "shape", ())
        raise ValueError(
            f"check_derivative: f must return a scalar (Value, or a one-element Tensor/ValueArray); "
            f"got {type(out).__name__} of shape {shape}"
        )


@contextmanager
def _argument_order_quiet() -> Iterator[None]:
    """Silence the losses' ArgumentOrderWarning: a derivative with respect to y_true alone is
    what is asked for here, not a swapped call."""
    from losses import ArgumentOrderWarning  # here: losses import autograd

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ArgumentOrderWarning)
        yield


def engine_gradient(f: Callable[..., Any], inputs: Sequence[Any], wrt: int) -> np.ndarray:
    """``∂f(*inputs)/∂inputs[wrt]`` from ``backward``, on fresh copies of the inputs.

    Inputs holding Values are differentiated as Values (same structure); otherwise
    ``inputs[wrt]`` becomes a float64 Tensor with ``requires_grad``. Other inputs are passed
    on unchanged (Tensors as constant copies).
    """
    use_values = any(holds_values(x) for x in inputs)
    leaves = list(inputs)
    for i, x in enumerate(inputs):
        if use_values and (i == wrt or holds_values(x)):
            leaves[i] = _fresh_values(x)
        elif i == wrt:
            leaves[i] = Tensor(numbers(x), requires_grad=True)
        elif isinstance(x, Tensor):
            leaves[i] = Tensor(x.data)
    with _argument_order_quiet():
        _backward(f(*leaves))
    if use_values:
        return _leaf_grads(leaves[wrt])
    grad = leaves[wrt].grad
    return np.zeros(leaves[wrt].shape) if grad is None else grad.astype(np.float64)


def engine_hessian(
    f: Callable[..., Any], inputs: Sequence[Any], wrt: int, wrt2: int | None = None
) -> np.ndarray:
    """``∂²f(*inputs)/∂inputs[wrt]∂inputs[wrt2]`` (shape ``x.shape + y.shape``; ``wrt2`` defaults to
    ``wrt``: the Hessian) from :func:`autograd.jacobian` of :func:`autograd.grad`, on fresh copies of
    the inputs (Values stay Values, as in :func:`engine_gradient`)."""
    from .functional import grad, jacobian

    wrt2 = wrt if wrt2 is None else wrt2
    use_values = any(holds_values(x) for x in inputs)
    others = list(inputs)
    for i, x in enumerate(inputs):
        if i not in (wrt, wrt2) and use_values and holds_values(x):
            others[i] = _fresh_values(x)
        elif i not in (wrt, wrt2) and isinstance(x, Tensor):
            others[i] = Tensor(x.data)

    def at(x: Any, y: Any) -> Any:
        args = list(others)
        args[wrt2] = y
        args[wrt] = x  # (the same input when wrt == wrt2: x then)
        out = f(*args)
        _backward_check(out)
        return out

    def start(k: int) -> Any:
        x0 = numbers(inputs[k])
        return (ValueArray(x0) if x0.ndim else Value(float(x0))) if use_values else x0

    with _argument_order_quiet():
        if wrt == wrt2:
            H = jacobian(grad(lambda x: at(x, x)))(start(wrt))
        else:
            H = jacobian(grad(at, argnum=0), argnum=1)(start(wrt), start(wrt2))
    return np.asarray(H.data if isinstance(H, (ValueArray, Value)) else H, dtype=np.float64)


@dataclass(frozen=True)
class DerivativeReport:
    """The outcome of :func:`check_derivative`: truthy when formula and engine agree, printed as a
    table.

    Attributes
    ----------
    title : str
        What was checked, e.g. ``∂mse/∂y_pred``.
    engine, formula : numpy.ndarray
        The two derivatives.
    agrees : numpy.ndarray of bool
        Element by element.
    diagnosis : str
        The main finding (``formula agrees with the engine``, or the slip).
    explanations : tuple of str
        Every relation found; a sign flip and swapped y and ŷ can be the same thing.
    factor : float or None
        The constant ``formula / engine``, when there is one.
    """

    title: str
    engine: np.ndarray
    formula: np.ndarray
    agrees: np.ndarray
    diagnosis: str
    explanations: tuple[str, ...]
    factor: float | None

    @property
    def ok(self) -> bool:
        return bool(self.agrees.all())

    def __bool__(self) -> bool:
        return self.ok

    @property
    def ratio(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.formula / self.engine

    def __str__(self) -> str:
        lines = [f"{self.title}: {'OK' if self.ok else 'WRONG'} ({self.diagnosis})"]
        lines += [f"  also: {e}" for e in self.explanations[1:]]
        lines.append(f"  {'element':<12}{'engine':>14}{'formula':>14}{'ratio':>12}")
        shape = self.engine.shape
        for k in range(min(self.engine.size, MAX_ROWS)):
            index = np.unravel_index(k, shape) if shape else ()
            e, h, r = self.engine[index], self.formula[index], self.ratio[index]
            mark = "" if self.agrees[index] else "  ✗"
            ratio = "-" if np.isnan(r) else f"{r:.4g}"
            element = str(tuple(int(i) for i in index))
            lines.append(f"  {element:<12}{e:>14.6g}{h:>14.6g}{ratio:>12}{mark}")
        if self.engine.size > MAX_ROWS:
            lines.append(f"  ... ({self.engine.size - MAX_ROWS} more elements)")
        return "\n".join(lines)

    __repr__ = __str__


def _counts(shape: tuple[int, ...]) -> list[tuple[int, str]]:
    """The element counts a mean over (part of) an array of ``shape`` divides by."""
    size = int(np.prod(shape)) if shape else 1
    found = {size: "the number of elements"}
    if len(shape) > 1:
        found.setdefault(shape[0], "the batch size, axis 0")
        found.setdefault(size // shape[0], "the elements per sample")
        found.setdefault(shape[-1], "the size of the last axis")
    return [(n, what) for n, what in sorted(found.items()) if n > 1]


def _factors(shape: tuple[int, ...]) -> list[tuple[float, tuple[str, ...]]]:
    """Candidate constant factors ``formula / engine``, simplest first, each with its meaning."""
    scalings = [(1.0, "")]
    for n, what in _counts(shape):
        scalings += [(float(n), f"missing 1/n (n = {n}, {what})"), (1.0 / n, f"extra 1/n (n = {n}, {what})")]
    twos = [(1.0, ""), (2.0, "factor 2 too large"), (0.5, "factor 2 too small")]
    found = []
    for (s, s_text), (t, t_text), (n, n_text) in itertools.product(
        [(1.0, ""), (-1.0, "sign flipped")], twos, scalings
    ):
        found.append((s * n * t, tuple(p for p in (s_text, n_text, t_text) if p)))
    return sorted(found, key=lambda item: len(item[1]))


Relation = tuple[float, tuple[str, ...]]


def _relation(
    h: np.ndarray, g: np.ndarray, atol: float, rtol: float, shape: tuple[int, ...] | None = None
) -> list[Relation]:
    """Every simplest constant ``c`` with ``h ≈ c·g``, with the slips it means (none for c = 1).

    Several come back when one number has several readings (2 = a factor 2 = n for n = 2).
    ``shape`` is the input's, whose element counts a slipped 1/n would be (default: g's).
    """
    if np.allclose(g, 0.0, rtol=0.0, atol=atol):
        return [(1.0, ())] if np.allclose(h, 0.0, rtol=0.0, atol=atol) else []
    candidates = _factors(g.shape if shape is None else shape)
    found = [(c, parts) for c, parts in candidates if np.allclose(h, c * g, rtol=rtol, atol=atol)]
    return [r for r in found if len(r[1]) == len(found[0][1])] if found else []


def _signature_names(f: Callable[..., Any], count: int) -> list[str]:
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [names[i] if i < len(names) else f"input {i}" for i in range(count)]


def check_derivative(
    f: Callable[..., Any],
    formula: Callable[..., Any],
    *inputs: Any,
    wrt: int | tuple[int, int] = -1,
    order: int = 1,
    atol: float = 1e-8,
    rtol: float = 1e-6,
    title: str | None = None,
) -> DerivativeReport:
    """Compare the engine's derivative of ``f`` with a hand-derived ``formula``, element by element,
    and name the slip when they disagree.

    The engine's ``∂f(*inputs)/∂inputs[wrt]`` comes from ``backward`` (with ``order=2``, from
    ``jacobian(grad(f))``). Elements agree when ``|formula - engine| <= atol + rtol·|engine|``.
    A disagreement is explained when the numbers fit one: a flipped sign, a missing or extra 1/n,
    a factor 2, y and ŷ swapped, the derivative with respect to the wrong argument, a transposed
    Hessian.

    Parameters
    ----------
    f : callable
        The function, returning a scalar (a loss ``f(y_true, y_pred)``, for example).
    formula : callable
        The hand-derived derivative: it gets every input as a float64 array and returns the
        gradient (broadcastable to ``inputs[wrt]``), or with ``order=2`` the Hessian of shape
        ``x.shape + x.shape`` (a number for a scalar x).
    *inputs : Tensor, Value, list of Values or array_like
        The arguments of ``f``.
    wrt : int or tuple of int
        Which input to differentiate by (default -1: the last one, ŷ in ``loss(y, ŷ)``); with
        ``order=2``, ``(i, j)`` asks for the mixed ``∂²f/∂x_i∂x_j`` of shape
        ``x_i.shape + x_j.shape``.
    order : {1, 2}
        First derivative (default) or second.
    atol, rtol : float
        The tolerances (default 1e-8, 1e-6).
    title : str, optional
        The report's title (default ``∂f/∂<argument name>``).

    Returns
    -------
    DerivativeReport
        Truthy when they agree; prints as a table with the diagnosis.

    Raises
    ------
    ValueError
        If ``f`` does not return a scalar, or the formula's result does not fit the input's shape.

    Examples
    --------
    >>> import numpy as np, losses
    >>> from autograd import check_derivative
    >>> y, p = np.array([1.0, 2.0]), np.array([1.5, 1.0])
    >>> check_derivative(losses.mse, lambda y, p: 2 * (y - p), y, p).diagnosis
    'sign flipped; missing 1/n (n = 2, the number of elements)'
    """
    if not inputs:
        raise ValueError("check_derivative: expected at least one input after f and formula, got none")
    if order not in (1, 2):
        raise ValueError(f"check_derivative: order must be 1 or 2, got {order!r}")
    pair = tuple(range(len(inputs))[k] for k in wrt) if isinstance(wrt, tuple) else None
    if pair is not None and (order != 2 or len(pair) != 2):
        raise ValueError(
            f"check_derivative: wrt=(i, j) names a mixed second derivative (order=2); got {wrt!r}"
        )
    wrt = pair[0] if pair else range(len(inputs))[wrt]
    second = pair[1] if pair else wrt
    names = _signature_names(f, len(inputs))
    arrays = [numbers(x) for x in inputs]

    def engine(f: Callable[..., Any], inputs: Sequence[Any], k: int) -> np.ndarray:
        if order == 1:
            return engine_gradient(f, inputs, k)
        return engine_hessian(f, inputs, k, second if k == wrt else None)

    g = engine(f, inputs, wrt)
    transposed = False
    try:
        h = _formula_values(formula, arrays, g.shape)
    except ValueError:
        h = _formula_values(lambda *a: np.asarray(formula(*a)).T, arrays, g.shape)  # a transposed shape?
        transposed = True
    fname = getattr(f, "__name__", "f")
    if order == 1:
        title = title or f"∂{fname}/∂{names[wrt]}"
    else:
        title = title or (
            f"∂²{fname}/∂{names[wrt]}²" if second == wrt else f"∂²{fname}/∂{names[wrt]}∂{names[second]}"
        )
    agrees = np.isclose(h, g, rtol=rtol, atol=atol) & (not transposed)
    if agrees.all():
        return DerivativeReport(title, g, h, agrees, "formula agrees with the engine", (), 1.0)

    shape = arrays[wrt].shape
    found: list[tuple[str, ...]] = []
    relations = [] if transposed else _relation(h, g, atol, rtol, shape)
    found += [parts for _, parts in relations]
    if transposed:
        found += [("transposed", *parts) for _, parts in _relation(h, g, atol, rtol, shape)]
    elif (
        order == 2
        and g.ndim == 2
        and g.shape[0] == g.shape[1]
        and not np.allclose(h, h.T, rtol=rtol, atol=atol)
    ):
        found += [("transposed", *parts) for _, parts in _relation(h.T, g, atol, rtol, shape)]
    partner = next((i for i, a in enumerate(arrays) if i != wrt and a.shape == arrays[wrt].shape), None)
    if partner is not None:
        swapped = list(arrays)
        swapped[wrt], swapped[partner] = arrays[partner], arrays[wrt]
        alternatives: dict[str, Callable[[], tuple[np.ndarray, np.ndarray]]] = {
            f"{names[partner]} and {names[wrt]} swapped in the formula": lambda: (
                _formula_values(formula, swapped, g.shape),
                g,
            ),
            f"the derivative with respect to {names[partner]}": lambda: (
                h,
                engine(f, inputs, partner),
            ),
        }
        for what, pair in alternatives.items():
            try:
                h_alt, g_alt = pair()
            except (ArithmeticError, LookupError, TypeError, ValueError):
                continue  # impossible here (e.g. a loss rejecting swapped values): no explanation
            found += [(what, *parts) for _, parts in _relation(h_alt, g_alt, atol, rtol, shape)]
    # the simplest explanations (fewest slips) are equivalent descriptions of one mistake
    simplest = min(map(len, found), default=0)
    explanations = ["; ".join(parts) for parts in found if len(parts) == simplest]
    if not explanations:
        explanations.append(_elementwise_finding(h, g, agrees, atol, rtol))
    factor = relations[0][0] if relations else None
    return DerivativeReport(title, g, h, agrees, explanations[0], tuple(explanations), factor)


def _formula_values(formula: Callable[..., Any], arrays: Sequence[np.ndarray], shape: tuple) -> np.ndarray:
    with np.errstate(all="ignore"):
        h = np.asarray(formula(*[a.copy() for a in arrays]), dtype=np.float64)
    try:
        return np.broadcast_to(h, shape).copy()
    except ValueError:
        raise ValueError(
            f"check_derivative: formula returned shape {h.shape}, which does not broadcast to the "
            f"gradient's shape {shape}"
        ) from None


def _elementwise_finding(h: np.ndarray, g: np.ndarray, agrees: np.ndarray, atol: float, rtol: float) -> str:
    """What is wrong when no single constant relates formula and engine."""
    flipped = np.isclose(h, -g, rtol=rtol, atol=atol) & ~agrees
    if (agrees | flipped).all():
        where = [tuple(int(i) for i in ix) for ix in np.argwhere(flipped)[:6]]
        return f"sign flipped on {int(flipped.sum())} of {g.size} elements, e.g. at {where}"
    magnitude = _relation(np.abs(h), np.abs(g), atol, rtol)
    if magnitude and magnitude[0][1]:
        return "; ".join(("sign flipped on some elements", *magnitude[0][1]))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = h[~agrees] / g[~agrees]
    return (
        f"wrong on {int((~agrees).sum())} of {g.size} elements; no single factor, sign or swap "
        f"explains it (formula/engine from {np.nanmin(ratio):.4g} to {np.nanmax(ratio):.4g})"
    )
