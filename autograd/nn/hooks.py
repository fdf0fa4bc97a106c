"""Module hooks, as ``torch.nn.Module``'s: forward pre-hooks and hooks, full backward pre-hooks and
hooks, per module (:class:`_ModuleHooks`, a base of ``Module``) and for every module
(:func:`register_module_forward_hook` and its siblings, also at torch's place
``autograd.nn.modules.module``).

``module(*args, **kwargs)`` with hooks runs as torch's ``_call_impl``: the forward pre-hooks
(``hook(module, args)``, or ``hook(module, args, kwargs)`` with ``with_kwargs``) may replace the
arguments; then, where full backward hooks exist and a positional Tensor argument requires grad
(under grad mode), the Tensor arguments pass through an identity node whose backward calls
``hook(module, grad_input, grad_output)``; ``forward`` runs; the forward hooks (``hook(module, args,
output)``) may replace the output; the output's Tensors pass through an identity node whose
backward calls the backward pre-hooks (``hook(module, grad_output)``) once every output's gradient
is in. As torch's ``BackwardHook``, both identity nodes are one :class:`~autograd.autograd.Function`
each (several inputs and outputs, one backward call), so ``grad_input`` holds the gradients of the
module's positional Tensor arguments (None for other arguments; zeros for a Tensor argument that
does not require grad), ``grad_output`` those of its output Tensors (None for an output nothing
used or that is no Tensor), and a hook's returned tuple replaces them. Global hooks run before the
module's own; ``prepend=True`` puts a hook first among its module's.

A compiled step (``autograd.compile``) refuses a module with hooks (CompileError naming the hook);
registering one moves the epoch a trace watches (``autograd/_hooks.py``), so a step traced before
traces again, and refuses, rather than skip it.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from typing import Any

from .. import _hooks
from .._handle import RemovableHandle
from .._tensor import Tensor
from ..autograd.function import Function
from ..grad_mode import is_grad_enabled
from ..graph import CompileError, is_tracing

__all__ = [
    "register_module_forward_pre_hook",
    "register_module_forward_hook",
    "register_module_full_backward_pre_hook",
    "register_module_full_backward_hook",
]


class _Table:
    """One owner's hooks (a module's, or the global ones): each kind by handle id, in call order,
    with the ids of the hooks registered ``with_kwargs`` and ``always_call``."""

    __slots__ = (
        "forward_pre", "forward", "backward_pre", "backward", "pre_kwargs", "kwargs", "always", "any"
    )  # fmt: skip

    def __init__(self) -> None:
        self.forward_pre: OrderedDict[int, Any] = OrderedDict()
        self.forward: OrderedDict[int, Any] = OrderedDict()
        self.backward_pre: OrderedDict[int, Any] = OrderedDict()
        self.backward: OrderedDict[int, Any] = OrderedDict()
        self.pre_kwargs: OrderedDict[int, bool] = OrderedDict()
        self.kwargs: OrderedDict[int, bool] = OrderedDict()
        self.always: OrderedDict[int, bool] = OrderedDict()
        #: whether it may hold a hook (``Module.__call__`` reads it: set by ``add``, refreshed by ``call``)
        self.any = False

    def __bool__(self) -> bool:
        return bool(self.forward_pre or self.forward or self.backward_pre or self.backward)

    def add(self, kind: str, hook: Any, prepend: bool = False, **flags: bool) -> RemovableHandle:
        """Register ``hook`` among ``kind``; ``flags``: the flag tables (``kwargs=True``) it is in."""
        if not callable(hook):
            raise TypeError(
                f"register_{kind}_hook: hook must be callable, got {type(hook).__name__} {hook!r}"
            )
        hooks = getattr(self, kind)
        marks = [getattr(self, name) for name, on in flags.items() if on]
        handle = RemovableHandle(hooks, extra_dict=marks)
        hooks[handle.id] = hook
        for mark in marks:
            mark[handle.id] = True
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        self.any = True
        _hooks.moved()  # (a compiled step traced before traces again, and refuses it)
        return handle


#: the hooks of every module (``register_module_forward_hook``, ...)
GLOBAL = _Table()


class _ModuleHooks:
    """The hook registration of ``Module`` (a base class of it), as torch's."""

    #: the module's hooks (created by the first registration)
    _module_hooks: _Table | None = None

    def _table(self) -> _Table:
        table = vars(self).get("_module_hooks")
        if table is None:  # (set in the instance's dict directly: no attribute rebinding to watch)
            table = vars(self)["_module_hooks"] = _Table()
        return table

    def register_forward_pre_hook(
        self, hook: Any, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before each ``forward`` (``hook(module, args, kwargs)`` with
        ``with_kwargs``). It may return new args (a tuple, or one value that becomes a 1-tuple), or
        with ``with_kwargs`` a tuple ``(args, kwargs)``; None keeps them. ``prepend``: run it first.

        Returns:
            A :class:`~autograd.utils.hooks.RemovableHandle`.
        """
        return self._table().add("forward_pre", hook, prepend, pre_kwargs=with_kwargs)

    def register_forward_hook(
        self, hook: Any, *, prepend: bool = False, with_kwargs: bool = False, always_call: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each ``forward`` (``hook(module, args, kwargs,
        output)`` with ``with_kwargs``); a value it returns replaces the output. ``always_call``: also
        when ``forward`` raised (then ``output`` is None). ``prepend``: run it first.

        Returns:
            A :class:`~autograd.utils.hooks.RemovableHandle`.
        """
        return self._table().add("forward", hook, prepend, kwargs=with_kwargs, always=always_call)

    def register_full_backward_pre_hook(self, hook: Any, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` each time the gradients of the module's outputs are in
        (one per output: None where there is none); a tuple it returns replaces them.

        Returns:
            A :class:`~autograd.utils.hooks.RemovableHandle`.
        """
        return self._table().add("backward_pre", hook, prepend)

    def register_full_backward_hook(self, hook: Any, prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` each time the gradients of the module's
        positional arguments are computed (see ``autograd/nn/hooks.py`` for which are None); a tuple
        it returns replaces ``grad_input`` for what the inputs were computed from. Where no input
        requires grad it runs with ``grad_input`` all None once ``grad_output`` is in (torch's warning).

        Returns:
            A :class:`~autograd.utils.hooks.RemovableHandle`.
        """
        return self._table().add("backward", hook, prepend)


def register_module_forward_pre_hook(hook: Any) -> RemovableHandle:
    """A forward pre-hook of every module (``hook(module, args)``), run before the module's own."""
    return GLOBAL.add("forward_pre", hook)


def register_module_forward_hook(
    hook: Any, *, with_kwargs: bool = False, always_call: bool = False
) -> RemovableHandle:
    """A forward hook of every module (``hook(module, args, output)``, or
    ``hook(module, args, kwargs, output)`` with ``with_kwargs``), run before the module's own; with
    ``always_call`` it runs also when the forward raised (then ``output`` is None)."""
    return GLOBAL.add("forward", hook, kwargs=with_kwargs, always=always_call)


def register_module_full_backward_pre_hook(hook: Any) -> RemovableHandle:
    """A full backward pre-hook of every module (``hook(module, grad_output)``), run before the
    module's own."""
    return GLOBAL.add("backward_pre", hook)


def register_module_full_backward_hook(hook: Any) -> RemovableHandle:
    """A full backward hook of every module (``hook(module, grad_input, grad_output)``), run before the
    module's own."""
    return GLOBAL.add("backward", hook)


def call(module: Any, args: tuple, kwargs: dict) -> Any:
    """``module(*args, **kwargs)`` where the module or every module has hooks (see the module docstring).

    Raises:
        CompileError: while a step is traced for ``autograd.compile``.
    """
    GLOBAL.any = bool(GLOBAL)
    own = module._module_hooks
    if not own:  # (its hooks were all removed: its calls go back to the plain path)
        vars(module).pop("_module_hooks", None)
        own = _Table()
        if not GLOBAL.any:
            return module.forward(*args, **kwargs)
    tables = (GLOBAL, own)
    if is_tracing():
        kinds = ("forward_pre", "forward", "backward_pre", "backward")
        fn = next(h for t in tables for kind in kinds for h in getattr(t, kind).values())
        raise CompileError(
            f"compile: {type(module).__name__} has the module hook '{_hooks.name_of(fn)}'; a compiled step "
            "runs no hooks. Remove it (handle.remove()) or call the step uncompiled"
        )
    result, ran = None, set()
    try:
        for key, hook in (*GLOBAL.forward_pre.items(), *own.forward_pre.items()):
            if key in own.pre_kwargs:
                got = hook(module, args, kwargs)
                if got is not None:
                    if not (isinstance(got, tuple) and len(got) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                            f"but got {got}."
                        )
                    args, kwargs = got
            else:
                got = hook(module, args)
                if got is not None:
                    args = got if isinstance(got, tuple) else (got,)
        backward = [*GLOBAL.backward.values(), *own.backward.values()]
        backward_pre = [*GLOBAL.backward_pre.values(), *own.backward_pre.values()]
        link = _Link(module, backward, backward_pre) if backward or backward_pre else None
        if link is not None:
            args = link.inputs(args)
        result = module.forward(*args, **kwargs)
        for table in tables:
            for key, hook in table.forward.items():
                if key in table.always:
                    ran.add(key)
                got = _forward_hook(table, key, hook, module, args, kwargs, result)
                if got is not None:
                    result = got
        if link is not None:
            if not isinstance(result, (Tensor, tuple)):
                warnings.warn(
                    "For backward hooks to be called, module output should be a Tensor or a tuple of Tensors "
                    f"but received {type(result)}",
                    stacklevel=3,
                )
            result = link.outputs(result)
        return result
    except Exception:
        for table in tables:  # (the always_call hooks that did not run yet)
            for key, hook in list(table.forward.items()):
                if key in table.always and key not in ran:
                    try:
                        got = _forward_hook(table, key, hook, module, args, kwargs, result)
                        if got is not None:
                            result = got
                    except Exception as e:
                        warnings.warn(
                            "module forward hook with ``always_call=True`` raised an exception that was "
                            f"silenced as another error was raised in forward: {e}",
                            stacklevel=3,
                        )
        raise


def _forward_hook(
    table: _Table, key: int, hook: Any, module: Any, args: tuple, kwargs: dict, result: Any
) -> Any:
    """One forward hook's call (with the kwargs if it was registered ``with_kwargs``)."""
    return hook(module, args, kwargs, result) if key in table.kwargs else hook(module, args, result)


class _Identity(Function):
    """The identity on a module's Tensor arguments or outputs, whose backward calls ``on_backward``
    with the gradients (torch's ``BackwardHookFunction`` and the hooks on its node)."""

    @staticmethod
    def forward(ctx: Any, on_backward: Any, materialize: bool, *tensors: Tensor) -> tuple[Tensor, ...]:
        ctx.mark_non_differentiable(*(t for t in tensors if not t.requires_grad))
        ctx.set_materialize_grads(materialize)
        ctx.on_backward = on_backward
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> tuple[Any, ...]:
        return (None, None, *ctx.on_backward(grads))


_Identity.__name__ = _Identity.__qualname__ = "BackwardHookFunction"


class _Link:
    """One call's backward hooks (torch's ``BackwardHook``): the identity nodes on its inputs and
    outputs, and the gradients of the outputs, kept for the inputs' hook."""

    def __init__(self, module: Any, hooks: list[Any], pre_hooks: list[Any]) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_inputs = self.n_outputs = 0
        self.input_index: list[int] | None = None
        self.output_index: list[int] | None = None

    def _wrap(self, values: tuple, on_backward: Any, materialize: bool) -> tuple[tuple, list[int] | None]:
        index = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
        if not (is_grad_enabled() and any(values[i].requires_grad for i in index)):
            return values, None
        made = _Identity.apply(on_backward, materialize, *(values[i] for i in index))
        out = list(values)
        for i, t in zip(index, made):
            out[i] = t
        return tuple(out), index

    def inputs(self, args: tuple) -> tuple:
        """The arguments, their Tensors through the node whose backward calls the full backward hooks."""
        self.n_inputs = len(args)
        wrapped, self.input_index = self._wrap(args, self._input_grads, True)
        return wrapped

    def outputs(self, result: Any) -> Any:
        """The output, its Tensors through the node whose backward calls the backward pre-hooks."""
        single = not isinstance(result, tuple)
        values = (result,) if single else result
        self.n_outputs = len(values)
        wrapped, self.output_index = self._wrap(values, self._output_grads, False)
        return wrapped[0] if single else wrapped

    @staticmethod
    def _packed(index: list[int], grads: Any, n: int) -> tuple:
        out: list[Any] = [None] * n
        for i, g in zip(index, grads):
            out[i] = g
        return tuple(out)

    def _output_grads(self, grads: tuple) -> tuple:
        assert self.output_index is not None  # (the node exists only where the output has Tensors)
        self.grad_outputs = self._packed(self.output_index, grads, self.n_outputs)
        for hook in self.pre_hooks:
            got = hook(self.module, self.grad_outputs)
            if got is None:
                continue
            if len(got) != len(self.grad_outputs):
                raise RuntimeError(
                    "Backward pre hook returned an invalid number of grad_output, got "
                    f"{len(got)}, but expected {len(self.grad_outputs)}"
                )
            self.grad_outputs = tuple(got)
        grad_outputs = self.grad_outputs
        if self.input_index is None:  # (no input requires grad: the full hooks run now, as torch's)
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to module outputs "
                "since no inputs require gradients.",
                stacklevel=2,
            )
            grad_inputs = (None,) * self.n_inputs
            for hook in self.hooks:
                got = hook(self.module, grad_inputs, self.grad_outputs)
                if got is not None and not (isinstance(got, tuple) and all(g is None for g in got)):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should always return "
                        "None or None for all gradients."
                    )
            self.grad_outputs = None
        return tuple(grad_outputs[i] for i in self.output_index)

    def _input_grads(self, grads: tuple) -> tuple:
        assert self.input_index is not None
        if self.grad_outputs is None:  # (a gradient reached the inputs without passing the outputs)
            return grads
        res = self._packed(self.input_index, grads, self.n_inputs)
        for hook in self.hooks:
            got = hook(self.module, res, self.grad_outputs)
            if got is None:
                continue
            if len(got) != len(res):
                raise RuntimeError(
                    "Backward hook returned an invalid number of grad_input, got "
                    f"{len(got)}, but expected {len(res)}"
                )
            res = tuple(got)
        self.grad_outputs = None
        return tuple(res[i] for i in self.input_index)
