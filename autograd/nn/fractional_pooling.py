"""``torch.nn``'s ``FractionalMaxPool2d``/``3d``: each holds its options and calls its function in
:mod:`autograd.nn.functional` (:mod:`~autograd.nn.functional.fractional_pooling`). As torch's,
``_random_samples`` is a buffer (in the state dict when given), and a pool without it draws new
samples at every call."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .functional.fractional_pooling import _ratios, _valid_ratios
from .functional.unpool import _ints
from .module import Module


class _FractionalMaxPool(Module):
    """Options as torch keeps them: tuples, ``output_size`` or ``output_ratio`` (the other None)."""

    _function: Any = None
    _spatial = 0

    def __init__(self, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                 return_indices: bool = False, _random_samples: Any = None) -> None:  # fmt: skip
        name, n = type(self).__name__, self._spatial
        self.kernel_size = _ints(name, "kernel_size", kernel_size, n, 1)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = None if output_size is None else _ints(name, "output_size", output_size, n, 1)
        self.output_ratio = None if output_ratio is None else _ratios(output_ratio, n)
        if output_size is None and output_ratio is None:
            raise ValueError(f"{name} requires specifying either an output size, or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not _valid_ratios(self.output_ratio, n):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def forward(self, input: Any) -> Any:
        """The pooled input (and the indices, with ``return_indices``)."""
        return type(self)._function(
            input,
            self.kernel_size,
            self.output_size,
            self.output_ratio,
            self.return_indices,
            _random_samples=self._random_samples,
        )


_DOC = """Fractional max-pooling of ``(N, C, {axes})`` inputs (``torch.nn.FractionalMaxPool{n}d``): see
    :func:`~autograd.nn.functional.fractional_max_pool{n}d`.

    Parameters
    ----------
    kernel_size : int or tuple of int
        The window's size.
    output_size : int or tuple of int, optional
        The output's ``({o_axes})``; give this or ``output_ratio``.
    output_ratio : float or tuple of float, optional
        The output's size as a fraction of the input's, each in (0, 1).
    return_indices : bool
        Also return the indices of the maxima (default False).
    _random_samples : Tensor, optional
        ``(N, C, {n})`` fixed samples (a buffer); default: drawn at every call.
    """


class FractionalMaxPool2d(_FractionalMaxPool):
    __doc__ = _DOC.format(n=2, axes="H, W", o_axes="oH, oW")
    _function = staticmethod(F.fractional_max_pool2d)
    _spatial = 2


class FractionalMaxPool3d(_FractionalMaxPool):
    __doc__ = _DOC.format(n=3, axes="D, H, W", o_axes="oD, oH, oW")
    _function = staticmethod(F.fractional_max_pool3d)
    _spatial = 3
