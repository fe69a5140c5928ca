"""An event's page (notebooks/02_event_window.ipynb) in words: its headline (the counts, the pause, how rare the
split is, the family-wise verdict), its question, the event described, and its tables. The words the summit
overview shares are in analysis.pages.summit_words."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.data import names
from analysis.measures import calibration as C
from analysis.measures.windows import LaunchWindow
from analysis.pages import summit_words, tables
from analysis.pages.escape import md_escape
from analysis.pages.report import Headline


def familywise(row: pd.Series, family_size: int) -> str:
    """The family-wise reading of one event's primary result."""
    if not row["testable"]:
        return ""
    others = family_size - 1
    p = row["p_familywise"]
    if row["flagged"]:
        return f"Judged together with the other {fmt.number_word(others)} events it still stands out (family-wise p {fmt.pvalue(p)})"
    floor = 1 / (1 + row["effective_placements"])
    if p <= floor + 1e-12:
        return (
            f"Judged together with the other {fmt.number_word(others)} events, it cannot be called a clear change: the "
            f"calendar holds only about {row['effective_placements']:.0f} independent placements of the whole family, "
            f"too few to rank anything rarer than {fmt.one_in(floor)}"
        )
    return (
        f"Judged together with the other {fmt.number_word(others)} events, a result this lopsided in at least one of them "
        f"turns up at {fmt.share(p)} of the placements of the family: no clear change"
    )


def _counts(row: pd.Series, name: str) -> str:
    w, b, a = row["window_days"], row["before"], row["after"]
    if a == b == 0:
        return f"North Korea launched no missile in the {w} days before {name}, nor in the {w} days after"
    if b == 0:
        return f"North Korea launched no missile in the {w} days before {name}; in the {w} days after, it launched on {fmt.plural(a, 'day')}"
    if a == 0:
        return f"In the {w} days before {name}, North Korea launched missiles on {fmt.plural(b, 'day')}; in the {w} days after, on none"
    return f"In the {w} days before {name}, North Korea launched missiles on {fmt.plural(b, 'day')}; in the {w} days after, on {fmt.plural(a, 'day')}"


def _pause(pause: dict | None, reference_start) -> str:
    if not pause:
        return ""
    longest = f", the longest since {summit_words.since(reference_start)}" if pause["longest_since"] else ""
    return (
        f"The first launch after it came {fmt.plural(pause['wait'], 'day')} later, on {fmt.day(pause['first'])}, "
        f"ending a pause of {pause['days']:,} days that began on {fmt.day(pause['last'])}{longest}"
    )


def headline(
    res: pd.DataFrame, event_id: str, pause: dict | None = None, reference_start=C.REFERENCE_START
) -> Headline:
    """An event page's answer at the primary window: the counts, the pause it fell in, how rare the split is on the
    calendar, the family-wise verdict, and what the data cannot show."""
    rows = res[res["event_id"] == event_id]
    if rows.empty:
        raise ValueError(f"event_id: {event_id!r} is not among the events judged")
    r = rows[rows["primary"]].iloc[0]
    family_size = res["event_id"].nunique()
    cause = "A before/after split says when launches happened, not why"
    if pause:
        cause += f": this one cannot be separated from the pause in testing that began on {fmt.day(pause['last'])}"
    parts = [_counts(r, r["event"]), _pause(pause, reference_start), summit_words.rarity(r, reference_start)]
    parts += [familywise(r, family_size), cause]
    sentence = ". ".join(summit_words.capital(p) for p in parts if p) + "."
    w = r["window_days"]
    figures = [
        (str(r["before"]), f"launch days, {w} days before"),
        (str(r["after"]), f"launch days, {w} days after"),
        (summit_words.p_short(r), "of comparable dates as lopsided"),
        (r["label"], f"verdict at {w} days"),
    ]
    return sentence, figures


def question(event: pd.Series) -> str:
    """The event page's question, naming its event (Markdown, escaped)."""
    return (
        f"**Question.** Did North Korea launch missiles more or less often in the months after "
        f"{md_escape(names.event_name(event))} than in the months before, and is the difference larger than "
        "this calendar produces by itself?"
    )


def describe_event(event: pd.Series) -> str:
    """One line (Markdown, the data text escaped) naming a diplomatic event: title, dates, kind, place, parties and outcome."""
    a, b = fmt.iso_day(event["start_date"]), fmt.iso_day(event["end_date"])
    when = a if a == b else f"{a} to {b}"
    kind = str(event["kind"]).replace("_", " ")
    parties = str(event["parties"]).replace(";", ", ")
    e = md_escape
    return (
        f"**{e(event['title'])}** ({e(kind)}, {when}, {e(event['location'])}; {e(parties)}). "
        f"Outcome: {e(event['outcome'])}"
    )


def window_counts(win: LaunchWindow) -> tables.Table:
    """Launch days and missiles before, during and after the event, for the chart's window."""
    rows = [
        {"what": "Launch days", "before": win.before_days, "during": win.during_days, "after": win.after_days},
        {"what": "Missiles", "before": win.before_missiles, "during": win.during_missiles, "after": win.after_missiles},
    ]
    labels = {
        "what": "",
        "before": f"{win.window_days} days before",
        "during": "During the event",
        "after": f"{win.window_days} days after",
    }
    if not (win.during_days or win.during_missiles):
        del labels["during"]
    return tables.table(pd.DataFrame(rows), labels, caption=f"Launches in the {win.window_days}-day windows")


def sensitivity_table(res: pd.DataFrame, event_id: str) -> tables.Table:
    """One event at every window length: the same figures, the judged one marked."""
    rows = res[res["event_id"] == event_id]
    rows = rows.assign(
        length=[f"{w} days{' (judged)' if p else ''}" for w, p in zip(rows["window_days"], rows["primary"])]
    )
    return summit_words.results_table(
        rows, {"length": "Window"}, "Every window length (only the judged one gives the verdict)"
    )
