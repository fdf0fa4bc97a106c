"""``LazyLinear``, ``LazyConv1d``/``2d``/``3d``, ``LazyConvTranspose1d``/``2d``/``3d``,
``LazyBatchNorm1d``/``2d``/``3d`` and ``LazyInstanceNorm1d``/``2d``/``3d``, as in torch.nn: a module whose
input size (``in_features``, ``in_channels``, ``num_features``) comes from its first input; its
parameters are sized in place and set then (torch's draws after the same seed), and it becomes the
plain module, as torch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ..factories import _cpu
from .batchnorm import BatchNorm1d, BatchNorm2d
from .conv import Conv1d, Conv2d, _ConvNd, channels
from .conv_transpose import ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, _ConvTransposeNd
from .instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .module import Module, check_size
from .parameter import Parameter
from .tensor import Linear
from .volumes import BatchNorm3d, Conv3d


class _Lazy(Module):
    """Draws nothing until the first call has sized the parameters (while ``_rng`` is kept)."""

    def reset_parameters(self, rng: np.random.Generator | int | None = None) -> None:
        """Draw the weights again once the input size is known (nothing before the first call)."""
        if "_rng" not in self.__dict__:
            super().reset_parameters(rng)  # type: ignore[misc]


def _unsized(module: Module, bias: bool) -> None:
    """Empty ``weight`` and ``bias`` of the module's dtype, sized at the first call."""
    dtype = module.weight.data.dtype
    module.weight = Parameter(np.empty(0, dtype=dtype))
    module.bias = Parameter(np.empty(0, dtype=dtype)) if bias else None


def _in_channels(module: Module, input: Any) -> int:
    """The input's channels (axis 1, or 0 of an unbatched input), checked against ``groups``."""
    shape = np.shape(input.data if isinstance(input, Tensor) else input)
    name, n = type(module).__name__, module._spatial
    if len(shape) not in (n + 1, n + 2):
        raise ValueError(f"{name}: expected a {n + 1}-d (unbatched) or {n + 2}-d input, got shape {shape}")
    return channels(name, int(shape[-n - 1]), module.out_channels, module.groups)[0]


def _materialize(module: Module, cls: type, weight_shape: tuple[int, ...], outputs: int) -> None:
    """Size ``weight`` and ``bias`` in place (the same Parameters), turn ``module`` into ``cls`` and
    draw its parameters as ``cls.reset_parameters`` does."""
    module.weight.data = np.empty(weight_shape, dtype=module.weight.data.dtype)
    if module.bias is not None:
        module.bias.data = np.empty((outputs,), dtype=module.bias.data.dtype)
    rng = module.__dict__.pop("_rng")
    module.__class__ = cls
    module.reset_parameters(rng)


