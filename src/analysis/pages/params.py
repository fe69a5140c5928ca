"""Each notebook's parameters, declared once: `analysis render` checks a report's values against the spec
before any kernel starts, and the notebook's setup cell checks (and types) the same values with it.

A spec is a pydantic model named in SPECS by notebook file. Values arrive as papermill and YAML give them:
dates as ISO strings (never papermill's `-p start 20160101` int), booleans as booleans, classes from the
data package's vocabulary. A test holds every spec against its notebook's `parameters` cell (same names,
same defaults), so the two cannot drift apart.
"""

from __future__ import annotations

import ast
import datetime as dt
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from analysis.data import schema
from analysis.measures import calibration


class ParameterError(ValueError):
    """Bad parameter values; the message is one line per problem: `parameter 'name': what is wrong`."""


def _iso_date(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date string like '2018-06-12', got {type(value).__name__} {value!r}")
    try:
        return pd.Timestamp(dt.date.fromisoformat(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


IsoDate = Annotated[Any, BeforeValidator(_iso_date)]


def _required_date(value):
    if value is None:
        raise ValueError("expected an ISO date string like '2012-01-01', got None")
    return _iso_date(value)


RequiredDate = Annotated[Any, BeforeValidator(_required_date)]


def _missile_classes(value):
    if not isinstance(value, list):
        raise ValueError(f"expected a list of missile classes such as ['ICBM'], got {type(value).__name__} {value!r}")
    known = schema.vocabulary("missile_tests", "missile_class")
    unknown = [c for c in value if c not in known]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not a missile class (classes: {', '.join(known)})")
    return value


MissileClasses = Annotated[list[str], BeforeValidator(_missile_classes)]
# Papermill injects literals; an extra name is a typo the notebook would silently ignore.
STRICT = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True, validate_default=True)


class Spec(BaseModel):
    model_config = STRICT

    @classmethod
    def check(cls, namespace: dict) -> Spec:
        """The notebook's parameters, checked and typed (pass `globals()`); raises ParameterError."""
        unknown = [name for name in injected(namespace) if name not in cls.model_fields]
        if unknown:
            raise ParameterError(
                f"parameter {unknown[0]!r}: unknown parameter (the parameters cell declares: {', '.join(cls.model_fields)})"
            )
        values = {name: namespace[name] for name in cls.model_fields if name in namespace}
        problems = cls.problems(values)
        if problems:
            raise ParameterError("; ".join(f"parameter {name!r}: {msg}" for name, msg in problems))
        return cls(**values)

    @classmethod
    def problems(cls, values: dict) -> list[tuple[str, str]]:
        """(parameter, what is wrong) for every bad value; [] when all are good."""
        try:
            cls(**values)
        except ValidationError as e:
            return [(str(err["loc"][0]), _message(err)) for err in e.errors()]
        return []


INJECTED = "# Parameters\n"  # how papermill's injected-parameters cell starts (papermill.translators)


def injected(namespace: dict) -> list[str]:
    """The names papermill's injected-parameters cell set, when it is the cell run before the current one
    (IPython's input history `In`, in a notebook's globals); [] otherwise."""
    history = namespace.get("In")
    if not isinstance(history, list) or len(history) < 2 or not str(history[-2]).startswith(INJECTED):
        return []
    try:
        tree = ast.parse(history[-2])
    except SyntaxError:
        return []
    return [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if isinstance(t, ast.Name)]


def _message(err: dict) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown parameter"
    if err["type"] == "value_error":  # ours: the message names the value already
        return err["msg"].removeprefix("Value error, ")
    return f"{err['msg']}, got {type(err['input']).__name__} {err['input']!r}"


class DateRange(Spec):
    start_date: IsoDate = None
    end_date: IsoDate = None

    @field_validator("end_date")
    @classmethod
    def _not_before_start(cls, end, info: ValidationInfo):
        start = info.data.get("start_date")
        if end is not None and start is not None and end < start:
            raise ValueError(f"{end:%Y-%m-%d} is before start_date {start:%Y-%m-%d}")
        return end


class DataOverview(DateRange):
    start_date: IsoDate = "1984-01-01"


class TempoTimeline(DateRange):
    start_date: IsoDate = "2016-01-01"
    classes: MissileClasses = []
    cns_threshold_only: StrictBool = True
    freq: Literal["YE", "QE", "ME"] = "ME"


EventIds = list[StrictStr]
# The summits and meetings judged together: the event-window sweep of notebooks/reports.yml (a kernel never reads
# the registry, so the notebooks carry it as their default; tests/test_notebooks.py checks the copies agree).
SUMMITS = [
    "2018-04-27-panmunjom-inter-korean-summit",
    "2018-05-26-panmunjom-inter-korean-summit",
    "2018-06-12-singapore-summit",
    "2018-09-18-pyongyang-inter-korean-summit",
    "2019-02-27-hanoi-summit",
    "2019-06-30-panmunjom-meeting",
    "2019-10-05-stockholm-talks",
]


def _window(value: int) -> int:
    if value not in calibration.WINDOWS:
        raise ValueError(f"{value!r} is not one of the window lengths {', '.join(map(str, calibration.WINDOWS))}")
    return value


WindowDays = Annotated[StrictInt, AfterValidator(_window)]


class EventWindow(Spec):
    event_id: StrictStr = "2018-06-12-singapore-summit"
    window_days: WindowDays = calibration.PRIMARY_WINDOW
    cns_threshold_only: StrictBool = True
    family_event_ids: EventIds = SUMMITS
    reference_start: RequiredDate = calibration.REFERENCE_START


class SummitOverview(Spec):
    event_ids: EventIds = SUMMITS
    cns_threshold_only: StrictBool = True
    reference_start: RequiredDate = calibration.REFERENCE_START


class Capabilities(DateRange):
    start_date: IsoDate = "1984-01-01"
    classes: MissileClasses = []
    cns_threshold_only: StrictBool = True


class NuclearSanctions(Spec):
    include_vetoed: StrictBool = True


class ClaimsScorecard(Spec):
    article_id: StrictStr = "trump-kim-asia-trip"  # an id of data/curated/articles.csv (the registry checks it)
    cns_threshold_only: StrictBool = True


class Economy(Spec):
    first_year: Annotated[StrictInt, Field(ge=1990, le=dt.date.today().year)] = 1990


SPECS: dict[str, type[Spec]] = {
    "00_data_overview.ipynb": DataOverview,
    "01_tempo_timeline.ipynb": TempoTimeline,
    "02_event_window.ipynb": EventWindow,
    "03_capabilities.ipynb": Capabilities,
    "04_nuclear_sanctions.ipynb": NuclearSanctions,
    "05_claims_scorecard.ipynb": ClaimsScorecard,
    "06_economy.ipynb": Economy,
    "07_summit_overview.ipynb": SummitOverview,
}
