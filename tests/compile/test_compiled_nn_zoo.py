"""Every ``autograd.nn`` module and ``nn.functional`` function inside a compiled training step,
called with NEW inputs (and new labels, masks, lengths where they are arguments) several times:
its value, every parameter's and input's gradient, the integer outputs (pooling indices, lengths)
and the buffers afterwards equal the eager engine's bit for bit, and ``check=True`` passes.
A trace that kept the first call's numbers (a mask or an index read from ``x.data`` in Python)
fails here on the second call. Where an output's shape depends on the numbers (packed sequences'
lengths given as a Tensor), tracing refuses with a ``CompileError`` instead."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd
import autograd.nn.functional as F
from autograd import Tensor, nn
from autograd.compiled import CompileError
from autograd.nn.utils import rnn as rnn_utils

CALLS = 3


# ---------------------------------------------------------------- argument makers (rng -> argument)
def x(*shape: int, scale: float = 1.0) -> Callable[[np.random.Generator], Tensor]:
    return lambda rng: Tensor(rng.normal(size=shape) * scale, requires_grad=True)


def pos(*shape: int) -> Callable[[np.random.Generator], Tensor]:
    return lambda rng: Tensor(rng.uniform(0.05, 0.95, size=shape), requires_grad=True)


def labels(high: int, *shape: int, low: int = 0) -> Callable[[np.random.Generator], Tensor]:
    return lambda rng: autograd.tensor(rng.integers(low, high, size=shape))


def mask(*shape: int, p: float = 0.4, keep_first: bool = True) -> Callable[[np.random.Generator], Tensor]:
    """A bool mask (True: masked); with ``keep_first`` the last axis's first entry is never masked
    (no all-masked attention row)."""

    def make(rng: np.random.Generator) -> Tensor:
        m = rng.random(shape) < p
        if keep_first:
            m[..., 0] = False
        return autograd.tensor(m)

    return make


def const(value: Any) -> Callable[[np.random.Generator], Any]:
    return lambda rng: value


# ---------------------------------------------------------------- the comparison
def _floats(out: Any) -> list[Tensor]:
    if isinstance(out, Tensor):
        return [out] if out.data.dtype.kind == "f" else []
    if isinstance(out, rnn_utils.PackedSequence):
        return _floats(out.data)
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _floats(o)]
    return []


def _ints(out: Any) -> list[Tensor]:
    if isinstance(out, Tensor):
        return [] if out.data.dtype.kind == "f" else [out]
    if isinstance(out, rnn_utils.PackedSequence):
        return [out.batch_sizes] if isinstance(out.batch_sizes, Tensor) else []
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _ints(o)]
    return []


def _loss(out: Any) -> tuple[Tensor, ...]:
    """Each float output weighted by fixed numbers and summed (every element gets its own
    gradient), then the integer outputs as they are."""
    total = None
    for t in _floats(out):
        w = np.cos(np.arange(t.data.size)).reshape(t.shape) + 1.5
        term = (t * w.astype(t.data.dtype)).sum()
        total = term if total is None else total + term
    return (total, *_ints(out))


def _bits(t: Any) -> bytes:
    return b"" if t is None else np.ascontiguousarray(t.data).tobytes()


def _same(case: str, make: Callable[[], Any], fn: Callable[..., Any], args: list, check: bool = False,
          calls: int = CALLS, traces: int | None = 1) -> None:  # fmt: skip
    """``fn(model, *args)`` compiled and eager on ``calls`` new draws of ``args``: the same bits."""
    autograd.manual_seed(0)
    compiled = make()
    eager = copy.deepcopy(compiled)
    step = autograd.compile(lambda *a: _loss(fn(compiled, *a)), check=check)
    params_c = list(compiled.parameters()) if isinstance(compiled, nn.Module) else []
    params_e = list(eager.parameters()) if isinstance(eager, nn.Module) else []
    for k in range(calls):
        got_args = [make_arg(np.random.default_rng(k)) for make_arg in args]
        want_args = [make_arg(np.random.default_rng(k)) for make_arg in args]
        autograd.manual_seed(100 + k)
        got = step(*got_args)
        autograd.manual_seed(100 + k)
        want = _loss(fn(eager, *want_args))
        want[0].backward()
        where = f"{case}, call {k}"
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            assert _bits(g) == _bits(w), f"{where}: output {i}: {g.data} != {w.data}"
        for i, (a, b) in enumerate(zip(got_args, want_args)):
            if isinstance(a, Tensor) and a.requires_grad:
                assert _bits(a.grad) == _bits(b.grad), f"{where}: the gradient of argument {i} differs"
        for (name, a), b in zip(compiled.named_parameters() if params_c else [], params_e):
            assert _bits(a.grad) == _bits(b.grad), f"{where}: the gradient of {name} differs"
        for a, b in zip(params_c, params_e):  # (a step: the next call reads new parameters)
            if a.grad is not None:
                a.data -= 0.1 * a.grad.data
                b.data -= 0.1 * b.grad.data
            a.grad = b.grad = None
    if isinstance(compiled, nn.Module):
        for (name, a), (_, b) in zip(compiled.named_buffers(), eager.named_buffers()):
            assert _bits(a) == _bits(b), f"{case}: buffer {name} differs after the steps"
    if traces is not None:
        assert step.trace_count == traces, case


class Holder(nn.Module):
    """Parameters for a functional call (``F.conv2d(x, m.w, m.b)``)."""

    def __init__(self, **shapes: tuple[int, ...]) -> None:
        rng = np.random.default_rng(3)
        for name, shape in shapes.items():
            setattr(self, name, nn.Parameter(Tensor(rng.normal(size=shape) * 0.5)))


def _module(m: Callable[[], nn.Module]) -> Callable[..., Any]:
    return lambda model, *a: model(*a)


# ---------------------------------------------------------------- modules: (make, [args])
MODULES: dict[str, tuple[Callable[[], Any], list]] = {
    # layers and containers
    "Linear": (lambda: nn.Linear(4, 3), [x(5, 4)]),
    "Bilinear": (lambda: nn.Bilinear(3, 2, 4), [x(5, 3), x(5, 2)]),
    "Identity": (lambda: nn.Sequential(nn.Identity(), nn.Linear(3, 2)), [x(4, 3)]),
    "TensorMLP": (lambda: nn.TensorMLP(3, [5, 2], activation="tanh", rng=0), [x(4, 3)]),
    "Sequential+Flatten+Unflatten": (
        lambda: nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.Unflatten(1, (2, 3)), nn.ReLU()),
        [x(4, 3, 4)],
    ),
    "ModuleList": (lambda: _Stack(nn.ModuleList([nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 2)])), [x(4, 3)]),
    "ModuleDict": (lambda: _Stack(nn.ModuleDict({"a": nn.Linear(3, 3), "b": nn.GELU()})), [x(4, 3)]),
    # activations
    **{
        name: (
            lambda name=name, a=a: nn.Sequential(nn.Linear(3, 4), getattr(nn, name.split("-")[0])(*a)),
            [x(5, 3, scale=3.0)],
        )
        for name, a in [
            ("ReLU", ()),
            ("Tanh", ()),
            ("Sigmoid", ()),
            ("Softmax", (1,)),
            ("LogSoftmax", (1,)),
            ("LeakyReLU", (0.1,)),
            ("RReLU", ()),
            ("RReLU-wide", (-0.5, 2.0)),
            ("ELU", ()),
            ("GELU", ()),
            ("SiLU", ()),
            ("Softplus", (2.0, 1.0)),
            ("ReLU6", ()),
            ("Hardtanh", (-0.5, 0.7)),
            ("SELU", ()),
            ("CELU", (0.5,)),
            ("Mish", ()),
            ("Hardswish", ()),
            ("Hardsigmoid", ()),
            ("LogSigmoid", ()),
            ("Softsign", ()),
            ("Tanhshrink", ()),
            ("Threshold", (0.2, -1.0)),
            ("Softmin", (1,)),
            ("GLU", ()),
        ]
    },  # fmt: skip
    "RReLU-eval": (lambda: _eval(nn.Sequential(nn.Linear(3, 4), nn.RReLU(0.1, 0.6))), [x(5, 3, scale=3.0)]),
    "GELU-tanh": (lambda: nn.Sequential(nn.Linear(3, 4), nn.GELU("tanh")), [x(5, 3, scale=3.0)]),
    # convolutions and pools
    "Conv1d": (lambda: nn.Conv1d(2, 3, 3, padding=1, stride=2), [x(2, 2, 7)]),
    "Conv2d": (lambda: nn.Conv2d(2, 4, 3, padding=1, groups=2, dilation=(1, 2)), [x(2, 2, 5, 6)]),
    "Conv2d-reflect": (lambda: nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), [x(2, 2, 4, 4)]),
    "Conv3d": (lambda: nn.Conv3d(2, 3, 2, padding=1), [x(1, 2, 3, 3, 3)]),
    "ConvTranspose1d": (lambda: nn.ConvTranspose1d(2, 3, 3, stride=2, output_padding=1), [x(2, 2, 4)]),
    "ConvTranspose2d": (lambda: nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1), [x(1, 2, 3, 3)]),
    "ConvTranspose3d": (lambda: nn.ConvTranspose3d(2, 2, 2, stride=2), [x(1, 2, 2, 2, 2)]),
    "MaxPool1d": (lambda: nn.MaxPool1d(3, 2, padding=1), [x(2, 2, 7)]),
    "MaxPool2d": (lambda: nn.MaxPool2d(2, ceil_mode=True), [x(2, 2, 5, 5)]),
    "MaxPool2d-dilated": (lambda: nn.MaxPool2d(2, 1, dilation=2, padding=1), [x(1, 2, 5, 5)]),
    "MaxPool2d-indices": (lambda: nn.MaxPool2d(2, return_indices=True), [x(2, 2, 4, 4)]),
    "MaxPool3d": (lambda: nn.MaxPool3d(2), [x(1, 2, 4, 4, 4)]),
    "MaxPool3d-indices": (lambda: nn.MaxPool3d(2, return_indices=True), [x(1, 2, 4, 4, 4)]),
    "AvgPool1d": (lambda: nn.AvgPool1d(3, 2, padding=1, count_include_pad=False), [x(2, 2, 7)]),
    "AvgPool2d": (lambda: nn.AvgPool2d(2, ceil_mode=True), [x(2, 2, 5, 5)]),
    "AvgPool3d": (lambda: nn.AvgPool3d(2), [x(1, 2, 4, 4, 4)]),
    "AdaptiveAvgPool1d": (lambda: nn.AdaptiveAvgPool1d(3), [x(2, 2, 7)]),
    "AdaptiveAvgPool2d": (lambda: nn.AdaptiveAvgPool2d((2, 3)), [x(2, 2, 5, 5)]),
    "AdaptiveAvgPool3d": (lambda: nn.AdaptiveAvgPool3d(2), [x(1, 2, 3, 3, 3)]),
    "AdaptiveMaxPool1d": (lambda: nn.AdaptiveMaxPool1d(3), [x(2, 2, 7)]),
    "AdaptiveMaxPool1d-indices": (lambda: nn.AdaptiveMaxPool1d(3, return_indices=True), [x(2, 2, 7)]),
    "AdaptiveMaxPool2d": (lambda: nn.AdaptiveMaxPool2d(2), [x(2, 2, 5, 5)]),
    "AdaptiveMaxPool2d-indices": (lambda: nn.AdaptiveMaxPool2d(2, return_indices=True), [x(2, 2, 5, 5)]),
    "AdaptiveMaxPool3d": (lambda: nn.AdaptiveMaxPool3d(2), [x(1, 2, 3, 3, 3)]),
    "AdaptiveMaxPool3d-indices": (lambda: nn.AdaptiveMaxPool3d(2, return_indices=True), [x(1, 2, 3, 3, 3)]),
    "LPPool1d": (lambda: nn.LPPool1d(2, 3, 2), [x(2, 2, 7)]),
    "LPPool2d": (lambda: nn.LPPool2d(1.5, (2, 3), ceil_mode=True), [pos(2, 2, 5, 5)]),
    "LPPool3d": (lambda: nn.LPPool3d(3, 2), [x(1, 2, 4, 4, 4)]),
    "LPPool2d-inf": (lambda: nn.LPPool2d(float("inf"), 2), [x(2, 2, 4, 4)]),
    # normalization
    "BatchNorm1d": (lambda: nn.BatchNorm1d(3), [x(5, 3)]),
    "BatchNorm1d-3d": (lambda: nn.BatchNorm1d(3, momentum=None), [x(4, 3, 2)]),
    "BatchNorm2d": (lambda: nn.BatchNorm2d(2), [x(3, 2, 2, 2)]),
    "BatchNorm3d": (lambda: nn.BatchNorm3d(2, affine=False), [x(2, 2, 2, 2, 2)]),
    "BatchNorm1d-eval": (lambda: _eval(nn.BatchNorm1d(3)), [x(5, 3)]),
    "BatchNorm2d-no-stats": (lambda: nn.BatchNorm2d(2, track_running_stats=False), [x(3, 2, 2, 2)]),
    "LayerNorm": (lambda: nn.LayerNorm((2, 3)), [x(4, 2, 3)]),
    "LayerNorm-no-affine": (lambda: nn.LayerNorm(3, elementwise_affine=False), [x(4, 3)]),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4), [x(3, 4, 5)]),
    "GroupNorm-no-affine": (lambda: nn.GroupNorm(3, 3, affine=False), [x(2, 3, 2, 2)]),
    "InstanceNorm1d": (lambda: nn.InstanceNorm1d(3), [x(2, 3, 5)]),
    "InstanceNorm1d-stats": (
        lambda: nn.InstanceNorm1d(3, affine=True, track_running_stats=True),
        [x(2, 3, 5)],
    ),
    "InstanceNorm1d-eval": (lambda: _eval(nn.InstanceNorm1d(3, track_running_stats=True)), [x(2, 3, 5)]),
    "InstanceNorm2d-unbatched": (lambda: nn.InstanceNorm2d(2, affine=True), [x(2, 3, 3)]),
    "InstanceNorm3d": (
        lambda: nn.InstanceNorm3d(2, track_running_stats=True, momentum=None),
        [x(2, 2, 2, 2, 2)],
    ),
    "RMSNorm": (lambda: nn.RMSNorm((2, 3)), [x(4, 2, 3)]),
    "RMSNorm-eps": (lambda: nn.RMSNorm(3, eps=0.1, elementwise_affine=False), [x(4, 3)]),
    "LocalResponseNorm": (lambda: nn.LocalResponseNorm(3, 0.1), [x(2, 5, 4)]),
    "LocalResponseNorm-4d": (lambda: nn.LocalResponseNorm(2, 0.2, k=2.0), [x(2, 4, 3, 2)]),
    # dropout
    "Dropout": (lambda: nn.Sequential(nn.Linear(3, 6), nn.Dropout(0.4)), [x(5, 3)]),
    "Dropout-eval": (lambda: _eval(nn.Sequential(nn.Linear(3, 6), nn.Dropout(0.4))), [x(5, 3)]),
    "Dropout1d": (lambda: nn.Sequential(nn.Conv1d(2, 3, 2), nn.Dropout1d(0.4)), [x(4, 2, 5)]),
    "Dropout1d-unbatched": (lambda: nn.Dropout1d(0.3), [x(3, 5)]),
    "Dropout2d": (lambda: nn.Sequential(nn.Conv2d(2, 3, 2), nn.Dropout2d(0.5)), [x(2, 2, 4, 4)]),
    "Dropout3d": (lambda: nn.Dropout3d(0.5), [x(2, 3, 2, 2, 2)]),
    "Dropout3d-unbatched": (lambda: nn.Dropout3d(0.5), [x(3, 2, 2, 2)]),
    "AlphaDropout": (lambda: nn.Sequential(nn.Linear(3, 6), nn.SELU(), nn.AlphaDropout(0.2)), [x(5, 3)]),
    "AlphaDropout-eval": (lambda: _eval(nn.AlphaDropout(0.2)), [x(5, 3)]),
    "FeatureAlphaDropout": (lambda: nn.FeatureAlphaDropout(0.3), [x(4, 3, 2)]),
    # embedding
    "Embedding": (lambda: nn.Embedding(6, 3), [labels(6, 4, 2)]),
    "Embedding-padding_idx": (lambda: nn.Embedding(6, 3, padding_idx=1), [labels(6, 4, 2)]),
    "Embedding-max_norm": (lambda: nn.Embedding(6, 3, max_norm=0.8), [labels(6, 5)]),
    # distances
    "CosineSimilarity": (lambda: nn.CosineSimilarity(dim=1), [x(4, 3), x(4, 3)]),
    "PairwiseDistance": (lambda: nn.PairwiseDistance(p=1.5), [x(4, 3), x(4, 3)]),
    # resampling
    **{
        f"Upsample-{mode}": (
            lambda mode=mode, ac=ac: nn.Upsample(scale_factor=2, mode=mode, align_corners=ac),
            [x(1, 2, *shape)],
        )
        for mode, ac, shape in [
            ("nearest", None, (3, 3)),
            ("nearest-exact", None, (3, 3)),
            ("bilinear", False, (3, 3)),
            ("bilinear", True, (3, 3)),
            ("bicubic", False, (3, 3)),
            ("linear", False, (3,)),
            ("trilinear", False, (2, 2, 2)),
        ]
    },  # fmt: skip
    "PixelShuffle": (lambda: nn.PixelShuffle(2), [x(1, 8, 2, 2)]),
    "PixelUnshuffle": (lambda: nn.PixelUnshuffle(2), [x(1, 2, 4, 4)]),
    # recurrent
    "RNN": (lambda: nn.RNN(3, 4, num_layers=2, nonlinearity="relu"), [x(5, 2, 3), x(2, 2, 4)]),
    "LSTM": (lambda: nn.LSTM(3, 4, bidirectional=True, batch_first=True), [x(2, 5, 3)]),
    "LSTM-proj": (lambda: nn.LSTM(3, 4, proj_size=2), [x(5, 2, 3)]),
    "GRU": (lambda: nn.GRU(3, 4, num_layers=2, dropout=0.3), [x(4, 2, 3)]),
    "RNNCell": (lambda: nn.RNNCell(3, 4), [x(2, 3), x(2, 4)]),
    "LSTMCell": (lambda: nn.LSTMCell(3, 4), [x(2, 3)]),
    "GRUCell": (lambda: nn.GRUCell(3, 4), [x(2, 3), x(2, 4)]),
}


class _Stack(nn.Module):
    def __init__(self, layers: Any) -> None:
        self.layers = layers

    def forward(self, x: Tensor) -> Tensor:
        for layer in self.layers.values() if isinstance(self.layers, nn.ModuleDict) else self.layers:
            x = layer(x)
        return x


def _eval(m: nn.Module) -> nn.Module:
    if isinstance(m, (nn.BatchNorm1d, nn.InstanceNorm1d)):
        m.running_mean.data[...] = [0.3, -0.2, 0.1]
        m.running_var.data[...] = [0.5, 2.0, 1.5]
    return m.eval()


@pytest.mark.parametrize("name", list(MODULES))
def test_each_module_compiled_on_new_inputs_is_eager_bit_for_bit(name):
    make, args = MODULES[name]
    _same(name, make, lambda m, *a: m(*a), args)


@pytest.mark.parametrize("name", list(MODULES))
def test_each_module_passes_check(name):
    make, args = MODULES[name]
    _same(name, make, lambda m, *a: m(*a), args, check=True, calls=2)


# ---------------------------------------------------------------- attention and transformers
def _attention(**kw: Any) -> Callable[[], nn.Module]:
    return lambda: nn.MultiheadAttention(4, 2, **kw)


def _encoder_layer(**kw: Any) -> nn.Module:
    return nn.TransformerEncoderLayer(4, 2, dim_feedforward=6, **kw)


def _decoder_layer(**kw: Any) -> nn.Module:
    return nn.TransformerDecoderLayer(4, 2, dim_feedforward=6, **kw)


T, S, B = 3, 4, 2
ATTENTION: dict[str, tuple[Callable[[], Any], Callable[..., Any], list]] = {
    "MHA": (_attention(), lambda m, q, k, v: m(q, k, v), [x(T, B, 4), x(S, B, 4), x(S, B, 4)]),
    "MHA-bool-masks": (
        _attention(batch_first=True),
        lambda m, q, kv, am, kpm: m(q, kv, kv, key_padding_mask=kpm, attn_mask=am),
        [x(B, T, 4), x(B, S, 4), mask(T, S), mask(B, S)],
    ),
    "MHA-float-mask-no-average": (
        _attention(add_bias_kv=True, add_zero_attn=True),
        lambda m, q, k, v, am: m(q, k, v, attn_mask=am, average_attn_weights=False),
        [x(T, B, 4), x(S, B, 4), x(S, B, 4), x(T, S)],
    ),
    "MHA-kdim-vdim-dropout": (
        _attention(kdim=3, vdim=5, dropout=0.3),
        lambda m, q, k, v, kpm: m(q, k, v, key_padding_mask=kpm),
        [x(T, B, 4), x(S, B, 3), x(S, B, 5), mask(B, S)],
    ),
    "MHA-3d-mask-no-weights": (
        _attention(),
        lambda m, q, am: m(q, q, q, attn_mask=am, need_weights=False)[0],
        [x(T, B, 4), mask(B * 2, T, T)],
    ),
    "TransformerEncoderLayer": (
        lambda: _encoder_layer(dropout=0.2),
        lambda m, src, am, kpm: m(src, src_mask=am, src_key_padding_mask=kpm),
        [x(T, B, 4), mask(T, T), mask(B, T)],
    ),
    "TransformerEncoderLayer-norm_first-gelu": (
        lambda: _encoder_layer(dropout=0.0, norm_first=True, activation="gelu", batch_first=True),
        lambda m, src, kpm: m(src, src_key_padding_mask=kpm),
        [x(B, T, 4), mask(B, T)],
    ),
    "TransformerEncoder": (
        lambda: nn.TransformerEncoder(_encoder_layer(dropout=0.0), 2, norm=nn.LayerNorm(4)),
        lambda m, src, am, kpm: m(src, mask=am, src_key_padding_mask=kpm),
        [x(T, B, 4), mask(T, T), mask(B, T)],
    ),
    "TransformerEncoder-causal": (
        lambda: nn.TransformerEncoder(_encoder_layer(dropout=0.0), 2),
        lambda m, src: m(src, mask=nn.Transformer.generate_square_subsequent_mask(T), is_causal=True),
        [x(T, B, 4)],
    ),
    "TransformerDecoderLayer": (
        lambda: _decoder_layer(dropout=0.1),
        lambda m, tgt, mem, tm, mm, tkpm, mkpm: m(
            tgt, mem, tgt_mask=tm, memory_mask=mm, tgt_key_padding_mask=tkpm, memory_key_padding_mask=mkpm
        ),
        [x(T, B, 4), x(S, B, 4), mask(T, T), mask(T, S), mask(B, T), mask(B, S)],
    ),  # fmt: skip
    "TransformerDecoder": (
        lambda: nn.TransformerDecoder(_decoder_layer(dropout=0.0, norm_first=True), 2),
        lambda m, tgt, mem, tm, mkpm: m(tgt, mem, tgt_mask=tm, memory_key_padding_mask=mkpm),
        [x(T, B, 4), x(S, B, 4), mask(T, T), mask(B, S)],
    ),
    "Transformer": (
        lambda: nn.Transformer(4, 2, 1, 1, dim_feedforward=6, dropout=0.1),
        lambda m, src, tgt, sm, skpm: m(
            src, tgt, src_mask=sm, src_key_padding_mask=skpm, memory_key_padding_mask=skpm
        ),
        [x(S, B, 4), x(T, B, 4), mask(S, S), mask(B, S)],
    ),  # fmt: skip
    "F.scaled_dot_product_attention": (
        lambda: Holder(),
        lambda m, q, k, v, am: F.scaled_dot_product_attention(q, k, v, attn_mask=am, dropout_p=0.2),
        [x(B, T, 4), x(B, S, 4), x(B, S, 4), mask(T, S)],
    ),
    "F.scaled_dot_product_attention-causal-float": (
        lambda: Holder(),
        lambda m, q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.3),
        [x(B, T, 4), x(B, T, 4), x(B, T, 4)],
    ),
}


@pytest.mark.parametrize("name", list(ATTENTION))
@pytest.mark.parametrize("check", [False, True], ids=["eager", "check"])
def test_attention_and_transformers_with_new_masks_at_each_call(name, check):
    make, fn, args = ATTENTION[name]
    _same(name, make, fn, args, check=check, calls=CALLS - check)


# ---------------------------------------------------------------- functional
FUNCTIONS: dict[str, tuple[Callable[[], Any], Callable[..., Any], list]] = {
    "F.linear": (lambda: Holder(w=(3, 4), b=(3,)), lambda m, a: F.linear(a, m.w, m.b), [x(5, 4)]),
    "F.bilinear": (lambda: Holder(w=(2, 3, 4)), lambda m, a, b: F.bilinear(a, b, m.w), [x(5, 3), x(5, 4)]),
    "F.conv1d": (
        lambda: Holder(w=(3, 2, 2)),
        lambda m, a: F.conv1d(a, m.w, stride=2, padding=1),
        [x(2, 2, 5)],
    ),
    "F.conv2d": (
        lambda: Holder(w=(2, 2, 2, 2)),
        lambda m, a: F.conv2d(a, m.w, padding="same"),
        [x(1, 2, 4, 4)],
    ),
    "F.conv3d": (
        lambda: Holder(w=(2, 1, 2, 2, 2)),
        lambda m, a: F.conv3d(a, m.w, stride=2),
        [x(1, 1, 4, 4, 4)],
    ),
    "F.conv_transpose2d": (
        lambda: Holder(w=(2, 3, 2, 2)),
        lambda m, a: F.conv_transpose2d(a, m.w, stride=2, output_padding=1),
        [x(1, 2, 3, 3)],
    ),
    "F.unfold+fold": (
        lambda: Holder(),
        lambda m, a: F.fold(F.unfold(a, 2, padding=1) * 2.0, (4, 5), 2, padding=1),
        [x(1, 2, 4, 5)],
    ),
    "F.max_pool2d-indices": (
        lambda: Holder(),
        lambda m, a: F.max_pool2d(a, 3, 2, padding=1, return_indices=True),
        [x(2, 1, 5, 5)],
    ),
    "F.max_pool1d-indices": (
        lambda: Holder(),
        lambda m, a: F.max_pool1d(a, 2, dilation=2, return_indices=True),
        [x(2, 2, 7)],
    ),
    "F.max_pool3d-dilated-indices": (
        lambda: Holder(),
        lambda m, a: F.max_pool3d(a, 2, 1, 1, dilation=2, return_indices=True),
        [x(1, 1, 3, 3, 3)],
    ),
    "F.avg_pool2d-divisor": (
        lambda: Holder(),
        lambda m, a: F.avg_pool2d(a, 2, 1, divisor_override=3),
        [x(1, 2, 3, 3)],
    ),
    "F.batch_norm": (
        lambda: Holder(w=(3,), b=(3,)),
        lambda m, a: F.batch_norm(a, None, None, m.w, m.b, training=True),
        [x(4, 3)],
    ),
    "F.group_norm": (lambda: Holder(w=(4,), b=(4,)), lambda m, a: F.group_norm(a, 2, m.w, m.b), [x(2, 4, 3)]),
    "F.instance_norm": (lambda: Holder(w=(3,)), lambda m, a: F.instance_norm(a, weight=m.w), [x(2, 3, 4)]),
    "F.rms_norm": (lambda: Holder(w=(3,)), lambda m, a: F.rms_norm(a, (3,), m.w), [x(4, 3)]),
    "F.local_response_norm": (lambda: Holder(), lambda m, a: F.local_response_norm(a, 2), [x(2, 3, 4)]),
    "F.lp_pool1d": (lambda: Holder(), lambda m, a: F.lp_pool1d(a, 2.5, 2), [pos(2, 2, 6)]),
    "F.rrelu": (lambda: Holder(w=(3, 4)), lambda m, a: F.rrelu(a @ m.w, 0.2, 0.4, True), [x(5, 3)]),
    "F.layer_norm": (lambda: Holder(w=(3,)), lambda m, a: F.layer_norm(a, (3,), m.w), [x(4, 3)]),
    "F.dropout": (lambda: Holder(w=(3, 4)), lambda m, a: F.dropout(a @ m.w, 0.5), [x(5, 3)]),
    "F.dropout1d": (lambda: Holder(w=(3, 4)), lambda m, a: F.dropout1d(a @ m.w, 0.5), [x(2, 5, 3)]),
    "F.dropout2d": (lambda: Holder(w=(3, 4)), lambda m, a: F.dropout2d(a @ m.w, 0.5), [x(2, 3, 5, 3)]),
    "F.dropout3d": (lambda: Holder(w=(3, 4)), lambda m, a: F.dropout3d(a @ m.w, 0.5), [x(3, 2, 2, 3)]),
    "F.alpha_dropout": (
        lambda: Holder(w=(3, 4)),
        lambda m, a: F.alpha_dropout(a @ m.w, 0.3, True),
        [x(5, 3)],
    ),
    "F.feature_alpha_dropout": (
        lambda: Holder(w=(3, 4)),
        lambda m, a: F.feature_alpha_dropout(a @ m.w, 0.3, True),
        [x(2, 5, 3)],
    ),
    "multinomial": (
        lambda: Holder(w=(3, 4)),
        lambda m, a: a @ m.w * autograd.multinomial(F.softmax(a @ m.w, -1), 4, True).double(),
        [x(5, 3)],
    ),
    "F.embedding-scale_grad_by_freq": (
        lambda: Holder(w=(5, 3)),
        lambda m, i: F.embedding(i, m.w, padding_idx=0, scale_grad_by_freq=True),
        [labels(5, 7)],
    ),
    "F.embedding-max_norm-p1": (
        lambda: Holder(w=(5, 3)),
        lambda m, i: F.embedding(i, m.w, max_norm=1.0, norm_type=1),
        [labels(5, 2, 3)],
    ),
    "F.one_hot": (lambda: Holder(w=(6, 3)), lambda m, i: m.w * F.one_hot(i, 3), [labels(3, 6)]),
    "F.pad-constant": (lambda: Holder(), lambda m, a: F.pad(a, (1, 2, 0, 1), value=0.5), [x(2, 3, 3)]),
    "F.pad-crop": (lambda: Holder(), lambda m, a: F.pad(a, (-1, 1)), [x(2, 4)]),
    **{
        f"F.pad-{mode}": (
            lambda: Holder(),
            lambda m, a, mode=mode: F.pad(a, (1, 2, 2, 1), mode=mode),
            [x(1, 2, 3, 4)],
        )
        for mode in ("reflect", "replicate", "circular")
    },
    **{
        f"F.interpolate-{mode}": (
            lambda: Holder(),
            lambda m, a, mode=mode, ac=ac, size=size: F.interpolate(a, size, mode=mode, align_corners=ac),
            [x(1, 2, *shape)],
        )
        for mode, ac, size, shape in [
            ("nearest", None, (5, 3), (3, 4)),
            ("bilinear", True, (5, 3), (3, 4)),
            ("bicubic", True, (5, 6), (3, 4)),
            ("area", None, (2, 3), (4, 5)),
            ("nearest-exact", None, (7,), (3,)),
            ("trilinear", True, (3, 2, 3), (2, 3, 2)),
        ]
    },
    "F.pixel_shuffle+unshuffle": (
        lambda: Holder(),
        lambda m, a: F.pixel_unshuffle(F.pixel_shuffle(a, 2) * 3.0, 2),
        [x(1, 4, 2, 3)],
    ),
    "F.normalize": (lambda: Holder(), lambda m, a: F.normalize(a, p=1.5, dim=0), [x(4, 3)]),
    "F.cosine_similarity": (
        lambda: Holder(),
        lambda m, a, b: F.cosine_similarity(a, b, dim=0),
        [x(4, 3), x(4, 3)],
    ),
    "F.pairwise_distance": (
        lambda: Holder(),
        lambda m, a, b: F.pairwise_distance(a, b, p=3, keepdim=True),
        [x(4, 3), x(4, 3)],
    ),
    "F.glu+softmin+log_softmax": (
        lambda: Holder(),
        lambda m, a: F.glu(a, 0) + F.softmin(a[:2], 1) + F.log_softmax(a[2:], 0),
        [x(4, 3, scale=3.0)],
    ),
    "F.gelu-tanh+mish+silu": (
        lambda: Holder(),
        lambda m, a: F.gelu(a, approximate="tanh") * F.mish(a) + F.silu(a),
        [x(4, 3, scale=3.0)],
    ),
    "F.threshold+hardtanh": (
        lambda: Holder(),
        lambda m, a: F.threshold(F.hardtanh(a, -1.0, 2.0), 0.1, 7.0),
        [x(4, 3, scale=3.0)],
    ),
    "Flatten(0)-Unflatten": (
        lambda: nn.Sequential(nn.Flatten(0), nn.Unflatten(0, (2, 6))),
        lambda m, a: m(a),
        [x(3, 4)],
    ),
}


@pytest.mark.parametrize("name", list(FUNCTIONS))
@pytest.mark.parametrize("check", [False, True], ids=["eager", "check"])
def test_each_function_compiled_on_new_inputs_is_eager_bit_for_bit(name, check):
    make, fn, args = FUNCTIONS[name]
    _same(name, make, fn, args, check=check, calls=CALLS - check)


# ---------------------------------------------------------------- packed sequences: lengths as arguments
def _packed_lstm(m: nn.Module, x: Tensor, lengths: Tensor) -> Any:
    packed = rnn_utils.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    out, (h, c) = m(packed)
    padded, sizes = rnn_utils.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    return padded, h, c, sizes


def _lengths(*values: int) -> Callable[[np.random.Generator], Tensor]:
    return lambda rng: autograd.tensor(np.array(values))


@pytest.mark.parametrize("check", [False, True], ids=["eager", "check"])
def test_packed_sequences_with_new_lengths_trace_again_and_equal_eager(check):
    """The packed data's shape follows the lengths: a compiled step traces once per distinct
    lengths (as for a list of lengths, keyed by value), never replays other lengths' shapes."""
    make = lambda: nn.LSTM(3, 2, bidirectional=True, batch_first=True)  # noqa: E731
    for lengths, traces in (((2, 4, 1), 1), ((3, 3, 4), 1)):
        _same(
            f"lengths {lengths}",
            make,
            _packed_lstm,
            [x(3, 4, 3), _lengths(*lengths)],
            check=check,
            traces=traces,
        )
    compiled = make()
    step = autograd.compile(lambda a, n: _loss(_packed_lstm(compiled, a, n))[0])
    for k, lengths in enumerate([(2, 4, 1), (3, 3, 4), (2, 4, 1), (4, 1, 1)]):
        a, n = x(3, 4, 3)(np.random.default_rng(k)), autograd.tensor(np.array(lengths))
        got = step(a, n)
        want = _loss(_packed_lstm(copy.deepcopy(compiled), a, n))[0]
        assert _bits(got) == _bits(want)
    assert step.trace_count == 3


