"""The joins analysts need, done once and tested: incidents with their legal basis,
adoption-to-first-use lags, measures by domain and by power, durations in hours or days,
who owned an operator on a date, incidents by region, reactions, and records with citations.

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
    """Incidents with their duration, in hours where the sources give clock times, else in days.

    Added columns:

    - ``duration_hours``: ``end_utc - start_utc`` in hours, where both times are recorded;
    - ``duration_days``: where both dates are known to the day (a same-day incident counts as
      1 day), else missing;
    - ``duration_basis``: ``"hours"`` (clock times), ``"days"`` (day-precise dates) or missing
      (no duration can be computed: an end or a precise date is missing);
    - ``duration_precision``: for hours, the coarser of the two times' precisions (``hour`` or
      ``minute``); for days, ``day``.

    Example:
        >>> d = incident_durations()
        >>> d.loc[d["duration_basis"] == "hours", ["short_title", "duration_hours"]]  # doctest: +SKIP
    """
    inc = load("incidents", data)
    exact = (inc["start_precision"] == "day") & (inc["end_precision"] == "day")
    days = (inc["end_date"] - inc["start_date"]).dt.days + 1
    inc["duration_days"] = days.where(exact).astype("Int64")
    start = pd.to_datetime(inc["start_utc"], utc=True)
    end = pd.to_datetime(inc["end_utc"], utc=True)
    hours = (end - start).dt.total_seconds() / 3600
    inc["duration_hours"] = pd.array(hours.round(2), dtype="Float64")
    timed = inc["duration_hours"].notna()
    basis = pd.Series(pd.NA, index=inc.index, dtype="str")
    basis[exact] = "days"
    basis[timed] = "hours"
    inc["duration_basis"] = basis
    rank = {"minute": 0, "hour": 1}
    prec = [
        (max(a, b, key=rank.__getitem__) if t else ("day" if e else None))
        for a, b, t, e in zip(
            inc["start_utc_precision"].astype("str"),
            inc["end_utc_precision"].astype("str"),
            timed,
            exact,
            strict=True,
        )
    ]
    inc["duration_precision"] = pd.array(prec, dtype="str")
    return inc


def owners_on(when: str | pd.Timestamp, data: Data = None) -> pd.DataFrame:
    """Ownership links that held on a date, as far as their recorded dates show.

    A link counts when the date falls between its start and end. Where one end is not
    recorded, the link is kept and ``basis`` says so, so that a reader can weigh it:

    - ``"dated"``: start on or before ``when`` and end on or after it (or both recorded);
    - ``"end not recorded"``: started on or before ``when``; no source gives an end;
    - ``"start not recorded"``: ended on or after ``when``; no source gives a start.

    Holdings that sources report only at one date (``as_of``: a shareholder list or a
    filing) are left out: read them from ``operator_ownership`` with their ``as_of`` date.

    Example:
        >>> owners_on("2022-01-05")[["short_title", "owner_name", "share_pct", "basis"]]  # doctest: +SKIP
    """
    when = pd.Timestamp(when)
    own = load("operator_ownership", data)
    has_start, has_end = own["start_date"].notna(), own["end_date"].notna()
    began = has_start & (own["start_date"] <= when)
    lasting = has_end & (own["end_date"] >= when)
    keep = (began & (lasting | ~has_end)) | (~has_start & lasting)
    basis = pd.Series("dated", index=own.index, dtype="str")
    basis[began & ~has_end] = "end not recorded"
    basis[~has_start & lasting] = "start not recorded"
    names = load("operators", data)[["operator_id", "short_title"]]
    out = own.assign(basis=basis)[keep].merge(names, on="operator_id", how="left")
    return out.sort_values(["operator_id", "owner_name"]).reset_index(drop=True)


def measure_powers_table(data: Data = None) -> pd.DataFrame:
    """Each power a legal measure grants, with whether it needs a court order, next to the
    measure's short title, instrument and dates (one row per measure x power)."""
    measures = load("legal_measures", data)[
        [
            "measure_id",
            "short_title",
            "instrument_type",
            "adopted_date",
            "adopted_precision",
            "effective_date",
            "effective_precision",
            "status",
        ]
    ]
    return load("measure_powers", data).merge(measures, on="measure_id", how="left")


def incidents_by_region(data: Data = None) -> pd.DataFrame:
    """How many incidents each region (ISO 3166-2:KZ) saw, with its name and kind; regions with
    none are kept with a count of 0. Nationwide incidents have no region rows and are not
    counted here."""
    regions = load("regions", data)[["region_code", "name_en", "kind"]]
    links = load("incident_regions", data)
    counts = links.groupby("region_code", observed=True)["incident_id"].nunique()
    out = regions.assign(incidents=regions["region_code"].map(counts).fillna(0).astype("Int64"))
    return out.sort_values(["incidents", "region_code"], ascending=[False, True]).reset_index(drop=True)


def reactions_to_incidents(data: Data = None) -> pd.DataFrame:
    """Reactions (statements, justifications, letters, reports, technical countermeasures) with
    the short title, category and start of the incident each responds to."""
    inc = load("incidents", data)[["incident_id", "short_title", "category", "start_date", "event_label"]]
    inc = inc.rename(columns={"short_title": "incident_title", "start_date": "incident_start"})
    return load("reactions", data).merge(inc, on="incident_id", how="left")


def short_titles(data: Data = None) -> dict[str, str]:
    """Every incident, legal measure and operator id mapped to its short human title, for
    labelling charts and tables (a reader never sees an id).

    Example:
        >>> short_titles()["op-kcell"]  # doctest: +SKIP
        'Kcell'
    """
    out: dict[str, str] = {}
    for table, key in (
        ("incidents", "incident_id"),
        ("legal_measures", "measure_id"),
        ("operators", "operator_id"),
    ):
        df = load(table, data)
        out.update(zip(df[key], df["short_title"], strict=True))
    return out


_CITATIONS = {
    "operators": "operator_citations",
    "operator_asns": "asn_citations",
    "legal_measures": "measure_citations",
    "incidents": "incident_citations",
    "reactions": "reaction_citations",
    "seed_claims": "seed_claim_citations",
}


def with_sources(table: str, data: Data = None) -> pd.DataFrame:
    """Every citation of ``table``'s records joined to its source (one row per citation).

    ``table`` is one of operators, operator_asns, legal_measures, incidents, reactions, seed_claims."""
    if table not in _CITATIONS:
        raise KeyError(f"{table!r} has no citation table; choose one of {', '.join(_CITATIONS)}")
    cites = _CITATIONS[table]
    sources = load("sources", data)[
        ["source_id", "source_type", "title", "publisher", "published_date", "url"]
    ]
    return load(cites, data).merge(sources, on="source_id", how="left")
