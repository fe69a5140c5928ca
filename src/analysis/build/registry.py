"""The report registry (notebooks/reports.yml) and the checks on its parameters.

Every problem is one line naming the report and the parameter. Parameters are checked before
any kernel starts:
- the name must be declared in the notebook's `parameters` cell;
- the value must satisfy the notebook's spec in `analysis.pages.params` (the one the notebook's setup cell
  checks with too);
- a parameter listed under the report's `ids:` (`event_id: diplomatic_events.event_id`) must name
  ids present in that curated table column.

A title may name an event instead of printing its id: `{event_id:event}` becomes "the Trump–Kim summit in
Singapore (12 June 2018)" (analysis.data.names.event_name, from diplomatic_events.csv).
"""

from __future__ import annotations

import ast
import itertools
import math
import re
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from analysis import settings
from analysis.data import names, records

KEYS = {"notebook", "title", "description", "output", "parameters", "sweep", "ids"}
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_NAME = 120  # characters in an output name (file names stop at 255 bytes; logs add suffixes)
MAX_EXPANDED = 1_000_000  # the registry's size with its YAML aliases expanded: nodes plus scalar characters
MAX_REPORTS = 10_000  # reports one registry entry's sweep may expand to
MAX_FORMAT = 200  # the largest width or precision a title or output format spec may ask for


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


class _Bounded(string.Formatter):
    """str.format, refusing widths and precisions that would build huge strings (`{x:>2000000000}`)."""

    def format_field(self, value, format_spec):
        if max(map(int, re.findall(r"\d+", format_spec)), default=0) > MAX_FORMAT:
            raise RegistryError(f"format spec {format_spec!r} asks for more than {MAX_FORMAT} characters")
        return super().format_field(value, format_spec)


class _Titles(_Bounded):
    """Bounded str.format, plus the `:event` format spec that names a diplomatic event from its id."""

    def format_field(self, value, format_spec):
        if format_spec != "event":
            return super().format_field(value, format_spec)
        path = settings.CURATED_DIR / "diplomatic_events.csv"
        row = _events(path, path.stat().st_mtime_ns if path.exists() else 0).get(str(value))
        if row is None:
            raise RegistryError(f"title: {value!r} is not an event_id in {path.name}")
        return names.event_name(row)


