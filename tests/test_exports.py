"""Tests for nmops.exports: reading real platform exports.

Every file is built inside the test (tmp_path) with the header names listed in
the course's reference notes (shared/reference/metrics.md), so the tests do
not depend on the sample exports shipped in nmops/datasets.
"""

import csv
import datetime as dt
import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import from_excel

from nmops._validation import NmopsInputError
from nmops.exports import (
    count_is_lower_bound,
    export_column_map,
    parse_count,
    parse_duration,
    parse_excel_date,
    parse_percent,
    read_export,
)

# Header lists copied from metrics.md (the independent source of the names).
WECHAT_POSTS = [
    "发表时间", "总阅读人数", "总阅读次数", "总分享人数", "分享次数", "阅读后关注人数", "送达人数",
    "公众号消息阅读次数", "送达阅读率", "首次分享次数", "分享产生阅读次数", "首次分享率", "阅读完成率", "内容url",
]  # fmt: skip
WECHAT_TRAFFIC = ["日期", "阅读次数", "阅读人数", "分享次数", "分享人数", "阅读原文次数", "阅读原文人数", "收藏次数", "收藏人数", "群发篇", "渠道"]
TOUTIAO = ["展现量", "粉丝展现量", "阅读量", "粉丝阅读量", "点击率", "平均阅读完成率", "点赞量", "评论量", "转发量", "分享量", "收藏量", "平均阅读时长"]
DOUYIN = [
    "发布时间", "作品名称", "体裁", "播放量", "完播率", "5s完播率", "封面点击率", "2s跳出率", "平均播放时长",
    "点赞量", "分享量", "评论量", "收藏量", "主页访问量", "粉丝增量",
]  # fmt: skip
XIAOHONGSHU = ["笔记标题", "首次发布时间", "曝光", "观看量", "封面点击率", "人均观看时长", "涨粉"]


