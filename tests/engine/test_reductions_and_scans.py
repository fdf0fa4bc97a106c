"""prod, cumsum, cumprod, diff, ptp, average and gradient on Tensors: values, first and second
derivatives against torch float64 (zeros, nan, inf, 0-d and empty inputs), every spelling (NumPy's
function, the method, torch's function and argument names), and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close, compare_to_second_order

import autograd as ag
from autograd import Tensor, ops
from autograd.ops.reduction import expand

NAN, INF = np.nan, np.inf
rng = np.random.default_rng(7)
PLAIN = rng.standard_normal((3, 4))
ONE_ZERO = np.array([[1.5, 0.0, -2.0, 0.5], [0.3, 2.0, -1.0, 4.0], [1.0, 1.0, 0.7, -0.2]])
ZEROS = np.array([[0.0, 2.0, 0.0, 3.0], [1.0, 0.0, -2.0, 0.5], [0.0, 0.0, 0.0, 1.5]])
EDGES = np.array([[1.5, NAN, -2.0, 0.5], [INF, 2.0, -1.0, 4.0], [0.0, -INF, 0.7, 0.0]])
INPUTS = {"plain": PLAIN, "one zero": ONE_ZERO, "zeros": ZEROS, "nan, inf": EDGES}
# second derivatives are compared at finite inputs: at ±inf, which of them are nan depends on how
# each library builds its rule's graph (torch's cumprod rule divides on the slices without zeros)
FINITE = {"plain", "one zero", "zeros"}


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize(
    "axis, keep",
    [(None, False), (0, False), (1, True), (-1, False), ((0, 1), False), ((1, 0), True)],
)
def test_prod(name: str, axis: object, keep: bool) -> None:
    def theirs(t: torch.Tensor) -> torch.Tensor:
        if axis is None:
            out = t.prod()
            return out.reshape(1, 1) if keep else out
        if isinstance(axis, tuple):  # torch reduces one dim at a time
            out = t.prod(axis[0], keepdim=True).prod(axis[1], keepdim=True)
            return out if keep else out.reshape(())
        return t.prod(axis, keepdim=keep)

    compare_to_second_order(
        lambda x: np.prod(x, axis=axis, keepdims=keep), theirs, [INPUTS[name]], second=name in FINITE
    )


def test_prod_gradient_with_zeros_is_exact() -> None:
    # one zero: the product of the others at it, 0 elsewhere; two zeros: 0 everywhere
    x = Tensor([2.0, 0.0, 3.0, 5.0], requires_grad=True)
    x.prod().backward()
    assert x.grad.tolist() == [0.0, 30.0, 0.0, 0.0]
    y = Tensor([2.0, 0.0, 3.0, 0.0], requires_grad=True)
    y.prod().backward()
    assert y.grad.tolist() == [0.0, 0.0, 0.0, 0.0]
    # no division: huge factors and a zero give the exact product of the others
    z = Tensor([1e300, 0.0, 1e-300], requires_grad=True)
    z.prod().backward()
    assert z.grad.tolist() == [0.0, 1e300 * 1e-300, 0.0]


@pytest.mark.parametrize("shape", [(), (0,), (2, 0), (0, 3)])
def test_prod_of_0d_and_empty(shape: tuple) -> None:
    x = np.full(shape, 1.5)
    compare_to_second_order(lambda t: t.prod(), lambda t: t.prod(), [x])
    if len(shape) == 2:
        compare_to_second_order(lambda t: t.prod(dim=1), lambda t: t.prod(1), [x])


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumsum_and_cumprod(name: str, axis: int) -> None:
    x, second = INPUTS[name], name in FINITE
    compare_to_second_order(lambda t: np.cumsum(t, axis=axis), lambda t: t.cumsum(axis), [x], second=second)
    compare_to_second_order(lambda t: t.cumprod(dim=axis), lambda t: t.cumprod(axis), [x], second=second)


@pytest.mark.parametrize("name", INPUTS)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_logcumsumexp(name: str, axis: int) -> None:
    x, second = INPUTS[name], name in FINITE
    compare_to_second_order(
        lambda t: t.logcumsumexp(axis), lambda t: t.logcumsumexp(axis), [x], second=second
    )


def test_logcumsumexp_far_apart_at_minus_inf_0d_and_empty() -> None:
    # no shift by the max: -1000 and 1000 in one row, -inf at the start, a whole row of -inf
    x = np.array([[-1000.0, 1000.0, -np.inf, 0.0], [-np.inf, -np.inf, 2.0, -3.0], [-np.inf] * 4])
    compare_to_second_order(
        lambda t: ag.logcumsumexp(t, 1), lambda t: torch.logcumsumexp(t, 1), [x], second=False
    )
    finite = np.array([[-1000.0, 1000.0, 999.0, 0.0], [30.0, -30.0, 2.0, -3.0]])
    compare_to_second_order(lambda t: ag.logcumsumexp(t, dim=1), lambda t: torch.logcumsumexp(t, 1), [finite])
    compare_to_second_order(lambda t: t.logcumsumexp(0), lambda t: t.logcumsumexp(0), [np.array(2.5)])
    compare_to_second_order(lambda t: t.logcumsumexp(1), lambda t: t.logcumsumexp(1), [np.ones((2, 0))])
    with pytest.raises(TypeError, match="dim is required"):
        ag.logcumsumexp(ag.Tensor([1.0]))


def test_cumprod_zeros_along_a_3d_tensor() -> None:
    x = rng.standard_normal((2, 3, 4))
    x[0, 1, 2] = x[1, 0, 0] = x[1, 0, 3] = x[1, 2, 1] = 0.0
    compare_to_second_order(lambda t: ag.cumprod(t, 1), lambda t: torch.cumprod(t, 1), [x])
    compare_to_second_order(lambda t: ag.cumprod(t, dim=-1), lambda t: torch.cumprod(t, -1), [x])


def test_scans_flatten_without_an_axis_as_numpy_and_keep_0d_and_empty() -> None:
    compare_to_second_order(np.cumsum, lambda t: t.reshape(-1).cumsum(0), [PLAIN])
    compare_to_second_order(np.cumprod, lambda t: t.reshape(-1).cumprod(0), [ONE_ZERO])
    compare_to_second_order(lambda t: t.cumprod(0), lambda t: t.cumprod(0), [np.array(2.5)])
    compare_to_second_order(lambda t: t.cumsum(1), lambda t: t.cumsum(1), [np.ones((2, 0))])
    compare_to_second_order(lambda t: t.cumprod(0), lambda t: t.cumprod(0), [np.ones((0, 2))])


@pytest.mark.parametrize("n, axis", [(1, -1), (2, 0), (3, 1), (0, 1)])
def test_diff(n: int, axis: int) -> None:
    x = np.array([[1.0, 4.0, NAN, 2.0, 8.0], [INF, 0.5, 2.0, -1.0, 3.0], [0.0, 1.0, 1.0, 5.0, -2.0]])
    compare_to_second_order(lambda t: np.diff(t, n=n, axis=axis), lambda t: torch.diff(t, n, axis), [x])
    compare_to_second_order(lambda t: t.diff(n, dim=axis), lambda t: t.diff(n, dim=axis), [x])


def test_diff_with_prepend_and_append() -> None:
    x, before, after = rng.standard_normal((2, 3)), rng.standard_normal((2, 1)), rng.standard_normal((2, 2))
    compare_to_second_order(
        lambda t, b, a: np.diff(t, prepend=b, append=a),
        lambda t, b, a: torch.diff(t, prepend=b, append=a),
        [x, before, after],
    )
    # a number is spread along the other axes (NumPy); torch takes tensors only
    compare_to_second_order(
        lambda t: np.diff(t, axis=0, prepend=1.5),
        lambda t: torch.diff(t, dim=0, prepend=torch.full((1, 3), 1.5)),
        [x],
    )


def test_ptp_is_max_minus_min_with_ties_split() -> None:
    x = np.array([[1.0, 3.0, 3.0], [-2.0, -2.0, 0.5]])
    compare_to_second_order(lambda t: np.ptp(t, axis=1), lambda t: t.amax(1) - t.amin(1), [x])
    compare_to_second_order(lambda t: ag.reductions.ptp(t), lambda t: t.amax() - t.amin(), [x])


def test_average_with_weights_returned_and_keepdims() -> None:
    x, w = rng.standard_normal((3, 4)), rng.random(4) + 0.5
    compare_to_second_order(
        lambda t, v: np.average(t, axis=1, weights=v), lambda t, v: (t * v).sum(1) / v.sum(), [x, w]
    )
    w2 = rng.random((3, 4)) + 0.5
    compare_to_second_order(
        lambda t, v: np.average(t, weights=v), lambda t, v: (t * v).sum() / v.sum(), [x, w2]
    )
    compare_to_second_order(lambda t: np.average(t, axis=0), lambda t: t.mean(0), [x])
    avg, total = np.average(Tensor(x), axis=1, weights=w, returned=True, keepdims=True)
    close(avg.data, np.average(x, axis=1, weights=w, keepdims=True))
    close(total.data, np.average(x, axis=1, weights=w, returned=True, keepdims=True)[1])
    assert total.shape == avg.shape == (3, 1)
    _, count = np.average(Tensor(x), axis=0, returned=True)
    close(count.data, np.average(x, axis=0, returned=True)[1])


@pytest.mark.parametrize("shape, axis", [((6,), None), ((5, 5), None), ((5, 5, 4), 1), ((4, 5), (0, -1))])
def test_gradient_against_torch(shape: tuple, axis: object) -> None:
    x = rng.standard_normal(shape)

    def ours(t: Tensor) -> Tensor:
        parts = np.gradient(t, axis=axis)
        return parts if isinstance(parts, Tensor) else ag.stack(list(parts))

    def theirs(t: torch.Tensor) -> torch.Tensor:
        dims = list(range(t.ndim)) if axis is None else [axis] if isinstance(axis, int) else list(axis)
        parts = torch.gradient(t, dim=dims)
        return parts[0] if len(parts) == 1 else torch.stack(parts)

    compare_to_second_order(ours, theirs, [x])


def test_gradient_spacing_and_edge_order_as_numpy() -> None:
    x = rng.standard_normal((5, 4))
    for args, kwargs in [
        ((0.5,), {}),
        ((0.5, 2.0), {}),
        ((), {"edge_order": 2}),
        ((3.0,), {"axis": 1, "edge_order": 2}),
    ]:
        got = np.gradient(Tensor(x), *args, **kwargs)
        want = np.gradient(x, *args, **kwargs)
        for g, w in zip(
            got if isinstance(got, tuple) else [got], want if isinstance(want, tuple) else [want]
        ):
            close(g.data, w, rtol=1e-13, atol=1e-13)
    parts = ag.gradient(Tensor(x), spacing=2.0, dim=0, edge_order=2)
    assert isinstance(parts, tuple) and len(parts) == 1
    close(parts[0].data, torch.gradient(torch.tensor(x), spacing=2.0, dim=0, edge_order=2)[0])


def test_every_spelling() -> None:
    t = Tensor(PLAIN, requires_grad=True)
    for a, b in [
        (np.prod(t, 1), t.prod(1)),
        (t.prod(dim=1, keepdim=True), ag.prod(t, axis=1, keepdims=True)),
        (np.cumsum(t, 0), ag.cumsum(t, dim=0)),
        (np.cumprod(t, axis=1), t.cumprod(1)),
        (np.diff(t, 2, 0), ag.diff(t, n=2, dim=0)),
    ]:
        assert isinstance(a, Tensor) and a.requires_grad
        close(a.data, b.data)
    close(ag.prod(PLAIN, 0).data, np.prod(PLAIN, 0))  # plain arrays: constants


def test_bad_input_names_the_function_and_argument() -> None:
    t = Tensor(PLAIN, requires_grad=True)
    with pytest.raises(ValueError, match=r"prod: axis 2 is out of range"):
        t.prod(2)
    with pytest.raises(TypeError, match=r"prod: got both axis=0 and dim=1"):
        ag.prod(t, 0, dim=1)
    with pytest.raises(TypeError, match=r"numpy\.prod on a Tensor: the option initial=2"):
        np.prod(t, initial=2.0)
    with pytest.raises(TypeError, match=r"cumsum: axis \(dim\) must be an int or None, got \(0, 1\)"):
        t.cumsum((0, 1))
    with pytest.raises(ValueError, match=r"diff: n \(the order\) must be an int >= 0, got -1"):
        np.diff(t, -1)
    with pytest.raises(ValueError, match=r"diff: expected a tensor of at least 1 dimension, got a 0-d one"):
        Tensor(1.0).diff()
    with pytest.raises(ZeroDivisionError, match=r"average: the weights sum to 0"):
        np.average(t, axis=1, weights=[1.0, -1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"average: weights of a shape other than a's \(3, 4\) must be 1-d"):
        np.average(t, axis=1, weights=[1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"numpy.gradient: axis 0 has 1 element\(s\); a gradient of edge_order 1"
    ):
        np.gradient(Tensor([1.0]))
    with pytest.raises(TypeError, match=r"numpy.gradient: spacings must be numbers"):
        np.gradient(t, np.arange(3.0), np.arange(4.0))


def test_these_checks_catch_a_wrong_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # prod's gradient as g·out/a everywhere: right without zeros, 0/0 = nan at a zero
    def wrong(ns: object, g: object, out: object, a: object, axis: object, keepdims: bool) -> object:
        return expand(ns, g, a.shape, axis, keepdims) * (expand(ns, out, a.shape, axis, keepdims) / a)

    monkeypatch.setattr(ops.PROD, "vjps", (wrong,))
    compare_to_second_order(lambda x: x.prod(1), lambda t: t.prod(1), [PLAIN])
    with pytest.raises(AssertionError, match="gradient 0"):
        compare_to_second_order(lambda x: x.prod(1), lambda t: t.prod(1), [ONE_ZERO])
    # cumsum's VJP without its reversal: right numbers only for one element
    monkeypatch.setattr(ops.CUMSUM, "vjps", (lambda ns, g, out, a, axis, reverse: g,))
    with pytest.raises(AssertionError, match="gradient 0"):
        compare_to_second_order(lambda x: x.cumsum(1), lambda t: t.cumsum(1), [PLAIN])


def test_cumprod_gradient_at_a_zero_beside_inf_is_torchs_create_graph_rule() -> None:
    # Σ_j g_j ∏_{i≠k} a_i with 0·inf = nan as written; torch's first-order shortcut drops the terms
    # after the first zero and divides before it (a listed difference of the fuzzer)
    a, g = np.array([2.0, -INF, 0.0]), np.array([-1.5, -1.5, -1.5])
    x = Tensor(a, requires_grad=True)
    x.cumprod(0).backward(g)
    t = torch.tensor(a, requires_grad=True)
    (exact,) = torch.autograd.grad(t.cumprod(0), t, torch.tensor(g), create_graph=True)
    (shortcut,) = torch.autograd.grad(t.cumprod(0), t, torch.tensor(g))
    close(x.grad, exact)
    assert np.isnan(x.grad[0]) and x.grad[1] == -3.0 and x.grad[2] == INF
    assert shortcut[0].item() == INF and np.isnan(shortcut[1].item()) and shortcut[2].item() == INF
    # a subnormal factor: the products stay finite where dividing by it overflows
    b = np.array([1e-310, 2.0, 0.0])
    y = Tensor(b, requires_grad=True)
    y.cumprod(0).backward(np.ones(3))
    assert y.grad.tolist() == [3.0, 1e-310, 2e-310]
