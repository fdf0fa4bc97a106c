"""Batch normalization layers, ``BatchNorm1d`` and ``BatchNorm2d``, as ``torch.nn``'s: parameters
``weight`` and ``bias``, buffers ``running_mean``, ``running_var`` and ``num_batches_tracked`` (their
state dicts load into torch's)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from .functional.normalization import normalize_batch
from .module import Module, check_size
from .parameter import Parameter


class _BatchNorm(Module):
    """What the batch-norm layers share; ``_dims``: the input dimensions they accept."""

    _dims: tuple[int, ...] = ()
    _version = 2  # (torch's: num_batches_tracked was added in its version 2)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = np.float64, *, bias: bool = True) -> None:  # fmt: skip
        self.num_features = check_size(type(self).__name__, "num_features", num_features)
        self.eps, self.momentum = eps, momentum
        self.affine, self.track_running_stats = bool(affine), bool(track_running_stats)
        dtype = np.float64 if dtype is None else dtype
        ones = Tensor(np.ones(num_features), dtype=dtype, label="weight")
        self.weight = Parameter(ones) if affine else None
        has_bias = self.affine and bool(bias)
        self.bias = Parameter(Tensor(np.zeros(num_features), dtype=dtype, label="bias")) if has_bias else None
        if self.track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features), dtype=dtype))
            self.register_buffer("running_var", Tensor(np.ones(num_features), dtype=dtype))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0), dtype=np.int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches tracked, in place."""
        if self.track_running_stats:
            self.running_mean.data[...], self.running_var.data[...] = 0, 1
            self.num_batches_tracked.data[...] = 0

    def reset_parameters(self) -> None:
        """``reset_running_stats()``, and weight 1 and bias 0, in place."""
        self.reset_running_stats()
        if self.weight is not None:
            self.weight.data[...] = 1
        if self.bias is not None:
            self.bias.data[...] = 0

    def forward(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
        self._check_input_dim(x)
        training = self.training or self.running_mean is None
        tracked = not self.training or self.track_running_stats
        return normalize_batch(
            x,
            self.running_mean if tracked else None,
            self.running_var if tracked else None,
            self.weight,
            self.bias,
            training,
            self._factor,
            self.eps,
            () if self.num_batches_tracked is None else (self.num_batches_tracked,),
        )

    def _check_input_dim(self, x: Tensor) -> None:
        """torch's check of the input's number of dimensions (``_dims``), a ValueError naming them."""
        if x.ndim not in self._dims:
            raise ValueError(
                f"{type(self).__name__}: expected a {' or '.join(f'{d}-d' for d in self._dims)} input, got "
                f"shape {tuple(x.shape)}"
            )

    def _factor(self) -> float:
        """The batch's weight in the running statistics, as they are updated: ``momentum``, or for
        ``momentum=None`` 1/(batches seen), counting this one (torch's cumulative average)."""
        if self.num_batches_tracked is not None:
            self.num_batches_tracked.data[...] += 1
        if self.momentum is None:
            return 1.0 / float(self.num_batches_tracked.data)
        return self.momentum

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    r"""Batch normalization of ``(N, C)`` or ``(N, C, L)`` inputs (``torch.nn.BatchNorm1d``):
    :func:`~autograd.nn.functional.batch_norm` with the batch's statistics in training (updating
    the running ones, with ``momentum``; None: their cumulative average) and the running ones in
    evaluation (``model.eval()``).

    Parameters
    ----------
    num_features : int
        C, the channels.
    eps : float
        Added to the variance (default 1e-5).
    momentum : float or None
        The weight of each batch in the running statistics (default 0.1).
    affine : bool
        Learn a per-channel ``weight`` (ones) and ``bias`` (zeros) (default True).
    bias : bool
        With ``affine``, learn the ``bias`` too (default True; keyword only, as torch).
    track_running_stats : bool
        Keep running statistics (default True); without them evaluation uses the batch's too.
    device : None or "cpu"
        Accepted for torch's signature.
    dtype : numpy.dtype
        float64 (default) or float32.
    """

    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalization of ``(N, C, H, W)`` inputs (``torch.nn.BatchNorm2d``): as
    :class:`BatchNorm1d`, the statistics over N, H and W.

    Parameters
    ----------
    num_features : int
        C, the channels.
    eps, momentum, affine, track_running_stats, device, dtype, bias
        As :class:`BatchNorm1d`'s.
    """

    _dims = (4,)
