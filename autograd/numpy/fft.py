"""``numpy.fft`` for ``import autograd.numpy as np``: numpy's functions, wrapped as
:mod:`autograd.numpy`'s are. The engine has no complex numbers, so on a Tensor these raise numpy's
dispatch error naming the function; on plain arrays they are numpy's."""

from __future__ import annotations

from typing import Any

import numpy as _np

from ._wrapping import namespace as _namespace

globals().update(_namespace(_np.fft, list(_np.fft.__all__), {}))
__all__ = list(_np.fft.__all__)


def __getattr__(name: str) -> Any:
    """numpy.fft's names outside its ``__all__``, as numpy's."""
    return getattr(_np.fft, name)
