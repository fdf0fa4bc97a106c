"""``DataLoader``: batches from a dataset, torch's ``torch.utils.data.DataLoader``.

Everything runs in the calling process. ``num_workers > 0`` is accepted and loads in that
process as the single worker 0: ``worker_init_fn(0)`` runs at the start of every pass and
``get_worker_info()`` answers inside the dataset (``id=0, num_workers=1``), so code written for
worker processes gives every sample exactly once. ``pin_memory`` warns as torch does without an
accelerator; ``timeout``, ``prefetch_factor``, ``persistent_workers``, ``multiprocessing_context``,
``pin_memory_device`` and ``in_order`` are checked as torch checks them and otherwise change
nothing.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from ... import random_state
from .collate import default_collate, default_convert
from .dataset import IterableDataset, _CheckError
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _positive_int


@dataclass(frozen=True)
class WorkerInfo:
    """Which loading worker is running (``torch.utils.data.get_worker_info()``'s answer).

    Parameters
    ----------
    id : int
        The worker's number (here always 0).
    num_workers : int
        How many workers share the dataset (here always 1: loading runs in the calling process).
    seed : int
        The worker's seed (torch seeds the worker's random state with it; here it is only reported).
    dataset : Any
        The dataset being loaded.
    """

    id: int
    num_workers: int
    seed: int
    dataset: Any


_WORKER: ContextVar[WorkerInfo | None] = ContextVar("autograd_data_worker", default=None)


def get_worker_info() -> WorkerInfo | None:
    """Inside a DataLoader's loading with ``num_workers > 0``, the :class:`WorkerInfo` of the worker
    running (``torch.utils.data.get_worker_info``); None otherwise.

    Here loading runs in the calling process as one worker, so the answer is ``id=0,
    num_workers=1``: an IterableDataset that splits its stream by worker reads all of it.

    Returns
    -------
    WorkerInfo or None
        The worker's information, or None outside a worker.
    """
    return _WORKER.get()


class _Pass:
    """One pass over a DataLoader (what ``iter(loader)`` returns)."""

    def __init__(self, loader: DataLoader) -> None:
        self._dataset = loader.dataset
        self._iterable = isinstance(loader.dataset, IterableDataset)
        self._auto_collation = loader._auto_collation
        self._collate_fn = loader.collate_fn
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        if loader.pin_memory:
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                "memory won't be used.",
                stacklevel=3,
            )
        self._worker = None
        # torch draws the base seed on every new iterator, workers or not
        seed = int(random_state.generator(loader.generator, "DataLoader").integers(0, 2**63))
        if loader.num_workers > 0:
            self._worker = WorkerInfo(id=0, num_workers=1, seed=seed, dataset=loader.dataset)
        elif loader.timeout > 0:
            raise _CheckError(
                f"DataLoader: timeout={loader.timeout} needs num_workers > 0 (loading in the calling "
                "process has nothing to wait for; torch refuses it too)"
            )
        self._sampler_iter = iter(self._index_sampler)
        self._ended = False
        token = _WORKER.set(self._worker)
        try:
            if self._worker is not None and loader.worker_init_fn is not None:
                loader.worker_init_fn(0)
            self._data_iter = iter(self._dataset) if self._iterable else None
        finally:
            _WORKER.reset(token)

    def __iter__(self) -> _Pass:
        return self

    def __len__(self) -> int:
        return len(self._index_sampler)

    def __next__(self) -> Any:
        index = next(self._sampler_iter)
        token = _WORKER.set(self._worker)
        try:
            return self._fetch(index)
        finally:
            _WORKER.reset(token)

    def _fetch(self, index: Any) -> Any:
        if self._iterable:
            return self._fetch_stream(index)
        if not self._auto_collation:
            return self._collate_fn(self._dataset[index])
        many = getattr(self._dataset, "__getitems__", None)
        data = many(index) if callable(many) else [self._dataset[i] for i in index]
        return self._collate_fn(data)

    def _fetch_stream(self, index: Any) -> Any:
        if self._ended:
            raise StopIteration
        assert self._data_iter is not None
        if not self._auto_collation:
            return self._collate_fn(next(self._data_iter))
        data = []
        for _ in index:
            try:
                data.append(next(self._data_iter))
            except StopIteration:
                self._ended = True
                break
        if not data or (self._drop_last and len(data) < len(index)):
            raise StopIteration
        return self._collate_fn(data)


class _Forever(Sampler):
    """The "sampler" of an IterableDataset: None forever (the stream decides when it ends)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


