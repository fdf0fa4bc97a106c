"""Packed sequences (``autograd.nn.utils.rnn``) against torch 2.13 in float64: the utilities'
results (data, int64 batch sizes and indices, padded batches, lengths) and their gradients; RNN,
LSTM (with and without proj_size) and GRU on packed input, torch's weights loaded, over 1 and 2
layers, both directions, batch_first both ways, enforce_sorted both ways, unsorted, tied, equal and
length-1 sequences, with and without initial states: the packed and padded outputs, the final states
and every gradient (nan in the padding reaches nothing); second derivatives; a compiled packed step
equal to eager; float32; drawn lengths (hypothesis); a sequence classifier trained side by side with
torch; a wrong final-state pick and a wrong order caught; bad input refused naming the argument; the
documented differences from torch."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import optimizers as O
from autograd import Tensor, nn
from autograd.nn.rnn import RNNBase
from autograd.nn.utils import rnn as R

torch = pytest.importorskip("torch")
TR = torch.nn.utils.rnn
torch.set_num_threads(1)

H_IN, H = 3, 4


def _np(t: Any) -> np.ndarray:
    if isinstance(t, np.ndarray):  # (autograd.grad without create_graph gives arrays)
        return t
    return t.data if isinstance(t, Tensor) else t.detach().numpy()


def _close(ours: Any, theirs: Any, what: str, rtol: float = 1e-12, atol: float = 1e-13) -> None:
    """Same shape, dtype (by name) and values, nan where torch has nan."""
    if theirs is None:
        assert ours is None, f"{what}: {ours!r} vs None"
        return
    a, b = _np(ours), _np(theirs)
    assert a.shape == b.shape, f"{what}: shape {a.shape} vs {b.shape}"
    assert str(a.dtype) == str(theirs.dtype).replace("torch.", ""), (
        f"{what}: dtype {a.dtype} vs {theirs.dtype}"
    )
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def _same_packed(ours: Any, theirs: Any, what: str = "packed") -> None:
    assert isinstance(ours, R.PackedSequence), f"{what}: a {type(ours).__name__}"
    for field in ("data", "batch_sizes", "sorted_indices", "unsorted_indices"):
        _close(getattr(ours, field), getattr(theirs, field), f"{what}.{field}")


# -- the utilities


def _padded_input(
    lengths: list[int], steps: int, batch_first: bool, trailing: tuple[int, ...], seed: int = 0
):
    """A padded batch with nan in the padding (which must reach nothing)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(steps, len(lengths), *trailing))
    for b, n in enumerate(lengths):
        x[n:, b] = np.nan
    return np.ascontiguousarray(np.swapaxes(x, 0, 1)) if batch_first else x


PACK_CASES = list(
    itertools.product(
        [([4, 3, 3, 1], True), ([2, 4, 1, 4], False), ([4, 3, 3, 1], False), ([2, 2, 2, 2], True)],
        [False, True],
        [(), (2,), (2, 3)],
        ["list", "tensor", "tuple", "numpy"],
    )
)


