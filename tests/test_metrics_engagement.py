"""Tests of the engagement rate (互动率) in nmops.metrics.engagement.

Hand-computed cases, hypothesis properties, and the real Facebook page
export of Moro et al. (2016): metrics.md states interactions / reach is
1.53% pooled and 2.41% as a mean of per-post rates there.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.engagement import engagement_rate, post_engagement_rate

FAST = settings(max_examples=80, deadline=None)
FACEBOOK = Path("/work/shared/data/facebook_metrics/dataset_Facebook.csv")


def _posts():
    return pd.DataFrame(
        {
            "content_type": ["图文", "图文", "视频", "视频"],
            "likes": [90, 1, 20, 3.0],
            "comments": [10, 1, 0, 1],
            "shares": [0, 3, 20, np.nan],
            "favorites": [5, 0, 0, 0],
            "reads": [10000, 10, 1000, 0],
        }
    )


def test_post_engagement_rate_by_hand():
    posts = _posts()
    out = post_engagement_rate(posts, base="reads")
    # (90+10+0)/10000, (1+1+3)/10, (20+0+20)/1000, missing share counted 0 but reads 0 -> NaN
    assert out.iloc[:3].tolist() == pytest.approx([0.01, 0.5, 0.04])
    assert math.isnan(out.iloc[3])
    assert out.name == "engagement_rate"
    no_shares = post_engagement_rate(posts, base="reads", interactions=["likes", "comments"])
    assert no_shares.iloc[:3].tolist() == pytest.approx([0.01, 0.2, 0.02])
    with_fav = post_engagement_rate(posts, base="reads", interactions=("likes", "comments", "shares", "favorites"))
    assert with_fav.iloc[0] == pytest.approx(105 / 10000)
    one_col = post_engagement_rate(posts.assign(total=[1, 2, 3, 4]), base="reads", interactions="total")
    assert one_col.iloc[1] == pytest.approx(0.2)


def test_post_engagement_rate_missing_rules():
    posts = _posts().assign(reads=[10000, 10, 1000, 100])
    zero = post_engagement_rate(posts, base="reads", missing="zero")
    assert zero.iloc[3] == pytest.approx(4 / 100)  # 3 + 1 + (missing -> 0)
    drop = post_engagement_rate(posts, base="reads", missing="drop")
    assert math.isnan(drop.iloc[3]) and drop.iloc[0] == pytest.approx(0.01)
    with pytest.raises(NmopsInputError, match="shares.*缺失值"):
        post_engagement_rate(posts, base="reads", missing="raise")


def test_engagement_rate_pooled_vs_mean_by_hand():
    posts = _posts()
    # all posts with a rate-able base: reads 10000, 10, 1000 (+ the 0-read post)
    # pooled: (100 + 5 + 40 + 4) / (10000 + 10 + 1000 + 0) = 149 / 11010
    assert engagement_rate(posts, base="reads") == pytest.approx(149 / 11010)
    # mean of per-post rates (the 0-read post has none): (0.01 + 0.5 + 0.04) / 3
    assert engagement_rate(posts, base="reads", aggregate="mean") == pytest.approx(0.55 / 3)
    pooled = engagement_rate(posts, base="reads", by="content_type")
    mean = engagement_rate(posts, base="reads", by="content_type", aggregate="mean")
    # 图文 pooled 105/10010, 视频 pooled 44/1000: 视频 first
    assert pooled.to_dict() == pytest.approx({"图文": 105 / 10010, "视频": 44 / 1000})
    # 图文 mean (0.01 + 0.5)/2, 视频 mean 0.04 (its 0-read post has no rate): 图文 first
    assert mean.to_dict() == pytest.approx({"图文": 0.255, "视频": 0.04})
    assert pooled.idxmax() == "视频" and mean.idxmax() == "图文"
    assert pooled.name == "engagement_rate"


def test_engagement_rate_zero_base_is_nan():
    posts = pd.DataFrame({"g": ["a", "b"], "likes": [1, 0], "comments": [0, 0], "shares": [0, 0], "reach": [0, 0]})
    assert math.isnan(engagement_rate(posts, base="reach"))
    assert math.isnan(engagement_rate(posts, base="reach", aggregate="mean"))
    assert engagement_rate(posts, base="reach", by="g").isna().all()


rows = st.lists(
    st.tuples(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500)), min_size=1, max_size=30
)


@FAST
@given(rows=rows, base=st.integers(1, 10**6))
def test_property_pooled_equals_mean_when_bases_are_equal(rows, base):
    posts = pd.DataFrame(rows, columns=["likes", "comments", "shares"]).assign(reach=base)
    pooled = engagement_rate(posts, base="reach")
    mean = engagement_rate(posts, base="reach", aggregate="mean")
    assert pooled == pytest.approx(mean, rel=1e-9, abs=1e-15)


@FAST
@given(rows=rows, bases=st.lists(st.integers(0, 10**5), min_size=30, max_size=30))
def test_property_pooled_between_post_rates_and_no_inf(rows, bases):
    posts = pd.DataFrame(rows, columns=["likes", "comments", "shares"]).assign(reach=bases[: len(rows)])
    rates = post_engagement_rate(posts, base="reach")
    assert not np.isinf(rates).any()
    assert rates[posts["reach"] == 0].isna().all()
    positive = posts[posts["reach"] > 0]
    if len(positive):
        # over posts that have a base, the pooled rate is a weighted mean of their rates
        pooled = engagement_rate(positive, base="reach")
        r = rates[posts["reach"] > 0]
        assert r.min() - 1e-12 <= pooled <= r.max() + 1e-12
    # capped interactions (each at most the base) keep every rate in [0, 1]
    capped = posts.assign(likes=np.minimum(posts["likes"], posts["reach"]), comments=0, shares=0)
    r = post_engagement_rate(capped, base="reach").dropna()
    assert ((r >= 0) & (r <= 1)).all()


def test_engagement_rate_refuses_bad_input():
    posts = _posts()
    with pytest.raises(NmopsInputError, match="reach"):
        engagement_rate(posts, base="reach")
    with pytest.raises(NmopsInputError, match="缺少列：saves"):
        post_engagement_rate(posts, base="reads", interactions=["likes", "saves"])
    with pytest.raises(NmopsInputError, match="不能为负数"):
        engagement_rate(posts.assign(likes=[-1, 0, 0, 0]), base="reads")
    with pytest.raises(NmopsInputError, match="应该是数字"):
        engagement_rate(posts.assign(reads=["1万", "10", "1", "0"]), base="reads")
    with pytest.raises(NmopsInputError, match="aggregate"):
        engagement_rate(posts, base="reads", aggregate="median")
    with pytest.raises(NmopsInputError, match="missing"):
        engagement_rate(posts, base="reads", missing="ignore")
    with pytest.raises(NmopsInputError, match="base"):
        post_engagement_rate(posts, base=["reads"])
    with pytest.raises(NmopsInputError, match="至少要有一列"):
        post_engagement_rate(posts, base="reads", interactions=[])
    with pytest.raises(NmopsInputError, match="分组列 content_type"):
        engagement_rate(posts.assign(content_type=[None, "a", "b", "b"]), base="reads", by="content_type")
    with pytest.raises(TypeError):
        engagement_rate(posts)  # the base has no default: it must be chosen


# ----------------------------------------------------------------------------- the real Facebook file


@pytest.fixture(scope="module")
def facebook():
    if not FACEBOOK.exists():
        pytest.skip(f"真实数据文件不存在，跳过：{FACEBOOK} / real data file absent: {FACEBOOK}")
    return pd.read_csv(FACEBOOK)


REACH = "Lifetime Post Total Reach"
FOLLOWERS = "Page total likes"


def test_facebook_reproduces_the_figures_of_metrics_md(facebook):
    cols = ["comment", "like", "share"]
    pooled = engagement_rate(facebook, base=REACH, interactions=cols)
    mean = engagement_rate(facebook, base=REACH, interactions=cols, aggregate="mean")
    assert round(pooled * 100, 2) == 1.53
    assert round(mean * 100, 2) == 2.41
    # the export's own total gives the same (it counts a missing like/share as 0)
    assert engagement_rate(facebook, base=REACH, interactions="Total Interactions") == pytest.approx(pooled)
    # dropping the 5 posts with a missing like/share instead moves the mean to 2.42%
    dropped = engagement_rate(facebook, base=REACH, interactions=cols, aggregate="mean", missing="drop")
    assert round(dropped * 100, 2) == 2.42


def test_facebook_type_ranking_depends_on_base_and_aggregation(facebook):
    cols = ["comment", "like", "share"]
    inter = facebook[cols].fillna(0).sum(axis=1)
    g = facebook.groupby("Type")
    for base in (REACH, FOLLOWERS):
        ref_pooled = inter.groupby(facebook["Type"]).sum() / g[base].sum()
        ref_mean = (inter / facebook[base]).groupby(facebook["Type"]).mean()
        got_pooled = engagement_rate(facebook, base=base, interactions=cols, by="Type")
        got_mean = engagement_rate(facebook, base=base, interactions=cols, by="Type", aggregate="mean")
        pd.testing.assert_series_equal(got_pooled, ref_pooled, check_names=False)
        pd.testing.assert_series_equal(got_mean, ref_mean, check_names=False)
    by_followers = engagement_rate(facebook, base=FOLLOWERS, interactions=cols, by="Type")
    by_reach = engagement_rate(facebook, base=REACH, interactions=cols, by="Type")
    by_reach_mean = engagement_rate(facebook, base=REACH, interactions=cols, by="Type", aggregate="mean")
    # metrics.md: post types rank in a different order by followers than by reach
    assert by_followers.sort_values(ascending=False).index.tolist() != by_reach.sort_values(
        ascending=False
    ).index.tolist()
    assert by_followers.idxmax() == "Video" and by_reach.idxmax() == "Status"
    assert by_reach_mean.idxmax() == "Photo"  # and the mean of post rates crowns yet another type
