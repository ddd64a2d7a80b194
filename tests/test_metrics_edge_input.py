"""Edge input to the KPI functions (issue 9): the right answer, NaN with a reason, or a clear error.

Each test is named after the numbered case of the issue it covers (case 1,
2, 8, 9, 10, 11 here; the parsers' cases 3-7 and 12 are in
tests/test_exports_edge_input.py). Each failed on the code before the fix.
"""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from nmops._validation import NmopsInputError, NmopsWarning
from nmops.metrics import (
    activity_funnel,
    click_through_rate,
    conversion_funnel,
    customer_acquisition_cost,
    engagement_rate,
    follower_growth,
    post_engagement_rate,
    read_rate,
    roas,
    roi,
    share_rate,
    simple_ltv,
)


# --------------------------------------------------------------------------- case 1: CAC with no spend rows


def test_case01_cac_month_without_spend_rows_is_unknown_not_zero():
    spend = pd.DataFrame({"month": ["2024-01"], "amount": [3000.0]})
    orders = pd.DataFrame({"user_id": [1, 2, 3], "ordered_at": pd.to_datetime(["2024-01-05", "2024-02-03", "2024-02-20"])})
    with pytest.warns(NmopsWarning, match="2024-02.*CAC"):
        out = customer_acquisition_cost(spend, orders)
    assert out.loc[pd.Period("2024-01", "M"), "cac"] == 3000.0
    feb = out.loc[pd.Period("2024-02", "M")]
    assert feb["new_customers"] == 2
    assert math.isnan(feb["spend"]) and math.isnan(feb["cac"])  # was 0.0 and 0.0


def test_case01_cac_explicit_zero_spend_row_is_zero_without_warning():
    spend = pd.DataFrame({"month": ["2024-01", "2024-02"], "amount": [3000.0, 0.0]})
    orders = pd.DataFrame({"user_id": [1, 2], "ordered_at": pd.to_datetime(["2024-01-05", "2024-02-03"])})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = customer_acquisition_cost(spend, orders)
    assert out["cac"].tolist() == [3000.0, 0.0]


# --------------------------------------------------------------------------- case 2: totals vs flows


def _daily(totals):
    return pd.DataFrame({
        "date": pd.date_range("2024-01-01", periods=len(totals)),
        "new_followers": [10] * len(totals),
        "unfollows": [0] * len(totals),
        "total_followers": totals,
    })


def test_case02_follower_growth_refuses_totals_that_contradict_flows():
    with pytest.raises(NmopsInputError, match="2024-01-03.*1020.*1500.*新关注 − 取关 = 10"):
        follower_growth(_daily([1010, 1020, 1500]), freq="month")


def test_case02_follower_growth_warns_on_request_and_accepts_within_tolerance():
    with pytest.warns(NmopsWarning, match="total_followers"):
        out = follower_growth(_daily([1010, 1020, 1500]), freq="month", on_mismatch="warn")
    assert out["net_followers"].tolist() == [30]  # the flows are what net counts
    ok = follower_growth(_daily([1010, 1020, 1032]), freq="month", tolerance=2)
    assert ok["end_total"].tolist() == [1032]
    exact = follower_growth(_daily([1010, 1020, 1030]), freq="month")
    assert exact["growth_rate"].tolist() == [0.03]
    with pytest.raises(NmopsInputError, match="tolerance"):
        follower_growth(_daily([1010, 1020, 1030]), tolerance=-1)


def test_case02_days_after_a_gap_are_not_compared():
    daily = _daily([1010, 1020, 1500]).drop(index=1)  # 1 Jan then 3 Jan: the 2 Jan flows are unknown
    assert follower_growth(daily, freq="month")["end_total"].tolist() == [1500]


# --------------------------------------------------------------------------- case 8: infinite inputs


@pytest.mark.parametrize(
    "call",
    [
        lambda: read_rate(float("inf"), delivered=100),
        lambda: read_rate(5, delivered=float("inf")),
        lambda: read_rate(pd.Series([5.0, np.inf]), pd.Series([10.0, 10.0])),
        lambda: share_rate(5, reads=np.inf),
        lambda: click_through_rate(3, -np.inf),
        lambda: roas(np.inf, 10.0),
        lambda: roi(10.0, np.inf),
    ],
)
def test_case08_rates_refuse_infinity(call):
    with pytest.raises(NmopsInputError, match="无穷大.*infinite|无穷大.*finite"):
        call()


# --------------------------------------------------------------------------- case 9: misaligned Series


@pytest.mark.parametrize(
    "call",
    [
        lambda a, b: read_rate(a, b),
        lambda a, b: share_rate(a, impressions=b),
        lambda a, b: click_through_rate(a, b),
        lambda a, b: roi(a, b),
        lambda a, b: roas(a, b),
        lambda a, b: simple_ltv(a, b / 1000),
    ],
)
def test_case09_two_series_with_different_indexes_are_refused(call):
    a = pd.Series([10, 20], index=[0, 1])
    b = pd.Series([100, 200], index=[1, 2])
    with pytest.raises(NmopsInputError, match="索引不一致.*例如索引 0"):
        call(a, b)
    # same labels in another order would also be aligned by pandas: refused too
    with pytest.raises(NmopsInputError, match="索引顺序不同"):
        call(a, pd.Series([100, 200], index=[1, 0]))
    # the same index is fine
    assert len(call(a, pd.Series([100, 200], index=[0, 1]))) == 2


# --------------------------------------------------------------------------- case 10: engagement columns


