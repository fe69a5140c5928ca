"""The nuclear tests and the Security Council's answer: magnitude and yield per test, the days from each test (or
missile launch) named as a trigger to the vote, and each nuclear test's first adopted resolution."""

from __future__ import annotations

import pandas as pd


def nuclear_summary(nuclear_tests: pd.DataFrame) -> pd.DataFrame:
    """The tests in date order: KST date, magnitude, yield range and its midpoint on a log scale (geometric mean)."""
    out = nuclear_tests.sort_values("date_utc")[["test_id", "date_kst", "mb", "yield_kt_low", "yield_kt_high"]].copy()
    out["yield_kt_geomean"] = ((out["yield_kt_low"] * out["yield_kt_high"]) ** 0.5).round(1)
    return out.reset_index(drop=True)


def days_to_resolution(
    sanctions: pd.DataFrame, nuclear_tests: pd.DataFrame, missiles: pd.DataFrame, include_vetoed: bool = True
) -> pd.DataFrame:
    """One row per (test, Security Council action it triggered): days from the test to the vote.

    A test is a nuclear_tests.test_id or a missile_tests.launch_id named in sanctions.trigger_test_ids. Days count
    from the test's UTC date to the vote's date (New York), so a test late on a UTC day is not counted a day early;
    pages show the test's Korean date (test_date_kst), as everywhere else.
    Sorted by test date, then vote date; source_ids joins the test's and the resolution's sources.
    """
    cols = [
        "trigger_id",
        "trigger_kind",
        "test_date_utc",
        "test_date_kst",
        "what",
        "sanction_id",
        "action",
        "kind",
        "vote_date",
        "days",
        "source_ids",
    ]
    s = sanctions.dropna(subset=["trigger_test_ids"])
    if not include_vetoed:
        s = s[s["action"] == "adopted"]
    pairs = s.assign(trigger_id=s["trigger_test_ids"].str.split(";")).explode("trigger_id")
    if pairs.empty:
        return pd.DataFrame({c: [] for c in cols})
    nuc = nuclear_tests.assign(
        trigger_kind="nuclear test",
        what=nuclear_tests["test_id"].map(lambda t: "nuclear test"),
    ).rename(columns={"test_id": "trigger_id", "date_utc": "test_date_utc", "date_kst": "test_date_kst"})[
        ["trigger_id", "trigger_kind", "test_date_utc", "test_date_kst", "what", "source_ids"]
    ]
    mis = (
        missiles.groupby("launch_id")
        .agg(
            test_date_utc=("date_utc", "min"),
            test_date_kst=("date_kst", "min"),
            what=("missile_name", lambda s: "; ".join(dict.fromkeys(s.astype(str)))),
            source_ids=("source_ids", lambda s: ";".join(dict.fromkeys(";".join(s).split(";")))),
        )
        .reset_index()
        .rename(columns={"launch_id": "trigger_id"})
    )
    mis.insert(1, "trigger_kind", "missile launch")
    tests = pd.concat([nuc, mis], ignore_index=True).rename(columns={"source_ids": "test_sources"})
    out = pairs.rename(columns={"date": "vote_date"}).merge(tests, on="trigger_id", how="inner")
    out["days"] = (out["vote_date"] - out["test_date_utc"]).dt.days.astype("int64")
    out["source_ids"] = [
        ";".join(dict.fromkeys(f"{a};{b}".split(";"))) for a, b in zip(out["test_sources"], out["source_ids"])
    ]
    out["action"] = out["action"].astype(str)
    out["kind"] = out["kind"].astype(str)
    out = out.sort_values(["test_date_utc", "vote_date", "sanction_id"], kind="stable").reset_index(drop=True)
    return out[cols]


def nuclear_response(nuclear_tests: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """Per nuclear test: the first adopted resolution it triggered and the days to it (NaN/empty when none)."""
    adopted = pairs[(pairs["trigger_kind"] == "nuclear test") & (pairs["action"] == "adopted")]
    first = adopted.sort_values("vote_date").drop_duplicates("trigger_id")[
        ["trigger_id", "sanction_id", "vote_date", "days"]
    ]
    out = (
        nuclear_tests.sort_values("date_utc")[["test_id", "date_utc", "date_kst", "mb"]]
        .merge(first, left_on="test_id", right_on="trigger_id", how="left")
        .drop(columns="trigger_id")
    )
    out["days"] = out["days"].astype("Int64")
    return out.rename(
        columns={"date_utc": "test_date_utc", "date_kst": "test_date_kst", "sanction_id": "first_resolution"}
    )
