"""``Dropout``, as in torch.nn: active in training mode, the identity in eval mode."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .functional.layers import _probability
from .module import Module


class Dropout(Module):
    """Inverted dropout (``torch.nn.Dropout``): while ``training``, zero each element with
    probability ``p`` and scale the rest by ``1/(1 - p)``; in ``eval()`` mode, the identity.

    Masks come from the library's generator, so :func:`autograd.manual_seed` makes them repeat
    (see :func:`autograd.nn.functional.dropout`).

    Parameters
    ----------
    p : float
        The probability of an element being zeroed, in [0, 1] (default 0.5).
    inplace : bool
        Accepted for torch's signature; a new tensor is computed (default False).

    Raises
    ------
    TypeError
        If ``p`` is not a real number.
    ValueError
        If ``p`` is not in [0, 1].
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        self.p, self.inplace = _probability("Dropout", p), inplace

    def forward(self, x: Any) -> Any:
        return F.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
