"""What the optimizers take from the engine beside them on disk: the atomic file writer and the
checked ``.npz`` reader (one copy each, in ``autograd/``, shared with ``autograd.save``/``load``).

The package is found by its place, not by its name, as ``losses/_engine.py`` explains.
"""

from __future__ import annotations

import importlib
import os
import runpy

# autograd/_siblings.py run by its path (it imports only the standard library): its `sibling`
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FINDER = os.path.join(_ROOT, "autograd", "_siblings.py")
_sibling = runpy.run_path(_FINDER)["sibling"]

_engine = _sibling("autograd").__name__
_atomic = importlib.import_module(f"{_engine}._atomic")
_archive = importlib.import_module(f"{_engine}._archive")
write_atomically = _atomic.write_atomically
Archive, MAX_META_CHARS = _archive.Archive, _archive.MAX_META_CHARS

__all__ = ["write_atomically", "Archive", "MAX_META_CHARS"]
