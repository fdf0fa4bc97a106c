"""``torch.utils.hooks``: :class:`~autograd.utils.hooks.RemovableHandle`, the handle every
``register_*hook`` method returns."""

from .._handle import RemovableHandle

__all__ = ["RemovableHandle"]

RemovableHandle.__module__ = __name__  # (its documented place)
