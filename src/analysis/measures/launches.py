"""Launch days: the missiles of each KST calendar date taken together, the unit the counts, the checks and the charts
share (a salvo is one launch day, however many missiles flew)."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["date_kst", "missiles", "names", "launch_ids", "confirmed", "outcomes"]


def launches_by_day(missiles: pd.DataFrame, by_class: bool = False) -> pd.DataFrame:
    """One row per KST launch day (per day and class with `by_class`), in date order.

    missiles: how many flew; names: the distinct missile names, in the order flown; launch_ids: the distinct launch
    ids (a launch id is a UTC date, so a KST day can hold two); confirmed: whether any was confirmed; outcomes:
    (outcome, missiles) pairs, the most frequent first. The tuples are for the callers to word.
    """
    keys = ["date_kst", "missile_class"] if by_class else ["date_kst"]
    columns = COLUMNS[:1] + keys[1:] + COLUMNS[1:]
    if missiles.empty:
        return pd.DataFrame({c: [] for c in columns})
    return (
        missiles.assign(missile_class=missiles["missile_class"].astype(str))
        .groupby(keys)
        .agg(
            missiles=("date_kst", "size"),
            names=("missile_name", lambda s: tuple(dict.fromkeys(s.astype(str)))),
            launch_ids=("launch_id", lambda s: tuple(dict.fromkeys(s))),
            confirmed=("confirmed", lambda s: bool(s.fillna(False).any())),
            outcomes=("outcome", lambda s: tuple(s.astype(str).value_counts().items())),
        )
        .reset_index()[columns]
    )
