"""Mini-batch iteration for the three gradient-descent variants.

* batch gradient descent: ``batch_size=len(X)`` (one batch per epoch)
* stochastic gradient descent: ``batch_size=1``
* mini-batch gradient descent: e.g. ``batch_size=32``
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


def batches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    shuffle: bool = True,
    seed: int | None = None,
    drop_last: bool = False,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X_batch, y_batch)`` pairs covering one epoch.

    Batch, stochastic and mini-batch gradient descent differ only in ``batch_size``: ``len(X)``,
    1, or something in between.

    Parameters
    ----------
    X, y : numpy.ndarray
        The inputs and the targets, the same number of rows.
    batch_size : int
        The number of rows per batch (positive).
    shuffle : bool
        Shuffle the rows with ``np.random.default_rng(seed)`` first (default True).
    seed : int, optional
        The shuffle's seed (None: a fresh one).
    drop_last : bool
        Leave out the last, smaller batch (default False: keep it).

    Yields
    ------
    tuple of numpy.ndarray
        ``(X_batch, y_batch)``.

    Raises
    ------
    ValueError
        If ``X`` and ``y`` have different lengths or ``batch_size`` is not a positive integer.
    """
    X, y = np.asarray(X), np.asarray(y)
    for name, data in (("X", X), ("y", y)):
        if data.ndim == 0:
            raise ValueError(
                f"Invalid {name}: expected an array with one row per example (at least 1-D), "
                f"got a scalar {data.item()!r}"
            )
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"Invalid batch_size: expected a positive integer, got {batch_size!r}")
    n = len(X)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]
