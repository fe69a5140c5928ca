"""analysis.pages.data_overview: the data overview's headline and tables, from small synthetic tables."""

from __future__ import annotations

import pandas as pd
from factories import events, missiles, nuclear

from analysis.measures import counts
from analysis.pages import data_overview

ROWS = missiles(
    [
        {"date_kst": "2016-03-01"},
        {"date_kst": "2016-03-01"},
        {"date_kst": "2017-07-04", "missile_class": "ICBM"},
        {"date_kst": "2019-05-04", "missile_class": "cruise", "cns_threshold": False},
    ]
)
TABLES = {
    "missile_tests": ROWS,
    "nuclear_tests": nuclear([{"date_kst": "2017-09-03", "mb": 6.3}]),
    "diplomatic_events": events([{"event_id": "2018-06-12-summit"}]),
    "sanctions": pd.DataFrame({"sanction_id": ["S/RES/2375"]}),
    "sources": pd.DataFrame({"source_id": ["a", "b"]}),
}


def test_headline_counts_the_tables_and_the_selection():
    sentence, figures = data_overview.headline(TABLES, counts.select_missiles(ROWS))
    assert sentence == (
        "The curated tables record 4 missiles, 1 nuclear test, 1 diplomatic event and 1 Security Council action, each "
        "citing its sources. Within the CNS criterion, North Korea launched 3 missiles from 2016 to 2017; the most in "
        "one year was 2, in 2016."
    )
    assert figures == [
        ("3", "missiles counted (CNS criterion)"),
        ("2", "launch days"),
        ("2016", "busiest year (2 missiles)"),
        ("1", "nuclear tests"),
        ("2", "sources cited"),
    ]
    assert data_overview.headline(TABLES, ROWS.iloc[:0])[1] == [("1", "nuclear tests"), ("2", "sources cited")]


def test_key_figures_and_coverage():
    figures = data_overview.key_figures(ROWS, counts.select_missiles(ROWS), "2016-01-01", None)
    values = dict(zip(figures["figure"], figures["value"]))
    assert values["Dates counted (KST)"] == "2016-01-01 to the latest record"
    assert values["Busiest year"] == "2016 (2 missiles)" and values["Rows below the CNS criterion (not counted)"] == "1"
    cover = data_overview.coverage(TABLES).set_index("table")
    assert cover.loc["missile_tests", "rows"] == 4 and cover.loc["sources", "dated by"] == "(no dates)"
