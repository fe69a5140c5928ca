"""Small tables the chart tests draw: eight missiles over 2016-2022 (a salvo, a pause, ICBM records), two nuclear
tests, four events (two Trump-Kim summits) and four Security Council actions."""

from __future__ import annotations

import pandas as pd
from factories import frame

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


def launches():
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
