"""Compiled steps: trace a loss function once, replay it as straight-line code you can read.

``step = autograd.compile(loss_fn)`` (or ``@autograd.compile``) returns a :class:`Compiled`
callable. Its first call with a given signature runs ``loss_fn`` eagerly once and records the graph
it builds (*tracing*); from the graph it writes Python source, the forward pass and then the
backward pass, one line per chain-rule step with the rule it applies as a comment (numpy statements
for Tensors, float arithmetic for Values, variables named after the nodes' labels), and compiles
it. Every call then runs that code: it returns what ``loss_fn`` returns and *accumulates* into the
``.grad`` of every parameter exactly as ``loss.backward()`` would, so optimizers, schedulers,
clipping and checkpoints work unchanged::

    step = autograd.compile(lambda: ((model(X) - y) ** 2).mean())
    for _ in range(100):
        opt.zero_grad()
        loss = step()          # forward + backward: .grad is filled
        opt.step()
    print(step.source)         # the generated code

What a trace sees, and what it cannot (as ``jax.jit`` documents for its traces):

- **Signature.** A new signature traces again: the arguments' structure (tuples, lists, dicts),
  each Tensor's shape, dtype and requires_grad, each ValueArray's shape, and plain Python numbers,
  strings and other objects by value. A numpy array argument that the graph uses as an index
  (``x[rows, labels]``) is read at every call; one used otherwise is keyed by its contents.
- **Leaves.** Arguments are read at every call. Objects the function reaches (a model's
  parameters, a closed-over Tensor) are held by reference and their ``.data`` read at every call,
  so an optimizer's in-place update is seen (a captured array whose shape, dtype or
  requires_grad changed traces again); one that needs no grad (a running statistic) is followed
  through its operations. What the function makes from plain numbers or constant data
  (``x * 2.0``, ``Value(xi)`` for a data point) is a constant of the trace.
- **Free names.** The globals and closure variables read by the function, and by every function
  of the user's that the trace ran (a helper, a Module subclass's ``forward``; not the library's,
  the standard library's or an installed package's), are checked at every call: one bound to
  another object since the trace (``model = Model()`` again in a notebook, a helper's ``W``) makes
  the call trace again, as ``torch.compile``'s guards do. A number read that way is part of the
  program, so a global step counter read inside the function traces at every new value (an equal
  one bound again does not): pass it as an argument. So are the attributes of the modules the
  trace reached and of every module under them (``model.fc = nn.Linear(...)``,
  ``fc.weight = Parameter(...)``, ``seq[1] = nn.Tanh()``: the next call traces again), and the
  attributes the code reads of a plain object of the user's a watched name holds (``ns.W``,
  ``cfg.scale``). The rules: the docstring of ``autograd.compiled.watch``.
- **Masks** (comparisons, ``where``, ``detach()``, the rounding ops, casts of what needs no grad,
  what the function computes under ``no_grad``, the library's masks of the numbers) are computed
  at every call.
- **Positions** (``argmax``, ``sort``/``topk``/``median``/``kthvalue``/``cummax`` indices and the
  values they pick) are found at every call, and indexing or ``gather`` by them reads them as
  inputs. A result whose shape depends on numbers the function computed (``x[x > 0]``,
  ``nonzero``, ``unique``, ``masked_select``) is refused while tracing (:class:`CompileError`).
- **Labels** given as an int Tensor or array (``F.cross_entropy(logits, y)``) are read at every
  call, after a check that they are classes and none is ignored (else the call traces again).
- **Modes and state.** Each module's ``training`` flag is watched (the other mode traces once
  more; both programs are kept). A batch norm's running statistics are updated at every call,
  where the eager run updated them (``autograd.graph.effect``).
- **Control flow.** Python code that looks at the numbers (``if loss.item() > 1``, a mask made
  from ``x.data``, a max taken of the data) runs once, at the trace: its branch, or its number, is
  fixed. Dropout masks are drawn at every
  call, in the eager run's order (the same seed gives the same masks); other random numbers
  drawn while tracing are refused. Use ``check=True`` to run the eager pass beside the compiled
  one and raise on any difference.
- **Outputs** are new nodes without a graph (detached): the backward pass has already run.

Modes: under ``no_grad`` only the forward code runs (nothing is written to ``.grad``); under
``detect_anomaly`` the eager engine runs instead (it names the op that made a nan), and so it does
inside ``torch.autograd.graph.saved_tensors_hooks`` (it packs the saved tensors). Inside the
function, ``autograd.grad(..., create_graph=True)`` compiles (its derivative nodes are part of the
graph: this is how :func:`autograd.hvp` compiles); ``backward()`` or a gradient taken as numbers
inside the function is refused while tracing (eager-only): a compiled step does the backward
itself.

Numbers: the generated code applies the engine's rules (taken from the table of operations, never
a second copy) in the engine's order, on the same array types, so values and gradients equal the
eager ones bit for bit (tests/compile checks every program of the differential fuzzers). Two
differences for Values, neither a number: the sign of a zero gradient where ``.grad`` held ``-0.0``
before the call (the engine starts a node's sum at ``+0.0``, the code at its first term), and the
sign of a nan (which of two nans CPython's float addition keeps varies with its specialising
interpreter, in the eager loop as in the generated code). Constant parts are computed once, at the
trace, exactly as the engine computes them (``x ** 0`` is 1, ``1 · x`` is x, a transpose undone).
An elementwise Tensor line may write into an operand array the code made and no longer reads
(``np.add(t1, b1, out=t1)``): the same ufunc, the same bits, one array fewer.
"""

