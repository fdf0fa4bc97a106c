"""gradcheck: passes on correct ops, fails loudly on a wrong derivative, restores its inputs."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd as ag
from autograd import GradcheckError, Tensor, Value, ValueArray, gradcheck
from autograd.ops import Primitive

# d(x²)/dx written as x instead of 2x: a deliberately wrong derivative
WRONG_SQUARE = Primitive("bad_square", np.square, (lambda ns, g, out, a: g * a,), ("a (should be 2a)",))
RIGHT_SQUARE = Primitive("square", np.square, (lambda ns, g, out, a: g * 2 * a,), ("2a",))


def test_passes_on_correct_ops() -> None:
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    w = Tensor(rng.normal(size=(4, 2)), requires_grad=True)
    assert gradcheck(lambda x, w: (x @ w).tanh().log_softmax(-1), x, w) is True
    assert gradcheck(lambda x: Tensor._apply(RIGHT_SQUARE, x), x) is True
    assert gradcheck(lambda a, b: (a * b).exp() / (b**2 + 1), Value(0.3), Value(-1.1)) is True


def test_fails_on_a_wrong_primitive_naming_input_element_and_numbers() -> None:
    c = Tensor(np.ones((2, 3)), requires_grad=True)
    data = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    x = Tensor(data, requires_grad=True, label="x")
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda c, x: Tensor._apply(WRONG_SQUARE, x) * c, c, x)
    msg = str(info.value)
    # the first element (0, 0) of input 1 already disagrees: analytic x = 0.5, numeric 2x = 1.0
    assert re.search(r"d\(output\[0\]\)/d\(input 1 \('x'\), element \(0, 0\)\) disagrees", msg), msg
    nums = re.search(r"analytic (\S+), numeric (\S+) ", msg)
    assert nums, msg
    assert float(nums.group(1)) == 0.5
    assert float(nums.group(2)) == pytest.approx(1.0, abs=1e-8)
    assert isinstance(info.value, AssertionError)
    assert gradcheck(lambda x: Tensor._apply(WRONG_SQUARE, x), x, raise_exception=False) is False


def test_fails_at_the_right_element() -> None:
    # only element (1, 2) has a wrong derivative
    mask = np.zeros((2, 3))
    mask[1, 2] = 1.0
    prim = Primitive("off", lambda a: a * 3, (lambda ns, g, out, a: g * (3 + mask),), ("3",))
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(
        GradcheckError,
        match=r"d\(output\[5\]\)/d\(input 0, element \(1, 2\)\).*analytic 4\.0, numeric (2\.9999|3\.0000)",
    ):
        gradcheck(lambda x: Tensor._apply(prim, x), x)


def test_fails_on_wrong_value_rule() -> None:
    def bad_cube(v: Value) -> Value:
        return Value(v.data**3, None, (v,), (2 * v.data**2,), "cube")  # should be 3x²

    with pytest.raises(
        GradcheckError, match=r"d\(output\[0\]\)/d\(input 0\) disagrees: analytic 8\.0, numeric 12\.0"
    ):
        gradcheck(bad_cube, Value(2.0))


def test_rejects_float32_inputs() -> None:
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    with pytest.raises(
        ValueError, match=r"gradcheck: input 0 has dtype float32; finite differences need float64"
    ):
        gradcheck(lambda x: x * 2, x)


def test_needs_a_differentiable_input() -> None:
    with pytest.raises(
        ValueError, match=r"gradcheck: expected at least one Value, ValueArray or Tensor with requires_grad"
    ):
        gradcheck(lambda x: x * 2, Tensor([1.0]))
    with pytest.raises(TypeError, match=r"gradcheck: f must return a Value, ValueArray or Tensor, got float"):
        gradcheck(lambda x: 2.0, Value(1.0))


def test_ignores_constant_tensors_and_other_arguments() -> None:
    const = Tensor([1.0, 2.0])
    x = Tensor([0.5, -0.5], requires_grad=True)
    assert gradcheck(lambda x, c, k: (x * c) ** k, x, const, 2)


def test_works_with_value_tensor_and_value_array_inputs() -> None:
    va = ValueArray([[0.5, -1.0], [2.0, 0.3]])
    t = Tensor([0.7, -0.2], requires_grad=True)
    v = Value(1.3)
    # ValueArray in, ValueArray out (a full Jacobian over several outputs)
    assert gradcheck(lambda a, b: (a * b).log_softmax(-1), va, v)
    assert gradcheck(lambda a: (a @ np.array([[1.0], [2.0]])).tanh(), va)
    assert gradcheck(lambda x: (x * 1.3).softmax(-1), t)
    wrong = ValueArray([0.5, 2.0])

    def bad(a: ValueArray) -> ValueArray:
        return a._map(lambda v: Value(v.data**2, None, (v,), (v.data,), "sq"))

    with pytest.raises(
        GradcheckError,
        match=r"d\(output\[0\]\)/d\(input 0, element \(0,\)\) disagrees: analytic 0\.5, numeric",
    ):
        gradcheck(bad, wrong)


def test_restores_inputs_data_and_grads_exactly() -> None:
    rng = np.random.default_rng(3)
    data = rng.normal(size=(3, 3))
    x = Tensor(data.copy(), requires_grad=True)
    x.grad = np.full((3, 3), 7.0)
    v = Value(0.1 + 0.2)  # not exactly representable: must come back bit for bit
    v.grad = -2.5
    va = ValueArray([1 / 3, 2 / 7])
    va.values[0].grad = 4.0
    gradcheck(lambda x: (x.exp() * 1e-3).sum(-1), x)
    gradcheck(lambda v: (v * 3).tanh(), v)
    gradcheck(lambda a: a.exp(), va)
    assert x.data.tobytes() == data.tobytes()
    assert x.grad.tolist() == np.full((3, 3), 7.0).tolist()
    assert v.data == 0.1 + 0.2 and v.grad == -2.5
    assert va.data.tolist() == [1 / 3, 2 / 7] and va.grad.tolist() == [4.0, 0.0]
    # also after a failure
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: Tensor._apply(WRONG_SQUARE, x), x)
    assert x.data.tobytes() == data.tobytes() and x.grad.tolist() == np.full((3, 3), 7.0).tolist()


def test_tolerances_are_used() -> None:
    prim = Primitive("slightly_off", lambda a: a * 3, (lambda ns, g, out, a: g * 3.001,), ("3",))
    x = Tensor([1.0], requires_grad=True)
    assert gradcheck(lambda x: Tensor._apply(prim, x), x, rtol=1e-3, atol=1e-5)
    assert not gradcheck(lambda x: Tensor._apply(prim, x), x, rtol=1e-4, atol=1e-5, raise_exception=False)


def test_public_helpers_exist() -> None:
    assert ag.GradcheckError is GradcheckError and issubclass(GradcheckError, AssertionError)
