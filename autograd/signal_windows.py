"""torch's window functions (``torch.hann_window``, ``hamming_window``, ``blackman_window``,
``bartlett_window``, ``kaiser_window``): 1-d tensors of ``window_length`` weights, computed as
torch's kernels compute them (each step rounded in the result's dtype, so float64 windows are
torch's to the bit). ``periodic=True`` (torch's default) gives the first ``window_length`` of a
symmetric window one longer, for spectral analysis; ``periodic=False`` the symmetric window.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .factories import _leaf

__all__ = ["hann_window", "hamming_window", "blackman_window", "bartlett_window", "kaiser_window"]


def _window(
    op: str, window_length: int, periodic: bool, dtype: Any, fill: Any, device: Any, requires_grad: bool
) -> Any:
    """``fill(n, dt)`` of the symmetric length ``n`` (one longer if periodic, then cut), as a leaf."""
    if (
        isinstance(window_length, bool)
        or not isinstance(window_length, (int, np.integer))
        or window_length < 0
    ):
        raise RuntimeError(f"{op} requires non-negative window_length, got {window_length!r}")
    dt = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype, op)
    if not dtypes.is_floating(dt):
        raise RuntimeError(f"{op} expects floating point dtypes, got: {dt}")
    n = int(window_length)
    if n <= 1:
        data = np.ones(n, dt)
    else:
        m = n + 1 if periodic else n
        with np.errstate(all="ignore"):
            data = np.asarray(fill(m, dt), dt)[:n]
    return _leaf(op, data, dt, requires_grad, device)


def _cosines(m: int, dt: np.dtype, alpha: float, beta: float) -> np.ndarray:
    """torch's ``arange(m).mul_(2π / (m - 1)).cos_().mul_(-beta).add_(alpha)``."""
    scalar = dt.type
    w = np.arange(m, dtype=dt) * scalar(np.pi * 2.0 / (m - 1))
    return np.cos(w) * scalar(-beta) + scalar(alpha)


def hamming_window(
    window_length: int,
    periodic: bool = True,
    alpha: float = 0.54,
    beta: float = 0.46,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Any:
    """``alpha - beta · cos(2πn / (N - 1))`` (``torch.hamming_window``).

    Parameters
    ----------
    window_length : int
        The number of weights.
    periodic : bool
        The first ``window_length`` of a symmetric window one longer (default True).
    alpha, beta : float
        The coefficients (default 0.54, 0.46).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    device : str, optional
        None or ``"cpu"``.
    requires_grad : bool
        Whether the result is a leaf that requires grad.
    """
    return _window(
        "hamming_window", window_length, periodic, dtype, lambda m, dt: _cosines(m, dt, alpha, beta), device,
        requires_grad,
    )  # fmt: skip


def hann_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Any:
    """``0.5 - 0.5 · cos(2πn / (N - 1))`` (``torch.hann_window``: ``hamming_window`` with 0.5, 0.5).

    Parameters
    ----------
    window_length : int
        The number of weights.
    periodic : bool
        The first ``window_length`` of a symmetric window one longer (default True).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    device : str, optional
        None or ``"cpu"``.
    requires_grad : bool
        Whether the result is a leaf that requires grad.
    """
    return _window(
        "hann_window", window_length, periodic, dtype, lambda m, dt: _cosines(m, dt, 0.5, 0.5), device,
        requires_grad,
    )  # fmt: skip


def _blackman(m: int, dt: np.dtype) -> np.ndarray:
    scalar = dt.type
    w = np.arange(m, dtype=dt) * scalar(np.pi / (m - 1))
    return (np.cos(w * scalar(4)) * scalar(0.08) - np.cos(w * scalar(2)) * scalar(0.5)) + scalar(0.42)


def blackman_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Any:
    """``0.42 - 0.5 · cos(2πn / (N - 1)) + 0.08 · cos(4πn / (N - 1))`` (``torch.blackman_window``).

    Parameters
    ----------
    window_length : int
        The number of weights.
    periodic : bool
        The first ``window_length`` of a symmetric window one longer (default True).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    device : str, optional
        None or ``"cpu"``.
    requires_grad : bool
        Whether the result is a leaf that requires grad.
    """
    return _window("blackman_window", window_length, periodic, dtype, _blackman, device, requires_grad)


def _bartlett(m: int, dt: np.dtype) -> np.ndarray:
    w = np.arange(m, dtype=dt) * dt.type(2.0 / (m - 1))
    half = ((m - 1) >> 1) + 1
    w[half:] = w[half:] * dt.type(-1) + dt.type(2)
    return w


def bartlett_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Any:
    """The triangle ``1 - |2n / (N - 1) - 1|`` (``torch.bartlett_window``).

    Parameters
    ----------
    window_length : int
        The number of weights.
    periodic : bool
        The first ``window_length`` of a symmetric window one longer (default True).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    device : str, optional
        None or ``"cpu"``.
    requires_grad : bool
        Whether the result is a leaf that requires grad.
    """
    return _window("bartlett_window", window_length, periodic, dtype, _bartlett, device, requires_grad)


def kaiser_window(
    window_length: int,
    periodic: bool = True,
    beta: float = 12.0,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Any:
    """``I0(beta · sqrt(1 - ((n - a) / a)²)) / I0(beta)``, a = (N - 1) / 2 (``torch.kaiser_window``).

    Parameters
    ----------
    window_length : int
        The number of weights.
    periodic : bool
        The first ``window_length`` of a symmetric window one longer (default True).
    beta : float
        The shape (default 12.0).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).
    device : str, optional
        None or ``"cpu"``.
    requires_grad : bool
        Whether the result is a leaf that requires grad.
    """
    from .functions import i0

    def kaiser(m: int, dt: np.dtype) -> np.ndarray:
        alpha = dt.type((m - 1) / 2.0)
        n = np.arange(m, dtype=dt)
        r = beta * np.sqrt(np.abs(1 - ((n - alpha) / alpha) ** 2)).astype(dt)
        return np.asarray(i0(r.astype(dt)), dt) / np.asarray(i0(np.asarray(beta, dt)), dt)

    return _window("kaiser_window", window_length, periodic, dtype, kaiser, device, requires_grad)
