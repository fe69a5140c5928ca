"""analysis.pages.summit_words: the words both summit pages share, from results on a made-up calendar (numbers and
structure, not exact wording)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SUMMIT_IDS, summit_events, summit_launches

from analysis.measures import summit_tests as T
from analysis.pages import summit_words as W


@pytest.fixture(scope="module")
def res() -> pd.DataFrame:
    return T.results(summit_launches(), summit_events(), SUMMIT_IDS, reference_start="2010-01-01")


def test_shares_and_the_floor():
    row = pd.Series({"testable": True, "p_calibrated": 0.0776, "at_floor": True})
    assert W.p_short(row) == "< 7.8%" and W.p_short(row.copy().replace({True: False})) == "—"
    assert W.p_short(pd.Series({"testable": True, "p_calibrated": 0.41, "at_floor": False})) == "41%"


def test_family_note_names_the_inter_korean_events_and_what_leaving_them_out_does(res):
    smaller = T.without_inter_korean(summit_launches(), summit_events(), SUMMIT_IDS, "2010-01-01")
    note = W.family_note(res, smaller, summit_events())
    assert "three events; one of them is an inter-Korean summit" in note
    assert "Judged without it, the family is two events" in note
    assert (
        W.family_note(res, None, summit_events().assign(parties="US;DPRK"))
        == "The family judged together is three events."
    )


def test_method_cites_this_pages_numbers(res):
    facts = T.calendar_facts(summit_launches(), summit_events(), SUMMIT_IDS, "2010-01-01")
    text = W.method(res, facts, "2010-01-01")
    first = res[res["primary"]].iloc[0]
    assert f"({first['reference_dates']:,} dates at 180 days)" in text
    assert f"in {facts['busy_year']}" in text and "since 2010" in text
    assert "90, 365 and 730 days" in text


def test_untestable_and_ordinary_events_say_so():
    untestable = pd.Series(
        {"testable": False, "window_days": 180, "before": 0, "after": 0, "event": "the summit in X (1 May 2019)"}
    )
    assert W.rarity(untestable) == "With no launch day on either side, there is nothing to compare"
    late = pd.concat([untestable, pd.Series({"complete": False})])
    assert W.rarity(late) == "Its 180-day windows run past the end of the data, so there is nothing to compare yet"
