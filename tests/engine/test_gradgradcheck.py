"""gradgradcheck: passes on every primitive and loss (at smooth points), catches a rule that is right at
first order and wrong at second, and names the gradient, input and element that disagree."""

from __future__ import annotations

import re

import numpy as np
import pytest
from test_higher_order import BINARY, TENSOR_CASES, UNARY
from test_higher_order_functional import LOSSES

from autograd import GradcheckError, Tensor, Value, ValueArray, gradcheck, gradgradcheck
from autograd.ops import Primitive

SMOOTH_TENSOR = [
    n
    for n, (_, _, arrays) in TENSOR_CASES.items()
    if not any(w in n for w in ("edge", "ties", "nonfinite", "pow 0"))
]


@pytest.mark.parametrize("name", SMOOTH_TENSOR)
def test_gradgradcheck_passes_on_every_tensor_primitive(name: str) -> None:
    ours, _, arrays = TENSOR_CASES[name]
    xs = [Tensor(a + 0.0, requires_grad=True) for a in arrays]
    assert gradgradcheck(ours, *xs)


@pytest.mark.parametrize("name", list(UNARY))
def test_gradgradcheck_passes_on_every_value_op(name: str) -> None:
    ours = UNARY[name][0]
    for x in (0.37, 1.7):  # smooth points of every op in the table
        assert gradgradcheck(ours, Value(x)), (name, x)


@pytest.mark.parametrize("name", list(BINARY))
def test_gradgradcheck_passes_on_binary_value_ops(name: str) -> None:
    ours, _, points = BINARY[name]
    a, b = points[0]
    assert gradgradcheck(ours, Value(a), Value(b))


@pytest.mark.parametrize("name", list(LOSSES))
def test_gradgradcheck_passes_on_the_losses(name: str) -> None:
    ours, _, x0 = LOSSES[name]
    assert gradgradcheck(ours, Tensor(x0, requires_grad=True))
    assert gradgradcheck(lambda v: ours(v), ValueArray(x0))


def test_gradgradcheck_catches_a_rule_right_at_first_order_only() -> None:
    # d(x²)/dx = 2x written with the data of x (ns.num) instead of the node: a constant at second order
    wrong = Primitive("square", np.square, (lambda ns, g, out, a: g * 2 * ns.num(a),), ("g·2a",))
    right = Primitive("square", np.square, (lambda ns, g, out, a: g * 2 * a,), ("g·2a",))
    x = Tensor(np.array([[0.5, -1.0], [2.0, 1.5]]), requires_grad=True, label="x")
    assert gradcheck(lambda a: Tensor._apply(wrong, a), x)
    assert gradgradcheck(lambda a: Tensor._apply(right, a), x)
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(lambda a: Tensor._apply(wrong, a), x, grad_outputs=np.ones((2, 2)))
    msg = str(info.value)
    assert re.search(
        r"d\(∂L/∂\(input 0 \('x'\), element \(0, 0\)\)\)/d\(input 0 \('x'\), element \(0, 0\)\)", msg
    )
    assert re.search(r"analytic 0\.0, numeric 2\.0000", msg), msg
    assert gradgradcheck(lambda a: Tensor._apply(wrong, a), x, raise_exception=False) is False
    # a custom Value op whose local derivative is a float: a constant, wrong at second order
    v = Value(0.7)
    assert gradcheck(lambda a: Value(a.data**3, None, (a,), (3 * a.data**2,), "cube"), v)
    with pytest.raises(GradcheckError, match=r"d\(∂L/∂\(input 0\)\)/d\(input 0\) disagrees: analytic 0\.0"):
        gradgradcheck(lambda a: Value(a.data**3, None, (a,), (3 * a.data**2,), "cube"), v, grad_outputs=1.0)
    assert gradgradcheck(lambda a: Value(a.data**3, None, (a,), (3 * a * a,), "cube"), v)


def test_gradgradcheck_second_input_is_named() -> None:
    wrong = Primitive(
        "mul",
        np.multiply,
        (lambda ns, g, out, a, b: g * ns.num(b), lambda ns, g, out, a, b: g * a),
        ("g·b", "g·a"),
    )
    a, b = Tensor([0.5, 2.0], requires_grad=True), Tensor([1.5, -1.0], requires_grad=True, label="b")
    with pytest.raises(
        GradcheckError, match=r"d\(∂L/∂\(input 0, element \(0,\)\)\)/d\(input 1 \('b'\), element \(0,\)\)"
    ):
        gradgradcheck(lambda x, y: Tensor._apply(wrong, x, y), a, b, grad_outputs=np.ones(2))
