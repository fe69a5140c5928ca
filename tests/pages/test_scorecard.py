"""The scorecard as a fact-check, on a hand-made ledger: tally, headline, one row per claim, flags, escaping."""

from __future__ import annotations

import factories
import pandas as pd
import plotly.graph_objects as go
from conftest import elements

from analysis.checks import claims
from analysis.checks.claims import CONTRADICTED, MIXED, NOT_TESTABLE, SUPPORTED, Verdict
from analysis.pages import scorecard


def ledger(rows) -> pd.DataFrame:
    """(claim_id, verdict, verdict with all launches, rationale) -> a ledger like claims.ledger's."""
    out = []
    for i, (claim_id, cns, every, why) in enumerate(rows, 1):
        out.append(
            {
                "claim_id": claim_id,
                "paragraph": i,
                "quote": f"quote {i} <b>",
                "claim": f"Claim {i} *restated*.",
                "testable": cns != NOT_TESTABLE,
                "check": "check_resumed_testing" if cns != NOT_TESTABLE else None,
                "tables": "missile_tests",
                "reason": None,
                "verdict": cns,
                "verdict_all_launches": every,
                "result": Verdict(claim_id, cns, rationale=why),
                "result_all_launches": Verdict(claim_id, every, rationale=why),
            }
        )
    led = pd.DataFrame(out)
    return led.assign(depends_on_setting=led["verdict"] != led["verdict_all_launches"])


LEDGER = ledger(
    [
        ("c01-a", SUPPORTED, SUPPORTED, "Held on 12 June 2018. Second sentence."),
        ("c02-b", SUPPORTED, MIXED, "One launch. 2 more sentences."),
        ("c03-c", CONTRADICTED, CONTRADICTED, "No; not so."),
        ("c04-d", NOT_TESTABLE, NOT_TESTABLE, "Motives <script>alert(1)</script>."),
    ]
)


def test_tally_counts_every_verdict_in_order_zeros_included():
    assert scorecard.tally(LEDGER) == [(SUPPORTED, 2), (MIXED, 0), (CONTRADICTED, 1), (NOT_TESTABLE, 1)]
    assert scorecard.tally(LEDGER, "verdict_all_launches") == [
        (SUPPORTED, 1),
        (MIXED, 1),
        (CONTRADICTED, 1),
        (NOT_TESTABLE, 1),
    ]


def test_headline_states_the_tally_and_the_setting_difference():
    sentence, figures = scorecard.headline_text(LEDGER)
    assert sentence == (
        "Of the article's 4 factual claims, the data support 2, partly support none and contradict 1; "
        "1 cannot be tested with these data. Counting every launch, cruise missiles included changes "
        "the verdict on 1 claim."
    )
    assert figures == [
        ("2", "supported"),
        ("0", "mixed"),
        ("1", "contradicted"),
        ("1", "not testable"),
        ("3 of 4", "claims testable"),
    ]
    assert "partly support 1" in scorecard.headline_text(LEDGER, cns_threshold_only=False)[0]


def test_first_sentence():
    assert scorecard.first_sentence("Held on 12 June 2018. Second sentence.") == "Held on 12 June 2018."
    assert scorecard.first_sentence("One launch. 2 more.") == "One launch."
    assert scorecard.first_sentence("No full stop here") == "No full stop here"


def test_fact_check_rows_badges_flags_links_and_escaping():
    html = scorecard.fact_check(LEDGER).data
    rows = elements(html, "li", cls="claim-row")
    links = [a.attrs["href"] for a in elements(html, "a", cls="to-section")]
    assert len(rows) == 4 and links == ["#c01-a", "#c02-b", "#c03-c", "#c04-d"]
    assert [e.text for e in elements(html, "p", cls="why")][0] == "Held on 12 June 2018."  # one line of rationale
    assert "Second sentence" not in html
    (flag,) = elements(html, "p", cls="flag")  # only where the other setting differs
    assert f"{scorecard.MARK[MIXED]} {MIXED}" in flag.text and flag.text in rows[1].text
    assert elements(html, "div", cls="claim-verdict")[2].text == f"{scorecard.MARK[CONTRADICTED]} {CONTRADICTED}"
    assert len(elements(html, "span", cls="verdict-contradicted")) == 2  # coloured, in the tally and in its row
    assert "quote 1 &lt;b&gt;" in html and "&lt;script&gt;" in html and "<script>" not in html


def test_section_anchor_badge_and_figures():
    frames = {"sources": pd.DataFrame(columns=["source_id", "publisher", "title", "url"])}
    row = next(
        LEDGER.assign(
            result=[
                Verdict(
                    "c01-a", SUPPORTED, {"summits": 2, "signed": True, "share": 0.25, "n": 1200.0}, rationale="Yes."
                )
            ]
            + list(LEDGER["result"][1:])
        ).itertuples()
    )
    html = scorecard.section(frames, row, True).data
    (heading,) = elements(html, "h3")
    assert heading.attrs["id"] == "c01-a" and heading.text.startswith("Claim 1")
    assert [e.text for e in elements(html, cls="verdict")] == [f"{scorecard.MARK[SUPPORTED]} {SUPPORTED}"]
    cells = [e.text for e in elements(html, "td")]
    assert {"2", "yes", "1,200", "0.2"} <= set(cells)


def test_a_chart_only_where_it_adds_and_never_twice():
    frames = factories.article_tables()
    frames["claims"] = factories.two_claims()
    testable, untestable = list(claims.ledger(frames).itertuples())
    assert len(testable.result.evidence) >= scorecard.MIN_CHART_ROWS
    drawn = set()
    assert isinstance(scorecard.chart(frames, testable, True, drawn), go.Figure)
    assert scorecard.chart(frames, testable, True, drawn) is None  # the same evidence again: no second chart
    assert (
        scorecard.chart(frames, testable._replace(tables="diplomatic_events"), True, set()) is None
    )  # not about launches
    assert scorecard.chart(frames, untestable, True, set()) is None
