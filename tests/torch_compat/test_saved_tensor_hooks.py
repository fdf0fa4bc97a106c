"""``torch.autograd.graph.saved_tensors_hooks`` and ``save_on_cpu`` against torch 2.13: which tensors
each op packs, in which order, what the backward unpacks, that the backward computes with the
unpacked values (gradients as torch's when a hook changes them, first and second order), nesting,
``disable_saved_tensors_hooks``, ``_raw_saved_*.register_hooks``; and that without hooks nothing is
packed and the backward keeps its fast pass."""

from __future__ import annotations

import gc
import subprocess
import sys
from typing import Any

import numpy as np
import pytest
import torch
from test_saved_tensors import CASES, Case, _inputs

import autograd
from autograd import _packed
from autograd import _tensor as engine
from autograd import grad_mode as mode


def _who(t: Any, named: dict[str, Any]) -> Any:
    """A packed tensor as the test names it: the input it is, else its backward's name and numbers."""
    found = [k for k, v in named.items() if v is t]
    if found:
        return found[0]
    fn = t.grad_fn.name() if t.grad_fn is not None else None
    return (fn, tuple(t.shape), np.round(np.asarray(t.detach().numpy(), float), 10).tolist())


def _run(lib: Any, case: Case, unpack_scale: float = 1.0) -> tuple[list, list, dict]:
    """``case`` inside hooks that log: what was packed, what was unpacked, the inputs' gradients."""
    t = _inputs(lib)
    packed, unpacked = [], []

    def pack(x: Any) -> Any:
        packed.append(x)
        return (len(packed) - 1, x)

    def unpack(p: Any) -> Any:
        unpacked.append(p[0])
        return p[1] * unpack_scale if unpack_scale != 1.0 else p[1]

    with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
        out = case(lib, t)
    names = [_who(x, t) for x in packed]
    out.sum().backward()
    grads = {k: v.grad.detach().numpy().copy() for k, v in t.items() if v.grad is not None}
    return names, unpacked, grads


