"""torch's CPU random streams, bit for bit: after the same seed the library draws torch's numbers
(the mt19937 stream, the uniform/normal/randint/randperm/bernoulli transforms, the modules' initial
weights, shuffling), and the stream position carries over from call to call as in torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.nn as nn
from autograd import _mt_stream
from autograd.utils.data import DataLoader, TensorDataset, random_split

SEEDS = (0, 1, 2**40 + 7)
SIZES = (0, 1, 2, 5, 15, 16, 17, 31, 33, 100, 1000)


def bits_equal(ours: object, theirs: torch.Tensor) -> bool:
    a = np.asarray(getattr(ours, "data", ours))
    b = theirs.detach().numpy()
    return (
        a.shape == b.shape
        and a.dtype == b.dtype
        and np.array_equal(a.reshape(-1).view(np.uint8), b.reshape(-1).view(np.uint8))
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_factories_in_sequence_are_torchs(seed: int, dtype: str) -> None:
    torch.manual_seed(seed)
    autograd.manual_seed(seed)
    td, ad = getattr(torch, dtype), getattr(autograd, dtype)
    for n in SIZES:  # one stream through every size: the position carries over
        assert bits_equal(autograd.rand(n, dtype=ad), torch.rand(n, dtype=td)), ("rand", n)
        assert bits_equal(autograd.randn(n, dtype=ad), torch.randn(n, dtype=td)), ("randn", n)
        assert bits_equal(autograd.randint(-3, 1000, (n,)), torch.randint(-3, 1000, (n,))), ("randint", n)
        assert bits_equal(autograd.randperm(n), torch.randperm(n)), ("randperm", n)
        # in place, a float64 tensor stands for torch's default (float32) one
        ours = autograd.zeros(n, dtype=ad).normal_(0.5, 3.0)
        assert bits_equal(ours, torch.zeros(n).normal_(0.5, 3.0).to(td)), ("normal_", n)
        ours = autograd.zeros(n, dtype=ad).uniform_(-0.3, 1.7)
        assert bits_equal(ours, torch.zeros(n).uniform_(-0.3, 1.7).to(td)), ("uniform_", n)
    assert bits_equal(autograd.randn((), dtype=ad), torch.randn((), dtype=td))
    assert bits_equal(autograd.randn(3, 7, dtype=ad), torch.randn(3, 7, dtype=td))
    assert bits_equal(autograd.randint(0, 2**40, (9,)), torch.randint(0, 2**40, (9,)))  # random64


def test_the_default_dtype_draws_torchs_float32_numbers_in_float64() -> None:
    torch.manual_seed(3)
    autograd.manual_seed(3)
    assert bits_equal(autograd.randn(4, 5), torch.randn(4, 5).double())
    assert bits_equal(autograd.rand(2, 3), torch.rand(2, 3).double())
    assert bits_equal(autograd.rand_like(autograd.zeros(7)), torch.rand_like(torch.zeros(7)).double())
    assert bits_equal(autograd.randn_like(np.zeros(20)), torch.randn_like(torch.zeros(20)).double())


def test_generators_and_states_are_torchs() -> None:
    g, t = autograd.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    assert bits_equal(
        autograd.randn(3, dtype=autograd.float64, generator=g),
        torch.randn(3, dtype=torch.float64, generator=t),
    )
    assert bits_equal(g.get_state(), t.get_state())  # the cached normal sample included
    torch.manual_seed(4)
    torch.randn(5)
    autograd.set_rng_state(torch.get_rng_state().numpy())  # torch's state loads here
    assert autograd.initial_seed() == torch.initial_seed() == 4
    assert bits_equal(autograd.rand(6, dtype=autograd.float32), torch.rand(6))
    assert autograd.Generator().initial_seed() == torch.Generator().initial_seed()


def test_module_initialisations_are_torchs() -> None:
    def pairs() -> list[tuple[object, object]]:
        return [
            (lambda: nn.Linear(3, 2), lambda: torch.nn.Linear(3, 2)),
            (lambda: nn.Bilinear(2, 3, 4), lambda: torch.nn.Bilinear(2, 3, 4)),
            (lambda: nn.Conv1d(2, 3, 3), lambda: torch.nn.Conv1d(2, 3, 3)),
            (lambda: nn.Conv2d(3, 4, 3, groups=1), lambda: torch.nn.Conv2d(3, 4, 3)),
            (lambda: nn.ConvTranspose2d(2, 4, 3), lambda: torch.nn.ConvTranspose2d(2, 4, 3)),
            (lambda: nn.Embedding(5, 3), lambda: torch.nn.Embedding(5, 3)),
            (lambda: nn.RNN(3, 4), lambda: torch.nn.RNN(3, 4)),
            (lambda: nn.LSTM(3, 4, num_layers=2), lambda: torch.nn.LSTM(3, 4, num_layers=2)),
            (lambda: nn.GRU(3, 4, bidirectional=True), lambda: torch.nn.GRU(3, 4, bidirectional=True)),
            (lambda: nn.GRUCell(3, 4), lambda: torch.nn.GRUCell(3, 4)),
            (lambda: nn.MultiheadAttention(4, 2), lambda: torch.nn.MultiheadAttention(4, 2)),
            (lambda: nn.LayerNorm(3), lambda: torch.nn.LayerNorm(3)),
            (lambda: nn.BatchNorm1d(3), lambda: torch.nn.BatchNorm1d(3)),
        ]

    for seed in (0, 11):
        autograd.manual_seed(seed)
        ours = [a() for a, _ in pairs()]
        torch.manual_seed(seed)
        theirs = [t() for _, t in pairs()]
        for a, t in zip(ours, theirs, strict=True):
            expected = t.state_dict()
            got = a.state_dict()
            assert list(got) == list(expected), type(a).__name__
            for k, v in expected.items():
                want = v.double() if v.dtype == torch.float32 else v
                assert bits_equal(np.asarray(got[k], dtype=want.numpy().dtype), want), (type(a).__name__, k)
        assert bits_equal(autograd.rand(3, dtype=autograd.float32), torch.rand(3))  # same position after


def test_dropout_masks_shuffling_and_random_split_are_torchs() -> None:
    torch.manual_seed(2)
    autograd.manual_seed(2)
    for p in (0.1, 0.5, 0.9):
        ours = nn.Dropout(p)(autograd.ones(40)).data != 0
        assert np.array_equal(ours, torch.nn.Dropout(p)(torch.ones(40)).numpy() != 0)
    x = np.arange(23.0)
    ours = [
        b[0].data.tolist() for b in DataLoader(TensorDataset(autograd.tensor(x)), batch_size=5, shuffle=True)
    ]
    theirs = [
        b[0].tolist()
        for b in torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(torch.tensor(x)), batch_size=5, shuffle=True
        )
    ]
    assert ours == theirs
    a = [list(s.indices) for s in random_split(range(10), [3, 7])]
    assert a == [list(s.indices) for s in torch.utils.data.random_split(range(10), [3, 7])]
    assert bits_equal(autograd.rand(2, dtype=autograd.float32), torch.rand(2))


def test_a_wrong_transform_is_caught() -> None:
    """23 bits instead of 24 for float32 uniforms: the comparison above would fail."""
    stream = _mt_stream.Stream(0)
    wrong = (stream.random(100) & np.uint64((1 << 23) - 1)).astype(np.float32) * np.float32(2.0**-23)
    torch.manual_seed(0)
    assert not bits_equal(wrong, torch.rand(100))
    torch.manual_seed(0)
    assert bits_equal(_mt_stream.Stream(0).unit(100, np.dtype(np.float32)), torch.rand(100))


@pytest.mark.parametrize("seed", SEEDS)
def test_bernoulli_normal_randint_like_and_in_place_draws_are_torchs(seed: int) -> None:
    torch.manual_seed(seed)
    autograd.manual_seed(seed)
    f32 = autograd.float32
    for n in (0, 1, 7, 33):
        p32 = np.linspace(0, 1, n, dtype=np.float32)
        assert bits_equal(autograd.bernoulli(autograd.tensor(p32)), torch.bernoulli(torch.tensor(p32)))
        p64 = torch.tensor(p32).double()
        assert bits_equal(
            autograd.bernoulli(autograd.zeros(n, dtype=f32), 0.25), torch.bernoulli(torch.zeros(n), 0.25)
        )
        assert bits_equal(autograd.normal(1.5, 2.0, (n,), dtype=f32), torch.normal(1.5, 2.0, (n,)))
        mean = np.arange(n, dtype=np.float32)
        assert bits_equal(autograd.normal(autograd.tensor(mean), 0.5), torch.normal(torch.tensor(mean), 0.5))
        assert bits_equal(
            autograd.randint_like(autograd.zeros(n, dtype=f32), 2, 9),
            torch.randint_like(torch.zeros(n), 2, 9),
        )
        assert bits_equal(autograd.zeros(n, dtype=f32).random_(), torch.zeros(n).random_())
        assert bits_equal(
            autograd.zeros(n, dtype=autograd.int64).random_(), torch.zeros(n, dtype=torch.int64).random_()
        )
        assert bits_equal(autograd.zeros(n, dtype=f32).random_(-4, 40), torch.zeros(n).random_(-4, 40))
        assert bits_equal(autograd.zeros(n, dtype=f32).exponential_(0.5), torch.zeros(n).exponential_(0.5))
        assert bits_equal(autograd.zeros(n, dtype=f32).bernoulli_(0.7), torch.zeros(n).bernoulli_(0.7))
        assert bits_equal(
            autograd.bernoulli(autograd.tensor(p32).double()), torch.bernoulli(p64.float()).double()
        )
    assert bits_equal(autograd.rand(5, dtype=f32), torch.rand(5))  # the position carried over


def test_normal_of_tensors_is_differentiable() -> None:
    mean = autograd.tensor([1.0, 2.0], requires_grad=True)
    std = autograd.tensor([0.5, 3.0], requires_grad=True)
    autograd.manual_seed(0)
    y = autograd.normal(mean, std)
    y.sum().backward()
    autograd.manual_seed(0)
    noise = autograd.randn(2)
    np.testing.assert_array_equal(mean.grad.data, [1.0, 1.0])
    np.testing.assert_array_equal(std.grad.data, noise.data)  # d(noise*std + mean)/dstd = noise


def test_transformer_layers_initialise_as_torch() -> None:
    for seed in (0, 5):
        autograd.manual_seed(seed)
        ours = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)
        torch.manual_seed(seed)
        theirs = torch.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)
        got = ours.state_dict()
        for k, v in theirs.state_dict().items():
            assert bits_equal(np.asarray(got[k], dtype=np.float64), v.double()), k


def test_bad_arguments_name_what_was_expected() -> None:
    with pytest.raises(RuntimeError, match=r"bernoulli_ expects p to be in \[0, 1\]"):
        autograd.zeros(3).bernoulli_(1.5)
    with pytest.raises(TypeError, match="p must be a real number"):
        autograd.zeros(3).bernoulli_("half")
    with pytest.raises(RuntimeError, match="all elements of p to be in"):
        autograd.bernoulli(autograd.tensor([0.2, -0.1]))
    with pytest.raises(RuntimeError, match="expects std >= 0.0"):
        autograd.normal(0.0, -1.0, (2,))
    with pytest.raises(TypeError, match="give size"):
        autograd.normal(0.0, 1.0)
    with pytest.raises(RuntimeError, match="expects lambda > 0.0"):
        autograd.zeros(2).exponential_(0.0)
    with pytest.raises(RuntimeError, match="expects 'from' to be less than 'to'"):
        autograd.zeros(2).random_(5, 5)
    with pytest.raises(RuntimeError, match="expected a state of 5056 bytes"):
        autograd.set_rng_state(np.zeros(10, np.uint8))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), n=st.integers(0, 70), f32=st.booleans())
def test_any_seed_and_size_match_torch(seed: int, n: int, f32: bool) -> None:
    td = torch.float32 if f32 else torch.float64
    g, t = autograd.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    ad = autograd.float32 if f32 else autograd.float64
    assert bits_equal(autograd.randn(n, dtype=ad, generator=g), torch.randn(n, dtype=td, generator=t))
    assert bits_equal(autograd.rand(n, dtype=ad, generator=g), torch.rand(n, dtype=td, generator=t))
    assert bits_equal(autograd.randperm(n, generator=g), torch.randperm(n, generator=t))
    assert bits_equal(g.get_state(), t.get_state())


def test_the_glibc_float32_path_is_the_c_librarys() -> None:
    """For torch builds without AVX2: logf/sinf/cosf as glibc computes them (checked here against
    the C library itself on 4000 of the 2**24 inputs Box–Muller can give them)."""
    import ctypes
    import ctypes.util
    import math

    name = ctypes.util.find_library("m")
    if name is None or "libm.so.6" not in name:
        pytest.skip("not glibc's libm")
    libm = ctypes.CDLL(name)
    for f in ("logf", "sinf", "cosf"):
        getattr(libm, f).restype, getattr(libm, f).argtypes = ctypes.c_float, [ctypes.c_float]
    k = np.concatenate(
        [np.random.default_rng(0).integers(0, 2**24, 3000), np.arange(500), 2**24 - 1 - np.arange(500)]
    )
    u = k.astype(np.float32) * np.float32(2.0**-24)
    u1 = np.float32(1) - u
    theta = (2 * math.pi * u.astype(np.float64)).astype(np.float32)
    sin, cos = _mt_stream.sincosf(theta)
    for ours, f, x in (
        (_mt_stream.logf(u1), libm.logf, u1),
        (sin, libm.sinf, theta),
        (cos, libm.cosf, theta),
    ):
        theirs = np.array([f(float(v)) for v in x], dtype=np.float32)
        assert np.array_equal(ours.view(np.uint32), theirs.view(np.uint32))


def test_float64_exponential_is_torchs() -> None:
    torch.manual_seed(1)
    autograd.manual_seed(1)
    assert bits_equal(autograd.zeros(50).exponential_(3.0), torch.zeros(50).exponential_(3.0).double())
    theirs = torch.zeros(50, dtype=torch.float64).exponential_(
        3.0, generator=torch.Generator().manual_seed(4)
    )
    assert bits_equal(_mt_stream.Stream(4).exponential(50, 3.0), theirs)


def test_set_default_dtype_float64_switches_to_torchs_float64_stream() -> None:
    """As torch.set_default_dtype(torch.float64): draws and float64 parameters follow torch's
    float64 stream after it; float32 back gives torch's float32 stream, held in float32."""
    torch.set_default_dtype(torch.float64)
    autograd.set_default_dtype(autograd.float64)
    try:
        torch.manual_seed(2)
        autograd.manual_seed(2)
        assert bits_equal(autograd.randn(20), torch.randn(20))
        assert bits_equal(autograd.zeros(20).normal_(), torch.zeros(20).normal_())
        assert bits_equal(nn.Linear(3, 2).weight, torch.nn.Linear(3, 2).weight)
    finally:
        torch.set_default_dtype(torch.float32)
        autograd.set_default_dtype(autograd.float32)
    assert bits_equal(autograd.randn(20), torch.randn(20))
    autograd.set_default_dtype(autograd.float64)


