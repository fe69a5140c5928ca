"""analysis.pages.figures and analysis.pages.theme: assert on the traces, colours, labels and annotations, not just that they run."""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from conftest import frame

from analysis.measures import metrics as M
from analysis.pages import figures as F
from analysis.pages import theme


def missiles(rows):
    recs = []
    for i, (date, cls, name, apogee, distance, outcome) in enumerate(rows):
        d = pd.Timestamp(date)
        recs.append(
            {
                "missile_id": f"M{d:%Y%m%d}-{i:02d}",
                "launch_id": f"L{d:%Y-%m-%d}",
                "date_utc": d,
                "date_kst": d,
                "missile_name": name,
                "missile_class": cls,
                "facility": f"Site {i % 3}",
                "latitude": 39.0 + i % 3,
                "longitude": 125.0 + i % 3,
                "apogee_km": apogee,
                "distance_km": distance,
                "outcome": outcome,
                "confirmed": True,
                "cns_threshold": True,
                "source_ids": "src",
            }
        )
    return frame("missile_tests", recs)


@pytest.fixture
def m():
    return missiles(
        [
            ("2016-03-01", "SRBM", "Scud", 100.0, 500.0, "success"),
            ("2016-03-01", "SRBM", "Scud", 90.0, 480.0, "success"),
            ("2016-04-15", "IRBM", "Musudan", None, None, "failure"),
            ("2017-07-04", "ICBM", "Hwasong-14", 2802.0, 933.0, "success"),
            ("2017-11-29", "ICBM", "Hwasong-15", 4475.0, 950.0, "success"),
            ("2019-05-04", "SRBM", "KN-23", 50.0, 240.0, "success"),
            ("2022-03-16", "ICBM", "Hwasong-17", None, None, "failure"),
            ("2022-03-24", "ICBM", "Hwasong-15", 6248.0, 1090.0, "success"),
        ]
    )


@pytest.fixture
def nuclear():
    return frame_of_columns(
        "nuclear_tests",
        {
            "test_id": ["N2016-09-09", "N2017-09-03"],
            "date_utc": pd.to_datetime(["2016-09-09", "2017-09-03"]),
            "date_kst": pd.to_datetime(["2016-09-09", "2017-09-03"]),
            "site": ["Punggye-ri"] * 2,
            "latitude": [41.29, 41.33],
            "longitude": [129.08, 129.03],
            "mb": [5.3, 6.3],
            "yield_kt_low": [10.0, 50.0],
            "yield_kt_high": [20.0, 250.0],
            "dprk_claim": ["Fifth test", "Sixth test"],
            "source_ids": ["a", "b"],
        },
    )


@pytest.fixture
def events():
    return frame_of_columns(
        "diplomatic_events",
        {
            "event_id": [
                "2017-08-08-fire-and-fury",
                "2018-06-12-singapore-summit",
                "2019-02-27-hanoi-summit",
                "2018-04-27-panmunjom-inter-korean-summit",
            ],
            "start_date": pd.to_datetime(["2017-08-08", "2018-06-12", "2019-02-27", "2018-04-27"]),
            "end_date": pd.to_datetime(["2017-08-08", "2018-06-12", "2019-02-28", "2018-04-27"]),
            "kind": pd.Categorical(
                ["statement", "summit", "summit", "summit"], categories=list(theme.EVENT_KIND_COLORS)
            ),
            "parties": ["US", "US;DPRK", "US;DPRK", "ROK;DPRK"],
            "location": ["Washington, DC, US", "Singapore", "Hanoi, Vietnam", "Panmunjom (DMZ)"],
            "title": [
                "Fire and fury",
                "First Trump-Kim summit",
                "Second Trump-Kim summit ends without a deal",
                "Moon and Kim",
            ],
            "outcome": ["Threat", "Joint statement", "No deal", "Declaration"],
            "trump_kim": pd.array([True, True, True, False], dtype="boolean"),
        },
    )


