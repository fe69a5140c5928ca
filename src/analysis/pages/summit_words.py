"""The summit pages in words and tables, made from analysis.measures.summit_tests' numbers: headlines, each event's reading,
the family, the method, and the result tables formatted for readers."""

from __future__ import annotations

import pandas as pd

from analysis.data import names as stats
from analysis.measures import calibration as C
from analysis.measures import summit_tests as T
from analysis.pages import escape as pages
from analysis.pages import tables, text

# An event's page, as notebooks/reports.yml names the event-window sweep's outputs.
EVENT_PAGE = "event-window-{event_id}.html"

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def number_word(n: int) -> str:
    return _SMALL[n] if 0 <= n <= 10 else f"{n:,}"


def capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def one_in(p: float) -> str:
    """A probability as 'about 1 in 13' (two significant figures past 10)."""
    n = 1 / p
    if n < 1.5:
        return "most of the time"
    k = round(n) if n < 10 else int(float(f"{n:.2g}"))
    return f"about 1 in {k:,}"


def share(p: float) -> str:
    """A share of dates as a percentage, two significant figures: '7.8%', '41%', '100%'."""
    pct = 100 * p
    return f"{pct:.2g}%" if pct < 10 else f"{pct:.0f}%"


def p_short(row: pd.Series, column: str = "p_calibrated", floor: float | None = None) -> str:
    """A stated p for a table or a key figure, as a share: '< 7.8%' at the precision floor, '—' if untested."""
    p = row[column]
    if not row["testable"] or tables.is_unknown(p):
        return tables.DASH
    at_floor = row["at_floor"] if floor is None else p <= floor + 1e-12
    return f"< {share(p)}" if at_floor else share(p)


def launch_days(n: int) -> str:
    return "no launch day" if n == 0 else tables.plural(n, "launch day")


def since(reference_start) -> str:
    return str(pd.Timestamp(reference_start).year)


def rarity(row: pd.Series, reference_start=C.REFERENCE_START) -> str:
    """How lopsided the split is against the calendar, in words, never finer than the calendar supports."""
    if not row.get("complete", True):
        return f"Its {row['window_days']}-day windows run past the end of the data, so there is nothing to compare yet"
    if not row["testable"]:
        return "With no launch day on either side, there is nothing to compare"
    n, eff, w = row["reference_dates"], row["effective_windows"], row["window_days"]
    where = f"the {n:,} comparable dates since {since(reference_start)}"
    if row["at_floor"]:
        matched = "any" if row["matches"] == 0 else f"all but {row['matches']:,}"
        return (
            f"The split is more lopsided than {matched} of {where}; those hold only about {eff:.0f} independent "
            f"{w}-day comparisons, so the calendar can say only that it is rarer than {one_in(row['p_calibrated'])}"
        )
    seen = row["matches"] / n
    if seen >= 0.5:
        return f"{share(seen)} of {where} show a split at least as lopsided: it is not unusual for this calendar"
    return f"A split at least this lopsided turns up at {share(seen)} of {where} ({one_in(row['p_calibrated'])})" + (
        ", so it is not unusual for this calendar" if seen >= C.ALPHA else ""
    )


def familywise(row: pd.Series, family_size: int) -> str:
    """The family-wise reading of one event's primary result."""
    if not row["testable"]:
        return ""
    others = family_size - 1
    p = row["p_familywise"]
    if row["flagged"]:
        return f"Judged together with the other {number_word(others)} events it still stands out (family-wise p {tables.pvalue(p)})"
    floor = 1 / (1 + row["effective_placements"])
    if p <= floor + 1e-12:
        return (
            f"Judged together with the other {number_word(others)} events, it cannot be called a clear change: the "
            f"calendar holds only about {row['effective_placements']:.0f} independent placements of the whole family, "
            f"too few to rank anything rarer than {one_in(floor)}"
        )
    return (
        f"Judged together with the other {number_word(others)} events, a result this lopsided in at least one of them "
        f"turns up at {share(p)} of the placements of the family: no clear change"
    )


