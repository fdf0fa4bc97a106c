"""``import autograd as torch``: the module-level names a first day with PyTorch uses, each run the
torch way on both libraries, values and gradients compared in float64."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from side_by_side import check, grads, run, same

import autograd

X = [[0.5, -1.25, 2.0], [3.0, 0.0, -0.75]]  # 2×3, a zero and a negative included
Y = [[1.5, 0.25, -2.0], [-1.0, 2.5, 0.5]]
P = [[0.5, 1.25, 2.0], [3.0, 0.1, 0.75]]  # positive (log, sqrt)
X3 = np.arange(24.0).reshape(2, 3, 4) / 7 - 1.5
B = [[1.0, -0.5], [0.25, 2.0], [-1.5, 0.75]]  # 3×2
TIES = [[1.0, 1.0, 0.5], [2.0, 3.0, 3.0]]

# name -> (f(torch, *leaves), the leaves' data): values and every leaf's gradient are compared
DIFFERENTIABLE = {
    "matmul": (lambda t, a, b: t.matmul(a, b), (X, B)),
    "mm": (lambda t, a, b: t.mm(a, b), (X, B)),
    "relu": (lambda t, x: t.relu(x), (X,)),
    "sigmoid": (lambda t, x: t.sigmoid(x), (X,)),
    "tanh": (lambda t, x: t.tanh(x), (X,)),
    "exp": (lambda t, x: t.exp(x), (X,)),
    "log": (lambda t, x: t.log(x), (P,)),
    "sin": (lambda t, x: t.sin(x), (X,)),
    "cos": (lambda t, x: t.cos(x), (X,)),
    "abs": (lambda t, x: t.abs(x), (Y,)),
    "sqrt": (lambda t, x: t.sqrt(x), (P,)),
    "pow scalar": (lambda t, x: t.pow(x, 3), (X,)),
    "pow tensor": (lambda t, x, y: t.pow(x, y), (P, Y)),
    "softmax": (lambda t, x: t.softmax(x, 1), (X,)),
    "softmax dim=0": (lambda t, x: t.softmax(x, dim=0), (X,)),
    "log_softmax": (lambda t, x: t.log_softmax(x, dim=1), (X,)),
    "cat": (lambda t, x, y: t.cat([x, y], dim=1), (X, Y)),
    "cat default dim": (lambda t, x, y: t.cat((x, y)), (X, Y)),
    "stack": (lambda t, x, y: t.stack([x, y], dim=1), (X, Y)),
    "where": (lambda t, x, y: t.where(x > 0, x, y), (X, Y)),
    "clamp": (lambda t, x: t.clamp(x, min=-1.0, max=1.0), (X,)),
    "clamp min only": (lambda t, x: t.clamp(x, -0.5), (X,)),
    "sum": (lambda t, x: t.sum(x), (X,)),
    "sum dim": (lambda t, x: t.sum(x, 1), (X,)),
    "sum keepdim": (lambda t, x: t.sum(x, dim=0, keepdim=True), (X,)),
    "mean": (lambda t, x: t.mean(x), (X,)),
    "mean dim": (lambda t, x: t.mean(x, dim=1), (X,)),
    "max": (lambda t, x: t.max(x), (X,)),
    "max dim": (lambda t, x: t.max(x, 1), (X,)),
    "max other": (lambda t, x, y: t.max(x, y), (X, Y)),
    "min": (lambda t, x: t.min(x), (X,)),
    "min dim keepdim": (lambda t, x: t.min(x, dim=0, keepdim=True), (X,)),
    "min other": (lambda t, x, y: t.min(x, y), (X, Y)),
    "maximum": (lambda t, x, y: t.maximum(x, y), (X, Y)),
    "minimum": (lambda t, x, y: t.minimum(x, y), (X, Y)),
    "flatten": (lambda t, x: t.flatten(x, 1), (X3,)),
    "flatten all": (lambda t, x: t.flatten(x), (X3,)),
    "reshape": (lambda t, x: t.reshape(x, (3, 2)), (X,)),
    "reshape -1": (lambda t, x: t.reshape(x, (-1,)), (X,)),
    "transpose": (lambda t, x: t.transpose(x, 0, 1), (X,)),
    "transpose 3-d": (lambda t, x: t.transpose(x, 0, 2), (X3,)),
    "permute": (lambda t, x: t.permute(x, (2, 0, 1)), (X3,)),
    "squeeze": (lambda t, x: t.squeeze(t.unsqueeze(x, 0)), (X,)),
    "unsqueeze": (lambda t, x: t.unsqueeze(x, 1), (X,)),
    "add alpha": (lambda t, x, y: t.add(x, y, alpha=2.5), (X, Y)),
    "sub alpha": (lambda t, x, y: t.sub(x, y, alpha=0.5), (X, Y)),
    "mul": (lambda t, x, y: t.mul(x, y), (X, Y)),
    "div": (lambda t, x, y: t.div(x, y), (X, Y)),
    "var": (lambda t, x: t.var(x, dim=1), (X,)),
    "std": (lambda t, x: t.std(x), (X,)),
    "logsumexp": (lambda t, x: t.logsumexp(x, dim=1), (X,)),
    "amax": (lambda t, x: t.amax(x, 1), (Y,)),
    "amax all": (lambda t, x: t.amax(x), (X,)),
    "amin keepdim": (lambda t, x: t.amin(x, dim=0, keepdim=True), (X,)),
    "sort": (lambda t, x: t.sort(x, 1, descending=True).values * t.tensor(Y, dtype=t.float64), (X,)),
    "split": (lambda t, x: t.split(x, 2, dim=1)[1], (X,)),
    "flip": (lambda t, x: t.flip(x, (0, 1)) * t.tensor(Y, dtype=t.float64), (X,)),
    "fliplr": (lambda t, x: t.fliplr(x) * t.tensor(Y, dtype=t.float64), (X,)),
    "flipud": (lambda t, x: t.flipud(x) * t.tensor(Y, dtype=t.float64), (X,)),
    "roll": (lambda t, x: t.roll(x, 1, 1) * t.tensor(Y, dtype=t.float64), (X,)),
    "rot90": (lambda t, x: t.rot90(x, 1, (1, 2)), (X3,)),
    "diag": (lambda t, x: t.diag(t.matmul(x, x.T)), (X,)),
    "diagonal": (lambda t, x: t.diagonal(x, dim1=1, dim2=2), (X3,)),
    "tril": (lambda t, x: t.tril(x, 1), (X,)),
    "triu": (lambda t, x: t.triu(x), (X,)),
    "repeat_interleave": (lambda t, x: t.repeat_interleave(x, 2, dim=1), (X,)),
    "tile": (lambda t, x: t.tile(x, (2, 1)), (X,)),
    "take_along_dim": (lambda t, x: t.take_along_dim(x, t.tensor([[2, 0], [1, 1]]), 1), (X,)),
    "movedim": (lambda t, x: t.movedim(x, 0, 2), (X3,)),
    "swapaxes": (lambda t, x: t.swapaxes(x, 0, 2), (X3,)),
    "broadcast_to": (lambda t, x: t.broadcast_to(x, (4, 2, 3)), (X,)),
    "ravel": (lambda t, x: t.ravel(x) * t.arange(6.0, dtype=t.float64), (X,)),
    "chunk": (lambda t, x: t.chunk(x, 2, 1)[0], (X,)),
    "narrow": (lambda t, x: t.narrow(x, 1, -2, 2), (X,)),
    "index_select": (lambda t, x: t.index_select(x, 1, t.tensor([2, 0, 2])), (X,)),
    "gather": (lambda t, x: t.gather(x, 1, t.tensor([[2, 2], [0, 1]])), (X,)),
    "topk": (lambda t, x: t.topk(x, 2, dim=1).values * t.tensor(B[:2], dtype=t.float64), (Y,)),
    "topk smallest": (lambda t, x: t.topk(x, 1, largest=False).values, (Y,)),
    "masked_select": (lambda t, x, y: t.masked_select(x, y > 0) * 2.0, (X, Y)),
    "bmm": (lambda t, a, b: t.bmm(a, b), (X3[:, :, :2], X3[:, :2, :])),
    "mv": (lambda t, a, v: t.mv(a, v), (X, Y[0])),
    "addmm": (lambda t, c, a, b: t.addmm(c, a, b, beta=0.5, alpha=2.0), ([[1.0, -1.0]], X, B)),
    "rsqrt": (lambda t, x: t.rsqrt(x), (P,)),
    "lerp": (lambda t, x, y: t.lerp(x, y, 0.25) + t.lerp(x, y, 0.75), (X, Y)),
    "lerp tensor weight": (lambda t, x, y: t.lerp(x, y, t.tensor(P, dtype=t.float64) / 3), (X, Y)),
    "dist": (lambda t, x, y: t.dist(x, y) + t.dist(x, y, 3), (X, Y)),
    "meshgrid": (lambda t, x, y: t.stack(t.meshgrid(x, y, indexing="xy")) * 1.5, (X[0], Y[1])),
    "std_mean": (lambda t, x: t.stack(t.std_mean(x, 1)), (X,)),
    "var_mean": (lambda t, x: t.stack(t.var_mean(x, dim=0, correction=0, keepdim=True)), (X,)),
    "nansum": (lambda t, x: t.nansum(t.log(x), 1), (Y,)),
    "nanmean": (lambda t, x: t.nanmean(t.log(x), dim=0), (Y,)),
    "addcmul": (lambda t, x, y, z: t.addcmul(x, y, z, value=0.5), (X, Y, P)),
    "addcdiv": (lambda t, x, y, z: t.addcdiv(x, y, z, value=-2.0), (X, Y, P)),
    "msort": (lambda t, x: t.msort(x) * t.tensor(Y, dtype=t.float64), (X,)),
    "cartesian_prod": (lambda t, x, y: t.cartesian_prod(x, y) * 2.0, (X[0], Y[1])),
    "median": (lambda t, x: t.median(x), ([[3.0, 1.0, 3.0], [2.0, 3.0, 0.5]],)),
    "median dim": (lambda t, x: t.median(x, 1).values, (X,)),
    "nanmedian dim": (lambda t, x: t.nanmedian(t.log(x), 0, keepdim=True).values, (Y,)),
    "logit": (lambda t, x: t.logit(x / 4), (P,)),
    "logit eps": (lambda t, x: t.logit(x, eps=0.2), ([[0.1, 0.5], [0.9, 0.3]],)),
    "xlogy": (lambda t, x, y: t.xlogy(x, y), ([[0.0, 1.5, -2.0]], P)),
    "xlogy at y = 0": (lambda t, x: t.xlogy(x, t.zeros(2, 3, dtype=t.float64)), ([[0.0, 1.5, -2.0]],)),
    "frac": (lambda t, x: t.frac(x * 1.7), (X,)),
    "cdist": (lambda t, a, b: t.cdist(a, b) + t.cdist(a, b, p=1.0), (X, [[0.0, 1.0, 2.0]])),
    "block_diag": (lambda t, a, b: t.block_diag(a, b, t.tensor(2.0, dtype=t.float64)) * 1.5, (X, Y[0])),
    "cummax": (lambda t, x: t.cummax(x, 1).values * t.tensor(Y, dtype=t.float64), (TIES,)),
    "cummin": (lambda t, x: t.cummin(x, dim=0).values * t.tensor(Y, dtype=t.float64), (X,)),
    "quantile": (lambda t, x: t.quantile(x, 0.4), (X,)),
    "quantile q list": (lambda t, x: t.quantile(x, t.tensor([0.1, 0.9], dtype=t.float64), 1, True), (X,)),
    "quantile nearest": (lambda t, x: t.quantile(x, 0.6, dim=0, interpolation="nearest"), (X,)),
    "logcumsumexp": (lambda t, x: t.logcumsumexp(x, 1) * t.tensor(Y, dtype=t.float64), (X,)),
    "logcumsumexp far apart": (
        lambda t, x: x.logcumsumexp(dim=0) * 2.0,
        ([-1000.0, 0.0, 3.0, -2000.0, 5.0],),
    ),
    "diag_embed": (lambda t, x: t.diag_embed(x) * 1.5, (X,)),
    "diag_embed dims": (lambda t, x: t.diag_embed(x, 1, 0, 2) * 1.5, (X,)),
    "diag_embed method": (lambda t, x: x.diag_embed(offset=-1, dim1=-1, dim2=0) * 2.0, (X,)),
    "erfc": (lambda t, x: t.erfc(x * 3.0) + x.erfc(), (X,)),
    "copysign": (lambda t, x, y: t.copysign(x, y) + x.copysign(-1.0), (X, Y)),
    "aminmax": (lambda t, x: t.aminmax(x, dim=1).min * 2.0 + t.aminmax(x).max, (TIES,)),
    "aminmax method keepdim": (lambda t, x: x.aminmax(dim=0, keepdim=True).max * 1.5, (TIES,)),
    "kthvalue": (lambda t, x: t.kthvalue(x, 2, 1).values * 1.5, (TIES,)),
    "kthvalue method keepdim": (lambda t, x: x.kthvalue(1, dim=0, keepdim=True), (X,)),
    "cov": (lambda t, x: t.cov(x), (X,)),
    "cov weighted": (
        lambda t, x, a: t.cov(x, correction=0, fweights=t.tensor([1, 2, 1]), aweights=a) * 1.5,
        (X, P[0]),
    ),
    "corrcoef": (lambda t, x: t.corrcoef(x) * 1.5, (X3[0],)),
    "corrcoef method": (lambda t, x: x.corrcoef(), (X,)),
}


@pytest.mark.parametrize("name", list(DIFFERENTIABLE))
def test_module_functions_give_torchs_values_and_gradients(name: str) -> None:
    f, datas = DIFFERENTIABLE[name]
    check(lambda t: grads(t, f, *datas))


def test_argsort_and_the_elementwise_tests_as_torch() -> None:
    data = [[0.5, np.nan, -np.inf], [np.inf, 0.0, 0.5]]
    for name in ("isnan", "isinf", "isfinite"):
        ours = getattr(autograd, name)(autograd.tensor(data))
        theirs = getattr(torch, name)(torch.tensor(data))
        assert ours.dtype == np.bool_ and ours.data.tolist() == theirs.tolist()
    for kwargs in ({}, {"dim": 0}, {"dim": 1, "descending": True}):
        x = [[3.0, 1.0, 2.0, 1.0], [0.0, -1.0, 5.0, 5.0]]
        assert (
            np.asarray(autograd.argsort(autograd.tensor(x), **kwargs)).tolist()
            == torch.argsort(torch.tensor(x), stable=True, **kwargs).tolist()
        )


def test_logical_functions_and_isin_as_torch() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor([[0.0, -0.0, 1.5], [float("nan"), 2.0, 0.0]])
        y = t.tensor([1, 0, 3])
        return (
            t.logical_and(x, y),
            x.logical_or(y),
            t.logical_xor(x, y),
            x.logical_not(),
            t.logical_not(y),
            t.isin(x, t.tensor([2.0, 0.0])),
            t.isin(y, t.tensor([3.0]), invert=True),
        )

    check(snippet)


def test_set_grad_enabled_and_nonzero_as_torch() -> None:
    x = autograd.tensor([[0.0, 1.5], [0.0, -2.0]], requires_grad=True)
    with autograd.set_grad_enabled(False):
        assert not (x * 2).requires_grad and not autograd.is_grad_enabled()
    assert (x * 2).requires_grad
    autograd.set_grad_enabled(False)  # (a call, not a block: it holds until changed, as torch's)
    try:
        assert not autograd.is_grad_enabled()
    finally:
        autograd.set_grad_enabled(True)
    t = torch.tensor(x.data)
    assert autograd.nonzero(x).data.tolist() == torch.nonzero(t).tolist()
    assert [i.data.tolist() for i in autograd.nonzero(x, as_tuple=True)] == [
        i.tolist() for i in torch.nonzero(t, as_tuple=True)
    ]


def test_factories_and_index_helpers_as_torch() -> None:
    assert autograd.empty(2, 3).shape == tuple(torch.empty(2, 3).shape)
    assert autograd.empty_like(autograd.tensor([1, 2])).dtype == np.int64
    np.testing.assert_allclose(autograd.logspace(-1, 2, 5, base=2.0).data, torch.logspace(-1, 2, 5, base=2.0))
    for name in ("triu_indices", "tril_indices"):
        for args in ((3, 4), (4, 3, 1), (3, 3, -1)):
            assert getattr(autograd, name)(*args).data.tolist() == getattr(torch, name)(*args).tolist()
    data = [[0.0, 1.0, 2.0], [0.0, 0.0, -1.0]]
    assert autograd.count_nonzero(autograd.tensor(data), dim=1).data.tolist() == [2, 1]
    total = torch.count_nonzero(torch.tensor(data)).item()
    assert autograd.count_nonzero(autograd.tensor(data)).item() == total == 3


def test_unique_bincount_searchsorted_and_bucketize_as_torch() -> None:
    ag, tt = autograd.tensor, torch.tensor
    data = [[3.0, 1.0, 3.0], [2.0, 1.0, 5.0]]
    for kwargs in ({}, {"return_inverse": True, "return_counts": True}, {"dim": 0}):
        ours, theirs = autograd.unique(ag(data), **kwargs), torch.unique(tt(data), **kwargs)
        ours, theirs = (ours, theirs) if isinstance(ours, tuple) else ((ours,), (theirs,))
        assert [x.data.tolist() for x in ours] == [x.tolist() for x in theirs]
    counts, weights = [1, 1, 3, 0], [0.5, 0.5, 1.0, 2.0]
    assert autograd.bincount(ag(counts)).data.tolist() == torch.bincount(tt(counts)).tolist()
    ours = autograd.bincount(ag(counts), weights=ag(weights), minlength=6)
    theirs = torch.bincount(tt(counts), weights=tt(weights, dtype=torch.float64), minlength=6)
    assert ours.data.tolist() == theirs.tolist()
    edges, values = [1.0, 3.0, 5.0], [[0.0, 3.0], [5.0, 6.0]]
    for right in (False, True):
        ours = autograd.searchsorted(ag(edges), ag(values), right=right)
        assert ours.data.tolist() == torch.searchsorted(tt(edges), tt(values), right=right).tolist()
        ours = autograd.bucketize(ag(values), ag(edges), right=right)
        assert ours.data.tolist() == torch.bucketize(tt(values), tt(edges), right=right).tolist()


def test_heaviside_and_histc_as_torch() -> None:
    x = [-1.0, 0.0, 2.0, 0.0]
    ours = autograd.heaviside(autograd.tensor(x), autograd.tensor(0.5))
    assert ours.data.tolist() == torch.heaviside(torch.tensor(x), torch.tensor(0.5)).tolist()
    for args in ((), (4,), (4, 0.0, 3.0)):
        ours = autograd.histc(autograd.tensor([1.0, 2.0, 1.0, 5.0, 3.0]), *args)
        assert ours.data.tolist() == torch.histc(torch.tensor([1.0, 2.0, 1.0, 5.0, 3.0]), *args).tolist()


def test_argmax_argmin_numel_and_the_comparisons() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        return (
            t.argmax(x),
            t.argmax(x, dim=1),
            t.argmin(x, 0),
            t.numel(x),
            t.is_tensor(x),
            t.is_tensor(X),
            t.allclose(x, x + 1e-9),
            t.allclose(x, x + 1e-3),
            t.isclose(x, x + 1e-9 * x),
            t.equal(x, x.clone()),
            t.equal(x, x.t()),
        )

    check(snippet)


def test_tensor_infers_dtypes_as_torch() -> None:
    def snippet(t: Any) -> Any:
        return (
            t.tensor([1, 2]),
            t.tensor([[True, False]]),
            t.tensor([1, 2.5]),
            t.tensor(3),
            t.tensor(2.5),
            t.tensor(np.array([1.0, 2.0], np.float32)),
            t.tensor(np.array([1, 2], np.int64)),
            t.tensor([1, 2], dtype=t.float64),
            t.tensor([1.7, -1.7], dtype=t.long),
            t.tensor([2.0, 3.0], requires_grad=True),
            t.tensor([[1.0]], dtype=t.float32, requires_grad=True),
        )

    check(snippet)


def test_tensor_copies_and_refuses_grad_on_integers() -> None:
    source = autograd.tensor([1.0, 2.0])
    copy = autograd.tensor(source)
    copy.add_(1)
    assert source.tolist() == [1.0, 2.0] and copy.tolist() == [2.0, 3.0]
    for t in (autograd, torch):
        with pytest.raises(
            RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"
        ):
            t.tensor([1, 2], requires_grad=True)


def test_from_numpy_and_as_tensor_share_memory_as_torch() -> None:
    def snippet(t: Any) -> Any:
        n = np.ones(3)
        a = t.from_numpy(n)
        np.add(n, 1, out=n)  # the tensor sees it
        k = np.arange(4)
        i = t.from_numpy(k)
        s = t.as_tensor(n)
        n[0] = 7.0
        c = t.as_tensor([1, 2])
        same_tensor = t.as_tensor(a) is a
        return a, i, s, c, same_tensor, t.as_tensor(n, dtype=t.float32)

    check(snippet)
    with pytest.raises(TypeError, match=r"from_numpy: expected np.ndarray \(got list\)"):
        autograd.from_numpy([1.0])
    with pytest.raises(TypeError, match="from_numpy: can't share an array of dtype float16"):
        autograd.from_numpy(np.ones(2, np.float16))


def test_factories_as_torch() -> None:
    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        i = t.tensor([[1, 2], [3, 4]])
        return (
            t.zeros_like(x),
            t.ones_like(i),
            t.full_like(x, 7.5),
            t.full_like(i, 3),
            t.zeros_like(x, dtype=t.long),
            t.linspace(-1, 1, 5),
            t.linspace(0, 1, 1),
            t.arange(5),
            t.arange(1, 2, 0.25),
            t.arange(5, 0, -2),
            t.arange(0.0, 3),
            t.full((2,), 7),
            t.full((2,), True),
            t.full((2, 1), 1.5),
            t.zeros(2, 3, dtype=t.int64),
            t.ones((2,), requires_grad=True),
            t.eye(2, 3),
        )

    check(snippet)


def test_random_factories_have_torchs_shapes_and_dtypes() -> None:
    """The numbers come from numpy's stream (see the known differences), so only what torch fixes is
    compared: shapes, dtypes, ranges."""

    def snippet(t: Any) -> Any:
        x = t.tensor(X)
        draws = [
            t.rand_like(x),
            t.randn_like(x),
            t.rand_like(t.tensor([[1, 2]]), dtype=t.float64),
            t.rand(2, 3),
            t.randn((4,)),
            t.randint(0, 10, (50,)),
            t.randint(3, (2, 2)),
            t.randperm(6),
        ]
        return [(d.shape, d.dtype, d.requires_grad) for d in draws], [
            bool(((draws[0] >= 0) & (draws[0] < 1)).all()),
            bool(((draws[5] >= 0) & (draws[5] < 10)).all()),
            sorted(draws[7].tolist()),
        ]

    check(snippet)
    with pytest.raises(RuntimeError, match="rand_like: random draws of dtype int64 are not supported"):
        autograd.rand_like(autograd.tensor([1, 2]))


def test_dtype_names_and_the_default_dtype() -> None:
    def snippet(t: Any) -> Any:
        names = [t.float32, t.float64, t.int64, t.bool, t.long, t.float, t.double]
        made = [t.tensor([1], dtype=d).dtype for d in names]
        previous = t.get_default_dtype()
        t.set_default_dtype(t.float32)
        try:
            inferred = [t.tensor([1.5]).dtype, t.zeros(2).dtype, t.tensor([1]).dtype, t.get_default_dtype()]
        finally:
            t.set_default_dtype(previous)
        return names, made, inferred, t.get_default_dtype(), t.float == t.float32, t.double == t.float64

    check(snippet)
    with pytest.raises(TypeError, match="set_default_dtype: only floating-point types"):
        autograd.set_default_dtype(autograd.int64)


def test_the_torch_namespaces_are_reachable() -> None:
    import optimizers

    assert autograd.optim is optimizers and autograd.optim.SGD is optimizers.SGD
    assert autograd.optim.lr_scheduler.StepLR is optimizers.lr_scheduler.StepLR
    assert autograd.nn.functional.relu is not None and autograd.func.vmap is autograd.vmap
    assert autograd.autograd.grad is not None


@pytest.mark.parametrize("name", ["add", "mul", "exp", "matmul"])
def test_out_arguments_are_written_as_torch(name: str) -> None:
    def snippet(t: Any) -> Any:
        a, b = t.tensor(X), t.tensor(Y)
        args = (a, t.tensor(B)) if name == "matmul" else (a,) if name == "exp" else (a, b)
        out = t.zeros(2, 2) if name == "matmul" else t.zeros(2, 3)
        result = getattr(t, name)(*args, out=out)
        return result is out, out

    check(snippet)
    with pytest.raises(RuntimeError, match=r"mul\(\): functions with out=\.\.\. arguments don't support"):
        autograd.mul(autograd.ones(2, requires_grad=True), 2.0, out=autograd.zeros(2))


def test_div_rounding_modes_as_torch() -> None:
    def snippet(t: Any) -> Any:
        a, b = t.tensor([7.0, -7.0, 7.5]), t.tensor([2.0, 2.0, -2.0])
        return (
            t.div(a, b, rounding_mode="floor"),
            t.div(a, b, rounding_mode="trunc"),
            a.div(b, rounding_mode="floor"),
            t.tensor([7, -7]).div(2, rounding_mode="floor"),
        )

    check(snippet)


def test_module_functions_take_plain_data_as_tensors() -> None:
    ours, theirs = run(lambda t: t.sum(t.tensor([1.5, 2.5])))
    same(ours, theirs)
    assert autograd.sum([1.5, 2.5]).item() == 4.0 and autograd.softmax(np.zeros(2), 0).tolist() == [0.5, 0.5]


def test_addcdiv_multiplies_by_value_before_dividing_as_torch() -> None:
    """torch's addcdiv is input + (value · t1) / t2: where value · t1 overflows the result is inf,
    where (t1 / t2) · value would be finite (found by the fuzzer near 1e308)."""
    import torch

    cases = ([0.0, 1.0], [1e308, 3.0], [1e10, 7.0], 10.0), ([0.0], [3.0], [7.0], -2.0)
    for inp, t1, t2, value in cases:
        ours = autograd.addcdiv(autograd.tensor(inp), autograd.tensor(t1), autograd.tensor(t2), value=value)
        theirs = torch.addcdiv(*(torch.tensor(v, dtype=torch.float64) for v in (inp, t1, t2)), value=value)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
