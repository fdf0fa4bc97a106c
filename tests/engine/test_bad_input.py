"""Bad input raises a clear TypeError/ValueError naming the operation, what was expected and what came;
``detect_anomaly`` turns the first nan/inf into a FloatingPointError naming the op."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, Value, ValueArray, detect_anomaly

# --- Value construction and operands


@pytest.mark.parametrize(
    "data,received",
    [
        ("x", "str 'x'"),
        (None, "NoneType None"),
        (True, "bool True"),
        (1 + 2j, r"complex \(1\+2j\)"),
        ([1.0], r"list \[1.0\]"),
    ],
)
def test_value_rejects_non_real_data(data, received: str) -> None:
    with pytest.raises(
        TypeError, match=rf"Value\(data\): expected a real number \(int or float\), got {received}"
    ):
        Value(data)


def test_value_accepts_numpy_and_int_scalars() -> None:
    assert Value(np.float32(1.5)).data == 1.5 and type(Value(np.int64(3)).data) is float
    assert Value(7).data == 7.0


def test_value_bad_exponent_and_seed() -> None:
    with pytest.raises(
        TypeError, match=r"Value \*\* exponent: expected a real number \(int or float\), got str '2'"
    ):
        Value(2.0) ** "2"
    with pytest.raises(
        TypeError, match=r"Value.backward\(grad\): expected a real number .*got NoneType None"
    ):
        Value(2.0).backward(None)
    with pytest.raises(
        TypeError, match=r"Value \+ operand: expected a real number \(int or float\), got str 'a'"
    ):
        Value(2.0) + "a"
    with pytest.raises(TypeError, match=r"Value / operand: expected a real number .*got list \[1\]"):
        [1] / Value(2.0)
    with pytest.raises(TypeError, match=r"Value maximum operand: expected a real number .*got NoneType None"):
        Value(2.0).maximum(None)


def test_value_out_of_float_range_names_the_argument() -> None:
    with pytest.raises(
        OverflowError, match=r"Value\(data\): expected a real number within float range.* 401 digits"
    ):
        Value(10**400)
    with pytest.raises(OverflowError, match=r"Value \* operand: expected a real number within float range"):
        Value(1.0) * -(10**400)


@pytest.mark.parametrize("kind", ["Value", "Tensor", "ValueArray"])
def test_clip_bounds_name_the_argument(kind: str) -> None:
    x = {"Value": Value(1.0), "Tensor": Tensor([1.0, 2.0]), "ValueArray": ValueArray([1.0, 2.0])}[kind]
    with pytest.raises(TypeError, match=rf"{kind}\.clip: min must be a real number.* or None, got str 'a'"):
        x.clip(min="a")
    with pytest.raises(TypeError, match=rf"{kind}\.clip: max must be a real number.* got list \['b'\]"):
        x.clamp(max=["b"])
    with pytest.raises(ValueError, match=rf"{kind}\.clip: expected at least one of min, max; got neither"):
        x.clip()


def test_value_custom_node_takes_one_or_two_inputs() -> None:
    a, b = Value(2.0), Value(3.0)
    cube = Value(8.0, "c", (a,), (12.0,), "cube")
    assert cube.children == (a,) and cube.local_grads == (12.0,) and cube.op == "cube"
    (cube * b).backward()
    assert (a.grad, b.grad) == (36.0, 8.0)
    with pytest.raises(ValueError, match=r"one or two inputs .* got 3 input\(s\) and 3 derivative\(s\)"):
        Value(1.0, None, (a, b, a), (1.0, 1.0, 1.0), "sum3")
    with pytest.raises(ValueError, match=r"got 2 input\(s\) and 1 derivative\(s\)"):
        Value(1.0, None, (a, b), (1.0,), "bad")


# --- Tensor construction


def test_ragged_tensor() -> None:
    with pytest.raises(
        ValueError,
        match=r"Tensor\(data\): expected a rectangular nested sequence of numbers, got a ragged one",
    ):
        Tensor([[1, 2], [3]])


@pytest.mark.parametrize(
    "data,received",
    [
        (["a", "b"], "dtype <U1"),
        (np.array([b"x"]), "dtype |S1"),
        ([1 + 2j], "dtype complex128"),
        ([object()], "Python objects"),
        (None, "Python objects"),
        ({"a": 1}, "Python objects"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), r"dtype datetime64\[D\]"),
    ],
)
def test_tensor_rejects_non_real_dtypes(data, received: str) -> None:
    with pytest.raises(
        TypeError, match=rf"Tensor\(data\): expected real numbers \(bool, int or float\), got {received}"
    ):
        Tensor(data)


@pytest.mark.parametrize("dtype", ["banana", complex, "float16", "datetime64[D]"])
def test_bad_dtype_argument(dtype) -> None:
    with pytest.raises(
        TypeError,
        match=r"Tensor\(data\): dtype must be float32, float64, an integer dtype \(int64\) or bool, "
        rf"got {re.escape(repr(dtype))}",
    ):
        Tensor([1.0, 2.0], dtype=dtype)


def test_bad_operand() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(
        TypeError, match=r"Tensor operand: expected real numbers \(bool, int or float\), got dtype <U1"
    ):
        t + "a"
    with pytest.raises(TypeError, match=r"Tensor operand: expected real numbers .*got Python objects"):
        t * None
    with pytest.raises(ValueError, match="Tensor operand: expected a rectangular nested sequence"):
        t * [[1.0], [1.0, 2.0]]


# --- shapes


@pytest.mark.parametrize(
    "sa,sb",
    [((2, 3), (4, 5)), ((3,), (4,)), ((2, 3), (2,)), ((5, 2, 3), (4, 3, 2)), ((), (3,)), ((3,), ())],
)
def test_matmul_mismatched_shapes(sa: tuple, sb: tuple) -> None:
    a, b = Tensor(np.ones(sa), requires_grad=True), Tensor(np.ones(sb))
    shapes = re.escape(f"{sa}, {sb}")
    with pytest.raises(
        ValueError, match=rf"Tensor op '@' on shape\(s\) {shapes}: .*(mismatch|broadcast|enough dimensions)"
    ):
        a @ b


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**", "maximum", "minimum"])
def test_non_broadcastable_elementwise(op: str) -> None:
    a, b = Tensor(np.ones((2, 3)), requires_grad=True), Tensor(np.ones(4))
    fn = {
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "/": lambda: a / b,
        "**": lambda: a**b,
        "maximum": lambda: a.maximum(b),
        "minimum": lambda: ag.minimum(a, b),
    }[op]
    with pytest.raises(
        ValueError,
        match=rf"Tensor op '{re.escape(op)}' on shape\(s\) \(2, 3\), \(4,\): operands could not be broadcast",
    ):
        fn()


def test_where_and_concatenate_shape_errors() -> None:
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    shapes = r"\(2, 3\), \(4,\), \(2, 3\)"  # (x, y, then the condition: where's inputs)
    with pytest.raises(ValueError, match=rf"Tensor op 'where' on shape\(s\) {shapes}: .*broadcast"):
        ag.where(np.ones((2, 3), bool), a, np.ones(4))
    with pytest.raises(ValueError, match=r"Tensor op 'concatenate' on shape\(s\) \(2, 3\), \(2, 4\):"):
        ag.concatenate([a, np.ones((2, 4))], 0)
    with pytest.raises(ValueError, match="concatenate: expected at least one tensor, got none"):
        ag.concatenate([])
    with pytest.raises(ValueError, match="stack: expected at least one tensor, got none"):
        ag.stack([])


def test_wrong_shape_gradient_argument() -> None:
    out = Tensor(np.ones((2, 3)), requires_grad=True) * 2
    with pytest.raises(
        RuntimeError,
        match=r"backward: Mismatch in shape: gradient must have the output's shape \(2, 3\), got \(3, 2\)",
    ):
        out.backward(np.ones((3, 2)))
    with pytest.raises(
        RuntimeError,
        match=r"backward: Mismatch in shape: gradient must have the output's shape \(2, 3\), got \(3,\)",
    ):
        out.backward(np.ones(3))
    with pytest.raises(TypeError, match=r"backward\(gradient\): expected real numbers .*got dtype <U1"):
        out.backward(np.full((2, 3), "a"))


def test_reshape_and_index_errors() -> None:
    t = Tensor(np.arange(6.0), requires_grad=True)
    with pytest.raises(
        ValueError,
        match=r"Tensor op 'reshape' on shape\(s\) \(6,\): cannot reshape array of size 6 into shape \(4,\)",
    ):
        t.reshape(4)
    with pytest.raises(
        IndexError, match=r"Tensor op 'getitem' on shape\(s\) \(6,\): index 9 is out of bounds"
    ):
        t[9]
    with pytest.raises(
        RuntimeError, match=r"item: a Tensor with 6 elements cannot be converted to Scalar \(shape \(6,\)\)"
    ):
        t.item()


# --- axes


@pytest.mark.parametrize(
    "op,call",
    [
        ("sum", lambda t: t.sum(axis=2)),
        ("sum", lambda t: t.sum(axis=(0, -3))),
        ("mean", lambda t: t.mean(axis=-3)),
        ("max", lambda t: t.max(axis=5)),
        ("min", lambda t: t.min(axis=2, keepdims=True)),
        ("logsumexp", lambda t: t.logsumexp(axis=2)),
        ("log_softmax", lambda t: t.softmax(axis=-3)),
        ("log_softmax", lambda t: t.log_softmax(axis=7)),
        ("concatenate", lambda t: ag.concatenate([t, t], axis=2)),
        ("stack", lambda t: ag.stack([t, t], axis=3)),
    ],
)
def test_axis_out_of_range(op: str, call) -> None:
    t = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(
        ValueError, match=rf"{op}: axis -?\d is out of range for an array with [23] dimension\(s\)"
    ):
        call(t)


@pytest.mark.parametrize("axis", [1.0, "0", (0, 1.5), True, [None]])
@pytest.mark.parametrize("op", ["sum", "mean", "max", "min", "logsumexp"])
def test_axis_of_wrong_type(op: str, axis) -> None:
    t = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(TypeError, match=rf"{op}: axis must be None, an int or a tuple of ints, got"):
        getattr(t, op)(axis=axis)


@pytest.mark.parametrize("axes", [((0, 3),), ((2, 1),), ((0, 0),), ((-3, 1),), (0,), (0, 1, 2)])
def test_transpose_axes_must_be_a_permutation(axes: tuple) -> None:
    t = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(ValueError, match=r"transpose: axes .* are not a permutation of 2 dimensions"):
        t.transpose(*axes)


@pytest.mark.parametrize("dims", [(0, 3), (2, 1), (-3, 1)])
def test_transpose_of_two_dims_out_of_range(dims: tuple) -> None:
    """Two ints are torch's transpose(dim0, dim1): each must be a dimension."""
    t = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(
        ValueError, match=r"transpose: axis -?\d is out of range for an array with 2 dimension"
    ):
        t.transpose(*dims)


