"""The ``kzlib`` command line: list, describe, validate, cite, bib, docs, summary, reproduce."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .descriptor import read_package
from .docs import write_docs
from .paths import data_dir
from .problems import DataError
from .validation import validate


class UsageError(Exception):
    """An argument that cannot work: reported in one line, exit code 2."""


def _data(args: argparse.Namespace) -> Path:
    """The data folder ``--data`` names (or the default), checked before use."""
    try:
        directory = data_dir(args.data)
        here = directory.is_dir()
        described = here and os.path.lexists(directory / "datapackage.json")
    except (OSError, ValueError) as err:
        raise UsageError(f"--data {args.data}: unusable folder ({err.__class__.__name__})") from None
    if not here:
        raise UsageError(f"--data {args.data or directory}: no such folder")
    if not described:
        raise UsageError(f"--data {args.data or directory}: no datapackage.json in this folder")
    return directory


def _list(args: argparse.Namespace) -> int:
    pkg = read_package(_data(args))
    width = max(len(n) for n in pkg.names)
    for r in pkg.resources:
        print(f"{r.name:<{width}}  {r.description}")
    return 0


def _describe(args: argparse.Namespace) -> int:
    pkg = read_package(_data(args))
    try:
        res = pkg.resource(args.name)
    except KeyError as err:
        print(f"kzlib: {err.args[0]}", file=sys.stderr)
        return 2
    print(f"{res.name} ({res.path}): {res.description}")
    print(f"primary key: {', '.join(res.primary_key)}")
    for f in res.fields:
        allowed = f" one of: {', '.join(f.enum)}" if f.enum else ""
        req = " required" if f.required else ""
        print(f"  {f.name} [{f.type}{req}]{allowed}\n      {f.description}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    directory = _data(args)
    pkg = validate(directory)
    print(f"{pkg.name} {pkg.version}: {len(pkg.resources)} tables valid ({directory})")
    return 0


def _cite(args: argparse.Namespace) -> int:
    from .cite import cite  # pandas only for the commands that need it

    try:
        text = cite(args.id, args.data, format=args.format)
    except KeyError as err:
        print(f"kzlib: {err.args[0]}", file=sys.stderr)
        return 2
    print(text, end="" if text.endswith("\n") else "\n")
    return 0


def _bib(args: argparse.Namespace) -> int:
    from .references import bibliography

    text = bibliography(args.format, args.data)
    if args.output is None:
        print(text, end="")
        return 0
    from .atomic import write_text_atomic

    try:
        write_text_atomic(Path(args.output), text)
    except OSError as err:
        print(f"kzlib bib: cannot write {args.output}: {err.strerror or err}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _docs(args: argparse.Namespace) -> int:
    directory = _data(args)
    if args.check:
        if write_docs(directory, check=True):
            print(f"{directory / 'README.md'} is up to date")
            return 0
        print(f"{directory / 'README.md'} is stale: run `kzlib docs`", file=sys.stderr)
        return 1
    write_docs(directory)
    print(f"wrote {directory / 'README.md'}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from .summary import summary

    print(summary(args.data))
    return 0


def _reproduce(args: argparse.Namespace) -> int:
    from .reproduce import reproduce  # imports the notebook machinery only when needed

    return reproduce(jobs=args.jobs, only=args.only, force=args.force, data=args.data)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kzlib", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument(
            "--data", metavar="DIR", help="folder holding datapackage.json (default: the project's data/)"
        )
        sp.set_defaults(func=func)
        return sp

    add("list", _list, "list the datasets")
    add("describe", _describe, "show a dataset's columns").add_argument("name")
    add("validate", _validate, "check every rule of the data package; exit 1 on any problem")
    cp = add("cite", _cite, "references for a record id (src-, op-, lm-, inc-, rx-, seed-, ASN)")
    cp.add_argument("id", nargs="?")
    cp.add_argument("--format", choices=("text", "bibtex", "csl-json"), default="text")
    bp = add("bib", _bib, "every source plus the package itself, for LaTeX, Zotero or pandoc")
    bp.add_argument("--format", choices=("bibtex", "csl-json"), default="bibtex")
    bp.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    add("docs", _docs, "regenerate data/README.md from the descriptor").add_argument(
        "--check", action="store_true", help="only check that it is up to date"
    )
    add("summary", _summary, "validate, then summarise every dataset")
    rp = add(
        "reproduce",
        _reproduce,
        "run every notebook headless and write figures/ (one run at a time per checkout; "
        "exit 0 ok, 1 failure, 2 usage, 130/143 stopped by SIGINT/SIGTERM)",
    )
    rp.add_argument("--jobs", type=int, default=None, help="parallel notebooks, >= 1 (default: cores)")
    rp.add_argument("--only", action="append", metavar="NN", help="run only notebook NN (repeatable)")
    rp.add_argument("--force", action="store_true", help="run even notebooks whose inputs are unchanged")
    return p


def _say(text: str) -> None:
    """Write one message to standard error, even when nobody reads it any more."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr)


def _quiet_stdout() -> None:
    """After a closed pipe: send what is still buffered to /dev/null, not to a traceback."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; never a traceback. Exit codes: 0 ok, 1 data problems (or a failure
    reading or writing files), 2 usage, 130 interrupted, 141 output pipe closed (``| head``)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")  # any path or value can be printed
    try:
        args = parser().parse_args(argv)
        code = int(args.func(args))
        sys.stdout.flush()
        return code
    except SystemExit as done:  # argparse: --help (0) or a usage error (2), already printed
        return done.code if isinstance(done.code, int) else 2
    except BrokenPipeError:
        _quiet_stdout()
        return 141
    except UsageError as err:
        _say(f"kzlib: {err}")
        return 2
    except DataError as err:
        _say(str(err))
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        _say(f"kzlib: {err.strerror or err.__class__.__name__}{where}")
        return 1
    except Exception as err:  # a bug: one line, never a traceback
        _say(f"kzlib: internal error ({err.__class__.__name__}: {err}); please report it")
        return 1


if __name__ == "__main__":
    sys.exit(main())
