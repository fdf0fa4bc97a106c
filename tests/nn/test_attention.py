"""Attention against torch 2.13 in float64: F.scaled_dot_product_attention (masks, causal, scale, GQA,
rows masked out entirely, second derivatives), nn.MultiheadAttention (packed and separate projections,
bias_k/v, zero attention, masks, batch_first, unbatched, per-head weights) and the Transformer layers
(eval mode, torch's math path), with weights copied both ways; reprs, state-dict keys, a compiled
step equal to the eager one bit for bit, a wrong rule caught and bad inputs refused by name."""

from __future__ import annotations

import types
import warnings
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from nn_reference import compare  # noqa: E402

import autograd as ag  # noqa: E402
import autograd.nn.functional as F  # noqa: E402
from autograd import Tensor, nn  # noqa: E402
from autograd.nn.functional import attention as attention_module  # noqa: E402

TF = torch.nn.functional
pytestmark = pytest.mark.filterwarnings("ignore:Support for mismatched")  # (torch's, of mixed mask types)
RNG = np.random.default_rng(2024)
TOL = {"rtol": 1e-11, "atol": 1e-13}


def _t(a: Any) -> Any:
    return torch.tensor(a) if isinstance(a, np.ndarray) else a


# ------------------------------------------------------------------ scaled_dot_product_attention
def _sdpa_case(qs: tuple, ks: tuple, vs: tuple, **kw: Any) -> None:
    arrays = [RNG.normal(size=s) for s in (qs, ks, vs)]
    mask = kw.pop("attn_mask", None)
    if isinstance(mask, np.ndarray) and mask.dtype.kind == "f":  # a float mask: its gradient too
        arrays.append(mask)
        compare(
            lambda q, k, v, m: F.scaled_dot_product_attention(q, k, v, m, **kw),
            lambda q, k, v, m: TF.scaled_dot_product_attention(q, k, v, m, **kw),
            arrays,
            grad_of=(0, 1, 2, 3),
            **TOL,
        )
        return
    compare(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, mask, **kw),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, _t(mask), **kw),
        arrays,
        grad_of=(0, 1, 2),
        **TOL,
    )


SDPA_CASES = {
    "plain": ((2, 3, 4), (2, 5, 4), (2, 5, 6), {}),
    "2-d": ((3, 4), (5, 4), (5, 2), {}),
    "4-d heads": ((2, 3, 4, 8), (2, 3, 6, 8), (2, 3, 6, 5), {}),
    "causal L < S": ((2, 3, 4), (2, 5, 4), (2, 5, 4), {"is_causal": True}),
    "causal L > S": ((2, 6, 4), (2, 4, 4), (2, 4, 3), {"is_causal": True}),
    "bool mask (L, S)": ((2, 3, 4), (2, 5, 4), (2, 5, 4), {"attn_mask": RNG.random((3, 5)) < 0.6}),
    "bool mask (N, 1, L, S)": (
        (2, 3, 4, 4),
        (2, 3, 5, 4),
        (2, 3, 5, 4),
        {"attn_mask": RNG.random((2, 1, 4, 5)) < 0.6},
    ),
    "float mask": ((2, 3, 4), (2, 5, 4), (2, 5, 4), {"attn_mask": RNG.normal(size=(3, 5))}),
    "float mask with -inf": (
        (2, 3, 4),
        (2, 5, 4),
        (2, 5, 4),
        {"attn_mask": np.where(RNG.random((2, 3, 5)) < 0.3, -np.inf, RNG.normal(size=(2, 3, 5)))},
    ),
    "scale": ((2, 3, 4), (2, 5, 4), (2, 5, 4), {"scale": 0.3}),
    "negative scale": ((2, 3, 4), (2, 5, 4), (2, 5, 4), {"scale": -0.7}),
    "scale 0": ((2, 3, 4), (2, 5, 4), (2, 5, 4), {"scale": 0.0}),
    "gqa": ((2, 4, 3, 4), (2, 2, 5, 4), (2, 2, 5, 6), {"enable_gqa": True}),
    "gqa same heads": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 6), {"enable_gqa": True}),
    "batch broadcast": ((1, 3, 4), (2, 5, 4), (2, 5, 4), {}),
}


@pytest.mark.parametrize("name", SDPA_CASES)
def test_sdpa_matches_torch(name: str) -> None:
    qs, ks, vs, kw = SDPA_CASES[name]
    _sdpa_case(qs, ks, vs, **kw)


