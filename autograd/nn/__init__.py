"""Small neural-network building blocks: micrograd-style layers on Values, and Tensor layers.

``Neuron``, ``Layer`` and ``MLP`` work on scalar Values (micrograd's API);
``Linear`` and ``TensorMLP`` (also ``autograd.nn.tensor.MLP``) work on Tensors.
"""

from .module import Module
from .scalar import MLP, Layer, Neuron
from .tensor import MLP as TensorMLP
from .tensor import Linear

__all__ = ["Module", "Neuron", "Layer", "MLP", "Linear", "TensorMLP"]