def _csv(rows, encoding, path):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # quotes "1,234" as Excel does
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _xlsx(rows, path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- whole files


def test_wechat_posts_gb18030(tmp_path):
    rows = [
        ["内容标题", *WECHAT_POSTS],
        ["春茶上新", "2025-01-21 08:30", "10万+", "123,456", "1.2万", "15000", "321", "80000", "1,234", "1.5%", "800", "2000", "0.8%", "65.2%", "https://mp.weixin.qq.com/s/abc"],
        ["花茶知识", "2025年1月22日", "3456", "4000", "56", "60", "-", "80000", "3000", "3.75%", "--", "120", "", "70%", "https://mp.weixin.qq.com/s/def"],
    ]  # fmt: skip
    df = read_export(_csv(rows, "gb18030", tmp_path / "已通知内容.csv"))
    assert df.attrs["platform"] == "wechat" and df.attrs["encoding"] == "gb18030"
    assert df.attrs["header_row"] == 0
    assert list(df.columns) == [
        "title", "published_at", "readers", "readers_is_lower_bound", "reads", "sharers", "shares", "follows_gained",
        "delivered", "message_reads", "delivered_read_rate", "first_shares", "reads_from_shares", "first_share_rate",
        "completion_rate", "url",
    ]  # fmt: skip
    assert df["readers"].tolist() == [100000.0, 3456.0]
    assert df["readers_is_lower_bound"].tolist() == [True, False]
    assert df["reads"].tolist() == [123456.0, 4000.0]
    assert df["sharers"].tolist() == [12000.0, 56.0]
    assert df["follows_gained"].isna().tolist() == [False, True]
    assert df["delivered_read_rate"].tolist() == [0.015, 0.0375]
    assert math.isnan(df.loc[1, "first_share_rate"])
    assert df["completion_rate"].tolist() == [0.652, 0.7]
    assert df["published_at"].tolist() == [pd.Timestamp("2025-01-21 08:30"), pd.Timestamp("2025-01-22")]
    assert df["title"].tolist() == ["春茶上新", "花茶知识"]
    assert df.attrs["columns"]["readers"] == "总阅读人数"


def test_wechat_traffic_utf8_and_totals_row(tmp_path):
    rows = [
        WECHAT_TRAFFIC,
        ["2025-01-21", "1200", "1000", "30", "25", "12", "10", "8", "7", "1", "公众号消息"],
        ["2025-01-21", "300", "280", "5", "5", "0", "0", "1", "1", "1", "朋友圈"],
        ["", "", "", "", "", "", "", "", "", "", ""],
        ["合计", "1500", "1280", "35", "30", "12", "10", "9", "8", "2", ""],
    ]
    df = read_export(_csv(rows, "utf-8", tmp_path / "流量分析.csv"))
    assert df.attrs["platform"] == "wechat_traffic" and df.attrs["encoding"] == "utf-8"
    assert len(df) == 2 and df.attrs["dropped_rows"] == [5]
    assert df["reads"].sum() == 1500 and df["read_more_clicks"].tolist() == [12.0, 0.0]
    assert df["channel"].tolist() == ["公众号消息", "朋友圈"]
    assert set(df.columns) >= {"date", "readers", "sharers", "read_more_users", "favorites", "favorite_users", "posts_sent"}


def test_toutiao_utf8_bom_fraction_ctr_and_durations(tmp_path):
    rows = [
        ["标题", "发布时间", *TOUTIAO],
        ["花茶怎么泡", "2025/1/21 10:30", "1.2w", "3,000", "1500", "600", "0.125", "45%", "12", "3", "2", "5", "9", "1分20秒"],
        ["云南风物", "2025/1/22", "3.4k", "800", "408", "100", "0.12", "50.5%", "1", "0", "0", "1", "0", "35秒"],
    ]
    df = read_export(_csv(rows, "utf-8-sig", tmp_path / "toutiao.csv"))
    assert df.attrs["platform"] == "toutiao" and df.attrs["encoding"] == "utf-8-sig"
    assert df["impressions"].tolist() == [12000.0, 3400.0]
    assert df["ctr"].tolist() == [0.125, 0.12]  # Toutiao writes 点击率 as a fraction
    assert df["completion_rate"].tolist() == [0.45, 0.505]
    assert df["avg_read_seconds"].tolist() == [80.0, 35.0]
    assert df["published_at"].tolist() == [pd.Timestamp("2025-01-21 10:30"), pd.Timestamp("2025-01-22")]
    assert {"follower_impressions", "follower_reads", "reposts", "shares", "favorites", "likes", "comments"} <= set(df.columns)


def test_douyin_xlsx_with_excel_serial_dates(tmp_path):
    rows = [
        DOUYIN + ["标签"],
        [45678, "春日花茶", "视频", "2.3w", "35%", "52.5%", "8%", "20%", "12.5", "1,024", "88", "40", "66", "500", "-3", "#花茶"],
        [45679.75, "鲜花饼", "图文", 980, 0.31, 0.5, 0.07, 0.2, "00:00:15", 12, 1, 0, 2, 30, 4, None],
    ]
    df = read_export(_xlsx(rows, tmp_path / "douyin.xlsx"))
    assert df.attrs["platform"] == "douyin" and df.attrs["encoding"] is None
    # by hand: 1899-12-30 + 45678 days = 2025-01-21; .75 of a day = 18:00
    assert df["published_at"].tolist() == [pd.Timestamp("2025-01-21"), pd.Timestamp("2025-01-22 18:00")]
    assert df["views"].tolist() == [23000.0, 980.0]
    assert df["completion_rate"].tolist() == [0.35, 0.31]
    assert df["completion_rate_5s"].tolist() == [0.525, 0.5]
    assert df["avg_watch_seconds"].tolist() == [12.5, 15.0]
    assert df["follows_gained"].tolist() == [-3.0, 4.0]  # net follower change can be negative
    assert df["format"].tolist() == ["视频", "图文"]
    assert df["标签"].tolist()[0] == "#花茶"  # unknown column kept under its own name


def test_xiaohongshu_xlsx_note_row_above_headers(tmp_path):
    rows = [
        ["数据说明：以下数据统计截至 2025-01-31，仅供参考"],
        XIAOHONGSHU + ["点赞", "收藏", "评论", "分享"],
        ["花茶测评", "2025-01-21 12:00:00", "1.1万", "5,000", "9.5%", "1分5秒", "12", "300", "200", "50", "10"],
    ]
    df = read_export(_xlsx(rows, tmp_path / "xhs.xlsx"), platform="小红书")
    assert df.attrs["platform"] == "xiaohongshu" and df.attrs["header_row"] == 1
    assert df.attrs["notes"] == ["数据说明：以下数据统计截至 2025-01-31，仅供参考"]
    assert df.loc[0, "impressions"] == 11000 and df.loc[0, "views"] == 5000
    assert df.loc[0, "ctr"] == 0.095 and df.loc[0, "avg_watch_seconds"] == 65
    assert df.loc[0, ["follows_gained", "likes", "favorites", "comments", "shares"]].tolist() == [12, 300, 200, 50, 10]
    # auto-detection finds the same layout
    pd.testing.assert_frame_equal(read_export(tmp_path / "xhs.xlsx"), df)


@pytest.mark.parametrize(
    "headers, platform",
    [(WECHAT_POSTS, "wechat"), (WECHAT_TRAFFIC, "wechat_traffic"), (TOUTIAO, "toutiao"), (DOUYIN, "douyin"), (XIAOHONGSHU, "xiaohongshu")],
)
def test_every_reference_header_is_mapped(tmp_path, headers, platform):
    df = read_export(_csv([headers, ["1"] * len(headers)], "utf-8", tmp_path / "x.csv"))
    assert df.attrs["platform"] == platform
    assert set(df.attrs["columns"].values()) == set(headers)  # nothing left under a Chinese name
    assert len(df.columns) == len(headers)
    listed = export_column_map(platform)
    assert set(headers) <= set(listed["header"])


def test_sources_other_than_paths(tmp_path):
    text = "作品名称,播放量,点赞量\n一,1.2w,3\n"
    expected = read_export(text.encode("utf-8"))
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    for source in (str(path), path, io.BytesIO(text.encode("gb18030")), io.StringIO(text)):
        pd.testing.assert_frame_equal(read_export(source), expected)
    assert expected["views"].tolist() == [12000.0]


def test_tab_separated_and_percent_point_header(tmp_path):
    text = "作品名称\t播放量\t完播率(%)\t点赞量\n一\t100\t12.5\t3\n"
    df = read_export(text.encode("utf-8"))
    assert df.loc[0, "completion_rate"] == 0.125  # '(%)' in the header: 12.5 means 12.5 %
    assert df.attrs["columns"]["completion_rate"] == "完播率(%)"


def test_duplicate_and_unnamed_columns_are_kept(tmp_path):
    text = "作品名称,播放量,播放量,点赞量,,\n一,100,200,3,x,\n"
    df = read_export(text.encode("utf-8"))
    assert df["views"].tolist() == [100.0]
    assert df["播放量"].tolist() == ["200"]  # the second copy keeps its original name and value
    assert df["未命名列5"].tolist() == ["x"]
    assert "未命名列6" not in df.columns  # an entirely empty trailing column is dropped


# --------------------------------------------------------------------------- refusals


def test_unknown_layout_says_what_was_expected_and_found(tmp_path):
    path = _csv([["用户", "金额", "时间"], ["a", "1", "2"]], "utf-8", tmp_path / "orders.csv")
    with pytest.raises(NmopsInputError) as err:
        read_export(path)
    msg = str(err.value)
    assert "无法识别导出文件的格式" in msg
    assert "用户、金额、时间" in msg  # what was found
    for label in ("公众号·已通知内容", "公众号·流量分析", "今日头条", "抖音", "小红书", "总阅读人数"):
        assert label in msg  # what was expected
    with pytest.raises(NmopsInputError, match="platform='douyin'"):
        read_export(_csv([WECHAT_POSTS, ["1"] * len(WECHAT_POSTS)], "utf-8", tmp_path / "w.csv"), platform="douyin")


def test_ambiguous_headers_ask_for_platform(tmp_path):
    path = _csv([["发布时间", "点赞量", "评论量", "分享量"], ["2025-01-01", "1", "2", "3"]], "utf-8", tmp_path / "a.csv")
    with pytest.raises(NmopsInputError, match="同时符合多个平台.*今日头条.*抖音"):
        read_export(path)
    assert read_export(path, platform="toutiao").attrs["platform"] == "toutiao"


def test_bad_encodings_are_named(tmp_path):
    good = "作品名称,播放量\n一,1\n"
    with pytest.raises(NmopsInputError, match="UTF-16"):
        read_export(b"\xff\xfe" + good.encode("utf-16-le"))
    with pytest.raises(NmopsInputError, match="无法识别文件编码.*UTF-8.*GB18030/GBK"):
        read_export(good.encode("utf-8") + b"\x80\xff\xfe")
    with pytest.raises(NmopsInputError, match="指定的编码 ascii"):
        read_export(good.encode("utf-8"), encoding="ascii")


def test_bad_values_name_the_column_and_file_row(tmp_path):
    path = _csv([["作品名称", "播放量", "点赞量"], ["一", "100", "3"], ["二", "很多", "4"]], "utf-8", tmp_path / "b.csv")
    with pytest.raises(NmopsInputError, match="列「播放量」.*文件第 3 行：'很多'"):
        read_export(path)


def test_read_export_refuses_bad_sources(tmp_path):
    with pytest.raises(NmopsInputError, match="找不到文件"):
        read_export(tmp_path / "nope.csv")
    with pytest.raises(NmopsInputError, match=r"\.xls"):
        read_export(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(NmopsInputError, match="路径或打开的文件"):
        read_export(12345)
    with pytest.raises(NmopsInputError, match="不认识的平台"):
        read_export(b"a,b\n", platform="weibo")
    with pytest.raises(NmopsInputError, match="Excel"):
        read_export(b"PK\x03\x04 not really a zip")
    with pytest.raises(NmopsInputError, match="sheet_name"):
        read_export(b"a,b\n", sheet_name=None)


# --------------------------------------------------------------------------- parse helpers


def test_parse_count_by_hand():
    s = pd.Series(["1,234", "1.2w", "1.2万", "3.4k", "10万+", "1.15万", "-", "--", "", "—", None, np.nan, 7, 2.5, "１，２３４", "1亿", "-12", " 56 "], name="x")
    out = parse_count(s, allow_negative=True)
    assert out.name == "x" and out.dtype == "float64"
    expected = [1234, 12000, 12000, 3400, 100000, 11500, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, 7, 2.5, 1234, 1e8, -12, 56]
    np.testing.assert_array_equal(out.to_numpy(), np.array(expected, dtype=float))


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**9, 10**9))
def test_parse_count_round_trips_formatted_integers(n):
    s = pd.Series([f"{n:,}", str(n), f"{n / 10_000:.4f}万", f"{n / 10_000:.4f}w", f"{n / 1_000:.3f}k"])
    assert parse_count(s, allow_negative=True).tolist() == [float(n)] * 5


