"""``autograd.save`` and ``autograd.load``: ``torch.save`` / ``torch.load`` for what one saves while
learning (state dicts of modules, optimizers and schedulers, Tensors, and dicts of those), without
pickle.

The file is an ``.npz`` (a zip of ``.npy`` arrays, readable with ``np.load``): member ``__meta__``
holds a JSON description of the object, and each Tensor or array is a member ``0``, ``1``, ... The
JSON is a tree in which every object is one tagged node, so nothing a user stores can be mistaken
for a tag::

    {"dict": [key, value, key, value]}     a dict; "odict" for an OrderedDict (order kept)
    {"tuple": [...]}                       a tuple (a JSON list is a list)
    {"tensor": i, "requires_grad": b}      a Tensor (a leaf); "parameter" for an nn.Parameter
    {"ndarray": i}  {"scalar": i}          a numpy array; a numpy scalar (a 0-d member)
    {"float": "nan"}                       nan, inf and -inf (JSON has no spelling for them)

Keys keep their type (``state[0]`` of an optimizer stays an int). Loading trusts nothing: the zip
directory and every ``.npy`` header are checked before any data is read (``_archive.py``), every
node is checked, and nothing is executed, so ``weights_only`` has nothing to switch off.

Neither library reads the other's files: PyTorch's ``.pth`` is a pickle. To bring torch weights
here, save ``{k: v.numpy() for k, v in torch.load(p).items()}`` with ``np.savez`` or load that dict
straight into ``model.load_state_dict``; the other way, ``torch.from_numpy(v.numpy())`` each
loaded Tensor (``v`` itself for an array saved as one).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections import OrderedDict
from typing import IO, Any

import numpy as np

from ._archive import MAX_DEPTH, MAX_INT_DIGITS, MAX_META_CHARS, Archive, check_depth
from ._atomic import write_atomically
from ._tensor import Tensor
from .factories import from_numpy

_FORMAT, _VERSION = "gradscope-save", 1
_META = "__meta__"
_KINDS = "biufc"  # bool, int, uint, float, complex: the array dtypes that are stored
_DEVICE = re.compile(r"cpu(:0)?")
_NOT_A_FILE = "f: expected a path (str or os.PathLike) or a binary file object, got {}"
_TOO_DEEP = f"obj: nested too deeply (more than {MAX_DEPTH} levels of JSON in the file)"
_CONVERT = "{k: v.numpy() for k, v in torch.load(p).items()}"

__all__ = ["save", "load"]


# ---------------------------------------------------------------------------- saving


def _encode(obj: Any, where: str, arrays: list[np.ndarray], key: bool = False) -> Any:
    """The JSON node for ``obj``; its arrays are appended to ``arrays``. ``key``: a dict key (no
    arrays, no containers but tuples)."""
    from .nn import Parameter

    if obj is None or isinstance(obj, bool):
        return obj
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, (Tensor, np.ndarray, np.generic)) and not key:
        data = obj.data if isinstance(obj, Tensor) else np.asarray(obj)
        if data.dtype.kind not in _KINDS or data.dtype.fields is not None:
            raise TypeError(f"{where}: expected numbers (bool, int, float, complex), got dtype {data.dtype}")
        arrays.append(np.asarray(data, order="C"))  # (ascontiguousarray would make 0-d 1-d)
        i = len(arrays) - 1
        if isinstance(obj, Tensor):
            tag = "parameter" if isinstance(obj, Parameter) else "tensor"
            return {tag: i, "requires_grad": bool(obj.requires_grad)}
        return {"ndarray" if isinstance(obj, np.ndarray) else "scalar": i}
    if isinstance(obj, int):
        if len(str(abs(obj))) > MAX_INT_DIGITS:
            raise ValueError(f"{where}: expected an integer of at most {MAX_INT_DIGITS} digits, got {obj}")
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"float": repr(obj)}
    if isinstance(obj, tuple):
        return {"tuple": [_encode(v, f"{where}[{i}]", arrays, key) for i, v in enumerate(obj)]}
    if not key:
        if isinstance(obj, list):
            return [_encode(v, f"{where}[{i}]", arrays) for i, v in enumerate(obj)]
        if isinstance(obj, dict):
            items = []
            for k, v in obj.items():
                items.append(_encode(k, f"{where} key {k!r}", arrays, key=True))
                items.append(_encode(v, f"{where}[{k!r}]", arrays))
            return {"odict" if isinstance(obj, OrderedDict) else "dict": items}
    found = f"{type(obj).__module__}.{type(obj).__qualname__}"
    expected = (
        "None, bool, int, float, str or a tuple of those"
        if key
        else "a Tensor, a numpy array or scalar, None, bool, int, float, str, or a list, tuple or dict "
        "of those"
    )
    hint = " (save its state_dict() instead)" if callable(getattr(obj, "state_dict", None)) else ""
    raise TypeError(f"{where}: expected {expected}; got {found}{hint}")


def save(obj: Any, f: str | os.PathLike[str] | IO[bytes]) -> None:
    """Save ``obj`` to a file, as ``torch.save``: a state dict, a Tensor, or a dict of those.

    Stored as an ``.npz`` (a zip of ``.npy`` arrays plus a JSON description, no pickle) that
    :func:`load` reads back with the same types: Tensors (with ``requires_grad``; a
    ``nn.Parameter`` stays one), numpy arrays and scalars (dtypes kept), dicts and ``OrderedDict``
    (order and key types kept), lists, tuples, and None, bool, int, float (nan, inf too), str.
    PyTorch cannot read this file, nor this library a ``.pth`` file (see :func:`load`). One
    object saved at two places loads as two equal copies (torch's pickle keeps one, shared).

    Parameters
    ----------
    obj : object
        What to save: ``model.state_dict()``, ``optimizer.state_dict()``, a Tensor, or nested
        dicts, lists and tuples of those (``{"epoch": 3, "model": ..., "optimizer": ...}``).
    f : str, os.PathLike or typing.BinaryIO
        The file, written as named (no suffix is added), or an object with ``write``. A path is
        replaced atomically: a crash leaves the old file or the new one, complete.

    Raises
    ------
    TypeError
        If ``obj`` holds something else (a function, a module, an object of your own class),
        naming where: ``obj['model']['fc.weight']: expected ...; got builtins.function``.
    ValueError
        If ``obj`` is what :func:`load` would refuse: nested more than about 15 containers deep
        (or containing itself), an int of more than 20 digits, over 4 Mi characters of JSON.
    OSError
        If the path cannot be written (a read-only file, a missing folder), naming it; a file
        already there is then unchanged.

    Examples
    --------
    >>> import autograd as torch
    >>> import io
    >>> buffer = io.BytesIO()
    >>> torch.save({"epoch": 3, "w": torch.tensor([1.0, 2.0])}, buffer)
    >>> _ = buffer.seek(0)
    >>> torch.load(buffer)
    {'epoch': 3, 'w': Tensor([1., 2.], dtype=float64)}
    """
    arrays: list[np.ndarray] = []
    try:
        tree = _encode(obj, "obj", arrays)
    except RecursionError:
        raise ValueError(_TOO_DEEP + " or contains itself") from None
    text = json.dumps({"format": _FORMAT, "version": _VERSION, "obj": tree}, allow_nan=False)
    if len(text) > MAX_META_CHARS:
        raise ValueError(f"obj: its description has {len(text)} JSON characters; at most {MAX_META_CHARS}")
    try:
        check_depth(text)  # what load would refuse
    except ValueError:
        raise ValueError(_TOO_DEEP) from None
    members = {str(i): a for i, a in enumerate(arrays)}
    members[_META] = np.array(text)

    def write(stream: IO[bytes]) -> None:
        np.savez(stream, **members)

    if isinstance(f, (str, os.PathLike)):
        write_atomically(os.fspath(f), write)
    elif callable(getattr(f, "write", None)):
        write(f)  # type: ignore[arg-type]
    else:
        raise TypeError(_NOT_A_FILE.format(type(f).__name__))


# ---------------------------------------------------------------------------- loading


def _torch_file(start: bytes) -> bool:
    """Whether a file beginning with ``start`` is PyTorch's (a zip whose first member is
    ``<name>/data.pkl``, or a legacy pickle)."""
    if start[:1] == b"\x80":  # the pickle protocol opcode
        return True
    if start[:4] != b"PK\x03\x04" or len(start) < 30:
        return False
    n = int.from_bytes(start[26:28], "little")
    return start[30 : 30 + n].endswith(b"data.pkl")


class _Decoder:
    """Rebuild the object from the JSON tree, checking every node; each member is used once."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.used: set[str] = set()

    def array(self, index: Any, where: str) -> np.ndarray:
        name = str(index)
        if type(index) is not int or name not in self.archive.members or name in self.used:
            raise ValueError(f"{where}: expected the number of an unused array member, got {index!r}")
        self.used.add(name)
        return self.archive.read(name, _KINDS, None)

    def node(self, node: Any, where: str, key: bool = False) -> Any:
        from .nn import Parameter

        if node is None or isinstance(node, (bool, int, str)):
            return node
        if isinstance(node, float):
            if math.isfinite(node):
                return node
        elif isinstance(node, list) and not key:
            return [self.node(v, f"{where}[{i}]") for i, v in enumerate(node)]
        elif isinstance(node, dict) and len(node) in (1, 2):
            tag, value = next(iter(node.items()))
            if len(node) == 1 and tag == "float" and value in ("nan", "inf", "-inf"):
                return float(value)
            if len(node) == 1 and tag == "tuple" and isinstance(value, list):
                return tuple(self.node(v, f"{where}[{i}]", key) for i, v in enumerate(value))
            if len(node) == 1 and tag in ("dict", "odict") and isinstance(value, list) and not key:
                return self.mapping(value, where, OrderedDict if tag == "odict" else dict)
            if len(node) == 1 and tag in ("ndarray", "scalar") and not key:
                data = self.array(value, where)
                return data if tag == "ndarray" else data[()]
            if tag in ("tensor", "parameter") and set(node) == {tag, "requires_grad"} and not key:
                grad = node["requires_grad"]
                if isinstance(grad, bool):
                    tensor = from_numpy(self.array(value, where))
                    if tag == "parameter":
                        return Parameter(tensor, requires_grad=grad)
                    return tensor.requires_grad_(grad)
        expected = "None, bool, int, str, finite float or a tagged node"
        raise ValueError(f"{where}: expected {expected}, got {str(node)[:80]}")

    def mapping(self, items: list[Any], where: str, kind: type) -> dict[Any, Any]:
        if len(items) % 2:
            raise ValueError(f"{where}: expected keys and values in turn, got {len(items)} items")
        out = kind()
        for i in range(0, len(items), 2):
            k = self.node(items[i], f"{where} key", key=True)
            if k in out:
                raise ValueError(f"{where}: key {k!r} appears twice")
            out[k] = self.node(items[i + 1], f"{where}[{k!r}]")
        return out


