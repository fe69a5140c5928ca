"""analysis.fmt, the one formatter: numbers, counts, p-values, dates and lists, in sentences and in table cells."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis import fmt


@pytest.mark.parametrize(
    "value, text",
    [
        (20.0, "20"),
        (2802.0, "2,802"),
        (1234567.891, "1,234,567.9"),
        (6.3, "6.3"),
        (0.04, "0"),
        (-0.04, "0"),
        (-1500.25, "\u22121,500.2"),
        (float("nan"), "\u2014"),
        (None, "\u2014"),
        (pd.NA, "\u2014"),
        (math.inf, "\u221e"),
        (-math.inf, "\u2212\u221e"),
        (np.int64(7), "7"),
    ],
)
def test_number(value, text):
    assert fmt.number(value) == text


def test_integer_ratio_and_decimals():
    assert fmt.integer(2802.0) == "2,802" and fmt.integer(float("nan")) == "\u2014"
    assert fmt.number(3.14159, 3) == "3.142" and fmt.number(2.5000, 3) == "2.5"
    assert fmt.ratio(1.5) == "1.50" and fmt.ratio(math.inf) == "\u221e" and fmt.ratio(None) == "\u2014"


@pytest.mark.parametrize(
    "p, text",
    [
        (0.0, "< 0.001"),
        (0.00099, "< 0.001"),
        (0.001, "0.001"),
        (0.0075, "0.007"),
        (0.049999, "0.050"),
        (1.0, "1.000"),
        (float("nan"), "\u2014"),
    ],
)
def test_pvalue(p, text):
    assert fmt.pvalue(p) == text


def test_plural_and_the_rest():
    assert [fmt.plural(n, "day") for n in (0, 1, 2, 1200)] == ["0 days", "1 day", "2 days", "1,200 days"]
    assert (
        fmt.plural(1, "analysis", "analyses") == "1 analysis" and fmt.plural(3, "analysis", "analyses") == "3 analyses"
    )
    assert fmt.yes_no(True) == "yes" and fmt.yes_no(np.False_) == "no" and fmt.yes_no(None) == "\u2014"
    assert fmt.date(pd.Timestamp("2018-06-12")) == "12 Jun 2018" and fmt.date(pd.NaT) == "\u2014"


def test_number_words_and_spans():
    assert [fmt.number_word(n) for n in (0, 7, 10, 11, 1200)] == ["zero", "seven", "ten", "11", "1,200"]
    assert fmt.year_span(2017, 2017) == "2017" and fmt.year_span(2016, 2019) == "2016 to 2019"
    assert fmt.join(["a"]) == "a" and fmt.join(["a", "b", "c"]) == "a, b and c"


def test_sentence_dates():
    assert fmt.day(pd.Timestamp("2018-06-12 09:00")) == "12 June 2018" and fmt.iso_day("2018-06-12") == "2018-06-12"
    assert fmt.day_span("2018-06-12", "2018-06-12") == "12 June 2018"
    assert fmt.day_span("2019-02-27", "2019-02-28") == "27–28 February 2019"
    assert fmt.day_span(pd.Timestamp("2019-06-30"), pd.Timestamp("2019-07-01")) == "30 June – 1 July 2019"
    assert fmt.day_span("2019-12-28", "2020-01-02") == "28 December 2019 – 2 January 2020"


@pytest.mark.parametrize("p, words", [(0.5, "about 1 in 2"), (0.0776, "about 1 in 13"), (0.0042, "about 1 in 240")])
def test_one_in(p, words):
    assert fmt.one_in(p) == words
    assert fmt.one_in(0.9) == "most of the time"


def test_share():
    assert fmt.share(1.0) == "100%" and fmt.share(0.053) == "5.3%" and fmt.share(0.41) == "41%"
