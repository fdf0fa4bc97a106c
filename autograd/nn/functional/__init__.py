"""``torch.nn.functional``'s names and signatures: ``import autograd.nn.functional as F``."""

from .losses import *  # noqa: F403
from .losses import __all__, __getattr__, _probability, _reduction  # noqa: F401
