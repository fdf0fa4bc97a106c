"""The one way numbers, arrays and labels are written, in the drawing, the trace and the page."""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_LABEL = 40


def num(x: float, digits: int = 4) -> str:
    """A float with ``digits`` significant digits (``-0`` shown as ``0``)."""
    return f"{float(x) + 0.0:.{digits}g}"


def summarize(a: np.ndarray, digits: int = 4) -> str:
    """A short description of an array: its values if it has at most 4, else mean/min/max."""
    a = np.asarray(a)
    if a.ndim == 0:
        return num(float(a), digits)
    if a.size == 0:
        return "[]"
    if a.size <= 4:
        return "[" + ", ".join(num(float(v), digits) for v in a.ravel()) + "]"
    return f"mean {num(a.mean(), digits)} min {num(a.min(), digits)} max {num(a.max(), digits)}"


def cell(x: Any, digits: int = 4) -> str:
    """Any number, array, text or None (shown empty) as text."""
    if x is None:
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, np.ndarray):
        return summarize(x, digits)
    return num(float(x), digits)


def printable(text: str) -> str:
    """``text`` with control characters (ESC, NUL, ...) written as escapes, e.g. ``\\x1b``.

    Newlines and tabs become spaces: a label is one line.
    """
    if text.isprintable():
        return text
    out = []
    for c in text:
        if c.isprintable():
            out.append(c)
        elif c in "\n\t\r":
            out.append(" ")
        else:
            out.append(f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}")
    return "".join(out)


def short(text: str, limit: int = MAX_LABEL) -> str:
    """``text`` made printable and cut to at most ``limit`` characters."""
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_label(label: Any) -> None:
    """A node label is ``str`` or ``None``; anything else is a TypeError naming what came in."""
    if label is not None and not isinstance(label, str):
        raise TypeError(f"node label must be str or None; got {type(label).__name__} {label!r}")
