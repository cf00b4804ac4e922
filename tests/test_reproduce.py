"""`kzlib reproduce` regenerates the committed figures; a failing notebook harms nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from conftest import REPO
from matplotlib.image import imread

NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _copy_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for item in ("kzlib", "data", "notebooks", "figures"):
        shutil.copytree(REPO / item, root / item, ignore=shutil.ignore_patterns("__pycache__", ".ipynb*"))
    for item in ("requirements.lock", "pyproject.toml"):
        shutil.copy(REPO / item, root / item)
    return root


def _reproduce(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's kzlib, in this process and the kernels
    env.pop("KZLIB_FIGURES", None)
    env.pop("KZLIB_DATA", None)
    return subprocess.run(
        [sys.executable, "-m", "kzlib", "reproduce", *args],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=900,
    )


@pytest.fixture(scope="module")
def reproduced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = _copy_project(tmp_path_factory.mktemp("repro"))
    shutil.rmtree(root / "figures")
    return root, _reproduce(root, "--force")


def test_committed_notebooks_carry_no_outputs() -> None:
    assert len(NOTEBOOKS) >= 7
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells, 1):
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name} cell {i}"


def test_every_notebook_runs_and_writes_figures(reproduced) -> None:  # type: ignore[no-untyped-def]
    root, done = reproduced
    assert done.returncode == 0, done.stdout + done.stderr
    for path in NOTEBOOKS:
        assert (root / "build" / "executed" / path.name).is_file()
    assert len(list((root / "figures").glob("*.svg"))) >= 12


def test_reproduce_regenerates_committed_figures(reproduced) -> None:  # type: ignore[no-untyped-def]
    root, done = reproduced
    assert done.returncode == 0, done.stderr
    committed = sorted(p.name for p in (REPO / "figures").glob("*.svg"))
    made = sorted(p.name for p in (root / "figures").glob("*.svg"))
    assert made == committed
    for name in committed:
        a, b = (REPO / "figures" / name).read_bytes(), (root / "figures" / name).read_bytes()
        assert a == b, f"{name} differs from the committed SVG"
        png = name.removesuffix(".svg") + ".png"
        x, y = imread(REPO / "figures" / png), imread(root / "figures" / png)
        assert x.shape == y.shape, png
        assert np.abs(x - y).mean() < 0.002, png


def test_rerun_skips_unchanged_notebooks(reproduced) -> None:  # type: ignore[no-untyped-def]
    root, _ = reproduced
    again = _reproduce(root)
    assert again.returncode == 0, again.stderr
    assert f"0 notebook(s) to run, {len(NOTEBOOKS)} unchanged" in again.stdout


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_failing_notebook_leaves_figures_intact(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import kzlib\nfig = kzlib.plots.counts_bar(kzlib.load_incidents().category.value_counts(),"
                " title='t', xlabel='n', datasets=['incidents'])"
            ),
            nbformat.v4.new_code_cell("kzlib.save_figure(fig, '00-overview')"),
            nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "99-broken.ipynb")
    before = _digest(root / "figures")
    done = _reproduce(root, "--only", "99")
    assert done.returncode == 1
    assert (
        "99-broken.ipynb: cell 3: RuntimeError: deliberate failure (see build/executed/99-broken.ipynb)"
        in done.stdout
    )
    assert "Traceback" not in done.stderr
    assert _digest(root / "figures") == before
    assert not (root / "build" / "stamps" / "99-broken.json").exists()


def test_only_rejects_unknown_numbers(tmp_path: Path) -> None:
    root = _copy_project(tmp_path)
    done = _reproduce(root, "--only", "42")
    assert done.returncode != 0 and "no notebook numbered 42" in done.stderr
