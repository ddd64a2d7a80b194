"""Intermediate (中级) KPI: engagement rate (互动率).

Engagement rate has no single definition: sources divide interactions by
followers, reach, impressions or reads; some count shares as interactions
and some do not (Xiaohongshu guides disagree); and a rate over many posts
can be pooled (Σ interactions / Σ base) or averaged post by post. Each of
these is an explicit parameter here, because each changes the ranking. On
the real Facebook page data of Moro et al. (2016), interactions / reach is
1.53% pooled and 2.41% as a mean of per-post rates, and post types rank in
a different order by followers than by reach.

Not to be confused with GA4's "engagement rate" (engaged sessions /
sessions), a web-analytics metric.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import pandas as pd

from nmops._validation import NmopsInputError, require_columns, safe_divide
from nmops.metrics._common import _as_list, _check_choice, _require_counts, _require_no_missing

__all__ = ["post_engagement_rate", "engagement_rate"]

_WHAT = "posts 帖子表"
_DEFAULT_INTERACTIONS = ("likes", "comments", "shares")


def post_engagement_rate(
    posts: pd.DataFrame,
    *,
    base: str,
    interactions: str | Sequence[str] = _DEFAULT_INTERACTIONS,
    missing: Literal["zero", "drop", "raise"] = "zero",
) -> pd.Series:
    """Engagement rate (互动率) of each post: its interactions over its base.

    engagement_rate_i = (Σ_c interactions_c,i) / base_i

    ``base`` has no default on purpose: followers (粉丝数, at the time of
    the post), reach (触达人数), impressions (曝光次数) and reads (阅读)
    give rates that differ by orders of magnitude, and the choice reorders
    the posts. ``interactions`` lists the columns that count; the default
    likes + comments + shares counts shares (as Facebook's "Total
    Interactions" does); leave ``"shares"`` out for the definitions that
    don't, and add ``"favorites"`` (收藏) where a platform counts them.

    Parameters
    ----------
    posts : DataFrame
        One row per post.
    base : str
        Column of the denominator (e.g. ``"impressions"``, ``"reads"``,
        ``"reach"``, ``"followers"``).
    interactions : str or list of str, default ("likes", "comments", "shares")
        Columns summed into interactions (or one column already holding the
        total). Each column at most once, and never the ``base`` column:
        both are refused.
    missing : {"zero", "drop", "raise"}, default "zero"
        A missing interaction cell: ``"zero"`` counts it as 0 (as platform
        totals do), ``"drop"`` gives the post NaN, ``"raise"`` refuses.

    Returns
    -------
    Series
        One rate per post (index of ``posts``), named ``"engagement_rate"``;
        NaN where the base is zero or missing.

    Examples
    --------
    >>> posts = pd.DataFrame({"likes": [30, 5], "comments": [10, 0],
    ...                       "shares": [10, None], "reads": [1000, 0]})
    >>> post_engagement_rate(posts, base="reads").tolist()
    [0.05, nan]
    >>> post_engagement_rate(posts, base="reads", interactions=["likes", "comments"]).tolist()
    [0.04, nan]
    """
    total, den = _interactions_and_base(posts, base=base, interactions=interactions, missing=missing)
    return safe_divide(total, den).rename("engagement_rate")


def engagement_rate(
    posts: pd.DataFrame,
    *,
    base: str,
    interactions: str | Sequence[str] = _DEFAULT_INTERACTIONS,
    aggregate: Literal["pooled", "mean"] = "pooled",
    by: str | Sequence[str] | None = None,
    missing: Literal["zero", "drop", "raise"] = "zero",
) -> float | pd.Series:
    """Engagement rate (互动率) over many posts, pooled or as a mean of per-post rates.

    pooled = Σ interactions / Σ base;  mean = mean over posts of (interactions_i / base_i)

    ``"pooled"`` (the default) is the rate of the group as a whole, what a
    dashboard shows for a month: big posts weigh more. ``"mean"`` gives
    every post the same weight, so many small posts with high rates pull
    it up; it is the "average engagement rate" of many guides. The two are
    equal when every post has the same base, and can rank groups in
    opposite orders otherwise. Posts with a missing base are left out of
    both; posts with a zero base have no rate and are left out of the mean
    (their interactions still count in the pooled numerator). See
    :func:`post_engagement_rate` for ``base``, ``interactions`` and
    ``missing``.

    Parameters
    ----------
    posts : DataFrame
        One row per post.
    base : str
        Column of the denominator (no default: choose it).
    interactions : str or list of str, default ("likes", "comments", "shares")
        Columns summed into interactions.
    aggregate : {"pooled", "mean"}, default "pooled"
        How per-post numbers combine.
    by : str or list of str, optional
        Group key(s), e.g. ``"content_type"``; None gives one number.
    missing : {"zero", "drop", "raise"}, default "zero"
        What a missing interaction cell means.

    Returns
    -------
    float or Series
        One rate, or a Series named ``"engagement_rate"`` indexed by group;
        NaN where a group's base is zero.

    Examples
    --------
    >>> posts = pd.DataFrame({
    ...     "type": ["图文", "图文", "视频"],
    ...     "likes": [90, 1, 20], "comments": [10, 1, 0], "shares": [0, 0, 0],
    ...     "reach": [10000, 10, 1000],
    ... })
    >>> engagement_rate(posts, base="reach", by="type").round(4).to_dict()
    {'图文': 0.0102, '视频': 0.02}
    >>> engagement_rate(posts, base="reach", by="type", aggregate="mean").round(4).to_dict()
    {'图文': 0.105, '视频': 0.02}

    Pooled, 视频 engages better; as a mean of post rates, 图文 does (one
    tiny post with a 20% rate carries it).
    """
    if aggregate not in ("pooled", "mean"):
        raise NmopsInputError(
            f"aggregate 只能是 'pooled'（合并：Σ互动/Σ基数）或 'mean'（逐篇互动率的平均），收到 {aggregate!r}。"
            f" / aggregate must be 'pooled' or 'mean', got {aggregate!r}."
        )
    keys = [] if by is None else _as_list(by, "by")
    require_columns(posts, keys, what=_WHAT)
    _require_no_missing(posts, keys, what=_WHAT, group_key=True)
    total, den = _interactions_and_base(posts, base=base, interactions=interactions, missing=missing)
    known = den.notna() & total.notna()
    frame = pd.DataFrame({"i": total[known], "b": den[known]})
    frame["r"] = safe_divide(frame["i"], frame["b"])
    if not keys:
        if aggregate == "pooled":
            return safe_divide(float(frame["i"].sum()), float(frame["b"].sum()))
        return float(frame["r"].mean()) if frame["r"].notna().any() else float("nan")
    groups = [posts.loc[known, k] for k in keys]
    grouped = frame.groupby(groups if len(groups) > 1 else groups[0], sort=True)
    if aggregate == "pooled":
        sums = grouped[["i", "b"]].sum()
        out = safe_divide(sums["i"], sums["b"])
    else:
        out = grouped["r"].mean()
    return out.rename("engagement_rate")


def _interactions_and_base(posts, *, base, interactions, missing):
    """Validated (interactions per post, base per post) as float Series."""
    _check_choice(missing, ("zero", "drop", "raise"), name="missing")
    if not isinstance(base, str):
        raise NmopsInputError(
            f"base 应该是分母所在的列名（如 'reach'、'impressions'），收到 {type(base).__name__}。"
            f" / base must be the name of the denominator column, got {type(base).__name__}."
        )
    cols = _as_list(interactions, "interactions")
    if not cols:
        raise NmopsInputError(
            "interactions 至少要有一列（如 ['likes', 'comments', 'shares']）。"
            " / interactions needs at least one column."
        )
    repeated = sorted({c for c in cols if cols.count(c) > 1}, key=str)
    if repeated:
        raise NmopsInputError(
            f"interactions 里的列 {repeated} 写了不止一次，会被重复计数。每个互动列只写一次。"
            f" / interactions lists {repeated} more than once, which would count them twice; list each column once."
        )
    if base in cols:
        raise NmopsInputError(
            f"分母列 {base!r} 同时出现在 interactions 里：分母不能算作互动（否则互动率会接近或超过 1）。"
            f"请从 interactions 中去掉 {base!r}，或换一个分母。"
            f" / The base column {base!r} is also listed in interactions; remove it from interactions or choose another base."
        )
    require_columns(posts, cols + [base], what=_WHAT)
    # A missing base is allowed (that post has no rate); missing interactions follow `missing`.
    _require_counts(posts, [base], what=_WHAT, allow_missing=True)
    _require_counts(posts, cols, what=_WHAT, allow_missing=missing != "raise")
    values = posts[cols].astype("float64")
    if missing == "zero":
        total = values.fillna(0).sum(axis=1)
    else:
        total = values.sum(axis=1, min_count=len(cols))  # NaN if any cell is missing
    return total, posts[base].astype("float64")
