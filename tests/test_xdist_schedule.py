"""The suite's xdist scheduler (``tests/xdist_schedule.py``) makes xdist's own decisions: a run
replayed through both gives the same work to the same worker in the same order, the same
shutdowns, the same answers to ``tests_finished`` and ``has_pending`` after every event, and the
same crash item and re-queued work when a worker dies."""

from __future__ import annotations

import random
from typing import Any

import pytest

xdist_scheduler = pytest.importorskip("xdist.scheduler.loadgroup")
from xdist.remote import Producer  # noqa: E402
from xdist_schedule import LinearLoadGroupScheduling  # noqa: E402

LoadGroupScheduling = xdist_scheduler.LoadGroupScheduling


class _Config:
    class option:
        loadscopereorder = True

    @staticmethod
    def getvalue(name: str) -> Any:
        return ["2*popen"] if name == "tx" else None


class _Node:
    """A worker as the scheduler sees it: what it was sent, and whether it was shut down."""

    def __init__(self, name: str, events: list) -> None:
        self.gateway = type("Gateway", (), {"id": name})()
        self.shutting_down = False
        self.sent: list[int] = []
        self.events = events

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += indices
        self.events.append((self.gateway.id, "run", list(indices)))

    def shutdown(self) -> None:
        self.shutting_down = True
        self.events.append((self.gateway.id, "shutdown"))


def _collection(rng: random.Random) -> list[str]:
    ids = []
    for f in range(30):
        group = rng.choice([None, None, None, f"tests/m{f}.py", "docs"])
        for t in range(rng.randint(1, 12)):
            ids.append(f"tests/m{f}.py::test_{t}" + (f"@{group}" if group else ""))
    return ids


def _replay(cls: type, ids: list[str], seed: int, crash_after: int | None = None) -> list:
    """Run the scheduler as DSession does, workers finishing their tests in a seeded random
    interleaving; optionally the first worker dies after ``crash_after`` completions."""
    events: list = []
    sched = cls(_Config(), Producer("test", enabled=False))
    nodes = [_Node("gw0", events), _Node("gw1", events)]
    for node in nodes:
        sched.add_node(node)
    for node in nodes:
        sched.add_node_collection(node, ids)
    sched.schedule()
    rng, done, completions = random.Random(seed), dict.fromkeys(nodes, 0), 0
    while True:
        ready = [n for n in nodes if done[n] < len(n.sent) and n in sched.assigned_work]
        if not ready:
            break
        node = rng.choice(ready)
        if crash_after is not None and completions >= crash_after and node is nodes[0]:
            events.append(("crash", sched.remove_node(node), list(sched.workqueue)))
            crash_after = None
            continue
        sched.mark_test_complete(node, node.sent[done[node]])
        done[node] += 1
        completions += 1
        events.append((sched.tests_finished, sched.has_pending))
    return events


@pytest.mark.parametrize("seed", range(6))
def test_a_run_is_scheduled_exactly_as_xdist_schedules_it(seed: int) -> None:
    ids = _collection(random.Random(seed))
    ours = _replay(LinearLoadGroupScheduling, ids, seed)
    assert ours == _replay(LoadGroupScheduling, ids, seed)
    ran = sorted(i for e in ours if e[1:2] == ("run",) for i in e[2])
    assert ran == list(range(len(ids)))  # every test once
    assert ours[-1] == (True, False)


@pytest.mark.parametrize("seed", range(3))
def test_a_crashed_worker_gives_back_the_same_tests(seed: int) -> None:
    ids = _collection(random.Random(100 + seed))
    ours = _replay(LinearLoadGroupScheduling, ids, seed, crash_after=len(ids) // 3)
    assert ours == _replay(LoadGroupScheduling, ids, seed, crash_after=len(ids) // 3)
    assert any(e[0] == "crash" and e[1] is not None for e in ours)


def test_the_suite_uses_it_for_loadgroup_only(pytestconfig: pytest.Config) -> None:
    make = pytestconfig.hook.pytest_xdist_make_scheduler  # tests/conftest.py's (a worker has no other)

    class Loadgroup(_Config):
        @staticmethod
        def getvalue(name: str) -> Any:
            return {"tx": ["2*popen"], "dist": "loadgroup"}.get(name)

    class Load(_Config):
        @staticmethod
        def getvalue(name: str) -> Any:
            return {"tx": ["2*popen"], "dist": "load"}.get(name)

    log = Producer("test", enabled=False)
    assert isinstance(make(config=Loadgroup(), log=log), LinearLoadGroupScheduling)
    assert make(config=Load(), log=log) is None
