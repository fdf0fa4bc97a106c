"""Derivatives as values and as functions: ``grad`` (PyTorch's and JAX's), jacobian, hessian, hvp, jvp, vjp.

``grad`` is one name with two uses, told apart by its first argument:

- ``grad(outputs, inputs, grad_outputs=None, create_graph=False)`` with nodes
  (Value, Tensor, ValueArray) computes gradients now, with the semantics of
  ``torch.autograd.grad``: it returns a tuple, one gradient per input, and
  leaves every ``.grad`` untouched. With ``create_graph=True`` the gradients
  are nodes that can be differentiated again.
- ``grad(f, argnum=0)`` with a function returns a new function computing the
  gradient of the scalar ``f`` (HIPS autograd / JAX ``grad``). So do
  ``value_and_grad``, ``jacobian``, ``hessian``; ``hvp``, ``jvp`` and ``vjp``
  evaluate at a point.

The transforms take plain numbers or nodes. Numbers in, numbers out: a Python
float becomes a ``Value``, an array or list a float ``Tensor``, and the result
comes back as a float or an ndarray. Nodes in (or any call inside another
transform's function), nodes out: the result is part of the graph, so
transforms nest (``hessian`` is ``jacobian(grad(f))``) and never confuse the
variable of an inner derivative with an outer one.

Every derivative here comes from the engine's one set of rules, run again on
nodes (``create_graph``); ``jvp`` uses the double-VJP trick: the VJP
``u ↦ Jᵀu`` is linear in ``u``, and its VJP with ``t`` is ``J t``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Union

import numpy as np

from . import tensor as T
from . import value as V
from .tensor import Tensor
from .value import Value
from .value_array import ValueArray

Node = Union[Value, Tensor, ValueArray]
ArgNum = Union[int, Sequence[int]]
_depth: ContextVar[int] = ContextVar("autograd_transform_depth", default=0)


# ---------------------------------------------------------------------------
# torch.autograd.grad
# ---------------------------------------------------------------------------
def _as_list(x: Any, what: str) -> list[Any]:
    if isinstance(x, (Value, Tensor, ValueArray)):
        return [x]
    if isinstance(x, (list, tuple)) and x:
        return list(x)
    raise TypeError(
        f"grad: {what} must be a Value, Tensor or ValueArray, or a non-empty list of them; got {x!r}"
    )


def _family(nodes: Sequence[Any], what: str) -> str:
    kinds = set()
    for i, x in enumerate(nodes):
        if isinstance(x, (Value, ValueArray)):
            kinds.add("value")
        elif isinstance(x, Tensor):
            kinds.add("tensor")
        else:
            raise TypeError(
                f"grad: {what}[{i}] must be a Value, Tensor or ValueArray, got {type(x).__name__}"
            )
    return kinds.pop() if len(kinds) == 1 else "mixed"


def grad(
    outputs: Any,
    inputs: Any = None,
    grad_outputs: Any = None,
    create_graph: bool = False,
    allow_unused: bool = False,
    materialize_grads: bool = False,
    *,
    argnum: ArgNum = 0,
) -> Any:
    r"""Gradients of ``outputs`` with respect to ``inputs`` (``torch.autograd.grad``), or, given a
    function, its gradient function (``grad(f, argnum)``, as HIPS autograd and JAX).

    With nodes, the scalar :math:`\sum_k \langle u_k, \text{outputs}_k \rangle` (``u`` being
    ``grad_outputs``) is differentiated with respect to each input. ``.grad`` is left untouched.

    Parameters
    ----------
    outputs : Value, Tensor, ValueArray, sequence or callable
        What to differentiate; a callable ``f`` makes this a function transform.
    inputs : node or sequence of nodes
        What to differentiate with respect to (not used with a callable).
    grad_outputs : array_like or sequence, optional
        The vector :math:`u` of each output's shape; may be omitted for one-element outputs
        (it is then 1).
    create_graph : bool
        Build the gradients as graph nodes, so they can be differentiated again.
    allow_unused : bool
        Return None for an input the outputs do not depend on, instead of raising.
    materialize_grads : bool
        Return zeros instead of None for such inputs (with ``allow_unused``).
    argnum : int or sequence of int
        With a callable: which positional argument(s) to differentiate (default 0).

    Returns
    -------
    tuple or callable
        One gradient per input: a float or ndarray, or with ``create_graph`` a Value, Tensor or
        ValueArray. With a callable ``f``: the function computing ``f``'s gradient at its
        arguments (a tuple of gradients when ``argnum`` is a sequence).

    Raises
    ------
    RuntimeError
        If an input is not part of the outputs' graph and ``allow_unused`` is not set.
    ValueError
        If an output is not scalar and no ``grad_outputs`` is given, a ``grad_outputs`` entry has
        the wrong shape, or ``argnum`` is out of range.
    TypeError
        If a callable ``f`` does not return a scalar.

    Examples
    --------
    >>> from autograd import Value, grad
    >>> x = Value(3.0)
    >>> grad(x * x, [x])
    (6.0,)
    >>> grad(lambda x: x ** 3)(2.0)
    12.0
    """
    if callable(outputs) and not isinstance(outputs, (Value, Tensor, ValueArray)):
        if inputs is not None:
            raise TypeError("grad(f, argnum=0): pass argnum by keyword; grad(f) returns a function")
        return _grad_transform(outputs, argnum)
    if inputs is None:
        raise TypeError("grad(outputs, inputs): inputs is missing")
    outs, ins = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    family = _family(outs + ins, "outputs + inputs")
    if family == "mixed":
        raise TypeError("grad: outputs and inputs must all be Tensors or all Values/ValueArrays, not a mix")
    if grad_outputs is None:
        seeds: list[Any] = [None] * len(outs)
    else:
        seeds = (
            [grad_outputs]
            if len(outs) == 1 and not isinstance(grad_outputs, (list, tuple))
            else list(grad_outputs)
        )
        if len(seeds) != len(outs):
            raise ValueError(f"grad: got {len(seeds)} grad_outputs for {len(outs)} outputs")
    run = _grad_tensors if family == "tensor" else _grad_values
    return run(outs, ins, seeds, create_graph, allow_unused, materialize_grads)


def _unused(i: int, allow_unused: bool) -> None:
    if not allow_unused:
        raise RuntimeError(
            f"grad: input {i} is not part of the graph of the outputs (they do not depend on it); "
            "pass allow_unused=True to get None for it (and materialize_grads=True to get zeros)"
        )


def _grad_values(
    outs: list[Any], ins: list[Any], seeds: list[Any], create: bool, allow_unused: bool, materialize: bool
) -> tuple[Any, ...]:
    roots: list[Value] = []
    root_seeds: list[Any] = []
    for k, (out, seed) in enumerate(zip(outs, seeds)):
        elements = list(out.values.flat) if isinstance(out, ValueArray) else [out]
        if seed is None:
            if len(elements) != 1:
                raise ValueError(
                    f"grad: output {k} has shape {out.shape}; a non-scalar output needs grad_outputs "
                    "of that shape"
                )
            seed_elements: list[Any] = [1.0]
        else:
            seed_elements = _value_seed(seed, out, k, create)
        roots += elements
        root_seeds += seed_elements
    grads, topo = V.vjp_pass(roots, root_seeds, create)
    used = {id(x) for node in topo for x in node._prev} | {id(r) for r in roots}
    results: list[Any] = []
    for i, x in enumerate(ins):
        elements = list(x.values.flat) if isinstance(x, ValueArray) else [x]
        if not any(id(v) in used for v in elements):
            _unused(i, allow_unused)
            if not materialize:
                results.append(None)
                continue
        found = [grads.get(id(v), 0.0) for v in elements]
        if isinstance(x, Value):
            results.append(V.as_value(found[0]) if create else float(found[0]))
        elif create:
            results.append(ValueArray._wrap(_object_array([V.as_value(g) for g in found], x.shape)))
        else:
            results.append(np.array([float(g) for g in found], dtype=np.float64).reshape(x.shape))
    return tuple(results)


def _object_array(items: list[Any], shape: tuple[int, ...]) -> np.ndarray:
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return arr.reshape(shape)


def _value_seed(seed: Any, out: Any, k: int, create: bool) -> list[Any]:
    """The seed of each element of output ``k`` (a Value stays a node when building a graph)."""
    if isinstance(seed, Value):
        items: list[Any] = [seed]
    elif isinstance(seed, ValueArray):
        items = list(seed.values.flat)
    elif isinstance(seed, Tensor):
        items = list(seed.data.ravel())
    else:
        arr = np.asarray(seed)
        if arr.dtype == object:
            items = list(arr.ravel())
        else:
            items = list(np.asarray(arr, dtype=np.float64).ravel())
    shape = out.shape if isinstance(out, ValueArray) else ()
    if len(items) != int(np.prod(shape)):
        raise ValueError(
            f"grad: grad_outputs[{k}] must have output {k}'s shape {shape}, got {np.shape(seed)}"
        )
    return [s if (create and isinstance(s, Value)) else float(s) for s in items]


def _grad_tensors(
    outs: list[Tensor],
    ins: list[Tensor],
    seeds: list[Any],
    create: bool,
    allow_unused: bool,
    materialize: bool,
) -> tuple[Any, ...]:
    for k, out in enumerate(outs):
        if not out.requires_grad:
            raise RuntimeError(f"grad: output {k} does not require grad (it depends on no input that does)")
    for i, x in enumerate(ins):
        if not x.requires_grad:
            raise RuntimeError(f"grad: input {i} does not require grad (create it with requires_grad=True)")
    root_seeds = [
        T._seed(out, s, f"grad(grad_outputs[{k}])", keep_node=create)
        for k, (out, s) in enumerate(zip(outs, seeds))
    ]
    grads, topo = T.vjp_pass(outs, root_seeds, create)
    used = {id(x) for node in topo for x in node._prev} | {id(r) for r in outs}
    results: list[Any] = []
    for i, x in enumerate(ins):
        g = grads.get(id(x))
        if id(x) not in used:
            _unused(i, allow_unused)
            if not materialize:
                results.append(None)
                continue
        if g is None:
            g = np.zeros(x.data.shape, x.data.dtype)
        if create:
            results.append(g if isinstance(g, Tensor) else Tensor._node(np.asarray(g)))
        else:
            results.append(g.data if isinstance(g, Tensor) else g)
    return tuple(results)


# ---------------------------------------------------------------------------
# Function transforms (HIPS autograd / JAX)
# ---------------------------------------------------------------------------
@contextmanager
def _inside() -> Iterator[bool]:
    """While a transform evaluates its function; yields whether it is itself inside another."""
    token = _depth.set(_depth.get() + 1)
    try:
        yield _depth.get() > 1
    finally:
        _depth.reset(token)


def _prepare(x: Any, what: str) -> tuple[Node, bool]:
    """``x`` as a node to differentiate, and whether it was a plain number/array."""
    if isinstance(x, (Value, ValueArray)):
        return x, False
    if isinstance(x, Tensor):
        return (x, False) if x.requires_grad else (Tensor(x.data, requires_grad=True), False)
    if isinstance(x, (bool, np.bool_)) or x is None:
        raise TypeError(f"{what}: expected a number, array, Value, Tensor or ValueArray, got {x!r}")
    if isinstance(x, (int, float, np.floating, np.integer)):
        return Value(float(x)), True
    return Tensor(x, requires_grad=True, dtype=None if np.asarray(x).dtype.kind == "f" else np.float64), True


def _plain(x: Any) -> Any:
    """A node's numbers: a float for a Value, an ndarray otherwise."""
    if isinstance(x, Value):
        return x.data
    if isinstance(x, (Tensor, ValueArray)):
        return np.array(x.data)
    return x


