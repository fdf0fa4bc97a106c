"""pytest-xdist's ``--dist loadgroup`` scheduler with its bookkeeping made linear.

xdist's :class:`~xdist.scheduler.loadgroup.LoadGroupScheduling` counts a worker's pending tests by
walking every unit the worker was ever given (``_pending_of``), and it does so after each finished
test and for each event of the controller's loop (``tests_finished``). Each ungrouped test is a
unit of its own, so over ~15,000 tests the controller, which shares the machine's cores with the
workers, spent ~20 s of CPU on that count, and more on ``list.index`` over the whole collection
for each test it hands out. Here each worker's workload keeps its count of pending tests and each
worker's collection an index of positions: the same decisions, in the same order
(``tests/test_xdist_schedule.py`` replays a run through both schedulers).
"""

from __future__ import annotations

from typing import Any

from xdist.scheduler.loadgroup import LoadGroupScheduling


class _Workload(dict):
    """A worker's units (scope -> {nodeid: done}) with the number of tests not yet done."""

    def __init__(self) -> None:
        super().__init__()
        self.pending = 0


class LinearLoadGroupScheduling(LoadGroupScheduling):
    """:class:`LoadGroupScheduling` with O(1) pending counts and nodeid positions."""

    def __init__(self, config: Any, log: Any = None) -> None:
        super().__init__(config, log)
        self._positions: dict[Any, dict[str, int]] = {}

    def add_node(self, node: Any) -> None:
        assert node not in self.assigned_work
        self.assigned_work[node] = _Workload()

    def _pending_of(self, workload: dict[str, dict[str, bool]]) -> int:
        if isinstance(workload, _Workload):
            return workload.pending
        return super()._pending_of(workload)

    def mark_test_complete(self, node: Any, item_index: int, duration: float = 0) -> None:
        nodeid = self.registered_collections[node][item_index]
        workload = self.assigned_work[node]
        workload[self._split_scope(nodeid)][nodeid] = True
        workload.pending -= 1  # a test is reported complete once
        self._reschedule(node)

    def _assign_work_unit(self, node: Any) -> None:
        scope, work_unit = self.workqueue.popitem(last=False)
        workload = self.assigned_work[node]
        workload[scope] = work_unit
        if node not in self._positions:  # the first position of each nodeid, as list.index
            collection = self.registered_collections[node]
            self._positions[node] = {nid: i for i, nid in reversed(list(enumerate(collection)))}
        positions = self._positions[node]
        todo = [positions[nodeid] for nodeid, done in work_unit.items() if not done]
        workload.pending += len(todo)
        node.send_runtest_some(todo)