#: cases whose saved tensors are views torch makes inside the op (its matmul of transposes saves the
#: transposes as views of another grad_fn): compared by their numbers
@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_each_op_packs_and_unpacks_what_torch_does_in_its_order(case: Case) -> None:
    theirs, ours = _run(torch, case), _run(autograd, case)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert ours[2].keys() == theirs[2].keys()
    for k in theirs[2]:
        np.testing.assert_allclose(ours[2][k], theirs[2][k], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_the_backward_computes_with_what_the_unpack_hook_returns(case: Case) -> None:
    theirs, ours = _run(torch, case, 1.5), _run(autograd, case, 1.5)
    assert ours[2].keys() == theirs[2].keys()
    for k in theirs[2]:
        np.testing.assert_allclose(ours[2][k], theirs[2][k], rtol=1e-13, atol=1e-15)


def _mlp(lib: Any) -> tuple[list[str], list[Any]]:
    """A 3-4-2 tanh network with a squared-error loss, in hooks that log every pack and unpack by
    shape, and that unpack a changed tensor (x 0.75): the log and the gradients."""
    rng = np.random.default_rng(3)
    x = lib.tensor(rng.normal(size=(5, 3)))
    params = [lib.tensor(rng.normal(size=s), requires_grad=True) for s in ((3, 4), (4,), (4, 2), (2,))]
    target = lib.tensor(rng.normal(size=(5, 2)))
    log: list[str] = []

    def pack(t: Any) -> Any:
        log.append(f"pack {tuple(t.shape)}")
        return t.detach()

    def unpack(t: Any) -> Any:
        log.append(f"unpack {tuple(t.shape)}")
        return t * 0.75

    w1, b1, w2, b2 = params
    with lib.autograd.graph.saved_tensors_hooks(pack, unpack):
        h = (x @ w1 + b1).tanh()
        loss = ((h @ w2 + b2 - target) ** 2).mean()
    log.append("backward")
    loss.backward()
    return log, [p.grad.detach().numpy() for p in params]


def test_a_small_network_packs_unpacks_and_differentiates_as_torch() -> None:
    (log, grads), (our_log, our_grads) = _mlp(torch), _mlp(autograd)
    assert our_log == log
    assert log.count("backward") == 1 and len(log) == 11  # (mm: 2, tanh: 1, mm: 2, pow: 1; each unpacked)
    for g, ours in zip(grads, our_grads):
        np.testing.assert_allclose(ours, g, rtol=1e-13)


def test_the_tutorials_scaled_pack_and_unscaled_unpack_give_the_true_gradient() -> None:
    for lib in (torch, autograd):
        x = lib.tensor([0.5, -1.25, 2.0], requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t * 4, lambda t: t / 4):
            y = lib.pow(x, 2)
        y.sum().backward()
        assert x.grad.equal(2 * x)


def _nested(lib: Any) -> list[str]:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    log: list[str] = []

    def hooks(name: str) -> Any:
        return lib.autograd.graph.saved_tensors_hooks(
            lambda t: log.append(f"pack {name}") or t, lambda t: log.append(f"unpack {name}") or t
        )

    with hooks("outer"):
        with hooks("inner"):
            y = x * x
        z = y.exp()
    w = z.sin()  # (no hooks: saves its input as it is)
    log.append("backward")
    w.sum().backward()
    return log


def test_nested_blocks_the_innermost_applies_and_each_node_keeps_its_own() -> None:
    assert _nested(autograd) == _nested(torch)
    assert _nested(autograd) == [
        "pack inner", "pack inner", "pack outer", "backward", "unpack outer", "unpack inner", "unpack inner",
    ]  # fmt: skip


def _second_order(lib: Any) -> tuple[Any, Any, list[str]]:
    x = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    w = lib.tensor([0.5, 1.5, -1.0], requires_grad=True)
    log: list[str] = []
    with lib.autograd.graph.saved_tensors_hooks(
        lambda t: log.append("pack") or t.detach(), lambda t: log.append("unpack") or t * 2
    ):
        z = (x**3 * w).sum()
    (g,) = lib.autograd.grad(z, x, create_graph=True)
    hx, hw = lib.autograd.grad(g.sum(), (x, w))
    return g.detach().numpy(), np.asarray(hx) if lib is autograd else hx.numpy(), np.asarray(hw), log


def test_second_order_gradients_through_unpacked_tensors_as_torch() -> None:
    theirs, ours = _second_order(torch), _second_order(autograd)
    for a, b in zip(ours[:3], theirs[:3]):
        np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-14)
    assert ours[3] == theirs[3] == ["pack", "pack", "pack", "unpack", "unpack", "unpack"]


def test_save_on_cpu_keeps_the_tensors_and_gives_torchs_gradients() -> None:
    results = []
    for lib in (torch, autograd):
        x = lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64, requires_grad=True)
        w = lib.tensor([1.0, -1.0, 3.0], dtype=lib.float64, requires_grad=True)
        for pin in (False, True):
            with lib.autograd.graph.save_on_cpu(pin_memory=pin):
                y = (x * w).exp()
            saved = y.grad_fn._saved_result
            assert saved is not y and saved.equal(y)
            y.sum().backward()
        results.append((x.grad.detach().numpy(), w.grad.detach().numpy()))
    for a, b in zip(*results):
        np.testing.assert_allclose(b, a, rtol=1e-14)


def _disabled(lib: Any) -> list[str]:
    x = lib.tensor([1.0], requires_grad=True)
    seen = []
    with lib.autograd.graph.disable_saved_tensors_hooks("no hooks in this block"):
        with pytest.raises(RuntimeError) as err:
            with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                pass
        seen.append(str(err.value))
        x * x  # (no hooks: fine)
    with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        with pytest.raises(RuntimeError) as err:
            with lib.autograd.graph.disable_saved_tensors_hooks("not inside hooks"):
                pass
        seen.append(str(err.value))
        y = x * x  # (the hooks still apply)
    seen.append(str(y.grad_fn._saved_self.tolist()))
    with lib.autograd.graph.disable_saved_tensors_hooks("outer"):
        with lib.autograd.graph.disable_saved_tensors_hooks("inner"):
            pass
        with pytest.raises(RuntimeError) as err:
            with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
                pass
        seen.append(str(err.value))  # (the outer message again)
    with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):  # (enabled again)
        pass
    return seen


