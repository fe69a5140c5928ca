"""The answer each report opens with: one or two sentences and three to five key figures, computed from the
selection the report shows (report.headline displays them). Each function returns (sentence, [(value, label)])."""

from __future__ import annotations

import pandas as pd

from analysis.measures import metrics
from analysis.pages import text
from analysis.pages.tables import integer, number, plural

Headline = tuple[str, list[tuple[str, str]]]


def _span(dates: pd.Series) -> str:
    a, b = pd.Timestamp(dates.min()).year, pd.Timestamp(dates.max()).year
    return str(a) if a == b else f"{a} to {b}"


def data_overview(tables: dict[str, pd.DataFrame], missiles: pd.DataFrame) -> Headline:
    """What the tables hold, and the counted (CNS-criterion) missiles of the selection."""
    events, sanctions, sources = tables["diplomatic_events"], tables["sanctions"], tables["sources"]
    nuclear = tables["nuclear_tests"]
    sentence = (
        f"The curated tables record {plural(len(tables['missile_tests']), 'missile')}, "
        f"{plural(len(nuclear), 'nuclear test')}, {plural(len(events), 'diplomatic event')} and "
        f"{plural(len(sanctions), 'Security Council action')}, each citing its sources."
    )
    figures = []
    if not missiles.empty:
        years = metrics.year_table(missiles)
        top = int(years["missiles"].idxmax())
        sentence += (
            f" Within the CNS criterion, North Korea launched {plural(len(missiles), 'missile')} from "
            f"{_span(missiles['date_kst'])}; the most in one year was {integer(years.at[top, 'missiles'])}, in {top}."
        )
        figures += [
            (integer(len(missiles)), "missiles counted (CNS criterion)"),
            (integer(metrics.launch_days(missiles)), "launch days"),
            (str(top), f"busiest year ({plural(years.at[top, 'missiles'], 'missile')})"),
        ]
    figures += [(integer(len(nuclear)), "nuclear tests"), (integer(len(sources)), "sources cited")]
    return sentence, figures


def tempo(missiles: pd.DataFrame) -> Headline:
    """How many missiles, the busiest year and the longest pause."""
    if missiles.empty:
        return "No missiles in this selection.", []
    years = metrics.year_table(missiles)
    top = int(years["missiles"].idxmax())
    sentence = (
        f"From {_span(missiles['date_kst'])}, North Korea launched {plural(len(missiles), 'missile')} on "
        f"{plural(metrics.launch_days(missiles), 'day')}; the busiest year was {top}, with "
        f"{plural(years.at[top, 'missiles'], 'missile')}."
    )
    figures = [
        (integer(len(missiles)), "missiles launched"),
        (integer(metrics.launch_days(missiles)), "launch days"),
        (str(top), f"busiest year ({plural(years.at[top, 'missiles'], 'missile')})"),
    ]
    gaps = metrics.testing_gaps(missiles, top=1)
    if not gaps.empty:
        g = gaps.iloc[0]
        sentence += (
            f" The longest pause lasted {plural(g['days'], 'day')}, from {text.day(g['last_launch'])} "
            f"to {text.day(g['next_launch'])}."
        )
        figures.append((integer(g["days"]), "days in the longest pause"))
    return sentence, figures


def capabilities(missiles: pd.DataFrame) -> Headline:
    """The highest apogee and longest distance reported, and the ICBM's progress."""
    apogee, distance = missiles.dropna(subset=["apogee_km"]), missiles.dropna(subset=["distance_km"])
    if apogee.empty and distance.empty:
        return "No flight in this selection has a published apogee or distance.", []
    parts, figures = [], []
    if not apogee.empty:
        top = apogee.loc[apogee["apogee_km"].idxmax()]
        parts.append(
            f"the highest flight reported reached {number(top['apogee_km'], 0)} km "
            f"({top['missile_name']}, {top['missile_class']}, {text.day(top['date_kst'])})"
        )
        figures.append((f"{number(top['apogee_km'], 0)} km", "highest apogee"))
    if not distance.empty:
        far = distance.loc[distance["distance_km"].idxmax()]
        parts.append(
            f"the longest flew {number(far['distance_km'], 0)} km ({far['missile_name']}, {text.day(far['date_kst'])})"
        )
        figures.append((f"{number(far['distance_km'], 0)} km", "longest distance flown"))
    sentence = "Of the flights in this selection, " + " and ".join(parts) + "."
    icbm = metrics.class_progression(missiles, "ICBM")
    if not icbm.empty:
        records = int(icbm["apogee_record"].sum())
        sentence += (
            f" ICBMs flew {plural(len(icbm), 'time')} from {text.day(icbm['date_kst'].iloc[0])} on, "
            f"setting a new height record {plural(records, 'time')}."
        )
        figures += [(integer(len(icbm)), "ICBM flights"), (integer(records), "ICBM height records")]
    return sentence, figures


def nuclear_sanctions(tests: pd.DataFrame, response: pd.DataFrame) -> Headline:
    """The nuclear tests, the largest, and how many and how fast the Security Council answered
    (`tests` from metrics.nuclear_summary, `response` from metrics.nuclear_response)."""
    if tests.empty:
        return "No nuclear tests in the table.", []
    big = tests.loc[tests["mb"].idxmax()]
    answered = response.dropna(subset=["days"])
    sentence = (
        f"North Korea carried out {plural(len(tests), 'nuclear test')} from {_span(tests['date_kst'])}; the "
        f"largest, on {text.day(big['date_kst'])}, measured magnitude {number(big['mb'])}."
    )
    figures = [
        (integer(len(tests)), "nuclear tests"),
        (number(big["mb"]), "largest magnitude (mb)"),
        (f"{len(answered)} of {len(response)}", "answered by a resolution naming the test"),
    ]
    if not answered.empty:
        median = float(answered["days"].astype(float).median())
        sentence += (
            f" The Security Council named {len(answered)} of them in an adopted resolution, a median of "
            f"{number(median)} days after the test."
        )
        figures.append((number(median), "median days to that resolution"))
    else:
        sentence += " No adopted resolution names any of them."
    return sentence, figures
