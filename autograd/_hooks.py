"""Hooks on tensors (``register_hook``, ``register_post_accumulate_grad_hook``), run by the backward pass
with torch's rules.

- ``t.register_hook(fn)``: ``fn(grad)`` runs once ``t``'s gradient of the pass is complete (every
  use of ``t`` has sent its part), before anything reads it; a Tensor it returns replaces the
  gradient (of the same shape and dtype) for everything after: the nodes ``t`` was computed from,
  ``t.grad`` where ``retain_grad()`` keeps it (that runs after every hook, as torch's), a leaf's
  accumulated ``.grad``, what ``autograd.grad`` returns for ``t``. Several run in registration
  order, each on the previous one's result. Under ``create_graph=True`` the gradient is a Tensor
  in the graph, and so may be what the hook returns.
- ``leaf.register_post_accumulate_grad_hook(fn)``: ``fn(leaf)`` once ``leaf.grad`` holds the pass's
  sum (``backward``, ``backward(inputs=...)``; not ``autograd.grad``, which writes no ``.grad``).
  Here these run when the pass is over, leaf after leaf; torch runs each as its leaf's gradient is
  accumulated, during the pass.

The hooks live on their tensor, as torch's: its ``_params`` becomes an :class:`_Anchor` holding
them (no slot of their own, which would cost every tensor). The registry, :data:`HOOKED`, finds
them by the tensor's identity with weak references only, and a handle refers to them weakly, so a
hook that refers to its own tensor (or to a model holding it) makes a cycle the collector frees
(torch frees a leaf's; it keeps a computed tensor whose hook refers to it, and a leaf whose
post-accumulate hook does: its C++ node holds the hook, a cycle its collector cannot see).
A backward pass looks at the registry only when some tensor has a hook (one truth test of
:data:`HOOKED` per pass); then eager ``backward()`` takes the general pass (``vjp_pass``) only if
its graph reaches a hooked tensor (:func:`reaches`, one set test over its edges), which plans,
once per pass, the few points where hooks run (:func:`plan`).
A copy (``copy.deepcopy``, pickling) of a hooked tensor has no hooks.

Compiled steps refuse hooks (:class:`~autograd.graph.CompileError`): registering one while tracing,
a traced graph that holds a tensor with one. A hook registered on a tensor some trace reached, and
each Module hook, advances the compiled steps' rebinding clock (:func:`moved`): the step traces
again (and refuses) rather than skip the hook.
"""

from __future__ import annotations

import itertools
import operator
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import _rebase
from ._handle import RemovableHandle
from .graph import CompileError, is_tracing, toposort

#: torch's names of the tensor types, in its error messages
_TORCH_TYPES = {"float64": "DoubleTensor", "float32": "FloatTensor"}


class _Hooks(dict):
    """One tensor's hooks of one kind, by handle id; the last one removed takes its tensor's entry
    out of :data:`HOOKED` (so a pass goes back to paying nothing)."""

    __slots__ = ("entry", "__weakref__")

    def __delitem__(self, key: int) -> None:
        super().__delitem__(key)
        if not self:
            self.entry.emptied()


class _Entry:
    """A hooked tensor's entry: a weak reference to it, its ``register_hook`` hooks (``pre``) and its
    post-accumulate-grad hooks (``post``). Only the tensor holds it (its :class:`_Anchor`); the
    registry, :data:`HOOKED`, and the handles refer to it weakly."""

    __slots__ = ("key", "ref", "pre", "post", "__weakref__")

    #: the registry (kept here too: an anchor freed at interpreter exit may find the module's globals gone)
    registry: dict[int, weakref.ref] = {}

    def __init__(self, tensor: Any) -> None:
        self.key = id(tensor)
        self.ref = weakref.ref(tensor, lambda _, entry=self: entry.dropped())
        self.pre, self.post = _Hooks(), _Hooks()
        self.pre.entry = self.post.entry = self

    def registered(self) -> bool:
        """Whether :data:`HOOKED` holds this entry for its tensor."""
        ref = self.registry.get(self.key)
        return ref is not None and ref() is self

    def emptied(self) -> None:
        """The last hook was removed: the tensor leaves :data:`HOOKED` (and a pass pays nothing again)
        and gets its own parameters back."""
        if not self.pre and not self.post:
            self.dropped()
            tensor = self.ref()
            params = None if tensor is None else tensor._params
            if type(params) is _Anchor and params.entry is self:
                tensor._params = params.was

    def dropped(self) -> None:
        if self.registered():
            del self.registry[self.key]

    def anchor(self, tensor: Any) -> None:
        """Hang this entry on ``tensor``: its ``_params`` becomes an :class:`_Anchor` of the same items."""
        params = tensor._params
        was = params.was if type(params) is _Anchor else params
        anchor = _Anchor(was)
        anchor.entry, anchor.was = self, was
        tensor._params = anchor


