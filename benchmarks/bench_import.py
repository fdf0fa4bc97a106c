"""Import time of the library's own modules: this checkout against an earlier one, paired.

Each sample is a fresh Python process that imports numpy, then times (CPU time) ``import autograd,
losses, optimizers``, with bytecode caching on (each tree is imported once first, to write its
``__pycache__``). The base (``--base``, a git ref) is exported by ``git archive`` into a temporary
directory. Samples alternate between the two trees; reported are each side's median and the
median of the paired ratios (this / base) with the bootstrap 95% interval of that median.

    python benchmarks/bench_import.py --base HEAD~3 --blocks 31
"""

from __future__ import annotations

try:
    from benchmarks import _harness as H
except ImportError:  # run as a script
    import _harness as H  # type: ignore[no-redef]

import argparse
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: what one sample runs: numpy first (not the library's time), then the library, in CPU seconds
_SAMPLE = (
    "import time, numpy\n"
    "t = time.process_time()\n"
    "import autograd, losses, optimizers\n"
    "print(time.process_time() - t)\n"
)


def tree_at(ref: str) -> Path:
    """The library's three packages at git ``ref``, in a new temporary directory."""
    root = Path(tempfile.mkdtemp(prefix="import_base_"))
    archive = ["git", "-C", str(H.ROOT), "archive", ref, "autograd", "losses", "optimizers"]
    blob = subprocess.run(archive, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(blob)) as tar:
        tar.extractall(root, filter="data")
    return root


def sample(root: Path) -> float:
    """Seconds of CPU time to import the library at ``root`` in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env["PYTHONPATH"] = str(root)
    done = subprocess.run(
        [sys.executable, "-c", _SAMPLE], cwd=root, env=env, check=True, capture_output=True, text=True
    )
    return float(done.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main", help="git ref to compare with (default: main)")
    ap.add_argument("--blocks", type=int, default=31, help="paired samples (default 31)")
    args = ap.parse_args(argv)
    base, this = tree_at(args.base), H.ROOT
    for root in (base, this):  # (writes the bytecode caches)
        sample(root)
    t_this: list[float] = []
    t_base: list[float] = []
    for i in range(args.blocks):
        order = ((this, t_this), (base, t_base)) if i % 2 == 0 else ((base, t_base), (this, t_this))
        for root, times in order:
            times.append(sample(root))
    ratios = [a / b for a, b in zip(t_this, t_base)]
    row = H.ab_row("import autograd, losses, optimizers", statistics.median(t_this),
                   statistics.median(t_base), ratios)  # fmt: skip
    print(H.ab_table("import (numpy imported first)", args.base, "this checkout", [row]))
    print(f"\n{H.command_line()}; {H.machine()}; load {H.load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
