"""torch's everyday Tensor members and functions added in autograd/tensor_members.py and
autograd/in_place_math.py, run the torch way on both libraries: values (nan, ±inf, -0.0, 0-d and
empty inputs), dtypes, first- and second-order gradients, the in-place rules, and the errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from side_by_side import check, grads

import autograd

X = [[0.5, -1.25, 2.0], [3.0, 0.0, -0.75]]
Y = [[1.5, 0.25, -2.0], [-1.0, 2.5, 0.5]]
P = [[0.5, 0.25, 0.75], [0.125, 0.9, 0.375]]  # in (0, 1): logit
SPECIAL = [0.0, -0.0, 1.5, -2.0, np.nan, -np.nan, np.inf, -np.inf]
M = [[1.0, -2.0, 0.5], [0.25, 3.0, -1.0]]  # 2×3
N = [[0.5, 1.5], [-1.0, 2.0], [0.75, -0.25]]  # 3×2
B1 = (np.arange(24.0).reshape(2, 3, 4) / 5 - 2).tolist()
B2 = (np.arange(16.0).reshape(2, 4, 2) / 3 - 2.5).tolist()


def orders(f: Any, *datas: Any) -> Any:
    """A snippet giving ``f``'s value, its gradient (weights 0.5..1.5) and the gradient of that
    gradient's weighted sum (second order), for leaves of ``datas``."""

    def snippet(torch: Any) -> Any:
        xs = [torch.tensor(d, requires_grad=True) for d in datas]
        out = f(torch, *xs)
        w = torch.linspace(0.5, 1.5, out.numel()).reshape(out.shape)
        firsts = torch.autograd.grad((out * w).sum(), xs, create_graph=True, allow_unused=True)
        firsts = [torch.zeros_like(x) if g is None else g for x, g in zip(xs, firsts)]
        used = [g for g in firsts if g.requires_grad]  # (a constant gradient: second order 0)
        seconds = [None] * len(xs)
        if used:
            seconds = torch.autograd.grad(
                sum((g * g).sum() for g in used), xs, create_graph=True, allow_unused=True
            )
        # (zeros_like + s: torch's zero gradients may be a ZeroTensor, which numpy cannot read)
        seconds = [
            torch.zeros_like(x) if s is None else torch.zeros_like(x) + s.detach()
            for x, s in zip(xs, seconds)
        ]
        return out.detach(), [g.detach() for g in firsts], seconds

    return snippet


# -- the elementwise tests and the comparisons
@pytest.mark.parametrize("name", ["isnan", "isinf", "isfinite", "isposinf", "isneginf", "signbit", "isreal"])
@pytest.mark.parametrize("data", [SPECIAL, [[1, -2], [0, 3]], [True, False], 2.5, -0.0, []])
def test_elementwise_tests_as_torch(name: str, data: Any) -> None:
    check(lambda t: (getattr(t.tensor(data), name)(), getattr(t, name)(t.tensor(data))))


COMPARISONS = [
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "greater",
    "less",
    "greater_equal",
    "less_equal",
    "not_equal",
]


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparisons_by_name_as_torch(name: str) -> None:
    def snippet(t: Any) -> Any:
        x, y = t.tensor(SPECIAL), t.tensor([1.5, -0.0, 1.5, 3.0, np.nan, 0.0, np.inf, 2.0])
        col = t.tensor([[1.5], [np.nan]])
        return (
            getattr(x, name)(y),
            getattr(t, name)(x, y),
            getattr(x, name)(1.5),
            getattr(x, name)(col),
            getattr(t.tensor([1, 2, 3]), name)(2),
            getattr(t.tensor(2.0), name)(t.tensor([])),
        )

    check(snippet)


