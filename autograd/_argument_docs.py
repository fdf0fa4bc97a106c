"""How the namespace's functions describe, in their docstrings, the arguments they take from torch
(one text per argument name, shared by the generated functions and torch's ``out=``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

#: how the module functions' docstrings describe the arguments they take from torch
ARGUMENTS = {
    "input": "input : Tensor or array_like\n    The tensor (plain data is made one, as ``autograd.tensor``).",
    "other": "other : Tensor or array_like\n    The second operand.",
    "mat2": "mat2 : Tensor or array_like\n    The right-hand matrix.",
    "alpha": "alpha : float\n    ``other`` is multiplied by ``alpha`` first (torch's argument; default 1).",
    "rounding_mode": (
        "rounding_mode : {None, 'trunc', 'floor'}\n    None (default) divides exactly; 'trunc' rounds the\n"
        "    quotient toward 0, 'floor' down (torch's argument)."
    ),
    "decimals": (
        "decimals : int, optional\n    Round to this many decimal places (negative: to tens, hundreds,\n"
        "    ...), as ``Tensor.round(decimals=)``; a float tensor only (torch's argument)."
    ),
    "dim": "dim : int or tuple of int, optional\n    The dimension(s) to reduce or act on (torch's name).",
    "axis": "axis : int or tuple of int, optional\n    numpy's name for ``dim``; give one of the two.",
    "keepdim": "keepdim : bool\n    Keep the reduced dimensions with length 1 (torch's name).",
    "keepdims": "keepdims : bool\n    numpy's name for ``keepdim``.",
    "correction": "correction : int, optional\n    Subtracted from the count in the divisor (default 1).",
    "unbiased": "unbiased : bool, optional\n    The older spelling: True is ``correction=1``, False ``0``.",
    "out": (
        "out : Tensor or tuple of Tensor, optional\n    The result is written into it (resized, with\n"
        "    torch's warning unless it is empty; its dtype by torch's rule for the function) and returned;\n"
        "    not for a result that requires grad (torch's argument: see ``autograd.out_arguments``)."
    ),
}


def describe(function: Any, names: Sequence[str], method: str | None = None) -> None:
    """Add numpy-style entries for ``names`` to ``function``'s docstring (its Parameters section,
    made if missing), from :data:`ARGUMENTS` or, for the rest, the method's own argument."""
    entries = [ARGUMENTS.get(n) or f"{n}\n    As ``Tensor.{method}``'s ``{n}``." for n in names]
    doc = (function.__doc__ or "").rstrip()
    block = "\n".join(entries)
    if "\nParameters\n----------\n" not in doc:
        function.__doc__ = f"{doc}\n\nParameters\n----------\n{block}\n"
        return
    head, rest = doc.split("\nParameters\n----------\n", 1)
    after = re.search(r"\n\n\w[\w ]*\n-{3,}\n", rest)  # the next section, if any
    cut = after.start() if after else len(rest)
    function.__doc__ = f"{head}\nParameters\n----------\n{rest[:cut].rstrip()}\n{block}{rest[cut:]}\n"
