"""The recurrent layers (RNN, LSTM, GRU and their cells) against torch 2.13: with torch's weights
copied in, the outputs, final states and the gradients of every parameter, the input and the initial
states for a random upstream gradient, over layers, directions, layouts, bias and h_0; second
derivatives; float32; reprs and state dicts both ways; a compiled step equal to eager bit for bit;
a wrong gate order caught; bad arguments refused naming the argument; and an LSTM that learns."""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import numpy as np
import pytest

import autograd as ag
import optimizers as O
from autograd import Tensor, nn
from autograd.nn import rnn as rnn_module

torch = pytest.importorskip("torch")
tnn = torch.nn
torch.set_num_threads(1)

L, N, H_IN, H = 4, 3, 3, 4
TORCH_DTYPES = {np.float64: torch.float64, np.float32: torch.float32}

#: name -> (class name, constructor keywords)
LAYERS = {
    "RNN": ("RNN", {}),
    "RNN-relu": ("RNN", {"nonlinearity": "relu"}),
    "LSTM": ("LSTM", {}),
    "LSTM-proj": ("LSTM", {"proj_size": 2}),
    "GRU": ("GRU", {}),
}


def _pair(cls: str, args: tuple, kwargs: dict, dtype: Any = np.float64, seed: int = 0) -> tuple[Any, Any]:
    """Ours and torch's, torch's weights copied into ours."""
    torch.manual_seed(seed)
    theirs = getattr(tnn, cls)(*args, **kwargs, dtype=TORCH_DTYPES[dtype])
    ours = getattr(nn, cls)(*args, **kwargs, dtype=dtype)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    return ours, theirs


def _close(actual: Any, desired: Any, rtol: float, atol: float, what: str) -> None:
    actual = actual.data if isinstance(actual, Tensor) else actual
    desired = desired.detach().numpy() if isinstance(desired, torch.Tensor) else desired
    assert np.shape(actual) == np.shape(desired), f"{what}: shape {np.shape(actual)} vs {np.shape(desired)}"
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, err_msg=what)


def _flat(result: Any) -> list[Any]:
    """(output, h_n) or (output, (h_n, c_n)) as a flat list."""
    out, state = result
    return [out, *state] if isinstance(state, tuple) else [out, state]


def _compare(
    ours: Any,
    theirs: Any,
    x: np.ndarray,
    states: list[np.ndarray] | None,
    dtype: Any = np.float64,
    rtol: float = 1e-12,
    atol: float = 1e-13,
    seed: int = 1,
) -> None:
    """Run both on ``x`` (and the initial states, None: left out); compare every result and, for a
    random upstream gradient of each, the gradients of the parameters, the input and the states."""
    tdtype = TORCH_DTYPES[dtype]
    xs = Tensor(x, dtype=dtype, requires_grad=True)
    xt = torch.tensor(x, dtype=tdtype, requires_grad=True)
    ss = [Tensor(s, dtype=dtype, requires_grad=True) for s in states or []]
    st = [torch.tensor(s, dtype=tdtype, requires_grad=True) for s in states or []]
    if isinstance(ours, (nn.LSTM, nn.LSTMCell)):
        ours_hx, theirs_hx = (tuple(ss), tuple(st)) if states else (None, None)
    else:
        ours_hx, theirs_hx = (ss[0], st[0]) if states else (None, None)
    got, want = ours(xs, ours_hx), theirs(xt, theirs_hx)
    if isinstance(ours, nn.RNNBase):
        got, want = _flat(got), _flat(want)
    else:
        got, want = (list(got), list(want)) if isinstance(got, tuple) else ([got], [want])
    rng = np.random.default_rng(seed)
    loss_ours, loss_theirs = 0.0, 0.0
    for i, (g, w) in enumerate(zip(got, want)):
        _close(g, w, rtol, atol, f"result {i}")
        u = rng.uniform(-1.0, 1.0, tuple(w.shape))
        loss_ours = loss_ours + (g * Tensor(u, dtype=dtype)).sum()
        loss_theirs = loss_theirs + (w * torch.tensor(u, dtype=tdtype)).sum()
    loss_ours.backward()
    loss_theirs.backward()
    named = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        _close(p.grad, named[name].grad, rtol, atol, f"the gradient of {name}")
    _close(xs.grad, xt.grad, rtol, atol, "the gradient of the input")
    for i, (s, t) in enumerate(zip(ss, st)):
        _close(s.grad, t.grad, rtol, atol, f"the gradient of initial state {i}")


