"""``torch.nn.SyncBatchNorm`` on one process: batch normalization of ``(N, C, *)`` inputs of any
number of dimensions, with the batch-norm layers' parameters, buffers and state-dict keys.

torch synchronises the batch statistics across processes only in training with an initialised
``torch.distributed`` process group of more than one process (on GPUs); otherwise, and so always on
one CPU process, its forward is ``F.batch_norm``, as here. This library has no process groups, so
``process_group`` is kept and never used. :meth:`SyncBatchNorm.convert_sync_batchnorm` swaps the
batch-norm layers of a model for this one, sharing their parameters and buffers, as torch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from .batchnorm import _BatchNorm
from .module import Module


class SyncBatchNorm(_BatchNorm):
    """Batch normalization of ``(N, C, *)`` inputs (``torch.nn.SyncBatchNorm``), on one process the
    same numbers as :class:`~autograd.nn.BatchNorm1d`/``2d``/``3d``.

    Parameters
    ----------
    num_features : int
        C, the channels.
    eps : float
        Added to the variance (default 1e-5).
    momentum : float or None
        The weight of each batch in the running statistics (default 0.1; None: their cumulative
        average).
    affine : bool
        Learn a per-channel ``weight`` and ``bias`` (default True).
    track_running_stats : bool
        Keep running statistics (default True).
    process_group : object, optional
        Kept for torch's signature (there is one process here).
    device : None or "cpu"
        Accepted for torch's signature.
    dtype : numpy.dtype
        float64 (default) or float32.
    bias : bool
        With ``affine``, learn the ``bias`` too (default True; keyword only).

    Examples
    --------
    >>> import autograd as torch
    >>> bn = torch.nn.SyncBatchNorm(2)
    >>> bn(torch.tensor([[1.0, 2.0], [3.0, 6.0]])).detach()
    Tensor([[-1., -1.],
            [ 1.,  1.]], dtype=float64)
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, process_group: Any = None,
                 device: Any = None, dtype: Any = np.float64, *, bias: bool = True) -> None:  # fmt: skip
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)
        self.process_group = process_group

    def _check_input_dim(self, x: Tensor) -> None:
        """torch's checks: at least 2 dimensions, and at least one channel."""
        if x.ndim < 2:
            raise ValueError(f"expected at least 2D input (got {x.ndim}D input)")
        if x.shape[1] == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")

    @classmethod
    def convert_sync_batchnorm(cls, module: Module, process_group: Any = None) -> Module:
        """``module`` with every batch-norm layer (``BatchNorm1d``/``2d``/``3d``, their lazy forms,
        ``SyncBatchNorm``) replaced by a ``SyncBatchNorm`` sharing its parameters, buffers, options
        and ``training`` flag (``torch.nn.SyncBatchNorm.convert_sync_batchnorm``).

        Parameters
        ----------
        module : Module
            A model, or a batch-norm layer.
        process_group : object, optional
            Given to each new layer.

        Returns
        -------
        Module
            ``module`` itself with its layers replaced in place, or a new ``SyncBatchNorm`` if
            ``module`` is a batch-norm layer.

        Raises
        ------
        TypeError
            If ``module`` is not a Module.
        """
        if not isinstance(module, Module):
            raise TypeError(f"convert_sync_batchnorm: module must be a Module, got {type(module).__name__}")
        output = module
        if isinstance(module, _BatchNorm):
            output = cls(module.num_features, module.eps, module.momentum, module.affine,
                         module.track_running_stats, process_group, bias=module.bias is not None)  # fmt: skip
            if module.affine:
                output.weight, output.bias = module.weight, module.bias
            output.running_mean, output.running_var = module.running_mean, module.running_var
            output.num_batches_tracked = module.num_batches_tracked
            output.training = module.training
            if hasattr(module, "qconfig"):
                output.qconfig = module.qconfig
        for name, child in list(module.named_children()):
            _replace(output, name, cls.convert_sync_batchnorm(child, process_group))
        return output


def _replace(parent: Module, name: str, child: Module) -> None:
    """Put ``child`` in ``parent`` under ``name`` (``attr.i`` for a module held in a list attribute)."""
    attr, _, index = name.partition(".")
    if not index:
        parent.add_module(name, child)
        return
    held = getattr(parent, attr)
    if held[int(index)] is not child:
        items = list(held)
        items[int(index)] = child
        setattr(parent, attr, type(held)(items) if isinstance(held, tuple) else items)
