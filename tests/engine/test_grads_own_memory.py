"""The eager engine's ``.grad`` never shares memory with anything a user can reach: after
``backward`` (twice, so the second accumulates into the first's arrays) every leaf's gradient is
compared with every leaf's data, every tensor of the graph (intermediate results a user may hold,
the output) and every other gradient, on the random programs of ``fuzz_programs.py`` and on the
programs whose chain rule hands back an array that already exists (∂(W·X)/∂W = X, a reshape, an
expand, a sum of one leaf twice). Then ``grad.zero_()`` (what ``zero_grad(set_to_none=False)``
does) must leave every other array as it was. The compiled steps' side: test_reused_arrays.py and
test_compiled_fuzz.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from fuzz_programs import run_tensor_program, tensor_program

from autograd import Tensor

N_PROGRAMS = 300


def _graph(out: Tensor) -> list[Tensor]:
    """Every tensor ``out`` was computed from (``children``, transitively), ``out`` included."""
    seen: dict[int, Tensor] = {}
    stack = [out]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(node.children)
    return list(seen.values())


def _reachable(leaves: list[Tensor], outputs: list[Tensor]) -> list[tuple[str, np.ndarray]]:
    """The arrays a user can reach besides the leaves' gradients: the data of every tensor of the
    graphs (leaves, intermediate results, outputs) and the computed tensors' gradients (every
    computed tensor keeps its own here)."""
    names = {id(x): f"leaf {i}" for i, x in enumerate(leaves)}
    nodes = {id(n): n for out in outputs for n in _graph(out)}
    found = [(names.get(k, f"node {n.op}"), n.data) for k, n in nodes.items()]
    computed = [n for k, n in nodes.items() if k not in names and _array(n._grad)]
    return found + [(f"node {n.op}'s grad", n._grad) for n in computed]


def _grads(leaves: list[Tensor]) -> list[tuple[str, np.ndarray]]:
    return [(f"grad {i}", x.grad.data) for i, x in enumerate(leaves) if x.grad is not None]


def shared(leaves: list[Tensor], outputs: list[Tensor]) -> list[str]:
    """The pairs (a leaf's ``.grad``, another array a user can reach) that share memory."""
    grads = _grads(leaves)
    others = _reachable(leaves, outputs) + grads
    return [f"{a} ~ {b}" for a, g in grads for b, o in others if a != b and g.size and np.shares_memory(g, o)]


def zeroing_changes_nothing_else(leaves: list[Tensor], outputs: list[Tensor]) -> list[str]:
    """Zero each ``.grad`` in place: which other reachable arrays change."""
    watched = _reachable(leaves, outputs) + _grads(leaves)
    changed = []
    for i, x in enumerate(leaves):
        if x.grad is None:
            continue
        before = [(name, a, a.copy()) for name, a in watched if name != f"grad {i}"]
        x.grad.zero_()
        changed += [f"grad {i}.zero_() changed {name}" for name, a, c in before if not _same(a, c)]
    return changed


def _array(g: Any) -> bool:
    return type(g) is np.ndarray


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def _run(build: Callable[[list[Tensor]], Tensor], arrays: list[np.ndarray]) -> list[str]:
    leaves = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    outputs: list[Tensor] = []
    found = []
    for k in range(2):  # (the second backward accumulates into the stored arrays)
        outputs.append(build(leaves))
        outputs[-1].backward()
        found += [f"backward {k + 1}: {s}" for s in shared(leaves, outputs)]
    found += zeroing_changes_nothing_else(leaves, outputs)
    changed = [i for i, (x, a) in enumerate(zip(leaves, arrays)) if not _same(x.data, a)]
    return found + [f"leaf {i}'s data changed" for i in changed]


def test_random_programs_grads_share_no_memory() -> None:
    failures = []
    for seed in range(N_PROGRAMS):
        rng = np.random.default_rng(seed)
        prog = tensor_program(rng, rng.random() < 0.1)
        arrays = [*prog["leaves"], prog["weight"]]
        try:
            found = _run(lambda ls, prog=prog: run_tensor_program(prog, ls[:-1], ls[-1], False), arrays)
        except Exception:  # noqa: BLE001, S112 (a program the engine refuses: nothing to check)
            continue
        if found:
            failures.append(f"seed {seed}: {found[:4]} (ops {prog['ops']})")
    assert not failures, f"{len(failures)} of {N_PROGRAMS} programs:\n" + "\n".join(failures[:10])


X = np.arange(1.0, 13.0).reshape(3, 4)
V = np.linspace(-1.0, 1.0, 4)
CASES: dict[str, tuple[Callable[[list[Tensor]], Tensor], list[np.ndarray]]] = {
    "times a leaf": (lambda ls: (ls[0] * ls[1]).sum(), [X, X * 2]),
    "times a constant": (lambda ls: (ls[0] * Tensor(X)).sum(), [X]),
    "a leaf twice": (lambda ls: (ls[0] * ls[1]).sum() + (ls[0] * ls[1]).sum(), [X, X + 1]),
    "reshaped": (lambda ls: (ls[0].reshape(12) * ls[1].reshape(12)).sum(), [X, X / 3]),
    "viewed": (lambda ls: (ls[0].view(4, 3) * ls[1].view(4, 3)).sum(), [X, X - 1]),
    "expanded": (lambda ls: (ls[0].expand(3, 4) * ls[1]).sum(), [V, X]),
    "sliced": (lambda ls: (ls[0][1:] * ls[1][:2]).sum(), [X, X * 3]),
    "transposed": (lambda ls: (ls[0].t() @ ls[1]).sum(), [X, X + 2]),
    "the leaf itself summed": (lambda ls: ls[0].sum(), [X]),
    "a sum of leaves": (lambda ls: (ls[0] + ls[1]).sum(), [X, X * 4]),
    "a difference, reshaped": (lambda ls: (ls[0] - ls[1]).reshape(12).sum(), [X, X * 4]),
    "plus zero": (lambda ls: (ls[0] + 0).sum() + (ls[1] * ls[0]).sum(), [X, X]),
    "detached times": (lambda ls: (ls[0] * ls[1].detach()).sum() + ls[1].sum(), [X, X * 5]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_grad_is_an_array_of_its_own(case: str) -> None:
    build, arrays = CASES[case]
    assert _run(build, arrays) == []


def test_computed_tensors_grads_share_memory_known() -> None:
    """KNOWN: the gradients the engine keeps on computed tensors (``h.grad``, shown in the drawings;
    torch keeps them only after ``retain_grad()``, as copies) are the arrays the backward pass
    hands on: ``h = a + 1; k = h + 1`` gives ``h.grad`` and ``k.grad`` one array, so
    ``k.grad.zero_()`` zeroes ``h.grad``. A fix copies in the backward loop (the engine's hot path);
    this test then fails: turn it around."""
    a = Tensor(np.ones(3), requires_grad=True)
    h = a + 1.0
    k = h + 1.0
    k.sum().backward()
    assert np.shares_memory(h.grad.data, k.grad.data)
    t = torch.ones(3, requires_grad=True)
    th = t + 1.0
    tk = th + 1.0
    th.retain_grad()
    tk.retain_grad()
    tk.sum().backward()
    assert th.grad.untyped_storage().data_ptr() != tk.grad.untyped_storage().data_ptr()