@pytest.mark.parametrize(
    ("case", "batch_first", "trailing", "kind"),
    PACK_CASES,
    ids=[f"{c[0]}{'-sorted' if c[1] else ''}-{'bf' if bf else 'tb'}-{t}-{k}" for c, bf, t, k in PACK_CASES],
)
def test_pack_and_pad_are_torchs_with_gradients(
    case: tuple[list[int], bool], batch_first: bool, trailing: tuple[int, ...], kind: str
) -> None:
    lengths, enforce_sorted = case
    x = _padded_input(lengths, 5, batch_first, trailing)
    as_lengths = {"list": list, "tuple": tuple, "numpy": np.array}
    xo, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lo = ag.tensor(lengths) if kind == "tensor" else as_lengths[kind](lengths)
    lt = torch.tensor(lengths) if kind == "tensor" else as_lengths[kind](lengths)
    po = R.pack_padded_sequence(xo, lo, batch_first=batch_first, enforce_sorted=enforce_sorted)
    pt = TR.pack_padded_sequence(xt, lt, batch_first=batch_first, enforce_sorted=enforce_sorted)
    _same_packed(po, pt)
    assert po.batch_sizes.dtype == np.int64 and not np.isnan(po.data.data).any()
    for total, value in [(None, 0.0), (7, -1.5), (4, float("nan")), (None, float("inf"))]:
        yo, no = R.pad_packed_sequence(po, batch_first=batch_first, padding_value=value, total_length=total)
        yt, nt = TR.pad_packed_sequence(pt, batch_first=batch_first, padding_value=value, total_length=total)
        _close(yo, yt, f"padded (total_length={total}, padding_value={value})")
        _close(no, nt, "lengths")
    u = np.cos(np.arange(yt.numel())).reshape(tuple(yt.shape))
    (yo * Tensor(u)).sum().backward()
    (yt * torch.tensor(u)).sum().backward()
    _close(xo.grad, xt.grad, "the gradient of the padded input")
    assert np.isfinite(xo.grad.data).all()


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
@pytest.mark.parametrize("trailing", [(), (2,), (1, 2)])
def test_pad_sequence_is_torchs_with_gradients(batch_first: bool, padding_side: str, trailing: tuple) -> None:
    rng = np.random.default_rng(3)
    arrays = [rng.normal(size=(n, *trailing)) for n in (3, 0, 5, 1)]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    yo = R.pad_sequence(ours, batch_first=batch_first, padding_value=-2.0, padding_side=padding_side)
    yt = TR.pad_sequence(theirs, batch_first=batch_first, padding_value=-2.0, padding_side=padding_side)
    _close(yo, yt, "padded")
    u = np.sin(np.arange(yt.numel())).reshape(tuple(yt.shape))
    (yo * Tensor(u)).sum().backward()
    (yt * torch.tensor(u)).sum().backward()
    for i, (a, b) in enumerate(zip(ours, theirs)):
        _close(a.grad, b.grad, f"the gradient of sequence {i}")


def test_pad_sequence_reads_a_tensor_along_its_first_dimension_and_keeps_int_and_the_first_dtype() -> None:
    x = np.arange(6.0).reshape(2, 3)
    _close(R.pad_sequence(Tensor(x)), TR.pad_sequence(torch.tensor(x)), "a Tensor of sequences")
    ints = [[1, 2, 3], [4]]
    _close(
        R.pad_sequence([ag.tensor(s) for s in ints], padding_value=9),
        TR.pad_sequence([torch.tensor(s) for s in ints], padding_value=9),
        "int64",
    )
    mixed_o = R.pad_sequence([Tensor(np.ones(2), dtype=np.float32), Tensor(np.ones(1))])
    mixed_t = TR.pad_sequence([torch.ones(2, dtype=torch.float32), torch.ones(1, dtype=torch.float64)])
    _close(mixed_o, mixed_t, "the first sequence's dtype")


