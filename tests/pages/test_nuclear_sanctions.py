"""analysis.pages.nuclear_sanctions: the report's headline and findings, from hand-made measures."""

from __future__ import annotations

import pandas as pd

from analysis.pages import nuclear_sanctions

TESTS = pd.DataFrame({"date_kst": pd.to_datetime(["2006-10-09", "2017-09-03"]), "mb": [4.3, 6.3]})


def test_headline():
    response = pd.DataFrame({"days": pd.array([5, None], dtype="Int64")})
    sentence, figures = nuclear_sanctions.headline(TESTS, response)
    assert sentence == (
        "North Korea carried out 2 nuclear tests from 2006 to 2017; the largest, on 3 September 2017, "
        "measured magnitude 6.3. The Security Council named 1 of them in an adopted resolution, a median "
        "of 5 days after the test."
    )
    assert figures[2] == ("1 of 2", "answered by a resolution naming the test")
    unanswered = nuclear_sanctions.headline(TESTS, response.assign(days=pd.array([None, None], dtype="Int64")))
    assert unanswered[0].endswith(" No adopted resolution names any of them.") and len(unanswered[1]) == 3


def test_findings_count_the_answered_tests_and_the_missile_triggers():
    response = pd.DataFrame(
        {
            "test_date_utc": pd.to_datetime(["2006-10-09", "2016-09-09", "2017-09-03"]),
            "test_date_kst": pd.to_datetime(["2006-10-09", "2016-09-09", "2017-09-03"]),
            "first_resolution": [None, "S/RES/2321", "S/RES/2375"],
            "days": pd.array([None, 82, 8], dtype="Int64"),
        }
    )
    pairs = pd.DataFrame(
        {
            "trigger_kind": ["nuclear test", "missile launch", "missile launch"],
            "trigger_id": ["N1", "L1", "L2"],
            "sanction_id": ["S/RES/2321", "S/RES/2397", "draft"],
            "action": ["adopted", "adopted", "vetoed"],
        }
    )
    assert nuclear_sanctions.findings(response, pairs) == [
        "2 of 3 nuclear tests were named as the trigger of an adopted resolution.",
        "Fastest: S/RES/2375 8 days after the test of 2017-09-03; slowest: S/RES/2321 82 days after the test of "
        "2016-09-09; median 45 days.",
        "2 missile launches are named as triggers, of 2 Security Council actions (1 of them vetoed).",
    ]
