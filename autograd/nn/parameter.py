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
        if isinstance(data, Tensor):  # (checked as an empty array of its dtype: its array is shared)
            super().__init__(np.empty(0, dtype=data.data.dtype), requires_grad=requires_grad)
            self.data, self.label = data.data, data.label
        else:
            super().__init__(np.empty(0) if data is None else data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


def _drawn_next(shape: tuple[int, ...], dtype: Any, label: str) -> Parameter:
    """A Parameter of ``shape`` over a new array that is neither copied nor filled: its values are
    drawn next (a module's ``reset_parameters``, as torch's modules start from ``torch.empty``)."""
    param = Parameter(Tensor(np.empty(0), dtype=dtype, label=label))
    param.data = np.empty(shape, dtype=param.data.dtype)
    return param
