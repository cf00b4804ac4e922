"""One loader per table, ``load_<name>()``, documented from the descriptor.

Each is ``load(name)`` with the table's columns in its docstring (generated at import from
``data/datapackage.json``, so the docs never drift from the data).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pandas as pd

from .descriptor import read_package
from .loading import load
from .paths import data_dir

Loader = Callable[..., pd.DataFrame]


def _doc(name: str) -> str:
    try:
        res = read_package(data_dir()).resource(name)
    except (OSError, KeyError, ValueError):
        return f"Load the ``{name}`` table (see data/README.md)."
    lines = [f"Load the ``{name}`` table: {res.description}", "", "Columns:"]
    for f in res.fields:
        kind = f.type + (" (" + ", ".join(f.enum) + ")" if f.enum else "")
        lines.append(f"    {f.name} [{kind}]: {f.description}")
    lines += ["", f"Same as ``kzlib.load({name!r}, data)``; see :func:`kzlib.load`."]
    return "\n".join(lines)


def _loader(name: str) -> Loader:
    def loader(data: str | os.PathLike[str] | None = None) -> pd.DataFrame:
        return load(name, data)

    loader.__name__ = loader.__qualname__ = f"load_{name}"
    loader.__doc__ = _doc(name)
    return loader


load_sources = _loader("sources")
load_regions = _loader("regions")
load_operators = _loader("operators")
load_operator_aliases = _loader("operator_aliases")
load_operator_ownership = _loader("operator_ownership")
load_operator_asns = _loader("operator_asns")
load_operator_citations = _loader("operator_citations")
load_asn_citations = _loader("asn_citations")
load_legal_measures = _loader("legal_measures")
load_measure_domains = _loader("measure_domains")
load_measure_powers = _loader("measure_powers")
load_measure_citations = _loader("measure_citations")
load_incidents = _loader("incidents")
load_incident_operators = _loader("incident_operators")
load_incident_legal_basis = _loader("incident_legal_basis")
load_incident_targets = _loader("incident_targets")
load_incident_regions = _loader("incident_regions")
load_incident_citations = _loader("incident_citations")
load_reactions = _loader("reactions")
load_reaction_citations = _loader("reaction_citations")
load_indicators = _loader("indicators")
load_coverage_anchors = _loader("coverage_anchors")
load_seed_claims = _loader("seed_claims")
load_seed_claim_records = _loader("seed_claim_records")
load_seed_claim_citations = _loader("seed_claim_citations")
load_errata = _loader("errata")

LOADERS: dict[str, Loader] = {
    f.__name__.removeprefix("load_"): f
    for f in (
        load_sources,
        load_regions,
        load_operators,
        load_operator_aliases,
        load_operator_ownership,
        load_operator_asns,
        load_operator_citations,
        load_asn_citations,
        load_legal_measures,
        load_measure_domains,
        load_measure_powers,
        load_measure_citations,
        load_incidents,
        load_incident_operators,
        load_incident_legal_basis,
        load_incident_targets,
        load_incident_regions,
        load_incident_citations,
        load_reactions,
        load_reaction_citations,
        load_indicators,
        load_coverage_anchors,
        load_seed_claims,
        load_seed_claim_records,
        load_seed_claim_citations,
        load_errata,
    )
}
