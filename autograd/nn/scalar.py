"""micrograd-compatible layers built from scalar ``Value``s."""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..value import Value
from .module import Module

_ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


class Neuron(Module):
    """act(Σ wᵢxᵢ + b), with weights drawn from U(-1, 1) and b = 0 (as micrograd).

    ``nonlin=False`` makes it linear; ``activation`` picks relu (default), tanh or sigmoid.
    """

    def __init__(
        self, nin: int, nonlin: bool = True, activation: str = "relu", rng: random.Random | None = None
    ):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"Neuron: activation must be one of {_ACTIVATIONS}, got {activation!r}")
        uniform = (rng or random).uniform
        self.w = [Value(uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation = activation if nonlin else "linear"

    def __call__(self, x: Sequence[Value | float]) -> Value:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act if self.activation == "linear" else getattr(act, self.activation)()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def __repr__(self) -> str:
        return f"{self.activation.capitalize()}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; a single output is returned unwrapped."""

    def __init__(self, nin: int, nout: int, **kwargs: object) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]  # type: ignore[arg-type]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of sizes ``nouts``; every layer but the last applies the activation."""

    def __init__(
        self, nin: int, nouts: Sequence[int], activation: str = "relu", rng: random.Random | None = None
    ):
        sizes = [nin, *nouts]
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, activation=activation, rng=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)  # type: ignore[assignment]
        return x  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
