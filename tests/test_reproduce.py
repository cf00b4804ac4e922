"""`kzlib reproduce` regenerates the committed figures; a failing notebook harms nothing.

The full run executes every chapter once (module fixture). Everything else runs in a tiny
checkout (a two-row data package and one-cell notebooks) so that it takes seconds: the
lock, interruption, failures and option checks do not depend on what the chapters draw."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
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


TINY_PACKAGE = {
    "profile": "tabular-data-package",
    "name": "tiny",
    "title": "Tiny package for testing kzlib reproduce",
    "description": "Two rows, one table.",
    "version": "0.0.1",
    "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
    "resources": [
        {
            "name": "things",
            "path": "things.csv",
            "profile": "tabular-data-resource",
            "title": "Things",
            "description": "Counted things.",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {
                        "name": "thing_id",
                        "type": "string",
                        "description": "Id.",
                        "constraints": {"required": True},
                    },
                    {"name": "n", "type": "integer", "description": "Count."},
                ],
                "primaryKey": ["thing_id"],
                "missingValues": [""],
            },
        }
    ],
}

#: a cell that saves one chart (PNG + SVG) of the things table
SAVE_CELL = """\
import os, kzlib, matplotlib.pyplot as plt
things = kzlib.load("things")
print("data:", kzlib.data_dir(), "total:", int(things.n.sum()))
fig, ax = plt.subplots()
ax.bar(things.thing_id, things.n)
ax.set_xlabel("thing"); ax.set_ylabel("count")
kzlib.save_figure(fig, "{name}", title="Things are counted", subtitle="Count per thing, test data",
                  credit="Data: test fixtures", notebook="{notebook}",
                  alt_text="Bar chart of the count of each thing in the two-row test package.")
