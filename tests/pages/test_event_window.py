"""analysis.pages.event_window: an event page's headline, question, description and tables, from results on a
made-up calendar (numbers and structure, not exact wording)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import SUMMIT_IDS, summit_events, summit_launches
from factories import events, missiles

from analysis.measures import summit_tests as T
from analysis.measures import windows
from analysis.pages import event_window


@pytest.fixture(scope="module")
def res() -> pd.DataFrame:
    return T.results(summit_launches(), summit_events(), SUMMIT_IDS, reference_start="2010-01-01")


def test_headline_states_counts_the_pause_and_never_a_finer_p_than_the_calendar_allows(res):
    first = res[res["primary"]].set_index("event_id").loc["quiet-then-busy"]
    pause = T.pause(summit_launches(), windows.event_row("quiet-then-busy", summit_events()), "2010-01-01")
    sentence, figures = event_window.headline(res, "quiet-then-busy", pause, "2010-01-01")
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
        event_window.headline(res, "nope")


def test_counts_when_no_launch_on_either_side():
    row = pd.Series({"window_days": 180, "before": 0, "after": 0})
    assert (
        event_window._counts(row, "X")
        == "North Korea launched no missile in the 180 days before X, nor in the 180 days after"
    )


def test_sensitivity_table_has_reader_labels_and_marks_the_judged_window(res):
    table = event_window.sensitivity_table(res, "ordinary")
    assert not re.search(r"<th[^>]*>\s*[a-z]+_[a-z_]+\s*</th>", table.html())
    assert table.cells["Window"].tolist() == ["90 days", "180 days (judged)", "365 days", "730 days"]


def test_question_and_description_name_the_event_escaped():
    event = events(
        [
            {
                "event_id": "2019-02-27-hanoi",
                "end_date": "2019-02-28",
                "title": "A *b*",
                "trump_kim": True,
                "location": "Hanoi, Vietnam",
                "kind": "summit",
                "parties": "US;DPRK",
                "outcome": "none",
            }
        ]
    ).iloc[0]
    assert "the Trump–Kim summit in Hanoi \\(27–28 February 2019\\)" in event_window.question(event)  # Markdown-escaped
    line = event_window.describe_event(event)
    assert line.startswith("**A \\*b\\*** (summit, 2019-02-27 to 2019-02-28, Hanoi, Vietnam; US, DPRK)")


def test_window_counts_show_the_event_days_only_when_something_flew():
    event = events([{"event_id": "2018-06-12-x"}]).iloc[0]
    quiet, _ = windows.event_window(missiles([{"date_kst": "2018-06-01"}, {"date_kst": "2018-06-13"}]), event, 30)
    table = event_window.window_counts(quiet)
    assert list(table.cells.columns) == ["", "30 days before", "30 days after"]
    assert table.cells.iloc[0].tolist() == ["Launch days", "1", "1"]
    busy, _ = windows.event_window(missiles([{"date_kst": "2018-06-12"}]), event, 30)
    assert list(event_window.window_counts(busy).cells.columns) == [
        "",
        "30 days before",
        "During the event",
        "30 days after",
    ]
