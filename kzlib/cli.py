"""The ``kzlib`` command line: list, describe, validate, cite, docs, summary, reproduce."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .descriptor import read_package
from .docs import write_docs
from .paths import data_dir
from .problems import DataError
from .validation import validate


def _list(args: argparse.Namespace) -> int:
    pkg = read_package(data_dir(args.data))
    width = max(len(n) for n in pkg.names)
    for r in pkg.resources:
        print(f"{r.name:<{width}}  {r.description}")
    return 0


def _describe(args: argparse.Namespace) -> int:
    pkg = read_package(data_dir(args.data))
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
    pkg = validate(args.data)
    print(f"{pkg.name} {pkg.version}: {len(pkg.resources)} tables valid ({data_dir(args.data)})")
    return 0


def _cite(args: argparse.Namespace) -> int:
    from .cite import cite  # pandas only for the commands that need it

    try:
        print(cite(args.id, args.data))
    except KeyError as err:
        print(f"kzlib: {err.args[0]}", file=sys.stderr)
        return 2
    return 0


def _docs(args: argparse.Namespace) -> int:
    directory = data_dir(args.data)
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

    return reproduce(jobs=args.jobs, only=args.only, force=args.force)


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
    add("cite", _cite, "references for a record id (src-, op-, lm-, inc-, seed-, ASN)").add_argument(
        "id", nargs="?"
    )
    add("docs", _docs, "regenerate data/README.md from the descriptor").add_argument(
        "--check", action="store_true", help="only check that it is up to date"
    )
    add("summary", _summary, "validate, then summarise every dataset")
    rp = add("reproduce", _reproduce, "run every notebook headless and write figures/")
    rp.add_argument("--jobs", type=int, default=None, help="parallel notebooks (default: the cores)")
    rp.add_argument("--only", action="append", metavar="NN", help="run only notebook NN (repeatable)")
    rp.add_argument("--force", action="store_true", help="run even notebooks whose inputs are unchanged")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as err:
        print(err, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
