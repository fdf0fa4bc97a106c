"""``autograd.func`` against ``torch.func``: the examples of torch.func's documentation for grad, vmap,
jacrev, jacfwd, hessian, vjp and jvp (written here, float64), has_aux, argnums tuples, pytrees,
composition on Value, Tensor and ValueArray, and the errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.func as tf
import torch.utils._pytree as tree
from engine_helpers import close

import autograd as ag
from autograd import Tensor, Value, ValueArray, functional
from autograd import func as af
from autograd.gradients import numbers_of
from autograd.pytree import tree_flatten

R = np.random.default_rng(17)
X5 = R.normal(size=5)
Y5 = R.normal(size=5)


def t64(x: Any) -> torch.Tensor:
    return torch.tensor(np.asarray(x), dtype=torch.float64)


def same(ours: Any, theirs: Any) -> None:
    """The same nesting (as many leaves, the same top container) and the same numbers."""
    mine, spec = tree_flatten(ours)
    ref, _ = tree.tree_flatten(theirs)
    assert len(mine) == len(ref), (spec, theirs)
    assert isinstance(ours, (tuple, list, dict)) == isinstance(theirs, (tuple, list, dict))
    for a, b in zip(mine, ref):
        assert np.shape(numbers_of(a)) == tuple(b.shape)
        close(numbers_of(a), b)


# ---------------------------------------------------------------------------
# grad
# ---------------------------------------------------------------------------
def test_grad_first_and_second_order_numbers_and_nodes() -> None:
    x = R.normal()
    f = lambda x: x.tanh() * x.exp()  # noqa: E731
    same(af.grad(f)(x), tf.grad(f)(t64(x)))
    same(af.grad(af.grad(f))(x), tf.grad(tf.grad(f))(t64(x)))
    g = af.grad(f)(Tensor(x))  # a node in: a node out, part of a graph
    assert isinstance(g, Tensor) and g.requires_grad
    with ag.no_grad():  # a transform builds its graph under no_grad too, as torch.func
        same(af.grad(f)(x), tf.grad(f)(t64(x)))


def test_grad_per_sample_gradients_with_vmap() -> None:
    def model(weights: Any, feature_vec: Any) -> Any:
        assert feature_vec.ndim == 1
        return (feature_vec * weights).sum().relu()

    def compute_loss(weights: Any, example: Any, target: Any) -> Any:
        return ((model(weights, example) - target) ** 2).mean()

    weights, examples, targets = R.normal(size=5), R.normal(size=(3, 5)), R.normal(size=3)
    ours = af.vmap(af.grad(compute_loss), in_dims=(None, 0, 0))(weights, examples, targets)
    theirs = tf.vmap(tf.grad(compute_loss), in_dims=(None, 0, 0))(t64(weights), t64(examples), t64(targets))
    same(ours, theirs)


def test_grad_has_aux_and_argnums_tuple() -> None:
    def my_loss_func(y: Any, y_pred: Any) -> Any:
        loss_per_sample = (0.5 * y_pred - y) ** 2
        return loss_per_sample.mean(), (y_pred, loss_per_sample)

    y_true, y_preds = R.random(4), R.random(4)
    ours = af.grad(my_loss_func, argnums=(0, 1), has_aux=True)(y_true, y_preds)
    theirs = tf.grad(my_loss_func, argnums=(0, 1), has_aux=True)(t64(y_true), t64(y_preds))
    same(ours, theirs)
    (grads, aux) = ours
    assert isinstance(grads, tuple) and isinstance(aux[1], np.ndarray)  # numbers in, numbers out (aux too)
    # the same through grad_and_value (torch's order) and value_and_grad (JAX's)
    g, (value, aux) = af.grad_and_value(my_loss_func, argnums=(0, 1), has_aux=True)(y_true, y_preds)
    tg, (tvalue, _) = tf.grad_and_value(my_loss_func, argnums=(0, 1), has_aux=True)(t64(y_true), t64(y_preds))
    same(g, tg)
    close(value, tvalue)
    (value2, _), g2 = ag.value_and_grad(my_loss_func, argnums=(0, 1), has_aux=True)(y_true, y_preds)
    assert value2 == value
    same(g2, tg)


def test_grad_of_a_dict_of_parameters() -> None:
    params = {"w": R.normal(size=(3, 2)), "b": R.normal(size=2)}
    x = R.normal(size=(4, 3))

    def loss(p: dict, x: Any) -> Any:
        return ((x @ p["w"] + p["b"]).tanh() ** 2).sum()

    ours = af.grad(loss)(params, x)
    assert isinstance(ours, dict) and set(ours) == {"w", "b"}
    same(ours, tf.grad(loss)({k: t64(v) for k, v in params.items()}, t64(x)))


# ---------------------------------------------------------------------------
# vmap
# ---------------------------------------------------------------------------
def dot(a: Any, b: Any) -> Any:
    return (a * b).sum()


def test_vmap_batched_and_nested_dot_in_dims_and_out_dims() -> None:
    x, y = R.normal(size=(2, 5)), R.normal(size=(2, 5))
    same(af.vmap(dot)(x, y), tf.vmap(dot)(t64(x), t64(y)))
    x3, y3 = R.normal(size=(2, 3, 5)), R.normal(size=(2, 3, 5))
    same(af.vmap(af.vmap(dot))(x3, y3), tf.vmap(tf.vmap(dot))(t64(x3), t64(y3)))
    xt, yt = R.normal(size=(5, 2)), R.normal(size=(5, 2))
    same(af.vmap(dot, in_dims=1)(xt, yt), tf.vmap(dot, in_dims=1)(t64(xt), t64(yt)))
    power = lambda a, b: a**b  # noqa: E731
    same(
        af.vmap(power, in_dims=(0, None))(np.abs(x), y[0]),
        tf.vmap(power, in_dims=(0, None))(t64(np.abs(x)), t64(y[0])),
    )
    f = lambda d: dot(d["x"], d["y"])  # noqa: E731
    ours = af.vmap(f, in_dims=({"x": 0, "y": None},))({"x": x, "y": y[0]})
    same(ours, tf.vmap(f, in_dims=({"x": 0, "y": None},))({"x": t64(x), "y": t64(y[0])}))
    same(af.vmap(lambda a: a**2, out_dims=1)(x), tf.vmap(lambda a: a**2, out_dims=1)(t64(x)))
    both = lambda a: (a * 2, a.sum())  # noqa: E731
    same(af.vmap(both, out_dims=(1, 0))(x), tf.vmap(both, out_dims=(1, 0))(t64(x)))


def test_vmap_keyword_arguments_are_not_batched() -> None:
    x = R.normal(size=(2, 5))

    def fn(x: Any, scale: Any = 4.0) -> Any:
        return x * scale

    same(af.vmap(fn)(x), tf.vmap(fn)(t64(x)))
    same(af.vmap(fn)(x, scale=x), tf.vmap(fn)(t64(x), scale=t64(x)))  # (2, 2, 5)


def test_vmap_of_a_model_and_of_autograd_grad() -> None:
    weights = R.normal(size=5)
    examples = R.normal(size=(3, 5))
    model = lambda w: lambda feature_vec: dot(feature_vec, w).relu()  # noqa: E731
    same(af.vmap(model(Tensor(weights)))(Tensor(examples)), tf.vmap(model(t64(weights)))(t64(examples)))
    # vectorised VJPs: the Jacobian of x ** 2 row by row, through autograd.grad inside vmap
    x = Tensor(X5, requires_grad=True)
    y = x**2
    jac = af.vmap(lambda v: ag.grad(y, x, v)[0])(np.eye(5))
    close(jac, np.diag(2 * X5))


def test_vmap_composes_with_grad_both_ways() -> None:
    xs = R.normal(size=(4, 3))
    f = lambda w: (w.tanh() ** 2).sum() * w.exp().sum()  # noqa: E731
    same(af.vmap(af.grad(f))(xs), tf.vmap(tf.grad(f))(t64(xs)))
    outer = lambda x, vmap, grad: grad(lambda x: vmap(f)(x).sum())(x)  # noqa: E731
    same(outer(xs, af.vmap, af.grad), outer(t64(xs), tf.vmap, tf.grad))
    same(outer(Tensor(xs), af.vmap, af.grad).data, outer(t64(xs), tf.vmap, tf.grad))
    # on Values: rows of a ValueArray are ValueArrays, the result one ValueArray graph
    va = ValueArray(xs)
    out = af.vmap(f)(va)
    assert isinstance(out, ValueArray) and out.shape == (4,)
    same(out.data, tf.vmap(f)(t64(xs)))
    same(ag.grad(out.sum().to_value(), [va])[0], tf.vmap(tf.grad(f))(t64(xs)))


def test_vmap_empty_batch_and_random_rows() -> None:
    empty = af.vmap(lambda a: a * 2 + a.sum())(np.zeros((0, 3)))
    assert empty.shape == tf.vmap(lambda a: a * 2)(torch.zeros(0, 3)).shape == (0, 3)
    assert af.vmap(lambda a: a * 2)(Tensor(np.zeros((0, 3)))).shape == (0, 3)
    draws = af.vmap(lambda a: a + ag.randn(3), randomness="different")(np.zeros((2, 3)))
    assert not np.array_equal(draws[0], draws[1])


# ---------------------------------------------------------------------------
# jacrev, jacfwd, hessian
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["jacrev", "jacfwd"])
def test_jacobian_docs_examples(name: str) -> None:
    ours, theirs = getattr(af, name), getattr(tf, name)
    x, y = t64(X5), t64(Y5)
    tanh = lambda x: x.tanh()  # noqa: E731
    jacobian = ours(tanh)(X5)
    close(jacobian, np.diag(1 - np.tanh(X5) ** 2))
    same(jacobian, theirs(tanh)(x))
    aux_f = lambda x: (x.tanh(), x.exp())  # noqa: E731
    same(ours(aux_f, has_aux=True)(X5), theirs(aux_f, has_aux=True)(x))
    batch = R.normal(size=(6, 5))
    assert af.vmap(ours(tanh))(batch).shape == (6, 5, 5)
    same(af.vmap(ours(tanh))(batch), tf.vmap(theirs(tanh))(t64(batch)))
    f = lambda x: x.tanh().sum()  # noqa: E731
    same(ours(ours(f))(X5), theirs(theirs(f))(x))
    g = lambda x, y: x + y**2  # noqa: E731
    same(ours(g, argnums=1)(X5, Y5), theirs(g, argnums=1)(x, y))
    same(ours(g, argnums=(0, 1))(X5, Y5), theirs(g, argnums=(0, 1))(x, y))
    two = lambda x, y: (x * y.exp(), (x**2).sum())  # noqa: E731  (two outputs, two inputs: J[out][in])
    same(ours(two, argnums=(0, 1))(X5, Y5), theirs(two, argnums=(0, 1))(x, y))


def test_hessian_docs_examples() -> None:
    f = lambda x: x.tanh().sum()  # noqa: E731
    x = t64(X5)
    hess = af.hessian(f)(X5)
    same(hess, tf.hessian(f)(x))
    close(hess, np.diag(-2 * np.tanh(X5) * (1 - np.tanh(X5) ** 2)))
    close(af.jacfwd(af.jacrev(f))(X5), hess)  # torch's definition of hessian
    g = lambda x, y: (x * y.exp()).sum() * y.sum()  # noqa: E731
    same(af.hessian(g, argnums=(0, 1))(X5, Y5), tf.hessian(g, argnums=(0, 1))(x, t64(Y5)))
    vector = lambda x: x.exp() * x.sum()  # noqa: E731  (a non-scalar f: out.shape + x.shape + x.shape)
    same(af.hessian(vector)(X5[:3]), tf.hessian(vector)(x[:3]))


@pytest.mark.parametrize("kind", ["float", "array", "Value", "Tensor", "ValueArray"])
def test_transforms_compose_on_every_kind(kind: str) -> None:
    f = lambda x: (x * x).tanh() * x.exp()  # noqa: E731  (elementwise: one expression for all kinds)
    scalar = kind in ("float", "Value")
    point = {"float": 0.7, "array": X5[:3], "Value": Value(0.7), "Tensor": Tensor(X5[:3])}.get(kind)
    point = ValueArray(X5[:3]) if point is None else point
    ref = t64(0.7 if scalar else X5[:3])
    s = lambda x: f(x) if scalar else f(x).sum()  # noqa: E731
    ts = lambda x: f(x).sum()  # noqa: E731
    want = tf.hessian(ts)(ref)
    kind_out = {"float": float, "array": np.ndarray, "Value": Value, "Tensor": Tensor}.get(kind, ValueArray)
    for got in (af.hessian(s)(point), af.jacfwd(af.jacrev(s))(point), af.jacrev(af.jacfwd(s))(point)):
        assert isinstance(got, kind_out)  # numbers in, numbers out; nodes in, nodes out
        same(numbers_of(got), want)
    third = af.jacrev(af.hessian(s))(point)
    same(numbers_of(third), tf.jacrev(tf.hessian(ts))(ref))


# ---------------------------------------------------------------------------
# vjp, jvp
# ---------------------------------------------------------------------------
def test_vjp_docs_examples_tuple_and_dict_outputs_and_aux() -> None:
    x = t64(X5)
    f = lambda x: (x.tanh(), x.exp())  # noqa: E731
    out, vjpfunc = af.vjp(f, X5)
    (ref,) = tf.vjp(f, x)[1]((torch.ones(5, dtype=torch.float64), torch.ones(5, dtype=torch.float64)))
    (vjps,) = vjpfunc((np.ones(5), np.ones(5)))
    close(vjps, ref)
    close(vjps, 1 - np.tanh(X5) ** 2 + np.exp(X5))
    d = lambda x: {"first": x.tanh(), "second": x.exp()}  # noqa: E731
    out, vjpfunc = af.vjp(d, X5)
    assert set(out) == {"first", "second"}
    close(vjpfunc({"first": np.ones(5), "second": np.ones(5)})[0], ref)
    aux = lambda x: (x.tanh(), x.exp())  # noqa: E731
    out, vjpfunc, extra = af.vjp(aux, X5, has_aux=True)
    close(extra, np.exp(X5))
    close(vjpfunc(np.ones(5))[0], 1 - np.tanh(X5) ** 2)


def test_jvp_docs_examples_and_aux() -> None:
    x = R.normal()
    f = lambda x: x * Tensor([1.0, 2.0, 3.0])  # noqa: E731
    value, grad = af.jvp(f, (Tensor(x),), (1.0,))
    close(value.data, f(Tensor(x)).data)
    close(grad.data, [1.0, 2.0, 3.0])
    g = lambda x, y: x * y  # noqa: E731
    _, output = af.jvp(g, (X5, Y5), (np.ones(5), np.ones(5)))
    close(output, X5 + Y5)
    h = lambda x: (x.tanh(), x.exp())  # noqa: E731
    ours = af.jvp(h, (X5,), (Y5,), has_aux=True)
    same(ours, tf.jvp(h, (t64(X5),), (t64(Y5),), has_aux=True))


# ---------------------------------------------------------------------------
# Issue 21: defects 7, 9, 10, 15
# ---------------------------------------------------------------------------
def test_bad_argnums_names_argnums_expected_and_got() -> None:
    with pytest.raises(TypeError, match=r"grad: argnums must be an int or a tuple of ints, got float 1\.5"):
        ag.grad(lambda x: x.sum(), argnums=1.5)
    with pytest.raises(TypeError, match=r"jacrev: argnums must be .* got list \['a'\]"):
        af.jacrev(lambda x: x, argnums=["a"])
    with pytest.raises(ValueError, match=r"argnums must be a non-empty tuple of distinct ints, got \(0, 0\)"):
        af.grad(lambda x, y: x, argnums=(0, 0))
    with pytest.raises(ValueError, match=r"argnums=2 is out of range: f was called with 2 positional"):
        af.grad(lambda x, y: x, argnums=2)(1.0, 2.0)


def test_a_non_number_argument_names_the_transform_and_the_argument() -> None:
    with pytest.raises(TypeError, match=r"^grad: argument 0 must be a number, .* got str 'abc'"):
        ag.grad(lambda x: x.sum())("abc")
    with pytest.raises(TypeError, match=r"^jacfwd: argument 1 must be a number, .* got NoneType None"):
        af.jacfwd(lambda x, y: x, argnums=(0, 1))(1.0, None)


def test_numpy_array_of_values_is_differentiated_not_dropped() -> None:
    # a float primal becomes a Value, and numpy builds an object array of Values: a ValueArray output
    f = lambda x: np.array([x, 2 * x * x])  # noqa: E731
    tf_f = lambda x: torch.stack([x, 2 * x * x])  # noqa: E731
    out, fn = ag.vjp(f, 1.5)
    close(out, [1.5, 4.5])
    assert fn(np.array([1.0, 1.0]))[0] == pytest.approx(1.0 + 4 * 1.5)
    same(fn(np.array([0.5, -2.0])), tf.vjp(tf_f, t64(1.5))[1](t64([0.5, -2.0])))
    same(ag.jvp(f, (1.5,), (2.0,)), tf.jvp(tf_f, (t64(1.5),), (t64(2.0),)))
    same(af.jacrev(f)(1.5), tf.jacrev(tf_f)(t64(1.5)))
    with pytest.raises(TypeError, match=r"got a numpy array of str.*autograd\.stack"):
        ag.vjp(lambda x: np.array(["a", x], dtype=object), 1.5)


def test_numpy_array_of_tensors_raises_naming_autograd_stack() -> None:
    with pytest.raises(TypeError, match=r"autograd\.stack"):
        ag.vjp(lambda x: np.array([x, 2 * x]), Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match=r"autograd\.stack"):
        ag.jvp(lambda x: np.array([x, 2 * x]), (Tensor([1.0, 2.0]),), (np.ones(2),))
    # what the error names records the graph, and agrees with torch.func
    f, tf_f = (lambda x: ag.stack([x, 2 * x])), (lambda x: torch.stack([x, 2 * x]))
    same(
        ag.vjp(f, Tensor([1.0, 2.0]))[1](np.ones((2, 2))),
        tf.vjp(tf_f, t64([1.0, 2.0]))[1](torch.ones(2, 2, dtype=torch.float64)),
    )
    same(
        ag.jvp(f, (Tensor([1.0, 2.0]),), (np.ones(2),)),
        tf.jvp(tf_f, (t64([1.0, 2.0]),), (torch.ones(2, dtype=torch.float64),)),
    )


def test_constant_outputs_give_zero_tangents_and_cotangents_as_torch_func() -> None:
    x = R.normal(size=3)
    const = lambda x: torch.sign(x).detach()  # noqa: E731  (torch's spelling of a constant output)
    out, tangent = ag.jvp(np.sign, (x,), (np.ones(3),))
    same((out, tangent), tf.jvp(const, (t64(x),), (torch.ones(3, dtype=torch.float64),)))
    out, tangent = ag.jvp(lambda x: 3.0, (x,), (np.ones(3),))
    assert (out, tangent) == (3.0, 0.0)
    assert ag.vjp(lambda x: 3.0, 1.0)[1](1.0) == (0.0,)
    same(ag.vjp(np.sign, x)[1](np.ones(3)), tf.vjp(const, t64(x))[1](torch.ones(3, dtype=torch.float64)))
    same(af.jacrev(np.sign)(x), tf.jacrev(const)(t64(x)))
    same(af.jacfwd(np.sign)(x), tf.jacfwd(const)(t64(x)))
    assert ag.grad(lambda x: 3.0)(x).tolist() == [0.0, 0.0, 0.0]
    g = ag.jvp(np.sign, (Tensor(x),), (np.ones(3),))[1]  # nodes in: a zero node out
    assert isinstance(g, Tensor) and not g.data.any()


# ---------------------------------------------------------------------------
# Errors, and that these comparisons can fail
# ---------------------------------------------------------------------------
def test_transform_errors() -> None:
    with pytest.raises(
        TypeError, match=r"grad: with has_aux=True, f must return a tuple \(output, aux\); got"
    ):
        af.grad(lambda x: x.sum(), has_aux=True)(X5)
    with pytest.raises(
        TypeError, match=r"func\.grad: func must be a function.*autograd\.grad\(outputs, inputs\)"
    ):
        af.grad(Tensor(X5, requires_grad=True))
    _, fn = af.vjp(lambda x: (x, x * 2), X5)
    with pytest.raises(RuntimeError, match=r"vjp_fn\(cotangents\): cotangents must match the output"):
        fn(np.ones(5))
    with pytest.raises(RuntimeError, match=r"vjp_fn\(cotangents, leaf 1\): Mismatch in shape: got \(4,\)"):
        fn((np.ones(5), np.ones(4)))
    with pytest.raises(
        RuntimeError, match=r"jvp\(tangents, leaf 0\): Mismatch in shape: got \(2,\), expected"
    ):
        af.jvp(lambda x: x, (X5,), (np.ones(2),))
    with pytest.raises(TypeError, match=r"jvp: primals and tangents must be tuples"):
        af.jvp(lambda x: x, X5, X5)
    with pytest.raises(ValueError, match=r"vmap: the batched inputs have different sizes \[2, 3\]"):
        af.vmap(dot)(np.ones((2, 5)), np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"vmap: in_dims \(input leaf 0\) maps dim 0 of a float"):
        af.vmap(lambda x: x)(3.0)
    with pytest.raises(ValueError, match=r"maps dim 2, but the input has 1 dim\(s\)"):
        af.vmap(lambda x: x, in_dims=2)(X5)
    with pytest.raises(ValueError, match=r"vmap: in_dims has 2 entries for 1 positional argument"):
        af.vmap(lambda x: x, in_dims=(0, 0))(X5)
    with pytest.raises(
        ValueError, match=r"in_dims=\(\{'x': 0\},\) does not fit: expected a dict with keys \['x'\]"
    ):
        af.vmap(lambda d: d["x"], in_dims=({"x": 0},))({"x": np.ones((2, 3)), "y": np.ones(3)})
    with pytest.raises(ValueError, match=r"vmap: in_dims must be an int, None, or a tuple .* got float 0\.5"):
        af.vmap(lambda x: x, in_dims=0.5)
    with pytest.raises(ValueError, match=r"out_dims is None for output 0, but it differs between the calls"):
        af.vmap(lambda x: x, out_dims=None)(np.eye(2))
    with pytest.raises(ValueError, match=r"randomness must be 'error', 'different' or 'same', got 'x'"):
        af.vmap(lambda x: x, randomness="x")
    with pytest.raises(NotImplementedError, match="randomness='same'"):
        af.vmap(lambda x: x, randomness="same")


def test_comparisons_catch_a_wrong_seed_and_a_wrong_row(monkeypatch: pytest.MonkeyPatch) -> None:
    f = lambda x: x.tanh() * x.sum()  # noqa: E731
    right = tf.jacrev(f)(t64(X5))
    monkeypatch.setattr(
        functional, "_one_hot", lambda like, j: np.roll(np.eye(5)[j], 1).reshape(np.shape(like))
    )
    for transform in (af.jacrev, af.jacfwd):
        with pytest.raises(AssertionError):
            same(transform(f)(X5), right)
    monkeypatch.undo()
    monkeypatch.setattr(af, "_row", lambda x, axis, b: x if axis is None else np.asarray(x)[0])
    x, y = R.normal(size=(2, 5)), R.normal(size=(2, 5))
    with pytest.raises(AssertionError):
        same(af.vmap(dot)(x, y), tf.vmap(dot)(t64(x), t64(y)))
