"""``Dropout``, as in torch.nn: active in training mode, the identity in eval mode."""

from __future__ import annotations

from typing import Any

from . import functional as F
from .module import Module


class Dropout(Module):
    """Zero each element with probability ``p`` while ``training`` and scale the rest by
    ``1/(1 - p)``; in ``eval()`` mode, the identity. Masks come from the library's generator, so
    ``manual_seed`` makes them repeat (see ``F.dropout``).

    Raises:
        ValueError: ``p`` is not in [0, 1].
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        self.p, self.inplace = F._probability("Dropout", p), inplace

    def forward(self, x: Any) -> Any:
        return F.dropout(x, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