def test_lengths_that_also_make_a_mask_are_guarded():
    """Lengths read by the graph too (a mask made from them) are bound, read at every call: the
    packing's path, made from the trace's lengths, is checked against each call's (else: trace again)."""
    rnn = nn.GRU(2, 3, batch_first=True)

    def loss(a: Tensor, n: Tensor) -> Tensor:
        packed = rnn_utils.pack_padded_sequence(a, n, batch_first=True, enforce_sorted=False)
        out, _ = rnn_utils.pad_packed_sequence(rnn(packed)[0], batch_first=True, total_length=4)
        keep = autograd.arange(4)[None, :] < n[:, None]
        return (out.sum(-1) * keep).sum()

    step = autograd.compile(loss)
    for k, lengths in enumerate([(4, 2), (1, 3), (1, 3), (4, 2)]):
        a, n = Tensor(np.random.default_rng(k).normal(size=(2, 4, 2))), autograd.tensor(np.array(lengths))
        assert _bits(step(a, n)) == _bits(loss(a, n))
    assert step.trace_count == 3  # (a failed guard replaces the program: (4, 2) is traced twice)


# ---------------------------------------------------------------- loss modules: new targets at each call
def _loss_module(loss: nn.Module, n_in: int = 3) -> Callable[[], nn.Module]:
    return lambda: nn.Sequential(nn.Linear(n_in, 3), _Last(loss))


