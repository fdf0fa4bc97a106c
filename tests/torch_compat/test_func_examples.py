"""The examples of ``torch.func``'s ``grad``, ``vmap``, ``jacrev`` and ``hessian`` as a user runs
them, with ``torch`` bound to this library and to PyTorch: values and derivatives compared in
float64 (and against closed forms where the docs state one). Written here, not copied; random
inputs come in as numpy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
from side_by_side import check

RNG = np.random.default_rng(11)
X = RNG.normal(size=5)
W = RNG.normal(size=5)
BATCH = RNG.normal(size=(4, 5))
TARGETS = RNG.normal(size=4)


def test_grad_examples() -> None:
    def examples(torch: Any) -> Any:
        grad = torch.func.grad
        x = torch.tensor(X)
        cos_x = grad(lambda x: torch.sin(x))(x[0])  # the derivative of sin is cos
        neg_sin_x = grad(grad(lambda x: torch.sin(x)))(x[0])  # and its second -sin
        sums = grad(lambda x: torch.sin(x).sum())(x)

        def f(x: Any, y: Any) -> Any:
            return (x**2 * y).sum()

        both = grad(f, argnums=(0, 1))(x, x.flip(0))

        def with_aux(x: Any) -> Any:
            y = x.sin()
            return y.sum(), y.cos()

        g, aux = grad(with_aux, has_aux=True)(x)
        value_and = torch.func.grad_and_value(f)(x, x)
        return cos_x, neg_sin_x, sums, both, g, aux, value_and

    ours, _ = check(examples)
    np.testing.assert_allclose(ours[0].data, np.cos(X[0]), rtol=1e-15)
    np.testing.assert_allclose(ours[1].data, -np.sin(X[0]), rtol=1e-15)


def test_vmap_examples() -> None:
    def examples(torch: Any) -> Any:
        vmap, grad = torch.func.vmap, torch.func.grad
        x, y, w = torch.tensor(BATCH), torch.tensor(BATCH[::-1].copy()), torch.tensor(W)
        batched_dot = vmap(torch.dot)(x, y)  # [N, D], [N, D] -> [N]

        def model(feature_vec: Any) -> Any:
            return feature_vec.dot(w).relu()

        result = vmap(model)(x)
        by_columns = vmap(torch.sum, in_dims=1)(x)
        shared = vmap(torch.mul, in_dims=(0, None))(x, w)
        moved = vmap(lambda r: r * 2, out_dims=1)(x)

        # per-sample gradients: vmap over grad
        def compute_loss(weights: Any, example: Any, target: Any) -> Any:
            y = example.dot(weights)
            return ((y - target) ** 2).mean()

        per_sample = vmap(grad(compute_loss), in_dims=(None, 0, 0))(w, x, torch.tensor(TARGETS))
        return batched_dot, result, by_columns, shared, moved, per_sample

    ours, _ = check(examples)
    closed = 2 * (BATCH @ W - TARGETS)[:, None] * BATCH
    np.testing.assert_allclose(ours[-1].data, closed, rtol=1e-13)


def test_jacrev_examples() -> None:
    def examples(torch: Any) -> Any:
        jacrev = torch.func.jacrev
        x = torch.tensor(X)
        jacobian = jacrev(torch.sin)(x)  # diag(cos x)

        def f(x: Any, y: Any) -> Any:
            return x + y**2

        x3, y3 = torch.tensor(BATCH[0, :3]), torch.tensor(BATCH[1, :3])
        wrt_y = jacrev(f, argnums=1)(x3, y3)
        wrt_both = jacrev(f, argnums=(0, 1))(x3, y3)
        batched = torch.func.vmap(jacrev(torch.sin))(torch.tensor(BATCH))
        forward = torch.func.jacfwd(torch.sin)(x)
        return jacobian, wrt_y, wrt_both, batched, forward

    ours, _ = check(examples)
    np.testing.assert_allclose(ours[0].data, np.diag(np.cos(X)), rtol=1e-15)


def test_hessian_examples() -> None:
    def examples(torch: Any) -> Any:
        hessian = torch.func.hessian
        x = torch.tensor(X)

        def f(x: Any) -> Any:
            return x.sin().sum()

        h = hessian(f)(x)  # diag(-sin x)

        def g(x: Any, y: Any) -> Any:
            return (x * y.exp()).sum() + (x**3).sum()

        y = torch.tensor(W)
        both = hessian(g, argnums=(0, 1))(x, y)
        same_as = torch.func.jacfwd(torch.func.jacrev(f))(x)
        return h, both, same_as

    ours, _ = check(examples)
    np.testing.assert_allclose(ours[0].data, np.diag(-np.sin(X)), rtol=1e-15, atol=1e-15)
