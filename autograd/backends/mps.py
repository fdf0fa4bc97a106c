"""``torch.backends.mps``: Apple's GPU backend, never available here (this library runs on numpy
on the CPU), so ``"mps" if torch.backends.mps.is_available() else "cpu"`` picks the CPU."""

from __future__ import annotations


def is_available() -> bool:
    """Whether the MPS device can be used (``torch.backends.mps.is_available``).

    Returns
    -------
    bool
        False.
    """
    return False


def is_built() -> bool:
    """Whether this build supports MPS (``torch.backends.mps.is_built``).

    Returns
    -------
    bool
        False.
    """
    return False


__all__ = ["is_available", "is_built"]
