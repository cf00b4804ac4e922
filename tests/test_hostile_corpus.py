"""The hostile-input corpus: every case gets its exit code and message, never a traceback.

Cases live in ``hostile_cases.py`` and run in-process through ``kzlib.cli.main`` (fast); a
few run as real subprocesses to prove that nothing escapes as a traceback or a hang.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_cases import CASES, SECRET, Case, build, cell, outside_file

import kzlib
from kzlib.cli import main
from kzlib.loading import clear_cache

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("mini") / "data")


@pytest.fixture
def package(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(template, folder)
    return folder


def run(case: Case, folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    case.change(folder)
    code = main([*case.command, "--data", str(folder)])
    out, err = capsys.readouterr()
    return code, out + err


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case(case: Case, package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run(case, package, capsys)
    assert "Traceback" not in output
    assert case.absent not in output
    assert code == case.code, output
    if case.message:
        assert case.message in output, output
    elif case.command == ("validate",):
        assert "tables valid" in output


def test_the_template_is_valid(template: Path) -> None:
    assert kzlib.validate(template).name == "kz-mini"


def test_enum_of_200_values_loads(package: Path) -> None:
    cell("incidents", 2, "tag", "tag-199")(package)
    tags = kzlib.load("incidents", package)["tag"]
    assert list(tags.astype("str")[:2]) == ["tag-150", "tag-199"]
    assert len(tags.cat.categories) == 200


def test_secret_outside_is_never_opened(
    template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An audit hook (``sys.addaudithook``) logs every ``open`` while kzlib runs: the file
    beside the data folder that hostile paths point at is never opened, nor shown."""
    ids = {"descriptor-symlink-outside", "path-symlink-outside", "path-dotdot", "path-backslash"}
    hostile = [c for c in CASES if c.id in ids]
    assert len(hostile) == len(ids)
    folders = []
    for case in hostile:
        folder = tmp_path / case.id / "data"
        shutil.copytree(template, folder)
        case.change(folder)
        outside_file(folder)
        folders.append(folder)
    opened: list[str] = []
    _AUDIT.append(opened)
    try:
        for folder in folders:
            for command in (["validate"], ["list"], ["describe", "sources"], ["docs", "--check"]):
                assert main([*command, "--data", str(folder)]) in (1, 2)
    finally:
        _AUDIT.remove(opened)
    assert opened, "the audit hook saw nothing"
    assert not [p for p in opened if Path(p).name == "outside.csv"]
    out, err = capsys.readouterr()
    assert SECRET not in out + err


_AUDIT: list[list[str]] = []


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event == "open" and _AUDIT and isinstance(args[0], str | os.PathLike):
        for log in _AUDIT:
            log.append(os.fspath(args[0]))  # type: ignore[arg-type]


sys.addaudithook(_hook)


def test_cache_is_keyed_by_content_not_size_or_time(package: Path) -> None:
    """An edit that keeps the file's size and modification time is still seen."""
    path = package / "operators.csv"
    before = kzlib.load("operators", package)
    stat = path.stat()
    path.write_text(
        path.read_text(encoding="utf-8").replace("Alpha Telecom", "Alpha Telekom"), encoding="utf-8"
    )
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    after = kzlib.load("operators", package)
    assert before.loc[0, "name"] == "Alpha Telecom" and after.loc[0, "name"] == "Alpha Telekom"


def test_descriptor_cache_is_keyed_by_content(package: Path) -> None:
    path = package / "datapackage.json"
    kzlib.load("operators", package)
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace('"kz-mini"', '"kz-mino"'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert kzlib.package(package).name == "kz-mino"


@pytest.mark.parametrize("kind", ["file-in-its-place", "under-a-file", "unwritable-proc"])
def test_unusable_cache_folder_means_validate_every_time(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    target = {
        "file-in-its-place": blocker,
        "under-a-file": blocker / "kzlib",
        "unwritable-proc": Path("/proc/kzlib"),
    }
    monkeypatch.setenv("KZLIB_CACHE", str(target[kind]))
    clear_cache()
    assert len(kzlib.load("operators", package)) == 3
    cell("operators", 1, "segment", "bad")(package)
    with pytest.raises(kzlib.DataError, match="value 'bad'"):
        kzlib.load("operators", package)


def test_permission_denied_cache_is_silent(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root ignores file modes, so the denial is simulated where the cache is looked up."""
    from kzlib import verdicts

    def denied() -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(verdicts, "cache_dir", denied)
    clear_cache()
    assert len(kzlib.load("operators", package)) == 3


def test_no_home_folder_is_silent(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KZLIB_CACHE", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: (_ for _ in ()).throw(RuntimeError("no home"))))
    clear_cache()
    assert len(kzlib.load("operators", package)) == 3


def test_broken_pipe_in_process(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["list", "--data", str(package)]) == 141


def _cli(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kzlib", *args], capture_output=True, text=True, cwd=REPO, timeout=60, **kw
    )


def test_subprocess_closed_pipe_is_quiet(package: Path) -> None:
    """``kzlib list | head -0``: the reader is gone before kzlib writes."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kzlib", "list", "--data", str(package)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 141)
    assert "Traceback" not in err and "BrokenPipe" not in err, err


@pytest.mark.parametrize(
    ("case_id", "code"),
    [("path-fifo", 1), ("json-deep-nesting", 1), ("descriptor-fifo", 1), ("csv-unbalanced-quote", 1)],
)
def test_subprocess_no_traceback_no_hang(case_id: str, code: int, package: Path) -> None:
    case = next(c for c in CASES if c.id == case_id)
    case.change(package)
    done = _cli("validate", "--data", str(package))
    assert done.returncode == code
    assert "Traceback" not in done.stderr + done.stdout
    assert case.message in done.stderr


def test_subprocess_usage_errors() -> None:
    assert _cli("list", "--data", "/nonexistent/kz").returncode == 2
    done = _cli("describe", "incidents", "--data", "/nonexistent/kz")
    assert done.returncode == 2 and "no such folder" in done.stderr and "Traceback" not in done.stderr
    assert _cli("no-such-command").returncode == 2


def test_profile_checker_agrees_with_a_json_schema_validator(template: Path, tmp_path: Path) -> None:
    """The small profile interpreter accepts exactly what fastjsonschema accepts, for the
    real descriptor and every descriptor of the corpus that is valid JSON."""
    import json

    import fastjsonschema

    from kzlib.profile import PACKAGE, profile_error

    check = fastjsonschema.compile(PACKAGE)
    descriptors = [json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))]
    for case in CASES:
        folder = tmp_path / case.id
        shutil.copytree(template, folder)
        case.change(folder)
        if (folder / "datapackage.json").is_symlink() or not (folder / "datapackage.json").is_file():
            continue  # a FIFO would block this test itself
        try:
            descriptors.append(json.loads((folder / "datapackage.json").read_text(encoding="utf-8-sig")))
        except (OSError, ValueError, RecursionError):
            continue
    assert len(descriptors) > 100
    for data in descriptors:
        try:
            check(data)
            accepted = True
        except fastjsonschema.JsonSchemaValueException:
            accepted = False
        assert accepted == (profile_error(data) is None), data
