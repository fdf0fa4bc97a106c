"""The transformer layers of torch.nn: ``TransformerEncoderLayer``, ``TransformerEncoder``,
``TransformerDecoderLayer``, ``TransformerDecoder`` and ``Transformer``, built of
:class:`~autograd.nn.MultiheadAttention`, ``Linear``, ``LayerNorm`` and ``Dropout`` with torch's
submodule names (so state dicts load both ways) and its math path's computation."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from .._tensor import Tensor, nograd
from ..factories import _cpu, zeros
from ..graph import guard
from . import functional as F
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .init import xavier_uniform_
from .module import Module, check_size
from .normalization import LayerNorm
from .tensor import Linear


def _activation(where: str, activation: Any) -> Callable[[Any], Any]:
    """torch's ``_get_activation_fn``: "relu" and "gelu" by name, or any callable (a Module too)."""
    if isinstance(activation, str):
        if activation == "relu":
            return F.relu
        if activation == "gelu":
            return F.gelu
        raise RuntimeError(
            f"{where}: activation should be 'relu' or 'gelu' (or a callable), not {activation!r}"
        )
    if not callable(activation):
        raise TypeError(
            f"{where}: activation must be 'relu', 'gelu' or a callable, got {type(activation).__name__}"
        )
    return activation


def _canonical_mask(name: str, mask: Any, x: Any) -> Any:
    """A bool mask (True: masked out) as a float array of -inf and 0 of ``x``'s dtype; a float one
    as it is; torch's AssertionError for another dtype."""
    if mask is None:
        return None
    data = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if data.dtype.kind not in "bf":
        raise AssertionError(f"only bool and floating types of {name} are supported, got dtype {data.dtype}")
    if data.dtype.kind == "b":  # (from a Tensor: computed at every call of a compiled step)
        dtype = x.data.dtype if isinstance(x, Tensor) else np.float64
        if isinstance(mask, Tensor):
            return nograd(lambda m: np.where(m, -np.inf, 0.0).astype(dtype), mask)
        return np.where(data, -np.inf, 0.0).astype(dtype)
    return mask


def _square_subsequent_mask(sz: int, dtype: Any = None) -> np.ndarray:
    dtype = zeros(0, dtype=dtype).dtype
    return np.triu(np.full((sz, sz), -np.inf), 1).astype(dtype)


def _is_causal(mask: Any, is_causal: bool | None, size: int | None) -> bool:
    """torch's ``_detect_is_causal_mask``: True if asked, or (``is_causal`` None) if ``mask`` is the
    square subsequent mask of ``size``."""
    if is_causal is not None or mask is None:
        return is_causal is True
    data = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    sz = size if size is not None else data.shape[-2]

    def causal(m: np.ndarray) -> bool:
        want = _square_subsequent_mask(sz, m.dtype)
        return m.shape == want.shape and bool((m == want).all())

    found = causal(data)
    if isinstance(mask, Tensor):  # (a compiled step whose mask is an argument: its path holds while)
        guard(lambda m: causal(m) == found, data, what="the mask is (or is not) the causal mask")
    return found


def _seq_len(src: Any, batch_first: bool) -> int:
    shape = np.shape(src.data if isinstance(src, Tensor) else src)
    return shape[0] if len(shape) == 2 else shape[1 if batch_first else 0]


class _Layer(Module):
    """What torch's encoder and decoder layers share: their submodules, made and registered in
    torch's order, and the self-attention block."""

    def _make(
        self,
        where: str,
        attentions: int,
        d_model: int,
        nhead: int,
        dim_feedforward: int,
        dropout: float,
        activation: str | Callable[[Any], Any],
        layer_norm_eps: float,
        batch_first: bool,
        norm_first: bool,
        bias: bool,
        device: Any,
        dtype: Any,
    ) -> None:
        """``self_attn`` (and ``multihead_attn`` with two ``attentions``), ``linear1``, ``dropout``,
        ``linear2``, then a LayerNorm and a Dropout for each block (``norm1``..., ``dropout1``...:
        the attentions and the feed-forward block), and ``activation``."""
        _cpu(where, device)
        check_size(where, "dim_feedforward", dim_feedforward)
        dtype = zeros(0, dtype=dtype).dtype
        for name in ("self_attn", "multihead_attn")[:attentions]:
            attention = MultiheadAttention(
                d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, dtype=dtype
            )
            setattr(self, name, attention)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = norm_first
        blocks = range(1, attentions + 2)
        for i in blocks:
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype))
        for i in blocks:
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = _activation(where, activation)

    def _sa_block(self, x: Any, attn_mask: Any, key_padding_mask: Any, is_causal: bool = False) -> Any:
        x = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout1(x)


