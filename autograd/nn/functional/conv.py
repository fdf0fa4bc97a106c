"""``torch.nn.functional``'s convolutions: ``unfold``, ``fold``, ``conv1d`` and ``conv2d``.

A convolution is the windows of its input as columns (``unfold``, im2col: the table's primitive
``UNFOLD``) times the kernel as a matrix, one matrix product: its gradient comes from the chain
rule through that product and the unfold, whose rule is ``fold`` (col2im), and the other way round.
"""

from __future__ import annotations

from typing import Any

from ... import ops
from ..._errors import ArgumentError
from ..._operands import as_tensor
from ..._tensor import Tensor
from .layers import pad

Pair = tuple[int, int]


def pair(op: str, name: str, value: Any, least: int) -> Pair:
    """An int or a pair of ints (torch's ``_pair``), each at least ``least``, named in the error."""
    items = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        first, second = items
    except (TypeError, ValueError) as e:
        kind = ArgumentError if isinstance(e, ValueError) else TypeError  # (3 of them: torch's RuntimeError)
        raise kind(f"{op}: {name} must be an int or a pair of ints, got {value!r}") from None
    for v in (first, second):
        if isinstance(v, bool) or not isinstance(v, int) or v < least:
            raise ValueError(f"{op}: {name} must be ints of at least {least}, got {value!r}")
    return int(first), int(second)


def batched(op: str, x: Any, spatial: int) -> tuple[Tensor, bool]:
    """``x`` as a Tensor with a batch axis: ``(N, C, *spatial)``, and whether one was added
    (an unbatched ``(C, *spatial)`` input, as torch accepts)."""
    x = as_tensor(x, what=f"{op}: input")
    if x.ndim == spatial + 1:
        return x.reshape((1, *x.shape)), True
    if x.ndim != spatial + 2:
        raise ValueError(
            f"{op}: expected a {spatial + 1}-d (unbatched) or {spatial + 2}-d (batched) input, got "
            f"shape {tuple(x.shape)}"
        )
    return x, False


def windows_of(op: str, size: Pair, kernel: Pair, dilation: Pair, padding: Pair, stride: Pair) -> Pair:
    """The number of windows along the two axes; an error naming the sizes where there are none."""
    oh, ow = ops.windows.windows(size, kernel, dilation, padding, stride)
    if oh < 1 or ow < 1:
        span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, kernel))
        padded = tuple(s + 2 * p for s, p in zip(size, padding))
        raise ArgumentError(
            f"{op}: the kernel (spanning {span[0]} x {span[1]} with its dilation) is larger than the "
            f"padded input ({padded[0]} x {padded[1]}): no window fits"
        )
    return oh, ow


