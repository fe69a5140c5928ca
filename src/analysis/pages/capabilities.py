"""The capabilities report (notebooks/03_capabilities.ipynb) in words: its headline and findings, from the
progressions of analysis.measures.flights."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.measures import flights
from analysis.pages.report import Headline


def headline(missiles: pd.DataFrame) -> Headline:
    """The highest apogee and longest distance reported, and the ICBM's progress."""
    apogee, distance = missiles.dropna(subset=["apogee_km"]), missiles.dropna(subset=["distance_km"])
    if apogee.empty and distance.empty:
        return "No flight in this selection has a published apogee or distance.", []
    parts, figures = [], []
    if not apogee.empty:
        top = apogee.loc[apogee["apogee_km"].idxmax()]
        parts.append(
            f"the highest flight reported reached {fmt.number(top['apogee_km'], 0)} km "
            f"({top['missile_name']}, {top['missile_class']}, {fmt.day(top['date_kst'])})"
        )
        figures.append((f"{fmt.number(top['apogee_km'], 0)} km", "highest apogee"))
    if not distance.empty:
        far = distance.loc[distance["distance_km"].idxmax()]
        parts.append(
            f"the longest flew {fmt.number(far['distance_km'], 0)} km ({far['missile_name']}, {fmt.day(far['date_kst'])})"
        )
        figures.append((f"{fmt.number(far['distance_km'], 0)} km", "longest distance flown"))
    sentence = "Of the flights in this selection, " + " and ".join(parts) + "."
    icbm = flights.class_progression(missiles, "ICBM")
    if not icbm.empty:
        records = int(icbm["apogee_record"].sum())
        sentence += (
            f" ICBMs flew {fmt.plural(len(icbm), 'time')} from {fmt.day(icbm['date_kst'].iloc[0])} on, "
            f"setting a new height record {fmt.plural(records, 'time')}."
        )
        figures += [(fmt.integer(len(icbm)), "ICBM flights"), (fmt.integer(records), "ICBM height records")]
    return sentence, figures


def findings(missiles: pd.DataFrame) -> list[str]:
    """The capability answer in sentences: the highest apogee and longest distance reported, and the ICBM record."""
    f = fmt.iso_day
    lines = []
    for col, word in (("apogee_km", "Highest apogee"), ("distance_km", "Longest distance flown")):
        known = missiles.dropna(subset=[col])
        if known.empty:
            continue
        top = known.loc[known[col].idxmax()]
        lines.append(
            f"{word}: {top[col]:,.0f} km, {top['missile_name']} ({top['missile_class']}) on {f(top['date_kst'])}."
        )
    icbm = flights.class_progression(missiles, "ICBM")
    if not icbm.empty:
        rec = icbm[icbm["apogee_record"]]
        steps = ", ".join(f"{r.missile_name} {r.apogee_km:,.0f} km ({f(r.date_kst)})" for r in rec.itertuples())
        lines.append(f"{len(icbm)} ICBM flights, first {f(icbm['date_kst'].iloc[0])}; apogee records: {steps}.")
    return lines or ["No missiles in the selection."]
