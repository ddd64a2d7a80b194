"""Senior (高级) KPIs: funnel (漏斗), conversion rate (转化率), CAC, ROI/ROAS, LTV, north star (北极星指标).

A 高级 operator is judged on what the traffic turns into: how many visitors
reach the cart and the order, which channel converts, what a new customer
costs (CAC), what the spend returns (ROI, ROAS), what a customer is worth
over their life (LTV), and one north-star number tracked period by period.

Definitions follow ``shared/reference/metrics.md``: conversion rate =
conversions / the interactions that can lead to one; CAC = all sales and
marketing spend in a period / new customers in it; ROAS = value / cost;
ROI = (value − cost) / cost (both as ratios, not percent); simple LTV =
average margin per period / churn per period. A zero denominator gives
NaN (via :func:`nmops._validation.safe_divide`), never ``inf``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError, NmopsWarning, require_columns, safe_divide
from nmops.metrics._common import (
    _as_numbers,
    _check_choice,
    _number_pair,
    _period_code,
    _period_span,
    _require_counts,
    _require_dates,
    _require_frame,
    _require_no_missing,
    _require_numeric,
)
from nmops.metrics._funnel import funnel_table

__all__ = [
    "conversion_funnel",
    "conversion_rate_by_channel",
    "customer_acquisition_cost",
    "roi",
    "roas",
    "simple_ltv",
    "north_star_tracker",
]

# --------------------------------------------------------------------------- helpers


def _to_month_periods(values: pd.Series, *, name: str, what: str) -> pd.PeriodIndex:
    """Months from a Period column, a datetime column or text like '2024-03'."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return pd.PeriodIndex(values).asfreq("M")
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.PeriodIndex(_require_dates(values, name=name, what=what).dt.to_period("M"))
    try:
        return pd.PeriodIndex([pd.Period(v, freq="M") for v in values], freq="M")
    except (TypeError, ValueError) as exc:
        raise NmopsInputError(
            f"{what} 的列 {name} 应该是月份（如 '2024-03'、日期或 Period），无法识别：{exc}。"
            f" / Column {name} of {what} must hold months such as '2024-03', dates or Periods: {exc}."
        ) from exc


# --------------------------------------------------------------------------- funnel


