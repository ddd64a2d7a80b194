"""Tests of the junior (初级) follower KPIs in nmops.metrics.followers.

Hand-computed periods (the comments give the arithmetic), sums checked
against pandas' own weekly grouping, and hypothesis properties of the
totals (one period's end is the next one's start, nets add up).
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.followers import follower_growth

FAST = settings(max_examples=60, deadline=None)


def _daily():
    # 2024-01-29 (Mon) .. 2024-02-06 (Tue): 9 days, weeks Mon-Sun, month boundary on 02-01
    new = [10, 20, 30, 40, 50, 0, 10, 20, 30]
    unf = [5, 5, 10, 10, 10, 30, 0, 40, 0]
    total = np.cumsum(np.array(new) - np.array(unf)) + 1000
    return pd.DataFrame(
        {
            "date": pd.date_range("2024-01-29", periods=9, freq="D"),
            "channel": "公众号",
            "new_followers": new,
            "unfollows": unf,
            "net_followers": np.array(new) - np.array(unf),
            "total_followers": total,
        }
    )


def test_follower_growth_weekly_by_hand():
    out = follower_growth(_daily())
    assert [str(p) for p in out.index] == ["2024-01-29/2024-02-04", "2024-02-05/2024-02-11"]
    w1 = out.iloc[0]
    # week 1: days 1-7: new 160, unfollows 70, net 90; start 1000, end 1090
    assert (w1["new_followers"], w1["unfollows"], w1["net_followers"]) == (160, 70, 90)
    assert (w1["start_total"], w1["end_total"]) == (1000, 1090)
    assert w1["growth_rate"] == pytest.approx(90 / 1000)
    assert w1["unfollow_rate"] == pytest.approx(70 / 1000)
    w2 = out.iloc[1]
    # week 2: days 8-9: new 50, unfollows 40, net 10; start 1090, end 1100
    assert (w2["net_followers"], w2["start_total"], w2["end_total"]) == (10, 1090, 1100)
    assert w2["growth_rate"] == pytest.approx(10 / 1090)


def test_follower_growth_monthly_and_other_bases():
    out = follower_growth(_daily(), freq="month", growth_base="end_total", unfollow_base="new_followers")
    assert [str(p) for p in out.index] == ["2024-01", "2024-02"]
    jan, feb = out.iloc[0], out.iloc[1]
    # January: 29-31: new 60, unfollows 20, net 40, start 1000, end 1040
    assert (jan["new_followers"], jan["unfollows"], jan["start_total"], jan["end_total"]) == (60, 20, 1000, 1040)
    assert jan["growth_rate"] == pytest.approx(40 / 1040)  # over the end total
    assert jan["unfollow_rate"] == pytest.approx(20 / 60)  # over new followers
    # February 1-6: new 150, unfollows 90
    assert feb["unfollow_rate"] == pytest.approx(90 / 150)
    out = follower_growth(_daily(), freq="month", unfollow_base="end_total")
    assert out.iloc[1]["unfollow_rate"] == pytest.approx(90 / 1100)


def test_follower_growth_without_total_column_accumulates_from_initial_total():
    daily = _daily()
    with_total = follower_growth(daily, freq="day")
    without = follower_growth(daily.drop(columns="total_followers"), freq="day", total=None, initial_total=1000)
    pd.testing.assert_frame_equal(with_total, without, check_dtype=False)
    assert with_total["start_total"].iloc[0] == 1000


def test_follower_growth_by_channel_and_zero_base():
    a = _daily()
    b = pd.DataFrame(
        {
            "date": pd.date_range("2024-01-29", periods=3, freq="D"),
            "channel": "微博",
            "new_followers": [0, 5, 0],
            "unfollows": [0, 0, 0],
            "total_followers": [0, 5, 5],
        }
    )
    out = follower_growth(pd.concat([b, a.drop(columns="net_followers")]), by="channel")
    assert out.index.names == ["channel", "period"]
    weibo = out.loc["微博"].iloc[0]
    assert weibo["start_total"] == 0
    assert math.isnan(weibo["growth_rate"]) and math.isnan(weibo["unfollow_rate"])  # base 0 -> NaN
    assert out.loc["公众号"]["net_followers"].tolist() == [90, 10]


def test_follower_growth_sums_match_pandas_grouper():
    daily = _daily()
    ref = daily.groupby(pd.Grouper(key="date", freq="W-SUN"))[["new_followers", "unfollows"]].sum()
    out = follower_growth(daily)
    assert out["new_followers"].tolist() == ref["new_followers"].tolist()
    assert out["unfollows"].tolist() == ref["unfollows"].tolist()


@FAST
@given(
    flows=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=70),
    freq=st.sampled_from(["day", "week", "month"]),
)
def test_follower_growth_property_totals_chain(flows, freq):
    new = np.array([f[0] for f in flows])
    unf = np.array([f[1] for f in flows])
    initial = 50 * len(flows)  # never goes negative
    daily = pd.DataFrame(
        {
            "date": pd.date_range("2024-01-25", periods=len(flows), freq="D"),
            "new_followers": new,
            "unfollows": unf,
            "total_followers": initial + np.cumsum(new - unf),
        }
    )
    out = follower_growth(daily, freq=freq)
    assert out["start_total"].iloc[0] == initial
    assert out["end_total"].iloc[-1] == initial + (new - unf).sum()
    # consecutive periods chain: one ends where the next starts
    assert (out["start_total"].iloc[1:].to_numpy() == out["end_total"].iloc[:-1].to_numpy()).all()
    assert (out["end_total"] - out["start_total"] == out["net_followers"]).all()
    assert out["new_followers"].sum() == new.sum()
    assert not np.isinf(out[["growth_rate", "unfollow_rate"]].to_numpy()).any()


def test_follower_growth_refuses_bad_input():
    daily = _daily()
    with pytest.raises(NmopsInputError, match="unfollows"):
        follower_growth(daily.drop(columns="unfollows"))
    with pytest.raises(NmopsInputError, match="不能为负数"):
        follower_growth(daily.assign(new_followers=-daily["new_followers"]))
    with pytest.raises(NmopsInputError, match="应该是数字"):
        follower_growth(daily.assign(unfollows=daily["unfollows"].astype(str)))
    with pytest.raises(NmopsInputError, match="日期时间"):
        follower_growth(daily.assign(date=daily["date"].dt.strftime("%Y-%m-%d")))
    with pytest.raises(NmopsInputError, match="不止一次.*by='channel'"):
        follower_growth(pd.concat([daily, daily.assign(channel="微博")]))
    with pytest.raises(NmopsInputError, match="initial_total"):
        follower_growth(daily, total=None)
    with pytest.raises(NmopsInputError, match="initial_total"):
        follower_growth(daily, total=None, initial_total=-3)
    with pytest.raises(NmopsInputError, match="growth_base"):
        follower_growth(daily, growth_base="average")
    with pytest.raises(NmopsInputError, match="unfollow_base"):
        follower_growth(daily, unfollow_base="followers")
    with pytest.raises(NmopsInputError, match="freq"):
        follower_growth(daily, freq="quarter")


def test_follower_retention_counts_unfollows_within_the_window_and_skips_recent_follows():
    from nmops.metrics import follower_retention

    e = pd.DataFrame({
        "follower_id": ["a", "b", "c", "a", "b", "d"],
        "event": ["follow", "follow", "follow", "unfollow", "unfollow", "follow"],
        "event_time": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02", "2025-01-30", "2025-02-05", "2025-03-20"]),
        "source": ["campaign", "campaign", "post", "campaign", "campaign", "post"],
    })
    out = follower_retention(e, days=30, as_of="2025-04-01")
    # a left on day 29 (inside 30 days), b on day 35 (stayed 30 days), d followed 12 days before the end (not counted)
    assert out.loc["campaign"].tolist() == [2, 1, 0.5]
    assert out.loc["post"].tolist() == [1, 1, 1.0]
