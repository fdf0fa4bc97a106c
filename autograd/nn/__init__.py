"""Neural-network building blocks, named and laid out as in torch.nn.

``Neuron``, ``Layer`` and ``MLP`` work on scalar Values (micrograd's API); ``Linear``,
``TensorMLP``, ``Sequential`` and the activations ``ReLU``, ``Tanh``, ``Sigmoid`` work on
Tensors. ``MLP(nin, nouts, activation="relu")`` and ``TensorMLP(nin, nouts, activation="relu")``
take the same arguments and build the same network. Every module has ``parameters()``,
``named_parameters()``, ``zero_grad()``, ``state_dict()`` and ``load_state_dict()``.
"""

from .activation import ReLU, Sigmoid, Tanh
from .container import Sequential
from .module import IncompatibleKeys, Module
from .scalar import MLP, Layer, Neuron
from .tensor import Linear, TensorMLP

__all__ = [
    "Module",
    "IncompatibleKeys",
    "Neuron",
    "Layer",
    "MLP",
    "Linear",
    "TensorMLP",
    "Sequential",
    "ReLU",
    "Tanh",
    "Sigmoid",
]
