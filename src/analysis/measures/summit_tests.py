"""The summit comparisons as tables: launch days before and after each event of a family, at every window length,
calibrated against the calendar (analysis.measures.calibration). Numbers and frames only; the words are in analysis.pages.summit_words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.data import names as stats
from analysis.measures import calibration as C
from analysis.measures.windows import event_row

# Each event's label, from its primary-window result.
CLEAR = "clear change"  # flagged: rare on the calendar with the whole family judged together
RARE = "rare, not conclusive"  # more lopsided than the calendar can rank, not family-wise
USUAL = "no clear change"
NOT_TESTABLE = "not testable"  # no launch day on either side, or a window past the end of the data
LABELS = (CLEAR, RARE, USUAL, NOT_TESTABLE)


def label(primary: pd.Series) -> str:
    if not primary["testable"]:
        return NOT_TESTABLE
    if primary["flagged"]:
        return CLEAR
    return RARE if primary["at_floor"] else USUAL


# The columns of reports/data/summit-results.csv, in order.
PUBLISHED = [
    "event_id",
    "window_days",
    "primary",
    "before",
    "after",
    "p_calibrated",
    "p_familywise",
    "testable",
    "flagged",
    "effective_windows",
    "effective_placements",
    "p_model",
]


def _calendar(missiles: pd.DataFrame) -> C.Calendar:
    if missiles.empty:
        raise ValueError("missiles: no launches in the selection, so there is nothing to compare")
    return C.calendar(missiles["date_kst"])


def _family(events: pd.DataFrame, event_ids: list[str]) -> pd.DataFrame:
    if not event_ids:
        raise ValueError("event_ids: no events to test")
    if len(set(event_ids)) != len(event_ids):
        raise ValueError("event_ids: an event is listed twice")
    return pd.DataFrame([event_row(e, events) for e in event_ids])


def _judged(missiles: pd.DataFrame, events: pd.DataFrame, event_ids: list[str]):
    """The family's rows, the launch calendar and the family's spans on it."""
    family = _family(events, event_ids)
    cal = _calendar(missiles)
    return family, cal, C.spans(cal, family)


def results(
    missiles: pd.DataFrame,
    events: pd.DataFrame,
    event_ids: list[str],
    windows=C.WINDOWS,
    primary: int = C.PRIMARY_WINDOW,
    reference_start=C.REFERENCE_START,
) -> pd.DataFrame:
    """One row per event and window length: launch days before and after, whether the comparison is testable,
    the reference dates as lopsided (`matches` of `reference_dates`), the calibrated p (stated: never finer than
    the `effective_windows` support; `p_raw` before that floor), the family-wise p over common shifts (stated;
    `effective_placements` is how many independent placements of the family the calendar holds), the quasi-Poisson
    cross-check (`p_model`, with the reference `dispersion`), `flagged` (a change the calendar supports with the
    family judged together; primary window only) and each event's `label` at the primary window."""
    if primary not in windows:
        raise ValueError(f"primary: {primary} is not one of the window lengths ({', '.join(map(str, windows))})")
    family, cal, spans = _judged(missiles, events, event_ids)
    rows = []
    for w in windows:
        j = C.judge(cal, spans, w, reference_start)
        for i, eid in enumerate(event_ids):
            rows.append(
                {
                    "event_id": eid,
                    "event": stats.event_name(family.iloc[i]),
                    "window_days": w,
                    "primary": w == primary,
                    "before": int(j.before[i]),
                    "after": int(j.after[i]),
                    "complete": bool(j.complete[i]),
                    "testable": bool(j.testable[i]),
                    "matches": int(j.matches[i]),
                    "reference_dates": j.reference.size,
                    "effective_windows": j.reference.effective,
                    "p_raw": float(j.p_raw[i]),
                    "p_calibrated": float(j.p_calibrated[i]) if j.testable[i] else np.nan,
                    "at_floor": bool(j.testable[i] and j.p_raw[i] < j.reference.floor),
                    "p_familywise": float(j.p_familywise[i]),
                    "effective_placements": j.families,
                    "p_model": float(j.p_model[i]),
                    "dispersion": j.reference.dispersion,
                    "textbook_share": float(np.mean(j.reference.scores < C.ALPHA)),
                    "flagged": bool(w == primary and j.flagged[i]),
                }
            )
    out = pd.DataFrame(rows)
    first = out[out["primary"]].set_index("event_id")
    out["label"] = out["event_id"].map({e: label(r) for e, r in first.iterrows()})
    return out


def without_inter_korean(
    missiles: pd.DataFrame, events: pd.DataFrame, event_ids: list[str], reference_start=C.REFERENCE_START
) -> pd.DataFrame | None:
    """The results with the inter-Korean events left out of the family (None when that leaves all or none)."""
    kept = [e for e in event_ids if not stats.is_inter_korean(event_row(e, events))]
    if not kept or len(kept) == len(event_ids):
        return None
    return results(missiles, events, kept, reference_start=reference_start)


def published(res: pd.DataFrame) -> pd.DataFrame:
    """The results as the summit-results CSV: one row per event and window length, the stated figures only."""
    return res[PUBLISHED].round(
        {"effective_windows": 1, "effective_placements": 1, "p_calibrated": 4, "p_familywise": 4, "p_model": 4}
    )


