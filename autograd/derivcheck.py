"""Check a hand-derived derivative formula against the engine, and name the slip.

``check_derivative(f, formula, *inputs)`` differentiates the scalar ``f(*inputs)`` with ``backward``
and compares the result, element by element, with the formula: a Python function of the inputs
as float arrays, a LaTeX string as teaching notes write it (with the optional ``formulas`` extra),
or a sympy expression. With ``order=2`` it compares a second derivative (the Hessian, or a mixed
``∂²f/∂x∂y``). When they disagree it names one cause, the best explanation of the numbers
(``autograd/slips.py``): a flipped sign, a missing or extra ``1/n``, a factor 2, the arguments
swapped, a sum that does not belong, the derivative with respect to the other argument, a missing
chain-rule factor such as σ′(z), a transposed second derivative, or a sign flipped on some elements.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .value import Value
from .value_array import ValueArray, holds_values, numbers

MAX_ROWS = 12
FORMULAS_EXTRA = 'pip install "gradscope[formulas]"'


class ArgumentOrderWarning(UserWarning):
    """``y_true`` requires grad and ``y_pred`` does not: probably PyTorch's ``(input, target)`` order.

    The losses warn with it (re-exported as ``losses.ArgumentOrderWarning``); the checks here
    silence it, since a derivative with respect to ``y_true`` is what they ask for there.
    """


def _tensor() -> type:
    from . import Tensor  # by its public name: the engine's modules may move

    return Tensor


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


def _leaves(x: Any) -> list[Value]:
    if isinstance(x, Value):
        return [x]
    if isinstance(x, ValueArray):
        return list(x.values.flat)
    return [v for item in x for v in _leaves(item)]


def _leaf_grads(x: Any) -> np.ndarray:
    if isinstance(x, Value):
        return np.array(x.grad)
    if isinstance(x, ValueArray):
        return x.grad
    return np.array([_leaf_grads(v) for v in x], dtype=np.float64)


def _backward_check(out: Any) -> None:
    if not (isinstance(out, Value) or (isinstance(out, (_tensor(), ValueArray)) and np.prod(out.shape) == 1)):
        shape = getattr(out, "shape", ())
        raise ValueError(
            f"check_derivative: f must return a scalar (Value, or a one-element Tensor/ValueArray); "
            f"got {type(out).__name__} of shape {shape}"
        )


@contextmanager
def _argument_order_quiet() -> Iterator[None]:
    """Silence :class:`ArgumentOrderWarning`: a derivative with respect to y_true alone is what
    is asked for here, not a swapped call."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ArgumentOrderWarning)
        yield


def _run(f: Callable[..., Any], inputs: Sequence[Any], wrt: int) -> tuple[Any, list[Any], np.ndarray]:
    """Backward through ``f(*inputs)`` on fresh copies: the output node, the differentiated input's
    leaf nodes and its gradient."""
    Tensor = _tensor()
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
        out = f(*leaves)
        _backward_check(out)
        out.backward()
    root = out.values.flat[0] if isinstance(out, ValueArray) else out
    if use_values:
        return root, _leaves(leaves[wrt]), _leaf_grads(leaves[wrt])
    grad = leaves[wrt]._grad
    return root, [leaves[wrt]], np.zeros(leaves[wrt].shape) if grad is None else np.asarray(grad, np.float64)


def engine_gradient(f: Callable[..., Any], inputs: Sequence[Any], wrt: int) -> np.ndarray:
    """``∂f(*inputs)/∂inputs[wrt]`` from ``backward``, on fresh copies of the inputs.

    Inputs holding Values are differentiated as Values (same structure); otherwise ``inputs[wrt]``
    becomes a float64 Tensor with ``requires_grad``. Other inputs are passed on unchanged (Tensors
    as constant copies).

    Returns:
        the gradient, a float64 array of ``inputs[wrt]``'s shape.

    Raises:
        ValueError: ``f`` does not return a scalar.
    """
    return _run(f, inputs, wrt)[2]


