"""Checks of readability measured on matplotlib figure objects, in display (pixel) coordinates.

Each ``assert_*`` raises AssertionError naming the offending artist; tests/examples/test_figure_checks.py
shows that every one of them catches a deliberately broken figure.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # matplotlib is optional: the tests that use these checks skip without it
    from matplotlib.lines import Line2D


def renderer(fig: Any) -> Any:
    """Lay ``fig`` out as ``save_figure`` does; the renderer that measures it."""
    fig.tight_layout()
    fig.draw_without_rendering()  # places ticks and legends; no pixels needed
    return fig.canvas.get_renderer()


def data_lines(ax: Any) -> list[Line2D]:
    """The lines drawn in data coordinates with at least one point (not axhline, legend proxies)."""
    return [
        line
        for line in ax.get_lines()
        if line.get_visible()
        and line.get_transform().contains_branch(ax.transData)
        and np.isfinite(np.asarray(line.get_xydata(), dtype=float)).all(axis=1).any()
    ]


def line_pixels(line: Line2D, step: float = 2.0) -> np.ndarray:
    """Points at most ``step`` pixels apart along the drawn line (segments, not only vertices).

    A line drawn as markers only gives its vertices; nan breaks the line.
    """
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    finite = np.isfinite(xy).all(axis=1)
    if line.get_linestyle() in ("None", " ", "") or len(xy) < 2:
        return xy[finite]
    a, b = xy[:-1], xy[1:]
    ok = finite[:-1] & finite[1:]
    a, b = a[ok], b[ok]
    k = np.maximum(1, np.ceil(np.hypot(*(b - a).T) / step).astype(int))
    seg = np.repeat(np.arange(len(a)), k)
    t = (np.arange(len(seg)) - np.repeat(np.cumsum(k) - k, k)) / np.repeat(k, k)
    return np.concatenate([a[seg] + t[:, None] * (b - a)[seg], xy[finite]])


def data_pixels(ax: Any) -> np.ndarray:
    """Every plotted data point of ``ax`` in pixels: lines (densely along segments) and scatter points."""
    from matplotlib.collections import PathCollection

    pts = [line_pixels(line) for line in data_lines(ax)]
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and len(coll.get_offsets()):
            pts.append(coll.get_offset_transform().transform(np.asarray(coll.get_offsets(), dtype=float)))
    pts = [p for p in pts if len(p)]
    if not pts:
        return np.empty((0, 2))
    pts_all = np.concatenate(pts)
    # only what is visible inside the axes counts (clipped parts are not drawn)
    return pts_all[_inside(ax.bbox, pts_all)]


def _inside(bbox: Any, pts: np.ndarray, pad: float = 0.0) -> np.ndarray:
    return (
        (pts[:, 0] >= bbox.x0 - pad)
        & (pts[:, 0] <= bbox.x1 + pad)
        & (pts[:, 1] >= bbox.y0 - pad)
        & (pts[:, 1] <= bbox.y1 + pad)
    )


def legends(fig: Any) -> list[Any]:
    return [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)


def assert_legends_clear(fig: Any, r: Any = None) -> None:
    """No legend covers a plotted point of any axes, a tick label or an axis label; all lie in the figure.

    ``r``: the renderer of a figure already laid out by ``renderer(fig)`` (else it is laid out here).
    """
    r = r or renderer(fig)
    fig_box = fig.bbox
    for leg in legends(fig):
        box = leg.get_window_extent(r)
        name = [t.get_text() for t in leg.get_texts()][:2]
        assert (
            box.x0 >= fig_box.x0 - 1
            and box.y0 >= fig_box.y0 - 1
            and box.x1 <= fig_box.x1 + 1
            and box.y1 <= fig_box.y1 + 1
        ), f"legend {name} sticks out of the figure: {box} vs {fig_box}"
        for ax in fig.axes:
            pts = data_pixels(ax)
            covered = int(_inside(box, pts).sum())
            assert covered == 0, f"legend {name} covers {covered} plotted points of axes {ax.get_title()!r}"
            texts = [ax.xaxis.label, ax.yaxis.label, ax.title]
            texts += [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_visible()]
            hit = [t.get_text() for t in texts if t.get_text() and t.get_window_extent(r).overlaps(box)]
            assert not hit, f"legend {name} covers the text {hit[0]!r} of axes {ax.get_title()!r}"


def assert_labelled(ax: Any) -> None:
    """Both axes carry a label."""
    assert ax.get_xlabel().strip(), f"axes {ax.get_title()!r} has no x label"
    assert ax.get_ylabel().strip(), f"axes {ax.get_title()!r} has no y label"


def assert_inside_limits(ax: Any, lines: list[Line2D] | None = None) -> None:
    """Every finite point of the lines lies within the axes' x and y limits."""
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    for line in data_lines(ax) if lines is None else lines:
        xy = np.asarray(line.get_xydata(), dtype=float)
        xy = xy[np.isfinite(xy).all(axis=1)]
        out = (xy[:, 0] < x0) | (xy[:, 0] > x1) | (xy[:, 1] < y0) | (xy[:, 1] > y1)
        assert not out.any(), (
            f"{line.get_label()!r} leaves axes {ax.get_title()!r} at point {int(np.argmax(out))}: "
            f"{xy[out][0]} outside x {(x0, x1)}, y {(y0, y1)}"
        )


