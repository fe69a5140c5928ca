"""analysis.measures.calibration: the pieces by hand on tiny calendars, then the promise on simulated clustered series with
no event effect (the procedure keeps its error rate; the textbook procedure does not), and power on a real effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.measures import calibration as C


def cal_of(launch: list[int] | np.ndarray, origin: str = "2000-01-01") -> C.Calendar:
    launch = np.asarray(launch, dtype=np.int64)
    o = pd.Timestamp(origin)
    return C.Calendar(o, o + pd.Timedelta(days=len(launch) - 1), launch)


def test_calendar_counts_launch_days_once_and_windows_skip_the_event_days():
    cal = C.calendar(pd.Series(pd.to_datetime(["2020-01-01", "2020-01-01", "2020-01-03", "2020-01-06"])))
    assert cal.launch.tolist() == [1, 0, 1, 0, 0, 1] and cal.day("2020-01-03") == 2
    # event on days 3..3: before = days 1..2 (one launch), after = days 4..5 (one launch)
    before, after = cal.counts(np.array([3]), np.array([3]), 2)
    assert (before.tolist(), after.tolist()) == ([1], [1])
    # a two-day event on days 2..3: before days 0..1, after days 4..5
    assert [x.tolist() for x in cal.counts(np.array([2]), np.array([3]), 2)] == [[1], [1]]
    with pytest.raises(ValueError, match="launch_dates"):
        C.calendar(pd.Series([], dtype="datetime64[ns]"))


@pytest.mark.parametrize("before, after", [(0, 10), (3, 11), (12, 6), (5, 5), (1, 0)])
def test_lopsidedness_is_the_exact_two_sided_binomial_p(before, after):
    expected = stats.binomtest(after, before + after, 0.5).pvalue
    assert C.lopsidedness(before, after) == pytest.approx(expected)


def test_lopsidedness_without_launches_and_the_signed_score():
    assert C.lopsidedness(0, 0) == 1.0
    assert C.signed_score(0, 10) == pytest.approx(-np.log10(2 * 0.5**10))
    assert C.signed_score(10, 0) == pytest.approx(np.log10(2 * 0.5**10))


def test_reference_leaves_out_dates_whose_windows_touch_an_event_and_counts_the_independent_windows():
    cal = cal_of(np.tile([1, 0, 0, 0, 0], 40))  # 200 days, a launch every fifth day
    ref = C.reference(cal, 10, [C.Span(100, 100)], start="2000-01-01")
    # dates 10..189, minus 90..110 (their 10-day windows reach day 100)
    assert ref.size == 180 - 21 and not np.isin(np.arange(90, 111), ref.days).any()
    assert ref.effective == pytest.approx(159 / 20) and ref.floor == pytest.approx(1 / (1 + 159 / 20))
    # a strictly periodic series: every split is 2 v 2, so the dispersion of the difference is 0
    assert ref.dispersion == 0.0
    assert ref.p(1.0).item() == 1.0 and ref.p(0.0).item() == pytest.approx(1 / 160)


def test_reference_period_must_leave_room():
    cal = cal_of(np.zeros(100))
    with pytest.raises(ValueError, match="reference_start: 2000-03-01 leaves no room for 30-day windows"):
        C.reference_period(cal, 30, "2000-03-01")


def test_offsets_keep_the_moved_family_clear_of_the_real_one():
    cal = cal_of(np.zeros(1000))
    judged = [C.Span(400, 400), C.Span(420, 421)]
    shifts = C.offsets(cal, 30, judged, start="2000-01-01")
    assert len(shifts) and 0 not in shifts
    for s in shifts:
        for e in judged:
            moved_first, moved_last = e.first + s, e.last + s
            assert 30 <= moved_first and moved_last <= 1000 - 1 - 30
            for r in judged:
                assert moved_last + 30 < r.first or moved_first - 30 > r.last
    # moved windows must not reach a real event: the second event's after-window must end before day 400 (s <= -52)
    # or the first's before-window start after day 421 (s >= 52); the data bound s to -370..548
    assert set(shifts) == set(range(-370, -51)) | set(range(52, 549))


def test_familywise_min_p_by_hand():
    p_real = np.array([0.01, 0.5])
    p_shifted = np.array([[0.2, 0.3], [0.02, 0.9], [0.005, 0.6], [0.7, 0.4]])  # min: 0.2, 0.02, 0.005, 0.4
    assert C.familywise(p_real, p_shifted).tolist() == pytest.approx([2 / 5, 5 / 5])
    assert C.familywise(p_real, np.empty((0, 2))).tolist() == [1.0, 1.0]


def test_quasi_poisson_divides_by_the_dispersion():
    ref = C.Reference(10, np.arange(400), np.full(400, 2), np.full(400, 6), np.ones(400))
    assert ref.dispersion == pytest.approx(2.0)  # (6 - 2)^2 / (6 + 2)
    p = C.quasi_poisson_p(np.array([0, 0]), np.array([10, 0]), ref)
    assert p[0] == pytest.approx(stats.f.sf(10 / 2.0, 1, int(ref.effective) - 1)) and np.isnan(p[1])


def test_judge_marks_empty_and_incomplete_windows_untestable():
    launch = np.zeros(3000, dtype=np.int64)
    launch[::37] = 1
    cal = cal_of(launch)
    j = C.judge(cal, [C.Span(1500, 1500), C.Span(2990, 2990)], 90, start="2000-01-01")
    assert j.testable.tolist() == [True, False]  # the second's after-window runs past the data
    assert np.isnan(j.p_familywise[1]) and not j.flagged.any()
    quiet = launch.copy()
    quiet[1400:1600] = 0
    j = C.judge(cal_of(quiet), [C.Span(1500, 1500)], 90, start="2000-01-01")
    assert j.testable.tolist() == [False] and j.n_offsets == 0  # no family left to place


# ---- the promise ---------------------------------------------------------------------------------


def clustered(n_days: int, rng: np.random.Generator, rates=(0.006, 0.09), mean_days=(220, 90)) -> np.ndarray:
    """A two-state (quiet/campaign) Markov-switching series of launch days: the real calendar's clustering (launch
    days per 30 days about twice as variable as independent days), with no event in it."""
    state, out = int(rng.random() < 0.3), []
    while sum(len(x) for x in out) < n_days:
        length = rng.geometric(1 / mean_days[state])
        out.append((rng.random(length) < rates[state]).astype(np.int64))
        state = 1 - state
    return np.concatenate(out)[:n_days]


def textbook_flags(cal: C.Calendar, judged: list[C.Span]) -> bool:
    """The procedure the pages used before: exact Poisson tests per event and window length, Holm across all."""
    first = np.array([e.first for e in judged])
    last = np.array([e.last for e in judged])
    p = np.concatenate([C.lopsidedness(*cal.counts(first, last, w)) for w in C.WINDOWS])
    return bool(len(p) * p.min() < C.ALPHA)


def test_the_simulated_series_cluster_like_the_real_calendar():
    x = clustered(20_000, np.random.default_rng(0))
    bins = x[: len(x) // 30 * 30].reshape(-1, 30).sum(axis=1)
    assert 0.02 < x.mean() < 0.04 and 1.5 < bins.var() / bins.mean() < 3.5


@pytest.mark.slow
def test_no_effect_long_series_stated_procedure_keeps_its_error_rate_and_the_textbook_one_does_not():
    """A 50-year calendar, three events within a year, 90-day windows: the precision floor (about 1 / 30) lies
    below 5 %, so the stated procedure can flag; with no effect it must do so at most about 5 % of the time."""
    rng = np.random.default_rng(17)
    runs, stated, raw, textbook = 300, 0, 0, 0
    for _ in range(runs):
        cal = cal_of(clustered(18_300, rng))
        judged = [C.Span(9000, 9000), C.Span(9150, 9151), C.Span(9360, 9360)]
        j = C.judge(cal, judged, 90, start="2000-01-01")
        assert j.family_floor < C.ALPHA or not j.testable.any()
        stated += bool(j.flagged.any())
        raw += bool(np.any(j.p_familywise_raw[j.testable] < C.ALPHA))
        textbook += textbook_flags(cal, judged)
    assert stated / runs <= C.ALPHA + 0.03, stated / runs
    assert raw / runs <= C.ALPHA + 0.03, raw / runs
    assert textbook / runs > 0.25, textbook / runs


@pytest.mark.slow
def test_no_effect_at_the_real_summit_dates_on_a_real_length_calendar():
    """The real setting: 2010 to 2026, the seven events of 2018–2019, the primary window."""
    rng = np.random.default_rng(5)
    origin = pd.Timestamp("2010-01-01")
    days = (pd.Timestamp("2026-08-20") - origin).days + 1
    dates = [
        ("2018-04-27", "2018-04-27"),
        ("2018-05-26", "2018-05-26"),
        ("2018-06-12", "2018-06-12"),
        ("2018-09-18", "2018-09-20"),
        ("2019-02-27", "2019-02-28"),
        ("2019-06-30", "2019-06-30"),
        ("2019-10-05", "2019-10-05"),
    ]
    runs, stated, raw, textbook = 200, 0, 0, 0
    for _ in range(runs):
        cal = cal_of(clustered(days, rng), origin="2010-01-01")
        judged = [C.Span(cal.day(a), cal.day(b)) for a, b in dates]
        j = C.judge(cal, judged, C.PRIMARY_WINDOW)
        stated += bool(j.flagged.any())
        raw += bool(np.any(j.p_familywise_raw[j.testable] < C.ALPHA))
        textbook += textbook_flags(cal, judged)
    assert stated / runs <= C.ALPHA, stated / runs
    assert raw / runs <= C.ALPHA + 0.05, raw / runs
    assert textbook / runs > 0.25, textbook / runs


def test_a_real_effect_is_flagged():
    """A long calendar at a steady rate; around one event, nothing for 90 days before and a campaign after."""
    rng = np.random.default_rng(3)
    launch = (rng.random(20_000) < 0.03).astype(np.int64)
    launch[9910:10000] = 0
    launch[10001:10091] = rng.random(90) < 0.35
    j = C.judge(cal_of(launch), [C.Span(10000, 10000), C.Span(10200, 10200)], 90, start="2000-01-01")
    assert j.flagged.tolist() == [True, False]
    assert j.p_familywise[0] < C.ALPHA and j.p_calibrated[0] >= j.reference.floor
