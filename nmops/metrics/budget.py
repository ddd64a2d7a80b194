"""Senior (高级) KPIs: budget allocation across channels under diminishing returns (预算分配).

The tenth thousand yuan on a channel brings fewer customers than the first:
returns diminish (边际收益递减). A senior operator therefore does not put the
whole budget on the channel with the best average cost, but:

1. fits a response curve per channel from history (spend → outcome), with
   :func:`fit_response_curve`;
2. splits a total budget so that the *marginal* return (the outcome of the
   next yuan) is the same on every channel, with :func:`allocate_budget`:
   if channel A's next yuan brought more than B's, moving a yuan from B to
   A would raise the total.

Two curves are offered:

* ``"power"``: outcome = a · spend^b with 0 < b < 1, fitted by least
  squares on log(outcome) = log(a) + b · log(spend);
* ``"saturation"``: outcome = a · (1 − exp(−spend / k)), which levels off at
  ``a`` (the market is exhausted), fitted by non-linear least squares.

The allocation solves max Σ fᵢ(xᵢ) subject to Σ xᵢ = budget and
minᵢ ≤ xᵢ ≤ maxᵢ exactly: with a common marginal return λ each channel's
spend is the inverse of its marginal curve at λ, clipped to its bounds,
and λ is found by a one-dimensional root search (:func:`scipy.optimize.brentq`).
A curve fitted on spends between 1,000 and 5,000 says nothing reliable
about 50,000: keep the allocation near the spends seen (``max_spend``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize

from nmops._validation import NmopsInputError, require_columns
from nmops.metrics._common import _check_choice, _require_counts, _require_frame, _require_no_missing

__all__ = ["fit_response_curve", "predict_response", "marginal_response", "allocate_budget"]


# --------------------------------------------------------------------------- fitting


def fit_response_curve(
    history: pd.DataFrame,
    *,
    model: Literal["power", "saturation"] = "power",
    channel: str = "channel",
    spend: str = "spend",
    outcome: str = "conversions",
) -> pd.DataFrame:
    """Fit a response curve (响应曲线) per channel: outcome as a function of spend.

    power: outcome = a · spend^b  (fit: log outcome = log a + b · log spend, least squares)
    saturation: outcome = a · (1 − exp(−spend / k))  (fit: non-linear least squares)

    Each row of ``history`` is one observation of a channel (a week or a
    month: what was spent, what came back). The power fit uses only rows
    with spend > 0 and outcome > 0 (logarithms; column ``n_obs`` says how
    many were used); b < 1 means diminishing returns, b ≥ 1 that the data
    show none (:func:`allocate_budget` refuses such a curve). The trap:
    history where spend barely varied cannot tell a curve from a line, and
    outcomes also move for reasons other than spend (season, content).

    Parameters
    ----------
    history : DataFrame
        Spend and outcome per channel and period.
    model : {"power", "saturation"}, default "power"
        Shape of the curve.
    channel, spend, outcome : str
        Column names (outcome: conversions, new followers, orders...).

    Returns
    -------
    DataFrame
        One row per channel: ``model``, ``a``, ``b`` (power) or ``k``
        (saturation; the other is NaN), ``r2`` (on the log scale for the
        power fit) and ``n_obs``.

    Examples
    --------
    Outcomes that are exactly 2 · spend^0.5 give back a = 2, b = 0.5:

    >>> h = pd.DataFrame({"channel": ["wechat"] * 3, "spend": [100.0, 400.0, 900.0],
    ...                   "conversions": [20.0, 40.0, 60.0]})
    >>> fit_response_curve(h)[["model", "a", "b", "n_obs"]]
             model    a    b  n_obs
    channel
    wechat   power  2.0  0.5      3
    """
    _check_choice(model, ("power", "saturation"), name="model")
    what = "history 历史投放表"
    _require_frame(history, [channel, spend, outcome], what=what)
    _require_counts(history, [spend, outcome], what=what)
    _require_no_missing(history, [channel], what=what, group_key=True)
    rows = []
    for name, g in history.groupby(channel, sort=True, observed=True):
        x = g[spend].to_numpy(dtype=np.float64)
        y = g[outcome].to_numpy(dtype=np.float64)
        if model == "power":
            use = (x > 0) & (y > 0)
            x, y = x[use], y[use]
        _enough_points(x, name, what)
        if model == "power":
            lx, ly = np.log(x), np.log(y)
            b, log_a = np.polyfit(lx, ly, 1)
            fitted = log_a + b * lx
            r2 = _r2(ly, fitted)
            rows.append({"channel": name, "model": "power", "a": float(np.exp(log_a)), "b": float(b), "k": np.nan,
                         "r2": r2, "n_obs": int(len(x))})
        else:
            a, k = _fit_saturation(x, y, name)
            r2 = _r2(y, a * -np.expm1(-x / k))
            rows.append({"channel": name, "model": "saturation", "a": a, "b": np.nan, "k": k, "r2": r2,
                         "n_obs": int(len(x))})
    out = pd.DataFrame(rows).set_index("channel")
    out.index.name = channel
    return out


def _enough_points(x: np.ndarray, name, what: str) -> None:
    if len(np.unique(x[x > 0])) < 2:
        raise NmopsInputError(
            f"渠道 {name} 在 {what} 里只有不到两个不同的正花费值（拟合幂函数时还要求结果 > 0），无法拟合曲线。"
            f"需要花费有高有低的多期数据。"
            f" / Channel {name} has fewer than two distinct positive spend values (power fits also need outcome > 0): cannot fit a curve."
        )


def _r2(y: np.ndarray, fitted: np.ndarray) -> float:
    ss_tot = float(((y - y.mean()) ** 2).sum())
    return float(1 - ((y - fitted) ** 2).sum() / ss_tot) if ss_tot > 0 else np.nan


def _fit_saturation(x: np.ndarray, y: np.ndarray, name) -> tuple[float, float]:
    def f(s, a, k):
        return a * -np.expm1(-s / k)

    a0 = max(float(y.max()) * 1.5, 1e-9)
    k0 = max(float(np.mean(x[x > 0])), 1e-9)
    try:
        (a, k), _ = optimize.curve_fit(f, x, y, p0=(a0, k0), bounds=([0.0, 1e-12], [np.inf, np.inf]), maxfev=20000)
    except RuntimeError as exc:
        raise NmopsInputError(
            f"渠道 {name} 的饱和曲线拟合没有收敛：数据看不出饱和的形状。可以改用 model='power'。"
            f" / The saturation fit for channel {name} did not converge; try model='power'."
        ) from exc
    return float(a), float(k)


# --------------------------------------------------------------------------- curves


def _curves(curves: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Validated (is_power, a, b, k) arrays of a curve table."""
    what = "curves 响应曲线表"
    require_columns(curves, ["model", "a"], what=what)
    if len(curves) == 0:
        raise NmopsInputError(f"{what} 是空表，没有渠道可分配。 / {what} is empty: no channel.")
    if curves.index.duplicated().any():
        raise NmopsInputError(f"{what} 的渠道（索引）有重复。 / {what} has duplicate channels in its index.")
    model = curves["model"].astype(object).to_numpy()
    bad = [m for m in model if m not in ("power", "saturation")]
    if bad:
        raise NmopsInputError(
            f"{what} 的 model 只能是 'power' 或 'saturation'，发现 {bad[0]!r}。"
            f" / model must be 'power' or 'saturation', found {bad[0]!r}."
        )
    is_power = model == "power"
    need = (["b"] if is_power.any() else []) + (["k"] if (~is_power).any() else [])
    require_columns(curves, need, what=what)
    a = curves["a"].to_numpy(dtype=np.float64)
    b = curves["b"].to_numpy(dtype=np.float64) if "b" in curves else np.full(len(curves), np.nan)
    k = curves["k"].to_numpy(dtype=np.float64) if "k" in curves else np.full(len(curves), np.nan)
    if not np.all(a > 0):
        raise NmopsInputError(f"{what} 的 a 必须是正数。 / a must be positive in {what}.")
    bad_b = is_power & ~((b > 0) & (b < 1))
    if bad_b.any():
        name = curves.index[np.flatnonzero(bad_b)[0]]
        raise NmopsInputError(
            f"渠道 {name} 的幂曲线 b = {b[bad_b][0]:.3g}：需要 0 < b < 1（边际收益递减）才能按边际收益分配预算。"
            f"b ≥ 1 说明历史数据没有显示出递减，请检查数据或设置 max_spend 后手工决策。"
            f" / Channel {name} has b = {b[bad_b][0]:.3g}; allocation needs 0 < b < 1 (diminishing returns)."
        )
    bad_k = ~is_power & ~(k > 0)
    if bad_k.any():
        raise NmopsInputError(f"{what} 的饱和曲线 k 必须是正数。 / k must be positive for saturation curves.")
    return is_power, a, b, k


