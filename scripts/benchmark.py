"""Speed checks for kz-internet, printed as ratios (this machine is noisy: compare ratios).

    python scripts/benchmark.py            # or: make bench

1. ``import kzlib`` vs ``import pandas`` (fresh interpreters; target <= 1.1)
2. load + validate every dataset vs plain ``pandas.read_csv`` of the same files (target <= 1.5)
3. ``kzlib reproduce --force`` vs sequential ``jupyter nbconvert --execute`` (target <= 0.7)
4. ``kzlib reproduce`` again with nothing changed (target < 1 s)

Steps 3 and 4 run in a temporary copy of the project, so figures/ is not touched.
"""

from __future__ import annotations

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


_LOAD_ALL = (
    "import time, pandas, kzlib, kzlib.loading; t=time.perf_counter(); "
    "[kzlib.load(n) for n in kzlib.list_datasets()]; "
    "print(time.perf_counter()-t)"
)
_READ_ALL = (
    "import time, pandas as pd, kzlib; t=time.perf_counter(); "
    "[pd.read_csv(kzlib.data_dir() / f'{n}.csv') for n in kzlib.list_datasets()]; "
    "print(time.perf_counter()-t)"
)


# Both sides import their modules before the clock starts (this sandbox sets
# PYTHONDONTWRITEBYTECODE, so an import inside the timed region would include compiling it).
def _timed(code: str, cache: str) -> float:
    env = {**os.environ, "KZLIB_CACHE": cache}
    out = subprocess.run([PY, "-c", code], check=True, capture_output=True, text=True, env=env).stdout
    return float(out.strip())


def loading(runs: int = 15) -> dict[str, tuple[float, float]]:
    """Fresh interpreters (pandas already imported): every table loaded, typed and validated,
    vs pandas.read_csv of the same files. 'full checks' starts each run with an empty verdict
    cache; 'verdict cached' reuses the verdict for these exact bytes (kzlib.verdicts)."""
    with tempfile.TemporaryDirectory() as cached:
        read = statistics.median(_timed(_READ_ALL, cached) for _ in range(runs))
        cold = []
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as empty:
                cold.append(_timed(_LOAD_ALL, empty))
        _timed(_LOAD_ALL, cached)  # store the verdict
        warm = statistics.median(_timed(_LOAD_ALL, cached) for _ in range(runs))
    return {"full checks": (statistics.median(cold), read), "verdict cached": (warm, read)}


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
    par, seq, rerun, n = notebooks()
    print(
        f"3. reproduce --force {par:.1f} s vs sequential nbconvert {seq:.1f} s ({n} notebooks): "
        f"ratio {par / seq:.2f} (target <= 0.7)"
    )
    print(f"4. reproduce with nothing changed: {rerun:.2f} s (target < 1 s)")


if __name__ == "__main__":
    main()
