"""analysis.checks.vocabulary and analysis.checks.engine: every kind on small made-up tables, and the one-line
errors of a check row that cannot be parsed."""

from __future__ import annotations

import factories
import pytest

from analysis.checks import engine as E
from analysis.checks import vocabulary as V


@pytest.fixture
def frames():
    return {
        "missile_tests": factories.missiles(
            [
                *factories.salvo("2020-03-02", 2),
                dict(date_kst="2020-03-09"),
                dict(date_kst="2021-01-14", missile_class="SLBM"),
                dict(date_kst="2021-09-28", missile_class="cruise", cns_threshold=False),
                *factories.salvo("2022-03-24", 1, missile_class="ICBM"),
                *factories.salvo("2022-11-02", 4),
                dict(date_kst="2022-12-31", apogee_km=100.0, distance_km=350.0),
            ]
        ),
        "nuclear_tests": factories.nuclear([dict(date_kst="2017-09-03")]),
        "diplomatic_events": factories.events(
            [
                dict(event_id="2018-06-12-singapore", trump_kim=True),
                dict(event_id="2019-02-27-hanoi", trump_kim=True, end_date="2019-02-28"),
                dict(event_id="2019-10-05-stockholm", kind="talks"),
            ]
        ),
        "sanctions": factories.sanctions([dict(sanction_id="S/RES/2397", date="2017-12-22")]),
        "economy": factories.economy(
            [dict(year=y, measure="trade_total", value=v) for y, v in [(2014, 10), (2015, 10), (2017, 6), (2018, 4)]]
        ),
    }


def run(frames, params: str, kind: str, cns: bool = True, extra: dict | None = None) -> E.Result:
    checks = {"x": V.parse("x", kind, params)}
    for check_id, (k, p) in (extra or {}).items():
        checks[check_id] = V.parse(check_id, k, p)
    return E.evaluate(checks, "x", E.Context(frames, cns))


def test_count_with_a_stated_figure_and_the_other_definitions(frames):
    r = run(
        frames, "table=missile_tests; from=2022; to=2022; measure=launch_days; stated=3; definitions=missiles", "count"
    )
    assert r.verdict == E.SUPPORTED and r.figures["value"] == 3 and r.figures["by missiles"] == 6
    r = run(frames, "table=missile_tests; from=2022; to=2022; measure=missiles; stated=8; tolerance=1", "count")
    assert r.verdict == E.CONTRADICTED and r.figures["difference"] == -2


def test_the_inclusion_setting_changes_a_count(frames):
    params = "table=missile_tests; from=2021; to=2021; measure=missiles; stated=2"
    assert run(frames, params, "count", cns=True).verdict == E.CONTRADICTED
    assert run(frames, params, "count", cns=False).verdict == E.SUPPORTED


def test_a_percentage_tolerance(frames):
    r = run(frames, "table=missile_tests; from=2022; to=2022; measure=missiles; stated=6.5; tolerance=10%", "count")
    assert r.verdict == E.SUPPORTED and r.figures["tolerance"] == pytest.approx(0.65)


def test_record_says_ties(frames):
    r = run(frames, "table=missile_tests; measure=missiles; period=2022", "record")
    assert r.verdict == E.SUPPORTED and r.figures["best other year"] == 2020 and r.figures["its value"] == 3
    r = run(frames, "table=missile_tests; measure=launch_days; period=2021; among=earlier", "record", cns=False)
    assert r.verdict == E.MIXED and r.figures["tied with"] == "2020"


def test_first_since(frames):
    params = "table=missile_tests; where.missile_class=ICBM; at=2022-03-24; since=2017-01-01"
    assert run(frames, params, "first_since").verdict == E.SUPPORTED
    r = run(frames, "table=missile_tests; at=2022-03-24; since=2021-01-01", "first_since")
    assert r.verdict == E.CONTRADICTED and r.figures["earlier matches"] == 1  # the cruise missile is outside CNS


