"""The dtype an elementwise op computes in and gives, from its inputs' dtypes, as torch's.

The rule that combines the inputs is one function, :func:`autograd.dtypes.operands_type` (torch's
``result_type``: a higher category wins, bool < integer < float; within one, tensors with dimensions
outrank 0-d tensors, which outrank Python numbers). This module adds what depends on the op, by its
name in :data:`~autograd.ops.elementwise.TABLE`:

- an op of one input gives integers and bools as floats in the default dtype (``sin``, ``exp``,
  ``sigmoid``, ``angle``), except the ones in :data:`KEEP_INTEGERS` (``abs``, ``relu``, ``floor``);
  an op of two gives the inputs' dtype, except the ones in :data:`FLOAT_RESULTS` (``divide``,
  ``arctan2``), floats in the default dtype then;
- a bool result is computed in int64 and cast back (numpy has no ``sign`` of bools, and its bool
  ``power`` gives int8): torch's bool ops are the integer ones, nonzero is True;
- the ops torch refuses for bools or integers raise its error (:data:`REFUSED`).

Equal float inputs need none of this: the Tensor methods call :func:`dtypes_of` only for other inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import dtypes

BOOL, INT64 = np.dtype(np.bool_), np.dtype(np.int64)

#: one-input ops whose integer and bool inputs keep their dtype (torch's; the others give floats)
KEEP_INTEGERS = frozenset(
    "negative abs relu sign floor ceil rint trunc clip nan_to_num positive square conjugate".split()
)
#: two-input ops whose integer and bool inputs give floats in the default dtype
FLOAT_RESULTS = frozenset("divide arctan2 hypot logaddexp logaddexp2 copysign xlogy".split())

_BOOL_SUBTRACT = (
    "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert "
    "a mask, use the `~` or `logical_not()` operator instead."
)
_BOOL_SUBTRACT_BOTH = (
    "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
    "`logical_xor()` operator instead."
)
_BOOL_NEGATIVE = (
    "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a "
    "mask, use the `~` or `logical_not()` operator instead."
)

#: torch's kernel names in its "not implemented for 'Bool'" messages
_KERNELS = {"power": "pow", "floor_divide": "div_floor_cpu", "rint": "round_vml_cpu", "abs": "abs_cpu"}
_KERNELS.update({name: f"{name}_vml_cpu" for name in ("floor", "ceil", "trunc")})

#: op name -> (the result dtype kinds torch refuses, the exception, its message; ``{dtype}``: torch's
#: name of the result dtype) ("any b": refused when any input is bool, whatever the result)
REFUSED: dict[str, tuple[str, type[Exception], str]] = {
    "subtract": ("any b", RuntimeError, _BOOL_SUBTRACT),
    "negative": ("b", RuntimeError, _BOOL_NEGATIVE),
    "positive": ("b", RuntimeError, "The `+` operator, on a bool tensor is not supported."),
    "relu": ("b", RuntimeError, "Boolean inputs not supported for relu"),
    **{
        name: (
            "b",
            NotImplementedError,
            _KERNELS.get(name, f"{name}_cpu").join('""') + " not implemented for {dtype}",
        )
        for name in ("power", "remainder", "fmod", "floor_divide", "abs", "floor", "ceil", "rint", "trunc")
    },
    **{
        name: ("biu", NotImplementedError, f'"{name}_cpu" not implemented for {{dtype}}')
        for name in ("hypot", "logaddexp", "logaddexp2", "nextafter")
    },
}


#: the integer ops torch refuses to divide by zero (its RuntimeError "ZeroDivisionError"; numpy
#: gives 0): by the op's name, the position of the divisor among its inputs
DIVIDING = {"floor_divide": 1, "remainder": 1, "fmod": 1}


class ImplicitCast(dict):  # type: ignore[type-arg]
    """The parameters of an ``astype`` node the promotion inserted (torch casts inside the op's
    kernel: its ``grad_fn.next_functions`` skip such a node, as torch shows no ``ToCopyBackward0``
    there); a dict like any node's parameters, told apart by its type."""


def dtypes_of(name: str, inputs: Sequence[Any]) -> tuple[np.dtype, np.dtype]:
    """The dtype elementwise op ``name`` computes in and the dtype of its result, for ``inputs``
    (Tensors; a Python number already made a 0-d Tensor of its dtype beside the others).

    Parameters
    ----------
    name : str
        The op's name in the elementwise table (``"add"``, ``"sin"``).
    inputs : sequence of Tensor
        Its operands.

    Returns
    -------
    tuple of numpy.dtype
        (compute, result): the inputs are cast to ``compute`` and the result to ``result``.

    Raises
    ------
    RuntimeError, NotImplementedError
        torch's error where torch refuses the op for these dtypes (``REFUSED``), and torch's
        ``RuntimeError: ZeroDivisionError`` for an integer division by 0 (``DIVIDING``).
    """
    result = dtypes.operands_type(*inputs)
    refused = REFUSED.get(name)
    if refused is not None:
        kinds, error, message = refused
        bools = sum(x.data.dtype == BOOL for x in inputs)
        if kinds == "any b" and bools:
            raise error(_BOOL_SUBTRACT_BOTH if bools == len(inputs) else message)
        if result.kind in kinds:
            raise error(message.replace("{dtype}", repr(dtypes.torch_name(result))))
    if result.kind != "f" and (name in FLOAT_RESULTS if len(inputs) > 1 else name not in KEEP_INTEGERS):
        result = dtypes.get_default_dtype()
    if result.kind in "iu" and name in DIVIDING and not np.all(inputs[DIVIDING[name]].data):
        raise RuntimeError("ZeroDivisionError")
    return (INT64 if result == BOOL else result), result


def check_integer_exponent(base: np.dtype, exponent: Any) -> None:
    """torch's error for an integer or bool tensor (of dtype ``base``) to a negative integer number
    (a Python or numpy int; a tensor exponent is computed: ``arithmetic.integer_power``).

    Raises
    ------
    RuntimeError
        ``base`` is an integer or bool dtype and ``exponent`` a negative integer number.
    """
    if base.kind in "biu" and isinstance(exponent, (int, np.integer)) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")


def integer_operands(op: str, *inputs: Any) -> np.dtype:
    """The dtype torch computes the integer-only op ``op`` in (``gcd``, ``lcm``, the shifts: torch's
    promotion of ``inputs``, Tensors or Python numbers), or torch's error: a bool or float result
    is refused (``"gcd_cpu" not implemented for 'Bool'``), a bool beside an integer is promoted.

    Parameters
    ----------
    op : str
        torch's kernel name in the message (``"gcd_cpu"``, ``"lshift_cpu"``).
    *inputs : Tensor or int
        The operands.

    Raises
    ------
    NotImplementedError
        The promoted dtype is bool or a float (torch's message, naming it).
    """
    result = dtypes.operands_type(*inputs)
    if result.kind not in "iu":
        raise NotImplementedError(f'"{op}" not implemented for {dtypes.torch_name(result)!r}')
    return result
