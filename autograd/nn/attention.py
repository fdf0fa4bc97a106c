"""``MultiheadAttention``, as in torch.nn: torch's parameters, initialisation, masks and shapes, with
its math path's computation (the projections, ``softmax(q kᵀ/√d + mask) v`` per head, the output
projection), composed from the engine's operations."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._operands import as_tensor
from .._tensor import Tensor, concatenate, nograd
from ..factories import _cpu, zeros
from . import functional as F
from .functional.attention import _attention
from .functional.dropout import _probability
from .init import constant_, xavier_normal_, xavier_uniform_
from .module import Module
from .parameter import Parameter
from .tensor import Linear


class NonDynamicallyQuantizableLinear(Linear):
    """torch's name for the ``Linear`` that is ``MultiheadAttention.out_proj`` (so the reprs agree)."""


class MultiheadAttention(Module):
    r"""Multi-head attention (``torch.nn.MultiheadAttention``):

    .. math::

        \operatorname{MultiHead}(Q, K, V) = \operatorname{Concat}(h_1, \ldots, h_H) W^O, \qquad
        h_i = \operatorname{softmax}\!\left(\frac{Q W_i^Q (K W_i^K)^\top}{\sqrt{d}} + M\right) V W_i^V

    with :math:`d` = ``embed_dim // num_heads``. The parameters are torch's, with its names and
    initialisation: ``in_proj_weight`` ``(3·embed_dim, embed_dim)`` (``xavier_uniform_``), or
    ``q_proj_weight``, ``k_proj_weight`` and ``v_proj_weight`` when ``kdim`` or ``vdim`` differs
    from ``embed_dim``; ``in_proj_bias`` (zeros); ``out_proj``, a Linear (its bias zeros);
    ``bias_k`` and ``bias_v`` ``(1, 1, embed_dim)`` (``xavier_normal_``) with ``add_bias_kv``. So the
    state dict loads into torch's module and back.

    Parameters
    ----------
    embed_dim : int
        The model's width E (the query's last dimension and the output's).
    num_heads : int
        The number of heads; must divide ``embed_dim``.
    dropout : float
        The dropout probability of the attention weights while training (default 0).
    bias : bool
        Learn ``in_proj_bias`` and ``out_proj.bias`` (default True).
    add_bias_kv : bool
        Append a learnt key and value (``bias_k``, ``bias_v``) to the sequences (default False).
    add_zero_attn : bool
        Append a key and value of zeros to the sequences (default False).
    kdim, vdim : int, optional
        The key's and value's last dimension (default ``embed_dim``).
    batch_first : bool
        Batched inputs are ``(N, L, E)`` instead of ``(L, N, E)`` (default False).
    device : str, optional
        Accepted when it names the CPU (the only device here).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    ValueError
        If ``embed_dim`` or ``num_heads`` is not positive, or ``dropout`` not in [0, 1].
    AssertionError
        If ``num_heads`` does not divide ``embed_dim`` (torch's exception type).
    TypeError
        If a size is not an int.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        _cpu("MultiheadAttention", device)
        for name, n in (("embed_dim", embed_dim), ("num_heads", num_heads), ("kdim", kdim), ("vdim", vdim)):
            if n is not None and (isinstance(n, bool) or not isinstance(n, (int, np.integer))):
                raise TypeError(f"MultiheadAttention: {name} must be an int, got {type(n).__name__} {n!r}")
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"MultiheadAttention: embed_dim and num_heads must be greater than 0, got "
                f"embed_dim={embed_dim} and num_heads={num_heads}"
            )
        if embed_dim % num_heads:
            raise AssertionError(
                f"MultiheadAttention: embed_dim must be divisible by num_heads, got embed_dim={embed_dim} "
                f"and num_heads={num_heads} (each head takes embed_dim // num_heads features)"
            )
        dtype = zeros(0, dtype=dtype).dtype
        self.embed_dim = int(embed_dim)
        self.kdim = int(kdim) if kdim is not None else self.embed_dim
        self.vdim = int(vdim) if vdim is not None else self.embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = int(num_heads)
        self.dropout = _probability("MultiheadAttention", dropout)
        self.batch_first = batch_first
        self.head_dim = self.embed_dim // self.num_heads

        def empty(*shape: int) -> Parameter:
            return Parameter(zeros(*shape, dtype=dtype))

        e = self.embed_dim
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = empty(e, e)
            self.k_proj_weight = empty(e, self.kdim)
            self.v_proj_weight = empty(e, self.vdim)
            self.in_proj_weight = None
        else:
            self.in_proj_weight = empty(3 * e, e)
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        self.in_proj_bias = empty(3 * e) if bias else None
        self.out_proj = NonDynamicallyQuantizableLinear(e, e, bias=bias, dtype=dtype)
        if add_bias_kv:
            self.bias_k, self.bias_v = empty(1, 1, e), empty(1, 1, e)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """torch's initialisation: ``xavier_uniform_`` weights, zero biases, ``xavier_normal_`` bias_k/v."""
        if self._qkv_same_embed_dim:
            xavier_uniform_(self.in_proj_weight)
        else:
            xavier_uniform_(self.q_proj_weight)
            xavier_uniform_(self.k_proj_weight)
            xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            constant_(self.in_proj_bias, 0.0)
            constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            xavier_normal_(self.bias_v)

    def forward(
        self,
        query: Any,
        key: Any,
        value: Any,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        """Attend from ``query`` to ``key``/``value``; returns ``(attn_output, attn_weights)``.

        Parameters
        ----------
        query : Tensor
            ``(L, E)`` unbatched, ``(L, N, E)``, or ``(N, L, E)`` with ``batch_first``.
        key : Tensor
            ``(S, kdim)``, ``(S, N, kdim)`` or ``(N, S, kdim)``.
        value : Tensor
            ``(S, vdim)``, ``(S, N, vdim)`` or ``(N, S, vdim)``.
        key_padding_mask : Tensor or array_like, optional
            ``(N, S)`` (``(S,)`` unbatched): bool, True marks a key to ignore; or float, added.
        need_weights : bool
            Return the attention weights too (default True); False returns None in their place.
        attn_mask : Tensor or array_like, optional
            ``(L, S)`` or ``(N·num_heads, L, S)``: bool, True marks a pair *not* allowed to attend
            (the opposite of scaled_dot_product_attention's); or float, added to the scores.
        average_attn_weights : bool
            Average the weights over the heads (default True): ``(N, L, S)``; else
            ``(N, num_heads, L, S)``.
        is_causal : bool
            A hint that ``attn_mask`` is the causal mask (which must then be given, as torch).

        Returns
        -------
        tuple
            ``attn_output`` of the query's shape with E last, and ``attn_weights`` (or None).
            A query whose keys are all masked out gets nan weights when they are returned, and
            zeros otherwise (torch's two paths).

        Raises
        ------
        AssertionError
            If the inputs' or masks' dimensions or sizes do not fit (torch's type); the message
            names the argument, the expected shape and the one given.
        RuntimeError
            If ``is_causal`` is given without ``attn_mask``, or ``attn_mask``'s shape is wrong.
        """
        q, k, v = (
            as_tensor(t, f"MultiheadAttention: {n}")
            for t, n in ((query, "query"), (key, "key"), (value, "value"))
        )
        key_padding_mask = _float_mask("key_padding_mask", key_padding_mask, q)
        attn_mask = _float_mask("attn_mask", attn_mask, q)
        if self.batch_first and q.ndim == 3:
            q, k, v = (t.swapaxes(0, 1) for t in (q, k, v))
        out, weights = multi_head_attention_forward(
            self, q, k, v, key_padding_mask, need_weights, attn_mask, average_attn_weights, is_causal
        )
        if self.batch_first and q.ndim == 3:
            out = out.swapaxes(0, 1)
        return out, weights

    def extra_repr(self) -> str:
        return ""


def _float_mask(name: str, mask: Any, q: Tensor) -> Any:
    """torch's ``_canonical_mask``: a bool mask (True: masked out) as a float array of -inf and 0; a
    float mask as it is (an array of ``q``'s dtype, or a Tensor, whose gradient follows)."""
    if mask is None:
        return None
    data = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if data.dtype.kind not in "bf":
        raise AssertionError(
            f"MultiheadAttention: only bool and floating types of {name} are supported, got dtype "
            f"{data.dtype}"
        )
    if data.dtype.kind == "b":  # (from a Tensor: computed at every call of a compiled step)
        dtype, source = q.data.dtype, mask if isinstance(mask, Tensor) else data
        return nograd(lambda m: np.where(m, -np.inf, 0.0).astype(dtype), source)
    return mask if isinstance(mask, Tensor) else data.astype(q.data.dtype)


def _check_shapes(q: Tensor, k: Tensor, v: Tensor, kpm: Any, mask: Any, heads: int) -> bool:
    """torch's ``_mha_shape_check``: whether the input is batched (3-d) or not (2-d)."""
    where = "MultiheadAttention"
    if q.ndim not in (2, 3):
        raise AssertionError(
            f"{where}: query must be unbatched 2-d (L, E) or batched 3-d (L, N, E) or (N, L, E), got a "
            f"{q.ndim}-d query of shape {list(q.shape)}"
        )
    batched = q.ndim == 3
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    if k.ndim != q.ndim or v.ndim != q.ndim:
        raise AssertionError(
            f"{where}: for {kind} query, expected key and value to be {q.ndim}-D, got {k.ndim}-D and "
            f"{v.ndim}-D (shapes {list(k.shape)} and {list(v.shape)})"
        )
    if kpm is not None and np.ndim(kpm) != q.ndim - 1:
        raise AssertionError(
            f"{where}: for {kind} query, expected key_padding_mask to be None or {q.ndim - 1}-D, got "
            f"shape {list(np.shape(kpm))}"
        )
    if mask is not None and np.ndim(mask) not in (2, 3):
        raise AssertionError(
            f"{where}: expected attn_mask to be None, 2-D (L, S) or 3-D (N*num_heads, L, S), got shape "
            f"{list(np.shape(mask))}"
        )
    if not batched and mask is not None and np.ndim(mask) == 3:
        expected = (heads, q.shape[0], k.shape[0])
        if tuple(np.shape(mask)) != expected:
            raise AssertionError(
                f"{where}: expected a 3-D attn_mask of shape {list(expected)} (num_heads, L, S) for an "
                f"unbatched query, got {list(np.shape(mask))}"
            )
    return batched


def _pad_key(mask: Any) -> Any:
    """A float mask with one more key (column) of 0, as torch's ``pad(mask, (0, 1))``."""
    if isinstance(mask, Tensor):
        return F.pad(mask, (0, 1))
    return np.pad(mask, [(0, 0)] * (mask.ndim - 1) + [(0, 1)])


def multi_head_attention_forward(
    m: MultiheadAttention,
    query: Tensor,
    key: Tensor,
    value: Tensor,
    key_padding_mask: Any,
    need_weights: bool,
    attn_mask: Any,
    average_attn_weights: bool,
    is_causal: bool,
) -> tuple[Tensor, Tensor | None]:
    """torch's ``F.multi_head_attention_forward`` on sequence-first inputs and float masks, with the
    module's parameters."""
    where = "MultiheadAttention"
    batched = _check_shapes(query, key, value, key_padding_mask, attn_mask, m.num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask[None]
    tgt_len, bsz, embed_dim = query.shape
    if is_causal and attn_mask is None:
        raise RuntimeError(
            f"{where}: is_causal=True needs attn_mask (the causal mask itself; "
            "Transformer.generate_square_subsequent_mask(L) makes it)"
        )
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # (scaled_dot_product_attention's is_causal does it)
    elif key_padding_mask is not None:
        is_causal = False
    if embed_dim != m.embed_dim:
        raise AssertionError(
            f"{where}: expected a query of embedding dimension embed_dim={m.embed_dim}, got "
            f"{embed_dim} (query of shape {list(query.shape)})"
        )
    for name, t, dim in (("key", key, m.kdim), ("value", value, m.vdim)):
        if t.shape[-1] != dim:
            raise AssertionError(
                f"{where}: expected {name}'s last dimension to be {'kdim' if name == 'key' else 'vdim'}="
                f"{dim}, got {name} of shape {list(t.shape)}"
            )
    if key.shape[:2] != value.shape[:2] or key.shape[1] != bsz:
        raise AssertionError(
            f"{where}: key and value must share their sequence and batch dimensions with the query's "
            f"batch N={bsz}; got key of shape {list(key.shape)} and value {list(value.shape)}"
        )
    e = m.embed_dim
    if m._qkv_same_embed_dim:
        w = m.in_proj_weight
        wq, wk, wv = w[:e], w[e : 2 * e], w[2 * e :]
    else:
        wq, wk, wv = m.q_proj_weight, m.k_proj_weight, m.v_proj_weight
    b = m.in_proj_bias
    bq, bk, bv = (None, None, None) if b is None else (b[:e], b[e : 2 * e], b[2 * e :])
    q, k, v = F.linear(query, wq, bq), F.linear(key, wk, bk), F.linear(value, wv, bv)
    src_len = key.shape[0]
    if key_padding_mask is not None and tuple(key_padding_mask.shape) != (bsz, src_len):
        got = list(key_padding_mask.shape[1:] if not batched else key_padding_mask.shape)
        want = [bsz, src_len] if batched else [src_len]
        raise AssertionError(
            f"{where}: expected key_padding_mask of shape {want} ({'N, S' if batched else 'S'}), got {got}"
        )
    if attn_mask is not None:
        if np.ndim(attn_mask) == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(
                    f"{where}: the shape of the 2-D attn_mask is {list(attn_mask.shape)}, but should be "
                    f"{[tgt_len, src_len]} (L, S)"
                )
            attn_mask = attn_mask[None]
        elif tuple(attn_mask.shape) != (bsz * m.num_heads, tgt_len, src_len):
            raise RuntimeError(
                f"{where}: the shape of the 3-D attn_mask is {list(attn_mask.shape)}, but should be "
                f"{[bsz * m.num_heads, tgt_len, src_len]} (N*num_heads, L, S)"
            )
    if m.bias_k is not None and m.bias_v is not None:
        k = concatenate([k, m.bias_k.expand(1, bsz, e)])
        v = concatenate([v, m.bias_v.expand(1, bsz, e)])
        if attn_mask is not None:
            attn_mask = _pad_key(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_key(key_padding_mask)
    heads, hd = m.num_heads, m.head_dim
    q = q.reshape(tgt_len, bsz * heads, hd).swapaxes(0, 1)
    k = k.reshape(k.shape[0], bsz * heads, hd).swapaxes(0, 1)
    v = v.reshape(v.shape[0], bsz * heads, hd).swapaxes(0, 1)
    if m.add_zero_attn:
        pad = np.zeros((bsz * heads, 1, hd), dtype=k.data.dtype)
        k, v = concatenate([k, pad], dim=1), concatenate([v, pad], dim=1)
        if attn_mask is not None:
            attn_mask = _pad_key(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_key(key_padding_mask)
    src_len = k.shape[1]
    if key_padding_mask is not None:
        kpm = key_padding_mask.reshape(bsz, 1, 1, src_len)
        if isinstance(kpm, Tensor):
            kpm = kpm.expand(-1, heads, -1, -1)
        else:
            kpm = np.broadcast_to(kpm, (bsz, heads, 1, src_len))
        kpm = kpm.reshape(bsz * heads, 1, src_len)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    p = m.dropout if m.training else 0.0
    if need_weights:
        scores = (q * math.sqrt(1.0 / hd)) @ k.swapaxes(-2, -1)
        out, weights = _attention(scores, v, attn_mask, p, safe=False)
        out = out.swapaxes(0, 1).reshape(tgt_len * bsz, e)
        out = F.linear(out, m.out_proj.weight, m.out_proj.bias).reshape(tgt_len, bsz, e)
        weights = weights.reshape(bsz, heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(1)
        if not batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights
    if attn_mask is not None:
        attn_mask = attn_mask[None] if attn_mask.shape[0] == 1 else attn_mask.reshape(bsz, heads, -1, src_len)
    q = q.reshape(bsz, heads, tgt_len, hd)
    k = k.reshape(bsz, heads, src_len, hd)
    v = v.reshape(bsz, heads, src_len, hd)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask, p, is_causal)
    out = out.transpose((2, 0, 1, 3)).reshape(bsz * tgt_len, e)
    out = F.linear(out, m.out_proj.weight, m.out_proj.bias).reshape(tgt_len, bsz, e)
    if not batched:
        out = out.squeeze(1)
    return out, None
