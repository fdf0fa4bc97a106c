"""``torch.nn.functional``'s transposed convolutions: ``conv_transpose1d``, ``conv_transpose2d`` and
``conv_transpose3d``.

A transposed convolution is the transpose (the gradient with respect to the input) of a
convolution: every input position spreads its channels, through the kernel, over a window of the
output. Here it is one matrix product, the kernel as a matrix transposed times the input (each
input position's column of ``C_out·kh·kw`` contributions), followed by ``fold`` (col2im: the table's
``FOLD``, which adds each column into its window); the 3-d one folds with
``fold3d`` (``autograd/nn/functional/volumes.py``), composed of the 2-d ``FOLD``. Their gradients come
from the chain rule through the product and ``FOLD``, whose rule is ``UNFOLD``, so every order of
derivative and ``autograd.compile`` work.
"""

from __future__ import annotations

import math
from typing import Any

from ... import ops
from ..._operands import as_tensor
from ..._tensor import Tensor
from .conv import batched
from .layers import pad
from .volumes import ShapeError, fold3d

__all__ = ["conv_transpose1d", "conv_transpose2d", "conv_transpose3d"]


def _ints(op: str, name: str, value: Any, n: int, least: int) -> tuple[int, ...]:
    """An int or ``n`` ints (torch's ``_pair``/``_triple``), each at least ``least``, named in the error."""
    items = (value,) * n if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(items, str):
        raise TypeError(f"{op}: {name} must be an int or a tuple of {n} ints (no strings), got {value!r}")
    try:
        items = tuple(items)
    except TypeError:
        raise TypeError(f"{op}: {name} must be an int or a tuple of {n} ints, got {value!r}") from None
    if len(items) != n or any(isinstance(v, bool) or not isinstance(v, int) or v < least for v in items):
        raise ValueError(f"{op}: {name} must be an int or {n} ints, each at least {least}, got {value!r}")
    return items


def conv_transpose2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:  # fmt: skip
    r"""2-d transposed convolution (``torch.nn.functional.conv_transpose2d``), the gradient of
    :func:`~autograd.nn.functional.conv2d` with respect to its input; some call it a deconvolution:

    .. math:: \text{out}[n, o, s\,\mathbf{y} + d\,\mathbf{i} - p] \mathrel{+}=
              \sum_{c} x[n, c, \mathbf{y}]\; w[c, o - o_c, \mathbf{i}]

    (plus :math:`b_o`; :math:`o_c`: the first output channel of input channel c's group), computed
    as ``fold(wᵀ @ x)``. The output's size along each axis is
    ``(in - 1)·stride - 2·padding + dilation·(k - 1) + output_padding + 1``.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C_in, H, W)`` or ``(C_in, H, W)``.
    weight : Tensor or array_like
        Shape ``(C_in, C_out / groups, kh, kw)`` (torch's layout: the input channels first).
    bias : Tensor or array_like, optional
        Shape ``(C_out,)``.
    stride : int or tuple of int
        The spacing of the windows in the output (default 1).
    padding : int or tuple of int
        ``dilation·(k - 1) - padding`` zeros on each side of the equivalent convolution: the
        output is cropped by ``padding`` on each side (default 0).
    output_padding : int or tuple of int
        Added to the output's far side (bottom, right), smaller than the stride or the dilation:
        picks one of the sizes a strided convolution maps to the same size (default 0).
    groups : int
        Channels split into this many groups (default 1).
    dilation : int or tuple of int
        The spacing of the kernel's elements (default 1).

    Returns
    -------
    Tensor
        Shape ``(N, C_out, H_out, W_out)`` (no N unbatched).

    Raises
    ------
    ValueError
        If the shapes, the groups or the options do not fit (the message names which; also a
        RuntimeError, as torch's).
    """
    return _transposed("conv_transpose2d", input, weight, bias, stride, padding, output_padding, groups,
                       dilation, 2)  # fmt: skip


def conv_transpose1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:  # fmt: skip
    """1-d transposed convolution (``torch.nn.functional.conv_transpose1d``): :func:`conv_transpose2d`
    of a height-1 image.

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C_in, L)`` or ``(C_in, L)``.
    weight : Tensor or array_like
        Shape ``(C_in, C_out / groups, k)``.
    bias : Tensor or array_like, optional
        Shape ``(C_out,)``.
    stride, padding, output_padding, dilation : int or tuple of int
        As :func:`conv_transpose2d`'s, one int (or a 1-tuple) each.
    groups : int
        As :func:`conv_transpose2d`'s.

    Returns
    -------
    Tensor
        Shape ``(N, C_out, L_out)`` (no N unbatched), ``L_out = (L - 1)·stride - 2·padding +
        dilation·(k - 1) + output_padding + 1``.
    """
    return _transposed("conv_transpose1d", input, weight, bias, stride, padding, output_padding, groups,
                       dilation, 1)  # fmt: skip


def conv_transpose3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:  # fmt: skip
    """3-d transposed convolution (``torch.nn.functional.conv_transpose3d``): as
    :func:`conv_transpose2d` over depth, height and width, folded by
    ``fold3d`` (``autograd/nn/functional/volumes.py``).

    Parameters
    ----------
    input : Tensor or array_like
        Shape ``(N, C_in, D, H, W)`` or ``(C_in, D, H, W)``.
    weight : Tensor or array_like
        Shape ``(C_in, C_out / groups, kd, kh, kw)``.
    bias : Tensor or array_like, optional
        Shape ``(C_out,)``.
    stride, padding, output_padding, dilation : int or tuple of int
        As :func:`conv_transpose2d`'s, an int or three each.
    groups : int
        As :func:`conv_transpose2d`'s.

    Returns
    -------
    Tensor
        Shape ``(N, C_out, D_out, H_out, W_out)`` (no N unbatched).
    """
    return _transposed("conv_transpose3d", input, weight, bias, stride, padding, output_padding, groups,
                       dilation, 3)  # fmt: skip


