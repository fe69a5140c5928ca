"""The claims ledger: the shipped check rows on small made-up tables built so that verdicts flip, the shipped
ledger as a whole (every claim checked or explained, quotes exact), and validation of check rows."""

from __future__ import annotations

import re

import factories
import pandas as pd
import pytest
from conftest import copy_curated
from factories import HANOI, SING, base_events, base_missiles, salvo
from typer.testing import CliRunner

from analysis import settings
from analysis.checks import claims
from analysis.checks import engine as E
from analysis.cli import app
from analysis.data import load

SHARED = settings.ROOT.parent / "shared"
HEADER = re.compile(r"^(Title|Publisher|Date|URL|Also):")


@pytest.fixture(scope="module")
def shipped() -> dict[str, pd.DataFrame]:
    return load.load_all()


def world(**rows) -> dict[str, pd.DataFrame]:
    """The made-up tables with the shipped claims, checks and articles."""
    frames = factories.article_tables(**rows)
    real = load.load_all()
    frames |= {name: real[name] for name in ("claims", "checks", "articles")}
    frames["economy"] = factories.economy([])
    return frames


def verdict(frames, claim_id: str, cns: bool = True) -> E.Result:
    row = claims.ledger(frames).set_index("claim_id").loc[claim_id]
    return row["result"] if cns else row["result_all_launches"]


def replace(events, event_id, **changes):
    return [({**e, **changes} if e["event_id"] == event_id else e) for e in events]


# ---- shipped checks on made-up tables: each verdict follows the data ----------------------------------------------


def test_intent_to_meet_tests_the_asia_trip_and_says_recently_cannot_be_tested():
    r = verdict(world(), "c01-intent-to-meet")
    assert r.verdict == E.SUPPORTED
    assert [p.verdict for p in r.parts][-1] == E.NOT_TESTABLE and "no date" in r.parts[-1].reason
    moved = replace(base_events(), "2025-10-24-trump-open-to-meeting", start_date="2025-09-01", end_date="2025-09-01")
    assert verdict(world(event_rows=moved), "c01-intent-to-meet").verdict == E.MIXED


def test_joint_statement_reads_the_typed_signed_column_not_the_outcome_text():
    assert verdict(world(), "c08-joint-statement").verdict == E.SUPPORTED
    unsigned = replace(base_events(), SING, signed=False, document=None)  # outcome text still says "signed"
    assert verdict(world(event_rows=unsigned), "c08-joint-statement").verdict == E.CONTRADICTED


def test_continued_weapons_counts_new_types_by_designation():
    r = verdict(world(), "c10-continued-weapons")
    new_types = r.parts[2]
    assert new_types.figures["value"] == 1  # KN-23 (Hwasong-11A) first flew in 2019
    respelt = base_missiles()[:-2] + salvo("2019-05-04", 2, missile_name="Hwasong-15 (KN-22)")
    r = verdict(world(missile_rows=respelt), "c10-continued-weapons")
    assert r.parts[2].figures["value"] == 0 and r.verdict == E.MIXED  # one type, two spellings: not new


def test_resumed_testing_and_hanoi():
    assert verdict(world(), "c14-resumed-testing").verdict == E.SUPPORTED
    busy = base_missiles() + [dict(date_kst="2019-01-10")]  # no pause before Hanoi
    assert verdict(world(missile_rows=busy), "c14-resumed-testing").verdict == E.MIXED
    signed_hanoi = replace(base_events(), HANOI, signed=True, document="A deal")
    assert verdict(world(event_rows=signed_hanoi), "c12-hanoi-no-deal").verdict == E.MIXED  # relief still none


def test_sanctions_relief_is_the_typed_eases_column():
    assert verdict(world(), "c21-sanctions-in-force").verdict == E.SUPPORTED
    eased = factories.base_sanctions() + [dict(sanction_id="S/RES/9999", date="2019-06-01", kind="other", eases=True)]
    assert verdict(world(sanction_rows=eased), "c21-sanctions-in-force").verdict == E.MIXED
    assert verdict(world(sanction_rows=eased), "c25-limited-success").verdict == E.MIXED


