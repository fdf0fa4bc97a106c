"""Tensor hooks (``register_hook``, ``register_post_accumulate_grad_hook``) side by side with torch 2.13:
the same program runs on both libraries (float64) and every gradient a hook saw, the ``.grad``s and
the order the hooks ran in must agree. See autograd/_hooks.py for the rules."""

from __future__ import annotations

import copy
import gc
import pickle
import weakref
from typing import Any

import numpy as np
import pytest
import torch
from engine_helpers import close

import autograd as ag
from autograd import _hooks
from autograd.graph import CompileError
from autograd.utils.hooks import RemovableHandle

LIBS = (ag, torch)


def leaf(lib: Any, values: Any) -> Any:
    return lib.tensor(np.asarray(values, dtype=np.float64), dtype=lib.float64, requires_grad=True)


def numbers(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        return x.detach().numpy().copy()
    return np.array(x.data if isinstance(x, ag.Tensor) else x, dtype=np.float64)


def same(ours: Any, theirs: Any, what: str = "") -> None:
    """Nested lists/tuples/dicts of results equal (numbers to 1e-12, strings and None exactly)."""
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs), (what, ours, theirs)
        for k, (a, b) in enumerate(zip(ours, theirs)):
            same(a, b, f"{what}[{k}]")
    elif theirs is None or isinstance(theirs, (str, bool)):
        assert ours == theirs, (what, ours, theirs)
    else:
        assert ours is not None, what
        close(numbers(ours), numbers(theirs), 1e-12, 1e-12, what)


def both(program: Any) -> None:
    """``program(lib)`` on autograd and on torch: the same results."""
    same(program(ag), program(torch), program.__name__)


def logged(log: list, name: str, result: Any = None) -> Any:
    """A hook that records (name, grad) and returns ``result(grad)`` (None: keeps it)."""

    def hook(g: Any) -> Any:
        log.append((name, numbers(g)))
        return None if result is None else result(g)

    return hook


def test_non_leaf_hook_replaces_the_gradient_for_its_inputs_and_its_retained_grad() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        x = leaf(lib, [1.0, 2.0])
        y = x * 3
        y.retain_grad()
        y.register_hook(logged(log, "double", lambda g: g * 2))
        y.register_hook(logged(log, "look"))
        z = (y * y).sum() + y.sum()
        z.backward()
        return log, y.grad, x.grad

    both(program)
    log, y_grad, x_grad = program(ag)
    assert [n for n, _ in log] == ["double", "look"]
    close(log[1][1], [14.0, 26.0])  # (the second hook sees the first one's result: 2 (2y + 1))
    close(y_grad.data, [14.0, 26.0])
    close(x_grad.data, [42.0, 78.0])


@pytest.mark.parametrize("retain_first", [True, False])
def test_retain_grad_keeps_the_hooks_result_whatever_the_order(retain_first: bool) -> None:
    def program(lib: Any) -> Any:
        x = leaf(lib, [1.0, 2.0])
        y = x * 3
        if retain_first:
            y.retain_grad()
        y.register_hook(lambda g: g * 10)
        if not retain_first:
            y.retain_grad()
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        return y.grad, x.grad

    both(program)
    close(program(ag)[0].data, [20.0, 20.0])


def test_a_leaf_hook_changes_what_is_accumulated() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        x = leaf(lib, [1.0, 2.0])
        x.register_hook(logged(log, "x", lambda g: g + 1))
        (x * x).sum().backward()
        first = numbers(x.grad)
        (x * x + x).sum().backward()
        return log, first, x.grad

    both(program)
    close(program(ag)[2].data, [3 + 4, 5 + 6])


def test_hooks_run_in_registration_order_each_on_the_last_result_and_removal() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        x = leaf(lib, [0.5, -1.0, 2.0])
        y = x.exp()
        handles = [
            y.register_hook(logged(log, "a", lambda g: g * 2)),
            y.register_hook(logged(log, "b", lambda g: g + 1)),
            y.register_hook(logged(log, "c")),
        ]
        y.sum().backward(retain_graph=True)
        handles[1].remove()
        handles[1].remove()  # (twice: nothing happens)
        with handles[2]:  # (a handle is a context manager: removed at the end of the block)
            y.sum().backward(retain_graph=True)
        y.sum().backward()
        return log, x.grad

    both(program)
    assert [n for n, _ in program(ag)[0]] == ["a", "b", "c", "a", "c", "a"]


