"""analysis.pages.theme: the template and the two palettes that never meet."""

from __future__ import annotations

import math

import plotly.io as pio

from analysis.measures import counts
from analysis.pages import theme


def test_theme_registers_template_with_fixed_class_colours():
    assert theme.register() == "nk" and "nk" in pio.templates
    assert set(theme.CLASS_COLORS) == set(counts.classes())
    assert len(set(theme.CLASS_COLORS.values())) == len(counts.classes())  # one colour per class
    assert set(theme.EVENT_KIND_COLORS) >= {"summit", "meeting", "talks", "statement", "intent_to_meet"}
    assert theme.class_color("no such class") == theme.CLASS_COLORS["unknown"]


def _lab(hex_colour: str) -> tuple[float, float, float]:
    """sRGB hex to CIE L*a*b* (D65)."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    xyz = [
        sum(w * c for w, c in zip(row, lin))
        for row in ((0.4124, 0.3576, 0.1805), (0.2126, 0.7152, 0.0722), (0.0193, 0.1192, 0.9505))
    ]
    f = [
        (v / n) ** (1 / 3) if v / n > 0.008856 else 7.787 * v / n + 16 / 116 for v, n in zip(xyz, (0.9505, 1.0, 1.089))
    ]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def test_palettes_cover_the_schema_vocabulary():
    from analysis import settings
    from analysis.data import schema

    tables = schema.tables(settings.DATAPACKAGE)
    assert (
        set(theme.EVENT_KIND_COLORS)
        == set(theme.EVENT_KIND_SYMBOLS)
        == set(tables["diplomatic_events"].field("kind").enum)
    )
    assert set(theme.CLASS_COLORS) == set(tables["missile_tests"].field("missile_class").enum)


def test_class_and_diplomacy_palettes_never_meet():
    # every diplomacy ink differs from every class colour by a clearly visible step (CIE76 distance > 20)
    for kind, k in theme.EVENT_KIND_COLORS.items():
        for cls, c in theme.CLASS_COLORS.items():
            assert math.dist(_lab(k), _lab(c)) > 20, (kind, cls)
    assert len(set(theme.EVENT_KIND_SYMBOLS.values())) == len(theme.EVENT_KIND_SYMBOLS)  # a symbol per kind
    assert "circle" not in theme.EVENT_KIND_SYMBOLS.values()  # circles are missiles
    for other in (theme.SANCTIONS_COLOR, theme.NUCLEAR_COLOR):  # the UN and nuclear lanes have hues of their own
        assert (
            min(
                math.dist(_lab(other), _lab(c))
                for c in [*theme.EVENT_KIND_COLORS.values(), *theme.CLASS_COLORS.values()]
            )
            > 20
        )
