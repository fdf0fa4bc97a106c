"""HIPS autograd's differential operators (``autograd.differential_operators``) against torch
float64 and closed forms, their nesting, their errors, and torch's ``jacobian(func, inputs)``
beside HIPS's ``jacobian(fun)(x)``."""

from __future__ import annotations

import numpy
import pytest
import torch

import autograd
import autograd.numpy as np
from autograd import (
    deriv,
    elementwise_grad,
    grad_and_aux,
    hessian_tensor_product,
    hessian_vector_product,
    make_hvp,
    make_jvp,
    make_vjp,
    multigrad_dict,
    tensor_jacobian_product,
    vector_jacobian_product,
)

X = numpy.array([0.3, -1.2, 0.8])
V = numpy.array([1.0, 0.5, -2.0])


def f(x):  # noqa: ANN001, ANN201 (HIPS-style code)
    return np.sum(np.tanh(x) * x**2) + np.prod(np.sin(x))


def f_torch(x: torch.Tensor) -> torch.Tensor:
    return (torch.tanh(x) * x**2).sum() + torch.prod(torch.sin(x))


def vec(x):  # noqa: ANN001, ANN201
    return np.exp(x) * np.sum(x**2)


def vec_torch(x: torch.Tensor) -> torch.Tensor:
    return torch.exp(x) * (x**2).sum()


def close(a: object, b: object) -> None:
    numpy.testing.assert_allclose(numpy.asarray(a), numpy.asarray(b), rtol=1e-12, atol=1e-13)


def test_elementwise_grad_nests_to_the_fourth_derivative() -> None:
    x = numpy.linspace(-2, 2, 9)
    t = numpy.tanh(x)
    d1, d2 = 1 - t**2, -2 * t * (1 - t**2)
    close(elementwise_grad(np.tanh)(x), d1)
    close(elementwise_grad(elementwise_grad(np.tanh))(x), d2)
    d4 = elementwise_grad(elementwise_grad(elementwise_grad(deriv(np.tanh))))(x)
    xt = torch.tensor(x, requires_grad=True)
    g = torch.tanh(xt)
    for _ in range(4):
        (g,) = torch.autograd.grad(g.sum(), xt, create_graph=True)
    close(d4, g.detach().numpy())
    assert deriv is elementwise_grad


def test_scalar_code_gives_floats() -> None:
    assert elementwise_grad(np.sin)(0.5) == pytest.approx(numpy.cos(0.5), abs=1e-15)
    assert isinstance(elementwise_grad(np.sin)(0.5), float)
    g, aux = grad_and_aux(lambda x: (x**3, "seen"))(2.0)
    assert (g, aux) == (12.0, "seen")


def test_make_vjp_and_tensor_jacobian_product_match_torch() -> None:
    vjp_fn, value = make_vjp(vec)(X)
    xt = torch.tensor(X, requires_grad=True)
    (theirs,) = torch.autograd.grad(vec_torch(xt), xt, torch.tensor(V))
    close(vjp_fn(V), theirs)
    close(value, vec_torch(torch.tensor(X)).numpy())
    close(tensor_jacobian_product(vec)(X, V), theirs)
    assert vector_jacobian_product is tensor_jacobian_product


def test_make_jvp_matches_torch() -> None:
    value, tangent = make_jvp(vec)(X)(V)
    _, theirs = torch.func.jvp(vec_torch, (torch.tensor(X),), (torch.tensor(V),))
    close(tangent, theirs)
    close(value, vec_torch(torch.tensor(X)).numpy())


def test_hessian_products_match_torch() -> None:
    _, theirs = torch.autograd.functional.hvp(f_torch, torch.tensor(X), torch.tensor(V))
    close(hessian_vector_product(f)(X, V), theirs)
    assert hessian_vector_product is hessian_tensor_product
    hvp_fn, g = make_hvp(f)(X)
    close(hvp_fn(V), theirs)
    xt = torch.tensor(X, requires_grad=True)
    close(g, torch.autograd.grad(f_torch(xt), xt)[0])


def test_argnum_picks_the_argument() -> None:
    def h(a, b):  # noqa: ANN001, ANN202
        return np.sum(np.sin(a * b))

    vjp_fn, _ = make_vjp(h, 1)(X, V)
    close(vjp_fn(1.0), X * numpy.cos(X * V))
    ga, gb = make_vjp(h, (0, 1))(X, V)[0](1.0)
    close(ga, V * numpy.cos(X * V))
    close(gb, X * numpy.cos(X * V))
    close(hessian_vector_product(h, 1)(X, V, numpy.ones(3)), -(X**2) * numpy.sin(X * V))


def test_multigrad_dict_names_every_argument() -> None:
    grads = multigrad_dict(lambda a, b=2.0: np.sum(np.tanh(a * b)))(X)
    assert list(grads) == ["a", "b"] and isinstance(grads["b"], float)
    close(grads["a"], 2.0 * (1 - numpy.tanh(2 * X) ** 2))
    close(grads["b"], numpy.sum(X * (1 - numpy.tanh(2 * X) ** 2)))


def test_hips_and_torch_jacobians_side_by_side() -> None:
    """HIPS's jacobian(fun) returns a function; torch's jacobian(func, inputs) computes at once."""
    hips = autograd.jacobian(vec)(X)
    torch_style = autograd.autograd.functional.jacobian(
        lambda x: autograd.exp(x) * (x**2).sum(), autograd.tensor(X)
    )
    theirs = torch.autograd.functional.jacobian(vec_torch, torch.tensor(X))
    close(hips, theirs)
    close(torch_style.data, theirs)
    close(autograd.hessian(f)(X), torch.autograd.functional.hessian(f_torch, torch.tensor(X)))


@pytest.mark.parametrize("make", [make_vjp, make_jvp, elementwise_grad])
def test_a_bad_argnum_is_refused(make) -> None:  # noqa: ANN001
    with pytest.raises(TypeError, match=r"argnums must be an int or a tuple of ints, got str 'x'"):
        make(vec, "x")
    with pytest.raises(ValueError, match=r"argnum=3 is out of range: f was called with 1 argument"):
        make(vec, 3)(X)


def test_multigrad_dict_refuses_star_args() -> None:
    with pytest.raises(TypeError, match=r"multigrad_dict: fun must name all its parameters"):
        multigrad_dict(lambda *xs: xs[0])


def test_a_wrong_seed_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    import autograd.differential_operators as ops

    monkeypatch.setattr(ops, "_ones_like", lambda out: -numpy.ones(numpy.shape(out)))
    with pytest.raises(AssertionError):
        test_elementwise_grad_nests_to_the_fourth_derivative()
