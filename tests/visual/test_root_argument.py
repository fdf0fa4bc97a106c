"""The pictures' root argument: an output node, or a clear error naming the function, what it
expected and what came in (never an AttributeError from inside the walk)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograd import (
    StepThrough,
    Value,
    ValueArray,
    backward_html,
    backward_steps,
    draw_graph,
    trace,
    trace_rows,
)

ENTRIES: dict[str, Callable[[Any, Path], Any]] = {
    "draw_graph": lambda root, _: draw_graph(root),
    "trace": lambda root, _: trace(root),
    "trace_rows": lambda root, _: trace_rows(root),
    "backward_steps": lambda root, _: backward_steps(root),
    "StepThrough": lambda root, _: StepThrough(root),
    "backward_html": lambda root, folder: backward_html(root, folder / "page.html"),
}


@pytest.mark.parametrize("name", ENTRIES)
@pytest.mark.parametrize(
    ("root", "found"), [(3, "int 3"), (None, "NoneType None"), ([Value(1.0)], r"list \[Value\(")]
)
def test_a_root_that_is_not_a_node_is_a_type_error(name: str, root: Any, found: str, tmp_path: Path) -> None:
    expected = "root must be a Value, a Tensor or a one-element ValueArray"
    with pytest.raises(TypeError, match=rf"^{name}: {expected} \(the output of a computation\); got {found}"):
        ENTRIES[name](root, tmp_path)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", ENTRIES)
def test_a_valuearray_of_several_elements_is_a_value_error(name: str, tmp_path: Path) -> None:
    x = ValueArray(np.array([1.0, 2.0]))
    message = rf"^{name}: root must be one output node; got a ValueArray of shape \(2,\)"
    with pytest.raises(ValueError, match=message):
        ENTRIES[name](x * x, tmp_path)


def test_a_one_element_valuearray_is_its_value() -> None:
    x = ValueArray(np.array([1.0, 2.0]))
    total = (x * x).sum()
    assert str(trace(total)) == str(trace(total.to_value()))
    assert [f.node for f in backward_steps(total)] == [f.node for f in backward_steps(total.to_value())]
