"""kzlib: load, check and chart the kz-internet data package.

Five minutes with kzlib::

    import kzlib
    kzlib.list_datasets()                 # the tables
    incidents = kzlib.load("incidents")   # typed, validated, your own copy
    kzlib.load_legal_measures()           # one loader per table, documented
    kzlib.cite("inc-2022-01-05-national-blackout")   # where a record comes from
    kzlib.validate()                      # every rule; raises kzlib.DataError

Charts (matplotlib and seaborn are imported only when you use them)::

    fig = kzlib.plots.category_by_year(incidents, "category")
    kzlib.save_figure(fig, "incidents-by-year")   # figures/incidents-by-year.png + .svg

The same from a shell: ``kzlib list | describe NAME | validate | cite ID | reproduce``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .cite import cite
from .datasets import (
    LOADERS,
    load_asn_citations,
    load_errata,
    load_incident_citations,
    load_incident_legal_basis,
    load_incident_operators,
    load_incident_targets,
    load_incidents,
    load_indicators,
    load_legal_measures,
    load_measure_citations,
    load_measure_domains,
    load_operator_aliases,
    load_operator_asns,
    load_operator_citations,
    load_operators,
    load_seed_claim_citations,
    load_seed_claim_records,
    load_seed_claims,
    load_sources,
)
from .loading import list_datasets, load, package
from .paths import data_dir
from .problems import DataError, Problem
from .summary import summary
from .validation import validate

if TYPE_CHECKING:
    from . import plots, style
    from .figures import save_figure

__version__ = "0.1.0"

_LAZY = {"plots": "kzlib.plots", "style": "kzlib.style", "save_figure": "kzlib.figures"}


def __getattr__(name: str) -> Any:
    """Import the charting modules on first use, keeping ``import kzlib`` fast."""
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        value = getattr(module, name) if name == "save_figure" else module
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kzlib' has no attribute {name!r}")


__all__ = [
    "LOADERS",
    "DataError",
    "Problem",
    "cite",
    "data_dir",
    "list_datasets",
    "load",
    "load_asn_citations",
    "load_errata",
    "load_incident_citations",
    "load_incident_legal_basis",
    "load_incident_operators",
    "load_incident_targets",
    "load_incidents",
    "load_indicators",
    "load_legal_measures",
    "load_measure_citations",
    "load_measure_domains",
    "load_operator_aliases",
    "load_operator_asns",
    "load_operator_citations",
    "load_operators",
    "load_seed_claim_citations",
    "load_seed_claim_records",
    "load_seed_claims",
    "load_sources",
    "package",
    "plots",
    "save_figure",
    "style",
    "summary",
    "validate",
]
