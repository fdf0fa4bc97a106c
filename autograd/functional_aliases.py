"""torch's top-level forms of ``nn.functional`` functions whose signature differs from the
``nn.functional`` one: ``torch.dropout(input, p, train)``, ``torch.embedding(weight, indices)``,
``torch.batch_norm(input, weight, bias, running_mean, running_var, ...)``, the losses with
torch's integer ``reduction`` (0 "none", in effect torch's top-level default; 1 "mean", 2 "sum"),
``torch.adaptive_max_pool1d``'s ``(values, indices)``... Each calls :mod:`autograd.nn.functional`
(imported when first called).
The top-level names with the same signature (``torch.conv2d``, ``torch.max_pool2d``, ...) are
``nn.functional``'s functions themselves (see ``autograd._LAZY``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "dropout", "alpha_dropout", "feature_alpha_dropout", "embedding", "batch_norm", "instance_norm",
    "layer_norm", "group_norm", "adaptive_max_pool1d", "max_pool1d_with_indices", "kl_div",
    "binary_cross_entropy_with_logits", "hinge_embedding_loss", "margin_ranking_loss",
    "cosine_embedding_loss", "poisson_nll_loss", "triplet_margin_loss",
]  # fmt: skip

#: torch's integer reductions (at::Reduction)
_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _F() -> Any:  # noqa: N802 (the module's usual name)
    from .nn import functional

    return functional


def _reduction(op: str, reduction: Any) -> str:
    if isinstance(reduction, str) and reduction in _REDUCTIONS.values():
        return reduction
    if reduction in _REDUCTIONS and not isinstance(reduction, bool):
        return _REDUCTIONS[reduction]
    raise ValueError(f"{op}: reduction must be 0 (none), 1 (mean) or 2 (sum), got {reduction!r}")


def _dropout_alias(name: str, drops: str, inplace: bool, note: str = "") -> Callable[[Any, float, bool], Any]:
    """torch's ``<name>(input, p, train)`` (``<name>_`` if ``inplace``): ``nn.functional.<name>`` with
    ``training=train``; ``drops``: what ``p`` is the probability of; ``note``: added to the summary."""

    def alias(input: Any, p: float, train: bool) -> Any:
        return getattr(_F(), name)(input, p, training=train, inplace=inplace)

    alias.__name__ = alias.__qualname__ = name + "_" * inplace
    summary = (
        f"``{name}`` in place (``torch.{name}_``{note})."
        if inplace
        else f"``nn.functional.{name}(input, p, training=train)`` (``torch.{name}``)."
    )
    given, off = (
        ("Written in place.", "leave the input as it is")
        if inplace
        else ("The input.", "pass the input through")
    )
    alias.__doc__ = f"""{summary}

    Parameters
    ----------
    input : Tensor
        {given}
    p : float
        The probability of {drops}.
    train : bool
        Drop (True) or {off} (False).
    """
    return alias


_DROPS = {"dropout": "zeroing an element", "alpha_dropout": "dropping an element"}
_DROPS["feature_alpha_dropout"] = "dropping a channel"
dropout, alpha_dropout, feature_alpha_dropout = (_dropout_alias(n, d, False) for n, d in _DROPS.items())
dropout_ = _dropout_alias(
    "dropout", _DROPS["dropout"], True, ": ``nn.functional.dropout(..., inplace=True)``"
)
alpha_dropout_, feature_alpha_dropout_ = (
    _dropout_alias(n, _DROPS[n], True) for n in ("alpha_dropout", "feature_alpha_dropout")
)


def embedding(
    weight: Any, indices: Any, padding_idx: int = -1, scale_grad_by_freq: bool = False, sparse: bool = False
) -> Any:
    """The rows of ``weight`` at ``indices`` (``torch.embedding``: weight first;
    ``nn.functional.embedding(indices, weight)``).

    Parameters
    ----------
    weight : Tensor
        The table, one row per index.
    indices : Tensor
        int64 positions.
    padding_idx : int
        A row whose gradient stays 0 (-1: none, as torch's top-level function).
    scale_grad_by_freq : bool
        Divide each row's gradient by its count in ``indices``.
    sparse : bool
        Refused when True (no sparse gradients here).
    """
    return _F().embedding(
        indices, weight, padding_idx=None if padding_idx == -1 else padding_idx,
        scale_grad_by_freq=scale_grad_by_freq, sparse=sparse,
    )  # fmt: skip


def batch_norm(
    input: Any, weight: Any, bias: Any, running_mean: Any, running_var: Any, training: bool, momentum: float,
    eps: float, cudnn_enabled: bool = True,
) -> Any:  # fmt: skip
    """``nn.functional.batch_norm`` in torch's top-level argument order (``torch.batch_norm``:
    weight and bias before the running statistics; ``cudnn_enabled`` is accepted).

    Parameters
    ----------
    input : Tensor
        (N, C, ...).
    weight, bias : Tensor or None
        The affine parameters (C,).
    running_mean, running_var : Tensor or None
        The running statistics (C,), updated in place when training.
    training : bool
        Normalize with the batch's statistics.
    momentum, eps : float
        The running statistics' update factor, and the variance's added epsilon.
    cudnn_enabled : bool
        Ignored.
    """
    return _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(
    input: Any, weight: Any, bias: Any, running_mean: Any, running_var: Any, use_input_stats: bool,
    momentum: float, eps: float, cudnn_enabled: bool = True,
) -> Any:  # fmt: skip
    """``nn.functional.instance_norm`` in torch's top-level argument order (``torch.instance_norm``).

    Parameters
    ----------
    input : Tensor
        (N, C, ...).
    weight, bias : Tensor or None
        The affine parameters (C,).
    running_mean, running_var : Tensor or None
        The running statistics (C,).
    use_input_stats : bool
        Normalize with each instance's statistics.
    momentum, eps : float
        The running statistics' update factor, and the variance's added epsilon.
    cudnn_enabled : bool
        Ignored.
    """
    return _F().instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


def layer_norm(
    input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5,
    cudnn_enable: bool = True,
) -> Any:  # fmt: skip
    """``nn.functional.layer_norm`` (``torch.layer_norm``: ``cudnn_enable`` is accepted).

    Parameters
    ----------
    input : Tensor
        The input.
    normalized_shape : sequence of int
        The trailing shape normalized over.
    weight, bias : Tensor, optional
        The affine parameters.
    eps : float
        Added to the variance.
    cudnn_enable : bool
        Ignored.
    """
    return _F().layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(
    input: Any, num_groups: int, weight: Any = None, bias: Any = None, eps: float = 1e-5,
    cudnn_enabled: bool = True,
) -> Any:  # fmt: skip
    """``nn.functional.group_norm`` (``torch.group_norm``: ``cudnn_enabled`` is accepted).

    Parameters
    ----------
    input : Tensor
        (N, C, ...).
    num_groups : int
        The number of channel groups.
    weight, bias : Tensor, optional
        The affine parameters (C,).
    eps : float
        Added to the variance.
    cudnn_enabled : bool
        Ignored.
    """
    return _F().group_norm(input, num_groups, weight, bias, eps)


def adaptive_max_pool1d(input: Any, output_size: Any) -> tuple[Any, Any]:
    """``(values, indices)`` of ``nn.functional.adaptive_max_pool1d`` (``torch.adaptive_max_pool1d``).

    Parameters
    ----------
    input : Tensor
        (N, C, L) or (C, L).
    output_size : int
        The output's length.
    """
    return _F().adaptive_max_pool1d(input, output_size, return_indices=True)


def max_pool1d_with_indices(
    input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
    ceil_mode: bool = False,
) -> tuple[Any, Any]:  # fmt: skip
    """``(values, indices)`` of ``nn.functional.max_pool1d`` (``torch.max_pool1d_with_indices``).

    Parameters
    ----------
    input : Tensor
        (N, C, L) or (C, L).
    kernel_size, stride, padding, dilation : int
        The window (stride None or []: the kernel size).
    ceil_mode : bool
        Round the output's length up.
    """
    stride = None if stride in (None, [], ()) else stride
    return _F().max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def kl_div(input: Any, target: Any, reduction: Any = 0, *, log_target: bool = False) -> Any:
    """``nn.functional.kl_div`` with torch's integer ``reduction`` (``torch.kl_div``; 1: the mean
    over every element).

    Parameters
    ----------
    input : Tensor
        Log-probabilities.
    target : Tensor
        Probabilities (log-probabilities with ``log_target``).
    reduction : int or str
        0 "none" (the default, as torch's top-level function), 1 "mean", 2 "sum".
    log_target : bool
        Whether ``target`` holds log-probabilities.
    """
    return _F().kl_div(input, target, reduction=_reduction("kl_div", reduction), log_target=log_target)


def binary_cross_entropy_with_logits(
    input: Any, target: Any, weight: Any = None, pos_weight: Any = None, reduction: Any = 0
) -> Any:
    """``nn.functional.binary_cross_entropy_with_logits`` with torch's integer ``reduction``
    (``torch.binary_cross_entropy_with_logits``).

    Parameters
    ----------
    input : Tensor
        Logits.
    target : Tensor
        Targets in [0, 1].
    weight, pos_weight : Tensor, optional
        The elements' and the positive class's weights.
    reduction : int or str
        0 "none" (the default, as torch's top-level function), 1 "mean", 2 "sum".
    """
    how = _reduction("binary_cross_entropy_with_logits", reduction)
    return _F().binary_cross_entropy_with_logits(input, target, weight, reduction=how, pos_weight=pos_weight)


def hinge_embedding_loss(input: Any, target: Any, margin: float = 1.0, reduction: Any = 0) -> Any:
    """``nn.functional.hinge_embedding_loss`` with torch's integer ``reduction``.

    Parameters
    ----------
    input : Tensor
        Distances.
    target : Tensor
        1 or -1.
    margin : float
        The margin (default 1).
    reduction : int or str
        0 "none" (the default, as torch's top-level function), 1 "mean", 2 "sum".
    """
    how = _reduction("hinge_embedding_loss", reduction)
    return _F().hinge_embedding_loss(input, target, margin=margin, reduction=how)


def margin_ranking_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, reduction: Any = 0
) -> Any:
    """``nn.functional.margin_ranking_loss`` with torch's integer ``reduction``.

    Parameters
    ----------
    input1, input2 : Tensor
        The scores compared.
    target : Tensor
        1 (input1 should rank higher) or -1.
    margin : float
        The margin (default 0).
    reduction : int or str
        0 "none" (the default, as torch's top-level function), 1 "mean", 2 "sum".
    """
    how = _reduction("margin_ranking_loss", reduction)
    return _F().margin_ranking_loss(input1, input2, target, margin=margin, reduction=how)


def cosine_embedding_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, reduction: Any = 0
) -> Any:
    """``nn.functional.cosine_embedding_loss`` with torch's integer ``reduction``.

    Parameters
    ----------
    input1, input2 : Tensor
        The vectors compared (rows).
    target : Tensor
        1 (similar) or -1.
    margin : float
        The margin (default 0).
    reduction : int or str
        0 "none" (the default, as torch's top-level function), 1 "mean", 2 "sum".
    """
    how = _reduction("cosine_embedding_loss", reduction)
    return _F().cosine_embedding_loss(input1, input2, target, margin=margin, reduction=how)


def poisson_nll_loss(input: Any, target: Any, log_input: bool, full: bool, eps: float, reduction: Any) -> Any:
    """``nn.functional.poisson_nll_loss`` with torch's integer ``reduction`` (every argument given,
    as torch's top-level function takes them).

    Parameters
    ----------
    input : Tensor
        The rates (their logs with ``log_input``).
    target : Tensor
        The counts.
    log_input, full : bool
        ``input`` holds log-rates; add Stirling's term.
    eps : float
        Added to the rate inside the log (without ``log_input``).
    reduction : int or str
        0 "none", 1 "mean", 2 "sum".
    """
    how = _reduction("poisson_nll_loss", reduction)
    return _F().poisson_nll_loss(input, target, log_input=log_input, full=full, eps=eps, reduction=how)


def triplet_margin_loss(
    anchor: Any, positive: Any, negative: Any, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6,
    swap: bool = False, reduction: Any = 0,
) -> Any:  # fmt: skip
    """``nn.functional.triplet_margin_loss`` with torch's integer ``reduction``.

    Parameters
    ----------
    anchor, positive, negative : Tensor
        The triplets' rows.
    margin, p, eps : float
        The margin, the norm's order and the distance's added epsilon.
    swap : bool
        Use the closer of anchor and positive to the negative.
    reduction : int or str
        0 "none" (the default, as torch's top-level function), 1 "mean", 2 "sum".
    """
    how = _reduction("triplet_margin_loss", reduction)
    return _F().triplet_margin_loss(
        anchor, positive, negative, margin=margin, p=p, eps=eps, swap=swap, reduction=how
    )


__all__ += ["dropout_", "alpha_dropout_", "feature_alpha_dropout_"]