# -- the products with an added term (values, gradients, second order)
PRODUCTS = {
    "addmm": (lambda t, c, a, b: c.addmm(a, b), ([[1.0, 2.0], [-1.0, 0.5]], M, N)),
    "addmm beta alpha": (lambda t, c, a, b: t.addmm(c, a, b, beta=0.5, alpha=-2.0), ([0.25, -1.0], M, N)),
    "addmv": (lambda t, c, a, v: c.addmv(a, v), ([1.0, -2.0], M, [0.5, -1.0, 2.0])),
    "addmv beta alpha": (
        lambda t, c, a, v: t.addmv(c, a, v, beta=3.0, alpha=0.5),
        ([1.0, -2.0], M, [0.5, -1.0, 2.0]),
    ),
    "addr": (lambda t, c, u, v: c.addr(u, v), (M, [1.0, -0.5], [2.0, 0.25, -3.0])),
    "addr beta alpha": (
        lambda t, c, u, v: t.addr(c, u, v, beta=-1.0, alpha=2.5),
        ([1.0, 2.0, 3.0], [1.0, -0.5], [2.0, 0.25, -3.0]),
    ),
    "baddbmm": (lambda t, c, a, b: c.baddbmm(a, b, beta=0.5, alpha=2.0), ([[1.0, -1.0]], B1, B2)),
    "addbmm": (lambda t, c, a, b: c.addbmm(a, b, alpha=-0.5), ([[1.0, -1.0]], B1, B2)),
    "bmm": (lambda t, a, b: a.bmm(b), (B1, B2)),
    "mv": (lambda t, a, v: a.mv(v), (M, [0.5, -1.0, 2.0])),
    "ger": (lambda t, u, v: u.ger(v) * t.ger(u, v), ([1.0, -0.5], [2.0, 0.25, -3.0])),
    "chain_matmul": (lambda t, a, b, c: t.chain_matmul(a, b, c), (M, N, [[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])),
    "chain_matmul one": (lambda t, a: t.chain_matmul(a) * a, (M,)),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_products_with_an_added_term_as_torch(name: str) -> None:
    f, datas = PRODUCTS[name]
    check(orders(f, *datas), rtol=1e-13, atol=1e-13)


def test_beta_zero_ignores_the_added_term_nan_too() -> None:
    def snippet(t: Any) -> Any:
        nan = t.full((2,), float("nan"))
        nan2 = t.full((2, 2), float("nan"))
        a, v = t.tensor(M), t.tensor([0.5, -1.0, 2.0])
        return (
            nan.addmv(a, v, beta=0),
            nan2.addr(t.tensor([1.0, 2.0]), t.tensor([3.0, 4.0]), beta=0),
            nan2.addmm(a, t.tensor(N), beta=0),
            t.baddbmm(t.full((2, 3, 2), float("nan")), t.tensor(B1), t.tensor(B2), beta=0),
            t.addbmm(nan2.reshape(2, 2), t.tensor(B1)[:, :2], t.tensor(B2), beta=0),
        )

    check(snippet, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.tensor([1.0, 2.0]).addmv(t.tensor([1.0, 2.0]), t.tensor([1.0, 2.0])),
        lambda t: t.tensor([[1.0]]).addr(t.tensor([[1.0]]), t.tensor([1.0])),
        lambda t: t.ger(t.tensor([[1.0]]), t.tensor([1.0])),
        lambda t: t.chain_matmul(t.tensor([1.0, 2.0]), t.tensor([[1.0], [2.0]])),
        lambda t: t.tensor(M).baddbmm(t.tensor(M), t.tensor(N)),
    ],
)
def test_products_refuse_the_wrong_dimensions(call: Any) -> None:
    with pytest.raises((RuntimeError, IndexError)):
        call(torch)
    with pytest.raises(RuntimeError, match="expected"):
        call(autograd)


# -- elementwise ops as members (values to the bit, gradients, second order)
ELEMENTWISE = {
    "rsqrt": (lambda t, x: x.abs().rsqrt(), (X,)),
    "rsqrt of specials": (lambda t, x: x.rsqrt(), (SPECIAL,)),
    "sgn": (lambda t, x: x.sgn() * x, (X,)),
    "float_power": (lambda t, x: x.float_power(3), (X,)),
    "float_power tensor": (lambda t, x, y: x.float_power(y), (P, Y)),
    "hardshrink": (lambda t, x: x.hardshrink() * x, ([[0.5, -0.5, 0.75], [-2.0, 0.0, 0.25]],)),
    "hardshrink lambd": (lambda t, x: t.hardshrink(x, 1.0), ([0.0, -0.0, 1.5, -2.0, np.inf, -np.inf],)),
    "lerp": (lambda t, x, y: x.lerp(y, 0.3) + x.lerp(y, 0.7), (X, Y)),
    "lerp tensor weight": (lambda t, x, y: x.lerp(y, y * 0.25), (X, Y)),
    "logit": (lambda t, p: p.logit(), (P,)),
    "logit eps": (lambda t, p: p.logit(0.2), (P,)),
    "xlogy": (lambda t, x, y: x.xlogy(y.abs() + 0.5), (X, Y)),
    "frac": (lambda t, x: x.frac() * x, (X,)),
    "addcmul": (lambda t, x, y, z: x.addcmul(y, z, value=0.5), (X, Y, P)),
    "addcdiv": (lambda t, x, y, z: x.addcdiv(y, z, value=-2.0), (X, Y, P)),
    "dist": (lambda t, x, y: x.dist(y, 3), (X, Y)),
    "renorm": (lambda t, x: x.renorm(2, 0, 2.5), (X,)),
    "renorm p1 dim1": (lambda t, x: x.renorm(1, 1, 1.0), (X,)),
    "renorm 3-d": (lambda t, x: t.renorm(x, 3, -1, 1.5), (B1,)),
    "diagflat": (lambda t, x: x.diagflat(1) * t.diagflat(x, -1).sum(), (X,)),
    "take": (lambda t, x: x.take(t.tensor([[0, -1], [4, 4]])) ** 2, (X,)),
    "sum_to_size": (lambda t, x: (x * x).sum_to_size(1, 3), (X,)),
    "sum_to_size lead": (lambda t, x: (x * x).sum_to_size(3), (X,)),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_members_values_and_gradients_as_torch(name: str) -> None:
    f, datas = ELEMENTWISE[name]
    check(orders(f, *datas), rtol=1e-13, atol=1e-14)


def test_values_to_the_bit_in_float32_and_float64() -> None:
    rng = np.random.default_rng(5)
    for dtype in (np.float32, np.float64):
        x = np.concatenate([rng.uniform(-3, 3, 2000), SPECIAL, [1e-30, 1e30]]).astype(dtype)
        y = rng.uniform(-3, 3, x.size).astype(dtype)
        for f in (
            lambda t, a, b: a.abs().rsqrt(),
            lambda t, a, b: a.sgn(),
            lambda t, a, b: a.hardshrink(0.75),
            lambda t, a, b: a.frac(),
            lambda t, a, b: a.float_power(2),
        ):
            ours = f(autograd, autograd.tensor(x), autograd.tensor(y)).data
            theirs = f(torch, torch.tensor(x), torch.tensor(y)).numpy()
            assert ours.dtype == theirs.dtype
            np.testing.assert_array_equal(ours.view(np.uint8), theirs.view(np.uint8))
        # torch's lerp is one fused multiply-add, here a product and a sum: a few ulp of the ends apart
        for w in (0.3, 0.7, y / 3):
            ours = autograd.tensor(x).lerp(autograd.tensor(y), autograd.tensor(w) if np.ndim(w) else w).data
            theirs = torch.tensor(x).lerp(torch.tensor(y), torch.tensor(w) if np.ndim(w) else w).numpy()
            fine = np.isfinite(x)
            scale = np.maximum(1, np.maximum(np.abs(x), np.abs(y)))[fine]
            assert (np.abs(ours[fine] - theirs[fine]) <= 8 * np.finfo(dtype).eps * scale).all()
            np.testing.assert_array_equal(ours[~fine], theirs[~fine])


def test_float_power_is_float64_with_a_float32_gradient() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor([1.5, -2.0], dtype=t.float32, requires_grad=True)
        y = x.float_power(2)
        y.sum().backward()
        return y, x.grad, t.float_power(t.tensor([2, 3]), 2), t.tensor([2, 3]).float_power(0.5)

    check(snippet, rtol=1e-7)


# -- questions about a tensor
def test_questions_about_a_tensor_as_torch() -> None:
    def snippet(t: Any) -> Any:
        out = []
        for x in (
            t.tensor(X),
            t.tensor(X, dtype=t.float32),
            t.tensor([1, 2]),
            t.tensor([True]),
            t.tensor(2.0),
        ):
            out += [
                x.is_floating_point(),
                t.is_floating_point(x),
                x.is_complex(),
                x.is_signed(),
                t.is_signed(x),
            ]
            out += [x.nelement(), x.ndimension(), x.element_size(), x.itemsize, x.nbytes, x.stride()]
            out += [x.is_same_size(t.ones(2, 3)), t.is_same_size(x, x), x.storage_offset()]
        x = t.arange(24.0).reshape(2, 3, 4)
        out += [x.stride(), x.stride(1), x.stride(-1), x.transpose(0, 2).stride(), x[:, 1:].stride()]
        out += [x[1, 1:].storage_offset(), x[:, :, 2:].storage_offset()]
        out += [
            t.tensor([1.0]).expand(3, 2).stride(),
            t.tensor([1.0]).expand(3, 2).nbytes,
            x.permute(2, 0, 1).stride(),
        ]
        out += [t.tensor([3.0]).is_nonzero(), t.tensor(0.0).is_nonzero(), t.is_nonzero(t.tensor([[-0.0]]))]
        return out

    check(snippet)


@pytest.mark.parametrize("data", [[], [1.0, 2.0]])
def test_is_nonzero_refuses_no_element_or_many(data: Any) -> None:
    for t in (torch, autograd):
        with pytest.raises(RuntimeError, match="ambiguous"):
            t.tensor(data).is_nonzero()


def test_stride_dim_out_of_range_and_sum_to_size_refused() -> None:
    for t in (torch, autograd):
        with pytest.raises(IndexError):
            t.ones(2, 3).stride(2)
        with pytest.raises(RuntimeError, match="is not expandable to size"):
            t.ones(2, 3).sum_to_size(2, 2)
        with pytest.raises(RuntimeError, match="is not expandable to size"):
            t.ones(3).sum_to_size(2, 3)


# -- shapes and counts
def test_split_with_sizes_unique_consecutive_and_histogram_as_torch() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor([1.0, 1.0, 2.0, np.nan, np.nan, 2.0, 2.0, -0.0, 0.0])
        rows = t.tensor([[1, 2], [1, 2], [3, 4], [1, 2]])
        h = t.tensor([0.5, 1.0, 2.5, 2.5, 3.75, -1.0, 4.0])
        return (
            t.tensor(M).split_with_sizes([1, 2], 1),
            t.split_with_sizes(t.tensor(N), [2, 0, 1]),
            x.unique_consecutive(),
            t.unique_consecutive(x, return_inverse=True, return_counts=True),
            rows.unique_consecutive(dim=0, return_counts=True, return_inverse=True),
            rows.t().unique_consecutive(dim=1),
            t.tensor([]).unique_consecutive(return_counts=True),
            t.tensor(3.0).unique_consecutive(return_inverse=True),
            h.histogram(4),
            t.histogram(h, 3, range=(0.0, 3.0)),
            h.histogram(t.tensor([0.0, 1.0, 2.5, 4.0])),
            h.histogram(5, weight=t.linspace(0.0, 1.0, 7), density=True),
            t.tensor([2.0, 2.0]).histogram(2),
        )

    check(snippet)


def test_split_with_sizes_that_do_not_add_up_is_refused() -> None:
    with pytest.raises(RuntimeError):
        torch.ones(3).split_with_sizes([1, 1])
    with pytest.raises(ValueError, match="add up"):
        autograd.ones(3).split_with_sizes([1, 1])
    with pytest.raises(TypeError, match="split_sizes"):
        autograd.ones(3).split_with_sizes(1)


# -- in place
IN_PLACE = {
    "abs_": (X, ()),
    "neg_": (X, ()),
    "sgn_": (SPECIAL, ()),
    "exp_": (X, ()),
    "expm1_": (X, ()),
    "log_": (P, ()),
    "log1p_": (P, ()),
    "sqrt_": (P, ()),
    "rsqrt_": (SPECIAL, ()),
    "reciprocal_": (SPECIAL, ()),
    "square_": (X, ()),
    "sin_": (X, ()),
    "cos_": (X, ()),
    "tan_": (X, ()),
    "sinh_": (X, ()),
    "atan_": (X, ()),
    "asin_": (P, ()),
    "erf_": (X, ()),
    "erfinv_": (P, ()),
    "lgamma_": (P, ()),
    "digamma_": (P, ()),
    "sigmoid_": (X, ()),
    "round_": ([0.5, 1.5, 2.5, -0.5, -1.25], ()),
    "floor_": (X, ()),
    "ceil_": (X, ()),
    "trunc_": (X, ()),
    "frac_": (X, ()),
    "sign_": (SPECIAL, ()),
    "pow_": (X, (2,)),
    "fmod_": (X, (0.75,)),
    "remainder_": (X, (0.75,)),
    "clamp_min_": (X, (0.25,)),
    "clamp_max_": (X, (0.25,)),
    "clip_": (X, (-1.0, 1.0)),
    "nan_to_num_": (SPECIAL, ()),
    "logit_": (P, ()),
    "deg2rad_": (X, ()),
    "eq_": (X, (0.5,)),
    "lt_": (X, (0.5,)),
    "ge_": (SPECIAL, (0.0,)),
    "cumsum_": (X, (1,)),
    "cumprod_": (X, (0,)),
    "tril_": (X, ()),
    "triu_": (X, (1,)),
    "renorm_": (X, (2, 0, 1.5)),
}


@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_variants_write_the_result_into_self(name: str) -> None:
    data, args = IN_PLACE[name]

    def snippet(t: Any) -> Any:
        x = t.tensor(data)
        view = x.view(-1) if x.ndim else x
        out = getattr(x, name)(*args)
        return out is x, x, view, x._version

    check(snippet)


def test_in_place_variants_with_tensor_operands_as_torch() -> None:
    def snippet(t: Any) -> Any:
        x, y, p = t.tensor(X), t.tensor(Y), t.tensor(P)
        x.lerp_(y, 0.3).addcmul_(y, p, value=0.5).addcdiv_(p, y, value=-2.0).masked_fill_(x > 1, -1.0)
        x.pow_(t.tensor([1.0, 2.0, 3.0])).atan2_(y).hypot_(p).copysign_(y).xlogy_(p)
        z = t.tensor([[1.0, 2.0], [-1.0, 0.5]])
        z.addmm_(t.tensor(M), t.tensor(N), beta=0.5).addr_(t.tensor([1.0, 2.0]), t.tensor([0.5, -1.0]))
        v = t.tensor([1.0, 2.0]).addmv_(t.tensor(M), t.tensor([0.5, -1.0, 2.0]), alpha=2.0)
        w = (
            t.tensor(B1)[:, :, :3]
            .clone()
            .baddbmm_(t.tensor(B1)[:, :, :3], t.tensor(B1).transpose(1, 2)[:, :3])
        )
        d = t.tensor([1.0, 2.0]).float_power_(t.tensor([0.5, 3.0]))
        return x, z, v, w, d, t.tensor([3.0, 2.0]).logical_and_(t.tensor([1.0, 0.0]))

    check(snippet, rtol=1e-13)


def test_in_place_writes_through_views_and_counts_versions() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        row = x[1]
        row.exp_()
        x.t().clamp_min_(0.5)
        return x, x._version, row._version

    check(snippet)


def test_in_place_on_a_leaf_that_requires_grad_as_torch() -> None:
    for t in (torch, autograd):
        w = t.tensor(X, requires_grad=True)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            w.exp_()
        with t.no_grad():
            w.mul_(2).sqrt_()  # (nan where negative)
        assert w.requires_grad and w.is_leaf
    y = autograd.tensor(X, requires_grad=True)
    z = y.exp()
    z.sum().backward()
    with autograd.no_grad():
        z.log_()  # (counted: the backward pass that reads z's numbers refuses)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.backward(autograd.ones_like(z))


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda t: t.tensor([1, 2]).exp_(),
            "result type Float can't be cast to the desired output type Long",
        ),
        (
            lambda t: t.tensor([1, 2]).sqrt_(),
            "result type Float can't be cast to the desired output type Long",
        ),
        (
            lambda t: t.tensor([1, 2]).reciprocal_(),
            "result type Float can't be cast to the desired output type Long",
        ),
        (lambda t: t.ones(2).pow_(t.ones(2, 2)), "doesn't match the broadcast shape"),
        (lambda t: t.ones(2).masked_fill_(t.ones(3, 2) > 0, 1.0), "broadcast"),
        (lambda t: t.ones(2, dtype=t.float32).float_power_(2), "float_power_"),
        (lambda t: t.ones(1).expand(3).exp_(), "single memory location"),
    ],
)
def test_in_place_refusals_as_torch(call: Any, message: str) -> None:
    for t in (torch, autograd):
        with pytest.raises(RuntimeError, match=message):
            call(t)


