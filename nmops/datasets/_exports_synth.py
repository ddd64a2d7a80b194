"""Messy platform exports written from the clean posts (平台导出文件合成).

Each writer returns the bytes of one file, built from the same posts as
``posts.csv.gz`` the way that platform's backend would export them: Chinese
headers, "10万+", "1.2w", "3,456", "12.5%", GB18030, a BOM, a note row,
Excel serial dates. What each file looks like is documented in
:data:`nmops.datasets.dictionary.EXPORTS`.

Every output is byte-for-byte deterministic: the xlsx files get fixed
document timestamps and fixed zip entry times.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import numpy as np
import pandas as pd

from nmops.datasets.dictionary import EXPORTS

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_TOKEN_CHARS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"))


def fmt_thousands(x: int) -> str:
    """3456 -> '3,456'."""
    return f"{int(x):,}"


def fmt_wan_plus(x: int) -> str:
    """WeChat's public display: 100000 or more becomes '10万+'."""
    return "10万+" if x >= 100_000 else fmt_thousands(x)


def fmt_w(x: int) -> str | int:
    """Creator-backend style: 10000 or more becomes '1.2w' (one decimal, half up)."""
    if x >= 10_000:
        tenths = (int(x) + 500) // 1000  # value / 10000 rounded half up to one decimal
        return f"{tenths // 10}.{tenths % 10}w"
    return int(x)


def fmt_pct(x: float, decimals: int = 1) -> str:
    """0.125 -> '12.5%'."""
    return f"{x * 100:.{decimals}f}%"


def fmt_duration_zh(seconds: float) -> str:
    """83 -> '1分23秒'; 45 -> '45秒'."""
    s = int(round(seconds))
    return f"{s // 60}分{s % 60}秒" if s >= 60 else f"{s}秒"


def _csv_bytes(df: pd.DataFrame, encoding: str, newline: str) -> bytes:
    return df.to_csv(index=False, lineterminator=newline).encode(encoding)


def wechat_export(posts: pd.DataFrame, rng: np.random.Generator) -> bytes:
    """已通知内容 export of the WeChat posts: GB18030 CSV, newest first."""
    sel = (posts["channel"] == "wechat").to_numpy()
    p = posts[sel]
    push = p["reads_push"].to_numpy(dtype="int64")
    n = len(p)
    reads = p["reads"].to_numpy()
    shares = p["shares"].to_numpy()
    delivered = p["delivered"].to_numpy(dtype="int64")
    read_times = np.round(reads * rng.uniform(1.08, 1.25, n)).astype(np.int64)
    share_times = np.round(shares * rng.uniform(1.1, 1.4, n)).astype(np.int64)
    msg_reads = np.round(push * rng.uniform(1.03, 1.10, n)).astype(np.int64)
    first_share = np.round(shares * rng.uniform(0.6, 0.8, n)).astype(np.int64)
    share_reads = np.round((reads - push) * rng.uniform(0.5, 0.8, n)).astype(np.int64)
    tokens = ["".join(rng.choice(_TOKEN_CHARS, 22)) for _ in range(n)]
    cols = [h for h, _, _ in EXPORTS["wechat"].columns]
    df = pd.DataFrame(
        {
            cols[0]: p["title"].to_numpy(),
            cols[1]: p["published_at"].dt.strftime("%Y/%m/%d %H:%M").to_numpy(),
            cols[2]: [fmt_wan_plus(x) for x in reads],
            cols[3]: [fmt_thousands(x) for x in read_times],
            cols[4]: [fmt_thousands(x) for x in shares],
            cols[5]: [fmt_thousands(x) for x in share_times],
            cols[6]: [fmt_thousands(x) for x in p["follows_gained"]],
            cols[7]: [fmt_thousands(x) for x in delivered],
            cols[8]: [fmt_thousands(x) for x in msg_reads],
            cols[9]: [fmt_pct(a / b, 2) for a, b in zip(msg_reads, delivered)],
            cols[10]: [fmt_thousands(x) for x in first_share],
            cols[11]: [fmt_thousands(x) for x in share_reads],
            cols[12]: [fmt_pct(a / b, 2) if b else "0.00%" for a, b in zip(first_share, msg_reads)],
            cols[13]: [fmt_pct(x, 2) for x in p["completion_rate"]],
            cols[14]: [f"https://mp.weixin.qq.com/s/{t}" for t in tokens],
        }
    )
    return _csv_bytes(df.iloc[::-1], "gb18030", "\r\n")


