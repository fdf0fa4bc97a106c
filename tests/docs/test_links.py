"""Every internal link of the built site resolves, and nothing is loaded from outside it."""

from __future__ import annotations

from pathlib import Path

from docsite import broken_links


def test_internal_links_and_anchors_resolve_and_nothing_is_fetched_from_outside(site: Path) -> None:
    problems = broken_links(site)
    assert not problems, "\n".join(problems[:40])


def test_the_link_check_finds_what_is_broken(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text('<h1 id="top">b</h1>')
    (tmp_path / "a.html").write_text(
        '<a href="sub/b.html#top">ok</a><a href="sub/b.html#gone">x</a><a href="c.html">x</a>'
        '<a href="https://example.org/">an external page is fine</a>'
        '<script src="https://cdn.example.org/mathjax.js"></script><img src="sub/missing.png">'
    )
    found = broken_links(tmp_path)
    assert [p.split(" (")[1] for p in found] == [
        "no such anchor)",
        "no such file)",
        "loaded from outside the site)",
        "no such file)",
    ], found
