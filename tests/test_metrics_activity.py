"""Tests of the junior (初级) activity KPIs in nmops.metrics.activity.

Hand-computed cases (the comments give the arithmetic), a plain-Python
reference of the three funnel rules, and hypothesis properties.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.activity import activity_funnel, campaign_participants, participation_rate

FAST = settings(max_examples=40, deadline=None)
STEPS = ["报名", "参与", "分享"]


def _records():
    t = {k: pd.Timestamp("2024-03-01") + pd.Timedelta(hours=k) for k in range(1, 7)}
    rows = [
        # campaign A
        ("A", "u1", "报名", t[1]), ("A", "u1", "参与", t[2]), ("A", "u1", "分享", t[3]),
        ("A", "u2", "报名", t[1]), ("A", "u2", "参与", t[2]), ("A", "u2", "参与", t[4]),
        ("A", "u3", "参与", t[1]), ("A", "u3", "分享", t[2]),            # never signed up
        ("A", "u4", "分享", t[5]), ("A", "u4", "报名", t[6]),            # shared, no 参与
        ("A", "u5", "报名", t[3]), ("A", "u5", "参与", t[1]), ("A", "u5", "分享", t[4]),  # 参与 before 报名
        ("A", "u6", "报名", t[1]), ("A", "u6", "参与", t[2]), ("A", "u6", "参与", t[4]), ("A", "u6", "分享", t[3]),
        ("A", "u7", "报名", t[2]), ("A", "u7", "报名", t[5]), ("A", "u7", "参与", t[3]),
        # campaign B: one sign-up
        ("B", "u1", "报名", t[1]),
        # campaign C: only a step outside the funnel
        ("C", "u9", "浏览", t[1]),
    ]
    return pd.DataFrame(rows, columns=["campaign_id", "user_id", "step", "event_time"])


# ----------------------------------------------------------------------------- participants


def test_campaign_participants_counts_unique_users():
    p = _records()
    out = campaign_participants(p)
    # A: u1..u7 = 7 people (22 records); B: u1; C: u9
    assert out.to_dict() == {"A": 7, "B": 1, "C": 1}
    assert out.name == "participants"
    # at 参与 only: A has u1 u2 u3 u5 u6 u7 = 6
    assert campaign_participants(p, at_step="参与", campaigns=["A", "B", "Z"]).to_dict() == {
        "A": 6, "B": 0, "Z": 0,
    }


def test_campaign_participants_refuses_bad_input():
    p = _records()
    with pytest.raises(NmopsInputError, match="user_id"):
        campaign_participants(p.drop(columns="user_id"))
    with pytest.raises(NmopsInputError, match="step"):
        campaign_participants(p.drop(columns="step"), at_step="参与")
    with pytest.raises(NmopsInputError, match="分组列 campaign_id"):
        campaign_participants(p.assign(campaign_id=p["campaign_id"].where(p.index != 0)))
    with pytest.raises(NmopsInputError, match="DataFrame"):
        campaign_participants(["u1", "u2"])


def test_participation_rate_against_reach():
    p = _records()
    campaigns = pd.DataFrame({"campaign_id": ["C", "B", "A", "D"], "reach": [0, 50, 140, 10]})
    out = participation_rate(p, campaigns)
    assert list(out.index) == ["C", "B", "A", "D"]  # order of the campaigns table
    assert out["participants"].tolist() == [1, 1, 7, 0]
    assert math.isnan(out.loc["C", "participation_rate"])  # reach 0 -> NaN, not inf
    assert out.loc["B", "participation_rate"] == pytest.approx(1 / 50)
    assert out.loc["A", "participation_rate"] == pytest.approx(7 / 140)
    assert out.loc["D", "participation_rate"] == 0.0
    out = participation_rate(p, campaigns, at_step="分享")
    assert out.loc["A", "participants"] == 5  # u1 u3 u4 u5 u6


def test_participation_rate_refuses_bad_input():
    p = _records()
    campaigns = pd.DataFrame({"campaign_id": ["A", "B", "C"], "reach": [100, 50, 10]})
    with pytest.raises(NmopsInputError, match="reach"):
        participation_rate(p, campaigns.drop(columns="reach"))
    with pytest.raises(NmopsInputError, match="不能为负数"):
        participation_rate(p, campaigns.assign(reach=[100, -1, 10]))
    with pytest.raises(NmopsInputError, match="应该是数字"):
        participation_rate(p, campaigns.assign(reach=["1万", "50", "10"]))
    with pytest.raises(NmopsInputError, match="活动表里没有的活动：C"):
        participation_rate(p, campaigns.iloc[:2])
    with pytest.raises(NmopsInputError, match="不止一次"):
        participation_rate(p, pd.concat([campaigns, campaigns.iloc[:1]]))


# ----------------------------------------------------------------------------- funnel


def test_funnel_sequential_by_hand():
    out = activity_funnel(_records(), STEPS, rule="any_order")
    a = out.loc["A"]
    # 报名: u1 u2 u4 u5 u6 u7 = 6; 参与 and 报名: u1 u2 u5 u6 u7 = 5; all three: u1 u5 u6 = 3
    assert a["users"].tolist() == [6, 5, 3]
    assert math.isnan(a["step_conversion"].iloc[0])
    assert a["step_conversion"].iloc[1:].tolist() == pytest.approx([5 / 6, 3 / 5])
    assert a["overall_conversion"].tolist() == pytest.approx([1, 5 / 6, 3 / 6])
    b = out.loc["B"]
    assert b["users"].tolist() == [1, 0, 0]
    assert b["step_conversion"].iloc[1] == 0.0 and math.isnan(b["step_conversion"].iloc[2])  # 0/0
    c = out.loc["C"]  # no record at a listed step
    assert c["users"].tolist() == [0, 0, 0]
    assert c["overall_conversion"].isna().all()
    assert out.index.names == ["campaign_id", "step"]
    assert list(a.index) == STEPS


def test_funnel_reached_and_chronological_by_hand():
    reached = activity_funnel(_records(), STEPS, rule="reached").loc["A"]
    # 报名 u1 u2 u4 u5 u6 u7; 参与 u1 u2 u3 u5 u6 u7; 分享 u1 u3 u4 u5 u6
    assert reached["users"].tolist() == [6, 6, 5]
    assert reached["step_conversion"].iloc[1] == pytest.approx(1.0)
    chrono = activity_funnel(_records(), STEPS, rule="in_order").loc["A"]
    # u5's 参与 came before their 报名: out from 参与 on. u6: 参与 at t2 (first after
    # 报名 t1), 分享 at t3 >= t2: in. u2, u7: no 分享. -> [6, 4, 2]
    assert chrono["users"].tolist() == [6, 4, 2]


def test_funnel_reached_matches_plain_groupby():
    p = _records()
    out = activity_funnel(p, STEPS, rule="reached")
    ref = p[p["step"].isin(STEPS)].groupby(["campaign_id", "step"])["user_id"].nunique()
    for (campaign, step), n in ref.items():
        assert out.loc[(campaign, step), "users"] == n


def _reference_funnel(p, steps, rule):
    """Plain-Python funnel of one group: users counted at each step."""
    counts = []
    users = sorted(set(p["user_id"]))
    times = {
        (u, s): sorted(p.loc[(p["user_id"] == u) & (p["step"] == s), "event_time"]) for u in users for s in steps
    }
    for k, s in enumerate(steps):
        n = 0
        for u in users:
            if rule == "reached":
                ok = bool(times[(u, s)])
            elif rule == "any_order":
                ok = all(times[(u, x)] for x in steps[: k + 1])
            else:
                t, ok = None, True
                for x in steps[: k + 1]:
                    later = [v for v in times[(u, x)] if t is None or v >= t]
                    if not later:
                        ok = False
                        break
                    t = later[0]
            n += ok
        counts.append(n)
    return counts


@FAST
@given(
    events=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.sampled_from(STEPS + ["浏览"]), st.integers(0, 5)),
        min_size=1,
        max_size=30,
    ),
    rule=st.sampled_from(["reached", "any_order", "in_order"]),
)
def test_funnel_property_matches_reference_and_rates_bounded(events, rule):
    # user "z" does every step once, so no step is absent (an absent step is refused as a typo)
    p = pd.DataFrame(events + [("z", s, 0) for s in STEPS], columns=["user_id", "step", "hour"])
    p["event_time"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(p["hour"], unit="h")
    out = activity_funnel(p, STEPS, rule=rule, by=None)
    assert out["users"].tolist() == _reference_funnel(p, STEPS, rule)
    assert not np.isinf(out[["step_conversion", "overall_conversion"]].to_numpy()).any()
    if rule != "reached":
        # a funnel that requires the earlier steps never widens
        users = out["users"].to_numpy()
        assert (np.diff(users) <= 0).all()
        rates = out[["step_conversion", "overall_conversion"]].stack().dropna()
        assert ((rates >= 0) & (rates <= 1)).all()


@FAST
@given(
    events=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(STEPS), st.integers(0, 5)),
        min_size=1,
        max_size=25,
    )
)
def test_funnel_property_rules_nest(events):
    p = pd.DataFrame(events + [("z", s, 0) for s in STEPS], columns=["user_id", "step", "hour"])
    p["event_time"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(p["hour"], unit="h")
    counts = {r: activity_funnel(p, STEPS, rule=r, by=None)["users"].to_numpy() for r in
              ("reached", "any_order", "in_order")}
    assert (counts["in_order"] <= counts["any_order"]).all()
    assert (counts["any_order"] <= counts["reached"]).all()
    assert counts["any_order"][0] == counts["reached"][0] == counts["in_order"][0]


def test_funnel_refuses_bad_input():
    p = _records()
    with pytest.raises(NmopsInputError, match="单个字符串"):
        activity_funnel(p, "报名")
    with pytest.raises(NmopsInputError, match="不重复"):
        activity_funnel(p, ["报名", "报名"])
    with pytest.raises(NmopsInputError, match="rule"):
        activity_funnel(p, STEPS, rule="strict")
    with pytest.raises(NmopsInputError, match="缺少列：event_time"):
        activity_funnel(p.drop(columns="event_time"), STEPS, rule="in_order")
    with pytest.raises(NmopsInputError, match="日期时间"):
        activity_funnel(p.assign(event_time=p["event_time"].astype(str)), STEPS, rule="in_order")
    with pytest.raises(NmopsInputError, match="campaign_id"):
        activity_funnel(p.drop(columns="campaign_id"), STEPS)