def test_sdpa_row_masked_out_entirely_gives_zeros_as_torch() -> None:
    """torch's CPU result for a query whose keys are all masked out is 0 (its _safe_softmax), with a
    zero gradient; a bool and a float mask alike."""
    bool_mask = np.ones((3, 5), dtype=bool)
    bool_mask[1] = False
    float_mask = np.where(bool_mask, 0.0, -np.inf)
    for mask in (bool_mask, float_mask):
        _sdpa_case((2, 3, 4), (2, 5, 4), (2, 5, 6), attn_mask=mask)
        q, k, v = (Tensor(RNG.normal(size=s), requires_grad=True) for s in ((2, 3, 4), (2, 5, 4), (2, 5, 6)))
        out = F.scaled_dot_product_attention(q, k, v, mask)
        assert (out.data[:, 1] == 0).all()
        out.sum().backward()
        assert (q.grad.data[:, 1] == 0).all()


def _edge_numbers(rng: np.random.Generator, shape: tuple, huge: bool = True) -> np.ndarray:
    """N(0, 1.5²) with a share of the fuzzers' edge values (nan, ±inf, ±0, huge and tiny numbers).
    Not ±1e308 in query and key (``huge=False``): a product that overflows beside an inf sums to nan
    in torch's matmul and to ±inf in numpy's, whose BLAS fuses the multiply and the add (no overflow
    in between): the engine's matmul, not attention."""
    edges = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-310, 710.0, -746.0, 40.0] + [1e308, -1e308] * huge
    x = rng.normal(0.0, 1.5, shape)
    return np.where(rng.random(shape) < 0.15, rng.choice(edges, size=shape), x)


def _close_to_the_largest(actual: np.ndarray, desired: np.ndarray, what: str) -> None:
    """Equal (nan where torch has nan) to 1e-6, and within a tolerance relative to the largest finite
    magnitude of the array: the softmax gradient y·(g - Σ g·y) cancels where g is large (v holding
    710 or 1e308) and y nearly one-hot, and its rounding noise is relative to those numbers, not to
    the small results (torch's -0.0 against 7e289 beside 1e307)."""
    finite = np.abs(desired[np.isfinite(desired)])
    atol = 1e-13 + 1e-12 * (finite.max() if finite.size else 0.0)
    assert np.allclose(actual, desired, rtol=1e-6, atol=atol, equal_nan=True), (
        f"{what}: {actual} vs {desired}"
    )


def test_sdpa_edge_values_match_torch() -> None:
    """A small differential fuzzer: nan, ±inf, huge and tiny numbers in query, key, value and a float
    mask; bool and causal masks that leave queries without keys (zeros, and torch's gradient there:
    0, or nan where the incoming gradient is not finite); scales 1/√E, 0.5 and -2."""
    for seed in range(400):
        rng = np.random.default_rng(seed)
        n_q, n_k, e = (int(n) for n in rng.integers(1, 4, 3))
        arrays = [
            _edge_numbers(rng, s, huge)
            for s, huge in (((2, n_q, e), False), ((2, n_k, e), False), ((2, n_k, 2), True))
        ]
        kind = seed % 4
        mask = {2: rng.random((n_q, n_k)) < 0.6, 3: _edge_numbers(rng, (n_q, n_k))}.get(kind)
        kw = {"is_causal": kind == 1, "scale": [None, 0.5, -2.0][seed % 3]}
        ours = [Tensor(a, requires_grad=True) for a in arrays]
        theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
        with np.errstate(all="ignore"):
            out = F.scaled_dot_product_attention(*ours, mask, **kw)
            ref = TF.scaled_dot_product_attention(*theirs, _t(mask), **kw)
            g = rng.uniform(0.5, 1.5, out.shape)
            out.backward(Tensor(g))
        ref.backward(torch.tensor(g))
        _close_to_the_largest(out.data, ref.detach().numpy(), f"seed {seed}: value")
        for name, x, y in zip("qkv", ours, theirs):
            _close_to_the_largest(x.grad.data, y.grad.numpy(), f"seed {seed}: gradient of {name}")


