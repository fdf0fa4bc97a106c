"""How a DataLoader turns a list of samples into a batch: ``default_collate`` (with a
``batch_size``) and ``default_convert`` (``batch_size=None``), torch's rules and dtypes.

``default_collate`` stacks Tensors along a new first dimension; numpy arrays and numpy scalars
become Tensors of their dtype, stacked; Python floats a float64 Tensor (torch's choice, whatever
the default dtype), ints an int64 one, bools a bool one; strings and bytes stay a list; dicts,
named tuples, tuples and lists are collated field by field (a tuple of fields gives a list, as in
torch: ``TensorDataset`` samples come out as ``[x_batch, y_batch]``).
"""

from __future__ import annotations

import collections.abc
import copy
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ... import _tensor
from ...factories import from_numpy, tensor

#: numpy dtypes of strings and objects, which do not become Tensors (torch's pattern)
_STRINGS_OR_OBJECTS = re.compile(r"[SaUO]")
_ERROR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def _same_shapes(shapes: list[tuple[int, ...]], what: str) -> None:
    for i, shape in enumerate(shapes):
        if shape != shapes[0]:
            raise RuntimeError(
                f"default_collate: stack expects each {what} to be equal size, but got {list(shapes[0])} at "
                f"entry 0 and {list(shape)} at entry {i}; give the samples one shape (or a collate_fn "
                "that pads them)"
            )


def _collate_tensors(batch: list[Any]) -> Any:
    _same_shapes([t.shape for t in batch], "tensor")
    if any(t.requires_grad for t in batch):
        return _tensor.stack(batch, 0)  # a graph node, as torch.stack makes
    return from_numpy(np.stack([t.data for t in batch]))  # one copy, into the batch


def _collate_arrays(batch: list[Any]) -> Any:
    if _STRINGS_OR_OBJECTS.search(batch[0].dtype.str) is not None:
        raise TypeError(_ERROR.format(batch[0].dtype))
    _same_shapes([a.shape for a in batch], "array")
    return from_numpy(np.stack(batch))


def _collate_numpy_scalars(batch: list[Any]) -> Any:
    return from_numpy(np.array(batch))


def _collate_floats(batch: list[Any]) -> Any:
    return tensor(batch, dtype=np.float64)


def _collate_ints(batch: list[Any]) -> Any:
    return tensor(batch)


def _collate_strings(batch: list[Any]) -> Any:
    return batch


#: element type -> how a batch of them is collated; looked up by exact type, then by isinstance
#: in this order (torch's ``default_collate_fn_map``: bool is an int, numpy's float64 a float)
_BY_TYPE: dict[Any, Callable[[list[Any]], Any]] = {
    _tensor.Tensor: _collate_tensors,
    np.ndarray: _collate_arrays,
    (np.bool_, np.number, np.object_): _collate_numpy_scalars,
    float: _collate_floats,
    int: _collate_ints,
    str: _collate_strings,
    bytes: _collate_strings,
}


def default_collate(batch: Any) -> Any:
    """A list of samples as one batch (``torch.utils.data.default_collate``): what a DataLoader
    with a ``batch_size`` does with the samples it fetched.

    ====================================  ==================================================
    each sample                           the batch
    ====================================  ==================================================
    Tensor of shape ``s``                 Tensor of shape ``(len(batch), *s)``, same dtype
    numpy array, numpy scalar             Tensor of their dtype, stacked
    float                                 float64 Tensor (torch's dtype for Python floats)
    int / bool                            int64 / bool Tensor
    str, bytes                            the list, unchanged
    dict                                  a dict of the collated values of each key
    named tuple                           the named tuple of the collated fields
    tuple, list                           a list of the collated fields (each sample the
                                          same length)
    ====================================  ==================================================

    A Tensor that does not require grad is stacked with a single copy (into the batch); if one
    requires grad, the batch is ``autograd.stack`` of them, part of the graph.

    Parameters
    ----------
    batch : list
        The samples (at least one).

    Returns
    -------
    Any
        The batch, with the samples' structure.

    Raises
    ------
    RuntimeError
        If Tensors or arrays differ in shape, or sequences in length (torch's errors).
    TypeError
        If an element is of another type, or an array holds strings or objects.
    IndexError
        If ``batch`` is empty.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd.utils.data import default_collate
    >>> x, y = default_collate([(np.zeros(2), 1), (np.ones(2), 0)])
    >>> x.shape, x.dtype, y
    ((2, 2), dtype('float64'), Tensor([1, 0], dtype=int64))
    >>> default_collate([{"x": 0.5, "name": "a"}, {"x": 1.5, "name": "b"}])
    {'x': Tensor([0.5, 1.5], dtype=float64), 'name': ['a', 'b']}
    """
    if not len(batch):
        raise IndexError("default_collate: the batch is empty: expected a list of one or more samples")
    elem = batch[0]
    elem_type = type(elem)
    rule = _BY_TYPE.get(elem_type)
    if rule is None:
        rule = next((f for t, f in _BY_TYPE.items() if isinstance(elem, t)), None)
    if rule is not None:
        return rule(batch)
    if isinstance(elem, collections.abc.Mapping):
        values = {key: default_collate([d[key] for d in batch]) for key in elem}
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update(values)
                return clone
            return elem_type(values)  # type: ignore[call-arg]
        except TypeError:
            return values
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a named tuple
        return elem_type(*(default_collate(samples) for samples in zip(*batch, strict=True)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        for i, sample in enumerate(batch):
            if len(sample) != size:
                raise RuntimeError(
                    f"default_collate: each element in list of batch should be of equal size: sample 0 has "
                    f"{size} fields, sample {i} has {len(sample)}"
                )
        fields = [default_collate(samples) for samples in zip(*batch, strict=True)]
        if isinstance(elem, tuple):
            return fields  # a list, as torch (backwards compatibility)
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, field in enumerate(fields):
                    clone[i] = field
                return clone
            return elem_type(fields)  # type: ignore[call-arg]
        except TypeError:
            return fields
    raise TypeError(_ERROR.format(elem_type))


def default_convert(data: Any) -> Any:
    """One sample with its numpy arrays turned into Tensors (``torch.utils.data.default_convert``):
    what a DataLoader with ``batch_size=None`` does with each sample.

    A Tensor is returned as it is (not copied); a numpy array or scalar becomes a Tensor sharing its
    memory (strings and objects stay arrays); dicts, named tuples, lists and tuples are converted
    element by element (a tuple gives a list, as in torch); anything else, numbers included, is
    returned unchanged.

    Parameters
    ----------
    data : Any
        One sample.

    Returns
    -------
    Any
        The sample, converted.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd.utils.data import default_convert
    >>> default_convert((np.array([0, 1]), 2))
    [Tensor([0, 1], dtype=int64), 2]
    """
    if isinstance(data, _tensor.Tensor):
        return data
    data_type = type(data)
    if data_type.__module__ == "numpy" and not isinstance(data, (np.str_, np.bytes_)):
        if isinstance(data, np.ndarray) and _STRINGS_OR_OBJECTS.search(data.dtype.str) is not None:
            return data
        return from_numpy(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        values = {key: default_convert(data[key]) for key in data}
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update(values)
                return clone
            return data_type(values)  # type: ignore[call-arg]
        except TypeError:
            return values
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return data_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        converted = [default_convert(d) for d in data]
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(converted):
                    clone[i] = d
                return clone
            return data_type(converted)  # type: ignore[call-arg]
        except TypeError:
            return converted
    return data


__all__ = ["default_collate", "default_convert"]
