"""The engine the losses are written in: the ``autograd`` package beside ``losses`` on disk.

It is found by its place, not by its name, so a user's own ``autograd.py`` (or HIPS autograd)
earlier on ``sys.path`` cannot stand in for it: ``autograd/_siblings.py`` explains how. That file
is loaded here by its path, since the name ``autograd`` is the one that cannot be trusted.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

# autograd/_siblings.py run by its path (it imports only the standard library): its `sibling`
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FINDER = os.path.join(_ROOT, "autograd", "_siblings.py")
_loaded = sys.modules.get("autograd._siblings")  # (the engine imported first: its finder, if it is ours)
if _loaded is not None and os.path.realpath(_loaded.__file__) == os.path.realpath(_FINDER):
    _sibling = _loaded.sibling
else:
    import runpy

    _sibling = runpy.run_path(_FINDER)["sibling"]  # (compiled from source at each import: 1-2 ms)

engine = _sibling("autograd")
Tensor, Value, ValueArray = engine.Tensor, engine.Value, engine.ValueArray
_value_array = importlib.import_module(f"{engine.__name__}.value_array")
holds_values, numbers = _value_array.holds_values, _value_array.numbers
guard = importlib.import_module(f"{engine.__name__}.graph").guard
nograd = importlib.import_module(f"{engine.__name__}._tensor").nograd
is_tracing = importlib.import_module(f"{engine.__name__}.graph").is_tracing
filled_doc = importlib.import_module(f"{engine.__name__}._loss_docs").filled  # (shared docstring entries)

#: (and groups, ArgumentOrderWarning: __getattr__)
__all__ = [
    "engine", "Tensor", "Value", "ValueArray", "holds_values", "numbers", "guard", "nograd", "is_tracing",
    "filled_doc",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    """``groups`` (the drawings' loss boxes) and ``ArgumentOrderWarning`` (the derivative check's),
    imported when ``losses._core`` first asks for them: by the first loss used, not ``import losses``."""
    if name == "groups":
        return importlib.import_module(f"{engine.__name__}.visual.groups")
    if name == "ArgumentOrderWarning":
        return importlib.import_module(f"{engine.__name__}.derivcheck").ArgumentOrderWarning
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
