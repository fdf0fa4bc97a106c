"""``autograd.numpy``: numpy's namespace, numpy's own results on plain data, and on Tensors that
require grad the graph, with values and gradients (first and second order) equal to torch's
float64 for the kind of code NumPy's beginner pages write."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import autograd
import autograd.numpy as np
from autograd import Tensor, Value, ValueArray
from autograd.numpy import _wrapping

ROOT = Path(autograd.__file__).resolve().parent.parent


# ----------------------------------------------------------------------------- the namespace
def test_the_namespace_is_numpys() -> None:
    assert set(np.__all__) == set(numpy.__all__)
    for name in numpy.__all__:
        ours, theirs = getattr(np, name), getattr(numpy, name)
        if name in ("random", "linalg", "fft"):
            assert ours.__name__ == f"autograd.numpy.{name}"
        elif isinstance(theirs, numpy.ufunc) or not callable(theirs) or isinstance(theirs, type):
            assert ours is theirs, name  # ufuncs, dtypes, classes and constants are numpy's objects
        else:
            assert getattr(ours, "__wrapped__", ours) is theirs or ours is theirs, name
    assert np.random.seed is numpy.random.seed and np.random.default_rng is numpy.random.default_rng
    assert np.linalg.LinAlgError is numpy.linalg.LinAlgError and np.__version__ == numpy.__version__
    assert np.ma is numpy.ma and np.newaxis is None and np.pi == numpy.pi


def test_the_random_state_is_numpys() -> None:
    np.random.seed(7)
    a = np.random.randn(3)
    numpy.random.seed(7)
    assert numpy.array_equal(a, numpy.random.randn(3))


def test_import_autograd_does_not_import_autograd_numpy() -> None:
    code = "import sys, autograd; print('autograd.numpy' in sys.modules, autograd.numpy.__name__)"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "autograd.numpy"], done.stderr


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.array([1, 2, 3]),
        lambda m: m.array([[1.5, 2], [3, 4]], dtype=m.float32),
        lambda m: m.asarray((1, 2.0)),
        lambda m: m.array([]),
        lambda m: m.array(3),
        lambda m: m.sum([1, 2, 3]),
        lambda m: m.mean([[1, 2], [3, 4]], axis=0),
        lambda m: m.concatenate(([1, 2], [3])),
        lambda m: m.stack([[1, 2], [3, 4]]),
        lambda m: m.linalg.norm([3, 4]),
        lambda m: m.linalg.inv([[2.0, 1.0], [1.0, 3.0]]),
        lambda m: m.fft.fft([1.0, 0.0, 0.0]),
        lambda m: m.sort([3, 1, 2]),
        lambda m: m.unique([1, 1, 2]),
        lambda m: m.exp(m.arange(3)),
        lambda m: m.where([True, False], [1, 2], [3, 4]),
        lambda m: m.array([numpy.nan, numpy.inf, -0.0]),
        lambda m: m.zeros((0, 3)).sum(axis=0),
    ],
)
def test_plain_data_gives_numpys_result(call: Callable[[Any], Any]) -> None:
    ours, theirs = call(np), call(numpy)
    assert type(ours) is type(theirs) and repr(ours) == repr(theirs)
    if isinstance(theirs, numpy.ndarray):
        assert ours.dtype == theirs.dtype


# ----------------------------------------------------------------------------- lists holding nodes
def test_array_of_tensors_is_one_tensor_with_the_graph() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    a = np.array([[t[0], 1.0], [2, t[1] * 3]])
    assert isinstance(a, Tensor) and a.shape == (2, 2) and a.requires_grad and a.data.dtype == numpy.float64
    (a * a).sum().backward()
    assert numpy.allclose(t.grad.data, [2.0, 36.0])
    t32 = Tensor([1.0], dtype=numpy.float32, requires_grad=True)
    assert np.array([t32[0], 2.0]).data.dtype == numpy.float32
    assert np.array([t32[0], 2.0], dtype=numpy.float64).data.dtype == numpy.float64


def test_asarray_of_a_node_is_the_node_and_array_copies() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    assert np.asarray(t) is t and np.asanyarray(t) is t
    c = np.array(t)
    assert c is not t and c.requires_grad and numpy.array_equal(c.data, t.data)
    c.sum().backward()
    assert numpy.array_equal(t.grad.data, [1.0, 1.0])


def test_values_in_a_list_make_a_value_array() -> None:
    x = Value(2.0)
    a = np.array([[x, 1.0], [2.0, x * x]])
    assert isinstance(a, ValueArray) and a.shape == (2, 2)
    assert autograd.grad(lambda x: np.sum(np.array([x, 2 * x]) ** 2))(3.0) == pytest.approx(30.0)
    assert isinstance(np.array(x), ValueArray)


def test_functions_join_lists_holding_tensors() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    s = np.sum([t, 2 * t])
    assert isinstance(s, Tensor) and s.item() == 9.0
    c = np.concatenate([[t[0], t[1]], t])  # (a nested list inside the sequence np.concatenate looks into)
    assert c.shape == (4,) and c.requires_grad
    m = np.mean([[t[0], 0.0], [t[1], 1.0]], axis=0)
    (s + c.sum() + m.sum()).backward()
    assert numpy.allclose(t.grad.data, [3.0 + 2.0 + 0.5, 3.0 + 2.0 + 0.5])


def test_a_list_of_tensors_and_values_is_refused() -> None:
    with pytest.raises(TypeError, match=r"numpy.array: a list holding both Tensors and Values"):
        np.array([Tensor(1.0, requires_grad=True), Value(2.0)])


def test_a_numpy_option_without_meaning_for_nodes_is_refused() -> None:
    with pytest.raises(TypeError, match=r"autograd.numpy.array: the option ndmin=2 is not supported"):
        np.array([Tensor(1.0, requires_grad=True)], ndmin=2)


def test_object_arrays_of_values_come_back_as_value_arrays() -> None:
    x = Value(0.5)
    out = np.linspace(x, 2 * x, 3)
    assert isinstance(out, ValueArray) and numpy.allclose(out.data, [0.5, 0.75, 1.0])


# ----------------------------------------------------------------------------- gradients vs torch
#: the beginner pages' expressions, in numpy's spelling (f) and torch's (g), of arrays a (2x3) and b (3,)
BASICS: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "sum, max, min": (lambda m, a, b: a.sum() + a.max() + m.min(a), lambda a, b: a.sum() + a.max() + a.min()),
    "sum(axis=0) * b": (lambda m, a, b: (a.sum(axis=0) * b).sum(), lambda a, b: (a.sum(0) * b).sum()),
    "mean, std": (lambda m, a, b: m.mean(a) + m.std(a), lambda a, b: a.mean() + a.std(unbiased=False)),
    "a @ b, dot": (lambda m, a, b: m.sum(a @ b) + m.dot(b, b), lambda a, b: (a @ b).sum() + b.dot(b)),
    "reshape, transpose": (
        lambda m, a, b: m.sum(a.reshape(3, 2) * m.transpose(a)),
        lambda a, b: (a.reshape(3, 2) * a.T).sum(),
    ),
    "concatenate, vstack, hstack": (
        lambda m, a, b: (
            m.sum(m.concatenate((a, b[m.newaxis, :])) ** 2)
            + m.sum(m.vstack((b, b)) * a)
            + m.sum(m.hstack((b, b)) ** 3)
        ),
        lambda a, b: (
            (torch.cat((a, b[None, :])) ** 2).sum()
            + (torch.vstack((b, b)) * a).sum()
            + (torch.hstack((b, b)) ** 3).sum()
        ),
    ),
    "flip, cumsum": (
        lambda m, a, b: m.sum(m.flip(a) * a) + m.sum(m.cumsum(b) ** 2),
        lambda a, b: (torch.flip(a, (0, 1)) * a).sum() + (torch.cumsum(b, 0) ** 2).sum(),
    ),
    "exp, sqrt, abs, maximum": (
        lambda m, a, b: m.sum(m.exp(a / 4)) + m.sum(m.sqrt(m.abs(b) + 1)) + m.sum(m.maximum(a, 0.1)),
        lambda a, b: torch.exp(a / 4).sum()
        + torch.sqrt(b.abs() + 1).sum()
        + torch.maximum(a, torch.tensor(0.1, dtype=a.dtype)).sum(),  # (a tie splits the gradient: not clamp)
    ),
    "boolean mask, where": (
        lambda m, a, b: m.sum(a[a < 0.5] ** 2) + m.sum(m.where(b > 0, b, -2 * b)),
        lambda a, b: (a[a < 0.5] ** 2).sum() + torch.where(b > 0, b, -2 * b).sum(),
    ),
    "array of a list of rows": (
        lambda m, a, b: m.sum(
            m.array([[b[0], 1.0], [b[1], b[2] * b[0]]]) ** 2 * m.array([[1.0, 2.0], [3.0, 4.0]])
        ),
        lambda a, b: (
            torch.stack([torch.stack([b[0], torch.tensor(1.0)]), torch.stack([b[1], b[2] * b[0]])]) ** 2
            * torch.tensor([[1.0, 2.0], [3.0, 4.0]])
        ).sum(),
    ),
    "linalg: norm, inv, det": (
        lambda m, a, b: m.linalg.norm(a) + m.linalg.det(a @ a.T) + m.sum(m.linalg.inv(a @ a.T + m.eye(2))),
        lambda a, b: torch.linalg.norm(a) + torch.det(a @ a.T) + torch.inverse(a @ a.T + torch.eye(2)).sum(),
    ),
}


def _both(name: str, a: numpy.ndarray, b: numpy.ndarray) -> tuple[list[Any], list[Any]]:
    """Value, gradients and second derivatives (grad of Σ grad) of BASICS[name], ours then torch's."""
    f, g = BASICS[name]
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    out = f(np, ta, tb)
    ga, gb = autograd.grad(out, [ta, tb], create_graph=True, allow_unused=True, materialize_grads=True)
    hh = autograd.grad(ga.sum() + gb.sum(), [ta, tb], allow_unused=True)
    ours = [
        out.item(),
        ga.data,
        gb.data,
        *(numpy.zeros_like(x) if h is None else numpy.asarray(h) for h, x in zip(hh, (a, b))),
    ]
    xa, xb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    out = g(xa, xb)
    ga, gb = torch.autograd.grad(out, [xa, xb], create_graph=True, allow_unused=True, materialize_grads=True)
    hh = torch.autograd.grad(ga.sum() + gb.sum(), [xa, xb], allow_unused=True)
    theirs = [out.item(), ga.detach().numpy(), gb.detach().numpy(),
              *(numpy.zeros_like(x) if h is None else h.numpy() for h, x in zip(hh, (a, b)))]  # fmt: skip
    return ours, theirs