def conversion_funnel(
    events: pd.DataFrame,
    steps: Sequence[str] = ("open", "add_to_cart", "purchase"),
    *,
    rule: Literal["in_order", "any_order", "reached"] = "in_order",
    strict: bool = False,
    within: pd.Timedelta | str | None = None,
    segment: str | None = None,
    user: str = "user_id",
    step: str = "event",
    at: str = "event_time",
) -> pd.DataFrame:
    """Conversion funnel (转化漏斗): users reaching each step, and the conversion between steps.

    step_conversion(k) = users reaching step k / users reaching step k−1  (NaN at k = 1)
    overall_conversion(k) = users reaching step k / users reaching step 1

    Units are users (人), not events (次). The funnel rule is the one of
    :func:`~nmops.metrics.activity.activity_funnel` (one implementation,
    see ``docs/kpi-reference.md``):

    - ``rule="in_order"`` (default): the user did steps 1..k in this order:
      from their first step-1 event at t_1, t_k is their first step-k event
      at or after t_(k−1); with ``strict=True`` it must be strictly later
      (two events logged in the same second then do not count as in order).
    - ``rule="any_order"``: doing all of steps 1..k at any time is enough,
      so an order placed before any visit still counts (the trap of
      unordered funnels: they look better).
    - ``rule="reached"``: only step k matters; a step can hold more users
      than the one before.

    ``within`` limits an ``in_order`` funnel to a time window after the
    user's first step-1 event. The first step has no previous step: its
    ``step_conversion`` is NaN (not 1.0).

    Parameters
    ----------
    events : DataFrame
        One row per event, with user, step name and (for ``in_order`` or
        ``segment``) time columns.
    steps : sequence of str, default ("open", "add_to_cart", "purchase")
        The funnel steps, in order (at least two); each must occur in
        ``events[step]``. The default is visit → cart → order in the event
        names of the course data (GA4-style); insert ``"view_item"`` for a
        4-step funnel.
    rule : {"in_order", "any_order", "reached"}, default "in_order"
        Who counts at a step (see above).
    strict : bool, default False
        ``in_order`` only: each step strictly later than the previous one.
    within : Timedelta or str, optional
        Maximum time from the first step-1 event to the last step
        (``in_order`` only), e.g. ``"7D"``.
    segment : str, optional
        Column to split by, e.g. ``"utm_source"``; a user's segment is its
        value on their first event at the lowest step they have (their
        first step-1 event, except under ``"reached"``).
    user : str, default "user_id"
        User id column (no missing values).
    step : str, default "event"
        Column with the step (event) name.
    at : str, default "event_time"
        Datetime column with the event time.

    Returns
    -------
    DataFrame
        Columns ``users``, ``step_conversion``, ``overall_conversion``,
        indexed by ``step`` (or by ``segment`` and ``step``).

    Examples
    --------
    User 3 ordered without a cart step; user 2 put in the cart before visiting:

    >>> ev = pd.DataFrame({"user_id": [1, 1, 1, 2, 2, 3, 3, 4],
    ...     "event": ["visit", "cart", "order", "cart", "visit", "visit", "order", "visit"],
    ...     "event_time": pd.to_datetime(["2024-06-01 10:00", "2024-06-01 10:05", "2024-06-01 10:09",
    ...         "2024-06-01 09:00", "2024-06-01 11:00", "2024-06-02 00:00", "2024-06-02 01:00", "2024-06-03 00:00"])})
    >>> conversion_funnel(ev, ["visit", "cart", "order"])
           users  step_conversion  overall_conversion
    step
    visit      4              NaN                1.00
    cart       1             0.25                0.25
    order      1             1.00                0.25
    >>> conversion_funnel(ev, ["visit", "cart", "order"], rule="any_order")["users"].tolist()
    [4, 2, 1]
    """
    return funnel_table(
        events, steps, rule=rule, strict=strict, within=within, by=None, segment=segment,
        user=user, step=step, at=at, what="events 事件表",
    )


# --------------------------------------------------------------------------- conversion rate