def test_in_place_integer_results_stay_integers() -> None:
    check(lambda t: (t.tensor([-3, 2]).abs_(), t.tensor([-3, 2]).neg_(), t.tensor([-3, 2]).clamp_min_(0)))


def test_shape_methods_in_place_as_torch() -> None:
    def snippet(t: Any) -> Any:
        x = t.arange(6.0).reshape(2, 3)
        out = [x.unsqueeze_(0) is x, x.shape, x.squeeze_() is x, x.shape, x.t_() is x, x.shape]
        out += [x.stride(), x.transpose_(0, 1).shape, x.swapdims_(0, 1).shape, x.swapaxes_(1, 0).shape]
        out += [x.unsqueeze_(-1).shape, x.squeeze_(-1).shape, x, x._version]
        return out

    check(snippet)


def test_shape_methods_in_place_refused_in_a_graph() -> None:
    for t in (torch, autograd):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            t.ones(2, requires_grad=True).unsqueeze_(0)
    with pytest.raises(RuntimeError, match=r"write t = t.unsqueeze\(...\)"):
        (autograd.ones(2, requires_grad=True) * 2).unsqueeze_(0)


@pytest.mark.parametrize(
    "shape, wrap", [((3, 3), False), ((7, 3), True), ((7, 3), False), ((2, 5), True), ((2, 2, 2), False)]
)
def test_fill_diagonal_as_torch(shape: Any, wrap: bool) -> None:
    check(lambda t: t.zeros(shape).fill_diagonal_(2.5, wrap=wrap))
    for t in (torch, autograd):
        with pytest.raises(RuntimeError):
            t.zeros(2, 3, 3).fill_diagonal_(1.0)