def toutiao_export(posts: pd.DataFrame, rng: np.random.Generator) -> bytes:
    """Toutiao works export: UTF-8 with BOM, '1.2w' counts, fraction CTR."""
    p = posts[posts["channel"] == "toutiao"]
    n = len(p)
    imp = p["impressions"].to_numpy()
    reads = p["reads"].to_numpy()
    video = (p["content_type"] == "short_video").to_numpy()
    comp = np.where(video, p["completion_rate"].to_numpy(), np.clip(rng.beta(4, 6, n), 0.05, 0.95))
    secs = np.where(video, rng.uniform(10, 60, n), rng.uniform(40, 150, n))
    cols = [h for h, _, _ in EXPORTS["toutiao"].columns]
    df = pd.DataFrame(
        {
            cols[0]: p["title"].to_numpy(),
            cols[1]: p["published_at"].dt.strftime("%Y-%m-%d %H:%M").to_numpy(),
            cols[2]: [fmt_w(x) for x in imp],
            cols[3]: [fmt_w(x) for x in np.round(imp * rng.uniform(0.1, 0.3, n)).astype(np.int64)],
            cols[4]: [fmt_w(x) for x in reads],
            cols[5]: [fmt_w(x) for x in np.round(reads * rng.uniform(0.15, 0.35, n)).astype(np.int64)],
            cols[6]: [f"{r / i:.4f}" if i else "0.0000" for r, i in zip(reads, imp)],
            cols[7]: [fmt_pct(x, 1) for x in comp],
            cols[8]: p["likes"].to_numpy(),
            cols[9]: p["comments"].to_numpy(),
            cols[10]: np.round(p["shares"].to_numpy() * rng.uniform(0.2, 0.5, n)).astype(np.int64),
            cols[11]: p["shares"].to_numpy(),
            cols[12]: p["favorites"].to_numpy(),
            cols[13]: [fmt_duration_zh(s) for s in secs],
        }
    )
    return _csv_bytes(df.iloc[::-1].astype(str), "utf-8-sig", "\n")


