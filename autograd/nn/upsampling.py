"""``Upsample``, ``PixelShuffle`` and ``PixelUnshuffle``, as in torch.nn: modules around
:func:`~autograd.nn.functional.interpolate`, :func:`~autograd.nn.functional.pixel_shuffle` and
:func:`~autograd.nn.functional.pixel_unshuffle`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor
from . import functional as F
from .functional.vision import _factor
from .module import Module


class Upsample(Module):
    """Resample the spatial dimensions to ``size`` or by ``scale_factor`` (``torch.nn.Upsample``);
    see :func:`autograd.nn.functional.interpolate` for the modes and positions.

    Parameters
    ----------
    size : int or sequence of int, optional
        The output's spatial size.
    scale_factor : float or sequence of float, optional
        The multiplier of the spatial size (kept as float, as torch prints it).
    mode : {"nearest", "nearest-exact", "linear", "bilinear"}
        The resampling (default "nearest").
    align_corners : bool, optional
        For the linear modes: align the corner pixels' centres (default False).
    recompute_scale_factor : bool, optional
        Compute the scale from the sizes instead of ``1 / scale_factor``.
    """

    def __init__(
        self,
        size: int | Sequence[int] | None = None,
        scale_factor: float | Sequence[float] | None = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, (tuple, list)):
            self.scale_factor: Any = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor else None
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Any) -> Tensor:
        return F.interpolate(
            input,
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            recompute_scale_factor=self.recompute_scale_factor,
        )

    def extra_repr(self) -> str:
        info = (
            f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        )
        return f"{info}, mode={self.mode!r}"


class PixelShuffle(Module):
    """``(*, C·r², H, W)`` to ``(*, C, H·r, W·r)`` (``torch.nn.PixelShuffle``).

    Parameters
    ----------
    upscale_factor : int
        r, the factor of the height and the width.

    Raises
    ------
    TypeError
        If ``upscale_factor`` is not a positive int.
    """

    def __init__(self, upscale_factor: int) -> None:
        self.upscale_factor = _factor("PixelShuffle", "upscale_factor", upscale_factor)

    def forward(self, input: Any) -> Tensor:
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """``(*, C, H·r, W·r)`` to ``(*, C·r², H, W)`` (``torch.nn.PixelUnshuffle``).

    Parameters
    ----------
    downscale_factor : int
        r, the divisor of the height and the width.

    Raises
    ------
    TypeError
        If ``downscale_factor`` is not a positive int.
    """

    def __init__(self, downscale_factor: int) -> None:
        self.downscale_factor = _factor("PixelUnshuffle", "downscale_factor", downscale_factor)

    def forward(self, input: Any) -> Tensor:
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class _Upsampling2d(Upsample):
    """An :class:`Upsample` whose class sets the mode (``_mode``) and ``align_corners``; each class's
    docstring (its summary) gets the parameters appended."""

    _mode: str
    _align_corners: bool | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__doc__ = f"""{cls.__doc__}

    Parameters
    ----------
    size : int or tuple of int, optional
        The output's spatial size ``(height, width)``.
    scale_factor : float or tuple of float, optional
        The multiplier of the spatial size (one, or one per spatial dimension).
    """

    def __init__(
        self, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None
    ) -> None:
        super().__init__(size, scale_factor, mode=self._mode, align_corners=self._align_corners)


class UpsamplingNearest2d(_Upsampling2d):
    """:class:`Upsample` with mode "nearest" on ``(N, C, H, W)`` (``torch.nn.UpsamplingNearest2d``)."""

    _mode = "nearest"


class UpsamplingBilinear2d(_Upsampling2d):
    """:class:`Upsample` with mode "bilinear" and ``align_corners=True`` on ``(N, C, H, W)``
    (``torch.nn.UpsamplingBilinear2d``)."""

    _mode, _align_corners = "bilinear", True


class ChannelShuffle(Module):
    """Interleaves the channels of ``groups`` groups (``torch.nn.ChannelShuffle``; see
    :func:`~autograd.nn.functional.channel_shuffle`).

    Parameters
    ----------
    groups : int
        The number of groups, dividing the channels.
    """

    def __init__(self, groups: int) -> None:
        self.groups = groups

    def forward(self, input: Any) -> Tensor:
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
