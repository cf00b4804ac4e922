"""The README gallery, generated from the figure catalogue.

The README holds the gallery between two markers; :func:`write_gallery` replaces what lies
between them with one entry per catalogued figure, in catalogue order (chapter, then name)::

    <!-- gallery:start -->
    ...generated...
    <!-- gallery:end -->

Example:
    >>> from kzlib.gallery import gallery_markdown
    >>> print(gallery_markdown([{"figure": "03-categories", "notebook": "03-incidents.ipynb",
    ...     "title": "Website blocks lead", "alt_text": "Bars of incidents by category",
    ...     "credit": "Data: OONI"}]))
    ### 03-incidents
    <BLANKLINE>
    **Website blocks lead**
    <BLANKLINE>
    ![Bars of incidents by category](figures/03-categories.png)
    <BLANKLINE>
    <sub>Data: OONI · [PNG](figures/03-categories.png) · [SVG](figures/03-categories.svg)</sub>
"""

from __future__ import annotations

import os
from pathlib import Path

from .atomic import write_text_atomic
from .catalogue import read_catalogue
from .paths import repo_root

START = "<!-- gallery:start -->"
END = "<!-- gallery:end -->"


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("[", "(").replace("]", ")")


def gallery_markdown(
    rows: list[dict[str, str]], image_dir: str = "figures", notebook_dir: str | None = None
) -> str:
    """Markdown for ``rows`` (catalogue rows): a heading per notebook (a link into
    ``notebook_dir`` if given), then each figure's title, image (alt text = the catalogue's)
    and credit with links to its PNG and SVG."""
    parts: list[str] = []
    notebook = None
    for row in rows:
        if row["notebook"] != notebook:
            notebook = row["notebook"]
            heading = notebook.removesuffix(".ipynb")
            parts.append(f"### [{heading}]({notebook_dir}/{notebook})" if notebook_dir else f"### {heading}")
        png, svg = f"{image_dir}/{row['figure']}.png", f"{image_dir}/{row['figure']}.svg"
        parts.append(f"**{_one_line(row['title'])}**")
        parts.append(f"![{_one_line(row['alt_text'])}]({png})")
        parts.append(f"<sub>{_one_line(row['credit'])} · [PNG]({png}) · [SVG]({svg})</sub>")
    return "\n\n".join(parts)


def write_gallery(
    readme: str | os.PathLike[str] | None = None,
    figures: str | os.PathLike[str] | None = None,
) -> Path:
    """Replace the README's gallery section with one built from ``figures/figures.csv``.

    Defaults: the clone's ``README.md`` and ``figures/``. Image links are relative to the
    README. Raises ``ValueError`` if the markers are missing. The README is rewritten only
    when the gallery changed."""
    root = repo_root()
    if (readme is None or figures is None) and root is None:
        raise ValueError("write_gallery: pass readme= and figures= outside a clone of kz-internet")
    readme_path = Path(readme) if readme is not None else root / "README.md"  # type: ignore[operator]
    figures_path = Path(figures) if figures is not None else root / "figures"  # type: ignore[operator]
    text = readme_path.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{readme_path}: no '{START}' ... '{END}' section to fill with the gallery")
    image_dir = Path(os.path.relpath(figures_path, readme_path.parent)).as_posix()
    notebook_dir = Path(os.path.relpath(root / "notebooks", readme_path.parent)).as_posix() if root else None
    body = gallery_markdown(read_catalogue(figures_path), image_dir, notebook_dir)
    new = f"{text[: start + len(START)]}\n{body}\n{text[end:]}"
    if new != text:
        write_text_atomic(readme_path, new)
    return readme_path