class TransformerEncoderLayer(_Layer):
    r"""Self-attention then a feed-forward block, each with a residual connection and a LayerNorm
    (``torch.nn.TransformerEncoderLayer``):

    .. math::

        x \leftarrow \operatorname{norm}_1(x + \operatorname{SA}(x)), \qquad
        x \leftarrow \operatorname{norm}_2(x + W_2\,\sigma(W_1 x + b_1) + b_2)

    (with ``norm_first``: :math:`x + \operatorname{SA}(\operatorname{norm}_1(x))`, then
    :math:`x + \operatorname{FF}(\operatorname{norm}_2(x))`). Submodules are torch's: ``self_attn``,
    ``linear1``, ``dropout``, ``linear2``, ``norm1``, ``norm2``, ``dropout1``, ``dropout2``.

    Parameters
    ----------
    d_model : int
        The width of the inputs and outputs.
    nhead : int
        The number of attention heads (must divide ``d_model``).
    dim_feedforward : int
        The feed-forward block's hidden width (default 2048).
    dropout : float
        The dropout probability (default 0.1).
    activation : str or callable
        "relu" (default), "gelu", or a function or Module.
    layer_norm_eps : float
        The LayerNorms' eps (default 1e-5).
    batch_first : bool
        Inputs are ``(N, S, E)`` instead of ``(S, N, E)`` (default False).
    norm_first : bool
        Normalize before each block instead of after (default False).
    bias : bool
        Biases in the Linear layers, the attention and the LayerNorms (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError
        If a size is not a positive int, or ``activation`` is not a name or callable.
    RuntimeError
        If ``activation`` is a name other than "relu" or "gelu".
    AssertionError
        If ``nhead`` does not divide ``d_model``.
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Any], Any] = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        self._make(
            "TransformerEncoderLayer", 1, d_model, nhead, dim_feedforward, dropout, activation,
            layer_norm_eps, batch_first, norm_first, bias, device, dtype,
        )  # fmt: skip

    def forward(
        self,
        src: Any,
        src_mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool = False,
    ) -> Tensor:
        """The layer applied to ``src``.

        Parameters
        ----------
        src : Tensor
            ``(S, E)``, ``(S, N, E)``, or ``(N, S, E)`` with ``batch_first``.
        src_mask : Tensor or array_like, optional
            ``(S, S)`` or ``(N·nhead, S, S)``: bool (True: not allowed to attend) or float (added).
        src_key_padding_mask : Tensor or array_like, optional
            ``(N, S)`` (``(S,)`` unbatched): bool (True: a padding key) or float (added).
        is_causal : bool
            A hint that ``src_mask`` is the causal mask (default False).

        Returns
        -------
        Tensor
            ``src``'s shape.
        """
        src_key_padding_mask = _canonical_mask("src_key_padding_mask", src_key_padding_mask, src)
        src_mask = _canonical_mask("src_mask", src_mask, src)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x))
        return x

    def _ff_block(self, x: Any) -> Any:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout2(x)


class TransformerDecoderLayer(_Layer):
    r"""Self-attention, attention over the encoder's output (``memory``) and a feed-forward block,
    each with a residual connection and a LayerNorm (``torch.nn.TransformerDecoderLayer``).

    Submodules are torch's: ``self_attn``, ``multihead_attn``, ``linear1``, ``dropout``,
    ``linear2``, ``norm1``, ``norm2``, ``norm3``, ``dropout1``, ``dropout2``, ``dropout3``.

    Parameters
    ----------
    d_model : int
        The width of the inputs and outputs.
    nhead : int
        The number of attention heads (must divide ``d_model``).
    dim_feedforward : int
        The feed-forward block's hidden width (default 2048).
    dropout : float
        The dropout probability (default 0.1).
    activation : str or callable
        "relu" (default), "gelu", or a function or Module.
    layer_norm_eps : float
        The LayerNorms' eps (default 1e-5).
    batch_first : bool
        Inputs are ``(N, T, E)`` instead of ``(T, N, E)`` (default False).
    norm_first : bool
        Normalize before each block instead of after (default False).
    bias : bool
        Biases in the Linear layers, the attention and the LayerNorms (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError
        If a size is not a positive int, or ``activation`` is not a name or callable.
    RuntimeError
        If ``activation`` is a name other than "relu" or "gelu".
    AssertionError
        If ``nhead`` does not divide ``d_model``.
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Any], Any] = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        self._make(
            "TransformerDecoderLayer", 2, d_model, nhead, dim_feedforward, dropout, activation,
            layer_norm_eps, batch_first, norm_first, bias, device, dtype,
        )  # fmt: skip

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """The layer applied to ``tgt``, attending to ``memory``.

        Parameters
        ----------
        tgt : Tensor
            ``(T, E)``, ``(T, N, E)``, or ``(N, T, E)`` with ``batch_first``.
        memory : Tensor
            The encoder's output: ``(S, E)``, ``(S, N, E)`` or ``(N, S, E)``.
        tgt_mask, memory_mask : Tensor or array_like, optional
            ``(T, T)`` and ``(T, S)`` masks (bool: True is not allowed; float: added).
        tgt_key_padding_mask, memory_key_padding_mask : Tensor or array_like, optional
            ``(N, T)`` and ``(N, S)`` masks (bool: True is padding; float: added).
        tgt_is_causal, memory_is_causal : bool
            Hints that ``tgt_mask`` / ``memory_mask`` is the causal mask (default False).

        Returns
        -------
        Tensor
            ``tgt``'s shape.
        """
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(
                self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal
            )
            x = x + self._ff_block(self.norm3(x))
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
            x = self.norm2(
                x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            )
            x = self.norm3(x + self._ff_block(x))
        return x

    def _mha_block(
        self, x: Any, mem: Any, attn_mask: Any, key_padding_mask: Any, is_causal: bool = False
    ) -> Any:
        x = self.multihead_attn(
            x,
            mem,
            mem,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            is_causal=is_causal,
            need_weights=False,
        )[0]
        return self.dropout2(x)

    def _ff_block(self, x: Any) -> Any:
        x = self.linear2(self.dropout(self.activation(self.linear1(x))))
        return self.dropout3(x)


