"""The docs build from a clean environment with warnings as errors, and executes every tutorial
and every example (``docs/conf.py`` makes a failing cell or example fail the build)."""

from __future__ import annotations

import re

import pytest
from docsite import BUILD_COMMAND, DOCS, ROOT, Build

EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("[a-z]*.py"))
NOTEBOOKS = sorted(
    p.relative_to(DOCS).with_suffix("")
    for p in DOCS.rglob("*.md")
    if "_build" not in p.parts and "file_format: mystnb" in p.read_text(encoding="utf-8")
)


def test_the_docs_build_with_warnings_as_errors(site_build: Build) -> None:
    assert site_build.returncode == 0, f"the docs build failed:\n{site_build.problems()}"
    print(f"docs build: {site_build.seconds:.1f} s")


def test_the_readme_command_is_the_one_tested() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tested = " ".join(["python", *BUILD_COMMAND[1:]]).replace(" -E", "").replace(str(ROOT / "docs"), "docs")
    assert tested in readme, f"README.md should show the docs build command: {tested}"


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_is_a_gallery_page_with_its_output(site, name: str) -> None:
    page = site / "gallery" / f"{name}.html"
    assert page.is_file(), f"examples/{name}.py has no gallery page"
    text = page.read_text(encoding="utf-8")
    assert "sphx-glr-script-out" in text, f"the gallery page of {name} shows no printed output"
    if "--out" in (ROOT / "examples" / f"{name}.py").read_text(encoding="utf-8"):
        assert re.search(r'<img[^>]+src="[^"]*images/sphx_glr_', text), f"{name} wrote no picture"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=str)
def test_every_executed_page_shows_its_output(site, notebook) -> None:
    text = (site / notebook.with_suffix(".html")).read_text(encoding="utf-8")
    cells = text.count('class="cell docutils container"')
    assert cells and "cell_output" in text, f"{notebook}: no executed output"
    assert "Traceback (most recent call last)" not in text, f"{notebook}: a cell raised"
