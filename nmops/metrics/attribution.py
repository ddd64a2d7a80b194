"""Senior (高级) KPIs: attribution of conversions over user journeys (归因).

A user sees the product on several channels before buying: a Xiaohongshu
note, then a WeChat article, then a search. Which channel "brought" the
order? Every answer is a model (归因模型), and the models disagree, which is
the lesson:

* first touch (首次触点): all the credit to the first touch of the journey;
* last touch (末次触点): all the credit to the last touch (most backends);
* linear (线性): equal shares to every touch;
* time decay (时间衰减): shares halving every ``half_life`` back from the
  conversion time;
* position based (位置归因, U 型): 40% first, 40% last, 20% spread over the
  touches in between.

The journey of a conversion is the user's touches at or before the
conversion time (``inclusive``) and within the ``lookback`` window before
it. A conversion with no touch in its journey goes to the ``"(direct)"``
bucket, so the credits of every model always sum to the number of
conversions (or to their total value when ``value`` is given).

The computation is vectorised (sort the touches once by user and time,
find each journey as a slice with :func:`numpy.searchsorted`, weigh and sum
with :func:`numpy.bincount`); ``benchmarks/bench_metrics.py`` runs it on 10
million touches against the same computation in DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError
from nmops.metrics._common import (
    _check_bool,
    _check_choice,
    _dense_range,
    _require_counts,
    _require_frame,
    _require_ids,
    _run_starts,
    _time_ns,
)

__all__ = ["MODELS", "attribution_credits", "attribute_conversions", "compare_attribution_models"]

#: The attribution models, in the order :func:`compare_attribution_models` shows them.
MODELS = ("first_touch", "last_touch", "linear", "time_decay", "position_based")

Model = Literal["first_touch", "last_touch", "linear", "time_decay", "position_based"]


@dataclass
class _Journeys:
    """Every conversion's journey as a slice ``order[lo:hi]`` of the sorted touches."""

    order: np.ndarray  # touch rows sorted by (user, time, row)
    lo: np.ndarray  # per conversion: first position in ``order``
    n: np.ndarray  # per conversion: number of touches
    touch_ns: np.ndarray
    conv_ns: np.ndarray
    channel_codes: np.ndarray
    channels: pd.Index
    values: np.ndarray  # per conversion: 1.0 or its value


def _as_timedelta(value, *, name: str, allow_none: bool) -> pd.Timedelta | None:
    if value is None and allow_none:
        return None
    try:
        td = pd.Timedelta(value)
    except (TypeError, ValueError) as exc:
        raise NmopsInputError(
            f"{name} 应该是一段时长，例如 pd.Timedelta(days=7) 或 '7D'，收到 {value!r}。"
            f" / {name} must be a duration such as pd.Timedelta(days=7) or '7D', got {value!r}."
        ) from exc
    if td is pd.NaT or td <= pd.Timedelta(0):
        raise NmopsInputError(
            f"{name} 必须是正的时长，收到 {value!r}。 / {name} must be a positive duration, got {value!r}."
        )
    return td


def _check_shares(first_share: float, last_share: float) -> None:
    ok = all(isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) for x in (first_share, last_share))
    if not ok or not (0 <= first_share <= 1 and 0 <= last_share <= 1 and first_share + last_share <= 1 + 1e-12):
        raise NmopsInputError(
            f"first_share 和 last_share 应该在 0 到 1 之间，且两者之和不超过 1，收到 {first_share!r} 和 {last_share!r}。"
            f" / first_share and last_share must be in [0, 1] with a sum of at most 1, got {first_share!r} and {last_share!r}."
        )