class _Last(nn.Module):
    """A loss module after a layer: ``(features, *targets)``."""

    def __init__(self, loss: nn.Module) -> None:
        self.loss = loss

    def forward(self, *a: Any) -> Any:
        return self.loss(*a)


def _through(m: nn.Module, a: Tensor, *targets: Any) -> Tensor:
    return m[1](m[0](a), *targets)


LOSSES: dict[str, tuple[Callable[[], nn.Module], list]] = {
    "MSELoss": (_loss_module(nn.MSELoss()), [x(4, 3), x(4, 3)]),
    "L1Loss": (_loss_module(nn.L1Loss(reduction="sum")), [x(4, 3), x(4, 3)]),
    "HuberLoss": (_loss_module(nn.HuberLoss(delta=0.5)), [x(4, 3), x(4, 3)]),
    "SmoothL1Loss": (_loss_module(nn.SmoothL1Loss(beta=0.3)), [x(4, 3), x(4, 3)]),
    "BCELoss": (
        lambda: nn.Sequential(nn.Sequential(nn.Linear(3, 3), nn.Sigmoid()), _Last(nn.BCELoss())),
        [x(4, 3), pos(4, 3)],
    ),
    "BCEWithLogitsLoss": (
        _loss_module(nn.BCEWithLogitsLoss(pos_weight=Tensor([1.0, 2.0, 0.5]))),
        [x(4, 3), pos(4, 3)],
    ),
    "CrossEntropyLoss-weight": (
        _loss_module(nn.CrossEntropyLoss(weight=Tensor([1.0, 0.5, 2.0]))),
        [x(5, 3), labels(3, 5)],
    ),
    "CrossEntropyLoss-ignore": (
        _loss_module(nn.CrossEntropyLoss(weight=Tensor([1.0, 0.5, 2.0]), ignore_index=1)),
        [x(5, 3), labels(3, 5)],
    ),
    "CrossEntropyLoss-smoothing": (
        _loss_module(nn.CrossEntropyLoss(label_smoothing=0.2)),
        [x(5, 3), labels(3, 5)],
    ),
    "CrossEntropyLoss-probabilities": (_loss_module(nn.CrossEntropyLoss()), [x(5, 3), pos(5, 3)]),
    "NLLLoss": (
        lambda: nn.Sequential(nn.Sequential(nn.Linear(3, 3), nn.LogSoftmax(1)), _Last(nn.NLLLoss())),
        [x(5, 3), labels(3, 5)],
    ),
    "KLDivLoss": (
        lambda: nn.Sequential(
            nn.Sequential(nn.Linear(3, 3), nn.LogSoftmax(1)), _Last(nn.KLDivLoss(reduction="batchmean"))
        ),
        [x(4, 3), pos(4, 3)],
    ),
    "CosineEmbeddingLoss": (
        _loss_module(nn.CosineEmbeddingLoss(margin=0.1)),
        [x(4, 3), x(4, 3), lambda rng: autograd.tensor(rng.choice([-1.0, 1.0], 4))],
    ),
    "MarginRankingLoss": (
        _loss_module(nn.MarginRankingLoss(0.2)),
        [x(4, 3), x(4, 3), lambda rng: autograd.tensor(rng.choice([-1.0, 1.0], (4, 3)))],
    ),
    "TripletMarginLoss": (
        _loss_module(nn.TripletMarginLoss(margin=0.5, swap=True)),
        [x(4, 3), x(4, 3), x(4, 3)],
    ),
    "HingeEmbeddingLoss": (
        _loss_module(nn.HingeEmbeddingLoss(margin=0.7)),
        [x(4, 3), lambda rng: autograd.tensor(rng.choice([-1.0, 1.0], (4, 3)))],
    ),
    "SoftMarginLoss": (
        _loss_module(nn.SoftMarginLoss()),
        [x(4, 3), lambda rng: autograd.tensor(rng.choice([-1.0, 1.0], (4, 3)))],
    ),
    "GaussianNLLLoss": (_loss_module(nn.GaussianNLLLoss(full=True)), [x(4, 3), x(4, 3), pos(4, 3)]),
    "PoissonNLLLoss": (_loss_module(nn.PoissonNLLLoss(log_input=False, full=True)), [pos(4, 3), pos(4, 3)]),
}