def test_other_argument_errors() -> None:
    t = Tensor([1.0, -1.0], requires_grad=True)
    with pytest.raises(ValueError, match="clip: expected at least one of min, max; got neither"):
        t.clip()
    with pytest.raises(TypeError, match="where: condition must be a boolean array, got dtype float64"):
        ag.where(t, t, 0.0)
    with pytest.raises(TypeError, match="where: condition must be a boolean array, got dtype int64"):
        t.where(np.array([1, 0]), 0.0)
    with pytest.raises(ValueError, match="Neuron: activation must be one of .*got 'gelu'"):
        ag.nn.Neuron(2, activation="gelu")
    with pytest.raises(ValueError, match="TensorMLP: activation must be one of .*got 'gelu'"):
        ag.nn.TensorMLP(2, [2], activation="gelu")


def test_value_array_errors() -> None:
    with pytest.raises(
        ValueError, match=r"ValueArray\(values\): expected a rectangular nested sequence, got a ragged one"
    ):
        ValueArray([[1.0, 2.0], [3.0]])
    va = ValueArray([1.0, 2.0])
    with pytest.raises(TypeError, match="ValueArray operand: expected numbers or Values, got dtype <U1"):
        va + np.array(["a", "b"])
    with pytest.raises(ValueError, match=r"to_value: expected one element, got shape \(2,\)"):
        va.backward()
    with pytest.raises(ValueError, match="sum: axis 1 is out of range for an array with 1 dimension"):
        va.sum(axis=1)
    with pytest.raises(TypeError, match=r"Value\(data\): expected a real number"):
        ValueArray([["a"]])


