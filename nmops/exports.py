"""Reading real platform exports (读取后台导出的数据).

Creator backends (WeChat 公众号, 今日头条, 抖音, 小红书) export per-post or
per-day tables as .xlsx or .csv. They are awkward in predictable ways:

- CSV files arrive in UTF-8, UTF-8 with BOM, or GB18030/GBK (Excel on a
  Chinese Windows); :func:`read_export` detects which.
- A note row can sit above the headers (小红书: headers on row 2).
- Numbers are written for people: ``"10万+"``, ``"1.2w"``, ``"1.2万"``,
  ``"3.4k"``, ``"1,234"``, ``"12.5%"``, ``"-"`` for nothing, Excel serial
  dates such as ``45678`` and Chinese dates such as ``"2025年1月21日"``;
  :func:`parse_count`, :func:`parse_percent`, :func:`parse_excel_date` and
  :func:`parse_duration` turn them into numbers and timestamps.
- Every platform names its columns differently; known headers are mapped to
  one set of English column names (``reads``, ``impressions``, ``likes`` ...),
  listed by :func:`export_column_map`. Unknown extra columns are kept with
  their original names, so nothing is lost.

The header names come from third-party parsers of the backends and the
course's reference notes; verify them against your own download.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import re
import unicodedata
import warnings
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np
import pandas as pd

from nmops._encoding import UnknownEncoding, decode_text
from nmops._validation import NmopsInputError

__all__ = [
    "read_export",
    "export_column_map",
    "parse_count",
    "count_is_lower_bound",
    "parse_percent",
    "parse_excel_date",
    "parse_duration",
]

# --------------------------------------------------------------------------- platform layouts

# platform key -> (Chinese label, {header: (canonical column, kind)})
# kinds: text, count, percent, date, duration
_LAYOUTS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "wechat": (
        "公众号·已通知内容",
        {
            "内容标题": ("title", "text"),
            "标题": ("title", "text"),
            "发表时间": ("published_at", "date"),
            "总阅读人数": ("readers", "count"),
            "总阅读次数": ("reads", "count"),
            "总分享人数": ("sharers", "count"),
            "分享次数": ("shares", "count"),
            "阅读后关注人数": ("follows_gained", "count"),
            "送达人数": ("delivered", "count"),
            "公众号消息阅读次数": ("message_reads", "count"),
            "送达阅读率": ("delivered_read_rate", "percent"),
            "首次分享次数": ("first_shares", "count"),
            "分享产生阅读次数": ("reads_from_shares", "count"),
            "首次分享率": ("first_share_rate", "percent"),
            "阅读完成率": ("completion_rate", "percent"),
            "内容url": ("url", "text"),
            "在看": ("zaikan", "count"),
            "在看人数": ("zaikan", "count"),
            "点赞": ("likes", "count"),
            "点赞人数": ("likes", "count"),
            "评论": ("comments", "count"),
            "评论数": ("comments", "count"),
        },
    ),
    "wechat_traffic": (
        "公众号·流量分析",
        {
            "日期": ("date", "date"),
            "渠道": ("channel", "text"),
            "阅读次数": ("reads", "count"),
            "阅读人数": ("readers", "count"),
            "分享次数": ("shares", "count"),
            "分享人数": ("sharers", "count"),
            "阅读原文次数": ("read_more_clicks", "count"),
            "阅读原文人数": ("read_more_users", "count"),
            "收藏次数": ("favorites", "count"),
            "收藏人数": ("favorite_users", "count"),
            "群发篇": ("posts_sent", "count"),
            "群发篇数": ("posts_sent", "count"),
        },
    ),
    "toutiao": (
        "今日头条",
        {
            "标题": ("title", "text"),
            "文章标题": ("title", "text"),
            "发布时间": ("published_at", "date"),
            "发表时间": ("published_at", "date"),
            "展现量": ("impressions", "count"),
            "粉丝展现量": ("follower_impressions", "count"),
            "阅读量": ("reads", "count"),
            "粉丝阅读量": ("follower_reads", "count"),
            "点击率": ("ctr", "percent"),
            "平均阅读完成率": ("completion_rate", "percent"),
            "平均阅读时长": ("avg_read_seconds", "duration"),
            "点赞量": ("likes", "count"),
            "评论量": ("comments", "count"),
            "转发量": ("reposts", "count"),
            "分享量": ("shares", "count"),
            "收藏量": ("favorites", "count"),
            "涨粉量": ("follows_gained", "count"),
        },
    ),
    "douyin": (
        "抖音",
        {
            "发布时间": ("published_at", "date"),
            "作品名称": ("title", "text"),
            "体裁": ("format", "text"),
            "播放量": ("views", "count"),
            "完播率": ("completion_rate", "percent"),
            "5s完播率": ("completion_rate_5s", "percent"),
            "封面点击率": ("ctr", "percent"),
            "2s跳出率": ("bounce_rate_2s", "percent"),
            "平均播放时长": ("avg_watch_seconds", "duration"),
            "点赞量": ("likes", "count"),
            "分享量": ("shares", "count"),
            "评论量": ("comments", "count"),
            "收藏量": ("favorites", "count"),
            "主页访问量": ("profile_visits", "count"),
            "粉丝增量": ("follows_gained", "count"),
        },
    ),
    "xiaohongshu": (
        "小红书",
        {
            "笔记标题": ("title", "text"),
            "首次发布时间": ("published_at", "date"),
            "笔记类型": ("format", "text"),
            "体裁": ("format", "text"),
            "曝光": ("impressions", "count"),
            "曝光量": ("impressions", "count"),
            "观看量": ("views", "count"),
            "封面点击率": ("ctr", "percent"),
            "人均观看时长": ("avg_watch_seconds", "duration"),
            "涨粉": ("follows_gained", "count"),
            "涨粉数": ("follows_gained", "count"),
            "点赞": ("likes", "count"),
            "点赞数": ("likes", "count"),
            "评论": ("comments", "count"),
            "评论数": ("comments", "count"),
            "收藏": ("favorites", "count"),
            "收藏数": ("favorites", "count"),
            "分享": ("shares", "count"),
            "分享数": ("shares", "count"),
        },
    ),
}

_PLATFORM_ALIASES = {
    "公众号": "wechat",
    "微信": "wechat",
    "微信公众号": "wechat",
    "已通知内容": "wechat",
    "流量分析": "wechat_traffic",
    "头条": "toutiao",
    "今日头条": "toutiao",
    "抖音": "douyin",
    "小红书": "xiaohongshu",
    "red": "xiaohongshu",
}

#: Count columns that may be negative: net changes (粉丝增量 / 涨粉 can go down).
_NET_CHANGES = {"follows_gained"}

_MIN_MATCHES = 2  # known headers a row needs to count as the header row
_HEADER_SEARCH_ROWS = 20
_TOTAL_ROW_LABELS = {"合计", "总计", "汇总", "total"}
_MISSING_TOKENS = {"", "-", "--", "---", "—", "——", "–", "/", "n/a", "na", "nan", "null", "none", "暂无", "无"}


def _norm_header(value) -> str:
    """Normalise a header for matching: NFKC, no spaces, lower case, no trailing unit in brackets."""
    text = unicodedata.normalize("NFKC", str(value)).lower()
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\([^()]*\)$", "", text)


def _header_is_percent_points(value) -> bool:
    """Whether a header such as ``完播率(%)`` says its plain numbers are percent points."""
    text = unicodedata.normalize("NFKC", str(value))
    return bool(re.search(r"\(\s*%\s*\)\s*$", text))


_NORMALISED = {key: {_norm_header(h): spec for h, spec in cols.items()} for key, (_, cols) in _LAYOUTS.items()}


def export_column_map(platform: str | None = None) -> pd.DataFrame:
    """The known export headers and the column names they become (导出表头对照表).

    Parameters
    ----------
    platform : str, optional
        ``"wechat"`` (公众号·已通知内容), ``"wechat_traffic"`` (公众号·流量分析),
        ``"toutiao"``, ``"douyin"``, ``"xiaohongshu"`` or a Chinese alias
        (``"公众号"``, ``"头条"``, ``"抖音"``, ``"小红书"``, ``"流量分析"``). Default: all.

    Returns
    -------
    DataFrame
        Columns ``platform``, ``platform_zh``, ``header`` (as in the file),
        ``column`` (nmops name) and ``kind`` (``count``, ``percent``, ``date``,
        ``duration`` or ``text``).

    Examples
    --------
    >>> m = export_column_map("抖音")
    >>> m.loc[m["header"] == "播放量", ["header", "column", "kind"]].to_string(index=False)
    'header column  kind\\n   播放量  views count'
    """
    keys = list(_LAYOUTS) if platform is None else [_platform_key(platform)]
    rows = [
        (key, _LAYOUTS[key][0], header, column, kind)
        for key in keys
        for header, (column, kind) in _LAYOUTS[key][1].items()
    ]
    return pd.DataFrame(rows, columns=["platform", "platform_zh", "header", "column", "kind"])


def _platform_key(platform: str) -> str:
    key = _PLATFORM_ALIASES.get(str(platform).strip(), str(platform).strip().lower())
    if key not in _LAYOUTS:
        known = "、".join(f"{k}（{label}）" for k, (label, _) in _LAYOUTS.items())
        raise NmopsInputError(
            f"不认识的平台 {platform!r}。可选：{known}，或 platform=None 自动识别。"
            f" / Unknown platform {platform!r}; choose one of {', '.join(_LAYOUTS)} or None to detect it."
        )
    return key


# --------------------------------------------------------------------------- value parsers


class _BadValue(Exception):
    """Raised by an element parser for one value it cannot read; ``args[0]`` may say why (中文 / English)."""


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    return isinstance(value, str) and _clean_text(value).lower() in _MISSING_TOKENS


#: Every character read as a minus sign: ASCII "-", the minus sign U+2212 that spreadsheets and
#: Chinese platforms print, the figure and en dashes; full-width "－" and small "﹣" become "-" by NFKC.
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-"})


def _clean_text(value: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).translate(_MINUS_SIGNS)


#: A plain number: digits with optional thousands grouping (1,234 / 12,345,678) and decimals.
_NUMBER = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+"
_NUMBER_RE = re.compile(_NUMBER)


def _decimal(text: str) -> Decimal:
    """The exact value of a number written as text; a comma is allowed only as a thousands separator."""
    if "," in text and not _NUMBER_RE.fullmatch(text):
        raise _BadValue("逗号只能作千位分隔符（如 1,234），不能作小数点", "a comma may only group thousands (1,234)")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise _BadValue from None


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _finite(number: float) -> float:
    if not math.isfinite(number):
        raise _BadValue("无穷大不是有效的数", "infinity is not a valid number")
    return number


_COUNT_UNITS = {"": 1, "万": 10_000, "w": 10_000, "亿": 100_000_000, "k": 1_000, "千": 1_000}
_COUNT_RE = re.compile(rf"({_NUMBER}|[+-]?[\d,.]+)(万|w|亿|k|千)?(\+?)", re.IGNORECASE)


def _count_one(value, allow_negative: bool) -> float:
    if _is_number(value):
        number = _finite(float(value))
    elif isinstance(value, str):
        m = _COUNT_RE.fullmatch(_clean_text(value))
        if not m:
            raise _BadValue
        number = float(_decimal(m[1]) * _COUNT_UNITS[(m[2] or "").lower()])
    else:
        raise _BadValue
    if number < 0 and not allow_negative:
        raise _BadValue(
            "负数：这一列是计数，不能为负（净增这类可为负的列请用 allow_negative=True）",
            "negative: a count cannot be negative (pass allow_negative=True for a net change)",
        )
    return number


_PERCENT_UNITS = {"%": 100, "‰": 1000}


def _percent_one(value, points: bool) -> float:
    if _is_number(value):
        return _finite(float(value)) / 100 if points else _finite(float(value))
    if not isinstance(value, str):
        raise _BadValue
    text = _clean_text(value)
    unit = _PERCENT_UNITS.get(text[-1:])
    body = text[:-1] if unit else text
    if not re.fullmatch(r"[+-]?[\d,]*\.?\d+", body):
        raise _BadValue
    number = _decimal(body)
    if unit:
        return float(number / unit)
    return float(number / 100 if points else number)


def _has_percent_sign(value) -> bool:
    return isinstance(value, str) and _clean_text(value)[-1:] in _PERCENT_UNITS


_DURATION_RE = re.compile(
    r"(?:(\d+(?:\.\d+)?)(?:小时|时|h))?(?:(\d+(?:\.\d+)?)(?:分钟|分|min|m))?(?:(\d+(?:\.\d+)?)(?:秒钟|秒|s))?", re.IGNORECASE
)
_SIXTY = ("分钟和秒数不能达到 60（如 1:75 应写作 2:15）", "minutes and seconds must be below 60 (write 1:75 as 2:15)")


def _duration_one(value) -> float:
    if _is_number(value):
        number = _finite(float(value))
    elif isinstance(value, dt.timedelta):
        number = value.total_seconds()
    elif isinstance(value, dt.time):
        number = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    elif isinstance(value, str):
        number = _duration_text(_clean_text(value))
    else:
        raise _BadValue
    if number < 0:
        raise _BadValue("时长不能为负", "a duration cannot be negative")
    return number


def _duration_text(text: str) -> float:
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    m = re.fullmatch(r"(\d+):(\d{1,2}(?:\.\d+)?)(?::(\d{1,2}(?:\.\d+)?))?", text)
    if m:
        a, b, c = int(m[1]), float(m[2]), float(m[3]) if m[3] else None
        if c is not None and not b.is_integer():
            raise _BadValue
        if b >= 60 or (c is not None and c >= 60):
            raise _BadValue(*_SIXTY)
        return a * 3600 + b * 60 + c if c is not None else a * 60 + b
    m = _DURATION_RE.fullmatch(text)
    if not m or not any(m.groups()):
        raise _BadValue
    h, mi, s = (float(g) if g else None for g in m.groups())
    if (h is not None and mi is not None and mi >= 60) or ((h is not None or mi is not None) and s is not None and s >= 60):
        raise _BadValue(*_SIXTY)
    return (h or 0.0) * 3600 + (mi or 0.0) * 60 + (s or 0.0)


def _require_series(values) -> None:
    if isinstance(values, pd.DataFrame) or not isinstance(values, pd.Series):
        raise NmopsInputError(
            f"需要一个 pandas.Series（一列数据），收到的是 {type(values).__name__}；DataFrame 请逐列转换，例如 df['阅读量']。"
            f" / Expected a pandas Series (one column), got {type(values).__name__}."
        )


def _bad_values_error(values: pd.Series, bad: list, *, what: str, formats: str, where: str) -> NmopsInputError:
    """One error naming the column, the first unreadable values, their rows and (if known) why."""
    name = f"列「{values.name}」" if values.name is not None else "这一列"

    def why(reason, lang):
        return f"（{reason[0]}）" if lang == 0 and reason else (f" ({reason[1]})" if reason else "")

    shown = "；".join(f"{where.format(label)}：{value!r}{why(reason, 0)}" for label, value, reason in bad[:3])
    more = f" 等 {len(bad)} 个值" if len(bad) > 3 else ""
    label, value, reason = bad[0]
    return NmopsInputError(
        f"{name}中有无法识别为{what}的值：{shown}{more}。支持的写法：{formats}；缺失值可写作 -、-- 或留空。请改正这些单元格后再读。"
        f" / {values.name or 'values'}: cannot read {len(bad)} value(s) as {what}, e.g. {value!r}"
        f" at {where.format(label).replace('文件第 ', 'file row ').replace('索引 ', 'index ').replace(' 行', '')}{why(reason, 1)}."
    )


def _parse(values, parse_one: Callable, *, what: str, formats: str, missing, where: str = "索引 {}") -> list:
    """Apply ``parse_one`` to every value; collect the ones it cannot read into one clear error."""
    _require_series(values)
    out, bad = [], []
    for label, value in values.items():
        if _is_missing(value):
            out.append(missing)
            continue
        try:
            out.append(parse_one(value))
        except _BadValue as exc:
            bad.append((label, value, exc.args or None))
            out.append(missing)
        except (ValueError, OverflowError):
            bad.append((label, value, None))
            out.append(missing)
    if bad:
        raise _bad_values_error(values, bad, what=what, formats=formats, where=where)
    return out


_COUNT_FORMATS = "1234、1,234、1.2万、1.2w、3.4k、1亿、10万+"
_PERCENT_FORMATS = "12.5%、0.125、12.5‰"
_DATE_FORMATS = (
    "Excel 日期序号（如 45678）、2025-01-21、2025/1/21、2025年1月21日 10:30、20250121、"
    "ISO 8601 带时区（2025-01-21T02:30:00.5Z、2025-01-21 10:30:00+08:00）"
)
_DURATION_FORMATS = "35、35秒、35s、1分20秒、1:20、01:02:03（分、秒小于 60）"


def _parse_counts(values: pd.Series, *, allow_negative: bool, where: str = "索引 {}") -> pd.Series:
    out = _parse(values, lambda v: _count_one(v, allow_negative), what="数字", formats=_COUNT_FORMATS, missing=np.nan, where=where)
    return pd.Series(out, index=values.index, name=values.name, dtype="float64")


def _parse_percents(values: pd.Series, *, numbers_are: str | None, where: str = "索引 {}") -> pd.Series:
    if numbers_are not in (None, "fraction", "percent"):
        raise NmopsInputError(
            f"numbers_are 只能是 None、'fraction' 或 'percent'，收到 {numbers_are!r}。"
            f" / numbers_are must be None, 'fraction' or 'percent', got {numbers_are!r}."
        )
    points = numbers_are == "percent"
    out = pd.Series(
        _parse(values, lambda v: _percent_one(v, points), what="百分比", formats=_PERCENT_FORMATS, missing=np.nan, where=where),
        index=values.index, name=values.name, dtype="float64",
    )
    if numbers_are is None:
        sign = np.array([_has_percent_sign(v) for v in values], dtype=bool)
        bare = ~sign & out.notna().to_numpy()
        bare_text = bare & np.array([isinstance(v, str) for v in values], dtype=bool)
        problem = None
        if sign.any() and bare_text.any():  # a number cell (an Excel %-formatted cell holds 0.31) is a fraction
            problem = ("混用了带 % 的文字和不带 % 的数字，不带 % 的数是小数还是百分点无法确定",
                       "mixes values with a % sign and bare numbers, which may be fractions or percent points")
            first = int(np.flatnonzero(bare)[0])
        elif (bare & (out.to_numpy() > 1)).any():
            problem = ("不带 % 的数大于 1，按小数读会超过 100%，它很可能是百分点",
                       "holds bare numbers above 1, over 100% if read as fractions: probably percent points")
            first = int(np.flatnonzero(bare & (out.to_numpy() > 1))[0])
        if problem:
            name = f"列「{values.name}」" if values.name is not None else "这一列"
            label, value = values.index.tolist()[first], values.to_numpy(dtype=object)[first]
            value = value.item() if isinstance(value, np.generic) else value
            raise NmopsInputError(
                f"{name}{problem[0]}：例如{where.format(label)} 处的 {value!r}。"
                f"请说明不带 % 的数怎么读：numbers_are='percent'（12.5 表示 12.5%）或 numbers_are='fraction'（0.125 表示 12.5%）。"
                f" / {values.name or 'values'} {problem[1]}, e.g. {value!r} at {label!r};"
                f" pass numbers_are='percent' or numbers_are='fraction'."
            )
    return out


# --------------------------------------------------------------------------- dates (vectorised)

_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")  # serial 1 = 1900-01-01 in Excel's 1900 date system
_BEIJING = "Asia/Shanghai"
_DATE_RE = (
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"  # date, year first
    r"(?:[\sT]*(?P<h>\d{1,2})\s*[:时点]\s*(?P<mi>\d{1,2})\s*"  # optional time
    r"(?:(?:[:分]\s*(?P<s>\d{1,2})(?P<frac>\.\d+)?\s*秒?)|分)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?$"  # optional ISO 8601 offset
)


def _serial_dates(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Excel serials (and 8-digit 20250121) as datetime64[ns]; also a mask of the numbers that are neither."""
    out = np.full(len(numbers), np.datetime64("NaT"), dtype="datetime64[ns]")
    finite = np.isfinite(numbers)
    ymd = finite & (numbers == np.floor(np.where(finite, numbers, 0))) & (numbers >= 19000101) & (numbers <= 21001231)
    if ymd.any():
        text = pd.Series(numbers[ymd].astype(np.int64).astype(str))
        out[ymd] = pd.to_datetime(text, format="%Y%m%d", errors="coerce").to_numpy(dtype="datetime64[ns]")
    serial = finite & ~ymd & (numbers >= 1) & (numbers < 2958466)  # 1900-01-01 .. 9999-12-31
    if serial.any():
        ms = np.round(numbers[serial] * 86_400_000).astype(np.int64)  # Excel keeps milliseconds
        out[serial] = _EXCEL_EPOCH + ms.astype("timedelta64[ms]").astype("timedelta64[ns]")
    return out, ~(ymd | serial) | np.isnat(out)


