"""analysis.data.names: the human names of diplomatic events, and the registry's titles made from them."""

from __future__ import annotations

import pytest

from analysis.data import names

ROW = {
    "parties": "US;DPRK",
    "trump_kim": "true",
    "kind": "summit",
    "location": "Singapore",
    "start_date": "2018-06-12",
    "end_date": "2018-06-12",
}


def test_event_name_says_who_what_where_and_when():
    assert names.window_title(ROW) == "Launches before and after the Trump–Kim summit in Singapore (12 June 2018)"
    assert (
        names.event_name({**ROW, "parties": "DPRK;ROK", "trump_kim": False, "location": "Panmunjom (DMZ)"})
        == "the inter-Korean summit in Panmunjom (12 June 2018)"
    )
    assert (
        names.event_name({**ROW, "trump_kim": "false", "kind": "talks", "location": "Stockholm, Sweden"})
        == "the US–North Korea talks in Stockholm (12 June 2018)"
    )


def test_registry_title_names_the_event(tmp_path):
    from analysis.build import registry

    (tmp_path / "nb.ipynb").write_text("{}")
    (tmp_path / "reports.yml").write_text(
        "reports:\n  w:\n    notebook: nb.ipynb\n    title: 'Launches before and after {event_id:event}'\n"
        "    sweep: {event_id: [2018-06-12-singapore-summit, nope]}\n"
    )
    with pytest.raises(
        registry.RegistryError, match="report 'w': title: 'nope' is not an event_id in diplomatic_events.csv"
    ):
        registry.load(tmp_path / "reports.yml")
    (tmp_path / "reports.yml").write_text((tmp_path / "reports.yml").read_text().replace(", nope", ""))
    [r] = registry.load(tmp_path / "reports.yml")
    assert r.title == "Launches before and after the Trump–Kim summit in Singapore (12 June 2018)"
