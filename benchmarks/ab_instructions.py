"""Instructions per training step, this checkout's engine against an earlier one (callgrind).

Wall and CPU time on a shared VM move by several percent from minute to minute; the number of
instructions a step executes does not. For each engine (``--base``, a git ref, exported by ``git
archive``; and this checkout) and each Tensor workload of ``ab_engine.py`` ((d) 2-16-16-1 tanh MSE,
(e) 2-64-3 relu CE, (c) 784-256-10 relu CE), a process runs 20 warm-up steps and then N steps with
the collector off, under ``valgrind --tool=callgrind``; the difference between N = 250 and N = 50,
divided by 200, is one step's instructions (the import and set-up cancel).

    python benchmarks/ab_instructions.py --base HEAD~5            # (d) and (e), ~4 min
    python benchmarks/ab_instructions.py --base main --workloads d e c

Needs valgrind (Debian's ``valgrind``).
"""

from __future__ import annotations

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: one process: the engine at argv[1], workload argv[2], argv[3] timed steps. ab_engine's mlp_step,
#: copied on purpose: importing ab_engine would put this checkout's engine first on sys.path
_STEPS = """
import gc, os, sys
os.environ["OPENBLAS_NUM_THREADS"] = "1"
sys.path.insert(0, sys.argv[1])
import numpy as np
from autograd import Tensor
sizes, batch, act, loss = {"d": ([2, 16, 16, 1], 100, "tanh", "mse"), "e": ([2, 64, 3], 1000, "relu", "ce"),
                           "c": ([784, 256, 10], 128, "relu", "ce")}[sys.argv[2]]
rng = np.random.default_rng(0)
params = []
for a, b in zip(sizes[:-1], sizes[1:]):
    bound = 1 / np.sqrt(a)
    params += [rng.uniform(-bound, bound, shape).astype(np.float32) for shape in ((a, b), b)]
P = [Tensor(p, requires_grad=True) for p in params]
X = Tensor(rng.normal(size=(batch, sizes[0])).astype(np.float32))
labels, rows = rng.integers(0, sizes[-1], batch), np.arange(batch)
target = Tensor(rng.normal(size=(batch, sizes[-1])).astype(np.float32))
def step():
    h = X
    for i in range(0, len(P) - 2, 2):
        h = getattr(h @ P[i] + P[i + 1], act)()
    out = h @ P[-2] + P[-1]
    value = -out.log_softmax(-1)[rows, labels].mean() if loss == "ce" else ((out - target) ** 2).mean()
    value.backward()
    for p in P:
        p.data -= 0.01 * p._grad
        p._grad = None
for _ in range(20):
    step()
gc.disable()
for _ in range(int(sys.argv[3])):
    step()
"""


def engine_at(ref: str) -> Path:
    """The ``autograd`` package at git ``ref``, in a new temporary directory (returned)."""
    root = Path(tempfile.mkdtemp(prefix="ab_instructions_"))
    archive = ["git", "-C", str(H.ROOT), "archive", ref, "autograd"]
    blob = subprocess.run(archive, check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(blob.stdout)) as tar:
        tar.extractall(root, filter="data")
    return root


def instructions(root: Path, workload: str, steps: int, script: Path) -> int:
    """Instructions run by a process doing ``steps`` steps of ``workload`` on the engine at ``root``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, str(script)]
        subprocess.run([*command, str(root), workload, str(steps)], cwd=tmp, env=env, check=True,
                       capture_output=True)  # fmt: skip
        found = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        if found is None:
            raise RuntimeError(f"no instruction count in callgrind's output for {root}")
        return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main", help="git ref of the engine to compare with (default: main)")
    ap.add_argument("--workloads", nargs="+", default=["d", "e"], choices=["c", "d", "e"])
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    base = engine_at(args.base)
    script = base / "steps.py"
    script.write_text(_STEPS)
    rows = []
    for w in args.workloads:
        counts = {}
        for name, root in (("base", base), ("this", H.ROOT)):
            instructions(root, w, 1, script)  # (writes the bytecode caches)
            counts[name] = (instructions(root, w, 250, script) - instructions(root, w, 50, script)) / 200
        ratio = counts["this"] / counts["base"]
        rows.append([w, f"{counts['base']:,.0f}", f"{counts['this']:,.0f}", f"{ratio:.4f}"])
    print(H.table(["workload", f"base ({args.base})", "this checkout", "this / base"], rows))
    print(f"\n{H.command_line()}; {H.machine()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
