"""NumPy's beginner pages run with ``import autograd.numpy as np`` and print what numpy prints.

Every statement of "NumPy: the absolute basics for beginners" and "NumPy quickstart" (their doctest
code, in ``numpy_pages.py``) runs twice, in page order in one namespace per page as a reader
types them: once as written (``import numpy as np``) and once with only the import lines changed
(``import numpy as np`` -> ``import autograd.numpy as np``, ``from numpy import`` -> ``from
autograd.numpy import``). What each statement shows (the doctest display of an expression, and
anything printed) and any exception it raises must be the same text, and every name the pages
bind must hold equal values of the same type and dtype (object ids, which ``id(a)`` shows,
are masked). One edit on both sides: the absolute
basics' unseeded ``np.random.default_rng()`` gets a seed, so the two runs draw the same numbers.

What is left out (files, plotting, pandas, ``help()``, ``sys.maxsize``) is listed in
``numpy_pages.SKIPPED``; ``test_what_is_left_out`` pins that list.

``numpy_pages.py`` was written by this script over numpy's repository (commit 1f90bbb55e65),
``doc/source/user/{absolute_beginners,quickstart}.rst``: each ``>>>`` line with its ``...`` lines
is one statement (``#doctest: +SKIP`` markers dropped), tagged with its section title; the
statements matching ``np.save|np.load|savetxt|loadtxt|open(|pd.|pandas|plt.|matplotlib|help(|
mpl_toolkits|fig.add_subplot|ax.plot_surface|sys.maxsize`` go to ``SKIPPED``.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from typing import Any

import numpy
import numpy_pages
import pytest

import autograd.numpy as anp

PAGES = {"absolute_beginners": numpy_pages.ABSOLUTE_BEGINNERS, "quickstart": numpy_pages.QUICKSTART}


def _source(statement: str, ours: bool) -> str:
    statement = statement.replace("np.random.default_rng()", "np.random.default_rng(12345)")
    if ours:
        statement = statement.replace("import numpy as np", "import autograd.numpy as np")
        statement = statement.replace("from numpy import", "from autograd.numpy import")
    return statement


def run_page(statements: list[tuple[str, str]], ours: bool) -> tuple[list[str], dict[str, Any]]:
    """Each statement's shown text (display, prints, or the exception), and the final namespace."""
    namespace: dict[str, Any] = {"np": anp if ours else numpy, "__name__": "__page__"}
    shown = []
    hook = sys.displayhook
    numpy.random.seed(0)
    try:
        for section, statement in statements:
            out = io.StringIO()
            sys.displayhook = lambda value, out=out: value is None or out.write(repr(value) + "\n")
            with contextlib.redirect_stdout(out):
                try:
                    exec(compile(_source(statement, ours) + "\n", "<page>", "single"), namespace)
                except Exception as e:  # the pages show some errors on purpose
                    out.write(f"{type(e).__name__}: {e}\n")
            text = out.getvalue()
            if "id(" in statement or section == "No copy at all":  # (object ids differ from run to run)
                text = re.sub(r"\d{6,}", "<id>", text)
            shown.append(f"[{section}] >>> {statement}\n{text}")
    finally:
        sys.displayhook = hook
    return shown, namespace


def same_value(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, numpy.ndarray):
        return (
            a.dtype == b.dtype
            and a.shape == b.shape
            and numpy.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        )
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, (numpy.generic, float, int, str, bool)):
        return repr(a) == repr(b)
    return True  # (functions, generators, modules: their behaviour is what the shown text compares)


def _defined(printouts: list[str]) -> list[str]:
    """The printouts, those of ``np.empty`` without their numbers (whatever was in that memory:
    undefined, on numpy as here)."""
    return [p.split("\n")[0] if "np.empty(" in p.split("\n")[0] else p for p in printouts]


@pytest.mark.parametrize("page", PAGES)
def test_the_page_shows_the_same_with_autograd_numpy(page: str) -> None:
    theirs, their_names = run_page(PAGES[page], ours=False)
    ours, our_names = run_page(PAGES[page], ours=True)
    theirs, ours = _defined(theirs), _defined(ours)
    assert len(ours) == len(theirs) > 200
    for mine, numpys in zip(ours, theirs):
        assert mine == numpys
    assert our_names.keys() == their_names.keys()
    differ = [
        k
        for k in their_names
        if k not in ("np", "__builtins__") and not same_value(our_names[k], their_names[k])
    ]
    assert not differ
    assert our_names["np"] is anp


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_really_ran(page: str) -> None:
    """Every statement ran without an exception but the three errors the quickstart shows on
    purpose, and landmark outputs are the page's."""
    shown, names = run_page(PAGES[page], ours=True)
    errors = [s.split("\n", 1)[1].split(":")[0] for s in shown if "Error: " in s.split("\n", 1)[1]]
    assert errors == ([] if page == "absolute_beginners" else ["TypeError", "UFuncTypeError", "IndexError"])
    if page == "quickstart":
        assert repr(names["a"]) == repr(numpy.array(names["a"]))
        assert any("array([[ 0,  1,  2,  3,  4]," in s for s in shown)
    else:
        assert any("array([1, 2, 3, 4, 5, 6, 7, 8])" in s for s in shown)


def test_what_is_left_out() -> None:
    left_out = {page: [s for _, s in items] for page, items in numpy_pages.SKIPPED.items()}
    assert len(left_out["absolute_beginners"]) == 22 and len(left_out["quickstart"]) == 7
    assert all(
        any(
            word in s
            for word in (
                "np.save",
                "np.load",
                "savetxt",
                "loadtxt",
                "open(",
                "pd",
                "df",
                "plt",
                "fig",
                "ax.",
                "help",
                "sys",
            )
        )
        for items in left_out.values()
        for s in items
    )


def test_a_wrong_wrapper_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison notices a wrapped function that gives a different answer: np.sort here
    sorts in descending order."""
    wrong = anp.sort
    monkeypatch.setattr(anp, "sort", lambda a, *args, **kwargs: wrong(a, *args, **kwargs)[..., ::-1])
    theirs, _ = run_page(PAGES["absolute_beginners"], ours=False)
    ours, _ = run_page(PAGES["absolute_beginners"], ours=True)
    differ = [(a, b) for a, b in zip(_defined(ours), _defined(theirs)) if a != b]
    assert differ and all("sort" in a.split("\n")[0] for a, _ in differ)
