"""The one reader of the curated CSVs: text cells and the line each record starts on, in plain Python (no pandas),
so the registry and the front page read the tables as validation does without importing pandas."""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.data.files import relative


class DataError(ValueError):
    """Curated data that break the schema; the message lists one problem per line."""


def read(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, every record as text cells, and the file line each record starts on."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if not header:
                raise DataError(f"{relative(path)}: the file is empty")
            rows, lines = [], []
            start = reader.line_num + 1
            for row in reader:
                if len(row) != len(header):
                    raise DataError(f"{relative(path)}:{start}: has {len(row)} cells, the header has {len(header)}")
                rows.append(row)
                lines.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError as e:
        raise DataError(f"{relative(path)}: cannot read the file: not UTF-8 ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise DataError(f"{relative(path)}: cannot read the file: {e.strerror}") from None
    except csv.Error as e:
        raise DataError(f"{relative(path)}: cannot read the file: {e}") from None
    return header, rows, lines


def dicts(path: Path) -> list[dict[str, str]]:
    """Every record as {column: text}."""
    header, rows, _ = read(path)
    return [dict(zip(header, row, strict=True)) for row in rows]
