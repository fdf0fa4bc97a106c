"""Saved-tensor hooks (``torch.autograd.graph.saved_tensors_hooks``) on the engine's nodes.

Inside a hooks block (the mode flag ``SAVED_HOOKS``, which the forward tests with the other rare
flags: one test a recorded node), each node recorded calls the innermost block's pack hook once per
tensor torch saves for its backward, in torch's order (:data:`autograd._saved.PACKS`): an input is
the tensor itself, the output is the output itself, as torch passes them. What the hook returns is
kept in :data:`PACKED`, by the node's id, while the node lives (the node does not hold it: no slot
more on every tensor). A pack hook runs with the hooks off (what it computes packs nothing), as torch's.

A backward pass reaching a packed node (one test of :data:`PACKED` a pass) takes the general pass
(``vjp_pass``), which calls the unpack hook once per saved tensor of each packed node it runs, in
the same order, and gives the node's rule the unpacked values in place of the inputs and output
the forward saw: a hook returning another tensor changes the gradient as torch's. Under
``create_graph`` an unpacked value is a node whose gradient goes to the saved tensor
(:data:`UNPACKED`), as torch's unpacked variable keeps the saved one's ``grad_fn``. Every pass
unpacks again; ``grad_fn._saved_self`` and the like call the unpack hook at each access and give
a new Tensor over its numbers (with the saved tensor's graph), as torch's.

An op whose backward :data:`~autograd._saved.PACKS` does not name packs each of its inputs, in order,
then its output (the engine's rule may read any of them; torch may save fewer). A 0-d input that
needs no gradient is taken for a number operand (``x * 2``, ``mean``'s ``1/n`` here), which torch
keeps as a number and does not pack (so ``x * torch.tensor(2.0)`` packs one tensor fewer than torch's).

Differences: graphs here are never freed, so a second backward through packed nodes unpacks again
where torch raises without ``retain_graph=True``, and what a pack hook returned is freed with its
node, not after the backward; a packed value holding its own node keeps it alive. A custom
``autograd.Function``'s ``save_for_backward`` packs nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import numpy as np

from . import _rebase, _saved, _versions
from . import grad_mode as mode
from .graph import CompileError, is_tracing
from .ops.selection import UNPACKED

#: The Tensor class, set by autograd/_tensor.py (which imports this module)
Tensor: Any = None

#: The active blocks' (pack_hook, unpack_hook) pairs, innermost last, per thread and asyncio task
STACK: ContextVar[tuple[tuple[Callable[..., Any], Callable[..., Any]], ...]] = ContextVar(
    "saved_tensors_hooks", default=()
)
#: The tensor an in-place operation is computing the new value of, else None: a pack hook gets a copy
#: of it (torch saves a clone of the original), as the write changes its memory after the pack
WRITING: Any = None
#: ``disable_saved_tensors_hooks``' message while one is active, else None
DISABLED: ContextVar[str | None] = ContextVar("saved_tensors_hooks_disabled", default=None)


class Saved:
    """One packed tensor of a node: its attribute (``_saved_self``), what it is (input ``where`` or
    the output, :data:`~autograd._saved.RESULT`), what the pack hook returned, the unpack hook, and
    the saved tensor's shape."""

    __slots__ = ("attr", "where", "packed", "unpack", "shape")

    def __init__(self, attr: str, where: int, packed: Any, unpack: Callable[..., Any], shape: tuple) -> None:
        self.attr, self.where, self.packed, self.unpack, self.shape = attr, where, packed, unpack, shape

    def unpacked(self, name: str) -> np.ndarray:
        """The unpack hook's tensor's numbers (``name``: the node's backward, for messages).

        Raises
        ------
        TypeError
            The hook returned no Tensor (torch's message).
        RuntimeError
            Its shape does not broadcast to the saved tensor's (the backward's rule cannot use it).
        """
        out = self.unpack(self.packed)
        if not isinstance(out, Tensor):
            raise TypeError(
                "Output of saved tensor unpack_hook expected to be a Tensor but got result of type "
                f"{type(out).__name__} (unpack_hook of {name}'s {self.attr})"
            )
        data = out.data
        if data.shape != self.shape and not _fits(data.shape, self.shape):
            raise RuntimeError(
                f"unpack_hook returned a tensor of shape {list(data.shape)} for {name}'s {self.attr} of "
                f"shape {list(self.shape)}: the backward cannot use it (return a tensor of the saved "
                "tensor's shape)"
            )
        return data


def _fits(shape: tuple, saved: tuple) -> bool:
    """Whether an unpacked tensor of ``shape`` broadcasts to the saved tensor's shape (torch's rule
    computes with it then)."""
    try:
        return np.broadcast_shapes(shape, saved) == saved
    except ValueError:
        return False


