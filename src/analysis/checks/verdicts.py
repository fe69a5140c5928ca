"""Dated, living verdicts: the log of every change of a claim's verdict or key figures (`data/changes/verdicts.csv`).

Each verdict holds "as of" the last date the tables its check reads cover. `pending()` compares the ledger with
the log's latest row per claim and setting; `record()` appends a row for each difference, so the log says since
when a verdict has held and what it was before. Only the verdict and the key figures count as a change: a table
that merely grows (a later "as of") is not one.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from analysis import settings
from analysis.checks import claims
from analysis.data import fingerprint
from analysis.data import load as data
from analysis.data.files import relative, write_atomic
from analysis.data.textsafety import has_controls, one_line

COLUMNS = [
    "date",
    "data_version",
    "claim_id",
    "setting",
    "as_of",
    "old_verdict",
    "new_verdict",
    "key_figures",
    "reason",
]
SETTINGS = {True: "cns_threshold_only", False: "all_launches"}
RECORD_COMMAND = "analysis verdicts record --reason '<what changed in the data>'"


def log_path() -> Path:
    return settings.CHANGES_DIR / "verdicts.csv"


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)


def figures_json(figures: dict) -> str:
    """The key figures as canonical JSON (sorted keys), the form the log stores and compares."""
    return json.dumps(figures, sort_keys=True, ensure_ascii=False, default=_plain)


def table_end(frames: dict[str, pd.DataFrame], name: str) -> pd.Timestamp | None:
    """The last date a table covers: its latest date, or the end of its latest year for the yearly economy table."""
    df = frames.get(name)
    if df is None or df.empty:
        return None
    if name == "economy":
        return pd.Timestamp(f"{int(df['year'].max())}-12-31")
    column = fingerprint.DATED_BY.get(name)
    return pd.Timestamp(df[column].max()) if column else None


def as_of(frames: dict[str, pd.DataFrame], tables: str | None) -> pd.Timestamp | None:
    """The date a claim's verdict holds as of: the latest date covered by the tables its check reads."""
    ends = [table_end(frames, t) for t in str(tables).split(";")] if isinstance(tables, str) and tables else []
    ends = [e for e in ends if e is not None]
    return max(ends) if ends else None


