"""``torch.nn.functional``'s layers: ``linear``, ``bilinear``, ``one_hot``, ``pad``, ``layer_norm``
and ``embedding``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ... import numpy_shapes
from ..._errors import ModeError
from ..._operands import as_tensor
from ..._tensor import Tensor, nograd
from ...graph import effect, guard, is_tracing
from ...value import Value
from ...value_array import ValueArray
from ._common import _node, _real


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """The affine map ``input @ weight.T + bias`` (``torch.nn.functional.linear``).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(..., in_features)``.
    weight : Tensor or array_like
        Shape ``(out_features, in_features)``.
    bias : Tensor or array_like, optional
        Shape ``(out_features,)``.

    Returns
    -------
    Tensor
        Shape ``(..., out_features)``.
    """
    y = _node(input) @ _node(weight).T
    return y if bias is None else y + bias


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None) -> Tensor:
    r"""The bilinear form :math:`y_o = x_1^\top A_o x_2 + b_o` (``torch.nn.functional.bilinear``),
    composed of a matmul, a product and a sum.

    Parameters
    ----------
    input1 : Tensor or array_like
        Shape ``(*, in1_features)``.
    input2 : Tensor or array_like
        Shape ``(*, in2_features)``, the same leading shape.
    weight : Tensor or array_like
        Shape ``(out_features, in1_features, in2_features)``.
    bias : Tensor or array_like, optional
        Shape ``(out_features,)``.

    Returns
    -------
    Tensor
        Shape ``(*, out_features)``.

    Raises
    ------
    RuntimeError
        If the shapes do not fit (the message names the argument and both shapes).
    """
    named = (("input1", input1), ("input2", input2), ("weight", weight))
    x1, x2, w = (as_tensor(t, f"bilinear: {n}") for n, t in named)
    if w.ndim != 3 or x1.ndim < 1 or x2.ndim < 1 or x1.shape[-1] != w.shape[1] or x2.shape[-1] != w.shape[2]:
        raise RuntimeError(
            f"bilinear: expected input1 (*, in1), input2 (*, in2) and weight (out, in1, in2), got input1 of "
            f"shape {list(x1.shape)}, input2 {list(x2.shape)} and weight {list(w.shape)}"
        )
    if x1.shape[:-1] != x2.shape[:-1]:
        raise RuntimeError(
            f"bilinear: input1 and input2 must have the same leading shape, got {list(x1.shape)} and "
            f"{list(x2.shape)}"
        )
    out, n1, n2 = w.shape
    t = (x1 @ w.transpose((1, 0, 2)).reshape(n1, out * n2)).reshape(*x1.shape[:-1], out, n2)
    y = (t * x2.unsqueeze(-2)).sum(-1)
    return y if bias is None else y + bias


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Class labels as one-hot rows (``torch.nn.functional.one_hot``), an int64 Tensor of 0 and 1.

    Parameters
    ----------
    tensor : array_like or Tensor
        Non-negative integer class labels.
    num_classes : int
        The number of classes C; -1 (default) takes the largest label + 1.

    Returns
    -------
    Tensor
        Shape ``tensor.shape + (C,)``, int64 (``.float()`` for arithmetic with floats).

    Raises
    ------
    ValueError
        If a label is negative, not a whole number, or not below ``num_classes``, or there are no
        labels and ``num_classes`` is -1.
    TypeError
        If ``num_classes`` is not an int of at least -1.

    Examples
    --------
    >>> from autograd.nn import functional as F
    >>> F.one_hot([0, 2], num_classes=3).data
    array([[1, 0, 0],
           [0, 0, 1]])
    """
    labels = np.asarray(tensor.data if isinstance(tensor, Tensor) else tensor)
    if labels.dtype.kind not in "iuf" or not np.all(labels == np.round(labels)) or (labels < 0).any():
        raise ValueError(f"one_hot: expected non-negative integer class labels, got {labels!r}")
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < -1:
        raise TypeError(f"one_hot: num_classes must be a non-negative int or -1, got {num_classes!r}")
    inferred = num_classes == -1
    if inferred:
        if not labels.size:
            raise ValueError("one_hot: cannot infer the number of classes from no labels; pass num_classes")
        num_classes = int(labels.max()) + 1
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, got {labels.max()}"
        )
    eye = np.eye(num_classes, dtype=np.int64)
    if isinstance(tensor, Tensor):  # (a compiled step makes it from each call's labels)
        if is_tracing():
            _one_hot_traced(tensor, num_classes, inferred)
        return nograd(lambda d: eye[d.astype(np.intp)], tensor)
    return Tensor._node(eye[labels.astype(np.intp)])


