"""Shared pytest settings: hypothesis profiles.

``ci`` (the default) has no per-example deadline (timings vary on shared,
loaded machines) and a bounded number of examples, so the suite stays fast;
``dev`` runs many more. Pick one with ``HYPOTHESIS_PROFILE=dev``; it also makes the
differential fuzzer (tests/engine/test_fuzz_vs_torch.py) check ten times as many graphs
(or set ``FUZZ_SCALE=n`` for n times).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
