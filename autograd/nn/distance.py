"""``CosineSimilarity`` and ``PairwiseDistance``, as in torch.nn."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .module import Module


class CosineSimilarity(Module):
    r"""The cosine of the angle between ``x1`` and ``x2`` along ``dim``,
    :math:`\frac{x_1 \cdot x_2}{\max(\lVert x_1 \rVert, \epsilon) \max(\lVert x_2 \rVert, \epsilon)}`
    (``torch.nn.CosineSimilarity``); called as ``module(x1, x2)``, computed by
    :func:`autograd.nn.functional.cosine_similarity`.

    Parameters
    ----------
    dim : int
        The axis of the vectors (default 1).
    eps : float
        The smallest norm (default 1e-8).
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        self.dim, self.eps = dim, eps

    def forward(self, x1: Any, x2: Any) -> Any:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    r""":math:`\lVert x_1 - x_2 + \epsilon \rVert_p` along the last axis
    (``torch.nn.PairwiseDistance``); called as ``module(x1, x2)``, computed by
    :func:`autograd.nn.functional.pairwise_distance`.

    Parameters
    ----------
    p : float
        The order of the norm (default 2); kept as ``norm``, as torch names it.
    eps : float
        Added to the difference (default 1e-6).
    keepdim : bool
        Keep the reduced axis with length 1 (default False).
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Any, x2: Any) -> Any:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