def _one_hot_traced(tensor: Tensor, c: int, inferred: bool) -> None:
    """While a compiled step traces: its path holds while the labels are whole numbers in
    ``[0, c)`` (and, for an inferred ``c``, their largest is ``c - 1``: the output's shape); labels
    the step computes cannot be checked at every call, so an inferred ``c`` is refused for them."""
    if inferred and tensor._op is not None:
        from ...compiled import CompileError

        raise CompileError(
            "one_hot: num_classes=-1 takes the number of classes (the output's shape) from the largest "
            "label, and these labels are computed in the compiled step: every call would get the "
            f"trace's {c} classes. Pass num_classes"
        )

    def holds(d: np.ndarray) -> bool:
        if not d.size:
            return not inferred
        whole = d.dtype.kind in "iu" or bool(np.all(d == np.round(d)))
        return whole and bool(d.min() >= 0) and (int(d.max()) + 1 == c if inferred else bool(d.max() < c))

    guard(holds, tensor.data, what=f"one_hot: the labels are classes of [0, {c})")


#: torch's padding modes, as numpy's pad names them
_PAD_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative sizes, crop) the last ``len(pad) // 2`` dimensions
    (``torch.nn.functional.pad``).

    The padding is numpy's ``pad`` on Tensors (edge, reflect, wrap), the cropping a slice: after
    the padding, as torch's, or before it for "circular"; the gradient is theirs.

    Parameters
    ----------
    input : Tensor or array_like
        The input.
    pad : sequence of int
        ``(last_left, last_right, second_last_left, ...)`` as torch.
    mode : {"constant", "reflect", "replicate", "circular"}
        "constant" fills with ``value``; "reflect" mirrors without the edge; "replicate" repeats
        the edge; "circular" wraps around. The last three pad 1 to 3 dimensions of an input with
        one or two more, as torch.
    value : float, optional
        The fill of "constant" (default 0).

    Returns
    -------
    Tensor
        The padded tensor.

    Raises
    ------
    TypeError
        If ``pad`` is not a sequence of ints, or ``value`` not a real number.
    ValueError
        If ``pad`` has an odd length or more sizes than dimensions, ``mode`` is unknown, a
        non-constant mode gets a ``value``, or the sizes are more than the mode can take.
    NotImplementedError
        If a non-constant mode is asked for a dimension count torch does not support.
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    if (
        isinstance(pad, (str, bytes))
        or not isinstance(pad, Sequence)
        or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in pad)
    ):
        raise TypeError(f"pad: pad must be a tuple of ints, got {pad!r}")
    if len(pad) % 2:
        raise ValueError(f"pad: padding length must be divisible by 2, got {len(pad)} ({tuple(pad)})")
    dims = len(pad) // 2
    if dims > x.ndim:
        raise ValueError(
            f"pad: {len(pad)} padding sizes for an input of {x.ndim} dimension(s); at most {2 * x.ndim}"
        )
    if mode not in _PAD_MODES:
        raise ModeError(f"pad: mode must be one of {tuple(_PAD_MODES)}, got {mode!r}")
    if mode != "constant":
        if value is not None:
            raise ValueError(
                f'pad: padding mode "{mode}" does not take a value argument, got value={value!r}'
            )
        if not 1 <= dims <= 3 or x.ndim not in (dims + 1, dims + 2):
            raise NotImplementedError(
                f"pad: mode {mode!r} pads the last 1, 2 or 3 dimensions of an input with one or two more "
                f"(as torch); got {len(pad)} sizes for an input of {x.ndim} dimension(s)"
            )
    widths = [(0, 0)] * (x.ndim - dims) + [
        (int(pad[2 * i]), int(pad[2 * i + 1])) for i in reversed(range(dims))
    ]
    for dim in range(x.ndim - dims, x.ndim):
        _check_pad(dim, x.shape[dim], *widths[dim], mode)
    grow = [(max(left, 0), max(right, 0)) for left, right in widths]
    options = (
        {"constant_values": 0.0 if value is None else _real("pad", "value", value)}
        if mode == "constant"
        else {}
    )

    def crop(t: Tensor) -> Tensor:
        return t[tuple(slice(max(-left, 0), n - max(-right, 0)) for n, (left, right) in zip(t.shape, widths))]

    if mode == "circular":  # (torch crops first, then wraps around what is left)
        return numpy_shapes.pad(crop(x), grow, "wrap")
    return crop(numpy_shapes.pad(x, grow, _PAD_MODES[mode], **options))