@pytest.fixture
def sanctions():
    return frame_of_columns(
        "sanctions",
        {
            "sanction_id": ["S/RES/2375", "S/RES/2397", "S/RES/2407", "draft-2022-05-26"],
            "resolution": pd.array([2375, 2397, 2407, None], dtype="Int64"),
            "date": pd.to_datetime(["2017-09-11", "2017-12-22", "2018-03-21", "2022-05-26"]),
            "action": pd.Categorical(["adopted", "adopted", "adopted", "vetoed"]),
            "kind": pd.Categorical(["sanctions", "sanctions", "panel_renewal", "sanctions"]),
            "measures": ["Caps oil imports", "Caps refined petroleum", "Renews panel", "Would tighten"],
            "vetoed_by": [None, None, None, "CN;RU"],
            "trigger_test_ids": ["N2017-09-03", "L2017-11-29", None, "L2022-03-24"],
            "source_ids": ["u1", "u2", "u3", "u4"],
        },
    )


def frame_of_columns(table: str, columns: dict) -> pd.DataFrame:
    return frame(table, pd.DataFrame(columns).to_dict("records"))


def traces(fig, name=None):
    return [t for t in fig.data if name is None or t.name == name]


# ---- theme -------------------------------------------------------------------------------------


def test_theme_registers_template_with_fixed_class_colours():
    assert theme.register() == "nk" and "nk" in pio.templates
    assert set(theme.CLASS_COLORS) == set(M.classes())
    assert len(set(theme.CLASS_COLORS.values())) == len(M.classes())  # one colour per class
    assert set(theme.EVENT_KIND_COLORS) >= {"summit", "meeting", "talks", "statement", "intent_to_meet"}
    assert theme.class_color("no such class") == theme.CLASS_COLORS["unknown"]


# ---- notebook 1 --------------------------------------------------------------------------------


def test_tempo_chart_bars_per_class_and_launch_day_line(m):
    fig = F.tempo_chart(m, "YE")
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"SRBM", "IRBM", "ICBM"}
    assert bars["SRBM"].marker.color == theme.CLASS_COLORS["SRBM"]
    assert dict(zip(bars["SRBM"].x, bars["SRBM"].y)) == {2016: 2, 2019: 1}
    line = traces(fig, "Launch days (all classes)")[0]
    assert dict(zip(line.x, line.y))[2016] == 2 and dict(zip(line.x, line.y))[2018] == 0
    assert fig.layout.barmode == "stack" and fig.layout.template.layout.font.family == theme.FONT
    assert "per year" in fig.layout.title.text and "Year" in fig.layout.xaxis.title.text


def test_tempo_chart_monthly_and_partial_period_note(m):
    fig = F.tempo_chart(m, "ME")
    srbm = traces(fig, "SRBM")[0]
    assert list(srbm.customdata) == ["Mar 2016", "May 2019"]  # months without SRBMs carry no bar
    assert "partial" in fig.layout.title.subtitle.text and "2022-03-24" in fig.layout.title.subtitle.text


def test_tempo_chart_labels_the_pause_and_the_summits(m, events):
    gap = M.testing_gaps(m, top=1).iloc[0]
    notes = {a.name: a.text for a in F.tempo_chart(m, "ME", events=events).layout.annotations}
    assert notes["pause-label"] == f"<b>Pause</b><br>{gap['days']} days<br>without a<br>launch"
    # Trump-Kim summits only (not the inter-Korean one, not a statement), named by their place
    assert notes["2018-06-12-singapore-summit"] == "Singapore" and notes["2019-02-27-hanoi-summit"] == "Hanoi"
    assert set(notes) == {"pause-label", "2018-06-12-singapore-summit", "2019-02-27-hanoi-summit"}
    assert not F.tempo_chart(m, "YE", events=events).layout.annotations  # years: no date axis to mark


