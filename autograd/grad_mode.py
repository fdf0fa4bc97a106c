"""The engine's switches, graph recording (``no_grad``) and anomaly detection, kept per context.

Both live in one context variable, so each thread and each asyncio task has its
own (as PyTorch keeps grad mode per thread): a ``no_grad`` in one thread never
turns recording off in another, and leaving a block restores what the same
context had before, whatever other threads did meanwhile. New threads start
with recording on and anomaly detection off; an asyncio task starts with a copy
of its creator's modes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

import numpy as np

#: bit flags of the state; 0 (record, no anomaly checks) is the fast common case. RECORD_ALL:
#: tracing for a compiled step, operations on Tensors that need no gradient are recorded too (a
#: captured buffer is then read at every call instead of becoming a constant of the trace)
NO_GRAD, ANOMALY, RECORD_ALL = 1, 2, 4
#: FORWARD_AD: a dual level is open (:mod:`autograd.autograd.forward_ad`): each operation gives its result
#: a tangent where an input has one
FORWARD_AD = 8
#: INFERENCE: inside ``inference_mode()`` (with NO_GRAD); only :func:`is_inference_mode_enabled` reads it
INFERENCE = 16
#: SAVED_HOOKS: a ``saved_tensors_hooks`` block is active (:mod:`autograd._packed`): each recorded node
#: packs what torch saves for its backward
SAVED_HOOKS = 32
_state: ContextVar[int] = ContextVar("autograd_mode", default=0)
#: ``state()``: the current context's flags (the hot paths call it once per operation)
state = _state.get


def is_grad_enabled() -> bool:
    """Whether operations record a graph in this thread or asyncio task (``torch.is_grad_enabled``).

    Returns
    -------
    bool
        False inside :func:`no_grad`, True otherwise (unless :func:`enable_grad` turned it off).
    """
    return not state() & NO_GRAD


def is_inference_mode_enabled() -> bool:
    """Whether an ``inference_mode()`` block is active in this thread or asyncio task
    (``torch.is_inference_mode_enabled``): True inside one, also under ``enable_grad`` or
    ``no_grad`` there; False inside ``inference_mode(False)`` and in a new thread.
    """
    return bool(state() & INFERENCE)


def is_anomaly_enabled() -> bool:
    """Whether ``detect_anomaly`` is active in this thread/task."""
    return bool(state() & ANOMALY)


@contextmanager
def _flag(flag: int, on: bool) -> Iterator[None]:
    old = state()
    token = _state.set(old | flag if on else old & ~flag)
    try:
        yield
    finally:
        _state.reset(token)


def record_all() -> Any:
    """Context manager: operations on Tensors that need no gradient record their inputs too (their
    results still do not require grad; no gradient passes through them). ``autograd.compile``
    traces with it, so a captured Tensor without grad (a running statistic) stays a leaf of the
    graph, read at every call, rather than a constant of the trace."""
    return _flag(RECORD_ALL, True)


def no_grad() -> Any:
    """Context manager in which operations build no graph (``torch.no_grad``).

    The mode holds for the current thread or asyncio task only. Use it for evaluation and for
    updates that must not be recorded.

    Examples
    --------
    >>> from autograd import Tensor, no_grad
    >>> w = Tensor([1.0], requires_grad=True)
    >>> with no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """
    return _flag(NO_GRAD, True)


def enable_grad(enabled: bool = True) -> Any:
    """Context manager that turns recording on, or off with ``enabled=False`` (``torch.enable_grad``).

    Parameters
    ----------
    enabled : bool
        Whether operations inside the block record a graph (default True).
    """
    return _flag(NO_GRAD, not enabled)


class set_grad_enabled:  # noqa: N801 (torch's name; a function call or a context manager)
    """Turn recording on or off (``torch.set_grad_enabled``): at once, for the current thread or
    asyncio task, and, used as a context manager, back to what it was when the block ends::

        with set_grad_enabled(phase == "train"):
            loss = model(x)

    Parameters
    ----------
    mode : bool
        Whether operations record a graph.
    """

    def __init__(self, mode: bool) -> None:
        old = state()
        self._token = _state.set(old & ~NO_GRAD if mode else old | NO_GRAD)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        _state.reset(self._token)


class inference_mode:  # noqa: N801 (torch's name; a context manager and a decorator)
    """Context manager and decorator in which operations build no graph (``torch.inference_mode``).

    ``with inference_mode():``, ``@inference_mode()`` and ``@inference_mode`` all work;
    ``inference_mode(False)`` (torch's ``mode`` argument) records, as torch's does (even inside
    ``no_grad``), so ``inference_mode(not training)`` can wrap both phases. Here it is :func:`no_grad` under
    torch's other name: torch also marks the tensors made inside as "inference tensors" that may
    never enter a graph later; this library makes ordinary constant tensors instead (no error
    where torch would raise one). The mode holds for the current thread or asyncio task only.

    Parameters
    ----------
    mode : bool or callable
        True (the default) turns recording off inside; False turns it on. A function given
        in its place is decorated (``@inference_mode`` without parentheses).

    Raises
    ------
    TypeError
        If ``mode`` is neither a bool nor a function.

    Examples
    --------
    >>> import autograd
    >>> w = autograd.tensor([1.0], requires_grad=True)
    >>> with autograd.inference_mode():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, bool):
            return super().__new__(cls)
        if callable(mode):
            return cls()(mode)
        raise TypeError(f"inference_mode: mode must be a bool (or a function to decorate), got {mode!r}")

    def __init__(self, mode: Any = True) -> None:
        self.mode = bool(mode)
        self._tokens: list[Any] = []

    def __enter__(self) -> None:
        old = state()
        on = NO_GRAD | INFERENCE
        self._tokens.append(_state.set(old | on if self.mode else old & ~on))

    def __exit__(self, *exc: object) -> None:
        _state.reset(self._tokens.pop())

    def __call__(self, fn: Any) -> Any:
        import functools

        mode = self.mode

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(mode):
                return fn(*args, **kwargs)

        return run

    def clone(self) -> inference_mode:
        """A new, unentered ``inference_mode`` of the same ``mode`` (torch's method)."""
        return inference_mode(self.mode)


