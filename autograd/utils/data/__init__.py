"""``torch.utils.data`` for this library: datasets, samplers and the ``DataLoader``, with torch's
names, arguments, semantics and errors, so ``from autograd.utils.data import DataLoader`` is the
only change a PyTorch training loop needs here.

- Datasets: :class:`Dataset` (map-style), :class:`IterableDataset` (a stream),
  :class:`TensorDataset`, :class:`StackDataset`, :class:`ConcatDataset`, :class:`ChainDataset`,
  :class:`Subset`, :func:`random_split`.
- Samplers: :class:`Sampler`, :class:`SequentialSampler`, :class:`RandomSampler`,
  :class:`SubsetRandomSampler`, :class:`WeightedRandomSampler`, :class:`BatchSampler`.
- Loading: :class:`DataLoader`, :func:`default_collate`, :func:`default_convert`,
  :func:`get_worker_info`.

What differs from torch: loading always runs in the calling process (``num_workers > 0`` is
accepted and loads as one worker); the random orders are reproducible (``autograd.manual_seed``,
or a ``generator=``) but are numpy's, not torch's, for the same seed; Tensors hold float32,
float64, integers or bools (a float16 array does not collate).
"""

from .collate import default_collate, default_convert
from .dataloader import DataLoader, WorkerInfo, get_worker_info
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

__all__ = [
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "StackDataset",
    "ConcatDataset",
    "ChainDataset",
    "Subset",
    "random_split",
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "BatchSampler",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "WorkerInfo",
]
