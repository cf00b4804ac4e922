"""Facts the project verified against its sources: if one of these changes, it must be on
purpose (with an errata row), not by accident."""

from __future__ import annotations

import pandas as pd
import pytest

import kzlib

DAY = pd.Timestamp


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return kzlib.load_incidents().set_index("incident_id")


@pytest.fixture(scope="module")
def measures() -> pd.DataFrame:
    return kzlib.load_legal_measures().set_index("measure_id")


def test_coverage_counts() -> None:
    assert len(kzlib.load_legal_measures()) >= 30
    assert len(kzlib.load_incidents()) >= 40
    assert len(kzlib.load_operators()) >= 15


def test_january_2022_blackout(incidents: pd.DataFrame) -> None:
    row = incidents.loc["inc-2022-01-05-nationwide-blackout"]
    assert (row.start_date, row.start_precision) == (DAY("2022-01-05"), "day")
    assert (row.category, row.extent, row.geo_scope) == ("network_shutdown", "full_network", "national")
    assert row.event_label == "January 2022 unrest"
    assert row.verification_status == "measured"
    basis = kzlib.load_incident_legal_basis()
    assert "lm-2014-communications-law-amend-art41-1" in set(
        basis.loc[basis.incident_id == "inc-2022-01-05-nationwide-blackout", "measure_id"]
    )


def test_january_2022_is_split_day_by_day(incidents: pd.DataFrame) -> None:
    jan = incidents[incidents.event_label == "January 2022 unrest"]
    assert len(jan) >= 10
    assert {"network_shutdown", "platform_block", "other", "prosecution"} <= set(jan.category.astype(str))
    assert jan.loc[jan.start_precision == "day", "start_date"].min() == DAY("2022-01-02")


def test_february_2021_shutdown(incidents: pd.DataFrame) -> None:
    row = incidents.loc["inc-2021-02-28-almaty-nursultan-shutdown"]
    assert row.start_date == row.end_date == DAY("2021-02-28")
    assert bool(row.protest_related)


def test_qaznet_certificate_2019(incidents: pd.DataFrame) -> None:
    row = incidents.loc["inc-2019-07-17-qaznet-https-interception"]
    assert (row.start_date, row.end_date) == (DAY("2019-07-17"), DAY("2019-08-06"))
    assert row.category == "tls_interception"
    assert incidents.loc["inc-2019-08-21-browsers-block-qaznet-root", "start_date"] == DAY("2019-08-21")


def test_false_information_article(measures: pd.DataFrame) -> None:
    row = measures.loc["lm-2014-criminal-code-art-274-false-information"]
    assert (row.adopted_date, row.effective_date) == (DAY("2014-07-03"), DAY("2015-01-01"))
    assert row.instrument_type == "code"


def test_article_41_1_needs_no_court_order(measures: pd.DataFrame) -> None:
    row = measures.loc["lm-2014-communications-law-amend-art41-1"]
    assert row.adopted_date == DAY("2014-04-23")
    assert row.court_order_required == False  # noqa: E712  (a known false, not unknown)
    assert row.amends_measure_id == "lm-2004-communications-law"
    assert measures.loc["lm-2004-communications-law", "adopted_date"] == DAY("2004-07-05")


def test_state_secrets_law(measures: pd.DataFrame) -> None:
    assert measures.loc["lm-1999-law-on-state-secrets", "adopted_date"] == DAY("1999-03-15")


def test_asns_are_attributed_to_the_right_company() -> None:
    asns = kzlib.load_operator_asns().set_index("asn")["operator_id"]
    assert asns[9198] == "op-kazakhtelecom"
    assert asns[29355] == "op-kcell"
    assert asns[41798] == "op-transtelecom"  # Kazakhstan's Transtelecom, not KazTransCom


def test_lookalike_operators_stay_apart() -> None:
    ops = kzlib.load_operators().set_index("operator_id")
    assert {"op-transtelecom", "op-kaztranscom"} <= set(ops.index)
    assert "TransTeleCom" in ops.loc["op-transtelecom", "notes"]  # the Russian namesake is flagged


def test_freedom_on_the_net_scale_flip() -> None:
    ind = kzlib.load_indicators()
    fotn = ind[(ind.indicator == "fotn_total_score") & (ind.country == "KAZ")]
    assert set(fotn.loc[fotn.year <= 2016, "direction"].astype(str)) == {"higher_is_less_free"}
    assert set(fotn.loc[fotn.year >= 2019, "direction"].astype(str)) == {"higher_is_freer"}
    assert 2022 in set(fotn.year)


def test_seed_text_is_fully_accounted_for() -> None:
    claims = kzlib.load_seed_claims()
    assert set(claims.seed_line) == set(range(1, 29))
    assert claims.set_index("claim_id").loc["seed-23b", "outcome"] == "contradicted"
    unverified = kzlib.load_incidents().query("verification_status == 'unverified_claim'")
    cites = kzlib.load_incident_citations()
    for inc in unverified.incident_id:
        assert "src-wikipedia-internet-in-kazakhstan" in set(cites.loc[cites.incident_id == inc, "source_id"])


def test_every_locator_is_short() -> None:
    for table in ("operator_citations", "measure_citations", "incident_citations", "seed_claim_citations"):
        words = kzlib.load(table)["locator"].str.split().str.len()
        assert words.max() < 25 + 1, table
