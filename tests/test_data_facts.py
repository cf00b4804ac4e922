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


def test_january_2022_restrictions_and_reactions_apart(incidents: pd.DataFrame) -> None:
    jan = incidents[incidents.event_label == "January 2022 unrest"]
    assert len(jan) >= 8
    assert {"network_shutdown", "platform_block"} <= set(jan.category.astype(str))
    assert jan.loc[jan.start_precision == "day", "start_date"].min() == DAY("2022-01-02")
    reactions = kzlib.load_reactions()
    said = reactions[reactions.incident_id == "inc-2022-01-05-nationwide-blackout"]
    assert {"foreign_government", "intergovernmental", "ngo", "kazakh_government"} <= set(
        said.actor_type.astype(str)
    )
    assert not set(reactions.reaction_id) & set(incidents.index)


def test_january_2022_blackout_in_hours(incidents: pd.DataFrame) -> None:
    row = incidents.loc["inc-2022-01-05-nationwide-blackout"]
    # Cloudflare: traffic fell from 10:30 UTC (16:30 local);
    # NetBlocks: largely back after 08:00 local on 10 January
    assert (row.start_utc, row.start_utc_precision) == (pd.Timestamp("2022-01-05T10:30Z"), "minute")
    assert (row.end_utc, row.end_utc_precision) == (pd.Timestamp("2022-01-10T02:00Z"), "hour")


def test_february_2021_shutdown(incidents: pd.DataFrame) -> None:
    row = incidents.loc["inc-2021-02-28-almaty-nursultan-shutdown"]
    assert row.start_date == row.end_date == DAY("2021-02-28")
    assert bool(row.protest_related)


def test_qaznet_certificate_2019(incidents: pd.DataFrame) -> None:
    row = incidents.loc["inc-2019-07-17-qaznet-https-interception"]
    assert (row.start_date, row.end_date) == (DAY("2019-07-17"), DAY("2019-08-06"))
    assert row.category == "tls_interception"
    rx = kzlib.load_reactions().set_index("reaction_id").loc["rx-2019-08-21-browsers-distrust-qaznet-root"]
    assert (rx.incident_id, rx.reaction_type, rx.date) == (
        row.name,
        "technical_countermeasure",
        DAY("2019-08-21"),
    )
    targets = kzlib.load_incident_targets()
    assert (targets.incident_id == row.name).sum() == 37  # Censored Planet's list of 23 July 2019


def test_false_information_article(measures: pd.DataFrame) -> None:
    row = measures.loc["lm-2014-criminal-code-art-274-false-information"]
    assert (row.adopted_date, row.effective_date) == (DAY("2014-07-03"), DAY("2015-01-01"))
    assert row.instrument_type == "code"


def test_article_41_1_needs_no_court_order(measures: pd.DataFrame) -> None:
    row = measures.loc["lm-2014-communications-law-amend-art41-1"]
    assert row.adopted_date == DAY("2014-04-23")
    powers = kzlib.load_measure_powers().set_index(["measure_id", "power"])["court_order_required"]
    assert powers[(row.name, "network_suspension")] == False  # noqa: E712  (a known false, not unknown)
    assert powers[("lm-2012-national-security-law", "network_suspension")] == False  # noqa: E712
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


def test_corrections_of_the_2_0_review() -> None:
    """The errors an outside fact check found in 1.0.0 stay corrected, each with an erratum."""
    inc = kzlib.load_incidents().set_index("incident_id")
    google = inc.loc["inc-2011-06-google-kz-redirect"]
    assert (google.end_date, google.end_precision) == (DAY("2011-06-16"), "day")
    zhanaozen = inc.loc["inc-2011-12-16-zhanaozen-communications-cut"]
    assert (zhanaozen.end_date, zhanaozen.end_precision) == (DAY("2011-12-20"), "day")
    rules = kzlib.load_legal_measures().set_index("measure_id").loc["lm-2016-domain-rules"]
    assert "hosted in Kazakhstan" in rules.summary_en and pd.notna(rules.effective_date)
    ind = kzlib.load_indicators()
    kgz = ind[(ind.indicator == "fotn_total_score") & (ind.country == "KGZ") & (ind.year == 2021)]
    assert set(kgz.value) == {53}
    errata = kzlib.load_errata()
    assert {"inc-2011-06-google-kz-redirect", "inc-2011-12-16-zhanaozen-communications-cut"} <= set(
        errata.record_id
    )


def test_every_main_record_has_been_checked() -> None:
    for table in ("incidents", "reactions", "legal_measures", "operators", "operator_asns", "indicators"):
        df = kzlib.load(table)
        assert df["verified"].notna().all(), table
        assert df["verified_result"].notna().all(), table
        assert (df["verified_result"] == "confirmed").mean() > 0.6, table  # the rest say why


def test_every_locator_is_short() -> None:
    for table in (
        "operator_citations",
        "measure_citations",
        "incident_citations",
        "reaction_citations",
        "seed_claim_citations",
    ):
        words = kzlib.load(table)["locator"].str.split().str.len()
        assert words.max() < 25 + 1, table
