"""``torch.nn.functional.embedding_bag``: the sums, means or maxima of bags of embedding rows,
composed from :func:`~autograd.nn.functional.embedding` (the rows, ``max_norm``), a constant
bag matrix (sum, mean) and a max over a padded gather (max), so the gradients follow."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._tensor import Tensor, cat
from ...graph import guard
from .layers import _padding_idx, embedding

_MODES = ("sum", "mean", "max")


def _ints(op: str, name: str, x: Any) -> np.ndarray:
    """``x`` as an index array; a Tensor's is guarded: a compiled step traces again when it changes
    (the bags are built from its values)."""
    a = np.asarray(x.data if isinstance(x, Tensor) else x)
    if a.dtype.kind not in "iu" and a.size:
        raise TypeError(f"{op}: {name} must hold integers, got dtype {a.dtype}")
    if isinstance(x, Tensor):
        seen = a.copy()
        same = lambda now: now.shape == seen.shape and bool(np.all(now == seen))  # noqa: E731
        guard(same, x.data, what=f"{op}: the same {name}")
    return a.astype(np.intp)


def _bags(flat_size: int, offsets: np.ndarray, include_last_offset: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each bag's start and end in the flat input, from ``offsets`` (torch's checks)."""
    if offsets.ndim != 1:
        raise ValueError(f"embedding_bag: offsets must be 1-d, got shape {offsets.shape}")
    if offsets.size and offsets[0] != 0:
        raise RuntimeError(f"embedding_bag: offsets[0] must be 0 (the first bag's start), got {offsets[0]}")
    if np.any(np.diff(offsets) < 0) or (offsets.size and offsets[-1] > flat_size):
        raise RuntimeError(
            f"embedding_bag: offsets must be non-decreasing and at most the input's length {flat_size}, "
            f"got {offsets.tolist()}"
        )
    if include_last_offset:
        return offsets[:-1], offsets[1:]
    return offsets, np.append(offsets[1:], flat_size).astype(np.intp)


def embedding_bag(
    input: Any,
    weight: Any,
    offsets: Any = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Any = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    r"""The sum, mean or maximum of each bag of rows of ``weight`` (``torch.nn.functional.embedding_bag``).

    The bags are the rows of a 2-d ``input``, or the slices of a 1-d ``input`` that ``offsets``
    starts. Indices equal to ``padding_idx`` are left out (of the mean's count too); an empty bag
    gives zeros. ``per_sample_weights`` (mode "sum") multiplies each row first. In mode "max" the
    gradient goes to the largest element of each column (split between exact ties; torch's picks one).

    Parameters
    ----------
    input : Tensor or array_like of int
        ``(B, N)`` (B bags of N indices) or ``(M,)`` with ``offsets``.
    weight : Tensor
        The table, ``(num_embeddings, embedding_dim)``.
    offsets : Tensor or array_like of int, optional
        With a 1-d input: where each bag starts (the first 0, non-decreasing).
    max_norm, norm_type : float, optional
        As :func:`~autograd.nn.functional.embedding`'s: the rows taken are renormed in place.
    scale_grad_by_freq, sparse : bool
        Only False.
    mode : {"sum", "mean", "max"}
        The reduction of each bag (default "mean").
    per_sample_weights : Tensor or array_like, optional
        One weight per index, of the input's shape (mode "sum" only).
    include_last_offset : bool
        ``offsets`` has one more element, the end of the last bag (torch's CSR form).
    padding_idx : int, optional
        An index left out of every bag.

    Returns
    -------
    Tensor
        ``(B, embedding_dim)``.

    Raises
    ------
    ValueError
        If ``mode`` is unknown, ``input`` is not 1- or 2-d, a 2-d input has offsets or a 1-d one
        none, or ``per_sample_weights`` is not of the input's shape.
    RuntimeError
        If the offsets do not start at 0, decrease or pass the input's end, or an index is outside the table.
    NotImplementedError
        If ``per_sample_weights`` comes with a mode other than "sum", or ``scale_grad_by_freq`` or
        ``sparse`` is True.
    """
    op = "embedding_bag"
    if mode not in _MODES:
        raise ValueError(f"{op}: mode must be one of {_MODES}, got {mode!r}")
    for name, flag in (("scale_grad_by_freq", scale_grad_by_freq), ("sparse", sparse)):
        if flag:
            raise NotImplementedError(f"{op}: {name}=True is not supported; pass {name}=False")
    w = weight if isinstance(weight, Tensor) else Tensor(weight)
    idx = _ints(op, "input", input)
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError(f"{op}: a 2-d input is a batch of bags: offsets must be None, got {offsets!r}")
        starts = np.arange(idx.shape[0], dtype=np.intp) * idx.shape[1]
        ends = starts + idx.shape[1]
    elif idx.ndim == 1:
        if offsets is None:
            raise ValueError(f"{op}: a 1-d input needs offsets (where each bag starts), got None")
        starts, ends = _bags(idx.size, _ints(op, "offsets", offsets), include_last_offset)
    else:
        raise ValueError(f"{op}: input must be 1-d (with offsets) or 2-d, got shape {idx.shape}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"{op}: per_sample_weights needs mode='sum', got mode={mode!r}")
    flat = idx.reshape(-1)
    rows = embedding(flat, w, max_norm=max_norm, norm_type=norm_type)  # (M, D), the index checks
    pad = _padding_idx(op, padding_idx, w.shape[0])
    keep = flat != pad if pad is not None else np.ones(flat.shape, bool)
    bag_of = np.repeat(np.arange(starts.size), ends - starts)  # the bag of each position, in order
    taken = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends)] or [np.zeros(0, np.intp)])
    dtype = rows.data.dtype
    kept = keep[taken]
    if mode == "max":  # each bag's rows gathered, padded with -inf rows; an empty bag gives 0
        position = taken - np.repeat(starts, ends - starts)
        index = np.full((starts.size, max(int((ends - starts).max(initial=0)), 1)), flat.size, np.intp)
        index[bag_of[kept], position[kept]] = taken[kept]
        floor = Tensor(np.full((1, rows.shape[1]), -np.inf, dtype))
        filled = np.bincount(bag_of[kept], minlength=starts.size)[:, None] > 0
        return cat([rows, floor])[index].max(1).where(filled, np.zeros((), dtype))
    matrix = np.zeros((starts.size, flat.size), dtype)
    matrix[bag_of[kept], taken[kept]] = 1.0
    if mode == "mean":
        matrix /= np.maximum(matrix.sum(1, keepdims=True), 1)
    if per_sample_weights is not None:
        psw = per_sample_weights if isinstance(per_sample_weights, Tensor) else Tensor(per_sample_weights)
        if tuple(psw.shape) != idx.shape:
            raise ValueError(
                f"{op}: per_sample_weights must be of the input's shape {idx.shape}, got {tuple(psw.shape)}"
            )
        rows = rows * psw.reshape((-1, 1))
    return Tensor(matrix) @ rows