def test_disable_saved_tensors_hooks_raises_torchs_error_with_the_message() -> None:
    expected = ["no hooks in this block", "not inside hooks", "[1.0]", "outer"]
    assert _disabled(autograd) == _disabled(torch) == expected


def _raw(lib: Any) -> list[str]:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    w = lib.tensor([3.0, 4.0], requires_grad=True)
    y = x * w
    log: list[str] = []
    raw = y.grad_fn._raw_saved_self
    raw.register_hooks(lambda t: log.append("pack") or t * 2, lambda t: log.append("unpack") or t)
    log.append(str(y.grad_fn._saved_self.tolist()))  # (unpacked: the pack hook's doubled numbers)
    with pytest.raises(RuntimeError) as err:
        raw.register_hooks(lambda t: t, lambda t: t)
    log.append(str(err.value))
    y.sum().backward()
    log += [str(w.grad.tolist()), str(x.grad.tolist())]  # (w's gradient from the doubled x)
    log.append(str(y.grad_fn._raw_saved_other is not None))
    y2 = x * 3.0  # (x * a number: self is not saved, as no gradient of the other is needed)
    with pytest.raises(RuntimeError) as err:
        y2.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)
    log.append(str(err.value))
    with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        z = x.exp()
    with pytest.raises(RuntimeError) as err:
        z.grad_fn._raw_saved_result.register_hooks(lambda t: t, lambda t: t)
    log.append(str(err.value))
    return log


def test_a_raw_saved_tensor_registers_its_own_hooks_as_torchs() -> None:
    ours, theirs = _raw(autograd), _raw(torch)
    assert ours == theirs
    assert ours[:3] == ["pack", "unpack", "[2.0, 4.0]"]  # (packed at once; unpacked at the access)
    assert ours[4:7] == ["unpack", "[2.0, 4.0]", "[3.0, 4.0]"]  # (w's gradient from the doubled x)


def test_saved_attributes_unpack_at_each_access_as_a_new_tensor() -> None:
    for lib in (torch, autograd):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        calls: list[int] = []
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t, calls=calls: calls.append(1) or t):
            y = x * x
            e = x.exp()
        a = y.grad_fn._saved_self
        assert a is not x and a.equal(x) and a.requires_grad and a.grad_fn is None and len(calls) == 1
        r = e.grad_fn._saved_result
        assert r is not e and r.equal(e) and r.grad_fn.name() == "ExpBackward0" and len(calls) == 2


def _save_to_disk(lib: Any, folder: Any) -> tuple[Any, list[int]]:
    files = []

    def pack(t: Any) -> str:
        name = str(folder / f"saved{len(files)}.pt")
        lib.save(t, name)
        files.append(name)
        return name

    x = lib.tensor([0.25, -0.5, 1.5], dtype=lib.float64, requires_grad=True)
    with lib.autograd.graph.saved_tensors_hooks(pack, lib.load):
        y = (x * x).pow(3).sin()
    y.sum().backward()
    return x.grad.detach().numpy(), [len(files)]


def test_hooks_saving_to_disk_round_trip(tmp_path: Any) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    theirs, ours = _save_to_disk(torch, tmp_path / "a"), _save_to_disk(autograd, tmp_path / "b")
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-14)
    assert ours[1] == theirs[1] == [4]


def test_an_unpack_hook_returning_no_tensor_or_a_wrong_shape_raises() -> None:
    x = autograd.tensor([1.0, 2.0, 3.0], requires_grad=True)
    for lib in (torch, autograd):
        t = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 3):
            y = t * t
        with pytest.raises(TypeError, match="saved tensor unpack_hook expected to be a Tensor but got"):
            y.sum().backward()
    with autograd.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t[:2]):
        y = x * x
    with pytest.raises(RuntimeError, match=r"shape \[2\] for MulBackward0's _saved_other of shape \[3\]"):
        y.sum().backward()
    with pytest.raises(TypeError, match="pack_hook must be callable, got int 3"):
        with autograd.autograd.graph.saved_tensors_hooks(3, lambda t: t):
            pass