def _text_dates(text: pd.Series) -> np.ndarray:
    """Chinese and ISO date strings (already NFKC, no spaces) as naive Beijing datetime64[ns]; NaT if unreadable."""
    parts = text.str.extract(_DATE_RE)
    number = {k: pd.to_numeric(parts[k]).fillna(0).astype("int64") for k in ("y", "mo", "d", "h", "mi", "s")}
    stamp = pd.to_datetime(
        pd.DataFrame({"year": number["y"], "month": number["mo"], "day": number["d"],
                      "hour": number["h"], "minute": number["mi"], "second": number["s"]}),
        errors="coerce",
    )
    stamp = stamp.where(parts["y"].notna() & (number["h"] < 24) & (number["mi"] < 60) & (number["s"] < 60))
    stamp = stamp + pd.to_timedelta(pd.to_numeric(parts["frac"]).fillna(0.0), unit="s").dt.round("us")
    tz = parts["tz"]
    offset = tz.str.slice(1, 3).pipe(pd.to_numeric).mul(60) + tz.str.slice(-2).where(tz.str.len() > 3).pipe(pd.to_numeric).fillna(0)
    offset = offset.where(tz.str.startswith("+"), -offset).where(tz != "Z", 0.0)
    # written with an offset: local − offset = UTC, + 8 h = Beijing wall-clock time
    shift = (8 * 60 - offset).where(tz.notna(), 0.0)
    return (stamp + pd.to_timedelta(shift, unit="min")).to_numpy(dtype="datetime64[ns]")


