"""The examples are scripts (``python examples/backprop_221.py``). This file lets ``python -m
examples.backprop_221`` run them too, from the repository's root: each script's ``import _common``
then finds the helper beside it."""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
