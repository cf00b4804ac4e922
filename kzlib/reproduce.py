"""``kzlib reproduce``: run every chapter notebook headless and collect its figures.

Each notebook runs in a fresh kernel, in parallel, with the notebooks folder as its working
directory and ``$KZLIB_FIGURES`` pointing at a private staging folder. Only when the whole
notebook succeeds are its figures moved into ``figures/`` (one rename per file), the figure
catalogue rewritten, and then, last, its stamp written to ``build/stamps/``. A notebook
whose inputs (the notebook, the data, kzlib's code, the locked versions) and figures are
unchanged since its stamp was written is skipped.

Safety:

- **One run per checkout.** A run holds an advisory lock on ``build/reproduce.lock``
  (``flock``, released by the system when the process ends, however it ends). A second run
  does not wait: it prints ``another kzlib reproduce is running in this checkout (pid N)``
  and exits 1, so an editor, a CI job or a second terminal learns at once instead of hanging.
- **Staging on the same filesystem as figures/**: ``build/staging-PID/`` when ``build/``
  and ``figures/`` share a device, else ``figures/.staging-PID/``; moving a finished
  figure is then a rename, and a copy plus rename if the system still refuses (``EXDEV``).
  Staging folders left by a killed run are removed by the next run.
- **Ctrl-C and SIGTERM** stop the run within seconds: queued notebooks are cancelled, every
  running kernel is killed, staged files are removed, and one line says what finished.
  Notebooks that finished before the signal keep their figures and stamps; the others keep
  the figures of earlier runs. Exit status 130 (SIGINT) or 143 (SIGTERM).
- **Failures** (a failing cell, a dead kernel, a folder that cannot be written, a full
  disk, a missing notebook) are one line each, naming the notebook and cell; exit 1.

Exit status: 0 all good, 1 a failure, 2 a usage error (``--only``, ``--jobs``),
130/143 interrupted.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import move_atomic, write_text_atomic
from .paths import DATA_ENV, FIGURES_ENV, data_dir, repo_root

CELL_TIMEOUT = 600  # seconds
#: how long an interrupted run waits for its worker threads after killing the kernels
STOP_GRACE = 3.0
#: stamp layout; stamps of another layout are ignored (the notebook runs again)
STAMP_FORMAT = 2
_EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
_FIGURE_SUFFIXES = (".png", ".svg")


class ReproduceError(Exception):
    """A failure that ends the run: one line for the user, exit status 1."""


class UsageError(ReproduceError):
    """Options that cannot be run: exit status 2."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived (raised in the main thread by the signal handler)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Stopped(Exception):
    """Raised inside a notebook run once the run is being stopped."""


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
    if root is None or not (root / "notebooks").is_dir():
        raise ReproduceError("runs from a clone of kz-internet (notebooks/ not found)")
    return root