def conversion_rate_by_channel(
    visits: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    numerator: Literal["orders", "converting_visits"],
    channel: str = "utm_source",
    visit_id: str = "visit_id",
    order_id: str = "order_id",
    missing_channel: str = "(direct)",
) -> pd.DataFrame:
    """Conversion rate by channel (分渠道转化率): conversions per visit of each channel.

    conversion_rate = conversions / visits,
    conversions = orders placed from the channel's visits (``numerator="orders"``)
    or visits with at least one order (``numerator="converting_visits"``)

    The numerator has no default on purpose: "orders / visits" can exceed
    100% (one visit, two orders), "converting visits / visits" cannot, and
    reports mix them up. An order is linked to a visit through ``visit_id``
    (last-click, per session); orders without a visit id, or with one not
    in ``visits``, are left out. Visits without a channel are counted
    under ``missing_channel``.

    Parameters
    ----------
    visits : DataFrame
        One row per visit (session), with a unique visit id and a channel column.
    orders : DataFrame
        One row per order, with an order id and the visit id it came from.
    numerator : {"orders", "converting_visits"}
        What counts as a conversion (required, see above).
    channel : str, default "utm_source"
        Channel column of ``visits`` (e.g. utm_source or utm_campaign).
    visit_id : str, default "visit_id"
        Visit id column (in both tables).
    order_id : str, default "order_id"
        Order id column of ``orders`` (an order counted once).
    missing_channel : str, default "(direct)"
        Label for visits with no channel.

    Returns
    -------
    DataFrame
        Columns ``visits``, ``conversions``, ``conversion_rate``, indexed by channel.

    Examples
    --------
    >>> visits = pd.DataFrame({"visit_id": [1, 2, 3, 4],
    ...                        "utm_source": ["wechat", "wechat", "weibo", None]})
    >>> orders = pd.DataFrame({"order_id": [10, 11, 12], "visit_id": [1, 1, 3]})
    >>> conversion_rate_by_channel(visits, orders, numerator="converting_visits")
                visits  conversions  conversion_rate
    utm_source
    (direct)         1            0              0.0
    wechat           2            1              0.5
    weibo            1            1              1.0
    >>> conversion_rate_by_channel(visits, orders, numerator="orders")["conversion_rate"].tolist()
    [0.0, 1.0, 1.0]
    """
    _check_choice(numerator, ("orders", "converting_visits"), name="numerator")
    vw, ow = "visits 访问表", "orders 订单表"
    _require_frame(visits, [visit_id, channel], what=vw)
    require_columns(orders, [order_id, visit_id], what=ow)
    _require_no_missing(visits, [visit_id], what=vw)
    dup = int(visits[visit_id].duplicated().sum())
    if dup:
        raise NmopsInputError(
            f"{vw} 的列 {visit_id} 有 {dup} 个重复值；每次访问只能占一行。请先去重。"
            f" / Column {visit_id} of {vw} has {dup} duplicate(s); one row per visit, drop duplicates first."
        )
    ch = visits[channel].astype(object).where(visits[channel].notna(), missing_channel).astype(str)
    ch.index = visits[visit_id].to_numpy()
    linked = orders.loc[orders[visit_id].notna() & orders[visit_id].isin(ch.index), [order_id, visit_id]]
    linked = linked.drop_duplicates(order_id)
    if numerator == "converting_visits":
        conv_ids = pd.unique(linked[visit_id])
        conv = ch.loc[conv_ids].value_counts()
    else:
        conv = ch.loc[linked[visit_id].to_numpy()].value_counts()
    n_visits = ch.value_counts()
    out = pd.DataFrame({"visits": n_visits, "conversions": conv.reindex(n_visits.index, fill_value=0)})
    out = out.sort_index()
    out.index.name = channel
    out = out.astype({"visits": np.int64, "conversions": np.int64})
    out["conversion_rate"] = safe_divide(out["conversions"], out["visits"])
    return out


# --------------------------------------------------------------------------- CAC


