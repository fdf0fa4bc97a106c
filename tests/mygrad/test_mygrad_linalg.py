"""MyGrad's ``tests/linalg``: ``einsum`` (NumPy's documentation examples, traces, broadcasting,
the sublist form, drawn patterns), ``matmul`` (every broadcast signature), ``multi_matmul``
(``autograd.linalg.multi_dot``) and ``linalg.norm`` (vector norms of every ``ord``, against the
norm written out of elementary ops as MyGrad's ``manual_norm``).

A string script is run as MyGrad's ``compare_backprop`` runs it, NumPy's ``np.einsum`` on Tensors
(``Tensor.__array_function__``); the sublist form through ``autograd.einsum`` (torch's spelling,
which takes it too). Changed from MyGrad: MyGrad's ``np.random`` draws are seeded here (hypothesis
draws the shapes), the ``optimize`` flag is NumPy's path search (no effect on the numbers), and
``norm`` is ``autograd.linalg.vector_norm`` (torch's; MyGrad's ``linalg.norm`` refuses matrix norms).
"""

from __future__ import annotations

import functools
from itertools import chain
from typing import Any

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import assume, given, note
from mygrad_harness import (
    SETTINGS,
    backprop_test_factory,
    fwdprop_test_factory,
    mygrad_settings,
    numerical_gradient_full,
)
from numpy.testing import assert_allclose

import autograd as ag
from autograd import Tensor


def _tensor(x: Any) -> Tensor:
    return Tensor(np.asarray(x, dtype=float), requires_grad=True)


def compare_einsum(*operands: Any) -> None:
    ours = np.einsum(
        *(Tensor(np.asarray(o, dtype=float)) if isinstance(o, np.ndarray) else o for o in operands)
    )
    assert isinstance(ours, Tensor)
    assert_allclose(ours.numpy(), np.einsum(*operands))


def compare_backprop(*operands: Any, atol: float = 1e-5, rtol: float = 1e-5, seed: int = 0) -> None:
    """MyGrad's: back-propagate a random cotangent through einsum and compare every operand's
    gradient with the complex step of ``np.einsum``."""
    if isinstance(operands[0], str):
        script = operands[0]
        arrays = tuple(np.asarray(i).astype(float) for i in operands[1:])
        tensors = tuple(_tensor(a) for a in arrays)

        def f(*args: Any) -> Any:
            return np.einsum(script, *args)

        out = np.einsum(script, *tensors)
    else:
        end = -1 if len(operands) % 2 else None  # -1 if the output sublist is given
        arrays = tuple(np.asarray(i).astype(float) for i in operands[:end:2])
        tensors = tuple(_tensor(a) for a in arrays)
        tail = (operands[-1],) if end is not None else ()

        def f(*args: Any) -> Any:
            return np.einsum(*chain.from_iterable(zip(args, operands[1::2])), *tail)

        out = ag.einsum(*chain.from_iterable(zip(tensors, operands[1::2])), *tail)
    grad = np.random.default_rng(seed).random(out.shape)
    out.backward(Tensor(grad))
    for n, (dnum, tensor) in enumerate(zip(numerical_gradient_full(f, *arrays, back_grad=grad), tensors)):
        assert dnum.shape == tensor.grad.shape
        assert_allclose(tensor.grad.numpy(), dnum, atol=atol, rtol=rtol, err_msg=f"operand {n}")


def test_einsum_static_fwd() -> None:
    """NumPy's einsum examples."""
    a, b, c = np.arange(25).reshape(5, 5), np.arange(5), np.arange(6).reshape(2, 3)
    compare_einsum("ii", a)
    compare_einsum("ii->i", a)
    compare_einsum("ij,j", a, b)
    compare_einsum("...j,j", a, b)
    compare_einsum("ji", c)
    compare_einsum("i,i", b, b)
    compare_einsum("i,j", np.arange(2) + 1, b)
    compare_einsum("i...->...", a)
    a, b = np.arange(60.0).reshape(3, 4, 5), np.arange(24.0).reshape(4, 3, 2)
    compare_einsum("ijk,jil->kl", a, b)
    a, b = np.arange(6).reshape((3, 2)), np.arange(4).reshape((4, 1))
    compare_einsum("ki,jk->ij", a, b)
    compare_einsum("ki,...k->i...", a, b)
    compare_einsum("k...,jk", a, b)