class _Anchor(dict):
    """A hooked tensor's ``_params``: its node's parameters (the same items, which the backward pass
    reads as before) and, as attributes, its hooks' :class:`_Entry` and the parameters it replaced.

    So the tensor holds its hooks, as torch's do: a hook that refers to its own tensor makes a cycle
    the collector frees, where a registry holding the hooks would keep both alive. (A slot of their
    own would cost every tensor: e27e1ac's cost 0.35% of a small network's step.) A copy or pickle
    gets a plain dict: a copied tensor has no hooks. Code that gives the tensor new ``_params`` (a
    node made anew in place) drops the anchor: freed, it hangs the entry on the tensor again
    (``__del__``) while the entry is registered and the tensor alive."""

    __slots__ = ("entry", "was")

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))

    def __del__(self) -> None:
        entry = self.entry
        tensor = entry.ref()
        if tensor is not None and entry.registered():
            params = tensor._params
            if type(params) is not type(self) or params.entry is not entry:
                entry.anchor(tensor)


#: id(tensor) -> a weak reference to the entry of a tensor with hooks (the tensor holds the entry)
HOOKED: dict[int, weakref.ref] = _Entry.registry


def _forget(key: int, ref: weakref.ref) -> None:
    """A freed entry leaves :data:`HOOKED` (if it is still the one there)."""
    if HOOKED.get(key) is ref:
        del HOOKED[key]


#: id(tensor) -> a weak reference to a tensor some compiled step's trace reached
REACHED: dict[int, weakref.ref] = {}


#: Set from the modules that build on this one (each imports this module, never the reverse): the
#: Tensor class (autograd/_tensor.py), and what to call when a hook a compiled step could skip is
#: registered (autograd/compiled/watch.py: advance its rebinding clock)
Tensor: Any = None
ON_MOVED: list[Callable[[], None]] = []


def moved() -> None:
    """A hook a compiled step could skip was registered: every compiled step's next call traces
    again (and refuses it), by the compiled steps' rebinding clock (one comparison a call, which
    the steps pay anyway)."""
    for call in ON_MOVED:
        call()


def reached(tensors: Any) -> None:
    """Note the tensors of a trace (its leaves and nodes): a hook registered on one later moves the epoch."""
    for t in tensors:
        key = id(t)
        if key not in REACHED:
            REACHED[key] = weakref.ref(t, lambda _, key=key: REACHED.pop(key, None))


def entry_of(tensor: Any) -> _Entry | None:
    """The tensor's hooks, or None."""
    ref = HOOKED.get(id(tensor))
    entry = None if ref is None else ref()
    return entry if entry is not None and entry.ref() is tensor else None


_PREV = operator.attrgetter("_prev")


def reaches(roots: Any, topo: list[Any]) -> bool:
    """Whether a pass from ``roots`` over ``topo`` (their computed nodes) meets a tensor with hooks:
    a root, or an input of a node (every computed node but a root is one, and every leaf). The
    hooked tensors (a set made for the test: the registry holds them weakly) against the graph's
    edges, by set tests in C on the tensors' own hash (their address: no ``id`` made): about 15,000
    instructions for the 2-16-16-1 step's graph (``map(id, ...)`` against :data:`HOOKED`'s keys:
    26,000). That step with one unrelated hooked tensor alive: 889,344 -> 908,427 (+2.1%; it was
    1,102,498 when any hook sent every pass to the general one)."""
    hooked = set()
    try:
        for ref in HOOKED.values():
            entry = ref()
            tensor = None if entry is None else entry.ref()
            if tensor is not None:
                hooked.add(tensor)
        edges = itertools.chain.from_iterable(map(_PREV, topo))
        return not hooked.isdisjoint(roots) or not hooked.isdisjoint(edges)
    except TypeError:  # (a Tensor subclass without a hash: the general pass, which is right)
        return True


