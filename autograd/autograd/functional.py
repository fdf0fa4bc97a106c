"""``torch.autograd.functional``'s names and conventions: jacobian, hessian, vjp, jvp, hvp, vhp.

Unlike the function transforms (:mod:`autograd.func`), these take the point ``inputs`` (one
Tensor, Value, ValueArray, number or array, or a tuple of them) and evaluate at once; vjp, jvp,
hvp and vhp return ``(func_output, result)``. With ``create_graph=False`` (the default) every
returned node is cut from the graph, as in torch; with ``create_graph=True`` the results are part
of it and can be differentiated again. Each is one call of a function transform.
``vectorize`` is accepted and changes nothing (the rows are a loop); ``strict=True`` is not
supported.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import functional as F
from ..gradients import NODES, numbers_of, shape_of
from ..pytree import is_input_leaf, tree_flatten, tree_flatten_as, tree_map
from ..value import Value
from ..value_array import ValueArray

__all__ = ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]
_STRATEGIES = ("reverse-mode", "forward-mode")


def _inputs(inputs: Any, strict: bool, what: str) -> tuple[tuple[Any, ...], bool]:
    """The inputs as a tuple, and whether one input (not a tuple) was given."""
    if strict:
        raise NotImplementedError(f"{what}: strict=True is not supported")
    single = not isinstance(inputs, tuple)
    return ((inputs,) if single else inputs), single


def _points(xs: tuple[Any, ...], create_graph: bool) -> tuple[Any, ...]:
    """The arguments for the transform: without ``create_graph``, Tensors and Values enter as their
    numbers, so no graph of the derivatives is built (the function still sees a Tensor or Value)."""
    return xs if create_graph else tuple(numbers_of(x) if isinstance(x, (F.Tensor, Value)) else x for x in xs)


def _finish(result: Any, xs: tuple[Any, ...], create_graph: bool) -> Any:
    """Nodes in, nodes out (cut from the graph unless ``create_graph``); numbers in, numbers out."""
    if create_graph or not any(isinstance(x, NODES) for x in xs):
        return result
    tensors = any(isinstance(x, F.Tensor) for x in xs)

    def leaf(r: Any) -> Any:
        r = numbers_of(r)
        if tensors:
            return F.Tensor(r)
        return Value(float(r)) if not np.shape(r) else ValueArray(r)

    return tree_map(leaf, result)


def _ones_for(xs_or_out: Any, single: bool, what: str, role: str) -> Any:
    """The default ``v`` (1) when the one input/output has one element, as torch."""
    if not single or math.prod(shape_of(xs_or_out)) != 1:
        raise RuntimeError(
            f"{what}: The vector v can only be None if the {role} of the user-provided function is a single "
            "Tensor with a single element."
        )
    return np.ones(shape_of(xs_or_out)) if shape_of(xs_or_out) else 1.0


def _checked_v(v: Any, like: Any, what: str, is_leaf: Any = None) -> Any:
    """``v`` checked to have the structure and shapes of ``like`` (RuntimeError, as torch)."""
    leaves, spec = tree_flatten(like, is_leaf)
    try:
        vs = tree_flatten_as(spec, v)
    except ValueError as e:
        raise RuntimeError(f"{what}: v must be structured as {spec}: {e}") from None
    for got, want in zip(vs, leaves):
        if shape_of(got) != shape_of(want):
            raise RuntimeError(
                f"{what}: v has invalid size: should be {shape_of(want)} but got {shape_of(got)}"
            )
    return v


def _argnums(xs: tuple[Any, ...], single: bool) -> int | tuple[int, ...]:
    return 0 if single else tuple(range(len(xs)))


def vjp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀ J)`` (``torch.autograd.functional.vjp``).

    Parameters
    ----------
    func : callable
        A function of the inputs, returning a node or a tuple of nodes.
    inputs : node, float, array_like or tuple
        The point: one input or a tuple of inputs.
    v : array_like, node or tuple, optional
        The cotangent, shaped as the output (a tuple for a tuple output); may be None for a
        one-element output (then it is 1).
    create_graph : bool
        Keep the results in the graph, so they can be differentiated again (default False).
    strict : bool
        Not supported (True raises).

    Returns
    -------
    tuple
        ``(output, vjp)``; ``vjp`` is shaped as ``inputs`` (one result, or a tuple).

    Raises
    ------
    RuntimeError
        If ``v`` is None for an output that is not one element, or its structure or shape is
        wrong.
    NotImplementedError
        If ``strict=True``.
    """
    xs, single = _inputs(inputs, strict, "vjp")
    out, vjp_fn = F.vjp(func, *_points(xs, create_graph))
    if v is None:
        v = _ones_for(out, not isinstance(out, (tuple, list, dict)), "vjp", "output")
    grads = vjp_fn(_checked_v(v, out, "vjp"))
    return _finish((out, grads[0] if single else grads), xs, create_graph)


def jvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), J v)`` (``torch.autograd.functional.jvp``), by the double-VJP trick (see
    :func:`autograd.jvp`).

    Parameters
    ----------
    func : callable
        A function of the inputs, returning a node or a tuple of nodes.
    inputs : node, float, array_like or tuple
        The point: one input or a tuple of inputs.
    v : array_like, node or tuple, optional
        The tangent, shaped as ``inputs`` (a tuple for a tuple); may be None for a single
        one-element input.
    create_graph : bool
        Keep the results in the graph (default False).
    strict : bool
        Not supported (True raises).

    Returns
    -------
    tuple
        ``(output, jvp)``; ``jvp`` is shaped as the output.

    Raises
    ------
    RuntimeError
        If ``v`` is None for inputs that are not one element, or its structure or shape is wrong.
    NotImplementedError
        If ``strict=True``.
    """
    xs, single = _inputs(inputs, strict, "jvp")
    if v is None:
        v = _ones_for(xs[0], single, "jvp", "input")
    _checked_v(v, xs[0] if single else xs, "jvp", is_input_leaf)
    tangents = (v,) if single else v
    return _finish(F.jvp(func, _points(xs, create_graph), tangents), xs, create_graph)


def jacobian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian of ``func`` at ``inputs`` (``torch.autograd.functional.jacobian``).

    Parameters
    ----------
    func : callable
        A function of the inputs, returning a node or a tuple of nodes.
    inputs : node, float, array_like or tuple
        The point: one input or a tuple of inputs.
    create_graph : bool
        Keep the result in the graph (default False).
    strict : bool
        Not supported (True raises).
    vectorize : bool
        Accepted (changes nothing).
    strategy : {"reverse-mode", "forward-mode"}
        :func:`autograd.func.jacrev` or :func:`autograd.func.jacfwd`; the same numbers.

    Returns
    -------
    numpy.ndarray, node or tuple
        ``J[i][j] = ∂output[i]/∂inputs[j]`` of shape ``output[i].shape + inputs[j].shape``: a
        single block when there is one output and one input, a tuple over the tuple side(s)
        otherwise.

    Raises
    ------
    ValueError
        If ``strategy`` is unknown.
    NotImplementedError
        If ``strict=True``.
    """
    if strategy not in _STRATEGIES:
        raise ValueError(f"jacobian: strategy must be 'reverse-mode' or 'forward-mode', got {strategy!r}")
    xs, single = _inputs(inputs, strict, "jacobian")
    transform = F.jacrev if strategy == "reverse-mode" else F.jacfwd
    return _finish(transform(func, _argnums(xs, single))(*_points(xs, create_graph)), xs, create_graph)


