"""``torch.autograd.forward_ad``: forward-mode AD with dual tensors.

Inside ``with dual_level():``, ``make_dual(x, t)`` is ``x`` carrying the tangent ``t``; every
operation on it gives its result the tangent ``J t`` (the directional derivative along ``t``), and
``unpack_dual(y)`` returns ``(primal, tangent)``::

    with forward_ad.dual_level():
        y = f(forward_ad.make_dual(x, t))
        jvp = forward_ad.unpack_dual(y).tangent

How the tangents are computed: the engine has one table of rules, the VJPs of
:mod:`autograd.ops`, and no forward rules. Each operation's tangent is computed when the
operation runs (as torch's, so any intermediate result has its tangent) by the double-VJP trick on
that one operation: with ``u`` a node of the output's shape, the rule gives ``Jᵢᵀu`` for each input
``i``, a graph linear in ``u``, and the gradient of ``Σᵢ ⟨Jᵢᵀu, tᵢ⟩`` with respect to ``u`` is
``Σᵢ Jᵢ tᵢ``. So every differentiable operation the engine has propagates tangents, through the
same rule the backward pass runs (as :func:`autograd.func.jvp` does over a whole function's graph;
per operation here, since a dual tensor need not record a graph). Inputs without a tangent count as
zero. When an input or a tangent requires grad, the tangent is a graph node (reverse over forward).

A custom :class:`~autograd.autograd.Function` gives its outputs' tangents with its ``jvp``
static method (``ctx.save_for_forward`` keeps what it reads), as in torch; one without ``jvp``
applied to a dual tensor raises torch's NotImplementedError.

Differences from torch: one level only (torch's "nested forward mode AD is not supported");
the level belongs to the thread or asyncio task that entered it; in-place operations on a dual
tensor (or with one as operand) are refused, since they would leave a stale tangent; Tensors only
(not Values). Each operation under a level costs about three operations more.
"""

from __future__ import annotations

import weakref
from contextlib import ContextDecorator
from typing import Any, NamedTuple

import numpy as np

from .. import _tensor, ops, torch_methods
from .. import grad_mode as mode
from .._tensor import TENSORS, Tensor
from ..gradients import backprop
from ..ops import Primitive, unbroadcast

__all__ = [
    "UnpackedDualTensor",
    "enter_dual_level",
    "exit_dual_level",
    "make_dual",
    "unpack_dual",
    "dual_level",
]

#: id(tensor) -> (a weak reference to it, its tangent): the open level's tangents
_TANGENTS: dict[int, tuple[weakref.ref, Tensor]] = {}
#: the open level (0), or none
_LEVELS: list[int] = []


class UnpackedDualTensor(NamedTuple):
    """What :func:`unpack_dual` returns: ``primal`` (the numbers, without tangent) and ``tangent``
    (None for a tensor that has none)."""

    primal: Tensor
    tangent: Tensor | None


