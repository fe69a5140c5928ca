"""Each claim check on small synthetic tables built so that its verdict flips; the ledger and the scorecard."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import frame

from analysis import settings
from analysis.checks import claims
from analysis.checks.claims import CONTRADICTED, MIXED, NOT_TESTABLE, SUPPORTED
from analysis.data import load as data
from analysis.pages import scorecard

ARTICLE = settings.ROOT.parent / "shared" / "article.txt"
SING, HANOI, PANMUNJOM = "2018-06-12-singapore-summit", "2019-02-27-hanoi-summit", "2019-06-30-panmunjom-meeting"


def missile(date, name="Scud-B", cls="SRBM", cns=True, confirmed=True, k=1):
    d = pd.Timestamp(date)
    return {
        "missile_id": f"M{d:%Y%m%d}-{k:02d}",
        "launch_id": f"L{d:%Y-%m-%d}",
        "date_kst": d,
        "missile_name": name,
        "missile_class": cls,
        "cns_threshold": cns,
        "confirmed": confirmed,
        "source_ids": "src-a",
    }


def salvo(date, n, **kw):
    return [missile(date, k=k, **kw) for k in range(1, n + 1)]


def nuke(date, mb):
    d = pd.Timestamp(date)
    return {
        "test_id": f"N{d:%Y-%m-%d}",
        "date_kst": d,
        "mb": mb,
        "yield_kt_low": 1.0,
        "yield_kt_high": 2.0,
        "source_ids": "src-a",
    }


def event(event_id, kind, outcome="", parties="US;DPRK", trump_kim=False, end=None, title=None):
    start = pd.Timestamp(event_id[:10])
    return {
        "event_id": event_id,
        "start_date": start,
        "end_date": pd.Timestamp(end) if end else start,
        "kind": kind,
        "parties": parties,
        "location": "somewhere",
        "title": title or event_id[11:],
        "outcome": outcome,
        "trump_kim": trump_kim,
        "source_ids": "src-b",
    }


def resolution(sid, date, kind="sanctions", action="adopted"):
    return {
        "sanction_id": sid,
        "resolution": None,
        "date": pd.Timestamp(date),
        "action": action,
        "kind": kind,
        "measures": f"{kind} text",
        "source_ids": "src-b",
    }


def base_events():
    return [
        event("2017-08-08-fire-and-fury", "statement", trump_kim=True),
        event(SING, "summit", "The leaders signed a statement on complete denuclearisation.", trump_kim=True),
        event(HANOI, "summit", "Ended early; no deal.", trump_kim=True, end="2019-02-28"),
        event(PANMUNJOM, "summit", "Agreed to restart talks.", parties="US;DPRK;ROK", trump_kim=True),
        event("2019-10-05-stockholm-talks", "talks", "Broke down."),
        event("2025-10-24-trump-open-to-meeting", "intent_to_meet", trump_kim=True),
        event("2026-01-01-later-statement", "statement", parties="DPRK"),
    ]


def base_missiles():
    return (
        salvo("2016-03-10", 24)
        + salvo("2017-05-14", 18)
        + salvo("2017-07-04", 3, name="Hwasong-14", cls="ICBM")
        + salvo("2017-11-29", 1, name="Hwasong-15", cls="ICBM")
        + salvo("2019-05-04", 2, name="KN-23")
    )


def make(missiles=None, nuclear=None, events=None, sanctions=None) -> dict[str, pd.DataFrame]:
    rows = {
        "missile_tests": base_missiles() if missiles is None else missiles,
        "nuclear_tests": [nuke("2016-09-09", 5.3), nuke("2017-09-03", 6.3)] if nuclear is None else nuclear,
        "diplomatic_events": base_events() if events is None else events,
        "sanctions": (
            [
                resolution("S/RES/2270", "2016-03-02"),
                resolution("S/RES/2371", "2017-08-05"),
                resolution("S/RES/2375", "2017-09-11"),
                resolution("S/RES/2407", "2018-03-21", "panel_renewal"),
            ]
            if sanctions is None
            else sanctions
        ),
    }
    frames = {name: frame(name, table) for name, table in rows.items()}
    frames["sources"] = pd.DataFrame(
        {
            "source_id": ["src-a", "src-b"],
            "publisher": ["Pub A", "Pub B"],
            "title": ["Title A", "Title B"],
            "url": ["https://a.example", "https://b.example"],
        }
    )
    return frames


def replace(events, event_id, **changes):
    return [({**e, **changes} if e["event_id"] == event_id else e) for e in events]


def without(events, event_id):
    return [e for e in events if e["event_id"] != event_id]


# ---- one test per check: the verdict flips with the data ------------------------------------------------------


def test_intent_to_meet():
    assert claims.check_intent_to_meet(make()).verdict == SUPPORTED
    assert (
        claims.check_intent_to_meet(make(events=without(base_events(), "2025-10-24-trump-open-to-meeting"))).verdict
        == CONTRADICTED
    )


def test_all_time_high_flips_with_the_measures():
    v = claims.check_all_time_high(make())
    assert v.verdict == SUPPORTED  # 2017 leads ICBMs, nuclear mb and sanctions; 2016 has more missiles
    assert v.figures["missiles launched: highest year"] == "2016 (24)"
    assert "2016: 24 against 22" in v.rationale
    # 2017 keeps the best composite but leads only two of five measures: mixed
    two_leads = make(
        sanctions=[
            resolution("S/RES/2270", "2016-03-02"),
            resolution("S/RES/2271", "2016-06-02"),
            resolution("S/RES/2371", "2017-08-05"),
        ],
        missiles=salvo("2016-03-10", 24)
        + [missile(f"2016-04-{d:02d}") for d in range(1, 11)]
        + salvo("2017-07-04", 22, name="Hwasong-14", cls="ICBM"),
    )
    assert claims.check_all_time_high(two_leads).verdict == MIXED
    # 2016 bigger on everything: contradicted
    bigger_2016 = make(
        missiles=salvo("2016-03-10", 40, name="X", cls="ICBM") + [missile("2016-05-01")] + salvo("2017-05-14", 5),
        nuclear=[nuke("2016-09-09", 6.5), nuke("2017-09-03", 5.0)],
        sanctions=[resolution("S/RES/2270", "2016-03-02"), resolution("S/RES/2321", "2016-11-30")],
    )
    assert claims.check_all_time_high(bigger_2016).verdict == CONTRADICTED


def test_fire_and_fury():
    assert claims.check_fire_and_fury(make()).verdict == SUPPORTED
    moved = replace(
        base_events(),
        "2017-08-08-fire-and-fury",
        start_date=pd.Timestamp("2016-08-08"),
        end_date=pd.Timestamp("2016-08-08"),
    )
    assert claims.check_fire_and_fury(make(events=moved)).verdict == CONTRADICTED
    assert (
        claims.check_fire_and_fury(make(events=without(base_events(), "2017-08-08-fire-and-fury"))).verdict
        == NOT_TESTABLE
    )


def test_singapore_summit():
    assert claims.check_singapore_summit(make()).verdict == SUPPORTED
    earlier = base_events() + [event("2000-10-23-clinton-summit", "summit")]
    assert claims.check_singapore_summit(make(events=earlier)).verdict == MIXED
    assert (
        claims.check_singapore_summit(make(events=replace(base_events(), SING, kind="meeting"))).verdict == CONTRADICTED
    )


def test_joint_statement():
    assert claims.check_joint_statement(make()).verdict == SUPPORTED
    vague = replace(base_events(), SING, outcome="The leaders signed a statement on new relations.")
    assert claims.check_joint_statement(make(events=vague)).verdict == MIXED
    unsigned = replace(base_events(), SING, outcome="They talked about denuclearisation.")
    assert claims.check_joint_statement(make(events=unsigned)).verdict == CONTRADICTED
    # an agreement row dated at the summit counts as signed
    with_row = unsigned + [event("2018-06-12-joint-statement", "agreement", "Commits to denuclearisation.")]
    assert claims.check_joint_statement(make(events=with_row)).verdict == SUPPORTED


def test_little_progress():
    assert claims.check_little_progress(make()).verdict == SUPPORTED
    deal = base_events() + [event("2020-03-01-new-deal", "agreement")]
    assert claims.check_little_progress(make(events=deal)).verdict == MIXED
    relief = make(events=deal, sanctions=[resolution("S/RES/9999", "2020-05-01", kind="other")])
    v = claims.check_little_progress(relief)
    assert v.verdict == CONTRADICTED and "S/RES/9999" in v.evidence


def test_continued_development():
    assert claims.check_continued_development(make()).verdict == MIXED  # quiet until Hanoi, KN-23 after
    busy = make(missiles=base_missiles() + [missile("2018-09-01")])
    assert claims.check_continued_development(busy).verdict == SUPPORTED
    only_old = make(missiles=salvo("2016-03-10", 2) + salvo("2019-05-04", 2) + salvo("2019-06-01", 1, name="Unknown"))
    v = claims.check_continued_development(only_old)
    assert v.verdict == CONTRADICTED and v.figures["new types, year after Hanoi"] == 0


def test_hanoi_no_deal():
    assert claims.check_hanoi_no_deal(make()).verdict == SUPPORTED
    signed = base_events() + [event("2019-02-28-hanoi-declaration", "agreement")]
    assert claims.check_hanoi_no_deal(make(events=signed)).verdict == MIXED
    relief = make(events=signed, sanctions=[resolution("S/RES/9999", "2019-04-01", kind="other")])
    assert claims.check_hanoi_no_deal(relief).verdict == CONTRADICTED


def test_talks_broke_down():
    assert claims.check_talks_broke_down(make()).verdict == SUPPORTED
    kept_talking = base_events() + [event(f"{y}-0{m}-01-round", "talks") for y in range(2020, 2026) for m in (3, 9)]
    assert claims.check_talks_broke_down(make(events=kept_talking)).verdict == CONTRADICTED
    later_break = base_events() + [event("2020-03-01-round", "talks"), event("2020-09-01-round", "talks")]
    assert claims.check_talks_broke_down(make(events=later_break)).verdict == MIXED


def test_resumed_testing():
    v = claims.check_resumed_testing(make())
    assert v.verdict == SUPPORTED and v.figures["first launch after Hanoi"] == "4 May 2019"
    assert claims.check_resumed_testing(make(missiles=salvo("2017-05-14", 2))).verdict == CONTRADICTED
    unconfirmed = make(missiles=salvo("2017-05-14", 2) + salvo("2019-04-17", 1, confirmed=False))
    v = claims.check_resumed_testing(unconfirmed)
    assert v.verdict == MIXED and v.figures["first launch confirmed"] is False
    later_confirmed = make(
        missiles=salvo("2017-05-14", 2) + salvo("2019-04-17", 1, confirmed=False) + salvo("2019-05-04", 2)
    )
    v = claims.check_resumed_testing(later_confirmed)
    assert v.verdict == SUPPORTED and v.figures["first confirmed launch after Hanoi"] == "4 May 2019"
    assert "unconfirmed" in v.rationale


def test_resumed_testing_depends_on_the_inclusion_setting():
    cruise_before = make(
        missiles=base_missiles() + [missile("2019-01-20", name="Cruise missile", cls="cruise", cns=False)]
    )
    assert claims.check_resumed_testing(cruise_before, cns_threshold_only=True).verdict == SUPPORTED
    assert claims.check_resumed_testing(cruise_before, cns_threshold_only=False).verdict == MIXED


def test_sanctions_in_force():
    assert claims.check_sanctions_in_force(make()).verdict == SUPPORTED
    eased = make(
        sanctions=[resolution("S/RES/2270", "2016-03-02"), resolution("S/RES/9999", "2020-01-01", kind="other")]
    )
    assert claims.check_sanctions_in_force(eased).verdict == MIXED
    none = make(sanctions=[resolution("S/RES/2407", "2018-03-21", "panel_renewal")])
    assert claims.check_sanctions_in_force(none).verdict == CONTRADICTED


def test_denuclearization_consensus():
    assert claims.check_denuclearization_consensus(make()).verdict == SUPPORTED
    signed_later = replace(base_events(), PANMUNJOM, outcome="They signed a pledge to keep talking.")
    assert claims.check_denuclearization_consensus(make(events=signed_later)).verdict == MIXED
    agreed = base_events() + [event("2020-01-01-accord", "agreement", "A roadmap to denuclearisation.")]
    assert claims.check_denuclearization_consensus(make(events=agreed)).verdict == CONTRADICTED
    only_one = [e for e in base_events() if e["event_id"] not in (HANOI, PANMUNJOM)]
    assert claims.check_denuclearization_consensus(make(events=only_one)).verdict == NOT_TESTABLE


def test_limited_success():
    assert claims.check_limited_success(make()).verdict == SUPPORTED
    all_signed = [({**e, "outcome": "They signed a text."} if e["kind"] == "summit" else e) for e in base_events()]
    assert claims.check_limited_success(make(events=all_signed)).verdict == MIXED
    eased = make(events=all_signed, sanctions=[resolution("S/RES/9999", "2019-03-10", kind="other")])
    assert claims.check_limited_success(eased).verdict == CONTRADICTED


def test_rationale_follows_the_data():
    v = claims.check_resumed_testing(make(missiles=base_missiles() + salvo("2019-07-01", 5)))
    assert v.figures["missiles in the year after Hanoi"] == 7 and "7 missiles" in v.rationale


def test_verdict_rejects_an_unknown_word():
    with pytest.raises(ValueError, match="unknown verdict"):
        claims.Verdict("c99-x", "true")


# ---- the ledger --------------------------------------------------------------------------------------------------


def synthetic_claims() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claim_id": ["c14-resumed-testing", "c17-legacy"],
            "paragraph": [6, 9],
            "quote": ["resumed testing", "legacy"],
            "claim": ["Testing resumed.", "Legacy."],
            "testable": [True, False],
            "check": ["check_resumed_testing", None],
            "tables": ["missile_tests", None],
            "reason": [None, "Motives."],
        }
    )


def test_ledger_flags_a_verdict_that_depends_on_the_setting():
    frames = make(missiles=base_missiles() + [missile("2019-01-20", name="Cruise missile", cls="cruise", cns=False)])
    frames["claims"] = synthetic_claims()
    led = claims.ledger(frames).set_index("claim_id")
    assert led.loc["c14-resumed-testing", ["verdict", "verdict_all_launches"]].tolist() == [SUPPORTED, MIXED]
    assert led["depends_on_setting"].tolist() == [True, False]
    assert led.loc["c17-legacy", "verdict"] == NOT_TESTABLE and led.loc["c17-legacy", "result"].rationale == "Motives."


def test_ledger_refuses_a_check_assigned_to_the_wrong_claim():
    frames = make()
    frames["claims"] = synthetic_claims().assign(check=["check_fire_and_fury", None])
    with pytest.raises(ValueError, match="checks c05-fire-and-fury"):
        claims.ledger(frames)


# ---- the shipped ledger (claims.csv) -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return claims.claims_table(data.load_all())


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
    frames = make()
    frames["claims"] = synthetic_claims()
    led = claims.ledger(frames)
    first, second = list(led.itertuples())[:2]
    html = scorecard.section(frames, first, cns_threshold_only=True)
    assert "\u2714</span> supported" in html.data and "Pub A" in html.data
    assert (
        scorecard.chart(frames, second, True, set()) is None
        and "Motives." in scorecard.section(frames, second, True).data
    )
    cited = scorecard.all_evidence(frames, led, True)
    assert cited["id"].is_unique and {"source_ids", "claims"} <= set(cited.columns)