def _spend_values(curves: pd.DataFrame, spend, *, name: str) -> np.ndarray:
    if np.isscalar(spend):
        x = np.full(len(curves), spend, dtype=np.float64) if isinstance(spend, (int, float, np.number)) and not isinstance(spend, bool) else None
    elif isinstance(spend, (pd.Series, dict)):
        s = pd.Series(spend)
        missing = [c for c in curves.index if c not in s.index]
        if missing:
            raise NmopsInputError(f"{name} 缺少渠道：{missing}。 / {name} is missing channel(s): {missing}.")
        s = s.reindex(curves.index)
        x = s.to_numpy(dtype=np.float64) if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) else None
    else:
        x = None
    if x is None:
        raise NmopsInputError(
            f"{name} 应该是一个数字，或按渠道索引的 Series / dict，收到 {type(spend).__name__}。"
            f" / {name} must be a number or a Series/dict indexed by channel, got {type(spend).__name__}."
        )
    if np.isnan(x).any() or (x < 0).any():
        raise NmopsInputError(f"{name} 不能为负数或缺失。 / {name} must be non-negative and not missing.")
    return x


def _response(is_power, a, b, k, x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(is_power, a * np.power(x, np.where(is_power, b, 1.0)), a * -np.expm1(-x / np.where(is_power, 1.0, k)))


def _marginal(is_power, a, b, k, x):
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bp = np.where(is_power, b, 0.5)
        kk = np.where(is_power, 1.0, k)
        return np.where(is_power, a * bp * np.power(x, bp - 1), a / kk * np.exp(-x / kk))


def predict_response(curves: pd.DataFrame, spend) -> pd.Series:
    """Predicted outcome (预测效果) of each channel's response curve at a spend.

    power: a · spend^b;  saturation: a · (1 − exp(−spend / k))

    Parameters
    ----------
    curves : DataFrame
        Curves as returned by :func:`fit_response_curve` (columns ``model``,
        ``a`` and ``b`` or ``k``, indexed by channel).
    spend : float or Series or dict
        One spend for every channel, or a spend per channel.

    Returns
    -------
    Series
        Predicted outcome per channel.

    Examples
    --------
    >>> curves = pd.DataFrame({"model": ["power", "saturation"], "a": [2.0, 100.0],
    ...                        "b": [0.5, np.nan], "k": [np.nan, 1000.0]}, index=["wechat", "douyin"])
    >>> predict_response(curves, {"wechat": 400.0, "douyin": 1000.0}).round(2)
    wechat    40.00
    douyin    63.21
    Name: predicted, dtype: float64
    """
    is_power, a, b, k = _curves(curves)
    x = _spend_values(curves, spend, name="spend")
    return pd.Series(_response(is_power, a, b, k, x), index=curves.index, name="predicted")


def marginal_response(curves: pd.DataFrame, spend) -> pd.Series:
    """Marginal return (边际收益): extra outcome per extra unit of spend, at a spend.

    power: a · b · spend^(b−1);  saturation: (a / k) · exp(−spend / k)

    At the optimal allocation every channel strictly inside its bounds has
    the same marginal return.

    Parameters
    ----------
    curves : DataFrame
        Curves as returned by :func:`fit_response_curve`.
    spend : float or Series or dict
        One spend for every channel, or a spend per channel.

    Returns
    -------
    Series
        Marginal return per channel (``inf`` for a power curve at spend 0).

    Examples
    --------
    >>> curves = pd.DataFrame({"model": ["power"], "a": [2.0], "b": [0.5]}, index=["wechat"])
    >>> marginal_response(curves, 400.0)
    wechat    0.05
    Name: marginal, dtype: float64
    """
    is_power, a, b, k = _curves(curves)
    x = _spend_values(curves, spend, name="spend")
    return pd.Series(_marginal(is_power, a, b, k, x), index=curves.index, name="marginal")


# --------------------------------------------------------------------------- allocation


def allocate_budget(
    curves: pd.DataFrame,
    budget: float,
    *,
    min_spend=None,
    max_spend=None,
) -> pd.DataFrame:
    """Budget allocation (预算分配): split a budget across channels to maximise the predicted outcome.

    maximise Σᵢ fᵢ(xᵢ) subject to Σᵢ xᵢ = budget, minᵢ ≤ xᵢ ≤ maxᵢ
    optimum: fᵢ'(xᵢ) = λ for every channel strictly between its bounds

    With concave curves (diminishing returns) the optimum equalises
    marginal returns: each channel gets xᵢ = (fᵢ')⁻¹(λ) clipped to
    [minᵢ, maxᵢ], and λ is the value at which the spends add up to the
    budget (found by a root search; for power curves with no bounds this
    is the closed form xᵢ ∝ (aᵢ bᵢ / λ)^(1/(1−bᵢ))). A channel at its
    minimum has a marginal return below λ, one at its maximum above.

    Parameters
    ----------
    curves : DataFrame
        Curves as returned by :func:`fit_response_curve` (power curves need 0 < b < 1).
    budget : float
        Total to spend (non-negative).
    min_spend, max_spend : float or Series or dict, optional
        Bounds per channel: one number for all, or a Series/dict by channel
        (a channel not named gets the default: 0, no upper bound). The budget must lie between the sums of the bounds.

    Returns
    -------
    DataFrame
        Columns ``spend``, ``predicted`` (outcome at that spend) and
        ``marginal`` (marginal return there), indexed by channel.

    Examples
    --------
    Two power curves with b = 0.5: spend is proportional to a², here 1 : 4.

    >>> curves = pd.DataFrame({"model": "power", "a": [1.0, 2.0], "b": [0.5, 0.5]}, index=["weibo", "wechat"])
    >>> allocate_budget(curves, 1000.0).round(4)
             spend  predicted  marginal
    weibo    200.0    14.1421    0.0354
    wechat   800.0    56.5685    0.0354
    >>> allocate_budget(curves, 1000.0, max_spend={"weibo": 1000.0, "wechat": 500.0})["spend"].tolist()
    [500.0, 500.0]
    """
    is_power, a, b, k = _curves(curves)
    if isinstance(budget, bool) or not isinstance(budget, (int, float, np.integer, np.floating)) or not np.isfinite(budget) or budget < 0:
        raise NmopsInputError(
            f"budget 应该是一个非负的有限数字，收到 {budget!r}。 / budget must be a finite non-negative number, got {budget!r}."
        )
    budget = float(budget)
    lo = _bounds(curves, min_spend, default=0.0, name="min_spend")
    hi = _bounds(curves, max_spend, default=np.inf, name="max_spend")
    if (lo > hi).any():
        name = curves.index[np.flatnonzero(lo > hi)[0]]
        raise NmopsInputError(f"渠道 {name} 的 min_spend 大于 max_spend。 / min_spend exceeds max_spend for channel {name}.")
    tol = 1e-9 * max(budget, 1.0)
    if budget < lo.sum() - tol or budget > hi.sum() + tol:
        raise NmopsInputError(
            f"预算 {budget:g} 不在各渠道下限之和 {lo.sum():g} 与上限之和 {hi.sum():g} 之间，无法分配。请调整预算或上下限。"
            f" / budget {budget:g} is outside [sum of min_spend {lo.sum():g}, sum of max_spend {hi.sum():g}]."
        )

    def spend_at(log_lam: float) -> np.ndarray:
        lam = np.exp(log_lam)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            bp = np.where(is_power, b, 0.5)
            kk = np.where(is_power, 1.0, k)
            x_pow = np.power(a * bp / lam, 1.0 / (1.0 - bp))
            x_sat = kk * np.log(a / (kk * lam))
            x = np.where(is_power, x_pow, np.maximum(x_sat, 0.0))
        return np.clip(np.nan_to_num(x, nan=np.inf, posinf=np.inf), lo, hi)

    if budget <= lo.sum() + tol:
        x = lo.copy()
    elif budget >= hi.sum() - tol:
        x = hi.copy()
    else:
        def gap(log_lam: float) -> float:
            return float(spend_at(log_lam).sum() - budget)

        left, right = -1.0, 1.0
        for _ in range(400):  # small λ: spend a lot (exp(-4000) is already 0)
            if gap(left) >= 0:
                break
            left -= 10.0
        for _ in range(400):  # large λ: spend little
            if gap(right) <= 0:
                break
            right += 10.0
        log_lam = optimize.brentq(gap, left, right, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=500)
        x = spend_at(log_lam)
        free = (x > lo) & (x < hi)
        residual = budget - x.sum()
        if free.any() and x[free].sum() > 0:
            x[free] += residual * x[free] / x[free].sum()
    return pd.DataFrame(
        {"spend": x, "predicted": _response(is_power, a, b, k, x), "marginal": _marginal(is_power, a, b, k, x)},
        index=curves.index,
    )


def _bounds(curves: pd.DataFrame, value, *, default: float, name: str) -> np.ndarray:
    """Per-channel bound: a number for all, or a Series/dict (channels not named get ``default``)."""
    if value is None:
        return np.full(len(curves), default)
    if isinstance(value, (pd.Series, dict)):
        s = pd.Series(value)
        unknown = [c for c in s.index if c not in curves.index]
        if unknown:
            raise NmopsInputError(
                f"{name} 里的渠道 {unknown} 不在 curves 里。请检查渠道名。 / {name} names unknown channel(s): {unknown}."
            )
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            raise NmopsInputError(f"{name} 的值应该是数字。 / {name} values must be numbers.")
        s = s.astype(np.float64).reindex(curves.index).fillna(default)
        if (s < 0).any():
            raise NmopsInputError(f"{name} 不能为负数。 / {name} must not be negative.")
        return s.to_numpy()
    return _spend_values(curves, value, name=name)
