"""Torch's version counter: which arrays were changed in place, and whether a backward pass reads one.

A backward pass reads the arrays the forward pass saw (a node's ``_args`` and its output). If one
of them is changed in place before the backward pass (``w.mul_(2)`` under ``no_grad``, an
optimizer's step, a write through a view), the gradient would silently use the new numbers; torch
refuses instead, and so does this engine:

- every in-place write of the library (the Tensor methods ``add_``, ``x[i] = v``, ...; an
  optimizer's step) calls :func:`bump` with the array it writes: the write is counted on the array
  that owns the memory (a view's base), so a tensor, its views and ``detach()`` share one count,
  as torch's do;
- every recorded node keeps the clock's value when it was made (``Tensor._made``); the backward
  pass looks closer only at a node made before the last write anywhere, one integer comparison
  per node otherwise;
- there, :func:`check` raises torch's RuntimeError if an array the node's rule reads for its
  numbers was written after the node was made. Which arrays a rule reads is found from the rule's
  code (:func:`reads`): ``x.shape`` alone is not a read, so ``w.sum()`` survives a change of ``w``
  as in torch (torch's node saves what its formula needs; the rules here read what they need).

Writes straight into ``t.data`` (an ndarray) are not counted, as torch does not count writes
through ``t.data``.
"""

from __future__ import annotations

import ast
import dis
import inspect
import weakref
from typing import Any

import numpy as np


class _Clock:
    """The number of in-place writes so far (``CLOCK.now``)."""

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0


CLOCK = _Clock()
#: id of an array that owns memory -> [weak reference to it, clock at its last write, its version];
#: the reference's callback removes the entry when the array goes, so an entry is always its array's
_WRITES: dict[int, list[Any]] = {}
#: rule attributes that read an array's metadata, not its numbers
_METADATA = frozenset({"shape", "ndim", "dtype", "size"})
#: (primitive, input) -> (positions the rule reads: -1 the output, j >= 0 input j; the first
#: position of its ``*inputs`` if it reads them, else None)
_READS: dict[tuple[Any, int], tuple[tuple[int, ...], int | None]] = {}


def _owner(array: np.ndarray) -> np.ndarray:
    """The array that owns ``array``'s memory (numpy keeps a view's ``base`` pointing at it)."""
    base = array.base
    while isinstance(base, np.ndarray):
        array, base = base, base.base
    return array


def _entry(array: np.ndarray) -> list[Any] | None:
    return _WRITES.get(id(_owner(array)))  # (an entry goes when its owner does: see bump_many)


def bump(array: Any) -> None:
    """Count a write into ``array``'s memory, made in place now."""
    if type(array) is np.ndarray:
        bump_many((array,))


def bump_many(arrays: Any) -> None:
    """Count a write into each of ``arrays`` (ndarrays), made in place now (an optimizer's step)."""
    CLOCK.now = now = CLOCK.now + 1
    writes = _WRITES
    for array in arrays:
        owner = array if array.base is None else _owner(array)
        key = id(owner)
        entry = writes.get(key)
        if entry is not None:  # (this owner's: a dead owner's entry went with it, so no other has its id)
            entry[1] = now
            entry[2] += 1
        else:
            writes[key] = [weakref.ref(owner, lambda _, key=key: writes.pop(key, None)), now, 1]


def version(array: np.ndarray) -> int:
    """How many in-place writes went into ``array``'s memory (torch's ``t._version``)."""
    entry = _entry(array)
    return 0 if entry is None else entry[2]


def written_after(array: Any, clock: int) -> bool:
    """Whether ``array``'s memory was written in place after the clock read ``clock``."""
    if type(array) is not np.ndarray:
        return False
    entry = _entry(array)
    return entry is not None and entry[1] > clock


def check(node: Any) -> None:
    """Raise torch's RuntimeError if an array ``node``'s backward rules will read (for the inputs
    that require grad) was changed in place after ``node`` was made."""
    op = node._op
    for i, x in enumerate(node._prev):
        if not x.requires_grad:
            continue
        positions = reads(op, i, len(node._prev))
        for j in positions:
            array = node.data if j < 0 else node._args[j]
            if written_after(array, node._made):
                what = "its output" if j < 0 else f"its input {j}"
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an "
                    f"inplace operation: {what}, an array of shape {tuple(np.shape(array))} and dtype "
                    f"{np.asarray(array).dtype} read by the rule of {op.name}, is at version "
                    f"{version(array)}, changed after the forward pass made this node. Change it after "
                    "backward(), or change a clone() of it"
                )


def reads(op: Any, i: int, n: int) -> tuple[int, ...]:
    """The positions whose numbers the VJP of input ``i`` of ``op`` (with ``n`` inputs) reads: -1 for
    the output, 0 ... n-1 for the inputs. Found once from the rule's code (a ``*inputs`` parameter
    that is read reads every input from its place on); all of them where the rule is no function."""
    key = (op, i)
    found = _READS.get(key)
    if found is None:
        found = _READS[key] = _read_positions(op, i)
    fixed, rest = found
    return (*(j for j in fixed if j < n), *(range(rest, n) if rest is not None else ()))


def _read_positions(op: Any, i: int) -> tuple[tuple[int, ...], int | None]:
    entry = getattr(op, "entry", None)
    vjp = entry.vjps[i] if entry is not None else op.vjps[i]
    saved = getattr(vjp, "saves", None)  # (a rule that names the positions torch's node saves)
    if saved is not None:
        return tuple(saved), None
    if getattr(vjp, "shapes_only", False):  # (a rule that says it reads only its inputs' shapes)
        return (), None
    code = getattr(vjp, "__code__", None)
    if code is None or code.co_argcount < 3:
        return (-1,), 0
    names = code.co_varnames[: code.co_argcount]
    read = _names_read(code)
    source = getattr(entry, "vjp_source", None)
    if source is not None:  # (a table rule: its ``where(..., out)`` takes the output's dtype only)
        read &= _names_read_in(source(i))
    fixed = tuple(j - 3 for j, name in enumerate(names) if j >= 2 and name in read)
    rest = None
    if code.co_flags & inspect.CO_VARARGS:
        star = code.co_varnames[code.co_argcount + code.co_kwonlyargcount]
        rest = code.co_argcount - 3 if star in read else None
    return fixed, rest


def _names_read_in(source: str) -> set[str]:
    """The names a table rule's VJP ``source`` reads, but for the last argument of ``ns.where``
    (``like``: the result takes its dtype, not its numbers)."""
    tree = ast.parse(source, mode="eval")
    like = {
        id(call.args[3])
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "where"
        and len(call.args) == 4
    }
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in like}


def _names_read(code: Any) -> set[str]:
    """The local names ``code`` reads for more than their metadata: a load not followed by an
    attribute in :data:`_METADATA`, or any capture by a nested function."""
    read = set(code.co_cellvars)
    instructions = list(dis.get_instructions(code))
    for k, ins in enumerate(instructions):
        if not ins.opname.startswith("LOAD_FAST") and ins.opname != "LOAD_DEREF":
            continue
        names = ins.argval if isinstance(ins.argval, tuple) else (ins.argval,)
        after = instructions[k + 1] if k + 1 < len(instructions) else None
        metadata = (
            len(names) == 1
            and after is not None
            and after.opname == "LOAD_ATTR"
            and str(after.argval).split()[-1] in _METADATA
        )
        if not metadata:
            read.update(names)
    return read