def _two_inputs(name: str) -> bool:
    return name in ("CosineEmbeddingLoss", "MarginRankingLoss", "TripletMarginLoss")


@pytest.mark.parametrize("name", list(LOSSES))
@pytest.mark.parametrize("check", [False, True], ids=["eager", "check"])
def test_each_loss_module_with_new_targets(name, check):
    make, args = LOSSES[name]
    if name == "TripletMarginLoss":
        fn = lambda m, a, p, n: m[1](m[0](a), m[0](p), m[0](n))  # noqa: E731
    elif _two_inputs(name):
        fn = lambda m, a, b, *t: m[1](m[0](a), m[0](b), *t)  # noqa: E731
    else:
        fn = _through
    # (labels holding ignore_index: that path reads the labels' numbers, the step traces again; a
    # class weight per label may be keyed by the labels' values: traces again, but never replays)
    lenient = "ignore" in name or "weight" in name
    _same(name, make, fn, args, check=check, calls=CALLS - check, traces=None if lenient else 1)


def test_labels_read_by_the_graph_too_are_still_guarded():
    """Labels that a loss reads (guarded: classes, none ignored on the traced path) and that the
    graph also reads (a mask of them): the guard is checked at every call (it was not written for
    a Tensor argument that is a leaf of the graph)."""
    w = Tensor(np.random.default_rng(0).normal(size=(3, 4)), requires_grad=True)

    def loss(a: Tensor, y: Tensor) -> Tensor:
        z = a @ w
        return F.cross_entropy(z, y, ignore_index=2) + (z[:, 0] * (y == 0)).sum()

    step = autograd.compile(loss)
    for k, y in enumerate([[0, 1, 3], [2, 2, 0], [1, 2, 3], [0, 1, 1]]):
        a, y = Tensor(np.random.default_rng(k).normal(size=(3, 3))), autograd.tensor(np.array(y))
        got, g = step(a, y), w.grad.data.copy()
        w.grad = None
        want = loss(a, y)
        want.backward()
        assert _bits(got) == _bits(want), k
        assert g.tobytes() == w.grad.data.tobytes(), k
        w.grad = None


