"""The report registry (notebooks/reports.yml) and the checks on its parameters.

Every problem is one line naming the report and the parameter. Parameters are checked
against the notebook's `parameters` cell before any kernel starts:
- the name must be declared there;
- the value must have the type of the declared default (or of its annotation);
- a parameter named `date` or `*_date`, or whose default is an ISO date string, takes an ISO date string;
- pairs named `start`/`end`, `min`/`max`, `first`/`last` (e.g. start_date, end_date) must not be reversed;
- numbers named `window`, `*_days`, `*_weeks`, `*_months`, `*_years` must not be negative;
- a parameter listed under the report's `ids:` (`event_id: diplomatic_events.event_id`) must name
  ids present in that curated table column.

A title may name an event instead of printing its id: `{event_id:event}` becomes "the Trump–Kim summit in
Singapore (12 June 2018)" (analysis.stats.event_name, from diplomatic_events.csv).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import itertools
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis import settings, stats

KEYS = {"notebook", "title", "description", "output", "parameters", "sweep", "ids"}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "dict": dict}
PAIRS = (("start", "end"), ("min", "max"), ("first", "last"))
NON_NEGATIVE = {"window", "days", "weeks", "months", "years"}


class RegistryError(ValueError):
    """A registry or parameter problem; the message is one line per problem."""


@dataclass(frozen=True)
class Report:
    name: str  # output file stem, unique; what `analysis render NAME` selects
    group: str  # the registry key: every report of one sweep shares it
    notebook: Path
    title: str
    description: str = ""
    parameters: dict = field(default_factory=dict)  # only what the registry sets; the notebook has the rest
    ids: dict = field(default_factory=dict)  # parameter -> "table.column"


def first_line(e: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    lines = str(e).strip().splitlines()
    return f"{type(e).__name__}: {lines[0]}" if lines else type(e).__name__


class _Titles(string.Formatter):
    """str.format, plus the `:event` format spec that names a diplomatic event from its id."""

    def format_field(self, value, format_spec):
        if format_spec != "event":
            return super().format_field(value, format_spec)
        path = settings.CURATED_DIR / "diplomatic_events.csv"
        with open(path, encoding="utf-8", newline="") as f:
            row = next((r for r in csv.DictReader(f) if r["event_id"] == str(value)), None)
        if row is None:
            raise RegistryError(f"title: {value!r} is not an event_id in {path.name}")
        return stats.event_name(row)


def _plain(value):
    """YAML turns unquoted dates into date objects: notebooks take ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _expand(key: str, entry: dict, notebooks_dir: Path) -> list[Report]:
    where = f"report {key!r}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping with at least `notebook:`")
    unknown = sorted(set(entry) - KEYS)
    if unknown:
        raise RegistryError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(KEYS))})")
    if "notebook" not in entry:
        raise RegistryError(f"{where}: missing `notebook:`")
    notebook = notebooks_dir / entry["notebook"]
    if not notebook.is_file():
        raise RegistryError(f"{where}: notebook {entry['notebook']!r} not found in {notebooks_dir}")
    base = {k: _plain(v) for k, v in (entry.get("parameters") or {}).items()}
    sweep = entry.get("sweep") or {}
    ids = entry.get("ids") or {}
    for param, ref in ids.items():
        if not re.fullmatch(r"\w+\.\w+", str(ref)):
            raise RegistryError(f"{where}: ids: {param}: expected `table.column`, got {ref!r}")
    if not isinstance(sweep, dict) or not all(isinstance(v, list) and v for v in sweep.values()):
        raise RegistryError(f"{where}: sweep: expected `parameter: [value, ...]` lists")
    title = entry.get("title", key)
    if sweep:
        output = entry.get("output", key + "".join(f"-{{{p}}}" for p in sweep))
        title = entry.get("title", title + " (" + ", ".join(f"{p}={{{p}}}" for p in sweep) + ")")
    else:
        output = entry.get("output", key)
    reports = []
    for combo in itertools.product(*([_plain(v) for v in values] for values in sweep.values())):
        params = {**base, **dict(zip(sweep, combo))}
        try:
            name, full_title = str(output).format(**params), _Titles().format(str(title), **params)
        except (KeyError, IndexError) as e:
            raise RegistryError(f"{where}: output/title refers to {e} which is not a parameter") from None
        except RegistryError as e:
            raise RegistryError(f"{where}: {e}") from None
        if not NAME.fullmatch(name) or name == "index":
            raise RegistryError(f"{where}: output name {name!r} must be letters, digits, '.', '_', '-' (and not 'index')")
        reports.append(Report(name, key, notebook, full_title, entry.get("description", ""), params, dict(ids)))
    return reports


