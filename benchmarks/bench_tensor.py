"""``Tensor`` engine vs hand-written numpy and PyTorch eager: one training step, float32, one thread.

(c) MLP 784-256-10, batch 128: ``relu`` (and ``tanh``) hidden layer, softmax
    cross-entropy as ``-log_softmax(logits)[arange(B), labels].mean()``,
    backward, SGD update. The numpy baseline is the same step with the
    backward derived by hand (the only hand-derived gradient in the project).
(d) MLP 2-16-16-1 with tanh, batch 100, MSE loss, backward, SGD update: small
    arrays, so per-operation overhead decides.

BLAS and OpenMP are pinned to one thread (``OMP_NUM_THREADS=1`` etc. before
numpy/torch are imported, ``torch.set_num_threads(1)``). The implementations
run interleaved, block by block, so load from other processes hits all alike;
the table shows the median time per step over the blocks (gc on).

    python benchmarks/bench_tensor.py            # full run (~1 min)
    python benchmarks/bench_tensor.py --quick    # smoke run (~10 s)
"""

from __future__ import annotations

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

H.single_thread()  # before numpy and torch are imported

import argparse  # noqa: E402
import gc  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from autograd import Tensor  # noqa: E402

try:
    import torch

    torch.set_num_threads(1)
except ImportError:  # pragma: no cover
    torch = None  # type: ignore[assignment]

F32 = np.float32


def init(sizes: list[int], seed: int = 0) -> list[np.ndarray]:
    """W1, b1, W2, b2, ... drawn like PyTorch's Linear default, float32."""
    rng = np.random.default_rng(seed)
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        bound = 1 / np.sqrt(a)
        params += [rng.uniform(-bound, bound, (a, b)).astype(F32), rng.uniform(-bound, bound, b).astype(F32)]
    return params


def _forward_backward(loss_fn: Callable[[], Tensor], compiled: bool) -> Callable[[], Tensor]:
    """``loss_fn()`` then ``loss.backward()``; or ``loss_fn`` compiled, which does both."""
    if compiled:
        import autograd

        step = autograd.compile(loss_fn)
        step.loss_fn = loss_fn  # type: ignore[attr-defined]
        return step

    def eager() -> Tensor:
        loss = loss_fn()
        loss.backward()
        return loss

    return eager


