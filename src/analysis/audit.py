"""`analysis audit`: cross-check every missile row against each reference release, field by field.

References: a CNS release (the workbook or its "Missile Tests" sheet as CSV, read by `analysis.cns`; or the
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
"""

from __future__ import annotations

import csv
import datetime as dt
import fnmatch
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from analysis import cns, settings
from analysis.files import relative
from analysis.refresh import UPDATABLE, fmt, read_table, same, upstream_values

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


def read_log(path: Path, source_ids: set[str]) -> list[Entry]:
    try:
        with Path(path).open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise AuditError(f"{relative(path)}: cannot read the corrections log: {e}") from None
    missing = [c for c in LOG_COLUMNS if c not in header]
    if missing:
        raise AuditError(f"{relative(path)}: missing column(s) {', '.join(missing)}")
    out = []
    for line, r in enumerate(rows, 2):
        where = f"{relative(path)}:{line}"
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
    for launch in cns.read(path):
        values = upstream_values(launch)
        values["date_utc"] = launch.date.isoformat()
        values["outcome"] = launch.outcome
        out.append(Record(f"{relative(path)}:{launch.row}", launch.date, values))
    return out


def _json(path: Path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise AuditError(f"{relative(path)}: cannot read the JSON: {e}") from None


def read_cns_json(path: Path) -> list[Record]:
    """The visualisation copy: test.en.json, with missile.en.json and facility.en.json in the same folder."""
    path = Path(path)
    tests = _json(path)
    missiles = _json(path.with_name("missile.en.json"))
    facilities = _json(path.with_name("facility.en.json")).get("facilities", {})
    try:
        records = [r for tb in tests["timeBins"] for r in tb["data"]]
    except (KeyError, TypeError):
        raise AuditError(f"{relative(path)}: not a visualisation copy (no timeBins[].data[])") from None
    out = []
    for n, r in enumerate(records, 1):
        where = f"{relative(path)}:record {n}"
        try:
            date_text = str(r["date"])
            date = dt.date.fromisoformat(date_text if len(date_text) == 10 else f"{date_text}-01")
            time = str(r.get("time", "unknown")).replace("(UTC)", "").strip()
            missile = missiles[r["missile"]]
            facility = facilities[r["facility"]]
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
            }
        except KeyError as e:
            raise AuditError(f"{where}: {e.args[0]!r} is missing or not in missile.en.json/facility.en.json") from None
        except (ValueError, TypeError) as e:  # cns._Bad is a ValueError
            raise AuditError(f"{where}: {r.get('date')!r}: {e}") from None
        out.append(Record(where, date, values))
    return out


def read_csis(path: Path) -> list[Record]:
    """Missile events of the CSIS provocations export (other provocations are not launches)."""
    out = []
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not {"date", "type"} <= set(reader.fieldnames or []):
                raise AuditError(f"{relative(path)}: not the CSIS export (needs columns date and type)")
            for r in reader:
                if r["type"] != CSIS_TYPE:
                    continue
                try:
                    date = dt.date.fromisoformat(r["date"])
                except ValueError:
                    raise AuditError(f"{relative(path)}:{reader.line_num}: date: {r['date']!r} is not a date") from None
                out.append(Record(f"{relative(path)}:{reader.line_num}", date, {}))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise AuditError(f"{relative(path)}: cannot read the CSIS export: {e}") from None
    return out


# ---------------------------------------------------------------- comparing


class Audit:
    def __init__(self, rows: list[dict[str, str]], log: list[Entry]):
        self.rows = sorted(rows, key=lambda r: r["missile_id"])
        self.log = log
        self.findings: list[Finding] = []

    def explain(self, reference: str, row: dict[str, str] | None, subject: str, field: str, theirs: str) -> str:
        keys = (row["missile_id"], row["launch_id"]) if row else (subject,)
        for e in self.log:
            if e.covers(reference, keys, field, theirs):
                return f"explained (log: {e.reason})"
        if row and theirs and re.search(rf"(?<![\w.:-]){re.escape(theirs)}(?![\w:-])", row.get("note", "")):
            return "explained (note)"
        return ""

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
        print(f"error: {e}", file=err)
        return 2
    unexplained = [f for f in findings if not f.explained_by]
    for f in findings:
        if not quiet or not f.explained_by:
            print(f.line(), file=out)
    names = ", ".join(relative(p) for p in [*cns_paths, *csis_paths])
    print(
        f"audit of {names}: {len(findings)} disagreement(s), {len(findings) - len(unexplained)} explained, "
        f"{len(unexplained)} unexplained",
        file=out,
    )
    return 1 if unexplained else 0