def test_sdpa_masked_row_gradient_is_nan_where_the_incoming_one_is_not_finite() -> None:
    """torch's _safe_softmax backward at a masked row is y·(g - Σ g·y) with y = 0: 0, or nan where g
    (here g·vᵀ, v holding inf) is not finite; in the other rows the softmax's own gradient."""
    mask = np.array([[True, True], [False, False]])
    v = np.array([[[1.0, np.inf], [2.0, 3.0]]])
    arrays = [RNG.normal(size=(1, 2, 3)), RNG.normal(size=(1, 2, 3)), v]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    F.scaled_dot_product_attention(*ours, mask).sum().backward()
    TF.scaled_dot_product_attention(*theirs, torch.tensor(mask)).sum().backward()
    np.testing.assert_array_equal(ours[0].grad.data, theirs[0].grad.numpy())
    assert np.isnan(ours[0].grad.data[0, 1]).all()
    v[0, 0, 1] = 4.0  # (finite: the masked row's gradient is 0)
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    F.scaled_dot_product_attention(*ours, mask).sum().backward()
    assert (ours[0].grad.data[0, 1] == 0).all()


def test_sdpa_second_derivatives_match_torch() -> None:
    arrays = [RNG.normal(size=s) for s in ((2, 3, 4), (2, 5, 4), (2, 5, 3))]
    mask = RNG.normal(size=(3, 5))
    g = RNG.normal(size=(2, 3, 3))
    for kw in ({}, {"is_causal": True}, {"attn_mask": mask}):
        a = [Tensor(x, requires_grad=True) for x in arrays]
        t = [torch.tensor(x, requires_grad=True) for x in arrays]
        out = F.scaled_dot_product_attention(*a, **kw)
        ref = TF.scaled_dot_product_attention(*t, **{k: _t(v) for k, v in kw.items()})
        first = ag.grad((out * Tensor(g)).sum(), a, create_graph=True)
        tfirst = torch.autograd.grad((ref * torch.tensor(g)).sum(), t, create_graph=True)
        w = [RNG.normal(size=x.shape) for x in arrays]
        second = ag.grad(sum((f * Tensor(wi)).sum() for f, wi in zip(first, w)), a)
        tsecond = torch.autograd.grad(sum((f * torch.tensor(wi)).sum() for f, wi in zip(tfirst, w)), t)
        for x, y in zip([*first, *second], [*tfirst, *tsecond]):
            np.testing.assert_allclose(x.data, y.detach().numpy(), **TOL)


def test_a_wrong_scale_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: scores scaled by 1/d instead of 1/√d differ from torch's."""
    _sdpa_case((2, 3, 4), (2, 5, 4), (2, 5, 4))
    monkeypatch.setattr(attention_module, "math", types.SimpleNamespace(sqrt=lambda v: v))
    with pytest.raises(AssertionError):
        _sdpa_case((2, 3, 4), (2, 5, 4), (2, 5, 4))


def test_sdpa_dropout() -> None:
    q, k, v = (Tensor(RNG.normal(size=(2, 3, 4))) for _ in range(3))
    assert (F.scaled_dot_product_attention(q, k, v, dropout_p=1.0).data == 0).all()
    ag.manual_seed(3)
    a = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5).data
    ag.manual_seed(3)
    np.testing.assert_array_equal(a, F.scaled_dot_product_attention(q, k, v, dropout_p=0.5).data)
    assert not np.allclose(a, F.scaled_dot_product_attention(q, k, v).data)


SDPA_ERRORS = {
    "1-d query": (((4,), (5, 4), (5, 4)), {}, RuntimeError, "at least 2-d"),
    "E differs": (((2, 3, 4), (2, 5, 3), (2, 5, 4)), {}, RuntimeError, "key's last dimension"),
    "S differs": (((2, 3, 4), (2, 5, 4), (2, 6, 4)), {}, RuntimeError, "value must have key's S=5"),
    "causal and mask": (
        ((2, 3, 4), (2, 5, 4), (2, 5, 4)),
        {"attn_mask": np.ones((3, 5), bool), "is_causal": True},
        RuntimeError,
        "must not be given with is_causal",
    ),
    "mask shape": (
        ((2, 3, 4), (2, 5, 4), (2, 5, 4)),
        {"attn_mask": np.ones((4, 5), bool)},
        RuntimeError,
        r"attn_mask of shape \[4, 5\] does not broadcast to the scores' shape \[2, 3, 5\]",
    ),
    "int mask": (
        ((2, 3, 4), (2, 5, 4), (2, 5, 4)),
        {"attn_mask": np.ones((3, 5), np.int64)},
        RuntimeError,
        "attn_mask to be bool or float, got dtype int64",
    ),
    "dropout_p": (((2, 3, 4), (2, 5, 4), (2, 5, 4)), {"dropout_p": 1.5}, ValueError, "between 0 and 1"),
    "scale": (((2, 3, 4), (2, 5, 4), (2, 5, 4)), {"scale": "1"}, TypeError, "scale must be a real number"),
    "gqa heads": (
        ((2, 4, 3, 4), (2, 3, 5, 4), (2, 3, 5, 4)),
        {"enable_gqa": True},
        RuntimeError,
        r"heads in key and value \(3\) must divide query's \(4\)",
    ),
    "heads without gqa": (((2, 4, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4)), {}, RuntimeError, "do not broadcast"),
}


