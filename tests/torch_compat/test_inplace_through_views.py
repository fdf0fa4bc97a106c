"""In-place writes through views and into tensors the graph needs, as torch: each scenario runs on
both libraries and either raises a RuntimeError on both or gives the same numbers (the leaf's
values, its gradient). What this library does differently is listed in ``KNOWN`` with the reason,
and asserted to still differ (a fix makes the test say to remove the entry)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch

import autograd


def _leaf(t: Any) -> Any:
    return t.tensor([1.0, 2.0, 3.0], requires_grad=True)


def _plain(t: Any) -> Any:
    return t.tensor([1.0, 2.0, 3.0])


def view_of_leaf_written(t: Any) -> Any:
    w = _leaf(t)
    w[0:2].add_(1)  # torch: "a view of a leaf Variable that requires grad is being used in an in-place..."
    return w


def reshaped_leaf_written(t: Any) -> Any:
    w = _leaf(t)
    w.view(3, 1).mul_(2)
    return w


def view_of_leaf_added_to(t: Any) -> Any:
    w = _leaf(t)
    v = w[1:]
    v += 1
    return w


def leaf_written(t: Any) -> Any:
    w = _leaf(t)
    w.add_(1)
    return w


def view_made_and_written_under_no_grad(t: Any) -> Any:
    w = _leaf(t)
    with t.no_grad():
        w[0:2].add_(1)
    return w, w.requires_grad


def view_made_before_no_grad_written_in_it(t: Any) -> Any:
    w = _leaf(t)
    v, u = w[0:2], w.view(3, 1)[2]
    with t.no_grad():
        v.add_(1)
        u.mul_(10)
        v += 1
    return w


def view_of_a_plain_tensor_written(t: Any) -> Any:
    a = _plain(t)
    a.view(3, 1)[1:].fill_(7.0)
    return a


def detached_leaf_zeroed(t: Any) -> Any:
    w = _leaf(t)
    w.detach().zero_()
    return w


def grad_then_zeroed(t: Any) -> Any:
    w = _leaf(t)
    (w**2).sum().backward()
    g = w.grad
    w.grad.zero_()
    return g, w


def saved_operand_changed(t: Any) -> Any:
    w, a = _leaf(t), _plain(t)
    y = (w * a).sum()
    a.mul_(2)
    y.backward()  # torch: "one of the variables needed for gradient computation has been modified..."
    return w.grad


def saved_operand_changed_through_a_view(t: Any) -> Any:
    w, a = _leaf(t), _plain(t)
    y = (w * a).sum()
    a[0:2].mul_(2)
    y.backward()
    return w.grad


def saved_leaf_changed_under_no_grad(t: Any) -> Any:
    w = _leaf(t)
    y = (w * w).sum()
    with t.no_grad():
        w.add_(1)
    y.backward()
    return w.grad


def saved_leaf_zeroed_through_detach(t: Any) -> Any:
    w = _leaf(t)
    y = (w * w).sum()
    w.detach().zero_()
    y.backward()
    return w.grad


def computed_tensor_written(t: Any) -> Any:
    w = _leaf(t)
    h = w * 2  # (mul saves w, not h: torch lets h change)
    h.add_(1)
    h.sum().backward()
    return w.grad


def view_of_computed_tensor_written(t: Any) -> Any:
    w = _leaf(t)
    h = w * 2
    h[0:2].mul_(3)
    h.sum().backward()
    return w.grad


def saved_output_written(t: Any) -> Any:
    w = _leaf(t)
    h = w.exp()  # (exp's backward reads its output)
    h.add_(1)
    h.sum().backward()
    return w.grad


def grad_value_copied_into_a_plain_view(t: Any) -> Any:
    w, a = _leaf(t), _plain(t)
    v = a[0:2]
    v.copy_(w[0:2] * w[1:])
    (a * a).sum().backward()
    return a.requires_grad, v.requires_grad, a, w.grad, a._version, v._version


SCENARIOS: list[Callable[[Any], Any]] = [
    view_of_leaf_written,
    reshaped_leaf_written,
    view_of_leaf_added_to,
    leaf_written,
    view_made_and_written_under_no_grad,
    view_made_before_no_grad_written_in_it,
    view_of_a_plain_tensor_written,
    detached_leaf_zeroed,
    grad_then_zeroed,
    saved_operand_changed,
    saved_operand_changed_through_a_view,
    saved_leaf_changed_under_no_grad,
    saved_leaf_zeroed_through_detach,
    computed_tensor_written,
    view_of_computed_tensor_written,
    saved_output_written,
    grad_value_copied_into_a_plain_view,
]

KNOWN: dict[str, str] = {}


def outcome(scenario: Callable[[Any], Any], t: Any) -> Any:
    """("raises",) for a RuntimeError, else the returned values as lists."""
    try:
        out = scenario(t)
    except RuntimeError:
        return ("raises",)
    return _plain_values(out)


def _plain_values(out: Any) -> Any:
    if isinstance(out, tuple):
        return tuple(_plain_values(x) for x in out)
    if isinstance(out, (torch.Tensor, autograd.Tensor)):
        return out.detach().tolist()
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda f: f.__name__)
def test_in_place_writes_as_torch(scenario: Callable[[Any], Any]) -> None:
    ours, theirs = outcome(scenario, autograd), outcome(scenario, torch)
    if scenario.__name__ in KNOWN:
        assert ours != theirs, f"{scenario.__name__} now agrees with torch: remove it from KNOWN"
    else:
        assert ours == theirs


def test_the_view_error_names_torchs_rule() -> None:
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad is being used in"):
        view_of_leaf_written(autograd)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        view_of_leaf_added_to(autograd)