def test_top_level_in_place_functions_as_torch() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        out = [
            t.exp_(x) is x,
            t.clamp_(x, 0.0, 5.0) is x,
            t.sqrt_(x),
            t.zero_(t.ones(2)),
            t.fill_(t.ones(2), 3.0),
        ]
        return [*out, t.round_(t.tensor([0.5, 1.5])), t.addmv_(t.ones(2), t.tensor(M), t.ones(3)), x]

    check(snippet)


# -- dtypes
DTYPES = ["float32", "float64", "int64", "bool"]


def test_dtype_questions_as_torch() -> None:
    for name in ("float32", "float64"):
        ours, theirs = autograd.finfo(getattr(autograd, name)), torch.finfo(getattr(torch, name))
        for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
            assert getattr(ours, attr) == getattr(theirs, attr), (name, attr)
    assert autograd.finfo().eps == torch.finfo(torch.float64).eps  # (the default dtype: float64 here)
    ours, theirs = autograd.iinfo(autograd.int64), torch.iinfo(torch.int64)
    assert (ours.bits, ours.max, ours.min) == (theirs.bits, theirs.max, theirs.min)
    for a in DTYPES:
        for b in DTYPES:
            ta, tb = getattr(torch, a), getattr(torch, b)
            assert str(autograd.promote_types(getattr(autograd, a), getattr(autograd, b))) == str(
                torch.promote_types(ta, tb)
            ).replace("torch.", ""), (a, b)
            assert autograd.can_cast(getattr(autograd, a), getattr(autograd, b)) == torch.can_cast(ta, tb), (
                a,
                b,
            )
    for t in (torch, autograd):
        with pytest.raises(TypeError):
            t.finfo(t.int64)
        with pytest.raises(TypeError):
            t.iinfo(t.float32)


