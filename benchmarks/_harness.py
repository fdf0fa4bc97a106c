"""Shared helpers for the benchmark scripts: timing, thread pinning, markdown tables.

Nothing here imports numpy or torch, so ``single_thread()`` can run before them.
"""

from __future__ import annotations

import gc
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/x.py` from a checkout
    sys.path.insert(0, str(ROOT))

_THREAD_VARS = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def single_thread() -> None:
    """Pin BLAS/OpenMP to one thread. Must run before numpy or torch is imported."""
    if all(os.environ.get(var) == "1" for var in _THREAD_VARS):
        return  # already done
    for name in ("numpy", "torch"):
        if name in sys.modules:
            raise RuntimeError(f"single_thread() must run before {name} is imported")
    for var in _THREAD_VARS:
        os.environ[var] = "1"


def measure(
    step: Callable[[], object],
    repeat: int,
    warmup: int = 1,
    gc_on: bool = True,
    collect_between: bool = False,
) -> dict[str, list[float]]:
    """Seconds taken by each of ``repeat`` calls of ``step`` (after ``warmup`` untimed calls).

    Returns ``{"wall": [...], "cpu": [...]}``: wall-clock time and this process's
    CPU time (the latter is steadier on a busy machine). The cyclic garbage
    collector is left on, as users have it, unless ``gc_on=False``. With
    ``collect_between`` a full collection runs, untimed, before every call, so
    each call starts from a clean heap (one-shot workloads); a training loop is
    measured back to back, where collecting what earlier steps left behind is
    part of the real cost.
    """
    was = gc.isenabled()
    (gc.enable if gc_on else gc.disable)()
    try:
        for _ in range(warmup):
            step()
        gc.collect()
        wall, cpu = [], []
        for _ in range(repeat):
            if collect_between:
                gc.collect()
            t0, c0 = time.perf_counter(), time.process_time()
            step()
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        return {"wall": wall, "cpu": cpu}
    finally:
        (gc.enable if was else gc.disable)()
        gc.collect()


def load() -> str:
    """The 1-minute load average (other processes compete for the cores)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # pragma: no cover - not on every platform
        return "?"


def best(times: Sequence[float]) -> float:
    return min(times)


def median(times: Sequence[float]) -> float:
    return statistics.median(times)


def paired_speedup(slow: Sequence[float], fast: Sequence[float], group: int = 1) -> float:
    """Median over rounds of (slow / fast), where round i is the i-th ``group`` of each list.

    The runs of the two implementations alternate, so a round's pair saw the same
    machine state: this ratio stays put when the machine's speed drifts (a shared
    or throttled CPU can change pace by 1.5x within seconds), where a ratio of
    two separately taken minima or medians would not.
    """
    rounds = [
        statistics.median(slow[i : i + group]) / statistics.median(fast[i : i + group])
        for i in range(0, min(len(slow), len(fast)), group)
    ]
    return statistics.median(rounds)


def package_at(ref: str, package: str) -> Any:
    """The top-level ``package`` of this repository at git ``ref``, imported as ``<package>_base``
    (exported by ``git archive`` into a temporary directory; for a package other than the engine,
    this checkout's ``autograd`` is linked beside it, so both sides share today's engine)."""
    import importlib
    import io
    import subprocess
    import tarfile
    import tempfile

    archive = ["git", "-C", str(ROOT), "archive", ref, package]
    blob = subprocess.run(archive, check=True, capture_output=True).stdout
    root = Path(tempfile.mkdtemp(prefix=f"{package}_base_"))
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(root, filter="data")
    (root / package).rename(root / f"{package}_base")
    if package != "autograd":
        (root / "autograd").symlink_to(ROOT / "autograd")
        # (before ecc0cf1 the engine's grad-mode switches were the module autograd.mode, which a
        # package of then reads by that name; today's is autograd.grad_mode, and autograd.mode is torch's)
        sys.modules.setdefault("autograd.mode", importlib.import_module("autograd.grad_mode"))
    sys.path.insert(0, str(root))
    return importlib.import_module(f"{package}_base")


def paired(
    new: Callable[[], object], old: Callable[[], object], blocks: int, per_block: int, clock: str
) -> tuple[float, float, list[float]]:
    """Time ``new`` and ``old`` in alternating blocks of ``per_block`` calls (which goes first
    alternates too), after a warm-up of each: the median seconds per call of each, and the paired
    ratios new/old, one per block."""
    read = time.process_time if clock == "cpu" else time.perf_counter
    for f in (new, old):
        for _ in range(max(per_block // 4, 2)):
            f()
    t_new: list[float] = []
    t_old: list[float] = []
    for i in range(blocks):
        order = ((new, t_new), (old, t_old)) if i % 2 == 0 else ((old, t_old), (new, t_new))
        for f, times in order:
            t0 = read()
            for _ in range(per_block):
                f()
            times.append((read() - t0) / per_block)
    ratios = [a / b for a, b in zip(t_new, t_old)]
    return statistics.median(t_new), statistics.median(t_old), ratios


def ab_row(name: str, t_new: float, t_old: float, ratios: Sequence[float]) -> list[str]:
    """A row of an A/B table: the base's and this checkout's median times, the median of the
    paired ratios, their middle half and the bootstrap 95% interval of that median."""
    q1, q3, low, high = spread(ratios)
    return [
        name, fmt_time(t_old), fmt_time(t_new), f"{statistics.median(ratios):.3f}",
        f"{q1:.3f}–{q3:.3f}", f"{low:.3f}–{high:.3f}",
    ]  # fmt: skip


def ab_table(what: str, base: str, this: str, rows: Sequence[Sequence[object]]) -> str:
    """The markdown table of :func:`ab_row` rows."""
    head = [what, f"base ({base})", this, "this / base (median of pairs)"]
    return table([*head, "middle half of the pairs", "95% interval of the median"], rows)


def spread(ratios: Sequence[float], seed: int = 0) -> tuple[float, float, float, float]:
    """(25th, 75th percentile of paired ratios, and a bootstrap 95% interval of their median)."""
    import numpy as np

    q1, _, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0],) * 3
    rng = np.random.default_rng(seed)
    medians = np.median(rng.choice(ratios, (2000, len(ratios))), axis=1)
    low, high = np.quantile(medians, [0.025, 0.975])
    return q1, q3, float(low), float(high)


def fmt_time(seconds: float) -> str:
    """A time with a unit that keeps 3 significant digits."""
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.3g} µs"
    return f"{seconds * 1e9:.3g} ns"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-markdown table."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def command_line() -> str:
    """The command that produced this output, to print beside the tables."""
    script = os.path.relpath(sys.argv[0], ROOT) if sys.argv[0] else "?"
    return "python " + " ".join(shlex.quote(a) for a in [script, *sys.argv[1:]])


def machine() -> str:
    import multiprocessing

    return (
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{multiprocessing.cpu_count()} cores, {platform.system()}"
    )


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"