#: Chinese date and time marks and the ISO 8601 characters they become.
_CHINESE_DATE_MARKS = (("年", "-"), ("月", "-"), ("日", " "), ("号", " "), ("时", ":"), ("点", ":"), ("分", ":"), ("秒", ""))


def _type_kind(kind_of: type) -> int:
    """1 for a number type (not bool), 2 for text, 3 for anything else."""
    if issubclass(kind_of, (int, float, np.integer, np.floating)) and not issubclass(kind_of, (bool, np.bool_)):
        return 1
    return 2 if issubclass(kind_of, str) else 3


def _is_ascii(texts: np.ndarray) -> np.ndarray:
    """Whether each text of a fixed-width unicode array is plain ASCII (all code points below 128)."""
    if texts.dtype.itemsize == 0 or len(texts) == 0:
        return np.ones(len(texts), dtype=bool)
    return texts.view(np.uint32).reshape(len(texts), -1).max(axis=1) < 128


def _text_values(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct date texts → (datetimes, numbers, kind: 0 missing, 1 number, 2 date text).

    ISO 8601 text goes through pandas' C parser (offsets converted to Beijing
    time); numbers written as text go to the Excel serial rules; only the
    remaining text (Chinese dates, full-width digits) is matched one by one.
    """
    n = len(texts)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    numbers = np.full(n, np.nan)
    kind = np.full(n, 2, dtype=np.int8)
    plain = np.char.strip(texts.astype(np.str_)) if n else np.array([], dtype=np.str_)
    token = np.isin(np.char.lower(plain), list(_MISSING_TOKENS))
    kind[token] = 0
    numeric = ~token & np.char.isdecimal(np.char.replace(plain, ".", "", count=1)) & ~np.char.startswith(plain, ".")
    numeric &= ~np.char.endswith(plain, ".")
    numbers[numeric] = pd.to_numeric(pd.Series(plain[numeric], dtype=object), errors="coerce").to_numpy(dtype=float)
    kind[numeric & ~np.isnan(numbers)] = 1
    iso = (kind == 2) & (np.char.str_len(plain) >= 10) & _is_ascii(plain)
    offset = iso & (np.char.endswith(plain, "Z") | (np.char.rfind(plain, "+") >= 10) | (np.char.rfind(plain, "-") >= 10))
    for group, utc in ((iso & ~offset, False), (offset, True)):
        if group.any():
            stamp = pd.to_datetime(pd.Series(plain[group], dtype=object), format="ISO8601", errors="coerce", utc=utc)
            if utc:
                stamp = stamp.dt.tz_convert(_BEIJING).dt.tz_localize(None)
            out[group] = stamp.to_numpy(dtype="datetime64[ns]")
    chinese = np.flatnonzero((kind == 2) & np.isnat(out) & ~iso)
    if len(chinese):  # "2025年1月21日 10时30分05秒" → "2025-1-21 10:30:05", then the C parser again
        spelled = plain[chinese]
        for zh, iso_char in _CHINESE_DATE_MARKS:
            spelled = np.char.replace(spelled, zh, iso_char)
        spelled = np.char.strip(np.char.rstrip(np.char.replace(np.char.strip(spelled), "  ", " "), ":"))
        ok = _is_ascii(spelled) & (np.char.str_len(spelled) >= 8)
        if ok.any():
            stamp = pd.to_datetime(pd.Series(spelled[ok], dtype=object), format="ISO8601", errors="coerce")
            out[chinese[ok]] = stamp.to_numpy(dtype="datetime64[ns]")
    rest = np.flatnonzero((kind == 2) & np.isnat(out))
    if len(rest):  # Chinese dates, non-ASCII digits, missing markers such as 暂无: the regular expression
        text = pd.Series(texts[rest], dtype=object).str.normalize("NFKC").str.strip()
        compact = text.str.replace(r"\s+", "", regex=True)
        missing = compact.str.lower().isin(_MISSING_TOKENS).to_numpy()
        digits = compact.str.fullmatch(r"\d+(?:\.\d+)?").to_numpy() & ~missing
        kind[rest[missing]] = 0
        kind[rest[digits]] = 1
        numbers[rest[digits]] = compact[digits].astype(np.float64).to_numpy()
        dated = ~missing & ~digits
        if dated.any():
            out[rest[dated]] = _text_dates(text[dated].reset_index(drop=True))
    return out, numbers, kind


def _stamp_one(value) -> np.datetime64:
    """A datetime object as naive Beijing time."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(_BEIJING).tz_localize(None)
    return stamp.to_datetime64().astype("datetime64[ns]")


