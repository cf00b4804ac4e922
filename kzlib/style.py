"""The house chart style: one colour-blind-safe palette, fixed colours per category.

Colours come from Paul Tol's *muted* scheme (distinct for the common forms of colour
blindness), plus greys. A category keeps its colour in every chapter.

Example:
    >>> from kzlib import style
    >>> style.use()                            # apply the rcParams
    >>> style.colour("network_shutdown")
    '#882255'
"""

from __future__ import annotations

from typing import Any

#: Paul Tol's muted palette, then two greys.
PALETTE: dict[str, str] = {
    "rose": "#CC6677",
    "indigo": "#332288",
    "sand": "#DDCC77",
    "green": "#117733",
    "cyan": "#88CCEE",
    "wine": "#882255",
    "teal": "#44AA99",
    "olive": "#999933",
    "purple": "#AA4499",
    "grey": "#777777",
    "light_grey": "#BBBBBB",
}

_P = PALETTE

#: A fixed colour for every value the charts colour by, across all chapters.
COLOURS: dict[str, str] = {
    # incident categories
    "network_shutdown": _P["wine"],
    "throttling": _P["rose"],
    "platform_block": _P["indigo"],
    "website_block": _P["cyan"],
    "tls_interception": _P["purple"],
    "media_suspension": _P["sand"],
    "domain_withdrawal": _P["olive"],
    "prosecution": _P["teal"],
    "surveillance": _P["green"],
    "legal_dispute": _P["grey"],
    "other": _P["light_grey"],
    # families of legal instruments
    "law": _P["indigo"],
    "executive": _P["teal"],
    "strategy": _P["sand"],
    "draft": _P["light_grey"],
    "court": _P["wine"],
    "international": _P["olive"],
    # countries
    "KAZ": _P["wine"],
    "UZB": _P["teal"],
    "KGZ": _P["sand"],
    "RUS": _P["indigo"],
    # ownership of operators
    "state": _P["wine"],
    "state_controlled": _P["rose"],
    "mixed": _P["sand"],
    "private_domestic": _P["teal"],
    "foreign": _P["indigo"],
    "unknown": _P["light_grey"],
    # operator segments
    "backbone": _P["indigo"],
    "fixed": _P["cyan"],
    "mobile": _P["rose"],
    "satellite": _P["sand"],
    "hosting": _P["green"],
    "ixp": _P["olive"],
}

#: Legal instrument types grouped into the families the charts colour by.
INSTRUMENT_FAMILY: dict[str, str] = {
    "constitution": "law",
    "code": "law",
    "law": "law",
    "amending_law": "law",
    "presidential_decree": "executive",
    "government_resolution": "executive",
    "ministerial_order": "executive",
    "rules": "executive",
    "strategy": "strategy",
    "draft_law": "draft",
    "court_decision": "court",
    "international_agreement": "international",
}

#: Fixed hash salt: SVG element ids are the same on every run.
SVG_HASH_SALT = "kz-internet"

RC: dict[str, Any] = {
    "figure.figsize": (9.0, 5.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 10.5,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "axes.prop_cycle": None,  # filled in use()
    "svg.hashsalt": SVG_HASH_SALT,
    "svg.fonttype": "path",
    "path.simplify": True,
}


def colour(value: str) -> str:
    """The house colour for a category, instrument family, country or segment."""
    return COLOURS.get(value, PALETTE["grey"])


def use() -> None:
    """Apply the house style to matplotlib (idempotent)."""
    import matplotlib as mpl
    from cycler import cycler

    rc = dict(RC)
    rc["axes.prop_cycle"] = cycler(
        color=[
            PALETTE[k] for k in ("indigo", "rose", "teal", "sand", "wine", "cyan", "olive", "purple", "green")
        ]
    )
    mpl.rcParams.update(rc)
