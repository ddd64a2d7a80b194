"""Tests for nmops.metrics.conversion: funnel, conversion rate, CAC, ROI/ROAS, LTV, north star.

Expected values are worked out by hand in the comments, or are properties
checked with hypothesis against plain-pandas formulations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError, NmopsWarning
from nmops.metrics.conversion import (
    conversion_funnel,
    conversion_rate_by_channel,
    customer_acquisition_cost,
    north_star_tracker,
    roas,
    roi,
    simple_ltv,
)

T = pd.Timestamp

# 1: visit -> cart -> order (in order)       first visit from wechat
# 2: cart 09:00, visit 11:00 (cart before visit), order 12:00   from weibo
# 3: visit, order (no cart)                   from wechat
# 4: visit, cart 3 days later                 from weibo
# 5: cart only
EVENTS = pd.DataFrame(
    {
        "user_id": [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5],
        "event": ["visit", "cart", "order", "cart", "visit", "order", "visit", "order", "visit", "cart", "cart"],
        "event_time": pd.to_datetime(
            [
                "2024-06-01 10:00", "2024-06-01 10:05", "2024-06-01 10:09",
                "2024-06-01 09:00", "2024-06-01 11:00", "2024-06-01 12:00",
                "2024-06-02 00:00", "2024-06-02 01:00",
                "2024-06-03 00:00", "2024-06-06 00:00",
                "2024-06-04 00:00",
            ]
        ),
        "utm_source": ["wechat", None, None, None, "weibo", None, "wechat", None, "weibo", None, None],
    }
)


# --------------------------------------------------------------------------- funnel

STEPS = ["visit", "cart", "order"]


def test_ordered_funnel_by_hand():
    f = conversion_funnel(EVENTS, STEPS)
    # visit: 1,2,3,4; cart after visit: 1,4; order after that cart: 1
    assert f["users"].tolist() == [4, 2, 1]
    assert f["step_conversion"].tolist()[1:] == [0.5, 0.5]
    assert np.isnan(f["step_conversion"].iloc[0])  # the first step has no previous step
    assert f["overall_conversion"].tolist() == [1.0, 0.5, 0.25]
    assert list(f.index) == ["visit", "cart", "order"]


def test_unordered_funnel_by_hand():
    f = conversion_funnel(EVENTS, STEPS, rule="any_order")
    # visit: 1,2,3,4; and cart at any time: 1,2,4; and order: 1,2
    assert f["users"].tolist() == [4, 3, 2]


def test_funnel_within_window():
    f = conversion_funnel(EVENTS, STEPS, within="1D")
    # user 4's cart comes 3 days after the visit: out of a 1-day window
    assert f["users"].tolist() == [4, 1, 1]


def test_funnel_default_steps_are_the_course_event_names():
    names = {"visit": "open", "cart": "add_to_cart", "order": "purchase"}
    ev = EVENTS.assign(event=EVENTS["event"].map(names).astype("category"))
    f = conversion_funnel(ev)
    assert list(f.index) == ["open", "add_to_cart", "purchase"]
    assert f["users"].tolist() == [4, 2, 1]
    with pytest.raises(NmopsInputError, match="现有取值：cart, order, visit"):
        conversion_funnel(EVENTS)  # the error lists the names that do exist


def test_funnel_two_steps_and_custom_columns():
    ev = EVENTS.rename(columns={"user_id": "uid", "event": "step", "event_time": "ts"})
    f = conversion_funnel(ev, ["visit", "order"], user="uid", step="step", at="ts")
    # order after first visit: 1, 2 (12:00 after the 11:00 visit), 3
    assert f["users"].tolist() == [4, 3]


def test_funnel_by_segment_by_hand():
    f = conversion_funnel(EVENTS, STEPS, segment="utm_source")
    # wechat: users 1, 3 -> cart 1 -> order 1; weibo: users 2, 4 -> cart 4 -> order none
    assert f.loc["wechat", "users"].tolist() == [2, 1, 1]
    assert f.loc["weibo", "users"].tolist() == [2, 1, 0]
    assert f.loc["weibo", "step_conversion"].tolist()[1:] == [0.5, 0.0]
    assert f.loc["wechat", "overall_conversion"].tolist() == [1.0, 0.5, 0.5]
    assert f.index.names == ["utm_source", "step"]
    # the same with a shuffled, non-default row index (e.g. after filtering or concatenating)
    shuffled = EVENTS.iloc[::-1].set_axis([f"r{i}" for i in range(len(EVENTS))])
    pd.testing.assert_frame_equal(conversion_funnel(shuffled, STEPS, segment="utm_source"), f)


_funnel_rows = st.lists(
    st.tuples(st.integers(0, 6), st.sampled_from(["visit", "cart", "order"]), st.integers(0, 100)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(_funnel_rows)
def test_funnel_properties(rows):
    ev = pd.DataFrame(
        {
            "user_id": [u for u, _, _ in rows] + [99, 99, 99],
            "event": [e for _, e, _ in rows] + ["visit", "cart", "order"],
            "event_time": [T("2024-01-01") + pd.Timedelta(hours=h) for _, _, h in rows] + [T("2024-02-01")] * 3,
        }
    )
    ordered = conversion_funnel(ev, STEPS)
    loose = conversion_funnel(ev, STEPS, rule="any_order")
    assert ordered["users"].is_monotonic_decreasing and loose["users"].is_monotonic_decreasing
    assert (ordered["users"] <= loose["users"]).all()
    for f in (ordered, loose):
        for col in ("step_conversion", "overall_conversion"):
            assert f[col].iloc[1:].between(0, 1).all()
    # the unordered funnel from sets, written differently
    has = ev.groupby("event")["user_id"].apply(set)
    expected = [len(has["visit"]), len(has["visit"] & has["cart"]), len(has["visit"] & has["cart"] & has["order"])]
    assert loose["users"].tolist() == expected


def test_funnel_bad_input():
    with pytest.raises(NmopsInputError, match="缺少列：event"):
        conversion_funnel(EVENTS.drop(columns="event"), STEPS)
    with pytest.raises(NmopsInputError, match="Cart"):
        conversion_funnel(EVENTS, ["visit", "Cart"])
    with pytest.raises(NmopsInputError, match="至少两个"):
        conversion_funnel(EVENTS, ["visit"])
    with pytest.raises(NmopsInputError, match="至少两个"):
        conversion_funnel(EVENTS, "visit")
    with pytest.raises(NmopsInputError, match="重复"):
        conversion_funnel(EVENTS, ["visit", "visit"])
    with pytest.raises(NmopsInputError, match="rule='in_order'"):
        conversion_funnel(EVENTS, STEPS, rule="any_order", within="1D")
    with pytest.raises(NmopsInputError, match="within"):
        conversion_funnel(EVENTS, STEPS, within="a while")
    with pytest.raises(NmopsInputError, match="pd.to_datetime"):
        conversion_funnel(EVENTS.assign(event_time=EVENTS["event_time"].astype(str)), STEPS)
    with pytest.raises(NmopsInputError, match="缺失值"):
        conversion_funnel(EVENTS.assign(user_id=EVENTS["user_id"].where(EVENTS.index != 0)), STEPS)
    with pytest.raises(NmopsInputError, match="utm_source"):
        conversion_funnel(EVENTS.assign(utm_source=None), STEPS, segment="utm_source")
    with pytest.raises(NmopsInputError, match="空表"):
        conversion_funnel(EVENTS.iloc[:0], STEPS)


# --------------------------------------------------------------------------- conversion rate by channel

VISITS = pd.DataFrame(
    {"visit_id": ["v1", "v2", "v3", "v4", "v5"], "utm_source": ["wechat", "wechat", "weibo", None, "weibo"]}
)
ORDERS = pd.DataFrame(
    {"order_id": ["o1", "o2", "o3", "o4", "o5"], "visit_id": ["v1", "v1", "v3", None, "v99"], "amount": [1.0] * 5}
)


def test_conversion_rate_converting_visits_by_hand():
    r = conversion_rate_by_channel(VISITS, ORDERS, numerator="converting_visits")
    # wechat: v1 converts (twice), v2 not -> 1/2; weibo: v3 yes, v5 no -> 1/2; direct: v4 -> 0/1
    # o4 (no visit) and o5 (unknown visit) are left out
    assert r.loc["wechat"].tolist() == [2, 1, 0.5]
    assert r.loc["weibo"].tolist() == [2, 1, 0.5]
    assert r.loc["(direct)"].tolist() == [1, 0, 0.0]


def test_conversion_rate_orders_can_exceed_one():
    r = conversion_rate_by_channel(VISITS, ORDERS, numerator="orders")
    assert r.loc["wechat", "conversions"] == 2 and r.loc["wechat", "conversion_rate"] == 1.0
    two = pd.concat([ORDERS, pd.DataFrame({"order_id": ["o6"], "visit_id": ["v3"], "amount": [1.0]})])
    r2 = conversion_rate_by_channel(VISITS, two, numerator="orders")
    assert r2.loc["weibo", "conversion_rate"] == 1.0  # 2 orders / 2 visits
    r3 = conversion_rate_by_channel(VISITS.iloc[[2]], two, numerator="orders")
    assert r3.loc["weibo", "conversion_rate"] == 2.0  # 2 orders / 1 visit: "orders / visits" is not a share


def test_conversion_rate_duplicate_order_rows_count_once_and_custom_channel():
    dup = pd.concat([ORDERS, ORDERS.iloc[[2]]])
    v = VISITS.rename(columns={"utm_source": "utm_campaign"})
    r = conversion_rate_by_channel(v, dup, numerator="orders", channel="utm_campaign", missing_channel="(none)")
    assert r.loc["weibo", "conversions"] == 1
    assert "(none)" in r.index and r.index.name == "utm_campaign"


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", None]), min_size=1, max_size=15),
    st.lists(st.integers(0, 20), max_size=20),
)
def test_converting_visit_rate_in_unit_interval(channels, order_visits):
    visits = pd.DataFrame({"visit_id": range(len(channels)), "utm_source": channels})
    orders = pd.DataFrame({"order_id": range(len(order_visits)), "visit_id": order_visits})
    r = conversion_rate_by_channel(visits, orders, numerator="converting_visits")
    assert ((r["conversion_rate"] >= 0) & (r["conversion_rate"] <= 1)).all()
    assert r["visits"].sum() == len(visits)
    linked = set(order_visits) & set(range(len(channels)))
    assert r["conversions"].sum() == len(linked)


def test_conversion_rate_bad_input():
    with pytest.raises(NmopsInputError, match="numerator"):
        conversion_rate_by_channel(VISITS, ORDERS, numerator="visits")
    with pytest.raises(TypeError, match="numerator"):
        conversion_rate_by_channel(VISITS, ORDERS)  # the numerator must be chosen explicitly
    with pytest.raises(NmopsInputError, match="缺少列：utm_source"):
        conversion_rate_by_channel(VISITS.drop(columns="utm_source"), ORDERS, numerator="orders")
    with pytest.raises(NmopsInputError, match="缺少列：visit_id"):
        conversion_rate_by_channel(VISITS, ORDERS.drop(columns="visit_id"), numerator="orders")
    with pytest.raises(NmopsInputError, match="重复"):
        conversion_rate_by_channel(pd.concat([VISITS, VISITS.iloc[:1]]), ORDERS, numerator="orders")
    with pytest.raises(NmopsInputError, match="缺失值"):
        conversion_rate_by_channel(VISITS.assign(visit_id=[None, "a", "b", "c", "d"]), ORDERS, numerator="orders")


# --------------------------------------------------------------------------- CAC

SPEND = pd.DataFrame(
    {
        "month": ["2024-01", "2024-01", "2024-02", "2024-04"],
        "channel": ["wechat", "weibo", "wechat", "wechat"],
        "kind": ["ads", "kol", "ads", "content"],
        "amount": [3000.0, 1000.0, 2000.0, 500.0],
    }
)
BUYS = pd.DataFrame(
    {
        "user_id": [1, 2, 1, 3, 4, 5],
        "ordered_at": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02", "2024-02-28", "2024-03-01", "2024-03-02"]),
    }
)


def test_cac_by_hand():
    with pytest.warns(NmopsWarning, match="2024-03"):
        c = customer_acquisition_cost(SPEND, BUYS)
    # new customers: Jan 1,2; Feb 3 (1 is returning); Mar 4,5; Apr none
    assert list(c.index.astype(str)) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert c["spend"].tolist()[:2] + c["spend"].tolist()[3:] == [4000.0, 2000.0, 500.0]
    assert np.isnan(c["spend"].iloc[2])  # no spend row in March: unknown, not 0
    assert c["new_customers"].tolist() == [2, 1, 2, 0]
    assert c["cac"].tolist()[:2] == [2000.0, 2000.0]
    assert np.isnan(c["cac"].iloc[2])
    assert np.isnan(c["cac"].iloc[3])  # spend but no new customer: NaN, not inf


def test_cac_kinds_quarter_and_month_types():
    with pytest.warns(NmopsWarning):
        paid = customer_acquisition_cost(SPEND, BUYS, kinds=["ads"])
    assert paid["spend"].tolist()[:2] == [3000.0, 2000.0]  # paid CAC ends with the last new customer (March)
    q = customer_acquisition_cost(SPEND, BUYS, freq="quarter")
    assert q["spend"].tolist() == [6000.0, 500.0] and q["new_customers"].tolist() == [5, 0]
    assert q["cac"].iloc[0] == 1200.0
    as_dates = SPEND.assign(month=pd.to_datetime(SPEND["month"]))
    as_periods = SPEND.assign(month=pd.PeriodIndex(SPEND["month"], freq="M"))
    with pytest.warns(NmopsWarning):
        base = customer_acquisition_cost(SPEND, BUYS)
    with pytest.warns(NmopsWarning):
        pd.testing.assert_frame_equal(customer_acquisition_cost(as_dates, BUYS), base)
    with pytest.warns(NmopsWarning):
        pd.testing.assert_frame_equal(customer_acquisition_cost(as_periods, BUYS), base)


def test_cac_bad_input():
    with pytest.raises(NmopsInputError, match="缺少列：amount"):
        customer_acquisition_cost(SPEND.drop(columns="amount"), BUYS)
    with pytest.raises(NmopsInputError, match="缺少列：ordered_at"):
        customer_acquisition_cost(SPEND, BUYS.rename(columns={"ordered_at": "event_time"}))
    with pytest.raises(NmopsInputError, match="负"):
        customer_acquisition_cost(SPEND.assign(amount=[1.0, -2.0, 3.0, 4.0]), BUYS)
    with pytest.raises(NmopsInputError, match="缺失值"):
        customer_acquisition_cost(SPEND.assign(amount=[1.0, None, 3.0, 4.0]), BUYS)
    with pytest.raises(NmopsInputError, match="kol_fee"):
        customer_acquisition_cost(SPEND, BUYS, kinds=["kol_fee"])
    with pytest.raises(NmopsInputError, match="月份"):
        customer_acquisition_cost(SPEND.assign(month=["一月", "一月", "二月", "四月"]), BUYS)
    with pytest.raises(NmopsInputError, match="freq"):
        customer_acquisition_cost(SPEND, BUYS, freq="week")
    with pytest.raises(NmopsInputError, match="pd.to_datetime"):
        customer_acquisition_cost(SPEND, BUYS.assign(ordered_at="2024-01-01"))


# --------------------------------------------------------------------------- ROI, ROAS, LTV


def test_roi_roas_by_hand():
    assert roi(1500.0, 1000.0) == 0.5
    assert roi(0.0, 200.0) == -1.0
    assert roas(3000, 1000) == 3.0
    assert np.isnan(roi(10.0, 0.0)) and np.isnan(roas(10.0, 0))
    s = roas(pd.Series([300.0, 50.0], index=["wechat", "weibo"]), pd.Series([100.0, 100.0], index=["wechat", "weibo"]))
    assert s.to_dict() == {"wechat": 3.0, "weibo": 0.5}
    # ROI on revenue is ROAS - 1
    assert roi(300.0, 100.0) == pytest.approx(roas(300.0, 100.0) - 1)


def test_simple_ltv_by_hand():
    assert simple_ltv(30.0, 0.05) == pytest.approx(600.0)
    assert np.isnan(simple_ltv(30.0, 0.0))
    got = simple_ltv(pd.Series([10.0, 20.0]), pd.Series([0.5, 0.25]))
    assert got.tolist() == [20.0, 80.0]
    # the revenue form overstates by 1 / margin rate: revenue 100 at 30% margin
    assert simple_ltv(100.0, 0.1) / simple_ltv(30.0, 0.1) == pytest.approx(1 / 0.3)


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: roi(100.0, -5.0), "cost"),
        (lambda: roas(-1.0, 5.0), "value"),
        (lambda: roas("100", 5.0), "value"),
        (lambda: roi(pd.Series(["1"]), pd.Series([1.0])), "value"),
        (lambda: roas(True, 5.0), "value"),
        (lambda: simple_ltv(30.0, 5), "churn_rate"),
        (lambda: simple_ltv(30.0, -0.1), "churn_rate"),
        (lambda: simple_ltv(pd.Series([30.0]), pd.Series([1.5])), "churn_rate"),
        (lambda: simple_ltv("30", 0.1), "margin_per_period"),
    ],
)
def test_roi_roas_ltv_bad_input(call, word):
    with pytest.raises(NmopsInputError, match=word):
        call()


# --------------------------------------------------------------------------- north star

NS = pd.DataFrame(
    {
        "user_id": [1, 2, 1, 3, 3],
        "amount": [10.0, 20.0, 5.0, 8.0, 2.0],
        "ordered_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-16", "2024-01-17"]),
    }
)


def test_north_star_weekly_sum_with_empty_week_by_hand():
    ns = north_star_tracker(NS, at="ordered_at", value="amount", target=30.0)
    # weeks Mon-Sun: Jan 1-7: 35; Jan 8-14: 0 (kept, not hidden); Jan 15-21: 10
    assert list(ns.index.astype(str)) == ["2024-01-01/2024-01-07", "2024-01-08/2024-01-14", "2024-01-15/2024-01-21"]
    assert ns["value"].tolist() == [35.0, 0.0, 10.0]
    assert np.isnan(ns["change"].iloc[0]) and ns["change"].tolist()[1:] == [-35.0, 10.0]
    assert ns["pct_change"].iloc[1] == -1.0 and np.isnan(ns["pct_change"].iloc[2])  # from 0: NaN, not inf
    assert ns["attainment"].tolist() == pytest.approx([35 / 30, 0.0, 10 / 30])


def test_north_star_nunique_count_mean_and_target_series():
    users = north_star_tracker(NS, at="ordered_at", value="user_id", agg="nunique", freq="month")
    assert users["value"].tolist() == [3]
    count = north_star_tracker(NS, at="ordered_at", agg="count", week_ends="SAT")
    # weeks Sun-Sat: Dec 31-Jan 6: 3; Jan 7-13: 0; Jan 14-20: 2
    assert count["value"].tolist() == [3, 0, 2]
    mean = north_star_tracker(NS, at="ordered_at", value="amount", agg="mean")
    assert np.isnan(mean["value"].iloc[1]) and mean["value"].iloc[0] == pytest.approx(35 / 3)
    target = pd.Series([30.0, 10.0], index=["2024-01-01/2024-01-07", "2024-01-15/2024-01-21"])
    tgt = north_star_tracker(NS, at="ordered_at", value="amount", target=target)
    assert tgt["attainment"].iloc[0] == pytest.approx(35 / 30) and tgt["attainment"].iloc[2] == 1.0
    assert np.isnan(tgt["target"].iloc[1])


def test_north_star_bad_input():
    with pytest.raises(NmopsInputError, match="agg"):
        north_star_tracker(NS, at="ordered_at", value="amount", agg="median")
    with pytest.raises(NmopsInputError, match="value"):
        north_star_tracker(NS, at="ordered_at")
    with pytest.raises(NmopsInputError, match="缺少列：event_time"):
        north_star_tracker(NS, value="amount")
    with pytest.raises(NmopsInputError, match="freq"):
        north_star_tracker(NS, at="ordered_at", value="amount", freq="fortnight")
    with pytest.raises(NmopsInputError, match="week_ends"):
        north_star_tracker(NS, at="ordered_at", value="amount", week_ends="Sunday")
    with pytest.raises(NmopsInputError, match="target"):
        north_star_tracker(NS, at="ordered_at", value="amount", target=pd.Series([1.0], index=["someday"]))
    with pytest.raises(NmopsInputError, match="target"):
        north_star_tracker(NS, at="ordered_at", value="amount", target="lots")
    with pytest.raises(NmopsInputError, match="应该是数字"):
        north_star_tracker(NS.assign(amount="1"), at="ordered_at", value="amount")
    with pytest.raises(NmopsInputError, match="空表"):
        north_star_tracker(NS.iloc[:0], at="ordered_at", value="amount")