def test_order_across_tensors_as_torch() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        a, w = leaf(lib, [1.0, -2.0]), leaf(lib, [0.5, 3.0])
        a2 = a * 2
        h = a2 * w
        out = (h.tanh() * a2).sum()
        for name, t in (("a", a), ("w", w), ("a2", a2), ("h", h), ("out", out)):
            t.register_hook(logged(log, name, lambda g: g * 1.5))
        out.backward()
        return log, a.grad, w.grad

    both(program)
    assert [n for n, _ in program(ag)[0]] == ["out", "h", "w", "a2", "a"]


def test_autograd_grad_applies_the_hooks_to_what_it_returns() -> None:
    def program(lib: Any) -> Any:
        x = leaf(lib, [1.0, 2.0])
        x.register_hook(lambda g: g + 1)
        (gx,) = lib.autograd.grad((x * x).sum(), x)
        y = x * 3
        y.retain_grad()
        y.register_hook(lambda g: g * 5)
        (gy,) = lib.autograd.grad((y * y).sum(), y, retain_graph=True)
        # (y's node runs on to x: torch captures y's gradient before its hook; y.grad keeps the hook's)
        gy2, gx2 = lib.autograd.grad((y * y).sum(), [y, x])
        return gx, gy, gy2, gx2, y.grad, x.grad

    both(program)
    gx, gy, gy2, gx2, y_grad, grad = program(ag)
    close(numbers(gx), [3.0, 5.0])
    close(numbers(gy), [30.0, 60.0])
    close(numbers(gy2), [6.0, 12.0])
    close(numbers(gx2), [91.0, 181.0])
    close(y_grad.data, [60.0, 120.0])
    assert grad is None


def test_backward_inputs_with_hooks() -> None:
    def program(lib: Any) -> Any:
        x = leaf(lib, [1.0, 2.0])
        x.register_hook(lambda g: g + 1)
        y = x * 3
        y.register_hook(lambda g: g * 5)
        (y * y).sum().backward(inputs=[y])
        first = (numbers(y.grad), x.grad)
        y2 = x * 3
        y2.register_hook(lambda g: g * 5)
        (y2 * y2).sum().backward(inputs=[x])
        return first, x.grad

    both(program)
    close(program(ag)[1].data, [91.0, 181.0])


def test_hooks_on_the_root_on_a_leaf_root_and_on_a_view() -> None:
    def program(lib: Any) -> Any:
        x = leaf(lib, [1.0, 2.0, 3.0])
        s = (x * 3).sum()
        s.register_hook(lambda g: g * 2)
        s.backward()
        root_case = numbers(x.grad)
        c = leaf(lib, 2.0)
        c.register_hook(lambda g: g * 4)
        c.backward()
        b = x * 1
        v = b[1:]
        v.register_hook(lambda g: g * 10)
        x.grad = None
        (v.sum() + b.sum()).backward()
        return root_case, c.grad, x.grad

    both(program)
    close(program(ag)[2].data, [1.0, 11.0, 11.0])


def test_a_hook_reached_by_several_outputs_runs_once_on_their_sum() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        x = leaf(lib, [1.0, -1.0])
        y = x.sin()
        y.register_hook(logged(log, "y", lambda g: -g))
        grads = lib.autograd.grad([(y * 2).sum(), (y * y).sum()], x)
        return log, grads

    both(program)
    assert len(program(ag)[0]) == 1


def test_autograd_backward_of_several_roots_is_one_pass_for_the_hooks() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        x = leaf(lib, [1.0, 2.0])
        y = x * 3
        y.register_hook(logged(log, "y", lambda g: g.clamp(max=4)))  # (not linear: once on the sum)
        z = y * y
        z.register_hook(logged(log, "z"))
        seed = lib.tensor([1.0, -1.0], dtype=lib.float64)
        lib.autograd.backward([(y * 2).sum(), z], [None, seed])
        return log, x.grad

    both(program)
    assert [n for n, _ in program(ag)[0]] == ["z", "y"]


