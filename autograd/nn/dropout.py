"""The dropout modules, as in torch.nn: ``Dropout``, ``Dropout1d``/``Dropout2d``/``Dropout3d``
(whole channels), ``AlphaDropout`` and ``FeatureAlphaDropout`` (SELU's). Each is active in training
mode and the identity in ``eval()`` mode; the masks are torch's after the same
:func:`autograd.manual_seed` (see :mod:`autograd.nn.functional.dropout`)."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .functional.dropout import _probability
from .module import Module


class _DropoutNd(Module):
    """What the dropout modules share (torch's ``_DropoutNd``): ``p``, checked, and ``inplace``."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        self.p, self.inplace = _probability(type(self).__name__, p), inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Inverted dropout (``torch.nn.Dropout``): while ``training``, zero each element with
    probability ``p`` and scale the rest by ``1/(1 - p)``; in ``eval()`` mode, the identity.

    Masks come from the library's generator, so :func:`autograd.manual_seed` makes them torch's
    (see :func:`autograd.nn.functional.dropout`).

    Parameters
    ----------
    p : float
        The probability of an element being zeroed, in [0, 1] (default 0.5).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """

    def forward(self, x: Any) -> Any:
        return F.dropout(x, self.p, self.training, self.inplace)


class Dropout1d(_DropoutNd):
    """Channel dropout (``torch.nn.Dropout1d``) for ``(N, C, L)`` or ``(C, L)`` inputs: while
    ``training``, zero each channel with probability ``p`` and scale the rest by ``1/(1 - p)``
    (see :func:`autograd.nn.functional.dropout1d`).

    Parameters
    ----------
    p : float
        The probability of a channel being zeroed, in [0, 1] (default 0.5).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """

    def forward(self, x: Any) -> Any:
        return F.dropout1d(x, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Channel dropout (``torch.nn.Dropout2d``) for ``(N, C, H, W)`` inputs: while ``training``,
    zero each channel with probability ``p`` and scale the rest by ``1/(1 - p)``. As torch, a 3-d
    input is taken as ``(N, C, L)``, with torch's warning (see
    :func:`autograd.nn.functional.dropout2d`).

    Parameters
    ----------
    p : float
        The probability of a channel being zeroed, in [0, 1] (default 0.5).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """

    def forward(self, x: Any) -> Any:
        return F.dropout2d(x, self.p, self.training, self.inplace)


class Dropout3d(_DropoutNd):
    """Channel dropout (``torch.nn.Dropout3d``) for ``(N, C, D, H, W)`` or ``(C, D, H, W)``
    inputs: while ``training``, zero each channel with probability ``p`` and scale the rest by
    ``1/(1 - p)`` (see :func:`autograd.nn.functional.dropout3d`).

    Parameters
    ----------
    p : float
        The probability of a channel being zeroed, in [0, 1] (default 0.5).
    inplace : bool
        Write the result into the input and return the input, as torch (on a tensor computed
        from others, the write is recorded in its graph, as torch's; default False).

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """

    def forward(self, x: Any) -> Any:
        return F.dropout3d(x, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Alpha dropout (``torch.nn.AlphaDropout``), for SELU networks: while ``training``, drop each
    element with probability ``p`` to SELU's saturation value and apply the affine map that keeps
    zero mean and unit variance (see :func:`autograd.nn.functional.alpha_dropout`).

    Parameters
    ----------
    p : float
        The probability of an element being dropped, in [0, 1] (default 0.5).
    inplace : bool
        Accepted for torch's signature (torch's module ignores it too; default False).

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """

    def forward(self, x: Any) -> Any:
        return F.alpha_dropout(x, self.p, self.training)  # (torch's ignores inplace too)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels (``torch.nn.FeatureAlphaDropout``) for ``(N, C, ...)``
    inputs (see :func:`autograd.nn.functional.feature_alpha_dropout`).

    Parameters
    ----------
    p : float
        The probability of a channel being dropped, in [0, 1] (default 0.5).
    inplace : bool
        Accepted for torch's signature (torch's module ignores it too; default False).

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """

    def forward(self, x: Any) -> Any:
        return F.feature_alpha_dropout(x, self.p, self.training)  # (torch's ignores inplace too)
