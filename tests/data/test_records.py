"""The one reader of the curated CSVs: cells as text, the line each record starts on, one-line errors."""

from __future__ import annotations

import pytest

from analysis.data import records


def test_cells_stay_text_and_each_record_knows_its_first_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('id,note\nA,"two\nlines"\nB,007\n', encoding="utf-8")
    assert records.read(path) == (["id", "note"], [["A", "two\nlines"], ["B", "007"]], [2, 4])
    assert records.dicts(path) == [{"id": "A", "note": "two\nlines"}, {"id": "B", "note": "007"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"t.csv: the file is empty"),
        (b"id,note\nA\n", r"t.csv:2: has 1 cells, the header has 2"),
        (b"id\n\xff\n", r"t.csv: cannot read the file: not UTF-8 \(invalid start byte at byte 3\)"),
        (b"id\n" + b"x" * 200_000 + b"\n", r"t.csv: cannot read the file: field larger than field limit"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_line(tmp_path, content, message):
    (tmp_path / "t.csv").write_bytes(content)
    with pytest.raises(records.DataError, match=message):
        records.read(tmp_path / "t.csv")


def test_a_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(records.DataError, match="nope.csv: cannot read the file: No such file"):
        records.dicts(tmp_path / "nope.csv")