from __future__ import annotations

import functools
import inspect
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import grad_mode as mode
from .. import random_state
from .._tensor import Tensor
from ..graph import is_tracing
from ..pytree import CONTAINERS, TreeSpec, tree_flatten
from ..value import Value
from ..value_array import ValueArray
from . import trace as tracing
from .program import Program, Stale, build
from .trace import CompileError
from .watch import Watch, paused

__all__ = ["CheckError", "CompileError", "Compiled", "compile"]

#: after this many traces of one function a warning says why it keeps tracing
_MANY_TRACES = 8


class CheckError(AssertionError):
    """Raised by a step compiled with ``check=True`` where its outputs or gradients differ from the
    eager engine's (the message names each difference with both numbers)."""


class _Signature:
    """The programs traced for one structure of arguments (array arguments keyed by value inside)."""

    __slots__ = ("by_value", "programs", "text", "watched")

    def __init__(self, text: str) -> None:
        self.by_value: tuple[int, ...] = ()
        self.programs: dict[Any, Program] = {}
        self.text = text
        self.watched: tuple[tuple[Any, str], ...] = ()  # (object, attribute): a module's training

    def key(self, flat: list[Any]) -> tuple:
        """Which of the programs a call takes: its by-value arrays' bytes and the watched attributes."""
        return (
            *(np.asarray(flat[i]).tobytes() for i in self.by_value),
            *(getattr(obj, attr) for obj, attr in self.watched),
        )


