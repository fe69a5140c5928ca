"""`analysis refresh cns PATH`: bring missile_tests.csv up to date from a new CNS release, and report what changed.

The merge keeps the project's own work:
* only `origin = cns` rows are matched and updated; `origin = csis` rows are never changed or removed;
* a matched row takes CNS's new values for the fields CNS owns (UPDATABLE), never the project's columns
  (ids, dates, class_basis, cns_threshold, origin, source_ids, note); `missile_class` only when
  `class_basis = cns`;
* a row with a `note` is a corrected row: its date and time fields never change (upstream differences are
  reported as "kept (correction)");
* an upstream blank or 'Unknown' never erases a value the table has;
* a table row missing upstream is reported, not deleted.

Upstream rows carry no stable id, so they are matched the way missile_id is formed: by UTC date and order
within the date (tolerating CNS's local-date rows: a second pass matches on date_kst, a third pass matches a
month-only row to the same month). Unmatched upstream rows become new rows with the next free missile_id of
their date, unless the table already covers that date from the CSIS record (`needs review`).

The change report (added, changed field by field, kept, missing upstream) is printed and, when the table
changes, written to data/changes/<today>-cns.md. The new table is validated with the rest of the data package
in a scratch copy first; then the change report is written, then the table (see `refresh()` for what a kill at
any point leaves behind).
"""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import hashlib
import io
import math
import os
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from analysis import settings
from analysis.data import cns, load, schema
from analysis.data.designations import designation
from analysis.data.files import relative, write_atomic
from analysis.data.textsafety import is_formula, one_line

TABLE = "missile_tests"
SOURCE_ID = "cns-nkmtd"
# The fields CNS owns on a matched row, in report order (missile_class only when class_basis = cns).
UPDATABLE = (
    "time_utc",
    "missile_name",
    "missile_class",
    "facility",
    "latitude",
    "longitude",
    "apogee_km",
    "distance_km",
    "outcome",
    "confirmed",
)
NUMBERS = ("latitude", "longitude", "apogee_km", "distance_km")
# What the table writes for "not known" in its required text fields.
UNKNOWN = {"missile_name": "Unknown", "facility": "unknown", "outcome": "unknown"}


class RefreshError(ValueError):
    """The curated table cannot be refreshed; one line."""


class Busy(RefreshError):
    """Another refresh holds the lock, or the table changed since this one read it (exit 2, not a data finding)."""


# Exit codes: 1 a refusal about the data (release, table, validation); 2 an environment problem (OSError, Busy).
REFUSED, ENVIRONMENT = 1, 2
LOCK_NAME = ".refresh.lock"


# ---------------------------------------------------------------- values as the table writes them