def _inputs(
    cls: str, kw: dict, layout: str, with_h0: bool, num_layers: int, bidirectional: bool, seed: int = 0
):
    rng = np.random.default_rng(seed)
    shape = {"batched": (L, N, H_IN), "batch_first": (N, L, H_IN)}.get(layout, (L, H_IN))
    x = rng.normal(size=shape)
    if not with_h0:
        return x, None
    layers = num_layers * (2 if bidirectional else 1)
    batch = () if layout.startswith("unbatched") else (N,)
    h0 = rng.normal(size=(layers, *batch, kw.get("proj_size") or H))
    return x, [h0, rng.normal(size=(layers, *batch, H))] if cls == "LSTM" else [h0]


CASES = list(
    itertools.product(
        LAYERS,
        [(1, False), (2, False), (1, True), (2, True)],
        ["batched", "batch_first", "unbatched", "unbatched-batch_first"],
    )
)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no-bias"])
@pytest.mark.parametrize("with_h0", [True, False], ids=["h0", "no-h0"])
@pytest.mark.parametrize(
    ("name", "depth", "layout"), CASES, ids=[f"{n}-{d[0]}{'bi' * d[1]}-{lay}" for n, d, lay in CASES]
)
def test_layers_as_torch(name: str, depth: tuple[int, bool], layout: str, with_h0: bool, bias: bool) -> None:
    cls, kw = LAYERS[name]
    num_layers, bidirectional = depth
    kwargs = dict(
        kw,
        num_layers=num_layers,
        bidirectional=bidirectional,
        bias=bias,
        batch_first=layout.endswith("batch_first"),
    )
    ours, theirs = _pair(cls, (H_IN, H), kwargs)
    x, states = _inputs(cls, kw, layout, with_h0, num_layers, bidirectional)
    _compare(ours, theirs, x, states)


