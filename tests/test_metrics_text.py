"""Tests for nmops.metrics.text: Chinese keyword frequencies with jieba."""

import subprocess
import sys
from collections import Counter

import jieba
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.text import keyword_counts, load_stopwords

COMMENTS = pd.Series(
    [
        "这篇文章写得非常好，干货满满，已经收藏了！",
        "干货！转发给同事了，希望多写写私域运营",
        None,
        "标题党，内容太水了，取关",
        "私域运营的案例能不能多一点？APP 下载链接在哪",
        "app 打不开，链接失效了 2025 年还有这种问题",
        np.nan,
        "收藏收藏，干货",
    ]
)


def _reference_counts(texts, stop, min_length=2):
    """Same definition written differently: global jieba + pandas explode/value_counts."""
    tokens = pd.Series([jieba.lcut(t) for t in texts if isinstance(t, str)]).explode().str.strip().str.lower()
    keep = tokens.str.len().ge(min_length) & ~tokens.isin(stop) & tokens.str.contains(r"[^\W\d_]", regex=True)
    tokens = tokens[keep]
    counts = tokens.value_counts()
    docs = tokens.groupby(level=0).unique().explode().value_counts()
    return counts, docs


def test_counts_match_an_independent_count():
    out = keyword_counts(COMMENTS, top=None)
    counts, docs = _reference_counts(COMMENTS, load_stopwords())
    assert dict(zip(out["word"], out["count"])) == counts.to_dict()
    assert dict(zip(out["word"], out["documents"])) == docs.to_dict()
    # by hand: 干货 appears 3 times in 3 comments, 收藏 3 times in 2 comments
    row = out.set_index("word")
    assert row.loc["干货", "count"] == 3 and row.loc["干货", "documents"] == 3
    assert row.loc["收藏", "count"] == 3 and row.loc["收藏", "documents"] == 2
    # 'APP' and 'app' count together; numbers, punctuation and stopwords are gone
    assert row.loc["app", "count"] == 2
    assert not {"2025", "！", "非常", "已经", "的"} & set(out["word"])


def test_sorted_by_count_then_word_and_top():
    out = keyword_counts(COMMENTS, top=None)
    keys = list(zip(-out["count"], out["word"]))
    assert keys == sorted(keys)
    assert list(out.columns) == ["word", "count", "documents"]
    assert out["count"].dtype == "int64"
    top3 = keyword_counts(COMMENTS, top=3)
    pd.testing.assert_frame_equal(top3, out.head(3))


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(COMMENTS.dropna())))
def test_order_of_texts_does_not_change_the_result(texts):
    pd.testing.assert_frame_equal(keyword_counts(texts, top=None), keyword_counts(list(COMMENTS), top=None))


def test_stopwords_and_min_length_parameters():
    texts = ["我的公众号的文章"]
    words = set(keyword_counts(texts, stopwords=(), min_length=1)["word"])
    assert {"我", "的", "文章"} <= words  # nothing dropped but punctuation and numbers
    assert "的" not in set(keyword_counts(texts, min_length=1)["word"])  # shipped list drops it
    assert "文章" not in set(keyword_counts(texts, stopwords=load_stopwords() | {"文章"})["word"])
    assert keyword_counts(["好"], stopwords=())["word"].tolist() == []  # min_length=2 drops it
    assert keyword_counts(["好"], stopwords=(), min_length=1)["word"].tolist() == ["好"]


def test_user_words_apply_to_one_call_only():
    text = ["公众号的完播率和公众号的打开率"]
    plain = set(keyword_counts(text, stopwords=())["word"])
    assert "公众号" not in plain and "公众" in plain  # jieba cuts it without help
    out = keyword_counts(text, user_words=["公众号"])
    assert out.set_index("word").loc["公众号", "count"] == 2
    assert "公众" not in set(out["word"])
    # no leak into the next call or into jieba's global dictionary
    assert set(keyword_counts(text, stopwords=())["word"]) == plain
    assert "公众号" not in jieba.lcut("公众号的文章")


def test_empty_and_missing_texts():
    out = keyword_counts([None, "", "的的的"])
    assert out.empty and list(out.columns) == ["word", "count", "documents"]


def test_load_stopwords_is_package_data():
    sw = load_stopwords()
    assert isinstance(sw, frozenset) and 200 < len(sw) < 1000
    assert {"的", "了", "我们", "因为", "非常"} <= sw
    assert not any(w.startswith("#") for w in sw)


def test_jieba_log_is_silenced_in_a_fresh_process():
    code = "from nmops.metrics.text import keyword_counts; print(keyword_counts(['今天的直播很精彩'], top=1)['word'][0])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "直播"
    assert "prefix dict" not in proc.stderr and "Loading model" not in proc.stderr
    assert proc.stderr.strip() == ""


@pytest.mark.parametrize(
    "texts, kwargs, words",
    [
        ("一条评论", {}, "单个字符串"),
        (pd.DataFrame({"c": ["a"]}), {}, "DataFrame"),
        (42, {}, "int"),
        (["好评", 5], {}, "第 1 个元素不是文本"),
        (["好评"], {"top": 0}, "top"),
        (["好评"], {"min_length": 0}, "min_length"),
        (["好评"], {"user_words": "完播率"}, "user_words"),
        (["好评"], {"stopwords": ["的", 1]}, "stopwords"),
    ],
)
def test_keyword_counts_refuses_bad_input(texts, kwargs, words):
    with pytest.raises(NmopsInputError, match=words):
        keyword_counts(texts, **kwargs)


def test_counter_sanity():
    # one text, counted by hand: 干货 x2, 收藏 x1
    out = keyword_counts(["干货干货，收藏"], user_words=["干货"])
    assert Counter(dict(zip(out["word"], out["count"]))) == Counter({"干货": 2, "收藏": 1})
