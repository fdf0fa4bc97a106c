"""Losses, each one forward expression of engine operations: gradients come from ``backward``.

Every loss is called ``loss(y_true, y_pred, *, reduction="mean", ...)`` (truth first, as Keras;
PyTorch's order is ``(input, target)``: see :class:`losses.ArgumentOrderWarning`) and takes
Tensors, a Value or (nested) lists of Values (the result is then a Value), or plain numbers.
``reduction``: "mean" (the cost), "sum" or "none". Semantics follow PyTorch where it has the
loss, else Keras; each docstring gives the formula. There is one name per loss: a PyTorch or
Keras name (``losses.cross_entropy``, ``losses.mse_loss``, ...) raises an AttributeError naming it.
"""

from typing import Any

from . import _engine  # noqa: F401 (the engine beside this package, found and imported now: its _siblings.py)

#: where each loss is defined: imported from there when first used (``losses.mse``), so an import
#: reads only the losses a program uses (and the engine's parts they need)
_HOMES = {
    "ArgumentOrderWarning": "._core", "ctc": "._ctc", "js_divergence": ".distribution",
    "kl_divergence": ".distribution", "multilabel_hinge": ".multilabel",
    "multilabel_soft_margin": ".multilabel",
    **dict.fromkeys(
        ("binary_cross_entropy", "binary_focal", "hinge", "soft_margin", "squared_hinge"), ".binary"
    ),
    **dict.fromkeys(
        ("categorical_cross_entropy", "categorical_focal", "categorical_hinge", "multiclass_hinge", "nll",
         "sparse_categorical_cross_entropy"),
        ".multiclass",
    ),
    **dict.fromkeys(("dice", "iou", "tversky"), ".overlap"),
    **dict.fromkeys(
        ("gaussian_nll", "huber", "log_cosh", "mae", "mape", "mse", "msle", "poisson", "quantile",
         "smooth_l1"),
        ".regression",
    ),
    **dict.fromkeys(
        ("contrastive", "cosine_embedding", "hinge_embedding", "margin_ranking", "triplet"), ".similarity"
    ),
}  # fmt: skip
#: the modules, attributes of the package once imported (``losses._core``, as before)
_MODULES = (
    "_core", "_ctc", "_engine", "binary", "distribution", "multiclass", "multilabel", "overlap", "regression",
    "similarity",
)  # fmt: skip

__all__ = [
    "ArgumentOrderWarning",
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
    "soft_margin",
    "binary_focal",
    "categorical_cross_entropy",
    "sparse_categorical_cross_entropy",
    "categorical_hinge",
    "categorical_focal",
    "nll",
    "multiclass_hinge",
    "multilabel_hinge",
    "multilabel_soft_margin",
    "kl_divergence",
    "js_divergence",
    "dice",
    "iou",
    "tversky",
    "contrastive",
    "triplet",
    "cosine_embedding",
    "margin_ranking",
    "hinge_embedding",
    "ctc",
]

