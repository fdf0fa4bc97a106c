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
    """What the lazy modules share: nothing is drawn (``reset_parameters`` does nothing) while the
    parameters are unsized; the first call sizes them (and the buffers) in place, the same objects,
    from the input (``_shapes``), turns the module into ``_becomes`` and sets them as its
    ``reset_parameters`` does, called with ``_reset_args`` (kept until then). ``_doc``: the lazy
    classes' docstring, formatted with the name of the class they become."""

    _becomes: type
    _doc: str

    def reset_parameters(self, rng: np.random.Generator | int | None = None) -> None:
        """Draw the weights again once the input size is known (nothing before the first call)."""
        self._reset_when_sized(rng)

    def _reset_when_sized(self, *args: Any) -> None:
        """The ``reset_parameters`` of the class it becomes, once sized (nothing before)."""
        if "_reset_args" not in self.__dict__:
            super().reset_parameters(*args)  # type: ignore[misc]

    def _shapes(self, input: Any) -> dict[str, tuple[int, ...]]:
        """Set the size inferred from the first input; return the shape of each tensor to size."""
        raise NotImplementedError

    def _first_call(self, input: Any, *args: Any) -> Tensor:
        """Size the parameters and buffers from ``input``, become ``_becomes`` and run it."""
        for name, shape in self._shapes(input).items():
            tensor = getattr(self, name)
            tensor.data = np.empty(shape, dtype=tensor.data.dtype)
        reset_args = self.__dict__.pop("_reset_args")
        self.__class__ = self._becomes
        self.reset_parameters(*reset_args)
        return self.forward(input, *args)


def _lazy_classes(base: type, *becomes: type) -> tuple[type, ...]:
    """The class ``Lazy<name>`` of each class in ``becomes``: a ``base`` (and a subclass of that class
    too, unless ``base`` is one of the same kind) with ``base._doc`` for it as its docstring."""
    return tuple(
        type(
            f"Lazy{cls.__name__}",
            (base,) if issubclass(base, cls.__base__) else (base, cls),
            {
                "__module__": __name__,
                "__qualname__": f"Lazy{cls.__name__}",
                "__doc__": base._doc.format(cls.__name__),  # type: ignore[attr-defined]
                "_becomes": cls,
            },
        )
        for cls in becomes
    )


def _unsized(module: Module, bias: bool, dtype: Any) -> None:
    """Empty ``weight`` and ``bias`` Parameters of ``dtype``, sized at the first call."""
    module.weight = Parameter(np.empty(0, dtype=dtype))
    module.bias = Parameter(np.empty(0, dtype=dtype)) if bias else None


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

    _becomes = Linear

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
        _unsized(self, bias, dtype)
        self._reset_args = (rng,)

    def _shapes(self, input: Any) -> dict[str, tuple[int, ...]]:
        shape = np.shape(input.data if isinstance(input, Tensor) else input)
        if not shape or not shape[-1]:
            raise ValueError(
                f"LazyLinear: expected an input with a non-empty last dimension, got shape {shape}"
            )
        self.in_features = int(shape[-1])
        return _weight_and_bias(self, (self.out_features, self.in_features), self.out_features)

    def forward(self, x: Tensor) -> Tensor:
        return self._first_call(x)


def _weight_and_bias(module: Module, weight: tuple[int, ...], bias: int) -> dict[str, tuple[int, ...]]:
    """The shapes of ``weight`` and, if the module has one, ``bias``."""
    return {"weight": weight, **({"bias": (bias,)} if module.bias is not None else {})}


