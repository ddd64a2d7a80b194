"""The data-only answer exchange between the sandbox and the clean test process (nmops.grading.exchange)."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest

from nmops.grading import check_frame, check_mapping, check_number, check_series
from nmops.grading.exchange import MAX_DEPTH, ExchangeError, Unsupported, decode, encode


def _round_trip(value):
    return decode(json.loads(json.dumps(encode(value), ensure_ascii=False)))


SCALARS = [None, True, 3, 10**30, -7, 1.5, -0.0, float("inf"), "文字", np.int64(5), np.uint8(7), np.float32(1.25),
           np.bool_(False), [1, [2, "a"]], (1, "b"), {1, 2}, frozenset({"a"}), {"小白": {"工作量"}, 2: None},
           pd.Timestamp("2024-03-04 10:00"), pd.Timestamp("2024-03-04", tz="Asia/Shanghai").as_unit("s"),
           pd.NaT, pd.Period("2024-03", "M"), pd.Timedelta("3h"), dt.date(2024, 1, 2), dt.datetime(2024, 1, 2, 3),
           dt.timedelta(days=2, seconds=5)]


@pytest.mark.parametrize("value", SCALARS, ids=lambda v: type(v).__name__)
def test_scalars_and_containers_round_trip_with_their_exact_type(value):
    back = _round_trip(value)
    assert type(back) is type(value)
    assert back is pd.NaT if value is pd.NaT else back == value
    if type(value) is float:
        assert repr(back) == repr(value)


def test_nan_round_trips():
    assert math.isnan(_round_trip(float("nan")))
    assert type(_round_trip(np.float64("nan"))) is np.float64


def _frame():
    return pd.DataFrame({
        "i": [1, 2, 3], "f": [1.5, np.nan, 3.0], "s": pd.Series(["a", None, "c"], dtype="str"),
        "S": pd.array(["a", None, "b"], dtype="string"),
        "cat": pd.Categorical(["x", "y", "x"], categories=["y", "x", "z"], ordered=True),
        "d": pd.to_datetime(["2024-01-01", None, "2024-01-03"]),
        "dtz": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]).tz_localize("Asia/Shanghai"),
        "p": pd.period_range("2024-01", periods=3, freq="M"), "I": pd.array([1, None, 3], dtype="Int64"),
        "b": [True, False, True], "B": pd.array([True, None, False], dtype="boolean"),
        "td": pd.to_timedelta([1, 2, 3], unit="h"), "o": [1, "a", None],
    }, index=pd.Index(["r1", "r2", "r3"], name="行"))


@pytest.mark.parametrize("make", [
    _frame, lambda: _frame().set_index(["s", "i"]), lambda: _frame()["cat"], lambda: _frame().set_index("d")["f"],
    lambda: _frame().set_index("p")["I"], lambda: _frame().iloc[:0], pd.DataFrame,
    lambda: pd.Series([], dtype="float64"), lambda: pd.Series([1, 2], index=pd.RangeIndex(5, 7, name="n")),
], ids=["frame", "multiindex", "category", "datetime-index", "period-index", "empty-rows", "empty", "empty-series",
        "rangeindex"])
def test_pandas_objects_round_trip_exactly(make):
    value = make()
    back = _round_trip(value)
    assert type(back) is type(value)
    if isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(back, value, check_exact=True, check_index_type=True, check_column_type=True)
    else:
        pd.testing.assert_series_equal(back, value, check_exact=True, check_index_type=True)


def test_a_weekly_table_from_unstack_keeps_its_categorical_column_labels():
    """A level-01 answer: groupby(week, channel).size().unstack() has categorical column labels and a weekly index."""
    posts = pd.DataFrame({
        "published_at": pd.to_datetime(["2025-09-01 09:00", "2025-09-03 20:00", "2025-09-09 12:00"]),
        "channel": pd.Categorical(["wechat", "weibo", "wechat"], categories=["wechat", "weibo", "zhihu"]),
    })
    table = (posts.groupby([pd.Grouper(key="published_at", freq="W-MON", label="left", closed="left"), "channel"],
                           observed=True).size().unstack("channel", fill_value=0))
    assert type(table.columns) is pd.CategoricalIndex and table.index.freq is not None
    back = _round_trip(table)
    assert type(back.columns) is pd.CategoricalIndex
    assert list(back.columns.categories) == ["wechat", "weibo", "zhihu"]
    # Only the index's freq is not carried: the checks compare labels and values, never freq.
    pd.testing.assert_frame_equal(back, table, check_exact=True, check_column_type=True, check_freq=False)
    check_frame(back, table.rename(columns=str), name="originals_per_week")


def test_impersonators_and_code_become_unsupported_and_fail_the_checks():
    class int64(np.int64):  # noqa: N801  (pretends to be numpy's)
        __module__ = "numpy"

        def __eq__(self, other):
            return True

    class LyingDict(dict):
        def __eq__(self, other):
            return True

    for value in (int64(3), LyingDict(a=1), lambda: 3, pd.Series, np.array(["a"]), pd.Series([1], dtype=object).index):
        back = _round_trip(value)
        if not isinstance(value, pd.Index):
            assert type(back) is Unsupported, value
    with pytest.raises(AssertionError):
        check_number(_round_trip(int64(3)), 3, name="x")
    with pytest.raises(AssertionError):
        check_mapping(_round_trip(LyingDict(a=1)), {"a": 1}, name="x")


def test_decoded_values_pass_the_strict_checks():
    check_number(_round_trip(np.int64(5)), 5, name="n", integer=True)
    series = pd.Series([1.5, 2.5], index=pd.Index(["a", "b"], dtype="str"), name="x")
    check_series(_round_trip(series), series, name="x")


@pytest.mark.parametrize("bad", [
    {"t": "pickle", "v": "gASV"}, {"t": "int", "v": "9" * 5000}, {"t": "int", "v": 3}, {"t": "float", "v": "x"},
    {"t": "np", "dtype": "object", "v": "1"}, {"t": "dict", "v": [[{"t": "none"}]]}, [], "str",
    {"t": "series", "index": {"kind": "eval"}, "array": {}, "name": {"t": "none"}},
    {"t": "frame", "index": {"kind": "range", "range": [0, 1, 1], "name": {"t": "none"}},
     "columns": {"kind": "range", "range": [0, 2, 1], "name": {"t": "none"}}, "data": []},
    {"t": "series", "index": {"kind": "range", "range": [0, 1, 1], "name": {"t": "none"}}, "name": {"t": "none"},
     "array": {"dtype": "category", "ordered": False, "codes": [7],
               "categories": {"kind": "range", "range": [0, 1, 1], "name": {"t": "none"}}}},
])
def test_malformed_input_is_refused(bad):
    with pytest.raises(ExchangeError):
        decode(bad)


def test_nesting_is_bounded():
    deep: dict = {"t": "none"}
    for _ in range(MAX_DEPTH + 5):
        deep = {"t": "list", "v": [deep]}
    with pytest.raises(ExchangeError):
        decode(deep)
    nested: list = []
    for _ in range(MAX_DEPTH + 5):
        nested = [nested]
    assert "unsupported" in json.dumps(encode(nested))
