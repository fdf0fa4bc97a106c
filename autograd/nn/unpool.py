"""``torch.nn``'s ``MaxUnpool1d``/``2d``/``3d``: each holds its pool's options and calls its function
in :mod:`autograd.nn.functional` (``forward(input, indices, output_size=None)``)."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .functional.unpool import _ints
from .module import Module


class _MaxUnpool(Module):
    """Options as torch keeps them (tuples; ``stride`` defaults to ``kernel_size``); repr as torch's."""

    _function: Any = None
    _spatial = 0

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        name, n = type(self).__name__, self._spatial
        self.kernel_size = _ints(name, "kernel_size", kernel_size, n, 1)
        self.stride = self.kernel_size if stride is None else _ints(name, "stride", stride, n, 1)
        self.padding = _ints(name, "padding", padding, n, 0)

    def forward(self, input: Any, indices: Any, output_size: Any = None) -> Any:
        """``input``'s elements written at ``indices`` (a max pool's) of an output of zeros."""
        return type(self)._function(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpool):
    """A max pool's partial inverse (``torch.nn.MaxUnpool1d``): see
    :func:`~autograd.nn.functional.max_unpool1d`.

    Parameters
    ----------
    kernel_size : int or tuple of int
        The pool's window size.
    stride : int or tuple of int, optional
        The pool's stride (default: ``kernel_size``).
    padding : int or tuple of int
        The pool's padding (default 0).
    """

    _function = staticmethod(F.max_unpool1d)
    _spatial = 1


class MaxUnpool2d(_MaxUnpool):
    """A 2-d max pool's partial inverse (``torch.nn.MaxUnpool2d``): see
    :func:`~autograd.nn.functional.max_unpool2d`.

    Parameters
    ----------
    kernel_size : int or tuple of int
        The pool's window size.
    stride : int or tuple of int, optional
        The pool's stride (default: ``kernel_size``).
    padding : int or tuple of int
        The pool's padding (default 0).
    """

    _function = staticmethod(F.max_unpool2d)
    _spatial = 2


class MaxUnpool3d(_MaxUnpool):
    """A 3-d max pool's partial inverse (``torch.nn.MaxUnpool3d``): see
    :func:`~autograd.nn.functional.max_unpool3d`.

    Parameters
    ----------
    kernel_size : int or tuple of int
        The pool's window size.
    stride : int or tuple of int, optional
        The pool's stride (default: ``kernel_size``).
    padding : int or tuple of int
        The pool's padding (default 0).
    """

    _function = staticmethod(F.max_unpool3d)
    _spatial = 3
