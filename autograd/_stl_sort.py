"""torch's CPU ``topk`` order (aten/src/ATen/native/TopKImpl.h), ties included: libstdc++'s
``std::nth_element`` + ``std::sort`` of the first ``k - 1`` (``sorted``; or ``std::partial_sort``
when ``64·k <= n``) on ``(value, index)`` pairs, comparing values only (largest: NaN first, then
larger first; smallest: smaller first, NaN last).
``torch.mode``'s CPU kernel sorts such pairs with ``std::sort`` and the plain ``<`` of the values
(``stl_sorted_positions``), then takes the last element of the longest run of equal values.

Where the values of the ``k`` largest are distinct the result is just those indices by value;
where they tie (zero probabilities in ``multinomial`` without replacement) the order is what
these algorithms leave, reproduced step for step here (GCC's ``bits/stl_algo.h``/``stl_heap.h``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _larger_first(x: float, y: float) -> bool:
    """topk's comparator: NaN first, then larger first."""
    return (math.isnan(x) and not math.isnan(y)) or x > y


def _smaller_first(x: float, y: float) -> bool:
    """topk's comparator for the smallest: smaller first, NaN last."""
    return (not math.isnan(x) and math.isnan(y)) or x < y


def _less(x: float, y: float) -> bool:
    """mode's comparator: the values' ``<`` (NaN is never before nor after anything)."""
    return x < y