def _scalar(out: Any, what: str) -> Any:
    if isinstance(out, Value) or (isinstance(out, (Tensor, ValueArray)) and out.size == 1):
        return out
    shape = getattr(out, "shape", ())
    raise TypeError(
        f"{what}: f must return a scalar (a Value, or a one-element Tensor/ValueArray); "
        f"got {type(out).__name__} of shape {shape} (use jacobian for a non-scalar f)"
    )


def _argnums(argnum: ArgNum, nargs: int, what: str) -> tuple[int, ...]:
    nums = (argnum,) if isinstance(argnum, int) else tuple(argnum)
    for n in nums:
        if not isinstance(n, int) or not -nargs <= n < nargs:
            raise ValueError(f"{what}: argnum {n!r} is out of range for {nargs} positional argument(s)")
    return tuple(n % nargs for n in nums)


def _differentiable(out: Any, x: Node) -> bool:
    """Whether ``out`` is a node that may depend on ``x`` (else its derivative is 0)."""
    if isinstance(out, Tensor):
        return out.requires_grad and isinstance(x, Tensor)
    return isinstance(out, (Value, ValueArray)) and isinstance(x, (Value, ValueArray))


def _zeros_like(x: Node, create: bool) -> Any:
    if isinstance(x, Value):
        return Value(0.0) if create else 0.0
    zeros = np.zeros(x.shape, x.data.dtype)
    if not create:
        return zeros
    return Tensor._node(zeros) if isinstance(x, Tensor) else ValueArray(zeros)


