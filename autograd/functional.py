"""Derivatives as values and as functions: ``torch.autograd.grad``, and the function transforms of
``torch.func`` and JAX (grad, grad_and_value, value_and_grad, vjp, jvp, jacrev, jacfwd, hessian, hvp).

``grad`` is one name with two uses, told apart by its first argument:

- ``grad(outputs, inputs, grad_outputs=None, ...)`` with nodes (Value, Tensor, ValueArray)
  computes gradients now, as ``torch.autograd.grad`` (:func:`autograd_grad`): a tuple, one
  gradient per input, every ``.grad`` untouched. With ``create_graph=True`` the gradients are
  nodes that can be differentiated again.
- ``grad(f, argnums=0, has_aux=False)`` with a function returns the function computing the
  gradient of the scalar ``f``, as ``torch.func.grad`` and JAX (:func:`func_grad`).

The transforms take plain numbers or nodes. Numbers in, numbers out: a Python float becomes a
``Value``, an array or a list of numbers a float ``Tensor``, and the results come back as floats
and ndarrays. A Tensor that does not require grad is data, as in ``torch.func``: the results are
Tensors that do not require grad either. Nodes that require grad in (or any call inside another
transform's function), nodes out: the result is part of the graph, so transforms nest
(``hessian`` is ``jacrev(jacrev(f))``) and never confuse the variable of an inner derivative with
an outer one. Arguments and results may be tuples, lists
and dicts of these (pytrees, see :mod:`autograd.pytree`), as in ``torch.func``.

Every derivative comes from the engine's one set of rules, run again on nodes
(``create_graph``). Forward mode (``jvp``, ``jacfwd``) uses the double-VJP trick: the VJP
``u ↦ Jᵀu`` is linear in ``u``, and its VJP with a tangent ``t`` is ``J t``.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any, Union

import numpy as np

from . import _tensor as T
from .grad_mode import enable_grad, is_grad_enabled
from .gradients import (
    NODES,
    Node,
    NotScalarError,
    autograd_grad,
    backprop,
    kind_of,
    numbers_of,
    scalar_output,
    shape_of,
    stack_results,
)
from .pytree import (
    TreeSpec,
    is_input_leaf,
    is_number_list,
    tree_flatten,
    tree_flatten_as,
    tree_map,
    tree_unflatten,
)
from .value import Value
from .value_array import ValueArray

Tensor = T.Tensor
ArgNums = Union[int, Sequence[int]]
_depth: ContextVar[int] = ContextVar("autograd_transform_depth", default=0)


def grad(outputs: Any, *args: Any, **kwargs: Any) -> Any:
    r"""Gradients of ``outputs`` with respect to ``inputs`` (``torch.autograd.grad``), or, given a
    function, its gradient function (``torch.func.grad``, JAX's ``grad``).

    One name with two uses, told apart by the first argument:

    - ``grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, ...)``
      with nodes computes the gradients now, as :func:`autograd.autograd.grad`: the scalar
      :math:`\sum_k \langle u_k, \text{outputs}_k \rangle` (``u`` being ``grad_outputs``) is
      differentiated with respect to each input, and every ``.grad`` is left untouched;
    - ``grad(f, argnums=0, has_aux=False)`` with a function returns the function computing the
      gradient of the scalar ``f``, as :func:`autograd.func.grad` (``argnum=`` is the older
      spelling of ``argnums``).

    Parameters
    ----------
    outputs : node, sequence of nodes or callable
        What to differentiate; a callable makes this a function transform.
    *args, **kwargs
        The rest of that form's arguments (see the two functions above).

    Returns
    -------
    tuple or callable
        One gradient per input (floats and ndarrays, or nodes with ``create_graph=True``); or,
        given a function, its gradient function.

    Raises
    ------
    TypeError, ValueError, RuntimeError
        As :func:`autograd.autograd.grad` or :func:`autograd.func.grad`.

    Examples
    --------
    >>> from autograd import Value, grad
    >>> x = Value(3.0)
    >>> grad(x * x, [x])
    (6.0,)
    >>> grad(lambda x: x ** 3)(2.0)
    12.0
    """
    if callable(outputs) and not isinstance(outputs, NODES):
        return func_grad(outputs, *args, **kwargs)
    if not args and "inputs" not in kwargs:
        raise TypeError(
            f"grad: pass a function, grad(f), or outputs and inputs, grad(outputs, inputs); got "
            f"{type(outputs).__name__} alone"
        )
    return autograd_grad(outputs, *args, **kwargs)


# ---------------------------------------------------------------------------
# Pieces of the function transforms
# ---------------------------------------------------------------------------
def _evaluate(f: Callable[..., Any], args: Sequence[Any], kwargs: dict) -> tuple[Any, bool]:
    """``f(*args, **kwargs)`` with grad enabled (an outer ``no_grad`` does not reach ``f``, as in
    torch.func), and whether this transform is itself inside another's ``f``."""
    depth = _depth.get()
    token = _depth.set(depth + 1)
    try:
        if is_grad_enabled():
            return f(*args, **kwargs), depth > 0
        with enable_grad():
            return f(*args, **kwargs), depth > 0
    finally:
        _depth.reset(token)