def picture(
    missiles: pd.DataFrame,
    events: pd.DataFrame,
    event_ids: list[str],
    window_days: int = C.PRIMARY_WINDOW,
    reference_start=C.REFERENCE_START,
    bin_width: float = 0.25,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The calibration at one window length, for a chart: the reference dates binned by their signed score
    (−log10 of the lopsidedness, positive when more launch days came after: `low`, `high`, `share` of the dates,
    `tail`: among the most lopsided 5%), and each event's score with its counts and a short lane label."""
    family, cal, spans = _judged(missiles, events, event_ids)
    j = C.judge(cal, spans, window_days, reference_start)
    ref = j.reference
    scores = C.signed_score(ref.before, ref.after)
    top = max(np.abs(scores).max(), np.abs(C.signed_score(j.before, j.after)).max(), 1.0)
    edges = np.arange(-np.ceil(top / bin_width) - 1, np.ceil(top / bin_width) + 2) * bin_width - bin_width / 2
    counts, _ = np.histogram(scores, edges)
    bins = pd.DataFrame({"low": edges[:-1], "high": edges[1:], "share": counts / len(scores)})
    # the most lopsided 5% of the reference dates, to the nearest bin
    bins["tail"] = np.minimum(bins["low"].abs(), bins["high"].abs()) >= np.quantile(np.abs(scores), 1 - C.ALPHA)
    marks = pd.DataFrame(
        {
            "event_id": event_ids,
            "event": [stats.event_name(r) for _, r in family.iterrows()],
            "before": j.before,
            "after": j.after,
            "testable": j.testable,
            "score": C.signed_score(j.before, j.after),
            "p_calibrated": np.where(j.testable, j.p_calibrated, np.nan),
            "at_floor": j.testable & (j.p_raw < ref.floor),
            "short": [f"{stats.place(r)} · {pd.Timestamp(r['start_date']):%b %Y}" for _, r in family.iterrows()],
        }
    )
    return bins[(bins["share"] > 0) | (bins["low"].abs() < 1)].reset_index(drop=True), marks


def placebo_rates(
    missiles: pd.DataFrame,
    events: pd.DataFrame,
    event_ids: list[str],
    window_days: int = C.PRIMARY_WINDOW,
    reference_start=C.REFERENCE_START,
    every: int = 30,
) -> dict[str, float]:
    """How often each procedure flags something when the family is moved to dates where nothing happened:
    `stated` (what the pages report, the precision floor included), `raw` (the same without the floor) and
    `textbook` (exact Poisson tests at every window length, Holm), with the `placements` tried."""
    _, cal, spans = _judged(missiles, events, event_ids)
    raw, stated, placements = C.placebo(cal, spans, window_days, reference_start, every)
    return {
        "placements": placements,
        "raw": raw,
        "stated": stated,
        "textbook": C.textbook_placebo(cal, spans, reference_start, every=every),
    }


def pause(missiles: pd.DataFrame, event: pd.Series, since=C.REFERENCE_START) -> dict | None:
    """The launch-free spell the event falls in (None if it had a launch day within a day of it): the last launch
    day before, the first after, the days between, the days from the event's end to that first launch, and whether
    no longer spell began on or after `since`."""
    days = pd.Series(sorted(missiles["date_kst"].dt.normalize().unique()))
    start, end = pd.Timestamp(event["start_date"]), pd.Timestamp(event["end_date"])
    before, after = days[days < start], days[days > end]
    if before.empty or after.empty or ((days >= start) & (days <= end)).any():
        return None
    last, first = before.iloc[-1], after.iloc[0]
    gaps = (days.shift(-1) - days).dt.days
    longer = gaps[(days >= pd.Timestamp(since)) & (gaps > (first - last).days)]
    return {
        "last": last,
        "first": first,
        "days": (first - last).days,
        "wait": (first - end).days,
        "longest_since": longer.empty and last >= pd.Timestamp(since),
    }


def calendar_facts(
    missiles: pd.DataFrame, events: pd.DataFrame, event_ids: list[str], reference_start=C.REFERENCE_START
) -> dict:
    """What the method text cites: the quietest and busiest years since `reference_start` (launch days), the span of
    the family, and the longest pause since then that overlaps it ((last launch, next launch) or None)."""
    family = _family(events, event_ids)
    days = pd.Series(sorted(missiles["date_kst"].dt.normalize().unique()))
    days = days[days >= pd.Timestamp(reference_start)]
    years = days.dt.year.value_counts().reindex(
        range(pd.Timestamp(reference_start).year, days.dt.year.max() + 1), fill_value=0
    )
    first, last = family["start_date"].min(), family["end_date"].max()
    gaps = pd.DataFrame({"last": days.iloc[:-1].values, "next": days.iloc[1:].values})
    gaps = gaps[(gaps["next"] > first) & (gaps["last"] < last)]
    longest = gaps.loc[(gaps["next"] - gaps["last"]).idxmax()] if not gaps.empty else None
    return {
        "quiet_year": int(years.idxmin()),
        "quiet_days": int(years.min()),
        "busy_year": int(years.idxmax()),
        "busy_days": int(years.max()),
        "first_event": first,
        "last_event": last,
        "pause": None if longest is None else (longest["last"], longest["next"]),
    }
