"""Sliding windows over the two last axes: unfold (im2col) and fold (col2im), each the other's
transpose, so each one's rule is the other.

``unfold`` copies every ``kernel``-sized window of an ``(N, C, H, W)`` array (zero-padded by
``padding``, windows ``stride`` apart, their elements ``dilation`` apart) into a column:
``(N, C·kh·kw, L)``, L windows, as ``torch.nn.functional.unfold``. A convolution is then one
matrix product and a pooling one reduction over a window's column. ``fold`` adds the columns back
into place (overlapping windows sum), as ``torch.nn.functional.fold``: starting from zeros, the
kernel's positions in order, as torch's col2im adds them, so the sums are torch's. Windows that do
not overlap (a max pool's, stride = kernel) are written in one pass, each entry as 0 + entry.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .primitive import Primitive

Pair = tuple[int, int]


def windows(size: Pair, kernel: Pair, dilation: Pair, padding: Pair, stride: Pair) -> Pair:
    """The number of windows along each of the two axes of ``size`` (before padding)."""
    return (
        (size[0] + 2 * padding[0] - dilation[0] * (kernel[0] - 1) - 1) // stride[0] + 1,
        (size[1] + 2 * padding[1] - dilation[1] * (kernel[1] - 1) - 1) // stride[1] + 1,
    )


def _unfold(a: np.ndarray, kernel: Pair, dilation: Pair, padding: Pair, stride: Pair) -> np.ndarray:
    (kh, kw), (dh, dw), (sh, sw) = kernel, dilation, stride
    oh, ow = windows(a.shape[2:], kernel, dilation, padding, stride)
    if padding != (0, 0):
        a = np.pad(a, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    n, c = a.shape[:2]
    s = a.strides
    view = np.lib.stride_tricks.as_strided(
        a,
        (n, c, kh, kw, oh, ow),
        (s[0], s[1], s[2] * dh, s[3] * dw, s[2] * sh, s[3] * sw),
        writeable=False,
        subok=True,  # (a meta array stays one: autograd/meta.py)
    )
    return view.reshape(n, c * kh * kw, oh * ow)


def disjoint(kernel: Pair, dilation: Pair, stride: Pair) -> bool:
    """Whether no two windows share an element (each is at least its span past the last)."""
    return all(s >= d * (k - 1) + 1 for k, d, s in zip(kernel, dilation, stride))


def _fold(a: np.ndarray, output_size: Pair, kernel: Pair, dilation: Pair, padding: Pair,
          stride: Pair) -> np.ndarray:  # fmt: skip
    (kh, kw), (dh, dw), (sh, sw), (ph, pw) = kernel, dilation, stride, padding
    oh, ow = windows(output_size, kernel, dilation, padding, stride)
    n = a.shape[0]
    c = a.shape[1] // (kh * kw)
    cols = a.reshape(n, c, kh, kw, oh, ow)
    size = (output_size[0] + 2 * ph, output_size[1] + 2 * pw)
    if disjoint(kernel, dilation, stride):
        # windows that do not overlap: each element gets at most one entry, 0 + entry (-0.0 becomes
        # +0.0 as in torch's sum), all written in one pass; zeros first only where some element
        # is in no window
        tiled = (dh, dw) == (1, 1) and (sh * oh, sw * ow) == (kh * oh, kw * ow) == size
        out = (np.empty if tiled else np.zeros)((n, c, *size), a.dtype)
        s = out.strides
        into = np.lib.stride_tricks.as_strided(
            out, cols.shape, (s[0], s[1], s[2] * dh, s[3] * dw, s[2] * sh, s[3] * sw)
        )
        np.add(cols, a.dtype.type(0), out=into)
    else:
        out = np.zeros((n, c, *size), a.dtype)
        for i in range(kh):  # (the kernel's positions in order: torch's col2im adds them so)
            rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
            for j in range(kw):
                out[:, :, rows, j * dw : j * dw + sw * (ow - 1) + 1 : sw] += cols[:, :, i, j]
    if padding == (0, 0):
        return out
    return np.ascontiguousarray(out[:, :, ph : ph + output_size[0], pw : pw + output_size[1]])


def _unfold_vjp(ns: Any, g: Any, out: Any, a: Any, kernel: Pair, dilation: Pair, padding: Pair,
                stride: Pair) -> Any:  # fmt: skip
    """Each column's gradient goes back to the element it copied: g folded."""
    size = tuple(a.shape[2:])
    return ns.apply(
        FOLD, g, output_size=size, kernel=kernel, dilation=dilation, padding=padding, stride=stride
    )


def _fold_vjp(ns: Any, g: Any, out: Any, a: Any, output_size: Pair, kernel: Pair, dilation: Pair,
              padding: Pair, stride: Pair) -> Any:  # fmt: skip
    """Each column entry was added to one element: its gradient is that element's, g unfolded."""
    return ns.apply(UNFOLD, g, kernel=kernel, dilation=dilation, padding=padding, stride=stride)


UNFOLD = Primitive("unfold", _unfold, (_unfold_vjp,), ("g folded back (col2im)",))
FOLD = Primitive("fold", _fold, (_fold_vjp,), ("g unfolded (im2col)",))
