"""Compiled steps (``autograd.compile``) against hand-written numpy, ``jax.jit``, micrograd and the
engine's eager steps, on the workloads and targets of the issue "compiled steps".

Groups (each runs in a process of its own: the Value group imports neither torch nor jax, whose
heaps would slow every full collection of the cyclic collector):

- ``tensor``: (d) the 2-16-16-1 tanh MSE step, batch 100, float32 (compiled, numpy with a hand
  backward, the eager engine, ``jax.jit`` of ``value_and_grad`` + SGD); (c) the 784-256-10 relu
  cross-entropy step, batch 128, float32 (compiled, numpy, eager; the compiled step once with the
  numpy step's own update loop, once as a user writes it, with ``optimizers.SGD``).
- ``values``: (b) micrograd's demo step on Values (compiled, eager); (a) a Value chain of 1,000
  ops ``y = y * x; y = y + x`` with its backward (compiled, micrograd 0.1.0, eager).
- ``second``: a Hessian-vector product and the full Hessian of the 2-16-16-1 network's loss as a
  function of its 337 parameters, float64 (compiled ``hvp``/``hessian``, ``jax.jit``, eager).

Implementations take turns, in an order that turns by one place each block, every block starting
with an untimed call; every ratio is the median of the per-block ratios, shown
with the middle half of those ratios and a bootstrap 95% interval of the median. (c) times eight
copies of every step in turn (``copies``), so where its arrays lie in memory varies instead
of favouring one side for a whole run, and times numpy against a copy of itself as a control. jax is optional:
without it its rows say so. Compile time is the first call of a new compiled function (trace,
code generation, Python's compile, one step) less one step; break-even is the number of steps after
which compiling has paid for itself against the eager step.

    python benchmarks/bench_compiled.py --clock cpu             # every group (~8 min)
    python benchmarks/bench_compiled.py --quick                 # smoke run; targets not judged
    python benchmarks/bench_compiled.py --only second
"""

from __future__ import annotations

import os

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

H.single_thread()  # before numpy (and jax) are imported
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import argparse  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

GROUPS = ("tensor", "values", "second")
F32 = np.float32


def jax_or_none() -> Any:
    try:
        import jax

        jax.config.update("jax_platforms", "cpu")
        jax.config.update("jax_enable_x64", True)  # (float64 where asked for; float32 stays float32)
        return jax
    except ImportError:  # pragma: no cover - an optional peer
        return None