def _load(stream: IO[bytes]) -> Any:
    archive = Archive(stream)
    if _META not in archive.members:
        raise ValueError(f"member {_META!r} is missing: expected a file written by autograd.save")
    meta = archive.json(_META)
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ValueError(f"expected a file written by autograd.save (format {_FORMAT!r})")
    if set(meta) != {"format", "version", "obj"}:
        raise ValueError(f"member {_META!r}: expected the fields format, version, obj; got {sorted(meta)}")
    if meta["version"] != _VERSION or type(meta["version"]) is not int:
        raise ValueError(f"field 'version': expected {_VERSION}, got {meta['version']!r}")
    decoder = _Decoder(archive)
    obj = decoder.node(meta["obj"], "obj")
    unused = sorted(set(archive.members) - decoder.used - {_META})
    if unused:
        raise ValueError(f"member {unused[0]!r}: not referred to by the description (unknown member)")
    return obj


def _check_map_location(map_location: Any) -> None:
    """Accept what puts everything on the CPU (the only device here); refuse the rest."""
    if map_location is None:
        return
    if isinstance(map_location, str):
        device, index = map_location, None
    else:  # a torch.device: .type and .index
        device, index = getattr(map_location, "type", None), getattr(map_location, "index", None)
    if isinstance(device, str) and _DEVICE.fullmatch(device) and index in (None, 0):
        return
    raise ValueError(
        f"map_location: expected None, 'cpu' or a CPU device (everything here lives on the CPU), "
        f"got {map_location!r}"
    )


