"""The missiles an analysis counts, and their counts: the selection, per period and class, per year, the pauses
between launches, first flights and years compared.

Analyses count by the Korean (KST) calendar, the one the press and the article use;
a launch day is a distinct KST date with at least one selected missile.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.data import schema


def select_missiles(
    missiles: pd.DataFrame,
    cns_threshold_only: bool = True,
    classes: list[str] | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """The missile rows an analysis counts: the inclusion criterion, classes and a KST date range (inclusive)."""
    keep = pd.Series(True, index=missiles.index)
    if cns_threshold_only:
        keep &= missiles["cns_threshold"].fillna(False).astype(bool)
    if classes:
        keep &= missiles["missile_class"].isin(classes)
    if start is not None:
        keep &= missiles["date_kst"] >= pd.Timestamp(start)
    if end is not None:
        keep &= missiles["date_kst"] <= pd.Timestamp(end)
    return missiles[keep]


def per_period(missiles: pd.DataFrame, freq: str = "YE") -> pd.DataFrame:
    """Missiles and launch days per period (pandas offset alias: YE, QE, ME), zero-filled between the first and last."""
    if missiles.empty:
        return pd.DataFrame({"missiles": [], "launch_days": []}, index=pd.DatetimeIndex([], name="period"))
    grouped = missiles.groupby(pd.Grouper(key="date_kst", freq=freq))
    out = pd.DataFrame({"missiles": grouped.size(), "launch_days": grouped["date_kst"].nunique()})
    out.index.name = "period"
    return out.astype("int64")


# The vocabulary is the data package's (analysis.pages.params checks parameters against the same list).
def classes() -> list[str]:
    """The missile classes, in the data package's order (read when first needed, not on import)."""
    return list(schema.vocabulary("missile_tests", "missile_class"))


def launch_days(missiles: pd.DataFrame) -> int:
    """Launch days: distinct KST dates with at least one of the given missiles (the primary unit: a salvo is one)."""
    return int(missiles["date_kst"].nunique())


def per_period_by_class(missiles: pd.DataFrame, freq: str = "YE") -> pd.DataFrame:
    """Long table: period, missile_class, missiles, launch_days (a class's launch days: KST dates it flew).

    Only classes present in `missiles`; periods zero-filled between the first and the last.
    """
    cols = ["period", "missile_class", "missiles", "launch_days"]
    if missiles.empty:
        return pd.DataFrame({c: [] for c in cols})
    frames = []
    all_periods = per_period(missiles, freq).index
    for cls in [c for c in classes() if (missiles["missile_class"] == c).any()]:
        sub = per_period(missiles[missiles["missile_class"] == cls], freq).reindex(all_periods, fill_value=0)
        sub = sub.reset_index()
        sub.insert(1, "missile_class", cls)
        frames.append(sub)
    out = pd.concat(frames, ignore_index=True)
    out["missile_class"] = pd.Categorical(out["missile_class"], categories=classes())
    return out[cols]


def year_table(missiles: pd.DataFrame) -> pd.DataFrame:
    """Per KST calendar year: missiles, launch days, missiles per class (only classes present). Index: year."""
    if missiles.empty:
        return pd.DataFrame({"missiles": [], "launch_days": []}, index=pd.Index([], name="year"), dtype="int64")
    by = per_period(missiles, "YE")
    by.index = by.index.year.rename("year")
    counts = pd.crosstab(missiles["date_kst"].dt.year.rename("year"), missiles["missile_class"].astype(str))
    counts = counts[[c for c in classes() if c in counts.columns]]
    return by.join(counts).fillna(0).astype("int64")


def testing_gaps(missiles: pd.DataFrame, top: int | None = 5) -> pd.DataFrame:
    """The longest spells without a launch day, longest first.

    last_launch: the launch day before the gap; next_launch: the first one after it; days: calendar days between;
    next_confirmed: the first launch day after the gap with a confirmed missile (equal to next_launch unless that one
    is listed unconfirmed). The names are the missiles flown on those days.
    """
    cols = ["last_launch", "last_missiles", "next_launch", "next_missiles", "days", "next_confirmed"]
    days = (
        missiles.groupby("date_kst")
        .agg(
            names=("missile_name", lambda s: "; ".join(dict.fromkeys(s.astype(str)))),
            confirmed=("confirmed", lambda s: bool(s.fillna(False).any())),
        )
        .sort_index()
    )
    if len(days) < 2:
        return pd.DataFrame({c: [] for c in cols})
    dates = days.index.to_series()
    gap = (dates.shift(-1) - dates).dt.days
    out = pd.DataFrame(
        {
            "last_launch": dates.values[:-1],
            "last_missiles": days["names"].values[:-1],
            "next_launch": dates.values[1:],
            "next_missiles": days["names"].values[1:],
            "days": gap.values[:-1].astype("int64"),
        }
    )
    confirmed_dates = days.index[days["confirmed"]]
    out["next_confirmed"] = [
        confirmed_dates[confirmed_dates >= d].min() if (confirmed_dates >= d).any() else pd.NaT
        for d in out["next_launch"]
    ]
    out = out.sort_values(["days", "last_launch"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out.head(top) if top else out


def first_flight(missiles: pd.DataFrame, missile_class: str) -> pd.Series | None:
    """The earliest missile row of a class (ties: table order), or None."""
    sub = missiles[missiles["missile_class"] == missile_class]
    if sub.empty:
        return None
    return sub.sort_values("date_kst", kind="stable").iloc[0]


def compare_years(missiles: pd.DataFrame, nuclear_tests: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Side by side for the given KST years: missiles, launch days, ICBM missiles, nuclear tests and the largest
    test's magnitude and high yield estimate."""
    out = []
    for y in years:
        m = missiles[missiles["date_kst"].dt.year == y]
        n = nuclear_tests[nuclear_tests["date_kst"].dt.year == y]
        out.append(
            {
                "year": y,
                "missiles": len(m),
                "launch_days": launch_days(m),
                "icbm_missiles": int((m["missile_class"] == "ICBM").sum()),
                "nuclear_tests": len(n),
                "largest_test_mb": float(n["mb"].max()) if not n.empty else math.nan,
                "largest_yield_kt_high": float(n["yield_kt_high"].max()) if not n.empty else math.nan,
            }
        )
    return pd.DataFrame(out).set_index("year")
