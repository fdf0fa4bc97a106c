"""Counts of the HIPS port: per file, the cases that pass, that wait for a missing op (strict
xfail), that are out of scope (skipped) and that fail; then each missing op with its number of
cases, each out-of-scope reason with its number, and every failure.

Run from the repository root (``-v`` also lists every failure's message)::

    PYTHONPATH=$PWD python tests/hips/summary.py [-v]
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
FILES = ("test_scalar_ops.py", "test_numpy.py", "test_systematic.py", "test_linalg.py")
KINDS = ("passed", "missing op", "out of scope", "failed")
SUFFIX = " not supported yet"


class _Collector:
    """Each case's outcome, from pytest's reports."""

    def __init__(self) -> None:
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self.missing: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.failures: list[tuple[str, str]] = []

    def pytest_runtest_logreport(self, report: Any) -> None:
        file = Path(report.nodeid.split("::")[0]).name
        if report.when == "setup" and report.skipped:
            self.outcomes[file]["out of scope"] += 1
            self.skipped[str(report.longrepr[2]).removeprefix("Skipped: ")] += 1
        elif report.when == "call":
            if hasattr(report, "wasxfail") and report.skipped:
                self.outcomes[file]["missing op"] += 1
                for op in report.wasxfail.removesuffix(SUFFIX).split(", "):
                    self.missing[op] += 1
            elif report.passed:
                self.outcomes[file]["passed"] += 1
            else:
                self.outcomes[file]["failed"] += 1
                crash = getattr(report.longrepr, "reprcrash", None)
                message = crash.message if crash is not None else str(report.longrepr)
                self.failures.append((report.nodeid, message.splitlines()[0] if message else ""))
        elif report.failed:  # an error in setup or teardown
            self.outcomes[file]["failed"] += 1
            self.failures.append((report.nodeid, f"error in {report.when}"))


def main(argv: list[str]) -> int:
    collector = _Collector()
    files = [str(HERE / f) for f in FILES if (HERE / f).exists()]
    pytest.main([*files, "-q", "-p", "no:cacheprovider", "--no-header"], plugins=[collector])
    print(f"\n{'file':<22}" + "".join(f"{k:>14}" for k in KINDS) + f"{'total':>10}")
    totals: Counter[str] = Counter()
    for file in FILES:
        row = collector.outcomes[file]
        totals.update(row)
        print(f"{file:<22}" + "".join(f"{row[k]:>14}" for k in KINDS) + f"{sum(row.values()):>10}")
    print(f"{'all':<22}" + "".join(f"{totals[k]:>14}" for k in KINDS) + f"{sum(totals.values()):>10}")
    print("\nmissing ops (cases needing each):")
    for op, n in sorted(collector.missing.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:>4}  {op}")
    print("\nout of scope:")
    for reason, n in collector.skipped.most_common():
        print(f"  {n:>4}  {reason}")
    print(f"\nfailed: {len(collector.failures)}")
    for nodeid, message in collector.failures if "-v" in argv else collector.failures[:20]:
        print(f"  {nodeid}\n      {message[:200]}")
    return 0 if not collector.failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