def _parse_dates(values: pd.Series, *, keep_timezone: bool = False, where: str = "索引 {}") -> pd.Series:
    """Vectorised :func:`parse_excel_date` (see there for the rules)."""
    _require_series(values)
    if not isinstance(keep_timezone, bool):
        raise NmopsInputError(f"keep_timezone 应该是 True 或 False，收到 {keep_timezone!r}。 / keep_timezone must be True or False.")
    if pd.api.types.is_datetime64_any_dtype(values):
        s = values.dt.tz_convert(_BEIJING).dt.tz_localize(None) if values.dt.tz is not None else values
        out = s.to_numpy(dtype="datetime64[ns]")
        bad = np.zeros(len(values), dtype=bool)
    else:
        obj = values.to_numpy(dtype=object)
        out = np.full(len(obj), np.datetime64("NaT"), dtype="datetime64[ns]")
        missing = values.isna().to_numpy()
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        if inferred in ("integer", "floating", "mixed-integer-float", "string", "empty"):  # one kind: no loop
            kind = np.where(missing, 0, 2 if inferred == "string" else 1).astype(np.int8)
        else:  # classify each distinct type once
            type_codes, types = pd.factorize(pd.Series(obj, dtype=object).map(type))
            per_type = np.array([_type_kind(t) for t in types], dtype=np.int8)
            kind = np.where(missing, 0, per_type[type_codes]).astype(np.int8)
        numbers = np.full(len(obj), np.nan)
        numbers[kind == 1] = obj[kind == 1].astype(np.float64)
        bad = kind == 3
        if (kind == 2).any():
            at = np.flatnonzero(kind == 2)
            codes, uniques = pd.factorize(obj[at])  # each distinct text is read once
            u_out, u_numbers, u_kind = _text_values(np.asarray(uniques, dtype=object))
            kind[at], numbers[at], out[at] = u_kind[codes], u_numbers[codes], u_out[codes]
            bad[at] = (u_kind[codes] == 2) & np.isnat(out[at])
        if (kind == 1).any():
            out[kind == 1], not_a_date = _serial_dates(numbers[kind == 1])
            bad[np.flatnonzero(kind == 1)[not_a_date]] = True
        for i in np.flatnonzero(kind == 3):  # datetime objects in an object column (rare)
            if isinstance(obj[i], (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
                out[i], bad[i] = _stamp_one(obj[i]), False
    if bad.any():
        shown = values.to_numpy(dtype=object)
        pairs = [(values.index[i], shown[i], None) for i in np.flatnonzero(bad)]
        raise _bad_values_error(values, pairs, what="日期", formats=_DATE_FORMATS, where=where)
    result = pd.Series(out, index=values.index, name=values.name)
    return result.dt.tz_localize(_BEIJING) if keep_timezone else result


def _parse_durations(values: pd.Series, *, where: str = "索引 {}") -> pd.Series:
    out = _parse(values, _duration_one, what="时长", formats=_DURATION_FORMATS, missing=np.nan, where=where)
    return pd.Series(out, index=values.index, name=values.name, dtype="float64")


def parse_count(values: pd.Series, *, allow_negative: bool = False) -> pd.Series:
    """Counts as numbers (把“10万+”“1.2w”变成数字): ``"1.2万"`` → 12000.

    value = number × unit,  unit: 万/w = 10 000, 亿 = 100 000 000, k/千 = 1 000

    Reads ``1234``, ``"1,234"``, ``"1.2万"``, ``"1.2w"``, ``"3.4k"``,
    ``"1亿"``, full-width digits and a trailing ``+``. Missing markers
    (``"-"``, ``"--"``, ``""``, ``"—"``, ``"暂无"``) become NaN. Decimals
    are read exactly, so ``"1.15万"`` is 11500, not 11499.999….

    Refused, with an error naming the value and its row: a comma that is
    not a thousands separator (``"1,23"``, ``"12,5"``: a decimal comma
    would silently become 123 or 125), infinity (as a number or as text:
    never a count), and negative numbers unless ``allow_negative=True``.
    One rule for every minus sign: ``-``, full-width ``－``, the minus sign
    ``−`` (U+2212, printed by spreadsheets and Chinese platforms) and the
    dash ``–`` all mean minus. Only a column that can go down may be
    negative: a net change such as 粉丝增量/涨粉 (net new followers).

    Trap (易错点): ``"10万+"`` is a **lower bound**: WeChat shows every read count
    above 100 000 as 10万+. It becomes 100000 here; find such values with
    :func:`count_is_lower_bound` (``read_export`` adds a
    ``<column>_is_lower_bound`` column) and do not rank or sum them as exact.

    Parameters
    ----------
    values : Series
        Strings or numbers, e.g. a column of an export.
    allow_negative : bool, default False
        Accept negative numbers (net changes only).

    Returns
    -------
    Series
        float64 (NaN for missing), same index and name.

    Examples
    --------
    >>> parse_count(pd.Series(["1,234", "1.2w", "1.2万", "3.4k", "10万+", "-", "", 56])).tolist()
    [1234.0, 12000.0, 12000.0, 3400.0, 100000.0, nan, nan, 56.0]
    >>> parse_count(pd.Series(["−5", "－5", "+3"]), allow_negative=True).tolist()
    [-5.0, -5.0, 3.0]
    """
    if not isinstance(allow_negative, bool):
        raise NmopsInputError(f"allow_negative 应该是 True 或 False，收到 {allow_negative!r}。 / allow_negative must be True or False.")
    return _parse_counts(values, allow_negative=allow_negative)


def count_is_lower_bound(values: pd.Series) -> pd.Series:
    """Whether a displayed count is only a lower bound (是否为“10万+”这类下限值).

    is_lower_bound = the text ends with "+"

    Parameters
    ----------
    values : Series
        The raw column, before :func:`parse_count`.

    Returns
    -------
    Series
        bool, same index and name.

    Examples
    --------
    >>> count_is_lower_bound(pd.Series(["10万+", "9.8万", 5, None])).tolist()
    [True, False, False, False]
    """
    if not isinstance(values, pd.Series):
        raise NmopsInputError(
            f"需要一个 pandas.Series，收到的是 {type(values).__name__}。 / Expected a pandas Series, got {type(values).__name__}."
        )
    flags = [isinstance(v, str) and _clean_text(v).endswith("+") for v in values]
    return pd.Series(flags, index=values.index, name=values.name, dtype="bool")


def parse_percent(values: pd.Series, *, numbers_are: str | None = None) -> pd.Series:
    """Rates as fractions (把百分比变成小数): ``"12.5%"`` → 0.125.

    fraction = number / 100 when written with "%";  number / 1000 with "‰"

    Text with a ``%`` sign is always read as percent. A plain number (0.125,
    or the text ``"0.125"``) is taken as a fraction already when
    ``numbers_are="fraction"`` (Toutiao's 点击率 arrives like this), or as
    percent points when ``numbers_are="percent"`` (a column headed
    ``完播率(%)`` holding ``12.5``). Missing markers become NaN.

    By default (``numbers_are=None``) plain numbers are read as fractions,
    but a column that cannot be read without a guess is refused, naming the
    value and its row: one that mixes ``%`` text with numbers written as
    text (``["12.5%", "0.3"]``: is "0.3" a fraction or 0.3%?), and one whose
    plain numbers exceed 1 (30 would become 3000%). A number that is not
    text next to ``%`` text is a fraction: that is how an Excel cell
    formatted as a percentage stores 31% (0.31). Say how to read them
    with ``numbers_are``. A comma is accepted only as a thousands separator
    (``"12,5%"`` is refused, not read as 125%); infinity is refused.

    Parameters
    ----------
    values : Series
        Strings or numbers.
    numbers_are : {None, "fraction", "percent"}, default None
        How to read values written without a % sign (None: as fractions,
        refusing mixed or above-1 columns).

    Returns
    -------
    Series
        float64 fractions (NaN for missing), same index and name.

    Examples
    --------
    >>> parse_percent(pd.Series(["12.5%", "0.3%", "1,234.5‰", "--"])).tolist()
    [0.125, 0.003, 1.2345, nan]
    >>> parse_percent(pd.Series([0.12, "0.3"])).tolist()
    [0.12, 0.3]
    >>> parse_percent(pd.Series([12.5, "7"]), numbers_are="percent").tolist()
    [0.125, 0.07]
    """
    return _parse_percents(values, numbers_are=numbers_are)


def parse_excel_date(values: pd.Series, *, keep_timezone: bool = False) -> pd.Series:
    """Dates as they arrive in exports (导出文件里的日期): Excel serials and Chinese date strings.

    date = 1899-12-30 + serial days  (Excel's 1900 date system; 45678 → 2025-01-21)

    Reads Excel serial numbers (a fraction is the time of day: 45678.5 is
    2025-01-21 12:00), datetime values, ISO and Chinese strings
    (``"2025-01-21"``, ``"2025/1/21 10:30"``, ``"2025.01.21"``,
    ``"2025年1月21日"``, ``"2025年1月21日 10时30分"``) and eight-digit
    ``20250121``. Missing markers become NaT. Always year first, as Chinese
    backends write it; a date without a year (``"1月21日"``) is refused.

    Time zone (时区): exports show Beijing time without a zone, and so does
    the result. ISO 8601 text with an offset (``"2025-01-21T02:30:00Z"``,
    ``"...+08:00"``, ``"...-0500"``) and timezone-aware datetimes are
    converted to Beijing time (Asia/Shanghai, UTC+8) and returned naive like
    the course data; ``keep_timezone=True`` returns them aware in
    Asia/Shanghai instead (text without an offset is taken as Beijing time).
    Fractions of a second are kept (``"10:30:05.25"``; Excel serials to the
    millisecond, as Excel stores them). Every value is parsed at once
    (vectorised), about a microsecond per value.

    Trap (易错点): when Excel shows 45678 instead of a date, the cell lost its date
    format, not its value. Serials before 1900-03-01 are off by one day (Excel
    counts a 29 February 1900 that never existed); exports never go there.

    Parameters
    ----------
    values : Series
        Numbers, strings or datetimes.
    keep_timezone : bool, default False
        Return timezone-aware Asia/Shanghai times instead of naive ones.

    Returns
    -------
    Series
        datetime64[ns] (timezone-naive Beijing time, as shown in the
        backend, unless ``keep_timezone``), same index and name.

    Examples
    --------
    >>> parse_excel_date(pd.Series([45678, "2025年1月21日", "2025/1/21 10:30", "-"])).tolist()
    [Timestamp('2025-01-21 00:00:00'), Timestamp('2025-01-21 00:00:00'), Timestamp('2025-01-21 10:30:00'), NaT]
    >>> parse_excel_date(pd.Series(["2025-01-21T02:30:00.5Z"])).tolist()
    [Timestamp('2025-01-21 10:30:00.500000')]
    """
    return _parse_dates(values, keep_timezone=keep_timezone)


def parse_duration(values: pd.Series) -> pd.Series:
    """Durations in seconds (把时长变成秒数): ``"1分20秒"`` → 80.

    seconds = hours × 3600 + minutes × 60 + seconds

    Reads plain numbers (already seconds), ``"35秒"``, ``"35s"``,
    ``"1分20秒"``, ``"2分钟"``, ``"1小时2分"``, ``"1:20"`` (minutes:seconds)
    and ``"01:02:03"`` (hours:minutes:seconds). Used for 平均阅读时长,
    平均播放时长 and 人均观看时长. Minutes and seconds below a larger unit
    must be under 60: ``"1:75"`` and ``"1分75秒"`` are refused (a typo
    that would otherwise read as 135 s); negative and infinite durations
    are refused.

    Parameters
    ----------
    values : Series
        Strings or numbers.

    Returns
    -------
    Series
        float64 seconds (NaN for missing), same index and name.

    Examples
    --------
    >>> parse_duration(pd.Series(["35秒", "1分20秒", "1:20", "01:02:03", 12.5, "--"])).tolist()
    [35.0, 80.0, 80.0, 3723.0, 12.5, nan]
    """
    return _parse_durations(values)


# --------------------------------------------------------------------------- reading files

def _decode(data: bytes, encoding: str | None) -> tuple[str, str]:
    """Return the text and the encoding used: UTF-8 with BOM, UTF-8, then GB18030 (a superset of GBK)."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise NmopsInputError(
                f"按指定的编码 {encoding} 读不了这个文件（{exc}）。去掉 encoding 参数让 nmops 自动检测。"
                f" / Cannot decode the file as {encoding} ({exc}); omit encoding= to detect it."
            ) from None
    try:
        return decode_text(data)
    except UnknownEncoding as exc:
        if exc.utf16:
            raise NmopsInputError(
                "文件编码是 UTF-16，不是导出常见的 UTF-8 或 GB18030/GBK。请用 Excel 或 WPS 另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后再读。"
                " / The file is UTF-16 encoded, not UTF-8 or GB18030/GBK; save it again as CSV UTF-8 or .xlsx."
            ) from None
        raise NmopsInputError(
            "无法识别文件编码：它既不是 UTF-8、带 BOM 的 UTF-8，也不是 GB18030/GBK（"
            + "；".join(exc.attempts)
            + "）。请用 Excel 或 WPS 打开后另存为“CSV UTF-8（逗号分隔）”或 .xlsx；文件可能已损坏，或根本不是文本文件。"
            " / Unknown text encoding: the file is neither UTF-8 (with or without BOM) nor GB18030/GBK;"
            " save it again as CSV UTF-8 or .xlsx."
        ) from None


def _guess_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:_HEADER_SEARCH_ROWS] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_bytes(source) -> tuple[bytes | str, str | None]:
    """Read the whole source; return its content and its file name (if any)."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise NmopsInputError(f"找不到文件：{path}。检查路径和文件名。 / File not found: {path}.")
        return path.read_bytes(), path.name
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), None
    if hasattr(source, "read"):
        content = source.read()
        return content, getattr(source, "name", None)
    raise NmopsInputError(
        f"read_export 需要文件路径或打开的文件，收到的是 {type(source).__name__}。"
        f" / read_export needs a path or a file object, got {type(source).__name__}."
    )


def _read_cells(source, sheet_name, encoding) -> tuple[list[list], str | None]:
    """The file as a list of rows of raw cells, plus the text encoding (None for Excel)."""
    content, name = _read_bytes(source)
    suffix = Path(str(name)).suffix.lower() if name else ""
    is_bytes = isinstance(content, (bytes, bytearray))
    if suffix == ".xls" or (is_bytes and content[:4] == b"\xd0\xcf\x11\xe0"):
        raise NmopsInputError(
            "这是旧版 Excel 97-2003 (.xls) 文件，nmops 不读这种格式。请用 Excel 或 WPS 另存为 .xlsx 或 CSV UTF-8。"
            " / Old .xls files are not supported; save the file as .xlsx or CSV UTF-8."
        )
    if suffix in (".xlsx", ".xlsm") or (is_bytes and content[:4] == b"PK\x03\x04"):
        if not is_bytes:
            raise NmopsInputError("Excel 文件要以二进制方式打开（open(path, 'rb')）。 / Open Excel files in binary mode ('rb').")
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*[Ww]orkbook contains no default style.*")
                frame = pd.read_excel(io.BytesIO(content), sheet_name=sheet_name, header=None, dtype=object, engine="openpyxl")
        except (ValueError, KeyError) as exc:
            if "Worksheet" in str(exc) or "not found" in str(exc):
                raise NmopsInputError(
                    f"Excel 文件里没有工作表 {sheet_name!r}（{exc}）。 / Sheet {sheet_name!r} not found: {exc}"
                ) from None
            raise NmopsInputError(f"打不开这个 Excel 文件：{exc}。 / Cannot read the Excel file: {exc}") from None
        except Exception as exc:  # zipfile.BadZipFile and friends: a damaged file
            raise NmopsInputError(f"打不开这个 Excel 文件（可能已损坏）：{exc}。 / Cannot read the Excel file: {exc}") from None
        rows = [[None if _is_missing_cell(v) else v for v in row] for row in frame.itertuples(index=False, name=None)]
        return rows, None
    text, used = (content, None) if isinstance(content, str) else _decode(content, encoding)
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_guess_delimiter(text))
    return [list(row) for row in reader], used


