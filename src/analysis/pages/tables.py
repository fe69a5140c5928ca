"""Publication tables: human column labels, no index, formatted values, numbers right-aligned.

`table()` formats every cell to text first (with analysis.fmt, the formatter every sentence uses too; its docstring
states the rules), then lets pandas' Styler write the HTML with every label and value escaped. The result shows as
that HTML in JupyterLab and in the pages, inside a box that scrolls on its own on a narrow screen, and as aligned
plain text elsewhere (nbval compares it).
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from pandas.io.formats.style import Styler

from analysis import fmt

# Styler's class attributes on body cells and column headings (escaped values never hold "<td" or "<th").
_CELL_CLASS = re.compile(r'<(td|th) class="(?:data row\d+ col\d+|col_heading level\d+ col\d+)" ?>')
Formatter = Callable[[object], str]


def text(x) -> str:
    return fmt.DASH if fmt.is_unknown(x) or str(x) == "" else str(x)


def figure(x) -> str:
    """A number already written as text ('< 7.8%', '0 → 10'): shown as it is, aligned as a number."""
    return text(x)


NUMERIC = {fmt.number, fmt.integer, fmt.ratio, fmt.pvalue, figure}


def _default_format(series: pd.Series) -> Formatter:
    if pd.api.types.is_bool_dtype(series):
        return fmt.yes_no
    if pd.api.types.is_datetime64_any_dtype(series):
        return fmt.date
    if pd.api.types.is_numeric_dtype(series):
        values = pd.to_numeric(series, errors="coerce").dropna()
        finite = values[values.abs() != math.inf]
        return fmt.integer if (finite == finite.round()).all() else fmt.number
    if len(series.dropna()) and series.dropna().map(lambda v: isinstance(v, bool)).all():
        return fmt.yes_no
    return text


@dataclass(frozen=True)
class Table:
    """A formatted table: `cells` holds the text of every cell, `numeric` the right-aligned columns."""

    cells: pd.DataFrame
    numeric: tuple[str, ...]
    caption: str | None = None
    dates: tuple[str, ...] = ()
    searchable: str | None = None  # a long table, sortable and filterable: what its rows are ("missiles")

    @property
    def nowrap(self) -> tuple[str, ...]:
        """Columns kept on one line (numbers and dates): a narrow screen scrolls the box."""
        return self.numeric + self.dates

    def styler(self) -> Styler:
        key = "|".join([self.caption or "", *self.cells.columns, str(self.cells.shape)])
        uuid = hashlib.sha1(key.encode()).hexdigest()[:8]
        styles = [{"selector": "", "props": "border-collapse:collapse"}]
        for j, col in enumerate(self.cells.columns, start=1):
            styles.append(
                {
                    "selector": f"td:nth-child({j}), th:nth-child({j})",
                    "props": f"text-align:{'right' if col in self.numeric else 'left'}",
                }
            )
            if col in self.nowrap:  # the value, not its label: labels wrap between words
                styles.append({"selector": f"td:nth-child({j})", "props": "white-space:nowrap"})
        s = (
            Styler(self.cells, uuid=uuid, cell_ids=False)
            .hide(axis="index")
            .format(escape="html")
            .format_index(escape="html", axis=1)
            .set_table_styles(styles)
            .set_table_attributes('class="pub-table"')
        )
        if self.caption:
            s = s.set_caption(html.escape(self.caption))
        return s

    def html(self) -> str:
        """Styler's HTML without its per-cell classes (a long table is a third lighter; the styles above select
        columns by position)."""
        return _CELL_CLASS.sub(r"<\1>", self.styler().to_html())

    def _repr_html_(self) -> str:
        if self.searchable:
            from markupsafe import Markup

            from analysis.pages import escape

            columns = list(self.cells.columns)
            return escape.render(
                "sortable_table.html.j2",
                table=Markup(self.html()),  # escaped by Styler
                label=self.caption or "Table",
                noun=self.searchable,
                count=f"{len(self.cells):,}",
                numeric=[columns.index(c) for c in self.numeric],
                dates=[columns.index(c) for c in self.dates],
            )
        label = html.escape(self.caption or "Table", quote=True)
        return f'<div class="table-scroll" role="region" aria-label="{label}" tabindex="0">{self.html()}</div>'

    def __repr__(self) -> str:
        head = f"{self.caption}\n" if self.caption else ""
        return head + (self.cells.to_string(index=False) if len(self.cells) else "(no rows)")

    def _repr_pretty_(self, p, cycle) -> None:
        p.text(repr(self))


def table(
    df: pd.DataFrame,
    labels: dict[str, str],
    formats: dict[str, Formatter] | None = None,
    caption: str | None = None,
    searchable: str | None = None,
) -> Table:
    """The columns named in `labels` (in that order, shown under those labels), each cell formatted by
    `formats[column]` or by a rule chosen from the column's type. The index is not shown: reset it first
    to keep it. `searchable` (what the rows are, plural) makes a long table sortable and filterable."""
    missing = [c for c in labels if c not in df.columns]
    if missing:
        raise KeyError(f"table: no column {missing[0]!r} (columns: {', '.join(map(str, df.columns))})")
    formats = formats or {}
    cells, numeric, dates = {}, [], []
    for col, label in labels.items():
        formatter = formats.get(col) or _default_format(df[col])
        cells[label] = [formatter(v) for v in df[col].tolist()]
        if formatter in NUMERIC:
            numeric.append(label)
        if formatter is fmt.date:
            dates.append(label)
    return Table(pd.DataFrame(cells, dtype=object), tuple(numeric), caption, tuple(dates), searchable)


# Human labels, with units, for the column names the analyses return; any other name is shown as words.
LABELS = {
    "year": "Year",
    "missiles": "Missiles",
    "launch_days": "Launch days",
    "icbm_missiles": "ICBM missiles",
    "nuclear_tests": "Nuclear tests",
    "largest_test_mb": "Largest test (mb)",
    "largest_yield_kt_high": "Largest yield, high estimate (kt)",
    "last_launch": "Last launch before",
    "last_missiles": "Missiles before the pause",
    "next_launch": "First launch after",
    "next_missiles": "Missiles after the pause",
    "days": "Days",
    "next_confirmed": "First confirmed launch after",
    "date_kst": "Date (KST)",
    "missile_name": "Missile",
    "missile_class": "Class",
    "apogee_km": "Apogee (km)",
    "distance_km": "Distance (km)",
    "outcome": "Outcome",
    "confirmed": "Confirmed",
    "apogee_record": "New apogee record",
    "date_utc": "Date (UTC)",
    "mb": "Magnitude (mb)",
    "yield_kt_low": "Yield, low (kt)",
    "yield_kt_high": "Yield, high (kt)",
    "yield_kt_geomean": "Yield, midpoint (kt)",
    "test_date_utc": "Test date (UTC)",
    "test_date_kst": "Test date",
    "first_resolution": "First resolution",
    "trigger_kind": "Test",
    "what": "What was tested",
    "sanction_id": "Security Council action",
    "action": "Outcome of the vote",
    "kind": "Kind",
    "vote_date": "Vote date",
    "table": "Table",
    "rows": "Rows",
    "dated by": "Dated by",
    "first": "First",
    "last": "Last",
    "facility": "Site",
    "rate_ratio": "Rate ratio (after ÷ before)",
    "ci_low": "95% CI, low",
    "ci_high": "95% CI, high",
    "p_value": "p-value",
    "window_days": "Window (days)",
}
FORMATS = {
    "year": text,
    "rate_ratio": fmt.ratio,
    "ci_low": fmt.ratio,
    "ci_high": fmt.ratio,
    "p_value": fmt.pvalue,
    "pvalue": fmt.pvalue,
}


def words(name: str) -> str:
    """A column name as a label: 'launch_days' -> 'Launch days' (names with capitals stay as they are)."""
    name = str(name)
    return name if name != name.lower() else name.replace("_", " ").capitalize()


def show(
    df: pd.DataFrame,
    columns: list[str] | None = None,
    caption: str | None = None,
    labels: dict[str, str] | None = None,
    formats: dict[str, Formatter] | None = None,
    searchable: str | None = None,
) -> Table:
    """`table()` with the labels of LABELS (else the name as words) and the formats of FORMATS; a named index
    becomes the first column."""
    if any(n is not None for n in df.index.names):
        df = df.reset_index()
    labels = labels or {}
    columns = columns or list(df.columns)
    return table(
        df,
        {c: labels.get(c) or LABELS.get(c) or words(c) for c in columns},
        {c: FORMATS[c] for c in columns if c in FORMATS} | (formats or {}),
        caption,
        searchable,
    )
