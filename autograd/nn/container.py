"""``Sequential``: modules applied one after another, named 0, 1, 2, ... (or by a dict) as in torch."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .module import Module


class Sequential(Module):
    """``Sequential(m0, m1, ...)(x) = ...m1(m0(x))``; state-dict keys ``"0.weight"``, ``"2.bias"``, ...

    As in torch, ``Sequential(OrderedDict(fc=Linear(2, 3), act=Tanh()))`` names the modules
    instead (keys ``"fc.weight"``, ...).
    """

    def __init__(self, *modules: Module | Mapping[str, Module]) -> None:
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            named = list(modules[0].items())
        else:
            named = [(str(i), m) for i, m in enumerate(modules)]
        for i, (name, m) in enumerate(named):
            if not isinstance(m, Module):
                what = f"argument {i}" if name == str(i) else f"module {name!r}"
                raise TypeError(f"Sequential: {what} must be a Module, got {type(m).__name__}")
            if not isinstance(name, str) or not name or "." in name:
                raise ValueError(
                    f"Sequential: module names must be non-empty strings without '.', got {name!r}"
                )
        self._named = named

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return iter(self._named)

    def forward(self, x: Any) -> Any:
        for _, m in self._named:
            x = m(x)
        return x

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end, named by its position (returns self, as torch)."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.append: expected a Module, got {type(module).__name__}")
        self._named.append((str(len(self._named)), module))
        return self

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return Sequential(dict(self._named[index]))
        return self._named[index][1]

    def __len__(self) -> int:
        return len(self._named)

    def __iter__(self) -> Iterator[Module]:
        return (m for _, m in self._named)
