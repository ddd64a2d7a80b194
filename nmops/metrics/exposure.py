"""Novice (小白) KPIs: workload (工作量) and exposure (曝光) of published content.

A 小白 operator is judged first on how much they publish and how far it
travels: posts per author per week, impressions and reads per channel, the
best posts, read rate (阅读率), share rate (分享率) and the weekly report
(周报) that sums it all up.

Every rate here divides with :func:`nmops._validation.safe_divide`, so a zero
denominator gives NaN, never ``inf``. Every definitional choice (the
denominator of a rate, where a week ends, how ties are broken) is a
parameter with a documented default.

The input checks and period helpers are shared with the other metric
modules through :mod:`nmops.metrics._common`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError, require_columns, safe_divide
from nmops.metrics._common import (
    _as_list,
    _check_choice,
    _named,
    _number_pair,
    _period_span,
    _require_counts,
    _require_dates,
    _require_no_missing,
    _require_numeric,
    _to_periods,
)

__all__ = [
    "workload",
    "exposure_summary",
    "top_content",
    "read_rate",
    "share_rate",
    "weekly_report",
]

# --------------------------------------------------------------------------- workload


def workload(
    posts: pd.DataFrame,
    *,
    freq: Literal["week", "month"] = "week",
    week_ends: str = "SUN",
    author: str = "author",
    date: str = "published_at",
    staff: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Workload (工作量): posts per author per week or per month.

    workload[period, author] = number of posts by ``author`` published in ``period``

    A post counts in the period that contains its publication time (Beijing
    time; a timezone-aware column is converted to Asia/Shanghai first).
    Every period from the first post's to the last post's appears, so a
    week in which nobody published shows zeros instead of vanishing. The
    trap: an author who published nothing at all is not in ``posts``, so
    their zero is invisible unless you pass the team list as ``staff``.

    Parameters
    ----------
    posts : DataFrame
        One row per post, with an author column and a datetime column.
    freq : {"week", "month"}, default "week"
        Length of a period. ``"month"`` means calendar months.
    week_ends : {"MON", ..., "SUN"}, default "SUN"
        Last day of a week when ``freq="week"``: the default gives natural
        weeks Monday to Sunday (自然周).
    author : str, default "author"
        Column naming the author of each post.
    date : str, default "published_at"
        Datetime column with the publication time.
    staff : iterable of str, optional
        The whole team. Every member gets a column, with zeros if they
        published nothing. Authors found in ``posts`` but not in ``staff``
        are kept (after the staff columns), so no post is dropped.

    Returns
    -------
    DataFrame
        Index: the periods (a ``PeriodIndex`` named ``"period"``; a week
        prints as ``2024-01-01/2024-01-07``). Columns: one per author (the
        column index is named after ``author``). Values: post counts (int).

    Examples
    --------
    >>> posts = pd.DataFrame({
    ...     "author": ["王", "王", "李", "王"],
    ...     "published_at": pd.to_datetime(
    ...         ["2024-01-01 09:00", "2024-01-07 22:00", "2024-01-08 08:00", "2024-01-20 12:00"]),
    ... })
    >>> workload(posts, staff=["王", "李", "张"])
    author                 王  李  张
    period
    2024-01-01/2024-01-07  2  0  0
    2024-01-08/2024-01-14  0  1  0
    2024-01-15/2024-01-21  1  0  0
    """
    require_columns(posts, [author, date], what="posts 帖子表")
    dates = _require_dates(posts[date], name=date, what="posts 帖子表")
    authors = posts[author]
    if authors.isna().any():
        raise NmopsInputError(
            f"posts 帖子表的列 {author} 有 {int(authors.isna().sum())} 个缺失值：每篇内容都应有作者。"
            f"请先补上作者，或用 posts.dropna(subset=['{author}']) 去掉这些行。"
            f" / Column {author} has {int(authors.isna().sum())} missing value(s): every post needs an author;"
            f" fill them in or drop those rows."
        )
    periods = _to_periods(dates, freq=freq, week_ends=week_ends, allowed=("day", "week", "month"))
    if len(posts):
        counts = pd.crosstab(pd.Index(periods, name="period"), pd.Index(authors.to_numpy(), name=author))
    else:  # (pandas 2.2's crosstab fails on an empty period column)
        counts = pd.DataFrame(index=periods[:0], columns=pd.Index([], name=author), dtype="int64")
    full = _period_span(periods, name="period")
    columns = list(counts.columns)
    if staff is not None:
        if isinstance(staff, str):
            raise NmopsInputError(
                "staff 应该是作者名单（列表），不是单个字符串：请写成 staff=['王', '李']。"
                " / staff must be a list of authors, not a single string: write staff=['Wang', 'Li']."
            )
        staff = list(dict.fromkeys(staff))
        columns = staff + sorted(c for c in columns if c not in set(staff))
    out = counts.reindex(index=full, columns=columns, fill_value=0).astype("int64")
    out.columns.name = author
    return out


