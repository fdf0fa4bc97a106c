"""Every internal link of the built site resolves, and nothing is loaded from outside it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from docsite import broken_links, start_tags


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


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_the_tags_are_read_as_htmlparser_reads_them() -> None:
    page = (
        '<!DOCTYPE html><HTML lang="en"><!-- <a href="commented.html"> --><head><script src="s.js"></script>'
        "<script>if (a <b && c> d) { x = \"<a href='fake.html'>\"; }</script>"
        '<style>a<b id="no">{}</style><link rel="stylesheet" HREF="x.css?a=1&amp;b=2"/></head><body>'
        '<a id=top href=page.html#sec title=\'a > b\'>t</a><img SRC = "p.png" srcset="p1.png 1x, p2.png 2x">'
        '<iframe src="f.html" sandbox></iframe><div class="x" data-id="d">'
        '<span name="n" id="&#x41;&amp;"></span><a href="q.html#&quot;x" / ><input disabled id=last></div>'
        "</body></HTML>"
    )
    reference = _Tags()
    reference.feed(page)
    read = list(start_tags(page))
    assert [tag for tag, _ in read] == [tag for tag, _ in reference.tags]
    wanted = ("id", "name", "href", "src", "srcset")
    for (tag, attrs), (_, expected) in zip(read, reference.tags):
        if any(name in wanted for name, _ in expected):  # (a tag with none comes without its attributes)
            assert attrs == expected, tag
