"""Loaders, types, Chinese labels, data dictionary and the real Facebook file."""

from __future__ import annotations

import gzip
import inspect
from pathlib import Path

import pandas as pd
import pytest

import nmops.datasets as ds
from nmops import NmopsInputError
from nmops.datasets.dictionary import CATEGORIES, EXPORTS, TABLES, data_dictionary_markdown

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "nmops" / "datasets" / "data"


@pytest.fixture(scope="module")
def tables():
    return {name: ds.load_table(name) for name in ds.TABLE_NAMES}


def test_every_table_has_a_loader_with_a_docstring():
    for name in ds.TABLE_NAMES:
        fn = getattr(ds, f"load_{name}")
        assert fn.__doc__ and "Examples" in fn.__doc__
        assert f"load_{name}" in ds.__all__


@pytest.mark.parametrize("name", list(TABLES))
def test_columns_and_types_follow_the_dictionary(tables, name):
    df = tables[name]
    assert df.columns.tolist() == TABLES[name].column_names
    assert len(df) > 0
    for col in TABLES[name].columns:
        s = df[col.name]
        if col.kind in ("datetime", "date"):
            assert pd.api.types.is_datetime64_dtype(s), col.name
            assert s.dt.tz is None
            if col.kind == "date":
                assert (s == s.dt.normalize()).all(), col.name
        elif col.kind.startswith("category"):
            assert isinstance(s.dtype, pd.CategoricalDtype), col.name
            if ":" in col.kind:
                key = col.kind.split(":", 1)[1]
                assert s.cat.categories.tolist() == list(CATEGORIES[key]), col.name
        elif col.kind == "int":
            assert s.dtype == "int64", col.name
        elif col.kind == "Int64":
            assert str(s.dtype) == "Int64", col.name
        elif col.kind == "float":
            assert s.dtype == "float64", col.name
        elif col.kind == "bool":
            assert s.dtype == bool, col.name
        else:  # text
            assert pd.api.types.is_string_dtype(s) or s.dtype == object, col.name
            assert s.dropna().map(type).eq(str).all(), col.name


@pytest.mark.parametrize("name", list(TABLES))
def test_no_code_is_lost_when_typing_categoricals(name):
    """A value outside the code list would silently become NaN: compare with the raw file."""
    with gzip.open(DATA / f"{name}.csv.gz", "rt", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False)
    typed = ds.load_table(name)
    for col in TABLES[name].columns:
        if col.kind.startswith("category"):
            assert (raw[col.name] == "").sum() == typed[col.name].isna().sum(), col.name


def test_all_six_channels_appear_in_posts(tables):
    assert set(tables["posts"]["channel"]) == set(ds.CHANNELS)


def test_lang_zh_labels_channels_in_chinese():
    en = ds.load_posts()
    zh = ds.load_posts(lang="zh")
    assert zh["channel"].cat.categories.tolist() == ["微信公众号", "微博", "知乎", "今日头条", "抖音", "小红书"]
    # same rows, just relabelled
    mapping = ds.CHANNEL_LABELS_ZH
    assert (en["channel"].astype(str).map(mapping) == zh["channel"].astype(str)).all()
    assert set(zh["content_type"].cat.categories) >= {"图文", "短视频", "漫画", "活动", "合作", "问答"}


def test_lang_zh_staff_levels_and_channels():
    zh = ds.load_staff(lang="zh")
    assert zh["level"].cat.categories.tolist() == ["小白", "初级", "中级", "高级"]
    assert zh["level"].cat.ordered
    novice = zh[zh["level"] == "小白"]
    assert (novice["channels"] == "微信公众号、微博").all()


def test_bad_lang_is_refused_in_chinese():
    with pytest.raises(NmopsInputError, match="lang 只能是") as err:
        ds.load_posts(lang="fr")
    assert "'fr'" in str(err.value)


def test_unknown_table_is_refused():
    with pytest.raises(NmopsInputError, match="没有名为 'post' 的表"):
        ds.load_table("post")
    with pytest.raises(NmopsInputError, match="没有名为"):
        ds.describe_table("nope")


def test_missing_data_dir_says_how_to_generate(tmp_path):
    with pytest.raises(NmopsInputError, match="nmops-generate-data") as err:
        ds.load_posts(data_dir=tmp_path)
    assert "posts.csv.gz" in str(err.value)


def test_data_dir_reads_the_same_files():
    a = ds.load_orders()
    b = ds.load_orders(data_dir=DATA)
    pd.testing.assert_frame_equal(a, b)


def test_describe_table_and_dictionary():
    d = ds.describe_table("visits")
    assert d["列名"].tolist() == TABLES["visits"].column_names
    assert d["说明"].str.len().gt(0).all()
    full = ds.data_dictionary()
    assert len(full) == sum(len(t.columns) for t in TABLES.values())


def test_docs_page_is_generated_from_the_dictionary():
    page = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert page == data_dictionary_markdown(), "请运行 python -m nmops.datasets.dictionary > docs/data-dictionary.md"


def test_export_path_and_bad_export_name():
    for name, spec in EXPORTS.items():
        assert ds.export_path(name).name == spec.file
        assert ds.export_path(name).is_file()
    with pytest.raises(NmopsInputError, match="没有名为 'weibo' 的导出文件"):
        ds.export_path("weibo")


def test_manifest_matches_row_counts(tables):
    m = ds.load_manifest()
    assert m["rows"] == {name: len(df) for name, df in tables.items()}


def test_shipped_size_is_within_budget():
    total = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert total <= 25 * 1024 * 1024


# ---------------------------------------------------------------- real Facebook data
def test_facebook_metrics_matches_the_known_facts():
    fb = ds.load_facebook_metrics()
    assert fb.shape == (500, 19)
    assert fb["Paid"].isna().sum() == 1
    assert fb["like"].isna().sum() == 1
    assert fb["share"].isna().sum() == 4
    assert fb["Type"].value_counts().to_dict() == {"Photo": 426, "Status": 45, "Link": 22, "Video": 7}
    total = fb["comment"] + fb["like"].fillna(0) + fb["share"].fillna(0)
    assert (total == fb["Total Interactions"]).all()


def test_facebook_rates_from_metrics_reference():
    """metrics.md: interactions/reach is 1.53% pooled and 2.41% as a mean of per-post rates."""
    fb = ds.load_facebook_metrics()
    pooled = fb["Total Interactions"].sum() / fb["Lifetime Post Total Reach"].sum()
    mean = (fb["Total Interactions"] / fb["Lifetime Post Total Reach"]).mean()
    assert round(pooled * 100, 2) == 1.53
    assert round(mean * 100, 2) == 2.41


def test_facebook_file_is_the_original_and_cited():
    shared = ROOT.parent / "shared" / "data" / "facebook_metrics" / "dataset_Facebook.csv"
    if shared.is_file():
        assert (DATA / "facebook_metrics.csv").read_bytes() == shared.read_bytes()
    doc = inspect.getdoc(ds.load_facebook_metrics)
    for needle in ("CC BY 4.0", "Moro", "doi:10.1016/j.jbusres.2016.02.010"):
        assert needle in doc
    licence = (DATA / "facebook_metrics_LICENSE.txt").read_text(encoding="utf-8")
    assert "CC BY 4.0" in licence and "Moro" in licence
