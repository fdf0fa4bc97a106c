"""``Flatten`` and ``Unflatten``: reshaping layers, as in torch.nn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .module import Module


class Flatten(Module):
    """Merge dimensions ``start_dim`` .. ``end_dim`` into one (``torch.nn.Flatten``); by default all
    but the batch dimension, so ``(N, 28, 28)`` becomes ``(N, 784)``.

    Parameters
    ----------
    start_dim, end_dim : int
        The first and last dimension merged (default 1 and -1).
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Any) -> Any:
        return x.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size`` (``torch.nn.Unflatten``); the inverse of
    :class:`Flatten`.

    Parameters
    ----------
    dim : int
        The dimension split.
    unflattened_size : sequence of int
        The sizes it becomes; one entry may be -1.

    Raises
    ------
    TypeError
        If ``unflattened_size`` is not a sequence of ints.
    ValueError
        (In forward) if ``dim`` is out of range, or the sizes do not multiply to its size.
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        if not isinstance(unflattened_size, (tuple, list)) or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in unflattened_size
        ):
            raise TypeError(f"Unflatten: unflattened_size must be a tuple of ints, got {unflattened_size!r}")
        self.dim, self.unflattened_size = dim, tuple(int(n) for n in unflattened_size)

    def forward(self, x: Any) -> Any:
        shape = tuple(x.shape)
        dim = self.dim % len(shape) if -len(shape) <= self.dim < len(shape) else None
        if dim is None:
            raise ValueError(f"Unflatten: dim {self.dim} is out of range for an input of shape {shape}")
        return x.reshape(shape[:dim] + self.unflattened_size + shape[dim + 1 :])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
