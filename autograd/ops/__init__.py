"""The engine's operations, each written once; a reader finds an op's rule by its file.

Elementwise ops are entries of one table (:class:`~autograd.ops.elementwise.Elementwise`),
grouped by family:

- ``arithmetic.py``: + - * / ** % (remainder, fmod), negation, reciprocal; square, positive and
  conjugate, composed of them;
- ``exp_log.py``: exp, expm1, exp2, log, log1p, log2, log10, logaddexp, logaddexp2, sqrt, rsqrt;
- ``trig.py``: sin, cos, tan, their inverses, arctan2, hypot, deg2rad, rad2deg;
- ``hyperbolic.py``: tanh, sinh, cosh and their inverses;
- ``special.py``: sigmoid, softplus, erf, erfc, erfinv, ndtr, ndtri, log_ndtr, entr, sinc;
- ``gamma.py``: lgamma, digamma, polygamma (forwards as torch computes them; numpy has none);
- ``bessel.py``: i0, i0e, i1, i1e (the modified Bessel functions of the first kind);
- ``piecewise.py``: relu, abs, clip, maximum, minimum, fmax, fmin, nan_to_num, copysign
  (derivatives selected by the data);
- ``rounding.py``: sign, floor, ceil, rint, trunc, floor_divide (derivative 0, plain results).

``python -m autograd.ops`` prints the table (``--docs`` writes it into ``docs/guides/tensor_api.md``).

An entry holds the forward on arrays and on floats, each input's local derivative ∂out/∂input
in the rule language of ``expr.py`` (so it can be differentiated again), the gradient masks,
the rule's teaching forms (text and LaTeX) and the op's numpy ufunc and PyTorch names. The
``Value``, ``Tensor`` and ``ValueArray`` methods, the numpy dispatch and the functions
``autograd.<name>`` are generated from it (``elementwise.generate``).

The other Tensor primitives have one rule each, a vector-Jacobian product written in differentiable
primitives (``primitive.py`` says how): ``reduction.py`` (sum, max, var, var_mean's mean, logsumexp,
log_softmax, prod, cumsum, cumprod), ``shape.py`` (reshape, transpose, getitem, concatenate,
broadcast_to, scatter_add, astype), ``products.py`` (matmul, einsum), ``windows.py`` (unfold and
fold: im2col and col2im), ``linalg.py`` (inv, det, slogdet, solve, cholesky, pinv, eigh, svd),
``selection.py`` (where, selected), ``scatter.py`` (values written or reduced at positions: torch's
scatter and index_* family), ``fused.py`` (fma and lerp: a multiply-add rounded once, as torch's
kernels of add/sub with alpha, addcmul and lerp; addcdiv, with torch's gradients). A rule may use
another primitive (``ns.apply``): einsum's gradient is an einsum, det's uses inv. The operations
composed from these have no rule of their own and live outside this package, in modules named by
subject: the shape and selection ops (flip, roll, tril, diag, repeat, split, sort, take, pad, ...)
in ``autograd/shape_ops.py`` and ``autograd/numpy_shapes.py``; tensordot, kron, norm, diff, ... in
``autograd/products.py``, ``reductions.py``, ``scans.py`` and ``linalg.py``.

How to add an elementwise op
----------------------------
1. Write its entry in its family's file (a new family file is added to ``collect`` below)::

       TAN = Elementwise(
           "tan", forward=np.tan, forward_float=tan_float,  # tan_float: IEEE, never raises
           d="1 + out * out", text="1 + tan(x)²", latex=r"1 + \\tan^2(x)",
           torch=("tan",), doc="The tangent (radians), elementwise.",
       )

   ``d`` uses the table's ops by name and ``out`` (the result) where that is cheaper; ``keep``
   adds a gradient mask, ``params``/``prepare`` constant parameters. Match PyTorch's numbers:
   write ``d`` as torch's backward computes it (``grad_first`` for its ``(g·a)·b``). Where torch
   composes the op from others (``square`` is ``pow(x, 2)``), write a :class:`Composed` entry
   instead: ``Composed("square", of="x ** 2", ...)``, no rule of its own.
2. Add it to the fuzzers' ``UNARY``/``BINARY`` in ``tests/engine/fuzz_programs.py`` (first and
   second order against torch, non-finite inputs included). ``tests/engine/test_elementwise_ops.py``
   checks it against ``torch.<its torch name>`` without being told (values, first and second
   derivatives at nan, inf, 0-d and empty inputs, on Values, Tensors and ValueArrays; its ufunc,
   spellings and functions); list it in its ``TORCH`` only where torch's function differs, and in
   ``PARAMS`` if it has parameters. ``tests/engine/test_teaching_forms.py`` checks its teaching forms
   and its derivative against sympy (give ``formula=`` where sympy's function has another name).

Nothing else: ``Value.tan``, ``Tensor.tan``, ``ValueArray.tan``, ``np.tan(t)`` and
``autograd.tan`` are generated; so is the docs' list of the ops (``python -m autograd.ops
--docs``; a test fails while it is out of date).

Reading the table
-----------------
``TABLE`` maps each op's name to its entry (``BY_NAME`` every spelling); a :class:`Composed` entry
has no rules. An entry has ``names``
(numpy's first, then torch's and aliases), ``torch``, ``ufuncs``, ``inputs``, ``params``,
``forward`` (arrays) and ``float_callable()`` (floats), and one :class:`Rule` per input:
``rule.d`` (the code, an ``Expr`` whose ``.source`` is the rule as written), ``rule.keep``,
``rule.text`` and ``rule.latex``. ``rule_of(node, i)`` gives a node's rule on input ``i`` with the
numbers it reads. Code generators take the rules as source: ``entry.float_forward(code)`` and
``entry.float_local(i, code)`` (floats; helpers in ``code.scope``, ``code = FloatCode()``) and
``entry.vjp_source(i)`` (arrays or Tensors, in ``ns = ARRAYS``).
"""