def test_create_graph_hook_gets_and_returns_graph_tensors() -> None:
    seen: dict = {}

    def program(lib: Any) -> Any:
        seen[lib.__name__] = []
        x = leaf(lib, [1.0, 2.0])
        y = x**2

        def scale(g: Any) -> Any:
            seen[lib.__name__].append(g.requires_grad)
            return g * x

        y.register_hook(scale)
        (y**2).sum().backward(create_graph=True)
        first = x.grad
        (second,) = lib.autograd.grad(first.sum(), x)  # (the hook runs again, on this pass)
        return first, second

    both(program)
    first, second = program(ag)
    close(first.data, [4.0, 64.0])  # 4 x^4
    close(numbers(second), [16.0, 192.0])
    assert seen["autograd"] == seen["torch"] == [True, False]


def test_create_graph_autograd_grad_through_a_hook_that_scales() -> None:
    def program(lib: Any) -> Any:
        x = leaf(lib, [0.3, -0.7, 1.1])
        y = x.tanh()
        y.register_hook(lambda g: 3 * g)
        (g,) = lib.autograd.grad((y**3).sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), x)
        return g, gg

    both(program)


def test_post_accumulate_grad_hooks() -> None:
    def program(lib: Any) -> Any:
        log: list = []
        x = leaf(lib, [1.0, 2.0])
        x.register_post_accumulate_grad_hook(lambda t: log.append(("post", t is x, numbers(t.grad))))
        x.register_hook(lambda g: g * 2)
        (x * x).sum().backward()
        lib.autograd.grad((x * x).sum(), x)  # (writes no .grad: no call)
        (x * x).sum().backward(inputs=[x])
        (x * x).sum().backward(create_graph=True)
        return log

    both(program)
    log = program(ag)
    assert [entry[:2] for entry in log] == [("post", True)] * 3
    close(log[1][2], [8.0, 16.0])


def test_a_post_accumulate_hook_may_step_the_parameter() -> None:
    def program(lib: Any) -> Any:
        w = leaf(lib, [1.0, -2.0])

        def step(p: Any) -> None:
            with lib.no_grad():
                p -= 0.1 * p.grad
            p.grad = None

        w.register_post_accumulate_grad_hook(step)
        for _ in range(3):
            ((w * w).sum() + w.sum()).backward()
        return w, w.grad

    both(program)


def test_float32_gradients_stay_float32() -> None:
    x = ag.tensor([1.0, 2.0], dtype=ag.float32, requires_grad=True)
    x.register_hook(lambda g: g + 1)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 3)
    y.sum().backward()
    assert x.grad.dtype == y.grad.dtype == ag.float32
    close(x.grad.data, [7.0, 7.0])
    close(y.grad.data, [3.0, 3.0])