# --- detect_anomaly


def test_anomaly_value_forward() -> None:
    x = Value(0.0)
    with detect_anomaly():
        y = x * 2  # fine
        with pytest.raises(
            FloatingPointError,
            match=r"detect_anomaly: operation 'log' produced a non-finite value .* forward pass",
        ):
            y.log() * 3  # the first non-finite value comes from log, not from *
        with pytest.raises(FloatingPointError, match=r"operation 'exp' .* forward pass: result inf"):
            Value(1000.0).exp()
        with pytest.raises(FloatingPointError, match=r"operation '/' .* forward pass: result nan"):
            y / x
        with pytest.raises(FloatingPointError, match=r"operation '\*\*-1' .* forward"):
            x**-1
    assert (x.log()).data == -math.inf  # off again afterwards


def test_anomaly_value_backward() -> None:
    x = Value(0.0)
    with detect_anomaly():
        y = x.sqrt() * 3  # forward: 0, finite
        with pytest.raises(
            FloatingPointError, match=r"operation 'sqrt' produced a non-finite value .* backward pass"
        ):
            y.backward()
    z = x.sqrt() * 3
    z.backward()
    assert x.grad == math.inf


def test_anomaly_tensor_forward() -> None:
    x = Tensor([1.0, 0.0], requires_grad=True)
    with detect_anomaly():
        with pytest.raises(
            FloatingPointError, match=r"operation 'log' produced a non-finite value .* forward pass"
        ):
            (x * 2).log().sum()
        with pytest.raises(FloatingPointError, match=r"operation 'reciprocal' .* forward"):
            1.0 / x  # (torch's number / tensor: the reciprocal, then the product)
        with pytest.raises(FloatingPointError, match=r"operation '/' .* forward"):
            Tensor(1.0) / x
        with pytest.raises(FloatingPointError, match=r"operation 'exp' .* forward"):
            Tensor([1000.0]).exp()
    assert np.isinf((x.log()).data[1])