def fmt(value) -> str:
    """A value as missile_tests.csv writes it: ISO dates, true/false, floats as repr (200.0, 40.8499966)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def same(field: str, old: str, new: str) -> bool:
    """Equal after normalisation: numbers compare as numbers ('90' == '90.0'), text as text."""
    if field in NUMBERS and old and new:
        try:
            return math.isclose(float(old), float(new), rel_tol=0, abs_tol=1e-9)
        except ValueError:
            return old == new
    return old == new


def kst(date_utc: dt.date, time_utc: str) -> dt.date:
    h, m = map(int, time_utc.split(":"))
    moment = dt.datetime.combine(date_utc, dt.time(h, m)) + dt.timedelta(hours=settings.KST_OFFSET_HOURS)
    return moment.date()


def upstream_values(launch: cns.Launch) -> dict[str, str]:
    """The UPDATABLE fields of an upstream row as table text; '' where CNS gives no value."""
    return {
        "time_utc": fmt(launch.time_utc),
        "missile_name": "" if launch.missile_name.strip().lower() in cns.NO_VALUE else launch.missile_name,
        "missile_class": fmt(launch.missile_type),
        "facility": fmt(launch.facility),
        "latitude": fmt(launch.latitude),
        "longitude": fmt(launch.longitude),
        "apogee_km": fmt(launch.apogee_km),
        "distance_km": fmt(launch.distance_km),
        "outcome": "" if launch.outcome == "unknown" else launch.outcome,
        "confirmed": fmt(launch.confirmed),
    }


def new_row(launch: cns.Launch, missile_id: str, columns: list[str]) -> dict[str, str]:
    date = launch.date
    if launch.precision == "month":
        date_kst, basis = date, "month_only"
    elif launch.time_utc:
        date_kst, basis = kst(date, launch.time_utc), "utc_time"
    else:
        date_kst, basis = date, "assumed_same"
    values = upstream_values(launch)
    row = {
        **{c: "" for c in columns},
        **values,
        "missile_id": missile_id,
        "launch_id": f"L{date.isoformat()}",
        "date_utc": date.isoformat(),
        "date_precision": launch.precision,
        "date_kst": date_kst.isoformat(),
        "date_kst_basis": basis,
        "missile_class": launch.missile_class,
        "class_basis": launch.class_basis,
        "cns_threshold": "true",
        "origin": "cns",
        "source_ids": SOURCE_ID,
        "note": "",
    }
    for f, unknown in UNKNOWN.items():
        row[f] = row[f] or unknown
    row["designation"] = designation(row["missile_name"])
    return row


# ---------------------------------------------------------------- matching


def _key_values(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row.get(f, "") for f in ("time_utc", "missile_name", "missile_class", "apogee_km", "distance_km"))


def _cost(launch: cns.Launch, row: dict[str, str]) -> int:
    up = upstream_values(launch)
    up["missile_class"] = launch.missile_class
    return sum(
        not same(f, a, b)
        for f, a, b in zip(
            ("time_utc", "missile_name", "missile_class", "apogee_km", "distance_km"), _key_values(up), _key_values(row)
        )
    )


def align(launches: list[cns.Launch], rows: list[dict[str, str]]) -> list[tuple[int, int]]:
    """Pairs (launch index, row index) in order within one date. Same count: by position (the missile_id
    order). Otherwise the order-preserving pairing of as many rows as possible that differs least, the
    extra rows left over being the last ones when everything else is equal."""
    n, m = len(launches), len(rows)
    if n == m:
        return list(zip(range(n), range(m)))
    inf = float("inf")
    dp = [[inf] * (m + 1) for _ in range(n + 1)]
    dp[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            if i and j and dp[i - 1][j - 1] < inf:
                dp[i][j] = min(dp[i][j], dp[i - 1][j - 1] + _cost(launches[i - 1], rows[j - 1]))
            if i and n > m and dp[i - 1][j] < inf:  # skip an upstream row (a new launch)
                dp[i][j] = min(dp[i][j], dp[i - 1][j])
            if j and m > n and dp[i][j - 1] < inf:  # skip a table row (missing upstream)
                dp[i][j] = min(dp[i][j], dp[i][j - 1])
    pairs, i, j = [], n, m
    while i and j:
        if n > m and dp[i - 1][j] == dp[i][j]:  # on ties the leftover is the later row
            i -= 1
        elif m > n and dp[i][j - 1] == dp[i][j]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
    return pairs[::-1]


# Matching passes: (name, key of an upstream row, key of a table row); None = not eligible.
PASSES = (
    ("utc", lambda l: (l.date.isoformat(), l.precision), lambda r: (r["date_utc"], r["date_precision"])),
    (
        "kst",
        lambda l: l.date.isoformat() if l.precision == "day" else None,
        lambda r: r["date_kst"] if r["date_precision"] == "day" and r["date_kst"] != r["date_utc"] else None,
    ),
    (
        "month",
        lambda l: l.date.isoformat()[:7],
        lambda r: r["date_utc"][:7] if r["date_precision"] == "month" else None,
    ),
)


def match(
    launches: list[cns.Launch], rows: list[dict[str, str]], logged: dict[str, str] | None = None
) -> list[tuple[int, int, str]]:
    """(launch index, row index, pass name) for every pair; only origin = cns rows take part. A row whose date
    the corrections log records as a known upstream error (`logged`: missile_id -> the upstream date) is matched
    under that date first."""
    logged = logged or {}
    first = (
        "log",
        PASSES[0][1],
        lambda r: (logged[r["missile_id"]], r["date_precision"]) if r["missile_id"] in logged else None,
    )
    free_l = set(range(len(launches)))
    free_r = {i for i, r in enumerate(rows) if r["origin"] == "cns"}
    out = []
    for name, key_l, key_r in (first, *PASSES):
        groups_l, groups_r = defaultdict(list), defaultdict(list)
        for i in sorted(free_l):
            if (k := key_l(launches[i])) is not None:
                groups_l[k].append(i)
        for j in sorted(free_r, key=lambda j: rows[j]["missile_id"]):
            if (k := key_r(rows[j])) is not None:
                groups_r[k].append(j)
        for k, ls in groups_l.items():
            rs = groups_r.get(k, [])
            for a, b in align([launches[i] for i in ls], [rows[j] for j in rs]):
                out.append((ls[a], rs[b], name))
                free_l.discard(ls[a])
                free_r.discard(rs[b])
    return out


# ---------------------------------------------------------------- the plan


@dataclass
class Kept:
    missile_id: str
    field: str
    current: str
    upstream: str
    reason: str


@dataclass
class Plan:
    columns: list[str]
    before: list[dict[str, str]]
    after: list[dict[str, str]]
    launches: list[cns.Launch]
    reference: str = "cns-csv"  # the corrections log's name for this kind of release
    added: list[dict[str, str]] = field(default_factory=list)
    changed: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # missile_id -> (field, old, new)
    kept: list[Kept] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    not_covered: list[dict[str, str]] = field(default_factory=list)  # cns rows after the release's last date
    review: list[tuple[cns.Launch, list[str]]] = field(default_factory=list)
    logged_out: list[tuple[cns.Launch, str]] = field(default_factory=list)  # launches the log keeps out
    upstream_moved: list[Kept] = field(default_factory=list)  # upstream changed a value the log corrects
    unexplained: list[str] = field(default_factory=list)  # the audit of the new table against this release

    @property
    def changes_table(self) -> bool:
        return bool(self.added or self.changed)


def _why(explained: str) -> str:
    """The audit's 'explained (log: reason)' as 'log: reason'."""
    return explained.removeprefix("explained (").removesuffix(")")


