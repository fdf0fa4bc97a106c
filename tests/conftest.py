"""Shared pytest settings: hypothesis profiles, and the draws' dtype reset after each test.

``ci`` (the default) has no per-example deadline (timings vary on shared,
loaded machines) and a bounded number of examples, so the suite stays fast;
``dev`` runs many more. Pick one with ``HYPOTHESIS_PROFILE=dev``; it also makes the
differential fuzzer (tests/engine/test_fuzz_vs_torch.py) check ten times as many graphs
(or set ``FUZZ_SCALE=n`` for n times).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

try:  # pytest 9 keeps a node's id in Node._id
    from _pytest.nodeid import coerce_node_id
except ImportError:  # pytest < 9 reads item._nodeid, where xdist writes the group itself
    coerce_node_id = None

settings.register_profile("ci", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under xdist (``--dist loadgroup``, pyproject's addopts) the tests are handed to the workers one
    by one, so a module's tests can be split between two workers, and each would set up the
    module's fixtures. A module whose tests share a module fixture (an example run, an executed
    notebook, a built page) therefore goes to one worker whole: one group per module."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        defs = [d[-1] for d in fixtures.name2fixturedefs.values()] if fixtures else []
        # (this file's own module fixture is every module's: it does not count)
        shared = any(d.scope == "module" and inspect.getfile(d.func) != __file__ for d in defs)
        if shared and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
        group = item.get_closest_marker("xdist_group")
        if group and coerce_node_id and "@" not in item.nodeid and hasattr(item.config, "workerinput"):
            # xdist 3.8 names the group in ``item._nodeid``, which pytest 9 no longer reads: the
            # scheduler groups by the id's ``@group`` suffix, so it is written where pytest keeps it
            item._id = coerce_node_id(f"{item.nodeid}@{group.args[0]}")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup`` by xdist's rules, with linear bookkeeping (``tests/xdist_schedule.py``):
    xdist's own spent ~20 s of the controller's CPU on ~15,000 tests."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist_schedule import LinearLoadGroupScheduling

    return LinearLoadGroupScheduling(config, log)


@pytest.fixture(autouse=True)
def _draws_start_on_torchs_default_stream() -> Iterator[None]:
    """``set_default_dtype(float64)`` switches the library's draws to torch's float64 stream (as
    ``torch.set_default_dtype``); a test or fixture that restores the default dtype that way (the
    scale_to_torch example does, in a module fixture) must not move the draws of the tests after
    it, so the setting is cleared after every test."""
    from autograd import dtypes

    yield
    dtypes._set_by_user[0] = False


@pytest.fixture(autouse=True, scope="module")
def _no_hooks_outlive_their_module() -> Iterator[None]:
    """Hooks left on tensors a test module keeps alive (its globals) would outlive it; a pass whose
    graph reaches one takes the general pass (see ``autograd._hooks``). Each module's leftover hooks
    are dropped when it ends (freed tensors take theirs with them). No ``gc.collect()`` first: the
    registry is emptied whole, and a tensor collected later finds its entry gone (``_hooks._forget``);
    a full collection costs ~0.6 s with the suite loaded, once per module and worker."""
    yield
    from autograd import _hooks

    _hooks.HOOKED.clear()