def test_einsum_static_bkwd() -> None:
    """NumPy's einsum examples, backward, in both forms."""
    a, b, c = np.arange(25).reshape(5, 5), np.arange(5), np.arange(6).reshape(2, 3)
    compare_backprop("ii", a)
    compare_backprop(a, [0, 0])
    compare_backprop("ii->i", a)
    compare_backprop(a, [0, 0], [0])
    compare_backprop("ij->", a)
    compare_backprop(a, [0, 1])
    compare_backprop("ij,j", a, b)
    compare_backprop(a, [0, 1], b, [1])
    compare_backprop("...j,j", a, b)
    compare_backprop(a, [Ellipsis, 0], b, [Ellipsis, 0])
    compare_backprop("ji", c)
    compare_backprop(c, [1, 0])
    compare_backprop("i,i", b, b)
    compare_backprop(b, [0], b, [0])
    compare_backprop("i,j", np.arange(2) + 1, b)
    a, b = np.arange(60.0).reshape(3, 4, 5), np.arange(24.0).reshape(4, 3, 2)
    compare_backprop("ijk,jil->kl", a, b, atol=1e-3, rtol=1e-3)
    compare_backprop(a, [0, 1, 2], b, [1, 0, 3], [2, 3], atol=1e-3, rtol=1e-3)
    a, b = np.arange(6).reshape((3, 2)), np.arange(4).reshape((4, 1))
    compare_backprop("ki,jk->ij", a, b)
    compare_backprop(a, [0, 1], b, [2, 0], [1, 2])
    compare_backprop("ki,...k->i...", a, b)
    compare_backprop(a, [0, 1], b, [Ellipsis, 0], [1, Ellipsis])
    compare_backprop("k...,jk", a, b)
    compare_backprop(a, [0, Ellipsis], b, [2, 0])


@mygrad_settings(3)  # twelve scripts per draw
@given(i=st.integers(1, 4), j=st.integers(1, 4), k=st.integers(1, 4))
def test_traces_bkwd(i: int, j: int, k: int) -> None:
    rng = np.random.default_rng(i * 100 + j * 10 + k)
    a, b, c, d = rng.random((i, j, j, i)), rng.random((k, j, i)), rng.random((j, j)), rng.random((i, i, i))
    compare_backprop("ijji -> i", a)
    compare_backprop(a, [0, 1, 1, 0], [0])
    compare_backprop("iii -> i", d)
    compare_backprop("ijji -> j", a)
    compare_backprop("ijji -> ij", a)
    compare_backprop("ijji -> ji", a)
    compare_backprop("ijji -> ", a)
    compare_backprop("ijji,kji -> ", a, b)
    compare_backprop("ijji,kji -> kj", a, b)
    compare_backprop("ijji,kji,jj-> kj", a, b, c)
    compare_backprop("ijji,kji,jj-> ijk", a, b, c)
    compare_backprop("ijji,kji,jj-> jk", a, b, c)


@SETTINGS
@given(
    i=st.integers(1, 4),
    j=st.integers(1, 4),
    k=st.integers(1, 4),
    p=st.integers(1, 4),
    inputs=st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=4, unique=True),
    data=st.data(),
)
def test_adaptive_pattern(i: int, j: int, k: int, p: int, inputs: list[int], data: st.DataObject) -> None:
    rng = np.random.default_rng(1000 * i + 100 * j + 10 * k + p)
    arrs = [(rng.random(s) - 0.5) * 10 for s in ((i, j, j, i), (k, j, i), (j, j), (i, i, i), (p, i), (p,))]
    scripts = ["ijji", "kji", "jj", "iii", "pi", "p"]
    letters = sorted(set("".join(scripts[n] for n in inputs)))
    out = data.draw(st.lists(st.sampled_from(letters), max_size=len(letters), unique=True).map("".join))
    script = f"{','.join(scripts[n] for n in inputs)} -> {out}"
    note(script)
    compare_einsum(script, *(arrs[n] for n in inputs))
    compare_backprop(script, *(arrs[n] for n in inputs))