def enter_dual_level() -> int:
    """Open the dual level in which :func:`make_dual` works (``torch.autograd.forward_ad.enter_dual_level``).

    Returns
    -------
    int
        The level, 0.

    Raises
    ------
    RuntimeError
        If a level is already open (torch's "Nested forward mode AD is not supported").
    """
    if _LEVELS:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _LEVELS.append(0)
    mode._state.set(mode.state() | mode.FORWARD_AD)
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the dual level, dropping every tangent made in it
    (``torch.autograd.forward_ad.exit_dual_level``).

    Parameters
    ----------
    level : int, optional
        The level to close (0, the only one).

    Raises
    ------
    RuntimeError
        If no level is open, or ``level`` is not the open one.
    """
    if not _LEVELS:
        raise RuntimeError(
            "exit_dual_level: no dual level is open (torch: Dual level must be a positive number.)"
        )
    if level is not None and level != _LEVELS[-1]:
        raise RuntimeError(f"exit_dual_level: level {level!r} is not the open level {_LEVELS[-1]}")
    _LEVELS.pop()
    _TANGENTS.clear()
    mode._state.set(mode.state() & ~mode.FORWARD_AD)


class dual_level(ContextDecorator):  # noqa: N801 (torch's name)
    """Context manager (and decorator) for a forward-AD level (``torch.autograd.forward_ad.dual_level``):
    tangents live from entering to leaving it.

    Examples
    --------
    >>> import autograd as torch
    >>> import autograd.autograd.forward_ad as fwAD
    >>> with fwAD.dual_level():
    ...     y = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0])) ** 2
    ...     fwAD.unpack_dual(y).tangent
    Tensor([2., 0.], dtype=float64)
    """

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: object) -> None:
        exit_dual_level()


def _torch_dtype(dtype: np.dtype) -> str:
    return f"torch.{dtype.name}"


def _checked_level(level: Any, what: str) -> None:
    if level is not None and (not _LEVELS or level != _LEVELS[-1]):
        raise RuntimeError(f"Invalid level given to {what}: {level!r} (the open level is {_LEVELS or None})")


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """``tensor``'s numbers carrying the tangent ``tangent`` (``torch.autograd.forward_ad.make_dual``).

    Parameters
    ----------
    tensor : Tensor
        The primal, a float Tensor without tangent.
    tangent : Tensor
        The direction, a float Tensor of ``tensor``'s shape (kept as it is: ``unpack_dual`` returns it).
    level : int, optional
        The open level (0).

    Returns
    -------
    Tensor
        A new Tensor on ``tensor``'s memory (a graph node after ``tensor`` if that requires grad).

    Raises
    ------
    RuntimeError
        Outside a dual level, for a shape differing from the primal's, or for a tensor that
        already has a tangent (torch's messages).
    TypeError
        If ``tensor`` or ``tangent`` is not a Tensor.
    ValueError
        If either is not of a floating dtype (torch's message).
    """
    for name, x in (("tensor", tensor), ("tangent", tangent)):
        if not isinstance(x, Tensor):
            raise TypeError(f"make_dual: {name} must be a Tensor, got {type(x).__name__}")
    if not _LEVELS:
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    _checked_level(level, "_make_dual")
    for name, x in (("primal", tensor), ("tangent", tangent)):
        if x.data.dtype.kind != "f":
            raise ValueError(
                f"Expected {name} to be floating point or complex, but got: {_torch_dtype(x.data.dtype)}"
            )
    if tangent.shape != tensor.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the original Tensor, "
            f"this is not supported. Tensor is of size {list(tensor.shape)} while the given forward "
            f"gradient is of size {list(tangent.shape)}."
        )
    if tangent_of(tensor) is not None:
        raise RuntimeError(
            "Making a dual Tensor based on a Tensor that already has a forward gradient at the same "
            f"level {_LEVELS[-1]} is not supported."
        )
    dual = _alias(tensor)
    _set(dual, tangent)
    return dual


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)`` of ``tensor`` (``torch.autograd.forward_ad.unpack_dual``).

    Parameters
    ----------
    tensor : Tensor
        Any Tensor.
    level : int, optional
        The open level (0).

    Returns
    -------
    UnpackedDualTensor
        ``primal``, a Tensor on ``tensor``'s memory without tangent (``tensor`` itself if it has
        none), and ``tangent`` (None outside a level or for a tensor without tangent).

    Raises
    ------
    TypeError
        If ``tensor`` is not a Tensor (torch's message).
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"_unpack_dual(): argument 'dual' (position 1) must be Tensor, not {type(tensor).__name__}"
        )
    if not _LEVELS or not mode.state() & mode.FORWARD_AD:  # (inside a custom forward: none, as torch)
        return UnpackedDualTensor(tensor, None)
    _checked_level(level, "_unpack_dual")
    tangent = tangent_of(tensor)
    return UnpackedDualTensor(tensor if tangent is None else _alias(tensor), tangent)


def tangent_of(t: Any) -> Tensor | None:
    """The tangent of ``t`` in the open level, or None."""
    found = _TANGENTS.get(id(t))
    return None if found is None or found[0]() is not t else found[1]


def _set(t: Tensor, tangent: Tensor) -> None:
    key = id(t)

    def gone(ref: weakref.ref, key: int = key) -> None:
        found = _TANGENTS.get(key)
        if found is not None and found[0] is ref:
            del _TANGENTS[key]

    _TANGENTS[key] = (weakref.ref(t, gone), tangent)


class paused:  # noqa: N801
    """Forward AD off inside the block (a rule's own operations get no tangents)."""

    def __enter__(self) -> None:
        self._token = mode._state.set(mode.state() & ~mode.FORWARD_AD)

    def __exit__(self, *exc: object) -> None:
        mode._state.reset(self._token)


def _alias(t: Tensor) -> Tensor:
    """A new Tensor on ``t``'s memory: a graph node after ``t`` when ``t`` requires grad."""
    with paused():
        if t.requires_grad and mode.is_grad_enabled():
            return Tensor._apply(ops.RESHAPE, t, shape=t.shape)
        return Tensor._node(t.data)


def _forward_rule(out: Tensor, prim: Primitive, inputs: tuple[Tensor, ...], params: dict) -> None:
    """Give ``out`` (``prim`` on ``inputs``) its tangent Σᵢ Jᵢ tᵢ (:func:`jvp_of`)."""
    if not _TANGENTS or out.data.dtype.kind != "f":
        return
    tangents = [tangent_of(x) for x in inputs]
    if all(t is None for t in tangents):
        return
    _set(out, jvp_of(out, prim, inputs, params, tangents))


def jvp_of(
    out: Tensor, prim: Primitive, inputs: tuple[Tensor, ...], params: dict, tangents: list[Tensor | None]
) -> Tensor:
    """``Σᵢ Jᵢ tᵢ`` for ``out = prim(*inputs)``: the gradient in ``u`` of ``Σᵢ ⟨Jᵢᵀu, tᵢ⟩``, each
    ``Jᵢᵀu`` given by ``prim``'s VJP rule for input ``i`` run on the Tensor ``u`` (a graph in ``u``)."""
    create = mode.is_grad_enabled() and any(
        x.requires_grad or (t is not None and t.requires_grad) for x, t in zip(inputs, tangents)
    )
    with paused(), mode.enable_grad():
        u = Tensor(np.ones(out.shape, out.data.dtype), requires_grad=True)
        total = None
        for i, (x, t) in enumerate(zip(inputs, tangents)):
            if t is None:
                continue
            gx = prim.vjps[i](TENSORS, u, out, *inputs, **params)
            if not isinstance(gx, Tensor) or not gx.requires_grad:  # (no gradient flows there: J = 0)
                continue
            gx = unbroadcast(gx, x.shape, TENSORS)
            part = (gx * (t if create else t.data)).sum()
            total = part if total is None else total + part
        if total is None:
            return Tensor._node(np.zeros(out.shape, out.data.dtype))
        (found,) = backprop([total], [u], [None], create)
    if isinstance(found, Tensor):
        return found
    return Tensor._node(np.asarray(found, out.data.dtype))


def refuse_in_place(t: Tensor, op: str, operands: tuple) -> None:
    """Refuse ``op`` writing in place into ``t`` when ``t`` or an operand has a tangent.

    Raises
    ------
    NotImplementedError
        Here the write changes the numbers only, so the tangent would be left stale.
    """
    if has_tangents((t, *operands)):
        raise NotImplementedError(
            f"{op}: in-place operations on dual tensors (or with one as operand) are not supported by "
            f"forward AD here (the tangent would be left stale); write y = f(y) instead"
        )


def has_tangents(args: tuple) -> bool:
    """Whether a Tensor among ``args`` has a tangent (a custom Function's inputs)."""
    return bool(_TANGENTS) and any(isinstance(a, Tensor) and tangent_of(a) is not None for a in args)


def function_tangents(cls: type, ctx: Any, args: tuple, output: Any) -> None:
    """Give the outputs of the custom Function ``cls`` their tangents from ``cls.jvp(ctx, *tangents)``:
    one tangent per argument (zeros for a float Tensor without one, None for anything else), one
    returned per output of ``forward``."""
    tangents = []
    for a in args:
        t = tangent_of(a) if isinstance(a, Tensor) else None
        if t is None and isinstance(a, Tensor) and a.data.dtype.kind == "f":
            t = Tensor._node(np.zeros_like(a.data))
        tangents.append(t)
    outputs = output if isinstance(output, tuple) else (output,)
    ctx._in_jvp = True
    try:
        with paused():
            found = cls.jvp(ctx, *tangents)
    finally:
        ctx._in_jvp = False
    found = found if isinstance(found, tuple) else (found,)
    if len(found) != len(outputs):
        raise RuntimeError(
            f"Function's jvp returned an invalid number of forward gradients (expected {len(outputs)} but "
            f"got {len(found)})"
        )
    for k, (o, t) in enumerate(zip(outputs, found)):
        if not isinstance(o, Tensor) or o.data.dtype.kind != "f" or id(o) in ctx._non_differentiable:
            continue
        if not isinstance(t, Tensor) or t.data.dtype.kind != "f":
            raise RuntimeError(
                f"{cls.__name__}.jvp: the tangent of output {k} must be a float Tensor (forward gave a "
                f"float Tensor there), got {type(t).__name__}"
            )
        if t.shape != o.shape:
            raise RuntimeError(
                "Trying to set a forward gradient that has a different size than that of the original "
                f"Tensor, this is not supported. Tensor is of size {list(o.shape)} while the given forward "
                f"gradient is of size {list(t.shape)}."
            )
        _set(o, t)


_tensor.forward_rule = _forward_rule
torch_methods.refuse_dual_in_place = refuse_in_place