def test_anomaly_tensor_backward() -> None:
    x = Tensor([4.0, 0.0], requires_grad=True)
    with detect_anomaly():
        y = (x.sqrt() * 3).sum()
        with pytest.raises(
            FloatingPointError, match=r"operation 'sqrt' produced a non-finite value .* backward pass"
        ):
            y.backward()
        w = Tensor([1.0, 2.0], requires_grad=True)
        with pytest.raises(FloatingPointError, match=r"operation 'backward seed' .* backward"):
            (w * 2).backward(np.array([np.inf, 1.0]))
    (x.sqrt() * 3).sum().backward()
    assert x.grad[1] == np.inf


def test_anomaly_restored_after_error() -> None:
    from autograd import grad_mode as mode

    with pytest.raises(FloatingPointError):
        with detect_anomaly():
            Value(-1.0).log()
    assert mode.is_anomaly_enabled() is False


def test_a_float_tensor_is_refused_as_an_index() -> None:
    """Tensor(...) holds floats, so Tensor([True, False, True]) would gather positions 1, 0, 1: refused,
    as torch refuses float indices; integer and bool Tensors index as torch's do."""
    t = Tensor([10.0, 20.0, 30.0])
    with pytest.raises(
        IndexError, match=r"tensors used as indices must be long, int, byte or bool tensors, got .*float64"
    ):
        t[Tensor([True, False, True])]
    assert t[np.array([True, False, True])].data.tolist() == [10.0, 30.0]
    assert t[ag.tensor([True, False, True])].data.tolist() == [10.0, 30.0]
    assert t[ag.tensor([2, 0])].data.tolist() == [30.0, 10.0]


@pytest.mark.parametrize(
    ("op", "other", "shapes"),
    [("+", [1.0, 2.0], "(3,), (2,)"), ("*", [1.0, 2.0], "(3,), (2,)"), ("@", [[1.0], [2.0]], "(3,), (2, 1)")],
)
def test_value_array_shape_errors_name_the_op(op: str, other: list, shapes: str) -> None:
    a = ValueArray([Value(1.0), Value(2.0), Value(3.0)])
    b = ValueArray(other)
    with pytest.raises(ValueError, match=re.escape(f"ValueArray op '{op}' on shapes {shapes}:")):
        {"+": lambda: a + b, "*": lambda: a * b, "@": lambda: a @ b}[op]()


@pytest.mark.parametrize(
    "call",
    [
        lambda x: ag.cumsum(x, 0),
        lambda x: ag.logcumsumexp(x, 0),
        lambda x: ag.einsum("i->", x),
        lambda x: ag.outer(Tensor([1.0]), x),
        lambda x: ag.linalg.vector_norm(x),
    ],
)
@pytest.mark.parametrize("node", [ValueArray([1.0, 2.0]), Value(2.0)])
def test_tensor_functions_refuse_values_by_name(call: object, node: object) -> None:
    # (they used to fail deep inside Tensor(): "expected real numbers ..., got Python objects")
    with pytest.raises(TypeError, match=f"expected a Tensor or plain numbers, got a {type(node).__name__}:"):
        call(node)
