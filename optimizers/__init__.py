"""Optimizers, learning-rate schedules, gradient clipping, batching and checkpoints
that match ``torch.optim`` step for step.

Optimizers read ``.grad`` and write ``.data`` of ``autograd`` Values and Tensors;
they compute no derivatives themselves.
"""

from .adadelta import Adadelta
from .adafactor import Adafactor
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .asgd import ASGD
from .base import Optimizer
from .batching import batches
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from .clip import clip_grad_norm, clip_grad_value
from .lbfgs import LBFGS
from .lion import Lion
from .lr_scheduler import (
    ChainedScheduler,
    ConstantLR,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    MultiplicativeLR,
    MultiStepLR,
    OneCycleLR,
    PolynomialLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
    lr_at,
)
from .muon import Muon
from .nadam import NAdam
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = [
    "ASGD",
    "SGD",
    "Adafactor",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "ChainedScheduler",
    "CheckpointError",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LBFGS",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "Lion",
    "MultiStepLR",
    "Muon",
    "MultiplicativeLR",
    "NAdam",
    "OneCycleLR",
    "Optimizer",
    "PolynomialLR",
    "RAdam",
    "RMSprop",
    "Rprop",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
    "batches",
    "clip_grad_norm",
    "clip_grad_value",
    "load_checkpoint",
    "lr_at",
    "save_checkpoint",
]