# ---------------------------------------------------------------------------
# (c) classifier step, three ways. Each returns a `step()` that returns the loss.
# ---------------------------------------------------------------------------
def classifier_ours(
    params: list[np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    act: str,
    lr: float,
    compiled: bool = False,
    optimizer: bool = False,
    fused: bool = False,
) -> Callable:
    """The step on the engine: ``loss.backward()``, or with ``compiled`` the loss function compiled
    (``autograd.compile``: it fills ``.grad`` itself). The update is the numpy baseline's
    ``p -= lr * g`` through ``.grad``; with ``optimizer``, a user's ``opt.step(); opt.zero_grad()``
    with ``optimizers.SGD`` (the same numbers); with ``fused``, the whole training step compiled,
    ``autograd.compile(loss_fn, optimizer=opt)`` (SGD's update written into the code: the same
    numbers)."""
    P = [Tensor(p, requires_grad=True) for p in params]
    W1, b1, W2, b2 = P
    Xt, rows = Tensor(X), np.arange(len(y))

    def loss_fn() -> Tensor:
        h = getattr(Xt @ W1 + b1, act)()
        logits = h @ W2 + b2
        return -logits.log_softmax(-1)[rows, y].mean()

    forward_backward = _forward_backward(loss_fn, compiled)

    def step() -> float:
        loss = forward_backward()
        for p in P:
            p.data -= lr * p.grad.data  # (.grad is a Tensor; .data its array)
            p.grad = None
        return loss.item()

    def user_step() -> float:
        loss = forward_backward()
        opt.step()
        opt.zero_grad()
        return loss.item()

    if optimizer or fused:
        import optimizers

        opt = optimizers.SGD(P, lr=lr)
        step = user_step
    if fused:
        import autograd

        train = autograd.compile(loss_fn, optimizer=opt)

        def step() -> float:
            return train().item()

    step.params = P  # type: ignore[attr-defined]
    return step


def classifier_linear(params: list[np.ndarray], X: np.ndarray, y: np.ndarray, lr: float) -> Callable:
    """The (c) relu step as a PyTorch user writes it: ``nn.Linear`` layers (``x @ W.T + b``, the
    weights stored transposed: (out, in)), ``F.cross_entropy``, ``optimizers.SGD``, the whole
    training step compiled (``autograd.compile(loss_fn, optimizer=opt)``). The same numbers as
    the numpy step."""
    import autograd
    import optimizers
    from autograd import nn
    from autograd.nn import functional as F

    W1, b1, W2, b2 = params
    model = nn.Sequential(nn.Linear(784, 256, dtype=F32), nn.ReLU(), nn.Linear(256, 10, dtype=F32))
    first, last = model[0], model[2]
    for layer, W, b in ((first, W1, b1), (last, W2, b2)):
        layer.weight.data[...] = W.T
        layer.bias.data[...] = b
    Xt, yt = Tensor(X), Tensor(y)
    opt = optimizers.SGD(model.parameters(), lr=lr)
    train = autograd.compile(lambda: F.cross_entropy(model(Xt), yt), optimizer=opt)

    def step() -> float:
        return train().item()

    step.params = [_Transposed(first.weight), first.bias, _Transposed(last.weight), last.bias]  # type: ignore[attr-defined]
    return step


class _Transposed:
    """A weight of ``nn.Linear`` as the numpy step holds it, (in, out), for ``check_agree``."""

    def __init__(self, p: Tensor) -> None:
        self.p = p

    @property
    def data(self) -> np.ndarray:
        return self.p.data.T


def classifier_torch(params: list[np.ndarray], X: np.ndarray, y: np.ndarray, act: str, lr: float) -> Callable:
    P = [torch.tensor(p, requires_grad=True) for p in params]
    W1, b1, W2, b2 = P
    Xt, yt, rows = torch.from_numpy(X), torch.from_numpy(y), torch.arange(len(y))

    def step() -> float:
        h = getattr(Xt @ W1 + b1, act)()
        logits = h @ W2 + b2
        loss = -logits.log_softmax(-1)[rows, yt].mean()
        loss.backward()
        with torch.no_grad():
            for p in P:
                p -= lr * p.grad
                p.grad = None
        return loss.item()

    step.params = P  # type: ignore[attr-defined]
    return step


def classifier_numpy(params: list[np.ndarray], X: np.ndarray, y: np.ndarray, act: str, lr: float) -> Callable:
    P = [p.copy() for p in params]
    W1, b1, W2, b2 = P
    B, rows = len(y), np.arange(len(y))
    lr32 = F32(lr)

    def step() -> float:
        z = X @ W1 + b1
        h = np.maximum(z, 0) if act == "relu" else np.tanh(z)
        logits = h @ W2 + b2
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        logp = shifted - np.log(s)
        loss = -logp[rows, y].mean()
        # backward, derived by hand: d loss / d logits = (softmax - onehot) / B
        d_logits = e / s
        d_logits[rows, y] -= 1
        d_logits /= B
        d_W2, d_b2 = h.T @ d_logits, d_logits.sum(axis=0)
        d_h = d_logits @ W2.T
        d_z = d_h * (z > 0) if act == "relu" else d_h * (1 - h * h)
        d_W1, d_b1 = X.T @ d_z, d_z.sum(axis=0)
        for p, g in zip(P, (d_W1, d_b1, d_W2, d_b2)):
            p -= lr32 * g
        return float(loss)

    step.params = P  # type: ignore[attr-defined]
    return step


# ---------------------------------------------------------------------------
# (d) tiny regression MLP step, three ways.
# ---------------------------------------------------------------------------
def regression_ours(
    params: list[np.ndarray], X: np.ndarray, y: np.ndarray, lr: float, compiled: bool = False
) -> Callable:
    """The step on the engine (see ``classifier_ours`` for ``compiled``)."""
    P = [Tensor(p, requires_grad=True) for p in params]
    W1, b1, W2, b2, W3, b3 = P
    Xt, yt = Tensor(X), Tensor(y)

    def loss_fn() -> Tensor:
        h = (Xt @ W1 + b1).tanh()
        h = (h @ W2 + b2).tanh()
        pred = h @ W3 + b3
        return ((pred - yt) ** 2).mean()

    forward_backward = _forward_backward(loss_fn, compiled)

    def step() -> float:
        loss = forward_backward()
        for p in P:
            p.data -= lr * p.grad.data  # (.grad is a Tensor; .data its array)
            p.grad = None
        return loss.item()

    step.params = P  # type: ignore[attr-defined]
    return step


def regression_torch(params: list[np.ndarray], X: np.ndarray, y: np.ndarray, lr: float) -> Callable:
    P = [torch.tensor(p, requires_grad=True) for p in params]
    W1, b1, W2, b2, W3, b3 = P
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def step() -> float:
        h = (Xt @ W1 + b1).tanh()
        h = (h @ W2 + b2).tanh()
        pred = h @ W3 + b3
        loss = ((pred - yt) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            for p in P:
                p -= lr * p.grad
                p.grad = None
        return loss.item()

    step.params = P  # type: ignore[attr-defined]
    return step


def regression_numpy(params: list[np.ndarray], X: np.ndarray, y: np.ndarray, lr: float) -> Callable:
    P = [p.copy() for p in params]
    W1, b1, W2, b2, W3, b3 = P
    lr32 = F32(lr)

    def step() -> float:
        h1 = np.tanh(X @ W1 + b1)
        h2 = np.tanh(h1 @ W2 + b2)
        pred = h2 @ W3 + b3
        diff = pred - y
        loss = (diff * diff).mean()
        d_pred = diff * F32(2 / diff.size)
        d_W3, d_b3 = h2.T @ d_pred, d_pred.sum(axis=0)
        d_z2 = (d_pred @ W3.T) * (1 - h2 * h2)
        d_W2, d_b2 = h1.T @ d_z2, d_z2.sum(axis=0)
        d_z1 = (d_z2 @ W2.T) * (1 - h1 * h1)
        d_W1, d_b1 = X.T @ d_z1, d_z1.sum(axis=0)
        for p, g in zip(P, (d_W1, d_b1, d_W2, d_b2, d_W3, d_b3)):
            p -= lr32 * g
        return float(loss)

    step.params = P  # type: ignore[attr-defined]
    return step


# ---------------------------------------------------------------------------
def as_numpy(p: Any) -> np.ndarray:
    return p.detach().numpy() if torch is not None and isinstance(p, torch.Tensor) else np.asarray(p.data)


def check_agree(steps: dict[str, Callable], what: str) -> None:
    """One step each from the same start: same loss and same updated parameters (float32 tolerance)."""
    losses = {name: s() for name, s in steps.items()}
    ref = steps["numpy"]
    for name, s in steps.items():
        if abs(losses[name] - losses["numpy"]) > 1e-4 * max(1, abs(losses["numpy"])):
            raise SystemExit(f"{what}: {name} loss {losses[name]} differs from numpy's {losses['numpy']}")
        for p, q in zip(s.params, ref.params):  # type: ignore[attr-defined]
            if not np.allclose(as_numpy(p), q, rtol=1e-4, atol=1e-5):
                raise SystemExit(f"{what}: {name} parameters after one step differ from numpy's")
        for p in s.params:  # type: ignore[attr-defined]
            if as_numpy(p).dtype != F32:
                raise SystemExit(f"{what}: {name} parameters are not float32")


def interleaved(steps: dict[str, Callable], blocks: int, per_block: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per step of each implementation, one block of ``per_block`` steps at a time, round robin."""
    for s in steps.values():  # warm up
        for _ in range(max(per_block // 4, 2)):
            s()
    gc.collect()
    out = {name: {"wall": [], "cpu": []} for name in steps}
    for i in range(blocks):
        names = list(steps) if i % 2 == 0 else list(reversed(steps))
        for name in names:
            s = steps[name]
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(per_block):
                s()
            out[name]["wall"].append((time.perf_counter() - t0) / per_block)
            out[name]["cpu"].append((time.process_time() - c0) / per_block)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer blocks (smoke run)")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="wall-clock or process CPU time")
    args = ap.parse_args(argv)
    if torch is None:
        raise SystemExit("torch is not installed: pip install torch==2.13.0")
    blocks = 5 if args.quick else 21
    clock = args.clock
    rng = np.random.default_rng(1)
    load0 = H.load()

    results = {}
    Xc, yc = rng.normal(size=(128, 784)).astype(F32), rng.integers(0, 10, 128)
    for act in ("relu", "tanh"):
        pc = init([784, 256, 10])
        make = {"numpy": classifier_numpy, "autograd": classifier_ours, "torch": classifier_torch}
        check_agree({k: f(pc, Xc, yc, act, 0.1) for k, f in make.items()}, f"(c) {act}")
        results[f"c_{act}"] = interleaved({k: f(pc, Xc, yc, act, 0.01) for k, f in make.items()}, blocks, 10)

    Xd = rng.normal(size=(100, 2)).astype(F32)
    yd = np.sin(Xd[:, :1] * 2) * Xd[:, 1:]
    pd = init([2, 16, 16, 1])
    make = {"numpy": regression_numpy, "autograd": regression_ours, "torch": regression_torch}
    check_agree({k: f(pd, Xd, yd, 0.1) for k, f in make.items()}, "(d)")
    results["d"] = interleaved({k: f(pd, Xd, yd, 0.05) for k, f in make.items()}, blocks, 100)

    med = {w: {k: H.median(v[clock]) for k, v in r.items()} for w, r in results.items()}

    def ratio(w: str, slow: str, fast: str) -> float:  # median of the per-block ratios
        return H.paired_speedup(results[w][slow][clock], results[w][fast][clock])

    print(f"## Tensor engine vs numpy and PyTorch eager (float32, one thread)\n\n`{H.command_line()}`\n")
    print(
        f"{H.machine()}, numpy {np.__version__}, torch {torch.__version__}; load average {load0} before, "
        f"{H.load()} after; {clock} time. Median time per training step over {blocks} interleaved blocks "
        f"(10 steps per block for (c), 100 for (d)); gc on. Ratios are medians of the per-block ratios "
        f"(robust to the machine's speed drifting).\n"
    )
    rows = []
    labels = {
        "c_relu": "(c) 784-256-10 relu, batch 128, softmax CE",
        "c_tanh": "(c) 784-256-10 tanh, batch 128, softmax CE",
        "d": "(d) 2-16-16-1 tanh, batch 100, MSE",
    }
    for w, label in labels.items():
        t = med[w]
        rows.append(
            [label, H.fmt_time(t["numpy"]), H.fmt_time(t["autograd"]), H.fmt_time(t["torch"]),
             f"{ratio(w, 'autograd', 'numpy'):.2f}x", f"{ratio(w, 'torch', 'numpy'):.2f}x",
             f"{ratio(w, 'torch', 'autograd'):.2f}x"]
        )  # fmt: skip
    heads = ["training step", "numpy (hand backward)", "autograd", "PyTorch eager", "autograd / numpy",
             "torch / numpy", "autograd speed-up vs torch"]  # fmt: skip
    print(H.table(heads, rows))
    print()

    def verdict(ok: bool) -> str:
        return "(quick run: indicative only)" if args.quick else H.verdict(ok)

    rc, rt = (ratio(w, "autograd", "numpy") for w in ("c_relu", "c_tanh"))
    sd = ratio("d", "torch", "autograd")
    print(
        H.table(
            ["target", "result", "status"],
            [
                ["(c) relu step within 1.2x of numpy", f"{rc:.2f}x", verdict(rc <= 1.2)],
                ["(c) tanh step within 1.2x of numpy", f"{rt:.2f}x", verdict(rt <= 1.2)],
                ["(d) step faster than PyTorch eager", f"{sd:.2f}x as fast", verdict(sd > 1)],
            ],
        )
    )
    print()
    return results


if __name__ == "__main__":
    main()
