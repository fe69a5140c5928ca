"""The summit overview (notebooks/07_summit_overview.ipynb) in words: its headline, the results tables, the links
to each event's page, the check at shifted calendars and the overlap of the events' windows. The words an event's
page shares are in analysis.pages.summit_words."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.data import names
from analysis.measures import calibration as C
from analysis.measures import summit_tests as T
from analysis.measures import windows
from analysis.pages import escape, summit_words, tables
from analysis.pages.report import Headline

# An event's page, as notebooks/reports.yml names the event-window sweep's outputs.
EVENT_PAGE = "event-window-{event_id}.html"


def headline(res: pd.DataFrame, reference_start=C.REFERENCE_START) -> Headline:
    """The summit overview's answer: how many events show a change the calendar supports with all judged together,
    and the sharpest split."""
    primary = res[res["primary"]].set_index("event_id")
    n, w = len(primary), int(primary["window_days"].iloc[0])
    counts = primary["label"].value_counts()
    clear = int(counts.get(T.CLEAR, 0))
    lead = (
        f"At the {w}-day window chosen in advance, {'none' if not clear else fmt.number_word(clear)} of the "
        f"{fmt.number_word(n)} summits and meetings {'shows' if clear in (0, 1) else 'show'} a change in launch days that "
        "the calendar supports when all are judged together"
    )
    parts = [lead]
    tested = primary[primary["testable"]]
    if not tested.empty:
        top = tested.sort_values(["p_raw", "matches"]).iloc[0]
        parts.append(
            f"The sharpest split, {top['event']}, went from {summit_words.launch_days(top['before'])} before to "
            f"{summit_words.launch_days(top['after'])} after"
        )
        parts.append(summit_words.rarity(top, reference_start))
    untested = int(counts.get(T.NOT_TESTABLE, 0))
    if untested:
        parts.append(
            f"{summit_words.capital(fmt.number_word(untested))} of the {fmt.number_word(n)} had no launch day on either side and could not be tested"
        )
    sentence = ". ".join(summit_words.capital(p) for p in parts) + "."
    figures = [(str(n), "events judged together")] + [(str(int(counts.get(label, 0))), label) for label in T.LABELS]
    return sentence, figures


def primary_table(res: pd.DataFrame) -> tables.Table:
    """Every event at the primary window, its label first."""
    rows = res[res["primary"]]
    w = int(rows["window_days"].iloc[0])
    return summit_words.results_table(
        rows.assign(name=rows["event"].map(summit_words.capital)),
        {"name": "Event", "label": "Verdict"},
        f"Every event at the {w}-day window (about {rows['effective_windows'].iloc[0]:.0f} independent comparisons)",
        comparisons=False,
    )


def sensitivity_grid(res: pd.DataFrame) -> tables.Table:
    """Every event (rows) at every window length (columns): launch days before → after, and the share of
    comparable dates as lopsided."""
    cells = {}
    for _, r in res.iterrows():
        cell = f"{r['before']} → {r['after']}" + (
            f" ({summit_words.p_short(r)})" if r["testable"] else " (not testable)"
        )
        cells.setdefault(summit_words.capital(r["event"]), {})[r["window_days"]] = cell
    grid = pd.DataFrame.from_dict(cells, orient="index").rename_axis("event").reset_index()
    primary = int(res.loc[res["primary"], "window_days"].iloc[0])
    labels = {"event": "Event"} | {
        w: f"{w} days{' (judged)' if w == primary else ''}" for w in sorted(res["window_days"].unique())
    }
    return tables.table(
        grid,
        labels,
        {w: tables.figure for w in labels if w != "event"},
        caption="Launch days before → after at each window length (share of comparable dates as lopsided)",
    )


def event_links(res: pd.DataFrame):
    """Each event's page and its verdict at the primary window (HTML, escaped)."""
    first = res[res["primary"]]
    links = [
        (EVENT_PAGE.format(event_id=r["event_id"]), summit_words.capital(r["event"]), r["label"])
        for _, r in first.iterrows()
    ]
    return escape.part("event_links.html.j2", links=links)


def placebo_note(rates: dict, window_days: int, reference_start=C.REFERENCE_START) -> str:
    """What the check at shifted calendars found."""
    if not rates["placements"]:
        return (
            f"The calendar since {summit_words.since(reference_start)} has no room to move the whole family elsewhere, so the "
            "procedure could not be checked on it."
        )
    return (
        f"Moved together to {rates['placements']} other dates since {summit_words.since(reference_start)}, where none of them "
        f"took place, the {window_days}-day procedure as stated flagged a change at {rates['stated']:.0%} of them "
        f"(the promise: at most 5%). Without the precision floor it would have flagged {rates['raw']:.0%}"
        + (
            "."
            if pd.isna(rates["textbook"])
            else f"; the textbook procedure these pages used before (exact Poisson tests at four window lengths, "
            f"Holm's adjustment) flagged {rates['textbook']:.0%}."
        )
    )


def overlap_findings(
    events: pd.DataFrame, event_ids: list[str], window_lengths=C.WINDOWS, threshold: float = 0.5
) -> list[str]:
    """Per window length: how many pairs of event windows share more than `threshold` of their days, and the most."""
    named = {e: names.event_name(windows.event_row(e, events)) for e in event_ids}
    pairs = len(event_ids) * (len(event_ids) - 1) // 2
    lines = []
    for w in window_lengths:
        o = windows.window_overlaps(events, event_ids, w)
        big = o[o["share"] > threshold]
        line = (
            f"{w} days: {len(big)} of {fmt.plural(pairs, 'pair')} of events share more than {threshold:.0%} "
            "of their window days"
        )
        if not o.empty:
            top = o.loc[o["share"].idxmax()]
            line += f"; the most, {top['share']:.0%}, {named[top['event_a']]} and {named[top['event_b']]}"
        lines.append(line + ".")
    return lines
