"""Loss gallery
============

Loss gallery: every loss, its derivative and its curvature, both computed by backpropagation.

Regression losses (MSE, MAE, Huber, smooth L1, log-cosh, quantile) are drawn against
the error e = ŷ - y, and those that need a positive target (MSLE, Poisson, Gaussian NLL,
MAPE) against the prediction ŷ for y = 1; binary classification losses against the predicted probability p
of the true class (BCE, label-smoothed BCE, focal) and against the margin m = y·f of a
raw score f (hinge, squared hinge, logistic = BCE from logits, focal from logits).

No derivative is written by hand: the predictions are one Tensor leaf holding the whole
grid, the per-point losses (``reduction="none"``) are summed and
``backward(create_graph=True)`` puts dloss/dŷ for every grid point in ``ŷ.grad``, as graph
nodes. The points are independent, so the Hessian is diagonal and its diagonal, the
curvature d²loss/dŷ², is the gradient of ``ŷ.grad.sum()``: one more backward pass
(``grad``). The same loss code also runs on a list of scalar Values, and the script
checks that both engines agree on both derivatives.

The curvature panel shows convexity: ≥ 0 everywhere for the convex losses (MSE 2, Huber 1
inside δ and 0 outside, logistic σ(1−σ)); log-cosh's sech²(e) fades for large errors, which
is why it behaves like MSE near 0 and like MAE far out; the focal loss from logits (γ = 2)
is not convex: its curvature dips below 0 for margins m < −2.79 (−0.02 at m = −3). A kink's
curvature (MAE at 0, hinge at 1) is a Dirac delta that no grid shows: the engine gives 0
there, like torch.

Where a derivative jumps (MAE and quantile at e = 0, MAPE at ŷ = y, hinge at m = 1; for the
curvature Huber at ±δ, squared hinge at 1) its line is cut instead of drawn vertical; the
jumps are found numerically (``jumps``), not listed.

    python examples/loss_gallery.py [--out DIR] [--small]

writes ``loss_gallery_regression.png`` and ``loss_gallery_classification.png``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from _common import legend_outside, line_styles, make_parser, out_dir, print_table, pyplot, save_figure

import losses
from autograd import Tensor, Value, grad

LossFn = Callable[..., Any]  # loss(y_true, y_pred, reduction=...) -> Tensor | Value

HUBER_DELTA = 1.0
SMOOTH_L1_BETA = 0.5
FOCAL_GAMMA = 2.0
GAUSSIAN_VAR = 0.5

# name -> loss(y_true, y_pred, reduction): each a direct call of the library loss.
REGRESSION: dict[str, LossFn] = {
    "mse": lambda t, p, reduction: losses.mse(t, p, reduction=reduction),
    "mae": lambda t, p, reduction: losses.mae(t, p, reduction=reduction),
    f"huber(delta={HUBER_DELTA:g})": lambda t, p, reduction: losses.huber(
        t, p, delta=HUBER_DELTA, reduction=reduction
    ),
    f"smooth_l1(beta={SMOOTH_L1_BETA:g})": lambda t, p, reduction: losses.smooth_l1(
        t, p, beta=SMOOTH_L1_BETA, reduction=reduction
    ),
    "log_cosh": lambda t, p, reduction: losses.log_cosh(t, p, reduction=reduction),
    "quantile(q=0.25)": lambda t, p, reduction: losses.quantile(t, p, q=0.25, reduction=reduction),
    "quantile(q=0.75)": lambda t, p, reduction: losses.quantile(t, p, q=0.75, reduction=reduction),
}

# Losses that need a positive target, against the prediction ŷ for y = 1.
POSITIVE: dict[str, LossFn] = {
    "msle": lambda t, p, reduction: losses.msle(t, p, reduction=reduction),
    "poisson (ŷ is the rate)": lambda t, p, reduction: losses.poisson(t, p, reduction=reduction),
    f"gaussian_nll(var={GAUSSIAN_VAR:g})": lambda t, p, reduction: losses.gaussian_nll(
        t, p, GAUSSIAN_VAR, reduction=reduction
    ),
    "mape / 100": lambda t, p, reduction: losses.mape(t, p, reduction=reduction) / 100.0,
}

# Against the predicted probability p of the positive class, for a positive example (y = 1).
PROBABILITY: dict[str, LossFn] = {
    "bce": lambda t, p, reduction: losses.binary_cross_entropy(t, p, reduction=reduction),
    "bce(label_smoothing=0.1)": lambda t, p, reduction: losses.binary_cross_entropy(
        t, p, label_smoothing=0.1, reduction=reduction
    ),
    "focal(gamma=1)": lambda t, p, reduction: losses.binary_focal(t, p, gamma=1.0, reduction=reduction),
    f"focal(gamma={FOCAL_GAMMA:g})": lambda t, p, reduction: losses.binary_focal(
        t, p, gamma=FOCAL_GAMMA, reduction=reduction
    ),
}

# Against the margin m = y·f of a raw score f, for a positive example (y = 1, so f = m).
MARGIN: dict[str, LossFn] = {
    "hinge": lambda t, f, reduction: losses.hinge(t, f, reduction=reduction),
    "squared_hinge": lambda t, f, reduction: losses.squared_hinge(t, f, reduction=reduction),
    "logistic (bce from logits)": lambda t, f, reduction: losses.binary_cross_entropy(
        t, f, from_logits=True, reduction=reduction
    ),
    f"focal from logits (gamma={FOCAL_GAMMA:g})": lambda t, f, reduction: losses.binary_focal(
        t, f, gamma=FOCAL_GAMMA, from_logits=True, reduction=reduction
    ),
}


REFINE = 16  # sub-steps per grid interval when looking for jumps in a derivative


def derivatives(loss: LossFn, y_true: float, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loss at every prediction in ``x``, dloss/dprediction and d²loss/dprediction² there."""
    pred = Tensor(x, requires_grad=True)
    per_point = loss(np.full_like(x, y_true), pred, "none")
    # points are independent: the gradient of the sum is each point's slope, and the Hessian
    # is diagonal, so the gradient of the slopes' sum is each point's curvature
    per_point.sum().backward(create_graph=True)  # pred.grad: the slopes, as graph nodes
    slope = pred.grad
    if slope.requires_grad:
        (curvature,) = grad(slope.sum(), [pred])
    else:  # piecewise-constant slopes (MAE, quantile, hinge) are left off the graph: curvature 0
        curvature = np.zeros_like(x)
    return per_point.data.copy(), slope.data.copy(), np.asarray(curvature, dtype=float)