def engine_hessian(
    f: Callable[..., Any], inputs: Sequence[Any], wrt: int, wrt2: int | None = None
) -> np.ndarray:
    """``∂²f(*inputs)/∂inputs[wrt]∂inputs[wrt2]`` (shape ``x.shape + y.shape``; ``wrt2`` defaults to
    ``wrt``: the Hessian) from :func:`autograd.jacobian` of :func:`autograd.grad`, on fresh copies of
    the inputs (Values stay Values, as in :func:`engine_gradient`).

    Returns:
        the second derivative as a float64 array.

    Raises:
        ValueError: ``f`` does not return a scalar.
    """
    from .functional import grad, jacobian

    Tensor = _tensor()
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
    table (with ``checked``, the formula as it was read, when it was LaTeX or sympy).

    Attributes
    ----------
    title : str
        What was checked, e.g. ``∂mse/∂y_pred``.
    engine, formula : numpy.ndarray
        The two derivatives.
    agrees : numpy.ndarray of bool
        Element by element.
    diagnosis : str
        The best explanation of a disagreement (``formula agrees with the engine`` when there is
        none).
    explanations : tuple of str
        The diagnosis followed by the readings that fit the numbers equally well (for MSE a
        flipped sign is y and ŷ swapped).
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
    checked: str = ""
    """A LaTeX or sympy formula as it was read (text, LaTeX, and what each variable stands for);
    empty for a Python function."""

    @property
    def ok(self) -> bool:
        """Whether every element agrees."""
        return bool(self.agrees.all())

    def __bool__(self) -> bool:
        return self.ok

    @property
    def ratio(self) -> np.ndarray:
        """``formula / engine``, elementwise (nan where both are 0)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.formula / self.engine

    def __str__(self) -> str:
        lines = [f"{self.title}: {'OK' if self.ok else 'WRONG'} ({self.diagnosis})"]
        lines += [f"  equivalently: {e}" for e in self.explanations[1:]]
        lines += [f"  {line}" for line in self.checked.splitlines()]
        lines.append(f"  {'element':<12}{'engine':>14}{'formula':>14}{'ratio':>12}")
        shape = self.engine.shape
        for k in range(min(self.engine.size, MAX_ROWS)):
            index = np.unravel_index(k, shape) if shape else ()
            e, h, r = (float(a[index]) + 0.0 for a in (self.engine, self.formula, self.ratio))  # + 0.0: no -0
            mark = "" if self.agrees[index] else "  ✗"
            ratio = "-" if np.isnan(r) else f"{r:.4g}"
            element = str(tuple(int(i) for i in index))
            lines.append(f"  {element:<12}{e:>14.6g}{h:>14.6g}{ratio:>12}{mark}")
        if self.engine.size > MAX_ROWS:
            lines.append(f"  ... ({self.engine.size - MAX_ROWS} more elements)")
        return "\n".join(lines)

    __repr__ = __str__


def _positional(fn: Callable[..., Any]) -> tuple[list[str], int, float] | None:
    """``fn``'s positional parameter names and how many positional arguments it takes (at least,
    at most); None when Python cannot tell."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    least = sum(p.default is p.empty for p in positional)
    most = float("inf") if any(p.kind == p.VAR_POSITIONAL for p in params) else len(positional)
    return [p.name for p in positional], least, most


