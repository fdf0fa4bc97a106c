"""What the optimizers take from the engine beside them on disk: the atomic file writer and the
checked ``.npz`` reader (one copy each, in ``autograd/``, shared with ``autograd.save``/``load``).

The package is found by its place, not by its name, as ``losses/_engine.py`` explains.
"""

from __future__ import annotations

import importlib
import importlib.util
import os

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FINDER = os.path.join(_ROOT, "autograd", "_siblings.py")
_spec = importlib.util.spec_from_file_location("_gradscope_siblings", _FINDER)
assert _spec is not None and _spec.loader is not None  # (a file location always has a loader)
_siblings = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_siblings)

_engine = _siblings.sibling("autograd").__name__
_atomic = importlib.import_module(f"{_engine}._atomic")
_archive = importlib.import_module(f"{_engine}._archive")
write_atomically = _atomic.write_atomically
Archive, MAX_META_CHARS = _archive.Archive, _archive.MAX_META_CHARS

__all__ = ["write_atomically", "Archive", "MAX_META_CHARS"]