def _workbook_bytes(rows: list[list[object]], sheet: str, stamp: datetime, number_formats: dict[int, str]) -> bytes:
    """Write rows to a one-sheet xlsx with fixed metadata and zip times."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for col, fmt in number_formats.items():
        for cell in ws.iter_cols(min_col=col, max_col=col, min_row=1):
            for c in cell:
                if isinstance(c.value, (datetime, float)) and not isinstance(c.value, bool):
                    c.number_format = fmt
    wb.properties.creator = "nmops"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue(), stamp)


def normalize_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite an xlsx (zip) with fixed entry times and a fixed 'modified' stamp."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = body.decode("utf-8")
                text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{iso}\g<2>", text)
                text = re.sub(r"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)", rf"\g<1>{iso}\g<2>", text)
                body = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, body)
    return out.getvalue()


def xiaohongshu_export(posts: pd.DataFrame, rng: np.random.Generator, year: int) -> bytes:
    """Xiaohongshu notes export: a note on row 1, headers on row 2, '3,456' text counts."""
    p = posts[posts["channel"] == "xiaohongshu"].iloc[::-1]
    n = len(p)
    imp = p["impressions"].to_numpy()
    reads = p["reads"].to_numpy()
    secs = rng.uniform(8, 45, n)
    note = f"数据说明：数据统计截至 {year + 1}-01-05 00:00，仅包含 {year} 年发布的笔记；数据可能存在延迟，仅供参考。"
    rows: list[list[object]] = [[note], [h for h, _, _ in EXPORTS["xiaohongshu"].columns]]
    for k in range(n):
        rows.append([
            p["title"].iat[k],
            p["published_at"].iat[k].to_pydatetime(),
            fmt_thousands(imp[k]),
            fmt_thousands(reads[k]),
            fmt_pct(reads[k] / imp[k], 1) if imp[k] else "0.0%",
            f"{secs[k]:.1f}秒",
            int(p["follows_gained"].iat[k]),
            int(p["likes"].iat[k]),
            int(p["comments"].iat[k]),
            int(p["favorites"].iat[k]),
            int(p["shares"].iat[k]),
        ])
    return _workbook_bytes(rows, "笔记数据", datetime(year + 1, 1, 5), {2: "yyyy-mm-dd hh:mm:ss"})


def douyin_export(posts: pd.DataFrame, rng: np.random.Generator, year: int) -> bytes:
    """Douyin works export: Excel serial dates, '1.2w' plays, percent text."""
    p = posts[posts["channel"] == "douyin"].iloc[::-1]
    n = len(p)
    imp = p["impressions"].to_numpy()
    reads = p["reads"].to_numpy()
    comp = p["completion_rate"].to_numpy()
    comp5 = np.clip(comp + rng.uniform(0.15, 0.3, n), 0, 0.98)
    bounce = rng.uniform(0.2, 0.45, n)
    avg = rng.uniform(6, 25, n)
    serial = ((p["published_at"] - EXCEL_EPOCH) / pd.Timedelta(days=1)).to_numpy()
    rows: list[list[object]] = [[h for h, _, _ in EXPORTS["douyin"].columns]]
    for k in range(n):
        rows.append([
            float(serial[k]),
            p["title"].iat[k],
            "视频",
            fmt_w(int(reads[k])),
            fmt_pct(comp[k], 1),
            fmt_pct(comp5[k], 1),
            fmt_pct(reads[k] / imp[k], 1) if imp[k] else "0.0%",
            fmt_pct(bounce[k], 1),
            round(float(avg[k]), 1),
            fmt_w(int(p["likes"].iat[k])),
            int(p["shares"].iat[k]),
            int(p["comments"].iat[k]),
            int(p["favorites"].iat[k]),
            int(round(p["follows_gained"].iat[k] * rng.uniform(3, 8))),
            int(p["follows_gained"].iat[k]),
        ])
    return _workbook_bytes(rows, "作品数据", datetime(year + 1, 1, 5), {})


def douyin_shop_export(orders: pd.DataFrame, lines: pd.DataFrame, products: pd.DataFrame,
                       posts: pd.DataFrame, rng: np.random.Generator) -> bytes:
    """抖店 order export: UTF-8 with BOM, tab-prefixed long order numbers, newest first."""
    o = orders[orders["store"] == "douyin_shop"]
    n = len(o)
    qty = o["order_id"].map(lines.drop_duplicates("order_id").set_index("order_id")["quantity"])
    names = products.set_index("product_id")["name"]
    titles = posts.set_index("post_id")["title"]
    numbers = 6_900_000_000_000_000_000 + np.sort(rng.choice(10**15, size=n, replace=False))
    cols = [h for h, _, _ in EXPORTS["douyin_shop"].columns]
    df = pd.DataFrame(
        {
            cols[0]: ["\t" + str(x) for x in numbers],
            cols[1]: o["product_id"].map(names).to_numpy(),
            cols[2]: o["product_id"].to_numpy(),
            cols[3]: qty.to_numpy(),
            cols[4]: [f"{x:.2f}" for x in o["amount"]],
            cols[5]: [f"{x:.2f}" for x in o["discount"]],
            cols[6]: o["ordered_at"].dt.strftime("%Y/%m/%d %H:%M:%S").to_numpy(),
            cols[7]: np.where(o["refund"].to_numpy() > 0, "已退款", "已完成"),
            cols[8]: o["post_id"].map(titles).to_numpy(),
        }
    )
    return _csv_bytes(df.iloc[::-1].astype(str), "utf-8-sig", "\n")


def build_exports(posts: pd.DataFrame, seed: int, year: int, orders: pd.DataFrame | None = None,
                  lines: pd.DataFrame | None = None, products: pd.DataFrame | None = None) -> dict[str, bytes]:
    """All export files: file name -> bytes (the 抖店 export needs the orders, lines and products)."""
    rng = np.random.default_rng([seed, year, 10])
    out = {
        EXPORTS["wechat"].file: wechat_export(posts, rng),
        EXPORTS["toutiao"].file: toutiao_export(posts, rng),
        EXPORTS["xiaohongshu"].file: xiaohongshu_export(posts, rng, year),
        EXPORTS["douyin"].file: douyin_export(posts, rng, year),
    }
    if orders is not None:
        out[EXPORTS["douyin_shop"].file] = douyin_shop_export(orders, lines, products, posts, rng)
    return out
