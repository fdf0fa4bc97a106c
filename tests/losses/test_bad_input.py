"""Bad input raises a ValueError that names the loss, the argument, what was expected and what
came in: shape mismatches (no silent broadcasting), probabilities outside [0, 1], labels out of
range, unknown reductions, invalid hyperparameters."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest

import losses
from autograd import Tensor, Value

Y, P = np.array([0.2, 0.7, 1.0]), np.array([0.3, 0.6, 0.9])
ONEHOT, PROBS = np.eye(3)[[0, 2]], np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
VEC = np.ones((2, 3))
PAIR = np.array([1.0, -1.0])

# name -> valid positional arguments
VALID: dict[str, tuple[Any, ...]] = {
    **{name: (Y, P) for name in ("mse", "mae", "log_cosh", "msle", "mape", "huber", "smooth_l1", "quantile")},
    "poisson": (Y, P),
    "gaussian_nll": (Y, P, P),
    **{
        name: (Y, P)
        for name in ("binary_cross_entropy", "binary_focal", "dice", "iou", "tversky", "contrastive")
    },
    **{name: (np.array([1.0, -1.0, 1.0]), P) for name in ("hinge", "squared_hinge", "soft_margin")},
    "hinge_embedding": (np.array([1.0, -1.0, 1.0]), P),
    **{
        name: (ONEHOT, PROBS)
        for name in ("categorical_cross_entropy", "categorical_hinge", "categorical_focal")
    },
    **{name: (PROBS, PROBS) for name in ("kl_divergence", "js_divergence")},
    "sparse_categorical_cross_entropy": (np.array([0, 2]), PROBS),
    "nll": (np.array([0, 2]), np.log(PROBS)),
    "multiclass_hinge": (np.array([0, 2]), PROBS),
    "multilabel_hinge": (np.array([[0, -1, 1], [2, 1, -1]]), PROBS),
    "multilabel_soft_margin": (ONEHOT, PROBS),
    "triplet": (VEC, VEC * 2, VEC * 3),
    "cosine_embedding": (PAIR, VEC, VEC * 2),
    "margin_ranking": (PAIR, np.array([0.1, 0.2]), np.array([0.3, 0.0])),
    "ctc": (np.array([[1]]), np.log(np.full((2, 1, 2), 0.5)), np.array([2]), np.array([1])),
}


def test_every_loss_has_valid_arguments() -> None:
    assert set(VALID) == set(losses.__all__) - {"ArgumentOrderWarning"}
    for name, args in VALID.items():
        assert np.isfinite(np.asarray(getattr(losses, name)(*args).data)).all(), name


def raises(match: str, fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(ValueError) as info:
        fn(*args, **kwargs)
    message = str(info.value)
    for part in match.split("|"):
        assert part in message, f"{part!r} not in {message!r}"
    return message


@pytest.mark.parametrize("name", sorted(VALID))
def test_unknown_reduction(name: str) -> None:
    raises(
        f"{name}: reduction|'mean', 'sum', 'none'|'avg'", getattr(losses, name), *VALID[name], reduction="avg"
    )


ELEMENTWISE = [
    name for name, args in VALID.items() if len(args) == 2 and np.shape(args[0]) == np.shape(args[1])
]


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_shape_mismatch_is_not_broadcast(name: str) -> None:
    y, p = VALID[name]
    y_wrong = np.asarray(y)[..., None]  # (n, 1) against (n,): numpy would broadcast to (n, n)
    raises(
        f"{name}: y_true and y_pred|same shape|{y_wrong.shape}|{np.shape(p)}",
        getattr(losses, name),
        y_wrong,
        p,
    )


def test_shape_mismatch_of_other_arguments() -> None:
    raises("gaussian_nll: var|(3,)|got shape (2,)", losses.gaussian_nll, Y, P, np.ones(2))
    raises("triplet: anchor and positive|same shape", losses.triplet, VEC, np.ones((2, 4)), VEC)
    raises("margin_ranking: y_true and x1", losses.margin_ranking, np.ones(3), PAIR, PAIR)
    raises("cosine_embedding: |x1 (2, 3), x2 (2, 4)", losses.cosine_embedding, PAIR, VEC, np.ones((2, 4)))
    raises(
        "sparse_categorical_cross_entropy: y_true|shape (2,)|got shape (3,)",
        losses.sparse_categorical_cross_entropy,
        np.array([0, 1, 2]),
        PROBS,
    )


@pytest.mark.parametrize(
    "name, args",
    [
        ("binary_cross_entropy", (Y, np.array([0.3, 1.2, 0.5]))),
        ("binary_focal", (Y, np.array([-0.1, 0.2, 0.5]))),
        ("categorical_cross_entropy", (ONEHOT, PROBS * 2)),
        ("categorical_focal", (ONEHOT, PROBS - 0.5)),
        ("sparse_categorical_cross_entropy", (np.array([0, 1]), PROBS + 1)),
        ("kl_divergence", (PROBS, PROBS + 1)),
        ("js_divergence", (PROBS, -PROBS)),
        ("dice", (Y, P + 1)),
        ("iou", (Y, P - 1)),
        ("tversky", (Y, P * 2)),
    ],
)
def test_prediction_outside_probabilities(name: str, args: tuple) -> None:
    raises(f"{name}: y_pred must be probabilities|[0, 1]|got", getattr(losses, name), *args)


@pytest.mark.parametrize(
    "name, args",
    [
        ("binary_cross_entropy", (Y + 1, P)),
        ("categorical_cross_entropy", (ONEHOT * 2, PROBS)),
        ("kl_divergence", (-PROBS, PROBS)),
        ("dice", (Y - 2, P)),
        ("contrastive", (Y + 3, P)),
    ],
)
def test_target_outside_probabilities(name: str, args: tuple) -> None:
    raises(f"{name}: y_true must be|[0, 1]|got", getattr(losses, name), *args)


def test_probability_check_names_the_value_and_place_and_allows_logits() -> None:
    raises(
        "got 1.5 at index (1,)|from_logits=True", losses.binary_cross_entropy, Y, np.array([0.1, 1.5, 0.2])
    )
    assert losses.binary_cross_entropy(Y, np.array([0.1, 1.5, -3.0]), from_logits=True).item() > 0
    raises("got nan", losses.binary_cross_entropy, Y, np.array([0.1, np.nan, 0.2]))


@pytest.mark.parametrize(
    "labels, expected",
    [
        (np.array([0, 3]), "integer class labels in [0, 2]|got 3.0"),
        (np.array([-1, 0]), "got -1.0"),
        (np.array([0.5, 1]), "got 0.5"),
    ],
)
@pytest.mark.parametrize("name", ["sparse_categorical_cross_entropy", "nll"])
def test_class_labels_out_of_range(name: str, labels: np.ndarray, expected: str) -> None:
    raises(f"{name}: y_true must be|{expected}", getattr(losses, name), labels, PROBS)


def test_ignore_index_is_allowed_outside_the_range() -> None:
    assert losses.nll(np.array([0, -100]), np.log(PROBS), ignore_index=-100).item() == pytest.approx(
        -np.log(0.7)
    )
    raises("or ignore_index -100", losses.nll, np.array([0, -1]), np.log(PROBS), ignore_index=-100)


@pytest.mark.parametrize(
    "fn, args",
    [
        (losses.hinge, (np.array([1.0, 2.0, -1.0]), P)),
        (losses.squared_hinge, (np.array([1.0, 0.5, -1.0]), P)),
        (losses.margin_ranking, (np.array([1.0, 0.0]), PAIR, PAIR)),
        (losses.cosine_embedding, (np.array([1.0, 0.0]), VEC, VEC)),
    ],
)
def test_pair_and_sign_labels(fn: Any, args: tuple) -> None:
    raises(f"{fn.__name__}: y_true must be|labels in {{-1, 1}}|got", fn, *args)


def test_hinge_rejects_mixed_label_conventions() -> None:
    raises("hinge: y_true|got both -1 and 0", losses.hinge, np.array([-1.0, 0.0, 1.0]), P)


@pytest.mark.parametrize(
    "fn, kwargs, expected",
    [
        (losses.huber, {"delta": 0.0}, "huber: delta must be > 0; got 0.0"),
        (losses.huber, {"delta": -1.0}, "huber: delta must be > 0; got -1.0"),
        (losses.smooth_l1, {"beta": -0.5}, "smooth_l1: beta must be >= 0; got -0.5"),
        (losses.quantile, {"q": 1.5}, "quantile: q must be in [0, 1]; got 1.5"),
        (losses.contrastive, {"margin": -1.0}, "contrastive: margin must be >= 0; got -1.0"),
        (losses.binary_cross_entropy, {"label_smoothing": 2.0}, "label_smoothing must be in [0, 1]; got 2.0"),
        (losses.binary_focal, {"gamma": -1.0}, "binary_focal: gamma must be >= 0; got -1.0"),
        (losses.binary_focal, {"alpha": 1.5}, "binary_focal: alpha must be in [0, 1]; got 1.5"),
        (losses.dice, {"smooth": -1.0}, "dice: smooth must be >= 0"),
        (losses.tversky, {"alpha": -0.1}, "tversky: alpha must be >= 0"),
        (losses.huber, {"delta": "big"}, "huber: delta must be a real number; got 'big'"),
    ],
)
def test_invalid_hyperparameters(fn: Any, kwargs: dict, expected: str) -> None:
    raises(expected, fn, Y, P, **kwargs)


def test_invalid_hyperparameters_of_other_losses() -> None:
    raises("triplet: margin must be > 0; got 0.0", losses.triplet, VEC, VEC, VEC, margin=0.0)
    raises("triplet: p must be >= 0; got -0.5", losses.triplet, VEC, VEC, VEC, p=-0.5)
    raises("triplet: anchor must have an axis of embeddings", losses.triplet, 1.0, 2.0, 3.0)
    raises(
        "margin_ranking: margin must be >= 0; got -0.5", losses.margin_ranking, PAIR, PAIR, PAIR, margin=-0.5
    )
    raises(
        "cosine_embedding: margin must be in [-1, 1]; got 1.5",
        losses.cosine_embedding,
        PAIR,
        VEC,
        VEC,
        margin=1.5,
    )
    raises("gaussian_nll: var must be >= 0", losses.gaussian_nll, Y, P, -P)
    raises(
        "categorical_cross_entropy: weight|shape (3,)|got (2,)",
        losses.categorical_cross_entropy,
        ONEHOT,
        PROBS,
        weight=[1.0, 2.0],
    )
    raises("categorical_focal: alpha|shape (3,)", losses.categorical_focal, ONEHOT, PROBS, alpha=[1.0, 2.0])
    raises(
        "binary_cross_entropy: weight must broadcast|(3,)|got shape (4,)",
        losses.binary_cross_entropy,
        Y,
        P,
        weight=np.ones(4),
    )
    raises("categorical_cross_entropy: axis|got 2", losses.categorical_cross_entropy, ONEHOT, PROBS, axis=2)


def test_non_numeric_input_is_a_type_error_naming_the_argument() -> None:
    with pytest.raises(TypeError, match="mse: y_pred must be real numbers"):
        losses.mse(Y, ["a", "b", "c"])


def _holding_none(arg: Any) -> np.ndarray:
    out = np.array(arg, dtype=object)
    out.flat[0] = None
    return out


# what comes in, and the words the error must use for it (issue: mse(None, 1.0) gave nan, and a
# complex y_pred lost its imaginary part with only a ComplexWarning)
NOT_NUMBERS = {
    "None": (lambda a: None, "got None"),
    "text": (lambda a: "abc", "got text 'abc'"),
    "complex": (lambda a: np.asarray(a) + 0.5j, "got complex numbers (dtype complex128)"),
    "object array": (_holding_none, "got ndarray holding NoneType None"),
    "ragged list": (lambda a: [[1.0], [1.0, 2.0]], "got a ragged nested sequence"),
    "bools": (lambda a: np.asarray(a) > 0.5, "got bools (dtype bool), where numbers are meant"),
}
ARRAY_ARGUMENTS = [
    (name, i, param, kind)
    for name in sorted(VALID)
    for i, param in enumerate(list(inspect.signature(getattr(losses, name)).parameters)[: len(VALID[name])])
    for kind in sorted(NOT_NUMBERS)
    if not (kind == "bools" and param == "y_true")  # labels and masks: see the next test
]


@pytest.mark.parametrize("name, position, param, kind", ARRAY_ARGUMENTS, ids=lambda x: str(x))
def test_an_argument_that_is_not_numbers_is_a_type_error_naming_loss_argument_and_input(
    name: str, position: int, param: str, kind: str
) -> None:
    make, found = NOT_NUMBERS[kind]
    args = list(VALID[name])
    args[position] = make(args[position])
    with pytest.raises(TypeError) as info:
        getattr(losses, name)(*args)
    message = str(info.value)
    assert message.startswith(f"{name}: {param} must be real numbers"), message
    assert found in message, message


def test_bool_labels_and_masks_are_numbers() -> None:
    y = np.array([True, False, True])
    assert losses.binary_cross_entropy(y, P).item() == losses.binary_cross_entropy(y.astype(float), P).item()
    assert losses.mse(Y, P, weight=y).item() == losses.mse(Y, P, weight=y.astype(float)).item()
    with pytest.raises(TypeError, match="mse: y_pred must be real numbers.*got bools"):
        losses.mse(Y, True)


@pytest.mark.parametrize(
    "fn, args, kwargs, expected",
    [
        (losses.binary_cross_entropy, (Y, P), {"from_logits": "False"}, "from_logits must be True or False"),
        (losses.kl_divergence, (PROBS, PROBS), {"log_target": 1}, "log_target must be True or False"),
        (losses.poisson, (Y, P), {"full": None}, "full must be True or False; got NoneType None"),
        (losses.triplet, (VEC, VEC, VEC), {"swap": "yes"}, "swap must be True or False"),
        (losses.nll, (np.array([0, 2]), PROBS), {"ignore_index": "x"}, "ignore_index must be an int or None"),
        (losses.nll, (np.array([0, 2]), PROBS), {"axis": "last"}, "axis must be an int (the class axis)"),
        (losses.gaussian_nll, (Y, P), {"var": 1j}, "var must be real numbers"),
        (losses.gaussian_nll, (Y, P), {"var": True}, "var must be real numbers"),
        (losses.mse, (Y, P), {"weight": np.array([1, 1j, 1])}, "weight must be real numbers"),
        (losses.binary_cross_entropy, (Y, P), {"pos_weight": "2"}, "pos_weight must be real numbers"),
        (losses.categorical_focal, (ONEHOT, PROBS), {"alpha": "a"}, "alpha must be real"),
    ],
)
def test_flags_indices_and_options_of_the_wrong_kind(
    fn: Any, args: tuple, kwargs: dict, expected: str
) -> None:
    with pytest.raises(TypeError) as info:
        fn(*args, **kwargs)
    assert str(info.value).startswith(f"{fn.__name__}: {expected}"), str(info.value)


@pytest.mark.parametrize("value", ["1.5", True, 1j, None])
def test_a_hyperparameter_is_a_number_not_text_or_a_bool(value: Any) -> None:
    raises(f"huber: delta must be a real number; got {value!r}", losses.huber, Y, P, delta=value)


def test_values_holding_none_name_the_argument() -> None:
    with pytest.raises(TypeError, match="mse: y_true must be real numbers.*NoneType"):
        losses.mse([Value(1.0), None], [1.0, 2.0])


def test_checks_apply_to_values_and_tensors_alike() -> None:
    raises("mse: y_true and y_pred|same shape", losses.mse, [1.0, 2.0], [Value(1.0)])
    raises("binary_cross_entropy: y_pred|got 2.0", losses.binary_cross_entropy, 1.0, Value(2.0))
    raises("mae: y_true and y_pred|(2, 1)|(2,)", losses.mae, Tensor([[1.0], [2.0]]), Tensor([1.0, 2.0]))