def jumps(loss: LossFn, y_true: float, x: np.ndarray, d: np.ndarray, order: int = 1) -> np.ndarray:
    """``jump[i]``: the derivative of ``order`` 1 or 2, ``d`` on the grid, jumps between ``x[i]`` and
    ``x[i + 1]`` (the slope of MAE at 0, the curvature of Huber at ±δ).

    Where the derivative is continuous, its change over an interval shrinks with the interval;
    at a jump it does not. So each interval is cut into ``REFINE`` sub-steps, and an interval
    whose change is made (mostly) in one sub-step holds a jump.
    """
    t = np.linspace(0.0, 1.0, REFINE + 1)
    fine = (x[:-1, None] + t * (x[1:] - x[:-1])[:, None]).ravel()
    fine_d = derivatives(loss, y_true, fine)[order]
    sub_steps = np.abs(np.diff(fine_d.reshape(len(x) - 1, REFINE + 1), axis=1))
    change = np.abs(np.diff(d))
    scale = np.nanmax(np.abs(d)) + 1.0
    return (change > 1e-6 * scale) & (sub_steps.max(axis=1) > 0.5 * change)


def curve(loss: LossFn, y_true: float, x: np.ndarray) -> dict[str, np.ndarray]:
    """Loss, derivative and curvature (by backward) and where they jump, at every prediction in ``x``."""
    values, slope, curvature = derivatives(loss, y_true, x)
    return {
        "loss": values,
        "grad": slope,
        "curvature": curvature,
        "jumps": jumps(loss, y_true, x, slope),
        "curvature_jumps": jumps(loss, y_true, x, curvature, order=2),
    }