def test_gap_next_longest_and_a_missing_anchor(frames):
    r = run(frames, "table=missile_tests; mode=next; at=event_end:2019-02-28-x; at_most=365", "gap")
    assert r.verdict == E.NOT_TESTABLE and "2019-02-28-x" in r.reason
    r = run(frames, "table=missile_tests; mode=next; at=event_end:2019-02-27-hanoi; at_most=365", "gap")
    assert r.figures["days"] == (E.pd.Timestamp("2020-03-02") - E.pd.Timestamp("2019-02-28")).days
    assert r.verdict == E.CONTRADICTED
    r = run(frames, "table=diplomatic_events; mode=longest; after=event:2019-02-27-hanoi; at_least=365", "gap")
    assert r.verdict == E.SUPPORTED and r.figures["open"] and r.figures["from"] == E.pd.Timestamp("2019-10-05")


def test_compare_and_the_causal_level(frames):
    params = "table=economy; where.measure=trade_total; baseline=2014..2015; period=2017..2018; direction=lower"
    r = run(frames, params + "; min_change=10%", "compare")
    assert r.verdict == E.SUPPORTED and r.figures["change"] == -5
    assert run(frames, params + "; causal=true", "compare").verdict == E.CONSISTENT
    assert run(frames, params.replace("lower", "higher"), "compare").verdict == E.CONTRADICTED


def test_exists_and_value(frames):
    r = run(frames, "table=diplomatic_events; where.kind=summit; where.trump_kim=true; where.parties=US,DPRK", "exists")
    assert r.verdict == E.SUPPORTED and r.figures["matches"] == 2
    assert run(frames, "table=sanctions; where.kind=other; after=2018", "exists").verdict == E.CONTRADICTED
    r = run(frames, "table=missile_tests; id=M20221231-01; field=apogee_km; stated=100; tolerance=10%", "value")
    assert r.verdict == E.SUPPORTED


def test_combinators(frames):
    yes = ("exists", "table=nuclear_tests")
    no = ("exists", "table=sanctions; where.kind=other")
    untestable = ("value", "table=missile_tests; id=M1; field=apogee_km; stated=1")
    assert run(frames, "parts=a,b", "all", extra={"a": yes, "b": yes}).verdict == E.SUPPORTED
    assert run(frames, "parts=a,b", "all", extra={"a": yes, "b": no}).verdict == E.MIXED
    assert run(frames, "parts=a,b", "any", extra={"a": no, "b": yes}).verdict == E.SUPPORTED
    assert run(frames, "parts=a,b", "any", extra={"a": no, "b": no}).verdict == E.CONTRADICTED
    assert run(frames, "parts=a,b", "gate", extra={"a": untestable, "b": yes}).verdict == E.NOT_TESTABLE
    assert run(frames, "parts=a,b", "gate", extra={"a": yes, "b": no}).verdict == E.CONTRADICTED


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("tally", "table=missile_tests", "checks.csv: x: unknown kind 'tally'"),
        (
            "count",
            "table=missile_tests; stated_value=3",
            "checks.csv: x: unknown parameter 'stated_value' for kind 'count'",
        ),
        ("count", "table=missiles", "checks.csv: x: parameter 'table':"),
        ("count", "table=missile_tests; from=last year", "checks.csv: x: parameter 'from':"),
        ("count", "table=missile_tests; tolerance=a few", "checks.csv: x: parameter 'tolerance':"),
        ("value", "table=missile_tests; where.missile_class=SRBM; id=M1; field=x", "takes no where.<column> filters"),
        ("gap", "table=missile_tests; mode=next; mode", "parameter 'mode' is not key=value"),
        ("compare", "table=economy; baseline=2014; period=2017..2018; direction=lower", "parameter 'baseline':"),
    ],
)
def test_a_bad_row_is_one_line_naming_the_parameter(kind, params, message):
    with pytest.raises(V.CheckError) as e:
        V.parse("x", kind, params)
    assert message in str(e.value) and "\n" not in str(e.value)
