"""`analysis refresh csis PATH`: propose (and add) the launches of the CSIS Beyond Parallel provocations export
that missile_tests.csv lacks, and report what differs.

The export has one row per event with a Korean (local) date. Only rows of type "Missile Provocation" are
launches; each is sorted by the words of its `event` title, then of its `description` (case-insensitive):

* excluded (never rows, see data/README.md; listed only when the table has no row on that KST date): EXCLUDE_WORDS, i.e. "MLRS", "multiple launch rocket" (and CSIS's
  "lanuch" spelling), "rocket launcher", "artillery", "anti-aircraft", "surface-to-air", "air defence/defense",
  "engine test", "FROG", "nuclear detonation"; a title that names a missile class wins over an exclusion word
  in the description (mixed tests);
* cruise (cns_threshold false): "cruise", "anti-ship", "surface-to-ship";
* ballistic (cns_threshold true), the class from CLASS_WORDS: "intercontinental"/"ICBM", "intermediate-range",
  "medium-range", "submarine"/"SLBM", "satellite", "hypersonic", "short-range"/"close-range" with
  "ballistic", or plain "ballistic" (class unknown);
* anything else (e.g. "short-range missile" of no stated kind) is listed *to review* and never written:
  the inclusion rule cannot be applied without the kind.

A launch is already in the table when a row's date_kst is the export's date, or a row's date is logged in
data/corrections.csv as a CSIS date error (reference csis, field date_kst); otherwise a row a day either
side is the same launch unless the counts clearly differ, and that row is listed as a date disagreement.
A CSIS launch date logged in the corrections log (reference csis, field launch) is a known exclusion.

New launches take what the record's text states: the date; a local time ("5:00 p.m.", "05:24 KST") gives
time_utc and date_utc; the number fired (a row per missile; one row when not stated); distance, apogee and
the launch area ("from the Wonsan area"); everything else is empty or 'unknown'. Diplomatic events in the
export (titles with DIPLOMATIC_WORDS) are only proposed in the report when diplomatic_events.csv has none
within a day. The new table is validated in a scratch copy (refresh.validate_staged) before the change
report (data/changes/<today>-csis.md) and then the table are written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from analysis import settings
from analysis.data import audit, cns
from analysis.data.files import relative
from analysis.data.refresh import (
    ENVIRONMENT,
    REFUSED,
    RefreshError,
    cell,
    corrections_log,
    open_table,
    os_error,
    print_report,
    read_table,
    rerender_note,
    section,
    write,
)
from analysis.data.textsafety import is_formula, one_line, strip_controls

COLUMNS = ("date", "type", "event", "description")  # the export's columns this module reads
MISSILE_TYPE = audit.CSIS_TYPE
SOURCE_ID = "csis-provocations"  # fallback when no origin = csis row names one
NOTE = "taken from the CSIS Beyond Parallel record pending a primary source"
EXCLUDE_WORDS = (
    "mlrs",
    "multiple launch rocket",
    "multiple lanuch rocket",
    "rocket launcher",
    "artillery",
    "anti-aircraft",
    "surface-to-air",
    "air defence",
    "air defense",
    "engine test",
    "frog",
    "nuclear detonation",
)
CRUISE_WORDS = ("cruise", "anti-ship", "surface-to-ship")
# (words, class), first match wins; "ballistic" alone is a ballistic missile of unknown class.
CLASS_WORDS = (
    (("intercontinental", "icbm"), "ICBM"),
    (("intermediate-range", "irbm"), "IRBM"),
    (("medium-range", "mrbm"), "MRBM"),
    (("submarine", "slbm"), "SLBM"),
    (("satellite",), "SLV"),
    (("hypersonic",), "HGV"),
    (("short-range ballistic", "close-range ballistic", "srbm"), "SRBM"),
    (("ballistic",), "unknown"),
)
NAMES = {"SLV": "Satellite launch vehicle", "cruise": "Cruise missile", "unknown": "Unidentified ballistic missile"}
DIPLOMATIC_WORDS = ("statement", "declar", "summit", "meeting", "talks", "letter", "agreement", "withdrawal")

NUMBER_WORDS = dict(
    zip(
        "a an one single two three four five six seven eight nine ten eleven twelve".split(),
        (1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
    )
)
# Words that make "a ... missiles" no count: "a total of 23 missiles", "a barrage of missiles".
_NOT_A_COUNT = r"\d+|" + "|".join(NUMBER_WORDS) + r"|several|multiple|number|barrage|salvo|volley|series|dozens?|few"
_COUNT = re.compile(
    rf"\b(\d{{1,2}}|{'|'.join(NUMBER_WORDS)})\s+(?:(?!(?:{_NOT_A_COUNT})\b)[\w-]+\s+){{0,4}}?"
    r"(?:missiles?|rockets?|projectiles?)\b",
    re.I,
)
_TIME = re.compile(
    r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?|\b(\d{1,2}):(\d{2})(?=[^.]{0,30}?\b(?:KST|local))", re.I
)
_KM = r"([\d,]+(?:\.\d+)?)\s*(?:km|kilomet)"
_DISTANCE = re.compile(r"(?:flew|flown|traveled|travelled|flying|flight of|range of)\D{0,30}?" + _KM, re.I)
_APOGEE = re.compile(r"(?:altitude|apogee)\D{0,30}?" + _KM, re.I)
_SITE = re.compile(r"\bfrom (?:the |its )?(?:[a-z]+ )?((?:[A-Z][\w'-]+ )+)area\b")


_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})  # CSIS writes "short‑range" with U+2011


class CsisError(RefreshError):
    """The export cannot be read; one line naming the file (and row)."""


@dataclass(frozen=True)
class Event:
    """One row of the export."""

    line: int
    date: dt.date  # local (KST) date
    type: str
    title: str
    description: str


# ---------------------------------------------------------------- reading the export


def read_export(path: Path) -> list[Event]:
    """The export's rows: control characters stripped; a cell a spreadsheet would evaluate is refused (file:line)."""
    path = Path(path)
    if not path.exists():
        raise CsisError(f"{relative(path)}: no such file")
    try:
        text = cns.read_limited(path).decode("utf-8-sig")
    except OSError as e:
        raise CsisError(f"{relative(path)}: cannot read the CSIS export: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise CsisError(f"{relative(path)}: cannot read the CSIS export: {e}") from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CsisError(f"{relative(path)}: not the CSIS export (missing column(s) {', '.join(missing)})")
        out = []
        for r in reader:
            where = f"{relative(path)}:{reader.line_num}"
            if None in r or None in r.values():
                raise CsisError(f"{where}: the row's number of fields differs from the header's")
            r = {c: strip_controls(r[c]).strip() for c in COLUMNS}
            if formula := next((c for c in COLUMNS if is_formula(r[c])), None):
                raise CsisError(f"{where}: {formula}: {r[formula][:60]!r} would be a spreadsheet formula; refused")
            try:
                date = dt.date.fromisoformat(r["date"])
            except ValueError:
                raise CsisError(f"{where}: date: {r['date']!r} is not a date (YYYY-MM-DD)") from None
            if not r["type"]:
                raise CsisError(f"{where}: type is empty")
            title, desc = (r[c].translate(_HYPHENS) for c in ("event", "description"))
            out.append(Event(reader.line_num, date, r["type"], title, desc))
    except csv.Error as e:
        raise CsisError(f"{relative(path)}: cannot read the CSIS export: {e}") from None
    if not any(e.type == MISSILE_TYPE for e in out):
        raise CsisError(f"{relative(path)}: no {MISSILE_TYPE!r} rows")
    return out


# ---------------------------------------------------------------- reading a record's text


def _has(text: str, words) -> str:
    return next((w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}", text)), "")


def _class_of(text: str) -> str | None:
    if _has(text, CRUISE_WORDS):
        return "cruise"
    return next((cls for words, cls in CLASS_WORDS if _has(text, words)), None)


def classify(event: Event) -> tuple[str, str]:
    """('excluded', word) | ('launch', class) | ('review', '')."""
    title, desc = event.title.lower(), event.description.lower()
    if (cls := _class_of(title)) is not None:
        return "launch", cls
    if word := _has(title, EXCLUDE_WORDS):
        return "excluded", word
    if word := _has(desc, EXCLUDE_WORDS):
        return "excluded", word
    if (cls := _class_of(desc)) is not None:
        return "launch", cls
    return "review", ""


def count_of(event: Event) -> int | None:
    m = _COUNT.search(event.description)
    if not m:
        return None
    n = m[1].lower()
    return int(n) if n.isdigit() else NUMBER_WORDS[n]


def local_time(event: Event) -> str:
    """The first local time the text gives, HH:MM, or ''."""
    m = _TIME.search(event.description)
    if not m:
        return ""
    if m[4]:
        h, mi = int(m[4]), int(m[5])
    else:
        h, mi = int(m[1]) % 12 + (12 if m[3].lower() == "p" else 0), int(m[2] or 0)
    return f"{h:02d}:{mi:02d}" if h < 24 and mi < 60 else ""


def _km(regex: re.Pattern, text: str) -> str:
    m = regex.search(text)
    if not m:
        return ""
    value = float(m[1].replace(",", ""))
    return str(int(value)) if value.is_integer() else str(value)


def site(event: Event) -> str:
    m = _SITE.search(event.description)
    return f"{m[1]}area" if m else "unknown"


# ---------------------------------------------------------------- the plan


@dataclass
class Proposal:
    event: Event
    missile_class: str
    count: int | None
    rows: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Plan:
    columns: list[str]
    before: list[dict[str, str]]
    after: list[dict[str, str]]
    events: list[Event]
    proposed: list[Proposal] = field(default_factory=list)
    review: list[Event] = field(default_factory=list)
    excluded: list[tuple[Event, str]] = field(default_factory=list)
    disagreements: list[tuple[Event, list[dict[str, str]], str]] = field(default_factory=list)  # (.., logged reason)
    diplomatic: list[Event] = field(default_factory=list)

    @property
    def added(self) -> list[dict[str, str]]:
        return [r for p in self.proposed for r in p.rows]


def _clearly_differ(n: int | None, m: int) -> bool:
    return n is not None and abs(n - m) >= 2 and max(n, m) >= 2 * min(n, m)


def _new_rows(p: Proposal, columns: list[str], used: dict[str, set[int]], source_id: str) -> list[dict[str, str]]:
    e = p.event
    local = local_time(e)
    if local:
        moment = dt.datetime.combine(e.date, dt.time.fromisoformat(local)) - dt.timedelta(
            hours=settings.KST_OFFSET_HOURS
        )
        date_utc, time_utc, basis = moment.date(), moment.strftime("%H:%M"), "local_time"
    else:
        date_utc, time_utc, basis = e.date, "", "assumed_same"
    note = NOTE + ("" if p.count else "; number not reported, one row stands for at least one")
    d = date_utc.isoformat()
    out = []
    for _ in range(p.count or 1):
        nn = max(used[d], default=0) + 1
        if nn > 99:
            raise RefreshError(f"{d}: more than 99 missiles on one date; missile_id has two digits")
        used[d].add(nn)
        row = {c: "" for c in columns}
        row.update(
            missile_id=f"M{d.replace('-', '')}-{nn:02d}",
            launch_id=f"L{d}",
            date_utc=d,
            date_precision="day",
            time_utc=time_utc,
            date_kst=e.date.isoformat(),
            date_kst_basis=basis,
            missile_name=NAMES.get(p.missile_class, f"Unidentified {p.missile_class}"),
            missile_class=p.missile_class,
            class_basis="press",
            facility=site(e),
            apogee_km=_km(_APOGEE, e.description),
            distance_km=_km(_DISTANCE, e.description),
            outcome="unknown",
            confirmed="true",
            cns_threshold="false" if p.missile_class == "cruise" else "true",
            origin="csis",
            source_ids=source_id,
            note=note,
        )
        out.append(row)
    return out


def make_plan(
    events: list[Event],
    columns: list[str],
    rows: list[dict[str, str]],
    log: list[audit.Entry],
    diplomatic_dates: set[dt.date] = frozenset(),
) -> Plan:
    """What the refresh would do; touches nothing on disk."""
    plan = Plan(columns, rows, [dict(r) for r in rows], events)
    checker = audit.Audit(rows, log)
    days: dict[dt.date, list[dict[str, str]]] = defaultdict(list)  # the table's launch days, KST
    logged: dict[dt.date, list[dict[str, str]]] = defaultdict(list)  # CSIS dates the log records for rows
    for r in rows:
        days[dt.date.fromisoformat(r["date_kst"])].append(r)
        if value := checker.logged_value("csis", r, "date_kst"):
            logged[dt.date.fromisoformat(value)].append(r)
    known = {e.rows: e.reason for e in log if e.reference == "csis" and e.field == "launch"}

    launches: dict[dt.date, list[tuple[Event, str]]] = defaultdict(list)
    for e in events:
        if e.type != MISSILE_TYPE:
            if _has(e.title.lower(), DIPLOMATIC_WORDS) and not any(
                abs((d - e.date).days) <= 1 for d in diplomatic_dates
            ):
                plan.diplomatic.append(e)
            continue
        kind, what = classify(e)
        if kind != "launch" and (e.date in days or e.date in logged):
            continue  # the table holds that day: whatever the words, its rows stand
        if kind == "excluded":
            plan.excluded.append((e, f"“{what}”"))
        elif (reason := known.get(e.date.isoformat())) is not None:
            plan.excluded.append((e, f"corrections log: {reason}"))
        elif kind == "review":
            plan.review.append(e)
        else:
            launches[e.date].append((e, what))

    paired: set[dt.date] = set()
    unpaired = []
    for day, items in sorted(launches.items()):  # same date (or a logged CSIS date) first
        if day in logged:
            paired |= {dt.date.fromisoformat(r["date_kst"]) for r in logged[day]}
        elif day in days:
            paired.add(day)
        else:
            unpaired.append((day, items))
    source_id = _source_id(rows)
    used: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        used[r["date_utc"]].add(int(r["missile_id"][-2:]))
    for day, items in unpaired:  # then a day either side, unless the counts clearly differ
        counts = [count_of(e) for e, _ in items]
        n = None if None in counts else sum(counts)
        near = [
            d
            for d in (day - dt.timedelta(days=1), day + dt.timedelta(days=1))
            if d in days and d not in paired and not _clearly_differ(n, len(days[d]))
        ]
        if near:
            paired.add(near[0])
            plan.disagreements.append((items[0][0], days[near[0]], ""))
            continue
        for e, cls in items:
            p = Proposal(e, cls, count_of(e))
            p.rows = _new_rows(p, columns, used, source_id)
            plan.proposed.append(p)
    for day, rs in sorted(logged.items()):  # logged CSIS date errors the export still has
        if day in launches:
            plan.disagreements.append((launches[day][0][0], rs, _logged_reason(log, rs[0])))
    plan.disagreements.sort(key=lambda d: d[0].date)
    for r in plan.added:  # the table is in missile_id order; keep it so
        pos = next((k for k, old in enumerate(plan.after) if old["missile_id"] > r["missile_id"]), len(plan.after))
        plan.after.insert(pos, r)
    return plan


def _logged_reason(log: list[audit.Entry], row: dict[str, str]) -> str:
    keys = (row["missile_id"], row["launch_id"])
    return next(
        e.reason
        for e in log
        if e.reference == "csis" and e.field == "date_kst" and e.covers("csis", keys, "date_kst", e.reference_value)
    )


def _source_id(rows: list[dict[str, str]]) -> str:
    """The CSIS source id the origin = csis rows cite most."""
    ids = Counter(s for r in rows if r["origin"] == "csis" for s in r["source_ids"].split(";"))
    return next((s for s, _ in ids.most_common() if "csis" in s), SOURCE_ID)


# ---------------------------------------------------------------- the report


def _summary(plan: Plan) -> str:
    logged = sum(1 for *_, reason in plan.disagreements if reason)
    return (
        f"{len(plan.proposed)} new launches proposed ({len(plan.added)} rows), {len(plan.review)} to review, "
        f"{len(plan.excluded)} excluded, {len(plan.disagreements)} date disagreements ({logged} logged), "
        f"{len(plan.diplomatic)} diplomatic events proposed"
    )


def _where(source: Path, e: Event) -> str:
    return f"{relative(source)}:{e.line}"


def _brief(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return cell(text if len(text) <= limit else text[: limit - 1] + "…")


def change_report(plan: Plan, source: Path, table: Path, today: dt.date, *, dry_run: bool) -> str:
    missiles = [e for e in plan.events if e.type == MISSILE_TYPE]
    digest = hashlib.sha256(cns.read_limited(Path(source))).hexdigest()[:12]
    out = [
        f"# CSIS refresh, {today.isoformat()}{' (dry run)' if dry_run else ''}",
        "",
        f"- Export: `{relative(source)}` (sha256 {digest}), {len(plan.events)} events, {len(missiles)} missile "
        f"events, {min(e.date for e in plan.events)} to {max(e.date for e in plan.events)}",
        f"- Table: `{relative(table)}`, {len(plan.before)} rows before, {len(plan.after)} after",
        f"- **{_summary(plan)}**",
        "",
        f"## Proposed new launches ({len(plan.proposed)}, {len(plan.added)} rows)",
        "",
    ]
    if plan.proposed:
        out += [
            f"Missile events with no row in the table. Rows take only what the record's text states; `note`: {NOTE}.",
            "",
        ]
        cols = ("missile_id", "date_kst", "date_utc", "time_utc", "missile_class", "cns_threshold", "facility")
        cols += ("apogee_km", "distance_km")
        out += ["| " + " | ".join((*cols, "export row", "event")) + " |", "|" + "---|" * (len(cols) + 2)]
        for p in plan.proposed:
            for r in p.rows:
                cells = [cell(r[c]) for c in cols] + [_where(source, p.event), _brief(p.event.title, 60)]
                out.append("| " + " | ".join(cells) + " |")
    else:
        out.append("None.")
    if plan.review:
        out += [
            "",
            f"## To review: kind not stated ({len(plan.review)})",
            "",
            "Missile events on dates the table does not have, whose text names neither a ballistic nor a cruise "
            "missile nor an excluded weapon: not added. Add them by hand, or log them in data/corrections.csv.",
            "",
        ]
        out += [f"- {_where(source, e)}: {e.date} {_brief(e.title, 60)} — {_brief(e.description)}" for e in plan.review]
    out += ["", f"## Excluded firings ({len(plan.excluded)})", ""]
    if plan.excluded:
        out += ["Not launches the table holds (MLRS, artillery, air defence, engine tests; or a logged exclusion).", ""]
        out += [f"- {_where(source, e)}: {e.date} {_brief(e.title, 60)} — {why}" for e, why in plan.excluded]
    else:
        out.append("None.")
    out += section(
        "Date disagreements",
        [
            f"{e.date} ({_where(source, e)}): table {rs[0]['date_kst']} ("
            + ", ".join(f"`{r['missile_id']}`" for r in rs)
            + ") — "
            + (f"logged CSIS date error ({reason})" if reason else "not in the corrections log: check by hand")
            for e, rs, reason in plan.disagreements
        ],
        "The table's KST date and the export's differ for the same launch.",
    )
    out += section(
        "Diplomatic events proposed for review",
        [f"{_where(source, e)}: {e.date} {_brief(e.title, 60)} — {_brief(e.description)}" for e in plan.diplomatic],
        "Not written: add them to diplomatic_events.csv by hand if they belong there.",
    )
    if plan.added:
        out += rerender_note(dry_run)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- running it


def refresh(
    path: Path,
    *,
    dry_run: bool,
    curated_dir: Path | None = None,
    changes_dir: Path | None = None,
    today: dt.date | None = None,
    out=None,
    err=None,
) -> int:
    """Read the export, plan, report; validate the new table in a scratch copy, write the change report, then
    the table. Returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    curated_dir = Path(curated_dir or settings.CURATED_DIR)
    changes_dir = Path(changes_dir or settings.CHANGES_DIR)
    today = today or dt.date.today()
    try:
        events = read_export(Path(path))
        table_path, columns, rows, before_sha = open_table(curated_dir, today)
        log = corrections_log(curated_dir)
        _, diplomacy = read_table(curated_dir / "diplomatic_events.csv")
        plan = make_plan(events, columns, rows, log, {dt.date.fromisoformat(r["start_date"]) for r in diplomacy})
        text = change_report(plan, Path(path), table_path, today, dry_run=dry_run)
    except (RefreshError, audit.AuditError) as e:
        print(one_line(f"error: {e}; nothing changed"), file=err)
        return REFUSED
    except OSError as e:
        print(one_line(f"error: {os_error(e)}; nothing changed"), file=err)
        return ENVIRONMENT
    print_report(text, out)
    if dry_run:
        print("\ndry run: nothing written", file=out)
        return 0
    if not plan.added:
        print("\nno new launches: nothing written", file=out)
        return 0
    return write(curated_dir, changes_dir, table_path, before_sha, columns, plan.after, text, today, "csis", out, err)
