"""Run Graphviz on DOT source: the system ``dot`` when installed, else the pip-installed
``graphviz-pure`` (a Rust port of dot), always with a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
from pathlib import Path

#: seconds one layout may take before it is stopped
TIMEOUT = 20.0
FORMATS = {"svg": ("dot", "graphviz-pure"), "png": ("dot", "graphviz-pure"), "pdf": ("dot",)}
INSTALL_HINT = (
    "to draw graphs install the pip package graphviz-pure (pip install graphviz-pure) "
    "or Graphviz (apt-get install graphviz, brew install graphviz)"
)


class RenderError(RuntimeError):
    """Graphviz is missing, failed, or took longer than the time limit; the message says which."""


def find(program: str) -> str | None:
    """The path of ``program`` ("dot" or "graphviz-pure"), also in this Python's scripts folder
    (a virtual environment that is not activated)."""
    found = shutil.which(program)
    if found is None and program == "graphviz-pure":
        candidate = Path(sysconfig.get_path("scripts")) / program
        found = str(candidate) if candidate.is_file() else None
    return found


def renderer(format: str = "svg") -> str | None:
    """The program that will draw ``format``: system ``dot`` first, then ``graphviz-pure``."""
    for program in FORMATS[format]:
        path = find(program)
        if path is not None:
            return path
    return None


def available(format: str = "svg") -> bool:
    """Whether a renderer for ``format`` is installed."""
    return renderer(format) is not None


def missing_message(format: str = "svg") -> str:
    """The one line said when nothing can draw ``format``."""
    if format == "pdf" and find("graphviz-pure"):
        return "PDF needs Graphviz's dot (apt-get install graphviz, brew install graphviz); use .svg or .png"
    return f"No Graphviz renderer found: {INSTALL_HINT}."


def pipe(source: str, format: str = "svg", timeout: float = TIMEOUT) -> bytes:
    """The image of DOT ``source`` in ``format`` (svg, png or pdf); raises :class:`RenderError`."""
    if format not in FORMATS:
        raise ValueError(f"render: format must be one of {', '.join(FORMATS)}; got {format!r}")
    program = renderer(format)
    if program is None:
        raise RenderError(missing_message(format))
    try:
        done = subprocess.run(
            [program, f"-T{format}"], input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"{Path(program).name} took longer than {timeout:g} s to lay out the graph; "
            "draw fewer nodes (draw_graph(..., max_nodes=50)) or pass a larger timeout"
        ) from None
    if done.returncode != 0 or not done.stdout:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"{Path(program).name} failed: {why[-1] if why else f'exit {done.returncode}'}")
    return done.stdout


def svg(source: str, timeout: float = TIMEOUT) -> str:
    """The ``<svg>`` element of DOT ``source`` (XML prolog and doctype dropped)."""
    text = pipe(source, "svg", timeout).decode("utf-8")
    return text[text.index("<svg") :]
