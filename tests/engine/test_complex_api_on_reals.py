"""NumPy's complex-number API on real Tensors, Values and ValueArrays, against torch float64: a real
number is its own real part and conjugate, its imaginary part is the constant 0, its angle the
constant 0 or π (torch's numbers: 0 at -0, where numpy's is π; nan at nan)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import autograd
import autograd.numpy_dispatch as numpy_dispatch
from autograd import Tensor, Value, ValueArray

X = np.array([-1.5, -0.0, 0.0, 2.0, np.nan, np.inf, -np.inf, 5e-324])
IDENTITY = {
    "np.real": (np.real, torch.real),
    "np.real_if_close": (np.real_if_close, lambda t: t),
    "np.conj": (np.conj, torch.conj),
    "np.conjugate": (np.conjugate, torch.conj),
    "t.conj()": (lambda t: t.conj(), lambda t: t.conj()),
    "t.real": (lambda t: t.real, lambda t: t.real),
}


def _first_and_second(f: Any, x: Any, u: np.ndarray, torch_side: bool) -> list[np.ndarray]:
    """f(x)'s value, the VJP uᵀ∂f/∂x and the VJP of ⟨that, u⟩ (through x³, so each level is nontrivial)."""
    grad = torch.autograd.grad if torch_side else autograd.grad
    lift = (
        (lambda a: torch.tensor(a, requires_grad=True))
        if torch_side
        else (lambda a: Tensor(a, requires_grad=True))
    )
    t, w = lift(x), lift(u)
    out = f(t**3)
    (g,) = grad([out], [t], [w], create_graph=True)
    (gg,) = grad([(g * g).sum()], [t], create_graph=True)
    return [np.asarray(v.detach().numpy() if torch_side else v.data) for v in (out, g, gg)]


@pytest.mark.parametrize("name", list(IDENTITY))
def test_real_part_and_conjugate_are_the_number_itself(name: str) -> None:
    ours, theirs = IDENTITY[name]
    x, u = np.array([-1.5, 0.5, 2.0]), np.array([0.3, -1.0, 2.0])
    got, want = _first_and_second(ours, x, u, False), _first_and_second(theirs, x, u, True)
    for level, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, rtol=1e-14, err_msg=f"level {level}")
    t = Tensor(X, requires_grad=True)
    out = ours(t)
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_array_equal(out.data, theirs(torch.tensor(X)).numpy())


def test_the_check_catches_a_real_part_that_drops_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(numpy_dispatch._FUNCTIONS, np.real, lambda val: val.detach())
    with pytest.raises(RuntimeError, match="does not require grad"):  # (the graph was dropped)
        test_real_part_and_conjugate_are_the_number_itself("np.real")


def test_a_tensor_is_its_own_real_part_as_in_torch() -> None:
    t = Tensor(X, requires_grad=True)
    assert np.real(t) is t and t.real is t and np.real_if_close(t, tol=10) is t
    x = torch.tensor(X)
    assert torch.real(x) is x  # (what the engine follows)


def test_the_imaginary_part_is_plain_zeros() -> None:
    t = Tensor(X, requires_grad=True)
    out = np.imag(t)
    assert type(out) is np.ndarray and out.dtype == np.float64
    np.testing.assert_array_equal(out, np.imag(X))
    assert np.isreal(t).all() and not np.iscomplex(t).any() and np.isrealobj(t) and not np.iscomplexobj(t)
    with pytest.raises(
        AttributeError, match=r"Tensor.imag: a real array has no imaginary part.*np.imag\(t\)"
    ):
        t.imag  # noqa: B018 (torch refuses imag of a real tensor too)
    with pytest.raises(RuntimeError, match="imag is not implemented"):
        torch.tensor(X).imag  # noqa: B018
    v = Value(-2.0)
    assert v.real is v and v.imag == 0.0 and (v.real, v.imag) != (None, None)
    np.testing.assert_array_equal(np.imag(ValueArray([1.0, -2.0])).data, [0.0, 0.0])


def test_angle_is_torchs_on_tensors_values_and_value_arrays() -> None:
    want = torch.angle(torch.tensor(X)).numpy()
    np.testing.assert_array_equal(np.angle(Tensor(X, requires_grad=True)), want)
    np.testing.assert_array_equal(Tensor(X).angle(), want)
    np.testing.assert_array_equal(np.angle(ValueArray(X)), want)
    np.testing.assert_array_equal([Value(x).angle() for x in X], want)
    # numpy's differs only at -0 (atan2(0, -0) = π); torch's is 0 there
    differ = ~np.isclose(np.angle(X), want, rtol=0, atol=0, equal_nan=True)
    assert differ.tolist() == [np.signbit(x) and x == 0 for x in X]
    f32 = torch.angle(torch.tensor(X, dtype=torch.float32)).numpy()
    np.testing.assert_array_equal(np.angle(Tensor(X.astype(np.float32))), f32)


def test_angle_has_derivative_0_as_in_torch() -> None:
    t, x = Tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    (t * np.angle(t)).sum().backward()
    (x * torch.angle(x)).sum().backward()
    np.testing.assert_array_equal(t.grad, x.grad.numpy())


def test_numpy_options_without_meaning_here_are_refused() -> None:
    t = Tensor(X)
    with pytest.raises(TypeError, match=r"numpy.angle on a Tensor: the option deg=True is not supported"):
        np.angle(t, deg=True)
    with pytest.raises(TypeError, match=r"numpy.angle on a ValueArray: the option deg=True"):
        np.angle(ValueArray(X), deg=True)
