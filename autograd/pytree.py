"""Nested arguments and results of the function transforms: tuples, lists and dicts of leaves.

``tree_flatten`` lists a structure's leaves, left to right, with a ``TreeSpec`` of its shape;
``tree_unflatten`` builds the same structure from new leaves (``torch.utils._pytree``'s names).
So ``grad(f)(params)`` with a dict of arrays returns a dict of gradients, as in ``torch.func``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

CONTAINERS = (tuple, list, dict)


@dataclass(frozen=True)
class TreeSpec:
    """The shape of a nested structure: a leaf (``kind`` None) or a tuple/list/dict of subtrees."""

    kind: type | None = None
    keys: tuple[Any, ...] = ()
    children: tuple[TreeSpec, ...] = ()

    @property
    def num_leaves(self) -> int:
        return 1 if self.kind is None else sum(c.num_leaves for c in self.children)

    def __str__(self) -> str:
        if self.kind is None:
            return "*"
        if issubclass(self.kind, dict):
            return "{" + ", ".join(f"{k!r}: {c}" for k, c in zip(self.keys, self.children)) + "}"
        inner = ", ".join(map(str, self.children))
        if issubclass(self.kind, list):
            return f"[{inner}]"
        return f"({inner},)" if len(self.children) == 1 else f"({inner})"


LEAF = TreeSpec()


def is_number_list(x: Any) -> bool:
    """Whether ``x`` is a non-empty (nested) list or tuple of real numbers: an array to the transforms,
    not a container (``grad(f)([1.0, 2.0])`` differentiates one 1-d array)."""
    if not isinstance(x, (list, tuple)) or not x:
        return False
    return all(
        is_number_list(e)
        if isinstance(e, (list, tuple))
        else isinstance(e, (int, float, np.integer, np.floating)) and not isinstance(e, bool)
        for e in x
    )


def is_input_leaf(x: Any) -> bool:
    """Whether an argument of a transform is one leaf: anything but a container, or a number list."""
    return not isinstance(x, CONTAINERS) or is_number_list(x)


def tree_flatten(tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list[Any], TreeSpec]:
    """The leaves of ``tree`` (tuples, lists and dicts are containers, unless ``is_leaf`` says
    otherwise) and its ``TreeSpec``."""
    if not isinstance(tree, CONTAINERS) or (is_leaf is not None and is_leaf(tree)):
        return [tree], LEAF  # (the common case, without the walk)
    leaves: list[Any] = []

    def walk(x: Any) -> TreeSpec:
        if not isinstance(x, CONTAINERS) or (is_leaf is not None and is_leaf(x)):
            leaves.append(x)
            return LEAF
        if isinstance(x, dict):
            return TreeSpec(type(x), tuple(x), tuple(walk(v) for v in x.values()))
        return TreeSpec(type(x), (), tuple(walk(v) for v in x))

    spec = walk(tree)
    return leaves, spec


def tree_unflatten(leaves: list[Any], spec: TreeSpec) -> Any:
    """The structure ``spec`` with ``leaves`` (in ``tree_flatten``'s order) at its leaves."""
    if spec.kind is None:
        return leaves[0]
    items = iter(leaves)

    def build(s: TreeSpec) -> Any:
        if s.kind is None:
            return next(items)
        children = [build(c) for c in s.children]
        if issubclass(s.kind, dict):
            return s.kind(zip(s.keys, children))
        return s.kind(*children) if hasattr(s.kind, "_fields") else s.kind(children)  # (a namedtuple)

    return build(spec)


def tree_map(fn: Callable[[Any], Any], tree: Any, is_leaf: Callable[[Any], bool] | None = None) -> Any:
    """``tree`` with ``fn`` applied to each leaf."""
    leaves, spec = tree_flatten(tree, is_leaf)
    return tree_unflatten([fn(x) for x in leaves], spec)


def tree_flatten_as(spec: TreeSpec, tree: Any) -> list[Any]:
    """The subtrees of ``tree`` at the leaves of ``spec`` (``tree`` has ``spec``'s containers, or
    more nesting below its leaves).

    Raises:
        ValueError: ``tree``'s containers differ from ``spec``'s (the message shows both).
    """
    found: list[Any] = []

    def walk(s: TreeSpec, x: Any) -> None:
        if s.kind is None:
            found.append(x)
            return
        if isinstance(x, dict) != issubclass(s.kind, dict) or not isinstance(x, CONTAINERS):
            raise ValueError(f"expected the structure {spec}, got {tree_flatten(tree, is_input_leaf)[1]}")
        if isinstance(x, dict):
            if set(x) != set(s.keys):
                want, got = sorted(map(str, s.keys)), sorted(map(str, x))
                raise ValueError(f"expected a dict with keys {want}, got {got}")
            values = [x[k] for k in s.keys]
        else:
            values = list(x)
        if len(values) != len(s.children):
            raise ValueError(f"expected the structure {spec}, got {tree_flatten(tree, is_input_leaf)[1]}")
        for c, v in zip(s.children, values):
            walk(c, v)

    walk(spec, tree)
    return found