_TRUTH_FIRST = "; losses take (y_true, y_pred), PyTorch (input, target)"
#: PyTorch and Keras names users type, and the loss (with the option) that computes it.
_OTHER_NAMES = {
    "cross_entropy": "sparse_categorical_cross_entropy(labels, logits, from_logits=True) for class "
    "indices, categorical_cross_entropy(probabilities, logits, from_logits=True) for class "
    "probabilities (class axis: pass axis=1 for PyTorch's (N, C, ...) layout)",
    "nll_loss": "nll(labels, log_probs) (class axis: pass axis=1 for (N, C, ...))",
    "binary_cross_entropy_with_logits": "binary_cross_entropy(target, logits, from_logits=True)",
    "bce_with_logits": "binary_cross_entropy(target, logits, from_logits=True)",
    "bce": "binary_cross_entropy(target, probabilities)",
    "mse_loss": "mse",
    "mean_squared_error": "mse",
    "l1_loss": "mae",
    "mean_absolute_error": "mae",
    "huber_loss": "huber",
    "smooth_l1_loss": "smooth_l1",
    "kl_div": "kl_divergence(target, probabilities) (PyTorch passes log-probabilities; "
    "log_target=True for a log target)",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "poisson_nll_loss": "poisson (log_input defaults to False here)",
    "gaussian_nll_loss": "gaussian_nll(target, mean, var)",
    "triplet_margin_loss": "triplet(anchor, positive, negative)",
    "cosine_embedding_loss": "cosine_embedding(y, x1, x2)",
    "margin_ranking_loss": "margin_ranking(y, x1, x2)",
    "hinge_embedding_loss": "hinge_embedding(y, x)",
    "soft_margin_loss": "soft_margin(y, x)",
    "binary_crossentropy": "binary_cross_entropy",
    "categorical_crossentropy": "categorical_cross_entropy",
    "sparse_categorical_crossentropy": "sparse_categorical_cross_entropy",
    "binary_focal_crossentropy": "binary_focal",
    "sigmoid_focal_loss": "binary_focal(target, logits, from_logits=True)",
    "categorical_focal_crossentropy": "categorical_focal",
    "mean_absolute_percentage_error": "mape",
    "mean_squared_logarithmic_error": "msle",
    "logcosh": "log_cosh",
    "poisson_loss": "poisson",
    "multi_margin_loss": "multiclass_hinge(labels, scores) (p=2 for the squared hinge)",
    "multilabel_margin_loss": "multilabel_hinge(index_lists, scores)",
    "multilabel_soft_margin_loss": "multilabel_soft_margin(targets, logits)",
    "ctc_loss": "ctc(targets, log_probs, input_lengths, target_lengths)",
}
_OTHER_NAMES.update(
    {  # PyTorch's module classes: here every loss is a function
        "CrossEntropyLoss": _OTHER_NAMES["cross_entropy"],
        "NLLLoss": _OTHER_NAMES["nll_loss"],
        "BCELoss": "binary_cross_entropy",
        "BCEWithLogitsLoss": _OTHER_NAMES["bce_with_logits"],
        "MSELoss": "mse",
        "L1Loss": "mae",
        "HuberLoss": "huber",
        "SmoothL1Loss": "smooth_l1",
        "KLDivLoss": _OTHER_NAMES["kl_div"],
        "PoissonNLLLoss": _OTHER_NAMES["poisson_nll_loss"],
        "GaussianNLLLoss": _OTHER_NAMES["gaussian_nll_loss"],
        "TripletMarginLoss": _OTHER_NAMES["triplet_margin_loss"],
        "CosineEmbeddingLoss": _OTHER_NAMES["cosine_embedding_loss"],
        "MarginRankingLoss": _OTHER_NAMES["margin_ranking_loss"],
        "HingeEmbeddingLoss": _OTHER_NAMES["hinge_embedding_loss"],
        "SoftMarginLoss": _OTHER_NAMES["soft_margin_loss"],
        "MultiMarginLoss": _OTHER_NAMES["multi_margin_loss"],
        "MultiLabelMarginLoss": _OTHER_NAMES["multilabel_margin_loss"],
        "MultiLabelSoftMarginLoss": _OTHER_NAMES["multilabel_soft_margin_loss"],
        "CTCLoss": _OTHER_NAMES["ctc_loss"],
    }
)
#: the names above that are PyTorch's, and so exist with its (input, target) order in autograd.nn
_IN_TORCH_NN = {name for name in _OTHER_NAMES if name[0].isupper()} | {
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy_with_logits",
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "kl_div",
    "poisson_nll_loss",
    "gaussian_nll_loss",
    "triplet_margin_loss",
    "cosine_embedding_loss",
    "margin_ranking_loss",
    "hinge_embedding_loss",
    "soft_margin_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "ctc_loss",
}


def __getattr__(name: str) -> Any:
    """A loss, imported from its module when first used (:data:`_HOMES`), or a module; a PyTorch/Keras
    loss name raises an AttributeError that names this library's loss, and for PyTorch's names also
    ``autograd.nn``'s class or ``autograd.nn.functional``'s function."""
    home = _HOMES.get(name)
    if home is not None or name in _MODULES:
        import importlib

        if home is None:
            return importlib.import_module("." + name, __name__)
        value = getattr(importlib.import_module(home, __name__), name)
        globals()[name] = value
        return value
    if name in _OTHER_NAMES:
        kind = "a class" if name[0].isupper() else "a name"
        torch_way = ""
        if name in _IN_TORCH_NN:
            where = "autograd.nn" if name[0].isupper() else "autograd.nn.functional"
            torch_way = f"; or, with PyTorch's name and (input, target) order, {where}.{name}"
        raise AttributeError(
            f"module 'losses' has no attribute {name!r} (it is {kind} from PyTorch or Keras; there is one "
            f"name per loss, each a function): use losses.{_OTHER_NAMES[name]}{_TRUTH_FIRST}{torch_way}"
        )
    raise AttributeError(f"module 'losses' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names with those imported when first used."""
    return sorted({*globals(), *_HOMES, *_MODULES})
