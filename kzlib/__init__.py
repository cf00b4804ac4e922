"""kzlib: load, check and chart the kz-internet data package.

Five minutes with kzlib::

    import kzlib
    kzlib.list_datasets()                 # the tables
    incidents = kzlib.load("incidents")   # typed, validated, your own copy
    kzlib.load_legal_measures()           # one loader per table, documented
    kzlib.cite("inc-2022-01-05-nationwide-blackout")   # where a record comes from
    kzlib.cite("inc-2022-01-05-nationwide-blackout", format="bibtex")  # its sources for LaTeX
    kzlib.bibliography("csl-json")        # every source and the package, for Zotero or pandoc
    kzlib.validate()                      # every rule; raises kzlib.DataError
    kzlib.incident_basis()                # incidents joined to the laws they invoked

Charts::

    fig = kzlib.plots.category_by_year(incidents, "start_date", "category")
    kzlib.save_figure(fig, "03-incidents-by-year",          # figures/03-...png + .svg
        title="Restrictions peaked in the years of protest",  # the finding
        subtitle="Documented incidents per year by category, 1999-2026",
        credit="Data: Freedom House; OONI; NetBlocks",      # who produced the numbers
        alt_text="Stacked bars of incidents per year ...")  # 60+ characters, main number
    kzlib.timeline.timeline(events)          # one-page timeline of key laws and incidents
    kzlib.maps.incident_map({"KZ-75": 12})   # incidents by region (ISO 3166-2:KZ)
    kzlib.write_gallery()                    # README gallery from figures/figures.csv

The same from a shell: ``kzlib list | describe NAME | validate | cite ID | bib | reproduce``.

``import kzlib`` is cheap: pandas is imported on the first load, matplotlib and seaborn
on the first chart.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .descriptor import list_datasets
from .paths import data_dir
from .problems import DataError, Problem
from .validation import validate

if TYPE_CHECKING:
    from . import catalogue, maps, plots, style, timeline
    from .cite import cite
    from .datasets import (
        LOADERS,
        load_asn_citations,
        load_coverage_anchors,
        load_errata,
        load_incident_citations,
        load_incident_legal_basis,
        load_incident_operators,
        load_incident_regions,
        load_incident_targets,
        load_incidents,
        load_indicators,
        load_legal_measures,
        load_measure_citations,
        load_measure_domains,
        load_measure_powers,
        load_operator_aliases,
        load_operator_asns,
        load_operator_citations,
        load_operator_ownership,
        load_operators,
        load_reaction_citations,
        load_reactions,
        load_regions,
        load_seed_claim_citations,
        load_seed_claim_records,
        load_seed_claims,
        load_sources,
    )
    from .figures import save_figure
    from .gallery import write_gallery
    from .joins import (
        first_use_lag,
        flag_counts,
        incident_basis,
        incident_durations,
        incidents_by_region,
        measure_domains_wide,
        measure_powers_table,
        owners_on,
        reactions_to_incidents,
        short_titles,
        with_sources,
    )
    from .loading import load, package
    from .references import bibliography
    from .summary import summary

__version__ = "0.1.0"

#: public name -> module that defines it; imported on first use (PEP 562)
_LAZY: dict[str, str] = {
    "load": "loading",
    "package": "loading",
    "cite": "cite",
    "bibliography": "references",
    "summary": "summary",
    "save_figure": "figures",
    "write_gallery": "gallery",
    "first_use_lag": "joins",
    "flag_counts": "joins",
    "incident_basis": "joins",
    "incident_durations": "joins",
    "measure_domains_wide": "joins",
    "measure_powers_table": "joins",
    "owners_on": "joins",
    "incidents_by_region": "joins",
    "reactions_to_incidents": "joins",
    "short_titles": "joins",
    "with_sources": "joins",
    "LOADERS": "datasets",
    **{
        f"load_{name}": "datasets"
        for name in (
            "sources",
            "operators",
            "operator_aliases",
            "operator_asns",
            "operator_citations",
            "asn_citations",
            "legal_measures",
            "measure_domains",
            "measure_citations",
            "incidents",
            "incident_operators",
            "incident_legal_basis",
            "incident_targets",
            "incident_citations",
            "indicators",
            "seed_claims",
            "seed_claim_records",
            "seed_claim_citations",
            "errata",
            "regions",
            "operator_ownership",
            "measure_powers",
            "incident_regions",
            "reactions",
            "reaction_citations",
            "coverage_anchors",
        )
    },
}
_MODULES = ("catalogue", "maps", "plots", "style", "timeline")


def __getattr__(name: str) -> Any:
    """Import the pandas- and matplotlib-backed parts on first use."""
    if name in _MODULES:
        value: Any = importlib.import_module(f"{__name__}.{name}")
    elif name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    else:
        raise AttributeError(f"module 'kzlib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "LOADERS",
    "DataError",
    "Problem",
    "bibliography",
    "catalogue",
    "cite",
    "data_dir",
    "first_use_lag",
    "flag_counts",
    "incident_basis",
    "incident_durations",
    "incidents_by_region",
    "list_datasets",
    "load",
    "load_asn_citations",
    "load_coverage_anchors",
    "load_errata",
    "load_incident_citations",
    "load_incident_legal_basis",
    "load_incident_operators",
    "load_incident_regions",
    "load_incident_targets",
    "load_incidents",
    "load_indicators",
    "load_legal_measures",
    "load_measure_citations",
    "load_measure_domains",
    "load_measure_powers",
    "load_operator_aliases",
    "load_operator_asns",
    "load_operator_citations",
    "load_operator_ownership",
    "load_operators",
    "load_reaction_citations",
    "load_reactions",
    "load_regions",
    "load_seed_claim_citations",
    "load_seed_claim_records",
    "load_seed_claims",
    "load_sources",
    "maps",
    "measure_domains_wide",
    "measure_powers_table",
    "owners_on",
    "package",
    "plots",
    "reactions_to_incidents",
    "save_figure",
    "short_titles",
    "style",
    "summary",
    "timeline",
    "validate",
    "with_sources",
    "write_gallery",
]
