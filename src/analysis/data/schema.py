"""The tables' rules, read from the one schema: data/curated/datapackage.json.

The data package is the contract; this module turns each table schema into a pandera
schema (dtypes, vocabularies, keys, ranges) and adds the rules a table schema cannot say
(dates not in the future, end after start, ids inside semicolon-separated lists).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import settings

DATE = "datetime64[us]"
TRUTH = {"true": True, "false": False}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    enum: tuple[str, ...] | None
    constraints: dict
    list_references: str | None

    @property
    def dtype(self):
        if self.enum:
            return pd.CategoricalDtype(list(self.enum))
        # Dates are parsed in prepare(): pandera's date dtype is nanoseconds and fails whole columns past 2262.
        return {"date": None, "number": "float64", "integer": "Int64", "boolean": "boolean"}.get(self.type, str)


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...]  # (field, resource, field)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


@cache
def package(datapackage: Path = settings.DATAPACKAGE) -> dict:
    """datapackage.json, read once per process: the one place that reads it."""
    return json.loads(datapackage.read_text(encoding="utf-8"))


@cache
def vocabulary(table: str, column: str, datapackage: Path = settings.DATAPACKAGE) -> tuple[str, ...]:
    """A column's allowed values, in the data package's order (the one place vocabularies are defined)."""
    return tables(datapackage)[table].field(column).enum


def tables(datapackage: Path) -> dict[str, Table]:
    """Every table the data package describes, in its order."""
    out = {}
    for res in package(datapackage)["resources"]:
        sch = res["schema"]
        fields = tuple(
            Field(
                f["name"],
                f.get("type", "string"),
                f.get("constraints", {}).get("required", False),
                tuple(f["constraints"]["enum"]) if "enum" in f.get("constraints", {}) else None,
                f.get("constraints", {}),
                f.get("x-list-references"),
            )
            for f in sch["fields"]
        )
        fks = tuple(
            (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in sch.get("foreignKeys", [])
        )
        out[res["name"]] = Table(res["name"], res["path"], fields, tuple(sch.get("primaryKey", [])), fks)
    return out


def _checks(field: Field, today: dt.date) -> list[pa.Check]:
    c = field.constraints
    checks = []
    if field.type == "date":
        if "minimum" in c:
            checks.append(pa.Check.ge(pd.Timestamp(c["minimum"]), error=f"before {c['minimum']}"))
        checks.append(pa.Check.le(pd.Timestamp(today), error="in the future"))
    elif field.type in ("number", "integer"):
        if "minimum" in c:
            checks.append(pa.Check.ge(c["minimum"], error=f"below the minimum {c['minimum']}"))
        if "maximum" in c:
            checks.append(pa.Check.le(c["maximum"], error=f"above the maximum {c['maximum']}"))
    elif "pattern" in c:
        checks.append(pa.Check.str_matches(c["pattern"], error=f"does not match {c['pattern']}"))
    return checks


def pandera_schema(table: Table, today: dt.date | None = None) -> pa.DataFrameSchema:
    today = today or dt.date.today()
    columns = {
        f.name: pa.Column(
            f.dtype,
            checks=_checks(f, today),
            nullable=not f.required,
            unique=table.primary_key == (f.name,),
            coerce=True,
        )
        for f in table.fields
    }
    # A key of several columns is unique as a whole (single-column keys are checked per column above).
    unique = list(table.primary_key) if len(table.primary_key) > 1 else None
    return pa.DataFrameSchema(columns, strict=True, ordered=False, name=table.name, unique=unique)


_NOT_FINITE = r"(?i)\s*[+-]?(nan|inf|infinity)\s*"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def prepare(table: Table, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, int, str]]]:
    """Turn the CSV's text into values pandera can check: empty cells are nulls, true/false are booleans,
    dates are parsed here. Returns the frame and (column, row, problem) for every cell refused here: a
    control character anywhere, a date that is not one, 'nan'/'inf' where a number is due (pandas would
    read them as numbers). Refused cells become nulls, so no second problem is reported for them."""
    df = raw.replace("", None)
    bad = []

    def refuse(column: str, mask: pd.Series, problem) -> None:
        for i in df.index[mask]:
            bad.append((column, i, problem(df.at[i, column])))
        df.loc[mask, column] = None

    for f in table.fields:
        if f.name not in df:
            continue
        text = df[f.name].astype("string")
        refuse(
            f.name,
            text.str.contains(_CONTROL, regex=True).fillna(False).astype(bool),
            lambda v: f"{v!r} contains a control character",
        )
        if f.type in ("number", "integer"):
            refuse(
                f.name,
                text.str.fullmatch(_NOT_FINITE).fillna(False).astype(bool),
                lambda v: f"{v!r} is not {'a number' if f.type == 'number' else 'an integer'}",
            )
        elif f.type == "boolean":
            df[f.name] = df[f.name].map(lambda v: TRUTH.get(v, v) if isinstance(v, str) else v)
        elif f.type == "date":
            parsed = pd.to_datetime(df[f.name], format="%Y-%m-%d", errors="coerce").astype(DATE)
            refuse(f.name, df[f.name].notna() & parsed.isna(), lambda v: f"{v!r} is not a date (YYYY-MM-DD)")
            df[f.name] = parsed
    return df, bad
