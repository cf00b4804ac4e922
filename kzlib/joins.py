"""The joins analysts need, done once and tested: incidents with their legal basis,
adoption-to-first-use lags, measures by domain, durations, and records with citations.

Example:
    >>> import kzlib
    >>> basis = kzlib.incident_basis()       # one row per incident x invoked measure
    >>> basis["measure_id"].isna().sum()     # incidents with no stated legal basis  # doctest: +SKIP
"""

from __future__ import annotations

import os

import pandas as pd

from .loading import load

Data = str | os.PathLike[str] | None


def incident_basis(data: Data = None) -> pd.DataFrame:
    """Incidents left-joined to the measures they invoked: one row per (incident, measure);
    incidents with no stated legal basis keep one row with ``measure_id`` missing."""
    inc = load("incidents", data)
    basis = load("incident_legal_basis", data)
    measures = load("legal_measures", data)[
        [
            "measure_id",
            "title_en",
            "instrument_type",
            "adopted_date",
            "adopted_precision",
            "effective_date",
            "effective_precision",
        ]
    ].rename(columns={"title_en": "measure_title"})
    out = inc.merge(basis, on="incident_id", how="left").merge(measures, on="measure_id", how="left")
    return out


def first_use_lag(data: Data = None) -> pd.DataFrame:
    """For each measure that an incident invoked: the date it counts from, the first incident
    invoking it, and the lag in days.

    The lag counts from the entry into force where known, else from adoption
    (``counted_from`` says which). ``lag_precision`` is the coarsest precision of the two
    dates; a negative lag means the first recorded incident came before that date (e.g. a
    plan announced before a rule took effect). ``first_incident_verification`` is the
    verification status of that incident: a lag resting on an unverified claim is weak."""
    basis = incident_basis(data).dropna(subset=["measure_id", "start_date"])
    first = (
        basis.sort_values(["start_date", "incident_id"]).drop_duplicates("measure_id").reset_index(drop=True)
    )
    effective = first["effective_date"].notna()
    start = first["effective_date"].where(effective, first["adopted_date"])
    start_prec = (
        first["effective_precision"].astype("str").where(effective, first["adopted_precision"].astype("str"))
    )
    rank = {"day": 0, "month": 1, "year": 2}
    lag_prec = [
        max(a, b, key=rank.__getitem__) if a in rank and b in rank else None
        for a, b in zip(start_prec, first["start_precision"].astype("str"), strict=True)
    ]
    counts = basis.groupby("measure_id")["incident_id"].nunique()
    out = pd.DataFrame(
        {
            "measure_id": first["measure_id"],
            "measure_title": first["measure_title"],
            "counted_from": pd.array(
                [
                    "effective_date" if e else ("adopted_date" if pd.notna(a) else None)
                    for e, a in zip(effective, first["adopted_date"], strict=True)
                ],
                dtype="str",
            ),
            "in_force_from": start,
            "first_incident_id": first["incident_id"],
            "first_incident_date": first["start_date"],
            "first_incident_verification": first["verification_status"],
            "lag_days": (first["start_date"] - start).dt.days.astype("Int64"),
            "lag_precision": pd.array(lag_prec, dtype="str"),
            "incidents_invoking": counts.reindex(first["measure_id"]).to_numpy(),
        }
    )
    return out.sort_values(["in_force_from", "measure_id"], na_position="last").reset_index(drop=True)


def measure_domains_wide(data: Data = None) -> pd.DataFrame:
    """Legal measures with one boolean column per policy domain (True = the measure touches it)."""
    measures = load("legal_measures", data)
    domains = load("measure_domains", data)
    wide = pd.crosstab(domains["measure_id"], domains["domain"]).astype(bool)
    wide = wide.reindex(columns=domains["domain"].cat.categories, fill_value=False)
    out = measures.merge(wide, left_on="measure_id", right_index=True, how="left")
    for col in wide.columns:
        out[col] = out[col].fillna(False).astype(bool)
    return out


def flag_counts(df: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """Count each tri-state flag as yes / no / unknown (unknown is never folded into no).

    ``columns`` default: every nullable-boolean column of ``df``."""
    cols = columns or [c for c in df.columns if str(df[c].dtype) == "boolean"]
    rows = {
        c: {
            "yes": int(df[c].fillna(False).sum()),  # unknown is not yes
            "no": int((~df[c].fillna(True)).sum()),  # unknown is not no
            "unknown": int(df[c].isna().sum()),
        }
        for c in cols
    }
    return pd.DataFrame.from_dict(rows, orient="index")[["yes", "no", "unknown"]]


def incident_durations(data: Data = None) -> pd.DataFrame:
    """Incidents with ``duration_days`` where both ends are known to the day (else missing):
    a same-day incident counts as 1 day."""
    inc = load("incidents", data)
    exact = (inc["start_precision"] == "day") & (inc["end_precision"] == "day")
    days = (inc["end_date"] - inc["start_date"]).dt.days + 1
    inc["duration_days"] = days.where(exact).astype("Int64")
    return inc


_CITATIONS = {
    "operators": "operator_citations",
    "operator_asns": "asn_citations",
    "legal_measures": "measure_citations",
    "incidents": "incident_citations",
    "seed_claims": "seed_claim_citations",
}


def with_sources(table: str, data: Data = None) -> pd.DataFrame:
    """Every citation of ``table``'s records joined to its source (one row per citation).

    ``table`` is one of operators, operator_asns, legal_measures, incidents, seed_claims."""
    if table not in _CITATIONS:
        raise KeyError(f"{table!r} has no citation table; choose one of {', '.join(_CITATIONS)}")
    cites = _CITATIONS[table]
    sources = load("sources", data)[
        ["source_id", "source_type", "title", "publisher", "published_date", "url"]
    ]
    return load(cites, data).merge(sources, on="source_id", how="left")
