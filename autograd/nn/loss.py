"""Loss modules with torch.nn's names, arguments and ``(input, target)`` order.

Each is a Module whose ``forward`` calls its function in :mod:`autograd.nn.functional`, which calls
the loss's one definition in the ``losses`` package: there is no second formula here. The
deprecated ``size_average``/``reduce`` arguments are read as torch reads them (with its warning).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._loss_docs import filled
from .._tensor import Tensor
from . import functional as F
from .distance import PairwiseDistance
from .functional.losses import _reduction
from .module import Module


class _Loss(Module):
    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"):
        self.reduction = _reduction(size_average, reduce, reduction)


class _WeightedLoss(_Loss):
    def __init__(
        self,
        weight: Any = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight = weight


class MSELoss(_Loss):
    """Mean squared error :math:`(x - y)^2` (``torch.nn.MSELoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.mse_loss`, which checks the arguments.

    Parameters
    ----------
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def forward(self, input: Any, target: Any) -> Any:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error :math:`|x - y|` (``torch.nn.L1Loss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.l1_loss`, which checks the arguments.

    Parameters
    ----------
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def forward(self, input: Any, target: Any) -> Any:
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    r"""Huber loss, :math:`\tfrac12 e^2` if :math:`|e| < \delta`, else :math:`\delta (|e| - \tfrac12 \delta)`
    (``torch.nn.HuberLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.huber_loss`, which checks the arguments.

    Parameters
    ----------
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    delta : float
        The threshold :math:`\delta > 0` (default 1).
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Any, target: Any) -> Any:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    r"""Smooth L1 loss, :math:`\tfrac12 e^2 / \beta` if :math:`|e| < \beta`, else
    :math:`|e| - \tfrac12 \beta` (``torch.nn.SmoothL1Loss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.smooth_l1_loss`, which checks the arguments.

    Parameters
    ----------
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    beta : float
        The threshold :math:`\beta \ge 0` (default 1).
    """

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        beta: float = 1.0,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Any, target: Any) -> Any:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities, each log clamped at -100 (``torch.nn.BCELoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.binary_cross_entropy`, which checks the arguments.

    Parameters
    ----------
    weight : array_like, optional
        Weights broadcast to the loss.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def forward(self, input: Any, target: Any) -> Any:
        return F.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits, exact for any logit (``torch.nn.BCEWithLogitsLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.binary_cross_entropy_with_logits`, which checks the arguments.

    Parameters
    ----------
    weight : array_like, optional
        Weights broadcast to the loss.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    pos_weight : array_like, optional
        The weight of the positive term, per class on the last axis.
    """

    def __init__(
        self,
        weight: Any = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        pos_weight: Any = None,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.weight, self.pos_weight = weight, pos_weight

    def forward(self, input: Any, target: Any) -> Any:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, pos_weight=self.pos_weight, reduction=self.reduction
        )


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy of logits against class indices or class probabilities
    (``torch.nn.CrossEntropyLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.cross_entropy`, which checks the arguments.

    Parameters
    ----------
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    ignore_index : int
        A class index whose samples add 0 and are left out of the mean (default -100; indices
        only).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    label_smoothing : float
        ε in [0, 1]: the target becomes :math:`y(1 - ε) + ε/C` (default 0).
    """

    def __init__(
        self,
        weight: Any = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input: Any, target: Any) -> Any:
        return F.cross_entropy(
            input,
            target,
            weight=self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities and class indices (``torch.nn.NLLLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.nll_loss`, which checks the arguments.

    Parameters
    ----------
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    ignore_index : int
        A class index whose samples add 0 and are left out of the mean (default -100).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def __init__(
        self,
        weight: Any = None,
        size_average: bool | None = None,
        ignore_index: int = -100,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Any, target: Any) -> Any:
        return F.nll_loss(
            input, target, weight=self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class KLDivLoss(_Loss):
    r"""KL terms :math:`y (\log y - x)` of log-probabilities :math:`x` (``torch.nn.KLDivLoss``);
    ``reduction="batchmean"`` gives the KL divergence.

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.kl_div`, which checks the arguments.

    Parameters
    ----------
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "batchmean", "sum", "none"}
        "batchmean" divides the sum by the batch size; "mean" by the element count, with torch's
        warning (default "mean", as torch).
    log_target : bool
        The target holds :math:`\log y` (default False).
    """

    def __init__(
        self,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
        log_target: bool = False,
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Any, target: Any) -> Any:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class _MarginLoss(_Loss):
    def __init__(
        self,
        margin: float = 0.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


class CosineEmbeddingLoss(_MarginLoss):
    r""":math:`1 - \cos(x_1, x_2)` for y = 1, :math:`\max(0, \cos(x_1, x_2) - \text{margin})` for
    y = -1 (``torch.nn.CosineEmbeddingLoss``).

    Called as ``module(input1, input2, target)``; computed by
    :func:`autograd.nn.functional.cosine_embedding_loss`, which checks the arguments.

    Parameters
    ----------
    margin : float
        In [-1, 1] (default 0).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def forward(self, input1: Any, input2: Any, target: Any) -> Any:
        return F.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class MarginRankingLoss(_MarginLoss):
    r""":math:`\max(0, -y (x_1 - x_2) + \text{margin})` (``torch.nn.MarginRankingLoss``).

    Called as ``module(input1, input2, target)``; computed by
    :func:`autograd.nn.functional.margin_ranking_loss`, which checks the arguments.

    Parameters
    ----------
    margin : float
        The margin :math:`\ge 0` (default 0).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def forward(self, input1: Any, input2: Any, target: Any) -> Any:
        return F.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_MarginLoss):
    r""":math:`x` for y = 1, :math:`\max(0, \text{margin} - x)` for y = -1
    (``torch.nn.HingeEmbeddingLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.hinge_embedding_loss`, which checks the arguments.

    Parameters
    ----------
    margin : float
        The margin (default 1).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def __init__(
        self,
        margin: float = 1.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(margin, size_average, reduce, reduction)

    def forward(self, input: Any, target: Any) -> Any:
        return F.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    r""":math:`\max(0, d(a, p) - d(a, n) + \text{margin})`, :math:`d` the p-norm distance
    (``torch.nn.TripletMarginLoss``).

    Called as ``module(anchor, positive, negative)``; computed by
    :func:`autograd.nn.functional.triplet_margin_loss`, which checks the arguments.

    Parameters
    ----------
    margin : float
        The margin :math:`> 0` (default 1).
    p : float
        The norm's order, :math:`p \ge 0` or inf, as torch's vector norm (default 2).
    eps : float
        Added to the difference before the norm (default 1e-6).
    swap : bool
        Use :math:`\min(d(a, n), d(p, n))` as the negative distance (default False).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-06,
        swap: bool = False,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Any, positive: Any, negative: Any) -> Any:
        return F.triplet_margin_loss(
            anchor,
            positive,
            negative,
            margin=self.margin,
            p=self.p,
            eps=self.eps,
            swap=self.swap,
            reduction=self.reduction,
        )


class TripletMarginWithDistanceLoss(_Loss):
    r""":math:`\max(0, \text{margin} + d(a, p) - d(a, n))` with any distance :math:`d`
    (``torch.nn.TripletMarginWithDistanceLoss``).

    Called as ``module(anchor, positive, negative)``; computed by
    :func:`autograd.nn.functional.triplet_margin_with_distance_loss`.

    Parameters
    ----------
    distance_function : callable, optional
        ``d(x1, x2)`` (default a :class:`PairwiseDistance` module, the Euclidean distance).
    margin : float
        The margin :math:`> 0` (default 1).
    swap : bool
        Use :math:`\min(d(a, n), d(p, n))` as the negative distance (default False).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-triplet losses.
    """

    def __init__(
        self,
        *,
        distance_function: Any = None,
        margin: float = 1.0,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        super().__init__(None, None, reduction)
        if margin <= 0:
            raise ValueError(
                f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} instead"
            )
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor: Any, positive: Any, negative: Any) -> Any:
        return F.triplet_margin_with_distance_loss(
            anchor,
            positive,
            negative,
            distance_function=self.distance_function,
            margin=self.margin,
            swap=self.swap,
            reduction=self.reduction,
        )


class SoftMarginLoss(_Loss):
    r""":math:`\log(1 + e^{-y x})` (``torch.nn.SoftMarginLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.soft_margin_loss`, which checks the arguments.

    Parameters
    ----------
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def forward(self, input: Any, target: Any) -> Any:
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    r""":math:`\tfrac12 (\log v + (x - y)^2 / v)`, :math:`v = \max(\text{var}, \text{eps})`
    (``torch.nn.GaussianNLLLoss``).

    Called as ``module(input, target, var)``; computed by
    :func:`autograd.nn.functional.gaussian_nll_loss`, which checks the arguments.

    Parameters
    ----------
    full : bool
        Add the constant :math:`\tfrac12 \log 2\pi` (default False).
    eps : float
        The floor of the variance (default 1e-6).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-06, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Any, target: Any, var: Any) -> Any:
        return F.gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


class PoissonNLLLoss(_Loss):
    r"""Poisson negative log-likelihood, :math:`e^x - y x` with ``log_input`` (the default), else
    :math:`x - y \log(x + \text{eps})` (``torch.nn.PoissonNLLLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.poisson_nll_loss`, which checks the arguments.

    Parameters
    ----------
    log_input : bool
        The input is the log of the rate (default True).
    full : bool
        Add the Stirling term where :math:`y > 1` (default False).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    eps : float
        Added to the rate inside the log when not ``log_input`` (default 1e-8).
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-element losses.
    """

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: bool | None = None,
        eps: float = 1e-08,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Any, target: Any) -> Any:
        options = {"full": self.full, "eps": self.eps, "reduction": self.reduction}
        return F.poisson_nll_loss(log_input, target, log_input=self.log_input, **options)


class MultiMarginLoss(_WeightedLoss):
    r"""Multi-class hinge loss, :math:`\tfrac1C \sum_{j \ne y} w_y \max(0, \text{margin} - x_y +
    x_j)^p` (``torch.nn.MultiMarginLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.multi_margin_loss`, which checks the arguments.

    Parameters
    ----------
    p : {1, 2}
        1 (default) for the hinge, 2 for its square.
    margin : float
        The margin (default 1).
    weight : array_like, optional
        One weight per class, shape ``(C,)``.
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-sample losses.
    """

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Any = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        if isinstance(p, (str, bytes)) or p not in (1, 2):
            raise ValueError(
                f"MultiMarginLoss: p must be 1 or 2 (only p == 1 and p == 2 supported), got {p!r}"
            )
        ndim = np.ndim(weight.data if isinstance(weight, Tensor) else weight)
        if weight is not None and ndim != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got {ndim}D instead")
        super().__init__(weight, size_average, reduce, reduction)
        self.p, self.margin = p, margin

    def forward(self, input: Any, target: Any) -> Any:
        return F.multi_margin_loss(
            input, target, p=self.p, margin=self.margin, weight=self.weight, reduction=self.reduction
        )


class MultiLabelMarginLoss(_Loss):
    r"""Multi-label hinge loss, :math:`\tfrac1C \sum_{k \in K} \sum_{j \notin K} \max(0, 1 - x_k + x_j)`,
    :math:`K` the target's indices before its first -1 (``torch.nn.MultiLabelMarginLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.multilabel_margin_loss`, which checks the arguments.

    Parameters
    ----------
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-sample losses.
    """

    def forward(self, input: Any, target: Any) -> Any:
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    r"""Multi-label logistic loss, :math:`-\tfrac1C \sum_c w_c [y_c \log \sigma(x_c) + (1 - y_c)
    \log \sigma(-x_c)]` (``torch.nn.MultiLabelSoftMarginLoss``).

    Called as ``module(input, target)``; computed by
    :func:`autograd.nn.functional.multilabel_soft_margin_loss`, which checks the arguments.

    Parameters
    ----------
    weight : array_like, optional
        Weights broadcast to the input's shape (one per class: shape ``(C,)``).
    size_average, reduce : bool, optional
        Deprecated (as in torch): read as torch reads them, with its warning; ``reduction``
        replaces them.
    reduction : {"mean", "sum", "none"}
        "mean" (default) averages, "sum" adds, "none" returns the per-sample losses.
    """

    def forward(self, input: Any, target: Any) -> Any:
        return F.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


@filled
class CTCLoss(_Loss):
    """Connectionist temporal classification loss (``torch.nn.CTCLoss``).

    Called as ``module(log_probs, targets, input_lengths, target_lengths)``; computed by
    :func:`autograd.nn.functional.ctc_loss`, which checks the arguments.

    Parameters
    ----------
    {CTC_OPTIONS}
    """

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(None, None, reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs: Any, targets: Any, input_lengths: Any, target_lengths: Any) -> Any:
        return F.ctc_loss(
            log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction, self.zero_infinity
        )
