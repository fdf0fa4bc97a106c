"""Save and resume training: parameters, optimizer and scheduler state in one ``.npz``.

The file is a zip of ``.npy`` arrays: ``params/<i>`` for the parameters, one array
per optimizer buffer (named by its path, e.g. ``optimizer/state/0/exp_avg``, or
``optimizer/state/0/old_dirs/3`` for an entry of a list of arrays such as LBFGS's history), and
``__meta__``, a unicode array holding JSON: the format and version, the parameter
count, the optimizer and scheduler class names and state dicts (in which arrays
are replaced by ``{"__ndarray__": name}``), and the extra fields.

Saving is atomic (see ``autograd/_atomic.py``): the file is written under a temporary name in the
same folder, flushed to disk and renamed over ``path``, so a crash leaves the old or
the new checkpoint, complete; a later save removes what killed saves left behind.
Where ``np.savez`` could not write ``path`` (a read-only file), neither does this.

Loading never executes code (no pickle) and trusts nothing in the file. It reads
the zip directory and the ``.npy`` headers first and refuses unknown, missing or
misshapen members before decompressing any data; it caps the JSON's size, nesting
and integers; it checks every field with the constructors' checks; and it changes
the parameters, optimizer and scheduler only after everything has been read and
checked. Any problem raises ``CheckpointError`` naming the file and the member or
field. (The reader, ``autograd/_archive.py``, is the one :func:`autograd.load` uses.)

Resuming (same parameters, fresh optimizer and scheduler built with the same
arguments, then ``load_checkpoint``) continues exactly the trajectory of a run
that never stopped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import IO, Any

import numpy as np

from ._engine import MAX_META_CHARS, Archive, write_atomically
from ._params import data_array, set_data
from ._validate import at
from .base import Optimizer, cast_array
from .lr_scheduler import LRScheduler

_FORMAT, _VERSION = "gradscope-checkpoint", 1
_META = "__meta__"
_V0 = {"num_params", "extra", "optimizer", "scheduler"}
_ARRAY = "__ndarray__"
_STATE_ARRAY = re.compile(r"optimizer/state/(\d+)/([^/]+)(/\d+)?")


class CheckpointError(ValueError):
    """A checkpoint file that is malformed, truncated, mismatched or hostile. The message
    names the file, the member or field, what was expected and what was found."""


def _parameters(params: Any) -> list[Any]:
    """The parameters of a Module (anything with ``.parameters()``) or an iterable of them."""
    if callable(getattr(params, "parameters", None)) and not hasattr(params, "data"):
        params = params.parameters()
    if hasattr(params, "data") or not isinstance(params, Iterable):
        raise TypeError(
            f"params: expected a Module or an iterable of parameters, got {type(params).__name__}"
        )
    return list(params)


# ---------------------------------------------------------------------------- saving


def _jsonable(value: Any, where: str) -> Any:
    """``value`` as plain JSON types (numpy scalars become Python scalars); TypeError otherwise."""
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _jsonable(v, f"{where}[{k!r}]") for k, v in value.items()}
    raise TypeError(
        f"{where}: expected a JSON value (None, bool, int, float, str, a list, a dict with str keys) "
        f"or a numpy scalar, got {type(value).__name__}"
    )


def _flatten(obj: Any, name: str, arrays: dict[str, np.ndarray]) -> Any:
    """JSON-able copy of a state dict; ndarrays are moved into ``arrays`` under their path."""
    if isinstance(obj, np.ndarray):
        arrays[name] = obj
        return {_ARRAY: name}
    if isinstance(obj, dict):
        return {str(k): _flatten(v, f"{name}/{k}", arrays) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_flatten(v, f"{name}/{i}", arrays) for i, v in enumerate(obj)]
    return _jsonable(obj, name)


def save_checkpoint(
    path: str | os.PathLike[str],
    params: Any,
    optimizer: Optimizer | None = None,
    scheduler: LRScheduler | None = None,
    **extra: Any,
) -> None:
    """Save parameters, optimizer and scheduler state and extra fields to one ``.npz`` file,
    atomically.

    The file is written to a temporary file in the same folder, flushed and renamed over
    ``path``: a crash leaves the old checkpoint or the new one, never a torn file.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write, as given (no suffix is added).
    params : Module or iterable of Tensor or Value
        The parameters whose data is saved.
    optimizer : Optimizer, optional
        Its ``state_dict()`` is saved (its buffers as arrays, ``step`` as an int).
    scheduler : LRScheduler, optional
        Its ``state_dict()`` is saved.
    **extra
        JSON-able fields to keep beside them (``epoch=3``; numpy scalars are converted).

    Raises
    ------
    TypeError
        If an extra field cannot be stored as JSON.
    OSError
        If the file cannot be written; an existing checkpoint at ``path`` is then unchanged.
    """
    params = _parameters(params)
    arrays = {f"params/{i}": data_array(p) for i, p in enumerate(params)}
    meta: dict[str, Any] = {
        "format": _FORMAT,
        "version": _VERSION,
        "num_params": len(params),
        "extra": _jsonable(extra, "extra"),
    }
    for name, obj in (("optimizer", optimizer), ("scheduler", scheduler)):
        if obj is not None:
            meta[f"{name}_class"] = type(obj).__name__
            state = obj._packed_state() if isinstance(obj, Optimizer) else obj.state_dict()
            meta[name] = _flatten(state, name, arrays)  # (an optimizer's arrays and numbers, not Tensors)
    text = json.dumps(meta)
    if len(text) > MAX_META_CHARS:
        raise ValueError(f"the checkpoint's JSON part has {len(text)} characters; at most {MAX_META_CHARS}")
    arrays[_META] = np.array(text)
    write_atomically(os.fspath(path), lambda f: np.savez(f, **arrays))


# ---------------------------------------------------------------------------- loading


def _read_meta(archive: Archive) -> dict[str, Any]:
    info = archive.members.get(_META)
    if info is None:
        raise ValueError("member '__meta__' is missing: not a gradscope checkpoint")
    meta = archive.json(_META)
    required = {"format", "version", "num_params", "extra"}
    allowed = required | {"optimizer", "optimizer_class", "scheduler", "scheduler_class"}
    # Written before format 1 (no format, version or class names): every state key is still checked.
    legacy = isinstance(meta, dict) and "format" not in meta and "num_params" in meta and set(meta) <= _V0
    if legacy:
        meta = {"format": _FORMAT, "version": _VERSION, **meta}
        meta.update({f"{name}_class": None for name in ("optimizer", "scheduler") if name in meta})
    if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
        raise ValueError(f"field 'format': expected {_FORMAT!r}: not a gradscope checkpoint")
    unknown, missing = sorted(set(meta) - allowed), sorted(required - set(meta))
    if unknown or missing:
        raise ValueError(
            f"field {(unknown or missing)[0]!r}: {'unknown' if unknown else 'missing'} "
            f"(expected fields {sorted(allowed)})"
        )
    if type(meta["version"]) is not int or meta["version"] != _VERSION:
        raise ValueError(f"field 'version': expected {_VERSION}, got {meta['version']!r}")
    if type(meta["num_params"]) is not int:
        raise ValueError(f"field 'num_params': expected an integer, got {meta['num_params']!r}")
    if not isinstance(meta["extra"], dict):
        raise ValueError(f"field 'extra': expected a dict, got {type(meta['extra']).__name__}")
    for name in ("optimizer", "scheduler"):
        if (name in meta) != (f"{name}_class" in meta):
            raise ValueError(f"fields {name!r} and '{name}_class': expected both or neither")
        if name in meta and not legacy and not isinstance(meta[f"{name}_class"], str):
            raise ValueError(f"field '{name}_class': expected a class name, got {meta[f'{name}_class']!r}")
    return meta


def _references(obj: Any, path: str, found: list[str]) -> None:
    """Collect the array references in ``obj``; each must name the path it sits at."""
    if isinstance(obj, dict):
        if _ARRAY in obj:
            if obj != {_ARRAY: path}:
                raise ValueError(f"field {path!r}: expected the array reference {{{_ARRAY!r}: {path!r}}}")
            found.append(path)
            return
        for k, v in obj.items():
            _references(v, f"{path}/{k}", found)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _references(v, f"{path}/{i}", found)


def _resolve(obj: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(obj, dict):
        if _ARRAY in obj:
            return arrays[obj[_ARRAY]]
        return {k: _resolve(v, arrays) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_resolve(v, arrays) for v in obj]
    return obj


def _check_class(meta: dict[str, Any], name: str, obj: Any) -> None:
    if obj is None:
        return
    if name not in meta:
        raise ValueError(f"field {name!r}: the checkpoint has no {name} state")
    saved = meta[f"{name}_class"]
    if saved is not None and saved != type(obj).__name__:
        raise ValueError(
            f"field '{name}_class': expected {type(obj).__name__} (the {name} given), got {saved!r}"
        )


def _member_shapes(
    archive: Archive, meta: dict[str, Any], params: list[Any], optimizer: Optimizer | None
) -> dict[str, tuple[int, ...]]:
    """The array members to read and the shape each must have, after checking that the
    archive holds exactly the members the JSON refers to."""
    refs: list[str] = []
    _references(meta.get("optimizer"), "optimizer", refs)
    scheduler_refs: list[str] = []
    _references(meta.get("scheduler"), "scheduler", scheduler_refs)
    if scheduler_refs:
        raise ValueError(f"field {scheduler_refs[0]!r}: expected no arrays in a scheduler's state")
    expected = {_META, *(f"params/{i}" for i in range(len(params))), *refs}
    unknown, missing = sorted(set(archive.members) - expected), sorted(expected - set(archive.members))
    if unknown:
        raise ValueError(f"member {unknown[0]!r}: not part of this checkpoint (unknown member)")
    if missing:
        raise ValueError(f"member {missing[0]!r} is missing")
    shapes = {f"params/{i}": np.shape(data_array(p)) for i, p in enumerate(params)}
    if optimizer is not None:
        opt_params = [p for group in optimizer.param_groups for p in group["params"]]
        lists = optimizer.list_buffers
        for ref in refs:
            match = _STATE_ARRAY.fullmatch(ref)
            if match is None or int(match[1]) >= len(opt_params) or (match[3] and match[2] not in lists):
                raise ValueError(
                    f"field {ref!r}: expected arrays only at optimizer/state/<k>/<name> with "
                    f"k < {len(opt_params)}, or optimizer/state/<k>/<name>/<i> for name in {list(lists)}"
                )
            shapes[ref] = optimizer._state_shape(match[2], data_array(opt_params[int(match[1])]))
    return shapes


def _load(
    f: IO[bytes], params: list[Any], optimizer: Optimizer | None, scheduler: LRScheduler | None
) -> dict[str, Any]:
    archive = Archive(f)
    meta = _read_meta(archive)
    if meta["num_params"] != len(params):
        raise ValueError(
            f"field 'num_params': the checkpoint holds {meta['num_params']} parameters, "
            f"but {len(params)} were given"
        )
    _check_class(meta, "optimizer", optimizer)
    _check_class(meta, "scheduler", scheduler)
    shapes = _member_shapes(archive, meta, params, optimizer)
    for name, shape in shapes.items():  # every header and size, before any large member is decompressed
        archive.check(name, "f", shape)
    arrays = {name: archive.read(name, "f", shape) for name, shape in shapes.items()}

    new_params = []
    for i, p in enumerate(params):
        with at(f"member 'params/{i}'"):
            new_params.append(cast_array("data", arrays[f"params/{i}"], data_array(p)))
    new_optimizer = new_scheduler = None
    if optimizer is not None:
        with at("field 'optimizer'"):
            new_optimizer = optimizer._validated_state_dict(_resolve(meta["optimizer"], arrays))
    if scheduler is not None:
        with at("field 'scheduler'"):
            new_scheduler = scheduler._validated_state_dict(meta["scheduler"])

    # Everything is checked: commit.
    for p, data in zip(params, new_params, strict=True):
        target = data_array(p)
        target[...] = data
        set_data(p, target)
    if optimizer is not None:
        optimizer._commit_state_dict(*new_optimizer)
    if scheduler is not None:
        scheduler._commit_state_dict(new_scheduler)
    return meta["extra"]


def load_checkpoint(
    path: str | os.PathLike[str],
    params: Any,
    optimizer: Optimizer | None = None,
    scheduler: LRScheduler | None = None,
) -> dict[str, Any]:
    """Restore what :func:`save_checkpoint` wrote, all or nothing.

    The parameters are written in place (their dtype kept), the optimizer and scheduler must be of
    the saved classes. Every member, shape, dtype and field is checked before anything changes;
    the file is never unpickled, and hostile archives (zip bombs, deep JSON, huge integers) are
    refused before they are decompressed.

    Parameters
    ----------
    path : str or os.PathLike
        The checkpoint file.
    params : Module or iterable of Tensor or Value
        The parameters to restore, as many and of the shapes that were saved.
    optimizer : Optimizer, optional
        Restored from the saved state.
    scheduler : LRScheduler, optional
        Restored from the saved state.

    Returns
    -------
    dict
        The extra fields saved with the checkpoint.

    Raises
    ------
    CheckpointError
        If the file is malformed, truncated, hostile or does not match the parameters, optimizer
        or scheduler; nothing has changed then.
    OSError
        If the file cannot be read.
    """
    params = _parameters(params)
    name = os.fspath(path)
    with open(name, "rb") as f:
        try:
            return _load(f, params, optimizer, scheduler)
        except (TypeError, ValueError, RecursionError) as e:
            raise CheckpointError(f"checkpoint {name!r}: {e}") from None
