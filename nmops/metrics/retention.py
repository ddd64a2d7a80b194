"""Intermediate (中级) KPIs: stickiness (粘性, DAU/MAU) and retention (留存).

Who comes back? A 中级 operator answers with three numbers:

* stickiness (粘性) = average DAU / MAU: how many days a month an active
  user shows up, as a share;
* N-day retention (N日留存): of the users who first appeared on a day,
  the share active again N days later;
* the cohort retention table (同期群留存表): the same question for every
  cohort (day, week or month of first activity) and every offset at once.

Every definitional choice is a parameter: a calendar month or a trailing
30-day window for MAU; day N exactly or "day N or later"; calendar days or
rolling 24-hour days. Cohorts are "birth" cohorts: a user belongs to the
period of their *first* event in ``events``, so a user whose history
started before the data did is counted as new on their first day in the
data (the trap of a short export).

Days are Beijing calendar days: a timezone-aware column is converted to
Beijing time (Asia/Shanghai) first, so an event at 20:00 UTC counts on the
next Beijing day; a naive column is taken as Beijing time already (as in
the course data and the platforms' exports). Convert other local times
yourself (``.dt.tz_localize(...)``) before calling.

The functions are vectorised (sorting and counting integer codes with
numpy, no Python loop over users or events): ``benchmarks/bench_metrics.py``
runs them on 10 million events against the same computation in DuckDB.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError, NmopsWarning, safe_divide
from nmops.metrics._common import (
    BEIJING,
    _check_bool,
    _check_choice,
    _check_int,
    _require_frame,
    _require_ids,
    _run_starts,
    _time_ns,
    _user_codes,
)

__all__ = [
    "daily_active_users",
    "monthly_active_users",
    "stickiness",
    "n_day_retention",
    "cohort_retention",
]

_DAY_NS = 86_400 * 10**9


# --------------------------------------------------------------------------- helpers


def _unique_pairs(u: np.ndarray, p: np.ndarray, n_p: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (u, p) pairs, sorted by u then p (p in 0..n_p-1)."""
    key = u * n_p + p
    key.sort()
    key = key[_run_starts(key)]
    us = key // n_p
    return us, key - us * n_p


def _day_index(first: int, n_days: int) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(np.arange(first, first + n_days).astype("datetime64[D]").astype("datetime64[ns]"))


def _activity(events: pd.DataFrame, user: str, at: str, what: str) -> tuple[np.ndarray, np.ndarray]:
    """Validated (user code, calendar day number since 1970-01-01) per event."""
    _require_frame(events, [user, at], what=what)
    ns = _time_ns(events[at], name=at, what=what)
    u, _ = _user_codes(events[user], name=user, what=what)
    return u, ns // _DAY_NS


