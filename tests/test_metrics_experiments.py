"""Tests for nmops.metrics.experiments, with statsmodels as the independent reference."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    power_proportions_2indep,
    proportion_confint,
    proportions_ztest,
    samplesize_proportions_2indep_onetail,
)
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import DescrStatsW

from nmops._validation import NmopsInputError
from nmops.metrics.experiments import (
    ABTestResult,
    ab_sample_size,
    ab_test_proportions,
    ab_test_table,
    compare_means,
    compare_rates,
    proportion_ci,
)

# statsmodels' names for the same interval methods
SM_DIFF = {"wald": "wald", "agresti-caffo": "agresti-caffo", "newcombe": "newcomb"}
SM_PROP = {"wilson": "wilson", "wald": "normal", "agresti-coull": "agresti_coull", "clopper-pearson": "beta"}


@st.composite
def two_arms(draw):
    n_a = draw(st.integers(1, 50_000))
    n_b = draw(st.integers(1, 50_000))
    x_a = draw(st.integers(0, n_a))
    x_b = draw(st.integers(0, n_b))
    return x_a, n_a, x_b, n_b


# --------------------------------------------------------------------------- A/B test


def test_worked_check_from_metrics_md():
    # metrics.md: 120/2000 vs 150/2000 gives z = -1.891, p = 0.0587 (statsmodels order A - B).
    r = ab_test_proportions(120, 2000, 150, 2000)
    assert round(r.p_value, 4) == 0.0587
    # Our z is B - A: same magnitude, opposite sign of proportions_ztest([120, 150], ...).
    assert round(r.z, 3) == 1.891
    z_sm, p_sm = proportions_ztest([120, 150], [2000, 2000])
    assert round(z_sm, 3) == -1.891
    assert r.z == pytest.approx(-z_sm, rel=1e-12)
    assert r.p_value == pytest.approx(p_sm, rel=1e-12)
    # by hand: pooled rate 270/4000, se = sqrt(p(1-p)(2/2000))
    se = math.sqrt(0.0675 * 0.9325 * (1 / 2000 + 1 / 2000))
    assert r.z == pytest.approx(0.015 / se, rel=1e-12)
    assert r.abs_lift == pytest.approx(0.015)
    assert r.rel_lift == pytest.approx(0.25)
    assert r.significant is False


@settings(max_examples=150, deadline=None)
@given(two_arms(), st.sampled_from(["two-sided", "larger", "smaller"]))
def test_z_and_p_match_statsmodels(arms, alternative):
    x_a, n_a, x_b, n_b = arms
    r = ab_test_proportions(x_a, n_a, x_b, n_b, alternative=alternative)
    pooled = (x_a + x_b) / (n_a + n_b)
    if pooled in (0.0, 1.0):
        assert math.isnan(r.z) and math.isnan(r.p_value)
        assert r.significant is False
        return
    # statsmodels with B first computes B - A, which is our convention; "larger" means B > A.
    z_sm, p_sm = proportions_ztest([x_b, x_a], [n_b, n_a], alternative=alternative)
    assert r.z == pytest.approx(z_sm, rel=1e-9, abs=1e-12)
    assert r.p_value == pytest.approx(p_sm, rel=1e-9, abs=1e-300)
    assert 0.0 <= r.p_value <= 1.0
    assert r.significant == (r.p_value < 0.05)


@settings(max_examples=150, deadline=None)
@given(two_arms(), st.sampled_from(sorted(SM_DIFF)), st.sampled_from([0.01, 0.05, 0.1]))
def test_difference_interval_matches_statsmodels_and_contains_estimate(arms, method, alpha):
    x_a, n_a, x_b, n_b = arms
    r = ab_test_proportions(x_a, n_a, x_b, n_b, ci_method=method, alpha=alpha)
    low, high = confint_proportions_2indep(x_b, n_b, x_a, n_a, method=SM_DIFF[method], compare="diff", alpha=alpha)
    assert r.ci_low == pytest.approx(low, abs=1e-10)
    assert r.ci_high == pytest.approx(high, abs=1e-10)
    if method != "agresti-caffo":  # Agresti-Caffo is centred on the adjusted rates, not on the raw lift
        assert r.ci_low <= r.abs_lift + 1e-12 <= r.ci_high + 2e-12


def test_one_sided_p_values_by_hand():
    r_two = ab_test_proportions(120, 2000, 150, 2000)
    r_larger = ab_test_proportions(120, 2000, 150, 2000, alternative="larger")
    r_smaller = ab_test_proportions(120, 2000, 150, 2000, alternative="smaller")
    assert r_larger.p_value == pytest.approx(r_two.p_value / 2)  # B is better, one tail
    assert r_smaller.p_value == pytest.approx(1 - r_two.p_value / 2)
    assert r_larger.significant and not r_two.significant


def test_result_is_frozen_and_readable():
    r = ab_test_proportions(120, 2000, 150, 2000)
    assert isinstance(r, ABTestResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.z = 0  # type: ignore[misc]
    text = repr(r)
    for part in ("A 组转化率", "B 组转化率", "6.00%", "7.50%", "+25.00%", "0.0587", "不显著"):
        assert part in text
    s = r.to_series()
    assert s["successes_b"] == 150 and s["p_value"] == r.p_value


def test_relative_lift_undefined_when_control_is_zero():
    r = ab_test_proportions(0, 100, 5, 100)
    assert math.isnan(r.rel_lift)
    assert "无法计算" in repr(r)


@pytest.mark.parametrize(
    "args, kwargs, words",
    [
        ((130, 100, 150, 2000), {}, "大于样本数"),
        ((12, 0, 15, 100), {}, "大于 0"),
        ((-1, 100, 15, 100), {}, "不能为负数"),
        ((12.5, 100, 15, 100), {}, "整数"),
        (("12", 100, 15, 100), {}, "整数"),
        ((12, 100, 15, 100), {"alternative": "greater"}, "alternative"),
        ((12, 100, 15, 100), {"ci_method": "score"}, "ci_method"),
        ((12, 100, 15, 100), {"alpha": 5}, "alpha"),
    ],
)
def test_ab_test_refuses_bad_input(args, kwargs, words):
    with pytest.raises(NmopsInputError, match=words):
        ab_test_proportions(*args, **kwargs)


@pytest.fixture
def headline_tests():
    rng = np.random.default_rng(11)
    rows = []
    for t in range(12):
        n = int(rng.integers(2000, 20000))
        base = rng.uniform(0.03, 0.08)
        for variant, rate in (("B", base * rng.uniform(0.9, 1.3)), ("A", base)):  # B listed first on purpose
            rows.append({"test_id": f"T{t:02d}", "variant": variant, "delivered": n, "reads": int(rng.binomial(n, rate))})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("adjust", [None, "bonferroni", "holm"])
def test_ab_test_table_matches_statsmodels(headline_tests, adjust):
    out = ab_test_table(headline_tests, adjust=adjust)
    assert list(out.index) == [f"T{t:02d}" for t in range(12)]
    wide = headline_tests.pivot(index="test_id", columns="variant")
    ref = [
        proportions_ztest([wide.loc[t, ("reads", "B")], wide.loc[t, ("reads", "A")]],
                          [wide.loc[t, ("delivered", "B")], wide.loc[t, ("delivered", "A")]])
        for t in out.index
    ]  # fmt: skip
    z_sm, p_sm = np.array(ref).T
    np.testing.assert_allclose(out["z"], z_sm, rtol=1e-10)
    np.testing.assert_allclose(out["p_value"], p_sm, rtol=1e-10)
    assert (out["rate_a"] == wide[("reads", "A")] / wide[("delivered", "A")]).all()
    if adjust is None:
        assert out["p_adjusted"].equals(out["p_value"])
    else:
        reject, p_adj, _, _ = multipletests(out["p_value"], alpha=0.05, method=adjust)
        np.testing.assert_allclose(out["p_adjusted"], p_adj, rtol=1e-12)
        assert out["significant"].tolist() == list(reject)


def test_ab_test_table_refuses_bad_input(headline_tests):
    with pytest.raises(NmopsInputError, match="缺少列：delivered"):
        ab_test_table(headline_tests.drop(columns="delivered"))
    with pytest.raises(NmopsInputError, match="恰好有一行 variant='A'"):
        ab_test_table(pd.concat([headline_tests, headline_tests.head(2)]))
    with pytest.raises(NmopsInputError, match="恰好有一行 variant='control'"):
        ab_test_table(headline_tests, control="control")
    with pytest.raises(NmopsInputError, match="adjust"):
        ab_test_table(headline_tests, adjust="fdr")
    with pytest.raises(NmopsInputError, match="大于样本数"):
        ab_test_table(headline_tests.assign(reads=headline_tests["delivered"] + 1))


# --------------------------------------------------------------------------- sample size


@settings(max_examples=100, deadline=None)
@given(
    st.floats(0.01, 0.6),
    st.floats(0.005, 0.2),
    st.sampled_from([0.01, 0.05, 0.1]),
    st.sampled_from([0.8, 0.9]),
    st.sampled_from(["two-sided", "larger"]),
)
def test_sample_size_matches_statsmodels(baseline, mde, alpha, power, alternative):
    n = ab_sample_size(baseline, mde, alpha=alpha, power=power, alternative=alternative)
    ref = samplesize_proportions_2indep_onetail(mde, baseline, power, alpha=alpha, alternative=alternative)
    assert n == math.ceil(ref - 1e-9)


def test_sample_size_reaches_the_power_and_no_less_would():
    # Independent check with statsmodels' power function for the same (pooled-null) test.
    n = ab_sample_size(0.05, 0.01, alpha=0.05, power=0.8)
    assert n == 8158
    assert power_proportions_2indep(0.01, 0.05, n).power >= 0.8
    assert power_proportions_2indep(0.01, 0.05, n - 1).power < 0.8


def test_sample_size_relative_and_drop():
    assert ab_sample_size(0.05, 0.2, relative=True) == ab_sample_size(0.05, 0.01)
    # A drop from 6 % to 5 % has the same rates as a rise from 5 % to 6 %: same n.
    assert ab_sample_size(0.06, -0.01) == ab_sample_size(0.05, 0.01)
    # halving the effect roughly quadruples n
    assert 3.8 < ab_sample_size(0.05, 0.005) / ab_sample_size(0.05, 0.01) < 4.2


@pytest.mark.parametrize(
    "args, kwargs, words",
    [
        ((5, 0.01), {}, "baseline_rate"),
        ((0.05, 0), {}, "mde"),
        ((0.05, 0.99), {}, "不是 0 到 1"),
        ((0.05, 0.01), {"power": 80}, "power"),
        ((0.05, 0.01), {"alternative": "one-sided"}, "alternative"),
        ((0.05, 0.01), {"relative": "yes"}, "relative"),
    ],
)
def test_sample_size_refuses_bad_input(args, kwargs, words):
    with pytest.raises(NmopsInputError, match=words):
        ab_sample_size(*args, **kwargs)


# --------------------------------------------------------------------------- proportion_ci


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.sampled_from(sorted(SM_PROP)))
def test_proportion_ci_matches_statsmodels(xn, method):
    x, n = xn
    low, high = proportion_ci(x, n, method=method)
    ref_low, ref_high = proportion_confint(x, n, alpha=0.05, method=SM_PROP[method])
    assert low == pytest.approx(ref_low, abs=1e-10)
    assert high == pytest.approx(ref_high, abs=1e-10)
    assert low <= x / n + 1e-12 and x / n <= high + 1e-12
    assert 0.0 <= low <= high <= 1.0


@pytest.mark.parametrize("method", sorted(SM_PROP))
def test_proportion_ci_small_counts_match_statsmodels(method):
    # the edge cases where Wald leaves [0, 1] before clipping, and x = 0 or x = n
    for x, n in [(0, 1), (1, 1), (1, 2), (2, 3), (0, 50), (50, 50), (1, 1000)]:
        low, high = proportion_ci(x, n, method=method)
        ref_low, ref_high = proportion_confint(x, n, method=SM_PROP[method])
        assert (low, high) == (pytest.approx(ref_low, abs=1e-12), pytest.approx(ref_high, abs=1e-12))
    assert proportion_ci(0, 50, method="wald") == (0.0, 0.0)  # Wald collapses with no successes


def test_proportion_ci_series_and_zero_trials():
    x = pd.Series([12, 0, 3], index=["a", "b", "c"])
    n = pd.Series([100, 0, 3], index=["a", "b", "c"])
    low, high = proportion_ci(x, n)
    assert list(low.index) == ["a", "b", "c"]
    assert math.isnan(low["b"]) and math.isnan(high["b"])
    assert high["c"] == pytest.approx(1.0)
    assert proportion_ci(0, 0, method="clopper-pearson") == (pytest.approx(np.nan, nan_ok=True),) * 2


@pytest.mark.parametrize(
    "args, kwargs, words",
    [
        ((5, 3), {}, "successes 大于 trials"),
        ((-1, 3), {}, "不能为负数"),
        ((np.nan, 3), {}, "缺失值"),
        (("many", 3), {}, "数字"),
        ((1, 3), {"method": "normal"}, "method"),
    ],
)
def test_proportion_ci_refuses_bad_input(args, kwargs, words):
    with pytest.raises(NmopsInputError, match=words):
        proportion_ci(*args, **kwargs)


# --------------------------------------------------------------------------- compare_rates / compare_means


@pytest.fixture
def posts():
    return pd.DataFrame(
        {
            "content_type": ["干货", "干货", "活动", "活动", "热点", "热点", "热点"],
            "reads": [30, 20, 15, 25, 10, 10, 5],
            "delivered": [200, 200, 100, 100, 100, 50, 50],
        }
    )


def test_compare_rates_pooled_sorted_and_matches_statsmodels(posts):
    out = compare_rates(posts, "content_type", "reads", "delivered")
    assert list(out.columns) == ["content_type", "rows", "successes", "trials", "rate", "ci_low", "ci_high"]
    # by hand: 活动 40/200, 干货 50/400, 热点 25/200
    assert out["content_type"].tolist() == ["活动", "干货", "热点"]  # 0.2, then the 0.125 tie by label
    assert out["rate"].tolist() == [0.2, 0.125, 0.125]
    assert out["rows"].tolist() == [2, 2, 3]
    for _, row in out.iterrows():
        low, high = proportion_confint(row["successes"], row["trials"], method="wilson")
        assert row["ci_low"] == pytest.approx(low) and row["ci_high"] == pytest.approx(high)
    assert list(out.index) == [0, 1, 2]


def test_compare_rates_zero_trials_group_is_last():
    df = pd.DataFrame({"g": ["x", "y", "z"], "clicks": [0, 1, 2], "impressions": [0, 10, 10]})
    out = compare_rates(df, "g", "clicks", "impressions", method="clopper-pearson")
    assert out["g"].tolist() == ["z", "y", "x"]
    assert out.loc[2, ["rate", "ci_low", "ci_high"]].isna().all()


def test_compare_rates_refuses_bad_input(posts):
    with pytest.raises(NmopsInputError, match="缺少列：delivered"):
        compare_rates(posts.drop(columns="delivered"), "content_type", "reads", "delivered")
    with pytest.raises(NmopsInputError, match="应该是数字"):
        compare_rates(posts.assign(reads=posts["reads"].astype(str)), "content_type", "reads", "delivered")
    with pytest.raises(NmopsInputError, match="不是一个比率"):
        compare_rates(posts, "content_type", "delivered", "reads")
    with pytest.raises(NmopsInputError, match="缺失值"):
        compare_rates(posts.assign(reads=[np.nan, 1, 2, 3, 4, 5, 6]), "content_type", "reads", "delivered")
    with pytest.raises(NmopsInputError, match="不能为负数"):
        compare_rates(posts.assign(reads=[-1, 1, 2, 3, 4, 5, 6]), "content_type", "reads", "delivered")


def test_compare_means_matches_statsmodels_t_interval():
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"type": rng.choice(["图文", "视频", "直播"], 60), "reads": rng.gamma(2.0, 500.0, 60)})
    df.loc[3, "reads"] = np.nan
    out = compare_means(df, "type", "reads", alpha=0.1)
    assert out["mean"].is_monotonic_decreasing
    for _, row in out.iterrows():
        vals = df.loc[df["type"] == row["type"], "reads"].dropna().to_numpy()
        d = DescrStatsW(vals)
        low, high = d.tconfint_mean(alpha=0.1)
        assert row["n"] == len(vals)
        assert row["mean"] == pytest.approx(vals.mean())
        assert row["std"] == pytest.approx(vals.std(ddof=1))
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))


def test_compare_means_single_row_group_has_no_interval():
    df = pd.DataFrame({"g": ["b", "a", "a"], "v": [5.0, 5.0, 5.0]})
    out = compare_means(df, "g", "v")
    assert out["g"].tolist() == ["a", "b"]  # equal means: label order
    assert math.isnan(out.loc[1, "ci_low"]) and out.loc[1, "n"] == 1
    assert out.loc[0, "ci_low"] == out.loc[0, "ci_high"] == 5.0  # no spread, zero-width interval


def test_compare_means_refuses_bad_input():
    df = pd.DataFrame({"g": ["a", "b"], "v": ["1", "2"]})
    with pytest.raises(NmopsInputError, match="缺少列：reads"):
        compare_means(df, "g", "reads")
    with pytest.raises(NmopsInputError, match="应该是数字"):
        compare_means(df, "g", "v")
    with pytest.raises(NmopsInputError, match="alpha"):
        compare_means(df.assign(v=[1, 2]), "g", "v", alpha=1.5)