@cache
def _events(path: Path, mtime_ns: int) -> dict[str, dict]:
    """The events by id, read once per version of the file (titles of a sweep name one each)."""
    if not path.exists():
        return {}
    return {r["event_id"]: r for r in records.dicts(path)}


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as the text written (notebooks take ISO strings; an impossible date like
    2019-02-30 then fails the date check with its name) and refuses a key given twice."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise RegistryError(f"line {key_node.start_mark.line + 1}: key {key!r} is given twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: yaml.Node, sizes: dict[int, int | None]) -> int:
    """The node's size as constructed, each alias counted as a copy (a few aliases can stand for gigabytes)."""
    if id(node) in sizes:
        if sizes[id(node)] is None:
            raise RegistryError(f"line {node.start_mark.line + 1}: an alias refers to the collection it is in")
        return sizes[id(node)]
    sizes[id(node)] = None
    if isinstance(node, yaml.ScalarNode):
        size = 1 + len(node.value)
    else:
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        size = 1
        for child in children:
            size += _expanded_size(child, sizes)
            if size > MAX_EXPANDED:
                break
    sizes[id(node)] = size
    return size


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping(where: str, key: str, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RegistryError(f"{where}: {key}: expected a mapping `name: value`, got {type(value).__name__}")
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
    if not isinstance(entry["notebook"], str):
        raise RegistryError(f"{where}: `notebook:` must name a notebook file, got {entry.get('notebook')!r}")
    notebook = notebooks_dir / entry["notebook"]
    if not notebook.is_file():
        raise RegistryError(f"{where}: notebook {entry['notebook']!r} not found in {notebooks_dir}")
    base = _mapping(where, "parameters", entry.get("parameters"))
    sweep = _mapping(where, "sweep", entry.get("sweep"))
    ids = _mapping(where, "ids", entry.get("ids"))
    for param, ref in ids.items():
        if not re.fullmatch(r"\w+\.\w+", str(ref)):
            raise RegistryError(f"{where}: ids: {param}: expected `table.column`, got {ref!r}")
    if not all(isinstance(v, list) and v for v in sweep.values()):
        raise RegistryError(f"{where}: sweep: expected `parameter: [value, ...]` lists")
    if math.prod(map(len, sweep.values())) > MAX_REPORTS:
        raise RegistryError(f"{where}: sweep: expands to more than {MAX_REPORTS} reports")
    for k in ("title", "output", "description"):
        if k in entry and not isinstance(entry[k], str):
            raise RegistryError(f"{where}: {k}: expected text, got {type(entry[k]).__name__} {entry[k]!r}")
    title = entry.get("title", key)
    if sweep:
        output = entry.get("output", key + "".join(f"-{{{p}}}" for p in sweep))
        title = entry.get("title", title + " (" + ", ".join(f"{p}={{{p}}}" for p in sweep) + ")")
    else:
        output = entry.get("output", key)
    reports = []
    for combo in itertools.product(*sweep.values()):
        params = {**base, **dict(zip(sweep, combo))}
        try:
            name, full_title = _Bounded().format(output, **params), _Titles().format(title, **params)
        except (KeyError, IndexError) as e:
            raise RegistryError(f"{where}: output/title refers to {e} which is not a parameter") from None
        except RegistryError as e:
            raise RegistryError(f"{where}: {e}") from None
        except (ValueError, AttributeError) as e:
            raise RegistryError(f"{where}: output/title: {e} (write a literal brace as {{{{ or }}}})") from None
        if len(name) > MAX_NAME:
            raise RegistryError(
                f"{where}: output name {name[:40]!r}... is {len(name)} characters long, over the limit of {MAX_NAME}"
            )
        if not NAME.fullmatch(name) or name.lower() == "index":
            raise RegistryError(
                f"{where}: output name {name!r} must be letters, digits, '.', '_', '-' (and not 'index')"
            )
        reports.append(Report(name, key, notebook, full_title, entry.get("description", ""), params, dict(ids)))
    return reports


def load(path: Path) -> list[Report]:
    """Every report the registry defines, sweeps expanded, in file order."""
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            if node is not None and _expanded_size(node, {}) > MAX_EXPANDED:
                raise RegistryError(
                    f"expands to more than {MAX_EXPANDED:,} characters (YAML aliases counted as copies): refused"
                )
            doc = (loader.construct_document(node) if node is not None else None) or {}
        finally:
            loader.dispose()
    except UnicodeDecodeError as e:
        raise RegistryError(f"{path}: cannot read the registry: not UTF-8 ({e.reason} at byte {e.start})") from None
    except RegistryError as e:
        raise RegistryError(f"{path}: {e}") from None
    except (OSError, RecursionError, yaml.YAMLError) as e:
        raise RegistryError(f"{path}: cannot read the registry: {e}".replace("\n", " ")) from None
    entries = doc.get("reports") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise RegistryError(f"{path}: expected a top-level `reports:` mapping")
    reports = [r for key, entry in entries.items() for r in _expand(str(key), entry, path.parent)]
    seen = {}
    for r in reports:  # compared without case: macOS and Windows disks do not tell a.html from A.html
        if r.name.lower() in seen:
            raise RegistryError(
                f"report {r.group!r}: output name {r.name!r} is used twice "
                f"(as {seen[r.name.lower()]!r}; names are compared without case)"
            )
        seen[r.name.lower()] = r.name
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


def check(report: Report, declared: dict[str, dict], load_table: Callable[[str], object]) -> list[str]:
    """One line per problem with the report's parameters; `declared` is papermill.inspect_notebook's answer."""
    where = f"{report.name}: parameter"
    if report.parameters and not declared:
        return [
            f"{report.name}: {report.notebook.name} has no cell tagged 'parameters' to set {', '.join(report.parameters)} in"
        ]
    problems = [
        f"{where} {name!r}: unknown (the parameters cell declares: {', '.join(declared)})"
        for name in report.parameters
        if name not in declared
    ]
    if problems:
        return problems
    from analysis.pages import params  # pandas and pydantic: only once there is work to do

    spec = params.SPECS.get(report.notebook.name)
    if spec is not None:
        problems = [f"{where} {name!r}: {msg}" for name, msg in spec.problems(report.parameters)]
    values = {n: _default(d) for n, d in declared.items()} | report.parameters
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
    """Every parameter problem of these reports (each notebook's parameters cell is read once); a problem
    shared by several reports of one sweep is one line naming the sweep."""
    import papermill  # slow to import: only once there is work to do

    declared = {}
    found: dict[tuple[str, str], list[str]] = {}  # (group, problem) -> the reports that have it
    for r in reports:
        problems = []
        if r.notebook not in declared:
            try:
                declared[r.notebook] = papermill.inspect_notebook(str(r.notebook))
            except Exception as e:  # any reason the parameters cell cannot be read stops this report
                problems.append(f"{r.name}: cannot read the parameters of {r.notebook.name}: {first_line(e)}")
                declared[r.notebook] = None
        if declared[r.notebook] is not None:
            problems += check(r, declared[r.notebook], load_table)
        for line in problems:
            found.setdefault((r.group, line.removeprefix(f"{r.name}: ")), []).append(r.name)
    return [
        f"{which[0]}: {problem}" if len(which) == 1 else f"{group} ({len(which)} reports of the sweep): {problem}"
        for (group, problem), which in found.items()
    ]