@pytest.mark.parametrize("name", SDPA_ERRORS)
def test_sdpa_bad_inputs(name: str) -> None:
    shapes, kw, exc, message = SDPA_ERRORS[name]
    with pytest.raises(exc, match=message):
        F.scaled_dot_product_attention(*(Tensor(np.zeros(s)) for s in shapes), **kw)


def test_sdpa_dtypes_must_agree() -> None:
    with pytest.raises(RuntimeError, match="one floating dtype"):
        F.scaled_dot_product_attention(
            Tensor(np.zeros((3, 4))), Tensor(np.zeros((5, 4)), dtype=np.float32), Tensor(np.zeros((5, 4)))
        )


# ------------------------------------------------------------------ MultiheadAttention
def _pair(module: Any, **kw: Any) -> tuple[Any, Any]:
    """torch's module (float64) and ours with torch's weights."""
    theirs = getattr(torch.nn, module)(**kw, dtype=torch.float64)
    ours = getattr(nn, module)(**kw)
    state = {k: v.detach().numpy() for k, v in theirs.state_dict().items()}
    assert list(state) == list(ours.state_dict())
    ours.load_state_dict(state)
    return theirs, ours


def _same_everything(theirs: Any, ours: Any, arrays: list, fwd: dict, tfwd: dict | None = None) -> None:
    """Outputs (and weights), every input's and parameter's gradient for random upstream gradients."""
    a = [Tensor(x, requires_grad=True) for x in arrays]
    t = [torch.tensor(x, requires_grad=True) for x in arrays]
    out = ours(*a, **fwd)
    ref = theirs(*t, **(tfwd if tfwd is not None else {k: _t(v) for k, v in fwd.items()}))
    outs, refs = (out, ref) if isinstance(out, tuple) else ((out,), (ref,))
    assert len(outs) == len(refs)
    loss, tloss = 0.0, 0.0
    for o, r in zip(outs, refs):
        if r is None:
            assert o is None
            continue
        assert o.shape == tuple(r.shape)
        np.testing.assert_allclose(o.data, r.detach().numpy(), **TOL)
        g = RNG.normal(size=o.shape)
        loss, tloss = loss + (o * Tensor(g)).sum(), tloss + (r * torch.tensor(g)).sum()
    loss.backward()
    tloss.backward()
    for x, y in zip(a, t):
        np.testing.assert_allclose(x.grad.data, y.grad.numpy(), err_msg="input", **TOL)
    tparams = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        want = tparams[name].grad
        got = p.grad
        if want is None:
            assert got is None or not np.asarray(got.data).any(), name
        else:
            np.testing.assert_allclose(got.data, want.numpy(), err_msg=name, **TOL)


def _mha_inputs(kw: dict, L: int = 3, S: int = 5, N: int = 2, batched: bool = True) -> list:
    e = kw["embed_dim"]
    dims = (e, kw.get("kdim") or e, kw.get("vdim") or e)
    lengths = (L, S, S)
    if not batched:
        return [RNG.normal(size=(n, d)) for n, d in zip(lengths, dims)]
    if kw.get("batch_first"):
        return [RNG.normal(size=(N, n, d)) for n, d in zip(lengths, dims)]
    return [RNG.normal(size=(n, N, d)) for n, d in zip(lengths, dims)]


