"""The messy platform exports are the same posts, as the data dictionary documents.

Each file is cleaned here with plain pandas following only what
``EXPORTS`` in the data dictionary says (encoding, header row, formats), and
every column that has a clean counterpart is compared with ``load_posts()``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import nmops.datasets as ds
from nmops.datasets.dictionary import EXPORTS


@pytest.fixture(scope="module")
def posts():
    return ds.load_posts()


def _num(text) -> float:
    """'3,456' -> 3456; '1.2w' -> 12000; 12 -> 12."""
    if isinstance(text, (int, float, np.integer, np.floating)):
        return float(text)
    s = str(text).replace(",", "")
    if s.endswith("w"):
        return float(s[:-1]) * 10_000
    return float(s)


def _pct(text: str) -> float:
    assert text.endswith("%"), text
    return float(text[:-1]) / 100


def _clean_columns(raw: pd.DataFrame, name: str) -> dict[str, str]:
    spec = EXPORTS[name]
    assert raw.columns.tolist() == [h for h, _, _ in spec.columns]
    return {h: c for h, c, _ in spec.columns if c}


def _align(raw: pd.DataFrame, when: pd.Series, title: str, clean: pd.DataFrame):
    """Newest first in the file; match rows to clean posts by (time, title)."""
    assert when.is_monotonic_decreasing, "导出文件应按发布时间倒序"
    raw = raw.assign(_when=when.to_numpy()).sort_values(["_when", title], kind="stable").reset_index(drop=True)
    clean = clean.sort_values(["published_at", "title"], kind="stable").reset_index(drop=True)
    assert len(raw) == len(clean)
    assert (raw[title].to_numpy() == clean["title"].to_numpy()).all()
    assert (raw["_when"].to_numpy() == clean["published_at"].to_numpy()).all()
    return raw, clean


def _check_counts(clean: pd.DataFrame, exported: pd.DataFrame, mapping: dict[str, str], lossy_w: set[str]):
    for header, col in mapping.items():
        if col in ("title", "published_at", "completion_rate", "reads") and header not in lossy_w:
            continue
        got = exported[header].map(_num).to_numpy()
        want = clean[col].to_numpy(dtype="float64")
        if header in lossy_w:
            big = want >= 10_000
            assert np.array_equal(got[~big], want[~big]), header
            assert np.all(np.abs(got[big] - want[big]) <= 500), header
        else:
            assert np.array_equal(got, want), header


def test_wechat_export_gb18030(posts):
    path = ds.export_path("wechat")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    raw = pd.read_csv(path, encoding="gb18030", dtype=str)
    mapping = _clean_columns(raw, "wechat")
    when = pd.to_datetime(raw["发表时间"], format="%Y/%m/%d %H:%M")
    raw, clean = _align(raw, when, "内容标题", posts[posts["channel"] == "wechat"])
    reads = raw["总阅读人数"]
    capped = reads == "10万+"
    assert capped.any(), "应至少有一篇 10万+ 的文章"
    assert (clean["reads"].to_numpy()[capped.to_numpy()] >= 100_000).all()
    assert np.array_equal(reads[~capped].map(_num).to_numpy(), clean["reads"].to_numpy()[~capped.to_numpy()])
    _check_counts(clean, raw, {k: v for k, v in mapping.items() if k != "总阅读人数"}, set())
    comp = raw["阅读完成率"].map(_pct).to_numpy()
    assert np.all(np.abs(comp - clean["completion_rate"].to_numpy()) <= 0.00005 + 1e-12)
    # 送达阅读率 = 公众号消息阅读次数 / 送达人数
    rate = raw["送达阅读率"].map(_pct)
    ratio = raw["公众号消息阅读次数"].map(_num) / raw["送达人数"].map(_num)
    assert np.all(np.abs(rate - ratio) <= 0.00005 + 1e-12)
    assert raw["分享次数"].map(_num).ge(raw["总分享人数"].map(_num)).all()


def test_toutiao_export_utf8_bom(posts):
    path = ds.export_path("toutiao")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    mapping = _clean_columns(raw, "toutiao")
    when = pd.to_datetime(raw["发布时间"], format="%Y-%m-%d %H:%M")
    raw, clean = _align(raw, when, "标题", posts[posts["channel"] == "toutiao"])
    assert raw["展现量"].str.endswith("w").any()
    _check_counts(clean, raw, mapping, {"展现量", "阅读量"})
    ctr = raw["点击率"].astype(float)
    assert ctr.between(0, 1).all()
    assert np.all(np.abs(ctr.to_numpy() - clean["reads"].to_numpy() / clean["impressions"].to_numpy()) <= 0.00005 + 1e-12)
    video = (clean["content_type"] == "short_video").to_numpy()
    comp = raw["平均阅读完成率"].map(_pct).to_numpy()
    assert np.all(np.abs(comp[video] - clean["completion_rate"].to_numpy()[video]) <= 0.0005 + 1e-12)
    assert raw["平均阅读时长"].str.fullmatch(r"(\d+分)?\d+秒").all()


def test_xiaohongshu_export_note_row(posts):
    path = ds.export_path("xiaohongshu")
    top = pd.read_excel(path, header=None, nrows=1)
    assert str(top.iat[0, 0]).startswith("数据说明")
    raw = pd.read_excel(path, header=1, dtype={"曝光": str, "观看量": str})
    mapping = _clean_columns(raw, "xiaohongshu")
    raw, clean = _align(raw, pd.to_datetime(raw["首次发布时间"]), "笔记标题", posts[posts["channel"] == "xiaohongshu"])
    assert raw["曝光"].str.contains(",").any()
    _check_counts(clean, raw, mapping, set())
    assert np.array_equal(raw["观看量"].map(_num).to_numpy(), clean["reads"].to_numpy(dtype="float64"))


def test_douyin_export_excel_serial_dates(posts):
    path = ds.export_path("douyin")
    raw = pd.read_excel(path, dtype={"播放量": str, "点赞量": str})
    mapping = _clean_columns(raw, "douyin")
    assert pd.api.types.is_float_dtype(raw["发布时间"])
    when = pd.to_datetime(raw["发布时间"], unit="D", origin="1899-12-30").dt.round("min")
    raw, clean = _align(raw, when, "作品名称", posts[posts["channel"] == "douyin"])
    assert raw["播放量"].str.endswith("w").any()
    _check_counts(clean, raw, mapping, {"播放量", "点赞量"})
    comp = raw["完播率"].map(_pct).to_numpy()
    assert np.all(np.abs(comp - clean["completion_rate"].to_numpy()) <= 0.0005 + 1e-12)
    assert raw["5s完播率"].map(_pct).ge(raw["完播率"].map(_pct)).all()


def test_douyin_shop_export_matches_the_douyin_shop_orders():
    path = ds.export_path("douyin_shop")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert raw["主订单编号"].str.startswith("\t").all()
    when = pd.to_datetime(raw["订单提交时间"], format="%Y/%m/%d %H:%M:%S")
    assert when.is_monotonic_decreasing
    raw = raw.iloc[::-1].reset_index(drop=True)
    o = ds.load_orders()
    o = o[o["store"] == "douyin_shop"].reset_index(drop=True)
    assert len(raw) == len(o)
    assert (when.iloc[::-1].to_numpy() == o["ordered_at"].to_numpy()).all()
    assert (raw["商家编码"].to_numpy() == o["product_id"].astype(str).to_numpy()).all()
    assert np.allclose(raw["订单应付金额"].astype(float), o["amount"]) and np.allclose(raw["优惠总金额"].astype(float), o["discount"])
    assert ((raw["订单状态"] == "已退款").to_numpy() == (o["refund"] > 0).to_numpy()).all()
    titles = o["post_id"].map(ds.load_posts().set_index("post_id")["title"])
    assert (raw["带货作品"].to_numpy() == titles.to_numpy()).all()


def test_every_export_header_is_documented_with_a_known_clean_column():
    for spec in EXPORTS.values():
        cols = set(ds.load_table(spec.table).columns)
        for header, clean, _ in spec.columns:
            assert clean is None or clean in cols, (spec.name, header)
            assert re.fullmatch(r"[\w\u4e00-\u9fff]+", header), header
