"""``torch.nn.functional``'s layers: ``linear``, ``dropout``, ``one_hot`` and ``pad``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ... import numpy_shapes
from ..._tensor import Tensor
from ...random_state import default_generator
from ._common import _composed, _node, _real


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


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Inverted dropout (``torch.nn.functional.dropout``): zero each element with probability ``p``
    and scale the rest by :math:`1/(1 - p)`, so the expected value is unchanged.

    The mask is drawn from the library's generator (see :func:`autograd.manual_seed`), not from
    torch's stream.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    p : float
        The probability of an element being zeroed, in [0, 1] (default 0.5).
    training : bool
        Apply dropout (default True); when False, or when ``p`` is 0, ``input`` itself is returned.
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """
    p = _probability("dropout", p)
    if not training or p == 0.0:
        return input

    def drop(x: Any) -> Any:
        if p == 1.0:
            return x * 0.0
        return x * ((default_generator().random(x.shape) >= p) / (1.0 - p))

    return _composed(input, drop)


def _probability(op: str, p: Any) -> float:
    """``p`` as a float in [0, 1], or torch's ValueError."""
    p = _real(op, "p", p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return p


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
    if num_classes == -1:
        if not labels.size:
            raise ValueError("one_hot: cannot infer the number of classes from no labels; pass num_classes")
        num_classes = int(labels.max()) + 1
    if labels.size and labels.max() >= num_classes:
        raise ValueError(
            f"one_hot: class values must be smaller than num_classes={num_classes}, got {labels.max()}"
        )
    return Tensor._node(np.eye(num_classes, dtype=np.int64)[labels.astype(np.intp)])


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
        raise ValueError(f"pad: mode must be one of {tuple(_PAD_MODES)}, got {mode!r}")
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