CAUSAL = np.triu(np.full((3, 3), -np.inf), 1)
KPM = RNG.random((2, 5)) < 0.4
KPM[:, 0] = False  # (no query masked out entirely: see the test of that below)
MHA_CASES = {
    "plain": ({}, {}),
    "need_weights=False": ({}, {"need_weights": False}),
    "per-head weights": ({}, {"average_attn_weights": False}),
    "batch_first": ({"batch_first": True}, {}),
    "kdim and vdim": ({"kdim": 3, "vdim": 6}, {}),
    "kdim and vdim, no weights": ({"kdim": 3, "vdim": 6}, {"need_weights": False}),
    "no bias": ({"bias": False}, {}),
    "bool masks": ({}, {"key_padding_mask": KPM, "attn_mask": RNG.random((3, 5)) < 0.2}),
    "bool masks, no weights": (
        {},
        {"key_padding_mask": KPM, "attn_mask": RNG.random((3, 5)) < 0.2, "need_weights": False},
    ),
    "float masks": ({}, {"key_padding_mask": RNG.normal(size=(2, 5)), "attn_mask": RNG.normal(size=(3, 5))}),
    "3-d float mask": ({}, {"attn_mask": RNG.normal(size=(4, 3, 5)), "need_weights": False}),
    "add_bias_kv": ({"add_bias_kv": True}, {"key_padding_mask": KPM, "attn_mask": RNG.random((3, 5)) < 0.2}),
    "add_zero_attn": ({"add_zero_attn": True}, {"key_padding_mask": KPM}),
    "both, no weights": (
        {"add_bias_kv": True, "add_zero_attn": True},
        {"key_padding_mask": KPM, "attn_mask": RNG.normal(size=(3, 5)), "need_weights": False},
    ),
    "causal": ({}, {"attn_mask": CAUSAL, "is_causal": True}),
    "causal, no weights": ({}, {"attn_mask": CAUSAL, "is_causal": True, "need_weights": False}),
    "causal with padding": ({}, {"attn_mask": CAUSAL, "is_causal": True, "key_padding_mask": KPM[:, :3]}),
    "dropout in eval mode": ({"dropout": 0.5}, {}),
}


@pytest.mark.parametrize("name", MHA_CASES)
def test_multihead_attention_matches_torch(name: str) -> None:
    kw, fwd = MHA_CASES[name]
    kw = {"embed_dim": 8, "num_heads": 2, **kw}
    theirs, ours = _pair("MultiheadAttention", **kw)
    theirs.eval()
    ours.eval()
    S = 3 if name.startswith("causal") else 5
    _same_everything(theirs, ours, _mha_inputs(kw, S=S), fwd)


@pytest.mark.parametrize("need_weights", [True, False])
def test_multihead_attention_unbatched(need_weights: bool) -> None:
    kw = {"embed_dim": 6, "num_heads": 3, "kdim": 4}
    theirs, ours = _pair("MultiheadAttention", **kw)
    fwd = {"need_weights": need_weights, "key_padding_mask": np.array([False, True, False, False, False])}
    _same_everything(theirs, ours, _mha_inputs(kw, batched=False), fwd)


def test_multihead_attention_query_masked_out_entirely() -> None:
    """torch's two paths: with the weights returned, nan (softmax of -infs); without, zeros."""
    kw = {"embed_dim": 4, "num_heads": 2}
    theirs, ours = _pair("MultiheadAttention", **kw)
    kpm = np.zeros((2, 5), dtype=bool)
    kpm[0] = True
    x = [Tensor(a) for a in _mha_inputs(kw)]
    tx = [torch.tensor(a.data) for a in x]
    out, w = ours(*x, key_padding_mask=kpm)
    ref, rw = theirs(*tx, key_padding_mask=torch.tensor(kpm))
    np.testing.assert_allclose(out.data, ref.detach().numpy(), equal_nan=True, **TOL)
    np.testing.assert_allclose(w.data, rw.detach().numpy(), equal_nan=True, **TOL)
    assert np.isnan(out.data[:, 0]).all() and np.isnan(w.data[0]).all()
    out, _ = ours(*x, key_padding_mask=kpm, need_weights=False)
    ref, _ = theirs(*tx, key_padding_mask=torch.tensor(kpm), need_weights=False)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), **TOL)


