"""What a torch user reaches for that this library spells differently or does not have: the
AttributeError for a missing name says what to write instead, or plainly that it is not supported.

One table per namespace (``autograd``, ``autograd.nn``, ``autograd.nn.utils``, ``autograd.nn.functional``
and ``Tensor`` members) maps torch's names to a hint; any other missing name gets the nearest
existing spelling (difflib), if one is close.
"""

from __future__ import annotations

from collections.abc import Iterable

_CPU = "this library runs on numpy on the CPU"
_DTYPES = "Tensors hold float32, float64 (differentiable), int64 or bool"

#: torch's top-level names -> what to write here
TOP = {
    "mps": f"MPS is not supported: {_CPU} (autograd.backends.mps.is_available() is False)",
    "set_grad_enabled": "use `with autograd.no_grad():` or `with autograd.enable_grad(False):`",
    "jit": "TorchScript is not supported",
    "autocast": "mixed precision is not supported: " + _DTYPES,
    "float16": "float16 is not supported: " + _DTYPES,
    "half": "float16 is not supported: " + _DTYPES,
    "bfloat16": "bfloat16 is not supported: " + _DTYPES,
    "complex64": "complex numbers are not supported: " + _DTYPES,
    "complex128": "complex numbers are not supported: " + _DTYPES,
    "int32": "use autograd.int64 (torch.long): " + _DTYPES,
    "int16": "use autograd.int64 (torch.long): " + _DTYPES,
    "int8": "use autograd.int64 (torch.long): " + _DTYPES,
    "uint8": "use autograd.int64 or autograd.bool: " + _DTYPES,
    **{
        name: "use autograd.LongTensor (int64) or autograd.tensor(data, dtype=autograd.int64): " + _DTYPES
        for name in ("IntTensor", "ShortTensor", "CharTensor", "ByteTensor")
    },
    "HalfTensor": "float16 is not supported: use autograd.FloatTensor (float32): " + _DTYPES,
}

_LAYERS = (
    "the layers here are Linear, Identity, Flatten, Unflatten, Dropout, LayerNorm, GroupNorm, RMSNorm, "
    "LocalResponseNorm, BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d, Embedding, Conv1d, Conv2d, Conv3d, "
    "ConvTranspose1d/2d/3d, the max, average, power-average (LPPool) and adaptive pools (1d to 3d), "
    "MaxUnpool1d/2d/3d, FractionalMaxPool2d/3d, SyncBatchNorm, AdaptiveLogSoftmaxWithLoss, RNN, "
    "LSTM, GRU and their cells, MultiheadAttention, the Transformer layers, Bilinear, Upsample, "
    "PixelShuffle, the activations, Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict"
)
#: torch.nn's names -> what to write here
NN = {
    **{name: "not supported: " + _LAYERS for name in ("CrossMapLRN2d",)},  # fmt: skip
    "DataParallel": f"not supported: {_CPU}",
    "parallel": f"not supported: {_CPU}",
}

#: torch.nn.utils's names -> what to write here
NN_UTILS: dict[str, str] = {}

#: torch.nn.functional's names -> what to write here
FUNCTIONAL = {
    **{
        name: "not supported: the layers here are linear, dropout, layer_norm, batch_norm, group_norm, "
        "instance_norm, rms_norm, local_response_norm, embedding, conv1d, conv2d, conv3d, "
        "conv_transpose1d/2d/3d, unfold, fold, the max, average, power-average (lp_pool) and adaptive pools "
        "(1d to 3d), fractional_max_pool2d/3d, max_unpool1d/2d/3d, bilinear, scaled_dot_product_attention, "
        "interpolate and pixel_shuffle"
        for name in ("conv_tbc",)
    },  # fmt: skip
    "multi_head_attention_forward": "use autograd.nn.MultiheadAttention (its forward computes it, with "
    "torch's parameters)",
}

#: Tensor members of torch -> what to write here
TENSOR = {
    "cuda": f"not supported: {_CPU}; drop .cuda() (t.cpu() and t.to('cpu') are accepted)",
    "half": "float16 is not supported: " + _DTYPES,
    "bfloat16": "bfloat16 is not supported: " + _DTYPES,
    "int": "use .long() (int64): " + _DTYPES,
    "short": "use .long() (int64): " + _DTYPES,
    "byte": "use .long() (int64) or .bool(): " + _DTYPES,
    "char": "use .long() (int64): " + _DTYPES,
    "copy": "use .clone() (part of the graph) or .detach().clone() (a constant copy)",
    "data_ptr": "not supported: t.data is the numpy array (t.data.ctypes.data is its address)",
    "storage": "not supported: t.data is the numpy array",
    "untyped_storage": "not supported: t.data is the numpy array",
    "pin_memory": f"not supported: {_CPU}",
    "share_memory_": "not supported",
}

_TABLES = {
    "autograd": TOP,
    "autograd.nn": NN,
    "autograd.nn.utils": NN_UTILS,
    "autograd.nn.functional": FUNCTIONAL,
    "Tensor": TENSOR,
}


def missing(where: str, name: str, available: Iterable[str]) -> AttributeError:
    """The AttributeError for ``where.name``: the table's hint, else the nearest of ``available``.

    The nearest spelling is looked for when the message is first read (``str(error)``), not when
    the error is made: ``hasattr`` and ``getattr(x, name, default)`` only catch it.

    Args:
        where: "autograd", "autograd.nn", "autograd.nn.utils", "autograd.nn.functional" or "Tensor".
        name: the attribute that was looked up.
        available: the names that exist there (for the nearest spelling).
    """
    owner = f"'{where}' object" if where == "Tensor" else f"module '{where}'"
    message = f"{owner} has no attribute '{name}'"
    if name.startswith("_"):  # (protocol probes such as __deepcopy__ or _repr_html_: the plain error)
        return AttributeError(message)
    hint = _TABLES[where].get(name)
    if hint is None:
        return _Unspelled(message, name, available)
    return AttributeError(f"{message}: {hint}")


class _Unspelled(AttributeError):
    """A missing name with no hint in the tables: its message names the nearest existing spelling,
    found (difflib, about 2 ms) only when the message is read."""

    def __init__(self, message: str, name: str, available: Iterable[str]) -> None:
        super().__init__(message)
        self._lookup: tuple[str, Iterable[str]] | None = (name, available)

    def __str__(self) -> str:
        if self._lookup is not None:
            name, available = self._lookup
            self._lookup = None
            import difflib  # (only for an error message: 2 ms of import time otherwise)

            public = [n for n in available if not n.startswith("_")]
            close = difflib.get_close_matches(name, public, n=1, cutoff=0.75)
            hint = f"did you mean '{close[0]}'?" if close else "(nor anything spelled like it)"
            self.args = (f"{self.args[0]}: {hint}" if close else f"{self.args[0]} {hint}",)
        return super().__str__()
