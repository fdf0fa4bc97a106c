"""micrograd-compatible layers built from scalar ``Value``s.

micrograd's code runs unchanged: ``MLP(nin, nouts)`` applies relu after every layer but the last.
State dicts follow torch: a ``Layer`` is a ``torch.nn.Linear`` (``weight`` shaped (nout, nin),
``bias`` (nout,)); an ``MLP`` is the matching ``torch.nn.Sequential`` (keys ``0.weight``,
``0.bias``, ``2.weight``, ... with the activations at the odd indices).
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from .._tensor import Tensor
from ..value import Value
from .module import Module, check_activation, check_size, check_sizes

_NAMES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}


class Neuron(Module):
    r"""One neuron on scalar Values, as micrograd's: :math:`\text{act}(\sum_i w_i x_i + b)`.

    The weights are drawn from :math:`U(-1, 1)` and :math:`b = 0` (as micrograd). Its state dict
    is that of ``torch.nn.Linear(nin, 1)``.

    Parameters
    ----------
    nin : int
        The number of inputs.
    nonlin : bool
        micrograd's flag: False makes the neuron linear.
    activation : {"relu", "tanh", "sigmoid", "linear"}
        The activation (default "relu").
    rng : random.Random, optional
        The source of the initial weights (default: the ``random`` module).

    Raises
    ------
    TypeError
        If ``nin`` is not a positive int.
    ValueError
        If ``activation`` is not one of the four names.
    """

    def __init__(
        self, nin: int, nonlin: bool = True, activation: str = "relu", rng: random.Random | None = None
    ):
        check_size("Neuron", "nin", nin)
        check_activation("Neuron", activation)
        uniform = (rng or random).uniform
        self.w = [Value(uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0.0)
        self.activation = activation if nonlin else "linear"

    @property
    def nonlin(self) -> bool:
        """Whether an activation is applied (micrograd's flag)."""
        return self.activation != "linear"

    def forward(self, x: Sequence[Value | float]) -> Value:
        if hasattr(x, "__len__") and len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs (nin={len(self.w)}), got {len(x)}")
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act if self.activation == "linear" else getattr(act, self.activation)()

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return iter(())

    def _named_own_parameters(self) -> Iterator[tuple[str, Value]]:
        return _named_rows([self])

    def _own_state(self) -> dict[str, Tensor]:
        return _rows_state([self])

    def _load_own(self, arrays: Mapping[str, np.ndarray]) -> None:
        _load_rows([self], arrays)

    def __repr__(self) -> str:
        return f"{_NAMES[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs, as micrograd's; a single output is returned unwrapped.

    Its state dict is that of ``torch.nn.Linear(nin, nout)``.

    Parameters
    ----------
    nin, nout : int
        The numbers of inputs and of neurons.
    **kwargs
        Passed to each :class:`~autograd.nn.Neuron` (``nonlin``, ``activation``, ``rng``).

    Raises
    ------
    TypeError
        If a size is not a positive int.
    """

    def __init__(self, nin: int, nout: int, **kwargs: object) -> None:
        check_size("Layer", "nout", nout)
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]  # type: ignore[arg-type]

    def forward(self, x: Sequence[Value | float]) -> Value | list[Value]:
        out = [n.forward(x) for n in self.neurons]  # (forward, not n(x): one frame less per neuron)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return iter(())  # the neurons are the rows of this layer's weight

    def _named_own_parameters(self) -> Iterator[tuple[str, Value]]:
        return _named_rows(self.neurons)

    def _own_state(self) -> dict[str, Tensor]:
        return _rows_state(self.neurons)

    def _load_own(self, arrays: Mapping[str, np.ndarray]) -> None:
        _load_rows(self.neurons, arrays)

    def __repr__(self) -> str:
        nin, act = len(self.neurons[0].w), self.neurons[0].activation
        return f"Layer(nin={nin}, nout={len(self.neurons)}, activation={act!r})"


class MLP(Module):
    """A multilayer perceptron on scalar Values, micrograd's ``MLP``: every node can be drawn.

    Layers of sizes ``nouts``; every layer but the last applies ``activation``. Its state dict has
    the keys of the matching ``torch.nn.Sequential`` (``0.weight``, ``0.bias``, ``2.weight``, ...),
    so the same weights load into a :class:`~autograd.nn.TensorMLP` or into PyTorch.

    Parameters
    ----------
    nin : int
        The number of inputs.
    nouts : sequence of int
        The size of each layer, the last being the number of outputs.
    activation : {"relu", "tanh", "sigmoid", "linear"}
        The activation after every layer but the last (default "relu", micrograd's; "linear": none).
    rng : random.Random, optional
        The source of the initial weights (default: the ``random`` module).

    Raises
    ------
    TypeError or ValueError
        If ``nin`` is not a positive int or ``nouts`` not a non-empty list of positive ints (the
        message says which).
    ValueError
        If ``activation`` is not one of the four names.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int] | None = None,
        activation: str = "relu",
        rng: random.Random | None = None,
    ):
        sizes = check_sizes("MLP", nin, nouts)
        self.activation = check_activation("MLP", activation)
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, activation=activation, rng=rng)
            for i in range(len(nouts))
        ]

    def forward(self, x: Sequence[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer.forward(x)  # type: ignore[assignment]
        return x  # type: ignore[return-value]

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The layers, at their indices in the equivalent torch.nn.Sequential (0, 2, 4, ...)."""
        step = 1 if self.activation == "linear" else 2
        return ((str(step * i), layer) for i, layer in enumerate(self.layers))

    def __repr__(self) -> str:
        nouts = [len(layer.neurons) for layer in self.layers]
        return f"MLP(nin={len(self.layers[0].neurons[0].w)}, nouts={nouts}, activation={self.activation!r})"


def _named_rows(neurons: list[Neuron]) -> Iterator[tuple[str, Value]]:
    """Names in ``parameters()`` order: neuron by neuron, its weights then its bias."""
    for i, n in enumerate(neurons):
        yield from ((f"weight[{i}, {j}]", w) for j, w in enumerate(n.w))
        yield f"bias[{i}]", n.b


def _rows_state(neurons: list[Neuron]) -> dict[str, Tensor]:
    """The neurons' Values as torch.nn.Linear's ``weight`` and ``bias`` (new float64 Tensors)."""
    weight = np.array([[w.data for w in n.w] for n in neurons], dtype=np.float64)
    return {"weight": Tensor(weight), "bias": Tensor(np.array([n.b.data for n in neurons], dtype=np.float64))}


def _load_rows(neurons: list[Neuron], arrays: Mapping[str, np.ndarray]) -> None:
    for i, n in enumerate(neurons):
        if "weight" in arrays:
            for w, x in zip(n.w, arrays["weight"][i].tolist()):
                w.data = x
        if "bias" in arrays:
            n.b.data = float(arrays["bias"][i])
