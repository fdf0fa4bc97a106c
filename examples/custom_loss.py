"""Writing a new loss and checking it
==================================

Write a new loss as one forward expression, then check its gradient two ways.

A loss here is a plain function of engine operations: no derivative code. ``backward`` gives
its gradient, ``gradcheck`` compares that with finite differences, and ``check_derivative``
compares it with a derivative you worked out by hand, naming the slip when they disagree.

1. A blend of MSE and MAE: ``α·mse + (1 - α)·mae``.
2. A boundary-emphasis loss for 1-D masks (rows of a segmentation): binary cross-entropy plus
   ``λ·mean((Δŷ - Δy)²)``, where ``Δv_j = v_{j+1} - v_j`` are the neighbour differences. The
   extra term is zero exactly when the prediction's edges match the target's, and never
   negative. (A term like ``mean(|Δŷ| - |Δy|)`` is not a loss: a flat prediction makes it
   negative, so minimising it rewards erasing the target's edges.)

Run: ``python examples/custom_loss.py``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import _common  # noqa: E402, F401  (puts the repository root on sys.path)
import numpy as np

import losses  # noqa: E402
from autograd import Tensor, gradcheck  # noqa: E402
from autograd.derivcheck import check_derivative  # noqa: E402


def mse_mae_blend(y_true: Any, y_pred: Any, *, alpha: float = 0.5, reduction: str = "mean") -> Any:
    """``α·(ŷ - y)² + (1 - α)·|ŷ - y|``, built from two library losses."""
    mse = losses.mse(y_true, y_pred, reduction=reduction)
    return alpha * mse + (1.0 - alpha) * losses.mae(y_true, y_pred, reduction=reduction)


def edge_mismatch(y_true: Any, y_pred: Any) -> Any:
    """``mean((Δŷ - Δy)²)`` over the last axis, ``Δv = v[..., 1:] - v[..., :-1]``."""
    d = (y_pred[..., 1:] - y_pred[..., :-1]) - (y_true[..., 1:] - y_true[..., :-1])
    return (d * d).mean()


def boundary_loss(y_true: Any, y_pred: Any, *, weight: float = 0.3) -> Any:
    """``bce(y, ŷ) + λ·mean((Δŷ - Δy)²)`` for masks ``y`` and probabilities ``ŷ``."""
    return losses.binary_cross_entropy(y_true, y_pred) + weight * edge_mismatch(y_true, y_pred)


# -- the derivatives worked out by hand (what is being checked)
def blend_derivative(y: np.ndarray, p: np.ndarray, alpha: float = 0.5) -> np.ndarray:
    return (alpha * 2 * (p - y) + (1 - alpha) * np.sign(p - y)) / y.size


def edge_derivative(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """With d_j = Δŷ_j - Δy_j and M differences: ∂/∂ŷ_i = (2/M)(d_{i-1} - d_i), d outside = 0."""
    d = np.diff(p, axis=-1) - np.diff(y, axis=-1)
    pad = np.zeros(d.shape[:-1] + (1,))
    return 2 * (np.concatenate([pad, d], -1) - np.concatenate([d, pad], -1)) / d.size


def boundary_derivative(y: np.ndarray, p: np.ndarray, weight: float = 0.3) -> np.ndarray:
    return (p - y) / (p * (1 - p)) / y.size + weight * edge_derivative(y, p)


def edge_derivative_slipped(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """A typical slip: d_i - d_{i-1} instead of d_{i-1} - d_i."""
    return -edge_derivative(y, p)


def seed_style_boundary_term(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """``mean(|Δŷ| - |Δy|)``: shown only to demonstrate that it goes negative."""
    y, p = Tensor(y_true), Tensor(y_pred)
    return ((p[..., 1:] - p[..., :-1]).abs() - (y[..., 1:] - y[..., :-1]).abs()).mean().item()


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    y = rng.normal(size=(3, 4))
    p = y + rng.choice([-1.0, 1.0], size=(3, 4)) * rng.uniform(0.1, 1.0, (3, 4))  # no zero errors
    masks = np.array([[0, 0, 1, 1, 1, 0], [1, 1, 1, 0, 0, 0]], dtype=float)
    probs = np.clip(masks + rng.normal(0, 0.2, masks.shape), 0.05, 0.95)

    blend_check = check_derivative(mse_mae_blend, blend_derivative, y, p)
    edge_check = check_derivative(edge_mismatch, edge_derivative, masks, probs)
    boundary_check = check_derivative(boundary_loss, boundary_derivative, masks, probs)
    slipped = check_derivative(edge_mismatch, edge_derivative_slipped, masks, probs)
    result = {
        "blend_gradcheck": gradcheck(mse_mae_blend, Tensor(y), Tensor(p, requires_grad=True)),
        "boundary_gradcheck": gradcheck(boundary_loss, masks, Tensor(probs, requires_grad=True)),
        "blend_formula_ok": bool(blend_check),
        "edge_formula_ok": bool(edge_check),
        "boundary_formula_ok": bool(boundary_check),
        "slipped_formula_ok": bool(slipped),
        "slipped_diagnosis": slipped.diagnosis,
        "edge_term_at_target": edge_mismatch(masks, Tensor(masks)).item(),
        "seed_style_term_flat_prediction": seed_style_boundary_term(masks, np.full_like(masks, 0.5)),
    }

    print("1. MSE + MAE blend")
    print(f"   gradcheck: {result['blend_gradcheck']}")
    print(blend_check)
    print("\n2. boundary-emphasis loss: bce + 0.3·mean((Δŷ - Δy)²)")
    print(f"   gradcheck: {result['boundary_gradcheck']}")
    print(boundary_check)
    print(f"\n   the edge term at ŷ = y: {result['edge_term_at_target']:g} (its minimum)")
    print(
        "   mean(|Δŷ| - |Δy|) for a flat prediction ŷ = 0.5: "
        f"{result['seed_style_term_flat_prediction']:.4g} (negative: not a loss)"
    )
    print("\n   a slipped hand derivative of the edge term is caught:")
    print(slipped)
    return result


if __name__ == "__main__":
    main()
