"""torch's logical functions and ``isin``: bool Tensors computed from the numbers, no graph (torch
gives them no gradient either).

``logical_and``, ``logical_or``, ``logical_xor`` and ``logical_not`` read any number as a truth value
(nonzero, nan included, is true, as torch's), broadcasting two operands; ``isin`` tests each element
for membership in a set of numbers. Each is ``autograd.<name>`` and, as in torch, the Tensor method of
its name (``isin`` has none in torch). A Tensor, a ValueArray, a Value or plain data serve as operands.
``bitwise_and``, ``bitwise_or``, ``bitwise_xor`` and ``bitwise_not`` work on the bits of integers and
bools (``&``, ``|``, ``^``, ``~``), as torch's.
"""

from __future__ import annotations

from numbers import Number
from typing import Any

import numpy as np

from ._operands import tensor_methods
from ._tensor import Tensor, of_numbers
from .value import Value
from .value_array import ValueArray

__all__ = [
    "logical_and", "logical_or", "logical_xor", "logical_not", "isin",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not", "bitwise_left_shift", "bitwise_right_shift",
]  # fmt: skip


def _numbers(op: str, name: str, x: Any, bools: bool = True) -> np.ndarray:
    """The numbers of argument ``name`` of ``op``: a node's data, or plain data (bool, integer or float);
    anything else is refused by name."""
    data = x.data if isinstance(x, (Tensor, ValueArray, Value)) else x
    try:
        array = np.asarray(data)
    except (TypeError, ValueError):
        array = np.asarray(None)
    if array.dtype.kind not in ("biuf" if bools else "iuf"):
        what = "a bool, integer or float" if bools else "an integer or float"
        raise TypeError(
            f"{op}(): {name} must be {what} Tensor (or numbers), got {type(x).__name__} {x!r:.80}"
            + (f" of dtype {array.dtype}" if array.dtype.kind not in "OU" else "")
        )
    return array


def _broadcast(op: str, a: np.ndarray, b: np.ndarray, names: tuple[str, str]) -> None:
    """torch's error where the two shapes do not broadcast."""
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise RuntimeError(
            f"{op}(): the shapes of {names[0]} {tuple(a.shape)} and {names[1]} {tuple(b.shape)} do not "
            "broadcast (each dimension, from the last, must be equal or 1)"
        ) from None


def _binary(op: str, ufunc: np.ufunc, input: Any, other: Any) -> Tensor:
    a, b = _numbers(op, "input", input), _numbers(op, "other", other)
    _broadcast(op, a, b, ("input", "other"))
    return of_numbers(lambda x, y: ufunc(x != 0, y != 0), _own(input, a), _own(other, b))


def logical_and(input: Any, other: Any) -> Tensor:
    """Whether both ``input`` and ``other`` are true (nonzero; nan is true), elementwise with
    broadcasting: a bool Tensor, no graph (``torch.logical_and``).

    Parameters
    ----------
    input, other : Tensor or array_like
        Numbers or bools of shapes that broadcast together.

    Returns
    -------
    Tensor
        bool, of the broadcast shape.

    Raises
    ------
    TypeError
        If an operand is not numbers or bools.
    RuntimeError
        If the shapes do not broadcast (torch's error).
    """
    return _binary("logical_and", np.logical_and, input, other)


def logical_or(input: Any, other: Any) -> Tensor:
    """Whether ``input`` or ``other`` is true (nonzero; nan is true), elementwise with broadcasting:
    a bool Tensor, no graph (``torch.logical_or``; arguments and errors as :func:`logical_and`)."""
    return _binary("logical_or", np.logical_or, input, other)


def logical_xor(input: Any, other: Any) -> Tensor:
    """Whether exactly one of ``input`` and ``other`` is true (nonzero; nan is true), elementwise with
    broadcasting: a bool Tensor, no graph (``torch.logical_xor``; arguments and errors as
    :func:`logical_and`)."""
    return _binary("logical_xor", np.logical_xor, input, other)