class LazyLinear(_Lazy, Linear):
    r"""A :class:`~autograd.nn.Linear` with ``in_features`` inferred at the first call
    (``torch.nn.LazyLinear``).

    Until then ``weight`` and ``bias`` are empty Parameters (``in_features=0``); the first call
    sizes them in place (the same Parameter objects, so an optimizer built before holds them),
    draws them as ``Linear.reset_parameters`` does (torch's draws after the same seed) and turns
    the module into a ``Linear``, as torch's. Load a state dict after the first call.

    Parameters
    ----------
    out_features : int
        The output size.
    bias : bool
        Whether to add a bias (default True).
    device : str, optional
        "cpu" or None.
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the weights drawn at the first call; None: the library's generator.

    Raises
    ------
    TypeError
        If ``out_features`` is not a positive int.
    ValueError
        At the first call, if the input is 0-d or its last dimension is 0.
    """

    def __init__(
        self,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        _cpu("LazyLinear", device)
        self.in_features = 0
        self.out_features = check_size("LazyLinear", "out_features", out_features)
        self.weight = Parameter(np.empty(0, dtype=dtype))
        self.bias = Parameter(np.empty(0, dtype=dtype)) if bias else None
        self._rng = rng

    def forward(self, x: Tensor) -> Tensor:
        shape = np.shape(x.data if isinstance(x, Tensor) else x)
        if not shape or not shape[-1]:
            raise ValueError(
                f"LazyLinear: expected an input with a non-empty last dimension, got shape {shape}"
            )
        self.in_features = int(shape[-1])
        _materialize(self, Linear, (self.out_features, self.in_features), self.out_features)
        return self.forward(x)


class _LazyConvNd(_Lazy, _ConvNd):
    """A convolution whose ``in_channels`` is the first input's channel count (axis 1, or 0 of an
    unbatched input)."""

    _becomes: type

    def __init__(
        self,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        name = type(self).__name__
        g = check_size(name, "groups", groups)
        self._rng = rng  # (reset_parameters draws nothing until the first call)
        super().__init__(
            g, out_channels, kernel_size, stride, padding, dilation, g, bias, padding_mode, device, dtype
        )
        self.in_channels = 0
        _unsized(self, bias)

    def forward(self, input: Any) -> Tensor:
        self.in_channels = _in_channels(self, input)
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        _materialize(self, self._becomes, shape, self.out_channels)
        return self.forward(input)


class _LazyConvTransposeNd(_Lazy, _ConvTransposeNd):
    """A transposed convolution whose ``in_channels`` is the first input's channel count."""

    _becomes: type

    def __init__(
        self,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = np.float64,
        rng: np.random.Generator | int | None = None,
    ) -> None:
        g = check_size(type(self).__name__, "groups", groups)
        self._rng = rng
        super().__init__(
            g, out_channels, kernel_size, stride, padding, output_padding, g, bias, dilation, padding_mode,
            device, dtype,
        )  # fmt: skip
        self.in_channels = 0
        _unsized(self, bias)

    def forward(self, input: Any, output_size: Any = None) -> Tensor:
        self.in_channels = _in_channels(self, input)
        shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        _materialize(self, self._becomes, shape, self.out_channels)
        return self.forward(input, output_size)


_LAZY_CONV_DOC = """A :class:`~autograd.nn.{0}` with ``in_channels`` inferred at the first call
    (``torch.nn.Lazy{0}``).

    Until then ``in_channels`` is 0 and ``weight``/``bias`` are empty Parameters; the first call sizes
    them in place from the input's channels (axis 1, or 0 of an unbatched input), draws them as
    ``{0}.reset_parameters`` does and turns the module into a ``{0}``, as torch's.

    Parameters
    ----------
    out_channels : int
        The output channels.
    kernel_size, stride, padding, dilation, groups, bias, padding_mode
        As :class:`~autograd.nn.{0}`'s (and ``output_padding`` of a transposed convolution).
    device : str, optional
        "cpu" or None.
    dtype : numpy.dtype
        float64 (default) or float32.
    rng : int or numpy.random.Generator, optional
        The seed or generator of the weights drawn at the first call; None: the library's generator.
    """


class LazyConv1d(_LazyConvNd):
    __doc__ = _LAZY_CONV_DOC.format("Conv1d")
    _spatial, _becomes = 1, Conv1d


class LazyConv2d(_LazyConvNd):
    __doc__ = _LAZY_CONV_DOC.format("Conv2d")
    _spatial, _becomes = 2, Conv2d


class LazyConv3d(_LazyConvNd):
    __doc__ = _LAZY_CONV_DOC.format("Conv3d")
    _spatial, _becomes = 3, Conv3d


class LazyConvTranspose1d(_LazyConvTransposeNd):
    __doc__ = _LAZY_CONV_DOC.format("ConvTranspose1d")
    _spatial, _becomes = 1, ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTransposeNd):
    __doc__ = _LAZY_CONV_DOC.format("ConvTranspose2d")
    _spatial, _becomes = 2, ConvTranspose2d


class LazyConvTranspose3d(_LazyConvTransposeNd):
    __doc__ = _LAZY_CONV_DOC.format("ConvTranspose3d")
    _spatial, _becomes = 3, ConvTranspose3d


class _LazyNorm(Module):
    """A batch or instance norm whose ``num_features`` is the first input's axis 1 (torch's choice,
    for unbatched instance-norm input too), when it has parameters or running statistics to size."""

    _becomes: type

    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = np.float64,
        *,
        bias: bool = True,
    ) -> None:
        self._rng = None  # (unsized until the first call)
        super().__init__(1, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)  # type: ignore[call-arg]
        self.num_features = 0
        for tensor in self._sized():
            tensor.data = np.empty(0, dtype=tensor.data.dtype)

    def _sized(self) -> list[Tensor]:
        names = ("weight", "bias", "running_mean", "running_var")
        return [t for t in (getattr(self, n) for n in names) if t is not None]

    def reset_parameters(self) -> None:
        """Weight 1, bias 0 and the running statistics reset, once sized (nothing before)."""
        if "_rng" not in self.__dict__:
            super().reset_parameters()  # type: ignore[misc]

    def forward(self, input: Any) -> Tensor:
        sized = self._sized()
        if sized:
            shape = np.shape(input.data if isinstance(input, Tensor) else input)
            if len(shape) < 2:
                raise ValueError(
                    f"{type(self).__name__}: expected an input of at least 2 dims, got shape {shape}"
                )
            self.num_features = int(shape[1])
            for tensor in sized:
                tensor.data = np.empty((self.num_features,), dtype=tensor.data.dtype)
        del self._rng
        self.__class__ = self._becomes
        self.reset_parameters()
        return self.forward(input)


_LAZY_NORM_DOC = """A :class:`~autograd.nn.{0}` with ``num_features`` inferred at the first call
    (``torch.nn.Lazy{0}``).

    Until then ``num_features`` is 0 and the weight, bias and running statistics are empty; the
    first call sizes them in place from the input's axis 1 (as torch's), sets them as
    ``{0}.reset_parameters`` does and turns the module into a ``{0}``.

    Parameters
    ----------
    eps, momentum, affine, track_running_stats, bias
        As :class:`~autograd.nn.{0}`'s (``affine`` and ``track_running_stats`` default to True, as
        torch's lazy norms).
    device : str, optional
        "cpu" or None.
    dtype : numpy.dtype
        float64 (default) or float32.
    """


class LazyBatchNorm1d(_LazyNorm, BatchNorm1d):
    __doc__ = _LAZY_NORM_DOC.format("BatchNorm1d")
    _becomes = BatchNorm1d


class LazyBatchNorm2d(_LazyNorm, BatchNorm2d):
    __doc__ = _LAZY_NORM_DOC.format("BatchNorm2d")
    _becomes = BatchNorm2d


class LazyBatchNorm3d(_LazyNorm, BatchNorm3d):
    __doc__ = _LAZY_NORM_DOC.format("BatchNorm3d")
    _becomes = BatchNorm3d


class LazyInstanceNorm1d(_LazyNorm, InstanceNorm1d):
    __doc__ = _LAZY_NORM_DOC.format("InstanceNorm1d")
    _becomes = InstanceNorm1d


class LazyInstanceNorm2d(_LazyNorm, InstanceNorm2d):
    __doc__ = _LAZY_NORM_DOC.format("InstanceNorm2d")
    _becomes = InstanceNorm2d


class LazyInstanceNorm3d(_LazyNorm, InstanceNorm3d):
    __doc__ = _LAZY_NORM_DOC.format("InstanceNorm3d")
    _becomes = InstanceNorm3d
