"""Tests for nmops.metrics.segmentation: RFM and survey clusters."""

import datetime as dt
import importlib.util

import numpy as np
import pandas as pd
import pytest
from conftest import require_or_skip
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.vq import kmeans2

from nmops._validation import NmopsInputError
from nmops.metrics.segmentation import RFM_SEGMENTS, cluster_survey, rfm_scores, rfm_table

# --------------------------------------------------------------------------- rfm_scores


def test_rfm_scores_equal_groups_without_ties():
    s = pd.Series(range(100, 0, -1))  # 20 customers per score
    scores = rfm_scores(s)
    assert scores.value_counts().sort_index().tolist() == [20] * 5
    assert scores.iloc[0] == 5 and scores.iloc[-1] == 1
    # recency: fewer days is better
    assert rfm_scores(s, higher_is_better=False).iloc[-1] == 5


def test_rfm_scores_missing_value_keeps_missing_score():
    scores = rfm_scores(pd.Series([1.0, np.nan, 3.0]), bins=2)
    assert scores.isna().tolist() == [False, True, False]
    assert scores.dropna().tolist() == [1, 2]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 8), min_size=1, max_size=60), st.integers(2, 6))
def test_rfm_scores_properties(values, bins):
    s = pd.Series(values)
    scores = rfm_scores(s, bins=bins)
    assert scores.between(1, bins).all()
    # ties share a score; a larger value never gets a smaller score
    for v in set(values):
        assert scores[s == v].nunique() == 1
    order = s.sort_values(kind="mergesort").index
    assert scores[order].is_monotonic_increasing
    # a unique best value gets the top score (a tied best group gets the score of its average rank)
    if (s == s.max()).sum() == 1:
        assert scores[s == s.max()].iloc[0] == bins


def test_rfm_scores_refuses_bad_input():
    with pytest.raises(NmopsInputError, match="数值型"):
        rfm_scores(pd.Series(["a", "b"]))
    with pytest.raises(NmopsInputError, match="数值型"):
        rfm_scores([1, 2, 3])
    with pytest.raises(NmopsInputError, match="bins"):
        rfm_scores(pd.Series([1, 2]), bins=1)


# --------------------------------------------------------------------------- rfm_table


@pytest.fixture
def orders():
    return pd.DataFrame(
        {
            "user": ["u1", "u1", "u1", "u2", "u3", "u3", "u4", "u5"],
            "paid_at": pd.to_datetime(
                [
                    "2025-05-01 10:00",
                    "2025-06-10 23:59",
                    "2025-06-10 08:00",
                    "2025-06-29 00:00",
                    "2025-01-01 00:00",
                    "2025-02-01 00:00",
                    "2025-06-15 00:00",
                    "2024-12-31 00:00",
                ]
            ),
            "gmv": [50.0, 50.0, 20.0, 500.0, 300.0, 300.0, 10.0, 5.0],
            "order": ["o1", "o2", "o2", "o3", "o4", "o5", "o6", "o7"],
        }
    )


def test_rfm_table_by_hand(orders):
    out = rfm_table(orders, as_of="2025-06-30", customer="user", date="paid_at", amount="gmv", bins=5)
    # recency in calendar days from the date of the last purchase to as_of
    assert out.loc["u1", "recency"] == (dt.date(2025, 6, 30) - dt.date(2025, 6, 10)).days == 20
    assert out.loc["u5", "recency"] == 181
    assert out["frequency"].to_dict() == {"u1": 3, "u2": 1, "u3": 2, "u4": 1, "u5": 1}
    assert out["monetary"].to_dict() == {"u1": 120.0, "u2": 500.0, "u3": 600.0, "u4": 10.0, "u5": 5.0}
    # R: recency 20, 1, 149, 15, 181 -> ranks (best = largest rank) 3, 5, 2, 4, 1
    assert out["r_score"].tolist() == [3, 5, 2, 4, 1]
    # F: 3,1,2,1,1 -> the three 1s share average rank 2 -> ceil(5*2/5) = 2
    assert out["f_score"].tolist() == [5, 2, 4, 2, 2]
    assert out["m_score"].tolist() == [3, 4, 5, 2, 1]
    # thresholds: mean R 3.0, mean F 3.0, mean M 3.0; high = strictly above
    assert out.loc["u1", "segment"] == RFM_SEGMENTS[(False, True, False)] == "一般保持客户"
    assert out.loc["u2", "segment"] == "重要发展客户"  # recent, once, big
    assert out.loc["u3", "segment"] == "重要保持客户"  # long ago, often, big
    assert out.loc["u5", "segment"] == "一般挽留客户"
    assert out.index.name == "user"


