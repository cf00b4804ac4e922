"""Remember which exact bytes of the data package have already passed validation.

Loading validates the whole package; a verdict is stored under a fingerprint of the
descriptor, every table's bytes and the validator's own source, so unchanged data loads
without repeating the checks, and any change to the data or to the rules checks again.
``kzlib validate`` always runs every check. The cache is a folder of empty files named by
fingerprint: ``$KZLIB_CACHE``, else ``$XDG_CACHE_HOME/kzlib``, else ``~/.cache/kzlib``. If
it cannot be used (read-only, permission denied, a file in its place, no home folder),
nothing is cached and loading simply validates every time, silently.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

CACHE_ENV = "KZLIB_CACHE"

#: the code that decides validity
_RULES = ("validation.py", "descriptor.py", "csvread.py", "profile.py", "problems.py")


def cache_dir() -> Path:
    """The verdict folder (it may not exist, or be unusable)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"  # RuntimeError: no home
    return Path(base) / "kzlib"


@cache
def _rules_digest() -> bytes:
    here = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=16)
    for name in _RULES:
        h.update((here / name).read_bytes())
    return h.digest()


def fingerprint(descriptor: bytes, tables: Iterable[tuple[str, bytes]]) -> str:
    """Hex fingerprint of the rules, the descriptor's digest and each (file name, bytes digest)."""
    h = hashlib.blake2b(_rules_digest(), digest_size=20)
    h.update(descriptor)
    for name, digest in tables:
        h.update(name.encode())
        h.update(digest)
    return h.hexdigest()


def known_valid(stamp: str) -> bool:
    """True when these exact bytes passed before (False when the cache cannot be read)."""
    try:
        return (cache_dir() / stamp).is_file()
    except (OSError, RuntimeError):
        return False


def remember(stamp: str) -> None:
    """Record a pass; an unusable cache folder is ignored (validate every time instead)."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / stamp).touch()
    except (OSError, RuntimeError):
        pass
