"""``torch.nn.modules``'s place for its hook functions:
``autograd.nn.modules.module.register_module_forward_hook`` and its siblings (:mod:`autograd.nn.hooks`)."""

from . import module

__all__ = ["module"]