def _conversion_user_codes(t_users: pd.Series, c_users: pd.Series, *, user: str) -> tuple[np.ndarray, np.ndarray]:
    """Shared user codes: touches get 0..U-1, conversions the same code or -1 if they have no touch."""
    _require_ids(t_users, name=user, what="touches 触点表")
    _require_ids(c_users, name=user, what="conversions 转化表")
    t_num = pd.api.types.is_numeric_dtype(t_users)
    c_num = pd.api.types.is_numeric_dtype(c_users)
    if len(t_users) and len(c_users) and t_num != c_num:
        raise NmopsInputError(
            f"touches 与 conversions 的 {user} 类型不一致（{t_users.dtype} 对 {c_users.dtype}），同一个用户会对不上。"
            f"请先统一类型，例如两边都用 .astype(str)。"
            f" / {user} has dtype {t_users.dtype} in touches but {c_users.dtype} in conversions; make them the same type."
        )
    dense = _dense_range(t_users) if pd.api.types.is_integer_dtype(c_users) else None
    if dense is not None:
        arr, lo, hi = dense
        c = c_users.to_numpy(dtype=np.int64) - lo
        c[(c < 0) | (c > hi - lo)] = -1
        return arr - lo, c
    codes, uniques = pd.factorize(t_users)
    c = pd.Index(uniques).get_indexer(c_users)
    return codes.astype(np.int64, copy=False), c.astype(np.int64, copy=False)


def _journeys(
    touches: pd.DataFrame,
    conversions: pd.DataFrame,
    *,
    lookback,
    inclusive: bool,
    reset_after_conversion: bool,
    value: str | None,
    user: str,
    at: str,
    channel: str,
    conversion_at: str,
) -> _Journeys:
    lookback_td = _as_timedelta(lookback, name="lookback", allow_none=True)
    _check_bool(inclusive, name="inclusive")
    _check_bool(reset_after_conversion, name="reset_after_conversion")
    tw, cw = "touches 触点表", "conversions 转化表"
    _require_frame(touches, [user, at, channel], what=tw, allow_empty=True)
    _require_frame(conversions, [user, conversion_at] + ([value] if value is not None else []), what=cw, allow_empty=True)
    t_tz = getattr(touches[at].dtype, "tz", None) is not None
    c_tz = getattr(conversions[conversion_at].dtype, "tz", None) is not None
    if t_tz != c_tz:
        raise NmopsInputError(
            f"{tw} 的 {at} 和 {cw} 的 {conversion_at} 一个带时区、一个不带，无法比较先后。"
            f"请统一：都用 .dt.tz_localize('Asia/Shanghai')，或都去掉时区。"
            f" / {at} of touches and {conversion_at} of conversions must both be timezone-aware or both naive."
        )
    t_ns = _time_ns(touches[at], name=at, what=tw, wall_clock=False)
    c_ns = _time_ns(conversions[conversion_at], name=conversion_at, what=cw, wall_clock=False)
    n_missing = int(touches[channel].isna().sum())
    if n_missing:
        raise NmopsInputError(
            f"{tw} 的列 {channel} 有 {n_missing} 个缺失的渠道。请先填上（例如 fillna('(none)')）或删掉这些行。"
            f" / Column {channel} of {tw} has {n_missing} missing channel(s); fill them (e.g. fillna('(none)')) or drop those rows."
        )
    if value is None:
        values = np.ones(len(conversions))
    else:
        _require_counts(conversions, [value], what=cw)
        values = conversions[value].to_numpy(dtype=np.float64, na_value=np.nan)
    tu, cu = _conversion_user_codes(touches[user], conversions[user], user=user)
    ch_codes, channels = pd.factorize(touches[channel], sort=True)
    ch_codes = ch_codes.astype(np.int32, copy=False)

    # Keep only touches that can be in some journey: the user converts, and the
    # touch lies between their earliest conversion minus the lookback and their
    # latest conversion. (Most touches of real data belong to users who never
    # convert; this is the "probe side" of a join, done with array lookups.)
    has_user = cu >= 0
    n_codes = int(tu.max()) + 1 if len(tu) else 0
    big = np.iinfo(np.int64).max
    first_ok = np.full(n_codes, big, dtype=np.int64)
    last_conv = np.full(n_codes, -big, dtype=np.int64)
    back = 0 if lookback_td is None else lookback_td.value
    np.minimum.at(first_ok, cu[has_user], c_ns[has_user] - back if lookback_td is not None else -big)
    np.maximum.at(last_conv, cu[has_user], c_ns[has_user])
    sub = np.flatnonzero((t_ns >= first_ok[tu]) & (t_ns <= last_conv[tu]))
    del first_ok, last_conv
    t_sub = t_ns[sub]
    u_sub = tu[sub]

    # Dense rank of the kept touch times (ties share a rank), then one sort by (user, rank, row).
    if len(t_sub) < 2 or bool(np.all(t_sub[1:] >= t_sub[:-1])):
        starts = _run_starts(t_sub)
        times = t_sub[starts]
        rank = np.cumsum(starts) - 1
    else:
        by_time = np.argsort(t_sub, kind="stable")
        sorted_t = t_sub[by_time]
        starts = _run_starts(sorted_t)
        times = sorted_t[starts]
        rank = np.empty(len(t_sub), dtype=np.int64)
        rank[by_time] = np.cumsum(starts) - 1
        del by_time, sorted_t
    del starts, t_sub
    n_ranks = max(len(times), 1)
    key = u_sub * n_ranks + rank
    del rank, u_sub
    by_key = np.argsort(key, kind="stable")
    key = key[by_key]
    order = sub[by_key]
    del sub, by_key

    # Each journey is the slice of touches of the same user with rank in [r_lo, r_hi]
    # (queries searched in sorted order: much faster on a long array).
    base = np.where(has_user, cu, 0) * n_ranks
    r_hi = np.searchsorted(times, c_ns, side="right" if inclusive else "left") - 1
    hi = _sorted_search(key, base + r_hi, side="right")
    if lookback_td is None:
        lo = _sorted_search(key, base, side="left")
    else:
        r_lo = np.searchsorted(times, c_ns - lookback_td.value, side="left")
        lo = _sorted_search(key, base + r_lo, side="left")
    del key
    if reset_after_conversion and len(c_ns) > 1:
        by_user = np.lexsort((np.arange(len(c_ns)), c_ns, cu))
        prev_hi = np.empty(len(c_ns), dtype=np.int64)
        prev_hi[1:] = hi[by_user][:-1]
        prev_hi[_run_starts(cu[by_user])] = -1
        lo[by_user] = np.maximum(lo[by_user], prev_hi)
    n = np.where(has_user, np.maximum(hi - lo, 0), 0)
    return _Journeys(
        order=order,
        lo=lo,
        n=n,
        touch_ns=t_ns,
        conv_ns=c_ns,
        channel_codes=ch_codes,
        channels=pd.Index(channels),
        values=values,
    )


