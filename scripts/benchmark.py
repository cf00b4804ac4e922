"""Speed checks for kz-internet, printed as ratios (this machine is noisy: compare ratios).

    python scripts/benchmark.py            # or: make bench

1. ``import kzlib`` vs ``import pandas`` (fresh interpreters; target <= 1.1)
2. load + validate every dataset vs plain ``pandas.read_csv`` of the same files (target <= 1.5)
3. the same at scale: a synthetic package whose incidents table has 100,000 rows (every
   incident cited), generated from the real package into a temporary folder (target <= 2)
4. ``kzlib reproduce --force`` vs sequential ``jupyter nbconvert --execute`` (target <= 0.6)
5. ``kzlib reproduce`` again with nothing changed (target < 1 s)

Steps 2 and 3 run each side in fresh interpreters, alternating, with the modules imported
and the files in the OS cache before the clock starts, and print medians. pandas reads a file
of 5 MB or more with several threads when given its path; kzlib hands pandas its large files
the same way (see kzlib.csvread). Steps 3 to 5 run in temporary folders, so data/ and
figures/ are not touched. ``--quick`` runs steps 1 to 3 only.
"""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable


def _wall(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=cwd, env=env, capture_output=True)
    return time.perf_counter() - start


def _median(cmd: list[str], runs: int, **kw: object) -> float:
    return statistics.median(_wall(cmd, **kw) for _ in range(runs))  # type: ignore[arg-type]


def imports(runs: int = 9) -> tuple[float, float]:
    pandas = _median([PY, "-c", "import pandas"], runs)
    kzlib = _median([PY, "-c", "import kzlib"], runs)
    return kzlib, pandas


# KZLIB_DATA selects the package; both sides read the files its descriptor names, from the OS
# cache (the read side reads them once before the clock starts), and both import their modules
# before it starts (this sandbox sets PYTHONDONTWRITEBYTECODE, so an import inside the timed
# region would include compiling it). The read side keeps nothing of kzlib but the file list.
_LOAD_ALL = (
    "import time, pandas, kzlib, kzlib.loading; t=time.perf_counter(); "
    "[kzlib.load(n) for n in kzlib.list_datasets()]; "
    "print(time.perf_counter()-t)"
)
_READ_ALL = (
    "import time, pandas as pd, kzlib; from kzlib.descriptor import read_package; "
    "p=read_package(kzlib.data_dir()); files=[p.directory / r.path for r in p.resources]; "
    "[f.read_bytes() for f in files]; t=time.perf_counter(); "
    "[pd.read_csv(f) for f in files]; "
    "print(time.perf_counter()-t)"
)


def _timed(code: str, cache: str, data: Path | None = None) -> float:
    env = {**os.environ, "KZLIB_CACHE": cache}
    if data is not None:
        env["KZLIB_DATA"] = str(data)
    out = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True, env=env).stdout
    return float(out.strip())


def loading(runs: int = 25, data: Path | None = None) -> dict[str, tuple[float, float]]:
    """Fresh interpreters (pandas already imported): every table loaded, typed and validated,
    vs pandas.read_csv of the same files. 'full checks' starts each run with an empty verdict
    cache; 'verdict cached' reuses the verdict for these exact bytes (kzlib.verdicts).
    Runs alternate between the two sides, so a slow spell of the machine hits both; each
    figure is the median of ``runs``."""
    with tempfile.TemporaryDirectory() as cached:
        reads, cold = [], []
        for _ in range(runs):
            reads.append(_timed(_READ_ALL, cached, data))
            with tempfile.TemporaryDirectory() as empty:
                cold.append(_timed(_LOAD_ALL, empty, data))
        _timed(_LOAD_ALL, cached, data)  # store the verdict
        warm = statistics.median(_timed(_LOAD_ALL, cached, data) for _ in range(runs))
    read = statistics.median(reads)
    return {"full checks": (statistics.median(cold), read), "verdict cached": (warm, read)}


def synthetic_package(target: Path, rows: int = 100_000) -> Path:
    """Copy data/ to ``target`` and grow incidents.csv to ``rows`` records by repeating the
    real ones under new ids (``<id>-s<n>``), each with one citation so every rule holds."""
    shutil.copytree(REPO / "data", target)
    with (target / "incidents.csv").open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    with (target / "incident_citations.csv").open(encoding="utf-8", newline="") as fh:
        cites = list(csv.reader(fh))
    header, records = table[0], table[1:]
    first_cite = {r[0]: r for r in reversed(cites[1:])}
    new_rows, new_cites = [], []
    for n in range(rows - len(records)):
        base = records[n % len(records)]
        ident = f"{base[0]}-s{n}"
        new_rows.append([ident, *base[1:]])
        new_cites.append([ident, *first_cite[base[0]][1:]])
    for name, head, body in (
        ("incidents", header, records + new_rows),
        ("incident_citations", cites[0], cites[1:] + new_cites),
    ):
        with (target / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows([head, *body])
    return target


def notebooks() -> tuple[float, float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        for item in ("kzlib", "data", "notebooks", "figures"):
            shutil.copytree(REPO / item, root / item, ignore=shutil.ignore_patterns("__pycache__"))
        for item in ("requirements.lock", "pyproject.toml"):
            shutil.copy(REPO / item, root / item)
        env = {
            **os.environ,
            "PYTHONPATH": str(root),
            "KZLIB_FIGURES": str(root / "build" / "nbconvert-figures"),
        }
        nbs = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
        jupyter = str(Path(PY).parent / "jupyter")
        sequential = sum(
            _wall(
                [
                    jupyter,
                    "nbconvert",
                    "--to",
                    "notebook",
                    "--execute",
                    "--output-dir",
                    str(root / "build" / "nbc"),
                    str(nb),
                ],
                cwd=root / "notebooks",
                env=env,
            )
            for nb in nbs
        )
        env.pop("KZLIB_FIGURES")
        parallel = _wall([PY, "-m", "kzlib", "reproduce", "--force"], cwd=root, env=env)
        rerun = _wall([PY, "-m", "kzlib", "reproduce"], cwd=root, env=env)
        return parallel, sequential, rerun, len(nbs)


def main() -> None:
    print(f"kz-internet benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cores)")
    kz, pd = imports()
    print(f"1. import kzlib {kz:.3f} s vs import pandas {pd:.3f} s: ratio {kz / pd:.2f} (target <= 1.1)")
    for label, (kz, pd) in loading().items():
        print(
            f"2. load+validate all ({label}): {kz * 1000:.1f} ms vs read_csv all {pd * 1000:.1f} ms: "
            f"ratio {kz / pd:.2f} (target <= 1.5)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        big = synthetic_package(Path(tmp) / "data")
        kz, pd = loading(runs=9, data=big)["full checks"]
        print(
            f"3. validate+load, 100,000-row incidents: {kz:.2f} s vs read_csv of the same files {pd:.2f} s: "
            f"ratio {kz / pd:.2f} (target <= 2)"
        )
    if "--quick" in sys.argv:
        return
    par, seq, rerun, n = notebooks()
    print(
        f"4. reproduce --force {par:.1f} s vs sequential nbconvert {seq:.1f} s ({n} notebooks): "
        f"ratio {par / seq:.2f} (target <= 0.6)"
    )
    print(f"5. reproduce with nothing changed: {rerun:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