def overlap_fraction(a: Line2D, b: Line2D, tol: int = 2) -> float:
    """The fraction of line ``a``'s drawn length (visible in its axes) within ``tol`` pixels of line ``b``."""
    pa, pb = line_pixels(a), line_pixels(b, step=tol)
    box = a.axes.bbox
    pa, pb = pa[_inside(box, pa)], pb[_inside(box, pb, pad=tol)]
    if not len(pa) or not len(pb):
        return 0.0
    # b rasterised on the pixel grid and grown by tol pixels; a's points looked up in it
    origin = np.floor([box.x0 - tol, box.y0 - tol]).astype(int)
    shape = (int(box.width) + 4 * tol + 2, int(box.height) + 4 * tol + 2)
    grid = np.zeros(shape, dtype=bool)
    ib = np.rint(pb).astype(int) - origin
    for dx in range(-tol, tol + 1):
        for dy in range(-tol, tol + 1):
            grid[ib[:, 0] + dx + tol, ib[:, 1] + dy + tol] = True
    ia = np.rint(pa).astype(int) - origin + tol
    return float(grid[ia[:, 0], ia[:, 1]].mean())


def dash_pattern(line: Line2D) -> tuple[float, tuple[float, ...]]:
    """(offset, on-off lengths) of the line's style; ``()`` for solid. (get_linestyle() says '--' for
    every custom pattern, so the pattern itself is read.)"""
    offset, dashes = line._unscaled_dash_pattern
    return float(offset), tuple(float(d) for d in dashes or ())


def assert_overlaps_distinguishable(ax: Any, min_fraction: float = 0.1) -> None:
    """Lines that coincide over >= ``min_fraction`` of either's length differ in dash pattern."""
    drawn = [line for line in data_lines(ax) if line.get_linestyle() not in ("None", " ", "")]
    for a, b in combinations(drawn, 2):
        if max(overlap_fraction(a, b), overlap_fraction(b, a)) < min_fraction:
            continue
        assert dash_pattern(a) != dash_pattern(b), (
            f"{a.get_label()!r} and {b.get_label()!r} coincide in axes {ax.get_title()!r} "
            "with the same line style"
        )


def assert_integer_ticks(axis: Any) -> None:
    """Every tick shown on ``axis`` (``ax.xaxis``) is a whole number."""
    lo, hi = sorted(axis.get_view_interval())
    ticks = [t for t in axis.get_ticklocs() if lo <= t <= hi]
    assert ticks, "no ticks"
    assert all(float(t).is_integer() for t in ticks), f"fractional ticks {ticks}"