def test_timeline_lanes_traces_and_key_annotations(m, nuclear, events, sanctions):
    fig = F.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31")
    lanes = list(fig.layout.yaxis.categoryarray)
    assert lanes[::-1][:3] == ["Diplomacy", "UN Security Council", "Nuclear tests"]
    assert set(lanes) >= {"SRBM", "IRBM", "ICBM"}
    icbm = next(t for t in fig.data if t.y and t.y[0] == "ICBM")
    assert icbm.marker.color == theme.CLASS_COLORS["ICBM"] and len(icbm.x) == 4
    srbm = next(t for t in fig.data if t.y and t.y[0] == "SRBM")
    assert srbm.marker.size[0] > srbm.marker.size[-1]  # two missiles on 2016-03-01: a bigger marker
    assert "Scud" in srbm.customdata[0][2]
    # UN lane: the panel renewal is left out, the vetoed draft is its own trace
    assert len(traces(fig, "Sanctions resolution")[0].x) == 2
    assert traces(fig, "Vetoed draft")[0].customdata[0][0] == "Draft vetoed by CN;RU"
    nuke = traces(fig, "Nuclear test")[0]
    assert "Sixth test" in nuke.customdata[1][4] and nuke.marker.color == theme.NUCLEAR_COLOR
    # diplomacy: hover names the event; Trump-Kim events filled, others open
    summit = next(t for t in fig.data if t.name == "Summit" and t.showlegend is not True)
    titles = [c[0] for c in summit.customdata]
    assert "First Trump-Kim summit" in titles
    symbols = dict(zip(titles, summit.marker.symbol))
    assert symbols["First Trump-Kim summit"] == "star" and symbols["Moon and Kim"] == "star-open"
    names = {a.name: a.text for a in fig.layout.annotations}
    assert names["2018-06-12-singapore-summit"] == "Singapore summit<br>2018-06-12"
    assert names["2019-02-27-hanoi-summit"] == "Hanoi summit<br>2019-02-27"
    assert names["N2017-09-03"].startswith("Largest nuclear test<br>2017-09-03")
    assert names["first-icbm"] == "First ICBM flight<br>Hwasong-14, 2017-07-04"
    assert names["pause-start"] == "KN-23, 2019-05-04:<br>last launch for 1047 days"  # the longest gap here
    assert "2018-04-27-panmunjom-inter-korean-summit" not in names and "2017-08-08-fire-and-fury" not in names
    assert any(s.type == "rect" for s in fig.layout.shapes)  # the pause is shaded
    assert names["pause-label"] == "<b>Pause</b>: no launch<br>for 1047 days"


def test_timeline_without_end_runs_to_the_latest_row(m, nuclear, events, sanctions):
    fig = F.timeline(m, nuclear, events, sanctions, "2016-01-01", None)
    assert "to 2022-05-26" in fig.layout.title.text  # the vetoed draft is the latest dated row


def test_fan_keeps_labels_apart_and_inside():
    out = F._fan([0.2, 0.21, 0.22, 0.5])
    assert all(b - a >= 0.12 - 1e-9 for a, b in zip(out, out[1:]))
    assert min(out) >= 0.06 and max(out) <= 0.94
    assert F._fan([0.99])[0] == 0.94


# ---- notebook 2 --------------------------------------------------------------------------------


def test_window_chart(m, events):
    ev = events.iloc[1]
    win, rows = M.event_window(m, ev, 730)
    fig = F.window_chart(win, rows, events)
    icbm = traces(fig, "ICBM")[0]
    assert [pd.Timestamp(x) for x in icbm.x] == [pd.Timestamp("2017-07-04"), pd.Timestamp("2017-11-29")]
    assert icbm.customdata[0][3] == f"{(pd.Timestamp('2018-06-12') - pd.Timestamp('2017-07-04')).days} days before"
    shaded = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(shaded) == 3  # before, after, the event
    texts = [a.text for a in fig.layout.annotations]
    assert f"Before: {win.before_days} launch days, {win.before_missiles} missiles" in texts
    assert any("First Trump-Kim summit" in t for t in texts)
    others = [t for t in fig.data if t.name.startswith("Trump–Kim ")]
    assert others and all(set(t.y) == {"Other Trump–Kim events"} and t.yaxis == "y" for t in others)  # own lane, top
    assert all(t.yaxis == "y2" for t in fig.data if t not in others)  # launches below
    titles = [c[0] for t in others for c in t.customdata]
    assert "First Trump-Kim summit" not in titles and any("Second Trump-Kim" in t for t in titles)
    assert "Moon and Kim" not in titles  # not a Trump-Kim event
    assert fig.layout.title.text.endswith("730 days before and after the Trump–Kim summit in Singapore (12 June 2018)")
    assert fig.layout.meta["description"].startswith(f"730 days before the event, {win.before_days} launch days")