def customer_acquisition_cost(
    spend: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    freq: Literal["month", "quarter", "year"] = "month",
    kinds: Sequence[str] | None = None,
    month: str = "month",
    amount: str = "amount",
    kind: str = "kind",
    user: str = "user_id",
    ordered_at: str = "ordered_at",
) -> pd.DataFrame:
    """Customer acquisition cost (获客成本, CAC): spend per new customer, per period.

    CAC(period) = all sales & marketing spend in the period / new customers in the period

    A new customer (新客) is a user whose *first* order in ``orders`` falls in
    the period. "All" spend means every row of ``spend`` (ads, content
    production, KOL fees, salaries if you record them) unless ``kinds``
    narrows it; a CAC over ad spend only ("paid CAC") looks cheaper and is a
    different number. Traps: customers who ordered before ``orders`` starts
    look new; spend that acquires customers next month is not lagged here.

    Parameters
    ----------
    spend : DataFrame
        Spend rows with a month (``'2024-03'``, a date or a Period), an
        amount and optionally a kind.
    orders : DataFrame
        One row per order with user and order time.
    freq : {"month", "quarter", "year"}, default "month"
        Length of a period.
    kinds : sequence of str, optional
        Only these values of ``spend[kind]`` count (default: all rows).
    month, amount, kind : str
        Columns of ``spend``.
    user, ordered_at : str
        Columns of ``orders``.

    A period without any spend row has an unknown spend: ``spend`` and
    ``cac`` are NaN there (not 0, which would make customers look free),
    with an :class:`~nmops._validation.NmopsWarning` naming the periods
    that have new customers. Record a spend of 0 as a row with amount 0.

    Returns
    -------
    DataFrame
        Columns ``spend`` (NaN when ``spend`` has no row for the period),
        ``new_customers``, ``cac`` (NaN when no new customer or unknown
        spend), one row per period from the first to the last one seen.

    Examples
    --------
    >>> spend = pd.DataFrame({"month": ["2024-01", "2024-01", "2024-02"],
    ...                       "kind": ["ads", "kol", "ads"], "amount": [3000.0, 1000.0, 2000.0]})
    >>> orders = pd.DataFrame({"user_id": [1, 2, 1, 3],
    ...     "ordered_at": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-02-02", "2024-03-01"])})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     cac = customer_acquisition_cost(spend, orders)
    >>> cac
              spend  new_customers     cac
    period
    2024-01  4000.0              2  2000.0
    2024-02  2000.0              0     NaN
    2024-03     NaN              1     NaN
    >>> print(str(caught[0].message).split(" / ")[1])
    No spend rows for 2024-03: spend is unknown (NaN) and so is CAC, not 0; add a row with amount 0 if nothing was spent.
    """
    sw, ow = "spend 投放花费表", "orders 订单表"
    code = _period_code(freq, allowed=("month", "quarter", "year"))
    _require_frame(spend, [month, amount] + ([kind] if kinds is not None else []), what=sw)
    _require_frame(orders, [user, ordered_at], what=ow)
    s = spend
    if kinds is not None:
        if isinstance(kinds, str):
            kinds = [kinds]
        have = set(spend[kind].dropna().unique())
        unknown = [k for k in kinds if k not in have]
        if unknown:
            raise NmopsInputError(
                f"kinds 里的 {unknown} 不在列 {kind} 中（现有取值：{', '.join(sorted(map(str, have)))}）。"
                f" / kinds {unknown} not found in column {kind} (values: {', '.join(sorted(map(str, have)))})."
            )
        s = spend[spend[kind].isin(kinds)]
    _require_counts(s, [amount], what=sw)
    periods = _to_month_periods(s[month], name=month, what=sw).asfreq(code)
    spend_by = pd.Series(s[amount].to_numpy(dtype=np.float64), index=periods).groupby(level=0).sum()

    _require_no_missing(orders, [user], what=ow)
    t = _require_dates(orders[ordered_at], name=ordered_at, what=ow)
    first = pd.Series(t.to_numpy(), index=orders[user].to_numpy()).groupby(level=0).min()
    new_by = pd.Series(1, index=pd.PeriodIndex(first.dt.to_period(code))).groupby(level=0).sum()

    lo = min(spend_by.index.min(), new_by.index.min())
    hi = max(spend_by.index.max(), new_by.index.max())
    index = pd.period_range(lo, hi, freq=code, name="period")
    out = pd.DataFrame(
        {
            "spend": spend_by.reindex(index).astype(np.float64),  # no spend row: unknown (NaN), not 0
            "new_customers": new_by.reindex(index, fill_value=0).astype(np.int64),
        },
        index=index,
    )
    out["cac"] = safe_divide(out["spend"], out["new_customers"])
    unknown = out.index[out["spend"].isna() & (out["new_customers"] > 0)]
    if len(unknown):
        shown = ", ".join(map(str, unknown[:5]))
        warnings.warn(
            f"{sw}中没有 {shown} 的花费记录：花费未知（NaN），这些周期的 CAC 也是 NaN，而不是 0。"
            f"若这些周期确实没有花钱，请在 spend 里补一行金额为 0 的记录。"
            f" / No spend rows for {shown}: spend is unknown (NaN) and so is CAC, not 0;"
            f" add a row with amount 0 if nothing was spent.",
            NmopsWarning,
            stacklevel=2,
        )
    return out


# --------------------------------------------------------------------------- ROI, ROAS, LTV


