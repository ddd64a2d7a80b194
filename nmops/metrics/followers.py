"""Junior (初级) KPIs: follower growth (粉丝增长 / 涨粉).

From a daily follower export (WeChat ``getusersummary``: 新关注
``new_user``, 取消关注 ``cancel_user``; ``getusercumulate``: 累积关注
``cumulate_user``) compute per day, week or month the new followers, the
unfollows, the net growth (净增), the growth rate and the unfollow rate
(取关率). No platform publishes an official formula for the two rates, so
their base is a parameter.
"""

from __future__ import annotations

import warnings
from typing import Literal

import pandas as pd

from nmops._validation import NmopsInputError, NmopsWarning, require_columns, safe_divide
from nmops.metrics._common import _check_choice, _check_int, _require_counts, _require_dates, _require_no_missing, _to_periods

__all__ = ["follower_growth", "follower_retention"]

_WHAT = "followers_daily 每日粉丝表"


def follower_growth(
    daily: pd.DataFrame,
    *,
    freq: Literal["day", "week", "month"] = "week",
    week_ends: str = "SUN",
    by: str | None = None,
    growth_base: Literal["start_total", "end_total"] = "start_total",
    unfollow_base: Literal["start_total", "end_total", "new_followers"] = "start_total",
    date: str = "date",
    new: str = "new_followers",
    unfollows: str = "unfollows",
    total: str | None = "total_followers",
    initial_total: int | None = None,
    tolerance: int = 0,
    on_mismatch: Literal["raise", "warn"] = "raise",
) -> pd.DataFrame:
    """Follower growth (粉丝增长): new, unfollows, net, growth rate and unfollow rate per period.

    net = new − unfollows;  growth_rate = net / start_total;  unfollow_rate = unfollows / start_total

    ``start_total`` is the number of followers at the start of the period
    (the end of the day before its first day), ``end_total`` at the end of
    its last day. With a ``total`` column (end-of-day followers, 累积关注)
    the start is total − net of the period's first row; without one, pass
    ``total=None`` and ``initial_total`` (followers before the first day)
    and the totals are accumulated from the nets. ``net`` is always
    recomputed as new − unfollows (a ``net_followers`` column is ignored).

    Which figure is trusted (以哪个为准): the daily flows (new, unfollows)
    give ``net_followers`` and the rates' numerators; the ``total`` column
    gives ``start_total`` and ``end_total``. The two must agree: on two
    consecutive days, total_d − total_(d−1) must equal new_d − unfollows_d
    within ``tolerance`` followers. Otherwise the rows contradict each other
    (a typo, a missing day of flows, an export mixing 人数 sources) and
    the growth rate would read a net that the totals deny; by default this
    is refused, naming the first such day; ``on_mismatch="warn"`` computes
    anyway and warns (:class:`~nmops._validation.NmopsWarning`).

    The base of each rate is a choice with no official answer: the default
    start-of-period total reads "how much did the audience we had grow or
    shrink"; ``"end_total"`` is what many dashboards divide by; an unfollow
    rate over ``"new_followers"`` (取关数 / 新关注数) measures how many of
    the newly won followers were lost again and can exceed 100%. Say which
    base you use: the same month reads differently under each.

    Parameters
    ----------
    daily : DataFrame
        One row per day (per channel if ``by`` is given). Days missing from
        the table are simply absent from the sums.
    freq : {"day", "week", "month"}, default "week"
        Length of a period.
    week_ends : {"MON", ..., "SUN"}, default "SUN"
        Last day of a week when ``freq="week"``.
    by : str, optional
        One series per value of this column (e.g. ``"channel"``). Without
        it, each date must appear once.
    growth_base : {"start_total", "end_total"}, default "start_total"
        Denominator of ``growth_rate``.
    unfollow_base : {"start_total", "end_total", "new_followers"}, default "start_total"
        Denominator of ``unfollow_rate``.
    date, new, unfollows : str
        Column names (date: datetime; new, unfollows: non-negative counts).
    total : str or None, default "total_followers"
        Column of end-of-day total followers; None to accumulate from
        ``initial_total`` instead.
    initial_total : int, optional
        Followers before the first day; required when ``total`` is None
        (then it must be a single series: ``by`` must be None).
    tolerance : int, default 0
        Largest accepted gap, in followers, between a day's change of
        ``total`` and its new − unfollows (WeChat's 累积关注 and 新关注/取消关注
        come from one source and agree exactly).
    on_mismatch : {"raise", "warn"}, default "raise"
        What to do when the totals and the flows disagree beyond ``tolerance``.

    Returns
    -------
    DataFrame
        Index: the periods (``PeriodIndex`` named ``"period"``; with ``by``,
        a MultiIndex ``(by, period)``). Columns: ``new_followers``,
        ``unfollows``, ``net_followers``, ``start_total``, ``end_total``,
        ``growth_rate``, ``unfollow_rate``. Periods between the first and
        last day with no rows are left out.

    Examples
    --------
    >>> daily = pd.DataFrame({
    ...     "date": pd.date_range("2024-01-06", periods=4, freq="D"),
    ...     "new_followers": [30, 20, 50, 10],
    ...     "unfollows": [10, 20, 10, 30],
    ...     "total_followers": [1020, 1020, 1060, 1040],
    ... })
    >>> g = follower_growth(daily)
    >>> g[["new_followers", "unfollows", "net_followers"]]
                           new_followers  unfollows  net_followers
    period
    2024-01-01/2024-01-07             50         30             20
    2024-01-08/2024-01-14             60         40             20
    >>> g[["start_total", "end_total"]]
                           start_total  end_total
    period
    2024-01-01/2024-01-07         1000       1020
    2024-01-08/2024-01-14         1020       1040
    >>> g["growth_rate"].tolist(), g["unfollow_rate"].round(4).tolist()
    ([0.02, 0.0196...], [0.03, 0.0392])
    """
    _check_choice(growth_base, ("start_total", "end_total"), name="growth_base")
    _check_choice(unfollow_base, ("start_total", "end_total", "new_followers"), name="unfollow_base")
    _check_choice(on_mismatch, ("raise", "warn"), name="on_mismatch")
    tolerance = _check_int(tolerance, name="tolerance")
    keys = [] if by is None else [by]
    counts = [new, unfollows] + ([] if total is None else [total])
    require_columns(daily, keys + [date] + counts, what=_WHAT)
    _require_counts(daily, counts, what=_WHAT)
    _require_no_missing(daily, keys, what=_WHAT, group_key=True)
    dates = _require_dates(daily[date], name=date, what=_WHAT).dt.normalize()
    if total is None:
        if initial_total is None or by is not None:
            raise NmopsInputError(
                "没有累计粉丝列（total=None）时，需要给出 initial_total（第一天之前的粉丝数），且不能分组（by=None）。"
                " / Without a total column (total=None) pass initial_total (followers before the first day), with by=None."
            )
        if isinstance(initial_total, bool) or not isinstance(initial_total, int) or initial_total < 0:
            raise NmopsInputError(
                f"initial_total 应该是非负整数，收到 {initial_total!r}。"
                f" / initial_total must be a non-negative integer, got {initial_total!r}."
            )
    frame = pd.DataFrame(
        {"_date": dates.to_numpy(), "new_followers": daily[new].to_numpy(), "unfollows": daily[unfollows].to_numpy()},
        index=daily.index,
    )
    for k in keys:
        frame[k] = daily[k].to_numpy()
    if total is not None:
        frame["_total"] = daily[total].to_numpy()
    frame = frame.reset_index(drop=True)
    dup = frame.duplicated(subset=keys + ["_date"])
    if dup.any():
        first = frame.loc[dup, "_date"].iloc[0].date()
        hint = "数据含多个渠道时请传 by='channel'。" if by is None else ""
        raise NmopsInputError(
            f"{_WHAT}中日期 {first} 出现了不止一次：每天（每个分组）应只有一行。{hint}"
            f" / Date {first} appears more than once; each day (per group) needs one row."
            + (" Pass by='channel' when the table holds several channels." if by is None else "")
        )
    frame["net_followers"] = frame["new_followers"] - frame["unfollows"]
    frame = frame.sort_values(keys + ["_date"], kind="mergesort")
    if total is not None:
        _check_totals_match_flows(frame, keys, tolerance=tolerance, on_mismatch=on_mismatch, total=total)
    if total is None:
        frame["_total"] = initial_total + frame["net_followers"].cumsum()
    frame["period"] = _to_periods(frame["_date"], freq=freq, week_ends=week_ends, allowed=("day", "week", "month"))

    grouped = frame.groupby(keys + ["period"], sort=True)
    out = grouped[["new_followers", "unfollows", "net_followers"]].sum()
    first_row = grouped[["_total", "net_followers"]].first()
    out["start_total"] = first_row["_total"] - first_row["net_followers"]
    out["end_total"] = grouped["_total"].last()
    out["growth_rate"] = safe_divide(out["net_followers"], out[growth_base])
    out["unfollow_rate"] = safe_divide(out["unfollows"], out[unfollow_base])
    return out


