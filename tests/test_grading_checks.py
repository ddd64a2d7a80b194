"""Answer checks in nmops.grading: exact types first, values second, Chinese messages that keep the answer secret.

Expected outcomes are worked out by hand from the definitions (e.g. the week
of posts in assignment 00 has 3 original articles read 812 + 1046 + 655 =
2513 times), or are properties checked with hypothesis.
"""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops.grading import check_frame, check_mapping, check_number, check_series, check_set, require_number


# --- objects that lie about equality (grading.md: they fooled `assert answer == expected`) ---

class LiarInt(int):
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return 0

    __hash__ = int.__hash__


class LiarFloat(float):
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return 0.0

    __hash__ = float.__hash__


class LiarObject:
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return 0

    def __abs__(self):
        return 0

    __hash__ = object.__hash__


class LiarStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class LiarSet(set):
    def __eq__(self, other):
        return True


class LiarDict(dict):
    def __eq__(self, other):
        return True


class LiarSeries(pd.Series):
    def __eq__(self, other):
        return True

    def equals(self, other):
        return True


class LiarFrame(pd.DataFrame):
    def __eq__(self, other):
        return True

    def equals(self, other):
        return True


SERIES = pd.Series({"微博": 214, "微信公众号": 84})
FRAME = pd.DataFrame({"reads": [812, 1046, 655], "reposts": [23, 37, 9]}, index=["a", "b", "c"])

EQ = lambda a, e: a == e  # noqa: E731
NUM = lambda a, e: a == e and abs(a - e) < 1e-9  # noqa: E731
ANY_MATCH = lambda a, e: len(a) == len(e) and all(any(x == y for x in a) for y in e)  # noqa: E731

# (check, liar, expected, a naive test the liar passes)
LIARS = [
    pytest.param(check_number, LiarInt(1), 3, NUM, id="number-int-subclass"),
    pytest.param(check_number, LiarFloat(1.0), 3.0, NUM, id="number-float-subclass"),
    pytest.param(check_number, LiarObject(), 3, NUM, id="number-object"),
    pytest.param(check_set, LiarSet(), {"微博", "微信"}, EQ, id="set-subclass"),
    pytest.param(check_set, {LiarStr("x"), LiarStr("y")}, {"微博", "微信"}, ANY_MATCH, id="set-of-str-subclass"),
    pytest.param(check_set, LiarObject(), {"微博"}, EQ, id="set-object"),
    pytest.param(check_mapping, LiarDict(), {"小白": {"工作量"}}, EQ, id="dict-subclass"),
    pytest.param(check_mapping, {"小白": LiarSet()}, {"小白": {"工作量"}},
                 lambda a, e: all(a[k] == v for k, v in e.items()), id="dict-with-set-subclass"),
    pytest.param(check_mapping, {LiarStr("小白x"): {"工作量"}}, {"小白": {"工作量"}}, ANY_MATCH,
                 id="dict-with-str-subclass-key"),
    pytest.param(check_mapping, {"n": LiarInt(0)}, {"n": 3}, lambda a, e: NUM(a["n"], e["n"]), id="dict-with-int-subclass"),
    pytest.param(check_mapping, LiarObject(), {"n": 3}, EQ, id="dict-object"),
    pytest.param(check_series, LiarSeries([0, 0], index=["微博", "微信公众号"]), SERIES,
                 lambda a, e: a.equals(e), id="series-subclass"),
    pytest.param(check_series, pd.Series([LiarObject(), LiarObject()], index=["微博", "微信公众号"]), SERIES,
                 lambda a, e: bool((a == e).all()), id="series-of-objects"),
    pytest.param(check_series, LiarObject(), SERIES, EQ, id="series-object"),
    pytest.param(check_frame, LiarFrame({"reads": [0, 0, 0], "reposts": [0, 0, 0]}, index=["a", "b", "c"]), FRAME,
                 lambda a, e: a.equals(e), id="frame-subclass"),
    pytest.param(check_frame, LiarObject(), FRAME, EQ, id="frame-object"),
]