# ---------------------------------------------------------------- paths that follow the numbers
def test_one_hot_of_new_labels_checks_their_classes_and_inferred_count():
    """``num_classes=-1`` makes the output's shape from the largest label: a step traces again when
    a call's largest label differs (and a label out of range raises as eager does, after a trace)."""

    v = Tensor(np.arange(1.0, 6.0), requires_grad=True)

    def f(y: Tensor) -> tuple[Tensor, Tensor]:
        out = F.one_hot(y)
        return (out * v[: out.shape[-1]]).sum(), out

    step = autograd.compile(f)
    for y, size in (([0, 2, 1], 3), ([1, 1, 0], 2), ([3, 0, 0], 4), ([2, 1, 0], 3)):
        got, want = step(autograd.tensor(np.array(y))), f(autograd.tensor(np.array(y)))
        assert got[1].shape == (3, size)
        assert [_bits(t) for t in got] == [_bits(t) for t in want]
    assert step.trace_count == 4
    fixed = autograd.compile(lambda y: (F.one_hot(y, 3) * v[:3]).sum())
    fixed(autograd.tensor(np.array([0, 1])))
    with pytest.raises(ValueError, match="smaller than num_classes=3, got 3"):
        fixed(autograd.tensor(np.array([0, 3])))
    with pytest.raises(ValueError, match="non-negative integer class labels"):
        fixed(autograd.tensor(np.array([0, -1])))