@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_unpack_sequence_and_unpad_sequence_are_torchs(enforce_sorted: bool) -> None:
    rng = np.random.default_rng(5)
    sizes = (4, 2, 2, 1) if enforce_sorted else (2, 4, 1, 2)
    arrays = [rng.normal(size=(n, 2)) for n in sizes]
    ours = [Tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    po, pt = R.pack_sequence(ours, enforce_sorted), TR.pack_sequence(theirs, enforce_sorted)
    _same_packed(po, pt)
    uo, ut = R.unpack_sequence(po), TR.unpack_sequence(pt)
    assert len(uo) == len(ut) == 4
    for i, (a, b) in enumerate(zip(uo, ut)):
        _close(a, b, f"unpacked sequence {i}")
    sum((s * (k + 1)).sum() for k, s in enumerate(uo)).backward()
    sum((s * (k + 1)).sum() for k, s in enumerate(ut)).backward()
    for i, (a, b) in enumerate(zip(ours, theirs)):
        _close(a.grad, b.grad, f"the gradient of sequence {i}")
    for batch_first in (False, True):
        padded = rng.normal(size=(4, 3, 2) if batch_first else (3, 4, 2))
        for lengths in ([3, 1, 2, 3], [5, 0, 1, 2]):
            a = R.unpad_sequence(Tensor(padded), ag.tensor(lengths), batch_first=batch_first)
            b = TR.unpad_sequence(torch.tensor(padded), torch.tensor(lengths), batch_first=batch_first)
            for i, (s, t) in enumerate(zip(a, b, strict=True)):
                _close(s, t, f"unpadded {i} of {lengths}")


def test_invert_permutation_and_the_packed_sequence_tuple() -> None:
    perm = [2, 0, 3, 1]
    _close(R.invert_permutation(ag.tensor(perm)), TR.invert_permutation(torch.tensor(perm)), "inverse")
    assert R.invert_permutation(None) is None
    packed = R.pack_sequence([ag.tensor([1.0, 2.0]), ag.tensor([3.0])])
    data, batch_sizes, sorted_indices, unsorted_indices = packed
    assert packed._fields == ("data", "batch_sizes", "sorted_indices", "unsorted_indices")
    assert sorted_indices is None and unsorted_indices is None and isinstance(packed, tuple)
    assert R.PackedSequence((data, batch_sizes)) == packed
    rebuilt = R.PackedSequence(data, batch_sizes, ag.tensor([1, 0]))
    assert rebuilt.unsorted_indices.tolist() == [1, 0]
    assert packed.to(ag.float64) is packed and packed.double() is packed and packed.cpu() is packed
    assert packed.to("cpu") is packed
    as32 = packed.float()
    assert as32.data.dtype == np.float32 and as32.batch_sizes is packed.batch_sizes
    assert packed.to(ag.float32).data.dtype == np.float32 and packed.long().data.dtype == np.int64
    assert packed.is_cuda is False and packed.is_pinned() is False
    assert repr(packed).startswith("PackedSequence(data=Tensor([1., 3., 2.]")
    for method in ("cuda", "half", "int", "pin_memory"):
        with pytest.raises(AttributeError, match="Tensor"):
            getattr(packed, method)()


@settings(max_examples=40, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 5), min_size=1, max_size=6),
    extra=st.integers(0, 2),
    batch_first=st.booleans(),
)
def test_pack_and_pad_of_any_lengths_are_torchs(lengths: list[int], extra: int, batch_first: bool) -> None:
    x = _padded_input(lengths, max(lengths) + extra, batch_first, (2,), seed=len(lengths))
    po = R.pack_padded_sequence(Tensor(x), lengths, batch_first=batch_first, enforce_sorted=False)
    pt = TR.pack_padded_sequence(torch.tensor(x), lengths, batch_first=batch_first, enforce_sorted=False)
    _same_packed(po, pt)
    _close(R.pad_packed_sequence(po)[0], TR.pad_packed_sequence(pt)[0], "padded")


# -- the recurrent layers on packed input

#: name -> (class name, constructor keywords)
LAYERS = {
    "RNN": ("RNN", {}),
    "RNN-relu": ("RNN", {"nonlinearity": "relu"}),
    "LSTM": ("LSTM", {}),
    "LSTM-proj": ("LSTM", {"proj_size": 2}),
    "GRU": ("GRU", {}),
}
#: name -> (lengths, enforce_sorted, with initial states)
LENGTHS = {
    "sorted": ([5, 4, 2, 1], True, False),
    "unsorted": ([3, 5, 1, 4], False, True),
    "ties": ([2, 5, 2, 1], False, False),
    "equal": ([5, 5, 5, 5], True, True),
    "one": ([1], True, True),
}


def _pair(cls: str, kwargs: dict, seed: int = 0) -> tuple[Any, Any]:
    """Ours and torch's, torch's weights loaded into ours."""
    torch.manual_seed(seed)
    theirs = getattr(torch.nn, cls)(H_IN, H, **kwargs, dtype=torch.float64)
    ours = getattr(nn, cls)(H_IN, H, **kwargs)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    return ours, theirs


def _states(lib: Any, data: list[np.ndarray]) -> list[Any]:
    return [lib.tensor(d, requires_grad=True) for d in data]


def _flat(state: Any) -> list[Any]:
    return list(state) if isinstance(state, tuple) else [state]


