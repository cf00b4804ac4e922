"""The HTML book in a real browser: every page loads cleanly and offline, figures show,
navigation and glossary links resolve.

Builds the book from the executed chapters; runs ``kzlib reproduce`` first only when an
executed copy is missing (it is incremental anyway).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from browser import browser, chromium_or_skip
from conftest import REPO

from kzlib.book import BookError, launch_links, read_catalogue, repository_url
from kzlib.editions import chapter_paths
from kzlib.glossary import Term, link_notebook, read_glossary

CHAPTERS = chapter_paths(REPO / "notebooks")
_EXTERNAL = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=\"(https?:)?//", re.I)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The book, built by the same command as `make book` into a temporary folder."""
    chromium_or_skip()
    executed = REPO / "build" / "executed"
    missing = [p.name[:2] for p in CHAPTERS if not (executed / p.name).is_file()]
    if missing:  # --force: reproduce's own record may say "unchanged" when only build/executed went
        cmd = [sys.executable, "-m", "kzlib", "reproduce", "--force"]
        cmd += [arg for number in missing for arg in ("--only", number)]
        subprocess.run(cmd, cwd=REPO, check=True)
    out = tmp_path_factory.mktemp("book")
    done = subprocess.run(
        [sys.executable, "-m", "kzlib.book", "--out", str(out)], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def site(book: Path) -> Iterator[str]:
    """The book served over HTTP on 127.0.0.1 (as a web server would publish it)."""
    handler = partial(_QuietHandler, directory=str(book))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _pages(book: Path) -> list[Path]:
    return sorted(p for p in book.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def _ids(path: Path) -> set[str]:
    return {html.unescape(m) for m in re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8"))}


def test_book_has_every_page(book: Path) -> None:
    assert (book / "index.html").is_file()
    for name in ("course-guide", "glossary", "gallery", "data-dictionary", "cite", "changelog"):
        assert (book / f"{name}.html").is_file(), name
    for nb in CHAPTERS:
        assert (book / "chapters" / f"{nb.stem}.html").is_file(), nb.name


def test_build_has_no_warnings(book: Path) -> None:
    log = REPO / "build" / "book-warnings.log"
    assert log.read_text(encoding="utf-8").strip() == "", log.read_text(encoding="utf-8")[:3000]


def test_solutions_are_folded(book: Path) -> None:
    for nb in CHAPTERS:
        text = (book / "chapters" / f"{nb.stem}.html").read_text(encoding="utf-8")
        solutions = re.findall(r'class="cell ([^"]*\btag_solution\b[^"]*)"', text)
        assert solutions, f"{nb.stem}: no solution cell"
        for classes in solutions:
            assert {"tag_hide-input", "tag_hide-output"} <= set(classes.split()), (nb.stem, classes)


def test_pages_load_nothing_from_other_hosts(book: Path) -> None:
    for page in _pages(book):
        found = _EXTERNAL.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(book)} loads from another host"


def test_every_page_opens_cleanly(book: Path, site: str) -> None:
    problems: list[str] = []
    with browser() as b:
        page = b.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(f"{page.url}: console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"{page.url}: error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"{page.url}: failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{page.url}: {r.status}: {r.url}"))
        page.on(
            "request",
            lambda r: (
                urlparse(r.url).hostname not in ("127.0.0.1", None)
                and not r.url.startswith("data:")
                and problems.append(f"{page.url}: request to another host: {r.url}")
            ),
        )
        for path in _pages(book):
            response = page.goto(site + path.relative_to(book).as_posix(), wait_until="networkidle")
            assert response is not None and response.ok, path
    assert not problems, "\n".join(problems[:20])


def test_chapter_pages_show_their_figures(book: Path, site: str) -> None:
    catalogue = read_catalogue(REPO)
    with browser() as b:
        page = b.new_page()
        for nb in CHAPTERS:
            page.goto(f"{site}chapters/{nb.stem}.html", wait_until="networkidle")
            images = page.eval_on_selector_all(
                "article img", "els => els.map(e => [e.getAttribute('src'), e.naturalWidth > 0])"
            )
            broken = [src for src, ok in images if not ok]
            assert not broken, f"{nb.stem}: images not loaded: {broken}"
            charts = sum(1 for row in catalogue if row["notebook"] == nb.name)
            assert len(images) >= charts, f"{nb.stem}: {len(images)} images, {charts} catalogued figures"


def test_front_page_shows_the_timeline(site: str) -> None:
    with browser() as b:
        page = b.new_page()
        page.goto(site, wait_until="networkidle")
        shown = page.eval_on_selector_all(
            "figure img", "els => els.map(e => [e.getAttribute('alt'), e.naturalWidth])"
        )
        assert shown and all(width > 0 for _, width in shown), shown


def test_chapters_in_order_with_previous_and_next(site: str) -> None:
    with browser() as b:
        page = b.new_page()
        for i, nb in enumerate(CHAPTERS):
            url = f"{site}chapters/{nb.stem}.html"
            page.goto(url, wait_until="domcontentloaded")
            prev = page.get_attribute("a.left-prev", "href")
            nxt = page.get_attribute("a.right-next", "href")
            if i > 0:
                assert prev and urljoin(url, prev).endswith(f"{CHAPTERS[i - 1].stem}.html"), (nb.stem, prev)
            if i + 1 < len(CHAPTERS):
                assert nxt and urljoin(url, nxt).endswith(f"{CHAPTERS[i + 1].stem}.html"), (nb.stem, nxt)


def test_every_internal_link_resolves(book: Path) -> None:
    broken = []
    for page in _pages(book):
        text = page.read_text(encoding="utf-8")
        for href in set(re.findall(r'<a\b[^>]*\bhref="([^"]+)"', text)):
            href = html.unescape(href)
            if urlparse(href).scheme in ("http", "https", "mailto"):
                continue
            target, fragment = urldefrag(href)
            file = (page.parent / target).resolve() if target else page
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page.relative_to(book)}: {href}")
            elif fragment and fragment not in _ids(file):
                broken.append(f"{page.relative_to(book)}: {href} (no such anchor)")
    assert not broken, "\n".join(broken[:20])


