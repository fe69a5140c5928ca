"""analysis.stats on hand-made inputs whose answers are worked out by hand; the summit sweep on a tiny table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import metrics as M
from analysis import stats as S
from analysis import text as T


def test_holm_by_hand():
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> running max keeps 0.06
    assert S.adjust([0.01, 0.04, 0.03, 0.005], "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_benjamini_hochberg_by_hand():
    # sorted: 0.005*4/1=0.02, 0.01*4/2=0.02, 0.03*4/3=0.04, 0.04*4/4=0.04 -> running min from the top
    assert S.adjust([0.01, 0.04, 0.03, 0.005], "bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_adjust_caps_at_one_keeps_a_single_test_and_refuses_bad_input():
    assert S.adjust([0.5, 0.6], "holm") == [1.0, 1.0]
    assert S.adjust([0.9, 0.95], "bh") == pytest.approx([0.95, 0.95])
    assert S.adjust([0.03], "holm") == [0.03] and S.adjust([], "bh") == []
    with pytest.raises(ValueError, match="method: 'bonf'"):
        S.adjust([0.1], "bonf")
    with pytest.raises(ValueError, match="pvalues: 1.2"):
        S.adjust([0.1, 1.2])


@pytest.mark.parametrize(
    "results, label",
    [
        ([(2.0, 0.01), (3.0, 0.02), (1.8, 0.049)], S.ROBUST),
        ([(0.3, 0.001), (0.5, 0.01)], S.ROBUST),  # fewer after, at every length
        ([(2.0, 0.01), (1.5, 0.20)], S.DEPENDS),  # clear at one length only
        ([(2.0, 0.01), (0.5, 0.01)], S.DEPENDS),  # clear both times, opposite directions
        ([(2.0, 0.06), (math.inf, 1.0), (math.nan, 1.0)], S.NO_CHANGE),
    ],
)
def test_robustness_label(results, label):
    assert S.robustness(results) == label


def test_robustness_needs_results():
    with pytest.raises(ValueError, match="results"):
        S.robustness([])


@pytest.mark.parametrize(
    "p, words",
    [
        (0.5, "about one time in two"),
        (0.25, "about one time in four"),
        (0.1, "about one time in ten"),
        (0.03, "about one time in 33"),
        (0.0075, "about one time in 130"),
        (0.0012, "about one time in 830"),
        (0.0004, "less than one time in 1,000"),
        (1.0, "most of the time"),
        (0.8, "most of the time"),
    ],
)
def test_chance_in_words(p, words):
    assert S.chance_in_words(p) == words


def test_reading_in_both_directions_and_without_launches():
    assert S.reading(2.5, 0.0075, 28) == (
        "2.5 times as many launch days after as before; if the rate had not changed, "
        "a difference this large would turn up by chance about one time in 130, "
        "allowing for the 28 comparisons made."
    )
    assert S.reading(0.25, 1.0, 4).startswith("4.0 times fewer launch days after than before;")
    assert S.reading(math.inf, 0.5, 4).startswith("Launch days after but none before;")
    assert S.reading(math.nan, 1.0, 4) == "No launch days on either side: nothing to compare."


def test_day_span_and_event_name():
    assert T.day_span("2018-06-12", "2018-06-12") == "12 June 2018"
    assert T.day_span("2019-02-27", "2019-02-28") == "27–28 February 2019"
    assert T.day_span(pd.Timestamp("2019-06-30"), pd.Timestamp("2019-07-01")) == "30 June – 1 July 2019"
    assert T.day_span("2019-12-28", "2020-01-02") == "28 December 2019 – 2 January 2020"
    row = {
        "parties": "US;DPRK",
        "trump_kim": "true",
        "kind": "summit",
        "location": "Singapore",
        "start_date": "2018-06-12",
        "end_date": "2018-06-12",
    }
    assert S.window_title(row) == "Launches before and after the Trump–Kim summit in Singapore (12 June 2018)"
    assert (
        S.event_name({**row, "parties": "DPRK;ROK", "trump_kim": False, "location": "Panmunjom (DMZ)"})
        == "the inter-Korean summit in Panmunjom (12 June 2018)"
    )
    assert (
        S.event_name({**row, "trump_kim": "false", "kind": "talks", "location": "Stockholm, Sweden"})
        == "the US–North Korea talks in Stockholm (12 June 2018)"
    )


def _missiles(dates: list[str]) -> pd.DataFrame:
    d = pd.to_datetime(pd.Series(dates, dtype="str"))
    return pd.DataFrame(
        {"date_kst": d, "missile_id": [f"m{i}" for i in range(len(d))], "missile_name": "X", "missile_class": "SRBM"}
    )


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "start_date": pd.to_datetime(["2020-01-01", "2020-01-11"]),
            "end_date": pd.to_datetime(["2020-01-01", "2020-01-11"]),
            "kind": "summit",
            "title": ["A", "B"],
            "location": "Hanoi, Vietnam",
            "parties": "US;DPRK",
            "trump_kim": [True, False],
        }
    )


def test_summit_sweep_adjusts_across_the_family_and_labels_each_event():
    # 'a': no launch before, 7 and 12 launch days after; 'b' (ten days later) sees 6 before and none after at
    # 7 days, 8 before and 4 after at 30 days.
    after = [f"2020-01-{d:02d}" for d in range(2, 10)] + ["2020-01-20", "2020-01-21", "2020-01-22", "2020-01-23"]
    t = M.summit_sweep(_missiles(after), _events(), ["a", "b"], [7, 30])
    assert list(t["window_days"]) == [7, 30, 7, 30] and len(t) == 4
    assert list(zip(t["before"], t["after"])) == [(0, 7), (0, 12), (6, 0), (8, 4)]
    assert list(t["p_adjusted"]) == pytest.approx(S.adjust(t["p_value"].tolist(), "holm"))
    # 12 of 12 after: two-sided binomial p = 2 * 0.5**12; Holm multiplies the smallest of 4 by 4.
    assert t["p_adjusted"].iloc[1] == pytest.approx(4 * 2 * 0.5**12)
    # Holm: a/30 0.00049*4, a/7 0.0156*3 = 0.047 (both clear, both more after); b/7 0.031*2 = 0.0625 is not
    assert t.set_index("event_id")["label"].to_dict() == {"a": S.ROBUST, "b": S.NO_CHANGE}
    assert t["event"].iloc[0] == "the Trump–Kim summit in Hanoi (1 January 2020)"
    assert "allowing for the 4 comparisons made" in t["reading"].iloc[0]
    with pytest.raises(ValueError, match="event_id: 'zz'"):
        M.summit_sweep(_missiles(after), _events(), ["zz"])


def test_window_overlaps_by_hand():
    # spans at 7 days: a 2019-12-25..2020-01-08, b 2020-01-04..2020-01-18: 5 shared days of 15
    o = M.window_overlaps(_events(), ["a", "b"], 7)
    assert o.to_dict("records") == [{"event_a": "a", "event_b": "b", "days_shared": 5, "share": 5 / 15}]
    assert M.window_overlaps(_events(), ["a", "b"], 4).empty


def test_registry_title_names_the_event(tmp_path):
    from analysis import registry

    (tmp_path / "nb.ipynb").write_text("{}")
    (tmp_path / "reports.yml").write_text(
        "reports:\n  w:\n    notebook: nb.ipynb\n    title: 'Launches before and after {event_id:event}'\n"
        "    sweep: {event_id: [2018-06-12-singapore-summit, nope]}\n"
    )
    with pytest.raises(
        registry.RegistryError, match="report 'w': title: 'nope' is not an event_id in diplomatic_events.csv"
    ):
        registry.load(tmp_path / "reports.yml")
    (tmp_path / "reports.yml").write_text((tmp_path / "reports.yml").read_text().replace(", nope", ""))
    [r] = registry.load(tmp_path / "reports.yml")
    assert r.title == "Launches before and after the Trump–Kim summit in Singapore (12 June 2018)"


def test_headlines_from_the_sweep():
    after = [f"2020-01-{d:02d}" for d in range(2, 10)] + ["2020-01-20", "2020-01-21", "2020-01-22", "2020-01-23"]
    t = M.summit_sweep(_missiles(after), _events(), ["a", "b"], [7, 30])
    sentence, figures = M.event_headline(t, "a", 30)
    assert sentence == (
        "In the 30 days before the Trump–Kim summit in Hanoi (1 January 2020), North Korea launched no "
        "missile; in the 30 days after, it launched missiles on 12 days. Across window lengths: a change "
        "that holds at every window length (7 and 30 days)."
    )
    assert figures == [
        ("0", "launch days, 30 days before"),
        ("12", "launch days, 30 days after"),
        ("no launch before", "rate after ÷ before"),
        (S.ROBUST, "across window lengths"),
    ]
    assert M.event_headline(t, "b", 30)[0].endswith("Across window lengths: no clear change at any window length.")
    assert (
        "North Korea launched missiles on 6 days; in the 7 days after, it launched no missile."
        in M.event_headline(t, "b", 7)[0]
    )
    with pytest.raises(ValueError, match="window_days: 365 is not one of the window lengths tested"):
        M.event_headline(t, "a", 365)
    sentence, figures = M.overview_headline(t)
    assert sentence.startswith(
        "1 of 2 summits and meetings show a change in launch days that holds at every window length."
    )
    assert figures == [("2", "events tested"), ("1", S.ROBUST), ("0", S.DEPENDS), ("1", S.NO_CHANGE)]


def test_overlap_findings_and_the_rows_used():
    lines = M.overlap_findings(_events(), ["a", "b"], [4, 7], threshold=0.3)
    assert lines == [
        "4 days: 0 of 1 pair of events share more than 30% of their window days.",
        "7 days: 1 of 1 pair of events share more than 30% of their window days; the most, 33%, the "
        "Trump–Kim summit in Hanoi (1 January 2020) and the US–North Korea summit in Hanoi (11 January 2020).",
    ]
    rows = M.sweep_rows(
        _missiles(["2019-12-01", "2019-12-26", "2020-01-20", "2020-02-01"]), _events(), ["a", "b"], [7, 10]
    )
    assert rows["date_kst"].dt.strftime("%m-%d").tolist() == ["12-26", "01-20"]  # 10 days around either event


def test_event_headline_names_the_windows_where_a_window_dependent_change_is_clear():
    sweep = pd.DataFrame(
        {
            "event_id": "h",
            "event": "the summit in Hanoi (27–28 February 2019)",
            "window_days": [90, 180, 365, 730],
            "before": [0, 0, 0, 14],
            "after": [3, 10, 14, 18],
            "rate_ratio": [math.inf] * 3 + [1.29],
            "p_adjusted": [0.58, 0.053, 0.0034, 0.88],
            "label": S.DEPENDS,
        }
    )
    sentence, figures = M.event_headline(sweep, "h", 730)
    assert sentence.endswith(
        "on 18 days. Across window lengths: a change that depends on the window: it is clear at 365 days only."
    )
    assert figures[2] == ("× 1.29", "rate after ÷ before")
