"""``make book``: a static HTML book from the executed chapters, built offline in seconds.

The book is assembled in ``build/book-src`` from

- the static pages and Sphinx configuration in ``book/``;
- the executed chapters that ``kzlib reproduce`` wrote to ``build/executed/`` (never run
  again here), as teacher editions (solutions folded), with the first use of each glossary
  term linked and, when the repository's address is recorded, Binder and Colab links;
- the course guide, with the first use of each glossary term linked too;
- pages generated from their one source: ``docs/COURSE-GUIDE.md``, ``docs/GLOSSARY.md``,
  ``figures/figures.csv`` (the gallery), ``data/README.md`` (data dictionary),
  ``data/CHANGELOG.md`` and ``CITATION.cff`` with ``kzlib cite`` (how to cite);

and rendered by Sphinx with MyST-NB and sphinx-book-theme into ``build/book/``.

The front page shows the timeline the catalogue ``figures/figures.csv`` lists under the stable
name ``00-timeline`` (until a chapter draws it, ``02-instruments-timeline``; see
:data:`FRONT_FIGURES`).

From a shell::

    python -m kzlib.book             # build/book/index.html
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import sys
import time
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from . import catalogue
from .atomic import write_text_atomic
from .catalogue import CATALOGUE
from .editions import chapter_paths, read_notebook, teacher_edition, write_notebook
from .glossary import link_markdown, link_notebook, read_glossary, render_glossary

#: Catalogue names (column ``figure`` of figures/figures.csv) the front page looks for, in
#: order: a timeline of the whole record, else the timeline of the legal instruments.
FRONT_FIGURES = ("00-timeline", "02-instruments-timeline")


class BookError(Exception):
    """Something the book needs is missing or malformed (one line for the user)."""


def repository_url(root: Path) -> str | None:
    """The GitHub address recorded in CITATION.cff (``repository-code``), or None.

    >>> repository_url(Path("/nonexistent")) is None
    True
    """
    cff = root / "CITATION.cff"
    if not cff.is_file():
        return None
    match = re.search(
        r"^repository-code:\s*[\"']?(https://github\.com/[^\s\"']+?)/?[\"']?\s*$",
        cff.read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    return match.group(1) if match else None


def launch_links(repo_url: str, notebook: str) -> str:
    """Markdown with Binder and Colab links for ``notebooks/<notebook>`` of ``repo_url``.

    >>> print(launch_links("https://github.com/o/r", "00-start-here.ipynb"))  # doctest: +NORMALIZE_WHITESPACE
    **Run this chapter:**
    [Binder](https://mybinder.org/v2/gh/o/r/HEAD?urlpath=lab/tree/notebooks/00-start-here.ipynb)
    (builds `environment.yml`) ·
    [Colab](https://colab.research.google.com/github/o/r/blob/HEAD/notebooks/00-start-here.ipynb)
    (first run `!pip install git+https://github.com/o/r`)
    """
    slug = repo_url.removeprefix("https://github.com/")
    binder = f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/notebooks/{notebook}"
    colab = f"https://colab.research.google.com/github/{slug}/blob/HEAD/notebooks/{notebook}"
    return (
        f"**Run this chapter:**\n[Binder]({binder})\n(builds `environment.yml`) ·\n"
        f"[Colab]({colab})\n(first run `!pip install git+{repo_url}`)"
    )


def read_catalogue(root: Path) -> list[dict[str, str]]:
    """The rows of ``figures/figures.csv``, checked for the columns the book uses."""
    path = root / "figures" / CATALOGUE
    if not path.is_file():
        raise BookError(f"{path.relative_to(root)}: the figure catalogue is missing")
    header = path.read_text(encoding="utf-8").partition("\n")[0].strip().split(",")
    missing = [c for c in catalogue.COLUMNS if c not in header]
    if missing:
        raise BookError(f"{path.relative_to(root)}:1: missing column(s) {', '.join(missing)}")
    rows = catalogue.read_catalogue(path.parent)
    for line, row in enumerate(rows, 2):
        image = _image_name(row["figure"])
        if not (root / "figures" / image).is_file():
            raise BookError(
                f"{path.relative_to(root)}:{line}: column figure: value {row['figure']!r}: "
                f"no file figures/{image}"
            )
    return rows


def _image_name(figure: str) -> str:
    """``03-categories`` or ``03-categories.png`` -> ``03-categories.png``."""
    return figure if Path(figure).suffix else f"{figure}.png"


def _figure_block(row: dict[str, str], path: str) -> str:
    """A MyST figure: the catalogue's title as caption, then its credit; alt text for screen readers."""
    title = row["title"] or Path(row["figure"]).stem
    caption = f"{title}. {row['credit']}" if row["credit"] else title
    alt = json.dumps(" ".join((row["alt_text"] or title).split()), ensure_ascii=False)  # YAML-safe
    return f":::{{figure}} {path}\n:alt: {alt}\n:width: 100%\n\n{caption}\n:::\n"


def _title(nb: dict[str, Any]) -> str:
    """The first level-1 heading of a notebook's markdown, or ''."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^# +(.+?)\s*$", cell["source"], re.MULTILINE)
            if match:
                return match.group(1)
    return ""


def gallery_page(rows: list[dict[str, str]], chapters: list[Path]) -> str:
    """The gallery page: every catalogued figure, with its alt text and credit, under its
    chapter (found by the figure's ``NN-`` prefix)."""
    lines = [
        "# Figure gallery",
        "",
        "Every chart the chapters draw, as `make reproduce` writes it to `figures/` (PNG and SVG), "
        "listed from the figure catalogue `figures/figures.csv`.",
        "",
    ]
    titles = {p.stem: _title(read_notebook(p)) or p.stem for p in chapters}
    chapter = None
    for row in sorted(rows, key=lambda r: r["figure"]):
        stem = next((p.stem for p in chapters if p.name[:2] == row["figure"][:2]), "")
        if stem and stem != chapter:
            chapter = stem
            lines += [
                f"## {titles[stem]}",
                "",
                f"From the chapter [{titles[stem]}](chapters/{stem}.ipynb).",
                "",
            ]
        lines += [_figure_block(row, f"figures/{_image_name(row['figure'])}"), ""]
    return "\n".join(lines)


def front_figure(rows: list[dict[str, str]]) -> str:
    """The front page's figure block: the first of :data:`FRONT_FIGURES` the catalogue lists."""
    by_name = {Path(row["figure"]).stem: row for row in rows}
    for name in FRONT_FIGURES:
        if name in by_name:
            return _figure_block(by_name[name], f"figures/{_image_name(by_name[name]['figure'])}")
    raise BookError(
        f"figures/figures.csv: none of {', '.join(FRONT_FIGURES)} listed (the front page's figure)"
    )


def cite_page(root: Path) -> str:
    """How to cite: the package reference (``kzlib cite``), CITATION.cff and per-record citing."""
    from .cite import cite
    from .problems import DataError

    try:
        package_ref, example = cite().strip(), cite("inc-2022-01-05-nationwide-blackout").strip()
    except DataError as err:
        raise BookError(f"the data package is not valid, run `kzlib validate`: {err.problems[0]}") from None
    cff = (root / "CITATION.cff").read_text(encoding="utf-8")
    return "\n".join(
        [
            "# How to cite",
            "",
            "Cite the data package, and for every fact you use, the original source it rests on.",
            "",
            "## The package",
            "",
            "`kzlib cite` (or `kzlib.cite()` in Python) prints the reference:",
            "",
            "```text",
            package_ref,
            "```",
            "",
            "The same, machine-readable, in `CITATION.cff` at the top of the repository:",
            "",
            "```yaml",
            cff.strip(),
            "```",
            "",
            "## A record",
            "",
            "`kzlib cite RECORD_ID` lists the sources behind one record, with what each supports. "
            "For example, `kzlib cite inc-2022-01-05-nationwide-blackout`:",
            "",
            "```text",
            example,
            "```",
            "",
            "Quote the record id and the sources: the package collects and checks; the sources did "
            "the reporting.",
            "",
        ]
    )


def _page_from(path: Path, title: str | None = None) -> str:
    """A repository markdown file as a book page: comments dropped, its first heading ``title``."""
    text = re.sub(r"^<!--.*?-->\n", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return re.sub(r"^# .*$", f"# {title}", text, count=1, flags=re.MULTILINE) if title else text


def _first_error(nb: dict[str, object]) -> str:
    """'cell N: ErrorName: message' for the first error output of an executed notebook, or ''."""
    for number, cell in enumerate(nb["cells"], 1):  # type: ignore[arg-type]
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"cell {number}: {out.get('ename')}: {out.get('evalue')}"
    return ""


def stage(root: Path, executed: Path, target: Path) -> list[str]:
    """Assemble the book's sources in ``target``; return the chapter page names in order."""
    chapters = chapter_paths(root / "notebooks")
    if not chapters:
        raise BookError("notebooks/: no chapter notebooks (NN-*.ipynb)")
    missing = [p.name for p in chapters if not (executed / p.name).is_file()]
    if missing:
        raise BookError(f"{executed}: no executed copy of {', '.join(missing)}: run `make reproduce` first")
    for path in chapters:
        failed = _first_error(read_notebook(executed / path.name))
        if failed:
            raise BookError(f"{executed / path.name}: {failed}: fix the chapter and run `make reproduce`")
    rows = read_catalogue(root)
    terms = read_glossary(root / "docs" / "GLOSSARY.md")
    repo = repository_url(root)

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(root / "book", target, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "figures", target / "figures", ignore=shutil.ignore_patterns("*.svg"))
    names = []
    for path in chapters:
        nb = link_notebook(teacher_edition(read_notebook(executed / path.name)), terms)
        if repo:
            nb["cells"].insert(
                1,
                {
                    "cell_type": "markdown",
                    "id": "launch-links",
                    "metadata": {},
                    "source": launch_links(repo, path.name),
                },
            )
        write_notebook(nb, target / "chapters" / path.name)
        names.append(f"chapters/{path.stem}")
    intro = _GLOSSARY_INTRO.search((root / "docs" / "GLOSSARY.md").read_text(encoding="utf-8"))
    pages = {
        "_front-figure.md": front_figure(rows),
        "_chapters.md": "\n".join(
            ["```{toctree}", ":caption: Chapters", ":maxdepth: 1", "", *names, "```", ""]
        ),
        "course-guide.md": link_markdown(_page_from(root / "docs" / "COURSE-GUIDE.md"), terms, set()),
        "glossary.md": render_glossary(terms, intro.group(1) if intro else ""),
        "gallery.md": gallery_page(rows, chapters),
        "data-dictionary.md": _page_from(root / "data" / "README.md", "Data dictionary"),
        "changelog.md": _page_from(root / "data" / "CHANGELOG.md", "Changelog"),
        "cite.md": cite_page(root),
    }
    for name, text in pages.items():
        write_text_atomic(target / name, text)
    return names


_GLOSSARY_INTRO = re.compile(r"^# [^\n]*\n+(.*?)\n+### ", re.DOTALL)


def build(root: Path, executed: Path | None = None, out: Path | None = None) -> Path:
    """Stage and render the book; return the path of its ``index.html``."""
    # jsonschema (under nbformat) imports rfc3987_syntax when it is installed, which compiles a
    # grammar for about 2.5 s; the book never checks IRI formats, so make that import fail fast.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    from sphinx.cmd.build import build_main

    executed = executed or root / "build" / "executed"
    out = out or root / "build" / "book"
    source = root / "build" / "book-src"
    stage(root, executed, source)
    log = root / "build" / "book-warnings.log"
    quiet = io.StringIO()
    with redirect_stdout(quiet), redirect_stderr(quiet):
        code = build_main(
            ["-b", "html", "-q", "-E", "-w", str(log), "-d", str(source / ".doctrees"), str(source), str(out)]
        )
    if code:
        raise BookError(f"sphinx-build failed (exit {code}); see {log}: {quiet.getvalue().strip()[-500:]}")
    return out / "index.html"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kzlib.book [--executed DIR] [--out DIR]``."""
    from .paths import repo_root

    root = repo_root()
    if root is None:
        print("kzlib.book: run from a clone of kz-internet (notebooks/ not found)", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m kzlib.book", description=__doc__.splitlines()[0])
    parser.add_argument("--executed", type=Path, help="executed notebooks (default build/executed)")
    parser.add_argument("--out", type=Path, help="output folder (default build/book)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        index = build(root, args.executed, args.out)
    except BookError as err:
        print(f"kzlib.book: {err}", file=sys.stderr)
        return 1
    warnings = root / "build" / "book-warnings.log"
    count = len(warnings.read_text(encoding="utf-8").splitlines()) if warnings.is_file() else 0
    print(f"book: {index} ({time.perf_counter() - start:.1f} s, {count} warning line(s) in {warnings})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