def _check_totals_match_flows(frame: pd.DataFrame, keys: list, *, tolerance: int, on_mismatch: str, total: str) -> None:
    """Refuse (or warn about) consecutive days whose change of total differs from new − unfollows.

    ``frame`` is sorted by ``keys`` and date; days after a gap are not compared.
    """
    same_series = pd.Series(True, index=frame.index)
    for k in keys:
        same_series &= frame[k].eq(frame[k].shift())
    consecutive = same_series & frame["_date"].diff().eq(pd.Timedelta(days=1))
    gap = (frame["_total"].diff() - frame["net_followers"]).where(consecutive)
    bad = gap.abs() > tolerance
    if not bad.any():
        return
    row = frame.loc[bad.idxmax()]
    day, got, net = row["_date"].date(), row["_total"], row["net_followers"]
    before = got - gap[bad.idxmax()] - net
    n = int(bad.sum())
    message = (
        f"{_WHAT}的累计粉丝列 {total} 与每日新增、取关对不上：{day} 的累计从 {before:g} 变为 {got:g}，"
        f"但 新关注 − 取关 = {net:g}（共 {n} 天相差超过 {tolerance}）。净增和增长率以新增、取关为准，期初、期末以累计列为准，"
        f"两者矛盾时结果不可信。请核对这些天的数据；确认无误后可设 tolerance=允许的差值，或 on_mismatch='warn' 照算并给出警告。"
        f" / Column {total} disagrees with new − unfollows: on {day} the total went from {before:g} to {got:g}"
        f" but new − unfollows = {net:g} ({n} day(s) off by more than {tolerance}). Check those days; pass tolerance="
        f" or on_mismatch='warn' to compute anyway."
    )
    if on_mismatch == "raise":
        raise NmopsInputError(message)
    warnings.warn(message, NmopsWarning, stacklevel=3)


