"""Student and teacher editions: what `make student` writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from kzlib.editions import (
    ANSWER_TAG,
    SOLUTION_TAG,
    chapter_paths,
    count_exercises,
    read_notebook,
    split_exercises,
    student_edition,
    teacher_edition,
)

CHAPTERS = chapter_paths(REPO / "notebooks")


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both editions, written by the same command `make student` runs."""
    out = tmp_path_factory.mktemp("editions")
    subprocess.run(
        [sys.executable, "-m", "kzlib.editions", "--out", str(out)], check=True, capture_output=True
    )
    return out


def test_every_chapter_has_exercises_and_a_solution() -> None:
    assert len(CHAPTERS) >= 7
    for path in CHAPTERS:
        nb = read_notebook(path)
        assert count_exercises(nb) >= 1, f"{path.name}: no numbered list under an Exercises heading"
        assert any(SOLUTION_TAG in _tags(c) for c in nb["cells"]), f"{path.name}: no solution cell"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name[:2])
def test_student_edition(editions: Path, path: Path) -> None:
    student = read_notebook(editions / "student" / path.name)
    cells = student["cells"]
    assert not [c for c in cells if SOLUTION_TAG in _tags(c)]
    assert not [c for c in cells if "Worked solutions" in c["source"]]
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    answers = [i for i, c in enumerate(cells) if ANSWER_TAG in _tags(c)]
    assert len(answers) == count_exercises(read_notebook(path))
    for i in answers:  # an empty code cell right under an exercise
        assert cells[i]["cell_type"] == "code" and cells[i]["source"] == ""
        question = cells[i - 1]
        assert question["cell_type"] == "markdown"
        assert "exercise" in _tags(question) or question["source"].lstrip()[0].isdigit(), question["source"]
    original = [c for c in read_notebook(path)["cells"] if SOLUTION_TAG not in _tags(c)]
    assert [c["source"] for c in cells if c["cell_type"] == "code" and ANSWER_TAG not in _tags(c)] == [
        c["source"] for c in original if c["cell_type"] == "code"
    ], "student edition must keep every non-solution code cell unchanged"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name[:2])
def test_teacher_edition(editions: Path, path: Path) -> None:
    teacher = read_notebook(editions / "teacher" / path.name)
    original = read_notebook(path)
    assert [c["source"] for c in teacher["cells"]] == [c["source"] for c in original["cells"]]
    solutions = [c for c in teacher["cells"] if SOLUTION_TAG in _tags(c)]
    assert solutions
    for cell in solutions:
        assert cell["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
        assert {"hide-input", "hide-output"} <= set(_tags(cell))


def test_teacher_edition_hides_existing_outputs() -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": "s",
                "metadata": {"tags": [SOLUTION_TAG]},
                "source": "print(1)",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}],
                "execution_count": 1,
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    cell = teacher_edition(nb)["cells"][0]
    assert cell["outputs"] and cell["metadata"]["jupyter"]["outputs_hidden"] is True
    assert nb["cells"][0]["metadata"] == {"tags": [SOLUTION_TAG]}, "the input notebook is not changed"
    assert student_edition(nb)["cells"] == []


def test_split_keeps_text_around_the_list() -> None:
    text = (
        "## What we found\n\n- a\n\n## Exercises\n\nTry these.\n\n"
        "1. One.\n2. Two\n   continued.\n\n## Next\n\nz"
    )
    before, *items, after = split_exercises(text)  # type: ignore[misc]
    assert before.startswith("## What we found") and before.rstrip().endswith("Try these.")
    assert items == ["1. One.", "2. Two\n   continued."]
    assert after == "## Next\n\nz"
    assert split_exercises("## Exercises\n\nnone yet") is None