def _active_days(events: pd.DataFrame, user: str, at: str) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Distinct (user code, day offset) pairs sorted by user then day, the first day and the number of days."""
    u, day = _activity(events, user, at, "events 事件表")
    d0 = int(day.min())
    n_days = int(day.max()) - d0 + 1
    us, ds = _unique_pairs(u, day - d0, n_days)
    return us, ds, d0, n_days


def _check_window(window, window_days) -> int:
    """Check the MAU window parameters; return ``window_days`` as int."""
    _check_choice(window, ("calendar_month", "trailing"), name="window")
    return _check_int(window_days, name="window_days", minimum=1)


# --------------------------------------------------------------------------- DAU / MAU


def daily_active_users(events: pd.DataFrame, *, user: str = "user_id", at: str = "event_time") -> pd.Series:
    """Daily active users (日活, DAU): distinct users with at least one event per calendar day.

    DAU(d) = number of distinct ``user`` with an event on calendar day d

    "Active" means "has a row in ``events``": filter the events first if only
    some kinds count (e.g. ``events[events["event"] != "push_received"]``);
    which events count is the definition, and platforms differ.

    Time zone (时区): days are Beijing calendar days. A timezone-aware column
    (e.g. UTC from an analytics API) is converted to Beijing time first, so
    an event at 2024-01-01 20:00 UTC counts on 2 January; counting UTC days
    would shift eight hours of every day to the wrong date. A naive column
    is taken as Beijing time already.

    Parameters
    ----------
    events : DataFrame
        One row per event, with a user column and a datetime column.
    user : str, default "user_id"
        Column with the user id.
    at : str, default "event_time"
        Datetime column with the time of the event (Beijing time: a
        timezone-aware column is converted to Asia/Shanghai first).

    Returns
    -------
    Series
        ``dau`` indexed by ``date``, every calendar day from the first to the
        last event's day (a day with no event shows 0).

    Examples
    --------
    >>> ev = pd.DataFrame({"user_id": ["a", "a", "b", "a"],
    ...     "event_time": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 21:00", "2024-01-01 10:00", "2024-01-03 08:00"])})
    >>> daily_active_users(ev)
    date
    2024-01-01    2
    2024-01-02    0
    2024-01-03    1
    Name: dau, dtype: int64
    """
    _, ds, d0, n_days = _active_days(events, user, at)
    dau = np.bincount(ds, minlength=n_days).astype(np.int64)
    return pd.Series(dau, index=_day_index(d0, n_days).rename("date"), name="dau")


def _trailing_mau(us: np.ndarray, ds: np.ndarray, n_days: int, window: int) -> np.ndarray:
    """Distinct users in the ``window`` days ending on each day, from sorted unique (user, day) pairs.

    A user active on day t covers the days t .. t+window-1; the union of a
    user's intervals is added to a difference array once (each interval
    starts where the previous one of the same user stopped covering).
    """
    prev = np.empty_like(ds)
    if len(ds):
        prev[0] = -window
        prev[1:] = ds[:-1]
    prev[_run_starts(us)] = -window
    start = np.maximum(ds, prev + window)
    diff = np.bincount(start, minlength=n_days + window) - np.bincount(ds + window, minlength=n_days + window)
    return np.cumsum(diff)[:n_days]


def _trailing_windows(
    us: np.ndarray, ds: np.ndarray, d0: int, n_days: int, window: int
) -> tuple[np.ndarray, pd.DatetimeIndex]:
    """Trailing MAU of every complete ``window``-day window, and the window end dates (index ``date``)."""
    mau = _trailing_mau(us, ds, n_days, window)[window - 1 :]
    index = _day_index(d0 + window - 1, max(n_days - window + 1, 0)).rename("date")
    return mau, index


def monthly_active_users(
    events: pd.DataFrame,
    *,
    window: Literal["calendar_month", "trailing"] = "calendar_month",
    window_days: int = 30,
    user: str = "user_id",
    at: str = "event_time",
) -> pd.Series:
    """Monthly active users (月活, MAU): distinct users active in a month.

    MAU(month) = distinct users with an event in the calendar month
    MAU(d) = distinct users with an event in the ``window_days`` days ending on day d

    The two definitions are both in use: product analytics tools usually
    report the trailing 30-day window per day, finance reports the calendar
    month. A calendar month at the edge of the data is only partly observed
    (its MAU is too small); a trailing window is only reported once it is
    complete, i.e. from the ``window_days``-th day of data on. Days and
    months are Beijing ones: a timezone-aware column is converted to
    Asia/Shanghai first (see :func:`daily_active_users`).

    Parameters
    ----------
    events : DataFrame
        One row per event, with a user column and a datetime column.
    window : {"calendar_month", "trailing"}, default "calendar_month"
        Calendar months, or a trailing window of ``window_days`` days
        (the day itself and the ``window_days - 1`` days before it).
    window_days : int, default 30
        Length of the trailing window (ignored for calendar months).
    user : str, default "user_id"
        Column with the user id.
    at : str, default "event_time"
        Datetime column with the time of the event.

    Returns
    -------
    Series
        ``mau`` indexed by ``month`` (monthly periods) or by ``date`` (days,
        complete windows only; empty if the data covers fewer days).

    Examples
    --------
    >>> ev = pd.DataFrame({"user_id": [1, 2, 1, 3],
    ...     "event_time": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-01", "2024-02-02"])})
    >>> monthly_active_users(ev)
    month
    2024-01    2
    2024-02    2
    Freq: M, Name: mau, dtype: int64
    >>> monthly_active_users(ev, window="trailing", window_days=14).tail(3)
    date
    2024-01-31    1
    2024-02-01    2
    2024-02-02    3
    Name: mau, dtype: int64
    """
    window_days = _check_window(window, window_days)
    us, ds, d0, n_days = _active_days(events, user, at)
    if window == "trailing":
        mau, index = _trailing_windows(us, ds, d0, n_days, window_days)
        return pd.Series(mau.astype(np.int64), index=index, name="mau")
    months, month_of_day = _month_table(d0, n_days)
    mu = _count_unique_sorted(us, month_of_day[ds], len(months))
    return pd.Series(mu, index=months.rename("month"), name="mau")


def _month_table(d0: int, n_days: int) -> tuple[pd.PeriodIndex, np.ndarray]:
    """Months covering days d0..d0+n_days-1, and the month position of each day."""
    month_abs = np.arange(d0, d0 + n_days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    m0 = int(month_abs[0])
    n_months = int(month_abs[-1]) - m0 + 1
    months = pd.period_range(pd.Period(np.datetime64(m0, "M"), freq="M"), periods=n_months, freq="M")
    return months, month_abs - m0


def _count_unique_sorted(us: np.ndarray, ps: np.ndarray, n_p: int) -> np.ndarray:
    """Distinct users per period, from pairs sorted by user with ``ps`` non-decreasing within a user."""
    new = _run_starts(us) | _run_starts(ps)
    return np.bincount(ps[new], minlength=n_p).astype(np.int64)


def stickiness(
    events: pd.DataFrame,
    *,
    window: Literal["calendar_month", "trailing"] = "calendar_month",
    window_days: int = 30,
    user: str = "user_id",
    at: str = "event_time",
) -> pd.DataFrame:
    """Stickiness (粘性): average DAU over MAU.

    stickiness = mean(DAU over the days of the period) / MAU of the period

    It reads as "the share of its days that an active user of the period is
    active on": 1/30 ≈ 0.033 if everyone comes once a month, 1 if everyone
    comes every day. The period is a calendar month (``window="calendar_month"``)
    or the trailing ``window_days`` days ending on each day
    (``window="trailing"``). DAU is averaged over *every* calendar day of the
    period that lies inside the data (a day with no event counts as 0);
    at the edges of the data a calendar month is only partly observed and is
    averaged over its observed days (column ``days``). Trailing windows are
    only reported when complete. The common shortcut "today's DAU / MAU"
    swings with the weekday; averaging removes that. Days are Beijing days
    (a timezone-aware column is converted to Asia/Shanghai first).

    Parameters
    ----------
    events : DataFrame
        One row per event, with a user column and a datetime column.
    window : {"calendar_month", "trailing"}, default "calendar_month"
        Calendar months, or a trailing window of ``window_days`` days.
    window_days : int, default 30
        Length of the trailing window (ignored for calendar months).
    user : str, default "user_id"
        Column with the user id.
    at : str, default "event_time"
        Datetime column with the time of the event.

    Returns
    -------
    DataFrame
        Columns ``days`` (days averaged), ``avg_dau``, ``mau`` and
        ``stickiness``, indexed by ``month`` or by ``date``.

    Examples
    --------
    User 1 is active every day of a 4-day window, user 2 on one day:

    >>> ev = pd.DataFrame({"user_id": [1, 1, 1, 1, 2],
    ...     "event_time": pd.date_range("2024-03-01", periods=4, freq="D").append(pd.DatetimeIndex(["2024-03-02"]))})
    >>> stickiness(ev, window="trailing", window_days=4)
                days  avg_dau  mau  stickiness
    date
    2024-03-04     4     1.25    2       0.625
    """
    window_days = _check_window(window, window_days)
    us, ds, d0, n_days = _active_days(events, user, at)
    dau = np.bincount(ds, minlength=n_days).astype(np.float64)
    if window == "trailing":
        csum = np.concatenate([[0.0], np.cumsum(dau)])
        avg = (csum[window_days:] - csum[:-window_days]) / window_days
        mau, index = _trailing_windows(us, ds, d0, n_days, window_days)
        days = np.full(len(index), window_days, dtype=np.int64)
    else:
        index, month_of_day = _month_table(d0, n_days)
        index = index.rename("month")
        days = np.bincount(month_of_day, minlength=len(index)).astype(np.int64)
        avg = np.bincount(month_of_day, weights=dau, minlength=len(index)) / days
        mau = _count_unique_sorted(us, month_of_day[ds], len(index))
    out = pd.DataFrame({"days": days, "avg_dau": avg, "mau": mau.astype(np.int64)}, index=index)
    out["stickiness"] = safe_divide(out["avg_dau"], out["mau"])
    return out


# --------------------------------------------------------------------------- retention


def n_day_retention(
    events: pd.DataFrame,
    n: int,
    *,
    rule: Literal["exact", "on_or_after"] = "exact",
    day: Literal["calendar", "rolling"] = "calendar",
    observed_until: pd.Timestamp | str | None = None,
    user: str = "user_id",
    at: str = "event_time",
    cohorts: pd.DataFrame | None = None,
    cohort_at: str = "first_seen",
) -> pd.DataFrame:
    """N-day retention (N日留存, e.g. 次日留存 for N=1, 7日留存 for N=7) per birth cohort.

    retention(cohort, N) = users of the cohort active on day N / users of the cohort

    The cohort of a user is the calendar day of their first event in
    ``events`` ("birth" / first-time retention, 新增用户留存). Day 0 is the day
    of that first event. Two choices change the number a lot, and sources
    use both:

    * ``rule="exact"``: active on day N itself (the usual 次日/7日留存);
      ``"on_or_after"``: active on day N or any later day (unbounded
      retention; it grows as more data arrives, so compare it only over
      equal observation lengths).
    * ``day="calendar"``: day N is the N-th calendar day after the first
      event's day (a user first seen at 23:50 is "retained next day" at
      00:10); ``"rolling"``: day N is the 24-hour window
      [first event + N×24h, first event + (N+1)×24h).

    Right censoring: a user counts only if their day N has ended by
    ``observed_until``; cohorts with no such user are left out, instead of
    showing a falsely low rate. With ``day="rolling"`` and the default
    ``observed_until`` (midnight after the last event's day) the users of
    the last N days have no complete rolling day N yet, so a short export
    can give an empty table: that comes with an
    :class:`~nmops._validation.NmopsWarning` saying why; pass a later
    ``observed_until`` only if the data really runs that long.

    Who is in a cohort (the denominator): by default the users with an
    event in ``events``, placed by their first event; a user who signed up
    and never did anything is not counted, which flatters retention. Pass
    ``cohorts`` (one row per user with the time the user joined, such as
    the course's ``users`` table and its ``first_seen``) to use it instead:
    every user in it is counted from that time, with or without events;
    events of users not in it are ignored.

    Time zone: days are Beijing calendar days. A timezone-aware column is
    converted to Beijing time (Asia/Shanghai) first; naive times are taken
    as Beijing time already.

    Parameters
    ----------
    events : DataFrame
        One row per event, with a user column and a datetime column.
    n : int
        The day to look at (0 gives 100% by construction).
    rule : {"exact", "on_or_after"}, default "exact"
        Active on day N exactly, or on day N or later.
    day : {"calendar", "rolling"}, default "calendar"
        Calendar days or rolling 24-hour windows since the first event.
    observed_until : Timestamp or str, optional
        End of observation (exclusive). Default: midnight after the last
        event's day (the last day of data is taken as complete).
    user : str, default "user_id"
        Column with the user id.
    at : str, default "event_time"
        Datetime column with the time of the event.
    cohorts : DataFrame, optional
        Explicit cohort table: one row per user (column ``user``) with the
        time they joined (column ``cohort_at``). Default: cohorts from the
        first events.
    cohort_at : str, default "first_seen"
        Datetime column of ``cohorts`` (day 0 of each user).

    Returns
    -------
    DataFrame
        Columns ``cohort_size``, ``retained`` and ``retention`` (a share in
        [0, 1]), indexed by ``cohort`` (daily periods). The pooled rate over
        all cohorts is ``retained.sum() / cohort_size.sum()``.

    Examples
    --------
    User b arrives at 20:00 and returns 36 hours later, on the second
    calendar day but within the first rolling 24-hour day:

    >>> ev = pd.DataFrame({"user_id": ["a", "a", "b", "b", "c"],
    ...     "event_time": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 10:00",
    ...                           "2024-01-01 20:00", "2024-01-03 08:00", "2024-01-02 12:00"])})
    >>> n_day_retention(ev, 1)
                cohort_size  retained  retention
    cohort
    2024-01-01            2         1        0.5
    2024-01-02            1         0        0.0
    >>> n_day_retention(ev, 1, day="rolling")
                cohort_size  retained  retention
    cohort
    2024-01-01            2         2        1.0
    """
    n = _check_int(n, name="n", minimum=0)
    _check_choice(rule, ("exact", "on_or_after"), name="rule")
    _check_choice(day, ("calendar", "rolling"), name="day")
    what = "events 事件表"
    _require_frame(events, [user, at], what=what)
    ns = _time_ns(events[at], name=at, what=what)
    if cohorts is None:
        u, n_users = _user_codes(events[user], name=user, what=what)
        first_ns = np.full(n_users, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first_ns, u, ns)
        last_ns = int(ns.max())
    else:
        u, ns, first_ns = _explicit_cohorts(cohorts, events, ns, user=user, cohort_at=cohort_at, what=what)
        last_ns = int(max(ns.max(initial=np.iinfo(np.int64).min), first_ns.max()))
    present = first_ns != np.iinfo(np.int64).max
    first_day = first_ns // _DAY_NS
    if day == "calendar":
        offset = ns // _DAY_NS - first_day[u]
        window_end = (first_day + n + 1) * _DAY_NS
    else:
        offset = (ns - first_ns[u]) // _DAY_NS
        window_end = first_ns + (n + 1) * _DAY_NS
    hit = offset == n if rule == "exact" else offset >= n
    retained = np.zeros(len(first_ns), dtype=bool)
    retained[u[hit]] = True

    if observed_until is None:
        end = (last_ns // _DAY_NS + 1) * _DAY_NS
    else:
        end = _timestamp_ns(observed_until, name="observed_until")
    eligible = present & (window_end <= end)
    if not eligible.any():
        rolling = "滚动日（day='rolling'）从首次事件起算满 24 小时，最后几天的新用户还没有完整的第 N 天；" if day == "rolling" else ""
        warnings.warn(
            f"没有任何用户的第 {n} 天在观察截止时间 {pd.Timestamp(end)} 之前结束，结果是空表。{rolling}"
            f"请用更长的数据、更小的 n，或在数据确实覆盖到更晚时传入 observed_until。"
            f" / No user's day {n} ends by observed_until ({pd.Timestamp(end)}): the table is empty;"
            f" use longer data, a smaller n, or a later observed_until if the data really covers it.",
            NmopsWarning,
            stacklevel=2,
        )
        index = pd.PeriodIndex([], freq="D", name="cohort")
        out = pd.DataFrame({"cohort_size": np.array([], dtype=np.int64), "retained": np.array([], dtype=np.int64)}, index=index)
        out["retention"] = np.array([], dtype=np.float64)
        return out
    d0 = int(first_day[present].min())
    cohort = first_day[eligible] - d0
    size = np.bincount(cohort, minlength=1)
    kept = np.bincount(cohort, weights=retained[eligible], minlength=1).astype(np.int64)
    keep = size > 0
    index = pd.PeriodIndex(_day_index(d0, len(size))[keep], freq="D").rename("cohort")
    out = pd.DataFrame({"cohort_size": size[keep].astype(np.int64), "retained": kept[keep]}, index=index)
    out["retention"] = safe_divide(out["retained"], out["cohort_size"])
    return out


def _explicit_cohorts(cohorts, events, ns, *, user: str, cohort_at: str, what: str):
    """User codes and times of the events of cohort users, and each cohort user's day-0 time."""
    cw = "cohorts 同期群表"
    _require_frame(cohorts, [user, cohort_at], what=cw)
    _require_ids(cohorts[user], name=user, what=cw)
    _require_ids(events[user], name=user, what=what)
    if cohorts[user].duplicated().any():
        dup = cohorts.loc[cohorts[user].duplicated(), user].iloc[0]
        raise NmopsInputError(
            f"{cw}中用户 {dup!r} 出现了不止一次：每个用户应只有一行（加入时间）。"
            f" / {cw} has user {dup!r} more than once; one row per user (the time they joined)."
        )
    joined = _time_ns(cohorts[cohort_at], name=cohort_at, what=cw)
    codes, uniques = pd.factorize(pd.concat([cohorts[user], events[user]], ignore_index=True))
    c_codes, e_codes = codes[: len(cohorts)], codes[len(cohorts):]
    first_ns = np.full(len(uniques), np.iinfo(np.int64).max, dtype=np.int64)
    first_ns[c_codes] = joined
    in_cohort = first_ns[e_codes] != np.iinfo(np.int64).max  # events of users outside the table are ignored
    return e_codes[in_cohort].astype(np.int64), ns[in_cohort], first_ns


def _timestamp_ns(value, *, name: str) -> int:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise NmopsInputError(
            f"{name} 应该是一个时间点（如 '2024-03-01'），收到 {value!r}。"
            f" / {name} must be a timestamp such as '2024-03-01', got {value!r}."
        ) from exc
    if ts is pd.NaT:
        raise NmopsInputError(f"{name} 不能是缺失值 NaT。 / {name} must not be NaT.")
    if ts.tzinfo is not None:
        ts = ts.tz_convert(BEIJING).tz_localize(None)
    return int(ts.as_unit("ns").value)


def cohort_retention(
    events: pd.DataFrame,
    *,
    cohort_freq: Literal["day", "week", "month"] = "week",
    counts: bool = False,
    max_offset: int | None = None,
    user: str = "user_id",
    at: str = "event_time",
) -> pd.DataFrame:
    """Cohort retention table (同期群留存表): share of each cohort active k periods later.

    retention(c, k) = users of cohort c active in period c + k / users of cohort c

    A user's cohort is the period (day, week or calendar month) of their
    first event in ``events``; offset k counts whole periods from it, so
    column 0 is 100% by construction. Weeks run Monday to Sunday. A cell
    whose period lies after the period of the last event is unobserved
    (NaN), so the table is a triangle. The trap: the last period of the
    data is usually partial, so the last diagonal is too low; and "active
    in week k" (calendar periods) is not "active k×7 days after the first
    visit" (see :func:`n_day_retention`).

    Parameters
    ----------
    events : DataFrame
        One row per event, with a user column and a datetime column.
    cohort_freq : {"day", "week", "month"}, default "week"
        Length of a cohort and of an offset step.
    counts : bool, default False
        Return numbers of active users (column 0 = cohort size) instead of
        shares.
    max_offset : int, optional
        Keep offsets 0..max_offset only.
    user : str, default "user_id"
        Column with the user id.
    at : str, default "event_time"
        Datetime column with the time of the event.

    Returns
    -------
    DataFrame
        One row per cohort (``cohort``, periods), one column per offset
        (``offset`` 0, 1, ...). Shares are floats in [0, 1]; counts use the
        nullable ``Int64`` dtype; unobserved cells are missing.

    Examples
    --------
    >>> ev = pd.DataFrame({"user_id": ["a", "a", "b", "b", "c"],
    ...     "event_time": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 10:00",
    ...                           "2024-01-01 20:00", "2024-01-03 08:00", "2024-01-02 12:00"])})
    >>> cohort_retention(ev, cohort_freq="day")
    offset        0    1    2
    cohort
    2024-01-01  1.0  0.5  0.5
    2024-01-02  1.0  0.0  NaN
    >>> cohort_retention(ev, cohort_freq="day", counts=True)
    offset      0  1     2
    cohort
    2024-01-01  2  1     1
    2024-01-02  1  0  <NA>
    """
    _check_choice(cohort_freq, ("day", "week", "month"), name="cohort_freq")
    _check_bool(counts, name="counts")
    if max_offset is not None:
        max_offset = _check_int(max_offset, name="max_offset", minimum=0)
    u, day = _activity(events, user, at, "events 事件表")

    if cohort_freq == "day":
        period = day
    elif cohort_freq == "week":
        period = (day + 3) // 7  # 1970-01-01 is a Thursday: weeks start on Mondays
    else:
        d0 = int(day.min())
        n_days = int(day.max()) - d0 + 1
        month_abs = np.arange(d0, d0 + n_days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        period = month_abs[day - d0]
    p0 = int(period.min())
    n_p = int(period.max()) - p0 + 1
    us, ps = _unique_pairs(u, period - p0, n_p)
    del u, period, day
    starts = np.flatnonzero(_run_starts(us))
    first = np.repeat(ps[starts], np.diff(np.append(starts, len(us))))
    cells = np.bincount(first * n_p + (ps - first), minlength=n_p * n_p).reshape(n_p, n_p)
    size = cells[:, 0]
    observed = np.arange(n_p)[None, :] < (n_p - np.arange(n_p))[:, None]
    rows = size > 0
    cells, observed, size = cells[rows], observed[rows], size[rows]

    start_day = _period_start_days(np.arange(p0, p0 + n_p)[rows], cohort_freq)
    code = {"day": "D", "week": "W-SUN", "month": "M"}[cohort_freq]
    index = pd.DatetimeIndex(start_day.astype("datetime64[D]").astype("datetime64[ns]")).to_period(code)
    columns = pd.RangeIndex(n_p, name="offset")
    if counts:
        values = pd.DataFrame(cells, index=index.rename("cohort"), columns=columns).astype("Int64")
        out = values.where(observed)
    else:
        rates = np.where(observed, cells / size[:, None], np.nan)
        out = pd.DataFrame(rates, index=index.rename("cohort"), columns=columns)
    if max_offset is not None:
        out = out.loc[:, : max_offset]
    return out


def _period_start_days(period_abs: np.ndarray, freq: str) -> np.ndarray:
    """First day (days since 1970-01-01) of absolute day / Monday-week / month codes."""
    if freq == "day":
        return period_abs
    if freq == "week":
        return period_abs * 7 - 3
    return period_abs.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