def _assert_same_init(make_ours: object, make_theirs: object, seed: int) -> None:
    autograd.manual_seed(seed)
    ours = make_ours()  # type: ignore[operator]
    torch.manual_seed(seed)
    theirs = make_theirs()  # type: ignore[operator]
    got, expected = ours.state_dict(), theirs.state_dict()
    assert list(got) == list(expected)
    for k, v in expected.items():
        want = v.double() if v.dtype == torch.float32 else v
        assert bits_equal(np.asarray(got[k], dtype=want.numpy().dtype), want), k
    assert bits_equal(autograd.rand(2, dtype=autograd.float32), torch.rand(2))  # as many draws


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.Transformer(8, 2, 1, 1, 16, dropout=0.0),
        lambda m: m.TransformerDecoderLayer(8, 2, 16, dropout=0.0),
        lambda m: m.RNNCell(3, 4),
        lambda m: m.LSTMCell(3, 4, bias=False),
        lambda m: m.LSTM(3, 4, proj_size=2),
        lambda m: m.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True),
        lambda m: m.ConvTranspose1d(2, 4, 3, groups=2),
        lambda m: m.Conv2d(4, 6, (2, 3), groups=2, bias=False),
        lambda m: m.Embedding(6, 3, padding_idx=1),
        lambda m: m.BatchNorm2d(3),
        lambda m: m.Sequential(m.Linear(784, 256), m.ReLU(), m.Linear(256, 10)),
    ],
    ids=["Transformer", "DecoderLayer", "RNNCell", "LSTMCell", "LSTM-proj", "MHA-kdim", "ConvT1d",
         "Conv2d-groups", "Embedding-pad", "BatchNorm2d", "MLP-784-256-10"],
)  # fmt: skip
def test_more_modules_initialise_as_torch(make: object) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (torch's nested-tensor notice)
        _assert_same_init(lambda: make(nn), lambda: make(torch.nn), 3)  # type: ignore[operator]


def test_samplers_follow_torchs_draws() -> None:
    from autograd.utils.data import RandomSampler, SubsetRandomSampler

    tdata = torch.utils.data
    torch.manual_seed(8)
    autograd.manual_seed(8)
    assert list(RandomSampler(range(10), replacement=True, num_samples=40)) == list(
        tdata.RandomSampler(range(10), replacement=True, num_samples=40)
    )
    assert list(RandomSampler(range(7), num_samples=17)) == list(
        tdata.RandomSampler(range(7), num_samples=17)
    )
    assert list(SubsetRandomSampler([3, 5, 9, 11])) == list(tdata.SubsetRandomSampler([3, 5, 9, 11]))
    g, t = autograd.Generator().manual_seed(1), torch.Generator().manual_seed(1)
    ours = [b.tolist() for b in DataLoader(autograd.arange(11), batch_size=4, shuffle=True, generator=g)]
    assert ours == [
        b.tolist() for b in tdata.DataLoader(torch.arange(11), batch_size=4, shuffle=True, generator=t)
    ]
    assert bits_equal(g.get_state(), t.get_state())
    assert bits_equal(autograd.rand(2, dtype=autograd.float32), torch.rand(2))