def _clones(where: str, layer: Any, num_layers: Any) -> ModuleList:
    if not isinstance(layer, Module):
        raise TypeError(f"{where}: the layer must be a Module, got {type(layer).__name__}")
    if isinstance(num_layers, bool) or not isinstance(num_layers, (int, np.integer)) or num_layers < 0:
        raise TypeError(
            f"{where}: num_layers must be a non-negative int, got {type(num_layers).__name__} {num_layers!r}"
        )
    return ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])


class TransformerEncoder(Module):
    """``num_layers`` deep copies of ``encoder_layer`` applied in turn, then ``norm`` if given
    (``torch.nn.TransformerEncoder``); parameters named ``layers.0.self_attn.in_proj_weight``, ...

    Parameters
    ----------
    encoder_layer : TransformerEncoderLayer
        The layer to copy (it is not itself used).
    num_layers : int
        How many copies.
    norm : Module, optional
        Applied to the last layer's output (e.g. a LayerNorm).
    enable_nested_tensor : bool
        Accepted for torch's signature: torch's nested-tensor fast path (padding skipped in
        inference) does not exist here; the results are its math path's (default True).
    mask_check : bool
        Accepted for torch's signature (default True).

    Raises
    ------
    TypeError
        If ``encoder_layer`` is not a Module or ``num_layers`` not a non-negative int.
    """

    def __init__(
        self,
        encoder_layer: Module,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        self.layers = _clones("TransformerEncoder", encoder_layer, num_layers)
        self.num_layers = int(num_layers)
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check

    def forward(
        self,
        src: Any,
        mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        """The layers applied to ``src`` in turn.

        Parameters
        ----------
        src : Tensor
            ``(S, E)``, ``(S, N, E)``, or ``(N, S, E)`` with ``batch_first``.
        mask : Tensor or array_like, optional
            ``(S, S)`` or ``(N·nhead, S, S)``: bool (True: not allowed) or float (added).
        src_key_padding_mask : Tensor or array_like, optional
            ``(N, S)``: bool (True: padding) or float (added).
        is_causal : bool, optional
            Whether ``mask`` is the causal mask; None (default) checks whether it is.

        Returns
        -------
        Tensor
            ``src``'s shape.
        """
        batch_first = self.layers[0].self_attn.batch_first if len(self.layers) else False
        _canonical_mask("mask", mask, src)  # (its dtype checked first, as torch)
        is_causal = _is_causal(mask, is_causal, _seq_len(src, batch_first))  # (the mask as given)
        src_key_padding_mask = _canonical_mask("src_key_padding_mask", src_key_padding_mask, src)
        mask = _canonical_mask("mask", mask, src)
        output = src
        for mod in self.layers:
            output = mod(
                output, src_mask=mask, is_causal=is_causal, src_key_padding_mask=src_key_padding_mask
            )
        if self.norm is not None:
            output = self.norm(output)
        return output


class TransformerDecoder(Module):
    """``num_layers`` deep copies of ``decoder_layer`` applied in turn, then ``norm`` if given
    (``torch.nn.TransformerDecoder``).

    Parameters
    ----------
    decoder_layer : TransformerDecoderLayer
        The layer to copy.
    num_layers : int
        How many copies.
    norm : Module, optional
        Applied to the last layer's output.

    Raises
    ------
    TypeError
        If ``decoder_layer`` is not a Module or ``num_layers`` not a non-negative int.
    """

    def __init__(self, decoder_layer: Module, num_layers: int, norm: Module | None = None) -> None:
        self.layers = _clones("TransformerDecoder", decoder_layer, num_layers)
        self.num_layers = int(num_layers)
        self.norm = norm

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """The layers applied to ``tgt`` in turn, each attending to ``memory``.

        Parameters
        ----------
        tgt : Tensor
            ``(T, E)``, ``(T, N, E)``, or ``(N, T, E)`` with ``batch_first``.
        memory : Tensor
            The encoder's output.
        tgt_mask, memory_mask : Tensor or array_like, optional
            ``(T, T)`` and ``(T, S)`` masks (bool: True is not allowed; float: added).
        tgt_key_padding_mask, memory_key_padding_mask : Tensor or array_like, optional
            ``(N, T)`` and ``(N, S)`` masks (bool: True is padding; float: added).
        tgt_is_causal : bool, optional
            Whether ``tgt_mask`` is the causal mask; None (default) checks whether it is.
        memory_is_causal : bool
            A hint that ``memory_mask`` is the causal mask (default False).

        Returns
        -------
        Tensor
            ``tgt``'s shape.
        """
        batch_first = self.layers[0].self_attn.batch_first if len(self.layers) else False
        tgt_is_causal = _is_causal(tgt_mask, tgt_is_causal, _seq_len(tgt, batch_first))
        output = tgt
        for mod in self.layers:
            output = mod(
                output,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=tgt_is_causal,
                memory_is_causal=memory_is_causal,
            )
        if self.norm is not None:
            output = self.norm(output)
        return output


class Transformer(Module):
    """An encoder and a decoder of transformer layers, each ending in a LayerNorm
    (``torch.nn.Transformer``); every parameter of two or more dimensions is drawn by
    ``xavier_uniform_``, as torch's.

    Parameters
    ----------
    d_model : int
        The width of the inputs and outputs (default 512).
    nhead : int
        The number of attention heads (default 8).
    num_encoder_layers, num_decoder_layers : int
        The depth of the encoder and the decoder (default 6 each).
    dim_feedforward : int
        The feed-forward blocks' hidden width (default 2048).
    dropout : float
        The dropout probability (default 0.1).
    activation : str or callable
        "relu" (default), "gelu", or a function or Module.
    custom_encoder, custom_decoder : Module, optional
        Used instead of the encoder or decoder built here.
    layer_norm_eps : float
        The LayerNorms' eps (default 1e-5).
    batch_first : bool
        Inputs are ``(N, S, E)`` instead of ``(S, N, E)`` (default False).
    norm_first : bool
        Normalize before each block instead of after (default False).
    bias : bool
        Biases in the Linear layers, the attention and the LayerNorms (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Any], Any] = F.relu,
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        _cpu("Transformer", device)
        args = (
            d_model,
            nhead,
            dim_feedforward,
            dropout,
            activation,
            layer_norm_eps,
            batch_first,
            norm_first,
            bias,
        )
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(
                TransformerEncoderLayer(*args, dtype=dtype),
                num_encoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype),
            )
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(
                TransformerDecoderLayer(*args, dtype=dtype),
                num_decoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype),
            )
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def _reset_parameters(self) -> None:
        for p in self.parameters():
            if p.ndim > 1:
                xavier_uniform_(p)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
        """The causal mask of a sequence of ``sz``: ``(sz, sz)``, -inf above the diagonal and 0 on and
        below it (``torch.nn.Transformer.generate_square_subsequent_mask``).

        Parameters
        ----------
        sz : int
            The sequence length.
        device : str, optional
            Accepted when it names the CPU.
        dtype : numpy.dtype, optional
            float32 or float64 (default: the default dtype).

        Returns
        -------
        Tensor
            A constant float Tensor.
        """
        _cpu("generate_square_subsequent_mask", device)
        if isinstance(sz, bool) or not isinstance(sz, (int, np.integer)) or sz < 0:
            raise TypeError(f"generate_square_subsequent_mask: sz must be a non-negative int, got {sz!r}")
        return Tensor(_square_subsequent_mask(int(sz), dtype))

    def forward(
        self,
        src: Any,
        tgt: Any,
        src_mask: Any = None,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        src_key_padding_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Encode ``src``, then decode ``tgt`` attending to the encoding.

        Parameters
        ----------
        src : Tensor
            ``(S, E)``, ``(S, N, E)``, or ``(N, S, E)`` with ``batch_first``.
        tgt : Tensor
            ``(T, E)``, ``(T, N, E)``, or ``(N, T, E)``.
        src_mask, tgt_mask, memory_mask : Tensor or array_like, optional
            ``(S, S)``, ``(T, T)`` and ``(T, S)`` masks (bool: True is not allowed; float: added).
        src_key_padding_mask, tgt_key_padding_mask, memory_key_padding_mask : Tensor or array_like, optional
            ``(N, S)``, ``(N, T)`` and ``(N, S)`` masks (bool: True is padding; float: added).
        src_is_causal, tgt_is_causal : bool, optional
            Whether ``src_mask`` / ``tgt_mask`` is the causal mask; None (default) checks.
        memory_is_causal : bool
            A hint that ``memory_mask`` is the causal mask (default False).

        Returns
        -------
        Tensor
            ``tgt``'s shape.

        Raises
        ------
        RuntimeError
            If the batch sizes of ``src`` and ``tgt`` differ, or their last dimension is not d_model.
        """
        s_shape, t_shape = np.shape(getattr(src, "data", src)), np.shape(getattr(tgt, "data", tgt))
        if len(s_shape) == 3:
            axis = 0 if self.batch_first else 1
            if len(t_shape) != 3 or s_shape[axis] != t_shape[axis]:
                raise RuntimeError(
                    f"Transformer: the batch number of src and tgt must be equal, got src of shape "
                    f"{list(s_shape)} and tgt {list(t_shape)} (batch_first={self.batch_first})"
                )
        if s_shape[-1] != self.d_model or t_shape[-1] != self.d_model:
            raise RuntimeError(
                f"Transformer: the feature number of src and tgt must be d_model={self.d_model}, got src "
                f"of shape {list(s_shape)} and tgt {list(t_shape)}"
            )
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )
