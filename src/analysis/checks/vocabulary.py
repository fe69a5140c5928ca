"""The check vocabulary: the kinds a claim's check can be (data/curated/checks.csv) and the parameters of each.

A check row is `check_id, claim_id, kind, params, says`. `params` is `key=value` pairs separated by `;`, lists
separated by `,`. Row filters are `where.<column><op><value>` with op one of `= != >= <= > <`; `=` with a list means
"one of", and on a list column (`parties`, `source_ids`) "includes all". Time anchors (`from`, `after`, `to`,
`before`, `at`, `since`) are `YYYY-MM-DD`, a year `YYYY` (its first day for from/before/since/at, its last for
to/after), `event:<event_id>` (its start), `event_end:<event_id>`, `data_start`, `data_end` or `article_date` (the checked article's date), each optionally
moved by `+Nd` or `-Nd` days (`event_end:2019-02-27-hanoi-summit+365d`).
data/README.md has an example of every kind. Parsing refuses any unknown kind or parameter with one line.
"""

from __future__ import annotations

import re
from typing import Literal, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

TABLES = ("missile_tests", "nuclear_tests", "diplomatic_events", "sanctions", "economy")
# What a count can count: table rows, or for missiles launch days (KST dates) and launch events (launch_id).
# designations: distinct normalised types; new_designations: those first flown in the period (a set difference).
MEASURES = ("rows", "missiles", "launch_days", "launches", "designations", "new_designations")
LIST_COLUMNS = ("parties", "source_ids")
ANCHOR = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{4}|event(_end)?:[a-z0-9-]+?|data_start|data_end|article_date)([+-]\d+d)?$")
CONDITION = re.compile(r"^where\.([a-z_]+)\s*(>=|<=|!=|=|>|<)\s*(.*)$")
PAIR = re.compile(r"^([a-z_]+)\s*=\s*(.*)$")


class CheckError(ValueError):
    """A check row that cannot be parsed: the message names the row and the parameter."""


def _anchor(value: str | None) -> str | None:
    if value is not None and not ANCHOR.match(value):
        raise ValueError(
            f"{value!r} is not a date, a year, event:<id>, event_end:<id>, data_start, data_end or article_date"
            " (optionally +Nd or -Nd)"
        )
    return value


class Condition(BaseModel):
    model_config = ConfigDict(frozen=True)
    column: str
    op: Literal["=", "!=", ">=", "<=", ">", "<"]
    value: str


class Selection(BaseModel):
    """Rows of one table, filtered and bounded in time (inclusive `from`/`to`, exclusive `after`/`before`)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    table: Literal[TABLES]
    where: tuple[Condition, ...] = ()
    from_: str | None = Field(None, alias="from")
    after: str | None = None
    to: str | None = None
    before: str | None = None

    _anchors = field_validator("from_", "after", "to", "before")(_anchor)


class Stated(BaseModel):
    """A figure the article states, or a bound the claim implies; tolerance absolute or `N%` of the stated value."""

    stated: float | None = None
    tolerance: str = "0"
    at_least: float | None = None
    at_most: float | None = None

    @field_validator("tolerance")
    @classmethod
    def _tolerance(cls, v: str) -> str:
        if not re.fullmatch(r"\d+(\.\d+)?%?", v):
            raise ValueError("tolerance is a number or a percentage, e.g. 2 or 10%")
        return v


class Count(Selection, Stated):
    kind: Literal["count"]
    measure: Literal[MEASURES] = "rows"
    definitions: tuple[Literal[MEASURES], ...] = ()  # other measures reported beside it (which one the figure matches)


class Record(Selection):
    kind: Literal["record"]
    measure: Literal[MEASURES] = "rows"
    statistic: Literal["count", "max"] = "count"  # max: the largest value_column of the year instead of a count
    value_column: str | None = None
    period: int  # the year that is claimed to rank first
    among: Literal["all", "earlier"] = "all"  # peers: every year of the table, or only the years before


class FirstSince(Selection):
    kind: Literal["first_since"]
    at: str  # the claimed event's anchor
    since: str = "data_start"

    _anchors2 = field_validator("at", "since")(_anchor)


class Gap(Selection, Stated):
    kind: Literal["gap"]
    mode: Literal["next", "longest", "since_last"]
    at: str | None = None  # next: first row after it; since_last: last row before it
    starts_within: int | None = None  # longest: only gaps that begin within this many days of `after`/`from`
    through_end: bool = True  # longest: the open gap from the last row to the end of the data counts

    _anchors2 = field_validator("at")(_anchor)


class Compare(Selection):
    kind: Literal["compare"]
    statistic: Literal["mean", "sum", "rows", "launch_days"] = "mean"
    baseline: str  # the period compared against, `A..B` of anchors (inclusive)
    period: str  # the period the claim is about
    direction: Literal["lower", "higher"]
    min_change: str = "0%"  # the smallest change that counts, absolute or `N%`
    value_column: str = "value"

    @field_validator("baseline", "period")
    @classmethod
    def _period(cls, v: str) -> str:
        a, sep, b = v.partition("..")
        if not sep:
            raise ValueError("a period is two anchors, A..B")
        _anchor(a), _anchor(b)
        return v


class Exists(Selection):
    kind: Literal["exists"]
    at_least: int = 1
    at_most: int | None = None


class Value(Stated):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["value"]
    table: Literal[TABLES]
    id: str
    field: str


class Combine(BaseModel):
    """all: every part holds; most: more than half hold; any: one part holds; gate: the first part is a
    precondition of the second."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["all", "most", "any", "gate"]
    parts: tuple[str, ...]


KINDS = {
    "count": Count,
    "record": Record,
    "first_since": FirstSince,
    "gap": Gap,
    "compare": Compare,
    "exists": Exists,
    "value": Value,
    "all": Combine,
    "most": Combine,
    "any": Combine,
    "gate": Combine,
}
# Any check may say the claim is causal: a supported result then reads "consistent, cause not shown".
COMMON = ("causal",)


def parse(check_id: str, kind: str, params: str) -> tuple[BaseModel, bool]:
    """The parameter model of one check row, and whether the claim is causal; CheckError names the row and the
    parameter that is wrong."""
    where = f"checks.csv: {check_id}"
    if kind not in KINDS:
        raise CheckError(f"{where}: unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    fields: dict[str, object] = {"kind": kind}
    conditions: list[Condition] = []
    causal = False
    for item in filter(None, (p.strip() for p in (params or "").split(";"))):
        if m := CONDITION.match(item):
            conditions.append(Condition(column=m[1], op=m[2], value=m[3].strip()))
            continue
        m = PAIR.match(item)
        if not m:
            raise CheckError(f"{where}: parameter {item!r} is not key=value")
        key, value = m[1], m[2].strip()
        if key == "causal":
            causal = value == "true"
            continue
        model = KINDS[kind]
        name = "from_" if key == "from" else key
        if name not in model.model_fields:
            raise CheckError(f"{where}: unknown parameter {key!r} for kind {kind!r}")
        is_list = get_origin(model.model_fields[name].annotation) is tuple
        fields[key] = tuple(v.strip() for v in value.split(",")) if is_list else value
    if conditions:
        if "where" not in KINDS[kind].model_fields:
            raise CheckError(f"{where}: kind {kind!r} takes no where.<column> filters")
        fields["where"] = tuple(conditions)
    try:
        return KINDS[kind].model_validate(fields), causal
    except ValidationError as e:
        err = e.errors()[0]
        loc = ".".join(str(x) for x in err["loc"]).replace("from_", "from")
        raise CheckError(f"{where}: parameter {loc!r}: {err['msg']}") from None
