"""Losses, each one forward expression of engine operations: gradients come from ``backward``.

Every loss is called ``loss(y_true, y_pred, *, reduction="mean", ...)`` (truth first) and takes
Tensors, a Value or (nested) lists of Values (the result is then a Value), or plain numbers.
``reduction``: "mean" (the cost), "sum" or "none". Semantics follow PyTorch where it has the
loss, else Keras; each docstring gives the formula.
"""

from .binary import binary_cross_entropy, binary_focal, hinge, squared_hinge
from .distribution import js_divergence, kl_divergence
from .multiclass import (
    categorical_cross_entropy,
    categorical_focal,
    categorical_hinge,
    nll,
    sparse_categorical_cross_entropy,
)
from .overlap import dice, iou, tversky
from .regression import gaussian_nll, huber, log_cosh, mae, mape, mse, msle, poisson, quantile, smooth_l1
from .similarity import contrastive, cosine_embedding, margin_ranking, triplet

__all__ = [
    "mse",
    "mae",
    "log_cosh",
    "msle",
    "mape",
    "huber",
    "smooth_l1",
    "quantile",
    "poisson",
    "gaussian_nll",
    "binary_cross_entropy",
    "hinge",
    "squared_hinge",
    "binary_focal",
    "categorical_cross_entropy",
    "sparse_categorical_cross_entropy",
    "categorical_hinge",
    "categorical_focal",
    "nll",
    "kl_divergence",
    "js_divergence",
    "dice",
    "iou",
    "tversky",
    "contrastive",
    "triplet",
    "cosine_embedding",
    "margin_ranking",
]