class Compiled:
    """A function compiled by :func:`autograd.compile`: call it as the function; it runs the
    generated forward and backward code (tracing first for a new signature).

    Parameters
    ----------
    fn : callable
        The function returning the loss (see :func:`autograd.compile`).
    check : bool
        Whether every call also runs the eager engine and raises :class:`CheckError` on a
        difference.
    optimizer : optimizer, optional
        With one (``optimizers.SGD(...)``, anything with ``step()`` and ``zero_grad()``), a call is a
        whole training step: the compiled forward and backward, then ``optimizer.step()``, then
        ``optimizer.zero_grad()``.

    Attributes
    ----------
    fn : callable
        The function.
    check : bool
        Whether every call also runs the eager engine and compares.
    optimizer : optimizer or None
        The optimizer a call steps.
    trace_count : int
        How many times ``fn`` has been traced (once per new signature).
    """

    def __init__(self, fn: Callable[..., Any], check: bool = False, optimizer: Any = None) -> None:
        if not callable(fn):
            raise TypeError(f"compile: expected a function, got {type(fn).__name__} {fn!r}")
        if optimizer is not None and not all(
            callable(getattr(optimizer, m, None)) for m in ("step", "zero_grad")
        ):
            raise TypeError(
                "compile: optimizer: expected an optimizer with step() and zero_grad() "
                f"(optimizers.SGD(model.parameters(), lr=0.1)), or None; got {type(optimizer).__name__}"
            )
        if optimizer is not None and _needs_closure(optimizer):
            raise TypeError(
                f"compile: optimizer: {type(optimizer).__name__}.step needs a closure (it evaluates the "
                "loss again); compile the loss function alone and call opt.step(closure) with a closure "
                "that zeroes the gradients and calls the compiled step"
            )
        functools.update_wrapper(self, fn)
        self.fn, self.check, self.optimizer = fn, bool(check), optimizer
        self.trace_count = 0
        self._signatures: dict[Any, _Signature] = {}
        self._last: tuple[str, Program] | None = None
        self._fast: dict[tuple, Program] = {}  # positional leaves only, no array keyed by value
        # the free names the traces read (the function's, and those of the user's functions it ran),
        # watched: one bound to a new object since (model = Model() again) makes the call trace again
        self._watch = Watch()
        self._rebound: list[str] = []  # (what the latest drop saw changed: the eighth trace's warning)
        try:
            self._parameters = list(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            self._parameters = []

    def __repr__(self) -> str:
        return f"<compiled {getattr(self.fn, '__qualname__', self.fn)!r}: {self.trace_count} trace(s)>"

    def __get__(self, obj: Any, objtype: Any = None) -> Any:  # (a decorated method)
        return self if obj is None else functools.partial(self, obj)

    # -- reading it
    @property
    def source(self) -> str:
        """The generated forward and backward code of the most recently traced signature."""
        if self._last is None:
            return f"# {getattr(self.fn, '__name__', 'fn')} is not traced yet: call it once\n"
        return _source(self._last[1])

    @property
    def sources(self) -> dict[str, str]:
        """Every traced signature's description (``"(x: Tensor(100, 2) float32)"``) with its code."""
        return {s.text: _source(p) for s in self._signatures.values() for p in s.programs.values()}

    @property
    def signatures(self) -> list[str]:
        """The descriptions of the traced signatures, in the order they were first traced."""
        return [s.text for s in self._signatures.values()]

    # -- calling it
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if is_tracing():  # (inside another compiled function's trace: recorded as part of it)
            return self.fn(*args, **kwargs)
        optimizer = self.optimizer
        if optimizer is None or mode.state() & mode.NO_GRAD:
            return self._step(args, kwargs)
        eager_or_checked = self.check or mode.state() & (mode.ANOMALY | mode.SAVED_HOOKS)
        result = self._step(args, kwargs) if eager_or_checked else self._train(args, kwargs)
        optimizer.step()
        optimizer.zero_grad()
        return result

    def _train(self, args: tuple, kwargs: dict) -> Any:
        """The forward and backward of a training step, with the optimizer's update fused into the
        code where it is plain SGD (:class:`~.program.FusedSGD`); ``.grad`` filled for the rest."""
        self._refresh()
        program = None if kwargs else self._fast.get(tuple(map(_key, args)))
        flat: Any = args
        if program is None:
            flat, spec = tracing.flatten_arguments(args, kwargs)
            program, _ = self._program(args, kwargs, flat, spec)
        for retrace in (False, True):
            rates = None if program.sgd is None else program.sgd.rates(self.optimizer)
            try:
                return program.run(flat) if rates is None else program.run_sgd(flat, rates)
            except Stale:
                if retrace:
                    raise
                flat, spec = tracing.flatten_arguments(args, kwargs)
                program, _ = self._program(args, kwargs, flat, spec, retrace=True)
        raise AssertionError("unreachable")

    def _step(self, args: tuple, kwargs: dict) -> Any:
        """The compiled forward and backward (``.grad`` filled), or the forward under ``no_grad``."""
        flags = mode.state()
        if flags & (mode.ANOMALY | mode.SAVED_HOOKS):  # (eager: it checks each node; it packs saved tensors)
            return self._eager(args, kwargs)
        self._refresh()
        if not kwargs and not self.check:  # (the common case: plain positional arguments, traced before)
            program = self._fast.get(tuple(map(_key, args)))
            if program is not None:
                try:
                    return program.forward(args) if flags & mode.NO_GRAD else program.fast(args)
                except Stale:
                    pass
        flat, spec = tracing.flatten_arguments(args, kwargs)
        program, _ = self._program(args, kwargs, flat, spec)
        if self.check:
            return self._checked(program, args, kwargs, flat, bool(flags & mode.NO_GRAD))
        try:
            return program.forward(flat) if flags & mode.NO_GRAD else program.run(flat)
        except Stale:
            program, _ = self._program(args, kwargs, flat, spec, retrace=True)
            return program.forward(flat) if flags & mode.NO_GRAD else program.run(flat)

    def _refresh(self) -> None:
        """Drop every traced program (so the next call traces again) if a free name a trace read holds
        another object than at that trace (see .watch): every program holds the old objects."""
        if self._watch.changed():
            self._rebound = self._watch.rebound()
            self._signatures.clear()
            self._fast.clear()
            self.__dict__.pop("_second_order", None)  # (compiled hvp's programs: .higher)
            self._watch = Watch()

    def _recording(self) -> Any:
        """A context in which a trace of the function runs: the free names it reads are watched."""
        return self._watch.recording(self.fn)

    def _program(self, args: tuple, kwargs: dict, flat: list[Any], spec: TreeSpec,
                 retrace: bool = False) -> tuple[Program, _Signature]:  # fmt: skip
        key = (spec, tuple(_key(x) for x in flat))
        entry = self._signatures.get(key)
        if entry is None:
            entry = self._signatures[key] = _Signature(_describe(flat, self._names(flat, spec)))
        program = None if retrace else entry.programs.get(entry.key(flat))
        if program is None:
            program = self._trace(args, kwargs, flat, spec)
            entry.by_value = program.by_value
            entry.watched = tuple((obj, attr) for obj, attr, _ in program.watched)
            entry.programs[entry.key(flat)] = program
        if (
            not kwargs
            and not program.by_value
            and len(flat) == len(args)
            and all(not isinstance(x, CONTAINERS) for x in args)
        ):
            self._fast[tuple(map(_key, args))] = program
        self._last = (entry.text, program)
        return program, entry

    def _trace(self, args: tuple, kwargs: dict, flat: list[Any], spec: TreeSpec) -> Program:
        for i, x in enumerate(flat):
            if (isinstance(x, Tensor) and x._prev) or (isinstance(x, Value) and x._a is not None):
                raise CompileError(
                    f"compile: argument {self._names(flat, spec)[i]} is a computed {type(x).__name__} (it "
                    "has a graph); pass a leaf (x.detach() for a Tensor), or compute it inside the function"
                )
        with self._recording():
            trace = tracing.run(self.fn, args, kwargs)
        self.trace_count += 1
        if self.trace_count == _MANY_TRACES:
            names = self._names(flat, spec)
            copied = [names[i] for i in trace.unbound_arrays]
            why = (
                f" The numbers of {', '.join(copied)} are copied into the code (labels held as floats "
                "are converted to integers, for one), so each new one traces again: pass int64 labels "
                "(autograd.tensor(labels), y.long()), or the numbers the graph can read as they are."
                if copied
                else ""
            )
            rebound = (
                f" The latest trace followed a rebinding of {'; '.join(self._rebound[:3])}: the objects the "
                "traced code read are part of its program (a number's value is in the code)."
                if self._rebound
                else ""
            )
            warnings.warn(
                f"compile: {getattr(self.fn, '__name__', 'fn')} has been traced {_MANY_TRACES} times, once "
                f"per new signature or rebound name (the latest: {_describe(flat, names)}).{rebound} Plain "
                "numbers and arrays used as data are part of the signature: pass numbers that change from "
                "call to call as Values or Tensors." + why,
                RuntimeWarning,
                stacklevel=4,  # (the call of the step: _trace, _program, __call__, the caller)
            )
        self._rebound = []
        sgd = self._linear_params()
        if trace.rng_start is None:
            return build(trace, self.fn, flat, self._names(flat, spec), sgd)
        # the trace's draws are taken back: generating the code draws them again (each draw's line
        # is checked against the trace's numbers), and so does the step's first call, as eager would
        generator = random_state.default_generator()
        generator.set_state(trace.rng_start)
        try:
            return build(trace, self.fn, flat, self._names(flat, spec), sgd)
        finally:
            generator.set_state(trace.rng_start)

    def _linear_params(self) -> dict[int, tuple[int, int]] | None:
        """The optimizer's Tensor parameters whose step is now ``p.add_(grad, alpha)`` (its
        ``linear_step``: plain SGD), by id: (group, position); the code may fuse their update."""
        optimizer = self.optimizer
        linear = getattr(optimizer, "linear_step", None)
        if linear is None or self.check:
            return None
        return {
            id(p): (k, i)
            for k, group in enumerate(optimizer.param_groups)
            if linear(group) is not None
            for i, p in enumerate(group["params"])
            if isinstance(p, Tensor)
        }

    def _names(self, flat: list[Any], spec: TreeSpec) -> list[str]:
        """A name for each flattened argument: the function's parameter names (``x``, ``batch_1``)."""
        args_spec, kwargs_spec = spec.children
        names: list[str] = []
        for k, child in enumerate(args_spec.children):
            base = self._parameters[k] if k < len(self._parameters) else f"arg{k}"
            n = child.num_leaves
            names += [base] if n == 1 else [f"{base}_{j}" for j in range(n)]
        for key, child in zip(kwargs_spec.keys, kwargs_spec.children):
            n = child.num_leaves
            names += [str(key)] if n == 1 else [f"{key}_{j}" for j in range(n)]
        return names

    # -- eager, and the check
    def _eager(self, args: tuple, kwargs: dict) -> Any:
        """The uncompiled step: ``fn``, then ``loss.backward()``; the outputs detached."""
        result = self.fn(*args, **kwargs)
        leaves, spec = tree_flatten(result)
        loss = leaves[0].to_value() if isinstance(leaves[0], ValueArray) else leaves[0]
        if not mode.state() & mode.NO_GRAD:
            loss.backward()
        return _detached(result)

    def _checked(self, program: Program, args: tuple, kwargs: dict, flat: list[Any], no_grad: bool) -> Any:
        """Run the eager step, keep its gradients, restore the old ones, run the compiled step, compare."""
        params = [p for p in program.arguments(flat) if isinstance(p, (Tensor, Value))]
        slot = ["_grad" if isinstance(p, Tensor) else "grad" for p in params]  # (Tensor.grad is a view)
        before = [getattr(p, s) for p, s in zip(params, slot)]
        state = [t.data.copy() for t in program.targets]  # (what effects write: both runs update it)
        rng = random_state.default_generator().get_state() if program.draws else None  # (both draw)
        with paused():  # (what the function rebinds itself, as its trace did, keeps the programs)
            eager = self._eager(args, kwargs)
        if rng is not None:
            random_state.default_generator().set_state(rng)
        after_eager = [getattr(p, s) for p, s in zip(params, slot)]
        state_eager = [t.data.copy() for t in program.targets]
        for p, s, g in zip(params, slot, before):
            setattr(p, s, g)
        for t, old in zip(program.targets, state):
            t.data[...] = old
        compiled = program.forward(flat) if no_grad else program.run(flat)
        problems = _compare(tree_flatten(eager)[0], tree_flatten(compiled)[0], "output")
        for k, (p, s, g) in enumerate(zip(params, slot, after_eager)):
            problems += _compare([g], [getattr(p, s)], f"grad of {p.label or f'parameter {k}'}")
        for k, (t, e) in enumerate(zip(program.targets, state_eager)):
            problems += _compare([e], [t.data], f"state {t.label or k} updated in place")
        if problems:
            raise CheckError(
                f"compile(check=True): {getattr(self.fn, '__name__', 'fn')}'s compiled step differs from "
                "the eager one: " + "; ".join(problems[:5]) + ". The trace may have fixed something the "
                "function computes from the numbers (a branch, a max of the data): see autograd.compile's "
                "documentation"
            )
        return compiled


def compile(fn: Callable[..., Any] | None = None, *, check: bool = False, optimizer: Any = None) -> Any:  # noqa: A001 (as torch.compile)
    """:func:`autograd.compile` (documented there): ``fn`` as a :class:`Compiled` step, or a decorator."""
    if fn is None:
        return lambda f: Compiled(f, check=check, optimizer=optimizer)
    return Compiled(fn, check=check, optimizer=optimizer)


# ---------------------------------------------------------------------------- helpers
def _key(x: Any) -> Any:
    """What of an argument decides the trace."""
    if type(x) is Tensor:  # (the common case first)
        return ("Tensor", x.data.shape, x.data.dtype.str, x.requires_grad)
    if isinstance(x, Tensor):
        return ("Tensor", x.data.shape, x.data.dtype.str, x.requires_grad)
    if isinstance(x, Value):
        return ("Value",)
    if isinstance(x, ValueArray):
        return ("ValueArray", x.shape)
    if isinstance(x, np.ndarray):
        return ("ndarray", x.shape, x.dtype.str)
    if isinstance(x, float):
        return ("float", x.hex() if math.isfinite(x) else repr(x))
    try:
        hash(x)
    except TypeError:
        return ("object", type(x), id(x))
    return (type(x), x)


def _needs_closure(optimizer: Any) -> bool:
    """Whether ``optimizer.step`` has a required argument (LBFGS's closure)."""
    try:
        params = inspect.signature(optimizer.step).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(p.default is p.empty and p.kind in positional for p in params)


def _source(program: Program) -> str:
    """The code a call runs: with an optimizer's SGD step fused in, where there is one."""
    return program.source if program.sgd is None else program.sgd.source


def _describe(flat: Sequence[Any], names: Sequence[str]) -> str:
    parts = []
    for n, x in zip(names, flat):
        if isinstance(x, Tensor):
            grad = ", requires_grad" if x.requires_grad else ""
            parts.append(f"{n}: Tensor{tuple(x.data.shape)} {x.data.dtype}{grad}")
        elif isinstance(x, (Value, ValueArray)):
            parts.append(f"{n}: {type(x).__name__}{'' if isinstance(x, Value) else tuple(x.shape)}")
        elif isinstance(x, np.ndarray):
            parts.append(f"{n}: ndarray{x.shape} {x.dtype}")
        else:
            parts.append(f"{n}={x!r}")
    return "(" + ", ".join(parts) + ")"


def _detached(result: Any) -> Any:
    from ..pytree import tree_map

    def detach(x: Any) -> Any:
        if isinstance(x, Tensor):
            return Tensor._node(x.data)
        if isinstance(x, Value):
            return Value(x.data)
        if isinstance(x, ValueArray):
            return ValueArray(x.data)
        return x

    return tree_map(detach, result, lambda x: isinstance(x, (Tensor, Value, ValueArray)))


def _numbers(x: Any) -> Any:
    if isinstance(x, (Tensor, ValueArray)):
        return np.asarray(x.data)
    if isinstance(x, Value):
        return x.data
    if hasattr(x, "data") and not isinstance(x, np.ndarray):
        return x.data
    return x


def _compare(a: list[Any], b: list[Any], what: str) -> list[str]:
    problems = []
    for k, (x, y) in enumerate(zip(a, b)):
        x, y = _numbers(x), _numbers(y)
        where = what if len(a) == 1 else f"{what} {k}"
        if x is None or y is None:
            if (x is None) != (y is None):
                problems.append(f"{where}: {x!r} eager, {y!r} compiled")
            continue
        if isinstance(x, float) and isinstance(y, float):
            if not (x == y or (x != x and y != y)):
                problems.append(f"{where}: {x!r} eager, {y!r} compiled")
            continue
        x, y = np.asarray(x), np.asarray(y)
        if x.shape != y.shape or x.dtype != y.dtype or x.tobytes() != y.tobytes():
            problems.append(f"{where}: {_show(x)} eager, {_show(y)} compiled")
    return problems


def _show(x: np.ndarray) -> str:
    return np.array2string(x, precision=17, threshold=8) + f" ({x.dtype}, shape {x.shape})"