"""
#: a cell that records the kernel's pid where the test can see it, then runs for a long time
WAIT_CELL = (
    "import os, time\nopen(os.environ['KZ_TEST_MARKER'], 'w').write(str(os.getpid()))\ntime.sleep(120)"
)


def _write_notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def _tiny_data(folder: Path, counts: tuple[int, int] = (1, 2)) -> Path:
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text(json.dumps(TINY_PACKAGE, indent=1), encoding="utf-8")
    (folder / "things.csv").write_text(f"thing_id,n\na,{counts[0]}\nb,{counts[1]}\n", encoding="utf-8")
    return folder


def _tiny_checkout(tmp_path: Path, **notebooks: tuple[str, ...]) -> Path:
    """kzlib, a tiny data package, the lock file and the given notebooks (stem -> cells)."""
    root = tmp_path / "tiny"
    shutil.copytree(REPO / "kzlib", root / "kzlib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "requirements.lock", root / "requirements.lock")
    _tiny_data(root / "data")
    (root / "notebooks").mkdir()
    (root / "figures").mkdir()
    for stem, cells in notebooks.items():
        _write_notebook(root / "notebooks" / f"{stem}.ipynb", *cells)
    return root


def _save(stem: str) -> str:
    return SAVE_CELL.format(name=f"{stem[:2]}-things", notebook=f"{stem}.ipynb")


def _start(root: Path, *args: str, marker: Path | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("KZLIB_FIGURES", None)
    env.pop("KZLIB_DATA", None)
    if marker is not None:
        env["KZ_TEST_MARKER"] = str(marker)
    return subprocess.Popen(
        [sys.executable, "-m", "kzlib", "reproduce", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
        env=env,
    )


def _finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _wait_for(path: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def _stamp_is_correct(root: Path, stem: str) -> None:
    """The stamp lists exactly the figures the notebook made, with the bytes now in figures/."""
    stamp = json.loads((root / "build" / "stamps" / f"{stem}.json").read_text(encoding="utf-8"))
    made = {f"{stem[:2]}-things.png", f"{stem[:2]}-things.svg"}
    assert set(stamp["figures"]) == made
    for name, sha in stamp["figures"].items():
        assert hashlib.sha256((root / "figures" / name).read_bytes()).hexdigest() == sha


def test_failing_notebook_leaves_figures_intact(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-good": (_save("00-good"),)})
    assert _finish(_start(root))[0] == 0
    before = _digest(root / "figures")
    _write_notebook(
        root / "notebooks" / "99-broken.ipynb", _save("99-broken"), "raise RuntimeError('deliberate failure')"
    )
    code, out, err = _finish(_start(root, "--only", "99"))
    assert code == 1
    assert (
        "99-broken.ipynb: cell 2: RuntimeError: deliberate failure (see build/executed/99-broken.ipynb)"
        in out
    )
    assert "Traceback" not in err
    assert _digest(root / "figures") == before
    assert not (root / "build" / "stamps" / "99-broken.json").exists()
    assert [p.name for p in (root / "build").iterdir() if p.name.startswith("staging")] == []


def test_two_concurrent_runs_leave_correct_stamps_and_figures(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),), "01-b": (_save("01-b"),)})
    first = _start(root, "--force", "--jobs", "1")
    time.sleep(0.3)
    second = _start(root, "--force", "--jobs", "1")
    results = sorted([_finish(first), _finish(second)], key=lambda r: r[0])
    (ok_code, ok_out, _), (busy_code, _, busy_err) = results
    assert (ok_code, busy_code) == (0, 1), results
    assert "0 unchanged" in ok_out
    assert re.fullmatch(
        r"kzlib reproduce: another kzlib reproduce is running in this checkout \(pid \d+\)\n", busy_err
    ), busy_err
    for stem in ("00-a", "01-b"):
        _stamp_is_correct(root, stem)
    catalogue = (root / "figures" / "figures.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in catalogue] == ["figure", "00-things", "01-things"]
    code, out, _ = _finish(_start(root))
    assert code == 0 and "0 notebook(s) to run, 2 unchanged" in out


def test_a_lock_left_by_a_dead_run_does_not_block(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    (root / "build").mkdir()
    (root / "build" / "reproduce.lock").write_text("999999\n")  # no process holds it
    (root / "build" / "staging-999999" / "00-a").mkdir(parents=True)  # left by a killed run
    code, _, err = _finish(_start(root))
    assert code == 0, err
    assert not (root / "build" / "staging-999999").exists()
    _stamp_is_correct(root, "00-a")


def test_a_changed_or_missing_figure_is_rebuilt(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    assert _finish(_start(root))[0] == 0
    (root / "figures" / "00-things.png").write_bytes(b"not a png")
    code, out, _ = _finish(_start(root))
    assert code == 0 and "1 notebook(s) to run, 0 unchanged" in out
    _stamp_is_correct(root, "00-a")


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_within_five_seconds(tmp_path: Path, signum: int, code: int) -> None:
    root = _tiny_checkout(
        tmp_path, **{"00-quick": (_save("00-quick"),), "01-slow": (_save("01-slow"), WAIT_CELL)}
    )
    before = _digest(root / "figures")
    marker = tmp_path / "kernel.pid"
    proc = _start(root, "--jobs", "1", marker=marker)
    kernel = int(_wait_for(marker))  # 00 finished, 01 is in its long cell
    sent = time.monotonic()
    proc.send_signal(signum)
    returncode, _, err = _finish(proc, timeout=30)
    took = time.monotonic() - sent
    assert took < 5, f"stopped after {took:.1f} s"
    assert returncode == code
    lines = err.strip().splitlines()
    summary = [line for line in lines if line.startswith("kzlib reproduce: stopped")]
    expected = (
        rf"kzlib reproduce: stopped by {signal.Signals(signum).name} after \d+\.\d s: "
        r"finished 00 \(figures and stamps written\); stopped 01 \(their earlier figures kept\); "
        r"kernels shut down"
    )
    assert len(summary) == 1 and re.fullmatch(expected, summary[0]), lines
    assert "Traceback" not in err
    deadline = time.monotonic() + 2
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(kernel), "the kernel outlived the run"
    _stamp_is_correct(root, "00-quick")
    assert not (root / "build" / "stamps" / "01-slow.json").exists()
    added = {name for name in set(_digest(root / "figures")) - set(before) if not name.startswith(".")}
    assert added == {"00-things.png", "00-things.svg", "figures.csv"}
    assert not any(p.name.startswith("staging") for p in (root / "build").iterdir())
    assert not any(p.name.startswith(".") for p in (root / "figures").iterdir() if p.is_dir())


def test_a_dead_kernel_is_reported_with_its_cell(tmp_path: Path) -> None:
    root = _tiny_checkout(
        tmp_path, **{"00-dies": ("x = 1", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")}
    )
    code, out, err = _finish(_start(root))
    assert code == 1
    assert "00-dies.ipynb: cell 2: the kernel died (log: build/logs/00-dies.log)" in out
    assert "Traceback" not in out + err


def test_data_option_is_what_the_notebooks_read(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    other = _tiny_data(tmp_path / "other-data", counts=(40, 2))
    code, _, err = _finish(_start(root, "--data", str(other)))
    assert code == 0, err
    executed = nbformat.read(root / "build" / "executed" / "00-a.ipynb", as_version=4)
    printed = executed.cells[0].outputs[0]["text"]
    assert f"data: {other} total: 42" in printed
    code, out, _ = _finish(_start(root))  # back to the checkout's data: inputs changed, runs again
    assert code == 0 and "1 notebook(s) to run" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--only", ""), "kzlib reproduce: --only '': give a notebook number such as 03 (have 00)"),
        (("--only", "0a"), "kzlib reproduce: --only '0a': give a notebook number such as 03 (have 00)"),
        (("--only", "42"), "kzlib reproduce: no notebook numbered 42 (have 00)"),
        (("--only", "00", "--only", "7"), "kzlib reproduce: no notebook numbered 07 (have 00)"),
        (("--jobs", "0"), "kzlib reproduce: --jobs 0: give at least 1"),
        (("--jobs", "-1"), "kzlib reproduce: --jobs -1: give at least 1"),
        (("--jobs", "two"), "kzlib reproduce: error: argument --jobs: invalid int value: 'two'"),
    ],
)
def test_options_are_checked_before_anything_runs(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    code, out, err = _finish(_start(root, *args), timeout=30)
    assert code == 2
    assert err.strip().splitlines()[-1] == message
    assert out == "" and not (root / "build").exists()


def _in_namespace(root: Path, setup: str, *args: str) -> tuple[int, str, str]:
    """Run reproduce in a private mount namespace after the shell commands ``setup``."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount a read-only or full filesystem without privileges")
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("KZLIB_DATA", None)
    env.pop("KZLIB_FIGURES", None)
    command = f'{setup} && exec "$0" -m kzlib reproduce "$@"'
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -rm is not permitted here: {probe.stderr.decode().strip()}")
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", command, sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=root,
        env=env,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def test_read_only_figures_is_one_line_and_exit_1(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    code, _, err = _in_namespace(root, "mount --bind figures figures && mount -o remount,bind,ro figures")
    assert code == 1
    assert err == "kzlib reproduce: cannot write figures/: Read-only file system\n"


def test_read_only_build_is_one_line_and_exit_1(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    (root / "build").mkdir()
    code, _, err = _in_namespace(root, "mount --bind build build && mount -o remount,bind,ro build")
    assert code == 1
    assert err == "kzlib reproduce: cannot create build/reproduce.lock: Read-only file system\n"


def test_full_figures_disk_on_another_filesystem_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """figures/ on its own (tiny) filesystem: staging goes there, and a full disk is one line."""
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    code, out, err = _in_namespace(root, "mount -t tmpfs -o size=8k tmpfs figures")
    assert code == 1
    assert "00-a.ipynb: cell 1: OSError: [Errno 28] No space left on device" in out
    assert "Traceback" not in out + err
    assert err.strip().splitlines()[-1].startswith("kzlib reproduce: 1 notebook(s) failed")


def test_move_falls_back_to_copy_across_filesystems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kzlib import atomic

    src, dst = tmp_path / "staged.svg", tmp_path / "figures" / "final.svg"
    dst.parent.mkdir()
    src.write_bytes(b"<svg/>")
    real_replace = os.replace
    calls = []

    def cross_device_once(a: object, b: object) -> None:
        calls.append(a)
        if len(calls) == 1:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real_replace(a, b)

    monkeypatch.setattr(atomic.os, "replace", cross_device_once)
    atomic.move_atomic(src, dst)
    assert dst.read_bytes() == b"<svg/>" and not src.exists()
    assert [p.name for p in dst.parent.iterdir()] == ["final.svg"]


def test_a_missing_or_unreadable_notebook_is_one_line_and_exit_1(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),)})
    (root / "notebooks" / "01-gone.ipynb").symlink_to(root / "notebooks" / "nowhere.ipynb")
    code, out, err = _finish(_start(root, "--only", "01"))
    assert (code, out) == (1, "")
    assert err == "kzlib reproduce: cannot read notebooks/01-gone.ipynb: No such file or directory\n"
    (root / "notebooks" / "01-gone.ipynb").unlink()
    (root / "notebooks" / "01-gone.ipynb").write_text("{not json", encoding="utf-8")
    code, out, err = _finish(_start(root, "--only", "01"))
    assert code == 1 and "Traceback" not in out + err
    assert re.search(r"01-gone.ipynb +FAILED +01-gone.ipynb: cannot read notebook \(NotJSONError: ", out), out


def test_a_signal_while_kernels_start_is_clean(tmp_path: Path) -> None:
    root = _tiny_checkout(tmp_path, **{"00-a": (_save("00-a"),), "01-b": (_save("01-b"),)})
    proc = _start(root, "--jobs", "2")
    assert proc.stdout is not None
    assert "2 notebook(s) to run" in proc.stdout.readline()  # the kernels are being started now
    time.sleep(0.2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    code, _, err = _finish(proc, timeout=30)
    assert time.monotonic() - sent < 5
    assert code == 130 and "Traceback" not in err and "Exception ignored" not in err, err
    assert not (root / "build" / "stamps").exists() or not any((root / "build" / "stamps").iterdir())
    assert not any(p.name.startswith("staging") for p in (root / "build").iterdir())