def test_an_economy_claim_without_figures_is_not_testable_and_a_causal_one_is_only_consistent(shipped):
    assert verdict(world(), "c21-sanctions-economy").verdict == E.NOT_TESTABLE
    assert verdict(shipped, "c21-sanctions-economy").verdict == E.CONSISTENT


# ---- the shipped ledger ----------------------------------------------------------------------------------------


def test_the_shipped_rows_are_valid_and_every_claim_is_checked_or_explained(shipped):
    assert claims.problems(shipped) == []
    led = claims.ledger(shipped)
    assert led["claim_id"].is_unique and set(led["article_id"]) == set(shipped["articles"]["article_id"])
    for row in led.itertuples():
        assert (row.result.kind != "none") == row.testable, row.claim_id
        assert row.testable or row.reason, row.claim_id
        assert row.result.verdict in E.VERDICTS


def test_the_ledger_of_one_article(shipped):
    cnn = claims.ledger(shipped, "cnn-2022-12-31-srbm")
    assert len(cnn) == 11 and set(cnn["article_id"]) == {"cnn-2022-12-31-srbm"}
    four = cnn.set_index("claim_id").loc["cnn-c06-four-in-2020"]
    assert four["depends_on_setting"]  # four matches the CNS launch days, not every launch
    assert four["result"].figures["value"] == 4 and four["result_all_launches"].figures["value"] > 4


@pytest.mark.parametrize("article_id", ["trump-kim-asia-trip", "cnn-2022-12-31-srbm"])
def test_quotes_are_short_and_exact(shipped, article_id):
    article = shipped["articles"].set_index("article_id").loc[article_id]
    path = SHARED / article["text_file"]
    if not path.is_file():
        pytest.skip("the article is not beside this checkout")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = [line for line in lines if not HEADER.match(line)]
    for row in shipped["claims"][shipped["claims"]["article_id"] == article_id].itertuples():
        assert len(row.quote.split()) <= 12, row.claim_id
        assert row.quote in paragraphs[row.paragraph - 1], row.claim_id


# ---- validation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("cnn-c99-x,cnn-c01-three-srbms,tally,table=missile_tests,x", "kind: 'tally' is not one of"),
        ("cnn-c01-three-srbms.x,cnn-c01-three-srbms,count,table=missile_tests; where.colour=red,x", "'where.colour'"),
        (
            "cnn-c01-three-srbms.y,cnn-c01-three-srbms,gap,table=missile_tests; mode=next; at=event:1999-01-01-nothing,x",
            "no diplomatic event '1999-01-01-nothing'",
        ),
        ("cnn-c01-three-srbms.z,cnn-c01-three-srbms,count,table=missile_tests; stated=three,x", "parameter 'stated'"),
    ],
)
def test_validate_names_the_row_and_the_parameter_in_one_line(tmp_path, monkeypatch, row, message):
    curated = copy_curated(tmp_path) / "curated"
    monkeypatch.setattr(settings, "CURATED_DIR", curated)
    monkeypatch.setattr(settings, "DATAPACKAGE", curated / "datapackage.json")
    with (curated / "checks.csv").open("a", encoding="utf-8") as f:
        f.write(row + "\n")
    result = CliRunner().invoke(app, ["validate", "--curated-dir", str(curated)])
    lines = [line for line in result.output.splitlines() if message in line]
    assert result.exit_code == 1 and len(lines) == 1 and "checks.csv:" in lines[0], result.output


def test_a_testable_claim_needs_its_root_check():
    frames = factories.two_claims(factories.article_tables())
    assert claims.problems(frames) == []
    frames["checks"] = frames["checks"].iloc[1:]
    assert any("has no check 'c14-resumed'" in p for p in claims.problems(frames))
    assert any(
        "no check 'c14-resumed'" not in p and "parts" in p
        for p in claims.problems(
            factories.two_claims(factories.article_tables())
            | {"checks": factories.checks([("c14-resumed", "all", "parts=c14-resumed.x")])}
        )
    )
