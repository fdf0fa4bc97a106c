"""Count the work the visual tools do, without a clock: the Python lines they execute."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

VISUAL = str(Path(__file__).resolve().parents[2] / "autograd" / "visual")


def lines_run(fn: Callable[[], Any]) -> int:
    """How many lines of ``autograd/visual/`` run while ``fn()`` runs (comprehension loops included)."""
    count = 0

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(VISUAL):
            return None
        count += event == "line"
        return tracer

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(old)
    return count
