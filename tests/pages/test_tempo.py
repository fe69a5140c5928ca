"""analysis.pages.tempo: the tempo report's headline and findings, from a small selection."""

from __future__ import annotations

import pandas as pd
from factories import missiles

from analysis.pages import tempo

M = missiles(
    [
        {"date_kst": d, "missile_name": name, "missile_class": cls, "confirmed": confirmed}
        for d, name, cls, confirmed in [
            ("2016-03-01", "A", "SRBM", True),
            ("2016-03-01", "A", "SRBM", True),
            ("2017-07-04", "B", "ICBM", True),
            ("2017-11-29", "C", "ICBM", True),
            ("2019-04-17", "Unknown", "SRBM", False),
            ("2019-05-04", "D", "SRBM", True),
        ]
    ]
)
NUCLEAR = pd.DataFrame(
    {"date_kst": [pd.Timestamp("2017-09-03")], "mb": [6.3], "yield_kt_low": [50.0], "yield_kt_high": [250.0]}
)


def test_headline_counts_the_busiest_year_and_the_longest_pause():
    sentence, figures = tempo.headline(M)
    assert sentence.startswith(
        "From 2016 to 2019, North Korea launched 6 missiles on 5 days; the busiest year was 2016, with 2 missiles."
    )
    assert "The longest pause lasted 504 days, from 29 November 2017 to 17 April 2019." in sentence
    assert figures == [
        ("6", "missiles launched"),
        ("5", "launch days"),
        ("2016", "busiest year (2 missiles)"),
        ("504", "days in the longest pause"),
    ]
    assert tempo.headline(M.iloc[:0]) == ("No missiles in this selection.", [])


def test_findings_name_the_first_icbm_the_largest_test_and_an_unconfirmed_restart():
    lines = tempo.findings(M, NUCLEAR)
    assert lines[0] == "6 missiles on 5 launch days, 2016-03-01 to 2019-05-04 (KST)."
    assert "First ICBM flight: B on 2017-07-04." in lines
    assert "Largest nuclear test in the span: 2017-09-03 (mb 6.3, 50–250 kt)." in lines
    assert lines[-1].startswith("Longest spell without a launch: 504 days, from 2017-11-29 (C) to 2019-04-17 (type not")
    assert lines[-1].endswith("the first confirmed one after the gap was 2019-05-04.")
    assert tempo.findings(M.iloc[:0], NUCLEAR) == ["No missiles in the selection."]
