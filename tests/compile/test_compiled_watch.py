"""The free-name watch of compiled steps reaches every function of the user's that the trace ran: a
name a helper, a nested helper or a Module's ``forward`` reads, bound to a new object, traces
again (the step used the old object, silently, when only the step's own names were watched); an
unrelated name does not. Numbers in closed form: ``sum(x * w)`` has gradient ``x``."""

from __future__ import annotations

import sys
import types
from typing import Any

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, nn

X = Tensor(np.array([1.0, 2.0, 3.0]))


def _w(value: float) -> Tensor:
    return Tensor(np.full(3, value), requires_grad=True)


HELPER_W = _w(1.0)


def _scaled(x: Tensor) -> Tensor:
    return x * HELPER_W


def test_a_global_read_by_a_helper_bound_anew_traces_again() -> None:
    global HELPER_W
    step = ag.compile(lambda x: _scaled(x).sum())
    assert step(X).item() == 6.0 and HELPER_W.grad.tolist() == [1.0, 2.0, 3.0]
    old, HELPER_W = HELPER_W, _w(2.0)
    assert step(X).item() == 12.0  # (6.0 from the old tensor before)
    assert HELPER_W.grad.tolist() == [1.0, 2.0, 3.0] and old.grad.tolist() == [1.0, 2.0, 3.0]
    assert step.trace_count == 2
    step(X)
    assert step.trace_count == 2  # (nothing rebound since)


def test_a_closure_variable_of_a_nested_helper_bound_anew_traces_again() -> None:
    scale = _w(1.0)

    def inner(x: Tensor) -> Tensor:
        return x * scale

    def outer(x: Tensor) -> Tensor:
        return inner(x) + 1.0

    step = ag.compile(lambda x: outer(x).sum())  # (its own cell holds outer, which holds inner)
    assert step(X).item() == 9.0
    scale = _w(-1.0)
    assert step(X).item() == -3.0 and scale.grad.tolist() == [1.0, 2.0, 3.0]
    assert step.trace_count == 2


def _double(x: Tensor) -> Tensor:
    return x * 2.0


def _triple(x: Tensor) -> Tensor:
    return x * 3.0


ACTIVATION = _double


def _layer(x: Tensor, w: Tensor) -> Tensor:
    return ACTIVATION(x * w)


def test_a_function_a_helper_calls_bound_anew_traces_again() -> None:
    """A name bound to a function (a module or a class alike) is watched as any other."""
    global ACTIVATION
    w = _w(1.0)
    step = ag.compile(lambda x: _layer(x, w).sum())
    assert step(X).item() == 12.0
    ACTIVATION = _triple
    assert step(X).item() == 18.0 and w.grad.tolist() == [5.0, 10.0, 15.0]  # (2x then 3x)
    assert step.trace_count == 2


MODULE_GAIN = _w(1.0)