class DataLoader:
    """Batches from a dataset, pass after pass (``torch.utils.data.DataLoader``).

    ``for X, y in DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)`` gives mini-batches
    in a new random order at each pass; ``len(loader)`` is the number of batches and
    ``loader.dataset`` the dataset. The batches are made by ``collate_fn`` (default
    :func:`default_collate`: Tensors stacked, numbers and numpy arrays made Tensors with torch's
    dtypes, tuples, lists and dicts collated field by field). With ``batch_size=None`` the samples
    come one by one, unbatched, through :func:`default_convert`. An :class:`IterableDataset` is
    read as a stream.

    Loading runs in the calling process: ``num_workers > 0`` is accepted and loads as the single
    worker 0 (see :func:`get_worker_info`); nothing is copied but into the batch (with
    ``batch_size=None`` a Tensor sample comes out as the same object).

    Shuffling is reproducible: :func:`autograd.manual_seed` fixes the orders of the passes that
    follow, and a ``generator`` (an :class:`autograd.Generator`) gives the loader its own
    stream. The orders are not torch's for the same seed (the random streams differ).

    Parameters
    ----------
    dataset : Dataset
        A map-style dataset (``__getitem__`` and ``__len__``; a list works too) or an
        :class:`IterableDataset`.
    batch_size : int or None
        Samples per batch (default 1); None: no batching.
    shuffle : bool, optional
        A new random order at every pass (map-style datasets only; default False).
    sampler : Sampler or iterable, optional
        The order of the indices, instead of ``shuffle``.
    batch_sampler : Sampler or iterable, optional
        Lists of indices, one per batch, instead of ``batch_size``, ``shuffle``, ``sampler`` and
        ``drop_last``.
    num_workers : int
        Accepted (non-negative); loading runs in the calling process either way.
    collate_fn : callable, optional
        Makes a batch of a list of samples (default :func:`default_collate`, or
        :func:`default_convert` without batching).
    pin_memory : bool
        Accepted; warns, as torch does without an accelerator.
    drop_last : bool
        Drop the last batch if it is incomplete.
    timeout : float
        Accepted (non-negative) with ``num_workers > 0``; nothing waits for workers here.
    worker_init_fn : callable, optional
        With ``num_workers > 0``, called as ``worker_init_fn(0)`` at the start of every pass.
    multiprocessing_context : Any
        Accepted with ``num_workers > 0`` (torch refuses it without workers).
    generator : Generator, optional
        The random source of ``shuffle`` (an :class:`autograd.Generator` or a numpy Generator).
    prefetch_factor : int, optional
        Accepted with ``num_workers > 0`` (torch refuses it without workers).
    persistent_workers : bool
        Accepted with ``num_workers > 0`` (torch refuses it without workers).
    pin_memory_device : str
        Accepted and ignored (deprecated in torch).
    in_order : bool
        Accepted and ignored (batches always come in order here).

    Raises
    ------
    ValueError
        For the combinations torch refuses, each message naming the arguments and the values
        given: ``batch_size`` not a positive int (or None), ``sampler`` with ``shuffle=True``,
        ``batch_sampler`` with ``batch_size``/``shuffle``/``sampler``/``drop_last``,
        ``batch_size=None`` with ``drop_last=True``, ``shuffle``/``sampler``/``batch_sampler`` with
        an IterableDataset, a negative ``num_workers`` or ``timeout``, and the worker options
        without workers.
    TypeError
        If ``dataset`` has no ``__getitem__`` and is no IterableDataset.

    Examples
    --------
    >>> import autograd
    >>> from autograd.utils.data import DataLoader, TensorDataset
    >>> ds = TensorDataset(autograd.arange(10.0).reshape(5, 2), autograd.arange(5))
    >>> loader = DataLoader(ds, batch_size=2)
    >>> len(loader), [y.tolist() for _, y in loader]
    (3, [[0, 1], [2, 3], [4]])
    >>> X, y = next(iter(loader))
    >>> X.shape, X.dtype, y.dtype
    ((2, 2), dtype('float64'), dtype('int64'))
    """

    def __class_getitem__(cls, item: Any) -> Any:
        """``DataLoader[T]`` in a type hint (torch's class is generic): the class itself."""
        return cls

    __initialized = False

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler | Iterable[Any] | None = None,
        batch_sampler: Sampler | Iterable[Any] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], Any] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(
                f"DataLoader: num_workers option should be a non-negative int (0 loads in the calling "
                f"process; so does any other value here), got num_workers={num_workers!r}"
            )
        if not isinstance(timeout, (int, float)) or timeout < 0:
            raise ValueError(f"DataLoader: timeout option should be non-negative, got timeout={timeout!r}")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError(
                f"DataLoader: prefetch_factor={prefetch_factor!r} needs num_workers > 0 (torch's rule): "
                "let num_workers > 0, or leave prefetch_factor None"
            )
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError(
                f"DataLoader: prefetch_factor option should be non-negative, got {prefetch_factor!r}"
            )
        if persistent_workers and num_workers == 0:
            raise ValueError("DataLoader: persistent_workers=True needs num_workers > 0 (torch's rule)")
        if multiprocessing_context is not None and num_workers == 0:
            raise ValueError(
                "DataLoader: multiprocessing_context can only be used with multi-process loading "
                f"(num_workers > 0), but got num_workers={num_workers}"
            )
        iterable = isinstance(dataset, IterableDataset)
        if not iterable and not hasattr(dataset, "__getitem__"):
            raise TypeError(
                f"DataLoader: dataset must be a map-style dataset (with __getitem__ and __len__: a "
                f"Dataset, a TensorDataset, a list) or an IterableDataset, got {type(dataset).__name__}"
            )
        if iterable:
            if shuffle not in (False, None):
                raise ValueError(
                    f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                    f"shuffle={shuffle!r} (a stream has no order to shuffle; shuffle inside the dataset)"
                )
            if sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified sampler option, but got "
                    f"sampler={sampler!r}"
                )
            if batch_sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified batch_sampler option, but got "
                    f"batch_sampler={batch_sampler!r}"
                )
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError(
                "DataLoader: sampler option is mutually exclusive with shuffle: the sampler gives the order; "
                "pass shuffle=False (or RandomSampler as the sampler)"
            )
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                conflicts = {
                    "batch_size": batch_size != 1, "shuffle": shuffle, "sampler": sampler is not None,
                    "drop_last": drop_last,
                }  # fmt: skip
                given = {
                    "batch_size": batch_size,
                    "shuffle": shuffle,
                    "sampler": sampler,
                    "drop_last": drop_last,
                }
                named = ", ".join(f"{k}={given[k]!r}" for k, bad in conflicts.items() if bad)
                raise ValueError(
                    "DataLoader: batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    f"sampler, and drop_last (the batch sampler decides them), got {named}"
                )
            batch_size, drop_last = None, False
        elif batch_size is None:
            if drop_last:
                raise ValueError(
                    "DataLoader: batch_size=None option disables auto-batching and is mutually exclusive "
                    "with drop_last=True"
                )
        elif not _positive_int(batch_size):
            raise ValueError(
                f"DataLoader: batch_size should be a positive integer value (or None for no batching), "
                f"but got batch_size={batch_size!r}"
            )
        if not isinstance(drop_last, bool):
            raise ValueError(
                f"DataLoader: drop_last should be a boolean value, but got drop_last={drop_last!r}"
            )
        if sampler is None:
            if iterable:
                sampler = _Forever()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.generator = generator
        self.in_order = in_order
        self.persistent_workers = persistent_workers
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.__initialized = True

    def __setattr__(self, attr: str, value: Any) -> None:
        if self.__initialized and attr in (
            "batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers",
        ):  # fmt: skip
            raise ValueError(
                f"{attr} attribute should not be set after {type(self).__name__} is initialized: make a new "
                f"{type(self).__name__}"
            )
        super().__setattr__(attr, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self) -> Iterator[Any]:
        return _Pass(self)

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self._index_sampler)


__all__ = ["DataLoader", "get_worker_info", "WorkerInfo"]