def follower_retention(
    events: pd.DataFrame,
    *,
    days: int = 30,
    by: str | None = "source",
    as_of=None,
    follower: str = "follower_id",
    event: str = "event",
    at: str = "event_time",
    follow_label: str = "follow",
    unfollow_label: str = "unfollow",
) -> pd.DataFrame:
    """N-day follower retention (N 天粉丝留存): share of new followers still following N days later.

    retention = followers with no unfollow within ``days`` days of their follow / followers (人)

    A follower is counted once, at their first follow in ``events``; only
    followers whose follow is at least ``days`` days before ``as_of`` are
    counted (the others have not had ``days`` days yet, and would look
    loyal). Followers from before the events (no follow row) are not counted.

    Parameters
    ----------
    events : DataFrame
        One row per follow or unfollow (``follower_id``, ``event``,
        ``event_time`` and the ``by`` column, e.g. ``source``).
    days : int, default 30
        N.
    by : str or None, default "source"
        Group column, read from the follow row (e.g. acquisition source,
        channel, campaign_id). None gives one row for everyone.
    as_of : timestamp, optional
        End of the data; default the last event time.
    follower, event, at, follow_label, unfollow_label : str
        Column names and event labels.

    Returns
    -------
    DataFrame
        One row per group: ``followers``, ``stayed`` (int) and ``retention``.

    Examples
    --------
    >>> e = pd.DataFrame({
    ...     "follower_id": ["a", "b", "a", "c"],
    ...     "event": ["follow", "follow", "unfollow", "follow"],
    ...     "event_time": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-10", "2025-03-30"]),
    ...     "source": ["campaign", "post", "campaign", "post"],
    ... })
    >>> follower_retention(e, as_of=pd.Timestamp("2025-04-01"))
              followers  stayed  retention
    source
    campaign          1       0        0.0
    post              1       1        1.0
    """
    days = _check_int(days, name="days", minimum=1)
    cols = [follower, event, at] + ([] if by is None else [by])
    require_columns(events, cols, what="follower_events 关注与取关记录")
    times = _require_dates(events[at], name=at, what="follower_events 关注与取关记录")
    frame = events[cols].assign(**{at: times})
    follows = frame[frame[event] == follow_label].sort_values(at, kind="stable").drop_duplicates(follower)
    end = frame[at].max() if as_of is None else pd.Timestamp(as_of)
    window = pd.Timedelta(days=days)
    follows = follows[follows[at] + window <= end]
    unfollows = frame[frame[event] == unfollow_label][[follower, at]].rename(columns={at: "_unfollow"})
    pairs = follows[[follower, at]].merge(unfollows, on=follower, how="left")
    left = pairs[(pairs["_unfollow"] >= pairs[at]) & (pairs["_unfollow"] < pairs[at] + window)][follower].unique()
    follows = follows.assign(_stayed=~follows[follower].isin(left))
    key = by if by is not None else (lambda _: "all")
    grouped = follows.groupby(key, observed=True, sort=True)
    out = pd.DataFrame({"followers": grouped.size().astype("int64"), "stayed": grouped["_stayed"].sum().astype("int64")})
    out["retention"] = safe_divide(out["stayed"], out["followers"])
    return out
