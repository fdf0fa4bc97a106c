"""``torch.utils`` for this library: :mod:`autograd.utils.data` (``Dataset``, ``TensorDataset``,
``DataLoader``, the samplers, ``random_split``) and :mod:`autograd.utils.hooks` (``RemovableHandle``)."""

from . import data, hooks

__all__ = ["data", "hooks"]
