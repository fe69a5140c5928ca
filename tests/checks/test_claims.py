"""Each claim check on small synthetic tables built so that its verdict flips; the ledger and the scorecard."""

from __future__ import annotations

import factories
import pandas as pd
import pytest
from conftest import elements
from factories import HANOI, PANMUNJOM, SING, base_events, base_missiles, salvo

from analysis import settings
from analysis.checks import claims
from analysis.checks.claims import CONTRADICTED, MIXED, NOT_TESTABLE, SUPPORTED
from analysis.data import load
from analysis.pages import scorecard

ARTICLE = settings.ROOT.parent / "shared" / "article.txt"


def replace(events, event_id, **changes):
    return [({**e, **changes} if e["event_id"] == event_id else e) for e in events]


def without(events, event_id):
    return [e for e in events if e["event_id"] != event_id]


# ---- one test per check: the verdict flips with the data ------------------------------------------------------


def test_intent_to_meet():
    assert claims.check_intent_to_meet(factories.article_tables()).verdict == SUPPORTED
    assert (
        claims.check_intent_to_meet(
            factories.article_tables(event_rows=without(base_events(), "2025-10-24-trump-open-to-meeting"))
        ).verdict
        == CONTRADICTED
    )


def test_all_time_high_flips_with_the_measures():
    v = claims.check_all_time_high(factories.article_tables())
    assert v.verdict == SUPPORTED  # 2017 leads ICBMs, nuclear mb and sanctions; 2016 has more missiles
    assert v.figures["missiles launched: highest year"] == "2016 (24)"
    assert "2016: 24 against 22" in v.rationale
    # 2017 keeps the best composite but leads only two of five measures: mixed
    two_leads = factories.article_tables(
        sanction_rows=[
            dict(sanction_id="S/RES/2270", date="2016-03-02"),
            dict(sanction_id="S/RES/2271", date="2016-06-02"),
            dict(sanction_id="S/RES/2371", date="2017-08-05"),
        ],
        missile_rows=salvo("2016-03-10", 24)
        + [dict(date_kst=f"2016-04-{d:02d}") for d in range(1, 11)]
        + salvo("2017-07-04", 22, missile_name="Hwasong-14", missile_class="ICBM"),
    )
    assert claims.check_all_time_high(two_leads).verdict == MIXED
    # 2016 bigger on everything: contradicted
    bigger_2016 = factories.article_tables(
        missile_rows=salvo("2016-03-10", 40, missile_name="X", missile_class="ICBM")
        + salvo("2016-05-01", 1)
        + salvo("2017-05-14", 5),
        nuclear_rows=[dict(date_kst="2016-09-09", mb=6.5), dict(date_kst="2017-09-03", mb=5.0)],
        sanction_rows=[
            dict(sanction_id="S/RES/2270", date="2016-03-02"),
            dict(sanction_id="S/RES/2321", date="2016-11-30"),
        ],
    )
    assert claims.check_all_time_high(bigger_2016).verdict == CONTRADICTED


def test_fire_and_fury():
    assert claims.check_fire_and_fury(factories.article_tables()).verdict == SUPPORTED
    moved = replace(
        base_events(),
        "2017-08-08-fire-and-fury",
        start_date=pd.Timestamp("2016-08-08"),
        end_date=pd.Timestamp("2016-08-08"),
    )
    assert claims.check_fire_and_fury(factories.article_tables(event_rows=moved)).verdict == CONTRADICTED
    assert (
        claims.check_fire_and_fury(
            factories.article_tables(event_rows=without(base_events(), "2017-08-08-fire-and-fury"))
        ).verdict
        == NOT_TESTABLE
    )


def test_singapore_summit():
    assert claims.check_singapore_summit(factories.article_tables()).verdict == SUPPORTED
    earlier = base_events() + [dict(event_id="2000-10-23-clinton-summit", kind="summit")]
    assert claims.check_singapore_summit(factories.article_tables(event_rows=earlier)).verdict == MIXED
    assert (
        claims.check_singapore_summit(
            factories.article_tables(event_rows=replace(base_events(), SING, kind="meeting"))
        ).verdict
        == CONTRADICTED
    )


def test_joint_statement():
    assert claims.check_joint_statement(factories.article_tables()).verdict == SUPPORTED
    vague = replace(base_events(), SING, outcome="The leaders signed a statement on new relations.")
    assert claims.check_joint_statement(factories.article_tables(event_rows=vague)).verdict == MIXED
    unsigned = replace(base_events(), SING, outcome="They talked about denuclearisation.")
    assert claims.check_joint_statement(factories.article_tables(event_rows=unsigned)).verdict == CONTRADICTED
    # an agreement row dated at the summit counts as signed
    with_row = unsigned + [
        dict(event_id="2018-06-12-joint-statement", kind="agreement", outcome="Commits to denuclearisation.")
    ]
    assert claims.check_joint_statement(factories.article_tables(event_rows=with_row)).verdict == SUPPORTED