def _sorted_search(a: np.ndarray, v: np.ndarray, *, side: str) -> np.ndarray:
    """``np.searchsorted(a, v)`` with the queries visited in sorted order."""
    by = np.argsort(v, kind="stable")
    out = np.empty(len(v), dtype=np.int64)
    out[by] = np.searchsorted(a, v[by], side=side)
    return out


def _touch_weights(j: _Journeys, model: str, *, half_life: pd.Timedelta, first_share: float, last_share: float):
    """(touch row, credit) of every journey touch; credits of a conversion sum to its value."""
    has = j.n > 0
    if model in ("first_touch", "last_touch"):
        pos = j.lo[has] if model == "first_touch" else j.lo[has] + j.n[has] - 1
        return j.order[pos], j.values[has]
    n = j.n
    total = int(n.sum())
    conv = np.repeat(np.arange(len(n), dtype=np.int64), n)
    offsets = np.cumsum(n) - n
    pos = np.arange(total, dtype=np.int64) - offsets[conv]
    rows = j.order[j.lo[conv] + pos]
    n_row = n[conv]
    if model == "linear":
        w = 1.0 / n_row
    elif model == "position_based":
        w = np.empty(total)
        middle = (1.0 - first_share - last_share) / np.maximum(n_row - 2, 1)
        w[:] = middle
        ends = first_share + last_share
        two_first, two_last = (first_share / ends, last_share / ends) if ends > 0 else (0.5, 0.5)
        is_first, is_last = pos == 0, pos == n_row - 1
        w[is_first] = first_share
        w[is_last] = last_share
        w[(n_row == 2) & is_first] = two_first
        w[(n_row == 2) & is_last] = two_last
        w[n_row == 1] = 1.0
    else:  # time_decay: 2 ** (-age / half_life), age counted back from the conversion
        age = (j.conv_ns[conv] - j.touch_ns[rows]).astype(np.float64)
        youngest = np.full(len(n), np.inf)
        np.minimum.at(youngest, conv, age)
        w = np.exp2(-(age - youngest[conv]) / float(half_life.value))
        del age
        w /= np.bincount(conv, weights=w, minlength=len(n))[conv]
    return rows, w * j.values[conv]