def test_one_hot_of_labels_computed_in_the_step_with_an_inferred_count_is_refused():
    w = Tensor(np.random.default_rng(1).normal(size=(3, 4)), requires_grad=True)

    def loss(a: Tensor, num_classes: int) -> Tensor:
        counts = ((a @ w) > 0).sum(1)  # (labels the step computes: 0 to 4)
        return (F.one_hot(counts, num_classes) * (a @ w).sum(1, keepdims=True)).sum()

    step = autograd.compile(loss)
    with pytest.raises(CompileError, match=r"one_hot: num_classes=-1 .* Pass num_classes"):
        step(Tensor(np.random.default_rng(2).normal(size=(5, 3))), -1)
    for k in range(3):
        a = Tensor(np.random.default_rng(k).normal(size=(5, 3)))
        assert _bits(step(a, 5)) == _bits(loss(a, 5))
    w.grad = None


def test_a_mask_that_is_causal_at_the_trace_but_not_later_traces_again():
    """``TransformerEncoder`` (``is_causal=None``) drops a causal mask for attention's own causal
    path: which path it takes is guarded on the mask given, so a later non-causal mask is used
    (here the mask is read by the graph too, so it is not keyed by value)."""
    autograd.manual_seed(0)
    model = nn.TransformerEncoder(_encoder_layer(dropout=0.0), 1)

    def loss(src: Tensor, m: Tensor) -> Tensor:
        return model(src, mask=m).sum() + (src.sum((1, 2)) * (m[:, 0] == 0)).sum()

    step = autograd.compile(loss)
    causal = nn.Transformer.generate_square_subsequent_mask(T)
    other = Tensor(np.where(np.eye(T, k=1) > 0, -np.inf, 0.0))
    for k, m in enumerate([causal, other, causal]):
        src = Tensor(np.random.default_rng(k).normal(size=(T, B, 4)))
        assert _bits(step(src, m)) == _bits(loss(src, m)), k
    assert step.trace_count == 3


