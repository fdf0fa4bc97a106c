"""A compiled training step: ``autograd.compile(loss_fn, optimizer=opt)``.

A call is ``loss_fn()``'s forward and backward, ``opt.step()`` and ``opt.zero_grad()``. With plain
SGD the update is written into the generated code (``add_matmul_`` where a weight's gradient is one
matrix product, ``axpy_`` elsewhere): the weights after many steps must be those of the eager loop
``loss.backward(); opt.step(); opt.zero_grad()``, bit for bit, whichever path a call takes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from engine_helpers import bytes_grown
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import optimizers as O
from autograd import Tensor, Value
from autograd._fma import axpy_
from autograd._gemm import _agrees, _gemm, add_matmul_, one_call
from autograd.compiled import program as program_module

F32, F64 = np.float32, np.float64


def _params(dtype: Any = F32, sizes: tuple[int, ...] = (40, 64, 10), seed: int = 0) -> list[Tensor]:
    rng = np.random.default_rng(seed)
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [Tensor(rng.uniform(-0.3, 0.3, (a, b)).astype(dtype), requires_grad=True)]
        out += [Tensor(rng.uniform(-0.3, 0.3, b).astype(dtype), requires_grad=True)]
    return out


def _data(dtype: Any = F32, n: int = 32, d: int = 40, seed: int = 1) -> tuple[Tensor, np.ndarray]:
    rng = np.random.default_rng(seed)
    return Tensor(rng.normal(size=(n, d)).astype(dtype)), rng.integers(0, 10, n)


def _loss_fn(P: list[Tensor], X: Tensor, y: np.ndarray) -> Any:
    rows = np.arange(len(y))

    def loss_fn() -> Tensor:
        h = X
        for k in range(0, len(P) - 2, 2):
            h = (h @ P[k] + P[k + 1]).relu()
        return -(h @ P[-2] + P[-1]).log_softmax(-1)[rows, y].mean()

    return loss_fn


def _eager_and_compiled(make_opt: Any, steps: int = 6, dtype: Any = F32, **kw: Any) -> tuple[list, list, Any]:
    """The parameters and losses after ``steps`` eager steps and ``steps`` compiled ones."""
    X, y = _data(dtype, d=kw.get("d", 40))
    sizes = kw.get("sizes", (40, 64, 10))
    results = []
    for compiled in (False, True):
        P = _params(dtype, sizes)
        opt = make_opt(P)
        loss_fn = _loss_fn(P, X, y)
        step = ag.compile(loss_fn, optimizer=opt) if compiled else None
        results.append((P, _losses(step, loss_fn, opt, steps)))
    (pe, le), (pc, lc) = results
    return [p.data for p in pe] + [le], [p.data for p in pc] + [lc], step


def _losses(step: Any, loss_fn: Any, opt: Any, steps: int) -> list[float]:
    """The losses of ``steps`` training steps: ``step()`` (compiled), or where it is None the eager
    loop ``loss_fn().backward(); opt.step(); opt.zero_grad()``."""
    losses = []
    for _ in range(steps):
        if step is None:
            loss = loss_fn()
            loss.backward()
            opt.step()
            opt.zero_grad()
        else:
            loss = step()
        losses.append(loss.item())
    return losses


def _same(a: list, b: list, nan_sign: bool = True) -> bool:
    """Bit for bit (with ``nan_sign=False``, any two nans alike)."""
    if not nan_sign:
        a, b = ([np.where(np.isnan(x), np.nan, x).astype(np.asarray(x).dtype) for x in v] for v in (a, b))
    return all(np.asarray(x).tobytes() == np.asarray(y).tobytes() for x, y in zip(a, b))


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize(
    "make",
    [
        lambda p: O.SGD(p, lr=0.1),
        lambda p: O.SGD([{"params": p[:2], "lr": 0.3}, {"params": p[2:]}], lr=0.05),
        lambda p: O.SGD(p, lr=0.1, momentum=0.9),
        lambda p: O.SGD(p, lr=0.1, weight_decay=0.01, maximize=True),
        lambda p: O.Adam(p, lr=0.01),
        lambda p: O.AdamW(p, lr=0.01),
    ],
    ids=["sgd", "sgd-two-groups", "momentum", "decay-maximize", "adam", "adamw"],
)
def test_training_steps_equal_the_eager_loop(make: Any, dtype: Any) -> None:
    eager, compiled, step = _eager_and_compiled(make, dtype=dtype)
    assert _same(eager, compiled)
    fused = "the optimizer's step (SGD)" in step.source
    plain = isinstance(step.optimizer, O.SGD) and all(
        g["momentum"] == 0 and not g["maximize"] for g in step.optimizer.param_groups
    )
    assert fused == (plain and _one_call(dtype, 40, 64, 32))


def _one_call(dtype: Any, m: int, n: int, k: int) -> bool:
    """Whether this machine's BLAS updates an m x n weight from ``x.mT @ g`` in one call."""
    return one_call(np.zeros((m, n), dtype), np.zeros((k, m), dtype).T, np.zeros((k, n), dtype))


