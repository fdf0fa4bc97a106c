"""F.rrelu_ against torch 2.13's (torch has no Tensor.rrelu_): written into its input and returned,
the same numbers in evaluation and, after the same manual_seed, the same random slopes in training;
refused where the library's in-place rules refuse a write (a leaf that requires grad outside
no_grad, an expand view), and for bad arguments, named; on a tensor computed from others recorded
in the graph, as torch's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn.functional as TF  # noqa: E402

import autograd as ag  # noqa: E402
import autograd.nn.functional as F  # noqa: E402

DATA = np.array([[1.5, -2.0, 0.0, -0.0], [-3.25, 4.0, -1e-3, -np.inf]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("lower", "upper", "training"), [(1 / 8, 1 / 3, False), (0.1, 0.4, True), (0.2, 0.2, True)]
)
def test_rrelu_in_place_is_torchs(dtype: Any, lower: float, upper: float, training: bool) -> None:
    ours, theirs = ag.tensor(DATA.astype(dtype)), torch.tensor(DATA.astype(dtype))
    ag.manual_seed(7)
    torch.manual_seed(7)
    assert F.rrelu_(ours, lower, upper, training) is ours
    assert TF.rrelu_(theirs, lower, upper, training) is theirs
    assert ours.data.dtype == dtype and np.array_equal(ours.data, theirs.numpy())


def test_rrelu_in_place_changes_views_of_the_tensor() -> None:
    base, tbase = ag.tensor(DATA.copy()), torch.tensor(DATA.copy())
    F.rrelu_(base[1], 0.25, 0.25)
    TF.rrelu_(tbase[1], 0.25, 0.25)
    assert np.array_equal(base.data, tbase.numpy())


def test_a_leaf_that_requires_grad_only_under_no_grad() -> None:
    w = ag.tensor(DATA.copy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="rrelu_: a leaf Variable that requires grad"):
        F.rrelu_(w)
    assert np.array_equal(w.data, DATA)  # (refused before anything is written)
    with ag.no_grad():
        F.rrelu_(w, 0.5, 0.5)
    assert np.array_equal(w.data, np.where(DATA > 0, DATA, DATA * 0.5))


def test_a_computed_tensor_is_written_in_the_graph_as_torchs() -> None:
    grads = []
    for lib, functional in ((ag, F), (torch, TF)):
        x = lib.tensor(DATA.copy(), requires_grad=True)
        y = x * 2.0
        assert functional.rrelu_(y, 0.25, 0.25, True) is y
        (y * y).sum().backward()
        grads.append(np.asarray(x.grad.tolist()))
    np.testing.assert_array_equal(*grads)


def test_refused_writes() -> None:
    with pytest.raises(RuntimeError, match="rrelu_: unsupported operation: more than one element"):
        F.rrelu_(ag.ones(3).expand(2, 3))


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda: F.rrelu_([1.0, -2.0]), TypeError, "argument 'input' .* must be Tensor, not list"),
        (lambda: F.rrelu_(ag.tensor([1, -2])), NotImplementedError, "int64"),
        (lambda: F.rrelu_(ag.ones(2), 0.5, 0.1), RuntimeError, "Lower bound should be less than or equal"),
        (lambda: F.rrelu_(ag.ones(2), "a"), TypeError, "lower"),
        (lambda: F.rrelu_(ag.ones(2), training=1), TypeError, "training"),
    ],
)
def test_bad_arguments(call: Any, error: type, says: str) -> None:
    with pytest.raises(error, match=says):
        call()
