"""Edge input to the export parsers (issue 9, cases 3-7 and 12).

Each test failed on the code before the fix. Case 12 (vectorised parsers)
is checked without a clock: the number of Python function calls must not
grow with the number of values, and the fast path must give what urllib /
the element-by-element rules give.
"""

import datetime as dt
import sys
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.exports import parse_count, parse_duration, parse_excel_date, parse_percent, read_export
from nmops.metrics import UTM_FIELDS, parse_utm

# --------------------------------------------------------------------------- case 3: ambiguous percent columns


def test_case03_percent_column_mixing_signs_and_bare_text_is_refused():
    with pytest.raises(NmopsInputError, match="混用.*索引 1 处的 '0.3'.*numbers_are"):
        parse_percent(pd.Series(["12.5%", "0.3", 30]))


def test_case03_bare_numbers_above_one_are_refused_unless_said():
    with pytest.raises(NmopsInputError, match="大于 1.*索引 2 处的 30"):
        parse_percent(pd.Series([0.125, 0.3, 30]))
    assert parse_percent(pd.Series([12.5, 0.3, 30]), numbers_are="percent").tolist() == [0.125, 0.003, 0.3]
    assert parse_percent(pd.Series([0.5, 1.3]), numbers_are="fraction").tolist() == [0.5, 1.3]  # a rate above 100% on purpose
    # % text above 100% is explicit: fine; an Excel %-formatted cell (a number) next to % text is a fraction
    assert parse_percent(pd.Series(["130%", 0.31])).tolist() == [1.3, 0.31]


# --------------------------------------------------------------------------- case 4: commas


@pytest.mark.parametrize(
    "parse, value",
    [(parse_percent, "12,5%"), (parse_count, "1,23"), (parse_count, "12,34,567"), (parse_count, "1,2345"),
     (parse_count, ",123"), (parse_percent, "0,5")],
)
def test_case04_commas_that_are_not_thousands_separators_are_refused(parse, value):
    with pytest.raises(NmopsInputError, match=f"索引 1：'{value}'（逗号只能作千位分隔符"):
        parse(pd.Series(["1", value]))


def test_case04_thousands_grouping_still_reads():
    assert parse_count(pd.Series(["1,234", "12,345,678", "1,234.5万", "１，２３４"])).tolist() == [1234, 12345678, 12345000, 1234]
    assert parse_percent(pd.Series(["1,234.5‰"])).tolist() == [1.2345]


# --------------------------------------------------------------------------- case 5: minus signs, infinity, negatives


def test_case05_every_minus_sign_reads_the_same_where_negatives_are_allowed():
    minus = pd.Series(["-5", "－5", "−5", "–5", "-1.2万"])
    assert parse_count(minus, allow_negative=True).tolist() == [-5, -5, -5, -5, -12000]


def test_case05_negatives_are_refused_in_a_count_column():
    for text in ["-5", "−5", "－5"]:
        with pytest.raises(NmopsInputError, match="负数.*allow_negative=True"):
            parse_count(pd.Series([text]))
    with pytest.raises(NmopsInputError, match="负数"):
        parse_count(pd.Series([-5]))


@pytest.mark.parametrize("value", [float("inf"), -np.inf, "inf", "∞"])
def test_case05_infinity_is_never_a_count(value):
    with pytest.raises(NmopsInputError, match="数字"):
        parse_count(pd.Series([value]), allow_negative=True)


def test_case05_read_export_allows_negatives_only_in_net_change_columns():
    text = "作品名称,播放量,粉丝增量\n春日花茶,1200,−3\n"
    df = read_export(text.encode("utf-8"))
    assert df["follows_gained"].tolist() == [-3.0]
    with pytest.raises(NmopsInputError, match="文件第 2 行：'−3'.*负数"):
        read_export("作品名称,播放量,粉丝增量\n春日花茶,−3,1\n".encode("utf-8"))


# --------------------------------------------------------------------------- case 6: durations


@pytest.mark.parametrize("value", ["1:75", "1:60", "01:75:00", "01:02:60", "1分75秒", "1小时60分", "1h2m75s"])
def test_case06_minutes_and_seconds_of_60_or_more_are_refused(value):
    with pytest.raises(NmopsInputError, match=f"'{value}'（分钟和秒数不能达到 60"):
        parse_duration(pd.Series([value]))


def test_case06_valid_durations_still_read():
    out = parse_duration(pd.Series(["1:59", "01:59:59", "75秒", "90分钟", "1分5秒", "0:05.5"]))
    assert out.tolist() == [119, 7199, 75, 5400, 65, 5.5]
    with pytest.raises(NmopsInputError, match="时长"):
        parse_duration(pd.Series([-3]))


# --------------------------------------------------------------------------- case 7: ISO dates, offsets, fractions