def _counts(row: pd.Series, name: str) -> str:
    w, b, a = row["window_days"], row["before"], row["after"]
    if a == b == 0:
        return f"North Korea launched no missile in the {w} days before {name}, nor in the {w} days after"
    if b == 0:
        return f"North Korea launched no missile in the {w} days before {name}; in the {w} days after, it launched on {tables.plural(a, 'day')}"
    if a == 0:
        return f"In the {w} days before {name}, North Korea launched missiles on {tables.plural(b, 'day')}; in the {w} days after, on none"
    return f"In the {w} days before {name}, North Korea launched missiles on {tables.plural(b, 'day')}; in the {w} days after, on {tables.plural(a, 'day')}"


def _pause(pause: dict | None, reference_start) -> str:
    if not pause:
        return ""
    longest = f", the longest since {since(reference_start)}" if pause["longest_since"] else ""
    return (
        f"The first launch after it came {tables.plural(pause['wait'], 'day')} later, on {text.day(pause['first'])}, "
        f"ending a pause of {pause['days']:,} days that began on {text.day(pause['last'])}{longest}"
    )


def event_headline(
    res: pd.DataFrame, event_id: str, pause: dict | None = None, reference_start=C.REFERENCE_START
) -> tuple[str, list[tuple[str, str]]]:
    """An event page's answer at the primary window: the counts, the pause it fell in, how rare the split is on the
    calendar, the family-wise verdict, and what the data cannot show."""
    rows = res[res["event_id"] == event_id]
    if rows.empty:
        raise ValueError(f"event_id: {event_id!r} is not among the events judged")
    r = rows[rows["primary"]].iloc[0]
    family_size = res["event_id"].nunique()
    cause = "A before/after split says when launches happened, not why"
    if pause:
        cause += f": this one cannot be separated from the pause in testing that began on {text.day(pause['last'])}"
    parts = [_counts(r, r["event"]), _pause(pause, reference_start), rarity(r, reference_start)]
    parts += [familywise(r, family_size), cause]
    sentence = ". ".join(capital(p) for p in parts if p) + "."
    w = r["window_days"]
    figures = [
        (str(r["before"]), f"launch days, {w} days before"),
        (str(r["after"]), f"launch days, {w} days after"),
        (p_short(r), "of comparable dates as lopsided"),
        (r["label"], f"verdict at {w} days"),
    ]
    return sentence, figures


def overview_headline(res: pd.DataFrame, reference_start=C.REFERENCE_START) -> tuple[str, list[tuple[str, str]]]:
    """The summit overview's answer: how many events show a change the calendar supports with all judged together,
    and the sharpest split."""
    primary = res[res["primary"]].set_index("event_id")
    n, w = len(primary), int(primary["window_days"].iloc[0])
    counts = primary["label"].value_counts()
    clear = int(counts.get(T.CLEAR, 0))
    lead = (
        f"At the {w}-day window chosen in advance, {'none' if not clear else number_word(clear)} of the "
        f"{number_word(n)} summits and meetings {'shows' if clear in (0, 1) else 'show'} a change in launch days that "
        "the calendar supports when all are judged together"
    )
    parts = [lead]
    tested = primary[primary["testable"]]
    if not tested.empty:
        top = tested.sort_values(["p_raw", "matches"]).iloc[0]
        parts.append(
            f"The sharpest split, {top['event']}, went from {launch_days(top['before'])} before to "
            f"{launch_days(top['after'])} after"
        )
        parts.append(rarity(top, reference_start))
    untested = int(counts.get(T.NOT_TESTABLE, 0))
    if untested:
        parts.append(
            f"{capital(number_word(untested))} of the {number_word(n)} had no launch day on either side and could not be tested"
        )
    sentence = ". ".join(capital(p) for p in parts) + "."
    figures = [(str(n), "events judged together")] + [(str(int(counts.get(label, 0))), label) for label in T.LABELS]
    return sentence, figures