# ---------------------------------------------------------------------------- measuring
def interleaved(
    steps: dict[str, Callable[[], Any] | list[Callable[[], Any]]], blocks: int, per_block: int, clock: str
) -> dict[str, list[float]]:
    """Seconds per call of each implementation, per block. The order turns by one place each block,
    and each block starts with one untimed call: an implementation that ran just before (as the
    first and last do when the order merely alternates) gains no warm caches from it. An
    implementation given as a list of copies (:func:`copies`) times copy i mod n in block i."""
    read = time.process_time if clock == "cpu" else time.perf_counter
    each = {name: s if isinstance(s, list) else [s] for name, s in steps.items()}
    for copies_ in each.values():  # warm up (a compiled step traces here)
        for s in copies_:
            for _ in range(max(per_block // 4, 2)):
                s()
    gc.collect()
    out: dict[str, list[float]] = {name: [] for name in steps}
    names = list(steps)
    for i in range(blocks):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            s = each[name][i % len(each[name])]
            s()
            t0 = read()
            for _ in range(per_block):
                s()
            out[name].append((read() - t0) / per_block)
    return out


def copies(
    makers: dict[str, Callable[[], Callable[[], Any]]], n: int = 8
) -> dict[str, list[Callable[[], Any]]]:
    """``n`` steps of each implementation (``makers``: a function building one), each built after an
    allocation of random size, so where a step's arrays lie in memory varies from copy to copy. With
    one copy each, an identical numpy step of (c) ran 1.5% slower than its twin for a whole run, a
    bias that no number of blocks removes."""
    rng = np.random.default_rng(0)
    built: dict[str, list[Callable[[], Any]]] = {name: [] for name in makers}
    for _ in range(n):
        for name, make in makers.items():
            pad = np.ones(int(rng.integers(1, 1 << 17)), np.uint8)  # (on the heap: moves what comes next)
            built[name].append(make())
            del pad
    return built


def ratio(times: dict[str, list[float]], slow: str, fast: str) -> tuple[float, str, float, float]:
    """The median of the per-block ratios slow/fast, its spread as text, and the bootstrap 95%
    interval of that median (low, high): a target counts as met only when the interval clears it."""
    ratios = [a / b for a, b in zip(times[slow], times[fast])]
    q1, q3, low, high = H.spread(ratios)
    return statistics.median(ratios), f"{q1:.2f}–{q3:.2f}; 95% {low:.2f}–{high:.2f}", low, high


def first_call(make: Callable[[], Callable[[], Any]], clock: str) -> float:
    """Seconds of a new compiled step's first call (trace, generate, compile, run once)."""
    read = time.process_time if clock == "cpu" else time.perf_counter
    step = make()
    gc.collect()
    t0 = read()
    step()
    return read() - t0


class Report:
    """Rows of the tables, printed at the end of a group."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.times: list[list[str]] = []
        self.targets: list[list[str]] = []
        self.compile: list[list[str]] = []

    def verdict(self, ok: bool) -> str:
        return "(quick run: indicative only)" if self.quick else H.verdict(ok)

    def target(self, what: str, value: float, spread_: str, ok: bool, shown: str) -> None:
        self.targets.append([what, shown.format(value), spread_, self.verdict(ok)])

    def print(self, title: str) -> None:
        print(f"## {title}\n")
        print(H.table(["workload", "implementation", "median time per call"], self.times))
        print()
        if self.targets:
            print(
                H.table(
                    ["target", "result (median of paired ratios)", "middle half; 95% interval", "status"],
                    self.targets,
                )
            )
            print()
        if self.compile:
            heads = [
                "compiled workload",
                "compile time (first call less one step)",
                "step saved vs eager",
                "break-even",
            ]
            print(H.table(heads, self.compile))
            print()


def compile_row(report: Report, what: str, make: Callable[[], Callable[[], Any]], eager: float,
                compiled: float, clock: str) -> None:  # fmt: skip
    cost = max(first_call(make, clock) - compiled, 0.0)
    saved = eager - compiled
    even = f"{cost / saved:,.0f} steps" if saved > 0 else "never"
    report.compile.append([what, H.fmt_time(cost), H.fmt_time(saved), even])


# ---------------------------------------------------------------------------- tensor
def group_tensor(args: Any) -> None:
    try:
        from benchmarks import bench_tensor as BT
    except ImportError:  # run as a script
        import bench_tensor as BT  # type: ignore[no-redef]
    jax = jax_or_none()
    report = Report(args.quick)
    blocks = 5 if args.quick else args.blocks
    rng = np.random.default_rng(1)

    # (d) 2-16-16-1
    Xd = rng.normal(size=(100, 2)).astype(F32)
    yd = np.sin(Xd[:, :1] * 2) * Xd[:, 1:]
    pd = BT.init([2, 16, 16, 1])
    make = {
        "numpy": lambda lr: BT.regression_numpy(pd, Xd, yd, lr),
        "compiled": lambda lr: BT.regression_ours(pd, Xd, yd, lr, compiled=True),
        "eager": lambda lr: BT.regression_ours(pd, Xd, yd, lr),
    }
    if jax is not None:
        make["jax.jit"] = lambda lr: regression_jax(jax, pd, Xd, yd, lr)
    _agree({k: f(0.1) for k, f in make.items()}, "(d)")
    times = interleaved({k: f(0.05) for k, f in make.items()}, blocks, 100, args.clock)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k in make:
        report.times.append(["(d) 2-16-16-1 tanh MSE step, batch 100, float32", k, H.fmt_time(med[k])])
    r, sp, low, high = ratio(times, "compiled", "numpy")
    shown = "{:.2f}x numpy's time"
    report.target("(d) compiled within 1.2x of hand-written numpy", r, sp, high <= 1.2, shown)
    if jax is not None:
        r, sp, low, high = ratio(times, "jax.jit", "compiled")
        report.target("(d) compiled faster than jax.jit", r, sp, low > 1.0, "jax.jit takes {:.2f}x as long")
    else:
        report.targets.append(["(d) compiled faster than jax.jit", "jax not installed", "", "skipped"])
    compile_row(
        report,
        "(d) 2-16-16-1 step",
        lambda: make["compiled"](0.05),
        med["eager"],
        med["compiled"],
        args.clock,
    )

    # (c) 784-256-10
    Xc, yc = rng.normal(size=(128, 784)).astype(F32), rng.integers(0, 10, 128)
    pc = BT.init([784, 256, 10])
    # "compiled": the numpy step's own update (p -= lr * g, through .grad) after the compiled step;
    # "compiled + SGD": the user's step, opt.step(); opt.zero_grad() with optimizers.SGD (the same numbers);
    # "compiled training step": compile(loss_fn, optimizer=SGD), the update in the code (the same numbers)
    make_c = {
        "numpy": lambda lr: BT.classifier_numpy(pc, Xc, yc, "relu", lr),
        "numpy, a second copy": lambda lr: BT.classifier_numpy(pc, Xc, yc, "relu", lr),
        "compiled training step": lambda lr: BT.classifier_ours(pc, Xc, yc, "relu", lr, fused=True),
        "compiled training step, nn.Linear": lambda lr: BT.classifier_linear(pc, Xc, yc, lr),
        "compiled + SGD": lambda lr: BT.classifier_ours(pc, Xc, yc, "relu", lr, True, optimizer=True),
        "compiled": lambda lr: BT.classifier_ours(pc, Xc, yc, "relu", lr, compiled=True),
        "eager": lambda lr: BT.classifier_ours(pc, Xc, yc, "relu", lr),
    }
    _agree({k: f(0.1) for k, f in make_c.items()}, "(c)")
    times = interleaved(copies({k: (lambda f=f: f(0.01)) for k, f in make_c.items()}), blocks, 10, args.clock)
    med = {k: statistics.median(v) for k, v in times.items()}
    for k in make_c:
        report.times.append(["(c) 784-256-10 relu CE step, batch 128, float32", k, H.fmt_time(med[k])])
    r, sp, low, high = ratio(times, "compiled training step", "numpy")
    what = "(c) compiled training step, compile(loss_fn, optimizer=SGD), no slower than hand-written numpy"
    report.target(what, r, sp, high <= 1.0, shown)
    r, sp, low, high = ratio(times, "compiled training step, nn.Linear", "numpy")
    what = "(c) the same with nn.Linear layers and F.cross_entropy (W stored as (out, in))"
    report.target(what, r, sp, high <= 1.0, shown)
    r, sp, low, high = ratio(times, "compiled + SGD", "numpy")
    what = "(c) the compiled loss function, then opt.step(); opt.zero_grad() with optimizers.SGD"
    report.target(what, r, sp, high <= 1.0, shown)
    r, sp, low, high = ratio(times, "compiled", "numpy")
    report.target("(c) the same, with the numpy step's own update loop", r, sp, high <= 1.0, shown)
    r, sp, low, high = ratio(times, "numpy, a second copy", "numpy")
    control = "(c) control: numpy against a copy of itself, biased by under 1%"
    report.target(control, r, sp, 0.99 <= low and high <= 1.01, shown)
    compile_row(
        report,
        "(c) 784-256-10 step",
        lambda: make_c["compiled"](0.01),
        med["eager"],
        med["compiled"],
        args.clock,
    )
    report.print("Compiled Tensor steps vs hand-written numpy, jax.jit and eager (float32, one thread)")


def regression_jax(jax: Any, params: list[np.ndarray], X: np.ndarray, y: np.ndarray, lr: float) -> Callable:
    """(d) in jax: ``value_and_grad`` and the SGD update under one ``jax.jit``."""
    jnp = jax.numpy
    Xj, yj = jnp.asarray(X), jnp.asarray(y)

    def loss(P: list[Any]) -> Any:
        W1, b1, W2, b2, W3, b3 = P
        h = jnp.tanh(Xj @ W1 + b1)
        h = jnp.tanh(h @ W2 + b2)
        return jnp.mean((h @ W3 + b3 - yj) ** 2)

    @jax.jit
    def update(P: list[Any]) -> Any:
        value, grads = jax.value_and_grad(loss)(P)
        return [p - F32(lr) * g for p, g in zip(P, grads)], value

    state = [[jnp.asarray(p) for p in params]]

    def step() -> float:
        state[0], value = update(state[0])
        return float(value)

    step.params = state  # type: ignore[attr-defined]
    return step


def _agree(steps: dict[str, Callable[[], float]], what: str) -> None:
    """One step each from the same start: the same loss (float32 tolerance), else the comparison is void."""
    losses = {k: s() for k, s in steps.items()}
    for k, v in losses.items():
        if abs(v - losses["numpy"]) > 1e-4 * max(1.0, abs(losses["numpy"])):
            raise SystemExit(f"{what}: {k}'s loss {v} differs from numpy's {losses['numpy']}")


# ---------------------------------------------------------------------------- values
def group_values(args: Any) -> None:
    try:
        from benchmarks import bench_value as BV
    except ImportError:  # run as a script
        import bench_value as BV  # type: ignore[no-redef]
    import autograd

    report = Report(args.quick)
    X, y = BV.make_moons()
    model_e, model_c = BV.demo_model(BV.OURS), BV.demo_model(BV.OURS)
    k = {"eager": 0, "compiled": 0}
    compiled = BV.compiled_demo_step(model_c, X, y)

    def eager_step() -> Any:
        k["eager"] += 1
        return BV.demo_step(BV.OURS, model_e, X, y, k["eager"] % 100)

    def compiled_step() -> Any:
        k["compiled"] += 1
        return compiled(k["compiled"] % 100)

    a, b = eager_step(), compiled_step()
    if a.data != b.data or any(p.data != q.data for p, q in zip(model_e.parameters(), model_c.parameters())):
        raise SystemExit("(b): the compiled demo step differs from the eager one")
    blocks = 3 if args.quick else 11
    times = interleaved({"eager": eager_step, "compiled": compiled_step}, blocks, 3, args.clock)
    med = {n: statistics.median(v) for n, v in times.items()}
    for n in times:
        report.times.append(
            ["(b) micrograd's demo step, MLP(2,[16,16,1]), 100 points, Values", n, H.fmt_time(med[n])]
        )
    r, sp, low, high = ratio(times, "eager", "compiled")
    report.target("(b) demo step compiled ≥ 5x faster than eager", r, sp, low >= 5.0, "{:.1f}x as fast")

    def new_demo() -> Callable[[], Any]:
        step = BV.compiled_demo_step(BV.demo_model(BV.OURS), X, y)
        return lambda: step(0)

    compile_row(report, "(b) demo step", new_demo, med["eager"], med["compiled"], args.clock)

    # (a) a Value chain of 1,000 ops
    n = 1000
    chain_fn = autograd.compile(lambda x: BV.chain_forward(x, n))

    def ours() -> Any:
        return chain_fn(autograd.Value(0.99))

    def eager() -> Any:
        return BV.chain(BV.OURS, n)

    steps = {"compiled": ours, "eager": eager}
    if BV.MICRO is not None:
        steps["micrograd"] = lambda: BV.run(BV.MICRO, lambda: BV.chain(BV.MICRO, n))
    x0 = autograd.Value(0.99)
    chain_fn(x0)
    if x0.grad != BV.chain(BV.OURS, n)[0].grad:
        raise SystemExit("(a): the compiled chain's gradient differs from the eager one")
    times = interleaved(steps, 5 if args.quick else 21, 20, args.clock)
    med = {n_: statistics.median(v) for n_, v in times.items()}
    for n_ in times:
        report.times.append(["(a) Value chain, 1,000 ops, build + backward", n_, H.fmt_time(med[n_])])
    if "micrograd" in times:
        r, sp, low, high = ratio(times, "micrograd", "compiled")
        report.target(
            "(a) chain of 1,000 compiled ≥ 10x faster than micrograd", r, sp, low >= 10.0, "{:.1f}x as fast"
        )

    def new_chain() -> Callable[[], Any]:
        step = autograd.compile(lambda x: BV.chain_forward(x, n))
        return lambda: step(autograd.Value(0.99))

    compile_row(report, "(a) chain of 1,000", new_chain, med["eager"], med["compiled"], args.clock)
    report.print("Compiled Value steps vs the eager engine and micrograd (gc on)")


# ---------------------------------------------------------------------------- second order
def group_second(args: Any) -> None:
    import autograd as ag

    jax = jax_or_none()
    report = Report(args.quick)
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(100, 2)), rng.normal(size=(100, 1))
    sizes = [(2, 16), (16,), (16, 16), (16,), (16, 1), (1,)]
    n = sum(int(np.prod(s)) for s in sizes)

    def unpack(theta: Any) -> list[Any]:
        parts, k = [], 0
        for s in sizes:
            m = int(np.prod(s))
            parts.append(theta[k : k + m].reshape(s))
            k += m
        return parts

    def f(theta: Any) -> Any:
        W1, b1, W2, b2, W3, b3 = unpack(theta)
        h = (ag.Tensor(X) @ W1 + b1).tanh()
        h = (h @ W2 + b2).tanh()
        return (((h @ W3 + b3) - ag.Tensor(y)) ** 2).mean()

    cf = ag.compile(f)
    theta, v = rng.normal(size=n) * 0.5, rng.normal(size=n)
    hv = ag.hvp(cf, theta, v)
    if not np.array_equal(hv, ag.hvp(f, theta, v)):
        raise SystemExit("hvp: the compiled HVP differs from the eager one")
    steps = {"compiled": lambda: ag.hvp(cf, theta, v), "eager": lambda: ag.hvp(f, theta, v)}
    hess_c = ag.hessian(cf)
    hsteps = {"compiled": lambda: hess_c(theta)}
    if jax is not None:
        jnp = jax.numpy
        Xj, yj = jnp.asarray(X), jnp.asarray(y)

        def fj(theta: Any) -> Any:
            W1, b1, W2, b2, W3, b3 = unpack(theta)
            h = jnp.tanh(jnp.tanh(Xj @ W1 + b1) @ W2 + b2)
            return jnp.mean((h @ W3 + b3 - yj) ** 2)

        hvp_j = jax.jit(lambda x, t: jax.jvp(jax.grad(fj), (x,), (t,))[1])
        hess_j = jax.jit(jax.hessian(fj))
        tj, vj = jnp.asarray(theta), jnp.asarray(v)
        if not np.allclose(np.asarray(hvp_j(tj, vj)), hv, rtol=1e-9, atol=1e-12):
            raise SystemExit("hvp: jax's HVP differs from the engine's")
        steps["jax.jit"] = lambda: hvp_j(tj, vj).block_until_ready()
        hsteps["jax.jit"] = lambda: hess_j(tj).block_until_ready()
    times = interleaved(steps, 5 if args.quick else 21, 20, args.clock)
    med = {k: statistics.median(t) for k, t in times.items()}
    for k in times:
        report.times.append([f"HVP, {n} parameters (2-16-16-1, batch 100, float64)", k, H.fmt_time(med[k])])
    if jax is not None:
        r, sp, low, high = ratio(times, "compiled", "jax.jit")
        report.target("HVP compiled within 3x of jax.jit", r, sp, high <= 3.0, "{:.2f}x jax's time")
    else:
        report.targets.append(["HVP compiled within 3x of jax.jit", "jax not installed", "", "skipped"])

    def new_hvp() -> Callable[[], Any]:
        step = ag.compile(f)
        return lambda: ag.hvp(step, theta, v)

    compile_row(report, "HVP", new_hvp, med["eager"], med["compiled"], args.clock)
    times = interleaved(hsteps, 3 if args.quick else 9, 1, args.clock)
    med = {k: statistics.median(t) for k, t in times.items()}
    read = time.process_time if args.clock == "cpu" else time.perf_counter
    t0 = read()
    ag.hessian(f)(theta)  # (the eager Hessian, once: jacrev of jacrev, n graph builds)
    med["eager (once)"] = read() - t0
    for k, t in med.items():
        report.times.append([f"full {n}×{n} Hessian", k, H.fmt_time(t)])
    if jax is not None:
        r, sp, low, high = ratio(times, "compiled", "jax.jit")
        report.target(
            f"full {n}×{n} Hessian compiled within 3x of jax.jit", r, sp, high <= 3.0, "{:.2f}x jax's time"
        )
    else:
        report.targets.append(["full Hessian within 3x of jax.jit", "jax not installed", "", "skipped"])
    report.print(f"Compiled second derivatives vs jax.jit and eager ({n} parameters, float64, one thread)")


# ---------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer blocks (smoke run)")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="wall-clock or process CPU time")
    ap.add_argument("--only", choices=GROUPS, help="run one group in this process")
    ap.add_argument("--blocks", type=int, default=21, help="blocks of the Tensor steps")
    args = ap.parse_args(argv)
    if args.only is None:
        print(f"`{H.command_line()}`\n\n{H.machine()}, numpy {np.__version__}; load {H.load()} before.\n")
        status = 0
        for group in GROUPS:
            sys.stdout.flush()
            extra = (["--quick"] if args.quick else []) + ["--blocks", str(args.blocks)]
            status |= subprocess.run(
                [sys.executable, __file__, "--only", group, "--clock", args.clock, *extra]
            ).returncode
        print(f"load {H.load()} after")
        return status
    {"tensor": group_tensor, "values": group_values, "second": group_second}[args.only](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
