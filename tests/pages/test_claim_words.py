"""analysis.pages.claim_words: the sentences of a result, on synthetic results and on engine results over small
made-up tables: the decisive evidence (both halves of a mixed verdict), one rounding in text and table, no ids."""

from __future__ import annotations

import re

import factories
import pandas as pd
import pytest

from analysis.checks import engine as E
from analysis.checks import vocabulary as V
from analysis.pages import claim_words as W

INTERNAL_ID = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z]|draft-")


def part(check_id: str, kind: str, verdict: str, figures: dict, **kw) -> E.Result:
    return E.Result(check_id, kind, verdict, figures, **kw)


HOLDS = part(
    "c1.none",
    "count",
    E.SUPPORTED,
    {"value": 0, "measure": "rows", "at most": 0.0},
    table="diplomatic_events",
    period=(pd.Timestamp("2018-06-12"), pd.Timestamp("2026-08-20")),
)
FAILS = part(
    "c1.pause",
    "gap",
    E.CONTRADICTED,
    {
        "days": 2991,
        "mode": "longest",
        "from": pd.Timestamp("2018-06-12"),
        "to": pd.Timestamp("2026-08-20"),
        "open": True,
        "at most": 365.0,
    },
    table="nuclear_tests",
)
SAYS = {"c1": "Nothing tangible followed.", "c1.none": "No agreement followed.", "c1.pause": "No test pause held."}


def test_the_summary_of_a_mixed_result_names_the_part_that_holds_and_the_part_that_does_not():
    mixed = E.Result("c1", "all", E.MIXED, parts=[HOLDS, FAILS])
    line = W.summary(mixed, SAYS)
    holds, fails = line.split("Does not hold:")
    assert holds.startswith("Holds: No agreement followed") and "no diplomatic events" in holds
    assert "No test pause held" in fails and "2,991 days" in fails and "12 June 2018" in fails


def test_a_verdict_carried_by_some_parts_says_how_many():
    most = E.Result("c1", "most", E.SUPPORTED, parts=[HOLDS, FAILS, HOLDS])
    assert W.summary(most, SAYS).startswith("Two of three parts hold. No agreement followed:")


def test_consistent_says_the_timing_and_that_the_cause_is_not_shown():
    growth = part(
        "c2.growth",
        "compare",
        E.SUPPORTED,
        {
            "baseline": 0.333333,
            "value": -2.433333,
            "change": -2.766666,
            "change %": -830.0,
            "direction": "lower",
            "smallest change that counts": 0.0,
            "statistic": "mean",
            "baseline period": (pd.Timestamp("2013-01-01"), pd.Timestamp("2015-12-31")),
            "period": (pd.Timestamp("2017-01-01"), pd.Timestamp("2019-12-31")),
        },
        table="economy",
    )
    line = W.summary(E.Result("c2", "all", E.CONSISTENT, parts=[growth]), {"c2.growth": "Growth was lower."})
    assert "from 2017 to 2019" in line and "from 2013 to 2015" in line and "\u22122.43" in line
    assert line.endswith("the data cannot show the cause.")


def test_not_testable_gives_the_reason_in_reader_words():
    r = E.Result("c3", "exists", E.NOT_TESTABLE, reason="the diplomatic_events table has no row '2018-07-27-remains'")
    assert W.summary(r) == "The diplomatic events hold no row the check needs."
    gated = E.Result("c4", "gate", E.NOT_TESTABLE, parts=[r, HOLDS])
    assert W.summary(gated) == W.summary(r)
    assert W.summary(E.Result("c5", "none", E.NOT_TESTABLE, reason="Opinion, not a fact.")) == "Opinion, not a fact."


@pytest.mark.parametrize("x", [0.966666, -1.85, 1.0 / 3, 2610.0, 3876.666, 12.25])
def test_a_figure_rounds_the_same_in_a_sentence_and_in_the_table(x):
    r = part("c6", "value", E.SUPPORTED, {"value": x, "field": "apogee_km", "stated": 1.0, "tolerance": 5.0})
    shown = dict(W.figures(r))["In the data"]
    assert f"is {shown} km" in W.rationale(r)


def test_figures_name_measures_in_words_and_leave_series_to_the_chart():
    r = part("c7", "record", E.SUPPORTED, {"value": 3, "measure": "launch_days", "year": 2017, "by year": {2017: 3}})
    labels = dict(W.figures(r))
    assert labels["Measure"] == "launch days" and "By year" not in labels


@pytest.fixture
def frames():
    return {
        "missile_tests": factories.missiles(
            [*factories.salvo("2020-03-02", 2), dict(date_kst="2020-03-09"), *factories.salvo("2022-11-02", 4)]
        ),
        "nuclear_tests": factories.nuclear([dict(date_kst="2017-09-03")]),
        "diplomatic_events": factories.events([dict(event_id="2018-06-12-singapore", trump_kim=True)]),
        "sanctions": factories.sanctions([dict(sanction_id="draft-2022-05-26", date="2022-05-26", action="vetoed")]),
        "economy": factories.economy([dict(year=2019)]),
    }


def run(frames, kind: str, params: str) -> E.Result:
    return E.evaluate({"x": V.parse("x", kind, params)}, "x", E.Context(frames, True))


def test_a_count_says_which_definition_gives_the_stated_figure(frames):
    r = run(
        frames, "count", "table=missile_tests; from=2022; to=2022; measure=launch_days; stated=1; definitions=missiles"
    )
    text = W.rationale(r)
    assert text.startswith("The data hold 1 launch day in 2022 (the article: 1; by missiles 4).")
    assert text.endswith("Counting launch days gives the article's figure.")
    r = run(
        frames, "count", "table=missile_tests; from=2020; to=2020; measure=missiles; stated=9; definitions=launch_days"
    )
    assert "No way of counting gives the article's figure." in W.rationale(r)


def test_every_kind_reads_without_ids(frames):
    results = [
        run(frames, "record", "table=missile_tests; measure=missiles; period=2022"),
        run(frames, "first_since", "table=diplomatic_events; where.trump_kim=true; at=event:2018-06-12-singapore"),
        run(frames, "gap", "table=missile_tests; mode=next; at=event:2018-06-12-singapore"),
        run(frames, "exists", "table=sanctions; where.action=vetoed"),
        run(frames, "value", "table=sanctions; id=draft-2022-05-26; field=resolution"),  # no figure: not testable
        run(frames, "count", "table=diplomatic_events; where.event_id=2018-06-12-singapore; at_least=1"),
    ]
    for r in results:
        text = W.summary(r) + " " + W.rationale(r) + " " + " ".join(v for _, v in W.figures(r))
        assert not INTERNAL_ID.search(text), text
    assert W.rationale(results[0]) == "2022 had 4 missiles; the most in any other year was 3, in 2020."
    assert W.rationale(results[2]).startswith("The next launch after 12 June 2018 was on 2 March 2020")
