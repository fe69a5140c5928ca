"""analysis.pages.capabilities: the capabilities report's headline and findings, from a small selection."""

from __future__ import annotations

from factories import missiles

from analysis.pages import capabilities

M = missiles(
    [
        {"date_kst": d, "missile_name": name, "missile_class": cls, "apogee_km": apogee, "distance_km": distance}
        for d, name, cls, apogee, distance in [
            ("2016-03-01", "A", "SRBM", 50.0, 300.0),
            ("2016-03-01", "A", "SRBM", None, None),
            ("2017-07-04", "B", "ICBM", 2802.0, 933.0),
            ("2017-11-29", "C", "ICBM", 4475.0, 950.0),
            ("2019-05-04", "D", "SRBM", 60.0, 240.0),
        ]
    ]
)


def test_headline_names_the_highest_and_farthest_flights_and_the_icbm_records():
    sentence, figures = capabilities.headline(M)
    assert "reached 4,475 km (C, ICBM, 29 November 2017)" in sentence and "longest flew 950 km" in sentence
    assert "ICBMs flew 2 times from 4 July 2017 on, setting a new height record 2 times." in sentence
    assert ("4,475 km", "highest apogee") in figures and ("2", "ICBM flights") in figures
    assert capabilities.headline(M.assign(apogee_km=None, distance_km=None))[1] == []


def test_findings():
    lines = capabilities.findings(M)
    assert lines == [
        "Highest apogee: 4,475 km, C (ICBM) on 2017-11-29.",
        "Longest distance flown: 950 km, C (ICBM) on 2017-11-29.",
        "2 ICBM flights, first 2017-07-04; apogee records: B 2,802 km (2017-07-04), C 4,475 km (2017-11-29).",
    ]
    assert capabilities.findings(M.iloc[:0]) == ["No missiles in the selection."]
