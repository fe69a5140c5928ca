"""`analysis audit`: cross-check every missile row against each reference release, field by field.

References: a CNS release (the workbook or its "Missile Tests" sheet as CSV, read by `analysis.data.cns`; or the
visualisation copy `test.en.json` with `missile.en.json` and `facility.en.json` beside it) and the CSIS Beyond
Parallel provocations export (one row per event, Korean dates).

CNS records are matched to the `origin = cns` rows by date and order within the date. A row's date as a
reference gives it is its `date_utc`, or the reference value of a logged `date_utc` correction, so a logged
date change still matches; an unlogged one is matched a day either side and reported. CSIS events are matched
to launch days by `date_kst` (or the logged CSIS date) the same way.

Each disagreement (field, this table's value, the reference's value) is *explained* by an entry of the
corrections log (`data/corrections.csv`: reference, rows, field, reference_value, reason, source_ids) or by the
row's `note` when the note states the reference's value; otherwise it is UNEXPLAINED. A reference launch with
no row is a disagreement on the field `launch` (the log explains exclusions, e.g. artillery in the CSIS record).
The exit code is 1 when anything is unexplained.

Announced figures: the CSIS descriptions and CNS's "Additional Information" quote the ROK JCS and Japan MoD
(and KCNA). Small regular expressions take from them the launch times (KST), the number of missiles, the
distance flown, the apogee and the launch area, and these are compared with the table's rows of that launch
day (`announced_*` fields): a quoted time no row has (or a day with no time at all), a count that is not the
day's number of rows, a distance or apogee no row has (`announced_swap` when the row has the two the other way
round), and a row whose facility is not in the quoted launch area.
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import io
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from analysis import settings
from analysis.data import cns
from analysis.data.files import relative
from analysis.data.refresh import UPDATABLE, fmt, read_table, same, upstream_values
from analysis.data.textsafety import has_controls, one_line, strip_controls

CORRECTIONS = settings.DATA_DIR / "corrections.csv"
# Where the reference copies sit beside the project (as in CI); used when no reference is named.
REFERENCE_DIR = settings.ROOT.parent / "shared" / "reference"
DEFAULT_CNS = ("north_korea_missile_test_database.csv", "test.en.json")
DEFAULT_CSIS = ("north_korea_provocations_1958_present.csv",)
LOG_COLUMNS = ("reference", "rows", "field", "reference_value", "reason", "source_ids")
# Reference kinds a log entry may name; "cns" covers both CNS copies.
REFERENCES = {"cns-csv": "CNS spreadsheet", "cns-json": "CNS visualisation copy", "csis": "CSIS record"}
CNS_FIELDS = ("date_utc", *UPDATABLE)  # what a CNS release says of a launch: its date and what refresh updates
# Fields a log entry may name besides the compared ones: a reference launch with no row, a row with no reference
# record, and the CSIS (Korean) date.
LOG_FIELDS = set(CNS_FIELDS) | {"launch", "row", "date_kst"}
# Figures the references quote from the announcements (JCS, Japan MoD, KCNA), checked against the launch day's rows.
ANNOUNCED_FIELDS = (
    "announced_time",
    "announced_count",
    "announced_distance",
    "announced_apogee",
    "announced_swap",
    "announced_area",
)
LOG_FIELDS |= set(ANNOUNCED_FIELDS)
CSIS_TYPE = "Missile Provocation"
COORDINATE_TOLERANCE = 1e-4  # degrees: the copies round coordinates differently


class AuditError(ValueError):
    """A reference or the corrections log cannot be read; one line naming the file and row."""


@dataclass(frozen=True)
class Record:
    """One missile (CNS) or one event (CSIS) of a reference, in the table's terms ('' = no value)."""

    where: str  # file:line or file:record, for messages
    date: dt.date  # the date the reference gives (CNS: UTC or, for some rows, local; CSIS: local)
    values: dict[str, str]


@dataclass(frozen=True)
class Entry:
    reference: str
    rows: str
    field: str
    reference_value: str
    reason: str

    def covers(self, reference: str, keys: tuple[str, ...], field: str, value: str) -> bool:
        return (
            self.reference in (reference, reference.split("-")[0])
            and self.field == field
            and self.reference_value in ("*", value)
            and any(fnmatch.fnmatchcase(k, self.rows) for k in keys)
        )


