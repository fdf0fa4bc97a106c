"""``Sequential``: modules applied one after another, indexed and keyed 0, 1, 2, ... as in torch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .module import Module


class Sequential(Module):
    """``Sequential(m0, m1, ...)(x) = ...m1(m0(x))``; state-dict keys ``"0.weight"``, ``"2.bias"``, ..."""

    def __init__(self, *modules: Module) -> None:
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential: argument {i} must be a Module, got {type(m).__name__}")
        self._seq = list(modules)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return ((str(i), m) for i, m in enumerate(self._seq))

    def forward(self, x: Any) -> Any:
        for m in self._seq:
            x = m(x)
        return x

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end (returns self, as torch)."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.append: expected a Module, got {type(module).__name__}")
        self._seq.append(module)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return Sequential(*self._seq[index])
        return self._seq[index]

    def __len__(self) -> int:
        return len(self._seq)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._seq)
