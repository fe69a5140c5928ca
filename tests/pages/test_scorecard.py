"""The scorecard as a fact-check page, on hand-made ledgers of engine results: tally, headline, one row per claim,
the 'how we rate' box every badge links to, the parts of a claim, the evidence without ids, the chart by kind."""

from __future__ import annotations

import re

import factories
import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import elements

from analysis import settings
from analysis.checks import engine as E
from analysis.checks import vocabulary as V
from analysis.checks.engine import CONSISTENT, CONTRADICTED, MIXED, NOT_TESTABLE, SUPPORTED
from analysis.pages import claim_words, scorecard

INTERNAL_ID = re.compile(r"\d{4}-\d{2}-\d{2}-[a-z]|draft-")


def ledger(rows) -> pd.DataFrame:
    """(claim_id, result, result with all launches) -> a ledger like claims.ledger's."""
    out = []
    for i, (claim_id, cns, every) in enumerate(rows, 1):
        out.append(
            {
                "claim_id": claim_id,
                "article_id": "article-a",
                "paragraph": i,
                "quote": f"quote {i} <b>",
                "claim": f"Claim {i} *restated*.",
                "testable": cns.verdict != NOT_TESTABLE,
                "reason": cns.reason,
                "verdict": cns.verdict,
                "verdict_all_launches": every.verdict,
                "result": cns,
                "result_all_launches": every,
            }
        )
    led = pd.DataFrame(out)
    return led.assign(depends_on_setting=led["verdict"] != led["verdict_all_launches"])


def result(claim_id: str, verdict: str, **kw) -> E.Result:
    return E.Result(claim_id, "count", verdict, {"value": 2, "measure": "rows", "at least": 1.0}, **kw)


UNTESTABLE = E.Result("c05-e", "none", NOT_TESTABLE, reason="Motives <script>alert(1)</script>.")
LEDGER = ledger(
    [
        ("c01-a", result("c01-a", SUPPORTED), result("c01-a", SUPPORTED)),
        ("c02-b", result("c02-b", SUPPORTED), result("c02-b", MIXED)),
        ("c03-c", result("c03-c", CONTRADICTED), result("c03-c", CONTRADICTED)),
        ("c04-d", result("c04-d", CONSISTENT), result("c04-d", CONSISTENT)),
        ("c05-e", UNTESTABLE, UNTESTABLE),
    ]
)


@pytest.fixture
def frames():
    f = factories.article_tables(
        sanction_rows=[
            dict(sanction_id="S/RES/2371", date="2017-08-05", source_ids="src-b"),
            dict(sanction_id="draft-2022-05-26", date="2022-05-26", action="vetoed", source_ids="src-b"),
        ]
    )
    f["economy"] = factories.economy(
        [dict(year=y, value=v, publisher="Bank of Korea", source_ids="bok") for y, v in [(2018, -4.1), (2020, -4.5)]]
    )
    f["sources"] = factories.sources([dict(source_id=s) for s in ("src-a", "src-b", "bok")])
    f["articles"] = factories.articles([dict(date_published="2022-12-31")])
    f["checks"] = factories.checks([])
    return f


def run(frames, kind: str, params: str, check_id: str = "x") -> E.Result:
    return E.evaluate({check_id: V.parse(check_id, kind, params)}, check_id, E.Context(frames, True))


