"""Helpers for the example tests: load an example script as a module, run it small, check its PNGs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from example_loader import EXAMPLES, load_example  # noqa: F401  (re-exported for the tests)


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
