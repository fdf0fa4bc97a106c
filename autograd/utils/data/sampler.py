"""The samplers of ``torch.utils.data``: which indices a ``DataLoader`` asks its dataset for, and in
which order. ``SequentialSampler`` (0, 1, 2, ...), ``RandomSampler`` (a permutation, or draws with
replacement), ``SubsetRandomSampler``, ``WeightedRandomSampler`` and ``BatchSampler`` (indices
grouped into lists), with torch's arguments and errors.

The random ones take a ``generator=`` (an :class:`autograd.Generator`, or a numpy Generator).
Without one, each pass draws one number from the library's default generator to seed its own
stream, as torch does: ``autograd.manual_seed`` makes the order reproducible, and an epoch
advances the default stream by the same amount whatever the dataset's size. The orders are
numpy's, not torch's, for the same seed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any

import numpy as np

from ... import random_state


def _stream(generator: Any, op: str) -> np.random.Generator:
    """The numpy generator a random sampler draws from: the ``generator`` given, else a new one
    seeded by one draw from the library's default generator (torch's way)."""
    if generator is None:  # torch: int(torch.empty((), dtype=torch.int64).random_().item())
        seed = int(random_state.generator(None, op).integers(0, 2**63))
        return random_state.Generator().manual_seed(seed)._rng
    if isinstance(generator, (random_state.Generator, np.random.Generator)):
        return random_state.generator(generator, op)
    raise TypeError(
        f"{op}: generator must be an autograd.Generator (autograd.Generator().manual_seed(0)), a "
        f"numpy.random.Generator or None, got {generator!r}"
    )


def _permutation(n: int, generator: Any, op: str) -> np.ndarray:
    """A random permutation of ``range(n)``; from ``generator`` or the default generator itself."""
    if generator is None:
        return random_state.generator(None, op).permutation(n)
    return _stream(generator, op).permutation(n)


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class Sampler:
    """The base of the samplers (``torch.utils.data.Sampler``): a subclass defines ``__iter__``
    (the indices, or for a batch sampler lists of them) and usually ``__len__``. Any iterable of
    indices with a ``len`` serves as a DataLoader's ``sampler`` as well.

    Parameters
    ----------
    data_source : Dataset, optional
        Accepted for torch's older signature, and ignored.
    """

    def __class_getitem__(cls, item: Any) -> Any:
        """``Sampler[T]`` in a type hint (torch's class is generic): the class itself."""
        return cls

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(
            f"{type(self).__name__} must define __iter__ (subclasses of Sampler implement it)"
        )


class SequentialSampler(Sampler):
    """``0, 1, ..., len(data_source) - 1`` (``torch.utils.data.SequentialSampler``): the order of a
    DataLoader without ``shuffle``.

    Parameters
    ----------
    data_source : Dataset
        Anything with a ``len``.

    Examples
    --------
    >>> from autograd.utils.data import SequentialSampler
    >>> list(SequentialSampler(range(4)))
    [0, 1, 2, 3]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """The indices in random order (``torch.utils.data.RandomSampler``): the order of
    ``DataLoader(..., shuffle=True)``, a new one at every pass.

    Without replacement each pass is a permutation of ``range(len(data_source))`` (with
    ``num_samples`` larger than that, several permutations one after the other, the last one cut);
    with replacement, ``num_samples`` independent uniform draws.

    Parameters
    ----------
    data_source : Dataset
        Anything with a ``len``.
    replacement : bool
        Draw with replacement (default False).
    num_samples : int, optional
        How many indices a pass yields (default ``len(data_source)``).
    generator : Generator, optional
        The random source (an :class:`autograd.Generator` or a numpy Generator); None: one draw
        from the default generator seeds each pass (see :func:`autograd.manual_seed`).

    Raises
    ------
    TypeError
        If ``replacement`` is not a bool (torch's type).
    ValueError
        If ``num_samples`` (or, without it, ``len(data_source)``) is not a positive int.

    Examples
    --------
    >>> import autograd
    >>> from autograd.utils.data import RandomSampler
    >>> g = autograd.Generator().manual_seed(0)
    >>> sorted(RandomSampler(range(5), generator=g))
    [0, 1, 2, 3, 4]
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(replacement, bool):
            raise TypeError(
                f"RandomSampler: replacement should be a boolean value, but got replacement={replacement!r}"
            )
        if not _positive_int(self.num_samples):
            where = "" if num_samples is not None else " (len(data_source), as num_samples was not given)"
            raise ValueError(
                f"RandomSampler: num_samples should be a positive integer value, but got "
                f"num_samples={self.num_samples!r}{where}"
            )

    @property
    def num_samples(self) -> int:
        """How many indices a pass yields."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        rng = _stream(self.generator, "RandomSampler")
        if self.replacement:
            if n == 0:
                raise RuntimeError("RandomSampler: cannot draw with replacement from an empty data_source")
            yield from rng.integers(0, n, self.num_samples).tolist()
            return
        for _ in range(self.num_samples // n):
            yield from rng.permutation(n).tolist()
        # torch draws this last permutation even when num_samples is a multiple of n (it moves
        # a given generator on)
        yield from rng.permutation(n)[: self.num_samples % n].tolist()

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in random order, a new order at every pass
    (``torch.utils.data.SubsetRandomSampler``).

    Parameters
    ----------
    indices : sequence of int
        The indices to yield.
    generator : Generator, optional
        The random source (an :class:`autograd.Generator` or a numpy Generator); None: the
        library's default generator.

    Examples
    --------
    >>> from autograd.utils.data import SubsetRandomSampler
    >>> sorted(SubsetRandomSampler([7, 3, 5]))
    [3, 5, 7]
    """

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        for i in _permutation(len(self.indices), self.generator, "SubsetRandomSampler").tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """Indices drawn with probabilities proportional to ``weights``
    (``torch.utils.data.WeightedRandomSampler``, ``torch.multinomial``'s semantics).

    Without replacement an index is drawn at most once per pass (weighted sampling without
    replacement: zero weights come last).

    Parameters
    ----------
    weights : sequence of float or Tensor
        One non-negative weight per index (they need not sum to one).
    num_samples : int
        How many indices a pass yields.
    replacement : bool
        Draw with replacement (default True).
    generator : Generator, optional
        The random source (an :class:`autograd.Generator` or a numpy Generator); None: the
        library's default generator.

    Raises
    ------
    ValueError
        If ``num_samples`` is not a positive int, ``replacement`` not a bool, or ``weights`` not
        1-d (torch's errors).
    RuntimeError
        When iterating, if a weight is negative, nan or inf, they sum to 0, or more samples than
        weights are asked for without replacement (torch's errors, raised where torch raises them).

    Examples
    --------
    >>> from autograd.utils.data import WeightedRandomSampler
    >>> list(WeightedRandomSampler([0.0, 1.0, 0.0], 3))
    [1, 1, 1]
    """

    def __init__(
        self, weights: Any, num_samples: int, replacement: bool = True, generator: Any = None
    ) -> None:
        if not _positive_int(num_samples):
            raise ValueError(
                f"WeightedRandomSampler: num_samples should be a positive integer value, but got "
                f"num_samples={num_samples!r}"
            )
        if not isinstance(replacement, bool):
            raise ValueError(
                "WeightedRandomSampler: replacement should be a boolean value, but got "
                f"replacement={replacement!r}"
            )
        from ...factories import as_tensor

        array = np.asarray(getattr(weights, "data", weights), dtype=np.float64)
        if array.ndim != 1:
            raise ValueError(
                f"WeightedRandomSampler: weights should be a 1d sequence but given weights have shape "
                f"{tuple(array.shape)}"
            )
        self.weights = as_tensor(array)
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        w = self.weights.data
        if not np.isfinite(w).all() or (w < 0).any():
            raise RuntimeError(
                "WeightedRandomSampler: invalid multinomial distribution: weights must be finite and "
                "non-negative (a weight is negative, nan or inf)"
            )
        total = w.sum()
        if not total > 0:
            raise RuntimeError(
                "WeightedRandomSampler: invalid multinomial distribution (sum of probabilities <= 0)"
            )
        if not self.replacement and self.num_samples > len(w):
            raise RuntimeError(
                f"WeightedRandomSampler: cannot sample n_sample > prob_dist.size(-1) samples without "
                f"replacement: num_samples={self.num_samples} > {len(w)} weights"
            )
        from ...multinomial import multinomial

        # torch's: multinomial over the float64 weights, so the same indices after the same seed
        drawn = multinomial(self.weights, self.num_samples, self.replacement, generator=self.generator)
        yield from drawn.tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """The indices of ``sampler`` in lists of ``batch_size`` (``torch.utils.data.BatchSampler``):
    what a DataLoader with a ``batch_size`` uses; the last list is shorter, or dropped with
    ``drop_last=True``.

    Parameters
    ----------
    sampler : Sampler or iterable
        The indices (any iterable; ``len`` needs one with a ``len``).
    batch_size : int
        The size of a batch (positive).
    drop_last : bool
        Drop the last, incomplete batch.

    Raises
    ------
    ValueError
        If ``batch_size`` is not a positive int or ``drop_last`` not a bool (torch's errors).

    Examples
    --------
    >>> from autograd.utils.data import BatchSampler, SequentialSampler
    >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False))
    [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    >>> list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=True))
    [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    """

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not _positive_int(batch_size):
            raise ValueError(
                "BatchSampler: batch_size should be a positive integer value, but got "
                f"batch_size={batch_size!r}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(
                f"BatchSampler: drop_last should be a boolean value, but got drop_last={drop_last!r}"
            )
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        indices = iter(self.sampler)
        while batch := list(itertools.islice(indices, self.batch_size)):
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


__all__ = [
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "BatchSampler",
]
