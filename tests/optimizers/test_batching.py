"""optimizers.batches: batch, stochastic and mini-batch iteration over a data set."""

from __future__ import annotations

import numpy as np
import pytest

from optimizers import batches

X = np.arange(100, dtype=float).reshape(50, 2)
Y = np.arange(50)  # y[i] = i, so pairing can be checked


def sizes(batch_size: int, **kwargs: object) -> list[int]:
    return [len(xb) for xb, _ in batches(X, Y, batch_size, seed=0, **kwargs)]


def test_batch_stochastic_and_mini_batch_sizes() -> None:
    assert sizes(len(X)) == [50]  # batch gradient descent
    assert sizes(1) == [1] * 50  # stochastic gradient descent
    assert sizes(16) == [16, 16, 16, 2]  # mini-batch: the last partial batch is kept
    assert sizes(16, drop_last=True) == [16, 16, 16]
    assert sizes(64) == [50]


def test_each_row_once_and_pairs_kept() -> None:
    seen = []
    for xb, yb in batches(X, Y, 7, seed=3):
        np.testing.assert_array_equal(xb, X[yb])
        seen.extend(yb)
    assert sorted(seen) == list(range(50)) and seen != list(range(50))


def test_shuffling_is_seeded_and_optional() -> None:
    def order(**kwargs: object) -> list[int]:
        return [int(i) for _, yb in batches(X, Y, 8, **kwargs) for i in yb]

    assert order(seed=1) == order(seed=1) != order(seed=2)
    assert order(shuffle=False) == list(range(50))


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((X, Y[:10], 4), "same length"),
        ((X, Y, 0), "batch_size"),
        ((X, Y, 2.5), "batch_size"),
        (
            (3.0, 4.0, 1),
            r"Invalid X: expected an array with one row per example \(at least 1-D\), got a scalar 3\.0",
        ),
        ((X, None, 1), r"Invalid y: expected an array .*, got a scalar None"),
    ],
)
def test_bad_arguments(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        next(batches(*args))
