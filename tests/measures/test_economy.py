"""The economy helpers and the economic claim checks, on hand-made tables built so that each verdict flips."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.checks import claims
from analysis.checks.claims import CONTRADICTED, MIXED, NOT_TESTABLE, SUPPORTED
from analysis.measures import economy

CLOSURE, FREIGHT = claims.BORDER_CLOSURE, claims.FREIGHT_REOPENING
SECTORAL_DATES = ["2016-03-02", "2016-11-30", "2017-08-05", "2017-09-11", "2017-12-22"]


def rows(measure: str, values: dict[int, float]) -> list[dict]:
    unit = "percent" if measure == "gdp_growth" else "USD million"
    return [
        {
            "year": y,
            "measure": measure,
            "value": float(v),
            "unit": unit,
            "publisher": "p",
            "publication": "q",
            "source_ids": "src-e",
            "note": None,
        }
        for y, v in values.items()
    ]


def event(event_id: str) -> dict:
    d = pd.Timestamp(event_id[:10])
    return {
        "event_id": event_id,
        "start_date": d,
        "end_date": d,
        "kind": "other",
        "parties": "DPRK;CN",
        "location": "x",
        "title": event_id[11:],
        "outcome": "o",
        "trump_kim": False,
        "source_ids": "src-b",
    }


def frames(
    growth: dict, trade: dict, china: dict, events=(CLOSURE, FREIGHT), sanctions=True
) -> dict[str, pd.DataFrame]:
    sanc = (
        [
            {
                "sanction_id": sid,
                "date": pd.Timestamp(d),
                "action": "adopted",
                "kind": "sanctions",
                "measures": "m",
                "source_ids": "src-b",
            }
            for sid, d in zip(claims.SECTORAL, SECTORAL_DATES)
        ]
        if sanctions
        else []
    )
    return {
        "economy": pd.DataFrame(
            rows("gdp_growth", growth) + rows("trade_total", trade) + rows("china_trade_total", china)
        ),
        "diplomatic_events": pd.DataFrame([event(e) for e in events], columns=list(event(CLOSURE))),
        "sanctions": pd.DataFrame(sanc, columns=["sanction_id", "date", "action", "kind", "measures", "source_ids"]),
    }


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


def test_sanctions_economy_flips_with_output_and_trade():
    v = claims.check_sanctions_economy(frames(GROWTH, TRADE, CHINA))
    assert v.verdict == SUPPORTED
    assert v.figures["years compared"] == "2013\u20132015 (before) with 2017\u20132019 (sanctions in effect)"
    assert v.figures["change in mean total trade (%)"] == pytest.approx((3833.33 - 7000) / 7000 * 100, abs=0.1)
    assert list(v.evidence) == [*claims.SECTORAL, CLOSURE] and set(v.evidence_table["year"]) == set(
        range(2013, 2020)
    ) - {2016}
    # Growth held up: only trade fell.
    steady = GROWTH | {2017: 1.0, 2018: 1.0, 2019: 1.0}
    assert claims.check_sanctions_economy(frames(steady, TRADE, CHINA)).verdict == MIXED
    # Trade held up too (a 5% fall is within the estimates' uncertainty).
    flat = TRADE | {2017: 6700, 2018: 6700, 2019: 6550}
    assert claims.check_sanctions_economy(frames(steady, flat, CHINA)).verdict == CONTRADICTED
    # Negative growth that is no worse than before does not count as a fall.
    assert (
        claims.check_sanctions_economy(frames(GROWTH | {2013: -5.0, 2014: -5.0, 2015: -5.0}, flat, CHINA)).verdict
        == CONTRADICTED
    )


def test_sanctions_economy_is_not_testable_without_its_inputs():
    v = claims.check_sanctions_economy(frames({y: g for y, g in GROWTH.items() if y != 2018}, TRADE, CHINA))
    assert v.verdict == NOT_TESTABLE and "real GDP growth (%, Bank of Korea) 2018" in v.rationale
    assert claims.check_sanctions_economy(frames(GROWTH, TRADE, CHINA, sanctions=False)).verdict == NOT_TESTABLE
    # Without the closure event the sanctions years run two years past the last resolution.
    v = claims.check_sanctions_economy(frames(GROWTH, TRADE, CHINA, events=()))
    assert v.figures["years compared"].endswith("2017\u20132019 (sanctions in effect)")


def test_pandemic_economy_flips_with_output_and_china_trade():
    v = claims.check_pandemic_economy(frames(GROWTH, TRADE, CHINA))
    assert v.verdict == SUPPORTED
    assert v.figures["years compared"] == "2018\u20132019 (before) with 2020\u20132021 (border closed)"
    assert v.figures["change in mean trade with China (%)"] == pytest.approx((430 - 2600) / 2600 * 100, abs=0.1)
    assert v.figures["trade with China 2023 as a share of 2018\u20132019 (%)"] == round(2300 / 2600 * 100)
    assert v.evidence == [CLOSURE, FREIGHT]
    # Output grew through the closure: only trade fell.
    assert claims.check_pandemic_economy(frames(GROWTH | {2020: 2.0, 2021: 1.0}, TRADE, CHINA)).verdict == MIXED
    # Trade with China held up as well.
    held = CHINA | {2020: 2500, 2021: 2500}
    assert claims.check_pandemic_economy(frames(GROWTH | {2020: 2.0, 2021: 1.0}, TRADE, held)).verdict == CONTRADICTED


def test_pandemic_economy_windows_follow_the_events():
    assert claims.check_pandemic_economy(frames(GROWTH, TRADE, CHINA, events=())).verdict == NOT_TESTABLE
    # Without the freight reopening only the closure year is compared.
    v = claims.check_pandemic_economy(frames(GROWTH, TRADE, CHINA, events=(CLOSURE,)))
    assert v.figures["years compared"] == "2018\u20132019 (before) with 2020 (border closed)"
    v = claims.check_pandemic_economy(frames(GROWTH, TRADE, {y: c for y, c in CHINA.items() if y != 2021}))
    assert v.verdict == NOT_TESTABLE and "2021" in v.rationale


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
    assert list(marks["kind"]) == ["sanctions"] * 5 + ["border"] * 2
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
