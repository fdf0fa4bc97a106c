"""Numbers someone states about a graph (teaching notes, a hand derivation), set beside the engine's.

A :class:`Claim` names a node, which of its numbers it states (``"data"``: its value,
``"grad"``: its gradient) and the stated number. The number is judged at the precision
it is written with: ``"1.086"`` agrees with every value that rounds to 1.086 at three
decimals, so a claim is best given as the text the notes print. The step-through page
shows each claim at the frame where its node gets that number: ✓ when it agrees, ✗ and
the engine's number when it does not, and the wrong ones stay marked in the node's box.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import numpy as np

from .text import printable
from .walk import Node, grad_of, is_node

KINDS = ("data", "grad")


@dataclass(frozen=True)
class Claim:
    """``stated`` is ``node``'s value (``of="data"``) or gradient (``of="grad"``), as someone wrote it.

    The number is judged at the precision it is written with (see :attr:`tolerance`).

    Parameters
    ----------
    node : Value or Tensor
        A Value or a Tensor with one element, in the graph shown.
    stated : str or float
        The number as written (``"-0.252"``), or a float (judged at its shortest repr).
    of : {"data", "grad"}
        Which of the node's numbers it states (default "data").
    note : str
        Shown with the verdict, e.g. where a wrong number comes from.

    Raises
    ------
    TypeError
        If ``node`` is not a Value or Tensor, ``stated`` not a number or its text, or ``note``
        not a str.
    ValueError
        If ``of`` is not "data" or "grad", or ``stated`` is not a finite number.
    """

    node: Node
    stated: str | float
    of: str = "data"
    note: str = ""

    def __post_init__(self) -> None:
        if not is_node(self.node):
            raise TypeError(f"Claim: node must be a Value or Tensor; got {type(self.node).__name__}")
        if self.of not in KINDS:
            raise ValueError(f"Claim: of must be 'data' or 'grad'; got {self.of!r}")
        if not isinstance(self.note, str):
            raise TypeError(f"Claim: note must be str; got {type(self.note).__name__}")
        if isinstance(self.stated, bool) or not isinstance(self.stated, (str, int, float)):
            raise TypeError(f"Claim: stated must be a number or its text; got {type(self.stated).__name__}")
        try:
            exact = Decimal(self._written())
        except InvalidOperation:
            raise ValueError(f"Claim: stated must be a number or its text; got {self.stated!r}") from None
        if not exact.is_finite():
            raise ValueError(f"Claim: stated must be finite; got {self.stated!r}")

    def _written(self) -> str:
        if isinstance(self.stated, str):
            return self.stated.strip()
        return str(self.stated) if isinstance(self.stated, int) else repr(float(self.stated))

    @property
    def text(self) -> str:
        """The stated number as written (control and bidi characters escaped)."""
        return printable(self._written())

    @property
    def tolerance(self) -> float:
        """Half a unit in the last written place (``"1.086"`` → 0.0005, ``"0"`` → 0.5)."""
        exponent = Decimal(self.text).as_tuple().exponent
        return 0.5 * 10.0**exponent * (1 + 1e-9)

    def engine(self) -> float:
        """The engine's number for this claim (raises TypeError for a Tensor of several elements
        or a gradient that was not computed)."""
        x = self.node.data if self.of == "data" else grad_of(self.node)
        if x is None or np.size(x) != 1:
            what = "no gradient" if x is None else f"{np.size(x)} elements"
            raise TypeError(f"Claim: the node's {self.of} must be one number; it has {what}")
        return float(np.asarray(x).reshape(()))

    def agrees(self) -> bool:
        """Whether the engine's number rounds to the stated one at its written precision."""
        return abs(self.engine() - float(self.text)) <= self.tolerance
