"""The chapters in JupyterLab, in a real browser, as a new user would run them.

JupyterLab starts on a free port (``--allow-root`` when root) on a temporary copy of the
notebooks, with figures redirected to a temporary folder. Each chapter is opened with
``?reset``, run with JupyterLab's own "run all cells" command, and then checked cell by
cell: no error output, and each chart drawn exactly once (in the notebook model and on
screen; JupyterLab renders only cells near the viewport, so each cell is scrolled to).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import browser, chromium_or_skip, free_port, stop, wait_for_http
from conftest import REPO

from kzlib.editions import chapter_paths
from kzlib.paths import FIGURES_ENV

CHAPTERS = chapter_paths(REPO / "notebooks")
RUN_TIMEOUT_MS = 300_000

# Model of the open notebook: per cell, its type, execution count, output types and the
# number of image outputs.
_MODEL = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.model.cells;
  const out = [];
  for (let i = 0; i < cells.length; i++) {
    const c = cells.get(i);
    const outputs = c.type === 'code' ? c.outputs.toJSON() : [];
    out.push({
      type: c.type,
      count: c.type === 'code' ? c.executionCount : null,
      errors: outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
      images: outputs.filter(o => o.data && (o.data['image/png'] || o.data['image/svg+xml'])).length,
    });
  }
  return out;
}"""

# Scroll cell i into view and report what the page shows for it.
_SHOWN = """async (i) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  await nb.scrollToItem(i, 'center');
  await new Promise(r => setTimeout(r, 50));
  const node = nb.widgets[i].node;
  const imgs = [...node.querySelectorAll('.jp-OutputArea-output img, .jp-OutputArea-output svg.jp-svg')];
  await Promise.all(imgs.filter(e => e.tagName === 'IMG' && !e.complete)
    .map(e => new Promise(r => { e.onload = e.onerror = r; })));
  return {
    images: imgs.length,
    loaded: imgs.every(e => e.tagName !== 'IMG' || e.naturalWidth > 0),
    errors: node.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').length,
  };
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A JupyterLab server on a copy of the chapters; yields its base URL."""
    chromium_or_skip()
    root = tmp_path_factory.mktemp("lab")
    for nb in CHAPTERS:
        shutil.copy(nb, root / nb.name)
    port = free_port()
    env = {**os.environ, FIGURES_ENV: str(tmp_path_factory.mktemp("figures"))}
    env.pop("MPLBACKEND", None)
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--ServerApp.root_dir={root}", "--ServerApp.token=", "--ServerApp.password=",
        "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=root)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/lab", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def chromium(lab: str) -> Iterator[Any]:
    """One headless Chromium for all chapters (each gets a fresh page)."""
    with browser() as b:
        yield b


def _run_all(page: Any, url: str) -> list[dict[str, Any]]:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
        timeout=120_000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
          const p = window.jupyterapp.shell.currentWidget;
          if (p.sessionContext.session.kernel.status !== 'idle') return false;
          const cells = p.content.model.cells;
          let pending = false;
          for (let i = 0; i < cells.length; i++) {
            const c = cells.get(i);
            if (c.type !== 'code') continue;
            // run-all stops at the first error: the cells after it never run
            if (c.outputs.toJSON().some(o => o.output_type === 'error')) return true;
            if (c.sharedModel.getSource().trim() && c.executionCount === null) pending = true;
          }
          return !pending;
        }""",
        timeout=RUN_TIMEOUT_MS,
        polling=500,
    )
    return page.evaluate(_MODEL)


@pytest.mark.parametrize("nb", CHAPTERS, ids=lambda p: p.name[:2])
def test_chapter_runs_in_jupyterlab(lab: str, chromium: Any, nb: Path) -> None:
    problems: list[str] = []
    with chromium.new_context(viewport={"width": 1400, "height": 1000}) as context:
        page = context.new_page()
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        cells = _run_all(page, f"{lab}/lab/tree/{nb.name}?reset")
        code = [i for i, c in enumerate(cells) if c["type"] == "code"]
        assert code, f"{nb.name}: no code cells in the model"
        charts = 0
        for i in code:
            cell = cells[i]
            assert not cell["errors"], f"{nb.name} cell {i + 1}: {cell['errors']}"
            assert cell["images"] <= 1, f"{nb.name} cell {i + 1}: {cell['images']} charts in one cell"
            shown = page.evaluate(_SHOWN, i)
            assert shown["errors"] == 0, f"{nb.name} cell {i + 1}: shows an error"
            assert shown["images"] == cell["images"], f"{nb.name} cell {i + 1}: shown {shown}, model {cell}"
            assert shown["loaded"], f"{nb.name} cell {i + 1}: a chart did not render"
            charts += cell["images"]
        assert charts >= 1, f"{nb.name}: no chart rendered"
    assert not problems, problems
