"""The self-contained HTML pages: a zoomable drawing, and the step-through of a pass.

The HTML, CSS and JavaScript live in ``assets/`` and are inlined, so a page works
offline and from a file. The page holds the drawing once; the step-through's
frames are JSON that the script applies to it.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from .text import printable

#: JSON inside <script>: no "<" can open a tag or a comment ("<!--<script>" used to stop the page)
_JSON_IN_SCRIPT = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


@cache
def asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def build(svg: str, title: str, state: dict[str, Any] | None = None, table: str = "") -> str:
    """A page showing ``svg`` with wheel/pinch zoom and drag to pan; with ``state`` (frames and
    captions) it steps through them. The title is shown with control and bidi characters
    escaped (``\\u202e``), the state as JSON with ``<``, ``>`` and ``&`` escaped."""
    data = json.dumps(state or {"frames": []}, ensure_ascii=False).translate(_JSON_IN_SCRIPT)
    parts = {"title": html.escape(printable(title)), "css": asset("steps.css"), "js": asset("steps.js")}
    parts |= {"state": data, "table": table, "svg": svg}
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m[1]], asset("page.html"))


def embed(page: str, height: int = 560) -> str:
    """``page`` in an iframe, for Jupyter: its script and styles stay out of the notebook."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" style="width:100%;height:{height}px;'
        'border:1px solid #ccc" sandbox="allow-scripts"></iframe>'
    )
