"""The README is a front page: short, a picture first, the two set-up commands the project really
runs, a tour that runs as written, and links that lead into the docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAX_WORDS = 1500  # every whitespace-separated word, code blocks and tables included
FIRST_SCREEN = 25  # lines: what a laptop shows before scrolling on GitHub


def _readme_commands() -> list[str]:
    return re.findall(r"^(python3 -m venv \.venv && .+)$", README, flags=re.MULTILINE)


def test_ci_runs_the_readme_test_command() -> None:
    ci_lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in line]
    test_commands = [c for c in _readme_commands() if "pytest" in c]
    assert len(test_commands) == 1, test_commands
    assert ci_lines == test_commands


def test_readme_demo_command_runs_an_existing_example() -> None:
    demo = [c for c in _readme_commands() if "pytest" not in c]
    assert len(demo) == 1, demo
    script = demo[0].rsplit("python ", 1)[1].split()[0]
    assert (ROOT / script).is_file(), script


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 1


@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_readme_python_block_runs(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every python block in the README runs as written (in a scratch folder)."""
    monkeypatch.chdir(tmp_path)
    exec(compile(_python_blocks()[index], f"README block {index}", "exec"), {"__name__": "readme"})


def test_the_readme_is_a_front_page_of_at_most_1500_words() -> None:
    """Counted as ``wc -w`` counts: every whitespace-separated word, code blocks and tables included."""
    count = len(README.split())
    assert count <= MAX_WORDS, f"README.md has {count} words; move the detail into docs/"


def test_the_tour_is_about_30_lines() -> None:
    tour = _python_blocks()[0].splitlines()
    assert 20 <= len(tour) <= 35, len(tour)


def _images(markdown: str) -> list[tuple[int, str]]:
    """(line number, target) of every Markdown image."""
    return [
        (markdown.count("\n", 0, m.start()) + 1, m.group(1))
        for m in re.finditer(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown)
    ]


def _links(markdown: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)", markdown)]


def test_a_committed_picture_is_in_the_first_screen() -> None:
    images = _images(README)
    assert images and images[0][0] <= FIRST_SCREEN, f"first picture at line {images and images[0][0]}"
    for _, target in images:  # relative paths to files in the repository: GitHub renders them
        assert not re.match(r"[a-z]+://", target) and target.endswith((".png", ".svg")), target
        assert (ROOT / target).is_file(), target


def test_every_relative_link_leads_to_a_file_of_the_repository() -> None:
    links = [t for t in _links(README) if not re.match(r"[a-z]+://|#", t)]
    assert links
    missing = [t for t in links if not (ROOT / t.split("#")[0]).exists()]
    assert not missing, missing


def test_the_readme_links_every_docs_page_a_reader_starts_from() -> None:
    """The front page leads into the docs: getting started, each tutorial and guide, the errata and
    the development page (a new page of those folders must be linked here too)."""
    pages = ["docs/getting_started.md", "docs/errata.md", "docs/development.md", "docs/api/index.md"]
    for folder in ("tutorials", "guides"):
        found = sorted((ROOT / "docs" / folder).glob("*.md"))
        pages += [f"docs/{folder}/{p.name}" for p in found if p.name != "index.md"]
    unlinked = sorted(set(pages) - set(_links(README)))
    assert not unlinked, f"README.md does not link {unlinked}"


def test_the_link_checks_catch_what_is_broken() -> None:
    text = "line\n" * 30 + "![a](docs/img/none.png) [b](docs/nowhere.md) [c](https://x.org) ![d](img.png)"
    assert _images(text) == [(31, "docs/img/none.png"), (31, "img.png")]
    assert _links(text) == ["docs/nowhere.md", "https://x.org"]
    assert not (ROOT / "docs/nowhere.md").exists()


def test_the_first_derivative_check_is_latex_and_an_edge_shows_its_rule() -> None:
    """Issue 18: the README checks a hand formula written in LaTeX before any other kind, and
    shows a picture of an edge with its rule."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_call = text.index("check_derivative(losses.")
    formula_line = text.rfind("\n", 0, first_call - 200)
    assert r"\frac{\partial L}" in text[formula_line:first_call], "the first check is not LaTeX"
    assert "docs/img/backprop_221_edge.svg" in text
