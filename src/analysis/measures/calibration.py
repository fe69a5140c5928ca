"""Before/after launch comparisons calibrated against the calendar (numbers only; the words are in analysis.pages.summit_words).

Launch days cluster: North Korea tests in campaigns and pauses for months, so a textbook test that treats days as
independent at one constant rate finds "unusual" splits at a third of ordinary dates. Here the reference is the
series itself:

- the statistic of a comparison is how lopsided its split of launch days is (the exact two-sided binomial p for
  equal windows, used only as a score);
- its calibrated p is the share of reference dates (every day of a reference period whose windows hold none of the
  events judged) with a split at least as lopsided: (1 + matches) / (1 + reference dates);
- the family of events is judged together by shifting all of them by one common offset (Westfall–Young min-p over
  offsets that keep the shifted windows clear of the real events);
- neighbouring dates share most of their window days, so a calendar of D reference days holds only about
  D / (2 × window) independent comparisons, and no p-value is stated finer than 1 / (1 + that number);
- a quasi-Poisson score test, its dispersion estimated from the same reference dates, is the model-based
  cross-check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

WINDOWS = (90, 180, 365, 730)  # the window lengths shown; only the primary one is judged
# Pre-registered: 90 days holds about two or three launch days a side (little power); 365 and 730 straddle the
# 2017 campaign, the 2018 moratorium and the 2022 surge, and leave too few independent reference windows.
PRIMARY_WINDOW = 180
REFERENCE_START = "2012-01-01"  # Kim Jong Un's first full year: one leader, one testing programme
ALPHA = 0.05


@dataclass(frozen=True)
class Calendar:
    """Launch days as a 0/1 series, one entry per day from `origin` to `end` (both included)."""

    origin: pd.Timestamp
    end: pd.Timestamp
    launch: np.ndarray

    @property
    def cumulative(self) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(self.launch)])

    def day(self, when) -> int:
        return (pd.Timestamp(when) - self.origin).days

    def date(self, day: int) -> pd.Timestamp:
        return self.origin + pd.Timedelta(days=int(day))

    def counts(self, first: np.ndarray, last: np.ndarray, window_days: int) -> tuple[np.ndarray, np.ndarray]:
        """Launch days in the `window_days` days before day `first` and after day `last` (arrays of day numbers;
        the days from first to last belong to neither window)."""
        c = self.cumulative
        first, last = np.asarray(first), np.asarray(last)
        return c[first] - c[first - window_days], c[last + 1 + window_days] - c[last + 1]


def calendar(launch_dates: pd.Series, end=None) -> Calendar:
    """The calendar of the given launch dates (KST), from the first to `end` (default: the last launch)."""
    dates = pd.to_datetime(pd.Series(launch_dates)).dt.normalize().drop_duplicates()
    if dates.empty:
        raise ValueError("launch_dates: no launches to build a calendar from")
    origin = dates.min()
    end = dates.max() if end is None else pd.Timestamp(end)
    launch = np.zeros((end - origin).days + 1, dtype=np.int64)
    days = (dates[dates <= end] - origin).dt.days.to_numpy()
    launch[days] = 1
    return Calendar(origin, end, launch)


def lopsidedness(before, after) -> np.ndarray:
    """The exact two-sided binomial p of `after` out of before + after at one half (equal windows): small when the
    split is lopsided, 1 when there is nothing to split. Vectorised; a score here, not a p-value to report."""
    from scipy import stats  # here, not at import: it costs every report kernel half a second

    before, after = np.asarray(before), np.asarray(after)
    n = before + after
    tail = stats.binom.cdf(np.minimum(before, after), n, 0.5)
    return np.where(n == 0, 1.0, np.minimum(1.0, 2 * tail))


def signed_score(before, after) -> np.ndarray:
    """−log10 of the lopsidedness, signed: positive when more launch days came after (the calibration picture)."""
    before, after = np.asarray(before), np.asarray(after)
    return np.sign(after - before) * -np.log10(lopsidedness(before, after))


@dataclass(frozen=True)
class Span:
    """An event's first and last day, as day numbers of a calendar."""

    first: int
    last: int


def spans(cal: Calendar, events: pd.DataFrame) -> list[Span]:
    """The calendar days of each event row (start_date to end_date)."""
    return [Span(cal.day(s), cal.day(e)) for s, e in zip(events["start_date"], events["end_date"])]


def _hits(first: np.ndarray, last: np.ndarray, window_days: int, events: list[Span]) -> np.ndarray:
    """For comparisons spanning days first..last (arrays), whether either window or the span touches any event."""
    hit = np.zeros(len(first), dtype=bool)
    for e in events:
        hit |= (first - window_days <= e.last) & (last + window_days >= e.first)
    return hit


