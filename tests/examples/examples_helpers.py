"""Helpers for the example tests: load an example script as a module, run it small, check its PNGs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))  # the examples import their shared helpers as `_common`


def load_example(name: str) -> ModuleType:
    """``examples/NAME.py`` as a module (named ``example_NAME`` so it cannot clash with others)."""
    module_name = f"example_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, EXAMPLES / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return sys.modules[module_name]


def has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def run_small(name: str, out: Path, *extra: str) -> dict[str, Any]:
    """``main(["--small", "--out", out, ...])`` of the example ``name``."""
    return load_example(name).main(["--small", "--out", str(out), *extra])


def assert_plots(result: dict[str, Any], out: Path, names: list[str]) -> None:
    """The PNGs were written (or, without matplotlib, none were)."""
    if not has_matplotlib():
        assert result["plots"] == []
        return
    assert sorted(Path(p).name for p in result["plots"]) == sorted(names)
    for n in names:
        assert (out / n).stat().st_size > 5000, n