def test_window_chart_without_a_launch_still_spans_its_windows(m, events):
    win, rows = M.event_window(m.iloc[0:0], events.iloc[1], 180)
    fig = F.window_chart(win, rows, events)
    spans = [t for t in fig.data if t.yaxis == "y2"]
    assert len(spans) == 1 and spans[0].hoverinfo == "skip"  # the lower axis has a trace, so its shapes are drawn
    assert [pd.Timestamp(x) for x in spans[0].x] == [win.before[0], win.after[1]]


# ---- notebook 3 --------------------------------------------------------------------------------


def test_capability_chart_log_axis_and_breaks(m):
    fig = F.capability_chart(M.capability_progression(m), "max_apogee_km")
    icbm = traces(fig, "ICBM")[0]
    assert list(icbm.x) == [2017, 2022] and list(icbm.y) == [4475.0, 6248.0]
    assert all(t.mode == "markers" for t in fig.data)  # dots: nothing drawn across 2018-2021
    assert fig.layout.yaxis.type == "log" and "km" in fig.layout.yaxis.title.text
    assert "1,000" in fig.layout.yaxis.ticktext
    with pytest.raises(ValueError, match="^measure:"):
        F.capability_chart(M.capability_progression(m), "speed")


def test_progression_chart_records_and_failures(m):
    p = M.class_progression(m, "ICBM")
    fig = F.progression_chart(p, "ICBM")
    assert list(traces(fig, "Success")[0].y) == [2802.0, 4475.0, 6248.0]
    assert not traces(fig, "Failure")  # the failed flight has no apogee: not drawn, but counted in the title
    assert "1 flight without a reported apogee" in fig.layout.title.text
    records = [a.text for a in fig.layout.annotations]
    assert records == ["Hwasong-14<br>2,802 km", "Hwasong-15<br>4,475 km", "Hwasong-15<br>6,248 km"]
    assert list(traces(fig, "Record so far")[0].y) == [2802.0, 4475.0, 6248.0]


def test_sites_map_geo_settings_and_markers(m, nuclear):
    fig = F.sites_map(M.launch_sites(m), nuclear)
    assert {t.type for t in fig.data} == {"scattergeo"}
    icbm = traces(fig, "ICBM")[0]
    assert icbm.marker.color == theme.CLASS_COLORS["ICBM"] and sum(icbm.customdata[:, 1]) == 4
    geo = fig.layout.geo
    assert geo.resolution == 110 and geo.showcoastlines and geo.showland
    assert geo.scope in (None, "world")  # the exporter supplies world_110m only
    assert geo.lonaxis.range[0] < 125 < 131 < geo.lonaxis.range[1]
    assert traces(fig, "Nuclear test site")[0].marker.symbol == "star"


# ---- notebook 4 --------------------------------------------------------------------------------


def test_nuclear_chart(nuclear):
    fig = F.nuclear_chart(M.nuclear_summary(nuclear))
    assert not [t for t in fig.data if t.type == "bar"]  # mb is logarithmic: no bars from zero
    mb = traces(fig, "Magnitude (mb)")[0]
    assert mb.mode == "markers+text" and list(mb.x) == ["2016-09-09", "2017-09-03"] and list(mb.y) == [5.3, 6.3]
    assert (
        4.5 < fig.layout.yaxis.range[0] < 5.3
        and 6.3 < fig.layout.yaxis.range[1] < 7.2
        and fig.layout.yaxis.title.text == "Magnitude (mb)"
    )
    assert any("30 times the energy" in a.text for a in fig.layout.annotations)
    yields = traces(fig, "Yield range")[0]
    assert yields.y[1] + yields.error_y.array[1] == pytest.approx(250.0, abs=0.1)
    assert yields.y[1] - yields.error_y.arrayminus[1] == pytest.approx(50.0, abs=0.1)
    assert fig.layout.yaxis2.type == "log"