def _settings(model, half_life, first_share, last_share):
    _check_choice(model, MODELS, name="model")
    half_life_td = _as_timedelta(half_life, name="half_life", allow_none=False)
    _check_shares(first_share, last_share)
    return half_life_td


def attribution_credits(
    touches: pd.DataFrame,
    conversions: pd.DataFrame,
    *,
    model: Model = "last_touch",
    lookback: pd.Timedelta | str | None = pd.Timedelta(days=30),
    half_life: pd.Timedelta | str = pd.Timedelta(days=7),
    first_share: float = 0.4,
    last_share: float = 0.4,
    inclusive: bool = True,
    reset_after_conversion: bool = False,
    value: str | None = None,
    no_touch_label: str = "(direct)",
    user: str = "user_id",
    at: str = "event_time",
    channel: str = "channel",
    conversion_at: str = "event_time",
) -> pd.DataFrame:
    """Attribution credits per touch (归因明细): how much of each conversion each touch gets.

    credit(touch) = weight(touch | model, journey) × value(conversion),  Σ weights of a journey = 1

    The journey of a conversion = the same user's touches with
    conversion time − ``lookback`` ≤ touch time ≤ conversion time
    (``<`` instead of ``≤`` at the end if ``inclusive=False``), in time
    order (ties keep row order). Weights per model, for a journey of n
    touches at positions 1..n:

    * ``first_touch``: 1 to position 1; ``last_touch``: 1 to position n;
    * ``linear``: 1/n each;
    * ``time_decay``: ∝ 2 ** (−(conversion time − touch time) / half_life);
    * ``position_based``: ``first_share`` to position 1, ``last_share`` to
      position n, the rest split equally between positions 2..n−1. With
      n = 2 there is no middle: the two touches split the whole credit in
      the ratio first_share : last_share (0.5/0.5 by default); with n = 1
      the single touch gets everything.

    A conversion whose journey is empty gets one row with channel
    ``no_touch_label`` ("(direct)", the bucket web analytics uses for
    visits with no known source). By default a touch can belong to the
    journeys of several conversions of the same user;
    ``reset_after_conversion=True`` starts a new journey after each
    conversion instead.

    Parameters
    ----------
    touches : DataFrame
        One row per touch (a visit, a click), with user, time and channel.
    conversions : DataFrame
        One row per conversion (an order), with user and time (and value).
    model : {"first_touch", "last_touch", "linear", "time_decay", "position_based"}, default "last_touch"
        Attribution model.
    lookback : Timedelta or str or None, default 30 days
        How far back before a conversion touches count (``None``: no limit).
    half_life : Timedelta or str, default 7 days
        Time-decay half-life: a touch this much older than another gets half its weight.
    first_share, last_share : float, default 0.4 and 0.4
        Position-based shares of the first and last touch (sum at most 1).
    inclusive : bool, default True
        Whether a touch at exactly the conversion time counts (a visit and
        its order logged in the same second).
    reset_after_conversion : bool, default False
        Whether a conversion's journey starts after the user's previous conversion.
    value : str, optional
        Column of ``conversions`` with the conversion value (e.g. order
        amount); credits then sum to the total value instead of the count.
    no_touch_label : str, default "(direct)"
        Channel label of conversions without any touch in their journey.
    user : str, default "user_id"
        User id column (in both tables).
    at : str, default "event_time"
        Time column of ``touches``.
    channel : str, default "channel"
        Channel column of ``touches`` (e.g. utm_source).
    conversion_at : str, default "event_time"
        Time column of ``conversions`` (e.g. "ordered_at").

    Returns
    -------
    DataFrame
        One row per (conversion, touch) pair with columns ``conversion``
        (the index label of the conversion), ``channel``, ``touch_at`` and
        ``credit``, ordered by conversion then touch time.

    Examples
    --------
    >>> touches = pd.DataFrame({"user_id": [1, 1, 1],
    ...     "event_time": pd.to_datetime(["2024-05-01", "2024-05-05", "2024-05-08"]),
    ...     "channel": ["xiaohongshu", "wechat", "search"]})
    >>> orders = pd.DataFrame({"user_id": [1, 2], "event_time": pd.to_datetime(["2024-05-08", "2024-05-09"])})
    >>> attribution_credits(touches, orders, model="position_based")
       conversion      channel   touch_at  credit
    0           0  xiaohongshu 2024-05-01     0.4
    1           0       wechat 2024-05-05     0.2
    2           0       search 2024-05-08     0.4
    3           1     (direct)        NaT     1.0
    """
    half_life_td = _settings(model, half_life, first_share, last_share)
    j = _journeys(
        touches, conversions, lookback=lookback, inclusive=inclusive,
        reset_after_conversion=reset_after_conversion, value=value,
        user=user, at=at, channel=channel, conversion_at=conversion_at,
    )
    rows, credit = _touch_weights(j, model, half_life=half_life_td, first_share=first_share, last_share=last_share)
    n = j.n if model not in ("first_touch", "last_touch") else (j.n > 0).astype(np.int64)
    conv = np.repeat(np.arange(len(n)), n)
    direct = np.flatnonzero(j.n == 0)
    conv_all = np.concatenate([conv, direct])
    labels = np.concatenate([j.channels.to_numpy(dtype=object)[j.channel_codes[rows]], np.full(len(direct), no_touch_label, dtype=object)])
    touch_at = touches[at].iloc[rows]
    touch_at = pd.concat([touch_at, pd.Series(pd.NaT, index=range(len(direct)), dtype=touch_at.dtype)], ignore_index=True)
    out = pd.DataFrame(
        {
            "conversion": conversions.index.to_numpy()[conv_all],
            "channel": labels.astype(str),
            "touch_at": touch_at.to_numpy(),
            "credit": np.concatenate([credit, j.values[direct]]),
        }
    )
    out["_order"] = conv_all
    out = out.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    return out