def unfold(input: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """Every sliding window of a batch of images as a column, im2col (``torch.nn.functional.unfold``).

    ``out[n, (c·kh + i)·kw + j, l]`` is ``input[n, c, y_l + i·dh, x_l + j·dw]`` (zero outside the
    input), for the ``l``-th window's corner ``(y_l, x_l)``, windows ``stride`` apart.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C, H, W)`` or ``(C, H, W)``.
    kernel_size, dilation, padding, stride : int or tuple of int
        The window's size, the spacing of its elements, the zero padding on each side, the
        spacing of the windows.

    Returns
    -------
    Tensor
        Shape ``(N, C·kh·kw, L)`` (``(C·kh·kw, L)`` unbatched), ``L`` the number of windows.
    """
    x, added = batched("unfold", input, 2)
    kernel, dilation = pair("unfold", "kernel_size", kernel_size, 1), pair("unfold", "dilation", dilation, 1)
    padding, stride = pair("unfold", "padding", padding, 0), pair("unfold", "stride", stride, 1)
    windows_of("unfold", tuple(x.shape[2:]), kernel, dilation, padding, stride)
    out = Tensor._apply(ops.UNFOLD, x, kernel=kernel, dilation=dilation, padding=padding, stride=stride)
    return out.reshape(out.shape[1:]) if added else out


def fold(input: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:  # fmt: skip
    """Columns of windows added back into images, col2im (``torch.nn.functional.fold``): the
    transpose of :func:`unfold`; where windows overlap, their entries add up.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C·kh·kw, L)`` or ``(C·kh·kw, L)``, ``L`` the number of windows that fit.
    output_size : int or tuple of int
        The images' ``(H, W)``.
    kernel_size, dilation, padding, stride : int or tuple of int
        As :func:`unfold`.

    Returns
    -------
    Tensor
        Shape ``(N, C, H, W)`` (``(C, H, W)`` unbatched).
    """
    x = as_tensor(input, what="fold: input")
    added = x.ndim == 2
    if added:
        x = x.reshape((1, *x.shape))
    if x.ndim != 3:
        raise ValueError(
            f"fold: expected a 2-d (unbatched) or 3-d (batched) input, got shape {tuple(x.shape)}"
        )
    size = pair("fold", "output_size", output_size, 1)
    kernel, dilation = pair("fold", "kernel_size", kernel_size, 1), pair("fold", "dilation", dilation, 1)
    padding, stride = pair("fold", "padding", padding, 0), pair("fold", "stride", stride, 1)
    oh, ow = windows_of("fold", size, kernel, dilation, padding, stride)
    k = kernel[0] * kernel[1]
    if x.shape[1] % k or x.shape[2] != oh * ow:
        raise ValueError(
            f"fold: expected input of shape (N, C * {k}, {oh * ow}) for kernel {kernel} and {oh} x {ow} "
            f"windows of an output of size {size}, got shape {tuple(x.shape)}"
        )
    out = Tensor._apply(
        ops.FOLD, x, output_size=size, kernel=kernel, dilation=dilation, padding=padding, stride=stride
    )
    return out.reshape(out.shape[1:]) if added else out


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Tensor:  # fmt: skip
    """2-d convolution, as deep learning defines it (a cross-correlation), ``torch.nn.functional.conv2d``.

    .. math:: \\text{out}[n, o, \\mathbf{y}] = b_o + \\sum_{c, \\mathbf{i}} w[o, c, \\mathbf{i}]\\,
              x[n, c_o + c,\\; s \\mathbf{y} + d\\, \\mathbf{i} - p]

    (:math:`\\mathbf{y}`, :math:`\\mathbf{i}`: the output's and the kernel's 2-d positions;
    :math:`c_o`: the first input channel of output channel o's group), computed as
    ``w.reshape(C_out, -1) @ unfold(input)`` (per group).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
    weight : Tensor or array_like
        Shape ``(C_out, C_in / groups, kh, kw)``.
    bias : Tensor or array_like, optional
        Shape ``(C_out,)``.
    stride, dilation : int or tuple of int
        The spacing of the windows, and of a window's elements (default 1).
    padding : int, tuple of int, "valid" or "same"
        Zeros added on each side; "valid" is 0, "same" keeps the size (stride 1 only; an odd total
        goes on the right and bottom, as torch).
    groups : int
        Channels split into this many groups, each convolved with its own kernels (default 1).

    Returns
    -------
    Tensor
        Shape ``(N, C_out, H_out, W_out)`` (no N unbatched).

    Raises
    ------
    ValueError
        If the shapes, the groups or the padding do not fit (the message names which).
    """
    return _conv("conv2d", input, weight, bias, stride, padding, dilation, groups, spatial=2)


def conv1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           groups: int = 1) -> Tensor:  # fmt: skip
    """1-d convolution (``torch.nn.functional.conv1d``): :func:`conv2d` of a height-1 image.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C_in, L)`` or ``(C_in, L)``.
    weight : Tensor or array_like
        Shape ``(C_out, C_in / groups, k)``.
    bias : Tensor or array_like, optional
        Shape ``(C_out,)``.
    stride, dilation : int
        As :func:`conv2d`.
    padding : int, "valid" or "same"
        As :func:`conv2d`.
    groups : int
        As :func:`conv2d`.

    Returns
    -------
    Tensor
        Shape ``(N, C_out, L_out)`` (no N unbatched).
    """
    return _conv("conv1d", input, weight, bias, stride, padding, dilation, groups, spatial=1)


def height_one(op: str, name: str, value: Any, fill: int, least: int) -> Any:
    """A 1-d option (an int or a 1-tuple) as the pair ``(fill, value)`` of a height-1 image, checked
    to be an int of at least ``least``; None and () (pools' "as the kernel") are passed on."""
    if value is None or (isinstance(value, (tuple, list)) and not value):
        return value
    item = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    if isinstance(item, bool) or not isinstance(item, int) or item < least:
        raise ValueError(f"{op}: {name} must be an int (or a 1-tuple) of at least {least}, got {value!r}")
    return (fill, int(item))


def _conv(op: str, input: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any, groups: int,
          spatial: int) -> Tensor:  # fmt: skip
    x, added = batched(op, input, spatial)
    w = as_tensor(weight, what=f"{op}: weight")
    if w.ndim != spatial + 2:
        raise ValueError(f"{op}: expected a {spatial + 2}-d weight, got shape {tuple(w.shape)}")
    if spatial == 1:
        x, w = (
            x.reshape((x.shape[0], x.shape[1], 1, x.shape[2])),
            w.reshape((w.shape[0], w.shape[1], 1, w.shape[2])),
        )
        stride, dilation = height_one(op, "stride", stride, 1, 1), height_one(op, "dilation", dilation, 1, 1)
        padding = padding if isinstance(padding, str) else height_one(op, "padding", padding, 0, 0)
    else:
        stride, dilation = pair(op, "stride", stride, 1), pair(op, "dilation", dilation, 1)
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    n, c_in = x.shape[:2]
    c_out, c_group, kh, kw = w.shape
    if c_in != c_group * groups:
        raise ValueError(
            f"{op}: the input has {c_in} channels, but the weight {tuple(w.shape[:2])} with groups={groups} "
            f"expects {c_group * groups}"
        )
    if c_out % groups:
        raise ValueError(f"{op}: the weight's {c_out} output channels are not divisible by groups={groups}")
    x, pads = _padded(op, x, padding, (kh, kw), dilation, stride)
    oh, ow = windows_of(op, tuple(x.shape[2:]), (kh, kw), dilation, pads, stride)
    cols = Tensor._apply(ops.UNFOLD, x, kernel=(kh, kw), dilation=dilation, padding=pads, stride=stride)
    length = oh * ow
    if groups == 1:
        out = w.reshape((c_out, c_group * kh * kw)) @ cols
    else:
        per = c_group * kh * kw
        out = w.reshape((groups, c_out // groups, per)) @ cols.reshape((n, groups, per, length))
    out = out.reshape((n, c_out, oh, ow) if spatial == 2 else (n, c_out, ow))
    if bias is not None:
        b = as_tensor(bias, what=f"{op}: bias")
        if b.shape != (c_out,):
            raise ValueError(f"{op}: expected a bias of shape ({c_out},), got {tuple(b.shape)}")
        out = out + b.reshape((c_out,) + (1,) * spatial)
    return out.reshape(out.shape[1:]) if added else out


def _padded(
    op: str, x: Tensor, padding: Any, kernel: Pair, dilation: Pair, stride: Pair
) -> tuple[Tensor, Pair]:
    """The input and the symmetric padding to unfold it with: "same"'s odd total goes on the right,
    padded here first (torch pads the same way)."""
    if not isinstance(padding, str):
        return x, pair(op, "padding", padding, 0)
    if padding == "valid":
        return x, (0, 0)
    if padding != "same":
        raise ValueError(f"{op}: padding must be an int, a pair of ints, 'valid' or 'same', got {padding!r}")
    if stride != (1, 1):
        raise ValueError(f"{op}: padding='same' is not supported for strided convolutions (stride {stride})")
    total = [d * (k - 1) for d, k in zip(dilation, kernel)]
    left = (total[0] // 2, total[1] // 2)
    extra = (total[0] - 2 * left[0], total[1] - 2 * left[1])
    if extra != (0, 0):
        x = pad(x, (0, extra[1], 0, extra[0]))
    return x, left
