"""Read a CNS North Korea Missile Test Database release ("Missile Tests" sheet) into normalised rows.

CNS/NTI publish the database as an Excel workbook; analysts also save its sheet as CSV, which arrives in
cp1252 with dates like `9-Apr-84` (or month-only `Sep-84`), 12-hour launch times (`12:40:00 AM`) and
distances like `"1,380 km"`. `read()` turns either into `Launch` records in the curated table's terms
(project class vocabulary, numbers in km, UTC date and time) and raises `CnsError` with a one-line message
naming the file, row, column and value for anything it cannot read. Free-text columns (Additional
Information, Source(s), …) are never read into the records: no upstream description text enters the project.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from analysis.data.textsafety import strip_controls

SHEET = "Missile Tests"
COLUMNS = (
    "F1",
    "Date",
    "Date Entered/Updated",
    "Launch Time (UTC)",
    "Missile Name",
    "Missile Type",
    "Launch Agency/Authority",
    "Facility Name",
    "Facility Location",
    "Other Name",
    "Facility Latitude",
    "Facility Longitude",
    "Landing Location",
    "Apogee",
    "Distance Travelled",
    "Confirmation Status",
    "Test Outcome",
    "Additional Information",
    "Source(s)",
)
# CNS's Missile Type -> the project's class vocabulary. 'Unknown' is classed by distance (see classify()).
TYPES = {t: t for t in ("SRBM", "MRBM", "IRBM", "ICBM", "SLBM", "SLV", "HGV")}
# Limits checked before parsing (a CNS release is ~0.1 MB and ~400 rows): a zip bomb or a runaway file is
# refused in well under a second instead of exhausting memory.
MAX_FILE_BYTES = 32 * 2**20
MAX_UNCOMPRESSED_BYTES = 64 * 2**20
MAX_ROWS = 20_000
# The usual range bands (km): SRBM < 1,000 <= MRBM < 3,000 <= IRBM < 5,500 <= ICBM.
RANGE_BANDS = ((1000, "SRBM"), (3000, "MRBM"), (5500, "IRBM"), (float("inf"), "ICBM"))
NO_VALUE = {"", "unknown", "n/a", "na", "none", "-", "?", "unk", "not applicable"}
OUTCOMES = {"success": "success", "failure": "failure", "fail": "failure", "unknown": "unknown", "": "unknown"}
CONFIRMED = {"confirmed": True, "unconfirmed": False}
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS = {
    **{m[:3]: i for i, m in enumerate(_MONTH_NAMES, 1)},
    **{m: i for i, m in enumerate(_MONTH_NAMES, 1)},
    "sept": 9,
}
# How far down the sheet the header row may be (workbooks sometimes carry a title row or two).
HEADER_SEARCH_ROWS = 10
# How far right the header row is looked for (the sheet has 19 columns; a stray cell may sit at column XFD).
HEADER_SEARCH_COLUMNS = 256


class CnsError(ValueError):
    """An upstream file that cannot be read; the message is one line naming what is wrong and where."""


@dataclass(frozen=True)
class Launch:
    """One upstream row (one missile), in the curated table's terms. None is an unknown value."""

    row: int  # spreadsheet row (header = 1) or CSV line where the record starts; for messages
    date: dt.date  # the date CNS gives (UTC, first of the month when only the month is known)
    precision: str  # day | month
    time_utc: str | None  # HH:MM
    missile_name: str
    missile_type: str | None  # CNS's type mapped onto the vocabulary; None when CNS gives 'Unknown'
    facility: str | None
    latitude: float | None
    longitude: float | None
    apogee_km: float | None
    distance_km: float | None
    outcome: str
    confirmed: bool

    @property
    def missile_class(self) -> str:
        return classify(self.missile_type, self.distance_km)[0]

    @property
    def class_basis(self) -> str:
        return classify(self.missile_type, self.distance_km)[1]


def classify(missile_type: str | None, distance_km: float | None) -> tuple[str, str]:
    """(missile_class, class_basis): CNS's type where it gives one, else the distance band, else unknown."""
    if missile_type:
        return missile_type, "cns"
    if distance_km is not None and distance_km > 0:
        return next(cls for limit, cls in RANGE_BANDS if distance_km < limit), "range"
    return "unknown", "none"


