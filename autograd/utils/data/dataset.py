"""The datasets of ``torch.utils.data``: ``Dataset`` (map-style: ``dataset[i]`` and ``len``),
``IterableDataset`` (a stream), ``TensorDataset``, ``StackDataset``, ``ConcatDataset``,
``ChainDataset``, ``Subset`` and ``random_split``, with torch's semantics and errors (where torch
raises an ``AssertionError`` for a bad argument, the error here is both a ``ValueError`` and an
``AssertionError``, so either ``except`` catches it)."""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..._tensor import Tensor
from .sampler import _permutation


class _CheckError(ValueError, AssertionError):
    """A bad argument where torch raises an ``AssertionError``: a ``ValueError`` too (the usual
    type for a bad argument), so code that catches either keeps working."""


class Dataset:
    """A map-style dataset (``torch.utils.data.Dataset``): subclass it and define ``__getitem__``
    (one sample for an index) and ``__len__`` (how many there are); ``DataLoader`` asks for the
    samples by index and collates them into batches.

    ``dataset_a + dataset_b`` is their :class:`ConcatDataset`. A subclass may also define
    ``__getitems__(indices)``, returning the list of samples of a batch at once; the DataLoader
    then calls it instead of indexing one by one.

    Examples
    --------
    >>> from autograd.utils.data import Dataset
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, i):
    ...         return i * i
    >>> [Squares()[i] for i in range(len(Squares()))]
    [0, 1, 4, 9]
    """

    def __class_getitem__(cls, item: Any) -> Any:
        """``Dataset[T]`` in a type hint (torch's class is generic): the class itself."""
        return cls

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must define __getitem__(self, index) (subclasses of Dataset implement it)"
        )

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A dataset that is a stream of samples (``torch.utils.data.IterableDataset``): subclass it and
    define ``__iter__``. ``DataLoader`` iterates it (no indices, no ``shuffle`` or ``sampler``) and
    collates every ``batch_size`` samples into a batch; ``len(loader)`` asks the dataset's
    ``__len__`` if it has one.

    Loading here runs in the calling process (also with ``num_workers > 0``, as one worker), so
    the stream is read once, in order; ``get_worker_info()`` tells a dataset which worker it is
    in, as in torch. ``a + b`` is their :class:`ChainDataset`.

    Examples
    --------
    >>> from autograd.utils.data import DataLoader, IterableDataset
    >>> class Count(IterableDataset):
    ...     def __iter__(self):
    ...         return iter(range(5))
    >>> [batch.tolist() for batch in DataLoader(Count(), batch_size=2)]
    [[0, 1], [2, 3], [4]]
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(
            f"{type(self).__name__} must define __iter__(self) (subclasses of IterableDataset implement it)"
        )

    def __add__(self, other: Dataset) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Samples are the rows of Tensors (``torch.utils.data.TensorDataset``): ``dataset[i]`` is
    ``(t[i] for t in tensors)`` as a tuple, so ``DataLoader(TensorDataset(x, y), batch_size=64)``
    gives ``[x_batch, y_batch]`` lists.

    The rows are views of the Tensors given (nothing is copied), and keep their
    ``requires_grad`` (False for data).

    Parameters
    ----------
    *tensors : Tensor
        Tensors with the same size of their first dimension (the number of samples).

    Raises
    ------
    TypeError
        If an argument is not a Tensor of at least one dimension.
    ValueError
        If no Tensor is given, or the first dimensions differ (also an ``AssertionError``, torch's
        type).

    Examples
    --------
    >>> import autograd
    >>> from autograd.utils.data import TensorDataset
    >>> ds = TensorDataset(autograd.arange(6.0).reshape(3, 2), autograd.tensor([0, 1, 0]))
    >>> len(ds), ds[1]
    (3, (Tensor([2., 3.], dtype=float64), Tensor(1, dtype=int64)))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError(
                "TensorDataset: expected one or more Tensors (the inputs, the targets), got none"
            )
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor) or t.ndim == 0:
                what = "a 0-d Tensor" if isinstance(t, Tensor) else type(t).__name__
                raise TypeError(
                    f"TensorDataset: tensors[{i}] must be a Tensor with a first dimension (one row per "
                    f"sample), got {what}; make one with autograd.tensor(...) or autograd.from_numpy(array)"
                )
        sizes = [t.shape[0] for t in tensors]
        if any(n != sizes[0] for n in sizes):
            raise _CheckError(
                f"TensorDataset: size mismatch between tensors: their first dimensions must be equal, "
                f"got {sizes}"
            )
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class StackDataset(Dataset):
    """Samples made of the samples of several datasets of the same length
    (``torch.utils.data.StackDataset``): ``StackDataset(a, b)[i]`` is ``(a[i], b[i])``,
    ``StackDataset(x=a, y=b)[i]`` is ``{"x": a[i], "y": b[i]}``.

    Parameters
    ----------
    *args : Dataset
        Datasets whose samples form a tuple.
    **kwargs : Dataset
        Datasets whose samples form a dict (give either these or ``args``).

    Raises
    ------
    ValueError
        If both or neither are given, or the lengths differ.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args and kwargs:
            raise ValueError(
                "StackDataset: give the datasets either as arguments (tuple samples) or as keywords "
                "(dict samples), not both"
            )
        if not args and not kwargs:
            raise ValueError("StackDataset: expected at least one dataset, got none")
        datasets = list(args) if args else list(kwargs.values())
        lengths = [len(d) for d in datasets]
        if any(n != lengths[0] for n in lengths):
            raise ValueError(f"StackDataset: size mismatch between datasets: got lengths {lengths}")
        self._length = lengths[0]
        self.datasets: tuple[Any, ...] | dict[str, Any] = args if args else kwargs

    def __getitem__(self, index: Any) -> Any:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset):
    """Several map-style datasets one after the other (``torch.utils.data.ConcatDataset``; also
    ``a + b``): index ``len(a)`` is ``b[0]``.

    Parameters
    ----------
    datasets : iterable of Dataset
        The map-style datasets, in order (not IterableDatasets: see :class:`ChainDataset`).

    Raises
    ------
    ValueError
        If ``datasets`` is empty or holds an IterableDataset (also an ``AssertionError``, torch's
        type).
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise _CheckError("ConcatDataset: datasets should not be an empty iterable")
        for i, d in enumerate(self.datasets):
            if isinstance(d, IterableDataset):
                raise _CheckError(
                    f"ConcatDataset does not support IterableDataset: datasets[{i}] is a "
                    f"{type(d).__name__}; chain streams with ChainDataset"
                )
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> Any:
        if idx < 0:
            if -idx > len(self):
                raise ValueError(
                    f"ConcatDataset: absolute value of index should not exceed dataset length "
                    f"({len(self)}), got index {idx}"
                )
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        if which == len(self.datasets):
            raise IndexError(
                f"ConcatDataset: index {idx} is out of range for a dataset of length {len(self)}"
            )
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][idx - start]