@pytest.mark.parametrize("check, liar, expected, naive", LIARS)
def test_every_check_refuses_objects_that_override_eq(check, liar, expected, naive):
    assert naive(liar, expected)  # the trap is real: a naive test would give the points
    with pytest.raises(AssertionError):
        check(liar, expected, name="答案")


# --- check_number ---------------------------------------------------------------------

@pytest.mark.parametrize("answer", [3, 3.0, np.int64(3), np.int32(3), np.float64(3.0), np.float32(3.0)])
def test_check_number_accepts_plain_and_numpy_numbers(answer):
    check_number(answer, 3, name="n")


@pytest.mark.parametrize("answer, hint", [
    (True, "布尔值"), (np.bool_(True), "bool"), ("3", "文字"), (None, "None"),
    (pd.Series([3]), "pd.Series"), (pd.DataFrame({"a": [3]}), "pd.DataFrame"), ([3], "列表"), (3 + 0j, "complex"),
])
def test_check_number_refuses_non_numbers_naming_the_type(answer, hint):
    with pytest.raises(AssertionError, match="应该是一个数字") as info:
        check_number(answer, 1, name="n_original")
    assert hint in str(info.value) and "n_original" in str(info.value)


def test_check_number_compares_values_and_hides_the_expected_one():
    check_number(2513, 2513, name="original_reads", integer=True)
    with pytest.raises(AssertionError) as info:
        check_number(3717, 2513, name="original_reads", integer=True)  # 转载文章的阅读也算进去了
    message = str(info.value)
    assert "original_reads" in message and "3717" in message and "2513" not in message


def test_check_number_integer_flag_refuses_floats_even_when_equal():
    check_number(np.int64(3), 3, name="n", integer=True)
    with pytest.raises(AssertionError, match="应该是整数"):
        check_number(3.0, 3, name="n", integer=True)


def test_check_number_tolerance():
    check_number(0.1 + 0.2, 0.3, name="rate")  # floating-point noise only
    check_number(100.5, 100, name="x", rel_tol=0.01)
    with pytest.raises(AssertionError):
        check_number(102, 100, name="x", rel_tol=0.01)
    with pytest.raises(AssertionError):
        check_number(0.30001, 0.3, name="rate")
    check_number(0.0004, 0.0, name="x", abs_tol=1e-3)


def test_check_number_nan_and_inf():
    check_number(float("nan"), float("nan"), name="rate")  # zero denominator -> NaN on both sides
    check_number(np.float64("nan"), math.nan, name="rate")
    with pytest.raises(AssertionError, match="NaN"):
        check_number(float("nan"), 0.12, name="rate")
    with pytest.raises(AssertionError, match="数值不对"):
        check_number(0.0, float("nan"), name="rate")
    with pytest.raises(AssertionError):
        check_number(float("inf"), 0.12, name="rate")


def test_check_number_refuses_a_bad_expected_value():
    with pytest.raises(TypeError):
        check_number(3, "3", name="n")


def test_require_number_checks_format_only():
    require_number(12345, name="n", integer=True)  # any value: format only
    with pytest.raises(AssertionError, match="应该是一个数字"):
        require_number("12345", name="n")


# --- check_set --------------------------------------------------------------------------

def test_check_set_accepts_sets_and_frozensets_in_any_order():
    check_set({"微信", "微博"}, {"微博", "微信"}, name="c")
    check_set(frozenset({"微博", "微信"}), {"微博", "微信"}, name="c")
    check_set({np.int64(1), 2}, {1, 2}, name="c")


def test_check_set_names_extras_counts_missing_and_hides_the_expected_members():
    with pytest.raises(AssertionError) as info:
        check_set({"微博", "知乎"}, {"微博", "微信", "今日头条"}, name="channels")
    message = str(info.value)
    assert "知乎" in message and "还少 2 项" in message
    assert "微信" not in message and "今日头条" not in message


@pytest.mark.parametrize("answer", [["微博", "微信"], ("微博", "微信"), "微博微信", {"微博": 1, "微信": 2}])
def test_check_set_refuses_other_containers(answer):
    with pytest.raises(AssertionError, match="应该是集合 set"):
        check_set(answer, {"微博", "微信"}, name="channels")