@pytest.mark.parametrize(
    "make",
    [
        lambda t: (t.tensor([1, 2]), 2.5),
        lambda t: (t.tensor([1.0], dtype=t.float32), 2.5),
        lambda t: (t.tensor([1.0], dtype=t.float32), t.tensor(2.0)),
        lambda t: (t.tensor([1, 2]), t.tensor(2.0, dtype=t.float32)),
        lambda t: (t.tensor([True]), 3),
        lambda t: (t.tensor(True), t.tensor([1])),
        lambda t: (t.tensor([1.0], dtype=t.float32), t.tensor([1.0])),
        lambda t: (2, t.tensor([True])),
        lambda t: (t.tensor(1), True),
    ],
)
def test_result_type_as_torch(make: Any) -> None:
    check(lambda t: t.result_type(*make(t)))


# -- broadcasting and the small utilities
def test_broadcasting_and_small_utilities_as_torch() -> None:
    def snippet(t: Any) -> Any:
        a = t.tensor([[1.0], [2.0]], requires_grad=True)
        b = t.tensor([3.0, -1.0, 0.5], requires_grad=True)
        p, q = t.broadcast_tensors(a, b)
        (p * q * t.arange(6.0).reshape(2, 3)).sum().backward()
        r = t.rsub(b, 5.0, alpha=2)
        c = t.combinations(b, 2) * t.combinations(b, 3, with_replacement=True).sum()
        (r.sum() + c.sum()).backward()
        return (
            p, q, a.grad, b.grad, r, c, t.broadcast_shapes((2, 1), (3,), 1), t.broadcast_shapes(),
            t.scalar_tensor(3), t.scalar_tensor(True, dtype=t.int64), t.range(1, 4), t.range(0, 1, 0.25),
            t.range(4, 1, -1.5), t.unravel_index(t.tensor([4, 1, 6, -1, 7]), (2, 3)),
            t.unravel_index(t.tensor(5), t.Size([2, 3])),
            t.combinations(t.tensor([1, 2, 3]), 1), t.combinations(t.tensor([1.0, 2.0]), 3).shape,
            t.combinations(t.tensor([1.0, 2.0]), 0),
        )  # fmt: skip

    check(snippet)


def test_small_utilities_refuse_as_torch() -> None:
    for t in (torch, autograd):
        with pytest.raises(RuntimeError, match="[Ss]hape mismatch|broadcast"):
            t.broadcast_shapes((2,), (3,))
        with pytest.raises(TypeError):
            t.unravel_index(t.tensor([1.5]), (2, 3))
        with pytest.raises(RuntimeError):
            t.combinations(t.ones(2, 2))
    assert autograd.typename(autograd.ones(2)) == "autograd.DoubleTensor"
    assert autograd.typename(1) == torch.typename(1) == "int"
    assert autograd.typename(autograd.nn.Linear(1, 1)) == f"{autograd.nn.Linear.__module__}.Linear"


def test_settings_are_kept_and_printing_follows_them() -> None:
    threads = autograd.get_num_threads()
    try:
        autograd.set_num_threads(3)
        autograd.set_num_interop_threads(2)
        autograd.use_deterministic_algorithms(True, warn_only=True)
        autograd.set_float32_matmul_precision("high")
        assert (autograd.get_num_threads(), autograd.get_num_interop_threads()) == (3, 2)
        assert autograd.are_deterministic_algorithms_enabled()
        assert autograd.is_deterministic_algorithms_warn_only_enabled()
        assert autograd.get_float32_matmul_precision() == "high"
        autograd.set_printoptions(precision=2)
        assert repr(autograd.tensor([1.23456])) == "Tensor([1.23], dtype=float64)"
        autograd.set_printoptions(threshold=5, edgeitems=1)
        assert "..." in repr(autograd.arange(10.0))
        autograd.set_printoptions(sci_mode=True)
        assert "e+" in repr(autograd.tensor([1.5]))
    finally:
        autograd.set_printoptions(profile="default")
        autograd.set_num_threads(threads)
        autograd.use_deterministic_algorithms(False)
        autograd.set_float32_matmul_precision("highest")
    assert repr(autograd.tensor([1.23456])) == "Tensor([1.2346], dtype=float64)"
    for t in (torch, autograd):
        with pytest.raises(RuntimeError):
            t.set_num_threads(0)
    with pytest.raises(RuntimeError, match="Invalid precision"):
        autograd.set_float32_matmul_precision("low")