def _vjp_of(out: Any, xs: Sequence[Node], cotangent: Any, create: bool) -> list[Any]:
    """⟨cotangent, ∂out/∂x⟩ for each x, zeros where out does not depend on x."""
    live = [i for i, x in enumerate(xs) if _differentiable(out, x)]
    found = [_zeros_like(x, create) for x in xs]
    if live:
        grads = grad(
            out,
            [xs[i] for i in live],
            cotangent,
            create_graph=create,
            allow_unused=True,
            materialize_grads=True,
        )
        for i, g in zip(live, grads):
            found[i] = g
    return found


def _value_and_grads(f: Callable[..., Any], argnum: ArgNum, args: tuple, kwargs: dict, what: str) -> tuple:
    nums = _argnums(argnum, len(args), what)
    call = list(args)
    plain = []
    for n in nums:
        call[n], was_plain = _prepare(args[n], what)
        plain.append(was_plain)
    with _inside() as nested:
        out = _scalar(f(*call, **kwargs), what)
    create = nested or not all(plain)
    gs = _vjp_of(out, [call[n] for n in nums], None, create)
    if not create:
        gs = [_plain(g) for g in gs]
        out = float(np.asarray(_plain(out)).reshape(()))
    return out, (gs[0] if isinstance(argnum, int) else tuple(gs))