class _Entry:
    """A packed node's saved tensors (a weak reference to the node: the entry leaves :data:`PACKED`
    when the node is freed)."""

    __slots__ = ("ref", "name", "saved")

    def __init__(self, node: Any, name: str) -> None:
        key = id(node)
        self.ref = weakref.ref(node, lambda _: PACKED.pop(key, None))
        self.name, self.saved = name, []

    def find(self, attr: str) -> Saved | None:
        return next((s for s in self.saved if s.attr == attr), None)


#: id(node) -> its packed tensors; not empty once some living node was packed (one truth test a pass)
PACKED: dict[int, _Entry] = {}


def entry_of(node: Any) -> _Entry | None:
    """The node's packed tensors, or None."""
    entry = PACKED.get(id(node))
    return entry if entry is not None and entry.ref() is node else None


def reaches(topo: list[Any]) -> bool:
    """Whether a pass over ``topo`` (computed nodes) runs a packed node."""
    return not PACKED.keys().isdisjoint(map(id, topo))


def _tensors(node: Any, name: str) -> list[tuple[str, int, Any]]:
    """The tensors torch saves for ``node``'s backward ``name``, in its order: (attribute, input i or
    RESULT, the tensor); for a backward not in PACKS, each input, then the output."""
    order = _saved.PACKS.get(name)
    if order is None:
        order = (*((f"input {i}", i) for i in range(len(node._prev))), ("result", _saved.RESULT))
    getters = _saved.SAVED.get(name, {})
    found = []
    for attr, where in order:
        if where == _saved.RESULT:
            found.append((attr, where, node))
            continue
        getter = getters.get(attr)
        t = getter(node) if getter is not None else _saved._input(node, where)
        if t is not None and not _number(t):
            found.append((attr, where, _saved.over(t, t.data.copy()) if t is WRITING else t))
    return found


def _number(t: Any) -> bool:
    """Whether ``t`` is taken for a number operand (``x * 2``, ``mean``'s 1/n): a 0-d leaf that needs
    no gradient. torch keeps a Python number as a number, which no hook packs."""
    return not t._prev and not t.requires_grad and not t.data.ndim


def moved(old: Any, new: Any) -> None:
    """``new`` took the node ``old`` was made with (an in-place write, autograd/_rebase.py): the
    tensors packed for it go with it."""
    entry = entry_of(old) if PACKED else None
    if entry is not None:
        del PACKED[id(old)]
        key = id(new)
        entry.ref = weakref.ref(new, lambda _: PACKED.pop(key, None))
        PACKED[key] = entry


_rebase.packed_moved = moved


def push(pack_hook: Any, unpack_hook: Any) -> tuple[Any, Any]:
    """Enter a hooks block: the pair becomes the innermost; returns the tokens :func:`pop` takes.

    Raises
    ------
    RuntimeError
        Inside ``disable_saved_tensors_hooks`` (its message).
    TypeError
        A hook that is not callable.
    """
    message = DISABLED.get()
    if message is not None:
        raise RuntimeError(message)
    _check_callable("saved_tensors_hooks", pack_hook, unpack_hook)
    stack_token = STACK.set((*STACK.get(), (pack_hook, unpack_hook)))
    return stack_token, mode._state.set(mode.state() | mode.SAVED_HOOKS)


def _check_callable(where: str, pack_hook: Any, unpack_hook: Any) -> None:
    """Raise a TypeError naming a hook that is not callable."""
    for what, fn in (("pack_hook", pack_hook), ("unpack_hook", unpack_hook)):
        if not callable(fn):
            raise TypeError(f"{where}: {what} must be callable, got {type(fn).__name__} {fn!r}")


def disable(message: str) -> Any:
    """Enter a ``disable_saved_tensors_hooks(message)`` block; returns the token to leave it by.

    Raises:
        RuntimeError: a hooks block is active (``message``, as torch's).
    """
    if STACK.get():
        raise RuntimeError(message)
    return DISABLED.set(message)


def pop(tokens: tuple[Any, Any]) -> None:
    """Leave the hooks block :func:`push` entered."""
    stack_token, mode_token = tokens
    mode._state.reset(mode_token)
    STACK.reset(stack_token)


def _call_pack(pack_hook: Callable[..., Any], t: Any) -> Any:
    """``pack_hook(t)`` with the hooks off (what it computes packs nothing, as torch's)."""
    token = mode._state.set(mode.state() & ~mode.SAVED_HOOKS)
    try:
        return pack_hook(t)
    finally:
        mode._state.reset(token)


