"""``torch.nn.modules.module``: ``Module`` and the hooks of every module (``autograd/nn/hooks.py``)."""

from ..hooks import (
    register_module_forward_hook,
    register_module_forward_pre_hook,
    register_module_full_backward_hook,
    register_module_full_backward_pre_hook,
)
from ..module import Module

__all__ = [
    "Module",
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_full_backward_pre_hook",
]

Module.__module__ = __name__  # (torch's place, torch.nn.modules.module, and its one documented object)