def assert_same(ours: list[Any], theirs: list[Any]) -> None:
    for k, (x, y) in enumerate(zip(ours, theirs)):
        numpy.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12, err_msg=f"result {k}")


A = numpy.array([[0.3, -1.2, 0.8], [1.5, 0.2, -0.4]])
B = numpy.array([0.7, -0.3, 1.1])


@pytest.mark.parametrize("name", BASICS)
def test_basics_on_tensors_match_torch(name: str) -> None:
    assert_same(*_both(name, A, B))


@settings(max_examples=15, deadline=None)
@given(
    arrays(numpy.float64, (2, 3), elements=st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3)),
    arrays(numpy.float64, (3,), elements=st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3)),
    st.sampled_from(["sum(axis=0) * b", "a @ b, dot", "concatenate, vstack, hstack",
                     "array of a list of rows", "exp, sqrt, abs, maximum", "flip, cumsum"]),
)  # fmt: skip
def test_basics_on_drawn_tensors_match_torch(a: numpy.ndarray, b: numpy.ndarray, name: str) -> None:
    ours, theirs = _both(name, a, b)
    for k, (x, y) in enumerate(zip(ours, theirs)):
        numpy.testing.assert_allclose(x, y, rtol=1e-10, atol=1e-10, err_msg=f"{name}: result {k}")


