"""What the optimizers take from the engine beside them on disk: the atomic file writer, the
checked ``.npz`` reader (one copy each, in ``autograd/``, shared with ``autograd.save``/``load``),
the fused multiply-adds, the switch that silences numpy's floating-point warnings, and the Tensor
that state dicts hold.

The package is found by its place, not by its name, as ``losses/_engine.py`` explains.
"""

from __future__ import annotations

import importlib
import os
import runpy
import sys

# autograd/_siblings.py run by its path (it imports only the standard library): its `sibling`
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FINDER = os.path.join(_ROOT, "autograd", "_siblings.py")
_loaded = sys.modules.get("autograd._siblings")  # (the engine imported first: its finder, if it is ours)
_sibling = (
    _loaded.sibling
    if _loaded is not None and os.path.realpath(_loaded.__file__) == os.path.realpath(_FINDER)
    else runpy.run_path(_FINDER)["sibling"]  # (compiled from source at each import: 1-2 ms)
)

_engine = _sibling("autograd").__name__
_atomic = importlib.import_module(f"{_engine}._atomic")
_archive = importlib.import_module(f"{_engine}._archive")
_mode = importlib.import_module(f"{_engine}.grad_mode")
_factories = importlib.import_module(f"{_engine}.factories")
_dtypes = importlib.import_module(f"{_engine}.dtypes")
_tensor = importlib.import_module(f"{_engine}._tensor")
#: the engine's fused multiply-adds (``fma``, ``axpy_``, ``addcmul_``: torch's one rounding)
fused = importlib.import_module(f"{_engine}._fma")
write_atomically = _atomic.write_atomically
#: ``token = quiet()`` ... ``loud(token)``: numpy's floating-point warnings off (the engine's own switch)
quiet, loud = _mode.quiet, _mode.loud
Archive, MAX_META_CHARS = _archive.Archive, _archive.MAX_META_CHARS
#: the engine's Tensor over an array's memory, and its default dtype (for state dicts' Tensors)
Tensor, from_numpy, get_default_dtype = _tensor.Tensor, _factories.from_numpy, _dtypes.get_default_dtype

__all__ = [
    "write_atomically",
    "Archive",
    "MAX_META_CHARS",
    "quiet",
    "loud",
    "fused",
    "Tensor",
    "from_numpy",
    "get_default_dtype",
]
