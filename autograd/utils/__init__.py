"""``torch.utils`` for this library: :mod:`autograd.utils.data` (``Dataset``, ``TensorDataset``,
``DataLoader``, the samplers, ``random_split``)."""

from . import data

__all__ = ["data"]