def test_check_set_does_not_confuse_true_with_one():
    with pytest.raises(AssertionError):
        check_set({True}, {1}, name="s")


# --- check_mapping ------------------------------------------------------------------------

LEVEL_KPIS = {
    "小白": {"工作量", "曝光量"},
    "初级": {"工作量", "曝光量", "活动参与人数", "流量"},
    "中级": {"流量", "用户粘性"},
    "高级": {"流量", "转化率", "用户粘性"},
}


def test_check_mapping_accepts_standard_dict_types():
    check_mapping({k: set(v) for k, v in reversed(LEVEL_KPIS.items())}, LEVEL_KPIS, name="level_kpis")
    check_mapping(OrderedDict(LEVEL_KPIS), LEVEL_KPIS, name="level_kpis")
    dd = defaultdict(set)
    for k, v in LEVEL_KPIS.items():
        dd[k] |= v
    check_mapping(dd, LEVEL_KPIS, name="level_kpis")


def test_check_mapping_points_at_the_wrong_level_without_the_answer():
    wrong = {**LEVEL_KPIS, "初级": LEVEL_KPIS["初级"] | {"转化率"}}
    with pytest.raises(AssertionError) as info:
        check_mapping(wrong, LEVEL_KPIS, name="level_kpis")
    assert str(info.value) == "level_kpis['初级'] 不对：多出了 转化率。"


def test_check_mapping_keys():
    with pytest.raises(AssertionError, match="多出了键 专家；还少 1 个键"):
        check_mapping({**{k: v for k, v in LEVEL_KPIS.items() if k != "高级"}, "专家": {"流量"}},
                      LEVEL_KPIS, name="level_kpis")
    with pytest.raises(AssertionError, match="应该是字典"):
        check_mapping(list(LEVEL_KPIS.items()), LEVEL_KPIS, name="level_kpis")


def test_check_mapping_values_by_expected_type():
    expected = {"n": 3, "rate": 0.25, "name": "微博", "flag": True, "none": None, "top": ["a", "b"],
                "inner": {"x": 1}, "s": pd.Series([1.0, 2.0])}
    good = {"n": np.int64(3), "rate": 1 / 4, "name": "微博", "flag": True, "none": None, "top": ["a", "b"],
            "inner": {"x": 1}, "s": pd.Series([1, 2])}
    check_mapping(good, expected, name="m")
    for key, bad, fragment in [
        ("n", 3.0, "应该是整数"), ("rate", 0.3, "数值不对"), ("name", "微博 ", "错别字"), ("flag", 1, "True 或 False"),
        ("none", 0, "应该是 None"), ("top", ["b", "a"], "m['top'][0]"), ("top", ("a", "b"), "应该是列表"),
        ("inner", {"x": 2}, "m['inner']['x']"), ("s", pd.Series([1, 3]), "m['s']"),
    ]:
        with pytest.raises(AssertionError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
            check_mapping({**good, key: bad}, expected, name="m")


# --- check_series / check_frame -------------------------------------------------------------

def test_check_series_values_labels_and_order():
    check_series(pd.Series({"微博": 214.0, "微信公众号": 84.0}), SERIES, name="s")
    with pytest.raises(AssertionError, match="顺序不对"):
        check_series(SERIES.iloc[::-1], SERIES, name="s")
    check_series(SERIES.iloc[::-1], SERIES, name="s", check_order=False)
    with pytest.raises(AssertionError, match="索引（行标签）不对：多出了 知乎；还少 1 个"):
        check_series(pd.Series({"微博": 214, "知乎": 84}), SERIES, name="s")
    with pytest.raises(AssertionError, match="有 1 行，应该有 2 行"):
        check_series(SERIES.iloc[:1], SERIES, name="s")


def test_check_series_hides_expected_values():
    with pytest.raises(AssertionError) as info:
        check_series(pd.Series({"微博": 298, "微信公众号": 84}), SERIES, name="reposts")
    message = str(info.value)
    assert "'微博'" in message and "214" not in message and "298" not in message


def test_check_series_types_and_dtypes():
    with pytest.raises(AssertionError, match="应该是 pd.Series.*只取一列"):
        check_series(SERIES.to_frame(), SERIES, name="s")
    with pytest.raises(AssertionError, match="pd.Series"):
        check_series(SERIES.to_dict(), SERIES, name="s")
    with pytest.raises(AssertionError, match="应该是数值"):
        check_series(SERIES.astype(str), SERIES, name="s")
    with pytest.raises(AssertionError, match="应该是数值"):
        check_series(SERIES.astype(object), SERIES, name="s")
    with pytest.raises(AssertionError, match="整数"):
        check_series(SERIES.astype(float), SERIES, name="s", check_dtype=True)
    check_series(SERIES.astype("Int64"), SERIES, name="s")
    with pytest.raises(AssertionError, match="名字"):
        check_series(SERIES.rename("x"), SERIES.rename("reposts"), name="s", check_name=True)


def test_check_series_missing_values_and_text_values():
    check_series(pd.Series([1.0, np.nan]), pd.Series([1.0, np.nan]), name="s")
    with pytest.raises(AssertionError):
        check_series(pd.Series([1.0, 0.0]), pd.Series([1.0, np.nan]), name="s")
    text = pd.Series(["微博", "微信公众号", None])
    check_series(pd.Series(["微博", "微信公众号", None], dtype="string"), text, name="s")
    with pytest.raises(AssertionError, match="有 1 个值不对"):
        check_series(pd.Series(["微博", "微信", None]), text, name="s")


def test_check_series_datetime_index():
    days = pd.date_range("2024-03-04", periods=3, freq="D")
    expected = pd.Series([1, 2, 3], index=days)
    check_series(pd.Series([1, 2, 3], index=pd.DatetimeIndex(["2024-03-04", "2024-03-05", "2024-03-06"])),
                 expected, name="s")
    with pytest.raises(AssertionError, match="索引"):
        check_series(pd.Series([1, 2, 3], index=["2024-03-04", "2024-03-05", "2024-03-06"]), expected, name="s")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=-10**6, max_value=10**6), min_size=1, max_size=20), st.data())