def _channel_totals(j: _Journeys, model: str, *, half_life, first_share, last_share, no_touch_label: str) -> pd.Series:
    rows, credit = _touch_weights(j, model, half_life=half_life, first_share=first_share, last_share=last_share)
    by_code = np.bincount(j.channel_codes[rows], weights=credit, minlength=len(j.channels))
    totals = pd.Series(by_code, index=j.channels.astype(str), dtype=np.float64)
    direct = float(j.values[j.n == 0].sum())
    if no_touch_label in totals.index:
        totals[no_touch_label] += direct
    else:
        totals = pd.concat([totals, pd.Series([direct], index=[no_touch_label])])
    totals.index.name = "channel"
    return totals


def attribute_conversions(
    touches: pd.DataFrame,
    conversions: pd.DataFrame,
    *,
    model: Model = "last_touch",
    lookback: pd.Timedelta | str | None = pd.Timedelta(days=30),
    half_life: pd.Timedelta | str = pd.Timedelta(days=7),
    first_share: float = 0.4,
    last_share: float = 0.4,
    inclusive: bool = True,
    reset_after_conversion: bool = False,
    value: str | None = None,
    no_touch_label: str = "(direct)",
    user: str = "user_id",
    at: str = "event_time",
    channel: str = "channel",
    conversion_at: str = "event_time",
) -> pd.Series:
    """Attributed conversions per channel (渠道归因): credits of one model summed by channel.

    credit(channel) = Σ over conversions of Σ weights of the channel's touches in the journey × value

    The journey, the models and every parameter are those of
    :func:`attribution_credits` (see there). The credits sum to the number
    of conversions (or to their total value with ``value``); conversions
    with no touch are counted under ``no_touch_label``. Every channel seen
    in ``touches`` is listed, with 0 if it never gets credit.

    Parameters
    ----------
    touches, conversions : DataFrame
        As in :func:`attribution_credits`.
    model : str, default "last_touch"
        One of :data:`MODELS`.
    lookback, half_life, first_share, last_share, inclusive, reset_after_conversion, value, no_touch_label
        As in :func:`attribution_credits`.
    user, at, channel, conversion_at : str
        Column names, as in :func:`attribution_credits`.

    Returns
    -------
    Series
        Credit per ``channel`` (channels in alphabetical order, the
        no-touch bucket last), named after the model.

    Examples
    --------
    >>> touches = pd.DataFrame({"user_id": [1, 1, 2],
    ...     "event_time": pd.to_datetime(["2024-05-01", "2024-05-08", "2024-05-03"]),
    ...     "channel": ["weibo", "wechat", "weibo"]})
    >>> orders = pd.DataFrame({"user_id": [1, 2, 3], "event_time": pd.to_datetime(["2024-05-08", "2024-05-04", "2024-05-04"])})
    >>> attribute_conversions(touches, orders, model="linear")
    channel
    wechat      0.5
    weibo       1.5
    (direct)    1.0
    Name: linear, dtype: float64
    """
    half_life_td = _settings(model, half_life, first_share, last_share)
    j = _journeys(
        touches, conversions, lookback=lookback, inclusive=inclusive,
        reset_after_conversion=reset_after_conversion, value=value,
        user=user, at=at, channel=channel, conversion_at=conversion_at,
    )
    totals = _channel_totals(j, model, half_life=half_life_td, first_share=first_share,
                             last_share=last_share, no_touch_label=no_touch_label)
    return totals.rename(model)


