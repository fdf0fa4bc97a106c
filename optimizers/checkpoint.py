"""Save and resume training: parameters, optimizer and scheduler state in one ``.npz``.

The file holds plain arrays only: ``params/<i>`` for the parameters, one array per
state buffer (named by its path, e.g. ``optimizer/state/0/exp_avg``), and
``__meta__``, a unicode array with a JSON description of the nested state dicts
in which arrays are replaced by ``{"__ndarray__": name}``. It is loaded with
``allow_pickle=False``, so loading never executes code.

Resuming (same parameters, fresh optimizer and scheduler built with the same
arguments, then ``load_checkpoint``) continues exactly the trajectory of a run
that never stopped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from .base import Optimizer, data_array, set_data
from .lr_scheduler import LRScheduler

_META = "__meta__"
_ARRAY = "__ndarray__"


def _flatten(obj: Any, name: str, arrays: dict[str, np.ndarray]) -> Any:
    """JSON-able copy of ``obj``; ndarrays are moved into ``arrays`` under their path."""
    if isinstance(obj, np.ndarray):
        arrays[name] = obj
        return {_ARRAY: name}
    if isinstance(obj, dict):
        return {str(k): _flatten(v, f"{name}/{k}", arrays) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_flatten(v, f"{name}/{i}", arrays) for i, v in enumerate(obj)]
    return obj


def _unflatten(obj: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(obj, dict):
        if set(obj) == {_ARRAY}:
            return arrays[obj[_ARRAY]]
        return {k: _unflatten(v, arrays) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_unflatten(v, arrays) for v in obj]
    return obj


def save_checkpoint(
    path: str | os.PathLike[str],
    params: Iterable[Any],
    optimizer: Optimizer | None = None,
    scheduler: LRScheduler | None = None,
    **extra_scalars: Any,
) -> None:
    """Write ``params`` data, optional optimizer/scheduler state and JSON-able
    ``extra_scalars`` (e.g. ``epoch=3``) to ``path`` (written as given, no suffix added)."""
    params = list(params)
    arrays = {f"params/{i}": data_array(p) for i, p in enumerate(params)}
    meta: dict[str, Any] = {"num_params": len(params), "extra": extra_scalars}
    if optimizer is not None:
        meta["optimizer"] = _flatten(optimizer.state_dict(), "optimizer", arrays)
    if scheduler is not None:
        meta["scheduler"] = _flatten(scheduler.state_dict(), "scheduler", arrays)
    arrays[_META] = np.array(json.dumps(meta))
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def load_checkpoint(
    path: str | os.PathLike[str],
    params: Iterable[Any],
    optimizer: Optimizer | None = None,
    scheduler: LRScheduler | None = None,
) -> dict[str, Any]:
    """Restore what ``save_checkpoint`` wrote into ``params`` (in place, dtype kept)
    and the given optimizer / scheduler. Returns the extra scalars."""
    with np.load(path, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(str(arrays.pop(_META)))
    params = list(params)
    if len(params) != meta["num_params"]:
        raise ValueError(f"checkpoint holds {meta['num_params']} parameters, but {len(params)} were given")
    for i, p in enumerate(params):
        data, saved = data_array(p), arrays[f"params/{i}"]
        if data.shape != saved.shape:
            raise ValueError(f"parameter {i} has shape {data.shape}, but the checkpoint has {saved.shape}")
        data[...] = saved
        set_data(p, data)
    for name, target in (("optimizer", optimizer), ("scheduler", scheduler)):
        if target is not None:
            if name not in meta:
                raise ValueError(f"checkpoint {os.fspath(path)!r} has no {name} state")
            target.load_state_dict(_unflatten(meta[name], arrays))
    return meta["extra"]
