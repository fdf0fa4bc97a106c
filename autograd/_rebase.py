"""In-place writes recorded in the graph, as torch records them (``x.add_(y)``, ``x[i] = v``,
``x[:, 0].mul_(2)`` on a tensor computed from others, or with an operand that requires grad).

A Tensor here is its own graph node, so an in-place write *rebases* it: the tensor object keeps its
memory and identity and takes the node of the operation (its history before the write moves to a
*snapshot*, a new node object that is the operation's input), as torch gives the tensor a new
``grad_fn`` whose input is the old one:

- :func:`write` computes the new numbers out of place from the snapshot (so the rule reads the
  numbers before the write, torch's ``original_self``), writes them into the tensor's memory
  (counted by the version counter: a rule that reads that memory from before the write refuses,
  as torch's saved tensors do) and rebases the tensor;
- a write into a view rebases the view's base as torch's ``CopySlices``: the base becomes
  :data:`~autograd.ops.COPY_SLICES` (its snapshot with the view's new numbers written where the view
  sits) and the view a view of that new base;
- a write of a value that requires grad into a view taken without grad (``buf[1:].copy_(w)``, where
  the view is no graph node) finds the tensor that owns the view's memory (:func:`viewed_base`) and
  rebases it as above (torch's CopySlices on the view's base);
- nodes made before the write hold the tensor object among their inputs, but used its old history:
  :func:`fix_up` (run by every graph walk while some rebased tensor lives, ``REBASED``) points each
  node made before a rebase at the snapshot of its time, and a view made before a write into its
  base, used after it, at a view of the new base (torch regenerates such a view's ``grad_fn``).

Cost: recording and the backward loop are unchanged; while some rebased tensor lives, each graph
walk (``toposort``: a backward pass) makes one more pass over the graph, :func:`fix_up`. A write of
a value that requires grad into a view taken without grad walks the collector's objects twice (its
base, its base's other views): ~3 ms among 30,000 live objects, ~34 ms among 130,000.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import numpy as np

from . import _versions, ops

#: id of a rebased tensor -> [weak reference to it, [(clock of the write, snapshot of the tensor
#: before that write), ...] in the order of the writes]; an entry goes with its tensor
REBASED: dict[int, list[Any]] = {}
#: id of a snapshot -> weak reference to the tensor it was (its "live" tensor)
_LIVE: dict[int, Any] = {}
#: ids of the nodes an in-place write made (-> a weak reference): made when the clock read T, the
#: write's, they use their inputs as they were before it, at T - 1
_PINNED: dict[int, Any] = {}
#: ``moved(tensor, snapshot)``, called at each write into a tensor recorded here: set by
#: autograd/_hooks.py as it loads (a tensor's hooks stay with the version they were registered on)
hooks_moved: Any = None
#: ``packed_moved(result, target)``: a write gave ``target`` the node ``result`` was made with, and so
#: the tensors a saved-tensor hook packed for it: set by autograd/_packed.py as it loads
packed_moved: Any = None
#: the primitives whose result may be a view of their first input's memory
VIEW_OPS = frozenset({ops.GETITEM, ops.RESHAPE, ops.TRANSPOSE, ops.BROADCAST_TO})


def snapshot(x: Any) -> Any:
    """A new node holding ``x``'s node as it is now (same memory, inputs, rule and clock)."""
    s = object.__new__(type(x))
    s.data, s._grad, s.requires_grad, s.label = x.data, None, x.requires_grad, x.label
    s._prev, s._args, s._op, s._params = x._prev, x._args, x._op, x._params
    if x._prev:
        s._made = x._made
    if id(x) in _PINNED:
        _pin(s)
    return s


def _pin(node: Any) -> None:
    key = id(node)
    _PINNED[key] = weakref.ref(node, lambda _, key=key: _PINNED.pop(key, None))


