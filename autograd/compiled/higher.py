"""Compiled second derivatives: ``hvp(compiled f, x, v)`` and ``hessian(compiled f)(x)``.

The Hessian-vector product is the gradient of ``⟨∇f(x), v⟩``: the engine builds ``∇f(x)`` as a graph
(``autograd.grad(..., create_graph=True)``) and runs the backward pass through it, seeded by ``v``
(as :func:`autograd.hvp` does). That computation is traced once per signature, generated as code,
and split in two: the lines that do not depend on ``v`` (the forward pass and the first backward
pass: functions of ``x`` alone) run once per point; the lines that do (the second backward pass,
linear in ``v``) once per direction. The full Hessian runs the second part on all the unit vectors
at once, rewritten for a batch of directions (:mod:`.batch`), on the first part computed once: no
graph is built per row, and no line of code runs per row but the few the batch rules do not cover.
"""

from __future__ import annotations

import ast
from typing import Any

import numpy as np

from .. import grad_mode as mode
from .._tensor import Tensor, as_float_array
from ..gradients import autograd_grad, scalar_output
from .batch import Batcher
from .code import name, var_name
from .program import Stale, _define, generate
from .symbolic import Sym
from .trace import CompileError, run


class _ZeroHessian(Exception):
    """The gradient of the function does not depend on its argument."""