def load(path: Path) -> list[Report]:
    """Every report the registry defines, sweeps expanded, in file order."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise RegistryError(f"{path}: cannot read the registry: {e}".replace("\n", " ")) from None
    entries = doc.get("reports") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise RegistryError(f"{path}: expected a top-level `reports:` mapping")
    reports = [r for key, entry in entries.items() for r in _expand(str(key), entry, path.parent)]
    seen = set()
    for r in reports:
        if r.name in seen:
            raise RegistryError(f"report {r.group!r}: output name {r.name!r} is used twice")
        seen.add(r.name)
    return reports


def select(reports: list[Report], names: Iterable[str]) -> list[Report]:
    """The reports named (by output name or by registry key); all of them when no name is given."""
    names = list(names)
    known = {r.name for r in reports} | {r.group for r in reports}
    for n in names:
        if n not in known:
            raise RegistryError(f"unknown report {n!r} (reports: {', '.join(sorted(known))})")
    return [r for r in reports if not names or r.name in names or r.group in names]


def _default(declared: dict):
    """The default's value when it is a literal; `...` when it is an expression."""
    try:
        return ast.literal_eval(declared["default"])
    except (ValueError, SyntaxError):
        return ...


def _iso_date(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _is_date_param(name: str, default) -> bool:
    return name == "date" or name.endswith("_date") or _iso_date(default) is not None


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_problem(name: str, value, declared: dict) -> str | None:
    default = _default(declared)
    if _is_date_param(name, default):
        if value is None and default is None:
            return None
        if _iso_date(value) is None:
            return f"expected an ISO date string like '2018-06-12', got {type(value).__name__} {value!r}"
        return None
    expected = TYPES.get(declared["inferred_type_name"]) or (type(default) if default not in (None, ...) else None)
    if expected is None or (value is None and default is None):
        return None
    if expected is float:
        ok = _number(value)  # an int is a fine float
    else:
        ok = isinstance(value, expected) and not (isinstance(value, bool) and expected is not bool)
    return None if ok else f"expected {expected.__name__} like the notebook's default {declared['default']}, got {type(value).__name__} {value!r}"


def _comparable(value):
    """A date or a number to compare with its pair; None for anything else."""
    return _iso_date(value) or (value if _number(value) else None)


def _range_problems(values: dict) -> list[tuple[str, str]]:
    problems = []
    for name, value in values.items():
        tokens = name.split("_")
        if NON_NEGATIVE & set(tokens) and _number(value) and value < 0:
            problems.append((name, f"must not be negative, got {value!r}"))
        for lo, hi in PAIRS:
            if lo in tokens:
                other = "_".join(hi if t == lo else t for t in tokens)
                a, b = _comparable(value), _comparable(values.get(other))
                if a is not None and b is not None and isinstance(a, dt.datetime) == isinstance(b, dt.datetime) and b < a:
                    problems.append((other, f"{values[other]!r} is before {name} {value!r}"))
    return problems


def check(report: Report, declared: dict[str, dict], load_table: Callable[[str], object]) -> list[str]:
    """One line per problem with the report's parameters; `declared` is papermill.inspect_notebook's answer."""
    where = f"{report.name}: parameter"
    if report.parameters and not declared:
        return [f"{report.name}: {report.notebook.name} has no cell tagged 'parameters' to set {', '.join(report.parameters)} in"]
    problems = []
    for name, value in report.parameters.items():
        if name not in declared:
            problems.append(f"{where} {name!r}: unknown (the parameters cell declares: {', '.join(declared)})")
        elif (msg := _type_problem(name, value, declared[name])) is not None:
            problems.append(f"{where} {name!r}: {msg}")
    if problems:
        return problems
    values = {n: _default(d) for n, d in declared.items()} | report.parameters
    problems = [f"{where} {name!r}: {msg}" for name, msg in _range_problems(values)]
    for name, ref in report.ids.items():
        if name not in declared:
            problems.append(f"{where} {name!r}: listed under ids but not declared in the parameters cell")
            continue
        value = values[name]
        if value in (None, ...):
            continue
        table, column = ref.split(".")
        try:
            known = set(load_table(table)[column].astype(str))
        except Exception as e:  # no such table or column, or data that do not load
            problems.append(f"{where} {name!r}: cannot read ids from {ref}: {first_line(e)}")
            continue
        missing = [v for v in (value if isinstance(value, list) else [value]) if str(v) not in known]
        if missing:
            problems.append(f"{where} {name!r}: unknown id {missing[0]!r} (not in {ref})")
    return problems


def check_all(reports: list[Report], load_table: Callable[[str], object]) -> list[str]:
    """Every parameter problem of these reports (each notebook's parameters cell is read once)."""
    import papermill  # slow to import: only once there is work to do

    declared = {}
    problems = []
    for r in reports:
        if r.notebook not in declared:
            try:
                declared[r.notebook] = papermill.inspect_notebook(str(r.notebook))
            except Exception as e:  # any reason the parameters cell cannot be read stops this report
                problems.append(f"{r.name}: cannot read the parameters of {r.notebook.name}: {first_line(e)}")
                declared[r.notebook] = None
        if declared[r.notebook] is not None:
            problems += check(r, declared[r.notebook], load_table)
    return problems