def test_multihead_attention_parameters_and_initialisation() -> None:
    m = nn.MultiheadAttention(8, 2, add_bias_kv=True)
    t = torch.nn.MultiheadAttention(8, 2, add_bias_kv=True)
    assert list(m.state_dict()) == list(t.state_dict())
    assert repr(m) == repr(t)
    assert {k: v.shape for k, v in m.state_dict().items()} == {
        k: tuple(v.shape) for k, v in t.state_dict().items()
    }
    bound = np.sqrt(6 / (8 + 24))  # xavier_uniform_ of (3E, E)
    assert np.abs(m.in_proj_weight.data).max() <= bound and np.abs(m.in_proj_weight.data).max() > bound / 2
    assert not m.in_proj_bias.data.any() and not m.out_proj.bias.data.any()
    assert m.bias_k.data.any() and m.bias_v.data.any()
    s = nn.MultiheadAttention(8, 4, kdim=3, vdim=5, bias=False)
    ts = torch.nn.MultiheadAttention(8, 4, kdim=3, vdim=5, bias=False)
    assert (
        list(s.state_dict())
        == list(ts.state_dict())
        == [
            "q_proj_weight",
            "k_proj_weight",
            "v_proj_weight",
            "out_proj.weight",
        ]
    )
    assert s.in_proj_weight is None and s.in_proj_bias is None and s.head_dim == 2
    # ours loads into torch's and gives torch's output
    ts.double().load_state_dict({k: torch.tensor(v.numpy()) for k, v in s.state_dict().items()})
    x, k, v = RNG.normal(size=(3, 2, 8)), RNG.normal(size=(4, 2, 3)), RNG.normal(size=(4, 2, 5))
    ref = ts(torch.tensor(x), torch.tensor(k), torch.tensor(v))[0]
    np.testing.assert_allclose(s(Tensor(x), Tensor(k), Tensor(v))[0].data, ref.detach().numpy(), **TOL)


MHA_ERRORS = {
    "not divisible": (lambda: nn.MultiheadAttention(10, 3), AssertionError, "embed_dim=10 and num_heads=3"),
    "zero heads": (lambda: nn.MultiheadAttention(8, 0), ValueError, "greater than 0"),
    "float size": (lambda: nn.MultiheadAttention(8.0, 2), TypeError, "embed_dim must be an int"),
    "dropout": (lambda: nn.MultiheadAttention(8, 2, dropout=2.0), ValueError, "between 0 and 1"),
    "device": (lambda: nn.MultiheadAttention(8, 2, device="cuda"), RuntimeError, "device='cuda'"),
}


@pytest.mark.parametrize("name", MHA_ERRORS)
def test_multihead_attention_bad_arguments(name: str) -> None:
    make, exc, message = MHA_ERRORS[name]
    with pytest.raises(exc, match=message):
        make()


def test_multihead_attention_bad_inputs() -> None:
    m = nn.MultiheadAttention(8, 2)
    x = Tensor(np.zeros((3, 2, 8)))
    y = Tensor(np.zeros((5, 2, 8)))
    cases = [
        ({"key_padding_mask": np.zeros((2, 4), bool)}, AssertionError, r"key_padding_mask of shape \[2, 5\]"),
        ({"key_padding_mask": np.zeros(5, bool)}, AssertionError, "key_padding_mask to be None or 2-D"),
        (
            {"attn_mask": np.zeros((3, 4), bool)},
            RuntimeError,
            r"2-D attn_mask is \[3, 4\], but should be \[3, 5\]",
        ),
        ({"attn_mask": np.zeros((2, 3, 5), bool)}, RuntimeError, r"should be \[4, 3, 5\]"),
        (
            {"attn_mask": np.zeros((3, 5), np.int64)},
            AssertionError,
            "only bool and floating types of attn_mask",
        ),
        ({"is_causal": True}, RuntimeError, "is_causal=True needs attn_mask"),
    ]
    for kw, exc, message in cases:
        with pytest.raises(exc, match=message):
            m(x, y, y, **kw)
    with pytest.raises(AssertionError, match="embedding dimension embed_dim=8, got 6"):
        m(Tensor(np.zeros((3, 2, 6))), y, y)
    with pytest.raises(AssertionError, match="expected key and value to be 3-D"):
        m(x, Tensor(np.zeros((5, 8))), y)
    with pytest.raises(AssertionError, match="4-d query"):
        m(Tensor(np.zeros((1, 3, 2, 8))), y, y)
    with pytest.raises(AssertionError, match="batch dimensions with the query's batch N=2"):
        m(x, Tensor(np.zeros((5, 3, 8))), Tensor(np.zeros((5, 3, 8))))