@SETTINGS
@given(num=st.integers(1, 10), data=st.data())
def test_einsum_bkwd1(num: int, data: st.DataObject) -> None:
    """``i, i`` with one operand of size 1 broadcast against the other (both orders)."""
    y_shape = data.draw(hnp.broadcastable_shapes((num,), min_dims=1, max_dims=1))
    rng = np.random.default_rng(num)
    x, y = rng.random(num), rng.random(y_shape)
    compare_backprop("i, i", x, y)
    compare_backprop("i, i", y, x)


@SETTINGS
@given(shape=hnp.array_shapes(min_dims=2, max_dims=2), data=st.data())
def test_einsum_bkwd3(shape: tuple[int, ...], data: st.DataObject) -> None:
    y_shape = data.draw(hnp.broadcastable_shapes(shape, min_dims=2, max_dims=2), label="y_shape")
    z_shape = data.draw(hnp.broadcastable_shapes(shape[:1], min_dims=1, max_dims=1), label="z_shape")
    rng = np.random.default_rng(sum(shape))
    x, y, z = rng.random(shape), rng.random(y_shape), rng.random(z_shape)
    try:
        np.einsum("ia, ia, i -> a", x, y, z)
    except ValueError:
        assume(False)  # invalid einsum shapes
    compare_backprop("ia, ia, i -> a", x, y, z, atol=1e-6)


def test_einsum_bkwd5_and_6() -> None:
    rng = np.random.default_rng(5)
    compare_backprop("iBCj, aijd -> aBCd", rng.random((5, 3, 4, 6)), rng.random((1, 5, 6, 2)), atol=1e-6)
    compare_backprop("ijk, -> j", rng.random((2, 3, 4)), rng.random(()), atol=1e-6)


# ----------------------------------------------------------------------------- matmul
_MATMUL = hnp.mutually_broadcastable_shapes(signature="(n?,k),(k,m?)->(n?,m?)", max_side=4)


@fwdprop_test_factory(
    mygrad_func=ag.matmul, true_func=np.matmul, shapes=_MATMUL, permit_0d_array_as_float=False
)
def test_matmul_fwd() -> None:
    pass


@backprop_test_factory(mygrad_func=np.matmul, true_func=np.matmul, shapes=_MATMUL, vary_each_element=True)
def test_matmul_bkwd() -> None:
    pass


def _multi_dot(*arrays: Any) -> Any:
    return ag.linalg.multi_dot(list(arrays))


def _multi_matmul_slow(*arrays: Any) -> Any:
    return functools.reduce(np.matmul, arrays)


SIGNATURES = ("(a?,b),(b,e?)->(a?,e?)", "(a?,b),(b,c),(c,e?)->(a?,e?)", "(a?,b),(b,c),(c,d),(d,e?)->(a?,e?)")


@pytest.mark.parametrize("signature", SIGNATURES)
def test_multi_matmul_fwd(signature: str) -> None:
    fwdprop_test_factory(
        mygrad_func=_multi_dot,
        true_func=_multi_matmul_slow,
        shapes=hnp.mutually_broadcastable_shapes(signature=signature, max_dims=0),
        default_bnds=(-10, 10),
        atol=1e-5,
        rtol=1e-5,
        permit_0d_array_as_float=False,
    )(test_multi_matmul_fwd)()


@pytest.mark.parametrize("signature", SIGNATURES)
def test_multi_matmul_bkwd(signature: str) -> None:
    backprop_test_factory(
        mygrad_func=_multi_dot,
        true_func=_multi_matmul_slow,
        shapes=hnp.mutually_broadcastable_shapes(signature=signature, max_dims=0),
        default_bnds=(-10, 10),
        atol=1e-5,
        rtol=1e-5,
        vary_each_element=True,
    )(test_multi_matmul_bkwd)()


# ----------------------------------------------------------------------------- norm
ORDS = [-1.0, 0.5, 1.0, 1.25, 1.5, 2.0, 2.5, -np.inf, np.inf]


def _axis(ndim: int, permit_none: bool) -> st.SearchStrategy[Any]:
    single = st.integers(-ndim, ndim - 1)
    return (st.none() | single | st.tuples(single)) if permit_none else (single | st.tuples(single))


