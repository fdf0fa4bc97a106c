"""torch's Tensor members (and their ``torch.*`` functions) composed of what exists: the elementwise
tests (``isposinf``, ``signbit``, ...), the comparisons by name (``eq``, ``greater``, ...), the
products with an added term (``addmv``, ``addr``, ``baddbmm``, ``addbmm``, ``chain_matmul``),
``sgn``, ``float_power``, ``hardshrink``, the questions about a tensor (``is_floating_point``,
``nelement``, ``stride``, ...), and the members of functions that exist only as ``autograd.<name>``
(``t.isnan()``, ``t.lerp(end, w)``, ``t.bmm(m)``). Every gradient comes from the operations they are
made of; the tests and the questions give numbers (no graph).
"""

from __future__ import annotations

import builtins
import functools
from typing import Any

import numpy as np

from . import meta as _meta
from . import torch_functions as tf
from ._operands import method_of, tensor_methods
from ._tensor import Tensor, of_numbers
from ._tensor import where as _where
from .dtypes import get_default_dtype
from .functions import NODES, as_node
from .torch_methods import integer_operands

__all__: list[str] = []


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


def _test(fn: Any, name: str, summary: str) -> Any:
    """A torch elementwise test: a bool Tensor of the numbers (no graph)."""

    def function(input: Any) -> Tensor:
        return of_numbers(fn, input if isinstance(input, Tensor) else _data(input))

    function.__doc__ = (
        f"{summary}: a bool Tensor (no graph), as ``torch.{name}``.\n\n"
        "Parameters\n----------\ninput : Tensor or array_like\n    The input (its numbers).\n"
    )
    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    return function


isposinf = _test(lambda a: np.isposinf(a) if a.dtype.kind == "f" else np.zeros(a.shape, bool), "isposinf",
                 "Whether each element is +inf")  # fmt: skip
isneginf = _test(lambda a: np.isneginf(a) if a.dtype.kind == "f" else np.zeros(a.shape, bool), "isneginf",
                 "Whether each element is -inf")  # fmt: skip
signbit = _test(np.signbit, "signbit", "Whether each element's sign bit is set (-0.0 and -nan too)")
isreal = _test(lambda a: np.ones(a.shape, bool), "isreal", "Whether each element is real (all are, here)")


# -- the comparisons by name (torch.eq(a, b) is a == b: a bool Tensor, no graph)
def _comparison(name: str, method: str, symbol: str) -> Any:
    def function(input: Any, other: Any) -> Tensor:
        return getattr(as_node(input, method), method)(other)

    function.__doc__ = (
        f"``input {symbol} other`` elementwise (broadcast): a bool Tensor (no graph), as "
        f"``torch.{name}``.\n\nParameters\n----------\ninput : Tensor or array_like\n    The left side.\n"
        "other : Tensor or float\n    The right side.\n"
    )
    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    return function


_COMPARISONS = {
    "eq": ("__eq__", "=="),
    "ne": ("__ne__", "!="),
    "not_equal": ("__ne__", "!="),
    "lt": ("__lt__", "<"),
    "less": ("__lt__", "<"),
    "le": ("__le__", "<="),
    "less_equal": ("__le__", "<="),
    "gt": ("__gt__", ">"),
    "greater": ("__gt__", ">"),
    "ge": ("__ge__", ">="),
    "greater_equal": ("__ge__", ">="),
}
for _name, (_method, _symbol) in _COMPARISONS.items():
    globals()[_name] = _comparison(_name, _method, _symbol)


# -- the products with an added term (torch's: beta 0 ignores the added term, nan and inf too)
def _scaled_sum(input: Any, product: Any, beta: float, alpha: float, op: str) -> Any:
    base = as_node(input, "add")
    if np.broadcast_shapes(base.shape, product.shape) != product.shape:  # (torch's expand of input)
        raise RuntimeError(
            f"{op}: the input of shape {tuple(base.shape)} does not broadcast to the product's shape "
            f"{tuple(product.shape)}"
        )
    product = product if alpha == 1 else product * alpha
    if beta == 0:
        return product
    return (base if beta == 1 else base * beta) + product


