"""Save charts to ``figures/`` deterministically and atomically."""

from __future__ import annotations

import io
import os
from pathlib import Path

from matplotlib.figure import Figure

from .atomic import write_bytes_atomic
from .paths import FIGURES_ENV, repo_root
from .style import SVG_HASH_SALT


def figures_dir() -> Path:
    """``$KZLIB_FIGURES``, else the clone's ``figures/``, else ``./figures``."""
    if os.environ.get(FIGURES_ENV):
        return Path(os.environ[FIGURES_ENV])
    root = repo_root()
    return (root / "figures") if root is not None else Path.cwd() / "figures"


def check_labelled(fig: Figure, name: str) -> None:
    """Refuse a chart without a title, axis labels or a source line (see plots.source_line)."""
    axes = [ax for ax in fig.get_axes() if ax.axison]
    titled = fig.get_suptitle() or any(
        ax.get_title(loc) for ax in axes for loc in ("left", "center", "right")
    )
    missing = []
    if not titled:
        missing.append("a title")
    if any(not (ax.get_xlabel() or ax.get_ylabel()) for ax in axes):
        missing.append("axis labels on every panel")
    if not any(t.get_text().startswith("Source:") for t in fig.texts):
        missing.append("a source line (kzlib.plots.source_line)")
    if missing:
        raise ValueError(f"figure {name!r} lacks {', '.join(missing)}")


def save_figure(fig: Figure, name: str, directory: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write ``NAME.png`` and ``NAME.svg`` for ``fig`` and return their paths.

    The SVG is byte-identical across runs on the pinned environment (fixed hash salt, no
    date or software stamp); the PNG carries no software stamp. Each file is written to a
    temporary name and renamed, so an interrupted run never leaves half a figure.
    A chart without a title, axis labels or a source line is refused (``ValueError``).

    Example:
        >>> import kzlib, matplotlib.pyplot as plt
        >>> fig, ax = plt.subplots()
        >>> kzlib.save_figure(fig, "example")        # doctest: +SKIP
        [PosixPath('.../figures/example.png'), PosixPath('.../figures/example.svg')]
    """
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"figure name {name!r} must be a plain file stem such as 'incidents-by-year'")
    check_labelled(fig, name)
    import matplotlib as mpl

    target = Path(directory) if directory is not None else figures_dir()
    written = []
    with mpl.rc_context({"svg.hashsalt": SVG_HASH_SALT}):
        for fmt, metadata in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, metadata=metadata, bbox_inches="tight")
            path = target / f"{name}.{fmt}"
            write_bytes_atomic(path, buf.getvalue())
            written.append(path)
    return written
