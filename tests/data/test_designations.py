"""One spelling per missile type (the designation rule) and the typed facts validation holds the tables to."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import copy_curated

from analysis.data import load
from analysis.data.designations import designation


@pytest.fixture(scope="module")
def names() -> list[str]:
    """Every missile name the shipped table spells."""
    return list(dict.fromkeys(load.load("missile_tests")["missile_name"]))


def set_cell(path: Path, key: str, column: str, value: str) -> int:
    """Set one cell of the row whose first cell is key; returns that row's file line."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    n = next(i for i, row in enumerate(rows) if row[0] == key)
    rows[n][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return n + 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Hwasong-11D (KN-35)", "Hwasong-11D"),
        ("Hwasong-11D", "Hwasong-11D"),
        ("Hwasong-11A (KN-23)", "Hwasong-11A"),
        ("KN-23", "Hwasong-11A"),
        ("Rail-mobile KN-23", "Hwasong-11A"),
        ("kn-35", "Hwasong-11D"),
        ("Hwasong-17", "Hwasong-17"),
        ("Hwasong-8 MARV", "Hwasong-8 MARV"),
        ("Unknown", ""),
        ("Unidentified SRBM", ""),
        ("Cruise missile", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_designation(name, expected):
    assert designation(name) == expected


def test_shipped_spellings_of_one_type_share_a_designation(names):
    by_type: dict[str, set[str]] = {}
    for name in names:
        by_type.setdefault(designation(name), set()).add(name)
    assert by_type["Hwasong-11D"] == {"Hwasong-11D (KN-35)", "Hwasong-11D"}
    assert {"Hwasong-11A (KN-23)", "Rail-mobile KN-23", "Silo-based KN-23"} <= by_type["Hwasong-11A"]
    assert {"Unknown", "Cruise missile", "Unidentified SRBM"} <= by_type[""]
    # Variants are types of their own: no merging beyond the rule.
    for a, b in [("Hwasong-8", "Hwasong-8 MARV"), ("Scud-B", "Scud-B MaRV"), ("Unha", "Unha-3")]:
        assert designation(a) != designation(b)
    assert not any("(" in d for d in by_type)


def test_shipped_column_follows_the_rule():
    m = load.load("missile_tests")
    assert (m["designation"].fillna("") == m["missile_name"].map(designation)).all()


def test_a_wrong_designation_is_one_line_naming_the_row(tmp_path):
    curated = copy_curated(tmp_path) / "curated"
    line = set_cell(curated / "missile_tests.csv", "M20220416-01", "designation", "Hwasong-11D (KN-35)")
    _, problems = load.check(curated)
    assert len(problems) == 1
    assert problems[0].endswith(
        f"missile_tests.csv:{line}: designation: 'Hwasong-11D (KN-35)' should be 'Hwasong-11D', "
        "the designation of missile_name 'Hwasong-11D (KN-35)'"
    )


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("signed", "yes", "signed: 'yes' is not true or false"),
        ("signed", "", "signed: a value is required"),
        ("document", "", "document: a signed document needs its name"),
    ],
)
def test_signed_and_document_are_checked_per_row(tmp_path, column, value, problem):
    curated = copy_curated(tmp_path) / "curated"
    line = set_cell(curated / "diplomatic_events.csv", "2018-06-12-singapore-summit", column, value)
    _, problems = load.check(curated)
    assert len(problems) == 1 and problems[0].endswith(f"diplomatic_events.csv:{line}: {problem}")


def test_a_document_without_a_signing_is_refused(tmp_path):
    curated = copy_curated(tmp_path) / "curated"
    line = set_cell(curated / "diplomatic_events.csv", "2019-02-27-hanoi-summit", "document", "Hanoi Declaration")
    _, problems = load.check(curated)
    assert len(problems) == 1
    assert problems[0].endswith(f"diplomatic_events.csv:{line}: document: must be empty when signed is false")