def pack(node: Any, name: str) -> None:
    """The recorded ``node`` (torch's backward ``name``) inside a hooks block: its saved tensors
    through the innermost pack hook, kept in :data:`PACKED`.

    Raises
    ------
    CompileError
        While a step is traced for ``autograd.compile`` (a compiled step would skip the hooks).
    """
    stack = STACK.get()
    tensors = _tensors(node, name)
    if not stack or not tensors:  # (nothing saved; or the flag without a block: a context copied oddly)
        return
    if is_tracing():
        raise CompileError(
            "compile: an operation was recorded inside saved_tensors_hooks while a step was traced; a "
            "compiled step runs no saved-tensor hooks. Call the step uncompiled there"
        )
    pack_hook, unpack_hook = stack[-1]
    entry = _Entry(node, name)
    for attr, where, t in tensors:
        entry.saved.append(Saved(attr, where, _call_pack(pack_hook, t), unpack_hook, t.data.shape))
    PACKED[id(node)] = entry


def unpacked(node: Any, out: Any, inputs: Any, create_graph: bool) -> tuple[Any, Any]:
    """What ``node``'s rule reads (``out`` and ``inputs``: arrays, or the nodes under ``create_graph``)
    with each packed tensor's unpacked value in its place, unpacked in torch's order."""
    entry = entry_of(node)
    if entry is None:
        return out, inputs
    inputs = list(inputs)
    for s in entry.saved:
        data = s.unpacked(entry.name)
        i = s.where
        if create_graph:
            data = _unpacked_node(node if i == _saved.RESULT else node._prev[i], data)
        if i == _saved.RESULT:
            out = data
        else:
            inputs[i] = data
    return out, inputs


def _unpacked_node(x: Any, data: np.ndarray) -> Any:
    """``data`` as a node whose gradient goes to ``x`` unchanged (under create_graph)."""
    t = Tensor._node(data, x.requires_grad)
    if x.requires_grad:
        t._prev, t._args, t._op, t._params = (x,), (x.data,), UNPACKED, {"value": data}
        t._made = _versions.CLOCK.now
    return t


class SavedTensor:
    """torch's ``SavedTensor`` (``grad_fn._raw_saved_self``): ``register_hooks(pack_hook, unpack_hook)``
    packs that saved tensor now and unpacks it at each access and backward."""

    __slots__ = ("_node", "_name", "_attr", "_where")

    def __init__(self, node: Any, name: str, attr: str, where: int) -> None:
        self._node, self._name, self._attr, self._where = node, name, attr, where

    def register_hooks(self, pack_hook: Any, unpack_hook: Any) -> None:
        """Pack the saved tensor with ``pack_hook`` now; ``unpack_hook`` at each use.

        Raises
        ------
        TypeError
            A hook that is not callable.
        RuntimeError
            The tensor has hooks already, or is not saved (None) (torch's messages).
        """
        _check_callable("register_hooks", pack_hook, unpack_hook)
        node = self._node
        entry = entry_of(node)
        if entry is not None and entry.find(self._attr) is not None:
            raise RuntimeError(
                "Calling register_hooks on a saved tensor whose hooks have already been set. Hint: only "
                "one pair of hooks is allowed at a time."
            )
        t = node if self._where == _saved.RESULT else _saved.SAVED[self._name][self._attr](node)
        if t is None:
            raise RuntimeError("Calling register_hooks on a saved tensor with value None is forbidden")
        packed = _call_pack(pack_hook, t)
        if entry is None:
            entry = PACKED[id(node)] = _Entry(node, self._name)
        entry.saved.append(Saved(self._attr, self._where, packed, unpack_hook, t.data.shape))

    def __repr__(self) -> str:
        return "<SavedTensor object>"


def saved(name: str, node: Any, attr: str) -> Any:
    """``grad_fn.<attr>`` of ``node`` (torch's backward ``name``): a packed tensor unpacked (a new
    Tensor at each access, as torch's), ``_raw_saved_*`` as a :class:`SavedTensor`, else as
    :func:`autograd._saved.saved`."""
    if attr.startswith("_raw_saved_"):
        plain = "_saved_" + attr[len("_raw_saved_") :]
        where = dict(_saved.PACKS.get(name, ())).get(plain)
        if where is not None:
            return SavedTensor(node, name, plain, where)
    elif PACKED:
        entry = entry_of(node)
        found = None if entry is None else entry.find(attr)
        if found is not None:
            x = node if found.where == _saved.RESULT else _saved._input(node, found.where)
            return _saved.over(x, found.unpacked(name))
    return _saved.saved(name, node, attr)


__all__ = ["PACKED", "STACK", "DISABLED", "Saved", "SavedTensor", "pack", "unpacked", "push", "pop", "saved"]
