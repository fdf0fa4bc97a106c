"""Optimizers, learning-rate schedules, gradient clipping, batching and checkpoints
that match ``torch.optim`` step for step.

Optimizers read ``.grad`` and write ``.data`` of ``autograd`` Values and Tensors;
they compute no derivatives themselves.
"""

from typing import Any

#: where each public name is defined: imported from there when first used (``optimizers.SGD``), so an
#: import reads only the optimizers a program uses (all twenty, the schedulers and the checkpoints'
#: json: a sixth of the library's import time)
_HOMES = {
    "Adadelta": ".adadelta", "Adafactor": ".adafactor", "Adagrad": ".adagrad", "Adam": ".adam",
    "AdamW": ".adam", "Adamax": ".adamax", "ASGD": ".asgd", "Optimizer": ".base", "batches": ".batching",
    "CheckpointError": ".checkpoint", "load_checkpoint": ".checkpoint", "save_checkpoint": ".checkpoint",
    "clip_grad_norm": ".clip", "clip_grad_value": ".clip", "LBFGS": ".lbfgs", "Lion": ".lion",
    "Muon": ".muon", "NAdam": ".nadam", "RAdam": ".radam", "RMSprop": ".rmsprop", "Rprop": ".rprop",
    "SGD": ".sgd",
    **dict.fromkeys(
        ("ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR",
         "ExponentialLR", "LambdaLR", "LinearLR", "LRScheduler", "MultiplicativeLR", "MultiStepLR",
         "OneCycleLR", "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepLR", "lr_at"),
        ".lr_scheduler",
    ),
}  # fmt: skip
#: the modules, attributes of the package once imported (``optimizers.lr_scheduler``, as before)
_MODULES = (
    "adadelta", "adafactor", "adagrad", "adam", "adamax", "asgd", "base", "batching", "checkpoint", "clip",
    "lbfgs", "lion", "lr_scheduler", "muon", "nadam", "radam", "rmsprop", "rprop", "sgd", "_engine", "_fma",
    "_params", "_scratch", "_validate",
)  # fmt: skip

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


def __getattr__(name: str) -> Any:
    """A public name, imported from its module when first used (:data:`_HOMES`), or a module."""
    import importlib

    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home, __name__), name)
        globals()[name] = value
        return value
    if name in _MODULES:
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names with those imported when first used."""
    return sorted({*globals(), *_HOMES, *_MODULES})