def test_a_mask_read_from_the_data_fails_this_comparison():
    """What these tests catch: a layer that made its mask from ``x.data`` (LeakyReLU before this
    session's fixes) agrees on the traced call and differs on the next."""

    class DataMasked(nn.Module):
        def forward(self, a: Tensor) -> Tensor:
            return a.where(a.data > 0, 0.1 * a)

    with pytest.raises(AssertionError, match="call 1: output 0"):
        _same(
            "DataMasked", lambda: nn.Sequential(nn.Linear(3, 4), DataMasked()), lambda m, a: m(a), [x(5, 3)]
        )
    with pytest.raises(autograd.compiled.CheckError):
        make = lambda: nn.Sequential(nn.Linear(3, 4), DataMasked())  # noqa: E731
        _same("DataMasked", make, lambda m, a: m(a), [x(5, 3)], check=True)


def test_embedding_max_norm_of_index_arrays_renorms_each_calls_rows():
    """Indices given as a numpy array (not a Tensor): the renorm is an effect on a copy, so the
    step is keyed by the array's value (each new array traces again) and never renorms the
    trace's rows for another call's."""
    _same(
        "Embedding max_norm, arrays",
        lambda: nn.Embedding(6, 3, max_norm=0.8, padding_idx=2),
        lambda m, i: m(i),
        [lambda rng: rng.integers(0, 6, 5)],
        traces=CALLS,
    )


