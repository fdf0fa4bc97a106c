"""PyTorch's (input, target) order is caught: an ArgumentOrderWarning, once per call site, at the
user's line; and the PyTorch/Keras names raise an AttributeError naming the loss to use."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import losses
from autograd import Tensor, Value, ValueArray, check_derivative
from losses import ArgumentOrderWarning
from losses._core import requires_grad

TARGET = np.array([1.0, 0.0, 1.0])


def order_warnings(call) -> list[warnings.WarningMessage]:
    """The ArgumentOrderWarnings ``call()`` gives under Python's default filter."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()
        warnings.simplefilter("default")
        call()
    return [w for w in caught if issubclass(w.category, ArgumentOrderWarning)]


def test_torch_order_warns_at_the_users_line() -> None:
    p = Tensor([0.9, 0.2, 0.7], requires_grad=True)
    expected = r"^binary_cross_entropy: y_true requires grad but y_pred does not.*\(y_true, y_pred\)$"
    with pytest.warns(ArgumentOrderWarning, match=expected) as info:
        losses.binary_cross_entropy(p, TARGET)  # PyTorch's order
    (w,) = info.list
    assert (
        w.filename == __file__
        and "losses.binary_cross_entropy(p, TARGET)" in open(__file__).readlines()[w.lineno - 1]
    )
    assert issubclass(ArgumentOrderWarning, UserWarning)


def test_once_per_call_site() -> None:
    p = Tensor([0.9, 0.2, 0.7], requires_grad=True)

    def train() -> None:
        for _ in range(5):
            losses.mse(p, TARGET)
        losses.mae(p, TARGET)  # another call site

    caught = order_warnings(train)
    assert [str(w.message).split(":")[0] for w in caught] == ["mse", "mae"]


@pytest.mark.parametrize(
    "call",
    [
        lambda p: losses.huber(p, TARGET),  # through a helper of the package: still the user's line
        lambda p: losses.kl_divergence(p, TARGET / 2),
        lambda p: losses.dice(p, TARGET),
        lambda p: losses.binary_focal(p, TARGET),
        lambda p: losses.contrastive(p, TARGET),
    ],
)
def test_every_depth_points_at_the_user(call) -> None:
    p = Tensor([0.9, 0.2, 0.7], requires_grad=True)
    (w,) = order_warnings(lambda: call(p))
    assert w.filename == __file__


def test_sparse_and_nll_in_torch_order_warn_before_the_shape_error() -> None:
    logits = Tensor(np.zeros((2, 3)), requires_grad=True)
    for fn in (losses.sparse_categorical_cross_entropy, losses.nll):
        with pytest.warns(ArgumentOrderWarning), pytest.raises(ValueError):
            fn(logits, np.array([0, 2]))


@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        (TARGET, Tensor([0.9, 0.2, 0.7], requires_grad=True)),  # the right order
        (Tensor(TARGET, requires_grad=True), Tensor([0.9, 0.2, 0.7], requires_grad=True)),  # both train
        (Tensor(TARGET), [0.9, 0.2, 0.7]),  # constants only
        ([Value(1.0), Value(0.0), Value(1.0)], [0.9, 0.2, 0.7]),  # unlabelled leaf Values: constants
        (TARGET, [Value(0.9) * 1.0, Value(0.2), Value(0.7)]),
    ],
)
def test_no_warning_in_the_right_order_or_without_training(y_true, y_pred) -> None:
    assert not order_warnings(lambda: losses.binary_cross_entropy(y_true, y_pred))


def test_values_that_train_are_op_results_or_labelled() -> None:
    w = Value(0.5, label="w")
    assert requires_grad(w) and requires_grad([Value(1.0), w * 2.0]) and requires_grad(ValueArray([w]))
    assert not requires_grad(Value(0.5)) and not requires_grad([[Value(1.0)]]) and not requires_grad([1.0])
    assert not requires_grad(Tensor([1.0])) and requires_grad(Tensor([1.0], requires_grad=True))
    assert order_warnings(lambda: losses.mse([w * 1.0, Value(2.0)], [0.5, 1.0]))
    assert order_warnings(lambda: losses.mse(ValueArray([w]), [0.5]))


def test_checking_the_derivative_with_respect_to_y_true_does_not_warn() -> None:
    y, p = np.array([1.0, 2.0]), np.array([1.5, 1.0])
    caught = order_warnings(lambda: check_derivative(losses.mse, lambda y, p: y - p, y, p, wrt=0))
    assert not caught


# --------------------------------------------------------------------------- other libraries' names
def test_torch_and_keras_names_raise_naming_our_loss() -> None:
    for name in losses._OTHER_NAMES:
        assert not hasattr(losses, name), name
        with pytest.raises(AttributeError, match=re.escape(repr(name))) as info:
            getattr(losses, name)
        message = str(info.value)
        named = re.findall(r"\b([a-z_]+)\(|losses\.([a-z_0-9]+)", message)
        assert any(hasattr(losses, a or b) for a, b in named), message
        assert "(y_true, y_pred)" in message


def test_the_familiar_names_are_covered() -> None:
    """Every torch.nn.functional loss with an equivalent here is reachable by its torch name."""
    import torch.nn.functional as F  # noqa: N812

    equivalents = {
        "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "mse_loss",
        "l1_loss", "huber_loss", "smooth_l1_loss", "kl_div", "poisson_nll_loss", "gaussian_nll_loss",
        "triplet_margin_loss", "cosine_embedding_loss", "margin_ranking_loss", "multi_margin_loss",
        "multilabel_margin_loss", "multilabel_soft_margin_loss",
    }  # fmt: skip
    assert equivalents <= set(dir(F))
    assert equivalents <= set(losses._OTHER_NAMES) | set(losses.__all__)
    for name in (
        "bce_with_logits",
        "CrossEntropyLoss",
        "MSELoss",
        "mean_squared_error",
        "categorical_crossentropy",
    ):
        assert name in losses._OTHER_NAMES
    with pytest.raises(AttributeError, match=r"^module 'losses' has no attribute 'crossentropy'$"):
        losses.crossentropy  # noqa: B018


def test_pytorch_names_point_to_autograd_nn_which_has_them() -> None:
    import autograd.nn as nn

    for name in losses._OTHER_NAMES:
        with pytest.raises(AttributeError) as info:
            getattr(losses, name)
        where = "autograd.nn." if name[0].isupper() else "autograd.nn.functional."
        if name in losses._IN_TORCH_NN:
            assert f"with PyTorch's name and (input, target) order, {where}{name}" in str(info.value)
            assert hasattr(nn if name[0].isupper() else nn.functional, name), name
        else:
            assert "autograd.nn" not in str(info.value), name  # a Keras name: no torch spelling to offer
    assert {"MSELoss", "cross_entropy", "kl_div", "SoftMarginLoss"} <= losses._IN_TORCH_NN


@pytest.mark.parametrize("fn", [losses.cosine_embedding, losses.margin_ranking])
def test_pair_losses_in_torch_order_name_the_order(fn) -> None:
    x1, x2 = Tensor(np.ones((2, 3)) * 0.3, requires_grad=True), Tensor(np.ones((2, 3)))
    y = np.array([1.0, -1.0])
    args = (x1, x2, y) if fn is losses.cosine_embedding else (x1[:, 0], x2[:, 0], y)
    with (
        pytest.warns(ArgumentOrderWarning, match=r"but x1, x2 do not.*\(y_true, x1, x2\)$"),
        pytest.raises(ValueError, match=r"y_true must be pair labels .*PyTorch's order is \(x1, x2, y\)"),
    ):
        fn(*args)
