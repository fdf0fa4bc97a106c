"""Gradients of outputs with respect to inputs, now: ``torch.autograd.grad`` on Values, Tensors and
ValueArrays (:func:`autograd_grad`), the one backward entry point every function transform uses.

It runs the engine's reverse pass (``vjp_pass`` of ``value.py`` or ``tensor.py``) from several
roots at once, seeded by ``grad_outputs``, and reads the gradients of the inputs without touching
any ``.grad``. With ``create_graph=True`` the pass runs the same rules on nodes, so the gradients
can be differentiated again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Union

import numpy as np

from . import _hooks, _retained
from . import _tensor as T
from . import value as V
from .value import Value
from .value_array import ValueArray

Tensor = T.Tensor
Node = Union[Value, Tensor, ValueArray]
NODES = (Value, Tensor, ValueArray)


def _as_list(x: Any, what: str) -> list[Any]:
    if isinstance(x, NODES):
        return [x]
    if isinstance(x, (list, tuple)) and x:
        return list(x)
    raise TypeError(
        f"grad: {what} must be a Value, Tensor or ValueArray, or a non-empty list of them; got {x!r}"
    )


def _family(nodes: Sequence[Any], what: str) -> str:
    kinds = set()
    for i, x in enumerate(nodes):
        if not isinstance(x, NODES):
            raise TypeError(
                f"grad: {what}[{i}] must be a Value, Tensor or ValueArray, got {type(x).__name__}"
            )
        kinds.add(kind_of(x))
    return kinds.pop() if len(kinds) == 1 else "mixed"


def kind_of(x: Node) -> str:
    """The engine a node belongs to: "tensor" for a Tensor, "value" for a Value or ValueArray."""
    return "tensor" if isinstance(x, Tensor) else "value"


def shape_of(x: Any) -> tuple[int, ...]:
    """The shape of a node or of a number/array (``()`` for a Value)."""
    return () if isinstance(x, Value) else tuple(x.shape) if isinstance(x, NODES) else np.shape(x)


def numbers_of(x: Any) -> Any:
    """A node's numbers: a float for a Value, an ndarray for a Tensor or ValueArray (anything else
    unchanged)."""
    if isinstance(x, Value):
        return x.data
    if isinstance(x, (Tensor, ValueArray)):
        return np.array(x.data)
    return x


def autograd_grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    r"""The gradients of ``outputs`` with respect to ``inputs`` (``torch.autograd.grad``).

    :math:`\sum_k \langle \text{grad\_outputs}_k, \text{outputs}_k \rangle` is differentiated with
    respect to each input; ``.grad`` attributes are left untouched.

    Parameters
    ----------
    outputs : node or sequence of nodes
        All Tensors, or all Values and ValueArrays.
    inputs : node or sequence of nodes
        Of the same family as the outputs.
    grad_outputs : array_like, node or sequence, optional
        One seed per output, of its shape; may be None (or a None entry) for a one-element
        output, meaning 1.
    retain_graph : bool, optional
        Accepted for torch's signature; graphs here are never freed.
    create_graph : bool
        Return nodes (Value, Tensor, ValueArray) that can be differentiated again; otherwise
        floats and ndarrays.
    only_inputs : bool
        Accepted for torch's signature.
    allow_unused : bool, optional
        Give None (or zeros, with ``materialize_grads``) for an input the outputs do not depend
        on, instead of raising. Defaults to ``materialize_grads``, as in torch.
    is_grads_batched : bool
        The first axis of every seed is a batch; the gradients are stacked along it.
    materialize_grads : bool
        Zeros instead of None for unused inputs.

    Returns
    -------
    tuple
        One gradient per input.

    Raises
    ------
    TypeError
        If ``outputs`` or ``inputs`` are not nodes, or mix Tensors with Values.
    RuntimeError
        If a seed's shape differs from its output's, an output with more than one element has no
        seed, the numbers of seeds and outputs differ, or an input is unused (as torch).
    ValueError
        If ``materialize_grads=True`` with ``allow_unused=False`` (as torch).

    Examples
    --------
    >>> from autograd import Value, autograd
    >>> x = Value(3.0)
    >>> autograd.grad(x * x, x)
    (6.0,)
    """
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "grad: Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    outs, ins = _as_list(outputs, "outputs"), _as_list(inputs, "inputs")
    if _family(outs + ins, "outputs + inputs") == "mixed":
        raise TypeError("grad: outputs and inputs must all be Tensors or all Values/ValueArrays, not a mix")
    if grad_outputs is None:
        seeds: list[Any] = [None] * len(outs)
    elif len(outs) == 1 and not isinstance(grad_outputs, (list, tuple)):
        seeds = [grad_outputs]
    else:
        seeds = list(grad_outputs)
    if len(seeds) != len(outs):
        raise RuntimeError(f"grad: got {len(outs)} outputs and {len(seeds)} grad_outputs")
    if is_grads_batched:
        return _batched(outs, ins, seeds, create_graph, allow_unused, materialize_grads)
    for k, (out, seed) in enumerate(zip(outs, seeds)):
        _check_seed(out, seed, k)
    run = _grad_tensors if kind_of(outs[0]) == "tensor" else _grad_values
    return run(outs, ins, seeds, create_graph, allow_unused, materialize_grads)


def backprop(outputs: list[Any], inputs: list[Any], seeds: list[Any], create_graph: bool) -> tuple[Any, ...]:
    """:func:`autograd_grad` without its argument checks, for the transforms, which build valid
    lists: outputs and inputs of one engine, outputs that require grad, seeds of the outputs'
    shapes (None for one element). Unused inputs get zeros."""
    run = _grad_tensors if kind_of(outputs[0]) == "tensor" else _grad_values
    return run(outputs, inputs, seeds, create_graph, True, True)


def _check_seed(out: Node, seed: Any, k: int) -> None:
    shape = shape_of(out)
    if seed is None:
        if math.prod(shape) != 1:
            raise RuntimeError(
                f"grad: grad can be implicitly created only for scalar outputs: outputs[{k}] has shape "
                f"{shape}; pass grad_outputs[{k}] of that shape"
            )
    elif shape_of(seed) != shape:
        raise RuntimeError(
            f"grad: Mismatch in shape: grad_outputs[{k}] has a shape of {shape_of(seed)} and "
            f"outputs[{k}] has a shape of {shape}"
        )


def _batched(
    outs: list[Any], ins: list[Any], seeds: list[Any], create: bool, allow_unused: bool, materialize: bool
) -> tuple[Any, ...]:
    """``is_grads_batched``: one backward pass per row of the seeds, the gradients stacked."""
    sizes = {shape_of(s)[0] if shape_of(s) else None for s in seeds if s is not None}
    if len(sizes) != 1 or None in sizes:
        shapes = [shape_of(s) for s in seeds]
        raise RuntimeError(
            "grad: with is_grads_batched=True every grad_outputs entry needs one leading batch axis "
            f"of the same size; got shapes {shapes}"
        )
    rows = [
        autograd_grad(
            outs,
            ins,
            [None if s is None else s[b] for s in seeds],
            create_graph=create,
            allow_unused=allow_unused,
            materialize_grads=materialize,
        )
        for b in range(sizes.pop())
    ]
    return tuple(None if col[0] is None else stack_results(list(col)) for col in zip(*rows))


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
    for out, seed in zip(outs, seeds):
        roots += list(out.values.flat) if isinstance(out, ValueArray) else [out]
        root_seeds += [1.0] if seed is None else _value_seed(seed, create)
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


def _value_seed(seed: Any, create: bool) -> list[Any]:
    """The seed of each element of a Value output (a Value stays a node when building a graph)."""
    if isinstance(seed, Value):
        items: list[Any] = [seed]
    elif isinstance(seed, ValueArray):
        items = list(seed.values.flat)
    elif isinstance(seed, Tensor):
        items = list(seed.data.ravel())
    else:
        arr = np.asarray(seed)
        items = list(arr.ravel()) if arr.dtype == object else list(T.as_float_array(arr, np.float64).ravel())
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
    before_hooks: dict[int, Any] | None = {} if _hooks.HOOKED else None
    grads, topo = T.vjp_pass(outs, root_seeds, create, before_hooks)
    if _retained.MARKED:  # (torch adds into each retain_grad() tensor the pass reached)
        _retained.add(grads, topo, ins)
    if before_hooks:  # (torch's capture of a hooked input the pass goes on through)
        grads = _hooks.captured(grads, before_hooks, ins)
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


def stack_results(items: Sequence[Any], axis: int = 0) -> Any:
    """Join results of one shape along a new ``axis``: Tensors with ``autograd.stack``, Values and
    ValueArrays into a ValueArray, numbers with ``numpy.stack``.

    Raises:
        TypeError: the items mix Tensors with Values.
    """
    if any(isinstance(x, Tensor) for x in items):
        if any(isinstance(x, (Value, ValueArray)) for x in items):
            raise TypeError("stack: cannot join Tensors with Values or ValueArrays")
        return T.stack(list(items), axis)
    if any(isinstance(x, (Value, ValueArray)) for x in items):
        parts = [x.values if isinstance(x, ValueArray) else _object_array([V.as_value(x)], ()) for x in items]
        return ValueArray._wrap(np.stack(parts, axis))
    return np.stack([np.asarray(x) for x in items], axis)


def scalar_output(out: Any, what: str) -> Any:
    """``out``, if it has one element (what a transform of a scalar function needs).

    Raises:
        NotScalarError: it has several; the message names ``what``.
    """
    if math.prod(shape_of(out)) == 1:
        return out
    raise NotScalarError(
        f"{what}: f must return a scalar (a Value, or a one-element Tensor/ValueArray); "
        f"got {type(out).__name__} of shape {shape_of(out)} (use jacrev for a non-scalar f)"
    )


class NotScalarError(TypeError):
    """A transform of a scalar function (grad, hvp) was given an ``f`` with a non-scalar result."""