def current(frames: dict[str, pd.DataFrame], ledger: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim and setting: claim_id, setting, verdict, key_figures (JSON), as_of (ISO date or empty)."""
    ledger = claims.ledger(frames) if ledger is None else ledger
    out = []
    for row in ledger.itertuples():
        when = as_of(frames, row.tables)
        for cns, setting in SETTINGS.items():
            v = row.result if cns else row.result_all_launches
            out.append(
                {
                    "claim_id": row.claim_id,
                    "setting": setting,
                    "verdict": v.verdict,
                    "key_figures": figures_json(v.key_figures()),
                    "as_of": f"{when:%Y-%m-%d}" if when is not None else "",
                }
            )
    return pd.DataFrame(out, columns=["claim_id", "setting", "verdict", "key_figures", "as_of"])


def load(path: Path | None = None) -> pd.DataFrame:
    """The log (empty when there is none yet); a malformed file raises DataError naming it."""
    path = Path(path or log_path())
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS, dtype=str)
    raw, lines = data.read_raw(path)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise data.DataError(f"{relative(path)}:1: missing column(s) {', '.join(missing)}")
    bad = [
        (lines[i], raw.at[i, "date"])
        for i in raw.index
        if pd.isna(pd.to_datetime(raw.at[i, "date"], format="%Y-%m-%d", errors="coerce"))
    ]
    if bad:
        raise data.DataError(f"{relative(path)}:{bad[0][0]}: date: {bad[0][1]!r} is not a date (YYYY-MM-DD)")
    return raw[COLUMNS]


def latest(log: pd.DataFrame) -> pd.DataFrame:
    """The log's last row per claim and setting."""
    return log.groupby(["claim_id", "setting"], sort=False).tail(1).set_index(["claim_id", "setting"])


def pending(
    frames: dict[str, pd.DataFrame] | None = None, log: pd.DataFrame | None = None, ledger: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The claims whose verdict or key figures differ from the log's latest row (or that the log lacks):
    claim_id, setting, old_verdict, new_verdict, old_figures, key_figures, as_of."""
    frames = data.load_all() if frames is None else frames
    now = current(frames, ledger)
    last = latest(load() if log is None else log)
    out = []
    for r in now.itertuples():
        prev = last.loc[(r.claim_id, r.setting)] if (r.claim_id, r.setting) in last.index else None
        if prev is None or prev["new_verdict"] != r.verdict or prev["key_figures"] != r.key_figures:
            out.append(
                {
                    "claim_id": r.claim_id,
                    "setting": r.setting,
                    "old_verdict": "" if prev is None else prev["new_verdict"],
                    "new_verdict": r.verdict,
                    "old_figures": "" if prev is None else prev["key_figures"],
                    "key_figures": r.key_figures,
                    "as_of": r.as_of,
                }
            )
    return pd.DataFrame(
        out, columns=["claim_id", "setting", "old_verdict", "new_verdict", "old_figures", "key_figures", "as_of"]
    )


def describe(change) -> str:
    """One change in a few words: the verdict's move, or which figures moved."""
    if not change.old_verdict:
        return f"{change.claim_id} ({change.setting}): not in the log yet ({change.new_verdict})"
    if change.old_verdict != change.new_verdict:
        return f"{change.claim_id} ({change.setting}): verdict {change.old_verdict} -> {change.new_verdict}"
    old, new = json.loads(change.old_figures or "{}"), json.loads(change.key_figures)
    moved = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    return f"{change.claim_id} ({change.setting}): key figures changed ({'; '.join(moved[:3])}{'; ...' if len(moved) > 3 else ''})"


def message(changes: pd.DataFrame) -> str:
    """The one line a test fails with while the log is behind the data."""
    first = describe(next(changes.itertuples()))
    more = f" and {len(changes) - 1} more" if len(changes) > 1 else ""
    return f"{relative(log_path())} is behind the data: {first}{more}; record it with: {RECORD_COMMAND}"


class ReasonError(ValueError):
    """A --reason the log cannot take."""


def check_reason(reason: str) -> None:
    if not reason.strip():
        raise ReasonError("--reason: say what changed in the data (it is logged with the verdicts)")
    if has_controls(reason):
        raise ReasonError("--reason: control characters (terminal escapes) are not logged; retype it as plain text")


def record(
    reason: str,
    frames: dict[str, pd.DataFrame] | None = None,
    path: Path | None = None,
    today: dt.date | None = None,
    changes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Append one row per pending change (written atomically); returns the rows added (none if up to date).
    `changes` is `pending()`'s answer when the caller already has it."""
    check_reason(reason)
    path = Path(path or log_path())
    log = load(path)
    changes = pending(frames, log) if changes is None else changes
    if changes.empty:
        return changes.assign(date=[], data_version=[], reason=[])[COLUMNS]
    added = changes.assign(
        date=(today or dt.date.today()).isoformat(), data_version=fingerprint.data_version(), reason=reason.strip()
    )[COLUMNS]
    write_atomic(path, pd.concat([log, added], ignore_index=True).to_csv(index=False, lineterminator="\n"))
    return added


def history(claim_id: str, setting: str = SETTINGS[True], log: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every logged row for one claim under one setting, oldest first."""
    log = load() if log is None else log
    return log[(log["claim_id"] == claim_id) & (log["setting"] == setting)].reset_index(drop=True)


def since(claim_id: str, setting: str = SETTINGS[True], log: pd.DataFrame | None = None) -> str | None:
    """The date (ISO) from which the claim's current verdict has held: the first row of its latest run of one verdict."""
    rows = history(claim_id, setting, log)
    if rows.empty:
        return None
    verdict = rows["new_verdict"].iloc[-1]
    changed = rows.index[rows["new_verdict"] != verdict]
    start = changed.max() + 1 if len(changed) else 0
    return rows.at[start, "date"]


def periods(
    claim_id: str, setting: str = SETTINGS[True], log: pd.DataFrame | None = None
) -> list[tuple[str, str, str | None]]:
    """The claim's verdicts in turn: (verdict, from date, to date or None for the current one)."""
    rows = history(claim_id, setting, log)
    runs = rows[rows["new_verdict"] != rows["new_verdict"].shift()]
    starts = list(runs["date"])
    return [
        (v, d, starts[i + 1] if i + 1 < len(starts) else None)
        for i, (v, d) in enumerate(zip(runs["new_verdict"], starts))
    ]


def dates(claim_id: str, setting: str = SETTINGS[True], log: pd.DataFrame | None = None) -> tuple[str, str] | None:
    """(first logged, last changed) for the ClaimReview's datePublished and dateModified; None when not logged."""
    rows = history(claim_id, setting, log)
    return (rows["date"].iloc[0], rows["date"].iloc[-1]) if len(rows) else None


def main_record(reason: str, dry_run: bool = False, after: str = "", claims: list[str] | None = None) -> int:
    """`analysis verdicts record`: print each change, append it to the log unless dry_run. Exit 1: the log or
    the data cannot be read as data; 2: a bad --reason or a file that cannot be read or written. `after` says
    what was already done when this runs after a refresh; `claims` keeps only those claims' changes."""
    done = f"{after}; " if after else ""
    try:
        if not dry_run:
            check_reason(reason)
        changes = pending()
        if claims:
            changes = changes[changes["claim_id"].isin(claims)]
        if changes.empty:
            print(f"{relative(log_path())}: up to date with the data ({fingerprint.data_version()})")
            return 0
        for change in changes.itertuples():
            print(describe(change))
        if not dry_run:
            added = record(reason, changes=changes)
            print(f"{relative(log_path())}: {len(added)} row(s) recorded")
    except ReasonError as e:
        print(one_line(f"error: {done}{e}"), file=sys.stderr)
        return 2
    except OSError as e:
        print(
            one_line(
                f"error: {done}cannot use {e.filename or relative(log_path())}: {e.strerror or e}; "
                f"nothing recorded; once fixed, run: {RECORD_COMMAND}"
            ),
            file=sys.stderr,
        )
        return 2
    except (data.DataError, ValueError) as e:
        print(one_line(f"error: {done}{e}"), file=sys.stderr)
        return 1
    return 0


def main_check() -> int:
    """`analysis verdicts check`: exit 1 with the one-line message while the log is behind the data."""
    try:
        changes = pending()
    except data.DataError as e:
        print(one_line(f"error: {e}"))
        return 1
    except OSError as e:
        print(one_line(f"error: cannot read {e.filename or 'a file'}: {e.strerror or e}"), file=sys.stderr)
        return 2
    if len(changes):
        print(message(changes))
        return 1
    print(f"{relative(log_path())}: up to date with the data ({fingerprint.data_version()})")
    return 0