def test_rfm_table_options(orders):
    kw = dict(customer="user", date="paid_at", amount="gmv")
    by_order = rfm_table(orders, as_of="2025-06-30", order_id="order", monetary="mean", **kw)
    assert by_order.loc["u1", "frequency"] == 2  # o1, o2 (o2 has two lines)
    assert by_order.loc["u1", "monetary"] == 60.0  # 120 / 2 orders
    later = rfm_table(orders, as_of="2025-07-30", **kw)
    assert (later["recency"] - rfm_table(orders, as_of="2025-06-30", **kw)["recency"]).eq(30).all()
    fixed = rfm_table(orders, as_of="2025-06-30", threshold=3, **kw)
    assert fixed.loc["u2", "segment"] == "重要发展客户"
    assert set(fixed["segment"]) <= set(RFM_SEGMENTS.values())


def test_rfm_table_matches_duckdb():
    # DuckDB is a benchmark extra (pip install -e .[bench]); skipped on a learner's machine, required in CI.
    require_or_skip(importlib.util.find_spec("duckdb") is not None, "duckdb", "pip install duckdb")
    import duckdb

    rng = np.random.default_rng(3)
    n = 2000
    orders = pd.DataFrame(
        {
            "user_id": rng.integers(0, 300, n),
            "ordered_at": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "amount": rng.gamma(2.0, 80.0, n).round(2),
        }
    )
    ours = rfm_table(orders, as_of="2025-01-15")
    ref = duckdb.sql(
        """
        SELECT user_id,
               date_diff('day', max(ordered_at)::DATE, DATE '2025-01-15') AS recency,
               count(*) AS frequency, sum(amount) AS monetary,
               -- score = ceil(5 * average rank / n), recency reversed
               ceil(5 * ((rank() OVER (ORDER BY max(ordered_at) ASC) +
                          count(*) OVER (PARTITION BY max(ordered_at)) - 1 +
                          rank() OVER (ORDER BY max(ordered_at) ASC)) / 2.0)
                    / count(*) OVER ())::INT AS r_score
        FROM orders GROUP BY user_id ORDER BY user_id
        """
    ).df().set_index("user_id")
    assert ours["recency"].tolist() == ref["recency"].tolist()
    assert ours["frequency"].tolist() == ref["frequency"].tolist()
    np.testing.assert_allclose(ours["monetary"].to_numpy(), ref["monetary"].to_numpy(), rtol=1e-12)
    assert ours["r_score"].astype(int).tolist() == ref["r_score"].tolist()


def test_rfm_table_refuses_bad_input(orders):
    kw = dict(customer="user", date="paid_at", amount="gmv")
    with pytest.raises(NmopsInputError, match="缺少列：gmv"):
        rfm_table(orders.drop(columns="gmv"), as_of="2025-06-30", **kw)
    with pytest.raises(NmopsInputError, match="晚于 as_of"):
        rfm_table(orders, as_of="2025-06-01", **kw)
    with pytest.raises(NmopsInputError, match="as_of"):
        rfm_table(orders, as_of=None, **kw)
    with pytest.raises(NmopsInputError, match="as_of 不是日期"):
        rfm_table(orders, as_of="上个月", **kw)
    with pytest.raises(NmopsInputError, match="不能为负数"):
        rfm_table(orders.assign(gmv=-orders["gmv"]), as_of="2025-06-30", **kw)
    with pytest.raises(NmopsInputError, match="应该是数字"):
        rfm_table(orders.assign(gmv=orders["gmv"].astype(str)), as_of="2025-06-30", **kw)
    with pytest.raises(NmopsInputError, match="缺失值"):
        rfm_table(orders.assign(user=[None] + ["u"] * 7), as_of="2025-06-30", **kw)
    with pytest.raises(NmopsInputError, match="threshold"):
        rfm_table(orders, as_of="2025-06-30", threshold="avg", **kw)
    with pytest.raises(NmopsInputError, match="monetary"):
        rfm_table(orders, as_of="2025-06-30", monetary="total", **kw)