def test_case07_iso_offsets_are_converted_to_beijing_time_and_fractions_kept():
    s = pd.Series(["2025-01-21T02:30:00Z", "2025-01-21 10:30:00+08:00", "2025-01-20T21:30:00-0500",
                   "2025-01-21T10:30:05.25", "2025-01-21 10:30:05.123456+08:00"])
    out = parse_excel_date(s)
    assert out.dt.tz is None
    assert out.tolist() == [
        pd.Timestamp("2025-01-21 10:30"), pd.Timestamp("2025-01-21 10:30"), pd.Timestamp("2025-01-21 10:30"),
        pd.Timestamp("2025-01-21 10:30:05.25"), pd.Timestamp("2025-01-21 10:30:05.123456"),
    ]


def test_case07_keep_timezone_and_aware_timestamps_agree():
    aware = parse_excel_date(pd.Series(["2025-01-21T02:30:00.5Z", "2025-01-21 10:30"]), keep_timezone=True)
    assert str(aware.dt.tz) == "Asia/Shanghai"
    assert aware.tolist() == [pd.Timestamp("2025-01-21 10:30:00.5", tz="Asia/Shanghai"),
                              pd.Timestamp("2025-01-21 10:30", tz="Asia/Shanghai")]
    stamps = pd.Series([pd.Timestamp("2025-01-21 02:30:00.5", tz="UTC")], dtype=object)
    assert parse_excel_date(stamps).tolist() == [pd.Timestamp("2025-01-21 10:30:00.5")]
    utc_column = pd.Series(pd.to_datetime(["2025-01-21 02:30"]).tz_localize("UTC"))
    assert parse_excel_date(utc_column).tolist() == [pd.Timestamp("2025-01-21 10:30")]


def test_case07_bad_dates_name_value_and_row():
    with pytest.raises(NmopsInputError, match="索引 1：'2025-02-30'"):
        parse_excel_date(pd.Series(["2025-01-21", "2025-02-30"]))
    with pytest.raises(NmopsInputError, match="索引 0：'2025-01-21T25:00'"):
        parse_excel_date(pd.Series(["2025-01-21T25:00"]))


# --------------------------------------------------------------------------- case 12: vectorised


def _python_calls(func, *args) -> int:
    """Python function calls made while running func (a deterministic proxy for per-value loops)."""
    calls = 0

    def profile(frame, event, arg):
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        func(*args)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize(
    "values",
    [
        lambda n: pd.Series(45000 + np.arange(n) / 7),
        lambda n: pd.Series([f"2025-01-{1 + i % 28:02d} 10:{i % 60:02d}:05.5+08:00" for i in range(n)], dtype=object),
        lambda n: pd.Series(["2025年1月21日", 45678, "2025/1/21 10:30", None] * (n // 4), dtype=object),
    ],
)
def test_case12_parse_excel_date_makes_no_call_per_value(values):
    small, large = _python_calls(parse_excel_date, values(400)), _python_calls(parse_excel_date, values(4000))
    assert large < small * 1.5 + 200  # ten times the values, about the same Python work


def test_case12_parse_utm_makes_no_call_per_url():
    urls = ["https://s.example/p?utm_source=wechat&utm_medium=social", "https://s.example/", None,
            "https://s.example/?utm_campaign=%E5%8F%8C11#x"]
    small, large = _python_calls(parse_utm, pd.Series(urls * 100)), _python_calls(parse_utm, pd.Series(urls * 1000))
    assert large < small * 1.5 + 200


def _urllib_utm(url, include_fragment):
    """The rule of parse_utm, one URL at a time with urllib (the code before vectorising)."""
    if url is None:
        return {}
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return {}
    queries = [parts.query] + ([parts.fragment.split("?", 1)[1]] if include_fragment and "?" in parts.fragment else [])
    found = {}
    for query in queries:
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key in UTM_FIELDS and key not in found and value != "":
                found[key] = value
    return found


_piece = st.sampled_from(
    ["utm_source=", "utm_medium=", "utm_campaign=", "utm_term", "utm%5Fsource=", "&", "?", "#", "=", "+", "%E5%8F%8C",
     "%", "a", "WeChat", " ", "\t", "[", "]", "https://s.example/p", ";", "utm_content=x"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_piece, max_size=12).map("".join)), min_size=1, max_size=8), st.booleans())
def test_case12_vectorised_parse_utm_matches_urllib(urls, include_fragment):
    out = parse_utm(pd.Series(urls * 2, dtype=object), include_fragment=include_fragment)
    for i, url in enumerate(urls * 2):
        expected = _urllib_utm(url, include_fragment)
        got = {f: v for f, v in out.iloc[i].items() if isinstance(v, str)}
        assert got == expected, url


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=pd.Timestamp("1950-01-01").to_pydatetime(), max_value=pd.Timestamp("2100-12-31").to_pydatetime()),
       st.sampled_from(["%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y年%m月%d日 %H时%M分", "%Y-%m-%dT%H:%M:%S.%f", "%Y%m%d"]))
def test_case12_vectorised_dates_match_python_datetime(moment, fmt):
    text = moment.strftime(fmt)
    expected = pd.Timestamp(dt.datetime.strptime(text, fmt))
    assert parse_excel_date(pd.Series([text, "-"])).tolist()[0] == expected