def _matrices(op: str, expected: tuple[int, ...], *xs: Any) -> list[Any]:
    nodes = [as_node(x, "matmul") for x in xs]
    if tuple(x.ndim for x in nodes) != expected:
        raise RuntimeError(
            f"{op}: expected tensors of {', '.join(f'{n}-d' for n in expected)}, got shapes "
            f"{', '.join(str(tuple(x.shape)) for x in nodes)}"
        )
    return nodes


def addmv(input: Any, mat: Any, vec: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta · input + alpha · (mat @ vec)`` (``torch.addmv``; beta 0 ignores ``input``).

    Parameters
    ----------
    input : Tensor or array_like
        Broadcast to the product's shape (n,).
    mat, vec : Tensor or array_like
        Shapes (n, m) and (m,).
    beta, alpha : float
        The factors (default 1).
    """
    m, v = _matrices("addmv", (2, 1), mat, vec)
    return _scaled_sum(input, m @ v, beta, alpha, "addmv")


def addr(input: Any, vec1: Any, vec2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta · input + alpha · outer(vec1, vec2)`` (``torch.addr``; beta 0 ignores ``input``).

    Parameters
    ----------
    input : Tensor or array_like
        Broadcast to the outer product's shape (n, m).
    vec1, vec2 : Tensor or array_like
        Shapes (n,) and (m,).
    beta, alpha : float
        The factors (default 1).
    """
    a, b = _matrices("addr", (1, 1), vec1, vec2)
    return _scaled_sum(input, a.reshape(-1, 1) * b, beta, alpha, "addr")


def baddbmm(input: Any, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta · input + alpha · (batch1 @ batch2)``, a batch of matrix products (``torch.baddbmm``).

    Parameters
    ----------
    input : Tensor or array_like
        Broadcast to the products' shape (b, n, p).
    batch1, batch2 : Tensor or array_like
        Shapes (b, n, m) and (b, m, p).
    beta, alpha : float
        The factors (default 1).
    """
    return _scaled_sum(input, tf.bmm(batch1, batch2), beta, alpha, "baddbmm")


def addbmm(input: Any, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Any:
    """``beta · input + alpha · Σ_b batch1[b] @ batch2[b]`` (``torch.addbmm``).

    Parameters
    ----------
    input : Tensor or array_like
        Broadcast to the products' shape (n, p).
    batch1, batch2 : Tensor or array_like
        Shapes (b, n, m) and (b, m, p).
    beta, alpha : float
        The factors (default 1).
    """
    return _scaled_sum(input, tf.bmm(batch1, batch2).sum(0), beta, alpha, "addbmm")


def ger(input: Any, vec2: Any) -> Any:
    """The outer product of two vectors (``torch.ger``, torch's old name of ``outer``).

    Parameters
    ----------
    input, vec2 : Tensor or array_like
        Shapes (n,) and (m,).
    """
    a, b = _matrices("ger", (1, 1), input, vec2)
    return a.reshape(-1, 1) * b


def chain_matmul(*matrices: Any) -> Any:
    """The product of the 2-d ``matrices`` left to right (``torch.chain_matmul``; one: itself).

    Parameters
    ----------
    *matrices : Tensor or array_like
        2-d, each one's columns the next one's rows.
    """
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    nodes = _matrices("chain_matmul", (2,) * len(matrices), *matrices)
    return functools.reduce(lambda a, b: a @ b, nodes[1:], nodes[0])


def sgn(input: Any) -> Any:
    """The sign of each element (``torch.sgn``: ``sign`` of real numbers; the gradient is 0).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    """
    return as_node(input, "sign").sign()


def float_power(input: Any, exponent: Any) -> Any:
    """``input ** exponent`` in float64, whatever the dtypes (``torch.float_power``; the gradient
    is cast back to the input's dtype).

    Parameters
    ----------
    input : Tensor or array_like
        The base.
    exponent : Tensor or float
        The exponent.
    """
    base = as_node(input, "pow").double()
    if isinstance(exponent, NODES):
        return base ** exponent.double()
    return base ** float(exponent)


def hardshrink(input: Any, lambd: float = 0.5) -> Any:
    """``x`` where ``|x| > lambd``, else 0 (``torch.hardshrink``; nan stays nan; the gradient is 1
    outside the band and at nan, 0 in it: torch's scalar kernel. Its vectorized kernel gives 0 at nan,
    so torch's own gradient at nan depends on the element's place and the CPU).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    lambd : float
        The band's half width (default 0.5).
    """
    x = as_node(input, "mul")
    band = of_numbers(lambda a: (a >= -lambd) & (a <= lambd), x)
    return _where(band, 0.0, x)


# -- shapes and counts
def diagflat(input: Any, offset: int = 0) -> Any:
    """A square matrix with the flattened ``input`` on diagonal ``offset``, zeros elsewhere
    (``torch.diagflat``).

    Parameters
    ----------
    input : Tensor or array_like
        The diagonal's elements (flattened).
    offset : int
        The diagonal: 0 the main one, above it > 0, below < 0.
    """
    return as_node(input, "diag").reshape(-1).diag(offset)


def renorm(input: Any, p: float, dim: int, maxnorm: float) -> Any:
    """Each slice along ``dim`` whose ``p``-norm exceeds ``maxnorm`` scaled to norm ``maxnorm``
    (by ``maxnorm / (norm + 1e-7)``, as ``torch.renorm``); the gradient flows through the norm too.

    Parameters
    ----------
    input : Tensor or array_like
        At least 2-d.
    p : float
        The order of the norm (> 0).
    dim : int
        The dimension whose slices are renormalized.
    maxnorm : float
        The largest norm kept (>= 0).

    Raises
    ------
    RuntimeError
        ``p`` is not positive, ``maxnorm`` negative, or ``input`` has fewer than 2 dimensions.
    """
    from .linalg import vector_norm

    x = as_node(input, "mul")
    if x.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {x.ndim} dimensions")
    if p <= 0 or maxnorm < 0 or x.ndim == 0:
        raise RuntimeError(
            f"renorm: expected p > 0, maxnorm >= 0 and a tensor of at least 1 dimension, got p={p}, "
            f"maxnorm={maxnorm}, shape {tuple(x.shape)}"
        )
    d = dim % x.ndim
    dims = tuple(i for i in range(x.ndim) if i != d)
    over = of_numbers(lambda n: n > maxnorm, vector_norm(x.detach(), p, dim=dims, keepdim=True))
    # (the norm of the slices scaled only: as torch's backward, a slice left as it is passes its
    # gradient straight, no nan or 0/0 of its norm's reaches it)
    norm = vector_norm(_where(over, x, 1.0), p, dim=dims, keepdim=True)
    return x * _where(over, maxnorm / (norm + 1e-7), 1.0)


def take(input: Any, index: Any) -> Any:
    """The elements of the flattened ``input`` at ``index`` (int64; the result has its shape), as
    ``torch.take``: the gradient adds back into those places.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    index : Tensor or array_like
        Positions in the flattened input (negative from the end).
    """
    return as_node(input, "take").take(index)


def split_with_sizes(input: Any, split_sizes: Any, dim: int = 0) -> tuple[Any, ...]:
    """Pieces of the given sizes along ``dim`` (torch's ``split_with_sizes``: ``split`` with a list).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    split_sizes : sequence of int
        The pieces' lengths, adding up to the dimension's.
    dim : int
        The dimension (default 0).
    """
    if isinstance(split_sizes, (int, np.integer)):
        raise TypeError(
            f"split_with_sizes(): argument 'split_sizes' must be a list of ints, got {split_sizes!r}"
        )
    return as_node(input, "split").split(list(split_sizes), dim)


def _sum_to_size(self: Tensor, *size: Any) -> Any:
    """The sum over the dimensions that ``size`` broadcasts to this tensor's shape (torch's
    ``sum_to_size``: the gradient of a broadcast back to its input's shape).

    Raises
    ------
    RuntimeError
        This tensor's shape is not ``size`` broadcast (torch's message).
    """
    if not size:
        raise TypeError("sum_to_size() missing 1 required positional argument: 'size'")
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else tuple(size)
    have = self.data.shape
    lead = len(have) - len(shape)
    if lead < 0 or builtins.any(s not in (1, h) for s, h in zip(shape, have[lead:])):
        raise RuntimeError(f"size {list(shape)} is not expandable to size {list(have)}.")
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1 and have[lead + i] != 1)
    return self.sum(axes, keepdim=True).reshape(shape) if axes else self


def unique_consecutive(
    input: Any, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
) -> Any:
    """The elements (or slices along ``dim``) with each run of equal neighbours kept once
    (``torch.unique_consecutive``: numbers, no gradient; nan equals nothing), with the run of each
    input element (``return_inverse``) and the runs' lengths (``return_counts``).

    Parameters
    ----------
    input : Tensor or array_like
        The input (its numbers; flattened without ``dim``).
    return_inverse, return_counts : bool
        Also return those (int64 tensors).
    dim : int, optional
        Runs of equal slices along ``dim`` instead of elements.
    """
    tf._refuse_computed("unique_consecutive", input)
    data = tf._numbers(input)
    moved = data.reshape(-1) if dim is None else np.moveaxis(data, dim % builtins.max(data.ndim, 1), 0)
    rows = moved.reshape(len(moved), int(np.prod(moved.shape[1:]))) if moved.ndim else moved.reshape(1, 1)
    starts = np.ones(rows.shape[0], bool)
    starts[1:] = (rows[1:] != rows[:-1]).any(axis=1) if rows.shape[1] else False
    values = moved[starts] if dim is None else np.moveaxis(moved[starts], 0, dim % builtins.max(data.ndim, 1))
    out = [Tensor._node(np.ascontiguousarray(values))]
    if return_inverse:
        runs = np.cumsum(starts).astype(np.int64) - 1
        out.append(Tensor._node(runs.reshape(data.shape if dim is None else -1)))
    if return_counts:
        out.append(Tensor._node(np.diff(np.append(np.flatnonzero(starts), rows.shape[0])).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def histogram(
    input: Any, bins: Any = 100, *, range: Any = None, weight: Any = None, density: bool = False
) -> tuple[Tensor, Tensor]:
    """The histogram of ``input``'s elements: ``(hist, bin_edges)`` (``torch.histogram``: float
    numbers, no gradient); ``bins`` equal bins over ``range`` (the data's by default) or the given
    increasing edges.

    Parameters
    ----------
    input : Tensor or array_like
        Floats (flattened).
    bins : int or Tensor
        The number of bins, or the edges (1-d).
    range : tuple of float, optional
        The bins' span (default: the smallest and largest element).
    weight : Tensor, optional
        Each element's weight (input's shape).
    density : bool
        Normalize so the histogram integrates to 1.
    """
    data = tf._numbers(input)
    if data.dtype.kind != "f":
        raise RuntimeError(f"histogram: expected a float tensor, got dtype {data.dtype}")
    edges: Any = tf._numbers(bins) if isinstance(bins, (Tensor, np.ndarray, list)) else int(bins)
    if isinstance(edges, int):
        low, high = range if range is not None else ((data.min(), data.max()) if data.size else (0.0, 0.0))
        low, high = float(low), float(high)
        if low == high:
            low, high = low - 0.5, high + 0.5  # (torch's widening of an empty span)
        edges = np.linspace(low, high, edges + 1, dtype=data.dtype)
    w = None if weight is None else tf._numbers(weight).reshape(-1)
    hist, _ = np.histogram(data.reshape(-1), bins=edges.astype(np.float64), weights=w, density=density)
    return Tensor._node(hist.astype(data.dtype)), Tensor._node(np.asarray(edges, dtype=data.dtype))


# -- matrices, powers and a few more elementwise functions
def matrix_power(input: Any, n: int) -> Any:
    """The square matrix (or batch) to the integer power ``n`` (``torch.matrix_power``): by torch's
    squarings, so the products round as torch's; n = 0 the identity, n < 0 the inverse's power.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(*, m, m)``.
    n : int
        The exponent.
    """
    from .linalg import inv

    a = as_node(input, "matmul")
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise RuntimeError(
            f"linalg.matrix_power: A must be batches of square matrices, but they are {tuple(a.shape[-2:])} "
            "matrices"
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"matrix_power(): argument 'n' must be int, not {type(n).__name__}")
    if n == 0:  # (the identity, in the graph as torch's: its gradient to a is 0)
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.data.dtype), a.shape)
        return _where(Tensor._node(np.ones(a.shape, bool)), Tensor._node(np.array(eye)), a)
    if n < 0:
        a, n = inv(a), -n
    if n == 1:
        return a.clone()
    if n in (2, 3):
        return a @ a if n == 2 else (a @ a) @ a
    z = result = None
    while n > 0:  # (torch's: z squared at each bit, result times z where the bit is 1)
        bit, n = n % 2, n // 2
        z = a if z is None else z @ z
        if bit:
            result = z if result is None else result @ z
    return result


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Any:
    """The Vandermonde matrix of the 1-d ``x``: columns x⁰, x¹, ... x^(N-1), highest power first
    unless ``increasing`` (``torch.vander``: a running product, as torch's).

    Parameters
    ----------
    x : Tensor or array_like
        1-d.
    N : int, optional
        The number of columns (default: len(x)).
    increasing : bool
        Powers from x⁰ on the left.
    """
    from ._tensor import cat

    v = as_node(x, "reshape")
    if v.ndim != 1:
        raise RuntimeError(f"x must be a one-dimensional tensor, got shape {tuple(v.shape)}")
    n = v.shape[0] if N is None else int(N)
    if n < 0:
        raise RuntimeError(f"N must be non-negative, got {n}")
    if n == 0:
        return Tensor._node(np.empty((v.shape[0], 0), v.data.dtype))
    column = v.reshape(-1, 1)
    ones = Tensor._node(np.ones((v.shape[0], 1), v.data.dtype))
    out = cat([ones, column.expand(v.shape[0], n - 1)], 1).cumprod(1) if n > 1 else ones
    return out if increasing else out.flip(1)


def pdist(input: Any, p: float = 2) -> Any:
    """The ``p``-norm distance between each pair of rows i < j of the 2-d ``input``, in order
    (``torch.pdist``; at a distance 0 the gradient is 0, and for p = inf every tied largest
    |difference| gets the whole gradient, as torch's).

    Parameters
    ----------
    input : Tensor or array_like
        (n, m).
    p : float
        The norm's order (>= 0).
    """
    from .linalg import pairwise_norm

    x = as_node(input, "reshape")
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    if p < 0:
        raise RuntimeError(f"pdist only supports non-negative p values, got {p}")
    i, j = np.triu_indices(x.shape[0], 1)
    gap = x[i] - x[j]
    zero = of_numbers(lambda g: (g == 0).all(-1, keepdims=True), gap)
    return _where(zero.reshape(-1), 0.0, pairwise_norm(_where(zero, 1.0, gap), p))  # (gap's dtype)


def ldexp(input: Any, other: Any) -> Any:
    """``input · 2^other`` (``torch.ldexp``, which is ``input * pow(2, other)``): the gradient flows
    to ``input`` and to float exponents (``input · 2^other · ln 2``, as torch's).

    Parameters
    ----------
    input : Tensor or array_like
        The mantissas.
    other : Tensor or array_like
        The exponents (integers, or floats).
    """
    x = as_node(input, "mul")
    if isinstance(other, Tensor) and other.data.dtype.kind == "f":
        return x * (2.0**other)
    dtype = x.data.dtype if x.data.dtype.kind == "f" else get_default_dtype()
    powers = of_numbers(lambda e: np.power(2.0, e).astype(dtype), other if isinstance(other, Tensor)
                        else np.asarray(other))  # fmt: skip
    return x * powers


def nextafter(input: Any, other: Any) -> Tensor:
    """The next float after ``input`` toward ``other`` (``torch.nextafter``: numbers, no gradient).

    Parameters
    ----------
    input, other : Tensor or array_like
        Broadcast together.
    """
    return tf.numbers_in_torch_dtypes("nextafter", np.nextafter, input, other)


def gcd(input: Any, other: Any) -> Tensor:
    """The greatest common divisor of integers (``torch.gcd``).

    Parameters
    ----------
    input, other : Tensor or array_like
        Integers, broadcast together.
    """
    return _integers("gcd", np.gcd, input, other)


def lcm(input: Any, other: Any) -> Tensor:
    """The least common multiple of integers (``torch.lcm``).

    Parameters
    ----------
    input, other : Tensor or array_like
        Integers, broadcast together.
    """
    return _integers("lcm", np.lcm, input, other)


def _integers(op: str, fn: Any, input: Any, other: Any) -> Tensor:
    """``fn`` of two integer operands in torch's promoted dtype (a bool beside an integer is promoted;
    bools or floats alone are refused with torch's message: ``promotion.integer_operands``)."""
    dtype, operands = integer_operands(f"{op}_cpu", Tensor._node, input, other)
    return of_numbers(lambda a, b: fn(np.asarray(a, dtype), np.asarray(b, dtype)).astype(dtype), *operands)


def adjoint(input: Any) -> Any:
    """The last two dimensions swapped, a view (``torch.adjoint``: the conjugate is the same here).

    Parameters
    ----------
    input : Tensor
        At least 2-d.
    """
    return as_node(input, "transpose").mH


def real(input: Any) -> Any:
    """``input`` itself: its real part (``torch.real``; the numbers here are real).

    Parameters
    ----------
    input : Tensor
        The input.
    """
    return _tensor("real", input)


def resolve_conj(input: Any) -> Any:
    """``input`` itself (``torch.resolve_conj``: no lazy conjugation here).

    Parameters
    ----------
    input : Tensor
        The input.
    """
    return _tensor("resolve_conj", input)


def resolve_neg(input: Any) -> Any:
    """``input`` itself (``torch.resolve_neg``: no lazy negation here).

    Parameters
    ----------
    input : Tensor
        The input.
    """
    return _tensor("resolve_neg", input)


def is_conj(input: Any) -> bool:
    """False: no tensor here has a lazy conjugate bit (``torch.is_conj``).

    Parameters
    ----------
    input : Tensor
        The input.
    """
    _tensor("is_conj", input)
    return False


def is_neg(input: Any) -> bool:
    """False: no tensor here has a lazy negative bit (``torch.is_neg``).

    Parameters
    ----------
    input : Tensor
        The input.
    """
    _tensor("is_neg", input)
    return False


# -- questions about a tensor (numbers, no graph)
def is_floating_point(input: Any) -> bool:
    """Whether ``input``'s dtype is a floating one (float32, float64), as ``torch.is_floating_point``."""
    return _tensor("is_floating_point", input).data.dtype.kind == "f"


def is_complex(input: Any) -> bool:
    """Whether ``input``'s dtype is a complex one: never here (``torch.is_complex``)."""
    _tensor("is_complex", input)
    return False


def is_signed(input: Any) -> bool:
    """Whether ``input``'s dtype holds negative numbers (all but bool here), as ``torch.is_signed``."""
    return _tensor("is_signed", input).data.dtype.kind in "fi"


def is_nonzero(input: Any) -> bool:
    """Whether the one element of ``input`` is not zero, as ``torch.is_nonzero``.

    Raises
    ------
    RuntimeError
        ``input`` has no element or more than one (torch's errors).
    """
    data = _tensor("is_nonzero", input).data
    if data.size == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if data.size > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(data.reshape(()))


def is_same_size(input: Any, other: Any) -> bool:
    """Whether ``input`` and ``other`` have the same shape, as ``torch.is_same_size``."""
    return _tensor("is_same_size", input).data.shape == _tensor("is_same_size", other).data.shape


def _tensor(op: str, x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    return x


__all__ += ["isposinf", "isneginf", "signbit", "isreal", *_COMPARISONS]
__all__ += ["addmv", "addr", "baddbmm", "addbmm", "ger", "chain_matmul", "sgn", "float_power", "hardshrink"]
__all__ += ["is_floating_point", "is_complex", "is_signed", "is_nonzero", "is_same_size"]
__all__ += ["diagflat", "renorm", "take", "split_with_sizes", "unique_consecutive", "histogram"]
__all__ += ["matrix_power", "vander", "pdist", "ldexp", "nextafter", "gcd", "lcm", "adjoint", "real"]
__all__ += ["resolve_conj", "resolve_neg", "is_conj", "is_neg"]


class _Members:
    """The members that are no function's (``t.nelement()``, ``t.stride()``, ...)."""

    def nelement(self: Any) -> int:
        """The number of elements (``numel()``), as torch's ``nelement``."""
        return int(self.data.size)

    def ndimension(self: Any) -> int:
        """The number of dimensions (``dim()``), as torch's ``ndimension``."""
        return int(self.data.ndim)

    def element_size(self: Any) -> int:
        """The bytes of one element (8 for float64 and int64, 4 for float32, 1 for bool)."""
        return int(self.data.itemsize)

    @property
    def itemsize(self: Any) -> int:
        """The bytes of one element (``element_size()``), as torch's ``itemsize``."""
        return int(self.data.itemsize)

    @property
    def nbytes(self: Any) -> int:
        """The bytes of the elements (``numel() · itemsize``), as torch's ``nbytes`` (an expanded
        tensor's too, though its elements share memory)."""
        return int(self.data.size * self.data.itemsize)

    def stride(self: Any, dim: int | None = None) -> Any:
        """The step in elements between neighbours along each dimension (a tuple), or along
        ``dim``: numpy's strides divided by the element's bytes (0 along an expanded dimension).

        Raises
        ------
        IndexError
            ``dim`` is out of range.
        """
        steps = tuple(s // self.data.itemsize for s in self.data.strides)
        if dim is None:
            return steps
        n = self.data.ndim
        if not -builtins.max(n, 1) <= dim < builtins.max(n, 1):
            raise IndexError(
                f"stride(): Dimension out of range (expected to be in range of [{-builtins.max(n, 1)}, "
                f"{builtins.max(n, 1) - 1}], but got {dim})"
            )
        return steps[dim] if n else 1

    @property
    def is_cpu(self: Any) -> bool:
        """Whether this tensor lives on the CPU (torch's ``is_cpu``), as every tensor here does but a
        meta tensor."""
        return not _meta.is_meta(self.data)

    def get_device(self: Any) -> int:
        """-1, torch's answer for a CPU tensor (``get_device``)."""
        return -1

    def is_inference(self: Any) -> bool:
        """False: ``inference_mode`` here makes ordinary tensors (torch's ``is_inference``)."""
        return False

    @property
    def real(self: Any) -> Any:
        """The tensor itself, its own real part (torch's ``real`` of a real tensor)."""
        return self

    def new(self: Any, *args: Any) -> Any:
        """torch's legacy constructor in this tensor's dtype: ``new()`` an empty 1-d tensor,
        ``new(2, 3)`` (or a ``Size``) zeros of that shape (torch's are uninitialized), ``new(data)``
        a tensor of ``data``; ``new(t)`` of a tensor of this dtype shares its memory (no graph)."""
        from .factories import tensor, zeros
        from .torch_methods import Size

        dtype = self.data.dtype
        if not args:
            return zeros(0, dtype=dtype)
        if builtins.all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args) or (
            len(args) == 1 and isinstance(args[0], Size)
        ):
            return zeros(*args, dtype=dtype)
        if len(args) > 1:
            raise TypeError(f"new(): expected sizes (ints) or one sequence of data, got {args!r}")
        if isinstance(args[0], Tensor):  # (torch's: the same memory, no graph)
            if args[0].data.dtype != dtype:
                raise TypeError(
                    f"new(): expected a tensor of dtype {dtype} (this tensor's), got {args[0].data.dtype}"
                )
            return Tensor._node(args[0].data)
        return tensor(args[0], dtype=dtype)

    def unsafe_chunk(self: Any, chunks: int, dim: int = 0) -> tuple[Any, ...]:
        """``chunk`` (torch's unchecked form: the same pieces here)."""
        return self.chunk(chunks, dim)

    def unsafe_split(self: Any, split_size: Any, dim: int = 0) -> tuple[Any, ...]:
        """``split`` (torch's unchecked form: the same pieces here)."""
        return self.split(split_size, dim)

    def unsafe_split_with_sizes(self: Any, split_sizes: Any, dim: int = 0) -> tuple[Any, ...]:
        """``split_with_sizes`` (torch's unchecked form: the same pieces here)."""
        return split_with_sizes(self, split_sizes, dim)

    def storage_offset(self: Any) -> int:
        """Where this tensor's first element lies in the memory it shares with its base array, in
        elements (0 unless it is a view starting further on: ``x[1:]``)."""
        data, base = self.data, self.data
        while isinstance(base.base, np.ndarray):
            base = base.base
        if not data.size or base is data:
            return 0
        start = data.__array_interface__["data"][0] - base.__array_interface__["data"][0]
        return int(start // data.itemsize)


#: torch's questions of where and how a tensor is stored: False for every tensor here (numpy arrays
#: on the CPU: no accelerator, sparse layout, quantization or nesting)
NOT_HERE = """is_cuda is_sparse is_sparse_csr is_quantized is_mkldnn is_nested is_mps is_xla is_xpu
is_vulkan is_ipu is_maia is_mtia""".split()


def _false(name: str) -> property:
    def get(self: Any) -> bool:
        return False

    get.__doc__ = f"Always False, torch's ``{name}`` of a tensor here (a numpy array on the CPU)."
    return property(get)


def _is_pinned(self: Any) -> bool:
    """False: no pinned memory here (torch's ``is_pinned``)."""
    return False


def _is_shared(self: Any) -> bool:
    """False: no shared-memory tensors here (torch's ``is_shared``)."""
    return False


tensor_methods(**{n: _false(n) for n in NOT_HERE}, is_pinned=_is_pinned, is_shared=_is_shared)
tensor_methods(
    **{n: getattr(_Members, n) for n in ("nelement", "ndimension", "element_size", "stride")},
    storage_offset=_Members.storage_offset,
    is_cpu=_Members.__dict__["is_cpu"],
    real=_Members.__dict__["real"],
    **{n: getattr(_Members, n) for n in ("get_device", "is_inference", "new")},
    unsafe_chunk=_Members.unsafe_chunk,
    unsafe_split=_Members.unsafe_split,
    unsafe_split_with_sizes=_Members.unsafe_split_with_sizes,
    sum_to_size=_sum_to_size,
    itemsize=_Members.__dict__["itemsize"],
    nbytes=_Members.__dict__["nbytes"],
)

# torch's Tensor members of the functions (``t.isnan()``, ``t.addmm(a, b)``, ``t.eq(u)``)
tensor_methods(
    **{
        f.__name__: method_of(f)
        for f in (
            tf.isnan, tf.isinf, tf.isfinite, isposinf, isneginf, signbit, isreal,
            tf.bmm, tf.mv, tf.addmm, addmv, addr, baddbmm, addbmm, ger,
            tf.lerp, tf.dist, tf.addcmul, tf.addcdiv, tf.logit, tf.xlogy, tf.frac, sgn, float_power,
            hardshrink, tf.unique, tf.bincount, tf.histc, tf.heaviside, tf.allclose, tf.isclose, tf.equal,
            tf.msort, is_floating_point, is_complex, is_signed, is_nonzero, is_same_size,
            diagflat, renorm, split_with_sizes, unique_consecutive, histogram,
            matrix_power, ldexp, nextafter, gcd, lcm, adjoint, resolve_conj, resolve_neg, is_conj, is_neg,
        )
    },  # fmt: skip
    **{name: method_of(globals()[name]) for name in _COMPARISONS},
)


def unsafe_chunk(input: Any, chunks: int, dim: int = 0) -> tuple[Any, ...]:
    """``input.chunk(chunks, dim)`` (``torch.unsafe_chunk``: torch's unchecked form, the same pieces).

    Parameters
    ----------
    input : Tensor
        The input.
    chunks : int
        The number of pieces.
    dim : int
        The dimension (default 0).
    """
    return as_node(input, "chunk").chunk(chunks, dim)


def unsafe_split(input: Any, split_size: Any, dim: int = 0) -> tuple[Any, ...]:
    """``input.split(split_size, dim)`` (``torch.unsafe_split``: torch's unchecked form).

    Parameters
    ----------
    input : Tensor
        The input.
    split_size : int
        The pieces' length (the last may be shorter).
    dim : int
        The dimension (default 0).
    """
    return as_node(input, "split").split(split_size, dim)


def unsafe_split_with_sizes(input: Any, split_sizes: Any, dim: int = 0) -> tuple[Any, ...]:
    """:func:`split_with_sizes` (``torch.unsafe_split_with_sizes``: torch's unchecked form).

    Parameters
    ----------
    input : Tensor
        The input.
    split_sizes : sequence of int
        The pieces' lengths.
    dim : int
        The dimension (default 0).
    """
    return split_with_sizes(input, split_sizes, dim)


def get_device(input: Any) -> int:
    """-1, torch's answer for a CPU tensor (``torch.get_device``).

    Parameters
    ----------
    input : Tensor
        The input.
    """
    _tensor("get_device", input)
    return -1


def is_inference(input: Any) -> bool:
    """False: ``inference_mode`` here makes ordinary tensors (``torch.is_inference``).

    Parameters
    ----------
    input : Tensor
        The input.
    """
    _tensor("is_inference", input)
    return False


__all__ += ["unsafe_chunk", "unsafe_split", "unsafe_split_with_sizes", "get_device", "is_inference"]
