"""Run every benchmark and print its markdown tables (for docs/guides/performance.md).

    python benchmarks/run_all.py               # full run (~20 min)
    python benchmarks/run_all.py --quick       # smoke run (~3 min)
    python benchmarks/run_all.py --clock cpu   # process CPU time: steadier on a busy machine

Each script runs in its own process: the Tensor benchmarks pin BLAS to one
thread before numpy is imported, and the Value benchmarks start each engine
in fresh processes of their own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("bench_value.py", "bench_tensor.py", "bench_compiled.py")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="smoke run: smaller workloads, fewer repeats")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="wall-clock or process CPU time")
    args = ap.parse_args(argv)
    extra = (["--quick"] if args.quick else []) + ["--clock", args.clock]
    status = 0
    for script in SCRIPTS:
        sys.stdout.flush()
        status |= subprocess.run([sys.executable, str(HERE / script), *extra]).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