def _check_arity(found: tuple[list[str], int, float] | None, count: int, what: str, names: list[str]) -> None:
    """Raise a TypeError naming the parameters when ``f`` or the formula (``what``), whose
    :func:`_positional` is ``found``, cannot take ``count`` inputs."""
    if found is None or found[1] <= count <= found[2]:
        return
    params, least, most = found
    takes = f"{least}" if least == most else f"{least} to {most}"
    takes = f"at least {least}" if most == float("inf") else takes
    plural = "" if takes == "1" else "s"
    if what == "f":
        raise TypeError(
            f"check_derivative: f takes {takes} positional argument{plural} ({', '.join(params)}), "
            f"but {count} input{'s were' if count != 1 else ' was'} given"
        )
    raise TypeError(
        f"check_derivative: the formula takes {takes} argument{plural} ({', '.join(params)}), but f has "
        f"{count} input{'s' if count != 1 else ''} ({', '.join(names)}): the formula is called with every "
        f"input of f, in f's order, e.g. lambda {', '.join(names)}: ..."
    )


def _positions(wrt: Any, names: list[str]) -> tuple[int, ...]:
    """The input position(s) ``wrt`` names (``-1`` is the last), checked against ``f``'s inputs."""
    n = len(names)
    found = []
    for k in wrt if isinstance(wrt, tuple) else (wrt,):
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
            raise TypeError(
                "check_derivative: wrt must be the position of an input (an int) or a pair (i, j) of them; "
                f"got {type(k).__name__} {k!r}"
            )
        if not -n <= k < n:
            raise ValueError(
                f"check_derivative: wrt={wrt!r} names input {k}, but f has {n} input{'s' if n != 1 else ''} "
                f"({', '.join(names)}): expected a position from {-n} to {n - 1}"
            )
        found.append(int(k) % n)
    return tuple(found)


def _is_symbolic(formula: Any) -> bool:
    return isinstance(formula, str) or type(formula).__module__.split(".")[0] == "sympy"


def _compile(
    formula: Any, names: list[str], symbols: Mapping[str, Any] | None, wrt: tuple[int, ...] | None
) -> Any:
    """A LaTeX string or sympy expression as a :class:`autograd.formulas.Formula`."""
    try:
        import sympy  # noqa: F401

        if isinstance(formula, str):
            import latex2sympy2_extended  # noqa: F401
    except ImportError as e:
        raise ImportError(
            f"check_derivative: a formula written as LaTeX or sympy needs the optional dependencies "
            f"sympy and latex2sympy2-extended: {FORMULAS_EXTRA} (missing: {e.name})"
        ) from None
    from .formulas import compile_formula

    return compile_formula(formula, names, symbols, wrt)


def _title(f: Callable[..., Any], names: list[str], wrt: int, second: int, order: int) -> str:
    fname = getattr(f, "__name__", "")
    fname = fname if fname.isidentifier() else "f"  # a lambda: ∂f/∂z
    if order == 1:
        return f"∂{fname}/∂{names[wrt]}"
    return f"∂²{fname}/∂{names[wrt]}²" if second == wrt else f"∂²{fname}/∂{names[wrt]}∂{names[second]}"


