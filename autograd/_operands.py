"""What the composed Tensor functions share: their operands as Tensors, and their methods.

The functions of ``autograd/products.py``, ``reductions.py``, ``scans.py`` and ``linalg.py``
take the tensor first, as PyTorch's do, so each also serves as the Tensor method of its name
(``t.prod(0)`` is ``autograd.prod(t, 0)``, as ``torch.Tensor.prod`` is ``torch.prod``):
:func:`tensor_methods` sets them on ``Tensor``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._tensor import Tensor
from .value import Value
from .value_array import ValueArray


def as_tensors(*xs: Any) -> list[Tensor]:
    """Every operand as a Tensor: Tensors as they are, anything else a constant in the first
    Tensor's dtype (float64 when there is none), as in ``t + 1``."""
    like = next((x for x in xs if isinstance(x, Tensor)), None)
    like = as_tensor(xs[0]) if like is None else like
    return [like._lift(_plain(x)) for x in xs]


def as_tensor(x: Any, what: str = "") -> Tensor:
    """``x`` as a Tensor (a constant unless it is one). A Value or ValueArray is refused by name
    (``what``: the function and argument, "normalize: input"): the functions that call this (scans,
    products, linear algebra, nn.functional's distances) are written for Tensors."""
    return x if isinstance(x, Tensor) else Tensor(_plain(x, what))


def _plain(x: Any, what: str = "") -> Any:
    """``x``, unless it is a Value or ValueArray, whose graph a Tensor function cannot extend."""
    if isinstance(x, (Value, ValueArray)):
        kind = type(x).__name__
        raise TypeError(
            f"{what + ' must be' if what else 'expected'} a Tensor or plain numbers, got a {kind}: this "
            "function works on Tensors (its graph is one of Tensor operations); use a Tensor, or the "
            f"{kind}'s own methods and numpy's functions, which keep its graph of Values"
        )
    return x


def method_of(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function(self, ...)`` as a Tensor method (torch's ``t.kthvalue(k)`` for ``kthvalue(t, k)``)."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return function(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = function.__name__
    method.__doc__ = (
        f"``autograd.{function.__name__}(self, ...)``: " + (function.__doc__ or "").split("\n\n")[0]
    )
    return method


def tensor_methods(**functions: Callable[..., Any]) -> None:
    """Set each function as the Tensor method of its keyword's name; a name Tensor already
    defines is an error (two definitions of one method would depend on import order)."""
    for name, function in functions.items():
        if name in vars(Tensor):
            raise RuntimeError(f"tensor_methods: Tensor.{name} is already defined")
        setattr(Tensor, name, function)
