"""``torch.multinomial`` and ``Tensor.multinomial``: category indices drawn with the given
probabilities, torch's CPU kernel's numbers after the same seed.

torch (aten/src/ATen/native/Distributions.cpp and cpu/MultinomialKernel.cpp) has two paths:

- without replacement, or for one sample: the exponential trick, ``argmax``/``topk`` of
  ``p / q`` with ``q = exponential_(1)`` drawn for every probability (one 53-bit uniform each),
  ties (zero probabilities) in ``topk``'s order (``autograd/_stl_sort.py``);
- with replacement: per row, the running sum of ``p`` in ``p``'s dtype, divided by the total,
  its last entry set to 1, and for each sample a 53-bit uniform ``u`` finds the first entry
  ``>= u`` (a binary search).

The draws are a random node of the graph (:func:`autograd._tensor.drawn`), so a compiled step
draws new samples at every call, in the eager order; a ``generator=`` of its own is refused there
(its stream is not the one the step replays).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _tensor
from ._stl_sort import topk_indices
from .graph import CompileError, is_tracing
from .random_state import default_generator
from .random_state import generator as _generator

#: torch refuses more categories: its kernel indexes them through a float
_MAX_CATEGORIES = 2**24


def _checked(op: str, probs: np.ndarray, num_samples: Any, replacement: Any) -> int:
    """torch's argument checks, in its order and words (before any draw); returns ``num_samples``."""
    if probs.ndim not in (1, 2):
        raise RuntimeError(f"{op}: prob_dist must be 1 or 2 dim, got {probs.ndim} dims (shape {probs.shape})")
    if probs.dtype.kind != "f":
        raise RuntimeError(
            f"{op}: multinomial only supports floating-point dtypes for input, got: {probs.dtype}"
        )
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"{op}: num_samples must be an int, got {type(num_samples).__name__} {num_samples!r}")
    if not isinstance(replacement, (bool, np.bool_)):
        raise TypeError(f"{op}: replacement must be a bool, got {type(replacement).__name__} {replacement!r}")
    n, categories = int(num_samples), probs.shape[-1]
    if n <= 0:
        raise RuntimeError(f"{op}: cannot sample n_sample <= 0 samples (num_samples={n})")
    if not replacement and n > categories:
        raise RuntimeError(
            f"{op}: cannot sample n_sample > prob_dist.size(-1) samples without replacement "
            f"(num_samples={n}, {categories} categories)"
        )
    if categories > _MAX_CATEGORIES:
        raise RuntimeError(f"{op}: number of categories cannot exceed 2^24 (got {categories})")
    return n


def _valid(op: str, p: np.ndarray) -> None:
    """torch's checks of the probabilities' values."""
    if not (np.isfinite(p).all() and (p >= 0).all()):
        raise RuntimeError(f"{op}: probability tensor contains either `inf`, `nan` or element < 0")
    if not p.shape[-1] or (p.sum(-1) == 0).any():
        raise RuntimeError(f"{op}: invalid multinomial distribution (sum of probabilities <= 0)")


def _by_exponentials(p: np.ndarray, q: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` largest ``p / q`` per row, largest first (``q``: the exponential draws)."""
    keys = p / q.astype(p.dtype)
    if n == 1:
        return np.argmax(keys, axis=-1)[..., None]
    return topk_indices(keys, n)


def _by_running_sums(p: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each uniform of ``u`` (a row per row of ``p``), the first running-sum entry ``>= u``."""
    cum = np.cumsum(p, axis=-1, dtype=p.dtype)  # (sequential, in p's dtype: torch's loop)
    cum = cum / cum[..., -1:]
    cum[..., -1] = 1
    flat_cum, flat_u = cum.reshape(-1, cum.shape[-1]), u.reshape(-1, u.shape[-1])
    rows = [np.searchsorted(c, v, side="left") for c, v in zip(flat_cum, flat_u)]
    return np.asarray(rows, dtype=np.int64).reshape(u.shape)


def multinomial(input: Any, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Any:
    """Draw ``num_samples`` category indices per row of ``input``, each with probability
    proportional to its entry (``torch.multinomial``): torch's numbers after the same seed.

    Without replacement an index is drawn at most once per row, and zero entries only after every
    positive one (in torch's order: its ``topk``'s, reproduced).

    Parameters
    ----------
    input : Tensor or array_like
        Non-negative weights, 1-d ``(categories,)`` or 2-d ``(rows, categories)``, of a float
        dtype; they need not sum to one, but each row must have a positive sum.
    num_samples : int
        How many indices per row (positive; at most ``categories`` without replacement).
    replacement : bool
        Draw with replacement (default False).
    generator : Generator, optional
        The random source (default: the library's generator, see :func:`~autograd.manual_seed`).

    Returns
    -------
    Tensor
        int64 indices, ``(num_samples,)`` or ``(rows, num_samples)``; not differentiable.

    Raises
    ------
    TypeError
        If ``num_samples`` is not an int or ``replacement`` not a bool; inside a compiled step, if
        ``generator`` is given (a :class:`~autograd.compiled.CompileError`).
    RuntimeError
        As torch: ``input`` not 1-d or 2-d or not of a float dtype, ``num_samples`` not positive or
        above the number of categories without replacement, a weight negative, inf or nan, or a
        row summing to 0.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> autograd.multinomial(autograd.tensor([0.1, 0.0, 0.6, 0.3]), 2).tolist()  # torch's, same seed
    [2, 3]
    """
    op = "multinomial"
    probs = input if isinstance(input, _tensor.Tensor) else _tensor.Tensor(input)
    n = _checked(op, probs.data, num_samples, replacement)
    fast = not replacement or n == 1  # (torch's fast path, also for one sample with replacement)
    shape = probs.data.shape[:-1] + (n,)
    if 0 in shape:  # (no rows: torch draws nothing)
        return _tensor.Tensor(np.zeros(shape, dtype=np.int64), dtype=np.int64)
    _valid(op, probs.data)
    draw_shape = probs.data.shape if fast else shape
    own = generator is not None and generator is not default_generator()
    if own and is_tracing():
        raise CompileError(
            f"{op}: a compiled step cannot draw from a generator= of its own (it would replay the "
            "trace's samples at every call); use the library's generator (autograd.manual_seed) or call "
            "the function uncompiled"
        )
    rng = _generator(generator, op)

    def draw(_like: tuple[int, ...]) -> np.ndarray:
        if fast:
            return rng.exponential(1.0, draw_shape)
        return rng.random(draw_shape, dtype=np.float64)

    def pick(p: np.ndarray, drawn: np.ndarray) -> np.ndarray:
        _valid(op, p)
        return _by_exponentials(p, drawn, n) if fast else _by_running_sums(p, drawn)

    if not is_tracing():
        return _tensor.Tensor(pick(probs.data, draw(draw_shape)), dtype=np.int64)
    return _tensor.nograd(pick, probs, _tensor.drawn(draw, probs))


_tensor.Tensor.multinomial = multinomial
