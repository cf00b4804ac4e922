"""Where the data package lives, for a clone, an editable install or a wheel."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

#: Environment variable that points kzlib at another copy of the data package.
DATA_ENV = "KZLIB_DATA"

#: Environment variable that redirects saved figures (``kzlib reproduce`` stages them).
FIGURES_ENV = "KZLIB_FIGURES"

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def repo_root() -> Path | None:
    """The project folder when kzlib runs from a clone (or editable install), else None."""
    root = _PACKAGE_DIR.parent
    return root if (root / "data" / "datapackage.json").is_file() else None


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding ``datapackage.json``.

    Order: the ``override`` argument, then ``$KZLIB_DATA``, then the clone's ``data/``,
    then the copy shipped inside the wheel (``kzlib/_data``). The working directory
    never matters.
    """
    if override is not None:
        return Path(override).resolve()
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).resolve()
    root = repo_root()
    if root is not None:
        return root / "data"
    shipped = resources.files("kzlib") / "_data"
    return Path(str(shipped))


def shown(path: Path) -> str:
    """A path as the user will recognise it: relative to the working directory if inside.

    Example:
        >>> shown(Path.cwd() / "data" / "incidents.csv")
        'data/incidents.csv'
    """
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows), or no working directory
        return str(path)
    return str(path) if rel.startswith("..") else rel