def test_nothing_is_packed_without_hooks_or_without_grad_and_packing_does_not_recurse() -> None:
    gc.collect()
    before = set(_packed.PACKED)  # (nodes other tests left to the collector)
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).exp().sum()
    assert set(_packed.PACKED) == before and not mode.state() & mode.SAVED_HOOKS
    log = []
    with autograd.autograd.graph.saved_tensors_hooks(lambda t: log.append(t) or t.exp(), lambda t: t.log()):
        assert mode.state() & mode.SAVED_HOOKS
        with autograd.no_grad():
            x * x
        assert log == [] and set(_packed.PACKED) == before
        z = x * x  # (the pack hook's exp, of a tensor that requires grad, packs nothing)
    assert len(log) == 2 and len(set(_packed.PACKED) - before) == 1 and not mode.state() & mode.SAVED_HOOKS
    del z
    assert set(_packed.PACKED) <= before  # (freed with its node)
    y.backward()
    np.testing.assert_allclose(x.grad.data, 2 * x.data * np.exp(x.data**2))


#: a fresh process: training steps without hooks pack nothing and never take the general pass
FAST = """
import numpy as np
import autograd
from autograd import _packed, _tensor
def general(*args, **kwargs):
    raise AssertionError("the general pass ran")
_tensor._backward_graph = general
w = autograd.tensor(np.ones((3, 2)), requires_grad=True)
x = autograd.tensor(np.arange(6.0).reshape(2, 3))
for _ in range(3):
    loss = ((x @ w).tanh() ** 2).mean()
    loss.backward()
    loss.grad_fn._saved_self  # (read without hooks: packs nothing)
assert not _packed.PACKED
print("fast", w.grad.sum())
"""


def test_without_hooks_the_flag_stays_unset_and_the_fast_pass_runs() -> None:
    done = subprocess.run([sys.executable, "-c", FAST], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("fast ")


def test_a_backward_without_packed_nodes_keeps_the_fast_pass(monkeypatch: Any) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the general pass ran")

    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    with autograd.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        packed = x * x  # (alive, but not in the graph below)
    monkeypatch.setattr(engine, "_backward_graph", refuse)
    (x.exp() * x).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.exp(x.data) * (1 + x.data))
    with pytest.raises(AssertionError, match="general pass"):
        packed.sum().backward()


def test_a_compiled_step_first_called_inside_hooks_runs_eagerly() -> None:
    """Inside a hooks block a compiled step is the eager engine (nothing traced): torch's packs and
    unpacks, and the gradient of what unpack returns (a step traced before the block:
    tests/compile/test_compile.py)."""
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    step = autograd.compile(lambda x: (w * x).sum())
    log: list[str] = []
    with autograd.autograd.graph.saved_tensors_hooks(
        lambda t: log.append("pack") or t, lambda t: log.append("unpack") or t * 2
    ):
        step(autograd.tensor([3.0, 4.0]))
    assert log == ["pack", "unpack"] and w.grad.tolist() == [6.0, 8.0] and step.trace_count == 0


def _in_place(lib: Any) -> tuple[list[Any], list[float], list[float]]:
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([3.0, 4.0], dtype=lib.float64, requires_grad=True)
    log: list[Any] = []
    with lib.autograd.graph.saved_tensors_hooks(
        lambda t: log.append(tuple(t.tolist())) or t, lambda t: log.append("unpack") or t
    ):
        y = x * 1.0
        y.mul_(w)  # (its node packs w, then y as it was before the write: torch's clone of it)
        z = y.sin()  # (packs y as written)
    z.sum().backward()
    return log, x.grad.tolist(), w.grad.tolist()


def test_an_in_place_write_packs_the_value_before_it_and_unpacks_at_the_backward() -> None:
    ours, theirs = _in_place(autograd), _in_place(torch)
    assert ours[0] == theirs[0] == [(3.0, 4.0), (1.0, 2.0), (3.0, 8.0), "unpack", "unpack", "unpack"]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-15)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-15)
