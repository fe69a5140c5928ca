"""Words both summit pages share (an event's page, notebooks/02_event_window.ipynb, and the overview,
notebooks/07_summit_overview.ipynb), made from analysis.measures.summit_tests' numbers: a stated p, how rare a split
is, the family, the method, and the results table formatted for readers."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.data import names
from analysis.measures import calibration as C
from analysis.measures import windows
from analysis.pages import tables


def capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def p_short(row: pd.Series, column: str = "p_calibrated", floor: float | None = None) -> str:
    """A stated p for a table or a key figure, as a share: '< 7.8%' at the precision floor, '—' if untested."""
    p = row[column]
    if not row["testable"] or fmt.is_unknown(p):
        return fmt.DASH
    at_floor = row["at_floor"] if floor is None else p <= floor + 1e-12
    return f"< {fmt.share(p)}" if at_floor else fmt.share(p)


def launch_days(n: int) -> str:
    return "no launch day" if n == 0 else fmt.plural(n, "launch day")


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
            f"{w}-day comparisons, so the calendar can say only that it is rarer than {fmt.one_in(row['p_calibrated'])}"
        )
    seen = row["matches"] / n
    if seen >= 0.5:
        return f"{fmt.share(seen)} of {where} show a split at least as lopsided: it is not unusual for this calendar"
    return (
        f"A split at least this lopsided turns up at {fmt.share(seen)} of {where} ({fmt.one_in(row['p_calibrated'])})"
        + (", so it is not unusual for this calendar" if seen >= C.ALPHA else "")
    )


def family_note(res: pd.DataFrame, smaller: pd.DataFrame | None, events: pd.DataFrame) -> str:
    """Which events form the family, which are inter-Korean, and what leaving those out does to the verdicts."""
    ids = list(dict.fromkeys(res["event_id"]))
    inter = [e for e in ids if names.is_inter_korean(windows.event_row(e, events))]
    line = f"The family judged together is {fmt.number_word(len(ids))} events"
    if not inter:
        return line + "."
    line += (
        f"; {fmt.number_word(len(inter))} of them {'is an inter-Korean summit' if len(inter) == 1 else 'are inter-Korean summits'} "
        "(North and South Korea only, without the US)"
    )
    if smaller is None or smaller.empty:
        return line + "."
    a = res[res["primary"]].set_index("event_id")
    b = smaller[smaller["primary"]].set_index("event_id")
    moved = [e for e in b.index if a.at[e, "label"] != b.at[e, "label"]]
    line += (
        f". Judged without {'it' if len(inter) == 1 else 'them'}, the family is {fmt.number_word(len(b))} events and holds "
        f"about {b['effective_placements'].iloc[0]:.0f} independent placements instead of "
        f"{a['effective_placements'].iloc[0]:.0f}; "
    )
    if moved:
        line += "the verdict changes for " + fmt.join(
            [f"{a.at[e, 'event']} ({a.at[e, 'label']} → {b.at[e, 'label']})" for e in moved]
        )
    else:
        line += "no verdict changes"
    return line + "."


def method(res: pd.DataFrame, facts: dict, reference_start=C.REFERENCE_START) -> str:
    """How the test works, in plain words, with this page's numbers and the calendar's `facts`
    (summit_tests.calendar_facts) (Markdown)."""
    p = res[res["primary"]].iloc[0]
    w, year = int(p["window_days"]), since(reference_start)
    pace = f"{launch_days(facts['quiet_days'])} in {facts['quiet_year']}, {facts['busy_days']} in {facts['busy_year']}"
    cluster = f"from {fmt.day(facts['first_event'])} to {fmt.day(facts['last_event'])}"
    if facts["pause"]:
        cluster += (
            f", largely inside the pause in testing from {fmt.day(facts['pause'][0])} to {fmt.day(facts['pause'][1])}"
        )
    others = [int(x) for x in sorted(res["window_days"].unique()) if x != w]
    return f"""**The measure.** Launch days: the days on which North Korea launched at least one missile, counted in the
{w} days before an event and the {w} days after it (the event's own days belong to neither side). Salvos make missile
counts clump even more than days, so missiles are shown but not tested.

**Why not the textbook test.** A textbook test treats every day as an independent coin toss at one fixed rate.
North Korea does not test that way: it tests in campaigns and pauses for months (since {year}: {pace}). At {w} days, splits that such a test calls rarer than 1 in 20 turn up at {fmt.share(p["textbook_share"])} of ordinary
dates on this calendar.

**Compared with the calendar itself.** So each split is compared with the same split taken at every other date since
{year} whose windows hold none of the events judged ({p["reference_dates"]:,} dates at {w} days). The question is how
many of those dates show a split at least as lopsided. Neighbouring dates share most of their window days, so those
dates hold only about {p["effective_windows"]:.0f} independent comparisons; no result is stated finer than that
allows ("< {fmt.share(1 / (1 + p["effective_windows"]))}" in the tables means: rarer than the calendar can rank).

**Judged together.** Asked of several events, chance alone makes one of them look unusual sooner or later. So all
the events are moved together, by the same number of days, to every other placement that keeps clear of the real
ones, and the real placement is ranked against them (the Westfall–Young method). At {w} days the calendar holds only
about {p["effective_placements"]:.0f} independent placements of the whole family, which limits what can be shown.

**Chosen in advance.** The {w}-day window is the one judged: 90 days hold too few launch days to show anything, and
one or two years straddle changes of pace like those above. The other lengths
({fmt.join([str(x) for x in others])} days) are shown only to see whether the answer moves. An event with no
launch day on either side is not testable and is left out of the family.

**A cross-check.** A model that allows for the clustering (a quasi-Poisson test whose spread, {p["dispersion"]:.1f}
times a textbook series', is measured on the same reference dates) gives the "model" column.

**What the data cannot show.** A before/after split says when launches happened, not why. The events came in a
cluster {cluster}, among other diplomacy of those months (each event's page draws it): the data cannot separate one
from the others."""


def results_table(res: pd.DataFrame, first: dict[str, str], caption: str, comparisons: bool = True) -> tables.Table:
    """Results as readers see them: `first` columns, launch days before and after, the shares as lopsided and the
    model's p (`comparisons`: with the number of independent comparisons)."""
    shown = res.assign(
        p_cal=[p_short(r) for _, r in res.iterrows()],
        p_fw=[p_short(r, "p_familywise", floor=1 / (1 + r["effective_placements"])) for _, r in res.iterrows()],
        p_mod=[fmt.pvalue(r["p_model"]) if r["testable"] else fmt.DASH for _, r in res.iterrows()],
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
        {"p_cal": tables.figure, "p_fw": tables.figure, "p_mod": tables.figure, "effective_windows": fmt.integer},
        caption=caption,
    )
