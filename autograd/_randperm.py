"""torch's CPU ``randperm`` (``randperm_cpu`` in aten/src/ATen/native/TensorFactories.cpp) from its
draws, without a Python loop.

Below ``n = INSIDE_OUT_FROM`` torch shuffles ``r = arange(n)`` forward, ``swap(r[i], r[i + z_i])``
for ``i = 0 .. n - 2`` with ``z_i = random() % (n - i)`` (:func:`fisher_yates`); from there on it
runs the inside-out variant, ``r[i] = r[z_i]; r[z_i] = i`` for ``i = 0 .. n - 1`` with
``z_i = random64() % (i + 1)`` (:func:`inside_out`), so the same seed gives other numbers there.
"""

from __future__ import annotations

import numpy as np

#: torch's randperm switches to the inside-out shuffle and ``random64()`` at this ``n``
#: (``n < std::numeric_limits<uint32_t>::max() / 20`` keeps the forward one): 214,748,364
INSIDE_OUT_FROM = (2**32 - 1) // 20
#: the largest ``n`` handled: a step and its target are packed into one 64-bit sort key (torch's
#: result alone would take 32 GiB there)
LARGEST = 2**32


def check_size(n: int) -> None:
    """Raise ValueError if ``randperm(n)`` is beyond :data:`LARGEST`."""
    if n > LARGEST:
        raise ValueError(
            f"randperm: n must be at most 2**32 = {LARGEST} here (torch's result alone would take "
            f"{8 * n / 2**30:.0f} GiB), got n={n}"
        )


def _by_target(picks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The steps sorted by target ``i + picks[i]``, each target's steps in order, and their targets:
    one sort of ``target << bits | step`` (32-bit keys up to ``n = 2**16``: twice as fast)."""
    n = len(picks) + 1
    dtype, bits = (np.uint32, 16) if n <= 2**16 else (np.uint64, 32)
    steps = np.arange(n - 1, dtype=dtype)
    key = steps + picks.astype(dtype, copy=False)
    key <<= dtype(bits)
    key |= steps
    del steps
    key.sort()
    order = (key & dtype((1 << bits) - 1)).astype(np.int64)
    if dtype == np.uint64:
        key >>= dtype(bits)  # (in place: one array fewer for a large n; targets < 2**32)
        return order, key.view(np.int64)
    return order, (key >> dtype(bits)).astype(np.int64)


def _point_at_roots(held: np.ndarray) -> np.ndarray:
    """Where the pointers ``p -> held[p]`` (each to a smaller index or itself) end: pointer
    doubling, each round over the positions not yet at an end only."""
    deeper = held[held]
    moving = np.flatnonzero(deeper != held)
    del held
    while moving.size:
        ptr = deeper[moving]
        nxt = deeper[ptr]
        deeper[moving] = nxt
        moving = moving[nxt != ptr]
    return deeper


def fisher_yates(picks: np.ndarray) -> np.ndarray:
    """The permutation that ``r = arange(n); for i: swap(r[i], r[i + picks[i]])`` leaves
    (``len(picks) == n - 1``, ``0 <= picks[i] < n - i``, ``n <= LARGEST``), without the loop.

    Step ``i`` fixes ``r[i]`` for good: it takes what its target ``t = i + picks[i]`` holds then,
    and ``t`` takes what ``i`` held. What ``t`` holds just before step ``i`` is ``t`` itself if no
    earlier step aimed at it, else what the last such step ``j`` brought, which is what ``j`` held
    just before step ``j``. So position ``p`` points at the last step before ``p`` that aimed at
    ``p``; following the pointers to a position no step aimed at before (pointer doubling) gives what
    ``p`` holds just before step ``p`` (``held``), and each step's result is the value its target
    held: the target itself for the first step aiming at it, else ``held`` of the previous one.
    """
    n = len(picks) + 1
    order, target = _by_target(picks)
    first = np.empty(n - 1, dtype=bool)  # the first step aiming at its target
    first[0] = True
    np.not_equal(target[1:], target[:-1], out=first[1:])
    # held[p] for the positions read below (p = n - 1, and every step that aimed beyond itself): the
    # last step aiming at p, each target's last step writing there and the others into slot n
    # (a step aiming at itself is its target's last and points p at p, which nothing reads)
    held = np.arange(n + 1, dtype=np.int64)
    slot = target[:-1] - n
    slot *= first[1:]
    slot += n
    held[slot] = order[:-1]
    del slot
    held[target[-1]] = order[-1]
    held = _point_at_roots(held[:n])
    # each step's result: its target where it is the first to aim there, else held[previous step]
    result = np.empty(n - 1, dtype=np.int64)
    result[0] = 0
    np.take(held, order[:-1], out=result[1:], mode="clip")  # (indices in range: unbuffered)
    result -= target
    result *= ~first
    result += target
    del target, first
    out = np.empty(n, dtype=np.int64)
    out[order] = result
    out[n - 1] = held[n - 1]
    return out


def inside_out(z: np.ndarray) -> np.ndarray:
    """The permutation that torch's inside-out loop ``r[i] = r[z[i]]; r[z[i]] = i`` for
    ``i = 0 .. n - 1`` leaves (``0 <= z[i] <= i``), without the loop; overwrites ``z``.

    The loop is ``r = arange(n)`` with ``swap(r[i], r[z_i])`` in order. Its inverse is the same swaps
    backwards; numbered from the end (``p -> n - 1 - p``), those are a forward shuffle
    with ``picks[k] = i - z_i`` for ``i = n - 1 - k``: :func:`fisher_yates` gives ``q``, and ``r``
    is the inverse of ``p -> n - 1 - q[n - 1 - p]``.
    """
    n = len(z)
    if n < 2:
        return np.zeros(n, dtype=np.int64)
    np.subtract(np.arange(n, dtype=np.int64), z, out=z)
    q = fisher_yates(z[:0:-1])
    del z
    np.subtract(n - 1, q, out=q)
    out = np.empty(n, dtype=np.int64)
    out[q[::-1]] = np.arange(n, dtype=np.int64)
    return out