# --------------------------------------------------------------------------- cluster_survey


def _blobs(seed=1, sizes=(40, 25, 15)):
    """Three well separated groups of Likert answers (1..5) on four items."""
    rng = np.random.default_rng(seed)
    centres = np.array([[5, 4, 1, 2], [1, 2, 5, 5], [3, 5, 3, 1]])
    rows, truth = [], []
    for g, (c, size) in enumerate(zip(centres, sizes)):
        rows.append(np.clip(c + rng.integers(-1, 2, (size, 4)) * (rng.random((size, 4)) < 0.3), 1, 5))
        truth += [g] * size
    order = rng.permutation(sum(sizes))
    df = pd.DataFrame(np.vstack(rows)[order], columns=["价格", "品牌", "社交", "内容"])
    df.index = [f"r{i}" for i in range(len(df))]
    return df, np.array(truth)[order]


def test_cluster_survey_recovers_separated_groups_and_agrees_with_scipy():
    df, truth = _blobs()
    labels, profile = cluster_survey(df, 3)
    # same partition as the truth, numbered by size (40 -> 0, 25 -> 1, 15 -> 2)
    assert (labels.to_numpy() == truth).all()
    z = ((df - df.mean()) / df.std(ddof=0)).to_numpy()
    _, scipy_labels = kmeans2(z, 3, minit="++", seed=np.random.default_rng(0))
    assert pd.crosstab(labels.to_numpy(), scipy_labels).gt(0).sum(axis=1).eq(1).all()
    assert profile["size"].tolist() == [40, 25, 15]
    assert profile["share"].sum() == pytest.approx(1.0)
    pd.testing.assert_frame_equal(
        profile.drop(columns=["size", "share"]), df.groupby(labels.to_numpy()).mean().rename_axis("cluster"), check_dtype=False
    )
    assert labels.index.equals(df.index)


def test_cluster_survey_is_a_kmeans_fixed_point_and_deterministic():
    rng = np.random.default_rng(5)
    df = pd.DataFrame(rng.integers(1, 6, (80, 5)), columns=list("abcde"))
    labels, _ = cluster_survey(df, 4, seed=11)
    again, _ = cluster_survey(df, 4, seed=11)
    assert labels.equals(again)
    z = ((df - df.mean()) / df.std(ddof=0)).to_numpy()
    centres = np.vstack([z[labels.to_numpy() == j].mean(axis=0) for j in range(4)])
    dist = ((z[:, None, :] - centres[None]) ** 2).sum(axis=2)
    # every respondent sits with its nearest centre (Lloyd's algorithm converged)
    assert (dist[np.arange(len(z)), labels.to_numpy()] <= dist.min(axis=1) + 1e-9).all()
    assert labels.value_counts().sort_index().is_monotonic_decreasing


def test_cluster_survey_standardisation_removes_scale():
    df, _ = _blobs(seed=2)
    rescaled = df.assign(价格=df["价格"] * 20)  # same answers on a 20..100 scale
    assert cluster_survey(df, 3).labels.equals(cluster_survey(rescaled, 3).labels)
    # a constant item is harmless
    assert cluster_survey(df.assign(常数=3), 3).labels.equals(cluster_survey(df, 3).labels)
    # items= chooses columns
    _, profile = cluster_survey(df.assign(备注="x"), 3, items=["价格", "品牌", "社交", "内容"])
    assert "备注" not in profile.columns


def test_cluster_survey_refuses_bad_input():
    df, _ = _blobs()
    with pytest.raises(NmopsInputError, match="DataFrame"):
        cluster_survey(df.to_numpy(), 3)
    with pytest.raises(NmopsInputError, match="缺少列：满意度"):
        cluster_survey(df, 3, items=["价格", "满意度"])
    with pytest.raises(NmopsInputError, match="不是数字：备注"):
        cluster_survey(df.assign(备注="x"), 3)
    with pytest.raises(NmopsInputError, match="缺失答案"):
        cluster_survey(df.assign(价格=df["价格"].where(df["价格"] > 1)), 3)
    with pytest.raises(NmopsInputError, match="大于受访者人数"):
        cluster_survey(df.head(2), 3)
    with pytest.raises(NmopsInputError, match="k 应该是"):
        cluster_survey(df, 0)