@dataclass(frozen=True)
class Reference:
    """The reference dates of one window length: where the calendar is compared with itself."""

    window_days: int
    days: np.ndarray  # day numbers of the reference dates
    before: np.ndarray
    after: np.ndarray
    scores: np.ndarray  # lopsidedness at each reference date, sorted

    @property
    def size(self) -> int:
        return len(self.days)

    @property
    def effective(self) -> float:
        """About how many independent comparisons the reference dates hold: days ÷ (2 × window)."""
        return self.size / (2 * self.window_days)

    @property
    def floor(self) -> float:
        """The finest calibrated p the reference supports: 1 / (1 + independent comparisons)."""
        return 1 / (1 + self.effective)

    @property
    def dispersion(self) -> float:
        """How much more the after-minus-before difference varies than independent days would make it:
        sum((after - before)²) / sum(after + before) over the reference dates (1 for a Poisson series)."""
        total = (self.after + self.before).sum()
        return float(((self.after - self.before) ** 2).sum() / total) if total else 1.0

    def matches(self, score) -> np.ndarray:
        """Reference dates with a split at least as lopsided as `score`."""
        return np.searchsorted(self.scores, np.asarray(score), side="right")

    def p(self, score) -> np.ndarray:
        """Calibrated p (raw): (1 + matches) / (1 + reference dates)."""
        return (1 + self.matches(score)) / (1 + self.size)


def reference_period(cal: Calendar, window_days: int, start=REFERENCE_START) -> tuple[int, int]:
    """The first and last day a reference date may fall on: from `start` to the end of the data minus the window
    (the before-window of an early date may reach back before `start`)."""
    first = max(cal.day(start), window_days)
    last = len(cal.launch) - 1 - window_days
    if last - first < 2 * window_days:
        raise ValueError(
            f"reference_start: {pd.Timestamp(start).date()} leaves no room for {window_days}-day windows before the "
            f"data end on {cal.end.date()}"
        )
    return first, last


def reference(cal: Calendar, window_days: int, judged: list[Span], start=REFERENCE_START) -> Reference:
    """Every date of the reference period whose windows hold none of the `judged` events."""
    first, last = reference_period(cal, window_days, start)
    days = np.arange(first, last + 1)
    days = days[~_hits(days, days, window_days, judged)]
    before, after = cal.counts(days, days, window_days)
    return Reference(window_days, days, before, after, np.sort(lopsidedness(before, after)))


def quasi_poisson_p(before, after, ref: Reference) -> np.ndarray:
    """Model-based cross-check: the score test of equal rates, (after − before)² / (after + before), divided by the
    reference dispersion and read on F(1, independent comparisons − 1). NaN where there is nothing to compare."""
    from scipy import stats

    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    n = before + after
    with np.errstate(invalid="ignore", divide="ignore"):
        x2 = (after - before) ** 2 / (n * ref.dispersion)
    dof = max(1, int(ref.effective) - 1)
    return np.where(n == 0, np.nan, stats.f.sf(x2, 1, dof))


def offsets(
    cal: Calendar, window_days: int, clear_of: list[Span], start=REFERENCE_START, moved: list[Span] | None = None
) -> np.ndarray:
    """Common shifts (days) that move every event of `moved` (default: all of `clear_of`) to a reference-period
    date with its windows clear of every event of `clear_of`: the placements the family-wise test compares the
    real one with."""
    moved = clear_of if moved is None else moved
    if not moved:
        return np.array([], dtype=np.int64)
    first, last = reference_period(cal, window_days, start)
    s = np.arange(first - min(e.first for e in moved), last - max(e.last for e in moved) + 1)
    ok = np.ones(len(s), dtype=bool)
    for e in moved:
        ok &= ~_hits(e.first + s, e.last + s, window_days, clear_of)
    return s[ok]


def family_span(judged: list[Span]) -> int:
    return max(e.last for e in judged) - min(e.first for e in judged)


def effective_families(n_offsets: int, window_days: int, judged: list[Span]) -> float:
    """About how many independent placements of the whole family the offsets hold."""
    return n_offsets / (2 * window_days + family_span(judged) + 1)


def familywise(p_real: np.ndarray, p_shifted: np.ndarray) -> np.ndarray:
    """Westfall–Young min-p: for each event, (1 + offsets whose smallest p across the family is at most the event's
    p) / (1 + offsets). `p_shifted` has one row per offset, one column per event of the family."""
    if p_shifted.size == 0:
        return np.ones(len(p_real))
    smallest = np.sort(p_shifted.min(axis=1))
    return (1 + np.searchsorted(smallest, p_real, side="right")) / (1 + len(smallest))