def register(tensor: Any, fn: Any, post: bool, what: str) -> RemovableHandle:
    """Register ``fn`` on ``tensor`` (``post``: after accumulation); returns its handle.

    Raises
    ------
    TypeError
        ``fn`` is not callable.
    CompileError
        While a step is traced for ``autograd.compile``.
    """
    if not callable(fn):
        raise TypeError(f"{what}: hook must be callable, got {type(fn).__name__} {fn!r}")
    if is_tracing():
        raise CompileError(
            f"compile: {what}({name_of(fn)}) was called while a step was traced; a compiled step runs no "
            "hooks. Register it outside the compiled function and call the step uncompiled"
        )
    entry = entry_of(tensor)
    if entry is None:
        entry = _Entry(tensor)
        HOOKED[entry.key] = weakref.ref(entry, lambda ref, key=entry.key: _forget(key, ref))
        entry.anchor(tensor)
    hooks = entry.post if post else entry.pre
    handle = RemovableHandle(hooks)
    hooks[handle.id] = fn
    ref = REACHED.get(id(tensor))
    if ref is not None and ref() is tensor:
        moved()
    return handle


def rebased(tensor: Any, snap: Any) -> None:
    """``tensor`` was written in place (or detached: ``autograd/_rebase.py``) and ``snap`` holds its
    node as it was: the hooks registered so far go to ``snap``, as torch's stay with the version they
    were registered on (they get the gradient of the tensor before the write, after the hooks
    registered since)."""
    entry = entry_of(tensor)
    if entry is None:
        return
    entry.dropped()
    params = tensor._params
    if type(params) is _Anchor and params.entry is entry:
        tensor._params = params.was
    entry.key = id(snap)
    entry.ref = weakref.ref(snap, lambda _, entry=entry: entry.dropped())
    HOOKED[entry.key] = weakref.ref(entry, lambda ref, key=entry.key: _forget(key, ref))
    entry.anchor(snap)


def _moved(tensor: Any, snap: Any) -> None:
    if HOOKED:  # (its hooks stay with the version they were registered on, as torch's)
        rebased(tensor, snap)


_rebase.hooks_moved = _moved


def name_of(fn: Any) -> str:
    """A hook's name in messages (as torch: its ``__name__``)."""
    return getattr(fn, "__name__", type(fn).__name__)


def run(tensor: Any, entry: _Entry, g: Any, graph: bool) -> Any:
    """``g`` (an array, or a Tensor under ``create_graph``: ``graph``) through ``tensor``'s hooks, in
    registration order; returns the gradient in the same form.

    Raises
    ------
    TypeError
        A hook returned something other than None or a Tensor (torch's message).
    RuntimeError
        A hook returned a Tensor of another shape or dtype (torch's messages).
    """
    arg = g if isinstance(g, Tensor) else Tensor._node(g if type(g) is np.ndarray else np.asarray(g))
    shape, dtype = tensor.data.shape, tensor.data.dtype
    for fn in list(entry.pre.values()):
        out = fn(arg)
        if out is None:
            continue
        if not isinstance(out, Tensor):
            raise TypeError(
                f"expected Variable, but hook returned '{type(out).__name__}' (hook '{name_of(fn)}' must "
                "return None or a Tensor of the gradient's shape and dtype)"
            )
        if out.data.shape != shape:
            raise RuntimeError(
                f"hook '{name_of(fn)}' has changed the size of value (expected {list(shape)}, got "
                f"{list(out.data.shape)})"
            )
        if out.data.dtype != dtype:
            was, got = (_TORCH_TYPES.get(d.name, d.name) for d in (dtype, out.data.dtype))
            raise RuntimeError(
                f"hook '{name_of(fn)}' has changed the type of value (was torch.{was} got torch.{got})"
            )
        arg = out
    return arg if graph else arg.data


class Plan:
    """Where one backward pass runs hooks: at each node, in the pass's order (``reach``), first the
    hooks of the leaves whose gradient the previous node completed (its last use), then the node's own.

    Parameters
    ----------
    own : dict
        id(node) -> entry, for the computed nodes with hooks.
    due : dict
        Position in the pass (-1: before the first node) -> the hooked leaves it completes, with entries.
    graph : bool
        Whether the gradients are Tensors (``create_graph``).
    before : dict or None
        Where to keep each hooked computed node's gradient before its hooks, by id (or None).
    """

    __slots__ = ("own", "due", "graph", "before", "i")

    def __init__(
        self, own: dict[int, tuple[Any, _Entry]], due: dict[int, list], graph: bool, before: dict | None
    ) -> None:
        self.own, self.due, self.graph, self.before, self.i = own, due, graph, before, -1

    def reach(self, node: Any, grads: dict[int, Any]) -> None:
        """Run the hooks due before ``node`` (None: after the last node) on ``grads``, in place."""
        for x, entry in self.due.pop(self.i, ()):
            g = grads.get(id(x))
            if g is not None:
                grads[id(x)] = run(x, entry, g, self.graph)
        self.i += 1
        found = self.own.get(id(node))
        if found is not None:
            g = grads.get(id(node))
            if g is not None:
                if self.before is not None:
                    self.before[id(node)] = g
                grads[id(node)] = run(node, found[1], g, self.graph)


