"""``torch.nn.modules``'s place for its hook functions:
``autograd.nn.modules.module.register_module_forward_hook`` and its siblings (``autograd/nn/hooks.py``)."""

from . import module

__all__ = ["module"]
