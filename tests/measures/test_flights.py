"""analysis.measures.flights on a small synthetic selection: apogee and distance per class and year, the records of
one class, the launch sites."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from factories import missiles

from analysis.measures import flights


@pytest.fixture
def m() -> pd.DataFrame:
    rows = [
        ("2016-03-01", "SRBM", "Scud", 100.0, 500.0),
        ("2016-03-01", "SRBM", "Scud", 90.0, 480.0),
        ("2016-03-01", "SRBM", "Scud", None, None),
        ("2017-07-04", "ICBM", "Hwasong-14", 2800.0, 930.0),
        ("2017-07-28", "ICBM", "Hwasong-14", 3700.0, 1000.0),
        ("2017-11-29", "ICBM", "Hwasong-15", 4475.0, 950.0),
        ("2019-05-04", "SRBM", "KN-23", 50.0, 240.0),
        ("2019-05-09", "SRBM", "KN-23", None, None),
        ("2022-03-24", "ICBM", "Hwasong-15", 6248.0, 1090.0),
        ("2022-05-04", "ICBM", "Unknown", 780.0, 470.0),
    ]
    return missiles(
        [
            {
                "date_kst": d,
                "missile_class": c,
                "missile_name": n,
                "apogee_km": a,
                "distance_km": km,
                "outcome": "failure" if i == len(rows) - 1 else "success",
                "facility": "Site A" if i % 2 else "Site B",
                "latitude": 39.0 + i % 2,
                "longitude": 125.0 + i % 2,
            }
            for i, (d, c, n, a, km) in enumerate(rows)
        ]
    )


def test_capability_progression_max_per_class_and_year(m):
    p = flights.capability_progression(m).set_index(["missile_class", "year"])
    assert p.loc[("SRBM", 2016)].tolist() == [3, 100.0, 500.0]
    assert p.loc[("ICBM", 2017), "max_apogee_km"] == 4475.0
    assert not math.isnan(p.loc[("SRBM", 2019), "max_apogee_km"])  # 2019: the KN-23's 50 km
    assert p.loc[("SRBM", 2019), "missiles"] == 2


def test_class_progression_marks_records(m):
    p = flights.class_progression(m, "ICBM")
    assert p["missile_name"].tolist() == ["Hwasong-14", "Hwasong-14", "Hwasong-15", "Hwasong-15", "Unknown"]
    assert p["apogee_record"].tolist() == [True, True, True, True, False]
    assert p["outcome"].tolist()[-1] == "failure"


def test_launch_sites(m):
    s = flights.launch_sites(m)
    assert s["missiles"].sum() == len(m)
    icbm = s[s["missile_class"] == "ICBM"]
    assert set(icbm["facility"]) == {"Site A", "Site B"}
    assert flights.launch_sites(m.assign(latitude=None)).empty
