"""Puts this folder on ``sys.path`` for its helper module, mygrad_harness.py (pyproject's
``pythonpath`` lists the other test folders)."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