CELLS = {
    "RNNCell": ("RNNCell", {}),
    "RNNCell-relu": ("RNNCell", {"nonlinearity": "relu"}),
    "LSTMCell": ("LSTMCell", {}),
    "GRUCell": ("GRUCell", {}),
}


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no-bias"])
@pytest.mark.parametrize("with_h0", [True, False], ids=["h0", "no-h0"])
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("name", CELLS)
def test_cells_as_torch(name: str, batched: bool, with_h0: bool, bias: bool) -> None:
    cls, kw = CELLS[name]
    ours, theirs = _pair(cls, (H_IN, H), dict(kw, bias=bias))
    rng = np.random.default_rng(2)
    batch = (N,) if batched else ()
    x = rng.normal(size=(*batch, H_IN))
    states = [rng.normal(size=(*batch, H)) for _ in range(2 if cls == "LSTMCell" else 1)] if with_h0 else None
    _compare(ours, theirs, x, states)


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [("LSTM", {"num_layers": 2, "bidirectional": True}), ("GRU", {"batch_first": True}), ("RNN", {}),
     ("LSTM", {"proj_size": 3}), ("LSTMCell", {}), ("GRUCell", {}), ("RNNCell", {"nonlinearity": "relu"})],
)  # fmt: skip
@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
def test_float32_within_1e_5(cls: str, kwargs: dict) -> None:
    ours, theirs = _pair(cls, (H_IN, 5), kwargs, dtype=np.float32)
    assert all(p.dtype == ag.float32 for p in ours.parameters())
    rng = np.random.default_rng(3)
    x = rng.normal(size=(N, H_IN) if cls.endswith("Cell") else (6, N, H_IN))
    _compare(ours, theirs, x, None, dtype=np.float32, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cls", ["LSTM", "GRU"])
def test_second_derivatives_as_torch(cls: str) -> None:
    """The gradient of (the gradients · v) with respect to the input, h_0 and every parameter."""
    ours, theirs = _pair(cls, (2, 3), {})
    rng = np.random.default_rng(4)
    x, h0, c0 = rng.normal(size=(3, 2, 2)), rng.normal(size=(1, 2, 3)), rng.normal(size=(1, 2, 3))
    xs = [Tensor(x, requires_grad=True), Tensor(h0, requires_grad=True)]
    xt = [torch.tensor(x, requires_grad=True), torch.tensor(h0, requires_grad=True)]
    if cls == "LSTM":
        xs.append(Tensor(c0, requires_grad=True))
        xt.append(torch.tensor(c0, requires_grad=True))
    hx_ours, hx_theirs = (tuple(xs[1:]), tuple(xt[1:])) if cls == "LSTM" else (xs[1], xt[1])
    out, ref = ours(xs[0], hx_ours)[0], theirs(xt[0], hx_theirs)[0]
    u = np.cos(np.arange(out.data.size)).reshape(out.shape)
    leaves_ours = xs + list(ours.parameters())
    leaves_theirs = xt + list(theirs.parameters())
    gs = ag.autograd.grad((out * Tensor(u)).sum(), leaves_ours, create_graph=True)
    hs = torch.autograd.grad((ref * torch.tensor(u)).sum(), leaves_theirs, create_graph=True)
    for g, h in zip(gs, hs):
        _close(g, h, 1e-11, 1e-13, "first derivative")
    v = [np.sin(np.arange(g.data.size) + 1.0).reshape(g.shape) for g in gs]
    second = ag.autograd.grad(sum((g * Tensor(w)).sum() for g, w in zip(gs, v)), leaves_ours)
    reference = torch.autograd.grad(sum((h * torch.tensor(w)).sum() for h, w in zip(hs, v)), leaves_theirs)
    for i, (s, r) in enumerate(zip(second, reference)):
        _close(s, r, 1e-10, 1e-12, f"second derivative {i}")


# -- structure: reprs, state dicts, initialisation

MAKERS = [
    lambda m: m.RNN(10, 20),
    lambda m: m.RNN(10, 20, 2, "relu", False, True, 0.5, True),
    lambda m: m.LSTM(10, 20, num_layers=2, batch_first=True),
    lambda m: m.LSTM(10, 20, 3, False, False, 0.25, True, 7),
    lambda m: m.LSTM(10, 20, proj_size=5, bias=False),
    lambda m: m.GRU(10, 20, bidirectional=True, dropout=1.0, num_layers=2),
    lambda m: m.GRU(3, 4, bias=False),
    lambda m: m.RNNCell(10, 20),
    lambda m: m.RNNCell(10, 20, False, "relu"),
    lambda m: m.LSTMCell(10, 20),
    lambda m: m.LSTMCell(10, 20, bias=False),
    lambda m: m.GRUCell(10, 20),
]


@pytest.mark.parametrize("make", MAKERS)
def test_reprs_state_dict_keys_and_shapes_as_torchs(make: Any) -> None:
    ours, theirs = make(nn), make(tnn)
    assert repr(ours) == repr(theirs)
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    # ours into torch, then back
    sd = {k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()}
    theirs.double().load_state_dict(sd)
    again = make(nn)
    again.load_state_dict({k: v.detach() for k, v in theirs.state_dict().items()})
    for (k, a), b in zip(again.state_dict().items(), ours.state_dict().values()):
        np.testing.assert_array_equal(a, b, err_msg=k)


def test_ours_loaded_into_torch_computes_as_torch() -> None:
    ours = nn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
    theirs = tnn.LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2).double()
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()})
    _compare(ours, theirs, np.random.default_rng(5).normal(size=(L, N, 3)), None)


