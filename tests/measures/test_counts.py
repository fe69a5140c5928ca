"""analysis.measures.metrics on small synthetic frames: counts, gaps, windows, the exact rate-ratio test, progressions, sanctions."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import frame

from analysis.measures import metrics as M


def missiles(rows: list[tuple]) -> pd.DataFrame:
    """rows: (date_kst, class, name[, apogee, distance, cns, confirmed, outcome]); one row per missile."""
    recs = []
    for i, r in enumerate(rows):
        date, cls, name, apogee, distance, cns, confirmed, outcome = (
            list(r) + [None, None, True, True, "success"][len(r) - 3 :]
        )[:8]
        d = pd.Timestamp(date)
        recs.append(
            {
                "missile_id": f"M{d:%Y%m%d}-{i:02d}",
                "launch_id": f"L{d:%Y-%m-%d}",
                "date_utc": d,
                "date_kst": d,
                "missile_name": name,
                "missile_class": cls,
                "facility": "Site A" if i % 2 else "Site B",
                "latitude": 39.0 + (i % 2),
                "longitude": 125.0 + (i % 2),
                "apogee_km": apogee,
                "distance_km": distance,
                "outcome": outcome,
                "confirmed": confirmed,
                "cns_threshold": cns,
                "source_ids": "src-a",
            }
        )
    return frame("missile_tests", recs)


def event(eid="2018-06-12-x", start="2018-06-12", end=None, kind="summit") -> pd.Series:
    return pd.Series(
        {
            "event_id": eid,
            "start_date": pd.Timestamp(start),
            "end_date": pd.Timestamp(end or start),
            "kind": kind,
            "title": "Test summit",
            "location": "Somewhere",
            "parties": "US;DPRK",
            "outcome": "Nothing",
            "trump_kim": True,
        }
    )


@pytest.fixture
def m() -> pd.DataFrame:
    return missiles(
        [
            ("2016-03-01", "SRBM", "Scud", 100.0, 500.0),
            ("2016-03-01", "SRBM", "Scud", 90.0, 480.0),
            ("2016-03-01", "SRBM", "Scud", None, None),
            ("2016-09-05", "MRBM", "Nodong", 200.0, 1000.0),
            ("2017-07-04", "ICBM", "Hwasong-14", 2800.0, 930.0),
            ("2017-07-28", "ICBM", "Hwasong-14", 3700.0, 1000.0),
            ("2017-11-29", "ICBM", "Hwasong-15", 4475.0, 950.0),
            ("2019-04-17", "SRBM", "Unknown", None, None, True, False),
            ("2019-05-04", "SRBM", "KN-23", 50.0, 240.0),
            ("2019-05-04", "cruise", "Cruise", None, None, False),
            ("2020-06-01", "SRBM", "KN-25", None, None),
            ("2021-06-01", "SRBM", "KN-25", None, None),
            ("2022-03-24", "ICBM", "Hwasong-15", 6248.0, 1090.0),
            ("2022-05-04", "ICBM", "Unknown", 780.0, 470.0, True, True, "failure"),
        ]
    )


# ---- lookups ------------------------------------------------------------------------------------


def test_event_row():
    events = pd.DataFrame([event("2018-06-12-singapore-summit")])
    assert M.event_row("2018-06-12-singapore-summit", events)["title"] == "Test summit"
    with pytest.raises(ValueError, match=r"^event_id: 'x' is not an event in diplomatic_events.csv$"):
        M.event_row("x", events)


# ---- tempo ------------------------------------------------------------------------------------


def test_year_table_counts_missiles_launch_days_and_classes(m):
    t = M.year_table(M.select_missiles(m))
    assert t.loc[2016].to_dict() == {"missiles": 4, "launch_days": 2, "SRBM": 3, "MRBM": 1, "ICBM": 0}
    assert t.loc[2017, "ICBM"] == 3 and t.loc[2017, "launch_days"] == 3
    assert t.loc[2018].sum() == 0  # zero-filled year
    assert t.loc[2019, "missiles"] == 2  # the cruise missile is outside the CNS criterion
    assert "cruise" not in t.columns
    assert list(t.index) == list(range(2016, 2023))


def test_per_period_by_class_zero_fills_and_counts_days(m):
    long = M.per_period_by_class(M.select_missiles(m, cns_threshold_only=False), "YE")
    row = long[(long["period"] == pd.Timestamp("2019-12-31")) & (long["missile_class"] == "cruise")].iloc[0]
    assert (row["missiles"], row["launch_days"]) == (1, 1)
    assert long[long["missile_class"] == "MRBM"]["missiles"].tolist() == [1, 0, 0, 0, 0, 0, 0]


def test_testing_gaps_longest_first_with_confirmation(m):
    gaps = M.testing_gaps(M.select_missiles(m), top=2)
    g = gaps.iloc[0]
    assert (g["last_launch"], g["next_launch"]) == (pd.Timestamp("2017-11-29"), pd.Timestamp("2019-04-17"))
    assert g["days"] == (pd.Timestamp("2019-04-17") - pd.Timestamp("2017-11-29")).days
    # the launch after the gap is unconfirmed: the first confirmed one is 2019-05-04
    assert g["next_confirmed"] == pd.Timestamp("2019-05-04")
    assert gaps["days"].is_monotonic_decreasing and len(gaps) == 2


def test_tempo_findings_mention_unconfirmed_restart(m):
    text = "\n".join(
        M.tempo_findings(
            M.select_missiles(m),
            pd.DataFrame(
                {
                    "date_kst": [pd.Timestamp("2017-09-03")],
                    "mb": [6.3],
                    "yield_kt_low": [50.0],
                    "yield_kt_high": [250.0],
                }
            ),
        )
    )
    assert "First ICBM flight: Hwasong-14 on 2017-07-04." in text
    assert "Largest nuclear test in the span: 2017-09-03 (mb 6.3, 50–250 kt)." in text
    assert "first confirmed one after the gap was 2019-05-04" in text


def test_compare_years(m):
    nt = pd.DataFrame(
        {
            "date_kst": pd.to_datetime(["2016-01-06", "2016-09-09", "2017-09-03"]),
            "mb": [5.1, 5.3, 6.3],
            "yield_kt_high": [10.0, 20.0, 250.0],
        }
    )
    t = M.compare_years(M.select_missiles(m), nt, [2016, 2017])
    assert t.loc[2016, ["missiles", "launch_days", "icbm_missiles", "nuclear_tests"]].tolist() == [4, 2, 0, 2]
    assert t.loc[2017, ["missiles", "icbm_missiles", "largest_test_mb", "largest_yield_kt_high"]].tolist() == [
        3,
        3,
        6.3,
        250.0,
    ]


# ---- event windows --------------------------------------------------------------------------


def test_event_window_excludes_event_days_and_counts_both_units():
    mm = missiles(
        [
            ("2018-06-01", "SRBM", "a"),
            ("2018-06-01", "SRBM", "b"),
            ("2018-06-11", "SRBM", "c"),
            ("2018-06-12", "SRBM", "during"),
            ("2018-06-13", "SRBM", "d"),
            ("2018-06-22", "SRBM", "e"),
            ("2018-06-23", "SRBM", "outside"),
        ]
    )
    win, rows = M.event_window(mm, event(start="2018-06-12"), 10)
    assert win.before == (pd.Timestamp("2018-06-02"), pd.Timestamp("2018-06-11"))
    assert win.after == (pd.Timestamp("2018-06-13"), pd.Timestamp("2018-06-22"))
    # 2018-06-01 is 11 days before: outside a 10-day window
    assert (win.before_days, win.before_missiles, win.after_days, win.after_missiles) == (1, 1, 2, 2)
    assert (win.during_days, win.during_missiles) == (1, 1)
    assert rows["window"].tolist() == ["before", "during", "after", "after"]
    assert rows["days_from_event"].tolist() == [-1, 0, 1, 10]


def test_event_window_multi_day_event_counts_after_its_last_day():
    mm = missiles([("2019-02-27", "SRBM", "x"), ("2019-02-28", "SRBM", "y"), ("2019-03-01", "SRBM", "z")])
    win, rows = M.event_window(mm, event(start="2019-02-27", end="2019-02-28"), 7)
    assert (win.during_days, win.after_days) == (2, 1)
    assert rows.loc[rows["window"] == "after", "days_from_event"].tolist() == [1]


# ---- capabilities ---------------------------------------------------------------------------


def test_capability_progression_max_per_class_and_year(m):
    p = M.capability_progression(M.select_missiles(m)).set_index(["missile_class", "year"])
    assert p.loc[("SRBM", 2016)].tolist() == [3, 100.0, 500.0]
    assert p.loc[("ICBM", 2017), "max_apogee_km"] == 4475.0
    assert math.isnan(p.loc[("SRBM", 2019), "max_apogee_km"]) is False  # 2019: the KN-23's 50 km
    assert p.loc[("SRBM", 2019), "missiles"] == 2


def test_class_progression_marks_records(m):
    p = M.class_progression(m, "ICBM")
    assert p["missile_name"].tolist() == ["Hwasong-14", "Hwasong-14", "Hwasong-15", "Hwasong-15", "Unknown"]
    assert p["apogee_record"].tolist() == [True, True, True, True, False]
    assert p["outcome"].tolist()[-1] == "failure"


def test_capability_findings(m):
    text = "\n".join(M.capability_findings(M.select_missiles(m)))
    assert "Highest apogee: 6,248 km, Hwasong-15 (ICBM) on 2022-03-24." in text
    assert "5 ICBM flights, first 2017-07-04" in text


def test_launch_sites(m):
    s = M.launch_sites(M.select_missiles(m))
    assert s["missiles"].sum() == len(M.select_missiles(m))
    icbm = s[s["missile_class"] == "ICBM"]
    assert set(icbm["facility"]) == {"Site A", "Site B"}


# ---- nuclear tests and sanctions ------------------------------------------------------------


@pytest.fixture
def nuclear() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "test_id": ["N2016-09-09", "N2017-09-03", "N2006-10-09"],
            "date_utc": pd.to_datetime(["2016-09-09", "2017-09-03", "2006-10-09"]),
            "date_kst": pd.to_datetime(["2016-09-09", "2017-09-03", "2006-10-09"]),
            "mb": [5.3, 6.3, 4.3],
            "yield_kt_low": [10.0, 50.0, 0.5],
            "yield_kt_high": [20.0, 250.0, 2.0],
            "source_ids": ["usgs-a", "usgs-b", "usgs-c"],
        }
    )


@pytest.fixture
def sanctions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sanction_id": ["S/RES/2321", "S/RES/2375", "S/RES/2397", "draft-2022-05-26", "S/RES/2050"],
            "resolution": pd.array([2321, 2375, 2397, None, 2050], dtype="Int64"),
            "date": pd.to_datetime(["2016-11-30", "2017-09-11", "2017-12-22", "2022-05-26", "2012-06-12"]),
            "action": pd.Categorical(["adopted", "adopted", "adopted", "vetoed", "adopted"]),
            "kind": pd.Categorical(["sanctions", "sanctions", "sanctions", "sanctions", "panel_renewal"]),
            "measures": ["m"] * 5,
            "vetoed_by": [None, None, None, "CN;RU", None],
            "trigger_test_ids": ["N2016-09-09", "N2017-09-03", "L2017-11-29", "L2022-05-04;L2022-03-24", None],
            "source_ids": ["un-1", "un-2", "un-3", "un-4", "un-5"],
        }
    )


def test_days_to_resolution(nuclear, sanctions, m):
    pairs = M.days_to_resolution(sanctions, nuclear, m)
    assert pairs["trigger_id"].tolist() == ["N2016-09-09", "N2017-09-03", "L2017-11-29", "L2022-03-24", "L2022-05-04"]
    assert pairs["days"].tolist() == [82, 8, 23, 63, 22]
    assert pairs["trigger_kind"].tolist()[:3] == ["nuclear test", "nuclear test", "missile launch"]
    assert pairs.loc[1, "source_ids"] == "usgs-b;un-2"
    adopted = M.days_to_resolution(sanctions, nuclear, m, include_vetoed=False)
    assert "vetoed" not in set(adopted["action"])


def test_nuclear_response_and_findings(nuclear, sanctions, m):
    pairs = M.days_to_resolution(sanctions, nuclear, m)
    r = M.nuclear_response(nuclear, pairs)
    assert r["test_id"].tolist() == ["N2006-10-09", "N2016-09-09", "N2017-09-03"]
    assert r["days"].tolist()[1:] == [82, 8] and pd.isna(r["days"].iloc[0])
    text = "\n".join(M.sanctions_findings(r, pairs))
    assert "2 of 3 nuclear tests were named as the trigger of an adopted resolution." in text
    assert "Fastest: S/RES/2375 8 days after the test of 2017-09-03" in text


def test_nuclear_summary_geometric_midpoint(nuclear):
    s = M.nuclear_summary(nuclear)
    assert s["test_id"].tolist()[0] == "N2006-10-09"
    assert s["yield_kt_geomean"].tolist() == [1.0, 14.1, 111.8]