def roi(value, cost):
    """Return on investment (投资回报率, ROI): what the spend earned beyond itself, per unit spent.

    ROI = (value − cost) / cost

    A ratio (0.25 means +25%); 0 is break-even, −1 is everything lost.
    ``value`` should be what the spend brought back *in profit terms*
    (gross margin of the attributed orders); with revenue as the value the
    ROI overstates, and with value = revenue it is just ROAS − 1. Sources
    also differ on ratio vs percent: multiply by 100 only for display.

    Parameters
    ----------
    value : float or Series
        Value brought by the spend (e.g. margin of attributed orders).
    cost : float or Series
        The spend (non-negative).

    Returns
    -------
    float or Series
        ROI; NaN where the cost is 0.

    Examples
    --------
    >>> roi(1500.0, 1000.0)
    0.5
    >>> roi(pd.Series([500.0, 80.0]), pd.Series([1000.0, 0.0])).tolist()
    [-0.5, nan]
    """
    value, cost = _number_pair(value, cost, names=("value", "cost"), non_negative=(False, True))
    return safe_divide(value - cost, cost)


def roas(value, cost):
    """Return on ad spend (广告支出回报率, ROAS): value brought per unit of ad spend.

    ROAS = value / cost

    Usually computed on revenue (GMV) of the attributed orders: a ROAS of 3
    means 3 yuan of sales per yuan of ads. It says nothing about profit: a
    ROAS of 3 loses money when the margin is below 33%. Which orders count
    as "brought by the ads" is an attribution choice
    (see :mod:`nmops.metrics.attribution`).

    Parameters
    ----------
    value : float or Series
        Attributed conversion value (non-negative).
    cost : float or Series
        Ad spend (non-negative).

    Returns
    -------
    float or Series
        ROAS; NaN where the cost is 0.

    Examples
    --------
    >>> roas(3000.0, 1000.0)
    3.0
    >>> roas(pd.Series([3000.0, 10.0]), pd.Series([1000.0, 0.0])).tolist()
    [3.0, nan]
    """
    value, cost = _number_pair(value, cost, names=("value", "cost"))
    return safe_divide(value, cost)


def simple_ltv(margin_per_period, churn_rate):
    """Simple customer lifetime value (用户生命周期价值, LTV): margin per period × expected lifetime.

    LTV = average margin per customer per period × 1 / churn rate per period

    1 / churn is the expected number of periods a customer stays when a
    fixed share churns each period (geometric lifetime). Use the *margin*
    (revenue − cost of goods), not the revenue: the revenue form overstates
    LTV by 1 / margin rate, and comparing it with CAC then approves
    unprofitable spend. Both inputs must use the same period (month with
    monthly churn). No discounting.

    Parameters
    ----------
    margin_per_period : float or Series
        Average margin per active customer per period.
    churn_rate : float or Series
        Share of customers lost per period, in [0, 1].

    Returns
    -------
    float or Series
        LTV; NaN where churn is 0 (an infinite lifetime is not a number to plan on).

    Examples
    --------
    >>> simple_ltv(30.0, 0.05)
    600.0
    >>> simple_ltv(pd.Series([30.0, 30.0]), pd.Series([0.1, 0.0])).tolist()
    [300.0, nan]
    """
    margin, churn = _number_pair(
        margin_per_period, churn_rate, names=("margin_per_period", "churn_rate"), non_negative=(False, True)
    )
    too_big = (churn > 1) if np.isscalar(churn) else bool((churn > 1).any())
    if too_big:
        raise NmopsInputError(
            "churn_rate 是每期流失的比例，应该在 0 到 1 之间（例如 5% 写成 0.05）。"
            " / churn_rate is a share per period and must be in [0, 1] (write 5% as 0.05)."
        )
    return safe_divide(margin, churn)


# --------------------------------------------------------------------------- north star


