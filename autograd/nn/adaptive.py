"""``torch.nn.AdaptiveLogSoftmaxWithLoss`` (Grave et al., efficient softmax approximation): the
frequent classes (the shortlist, below ``cutoffs[0]``) and one entry per cluster of rarer classes
share one head; each cluster has its own smaller two-layer projection. Layout, parameter names
(``head.weight``, ``tail.{i}.0.weight``, ``tail.{i}.1.weight``) and numbers are torch's, so its
state dicts load in both directions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from .._tensor import Tensor, concatenate
from .container import ModuleList, Sequential
from .functional import log_softmax
from .module import Module
from .parameter import Parameter
from .tensor import Linear


class _ASMoutput(NamedTuple):
    """What :meth:`AdaptiveLogSoftmaxWithLoss.forward` returns (torch's ``_ASMoutput``)."""

    output: Tensor
    loss: Tensor


def _linear(in_features: int, out_features: int, dtype: Any) -> Linear:
    """``Linear(in_features, out_features, bias=False)``, also with 0 features (a cluster's hidden
    size ``in_features // div_value ** (i + 1)`` may be 0, as torch allows): then an empty weight."""
    if in_features and out_features:
        return Linear(in_features, out_features, bias=False, dtype=dtype)
    layer = Linear(max(in_features, 1), max(out_features, 1), bias=False, dtype=dtype)
    layer.in_features, layer.out_features = in_features, out_features
    layer.weight = Parameter(Tensor(np.zeros((out_features, in_features)), dtype=dtype))
    return layer


class AdaptiveLogSoftmaxWithLoss(Module):
    """Adaptive log-softmax and its negative log-likelihood (``torch.nn.AdaptiveLogSoftmaxWithLoss``).

    Class ``t`` in the shortlist has log-probability ``log_softmax(head(x))[t]``; a class in cluster
    ``i`` (``cutoffs[i-1] <= t < cutoffs[i]``) has that of the cluster's head entry plus
    ``log_softmax(tail[i-1](x))[t - cutoffs[i-1]]``.

    Parameters
    ----------
    in_features : int
        The input's features.
    n_classes : int
        The number of classes.
    cutoffs : sequence of int
        Increasing, unique, in [1, n_classes - 1]: where the clusters begin.
    div_value : float
        Cluster ``i``'s hidden size is ``in_features // div_value ** (i + 1)`` (default 4.0).
    head_bias : bool
        Give the head a bias (default False).
    device : None or "cpu"
        Accepted for torch's signature.
    dtype : numpy.dtype
        float64 (default) or float32.

    Raises
    ------
    ValueError
        Empty or invalid ``cutoffs`` (torch's messages).

    Examples
    --------
    >>> import autograd as torch
    >>> asm = torch.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 7], div_value=2.0)
    >>> out, loss = asm(torch.ones(3, 8), torch.tensor([0, 5, 9]))
    >>> out.shape, asm.log_prob(torch.ones(3, 8)).shape
    ((3,), (3, 10))
    """

    def __init__(self, in_features: int, n_classes: int, cutoffs: Sequence[int], div_value: float = 4.0,
                 head_bias: bool = False, device: Any = None, dtype: Any = np.float64) -> None:  # fmt: skip
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (
            cutoffs != sorted(cutoffs)
            or min(cutoffs) <= 0
            or max(cutoffs) > n_classes - 1
            or len(set(cutoffs)) != len(cutoffs)
            or any(int(c) != c for c in cutoffs)
        ):
            raise ValueError(
                "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, "
                f"where each value is between 1 and n_classes-1 (got {cutoffs} for n_classes={n_classes})"
            )
        dtype = np.float64 if dtype is None else dtype
        self.in_features, self.n_classes = in_features, n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value, self.head_bias = div_value, head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, dtype=dtype)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(in_features // (div_value ** (i + 1)))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(Sequential(_linear(in_features, hidden, dtype), _linear(hidden, size, dtype)))

    def reset_parameters(self) -> None:
        """Draw the head's and the tails' weights anew, as at construction."""
        self.head.reset_parameters()
        for projection in self.tail:
            for layer in projection:
                layer.reset_parameters()

    def forward(self, input_: Any, target_: Any) -> _ASMoutput:
        """``(output, loss)``: each row's log-probability of its target, ``(N,)`` (or 0-d for a 1-d
        input and 0-d target), and the mean negative log-likelihood.

        Raises
        ------
        RuntimeError
            Mismatched shapes, or a target outside [0, n_classes - 1] (torch's messages).
        """
        x = input_ if isinstance(input_, Tensor) else Tensor(np.asarray(input_))
        t = np.asarray(target_.data if isinstance(target_, Tensor) else target_)
        if t.ndim == 1:
            if x.shape[0] != t.shape[0]:
                raise RuntimeError("Input and target should have the same size in the batch dimension.")
            if x.ndim != 2:
                raise RuntimeError(
                    f"1D target tensor expects 2D input tensors, but found inputs with size {tuple(x.shape)}"
                )
        elif t.ndim == 0:
            if x.ndim != 1:
                raise RuntimeError(
                    f"0D target tensor expects 1D input tensors, but found inputs with size {tuple(x.shape)}"
                )
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        batched = t.ndim > 0
        if not batched:
            x, t = x.reshape((1, -1)), t.reshape(1)
        rows, values = [], []  # (each cluster's rows and their log-probability within the cluster)
        head_index = t.astype(np.int64).copy()
        bounds = [0, *self.cutoffs]
        for i, (low, high) in enumerate(zip(bounds, bounds[1:])):
            chosen = np.flatnonzero((t >= low) & (t < high))
            if chosen.size == 0:
                continue
            rows.append(chosen)
            if i == 0:
                values.append(Tensor(np.zeros(chosen.size, x.data.dtype)))
                continue
            head_index[chosen] = self.shortlist_size + i - 1
            cluster = log_softmax(self.tail[i - 1](x[chosen]), dim=1)
            values.append(cluster.gather(1, (t[chosen] - low).astype(np.int64)[:, None])[:, 0])
        if sum(r.size for r in rows) != t.shape[0]:
            raise RuntimeError(
                f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                f"[{t.min()}, {t.max()}] were found. "
            )
        within = concatenate(values)[np.argsort(np.concatenate(rows), kind="stable")]
        head = log_softmax(self.head(x), dim=1)
        output = within + head.gather(1, head_index[:, None])[:, 0]
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.reshape(()), loss)

    def _full_log_prob(self, x: Tensor, head_output: Tensor) -> Tensor:
        """The log-probability of every class, ``(N, n_classes)``."""
        head = log_softmax(head_output, dim=1)
        parts = [head[:, : self.shortlist_size]]
        for i in range(self.n_clusters):
            cluster = log_softmax(self.tail[i](x), dim=1)
            parts.append(cluster + head[:, self.shortlist_size + i : self.shortlist_size + i + 1])
        return concatenate(parts, axis=1)

    def log_prob(self, input: Any) -> Tensor:
        """The log-probability of every class, ``(N, n_classes)``, for an ``(N, in_features)`` input."""
        x = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
        return self._full_log_prob(x, self.head(x))

    def predict(self, input: Any) -> Tensor:
        """The most probable class of each row, ``(N,)`` int64 (``log_prob(input).argmax(dim=1)``,
        computing the clusters only for rows whose head prefers one, as torch)."""
        x = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
        head_output = self.head(x)
        output = np.argmax(head_output.data, axis=1).astype(np.int64)
        outside = output >= self.shortlist_size
        if outside.any():
            full = self._full_log_prob(x[outside], head_output[outside])
            output[outside] = np.argmax(full.data, axis=1)
        return Tensor._node(output)
