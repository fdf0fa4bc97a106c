"""Module hooks (forward pre-hooks and hooks, full backward pre-hooks and hooks, the global ones) side by
side with torch 2.13: the same program runs on both libraries (float64, the same parameters) and
what every hook saw, the outputs, the gradients and the order of the calls must agree. Rules:
autograd/nn/hooks.py."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag
from autograd.graph import CompileError

LIBS = (ag, torch)


def numbers(x: Any) -> Any:
    if isinstance(x, torch.Tensor):
        return x.detach().numpy().copy()
    if isinstance(x, ag.Tensor):
        return np.array(x.data)
    return x


def same(ours: Any, theirs: Any, what: str = "") -> None:
    """Nested results equal (arrays to 1e-12; strings, numbers, None, bools exactly)."""
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs), (what, ours, theirs)
        for k, (a, b) in enumerate(zip(ours, theirs)):
            same(a, b, f"{what}[{k}]")
    elif isinstance(theirs, (torch.Tensor, np.ndarray)):
        assert isinstance(ours, (ag.Tensor, np.ndarray)), (what, type(ours))
        a, b = numbers(ours), numbers(theirs)
        assert a.shape == b.shape, (what, a.shape, b.shape)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=what)
    else:
        assert ours == theirs, (what, ours, theirs)


def both(program: Any) -> None:
    same(program(ag), program(torch), program.__name__)


def tensor(lib: Any, values: Any, requires_grad: bool = True) -> Any:
    return lib.tensor(np.asarray(values, dtype=np.float64), dtype=lib.float64, requires_grad=requires_grad)


def linear(lib: Any, n_in: int, n_out: int, seed: int = 0) -> Any:
    """A float64 Linear with the same parameters in both libraries."""
    rng = np.random.default_rng(seed)
    layer = lib.nn.Linear(n_in, n_out).double()
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(rng.normal(size=(n_out, n_in)), dtype=lib.float64))
        layer.bias.copy_(lib.tensor(rng.normal(size=n_out), dtype=lib.float64))
    return layer


def grads(xs: Any) -> list:
    return [None if g is None else numbers(g) for g in xs]


X = np.array([[0.5, -1.0], [2.0, 0.25], [-0.75, 1.5]])


def test_forward_pre_hook_and_forward_hook_replace_args_and_output() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        layer = linear(lib, 2, 3)
        def pre(m: Any, args: Any) -> Any:
            log.append(("pre", len(args)))
            return args[0] * 2  # (one value: it becomes the 1-tuple of args)

        def fwd(m: Any, args: Any, out: Any) -> Any:
            log.append(("fwd", numbers(args[0])))
            return out.tanh()

        layer.register_forward_pre_hook(pre)
        layer.register_forward_hook(fwd)
        x = tensor(lib, X)
        out = layer(x)
        out.sum().backward()
        return log, out, x.grad, layer.weight.grad, layer.bias.grad

    both(program)


def test_kwargs_prepend_and_global_hooks_order() -> None:
    def program(lib: Any) -> Any:
        log: list = []

        class Scale(lib.nn.Module):
            def forward(self, x: Any, factor: float = 1.0) -> Any:
                log.append(("forward", factor))
                return x * factor

        m = Scale()
        hooks = lib.nn.modules.module
        handles = [
            m.register_forward_pre_hook(lambda mod, args: log.append("pre")),
            m.register_forward_pre_hook(lambda mod, args: log.append("pre first"), prepend=True),
            m.register_forward_pre_hook(
                lambda mod, args, kwargs: (log.append(("pre kw", kwargs)), (args, {"factor": 3.0}))[1],
                with_kwargs=True,
            ),
            m.register_forward_hook(lambda mod, args, out: log.append("fwd")),
            m.register_forward_hook(
                lambda mod, args, kwargs, out: (log.append(("fwd kw", kwargs)), out + 1)[1], with_kwargs=True
            ),
            m.register_forward_hook(lambda mod, args, out: log.append("fwd first"), prepend=True),
            hooks.register_module_forward_pre_hook(lambda mod, args: log.append("global pre")),
            hooks.register_module_forward_hook(lambda mod, args, out: log.append("global fwd")),
        ]
        try:
            out = m(tensor(lib, [1.0, 2.0]), factor=2.0)
        finally:
            for h in handles[-2:]:
                h.remove()
        handles[0].remove()
        again = m(tensor(lib, [1.0, 2.0]))
        return log, out, again

    both(program)
    log = program(ag)[0]
    assert log[:4] == ["global pre", "pre first", "pre", ("pre kw", {"factor": 2.0})]


def test_always_call_runs_when_forward_raises() -> None:
    def program(lib: Any) -> Any:
        log: list = []

        class Fails(lib.nn.Module):
            def forward(self, x: Any) -> Any:
                raise ValueError("boom")

        m = Fails()
        m.register_forward_hook(lambda mod, args, out: log.append(("always", out)), always_call=True)
        m.register_forward_hook(lambda mod, args, out: log.append("never"))
        with pytest.raises(ValueError, match="boom"):
            m(tensor(lib, [1.0]))
        return log

    both(program)
    assert program(ag) == [("always", None)]


def test_full_backward_hooks_on_linear_see_and_replace_the_gradients() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        layer = linear(lib, 2, 3)

        def pre(m: Any, grad_output: Any) -> Any:
            log.append(("pre", grads(grad_output)))
            return (grad_output[0] * 2,)

        def full(m: Any, grad_input: Any, grad_output: Any) -> Any:
            log.append(("full", grads(grad_input), grads(grad_output)))
            return (grad_input[0] + 1,)

        layer.register_full_backward_pre_hook(pre)
        layer.register_full_backward_hook(full)
        x = tensor(lib, X)
        out = layer(x)
        (out**2).sum().backward()
        return log, x.grad, layer.weight.grad, layer.bias.grad, out.grad_fn is not None

    both(program)
    log = program(ag)[0]
    assert [entry[0] for entry in log] == ["pre", "full"]


def test_backward_hooks_on_sequential_and_its_children_run_in_torchs_order() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        net = lib.nn.Sequential(linear(lib, 2, 4, 1), lib.nn.Tanh(), linear(lib, 4, 1, 2))
        for name, m in [("net", net), ("fc1", net[0]), ("act", net[1]), ("fc2", net[2])]:
            m.register_forward_pre_hook(lambda mod, args, name=name: log.append(f"{name} pre"))
            m.register_forward_hook(lambda mod, args, out, name=name: log.append(f"{name} fwd"))
            m.register_full_backward_pre_hook(
                lambda mod, go, name=name: log.append((f"{name} bpre", grads(go)))
            )
            m.register_full_backward_hook(
                lambda mod, gi, go, name=name: log.append((f"{name} bwd", grads(gi), grads(go)))
            )
        x = tensor(lib, X)
        loss = (net(x) ** 2).mean()
        loss.backward()
        return log, x.grad, [p.grad for p in net.parameters()]

    both(program)


def test_several_inputs_and_tuple_outputs_with_none_and_zeros_as_torch() -> None:
    def program(lib: Any) -> Any:
        log: list = []

        class Two(lib.nn.Module):
            def forward(self, a: Any, b: Any, k: int = 3) -> Any:
                return a * b, a + 1, 5

        m = Two()
        m.register_full_backward_pre_hook(lambda mod, go: log.append(("pre", grads(go))))
        m.register_full_backward_hook(lambda mod, gi, go: log.append(("full", grads(gi), grads(go))))
        a, b = tensor(lib, [1.0, 2.0]), tensor(lib, [3.0, 4.0], requires_grad=False)
        out = m(a, b, k=4)
        out[0].sum().backward()  # (the second output unused: its grad_output is None)
        out = m(a, 2.0)
        (out[0].sum() + (out[1] ** 2).sum()).backward()
        return log, a.grad, out[2]

    both(program)
    log = program(ag)[0]
    same(log[1][1], [np.array([3.0, 4.0]), np.zeros(2)])  # (b requires no grad: zeros, as torch)


def test_hooks_returning_new_gradients_for_several_inputs() -> None:
    def program(lib: Any) -> Any:
        class Mix(lib.nn.Module):
            def forward(self, a: Any, b: Any) -> Any:
                return (a * b).sin(), a - b

        m = Mix()
        m.register_full_backward_pre_hook(lambda mod, go: (go[0] * 10, go[1]))
        m.register_full_backward_hook(lambda mod, gi, go: (gi[0] + 1, gi[1] * -1))
        a, b = tensor(lib, [0.1, 0.7]), tensor(lib, [1.5, -0.3])
        p, q = m(a, b)
        (p.sum() * q.sum()).backward()
        return a.grad, b.grad

    both(program)


def test_no_input_requires_grad_the_full_hook_runs_from_the_outputs_with_torchs_warning() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        layer = linear(lib, 2, 3)
        layer.register_full_backward_hook(lambda m, gi, go: log.append((grads(gi), grads(go))))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layer(tensor(lib, X, requires_grad=False)).sum().backward()
        said = [str(w.message) for w in caught if "Full backward hook is firing" in str(w.message)]
        return log, len(said), layer.weight.grad

    both(program)


def test_create_graph_through_a_backward_hook_that_scales() -> None:
    def program(lib: Any) -> Any:
        layer = linear(lib, 2, 1)
        layer.register_full_backward_hook(lambda m, gi, go: (gi[0] * 3,))
        x = tensor(lib, X)
        y = (layer(x).tanh() ** 2).sum()
        (gx,) = lib.autograd.grad(y, x, create_graph=True)
        (gxx,) = lib.autograd.grad((gx**2).sum(), x)
        return gx, gxx

    both(program)


def test_removal_and_the_plain_path_again() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        layer = linear(lib, 2, 3)
        handles = [
            layer.register_forward_hook(lambda m, a, o: log.append("fwd")),
            layer.register_full_backward_hook(lambda m, gi, go: log.append("bwd")),
        ]
        layer(tensor(lib, X)).sum().backward()
        for h in handles:
            h.remove()
        out = layer(tensor(lib, X))
        out.sum().backward()
        return log, "BackwardHook" in repr(out.grad_fn)

    both(program)
    layer = linear(ag, 2, 3)
    layer.register_forward_hook(lambda m, a, o: None).remove()
    layer(tensor(ag, X))
    assert "_module_hooks" not in vars(layer)


def test_errors_as_torchs() -> None:
    for lib in LIBS:
        layer = linear(lib, 2, 3)
        h = layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        with pytest.raises(RuntimeError, match="Backward hook returned an invalid number of grad_input, got"):
            layer(tensor(lib, X)).sum().backward()
        h.remove()
        h = layer.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
        with pytest.raises(RuntimeError, match="Backward pre hook returned an invalid number of grad_output"):
            layer(tensor(lib, X)).sum().backward()
        h.remove()
        layer.register_forward_pre_hook(lambda m, a, k: 3, with_kwargs=True)
        with pytest.raises(RuntimeError, match=r"forward pre-hook must return None or a tuple of \(new_args"):
            layer(tensor(lib, X))
    with pytest.raises(TypeError, match="register_forward_hook: hook must be callable, got int 3"):
        ag.nn.Linear(2, 3).register_forward_hook(3)


def test_compiled_steps_refuse_module_hooks_also_registered_after_the_trace() -> None:
    layer = ag.nn.Linear(2, 1)
    x = ag.tensor(X)

    @ag.compile
    def step(x: Any) -> Any:
        return layer(x).sum()

    step(x)
    assert step.trace_count == 1
    handle = layer.register_forward_hook(lambda m, a, o: o * 2)
    with pytest.raises(CompileError, match="Linear has the module hook '<lambda>'; a compiled step runs no"):
        step(x)
    handle.remove()
    step(x)
    handle = ag.nn.modules.module.register_module_full_backward_hook(lambda m, gi, go: None)
    try:
        with pytest.raises(CompileError, match="module hook"):
            step(x)
    finally:
        handle.remove()
    layer.zero_grad()
    step(x)
    np.testing.assert_allclose(layer.weight.grad.data, X.sum(0, keepdims=True))