def test_the_initial_weights_are_uniform_within_one_over_root_hidden_and_seeded() -> None:
    ag.manual_seed(0)
    m = nn.LSTM(30, 100, num_layers=2, bidirectional=True)
    weights = np.concatenate([p.data.ravel() for p in m.parameters()])
    assert weights.dtype == np.float64 and all(p.requires_grad for p in m.parameters())
    assert np.abs(weights).max() <= 0.1 and np.abs(weights).max() > 0.0999
    assert abs(weights.mean()) < 2e-3 and abs(weights.std() - 0.1 / np.sqrt(3)) < 1e-3
    ag.manual_seed(0)
    np.testing.assert_array_equal(
        np.concatenate([p.data.ravel() for p in nn.LSTM(30, 100, 2, bidirectional=True).parameters()]),
        weights,
    )
    cell = nn.GRUCell(4, 25)
    assert np.abs(cell.weight_hh.data).max() <= 0.2
    assert nn.GRU(2, 3, dtype=ag.float32).weight_ih_l0.dtype == ag.float32
    assert [len(w) for w in m.all_weights] == [4, 4, 4, 4]
    assert m.all_weights[1][0] is m.weight_ih_l0_reverse


def test_the_module_to_float_casts_every_weight() -> None:
    m = nn.GRU(2, 3, num_layers=2).float()
    out, h = m(ag.randn(4, 2, dtype=ag.float32))
    assert out.dtype == h.dtype == ag.float32 and out.shape == (4, 3) and h.shape == (2, 3)


# -- dropout between layers


def test_dropout_only_in_training_mode() -> None:
    ours, theirs = _pair("LSTM", (H_IN, H), {"num_layers": 3, "dropout": 0.5})
    x = np.random.default_rng(6).normal(size=(L, N, H_IN))
    ours.eval(), theirs.eval()
    _compare(ours, theirs, x, None)
    ours.train()
    ag.manual_seed(1)
    a = ours(Tensor(x))[0].data
    ag.manual_seed(1)
    np.testing.assert_array_equal(ours(Tensor(x))[0].data, a)  # (the library's generator)
    ag.manual_seed(2)
    assert not np.array_equal(ours(Tensor(x))[0].data, a)
    ours.eval()
    assert not np.array_equal(ours(Tensor(x))[0].data, a)


def test_dropout_of_one_zeroes_the_next_layers_input_as_torch() -> None:
    """p = 1 is deterministic, so torch's training-mode output can be compared."""
    ours, theirs = _pair("GRU", (H_IN, H), {"num_layers": 2, "dropout": 1.0, "bidirectional": True})
    _compare(ours.train(), theirs.train(), np.random.default_rng(7).normal(size=(L, N, H_IN)), None)


def test_dropout_with_one_layer_warns_as_torch() -> None:
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(2, 3, dropout=0.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.LSTM(2, 3, num_layers=2, dropout=0.2)


# -- compiled, and a wrong rule caught


def test_a_compiled_lstm_step_is_the_eager_one_bit_for_bit() -> None:
    ag.manual_seed(3)
    lstm, head = nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True), nn.Linear(10, 1)
    params = [*lstm.parameters(), *head.parameters()]
    rng = np.random.default_rng(8)
    x, y = Tensor(rng.normal(size=(4, 6, 3))), Tensor(rng.normal(size=(4, 1)))
    h0 = Tensor(rng.normal(size=(4, 4, 5)), requires_grad=True)

    def loss_fn(x: Tensor, y: Tensor, h0: Tensor) -> Tensor:
        out, (h, c) = lstm(x, (h0, h0 * 0.5))
        return ((head(out[:, -1]) - y) ** 2).mean() + (c**2).mean()

    eager = loss_fn(x, y, h0)
    eager.backward()
    expected = [p.grad.data.copy() for p in params] + [h0.grad.data.copy()]
    step = ag.compile(loss_fn)
    for _ in range(2):  # (the trace, then the generated code)
        for p in [*params, h0]:
            p.grad = None
        loss = step(x, y, h0)
        assert loss.item() == eager.item()
        for got, want in zip([p.grad.data for p in params] + [h0.grad.data], expected):
            np.testing.assert_array_equal(got, want)