# ------------------------------------------------------------------ the Transformer layers
def _encoder_pair(layer_kw: dict, num_layers: int = 2, norm: bool = True) -> tuple[Any, Any]:
    layer_kw = {"d_model": 8, "nhead": 2, "dim_feedforward": 16, **layer_kw}
    tl = torch.nn.TransformerEncoderLayer(**layer_kw, dtype=torch.float64)
    ol = nn.TransformerEncoderLayer(**layer_kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.TransformerEncoder(
            tl,
            num_layers,
            norm=torch.nn.LayerNorm(8, dtype=torch.float64) if norm else None,
            enable_nested_tensor=False,
        )
    ours = nn.TransformerEncoder(ol, num_layers, norm=nn.LayerNorm(8) if norm else None)
    assert repr(ours) == repr(theirs)
    state = {k: v.detach().numpy() for k, v in theirs.state_dict().items()}
    assert list(state) == list(ours.state_dict())
    ours.load_state_dict(state)
    return theirs.eval(), ours.eval()


ENCODER_CASES = {
    "post-norm": ({}, {}),
    "pre-norm gelu": ({"norm_first": True, "activation": "gelu"}, {}),
    "batch_first": ({"batch_first": True}, {}),
    "no bias": ({"bias": False}, {}),
    "causal mask (detected)": ({}, {"mask": np.triu(np.full((5, 5), -np.inf), 1)}),
    "causal mask, is_causal": ({}, {"mask": np.triu(np.full((5, 5), -np.inf), 1), "is_causal": True}),
    "bool padding": ({"batch_first": True}, {"src_key_padding_mask": KPM}),
    "padding and mask": ({}, {"src_key_padding_mask": KPM, "mask": RNG.random((5, 5)) < 0.2}),
    "activation module": ({"activation": "module"}, {}),
}


@pytest.mark.parametrize("name", ENCODER_CASES)
def test_transformer_encoder_matches_torch(name: str) -> None:
    """Eval mode, so dropout is off; the input requires grad, so torch runs its math path (its fast
    path, taken in inference without gradients, rounds differently and is not compared)."""
    layer_kw, fwd = ENCODER_CASES[name]
    if layer_kw.get("activation") == "module":
        theirs, ours = _encoder_pair({})
        for t_layer, o_layer in zip(theirs.layers, ours.layers):
            t_layer.activation, o_layer.activation = torch.nn.Tanh(), nn.Tanh()
    else:
        theirs, ours = _encoder_pair(layer_kw)
    x = RNG.normal(size=(2, 5, 8) if layer_kw.get("batch_first") else (5, 2, 8))
    _same_everything(theirs, ours, [x], fwd)


def test_transformer_encoder_unbatched_and_layer_alone() -> None:
    theirs, ours = _encoder_pair({}, num_layers=1, norm=False)
    _same_everything(theirs, ours, [RNG.normal(size=(5, 8))], {"mask": np.triu(np.full((5, 5), -np.inf), 1)})
    _same_everything(theirs.layers[0], ours.layers[0], [RNG.normal(size=(4, 2, 8))], {})


def test_transformer_decoder_and_transformer_match_torch() -> None:
    kw = {"d_model": 8, "nhead": 2, "dim_feedforward": 16}
    for norm_first in (False, True):
        tl = torch.nn.TransformerDecoderLayer(**kw, norm_first=norm_first, dtype=torch.float64)
        ol = nn.TransformerDecoderLayer(**kw, norm_first=norm_first)
        theirs, ours = torch.nn.TransformerDecoder(tl, 2), nn.TransformerDecoder(ol, 2)
        assert repr(ours) == repr(theirs)
        ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
        theirs.eval()
        ours.eval()
        fwd = {"tgt_mask": np.triu(np.full((4, 4), -np.inf), 1), "memory_key_padding_mask": KPM}
        _same_everything(theirs, ours, [RNG.normal(size=(4, 2, 8)), RNG.normal(size=(5, 2, 8))], fwd)
    theirs = torch.nn.Transformer(8, 2, 2, 1, 16, dtype=torch.float64, batch_first=True)
    ours = nn.Transformer(8, 2, 2, 1, 16, batch_first=True)
    assert repr(ours) == repr(theirs)
    state = {k: v.detach().numpy() for k, v in theirs.state_dict().items()}
    assert list(state) == list(ours.state_dict())
    ours.load_state_dict(state)
    theirs.eval()
    ours.eval()
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    np.testing.assert_array_equal(mask.data, torch.nn.Transformer.generate_square_subsequent_mask(4).numpy())
    fwd = {"tgt_mask": mask.data, "src_key_padding_mask": KPM}
    _same_everything(theirs, ours, [RNG.normal(size=(2, 5, 8)), RNG.normal(size=(2, 4, 8))], fwd)


def test_transformer_state_dict_loads_into_torch() -> None:
    ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.nn.TransformerEncoder(
            torch.nn.TransformerEncoderLayer(8, 2, 16), 2, enable_nested_tensor=False
        )
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    assert list(ours.state_dict())[:4] == [
        "layers.0.self_attn.in_proj_weight",
        "layers.0.self_attn.in_proj_bias",
        "layers.0.self_attn.out_proj.weight",
        "layers.0.self_attn.out_proj.bias",
    ]
    assert "layers.1.norm2.bias" in ours.state_dict() and "layers.0.linear1.weight" in ours.state_dict()
    ours.layers[0].linear1.weight.data[0, 0] += 1.0  # deep copies: the layers do not share
    assert ours.layers[1].linear1.weight.data[0, 0] != ours.layers[0].linear1.weight.data[0, 0]
    theirs.double().eval()
    ours.eval()
    x = RNG.normal(size=(5, 2, 8))
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    ref = theirs(torch.tensor(x, requires_grad=True))
    np.testing.assert_allclose(ours(Tensor(x)).data, ref.detach().numpy(), **TOL)


def test_transformer_dropout_trains_and_repeats_with_the_seed() -> None:
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.3)
    x = Tensor(RNG.normal(size=(5, 2, 8)))
    ag.manual_seed(0)
    a = layer(x).data
    ag.manual_seed(0)
    np.testing.assert_array_equal(a, layer(x).data)
    layer.eval()
    assert not np.allclose(a, layer(x).data)