def _is_missing_cell(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def _row_matches(row: list, key: str) -> int:
    """Number of distinct known columns of platform ``key`` among the cells of ``row``."""
    known = _NORMALISED[key]
    return len({known[h][0] for h in map(_norm_header, row) if h in known})


def _describe_expected(keys) -> str:
    return "；".join(
        f"{_LAYOUTS[k][0]}（{k}）：" + "、".join(dict.fromkeys(list(_LAYOUTS[k][1])[:8])) + "……" for k in keys
    )


def _locate_header(rows: list[list], platform: str | None, encoding: str | None) -> tuple[int, str]:
    keys = [platform] if platform else list(_LAYOUTS)
    best = (0, -1, [])  # (matches, row index, platforms)
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        scores = {k: _row_matches(row, k) for k in keys}
        top = max(scores.values())
        if top > best[0]:
            best = (top, i, [k for k, s in scores.items() if s == top])
    matches, index, found = best
    if matches < _MIN_MATCHES:
        candidates = [r for r in rows[:_HEADER_SEARCH_ROWS] if any(_cell_text(c) for c in r)]
        shown = max(candidates, key=lambda r: sum(bool(_cell_text(c)) for c in r)) if candidates else []
        have = "、".join(_cell_text(c) for c in shown if _cell_text(c)) or "（空文件）"
        where = f"platform={platform!r} 的" if platform else "任何已知平台的"
        enc = f"；若表头是乱码，说明文件编码不对（检测为 {encoding}）" if encoding else ""
        raise NmopsInputError(
            f"无法识别导出文件的格式：前 {_HEADER_SEARCH_ROWS} 行里没有找到{where}表头（至少要认出 {_MIN_MATCHES} 列）。"
            f"期望的表头：{_describe_expected(keys)}。文件里找到的表头：{have}。"
            f"请确认导出的是上述报表之一，或用 platform= 指定平台{enc}。"
            f" / Unknown export layout: no row in the first {_HEADER_SEARCH_ROWS} holds at least {_MIN_MATCHES} known headers"
            f" of {', '.join(keys)}. Found headers: {have}."
        )
    if len(found) > 1:
        labels = "、".join(f"{_LAYOUTS[k][0]}（{k}）" for k in found)
        raise NmopsInputError(
            f"表头同时符合多个平台：{labels}，无法自动判断。请用 platform= 指定，例如 platform={found[0]!r}。"
            f" / The headers fit several platforms ({', '.join(found)}); pass platform= to choose."
        )
    return index, found[0]


def _unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            seen[name] += 1
            out.append(f"{name}.{seen[name]}")
        else:
            seen[name] = 0
            out.append(name)
    return out


def read_export(
    path_or_buffer,
    platform: str | None = None,
    *,
    sheet_name: str | int = 0,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a platform's backend export (读取后台导出文件) into a tidy DataFrame.

    known header → canonical column, parsed;  unknown header → kept as is

    Steps: (1) read .xlsx with openpyxl, or decode .csv as UTF-8 with BOM,
    UTF-8 or GB18030/GBK (the first that fits; an encoding none of these can
    read is refused with an error naming the problem); (2) find the header
    row among the first 20 rows: the row holding the most known headers of
    one platform (rows above it, such as 小红书's note, are kept in
    ``df.attrs["notes"]``); (3) detect the platform from those headers when
    ``platform`` is None; (4) rename known headers to canonical names (see
    :func:`export_column_map`) and parse them: counts with
    :func:`parse_count`, rates with :func:`parse_percent` (a header ending in
    ``(%)`` means plain numbers are percent points), dates with
    :func:`parse_excel_date`, durations with :func:`parse_duration`;
    (5) keep every other column under its original name and values.

    Also: a count column holding ``"10万+"`` gets a boolean companion column
    ``<column>_is_lower_bound`` (the value is only a lower bound); empty rows
    are dropped, and so is a totals row (合计/总计/汇总) so that sums are not
    doubled. ``df.attrs`` records ``platform``, ``encoding``, ``header_row``
    (0-based row of the headers in the file), ``columns`` (canonical name →
    original header), ``notes`` and ``dropped_rows``.

    Trap (易错点): the same canonical name means the same thing only within a
    platform: WeChat's ``reads`` are opens of a pushed article, Toutiao's are
    clicks after an impression, and Douyin has ``views`` (plays) instead.
    WeChat exports both 人数 (``readers``) and 次数 (``reads``): pick one
    consistently.

    Parameters
    ----------
    path_or_buffer : str, Path, bytes or file object
        The exported .xlsx or .csv (a file opened in binary mode, or bytes).
    platform : str, optional
        ``"wechat"`` (公众号·已通知内容), ``"wechat_traffic"`` (公众号·流量分析),
        ``"toutiao"``, ``"douyin"``, ``"xiaohongshu"`` or a Chinese alias.
        Default None: detect it from the headers.
    sheet_name : str or int
        Sheet of an Excel file, default the first.
    encoding : str, optional
        Force a text encoding for CSV instead of detecting it.

    Returns
    -------
    DataFrame
        One row per data row of the export, index 0..n−1.

    Examples
    --------
    >>> csv_text = "作品名称,发布时间,播放量,完播率,点赞量,备注\\n春日花茶,45678,1.2w,12.5%,10万+,置顶\\n"
    >>> df = read_export(csv_text.encode("gb18030"))
    >>> df.attrs["platform"], df.attrs["encoding"]
    ('douyin', 'gb18030')
    >>> df.T
                                   0
    title                       春日花茶
    published_at   2025-01-21 00:00:00
    views                      12000.0
    completion_rate              0.125
    likes                     100000.0
    likes_is_lower_bound          True
    备注                            置顶
    """
    key = _platform_key(platform) if platform is not None else None
    if not isinstance(sheet_name, (str, int)) or isinstance(sheet_name, bool):
        raise NmopsInputError(f"sheet_name 应该是工作表名或序号，收到 {sheet_name!r}。 / sheet_name must be a name or an index.")
    rows, used_encoding = _read_cells(path_or_buffer, sheet_name, encoding)
    header_index, key = _locate_header(rows, key, used_encoding)
    known = _NORMALISED[key]

    header = list(rows[header_index])
    body = rows[header_index + 1 :]
    width = max([len(header)] + [len(r) for r in body])
    header += [None] * (width - len(header))
    notes = [" ".join(_cell_text(c) for c in r if _cell_text(c)) for r in rows[:header_index]]
    notes = [n for n in notes if n]

    kept, file_rows, dropped = [], [], []
    for offset, row in enumerate(body):
        row = list(row) + [None] * (width - len(row))
        texts = [_cell_text(c) for c in row]
        line = header_index + offset + 2  # 1-based row number as Excel or a text editor shows it
        if not any(texts):
            continue
        first = next(t for t in texts if t)
        if first.lower() in _TOTAL_ROW_LABELS:
            dropped.append(line)
            continue
        kept.append(row)
        file_rows.append(line)

    columns: list[tuple[str, pd.Series]] = []
    mapping: dict[str, str] = {}
    where = "文件第 {} 行"
    for j, cell in enumerate(header):
        original = _cell_text(cell)
        raw = pd.Series([r[j] for r in kept], index=file_rows, name=original, dtype=object)
        if not original:
            if all(_is_missing_cell(v) or _cell_text(v) == "" for v in raw):
                continue  # empty trailing column (a CSV row ending in a comma)
            original = f"未命名列{j + 1}"
            raw.name = original
        spec = known.get(_norm_header(original))
        if spec is None or spec[0] in mapping:  # unknown, or a second copy of a known header
            cleaned = raw.map(lambda v: None if _is_missing_cell(v) or (isinstance(v, str) and not v.strip()) else v)
            columns.append((original, cleaned.infer_objects()))
            continue
        column, kind = spec
        mapping[column] = original
        if kind == "count":
            columns.append((column, _parse_counts(raw, allow_negative=column in _NET_CHANGES, where=where)))
            flags = count_is_lower_bound(raw)
            if flags.any():
                columns.append((f"{column}_is_lower_bound", flags))
        elif kind == "percent":
            numbers_are = "percent" if _header_is_percent_points(original) else None
            columns.append((column, _parse_percents(raw, numbers_are=numbers_are, where=where)))
        elif kind == "date":
            columns.append((column, _parse_dates(raw, where=where)))
        elif kind == "duration":
            columns.append((column, _parse_durations(raw, where=where)))
        else:
            text = [None if _is_missing_cell(v) or _cell_text(v) == "" else str(v).strip() for v in raw]
            columns.append((column, pd.Series(text, dtype=object).infer_objects()))

    names = _unique_names([name for name, _ in columns])
    data = {name: series.reset_index(drop=True) for name, (_, series) in zip(names, columns)}
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(kept)))
    frame.attrs = {
        "platform": key,
        "platform_zh": _LAYOUTS[key][0],
        "encoding": used_encoding,
        "header_row": header_index,
        "columns": mapping,
        "notes": notes,
        "dropped_rows": dropped,
    }
    return frame
