"""``nn.functional``'s losses given a target of another shape, against torch 2.13: ``mse_loss``,
``l1_loss``, ``smooth_l1_loss`` and ``huber_loss`` warn in torch's words and broadcast; ``kl_div``,
``poisson_nll_loss``, ``gaussian_nll_loss``, ``hinge_embedding_loss`` and ``soft_margin_loss``
broadcast without a word; shapes that do not broadcast are torch's RuntimeError. Values and
gradients (of the input and of a target that requires grad) are torch's. The ``losses`` package
(truth first, as Keras) keeps refusing shapes that differ."""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest
import torch
from side_by_side import check

import autograd
import losses

RNG = np.random.default_rng(15)
X = RNG.uniform(0.1, 0.9, size=(3, 4))
TARGETS = {
    "(4,)": RNG.uniform(size=4),
    "(3, 1)": RNG.uniform(size=(3, 1)),
    "(1, 3, 4)": RNG.uniform(size=(1, 3, 4)),
}
LABELS = {k: np.where(v > 0.5, 1.0, -1.0) for k, v in TARGETS.items()}
WARNED = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"]
WORDS = (
    "Using a target size (torch.Size({t})) that is different to the input size (torch.Size([3, 4])). "
    "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size."
)


def _run(torch: Any, name: str, target: np.ndarray, reduction: str) -> Any:
    x = torch.tensor(X, requires_grad=True)
    t = torch.tensor(target, requires_grad=name not in ("hinge_embedding_loss", "soft_margin_loss"))
    F = torch.nn.functional
    if name == "kl_div":
        loss = F.kl_div(x.log(), t, reduction=reduction)
    elif name == "gaussian_nll_loss":
        loss = F.gaussian_nll_loss(x, t, torch.ones(tuple(np.broadcast_shapes(X.shape, target.shape))) * 0.5,
                                   reduction=reduction)  # fmt: skip
    else:
        loss = getattr(F, name)(x, t, reduction=reduction)
    weights = torch.tensor(np.linspace(0.5, 1.5, loss.numel()).reshape(tuple(loss.shape)))
    (loss * weights).sum().backward()
    return loss, x.grad, t.grad


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("shape", sorted(TARGETS))
@pytest.mark.parametrize("name", WARNED)
def test_the_regression_losses_warn_and_broadcast_as_torch(name: str, shape: str, reduction: str) -> None:
    words = re.escape(WORDS.format(t=list(TARGETS[shape].shape)))
    for lib in (autograd, torch):
        with pytest.warns(UserWarning, match=f"^{words}$"):
            _run(lib, name, TARGETS[shape], reduction)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda t: _run(t, name, TARGETS[shape], reduction))


SILENT = ["kl_div", "poisson_nll_loss", "gaussian_nll_loss", "hinge_embedding_loss", "soft_margin_loss"]


@pytest.mark.parametrize("shape", ["(4,)", "(3, 1)"])
@pytest.mark.parametrize("name", SILENT)
def test_the_other_losses_broadcast_without_a_warning_as_torch(name: str, shape: str) -> None:
    target = LABELS[shape] if name in ("hinge_embedding_loss", "soft_margin_loss") else TARGETS[shape]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check(lambda t: _run(t, name, target, "none"))
        check(lambda t: _run(t, name, target, "batchmean" if name == "kl_div" else "mean"))


NOT_BROADCAST = (
    r"The size of tensor a \((4|2)\) must match the size of tensor b \((2|4)\) at non-singleton dimension 1"
)


@pytest.mark.parametrize("name", [*WARNED, "poisson_nll_loss", "kl_div", "soft_margin_loss"])
def test_shapes_that_do_not_broadcast_are_torchs_error(name: str) -> None:
    for lib in (autograd, torch):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(RuntimeError, match=NOT_BROADCAST):
                getattr(lib.nn.functional, name)(lib.tensor(X), lib.tensor([0.5, -1.0]))


def test_soft_margin_refuses_a_target_that_grows_the_input_as_torch() -> None:
    for lib in (autograd, torch):
        with pytest.raises(
            RuntimeError, match=r"output with shape \[3, 4\] doesn't match the broadcast shape"
        ):
            lib.nn.functional.soft_margin_loss(lib.tensor(X), lib.tensor(LABELS["(1, 3, 4)"]))


def test_the_same_shapes_give_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        autograd.nn.functional.mse_loss(autograd.tensor(X), autograd.tensor(X * 2))


def test_the_losses_package_still_wants_equal_shapes() -> None:
    """Keras-like, truth first: a shape mismatch is a ValueError naming the loss (docs/guides/losses.md)."""
    with pytest.raises(ValueError, match="mse: y_true and y_pred must have the same shape"):
        losses.mse(TARGETS["(4,)"], autograd.tensor(X))


def test_the_error_names_the_last_dimension_that_differs_as_torchs() -> None:
    """torch checks from the last dimension: (3, 4) against (2, 5) is reported at dimension 1."""
    said = []
    for lib in (autograd, torch):
        with warnings.catch_warnings(), pytest.raises(RuntimeError) as caught:
            warnings.simplefilter("ignore")
            lib.nn.functional.l1_loss(lib.zeros(3, 4), lib.zeros(2, 5))
        said.append(str(caught.value))
    assert (
        said[0]
        == said[1]
        == ("The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 1")
    )