def test_the_code_updates_the_large_weights_inside_their_products() -> None:
    """40x64 and 64x32 weights (2048 elements or more: one BLAS call) are updated in the code, no
    .grad made; the 32x10 weight and the biases keep their .grad for ``opt.step()``'s batch."""
    if not _one_call(F32, 40, 64, 32):
        pytest.skip("this machine's BLAS gemm does not give the two steps' float32 numbers")
    _, _, step = _eager_and_compiled(lambda p: O.SGD(p, lr=0.1), steps=2, sizes=(40, 64, 32, 10))
    src = step.source
    backward = src.split("# -- backward")[1]
    assert src.count("add_matmul(") == 2, src
    assert "add_matmul(P_0, X.mT, " in src and "add_matmul(P_2, " in src, src
    assert "P_0_._grad" not in backward and "P_2_._grad" not in backward, src
    assert all(f"P_{k}_._grad = " in backward for k in (1, 3, 4, 5)), src
    for p in step.optimizer.param_groups[0]["params"]:
        assert p.grad is None


def _linear_model(dtype: Any, sizes: tuple[int, ...]) -> Any:
    """nn.Linear layers with relu between them, from a fixed seed."""
    ag.manual_seed(0)
    layers: list[Any] = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [ag.nn.Linear(a, b, dtype=dtype), ag.nn.ReLU()]
    return ag.nn.Sequential(*layers[:-1])


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("lr", [0.1, 0.0, 3.0])
def test_linear_layers_are_updated_inside_their_products(dtype: Any, lr: float) -> None:
    """nn.Linear reads its weight as ``x @ W.T``: W's gradient is ``gᵀ @ x`` in W's own layout (the
    matmul rule's, as torch's ``mm_mat2_backward``), one product the SGD step is written into
    (``add_matmul(W, g.mT, x, -lr)``) where this machine's gemm gives the two steps' numbers. Eight
    compiled steps equal eight eager ones bit for bit either way, losses too, also with nan and inf
    among the inputs (a row of each)."""
    X, y = _data(dtype, n=48, d=40)
    X.data[3, 5], X.data[7, :] = np.inf, np.nan
    results, step = [], None
    for compiled in (False, True):
        model = _linear_model(dtype, (40, 64, 32, 10))
        opt = O.SGD(model.parameters(), lr=lr)
        loss_fn = lambda m=model: ag.nn.functional.cross_entropy(m(X), Tensor(y))  # noqa: E731
        step = ag.compile(loss_fn, optimizer=opt) if compiled else None
        results.append([p.data for p in model.parameters()] + [_losses(step, loss_fn, opt, 8)])
    assert _same(*results, nan_sign=False)
    fused = _one_call(dtype, 64, 40, 48)  # (lr 0 too: add_matmul_ then takes the two steps)
    assert ("add_matmul(weight, " in step.source) == fused, step.source
    if fused:
        assert "add_matmul(weight_2, g_t" in step.source and ".mT, t" in step.source, step.source


