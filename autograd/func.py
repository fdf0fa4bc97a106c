"""``torch.func``'s names and calling conventions: ``import autograd as torch`` then
``torch.func.grad(f)(x)``, ``torch.func.vmap(f)(xs)``, ``from autograd.func import jacrev``.

grad, grad_and_value, vjp, jvp, jacrev, jacfwd and hessian are the engine's function transforms
(the same objects as :func:`autograd.vjp`, :func:`autograd.jvp` and :func:`autograd.hessian`):
numbers in, numbers out; nodes in, nodes out; they nest. ``vmap`` is written here: a documented
loop over the batch, not a vectorising compiler.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .functional import func_grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp
from .gradients import NODES, shape_of, stack_results
from .pytree import TreeSpec, is_input_leaf, tree_flatten, tree_flatten_as, tree_unflatten
from .value import Value

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap"]


def grad(func: Callable[..., Any], argnums: Any = 0, has_aux: bool = False) -> Callable[..., Any]:
    """The gradient function of a scalar ``func`` (``torch.func.grad``, JAX's ``grad``).

    Parameters
    ----------
    func : callable
        Returns a scalar (a Value, a one-element Tensor or ValueArray), or ``(scalar, aux)``
        with ``has_aux``.
    argnums : int or tuple of int
        The positional argument(s) to differentiate (default 0). Each may be a number, an array,
        a node, or a tuple, list or dict of them.
    has_aux : bool
        ``func`` returns ``(output, aux)``; ``aux`` is returned beside the gradient, untouched.

    Returns
    -------
    callable
        A function of ``func``'s arguments returning the gradient (with the argument's
        structure; a tuple of them for a tuple ``argnums``), or ``(gradient, aux)``. Numbers in,
        numbers out: a float argument becomes a Value and an array a float Tensor, and the
        gradient comes back as a float or an ndarray; nodes in (or a call inside another
        transform's function) give nodes out, so transforms nest.

    Raises
    ------
    TypeError
        At once, if ``func`` is not callable (for ``grad(outputs, inputs)`` use
        :func:`autograd.grad`) or ``argnums`` is not an int or a tuple of ints; when called, if
        an argument is not a number, array or node, or ``func`` does not return a scalar.
    ValueError
        When called, if ``argnums`` is out of range or names one argument twice.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import func
    >>> func.grad(lambda x: (x ** 2).sum())(np.array([1.0, 2.0]))
    array([2., 4.])
    """
    if not callable(func) or isinstance(func, NODES):
        raise TypeError(
            f"func.grad: func must be a function, got {type(func).__name__}; for gradients of outputs "
            "with respect to inputs use autograd.grad(outputs, inputs) (torch.autograd.grad)"
        )
    return func_grad(func, argnums, has_aux)


def _dims_ok(dims: Any) -> bool:
    if dims is None or (isinstance(dims, (int, np.integer)) and not isinstance(dims, bool)):
        return True
    values = dims.values() if isinstance(dims, dict) else dims if isinstance(dims, (tuple, list)) else None
    return values is not None and all(_dims_ok(d) for d in values)


def _leaf_dims(dims: Any, tree: Any, what: str, is_leaf: Callable[[Any], bool] | None) -> list[Any]:
    """One dim per leaf of ``tree``: ``dims`` is a prefix of its structure (an int or None applies
    to a whole subtree)."""
    if dims is None or isinstance(dims, (int, np.integer)):
        return [dims] * len(tree_flatten(tree, is_leaf)[0])
    found, prefix = tree_flatten(dims, lambda d: d is None)  # (None is a leaf of dims, not an empty tree)
    try:
        subtrees = tree_flatten_as(prefix, tree)
    except ValueError as e:
        raise ValueError(f"vmap: {what}={dims!r} does not fit: {e}") from None
    return [leaf for d, sub in zip(found, subtrees) for leaf in _leaf_dims(d, sub, what, is_leaf)]


def _batch_axis(x: Any, dim: int, what: str) -> tuple[int, int]:
    """(the normalised axis, the batch size) of a leaf mapped over ``dim``."""
    if isinstance(x, Value) or (not isinstance(x, NODES) and not isinstance(x, (np.ndarray, list, tuple))):
        raise ValueError(
            f"vmap: {what} maps dim {dim} of a {type(x).__name__}, which has no dims; "
            "use None as its in_dim to pass it to every call unbatched"
        )
    shape = shape_of(x if isinstance(x, NODES) else np.asarray(x))
    if not -len(shape) <= dim < len(shape):
        raise ValueError(f"vmap: {what} maps dim {dim}, but the input has {len(shape)} dim(s), shape {shape}")
    return dim % len(shape), shape[dim % len(shape)]


def _row(x: Any, axis: int | None, b: int) -> Any:
    """Element ``b`` of ``x`` along ``axis``; of an empty batch, zeros of that shape (``func`` then runs
    once, to give the outputs' shapes)."""
    if axis is None:
        return x
    x = x if isinstance(x, NODES) else np.asarray(x)
    shape = shape_of(x)
    if shape[axis] == 0:
        zeros = np.zeros(shape[:axis] + shape[axis + 1 :], x.data.dtype if isinstance(x, NODES) else float)
        return type(x)(zeros) if isinstance(x, NODES) else zeros
    return x[(slice(None),) * axis + (b,)]


def _place(items: list[Any], dim: int | None, k: int) -> Any:
    """Output leaf ``k`` of every call, joined along ``dim`` (None: one value, the same in every call)."""
    if dim is None:
        first = np.asarray(items[0].data if isinstance(items[0], NODES) else items[0])
        if any(not np.array_equal(np.asarray(x.data if isinstance(x, NODES) else x), first) for x in items):
            raise ValueError(f"vmap: out_dims is None for output {k}, but it differs between the calls")
        return items[0]
    ndim = len(shape_of(items[0])) + 1
    if not -ndim <= dim < ndim:
        raise ValueError(f"vmap: out_dims {dim} is out of range for output {k} of {ndim} dim(s)")
    return stack_results(items, dim % ndim)


def vmap(
    func: Callable[..., Any],
    in_dims: Any = 0,
    out_dims: Any = 0,
    randomness: str = "error",
    *,
    chunk_size: int | None = None,
) -> Callable[..., Any]:
    """``func`` mapped over a batch axis of its inputs (``torch.func.vmap``, ``torch.vmap``).

    A loop, not a vectoriser: ``func`` is called once per batch element on the slices of the
    batched inputs, and its results are stacked along ``out_dims``. So it composes with the
    transforms both ways (``vmap(grad(f))``, ``grad(lambda x: vmap(f)(x).sum())``), and costs B
    calls of ``func``. Slices keep their kind: Tensor rows are Tensors, array rows arrays.

    Parameters
    ----------
    func : callable
        A function of nodes, numbers, or tuples, lists and dicts of them.
    in_dims : int, None or tuple
        The batch axis of each positional argument: an int for all, or a tuple with one entry
        per argument, nested like the argument (None: that argument is not batched). Keyword
        arguments are never batched.
    out_dims : int, None or tuple
        Where the batch axis goes in each output: an int, None (the output does not vary), or a
        structure like the output's.
    randomness : {"error", "different", "same"}
        As in torch; the loop calls ``func`` B times, so random operations draw different
        numbers per element ("same" is not supported).
    chunk_size : int, optional
        Accepted for torch's signature.

    Returns
    -------
    callable
        The batched function.

    Raises
    ------
    ValueError
        At once, if ``in_dims`` or ``out_dims`` is not an int, None or a tuple of them, or
        ``randomness`` is unknown; when called, if they do not fit the inputs or outputs, the
        batch sizes differ, or no input is batched.
    NotImplementedError
        If ``randomness="same"``.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import vmap
    >>> vmap(lambda x: (x ** 2).sum())(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([ 5., 25.])
    """
    if randomness not in ("error", "different", "same"):
        raise ValueError(f"vmap: randomness must be 'error', 'different' or 'same', got {randomness!r}")
    if randomness == "same":
        raise NotImplementedError(
            "vmap: randomness='same' is not supported: the loop draws anew for each element"
        )
    for name, dims in (("in_dims", in_dims), ("out_dims", out_dims)):
        if not _dims_ok(dims):
            raise ValueError(
                f"vmap: {name} must be an int, None, or a tuple of them (nested like the arguments "
                f"or outputs); got {type(dims).__name__} {dims!r}"
            )
    if isinstance(in_dims, dict) or in_dims is None:
        raise ValueError(
            f"vmap: in_dims must be an int or a tuple with one entry per argument, got {in_dims!r}"
        )

    def vmapped(*args: Any, **kwargs: Any) -> Any:
        def leaf(x: Any) -> bool:  # (the tuple of arguments is a container even when it holds numbers)
            return x is not args and is_input_leaf(x)

        if isinstance(in_dims, (tuple, list)) and len(in_dims) != len(args):
            raise ValueError(
                f"vmap: in_dims has {len(in_dims)} entries for {len(args)} positional argument(s)"
            )
        dims = _leaf_dims(tuple(in_dims) if isinstance(in_dims, list) else in_dims, args, "in_dims", leaf)
        leaves, spec = tree_flatten(args, leaf)
        axes, sizes = [], set()
        for i, (x, d) in enumerate(zip(leaves, dims)):
            axis, size = (None, None) if d is None else _batch_axis(x, int(d), f"in_dims (input leaf {i})")
            axes.append(axis)
            sizes.add(size)
        sizes.discard(None)
        if not sizes:
            raise ValueError("vmap: no input is batched (every in_dim is None); map at least one input")
        if len(sizes) > 1:
            raise ValueError(
                f"vmap: the batched inputs have different sizes {sorted(sizes)} along their in_dims"
            )
        size = sizes.pop()
        rows = [
            tree_unflatten([_row(x, a, b) for x, a in zip(leaves, axes)], spec) for b in range(max(size, 1))
        ]
        calls = [func(*row, **kwargs) for row in rows]
        out_leaves, out_spec = _same_structure(calls)
        out_dim_leaves = _leaf_dims(out_dims, calls[0], "out_dims", None)
        joined = [_place([row[k] for row in out_leaves], d, k) for k, d in enumerate(out_dim_leaves)]
        if size == 0:  # (one call on element 0's zeros gave the shapes; keep none of it)
            joined = [x if d is None else _empty_along(x, d) for x, d in zip(joined, out_dim_leaves)]
        return tree_unflatten(joined, out_spec)

    vmapped.__name__ = vmapped.__qualname__ = f"vmap({getattr(func, '__name__', 'f')})"
    return vmapped


def _same_structure(calls: list[Any]) -> tuple[list[list[Any]], TreeSpec]:
    flat = [tree_flatten(c) for c in calls]
    spec = flat[0][1]
    for b, (_, s) in enumerate(flat):
        if s != spec:
            raise ValueError(
                f"vmap: func returned the structure {s} for element {b}, but {spec} for element 0"
            )
    return [leaves for leaves, _ in flat], spec


def _empty_along(x: Any, dim: int) -> Any:
    index = (slice(None),) * (dim % len(shape_of(x))) + (slice(0, 0),)
    return x[index]
