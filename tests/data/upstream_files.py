"""Upstream files the refresh tests build: CNS releases (xlsx and csv) made from the project's own table by
reversing the mapping, and CSIS exports of invented events in CSIS's column layout; never copied from either."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl

from analysis.data import audit, cns, refresh


def table_rows(curated: Path) -> list[dict[str, str]]:
    with (curated / "missile_tests.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- CNS


def cns_date(iso: str, precision: str = "day") -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d:%b}-{d:%y}" if precision == "month" else f"{d.day}-{d:%b}-{d:%y}"


def cns_time(hhmm: str) -> str:
    if not hhmm:
        return ""
    h, m = map(int, hhmm.split(":"))
    return f"{h % 12 or 12}:{m:02d}:00 {'AM' if h < 12 else 'PM'}"


def cns_km(text: str) -> str:
    return f"{float(text):,g} km" if text else "Unknown"


def upstream(row: dict[str, str], **override) -> dict[str, str]:
    """A table row written the way CNS's sheet writes it."""
    out = {c: "" for c in cns.COLUMNS}
    out.update(
        {
            "Date": cns_date(row["date_utc"], row["date_precision"]),
            "Date Entered/Updated": "1-Nov-26",
            "Launch Time (UTC)": cns_time(row["time_utc"]),
            "Missile Name": row["missile_name"],
            "Missile Type": row["missile_class"] if row["class_basis"] == "cns" else "Unknown",
            "Facility Name": row["facility"] if row["facility"] != "unknown" else "Unknown",
            "Facility Latitude": row["latitude"] or "Unknown",
            "Facility Longitude": row["longitude"] or "Unknown",
            "Landing Location": "Unknown",
            "Apogee": cns_km(row["apogee_km"]),
            "Distance Travelled": cns_km(row["distance_km"]),
            "Confirmation Status": "Confirmed" if row["confirmed"] == "true" else "Unconfirmed",
            "Test Outcome": row["outcome"].capitalize(),
            "Additional Information": "TEST-ONLY free text that must never reach the table.",
            "Source(s)": "https://example.org/test-fixture",
        }
    )
    out.update(override)
    return out


def release(curated: Path) -> list[dict[str, str]]:
    """The current table's CNS rows as a CNS release would give them (what a refresh with no news would read): the
    values the corrections log records as upstream's errors put back in place of the corrected ones."""
    rows = table_rows(curated)
    _, sources = refresh.read_table(curated / "sources.csv")
    log = audit.Audit(rows, audit.read_log(curated.parent / "corrections.csv", {r["source_id"] for r in sources}))
    fields = ("date_utc", *refresh.UPDATABLE)
    return [
        upstream({**r, **{f: v for f in fields if (v := log.logged_value("cns-csv", r, f)) is not None}})
        for r in rows
        if r["origin"] == "cns"
    ]


NEW_LAUNCHES = [  # two invented launches after the table's last date
    {
        "Date": "14-Sep-26",
        "Launch Time (UTC)": "10:40:00 PM",
        "Missile Name": "Hwasong-20",
        "Missile Type": "ICBM",
        "Facility Name": "Pyongyang International Airport",
        "Facility Latitude": "39.200159",
        "Facility Longitude": "125.673256",
        "Apogee": "6,100 km",
        "Distance Travelled": "1,010 km",
        "Confirmation Status": "Confirmed",
        "Test Outcome": "Success",
    },
    {
        "Date": "2-Oct-26",
        "Launch Time (UTC)": "",
        "Missile Name": "Unknown",
        "Missile Type": "Unknown",
        "Facility Name": "Unknown",
        "Facility Latitude": "Unknown",
        "Facility Longitude": "Unknown",
        "Apogee": "50 km",
        "Distance Travelled": "1,380 km",
        "Confirmation Status": "Unconfirmed",
        "Test Outcome": "Unknown",
    },
]


def new_launch(i: int) -> dict[str, str]:
    return {**{c: "" for c in cns.COLUMNS}, **NEW_LAUNCHES[i]}


def write_xlsx(path: Path, rows: list[dict[str, str]], *, sheet: str = cns.SHEET, columns=cns.COLUMNS) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "About"
    ws = wb.create_sheet(sheet)
    ws.append(list(columns))
    for i, r in enumerate(rows, 1):
        ws.append([i if c == "F1" else r.get(c, "") for c in columns])
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[dict[str, str]], *, columns=cns.COLUMNS, encoding: str = "cp1252") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(columns)
        for i, r in enumerate(rows, 1):
            w.writerow([i if c == "F1" else r.get(c, "") for c in columns])
    return path


# ---------------------------------------------------------------- CSIS

HEADER = ("date", "type", "event", "description", "resources", "year", "week_number", "month_year", "weekday")

MISSILE = "Missile Provocation"

NEW_SRBM = (
    "2026-09-15",
    MISSILE,
    "Short-range Ballistic Missile Launch",
    "North Korea fired two short-range ballistic missiles from the Sunan area at around 7:10 a.m., according to "
    "the JCS. The missiles flew about 350 km and reached an altitude of 50 km.",
)

NEW_CRUISE = (
    "2026-09-20",
    MISSILE,
    "Strategic cruise missile",
    "North Korea test-fired several cruise missiles over the West Sea, state media said.",
)

MLRS = (
    "2026-09-25",
    MISSILE,
    "Multiple Launch Rocket System (MLRS) Test",
    "North Korea fired 240 mm rockets from a multiple rocket launcher.",
)

STATEMENT = ("2026-09-28", "Other Provocation", "Statement by the Foreign Ministry", "A statement on talks.")


def export(path: Path, *events: tuple[str, ...], header=HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for e in events:
            try:
                d = dt.date.fromisoformat(e[0])
                extra = (f"https://example.org/{d}", d.year, 1, f"{d:%m-%Y}", f"{d:%A}")
            except ValueError:  # the malformed-date cases
                extra = ("",) * 5
            w.writerow([*e, *extra][: len(header)])
    return path