def family_note(res: pd.DataFrame, smaller: pd.DataFrame | None, events: pd.DataFrame) -> str:
    """Which events form the family, which are inter-Korean, and what leaving those out does to the verdicts."""
    from analysis.measures import metrics

    ids = list(dict.fromkeys(res["event_id"]))
    inter = [e for e in ids if stats.is_inter_korean(metrics.event_row(e, events))]
    line = f"The family judged together is {number_word(len(ids))} events"
    if not inter:
        return line + "."
    line += (
        f"; {number_word(len(inter))} of them {'is an inter-Korean summit' if len(inter) == 1 else 'are inter-Korean summits'} "
        "(North and South Korea only, without the US)"
    )
    if smaller is None or smaller.empty:
        return line + "."
    a = res[res["primary"]].set_index("event_id")
    b = smaller[smaller["primary"]].set_index("event_id")
    moved = [e for e in b.index if a.at[e, "label"] != b.at[e, "label"]]
    line += (
        f". Judged without {'it' if len(inter) == 1 else 'them'}, the family is {number_word(len(b))} events and holds "
        f"about {b['effective_placements'].iloc[0]:.0f} independent placements instead of "
        f"{a['effective_placements'].iloc[0]:.0f}; "
    )
    if moved:
        line += "the verdict changes for " + text.join(
            [f"{a.at[e, 'event']} ({a.at[e, 'label']} → {b.at[e, 'label']})" for e in moved]
        )
    else:
        line += "no verdict changes"
    return line + "."


def placebo_note(rates: dict, window_days: int, reference_start=C.REFERENCE_START) -> str:
    """What the check at shifted calendars found."""
    if not rates["placements"]:
        return (
            f"The calendar since {since(reference_start)} has no room to move the whole family elsewhere, so the "
            "procedure could not be checked on it."
        )
    return (
        f"Moved together to {rates['placements']} other dates since {since(reference_start)}, where none of them "
        f"took place, the {window_days}-day procedure as stated flagged a change at {rates['stated']:.0%} of them "
        f"(the promise: at most 5%). Without the precision floor it would have flagged {rates['raw']:.0%}"
        + (
            "."
            if pd.isna(rates["textbook"])
            else f"; the textbook procedure these pages used before (exact Poisson tests at four window lengths, "
            f"Holm's adjustment) flagged {rates['textbook']:.0%}."
        )
    )


def method(res: pd.DataFrame, facts: dict, reference_start=C.REFERENCE_START) -> str:
    """How the test works, in plain words, with this page's numbers and the calendar's `facts`
    (summit_tests.calendar_facts) (Markdown)."""
    p = res[res["primary"]].iloc[0]
    w, year = int(p["window_days"]), since(reference_start)
    pace = f"{launch_days(facts['quiet_days'])} in {facts['quiet_year']}, {facts['busy_days']} in {facts['busy_year']}"
    cluster = f"from {text.day(facts['first_event'])} to {text.day(facts['last_event'])}"
    if facts["pause"]:
        cluster += (
            f", largely inside the pause in testing from {text.day(facts['pause'][0])} to {text.day(facts['pause'][1])}"
        )
    others = [int(x) for x in sorted(res["window_days"].unique()) if x != w]
    return f"""**The measure.** Launch days: the days on which North Korea launched at least one missile, counted in the
{w} days before an event and the {w} days after it (the event's own days belong to neither side). Salvos make missile
counts clump even more than days, so missiles are shown but not tested.

**Why not the textbook test.** A textbook test treats every day as an independent coin toss at one fixed rate.
North Korea does not test that way: it tests in campaigns and pauses for months (since {year}: {pace}). At {w} days, splits that such a test calls rarer than 1 in 20 turn up at {share(p["textbook_share"])} of ordinary
dates on this calendar.

**Compared with the calendar itself.** So each split is compared with the same split taken at every other date since
{year} whose windows hold none of the events judged ({p["reference_dates"]:,} dates at {w} days). The question is how
many of those dates show a split at least as lopsided. Neighbouring dates share most of their window days, so those
dates hold only about {p["effective_windows"]:.0f} independent comparisons; no result is stated finer than that
allows ("< {share(1 / (1 + p["effective_windows"]))}" in the tables means: rarer than the calendar can rank).

**Judged together.** Asked of several events, chance alone makes one of them look unusual sooner or later. So all
the events are moved together, by the same number of days, to every other placement that keeps clear of the real
ones, and the real placement is ranked against them (the Westfall–Young method). At {w} days the calendar holds only
about {p["effective_placements"]:.0f} independent placements of the whole family, which limits what can be shown.

**Chosen in advance.** The {w}-day window is the one judged: 90 days hold too few launch days to show anything, and
one or two years straddle changes of pace like those above. The other lengths
({text.join([str(x) for x in others])} days) are shown only to see whether the answer moves. An event with no
launch day on either side is not testable and is left out of the family.

**A cross-check.** A model that allows for the clustering (a quasi-Poisson test whose spread, {p["dispersion"]:.1f}
times a textbook series', is measured on the same reference dates) gives the "model" column.

**What the data cannot show.** A before/after split says when launches happened, not why. The events came in a
cluster {cluster}, among other diplomacy of those months (each event's page draws it): the data cannot separate one
from the others."""