# --------------------------------------------------------------------------- exposure


def exposure_summary(
    posts: pd.DataFrame,
    by: str | Sequence[str] | None = "channel",
    *,
    metrics: Sequence[str] = ("impressions", "reads"),
) -> pd.DataFrame:
    """Exposure (曝光) totals and per-post averages by a group key.

    total_m = Σ m over the group's posts;  m_per_post = total_m / posts

    The per-post average (篇均) is a mean over posts, so one viral post lifts
    it a lot: compare it with the median of the posts when a group is small.
    Impressions (曝光/展现) and reads (阅读) are different things on most
    platforms, and Weibo's 阅读数 is itself an impression count, so compare
    a metric across channels only when the channels define it alike.

    Parameters
    ----------
    posts : DataFrame
        One row per post.
    by : str, list of str or None, default "channel"
        Group key(s). ``None`` gives one row for all posts (index ``"全部"``).
    metrics : sequence of str, default ("impressions", "reads")
        Count columns to total and average. They must be numeric,
        non-negative and have no missing values.

    Returns
    -------
    DataFrame
        One row per group: ``posts`` (number of posts), then the total of
        each metric, then ``<metric>_per_post`` for each metric.

    Examples
    --------
    >>> posts = pd.DataFrame({
    ...     "channel": ["公众号", "公众号", "微博"],
    ...     "impressions": [1000, 3000, 500],
    ...     "reads": [100, 200, 50],
    ... })
    >>> exposure_summary(posts)
             posts  impressions  reads  impressions_per_post  reads_per_post
    channel
    公众号       2         4000    300                2000.0           150.0
    微博         1          500     50                 500.0            50.0
    """
    metrics = _as_list(metrics, "metrics")
    keys = [] if by is None else _as_list(by, "by")
    require_columns(posts, keys + metrics, what="posts 帖子表")
    _require_counts(posts, metrics, what="posts 帖子表")
    if keys:
        _require_no_missing(posts, keys, what="posts 帖子表", group_key=True)
        grouped = posts.groupby(keys if len(keys) > 1 else keys[0], sort=True)
        out = grouped[metrics].sum()
        out.insert(0, "posts", grouped.size().astype("int64"))
    else:
        out = posts[metrics].sum().to_frame("全部").T
        out.insert(0, "posts", len(posts))
    for m in metrics:
        out[f"{m}_per_post"] = safe_divide(out[m], out["posts"])
    return out


