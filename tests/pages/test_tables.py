"""Publication tables: labels, formats chosen by column type, alignment and escaping (the cell formats themselves are
tested with analysis.fmt)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.pages import tables as T


def test_text_cells():
    assert T.text("") == "\u2014" and T.text(None) == "\u2014" and T.text(2016) == "2016"
    assert T.figure("< 7.8%") == "< 7.8%"


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2016, 2017],
            "launch_days": [15, 15],
            "largest_yield_kt_high": [20.0, 250.0],
            "p_value": [0.0075, 0.00001],
            "rate_ratio": [1.23456, math.inf],
            "confirmed": [True, False],
            "date_kst": pd.to_datetime(["2016-01-06", None]),
            "missile_name": ["Hwasong-14 <b>", None],
        }
    ).set_index("year")


def test_show_uses_labels_formats_and_no_index():
    t = T.show(frame(), caption="A caption")
    assert list(t.cells.columns) == [
        "Year",
        "Launch days",
        "Largest yield, high estimate (kt)",
        "p-value",
        "Rate ratio (after \u00f7 before)",
        "Confirmed",
        "Date (KST)",
        "Missile",
    ]
    assert t.cells.iloc[:, 0].tolist() == ["2016", "2017"]  # a year is not a quantity: no separator
    assert t.cells["Largest yield, high estimate (kt)"].tolist() == ["20", "250"]
    assert t.cells["p-value"].tolist() == ["0.007", "< 0.001"]
    assert t.cells["Rate ratio (after \u00f7 before)"].tolist() == ["1.23", "\u221e"]
    assert t.cells["Confirmed"].tolist() == ["yes", "no"] and t.cells["Date (KST)"].tolist()[1] == "\u2014"
    assert set(t.numeric) == {
        "Launch days",
        "Largest yield, high estimate (kt)",
        "p-value",
        "Rate ratio (after \u00f7 before)",
    }
    assert repr(t).splitlines()[0] == "A caption" and "True" not in repr(t) and "NaN" not in repr(t)


def test_html_is_escaped_aligned_scrollable_and_stable():
    html = T.show(frame(), caption="<i>c</i>")._repr_html_()
    assert "Hwasong-14 &lt;b&gt;" in html and "<b>" not in html and "&lt;i&gt;c&lt;/i&gt;" in html
    assert 'class="table-scroll" role="region"' in html and 'tabindex="0"' in html
    assert "td:nth-child(2)" in html and "text-align:right" in html.replace(": ", ":")
    assert 'class="data row' not in html and "col_heading" not in html  # columns are styled by position
    assert "<th" in html and ">2016<" in html and "level0 row0" not in html  # no index column
    assert html == T.show(frame(), caption="<i>c</i>")._repr_html_()  # same ids every run (nbval compares it)


def test_table_names_a_missing_column():
    with pytest.raises(KeyError, match="no column 'nope'"):
        T.table(frame(), {"nope": "Nope"})


def test_nullable_integers_and_labels_for_unknown_names():
    df = pd.DataFrame({"days": pd.array([3, None], dtype="Int64"), "SRBM": [1, 2], "dated by": ["a", "b"]})
    t = T.show(df)
    assert t.cells["Days"].tolist() == ["3", "\u2014"] and "SRBM" in t.cells and "Dated by" in t.cells


def test_numbers_and_dates_stay_on_one_line():
    t = T.show(frame())
    assert "Date (KST)" in t.nowrap and "Launch days" in t.nowrap and "Missile" not in t.nowrap
    html = t._repr_html_().replace(": ", ":")
    assert html.count("white-space:nowrap") == len(t.nowrap)


def test_a_searchable_table_tells_its_script_which_columns_are_numbers_and_dates():
    t = T.show(frame(), caption="Every <launch>", searchable="missiles")
    html = t._repr_html_()
    columns = list(t.cells.columns)
    numeric = ",".join(str(columns.index(c)) for c in t.numeric)
    dates = ",".join(str(columns.index(c)) for c in t.dates)
    assert numeric and dates and f'data-numeric="{numeric}"' in html and f'data-dates="{dates}"' in html
    assert 'type="search"' in html and 'role="status"' in html and f"{len(t.cells)} missiles;" in html
    assert 'aria-label="Every &lt;launch&gt;"' in html and "Hwasong-14 &lt;b&gt;" in html and "<b>" not in html
    assert "textContent" in html and "innerHTML" not in html  # the script reads and moves text, never parses it
    assert "sortable-table" not in T.show(frame())._repr_html_()