def test_a_linear_layers_weight_gradient_is_one_product_in_its_layout() -> None:
    """Eager: ``W.grad`` of ``x @ W.T`` is ``gᵀ @ x``'s bits (not ``(xᵀ @ g)ᵀ``'s, which differ in
    the last bits on OpenBLAS), and a C array; a weight used as it is keeps ``xᵀ @ g``."""
    rng = np.random.default_rng(3)
    x, g = rng.normal(size=(37, 300)).astype(F32), rng.normal(size=(37, 20)).astype(F32)
    W = Tensor(rng.normal(size=(20, 300)).astype(F32), requires_grad=True)
    (Tensor(x) @ W.T).backward(Tensor(g))
    assert W.grad.data.tobytes() == (g.T @ x).tobytes() and W.grad.data.flags.c_contiguous
    V = Tensor(np.ascontiguousarray(W.data.T), requires_grad=True)
    (Tensor(x) @ V).backward(Tensor(g))
    assert V.grad.data.tobytes() == (x.T @ g).tobytes()


def test_a_wrong_fused_update_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bitwise comparison above fails for an update rounded twice (p - lr * (a @ b) in numpy)."""

    def twice(p: np.ndarray, a: np.ndarray, b: np.ndarray, alpha: float) -> None:
        p += p.dtype.type(alpha) * (a @ b)

    monkeypatch.setattr(program_module, "add_matmul_", twice)
    eager, compiled, _ = _eager_and_compiled(lambda p: O.SGD(p, lr=0.1))
    assert not _same(eager, compiled)


def test_learning_rates_are_read_at_every_call() -> None:
    """A scheduler's new lr, a group's momentum switched on, an accumulated .grad: the same
    numbers as the eager loop (the fused code where it applies, the plain step where not)."""
    X, y = _data()
    runs = []
    for compiled in (False, True):
        P = _params()
        opt = O.SGD(P, lr=0.2)
        sched = O.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        loss_fn = _loss_fn(P, X, y)
        step = ag.compile(loss_fn, optimizer=opt)
        for k in range(8):
            if k == 4:
                opt.param_groups[0]["momentum"] = 0.5
            if k == 6:
                opt.param_groups[0]["momentum"] = 0
                opt.state.clear()
            if k == 7:  # (a gradient already there: the step adds to it)
                (loss_fn() * 0.5).backward()
            if compiled:
                step()
            else:
                loss = loss_fn()
                loss.backward()
                opt.step()
                opt.zero_grad()
            sched.step()
        runs.append([p.data.copy() for p in P])
    assert _same(*runs)


def test_a_parameter_outside_the_optimizer_keeps_its_gradient() -> None:
    X, y = _data()
    P = _params()
    opt = O.SGD(P[2:], lr=0.1)
    step = ag.compile(_loss_fn(P, X, y), optimizer=opt)
    step()
    first = P[0].grad.data.copy()
    step()
    assert P[0].grad is not None and not np.array_equal(P[0].grad.data, first)  # (accumulated)
    assert all(p.grad is None for p in P[2:])


def test_modes() -> None:
    X, y = _data()
    P = _params()
    before = [p.data.copy() for p in P]
    step = ag.compile(_loss_fn(P, X, y), optimizer=O.SGD(P, lr=0.1))
    with ag.no_grad():
        loss = step()
    assert _same(before, [p.data for p in P]) and np.isfinite(loss.item())
    with ag.detect_anomaly():
        step()
    assert not _same(before, [p.data for p in P]) and all(p.grad is None for p in P)


def test_check_mode_steps_too() -> None:
    eager, compiled, _ = _eager_and_compiled(lambda p: O.SGD(p, lr=0.1), steps=1)
    X, y = _data()
    P = _params()
    step = ag.compile(_loss_fn(P, X, y), check=True, optimizer=O.SGD(P, lr=0.1))
    step()
    assert _same(eager[:-1], [p.data for p in P])


def test_the_version_counter_counts_the_fused_update() -> None:
    X, y = _data()
    P = _params()
    step = ag.compile(_loss_fn(P, X, y), optimizer=O.SGD(P, lr=0.1))
    step()
    stale = (P[0] * P[0]).sum()  # (a graph that saved W1's old numbers)
    step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        stale.backward()


def test_values_and_a_closure_optimizer() -> None:
    w = Value(0.5)
    opt = O.SGD([w], lr=0.1)
    step = ag.compile(lambda x: (w * x - 1.0) ** 2, optimizer=opt)
    step(2.0)
    assert w.data == pytest.approx(0.5 - 0.1 * 2 * (0.5 * 2 - 1.0) * 2)
    with pytest.raises(TypeError, match="optimizer: .*closure"):
        ag.compile(lambda: w * 1.0, optimizer=O.LBFGS([Tensor([1.0], requires_grad=True)]))
    with pytest.raises(
        TypeError, match=r"optimizer: expected an optimizer with step\(\) and zero_grad\(\).*list"
    ):
        ag.compile(lambda: w * 1.0, optimizer=[w])


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 70), min_size=2, max_size=4),
    batch=st.sampled_from([1, 2, 7, 64, 300, 500]),
    dtype=st.sampled_from([F32, F64]),
    lr=st.sampled_from([0.0, 1e-30, 0.01, 0.5, 1.0, 3.0]),
    special=st.sampled_from([None, np.nan, np.inf, -np.inf]),
)
def test_fuzz_training_steps(sizes: list[int], batch: int, dtype: Any, lr: float, special: Any) -> None:
    """Random widths, batches past a BLAS block (K > 384), learning rates from 0 to 3, a non-finite
    input: three compiled SGD steps give the eager loop's parameters and losses, bit for bit, the
    sign of a nan aside: where a weight and its gradient are both nan (lr 0), which nan the update
    keeps varies with the array's length and position in ``axpy_``'s emulation itself (numpy's
    loops), and SGD batches the small arrays the code updates one by one."""
    rng = np.random.default_rng(len(sizes) * 1000 + batch)
    X = rng.normal(size=(batch, sizes[0])).astype(dtype)
    if special is not None:
        X[rng.integers(0, batch), rng.integers(0, sizes[0])] = special
    y = rng.integers(0, sizes[-1], batch)
    runs = []
    for compiled in (False, True):
        P = _params(dtype, (*sizes,), seed=batch)
        opt = O.SGD(P, lr=lr)
        loss_fn = _loss_fn(P, Tensor(X), y)
        step = ag.compile(loss_fn, optimizer=opt)
        losses = []
        for _ in range(3):
            if compiled:
                losses.append(step().data)
            else:
                loss = loss_fn()
                loss.backward()
                opt.step()
                opt.zero_grad()
                losses.append(loss.data)
        runs.append([p.data for p in P] + losses)
    assert _same(*runs, nan_sign=False)


# -- add_matmul_ itself


@pytest.mark.parametrize("dtype", [F32, F64])
@pytest.mark.parametrize("shape", [(64, 32, 16), (40, 64, 32), (33, 65, 17), (1, 2048, 8), (32, 32, 1000)])
@pytest.mark.parametrize("layouts", ["nn", "tn", "nt", "tt"])
def test_add_matmul_gives_the_two_steps_numbers(
    dtype: Any, shape: tuple[int, int, int], layouts: str
) -> None:
    m, n, k = shape
    rng = np.random.default_rng(m * n * k)
    a = (
        rng.normal(size=(k, m)).astype(dtype).T
        if layouts[0] == "t"
        else rng.normal(size=(m, k)).astype(dtype)
    )
    b = (
        rng.normal(size=(n, k)).astype(dtype).T
        if layouts[1] == "t"
        else rng.normal(size=(k, n)).astype(dtype)
    )
    p = rng.normal(size=(m, n)).astype(dtype)
    p.reshape(-1)[::97] = np.nan
    a[0, 0], b[-1, -1] = np.inf, -np.inf
    for alpha in (-0.0123, 0.5, -1.0, 0.0, 1e-30):
        expected, got = p.copy(), p.copy()
        with np.errstate(all="ignore"):
            axpy_(expected, alpha, a @ b)
            add_matmul_(got, a, b, alpha)
        assert got.tobytes() == expected.tobytes(), alpha


def test_other_arguments_take_the_two_steps() -> None:
    rng = np.random.default_rng(0)
    p = rng.normal(size=(64, 64)).astype(F32)
    a = rng.normal(size=(64, 8)).astype(F32)
    for b in (rng.normal(size=(8, 128)).astype(F32)[:, ::2], rng.normal(size=(8, 64)).astype(F64)):
        expected, got = p.copy(), p.copy()
        axpy_(expected, -0.1, a @ b)
        add_matmul_(got, a, b, -0.1)
        assert got.tobytes() == expected.tobytes()
    expected = p.copy()
    axpy_(expected, -0.1, p[:, :8] @ a.T)
    add_matmul_(p, p[:, :8], a.T, -0.1)  # (the weight is one of the factors: read before written)
    assert p.tobytes() == expected.tobytes()


def test_the_self_check_rejects_a_gemm_that_rounds_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_agrees`` refuses a gemm whose numbers are not the two steps' (alpha off by one unit)."""
    dtype = np.dtype(F32)
    assert _agrees(dtype, 112, 111, 64, 32, 16)
    real = _gemm[dtype]

    def off(*args: Any) -> None:
        args = list(args)
        args[6] = float(np.nextafter(F32(args[6]), F32(0)))
        real(*args)

    monkeypatch.setitem(_gemm, dtype, off)
    assert not _agrees(dtype, 112, 111, 64, 32, 16)
    monkeypatch.setattr("autograd._gemm._plans", {})
    rng = np.random.default_rng(3)
    p, a, b = (rng.normal(size=s).astype(F32) for s in ((64, 32), (64, 16), (16, 32)))
    expected, got = p.copy(), p.copy()
    axpy_(expected, -0.1, a @ b)
    add_matmul_(got, a, b, -0.1)  # (refused by the check: the two steps)
    assert got.tobytes() == expected.tobytes()