class _Gained(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x * MODULE_GAIN


def test_a_global_read_in_a_modules_forward_bound_anew_traces_again() -> None:
    """The forward is reached through the library's Module.__call__ and Sequential."""
    global MODULE_GAIN
    model = nn.Sequential(_Gained())
    step = ag.compile(lambda x: model(x).sum())
    assert step(X).item() == 6.0
    MODULE_GAIN = _w(0.5)
    assert step(X).item() == 3.0 and MODULE_GAIN.grad.tolist() == [1.0, 2.0, 3.0]
    assert step.trace_count == 2


def test_a_closure_variable_of_a_method_is_watched() -> None:
    """A class made inside a function: its forward's closure is found through ``self``."""
    gain = _w(2.0)

    class Local(nn.Module):
        def forward(self, x: Tensor) -> Tensor:
            return x * gain

    model = Local()
    step = ag.compile(lambda x: model(x).sum())
    assert step(X).item() == 12.0
    gain = _w(3.0)
    assert step(X).item() == 18.0 and step.trace_count == 2


UNRELATED = _w(1.0)
NOT_RUN = _w(1.0)


def _not_run(x: Tensor) -> Tensor:
    return x * NOT_RUN


def _branch(x: Tensor, take: bool) -> Tensor:
    return _not_run(x) if take else x * HELPER_W


def test_a_name_the_trace_did_not_read_bound_anew_does_not_trace_again() -> None:
    global UNRELATED, NOT_RUN
    step = ag.compile(lambda x: _branch(x, False).sum())
    value = step(X).item()
    UNRELATED = _w(5.0)  # (read by no function)
    NOT_RUN = _w(5.0)  # (read only by a function the trace did not run)
    assert step(X).item() == value and step.trace_count == 1


LAST_LOSS: Any = None


def _logged(x: Tensor, w: Tensor) -> Tensor:
    global LAST_LOSS
    loss = LAST_LOSS = (x * w).sum()
    return loss


def test_a_global_a_helper_only_assigns_is_not_watched() -> None:
    """The trace binds it to a new Tensor; it is not read, so the program stands (one trace)."""
    w = _w(1.0)
    step = ag.compile(lambda x: _logged(x, w))
    assert step(X).item() == 6.0 and step(X).item() == 6.0 and step.trace_count == 1


HELPER_STEPS = 1000


def _warmup(x: Tensor) -> Tensor:
    return x * min(1.0, HELPER_STEPS / 2000)


def test_a_number_read_by_a_helper_is_part_of_the_program() -> None:
    """A changed int traces again (its value is in the code), an equal one bound again does not."""
    global HELPER_STEPS
    w = _w(1.0)
    step = ag.compile(lambda x: (_warmup(x) * w).sum())
    assert step(X).item() == 3.0
    HELPER_STEPS = int("1000")  # (another object, the same number)
    assert step(X).item() == 3.0 and step.trace_count == 1
    HELPER_STEPS = 1500
    assert step(X).item() == 4.5 and step.trace_count == 2


USER_MODULE = types.ModuleType("user_helpers")
USER_MODULE.__file__ = __file__  # (a module of the user's: its attributes the code names are watched)
USER_MODULE.W = _w(1.0)


def test_an_attribute_of_a_users_module_bound_anew_traces_again() -> None:
    step = ag.compile(lambda x: (x * USER_MODULE.W).sum())
    assert step(X).item() == 6.0
    USER_MODULE.W = _w(2.0)
    assert step(X).item() == 12.0 and step.trace_count == 2


HVP_SCALE = Tensor(np.array([1.0, 2.0]))


def _squared(x: Tensor) -> Tensor:
    return ((x * HVP_SCALE) ** 2).sum()


def test_a_compiled_hvp_watches_a_helpers_global() -> None:
    """H = diag(2 s²): the product with v = 1 is 2 s²."""
    global HVP_SCALE
    compiled = ag.compile(lambda x: _squared(x))
    x, v = Tensor(np.array([1.0, 1.0])), Tensor(np.array([1.0, 1.0]))
    assert ag.hvp(compiled, x, v).tolist() == [2.0, 8.0]
    HVP_SCALE = Tensor(np.array([3.0, 1.0]))
    assert ag.hvp(compiled, x, v).tolist() == [18.0, 2.0]
    assert ag.hessian(compiled)(x).tolist() == [[18.0, 0.0], [0.0, 2.0]]


COUNTER = 0


def _counted(x: Tensor) -> Tensor:
    return x * float(COUNTER)


def test_tracing_again_and_again_names_the_rebound_name() -> None:
    global COUNTER
    w = _w(1.0)
    step = ag.compile(lambda x: (_counted(x) * w).sum())
    with pytest.warns(RuntimeWarning, match="traced 8 times.*COUNTER, a global read by _counted"):
        for k in range(8):
            COUNTER = k + 1000
            assert step(X).item() == 6.0 * COUNTER


def test_a_function_made_while_tracing_and_another_profiler_are_fine() -> None:
    """A ``def`` inside the step (its cells are new at every call) traces once; a profile function
    installed by another tool is left in place (only the step's own names are watched then)."""
    w = _w(1.0)

    def loss(x: Tensor) -> Tensor:
        def inner() -> Tensor:
            return x * w

        return inner().sum()

    step = ag.compile(loss)
    assert step(X).item() == 6.0 and step(X).item() == 6.0 and step.trace_count == 1
    events: list[str] = []

    def profiler(frame: Any, event: str, arg: Any) -> None:
        events.append(event)

    other = ag.compile(lambda x: _scaled(x).sum())
    sys.setprofile(profiler)
    try:
        other(X)
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)
    assert "call" in events
    w = _w(2.0)
    assert step(X).item() == 12.0 and step.trace_count == 2


NAMESPACE = types.SimpleNamespace(W=_w(1.0), log=[], step=0)


class _Config:
    """A plain class of the user's: its instances' attributes the code reads are watched."""

    def __init__(self, scale: float) -> None:
        self.scale, self.epoch = scale, 0


def test_an_attribute_of_a_plain_object_a_global_holds_bound_anew_traces_again() -> None:
    step = ag.compile(lambda x: (x * NAMESPACE.W).sum())
    assert step(X).item() == 6.0
    NAMESPACE.step += 1  # (an attribute the code does not read: nothing)
    NAMESPACE.log = [1.0]
    assert step(X).item() == 6.0 and step.trace_count == 1
    NAMESPACE.W = _w(2.0)
    assert step(X).item() == 12.0 and NAMESPACE.W.grad.tolist() == [1.0, 2.0, 3.0]
    assert step.trace_count == 2


def test_a_number_attribute_of_a_users_object_in_a_closure_is_part_of_the_program() -> None:
    cfg = _Config(2.0)
    w = _w(1.0)
    step = ag.compile(lambda x: (x * w * cfg.scale).sum())
    assert step(X).item() == 12.0
    cfg.epoch += 1
    cfg.scale = 2.0  # (an equal float: the same value)
    assert step(X).item() == 12.0 and step.trace_count == 1
    cfg.scale = 0.5
    assert step(X).item() == 3.0 and step.trace_count == 2
