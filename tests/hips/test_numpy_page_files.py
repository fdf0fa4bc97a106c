"""The statements ``test_numpy_pages.py`` leaves out of NumPy's beginner pages because they write
files or draw (``numpy_pages.SKIPPED``), run here with ``import autograd.numpy as np`` beside numpy:
"How to save and load NumPy objects" (``np.save``, ``np.load``, ``np.savetxt``, ``np.loadtxt``),
the CSV export (``np.savetxt`` with ``fmt``, ``delimiter`` and ``header``), "Plotting arrays with
Matplotlib" (2-D lines and dots, a 3-D surface), the quickstart's Mandelbrot image and histogram,
and its ``set_printoptions(threshold=sys.maxsize)``. Each section runs in page order (its statements
taken from ``numpy_pages``, the page's text) in a temporary directory, with matplotlib's Agg
backend; what each statement shows and the files written must be the same. Left out still: pandas
(not installed here) and ``help(max)`` (Python's help, not numpy's).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy
import numpy_pages
import pytest
from test_numpy_pages import run_page

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)

PAGE = {"absolute_beginners": numpy_pages.ABSOLUTE_BEGINNERS, "quickstart": numpy_pages.QUICKSTART}


def _find(page: str, start: str, section: str | None = None) -> tuple[str, str]:
    """The one statement of ``page`` (kept or left out) that starts with ``start``."""
    found = [
        item
        for item in PAGE[page] + numpy_pages.SKIPPED[page]
        if item[1].startswith(start) and section in (None, item[0])
    ]
    assert len(found) == 1, (start, found)
    return found[0]


SAVE = "How to save and load NumPy objects"
PLOT = "Plotting arrays with Matplotlib"
#: each section's statements in the page's order (numpy's doc/source/user/absolute_beginners.rst)
SECTIONS = {
    "save and load": [
        _find("absolute_beginners", "a = np.array([1, 2, 3, 4, 5, 6])", SAVE),
        _find("absolute_beginners", "np.save("),
        _find("absolute_beginners", "b = np.load("),
        _find("absolute_beginners", "print(b)", SAVE),
        _find("absolute_beginners", "csv_arr = "),
        _find("absolute_beginners", "np.savetxt('new_file.csv'"),
        _find("absolute_beginners", "np.loadtxt("),
    ],
    "csv": [
        _find("absolute_beginners", "with open('music.csv'"),
        _find("absolute_beginners", "a = np.array([[-2.58289208"),
        _find("absolute_beginners", "np.savetxt('np.csv'"),
    ],
    "plots": [
        _find("absolute_beginners", "import matplotlib.pyplot as plt"),
        _find("absolute_beginners", "a = np.array([2, 1, 5"),
        _find("absolute_beginners", "plt.plot(a)"),
        _find("absolute_beginners", "x = np.linspace(0, 5, 20)", PLOT),
        _find("absolute_beginners", "y = np.linspace(0, 10, 20)", PLOT),
        _find("absolute_beginners", "plt.plot(x, y, 'purple')"),
        _find("absolute_beginners", "plt.plot(x, y, 'o')"),
        _find("absolute_beginners", "fig = plt.figure()"),
        _find("absolute_beginners", "ax = fig.add_subplot("),
        _find("absolute_beginners", "X = np.arange(-5, 5, 0.15)"),
        _find("absolute_beginners", "Y = np.arange(-5, 5, 0.15)"),
        _find("absolute_beginners", "X, Y = np.meshgrid(X, Y)"),
        _find("absolute_beginners", "R = np.sqrt(X**2 + Y**2)"),
        _find("absolute_beginners", "Z = np.sin(R)"),
        _find("absolute_beginners", "ax.plot_surface("),
    ],
    # the whole quickstart, then its left-out lines (the Mandelbrot function and the histogram's
    # v, bins and n are the page's own, defined by then)
    "quickstart": numpy_pages.QUICKSTART
    + [("Printing arrays", "import sys")]
    + numpy_pages.SKIPPED["quickstart"]
    + [("Printing arrays", "np.set_printoptions(threshold=1000)")],
}


def _shown(section: str, ours: bool, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], Any]:
    folder.mkdir()
    monkeypatch.chdir(folder)
    try:
        shown, names = run_page(SECTIONS[section], ours=ours)
    finally:
        plt.close("all")
        numpy.set_printoptions(threshold=1000)
    return [re.sub(r"0x[0-9a-f]+", "0x...", s) for s in shown], names


@pytest.mark.parametrize("section", list(SECTIONS))
def test_the_section_shows_and_writes_what_numpy_does(section: str, tmp_path: Path, monkeypatch: Any) -> None:
    theirs, their_names = _shown(section, False, tmp_path / "numpy", monkeypatch)
    ours, our_names = _shown(section, True, tmp_path / "ours", monkeypatch)
    assert ours == theirs
    assert not [s for s in ours if "Error: " in s.split("\n", 1)[1]] or section == "quickstart"
    files = sorted(p.name for p in (tmp_path / "numpy").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "ours").iterdir())
    for name in files:
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "numpy" / name).read_bytes(), name
    expected = {"save and load": ["filename.npy", "new_file.csv"], "csv": ["music.csv", "np.csv"]}
    assert files == expected.get(section, [])
    if section == "save and load":
        assert our_names["b"].tolist() == [1, 2, 3, 4, 5, 6]
        assert "array([1., 2., 3., 4., 5., 6., 7., 8.])" in ours[-1]
    if section == "csv":
        assert (tmp_path / "ours" / "np.csv").read_text().splitlines()[:2] == [
            "# 1,  2,  3,  4",
            "-2.58,0.43,-1.24,1.60",
        ]
    if section == "plots":
        assert sum("Line2D" in s for s in ours) == 3 and "Poly3DCollection" in ours[-1]
    if section == "quickstart":
        assert "AxesImage" in ours[-5] and "Line2D" in ours[-2]
        assert "(array([" in ours[-3]  # (plt.hist's counts, bins and patches)
