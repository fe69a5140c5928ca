"""The verdict log: it must keep up with the data; recording, history, 'since' and the dates ClaimReview carries."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.checks import verdicts
from analysis.checks.engine import MIXED, SUPPORTED, Result
from analysis.data import load
from analysis.pages import scorecard


def test_the_log_is_up_to_date_with_the_data():
    """Fails while a change to the curated data has changed a verdict or key figure that the log lacks."""
    changes = verdicts.pending()
    if len(changes):
        pytest.fail(verdicts.message(changes), pytrace=False)


def ledger_of(verdict: str, figure: int) -> pd.DataFrame:
    v = Result("c09-x", "count", verdict, {"count": figure})
    return pd.DataFrame({"claim_id": ["c09-x"], "tables": ["sanctions"], "result": [v], "result_all_launches": [v]})


FRAMES = {"sanctions": pd.DataFrame({"date": pd.to_datetime(["2020-01-01", "2024-03-28"])})}


def record(tmp_path, ledger: pd.DataFrame, day: str, monkeypatch) -> pd.DataFrame:
    monkeypatch.setattr(verdicts.claims, "ledger", lambda frames: ledger)
    return verdicts.record("a data edit", FRAMES, tmp_path / "verdicts.csv", today=dt.date.fromisoformat(day))


def test_record_appends_only_changes_and_history_follows(tmp_path, monkeypatch):
    path = tmp_path / "verdicts.csv"
    first = record(tmp_path, ledger_of(SUPPORTED, 1), "2026-01-01", monkeypatch)
    assert list(first["setting"]) == ["cns_threshold_only", "all_launches"] and set(first["old_verdict"]) == {""}
    assert set(first["as_of"]) == {"2024-03-28"}
    assert record(tmp_path, ledger_of(SUPPORTED, 1), "2026-02-01", monkeypatch).empty  # nothing changed
    figures = record(tmp_path, ledger_of(SUPPORTED, 2), "2026-03-01", monkeypatch)  # a key figure moved
    assert list(figures["old_verdict"]) == [SUPPORTED] * 2
    flipped = record(tmp_path, ledger_of(MIXED, 2), "2026-04-01", monkeypatch)
    assert list(flipped["new_verdict"]) == [MIXED] * 2
    log = verdicts.load(path)
    assert list(verdicts.history("c09-x", log=log)["date"]) == ["2026-01-01", "2026-03-01", "2026-04-01"]
    assert verdicts.since("c09-x", log=log) == "2026-04-01"
    assert verdicts.periods("c09-x", log=log) == [(SUPPORTED, "2026-01-01", "2026-04-01"), (MIXED, "2026-04-01", None)]
    assert verdicts.dates("c09-x", log=log) == ("2026-01-01", "2026-04-01")
    line = scorecard.verdict_history(verdicts.periods("c09-x", log=log), as_of="2024-03-28")
    assert "mixed since 1 April 2026" in line and "supported from 1 January 2026 to 1 April 2026" in line
    assert "2024-03-28" not in line and "28 March 2024" in line
    line = scorecard.history_line("c09-x", log=log)
    assert line.startswith("Verdict mixed since 1 April 2026 (data as of 28 March 2024).")
    assert "not in the verdict log yet" in scorecard.history_line("c99-none", False, log=log)


def test_pending_names_the_change_in_one_line(tmp_path, monkeypatch):
    record(tmp_path, ledger_of(SUPPORTED, 1), "2026-01-01", monkeypatch)
    monkeypatch.setattr(verdicts, "log_path", lambda: tmp_path / "verdicts.csv")
    changes = verdicts.pending(FRAMES, ledger=ledger_of(MIXED, 1))
    msg = verdicts.message(changes)
    assert "\n" not in msg and "c09-x (cns_threshold_only): verdict supported -> mixed and 1 more" in msg
    assert "analysis verdicts record --reason" in msg
    moved = verdicts.pending(FRAMES, ledger=ledger_of(SUPPORTED, 5))
    assert "key figures changed (count)" in verdicts.describe(next(moved.itertuples()))


def test_record_needs_a_reason_and_a_readable_log(tmp_path):
    with pytest.raises(ValueError, match="--reason"):
        verdicts.record("  ", FRAMES, tmp_path / "v.csv")
    bad = tmp_path / "v.csv"
    bad.write_text("date,claim_id\n2026-01-01,c01\n", encoding="utf-8")
    with pytest.raises(load.DataError, match=r"v.csv:1: missing column\(s\) data_version"):
        verdicts.load(bad)
    bad.write_text(",".join(verdicts.COLUMNS) + "\nyesterday,v,c01,all_launches,,,mixed,{},r\n", encoding="utf-8")
    with pytest.raises(load.DataError, match=r"v.csv:2: date: 'yesterday' is not a date"):
        verdicts.load(bad)


def test_as_of_is_the_latest_date_the_claims_tables_cover():
    frames = {
        "sanctions": FRAMES["sanctions"],
        "economy": pd.DataFrame({"year": [2023, 2024]}),
        "diplomatic_events": pd.DataFrame({"end_date": pd.to_datetime(["2019-02-28"])}),
    }
    assert verdicts.as_of(frames, "economy;diplomatic_events") == pd.Timestamp("2024-12-31")
    assert verdicts.as_of(frames, "diplomatic_events") == pd.Timestamp("2019-02-28")
    assert verdicts.as_of(frames, None) is None
