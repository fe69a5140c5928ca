"""What the flights show of North Korea's capabilities: apogee and distance per class and year, every flight
of one class with its records, and the launch sites."""

from __future__ import annotations

import pandas as pd

from analysis.measures.counts import classes


def capability_progression(missiles: pd.DataFrame) -> pd.DataFrame:
    """Per class and KST year: missiles flown, the highest apogee and the longest distance reported (km; NaN if none)."""
    cols = ["missile_class", "year", "missiles", "max_apogee_km", "max_distance_km"]
    if missiles.empty:
        return pd.DataFrame({c: [] for c in cols})
    g = missiles.assign(year=missiles["date_kst"].dt.year, missile_class=missiles["missile_class"].astype(str))
    out = (
        g.groupby(["missile_class", "year"])
        .agg(missiles=("date_kst", "size"), max_apogee_km=("apogee_km", "max"), max_distance_km=("distance_km", "max"))
        .reset_index()
    )
    out["missile_class"] = pd.Categorical(out["missile_class"], categories=classes())
    return out.sort_values(["missile_class", "year"]).reset_index(drop=True)[cols]


def class_progression(missiles: pd.DataFrame, missile_class: str = "ICBM") -> pd.DataFrame:
    """Every flight of one class in date order, with `apogee_record` (higher than every earlier flight of the class)."""
    cols = ["date_kst", "missile_name", "apogee_km", "distance_km", "outcome", "confirmed"]
    sub = missiles[missiles["missile_class"] == missile_class].sort_values("date_kst", kind="stable")[cols].copy()
    prev = sub["apogee_km"].cummax().shift(1)
    sub["apogee_record"] = sub["apogee_km"].notna() & (prev.isna() | (sub["apogee_km"] > prev))
    sub["apogee_record"] = sub["apogee_record"].astype(bool)
    sub["outcome"] = sub["outcome"].astype(str)
    return sub.reset_index(drop=True)


def launch_sites(missiles: pd.DataFrame) -> pd.DataFrame:
    """Per launch site with coordinates and class: missiles, launch days, first and last KST date, site name."""
    cols = ["facility", "latitude", "longitude", "missile_class", "missiles", "launch_days", "first", "last"]
    sub = missiles.dropna(subset=["latitude", "longitude"])
    if sub.empty:
        return pd.DataFrame({c: [] for c in cols})
    sub = sub.assign(missile_class=sub["missile_class"].astype(str))
    out = (
        sub.groupby(["facility", "latitude", "longitude", "missile_class"])
        .agg(
            missiles=("date_kst", "size"),
            launch_days=("date_kst", "nunique"),
            first=("date_kst", "min"),
            last=("date_kst", "max"),
        )
        .reset_index()
    )
    out["missile_class"] = pd.Categorical(out["missile_class"], categories=classes())
    return out.sort_values(["missile_class", "missiles", "facility"], ascending=[True, False, True]).reset_index(
        drop=True
    )[cols]
