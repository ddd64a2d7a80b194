"""Tests for nmops.metrics.retention: DAU, MAU, stickiness, N-day and cohort retention.

Expected values are computed by hand from the definitions on a small frame
(see the comments), or by a plain-pandas reference written differently
(groupby / drop_duplicates / Period arithmetic), or are properties.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.retention import (
    cohort_retention,
    daily_active_users,
    monthly_active_users,
    n_day_retention,
    stickiness,
)

# a: Jan 1 09:00, Jan 2 10:00, Jan 8 12:00   (first day Jan 1)
# b: Jan 1 20:00, Jan 3 08:00                (first day Jan 1)
# c: Jan 2 12:00                             (first day Jan 2)
# d: Jan 8 23:00, Jan 9 00:30                (first day Jan 8)
EVENTS = pd.DataFrame(
    {
        "user_id": ["a", "a", "a", "b", "b", "c", "d", "d"],
        "event_time": pd.to_datetime(
            [
                "2024-01-01 09:00", "2024-01-02 10:00", "2024-01-08 12:00",
                "2024-01-01 20:00", "2024-01-03 08:00",
                "2024-01-02 12:00",
                "2024-01-08 23:00", "2024-01-09 00:30",
            ]
        ),
        "event": ["visit"] * 8,
    }
)


def _days(start: str, n: int) -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, freq="D")


# --------------------------------------------------------------------------- DAU / MAU / stickiness


def test_dau_by_hand():
    dau = daily_active_users(EVENTS)
    # Jan 1: a,b; Jan 2: a,c; Jan 3: b; Jan 4-7: nobody; Jan 8: a,d; Jan 9: d
    assert dau.tolist() == [2, 2, 1, 0, 0, 0, 0, 2, 1]
    assert list(dau.index) == list(_days("2024-01-01", 9))
    assert dau.name == "dau"


def test_dau_counts_people_not_events():
    ev = pd.DataFrame({"user_id": [1, 1, 1], "event_time": pd.to_datetime(["2024-01-01 01:00", "2024-01-01 02:00", "2024-01-01 03:00"])})
    assert daily_active_users(ev).tolist() == [1]


def test_dau_custom_columns_and_timezone_wall_clock():
    # 23:30 and 00:30 Shanghai time are two calendar days there (one UTC day).
    ev = pd.DataFrame(
        {"uid": [1, 2], "ts": pd.to_datetime(["2024-01-01 23:30", "2024-01-02 00:30"]).tz_localize("Asia/Shanghai")}
    )
    dau = daily_active_users(ev, user="uid", at="ts")
    assert dau.tolist() == [1, 1]
    assert dau.index[0] == pd.Timestamp("2024-01-01")


def test_dau_accepts_microsecond_resolution():
    ev = EVENTS.assign(event_time=EVENTS["event_time"].astype("datetime64[us]"))
    assert daily_active_users(ev).tolist() == [2, 2, 1, 0, 0, 0, 0, 2, 1]


def test_mau_calendar_month_by_hand():
    ev = pd.DataFrame(
        {"user_id": [1, 2, 1, 3, 3], "event_time": pd.to_datetime(["2024-01-31", "2024-01-31", "2024-02-01", "2024-03-15", "2024-03-16"])}
    )
    mau = monthly_active_users(ev)
    assert mau.tolist() == [2, 1, 1]
    assert list(mau.index.astype(str)) == ["2024-01", "2024-02", "2024-03"]


def test_mau_trailing_by_hand():
    # window 3 days, complete windows end Jan 3 .. Jan 9
    mau = monthly_active_users(EVENTS, window="trailing", window_days=3)
    assert mau.tolist() == [3, 3, 1, 0, 0, 2, 2]
    assert list(mau.index) == list(_days("2024-01-03", 7))


def test_mau_trailing_window_longer_than_data_is_empty():
    assert len(monthly_active_users(EVENTS, window="trailing", window_days=30)) == 0


def test_stickiness_calendar_month_by_hand():
    s = stickiness(EVENTS)
    # 9 observed days in January, DAU sum 8, MAU 4 users
    assert s["days"].tolist() == [9]
    assert s["avg_dau"].iloc[0] == pytest.approx(8 / 9)
    assert s["mau"].tolist() == [4]
    assert s["stickiness"].iloc[0] == pytest.approx(2 / 9)


def test_stickiness_trailing_by_hand_with_empty_windows():
    s = stickiness(EVENTS, window="trailing", window_days=3)
    assert s["mau"].tolist() == [3, 3, 1, 0, 0, 2, 2]
    assert s["avg_dau"].tolist() == pytest.approx([5 / 3, 1, 1 / 3, 0, 0, 2 / 3, 1])
    expected = [5 / 9, 1 / 3, 1 / 3, np.nan, np.nan, 1 / 3, 1 / 2]  # empty window: 0/0 -> NaN, not inf
    np.testing.assert_allclose(s["stickiness"].to_numpy(), expected)
    assert (s["days"] == 3).all()


def test_stickiness_two_months_partial_edges():
    # Jan 30 - Feb 2: 2 observed days per month
    ev = pd.DataFrame(
        {"user_id": [1, 1, 2, 1], "event_time": pd.to_datetime(["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02"])}
    )
    s = stickiness(ev)
    assert s["days"].tolist() == [2, 2]
    assert s["avg_dau"].tolist() == [1.0, 1.0]
    assert s["mau"].tolist() == [1, 2]
    assert s["stickiness"].tolist() == [1.0, 0.5]


# --------------------------------------------------------------------------- N-day retention


def test_next_day_retention_calendar_by_hand():
    r = n_day_retention(EVENTS, 1)
    # Jan 1 cohort {a, b}: a back on Jan 2, b only on Jan 3 -> 1/2; Jan 2 {c}: 0/1; Jan 8 {d}: back Jan 9 -> 1/1
    assert list(r.index.astype(str)) == ["2024-01-01", "2024-01-02", "2024-01-08"]
    assert r["cohort_size"].tolist() == [2, 1, 1]
    assert r["retained"].tolist() == [1, 0, 1]
    assert r["retention"].tolist() == [0.5, 0.0, 1.0]


def test_next_day_retention_rolling_by_hand():
    r = n_day_retention(EVENTS, 1, day="rolling")
    # a: +25 h -> rolling day 1; b: +36 h -> day 1; c: never back; d: +1.5 h is still day 0.
    # d's day 1 ends Jan 10 23:00, after the end of observation (Jan 10 00:00): d is censored.
    assert list(r.index.astype(str)) == ["2024-01-01", "2024-01-02"]
    assert r["cohort_size"].tolist() == [2, 1]
    assert r["retention"].tolist() == [1.0, 0.0]


def test_day_n_exact_vs_on_or_after_by_hand():
    exact = n_day_retention(EVENTS, 2)
    later = n_day_retention(EVENTS, 2, rule="on_or_after")
    # day 2 of Jan 1 is Jan 3: b yes, a no (a comes back on day 7). d's day 2 (Jan 10) is unobserved.
    assert exact["retention"].tolist() == [0.5, 0.0]
    assert later["retention"].tolist() == [1.0, 0.0]
    assert list(later.index.astype(str)) == ["2024-01-01", "2024-01-02"]


def test_observed_until_censors_cohorts():
    r = n_day_retention(EVENTS, 1, observed_until="2024-01-05")
    # a cohort counts only if its day 1 ends by Jan 5 00:00: first day <= Jan 3
    assert list(r.index.astype(str)) == ["2024-01-01", "2024-01-02"]


def test_day_zero_is_one():
    r = n_day_retention(EVENTS, 0)
    assert r["cohort_size"].tolist() == [2, 1, 1]
    assert (r["retention"] == 1.0).all()


# --------------------------------------------------------------------------- cohort table


def test_cohort_table_daily_by_hand():
    t = cohort_retention(EVENTS, cohort_freq="day", counts=True)
    assert list(t.index.astype(str)) == ["2024-01-01", "2024-01-02", "2024-01-08"]
    assert list(t.columns) == list(range(9))
    # Jan 1 {a, b}: day 0 both, day 1 a, day 2 b, day 7 a; observed up to day 8
    assert t.loc["2024-01-01"].tolist() == [2, 1, 1, 0, 0, 0, 0, 1, 0]
    # Jan 2 {c}: observed up to day 7
    row = t.loc["2024-01-02"]
    assert row.iloc[:8].tolist() == [1, 0, 0, 0, 0, 0, 0, 0] and row.isna().tolist() == [False] * 8 + [True]
    # Jan 8 {d}: day 0 and day 1 (Jan 9 00:30), then unobserved
    row = t.loc["2024-01-08"]
    assert row.iloc[:2].tolist() == [1, 1] and row.iloc[2:].isna().all()
    assert str(t.dtypes.iloc[0]) == "Int64"

    rates = cohort_retention(EVENTS, cohort_freq="day")
    assert rates.loc["2024-01-01"].tolist() == [1.0, 0.5, 0.5, 0, 0, 0, 0, 0.5, 0]


def test_cohort_table_weekly_by_hand():
    t = cohort_retention(EVENTS, cohort_freq="week")
    # Mon Jan 1 - Sun Jan 7: {a, b, c}; only a returns in week 2. Week of Jan 8: {d}
    assert list(t.index.astype(str)) == ["2024-01-01/2024-01-07", "2024-01-08/2024-01-14"]
    assert t.iloc[0].tolist() == [1.0, pytest.approx(1 / 3)]
    assert t.iloc[1, 0] == 1.0 and np.isnan(t.iloc[1, 1])


def test_cohort_table_monthly_and_max_offset():
    ev = pd.DataFrame(
        {"user_id": [1, 1, 2, 2, 3], "event_time": pd.to_datetime(["2024-01-31", "2024-03-01", "2024-02-10", "2024-02-11", "2024-03-05"])}
    )
    t = cohort_retention(ev, cohort_freq="month", counts=True)
    # Jan {1}: back in March (offset 2); Feb {2}: not back; Mar {3}
    assert t.loc["2024-01"].tolist() == [1, 0, 1]
    assert t.loc["2024-02"].iloc[:2].tolist() == [1, 0]
    assert list(cohort_retention(ev, cohort_freq="month", max_offset=1).columns) == [0, 1]


# --------------------------------------------------------------------------- properties

_event_rows = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 75), st.integers(0, 23)), min_size=1, max_size=60
)


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user_id": [u for u, _, _ in rows],
            "event_time": [pd.Timestamp("2024-01-29") + pd.Timedelta(days=d, hours=h) for _, d, h in rows],
        }
    )


def _reference_counts(ev: pd.DataFrame, code: str) -> pd.Series:
    """Plain pandas: active users per (cohort period, offset), Period arithmetic."""
    df = ev.assign(p=ev["event_time"].dt.to_period(code))
    df["cohort"] = df.groupby("user_id")["p"].transform("min")
    df["offset"] = [(p - c).n for p, c in zip(df["p"], df["cohort"])]
    return df.drop_duplicates(["user_id", "offset"]).groupby(["cohort", "offset"]).size()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_event_rows, st.sampled_from([("day", "D"), ("week", "W-SUN"), ("month", "M")]))
def test_cohort_counts_match_plain_pandas(rows, freq):
    ev = _frame(rows)
    name, code = freq
    got = cohort_retention(ev, cohort_freq=name, counts=True)
    ref = _reference_counts(ev, code)
    cells = got.stack().dropna()
    cells = cells[cells > 0].astype(np.int64)
    cells.index = cells.index.set_names(["cohort", "offset"])
    pd.testing.assert_series_equal(cells.sort_index(), ref.sort_index(), check_names=False)


@settings(max_examples=60, deadline=None)
@given(_event_rows, st.sampled_from(["day", "week", "month"]))
def test_cohort_rates_day0_is_one_and_in_unit_interval(rows, freq):
    t = cohort_retention(_frame(rows), cohort_freq=freq)
    assert (t[0] == 1.0).all()
    values = t.to_numpy().ravel()
    values = values[~np.isnan(values)]
    assert ((values >= 0) & (values <= 1)).all()
    # the triangle: the last cohort has exactly one observed cell if it is in the last period
    assert t.notna().sum(axis=1).is_monotonic_decreasing


@pytest.mark.filterwarnings("ignore::nmops._validation.NmopsWarning")  # short random data: empty tables warn
@settings(max_examples=60, deadline=None)
@given(_event_rows, st.integers(0, 10))
def test_n_day_exact_calendar_equals_daily_cohort_column(rows, n):
    ev = _frame(rows)
    r = n_day_retention(ev, n)
    t = cohort_retention(ev, cohort_freq="day")
    if n not in t.columns:  # day n is after the end of the data for every cohort
        assert len(r) == 0
        return
    pd.testing.assert_series_equal(r["retention"], t[n].dropna(), check_names=False, check_freq=False)
    assert ((r["retention"] >= 0) & (r["retention"] <= 1)).all()


@pytest.mark.filterwarnings("ignore::nmops._validation.NmopsWarning")  # short random data: empty tables warn
@settings(max_examples=60, deadline=None)
@given(_event_rows, st.integers(1, 6), st.sampled_from(["calendar", "rolling"]))
def test_on_or_after_is_at_least_exact(rows, n, day):
    ev = _frame(rows)
    exact = n_day_retention(ev, n, day=day)
    later = n_day_retention(ev, n, day=day, rule="on_or_after")
    assert (later["retained"] >= exact["retained"]).all()
    assert ((later["retention"] >= 0) & (later["retention"] <= 1)).all()


@settings(max_examples=60, deadline=None)
@given(_event_rows, st.integers(1, 10))
def test_dau_trailing_mau_and_stickiness_match_brute_force(rows, w):
    ev = _frame(rows)
    day = ev["event_time"].dt.normalize()
    dau = daily_active_users(ev)
    ref = ev.groupby(day)["user_id"].nunique().reindex(pd.date_range(day.min(), day.max()), fill_value=0)
    np.testing.assert_array_equal(dau.to_numpy(), ref.to_numpy())

    s = stickiness(ev, window="trailing", window_days=w)
    brute_mau = [ev.loc[(day > d - pd.Timedelta(days=w)) & (day <= d), "user_id"].nunique() for d in s.index]
    brute_avg = [ref.loc[d - pd.Timedelta(days=w - 1) : d].mean() for d in s.index]
    assert s["mau"].tolist() == brute_mau
    np.testing.assert_allclose(s["avg_dau"].to_numpy(), brute_avg)
    ok = s["stickiness"].dropna()
    assert ((ok >= 1 / w - 1e-12) & (ok <= 1)).all()

    m = stickiness(ev)
    active = m[m["mau"] > 0]  # a month inside the data with nobody active is 0/0 -> NaN
    assert m.loc[m["mau"] == 0, "stickiness"].isna().all()
    assert ((active["stickiness"] >= 1 / active["days"] - 1e-12) & (active["stickiness"] <= 1)).all()
    month = ev["event_time"].dt.to_period("M")
    ref_mau = ev.groupby(month)["user_id"].nunique().reindex(pd.period_range(month.min(), month.max()), fill_value=0)
    assert m["mau"].tolist() == ref_mau.tolist()


# --------------------------------------------------------------------------- bad input

ALL = [
    lambda df, **kw: daily_active_users(df, **kw),
    lambda df, **kw: monthly_active_users(df, **kw),
    lambda df, **kw: stickiness(df, **kw),
    lambda df, **kw: n_day_retention(df, 1, **kw),
    lambda df, **kw: cohort_retention(df, **kw),
]


@pytest.mark.parametrize("fn", ALL)
def test_missing_column_is_named(fn):
    with pytest.raises(NmopsInputError, match="缺少列：event_time"):
        fn(EVENTS.drop(columns="event_time"))


@pytest.mark.parametrize("fn", ALL)
def test_text_dates_are_refused(fn):
    with pytest.raises(NmopsInputError, match="pd.to_datetime"):
        fn(EVENTS.assign(event_time=EVENTS["event_time"].astype(str)))


@pytest.mark.parametrize("fn", ALL)
def test_missing_dates_and_users_are_refused(fn):
    with pytest.raises(NmopsInputError, match="NaT"):
        fn(EVENTS.assign(event_time=EVENTS["event_time"].where(EVENTS.index != 2)))
    with pytest.raises(NmopsInputError, match="缺失值"):
        fn(EVENTS.assign(user_id=EVENTS["user_id"].where(EVENTS.index != 2)))


@pytest.mark.parametrize("fn", ALL)
def test_empty_frame_is_refused(fn):
    with pytest.raises(NmopsInputError, match="空表"):
        fn(EVENTS.iloc[:0])


def test_not_a_dataframe_is_refused():
    with pytest.raises(NmopsInputError, match="DataFrame"):
        daily_active_users(EVENTS["event_time"])


@pytest.mark.parametrize(
    "call, word",
    [
        (lambda: monthly_active_users(EVENTS, window="week"), "window"),
        (lambda: stickiness(EVENTS, window="rolling"), "window"),
        (lambda: stickiness(EVENTS, window="trailing", window_days=0), "window_days"),
        (lambda: monthly_active_users(EVENTS, window="trailing", window_days=2.5), "window_days"),
        (lambda: n_day_retention(EVENTS, -1), "n "),
        (lambda: n_day_retention(EVENTS, 1.0), "n "),
        (lambda: n_day_retention(EVENTS, 1, rule="within"), "rule"),
        (lambda: n_day_retention(EVENTS, 1, day="24h"), "day"),
        (lambda: n_day_retention(EVENTS, 1, observed_until="next week"), "observed_until"),
        (lambda: cohort_retention(EVENTS, cohort_freq="W"), "cohort_freq"),
        (lambda: cohort_retention(EVENTS, counts="yes"), "counts"),
        (lambda: cohort_retention(EVENTS, max_offset=-1), "max_offset"),
    ],
)
def test_bad_parameters_are_refused(call, word):
    with pytest.raises(NmopsInputError, match=word):
        call()
