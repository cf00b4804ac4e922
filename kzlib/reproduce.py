"""``kzlib reproduce``: run every chapter notebook headless and collect its figures.

Each notebook runs in a fresh kernel, in parallel, with the notebooks folder as its working
directory. Its figures are staged in ``build/staging/NN`` and moved into ``figures/`` only
when the whole notebook succeeds, so a failure never touches the figures of earlier good
runs. A notebook whose inputs (the notebook, the data, kzlib's code, the locked versions)
are unchanged since its last good run is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .atomic import write_text_atomic
from .paths import FIGURES_ENV, data_dir, repo_root

CELL_TIMEOUT = 600  # seconds


@dataclass
class Outcome:
    """What happened to one notebook."""

    notebook: Path
    ok: bool
    seconds: float = 0.0
    skipped: bool = False
    figures: tuple[str, ...] = ()
    error: str = ""


def _root() -> Path:
    root = repo_root()
    if root is None:
        raise SystemExit("kzlib reproduce runs from a clone of kz-internet (notebooks/ not found)")
    return root


def notebooks(root: Path, only: Sequence[str] | None = None) -> list[Path]:
    """The chapter notebooks ``notebooks/NN-*.ipynb``, optionally only the numbers in ``only``."""
    found = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if only:
        wanted = {n.zfill(2) for n in only}
        unknown = wanted - {p.name[:2] for p in found}
        if unknown:
            raise SystemExit(f"kzlib reproduce: no notebook numbered {', '.join(sorted(unknown))}")
        found = [p for p in found if p.name[:2] in wanted]
    return found


def _inputs_digest(root: Path, nb: Path) -> str:
    """Hash of everything a notebook's output depends on."""
    h = hashlib.sha256()
    files = [nb, root / "requirements.lock", *sorted((root / "kzlib").glob("*.py"))]
    files += sorted(p for p in data_dir().iterdir() if p.suffix in (".csv", ".json"))
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def _stamp(root: Path, nb: Path) -> Path:
    return root / "build" / "stamps" / f"{nb.stem}.json"


def _up_to_date(root: Path, nb: Path, digest: str) -> bool:
    stamp = _stamp(root, nb)
    if not stamp.is_file():
        return False
    record = json.loads(stamp.read_text(encoding="utf-8"))
    figures = root / "figures"
    return record.get("digest") == digest and all((figures / f).is_file() for f in record.get("figures", []))


def _error_report(nb_path: Path, executed: object, err: BaseException) -> str:
    """'notebook: cell N: ErrorName: message' for the failing cell."""
    for index, cell in enumerate(getattr(executed, "cells", []), 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"{nb_path.name}: cell {index}: {out.get('ename')}: {out.get('evalue')}"
    last = str(err).strip().splitlines()[-1:] or [""]
    return f"{nb_path.name}: {type(err).__name__}: {last[0]}"


def run_one(root: Path, nb_path: Path) -> Outcome:
    """Execute one notebook; on success move its staged figures into ``figures/``."""
    import nbformat
    from nbclient import NotebookClient

    start = time.perf_counter()
    staging = root / "build" / "staging" / nb_path.stem
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    nb = nbformat.read(nb_path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(nb_path.parent)}},
    )
    env = {**os.environ, FIGURES_ENV: str(staging)}
    env.pop("MPLBACKEND", None)  # the kernel must keep its inline backend
    executed = root / "build" / "executed" / nb_path.name
    log = root / "build" / "logs" / f"{nb_path.stem}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with log.open("w", encoding="utf-8") as kernel_stderr:  # kernel chatter goes here
            client.execute(env=env, stderr=kernel_stderr)
    except Exception as err:  # any failure of the notebook: report, keep old figures
        shutil.rmtree(staging, ignore_errors=True)
        write_text_atomic(executed, nbformat.writes(nb))  # outputs up to the failing cell
        error = f"{_error_report(nb_path, nb, err)} (see {executed.relative_to(root)})"
        return Outcome(nb_path, False, time.perf_counter() - start, error=error)
    write_text_atomic(executed, nbformat.writes(nb))
    figures = root / "figures"
    figures.mkdir(exist_ok=True)
    names = sorted(p.name for p in staging.iterdir() if not p.name.startswith("."))
    for name in names:
        os.replace(staging / name, figures / name)
    shutil.rmtree(staging, ignore_errors=True)
    return Outcome(nb_path, True, time.perf_counter() - start, figures=tuple(names))


def reproduce(jobs: int | None = None, only: Sequence[str] | None = None, force: bool = False) -> int:
    """Run the notebooks (see module docstring); return the exit code (0 = all good)."""
    from .validation import validate

    root = _root()
    pkg = validate()
    todo: list[tuple[Path, str]] = []
    outcomes: list[Outcome] = []
    for nb in notebooks(root, only):
        digest = _inputs_digest(root, nb)
        if not force and _up_to_date(root, nb, digest):
            outcomes.append(Outcome(nb, True, skipped=True))
        else:
            todo.append((nb, digest))
    print(
        f"kz-internet data {pkg.version} valid; {len(todo)} notebook(s) to run, {len(outcomes)} unchanged",
        flush=True,
    )
    if todo:
        outcomes += _run_all(root, todo, jobs or os.cpu_count() or 1)
    failed = [o for o in outcomes if not o.ok]
    for o in sorted(outcomes, key=lambda o: o.notebook.name):
        state = "unchanged" if o.skipped else ("ok" if o.ok else "FAILED")
        extra = f"{o.seconds:5.1f} s, {len(o.figures)} files" if o.ok and not o.skipped else o.error
        print(f"  {o.notebook.name:<34} {state:<9} {extra}")
    if failed:
        print(
            f"kzlib reproduce: {len(failed)} notebook(s) failed; figures of earlier runs left as they were",
            file=sys.stderr,
        )
        return 1
    return 0


def _run_all(root: Path, todo: list[tuple[Path, str]], jobs: int) -> list[Outcome]:
    from tqdm import tqdm

    results = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures: dict[Future[Outcome], tuple[Path, str]] = {
            pool.submit(run_one, root, nb): (nb, digest) for nb, digest in todo
        }
        with tqdm(total=len(futures), desc="notebooks", unit="nb", file=sys.stderr) as bar:
            for fut in as_completed(futures):
                nb, digest = futures[fut]
                outcome = fut.result()
                if outcome.ok:
                    write_text_atomic(
                        _stamp(root, nb),
                        json.dumps({"digest": digest, "figures": list(outcome.figures)}, indent=1) + "\n",
                    )
                else:
                    _stamp(root, nb).unlink(missing_ok=True)
                bar.set_postfix_str(nb.name[:2])
                bar.update()
                results.append(outcome)
    return results