def _check_pad(dim: int, n: int, left: int, right: int, mode: str) -> None:
    """torch's limits on the sizes of one dimension's padding."""
    if n + left + right < 0:
        raise ValueError(
            f"pad: padding ({left}, {right}) of dimension {dim} (size {n}) leaves a negative size"
        )
    if mode == "reflect" and max(left, right) >= n:
        raise ValueError(
            f"pad: reflect padding ({left}, {right}) must be less than the size {n} of dimension {dim}"
        )
    if mode == "circular" and max(left, right) > n:
        raise ValueError(
            f"pad: circular padding ({left}, {right}) must be at most the size {n} of dimension {dim}"
        )


def layer_norm(
    input: Any,
    normalized_shape: Sequence[int],
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
) -> Tensor:
    r"""Layer normalization over the last ``len(normalized_shape)`` dimensions
    (``torch.nn.functional.layer_norm``):

    .. math::

        y = \frac{x - \operatorname{E}[x]}{\sqrt{\operatorname{Var}[x] + \epsilon}} \cdot w + b

    with the mean and the biased variance (divided by the number of elements) taken over those
    dimensions. Composed from the engine's operations, so its gradients of every order follow.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(*, *normalized_shape)``, float32 or float64.
    normalized_shape : sequence of int
        The trailing shape to normalize over (a tuple or list, as torch; at least one dimension).
    weight, bias : Tensor or array_like, optional
        The elementwise scale and shift, of shape ``normalized_shape`` (default: none).
    eps : float
        Added to the variance (default 1e-5).

    Returns
    -------
    Tensor
        ``input``'s shape.

    Raises
    ------
    TypeError
        If ``normalized_shape`` is not a sequence of ints, ``eps`` not a real number, or an
        argument is a Value or ValueArray.
    RuntimeError
        If ``normalized_shape`` is empty or is not the input's trailing shape, ``weight`` or
        ``bias`` is not of that shape, or the dtypes differ (torch's errors).
    NotImplementedError
        If ``input`` holds integers or bools (torch's error).
    """
    x = as_tensor(input, "layer_norm: input")
    shape = _normalized_shape("layer_norm", normalized_shape)
    if not shape:
        raise RuntimeError(
            "layer_norm: normalized_shape must have at least one dimension, got normalized_shape=[]"
        )
    k = len(shape)
    if k > x.ndim or x.shape[x.ndim - k :] != shape:
        raise RuntimeError(
            f"layer_norm: given normalized_shape={list(shape)}, expected an input of shape "
            f"[*, {', '.join(map(str, shape))}], got an input of shape {list(x.shape)}"
        )
    if x.data.dtype.kind != "f":
        raise NotImplementedError(
            f"layer_norm: input must hold floats (float32 or float64), got {x.data.dtype}"
        )
    e = _real("layer_norm", "eps", eps)
    scale, shift = (
        _affine("layer_norm", name, p, shape, x) for name, p in (("weight", weight), ("bias", bias))
    )
    y, _, _ = standardized(x, tuple(range(x.ndim - k, x.ndim)), e)
    if scale is not None:
        y = y * scale
    return y + (0.0 if shift is None else shift)  # (torch adds a bias of 0 if none: no -0)


