r"""Packed sequences, as ``torch.nn.utils.rnn``: ``PackedSequence``, ``pack_padded_sequence``,
``pad_packed_sequence``, ``pad_sequence``, ``unpad_sequence``, ``pack_sequence``,
``unpack_sequence`` and ``invert_permutation``.

A batch of sequences of different lengths, sorted longest first, is packed time step by time step:
step ``t`` holds the ``batch_sizes[t]`` sequences still running, so ``abc`` and ``x`` pack as
``axbc`` with ``batch_sizes = [2, 1, 1]``. :class:`~autograd.nn.RNN`, :class:`~autograd.nn.LSTM`
and :class:`~autograd.nn.GRU` take a :class:`PackedSequence` and run each sequence for its own
length only.

Packing and padding are each one gather (``Tensor[index]``, with a padding row put beside the data
by ``cat`` for padding), whose positions are worked out from the lengths in numpy; so gradients
flow from the packed or padded result back into the sequences, to every order, and
:func:`autograd.compile` traces them, with no rule of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from ..._tensor import Tensor, cat
from ...factories import full
from ...graph import guard
from ...ops.shape import sort_order
from ...value import Value
from ...value_array import ValueArray

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]

_UNSORTED = (
    "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
    "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement "
    "if you do not need ONNX exportability."
)


class _PackedSequenceFields(NamedTuple):
    """The four fields of a PackedSequence (torch's ``PackedSequence_``)."""

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_PackedSequenceFields):
    r"""A batch of sequences of different lengths, packed step by step
    (``torch.nn.utils.rnn.PackedSequence``), a named tuple ``(data, batch_sizes, sorted_indices,
    unsorted_indices)``.

    Made by :func:`pack_padded_sequence` or :func:`pack_sequence`, not by hand. ``data`` holds the
    first step of every sequence, then the second step of every sequence that has one, and so on,
    the sequences sorted longest first; ``batch_sizes[t]`` is how many sequences step ``t`` holds.

    Parameters
    ----------
    data : Tensor
        The packed steps, shape ``(sum of the lengths, *)``.
    batch_sizes : Tensor, optional
        int64, one count per step, never increasing. When None, ``data`` is the pair
        ``(data, batch_sizes)`` (torch's second form).
    sorted_indices : Tensor, optional
        int64: the position in the original batch of each sorted sequence (None: the batch was
        sorted already).
    unsorted_indices : Tensor, optional
        int64: the inverse permutation of ``sorted_indices`` (computed when None).

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.nn.utils.rnn import pack_sequence
    >>> packed = pack_sequence([ag.tensor([1, 2, 3]), ag.tensor([4, 5]), ag.tensor([6])])
    >>> packed.data, packed.batch_sizes
    (Tensor([1, 4, 6, 2, 5, 3], dtype=int64), Tensor([3, 2, 1], dtype=int64))
    """

    def __new__(
        cls,
        data: Any,
        batch_sizes: Tensor | None = None,
        sorted_indices: Tensor | None = None,
        unsorted_indices: Tensor | None = None,
    ) -> PackedSequence:
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise TypeError(
                    "PackedSequence: without batch_sizes, data must be the pair (data, batch_sizes), got "
                    f"{type(data).__name__}"
                )
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """``data.to(*args, **kwargs)`` in a PackedSequence of the same batch sizes and indices;
        ``self`` when ``data`` is unchanged (as torch).

        Parameters
        ----------
        *args, **kwargs
            As ``Tensor.to``: a dtype, the device ``"cpu"``, or both.
        """
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def _convert(self, method: str) -> PackedSequence:
        data = getattr(self.data, method)()
        if data is self.data:
            return self
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def cpu(self) -> PackedSequence:
        """``self``: the data is on the CPU already."""
        return self._convert("cpu")

    def cuda(self) -> PackedSequence:
        """Raises, as ``Tensor.cuda`` does here: only the CPU exists."""
        return self._convert("cuda")

    def double(self) -> PackedSequence:
        """The data as float64."""
        return self._convert("double")

    def float(self) -> PackedSequence:
        """The data as float32."""
        return self._convert("float")

    def long(self) -> PackedSequence:
        """The data as int64."""
        return self._convert("long")

    def half(self) -> PackedSequence:
        """Raises, as ``Tensor.half``: float16 does not exist here."""
        return self._convert("half")

    def int(self) -> PackedSequence:
        """Raises, as ``Tensor.int``: int32 does not exist here (use :meth:`long`)."""
        return self._convert("int")

    def short(self) -> PackedSequence:
        """Raises, as ``Tensor.short`` (use :meth:`long`)."""
        return self._convert("short")

    def char(self) -> PackedSequence:
        """Raises, as ``Tensor.char`` (use :meth:`long`)."""
        return self._convert("char")

    def byte(self) -> PackedSequence:
        """Raises, as ``Tensor.byte`` (use :meth:`long`)."""
        return self._convert("byte")

    def pin_memory(self) -> PackedSequence:
        """Raises, as ``Tensor.pin_memory``: there is no GPU to pin memory for."""
        return self._convert("pin_memory")

    @property
    def is_cuda(self) -> bool:
        """Whether the data is on a GPU; never here, where only the CPU exists."""
        return False

    def is_pinned(self) -> bool:
        """False: memory is never pinned here."""
        return False


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation (``torch.nn.utils.rnn.invert_permutation``): ``out[p[i]] = i``.

    Parameters
    ----------
    permutation : Tensor, optional
        A 1-d int64 Tensor holding each of 0 .. n-1 once; None gives None.

    Returns
    -------
    Tensor or None
        int64, of ``permutation``'s length.

    Raises
    ------
    ValueError
        If ``permutation`` is not 1-d or not a permutation of 0 .. n-1.
    """
    if permutation is None:
        return None
    p = _ints("invert_permutation", "permutation", permutation)
    if p.ndim != 1 or not np.array_equal(np.sort(p), np.arange(p.size)):
        raise ValueError(
            f"invert_permutation: permutation must be a 1-d permutation of 0 .. n-1, got {p.tolist()}"
        )
    out = np.empty_like(p)
    out[p] = np.arange(p.size)
    return _index_tensor(out)


def pack_padded_sequence(
    input: Tensor, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    r"""Pack a padded batch of sequences of different lengths
    (``torch.nn.utils.rnn.pack_padded_sequence``), the inverse of :func:`pad_packed_sequence`.

    Parameters
    ----------
    input : Tensor
        The padded batch, ``(T, B, *)`` (``batch_first``: ``(B, T, *)``), T at least the longest
        length; ``*`` is any number of dimensions.
    lengths : Tensor or list of int
        Each sequence's length, in the batch's order (a float is truncated, as torch's cast).
    batch_first : bool
        ``input`` is ``(B, T, *)`` (default False: ``(T, B, *)``).
    enforce_sorted : bool
        Require ``lengths`` in decreasing order (default True). False sorts the batch (stably:
        equal lengths keep their order) and records the order in ``sorted_indices``.

    Returns
    -------
    PackedSequence
        ``data`` of shape ``(sum(lengths), *)``, differentiable with respect to ``input``.

    Raises
    ------
    TypeError
        If ``input`` is not a Tensor, ``lengths`` not numbers, or a flag not a bool.
    IndexError
        If ``input`` has fewer than 2 dimensions.
    RuntimeError
        If ``input`` is empty, ``lengths`` is not 1-d, has not one length per sequence, holds a length
        of 0 or less or one above T, or is not decreasing with ``enforce_sorted``.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.nn.utils.rnn import pack_padded_sequence
    >>> seq = ag.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
    >>> packed = pack_padded_sequence(seq, [2, 1, 3], batch_first=True, enforce_sorted=False)
    >>> packed.data, packed.batch_sizes, packed.sorted_indices
    (Tensor([4, 1, 3, 5, 2, 6], dtype=int64), Tensor([3, 2, 1], dtype=int64), Tensor([2, 0, 1], dtype=int64))
    """
    where = "pack_padded_sequence"
    x = _tensor_arg(where, "input", input)
    batch_first = _flag(where, "batch_first", batch_first)
    enforce_sorted = _flag(where, "enforce_sorted", enforce_sorted)
    lengths = _ints(where, "lengths", lengths)
    if lengths.ndim != 1:
        raise RuntimeError(
            f"{where}: 'lengths' argument should be 1-d, one length per sequence, but got {lengths.ndim}-d "
            f"of shape {lengths.shape}"
        )
    if x.ndim < 2:
        raise IndexError(
            f"{where}: input must have at least 2 dimensions, "
            f"{'(B, T, *)' if batch_first else '(T, B, *)'}, got {x.ndim}-d of shape {_shape(x)}"
        )
    steps, batch = (int(x.shape[1]), int(x.shape[0])) if batch_first else (int(x.shape[0]), int(x.shape[1]))
    if x.data.size == 0:
        raise RuntimeError(f"{where}: Cannot pack empty tensors (input of shape {_shape(x)}).")
    if lengths.size != batch:
        raise RuntimeError(
            f"{where}: Expected `len(lengths)` to be equal to batch_size, but got {lengths.size} "
            f"(batch_size={batch}, input of shape {_shape(x)}{', batch_first' if batch_first else ''})"
        )
    order = np.arange(batch)
    sorted_indices = None
    if not enforce_sorted:
        order = sort_order(lengths, 0, descending=True)
        lengths = lengths[order]
        sorted_indices = _index_tensor(order)
    if lengths[-1] <= 0:
        raise RuntimeError(
            f"{where}: Length of all samples has to be greater than 0, but found an element in 'lengths' "
            f"that is <= 0: lengths {lengths.tolist()}"
        )
    if enforce_sorted and np.any(lengths[:-1] < lengths[1:]):
        raise RuntimeError(f"{where}: {_UNSORTED} Got lengths {lengths.tolist()}.")
    if lengths[0] > steps:
        raise RuntimeError(
            f"{where}: a length is larger than the input's {steps} steps: lengths {lengths.tolist()} "
            f"(input of shape {_shape(x)}{', batch_first' if batch_first else ''})"
        )
    batch_sizes = _batch_sizes(lengths)
    t = np.repeat(np.arange(batch_sizes.size), batch_sizes)
    b = np.concatenate([order[:n] for n in batch_sizes])
    data = x[b, t] if batch_first else x[t, b]
    return PackedSequence(data, _index_tensor(batch_sizes), sorted_indices, None)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    r"""Pad a packed batch back into one Tensor (``torch.nn.utils.rnn.pad_packed_sequence``), the
    inverse of :func:`pack_padded_sequence`, the sequences in their original order.

    Parameters
    ----------
    sequence : PackedSequence
        The packed batch.
    batch_first : bool
        Return ``(B, T, *)`` (default False: ``(T, B, *)``).
    padding_value : float
        The value after each sequence's end (default 0).
    total_length : int, optional
        Pad to this many steps, at least the longest length (default: the longest length).

    Returns
    -------
    tuple of Tensor
        The padded batch, differentiable with respect to ``sequence.data``, and the lengths (int64).

    Raises
    ------
    TypeError
        If ``sequence`` is not a PackedSequence, ``total_length`` not an int, or ``batch_first`` not a
        bool.
    ValueError
        If ``total_length`` is below the longest length, or ``sequence`` holds no step.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
    >>> seq = ag.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
    >>> packed = pack_padded_sequence(seq, [2, 1, 3], batch_first=True, enforce_sorted=False)
    >>> padded, lengths = pad_packed_sequence(packed, batch_first=True, padding_value=-1)
    >>> padded
    Tensor([[ 1,  2, -1],
            [ 3, -1, -1],
            [ 4,  5,  6]], dtype=int64)
    >>> lengths
    Tensor([2, 1, 3], dtype=int64)
    """
    where = "pad_packed_sequence"
    data, batch_sizes, unsorted = _packed(where, "sequence", sequence)
    batch_first = _flag(where, "batch_first", batch_first)
    steps = batch_sizes.size
    if total_length is not None:
        if isinstance(total_length, (bool, np.bool_)) or not isinstance(total_length, (int, np.integer)):
            raise TypeError(
                f"{where}: total_length must be an int or None, got {type(total_length).__name__} "
                f"{total_length!r}"
            )
        if total_length < steps:
            raise ValueError(
                f"{where}: Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being {steps}"
            )
        steps = int(total_length)
    batch = int(batch_sizes[0])
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(axis=1)  # (sorted order)
    perm = np.arange(batch) if unsorted is None else unsorted
    offsets = np.concatenate([[0], np.cumsum(batch_sizes)])
    t = np.arange(steps)[:, None]
    runs = t < lengths[perm][None, :]
    index = np.where(runs, offsets[np.minimum(t, batch_sizes.size - 1)] + perm[None, :], data.shape[0])
    pad = full((1, *_shape(data)[1:]), padding_value, dtype=data.dtype)
    padded = cat([data, pad], 0)[index.T if batch_first else index]
    return padded, _index_tensor(lengths[perm])


def pad_sequence(
    sequences: Any, batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"
) -> Tensor:
    r"""Stack sequences of different lengths into one Tensor, padded to the longest
    (``torch.nn.utils.rnn.pad_sequence``).

    Parameters
    ----------
    sequences : list of Tensor, or Tensor
        Each ``(L_i, *)``, the same ``*`` for all (a Tensor is read along its first dimension).
    batch_first : bool
        Return ``(B, T, *)`` (default False: ``(T, B, *)``), T the longest length.
    padding_value : float
        The value of the padded places (default 0).
    padding_side : {"right", "left"}
        Pad after each sequence (default) or before it.

    Returns
    -------
    Tensor
        The padded batch in the first sequence's dtype, differentiable with respect to every
        sequence.

    Raises
    ------
    RuntimeError
        If ``sequences`` is not iterable or empty, a sequence is 0-d or its trailing shape differs
        from the first's, or ``padding_side`` is neither "left" nor "right".
    TypeError
        If a sequence is not a Tensor, or ``batch_first`` is not a bool.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.nn.utils.rnn import pad_sequence
    >>> pad_sequence([ag.ones(25, 300), ag.ones(22, 300), ag.ones(15, 300)]).shape
    (25, 3, 300)
    >>> pad_sequence([ag.tensor([1, 2]), ag.tensor([3])], batch_first=True, padding_side="left")
    Tensor([[1, 2],
            [0, 3]], dtype=int64)
    """
    where = "pad_sequence"
    seqs = _sequences(where, sequences)
    batch_first = _flag(where, "batch_first", batch_first)
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            f"{where}: Expected padding_side to be one of left or right, but got {padding_side}."
        )
    first = seqs[0]
    lengths = np.array([int(s.shape[0]) for s in seqs], dtype=np.int64)
    steps = int(lengths.max())
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    t = np.arange(steps)[:, None]
    start = 0 if padding_side == "right" else steps - lengths[None, :]
    runs = (t >= start) & (t < start + lengths[None, :])
    index = np.where(runs, offsets[:-1][None, :] + t - start, offsets[-1])
    pad = full((1, *_shape(first)[1:]), padding_value, dtype=first.dtype)
    flat = cat([*(s if s.dtype == first.dtype else s.to(first.dtype) for s in seqs), pad], 0)
    return flat[index.T if batch_first else index]


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list[Tensor]:
    r"""Split a padded batch into its sequences (``torch.nn.utils.rnn.unpad_sequence``), the inverse
    of :func:`pad_sequence` (right padding).

    Parameters
    ----------
    padded_sequences : Tensor
        ``(T, B, *)`` (``batch_first``: ``(B, T, *)``).
    lengths : Tensor or list of int
        Each sequence's length (one above T takes all T steps, one of 0 or less none).
    batch_first : bool
        ``padded_sequences`` is ``(B, T, *)`` (default False). Unlike torch's, the input is not
        transposed in place.

    Returns
    -------
    list of Tensor
        Sequence ``b`` is its first ``lengths[b]`` steps, differentiable with respect to
        ``padded_sequences``.

    Raises
    ------
    TypeError
        If ``padded_sequences`` is not a Tensor, ``lengths`` not numbers, or ``batch_first`` not a bool.
    ValueError
        If ``lengths`` is not 1-d with one length per sequence, or the input has fewer than 2
        dimensions.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.nn.utils.rnn import pad_sequence, unpad_sequence
    >>> padded = pad_sequence([ag.tensor([1.0, 2.0]), ag.tensor([3.0])])
    >>> unpad_sequence(padded, ag.tensor([2, 1]))
    [Tensor([1., 2.], dtype=float64), Tensor([3.], dtype=float64)]
    """
    where = "unpad_sequence"
    x = _tensor_arg(where, "padded_sequences", padded_sequences)
    batch_first = _flag(where, "batch_first", batch_first)
    lengths = _ints(where, "lengths", lengths)
    if x.ndim < 2:
        raise ValueError(
            f"{where}: padded_sequences must have at least 2 dimensions, "
            f"{'(B, T, *)' if batch_first else '(T, B, *)'}, got {x.ndim}-d of shape {_shape(x)}"
        )
    batch = int(x.shape[0 if batch_first else 1])
    if lengths.ndim != 1 or lengths.size != batch:
        raise ValueError(
            f"{where}: lengths must hold one length per sequence ({batch}, padded_sequences of shape "
            f"{_shape(x)}{', batch_first' if batch_first else ''}), got shape {lengths.shape}"
        )
    ends = np.maximum(lengths, 0)
    return [x[b, : ends[b]] if batch_first else x[: ends[b], b] for b in range(batch)]


def pack_sequence(sequences: Any, enforce_sorted: bool = True) -> PackedSequence:
    r"""Pack a list of sequences of different lengths (``torch.nn.utils.rnn.pack_sequence``):
    :func:`pad_sequence`, then :func:`pack_padded_sequence`.

    Parameters
    ----------
    sequences : list of Tensor
        Each ``(L_i, *)``, the same ``*`` for all; longest first unless ``enforce_sorted`` is False.
    enforce_sorted : bool
        Require the sequences longest first (default True); False sorts them.

    Returns
    -------
    PackedSequence
        Differentiable with respect to every sequence.

    Raises
    ------
    RuntimeError, TypeError
        As :func:`pad_sequence` and :func:`pack_padded_sequence`.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.nn.utils.rnn import pack_sequence
    >>> pack_sequence([ag.tensor([1, 2]), ag.tensor([3, 4, 5])], enforce_sorted=False).data
    Tensor([3, 1, 4, 2, 5], dtype=int64)
    """
    seqs = _sequences("pack_sequence", sequences)
    lengths = [int(s.shape[0]) for s in seqs]
    return pack_padded_sequence(pad_sequence(seqs), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    r"""The sequences of a packed batch, in their original order
    (``torch.nn.utils.rnn.unpack_sequence``).

    Parameters
    ----------
    packed_sequences : PackedSequence
        The packed batch.

    Returns
    -------
    list of Tensor
        Each ``(L_i, *)``, differentiable with respect to ``packed_sequences.data``.

    Raises
    ------
    TypeError
        If ``packed_sequences`` is not a PackedSequence.

    Examples
    --------
    >>> import autograd as ag
    >>> from autograd.nn.utils.rnn import pack_sequence, unpack_sequence
    >>> unpack_sequence(pack_sequence([ag.tensor([1, 2, 3]), ag.tensor([4, 5]), ag.tensor([6])]))
    [Tensor([1, 2, 3], dtype=int64), Tensor([4, 5], dtype=int64), Tensor([6], dtype=int64)]
    """
    _packed("unpack_sequence", "packed_sequences", packed_sequences)
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)


# -- helpers


def _index_tensor(a: np.ndarray) -> Tensor:
    """An int64 Tensor of positions or counts (no gradient)."""
    return Tensor(np.asarray(a, dtype=np.int64), dtype=np.int64)


def _shape(t: Tensor) -> tuple[int, ...]:
    return tuple(int(n) for n in t.shape)


def _batch_sizes(lengths: np.ndarray) -> np.ndarray:
    """How many of the (sorted, positive) ``lengths`` run at each step."""
    return (lengths[None, :] > np.arange(int(lengths.max()))[:, None]).sum(axis=1).astype(np.int64)


def _flag(where: str, name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{where}: {name} must be a bool, got {type(value).__name__} {value!r}")
    return bool(value)


def _tensor_arg(where: str, name: str, x: Any) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{where}: {name} must be a Tensor, got {type(x).__name__}")
    return x


def _ints(where: str, name: str, values: Any) -> np.ndarray:
    """``values`` (a Tensor, array or list of numbers) as int64, floats truncated as torch's cast."""
    if isinstance(values, (Value, ValueArray)):
        raise TypeError(f"{where}: {name} must be a Tensor or a list of ints, got a {type(values).__name__}")
    a = values.data if isinstance(values, Tensor) else np.asarray(values)
    if a.dtype == object or not (np.issubdtype(a.dtype, np.number) or a.dtype == bool):
        raise TypeError(f"{where}: {name} must be a Tensor or a list of ints, got {values!r}")
    if isinstance(values, Tensor):  # (shapes follow these numbers: a compiled step traces again for new ones)
        traced = a.copy()
        guard(lambda v: v.shape == traced.shape and bool(np.array_equal(v, traced)), a,
              what=f"{where}: {name} as traced (the shapes follow them)")  # fmt: skip
    return a.astype(np.int64)


def _packed(where: str, name: str, sequence: Any) -> tuple[Tensor, np.ndarray, np.ndarray | None]:
    """A PackedSequence's data, batch sizes and unsorted indices (numpy), checked."""
    if not isinstance(sequence, _PackedSequenceFields):
        raise TypeError(f"{where}: {name} must be a PackedSequence, got {type(sequence).__name__}")
    data = _tensor_arg(where, f"{name}.data", sequence.data)
    batch_sizes = _ints(where, f"{name}.batch_sizes", sequence.batch_sizes)
    if batch_sizes.ndim != 1 or batch_sizes.size == 0 or data.ndim == 0:
        raise ValueError(
            f"{where}: {name} holds no step: batch_sizes {batch_sizes.tolist()}, data of shape {_shape(data)}"
        )
    if int(batch_sizes.sum()) != int(data.shape[0]) or np.any(batch_sizes[1:] > batch_sizes[:-1]):
        raise ValueError(
            f"{where}: {name}.batch_sizes {batch_sizes.tolist()} must never increase and add up to "
            f"data's first dimension ({int(data.shape[0])})"
        )
    unsorted = sequence.unsorted_indices
    return data, batch_sizes, None if unsorted is None else _ints(where, f"{name}.unsorted_indices", unsorted)


def _sequences(where: str, sequences: Any) -> list[Tensor]:
    """``sequences`` as a non-empty list of Tensors of one trailing shape, checked."""
    if isinstance(sequences, Tensor):
        seqs = [sequences[i] for i in range(int(sequences.shape[0]))] if sequences.ndim else None
    elif isinstance(sequences, Iterable) and not isinstance(sequences, (str, bytes)):
        seqs = list(sequences)
    else:
        seqs = None
    if seqs is None:
        raise RuntimeError(
            f"{where}: Expected iterable for input sequences, but got arg of type: {type(sequences).__name__}"
        )
    if not seqs:
        raise RuntimeError(f"{where}: received an empty list of sequences")
    for i, s in enumerate(seqs):
        if not isinstance(s, Tensor):
            raise TypeError(f"{where}: sequences[{i}] must be a Tensor, got {type(s).__name__}")
        if s.ndim == 0:
            raise RuntimeError(
                f"{where}: sequences[{i}] is 0-d; each sequence needs a first (time) dimension"
            )
        if _shape(s)[1:] != _shape(seqs[0])[1:]:
            raise RuntimeError(
                f"{where}: every sequence must have the first's trailing shape {_shape(seqs[0])[1:]}, "
                f"but sequences[{i}] has shape {_shape(s)}"
            )
    return seqs
