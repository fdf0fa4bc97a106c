"""How the examples' own outputs reach the sphinx-gallery pages.

The examples are command-line scripts: each writes its pictures to ``--out DIR`` (PNG plots,
SVG drawings, the step-through HTML page) and closes its matplotlib figures itself. So the
gallery runs each one as ``python NAME.py --out out`` in its folder (with only the options its
parser has, full size), and a scraper collects what the run wrote there (:func:`scrape_out_dir`):
images become the page's figures, an HTML page is embedded live in an iframe. Progress bars are
switched off (``TQDM_DISABLE``): a page shows what the script printed, not a bar's redraws.

Caching is sphinx-gallery's own (an example re-runs when its file changes), widened here to
the library: :func:`invalidate_on_library_change` forgets every cached run when any file of
``autograd``, ``losses``, ``optimizers`` or this extension changed since, so a cached page never shows what an
older engine printed.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import html
import io
import runpy
import shutil
import sys
from pathlib import Path
from typing import Any

from sphinx_gallery.scrapers import figure_rst

IMAGE_SUFFIXES = (".png", ".svg")
OUT = "out"  # as a user runs an example: ``--out out``, relative to where it runs
_RUNS: dict[str, tuple[Path, dict[Path, int]]] = {}  # example -> (its out folder, files before the run)


def _options(src_file: Path) -> set[str]:
    """The long options an example's command line accepts, read from its ``--help``.

    The script runs as from the shell (``python NAME.py --help``: as ``__main__``, its folder on
    the path) but in this process, whose imports it shares: a subprocess per example started
    Python and imported the library again, ~0.5-1 s of CPU each.
    """
    argv, path, helptext = sys.argv, sys.path[:], io.StringIO()
    sys.argv, sys.path[:0] = [str(src_file), "--help"], [str(src_file.parent)]
    try:
        with contextlib.redirect_stdout(helptext):
            runpy.run_path(str(src_file), run_name="__main__")
    except SystemExit as done:
        if done.code not in (0, None):
            raise RuntimeError(f"{src_file.name} --help exited with {done.code}") from done
    finally:
        sys.argv, sys.path[:] = argv, path
    return {opt for opt in ("--out", "--small") if opt in helptext.getvalue()}


def _files(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else {}


def reset_argv(gallery_conf: dict[str, Any], script_vars: dict[str, Any]) -> list[str]:
    """``sys.argv[1:]`` for one example: ``--out out`` if the script takes it, so what it prints
    (``wrote out/moons.png``) is what a user sees.

    Also gives the script its ``__doc__`` back (sphinx-gallery blanks it; the examples' command
    lines use it for their ``--help``), so it runs exactly as from the shell.
    """
    src_file = Path(script_vars["src_file"])
    source = src_file.read_text(encoding="utf-8")
    script_vars["example_globals"]["__doc__"] = ast.get_docstring(ast.parse(source), clean=False)
    if "--out" not in _options(src_file):
        return []
    out = src_file.parent / OUT  # sphinx-gallery runs each example in its own folder
    _RUNS[str(src_file)] = (out, _files(out))
    return ["--out", OUT]


def scrape_out_dir(block: Any, block_vars: dict[str, Any], gallery_conf: dict[str, Any]) -> str:
    """A sphinx-gallery image scraper: the files the example wrote to its ``--out`` folder
    (those it created are removed afterwards; a file that was there before stays)."""
    run = _RUNS.pop(str(Path(block_vars["src_file"])), None)
    if run is None:
        return ""
    out, before = run
    produced = sorted(p for p, mtime in _files(out).items() if before.get(p) != mtime)
    images, rst = [], ""
    for path in (p for p in produced if p.suffix in IMAGE_SUFFIXES):
        target = Path(next(block_vars["image_path_iterator"])).with_suffix(path.suffix)
        shutil.copyfile(path, target)
        images.append(target)
    if images:
        rst += figure_rst(images, gallery_conf["src_dir"])
    for page in (p for p in produced if p.suffix == ".html"):
        rst += _iframe(page)
    for path in produced:
        if path not in before:
            path.unlink()
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    return rst


def _iframe(page: Path) -> str:
    """An HTML page written by an example, embedded live (its scripts run sandboxed in the iframe)."""
    srcdoc = html.escape(page.read_text(encoding="utf-8"), quote=True).replace("\n", "&#10;")
    return (
        f"\n\n``{page.name}``, live:\n\n.. raw:: html\n\n"
        f'   <iframe class="gradscope-page" title="{page.name}" sandbox="allow-scripts" '
        f'srcdoc="{srcdoc}"></iframe>\n\n'
    )


#: The gallery's reading order: the worked example first, then from the engine outwards.
#: An example not listed (a new one) comes after these, by file name.
READING_ORDER = [
    "backprop_221.py",
    "single_neuron.py",
    "backward_graph.py",
    "custom_loss.py",
    "seed_formula_check.py",
    "loss_gallery.py",
    "regression_outliers.py",
    "imbalanced_classification.py",
    "gradient_descent_variants.py",
    "optimizer_race.py",
    "edge_of_stability.py",
    "moons.py",
    "digits.py",
    "scale_to_torch.py",
]


class ReadingOrder:
    """sphinx-gallery's ``within_subsection_order``: the examples in :data:`READING_ORDER`."""

    def __init__(self, src_dir: str) -> None:
        self.src_dir = src_dir

    def __call__(self, filename: str) -> tuple[int, str]:
        name = Path(filename).name
        return (READING_ORDER.index(name) if name in READING_ORDER else len(READING_ORDER), name)

    def __repr__(self) -> str:  # sphinx-gallery compares configurations by repr
        return "ReadingOrder"


def library_hash(root: Path) -> str:
    """A digest of every Python and asset file of the three packages and of this extension."""
    digest = hashlib.sha256()
    for package in ("autograd", "losses", "optimizers", "docs/_ext"):
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".js", ".css", ".html"}:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_on_library_change(gallery_dir: Path, root: Path) -> None:
    """Drop sphinx-gallery's per-example checksums when the library changed since the last build."""
    stamp = gallery_dir / ".library.sha256"
    current = library_hash(root)
    if stamp.is_file() and stamp.read_text() == current:
        return
    for md5 in gallery_dir.glob("*.md5"):
        md5.unlink()
    gallery_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current)