def check_derivative(
    f: Callable[..., Any],
    formula: Callable[..., Any] | str | Any,
    *inputs: Any,
    wrt: int | tuple[int, int] | None = None,
    order: int | None = None,
    symbols: Mapping[str, Any] | None = None,
    atol: float = 1e-8,
    rtol: float = 1e-6,
    title: str | None = None,
) -> DerivativeReport:
    r"""Compare the engine's derivative of ``f(*inputs)`` with a hand-derived formula, element by
    element, and name the slip when they disagree.

    The engine's ``∂f(*inputs)/∂inputs[wrt]`` comes from ``backward`` (with ``order=2``, from
    ``jacobian(grad(f))``). Elements agree when ``|formula - engine| <= atol + rtol·|engine|``.
    A disagreement is explained by the best reading of the numbers (``autograd/slips.py``): a
    flipped sign, a missing or extra 1/n, a factor 2, y and ŷ swapped, the derivative with respect
    to the wrong argument, a missing chain-rule factor, a transposed Hessian.

    The formula is one of:

    - a Python function, called with every input as a float64 array, in ``f``'s order, that
      returns the derivative (broadcastable to ``inputs[wrt]``), or with ``order=2`` the Hessian
      of shape ``x.shape + x.shape`` (a number for a scalar x);
    - a LaTeX string as notes write it, e.g. ``r"\frac{\partial L}{\partial \hat{y}_i} =
      \frac{2}{n}(\hat{y}_i - y_i)"`` (needs ``pip install "gradscope[formulas]"``). Variables bind
      to ``f``'s inputs by name (``\hat{y}`` is ``y_pred`` or ``y_hat``, ``y`` is ``y_true``,
      ``w_{13}`` is ``w13``), ``n`` is the number of elements, a subscript ``_i`` means element i
      (``\sum_i`` sums over them), ``\log`` is natural; ``symbols`` binds the others. The left
      side, when given, says which input it differentiates by (and ``∂²`` the order);
    - a sympy expression, read the same way.

    Parameters
    ----------
    f : callable
        The function; it returns a scalar (a Value, or a one-element Tensor/ValueArray), e.g. a
        loss ``f(y_true, y_pred)``.
    formula : callable, str or sympy.Expr
        The hand-derived derivative (above).
    *inputs : Tensor, Value, list of Values or array_like
        The arguments of ``f`` (lists of Values may be nested).
        The arguments of ``f``.
    wrt : int or tuple of int, optional
        The input differentiated by (default: the formula's left side, else the last input, ŷ in
        ``loss(y, ŷ)``); ``(i, j)`` asks for the mixed ``∂²f/∂x_i∂x_j`` of shape
        ``x_i.shape + x_j.shape``.
    order : {1, 2}, optional
        1, or 2 for a second derivative: the Hessian ``∂²f/∂x²`` of shape ``x.shape + x.shape``
        (a LaTeX formula that is elementwise gives its diagonal), or with ``wrt=(i, j)`` the mixed
        one. Default: the formula's left side, else 1.
    symbols : mapping, optional
        What the LaTeX or sympy formula's other variables stand for (see
        :func:`autograd.formulas.compile_formula`): an input's name, a number or array, a function
        of the inputs, or a definition (LaTeX or sympy).
    atol, rtol : float
        The tolerances (default 1e-8, 1e-6).
    title : str, optional
        The report's title (default ``∂f/∂x`` with f's and the input's names).

    Returns
    -------
    DerivativeReport
        Truthy on agreement; prints as a table with the formula as it was read, naming the best
        explanation of a disagreement.

    Raises
    ------
    ValueError
        No inputs, a bad ``order`` or ``wrt`` (an input that does not exist), ``f`` not
        returning a scalar, a formula whose result does not broadcast to the derivative's shape.
    TypeError
        ``f`` or the formula takes a different number of arguments than there are inputs;
        ``wrt`` not an int or a pair of ints; ``symbols`` with a Python-function formula.
    autograd.formulas.FormulaError
        A LaTeX formula that cannot be read as written (the message marks the token) or a
        variable that stands for nothing.
    ImportError
        A LaTeX or sympy formula without the ``formulas`` extra.

    Examples
    --------
    >>> import numpy as np, losses
    >>> from autograd import check_derivative
    >>> y, p = np.array([1.0, 2.0]), np.array([1.5, 1.0])
    >>> check_derivative(losses.mse, lambda y, p: 2 * (y - p), y, p).diagnosis
    'sign flipped; missing 1/n (n = 2, the number of elements)'
    >>> bool(check_derivative(losses.mse, r"\frac{2}{n}(\hat{y}_i - y_i)", y, p))
    True
    """
    if not inputs:
        raise ValueError("check_derivative: expected at least one input after f and formula, got none")
    if order not in (None, 1, 2):
        raise ValueError(f"check_derivative: order must be 1 or 2, got {order!r}")
    signature = _positional(f)
    params = signature[0] if signature else []
    names = [params[i] if i < len(params) else f"input {i}" for i in range(len(inputs))]
    _check_arity(signature, len(inputs), "f", names)
    if isinstance(wrt, tuple) and (len(wrt) != 2 or order == 1):
        raise ValueError(
            f"check_derivative: wrt=(i, j) names a mixed second derivative (order=2); got {wrt!r}"
        )
    given = None if wrt is None else _positions(wrt, names)
    checked = ""
    if _is_symbolic(formula):
        compiled = _compile(formula, names, symbols, given)
        if order and compiled.order and order != compiled.order:
            raise ValueError(
                f"check_derivative: the formula's left side is a derivative of order {compiled.order}, "
                f"but order={order}"
            )
        given, order = compiled.wrt, order or compiled.order
        formula, checked = _elementwise_hessian(compiled, order or 1), compiled.describe()
    else:
        if symbols is not None:
            raise TypeError(
                "check_derivative: symbols= binds the variables of a LaTeX or sympy formula, not of a "
                "function"
            )
        if not callable(formula):
            raise TypeError(
                "check_derivative: formula must be a function, LaTeX (str) or sympy; got "
                f"{type(formula).__name__}"
            )
        _check_arity(_positional(formula), len(inputs), "formula", names)
    order = order or (2 if given is not None and len(given) == 2 else 1)
    if given is not None and len(given) == 2 and order != 2:
        raise ValueError(
            f"check_derivative: wrt=(i, j) names a mixed second derivative (order=2); got {wrt!r}"
        )
    first, second = (given or (len(inputs) - 1,))[0], (given or (len(inputs) - 1,))[-1]
    arrays = [numbers(x) for x in inputs]

    def engine(at: Sequence[Any], k: int, k2: int) -> np.ndarray:
        return engine_gradient(f, at, k) if order == 1 else engine_hessian(f, at, k, k2)

    run = _run(f, inputs, first) if order == 1 else None
    g = run[2] if run else engine(inputs, first, second)
    transposed = False
    try:
        h = _formula_values(formula, arrays, g.shape)
    except ValueError:
        h = _formula_values(lambda *a: np.asarray(formula(*a)).T, arrays, g.shape)  # a transposed shape?
        transposed = True
    title = title or _title(f, names, first, second, order)
    agrees = np.isclose(h, g, rtol=rtol, atol=atol) & (not transposed)
    if agrees.all():
        return DerivativeReport(title, g, h, agrees, "formula agrees with the engine", (), 1.0, checked)
    from . import slips  # (the reading of a disagreement: imported by the first one, 3 ms)

    problem = slips.Problem(h, g, atol, rtol, arrays[first].shape, order)
    if transposed:  # only its transpose has the derivative's shape
        diagnosis = slips.diagnose(problem)[0]
        text = "transposed" + ("" if np.allclose(h, g, rtol=rtol, atol=atol) else f"; {diagnosis}")
        return DerivativeReport(title, g, h, agrees, text, (text,), None, checked)
    partner = next(
        (i for i, a in enumerate(arrays) if i not in (first, second) and a.shape == arrays[first].shape), None
    )
    if partner is not None and first == second:
        swapped = list(arrays)
        swapped[first], swapped[partner] = arrays[partner], arrays[first]
        problem.swap_text = f"{names[partner]} and {names[first]} swapped in the formula"
        problem.other_text = f"the derivative with respect to {names[partner]}"
        problem.swapped = lambda: _formula_values(formula, swapped, g.shape)
        problem.other = lambda: engine(inputs, partner, partner)
    unsummed = getattr(formula, "without_sums", lambda: None)()
    if unsummed is not None:
        problem.unsummed = lambda: _formula_values(unsummed, arrays, g.shape)
    problem.probe = lambda family: _probe(
        family, engine, formula, unsummed, arrays, first, second, partner, g, atol, rtol
    )
    if run is not None:
        problem.chain = lambda: slips.chain_factors(run[0], run[1], g.shape)
    diagnosis, explanations, factor = slips.diagnose(problem)
    return DerivativeReport(title, g, h, agrees, diagnosis, explanations, factor, checked)


