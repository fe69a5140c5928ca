"""The nuclear-tests-and-sanctions report (notebooks/04_nuclear_sanctions.ipynb) in words: its headline and
findings, from the frames of analysis.measures.nuclear."""

from __future__ import annotations

import pandas as pd

from analysis import fmt
from analysis.pages.report import Headline


def headline(tests: pd.DataFrame, response: pd.DataFrame) -> Headline:
    """The nuclear tests, the largest, and how many and how fast the Security Council answered
    (`tests` from nuclear.nuclear_summary, `response` from nuclear.nuclear_response)."""
    if tests.empty:
        return "No nuclear tests in the table.", []
    big = tests.loc[tests["mb"].idxmax()]
    answered = response.dropna(subset=["days"])
    sentence = (
        f"North Korea carried out {fmt.plural(len(tests), 'nuclear test')} from "
        f"{fmt.year_span(tests['date_kst'].min().year, tests['date_kst'].max().year)}; the largest, on "
        f"{fmt.day(big['date_kst'])}, measured magnitude {fmt.number(big['mb'])}."
    )
    figures = [
        (fmt.integer(len(tests)), "nuclear tests"),
        (fmt.number(big["mb"]), "largest magnitude (mb)"),
        (f"{len(answered)} of {len(response)}", "answered by a resolution naming the test"),
    ]
    if not answered.empty:
        median = float(answered["days"].astype(float).median())
        sentence += (
            f" The Security Council named {len(answered)} of them in an adopted resolution, a median of "
            f"{fmt.number(median)} days after the test."
        )
        figures.append((fmt.number(median), "median days to that resolution"))
    else:
        sentence += " No adopted resolution names any of them."
    return sentence, figures


def findings(response: pd.DataFrame, pairs: pd.DataFrame) -> list[str]:
    """The sanctions answer in sentences, from nuclear.nuclear_response() and nuclear.days_to_resolution()."""
    lines = []
    hit = response.dropna(subset=["days"])
    lines.append(f"{len(hit)} of {len(response)} nuclear tests were named as the trigger of an adopted resolution.")
    if not hit.empty:
        fast, slow = hit.loc[hit["days"].astype(float).idxmin()], hit.loc[hit["days"].astype(float).idxmax()]
        lines.append(
            f"Fastest: {fast['first_resolution']} {fast['days']} days after the test of "
            f"{fmt.iso_day(fast['test_date_kst'])}; slowest: {slow['first_resolution']} {slow['days']} "
            f"days after the test of {fmt.iso_day(slow['test_date_kst'])}; median {hit['days'].astype(float).median():g} days."
        )
    missiles = pairs[pairs["trigger_kind"] == "missile launch"]
    if not missiles.empty:
        lines.append(
            f"{missiles['trigger_id'].nunique()} missile launches are named as triggers, of "
            f"{missiles['sanction_id'].nunique()} Security Council actions "
            f"({int((missiles.drop_duplicates('sanction_id')['action'] == 'vetoed').sum())} of them vetoed)."
        )
    return lines