def texts(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_tally_counts_every_verdict_in_the_engine_order_consistent_apart():
    assert scorecard.tally(LEDGER) == [
        (SUPPORTED, 2),
        (CONSISTENT, 1),
        (MIXED, 0),
        (CONTRADICTED, 1),
        (NOT_TESTABLE, 1),
    ]
    assert dict(scorecard.tally(LEDGER, "verdict_all_launches"))[MIXED] == 1


def test_headline_states_the_tally_and_the_setting_difference():
    sentence, figures = scorecard.headline_text(LEDGER)
    assert sentence == (
        "Of the article's 5 factual claims, the data support 2, find 1 consistent with the timing but cannot show "
        "the cause, partly support none and contradict 1; 1 cannot be tested with these data. Counting every "
        "launch, cruise missiles included changes the verdict on 1 claim."
    )
    assert figures[:2] == [("2", "supported"), ("1", "consistent, cause not shown")]
    assert figures[-1] == ("4 of 5", "claims testable")
    no_consistent = LEDGER[LEDGER["verdict"] != CONSISTENT].reset_index(drop=True)
    assert "consistent" not in scorecard.headline_text(no_consistent)[0]
    all_testable = LEDGER[LEDGER["verdict"] != NOT_TESTABLE].reset_index(drop=True)
    assert "contradict 1; all can be tested." in scorecard.headline_text(all_testable)[0]


def test_fact_check_rows_how_we_rate_and_every_badge_linked_to_it(frames):
    html = scorecard.fact_check(frames, LEDGER, "article-a").data
    rows = elements(html, "li", cls="claim-row")
    links = [a.attrs["href"] for a in elements(html, "a", cls="to-section")]
    assert len(rows) == 5 and links == ["#c01-a", "#c02-b", "#c03-c", "#c04-d", "#c05-e"]
    (box,) = [e for e in elements(html) if e.attrs.get("id") == scorecard.HOW_WE_RATE]
    assert [e.text for e in elements(html, "dt")] == [f"{scorecard.MARK[v]} {v}" for v in E.VERDICTS]
    badges = elements(html, cls="verdict")
    assert len(badges) == 5 + 5 + 5 + 1  # tally, the box, the rows, one flag
    assert {b.tag for b in badges} == {"a"} and {b.attrs["href"] for b in badges} == {f"#{scorecard.HOW_WE_RATE}"}
    (flag,) = elements(html, "p", cls="flag")  # only where the other setting differs
    assert f"{scorecard.MARK[MIXED]} {MIXED}" in flag.text and flag.text in rows[1].text
    (as_of,) = elements(html, "span", cls="as-of")
    assert re.fullmatch(r"Data as of \d{1,2} [A-Z][a-z]+ \d{4}\.", as_of.text)
    assert "\u201cA title\u201d (A publisher, 31 December 2022)" in elements(html, "p", cls="lede")[0].text
    assert "quote 1 &lt;b&gt;" in html and "&lt;script&gt;" in html and "<script>" not in html


def test_a_section_shows_the_parts_with_their_verdicts_and_both_halves_of_a_mixed_verdict(frames):
    holds = run(frames, "exists", "table=diplomatic_events; where.kind=summit; from=2018; to=2018", "c1.summit")
    fails = run(frames, "count", "table=missile_tests; from=2019; measure=missiles; at_most=0", "c1.quiet")
    mixed = E.Result("c1", "all", E.combine("all", [holds, fails]), parts=[holds, fails])
    assert mixed.verdict == MIXED
    frames["checks"] = factories.checks(
        [("c1", "all", "parts=c1.summit,c1.quiet"), ("c1.summit", "exists", ""), ("c1.quiet", "count", "")]
    ).assign(says=["Both hold.", "A summit was held.", "No missile flew after."])
    row = next(ledger([("c1", mixed, mixed)]).itertuples())
    html = scorecard.section(frames, row, True).data
    (summary,) = elements(html, "p", cls="summary")
    assert "Holds: A summit was held" in summary.text and "Does not hold: No missile flew after" in summary.text
    parts = elements(html, "ol", cls="check-parts")[0]
    assert "A summit was held." in parts.text and SUPPORTED in parts.text and CONTRADICTED in parts.text
    assert "2 missiles" in summary.text and "2" in [e.text for e in elements(html, "td")]
    (rule,) = elements(html, "p", cls="rule")
    assert rule.text == "What the check tests: Both hold."


def test_numbers_round_the_same_in_the_sentence_and_the_figures_table(frames):
    r = E.Result("c1", "value", SUPPORTED, {"value": 0.966666, "field": "mb", "stated": 1.0, "tolerance": 0.1})
    row = next(ledger([("c1", r, r)]).itertuples())
    html = scorecard.section(frames, row, True).data
    cells = dict(zip([e.text for e in elements(html, "th")], [e.text for e in elements(html, "td")]))
    assert cells["In the data"] == "0.97" and "is 0.97 " in elements(html, "p", cls="summary")[0].text


def test_no_internal_id_reaches_the_reader(frames):
    evs = run(frames, "exists", "table=diplomatic_events; where.trump_kim=true")
    vetoed = run(frames, "exists", "table=sanctions")
    launches = run(frames, "count", "table=missile_tests; from=2017; to=2017; measure=launch_days")
    gone = E.Result("c4", "exists", NOT_TESTABLE, reason="the diplomatic_events table has no row '2018-07-27-remains'")
    led = ledger([(f"c{i}", r, r) for i, r in enumerate([evs, vetoed, launches, gone], 1)])
    page = scorecard.fact_check(frames, led, "article-a").data
    page += "".join(s.data for s, _ in scorecard.sections(frames, led, True))
    shown = texts(page)
    assert not INTERNAL_ID.search(shown), INTERNAL_ID.findall(shown)
    assert "The vetoed draft of 26 May 2022" in shown and "S/RES/2371" in shown
    assert "3 missiles: Hwasong-14 (ICBM)" in shown  # a launch by its date and designation


def test_the_sources_behind_the_verdicts_include_the_economy_publishers(frames):
    growth = run(
        frames,
        "compare",
        "table=economy; where.measure=gdp_growth; baseline=2018..2018; period=2020..2020; direction=lower",
    )
    launches = run(frames, "count", "table=missile_tests; from=2017; to=2017")
    led = ledger([("c1", growth, growth), ("c2", launches, launches)])
    publishers = [s["publisher"] for s in scorecard.sources_behind(frames, led, True)]
    assert publishers[0] == "Bank of Korea" and "Pub src-a" in publishers
    rows = scorecard.all_evidence(frames, led, True)
    assert set(rows["kind"]) == {"estimate", "missile launch"} and rows["claims"].tolist().count("c1") == 2


def test_evidence_prints_expanded():
    css = (settings.PACKAGE_DIR / "templates" / "offline" / "report.css.j2").read_text(encoding="utf-8")
    print_rules = css[css.index("@media print") :]
    assert "details::details-content" in print_rules and "content-visibility: visible" in print_rules


def test_the_chart_is_chosen_by_kind_and_never_drawn_twice(frames):
    record = run(frames, "record", "table=missile_tests; measure=missiles; period=2016")
    (bars,) = scorecard.chart(frames, next(ledger([("c1", record, record)]).itertuples()), True, set()).data
    assert isinstance(bars, go.Bar) and list(bars.x) == [2016, 2017, 2019] and list(bars.y) == [24, 22, 2]
    assert bars.marker.color[0] != bars.marker.color[1]  # the claimed year stands out
    count = run(frames, "count", "table=missile_tests; from=2016; measure=launch_days")
    row = next(ledger([("c2", count, count)]).itertuples())
    drawn: set = set()
    timeline = scorecard.chart(frames, row, True, drawn)
    assert isinstance(timeline, go.Figure) and any(isinstance(t, go.Scatter) for t in timeline.data)
    assert scorecard.chart(frames, row, True, drawn) is None  # the same evidence again: no second chart
    summits = run(frames, "exists", "table=diplomatic_events; where.kind=summit")
    assert scorecard.chart(frames, next(ledger([("c3", summits, summits)]).itertuples()), True, set()) is None
    assert scorecard.chart(frames, next(ledger([("c4", UNTESTABLE, UNTESTABLE)]).itertuples()), True, set()) is None


def test_the_article_is_named_from_its_row_or_described_without_a_header(frames):
    assert scorecard.article_name(frames, "article-a") == "\u201cA title\u201d (A publisher, 31 December 2022)"
    frames["articles"] = factories.articles([dict(title=None, publisher=None)])
    assert scorecard.article_name(frames, "article-a") == scorecard.UNTITLED


def test_page_and_jsonld_names_follow_the_registry():
    assert scorecard.page_name("trump-kim-asia-trip") == "claims-scorecard"
    assert scorecard.page_name("cnn-2022-12-31-srbm") == "claims-scorecard-cnn-2022-12-31-srbm"
    assert scorecard.jsonld_name("trump-kim-asia-trip", False) == "claims-all-launches.jsonld"
    assert scorecard.jsonld_name("cnn-2022-12-31-srbm", True) == "claims-cnn-2022-12-31-srbm.jsonld"


def test_the_words_of_a_part_are_claim_words():
    r = result("c1", SUPPORTED, table="diplomatic_events")
    assert scorecard._parts(E.Result("c", "all", SUPPORTED, parts=[r]), {"c1": "Says."})[0]["rationale"] == (
        claim_words.rationale(r)
    )