def test_glossary_has_an_anchor_per_term_and_chapters_link_to_it(book: Path) -> None:
    terms = read_glossary(REPO / "docs" / "GLOSSARY.md")
    assert len(terms) >= 25
    ids = _ids(book / "glossary.html")
    anchors = [i for i in ids if i.startswith("term-")]
    assert len(anchors) == len(terms), sorted(anchors)
    linked = set()
    for nb in CHAPTERS:
        text = (book / "chapters" / f"{nb.stem}.html").read_text(encoding="utf-8")
        hits = re.findall(r'href="\.\./glossary\.html#(term-[^"]+)"', text)
        assert hits, f"{nb.stem}: no glossary term linked"
        assert len(hits) == len(set(hits)), f"{nb.stem}: a term linked twice"
        linked |= set(hits)
    assert linked <= ids


# The parts of the build that need no browser.


def test_first_use_of_a_term_links_once_per_chapter_outside_code_and_links() -> None:
    terms = [Term("Deep packet inspection", ("DPI",), "x"), Term("Root certificate", ("root CA",), "y")]
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": "## DPI\n\nSee `DPI` and [DPI](https://x.org/DPI)."},
            {"cell_type": "code", "source": "# DPI root certificate", "outputs": []},
            {"cell_type": "markdown", "source": "Operators use DPI; DPI again; Root Certificates too."},
        ]
    }
    cells = link_notebook(nb, terms)["cells"]
    assert cells[0]["source"] == "## DPI\n\nSee `DPI` and [DPI](https://x.org/DPI)."
    assert cells[1]["source"] == "# DPI root certificate"
    assert cells[2]["source"] == (
        "Operators use {term}`DPI <Deep packet inspection>`; DPI again; "
        "{term}`Root Certificates <Root certificate>` too."
    )


def test_every_glossary_entry_has_a_definition_and_unique_names() -> None:
    terms = read_glossary(REPO / "docs" / "GLOSSARY.md")
    names = [n.casefold() for t in terms for n in t.names]
    assert len(names) == len(set(names)), "a name belongs to two entries"
    for t in terms:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", t.definition.split("Source")[0]) if s.strip()]
        assert 2 <= len(sentences) <= 3, f"{t.name}: {len(sentences)} sentences"


def test_launch_links_follow_the_recorded_repository(tmp_path: Path) -> None:
    assert repository_url(tmp_path) is None
    (tmp_path / "CITATION.cff").write_text("repository-code: 'https://github.com/o/r'\n", encoding="utf-8")
    assert repository_url(tmp_path) == "https://github.com/o/r"
    links = launch_links("https://github.com/o/r", "07-x.ipynb")
    assert "https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab/tree/notebooks/07-x.ipynb" in links
    assert "https://colab.research.google.com/github/o/r/blob/HEAD/notebooks/07-x.ipynb" in links


def test_catalogue_problems_are_one_line_naming_file_line_and_value(tmp_path: Path) -> None:
    (tmp_path / "figures").mkdir()
    path = tmp_path / "figures" / "figures.csv"
    path.write_text("figure,notebook,title,alt_text,credit\n00-gone,,,,\n", encoding="utf-8")
    with pytest.raises(BookError, match=r"^figures/figures.csv:2: column figure: value '00-gone': no file"):
        read_catalogue(tmp_path)
    path.write_text("figure,title\n", encoding="utf-8")
    with pytest.raises(
        BookError, match=r"figures/figures.csv:1: missing column\(s\) notebook, alt_text, credit"
    ):
        read_catalogue(tmp_path)


def test_course_guide_covers_every_chapter() -> None:
    guide = (REPO / "docs" / "COURSE-GUIDE.md").read_text(encoding="utf-8")
    for nb in CHAPTERS:
        number = nb.name[:2]
        assert re.search(rf"^\| {number} · .+ \| \d+ \| \w+ \|", guide, re.M), (
            f"{number}: no row in the table"
        )
        sections = re.findall(rf"^### {number} · .*?(?=^##)", guide + "\n##", re.M | re.S)
        assert len(sections) == 2, f"{number}: needs a chapter section and a discussion section"
        chapter, discussion = sections
        assert "*Objectives.*" in chapter and "*Prerequisites.*" in chapter, number
        questions = re.findall(r"^\d+\. \*.+?\*$", discussion, re.M | re.S)
        assert len(questions) >= 2, f"{number}: fewer than two discussion questions"
    for needed in ("two-week plan", "`kzlib cite`", "CITATION.cff"):
        assert needed in guide, needed