# ---------------------------------------------------------------- reading cells


def _text(value) -> str:
    """A cell as text: what the CSV would hold (dates and times already rendered by _xlsx_rows)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _xlsx_date(value, number_format: str) -> str:
    """An Excel date cell as the text CNS's CSV export holds: month-only formats give 'Sep-84'."""
    fmt = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format or "").lower()
    if "d" not in fmt and "m" in fmt:
        return f"{value:%b}-{value:%y}"
    return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()


def _xlsx_time(value) -> str:
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.timedelta):
        value = (dt.datetime.min + value).time()
    if isinstance(value, (int, float)) and 0 <= value < 1:  # a fraction of a day
        value = (dt.datetime.min + dt.timedelta(days=float(value))).time()
    return value.strftime("%H:%M:%S") if isinstance(value, dt.time) else _text(value)


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` of them; OSError for anything else (a device, FIFO or folder is
    refused before a byte is read, and the open never blocks)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file (a device, FIFO or folder); not read", str(path))
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(0, f"over the limit of {limit / 2**20:g} MiB; not read", str(path))
    return data


def _check_zip(path: Path, data: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            expanded = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, ValueError) as e:
        raise CnsError(f"{path}: not a readable Excel workbook (BadZipFile: {e})") from None
    if expanded > MAX_UNCOMPRESSED_BYTES:
        raise CnsError(
            f"{path}: the workbook expands to {expanded / 2**20:,.0f} MiB, over the limit of "
            f"{MAX_UNCOMPRESSED_BYTES / 2**20:.0f} MiB (a CNS release is well under 1 MiB); not read"
        )


def _too_many_rows(path: Path) -> CnsError:
    return CnsError(f"{path}: more than {MAX_ROWS:,} rows (a CNS release has a few hundred); not read")


def _xlsx_rows(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import openpyxl

    _check_zip(path, data)
    try:  # from bytes, not the path: openpyxl refuses names not ending in .xlsx/.xlsm
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return _sheet_rows(path, wb)
        finally:
            wb.close()
    except CnsError:
        raise
    except Exception as e:  # a zip that is not a workbook, or a corrupt one: openpyxl raises many kinds
        detail = " ".join(str(e).split())[:200]
        raise CnsError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {detail})") from None


def _sheet_rows(path: Path, wb) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read-only and bounded: the header within HEADER_SEARCH_ROWS x HEADER_SEARCH_COLUMNS, then only the header's
    columns of each row (a cell at XFD20005 costs nothing), blank rows skipped, at most MAX_ROWS others."""
    if SHEET not in wb.sheetnames:
        raise CnsError(f"{path}: no sheet {SHEET!r} (sheets: {', '.join(map(repr, wb.sheetnames))})")
    ws = wb[SHEET]
    header, header_row, seen = None, 0, False
    for n, cells in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, max_col=HEADER_SEARCH_COLUMNS), 1):
        texts = [_text(c.value) for c in cells]
        seen = seen or any(texts)
        if "Date" in texts and "Missile Name" in texts:
            header, header_row = texts[: max(i for i, t in enumerate(texts) if t) + 1], n
            break
    if header is None:
        if not seen:
            raise CnsError(f"{path}: sheet {SHEET!r} is empty")
        raise CnsError(
            f"{path}: sheet {SHEET!r} has no header row with the CNS columns (looked at the first {HEADER_SEARCH_ROWS} rows)"
        )
    date_col = header.index("Date")
    time_col = header.index("Launch Time (UTC)") if "Launch Time (UTC)" in header else None
    out = []
    for n, cells in enumerate(ws.iter_rows(min_row=header_row + 1, max_col=len(header)), header_row + 1):
        if all(c.value is None for c in cells):
            continue
        if len(out) >= MAX_ROWS:
            raise _too_many_rows(path)
        texts = []
        for i, c in enumerate(cells):
            v = c.value
            if i == date_col and isinstance(v, (dt.datetime, dt.date)):
                texts.append(_xlsx_date(v, c.number_format))
            elif (
                i == time_col
                and isinstance(v, (dt.time, dt.datetime, dt.timedelta, float, int))
                and not isinstance(v, bool)
            ):
                texts.append(_xlsx_time(v))
            else:
                texts.append(_text(v))
        out.append((n, texts))
    return header, out


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 when the file is UTF-8 (re-saved copies), else cp1252 (what the CNS CSV export is)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as e:
        raise CnsError(
            f"{path}: not a CSV in UTF-8 or cp1252 (byte {data[e.start]:#04x} at offset {e.start})"
        ) from None


def _csv_rows(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if b"\x00" in data[:4096]:
        raise CnsError(f"{path}: not a workbook or a CSV (binary content)")
    reader = csv.reader(io.StringIO(_decode(path, data), newline=""))
    try:
        header = [h.strip() for h in next(reader, [])]
        out, start = [], reader.line_num + 1
        for row in reader:
            if len(out) >= MAX_ROWS:
                raise _too_many_rows(path)
            out.append((start, [c.strip() for c in row]))
            start = reader.line_num + 1
    except csv.Error as e:
        raise CnsError(f"{path}:{reader.line_num}: not a readable CSV: {e}") from None
    if not any(header):
        raise CnsError(f"{path}: the file is empty")
    return header, out


def read_cells(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The sheet's header and its non-blank rows as {column: text}, each with its row number."""
    path = Path(path)
    try:
        data = read_limited(path)
    except OSError as e:
        raise CnsError(f"{path}: cannot read the file: {e.strerror}") from None
    if not data.strip():
        raise CnsError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if data[:4] == b"PK\x03\x04":
        header, rows = _xlsx_rows(path, data)
    elif suffix in (".xlsx", ".xlsm"):
        raise CnsError(f"{path}: not an Excel workbook (.xlsx files are zip archives; this one is not)")
    elif suffix in (".csv", ".txt"):
        header, rows = _csv_rows(path, data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise CnsError(f"{path}: an old-style .xls workbook; save it as .xlsx (or the sheet as .csv) first")
    else:
        raise CnsError(f"{path}: not a workbook: expected an .xlsx workbook or the {SHEET!r} sheet saved as .csv")
    header = [strip_controls(h).strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        extra = [h for h in header if h and h not in COLUMNS]
        hint = f"; unexpected column(s) {', '.join(map(repr, extra))} (renamed?)" if extra else ""
        raise CnsError(f"{path}: missing column(s) {', '.join(map(repr, missing))}{hint}")
    dupes = sorted({h for h in header if h in COLUMNS and header.count(h) > 1})
    if dupes:
        raise CnsError(f"{path}: duplicate column(s) {', '.join(map(repr, dupes))}")
    records = []
    for n, cells in rows:
        if not any(cells):
            continue  # blank line or trailing empty rows
        cells = [strip_controls(c) for c in cells] + [""] * (len(header) - len(cells))
        records.append((n, {h: c for h, c in zip(header, cells) if h}))
    if not records:
        raise CnsError(f"{path}: the file has a header but no rows")
    return header, records


# ---------------------------------------------------------------- parsing values


class _Bad(ValueError):
    """A cell that cannot be parsed; read() adds the file, row and column."""


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:  # CNS's two-digit years start in 1984
        y += 1900 if y >= 84 else 2000
    return y


def _month(text: str) -> int:
    m = MONTHS.get(text.lower())
    if m is None:
        raise _Bad("is not a month")
    return m


def parse_date(text: str) -> tuple[dt.date, str]:
    """(date, precision) from '9-Apr-84', 'Sep-84', '2022-01-05' (also 4-digit years and full month names)."""
    t = text.strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", t):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), "day"
        if m := re.fullmatch(r"(\d{1,2})[- ]([A-Za-z]{3,9})[- ](\d{2}|\d{4})", t):
            return dt.date(_year(m[3]), _month(m[2]), int(m[1])), "day"
        if m := re.fullmatch(r"([A-Za-z]{3,9})[- ](\d{2}|\d{4})", t):
            return dt.date(_year(m[2]), _month(m[1]), 1), "month"
    except (ValueError, _Bad):
        pass
    raise _Bad("is not a date like 9-Apr-84 or Sep-84")


def parse_time(text: str) -> str | None:
    """'12:40:00 AM' -> '00:40'; '22:10' -> '22:10'; empty or Unknown -> None. Seconds are dropped."""
    t = text.strip()
    if t.lower() in NO_VALUE:
        return None
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp])\.?\s*[Mm]?\.?", t) or re.fullmatch(
        r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?()", t
    )
    if not m:
        raise _Bad("is not a time like 9:20:00 PM")
    hour, minute, half = int(m[1]), int(m[2]), m[4].lower()
    if half:
        if not 1 <= hour <= 12:
            raise _Bad("is not a 12-hour time")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise _Bad("is not a time of day")
    return f"{hour:02d}:{minute:02d}"


def parse_km(text: str) -> float | None:
    """'1,380 km' -> 1380.0; 'Unknown', 'N/A', empty -> None; a range ('between 25 and 90 km') -> None."""
    t = text.strip().lower()
    if t in NO_VALUE or t.startswith("unknown"):
        return None
    if re.fullmatch(r"(between\s+)?[\d,.]+\s*(km)?\s*(and|-|–|to)\s*[\d,.]+\s*(km)?", t):
        return None  # a range is not one value; the curated column holds single figures only
    t = re.sub(r"^(~|approx(imately|\.)?|about|around|c\.|ca\.)\s*", "", t)
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(km|kms|kilometers|kilometres|lm)?\.?", t)  # 'lm': a CNS typo
    if not m:
        raise _Bad("is not a distance like '1,380 km'")
    return float(m[1].replace(",", "") + (m[2] or ""))


def parse_degrees(text: str, low: float, high: float) -> float | None:
    t = text.strip()
    if t.lower() in NO_VALUE:
        return None
    try:
        value = float(t)
    except ValueError:
        raise _Bad("is not a number of degrees") from None
    if not low <= value <= high:
        raise _Bad(f"is outside {low:g} to {high:g}")
    return value


def parse_type(text: str) -> str | None:
    t = text.strip()
    if t.lower() in NO_VALUE:
        return None
    if t.upper() in TYPES:
        return TYPES[t.upper()]
    raise _Bad(f"is not a missile type this refresh knows ({', '.join(TYPES)}, Unknown)")


def parse_outcome(text: str) -> str:
    try:
        return OUTCOMES[text.strip().lower()]
    except KeyError:
        raise _Bad("is not Success, Failure or Unknown") from None


def parse_confirmed(text: str) -> bool:
    try:
        return CONFIRMED[text.strip().lower()]
    except KeyError:
        raise _Bad("is not Confirmed or Unconfirmed") from None


def read(path: Path) -> list[Launch]:
    """Every row of the release, in the file's order; CnsError on the first problem."""
    path = Path(path)
    _, records = read_cells(path)
    out = []
    for n, cells in records:
        column = "Date"

        def cell(name: str) -> str:
            nonlocal column
            column = name
            return cells.get(name, "")

        try:
            date, precision = parse_date(cell("Date"))
            time = parse_time(cell("Launch Time (UTC)"))
            name = cell("Missile Name") or "Unknown"
            missile_type = parse_type(cell("Missile Type"))
            facility = cell("Facility Name")
            latitude = parse_degrees(cell("Facility Latitude"), -90, 90)
            longitude = parse_degrees(cell("Facility Longitude"), -180, 180)
            apogee = parse_km(cell("Apogee"))
            distance = parse_km(cell("Distance Travelled"))
            confirmed = parse_confirmed(cell("Confirmation Status"))
            outcome = parse_outcome(cell("Test Outcome"))
        except _Bad as e:
            raise CnsError(f"{path}: row {n}: {column}: {cells.get(column, '')!r} {e}") from None
        out.append(
            Launch(
                row=n,
                date=date,
                precision=precision,
                time_utc=time,
                missile_name=name,
                missile_type=missile_type,
                facility=None if facility.lower() in NO_VALUE else facility,
                latitude=latitude,
                longitude=longitude,
                apogee_km=apogee,
                distance_km=distance,
                outcome=outcome,
                confirmed=confirmed,
            )
        )
    return out