def notebooks(root: Path, only: Sequence[str] | None = None) -> list[Path]:
    """The chapter notebooks ``notebooks/NN-*.ipynb``, optionally only the numbers in ``only``.

    Raises :class:`UsageError` for a number that is not one or two digits or names no notebook.

    Example:
        >>> [p.name for p in notebooks(repo_root(), ["3"])]       # doctest: +SKIP
        ['03-incidents.ipynb']
    """
    found = sorted((root / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if only is None:
        return found
    have = [p.name[:2] for p in found]
    wanted = []
    for number in only:
        if not re.fullmatch(r"[0-9]{1,2}", number):
            raise UsageError(f"--only {number!r}: give a notebook number such as 03 (have {', '.join(have)})")
        wanted.append(number.zfill(2))
    unknown = sorted(set(wanted) - set(have))
    if unknown:
        raise UsageError(f"no notebook numbered {', '.join(unknown)} (have {', '.join(have)})")
    return [p for p in found if p.name[:2] in wanted]


def _inputs_digest(root: Path, nb: Path, data: Path) -> str:
    """Hash of everything a notebook's output depends on."""
    h = hashlib.sha256()
    files = [nb, root / "requirements.lock", *sorted((root / "kzlib").glob("*.py"))]
    files += sorted((root / "kzlib" / "_geo").glob("*.*"))  # the map's boundary and place files
    files += sorted(p for p in data.iterdir() if p.suffix in (".csv", ".json"))
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    h.update(str(data).encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stamp(root: Path, nb: Path) -> Path:
    return root / "build" / "stamps" / f"{nb.stem}.json"


def _up_to_date(root: Path, nb: Path, digest: str) -> bool:
    """The stamp matches ``digest`` and every figure it lists is present and unchanged."""
    try:
        record = json.loads(_stamp(root, nb).read_text(encoding="utf-8"))
        if record.get("format") != STAMP_FORMAT or record.get("digest") != digest:
            return False
        figures = root / "figures"
        return all(_sha256(figures / name) == sha for name, sha in record["figures"].items())
    except (OSError, ValueError, KeyError, AttributeError):
        return False


@contextlib.contextmanager
def checkout_lock(root: Path) -> Iterator[None]:
    """Hold ``build/reproduce.lock`` for the run, or raise :class:`ReproduceError` at once.

    Example:
        >>> with checkout_lock(repo_root()):                      # doctest: +SKIP
        ...     pass  # no other kzlib reproduce runs in this checkout meanwhile
    """
    path = root / "build" / "reproduce.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise ReproduceError(f"cannot create {_shown(root, path)}: {err.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReproduceError(
                f"another kzlib reproduce is running in this checkout (pid {_holder(fd)})"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as err:
            raise ReproduceError(f"cannot write {_shown(root, path)}: {err.strerror}") from None
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays, so the lock is always on one inode


def _holder(fd: int) -> str:
    """The pid the lock holder wrote (it may still be writing it: retry briefly)."""
    for _ in range(20):
        text = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if text.isdigit():
            return text
        time.sleep(0.05)
    return "unknown"


def _shown(root: Path, path: Path) -> str:
    """``path`` relative to the checkout when inside it."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _staging_dir(root: Path) -> Path:
    """A fresh staging folder on the filesystem of ``figures/``; stale ones are removed.

    Runs under the checkout lock, so every other staging folder belongs to a dead run.
    """
    figures, build = root / "figures", root / "build"
    try:
        figures.mkdir(exist_ok=True)
        probe = figures / f".write-test-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as err:
        raise ReproduceError(f"cannot write figures/: {err.strerror}") from None
    for stale in [*build.glob("staging-*"), build / "staging", *figures.glob(".staging-*")]:
        shutil.rmtree(stale, ignore_errors=True)
    same_device = os.stat(build).st_dev == os.stat(figures).st_dev
    staging = build / f"staging-{os.getpid()}" if same_device else figures / f".staging-{os.getpid()}"
    try:
        staging.mkdir()
    except OSError as err:
        raise ReproduceError(f"cannot create {_shown(root, staging)}: {err.strerror}") from None
    return staging


class _Signals:
    """SIGINT and SIGTERM raise :class:`Interrupted` in the main thread, except inside a
    critical section (moving a notebook's figures and writing its stamp), where the signal
    waits for the section's end. Later signals are ignored: the run is already stopping."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._critical = 0
        self._ignoring = False
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: object) -> None:
        if self.received is not None or self._ignoring:
            return
        self.received = signum
        if not self._critical:
            raise Interrupted(signum)

    def ignore(self) -> None:
        """From now on signals change nothing (the run is already stopping)."""
        self._ignoring = True

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            for sig in _EXIT_CODES:
                self._previous[sig] = signal.signal(sig, self._handle)

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    @contextlib.contextmanager
    def critical(self) -> Iterator[None]:
        self._critical += 1
        try:
            yield
        finally:
            self._critical -= 1
        if self.received is not None and not self._critical:
            raise Interrupted(self.received)


@dataclass
class _Run:
    """The notebooks of one run: what is running, what finished, how to stop them."""

    root: Path
    staging: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    clients: dict[str, Any] = field(default_factory=dict)  # notebook name -> NotebookClient
    futures: dict[Future[Outcome], tuple[Path, str]] = field(default_factory=dict)
    finished: list[Outcome] = field(default_factory=list)
    pool: ThreadPoolExecutor | None = None
    #: a worker thread outlived :meth:`halt` (the process must exit without joining it)
    stuck: bool = False

    def run_one(self, nb_path: Path) -> Outcome:
        """Execute one notebook into its staging folder (called in a worker thread)."""
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import DeadKernelError

        start = time.perf_counter()
        assert self.staging is not None
        staging = self.staging / nb_path.stem
        current = {"cell": 0}

        def on_cell_start(cell: Any, cell_index: int) -> None:
            current["cell"] = cell_index + 1
            if self.stop.is_set():
                raise _Stopped

        def failed(message: str) -> Outcome:
            shutil.rmtree(staging, ignore_errors=True)
            return Outcome(nb_path, False, time.perf_counter() - start, error=f"{nb_path.name}: {message}")

        try:
            nb = nbformat.read(nb_path, as_version=4)
        except FileNotFoundError:
            return failed("notebook not found")
        except Exception as err:  # unreadable or not a notebook: one line
            return failed(f"cannot read notebook ({type(err).__name__}: {_first_line(err)})")
        executed = self.root / "build" / "executed" / nb_path.name
        log = self.root / "build" / "logs" / f"{nb_path.stem}.log"
        client = NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": str(nb_path.parent)}},
            on_cell_start=on_cell_start,
        )
        env = {**self.env, FIGURES_ENV: str(staging)}
        try:
            staging.mkdir()
            log.parent.mkdir(parents=True, exist_ok=True)
            if self.stop.is_set():
                raise _Stopped
            self.clients[nb_path.name] = client
            with log.open("w", encoding="utf-8") as kernel_stderr:  # kernel chatter goes here
                client.execute(env=env, stderr=kernel_stderr)
        except _Stopped:
            return failed("stopped")
        except OSError as err:
            return failed(f"cannot write {_shown(self.root, Path(err.filename or staging))}: {err.strerror}")
        except Exception as err:  # any failure of the notebook: report, keep old figures
            if self.stop.is_set():
                return failed("stopped")
            with contextlib.suppress(OSError):
                write_text_atomic(executed, nbformat.writes(nb))  # outputs up to the failing cell
            where = f" (see {_shown(self.root, executed)})"
            if isinstance(err, DeadKernelError):
                return failed(f"cell {current['cell']}: the kernel died (log: {_shown(self.root, log)})")
            return failed(_error_report(nb, err, current["cell"]) + where)
        finally:
            self.clients.pop(nb_path.name, None)
            if client.km is None:  # cleaned up: nbclient leaves its exit hook behind when a
                atexit.unregister(client._cleanup_kernel)  # kernel dies while starting
        try:
            write_text_atomic(executed, nbformat.writes(nb))
        except OSError as err:
            return failed(f"cannot write {_shown(self.root, executed)}: {err.strerror}")
        names = sorted(p.name for p in staging.iterdir() if p.suffix in _FIGURE_SUFFIXES)
        return Outcome(nb_path, True, time.perf_counter() - start, figures=tuple(names))

    def commit(self, outcome: Outcome, digest: str) -> None:
        """Move a finished notebook's figures into ``figures/``, update the catalogue, then
        write its stamp. Raises :class:`ReproduceError` (one line) if the disk refuses."""
        from .catalogue import write_catalogue

        assert self.staging is not None
        staging, figures = self.staging / outcome.notebook.stem, self.root / "figures"
        stamp = _stamp(self.root, outcome.notebook)
        name = ""
        try:
            stamp.unlink(missing_ok=True)  # a stamp never describes half-moved figures
            for name in outcome.figures:
                move_atomic(staging / name, figures / name)
            name = "figures.csv"
            write_catalogue(figures)
            name = _shown(self.root, stamp)
            record = {
                "format": STAMP_FORMAT,
                "digest": digest,
                "figures": {n: _sha256(figures / n) for n in outcome.figures},
            }
            write_text_atomic(stamp, json.dumps(record, indent=1, sort_keys=True) + "\n")
        except OSError as err:
            raise ReproduceError(f"{outcome.notebook.name}: cannot write {name}: {err.strerror}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def kill_kernels(self) -> None:
        """Kill every running kernel's process group (kernels run in their own session)."""
        for client in list(self.clients.values()):
            client.shutdown_kernel = "immediate"
            provisioner = getattr(getattr(client, "km", None), "provisioner", None)
            group = getattr(provisioner, "pgid", None) or getattr(provisioner, "pid", None)
            if group:
                with contextlib.suppress(OSError):
                    os.killpg(group, signal.SIGKILL)

    def halt(self) -> None:
        """Cancel queued notebooks, kill the running kernels and wait (briefly) for the
        workers; sets :attr:`stuck` if one is still running after :data:`STOP_GRACE` s."""
        self.stop.set()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + STOP_GRACE
        while not all(f.done() for f in self.futures) and time.monotonic() < deadline:
            self.kill_kernels()  # again: a kernel may have been starting during the last pass
            time.sleep(0.05)
        self.stuck = not all(f.done() for f in self.futures)

    def salvage(self) -> None:
        """After :meth:`halt`: commit notebooks that had finished but were not yet committed
        (their figures and stamps are as good as any); a failure here changes nothing more."""
        recorded = {o.notebook for o in self.finished}
        for fut, (nb, digest) in sorted(self.futures.items(), key=lambda item: item[1][0].name):
            if fut.done() and not fut.cancelled() and fut.exception() is None and nb not in recorded:
                outcome = fut.result()
                if outcome.ok:
                    with contextlib.suppress(ReproduceError):
                        self.commit(outcome, digest)
                        self.finished.append(outcome)

    def cleanup(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [""])[0]


def _error_report(nb: Any, err: BaseException, cell: int) -> str:
    """'cell N: ErrorName: message' for the failing cell."""
    for index, c in enumerate(getattr(nb, "cells", []), 1):
        for out in c.get("outputs", []):
            if out.get("output_type") == "error":
                evalue = (str(out.get("evalue", "")).strip().splitlines() or [""])[0]
                return f"cell {index}: {out.get('ename')}: {evalue}"
    return f"cell {cell}: {type(err).__name__}: {_first_line(err)}"


def reproduce(
    jobs: int | None = None,
    only: Sequence[str] | None = None,
    force: bool = False,
    data: str | os.PathLike[str] | None = None,
) -> int:
    """Run the notebooks (see module docstring) and return the exit status.

    Args:
        jobs: notebooks run at once (default: the number of cores); at least 1.
        only: notebook numbers (``"03"``) to run instead of all.
        force: run notebooks whose inputs are unchanged too.
        data: a data folder for the notebooks to read instead of the clone's ``data/``
            (passed to their kernels as ``$KZLIB_DATA``); figures still go to ``figures/``.

    Example:
        >>> from kzlib.reproduce import reproduce
        >>> reproduce(only=["00"])                                # doctest: +SKIP
        0
    """
    if jobs is not None and jobs < 1:
        return _fail(UsageError(f"--jobs {jobs}: give at least 1"))
    signals = _Signals()
    signals.install()
    run: _Run | None = None
    code = 0
    started = time.perf_counter()
    try:
        root = _root()
        todo = notebooks(root, only)
        run = _Run(root)
        with checkout_lock(root):
            try:
                code = _reproduce(run, todo, jobs or os.cpu_count() or 1, force, data, signals)
            except BaseException:
                signals.ignore()  # stopping now: a second Ctrl-C must not cut the clean-up short
                run.halt()  # kernels die while this run still holds the lock
                run.salvage()
                raise
            finally:
                run.cleanup()
    except Interrupted as sig:
        code = _EXIT_CODES[signal.Signals(sig.signum)]
        _say(_stop_summary(run, signal.Signals(sig.signum).name, time.perf_counter() - started))
    except ReproduceError as err:
        code = _fail(err)
    finally:
        signals.restore()
    if run is not None and run.stuck:  # a worker still waits on a dead kernel: do not join it
        run.kill_kernels()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _fail(err: ReproduceError) -> int:
    _say(f"kzlib reproduce: {err}")
    return 2 if isinstance(err, UsageError) else 1


def _stop_summary(run: _Run | None, signame: str, seconds: float) -> str:
    """One line: what finished before the signal, what was stopped, what never started."""
    outcomes = [o for o in (run.finished if run else []) if not o.skipped]
    seen = {o.notebook.stem[:2] for o in outcomes}
    futures = run.futures.items() if run else []
    groups = {
        "finished {} (figures and stamps written)": [o.notebook.stem[:2] for o in outcomes if o.ok],
        "failed {}": [o.notebook.stem[:2] for o in outcomes if not o.ok],
        "stopped {} (their earlier figures kept)": [
            nb.stem[:2] for f, (nb, _) in futures if not f.cancelled() and nb.stem[:2] not in seen
        ],
        "not started {}": [nb.stem[:2] for f, (nb, _) in futures if f.cancelled()],
    }
    parts = [text.format(", ".join(sorted(numbers))) for text, numbers in groups.items() if numbers]
    return (
        f"kzlib reproduce: stopped by {signame} after {seconds:.1f} s: "
        f"{'; '.join(parts or ['no notebook had started'])}; kernels shut down"
    )


def _reproduce(
    run: _Run,
    todo_all: list[Path],
    jobs: int,
    force: bool,
    data: str | os.PathLike[str] | None,
    signals: _Signals,
) -> int:
    from .validation import validate

    root = run.root
    folder = data_dir(data)
    pkg = validate(folder)
    run.staging = _staging_dir(root)
    run.env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # kernels keep inline charts
    if data is not None:
        run.env[DATA_ENV] = str(folder)
    todo: list[tuple[Path, str]] = []
    for nb in todo_all:
        try:
            digest = _inputs_digest(root, nb, folder)
        except OSError as err:
            raise ReproduceError(
                f"cannot read {_shown(root, Path(err.filename or nb))}: {err.strerror}"
            ) from None
        if not force and _up_to_date(root, nb, digest):
            run.finished.append(Outcome(nb, True, skipped=True))
        else:
            todo.append((nb, digest))
    print(
        f"kz-internet data {pkg.version} valid; "
        f"{len(todo)} notebook(s) to run, {len(run.finished)} unchanged",
        flush=True,
    )
    if todo:
        _run_all(run, todo, jobs, signals)
    outcomes = run.finished
    failed = [o for o in outcomes if not o.ok]
    for o in sorted(outcomes, key=lambda o: o.notebook.name):
        state = "unchanged" if o.skipped else ("ok" if o.ok else "FAILED")
        extra = f"{o.seconds:5.1f} s, {len(o.figures)} files" if o.ok and not o.skipped else o.error
        print(f"  {o.notebook.name:<34} {state:<9} {extra}")
    if failed:
        _say(f"kzlib reproduce: {len(failed)} notebook(s) failed; figures of earlier runs left as they were")
        return 1
    if todo and (root / "README.md").is_file():
        _refresh_gallery(root)
    return 0


def _refresh_gallery(root: Path) -> None:
    """Rebuild the README's figure gallery from the catalogue (one line if that fails)."""
    from .gallery import write_gallery

    try:
        write_gallery(root / "README.md", root / "figures")
    except (OSError, ValueError) as err:
        raise ReproduceError(f"README.md gallery not updated: {_first_line(err)}") from None


def _run_all(run: _Run, todo: list[tuple[Path, str]], jobs: int, signals: _Signals) -> None:
    from tqdm import tqdm

    run.pool = ThreadPoolExecutor(max_workers=jobs)
    run.futures = {run.pool.submit(run.run_one, nb): (nb, digest) for nb, digest in todo}
    pending = set(run.futures)
    with tqdm(total=len(pending), desc="notebooks", unit="nb", file=sys.stderr) as bar:
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: run.futures[f][0].name):
                nb, digest = run.futures[fut]
                outcome = fut.result()
                if outcome.ok:
                    with signals.critical():
                        run.commit(outcome, digest)
                else:
                    _stamp(run.root, nb).unlink(missing_ok=True)
                run.finished.append(outcome)
                bar.set_postfix_str(nb.name[:2])
                bar.update()
    run.pool.shutdown(wait=True)
