"""The teaching notes' derivative formulas, as LaTeX: every one gets the right verdict and, when
wrong, its slip named.

The notes' own statements (the loss derivatives as mathematics and as code, the 2-2-1 network's
backpropagation, the single neuron) are those of ``examples/seed_formula_check.py``; the right
forms of the same derivatives and the usual slips in them are written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from example_loader import load_example

import losses
from autograd import Value, check_derivative

seed = load_example("seed_formula_check")

MISSING_N = "missing 1/n (n = {}, the number of elements)"
SIGN_AND_N = "sign flipped; " + MISSING_N
CHAIN_SIGMA = "missing chain-rule factor σ′(z) = σ(z)(1 − σ(z)) (formula/engine = 1/σ′(z))"

#: The diagnosis of each of the notes' statements (None: right).
NOTES = {
    "mse": SIGN_AND_N.format(5),
    "mae": MISSING_N.format(5),
    "huber": SIGN_AND_N.format(5),
    "log_cosh": SIGN_AND_N.format(5),
    "bce": MISSING_N.format(4),
    "cce": "missing 1/n (n = 3, the batch size, axis 0)",  # not the 3 classes per sample
    "hinge": MISSING_N.format(4),
    "bce_sigmoid_delta": None,
    **{f"backprop_221_{w}": None for w in seed.BACKPROP_221},
    "single_neuron": None,
    "mse_code": None,
    "mae_code": None,
    "huber_code": "sign flipped",
    "bce_code": None,
    "cce_code": None,
    "focal_code": "sign flipped on 2 of 10 elements, e.g. at [(0,), (2,)]",
    "dice_code": "extra 1/n (n = 10, the number of elements)",
    "weighted_ce_code": None,
    "mse_mae_blend_code": None,
}


@dataclass(frozen=True)
class Case:
    """A derivative of the notes written as LaTeX, and its expected diagnosis (None: right)."""

    key: str
    f: Callable[..., Any]
    latex: str
    inputs: tuple[Any, ...]
    diagnosis: str | None
    symbols: dict[str, Any] = field(default_factory=dict)


REG, CLS, IMB = (seed.Y_REG, seed.P_REG), (seed.Y_CLS, seed.P_CLS), (seed.Y_IMB, seed.P_IMB)
SOFT = (np.array([0.2, 0.9, 0.4]), np.array([0.6, 0.3, 0.5]))
DELTA = {r"\delta": seed.HUBER_DELTA}
FOCAL = {"p_t": seed.P_T, r"\alpha": 1.0, r"\gamma": 2.0}
DICE = {"I": r"\sum_i y_i \hat{y}_i", "U": r"\sum_i y_i + \sum_i \hat{y}_i", "s": seed.DICE_SMOOTH}
Z3 = {r"\hat{y}": r"\sigma(z_3)"}
NEURON = {r"\hat{y}": "W x"}


def huber(y: Any, y_hat: Any) -> Any:
    return losses.huber(y, y_hat, delta=seed.HUBER_DELTA)


def bce_of_logit(y: Any, z3: Any) -> Any:
    return losses.binary_cross_entropy(y, z3.sigmoid())


def neuron(y: Any, x: Any, W: Any) -> Any:  # noqa: N803 (the notes' W)
    return 0.5 * (y - W * x) ** 2


NET = (seed.Y_221, *map(Value, seed.THETA_221))
NEURON_INPUTS = (3.0, 1.0, Value(2.0))
HUBER_RIGHT = (
    r"\frac{1}{n} \begin{cases} \hat{y}_i - y_i & |\hat{y}_i - y_i| \le \delta \\ "
    r"\delta \operatorname{sign}(\hat{y}_i - y_i) & \text{otherwise} \end{cases}"
)
FOCAL_RIGHT = (
    r"\frac{\alpha}{n} (2 y_i - 1) \left( \gamma (1 - p_t)^{\gamma - 1} \ln p_t "
    r"- \frac{(1 - p_t)^{\gamma}}{p_t} \right)"
)

CASES = [Case(s.key, s.loss, s.latex, s.inputs, NOTES[s.key], s.symbols) for s in seed.SEED_FORMULAS] + [
    # the right forms of the notes' derivatives, and the slips people make in them
    Case(
        "mse_right",
        losses.mse,
        r"\frac{\partial L}{\partial \hat{y}_i} = \frac{2}{n}(\hat{y}_i - y_i)",
        REG,
        None,
    ),
    Case("mse_one_sample", losses.mse, r"2(\hat{y}_i - y_i)", REG, MISSING_N.format(5)),
    Case(
        "mse_summed",
        losses.mse,
        r"\frac{\partial L}{\partial \hat{y}} = -\frac{2}{n} \sum_{i=1}^{n} (y_i - \hat{y}_i)",
        REG,
        "a sum Σ that does not belong (the derivative for one element has no sum over the elements)",
    ),
    Case("mse_half", losses.mse, r"\frac{1}{n} (\hat{y}_i - y_i)", REG, "factor 2 too small"),
    Case("mae_right", losses.mae, r"\frac{1}{n} \operatorname{sign}(\hat{y}_i - y_i)", REG, None),
    Case("mae_flipped", losses.mae, r"\frac{1}{n} \text{sign}(y_i - \hat{y}_i)", REG, "sign flipped"),
    Case("huber_right", huber, HUBER_RIGHT, REG, None, DELTA),
    Case("huber_clip", huber, r"\frac{1}{n} \max(-\delta, \min(\delta, \hat{y}_i - y_i))", REG, None, DELTA),
    Case("log_cosh_right", losses.log_cosh, r"\frac{1}{n} \tanh(\hat{y}_i - y_i)", REG, None),
    Case(
        "bce_right",
        losses.binary_cross_entropy,
        r"\frac{1}{n} \left( \frac{1 - y_i}{1 - \hat{y}_i} - \frac{y_i}{\hat{y}_i} \right)",
        CLS,
        None,
    ),
    Case(
        "bce_by_y",  # natural logs: with base-10 logs no slip would fit
        losses.binary_cross_entropy,
        r"\frac{1}{n} \left( \log(1 - \hat{y}_i) - \log \hat{y}_i \right)",
        CLS,
        "the derivative with respect to y_true",
    ),
    Case(
        "bce_swapped",
        losses.binary_cross_entropy,
        r"\frac{y_i - \hat{y}_i}{n \, y_i (1 - y_i)}",
        SOFT,
        "y_true and y_pred swapped in the formula",
    ),
    Case(
        "cce_right",
        losses.categorical_cross_entropy,
        r"-\frac{1}{N} \frac{y_{i,c}}{\hat{y}_{i,c}}",
        (seed.Y_ONEHOT, seed.P_SOFTMAX),
        None,
        {"N": seed.rows},
    ),
    Case(
        "hinge_right",
        losses.hinge,
        r"-\frac{1}{n} y_i \mathbb{1}[y_i \hat{y}_i < 1]",
        (seed.Y_SIGN, seed.F_SCORE),
        None,
    ),
    Case(
        "focal_right",
        lambda y, y_hat: losses.binary_focal(y, y_hat, gamma=2.0),
        FOCAL_RIGHT,
        IMB,
        None,
        FOCAL,
    ),
    Case(
        "dice_right",
        lambda y, y_hat: losses.dice(y, y_hat, smooth=seed.DICE_SMOOTH),
        r"-\frac{2 y_i (U + s) - (2 I + s)}{(U + s)^2}",
        IMB,
        None,
        DICE,
    ),
    # the worked backpropagation: the output delta, σ', the 2-2-1 rules, the single neuron
    Case(
        "delta3_without_sigma_prime",
        bce_of_logit,
        r"\frac{\partial L}{\partial z_3} = -\frac{y}{\hat{y}} + \frac{1 - y}{1 - \hat{y}}",
        (seed.Y_221, 1.0128),
        CHAIN_SIGMA,
        Z3,
    ),
    Case(
        "delta3_flipped",
        bce_of_logit,
        r"\frac{\partial L}{\partial z_3} = y - \hat{y}",
        (1.0, 1.0128),
        "sign flipped",
        Z3,
    ),
    Case(
        "sigma_prime",
        lambda z: z.sigmoid().sum(),
        r"\sigma'(z) = \sigma(z) (1 - \sigma(z))",
        (np.array([0.3, 0.5, 1.0133]),),
        None,
    ),
    Case(
        "w11_without_sigma_prime",
        seed.net_221_loss,
        r"\frac{\partial L}{\partial w_{11}} = w_{13} \delta_3 x_1",
        NET,
        CHAIN_SIGMA,
        seed.NET_221,
    ),
    Case(
        "w13_flipped",
        seed.net_221_loss,
        r"\frac{\partial L}{\partial w_{13}} = (y - \hat{y}) a_1",
        NET,
        "sign flipped",
        seed.NET_221,
    ),
    Case(
        "neuron_flipped",
        neuron,
        r"\frac{\partial L}{\partial W} = (y - \hat{y}) x",
        NEURON_INPUTS,
        "sign flipped",
        NEURON,
    ),
    Case(
        "neuron_without_half",
        neuron,
        r"\frac{\partial L}{\partial W} = -2 (y - \hat{y}) x",
        NEURON_INPUTS,
        "factor 2 too large",
        NEURON,
    ),
    # second derivatives of the notes' losses (elementwise: the Hessian's diagonal)
    Case("mse_hessian", losses.mse, r"\frac{\partial^2 L}{\partial \hat{y}_i^2} = \frac{2}{n}", REG, None),
    Case(
        "mse_hessian_one_sample",
        losses.mse,
        r"\frac{\partial^2 L}{\partial \hat{y}_i^2} = 2",
        REG,
        MISSING_N.format(5),
    ),
    Case(
        "log_cosh_hessian",
        losses.log_cosh,
        r"\frac{\partial^2 L}{\partial \hat{y}_i^2} = \frac{1}{n} (1 - \tanh^2(y_i - \hat{y}_i))",
        REG,
        None,
    ),
]


def test_the_corpus_is_the_notes_and_more() -> None:
    assert set(NOTES) == {s.key for s in seed.SEED_FORMULAS}
    assert len(CASES) >= 30 and len({c.key for c in CASES}) == len(CASES)
    right, wrong = sum(c.diagnosis is None for c in CASES), sum(c.diagnosis is not None for c in CASES)
    assert right >= 15 and wrong >= 15


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.key)
def test_each_formula_gets_its_verdict_and_its_slip_named(case: Case) -> None:
    report = check_derivative(case.f, case.latex, *case.inputs, symbols=case.symbols, atol=1e-9, rtol=1e-4)
    if case.diagnosis is None:
        assert report, str(report)
    else:
        assert not report and report.diagnosis == case.diagnosis, str(report)
    assert report.checked.startswith("formula: ")  # what was checked is printed back