class ChainDataset(IterableDataset):
    """Several IterableDatasets one after the other (``torch.utils.data.ChainDataset``; also
    ``a + b`` of two IterableDatasets).

    Parameters
    ----------
    datasets : iterable of IterableDataset
        The streams, in order.

    Raises
    ------
    ValueError
        While iterating (or in ``len``), if one of ``datasets`` is not an IterableDataset (also an
        ``AssertionError``, torch's type).
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def _checked(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise _CheckError(
                    f"ChainDataset only supports IterableDataset, got a {type(d).__name__}; join "
                    "map-style datasets with ConcatDataset"
                )
            yield d

    def __iter__(self) -> Iterator[Any]:
        for d in self._checked():
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self._checked())


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order (``torch.utils.data.Subset``):
    ``Subset(ds, [4, 0])[1]`` is ``ds[0]``. :func:`random_split` returns these.

    Parameters
    ----------
    dataset : Dataset
        The whole dataset.
    indices : sequence of int
        The indices into ``dataset`` that this subset holds.
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]  # type: ignore[index]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list[Any]:
        """The samples at ``indices`` (positions in this subset), through the dataset's own
        ``__getitems__`` when it has one (the DataLoader calls this for a batch)."""
        inner = getattr(self.dataset, "__getitems__", None)
        if callable(inner):
            return inner([self.indices[i] for i in indices])  # type: ignore[no-any-return]
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self) -> int:
        return len(self.indices)


def random_split(dataset: Any, lengths: Sequence[int | float], generator: Any = None) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping :class:`Subset`\\ s
    (``torch.utils.data.random_split``).

    ``lengths`` are either the subsets' sizes, summing to ``len(dataset)``, or fractions summing to
    1: ``floor(len(dataset) * fraction)`` each, and the items left over go one each to the subsets
    in turn from the first (torch's rule; a warning names a subset left empty).

    Parameters
    ----------
    dataset : Dataset
        A map-style dataset (anything with ``len``).
    lengths : sequence of int or float
        The sizes, or the fractions.
    generator : Generator, optional
        The random source: an :class:`autograd.Generator` (or a ``numpy.random.Generator``); None
        (default) draws from the library's default generator, which :func:`autograd.manual_seed`
        seeds. The split is reproducible either way; it is not torch's split for the same seed
        (the random streams differ).

    Returns
    -------
    list of Subset
        One per length, in order.

    Raises
    ------
    ValueError
        If the sizes do not sum to ``len(dataset)``, a fraction is outside [0, 1], or a size is
        negative.
    TypeError
        If a length is neither an int nor a float.

    Examples
    --------
    >>> import autograd
    >>> from autograd.utils.data import random_split
    >>> train, valid = random_split(range(10), [0.8, 0.2], generator=autograd.Generator().manual_seed(0))
    >>> len(train), len(valid), sorted(list(train) + list(valid)) == list(range(10))
    (8, 2, True)
    """
    lengths = list(lengths)
    for i, n in enumerate(lengths):
        if isinstance(n, bool) or not isinstance(n, (int, float)):
            raise TypeError(
                f"random_split: lengths must be ints (sizes) or floats (fractions summing to 1), "
                f"got lengths[{i}] = {n!r}"
            )
    size = len(dataset)
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        for i, frac in enumerate(lengths):
            if not 0 <= frac <= 1:
                raise ValueError(f"random_split: fraction at index {i} is not between 0 and 1, got {frac}")
        counts = [math.floor(size * frac) for frac in lengths]
        for i in range(size - sum(counts)):
            counts[i % len(counts)] += 1
        for i, n in enumerate(counts):
            if n == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.", stacklevel=2
                )
        lengths = counts
    for i, n in enumerate(lengths):
        if not isinstance(n, int) or n < 0:
            raise ValueError(
                f"random_split: lengths must be non-negative ints summing to len(dataset) = {size}, or "
                f"fractions summing to 1; got lengths[{i}] = {n!r} in {lengths}"
            )
    if sum(lengths) != size:
        raise ValueError(
            f"random_split: sum of input lengths does not equal the length of the input dataset: "
            f"{lengths} sum to {sum(lengths)}, len(dataset) is {size} (or give fractions summing to 1)"
        )
    order = _permutation(size, generator, "random_split").tolist()
    return [
        Subset(dataset, order[end - n : end])
        for end, n in zip(itertools.accumulate(lengths), lengths, strict=True)
    ]


__all__ = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "StackDataset",
    "ConcatDataset",
    "ChainDataset",
    "Subset",
    "random_split",
]
