"""Instance normalization layers, ``InstanceNorm1d``/``2d``/``3d``, as ``torch.nn``'s: each sample's
channel normalized by its own statistics; optional ``weight`` and ``bias`` (``affine``) and running
statistics (``track_running_stats``), with the batch norms' parameters, buffers, state-dict keys and
repr (torch's ``_NormBase``: :class:`~autograd.nn.batchnorm._BatchNorm` here)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._tensor import Tensor
from . import functional as F
from .batchnorm import _BatchNorm


class _InstanceNorm(_BatchNorm):
    """What the instance-norm layers share: ``_spatial``, the number of spatial axes."""

    _spatial = 1

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = False, track_running_stats: bool = False, device: Any = None,
                 dtype: Any = np.float64, *, bias: bool = True) -> None:  # fmt: skip
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def forward(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
        unbatched, name = self._spatial + 1, type(self).__name__
        if x.ndim not in (unbatched, unbatched + 1):
            raise ValueError(
                f"{name}: expected {unbatched}D or {unbatched + 1}D input (got {x.ndim}D input)"
            )
        feature_dim = x.ndim - unbatched
        if x.shape[feature_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"{name}: expected input's size at dim={feature_dim} to match num_features "
                    f"({self.num_features}), but got: {x.shape[feature_dim]}."
                )
            warnings.warn(
                f"{name}: input's size at dim={feature_dim} does not match num_features. You can silence "
                "this warning by not passing in num_features, which is not used because affine=False",
                UserWarning,
                stacklevel=2,
            )
        if x.ndim == unbatched:
            return self._normalized(x.reshape(1, *x.shape)).reshape(x.shape)
        return self._normalized(x)

    def _normalized(self, x: Tensor) -> Tensor:
        return F.instance_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            0.0 if self.momentum is None else self.momentum,
            self.eps,
        )


class InstanceNorm1d(_InstanceNorm):
    r"""Instance normalization of ``(N, C, L)`` or unbatched ``(C, L)`` inputs
    (``torch.nn.InstanceNorm1d``): each ``input[n, c]`` normalized by its mean and biased variance
    (:func:`~autograd.nn.functional.instance_norm`); with ``track_running_stats`` the running
    statistics are updated in training and used in evaluation (``model.eval()``).

    Parameters
    ----------
    num_features : int
        C, the channels.
    eps : float
        Added to the variance (default 1e-5).
    momentum : float or None
        The weight of each batch in the running statistics (default 0.1; None: 0, as torch).
    affine : bool
        Learn a per-channel ``weight`` (ones) and ``bias`` (zeros) (default False).
    track_running_stats : bool
        Keep running statistics (default False).
    device : None or "cpu"
        Accepted for torch's signature.
    dtype : numpy.dtype
        float64 (default) or float32.
    bias : bool
        With ``affine``, learn the ``bias`` too (default True; keyword only, as torch).

    Raises
    ------
    ValueError
        In ``forward``: the input is not 2-d or 3-d, or (with ``affine``) its channels are not
        ``num_features`` (torch's messages).
    """

    _spatial = 1


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization of ``(N, C, H, W)`` or ``(C, H, W)`` inputs
    (``torch.nn.InstanceNorm2d``): as :class:`InstanceNorm1d`.

    Parameters
    ----------
    num_features : int
        C, the channels.
    eps, momentum, affine, track_running_stats, device, dtype, bias
        As :class:`InstanceNorm1d`'s.
    """

    _spatial = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance normalization of ``(N, C, D, H, W)`` or ``(C, D, H, W)`` inputs
    (``torch.nn.InstanceNorm3d``): as :class:`InstanceNorm1d`.

    Parameters
    ----------
    num_features : int
        C, the channels.
    eps, momentum, affine, track_running_stats, device, dtype, bias
        As :class:`InstanceNorm1d`'s.
    """

    _spatial = 3