def _update(row: dict[str, str], launch: cns.Launch, how: str, plan: Plan, log) -> None:
    """Take CNS's new values for the fields it owns, except where the corrections log (or the row's note) explains
    the upstream value as a known error: then the table's value stays, and an upstream value that differs from the
    one the log records is held for review."""
    mid, noted = row["missile_id"], bool(row["note"].strip())
    changes: list[tuple[str, str, str]] = []
    up = upstream_values(launch)

    def keep(f, upstream, reason):
        plan.kept.append(Kept(mid, f, row[f], upstream, reason))

    if how != "utc":
        reason = (
            _why(log.explain(plan.reference, row, mid, "date_utc", fmt(launch.date)))
            if how == "log"
            else "correction"
            if noted
            else "matched on the KST date: CNS gives the local date"
            if how == "kst"
            else "CNS now gives the day of a month-only row: change it by hand (ids follow the date)"
        )
        keep("date_utc", fmt(launch.date) + (" (month only)" if launch.precision == "month" else ""), reason)
    for f in UPDATABLE:
        old, new = row[f], up[f]
        if f == "missile_class" and row["class_basis"] != "cns":
            if new and new != old:
                keep(f, new, f"class_basis is {row['class_basis']}: the project's class stays")
            continue
        if same(f, old, new):
            continue
        if not new:
            if old and old != UNKNOWN.get(f):
                keep(f, "(none)", "CNS gives no value")
            continue
        if explained := log.explain(plan.reference, row, mid, f, new):
            keep(f, new, _why(explained))
            continue
        if (logged := log.logged_value(plan.reference, row, f)) is not None:
            moved = Kept(mid, f, old, new, f"upstream now says {new}; the log says {logged}; review")
            plan.kept.append(moved)
            plan.upstream_moved.append(moved)
            continue
        if f == "time_utc" and noted:
            keep(f, new, "correction")
            continue
        changes.append((f, old, new))
        row[f] = new
        if f == "missile_name" and (value := designation(new)) != row["designation"]:
            changes.append(("designation", row["designation"], value))
            row["designation"] = value
        if f == "time_utc" and row["date_kst_basis"] != "month_only":
            date_kst = kst(dt.date.fromisoformat(row["date_utc"]), new).isoformat()
            for g, value in (("date_kst", date_kst), ("date_kst_basis", "utc_time")):
                if row[g] != value:
                    changes.append((g, row[g], value))
                    row[g] = value
    if changes:
        plan.changed[mid] = changes


