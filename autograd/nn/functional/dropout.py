"""``torch.nn.functional``'s dropouts: ``dropout`` (elements), ``dropout1d``/``dropout2d``/``dropout3d``
(whole channels), ``alpha_dropout`` and ``feature_alpha_dropout`` (SELU's, keeping mean and variance).

Every one is torch's ``_dropout_impl`` (aten/src/ATen/native/Dropout.cpp): a ``bernoulli_(1 - p)``
draw of the input's shape, or of ``(N, C, 1, ...)`` for the channel ones, from the library's
generator (torch's stream after :func:`autograd.manual_seed`), scaled in the input's dtype as torch
scales it, so the outputs are torch's bit for bit. The draw is a random node of the graph
(:func:`autograd._tensor.drawn`): a compiled step draws new masks at every call, in the eager order.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..._tensor import Tensor, drawn
from ...random_state import generator
from ._common import _checked_training, _composed, _real
from .activations import _maybe_in_place

#: SELU's ``scale·alpha``: a dropped element of ``alpha_dropout`` goes to ``-_ALPHA`` (torch's constant)
_ALPHA = 1.7580993408473766


def _probability(op: str, p: Any) -> float:
    """``p`` as a float in [0, 1], or torch's ValueError."""
    p = _real(op, "p", p)
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return p


def _dropped(
    op: str, input: Any, p: Any, training: bool, *, channels: int = 0, alpha: bool = False,
    inplace: bool = False,
) -> Any:  # fmt: skip
    """torch's ``_dropout_impl``. ``channels``: 0 drops elements; 1 (unbatched) or 2 (batched) drops
    whole channels, the noise of shape ``input.shape[:channels] + (1, ...)``; ``alpha``: SELU's
    affine map instead of ``1/(1 - p)``; ``inplace``: written into ``input`` (``_maybe_in_place``)."""
    p = _probability(op, p)
    shape = np.shape(input.data if isinstance(input, Tensor) else input)
    if not training or p == 0.0 or math.prod(shape) == 0:
        return input
    if len(shape) < channels:  # (an unbatched input gets its batch axis first, as torch)
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")

    def drop(x: Any) -> Any:
        if p == 1.0:
            return x * 0.0
        dtype = x.data.dtype if isinstance(x, Tensor) else np.dtype(np.float64)
        t = dtype.type

        def keep(full: tuple[int, ...]) -> np.ndarray:  # torch's noise.bernoulli_(1 - p), 0 or 1
            noise = full[:channels] + (1,) * (len(full) - channels) if channels else full
            return generator(None, op).bernoulli(1.0 - p, noise).astype(dtype)

        kept = drawn(keep, x)
        if not alpha:  # noise.div_(1 - p): the division in the input's dtype
            return x * (kept / t(1.0 - p))
        a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
        shift = (kept - t(1.0)) * t(_ALPHA * a) + t(_ALPHA * a * p)  # noise.add(-1).mul_(α·a).add_(α·a·p)
        return x * (kept * t(a)) + shift

    if inplace:
        return _maybe_in_place(f"{op}_", input, lambda: _composed(input, drop))
    return _composed(input, drop)


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Inverted dropout (``torch.nn.functional.dropout``): zero each element with probability ``p``
    and scale the rest by :math:`1/(1 - p)`, so the expected value is unchanged.

    The mask is torch's ``bernoulli_(1 - p)`` from the library's generator: after
    :func:`autograd.manual_seed` the output is torch's, bit for bit.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input; numbers and arrays become a constant Tensor.
    p : float
        The probability of an element being zeroed, in [0, 1] (default 0.5).
    training : bool
        Apply dropout (default True); when False, or when ``p`` is 0, ``input`` itself is returned.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number or ``training`` not a bool.
    ValueError
        If ``p`` is not in [0, 1].
    """
    return _dropped("dropout", input, p, _checked_training("dropout", training), inplace=inplace)


def dropout1d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Channel dropout for ``(N, C, L)`` or unbatched ``(C, L)`` inputs
    (``torch.nn.functional.dropout1d``): zero each channel ``input[n, c]`` with probability ``p``
    and scale the rest by :math:`1/(1 - p)`; torch's draws (one per channel) and numbers.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        2-d or 3-d.
    p : float
        The probability of a channel being zeroed, in [0, 1] (default 0.5).
    training : bool
        Apply dropout (default True); when False, or when ``p`` is 0, ``input`` itself is returned.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor or ValueArray
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number or ``training`` not a bool.
    ValueError
        If ``p`` is not in [0, 1].
    RuntimeError
        If ``input`` is not 2-d or 3-d (torch's message).
    """
    p = _probability("dropout1d", p)
    ndim = np.ndim(input.data if isinstance(input, Tensor) else input)
    if ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {ndim}D input. Note that dropout1d exists "
            "to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and "
            "an optional batch dimension (i.e. 2D or 3D inputs)."
        )
    training = _checked_training("dropout1d", training)
    return _dropped("dropout1d", input, p, training, channels=2 if ndim == 3 else 1, inplace=inplace)


def _warn_rank(op: str, ndim: int, spatial: int) -> None:
    """torch's deprecation warning for a ``dropout2d``/``dropout3d`` input of another rank."""
    if ndim not in (spatial + 1, spatial + 2):
        warnings.warn(
            f"{op}: Received a {ndim}-D input to {op}, which is deprecated and will result in an error in "
            f"a future release. To retain the behavior and silence this warning, please use dropout "
            f"instead. Note that {op} exists to provide channel-wise dropout on inputs with {spatial} "
            f"spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
            f"{spatial + 1}D or {spatial + 2}D inputs).",
            UserWarning,
            stacklevel=3,
        )


