"""Reading a CNS release (xlsx or cp1252 CSV): Excel-typed cells, CNS's ways of writing times, distances and dates,
and the class a launch gets from its type or range."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from upstream_files import new_launch

from analysis.data import cns


def test_xlsx_with_excel_date_and_time_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = cns.SHEET
    ws.append(["North Korea Missile Test Database"])  # a title row above the header
    ws.append(list(cns.COLUMNS))
    values = {
        **new_launch(0),
        "Date": dt.datetime(2026, 9, 14),
        "Launch Time (UTC)": dt.time(22, 40),
        "Facility Latitude": 39.200159,
        "Facility Longitude": 125.673256,
    }
    ws.append([values.get(c, "") for c in cns.COLUMNS])
    ws.cell(3, 2).number_format = "d-mmm-yy"
    ws.append([{**values, "Date": dt.datetime(1984, 9, 1)}.get(c, "") for c in cns.COLUMNS])
    ws.cell(4, 2).number_format = "mmm-yy"
    wb.save(tmp_path / "typed.xlsx")
    a, b = cns.read(tmp_path / "typed.xlsx")
    assert (a.row, a.date, a.precision, a.time_utc, a.latitude) == (3, dt.date(2026, 9, 14), "day", "22:40", 39.200159)
    assert (b.date, b.precision) == (dt.date(1984, 9, 1), "month")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12:40:00 AM", "00:40"),
        ("12:29:00 PM", "12:29"),
        ("9:20:00 AM", "09:20"),
        ("11:51:00 PM", "23:51"),
        ("10:36:20 PM", "22:36"),
        ("22:10", "22:10"),
        ("", None),
        ("Unknown", None),
    ],
)
def test_parse_time(text, expected):
    assert cns.parse_time(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,380 km", 1380.0),
        ("2111.5 km", 2111.5),
        ("200 km", 200.0),
        ("330 lm", 330.0),
        ("Unknown", None),
        ("N/A", None),
        ("", None),
        ("between 25 and 90 km", None),
        ("6100", 6100.0),
    ],
)
def test_parse_km(text, expected):
    assert cns.parse_km(text) == expected


def test_parse_date_and_classes():
    assert cns.parse_date("9-Apr-84") == (dt.date(1984, 4, 9), "day")
    assert cns.parse_date("Sep-84") == (dt.date(1984, 9, 1), "month")
    assert cns.parse_date("5-Jan-22") == (dt.date(2022, 1, 5), "day")
    assert cns.parse_date("2022-01-05") == (dt.date(2022, 1, 5), "day")
    assert cns.classify(None, 999) == ("SRBM", "range")
    assert cns.classify(None, 1000) == ("MRBM", "range")
    assert cns.classify(None, 5499) == ("IRBM", "range")
    assert cns.classify(None, 5500) == ("ICBM", "range")
    assert cns.classify(None, None) == ("unknown", "none")
    assert cns.classify("SLV", 300) == ("SLV", "cns")