def make_plan(
    launches: list[cns.Launch],
    columns: list[str],
    rows: list[dict[str, str]],
    log_entries: list | None = None,
    reference: str = "cns-csv",
) -> Plan:
    """What the refresh would do, reading the corrections log (audit.Entry rows) as the audit does; touches
    nothing on disk."""
    from analysis.data import audit

    after = [dict(r) for r in rows]
    plan = Plan(columns, rows, after, launches, reference)
    log = audit.Audit(rows, log_entries or [])
    logged = {r["missile_id"]: d for r in rows if (d := log.logged_value(reference, r, "date_utc"))}
    pairs = match(launches, after, logged)
    for li, ri, how in pairs:
        _update(after[ri], launches[li], how, plan, log)

    matched_l = {li for li, _, _ in pairs}
    matched_r = {ri for _, ri, _ in pairs}
    last = max(l.date for l in launches).isoformat()
    for j, r in enumerate(after):
        if r["origin"] == "cns" and j not in matched_r:
            (plan.not_covered if r["date_utc"] > last else plan.missing).append(r)

    covered_by_csis = defaultdict(list)  # dates the table holds from CSIS, inside CNS's criterion
    for r in after:
        if r["origin"] == "csis" and r["cns_threshold"] == "true":
            for d in {r["date_utc"], r["date_kst"]}:
                covered_by_csis[d].append(r["missile_id"])
    used = defaultdict(set)
    for r in after:
        used[r["date_utc"]].add(int(r["missile_id"][-2:]))
    for i, launch in enumerate(launches):
        if i in matched_l:
            continue
        d = launch.date.isoformat()
        if why := log.explain(reference, None, d, "launch", ""):
            plan.logged_out.append((launch, _why(why)))
            continue
        if launch.precision == "day" and covered_by_csis.get(d):
            plan.review.append((launch, covered_by_csis[d]))
            continue
        nn = max(used[d], default=0) + 1
        if nn > 99:
            raise RefreshError(f"{d}: more than 99 missiles on one date; missile_id has two digits")
        used[d].add(nn)
        plan.added.append(new_row(launch, f"M{d.replace('-', '')}-{nn:02d}", columns))
    for r in plan.added:  # the table is in missile_id order; keep it so
        pos = next((k for k, old in enumerate(after) if old["missile_id"] > r["missile_id"]), len(after))
        after.insert(pos, r)
    return plan


def audit_plan(plan: Plan, path: Path, log_entries: list) -> None:
    """Audit the new table against the release it came from, as `analysis audit` would: the disagreements
    neither the corrections log nor a row's note explains go to plan.unexplained."""
    from analysis.data import audit

    check = audit.Audit(plan.after, log_entries)
    check.cns(plan.reference, audit.read_cns_table(path))
    plan.unexplained = [f.line() for f in check.findings if not f.explained_by]


# ---------------------------------------------------------------- the report


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def cell(value: str) -> str:
    return (value or "—").replace("|", "\\|")


def rerender_note(dry_run: bool) -> list[str]:
    return [
        "",
        "Reports built on the curated data are re-rendered by the next `make reports` "
        f"(the curated data hash {'would change' if dry_run else 'changes'} with this table).",
    ]


