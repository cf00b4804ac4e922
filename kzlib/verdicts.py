"""Remember which exact bytes of the data package have already passed validation.

Loading validates the whole package; a verdict is stored under a fingerprint of the
descriptor, every table's bytes and the validator's own source, so unchanged data loads
without repeating the checks, and any change to the data or to the rules checks again.
``kzlib validate`` always runs every check. The cache is a folder of empty files named by
fingerprint: ``$KZLIB_CACHE``, else ``$XDG_CACHE_HOME/kzlib``, else ``~/.cache/kzlib``. If
it cannot be written, nothing is cached and loading simply validates every time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

CACHE_ENV = "KZLIB_CACHE"

_RULES = ("validation.py", "descriptor.py", "csvread.py")  # the code that decides validity


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kzlib"


@cache
def _rules_digest() -> bytes:
    here = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=16)
    for name in _RULES:
        h.update((here / name).read_bytes())
    return h.digest()


def fingerprint(descriptor: bytes, tables: Iterable[tuple[str, bytes]]) -> str:
    """Hex fingerprint of the rules, the descriptor and each (file name, bytes digest)."""
    h = hashlib.blake2b(_rules_digest(), digest_size=20)
    h.update(descriptor)
    for name, digest in tables:
        h.update(name.encode())
        h.update(digest)
    return h.hexdigest()


def known_valid(stamp: str) -> bool:
    return (cache_dir() / stamp).is_file()


def remember(stamp: str) -> None:
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / stamp).touch()
    except OSError:
        pass  # a read-only home: validate every time instead
