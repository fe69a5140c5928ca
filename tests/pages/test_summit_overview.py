"""analysis.pages.summit_overview: the overview's headline, tables, links, and the overlap of the windows, from
results on a made-up calendar (numbers and structure, not exact wording)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import SUMMIT_IDS, summit_events, summit_launches
from factories import events

from analysis.measures import summit_tests as T
from analysis.pages import summit_overview


@pytest.fixture(scope="module")
def res() -> pd.DataFrame:
    return T.results(summit_launches(), summit_events(), SUMMIT_IDS, reference_start="2010-01-01")


def test_headline_counts_every_label(res):
    sentence, figures = summit_overview.headline(res, "2010-01-01")
    assert sentence.startswith("At the 180-day window chosen in advance, ")
    counts = dict((label, int(value)) for value, label in figures[1:])
    assert set(counts) == set(T.LABELS) and sum(counts.values()) == int(figures[0][0]) == 3
    assert "the Trump–Kim summit in Hanoi (1 April 2016)" in sentence  # the sharpest split is named


def test_tables_have_reader_labels_and_no_raw_values(res):
    for table in (summit_overview.primary_table(res), summit_overview.sensitivity_grid(res)):
        html = table.html()
        assert not re.search(r"<th[^>]*>\s*[a-z]+_[a-z_]+\s*</th>", html)
        assert not re.search(r">\s*(nan|NaN|inf|True|False|0\.0000)\s*<", html)
        assert "dataframe" not in html
    grid = summit_overview.sensitivity_grid(res).cells
    assert list(grid.columns) == ["Event", "90 days", "180 days (judged)", "365 days", "730 days"]
    assert grid.iloc[0, 2].startswith("0 → ")


def test_event_links_escape_names_and_point_at_each_page(res):
    html = summit_overview.event_links(res.assign(event="<b>x</b>")).data
    assert 'href="event-window-quiet-then-busy.html"' in html and "<b>x</b>" not in html and "&lt;b&gt;" in html


def test_overlap_findings():
    pair = events(
        [
            {"event_id": "a", "start_date": "2020-01-01", "location": "Hanoi, Vietnam", "trump_kim": True},
            {"event_id": "b", "start_date": "2020-01-11", "location": "Hanoi, Vietnam"},
        ]
    )
    lines = summit_overview.overlap_findings(pair, ["a", "b"], [4, 7], threshold=0.3)
    assert lines == [
        "4 days: 0 of 1 pair of events share more than 30% of their window days.",
        "7 days: 1 of 1 pair of events share more than 30% of their window days; the most, 33%, the "
        "Trump–Kim summit in Hanoi (1 January 2020) and the US–North Korea summit in Hanoi (11 January 2020).",
    ]


def test_placebo_note_states_the_rates_or_that_there_was_no_room():
    rates = {"placements": 40, "stated": 0.05, "raw": 0.1, "textbook": float("nan")}
    note = summit_overview.placebo_note(rates, 180, "2010-01-01")
    assert note.startswith("Moved together to 40 other dates since 2010") and "flagged a change at 5% of them" in note
    assert note.endswith("it would have flagged 10%.")
    assert "has no room" in summit_overview.placebo_note({**rates, "placements": 0}, 180, "2010-01-01")