def test_little_progress():
    assert claims.check_little_progress(factories.article_tables()).verdict == SUPPORTED
    deal = base_events() + [dict(event_id="2020-03-01-new-deal", kind="agreement")]
    assert claims.check_little_progress(factories.article_tables(event_rows=deal)).verdict == MIXED
    relief = factories.article_tables(
        event_rows=deal, sanction_rows=[dict(sanction_id="S/RES/9999", date="2020-05-01", kind="other")]
    )
    v = claims.check_little_progress(relief)
    assert v.verdict == CONTRADICTED and "S/RES/9999" in v.evidence


def test_continued_development():
    assert (
        claims.check_continued_development(factories.article_tables()).verdict == MIXED
    )  # quiet until Hanoi, KN-23 after
    busy = factories.article_tables(missile_rows=base_missiles() + salvo("2018-09-01", 1))
    assert claims.check_continued_development(busy).verdict == SUPPORTED
    only_old = factories.article_tables(
        missile_rows=salvo("2016-03-10", 2) + salvo("2019-05-04", 2) + salvo("2019-06-01", 1, missile_name="Unknown")
    )
    v = claims.check_continued_development(only_old)
    assert v.verdict == CONTRADICTED and v.figures["new types, year after Hanoi"] == 0


def test_hanoi_no_deal():
    assert claims.check_hanoi_no_deal(factories.article_tables()).verdict == SUPPORTED
    signed = base_events() + [dict(event_id="2019-02-28-hanoi-declaration", kind="agreement")]
    assert claims.check_hanoi_no_deal(factories.article_tables(event_rows=signed)).verdict == MIXED
    relief = factories.article_tables(
        event_rows=signed, sanction_rows=[dict(sanction_id="S/RES/9999", date="2019-04-01", kind="other")]
    )
    assert claims.check_hanoi_no_deal(relief).verdict == CONTRADICTED


def test_talks_broke_down():
    assert claims.check_talks_broke_down(factories.article_tables()).verdict == SUPPORTED
    kept_talking = base_events() + [
        dict(event_id=f"{y}-0{m}-01-round", kind="talks") for y in range(2020, 2026) for m in (3, 9)
    ]
    assert claims.check_talks_broke_down(factories.article_tables(event_rows=kept_talking)).verdict == CONTRADICTED
    later_break = base_events() + [
        dict(event_id="2020-03-01-round", kind="talks"),
        dict(event_id="2020-09-01-round", kind="talks"),
    ]
    assert claims.check_talks_broke_down(factories.article_tables(event_rows=later_break)).verdict == MIXED


def test_resumed_testing():
    v = claims.check_resumed_testing(factories.article_tables())
    assert v.verdict == SUPPORTED and v.figures["first launch after Hanoi"] == "4 May 2019"
    assert (
        claims.check_resumed_testing(factories.article_tables(missile_rows=salvo("2017-05-14", 2))).verdict
        == CONTRADICTED
    )
    unconfirmed = factories.article_tables(
        missile_rows=salvo("2017-05-14", 2) + salvo("2019-04-17", 1, confirmed=False)
    )
    v = claims.check_resumed_testing(unconfirmed)
    assert v.verdict == MIXED and v.figures["first launch confirmed"] is False
    later_confirmed = factories.article_tables(
        missile_rows=salvo("2017-05-14", 2) + salvo("2019-04-17", 1, confirmed=False) + salvo("2019-05-04", 2)
    )
    v = claims.check_resumed_testing(later_confirmed)
    assert v.verdict == SUPPORTED and v.figures["first confirmed launch after Hanoi"] == "4 May 2019"
    assert "unconfirmed" in v.rationale


def test_resumed_testing_depends_on_the_inclusion_setting():
    cruise_before = factories.article_tables(
        missile_rows=base_missiles()
        + salvo("2019-01-20", 1, missile_name="Cruise missile", missile_class="cruise", cns_threshold=False)
    )
    assert claims.check_resumed_testing(cruise_before, cns_threshold_only=True).verdict == SUPPORTED
    assert claims.check_resumed_testing(cruise_before, cns_threshold_only=False).verdict == MIXED


def test_sanctions_in_force():
    assert claims.check_sanctions_in_force(factories.article_tables()).verdict == SUPPORTED
    eased = factories.article_tables(
        sanction_rows=[
            dict(sanction_id="S/RES/2270", date="2016-03-02"),
            dict(sanction_id="S/RES/9999", date="2020-01-01", kind="other"),
        ]
    )
    assert claims.check_sanctions_in_force(eased).verdict == MIXED
    none = factories.article_tables(
        sanction_rows=[dict(sanction_id="S/RES/2407", date="2018-03-21", kind="panel_renewal")]
    )
    assert claims.check_sanctions_in_force(none).verdict == CONTRADICTED


