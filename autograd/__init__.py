"""A small reverse-mode autograd engine that makes backpropagation visible and checkable.

``Value`` is a scalar node (micrograd-compatible), ``Tensor`` a numpy-backed
one, ``ValueArray`` an array of Values with the Tensor API. Every derivative
rule lives beside its operation in ``value.py`` (scalars) and
``tensor_ops.py`` (tensors).
"""

from . import nn
from .derivcheck import DerivativeReport, check_derivative
from .draw import dot_available, draw_graph, render
from .factories import arange, eye, full, ones, ones_like, rand, randn, zeros, zeros_like
from .gradcheck import GradcheckError, gradcheck
from .graph import collector_paused, toposort
from .mode import detect_anomaly, no_grad
from .steps import backward_html, backward_steps
from .tensor import Tensor, cat, concatenate, maximum, minimum, stack, where
from .trace import trace, trace_rows
from .value import Value, zero_grad
from .value_array import ValueArray

__all__ = [
    "Value",
    "Tensor",
    "ValueArray",
    "no_grad",
    "detect_anomaly",
    "zero_grad",
    "gradcheck",
    "GradcheckError",
    "check_derivative",
    "DerivativeReport",
    "toposort",
    "collector_paused",
    "where",
    "concatenate",
    "cat",
    "stack",
    "maximum",
    "minimum",
    "zeros",
    "ones",
    "full",
    "rand",
    "randn",
    "arange",
    "eye",
    "zeros_like",
    "ones_like",
    "nn",
    "draw_graph",
    "render",
    "dot_available",
    "trace",
    "trace_rows",
    "backward_steps",
    "backward_html",
]
