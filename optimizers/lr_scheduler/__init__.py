"""Learning-rate schedules with ``torch.optim.lr_scheduler`` semantics.

Call ``sched.step()`` once after each ``opt.step()``; the scheduler writes
``group["lr"]`` of every parameter group. Constructing a scheduler already sets
the lr for the first step. Where torch computes a schedule recursively
(``lr_t`` from ``lr_{t-1}``) we do too, so the floats match torch's exactly.

``lr_at(make_scheduler, steps, base_lr, **kwargs)`` gives the lr at each step
without a real optimizer, e.g. for plotting.

Not supported (unlike torch): the ``last_epoch`` constructor argument and
``step(epoch)``; resume with ``state_dict()`` / ``load_state_dict()`` instead.

By kind: ``base`` (``LRScheduler``, the checks, ``lr_at``), ``closed_form``,
``cyclic`` (``CyclicLR``, ``OneCycleLR``), ``composite`` (``SequentialLR``,
``ChainedScheduler``, and ``ReduceLROnPlateau``).
"""

from .base import LRScheduler, lr_at
from .closed_form import (
    ConstantLR,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    StepLR,
)
from .composite import ChainedScheduler, ReduceLROnPlateau, SequentialLR
from .cyclic import CyclicLR, OneCycleLR

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
    "lr_at",
]
