"""The economy helpers and the economic claim checks, on hand-made tables built so that each verdict flips."""

from __future__ import annotations

import factories
import pandas as pd
import pytest

from analysis.checks import claims
from analysis.checks import engine as E
from analysis.data import load
from analysis.measures import economy

CLOSURE, FREIGHT = "2020-01-22-dprk-border-closure", "2022-01-16-dandong-freight-trains-resume"
SECTORAL = {"S/RES/2270": "2016-03-02", "S/RES/2321": "2016-11-30", "S/RES/2371": "2017-08-05"}
SANCTIONS_CLAIM, PANDEMIC_CLAIM = "c21-sanctions-economy", "c22-pandemic-economy"
SHIPPED = load.load_all()  # the claims, checks and articles the economy page reads


def rows(measure: str, values: dict[int, float]) -> list[dict]:
    unit = "percent" if measure == "gdp_growth" else "USD million"
    return [dict(year=y, measure=measure, value=float(v), unit=unit) for y, v in values.items()]


def frames(growth: dict, trade: dict, china: dict, events=(CLOSURE, FREIGHT)) -> dict[str, pd.DataFrame]:
    """The made-up world of the claim checks, with these economy figures, border events and sectoral sanctions."""
    f = factories.article_tables(
        sanction_rows=[dict(sanction_id=k, date=d, sectoral=True) for k, d in SECTORAL.items()],
        event_rows=factories.base_events() + [dict(event_id=e, kind="other", parties="DPRK;CN") for e in events],
    )
    f["economy"] = factories.economy(
        rows("gdp_growth", growth) + rows("trade_total", trade) + rows("china_trade_total", china)
    )
    return f | {name: SHIPPED[name] for name in ("claims", "checks", "articles")}


# Growth and trade that fall after 2016 and again after 2019.
GROWTH = {2013: 1.0, 2014: 1.0, 2015: -1.0, 2016: 4.0, 2017: -3.0, 2018: -4.0, 2019: 0.5, 2020: -4.5, 2021: -0.5}
TRADE = {2013: 7000, 2014: 7500, 2015: 6500, 2016: 6500, 2017: 5500, 2018: 2800, 2019: 3200, 2020: 900, 2021: 700}
CHINA = {2018: 2400, 2019: 2800, 2020: 540, 2021: 320, 2023: 2300}


def test_window_mean_output_change_and_missing_years():
    e = frames(GROWTH, TRADE, CHINA)["economy"]
    w = economy.window(e, "gdp_growth", 2017, 2019)
    assert w.label == "2017\u20132019" and w.mean == pytest.approx(-6.5 / 3)
    assert economy.output_change(w) == pytest.approx((0.97 * 0.96 * 1.005 - 1) * 100)
    gap = economy.window(e, "china_trade_total", 2021, 2023)
    assert gap.missing == [2022] and economy.missing_figures(gap) == [f"{economy.LABELS['china_trade_total']} 2022"]
    with pytest.raises(ValueError, match="no figure for 2022"):
        _ = gap.mean
    with pytest.raises(ValueError, match="unknown economy measure 'gdp'"):
        economy.series(e, "gdp")
    assert economy.change_pct(200, 50) == -75 and economy.last_year(e) == 2023


def verdict(f, claim_id: str) -> E.Result:
    return claims.ledger(f).set_index("claim_id").loc[claim_id, "result"]


def test_sanctions_economy_is_consistent_and_flips_with_output_and_trade():
    r = verdict(frames(GROWTH, TRADE, CHINA), SANCTIONS_CLAIM)
    assert r.verdict == E.CONSISTENT  # the timing and direction hold; the cause is not shown
    growth, trade = r.parts
    assert growth.figures["baseline"] == pytest.approx(1 / 3) and growth.figures["value"] == pytest.approx(-6.5 / 3)
    assert trade.figures["change %"] == pytest.approx((3833.33 - 7000) / 7000 * 100, abs=0.1)
    steady = GROWTH | {2017: 1.0, 2018: 1.0, 2019: 1.0}  # growth held up: only trade fell
    assert verdict(frames(steady, TRADE, CHINA), SANCTIONS_CLAIM).verdict == E.MIXED
    flat = TRADE | {2017: 6700, 2018: 6700, 2019: 6550}  # a 5% fall is within the estimates' uncertainty
    assert verdict(frames(steady | {2017: 2.0, 2018: 2.0, 2019: 2.0}, flat, CHINA), SANCTIONS_CLAIM).verdict == (
        E.CONTRADICTED
    )


def test_an_economy_check_without_its_years_is_not_testable():
    r = verdict(frames(GROWTH, {y: t for y, t in TRADE.items() if y > 2016}, CHINA), SANCTIONS_CLAIM)
    assert r.parts[1].verdict == E.NOT_TESTABLE and "2013" in r.parts[1].reason
    r = verdict(frames(GROWTH, TRADE, {2023: 2300}), PANDEMIC_CLAIM)
    assert r.parts[1].verdict == E.NOT_TESTABLE


def test_pandemic_economy_flips_with_output_and_china_trade():
    assert verdict(frames(GROWTH, TRADE, CHINA), PANDEMIC_CLAIM).verdict == E.CONSISTENT
    grew = GROWTH | {2020: 2.0, 2021: 1.0}  # output grew through the closure: only trade fell
    assert verdict(frames(grew, TRADE, CHINA), PANDEMIC_CLAIM).verdict == E.MIXED
    held = CHINA | {2020: 2500, 2021: 2500}
    assert verdict(frames(grew, TRADE, held), PANDEMIC_CLAIM).verdict == E.CONTRADICTED


def test_first_year_parameter_is_checked():
    e = frames(GROWTH, TRADE, CHINA)["economy"]
    assert economy.check_first_year(2015, e) == 2015
    with pytest.raises(ValueError, match=r"parameter first_year: 2030 is after the economy table's last year \(2023\)"):
        economy.check_first_year(2030, e)


def test_report_headline_and_charts_follow_the_data():
    from analysis.pages import charts, economy_page

    f = frames(GROWTH, TRADE, CHINA)
    sentence, figures = economy_page.headline(f)
    assert "shrank 6.4% over 2017\u20132019" in sentence and "by 2023" in sentence
    assert figures[3] == (
        f"{(430 - 2600) / 2600 * 100:+.0f}%",
        "trade with China, 2020\u20132021 against 2018\u20132019",
    )
    marks = charts.economy.markers(f)
    assert list(marks["kind"]) == ["sanctions"] * len(SECTORAL) + ["border"] * 2
    chart = charts.trade_chart(f)
    assert len(chart.data) == 4 and len(chart.layout.shapes) == len(marks)


def test_report_table_and_gaps():
    from analysis.pages import charts, economy_page

    f = frames(GROWTH, TRADE, CHINA)
    t = economy_page.table(f, 2019).cells.set_index("Year")
    growth, trade = (economy.LABELS[m][0].upper() + economy.LABELS[m][1:] for m in ("gdp_growth", "trade_total"))
    assert list(t.index) == ["2019", "2020", "2021", "2023"]
    assert t.loc["2020", growth] == "\u22124.5" and t.loc["2019", trade] == "3,200"
    assert t.loc["2023", growth] == "\u2014"
    assert "dataframe" not in economy_page.table(f, 2019).html()
    china = next(tr for tr in charts.trade_chart(f).data if tr.name == economy.LABELS["china_trade_total"])
    assert pd.isna(china.y[list(china.customdata).index(2022)])  # the line breaks at the missing year
