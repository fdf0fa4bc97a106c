"""Layers built from ``Tensor``s: ``Identity``, ``Linear``, ``TensorMLP`` and ``Bilinear``, laid out as in
torch.nn."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._tensor import Tensor
from ..factories import _cpu, zeros
from ..random_state import generator
from . import functional as F
from .activation import BY_NAME
from .container import Sequential
from .module import Module, check_activation, check_size, check_sizes
from .parameter import Parameter, _drawn_next


class Identity(Module):
    """Returns its input unchanged (``torch.nn.Identity``).

    Parameters
    ----------
    *args, **kwargs
        Ignored, as torch does.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def forward(self, x: Any) -> Any:
        return x


class Linear(Module):
    r"""A fully connected layer on Tensors, ``y = x @ weight.T + bias`` (``torch.nn.Linear``).

    .. math::

        y = x W^\top + b, \qquad W \in \mathbb{R}^{\text{out} \times \text{in}}

    ``weight`` is shaped ``(out_features, in_features)`` and ``bias`` ``(out_features,)``, both
    :class:`~autograd.nn.Parameter` objects drawn from :math:`U(-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}})`,
    torch's default bound, so the state dict loads into ``torch.nn.Linear``.

    Parameters
    ----------
    in_features, out_features : int
        The input and output sizes.
    bias : bool
        Whether to add a bias (default True).
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the initial weights; None draws from the library's generator
        (see :func:`~autograd.manual_seed`).
    device : str, optional
        None, ``"cpu"``, or ``"meta"`` (shapes without data, to load weights into with
        ``load_state_dict(sd, assign=True)``: ``autograd/nn/meta.py``).

    Raises
    ------
    TypeError
        If a size is not a positive int.
    ValueError
        When called, if the input's last dimension is not ``in_features``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
        device: Any = None,
    ) -> None:
        _cpu("Linear", device)
        self.in_features = check_size("Linear", "in_features", in_features)
        self.out_features = check_size("Linear", "out_features", out_features)
        self.weight = _drawn_next((out_features, in_features), dtype, "weight")
        self.bias = _drawn_next((out_features,), dtype, "bias") if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | int | None = None) -> None:
        """Draw weight and bias again from U(-1/√in_features, 1/√in_features), in place."""
        from .init import _reset_like_linear

        _reset_like_linear(self.weight, self.bias, generator(rng, "Linear"))

    def forward(self, x: Tensor) -> Tensor:
        shape = np.shape(x.data if isinstance(x, Tensor) else x)
        if not shape or shape[-1] != self.in_features:
            raise ValueError(
                f"Linear(in_features={self.in_features}, out_features={self.out_features}): expected an "
                f"input whose last dimension is in_features={self.in_features}, got shape {shape}"
            )
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        has_bias = self.bias is not None
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={has_bias}"


class TensorMLP(Sequential):
    """A multilayer perceptron on Tensors: ``Linear`` layers of sizes ``nouts`` with ``activation``
    between them.

    ``TensorMLP(2, [16, 16, 1])`` is ``Sequential(Linear(2, 16), ReLU(), Linear(16, 16), ReLU(),
    Linear(16, 1))``, with the same state-dict keys (``0.weight``, ``0.bias``, ``2.weight``, ...),
    so its ``state_dict()`` loads into that torch Sequential. The signature and the default
    activation are those of the Value :class:`~autograd.nn.MLP`, whose weights it loads.

    Parameters
    ----------
    nin : int
        The number of inputs.
    nouts : sequence of int
        The size of each layer, the last being the number of outputs.
    activation : {"relu", "tanh", "sigmoid", "linear"}
        The activation after every layer but the last (default "relu", micrograd's; "linear": none).
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the initial weights.

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
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        sizes = check_sizes("TensorMLP", nin, nouts)
        self.activation = check_activation("TensorMLP", activation)
        rng = generator(rng, "TensorMLP")
        modules: list[Module] = []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            modules.append(Linear(a, b, dtype=dtype, rng=rng))
            if i < len(sizes) - 2 and activation != "linear":
                modules.append(BY_NAME[activation]())
        super().__init__(*modules)


class Bilinear(Module):
    r"""A bilinear layer, :math:`y_o = x_1^\top A_o x_2 + b_o` (``torch.nn.Bilinear``).

    ``weight`` is shaped ``(out_features, in1_features, in2_features)`` and ``bias``
    ``(out_features,)``, both drawn from :math:`U(-1/\sqrt{\text{in1}}, 1/\sqrt{\text{in1}})` as
    torch's, with torch's state-dict keys.

    Parameters
    ----------
    in1_features, in2_features, out_features : int
        The sizes of the two inputs and of the output.
    bias : bool
        Whether to add a bias (default True).
    device : str, optional
        Accepted when it names the CPU.
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype).

    Raises
    ------
    TypeError
        If a size is not a positive int.
    RuntimeError
        When called, if the inputs' shapes do not fit.
    """

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        _cpu("Bilinear", device)
        self.in1_features = check_size("Bilinear", "in1_features", in1_features)
        self.in2_features = check_size("Bilinear", "in2_features", in2_features)
        self.out_features = check_size("Bilinear", "out_features", out_features)
        self.weight = Parameter(zeros(out_features, in1_features, in2_features, dtype=dtype))
        self.bias = Parameter(zeros(out_features, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw weight and bias again from U(-1/√in1_features, 1/√in1_features), in place."""
        from .init import uniform_

        bound = 1 / math.sqrt(self.weight.shape[1])
        uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            uniform_(self.bias, -bound, bound)

    def forward(self, input1: Any, input2: Any) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