@dataclass(frozen=True)
class Judged:
    """One window length's results for the events judged, in their order (arrays)."""

    window_days: int
    before: np.ndarray
    after: np.ndarray
    complete: np.ndarray  # both windows inside the data
    testable: np.ndarray
    score: np.ndarray  # lopsidedness
    matches: np.ndarray  # reference dates as lopsided
    p_raw: np.ndarray  # calibrated p before the floor
    p_familywise_raw: np.ndarray
    p_model: np.ndarray
    reference: Reference
    n_offsets: int
    families: float  # independent placements of the family

    @property
    def p_calibrated(self) -> np.ndarray:
        """Stated: never finer than the reference supports."""
        return np.maximum(self.p_raw, self.reference.floor)

    @property
    def family_floor(self) -> float:
        return 1 / (1 + self.families)

    @property
    def p_familywise(self) -> np.ndarray:
        return np.where(self.testable, np.maximum(self.p_familywise_raw, self.family_floor), np.nan)

    @property
    def flagged(self) -> np.ndarray:
        """A change the calendar supports with the family judged together, at the stated precision."""
        return self.testable & (self.p_familywise < ALPHA)


def judge(cal: Calendar, judged: list[Span], window_days: int, start=REFERENCE_START, avoid: list[Span] = ()) -> Judged:
    """Calibrated and family-wise results for the events `judged` at one window length. An event with no launch
    day on either side, or whose windows run past the data, is not testable and leaves the family. Reference dates
    and offsets also keep clear of the `avoid` events."""
    first = np.array([e.first for e in judged])
    last = np.array([e.last for e in judged])
    clear_of = list(judged) + list(avoid)
    ref = reference(cal, window_days, clear_of, start)
    complete = (first - window_days >= 0) & (last + window_days < len(cal.launch))
    before, after = cal.counts(
        np.where(complete, first, window_days), np.where(complete, last, window_days), window_days
    )
    before, after = np.where(complete, before, 0), np.where(complete, after, 0)
    testable = complete & ((before + after) > 0)
    score = lopsidedness(before, after)
    p_raw = ref.p(score)
    p_familywise_raw, families = np.full(len(judged), np.nan), 0.0
    shifts = offsets(cal, window_days, clear_of, start, moved=[e for e, t in zip(judged, testable) if t])
    if testable.any():
        b, a = cal.counts(
            first[testable][None, :] + shifts[:, None], last[testable][None, :] + shifts[:, None], window_days
        )
        p_familywise_raw[testable] = familywise(p_raw[testable], ref.p(lopsidedness(b, a)))
        families = effective_families(len(shifts), window_days, [e for e, t in zip(judged, testable) if t])
    return Judged(
        window_days,
        before,
        after,
        complete,
        testable,
        score,
        ref.matches(score),
        p_raw,
        p_familywise_raw,
        quasi_poisson_p(before, after, ref),
        ref,
        len(shifts),
        families,
    )


def placebo(
    cal: Calendar, judged: list[Span], window_days: int, start=REFERENCE_START, every: int = 30
) -> tuple[float, float, int]:
    """The procedure run with the family moved to other dates (every `every`-th valid common offset), where nothing
    happened: the share of placements where it flags any event before the precision floor, the share where it
    flags any as stated (floor included), and the placements tried. Both shares are false-positive rates."""
    raw = stated = tried = 0
    for s in offsets(cal, window_days, judged, start)[::every]:
        result = judge(cal, [Span(e.first + s, e.last + s) for e in judged], window_days, start, avoid=judged)
        if result.n_offsets:
            tried += 1
            raw += bool(np.any(result.p_familywise_raw[result.testable] < ALPHA))
            stated += bool(result.flagged.any())
    if not tried:
        return float("nan"), float("nan"), 0
    return raw / tried, stated / tried, tried


def textbook_placebo(
    cal: Calendar, judged: list[Span], start=REFERENCE_START, windows=WINDOWS, every: int = 30
) -> float:
    """The same for the textbook procedure (an exact Poisson test per event and window length, Holm across them
    all), at the placements where every window length fits."""
    first = np.array([e.first for e in judged])
    last = np.array([e.last for e in judged])
    shifts = offsets(cal, max(windows), judged, start)[::every]
    if not len(shifts):
        return float("nan")
    p = np.stack(
        [
            lopsidedness(*cal.counts(first[None, :] + shifts[:, None], last[None, :] + shifts[:, None], w))
            for w in windows
        ],
        axis=1,
    ).reshape(len(shifts), -1)
    # Holm flags something exactly when the smallest p times the number of tests is below ALPHA.
    return float(np.mean(p.shape[1] * p.min(axis=1) < ALPHA))
