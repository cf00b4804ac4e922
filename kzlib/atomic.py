"""Write files so that a reader never sees half a file and a failure loses nothing."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the result is an ordinary readable file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Text version of :func:`write_bytes_atomic` (UTF-8, ``\\n`` line ends)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def move_atomic(src: Path, dst: Path) -> None:
    """Move ``src`` over ``dst`` so that a reader sees the old file or the new one, never half.

    A rename when both are on one filesystem; otherwise (``EXDEV``) a copy to a temporary
    file beside ``dst``, renamed over it, then ``src`` removed.

    Example:
        >>> move_atomic(Path("build/staging/03-map.svg"), Path("figures/03-map.svg"))  # doctest: +SKIP
    """
    try:
        os.replace(src, dst)
    except OSError as err:
        if err.errno != errno.EXDEV:
            raise
        write_bytes_atomic(dst, src.read_bytes())
        src.unlink()
