"""torch's in-place variants of the Tensor methods: ``t.exp_()``, ``t.pow_(2)``, ``t.masked_fill_(m, 0)``,
``t.lerp_(end, 0.5)``, ``t.eq_(u)``, ``t.cumsum_(0)``, ... (:data:`IN_PLACE`), and of the shape
methods: ``t.unsqueeze_(0)``, ``t.squeeze_()``, ``t.t_()``, ``t.transpose_(0, 1)`` (:data:`RESHAPED`).

``t.f_(...)`` writes ``t.f(...)``'s numbers into ``t`` and returns ``t``, under the rules of every
in-place write (:meth:`~autograd.Tensor.add_`): on a leaf that requires grad only under
``no_grad``, counted by the version counter (a backward pass that would read the old numbers
refuses); on a tensor computed from others recorded in the graph, as torch records it
(``autograd/_rebase.py``). As torch's, the result must keep ``t``'s shape (an operand broadcast to a
larger one is an error) and its dtype's kind (``exp_`` of an int64 tensor is refused: the result is a float).

A shape method in place changes the shape of a tensor that is no graph's (requires no grad, is no
computed node): the graph keeps the shape a node had, so elsewhere the error says to write
``t = t.unsqueeze(0)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _versions, ops, tensor_members  # noqa: F401 (its methods first: t.lerp_ writes t.lerp's numbers)
from ._operands import tensor_methods
from ._tensor import Tensor
from .grad_mode import no_grad
from .torch_methods import TorchMethods

#: the methods whose in-place variant ``<name>_`` writes their result into the tensor
IN_PLACE = (
    "abs", "absolute", "neg", "negative", "sgn", "sign", "square", "sqrt", "rsqrt", "reciprocal",
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "logit", "xlogy",
    "sin", "cos", "tan", "asin", "acos", "atan", "arcsin", "arccos", "arctan", "atan2", "arctan2",
    "sinh", "cosh", "asinh", "acosh", "atanh", "arcsinh", "arccosh", "arctanh", "sinc", "deg2rad", "rad2deg",
    "erf", "erfc", "erfinv", "lgamma", "digamma", "polygamma", "mvlgamma", "i0",
    "round", "floor", "ceil", "trunc", "fix", "frac",
    "pow", "float_power", "fmod", "remainder", "hypot", "copysign", "heaviside",
    "multiply", "divide", "true_divide", "subtract", "floor_divide",
    "clamp_min", "clamp_max", "clip", "nan_to_num", "masked_fill",
    "lerp", "addcmul", "addcdiv", "addmm", "addmv", "addr", "baddbmm", "addbmm",
    "cumsum", "cumprod", "tril", "triu", "renorm",
    "eq", "ne", "not_equal", "lt", "less", "le", "less_equal", "gt", "greater", "ge", "greater_equal",
    "logical_and", "logical_or", "logical_xor", "logical_not",
)  # fmt: skip

#: the ones whose result of integers is integers in torch (here it may come as float64: written back
#: into an integer tensor, cast)
INTEGER_RESULTS = frozenset(
    "square round floor ceil trunc fix sign sgn tril triu masked_fill heaviside".split()
)

#: the shape methods whose in-place variant ``<name>_`` changes the tensor's shape
RESHAPED = ("unsqueeze", "squeeze", "t", "transpose", "swapdims", "swapaxes")


def _torch_dtype(dtype: np.dtype) -> str:
    return {"f": "Float", "i": "Long", "u": "Long", "b": "Bool"}[dtype.kind]


def _in_place(name: str) -> Any:
    op = name + "_"

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        data = self._written(op, *args, *kwargs.values(), count=False)
        if data is None:  # (recorded in the graph: autograd/_rebase.py)
            return self._rewritten(
                op, lambda: getattr(self, name)(*args, **kwargs), lambda out: _check(self, out)
            )
        with no_grad():  # (the numbers only: the write makes no graph)
            out = getattr(self, name)(*args, **kwargs)
        _check(self, out)
        np.copyto(data, out.data, casting="unsafe")
        _versions.bump(data)
        return self

    def _check(self: Tensor, out: Tensor) -> None:
        data, result = self.data, out.data
        if result.shape != data.shape:
            raise RuntimeError(
                f"{op}: output with shape {list(data.shape)} doesn't match the broadcast shape "
                f"{list(result.shape)}"
            )
        if name == "float_power" and data.dtype != np.float64:
            raise RuntimeError(
                f"{op}: the base given to float_power_ has dtype {data.dtype} but the operation's result "
                "requires dtype float64 (call it on a float64 tensor)"
            )
        integers = name in INTEGER_RESULTS and data.dtype.kind in "iu"
        if not integers and not np.can_cast(result.dtype, data.dtype, "same_kind"):
            raise RuntimeError(
                f"{op}: result type {_torch_dtype(result.dtype)} can't be cast to the desired output type "
                f"{_torch_dtype(data.dtype)} (this tensor is {data.dtype}; call it on a float tensor, or "
                f"write t = t.{name}(...))"
            )

    method.__name__ = method.__qualname__ = op
    method.__doc__ = (
        f"``{name}`` in place: ``self.{name}(...)``'s numbers written into self (torch's ``{op}``; see "
        "``autograd/in_place_math.py`` for when it is allowed); returns self."
    )
    return method


def _reshaped(name: str) -> Any:
    op = name + "_"

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if self.requires_grad or self._prev:
            leaf = "a leaf Variable that requires grad is being used in an in-place operation. "
            raise RuntimeError(
                f"{op}: {'' if self._prev else leaf}Here a tensor in a graph keeps its shape: write "
                f"t = t.{name}(...) instead"
            )
        self.data = getattr(self, name)(*args, **kwargs).data  # (a view of the same memory)
        _versions.bump(self.data)  # (counted, as torch's)
        return self

    method.__name__ = method.__qualname__ = op
    method.__doc__ = (
        f"``{name}`` in place: self takes ``self.{name}(...)``'s shape (a view of the same memory; "
        f"torch's ``{op}``: a tensor in no graph, see ``autograd/in_place_math.py``); returns self."
    )
    return method


def fill_diagonal_(self: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:
    """Write ``fill_value`` on the main diagonal, in place (torch's ``fill_diagonal_``): of a matrix,
    or of a tensor whose dimensions are all the same length; ``wrap`` continues a tall matrix's
    diagonal N+1 rows further down. Returns self.

    Raises
    ------
    RuntimeError
        ``self`` has fewer than 2 dimensions, or more than 2 of different lengths.
    """
    shape = self.data.shape
    if len(shape) < 2 or (len(shape) > 2 and len(set(shape)) != 1):
        raise RuntimeError(
            "fill_diagonal_: dimensions must larger than 1 and all dimensions of input must be of equal "
            f"length (got shape {list(shape)})"
        )
    value = np.asarray(fill_value.data if isinstance(fill_value, TorchMethods) else fill_value)
    wrap = bool(wrap) and len(shape) == 2
    data = self._written("fill_diagonal_")  # (torch's fill_value is a number: no gradient)
    if data is None:  # (recorded in the graph, as torch's CopySlices: no gradient to the diagonal)
        self._rewritten("fill_diagonal_", lambda: _diagonal_filled(self, value, wrap))
    else:
        np.fill_diagonal(data, value, wrap=wrap)
    if wrap and shape[0] > shape[1] + 1:  # (torch fills the wrapped part first, a write of its own)
        _versions.bump(self.data)
    return self


def _diagonal_filled(x: Tensor, value: np.ndarray, wrap: bool) -> Tensor:
    """``x`` with ``value`` on its diagonal, out of place (the positions ``np.fill_diagonal`` writes)."""
    on = np.zeros(x.data.shape, bool)
    np.fill_diagonal(on, True, wrap=wrap)
    positions = np.flatnonzero(on)
    values = Tensor._node(np.full(positions.shape, value, x.data.dtype))
    return Tensor._apply(ops.COPY_SLICES, x, values, positions=positions)


tensor_methods(
    **{name + "_": _in_place(name) for name in IN_PLACE if name + "_" not in vars(Tensor)},
    **{name + "_": _reshaped(name) for name in RESHAPED},
    fill_diagonal_=fill_diagonal_,
)

#: torch's top-level in-place functions: ``autograd.exp_(t)`` is ``t.exp_()``
TOP_LEVEL = tuple(
    """abs_ acos_ acosh_ addmv_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ atanh_
    ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ erf_ erfc_ exp2_ exp_ expm1_ fill_ fix_
    floor_ frac_ i0_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ neg_ negative_ rad2deg_ reciprocal_ round_
    rsqrt_ sin_ sinc_ sinh_ sqrt_ square_ tan_ trunc_ xlogy_ zero_""".split()
)


def _function(name: str) -> Any:
    def function(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        if not isinstance(input, Tensor):
            raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
        return getattr(input, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__module__ = __name__
    function.__doc__ = (
        f"``input.{name}(*args, **kwargs)``: in place (torch's ``torch.{name}``); returns input.\n\n"
        f"Parameters\n----------\ninput : Tensor\n    Written in place.\n*args, **kwargs\n"
        f"    The arguments of ``Tensor.{name}``.\n"
    )
    return function


__all__ = list(TOP_LEVEL)
for _name in TOP_LEVEL:
    globals()[_name] = _function(_name)
