"""Tests for nmops.metrics.attribution.

Hand-computed journeys for each model and option; a brute-force reference
(one Python loop per conversion, written straight from the definitions) for
random inputs; and the property that every model's credits sum to the
number of conversions (or to their value).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.attribution import (
    MODELS,
    attribute_conversions,
    attribution_credits,
    compare_attribution_models,
)

T = pd.Timestamp

# user 1: weibo May 1, wechat May 5, search May 8; buys May 8 12:00 for 100
TOUCHES = pd.DataFrame(
    {
        "user_id": [1, 1, 1],
        "event_time": pd.to_datetime(["2024-05-01", "2024-05-05", "2024-05-08"]),
        "channel": ["weibo", "wechat", "search"],
    }
)
ORDERS = pd.DataFrame({"user_id": [1], "event_time": [T("2024-05-08 12:00")], "amount": [100.0]})


def credits(model, touches=TOUCHES, conversions=ORDERS, **kw) -> dict:
    s = attribute_conversions(touches, conversions, model=model, **kw)
    return {k: v for k, v in s.items() if v != 0}


# --------------------------------------------------------------------------- hand-computed


def test_first_and_last_touch():
    assert credits("first_touch") == {"weibo": 1.0}
    assert credits("last_touch") == {"search": 1.0}


def test_linear():
    assert credits("linear") == pytest.approx({"weibo": 1 / 3, "wechat": 1 / 3, "search": 1 / 3})


def test_position_based_three_touches():
    assert credits("position_based") == pytest.approx({"weibo": 0.4, "wechat": 0.2, "search": 0.4})
    got = credits("position_based", first_share=0.3, last_share=0.5)
    assert got == pytest.approx({"weibo": 0.3, "wechat": 0.2, "search": 0.5})


def test_position_based_two_touches_split_in_ratio():
    two = TOUCHES.iloc[1:]
    assert credits("position_based", touches=two) == pytest.approx({"wechat": 0.5, "search": 0.5})
    got = credits("position_based", touches=two, first_share=0.3, last_share=0.5)
    assert got == pytest.approx({"wechat": 0.3 / 0.8, "search": 0.5 / 0.8})


def test_position_based_one_touch_gets_everything():
    assert credits("position_based", touches=TOUCHES.iloc[:1]) == {"weibo": 1.0}


def test_time_decay_half_life_from_conversion_time():
    # ages at the conversion: 7.5, 3.5 and 0.5 days
    w = np.array([2 ** (-7.5 / 7), 2 ** (-3.5 / 7), 2 ** (-0.5 / 7)])
    w = w / w.sum()
    assert credits("time_decay") == pytest.approx({"weibo": w[0], "wechat": w[1], "search": w[2]})
    w1 = np.array([2 ** (-7.5), 2 ** (-3.5), 2 ** (-0.5)])
    got = credits("time_decay", half_life="1D")
    assert got == pytest.approx(dict(zip(["weibo", "wechat", "search"], w1 / w1.sum())))


def test_time_decay_is_stable_for_very_old_touches():
    old = pd.DataFrame({"user_id": [1, 1], "event_time": [T("2000-01-01"), T("2000-01-02")], "channel": ["a", "b"]})
    conv = pd.DataFrame({"user_id": [1], "event_time": [T("2024-01-01")]})
    got = credits("time_decay", touches=old, conversions=conv, lookback=None, half_life="1D")
    # 2**-(1 day / 1 day) relative weight: 1/3 and 2/3, although 2**-8800 underflows
    assert got == pytest.approx({"a": 1 / 3, "b": 2 / 3})


def test_lookback_window():
    # 5 days before May 8 12:00 is May 3 12:00: weibo (May 1) drops out
    assert credits("first_touch", lookback="5D") == {"wechat": 1.0}
    assert credits("linear", lookback=pd.Timedelta(days=5)) == pytest.approx({"wechat": 0.5, "search": 0.5})
    far = pd.DataFrame({"user_id": [1], "event_time": [T("2024-01-01")], "channel": ["zhihu"]})
    assert credits("last_touch", touches=far) == {"(direct)": 1.0}
    assert credits("last_touch", touches=far, lookback=None) == {"zhihu": 1.0}


def test_touch_at_the_conversion_time_and_after():
    conv = pd.DataFrame({"user_id": [1], "event_time": [T("2024-05-08")]})  # exactly the search touch
    assert credits("last_touch", conversions=conv) == {"search": 1.0}
    assert credits("last_touch", conversions=conv, inclusive=False) == {"wechat": 1.0}
    early = pd.DataFrame({"user_id": [1], "event_time": [T("2024-04-30")]})  # before every touch
    assert credits("linear", conversions=early) == {"(direct)": 1.0}


def test_value_weighted_credits_and_direct_bucket():
    conv = pd.DataFrame({"user_id": [1, 9], "event_time": [T("2024-05-08 12:00"), T("2024-05-08")], "amount": [100.0, 40.0]})
    got = credits("position_based", conversions=conv, value="amount")
    assert got == pytest.approx({"weibo": 40.0, "wechat": 20.0, "search": 40.0, "(direct)": 40.0})
    s = attribute_conversions(TOUCHES, conv, model="linear", no_touch_label="(none)")
    assert s["(none)"] == 1.0 and s.index[-1] == "(none)" and s.name == "linear"


def test_touch_reused_by_later_conversion_unless_reset():
    touches = pd.DataFrame({"user_id": [2], "event_time": [T("2024-05-01")], "channel": ["weibo"]})
    conv = pd.DataFrame({"user_id": [2, 2], "event_time": [T("2024-05-02"), T("2024-05-04")]})
    assert credits("last_touch", touches=touches, conversions=conv) == {"weibo": 2.0}
    got = credits("last_touch", touches=touches, conversions=conv, reset_after_conversion=True)
    assert got == {"weibo": 1.0, "(direct)": 1.0}


def test_reset_keeps_touches_between_conversions():
    touches = pd.DataFrame(
        {"user_id": [2, 2, 2], "event_time": [T("2024-05-01"), T("2024-05-03"), T("2024-05-05")], "channel": ["a", "b", "c"]}
    )
    conv = pd.DataFrame({"user_id": [2, 2], "event_time": [T("2024-05-06"), T("2024-05-02")]})  # not in time order
    long = attribution_credits(touches, conv, model="linear", reset_after_conversion=True)
    # the May 2 conversion (row 1) gets a; the May 6 conversion (row 0) gets b and c only
    assert long[long["conversion"] == 1]["channel"].tolist() == ["a"]
    assert long[long["conversion"] == 0]["channel"].tolist() == ["b", "c"]
    assert long.groupby("conversion")["credit"].sum().tolist() == [1.0, 1.0]


def test_ties_in_time_keep_row_order():
    touches = pd.DataFrame({"user_id": [1, 1], "event_time": [T("2024-05-01")] * 2, "channel": ["x", "y"]})
    conv = pd.DataFrame({"user_id": [1], "event_time": [T("2024-05-02")]})
    assert credits("first_touch", touches=touches, conversions=conv) == {"x": 1.0}
    assert credits("last_touch", touches=touches, conversions=conv) == {"y": 1.0}


def test_unsorted_rows_string_ids_and_timezones():
    shuffled = TOUCHES.iloc[[2, 0, 1]].assign(user_id=["u1"] * 3)
    conv = ORDERS.assign(user_id=["u1"])
    assert credits("first_touch", touches=shuffled, conversions=conv) == {"weibo": 1.0}
    tz_t = TOUCHES.assign(event_time=TOUCHES["event_time"].dt.tz_localize("Asia/Shanghai"))
    tz_c = ORDERS.assign(event_time=ORDERS["event_time"].dt.tz_localize("Asia/Shanghai"))
    assert credits("last_touch", touches=tz_t, conversions=tz_c) == {"search": 1.0}


def test_every_channel_listed_even_with_zero_credit():
    s = attribute_conversions(TOUCHES, ORDERS, model="last_touch")
    assert list(s.index) == ["search", "wechat", "weibo", "(direct)"]
    assert s.tolist() == [1.0, 0.0, 0.0, 0.0]


def test_empty_touches_or_conversions():
    assert credits("linear", touches=TOUCHES.iloc[:0]) == {"(direct)": 1.0}
    t = compare_attribution_models(TOUCHES, ORDERS.iloc[:0])
    assert (t.to_numpy() == 0).all() and list(t.index) == ["search", "wechat", "weibo", "(direct)"]


def test_credits_long_form():
    conv = pd.DataFrame({"user_id": [1, 7], "event_time": [T("2024-05-08 12:00"), T("2024-05-09")]}, index=["o1", "o2"])
    long = attribution_credits(TOUCHES, conv, model="linear")
    assert long["conversion"].tolist() == ["o1", "o1", "o1", "o2"]
    assert long["channel"].tolist() == ["weibo", "wechat", "search", "(direct)"]
    assert long["touch_at"].iloc[:3].tolist() == TOUCHES["event_time"].tolist() and pd.isna(long["touch_at"].iloc[3])
    assert long["credit"].tolist() == pytest.approx([1 / 3] * 3 + [1.0])
    first = attribution_credits(TOUCHES, conv, model="first_touch")
    assert first["channel"].tolist() == ["weibo", "(direct)"]


def test_compare_models_table():
    t = compare_attribution_models(TOUCHES, ORDERS)
    assert list(t.columns) == list(MODELS)
    assert t.loc["weibo", "first_touch"] == 1.0 and t.loc["search", "last_touch"] == 1.0
    assert t.loc["wechat", "position_based"] == pytest.approx(0.2)
    for m in MODELS:
        assert t[m].tolist() == pytest.approx(attribute_conversions(TOUCHES, ORDERS, model=m).tolist())


# --------------------------------------------------------------------------- brute-force reference and properties


def _reference(touches, conversions, model, *, lookback, half_life, value):
    """One Python loop per conversion, straight from the definitions."""
    out: dict[str, float] = {}
    for _, c in conversions.iterrows():
        v = 1.0 if value is None else c[value]
        j = touches[(touches["user_id"] == c["user_id"]) & (touches["event_time"] <= c["event_time"])]
        if lookback is not None:
            j = j[j["event_time"] >= c["event_time"] - lookback]
        j = j.sort_values("event_time", kind="stable")
        n = len(j)
        if n == 0:
            out["(direct)"] = out.get("(direct)", 0.0) + v
            continue
        if model == "first_touch":
            w = [1.0] + [0.0] * (n - 1)
        elif model == "last_touch":
            w = [0.0] * (n - 1) + [1.0]
        elif model == "linear":
            w = [1 / n] * n
        elif model == "time_decay":
            raw = [0.5 ** ((c["event_time"] - t) / half_life) for t in j["event_time"]]
            w = [r / sum(raw) for r in raw]
        else:
            if n == 1:
                w = [1.0]
            elif n == 2:
                w = [0.5, 0.5]
            else:
                w = [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4]
        for ch, wi in zip(j["channel"], w):
            out[ch] = out.get(ch, 0.0) + wi * v
    return out


_touch = st.tuples(st.integers(0, 4), st.integers(0, 40 * 24), st.sampled_from(["a", "b", "c"]))
_conv = st.tuples(st.integers(0, 5), st.integers(0, 40 * 24), st.floats(0, 500, allow_nan=False))


def _frames(touch_rows, conv_rows):
    start = T("2024-03-01")
    touches = pd.DataFrame(
        {
            "user_id": [u for u, _, _ in touch_rows],
            "event_time": pd.to_datetime([start + pd.Timedelta(hours=h) for _, h, _ in touch_rows]),
            "channel": [c for _, _, c in touch_rows],
        }
    )
    conversions = pd.DataFrame(
        {
            "user_id": [u for u, _, _ in conv_rows],
            "event_time": pd.to_datetime([start + pd.Timedelta(hours=h) for _, h, _ in conv_rows]),
            "amount": [v for _, _, v in conv_rows],
        }
    )
    return touches, conversions


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_touch, min_size=1, max_size=25),
    st.lists(_conv, min_size=1, max_size=8),
    st.sampled_from(MODELS),
    st.sampled_from([None, pd.Timedelta(days=10)]),
    st.booleans(),
)
def test_matches_brute_force_reference(touch_rows, conv_rows, model, lookback, weighted):
    touches, conversions = _frames(touch_rows, conv_rows)
    value = "amount" if weighted else None
    got = attribute_conversions(
        touches, conversions, model=model, lookback=lookback, half_life="3D", value=value
    )
    ref = _reference(touches, conversions, model, lookback=lookback, half_life=pd.Timedelta(days=3), value=value)
    assert {k: v for k, v in got.items() if v != 0} == pytest.approx({k: v for k, v in ref.items() if v != 0})


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_touch, min_size=1, max_size=25),
    st.lists(_conv, min_size=1, max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_every_model_credits_sum_to_conversions(touch_rows, conv_rows, reset, inclusive):
    touches, conversions = _frames(touch_rows, conv_rows)
    t = compare_attribution_models(touches, conversions, reset_after_conversion=reset, inclusive=inclusive)
    assert (t.to_numpy() >= 0).all()
    np.testing.assert_allclose(t.sum().to_numpy(), len(conversions))
    v = compare_attribution_models(touches, conversions, value="amount", reset_after_conversion=reset)
    np.testing.assert_allclose(v.sum().to_numpy(), conversions["amount"].sum(), atol=1e-9)
    long = attribution_credits(touches, conversions, model="time_decay", reset_after_conversion=reset)
    per = long.groupby("conversion")["credit"].sum()
    np.testing.assert_allclose(per.to_numpy(), 1.0)
    assert sorted(per.index) == list(conversions.index)


@settings(max_examples=25, deadline=None)
@given(st.lists(_touch, min_size=2, max_size=25), st.lists(_conv, min_size=1, max_size=8), st.randoms())
def test_row_order_does_not_matter(touch_rows, conv_rows, rnd):
    touches, conversions = _frames(touch_rows, conv_rows)
    touches = touches.drop_duplicates(["user_id", "event_time"])  # ties are broken by row order, by design
    perm = list(range(len(touches)))
    rnd.shuffle(perm)
    a = compare_attribution_models(touches, conversions)
    b = compare_attribution_models(touches.iloc[perm], conversions)
    pd.testing.assert_frame_equal(a, b)


# --------------------------------------------------------------------------- bad input

FUNCS = [
    lambda t, c, **kw: attribute_conversions(t, c, **kw),
    lambda t, c, **kw: attribution_credits(t, c, **kw),
    lambda t, c, **kw: compare_attribution_models(t, c, **kw),
]


@pytest.mark.parametrize("fn", FUNCS)
def test_missing_columns_are_named(fn):
    with pytest.raises(NmopsInputError, match="缺少列：channel"):
        fn(TOUCHES.drop(columns="channel"), ORDERS)
    with pytest.raises(NmopsInputError, match="缺少列：ordered_at"):
        fn(TOUCHES, ORDERS, conversion_at="ordered_at")
    with pytest.raises(NmopsInputError, match="缺少列：value"):
        fn(TOUCHES, ORDERS, value="value")


@pytest.mark.parametrize("fn", FUNCS)
def test_bad_values_are_refused(fn):
    with pytest.raises(NmopsInputError, match="pd.to_datetime"):
        fn(TOUCHES.assign(event_time=TOUCHES["event_time"].astype(str)), ORDERS)
    with pytest.raises(NmopsInputError, match="NaT"):
        fn(TOUCHES, ORDERS.assign(event_time=pd.NaT))
    with pytest.raises(NmopsInputError, match="缺失的渠道"):
        fn(TOUCHES.assign(channel=[None, "a", "b"]), ORDERS)
    with pytest.raises(NmopsInputError, match="缺失值"):
        fn(TOUCHES.assign(user_id=[1.0, np.nan, 1.0]), ORDERS)
    with pytest.raises(NmopsInputError, match="类型不一致"):
        fn(TOUCHES, ORDERS.assign(user_id=["1"]))
    with pytest.raises(NmopsInputError, match="时区"):
        fn(TOUCHES, ORDERS.assign(event_time=ORDERS["event_time"].dt.tz_localize("UTC")))
    with pytest.raises(NmopsInputError, match="为负"):
        fn(TOUCHES, ORDERS.assign(amount=-1.0), value="amount")
    with pytest.raises(NmopsInputError, match="应该是数字"):
        fn(TOUCHES, ORDERS.assign(amount="100"), value="amount")


@pytest.mark.parametrize("fn", FUNCS)
@pytest.mark.parametrize(
    "kw, word",
    [
        ({"lookback": "-3D"}, "lookback"),
        ({"lookback": "soon"}, "lookback"),
        ({"half_life": 0}, "half_life"),
        ({"first_share": 0.7, "last_share": 0.5}, "first_share"),
        ({"first_share": -0.1}, "first_share"),
        ({"inclusive": "yes"}, "inclusive"),
        ({"reset_after_conversion": None}, "reset_after_conversion"),
    ],
)
def test_bad_settings_are_refused(fn, kw, word):
    with pytest.raises(NmopsInputError, match=word):
        fn(TOUCHES, ORDERS, **kw)


def test_bad_model_names_are_refused():
    with pytest.raises(NmopsInputError, match="model"):
        attribute_conversions(TOUCHES, ORDERS, model="markov")
    with pytest.raises(NmopsInputError, match="model"):
        attribution_credits(TOUCHES, ORDERS, model="Last_touch")
    with pytest.raises(NmopsInputError, match="models"):
        compare_attribution_models(TOUCHES, ORDERS, models="linear")
    with pytest.raises(NmopsInputError, match="models"):
        compare_attribution_models(TOUCHES, ORDERS, models=["linear", "shapley"])