def test_transformer_bad_arguments() -> None:
    with pytest.raises(RuntimeError, match="activation should be 'relu' or 'gelu'"):
        nn.TransformerEncoderLayer(8, 2, activation="tanh")
    with pytest.raises(AssertionError, match="embed_dim=8 and num_heads=3"):
        nn.TransformerEncoderLayer(8, 3)
    with pytest.raises(TypeError, match="dim_feedforward must be a positive int"):
        nn.TransformerDecoderLayer(8, 2, dim_feedforward=0)
    with pytest.raises(TypeError, match="num_layers must be a non-negative int"):
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2.0)
    with pytest.raises(AssertionError, match="only bool and floating types of src_key_padding_mask"):
        nn.TransformerEncoderLayer(8, 2, 16)(
            Tensor(np.zeros((5, 2, 8))), src_key_padding_mask=np.zeros((2, 5), int)
        )
    t = nn.Transformer(8, 2, 1, 1, 16)
    with pytest.raises(RuntimeError, match="batch number of src and tgt must be equal"):
        t(Tensor(np.zeros((5, 2, 8))), Tensor(np.zeros((4, 3, 8))))
    with pytest.raises(RuntimeError, match="feature number of src and tgt must be d_model=8"):
        t(Tensor(np.zeros((5, 2, 8))), Tensor(np.zeros((4, 2, 6))))


# ------------------------------------------------------------------ compiled
def test_compiled_transformer_step_equals_eager_bit_for_bit() -> None:
    ag.manual_seed(0)
    layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)
    model = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))
    head = nn.Linear(8, 3)
    x = Tensor(RNG.normal(size=(2, 5, 8)))
    labels = RNG.integers(0, 3, size=10)
    mask = nn.Transformer.generate_square_subsequent_mask(5).data
    params = [*model.parameters(), *head.parameters()]

    def loss_fn() -> Tensor:
        logits = head(model(x, mask=mask, src_key_padding_mask=KPM)).reshape(10, 3)
        return F.cross_entropy(logits, labels)

    loss = loss_fn()
    loss.backward()
    eager = [p.grad.data.copy() for p in params]
    for p in params:
        p.grad = None
    step = ag.compile(loss_fn)
    for _ in range(2):  # (the trace, then the compiled code)
        for p in params:
            p.grad = None
        got = step()
        assert got.data.tobytes() == loss.data.tobytes()
        for p, g in zip(params, eager):
            assert p.grad.data.tobytes() == g.tobytes()


def test_names_are_no_longer_hinted_as_missing() -> None:
    for name in ("MultiheadAttention", "Transformer", "TransformerEncoder", "TransformerDecoderLayer"):
        assert isinstance(getattr(nn, name), type)
    assert callable(F.scaled_dot_product_attention)
    with pytest.raises(AttributeError, match="use autograd.nn.MultiheadAttention"):
        F.multi_head_attention_forward  # noqa: B018
