"""Load the curated tables as typed, validated pandas frames.

`load_all()` is what notebooks call; `check()` is what `analysis validate` reports.
Every problem is one line: `path:line: column: what is wrong`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import settings
from analysis.data import records, schema
from analysis.data.designations import designation
from analysis.data.files import relative
from analysis.data.records import DataError


def read_raw(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """The CSV as text cells, and the file line each record starts on."""
    header, rows, lines = records.read(path)
    return pd.DataFrame(rows, columns=header, dtype=object), lines


_TYPE_WORDS = {"date": "a date (YYYY-MM-DD)", "number": "a number", "integer": "an integer", "boolean": "true or false"}


def _plain(value):
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value.item() if hasattr(value, "item") else value  # numpy scalars print as np.int64(...) otherwise


def _describe(table: schema.Table, column: str, check: str, value) -> str:
    field = table.field(column)
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        if field.enum:
            if value is None or pd.isna(value):
                return "a value is required"
            return f"{value!r} is not one of: {', '.join(field.enum)}"
        return f"{value!r} is not {_TYPE_WORDS.get(field.type, field.type)}"
    if check == "not_nullable":
        return "a value is required"
    if check == "field_uniqueness":
        return f"duplicate primary key {value!r}"
    value = _plain(value)
    return (
        f"{value!r} is {check}"
        if check.startswith(("before", "in the future", "below", "above"))
        else f"{value!r} {check}"
    )


def _table_frame(table: schema.Table, curated_dir: Path, today: dt.date) -> tuple[pd.DataFrame | None, list[str]]:
    path = curated_dir / table.path
    raw, lines = read_raw(path)
    where = relative(path)
    missing = [c for c in table.columns if c not in raw.columns]
    extra = [c for c in raw.columns if c not in table.columns]
    problems = [f"{where}:1: missing required column {c!r}" for c in missing]
    problems += [f"{where}:1: unexpected column {c!r} (not in datapackage.json)" for c in extra]
    if problems:
        return None, problems
    prepared, refused = schema.prepare(table, raw)
    problems += [f"{where}:{lines[i]}: {col}: {problem}" for col, i, problem in sorted(refused, key=lambda r: r[1])]
    try:
        df = schema.pandera_schema(table, today).validate(prepared, lazy=True)
    except pa.errors.SchemaErrors as e:
        cases = e.failure_cases.drop_duplicates(subset=["column", "index"])
        # A refused cell is null now: its "a value is required" would be a second, wrong line.
        said = pd.Series([(c, i) for c, i, _ in refused], dtype=object)
        cases = cases[~pd.Series(list(zip(cases["column"], cases["index"])), index=cases.index).isin(said)]
        # A column that failed to parse also fails its range checks as a whole: report the parse errors only.
        unparsed = set(
            cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype") & cases["index"].notna(), "column"]
        )
        cases = cases[~(cases["column"].isin(unparsed) & cases["index"].isna())].sort_values(
            "index", na_position="first"
        )
        # A key of several columns fails once per column: report it once per row.
        key = cases["check"].astype(str) == "multiple_fields_uniqueness"
        for i in cases.loc[key, "index"].drop_duplicates():
            values = ", ".join(repr(_plain(raw.at[int(i), c])) for c in table.primary_key)
            problems.append(f"{where}:{lines[int(i)]}: {'+'.join(table.primary_key)}: duplicate primary key ({values})")
        for case in cases[~key].itertuples():
            line = lines[int(case.index)] if case.index is not None and not pd.isna(case.index) else 1
            problems.append(
                f"{where}:{line}: {case.column}: {_describe(table, case.column, str(case.check), case.failure_case)}"
            )
        return None, problems
    if problems:
        return None, problems
    df.attrs["lines"] = lines
    return df[table.columns], problems


def _row_problems(name: str, df: pd.DataFrame, where: str) -> list[str]:
    """Rules across the columns of one row."""
    lines = df.attrs["lines"]
    out = []
    pairs = {"diplomatic_events": ("start_date", "end_date"), "nuclear_tests": ("yield_kt_low", "yield_kt_high")}
    if name in pairs:
        lo, hi = pairs[name]
        for i in df.index[df[hi] < df[lo]]:
            out.append(f"{where}:{lines[i]}: {hi}: {_plain(df.at[i, hi])} is before/below {lo} {_plain(df.at[i, lo])}")
    if "date_kst" in df and "date_utc" in df:
        gap = (df["date_kst"] - df["date_utc"]).dt.days
        for i in df.index[(gap < 0) | (gap > 1)]:
            out.append(f"{where}:{lines[i]}: date_kst: must be the UTC date or the day after")
    if name == "sanctions":
        for i in df.index[(df["action"] == "adopted") & df["resolution"].isna()]:
            out.append(f"{where}:{lines[i]}: resolution: an adopted resolution needs its number")
    if name == "diplomatic_events":
        for i in df.index[df["signed"] != df["document"].notna()]:
            need = "a signed document needs its name" if df.at[i, "signed"] else "must be empty when signed is false"
            out.append(f"{where}:{lines[i]}: document: {need}")
    if name == "missile_tests":
        got, expected = df["designation"].fillna(""), df["missile_name"].map(designation)
        for i in df.index[got != expected]:
            out.append(
                f"{where}:{lines[i]}: designation: {got[i]!r} should be {expected[i]!r}, "
                f"the designation of missile_name {df.at[i, 'missile_name']!r}"
            )
    return out


def _reference_problems(
    tables: dict[str, schema.Table], frames: dict[str, pd.DataFrame], curated_dir: Path
) -> list[str]:
    """Foreign keys, single-valued (datapackage foreignKeys) and inside semicolon lists (x-list-references)."""
    out = []
    for name, df in frames.items():
        t = tables[name]
        where = relative(curated_dir / t.path)
        refs = [(fld, f"{res}.{col}") for fld, res, col in t.foreign_keys]
        refs += [(f.name, f.list_references) for f in t.fields if f.list_references]
        for fld, targets in refs:
            allowed, names = set(), []
            for target in targets.split("|"):
                res, col = target.split(".")
                if res not in frames:
                    break
                allowed |= set(frames[res][col].dropna().astype(str))
                names.append(f"{col} in {tables[res].path}")
            else:
                for i, cell in df[fld].items():
                    if cell is None or pd.isna(cell):
                        continue
                    for item in re.split(r";", str(cell)):
                        if item not in allowed:
                            out.append(f"{where}:{df.attrs['lines'][i]}: {fld}: {item!r} is not a {' or '.join(names)}")
    return out


def check(curated_dir: Path | None = None, today: dt.date | None = None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every table that validates, and one line per problem found anywhere."""
    curated_dir = Path(curated_dir or settings.CURATED_DIR)
    datapackage = curated_dir / "datapackage.json"
    try:
        tables = schema.tables(datapackage)
    except (OSError, ValueError, KeyError) as e:
        return {}, [f"{relative(datapackage)}: cannot read the data package: {e}"]
    frames, problems = {}, []
    for name, table in tables.items():
        try:
            df, found = _table_frame(table, curated_dir, today or dt.date.today())
        except DataError as e:
            problems.append(str(e))
            continue
        if df is not None:
            found += _row_problems(name, df, relative(curated_dir / table.path))
        problems += found
        if not found:
            frames[name] = df
    problems += _reference_problems(tables, frames, curated_dir)
    return frames, problems


def load_all(curated_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every curated table, typed and validated; raises DataError listing the problems."""
    frames, problems = check(curated_dir)
    if problems:
        raise DataError("\n".join(problems))
    for df in frames.values():
        df.attrs.pop("lines", None)
    return frames


def load(name: str, curated_dir: Path | None = None) -> pd.DataFrame:
    """One curated table (validated together with the tables it references)."""
    frames = load_all(curated_dir)
    if name not in frames:
        raise KeyError(f"no curated table {name!r}; tables: {', '.join(frames)}")
    return frames[name]
