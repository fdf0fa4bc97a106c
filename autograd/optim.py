"""``torch.optim``'s import path: ``import autograd.optim as optim`` and
``from autograd.optim.lr_scheduler import StepLR`` give the ``optimizers`` package beside this one
and its schedulers (the same module objects, not copies)."""

from __future__ import annotations

import sys

from ._siblings import sibling

_optimizers = sibling("optimizers")
sys.modules[__name__ + ".lr_scheduler"] = _optimizers.lr_scheduler
sys.modules[__name__] = _optimizers
