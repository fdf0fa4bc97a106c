"""A small reverse-mode autograd engine that makes backpropagation visible and checkable.

``Value`` is a scalar node (micrograd-compatible), ``Tensor`` a numpy-backed
one, ``ValueArray`` an array of Values with the Tensor API. Every derivative
rule is written once, in :mod:`autograd.ops` (one table entry per elementwise
op, one rule per other primitive), so it runs on numbers (first order) and on
nodes (``create_graph=True``: derivatives of derivatives, see
:mod:`autograd.functional`). The elementwise ops are also functions here, by
their numpy and PyTorch names (``autograd.exp``, ``autograd.atan2``).
"""

from . import autograd, func, functions, linalg, nn
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