def section(title: str, items: list[str], intro: str, empty: str = "None.") -> list[str]:
    """A report section: '## Title (n)', then the intro and one bullet per item, or `empty`."""
    body = [intro, "", *(f"- {i}" for i in items)] if items else [empty]
    return ["", f"## {title} ({len(items)})", "", *body]


ADDED_COLUMNS = (
    "missile_id",
    "date_utc",
    "time_utc",
    "date_kst",
    "missile_name",
    "missile_class",
    "class_basis",
    "facility",
    "apogee_km",
    "distance_km",
    "outcome",
    "confirmed",
)


@cache
def _report_template():
    import jinja2  # only a refresh that reports needs it

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(settings.PACKAGE_DIR / "templates"),
        autoescape=False,  # Markdown: `cell` escapes the table's pipes
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(cell=cell, plural=_n)
    return env.get_template("changes/cns_refresh.md.j2")


def change_report(plan: Plan, source: Path, table: Path, today: dt.date, *, dry_run: bool) -> str:
    """The refresh's change report for data/changes/, in Markdown."""
    dates = [launch.date for launch in plan.launches]
    return _report_template().render(
        plan=plan,
        source=relative(source),
        table=relative(table),
        today=today.isoformat(),
        dry_run=dry_run,
        digest=hashlib.sha256(cns.read_limited(Path(source))).hexdigest()[:12],
        first=min(dates),
        last=max(dates),
        n_changes=sum(len(v) for v in plan.changed.values()),
        columns=ADDED_COLUMNS,
        source_id=SOURCE_ID,
        rerender_note=rerender_note(dry_run)[-1],
    )


# ---------------------------------------------------------------- files


