"""Load ``examples/NAME.py`` as a module for tests (pytest puts examples/ and tests/ on
sys.path via ``pythonpath`` in pyproject.toml, so the scripts' ``import _common`` works)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def load_example(name: str) -> ModuleType:
    """``examples/NAME.py`` as the module ``example_NAME``, loaded once."""
    module_name = f"example_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # dataclasses look their module up while being defined
        spec.loader.exec_module(module)
    return sys.modules[module_name]