def test_errors_are_torchs() -> None:
    x = leaf(ag, [1.0, 2.0])
    no_grad = "cannot register a hook on a tensor that doesn't require gradient"
    with pytest.raises(RuntimeError, match=no_grad):
        ag.tensor([1.0]).register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match=no_grad):
        ag.tensor([1.0]).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on non-leaf"):
        (x * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(TypeError, match="register_hook: hook must be callable, got int 5"):
        x.register_hook(5)
    cases = [
        (lambda g: g[:1], RuntimeError, r"hook .<lambda>. has changed the size of value \(expected \[2\]"),
        (lambda g: g.float(), RuntimeError, r"changed the type of value \(was torch.DoubleTensor got"),
        (lambda g: 3.0, TypeError, "expected Variable, but hook returned 'float'"),
    ]
    for hook, error, message in cases:
        y = x * 2
        y.register_hook(hook)
        with pytest.raises(error, match=message):
            y.sum().backward()
        with pytest.raises(error, match=message):
            ag.autograd.grad(y.sum(), x)
    for lib in LIBS:  # (a post-accumulate-grad hook returns None)
        for result, error, message in (
            (lambda t: t * 2, RuntimeError, r"Tensor post accumulate grad hooks should return None\."),
            (lambda t: 3, TypeError, "expected Variable, but hook returned 'int'"),
        ):
            z = leaf(lib, [1.0, 2.0])
            z.register_post_accumulate_grad_hook(result)
            with pytest.raises(error, match=message):
                (z * 2).sum().backward()


def test_handles_and_the_registry_empty_out() -> None:
    x = leaf(ag, [1.0, 2.0])
    handle = x.register_hook(lambda g: g)
    post = x.register_post_accumulate_grad_hook(lambda t: None)
    assert isinstance(handle, RemovableHandle) and handle.id != post.id
    assert id(x) in _hooks.HOOKED
    handle.remove()
    assert id(x) in _hooks.HOOKED  # (the post hook is still there)
    post.remove()
    assert id(x) not in _hooks.HOOKED  # (the backward pass goes back to the plain loop)
    y = x * 2
    y.register_hook(lambda g: g)
    key = id(y)
    assert key in _hooks.HOOKED
    del y
    assert key not in _hooks.HOOKED  # (a freed tensor takes its hooks with it)


@pytest.fixture
def earlier_garbage_freed() -> None:
    """One full collection first: hooked tensors earlier tests left in cycles leave :data:`HOOKED`
    (:func:`freed` then collects only what it made)."""
    gc.collect()


def freed(lib: Any, make: Any) -> list:
    """``make(lib)`` returns (a tensor or module, hook handles); whether gc frees it once dropped, its
    handles kept (and removable after).

    What existed before ``make`` is frozen (``gc.freeze``) while the collector runs: it only scans
    what ``make`` created, whose cycles it frees all the same (a frozen object still holds what it
    refers to), instead of every object of a worker late in the suite (~0.6 s a collection)."""
    gc.freeze()
    try:
        obj, handles = make(lib)
        ref = weakref.ref(obj)
        del obj
        gc.collect()
    finally:
        gc.unfreeze()
    out = [ref() is None]
    for handle in handles:
        handle.remove()  # (harmless once the tensor is gone, as torch's)
    return out


class Holder:
    """An object holding a tensor, with a bound method as the tensor's hook."""

    def __init__(self, t: Any) -> None:
        self.t = t

    def scale(self, g: Any) -> Any:
        return g * self.t.shape[0]


@pytest.mark.usefixtures("earlier_garbage_freed")
def test_a_hook_that_refers_to_its_own_tensor_is_freed_with_it_as_torchs() -> None:
    def leaf_refers_to_itself(lib: Any) -> tuple:
        t = leaf(lib, [1.0, 2.0])
        return t, [t.register_hook(lambda g: g * t.shape[0])]

    def bound_method_of_its_holder(lib: Any) -> tuple:
        holder = Holder(leaf(lib, [1.0, 2.0]))
        return holder, [holder.t.register_hook(holder.scale)]

    def after_a_backward_pass(lib: Any) -> tuple:
        x = leaf(lib, [1.0, 2.0])
        handles = [x.register_hook(lambda g: g + x)]
        (x * 3).sum().backward()
        return x, handles

    for make in (leaf_refers_to_itself, bound_method_of_its_holder, after_a_backward_pass):
        ours, theirs = freed(ag, make), freed(torch, make)
        assert ours == theirs == [True], make.__name__

    # torch keeps these: a computed tensor's hooks and post-accumulate hooks are held by its C++
    # graph node, a cycle its collector cannot see; here they are freed as the ones above
    def node_refers_to_itself(lib: Any) -> tuple:
        y = leaf(lib, [1.0, 2.0]) * 2
        return y, [y.register_hook(lambda g, y=y: g * y)]

    def post_hook_refers_to_its_leaf(lib: Any) -> tuple:
        t = leaf(lib, [1.0, 2.0])
        return t, [t.register_post_accumulate_grad_hook(lambda p, t=t: None)]

    def both_kinds_after_a_pass(lib: Any) -> tuple:
        x = leaf(lib, [1.0, 2.0])
        y = x * 3
        handles = [
            y.register_hook(lambda g: g * y),
            x.register_post_accumulate_grad_hook(lambda p, x=x: None),
        ]
        y.sum().backward()
        return y, handles

    for make in (node_refers_to_itself, post_hook_refers_to_its_leaf, both_kinds_after_a_pass):
        assert freed(ag, make) == [True], make.__name__
        assert freed(torch, make) == [False], make.__name__  # (torch's, as documented above)
    assert not _hooks.HOOKED  # (the freed tensors' entries went with them)


@pytest.mark.usefixtures("earlier_garbage_freed")
def test_module_hooks_that_refer_to_their_module_are_freed_with_it_as_torchs() -> None:
    def forward_hook(lib: Any) -> tuple:
        m = lib.nn.Linear(2, 2)
        return m, [m.register_forward_hook(lambda mod, args, out: m)]

    def parameter_hook_refers_to_the_module(lib: Any) -> tuple:
        m = lib.nn.Linear(2, 2)
        handles = [m.weight.register_hook(lambda g: g * m.bias.shape[0])]
        m(lib.ones(3, 2)).sum().backward()
        return m, handles

    def backward_hooks_after_a_pass(lib: Any) -> tuple:
        m = lib.nn.Linear(2, 2)
        handles = [
            m.register_full_backward_hook(lambda mod, gi, go: None),
            m.register_full_backward_pre_hook(lambda mod, go: None),
            m.bias.register_hook(lambda g: g * m.weight.shape[0]),
        ]
        m(lib.ones(3, 2, requires_grad=True)).sum().backward()
        return m, handles

    for make in (forward_hook, parameter_hook_refers_to_the_module, backward_hooks_after_a_pass):
        ours, theirs = freed(ag, make), freed(torch, make)
        assert ours == theirs == [True], make.__name__
    assert not _hooks.HOOKED


def test_hooks_stay_while_the_graph_holds_the_tensor_and_a_copy_has_none() -> None:
    def program(lib: Any) -> list:
        log: list = []
        x = leaf(lib, [1.0, 2.0])
        y = x * 2
        y.register_hook(logged(log, "y", lambda g, y=y: g * y))  # (refers to y: only y holds it)
        z = (y * y).sum()
        del y
        gc.collect()
        z.backward()
        return [log, x.grad]

    both(program)
    x = leaf(ag, [1.0, 2.0])
    z = x * 1
    z.register_hook(lambda g: g)
    x.register_post_accumulate_grad_hook(lambda t: None)
    twins = [copy.deepcopy(z), copy.deepcopy(x), pickle.loads(pickle.dumps(x)), copy.copy(z)]
    for twin in twins:
        assert _hooks.entry_of(twin) is None  # (no hooks, as no graph)
    assert [type(twin._params) for twin in twins[:3]] == [dict] * 3  # (nor what holds them)
    del twins
    gc.collect()
    assert _hooks.entry_of(z) is not None and _hooks.entry_of(x) is not None


def test_new_params_on_a_hooked_node_keep_its_hooks_and_the_last_removal_restores_them() -> None:
    """Code that gives a hooked node new ``_params`` (a node made anew in place: a custom Function's
    dirty input) drops the anchor that holds its hooks; freed, it hangs them on the tensor again."""
    log: list = []
    x = leaf(ag, [1.0, 2.0])
    y = x * 2
    handle = y.register_hook(logged(log, "y", lambda g: g * 10))
    params = y._params = {}
    gc.collect()
    (y * 3).sum().backward()
    assert [name for name, _ in log] == ["y"] and x.grad.tolist() == [60.0, 60.0]
    handle.remove()
    assert y._params is params and id(y) not in _hooks.HOOKED  # (its own parameters back)
    own = x._params
    x.register_hook(lambda g: g).remove()
    assert x._params is own


def test_hooks_stay_with_the_version_they_were_registered_on_as_torchs() -> None:
    def program(lib: Any) -> list:
        log: list = []
        a = leaf(lib, [1.0, 2.0])
        x = a * 2
        x.register_hook(logged(log, "before", lambda g: g * 10))
        x.mul_(3)
        x.register_hook(logged(log, "after", lambda g: g + 1))
        x.add_(a)
        (x * x).sum().backward()
        y = a * 5
        y.register_hook(logged(log, "detached"))
        z = y * 2
        y.detach_()
        z.sum().backward()
        return [log, a.grad]

    both(program)


def test_a_pass_that_reaches_no_hooked_tensor_takes_the_fast_loop(monkeypatch: Any) -> None:
    """Hooks elsewhere leave a pass on the plain loop; one on its root, a node, a leaf, or a post hook
    on a leaf sends it through the general pass (``vjp_pass``), which runs them."""
    from autograd import _tensor

    general: list = []
    real = _tensor.vjp_pass
    monkeypatch.setattr(_tensor, "vjp_pass", lambda *a, **k: general.append(1) or real(*a, **k))
    elsewhere = leaf(ag, [5.0])
    keep = [elsewhere.register_hook(lambda g: g), (elsewhere * 2).register_hook(lambda g: g)]

    def passes(where: str) -> int:
        general.clear()
        x = leaf(ag, [1.0, 2.0])
        y = x * 2
        z = (y * y).sum()
        target = {"root": z, "node": y, "leaf": x}.get(where)
        if target is not None:
            keep.append(target.register_hook(lambda g: g * 2))
        if where == "post":
            keep.append(x.register_post_accumulate_grad_hook(lambda t: None))
        z.backward()
        scale = 2 if where in ("root", "node", "leaf") else 1
        close(x.grad.data, [8.0 * scale, 16.0 * scale])
        return len(general)

    assert passes("none") == 0
    assert [passes(where) for where in ("root", "node", "leaf", "post")] == [1, 1, 1, 1]
    y0 = leaf(ag, 3.0)
    keep.append(y0.register_hook(lambda g: g * 2))
    general.clear()
    y0.backward()  # (a hooked leaf root: no computed node at all)
    assert general == [1] and y0.grad.item() == 2.0

    class Unhashable(ag.Tensor):  # (defines __eq__ alone: Python takes its __hash__ away)
        def __eq__(self, other: object) -> Any:
            return NotImplemented

    for hooked in (False, True):  # (the test cannot hash it: the general pass, which is right)
        u = Unhashable(np.array([1.0, 2.0]), requires_grad=True)
        if hooked:
            keep.append(u.register_hook(lambda g: g * 3))
        general.clear()
        (u * u).sum().backward()
        assert general == [1] and u.grad.tolist() == ([6.0, 12.0] if hooked else [2.0, 4.0])


def test_without_hooks_eager_backward_is_the_plain_loop_and_with_identity_hooks_the_same_numbers() -> None:
    rng = np.random.default_rng(0)
    w1, w2 = rng.normal(size=(3, 4)), rng.normal(size=(4,))
    x = rng.normal(size=(5, 3))

    def grads(hooked: bool) -> list:
        p1, p2 = ag.Tensor(w1, requires_grad=True), ag.Tensor(w2, requires_grad=True)
        h = (ag.Tensor(x) @ p1).relu()
        if hooked:
            h.register_hook(lambda g: None)
            p1.register_hook(lambda g: None)
        ((h @ p2) ** 2).mean().backward()
        return [p1.grad.data, p2.grad.data, h.grad.data]

    for a, b in zip(grads(False), grads(True)):
        np.testing.assert_array_equal(a, b)  # (bitwise: the general pass does the same arithmetic)


def test_compiled_steps_refuse_hooks_and_do_not_skip_one_registered_after_the_trace() -> None:
    w = ag.Tensor(np.ones(3), requires_grad=True)
    x = ag.Tensor(np.arange(3.0))

    @ag.compile
    def step(x: Any) -> Any:
        return (w * x).sum()

    step(x)
    step(x)
    assert step.trace_count == 1
    unrelated = ag.Tensor(np.ones(2), requires_grad=True)
    keep = unrelated.register_hook(lambda g: g)
    step(x)
    assert step.trace_count == 1  # (a hook on a tensor no trace reached: nothing to do)
    keep.remove()
    handle = w.register_hook(lambda g: g * 2)
    with pytest.raises(CompileError, match="with the hook '<lambda>'; a compiled step runs no hooks"):
        step(x)
    handle.remove()
    w.grad = None
    step(x)
    close(w.grad.data, [0.0, 1.0, 2.0])
    post = w.register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(CompileError, match="post-accumulate-grad hook"):
        step(x)
    post.remove()

    @ag.compile
    def hooked(x: Any) -> Any:
        y = w * x
        y.register_hook(lambda g: g)
        return y.sum()

    with pytest.raises(CompileError, match=r"register_hook\(<lambda>\) was called while a step was traced"):
        hooked(x)


def test_a_hook_elsewhere_leaves_0d_and_plain_gradients_right() -> None:
    """While any tensor has a hook, backward takes the general pass: a 0-d leaf's gradient (a numpy
    scalar there) is stored as an array of its own (it raised AttributeError), others as usual."""
    z = ag.ones(2, requires_grad=True)
    handle = z.register_hook(lambda g: g)
    try:
        x = ag.tensor(0.3, requires_grad=True)
        (x * x).backward()
        assert type(x.grad.data) is np.ndarray and x.grad.item() == 0.6
        y = ag.tensor([1.0, 2.0], requires_grad=True)
        (y * 3).sum().backward()
        assert y.grad.tolist() == [3.0, 3.0]
    finally:
        handle.remove()
