"""``Embedding``, as in torch.nn."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._tensor import Tensor
from ..factories import _cpu, zeros
from . import functional as F
from . import init
from .functional.layers import _padding_idx
from .module import Module
from .parameter import Parameter


class Embedding(Module):
    r"""A lookup table of ``num_embeddings`` vectors of size ``embedding_dim``
    (``torch.nn.Embedding``): :math:`y_{i\ldots} = W_{x_{i\ldots}}` for integer indices :math:`x`.

    ``weight`` is a :class:`~autograd.nn.Parameter` of shape ``(num_embeddings, embedding_dim)``
    drawn from :math:`\mathcal{N}(0, 1)` (the library's generator, see
    :func:`~autograd.manual_seed`), with the ``padding_idx`` row zeroed, as torch's; see
    :func:`autograd.nn.functional.embedding` for the options.

    Parameters
    ----------
    num_embeddings, embedding_dim : int
        The table's shape.
    padding_idx : int, optional
        A row whose gradient is zero (negative: counted from the end).
    max_norm : float, optional
        Renormalize, in place, each row looked up whose norm exceeds this.
    norm_type : float
        The order of the norm of ``max_norm`` (default 2).
    scale_grad_by_freq : bool
        Divide each row's gradient by how often the batch takes it (default False).
    sparse : bool
        Must be False: gradients here are dense arrays.
    _weight : Tensor or array_like, optional
        The table itself, shared (shape ``(num_embeddings, embedding_dim)``), instead of drawing one.
    _freeze : bool
        The table does not require grad (default False).
    device : str, optional
        Accepted when it names the CPU (the only device here).
    dtype : numpy.dtype, optional
        float32 or float64 (default: the default dtype, float64 unless changed).

    Raises
    ------
    TypeError
        If a size is not an int.
    RuntimeError
        If a size is negative, or ``device`` is not the CPU.
    AssertionError
        If ``padding_idx`` is not within ``num_embeddings``, or ``_weight`` is not of the table's
        shape (torch's errors).
    NotImplementedError
        If ``sparse`` is True.
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Any = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        _cpu("Embedding", device)
        for name, n in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
            if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
                raise TypeError(f"Embedding: {name} must be an int, got {type(n).__name__} {n!r}")
            if n < 0:
                raise RuntimeError(f"Embedding: {name} must be non-negative, got {n}")
        if sparse:
            raise NotImplementedError(
                "Embedding: sparse=True is not supported: the gradient of weight is a dense array "
                "here; pass sparse=False (the values are the same)"
            )
        self.num_embeddings, self.embedding_dim = int(num_embeddings), int(embedding_dim)
        self.padding_idx = _padding_idx("Embedding", padding_idx, self.num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            table = zeros(self.num_embeddings, self.embedding_dim, dtype=dtype, device=device)
            self.weight = Parameter(table, requires_grad=not _freeze)
            self.reset_parameters()
        else:
            shape = np.shape(_weight.data if isinstance(_weight, Tensor) else _weight)
            if shape != (self.num_embeddings, self.embedding_dim):
                raise AssertionError(
                    f"Embedding: _weight must be of shape (num_embeddings, embedding_dim) = "
                    f"{(self.num_embeddings, self.embedding_dim)}, got {shape}"
                )
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw ``weight`` again from N(0, 1), in place, and zero the ``padding_idx`` row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0.0

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose table is ``embeddings`` (shared, not copied; its ``padding_idx`` row
        kept as it is), frozen unless ``freeze=False`` (``torch.nn.Embedding.from_pretrained``).

        Parameters
        ----------
        embeddings : Tensor or array_like
            The table, 2-d: ``(num_embeddings, embedding_dim)``.
        freeze : bool
            The table does not require grad (default True).
        padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse
            As for :class:`Embedding`.

        Raises
        ------
        AssertionError
            If ``embeddings`` is not 2-d (torch's error).
        """
        shape = np.shape(embeddings.data if isinstance(embeddings, Tensor) else embeddings)
        if len(shape) != 2:
            raise AssertionError(
                f"Embedding.from_pretrained: embeddings must be 2-d, (num_embeddings, embedding_dim); "
                f"got shape {shape}"
            )
        return cls(
            *shape,
            _weight=embeddings,
            _freeze=freeze,
            padding_idx=padding_idx,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            sparse=sparse,
        )

    def forward(self, x: Any) -> Any:
        options = (self.padding_idx, self.max_norm, self.norm_type, self.scale_grad_by_freq, self.sparse)
        return F.embedding(x, self.weight, *options)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        return s


class EmbeddingBag(Embedding):
    r"""The sums, means or maxima of bags of embedding rows (``torch.nn.EmbeddingBag``), without
    the rows in between: :func:`autograd.nn.functional.embedding_bag`.

    ``weight`` is drawn as :class:`Embedding`'s (N(0, 1) from the library's generator, the
    ``padding_idx`` row zeroed), so its state dict loads into torch's.

    Parameters
    ----------
    num_embeddings, embedding_dim : int
        The table's shape.
    max_norm, norm_type : float, optional
        As :class:`Embedding`'s.
    scale_grad_by_freq, sparse : bool
        Only False.
    mode : {"sum", "mean", "max"}
        The reduction of each bag (default "mean").
    _weight : Tensor or array_like, optional
        The table to use (shared).
    padding_idx : int, optional
        An index left out of every bag, its row zeroed.
    include_last_offset : bool
        ``offsets`` has one more element, the end of the last bag.
    device : str, optional
        "cpu" or None.
    dtype : numpy.dtype, optional
        The table's dtype.
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Any = None,
        padding_idx: int | None = None,
        include_last_offset: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        from .functional.embedding_bag import _MODES

        if mode not in _MODES:
            raise ValueError(f"EmbeddingBag: mode must be one of {_MODES}, got {mode!r}")
        if scale_grad_by_freq:
            raise NotImplementedError("EmbeddingBag: scale_grad_by_freq=True is not supported")
        super().__init__(
            num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, False, sparse, _weight,
            device=device, dtype=dtype,
        )  # fmt: skip
        self.mode, self.include_last_offset = mode, include_last_offset

    def forward(self, input: Any, offsets: Any = None, per_sample_weights: Any = None) -> Tensor:
        return F.embedding_bag(
            input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq, self.mode,
            self.sparse, per_sample_weights, self.include_last_offset, self.padding_idx,
        )  # fmt: skip

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm!r}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type!r}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx!r}"
        return s
