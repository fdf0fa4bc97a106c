"""``torch.utils.hooks``: :class:`RemovableHandle`, the handle every ``register_*hook`` method returns."""

from .._handle import RemovableHandle

__all__ = ["RemovableHandle"]