def dropout2d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Channel dropout for ``(N, C, H, W)`` inputs (``torch.nn.functional.dropout2d``): zero each
    channel ``input[n, c]`` with probability ``p`` and scale the rest by :math:`1/(1 - p)`; torch's
    draws (one per channel) and numbers.

    As torch, a 3-d input is taken as ``(N, C, L)`` (1-d channel dropout), with torch's warning;
    other ranks than 3 and 4 warn as torch does (channels are then ``input[n, c]`` all the same).

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        At least 2-d when dropping (3-d or 4-d expected).
    p : float
        The probability of a channel being zeroed, in [0, 1] (default 0.5).
    training : bool
        Apply dropout (default True); when False, or when ``p`` is 0, ``input`` itself is returned.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor or ValueArray
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number or ``training`` not a bool.
    ValueError
        If ``p`` is not in [0, 1].
    RuntimeError
        If dropping from an input of fewer than 2 dimensions (torch's message).
    """
    p = _probability("dropout2d", p)
    ndim = np.ndim(input.data if isinstance(input, Tensor) else input)
    _warn_rank("dropout2d", ndim, 2)
    if ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
            "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
            "will change in a future release to interpret the input as one without a batch dimension, i.e. "
            "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
            "dropout1d instead.",
            UserWarning,
            stacklevel=2,
        )
    training = _checked_training("dropout2d", training)
    return _dropped("dropout2d", input, p, training, channels=2, inplace=inplace)


def dropout3d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Channel dropout for ``(N, C, D, H, W)`` or unbatched ``(C, D, H, W)`` inputs
    (``torch.nn.functional.dropout3d``): zero each channel with probability ``p`` and scale the rest
    by :math:`1/(1 - p)`; torch's draws (one per channel) and numbers.

    As torch, an input that is not 5-d is taken as unbatched (its first axis the channels), and
    ranks other than 4 and 5 warn as torch does.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        4-d or 5-d expected (at least 1-d when dropping).
    p : float
        The probability of a channel being zeroed, in [0, 1] (default 0.5).
    training : bool
        Apply dropout (default True); when False, or when ``p`` is 0, ``input`` itself is returned.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor or ValueArray
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number or ``training`` not a bool.
    ValueError
        If ``p`` is not in [0, 1].
    RuntimeError
        If dropping from a 0-d input (torch's message).
    """
    p = _probability("dropout3d", p)
    ndim = np.ndim(input.data if isinstance(input, Tensor) else input)
    _warn_rank("dropout3d", ndim, 3)
    training = _checked_training("dropout3d", training)
    return _dropped("dropout3d", input, p, training, channels=2 if ndim == 5 else 1, inplace=inplace)


def alpha_dropout(input: Any, p: float = 0.5, training: bool = False, inplace: bool = False) -> Any:
    r"""Alpha dropout (``torch.nn.functional.alpha_dropout``), for SELU networks: each element is
    dropped with probability ``p`` to SELU's saturation :math:`-\alpha'` (:math:`\alpha' \approx
    1.7581`), then an affine map :math:`a x + b` restores zero mean and unit variance:
    :math:`a = ((1 - p)(1 + p\alpha'^2))^{-1/2}`, :math:`b = a\alpha' p` for kept elements.

    torch's draws and numbers (its float arithmetic in the input's dtype). Note torch's default
    ``training=False``: the function is the identity unless asked.

    Parameters
    ----------
    input : Tensor, ValueArray, Value or array_like
        The input.
    p : float
        The probability of an element being dropped, in [0, 1] (default 0.5); ``p = 1`` gives zeros.
    training : bool
        Apply dropout (default False, as torch); when False, or when ``p`` is 0, ``input`` itself is
        returned.
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor, ValueArray or Value
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number or ``training`` not a bool.
    ValueError
        If ``p`` is not in [0, 1].
    """
    training = _checked_training("alpha_dropout", training)
    return _dropped("alpha_dropout", input, p, training, alpha=True, inplace=inplace)


def feature_alpha_dropout(input: Any, p: float = 0.5, training: bool = False, inplace: bool = False) -> Any:
    """Alpha dropout of whole channels ``input[n, c]`` (``torch.nn.functional.feature_alpha_dropout``):
    :func:`alpha_dropout`'s affine map with one draw per channel; torch's draws and numbers.

    Parameters
    ----------
    input : Tensor, ValueArray or array_like
        ``(N, C, ...)``, at least 2-d when dropping.
    p : float
        The probability of a channel being dropped, in [0, 1] (default 0.5).
    training : bool
        Apply dropout (default False, as torch).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Returns
    -------
    Tensor or ValueArray
        Of the input's kind and shape.

    Raises
    ------
    TypeError
        If ``p`` is not a real number or ``training`` not a bool.
    ValueError
        If ``p`` is not in [0, 1].
    RuntimeError
        If dropping from an input of fewer than 2 dimensions (torch's message).
    """
    training = _checked_training("feature_alpha_dropout", training)
    return _dropped("feature_alpha_dropout", input, p, training, channels=2, alpha=True, inplace=inplace)
