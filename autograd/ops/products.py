"""Products of arrays: matmul and einsum."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from .primitive import PerInput, Primitive


def _insert(ns: Any, x: Any, axis: int) -> Any:
    """``x`` with a length-1 axis inserted at ``axis`` (negative: counted from the end)."""
    shape = list(x.shape)
    shape.insert(axis if axis >= 0 else len(shape) + 1 + axis, 1)
    return ns.reshape(x, tuple(shape))


def _drop(ns: Any, x: Any, axis: int) -> Any:
    """``x`` without its length-1 axis ``axis``."""
    shape = list(x.shape)
    del shape[axis]
    return ns.reshape(x, tuple(shape))


# numpy's rules for 1-D operands: a 1 axis is prepended/appended, then dropped
def _matmul_da(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if b.ndim == 1:
        return g * b if a.ndim == 1 else _insert(ns, g, -1) * b
    if a.ndim == 1:
        return _drop(ns, _insert(ns, g, -2) @ ns.mT(b), -2)
    return g @ ns.mT(b)


def _matmul_db(ns: Any, g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1:
        return g * a if b.ndim == 1 else _insert(ns, a, -1) * _insert(ns, g, -2)
    if b.ndim == 1:
        return _drop(ns, ns.mT(a) @ _insert(ns, g, -1), -1)
    if b.ndim == 2 and a.ndim > 2:
        # (a stack times one matrix, a linear layer on a batch of sequences: its rows folded into
        # one product, as torch's matmul folds them, not a product per item summed after)
        rows = math.prod(a.shape[:-1])  # (not -1: a stack of no rows has no rows to infer)
        a, g = ns.reshape(a, (rows, a.shape[-1])), ns.reshape(g, (rows, g.shape[-1]))
    if ns.column_major(b):
        # (torch's mm_mat2_backward: a transposed matrix, a linear layer's ``x @ W.T``, gets its
        # gradient in its own layout, ``(gᵀ @ a)ᵀ``: W's gradient ``gᵀ @ x`` is one product in W's
        # layout, which an SGD step can add into W directly: autograd/_gemm.py)
        return ns.mT(ns.mT(g) @ a)
    return ns.mT(a) @ g


_matmul_db.saves = (0,)  # type: ignore[attr-defined]  # (b's layout is asked, not its numbers: torch's mat2 sizes and strides)
MATMUL = Primitive("@", np.matmul, (_matmul_da, _matmul_db), ("g @ bᵀ", "aᵀ @ g"))


# ---------------------------------------------------------------------------- einsum
#: the index letters of einsum subscripts (NumPy's and PyTorch's)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # (string's ascii letters: not importing it)


@functools.lru_cache(maxsize=512)
def gradient_subscripts(
    subscripts: str, i: int, shape: tuple[int, ...]
) -> tuple[str, tuple[tuple[str, int], ...]]:
    """The einsum that gives operand ``i``'s gradient, for explicit ``subscripts`` of letters only.

    Its operands are g (indexed by the output), the other operands and constants: an identity
    matrix ``("eye", n)`` linking each repeat of an index within operand ``i`` to a fresh letter
    (the gradient of a diagonal lies on the diagonal), and ``("ones", n)`` for an index that only
    operand ``i`` has (it was summed away: the gradient is the same along it). The result is
    indexed as operand ``i`` (``shape``: its shape, for the constants' lengths).
    """
    inputs, out = subscripts.split("->")
    terms = inputs.split(",")
    others = [t for j, t in enumerate(terms) if j != i]
    known = set(out).union(*others)
    fresh = iter(c for c in LETTERS if c not in subscripts)
    result: list[str] = []
    constants: list[tuple[str, str, int]] = []
    first: dict[str, int] = {}
    for axis, c in enumerate(terms[i]):
        if c in first:
            result.append(next(fresh))
            constants.append(("eye", c + result[-1], shape[axis]))
        else:
            first[c] = axis
            result.append(c)
    linked = {c for _, sub, _ in constants for c in sub}
    constants += [("ones", c, shape[axis]) for c, axis in first.items() if c not in known | linked]
    spec = ",".join([out, *others, *(sub for _, sub, _ in constants)]) + "->" + "".join(result)
    return spec, tuple((kind, n) for kind, _, n in constants)


def _einsum(*operands: Any, subscripts: str) -> Any:
    """NumPy's einsum; contracted pairwise through BLAS (``optimize``) for more than two operands
    or large ones, where its path search (~10 µs) pays (5x at 128×128 matmul shapes)."""
    large = len(operands) > 2 or max(np.size(x) for x in operands) > 1024
    return np.einsum(subscripts, *operands, optimize="greedy" if large else False)


def _einsum_vjp(i: int) -> Any:
    def vjp(ns: Any, g: Any, out: Any, *operands: Any, subscripts: str) -> Any:
        """An einsum of g with the other operands, indexed as operand i."""
        spec, constants = gradient_subscripts(subscripts, i, operands[i].shape)
        made = [np.eye(n, dtype=g.dtype) if kind == "eye" else np.ones(n, g.dtype) for kind, n in constants]
        rest = [x for j, x in enumerate(operands) if j != i]
        grad = ns.apply(EINSUM, g, *rest, *made, subscripts=spec)
        shape = operands[i].shape
        if any(n != 1 and m == 1 for n, m in zip(shape, grad.shape)):
            # an axis of operand i that the others broadcast (theirs has length 1): the gradient is
            # the same all along it (the engine sums, in turn, an axis where operand i has length 1)
            grad = grad * np.ones(shape, g.dtype)
        return grad

    return vjp


#: ``np.einsum(subscripts, *operands)`` for explicit subscripts of letters only (the functions
#: ``autograd.einsum`` and ``np.einsum`` bring any spelling to that form); each operand's
#: gradient is again an einsum (:func:`gradient_subscripts`)
EINSUM = Primitive("einsum", _einsum, PerInput(_einsum_vjp), ("einsum of g and the other operands",))