def north_star_tracker(
    data: pd.DataFrame,
    *,
    at: str = "event_time",
    value: str | None = None,
    agg: Literal["sum", "count", "nunique", "mean"] = "sum",
    freq: Literal["day", "week", "month", "quarter", "year"] = "week",
    week_ends: str = "SUN",
    target: float | pd.Series | None = None,
) -> pd.DataFrame:
    """North-star metric tracker (北极星指标追踪): one metric per period, its change and its target attainment.

    value(p) = agg(data[value] in period p);  change = value(p) − value(p−1);
    pct_change = change / value(p−1);  attainment = value(p) / target(p)

    The north star (北极星指标) is the one number the team agrees reflects
    value delivered, e.g. weekly paying users (``value="user_id",
    agg="nunique"``) or monthly GMV (``value="amount", agg="sum"``). Every
    period from the first to the last row appears; an empty period is 0
    for sum/count/nunique (NaN for mean), so a bad week is not hidden.

    Parameters
    ----------
    data : DataFrame
        One row per event (order, activity), with a datetime column.
    at : str, default "event_time"
        Datetime column (e.g. "ordered_at").
    value : str, optional
        Column to aggregate; not needed for ``agg="count"``.
    agg : {"sum", "count", "nunique", "mean"}, default "sum"
        How to aggregate a period.
    freq : {"day", "week", "month", "quarter", "year"}, default "week"
        Length of a period.
    week_ends : str, default "SUN"
        Last day of a week (natural weeks Monday to Sunday by default).
    target : float or Series, optional
        The target: one number for every period, or a Series indexed by
        period (Periods or strings such as "2024-03").

    Returns
    -------
    DataFrame
        Columns ``value``, ``change``, ``pct_change``, ``target``,
        ``attainment``, indexed by ``period``.

    Examples
    --------
    >>> orders = pd.DataFrame({"user_id": [1, 2, 1, 3, 4],
    ...     "ordered_at": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-01", "2024-02-02", "2024-02-03"])})
    >>> north_star_tracker(orders, at="ordered_at", value="user_id", agg="nunique", freq="month", target=3)
             value  change  pct_change  target  attainment
    period
    2024-01      2     NaN         NaN     3.0    0.666667
    2024-02      3     1.0         0.5     3.0    1.000000
    """
    what = "data 数据表"
    _check_choice(agg, ("sum", "count", "nunique", "mean"), name="agg")
    code = _period_code(freq, week_ends)
    if value is None and agg != "count":
        raise NmopsInputError(
            f"agg={agg!r} 需要指定要汇总的列 value，例如 value='amount'。 / agg={agg!r} needs a value column."
        )
    _require_frame(data, [at] + ([value] if value is not None else []), what=what)
    t = _require_dates(data[at], name=at, what=what)
    periods = pd.PeriodIndex(t.dt.to_period(code))
    if agg in ("sum", "mean"):
        _require_numeric(data, [value], what=what)
    if agg == "count":
        per = pd.Series(1, index=periods).groupby(level=0).sum()
    else:
        per = pd.Series(data[value].to_numpy(), index=periods).groupby(level=0).agg(agg)
    index = _period_span(periods, name="period")
    fill = np.nan if agg == "mean" else 0
    out = pd.DataFrame({"value": per.reindex(index, fill_value=fill)}, index=index)
    if agg in ("count", "nunique"):
        out["value"] = out["value"].astype(np.int64)
    previous = out["value"].shift(1)
    out["change"] = (out["value"] - previous).astype(np.float64)
    out["pct_change"] = safe_divide(out["change"], previous)
    out["target"] = _targets(target, index, code)
    out["attainment"] = safe_divide(out["value"], out["target"])
    return out


def _targets(target, index: pd.PeriodIndex, code: str) -> pd.Series:
    if target is None:
        return pd.Series(np.nan, index=index)
    if isinstance(target, pd.Series):
        _as_numbers(target, name="target", non_negative=False)
        try:
            tidx = target.index if isinstance(target.index, pd.PeriodIndex) else pd.PeriodIndex(
                [pd.Period(v, freq=code) for v in target.index], freq=code
            )
        except (TypeError, ValueError) as exc:
            raise NmopsInputError(
                f"target 的索引应该是周期（如 '2024-03'），无法识别：{exc}。"
                f" / target must be indexed by periods such as '2024-03': {exc}."
            ) from exc
        return pd.Series(target.to_numpy(dtype=np.float64), index=tidx).reindex(index)
    _as_numbers(target, name="target", non_negative=False)
    return pd.Series(float(target), index=index)
