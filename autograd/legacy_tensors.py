"""torch's legacy typed constructors, ``torch.LongTensor([0])``, ``torch.FloatTensor(2, 3)``, as older
tutorials write them (PyTorch's "Deep Learning for NLP" pages make their targets with
``torch.LongTensor([label])``).

Each is a :class:`LegacyTensorType` of one dtype: called with data (a list, tuple, number or numpy
array) it is ``autograd.tensor(data, dtype=...)`` (a float cast to an integer type truncates, as
torch's); with ints only it is a tensor of that shape (zeros here, as ``empty``); with nothing, an
empty one; with a Tensor of its dtype, that tensor. ``isinstance(t, autograd.LongTensor)`` asks for
an int64 Tensor, as torch's type check does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from ._tensor import Tensor
from .factories import _cpu, empty, tensor


class LegacyTensorType:
    """One legacy constructor (``autograd.LongTensor``): see the module docstring.

    Parameters
    ----------
    name : str
        torch's name (``"LongTensor"``).
    dtype : numpy.dtype
        The dtype of the tensors it makes.
    """

    __slots__ = ("__name__", "dtype")

    def __init__(self, name: str, dtype: np.dtype) -> None:
        self.__name__ = name
        self.dtype = dtype

    def __call__(self, *args: Any, device: Any = None) -> Tensor:
        """A tensor of this type from data, a shape (ints), nothing, or a Tensor of this dtype.

        Raises:
            TypeError: a Tensor of another dtype, a string, or more than one argument that are not
                all ints (torch's errors are TypeErrors too).
        """
        _cpu(self.__name__, device)
        if not args:
            return empty(0, dtype=self.dtype)
        if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
            return empty(*args, dtype=self.dtype)
        if len(args) > 1:
            found = ", ".join(type(a).__name__ for a in args)
            raise TypeError(f"{self.__name__}(): expected data or sizes (ints), got ({found})")
        data = args[0]
        if isinstance(data, Tensor):
            if data.data.dtype != self.dtype:
                raise TypeError(
                    f"{self.__name__}(): expected a tensor of dtype {np.dtype(self.dtype).name}, "
                    f"got one of {data.data.dtype.name}"
                )
            return data
        if isinstance(data, str):
            raise TypeError(f"{self.__name__}(): invalid data type 'str'")
        return tensor(data, dtype=self.dtype)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, Tensor) and instance.data.dtype == self.dtype

    def __repr__(self) -> str:
        return f"<class 'autograd.{self.__name__}'>"


FloatTensor = LegacyTensorType("FloatTensor", dtypes.float32)
DoubleTensor = LegacyTensorType("DoubleTensor", dtypes.float64)
LongTensor = LegacyTensorType("LongTensor", dtypes.int64)
BoolTensor = LegacyTensorType("BoolTensor", dtypes.bool)

__all__ = ["LegacyTensorType", "FloatTensor", "DoubleTensor", "LongTensor", "BoolTensor"]