def logical_not(input: Any) -> Tensor:
    """Whether each element is false (zero, either sign; nan is true): a bool Tensor, no graph
    (``torch.logical_not``).

    Parameters
    ----------
    input : Tensor or array_like
        Numbers or bools.

    Raises
    ------
    TypeError
        If ``input`` is not numbers or bools.
    """
    return of_numbers(lambda x: x == 0, _own(input, _numbers("logical_not", "input", input)))


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each of ``elements`` equals one of ``test_elements``: a bool Tensor of ``elements``'
    shape, no graph (``torch.isin``). Numbers compare by value across dtypes (2 is 2.0, -0.0 is 0.0);
    nan is in nothing.

    Parameters
    ----------
    elements : Tensor, array_like or float
        The elements to look up.
    test_elements : Tensor, array_like or float
        The numbers to look for (one of the two may be a plain number, not both).
    assume_unique : bool
        Each argument holds distinct numbers (a faster search; the result is undefined otherwise, as
        torch's). Default False.
    invert : bool
        Whether each element is *not* among ``test_elements`` (default False).

    Returns
    -------
    Tensor
        bool, of ``elements``' shape.

    Raises
    ------
    TypeError
        If both arguments are plain numbers (torch needs a tensor), or either is not numbers.
    RuntimeError
        If either is bool (torch's "Unsupported input type encountered for isin(): Bool").
    """
    if isinstance(elements, Number) and isinstance(test_elements, Number):
        raise TypeError(
            "isin(): expected elements or test_elements to be a Tensor (or array), got two numbers: "
            f"{elements!r} and {test_elements!r}"
        )
    for name, flag in (("assume_unique", assume_unique), ("invert", invert)):
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"isin(): {name} must be a bool, got {type(flag).__name__} {flag!r}")
    a = _numbers("isin", "elements", elements)
    b = _numbers("isin", "test_elements", test_elements)
    for name, x in (("elements", a), ("test_elements", b)):
        if x.dtype.kind == "b":
            raise RuntimeError(
                f"Unsupported input type encountered for isin(): Bool ({name} is a bool tensor; compare "
                "numbers, or use logical_and/logical_or on masks)"
            )
    unique, inverted = bool(assume_unique), bool(invert)

    def found(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.asarray(np.isin(x, y, assume_unique=unique, invert=inverted), dtype=np.bool_).reshape(
            x.shape
        )

    return of_numbers(found, _own(elements, a), _own(test_elements, b))


def _bits(op: str, name: str, x: Any) -> np.ndarray:
    """The numbers of an operand of a bitwise function: bool or integer (torch refuses floats)."""
    array = _numbers(op, name, x)
    if array.dtype.kind == "f":  # (torch's error class)
        raise NotImplementedError(
            f"{op}(): {name} must be a bool or integer Tensor (or numbers), got dtype {array.dtype}"
        )
    return array


def _bitwise(op: str, ufunc: np.ufunc, input: Any, other: Any) -> Tensor:
    a, b = _bits(op, "input", input), _bits(op, "other", other)
    _broadcast(op, a, b, ("input", "other"))
    return of_numbers(ufunc, _own(input, a), _own(other, b))


def bitwise_and(input: Any, other: Any) -> Tensor:
    """The bits of ``input`` and ``other`` ANDed (for bools: both true), elementwise with
    broadcasting: no graph (``torch.bitwise_and``, ``input & other``).

    Parameters
    ----------
    input, other : Tensor or array_like
        Integers or bools of shapes that broadcast together.

    Returns
    -------
    Tensor
        Of the operands' promoted dtype and the broadcast shape.

    Raises
    ------
    NotImplementedError
        If an operand is a float (torch's error class); a TypeError if it is not numbers.
    RuntimeError
        If the shapes do not broadcast (torch's error).
    """
    return _bitwise("bitwise_and", np.bitwise_and, input, other)


def bitwise_left_shift(input: Any, other: Any) -> Tensor:
    """``input`` shifted left by ``other`` bits (``torch.bitwise_left_shift``, ``input << other``):
    in torch's promoted integer dtype, a bool beside an integer promoted; no graph. Either may be a
    number.

    Parameters
    ----------
    input, other : Tensor, int or array_like
        Integers (bools beside an integer) of shapes that broadcast together.

    Raises
    ------
    NotImplementedError
        Bools alone or a float (torch's ``"lshift_cpu" not implemented for 'Bool'``).
    """
    return _shift("__lshift__", "__rlshift__", input, other)


def bitwise_right_shift(input: Any, other: Any) -> Tensor:
    """``input`` shifted right by ``other`` bits, keeping the sign (``torch.bitwise_right_shift``,
    ``input >> other``); as :func:`bitwise_left_shift`.

    Parameters
    ----------
    input, other : Tensor, int or array_like
        Integers (bools beside an integer) of shapes that broadcast together.
    """
    return _shift("__rshift__", "__rrshift__", input, other)


def _shift(method: str, reflected: str, input: Any, other: Any) -> Tensor:
    if isinstance(input, Tensor) or not isinstance(other, Tensor):
        x = input if isinstance(input, Tensor) else Tensor._node(np.asarray(input))
        return getattr(x, method)(other)  # type: ignore[no-any-return]
    return getattr(other, reflected)(input)  # type: ignore[no-any-return]


def bitwise_or(input: Any, other: Any) -> Tensor:
    """The bits of ``input`` and ``other`` ORed (``torch.bitwise_or``, ``input | other``); as
    :func:`bitwise_and`.

    Parameters
    ----------
    input, other : Tensor or array_like
        Integers or bools of shapes that broadcast together.
    """
    return _bitwise("bitwise_or", np.bitwise_or, input, other)


def bitwise_xor(input: Any, other: Any) -> Tensor:
    """The bits of ``input`` and ``other`` XORed (``torch.bitwise_xor``, ``input ^ other``); as
    :func:`bitwise_and`.

    Parameters
    ----------
    input, other : Tensor or array_like
        Integers or bools of shapes that broadcast together.
    """
    return _bitwise("bitwise_xor", np.bitwise_xor, input, other)


def bitwise_not(input: Any) -> Tensor:
    """Each bit of ``input`` flipped (for bools: not), elementwise: no graph (``torch.bitwise_not``,
    ``~input``).

    Parameters
    ----------
    input : Tensor or array_like
        Integers or bools.

    Returns
    -------
    Tensor
        Of ``input``'s dtype and shape.

    Raises
    ------
    NotImplementedError
        If ``input`` is a float (torch's error class); a TypeError if it is not numbers.
    """
    return of_numbers(np.invert, _own(input, _bits("bitwise_not", "input", input)))


def _own(x: Any, numbers: np.ndarray) -> Any:
    """A Tensor as it is (a compiled step reads it at every call), else its checked numbers."""
    return x if isinstance(x, Tensor) else numbers


def _method(function: Any, name: str) -> Any:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:  # (torch's keywords: other=)
        return function(self, *args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``autograd.{name}(self, ...)``: " + (function.__doc__ or "").split("\n\n")[0]
    return method


tensor_methods(
    logical_and=_method(logical_and, "logical_and"),
    logical_or=_method(logical_or, "logical_or"),
    logical_xor=_method(logical_xor, "logical_xor"),
    logical_not=_method(logical_not, "logical_not"),
    bitwise_and=_method(bitwise_and, "bitwise_and"),
    bitwise_or=_method(bitwise_or, "bitwise_or"),
    bitwise_xor=_method(bitwise_xor, "bitwise_xor"),
    bitwise_not=_method(bitwise_not, "bitwise_not"),
)
