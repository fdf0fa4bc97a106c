"""Exception classes that are this library's and torch's at once, so ``except ValueError`` (this
library's documented class) and ``except RuntimeError`` (torch's, for the same mistake) both catch
them. tinygrad's op tests, run against torch (tests/torch_compat/test_tinygrad_ops.py), check
torch's classes."""

from __future__ import annotations

import numpy as np


class ArgumentError(ValueError, RuntimeError):
    """A shape, size or option that does not fit: a ValueError, and the RuntimeError torch raises."""


class AxisError(ValueError, IndexError):
    """An axis out of range: a ValueError, and torch's IndexError ("Dimension out of range")."""


class EmptyReductionError(ValueError, IndexError):
    """A max, min or arg-extreme over an empty axis: a ValueError, and torch's IndexError
    ("Expected reduction dim 0 to have non-zero size")."""


class SizeError(TypeError, RuntimeError):
    """A negative size: a TypeError (not a size), and torch's RuntimeError ("negative dimension")."""


class ModeError(ValueError, NotImplementedError):
    """An unknown mode: a ValueError, and torch's NotImplementedError."""


class DtypeError(TypeError, RuntimeError):
    """An operation refused for a dtype: a TypeError, and torch's RuntimeError ("not implemented for")."""


class LinAlgError(np.linalg.LinAlgError, RuntimeError):
    """A singular or not positive-definite matrix: NumPy's ``numpy.linalg.LinAlgError`` (a
    ValueError), and the RuntimeError torch's ``torch.linalg.LinAlgError`` is."""