def _elementwise_hessian(formula: Any, order: int) -> Any:
    """For a Hessian, a formula whose value has the input's shape (``∂²L/∂ŷ_i²``) gives its diagonal."""
    return _Diagonal(formula, formula.wrt[0]) if order == 2 and len(set(formula.wrt)) == 1 else formula


class _Diagonal:
    """A second derivative written elementwise: the Hessian with it on the diagonal (other shapes,
    such as a full ``x.shape + x.shape`` Hessian, are taken as they are)."""

    def __init__(self, formula: Any, k: int) -> None:
        self.formula, self.k = formula, k

    def __call__(self, *arrays: np.ndarray) -> np.ndarray:
        h, shape = self.formula(*arrays), np.shape(arrays[self.k])
        if h.shape == shape + shape:
            return h
        try:
            diagonal = np.broadcast_to(h, shape).ravel()
        except ValueError:
            return h
        return np.diag(diagonal).reshape(shape + shape)

    def without_sums(self) -> _Diagonal | None:
        unsummed = self.formula.without_sums()
        return None if unsummed is None else _Diagonal(unsummed, self.k)


def _formula_values(formula: Callable[..., Any], arrays: Sequence[np.ndarray], shape: tuple) -> np.ndarray:
    with np.errstate(all="ignore"):
        h = np.asarray(formula(*[a.copy() for a in arrays]), dtype=np.float64)
    if h.size == 1:  # one number (a sum kept as [[s]]) broadcasts to any shape
        h = h.reshape(())
    try:
        return np.broadcast_to(h, shape).copy()
    except ValueError:
        raise ValueError(
            f"check_derivative: formula returned shape {h.shape}, which does not broadcast to the "
            f"derivative's shape {shape}"
        ) from None


