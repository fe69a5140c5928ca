"""Figures computed from the validated frames: counts, windows, progressions.

Analyses count by the Korean (KST) calendar, the one the press and the article use;
a launch day is a distinct KST date with at least one selected missile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.data import schema
from analysis.measures import calibration
from analysis.pages.escape import md_escape


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


FREQS = {"YE": "year", "QE": "quarter", "ME": "month"}


def launch_days(missiles: pd.DataFrame) -> int:
    """Launch days: distinct KST dates with at least one of the given missiles (the primary unit: a salvo is one)."""
    return int(missiles["date_kst"].nunique())


def event_row(event_id: str, events: pd.DataFrame) -> pd.Series:
    """The diplomatic_events row of `event_id`."""
    hit = events[events["event_id"] == event_id]
    if hit.empty:
        raise ValueError(f"event_id: {event_id!r} is not an event in diplomatic_events.csv")
    return hit.iloc[0]


# --------------------------------------------------------------------------------------------
# Tempo
# --------------------------------------------------------------------------------------------


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


def tempo_findings(missiles: pd.DataFrame, nuclear_tests: pd.DataFrame) -> list[str]:
    """The tempo answer in sentences, computed from the selected missiles (and the nuclear tests in their span)."""
    if missiles.empty:
        return ["No missiles in the selection."]
    f = lambda ts: pd.Timestamp(ts).date().isoformat()  # noqa: E731
    lines = [
        f"{len(missiles)} missiles on {launch_days(missiles)} launch days, "
        f"{f(missiles['date_kst'].min())} to {f(missiles['date_kst'].max())} (KST)."
    ]
    years = year_table(missiles)
    top_m, top_d = years["missiles"].idxmax(), years["launch_days"].idxmax()
    if top_m == top_d:
        lines.append(
            f"Busiest year: {top_m}, with the most missiles ({years.at[top_m, 'missiles']}) and the most "
            f"launch days ({years.at[top_m, 'launch_days']})."
        )
    else:
        lines.append(
            f"Most missiles in one year: {top_m} ({years.at[top_m, 'missiles']}); most launch days: "
            f"{top_d} ({years.at[top_d, 'launch_days']})."
        )
    first = first_flight(missiles, "ICBM")
    if first is not None:
        lines.append(f"First ICBM flight: {first['missile_name']} on {f(first['date_kst'])}.")
    nt = nuclear_tests[
        (nuclear_tests["date_kst"] >= missiles["date_kst"].min())
        & (nuclear_tests["date_kst"] <= missiles["date_kst"].max())
    ]
    if not nt.empty:
        big = nt.loc[nt["mb"].idxmax()]
        lines.append(
            f"Largest nuclear test in the span: {f(big['date_kst'])} (mb {big['mb']:.1f}, "
            f"{big['yield_kt_low']:g}–{big['yield_kt_high']:g} kt)."
        )
    gaps = testing_gaps(missiles, top=1)
    if not gaps.empty:
        g = gaps.iloc[0]
        name = lambda s: "type not identified" if s == "Unknown" else s  # noqa: E731
        line = (
            f"Longest spell without a launch: {g['days']} days, from {f(g['last_launch'])} "
            f"({name(g['last_missiles'])}) to {f(g['next_launch'])} ({name(g['next_missiles'])})"
        )
        if g["next_confirmed"] != g["next_launch"]:
            line += f"; that launch is listed unconfirmed, the first confirmed one after the gap was {f(g['next_confirmed'])}"
        lines.append(line + ".")
    return lines


# --------------------------------------------------------------------------------------------
# Event windows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    event_id: str
    title: str
    kind: str
    start: pd.Timestamp  # the event's first day
    end: pd.Timestamp  # its last day
    window_days: int
    before: tuple[pd.Timestamp, pd.Timestamp]  # inclusive KST dates
    after: tuple[pd.Timestamp, pd.Timestamp]
    before_days: int  # launch days
    after_days: int
    during_days: int  # launch days on the event's own days (counted in neither window)
    before_missiles: int
    after_missiles: int
    during_missiles: int


def describe_event(event: pd.Series) -> str:
    """One line (Markdown, the data text escaped) naming a diplomatic event: title, dates, kind, place, parties and outcome."""
    a, b = pd.Timestamp(event["start_date"]).date(), pd.Timestamp(event["end_date"]).date()
    when = a.isoformat() if a == b else f"{a.isoformat()} to {b.isoformat()}"
    kind = str(event["kind"]).replace("_", " ")
    parties = str(event["parties"]).replace(";", ", ")
    e = md_escape
    return (
        f"**{e(event['title'])}** ({e(kind)}, {when}, {e(event['location'])}; {e(parties)}). "
        f"Outcome: {e(event['outcome'])}"
    )


def event_window(missiles: pd.DataFrame, event: pd.Series, window_days: int) -> tuple[Window, pd.DataFrame]:
    """Launches in the `window_days` days before the event's first day and after its last day (event days excluded).

    Returns the counts and the missile rows in either window with a `window` column ('before', 'during', 'after')
    and `days_from_event` (negative before the start, positive after the end, 0 during).
    """
    start, end = pd.Timestamp(event["start_date"]), pd.Timestamp(event["end_date"])
    one = pd.Timedelta(days=1)
    before = (start - pd.Timedelta(days=window_days), start - one)
    after = (end + one, end + pd.Timedelta(days=window_days))
    d = missiles["date_kst"]
    where = pd.Series(pd.NA, index=missiles.index, dtype="str")
    where[(d >= before[0]) & (d <= before[1])] = "before"
    where[(d >= start) & (d <= end)] = "during"
    where[(d >= after[0]) & (d <= after[1])] = "after"
    rows = missiles[where.notna()].copy()
    rows.insert(0, "window", where[where.notna()])
    rel = (rows["date_kst"] - start).dt.days.where(rows["window"] == "before", 0)
    rel = rel.where(rows["window"] != "after", (rows["date_kst"] - end).dt.days)
    rows.insert(1, "days_from_event", rel.astype("int64"))
    rows = rows.sort_values(["date_kst", "missile_id"] if "missile_id" in rows else "date_kst", kind="stable")

    def n(w):
        sub = rows[rows["window"] == w]
        return launch_days(sub), len(sub)

    (bd, bm), (dd, dm), (ad, am) = n("before"), n("during"), n("after")
    win = Window(
        event_id=str(event["event_id"]),
        title=str(event["title"]),
        kind=str(event["kind"]),
        start=start,
        end=end,
        window_days=window_days,
        before=before,
        after=after,
        before_days=bd,
        after_days=ad,
        during_days=dd,
        before_missiles=bm,
        after_missiles=am,
        during_missiles=dm,
    )
    return win, rows.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Capabilities
# --------------------------------------------------------------------------------------------


def capability_progression(missiles: pd.DataFrame) -> pd.DataFrame:
    """Per class and KST year: missiles flown, the highest apogee and the longest distance reported (km; NaN if none)."""
    cols = ["missile_class", "year", "missiles", "max_apogee_km", "max_distance_km"]
    if missiles.empty:
        return pd.DataFrame({c: [] for c in cols})
    g = missiles.assign(year=missiles["date_kst"].dt.year, missile_class=missiles["missile_class"].astype(str))
    out = (
        g.groupby(["missile_class", "year"])
        .agg(missiles=("date_kst", "size"), max_apogee_km=("apogee_km", "max"), max_distance_km=("distance_km", "max"))
        .reset_index()
    )
    out["missile_class"] = pd.Categorical(out["missile_class"], categories=classes())
    return out.sort_values(["missile_class", "year"]).reset_index(drop=True)[cols]


def class_progression(missiles: pd.DataFrame, missile_class: str = "ICBM") -> pd.DataFrame:
    """Every flight of one class in date order, with `apogee_record` (higher than every earlier flight of the class)."""
    cols = ["date_kst", "missile_name", "apogee_km", "distance_km", "outcome", "confirmed"]
    sub = missiles[missiles["missile_class"] == missile_class].sort_values("date_kst", kind="stable")[cols].copy()
    prev = sub["apogee_km"].cummax().shift(1)
    sub["apogee_record"] = sub["apogee_km"].notna() & (prev.isna() | (sub["apogee_km"] > prev))
    sub["apogee_record"] = sub["apogee_record"].astype(bool)
    sub["outcome"] = sub["outcome"].astype(str)
    return sub.reset_index(drop=True)


def launch_sites(missiles: pd.DataFrame) -> pd.DataFrame:
    """Per launch site with coordinates and class: missiles, launch days, first and last KST date, site name."""
    cols = ["facility", "latitude", "longitude", "missile_class", "missiles", "launch_days", "first", "last"]
    sub = missiles.dropna(subset=["latitude", "longitude"])
    if sub.empty:
        return pd.DataFrame({c: [] for c in cols})
    sub = sub.assign(missile_class=sub["missile_class"].astype(str))
    out = (
        sub.groupby(["facility", "latitude", "longitude", "missile_class"])
        .agg(
            missiles=("date_kst", "size"),
            launch_days=("date_kst", "nunique"),
            first=("date_kst", "min"),
            last=("date_kst", "max"),
        )
        .reset_index()
    )
    out["missile_class"] = pd.Categorical(out["missile_class"], categories=classes())
    return out.sort_values(["missile_class", "missiles", "facility"], ascending=[True, False, True]).reset_index(
        drop=True
    )[cols]


def capability_findings(missiles: pd.DataFrame) -> list[str]:
    """The capability answer in sentences: the highest apogee and longest distance reported, and the ICBM record."""
    f = lambda ts: pd.Timestamp(ts).date().isoformat()  # noqa: E731
    lines = []
    for col, word in (("apogee_km", "Highest apogee"), ("distance_km", "Longest distance flown")):
        known = missiles.dropna(subset=[col])
        if known.empty:
            continue
        top = known.loc[known[col].idxmax()]
        lines.append(
            f"{word}: {top[col]:,.0f} km, {top['missile_name']} ({top['missile_class']}) on {f(top['date_kst'])}."
        )
    icbm = class_progression(missiles, "ICBM")
    if not icbm.empty:
        rec = icbm[icbm["apogee_record"]]
        steps = ", ".join(f"{r.missile_name} {r.apogee_km:,.0f} km ({f(r.date_kst)})" for r in rec.itertuples())
        lines.append(f"{len(icbm)} ICBM flights, first {f(icbm['date_kst'].iloc[0])}; apogee records: {steps}.")
    return lines or ["No missiles in the selection."]


# --------------------------------------------------------------------------------------------
# Nuclear tests and sanctions
# --------------------------------------------------------------------------------------------


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
    from the test's UTC date to the vote's date (New York), so a test late on a UTC day is not counted a day early.
    Sorted by test date, then vote date; source_ids joins the test's and the resolution's sources.
    """
    cols = [
        "trigger_id",
        "trigger_kind",
        "test_date_utc",
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
    ).rename(columns={"test_id": "trigger_id", "date_utc": "test_date_utc"})[
        ["trigger_id", "trigger_kind", "test_date_utc", "what", "source_ids"]
    ]
    mis = (
        missiles.groupby("launch_id")
        .agg(
            test_date_utc=("date_utc", "min"),
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
        nuclear_tests.sort_values("date_utc")[["test_id", "date_utc", "mb"]]
        .merge(first, left_on="test_id", right_on="trigger_id", how="left")
        .drop(columns="trigger_id")
    )
    out["days"] = out["days"].astype("Int64")
    return out.rename(columns={"date_utc": "test_date_utc", "sanction_id": "first_resolution"})


def sanctions_findings(response: pd.DataFrame, pairs: pd.DataFrame) -> list[str]:
    """The sanctions answer in sentences, from nuclear_response() and days_to_resolution()."""
    lines = []
    hit = response.dropna(subset=["days"])
    lines.append(f"{len(hit)} of {len(response)} nuclear tests were named as the trigger of an adopted resolution.")
    if not hit.empty:
        fast, slow = hit.loc[hit["days"].astype(float).idxmin()], hit.loc[hit["days"].astype(float).idxmax()]
        lines.append(
            f"Fastest: {fast['first_resolution']} {fast['days']} days after the test of "
            f"{fast['test_date_utc'].date().isoformat()}; slowest: {slow['first_resolution']} {slow['days']} "
            f"days after the test of {slow['test_date_utc'].date().isoformat()}; median {hit['days'].astype(float).median():g} days."
        )
    mis = pairs[pairs["trigger_kind"] == "missile launch"]
    if not mis.empty:
        lines.append(
            f"{mis['trigger_id'].nunique()} missile launches are named as triggers, of "
            f"{mis['sanction_id'].nunique()} Security Council actions "
            f"({int((mis.drop_duplicates('sanction_id')['action'] == 'vetoed').sum())} of them vetoed)."
        )
    return lines


# --------------------------------------------------------------------------------------------
# All summits at once: the overlap of their windows, the family, the rows used
# --------------------------------------------------------------------------------------------


def window_overlaps(events: pd.DataFrame, event_ids: list[str], window_days: int) -> pd.DataFrame:
    """Each pair of events whose before-and-after spans share days: the days shared and their share of the shorter
    span. Overlapping windows count the same launches twice, so their tests are not independent evidence."""
    spans = {}
    for eid in event_ids:
        e = event_row(eid, events)
        spans[eid] = (e["start_date"] - pd.Timedelta(days=window_days), e["end_date"] + pd.Timedelta(days=window_days))
    out = []
    for i, a in enumerate(event_ids):
        for b in event_ids[i + 1 :]:
            (a0, a1), (b0, b1) = spans[a], spans[b]
            shared = (min(a1, b1) - max(a0, b0)).days + 1
            if shared > 0:
                shorter = min((a1 - a0).days, (b1 - b0).days) + 1
                out.append({"event_a": a, "event_b": b, "days_shared": shared, "share": shared / shorter})
    return pd.DataFrame(out, columns=["event_a", "event_b", "days_shared", "share"])


def sweep_event_ids(group: str = "event-window") -> list[str]:
    """The events of the registry's event-window sweep: the family the summit pages are judged in together."""
    from analysis import settings
    from analysis.build import registry

    ids = [r.parameters["event_id"] for r in registry.load(settings.REGISTRY) if r.group == group]
    if not ids:
        raise ValueError(f"{settings.REGISTRY.name}: no report {group!r} sweeping event_id")
    return ids


def overlap_findings(
    events: pd.DataFrame, event_ids: list[str], windows=calibration.WINDOWS, threshold: float = 0.5
) -> list[str]:
    """Per window length: how many pairs of event windows share more than `threshold` of their days, and the most."""
    from analysis.data import names as stats

    names = {e: stats.event_name(event_row(e, events)) for e in event_ids}
    pairs = len(event_ids) * (len(event_ids) - 1) // 2
    lines = []
    for w in windows:
        o = window_overlaps(events, event_ids, w)
        big = o[o["share"] > threshold]
        line = (
            f"{w} days: {len(big)} of {pairs} pair{'s' if pairs != 1 else ''} of events share more than {threshold:.0%} "
            "of their window days"
        )
        if not o.empty:
            top = o.loc[o["share"].idxmax()]
            line += f"; the most, {top['share']:.0%}, {names[top['event_a']]} and {names[top['event_b']]}"
        lines.append(line + ".")
    return lines


def sweep_rows(
    missiles: pd.DataFrame, events: pd.DataFrame, event_ids: list[str], windows=calibration.WINDOWS
) -> pd.DataFrame:
    """The missile rows inside any tested window (the rows the summit overview used)."""
    keep = pd.Series(False, index=missiles.index)
    for eid in event_ids:
        e = event_row(eid, events)
        w = pd.Timedelta(days=max(windows))
        keep |= (missiles["date_kst"] >= e["start_date"] - w) & (missiles["date_kst"] <= e["end_date"] + w)
    return missiles[keep]