def plan(topo: list[Any], roots: Any, graph: bool, before: dict | None = None) -> Plan | None:
    """The hooks of a pass over ``topo`` (computed nodes, inputs first) from ``roots``, or None if it
    reaches none; ``before``: see :class:`Plan`.

    Raises:
        CompileError: it reaches one while a step is traced for ``autograd.compile``.
    """
    if not reaches(roots, topo):
        return None
    own: dict[int, tuple[Any, _Entry]] = {}
    last: dict[int, tuple[int, Any, _Entry]] = {}
    for i, node in enumerate(reversed(topo)):
        entry = entry_of(node)
        if entry is not None and entry.pre:
            own[id(node)] = (node, entry)
        for x in node._prev:
            if not x._prev and x.requires_grad:
                entry = entry_of(x)
                if entry is not None and entry.pre:
                    last[id(x)] = (i, x, entry)
    for root in roots:
        entry = entry_of(root) if not root._prev else None
        if entry is not None and entry.pre and id(root) not in last:
            last[id(root)] = (-1, root, entry)
    if not own and not last:
        return None
    if is_tracing():
        tensor, entry = next(iter(own.values())) if own else next(iter(last.values()))[1:]
        refuse(tensor, entry)
    due: dict[int, list] = {}
    for i, x, entry in last.values():
        due.setdefault(i, []).append((x, entry))
    return Plan(own, due, graph, before)


def captured(grads: dict[int, Any], before: dict[int, Any], inputs: Any) -> dict[int, Any]:
    """What ``autograd.grad`` returns for its ``inputs`` (a copy of ``grads`` where it differs): as
    torch captures it, a computed input's gradient before its hooks where the pass goes on through
    it to another input (torch runs those hooks as the node runs, after the capture), after them
    where it does not."""
    wanted = {id(x) for x in inputs}
    out = grads
    for x in inputs:
        if id(x) in before and any(id(n) in wanted for n in toposort(x) if n is not x):
            out = dict(out) if out is grads else out
            out[id(x)] = before[id(x)]
    return out


def refuse(tensor: Any, entry: _Entry) -> None:
    """Raise the CompileError for a hooked tensor a trace reached."""
    fn = next(iter((*entry.pre.values(), *entry.post.values())))
    kind = "hook" if entry.pre else "post-accumulate-grad hook"
    shape = tuple(tensor.data.shape)
    raise CompileError(
        f"compile: the traced step reaches a tensor of shape {shape}{_label(tensor)} with the {kind} "
        f"'{name_of(fn)}'; a compiled step runs no hooks. Remove it (handle.remove()) or call the step "
        "uncompiled"
    )


def _label(tensor: Any) -> str:
    return f" ({tensor.label!r})" if getattr(tensor, "label", None) else ""


def check_trace(tensors: Any) -> None:
    """Refuse a trace whose graph holds a hooked tensor (a leaf with hooks registered before it); note
    its tensors (:func:`reached`)."""
    tensors = list(tensors)
    if HOOKED:
        for t in tensors:
            entry = entry_of(t)
            if entry is not None:
                refuse(t, entry)
    reached(tensors)


def after_accumulate(leaves: Any) -> None:
    """Run the post-accumulate-grad hooks of ``leaves`` whose ``.grad`` a pass just updated.

    Raises
    ------
    RuntimeError
        A hook returned a Tensor (torch's message).
    TypeError
        A hook returned something else but None (torch's message).
    """
    for leaf in leaves:
        entry = entry_of(leaf)
        if entry is not None:
            for fn in list(entry.post.values()):
                out = fn(leaf)
                if isinstance(out, Tensor):
                    raise RuntimeError(
                        f"Tensor post accumulate grad hooks should return None. (hook '{name_of(fn)}' "
                        "returned a Tensor: change leaf.grad in place instead)"
                    )
                if out is not None:
                    raise TypeError(
                        f"expected Variable, but hook returned '{type(out).__name__}' (post-accumulate-grad "
                        f"hook '{name_of(fn)}' must return None)"
                    )