def _as_table(res: pd.DataFrame, first: dict[str, str], caption: str, comparisons: bool = True) -> tables.Table:
    shown = res.assign(
        p_cal=[p_short(r) for _, r in res.iterrows()],
        p_fw=[p_short(r, "p_familywise", floor=1 / (1 + r["effective_placements"])) for _, r in res.iterrows()],
        p_mod=[tables.pvalue(r["p_model"]) if r["testable"] else tables.DASH for _, r in res.iterrows()],
    )
    labels = first | {
        "before": "Launch days before",
        "after": "Launch days after",
        "p_cal": "Comparable dates as lopsided",
        "effective_windows": "Independent comparisons",
        "p_fw": "Placements of the family as lopsided",
        "p_mod": "Model p",
    }
    if not comparisons:
        del labels["effective_windows"]
    return tables.table(
        shown,
        labels,
        {"p_cal": tables.figure, "p_fw": tables.figure, "p_mod": tables.figure, "effective_windows": tables.integer},
        caption=caption,
    )


def primary_table(res: pd.DataFrame) -> tables.Table:
    """Every event at the primary window, its label first."""
    rows = res[res["primary"]]
    w = int(rows["window_days"].iloc[0])
    return _as_table(
        rows.assign(name=rows["event"].map(capital)),
        {"name": "Event", "label": "Verdict"},
        f"Every event at the {w}-day window (about {rows['effective_windows'].iloc[0]:.0f} independent comparisons)",
        comparisons=False,
    )


def sensitivity_table(res: pd.DataFrame, event_id: str) -> tables.Table:
    """One event at every window length: the same figures, the judged one marked."""
    rows = res[res["event_id"] == event_id]
    rows = rows.assign(
        length=[f"{w} days{' (judged)' if p else ''}" for w, p in zip(rows["window_days"], rows["primary"])]
    )
    return _as_table(rows, {"length": "Window"}, "Every window length (only the judged one gives the verdict)")


def sensitivity_grid(res: pd.DataFrame) -> tables.Table:
    """Every event (rows) at every window length (columns): launch days before → after, and the share of
    comparable dates as lopsided."""
    cells = {}
    for _, r in res.iterrows():
        cell = f"{r['before']} → {r['after']}" + (f" ({p_short(r)})" if r["testable"] else " (not testable)")
        cells.setdefault(capital(r["event"]), {})[r["window_days"]] = cell
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


def question(event: pd.Series) -> str:
    """The event page's question, naming its event (Markdown, escaped)."""
    return (
        f"**Question.** Did North Korea launch missiles more or less often in the months after "
        f"{pages.md_escape(stats.event_name(event))} than in the months before, and is the difference larger than "
        "this calendar produces by itself?"
    )


def window_counts(win) -> tables.Table:
    """Launch days and missiles before, during and after the event (metrics.Window), for the chart's window."""
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


def event_links(res: pd.DataFrame):
    """Each event's page and its verdict at the primary window (HTML, escaped)."""
    first = res[res["primary"]]
    links = [(EVENT_PAGE.format(event_id=r["event_id"]), capital(r["event"]), r["label"]) for _, r in first.iterrows()]
    return pages.part("event_links.html.j2", links=links)
