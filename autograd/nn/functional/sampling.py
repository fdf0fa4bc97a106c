"""``torch.nn.functional.gumbel_softmax``: a softmax of the logits plus Gumbel noise drawn from the
library's generator (torch's numbers after the same seed), with torch's straight-through ``hard``
form."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..._operands import as_tensor
from ..._tensor import Tensor, drawn, nograd
from ._common import _real


def gumbel_softmax(
    logits: Any, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    r"""A sample of the Gumbel-softmax distribution, :math:`\operatorname{softmax}((x + g) / \tau)`
    along ``dim`` with :math:`g = -\log e`, :math:`e` drawn from ``exponential_(1)`` of the library's
    generator, as torch's (``torch.nn.functional.gumbel_softmax``).

    ``hard=True`` returns the one-hot of the sample's argmax (the first, on ties) in the forward
    pass, computed as torch's ``y_hard - y_soft.detach() + y_soft``, and the soft sample's gradient
    (straight through).

    Parameters
    ----------
    logits : Tensor or array_like
        The unnormalised log-probabilities.
    tau : float
        The temperature, positive (default 1).
    hard : bool
        One-hot samples with the soft gradient (default False).
    eps : float
        Deprecated, without effect (torch warns when it is set).
    dim : int
        The axis of the categories (default -1).

    Returns
    -------
    Tensor
        Of the logits' shape.

    Raises
    ------
    TypeError
        If ``tau`` is not a real number or ``hard`` not a bool.
    ValueError
        If ``tau`` is not positive.
    """
    x = as_tensor(logits, "gumbel_softmax: logits")
    t = _real("gumbel_softmax", "tau", tau)
    if not t > 0:
        raise ValueError(f"gumbel_softmax: tau must be positive, got {tau!r}")
    if not isinstance(hard, (bool, np.bool_)):
        raise TypeError(f"gumbel_softmax: hard must be a bool, got {type(hard).__name__} {hard!r}")
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", UserWarning, stacklevel=2)
    dtype = x.data.dtype

    def gumbels(shape: tuple[int, ...]) -> np.ndarray:
        return -np.log(Tensor(np.empty(shape, dtype)).exponential_().data)

    y_soft = ((x + drawn(gumbels, x)) / t).softmax(dim)
    if not hard:
        return y_soft

    def one_hot(y: np.ndarray) -> np.ndarray:
        out = np.zeros_like(y)
        np.put_along_axis(out, np.expand_dims(np.argmax(y, axis=dim), dim), 1.0, axis=dim)
        return out

    return nograd(one_hot, y_soft) - y_soft.detach() + y_soft