def compare_attribution_models(
    touches: pd.DataFrame,
    conversions: pd.DataFrame,
    *,
    models: Sequence[str] = MODELS,
    lookback: pd.Timedelta | str | None = pd.Timedelta(days=30),
    half_life: pd.Timedelta | str = pd.Timedelta(days=7),
    first_share: float = 0.4,
    last_share: float = 0.4,
    inclusive: bool = True,
    reset_after_conversion: bool = False,
    value: str | None = None,
    no_touch_label: str = "(direct)",
    user: str = "user_id",
    at: str = "event_time",
    channel: str = "channel",
    conversion_at: str = "event_time",
) -> pd.DataFrame:
    """Attribution model comparison (归因模型对比): credit per channel under each model, side by side.

    table[channel, model] = attribute_conversions(..., model=model)[channel]

    The journeys are built once and weighed by every model. Each column
    sums to the number of conversions (or their total value), so the
    differences between columns are pure model choice: channels that open
    journeys (content, 种草) gain under first touch, channels that close
    them (search, retargeting) gain under last touch.

    Parameters
    ----------
    touches, conversions : DataFrame
        As in :func:`attribution_credits`.
    models : sequence of str, default all of :data:`MODELS`
        Models to compare, in column order.
    lookback, half_life, first_share, last_share, inclusive, reset_after_conversion, value, no_touch_label
        As in :func:`attribution_credits`.
    user, at, channel, conversion_at : str
        Column names, as in :func:`attribution_credits`.

    Returns
    -------
    DataFrame
        One row per ``channel``, one column per model.

    Examples
    --------
    >>> touches = pd.DataFrame({"user_id": [1, 1],
    ...     "event_time": pd.to_datetime(["2024-05-01", "2024-05-08"]), "channel": ["weibo", "wechat"]})
    >>> orders = pd.DataFrame({"user_id": [1], "event_time": pd.to_datetime(["2024-05-08"])})
    >>> compare_attribution_models(touches, orders, models=["first_touch", "last_touch", "time_decay"])
              first_touch  last_touch  time_decay
    channel
    wechat            0.0         1.0    0.666667
    weibo             1.0         0.0    0.333333
    (direct)          0.0         0.0    0.000000
    """
    if isinstance(models, str) or not isinstance(models, Sequence) or len(models) == 0:
        raise NmopsInputError(
            f"models 应该是模型名的列表，例如 ['first_touch', 'last_touch']，收到 {models!r}。"
            f" / models must be a non-empty list of model names, got {models!r}."
        )
    for m in models:
        _check_choice(m, MODELS, name="models")
    half_life_td = _settings(models[0], half_life, first_share, last_share)
    j = _journeys(
        touches, conversions, lookback=lookback, inclusive=inclusive,
        reset_after_conversion=reset_after_conversion, value=value,
        user=user, at=at, channel=channel, conversion_at=conversion_at,
    )
    cols = {
        m: _channel_totals(j, m, half_life=half_life_td, first_share=first_share,
                           last_share=last_share, no_touch_label=no_touch_label)
        for m in models
    }
    return pd.DataFrame(cols)