from . import arithmetic, bessel, exp_log, gamma, hyperbolic, piecewise, rounding, special, trig
from .elementwise import (
    BY_NAME,
    MASKED,
    PLAIN,
    TABLE,
    Composed,
    Elementwise,
    FloatCode,
    Rule,
    collect,
    generate,
    install,
    replaced,
    rule_of,
)
from .fused import ADDCDIV, FMA, LERP, LERP_TENSOR, fma_as
from .linalg import CHOLESKY, DET, EIGH, INV, PINV, SLOGDET, SOLVE, SOLVE_TRIANGULAR, SVD
from .logic import AND, APPLY, DETACH, DRAW, EQ, GE, GT, LE, LSHIFT, LT, NE, NOT, OR, RSHIFT, XOR
from .primitive import ARRAYS, PerInput, Primitive, unbroadcast
from .products import EINSUM, MATMUL
from .reduction import (
    CUMPROD,
    CUMSUM,
    LOG_SOFTMAX,
    LOGCUMSUMEXP,
    LOGSUMEXP,
    MAX,
    PROD,
    SUM,
    VAR,
    WELFORD_MEAN,
    max_shift,
)
from .scatter import ONCE_DIFFERENTIABLE, SCATTER, SCATTER_NO_DERIVATIVE
from .selection import MAX_UNPOOL, SELECTED, WHERE
from .shape import (
    ASTYPE,
    BROADCAST_TO,
    CONCATENATE,
    COPY_SLICES,
    GETITEM,
    MAX_DIM,
    MIN_DIM,
    POOL_MAX,
    RESHAPE,
    SCATTER_ADD,
    SORT,
    TRANSPOSE,
)
from .windows import FOLD, UNFOLD

collect(arithmetic, exp_log, trig, hyperbolic, special, gamma, bessel, piecewise, rounding)

__all__ = [
    "ADDCDIV",
    "AND",
    "APPLY",
    "ARRAYS",
    "ASTYPE",
    "BROADCAST_TO",
    "BY_NAME",
    "COPY_SLICES",
    "CHOLESKY",
    "CONCATENATE",
    "CUMPROD",
    "CUMSUM",
    "LOGCUMSUMEXP",
    "DET",
    "DETACH",
    "DRAW",
    "EIGH",
    "EINSUM",
    "EQ",
    "FMA",
    "FOLD",
    "Composed",
    "Elementwise",
    "FloatCode",
    "GE",
    "GETITEM",
    "GT",
    "INV",
    "LE",
    "LERP",
    "LERP_TENSOR",
    "LOGSUMEXP",
    "LT",
    "LOG_SOFTMAX",
    "LSHIFT",
    "MASKED",
    "MATMUL",
    "MAX",
    "MAX_DIM",
    "MAX_UNPOOL",
    "MIN_DIM",
    "NE",
    "NOT",
    "OR",
    "PINV",
    "PLAIN",
    "POOL_MAX",
    "PROD",
    "PerInput",
    "Primitive",
    "RESHAPE",
    "RSHIFT",
    "Rule",
    "ONCE_DIFFERENTIABLE",
    "SCATTER",
    "SCATTER_ADD",
    "SCATTER_NO_DERIVATIVE",
    "SELECTED",
    "SLOGDET",
    "SOLVE",
    "SOLVE_TRIANGULAR",
    "SORT",
    "SUM",
    "SVD",
    "TABLE",
    "TRANSPOSE",
    "UNFOLD",
    "VAR",
    "WELFORD_MEAN",
    "WHERE",
    "XOR",
    "fma_as",
    "generate",
    "install",
    "max_shift",
    "replaced",
    "rule_of",
    "unbroadcast",
]
