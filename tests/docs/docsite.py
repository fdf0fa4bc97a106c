"""The docs site for the tests: one Sphinx build per session, its HTML, its links, its inventory.

The build is the documented command with a fresh environment (``-E``: every page is read
again, so a warning in any page fails the build, not only in pages that changed). What it
executes is cached honestly: sphinx-gallery re-runs an example when the example or the library
changed, myst-nb re-runs a page when its code or the library changed (``docs/conf.py``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import attrfind_tolerant
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
HTML = DOCS / "_build" / "html"
BUILD_COMMAND = [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-b", "html", "docs", str(HTML)]


@dataclass
class Build:
    returncode: int
    log: str
    seconds: float
    html: Path = HTML

    def problems(self) -> str:
        """The warning and error lines of the log (or its tail), for a failure message."""
        lines = [ln for ln in self.log.splitlines() if re.search(r"WARNING:|ERROR:|Error:|Traceback", ln)]
        return "\n".join(lines[:60]) or self.log[-4000:]


STALE_PAGE = DOCS / "api" / "generated" / "autograd.a_name_that_is_gone.rst"


def build_site() -> Build:
    """Run the documented build command from the repository root.

    A reference page of a name that no longer exists is left where an earlier build (or another
    branch's) wrote it: the build must not trip over it (``docs/conf.py`` regenerates the pages).
    """
    STALE_PAGE.parent.mkdir(parents=True, exist_ok=True)
    STALE_PAGE.write_text("autograd.a_name_that_is_gone\n=============================\n", encoding="utf-8")
    start = time.perf_counter()  # docs/conf.py puts this checkout on the path, also for the kernels
    done = subprocess.run(BUILD_COMMAND, cwd=ROOT, capture_output=True, text=True)
    return Build(done.returncode, done.stdout + done.stderr, time.perf_counter() - start)


# --------------------------------------------------------------------------- links


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag.attribute, url)


LINKING = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src")}
# A comment, a declaration, a processing instruction, or a start tag (name, then its attributes,
# quoted values may hold ">")
_MARKUP = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>|<([a-zA-Z][^\t\n\r\f />\x00]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S
)
_RAW_TEXT_END = {"script": re.compile(r"</script", re.I), "style": re.compile(r"</style", re.I)}
_READ = re.compile(r"(?:id|name|href|src|srcset)\s*=", re.I)  # a tag with an attribute the check reads
_BLANKS = re.compile(r"(?:\s|/(?!>))*")


def start_tags(text: str) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """Each start tag of an HTML page as :class:`html.parser.HTMLParser` reports it (name and
    attribute names lowercased, values unquoted and unescaped, a bare attribute None), skipping
    comments, declarations and the text of scripts and styles. A tag without any attribute the
    link check reads (``id``, ``name``, ``href``, ``src``, ``srcset``) comes with no attributes.

    HTMLParser itself took ~11 s of CPU for the site's ~1,150 pages (~480,000 tags), each tag a
    few Python calls; here the tags are found by one regular expression and only those with a
    link or an anchor are taken apart, with HTMLParser's own attribute pattern.
    """
    pos = 0
    while (markup := _MARKUP.search(text, pos)) is not None:
        pos = markup.end()
        if markup.group(1) is None:
            continue
        tag, attrs = markup.group(1).lower(), []
        if _READ.search(text, markup.start(2), pos):
            at, end = _BLANKS.match(text, markup.start(2)).end(), pos - 1
            while at < end and (attr := attrfind_tolerant.match(text, at, end)):
                name, rest, value = attr.group(1, 2, 3)
                if not rest:
                    value = None
                elif value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
                    value = value[1:-1]
                attrs.append((name.lower(), unescape(value) if value else value))
                at = attr.end()
        yield tag, attrs
        if tag in _RAW_TEXT_END:
            closing = _RAW_TEXT_END[tag].search(text, pos)
            pos = closing.start() if closing else len(text)


def parse(path: Path) -> Page:
    page = Page()
    for tag, attrs in start_tags(path.read_text(encoding="utf-8", errors="replace")):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name"):
                page.ids.add(value)
            elif (tag, name) in LINKING:
                page.links.append((f"{tag}.{name}", value))
            elif tag == "img" and name == "srcset":
                urls = [part.split()[0] for part in value.split(",") if part.strip()]
                page.links += [("img.srcset", url) for url in urls]
    return page


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def broken_links(site: Path) -> list[str]:
    """Every internal link of ``site`` whose file or ``#fragment`` does not exist, as
    ``page: tag.attribute -> url (why)``; and every script, style or image loaded from outside
    the site (the site must work offline)."""
    skip = {"_static", "_sources", "_images"}  # assets (a theme's HTML templates), not pages
    pages = {p: parse(p) for p in sorted(site.rglob("*.html")) if skip.isdisjoint(p.relative_to(site).parts)}
    # Each page's sidebar and navigation repeat the same links: each (folder, path) is resolved
    # once, and a page outside ``pages`` that a fragment points into is parsed once.
    files: dict[tuple[Path, str], Path | None] = {}

    def file_of(folder: Path, url_path: str) -> Path | None:
        """The file a link's path names from ``folder`` (a folder's index.html), None if none."""
        if (folder, url_path) not in files:
            target = (folder / unquote(url_path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            files[folder, url_path] = target if target.is_file() else None
        return files[folder, url_path]

    problems = []
    for path, page in pages.items():
        where = path.relative_to(site)
        for kind, url in page.links:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "data", "javascript"):
                continue
            if is_external(url):
                if kind != "a.href":
                    problems.append(f"{where}: {kind} -> {url} (loaded from outside the site)")
                continue
            target = file_of(path.parent, parts.path) if parts.path else path
            if target is None:
                problems.append(f"{where}: {kind} -> {url} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if target not in pages:
                    pages[target] = parse(target)
                if unquote(parts.fragment) not in pages[target].ids:
                    problems.append(f"{where}: {kind} -> {url} (no such anchor)")
    return problems
