"""var and std as torch 2.13 differentiates them: var is a primitive whose rule is torch's
``var_backward``, g · 2/(n - correction) · (x - mean(x)), not the chain rule through the mean
(which is nan where a slice holds ±inf; torch gives ±inf there), with torch's rule of a total
whose n - correction ≤ 0 (nan where x equals its mean, else inf: a 0-d nan gets inf). Values,
gradients and second derivatives against torch, float32 and float64."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag

NAN, INF = float("nan"), float("inf")
_rng = np.random.default_rng(11)
INPUTS: dict[str, np.ndarray] = {
    "finite": _rng.normal(size=(3, 4)),
    "inf-column": np.array([[1.0, 2.0, -INF], [0.5, INF, 3.0], [2.5, 1.0, 4.0]]),
    "lone-inf": np.array([[1.0, 2.0, 3.0, INF], [-1.0, 0.0, 2.0, 5.0]]),
    "nan": np.array([[1.0, NAN, 3.0], [4.0, 5.0, 6.0]]),
    "equal": np.array([[2.0, 2.0], [2.0, 2.0]]),
    "0d": np.array(1.5),
    "0d-nan": np.array(NAN),
    "0d-inf": np.array(INF),
    "one": np.array([3.0]),
    "empty": np.zeros((0, 3)),
}
DIMS: list[dict[str, Any]] = [{}, {"dim": 0}, {"dim": -1, "keepdim": True}, {"dim": (0, 1)}]
CORRECTIONS = [None, 0, 2, 0.5, 5]


def _dims(data: np.ndarray) -> list[dict[str, Any]]:
    return [d for d in DIMS if not d or data.ndim >= (2 if d.get("dim") == (0, 1) else 1)]


def _cases() -> list[Any]:
    return [
        pytest.param(key, d, c, id=f"{key}-{','.join(f'{k}={v}' for k, v in d.items()) or 'all'}-c{c}")
        for key, data in INPUTS.items()
        for d in _dims(data)
        for c in CORRECTIONS
    ]


def _close(mine: Any, theirs: torch.Tensor, dtype: str) -> None:
    m, t = np.asarray(mine.data if hasattr(mine, "data") else mine), theirs.detach().numpy()
    assert m.dtype == t.dtype and m.shape == t.shape
    rtol = 1e-5 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(m, t, rtol=rtol, atol=rtol, equal_nan=True)


def _both(op: str, data: np.ndarray, dtype: str, d: dict[str, Any], c: Any, order: int) -> None:
    """op's value, gradient (a weighted sum of the outputs) and, with order 2, the gradient of
    the gradient's weighted sum, here and in torch."""
    w = np.linspace(0.5, 1.5, num=max(data.size, 1))
    results = []
    for lib in (ag, torch):
        x = (torch.tensor if lib is torch else ag.tensor)(data.astype(dtype), requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = getattr(lib, op)(x, **d, correction=c)
            outs = out if isinstance(out, tuple) else (out,)
            total = sum((o * float(i + 1)).sum() for i, o in enumerate(outs))
            (g,) = (torch.autograd.grad if lib is torch else ag.grad)(total, x, create_graph=order == 2)
            weights = (torch.tensor if lib is torch else ag.tensor)(
                w[: data.size].reshape(data.shape).astype(dtype)
            )
            gg = None
            if order == 2 and g.requires_grad:
                (gg,) = (torch.autograd.grad if lib is torch else ag.grad)(
                    (g * weights).sum(), x, allow_unused=True
                )
        results.append((outs, g, gg))
    (m_outs, m_g, m_gg), (t_outs, t_g, t_gg) = results
    for m, t in zip(m_outs, t_outs):
        _close(m, t, dtype)
    _close(m_g, t_g, dtype)
    if order == 2:
        if t_gg is None:
            assert m_gg is None or not np.asarray(m_gg.data).any()
        else:
            assert m_gg is not None
            _close(m_gg, t_gg, dtype)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(("key", "d", "c"), _cases())
def test_var_and_its_gradients_are_torchs(key: str, d: dict[str, Any], c: Any, dtype: str) -> None:
    _both("var", INPUTS[key], dtype, d, c, order=2)


@pytest.mark.parametrize("op", ["std", "var_mean", "std_mean"])
@pytest.mark.parametrize(("key", "d", "c"), [p for p in _cases() if p.values[2] in (None, 0)])
def test_std_and_the_pairs_with_the_mean_are_torchs(op: str, key: str, d: dict[str, Any], c: Any) -> None:
    """std (sqrt of var, its gradient masked where var = 0, as torch's) and var_mean/std_mean
    (whose mean gradient is added to var's), first order; var_mean second order too."""
    _both(op, INPUTS[key], "float64", d, c, order=2 if op == "var_mean" else 1)


def test_the_rule_in_numbers() -> None:
    """A column holding -inf: finite - (-inf) = +inf and -inf - (-inf) = nan (torch's numbers); a
    0-d nan: inf; correction past n along a dim: a negative factor, as torch's (the value inf)."""
    x = ag.tensor([[1.0, 5.0], [-INF, 6.0], [2.0, 7.0]], requires_grad=True)
    x.var(0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[:, 0], [INF, NAN, INF])
    np.testing.assert_allclose(x.grad.numpy()[:, 1], [-1.0, 0.0, 1.0])
    z = ag.tensor(NAN, requires_grad=True)
    z.var().backward()
    assert z.grad.item() == INF
    y = ag.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v = y.var(0, correction=3)
    v.backward()
    assert v.item() == INF
    np.testing.assert_array_equal(y.grad.numpy(), [1.0, -1.0])


def test_var_through_a_compiled_step_is_the_eager_one() -> None:
    """The primitive's forward and rule replayed by ``autograd.compile``: the same numbers, bit for bit."""
    data = INPUTS["inf-column"]
    w = ag.tensor(data.copy(), requires_grad=True)
    step = ag.compile(lambda s: (w.var(0) * s).sum() + w.std(1, correction=0).sum())
    step(ag.tensor(2.0))
    compiled = w.grad.numpy().copy()
    w.grad = None
    ((w.var(0) * ag.tensor(2.0)).sum() + w.std(1, correction=0).sum()).backward()
    np.testing.assert_array_equal(compiled, w.grad.numpy())
    assert np.isinf(compiled).any()


def test_var_over_dim_empty_keeps_the_true_gradient() -> None:
    """A kept difference: torch's var(x, dim=()) reduces every element but its backward counts the
    elements of no dims, n = 1, so 2/(n - 1) = inf and a finite variance gets an infinite gradient
    (an artifact of torch's ``_safe_size``). Here dim=() is dim=None: the true gradient. The
    assertion on torch shows it if torch changes."""
    data = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    t = torch.tensor(data, requires_grad=True)
    torch.var(t, dim=()).backward()
    assert np.isinf(t.grad.numpy()).all()
    for dim in ((), None):
        x = ag.tensor(data, requires_grad=True)
        ag.var(x, dim=dim).backward()
        np.testing.assert_allclose(x.grad.numpy(), 2 * (data - data.mean()) / 5, rtol=1e-14)


#: slices for var_mean's mean (torch's Welford kernel): ±inf last (alone: that inf), first, in the
#: middle, twice; nan; numbers whose difference overflows (the kernel's inf, then nan after it)
WELFORD_ROWS = [
    [1.0, 2.0, INF],
    [1.0, 2.0, -INF],
    [INF, 1.0, 2.0],
    [1.0, INF, 2.0],
    [1.0, INF, INF],
    [-INF, 1.0, INF],
    [1.0, NAN, INF],
    [-1e308, 1e308, 3.0],
    [1e308, 1e308, 1e308],
    [3.0, -1e308, 1e308],
    [1.5, 2.5, 4.0],
]


@pytest.mark.parametrize("op", ["var_mean", "std_mean"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize(
    "d", [{}, {"dim": 1}, {"dim": 0}, {"dim": (0, 1)}, {"dim": -1, "keepdim": True}, {"dim": (1, 0)}]
)
def test_welford_mean(op: str, dtype: str, d: dict[str, Any]) -> None:
    """The mean var_mean/std_mean give is their Welford kernel's (torch's mean() is the sum's): a
    slice holding ±inf gives it only where it is last and alone, else nan; numbers whose difference
    overflows give inf, then nan where more follow; float32 is accumulated in float64 (1e38 + 3e38
    + 3e38 has a mean). Along rows, columns, everything (C order) and its transpose."""
    rows = np.array(WELFORD_ROWS)
    data = (
        rows if dtype == "float64" else np.nan_to_num(rows / 1e270, nan=NAN, posinf=INF, neginf=-INF)
    ).astype(dtype)
    if dtype == "float32":
        data[-1] = [1e38, 3e38, 3e38]
    for x in (data, data[:, ::-1].T.copy()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = getattr(torch, op)(torch.tensor(x), **d)[1].numpy()
            mine = np.asarray(getattr(ag, op)(ag.tensor(x), **d)[1].data)
        assert mine.dtype == theirs.dtype and mine.shape == theirs.shape
        np.testing.assert_array_equal(np.isnan(mine), np.isnan(theirs))
        np.testing.assert_array_equal(np.isinf(mine) * np.sign(mine), np.isinf(theirs) * np.sign(theirs))
        np.testing.assert_allclose(mine, theirs, rtol=1e-6 if dtype == "float32" else 1e-14)


def test_welford_mean_gradient_is_a_means() -> None:
    """torch's mean_backward: g / n to every element, whatever the value (here beside var's inf)."""
    for lib in (ag, torch):
        x = lib.tensor([[1.0, 2.0, INF], [INF, 1.0, 2.0]], dtype=lib.float64, requires_grad=True)
        lib.var_mean(x, 1)[1].sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), np.full((2, 3), 1 / 3))


def test_welford_mean_goes_in_c_order() -> None:
    """Over several dims the kernel takes the elements in C order, whatever order the dims are
    given in: -1e308, 1e308 first overflow (inf, then nan); in the other order the same numbers
    have a mean of 0."""
    data = np.array([[-1e308, 1e308], [0.0, 0.0]])
    for x in (data, data.T.copy()):
        for dim in ((0, 1), (1, 0), None):
            theirs = torch.var_mean(torch.tensor(x), dim)[1].item()
            mine = ag.var_mean(ag.tensor(x), dim)[1].item()
            assert mine == theirs or (np.isnan(mine) and np.isnan(theirs))
    assert np.isnan(ag.var_mean(ag.tensor(data), (1, 0))[1].item())
    assert ag.var_mean(ag.tensor(data.T.copy()), (1, 0))[1].item() == 0.0
