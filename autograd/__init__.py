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
"""

from . import autograd, func, functions, linalg, nn, numpy_dispatch, numpy_shapes  # noqa: F401 (numpy on Tensors)
from ._tensor import Tensor, cat, concatenate, stack, where
from .derivcheck import DerivativeReport, check_derivative
from .factories import (
    arange,
    eye,
    full,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randn,
    randn_like,
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
    *functions.__all__,
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
