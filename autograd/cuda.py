"""``torch.cuda``'s questions, answered for a library without CUDA: ``is_available()`` is False
and ``device_count()`` 0, so ``device = "cuda" if torch.cuda.is_available() else "cpu"`` picks
the CPU. The seeding calls of reproducibility recipes (``torch.cuda.manual_seed_all(0)``) are
accepted and do nothing: there is no CUDA generator to seed.
"""

from __future__ import annotations

from typing import Any


def is_available() -> bool:
    """Whether CUDA can be used (``torch.cuda.is_available``): never, here.

    Returns
    -------
    bool
        False.
    """
    return False


def device_count() -> int:
    """How many CUDA devices there are (``torch.cuda.device_count``).

    Returns
    -------
    int
        0.
    """
    return 0


def manual_seed(seed: Any) -> None:
    """Accepted and ignored (``torch.cuda.manual_seed``): there is no CUDA generator; seed the CPU's
    with :func:`autograd.manual_seed`.

    Parameters
    ----------
    seed : int
        Ignored.
    """


def manual_seed_all(seed: Any) -> None:
    """Accepted and ignored (``torch.cuda.manual_seed_all``): there are no CUDA devices.

    Parameters
    ----------
    seed : int
        Ignored.
    """


__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all"]