def _run_both(
    name: str, num_layers: int, bidirectional: bool, batch_first: bool, lengths_case: str, seed: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Pack, run, pad and backpropagate on both sides; everything to compare, by name."""
    cls, kw = LAYERS[name]
    lengths, enforce_sorted, with_h0 = LENGTHS[lengths_case]
    ours, theirs = _pair(
        cls, dict(kw, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    )
    x = _padded_input(lengths, max(lengths) + 1, batch_first, (H_IN,), seed)
    rng = np.random.default_rng(seed + 1)
    layers = num_layers * (2 if bidirectional else 1)
    h0 = [rng.normal(size=(layers, len(lengths), kw.get("proj_size") or H))]
    if cls == "LSTM":
        h0.append(rng.normal(size=(layers, len(lengths), H)))
    results = []
    for lib, layer, utils in ((ag, ours, R), (torch, theirs, TR)):
        xs = lib.tensor(x, requires_grad=True)
        hx = _states(lib, h0) if with_h0 else []
        hx_arg = (tuple(hx) if cls == "LSTM" else hx[0]) if with_h0 else None
        packed = utils.pack_padded_sequence(
            xs, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted
        )
        out, state = layer(packed, hx_arg)
        padded, out_lengths = utils.pad_packed_sequence(out, batch_first=batch_first)
        finals = _flat(state)
        u = np.cos(np.arange(padded.numel())).reshape(tuple(padded.shape))
        loss = (padded * lib.tensor(u)).sum() + sum((f * f).sum() * (k + 1) for k, f in enumerate(finals))
        loss.backward()
        got = {"output": out, "padded": padded, "lengths": out_lengths}
        got.update({f"final state {k}": f for k, f in enumerate(finals)})
        got["x.grad"] = xs.grad
        got.update({f"initial state {k}.grad": h.grad for k, h in enumerate(hx)})
        got.update({f"{n}.grad": p.grad for n, p in layer.named_parameters()})
        results.append(got)
    return results[0], results[1]


def _compare(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert ours.keys() == theirs.keys()
    for what in theirs:
        if what == "output":
            _same_packed(ours[what], theirs[what], "output")
        else:
            _close(ours[what], theirs[what], what)


RNN_CASES = list(
    itertools.product(LAYERS, [(1, False), (2, False), (1, True), (2, True)], [False, True], LENGTHS)
)


@pytest.mark.parametrize(
    ("name", "depth", "batch_first", "lengths_case"),
    RNN_CASES,
    ids=[f"{n}-{d[0]}{'bi' * d[1]}-{'bf' if bf else 'tb'}-{c}" for n, d, bf, c in RNN_CASES],
)
def test_recurrent_layers_on_packed_input_are_torchs(
    name: str, depth: tuple[int, bool], batch_first: bool, lengths_case: str
) -> None:
    ours, theirs = _run_both(name, *depth, batch_first, lengths_case)
    _compare(ours, theirs)
    assert np.isfinite(ours["x.grad"].data).all()  # (the nan in the padding reached nothing)


@pytest.mark.parametrize("cls", ["LSTM", "GRU"])
def test_second_derivatives_on_packed_input_are_torchs(cls: str) -> None:
    """The gradient of (the first derivatives · v) with respect to the input, h_0 and the weights."""
    kwargs = {"bidirectional": True, "num_layers": 2, **({"proj_size": 2} if cls == "LSTM" else {})}
    ours, theirs = _pair(cls, kwargs)
    lengths = [2, 3, 1]
    x = _padded_input(lengths, 3, False, (H_IN,), seed=9)
    rng = np.random.default_rng(10)
    h0 = rng.normal(size=(4, 3, 2 if cls == "LSTM" else H))
    grads = []
    for lib, layer, utils in ((ag, ours, R), (torch, theirs, TR)):
        xs, hs = lib.tensor(x, requires_grad=True), lib.tensor(h0, requires_grad=True)
        hx = (hs, lib.zeros(4, 3, H, dtype=lib.float64)) if cls == "LSTM" else hs
        out, state = layer(utils.pack_padded_sequence(xs, lengths, enforce_sorted=False), hx)
        h_n = _flat(state)[0]
        u = np.cos(np.arange(out.data.numel())).reshape(tuple(out.data.shape))
        leaves = [xs, hs, *layer.parameters()]
        loss = (out.data * lib.tensor(u)).sum() + (h_n**2).sum()
        first = lib.autograd.grad(loss, leaves, create_graph=True)
        v = [np.sin(np.arange(g.numel()) + 1.0).reshape(tuple(g.shape)) for g in first]
        second = lib.autograd.grad(sum((g * lib.tensor(w)).sum() for g, w in zip(first, v)), leaves)
        grads.append((first, second))
    for order, (a, b) in enumerate(zip(*grads), start=1):
        for i, (s, t) in enumerate(zip(a, b)):
            _close(s, t, f"derivative of order {order}, leaf {i}", rtol=1e-10, atol=1e-12)


def test_a_compiled_packed_lstm_step_is_the_eager_one_bit_for_bit() -> None:
    ag.manual_seed(3)
    lstm, head = nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True), nn.Linear(10, 1)
    params = [*lstm.parameters(), *head.parameters()]
    rng = np.random.default_rng(8)
    x, y = Tensor(rng.normal(size=(4, 6, 3))), Tensor(rng.normal(size=(4, 1)))
    lengths = [6, 2, 4, 1]

    def loss_fn(x: Tensor, y: Tensor) -> Tensor:
        packed = R.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, (h, _) = lstm(packed)
        padded, _ = R.pad_packed_sequence(out, batch_first=True)
        return ((head(ag.cat([h[-2], h[-1]], 1)) - y) ** 2).mean() + (padded**2).mean()

    eager = loss_fn(x, y)
    eager.backward()
    expected = [p.grad.data.copy() for p in params]
    step = ag.compile(loss_fn)
    for _ in range(2):  # (the trace, then the generated code)
        for p in params:
            p.grad = None
        assert step(x, y).item() == eager.item()
        for got, want in zip([p.grad.data for p in params], expected):
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("training", [True, False])
def test_dropout_between_packed_layers_is_torchs_p_1_in_training_none_in_eval(training: bool) -> None:
    """p = 1 zeroes every input of the second layer in training (deterministic, so comparable)."""
    ours, theirs = _pair("GRU", {"num_layers": 2, "dropout": 1.0})
    ours.train(training)
    theirs.train(training)
    seqs = [np.linspace(-1, 1, 3 * H_IN).reshape(3, H_IN), np.ones((1, H_IN))]
    out_o, h_o = ours(R.pack_sequence([Tensor(s) for s in seqs]))
    out_t, h_t = theirs(TR.pack_sequence([torch.tensor(s) for s in seqs]))
    _same_packed(out_o, out_t)
    _close(h_o, h_t, "h_n")


# -- training side by side


def _classifier(lib: Any, weights: dict[str, np.ndarray]) -> list[float]:
    """Embedding, a packed bidirectional LSTM and a Linear on the final states; 3 Adam steps."""

    class Classifier(lib.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = lib.nn.Embedding(12, 4, padding_idx=0)
            self.lstm = lib.nn.LSTM(4, 5, batch_first=True, bidirectional=True)
            self.head = lib.nn.Linear(10, 3)

        def forward(self, tokens: Any, lengths: Any) -> Any:
            packed = lib.nn.utils.rnn.pack_padded_sequence(
                self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False
            )
            _, (h_n, _) = self.lstm(packed)
            return self.head(lib.cat([h_n[0], h_n[1]], dim=1))

    model = Classifier()
    model.load_state_dict({k: lib.from_numpy(v.copy()) for k, v in weights.items()})
    optimizer = lib.optim.Adam(model.parameters(), lr=0.05)
    tokens = lib.tensor([[3, 5, 7, 0, 0], [2, 0, 0, 0, 0], [4, 4, 9, 11, 1], [6, 8, 0, 0, 0]])
    lengths = lib.tensor([3, 1, 5, 2])
    labels = lib.tensor([0, 2, 1, 0])
    losses = []
    for _ in range(3):
        optimizer.zero_grad()
        loss = lib.nn.functional.cross_entropy(model(tokens, lengths), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def test_a_packed_sequence_classifier_trains_as_torchs() -> None:
    torch.manual_seed(1)
    reference = torch.nn.ModuleDict(
        {
            "embedding": torch.nn.Embedding(12, 4, padding_idx=0, dtype=torch.float64),
            "lstm": torch.nn.LSTM(4, 5, batch_first=True, bidirectional=True, dtype=torch.float64),
            "head": torch.nn.Linear(10, 3, dtype=torch.float64),
        }
    )
    weights = {k: v.detach().numpy().copy() for k, v in reference.state_dict().items()}
    ours = _classifier(ag, weights)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        theirs = _classifier(torch, weights)
    finally:
        torch.set_default_dtype(previous)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)
    assert theirs[2] < theirs[0]


# -- wrong implementations caught


def _padded_run(self: RNNBase, packed: R.PackedSequence, hx: Any, dtype: Any) -> tuple[Any, Any]:
    """A wrong packed forward: run the padded batch and take every final state at the last padded
    step (the classic bug packing exists to avoid)."""
    padded, lengths = R.pad_packed_sequence(packed)
    out, state = RNNBase.forward(self, padded, hx)
    return R.pack_padded_sequence(out, lengths, enforce_sorted=False), state


def _no_unsort(self: RNNBase, packed: R.PackedSequence, hx: Any, dtype: Any) -> tuple[Any, Any]:
    """A wrong packed forward: the final states left in the sorted order."""
    out, state = _original_packed(self, packed, hx, dtype)
    return out, state[:, packed.sorted_indices.data]


_original_packed = RNNBase._packed


@pytest.mark.parametrize("wrong", [_padded_run, _no_unsort], ids=["padded-final-state", "sorted-order"])
def test_the_comparison_catches_a_wrong_final_state_pick(monkeypatch: pytest.MonkeyPatch, wrong: Any) -> None:
    monkeypatch.setattr(RNNBase, "_packed", wrong)
    with pytest.raises(AssertionError, match="final state 0"):
        _compare(*_run_both("GRU", 1, False, False, "unsorted"))


# -- bad input

X = Tensor(np.ones((4, 3, 2)))
PACKED = R.pack_sequence([Tensor(np.ones((3, H_IN))), Tensor(np.ones((1, H_IN)))])

BAD = [
    (
        lambda: R.pack_padded_sequence(X, [2, 3, 1]),
        RuntimeError,
        r"must be sorted in decreasing order.*\[2, 3, 1\]",
    ),
    (lambda: R.pack_padded_sequence(X, [3, 2, 0]), RuntimeError, r"greater than 0.*\[3, 2, 0\]"),
    (lambda: R.pack_padded_sequence(X, [3, 0, 2], enforce_sorted=False), RuntimeError, "greater than 0"),
    (
        lambda: R.pack_padded_sequence(X, [3, 2]),
        RuntimeError,
        r"len\(lengths\)` to be equal to batch_size, but got 2",
    ),
    (
        lambda: R.pack_padded_sequence(X, [5, 2, 1]),
        RuntimeError,
        r"larger than the input's 4 steps.*\[5, 2, 1\]",
    ),
    (lambda: R.pack_padded_sequence(X, [[3], [2], [1]]), RuntimeError, "'lengths' argument should be 1-d"),
    (
        lambda: R.pack_padded_sequence(X, ["a", "b", "c"]),
        TypeError,
        "lengths must be a Tensor or a list of ints",
    ),
    (
        lambda: R.pack_padded_sequence(np.ones((4, 3)), [3, 2, 1]),
        TypeError,
        "input must be a Tensor, got ndarray",
    ),
    (
        lambda: R.pack_padded_sequence(Tensor(np.ones(3)), [3]),
        IndexError,
        "at least 2 dimensions.*shape \\(3,\\)",
    ),
    (
        lambda: R.pack_padded_sequence(Tensor(np.ones((0, 3))), [1, 1, 1]),
        RuntimeError,
        "Cannot pack empty tensors",
    ),
    (
        lambda: R.pack_padded_sequence(X, [3, 2, 1], batch_first=1),
        TypeError,
        "batch_first must be a bool, got int",
    ),
    (lambda: R.pad_packed_sequence(X), TypeError, "sequence must be a PackedSequence, got Tensor"),
    (
        lambda: R.pad_packed_sequence(PACKED, total_length=2),
        ValueError,
        "total_length=2 and max sequence length being 3",
    ),
    (
        lambda: R.pad_packed_sequence(PACKED, total_length=4.0),
        TypeError,
        "total_length must be an int or None, got float",
    ),
    (
        lambda: R.pad_packed_sequence(R.PackedSequence(PACKED.data, ag.tensor([1, 2, 1]))),
        ValueError,
        r"batch_sizes \[1, 2, 1\] must never increase",
    ),
    (
        lambda: R.pad_sequence(3),
        RuntimeError,
        "Expected iterable for input sequences, but got arg of type: int",
    ),
    (lambda: R.pad_sequence([]), RuntimeError, "received an empty list of sequences"),
    (lambda: R.pad_sequence([ag.ones(2), ag.tensor(1.0)]), RuntimeError, r"sequences\[1\] is 0-d"),
    (
        lambda: R.pad_sequence([ag.ones(2, 3), ag.ones(3, 2)]),
        RuntimeError,
        r"trailing shape \(3,\).*sequences\[1\] has shape \(3, 2\)",
    ),
    (lambda: R.pad_sequence([ag.ones(2), [1.0]]), TypeError, r"sequences\[1\] must be a Tensor, got list"),
    (
        lambda: R.pad_sequence([ag.ones(2)], padding_side="middle"),
        RuntimeError,
        "one of left or right, but got middle",
    ),
    (lambda: R.unpad_sequence(X, [3, 2]), ValueError, r"one length per sequence \(3, .*got shape \(2,\)"),
    (
        lambda: R.unpack_sequence([ag.ones(2)]),
        TypeError,
        "packed_sequences must be a PackedSequence, got list",
    ),
    (
        lambda: R.invert_permutation(ag.tensor([0, 0, 1])),
        ValueError,
        r"permutation of 0 .. n-1, got \[0, 0, 1\]",
    ),
    (lambda: R.PackedSequence(ag.ones(3)), TypeError, "data must be the pair"),
    (
        lambda: nn.GRU(2, H)(PACKED),
        RuntimeError,
        "input.size\\(-1\\) must be equal to input_size. Expected 2, got 3",
    ),
    (
        lambda: nn.GRU(H_IN, H)(R.PackedSequence(ag.ones(4, 2, H_IN), PACKED.batch_sizes)),
        RuntimeError,
        "packed input's data must have 2 dimensions",
    ),
    (
        lambda: nn.GRU(H_IN, H)(R.PackedSequence(PACKED.data, ag.tensor([1, 3]))),
        RuntimeError,
        r"batch_sizes \[1, 3\] must be positive, never increase and add up to the data's 4 rows",
    ),
    (lambda: nn.GRU(H_IN, H)(PACKED, ag.zeros(1, 3, H)), RuntimeError, r"Expected h_0 of size \(1, 2, 4\)"),
    (lambda: nn.LSTM(H_IN, H)(PACKED, ag.zeros(1, 2, H)), TypeError, r"hx must be a tuple \(h_0, c_0\)"),
    (lambda: nn.GRU(H_IN, H)(PACKED.float()), ValueError, r"input.data dtype \(float32\) does not match"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_is_refused_naming_it(call: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.pack_padded_sequence(m_ones(m, 4, 3), [2, 3, 1]),
        lambda m: m.pack_padded_sequence(m_ones(m, 4, 3), [3, 2, 0]),
        lambda m: m.pad_sequence([]),
        lambda m: m.pad_sequence([m_ones(m, 2)], padding_side="middle"),
    ],
)
def test_the_errors_have_torchs_types(call: Any) -> None:
    """Where torch raises, the same exception type."""
    with pytest.raises(Exception) as theirs:
        call(TR)
    with pytest.raises(type(theirs.value)):
        call(R)


def m_ones(module: Any, *shape: int) -> Any:
    return torch.ones(*shape, dtype=torch.float64) if module is TR else ag.ones(*shape)


def test_an_lstm_learns_from_packed_sequences_of_different_lengths() -> None:
    """Sum each sequence (lengths 1 to 6) with a packed LSTM and Adam."""
    ag.manual_seed(0)
    rng = np.random.default_rng(2)
    lstm, head = nn.LSTM(1, 8), nn.Linear(8, 1)
    opt = O.Adam([*lstm.parameters(), *head.parameters()], lr=0.03)

    def batch(n: int) -> tuple[R.PackedSequence, Tensor]:
        seqs = [rng.uniform(-1, 1, size=(int(k), 1)) for k in rng.integers(1, 7, n)]
        packed = R.pack_sequence([Tensor(s) for s in seqs], enforce_sorted=False)
        return packed, Tensor(np.array([[s.sum()] for s in seqs]))

    def loss_of(packed: R.PackedSequence, y: Tensor) -> Tensor:
        _, (h_n, _) = lstm(packed)
        return ((head(h_n[0]) - y) ** 2).mean()

    test = batch(64)
    before = loss_of(*test).item()
    for _ in range(120):
        loss = loss_of(*batch(16))
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss_of(*test).item() < 0.1 * before


# -- the documented differences from torch


def test_tied_lengths_sort_stably_and_the_results_do_not_depend_on_the_ties_order() -> None:
    """Above 16 sequences torch's sort orders tied lengths its own way; here they keep their order.
    sorted_indices differ, the padded outputs, lengths and final states do not."""
    lengths = [3, 2] * 10
    x = _padded_input(lengths, 3, False, (H_IN,), seed=4)
    po = R.pack_padded_sequence(Tensor(x), lengths, enforce_sorted=False)
    pt = TR.pack_padded_sequence(torch.tensor(x), lengths, enforce_sorted=False)
    assert po.sorted_indices.tolist() == list(range(0, 20, 2)) + list(range(1, 20, 2))  # (stable)
    assert po.sorted_indices.tolist() != pt.sorted_indices.tolist()
    _close(po.batch_sizes, pt.batch_sizes, "batch_sizes")
    ours, theirs = _pair("LSTM", {"bidirectional": True})
    (out_o, (h_o, c_o)), (out_t, (h_t, c_t)) = ours(po), theirs(pt)
    _close(R.pad_packed_sequence(out_o)[0], TR.pad_packed_sequence(out_t)[0], "padded output")
    _close(h_o, h_t, "h_n")
    _close(c_o, c_t, "c_n")


def test_a_length_past_the_input_is_refused_and_unpad_sequence_leaves_its_input_alone() -> None:
    x = np.arange(12.0).reshape(4, 3)
    with pytest.raises(RuntimeError, match="larger than the input's 4 steps"):
        R.pack_padded_sequence(Tensor(x), [5, 2, 1])
    packed = TR.pack_padded_sequence(torch.tensor(x), [5, 2, 1])  # (torch reads past the input)
    assert packed.batch_sizes.tolist() == [3, 2, 1, 1, 1]
    padded_o, padded_t = Tensor(x), torch.tensor(x)
    R.unpad_sequence(padded_o, ag.tensor([4, 2, 1]))
    TR.unpad_sequence(padded_t, torch.tensor([4, 2, 1]))
    assert padded_o.shape == (4, 3) and tuple(padded_t.shape) == (3, 4)  # (torch's transpose_)


@settings(max_examples=25, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 5), min_size=1, max_size=5),
    cls=st.sampled_from(["GRU", "LSTM"]),
    bidirectional=st.booleans(),
    batch_first=st.booleans(),
)
def test_packed_layers_of_any_lengths_are_torchs(
    lengths: list[int], cls: str, bidirectional: bool, batch_first: bool
) -> None:
    ours, theirs = _pair(cls, {"bidirectional": bidirectional, "batch_first": batch_first})
    x = _padded_input(lengths, max(lengths), batch_first, (H_IN,), seed=sum(lengths))
    results = []
    for lib, layer, utils in ((ag, ours, R), (torch, theirs, TR)):
        xs = lib.tensor(x, requires_grad=True)
        packed = utils.pack_padded_sequence(xs, lengths, batch_first=batch_first, enforce_sorted=False)
        out, state = layer(packed)
        h_n = _flat(state)[0]
        (out.data.sum() + (h_n * h_n).sum()).backward()
        results.append([out.data, h_n, xs.grad, *(p.grad for p in layer.parameters())])
    for i, (a, b) in enumerate(zip(*results)):
        _close(a, b, f"result {i}")


def test_float32_packed_sequences_stay_float32_and_agree_with_torch() -> None:
    torch.manual_seed(0)
    theirs = torch.nn.LSTM(H_IN, H, bidirectional=True)
    ours = nn.LSTM(H_IN, H, bidirectional=True, dtype=np.float32)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = _padded_input([3, 1, 2], 3, False, (H_IN,), seed=2).astype(np.float32)
    po = R.pack_padded_sequence(Tensor(x, dtype=np.float32), [3, 1, 2], enforce_sorted=False)
    pt = TR.pack_padded_sequence(torch.tensor(x), [3, 1, 2], enforce_sorted=False)
    (out_o, (h_o, _)), (out_t, (h_t, _)) = ours(po), theirs(pt)
    assert out_o.data.dtype == np.float32 and h_o.dtype == np.float32
    _close(out_o.data, out_t.data, "packed output", rtol=1e-5, atol=1e-6)
    _close(h_o, h_t, "h_n", rtol=1e-5, atol=1e-6)


def test_padding_sequences_that_are_all_empty_gives_torchs_empty_batch() -> None:
    ours = R.pad_sequence([ag.ones(0, 2), ag.ones(0, 2)], batch_first=True)
    theirs = TR.pad_sequence([torch.ones(0, 2, dtype=torch.float64)] * 2, batch_first=True)
    _close(ours, theirs, "empty")
