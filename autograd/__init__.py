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
``torch.func``, ``torch.autograd`` and ``torch.save``/``torch.load`` (:func:`save`, :func:`load`: no
pickle, so not torch's file format). A torch name this library lacks raises an AttributeError
that says what to write instead.
"""

from typing import TYPE_CHECKING, Any

from . import (  # noqa: F401
    functional_aliases,
    functions,
    in_place_math,
    linalg,
    most_common,
    numpy_dispatch,
    numpy_shapes,
    out_arguments,
    signal_windows,
    special,
    tensor_members,
    torch_functions,
    torch_keywords,
    torch_utilities,
)
from ._siblings import sibling as _sibling
from ._tensor import Tensor, cat, concatenate, stack
from .devices import device, get_default_device, set_default_device
from .dtypes import bool as bool  # (torch.bool; kept out of __all__, as float)
from .dtypes import can_cast, finfo, get_default_dtype, iinfo, promote_types, result_type, set_default_dtype

# torch.float64, ...: numpy dtypes, kept out of __all__ (the reference documents functions and classes)
from .dtypes import double as double
from .dtypes import float as float
from .dtypes import float32 as float32
from .dtypes import float64 as float64
from .dtypes import int64 as int64
from .dtypes import long as long
from .factories import (
    arange,
    as_tensor,
    bernoulli,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .functional_aliases import *  # noqa: F403 (torch.dropout, torch.embedding, ...: nn.functional's)
from .grad_mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_anomaly_enabled,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # (eager: the function, not its module)
from .graph import collector_paused, toposort
from .in_place_math import *  # noqa: F403 (torch.exp_, torch.clamp_, ...)
from .linalg import det, logdet, pinverse, slogdet
from .linalg import inv as inverse
from .linalg import svd_with_v as svd
from .logic import (
    bitwise_and,
    bitwise_left_shift,
    bitwise_not,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
    isin,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
)
from .most_common import mode
from .multinomial import multinomial
from .numpy_shapes import atleast_1d, atleast_2d, atleast_3d, column_stack, dstack, hstack, row_stack, vstack
from .products import cross, dot, einsum, inner, kron, outer, tensordot, vdot
from .random_state import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .reductions import norm, prod
from .scans import cumprod, cumsum, diff, gradient, logcumsumexp
from .signal_windows import *  # noqa: F403 (hann_window, ...: see signal_windows.__all__)
from .special import mvlgamma
from .statistics import aminmax, corrcoef, cov, kthvalue
from .tensor_members import *  # noqa: F403 (torch's members and their functions: see tensor_members.__all__)
from .torch_functions import *  # noqa: F403 (torch's composed functions: see torch_functions.__all__)
from .torch_hints import missing as _missing
from .torch_methods import Size
from .torch_utilities import *  # noqa: F403 (broadcasting, settings, ...: see torch_utilities.__all__)
from .value import Value, zero_grad
from .value_array import ValueArray

if TYPE_CHECKING:  # (imported when first used, by __getattr__: see _NAMESPACES and _DEFERRED below)
    from . import accelerator, autograd, backends, cuda, func
    from .derivcheck import DerivativeReport, check_derivative
    from .func import vmap
    from .functional import grad, hessian, hvp, jacobian, jvp, value_and_grad, vjp
    from .integrals import cumulative_trapezoid, trapezoid, trapz
    from .linalg_functions import matrix_exp
    from .linalg_solvers import cholesky_inverse, cholesky_solve
    from .linalg_solvers import qr_with_some as qr

#: torch's functions that take out= or keywords named otherwise here, each given them when first used,
#: by __getattr__ (out_arguments.out_form, torch_keywords.with_torch_names: making the 160 wrappers
#: cost a sixth of the import)
_UNWRAPPED = {
    n: globals().pop(n)
    for n in (*out_arguments.TAKE_OUT, *torch_keywords.TORCH_NAMES)
    if callable(globals().get(n))
}
torch_keywords.install(globals())  # (the Tensor methods' keyword names: t.swapdims(dim0=), ...)

#: subpackages imported when first used (`autograd.nn`, as `torch.nn`, and `autograd.utils`): their
#: code is a third of the library's, and the engine needs neither
_SUBPACKAGES = ("nn", "utils")
#: torch's namespaces the engine does not need, imported when first used too (`torch.autograd`,
#: `torch.func`, the device questions): together with the checks and the function transforms below,
#: 30 of the 150 modules an import read
_NAMESPACES = ("autograd", "func", "cuda", "accelerator", "backends")
#: the modules of the names imported when first used (attributes of the package once imported, as before)
_MODULES = ("derivcheck", "functional", "gradients", "integrals", "legacy_tensors", "pytree", "slips")
#: names imported from their module when first used: the drawings, the step-through page and the
#: traces (graphviz and the page's assets cost a third of the library's import time; the engine needs
#: neither), and save/load (zipfile and json: another 10 ms)
_LAZY = {
    "Claim": ".visual.claims", "dot_available": ".visual.draw", "draw_graph": ".visual.draw",
    "render": ".visual.draw", "StepThrough": ".visual.steps", "backward_html": ".visual.steps",
    "backward_steps": ".visual.steps", "trace": ".visual.trace", "trace_rows": ".visual.trace",
    "save": ".serialization", "load": ".serialization",
    # torch's top-level forms of nn.functional's functions with the same signature (imported when first
    # used; those whose signature differs are autograd/functional_aliases.py's)
    **dict.fromkeys(
        ("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
         "cosine_similarity", "pairwise_distance", "pixel_shuffle", "pixel_unshuffle", "selu", "celu",
         "threshold", "rrelu", "bilinear", "avg_pool1d", "max_pool1d", "max_pool2d", "max_pool3d", "rms_norm",
         "adaptive_avg_pool1d"),
        ".nn.functional",
    ),
    # the in-place activations torch has at its top level (nn.functional's: imported when first used)
    **dict.fromkeys(
        ("relu_", "sigmoid_", "tanh_", "threshold_", "celu_", "selu_", "rrelu_"), ".nn.functional.activations"
    ),
    # HIPS autograd's differential operators (autograd.numpy, too, is imported only when asked for)
    **dict.fromkeys(
        ("elementwise_grad", "deriv", "grad_and_aux", "make_vjp", "make_jvp", "make_hvp",
         "hessian_tensor_product", "hessian_vector_product", "tensor_jacobian_product",
         "vector_jacobian_product", "multigrad_dict"),
        ".differential_operators",
    ),
}  # fmt: skip
#: imported when first used too (listed in __all__ by name below): check_derivative, the function
#: transforms, the integrals, and torch's legacy constructors (kept out of __all__, as the dtypes:
#: objects, not functions)
_DEFERRED = {
    "check_derivative": ".derivcheck", "DerivativeReport": ".derivcheck", "vmap": ".func",
    **dict.fromkeys(("grad", "hessian", "hvp", "jacobian", "jvp", "value_and_grad", "vjp"), ".functional"),
    **dict.fromkeys(("trapezoid", "trapz", "cumulative_trapezoid"), ".integrals"),
    **dict.fromkeys(("BoolTensor", "DoubleTensor", "FloatTensor", "LongTensor"), ".legacy_tensors"),
    # the elementwise ops by name and torch's functions of the Tensor methods (autograd.exp,
    # autograd.matmul: made when first used, functions.__getattr__)
    **dict.fromkeys((*functions.ELEMENTWISE, *functions.TENSOR_METHODS), ".functions"),
    # torch's linear algebra beyond linalg's primitives (numpy_dispatch.DEFERRED: their numpy forms)
    "matrix_exp": ".linalg_functions", "cholesky_inverse": ".linalg_solvers",
    "cholesky_solve": ".linalg_solvers", "qr": ".linalg_solvers",
}  # fmt: skip
#: the deferred names defined under another name in their module
_DEFINED_AS = {"qr": "qr_with_some"}


def compile(fn=None, *, check=False, optimizer=None):  # type: ignore[no-untyped-def]  # noqa: A001 (as torch.compile)
    """Compile a loss function into a step that runs its forward and backward pass as generated
    straight-line code, filling ``.grad`` as ``loss.backward()`` would.

    The first call with a new signature (the arguments' structure; each Tensor's shape, dtype and
    ``requires_grad``; plain numbers by value) runs ``fn`` once eagerly and records its graph; from
    it the forward and the backward pass are written as Python (numpy statements for Tensors, float
    arithmetic for Values, one backward line per chain-rule step with its rule as a comment) and
    every later call runs that code. Parameters the function reaches are read at every call, so an
    optimizer's in-place update is seen; a name of the function's (a global or a closure variable)
    bound to a new object since the trace (``model = Model()`` again) makes the call trace again,
    as ``torch.compile``'s guards do. As with ``jax.jit``, Python that looks at the numbers
    (``if loss.item() > 1``, a mask made from ``x.data``) runs once, at the trace. Under
    :obj:`no_grad` only the forward runs; under :obj:`detect_anomaly` the eager engine does.
    ``backward()`` inside ``fn`` is refused (``autograd.grad(..., create_graph=True)`` compiles).
    The guide "Compiled steps" has the details.

    Parameters
    ----------
    fn : callable, optional
        A function of Tensors, Values or ValueArrays (and plain values) returning the loss (a
        Value, or a one-element Tensor or ValueArray), or a tuple, list or dict whose first leaf
        is the loss. Without it, ``compile(check=...)`` returns a decorator.
    check : bool
        Also run the eager engine at every call and raise
        :class:`~autograd.compiled.CheckError` where any output or gradient differs (bit for
        bit; the sign of a nan or of a zero Value gradient aside).
    optimizer : optimizers.Optimizer, optional
        Make each call a whole training step: forward and backward, then ``optimizer.step()``
        and ``optimizer.zero_grad()`` (the same numbers). With plain SGD (``linear_step``) the
        update of a large weight used as ``x @ W`` is written into the code: updated inside its
        gradient's product, ``W ← W − lr·(xᵀ @ g)`` in one BLAS call, with no ``.grad`` made.
        An optimizer whose step needs a closure (LBFGS) is refused.

    Returns
    -------
    autograd.compiled.Compiled
        The compiled step (or a decorator making one). Calling it returns what ``fn`` returns,
        detached (no graph), and accumulates into ``.grad`` of every leaf that requires grad;
        ``.source`` shows the generated code.

    Raises
    ------
    TypeError
        If ``fn`` is not callable, or ``optimizer`` has no ``step()`` and ``zero_grad()`` or its
        step needs a closure.
    autograd.compiled.CompileError
        At a call that traces, if ``fn`` cannot be compiled: it returns a number computed from
        the data, draws random numbers or runs ``backward()`` itself.

    Examples
    --------
    >>> import autograd as ag
    >>> w = ag.Tensor([1.0, 2.0], requires_grad=True)
    >>> step = ag.compile(lambda x: ((w * x).sum() - 1.0) ** 2)
    >>> step(ag.Tensor([3.0, 4.0]))
    Tensor(100., dtype=float64)
    >>> w.grad
    Tensor([60., 80.], dtype=float64)
    """
    from .compiled import compile as compile_

    return compile_(fn, check=check, optimizer=optimizer)


__all__ = [
    "Value",
    "Tensor",
    "ValueArray",
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "detect_anomaly",
    "is_anomaly_enabled",
    "grad",
    "value_and_grad",
    "jacobian",
    "hessian",
    "hvp",
    "jvp",
    "vjp",
    "vmap",
    "compile",
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
    "logspace",
    "empty",
    "empty_like",
    "randint",
    "randperm",
    "randint_like",
    "bernoulli",
    "multinomial",
    "normal",
    "tensor",
    "from_numpy",
    "as_tensor",
    "Size",
    "get_default_dtype",
    "set_default_dtype",
    "manual_seed",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
    "Generator",
    # torch.nn and torch.utils.data (_SUBPACKAGES), the device and the accelerator questions (only the
    # CPU here), inference_mode
    *_SUBPACKAGES,
    "device",
    "set_default_device",
    "get_default_device",
    "cuda",
    "accelerator",
    "backends",
    "inference_mode",
    *_LAZY,
    # (names that would shadow Python's builtins under `from autograd import *` stay out of it:
    # autograd.sum, .max, .min, .all, .any, .bool, .float)
    *(
        n
        for n in (*functions.ELEMENTWISE, *functions.TENSOR_METHODS)
        if n not in ("sum", "max", "min", "all", "any")
    ),
    *(n for n in torch_functions.__all__ if n not in ("max", "min")),
    *tensor_members.__all__,
    *(n for n in torch_utilities.__all__ if n != "range"),  # (range: Python's builtin under import *)
    *functional_aliases.__all__,
    *in_place_math.__all__,
    "trapezoid",
    "trapz",
    "cumulative_trapezoid",
    *signal_windows.__all__,
    "finfo",
    "iinfo",
    "promote_types",
    "can_cast",
    "result_type",
    # reductions, scans, products and linear algebra (torch's names)
    "linalg",
    "prod",
    "norm",
    "cumsum",
    "logcumsumexp",
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
    "pinverse",
    "svd",
    "matrix_exp",
    "qr",
    "cholesky_solve",
    "cholesky_inverse",
    # logic, and statistics (torch's names)
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_not",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "isin",
    "aminmax",
    "kthvalue",
    "mode",
    "cov",
    "corrcoef",
    # torch.special (its module), and torch.mvlgamma
    "special",
    "mvlgamma",
]


def __getattr__(name: str) -> Any:
    """torch's functions that take ``out=``, given it when first used; the visual tools, save/load,
    HIPS autograd's operators, the function transforms and torch's namespaces (``autograd.autograd``,
    ``autograd.func``, ...), imported when first used;
    ``autograd.optim``, the ``optimizers`` package (torch.optim's names, loaded when first used);
    ``autograd.numpy``; any other missing name raises an AttributeError with what to write instead."""
    function = _UNWRAPPED.get(name)
    if function is None and name in _DEFERRED:
        import importlib

        function = getattr(importlib.import_module(_DEFERRED[name], __name__), _DEFINED_AS.get(name, name))
    if function is not None:
        value = out_arguments.out_form(function, name) if name in out_arguments.TAKE_OUT else function
        names = torch_keywords.TORCH_NAMES.get(name)
        if names is not None:  # (hstack(tensors=), zeros(size=), ...)
            value = torch_keywords.with_torch_names(value, name, names)
        globals()[name] = value
        _UNWRAPPED.pop(name, None)
        return value
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        value = getattr(importlib.import_module(module, __name__), name)
        if name in out_arguments.TAKE_OUT:  # (torch.threshold's out=)
            value = out_arguments.with_out(value, name)
        globals()[name] = value
        return value
    if name == "optim":
        return _sibling("optimizers")
    if name in _SUBPACKAGES or name in _NAMESPACES or name in _MODULES:
        import importlib

        return importlib.import_module("." + name, __name__)
    if name == "numpy":  # (HIPS autograd's namespace: `import autograd.numpy as np` imports it too)
        import importlib

        return importlib.import_module(".numpy", __name__)
    raise _missing("autograd", name, _Names())


class _Names:
    """:func:`__dir__`'s names, listed only when iterated (a missing name's message is read seldom)."""

    def __iter__(self) -> Any:
        return iter(__dir__())


def __dir__() -> list[str]:
    """The module's names with those made or imported when first used (see :func:`__getattr__`)."""
    return sorted({*globals(), *_UNWRAPPED, *_LAZY, *_DEFERRED, *_SUBPACKAGES, *_NAMESPACES, *_MODULES})
