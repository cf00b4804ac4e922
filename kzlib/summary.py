"""A plain-text overview of every dataset: rows, columns, and what fills them."""

from __future__ import annotations

import os

from .loading import load, package


def summary(data: str | os.PathLike[str] | None = None) -> str:
    """One block per table: row count, date span, and the commonest categories.

    Example:
        >>> import kzlib
        >>> print(kzlib.summary())                    # doctest: +SKIP
    """
    pkg = package(data)
    out = [f"{pkg.title} (version {pkg.version}): {len(pkg.resources)} tables, all valid", ""]
    for res in pkg.resources:
        df = load(res.name, data)
        out.append(f"{res.name}: {len(df)} rows x {len(df.columns)} columns. {res.description}")
        for f in res.fields:
            col = df[f.name]
            if f.type == "date" and col.notna().any():
                out.append(
                    f"    {f.name}: {col.min():%Y-%m-%d} to {col.max():%Y-%m-%d} ({col.notna().sum()} set)"
                )
            elif f.enum and f.name not in res.primary_key and col.notna().any():
                top = col.value_counts().head(4)
                counts = ", ".join(f"{k} {v}" for k, v in top.items() if v)
                out.append(f"    {f.name}: {counts}")
    return "\n".join(out)
