"""nn.functional's layer_norm, embedding and glu, and the modules LayerNorm, Embedding, GLU,
CosineSimilarity and PairwiseDistance, against torch: values and gradients in float64 and float32,
with nan and inf, 0-d and empty inputs where torch takes them, second order (layer_norm, glu),
modules in a Sequential with torch's weights, state dicts, reprs and bad arguments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd as ag
import autograd.nn as nn
import autograd.nn.functional as F
from autograd import Tensor, Value, ValueArray

torch = pytest.importorskip("torch")
tnn, TF = torch.nn, torch.nn.functional

rng = np.random.default_rng(7)
X = rng.normal(size=(2, 3, 4))
W34, B34 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
W4, B4 = rng.normal(size=4), rng.normal(size=4)
TABLE = rng.normal(size=(6, 3))
IDX = np.array([[0, 2, 2], [5, 1, 2]])
EDGE = np.array(
    [[1.0, np.nan, 2.0, 3.0], [np.inf, 1.0, 0.0, -1.0], [-np.inf, np.inf, 1.0, 2.0], [1.0, 1.0, 1.0, 1.0]]
)

#: name -> (ours, torch's, arrays): each array a differentiable argument
CASES: dict[str, tuple[Any, Any, list[np.ndarray]]] = {
    "layer_norm last": (lambda x: F.layer_norm(x, (4,)), lambda x: TF.layer_norm(x, (4,)), [X]),
    "layer_norm last two, affine": (
        lambda x, w, b: F.layer_norm(x, [3, 4], w, b),
        lambda x, w, b: TF.layer_norm(x, [3, 4], w, b),
        [X, W34, B34],
    ),
    "layer_norm weight only, eps": (
        lambda x, w: F.layer_norm(x, (4,), w, eps=0.5),
        lambda x, w: TF.layer_norm(x, (4,), w, eps=0.5),
        [X, W4],
    ),
    "layer_norm bias only, 1-d": (
        lambda x, b: F.layer_norm(x, (4,), bias=b),
        lambda x, b: TF.layer_norm(x, (4,), bias=b),
        [X[0, 0], B4],
    ),
    "layer_norm of one element": (
        lambda x: F.layer_norm(x, (1,)),
        lambda x: TF.layer_norm(x, (1,)),
        [X[..., :1]],
    ),
    "glu last": (F.glu, TF.glu, [X]),
    "glu dim 0 of 1-d": (lambda x: F.glu(x, 0), lambda x: TF.glu(x, 0), [X[0, 0]]),
    "glu dim -3": (lambda x: F.glu(x, -3), lambda x: TF.glu(x, -3), [X[:, :2]]),
    "embedding": (
        lambda w: F.embedding(ag.tensor(IDX), w),
        lambda w: TF.embedding(torch.tensor(IDX), w),
        [TABLE],
    ),
    "embedding padding_idx": (
        lambda w: F.embedding(IDX, w, padding_idx=2),
        lambda w: TF.embedding(torch.tensor(IDX), w, padding_idx=2),
        [TABLE],
    ),
    "embedding padding_idx=-1, scale_grad_by_freq": (
        lambda w: F.embedding(IDX, w, padding_idx=-1, scale_grad_by_freq=True),
        lambda w: TF.embedding(torch.tensor(IDX), w, padding_idx=-1, scale_grad_by_freq=True),
        [TABLE],
    ),
    "embedding 0-d index": (
        lambda w: F.embedding(ag.tensor(3), w),
        lambda w: TF.embedding(torch.tensor(3), w),
        [TABLE],
    ),
}

DTYPES = {np.float64: (torch.float64, 1e-12, 1e-13), np.float32: (torch.float32, 2e-5, 1e-5)}


def _run(name: str, arrays: list[np.ndarray], dtype: Any = np.float64) -> tuple[Any, Any, list, list]:
    ours, theirs, _ = CASES[name]
    xs = [Tensor(a, dtype=dtype, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, dtype=DTYPES[dtype][0], requires_grad=True) for a in arrays]
    out, ref = ours(*xs), theirs(*ts)
    u = np.linspace(-1.0, 2.0, out.data.size).reshape(out.shape)
    out.backward(Tensor(u, dtype=dtype))
    ref.backward(torch.tensor(u, dtype=DTYPES[dtype][0]))
    return out, ref, xs, ts


def _close(actual: np.ndarray, desired: np.ndarray, rtol: float, atol: float = 0.0) -> None:
    assert actual.dtype == desired.dtype and actual.shape == desired.shape
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_as_torch(name: str, dtype: Any) -> None:
    _, rtol, atol = DTYPES[dtype]
    out, ref, xs, ts = _run(name, CASES[name][2], dtype)
    _close(out.data, ref.detach().numpy(), rtol, atol)
    for x, t in zip(xs, ts):
        _close(x.grad.data, t.grad.numpy(), rtol, atol)


@pytest.mark.parametrize(
    "name, arrays",
    [
        ("layer_norm last", [EDGE]),
        ("layer_norm weight only, eps", [EDGE, np.array([1.0, np.inf, -2.0, np.nan])]),
        ("glu last", [EDGE]),
        ("glu dim 0 of 1-d", [np.array([np.inf, -np.inf, 1.0, np.nan, 2.0, np.inf, -np.inf, np.nan])]),
        ("embedding padding_idx", [np.where(TABLE > 1.0, np.inf, np.where(TABLE < -1.0, np.nan, TABLE))]),
        (
            "embedding padding_idx=-1, scale_grad_by_freq",
            [np.where(TABLE > 1.0, -np.inf, np.where(TABLE < -1.0, np.nan, -0.0 * TABLE))],
        ),
    ],
)
def test_nan_and_infinities_as_torch(name: str, arrays: list[np.ndarray]) -> None:
    out, ref, xs, ts = _run(name, arrays)
    want = ref.detach().numpy()
    _close(out.data, want, 1e-12, 1e-13)
    np.testing.assert_array_equal(np.signbit(out.data[~np.isnan(want)]), np.signbit(want[~np.isnan(want)]))
    for x, t in zip(xs, ts):
        _close(x.grad.data, t.grad.numpy(), 1e-12, 1e-13)


@pytest.mark.parametrize(
    "ours, theirs, shape",
    [
        (lambda x: F.layer_norm(x, (4,)), lambda x: TF.layer_norm(x, (4,)), (0, 4)),
        (lambda x: F.layer_norm(x, (0,)), lambda x: TF.layer_norm(x, (0,)), (2, 0)),
        (F.glu, TF.glu, (0, 4)),
        (F.glu, TF.glu, (3, 0)),
        (
            lambda w: F.embedding(np.zeros((2, 0), int), w),
            lambda w: TF.embedding(torch.zeros(2, 0).long(), w),
            (4, 3),
        ),
    ],
)
def test_empty_inputs_as_torch(ours: Any, theirs: Any, shape: tuple[int, ...]) -> None:
    x, t = (
        Tensor(np.ones(shape), requires_grad=True),
        torch.ones(shape, dtype=torch.float64, requires_grad=True),
    )
    out, ref = ours(x), theirs(t)
    assert out.shape == tuple(ref.shape)
    out.sum().backward()
    ref.sum().backward()
    _close(x.grad.data, t.grad.numpy(), 0.0)


SECOND_ORDER = {
    "layer_norm": (
        lambda x, w, b: F.layer_norm(x, (3, 4), w, b, eps=1e-3),
        lambda x, w, b: TF.layer_norm(x, (3, 4), w, b, eps=1e-3),
    ),
    "glu": (lambda x, w, b: F.glu(x * w + b, 1), lambda x, w, b: TF.glu(x * w + b, 1)),
}


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_order_as_torch(name: str) -> None:
    """The gradient of (the gradient · v) with respect to every input: the Hessian-vector products."""
    ours, theirs = SECOND_ORDER[name]
    a = [
        X[:, :2] if name == "glu" else X,
        W34[:2] if name == "glu" else W34,
        B34[:2] if name == "glu" else B34,
    ]
    xs = [Tensor(v, requires_grad=True) for v in a]
    ts = [torch.tensor(v, requires_grad=True) for v in a]
    out, ref = ours(*xs), theirs(*ts)
    u = np.cos(np.arange(out.data.size)).reshape(out.shape)
    gs = ag.autograd.grad((out * Tensor(u)).sum(), xs, create_graph=True)
    hs = torch.autograd.grad((ref * torch.tensor(u)).sum(), ts, create_graph=True)
    v = [np.sin(np.arange(x.size) + 1.0).reshape(x.shape) for x in a]
    unused = {"allow_unused": True, "materialize_grads": True}  # (layer_norm's bias: a zero Hessian)
    second = ag.autograd.grad(sum((g * Tensor(w)).sum() for g, w in zip(gs, v)), xs, **unused)
    reference = torch.autograd.grad(sum((h * torch.tensor(w)).sum() for h, w in zip(hs, v)), ts, **unused)
    for g, h in zip(gs, hs):
        _close(g.data, h.detach().numpy(), 1e-11, 1e-13)
    for s, r in zip(second, reference):
        _close(s.data if isinstance(s, Tensor) else s, r.numpy(), 1e-10, 1e-12)


def _unbiased_layer_norm(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """layer_norm with a wrong rule: the unbiased variance (divided by n - 1)."""
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    return (x - x.mean(axes, keepdims=True)) / (x.var(axes, correction=1, keepdims=True) + 1e-5).sqrt()


def test_the_torch_comparison_catches_an_unbiased_variance() -> None:
    ours = _unbiased_layer_norm(Tensor(X), (4,)).data
    ref = TF.layer_norm(torch.tensor(X), (4,)).numpy()
    with pytest.raises(AssertionError):
        _close(ours, ref, 1e-12, 1e-13)
    _close(F.layer_norm(Tensor(X), (4,)).data, ref, 1e-12, 1e-13)


def test_the_gradient_check_catches_a_padding_row_that_learns() -> None:
    w, t = Tensor(TABLE, requires_grad=True), torch.tensor(TABLE, requires_grad=True)
    F.embedding(IDX, w).sum().backward()  # (padding_idx forgotten: row 2 gets a gradient)
    TF.embedding(torch.tensor(IDX), t, padding_idx=2).sum().backward()
    with pytest.raises(AssertionError):
        _close(w.grad.data, t.grad.numpy(), 1e-12)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, np.inf])
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_max_norm_renormalizes_the_rows_taken_in_place_as_torch(norm_type: float, dtype: Any) -> None:
    table = 3.0 * TABLE
    table[4] *= 1e-3  # (a row below max_norm, not taken: left alone either way)
    w, t = Tensor(table, dtype=dtype, requires_grad=True), torch.tensor(table, dtype=DTYPES[dtype][0])
    t.requires_grad_()
    idx = np.array([[0, 0, 1], [4, 5, 0]])
    out = F.embedding(idx, w, max_norm=1.5, norm_type=norm_type)
    ref = TF.embedding(torch.tensor(idx), t, max_norm=1.5, norm_type=norm_type)
    rtol = DTYPES[dtype][1]
    _close(w.data, t.detach().numpy(), rtol)  # (the table, changed in place)
    _close(out.data, ref.detach().numpy(), rtol)
    out.sum().backward()
    ref.sum().backward()
    _close(w.grad.data, t.grad.numpy(), rtol)
    np.testing.assert_array_equal(w.data[[2, 3]], table[[2, 3]].astype(dtype))  # (rows not taken)


# -- modules


def _torch_copy(model: nn.Module, reference: Any) -> None:
    model.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})


def test_a_sequential_of_the_new_modules_as_torchs() -> None:
    model = nn.Sequential(nn.Embedding(7, 4, padding_idx=0), nn.LayerNorm(4), nn.Linear(4, 6), nn.GLU())
    reference = tnn.Sequential(
        tnn.Embedding(7, 4, padding_idx=0), tnn.LayerNorm(4), tnn.Linear(4, 6), tnn.GLU()
    ).double()
    with torch.no_grad():  # (LayerNorm's own weights start at ones and zeros: other values)
        reference[1].weight.normal_()
        reference[1].bias.normal_()
    _torch_copy(model, reference)
    assert list(model.state_dict()) == list(reference.state_dict())
    idx = np.array([[0, 3, 6, 3], [1, 2, 0, 5]])
    out, ref = model(idx), reference(torch.tensor(idx))
    _close(out.data, ref.detach().numpy(), 1e-12)
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    for (name, p), (tname, tp) in zip(model.named_parameters(), reference.named_parameters()):
        assert name == tname
        _close(p.grad.data, tp.grad.numpy(), 1e-11, 1e-14)
    assert not model[0].weight.grad.data[0].any()  # (padding_idx's row)


def test_distance_modules_as_torchs() -> None:
    a, b = rng.normal(size=(5, 4)), rng.normal(size=(1, 4))
    for ours, theirs in [
        (nn.CosineSimilarity(), tnn.CosineSimilarity()),
        (nn.CosineSimilarity(dim=0, eps=1e-3), tnn.CosineSimilarity(dim=0, eps=1e-3)),
        (nn.PairwiseDistance(), tnn.PairwiseDistance()),
        (nn.PairwiseDistance(1.0, 1e-3, True), tnn.PairwiseDistance(1.0, 1e-3, True)),
    ]:
        assert repr(ours) == repr(theirs)
        x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
        out, ref = ours(x, Tensor(b)), theirs(t, torch.tensor(b))
        _close(out.data, ref.detach().numpy(), 1e-12)
        out.sum().backward()
        ref.sum().backward()
        _close(x.grad.data, t.grad.numpy(), 1e-12)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.LayerNorm(10),
        lambda m: m.LayerNorm((2, 3), eps=1e-3, elementwise_affine=False),
        lambda m: m.LayerNorm([3], bias=False),
        lambda m: m.Embedding(10, 3),
        lambda m: m.Embedding(10, 3, padding_idx=-1, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True),
        lambda m: m.Embedding(0, 2),
        lambda m: m.GLU(),
        lambda m: m.GLU(1),
    ],
)
def test_reprs_state_dict_keys_and_shapes_as_torchs(make: Any) -> None:
    ours, theirs = make(nn), make(tnn)
    assert repr(ours) == repr(theirs)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }


def test_layer_norm_starts_at_ones_and_zeros_and_its_state_dict_round_trips() -> None:
    m = nn.LayerNorm((3, 4))
    assert (m.weight.data == 1.0).all() and (m.bias.data == 0.0).all() and m.weight.requires_grad
    reference = tnn.LayerNorm((3, 4)).double()
    with torch.no_grad():
        reference.weight.normal_()
        reference.bias.normal_()
    _torch_copy(m, reference)
    _close(m(X).data, reference(torch.tensor(X)).detach().numpy(), 1e-12)
    again = tnn.LayerNorm((3, 4)).double()
    again.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in m.state_dict().items()})
    _close(again.weight.detach().numpy(), reference.weight.detach().numpy(), 0.0)
    m.reset_parameters()
    assert (m.weight.data == 1.0).all() and (m.bias.data == 0.0).all()
    assert nn.LayerNorm(2, dtype=ag.float32).weight.dtype == ag.float32


def test_embedding_draws_from_the_standard_normal_with_the_padding_row_zeroed() -> None:
    ag.manual_seed(0)
    m = nn.Embedding(4000, 5, padding_idx=3)
    w = m.weight.data
    assert m.weight.requires_grad and w.dtype == np.float64
    assert not w[3].any() and abs(w.mean()) < 0.02 and abs(w.std() - 1.0) < 0.02
    ag.manual_seed(0)
    np.testing.assert_array_equal(nn.Embedding(4000, 5, padding_idx=3).weight.data, w)  # (seeded)
    assert not nn.Embedding(3, 2, _freeze=True).weight.requires_grad


def test_embedding_from_pretrained_shares_and_freezes_as_torch() -> None:
    table = Tensor(TABLE)
    m = nn.Embedding.from_pretrained(table, padding_idx=1)
    r = tnn.Embedding.from_pretrained(torch.tensor(TABLE), padding_idx=1)
    assert repr(m) == repr(r) and m.weight.data is table.data
    assert m.weight.requires_grad is r.weight.requires_grad is False
    _close(m(IDX).data, r(torch.tensor(IDX)).numpy(), 0.0)  # (row 1 is kept as given, as torch's)
    assert nn.Embedding.from_pretrained(TABLE, freeze=False).weight.requires_grad
    sd = m.state_dict()
    m2 = nn.Embedding(6, 3)
    m2.load_state_dict(sd)
    np.testing.assert_array_equal(m2.weight.data, TABLE)


# -- bad arguments: torch's exception types, with the argument named

S = "must be a tuple or list of ints, got"
BAD: list[tuple[Any, type, str]] = [
    (lambda: F.layer_norm(X, 4), TypeError, rf"layer_norm: normalized_shape {S} int 4"),
    (lambda: F.layer_norm(X, (4.0,)), TypeError, rf"layer_norm: normalized_shape {S} float 4.0"),
    (
        lambda: F.layer_norm(X, (3,)),
        RuntimeError,
        r"layer_norm: given normalized_shape=\[3\], expected an input of shape \[\*, 3\], got .*\[2, 3, 4\]",
    ),
    (lambda: F.layer_norm(X, (1, 2, 3, 4)), RuntimeError, r"expected an input of shape \[\*, 1, 2, 3, 4\]"),
    (lambda: F.layer_norm(X, ()), RuntimeError, "layer_norm: normalized_shape must have at least one dim"),
    (
        lambda: F.layer_norm(X, (4,), np.ones(3)),
        RuntimeError,
        r"layer_norm: expected weight of shape normalized_shape=\[4\], got shape \[3\]",
    ),
    (lambda: F.layer_norm(X, (4,), None, np.ones(3)), RuntimeError, "layer_norm: expected bias of shape"),
    (
        lambda: F.layer_norm(X, (4,), Tensor(np.ones(4), dtype=np.float32)),
        RuntimeError,
        "layer_norm: weight is float32 and input float64",
    ),
    (
        lambda: F.layer_norm(ag.tensor([[1, 2]]), (2,)),
        NotImplementedError,
        "layer_norm: input must hold floats",
    ),
    (lambda: F.layer_norm(X, (4,), eps="a"), TypeError, "layer_norm: eps must be a real number, got str"),
    (
        lambda: F.layer_norm(ValueArray([1.0, 2.0]), (2,)),
        TypeError,
        "layer_norm: input must be a Tensor or plain numbers, got a ValueArray",
    ),
    (
        lambda: F.glu(X, 1),
        RuntimeError,
        "glu: the halved dimension must be even, but dimension 1 is of size 3",
    ),
    (
        lambda: F.glu(X, 3),
        IndexError,
        r"glu: dim=3 is out of range for an input of 3 dimension\(s\) \(expected in \[-3, 2\]\)",
    ),
    (lambda: F.glu(Tensor(1.0)), RuntimeError, "glu: input must be at least 1-d"),
    (lambda: F.glu(Value(1.0)), TypeError, "glu: input must be a Tensor or ValueArray .*got a Value"),
    (lambda: F.glu(X, 1.0), TypeError, "glu: dim must be an int, got float 1.0"),
    (lambda: F.glu(ag.tensor([1, 2])), NotImplementedError, "glu: input must hold floats .*got int64"),
    (
        lambda: F.embedding([0, 6], TABLE),
        IndexError,
        r"embedding: index 6 of input is out of range .*num_emb.*=6 rows \(indices must be in \[0, 6\)\)",
    ),
    (lambda: F.embedding(ag.tensor([-1]), TABLE), IndexError, "embedding: index -1 of input is out of range"),
    (
        lambda: F.embedding(Tensor([0.0, 1.0]), TABLE),
        RuntimeError,
        r"embedding: input must hold integer indices \(int64 or int32\), got dtype float64",
    ),
    (lambda: F.embedding(np.array([True]), TABLE), RuntimeError, "embedding: input must hold integer .*bool"),
    (
        lambda: F.embedding(ValueArray([0.0]), TABLE),
        TypeError,
        "embedding: input must be a Tensor or an array of integer indices, got a ValueArray",
    ),
    (
        lambda: F.embedding([0], TABLE[0]),
        RuntimeError,
        r"embedding: weight must be 2-d, \(num_embeddings, embedding_dim\), got shape \[3\]",
    ),
    (
        lambda: F.embedding([0], TABLE, padding_idx=6),
        AssertionError,
        r"embedding: padding_idx must be within num_embeddings, in \[-6, 6\), got 6",
    ),
    (lambda: F.embedding([0], TABLE, padding_idx=-7), AssertionError, "padding_idx must be within num_emb"),
    (
        lambda: F.embedding([0], TABLE, padding_idx=1.0),
        TypeError,
        "embedding: padding_idx must be an int or None, got float 1.0",
    ),
    (lambda: F.embedding([0], TABLE, sparse=True), NotImplementedError, "embedding: sparse=True is not supp"),
    (
        lambda: F.embedding([0], TABLE, scale_grad_by_freq=1),
        TypeError,
        "embedding: scale_grad_by_freq must be a bool, got int 1",
    ),
    (lambda: F.embedding([0], TABLE, max_norm="1"), TypeError, "embedding: max_norm must be a real number"),
    (lambda: nn.LayerNorm(2.0), TypeError, rf"LayerNorm: normalized_shape {S} float 2.0"),
    (lambda: nn.LayerNorm(-1), RuntimeError, r"LayerNorm: normalized_shape must hold non-negative sizes"),
    (lambda: nn.LayerNorm(3, device="cuda"), RuntimeError, "LayerNorm: device='cuda' is not supported"),
    (lambda: nn.Embedding(2.0, 3), TypeError, "Embedding: num_embeddings must be an int, got float 2.0"),
    (lambda: nn.Embedding(3, -1), RuntimeError, "Embedding: embedding_dim must be non-negative, got -1"),
    (lambda: nn.Embedding(3, 2, padding_idx=3), AssertionError, "Embedding: padding_idx must be within"),
    (lambda: nn.Embedding(3, 2, sparse=True), NotImplementedError, "Embedding: sparse=True is not supp"),
    (
        lambda: nn.Embedding(3, 2, _weight=np.zeros((2, 2))),
        AssertionError,
        r"Embedding: _weight must be of shape \(num_embeddings, embedding_dim\) = \(3, 2\), got \(2, 2\)",
    ),
    (
        lambda: nn.Embedding.from_pretrained(np.zeros(3)),
        AssertionError,
        "from_pretrained: embeddings must be 2-d",
    ),
    (lambda: nn.Embedding(3, 2)(ag.tensor([3])), IndexError, "embedding: index 3 of input is out of range"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD)
def test_bad_arguments_raise_torchs_errors_by_name(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


T, TT = torch.tensor, torch.tensor(TABLE)


@pytest.mark.parametrize(
    ("ours", "theirs", "error"),
    [
        (lambda: F.layer_norm(X, (3,)), lambda: TF.layer_norm(T(X), (3,)), RuntimeError),
        (lambda: F.layer_norm(X, 4), lambda: TF.layer_norm(T(X), 4), TypeError),
        (lambda: F.glu(X, 1), lambda: TF.glu(T(X), 1), RuntimeError),
        (lambda: F.glu(X, 3), lambda: TF.glu(T(X), 3), IndexError),
        (lambda: F.glu(Tensor(1.0)), lambda: TF.glu(T(1.0)), RuntimeError),
        (lambda: F.embedding([6], TABLE), lambda: TF.embedding(T([6]), TT), IndexError),
        (lambda: F.embedding(Tensor([0.0]), TABLE), lambda: TF.embedding(T([0.0]), TT), RuntimeError),
        (lambda: F.embedding([0], TABLE, padding_idx=6), lambda: TF.embedding(T([0]), TT, 6), AssertionError),
        (lambda: nn.Embedding(3, -1), lambda: tnn.Embedding(3, -1), RuntimeError),
        (lambda: nn.LayerNorm(2.0), lambda: tnn.LayerNorm(2.0), TypeError),
    ],
)
def test_the_error_types_are_torchs(ours: Any, theirs: Any, error: type) -> None:
    for call in (ours, theirs):
        with pytest.raises(error):
            call()


def test_the_new_names_no_longer_say_not_supported() -> None:
    for module, name in [(nn, "LayerNorm"), (nn, "Embedding"), (F, "layer_norm"), (F, "embedding")]:
        assert name in module.__all__
    assert F.layer_norm.__module__ == F.glu.__module__ == "autograd.nn.functional"  # (its reference page)
    with pytest.raises(AttributeError, match="the layers here are linear, dropout, layer_norm, batch_norm"):
        F.conv_tbc  # noqa: B018


def test_glu_on_a_value_array_gives_the_tensors_numbers() -> None:
    values = [[-1.0, 0.5, 2.0, -3.0], [0.0, 1.0, -0.5, 4.0]]
    array, tensor = ValueArray(values), Tensor(np.array(values), requires_grad=True)
    F.glu(array).sum().to_value().backward()
    F.glu(tensor).sum().backward()
    np.testing.assert_allclose(F.glu(array).data, F.glu(Tensor(np.array(values))).data, rtol=1e-12)
    np.testing.assert_allclose(array.grad, tensor.grad.data, rtol=1e-12)


def test_the_padding_row_gets_no_gradient_even_from_a_nan_as_torch() -> None:
    """torch skips the padding positions (their gradient is not multiplied by 0: a nan stays out)."""
    g = np.array([[np.nan, 1.0, 2.0], [3.0, np.inf, 1.0], [1.0, 1.0, -np.inf]])
    for options in [{"padding_idx": 0}, {"padding_idx": 0, "scale_grad_by_freq": True}]:
        w, t = Tensor(TABLE, requires_grad=True), torch.tensor(TABLE, requires_grad=True)
        F.embedding([0, 2, 0], w, **options).backward(Tensor(g))
        TF.embedding(torch.tensor([0, 2, 0]), t, **options).backward(torch.tensor(g))
        _close(w.grad.data, t.grad.numpy(), 1e-12)
        assert not w.grad.data[0].any()