def test_count_is_lower_bound():
    s = pd.Series(["10万+", "10万", "1,000+", 100000, None], index=list("abcde"))
    assert count_is_lower_bound(s).to_dict() == {"a": True, "b": False, "c": True, "d": False, "e": False}
    with pytest.raises(NmopsInputError, match="Series"):
        count_is_lower_bound(["10万+"])


def test_parse_count_refuses_bad_values():
    with pytest.raises(NmopsInputError, match="列「阅读量」.*索引 1：'很多'"):
        parse_count(pd.Series(["1", "很多", "1.2.3"], name="阅读量"))
    with pytest.raises(NmopsInputError, match="Series"):
        parse_count(pd.DataFrame({"a": ["1"]}))
    with pytest.raises(NmopsInputError, match="数字"):
        parse_count(pd.Series([True]))


@settings(max_examples=200, deadline=None)
@given(st.integers(-100_000, 100_000))
def test_parse_percent_round_trips(basis_points):
    pct = basis_points / 100  # e.g. 12.34 (%)
    out = parse_percent(pd.Series([f"{pct:.2f}%", f"{pct / 100:.4f}", pct / 100]), numbers_are="fraction")
    assert out.tolist() == pytest.approx([basis_points / 10_000] * 3, rel=1e-12, abs=1e-15)