def load(
    f: str | os.PathLike[str] | IO[bytes],
    map_location: Any = None,
    *,
    weights_only: bool = True,
    mmap: bool | None = None,
) -> Any:
    """Load what :func:`save` wrote, as ``torch.load``.

    Tensors come back as leaf Tensors (``requires_grad`` as saved: False for state dicts), numpy
    arrays as arrays, with their dtypes (float32, float64, int64, bool, ...); dicts, OrderedDicts,
    lists and tuples as they were, keys with their types (``state[0]`` stays an int).

    Nothing in the file is executed (there is no pickle), so the result is what
    ``weights_only=True`` gives in torch, whichever ``weights_only`` is passed. A PyTorch ``.pth``
    file cannot be read here: convert it where torch is installed, with
    ``np.savez(path, **{k: v.numpy() for k, v in torch.load(p).items()})``, or pass that dict to
    ``model.load_state_dict`` directly.

    Parameters
    ----------
    f : str, os.PathLike or typing.BinaryIO
        The file, or an object with ``read`` (and ``seek``; one without is read into memory).
    map_location : str or object, optional
        Accepted for torch's code: None, ``"cpu"``, ``"cpu:0"`` or an object with ``.type ==
        "cpu"`` (``torch.device("cpu")``). Everything here is on the CPU.
    weights_only : bool
        Accepted for torch's code. Loading is always as safe as torch's ``weights_only=True``:
        ``False`` does not enable loading arbitrary objects.
    mmap : bool, optional
        Accepted for torch's code (its "Tips for loading an nn.Module" recipe): the file is read
        into memory either way. As torch, ``mmap=True`` needs ``f`` to be a path.

    Returns
    -------
    object
        The saved object.

    Raises
    ------
    ValueError
        If the file is not one :func:`save` wrote (truncated, corrupt, a PyTorch ``.pth`` file,
        another ``.npz``), naming the file and what was expected; if ``map_location`` names
        another device; or if ``mmap=True`` is given a file object (torch's error).
    TypeError
        If ``weights_only`` is not a bool, or ``f`` is neither a path nor a file object.
    OSError
        If the file cannot be opened.
    """
    if not isinstance(weights_only, bool):
        raise TypeError(f"weights_only: expected True or False, got {weights_only!r}")
    _check_map_location(map_location)
    if mmap and not isinstance(f, (str, os.PathLike)):
        raise ValueError("f must be a file path in order to use the mmap argument")
    if isinstance(f, (str, os.PathLike)):
        name = os.fspath(f)
        with open(name, "rb") as stream:
            return _load_named(stream, repr(name))
    if not callable(getattr(f, "read", None)):
        raise TypeError(_NOT_A_FILE.format(type(f).__name__))
    seekable = getattr(f, "seekable", None)
    if not (callable(seekable) and seekable()):
        f = io.BytesIO(f.read())
    return _load_named(f, f"file object {getattr(f, 'name', type(f).__name__)!r}")  # type: ignore[arg-type]


def _load_named(stream: IO[bytes], name: str) -> Any:
    start = stream.tell()
    head = stream.read(1024)
    if not isinstance(head, bytes):
        raise TypeError(f"f: expected a binary file object, got one that reads {type(head).__name__}")
    if _torch_file(head):
        raise ValueError(
            f"autograd.load({name}): this is a PyTorch .pth file (a pickle), which this library cannot "
            f"read. Where torch is installed, convert it: np.savez(path, **{_CONVERT}), then "
            f"model.load_state_dict(dict(np.load(path)))"
        )
    stream.seek(start)
    try:
        return _load(stream)
    except (ValueError, TypeError, RecursionError) as e:
        raise ValueError(f"autograd.load({name}): {e}") from None