def test_sequence_utilities_with_new_sequences():
    def fn(m: nn.Module, a: Tensor, b: Tensor, c: Tensor, lengths: Tensor) -> Any:
        packed = rnn_utils.pack_sequence([a, b, c], enforce_sorted=False)
        out, h = m(packed)
        seqs = rnn_utils.unpack_sequence(out)
        padded = rnn_utils.pad_sequence(seqs, batch_first=True, padding_side="left")
        parts = rnn_utils.unpad_sequence(padded * 2.0, lengths, batch_first=True)
        return h, *parts

    _same("sequence utilities", lambda: nn.RNN(2, 3), fn, [x(3, 2), x(1, 2), x(4, 2), _lengths(4, 4, 4)])
    _same(
        "sequence utilities",
        lambda: nn.RNN(2, 3),
        fn,
        [x(3, 2), x(1, 2), x(4, 2), _lengths(4, 4, 4)],
        check=True,
    )


def test_parameter_containers_and_value_modules():
    class Mixed(nn.Module):
        def __init__(self) -> None:
            rng = np.random.default_rng(0)
            self.ps = nn.ParameterList([nn.Parameter(Tensor(rng.normal(size=(3, 3)))) for _ in range(2)])
            self.pd = nn.ParameterDict({"b": nn.Parameter(Tensor(rng.normal(size=3)))})

        def forward(self, a: Tensor) -> Tensor:
            return F.leaky_relu(a @ self.ps[0], 0.2) @ self.ps[1] + self.pd["b"]

    _same("ParameterList/Dict", Mixed, lambda m, a: m(a), [x(4, 3, scale=2.0)])
    mlp = nn.MLP(3, [4, 1], rng=__import__("random").Random(0))
    step = autograd.compile(lambda *xs: mlp(list(xs)))
    for k in range(3):
        xs = [autograd.Value(v) for v in np.random.default_rng(k).normal(size=3) * 2.0]
        got = step(*xs).data
        grads = [p.grad for p in mlp.parameters()]
        mlp.zero_grad()
        want = mlp(xs)
        want.backward()
        assert got == want.data
        assert grads == [p.grad for p in mlp.parameters()]
        mlp.zero_grad()
