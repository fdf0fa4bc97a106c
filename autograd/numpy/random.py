"""``numpy.random`` for ``import autograd.numpy as np`` (HIPS's ``autograd.numpy.random``): numpy's
own functions and generators, sharing numpy's global state, so ``np.random.seed(0)`` here and in
numpy draw the same numbers. Random draws carry no gradient; use them as data."""

from __future__ import annotations

from typing import Any

import numpy.random as _random
from numpy.random import *  # noqa: F403

__all__ = list(_random.__all__)


def __getattr__(name: str) -> Any:
    """numpy.random's names outside its ``__all__``, as numpy's."""
    return getattr(_random, name)