def hessian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian of a scalar ``func`` at ``inputs`` (``torch.autograd.functional.hessian``).

    Parameters
    ----------
    func : callable
        Returns a one-element node.
    inputs : node, float, array_like or tuple
        The point: one input or a tuple of inputs.
    create_graph : bool
        Keep the result in the graph (default False).
    strict : bool
        Not supported (True raises).
    vectorize : bool
        Accepted (changes nothing).
    outer_jacobian_strategy : {"reverse-mode", "forward-mode"}
        How the Jacobian of the gradient is taken; the same numbers.

    Returns
    -------
    numpy.ndarray, node or tuple
        ``H[i][j] = ∂²f/∂inputs[i]∂inputs[j]`` of shape ``inputs[i].shape + inputs[j].shape``:
        one block for one input, a tuple of tuples for a tuple.

    Raises
    ------
    TypeError
        If ``func`` does not return a scalar.
    ValueError
        If ``outer_jacobian_strategy`` is unknown.
    NotImplementedError
        If ``strict=True``.
    """
    if outer_jacobian_strategy not in _STRATEGIES:
        raise ValueError(
            "hessian: outer_jacobian_strategy must be 'reverse-mode' or 'forward-mode', "
            f"got {outer_jacobian_strategy!r}"
        )
    xs, single = _inputs(inputs, strict, "hessian")
    argnums = _argnums(xs, single)
    outer = F.jacrev if outer_jacobian_strategy == "reverse-mode" else F.jacfwd
    return _finish(outer(F.func_grad(func, argnums), argnums)(*_points(xs, create_graph)), xs, create_graph)


def vhp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀ H)`` of a scalar ``func`` (``torch.autograd.functional.vhp``): the VJP of
    the gradient with ``v`` (two backward passes, no Hessian formed).

    Parameters
    ----------
    func : callable
        Returns a one-element node.
    inputs : node, float, array_like or tuple
        The point: one input or a tuple of inputs.
    v : array_like, node or tuple, optional
        Shaped as ``inputs``; may be None for a single one-element input.
    create_graph : bool
        Keep the results in the graph (default False).
    strict : bool
        Not supported (True raises).

    Returns
    -------
    tuple
        ``(output, vhp)``; ``vhp`` is shaped as ``inputs``.

    Raises
    ------
    TypeError
        If ``func`` does not return a scalar.
    RuntimeError
        If ``v`` is None for inputs that are not one element, or its structure or shape is wrong.
    NotImplementedError
        If ``strict=True``.
    """
    return _vhp(func, inputs, v, create_graph, strict, "vhp")


def hvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """``(func(inputs), H v)`` of a scalar ``func`` (``torch.autograd.functional.hvp``).

    The Hessian of a twice differentiable function is symmetric, so this is ``vᵀ H`` (see
    :func:`vhp`), as cheap.

    Parameters
    ----------
    func : callable
        Returns a one-element node.
    inputs : node, float, array_like or tuple
        The point: one input or a tuple of inputs.
    v : array_like, node or tuple, optional
        Shaped as ``inputs``; may be None for a single one-element input.
    create_graph : bool
        Keep the results in the graph (default False).
    strict : bool
        Not supported (True raises).

    Returns
    -------
    tuple
        ``(output, hvp)``; ``hvp`` is shaped as ``inputs``.

    Raises
    ------
    TypeError
        If ``func`` does not return a scalar.
    RuntimeError
        If ``v`` is None for inputs that are not one element, or its structure or shape is wrong.
    NotImplementedError
        If ``strict=True``.
    """
    return _vhp(func, inputs, v, create_graph, strict, "hvp")


def _vhp(func: Callable[..., Any], inputs: Any, v: Any, create_graph: bool, strict: bool, what: str) -> Any:
    xs, single = _inputs(inputs, strict, what)
    if v is None:
        v = _ones_for(xs[0], single, what, "input")
    _checked_v(v, xs[0] if single else xs, what, is_input_leaf)
    _, vjp_fn, value = F.vjp(
        F.grad_and_value(func, _argnums(xs, single)), *_points(xs, create_graph), has_aux=True
    )
    result = vjp_fn(v)
    return _finish((value, result[0] if single else result), xs, create_graph)