def _register(x: Any, snap: Any, clock: int) -> None:
    key = id(x)
    entry = REBASED.get(key)
    if entry is None:
        entry = REBASED[key] = [weakref.ref(x, lambda _, key=key: REBASED.pop(key, None)), []]
    entry[1].append((clock, snap))
    if hooks_moved is not None:
        hooks_moved(x, snap)
    skey = id(snap)
    _LIVE[skey] = weakref.ref(x)
    weakref.finalize(snap, _LIVE.pop, skey, None)


def view_chain(x: Any, strict: bool = True) -> tuple[list[Any], Any]:
    """The view nodes from ``x`` down (``x`` first; empty if ``x`` is no view) and the base they view.

    Raises
    ------
    RuntimeError
        ``x`` shares memory with its input through a primitive not known to make views (with
        ``strict``; else that node is taken as the base).
    """
    chain = []
    node = x
    while node._prev and _shared(node.data, node._prev[0].data):
        if node._op not in VIEW_OPS:
            if not strict or id(node) in REBASED or id(node) in _LIVE:  # (an in-place node's memory)
                break
            raise RuntimeError(
                f"in-place write: this tensor shares memory with the input of its '{node.op}' node, which "
                "is not a view the engine can write through; write into a clone() or out of place"
            )
        chain.append(node)
        node = node._prev[0]
    return chain, node


def viewed_base(view: Any, kind: type) -> tuple[list[Any], Any] | None:
    """For ``view``, a tensor (of class ``kind``) with no graph whose memory belongs to another array
    (a view taken without grad, ``buf[1:]``): a view node over the tensor that owns the memory, as
    ``view_chain`` gives it (``([node], base)``; the node has ``view``'s memory and its positions in
    the base), or None where no single tensor owns it (numpy's memory, or ``detach()`` sharing it).

    The owner is found among the objects that refer to the memory's array (``gc.get_referrers``, a
    walk over the collector's objects): only here, for a value that requires grad written into such
    a view, so nothing is kept for views at the time they are made."""
    owner = _versions._owner(view.data)
    if not (owner.flags.c_contiguous or owner.flags.f_contiguous):
        return None
    found = [
        t
        for t in gc.get_referrers(owner)
        if issubclass(type(t), kind) and t.data is owner and id(t) not in _LIVE
    ]
    if len(found) != 1:
        return None
    base = found[0]
    return [_view_node(view, base)], base


def _view_node(view: Any, base: Any) -> Any:
    """A view node over ``base`` with ``view``'s memory (which is ``base.data``'s)."""
    owner = base.data
    node = object.__new__(type(view))
    node.data, node._grad, node.requires_grad, node.label = view.data, None, base.requires_grad, None
    node._prev, node._args = (base,), (base.data,)
    if owner.ndim == 0:  # (a view of one number: a reshape)
        node._op, node._params = ops.RESHAPE, {"shape": view.data.shape}
    else:
        positions = _strided_positions(view.data, owner)
        node._op, node._params = ops.GETITEM, {"index": np.unravel_index(positions, owner.shape)}
    node._made = _versions.CLOCK.now
    return node


def adopt_views(base: Any, written: Any, kind: type) -> None:
    """After a write through ``written``, a view taken without grad of ``base``'s memory: the other
    tensors of class ``kind`` with no graph that view it (taken without grad before the write)
    become views of ``base``'s new node, as torch regenerates their ``grad_fn`` (``buf[0]`` requires
    grad once ``buf[1].copy_(w)`` did); nodes made from them before keep them as they were. Found by
    a walk over the collector's objects, as :func:`viewed_base`'s owner."""
    owner, clock = base.data, _versions.CLOCK.now
    kinds, more = {kind}, [kind]
    while more:  # (the class and its subclasses: a set lookup per object)
        more = [sub for k in more for sub in k.__subclasses__() if sub not in kinds]
        kinds.update(more)
    views = [
        t
        for t in gc.get_objects()
        if type(t) in kinds
        and t is not written
        and not getattr(t, "_prev", True)
        and type(getattr(t, "data", None)) is np.ndarray
        and t.data.base is owner
        and id(t) not in _LIVE
    ]
    for view in views:
        snap = snapshot(view)
        _replay([_view_node(view, base)], base, clock, top=view)
        _register(view, snap, clock)