def _checked_func(func: Any, what: str, name: str = "func") -> None:
    """``func`` checked: a function (TypeError naming it otherwise, not a later "object is not callable")."""
    if not callable(func) or isinstance(func, NODES):
        shown = repr(func) if len(repr(func)) < 40 else repr(func)[:37] + "..."
        raise TypeError(f"{what}: {name} must be a function, got {type(func).__name__} {shown}")


def _checked_argnums(argnums: Any, argnum: Any, what: str) -> int | tuple[int, ...]:
    """``argnums`` (or its older name ``argnum``) checked: an int or a non-empty tuple of distinct ints."""
    if argnum is not None:
        if argnums != 0:
            raise TypeError(f"{what}: pass argnums or argnum (its older name), not both")
        argnums = argnum

    def is_int(n: Any) -> bool:
        return isinstance(n, (int, np.integer)) and not isinstance(n, bool)

    if is_int(argnums):
        return int(argnums)
    if not isinstance(argnums, (tuple, list)) or not all(is_int(n) for n in argnums):
        raise TypeError(
            f"{what}: argnums must be an int or a tuple of ints, got {type(argnums).__name__} {argnums!r}"
        )
    if not argnums or len(set(argnums)) != len(argnums):
        raise ValueError(f"{what}: argnums must be a non-empty tuple of distinct ints, got {argnums!r}")
    return tuple(int(n) for n in argnums)


def _positions(argnums: int | tuple[int, ...], nargs: int, what: str) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else argnums
    found = tuple(n % nargs for n in nums if -nargs <= n < nargs)
    if len(found) != len(nums):
        raise ValueError(
            f"{what}: argnums={argnums!r} is out of range: f was called with {nargs} positional argument(s)"
        )
    if len(nums) > 1 and len(set(found)) != len(found):
        raise ValueError(f"{what}: argnums={argnums!r} names one argument twice")
    return found


