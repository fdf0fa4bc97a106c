"""The side-by-side harness fails where it should: a wrong rule, a wrong member, a wrong dtype,
``requires_grad``, Python type, shape or structure is caught."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from side_by_side import check, grads, same

import autograd
from autograd import Tensor, ops


def sigmoid_and_gradient(t: Any) -> Any:
    return grads(t, lambda t, x: t.sigmoid(x), [[-2.0, 0.5], [3.0, 0.0]])


def test_a_wrong_derivative_rule_is_caught() -> None:
    check(sigmoid_and_gradient)
    with ops.replaced(ops.TABLE["sigmoid"].replace(d="out * (1 - out) * 1.000001")):
        with pytest.raises(AssertionError, match=r"result\[1\]\[0\]"):  # the gradient, not the value
            check(sigmoid_and_gradient)
    check(sigmoid_and_gradient)


def test_a_wrong_member_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def snippet(t: Any) -> Any:
        return grads(t, lambda t, x: x.repeat(2, 1), [[1.0, 2.0], [3.0, 4.0]])

    check(snippet)
    # numpy's repeat (each row twice) in place of torch's (the whole tensor twice): a plausible slip
    monkeypatch.setattr(
        Tensor, "repeat", lambda self, *sizes: self.reshape(2, 1, 2).expand(2, 2, 2).reshape(4, 2)
    )
    with pytest.raises(AssertionError, match=r"result\[0\]"):
        check(snippet)


@pytest.mark.parametrize(
    ("ours", "theirs", "says"),
    [
        (autograd.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-9], dtype=torch.float64), "Not equal"),
        (autograd.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0], dtype=torch.float32), "dtype float64 vs"),
        (autograd.tensor([1, 2]), torch.tensor([1.0, 2.0], dtype=torch.float64), "dtype int64 vs"),
        (
            autograd.tensor([1.0], requires_grad=True),
            torch.tensor([1.0], dtype=torch.float64),
            "requires_grad",
        ),
        (autograd.tensor([[1.0]]), torch.tensor([1.0], dtype=torch.float64), r"shape \(1, 1\) vs \(1,\)"),
        (np.array([1.0]), torch.tensor([1.0], dtype=torch.float64), "ndarray vs Tensor"),
        (autograd.tensor(np.nan), torch.tensor(1.0, dtype=torch.float64), "Not equal"),
        (2.0, 2, "float 2.0 vs int"),
        (autograd.zeros(2, 3).size(), torch.Size([3, 2]), "size"),
        ((1.0, 2.0), (1.0,), "result"),
        ("MulBackward0", "AddBackward0", "MulBackward0"),
        (autograd.float32, torch.float64, "dtype"),
    ],
)
def test_same_tells_every_difference(ours: Any, theirs: Any, says: str) -> None:
    with pytest.raises(AssertionError, match=says):
        same(ours, theirs)


def test_same_accepts_torchs_nan_and_equal_structures() -> None:
    same(
        {"a": (autograd.tensor([np.nan, 1.0]), 3, True, autograd.zeros(2).size())},
        {"a": (torch.tensor([np.nan, 1.0], dtype=torch.float64), 3, True, torch.Size([2]))},
    )
