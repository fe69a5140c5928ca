"""The tempo report (notebooks/01_tempo_timeline.ipynb) in words: its headline and findings, from the counts of
analysis.measures.counts."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.measures import counts
from analysis.pages.report import Headline


def headline(missiles: pd.DataFrame) -> Headline:
    """How many missiles, the busiest year and the longest pause."""
    if missiles.empty:
        return "No missiles in this selection.", []
    years = counts.year_table(missiles)
    top = int(years["missiles"].idxmax())
    days = counts.launch_days(missiles)
    sentence = (
        f"From {fmt.year_span(missiles['date_kst'].min().year, missiles['date_kst'].max().year)}, North Korea launched "
        f"{fmt.plural(len(missiles), 'missile')} on {fmt.plural(days, 'day')}; the busiest year was {top}, with "
        f"{fmt.plural(years.at[top, 'missiles'], 'missile')}."
    )
    figures = [
        (fmt.integer(len(missiles)), "missiles launched"),
        (fmt.integer(days), "launch days"),
        (str(top), f"busiest year ({fmt.plural(years.at[top, 'missiles'], 'missile')})"),
    ]
    gaps = counts.testing_gaps(missiles, top=1)
    if not gaps.empty:
        g = gaps.iloc[0]
        sentence += (
            f" The longest pause lasted {fmt.plural(g['days'], 'day')}, from {fmt.day(g['last_launch'])} "
            f"to {fmt.day(g['next_launch'])}."
        )
        figures.append((fmt.integer(g["days"]), "days in the longest pause"))
    return sentence, figures


def _named(missile_names: str) -> str:
    return "type not identified" if missile_names == "Unknown" else missile_names


def findings(missiles: pd.DataFrame, nuclear_tests: pd.DataFrame) -> list[str]:
    """The tempo answer in sentences, computed from the selected missiles (and the nuclear tests in their span)."""
    if missiles.empty:
        return ["No missiles in the selection."]
    f = fmt.iso_day
    lines = [
        f"{len(missiles)} missiles on {counts.launch_days(missiles)} launch days, "
        f"{f(missiles['date_kst'].min())} to {f(missiles['date_kst'].max())} (KST)."
    ]
    years = counts.year_table(missiles)
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
    first = counts.first_flight(missiles, "ICBM")
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
    gaps = counts.testing_gaps(missiles, top=1)
    if not gaps.empty:
        g = gaps.iloc[0]
        line = (
            f"Longest spell without a launch: {g['days']} days, from {f(g['last_launch'])} "
            f"({_named(g['last_missiles'])}) to {f(g['next_launch'])} ({_named(g['next_missiles'])})"
        )
        if g["next_confirmed"] != g["next_launch"]:
            line += f"; that launch is listed unconfirmed, the first confirmed one after the gap was {f(g['next_confirmed'])}"
        lines.append(line + ".")
    return lines