def _prepare(x: Any, what: str, n: Any) -> tuple[Node, bool]:
    """``x`` (in argument ``n``) as a node to differentiate, and whether it was a plain number/array."""
    if isinstance(x, (Value, ValueArray)):
        return x, False
    if isinstance(x, Tensor):  # (one that does not require grad is data: its results are too, as torch.func)
        return (x, False) if x.requires_grad else (Tensor(x.data, requires_grad=True), True)
    if isinstance(x, (int, float, np.floating, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return Value(float(x)), True
    kind = np.asarray(x).dtype.kind if isinstance(x, (np.ndarray, list, tuple)) else ""
    if kind == "O" and all(isinstance(v, Value) for v in np.asarray(x).flat):
        return ValueArray(x), False
    if kind not in ("i", "u", "f"):
        shown = repr(x) if len(repr(x)) < 60 else repr(x)[:57] + "..."
        raise TypeError(
            f"{what}: argument {n} must be a number, an array of real numbers, a Value, Tensor or ValueArray "
            f"(or a tuple, list or dict of them); got {type(x).__name__} {shown}"
        )
    return Tensor(x, requires_grad=True, dtype=None if kind == "f" else np.float64), True


def _as_output(x: Any, what: str) -> Any:
    """A leaf of ``f``'s result: a node, a constant, or an object array of Values read as a ValueArray."""
    if isinstance(x, NODES) or isinstance(x, (int, float, np.number)):
        return x
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return x
    if (
        isinstance(x, np.ndarray)
        and x.dtype == object
        and all(isinstance(v, (Value, int, float, np.number)) for v in x.flat)
    ):
        return ValueArray(x)  # (numpy built an array of Values, e.g. np.array([x, 2 * x]))
    found = (
        f"a numpy array of {type(x.flat[0]).__name__}"
        if isinstance(x, np.ndarray) and x.size
        else (type(x).__name__)
    )
    raise TypeError(
        f"{what}: f must return Values, Tensors, ValueArrays or numbers (or tuples, lists or dicts of "
        f"them); got {found}. Join Tensors with autograd.stack or autograd.cat, not numpy"
    )


def _live(out: Any) -> bool:
    """Whether ``out`` is a node a gradient can flow back from (else it is a constant)."""
    return isinstance(out, (Value, ValueArray)) or (isinstance(out, Tensor) and out.requires_grad)


def _zeros_like(x: Node, create: bool) -> Any:
    if isinstance(x, Value):
        return Value(0.0) if create else 0.0
    zeros = np.zeros(x.shape, x.data.dtype)
    if not create:
        return zeros
    return Tensor._node(zeros) if isinstance(x, Tensor) else ValueArray(zeros)


def _zeros(shape: tuple[int, ...], like: Node, create: bool) -> Any:
    """Zeros of ``shape``: numbers (an array for a Tensor's, in its dtype: 0-d too), or a node of
    ``like``'s kind."""
    dtype = like.data.dtype if isinstance(like, Tensor) else np.float64
    if not create:
        return np.zeros(shape, dtype) if shape or isinstance(like, Tensor) else 0.0
    if isinstance(like, Tensor):
        return Tensor._node(np.zeros(shape, dtype))
    return ValueArray(np.zeros(shape)) if shape else Value(0.0)


def _numbers_like(g: Any, x: Node) -> Any:
    """A gradient computed without a graph as ``x``'s kind of numbers: a float for a Value, a new
    array in ``x``'s dtype for a Tensor (0-d too, never a numpy scalar, never the memory of an
    input or of another result: the engine may hand back a seed or a leaf's array itself)."""
    if isinstance(x, Value):
        return float(g)
    if isinstance(x, Tensor):
        return np.array(g, dtype=x.data.dtype)
    return g


def _pullback(outs: Sequence[Any], cts: Sequence[Any], xs: Sequence[Node], create: bool) -> list[Any]:
    """``Σₖ ⟨cts[k], ∂outs[k]/∂x⟩`` for each ``x`` in ``xs``, zeros where no output depends on it."""
    found: list[Any] = [None] * len(xs)
    for kind in ("tensor", "value"):
        ks = [k for k, out in enumerate(outs) if _live(out) and kind_of(out) == kind]
        js = [j for j, x in enumerate(xs) if kind_of(x) == kind] if ks else []
        if js:
            gs = backprop([outs[k] for k in ks], [xs[j] for j in js], [cts[k] for k in ks], create)
            for j, g in zip(js, gs):
                found[j] = g
    if create:
        return [_zeros_like(x, create) if g is None else g for g, x in zip(found, xs)]
    return [_zeros_like(x, create) if g is None else _numbers_like(g, x) for g, x in zip(found, xs)]


def _seed_like(v: Any, out: Any, what: str) -> Any:
    """``v`` as the seed of a backward pass from ``out``: its shape checked (RuntimeError, as torch)."""
    if shape_of(v) != shape_of(out):
        raise RuntimeError(f"{what}: Mismatch in shape: got {shape_of(v)}, expected {shape_of(out)}")
    if isinstance(v, NODES):
        return v
    if isinstance(out, Value):
        return float(T.as_float_array(v, np.float64, what))
    return T.as_float_array(v, np.float64, what)


def _one_hot(like: Any, j: int) -> Any:
    """The seed selecting element ``j`` of ``like`` (None, meaning 1, for a Value)."""
    if isinstance(like, Value):
        return None
    seed = np.zeros(math.prod(shape_of(like)))
    seed[j] = 1.0
    return seed.reshape(shape_of(like))


def _dummy(out: Any) -> Any:
    """A cotangent ``u`` of ``out``'s shape to build ``u ↦ Jᵀu`` on: ones. (Jᵀu is linear in ``u``, so
    its VJP does not depend on ``u``; but a rule may compute it piecewise in the signs of ``u``, as
    logcumsumexp's sums u's positive and negative parts in logs, and at ``u = 0`` every piece is
    masked out: a zero seed gave a JVP of 0.)"""
    if isinstance(out, Value):
        return Value(1.0)
    if isinstance(out, ValueArray):
        return ValueArray(np.ones(out.shape))
    return Tensor(np.ones(out.shape, out.data.dtype), requires_grad=True)


def _block(rows: list[Any], out_shape: tuple[int, ...], x: Node, create: bool, columns: bool = False) -> Any:
    """One Jacobian block ``∂out/∂x`` of shape ``out.shape + x.shape``, from the rows ``∂out[j]/∂x``
    (each x-shaped), or with ``columns`` from the columns ``∂out/∂x[j]`` (each out-shaped)."""
    x_shape = shape_of(x)
    shape = out_shape + x_shape
    if not create and not shape:
        return _numbers_like(rows[0], x)
    if len(rows) == 1 and not (x_shape if columns else out_shape):
        return rows[0]
    if not rows:
        return _zeros(shape, x, create)
    stacked = stack_results(rows)
    if not create and isinstance(x, Tensor):
        stacked = stacked.astype(x.data.dtype)  # (in x's dtype, as torch.func)
    if columns and out_shape:  # (x.size,) + out_shape -> out_shape + (x.size,)
        stacked = stacked.transpose(*range(1, len(out_shape) + 1), 0)
    return stacked.reshape(shape)


class _Traced:
    """``f`` evaluated with the arguments ``argnums`` as nodes (the leaves of each, flattened)."""

    def __init__(
        self, f: Callable[..., Any], args: tuple, kwargs: dict, argnums: Any, has_aux: bool, what: str
    ) -> None:
        call = list(args)
        self.argnums = argnums
        self.inputs: list[tuple[TreeSpec, list[Node]]] = []
        plain, self.tensors_in = True, False
        for n in _positions(argnums, len(args), what):
            leaves, spec = tree_flatten(args[n], is_input_leaf)
            nodes = []
            for x in leaves:
                self.tensors_in = self.tensors_in or isinstance(x, Tensor)
                node, was_plain = _prepare(x, what, n)
                nodes.append(node)
                plain = plain and was_plain
            call[n] = tree_unflatten(nodes, spec)
            self.inputs.append((spec, nodes))
        self.xs = [x for _, nodes in self.inputs for x in nodes]
        result, nested = _evaluate(f, call, kwargs)
        self.create = nested or not plain
        if has_aux and not (isinstance(result, tuple) and len(result) == 2):
            raise TypeError(
                f"{what}: with has_aux=True, f must return a tuple (output, aux); got {type(result).__name__}"
            )
        out, self.aux = result if has_aux else (result, None)
        leaves, self.out_spec = tree_flatten(out)
        self.outs = [_as_output(x, what) for x in leaves]

    def like(self, out: Any) -> Node:
        """The node whose kind and dtype a constant output's zero tangent takes: the output if it is
        a Tensor, else a Tensor input if there is one (else the first input)."""
        if isinstance(out, Tensor):
            return out
        return next((x for x in self.xs if isinstance(x, Tensor)), self.xs[0] if self.xs else Value(0.0))

    def per_argument(self, leaves: list[Any]) -> Any:
        """Values for the flattened inputs, regrouped like the arguments (a tuple if argnums is)."""
        if isinstance(self.argnums, int) and len(leaves) == 1 and self.inputs[0][0].kind is None:
            return leaves[0]  # (the common case: one argument, one leaf)
        items = iter(leaves)
        trees = [tree_unflatten([next(items) for _ in nodes], spec) for spec, nodes in self.inputs]
        return trees[0] if isinstance(self.argnums, int) else tuple(trees)

    def finish(self, tree: Any) -> Any:
        """Numbers out when numbers came in; Tensors that do not require grad when such Tensors came
        in (torch.func's: no graph back to data)."""
        if self.create:
            return tree
        return tree_map(_data_tensor if self.tensors_in else numbers_of, tree)

    def output(self) -> Any:
        return self.finish(tree_unflatten(self.outs, self.out_spec))

    def with_aux(self, result: Any, has_aux: bool) -> Any:
        return (result, self.finish(self.aux)) if has_aux else result


def _data_tensor(x: Any) -> Any:
    """A node's or an array's numbers as a Tensor that does not require grad (anything else as it is)."""
    if isinstance(x, (*NODES, np.ndarray, np.floating)):
        return Tensor._node(np.array(numbers_of(x)))
    return x


def _named(fn: Callable[..., Any], transform: str, f: Callable[..., Any], argnums: Any) -> Callable[..., Any]:
    name = getattr(f, "__name__", "f")
    fn.__name__ = fn.__qualname__ = f"{transform}({name})"
    fn.__doc__ = f"{transform} of {name} with respect to argument(s) {argnums}."
    return fn


# ---------------------------------------------------------------------------
# The transforms
# ---------------------------------------------------------------------------
def _grad_value(
    f: Callable[..., Any], argnums: Any, has_aux: bool, args: tuple, kwargs: dict, what: str
) -> tuple[Any, Any, _Traced]:
    """(gradients, value, trace) of a scalar ``f``: one evaluation, one backward pass."""
    t = _Traced(f, args, kwargs, argnums, has_aux, what)
    if len(t.outs) != 1:
        raise TypeError(f"{what}: f must return a scalar, got a {t.out_spec} structure of outputs")
    out = scalar_output(t.outs[0], what)
    grads = t.finish(t.per_argument(_pullback([out], [None], t.xs, t.create)))
    return grads, t.finish(out), t  # (a float for a Value, an array for a Tensor: 0-d too)


def func_grad(
    func: Callable[..., Any], argnums: ArgNums = 0, has_aux: bool = False, *, argnum: ArgNums | None = None
) -> Callable[..., Any]:
    """The gradient function of a scalar ``func``: :func:`autograd.func.grad` and the function
    form of :func:`autograd.grad`, which also take ``argnum=``, the older name of ``argnums``.

    Parameters
    ----------
    func : callable
        Returns a scalar (a Value, a one-element Tensor or ValueArray), or ``(scalar, aux)``
        with ``has_aux``.
    argnums : int or tuple of int
        The positional argument(s) to differentiate (default 0). Each may be a number, an array,
        a node, or a tuple, list or dict of them.
    has_aux : bool
        ``func`` returns ``(output, aux)``; ``aux`` is returned beside the result, untouched.
    argnum : int or tuple of int, optional
        The older name of ``argnums`` (HIPS autograd's); give one of the two.

    Returns
    -------
    callable
        A function of ``func``'s arguments returning the gradient (with the argument's
        structure; a tuple of them for a tuple ``argnums``), or ``(gradient, aux)``.
        Numbers in, numbers out: a float argument becomes a Value and an array a float Tensor, and
        the results come back as floats and ndarrays; nodes in (or a call inside another
        transform's function) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        At once, if ``func`` is not a function or ``argnums`` is not an int or a tuple of ints (or
        both ``argnums`` and ``argnum`` are given); when called, if an argument is not a number,
        array or node.
    ValueError
        When called, if ``argnums`` is out of range or names one argument twice.
    TypeError
        When called, if ``func`` does not return a scalar.
    """
    _checked_func(func, "grad")
    argnums = _checked_argnums(argnums, argnum, "grad")

    def grad_f(*args: Any, **kwargs: Any) -> Any:
        grads, _, t = _grad_value(func, argnums, has_aux, args, kwargs, "grad")
        return t.with_aux(grads, has_aux)

    return _named(grad_f, "grad", func, argnums)


def grad_and_value(
    func: Callable[..., Any], argnums: ArgNums = 0, has_aux: bool = False, *, argnum: ArgNums | None = None
) -> Callable[..., tuple[Any, Any]]:
    """The function returning ``(gradient, value)`` of a scalar ``func`` (``torch.func.grad_and_value``):
    one evaluation, one backward pass.

    Parameters
    ----------
    func : callable
        Returns a scalar, or ``(scalar, aux)`` with ``has_aux``.
    argnums : int or tuple of int
        The positional argument(s) to differentiate (default 0). Each may be a number, an array,
        a node, or a tuple, list or dict of them.
    has_aux : bool
        ``func`` returns ``(output, aux)``; ``aux`` is returned beside the result, untouched.
    argnum : int or tuple of int, optional
        The older name of ``argnums`` (HIPS autograd's); give one of the two.

    Returns
    -------
    callable
        ``(*args) -> (gradient, value)``, or ``(gradient, (value, aux))`` with ``has_aux``.
        Numbers in, numbers out: a float argument becomes a Value and an array a float Tensor, and
        the results come back as floats and ndarrays; nodes in (or a call inside another
        transform's function) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        At once, if ``func`` is not a function or ``argnums`` is not an int or a tuple of ints (or
        both ``argnums`` and ``argnum`` are given); when called, if an argument is not a number,
        array or node.
    ValueError
        When called, if ``argnums`` is out of range or names one argument twice.
    TypeError
        When called, if ``func`` does not return a scalar.

    Examples
    --------
    >>> from autograd.func import grad_and_value
    >>> grad_and_value(lambda x: x ** 2)(3.0)
    (6.0, 9.0)
    """
    _checked_func(func, "grad_and_value")
    argnums = _checked_argnums(argnums, argnum, "grad_and_value")

    def grad_and_value_f(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        grads, value, t = _grad_value(func, argnums, has_aux, args, kwargs, "grad_and_value")
        return grads, t.with_aux(value, has_aux)

    return _named(grad_and_value_f, "grad_and_value", func, argnums)


def value_and_grad(
    func: Callable[..., Any], argnums: ArgNums = 0, has_aux: bool = False, *, argnum: ArgNums | None = None
) -> Callable[..., tuple[Any, Any]]:
    """The function returning ``(value, gradient)`` of a scalar ``func``, in JAX's order: one
    evaluation, one backward pass (:func:`autograd.func.grad_and_value` is torch's order).

    Parameters
    ----------
    func : callable
        Returns a scalar, or ``(scalar, aux)`` with ``has_aux``.
    argnums : int or tuple of int
        The positional argument(s) to differentiate (default 0). Each may be a number, an array,
        a node, or a tuple, list or dict of them.
    has_aux : bool
        ``func`` returns ``(output, aux)``; ``aux`` is returned beside the result, untouched.
    argnum : int or tuple of int, optional
        The older name of ``argnums`` (HIPS autograd's); give one of the two.

    Returns
    -------
    callable
        ``(*args) -> (value, gradient)``, or ``((value, aux), gradient)`` with ``has_aux``.
        Numbers in, numbers out: a float argument becomes a Value and an array a float Tensor, and
        the results come back as floats and ndarrays; nodes in (or a call inside another
        transform's function) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        At once, if ``func`` is not a function or ``argnums`` is not an int or a tuple of ints (or
        both ``argnums`` and ``argnum`` are given); when called, if an argument is not a number,
        array or node.
    ValueError
        When called, if ``argnums`` is out of range or names one argument twice.
    TypeError
        When called, if ``func`` does not return a scalar.

    Examples
    --------
    >>> from autograd import value_and_grad
    >>> value_and_grad(lambda x, y: x * y, argnums=(0, 1))(2.0, 3.0)
    (6.0, (3.0, 2.0))
    """
    _checked_func(func, "value_and_grad")
    argnums = _checked_argnums(argnums, argnum, "value_and_grad")

    def value_and_grad_f(*args: Any, **kwargs: Any) -> tuple[Any, Any]:
        grads, value, t = _grad_value(func, argnums, has_aux, args, kwargs, "value_and_grad")
        return t.with_aux(value, has_aux), grads

    return _named(value_and_grad_f, "value_and_grad", func, argnums)


def vjp(func: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple[Any, ...]:
    r"""``(func(*primals), vjp_fn)``, where ``vjp_fn(u)`` gives :math:`u^\top \partial f / \partial p`
    for every primal ``p`` (``torch.func.vjp``, ``jax.vjp``).

    Parameters
    ----------
    func : callable
        Returns nodes or numbers, or a tuple, list or dict of them (a numpy array of Values
        counts as a ValueArray).
    *primals : float, array_like, node or tuple
        The point (each may also be a tuple, list or dict of these).
    has_aux : bool
        ``func`` returns ``(output, aux)``; then ``(output, vjp_fn, aux)`` is returned.

    Returns
    -------
    tuple
        ``(output, vjp_fn)`` or ``(output, vjp_fn, aux)``. ``vjp_fn(cotangents)``, given
        cotangents with the output's structure and shapes, returns a tuple with one result per
        primal; an output that is a constant contributes zero.

    Raises
    ------
    TypeError
        If ``func`` is not a function, a primal is not a number, array or node, or ``func``
        returns something else.
    RuntimeError
        (``vjp_fn``) If the cotangents' structure or shapes differ from the output's.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import vjp
    >>> out, vjp_fn = vjp(lambda x: x ** 2, np.array([1.0, 2.0]))
    >>> vjp_fn(np.array([1.0, 1.0]))
    (array([2., 4.]),)
    """
    _checked_func(func, "vjp")
    t = _Traced(func, primals, {}, tuple(range(len(primals))), has_aux, "vjp")

    def vjp_fn(cotangents: Any) -> tuple[Any, ...]:
        try:
            cts = tree_flatten_as(t.out_spec, cotangents)
        except ValueError as e:
            raise RuntimeError(f"vjp_fn(cotangents): cotangents must match the output: {e}") from None
        seeds = [
            _seed_like(u, out, f"vjp_fn(cotangents, leaf {k})") for k, (u, out) in enumerate(zip(cts, t.outs))
        ]
        return t.finish(t.per_argument(_pullback(t.outs, seeds, t.xs, t.create)))

    return (t.output(), vjp_fn, t.finish(t.aux)) if has_aux else (t.output(), vjp_fn)


def _tangents_as_inputs(t: _Traced, tangents: Sequence[Any], what: str) -> list[Any]:
    """The tangents flattened like the primals, each checked against its primal's shape."""
    try:
        ts = [v for (spec, _), tree in zip(t.inputs, tangents) for v in tree_flatten_as(spec, tree)]
    except ValueError as e:
        raise RuntimeError(f"{what}: tangents must have the primals' structure: {e}") from None
    return [_seed_like(v, x, f"{what}(tangents, leaf {i})") for i, (v, x) in enumerate(zip(ts, t.xs))]


def jvp(
    func: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], *, has_aux: bool = False
) -> tuple[Any, ...]:
    r"""``(func(*primals), J·tangents)``: the directional derivative of ``func`` along ``tangents``
    (``torch.func.jvp``, ``jax.jvp``).

    Computed by the double-VJP trick: :math:`g(u) = J^\top u` is linear in :math:`u`, so the VJP
    of :math:`g` with the tangents is :math:`J t` (three reverse passes, no forward-mode rules).

    Parameters
    ----------
    func : callable
        As for :func:`vjp`.
    primals : tuple
        The point, one entry per positional argument of ``func``.
    tangents : tuple
        The direction, with the primals' structure and shapes.
    has_aux : bool
        ``func`` returns ``(output, aux)``; then ``(output, tangent, aux)`` is returned.

    Returns
    -------
    tuple
        ``(output, tangent_out)`` (or with aux), the tangent with the output's structure; zero
        for a constant output.

    Raises
    ------
    TypeError
        If ``func`` is not a function, or ``primals`` or ``tangents`` is not a tuple.
    RuntimeError
        If the tangents' number, structure or shapes differ from the primals'.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import jvp
    >>> jvp(lambda x: x ** 2, (np.array([1.0, 2.0]),), (np.array([1.0, 1.0]),))
    (array([1., 4.]), array([2., 4.]))
    """
    _checked_func(func, "jvp")
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            "jvp: primals and tangents must be tuples (one entry per argument of f), e.g. "
            f"jvp(f, (x,), (t,)); got {type(primals).__name__} and {type(tangents).__name__}"
        )
    if len(primals) != len(tangents):
        raise RuntimeError(f"jvp: got {len(primals)} primals and {len(tangents)} tangents")
    t = _Traced(func, tuple(primals), {}, tuple(range(len(primals))), has_aux, "jvp")
    ts = _tangents_as_inputs(t, tangents, "jvp")
    live = [out for out in t.outs if _live(out)]
    us = [_dummy(out) for out in live]
    gs = _pullback(live, us, t.xs, True)  # Jᵀu: a graph linear in u
    found = iter(_pullback(gs, ts, us, t.create))
    tangent = [next(found) if _live(out) else _zeros(shape_of(out), t.like(out), t.create) for out in t.outs]
    result = (t.output(), t.finish(tree_unflatten(tangent, t.out_spec)))
    return (*result, t.finish(t.aux)) if has_aux else result


def _jacobian(t: _Traced, forward: bool) -> Any:
    """The Jacobian blocks ∂out/∂x for every output leaf and input leaf of ``t``, regrouped."""
    blocks = [[None] * len(t.xs) for _ in t.outs]
    live = [k for k, out in enumerate(t.outs) if _live(out)]
    if forward:  # column j of ∂out/∂x is J e_j: the VJP of u ↦ Jᵀu with e_j
        us = [_dummy(t.outs[k]) for k in live]
        gs = _pullback([t.outs[k] for k in live], us, t.xs, True)
        for i, (x, g) in enumerate(zip(t.xs, gs)):
            cols = [_pullback([g], [_one_hot(x, j)], us, t.create) for j in range(math.prod(shape_of(x)))]
            for n, k in enumerate(live):
                blocks[k][i] = _block([c[n] for c in cols], shape_of(t.outs[k]), x, t.create, columns=True)
    else:  # row j is the VJP with e_j
        for k in live:
            out = t.outs[k]
            size = math.prod(shape_of(out))
            rows = [_pullback([out], [_one_hot(out, j)], t.xs, t.create) for j in range(size)]
            for i, x in enumerate(t.xs):
                blocks[k][i] = _block([r[i] for r in rows], shape_of(out), x, t.create)
    for k, out in enumerate(t.outs):
        if k not in live:
            blocks[k] = [_zeros(shape_of(out) + shape_of(x), x, t.create) for x in t.xs]
    return t.finish(tree_unflatten([t.per_argument(row) for row in blocks], t.out_spec))


def _jacobian_transform(
    func: Callable[..., Any], argnums: Any, has_aux: bool, forward: bool, what: str
) -> Callable[..., Any]:
    _checked_func(func, what)
    def jacobian_f(*args: Any, **kwargs: Any) -> Any:
        t = _Traced(func, args, kwargs, argnums, has_aux, what)
        return t.with_aux(_jacobian(t, forward), has_aux)

    return _named(jacobian_f, what, func, argnums)


def jacrev(
    func: Callable[..., Any],
    argnums: ArgNums = 0,
    *,
    has_aux: bool = False,
    chunk_size: int | None = None,
    argnum: ArgNums | None = None,
) -> Callable[..., Any]:
    """The Jacobian function of ``func`` by reverse mode, one VJP per output element
    (``torch.func.jacrev``, ``jax.jacrev``).

    Parameters
    ----------
    func : callable
        As for :func:`vjp`.
    argnums : int or tuple of int
        The positional argument(s) to differentiate (default 0). Each may be a number, an array,
        a node, or a tuple, list or dict of them.
    has_aux : bool
        ``func`` returns ``(output, aux)``; the function then returns ``(jacobian, aux)``.
    chunk_size : int, optional
        Accepted for torch's signature (rows are computed one at a time).
    argnum : int or tuple of int, optional
        The older name of ``argnums`` (HIPS autograd's); give one of the two.

    Returns
    -------
    callable
        For each output leaf, the block ``∂out/∂x`` of shape ``out.shape + x.shape`` (in x's
        dtype) for each input leaf, nested as the output, then as the arguments (a tuple for a
        tuple ``argnums``). A constant output gives zeros. Numbers in, numbers out: a float
        argument becomes a Value and an array a float Tensor, and the results come back as
        floats and ndarrays; nodes in (or a call inside another transform's function) give
        nodes out, so transforms nest.

    Raises
    ------
    TypeError
        At once, if ``func`` is not a function or ``argnums`` is not an int or a tuple of ints (or
        both ``argnums`` and ``argnum`` are given); when called, if an argument is not a number,
        array or node.
    ValueError
        When called, if ``argnums`` is out of range or names one argument twice.
    """
    return _jacobian_transform(func, _checked_argnums(argnums, argnum, "jacrev"), has_aux, False, "jacrev")


def jacobian(
    func: Callable[..., Any], argnums: ArgNums = 0, *, argnum: ArgNums | None = None
) -> Callable[..., Any]:
    """The Jacobian function of ``func``, ``x ↦ ∂f(x)/∂x`` of shape ``f(x).shape + x.shape``
    (HIPS autograd's name for :func:`autograd.func.jacrev`: reverse mode, one VJP per output
    element).

    Parameters
    ----------
    func : callable
        A function of numbers, arrays or nodes (or tuples, lists and dicts of them).
    argnums : int or tuple of int
        The positional argument(s) to differentiate (default 0). Each may be a number, an array,
        a node, or a tuple, list or dict of them.
    argnum : int or tuple of int, optional
        The older name of ``argnums`` (HIPS autograd's); give one of the two.

    Returns
    -------
    callable
        ``(*args) -> J``, nested as :func:`autograd.func.jacrev` says for several outputs or
        inputs. Numbers in, numbers out: a float argument becomes a Value and an array a float Tensor, and
        the results come back as floats and ndarrays; nodes in (or a call inside another
        transform's function) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        At once, if ``func`` is not a function or ``argnums`` is not an int or a tuple of ints (or
        both ``argnums`` and ``argnum`` are given); when called, if an argument is not a number,
        array or node.
    ValueError
        When called, if ``argnums`` is out of range or names one argument twice.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import jacobian
    >>> jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    return _jacobian_transform(func, _checked_argnums(argnums, argnum, "jacobian"), False, False, "jacobian")


def jacfwd(
    func: Callable[..., Any],
    argnums: ArgNums = 0,
    has_aux: bool = False,
    *,
    randomness: str = "error",
    argnum: ArgNums | None = None,
) -> Callable[..., Any]:
    """The Jacobian function of ``func`` column by column, one JVP per input element
    (``torch.func.jacfwd``, ``jax.jacfwd``).

    The engine has reverse mode only: each column ``J e_j`` is the double-VJP trick (see
    :func:`jvp`) on one graph of ``u ↦ Jᵀu`` built once, so the numbers equal
    :func:`autograd.func.jacrev`'s; it is the cheaper choice when the inputs have fewer
    elements than the outputs.

    Parameters
    ----------
    func : callable
        As for :func:`vjp`.
    argnums : int or tuple of int
        The positional argument(s) to differentiate (default 0). Each may be a number, an array,
        a node, or a tuple, list or dict of them.
    has_aux : bool
        ``func`` returns ``(output, aux)``; ``aux`` is returned beside the result, untouched.
    randomness : str
        Accepted for torch's signature (nothing is vectorised).
    argnum : int or tuple of int, optional
        The older name of ``argnums`` (HIPS autograd's); give one of the two.

    Returns
    -------
    callable
        As :func:`autograd.func.jacrev`'s.

    Raises
    ------
    TypeError
        At once, if ``func`` is not a function or ``argnums`` is not an int or a tuple of ints (or
        both ``argnums`` and ``argnum`` are given); when called, if an argument is not a number,
        array or node.
    ValueError
        When called, if ``argnums`` is out of range or names one argument twice.
    """
    return _jacobian_transform(func, _checked_argnums(argnums, argnum, "jacfwd"), has_aux, True, "jacfwd")


def hessian(
    func: Callable[..., Any], argnums: ArgNums = 0, *, argnum: ArgNums | None = None
) -> Callable[..., Any]:
    r"""The Hessian function of ``func``, of shape ``out.shape + x.shape + x.shape``
    (``x.shape + x.shape`` for a scalar ``func``; ``torch.func.hessian``).

    .. math::

        H_{ij} = \frac{\partial^2 f}{\partial x_i\, \partial x_j}

    torch builds it as ``jacfwd(jacrev(func))``; here forward mode is itself made of reverse
    passes, so it is ``jacrev(jacrev(func))``: the gradient is built with ``create_graph=True``
    and differentiated again, with the same numbers and fewer passes. With ``func`` compiled
    (:func:`autograd.compile`) and ``x`` a Tensor or an array, one HVP is generated and run on all
    the unit vectors at once (no loop of graph builds); the result then has no graph.

    Parameters
    ----------
    func : callable
        As for :func:`autograd.func.jacrev` (no aux).
    argnums : int or tuple of int
        As for :func:`autograd.func.jacrev`; with a tuple the result is nested ``H[i][j]``.
    argnum : int or tuple of int, optional
        The older name of ``argnums``.

    Returns
    -------
    callable
        ``(*args) -> H``. Numbers in, numbers out; nodes in, nodes out (see :func:`autograd.jacobian`).

    Raises
    ------
    TypeError, ValueError
        As :func:`autograd.func.jacrev`.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import hessian
    >>> hessian(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    argnums = _checked_argnums(argnums, argnum, "hessian")
    if argnums == 0 and _compiled(func):  # one HVP compiled, replayed for every unit vector
        from .compiled.higher import hessian as compiled_hessian

        def hessian_f(x: Any) -> Any:
            if not _array_like(x):
                return eager(x)
            try:
                return compiled_hessian(func, x)
            except NotScalarError:  # (a Hessian of each output element, as torch.func.hessian)
                return _jacobian_transform(inner_fn, 0, False, False, "hessian")(x)

        eager = _jacobian_transform(
            _jacobian_transform(func, 0, False, False, "hessian"), 0, False, False, "hessian"
        )
        inner_fn = _jacobian_transform(func.fn, 0, False, False, "hessian")  # (the function, not a step)
        return _named(hessian_f, "hessian", func, argnums)
    inner = _jacobian_transform(func, argnums, False, False, "hessian")
    return _jacobian_transform(inner, argnums, False, False, "hessian")


def _compiled(f: Any) -> bool:
    """Whether ``f`` is a compiled step (its module is loaded once one exists)."""
    module = sys.modules.get("autograd.compiled")
    return module is not None and isinstance(f, module.Compiled)


def _array_like(x: Any) -> bool:
    return isinstance(x, (Tensor, np.ndarray)) or (isinstance(x, (list, tuple)) and is_number_list(x))


def hvp(f: Callable[..., Any], x: Any, v: Any) -> Any:
    r"""The Hessian-vector product :math:`\nabla^2 f(x)\, v` of a scalar ``f``, without forming the
    Hessian: the gradient of :math:`\langle \nabla f(x), v \rangle` (two backward passes).

    With ``f`` compiled (:func:`autograd.compile`) and ``x`` a Tensor or an array, the HVP is
    generated code, traced once per shape; the result then has no graph.

    Parameters
    ----------
    f : callable
        A scalar function of one argument.
    x : float, array_like or node
        The point.
    v : float, array_like or node
        The direction, of ``x``'s shape.

    Returns
    -------
    float, numpy.ndarray or node
        :math:`H v`, of ``x``'s shape (numbers for numbers in, a node when ``x`` is one).

    Raises
    ------
    TypeError
        If ``f`` is not a function, ``x`` is not a number, array or node, or ``f`` does not
        return a scalar.
    RuntimeError
        If ``v``'s shape differs from ``x``'s.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import hvp
    >>> hvp(lambda x: (x ** 3).sum(), np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    array([6., 0.])
    """
    _checked_func(f, "hvp", "f")
    if _compiled(f) and _array_like(x):
        from .compiled.higher import hvp as compiled_hvp

        return compiled_hvp(f, x, v)
    xn, plain = _prepare(x, "hvp", "x")
    result, nested = _evaluate(f, (xn,), {})
    out = scalar_output(_as_output(result, "hvp"), "hvp")
    (g,) = _pullback([out], [None], [xn], True)
    create = nested or not plain
    (hv,) = _pullback([g], [_seed_like(v, g, "hvp(v)")], [xn], create)
    if create:
        return hv
    return _data_tensor(hv) if isinstance(x, Tensor) else numbers_of(hv)  # (a Tensor for a Tensor, as grad)
