"""North Korea's economy in the curated outside estimates (`economy.csv`): yearly series and window comparisons.

The figures the economic claim checks (`claims`) and the economy report use. A window is a run of calendar
years, both ends included; a comparison refuses to average over a window with a year missing, and says which.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

LABELS = {
    "gdp_growth": "real GDP growth (%, Bank of Korea)",
    "trade_total": "total trade (USD million, KOTRA)",
    "china_trade_total": "trade with China (USD million, China's customs)",
    "china_exports": "China's exports to the DPRK (USD million)",
    "china_imports": "China's imports from the DPRK (USD million)",
}


def series(economy: pd.DataFrame, measure: str) -> pd.Series:
    """One measure as a float series indexed by year, in year order."""
    if measure not in LABELS:
        raise ValueError(f"unknown economy measure {measure!r}; measures: {', '.join(LABELS)}")
    rows = economy[economy["measure"] == measure]
    return pd.Series(
        rows["value"].astype(float).values, index=rows["year"].astype(int).values, name=measure
    ).sort_index()


def wide(economy: pd.DataFrame) -> pd.DataFrame:
    """Every measure as a column, one row per year (missing figures are NaN)."""
    return pd.DataFrame({m: series(economy, m) for m in LABELS}).rename_axis("year")


def last_year(economy: pd.DataFrame, measure: str | None = None) -> int | None:
    """The latest year with a figure (for one measure, or any)."""
    years = economy["year"] if measure is None else economy.loc[economy["measure"] == measure, "year"]
    return int(years.max()) if len(years) else None


def span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}\u2013{last}"


@dataclass(frozen=True)
class Window:
    """A measure's figures over the years first..last."""

    measure: str
    first: int
    last: int
    values: pd.Series

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def missing(self) -> list[int]:
        return [y for y in self.years if y not in self.values.index]

    @property
    def mean(self) -> float:
        if self.missing:
            raise ValueError(f"{self.measure}: no figure for {', '.join(map(str, self.missing))}")
        return float(self.values.loc[self.years].mean())

    @property
    def label(self) -> str:
        return span(self.first, self.last)


def window(economy: pd.DataFrame, measure: str, first: int, last: int) -> Window:
    s = series(economy, measure)
    return Window(measure, first, last, s[(s.index >= first) & (s.index <= last)])


def change_pct(before: float, after: float) -> float:
    """Percentage change from before to after (before must not be zero)."""
    if before == 0:
        raise ValueError("cannot express a change from zero as a percentage")
    return (after - before) / abs(before) * 100


def output_change(growth: Window) -> float:
    """Cumulative change of real output over the window's years, in percent: compounding each year's growth
    (output at the end of `last` against output at the end of the year before `first`)."""
    if growth.missing:
        raise ValueError(f"{growth.measure}: no figure for {', '.join(map(str, growth.missing))}")
    factor = (1 + growth.values.loc[growth.years] / 100).prod()
    return float((factor - 1) * 100)


def missing_figures(*windows: Window) -> list[str]:
    """'measure year' for every year a window lacks, for a not-testable verdict's reason."""
    return [f"{LABELS[w.measure]} {y}" for w in windows for y in w.missing]


def check_first_year(value: int, economy: pd.DataFrame) -> int:
    """What the parameter spec (analysis.pages.params.Economy) cannot know: first_year is within the table."""
    last = last_year(economy)
    if last is not None and value > last:
        raise ValueError(f"parameter first_year: {value} is after the economy table's last year ({last})")
    return value