POSTS = pd.DataFrame({"likes": [10, 20], "comments": [1, 2], "shares": [0, 1], "reads": [100, 200]})


@pytest.mark.parametrize("func", [post_engagement_rate, engagement_rate])
def test_case10_engagement_refuses_a_repeated_interaction(func):
    with pytest.raises(NmopsInputError, match="likes.*不止一次"):
        func(POSTS, base="reads", interactions=["likes", "likes"])


@pytest.mark.parametrize("func", [post_engagement_rate, engagement_rate])
def test_case10_engagement_refuses_the_base_as_an_interaction(func):
    with pytest.raises(NmopsInputError, match="分母列 'reads'.*interactions"):
        func(POSTS, base="reads", interactions=["likes", "reads"])


# --------------------------------------------------------------------------- case 11: one funnel rule


def _journeys():
    t = pd.Timestamp("2024-06-01 10:00")
    rows = [
        ("u1", "a", t), ("u1", "b", t + pd.Timedelta("1min")), ("u1", "c", t + pd.Timedelta("2min")),
        ("u2", "a", t), ("u2", "b", t),  # the same second: in order unless strict
        ("u3", "b", t), ("u3", "a", t + pd.Timedelta("1h")),  # b before a
        ("u4", "a", t),
    ]
    return pd.DataFrame(rows, columns=["user_id", "step", "event_time"]).assign(campaign_id="X")


def _both(rule, **kw):
    ev = _journeys()
    conv = conversion_funnel(ev, ["a", "b", "c"], rule=rule, step="step", **kw)
    act = activity_funnel(ev, ["a", "b", "c"], rule=rule, by=None, **kw)
    return conv, act


@pytest.mark.parametrize("rule", ["in_order", "any_order", "reached"])
def test_case11_both_funnels_give_the_same_table(rule):
    conv, act = _both(rule)
    pd.testing.assert_frame_equal(conv, act)
    assert math.isnan(conv["step_conversion"].iloc[0])  # one first-step convention: no previous step
    assert conv.columns.tolist() == ["users", "step_conversion", "overall_conversion"]


def test_case11_rules_by_hand_and_strict_later_than():
    assert _both("in_order")[0]["users"].tolist() == [4, 2, 1]  # u1, u2 (same second counts as in order)
    assert _both("in_order", strict=True)[0]["users"].tolist() == [4, 1, 1]  # u2's b is not later than a
    assert _both("any_order")[0]["users"].tolist() == [4, 3, 1]  # u3's b before a counts
    assert _both("reached")[0]["users"].tolist() == [4, 3, 1]
    conv, act = _both("in_order", strict=True)
    pd.testing.assert_frame_equal(conv, act)


def test_case11_same_defaults_and_renamed_rules_explained():
    ev = _journeys()
    pd.testing.assert_frame_equal(
        conversion_funnel(ev, ["a", "b", "c"], step="step"), activity_funnel(ev, ["a", "b", "c"], by=None)
    )
    with pytest.raises(NmopsInputError, match="'sequential'.*'any_order'"):
        activity_funnel(ev, ["a", "b"], rule="sequential")
    with pytest.raises(NmopsInputError, match="strict=True.*in_order"):
        conversion_funnel(ev, ["a", "b"], step="step", rule="any_order", strict=True)
    with pytest.raises(NmopsInputError, match="'zz'.*拼写"):
        activity_funnel(ev, ["a", "zz"])


# --------------------------------------------------------------------------- documented limits


def test_limit_explicit_cohort_table_counts_users_without_events():
    from nmops.metrics import n_day_retention

    events = pd.DataFrame({"user_id": ["a", "a", "b", "z"],
                           "event_time": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 09:00", "2024-01-01 10:00", "2024-01-01 11:00"])})
    default = n_day_retention(events, 1, observed_until="2024-01-05")
    assert default["cohort_size"].tolist() == [3]  # a, b, z: c never did anything and is not counted
    users = pd.DataFrame({"user_id": ["a", "b", "c"], "first_seen": pd.to_datetime(["2024-01-01"] * 3)})
    explicit = n_day_retention(events, 1, observed_until="2024-01-05", cohorts=users)
    assert explicit["cohort_size"].tolist() == [3]  # a, b, c (z is not in the cohort table)
    assert explicit["retained"].tolist() == [1]
    assert explicit["retention"].tolist() == [pytest.approx(1 / 3)]
    with pytest.raises(NmopsInputError, match="不止一次"):
        n_day_retention(events, 1, cohorts=pd.concat([users, users]))


def test_limit_rolling_retention_with_default_end_warns_when_empty():
    from nmops.metrics import n_day_retention

    events = pd.DataFrame({"user_id": ["a", "b"], "event_time": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 20:00"])})
    with pytest.warns(NmopsWarning, match="滚动日.*empty"):
        out = n_day_retention(events, 1, day="rolling")
    assert out.empty and out.columns.tolist() == ["cohort_size", "retained", "retention"]


def test_limit_dau_of_a_utc_column_counts_beijing_days():
    from nmops.metrics import daily_active_users

    utc = pd.DataFrame({"user_id": [1, 2], "event_time": pd.to_datetime(["2024-01-01 15:00", "2024-01-01 17:00"]).tz_localize("UTC")})
    dau = daily_active_users(utc)  # 23:00 on 1 Jan and 01:00 on 2 Jan in Beijing
    assert dau.tolist() == [1, 1]
    naive = utc.assign(event_time=utc["event_time"].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None))
    assert daily_active_users(naive).tolist() == [1, 1]
