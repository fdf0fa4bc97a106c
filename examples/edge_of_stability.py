"""The edge of stability
=====================

The edge of stability: gradient descent converges for lr < 2/λ_max and diverges above it.

The loss is least squares on a small data set, f(w) = mean((Xw − y)²), whose Hessian
H = (2/n) XᵀX is the same at every w. Along H's top eigenvector a GD step multiplies the
error by (1 − lr·λ_max): below lr = 2/λ_max that factor's magnitude is below 1 and the error
shrinks, above it the magnitude exceeds 1 and the error grows, flipping sign every step.

λ_max is found without forming H: power iteration v ← Hv / ‖Hv‖ with the engine's
Hessian-vector product ``hvp(f, w, v)`` (two backward passes, the second through the
graph of the first). It is checked against the exact eigenvalue,
``numpy.linalg.eigvalsh(hessian(f)(w))``. Then ``optimizers.SGD`` runs with lr at 0.95,
1 and 1.05 times 2/λ_max, and the loss above its minimum is drawn on a log scale.

    python examples/edge_of_stability.py [--out DIR] [--small]

writes ``edge_of_stability.png``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from _common import legend_outside, line_styles, make_parser, out_dir, print_table, pyplot, save_figure

import losses
from autograd import Tensor, hessian, hvp, no_grad
from optimizers import SGD

FACTORS = (0.95, 1.0, 1.05)  # lr = factor · 2/λ_max


def make_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` rows of 3 features of different scales (so H has distinct eigenvalues) and targets."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) * np.array([2.0, 1.0, 0.5])
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.3 + rng.normal(0, 0.5, n)
    return np.c_[X, np.ones(n)], y  # a column of ones: the intercept


def least_squares(X: np.ndarray, y: np.ndarray) -> Any:
    """f(w) = mean((Xw − y)²), a function of a Tensor ``w`` (the library's ``losses.mse``)."""
    return lambda w: losses.mse(y, Tensor(X) @ w)


def power_iteration(
    f: Any, w: np.ndarray, iters: int = 500, tol: float = 1e-12, seed: int = 0
) -> tuple[float, np.ndarray, list[float]]:
    """The largest eigenvalue of ∇²f(w) and its eigenvector, from Hessian-vector products only.

    v ← Hv / |Hv|; the estimate λ = vᵀHv (Rayleigh quotient) after each product. Stops when
    it changes by less than ``tol`` relative. (Finds the eigenvalue largest in magnitude: for a
    convex f, λ_max.)
    """
    v = np.random.default_rng(seed).normal(size=w.shape)
    v /= np.linalg.norm(v)
    history: list[float] = []
    for _ in range(iters):
        hv = hvp(f, w, v)
        history.append(float(v @ hv))
        v = hv / np.linalg.norm(hv)
        if len(history) > 1 and abs(history[-1] - history[-2]) <= tol * abs(history[-1]):
            break
    return history[-1], v, history


def run_gd(f: Any, w0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """The loss before each of ``steps`` steps of ``SGD(lr)`` from ``w0`` (and after the last)."""
    w = Tensor(w0.copy(), requires_grad=True, label="w")
    opt = SGD([w], lr=lr)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        loss = f(w)
        loss.backward()
        history.append(loss.item())
        opt.step()
    with no_grad():
        history.append(f(w).item())
    return np.array(history)


def plot(plt: Any, result: dict[str, Any]) -> Any:
    """Loss above its minimum vs step (log scale), one line per lr."""
    fig, ax = plt.subplots(figsize=(8, 5))
    lam = result["lambda_max"]
    for (factor, run), style in zip(result["runs"].items(), line_styles(len(result["runs"]))):
        excess = run["loss"] - result["min_loss"]
        label = f"lr = {factor:g} · 2/λ_max = {run['lr']:.4f}: {run['verdict']}"
        ax.semilogy(np.arange(len(excess)), excess, label=label, **(style | {"markevery": 0.1}))
    ax.set(
        xlabel="step",
        ylabel="loss − minimum loss",
        title=f"gradient descent on least squares, λ_max = {lam:.4f} (2/λ_max = {2 / lam:.4f})",
    )
    ax.grid(alpha=0.3, which="both")
    legend_outside(ax, "below", fontsize=9)
    return fig


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = make_parser(__doc__).parse_args(argv)
    steps = 100 if args.small else 200
    X, y = make_data(40, args.seed)
    f = least_squares(X, y)
    w0 = np.zeros(X.shape[1])

    lam_power, v, history = power_iteration(f, w0, seed=args.seed)
    eigenvalues = np.linalg.eigvalsh(hessian(f)(w0))
    lam_exact = float(eigenvalues[-1])
    print(f"Hessian eigenvalues (hessian + eigvalsh): {np.round(eigenvalues, 6)}")
    print(f"λ_max by hvp power iteration: {lam_power:.12f} ({len(history)} Hessian-vector products)")
    print(f"λ_max exact (eigvalsh):       {lam_exact:.12f}")
    print(f"relative difference: {abs(lam_power - lam_exact) / lam_exact:.1e}; 2/λ_max = {2 / lam_power:.6f}")

    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    with no_grad():
        min_loss = f(Tensor(w_star)).item()
    runs = {}
    for factor in FACTORS:
        lr = factor * 2 / lam_power
        loss = run_gd(f, w0, lr, steps)
        excess = loss - min_loss
        if excess[-1] < 1e-3 * excess[0]:
            verdict = "converges"
        elif excess[-1] > excess[0]:
            verdict = "diverges"
        else:  # the error along the top eigenvector flips sign each step, at constant size
            verdict = "oscillates, neither grows nor shrinks"
        runs[factor] = {"lr": lr, "loss": loss, "verdict": verdict}
    print(f"\ngradient descent from w = 0, {steps} steps; minimum loss {min_loss:.6f}")
    rows = [
        [f"{k:g} · 2/λ_max", r["lr"], abs(1 - r["lr"] * lam_power), f"{r['loss'][-1]:.4g}", r["verdict"]]
        for k, r in runs.items()
    ]
    print_table(rows, ["lr", "value", "|1 − lr·λ_max|", "final loss", "verdict"])

    result: dict[str, Any] = {
        "lambda_max": lam_power,
        "lambda_exact": lam_exact,
        "eigenvalues": eigenvalues,
        "power_history": history,
        "eigenvector": v,
        "min_loss": min_loss,
        "runs": runs,
        "data": (X, y),
        "plots": [],
    }
    plt = pyplot()
    if plt is not None:
        result["plots"].append(save_figure(plot(plt, result), out_dir(args.out), "edge_of_stability.png"))
    return result


if __name__ == "__main__":
    main()
