"""An optimizer's per-parameter state as ``state_dict()`` gives it, torch's Tensors, and as
``load_state_dict`` takes it: Tensors (this library's or torch's), numpy arrays or numbers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._engine import Tensor, from_numpy, get_default_dtype


def scalar_dtype() -> np.dtype:
    """torch's dtype of a state number such as ``step`` (``_get_scalar_dtype``): float64 when
    that is the default dtype, else float32."""
    return np.dtype(np.float64) if get_default_dtype() == np.float64 else np.dtype(np.float32)


def tensors(value: Any, dtype: np.dtype) -> Any:
    """``value`` as torch's state dicts hold it: an array as a Tensor over its memory, a number
    as a 0-d Tensor of ``dtype`` (a copy), a list item by item; anything else (None) as it is."""
    if isinstance(value, np.ndarray):
        return from_numpy(value)
    if isinstance(value, list):
        return [tensors(v, dtype) for v in value]
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return from_numpy(np.array(value, dtype))
    return value


def arrays(value: Any, numbers: bool = False) -> Any:
    """A saved state value with its Tensors (this library's or torch's) as numpy arrays, a list
    item by item; with ``numbers``, a 0-d one as its Python number."""
    if isinstance(value, list):
        return [arrays(v, numbers) for v in value]
    if isinstance(value, Tensor):
        value = value.data
    elif type(value).__module__.startswith("torch") and callable(getattr(value, "numpy", None)):
        value = value.detach().cpu().numpy()  # (a torch tensor)
    if numbers and isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value
