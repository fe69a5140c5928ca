"""analysis.figures and analysis.theme: assert on the traces, colours, labels and annotations, not just that they run."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio
import pytest

from analysis import figures as F
from analysis import metrics as M
from analysis import theme

CLASSES = pd.CategoricalDtype(M.CLASSES)


def missiles(rows):
    recs = []
    for i, (date, cls, name, apogee, distance, outcome) in enumerate(rows):
        d = pd.Timestamp(date)
        recs.append({"missile_id": f"M{d:%Y%m%d}-{i:02d}", "launch_id": f"L{d:%Y-%m-%d}", "date_utc": d, "date_kst": d,
                     "missile_name": name, "missile_class": cls, "facility": f"Site {i % 3}", "latitude": 39.0 + i % 3,
                     "longitude": 125.0 + i % 3, "apogee_km": apogee, "distance_km": distance, "outcome": outcome,
                     "confirmed": True, "cns_threshold": True, "source_ids": "src"})
    df = pd.DataFrame(recs)
    df["missile_class"] = df["missile_class"].astype(CLASSES)
    df["outcome"] = df["outcome"].astype(pd.CategoricalDtype(["success", "failure", "unknown"]))
    df["confirmed"] = df["confirmed"].astype("boolean")
    df["cns_threshold"] = df["cns_threshold"].astype("boolean")
    return df


@pytest.fixture
def m():
    return missiles([
        ("2016-03-01", "SRBM", "Scud", 100.0, 500.0, "success"),
        ("2016-03-01", "SRBM", "Scud", 90.0, 480.0, "success"),
        ("2016-04-15", "IRBM", "Musudan", None, None, "failure"),
        ("2017-07-04", "ICBM", "Hwasong-14", 2802.0, 933.0, "success"),
        ("2017-11-29", "ICBM", "Hwasong-15", 4475.0, 950.0, "success"),
        ("2019-05-04", "SRBM", "KN-23", 50.0, 240.0, "success"),
        ("2022-03-16", "ICBM", "Hwasong-17", None, None, "failure"),
        ("2022-03-24", "ICBM", "Hwasong-15", 6248.0, 1090.0, "success"),
    ])


@pytest.fixture
def nuclear():
    return pd.DataFrame({
        "test_id": ["N2016-09-09", "N2017-09-03"], "date_utc": pd.to_datetime(["2016-09-09", "2017-09-03"]),
        "date_kst": pd.to_datetime(["2016-09-09", "2017-09-03"]), "site": ["Punggye-ri"] * 2,
        "latitude": [41.29, 41.33], "longitude": [129.08, 129.03], "mb": [5.3, 6.3], "yield_kt_low": [10.0, 50.0],
        "yield_kt_high": [20.0, 250.0], "dprk_claim": ["Fifth test", "Sixth test"], "source_ids": ["a", "b"],
    })


@pytest.fixture
def events():
    return pd.DataFrame({
        "event_id": ["2017-08-08-fire-and-fury", "2018-06-12-singapore-summit", "2019-02-27-hanoi-summit",
                     "2018-04-27-panmunjom-inter-korean-summit"],
        "start_date": pd.to_datetime(["2017-08-08", "2018-06-12", "2019-02-27", "2018-04-27"]),
        "end_date": pd.to_datetime(["2017-08-08", "2018-06-12", "2019-02-28", "2018-04-27"]),
        "kind": pd.Categorical(["statement", "summit", "summit", "summit"], categories=list(theme.EVENT_KIND_COLORS)),
        "parties": ["US", "US;DPRK", "US;DPRK", "ROK;DPRK"], "location": ["x"] * 4,
        "title": ["Fire and fury", "First Trump-Kim summit", "Second Trump-Kim summit ends without a deal", "Moon and Kim"],
        "outcome": ["Threat", "Joint statement", "No deal", "Declaration"],
        "trump_kim": pd.array([True, True, True, False], dtype="boolean"),
    })


@pytest.fixture
def sanctions():
    return pd.DataFrame({
        "sanction_id": ["S/RES/2375", "S/RES/2397", "S/RES/2407", "draft-2022-05-26"],
        "resolution": pd.array([2375, 2397, 2407, None], dtype="Int64"),
        "date": pd.to_datetime(["2017-09-11", "2017-12-22", "2018-03-21", "2022-05-26"]),
        "action": pd.Categorical(["adopted", "adopted", "adopted", "vetoed"]),
        "kind": pd.Categorical(["sanctions", "sanctions", "panel_renewal", "sanctions"]),
        "measures": ["Caps oil imports", "Caps refined petroleum", "Renews panel", "Would tighten"],
        "vetoed_by": [None, None, None, "CN;RU"],
        "trigger_test_ids": ["N2017-09-03", "L2017-11-29", None, "L2022-03-24"],
        "source_ids": ["u1", "u2", "u3", "u4"],
    })


def traces(fig, name=None):
    return [t for t in fig.data if name is None or t.name == name]


# ---- theme -------------------------------------------------------------------------------------


def test_theme_registers_template_with_fixed_class_colours():
    assert theme.register() == "nk" and "nk" in pio.templates
    assert set(theme.CLASS_COLORS) == set(M.CLASSES)
    assert len(set(theme.CLASS_COLORS.values())) == len(M.CLASSES)  # one colour per class
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
    with pytest.raises(ValueError, match="^freq:"):
        F.tempo_chart(m, "M")


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
    summit = next(t for t in fig.data if t.name == "Summit" and not t.showlegend is True)
    titles = [c[0] for c in summit.customdata]
    assert "First Trump-Kim summit" in titles
    symbols = dict(zip(titles, summit.marker.symbol))
    assert symbols["First Trump-Kim summit"] == "circle" and symbols["Moon and Kim"] == "circle-open"
    names = {a.name: a.text for a in fig.layout.annotations}
    assert names["2018-06-12-singapore-summit"] == "Singapore summit<br>2018-06-12"
    assert names["2019-02-27-hanoi-summit"] == "Hanoi summit<br>2019-02-27"
    assert names["N2017-09-03"].startswith("Largest nuclear test<br>2017-09-03")
    assert names["first-icbm"] == "First ICBM flight<br>Hwasong-14, 2017-07-04"
    assert names["pause-start"] == "KN-23, 2019-05-04:<br>last launch for 1047 days"  # the longest gap here
    assert any(s.type == "rect" for s in fig.layout.shapes)  # the pause is shaded


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
    others = traces(fig, "Other Trump–Kim events")[0]
    titles = [c[0] for c in others.customdata]
    assert "First Trump-Kim summit" not in titles and any("Second Trump-Kim" in t for t in titles)
    assert "Moon and Kim" not in titles  # not a Trump-Kim event
    assert "730 days before and after" in fig.layout.title.text


# ---- notebook 3 --------------------------------------------------------------------------------


def test_capability_chart_log_axis_and_breaks(m):
    fig = F.capability_chart(M.capability_progression(m), "max_apogee_km")
    icbm = traces(fig, "ICBM")[0]
    assert list(icbm.x) == [2017, 2018, 2019, 2020, 2021, 2022]
    assert icbm.y[0] == 4475.0 and pd.isna(icbm.y[1])  # no ICBM in 2018: the line breaks
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
    bars = [t for t in fig.data if t.type == "bar"][0]
    assert list(bars.x) == ["2016-09-09", "2017-09-03"] and list(bars.y) == [5.3, 6.3]
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