def _probe(
    family: str,
    engine: Callable[[Sequence[Any], int, int], np.ndarray],
    formula: Callable[..., Any],
    unsummed: Callable[..., Any] | None,
    arrays: list[np.ndarray],
    first: int,
    second: int,
    partner: int | None,
    g: np.ndarray,
    atol: float,
    rtol: float,
) -> float | None:
    """The constant formula / engine on the batch repeated twice (every input whose axis 0 is the
    batch), for one family of readings (the formula as given, swapped, without sums, or against the
    derivative with respect to the partner); None when f does not treat axis 0 as a batch."""
    x = arrays[first]
    if not x.ndim or not x.shape[0]:
        return None
    batch = x.shape[0]
    tiled = [np.concatenate([a, a]) if a.ndim and a.shape[0] == batch else a for a in arrays]
    g2 = engine(tiled, first, second)
    block = g2[(slice(batch),) + (slice(None),) * (x.ndim - 1) + ((slice(batch),) if g.ndim > x.ndim else ())]
    if not any(np.allclose(block, s * g, rtol=rtol, atol=atol) for s in (1.0, 0.5)):
        return None  # the repeated rows are not a bigger batch of the same loss
    shape = g2.shape
    if family == "formula":
        h2 = _formula_values(formula, tiled, shape)
    elif family == "swapped" and partner is not None:
        swapped = list(tiled)
        swapped[first], swapped[partner] = tiled[partner], tiled[first]
        h2 = _formula_values(formula, swapped, shape)
    elif family == "unsummed" and unsummed is not None:
        h2 = _formula_values(unsummed, tiled, shape)
    elif family == "other" and partner is not None:
        h2, g2 = _formula_values(formula, tiled, shape), engine(tiled, partner, partner)
    else:
        return None
    nonzero = np.abs(g2) > atol
    if not nonzero.any():
        return None
    c = float(np.median(h2[nonzero] / g2[nonzero]))
    return c if np.allclose(h2, c * g2, rtol=rtol, atol=atol) else None