# -- the trapezoidal rule
YT = (np.arange(15.0).reshape(3, 5) ** 1.5 / 7 - 1).tolist()
XS = [0.0, 0.5, 1.25, 3.0, 3.5]


@pytest.mark.parametrize("name", ["trapezoid", "trapz", "cumulative_trapezoid"])
@pytest.mark.parametrize(
    "form",
    [
        lambda f, t, y, x: f(y),
        lambda f, t, y, x: f(y, dx=0.3),
        lambda f, t, y, x: f(y, dim=0),
        lambda f, t, y, x: f(y, x),
        lambda f, t, y, x: f(y, x.reshape(1, 5) * t.tensor([[1.0], [2.0], [0.5]])),
        lambda f, t, y, x: f(y[:, :1]),
    ],
)
def test_trapezoidal_rule_as_torch(name: str, form: Any) -> None:
    check(orders(lambda t, y, x: form(getattr(t, name), t, y, x), YT, XS), rtol=1e-13, atol=1e-14)


def test_cumulative_trapezoid_to_the_bit() -> None:
    # (trapezoid's sums are the engine's sum, whose order is not torch's: a few ulp apart)
    rng = np.random.default_rng(3)
    y, x = rng.normal(size=(6, 4)), np.sort(rng.normal(size=6))
    for f in (
        lambda t, y, x: t.cumulative_trapezoid(y, dim=0),
        lambda t, y, x: t.cumulative_trapezoid(y, dx=0.3, dim=0),
        lambda t, y, x: t.cumulative_trapezoid(y, x, dim=0),
        lambda t, y, x: t.cumulative_trapezoid(y.T, dx=0.7),
    ):
        ours = f(autograd, autograd.tensor(y), autograd.tensor(x)).data
        theirs = f(torch, torch.tensor(y), torch.tensor(x)).numpy()
        np.testing.assert_array_equal(ours.view(np.uint64), theirs.view(np.uint64))


def test_sgn_of_integers_as_torch() -> None:
    check(lambda t: (t.tensor([-2, 0, 3]).sgn(), t.sgn(t.tensor([[-1, 5]])), t.tensor([-2, 0, 3]).sgn_()))


def test_trapezoidal_rule_of_no_samples_as_torch() -> None:
    def snippet(t: Any) -> Any:
        y = t.ones(3, 0, requires_grad=True)
        return t.trapezoid(y), t.trapz(y, dx=2.0), t.cumulative_trapezoid(y), t.trapezoid(t.ones(0, 2), dim=0)

    check(snippet)


# -- windows
@pytest.mark.parametrize(
    "name", ["hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"]
)
@pytest.mark.parametrize("n", [0, 1, 2, 5, 16, 33])
@pytest.mark.parametrize("periodic", [True, False])
def test_windows_as_torch(name: str, n: int, periodic: bool) -> None:
    ours = getattr(autograd, name)(n, periodic, dtype=autograd.float64).data
    theirs = getattr(torch, name)(n, periodic, dtype=torch.float64).numpy()
    if name == "kaiser_window":  # (i0's numbers here are not torch's to the bit)
        np.testing.assert_allclose(ours, theirs, rtol=1e-14, atol=1e-15)
    else:
        np.testing.assert_array_equal(ours.view(np.uint64), theirs.view(np.uint64))  # bits
    ours = getattr(autograd, name)(n, periodic, dtype=autograd.float32).data
    theirs = getattr(torch, name)(n, periodic).numpy()
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=2e-7)


def test_windows_refuse_as_torch() -> None:
    for t in (torch, autograd):
        with pytest.raises(RuntimeError):
            t.hann_window(-1)
        with pytest.raises(RuntimeError):
            t.hann_window(4, dtype=t.int64)
    w = autograd.hann_window(4, requires_grad=True)
    assert w.requires_grad and w.is_leaf and w.dtype == autograd.float64


# -- torch's top-level forms of nn.functional's functions
def _PM(t: Any) -> Any:  # noqa: N802 (pair labels)
    return t.tensor([[1.0, -1.0, 1.0], [-1.0, 1.0, 1.0]])


def _kl_div(t: Any, logp: Any, x: Any) -> Any:
    return (
        t.kl_div(logp, logp.exp()) + t.kl_div(logp, x.sigmoid(), 1) + t.kl_div(logp, logp, 2, log_target=True)
    )