def _grad_transform(f: Callable[..., Any], argnum: ArgNum) -> Callable[..., Any]:
    def grad_f(*args: Any, **kwargs: Any) -> Any:
        return _value_and_grads(f, argnum, args, kwargs, "grad")[1]

    grad_f.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    grad_f.__doc__ = f"The gradient of {getattr(f, '__name__', 'f')} with respect to argument(s) {argnum}."
    return grad_f


def value_and_grad(f: Callable[..., Any], argnum: ArgNum = 0) -> Callable[..., tuple[Any, Any]]:
    """The function ``x ↦ (f(x), ∇f(x))`` for a scalar ``f``: one evaluation, one backward pass.

    Parameters
    ----------
    f : callable
        A function of numbers, arrays or nodes returning a scalar.
    argnum : int or sequence of int
        Which positional argument(s) to differentiate (default 0).

    Returns
    -------
    callable
        ``(*args) -> (value, gradient)``.
        Numbers in, numbers out: a float argument becomes a Value and an array a float64
        Tensor, and the result is a float or an ndarray; nodes in (or a call inside another
        transform) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        When called, if ``f`` does not return a scalar.
    """

    def value_and_grad_f(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        return _value_and_grads(f, argnum, args, kwargs, "value_and_grad")

    return value_and_grad_f


def _elements(out: Any) -> tuple[tuple[int, ...], int]:
    if isinstance(out, Value):
        return (), 1
    if isinstance(out, (Tensor, ValueArray)):
        return out.shape, out.size
    raise TypeError(f"jacobian: f must return a Value, Tensor or ValueArray, got {type(out).__name__}")


def _one_hot(out: Any, j: int) -> Any:
    if isinstance(out, Value):
        return None
    seed = np.zeros(out.size)
    seed[j] = 1.0
    return seed.reshape(out.shape)


def _assemble(rows: list[Any], out_shape: tuple[int, ...], x: Node, create: bool) -> Any:
    """Rows ∂out[j]/∂x (each of x's shape) as one array of shape out_shape + x.shape."""
    x_shape = x.shape if isinstance(x, (Tensor, ValueArray)) else ()
    shape = tuple(out_shape) + tuple(x_shape)
    if not create:  # (in x's dtype, as torch.func)
        dtype = x.data.dtype if isinstance(x, Tensor) else np.float64
        if not shape:
            return float(rows[0])
        return np.array([np.asarray(r, dtype=dtype) for r in rows]).reshape(shape)
    if isinstance(x, Tensor):
        return T.stack(rows).reshape(shape)
    items: list[Any] = []
    for r in rows:
        items += list(r.values.flat) if isinstance(r, ValueArray) else [V.as_value(r)]
    return items[0] if not shape else ValueArray._wrap(_object_array(items, shape))


def jacobian(f: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    """The function ``x ↦ ∂f(x)/∂x``, of shape ``f(x).shape + x.shape`` (``jax.jacrev``).

    Reverse mode: one vector-Jacobian product per output element.

    Parameters
    ----------
    f : callable
        A function of numbers, arrays or nodes.
    argnum : int
        Which positional argument to differentiate (default 0).

    Returns
    -------
    callable
        ``(*args) -> J``.
        Numbers in, numbers out: a float argument becomes a Value and an array a float64
        Tensor, and the result is a float or an ndarray; nodes in (or a call inside another
        transform) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        When called, if ``f`` does not return a Value, Tensor or ValueArray.
    """

    def jacobian_f(*args: Any, **kwargs: Any) -> Any:
        (n,) = _argnums(argnum, len(args), "jacobian")
        call = list(args)
        call[n], plain = _prepare(args[n], "jacobian")
        with _inside() as nested:
            out = f(*call, **kwargs)
        create = nested or not plain
        shape, size = _elements(out)
        rows = [_vjp_of(out, [call[n]], _one_hot(out, j), create)[0] for j in range(size)]
        return _assemble(rows, shape, call[n], create)

    return jacobian_f


def hessian(f: Callable[..., Any], argnum: int = 0) -> Callable[..., Any]:
    r"""The function ``x ↦ ∂²f(x)/∂x²`` of a scalar ``f``, of shape ``x.shape + x.shape``.

    It is ``jacobian(grad(f))``: the gradient is built with ``create_graph=True`` and
    differentiated once per element.

    .. math::

        H_{ij} = \frac{\partial^2 f}{\partial x_i\, \partial x_j}

    Parameters
    ----------
    f : callable
        A function of numbers, arrays or nodes returning a scalar.
    argnum : int
        Which positional argument to differentiate (default 0).

    Returns
    -------
    callable
        ``(*args) -> H``.
        Numbers in, numbers out: a float argument becomes a Value and an array a float64
        Tensor, and the result is a float or an ndarray; nodes in (or a call inside another
        transform) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        When called, if ``f`` does not return a scalar.
    """
    return jacobian(_grad_transform(f, argnum), argnum)


def hvp(f: Callable[..., Any], x: Any, v: Any) -> Any:
    r"""The Hessian-vector product :math:`\nabla^2 f(x)\, v` of a scalar ``f``, without forming the
    Hessian: the gradient of :math:`\langle \nabla f(x), v \rangle` (two backward passes).

    Parameters
    ----------
    f : callable
        A function returning a scalar.
    x : float, array_like or node
        The point.
    v : float, array_like or node
        The direction, ``x``'s shape.

    Returns
    -------
    float, numpy.ndarray or node
        :math:`H v`, ``x``'s shape (a node when ``x`` is one).

    Raises
    ------
    ValueError
        If ``v`` does not have ``x``'s shape.
    TypeError
        If ``f`` does not return a scalar.
    """
    xn, plain = _prepare(x, "hvp")
    with _inside() as nested:
        out = _scalar(f(xn), "hvp")
        (g,) = _vjp_of(out, [xn], None, True)
    create = nested or not plain
    hv = _vjp_of(g, [xn], _cotangent(v, g, "hvp(v)"), create)[0]
    return hv if create else _plain(hv)


def _cotangent(v: Any, like: Any, what: str) -> Any:
    """``v`` as the seed of a backward pass from ``like`` (checked against its shape)."""
    if isinstance(like, Value):
        if isinstance(v, Value):
            return v
        if np.size(v) != 1:
            raise ValueError(f"{what}: expected one number (the output is a scalar), got shape {np.shape(v)}")
        return float(np.asarray(_plain(v)).reshape(()))
    if isinstance(v, (Tensor, ValueArray)):
        return v
    arr = np.asarray(v, dtype=np.float64)
    if arr.shape != like.shape:
        raise ValueError(f"{what}: expected shape {like.shape}, got {arr.shape}")
    return arr


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    r"""``(f(*primals), vjp_fn)``, where ``vjp_fn(u)`` gives :math:`u^\top \partial f / \partial p` for
    every
    primal ``p`` (``jax.vjp``).

    Parameters
    ----------
    f : callable
        The function.
    *primals : float, array_like or node
        The point.

    Returns
    -------
    tuple
        ``(f(*primals), vjp_fn)``; ``vjp_fn(u)``, with ``u`` of the output's shape, returns a tuple
        with one array per primal.
    """
    xs, plains = zip(*(_prepare(x, "vjp") for x in primals)) if primals else ((), ())
    with _inside() as nested:
        out = f(*xs)
    create = nested or not all(plains)

    def vjp_fn(u: Any) -> tuple[Any, ...]:
        gs = _vjp_of(out, xs, _cotangent(u, out, "vjp_fn(u)"), create)
        return tuple(gs if create else map(_plain, gs))

    return (out if create else _plain(out)), vjp_fn


def _dummy(out: Any) -> Any:
    """A cotangent u of ``out``'s shape to build ``u ↦ Jᵀu`` on (its value does not matter)."""
    if isinstance(out, Value):
        return Value(0.0)
    if isinstance(out, ValueArray):
        return ValueArray(np.zeros(out.shape))
    return Tensor(np.zeros(out.shape, out.data.dtype), requires_grad=True)


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    r"""``(f(*primals), J·tangents)``: the directional derivative of ``f`` along ``tangents``
    (``jax.jvp``).

    Computed by the double-VJP trick: :math:`g(u) = J^\top u` is linear in :math:`u`, so the
    VJP of :math:`g` with the tangents is :math:`J t`.

    Parameters
    ----------
    f : callable
        The function.
    primals : sequence
        The point, one entry per argument of ``f``.
    tangents : sequence
        The direction, one entry per primal, of its shape.

    Returns
    -------
    tuple
        ``(f(*primals), J t)``, the second of the output's shape.

    Raises
    ------
    ValueError
        If a tangent does not have its primal's shape.
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primals and tangents must be tuples (one entry per argument of f)")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: got {len(primals)} primals and {len(tangents)} tangents")
    xs, plains = zip(*(_prepare(x, "jvp") for x in primals))
    with _inside() as nested:
        out = f(*xs)
        u = _dummy(out)
        gs = _vjp_of(out, xs, u, True)  # Jᵀu, a graph linear in u
    create = nested or not all(plains)
    live = [(g, _cotangent(t, g, f"jvp(tangents[{i}])")) for i, (g, t) in enumerate(zip(gs, tangents))]
    live = [(g, t) for g, t in live if _differentiable(g, u)]
    if live:
        (tangent_out,) = grad(
            [g for g, _ in live], [u], [t for _, t in live], create_graph=create, allow_unused=True,
            materialize_grads=True,
        )  # fmt: skip
    else:
        tangent_out = _zeros_like(u, create)
    if not create:
        return _plain(out), _plain(tangent_out)
    return out, tangent_out