def test_edges_nan_inf_zero_d_and_empty() -> None:
    t = Tensor([numpy.nan, numpy.inf, 0.0], requires_grad=True)
    a = np.array([t[0], t[1], t[2], 2.0])
    np.sum(a * 2).backward()
    numpy.testing.assert_array_equal(t.grad.data, [2.0, 2.0, 2.0])
    x = torch.tensor([numpy.nan, numpy.inf, 0.0], requires_grad=True)
    (torch.stack([x[0], x[1], x[2], torch.tensor(2.0)]) * 2).sum().backward()
    numpy.testing.assert_array_equal(t.grad.data, x.grad.numpy())
    z = Tensor(3.0, requires_grad=True)  # 0-d
    out = np.array([z, z * z])
    assert out.shape == (2,)
    np.sum(out).backward()
    assert z.grad.item() == 7.0
    e = Tensor(numpy.zeros((0, 2)), requires_grad=True)
    s = np.sum(np.array([e, e]))  # empty
    assert s.item() == 0.0
    s.backward()
    assert e.grad.shape == (0, 2)


# ----------------------------------------------------------------------------- wrong wrappers are caught
def test_a_detaching_array_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """np.array that silently detached (numbers instead of the graph) fails the torch comparison."""
    monkeypatch.setattr(np, "array", lambda obj, *a, **k: Tensor(numpy.array(_wrapping.join(obj).data)))
    with pytest.raises((AssertionError, RuntimeError, TypeError)):
        assert_same(*_both("array of a list of rows", A, B))