def test_denuclearization_consensus():
    assert claims.check_denuclearization_consensus(factories.article_tables()).verdict == SUPPORTED
    signed_later = replace(base_events(), PANMUNJOM, outcome="They signed a pledge to keep talking.")
    assert claims.check_denuclearization_consensus(factories.article_tables(event_rows=signed_later)).verdict == MIXED
    agreed = base_events() + [
        dict(event_id="2020-01-01-accord", kind="agreement", outcome="A roadmap to denuclearisation.")
    ]
    assert claims.check_denuclearization_consensus(factories.article_tables(event_rows=agreed)).verdict == CONTRADICTED
    only_one = [e for e in base_events() if e["event_id"] not in (HANOI, PANMUNJOM)]
    assert (
        claims.check_denuclearization_consensus(factories.article_tables(event_rows=only_one)).verdict == NOT_TESTABLE
    )


def test_limited_success():
    assert claims.check_limited_success(factories.article_tables()).verdict == SUPPORTED
    all_signed = [({**e, "outcome": "They signed a text."} if e["kind"] == "summit" else e) for e in base_events()]
    assert claims.check_limited_success(factories.article_tables(event_rows=all_signed)).verdict == MIXED
    eased = factories.article_tables(
        event_rows=all_signed, sanction_rows=[dict(sanction_id="S/RES/9999", date="2019-03-10", kind="other")]
    )
    assert claims.check_limited_success(eased).verdict == CONTRADICTED


def test_rationale_follows_the_data():
    v = claims.check_resumed_testing(factories.article_tables(missile_rows=base_missiles() + salvo("2019-07-01", 5)))
    assert v.figures["missiles in the year after Hanoi"] == 7 and "7 missiles" in v.rationale


def test_verdict_rejects_an_unknown_word():
    with pytest.raises(ValueError, match="unknown verdict"):
        claims.Verdict("c99-x", "true")


# ---- the ledger --------------------------------------------------------------------------------------------------


def test_ledger_flags_a_verdict_that_depends_on_the_setting():
    frames = factories.article_tables(
        missile_rows=base_missiles()
        + salvo("2019-01-20", 1, missile_name="Cruise missile", missile_class="cruise", cns_threshold=False)
    )
    frames["claims"] = factories.two_claims()
    led = claims.ledger(frames).set_index("claim_id")
    assert led.loc["c14-resumed-testing", ["verdict", "verdict_all_launches"]].tolist() == [SUPPORTED, MIXED]
    assert led["depends_on_setting"].tolist() == [True, False]
    assert led.loc["c17-legacy", "verdict"] == NOT_TESTABLE and led.loc["c17-legacy", "result"].rationale == "Motives."


def test_ledger_refuses_a_check_assigned_to_the_wrong_claim():
    frames = factories.article_tables()
    frames["claims"] = factories.two_claims().assign(check=["check_fire_and_fury", None])
    with pytest.raises(ValueError, match="checks c05-fire-and-fury"):
        claims.ledger(frames)


# ---- the shipped ledger (claims.csv) -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return claims.claims_table(load.load_all())


def test_every_testable_claim_has_a_check_and_every_other_a_reason(shipped):
    for row in shipped.itertuples():
        if row.testable:
            assert row.check in claims.CHECKS and row.tables, row.claim_id
            assert "Rule:" in claims.CHECKS[row.check].__doc__, row.check
        else:
            assert pd.isna(row.check) and row.reason, row.claim_id
    assert shipped["claim_id"].is_unique
    assert set(claims.CHECKS) <= set(shipped["check"].dropna())  # no check left without its claim


@pytest.mark.skipif(not ARTICLE.is_file(), reason="the article is not in this checkout")
def test_quotes_are_short_and_exact(shipped):
    paragraphs = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in shipped.itertuples():
        assert len(row.quote.split()) <= 12, row.claim_id
        assert row.quote in paragraphs[row.paragraph - 1], row.claim_id


# ---- the scorecard -----------------------------------------------------------------------------------------------


def test_scorecard_section_has_badge_rationale_evidence_and_chart():
    frames = factories.article_tables()
    frames["claims"] = factories.two_claims()
    led = claims.ledger(frames)
    first, second = list(led.itertuples())[:2]
    html = scorecard.section(frames, first, cns_threshold_only=True)
    assert elements(html.data, cls="verdict")[0].text == f"{scorecard.MARK[SUPPORTED]} {SUPPORTED}"
    assert "Pub src-a" in html.data
    assert (
        scorecard.chart(frames, second, True, set()) is None
        and "Motives." in scorecard.section(frames, second, True).data
    )
    cited = scorecard.all_evidence(frames, led, True)
    assert cited["id"].is_unique and {"source_ids", "claims"} <= set(cited.columns)
