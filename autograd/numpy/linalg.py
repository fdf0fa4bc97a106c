"""``numpy.linalg`` for ``import autograd.numpy as np``: numpy's functions, wrapped as
:mod:`autograd.numpy`'s are (numpy's own results on plain arrays; on Tensors the graph is recorded,
for the functions :mod:`autograd.numpy_dispatch` knows, such as ``inv``, ``det``, ``solve``, ``norm``)."""

from __future__ import annotations

from typing import Any

import numpy as _np

from ._wrapping import namespace as _namespace

globals().update(_namespace(_np.linalg, list(_np.linalg.__all__), {}))
__all__ = list(_np.linalg.__all__)


def __getattr__(name: str) -> Any:
    """numpy.linalg's names outside its ``__all__``, as numpy's."""
    return getattr(_np.linalg, name)