class _Queue:
    """The ``(value, index)`` pairs and torch's comparator ``value(a) before value(b)``."""

    __slots__ = ("v", "i", "before")

    def __init__(self, values: list[float], before: Any = _larger_first) -> None:
        self.v, self.i, self.before = list(values), list(range(len(values))), before

    def less(self, a: int, b: int) -> bool:
        return self.before(self.v[a], self.v[b])  # type: ignore[no-any-return]

    def less_value(self, value: tuple[float, int], b: int) -> bool:
        return self.before(value[0], self.v[b])  # type: ignore[no-any-return]

    def value_less(self, a: int, value: tuple[float, int]) -> bool:
        return self.before(self.v[a], value[0])  # type: ignore[no-any-return]

    def get(self, a: int) -> tuple[float, int]:
        return self.v[a], self.i[a]

    def put(self, a: int, value: tuple[float, int]) -> None:
        self.v[a], self.i[a] = value

    def swap(self, a: int, b: int) -> None:
        self.v[a], self.v[b] = self.v[b], self.v[a]
        self.i[a], self.i[b] = self.i[b], self.i[a]

    # heaps (stl_heap.h) ---------------------------------------------------------------------
    def push_heap(self, first: int, hole: int, top: int, value: tuple[float, int]) -> None:
        parent = (hole - 1) // 2
        while hole > top and self.value_less(first + parent, value):
            self.put(first + hole, self.get(first + parent))
            hole = parent
            parent = (hole - 1) // 2
        self.put(first + hole, value)

    def adjust_heap(self, first: int, hole: int, length: int, value: tuple[float, int]) -> None:
        top, child = hole, hole
        while child < (length - 1) // 2:
            child = 2 * (child + 1)
            if self.less(first + child, first + child - 1):
                child -= 1
            self.put(first + hole, self.get(first + child))
            hole = child
        if length % 2 == 0 and child == (length - 2) // 2:
            child = 2 * (child + 1)
            self.put(first + hole, self.get(first + child - 1))
            hole = child - 1
        self.push_heap(first, hole, top, value)

    def make_heap(self, first: int, last: int) -> None:
        length = last - first
        if length < 2:
            return
        for parent in range((length - 2) // 2, -1, -1):
            self.adjust_heap(first, parent, length, self.get(first + parent))

    def pop_heap(self, first: int, last: int, result: int) -> None:
        value = self.get(result)
        self.put(result, self.get(first))
        self.adjust_heap(first, 0, last - first, value)

    def heap_select(self, first: int, middle: int, last: int) -> None:
        self.make_heap(first, middle)
        for i in range(middle, last):
            if self.less(i, first):
                self.pop_heap(first, middle, i)

    def sort_heap(self, first: int, last: int) -> None:
        while last - first > 1:
            last -= 1
            self.pop_heap(first, last, last)

    def partial_sort(self, first: int, middle: int, last: int) -> None:
        self.heap_select(first, middle, last)
        self.sort_heap(first, middle)

    # introsort / introselect (stl_algo.h) -----------------------------------------------------
    def move_median_to_first(self, result: int, a: int, b: int, c: int) -> None:
        if self.less(a, b):
            if self.less(b, c):
                self.swap(result, b)
            elif self.less(a, c):
                self.swap(result, c)
            else:
                self.swap(result, a)
        elif self.less(a, c):
            self.swap(result, a)
        elif self.less(b, c):
            self.swap(result, c)
        else:
            self.swap(result, b)

    def unguarded_partition(self, first: int, last: int, pivot: int) -> int:
        while True:
            while self.less(first, pivot):
                first += 1
            last -= 1
            while self.less(pivot, last):
                last -= 1
            if not first < last:
                return first
            self.swap(first, last)
            first += 1

    def partition_pivot(self, first: int, last: int) -> int:
        mid = first + (last - first) // 2
        self.move_median_to_first(first, first + 1, mid, last - 1)
        return self.unguarded_partition(first + 1, last, first)

    def unguarded_linear_insert(self, last: int) -> None:
        value = self.get(last)
        prev = last - 1
        while self.less_value(value, prev):
            self.put(last, self.get(prev))
            last = prev
            prev -= 1
        self.put(last, value)

    def insertion_sort(self, first: int, last: int) -> None:
        if first == last:
            return
        for i in range(first + 1, last):
            if self.less(i, first):
                value = self.get(i)
                for j in range(i, first, -1):
                    self.put(j, self.get(j - 1))
                self.put(first, value)
            else:
                self.unguarded_linear_insert(i)

    def introsort_loop(self, first: int, last: int, depth: int) -> None:
        while last - first > 16:
            if depth == 0:
                self.partial_sort(first, last, last)
                return
            depth -= 1
            cut = self.partition_pivot(first, last)
            self.introsort_loop(cut, last, depth)
            last = cut

    def sort(self, first: int, last: int) -> None:
        if first == last:
            return
        self.introsort_loop(first, last, 2 * _lg(last - first))
        if last - first > 16:
            self.insertion_sort(first, first + 16)
            for i in range(first + 16, last):
                self.unguarded_linear_insert(i)
        else:
            self.insertion_sort(first, last)

    def nth_element(self, first: int, nth: int, last: int) -> None:
        depth = 2 * _lg(last - first)
        while last - first > 3:
            if depth == 0:
                self.heap_select(first, nth + 1, last)
                self.swap(first, nth)
                return
            depth -= 1
            cut = self.partition_pivot(first, last)
            if cut <= nth:
                first = cut
            else:
                last = cut
        self.insertion_sort(first, last)


def _lg(n: int) -> int:
    return n.bit_length() - 1


def topk_indices(values: np.ndarray, k: int, largest: bool = True, sorted: bool = True) -> np.ndarray:
    """torch's ``topk(values, k, largest=largest, sorted=sorted).indices`` along the last axis, ties
    (and, unsorted, the order) as torch's; int64, shape ``values.shape[:-1] + (k,)``."""
    n = values.shape[-1]
    out = np.zeros(values.shape[:-1] + (k,), dtype=np.int64)
    if not (k and out.size):
        return out
    rows, out = values.reshape(-1, n), out.reshape(-1, k)
    partial = k * 64 <= n
    for r, row in enumerate(rows):
        order = _descending(row) if largest else np.argsort(row, kind="stable")
        top = row[order[:k]]
        distinct = np.unique(top).size == k and (k == n or top[-1] != row[order[k]])
        if distinct and (sorted or partial) and not np.isnan(row).any():  # (the order is by value)
            out[r] = order[:k]
            continue
        queue = _Queue(row.tolist(), _larger_first if largest else _smaller_first)
        if partial:
            queue.partial_sort(0, k, n)
        else:
            queue.nth_element(0, k - 1, n)
            if sorted:
                queue.sort(0, k - 1)
        out[r] = queue.i[:k]
    return out.reshape(values.shape[:-1] + (k,))


def _descending(row: np.ndarray) -> np.ndarray:
    """The stable descending order of ``row`` (equal values first to last), without negating it:
    -row wraps unsigned integers (-uint8(2) is 254) and the most negative signed one."""
    n = row.shape[0]
    return (n - 1 - np.argsort(row[::-1], kind="stable"))[::-1]


def stl_sorted_positions(values: list[Any]) -> tuple[list[Any], list[int]]:
    """The values and their positions after libstdc++'s ``std::sort`` of ``(value, index)`` pairs by
    the values' ``<`` (torch's ``mode`` kernel): equal values in the order introsort leaves them."""
    queue = _Queue(values, _less)
    queue.sort(0, len(values))
    return queue.v, queue.i
