"""The base class shared by every layer: parameters and zero_grad."""

from __future__ import annotations

from typing import Any


class Module:
    """A callable holding parameters (Values or Tensors)."""

    def parameters(self) -> list[Any]:
        """Every trainable node, in a fixed order."""
        return []

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (0.0 for a Value, None for a Tensor)."""
        for p in self.parameters():
            p.grad = 0.0 if isinstance(p.grad, float) else None
