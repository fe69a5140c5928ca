"""Launches around diplomatic events: an event's row, the launches in the windows before and after it, and for a
family of events judged together the overlap of their windows and the rows inside any of them.

Counts are by the Korean (KST) calendar; a launch day is a distinct KST date with at least one selected missile.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.measures import calibration
from analysis.measures.counts import launch_days


def event_row(event_id: str, events: pd.DataFrame) -> pd.Series:
    """The diplomatic_events row of `event_id`."""
    hit = events[events["event_id"] == event_id]
    if hit.empty:
        raise ValueError(f"event_id: {event_id!r} is not an event in diplomatic_events.csv")
    return hit.iloc[0]


@dataclass(frozen=True)
class LaunchWindow:
    """Launches before, during and after one event: its dates, the windows' dates and the counts in each."""

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


def event_window(missiles: pd.DataFrame, event: pd.Series, window_days: int) -> tuple[LaunchWindow, pd.DataFrame]:
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
    win = LaunchWindow(
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
