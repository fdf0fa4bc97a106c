"""``torch.autograd``'s names: ``import autograd as torch`` then ``torch.autograd.grad(outputs, inputs)``,
``torch.autograd.backward(tensors)``, ``torch.autograd.functional.jacobian(func, inputs)``, and
``torch.autograd.Function`` (an operation with a hand-written backward, :mod:`.function`),
``torch.autograd.forward_ad`` (dual tensors, :mod:`.forward_ad`), and ``torch.autograd.graph``
(saved-tensor hooks, :mod:`.graph`).

``grad`` here is only the ``torch.autograd.grad`` form (the top-level ``autograd.grad`` also takes a
function, as ``torch.func.grad``); ``functional`` follows ``torch.autograd.functional``'s signatures.
"""

from __future__ import annotations

import math
from typing import Any

from .. import _hooks
from .._tensor import Tensor, _seed
from ..grad_mode import detect_anomaly, enable_grad, no_grad
from ..gradcheck import gradcheck, gradgradcheck
from ..gradients import NODES, shape_of
from ..gradients import autograd_grad as grad
from ..value_array import ValueArray
from . import forward_ad, function, functional, graph
from .function import Function, FunctionCtx, once_differentiable

__all__ = [
    "grad", "backward", "functional", "function", "forward_ad", "graph", "Function", "FunctionCtx",
    "once_differentiable", "gradcheck", "gradgradcheck", "no_grad", "enable_grad", "detect_anomaly",
]  # fmt: skip


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables: Any = None,
    inputs: Any = None,
) -> None:
    """Accumulate the gradients of ``tensors`` into the leaves' ``.grad`` (``torch.autograd.backward``):
    ``tensors[k].backward(grad_tensors[k], create_graph=create_graph, inputs=inputs)`` for each k.

    Parameters
    ----------
    tensors : node or sequence of nodes
        The roots.
    grad_tensors : array_like, node or sequence, optional
        One seed per tensor, of its shape (None for a one-element tensor).
    retain_graph : bool, optional
        Accepted for torch's signature; graphs here are never freed.
    create_graph : bool
        Leave nodes in ``.grad`` that can be differentiated again.
    grad_variables : optional
        The old name of ``grad_tensors``.
    inputs : Tensor or sequence of Tensor, optional
        Accumulate into these leaves' ``.grad`` only, as torch (None: every leaf). Not supported
        on Values and ValueArrays (use :func:`grad`).

    Raises
    ------
    TypeError
        If a tensor is not a node.
    RuntimeError
        If the numbers of tensors and seeds differ, a seed's shape differs from its tensor's, or
        a tensor with more than one element has no seed (as torch).
    NotImplementedError
        If ``inputs`` is given for Values or ValueArrays.
    """
    roots = list(tensors) if isinstance(tensors, (list, tuple)) else [tensors]
    seeds = grad_variables if grad_tensors is None else grad_tensors
    if seeds is None:
        seeds = [None] * len(roots)
    elif len(roots) == 1 and not isinstance(seeds, (list, tuple)):
        seeds = [seeds]
    if len(seeds) != len(roots):
        raise RuntimeError(f"backward: got {len(roots)} tensors and {len(seeds)} grad_tensors")
    if len(roots) > 1 and _hooks.HOOKED and all(isinstance(r, Tensor) and r.requires_grad for r in roots):
        roots, seeds = [_joined(roots, seeds)], [None]  # (hooks: one pass from every root, as torch's)
    for k, (root, seed) in enumerate(zip(roots, seeds)):
        if not isinstance(root, NODES):
            found = type(root).__name__
            raise TypeError(f"backward: tensors[{k}] must be a Tensor, Value or ValueArray, got {found}")
        shape = shape_of(root)
        if seed is None and math.prod(shape) != 1:
            raise RuntimeError(
                f"backward: grad can be implicitly created only for scalar outputs: tensors[{k}] has shape "
                f"{shape}; pass grad_tensors[{k}] of that shape"
            )
        if seed is not None and shape_of(seed) != shape:
            raise RuntimeError(
                f"backward: Mismatch in shape: grad_tensors[{k}] has a shape of {shape_of(seed)} and "
                f"tensors[{k}] has a shape of {shape}"
            )
        if inputs is not None:
            if not isinstance(root, Tensor):
                raise NotImplementedError(
                    "backward(inputs=...) works on Tensors; on Values use autograd.grad(tensors, inputs, "
                    "grad_tensors), which returns those gradients without touching any .grad"
                )
            root.backward(seed, create_graph=create_graph, inputs=inputs)
            continue
        if isinstance(root, ValueArray):  # (its backward starts from one element: seed by a weighted sum)
            root, seed = (root.to_value() if seed is None else (root * seed).sum().to_value()), None
        if seed is None:
            root.backward(create_graph=create_graph)
        else:
            root.backward(seed, create_graph=create_graph)


def _joined(roots: list[Tensor], seeds: list[Any]) -> Tensor:
    """One root for several: Σ_k ⟨seed_k, root_k⟩, whose backward pass gives each root its seed exactly,
    so that a tensor's hooks see the sum of every root's part once (torch runs one pass for them)."""
    total = None
    with enable_grad():
        for k, (root, seed) in enumerate(zip(roots, seeds)):
            s = _seed(root, seed, f"backward(grad_tensors[{k}])", keep_node=True)
            s = s.detach() if isinstance(s, Tensor) else Tensor._node(s)
            part = (root * s).sum()
            total = part if total is None else total + part
    return total
