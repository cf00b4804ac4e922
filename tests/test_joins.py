"""The analysis helpers that chapters share, checked against facts in the data."""

from __future__ import annotations

import pandas as pd
import pytest

import kzlib


def test_incident_basis_keeps_incidents_without_a_stated_basis() -> None:
    basis = kzlib.incident_basis()
    incidents = kzlib.load_incidents()
    links = kzlib.load_incident_legal_basis()
    unlinked = set(incidents.incident_id) - set(links.incident_id)
    assert len(basis) == len(links) + len(unlinked)
    assert basis.loc[basis.incident_id.isin(unlinked), "measure_id"].isna().all()
    blackout = basis[basis.incident_id == "inc-2022-01-05-nationwide-blackout"]
    assert set(blackout["measure_id"]) == {
        "lm-2014-communications-law-amend-art41-1",
        "lm-2012-national-security-law",
    }
    assert pd.Timestamp("2014-04-23") in set(blackout["adopted_date"])


def test_first_use_lag_of_article_41_1() -> None:
    lag = kzlib.first_use_lag().set_index("measure_id").loc["lm-2014-communications-law-amend-art41-1"]
    assert lag.counted_from == "adopted_date"  # no entry-into-force date is recorded
    assert lag.first_incident_id == "inc-2018-11-telegraph-blocked"
    assert lag.lag_days == (pd.Timestamp("2018-11-04") - pd.Timestamp("2014-04-23")).days == 1656
    assert lag.lag_precision == "day"
    assert lag.incidents_invoking >= 3


def test_first_use_lag_takes_whole_rows() -> None:
    """The first incident's date and id come from the same row (not first non-null per column)."""
    lag = kzlib.first_use_lag()
    inc = kzlib.load_incidents().set_index("incident_id")
    for row in lag.itertuples():
        assert inc.loc[row.first_incident_id, "start_date"] == row.first_incident_date
        assert inc.loc[row.first_incident_id, "verification_status"] == row.first_incident_verification


def test_measure_domains_wide() -> None:
    wide = kzlib.measure_domains_wide().set_index("measure_id")
    row = wide.loc["lm-2014-communications-law-amend-art41-1"]
    assert row.shutdown_powers and row.website_blocking and not row.surveillance
    domains = kzlib.load_measure_domains()
    assert int(wide[list(domains["domain"].cat.categories)].to_numpy().sum()) == len(domains)


def test_incident_durations_only_for_day_precise_ends() -> None:
    dur = kzlib.incident_durations().set_index("incident_id")["duration_days"]
    assert dur["inc-2022-01-05-nationwide-blackout"] == 6  # 5 to 10 January, both days counted
    assert pd.isna(dur["inc-2019-06-mobile-internet-disruptions-protests"])  # month precision


def test_flag_counts_never_fold_unknown_into_no() -> None:
    inc = kzlib.load_incidents()
    counts = kzlib.flag_counts(inc)
    assert list(counts.index) == ["election_related", "protest_related", "gov_acknowledged"]
    assert (counts.sum(axis=1) == len(inc)).all()
    assert counts.loc["protest_related", "unknown"] == inc["protest_related"].isna().sum()


def test_with_sources() -> None:
    joined = kzlib.with_sources("incidents")
    assert len(joined) == len(kzlib.load_incident_citations())
    assert joined["url"].notna().all()
    with pytest.raises(KeyError, match="choose one of operators"):
        kzlib.with_sources("sources")


def test_durations_in_hours_where_sources_give_times() -> None:
    dur = kzlib.incident_durations().set_index("incident_id")
    blackout = dur.loc["inc-2022-01-05-nationwide-blackout"]
    # Cloudflare: from 5 Jan 10:30 UTC; NetBlocks: largely restored after 08:00 local (02:00 UTC) on 10 Jan
    assert blackout.duration_basis == "hours"
    assert blackout.duration_hours == pytest.approx(111.5)
    assert blackout.duration_precision == "hour"  # the coarser of minute (start) and hour (end)
    timed = dur["duration_hours"].notna()
    assert (dur.loc[timed, "duration_basis"] == "hours").all()
    assert (dur.loc[~timed & dur["duration_days"].notna(), "duration_basis"] == "days").all()
    assert dur.loc[dur["duration_basis"].isna(), ["duration_hours", "duration_days"]].isna().all().all()


def test_owners_on_a_date_follows_the_recorded_dates() -> None:
    before = kzlib.owners_on("2018-06-01")
    after = kzlib.owners_on("2019-06-01")
    kcell = "op-kcell"
    assert "Kazakhtelecom" not in set(before.loc[before.operator_id == kcell, "owner_name"])
    bought = after[(after.operator_id == kcell) & (after.owner_name == "Kazakhtelecom")]
    assert list(bought["share_pct"]) == [75.0]  # Dec 2018 to Sep 2021, per Telia and Kursiv
    assert set(after["basis"]) <= {"dated", "end not recorded", "start not recorded"}
    assert after["short_title"].notna().all()


def test_measure_powers_table_keeps_unknown_court_orders_unknown() -> None:
    powers = kzlib.measure_powers_table()
    assert len(powers) == len(kzlib.load_measure_powers())
    art41 = powers[powers.measure_id == "lm-2014-communications-law-amend-art41-1"]
    assert not art41["court_order_required"].fillna(True).any()  # no court order needed
    assert powers["court_order_required"].isna().sum() > 0  # unknown stays unknown
    assert powers["short_title"].notna().all()


def test_incidents_by_region_counts_each_incident_once_per_region() -> None:
    by_region = kzlib.incidents_by_region().set_index("region_code")
    links = kzlib.load_incident_regions()
    assert len(by_region) == len(kzlib.load_regions())
    assert int(by_region["incidents"].sum()) == len(links.drop_duplicates(["incident_id", "region_code"]))
    assert by_region.loc["KZ-47", "incidents"] >= 1  # Zhanaozen, Mangystau region (2011)


def test_reactions_and_short_titles() -> None:
    rx = kzlib.reactions_to_incidents()
    assert len(rx) == len(kzlib.load_reactions())
    assert rx["incident_title"].notna().all()
    assert not set(rx["reaction_id"]) & set(kzlib.load_incidents()["incident_id"])
    titles = kzlib.short_titles()
    assert all(0 < len(t) <= 60 for t in titles.values())
    assert titles["inc-2022-01-05-nationwide-blackout"] == "Nationwide blackout, January 2022"