def test_check_series_accepts_itself_and_rejects_any_changed_value(values, data):
    expected = pd.Series(values, index=[f"p{i}" for i in range(len(values))])
    check_series(expected.copy(), expected, name="s")
    position = data.draw(st.integers(min_value=0, max_value=len(values) - 1))
    delta = data.draw(st.sampled_from([-1, 1, 7]))
    changed = expected.copy()
    changed.iloc[position] += delta
    with pytest.raises(AssertionError, match=f"例如索引 'p{position}'"):
        check_series(changed, expected, name="s")


def test_check_frame_columns_rows_values():
    check_frame(FRAME[["reposts", "reads"]].copy(), FRAME, name="t")
    with pytest.raises(AssertionError, match="列顺序"):
        check_frame(FRAME[["reposts", "reads"]].copy(), FRAME, name="t", check_column_order=True)
    with pytest.raises(AssertionError, match="缺少列：reposts"):
        check_frame(FRAME[["reads"]].copy(), FRAME, name="t")
    with pytest.raises(AssertionError, match="多出了列：extra"):
        check_frame(FRAME.assign(extra=1), FRAME, name="t")
    with pytest.raises(AssertionError, match=r"t\['reads'\] 有 1 个值不对，例如索引 'b'"):
        check_frame(FRAME.assign(reads=[812, 1204, 655]), FRAME, name="t")
    with pytest.raises(AssertionError, match="应该是 pd.DataFrame.*to_frame"):
        check_frame(FRAME["reads"], FRAME, name="t")
    duplicated = pd.concat([FRAME, FRAME["reads"]], axis=1)
    with pytest.raises(AssertionError, match="重复的列名"):
        check_frame(duplicated, FRAME, name="t")


def test_checks_refuse_bad_expected_values_as_instructor_errors():
    for check, expected in [(check_set, ["a"]), (check_mapping, [("a", 1)]), (check_series, [1]), (check_frame, {"a": [1]})]:
        with pytest.raises(TypeError):
            check({"a"}, expected, name="x")