@dataclass(frozen=True)
class Finding:
    reference: str
    subject: str  # missile_id, or the reference date of a launch with no row
    field: str
    ours: str
    theirs: str
    explained_by: str  # '' when unexplained

    def line(self) -> str:
        disposition = self.explained_by or "UNEXPLAINED"
        return (
            f"{self.reference}: {self.subject}: {self.field}: ours {self.ours or '(empty)'!s}, "
            f"reference {self.theirs or '(empty)'!s}: {disposition}"
        )


# ---------------------------------------------------------------- reading


def _text(path: Path, encoding: str, what: str) -> str:
    """An outside file's text: a regular file within cns.MAX_FILE_BYTES (see cns.read_limited)."""
    try:
        return cns.read_limited(Path(path)).decode(encoding)
    except OSError as e:
        raise AuditError(f"{relative(path)}: cannot read {what}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise AuditError(f"{relative(path)}: cannot read {what}: {e}") from None


def read_log(path: Path, source_ids: set[str]) -> list[Entry]:
    """The corrections log; a row with control characters or the wrong number of fields is refused (file:line)."""
    text = _text(path, "utf-8", "the corrections log")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows = [(reader.line_num, r) for r in reader]
        header = reader.fieldnames or []
    except csv.Error as e:
        raise AuditError(f"{relative(path)}: cannot read the corrections log: {e}") from None
    missing = [c for c in LOG_COLUMNS if c not in header]
    if missing:
        raise AuditError(f"{relative(path)}: missing column(s) {', '.join(missing)}")
    out = []
    for line, r in rows:
        where = f"{relative(path)}:{line}"
        if None in r or None in r.values():
            raise AuditError(f"{where}: the row's number of fields differs from the header's")
        if any(has_controls(v) for v in r.values()):
            raise AuditError(f"{where}: control characters (terminal escapes) in the row; remove them")
        if r["reference"] not in (*REFERENCES, "cns"):
            raise AuditError(f"{where}: reference: {r['reference']!r} is not one of cns, {', '.join(REFERENCES)}")
        if r["field"] not in LOG_FIELDS:
            raise AuditError(f"{where}: field: {r['field']!r} is not a field the audit compares")
        if not r["rows"] or not r["reason"]:
            raise AuditError(f"{where}: rows and reason are required")
        unknown = [s for s in r["source_ids"].split(";") if s not in source_ids]
        if unknown:
            raise AuditError(f"{where}: source_ids: {unknown[0]!r} is not a source_id in sources.csv")
        out.append(Entry(r["reference"], r["rows"], r["field"], r["reference_value"], r["reason"]))
    return out


def read_cns_table(path: Path) -> list[Record]:
    """A CNS workbook or sheet saved as CSV."""
    out = []
    _, cells = cns.read_cells(path)
    info = {n: c.get("Additional Information", "") for n, c in cells}
    for launch in cns.read(path):
        values = upstream_values(launch)
        values["text"] = info.get(launch.row, "")
        values["date_utc"] = launch.date.isoformat()
        values["outcome"] = launch.outcome
        out.append(Record(f"{relative(path)}:{launch.row}", launch.date, values))
    return out


def _clean(value):
    """Parsed JSON with control characters stripped from every string."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {strip_controls(k): _clean(v) for k, v in value.items()}
    return value


def _json(path: Path):
    """A JSON object (the visualisation copy's files are objects)."""
    try:
        value = json.loads(_text(path, "utf-8", "the JSON"))
    except ValueError as e:
        raise AuditError(f"{relative(path)}: cannot read the JSON: {e}") from None
    if not isinstance(value, dict):
        raise AuditError(f"{relative(path)}: not a JSON object but a {type(value).__name__}")
    return _clean(value)


def _object(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise AuditError(f"{where}: expected an object, found {json.dumps(value)[:60]}")
    return value


def read_cns_json(path: Path) -> list[Record]:
    """The visualisation copy: test.en.json, with missile.en.json and facility.en.json in the same folder."""
    path = Path(path)
    tests = _json(path)
    missiles = _json(path.with_name("missile.en.json"))
    facilities = _object(
        _json(path.with_name("facility.en.json")).get("facilities", {}), f"{relative(path)}: facilities"
    )
    try:
        records = [r for tb in tests["timeBins"] for r in tb["data"]]
    except (KeyError, TypeError):
        raise AuditError(f"{relative(path)}: not a visualisation copy (no timeBins[].data[])") from None
    out = []
    for n, r in enumerate(records, 1):
        where = f"{relative(path)}:record {n}"
        r = _object(r, where)
        try:
            date_text = str(r["date"])
            date = dt.date.fromisoformat(date_text if len(date_text) == 10 else f"{date_text}-01")
            time = str(r.get("time", "unknown")).replace("(UTC)", "").strip()
            missile = _object(missiles[r["missile"]], f"{where}: missile {r['missile']!r}")
            facility = _object(facilities[r["facility"]], f"{where}: facility {r['facility']!r}")
            values = {
                "date_utc": date.isoformat(),
                "time_utc": fmt(cns.parse_time(time)),
                "missile_name": "" if missile["name"].lower() in cns.NO_VALUE else missile["name"],
                "missile_class": "" if missile["type"].lower() in cns.NO_VALUE else missile["type"],
                "facility": "" if r["facility"] == "unknown" else facility["name"],
                "latitude": "" if r["facility"] == "unknown" else fmt(float(facility["lat"])),
                "longitude": "" if r["facility"] == "unknown" else fmt(float(facility["lon"])),
                "apogee_km": fmt(cns.parse_km(str(r.get("apogee", "")))),
                "distance_km": fmt(cns.parse_km(str(r.get("distance", "")))),
                "outcome": cns.parse_outcome(str(r.get("outcome", ""))),
                "text": str(r.get("description", "")),
            }
        except KeyError as e:
            raise AuditError(f"{where}: {e.args[0]!r} is missing or not in missile.en.json/facility.en.json") from None
        except (ValueError, TypeError, AttributeError) as e:  # cns._Bad is a ValueError; a null where text belongs
            raise AuditError(f"{where}: {r.get('date')!r}: {e}") from None
        out.append(Record(where, date, values))
    return out


def read_csis(path: Path) -> list[Record]:
    """Missile events of the CSIS provocations export (other provocations are not launches)."""
    out = []
    reader = csv.DictReader(io.StringIO(_text(path, "utf-8-sig", "the CSIS export"), newline=""))
    try:
        if not {"date", "type"} <= set(reader.fieldnames or []):
            raise AuditError(f"{relative(path)}: not the CSIS export (needs columns date and type)")
        for r in reader:
            where = f"{relative(path)}:{reader.line_num}"
            if None in r or None in r.values():
                raise AuditError(f"{where}: the row's number of fields differs from the header's")
            if r["type"] != CSIS_TYPE:
                continue
            try:
                date = dt.date.fromisoformat(r["date"])
            except ValueError:
                raise AuditError(f"{where}: date: {r['date']!r} is not a date") from None
            out.append(Record(where, date, {"text": strip_controls(r.get("description") or "")}))
    except csv.Error as e:
        raise AuditError(f"{relative(path)}: cannot read the CSIS export: {e}") from None
    return out


# ---------------------------------------------------------------- announced figures

NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
}
# A clock time: 6:36, 6 a.m., 8:00am, 11:55 p.m.; a time zone after it (UTC, KST, ET …) is kept.
_TIME = re.compile(
    r"(?<![\d:.,])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?!\d|,\d)"
    r"(?:\s*(?P<mer>[ap])\.?\s?m\b\.?)?"
    r"(?P<tz>\s*\(?(?:UTC|KST|local time|ET|EST|EDT|GMT|PT|PST|PDT)\b)?",
    re.I,
)
_TIME_JOIN = re.compile(r"\s*(?:and|to|-|–|,)\s*$")  # "between 6:10 and 6:20 AM": the first takes the second's a.m.
_LAUNCH_WORDS = re.compile(r"launch|fire|detect|test|start|between|from", re.I)
_NOT_LAUNCH = re.compile(r"impact|land|fell|splash|struck|hit\b|before|after|summit|meeting|said|order", re.I)
_NUMBER = r"(?P<n>\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
_COUNT_WORDS = (
    r"(?P<words>(?:(?!and\b|or\b|of\b|km\b|miles\b|from\b|at\b|with\b|to\b|days?\b|times\b)"
    r"[A-Za-z\"“”'’][\w\"“”'’-]*\s+){0,5}?)(?P<noun>missiles?|SRBMs|MRBMs|IRBMs|ICBMs|SLBMs)\b"
)
# "fired two short-range ballistic missiles", "a total of 7 missiles"; or "Two missiles were fired".
_COUNT = re.compile(
    r"\b(?:fired|fires|launched|launches|launching|test-fired|test fired|tested|firing|conducted|total of)\s+"
    r"(?:(?:an estimated|around|about|approximately|some|at least|up to)\s+)?" + _NUMBER + r"\s+" + _COUNT_WORDS,
    re.I,
)
_COUNT_PASSIVE = re.compile(
    r"(?<![\w-])" + _NUMBER + r"\s+" + _COUNT_WORDS + r"\s+(?:were|was)\s+(?:fired|launched|detected)", re.I
)
_KM = re.compile(
    r"(?<![\d,.])(?P<n>\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?\s*-?(?P<u>km|kilometers?|kilometres?|miles)\b", re.I
)
_APOGEE_WORDS = re.compile(r"altitude|apogee|height", re.I)
_DISTANCE_WORDS = re.compile(r"\bflew|\bfly|flying|flight|travel|distance|downrange|range of|covering", re.I)
KM_PER_MILE = 1.609344
# Launch areas the announcements name, and the table's facilities in each (lower-case names, '-' or ' ' alike).
# "Pyongyang" is the JCS's wide "Pyongyang area" (Sunan, Samsok, Chunghwa …); a province stands for its sites.
AREAS: dict[str, tuple[str, ...]] = {
    "tongchang-ri": ("Sohae Satellite Launching Station",),
    "dongchang-ri": ("Sohae Satellite Launching Station",),
    "tongchang": ("Sohae Satellite Launching Station",),
    "cholsan": ("Sohae Satellite Launching Station",),
    "sohae": ("Sohae Satellite Launching Station",),
    "musudan-ri": ("Tonghae Satellite Launching Ground",),
    "tonghae": ("Tonghae Satellite Launching Ground",),
    "hwadae": ("Tonghae Satellite Launching Ground",),
    "gitdaeryeong": ("Kittaeryong Missile Base",),
    "kittaeryong": ("Kittaeryong Missile Base",),
    "anbyon": ("Kittaeryong Missile Base",),
    "sunan": ("Pyongyang International Airport", "Sunan", "Wast Sunan"),
    "pyongyang": (
        "Pyongyang International Airport",
        "Sunan",
        "Wast Sunan",
        "Pyongyang area",
        "Samsok",
        "Samsok missle test site",
        "Samsok missle test site #2",
        "Samsok missle test site #3",
        "Ryokpo",
        "East Pyongyang",
        "Lake Taesong",
        "Lake Yonpung",
        "Chunghwa",
    ),
    "samsok": ("Samsok", "Samsok missle test site", "Samsok missle test site #2", "Samsok missle test site #3"),
    "wonsan": (
        "Wonsan Kalma International Airport",
        "Hodo Peninsula",
        "South Wonsan",
        "Wonsan area",
        "Sangum-ri",
        "Yonghung Bay",
        "Munchon",
    ),
    "hodo": ("Hodo Peninsula",),
    "kalma": ("Wonsan Kalma International Airport",),
    "munchon": ("Munchon", "Hodo Peninsula"),
    "tongchon": ("Tongchon",),
    "hamhung": ("Hungnam", "Yonpo Airport"),
    "hungnam": ("Hungnam",),
    "yonpo": ("Yonpo Airport",),
    "sondok": ("Sondok", "Sondok Airbase"),
    "sinpo": ("Sinpo Shipyard",),
    "sinpho": ("Sinpo Shipyard",),
    "jangyon": ("Jangyon",),
    "changyon": ("Jangyon",),
    "sukchon": ("Sukchon",),
    "yangdok": ("Yangdok",),
    "kusong": ("Kusong Testing Ground", "North Kusong Testing Ground", "Panghyon", "Panghyon Airbase", "Baegun"),
    "panghyon": ("Panghyon", "Panghyon Airbase"),
    "chunghwa": ("Chunghwa", "Ryokpo"),
    "junghwa": ("Chunghwa", "Ryokpo"),
    "kaechon": ("Kaechon Airbase",),
    "sunchon": ("Sunchon Airbase",),
    "hwangju": ("Hwangju",),
    "uiju": ("Uiju",),
    "sinuiju": ("Uiju",),
    "kwail": ("Kwail Airbase",),
    "koksan": ("Koksan",),
    "sariwon": ("Sariwon",),
    "nampo": ("Nampo", "Lake Taesong"),
    "nampho": ("Nampo", "Lake Taesong"),
    "gangseo": ("Lake Taesong",),
    "kangso": ("Lake Taesong",),
    "north pyongan": (
        "Sohae Satellite Launching Station",
        "Uiju",
        "Kusong Testing Ground",
        "North Kusong Testing Ground",
        "Panghyon",
        "Panghyon Airbase",
        "Taegwan County",
        "Baegun",
        "Chongju area",
        "Sonchon",
    ),
    "taechon": ("Taechon Reservoir",),
    "sonchon": ("Sonchon",),
    "kanggye": ("Kanggye",),
    "kaesong": ("Kaesong",),
    "masikryong": ("Masikryong",),
    "chongju": ("Chongju area",),
    "pyongsong": ("Pyongsong Field",),
    "taegwan": ("Taegwan County",),
    "mupyong-ri": ("Mupyong-ni Arms Plant",),
    "mupyong-ni": ("Mupyong-ni Arms Plant",),
    "pukchang": ("Pukchang Airfield",),
    "yonghung": ("Yonghung", "Yonghung Bay"),
    "chihari": ("Chihari Missile Base",),
    "monggumpo": ("Monggumpo",),
    "ragwon": ("Ragwon County beach",),
}
_AREA_NAMES = "|".join(
    sorted((re.escape(a).replace(r"\-", "[- ]?").replace(r"\ ", "[- ]") for a in AREAS), key=len, reverse=True)
)
_AREA = re.compile(r"\b(?:from|near)\s+(?:[\w'’,.-]+\s+){0,5}?(?P<area>" + _AREA_NAMES + r")(?![\w-])", re.I)
_AREA_MORE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?(?P<area>" + _AREA_NAMES + r")(?![\w-])", re.I)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word.lower()]


def announced_times(text: str) -> list[str]:
    """Launch times (KST, HH:MM) the text quotes: local times with a.m./p.m., or UTC times converted.

    A time must follow a launch word (launched, fired, detected, between …) and not an impact or other event in
    the words before it; times in US or other zones (ET …) are skipped."""
    marks = list(_TIME.finditer(text))
    merids: list[str | None] = [m["mer"] for m in marks]
    zones: list[str] = [(m["tz"] or "").strip(" (").lower() for m in marks]
    for i in range(len(marks) - 2, -1, -1):  # a bare time joined to the next one takes its a.m./p.m. and zone
        gap = text[marks[i].end() : marks[i + 1].start()]
        if not merids[i] and len(gap) <= 6 and _TIME_JOIN.search(gap):
            merids[i] = merids[i + 1]
            zones[i] = zones[i] or zones[i + 1]
    out = []
    previous_end = None  # end of the last time read, so "6:00, 6:37 and 6:42 a.m." are read together
    for m, mer, zone in zip(marks, merids, zones):
        if not m["m"] and not mer:
            continue  # a bare number
        if zone not in ("", "utc", "kst", "local time") or (not mer and zone != "utc"):
            continue  # another zone, or 10:06 with no a.m./p.m. and no zone: not read
        hour, minute = int(m["h"]), int(m["m"] or 0)
        if hour > 23 or minute > 59 or (mer and hour > 12):
            continue
        before = text[max(0, m.start() - 60) : m.start()]
        launch = list(_LAUNCH_WORDS.finditer(before))
        other = list(_NOT_LAUNCH.finditer(before))
        listed = previous_end is not None and re.fullmatch(r"[\s,]*(?:and|to|-|–)?\s*", text[previous_end : m.start()])
        if not listed and (not launch or (other and other[-1].start() > launch[-1].start())):
            previous_end = None
            continue
        if mer:
            hour = hour % 12 + (12 if mer.lower() == "p" else 0)
        if zone == "utc":
            hour = (hour + 9) % 24
        out.append(f"{hour:02d}:{minute:02d}")
        previous_end = m.end()
    return out


def announced_count(text: str) -> int | None:
    """The number of missiles the text gives first ("fired two short-range ballistic missiles"), with the counts
    joined to it by "and" ("5 Scud missiles and 2 Nodong missiles"); None when it gives none."""
    found = [m for m in (_COUNT.search(text), _COUNT_PASSIVE.search(text)) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start("n"))
    total = _number(m["n"])
    joined_count = re.compile(r"\s*(?:,\s*)?and\s+" + _NUMBER + r"\s+" + _COUNT_WORDS, re.I)
    while True:
        nxt = joined_count.match(text, m.end())
        if not nxt:
            return total
        total, m = total + _number(nxt["n"]), nxt


def announced_km(text: str) -> dict[str, list[float]]:
    """Apogees and distances (km) the text quotes, by the words just before each figure. Miles are converted,
    or replaced by the km figure in brackets beside them ("223 miles (360km)"); "360 km (223 miles)" counts once."""
    out: dict[str, list[float]] = {"apogee": [], "distance": []}
    marks = list(_KM.finditer(text))
    i, last_end = 0, 0
    while i < len(marks):
        m = marks[i]
        nxt = marks[i + 1] if i + 1 < len(marks) else None
        paired = bool(nxt and re.fullmatch(r"\s*\(\s*", text[m.end() : nxt.start()]))
        miles = m["u"].lower() == "miles"
        paired = paired and nxt is not None and (nxt["u"].lower() == "miles") != miles
        value = float(m["n"].replace(",", ""))
        if miles:
            value = float(nxt["n"].replace(",", "")) if paired and nxt else round(value * KM_PER_MILE)
        window = text[last_end : m.start()][-60:]
        words = [
            (w.start(), k)
            for k, rx in (("apogee", _APOGEE_WORDS), ("distance", _DISTANCE_WORDS))
            for w in rx.finditer(window)
        ]
        if words:
            out[max(words)[1]].append(value)
        last_end = nxt.end() if paired and nxt else m.end()
        i += 2 if paired else 1
    return out


def announced_areas(text: str) -> list[str]:
    """Launch areas the text names after "from" or "near" (and the list that follows: "from Sunan, Kaechon and
    Hamhung"), as keys of AREAS."""
    found = []
    for m in _AREA.finditer(text):
        names = [m["area"]]
        end = m.end()
        while more := _AREA_MORE.match(text, end):
            names.append(more["area"])
            end = more.end()
        for name in names:
            key = re.sub(r"[- ]+", " ", name.lower())
            key = next(
                a for a in AREAS if re.sub(r"[- ]+", " ", a) == key or a.replace("-", "") == key.replace(" ", "")
            )
            if key not in found:
                found.append(key)
    return found


def _kst_time(row: dict[str, str]) -> str:
    if not row["time_utc"]:
        return ""
    h, m = (int(x) for x in row["time_utc"].split(":"))
    return f"{(h + 9) % 24:02d}:{m:02d}"


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.15 * max(a, b), 15)


TIME_TOLERANCE = 10  # minutes: JCS detection and Japan MoD launch times differ by a minute or two


# ---------------------------------------------------------------- comparing


class Audit:
    def __init__(self, rows: list[dict[str, str]], log: list[Entry]):
        self.rows = sorted(rows, key=lambda r: r["missile_id"])
        self.log = log
        self.findings: list[Finding] = []

    def explain(self, reference: str, row: dict[str, str] | None, subject: str, field: str, theirs: str) -> str:
        return self.explain_rows(reference, [row] if row else [], subject, field, theirs)

    def explain_rows(self, reference: str, rows: list[dict[str, str]], subject: str, field: str, theirs: str) -> str:
        """By a log entry naming any of the rows (missile_id or launch_id), else by a row's note."""
        keys = tuple(k for row in rows for k in (row["missile_id"], row["launch_id"])) or (subject,)
        for e in self.log:
            if e.covers(reference, keys, field, theirs):
                return f"explained (log: {e.reason})"
        pattern = rf"(?<![\w.:-]){re.escape(theirs)}(?![\w:-])"
        if theirs and any(re.search(pattern, row.get("note", "")) for row in rows):
            return "explained (note)"
        return ""

    def add_day(self, reference: str, rows: list[dict[str, str]], field: str, ours: str, theirs: str) -> None:
        subject = "+".join(sorted({r["launch_id"] for r in rows}))
        self.findings.append(
            Finding(reference, subject, field, ours, theirs, self.explain_rows(reference, rows, subject, field, theirs))
        )

    def figures(self, reference: str, texts: list[str], rows: list[dict[str, str]], *, add_counts: bool) -> None:
        """The announced figures the reference's texts quote, against the launch day's rows (see the module doc)."""
        texts = list(dict.fromkeys(t for t in texts if t.strip()))
        if not texts or not rows:
            return
        times = list(dict.fromkeys(t for text in texts for t in announced_times(text)))
        ours_times = sorted({_kst_time(r) for r in rows if r["time_utc"]})
        for t in times:
            if not ours_times:
                self.add_day(reference, rows, "announced_time", "", t)
                break
            if min(min(abs(_minutes(t) - _minutes(o)), 1440 - abs(_minutes(t) - _minutes(o))) for o in ours_times) > (
                TIME_TOLERANCE
            ):
                self.add_day(reference, rows, "announced_time", ";".join(ours_times), t)
        counts = [c for c in (announced_count(text) for text in texts) if c is not None]
        if counts:
            count = sum(counts) if add_counts else max(counts)
            if count != len(rows):
                self.add_day(reference, rows, "announced_count", str(len(rows)), str(count))
        quoted: dict[str, list[float]] = {"apogee": [], "distance": []}
        for text in texts:
            for k, values in announced_km(text).items():
                quoted[k] += values
        ours_km = {k: [float(r[f"{k}_km"]) for r in rows if r[f"{k}_km"]] for k in ("apogee", "distance")}

        def near(value: str, kind: str) -> bool:
            return bool(value) and any(_close(q, float(value)) for q in quoted[kind])

        swapped = False
        for r in rows:  # a row whose apogee is the quoted distance and whose distance the quoted apogee
            a, d = r["apogee_km"], r["distance_km"]
            if near(a, "distance") and near(d, "apogee") and not (near(a, "apogee") and near(d, "distance")):
                theirs = "/".join(
                    f"{next(q for q in quoted[k] if _close(q, float(v))):g}"
                    for k, v in (("apogee", d), ("distance", a))
                )
                self.add(reference, r, r["missile_id"], "announced_swap", f"{a}/{d}", theirs)
                swapped = True
        for kind in ("distance", "apogee"):
            # JCS and Japan MoD figures often differ a little: the day's rows must agree with one of those quoted.
            if swapped or not quoted[kind] or not ours_km[kind]:
                continue
            if any(_close(q, v) for q in quoted[kind] for v in ours_km[kind]):
                continue
            ours = ";".join(f"{v:g}" for v in sorted(set(ours_km[kind])))
            self.add_day(reference, rows, f"announced_{kind}", ours, f"{quoted[kind][0]:g}")
        areas = list(dict.fromkeys(a for text in texts for a in announced_areas(text)))
        allowed = {f for a in areas for f in AREAS[a]}
        for r in rows:
            if areas and r["facility"] not in ("", "unknown") and r["facility"] not in allowed:
                self.add(reference, r, r["missile_id"], "announced_area", r["facility"], ";".join(areas))

    def add(self, reference: str, row: dict[str, str] | None, subject: str, field: str, ours: str, theirs: str):
        self.findings.append(
            Finding(reference, subject, field, ours, theirs, self.explain(reference, row, subject, field, theirs))
        )

    def logged_value(self, reference: str, row: dict[str, str], field: str) -> str | None:
        """The reference value a log entry records for this row's field, if any (a specific value, not '*')."""
        for e in self.log:
            if (
                e.field == field
                and e.reference_value not in ("", "*")
                and e.covers(reference, (row["missile_id"], row["launch_id"]), field, e.reference_value)
            ):
                return e.reference_value
        return None

    def _pair_days(self, refs: list[Record], ours: dict[str, list]) -> list[tuple[list, list]]:
        """Reference days paired with the table's days: same date first, then a day either side."""
        ref_days: dict[dt.date, list[Record]] = defaultdict(list)
        for rec in refs:
            ref_days[rec.date].append(rec)
        our_days = {dt.date.fromisoformat(d): rows for d, rows in ours.items()}
        pairs, unmatched = [], []
        for day, recs in sorted(ref_days.items()):
            if day in our_days:
                pairs.append((recs, our_days.pop(day)))
            else:
                unmatched.append((day, recs))
        for day, recs in unmatched:
            near = [d for d in (day + dt.timedelta(days=1), day - dt.timedelta(days=1)) if d in our_days]
            if near:
                pairs.append((recs, our_days.pop(near[0])))
            else:
                pairs.append((recs, []))
        first, last = min(ref_days), max(ref_days)
        pairs += [([], rows) for d, rows in our_days.items() if first <= d <= last]
        return pairs

    def cns(self, reference: str, refs: list[Record]) -> None:
        ours: dict[str, list] = defaultdict(list)
        for row in self.rows:
            if row["origin"] == "cns":
                ours[self.logged_value(reference, row, "date_utc") or row["date_utc"]].append(row)
        for recs, rows in self._pair_days(refs, ours):
            for i in range(max(len(recs), len(rows))):
                rec, row = (recs[i] if i < len(recs) else None), (rows[i] if i < len(rows) else None)
                if row is None:
                    self.add(reference, None, rec.date.isoformat(), "launch", "", rec.where)
                elif rec is None:
                    self.add(reference, row, row["missile_id"], "row", row["missile_id"], "")
                else:
                    self.compare(reference, rec, row)
            if recs and rows:
                self.figures(reference, [rec.values.get("text", "") for rec in recs], rows, add_counts=False)

    def compare(self, reference: str, rec: Record, row: dict[str, str]) -> None:
        for field in CNS_FIELDS:
            if field not in rec.values:
                continue
            theirs, mine = rec.values[field], row[field]
            if field == "missile_class":
                if not theirs:  # CNS gives no type; the table's class is its own (class_basis says how)
                    continue
            elif field in ("latitude", "longitude") and theirs and mine:
                if abs(float(theirs) - float(mine)) <= COORDINATE_TOLERANCE:
                    continue
            elif mine.lower() in ("unknown", "") and not theirs:
                continue
            if not same(field, mine, theirs):
                self.add(reference, row, row["missile_id"], field, mine, theirs)

    def csis(self, refs: list[Record]) -> None:
        reference = "csis"
        ours: dict[str, list] = defaultdict(list)
        for row in self.rows:
            ours[self.logged_value(reference, row, "date_kst") or row["date_kst"]].append(row)
        days: dict[dt.date, list[Record]] = defaultdict(list)
        for rec in refs:
            days[rec.date].append(rec)
        one_each = [recs[0] for _, recs in sorted(days.items())]  # CSIS splits some launch days into events
        for recs, rows in self._pair_days(one_each, ours):
            if not rows:
                self.add(reference, None, recs[0].date.isoformat(), "launch", "", recs[0].where)
            elif not recs:
                for row in rows:
                    if row["origin"] == "csis":
                        self.add(reference, row, row["missile_id"], "row", row["missile_id"], "")
            elif rows[0]["date_kst"] != recs[0].date.isoformat():
                for row in rows:
                    self.add(reference, row, row["missile_id"], "date_kst", row["date_kst"], recs[0].date.isoformat())
            if recs and rows:
                self.figures(
                    reference, [rec.values.get("text", "") for rec in days[recs[0].date]], rows, add_counts=True
                )


def kind(path: Path) -> str:
    return "cns-json" if Path(path).suffix.lower() == ".json" else "cns-csv"


def run(
    cns_paths: list[Path], csis_paths: list[Path], *, curated_dir: Path | None = None, log_path: Path | None = None
) -> list[Finding]:
    curated_dir = Path(curated_dir or settings.CURATED_DIR)
    try:
        _, rows = read_table(curated_dir / "missile_tests.csv")
        _, sources = read_table(curated_dir / "sources.csv")
    except ValueError as e:
        raise AuditError(str(e)) from None
    log = read_log(Path(log_path or CORRECTIONS), {s["source_id"] for s in sources})
    audit = Audit(rows, log)
    for path in cns_paths:
        refs = read_cns_json(path) if kind(path) == "cns-json" else read_cns_table(path)
        if not refs:
            raise AuditError(f"{relative(path)}: no records")
        audit.cns(kind(path), refs)
    for path in csis_paths:
        refs = read_csis(path)
        if not refs:
            raise AuditError(f"{relative(path)}: no missile events")
        audit.csis(refs)
    return audit.findings


def main(cns_paths: list[Path], csis_paths: list[Path], *, quiet: bool = False, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    if not cns_paths and not csis_paths:
        if not REFERENCE_DIR.is_dir():
            print(f"error: no reference given (--cns PATH, --csis PATH) and no {REFERENCE_DIR}", file=err)
            return 2
        cns_paths = [REFERENCE_DIR / name for name in DEFAULT_CNS]
        csis_paths = [REFERENCE_DIR / name for name in DEFAULT_CSIS]
    try:
        findings = run(cns_paths, csis_paths)
    except (AuditError, cns.CnsError) as e:
        print(one_line(f"error: {e}"), file=err)
        return 2
    except OSError as e:
        print(one_line(f"error: cannot read {e.filename or 'a file'}: {e.strerror}"), file=err)
        return 2
    unexplained = [f for f in findings if not f.explained_by]
    for f in findings:
        if not quiet or not f.explained_by:
            print(one_line(f.line()), file=out)
    names = ", ".join(relative(p) for p in [*cns_paths, *csis_paths])
    print(
        one_line(
            f"audit of {names}: {len(findings)} disagreement(s), {len(findings) - len(unexplained)} explained, "
            f"{len(unexplained)} unexplained"
        ),
        file=out,
    )
    return 1 if unexplained else 0
