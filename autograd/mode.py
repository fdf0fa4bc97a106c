"""Global switches of the engine: graph recording (``no_grad``) and anomaly detection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import numpy as np

#: When False, operations compute values but record no graph.
recording: bool = True
#: When True, the first nan or inf produced in forward or backward raises.
anomaly: bool = False


@contextmanager
def no_grad() -> Iterator[None]:
    """Context manager in which operations build no graph (like ``torch.no_grad``)."""
    global recording
    previous, recording = recording, False
    try:
        yield
    finally:
        recording = previous


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Context manager that raises ``FloatingPointError`` at the first nan/inf.

    The error names the operation that produced it and whether it happened in
    the forward pass (the op's value) or the backward pass (a gradient).
    """
    global anomaly
    previous, anomaly = anomaly, True
    try:
        yield
    finally:
        anomaly = previous


def anomaly_error(op: str, phase: str, detail: str = "") -> FloatingPointError:
    """The error raised by ``detect_anomaly`` for op ``op`` in ``phase``."""
    return FloatingPointError(
        f"detect_anomaly: operation '{op}' produced a non-finite value (nan or inf) "
        f"in the {phase} pass{': ' + detail if detail else ''}"
    )


# numpy's floating-point error state, silenced while the engine computes (log(0) = -inf and
# overflow to inf are results, not warnings, as in PyTorch): ``token = quiet()`` ... ``loud(token)``.
def _errstate_enter() -> Any:
    state = np.errstate(all="ignore")
    state.__enter__()
    return state


def _errstate_exit(state: Any) -> None:
    state.__exit__(None, None, None)


def _contextvar_pair() -> tuple[Any, Any]:
    """numpy >= 2 keeps that state in a context variable. Setting it directly costs a tenth of
    what ``np.errstate`` does, which counts when every small operation enters it."""
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    enter = partial(_extobj_contextvar.set, _make_extobj(all="ignore"))
    token = enter()
    try:
        works = set(np.geterr().values()) == {"ignore"}
    finally:
        _extobj_contextvar.reset(token)
    if not works:
        raise ImportError("numpy's error-state internals changed")
    return enter, _extobj_contextvar.reset


try:
    quiet, loud = _contextvar_pair()
except Exception:  # pragma: no cover - numpy 1.x, or a numpy whose internals moved
    quiet, loud = _errstate_enter, _errstate_exit
