"""analysis.pages.summit_words: the summit pages' sentences and tables, from results on a made-up calendar (numbers and
structure, not exact wording)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import SUMMIT_IDS, summit_events, summit_launches

from analysis.measures import metrics
from analysis.measures import summit_tests as T
from analysis.pages import summit_words as W


@pytest.fixture(scope="module")
def res() -> pd.DataFrame:
    return T.results(summit_launches(), summit_events(), SUMMIT_IDS, reference_start="2010-01-01")


@pytest.mark.parametrize("p, words", [(0.5, "about 1 in 2"), (0.0776, "about 1 in 13"), (0.0042, "about 1 in 240")])
def test_one_in(p, words):
    assert W.one_in(p) == words
    assert W.one_in(0.9) == "most of the time"


def test_shares_and_the_floor():
    row = pd.Series({"testable": True, "p_calibrated": 0.0776, "at_floor": True})
    assert W.p_short(row) == "< 7.8%" and W.p_short(row.copy().replace({True: False})) == "—"
    assert W.p_short(pd.Series({"testable": True, "p_calibrated": 0.41, "at_floor": False})) == "41%"
    assert W.share(1.0) == "100%" and W.share(0.053) == "5.3%"


def test_event_headline_states_counts_the_pause_and_never_a_finer_p_than_the_calendar_allows(res):
    first = res[res["primary"]].set_index("event_id").loc["quiet-then-busy"]
    pause = T.pause(summit_launches(), metrics.event_row("quiet-then-busy", summit_events()), "2010-01-01")
    sentence, figures = W.event_headline(res, "quiet-then-busy", pause, "2010-01-01")
    assert sentence.startswith("North Korea launched no missile in the 180 days before the Trump–Kim summit in Hanoi")
    assert f"on {first['after']} days" in sentence and "cannot be separated from the pause" in sentence
    assert f"about 1 in {round(1 + first['effective_windows'])}" in sentence  # the floor, not the raw rank
    assert "1 in 1,000" not in sentence
    assert [label for _, label in figures] == [
        "launch days, 180 days before",
        "launch days, 180 days after",
        "of comparable dates as lopsided",
        "verdict at 180 days",
    ]
    assert figures[2][0].startswith("< ") and figures[3][0] == first["label"]
    with pytest.raises(ValueError, match="event_id: 'nope'"):
        W.event_headline(res, "nope")


def test_untestable_and_ordinary_events_say_so():
    untestable = pd.Series(
        {"testable": False, "window_days": 180, "before": 0, "after": 0, "event": "the summit in X (1 May 2019)"}
    )
    assert W.rarity(untestable) == "With no launch day on either side, there is nothing to compare"
    late = pd.concat([untestable, pd.Series({"complete": False})])
    assert W.rarity(late) == "Its 180-day windows run past the end of the data, so there is nothing to compare yet"
    assert (
        W._counts(untestable, "X")
        == "North Korea launched no missile in the 180 days before X, nor in the 180 days after"
    )


def test_overview_headline_counts_every_label(res):
    sentence, figures = W.overview_headline(res, "2010-01-01")
    assert sentence.startswith("At the 180-day window chosen in advance, ")
    counts = dict((label, int(value)) for value, label in figures[1:])
    assert set(counts) == set(T.LABELS) and sum(counts.values()) == int(figures[0][0]) == 3
    assert "the Trump–Kim summit in Hanoi (1 April 2016)" in sentence  # the sharpest split is named


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


def test_tables_have_reader_labels_and_no_raw_values(res):
    for table in (W.primary_table(res), W.sensitivity_table(res, "ordinary"), W.sensitivity_grid(res)):
        html = table.html()
        assert not re.search(r"<th[^>]*>\s*[a-z]+_[a-z_]+\s*</th>", html)
        assert not re.search(r">\s*(nan|NaN|inf|True|False|0\.0000)\s*<", html)
        assert "dataframe" not in html
    grid = W.sensitivity_grid(res).cells
    assert list(grid.columns) == ["Event", "90 days", "180 days (judged)", "365 days", "730 days"]
    assert grid.iloc[0, 2].startswith("0 → ")


def test_event_links_escape_names_and_point_at_each_page(res):
    html = W.event_links(res.assign(event="<b>x</b>")).data
    assert 'href="event-window-quiet-then-busy.html"' in html and "<b>x</b>" not in html and "&lt;b&gt;" in html