def _strided_positions(view: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Where each element of ``view`` sits in ``owner`` (a contiguous array whose memory it views):
    flat C-order indices of ``owner``'s shape."""
    order = "C" if owner.flags.c_contiguous else "F"
    numbers = np.array(np.arange(owner.size).reshape(owner.shape), order=order)  # (laid out as owner)
    start = view.__array_interface__["data"][0] - owner.__array_interface__["data"][0]
    item, step = owner.itemsize, numbers.itemsize
    flat = numbers.ravel(order="K")[start // item :]
    strides = tuple(s // item * step for s in view.strides)
    return np.array(np.lib.stride_tricks.as_strided(flat, view.shape, strides, writeable=False), copy=True)


def _shared(a: Any, b: Any) -> bool:
    """Whether arrays ``a`` and ``b`` share memory (empty ones: whether they view the same array)."""
    if type(a) is not np.ndarray or type(b) is not np.ndarray:
        return False
    return np.may_share_memory(a, b) or (a.size == 0 and _versions._owner(a) is _versions._owner(b))


def _positions(chain: list[Any], base: Any) -> np.ndarray:
    """Where each element of the view ``chain[0]`` sits in ``base``: flat C-order indices."""
    pos = np.arange(base.data.size).reshape(base.data.shape)
    for node in reversed(chain):
        pos = node._op.forward(pos, **node._params)
    return np.array(pos, copy=True)


def _at(x: Any, clock: int) -> Any:
    """The node ``x`` was when the clock read ``clock`` (its snapshot from before a later write)."""
    entry = REBASED.get(id(x))
    if entry is not None:
        for when, snap in entry[1]:
            if clock < when:
                return snap
    return x


def _live(x: Any) -> Any:
    ref = _LIVE.get(id(x))
    live = ref() if ref is not None else None
    return x if live is None else live


def _as_of(p: Any, clock: int, fresh: dict[tuple[int, int], Any]) -> Any:
    """Input ``p`` of a node made when the clock read ``clock``, as that node used it."""
    p = _at(p, clock)
    if p._prev and p._op in VIEW_OPS:
        chain, base = view_chain(p, strict=False)
        if chain:
            live = _live(base)
            then, now = _at(live, chain[-1]._made), _at(live, clock)
            if now is not then:  # (a view made before a write into its base, used after it)
                key = (id(p), id(now))
                if key not in fresh:
                    fresh[key] = _replay(chain, now, clock)
                p = fresh[key]
    return p


def _replay(chain: list[Any], base: Any, clock: int, top: Any = None) -> Any:
    """New view nodes over ``base`` with the views' memory, rules and parameters (the last one
    ``top`` if given: that object is rebased)."""
    node = base
    for view in reversed(chain):
        new = top if view is chain[0] and top is not None else object.__new__(type(view))
        new.data, new._grad, new.requires_grad, new.label = view.data, None, base.requires_grad, None
        new._prev, new._args, new._op, new._params = (node,), (node.data,), view._op, view._params
        new._made = clock
        node = new
    return node


def fix_up(root: Any) -> None:
    """Point the nodes reachable from ``root`` at the inputs they used (see the module docstring)."""
    if not root._prev:
        return
    stack, seen = [root], {id(root)}
    fresh: dict[tuple[int, int], Any] = {}
    while stack:
        node = stack.pop()
        clock = getattr(node, "_made", None)
        if clock is not None:
            clock -= id(node) in _PINNED
            new = tuple(_as_of(p, clock, fresh) for p in node._prev)
            if any(a is not b for a, b in zip(new, node._prev)):
                node._prev = new
        for p in node._prev:
            if p._prev and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)


def write(
    target: Any, snap: Any, result: Any, started: int, chain: list[Any], base: Any, base_snap: Any
) -> None:
    """Write ``result`` (a node computed from ``snap``, target's snapshot, after the clock read
    ``started``) into ``target`` in place and rebase it; through ``chain`` into ``base`` when
    ``target`` is a view (``base_snap``: the base's snapshot)."""
    memory = _versions._owner(target.data)
    stale = _own_reads(result, started, memory, {id(target): snap, id(base): base_snap})
    np.copyto(target.data, result.data, casting="unsafe")
    _versions.bump(target.data)
    clock = _versions.CLOCK.now
    if not chain:
        target._prev, target._args, target._op = result._prev, result._args, result._op
        target._params, target.requires_grad, target._made = result._params, True, clock
        if packed_moved is not None:
            packed_moved(result, target)
    else:
        result.data, result._made = target.data, clock  # (its output is the view's memory: counted)
        base._prev, base._args, base._op = (base_snap, result), (base.data, target.data), ops.COPY_SLICES
        base._params = {"positions": _positions(chain, base)}
        base.requires_grad, base._made = True, clock
        _replay(chain, base, clock, top=target)
        _register(base, base_snap, clock)
        _pin(base)
    _pin(result if chain else target)
    target._grad = None
    _register(target, snap, clock)
    for array in stale:  # (saved before the write, changed by it: a backward pass reading it refuses)
        _versions.bump(array)


def detach(x: Any) -> None:
    """Make ``x`` a leaf (``detach_``); nodes made from it before keep its history (a snapshot)."""
    snap = snapshot(x)
    _versions.CLOCK.now += 1
    _register(x, snap, _versions.CLOCK.now)
    x._prev, x._args, x._op, x._params = (), (), None, {}


def _own_reads(result: Any, started: int, memory: np.ndarray, subst: dict[int, Any]) -> list[np.ndarray]:
    """For the nodes ``result`` is made of (made when the clock read ``started``): their inputs that
    are the written tensors become those tensors' snapshots, and an input whose numbers their rule
    reads in the written memory becomes a node holding a copy of them from before the write (torch's
    ``original_self``; an identity, so the gradient passes). Returns the copies for ``result``'s own
    operands after the first (``x.mul_(x)``: torch's saved operand is changed by the write, so its
    backward pass refuses; the caller counts a change of each)."""
    stale: list[np.ndarray] = []
    stack, seen = [result], set()
    while stack:
        node = stack.pop()
        if id(node) in seen or not node._prev or getattr(node, "_made", None) != started:
            continue
        seen.add(id(node))
        prev = [subst.get(id(p), p) for p in node._prev]
        args = list(node._args)
        n = len(prev)
        read = {j for i, p in enumerate(prev) if p.requires_grad for j in _versions.reads(node._op, i, n)}
        for j in sorted(read):
            array = node.data if j < 0 else args[j]
            if type(array) is not np.ndarray or _versions._owner(array) is not memory:
                continue
            copy = array.copy()
            if j < 0:
                node.data = copy
            elif node is result and j > 0:
                args[j] = copy
                stale.append(copy)
            else:
                args[j] = copy
                prev[j] = _holding(prev[j], copy, started)
        node._prev, node._args = tuple(prev), tuple(args)
        stack.extend(prev)
    return stale


def _holding(p: Any, numbers: np.ndarray, clock: int) -> Any:
    """An identity node over ``p`` whose data is ``numbers`` (``p``'s, saved before a write)."""
    node = object.__new__(type(p))
    node.data, node._grad, node.requires_grad, node.label = numbers, None, p.requires_grad, None
    node._prev, node._args, node._op = (p,), (numbers,), ops.RESHAPE
    node._params, node._made = {"shape": numbers.shape}, clock
    return node
