"""A small reverse-mode autograd engine that makes backpropagation visible and checkable.

:class:`Value` is a scalar node (micrograd-compatible), :class:`Tensor` a numpy-backed
one, :class:`ValueArray` an array of Values with the Tensor API. Every derivative rule is
written once, in ``autograd/ops/`` (one table entry per elementwise op, one rule per other
primitive), so it runs on numbers (first order) and on nodes (``create_graph=True``:
derivatives of derivatives, see :func:`grad`, :func:`hessian`, :func:`hvp`, :func:`jvp` and
:func:`vjp`). The elementwise ops are also functions here, by their numpy and PyTorch names
(``autograd.exp``, ``autograd.atan2``).

The drawings (:func:`draw_graph`, :func:`render`), the text trace (:func:`trace`) and the
step-through page (:func:`backward_html`) show every value, gradient and local derivative;
:func:`gradcheck`, :func:`gradgradcheck` and :func:`check_derivative` check them.

``import autograd as torch`` runs PyTorch's first-day code: ``torch.tensor``, the factories, the
module functions of the Tensor ops (``torch.matmul``, ``torch.softmax``), the dtypes
(``torch.float64``, ``torch.long``), ``torch.nn``, ``torch.optim`` (the ``optimizers`` package),
``torch.func`` and ``torch.autograd``. A torch name this library lacks raises an AttributeError
that says what to write instead.
"""

from . import autograd, func, functions, linalg, nn, numpy_dispatch, numpy_shapes  # noqa: F401 (numpy on Tensors)
from ._siblings import sibling as _sibling
from ._tensor import Tensor, cat, concatenate, stack, where
from .derivcheck import DerivativeReport, check_derivative
from .dtypes import bool as bool  # (torch.bool; kept out of __all__, as float)

# torch.float64, ...: numpy dtypes, kept out of __all__ (the reference documents functions and classes)
from .dtypes import double as double
from .dtypes import float as float
from .dtypes import float32 as float32
from .dtypes import float64 as float64
from .dtypes import get_default_dtype, set_default_dtype
from .dtypes import int64 as int64
from .dtypes import long as long
from .factories import (
    arange,
    as_tensor,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .func import vmap
from .functional import grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp
from .functions import *  # noqa: F403 (the elementwise ops by name: see functions.__all__)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .graph import collector_paused, toposort
from .linalg import det, logdet, slogdet
from .linalg import inv as inverse
from .mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .numpy_shapes import atleast_1d, atleast_2d, atleast_3d, column_stack, dstack, hstack, row_stack, vstack
from .products import cross, dot, einsum, inner, kron, outer, tensordot, vdot
from .reductions import norm, prod
from .scans import cumprod, cumsum, diff, gradient
from .torch_hints import missing as _missing
from .torch_methods import Size
from .value import Value, zero_grad
from .value_array import ValueArray
from .visual.claims import Claim
from .visual.draw import dot_available, draw_graph, render
from .visual.steps import StepThrough, backward_html, backward_steps
from .visual.trace import trace, trace_rows

__all__ = [
    "Value",
    "Tensor",
    "ValueArray",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "detect_anomaly",
    "grad",
    "value_and_grad",
    "jacobian",
    "hessian",
    "hvp",
    "jvp",
    "vjp",
    "vmap",
    "func",
    "autograd",
    "zero_grad",
    "gradcheck",
    "gradgradcheck",
    "GradcheckError",
    "check_derivative",
    "DerivativeReport",
    "toposort",
    "collector_paused",
    "where",
    "concatenate",
    "cat",
    "stack",
    "hstack",
    "vstack",
    "row_stack",
    "dstack",
    "column_stack",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "zeros",
    "ones",
    "full",
    "rand",
    "randn",
    "arange",
    "eye",
    "zeros_like",
    "ones_like",
    "rand_like",
    "randn_like",
    "full_like",
    "linspace",
    "randint",
    "randperm",
    "tensor",
    "from_numpy",
    "as_tensor",
    "Size",
    "get_default_dtype",
    "set_default_dtype",
    "manual_seed",
    "nn",
    "draw_graph",
    "render",
    "dot_available",
    "trace",
    "trace_rows",
    "backward_steps",
    "backward_html",
    "StepThrough",
    "Claim",
    # (names that would shadow Python's builtins under `from autograd import *` stay out of it:
    # autograd.sum, .max, .min, .all, .any, .bool, .float)
    *(n for n in functions.__all__ if n not in ("sum", "max", "min", "all", "any")),
    # reductions, scans, products and linear algebra (torch's names)
    "linalg",
    "prod",
    "norm",
    "cumsum",
    "cumprod",
    "diff",
    "gradient",
    "einsum",
    "tensordot",
    "dot",
    "vdot",
    "inner",
    "outer",
    "kron",
    "cross",
    "det",
    "slogdet",
    "logdet",
    "inverse",
]


def __getattr__(name: str) -> object:
    """``autograd.optim`` is the ``optimizers`` package (torch.optim's names, loaded when first used);
    any other missing name raises an AttributeError with what to write instead."""
    if name == "optim":
        return _sibling("optimizers")
    raise _missing("autograd", name, globals())