def _ifog_step(xw, h, c, w_hh, b_hh, w_hr, hidden):  # noqa: ANN001, ANN202
    """A wrong LSTM: the gates read in the order i, f, o, g."""
    gates = (h @ w_hh.T + b_hh) + xw
    i, f = gates[..., :hidden].sigmoid(), gates[..., hidden : 2 * hidden].sigmoid()
    o, g = gates[..., 2 * hidden : 3 * hidden].sigmoid(), gates[..., 3 * hidden :].tanh()
    c = f * c + i * g
    return o * c.tanh(), c


def test_the_torch_comparison_catches_a_wrong_gate_order(monkeypatch: pytest.MonkeyPatch) -> None:
    ours, theirs = _pair("LSTM", (H_IN, H), {})
    x = np.random.default_rng(9).normal(size=(L, N, H_IN))
    _compare(ours, theirs, x, None)
    monkeypatch.setattr(rnn_module, "_lstm_step", _ifog_step)
    ours, theirs = _pair("LSTM", (H_IN, H), {})
    with pytest.raises(AssertionError):
        _compare(ours, theirs, x, None)


def test_the_torch_comparison_catches_a_gru_that_resets_before_the_product() -> None:
    """n = tanh(W_in x + b_in + W_hn (r ⊙ h) + b_hn), the other GRU variant, differs from torch's."""
    ours, theirs = _pair("GRUCell", (H_IN, H), {})
    x, h = np.random.default_rng(10).normal(size=(2, N, H_IN)), np.random.default_rng(11).normal(size=(N, H))
    w_ih, w_hh, b_ih, b_hh = (Tensor(p.data) for p in ours.parameters())
    xw, hw = Tensor(x[0]) @ w_ih.T + b_ih, Tensor(h) @ w_hh.T + b_hh
    r = (xw[:, :H] + hw[:, :H]).sigmoid()
    z = (xw[:, H : 2 * H] + hw[:, H : 2 * H]).sigmoid()
    n = (xw[:, 2 * H :] + (r * Tensor(h)) @ w_hh[2 * H :].T + b_hh[2 * H :]).tanh()
    wrong = ((1 - z) * n + z * Tensor(h)).data
    want = theirs(torch.tensor(x[0]), torch.tensor(h)).detach().numpy()
    with pytest.raises(AssertionError):
        _close(wrong, want, 1e-12, 1e-13, "h'")
    _close(ours(Tensor(x[0]), Tensor(h)), want, 1e-12, 1e-13, "h'")


# -- bad arguments: the argument named, what was expected and what came in