class _LazyChannels(_Lazy):
    """A (transposed) convolution whose ``in_channels`` is the first input's channel count (axis 1,
    or 0 of an unbatched input), checked against ``groups``."""

    _doc = """A :class:`~autograd.nn.{0}` with ``in_channels`` inferred at the first call
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

    @property
    def _spatial(self) -> int:  # type: ignore[override]
        """The spatial dimensions of the convolution it becomes."""
        return self._becomes._spatial  # type: ignore[attr-defined, no-any-return]

    def _groups(self, groups: int, rng: np.random.Generator | int | None) -> int:
        """Keep ``rng`` for the first call; ``groups`` checked, the ``in_channels`` to build with."""
        self._reset_args = (rng,)
        return check_size(type(self).__name__, "groups", groups)

    def _shapes(self, input: Any) -> dict[str, tuple[int, ...]]:
        shape = np.shape(input.data if isinstance(input, Tensor) else input)
        name, n = type(self).__name__, self._spatial
        if len(shape) not in (n + 1, n + 2):
            raise ValueError(
                f"{name}: expected a {n + 1}-d (unbatched) or {n + 2}-d input, got shape {shape}"
            )
        self.in_channels = channels(name, int(shape[-n - 1]), self.out_channels, self.groups)[0]
        sides = (self.in_channels, self.out_channels)
        outer, inner = sides if isinstance(self, _ConvTransposeNd) else sides[::-1]
        return _weight_and_bias(self, (outer, inner // self.groups, *self.kernel_size), self.out_channels)


class _LazyConvNd(_LazyChannels, _ConvNd):
    """A convolution whose ``in_channels`` comes from its first input."""

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
        g = self._groups(groups, rng)
        super().__init__(
            g, out_channels, kernel_size, stride, padding, dilation, g, bias, padding_mode, device, dtype
        )
        self.in_channels = 0
        _unsized(self, bias, self.weight.data.dtype)

    def forward(self, input: Any) -> Tensor:
        return self._first_call(input)


class _LazyConvTransposeNd(_LazyChannels, _ConvTransposeNd):
    """A transposed convolution whose ``in_channels`` comes from its first input."""

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
        g = self._groups(groups, rng)
        super().__init__(
            g, out_channels, kernel_size, stride, padding, output_padding, g, bias, dilation, padding_mode,
            device, dtype,
        )  # fmt: skip
        self.in_channels = 0
        _unsized(self, bias, self.weight.data.dtype)

    def forward(self, input: Any, output_size: Any = None) -> Tensor:
        return self._first_call(input, output_size)


LazyConv1d, LazyConv2d, LazyConv3d = _lazy_classes(_LazyConvNd, Conv1d, Conv2d, Conv3d)
LazyConvTranspose1d, LazyConvTranspose2d, LazyConvTranspose3d = _lazy_classes(
    _LazyConvTransposeNd, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
)


class _LazyNorm(_Lazy):
    """A batch or instance norm whose ``num_features`` is the first input's axis 1 (torch's choice,
    for unbatched instance-norm input too), when it has parameters or running statistics to size."""

    _doc = """A :class:`~autograd.nn.{0}` with ``num_features`` inferred at the first call
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
        self._reset_args = ()  # (unsized until the first call)
        super().__init__(1, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)  # type: ignore[call-arg]
        self.num_features = 0
        for name in self._sized():
            tensor = getattr(self, name)
            tensor.data = np.empty(0, dtype=tensor.data.dtype)

    def _sized(self) -> list[str]:
        """The names of the parameters and running statistics it has."""
        names = ("weight", "bias", "running_mean", "running_var")
        return [n for n in names if getattr(self, n) is not None]

    def reset_parameters(self) -> None:  # type: ignore[override]
        """Weight 1, bias 0 and the running statistics reset, once sized (nothing before)."""
        self._reset_when_sized()

    def _shapes(self, input: Any) -> dict[str, tuple[int, ...]]:
        sized = self._sized()
        if sized:
            shape = np.shape(input.data if isinstance(input, Tensor) else input)
            if len(shape) < 2:
                raise ValueError(
                    f"{type(self).__name__}: expected an input of at least 2 dims, got shape {shape}"
                )
            self.num_features = int(shape[1])
        return dict.fromkeys(sized, (self.num_features,))

    def forward(self, input: Any) -> Tensor:
        return self._first_call(input)


LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d = _lazy_classes(
    _LazyNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d
)
LazyInstanceNorm1d, LazyInstanceNorm2d, LazyInstanceNorm3d = _lazy_classes(
    _LazyNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
)
