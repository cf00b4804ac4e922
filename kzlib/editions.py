"""Student and teacher editions of the chapter notebooks.

A chapter closes with a markdown section ``## Exercises`` (a numbered list) and a code cell
tagged ``solution`` holding the worked solutions.

- The **student edition** drops every ``solution`` cell and every output, and puts an empty
  code cell tagged ``answer`` after each exercise (each list item becomes its own markdown
  cell, so the answer sits right under its question).
- The **teacher edition** keeps the solutions but hides both their source and their outputs
  (``jupyter.source_hidden`` / ``jupyter.outputs_hidden`` for JupyterLab, the ``hide-input`` /
  ``hide-output`` tags for the HTML book), so they can be shown one click at a time.

From a shell (``make student``)::

    python -m kzlib.editions            # build/student/ and build/teacher/ from notebooks/

Example::

    >>> nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "id": "x",
    ...        "source": "## Exercises\\n\\n1. Count.\\n2. Plot."}], "metadata": {},
    ...       "nbformat": 4, "nbformat_minor": 5}
    >>> [c["metadata"].get("tags") for c in student_edition(nb)["cells"]]
    [None, None, ['answer'], None, ['answer']]
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .atomic import write_text_atomic

Notebook = dict[str, Any]
Cell = dict[str, Any]

SOLUTION_TAG = "solution"
ANSWER_TAG = "answer"
EXERCISE_TAG = "exercise"

_EXERCISES_HEADING = re.compile(r"^#{2,4}[ \t]+Exercises?\b.*$", re.MULTILINE | re.IGNORECASE)
_ITEM = re.compile(r"^\d+[.)][ \t]+", re.MULTILINE)
_NEXT_HEADING = re.compile(r"^#{1,4}[ \t]", re.MULTILINE)


def _source(cell: Cell) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def _tags(cell: Cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _markdown(text: str, cell_id: str) -> Cell:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def _answer(cell_id: str) -> Cell:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": {"tags": [ANSWER_TAG]},
        "outputs": [],
        "source": "",
    }


def split_exercises(text: str) -> list[str] | None:
    """Split a markdown text at its exercise list: ``[before, item 1, item 2, ..., after]``.

    ``before`` ends with the exercises heading (and any lead-in text); ``after`` is whatever
    follows the list under a later heading ("" if nothing). None when the text has no
    exercises heading followed by a numbered list.

    >>> split_exercises("## Exercises\\n\\n1. One.\\n   more\\n2. Two.\\n")
    ['## Exercises\\n', '1. One.\\n   more', '2. Two.', '']
    """
    heading = _EXERCISES_HEADING.search(text)
    if heading is None:
        return None
    rest_start = heading.end()
    later = _NEXT_HEADING.search(text, rest_start)
    section_end = later.start() if later else len(text)
    section = text[rest_start:section_end]
    starts = [m.start() for m in _ITEM.finditer(section)]
    if not starts:
        return None
    before = (text[:rest_start] + section[: starts[0]]).rstrip() + "\n"
    items = [section[a:b].strip() for a, b in zip(starts, [*starts[1:], len(section)], strict=True)]
    return [before, *items, text[section_end:].strip()]


def count_exercises(nb: Notebook) -> int:
    """How many exercises a notebook sets (list items under its exercises heading(s))."""
    total = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        if EXERCISE_TAG in _tags(cell):
            total += 1
            continue
        parts = split_exercises(_source(cell))
        total += len(parts) - 2 if parts else 0
    return total


def _clear(cell: Cell) -> Cell:
    if cell["cell_type"] == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    return cell


def student_edition(nb: Notebook) -> Notebook:
    """A copy of ``nb`` without solutions or outputs, with an empty answer cell per exercise."""
    out = copy.deepcopy(nb)
    cells: list[Cell] = []
    for cell in out["cells"]:
        if SOLUTION_TAG in _tags(cell):
            continue
        cell = _clear(cell)
        cell.get("metadata", {}).pop("execution", None)
        base = str(cell.get("id", len(cells)))
        if cell["cell_type"] == "markdown" and EXERCISE_TAG in _tags(cell):
            cells += [cell, _answer(f"{base}-answer")]
            continue
        parts = split_exercises(_source(cell)) if cell["cell_type"] == "markdown" else None
        if parts is None:
            cells.append(cell)
            continue
        before, *items, after = parts
        cell["source"] = before
        cells.append(cell)
        for n, item in enumerate(items, 1):
            cells += [_markdown(item, f"{base}-ex{n}"), _answer(f"{base}-ex{n}-answer")]
        if after:
            cells.append(_markdown(after, f"{base}-after"))
    out["cells"] = cells
    return out


def teacher_edition(nb: Notebook) -> Notebook:
    """A copy of ``nb`` whose solution cells are collapsed: source and outputs hidden."""
    out = copy.deepcopy(nb)
    for cell in out["cells"]:
        tags = _tags(cell)
        if SOLUTION_TAG not in tags:
            continue
        meta = cell.setdefault("metadata", {})
        meta.setdefault("jupyter", {}).update({"source_hidden": True, "outputs_hidden": True})
        meta["tags"] = tags + [t for t in ("hide-input", "hide-output") if t not in tags]
    return out


def read_notebook(path: Path) -> Notebook:
    """A notebook file as a dict (nbformat 4)."""
    nb: Notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        cell["source"] = _source(cell)
    return nb


def write_notebook(nb: Notebook, path: Path) -> None:
    """Write ``nb`` atomically in Jupyter's own layout (one-space indent, sorted keys)."""
    write_text_atomic(path, json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def chapter_paths(folder: Path) -> list[Path]:
    """The chapter notebooks ``NN-*.ipynb`` of ``folder``, in order."""
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


def write_editions(source: Path, out: Path) -> dict[str, list[Path]]:
    """Write ``out/student`` and ``out/teacher`` from the chapters in ``source``."""
    written: dict[str, list[Path]] = {"student": [], "teacher": []}
    for path in chapter_paths(source):
        nb = read_notebook(path)
        for name, make in (("student", student_edition), ("teacher", teacher_edition)):
            target = out / name / path.name
            write_notebook(make(nb), target)
            written[name].append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kzlib.editions [--source DIR] [--out DIR]``."""
    from .paths import repo_root

    root = repo_root() or Path.cwd()
    parser = argparse.ArgumentParser(prog="python -m kzlib.editions", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=root / "notebooks", help="chapter notebooks")
    parser.add_argument("--out", type=Path, default=root / "build", help="writes OUT/student and OUT/teacher")
    args = parser.parse_args(argv)
    written = write_editions(args.source, args.out)
    if not written["student"]:
        print(f"kzlib.editions: no chapter notebooks (NN-*.ipynb) in {args.source}", file=sys.stderr)
        return 1
    exercises = sum(
        ANSWER_TAG in _tags(cell) for p in written["student"] for cell in read_notebook(p)["cells"]
    )
    print(
        f"{len(written['student'])} chapters: student edition in {args.out / 'student'} "
        f"({exercises} answer cells), teacher edition in {args.out / 'teacher'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