def test_a_wrong_wrapped_function_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrapped numpy function that adds a small error is caught on plain data and on Tensors."""
    monkeypatch.setattr(
        np, "mean", _wrapping.wrap("mean", lambda a, *args, **kw: numpy.mean(a, *args, **kw) * 1.000001)
    )
    with pytest.raises(AssertionError):
        test_plain_data_gives_numpys_result(lambda m: m.mean([[1, 2], [3, 4]], axis=0))
    monkeypatch.setattr(
        np, "cumsum", _wrapping.wrap("cumsum", lambda a, *args, **kw: numpy.cumsum(a, *args, **kw) * 1.000001)
    )
    with pytest.raises(AssertionError):
        assert_same(*_both("flip, cumsum", A, B))


def test_a_join_in_the_wrong_order_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    join = _wrapping.join
    monkeypatch.setattr(np, "_join", lambda obj, what="array": join(list(obj)[::-1], what))
    with pytest.raises(AssertionError):
        assert_same(*_both("array of a list of rows", A, B))


def test_a_float_argument_times_an_array() -> None:
    """HIPS's ``scale * x`` with a float scale: a Value times an array is numpy's object array of
    Values (as ``x * scale`` always was), so the gradient flows; on either side, 0-d too."""
    x = numpy.array([1.0, -2.0, 3.0])
    assert autograd.grad(lambda s: np.sum(s * x))(2.0) == pytest.approx(2.0)
    assert autograd.grad(lambda s: np.sum((s - x) ** 2 / s))(2.0) == pytest.approx(
        numpy.sum(1 - x**2 / 4), abs=1e-14
    )
    assert autograd.grad(lambda s: s ** numpy.array(3.0))(2.0) == pytest.approx(12.0)
    out = Value(2.0) * x
    assert out.dtype == object and all(isinstance(v, Value) for v in out)
    with pytest.raises(TypeError, match=r"Value \* operand: expected a real number .*got list"):
        Value(2.0) * [1.0]


def test_converters_refuse_options_without_meaning_for_nodes() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"autograd.numpy.asarray: the option order='F' is not supported"):
        np.asarray([t[0], t[1]], None, "F")
    assert np.asarray(t, None, "C") is t
    assert np.ascontiguousarray([t[0], 1.0]).requires_grad
