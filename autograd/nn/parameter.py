"""``Parameter``: the Tensor a Module registers as trainable, as ``torch.nn.Parameter``."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor


class Parameter(Tensor):
    """A leaf Tensor that requires grad by default and that a Module lists among its parameters
    (``torch.nn.Parameter``).

    ``Parameter(t)`` shares ``t``'s array, as torch's shares its storage; a list or an ndarray is
    copied into a new float array (as ``Tensor(data)``). Operations on a Parameter give plain
    Tensors. A Parameter with ``requires_grad=False`` is still a parameter (frozen), as in torch.

    Parameters
    ----------
    data : Tensor, array_like or None
        A Tensor, an array or nested lists of numbers (None: an empty tensor).
    requires_grad : bool
        Whether gradients are tracked (default True).

    Raises
    ------
    TypeError
        If ``data`` does not hold real numbers (see :class:`~autograd.Tensor`).
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        super().__init__(np.empty(0) if data is None else data, requires_grad=requires_grad)
        if isinstance(data, Tensor):
            self.data, self.label = data.data, data.label

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