def test_parse_percent_by_hand_and_refusals():
    assert parse_percent(pd.Series(["12.5%", "0.3%", "5‰", "１２％", "-", 0.12])).tolist()[:4] == [0.125, 0.003, 0.005, 0.12]
    assert parse_percent(pd.Series(["12.5", 50]), numbers_are="percent").tolist() == [0.125, 0.5]
    with pytest.raises(NmopsInputError, match="百分比.*'12.5%%'"):
        parse_percent(pd.Series(["12.5%%"]))
    with pytest.raises(NmopsInputError, match="numbers_are"):
        parse_percent(pd.Series(["1%"]), numbers_are="points")
    with pytest.raises(NmopsInputError, match="Series"):
        parse_percent("12%")


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 12, 31)))
def test_parse_excel_date_matches_openpyxl(moment):
    moment = moment.replace(microsecond=0)
    serial = (moment - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    out = parse_excel_date(pd.Series([serial, f"{moment.year}年{moment.month}月{moment.day}日"]))
    assert out[0] == pd.Timestamp(from_excel(serial)).round("s") == pd.Timestamp(moment)
    assert out[1] == pd.Timestamp(moment.date())


def test_parse_excel_date_by_hand_and_refusals():
    s = pd.Series([45678, "45678", "2025-01-21", "2025/1/21 10:30", "2025.01.21", "2025年01月21日 10时30分", "20250121", 20250121, dt.date(2025, 1, 21), "--", None])
    out = parse_excel_date(s)
    day = pd.Timestamp("2025-01-21")
    assert out.tolist()[:9] == [day, day, day, day + pd.Timedelta("10:30:00"), day, day + pd.Timedelta("10:30:00"), day, day, day]
    assert out[9:].isna().all()
    assert pd.api.types.is_datetime64_any_dtype(out)
    with pytest.raises(NmopsInputError, match="日期.*'1月21日'"):
        parse_excel_date(pd.Series(["1月21日"]))
    with pytest.raises(NmopsInputError, match="日期.*'2025-02-30'"):
        parse_excel_date(pd.Series(["2025-02-30"]))
    with pytest.raises(NmopsInputError, match="日期.*-5"):
        parse_excel_date(pd.Series([-5]))
    with pytest.raises(NmopsInputError, match="Series"):
        parse_excel_date([45678])


def test_parse_duration_by_hand_and_refusals():
    s = pd.Series(["35秒", "35s", "1分20秒", "2分钟", "1小时2分", "1:20", "01:02:03", 12.5, "90", "--", dt.timedelta(minutes=1)])
    assert parse_duration(s).tolist()[:9] == [35, 35, 80, 120, 3720, 80, 3723, 12.5, 90]
    assert math.isnan(parse_duration(s)[9]) and parse_duration(s)[10] == 60
    with pytest.raises(NmopsInputError, match="时长.*'很久'"):
        parse_duration(pd.Series(["很久"]))
    with pytest.raises(NmopsInputError, match="Series"):
        parse_duration(None)


def test_export_column_map_lists_all_platforms_and_refuses_unknown():
    m = export_column_map()
    assert set(m["platform"]) == {"wechat", "wechat_traffic", "toutiao", "douyin", "xiaohongshu"}
    assert set(m["kind"]) == {"text", "count", "percent", "date", "duration"}
    assert m.loc[(m["platform"] == "wechat") & (m["header"] == "总阅读人数"), "column"].item() == "readers"
    with pytest.raises(NmopsInputError, match="不认识的平台"):
        export_column_map("weibo")