def standardized(x: Tensor, axes: tuple[int, ...], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    r"""``(x - mean) / sqrt(var + eps)`` over ``axes``, with the mean and the biased variance (axes
    kept): the step layer, group and instance normalization share.

    .. math:: \hat x = \frac{x - \operatorname{E}[x]}{\sqrt{\operatorname{Var}[x] + \epsilon}}
    """
    mean = x.mean(axes, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axes, keepdims=True)
    return centred / (var + eps).sqrt(), mean, var


def _normalized_shape(op: str, shape: Any) -> tuple[int, ...]:
    """``shape`` (a tuple or list of ints, torch.Size) as a tuple, or torch's TypeError."""
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(
            f"{op}: normalized_shape must be a tuple or list of ints, got {type(shape).__name__} {shape!r}"
        )
    for n in shape:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
            raise TypeError(
                f"{op}: normalized_shape must be a tuple or list of ints, got {type(n).__name__} {n!r} "
                f"in {shape!r}"
            )
    return tuple(int(n) for n in shape)


def _affine(op: str, name: str, p: Any, shape: tuple[int, ...], x: Tensor) -> Tensor | None:
    """``weight`` or ``bias`` as a Tensor of ``x``'s dtype and of ``shape``, or torch's error."""
    if p is None:
        return None
    t = as_tensor(p, f"{op}: {name}") if isinstance(p, Tensor) else Tensor(np.asarray(p), dtype=x.dtype)
    if t.shape != shape:
        raise RuntimeError(
            f"{op}: expected {name} of shape normalized_shape={list(shape)}, got shape {list(t.shape)}"
        )
    if t.dtype != x.dtype:
        raise RuntimeError(
            f"{op}: {name} is {t.dtype} and input {x.dtype}; they must share one dtype (as torch's)"
        )
    return t


def embedding(
    input: Any,
    weight: Any,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    r"""The rows of ``weight`` that ``input`` indexes (``torch.nn.functional.embedding``):
    :math:`y_{i\ldots} = W_{x_{i\ldots}}`.

    The gradient of ``weight`` adds up the gradients of the rows taken (none for ``padding_idx``'s
    row; each divided by how often its row is taken with ``scale_grad_by_freq``).

    Parameters
    ----------
    input : Tensor or array_like
        Integer indices into the rows of ``weight``, of any shape (0-d and empty included).
    weight : Tensor or array_like
        The table, shape ``(num_embeddings, embedding_dim)``.
    padding_idx : int, optional
        A row (negative: counted from the end) whose gradient is zero; its value is returned as it is.
    max_norm : float, optional
        Rows taken whose ``norm_type``-norm exceeds this are first scaled, in place and without
        gradient, to the norm ``max_norm`` (as torch: by ``max_norm / (norm + 1e-7)``).
    norm_type : float
        The order of the norm of ``max_norm`` (default 2).
    scale_grad_by_freq : bool
        Divide each row's gradient by the number of times ``input`` takes it (default False).
    sparse : bool
        Must be False: gradients here are dense arrays.

    Returns
    -------
    Tensor
        Shape ``input.shape + (embedding_dim,)``, ``weight``'s dtype.

    Raises
    ------
    TypeError
        If ``input`` or ``weight`` is a Value or ValueArray, or an option has the wrong type.
    RuntimeError
        If ``input`` does not hold integers, or ``weight`` is not 2-d (torch's errors).
    IndexError
        If an index is negative or not below ``num_embeddings`` (torch's error).
    AssertionError
        If ``padding_idx`` is not within ``num_embeddings`` (torch's error).
    NotImplementedError
        If ``sparse`` is True.
    """
    w = as_tensor(weight, "embedding: weight")
    if w.ndim != 2:
        raise RuntimeError(
            f"embedding: weight must be 2-d, (num_embeddings, embedding_dim), got shape {list(w.shape)}"
        )
    n = w.shape[0]
    pad = _padding_idx("embedding", padding_idx, n)
    idx = _indices("embedding", input, n)
    for name, flag in (("scale_grad_by_freq", scale_grad_by_freq), ("sparse", sparse)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"embedding: {name} must be a bool, got {type(flag).__name__} {flag!r}")
    if sparse:
        raise NotImplementedError(
            "embedding: sparse=True is not supported: the gradient of weight is a dense array here; "
            "pass sparse=False (the values are the same)"
        )
    # a Tensor of indices is read at every call of a compiled step: what is made from it (the rows
    # renormed, the gradient's factors) is made there too (an effect, a nograd), after a check
    # that the indices still fit the table (else the step traces again, and raises as eager does)
    labels = input if isinstance(input, Tensor) else None
    if labels is not None:
        guard(lambda i: i.size == 0 or bool(i.min() >= 0 and i.max() < n), labels.data,
              what="embedding: indices within the table")  # fmt: skip
    if max_norm is not None:
        bound, p = _real("embedding", "max_norm", max_norm), _real("embedding", "norm_type", norm_type)
        if labels is None and not is_tracing():
            _renorm(w.data, idx, bound, p)
        else:
            if labels is None:  # (an array: a copy, so a compiled step keys an argument by its value)
                labels = Tensor._node(idx.copy())
                idx = labels.data
            what = f"embedding: the rows taken renormed to max_norm={bound}, in place"
            renorm = lambda i, table: _renorm(table, i.astype(np.intp, copy=False), bound, p)  # noqa: E731
            effect(renorm, labels, w, targets=(w,), what=what)
    rows = w[idx]
    if pad is None and not scale_grad_by_freq:
        return rows
    dtype = rows.dtype

    def factors(i: np.ndarray) -> np.ndarray:
        factor = np.ones(i.shape)
        if scale_grad_by_freq:
            factor = 1.0 / np.bincount(i.ravel(), minlength=n)[i]
        if pad is not None:
            factor[i == pad] = 0.0
        return np.broadcast_to(factor[..., None], (*i.shape, w.shape[1])).astype(dtype)

    return _gradient_scaled(rows, factors(idx) if labels is None else nograd(factors, labels))


def _padding_idx(op: str, padding_idx: Any, n: int) -> int | None:
    """``padding_idx`` made non-negative, None as None; torch's AssertionError out of range."""
    if padding_idx is None:
        return None
    if isinstance(padding_idx, (bool, np.bool_)) or not isinstance(padding_idx, (int, np.integer)):
        raise TypeError(
            f"{op}: padding_idx must be an int or None, got {type(padding_idx).__name__} {padding_idx!r}"
        )
    if not -n <= padding_idx < n:
        raise AssertionError(
            f"{op}: padding_idx must be within num_embeddings, in [{-n}, {n}), got {padding_idx}"
        )
    return int(padding_idx) % n


def _indices(op: str, input: Any, n: int) -> np.ndarray:
    """``input`` as an integer array of indices into ``n`` rows, or torch's error."""
    if isinstance(input, (Value, ValueArray)):
        raise TypeError(
            f"{op}: input must be a Tensor or an array of integer indices, got a {type(input).__name__}"
        )
    idx = np.asarray(input.data if isinstance(input, Tensor) else input)
    if idx.dtype.kind not in "iu":
        raise RuntimeError(
            f"{op}: input must hold integer indices (int64 or int32), got dtype {idx.dtype}; "
            "convert with .long()"
        )
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx[(idx < 0) | (idx >= n)].flat[0]
        raise IndexError(
            f"{op}: index {bad} of input is out of range for weight's num_embeddings={n} rows "
            f"(indices must be in [0, {n}))"
        )
    return idx.astype(np.intp, copy=False)


def _renorm(table: np.ndarray, idx: np.ndarray, max_norm: float, p: float) -> None:
    """torch's ``embedding_renorm_``: each row taken whose ``p``-norm exceeds ``max_norm``, scaled in
    place by ``max_norm / (norm + 1e-7)``."""
    rows = np.unique(idx)
    norms = np.linalg.norm(table[rows], ord=p, axis=1).astype(np.float64)
    big = norms > max_norm
    table[rows[big]] *= (max_norm / (norms[big] + 1e-7)).astype(table.dtype)[:, None]


def _gradient_scaled(x: Tensor, factor: np.ndarray) -> Tensor:
    """``x``'s values exactly, with the gradient multiplied by ``factor`` (>= 0, ``x``'s shape).

    Where ``factor`` is 0 no gradient flows (a nan one included, as torch skips the padding row);
    elsewhere a finite ``x`` is ``stop(x) - (stop(t) - t) · factor`` with ``t = x`` (a ``+0`` taken
    away: -0 stays -0), a non-finite one ``x · factor`` (inf and nan are their own multiples).
    """
    finite = nograd(np.isfinite, x)
    t = x.where(finite, 0.0)
    scaled = (x.detach() - (t.detach() - t) * factor).where(finite, x * factor)
    return x.detach().where(factor == 0, scaled)