def top_content(
    posts: pd.DataFrame,
    metric: str = "reads",
    n: int = 10,
    *,
    per: str | None = None,
    keep: Literal["first", "all"] = "first",
    tie_breaker: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Top-N content (爆款/内容排行): the ``n`` posts with the largest ``metric``.

    rank = 1 + number of posts with a strictly larger metric (competition ranking: 1, 2, 2, 4)

    Ties are broken deterministically: by the ``tie_breaker`` column(s) in
    ascending order (e.g. ``"published_at"`` puts the earlier post first),
    then by the order of the rows in ``posts``. With ``keep="all"`` every
    post tied with the n-th one is kept, so more than ``n`` rows may come
    back. Posts whose metric is missing (e.g. a rate with a zero denominator)
    are left out. The trap: ranking by a total (reads) and by a rate (read
    rate) crowns different posts; rank by what the question asks.

    Parameters
    ----------
    posts : DataFrame
        One row per post.
    metric : str, default "reads"
        Numeric column to rank by, largest first. Add a rate as a column
        first (``posts.assign(rr=read_rate(posts["reads"], posts["delivered"]))``)
        to rank by it.
    n : int, default 10
        How many posts to keep (per group when ``per`` is given).
    per : str, optional
        Group column, e.g. ``"channel"``, for a top-N within each group.
    keep : {"first", "all"}, default "first"
        ``"first"``: exactly ``n`` rows (fewer if there are fewer posts).
        ``"all"``: also every post tied with the n-th.
    tie_breaker : str or list of str, optional
        Column(s) that order tied posts (ascending).

    Returns
    -------
    DataFrame
        The selected rows of ``posts`` (original index kept), sorted by
        group then rank, with a ``rank`` column added (within the group).

    Examples
    --------
    >>> posts = pd.DataFrame({"post_id": ["a", "c", "b", "d"], "reads": [50, 80, 80, 10]})
    >>> top_content(posts, "reads", n=1)  # a tie: the earlier row wins
      post_id  reads  rank
    1       c     80     1
    >>> top_content(posts, "reads", n=1, tie_breaker="post_id")
      post_id  reads  rank
    2       b     80     1
    >>> top_content(posts, "reads", n=1, keep="all")
      post_id  reads  rank
    1       c     80     1
    2       b     80     1
    >>> top_content(posts, "reads", n=3)["rank"].tolist()
    [1, 1, 3]
    """
    breakers = [] if tie_breaker is None else _as_list(tie_breaker, "tie_breaker")
    keys = [] if per is None else [per]
    require_columns(posts, [metric] + keys + breakers, what="posts 帖子表")
    _require_numeric(posts, [metric], what="posts 帖子表")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise NmopsInputError(
            f"n 应该是正整数（要取前几名），收到 {n!r}。 / n must be a positive integer, got {n!r}."
        )
    _check_choice(keep, ("first", "all"), name="keep")
    if keys:
        _require_no_missing(posts, keys, what="posts 帖子表", group_key=True)
    ranked = posts[posts[metric].notna()]
    # Sort by: group, metric descending, tie breakers, then original row order (_row).
    sort_cols = keys + [metric] + breakers
    ascending = [True] * len(keys) + [False] + [True] * len(breakers)
    ranked_sorted = ranked.assign(_row=np.arange(len(ranked))).sort_values(
        sort_cols + ["_row"], ascending=ascending + [True], kind="mergesort"
    )
    if keys:
        rank = ranked_sorted.groupby(per, sort=False)[metric].rank(method="min", ascending=False)
        position = ranked_sorted.groupby(per, sort=False).cumcount() + 1
    else:
        rank = ranked_sorted[metric].rank(method="min", ascending=False)
        position = pd.Series(np.arange(1, len(ranked_sorted) + 1), index=ranked_sorted.index)
    rank = rank.astype("int64")
    if keep == "first":
        chosen = position <= n
    else:
        chosen = rank <= _nth_rank(rank, position, n, ranked_sorted[per] if keys else None)
    out = ranked_sorted.loc[chosen.to_numpy()].drop(columns="_row")
    out["rank"] = rank[chosen.to_numpy()].to_numpy()
    return out


def _nth_rank(rank: pd.Series, position: pd.Series, n: int, groups: pd.Series | None) -> pd.Series:
    """Rank of the n-th post (per group), broadcast to every row."""
    at_n = rank.where(position <= n)
    if groups is None:
        return pd.Series(at_n.max(), index=rank.index)
    return at_n.groupby(groups.to_numpy(), sort=False).transform("max")


# --------------------------------------------------------------------------- rates


def read_rate(
    reads,
    delivered=None,
    *,
    impressions=None,
    followers=None,
):
    """Read rate (阅读率): reads divided by an explicitly named base.

    read_rate = reads / base,  base ∈ {delivered 送达, impressions 曝光, followers 粉丝}

    Pass exactly one base, by its keyword, so the call says which read rate
    it is: ``delivered`` gives WeChat's 送达阅读率 (the default positional
    second argument), ``impressions`` gives the 推荐/曝光阅读率 of
    recommendation feeds (WeChat 推荐转化, Toutiao 点击率), ``followers``
    gives a 粉丝阅读率. WeChat's backend computes 送达阅读率 as read
    *counts* (次) over delivered *people* (人), so it can exceed 100%: pass
    reads in the unit you mean (阅读人数 for people, 阅读次数 for counts) and
    say which.

    Parameters
    ----------
    reads : Series or number
        Reads of each post (阅读人数 or 阅读次数).
    delivered : Series or number, optional
        Followers the post was delivered to (送达人数).
    impressions : Series or number, optional
        Times the post was shown (曝光/展现次数).
    followers : Series or number, optional
        Followers of the account (粉丝数/累计关注).

    Returns
    -------
    Series or float
        The rate per post (a Series named ``"read_rate"``) or one number;
        NaN where the base is zero or missing.

    Examples
    --------
    >>> read_rate(pd.Series([1200, 0]), pd.Series([10000, 0])).tolist()
    [0.12, nan]
    >>> read_rate(300, impressions=6000)
    0.05
    """
    bases = {"delivered": delivered, "impressions": impressions, "followers": followers}
    return _rate_over_one_base(reads, "reads", bases, "read_rate")


def share_rate(
    shares,
    reads=None,
    *,
    delivered=None,
    impressions=None,
):
    """Share rate (分享率): shares divided by an explicitly named base.

    share_rate = shares / base,  base ∈ {reads 阅读, delivered 送达, impressions 曝光}

    The usual base is reads (分享人数 / 阅读人数: of the people who read,
    how many passed it on), the default positional second argument. Pass
    people over people (分享人数 / 阅读人数) or counts over counts
    (分享次数 / 阅读次数); mixing them is the 人/次 trap of read rate again.

    Parameters
    ----------
    shares : Series or number
        Shares of each post (分享人数 or 分享次数).
    reads : Series or number, optional
        Reads of each post (阅读人数 or 阅读次数).
    delivered : Series or number, optional
        Followers the post was delivered to (送达人数).
    impressions : Series or number, optional
        Times the post was shown (曝光次数).

    Returns
    -------
    Series or float
        The rate per post (a Series named ``"share_rate"``) or one number;
        NaN where the base is zero or missing.

    Examples
    --------
    >>> share_rate(pd.Series([30, 5]), pd.Series([1200, 0])).tolist()
    [0.025, nan]
    >>> share_rate(30, delivered=10000)
    0.003
    """
    bases = {"reads": reads, "delivered": delivered, "impressions": impressions}
    return _rate_over_one_base(shares, "shares", bases, "share_rate")


# --------------------------------------------------------------------------- weekly report


def weekly_report(
    posts: pd.DataFrame,
    *,
    date: str = "published_at",
    week_ends: str = "SUN",
    sums: Sequence[str] = ("impressions", "delivered", "reads", "shares"),
    read_rate_of: tuple[str, str] | None = ("reads", "delivered"),
    share_rate_of: tuple[str, str] | None = ("shares", "reads"),
    per_post: Sequence[str] = ("reads",),
) -> pd.DataFrame:
    """Weekly report (周报): one row per week with posts, totals and pooled rates.

    read_rate = Σ reads / Σ delivered;  share_rate = Σ shares / Σ reads;  reads_per_post = Σ reads / posts

    A post belongs to the week containing its publication time; the week
    ends on ``week_ends`` (default Sunday, so weeks run Monday to Sunday,
    自然周). Weeks are labelled by their first and last day. Every week from
    the first post's to the last post's appears, with zeros (and NaN rates)
    when nothing was published. The rates of a week are pooled (ratio of the
    week's totals), not the mean of the posts' rates; the two differ (see
    :func:`nmops.metrics.engagement.engagement_rate`). The trap: platform
    data for a post keeps growing for days (WeChat sums up to 30 days), so a
    report run on Monday under-counts the posts of the weekend.

    Parameters
    ----------
    posts : DataFrame
        One row per post.
    date : str, default "published_at"
        Datetime column with the publication time.
    week_ends : {"MON", ..., "SUN"}, default "SUN"
        Last day of each week.
    sums : sequence of str, default ("impressions", "delivered", "reads", "shares")
        Count columns to total per week (numeric, non-negative, no missing).
    read_rate_of : (numerator, denominator) or None, default ("reads", "delivered")
        Columns of the ``read_rate`` column (here WeChat's 送达阅读率);
        e.g. ``("reads", "impressions")`` for 曝光阅读率; None leaves it out.
    share_rate_of : (numerator, denominator) or None, default ("shares", "reads")
        Columns of the ``share_rate`` column; None leaves it out.
    per_post : sequence of str, default ("reads",)
        Columns of ``sums`` to also show per post (``<col>_per_post``).

    Returns
    -------
    DataFrame
        Index: the weeks (``PeriodIndex`` named ``"week"``). Columns:
        ``posts``, the ``sums``, ``read_rate``, ``share_rate``, then the
        ``<col>_per_post`` columns.

    Examples
    --------
    >>> posts = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-02", "2024-01-05", "2024-01-16"]),
    ...     "delivered": [1000, 1000, 2000],
    ...     "reads": [100, 300, 100],
    ...     "shares": [10, 10, 0],
    ... })
    >>> report = weekly_report(posts, sums=("delivered", "reads", "shares"))
    >>> report[["posts", "delivered", "reads", "shares", "read_rate", "share_rate"]]
                           posts  delivered  reads  shares  read_rate  share_rate
    week
    2024-01-01/2024-01-07      2       2000    400      20       0.20        0.05
    2024-01-08/2024-01-14      0          0      0       0        NaN         NaN
    2024-01-15/2024-01-21      1       2000    100       0       0.05        0.00
    >>> report["reads_per_post"].tolist()
    [200.0, nan, 100.0]
    """
    sums = _as_list(sums, "sums")
    rates = {"read_rate": read_rate_of, "share_rate": share_rate_of}
    for name, pair in rates.items():
        if pair is not None and (isinstance(pair, str) or len(pair) != 2):
            raise NmopsInputError(
                f"{name}_of 应该是 (分子列, 分母列) 两个列名，收到 {pair!r}。"
                f" / {name}_of must be a pair (numerator, denominator), got {pair!r}."
            )
    needed = list(dict.fromkeys(
        sums + [c for pair in rates.values() if pair is not None for c in pair]
    ))
    per_post = _as_list(per_post, "per_post")
    require_columns(posts, [date] + needed + per_post, what="posts 帖子表")
    _require_counts(posts, needed + per_post, what="posts 帖子表")
    dates = _require_dates(posts[date], name=date, what="posts 帖子表")
    weeks = pd.Index(_to_periods(dates, freq="week", week_ends=week_ends), name="week")
    full = _period_span(weeks, name="week")
    cols = list(dict.fromkeys(needed + per_post))
    grouped = posts[cols].groupby(weeks.to_numpy())
    totals = grouped.sum().reindex(full, fill_value=0)
    out = pd.DataFrame({"posts": grouped.size().reindex(full, fill_value=0).astype("int64")})
    for c in sums:
        out[c] = totals[c]
    for name, pair in rates.items():
        if pair is not None:
            out[name] = safe_divide(totals[pair[0]], totals[pair[1]])
    for c in per_post:
        out[f"{c}_per_post"] = safe_divide(totals[c], out["posts"])
    out.index = full
    return out


# --------------------------------------------------------------------------- private helpers


def _one_base(bases: dict, func: str):
    """Exactly one of the keyword bases must be given; return (its name, its value)."""
    given = [(k, v) for k, v in bases.items() if v is not None]
    if len(given) != 1:
        names = " / ".join(bases)
        raise NmopsInputError(
            f"{func} 需要恰好一个分母（{names} 之一），收到 {len(given)} 个。"
            f"分母决定了这是哪一种比率，请明确写出，例如 {func}(x, {next(iter(bases))}=...)。"
            f" / {func} needs exactly one base ({names}), got {len(given)}."
        )
    return given[0]


def _rate_over_one_base(numerator, numerator_name: str, bases: dict, func: str):
    """``numerator / base`` for the one base given, checked as counts, named ``func``."""
    base_name, base = _one_base(bases, func)
    num, den = _number_pair(numerator, base, names=(numerator_name, base_name))
    return _named(safe_divide(num, den), func)
