"""torch's ``out=`` argument, one mechanism for every function that takes it.

``f(..., out=t)`` computes ``f(...)`` and writes the result into the Tensor ``t``, which is returned
(a tuple of Tensors for the functions with several results: ``max(x, 0, out=(values, indices))``).
As torch:

- an ``out`` of another shape is resized (its old numbers are dropped); one with elements gives
  torch's deprecation warning first, an empty one (``t.resize_(0)``, ``torch.empty(0)``) none;
- the dtype of ``out`` follows the function's rule (:data:`RULES`): most elementwise functions cast
  the result into any dtype it can be cast to (not a float into an integer or bool ``out``), the
  comparisons into any dtype, ``sum``/``prod``/``cumsum``/``cumprod`` and the factories compute in
  ``out``'s dtype (as their ``dtype=``), the others want exactly the result's dtype; each refusal
  is torch's error, worded as torch words it;
- a result that would require grad (or an ``out`` that requires grad, for a result that could)
  is refused: "functions with out=... arguments don't support automatic differentiation".

:func:`out_form` gives a function that lacks it torch's ``out=`` (``autograd`` does so when each is
first used); the generated elementwise functions and the factories call :func:`write` themselves.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _tensor, dtypes, grad_mode
from ._argument_docs import describe

__all__ = ["install", "out_form", "write"]

#: torch's C type names of the dtypes (``double``), for its messages (its ScalarType names, ``Double``,
#: are ``dtypes.torch_name``'s)
_C_NAMES = {
    "float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int", "int32": "int",
    "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool",
}  # fmt: skip

RESIZED = (
    "An output with one or more elements was resized since it had shape {old}, which does not match "
    "the required output shape {new}. This behavior is deprecated, and in a future PyTorch release "
    "outputs will not be resized unless they have zero elements. You can explicitly reuse an out "
    "tensor t by resizing it, inplace, to zero elements with t.resize_(0)."
)
ARANGE_RESIZED = (
    "The number of elements in the out tensor of shape {old} is {n} which does not match the computed number "
    "of elements {m}. Note that this may occur as a result of rounding error. The out tensor will be resized "
    "to a tensor of shape {new}."
)
#: the functions torch resizes an out of another shape for without a warning (its older kernels)
RESIZED_SILENTLY = frozenset("addbmm eye full linspace logspace ones zeros".split())
NO_AUTOGRAD = (
    "{name}(): functions with out=... arguments don't support automatic differentiation, but one of "
    "the arguments requires grad."
)

# -- the dtype rules --------------------------------------------------------------------------------
#: a rule: (which out dtypes are taken, the error's class, torch's message). Fields of the message:
#: {name}; the result's and out's dtypes as {R}/{O} (``Double``) and {r}/{o} (``double``)
Rule = tuple[str, type, Any]
CAST: Rule = ("cast", RuntimeError, "result type {R} can't be cast to the desired output type {O}")
ANY: Rule = ("any", RuntimeError, "")
#: out's dtype is the one the function computes in (its dtype=): the input is cast first
AS_DTYPE: Rule = ("dtype", RuntimeError, "")
SAME: Rule = ("same", RuntimeError, "Expected out tensor to have dtype {r}, but got {o} instead")


def _same(message: str, error: type = RuntimeError) -> Rule:
    return ("same", error, message)


_FOUND = _same("Found dtype {O} but expected {R}")
_BOOLEAN = _same("{name} does not support non-boolean outputs.")
_SAFELY = (
    "cast",
    RuntimeError,
    "{name}: Expected result to be safely castable from {R} dtype, but got result with dtype {O}",
)
_SELECT = _same("{name}(): self and result must have the same scalar type")
_TENSORDOT = _same(
    "tensordot: Expected the output tensor to have dtype {R}, but got an output tensor with dtype {O}"
)
_SEARCH = (
    "index", RuntimeError,
    "torch.searchsorted(): output tensor's dtype is wrong, it can only be Int(int32) or Long(int64) "
    "depending on whether out_int32 flag is True, but we got output tensor's dtype {O} and out_int32 flag "
    "is False",
)  # fmt: skip
_CAT = ("cast", TypeError, "torch.cat(): input types can't be cast to the desired output type {O}")
_NOT_FOR_BOOL = ("dtype", NotImplementedError, "\"{name}_out_cpu\" not implemented for 'Bool'")
_NOT_FOR_BOOL_RANGE = ("dtype", NotImplementedError, "\"{name}_cpu\" not implemented for 'Bool'")


def _rules(rule: Rule, names: str) -> dict[str, Rule]:
    return dict.fromkeys(names.split(), rule)


#: each function's rule for out's dtype (torch 2.13's, found by calling it); a name not here: CAST
RULES: dict[str, Rule] = {
    **_rules(ANY, "eq ne lt le gt ge greater greater_equal less less_equal not_equal logical_and logical_or "
             "logical_xor logical_not"),
    **_rules(AS_DTYPE, "sum prod eye zeros ones full rand randn"),
    **_rules(_NOT_FOR_BOOL, "cumsum cumprod"),
    **_rules(_NOT_FOR_BOOL_RANGE, "arange linspace logspace"),
    **_rules(SAME, "msort mm bmm addmm baddbmm inverse cross norm gather index_add index_copy index_reduce "
             "take_along_dim scatter scatter_add scatter_reduce diag tril triu softmax log_softmax renorm "
             "argmax argmin argsort isin matmul"),
    **_rules(_FOUND, "abs absolute ceil fix floor frac neg negative round sgn sign trunc clamp clip "
             "clamp_min clamp_max hardshrink bitwise_not"),
    **_rules(_BOOLEAN, "isneginf isposinf signbit"),
    **_rules(_SAFELY, "cholesky_inverse cholesky_solve"),
    **_rules(_SELECT, "index_select masked_select"),
    **_rules(_TENSORDOT, "inner tensordot"),
    **_rules(_SEARCH, "searchsorted bucketize"),
    **_rules(_CAT, "cat concat concatenate stack hstack vstack row_stack dstack column_stack"),
    "matrix_power": ("same", RuntimeError, ("matrix_power: Expected result to be safely castable from {R} "
                     "dtype, but got result with dtype {O}", SAME[2])),
    "ldexp": ("cast", RuntimeError, "ldexp can't be cast to the desired output type {O}"),
    "mv": _same("addmv input tensors must have the same dtype, but got {O}, {R}, and {R}"),
    "addmv": _same("Expected out tensor to have dtype {r}, but got {o} instead"),
    "nan_to_num": _same("nan_to_num: dtype of out: {O} should be same as input: {R}"),
    "float_power": _same("the output given to float_power has dtype {O} but the operation's result requires "
                         "dtype {R}"),
    "heaviside": _same("heaviside is not yet implemented for tensors with different dtypes."),
    "where": _same("Expected out type to be {R} but got {O}"),
    "dot": _same("result dtype {O} does not match input dtype {R}"),
    "vdot": _same("result dtype {O} does not match input dtype {R}"),
    "addbmm": _same("self and mat2 must have the same dtype, but got {O} and {R}"),
    "chain_matmul": _same("multi_dot(): expected out tensor to have dtype {r} but got {o}"),
    "amax": _same("Expected the dtype for input and out to match, but got {R} for input's dtype and {O} for "
                  "out's dtype."),
    "amin": _same("Expected the dtype for input and out to match, but got {R} for input's dtype and {O} for "
                  "out's dtype."),
    "all": ("bool", RuntimeError, "all only supports bool tensor for result, got: {O}"),
    "any": ("bool", RuntimeError, "any only supports bool tensor for result, got: {O}"),
    "quantile": _same("quantile() out tensor must be same dtype as the input tensor"),
    "nanquantile": _same("quantile() out tensor must be same dtype as the input tensor"),
    "logcumsumexp": _same("expected scalar_type {R} but found {O}"),
    "take": _same("take(): self and out expected to have the same dtype, but got self.dtype = {R} and "
                  "out.dtype = {O}"),
    "nonzero": _same("nonzero: Expected out tensor to have scalar type Long but got scalar type{O}"),
    "histc": _same("torch.histogram: input tensor and hist tensor should have the same dtype, but got input "
                   "{r} and hist {o}"),
    "logsumexp": ("float", RuntimeError,
                  "logsumexp(): Expected floating point type for result tensor, but got: {O}"),
    "nansum": ("float", NotImplementedError, "\"nansum_cpu\" not implemented for '{O}'"),
    "nanmean": ("float", NotImplementedError, "\"nansum_cpu\" not implemented for '{O}'"),
    "mvlgamma": ("cast", RuntimeError,  # (torch names the result's dtype twice)
                 "mvlgamma: result type {R} can't be cast to the desired output type {R}"),
}  # fmt: skip

#: the functions with several results: each part's rule (torch's messages name the part)
_PARTS = (SAME, SAME)
_CUMULATIVE = (_same("expected scalar_type {R} but found {O}"),) * 2
_MEDIAN = (
    _same("Expected tensor for 'values' to have the same type as tensor for argument #2 'self'; but type "
          "torch.{O}Tensor does not equal torch.{R}Tensor (while checking arguments for median)"),
    _same("Expected tensor for argument #1 'indices' to have scalar type Long; but got torch.{O}Tensor "
          "instead (while checking arguments for median)"),
)  # fmt: skip
TUPLE_RULES: dict[str, tuple[Rule, ...]] = {
    **dict.fromkeys(["max", "min", "sort", "topk", "aminmax"], _PARTS),
    **dict.fromkeys(["cummax", "cummin"], _CUMULATIVE),
    **dict.fromkeys(["median", "nanmedian"], _MEDIAN),
    "kthvalue": (
        _same("output values must be of same type as input"),
        _same("output indices must be of scalar type Long"),
    ),
    "mode": (
        _same("expected scalar type '{R}' but got '{O}' for values output"),
        _same("expected scalar type '{R}' but got '{O}' for indices output"),
    ),
}


def _names(dt: np.dtype) -> tuple[str, str]:
    return dtypes.torch_name(dt), _C_NAMES.get(dt.name, dt.name)


def _kind(dt: np.dtype) -> int:
    return {"b": 0, "i": 1, "u": 1, "f": 2}.get(dt.kind, 3)


def _allowed(rule: str, result: np.dtype, out: np.dtype) -> bool:
    if rule in ("any", "dtype"):
        return True
    if rule == "cast":
        return _kind(result) <= _kind(out)
    if rule == "bool":
        return out.kind == "b"
    if rule == "float":
        return out.kind == "f"
    if rule == "index":
        return out.name in ("int64", "int32")
    return out == result


def check_dtype(name: str, rule: Rule, result: np.dtype, out: np.dtype) -> None:
    """Raise torch's error when ``rule`` refuses an ``out`` of dtype ``out`` for a result of dtype
    ``result`` (and the dtype-computing rules' refusals of bool)."""
    kind, error, message = rule
    refused = not _allowed(kind, result, out) or (kind == "dtype" and bool(message) and out.kind == "b")
    if refused:
        if isinstance(message, tuple):  # (one message when out is of a lower category, one else)
            message = message[_kind(out) >= _kind(result)]
        (R, r), (O, o) = _names(result), _names(out)  # noqa: N806 (torch's ScalarType names)
        raise error(message.format(name=name, R=R, r=r, O=O, o=o))


def _as_tensor(name: str, out: Any) -> _tensor.Tensor:
    if not isinstance(out, _tensor.Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    return out


def _refuse_autograd(name: str, result: Any, outs: Sequence[_tensor.Tensor]) -> None:
    parts = result if isinstance(result, tuple) else (result,)
    if any(isinstance(p, _tensor.Tensor) and p.requires_grad for p in parts) or (
        grad_mode.is_grad_enabled()
        and any(o.requires_grad for o in outs)
        and any(np.asarray(getattr(p, "data", p)).dtype.kind == "f" for p in parts)
    ):
        raise RuntimeError(NO_AUTOGRAD.format(name=name))


def _store(out: _tensor.Tensor, result: Any, name: str) -> None:
    """``result``'s numbers into ``out``, resized first (with torch's warning when it had elements)."""
    values = result.data if isinstance(result, _tensor.Tensor) else np.asarray(result)
    if values.shape != out.data.shape:
        if name == "arange" and out.data.size:  # (its own words)
            warnings.warn(ARANGE_RESIZED.format(old=list(out.data.shape), n=out.data.size, m=values.size,
                                                new=values.shape), UserWarning, stacklevel=4)  # fmt: skip
        elif out.data.size and name not in RESIZED_SILENTLY:
            warnings.warn(
                RESIZED.format(old=list(out.data.shape), new=list(values.shape)), UserWarning, stacklevel=4
            )
        out.data = np.empty(values.shape, out.data.dtype)
    with grad_mode.no_grad():
        out.copy_(values)


def write(out: Any, result: Any, name: str) -> Any:
    """torch's ``out=``: ``result`` written into ``out`` (a Tensor; a tuple of them for a function
    with several results), which is returned (``out=None``: ``result`` itself).

    Raises:
        TypeError: ``out`` is not a Tensor (not a tuple of the right length, for several results).
        RuntimeError: ``out``'s dtype is refused by the function's rule (torch's error and words), or
            a result or ``out`` requires grad.
    """
    if out is None:
        return result
    if isinstance(result, tuple):
        return _write_parts(out, result, name)
    target = _as_tensor(name, out)
    _refuse_autograd(name, result, (target,))
    dtype = np.asarray(result.data if isinstance(result, _tensor.Tensor) else result).dtype
    check_dtype(name, RULES.get(name, CAST), dtype, target.data.dtype)
    _store(target, result, name)
    return target


def _write_parts(out: Any, result: tuple[Any, ...], name: str) -> Any:
    if not isinstance(out, (tuple, list)):
        raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not {type(out).__name__}")
    if len(out) != len(result):
        raise TypeError(f"expected tuple of {len(result)} elements but got {len(out)}")
    outs = [_as_tensor(name, o) for o in out]
    _refuse_autograd(name, result, outs)
    rules = TUPLE_RULES.get(name, (SAME,) * len(result))
    for rule, part, target in zip(rules, result, outs):
        check_dtype(name, rule, part.data.dtype, target.data.dtype)
    for part, target in zip(result, outs):
        _store(target, part, name)
    return type(result)(*outs) if hasattr(type(result), "_fields") else tuple(outs)


def with_out(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``function`` with torch's keyword ``out=`` (see :func:`write`); the functions that compute
    in out's dtype (:data:`RULES` "dtype") get it as their ``dtype=``."""
    rule = RULES.get(name, CAST)
    computes_in_out = name in COMPUTE_IN_OUT

    @functools.wraps(function)
    def wrapper(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is None:
            return function(*args, **kwargs)
        if computes_in_out and isinstance(out, _tensor.Tensor) and kwargs.get("dtype") is None:
            dtype = out.data.dtype
            if rule[0] == "dtype":
                check_dtype(name, rule, dtype, dtype)  # (bool, for some)
            if name in DRAWS and dtype == np.float64 and not dtypes._explicit_float64():
                pass  # (float64, the library's implicit default: torch's default stream, as without dtype=)
            elif rule[0] == "dtype" or dtype.kind == "f":
                kwargs["dtype"] = dtype
        return write(out, function(*args, **kwargs), name)

    wrapper.__doc__ = inspect.cleandoc(function.__doc__ or "")  # (the entry appended unindented)
    describe(wrapper, ["out"])
    try:
        sig = inspect.signature(function)
    except (TypeError, ValueError):  # (a builtin without one)
        return wrapper
    keyword = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
    parameters = [p for p in sig.parameters.values() if p.name != "out"]
    at = next((i for i, p in enumerate(parameters) if p.kind is p.VAR_KEYWORD), len(parameters))
    wrapper.__signature__ = sig.replace(parameters=[*parameters[:at], keyword, *parameters[at:]])  # type: ignore[attr-defined]
    return wrapper


#: the functions of torch's namespace that take ``out=`` (torch 2.13's signatures: _VariableFunctions.pyi
#: and torch.functional); :func:`install` gives it to those here that lack it
TAKE_OUT = frozenset(
    """abs absolute acos acosh add addbmm addcdiv addcmul addmm addmv addr all amax amin aminmax angle any
    arange arccos arccosh arcsin arcsinh arctan arctan2 arctanh argmax argmin argsort asin asinh atan
    atan2 atanh baddbmm bernoulli bitwise_and bitwise_left_shift bitwise_not bitwise_or
    bitwise_right_shift bitwise_xor bmm bucketize cat ceil
    chain_matmul cholesky_inverse cholesky_solve clamp clamp_max clamp_min clip column_stack concat
    concatenate copysign cos cosh cross cummax cummin cumprod cumsum deg2rad diag diff digamma div
    divide dot dstack empty eq erf erfc erfinv exp exp2 expm1 eye fix float_power floor floor_divide
    fmax fmin fmod frac full gather gcd ge ger greater greater_equal gt hardshrink heaviside histc
    histogram hstack hypot i0 index_add index_copy index_reduce index_select inner inverse isin isneginf
    isposinf kron kthvalue lcm ldexp le lerp less less_equal lgamma linspace log log10 log1p log2
    log_softmax logaddexp logaddexp2 logcumsumexp logical_and logical_not logical_or logical_xor logit
    logspace logsumexp lt masked_select matmul matrix_power max maximum mean median min minimum mm mode
    msort mul multinomial multiply mv mvlgamma nan_to_num nanmean nanmedian nanquantile nansum ne neg
    negative nextafter nonzero norm normal not_equal ones outer polygamma pow prod qr quantile rad2deg
    rand randint randn randperm range reciprocal remainder renorm round row_stack rsqrt scatter
    scatter_add scatter_reduce searchsorted sgn sigmoid sign signbit sin sinc sinh slogdet softmax sort
    sqrt square stack std sub subtract sum svd take take_along_dim tan tanh tensordot threshold topk
    tril triu true_divide trunc var vdot vstack where xlogy zeros""".split()
)
#: the functions that compute in out's dtype, given as their ``dtype=`` (a float one, for those whose
#: rule refuses the others)
COMPUTE_IN_OUT = frozenset(
    "sum prod cumsum cumprod mean nanmean nansum eye zeros ones full rand randn arange linspace "
    "logspace".split()
)

#: the random factories: a draw into a float64 ``out`` while float64 is only the library's implicit
#: default follows torch's default (float32) stream, as a draw without ``dtype=`` does
#: (``random_state.draw_dtype``): ``c = zeros(2, 2); rand(2, 2, out=c)`` gives torch's numbers
DRAWS = frozenset(("rand", "randn"))


def out_form(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """torch's ``name`` (one of :data:`TAKE_OUT`) with its ``out=``: ``function`` itself when it takes
    one, else wrapped (:func:`with_out`); wrapped too when it computes in out's dtype (``sum``: its
    own ``out`` casts the computed result)."""
    try:
        has_out = "out" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        has_out = False
    return function if has_out and name not in COMPUTE_IN_OUT else with_out(function, name)


def install(namespace: dict[str, Any]) -> None:
    """Give each function of ``namespace`` named in :data:`TAKE_OUT` torch's ``out=`` (:func:`out_form`).
    (``autograd`` gives each when it is first used: its ``__getattr__``.)"""
    for name in sorted(TAKE_OUT):
        function = namespace.get(name)
        if function is not None and callable(function):
            namespace[name] = out_form(function, name)
