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
    # laws and regulations on timelines of events (apart from the incident categories)
    "legal_measure": "#222222",
    # reactions and statements, drawn apart from restrictions
    "reaction": _P["grey"],
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
    "figure.figsize": (7.0, 4.2),  # a book page's width
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "font.size": 9.0,
    "axes.titlesize": 9.5,  # panel titles; the chart's title is drawn by save_figure
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.0,
    "axes.labelcolor": "#333333",
    "xtick.color": "#555555",
    "ytick.color": "#555555",
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "axes.edgecolor": "#888888",
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
    "svg.fonttype": "none",  # text stays text: editable, searchable, accessible
    "path.simplify": True,
}


#: Human labels for the coded values charts show (anything else: underscores become spaces).
LABELS: dict[str, str] = {
    "network_shutdown": "Network shutdown",
    "throttling": "Throttling",
    "platform_block": "Platform block",
    "website_block": "Website block",
    "tls_interception": "Certificate interception",
    "media_suspension": "Media suspension",
    "domain_withdrawal": "Domain withdrawal",
    "prosecution": "Prosecution",
    "surveillance": "Surveillance",
    "legal_dispute": "Legal dispute",
    "other": "Other",
    "law": "Law",
    "executive": "Decree or order",
    "strategy": "Strategy",
    "draft": "Draft law",
    "court": "Court decision",
    "international": "International agreement",
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "RUS": "Russia",
    "state_controlled": "State-controlled",
    "private_domestic": "Private (domestic)",
    "ixp": "IXP",
    "reaction": "Reaction or statement",
    "legal_measure": "Law or regulation",
}


def label(value: object) -> str:
    """The human label for a coded value.

    Example:
        >>> label("tls_interception"), label("KAZ"), label("fixed_line")
        ('Certificate interception', 'Kazakhstan', 'Fixed line')
    """
    text = str(value)
    return LABELS.get(text) or text.replace("_", " ").capitalize()


def colour(value: str) -> str:
    """The house colour for a category, instrument family, country or segment."""
    return COLOURS.get(value, PALETTE["grey"])


def text_colour(colour: str) -> str:
    """``colour`` darkened until text in it reads on white (for direct labels).

    Example:
        >>> text_colour("#DDCC77"), text_colour("#332288")
        ('#7e7444', '#332288')
    """
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if luminance <= 0.45:
        return colour
    k = 0.45 / luminance
    return "#" + "".join(f"{round(c * k * 255):02x}" for c in (r, g, b))


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