def manual_norm(x: Tensor, ord: float, axis: Any, keepdims: bool) -> Tensor:
    """MyGrad's manual_norm, of the engine's elementary ops."""
    if np.isinf(ord):
        return (ag.amax if ord > 0 else ag.amin)(ag.abs(x), axis, keepdim=keepdims)
    return ag.sum(ag.abs(x) ** ord, axis, keepdim=keepdims) ** (1 / ord)


def _norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    return ag.linalg.vector_norm(x, 2 if ord is None else ord, axis, keepdim=keepdims)


def _norm_kwargs(x: Any) -> st.SearchStrategy[dict[str, Any]]:
    if x.ndim == 0:
        return st.fixed_dictionaries({"axis": st.none(), "ord": st.none(), "keepdims": st.booleans()})
    return st.fixed_dictionaries(
        {"axis": _axis(x.ndim, permit_none=False), "ord": st.sampled_from(ORDS), "keepdims": st.booleans()}
    )


@pytest.mark.filterwarnings("ignore:divide by zero")
@fwdprop_test_factory(
    mygrad_func=_norm,
    true_func=np.linalg.norm,
    num_arrays=1,
    kwargs=_norm_kwargs,
    assumptions=lambda x, **kw: bool(np.all(np.abs(x) > 1e-20)),
    permit_0d_array_as_float=False,
)
def test_norm_fwd() -> None:
    pass


def manual_norm_2(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    return np.sqrt(np.sum(x**2, axis=axis, keepdims=keepdims))


@backprop_test_factory(
    mygrad_func=_norm,
    true_func=manual_norm_2,
    assumptions=lambda x, **kw: x.ndim > 0 and bool(np.all(np.abs(x) > 1e-20)),
    num_arrays=1,
    kwargs=lambda x: st.fixed_dictionaries(
        {"axis": _axis(max(x.ndim, 1), permit_none=False), "ord": st.just(2), "keepdims": st.booleans()}
    ),
    vary_each_element=True,
)
def test_norm_bkwd_ord_2() -> None:
    pass


@pytest.mark.filterwarnings("ignore:divide by zero")
@pytest.mark.parametrize("ord", ORDS)
@SETTINGS
@given(
    x=hnp.arrays(
        shape=hnp.array_shapes(min_dims=1, min_side=0),
        dtype=float,
        elements=st.floats(-1e9, 1e9).filter(lambda x: np.abs(x) > 1e-6),
    ),
    data=st.data(),
)
def test_norm_backward(x: np.ndarray, data: st.DataObject, ord: float) -> None:
    """vector_norm against manual_norm, values and gradients (a 1-d array may take ``axis=None``)."""
    assume(not (np.isinf(ord) and x.size == 0))  # numpy refuses these too
    keepdims = data.draw(st.booleans(), label="keepdims")
    axis = data.draw(_axis(x.ndim, permit_none=x.ndim == 1), label="axis")
    t1, t2 = _tensor(x), _tensor(x)
    reduced = x.size if axis is None else np.prod([x.shape[a] for a in np.atleast_1d(axis)])
    if ord < 0 and reduced == 0:  # MyGrad (NumPy): inf; torch refuses: DIFFERENCES["norm of nothing"]
        with pytest.raises(RuntimeError, match="does not have an identity"):
            _norm(t1, ord=ord, axis=axis, keepdims=keepdims)
        return
    o1 = _norm(t1, ord=ord, axis=axis, keepdims=keepdims)
    o1.sum().backward()
    with np.errstate(all="ignore"):
        o2 = manual_norm(t2, ord=ord, axis=axis, keepdims=keepdims)
        o2.sum().backward()
    assert_allclose(o1.detach().numpy(), o2.detach().numpy())
    assert_allclose(t1.grad.numpy(), t2.grad.numpy(), atol=1e-7, rtol=1e-7)


def test_nan_to_num_behavior() -> None:
    """The 2-norm's gradient at a zero vector: 0 (MyGrad's default nan_to_num=True, and torch's)."""
    x = _tensor([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]])
    _norm(x, axis=1).sum().backward()
    assert_allclose(x.grad.numpy(), [[1 / 14**0.5, 2 / 14**0.5, 3 / 14**0.5], [1.0, 0.0, 0.0]])
    z = _tensor([[0.0, 0.0]])
    _norm(z, axis=1).sum().backward()
    assert_allclose(z.grad.numpy(), [[0.0, 0.0]])
