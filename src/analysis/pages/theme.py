"""One look for every chart: a plotly template ("nk") and fixed colours per missile class and per event kind.

Two palettes that never meet, both safe for colour-blind readers and fixed across every page:
- missile classes: Paul Tol's "muted" scheme (nine hues), always drawn as circles;
- diplomacy: ink, not hue. Each kind has its own marker symbol, and a weight of black to grey (summits, agreements
  and withdrawals black; meetings, talks and exercises dark grey; words and the rest mid grey). Trump-Kim events are
  filled, the others open.
Nuclear tests (a vermillion star) and the Security Council (blue: a triangle per resolution, an x per vetoed
draft) have their own lanes, symbols and hues.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE = "nk"
FONT = "Source Sans Pro, Segoe UI, Helvetica Neue, Arial, sans-serif"
INK = "#222222"
MUTED_INK = "#555555"
GRID = "#E5E5E5"
NEUTRAL_BAR = "#B8B8B8"  # bars that are the background of a chart, not its subject
OUTLINE = "#333333"  # marker edges
TOTAL_LINE = "#000000"  # a total drawn over its parts
PAUSE_FILL = "#999999"  # the longest spell without a launch
MAP = {"coast": MUTED_INK, "land": "#F3F1EC", "ocean": "#EAF2F8", "borders": "#888888", "frame": "#BBBBBB"}

# Paul Tol "muted" (colour-blind safe, 9 categories) + pale grey for unknown.
CLASS_COLORS: dict[str, str] = {
    "SRBM": "#44AA99",  # teal
    "MRBM": "#DDCC77",  # sand
    "IRBM": "#CC6677",  # rose
    "ICBM": "#882255",  # wine
    "SLBM": "#332288",  # indigo
    "SLV": "#88CCEE",  # cyan
    "HGV": "#AA4499",  # purple
    "cruise": "#117733",  # green
    "unknown": "#BBBBBB",  # grey
}

_MAJOR, _WORKING, _WORDS = "#000000", "#3D3D3D", "#767676"
EVENT_KIND_COLORS: dict[str, str] = {
    "summit": _MAJOR,
    "agreement": _MAJOR,
    "withdrawal": _MAJOR,
    "meeting": _WORKING,
    "talks": _WORKING,
    "exercise": _WORKING,
    "intent_to_meet": _WORDS,
    "letter": _WORDS,
    "statement": _WORDS,
    "other": _WORDS,
}
EVENT_KIND_SYMBOLS: dict[str, str] = {
    "summit": "star",
    "agreement": "cross",
    "withdrawal": "bowtie",
    "meeting": "diamond",
    "talks": "square",
    "exercise": "hourglass",
    "intent_to_meet": "star-triangle-up",
    "letter": "triangle-up",
    "statement": "pentagon",
    "other": "hexagon",
}
NUCLEAR_COLOR = "#D55E00"  # vermillion
SANCTIONS_COLOR = "#0072B2"  # Okabe-Ito blue: the Security Council, apart from the diplomacy inks
VETO_COLOR = SANCTIONS_COLOR  # drawn open (x), not filled
MISSILE_COLOR = CLASS_COLORS["SRBM"]  # a missile launch of any class, where classes are not shown
WINDOW_COLORS = {"before": "#56B4E9", "during": "#999999", "after": "#E69F00"}
# Window lengths on the summit overview: one blue ramp, light (short) to dark (long).
WINDOW_LENGTH_COLORS = ["#9ECAE1", "#4292C6", "#08519C", "#08306B"]

# Okabe-Ito hues for the economy and the claims' intensity composite (no missile class there).
GROWTH_COLORS = {"up": "#0072B2", "down": "#D55E00"}
TRADE_COLORS = {
    "trade_total": "#009E73",
    "china_trade_total": "#E69F00",
    "china_exports": "#E69F00",
    "china_imports": "#CC79A7",
}
ECONOMY_MARK_COLORS = {"sanctions": SANCTIONS_COLOR, "border": MUTED_INK}
INTENSITY_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#D55E00", "#CC79A7"]

EVENT_KIND_LABELS = {"intent_to_meet": "intent to meet"}


def class_color(missile_class: str) -> str:
    return CLASS_COLORS.get(str(missile_class), CLASS_COLORS["unknown"])


def kind_color(kind: str) -> str:
    return EVENT_KIND_COLORS.get(str(kind), EVENT_KIND_COLORS["other"])


def kind_symbol(kind: str, filled: bool = True) -> str:
    symbol = EVENT_KIND_SYMBOLS.get(str(kind), EVENT_KIND_SYMBOLS["other"])
    return symbol if filled else symbol + "-open"


def register() -> str:
    """Register the "nk" template (plotly_white with the project's fonts, colours and margins); returns its name."""
    if TEMPLATE in pio.templates:
        return TEMPLATE
    t = go.layout.Template(pio.templates["plotly_white"])
    t.layout.update(
        font=dict(family=FONT, size=14, color=INK),
        title=dict(font=dict(size=19, color=INK), x=0.01, xanchor="left", xref="container", y=0.97, yanchor="top"),
        colorway=list(CLASS_COLORS.values()),
        margin=dict(l=70, r=30, t=80, b=60),
        hoverlabel=dict(font=dict(family=FONT, size=13), bgcolor="white", bordercolor=MUTED_INK),
        legend=dict(font=dict(size=12), bgcolor="rgba(255,255,255,0.8)", itemsizing="constant"),
        xaxis=dict(gridcolor=GRID, linecolor=MUTED_INK, ticks="outside", tickcolor=MUTED_INK, title=dict(standoff=8)),
        yaxis=dict(gridcolor=GRID, linecolor=MUTED_INK, zerolinecolor="#BBBBBB", title=dict(standoff=8)),
        hovermode="closest",
    )
    t.layout.annotationdefaults = dict(font=dict(size=12, color=INK), arrowcolor=MUTED_INK, arrowwidth=1)
    t.data.scatter = [go.Scatter(marker=dict(line=dict(width=0.6, color=OUTLINE)))]
    t.data.bar = [go.Bar(marker=dict(line=dict(width=0)))]
    pio.templates[TEMPLATE] = t
    return TEMPLATE