def detect_anomaly() -> Any:
    """Context manager that raises ``FloatingPointError`` at the first nan or inf
    (``torch.autograd.detect_anomaly``).

    The error names the operation that produced it and whether it happened in the forward pass
    (the operation's value) or the backward pass (a gradient). The mode holds for the current
    thread or asyncio task only.

    Raises
    ------
    FloatingPointError
        Inside the block, at the first non-finite value or gradient.
    """
    return _flag(ANOMALY, True)


def anomaly_error(op: str, phase: str, detail: str = "") -> FloatingPointError:
    """The error raised by ``detect_anomaly`` for op ``op`` in ``phase``."""
    return FloatingPointError(
        f"detect_anomaly: operation '{op}' produced a non-finite value (nan or inf) "
        f"in the {phase} pass{': ' + detail if detail else ''}"
    )


# numpy's floating-point error state, silenced while the engine computes (log(0) = -inf and
# overflow to inf are results, not warnings, as in PyTorch): ``token = quiet()`` ... ``loud(token)``.
def _errstate_enter() -> Any:
    errstate = np.errstate(all="ignore")
    errstate.__enter__()
    return errstate


def _errstate_exit(errstate: Any) -> None:
    errstate.__exit__(None, None, None)


def _contextvar_pair() -> tuple[Any, Any]:
    """numpy >= 2 keeps that state in a context variable. Setting it directly costs a tenth of
    what ``np.errstate`` does, which counts when every small operation enters it."""
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    enter = partial(_extobj_contextvar.set, _make_extobj(all="ignore"))
    token = enter()
    try:
        works = set(np.geterr().values()) == {"ignore"}
    finally:
        _extobj_contextvar.reset(token)
    if not works:
        raise ImportError("numpy's error-state internals changed")
    return enter, _extobj_contextvar.reset


try:
    quiet, loud = _contextvar_pair()
except Exception:  # pragma: no cover - numpy 1.x, or a numpy whose internals moved
    quiet, loud = _errstate_enter, _errstate_exit
