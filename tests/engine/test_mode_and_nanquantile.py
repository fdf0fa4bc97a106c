"""torch.mode and torch.nanquantile against torch 2.13: values, positions (mode's ties as torch's
kernel picks them: the smallest of the most common values, its last occurrence up to 16 elements and
introsort's order above), first and second derivatives, nan, 0-d and empty inputs where torch takes
them, and the bad-argument errors, named by argument."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from engine_helpers import compare_to_second_order  # noqa: E402

import autograd as ag  # noqa: E402
from autograd import Tensor  # noqa: E402

NAN = math.nan


def _ties(rng: np.random.Generator, shape: tuple[int, ...], levels: int, p_nan: float = 0.0) -> np.ndarray:
    """Few distinct values (many ties), some nan, -0.0 beside 0.0."""
    x = rng.integers(-levels // 2, levels // 2 + 1, shape).astype(np.float64)
    x = np.where(x == 0, rng.choice([0.0, -0.0], shape), x)
    return np.where(rng.random(shape) < p_nan, NAN, x)


# ---------------------------------------------------------------------------------------------- mode
@pytest.mark.parametrize("seed", range(40))
def test_mode_values_and_positions_are_torchs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    shape = tuple(int(n) for n in rng.integers(1, 40, rng.integers(1, 4)))
    data = _ties(rng, shape, int(rng.integers(1, 9)), p_nan=0.1 if seed % 3 == 0 else 0.0)
    dim = int(rng.integers(-len(shape), len(shape)))
    keep = bool(seed % 2)
    ours, theirs = ag.mode(ag.tensor(data), dim, keep), torch.mode(torch.tensor(data), dim, keep)
    assert ours.values.shape == tuple(theirs.values.shape)
    assert np.array_equal(ours.values.data, theirs.values.numpy(), equal_nan=True)
    assert ours.indices.data.dtype == np.int64 and ours.indices.tolist() == theirs.indices.tolist(), data


@pytest.mark.parametrize(
    "row",
    [
        [3.0, 2.0, 2.0, 1.0, 1.0, 3.0],  # three values twice each: the smallest, its last place
        [NAN, 1.0, NAN, 2.0],  # nan equals nothing: each a run of one; the first run of the longest
        [NAN, NAN],
        [0.0, -0.0, 0.0],  # equal numbers
        list(np.tile([5.0, 1.0, 5.0, 1.0, 7.0], 8)),  # 40 elements: introsort's order decides the place
    ],
)
def test_mode_tie_rules(row: list[float]) -> None:
    ours, theirs = ag.tensor(row).mode(), torch.tensor(row).mode()
    assert np.array_equal(ours.values.data, theirs.values.numpy(), equal_nan=True)
    assert ours.indices.item() == theirs.indices.item()


@pytest.mark.parametrize("dtype", [np.int64, np.bool_])
def test_mode_of_integers_and_bools(dtype: Any) -> None:
    data = np.random.default_rng(1).integers(0, 3, (4, 23)).astype(dtype)
    ours, theirs = ag.tensor(data).mode(0), torch.tensor(data).mode(0)
    assert ours.values.data.dtype == dtype and ours.values.tolist() == theirs.values.tolist()
    assert ours.indices.tolist() == theirs.indices.tolist()


def test_mode_of_0d_and_empty_inputs() -> None:
    for keep in (False, True):
        ours, theirs = ag.mode(ag.tensor(2.5), 0, keep), torch.mode(torch.tensor(2.5), 0, keep)
        assert ours.values.shape == tuple(theirs.values.shape) == () and ours.indices.item() == 0
    ours, theirs = ag.mode(ag.zeros(0, 3), 1), torch.mode(torch.zeros(0, 3), 1)
    assert ours.values.shape == tuple(theirs.values.shape) == (0,)
    assert ours.indices.shape == (0,) and ours.indices.data.dtype == np.int64


@pytest.mark.parametrize(
    ("data", "dim", "keep"),
    [
        ([[1.0, 2.0, 2.0, 0.5], [3.0, 3.0, -1.0, -1.0], [NAN, 4.0, 4.0, NAN]], 1, False),
        ([[1.0, 2.0, 2.0, 0.5], [3.0, 3.0, -1.0, -1.0], [NAN, 4.0, 4.0, NAN]], 0, True),
        ([5.0, 1.0, 5.0, 1.0, 1.0, 2.0] * 4, -1, False),
        (2.0, 0, False),
    ],
)
def test_mode_gradients_first_and_second_order(data: Any, dim: int, keep: bool) -> None:
    # the gradient reaches the one element at the reported position, as torch's
    compare_to_second_order(
        lambda x: ag.mode(x, dim, keep).values, lambda t: torch.mode(t, dim, keep).values, [np.asarray(data)]
    )


@pytest.mark.parametrize(
    ("call", "error", "says"),
    [
        (lambda x: ag.mode(x, 1.0), TypeError, "argument 'dim'"),
        (lambda x: ag.mode(x, 2), IndexError, "Dimension out of range"),
        (lambda x: ag.mode(ag.zeros(3, 0), 1), IndexError, "reduction dim 1 to have non-zero size"),
        (lambda x: ag.mode(ag.zeros(0), 0), IndexError, "reduction dim 0 to have non-zero size"),
    ],
)
def test_mode_refuses_bad_arguments_as_torch(call: Any, error: type, says: str) -> None:
    with pytest.raises(error, match=says):
        call(ag.ones(2, 3))


def test_mode_is_the_function_and_the_method() -> None:
    x = ag.tensor([[1.0, 2.0, 2.0]])
    assert ag.mode(x).indices.tolist() == x.mode().indices.tolist() == [2]
    assert ag.grad_mode.no_grad is ag.no_grad  # (the grad-mode switches' module: torch's grad_mode)


# --------------------------------------------------------------------------------------- nanquantile
ROWS = np.array([[1.0, NAN, 3.0, 2.0, -0.5], [NAN] * 5, [4.0, 1.0, 2.0, 3.0, 0.0], [NAN, 7.0, NAN, NAN, NAN]])


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "nearest", "midpoint"])
@pytest.mark.parametrize("q", [0.0, 0.3, 0.5, 1.0, [0.25, 0.5, 0.9]])
@pytest.mark.parametrize(("dim", "keep"), [(1, False), (0, True), (None, False), (None, True)])
def test_nanquantile_values_and_gradients(interpolation: str, q: Any, dim: Any, keep: bool) -> None:
    compare_to_second_order(
        lambda x: ag.nanquantile(x, q, dim, keep, interpolation=interpolation),
        lambda t: torch.nanquantile(
            t, torch.tensor(q, dtype=torch.float64), dim, keep, interpolation=interpolation
        ),
        [ROWS],
    )


@pytest.mark.parametrize("data", [np.array(2.5), np.array(NAN), np.array([NAN, 1.0]), np.array([3.0])])
def test_nanquantile_of_0d_one_and_all_nan(data: np.ndarray) -> None:
    compare_to_second_order(
        lambda x: x.nanquantile(0.4), lambda t: t.nanquantile(0.4), [data]  # (the Tensor member)
    )


def test_nanquantile_is_quantile_where_there_is_no_nan() -> None:
    data = np.random.default_rng(3).standard_normal((3, 7))
    for q in (0.1, 0.5, 0.77):
        x = ag.tensor(data)
        assert np.array_equal(ag.nanquantile(x, q, 1).data, ag.quantile(x, q, 1).data)


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"q": 1.5}, ValueError, "nanquantile: q must be"),
        ({"q": [[0.5]]}, ValueError, "nanquantile: q must be"),
        ({"q": 0.5, "interpolation": "foo"}, ValueError, "nanquantile: interpolation must be one of"),
        ({"q": 0.5, "dim": 2}, ValueError, "nanquantile: axis 2 is out of range"),
    ],
)
def test_nanquantile_refuses_bad_arguments(kwargs: dict[str, Any], error: type, says: str) -> None:
    with pytest.raises(error, match=says):
        ag.nanquantile(ag.ones(2, 3), **kwargs)
    with pytest.raises(RuntimeError, match="input tensor must be non-empty"):
        ag.nanquantile(ag.zeros(0), 0.5)


def test_nanquantile_in_a_compiled_step_follows_each_calls_nans() -> None:
    weights = np.arange(1.0, 5.0)

    def step(x: Tensor) -> Any:
        return ag.nansum(ag.nanquantile(x, 0.3, 1) * weights)

    compiled = ag.compile(step)
    for data in (ROWS, np.where(np.isnan(ROWS), 1.0, ROWS), ROWS[::-1].copy(), ROWS[:, ::-1].copy()):
        x, t = ag.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
        loss = compiled(x)
        want = torch.nansum(torch.nanquantile(t, 0.3, 1) * torch.tensor(weights))
        want.backward()
        assert np.array_equal(loss.data, want.detach().numpy())
        assert np.array_equal(x.grad.data, t.grad.numpy())