def broken_at(x: np.ndarray, y: np.ndarray, jump: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``x, y`` with a nan between the points of every jump, so the line is cut, not drawn vertical."""
    at = np.flatnonzero(jump) + 1
    return np.insert(x, at, (x[at - 1] + x[at]) / 2), np.insert(y.astype(float), at, np.nan)


def value_curve(loss: LossFn, y_true: float, x: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The same slopes and curvatures from the scalar engine: the loss code run on a list of Values."""
    preds = [Value(float(v)) for v in x]
    slopes = grad(loss([y_true] * len(preds), preds, "sum"), preds, create_graph=True)
    curvatures = [grad(s, [p], allow_unused=True, materialize_grads=True)[0] for s, p in zip(slopes, preds)]
    return np.array([s.data for s in slopes]), np.array(curvatures, dtype=float)


def family(losses_: dict[str, LossFn], y_true: float, x: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    return {name: curve(fn, y_true, x) for name, fn in losses_.items()}


def plot_broken(ax: Any, x: np.ndarray, y: np.ndarray, jump: np.ndarray, name: str, style: dict) -> None:
    """``y`` against ``x``, cut at every jump; the single value at a jump itself drawn as a dot."""
    ax.plot(*broken_at(x, y, jump), label=name, **style)
    isolated = np.flatnonzero(np.r_[False, jump] & np.r_[jump, False])
    if len(isolated):
        ax.plot(x[isolated], y[isolated], "o", ms=5, color=style["color"], zorder=4)


def plot_family(
    axes: Sequence[Any], x: np.ndarray, curves: dict[str, Any], xlabel: str, what: str, wrt: str
) -> None:
    """Loss, derivative and curvature of every loss in ``curves``; one legend for all three, on the right.

    At a jump the derivative's (or curvature's) line is cut, and the single value backward()
    returns at the jump itself (e.g. sign(0) = 0 for MAE) is drawn as a dot.
    """
    for (name, c), style in zip(curves.items(), line_styles(len(curves))):
        axes[0].plot(x, c["loss"], label=name, **style)
        plot_broken(axes[1], x, c["grad"], c["jumps"], name, style)
        plot_broken(axes[2], x, c["curvature"], c["curvature_jumps"], name, style)
    axes[0].set(title=f"{what}: loss", ylabel="loss")
    axes[1].set(title=f"{what}: derivative by backward()", ylabel=f"dloss/d{wrt}")
    axes[2].set(title=f"{what}: curvature, backward of backward", ylabel=f"d²loss/d{wrt}²")
    for ax in axes:
        ax.set_xlabel(xlabel)
        ax.axhline(0, color="grey", lw=0.5)
        ax.grid(alpha=0.3)
    legend_outside(axes[2], "right", fontsize=8, title="loss (all three panels)", title_fontsize=8)


def explain_gaussian_nll(ax: Any, x: np.ndarray, values: np.ndarray, var: float) -> None:
    """Point at the Gaussian NLL's negative minimum and say why it is negative."""
    i = int(np.argmin(values))
    ax.annotate(
        f"gaussian_nll = ½(log var + (ŷ − y)²/var)\n"
        f"minimum ½ log var = {0.5 * np.log(var):.3f} < 0 because var < 1\n"
        "(the constant ½ log 2π is left out, as with\ntorch's gaussian_nll_loss(full=False))",
        xy=(x[i], values[i]),
        xytext=(0.2, 0.97),
        textcoords="axes fraction",
        va="top",
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": "0.3"},
        bbox={"boxstyle": "round", "fc": "white", "ec": "0.7"},
    )


def plot_gallery(plt: Any, result: dict[str, Any]) -> tuple[Any, Any]:
    """The regression figure (vs error, vs ŷ for y = 1) and the classification one (vs p, vs margin)."""
    reg, axes = plt.subplots(2, 3, figsize=(20, 9))
    plot_family(
        axes[0], result["regression"]["x"], result["regression"]["curves"], "error e = ŷ - y", "vs error", "ŷ"
    )
    positive = result["positive"]
    plot_family(axes[1], positive["x"], positive["curves"], "prediction ŷ (target y = 1)", "y = 1", "ŷ")
    axes[1][1].set_ylim(-5, 5)
    axes[1][2].set_ylim(-1, 6)  # poisson's 1/ŷ² reaches 400 at ŷ = 0.05
    explain_gaussian_nll(
        axes[1][0],
        positive["x"],
        positive["curves"][f"gaussian_nll(var={GAUSSIAN_VAR:g})"]["loss"],
        GAUSSIAN_VAR,
    )
    cls, axes = plt.subplots(2, 3, figsize=(20, 9))
    probs = result["probability"]
    plot_family(axes[0], probs["x"], probs["curves"], "probability p (y = 1)", "y = 1", "p")
    axes[0][0].set_ylim(0, 5)
    axes[0][1].set_ylim(-10, 5)
    axes[0][2].set_ylim(-2, 40)  # bce's 1/p² reaches 10⁴ at p = 0.01
    margin = result["margin"]
    plot_family(axes[1], margin["x"], margin["curves"], "margin m = y·f (y = 1)", "vs margin", "f")
    return reg, cls


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = make_parser(__doc__).parse_args(argv)
    n = 61 if args.small else 601
    errors = np.linspace(-3.0, 3.0, n)
    positive = np.linspace(0.05, 3.0, n)
    probs = np.linspace(0.01, 0.99, n)
    margins = np.linspace(-3.0, 3.0, n)

    # y = 0, ŷ = e: the prediction equals the error, so d/dŷ is d/de.
    result: dict[str, Any] = {
        "regression": {"x": errors, "curves": family(REGRESSION, 0.0, errors)},
        "positive": {"x": positive, "curves": family(POSITIVE, 1.0, positive)},
        "probability": {"x": probs, "curves": family(PROBABILITY, 1.0, probs)},
        "margin": {"x": margins, "curves": family(MARGIN, 1.0, margins)},
    }

    # The scalar engine must give the same slopes as the tensor engine.
    check_x = np.array([-2.5, -0.7, 0.3, 1.9])
    diffs = {}
    for name, fn in REGRESSION.items():
        tensor = curve(fn, 0.0, check_x)
        slopes, curvatures = value_curve(fn, 0.0, check_x)
        diffs[name] = float(
            max(np.max(np.abs(slopes - tensor["grad"])), np.max(np.abs(curvatures - tensor["curvature"])))
        )
    result["value_vs_tensor_max_diff"] = diffs

    at = [-2.0, -0.5, 0.5, 2.0]
    idx = [int(np.argmin(np.abs(errors - e))) for e in at]
    print("regression losses, derivative dloss/de at e =", at)
    rows = [[name, *(float(c["grad"][i]) for i in idx)] for name, c in result["regression"]["curves"].items()]
    print_table(rows, ["loss", *(f"e={e:g}" for e in at)])
    at = [-2.0, -0.2, 0.0, 0.2, 2.0]
    idx = [int(np.argmin(np.abs(errors - e))) for e in at]
    print("\nand the curvature d²loss/de² at e =", at)
    rows = [
        [name, *(float(c["curvature"][i]) for i in idx)] for name, c in result["regression"]["curves"].items()
    ]
    print_table(rows, ["loss", *(f"e={e:g}" for e in at)])
    print(f"Value engine vs Tensor engine, largest difference of both derivatives: {max(diffs.values()):.2e}")

    result["plots"] = []
    plt = pyplot()
    if plt is not None:
        folder = out_dir(args.out)
        for fig, name in zip(plot_gallery(plt, result), ["regression", "classification"]):
            result["plots"].append(save_figure(fig, folder, f"loss_gallery_{name}.png"))
    return result


if __name__ == "__main__":
    main()
