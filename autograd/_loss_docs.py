"""Parameter descriptions (numpydoc entries) that several loss docstrings share: written once here,
where ``losses`` (which imports ``autograd``) and ``autograd.nn`` can both read them. Each entry's
continuation lines are indented for a function's docstring (8 spaces)."""

from __future__ import annotations

from typing import Any, TypeVar

_Documented = TypeVar("_Documented", bound=Any)

CTC_LOG_PROBS = """log_probs : Tensor or array_like
        Log-probabilities, shape ``(T, N, C)`` (or ``(T, C)`` unbatched)."""

CTC_TARGETS = """targets : array_like or Tensor of int
        Padded ``(N, S)``, one 1-d sequence of all targets concatenated, or ``(S,)`` unbatched."""

CTC_LENGTHS = """input_lengths, target_lengths : array_like or Tensor of int
        Each sample's number of frames (≤ T) and of labels."""

CTC_OPTIONS = """blank : int
        The blank class (default 0).
    reduction : {"mean", "sum", "none"}
        "mean" (default) divides each loss by its target length (at least 1) and averages, as
        torch; "sum" adds; "none" returns the per-sample losses.
    zero_infinity : bool
        Give infinite losses (and their gradients) the value 0 (default False)."""

CTC_RETURNS = """Returns
    -------
    Tensor
        A scalar, or the per-sample losses with ``reduction="none"``."""


def filled(documented: _Documented) -> _Documented:
    """``documented`` (a function or class) with each ``{NAME}`` in its docstring replaced by the
    entry ``NAME`` of this module (other braces, as in LaTeX, are left alone)."""
    doc = documented.__doc__ or ""
    for name, entry in _ENTRIES.items():
        doc = doc.replace("{" + name + "}", entry)
    documented.__doc__ = doc
    return documented


_ENTRIES = {name: entry for name, entry in dict(globals()).items() if name.startswith("CTC_")}