def output_sizes(
    size: Any, kernel: Any, stride: Any, padding: Any, output_padding: Any, dilation: Any
) -> list[int]:
    """A transposed convolution's output size along each axis."""
    return [
        (n - 1) * s - 2 * p + d * (k - 1) + q + 1
        for n, k, s, p, q, d in zip(size, kernel, stride, padding, output_padding, dilation)
    ]


def _transposed(op: str, input: Any, weight: Any, bias: Any, stride: Any, padding: Any, output_padding: Any,
                groups: int, dilation: Any, spatial: int) -> Tensor:  # fmt: skip
    x, added = batched(op, input, spatial)
    w = as_tensor(weight, what=f"{op}: weight")
    if w.ndim != spatial + 2:
        raise ShapeError(
            f"{op}: expected a {spatial + 2}-d weight (C_in, C_out / groups, kernel...), got shape "
            f"{tuple(w.shape)}"
        )
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    stride, dilation = _ints(op, "stride", stride, spatial, 1), _ints(op, "dilation", dilation, spatial, 1)
    padding = _ints(op, "padding", padding, spatial, 0)
    extra = _ints(op, "output_padding", output_padding, spatial, 0)
    if any(q >= s and q >= d for q, s, d in zip(extra, stride, dilation)):
        raise ShapeError(
            f"{op}: output padding must be smaller than either stride or dilation, got "
            f"output_padding={extra}, stride={stride}, dilation={dilation}"
        )
    n, c_in, *size = x.shape
    if c_in != w.shape[0]:
        raise ShapeError(
            f"{op}: the weight of shape {tuple(w.shape)} expects an input of {w.shape[0]} channels "
            f"(C_in, its first axis), got {c_in} channels (input shape {tuple(x.shape)})"
        )
    if c_in % groups:
        raise ShapeError(f"{op}: the input's {c_in} channels are not divisible by groups={groups}")
    kernel = tuple(w.shape[2:])
    c_out = w.shape[1] * groups
    out = output_sizes(size, kernel, stride, padding, extra, dilation)
    if min(out) < 1:
        raise ShapeError(
            f"{op}: the output's size {tuple(out)} is too small (input size {tuple(size)}, kernel {kernel}, "
            f"stride {stride}, padding {padding}, dilation {dilation}, output_padding {extra})"
        )
    bias_t = None
    if bias is not None:
        bias_t = as_tensor(bias, what=f"{op}: bias")
        if bias_t.shape != (c_out,):
            raise ShapeError(f"{op}: expected a bias of shape ({c_out},), got {tuple(bias_t.shape)}")
    if spatial == 1:  # (a height-1 image)
        x, w = x.reshape((n, c_in, 1, size[0])), w.reshape((*w.shape[:2], 1, kernel[0]))
        size, kernel, out = [1, *size], (1, *kernel), [1, *out]
        stride, padding, extra, dilation = (1, *stride), (0, *padding), (0, *extra), (1, *dilation)
    length, k = math.prod(size), math.prod(kernel)
    per_in, per_out = c_in // groups, c_out // groups
    if groups == 1:
        cols = w.reshape((c_in, c_out * k)).transpose(1, 0) @ x.reshape((n, c_in, length))
    else:
        wt = w.reshape((groups, per_in, per_out * k)).transpose((0, 2, 1))
        cols = (wt @ x.reshape((n, groups, per_in, length))).reshape((n, c_out * k, length))
    y = _fold(cols, out, kernel, dilation, padding, stride, extra, size)
    if bias_t is not None:
        y = y + bias_t.reshape((c_out,) + (1,) * len(out))
    if spatial == 1:
        y = y.reshape((n, c_out, out[1]))
    return y.reshape(y.shape[1:]) if added else y


def _fold(cols: Tensor, out: list[int], kernel: Any, dilation: Any, padding: Any, stride: Any, extra: Any,
          size: list[int]) -> Tensor:  # fmt: skip
    """The columns added into an output of size ``out``: folded with the padding cropped where
    that leaves one window per input position (``output_padding`` below the stride), else folded
    whole and then cropped and padded."""
    fold = _fold2d if len(out) == 2 else fold3d
    if all(q < s for q, s in zip(extra, stride)):
        return fold(cols, tuple(out), kernel, dilation, padding, stride)
    full = [(m - 1) * s + d * (k - 1) + 1 for m, s, d, k in zip(size, stride, dilation, kernel)]
    y = fold(cols, tuple(full), kernel, dilation, (0,) * len(out), stride)
    pads: list[int] = []
    for p, q in zip(reversed(padding), reversed(extra)):
        pads += [-p, q - p]
    return pad(y, tuple(pads))


def _fold2d(cols: Tensor, size: Any, kernel: Any, dilation: Any, padding: Any, stride: Any) -> Tensor:
    return Tensor._apply(
        ops.FOLD, cols, output_size=tuple(size), kernel=tuple(kernel), dilation=tuple(dilation),
        padding=tuple(padding), stride=tuple(stride),
    )  # fmt: skip
