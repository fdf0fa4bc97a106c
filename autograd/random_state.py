"""The library's random state: one default generator (a ``numpy.random.Generator``) that serves
every draw not given its own ``seed``/``generator``: ``rand``, ``randn``, ``randint``, ``randperm``,
the ``_like`` draws, ``uniform_``/``normal_``, ``nn.Dropout``, ``nn.init`` and ``nn.Linear``'s
initial weights. ``manual_seed(0)`` makes all of them reproducible, as ``torch.manual_seed`` does
(the numbers are numpy's, not torch's stream).

Only numpy: the factories and the Tensor's in-place draws both build on this module.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_DEFAULT: np.random.Generator | None = None  # made on first use (numpy.random takes 10+ ms to import)


def _is_seed(seed: Any) -> bool:
    return isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the library's default generator, as ``torch.manual_seed``; returns that generator.

    After ``manual_seed(0)``, ``randn(3)``, dropout masks, ``nn.init`` and the initial weights of
    ``nn.Linear`` repeat from run to run. The same generator object is reseeded in place, so a
    reference taken earlier (``default_generator()``) follows the new seed too.

    Raises:
        TypeError: ``seed`` is not a non-negative int.
    """
    if not _is_seed(seed):
        raise TypeError(f"manual_seed: seed must be a non-negative int, got {type(seed).__name__} {seed!r}")
    default = default_generator()
    default.bit_generator.state = np.random.PCG64(int(seed)).state
    return default


def default_generator() -> np.random.Generator:
    """The library-wide generator that draws without an explicit seed use (see ``manual_seed``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = np.random.default_rng()
    return _DEFAULT


def generator(seed: Any = None, op: str = "generator") -> np.random.Generator:
    """The generator for a draw: ``seed`` itself if it is a numpy Generator, a new one seeded by an
    int, or the library's default generator for None.

    Raises:
        TypeError: ``seed`` is none of these; the message names ``op``.
    """
    if seed is None:
        return default_generator()
    if isinstance(seed, np.random.Generator):
        return seed
    if _is_seed(seed):
        return np.random.default_rng(int(seed))
    raise TypeError(f"{op}: seed must be a non-negative int, a numpy.random.Generator or None, got {seed!r}")


__all__ = ["manual_seed", "default_generator", "generator"]
