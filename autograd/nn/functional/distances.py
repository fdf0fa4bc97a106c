"""``torch.nn.functional``'s ``normalize``, ``cosine_similarity`` and ``pairwise_distance``, on
Tensors."""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import linalg
from ..._operands import as_tensor
from ..._tensor import Tensor, nograd
from ._common import _real


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:
    r""":math:`x / \max(\lVert x \rVert_p, \epsilon)` along ``dim`` (``torch.nn.functional.normalize``).

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    p : float
        The order of the norm (default 2).
    dim : int
        The axis (default 1).
    eps : float
        The smallest denominator (default 1e-12); below it the norm gets no gradient, as torch's.
    out : None
        Accepted for torch's signature when None.

    Raises
    ------
    TypeError
        If ``input`` is a Value or ValueArray, or ``out`` is given.
    """
    if out is not None:
        raise TypeError("normalize: out= is not supported; assign the result instead")
    x = as_tensor(input, "normalize: input")
    norm = linalg.vector_norm(x, p, dim, keepdim=True)
    return x / norm.clamp_min(_real("normalize", "eps", eps))


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    r"""The cosine of the angle between ``x1`` and ``x2`` along ``dim`` (broadcast together), as
    ``torch.nn.functional.cosine_similarity`` computes it: each divided by its 2-norm first (the
    result stays in [-1, 1]), a norm below ``eps`` taken as ``eps`` in the value only (torch clamps
    it without recording the clamp, so the gradient is the unclamped norm's).

    Parameters
    ----------
    x1, x2 : Tensor or array_like
        The two inputs.
    dim : int
        The axis of the vectors (default 1).
    eps : float
        The smallest norm (default 1e-8).

    Raises
    ------
    TypeError
        If an input is a Value or ValueArray.
    """
    a, b = as_tensor(x1, "cosine_similarity: x1"), as_tensor(x2, "cosine_similarity: x2")
    e = _real("cosine_similarity", "eps", eps)
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = a.expand(*shape), b.expand(*shape)
    units = []
    for v in (a, b):
        norm = linalg.vector_norm(v, 2, dim, keepdim=True)
        # (the clamp, unrecorded: below eps the norm is raised to it; an infinite norm is kept)
        units.append(v / (norm + nograd(lambda d: np.where(d < e, e - d, 0.0), norm)))
    return (units[0] * units[1]).sum(dim)


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    r""":math:`\lVert x_1 - x_2 + \epsilon \rVert_p` along the last axis
    (``torch.nn.functional.pairwise_distance``).

    Parameters
    ----------
    x1, x2 : Tensor or array_like
        The two inputs, broadcast together.
    p : float
        The order of the norm (default 2).
    eps : float
        Added to the difference, as torch does (default 1e-6).
    keepdim : bool
        Keep the reduced axis with length 1 (default False).

    Raises
    ------
    TypeError
        If an input is a Value or ValueArray.
    """
    a, b = as_tensor(x1, "pairwise_distance: x1"), as_tensor(x2, "pairwise_distance: x2")
    return linalg.vector_norm(a - b + _real("pairwise_distance", "eps", eps), p, -1, keepdim=keepdim)


def pdist(input: Any, p: float = 2.0) -> Tensor:
    """The ``p``-norm distance between each pair of rows i < j of the 2-d ``input``, in order
    (``torch.nn.functional.pdist``): :func:`autograd.pdist`.

    Parameters
    ----------
    input : Tensor or array_like
        (n, m).
    p : float
        The norm's order (>= 0; default 2).

    Returns
    -------
    Tensor
        (n·(n-1)/2,).
    """
    from ...tensor_members import pdist as _pdist

    return _pdist(input, p)