def read_table(path: Path, content: bytes | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """The table's header and rows (from `content` when the caller has read its bytes)."""
    try:
        content = path.read_bytes() if content is None else content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise RefreshError(f"{relative(path)}: cannot read the table: {e}") from None
    if not rows:
        raise RefreshError(f"{relative(path)}: the table is empty")
    header = rows[0]
    return header, [dict(zip(header, r)) for r in rows[1:]]


def table_bytes(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    """The CSV as the project writes it (csv module defaults: minimal quoting, CRLF), UTF-8."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows([r[c] for c in columns] for r in rows)
    return buf.getvalue().encode("utf-8")


def report_path(changes_dir: Path, today: dt.date, source: str = "cns") -> Path:
    """data/changes/<date>-<source>.md, numbered when a report of that day exists."""
    path = changes_dir / f"{today.isoformat()}-{source}.md"
    n = 2
    while path.exists():
        path = changes_dir / f"{today.isoformat()}-{source}-{n}.md"
        n += 1
    return path


# The last line of every change report: which table it changed, from what to what (sha256 of the bytes).
_STAMP = re.compile(r"<!-- refresh of (\S+): before sha256:(\w+) after sha256:(\w+) -->")


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stamp(table_path: Path, before_sha: str, after: bytes) -> str:
    return f"\n<!-- refresh of {relative(table_path)}: before sha256:{before_sha} after sha256:{_sha(after)} -->\n"


def unfinished(changes_dir: Path, table_path: Path) -> list[tuple[Path, str]]:
    """Change reports whose refresh did not finish: the report was written, the table still holds the bytes
    from before it. Returns (report, sha256 the table should have had)."""
    if not changes_dir.is_dir() or not table_path.is_file():
        return []
    current, name = _sha(table_path.read_bytes()), relative(table_path)
    out = []
    for path in sorted(changes_dir.glob("*.md")):  # every refresh's reports (cns, csis)
        m = _STAMP.search(path.read_text(encoding="utf-8", errors="replace"))
        if m and m[1] == name and m[2] == current and m[3] != current:
            out.append((path, m[3]))
    return out


def unfinished_problems(curated_dir: Path, changes_dir: Path = settings.CHANGES_DIR) -> list[str]:
    """One line per change report of an unfinished refresh (for `analysis validate`)."""
    table = curated_dir / schema.tables(curated_dir / "datapackage.json")[TABLE].path
    return [
        f"{relative(report)}: records a refresh whose table was never written; "
        "run `analysis refresh cns` with that release again to finish it"
        for report, _ in unfinished(changes_dir, table)
    ]


def validate_staged(curated_dir: Path, table_path: Path, content: bytes, today: dt.date) -> list[str]:
    """Validate the data package as it would be with the new table, in a scratch copy: the real table is
    replaced only once it is known to be good."""
    with tempfile.TemporaryDirectory(prefix="refresh-") as tmp:
        staged = Path(tmp) / "curated"
        shutil.copytree(curated_dir, staged)
        (staged / table_path.relative_to(curated_dir)).write_bytes(content)
        _, problems = load.check(staged, today)
        return [p.replace(str(staged), relative(curated_dir)) for p in problems]


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
    """Read the release, merge, report; validate the new table, write the change report, then the table.

    A run killed at any point leaves the old table, or the new table with its report. A run killed between
    the two leaves a report whose stamp says the table was never written (`unfinished()`); running the same
    release again finishes it, with that report. Returns the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    curated_dir = Path(curated_dir or settings.CURATED_DIR)
    changes_dir = Path(changes_dir or settings.CHANGES_DIR)
    today = today or dt.date.today()
    try:
        launches = cns.read(Path(path))
        refuse_formulas(Path(path), launches)
        table_path, columns, rows, before_sha = open_table(curated_dir, today)
        entries = corrections_log(curated_dir)
        plan = make_plan(launches, columns, rows, entries, audit_kind(path))
        audit_plan(plan, Path(path), entries)
        text = change_report(plan, Path(path), table_path, today, dry_run=dry_run)
    except (cns.CnsError, RefreshError) as e:
        print(one_line(f"error: {e}; nothing changed"), file=err)
        return REFUSED
    except OSError as e:
        print(one_line(f"error: {os_error(e)}; nothing changed"), file=err)
        return ENVIRONMENT
    print_report(text, out)
    if dry_run:
        print("\ndry run: nothing written", file=out)
        return 1 if plan.unexplained else 0
    if plan.unexplained:
        print(
            one_line(
                f"error: the refreshed table would leave {len(plan.unexplained)} disagreement(s) with this release "
                f"that the corrections log does not explain (first: {plan.unexplained[0]}); nothing written"
            ),
            file=err,
        )
        return 1
    if not plan.changes_table:
        print("\nno changes: the table is up to date; nothing written", file=out)
        return 0
    return write(curated_dir, changes_dir, table_path, before_sha, columns, plan.after, text, today, "cns", out, err)


def print_report(text: str, out) -> None:
    """The change report on the terminal, each line through one_line (no escape sequence reaches it)."""
    print("\n".join(one_line(line) for line in text.split("\n")), file=out, end="")


def os_error(e: OSError) -> str:
    return f"cannot use {e.filename or 'a file'}: {e.strerror or e}"


def refuse_formulas(path: Path, launches: list[cns.Launch]) -> None:
    """A text value a spreadsheet would evaluate (=HYPERLINK(…), +cmd, @SUM …) is refused, not neutralised: the
    table holds upstream's words or nothing."""
    for launch in launches:
        values = upstream_values(launch)
        for column, value in (("Missile Name", values["missile_name"]), ("Facility Name", values["facility"])):
            if is_formula(value):
                raise RefreshError(
                    f"{relative(path)}: row {launch.row}: {column}: {value!r} would be a spreadsheet formula; refused"
                )


@contextmanager
def refresh_lock(changes_dir: Path) -> Iterator[None]:
    """One refresh at a time: an exclusive, non-blocking lock on changes_dir/.refresh.lock (never via a symlink);
    Busy when another refresh holds it, OSError when it cannot be made."""
    changes_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(changes_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"another refresh is writing the curated data ({relative(changes_dir / LOCK_NAME)})") from None
        yield
    finally:
        os.close(fd)


def open_table(curated_dir: Path, today: dt.date) -> tuple[Path, list[str], list[dict[str, str]], str]:
    """The missile table's path, columns, rows and the sha256 of the bytes they were read from, once the data
    package says the curated data are valid."""
    try:
        spec = schema.tables(curated_dir / "datapackage.json")[TABLE]
    except (OSError, ValueError, KeyError) as e:
        raise RefreshError(f"{relative(curated_dir / 'datapackage.json')}: cannot read the data package: {e}") from None
    table_path = curated_dir / spec.path
    try:
        content = table_path.read_bytes()
    except OSError as e:
        raise RefreshError(f"{relative(table_path)}: cannot read the table: {e.strerror}") from None
    columns, rows = read_table(table_path, content)
    if columns != spec.columns:
        raise RefreshError(f"{relative(table_path)}: columns differ from datapackage.json; run `analysis validate`")
    _, problems = load.check(curated_dir, today)
    if problems:
        raise RefreshError(
            f"the curated data do not validate before the refresh ({problems[0]}"
            f"{f' and {len(problems) - 1} more' if len(problems) > 1 else ''}); run `analysis validate`"
        )
    return table_path, columns, rows, _sha(content)


def write(
    curated_dir: Path,
    changes_dir: Path,
    table_path: Path,
    before_sha: str,
    columns: list[str],
    after: list[dict[str, str]],
    text: str,
    today: dt.date,
    source: str,
    out,
    err,
) -> int:
    """Under the refresh lock: validate the new table in a scratch copy, check the table still holds the bytes
    the plan was made from (`before_sha`), write the change report, then the table (a report whose refresh a
    kill interrupted is finished by running the same release again). Returns the exit code."""
    try:
        with refresh_lock(changes_dir):
            return _write_locked(
                curated_dir, changes_dir, table_path, before_sha, columns, after, text, today, source, out, err
            )
    except Busy as e:
        print(one_line(f"error: {e}; {relative(table_path)} is unchanged"), file=err)
    except OSError as e:
        print(one_line(f"error: {os_error(e)}; {relative(table_path)} is unchanged"), file=err)
    return ENVIRONMENT


def _write_locked(
    curated_dir, changes_dir, table_path, before_sha, columns, after, text, today, source, out, err
) -> int:
    content = table_bytes(columns, after)
    pending = unfinished(changes_dir, table_path)
    resumed = next((p for p, sha in pending if sha == _sha(content)), None)
    if pending and resumed is None:
        print(
            f"error: {relative(pending[0][0])} records a refresh that did not finish, from another release; "
            "run that release again to finish it, or delete the report; nothing changed",
            file=err,
        )
        return 1
    problems = validate_staged(curated_dir, table_path, content, today)
    if problems:
        for line in problems:
            print(one_line(line), file=err)
        print(
            f"error: the refreshed table does not validate ({len(problems)} problem(s)); "
            f"{relative(table_path)} is unchanged; nothing written",
            file=err,
        )
        return 1
    if _sha(table_path.read_bytes()) != before_sha:
        raise Busy(f"{relative(table_path)} changed while this refresh ran (another refresh or an edit); run it again")
    target = resumed or write_atomic(
        report_path(changes_dir, today, source), text + stamp(table_path, before_sha, content)
    )
    write_atomic(table_path, content)
    done = "finished the refresh recorded in" if resumed else "and"
    print(f"\nwrote {relative(table_path)} ({len(after)} rows) {done} {relative(target)}; validation ok", file=out)
    return 0


def audit_kind(path: Path) -> str:
    from analysis.data import audit

    return audit.kind(Path(path))


def corrections_log(curated_dir: Path) -> list:
    """The corrections log beside the curated folder (none: an empty log)."""
    from analysis.data import audit

    path = curated_dir.parent / "corrections.csv"
    if not path.exists():
        return []
    _, sources = read_table(curated_dir / "sources.csv")
    try:
        return audit.read_log(path, {s["source_id"] for s in sources})
    except audit.AuditError as e:
        raise RefreshError(str(e)) from None
