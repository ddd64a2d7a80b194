"""Another seed and year (for the capstone) is just as coherent and keeps the planted effects."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportions_ztest

from nmops.datasets.generate import build_tables


@pytest.fixture(scope="module")
def other():
    tables, exports, manifest = build_tables(seed=2026, year=2028)
    return tables, exports, manifest


def test_other_year_is_a_full_coherent_year(other):
    t, exports, manifest = other
    assert manifest["year"] == 2028 and manifest["seed"] == 2026
    f = t["followers_daily"]
    assert len(f) == 366 * 6  # 2028 is a leap year
    assert (t["posts"]["published_at"].dt.year == 2028).all()
    assert (t["events"]["event_time"].dt.year == 2028).all()
    counted = t["visits"]["utm_content"].value_counts()
    assert (t["posts"]["post_id"].map(counted).fillna(0).to_numpy() <= t["posts"]["link_clicks"].to_numpy()).all()
    o = t["orders"][t["orders"]["store"] == "mini_program"].merge(t["visits"][["visit_id", "user_id", "visited_at"]], on="visit_id", suffixes=("", "_v"))
    assert (o["user_id"] == o["user_id_v"]).all() and (o["ordered_at"] > o["visited_at"]).all()
    assert len(exports) == 5


def test_other_year_keeps_the_headline_effects(other):
    t, _, _ = other
    users, orders = t["users"], t["orders"]
    users = users[users["first_visit_id"].notna()]
    orders = orders[orders["ordered_at"].dt.year == 2028]
    conv = users["user_id"].isin(orders["user_id"]).groupby(users["first_channel"]).mean()
    assert conv.idxmax() == "zhihu"
    wx = t["posts"][(t["posts"]["channel"] == "wechat") & t["posts"]["campaign_id"].isna()]
    g = wx.groupby("content_type")[["shares", "reads"]].sum()
    assert (g["shares"] / g["reads"]).idxmax() == "comic"
    ab = t["ab_tests"]
    for test_id, check in (("T01", lambda p: p < 0.01), ("T02", lambda p: p > 0.3)):
        rows = ab[ab["test_id"] == test_id].set_index("variant")
        _, p = proportions_ztest(rows["reads"].to_numpy(), rows["delivered"].to_numpy())
        assert check(p), (test_id, p)
    # Mid-Autumn 2028 is on 3 October: September–October carry the peak
    rev = orders.groupby(orders["ordered_at"].dt.month)["amount"].sum()
    assert rev.idxmax() in (9, 10)