FUNCTIONAL = {
    "dropout off": lambda t, x: t.dropout(x, 0.5, False) + t.dropout(x, 0.0, True),
    "alpha_dropout off": lambda t, x: t.alpha_dropout(x, 0.5, False) * t.feature_alpha_dropout(x, 0.5, False),
    "embedding": lambda t, x: t.embedding(x, t.tensor([[1, 0], [1, 1]])) * 2,
    "embedding padding": lambda t, x: t.embedding(x, t.tensor([1, 0, 1]), 1),
    "batch_norm": lambda t, x: t.batch_norm(
        x, x[0] * 0 + 2, x[1], t.zeros(3), t.ones(3), True, 0.1, 1e-5, False
    ),
    "batch_norm eval": lambda t, x: t.batch_norm(
        x, None, None, t.ones(3) * 0.5, t.ones(3) * 2, False, 0.1, 1e-5, True
    ),
    "instance_norm": lambda t, x: t.instance_norm(
        x.reshape(1, 2, 3), None, None, None, None, True, 0.1, 1e-5, False
    ),
    "layer_norm": lambda t, x: t.layer_norm(x, (3,), x[0], None, 1e-5, True),
    "group_norm": lambda t, x: t.group_norm(x.reshape(1, 2, 3), 2, None, None, 1e-5, True),
    "rms_norm": lambda t, x: t.rms_norm(x, (3,)),
    "adaptive_max_pool1d": lambda t, x: t.adaptive_max_pool1d(x.reshape(1, 2, 3), 2)[0] * 3,
    "max_pool1d_with_indices": lambda t, x: t.max_pool1d_with_indices(x.reshape(1, 2, 3), 2, 1)[0],
    "max_pool1d": lambda t, x: t.max_pool1d(x.reshape(1, 2, 3), 2),
    "avg_pool1d": lambda t, x: t.avg_pool1d(x.reshape(1, 2, 3), 2, 1),
    "adaptive_avg_pool1d": lambda t, x: t.adaptive_avg_pool1d(x.reshape(1, 2, 3), 2),
    "conv1d": lambda t, x: t.conv1d(x.reshape(1, 2, 3), x.reshape(3, 2, 1)),
    "conv2d": lambda t, x: t.conv2d(x.reshape(1, 1, 2, 3), x.reshape(1, 1, 2, 3)[..., :2], padding=1),
    "conv_transpose1d": lambda t, x: t.conv_transpose1d(x.reshape(1, 2, 3), x.reshape(2, 3, 1)),
    "cosine_similarity": lambda t, x: t.cosine_similarity(x, x.flip(1)),
    "pairwise_distance": lambda t, x: t.pairwise_distance(x, x.flip(1)),
    "pixel_shuffle": lambda t, x: t.pixel_shuffle(x[:, :2].reshape(1, 4, 1, 1), 2),
    "selu celu threshold": lambda t, x: t.selu(x) + t.celu(x, 0.5) + t.threshold(x, 0.1, -1.0),
    "rrelu eval": lambda t, x: t.rrelu(x),
    "bilinear": lambda t, x: t.bilinear(x, x, x.reshape(2, 3, 1) * x[0].reshape(1, 1, 3), x[1, :2]),
    "kl_div": lambda t, x: _kl_div(t, x.log_softmax(-1), x),
    "bce logits": lambda t, x: t.binary_cross_entropy_with_logits(x, x.sigmoid(), None, None, 0),
    "hinge": lambda t, x: t.hinge_embedding_loss(x, _PM(t)) + t.hinge_embedding_loss(x, _PM(t), 0.5, 2),
    "margin_ranking": lambda t, x: t.margin_ranking_loss(x[0], x[1], t.tensor([1.0, -1.0, 1.0]), 0.1, 0),
    "cosine_embedding": lambda t, x: t.cosine_embedding_loss(x, x.flip(1), t.tensor([1.0, -1.0]), 0.0, 2),
    "poisson_nll": lambda t, x: t.poisson_nll_loss(x, x.abs(), True, False, 1e-8, 1),
    "triplet": lambda t, x: t.triplet_margin_loss(x, x.flip(1), x * 2, 1.0, 2.0, 1e-6, False, 1),
}


@pytest.mark.parametrize("name", FUNCTIONAL)
def test_top_level_functional_forms_as_torch(name: str) -> None:
    # (no element at 0: there the second derivative of selu and celu is 0 in torch, alpha-scaled here)
    check(orders(FUNCTIONAL[name], [[0.5, -1.25, 2.0], [3.0, 0.25, -0.75]]), rtol=1e-12, atol=1e-13)


def test_top_level_functional_forms_refuse_a_bad_reduction() -> None:
    with pytest.raises(ValueError, match="reduction must be 0"):
        autograd.kl_div(autograd.ones(2), autograd.ones(2), 3)


# -- matrices, powers, and the small members
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 6, 7, -1, -3])
def test_matrix_power_as_torch(n: int) -> None:
    a = [[[0.5, 1.25], [-0.75, 1.5]], [[1.0, 0.5], [0.25, 2.0]]]
    check(
        orders(lambda t, x: x.matrix_power(n) if n % 2 else t.matrix_power(x, n), a), rtol=1e-12, atol=1e-12
    )


def test_vander_pdist_ldexp_and_friends_as_torch() -> None:
    def snippet(t: Any) -> Any:
        rows = t.tensor([[1.0, 2.0], [1.0, 2.0], [0.0, 1.0], [3.0, -1.0]], requires_grad=True)
        d = t.pdist(rows) + t.pdist(rows, 1.0) + t.pdist(rows, 3.0)
        d.sum().backward()  # (torch's vander has no working backward: its cumprod_ is in place)
        c = rows.detach()
        v = t.vander(c[:, 0], 4) + t.vander(c[:, 1], 4, increasing=True)
        x = t.tensor([[1.0, -2.0], [0.5, 3.0]])
        return (
            d,
            v,
            rows.grad,
            t.vander(t.tensor([2, 3])),
            t.vander(t.tensor([2.0]), 0).shape,
            t.ldexp(x, t.tensor([1, -2])),
            x.ldexp(t.tensor([[3], [0]])),
            t.nextafter(x, t.tensor(0.0)),
            x.nextafter(t.tensor(np.inf)),
            t.gcd(t.tensor([4, -6, 0]), t.tensor([6, 9, 5])),
            t.tensor([4, 6]).lcm(t.tensor([6, 4])),
            t.adjoint(t.tensor(M)),
            t.tensor(B1).adjoint(),
            t.real(x),
            x.real,
            t.resolve_conj(x),
            x.resolve_neg(),
            t.is_conj(x),
            x.is_neg(),
            x.is_cpu,
            x.get_device(),
            t.get_device(x),
            x.is_inference(),
            t.is_inference(x),
            x.new(),
            x.new(2, 3).shape,
            x.new([1, 2]),
            t.tensor([1, 2]).new([3.0]).dtype,
            x.new(t.Size([1, 2])).shape,
            x.unsafe_chunk(2, 1),
            t.unsafe_split(x, 1),
            x.unsafe_split_with_sizes([1, 1], 1),
            t.unsafe_split_with_sizes(x, [2, 0]),
            t.pinverse(x),
            t.fill(x, 2.5),
            t.fill(t.tensor([1, 2]), 3),
        )

    check(snippet, rtol=1e-12, atol=1e-13)