class SecondOrder:
    """The generated HVP of one signature: ``prepare(x_)`` (what depends on x alone, ``x_`` a Tensor)
    and ``apply(*state, v)`` (``H v``); ``source`` shows both."""

    def __init__(self, compiled: Any, x: np.ndarray) -> None:
        fn = compiled.fn

        def gradient(x_: Tensor) -> Tensor:
            out = fn(x_)
            if isinstance(out, Tensor):
                scalar_output(out, "hvp")  # (NotScalarError: the eager hessian takes each element's)
            if not (isinstance(out, Tensor) and out.requires_grad):  # (f does not depend on x: H = 0)
                raise _ZeroHessian
            (g,) = autograd_grad(out, x_, create_graph=True, allow_unused=True)
            if g is None or not g.requires_grad:
                raise _ZeroHessian
            return g

        x_leaf = Tensor._node(x.copy(), True)
        try:
            trace = run(gradient, (x_leaf,), {}, scalar=False)
        except _ZeroHessian:
            self._zero(fn)
            return
        if trace.effects:
            raise CompileError(
                f"compile: hvp: the function updates state in place ({trace.effects[0].what}); a "
                "Hessian-vector product would repeat that update at every product: use eval mode"
            )
        if not isinstance(trace.loss, Tensor) or trace.loss.data.shape != x.shape:
            raise CompileError("compile: hvp needs a function of one Tensor (its gradient has x's shape)")
        v_holder: list[Sym] = []

        def seed(code: Any) -> Sym:
            v_holder.append(Sym(code, code.unique("v"), np.ones(x.shape, x.dtype), temp=False))
            return v_holder[0]

        gen = generate(trace, fn, [x_leaf], ["x"], seed=seed, collect=(id(x_leaf),))
        code, v = gen.code, v_holder[0]
        result = gen.collected[id(x_leaf)]
        if not isinstance(result, Sym):  # (a Hessian that is a constant: f is at most linear)
            result = Sym(code, code.unique("Hv"), np.zeros(x.shape, x.dtype), temp=False)
            code.add(result, ast_zeros_like(v), [v])
        lines = [ln for ln in code.lines if ln.keep is False or ln.section != "backward"]
        depends = {id(v)}
        for ln in lines:
            if ln.target is not None and any(id(r) in depends for r in ln.reads):
                depends.add(id(ln.target))
        from .code import live

        needed = live(lines, [result])
        second = [ln for ln in needed if ln.target is not None and id(ln.target) in depends]
        first = [ln for ln in needed if not (ln.target is not None and id(ln.target) in depends)]
        state, seen = [], set()
        for ln in second:
            for r in ln.reads:
                if id(r) not in depends and id(r) not in seen:
                    seen.add(id(r))
                    state.append(r)
        params = [p.name for p in gen.params]
        header = [f"{getattr(fn, '__name__', 'f')}: the Hessian-vector product H·v, compiled"]
        results = [var_name(s) for s in state]
        # the functions' names are the code's own (a global of the lines may be called "apply")
        names = [code.unique(n) for n in ("prepare", "apply", "apply_batch")]
        self.prepare_source = code.render(names[0], params, results, state, header, lines=first)
        params_v = [*(s.name for s in state), v.name]
        self.apply_source = code.render(names[1], params_v, [var_name(result)], [result], lines=second)
        batcher = Batcher(code, {id(v)} | {id(ln.target) for ln in second})
        batched = [batcher.line(ln) for ln in second]
        self.batch_source = code.render(names[2], params_v, [var_name(result)], [result], lines=batched)
        self.source = self.prepare_source + "\n" + self.apply_source
        self._prepare = _define(self.prepare_source, code.scope, "hvp", names[0])
        self._apply = _define(self.apply_source, code.scope, "hvp", names[1])
        self._apply_batch = _define(self.batch_source, code.scope, "hvp", names[2])
        self._largest = max((np.asarray(ln.target.value).nbytes for ln in second), default=1)
        self.locators = gen.locators

    def _zero(self, fn: Any) -> None:
        """∇f does not depend on x (f is at most linear): H v is zeros, whatever v holds (no 0 · inf)."""
        name_ = getattr(fn, "__name__", "f")
        header = f"# {name_}: ∇f does not depend on x, so H = 0"
        self.prepare_source = f"def prepare(x_):\n    {header}\n    return ()\n"
        self.apply_source = "def apply(v):\n    return np.zeros_like(v),\n"
        self.batch_source = "def apply_batch(v):\n    return np.zeros_like(v),\n"
        self.source = self.prepare_source + "\n" + self.apply_source
        scope = {"np": np}
        self._prepare = _define(self.prepare_source, scope, "hvp", "prepare")
        self._apply = _define(self.apply_source, scope, "hvp", "apply")
        self._apply_batch = _define(self.batch_source, scope, "hvp", "apply_batch")
        self._largest, self.locators = 1, [("arg", 0)]

    def prepare(self, x: Tensor) -> tuple:
        """What depends on ``x`` alone; the generated function takes the trace's leaves in its order
        (``x`` is none of them where no line reads it: ∇f is then the captured parameters' alone).
        Raises ``Stale`` if a captured array changed its shape, dtype or flag."""
        args = [x if where == "arg" else node for where, node, *_ in self.locators]
        token = mode.quiet()
        try:
            return self._prepare(*args)
        finally:
            mode.loud(token)

    def apply_batch(self, state: tuple, vs: np.ndarray) -> np.ndarray:
        """``H v`` for every ``v`` of the stack ``vs`` (shape ``(B,) + x.shape``), in chunks that keep
        each intermediate array near 256 kB, in a core's cache (on the 2-16-16-1 network's Hessian,
        chunks of 8 to 32 directions take 0.65x the time of one direction at a time, all 337 at once
        1.5x)."""
        chunk = max(1, min(len(vs), (256 << 10) // max(self._largest, 1)))
        token = mode.quiet()
        try:
            parts = [self._apply_batch(*state, vs[i : i + chunk])[0] for i in range(0, len(vs), chunk)]
        finally:
            mode.loud(token)
        return np.concatenate(parts) if parts else np.zeros(vs.shape, vs.dtype)

    def apply(self, state: tuple, v: np.ndarray) -> np.ndarray:
        token = mode.quiet()
        try:
            (hv,) = self._apply(*state, v)
        finally:
            mode.loud(token)
        return hv


def ast_zeros_like(v: Sym) -> Any:
    """``np.zeros_like(v)``: zeros of the direction's shape (a batch's too, see :mod:`.batch`)."""
    zeros_like = ast.Attribute(value=name("np"), attr="zeros_like", ctx=ast.Load())
    return ast.Call(func=zeros_like, args=[var_name(v)], keywords=[])


def _point(x: Any, what: str) -> tuple[np.ndarray, bool]:
    """x as a float array, and whether it came in as plain numbers (numbers go out then)."""
    if isinstance(x, Tensor):
        return x.data, False
    kind = np.asarray(x).dtype.kind if isinstance(x, (np.ndarray, list, tuple, int, float)) else ""
    if kind not in ("i", "u", "f") or isinstance(x, bool):
        raise TypeError(
            f"{what}: x must be a Tensor or an array of real numbers for a compiled f, got {type(x).__name__}"
        )
    return as_float_array(x, None if kind == "f" else np.float64, what), True


def second_order(compiled: Any, x: np.ndarray, retrace: bool = False) -> SecondOrder:
    """The compiled HVP of ``compiled`` at points like ``x`` (traced on first use per shape/dtype,
    and again with ``retrace``)."""
    compiled._refresh()  # (a free name of the function rebound since the trace: trace again)
    cache = compiled.__dict__.setdefault("_second_order", {})
    key = (x.shape, x.dtype.str)
    found = None if retrace else cache.get(key)
    if found is None:
        with compiled._recording():  # (the free names the trace reads are watched, as a step's)
            found = cache[key] = SecondOrder(compiled, x)
    return found


def _prepared(compiled: Any, data: np.ndarray) -> tuple[SecondOrder, tuple]:
    """The HVP of ``compiled`` at ``data`` and what it computes from ``data`` alone; traced again
    when a captured array changed its shape, dtype or ``requires_grad`` since the trace (``Stale``)."""
    so = second_order(compiled, data)
    try:
        return so, so.prepare(Tensor._node(data, True))
    except Stale:
        so = second_order(compiled, data, retrace=True)
        return so, so.prepare(Tensor._node(data, True))


def hvp(compiled: Any, x: Any, v: Any) -> Any:
    """``H(x) · v`` of the compiled scalar function (see :func:`autograd.hvp`); a Tensor (without a
    graph) for a Tensor x, numbers for numbers."""
    data, plain = _point(x, "hvp")
    seed = as_float_array(v, np.float64, "hvp(v)")
    if seed.shape != data.shape:
        raise RuntimeError(f"hvp(v): Mismatch in shape: got {seed.shape}, expected {data.shape}")
    so, state = _prepared(compiled, data)
    hv = so.apply(state, seed.astype(data.dtype))
    return np.array(hv) if plain else Tensor._node(np.array(hv))


def hessian(compiled: Any, x: Any) -> Any:
    """The Hessian of the compiled scalar function at ``x``, shape ``x.shape + x.shape``: the HVP's
    second part applied to every unit vector, the first part computed once."""
    data, plain = _point(x, "hessian")
    so, state = _prepared(compiled, data)
    n = data.size
    directions = np.eye(n, dtype=data.dtype).reshape((n, *data.shape))
    h = so.apply_batch(state, directions).reshape(data.shape + data.shape)
    return h if plain else Tensor._node(h)