X3 = np.zeros((5, 3, 10))
BAD: list[tuple[Any, type, str]] = [
    (lambda: nn.LSTM(10, 0), ValueError, "LSTM: hidden_size must be greater than zero, got 0"),
    (lambda: nn.LSTM(-1, 20), ValueError, "LSTM: input_size must be greater than zero, got -1"),
    (lambda: nn.GRU(10, 20, num_layers=0), ValueError, "GRU: num_layers must be greater than zero, got 0"),
    (lambda: nn.LSTM(10.0, 20), TypeError, "LSTM: input_size should be of type int, got: float 10.0"),
    (lambda: nn.RNN(10, 20, num_layers=2.0), TypeError, "RNN: num_layers should be of type int, got: float"),
    (lambda: nn.LSTMCell(10, 0), ValueError, "LSTMCell: hidden_size must be greater than zero, got 0"),
    (lambda: nn.GRUCell(True, 3), TypeError, "GRUCell: input_size should be of type int, got: bool"),
    (
        lambda: nn.RNN(10, 20, nonlinearity="sigmoid"),
        ValueError,
        "RNN: Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.",
    ),
    (lambda: nn.RNNCell(10, 20, nonlinearity="gelu"), ValueError, "RNNCell: Unknown nonlinearity 'gelu'"),
    (
        lambda: nn.LSTM(10, 20, dropout=1.5),
        ValueError,
        r"LSTM: dropout should be a number in range \[0, 1\].*1.5",
    ),
    (lambda: nn.GRU(10, 20, dropout=-0.1), ValueError, r"GRU: dropout should be a number in range \[0, 1\]"),
    (lambda: nn.LSTM(10, 20, dropout="0.1"), ValueError, r"dropout should be a number .*'0.1'"),
    (lambda: nn.LSTM(10, 20, proj_size=20), ValueError, "LSTM: proj_size has to be smaller than hidden_size"),
    (
        lambda: nn.LSTM(10, 20, proj_size=-1),
        ValueError,
        "LSTM: proj_size should be a positive integer or zero",
    ),
    (lambda: nn.GRU(10, 20, proj_size=2), ValueError, "proj_size argument is only supported for LSTM"),
    (lambda: nn.RNN(10, 20, bias=1), TypeError, "RNN: bias should be of type bool, got: int"),
    (lambda: nn.LSTM(10, 20, batch_first="yes"), TypeError, "LSTM: batch_first should be of type bool"),
    (lambda: nn.LSTM(10, 20, device="cuda"), RuntimeError, "LSTM: device='cuda' is not supported"),
    (lambda: nn.LSTM(10, 20, dtype=ag.int64), TypeError, "LSTM: dtype must be float32 or float64, got int64"),
    (
        lambda: nn.LSTM(10, 20)(np.zeros((5, 3, 7))),
        RuntimeError,
        r"LSTM\(10, 20\): input.size\(-1\) must be equal to input_size. Expected 10, got 7 "
        r"\(input of shape \(5, 3, 7\)\)",
    ),
    (
        lambda: nn.GRU(10, 20)(np.zeros(10)),
        ValueError,
        r"GRU\(10, 20\): Expected input to be 2D .* got 1D of shape \(10,\)",
    ),
    (
        lambda: nn.LSTM(10, 20, num_layers=2)(X3, (np.zeros((1, 3, 20)), np.zeros((2, 3, 20)))),
        RuntimeError,
        r"LSTM\(10, 20, num_layers=2\): Expected h_0 of size \(2, 3, 20\) .*got \[1, 3, 20\]",
    ),
    (
        lambda: nn.LSTM(10, 20)(X3, (np.zeros((1, 3, 20)), np.zeros((1, 3, 21)))),
        RuntimeError,
        r"Expected c_0 of size \(1, 3, 20\) .*hidden_size\), got \[1, 3, 21\]",
    ),
    (
        lambda: nn.LSTM(10, 20, proj_size=4)(X3, (np.zeros((1, 3, 20)), np.zeros((1, 3, 20)))),
        RuntimeError,
        r"Expected h_0 of size \(1, 3, 4\) \(num_layers \* num_directions, batch, proj_size\), "
        r"got \[1, 3, 20\]",
    ),
    (
        lambda: nn.GRU(10, 20, bidirectional=True)(X3, np.zeros((1, 3, 20))),
        RuntimeError,
        r"Expected h_0 of size \(2, 3, 20\)",
    ),
    (
        lambda: nn.RNN(10, 20)(X3, np.zeros((1, 20))),
        RuntimeError,
        r"for batched 3-D input, h_0 should also be 3-D of shape \(1, 3, 20\) .* "
        r"got a 2-D tensor of shape \(1, 20\)",
    ),
    (
        lambda: nn.RNN(10, 20)(np.zeros((5, 10)), np.zeros((1, 3, 20))),
        RuntimeError,
        r"for unbatched 2-D input, h_0 should also be 2-D of shape \(1, 20\)",
    ),
    (
        lambda: nn.LSTM(10, 20)(X3, np.zeros((1, 3, 20))),
        TypeError,
        r"hx must be a tuple \(h_0, c_0\) of two Tensors, got a ndarray",
    ),
    (
        lambda: nn.LSTM(10, 20)(np.zeros((0, 3, 10))),
        RuntimeError,
        "Expected sequence length to be larger than 0",
    ),
    (
        lambda: nn.LSTM(10, 20)(Tensor(X3, dtype=ag.float32)),
        ValueError,
        r"LSTM\(10, 20\): input dtype \(float32\) does not match weight dtype \(float64\)",
    ),
    (
        lambda: nn.GRU(10, 20)(X3, Tensor(np.zeros((1, 3, 20)), dtype=ag.float32)),
        ValueError,
        r"h_0 dtype \(float32\) does not match weight dtype \(float64\)",
    ),
    (
        lambda: nn.LSTM(10, 20)(ag.ValueArray([1.0])),
        TypeError,
        "LSTM.*: input must be a Tensor .*got a ValueArray",
    ),
    (
        lambda: nn.LSTMCell(10, 20)(np.zeros((3, 5))),
        RuntimeError,
        r"LSTMCell\(10, 20\): input has inconsistent input_size: got 5 expected 10",
    ),
    (
        lambda: nn.GRUCell(10, 20)(np.zeros((3, 10)), np.zeros((2, 20))),
        RuntimeError,
        r"GRUCell\(10, 20\): expected hx of shape \(3, 20\) \(batch, hidden_size\), got \(2, 20\)",
    ),
    (
        lambda: nn.GRUCell(10, 20)(np.zeros(10), np.zeros((3, 20))),
        RuntimeError,
        r"expected hx of shape \(20,\) \(hidden_size,\) for an unbatched input, got \(3, 20\)",
    ),
    (
        lambda: nn.LSTMCell(10, 20)(np.zeros((3, 10)), (np.zeros((3, 20)), np.zeros((3, 21)))),
        RuntimeError,
        r"expected c_0 of shape \(3, 20\)",
    ),
    (
        lambda: nn.RNNCell(10, 20)(np.zeros((2, 3, 10))),
        ValueError,
        r"RNNCell\(10, 20\): Expected input to be 1D .* got 3D",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_arguments_are_refused_naming_them(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_the_hints_no_longer_call_the_recurrent_layers_missing() -> None:
    from autograd.torch_hints import NN, NN_UTILS

    assert not {"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"} & set(NN)
    assert "rnn" not in NN_UTILS and nn.utils.rnn.pack_padded_sequence  # (packed sequences exist)


# -- it learns


def test_an_lstm_learns_the_sum_of_a_sequence_with_adam() -> None:
    ag.manual_seed(0)
    rng = np.random.default_rng(12)

    class Summer(nn.Module):
        def __init__(self) -> None:
            self.lstm = nn.LSTM(1, 12, batch_first=True)
            self.head = nn.Linear(12, 1)

        def forward(self, x: Tensor) -> Tensor:
            out, _ = self.lstm(x)
            return self.head(out[:, -1])

    model = Summer()
    assert [n for n, _ in model.named_parameters()][:2] == ["lstm.weight_ih_l0", "lstm.weight_hh_l0"]
    opt = O.Adam(model.parameters(), lr=0.02)
    x_test = rng.uniform(-1, 1, size=(64, 5, 1))
    y_test = x_test.sum(axis=1)

    def test_loss() -> float:
        return float(((model(Tensor(x_test)) - Tensor(y_test)) ** 2).mean().item())

    before = test_loss()
    for _ in range(150):
        x = rng.uniform(-1, 1, size=(32, 5, 1))
        loss = ((model(Tensor(x)) - Tensor(x.sum(axis=1))) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    after = test_loss()
    assert after < 0.05 * before, (before, after)
