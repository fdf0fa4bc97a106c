"""Global switches of the engine: graph recording (``no_grad``) and anomaly detection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