def test_vander_gradient_is_the_powers_derivative() -> None:
    x = autograd.tensor([1.5, -2.0, 0.0], requires_grad=True)
    autograd.vander(x, 4).sum().backward()  # d/dx (1 + x + x² + x³) = 1 + 2x + 3x²
    np.testing.assert_allclose(x.grad.data, 1 + 2 * x.data + 3 * x.data**2, rtol=1e-15)


def test_in_place_dropouts_as_torch() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        return t.dropout_(x, 0.5, False) is x, t.alpha_dropout_(x, 0.5, False), t.dropout_(x, 1.0, True), x

    check(snippet)


def test_small_members_refuse_as_torch() -> None:
    for t in (torch, autograd):
        with pytest.raises(RuntimeError):
            t.matrix_power(t.ones(2, 3), 2)
        with pytest.raises(RuntimeError):
            t.pdist(t.ones(3))
        with pytest.raises(RuntimeError):
            t.vander(t.ones(2, 2))
        with pytest.raises(RuntimeError):
            t.gcd(t.ones(2), t.ones(2))


def test_storage_questions_as_torch() -> None:
    names = autograd.tensor_members.NOT_HERE
    check(lambda t: [getattr(t.ones(2), n) for n in names] + [t.ones(2).is_pinned(), t.ones(2).is_shared()])


def test_reciprocal_of_integers_is_a_float_as_torch() -> None:
    # (numpy's integer reciprocal truncates: 1/2 was 0)
    check(lambda t: (t.tensor([2, -4, 1]).reciprocal(), t.reciprocal(t.tensor([True, False]))))


def test_asarray_shares_or_copies_as_torch() -> None:
    def snippet(t: Any) -> Any:
        a = np.array([1.0, 2.0])
        shared, copied, cast = t.asarray(a), t.asarray(a, copy=True), t.asarray(a, dtype=t.float32)
        x = t.ones(2)
        a[0] = 5.0
        g = t.asarray([1.0, 2.0], requires_grad=True)
        return (
            shared, copied, cast, t.asarray([1, 2]), t.asarray(3.0), t.asarray(x) is x,
            t.asarray(x, copy=True) is x, t.asarray(x, dtype=t.float32) is x, g.requires_grad, g.is_leaf,
        )  # fmt: skip

    check(snippet, rtol=1e-7)
    for t in (torch, autograd):
        with pytest.raises(ValueError):
            t.asarray(np.array([1.0]), dtype=t.float32, copy=False)


def test_anomaly_and_warn_always_flags_as_torch() -> None:
    for t in (torch, autograd):
        assert t.is_anomaly_enabled() is False
        with t.autograd.detect_anomaly() if t is torch else t.detect_anomaly():
            assert t.is_anomaly_enabled() is True
        t.set_warn_always(True)
        assert t.is_warn_always_enabled() is True
        t.set_warn_always(False)
        assert t.is_warn_always_enabled() is False


def test_rsqrt_and_its_gradient_to_the_bit() -> None:
    rng = np.random.default_rng(7)
    for dtype in (np.float32, np.float64):
        x = np.concatenate([rng.uniform(1e-3, 1e3, 3000), [0.0, -0.0, -1.0, np.inf, np.nan, 1e-30]]).astype(
            dtype
        )
        w = rng.uniform(-2, 2, x.size).astype(dtype)
        a = autograd.tensor(x, requires_grad=True)
        y = a.rsqrt()
        (y * autograd.tensor(w)).sum().backward()
        t = torch.tensor(x, requires_grad=True)
        ty = torch.rsqrt(t)
        (ty * torch.tensor(w)).sum().backward()
        np.testing.assert_array_equal(y.data.view(np.uint8), ty.detach().numpy().view(np.uint8))
        np.testing.assert_array_equal(a.grad.data.view(np.uint8), t.grad.numpy().view(np.uint8))
    assert autograd.Value(4.0).rsqrt().data == 0.5 and autograd.rsqrt(-0.0) == -np.inf


def test_hardshrink_at_nan_as_torchs_scalar_kernel() -> None:
    # torch's gradient at nan is 1 from its scalar kernel (one element, a short tensor's tail) and 0
    # from its vectorized one (blocks of 8 float64 elements here): this library's is the scalar one's
    for data in ([np.nan], [2.0, np.nan, -np.nan]):
        check(orders(lambda t, x: x.hardshrink(0.5), data))


def test_renorm_passes_the_gradient_of_a_slice_left_as_it_is() -> None:
    # (a nan or zero slice is not scaled: its gradient is the upstream one, as torch's backward)
    data = [[np.nan, 1.0], [0.0, 0.0], [3.0, 4.0], [0.5, -0.5]]
    check(lambda t: grads(t, lambda t, x: x.renorm(2, 0, 1.5) + x.renorm(1, 0, 0.25), data))
    for t in (torch, autograd):
        with pytest.raises(RuntimeError, match="at least 2 dimensions"):
            t.ones(3).renorm(2, 0, 1.0)


def test_concat_is_cat_as_torch() -> None:
    check(lambda t: (t.concat([t.tensor(M), t.tensor(M)]), t.concat((t.tensor(N), t.tensor(N)), dim=1)))
