"""Tests for nmops.metrics.budget: response curves and budget allocation.

References: exact data generated from known curves; statsmodels OLS for the
log-log fit on noisy data; scipy's SLSQP as an independent optimiser; the
closed form x ∝ a^(1/(1-b)) for power curves sharing b; and the optimality
(KKT) conditions as hypothesis properties.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from nmops._validation import NmopsInputError
from nmops.metrics.budget import allocate_budget, fit_response_curve, marginal_response, predict_response


def _power(a, b, index):
    return pd.DataFrame({"model": "power", "a": a, "b": b}, index=index)


# --------------------------------------------------------------------------- fitting


def test_power_fit_recovers_exact_curve():
    spend = np.array([100.0, 250.0, 800.0, 2000.0])
    h = pd.DataFrame(
        {
            "channel": ["wechat"] * 4 + ["weibo"] * 4,
            "spend": np.concatenate([spend, spend]),
            "conversions": np.concatenate([3.0 * spend**0.4, 0.5 * spend**0.7]),
        }
    )
    c = fit_response_curve(h)
    assert list(c.index) == ["wechat", "weibo"]
    assert c.loc["wechat", ["a", "b"]].tolist() == pytest.approx([3.0, 0.4])
    assert c.loc["weibo", ["a", "b"]].tolist() == pytest.approx([0.5, 0.7])
    assert c["r2"].tolist() == pytest.approx([1.0, 1.0])
    assert c["n_obs"].tolist() == [4, 4]
    assert c["model"].tolist() == ["power", "power"] and c["k"].isna().all()


def test_power_fit_matches_statsmodels_ols_on_logs_and_skips_zeros():
    rng = np.random.default_rng(7)
    spend = rng.uniform(100, 5000, 30)
    conv = 2.0 * spend**0.55 * np.exp(rng.normal(0, 0.2, 30))
    h = pd.DataFrame({"ch": "douyin", "cost": np.append(spend, [0.0, 300.0]), "orders": np.append(conv, [5.0, 0.0])})
    c = fit_response_curve(h, channel="ch", spend="cost", outcome="orders")
    ols = sm.OLS(np.log(conv), sm.add_constant(np.log(spend))).fit()
    assert c.loc["douyin", "b"] == pytest.approx(ols.params[1])
    assert c.loc["douyin", "a"] == pytest.approx(np.exp(ols.params[0]))
    assert c.loc["douyin", "r2"] == pytest.approx(ols.rsquared)
    assert c.loc["douyin", "n_obs"] == 30  # the zero-spend and zero-outcome rows cannot enter a log-log fit


def test_saturation_fit_recovers_exact_curve():
    spend = np.array([0.0, 200.0, 500.0, 1000.0, 2000.0, 4000.0])
    h = pd.DataFrame({"channel": "zhihu", "spend": spend, "conversions": 120.0 * (1 - np.exp(-spend / 800.0))})
    c = fit_response_curve(h, model="saturation")
    assert c.loc["zhihu", "a"] == pytest.approx(120.0, rel=1e-5)
    assert c.loc["zhihu", "k"] == pytest.approx(800.0, rel=1e-5)
    assert np.isnan(c.loc["zhihu", "b"]) and c.loc["zhihu", "n_obs"] == 6


def test_fit_categorical_channel_uses_observed_channels_only():
    h = pd.DataFrame(
        {
            "channel": pd.Categorical(["a", "a"], categories=["a", "unused"]),
            "spend": [100.0, 400.0],
            "conversions": [10.0, 20.0],
        }
    )
    c = fit_response_curve(h)
    assert list(c.index) == ["a"]
    assert c.loc["a", "b"] == pytest.approx(0.5)  # doubling the outcome needs 4x the spend


def test_fit_bad_input():
    ok = pd.DataFrame({"channel": ["a", "a"], "spend": [1.0, 2.0], "conversions": [1.0, 1.5]})
    with pytest.raises(NmopsInputError, match="缺少列：conversions"):
        fit_response_curve(ok.drop(columns="conversions"))
    with pytest.raises(NmopsInputError, match="model"):
        fit_response_curve(ok, model="linear")
    with pytest.raises(NmopsInputError, match="两个不同"):
        fit_response_curve(ok.assign(spend=[5.0, 5.0]))
    with pytest.raises(NmopsInputError, match="两个不同"):
        fit_response_curve(ok.assign(conversions=[0.0, 1.0]))  # one usable row for a log-log fit
    with pytest.raises(NmopsInputError, match="负"):
        fit_response_curve(ok.assign(spend=[-1.0, 2.0]))
    with pytest.raises(NmopsInputError, match="应该是数字"):
        fit_response_curve(ok.assign(spend=["1", "2"]))
    with pytest.raises(NmopsInputError, match="channel"):
        fit_response_curve(ok.assign(channel=[None, "a"]))
    with pytest.raises(NmopsInputError, match="空表"):
        fit_response_curve(ok.iloc[:0])


# --------------------------------------------------------------------------- predict / marginal


def test_predict_and_marginal_by_hand():
    curves = pd.DataFrame(
        {"model": ["power", "saturation"], "a": [2.0, 100.0], "b": [0.5, np.nan], "k": [np.nan, 1000.0]},
        index=["wechat", "douyin"],
    )
    p = predict_response(curves, {"wechat": 400.0, "douyin": 1000.0})
    assert p.tolist() == pytest.approx([40.0, 100 * (1 - np.exp(-1))])
    m = marginal_response(curves, pd.Series({"douyin": 0.0, "wechat": 100.0}))
    assert m.tolist() == pytest.approx([2 * 0.5 * 100**-0.5, 100 / 1000])
    assert marginal_response(curves, 0.0)["wechat"] == np.inf


def test_predict_marginal_bad_input():
    curves = _power([1.0], [0.5], ["a"])
    with pytest.raises(NmopsInputError, match="缺少渠道"):
        predict_response(curves, {"b": 1.0})
    with pytest.raises(NmopsInputError, match="负"):
        marginal_response(curves, -1.0)
    with pytest.raises(NmopsInputError, match="spend"):
        predict_response(curves, "100")
    with pytest.raises(NmopsInputError, match="缺少列：model"):
        predict_response(curves.drop(columns="model"), 1.0)
    with pytest.raises(NmopsInputError, match="0 < b < 1"):
        marginal_response(_power([1.0], [1.2], ["a"]), 1.0)


# --------------------------------------------------------------------------- allocation


def test_equal_b_closed_form():
    # shared b: x_i ∝ a_i^(1/(1-b)); b = 0.6 -> a^2.5
    a = np.array([1.0, 2.0, 4.0])
    curves = _power(a, 0.6, ["x", "y", "z"])
    got = allocate_budget(curves, 9000.0)
    share = a**2.5 / (a**2.5).sum()
    assert got["spend"].tolist() == pytest.approx((9000 * share).tolist())
    assert np.ptp(got["marginal"]) < 1e-9 * got["marginal"].max()  # equal marginal returns
    assert got["predicted"].tolist() == pytest.approx((a * got["spend"].to_numpy() ** 0.6).tolist())


def test_bounds_by_hand():
    curves = _power([1.0, 2.0], [0.5, 0.5], ["weibo", "wechat"])
    # unbounded: 200 / 800 (a^2 = 1 : 4)
    assert allocate_budget(curves, 1000.0)["spend"].tolist() == pytest.approx([200.0, 800.0])
    # wechat capped at 500 -> weibo takes the rest
    assert allocate_budget(curves, 1000.0, max_spend={"wechat": 500.0})["spend"].tolist() == pytest.approx([500.0, 500.0])
    # weibo at least 300 -> wechat gets 700
    got = allocate_budget(curves, 1000.0, min_spend=pd.Series({"weibo": 300.0}))
    assert got["spend"].tolist() == pytest.approx([300.0, 700.0])
    assert got.loc["weibo", "marginal"] < got.loc["wechat", "marginal"]  # held up by its minimum
    # budget equal to the sum of the minimums / maximums
    assert allocate_budget(curves, 400.0, min_spend=200.0)["spend"].tolist() == [200.0, 200.0]
    assert allocate_budget(curves, 900.0, max_spend=450.0)["spend"].tolist() == [450.0, 450.0]
    assert allocate_budget(curves, 0.0)["spend"].tolist() == [0.0, 0.0]


def test_saturation_channel_can_get_nothing():
    # saturation marginal at 0 is a/k = 0.01; the power channel's marginal at the whole budget is higher
    curves = pd.DataFrame(
        {"model": ["power", "saturation"], "a": [10.0, 10.0], "b": [0.5, np.nan], "k": [np.nan, 1000.0]},
        index=["p", "s"],
    )
    got = allocate_budget(curves, 100.0)
    assert got["spend"].tolist() == pytest.approx([100.0, 0.0])
    assert got.loc["s", "marginal"] <= got.loc["p", "marginal"]


def test_mixed_curves_match_scipy_slsqp():
    curves = pd.DataFrame(
        {
            "model": ["power", "power", "saturation", "saturation"],
            "a": [3.0, 1.5, 200.0, 80.0],
            "b": [0.45, 0.7, np.nan, np.nan],
            "k": [np.nan, np.nan, 3000.0, 800.0],
        },
        index=list("abcd"),
    )
    budget = 10_000.0
    got = allocate_budget(curves, budget, max_spend={"b": 4000.0})

    def total(x):
        return -(3 * x[0] ** 0.45 + 1.5 * x[1] ** 0.7 + 200 * (1 - np.exp(-x[2] / 3000)) + 80 * (1 - np.exp(-x[3] / 800)))

    res = optimize.minimize(
        total, np.full(4, budget / 4), method="SLSQP",
        bounds=[(1e-9, None), (1e-9, 4000), (0, None), (0, None)],
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - budget}], options={"ftol": 1e-12, "maxiter": 1000},
    )
    assert res.success
    assert got["spend"].sum() == pytest.approx(budget)
    assert got["predicted"].sum() >= -res.fun - 1e-6
    np.testing.assert_allclose(got["spend"].to_numpy(), res.x, rtol=1e-3, atol=0.5)


_curve = st.one_of(
    st.tuples(st.just("power"), st.floats(0.5, 50), st.floats(0.1, 0.9)),
    st.tuples(st.just("saturation"), st.floats(10, 500), st.floats(100, 5000)),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(_curve, st.floats(0, 300), st.one_of(st.none(), st.floats(300, 5000))), min_size=1, max_size=5),
    st.floats(0, 1),
)
def test_allocation_properties(channels, where):
    index = [f"c{i}" for i in range(len(channels))]
    curves = pd.DataFrame(
        {
            "model": [c[0][0] for c in channels],
            "a": [c[0][1] for c in channels],
            "b": [c[0][2] if c[0][0] == "power" else np.nan for c in channels],
            "k": [c[0][2] if c[0][0] == "saturation" else np.nan for c in channels],
        },
        index=index,
    )
    lo = np.array([c[1] for c in channels])
    hi = np.array([np.inf if c[2] is None else c[2] for c in channels])
    top = hi.sum() if np.isfinite(hi).all() else lo.sum() + 20_000
    budget = float(lo.sum() + where * (top - lo.sum()))
    got = allocate_budget(curves, budget, min_spend=dict(zip(index, lo)), max_spend=dict(zip(index, hi)))
    x = got["spend"].to_numpy()
    assert x.sum() == pytest.approx(budget, rel=1e-9, abs=1e-6)
    assert (x >= lo - 1e-6).all() and (x <= hi + 1e-6).all()
    m = got["marginal"].to_numpy()
    tol = 1e-6
    interior = (x > lo + tol) & (x < hi - tol)
    if interior.sum() >= 2:
        assert np.ptp(m[interior]) <= 1e-5 * m[interior].max()
    if interior.any():
        lam = np.median(m[interior])
        at_lo = (x <= lo + tol) & ~interior
        at_hi = (x >= hi - tol) & ~interior
        assert (m[at_lo] <= lam * (1 + 1e-5)).all()  # held at its minimum: not worth more
        assert (m[at_hi] >= lam * (1 - 1e-5)).all()  # held at its maximum: would take more
    # no single transfer of 1% of the budget between two channels improves the total
    step = 0.01 * budget
    base = got["predicted"].sum()
    for i in range(len(x)):
        for j in range(len(x)):
            if i != j and x[i] - step >= lo[i] and x[j] + step <= hi[j]:
                y = x.copy()
                y[i] -= step
                y[j] += step
                assert predict_response(curves, pd.Series(y, index=index)).sum() <= base + 1e-9 * max(base, 1)


def test_allocation_bad_input():
    curves = _power([1.0, 2.0], [0.5, 0.5], ["weibo", "wechat"])
    with pytest.raises(NmopsInputError, match="0 < b < 1"):
        allocate_budget(_power([1.0, 2.0], [0.5, 1.0], ["weibo", "wechat"]), 100.0)
    with pytest.raises(NmopsInputError, match="budget"):
        allocate_budget(curves, -5.0)
    with pytest.raises(NmopsInputError, match="budget"):
        allocate_budget(curves, "1000")
    with pytest.raises(NmopsInputError, match="之间"):
        allocate_budget(curves, 100.0, min_spend=80.0)
    with pytest.raises(NmopsInputError, match="之间"):
        allocate_budget(curves, 1000.0, max_spend=100.0)
    with pytest.raises(NmopsInputError, match="min_spend 大于 max_spend"):
        allocate_budget(curves, 100.0, min_spend={"weibo": 60.0}, max_spend={"weibo": 50.0})
    with pytest.raises(NmopsInputError, match="douyin"):
        allocate_budget(curves, 100.0, max_spend={"douyin": 50.0})
    with pytest.raises(NmopsInputError, match="model"):
        allocate_budget(curves.assign(model="linear"), 100.0)
    with pytest.raises(NmopsInputError, match="a 必须是正数"):
        allocate_budget(curves.assign(a=[1.0, -1.0]), 100.0)
    with pytest.raises(NmopsInputError, match="缺少列：k"):
        allocate_budget(curves.assign(model=["power", "saturation"]), 100.0)
    with pytest.raises(NmopsInputError, match="重复"):
        allocate_budget(_power([1.0, 2.0], [0.5, 0.5], ["a", "a"]), 100.0)
    with pytest.raises(NmopsInputError, match="空表"):
        allocate_budget(curves.iloc[:0], 100.0)
