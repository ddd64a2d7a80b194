"""Tests of the novice (小白) KPIs in nmops.metrics.exposure.

Expected values are computed by hand from the definitions (comments show
the arithmetic) or by plain pandas written differently (pd.Grouper,
DataFrame.nlargest); properties are checked with hypothesis.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.exposure import (
    exposure_summary,
    read_rate,
    share_rate,
    top_content,
    weekly_report,
    workload,
)

FAST = settings(max_examples=60, deadline=None)


def _posts():
    # Weeks (Mon-Sun): 2024-01-01..07, 01-08..14, 01-15..21, 01-22..28
    return pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5", "p6"],
            "channel": ["公众号", "公众号", "微博", "公众号", "微博", "小红书"],
            "author": ["王", "李", "王", "王", "李", "王"],
            "published_at": pd.to_datetime(
                [
                    "2024-01-01 09:00",  # Mon, week 1
                    "2024-01-07 23:30",  # Sun late, still week 1
                    "2024-01-08 00:00",  # Mon midnight, week 2
                    "2024-01-09 12:00",  # week 2
                    "2024-01-24 18:00",  # week 4 (week 3 empty)
                    "2024-02-02 10:00",  # February, week 5
                ]
            ),
            "impressions": [1000, 2000, 500, 3000, 100, 400],
            "delivered": [800, 800, 0, 900, 0, 0],
            "reads": [100, 300, 50, 90, 10, 40],
            "shares": [10, 6, 5, 0, 1, 4],
        }
    )


# ----------------------------------------------------------------------------- workload


def test_workload_counts_posts_per_author_per_week_with_staff_zeros():
    out = workload(_posts(), staff=["王", "李", "张"])
    assert list(out.columns) == ["王", "李", "张"]
    assert [str(p) for p in out.index] == [
        "2024-01-01/2024-01-07",
        "2024-01-08/2024-01-14",
        "2024-01-15/2024-01-21",
        "2024-01-22/2024-01-28",
        "2024-01-29/2024-02-04",
    ]
    # by hand: 王 p1 (w1), p3 p4 (w2), p6 (w5); 李 p2 (w1), p5 (w4); 张 nothing
    assert out["王"].tolist() == [1, 2, 0, 0, 1]
    assert out["李"].tolist() == [1, 0, 0, 1, 0]
    assert out["张"].tolist() == [0, 0, 0, 0, 0]


def test_workload_matches_pandas_grouper_weeks():
    posts = _posts()
    ref = (
        posts.groupby([pd.Grouper(key="published_at", freq="W-SUN"), "author"])
        .size()
        .unstack(fill_value=0)
    )
    out = workload(posts)
    # Grouper labels a week by its Sunday; the Period's end day is that Sunday.
    # With two keys the reference lists only weeks that have posts.
    by_sunday = out.set_axis(out.index.end_time.normalize())
    assert set(ref.index) <= set(by_sunday.index)
    for a in ref.columns:
        assert by_sunday.loc[ref.index, a].tolist() == ref[a].tolist()
    assert by_sunday.drop(index=ref.index).to_numpy().sum() == 0


def test_workload_by_month_and_authors_outside_staff_are_kept():
    out = workload(_posts(), freq="month", staff=["李"])
    assert [str(p) for p in out.index] == ["2024-01", "2024-02"]
    assert list(out.columns) == ["李", "王"]  # staff first, then the others
    assert out.loc[pd.Period("2024-01", "M"), "王"] == 3
    assert out.loc[pd.Period("2024-02", "M"), "王"] == 1
    assert out["李"].tolist() == [2, 0]


def test_workload_week_end_day_moves_the_boundary():
    # Weeks ending Saturday: Sun 2024-01-07 starts a new week with Mon 01-08.
    out = workload(_posts(), week_ends="SAT")
    first = out.iloc[0]
    assert str(out.index[0]) == "2023-12-31/2024-01-06"
    assert first["王"] == 1 and first["李"] == 0
    assert str(out.index[1]) == "2024-01-07/2024-01-13"
    assert out.iloc[1]["李"] == 1 and out.iloc[1]["王"] == 2


def test_workload_reads_timezone_aware_dates_in_local_time():
    posts = pd.DataFrame(
        {
            "author": ["王", "王"],
            # Sunday 23:30 and Monday 01:00 in Beijing (both on Sunday in UTC)
            "published_at": pd.to_datetime(["2024-01-07 23:30", "2024-01-08 01:00"]).tz_localize(
                "Asia/Shanghai"
            ),
        }
    )
    out = workload(posts)
    assert out["王"].tolist() == [1, 1]


@FAST
@given(
    days=st.lists(st.integers(0, 120), min_size=1, max_size=40),
    authors=st.lists(st.sampled_from(["a", "b", "c"]), min_size=40, max_size=40),
    freq=st.sampled_from(["week", "month"]),
)
def test_workload_property_every_post_counted_once(days, authors, freq):
    posts = pd.DataFrame(
        {
            "author": authors[: len(days)],
            "published_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
        }
    )
    out = workload(posts, freq=freq, staff=["z"])
    assert int(out.to_numpy().sum()) == len(posts)
    assert (out["z"] == 0).all()
    assert (out.to_numpy() >= 0).all()


def test_workload_and_weekly_report_of_no_posts_are_empty():
    empty = _posts().iloc[:0]
    out = workload(empty, staff=["王"])
    assert out.shape == (0, 1) and list(out.columns) == ["王"]
    report = weekly_report(empty)
    assert len(report) == 0 and "read_rate" in report.columns


def test_workload_refuses_bad_input():
    posts = _posts()
    with pytest.raises(NmopsInputError, match="author"):
        workload(posts.drop(columns="author"))
    with pytest.raises(NmopsInputError, match="日期时间.*pd.to_datetime"):
        workload(posts.assign(published_at=posts["published_at"].astype(str)))
    with pytest.raises(NmopsInputError, match="缺失值"):
        workload(posts.assign(author=[None, "李", "王", "王", "李", "王"]))
    with pytest.raises(NmopsInputError, match="staff"):
        workload(posts, staff="王")
    with pytest.raises(NmopsInputError, match="freq"):
        workload(posts, freq="W")
    with pytest.raises(NmopsInputError, match="week_ends"):
        workload(posts, week_ends="Sunday")
    with pytest.raises(NmopsInputError, match="DataFrame"):
        workload([1, 2, 3])


# ----------------------------------------------------------------------------- exposure_summary


def test_exposure_summary_totals_and_per_post_by_channel():
    out = exposure_summary(_posts())
    # 公众号: p1 p2 p4 -> impressions 1000+2000+3000=6000, reads 100+300+90=490
    assert out.loc["公众号", "posts"] == 3
    assert out.loc["公众号", "impressions"] == 6000
    assert out.loc["公众号", "reads"] == 490
    assert out.loc["公众号", "impressions_per_post"] == pytest.approx(2000.0)
    assert out.loc["公众号", "reads_per_post"] == pytest.approx(490 / 3)
    # 微博: p3 p5 -> 600 impressions, 60 reads
    assert out.loc["微博", "impressions_per_post"] == pytest.approx(300.0)
    assert list(out.columns) == ["posts", "impressions", "reads", "impressions_per_post", "reads_per_post"]


def test_exposure_summary_all_posts_and_several_keys():
    posts = _posts()
    total = exposure_summary(posts, by=None, metrics=["shares"])
    assert total.loc["全部", "posts"] == 6
    assert total.loc["全部", "shares"] == 26
    assert total.loc["全部", "shares_per_post"] == pytest.approx(26 / 6)
    two = exposure_summary(posts, by=["channel", "author"], metrics=("reads",))
    ref = posts.groupby(["channel", "author"])["reads"].agg(["size", "sum", "mean"])
    assert two["posts"].tolist() == ref["size"].tolist()
    assert two["reads"].tolist() == ref["sum"].tolist()
    assert np.allclose(two["reads_per_post"], ref["mean"])


def test_exposure_summary_refuses_bad_input():
    posts = _posts()
    with pytest.raises(NmopsInputError, match="impressions"):
        exposure_summary(posts.drop(columns="impressions"))
    with pytest.raises(NmopsInputError, match="不能为负数"):
        exposure_summary(posts.assign(reads=[1, -2, 3, 4, 5, 6]))
    with pytest.raises(NmopsInputError, match="应该是数字"):
        exposure_summary(posts.assign(reads=["10万+", "1", "2", "3", "4", "5"]))
    with pytest.raises(NmopsInputError, match="缺失值"):
        exposure_summary(posts.assign(reads=[1.0, np.nan, 3, 4, 5, 6]))
    with pytest.raises(NmopsInputError, match="分组列 channel"):
        exposure_summary(posts.assign(channel=[None, "a", "a", "a", "a", "a"]))


# ----------------------------------------------------------------------------- top_content


def test_top_content_ties_follow_row_order_then_tie_breaker():
    posts = pd.DataFrame(
        {"post_id": ["d", "c", "b", "a"], "reads": [80, 80, 80, 10], "channel": ["x", "y", "x", "y"]}
    )
    out = top_content(posts, "reads", n=2)
    assert out["post_id"].tolist() == ["d", "c"]  # first rows among the tied ones
    assert out["rank"].tolist() == [1, 1]
    out = top_content(posts, "reads", n=2, tie_breaker="post_id")
    assert out["post_id"].tolist() == ["b", "c"]
    assert list(out.index) == [2, 1]
    out = top_content(posts, "reads", n=2, keep="all")
    assert out["post_id"].tolist() == ["d", "c", "b"]
    out = top_content(posts, "reads", n=10)
    assert out["rank"].tolist() == [1, 1, 1, 4]  # competition ranking


def test_top_content_per_group_and_missing_metric_left_out():
    posts = pd.DataFrame(
        {
            "post_id": ["a", "b", "c", "d", "e"],
            "channel": ["x", "x", "y", "y", "y"],
            "rr": [0.1, np.nan, 0.3, 0.2, 0.5],
        }
    )
    out = top_content(posts, "rr", n=1, per="channel")
    assert out["post_id"].tolist() == ["a", "e"]
    assert out["rank"].tolist() == [1, 1]
    assert "b" not in top_content(posts, "rr", n=5)["post_id"].tolist()


@FAST
@given(
    values=st.lists(st.integers(0, 4), min_size=1, max_size=25),
    n=st.integers(1, 8),
)
def test_top_content_agrees_with_a_plain_python_ranking(values, n):
    # Reference: sort row positions by (value descending, position), as the docstring defines.
    # (DataFrame.nlargest is not a reliable reference: pandas 2.2 orders ties
    # with an unstable sort when n >= len.)
    posts = pd.DataFrame({"reads": values, "post_id": range(len(values))})
    order = sorted(range(len(values)), key=lambda i: (-values[i], i))
    out = top_content(posts, "reads", n=n)
    assert list(out.index) == order[:n]
    cutoff = values[order[min(n, len(values)) - 1]]
    out_all = top_content(posts, "reads", n=n, keep="all")
    assert list(out_all.index) == [i for i in order if values[i] >= cutoff]
    ranks = [1 + sum(v > values[i] for v in values) for i in out_all.index]
    assert out_all["rank"].tolist() == ranks


def test_top_content_refuses_bad_input():
    posts = _posts()
    with pytest.raises(NmopsInputError, match="likes"):
        top_content(posts, "likes")
    with pytest.raises(NmopsInputError, match="应该是数字"):
        top_content(posts, "channel")
    with pytest.raises(NmopsInputError, match="正整数"):
        top_content(posts, "reads", n=0)
    with pytest.raises(NmopsInputError, match="正整数"):
        top_content(posts, "reads", n=2.5)
    with pytest.raises(NmopsInputError, match="keep"):
        top_content(posts, "reads", keep="last")


# ----------------------------------------------------------------------------- read_rate / share_rate


def test_read_rate_by_each_named_base():
    reads = pd.Series([1200, 300, 0])
    # 送达阅读率: 1200/10000, 300/1000, 0/0 -> NaN
    assert read_rate(reads, pd.Series([10000, 1000, 0])).tolist()[:2] == [0.12, 0.3]
    assert math.isnan(read_rate(reads, pd.Series([10000, 1000, 0])).iloc[2])
    assert read_rate(300, impressions=6000) == pytest.approx(0.05)
    assert read_rate(50, followers=2000) == pytest.approx(0.025)
    assert read_rate(reads, delivered=pd.Series([1, 2, 3])).name == "read_rate"
    # 人/次: counts over people may exceed 1, and are not clipped
    assert read_rate(1500, delivered=1000) == pytest.approx(1.5)


def test_share_rate_by_each_named_base():
    assert share_rate(30, 1200) == pytest.approx(0.025)
    assert share_rate(30, delivered=10000) == pytest.approx(0.003)
    assert share_rate(30, impressions=600) == pytest.approx(0.05)
    assert math.isnan(share_rate(5, 0))
    assert share_rate(np.array([1, 2]), np.array([0, 4])).tolist()[1] == 0.5
    assert math.isnan(share_rate(np.array([1, 2]), np.array([0, 4])).iloc[0])  # no inf from arrays


def test_rates_accept_nullable_integer_columns():
    # Exports read with dtype_backend="numpy_nullable" give Int64 columns with <NA>.
    reads = pd.Series([120, pd.NA, 30], dtype="Int64")
    out = read_rate(reads, pd.Series([1000, 1000, 0], dtype="Int64"))
    assert out.iloc[0] == pytest.approx(0.12)
    assert out.iloc[1:].isna().all()
    with pytest.raises(NmopsInputError, match="不能为负数"):
        share_rate(pd.Series([1, pd.NA, -3], dtype="Int64"), 10)


@FAST
@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)).map(lambda t: (min(t), max(t))),
        min_size=1,
        max_size=30,
    )
)
def test_rates_property_in_unit_interval_and_zero_base_nan(pairs):
    num = pd.Series([p[0] for p in pairs])
    den = pd.Series([p[1] for p in pairs])
    for rate in (read_rate(num, den), read_rate(num, impressions=den), share_rate(num, den)):
        assert not np.isinf(rate).any()
        finite = rate[den > 0]
        assert ((finite >= 0) & (finite <= 1)).all()
        assert rate[den == 0].isna().all()


def test_read_and_share_rate_refuse_bad_input():
    with pytest.raises(NmopsInputError, match="恰好一个分母"):
        read_rate(10)
    with pytest.raises(NmopsInputError, match="恰好一个分母"):
        read_rate(10, 100, impressions=1000)
    with pytest.raises(NmopsInputError, match="恰好一个分母"):
        share_rate(10, 100, delivered=1000)
    with pytest.raises(NmopsInputError, match="reads 不能为负数"):
        read_rate(pd.Series([-1, 2]), pd.Series([10, 10]))
    with pytest.raises(NmopsInputError, match="delivered 不能为负数"):
        read_rate(1, delivered=-5)
    with pytest.raises(NmopsInputError, match="应该是数字"):
        read_rate(pd.Series(["10万+"]), pd.Series([10]))
    with pytest.raises(NmopsInputError, match="应该是数字"):
        share_rate("5", 10)


# ----------------------------------------------------------------------------- weekly_report


def test_weekly_report_by_hand():
    out = weekly_report(_posts())
    assert [str(w) for w in out.index] == [
        "2024-01-01/2024-01-07",
        "2024-01-08/2024-01-14",
        "2024-01-15/2024-01-21",
        "2024-01-22/2024-01-28",
        "2024-01-29/2024-02-04",
    ]
    assert list(out.columns) == [
        "posts", "impressions", "delivered", "reads", "shares", "read_rate", "share_rate", "reads_per_post"
    ]
    w1 = out.iloc[0]  # p1, p2
    assert w1["posts"] == 2
    assert w1["reads"] == 400 and w1["delivered"] == 1600 and w1["shares"] == 16
    assert w1["read_rate"] == pytest.approx(400 / 1600)  # pooled, not mean(100/800, 300/800)
    assert w1["share_rate"] == pytest.approx(16 / 400)
    assert w1["reads_per_post"] == pytest.approx(200)
    w2 = out.iloc[1]  # p3 (delivered 0), p4
    assert w2["read_rate"] == pytest.approx(140 / 900)
    w3 = out.iloc[2]  # nobody published
    assert w3["posts"] == 0 and w3["reads"] == 0
    assert math.isnan(w3["read_rate"]) and math.isnan(w3["reads_per_post"])
    w4 = out.iloc[3]  # p5, delivered 0
    assert math.isnan(w4["read_rate"]) and w4["share_rate"] == pytest.approx(0.1)


def test_weekly_report_matches_pandas_grouper_sums():
    posts = _posts()
    ref = posts.groupby(pd.Grouper(key="published_at", freq="W-SUN"))[["reads", "shares"]].sum()
    out = weekly_report(posts)
    assert out["reads"].tolist() == ref["reads"].tolist()
    assert out["shares"].tolist() == ref["shares"].tolist()
    assert list(out.index.end_time.normalize()) == list(ref.index)


def test_weekly_report_other_week_end_and_read_rate_base():
    out = weekly_report(_posts(), week_ends="SAT", read_rate_of=("reads", "impressions"), share_rate_of=None)
    assert "share_rate" not in out.columns
    # week 2023-12-31..2024-01-06: p1 only -> 100/1000
    assert str(out.index[0]) == "2023-12-31/2024-01-06"
    assert out.iloc[0]["read_rate"] == pytest.approx(0.1)
    # week 2024-01-07..13: p2, p3, p4 -> (300+50+90)/(2000+500+3000)
    assert out.iloc[1]["read_rate"] == pytest.approx(440 / 5500)


def test_weekly_report_refuses_bad_input():
    posts = _posts()
    with pytest.raises(NmopsInputError, match="delivered"):
        weekly_report(posts.drop(columns="delivered"))
    with pytest.raises(NmopsInputError, match="不能为负数"):
        weekly_report(posts.assign(shares=[0, 0, 0, 0, 0, -1]))
    with pytest.raises(NmopsInputError, match="日期时间"):
        weekly_report(posts.assign(published_at="2024-01-01"))
    with pytest.raises(NmopsInputError, match="read_rate_of"):
        weekly_report(posts, read_rate_of="reads")
    with pytest.raises(NmopsInputError, match="NaT"):
        weekly_report(posts.assign(published_at=posts["published_at"].where(posts.index != 0)))