def test_memory_does_not_grow_over_many_training_steps() -> None:
    X, y = _data()
    P = _params()
    step = ag.compile(_loss_fn(P, X, y), optimizer=O.SGD(P, lr=0.01))
    step()
    assert "add_matmul(" in step.source or not _one_call(F32, 40, 64, 32)

    def run(n: int) -> None:
        for _ in range(n):
            step()

    grown = bytes_grown(run)
    assert grown < 20_000, f"{grown} bytes more after 500 steps"


def test_a_constant_input_of_the_trace_is_fused_too() -> None:
    """``Tensor(X)`` made inside the function from a numpy array: a constant of the code, read by
    the fused product as by the plain one."""
    rng = np.random.default_rng(0)
    Xn = rng.normal(size=(32, 40)).astype(F32)
    runs = []
    for compiled in (False, True):
        W = Tensor(np.random.default_rng(1).normal(size=(40, 64)).astype(F32), requires_grad=True)
        opt = O.SGD([W], lr=0.1)

        def loss_fn(W: Tensor = W) -> Tensor:
            return (Tensor(Xn) @ W).tanh().sum()

        step = ag.compile(loss_fn, optimizer=opt)
        for _ in range(3):
            if compiled:
                step()
            else:
                loss_fn().backward()
                opt.step()
                opt.zero_grad()
        runs.append([W.data])
    assert _same(*runs)
    assert ("add_matmul(p, c_2, " in step.source) == _one_call(F32, 40, 64, 32), step.source