def test_resolution_chart(nuclear, sanctions, m):
    pairs = M.days_to_resolution(sanctions, nuclear, m)
    fig = F.resolution_chart(pairs)
    nuke = traces(fig, "Nuclear test")[0]
    assert list(nuke.x) == [8] and nuke.marker.color == theme.NUCLEAR_COLOR
    assert list(nuke.y) == ["2017-09-03 nuclear test → Res. 2375"]
    vetoed = traces(fig, "Missile launch (draft vetoed)")[0]
    assert vetoed.marker.pattern.shape == "/" and list(vetoed.x) == [63]
    assert "Days from the test" in fig.layout.xaxis.title.text


def test_figures_serialise_without_random_ids(m, nuclear, events, sanctions):
    a = F.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31").to_json()
    b = F.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31").to_json()
    assert a == b and "uid" not in json.loads(a)["data"][0]


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


def test_calibration_chart_lanes_tails_and_text():
    bins = pd.DataFrame(
        {
            "low": [-2.125, -0.125, 1.875],
            "high": [-1.875, 0.125, 2.125],
            "share": [0.05, 0.9, 0.05],
            "tail": [True, False, True],
        }
    )
    marks = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "event": ["the summit in <X> (1 May 2019)", "the talks in Y (2 May 2019)"],
            "before": [0, 0],
            "after": [10, 0],
            "testable": [True, False],
            "score": [2.7, 0.0],
            "p_calibrated": [0.078, float("nan")],
            "at_floor": [True, False],
            "short": ["X · May 2019", "Y · May 2019"],
        }
    )
    fig = F.calibration_chart(bins, marks, 180, "2012", highlight="a")
    bars, tested, untested = fig.data
    assert list(bars.marker.color) == [theme.WINDOW_COLORS["after"], theme.NEUTRAL_BAR, theme.WINDOW_COLORS["after"]]
    assert list(bars.y) == pytest.approx([5, 90, 5]) and list(tested.x) == [2.7] and list(untested.x) == [0.0]
    assert untested.marker.symbol == "circle-open"
    assert fig.layout.xaxis2.ticktext[0] == "1 in 100" and "even" in fig.layout.xaxis2.ticktext
    text = fig.layout.meta["description"]
    assert "beyond a textbook chance of about 1 in 75" in text and "< 7.8% of comparable dates" in text
    assert "The talks in Y (2 May 2019): no launch day before, 0 after, not testable." in text and "<X>" in text


def test_every_chart_describes_itself(m, nuclear, events, sanctions):
    figs = [
        F.tempo_chart(m),
        F.timeline(m, nuclear, events, sanctions, "2016-01-01", "2022-12-31"),
        F.sites_map(M.launch_sites(m), nuclear),
        F.nuclear_chart(M.nuclear_summary(nuclear)),
        F.progression_chart(M.class_progression(m, "ICBM")),
        F.capability_chart(M.capability_progression(m)),
    ]
    for fig in figs:
        text = fig.layout.meta["description"]
        assert len(text) > 40 and "<" not in text, text
    assert figs[0].layout.meta["description"].startswith(f"{len(m)} missiles on {m['date_kst'].nunique()} launch days")
    assert "Labelled: " in figs[1].layout.meta["description"]
    # phones: the timeline keeps the pause label and names the summits by place
    narrow = {a["name"]: a["text"] for a in figs[1].layout.meta["narrow"]["annotations"]}
    assert narrow == {
        "pause-label": "<b>Pause</b>: no launch<br>for 1047 days",
        "2018-06-12-singapore-summit": "Singapore",
        "2019-02-27-hanoi-summit": "Hanoi",
    }
    assert (
        F.describe(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="A")).update_layout(xaxis_title="Year"))
        == "Series: A (2 points). Axes: Year."
    )
