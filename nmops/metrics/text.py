"""Keyword frequencies of Chinese free text (中文文本关键词词频) with jieba.

Level 中级 (intermediate): what do comments, survey answers or private
messages talk about? Cut each text into words with jieba (结巴分词), drop
stopwords (停用词) and very short words, and count.

The module keeps its own jieba tokenizer, so words you add with
``user_words`` never leak into ``jieba``'s global dictionary (or into the
next call), and jieba's "Building prefix dict ..." log lines are silenced so
notebook outputs stay clean.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from importlib import resources
from numbers import Integral

import jieba
import pandas as pd

from nmops._validation import NmopsInputError
from nmops.metrics._common import _check_int

__all__ = ["load_stopwords", "keyword_counts"]

STOPWORDS_FILE = "stopwords_zh.txt"  # package data of nmops.metrics


@functools.lru_cache(maxsize=1)
def load_stopwords() -> frozenset[str]:
    """The Chinese stopword list shipped with nmops (中文停用词表).

    A small list (about 300 words) of pronouns, particles, conjunctions,
    prepositions, adverbs and comment fillers (的, 了, 我们, 非常, 哈哈 ...),
    in ``nmops/metrics/stopwords_zh.txt``. Extend it for your account:
    ``load_stopwords() | {"小编", "公众号"}``.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> sw = load_stopwords()
    >>> "的" in sw, "我们" in sw, "转化率" in sw
    (True, True, False)
    """
    text = resources.files("nmops.metrics").joinpath(STOPWORDS_FILE).read_text(encoding="utf-8")
    words = (line.strip() for line in text.splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


@contextmanager
def _quiet_jieba():
    """Silence jieba's DEBUG log lines for the duration of the block, then restore its level."""
    logger = jieba.default_logger
    old = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(old)


@functools.lru_cache(maxsize=1)
def _base_tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    with _quiet_jieba():
        tokenizer.initialize()
    return tokenizer


@functools.lru_cache(maxsize=4)
def _tokenizer(user_words: tuple[str, ...]) -> jieba.Tokenizer:
    """A tokenizer with ``user_words`` added, built from a copy of the base dictionary."""
    base = _base_tokenizer()
    if not user_words:
        return base
    tokenizer = jieba.Tokenizer()
    try:  # copying the loaded dictionary is ~50x faster than loading it again
        tokenizer.FREQ = dict(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
    except AttributeError:  # pragma: no cover - a jieba without these attributes
        with _quiet_jieba():
            tokenizer.initialize()
    for word in user_words:
        tokenizer.add_word(word)
    return tokenizer


def _check_texts(texts) -> list[str | None]:
    if isinstance(texts, str):
        raise NmopsInputError(
            "texts 应该是一列文本（list 或 pandas.Series），收到的是单个字符串；单条文本请写成 [text]。"
            " / texts must be a collection of texts (list or Series), not a single string; wrap it as [text]."
        )
    if isinstance(texts, pd.DataFrame) or not isinstance(texts, Iterable):
        raise NmopsInputError(
            f"texts 应该是一列文本（list 或 pandas.Series），收到的是 {type(texts).__name__}。"
            f" / texts must be a list or Series of strings, got {type(texts).__name__}."
        )
    values = list(texts.tolist() if isinstance(texts, pd.Series) else texts)
    for i, v in enumerate(values):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            values[i] = None
        elif not isinstance(v, str):
            raise NmopsInputError(
                f"texts 第 {i} 个元素不是文本：{v!r}（{type(v).__name__}）。先用 .astype(str) 转换，或检查列是否选对。"
                f" / texts[{i}] is not a string: {v!r}; convert with .astype(str) or check the column."
            )
    return values


def _check_words(words, name: str) -> tuple[str, ...]:
    if words is None:
        return ()
    if isinstance(words, str) or not isinstance(words, Iterable):
        raise NmopsInputError(
            f"{name} 应该是一组词（list 或 set），例如 ['完播率', '私域']，收到的是 {words!r}。"
            f" / {name} must be a collection of words, e.g. ['完播率', '私域'], got {words!r}."
        )
    words = tuple(words)
    bad = [w for w in words if not isinstance(w, str) or not w.strip()]
    if bad:
        raise NmopsInputError(f"{name} 里有不是词的元素：{bad[:3]!r}。 / {name} contains non-words: {bad[:3]!r}.")
    return words


def keyword_counts(
    texts: Iterable[str] | pd.Series,
    *,
    top: int | None = 20,
    stopwords: Iterable[str] | None = None,
    min_length: int = 2,
    user_words: Iterable[str] | None = None,
    lowercase: bool = True,
    hmm: bool = True,
) -> pd.DataFrame:
    """Keyword frequencies (关键词词频) of Chinese free text, cut with jieba.

    count(w) = Σ_texts occurrences of w;  documents(w) = number of texts containing w

    Each text is cut with jieba's accurate mode (精确模式). A token is kept
    when it has at least ``min_length`` characters, contains a letter or a
    Chinese character (numbers and punctuation are dropped), and is not a
    stopword. Missing texts (None/NaN) are skipped.

    Trap (易错点): jieba does not know platform jargon: without help it may cut
    "公众号" into 公众 / 号, so counts of the parts appear instead of the
    word. Pass such words in ``user_words``. And ``min_length=2`` (default)
    drops every one-character word, including meaningful ones like 贵 or 慢;
    lower it when they matter.

    Parameters
    ----------
    texts : list of str or Series
        Comments, survey answers, messages...
    top : int or None
        Keep the ``top`` most frequent words (default 20); None keeps all.
    stopwords : iterable of str, optional
        Words to drop. Default: :func:`load_stopwords` (the shipped list).
        Passing a collection **replaces** the default; pass
        ``load_stopwords() | {...}`` to extend it, or ``()`` to keep all.
    min_length : int
        Minimum word length in characters (default 2).
    user_words : iterable of str, optional
        Words jieba must keep whole (用户词典), e.g. ``["完播率", "私域"]``.
        They apply to this call only.
    lowercase : bool
        Lower-case Latin letters so "App" and "app" count together (default True).
    hmm : bool
        Let jieba's HMM guess words missing from its dictionary (default True).

    Returns
    -------
    DataFrame
        Columns ``word``, ``count``, ``documents``; sorted by ``count``
        descending, ties by ``word`` ascending (Unicode code point order), so
        the output is the same on every run; index 0..n−1.

    Examples
    --------
    >>> comments = ["公众号的文章很干货，收藏了", "干货满满！公众号推荐", "视频号也很好"]
    >>> keyword_counts(comments, top=3, user_words=["公众号", "视频号"])
      word  count  documents
    0  公众号      2          2
    1   干货      2          2
    2   推荐      1          1
    """
    values = _check_texts(texts)
    if top is not None and (isinstance(top, bool) or not isinstance(top, Integral) or top < 1):
        raise NmopsInputError(f"top 应该是正整数或 None，收到 {top!r}。 / top must be a positive integer or None, got {top!r}.")
    _check_int(min_length, name="min_length", minimum=1)
    stop = load_stopwords() if stopwords is None else frozenset(_check_words(stopwords, "stopwords"))
    if lowercase:
        stop = frozenset(w.lower() for w in stop)
    tokenizer = _tokenizer(tuple(sorted(set(_check_words(user_words, "user_words")))))

    counts: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    with _quiet_jieba():
        for text in values:
            if text is None:
                continue
            words = []
            for token in tokenizer.cut(text, HMM=hmm):
                token = token.strip()
                if lowercase:
                    token = token.lower()
                if len(token) < min_length or token in stop or not any(ch.isalpha() for ch in token):
                    continue
                words.append(token)
            counts.update(words)
            documents.update(set(words))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if top is not None:
        ranked = ranked[:top]
    return pd.DataFrame(
        {
            "word": pd.Series([w for w, _ in ranked], dtype=str),
            "count": pd.Series([c for _, c in ranked], dtype="int64"),
            "documents": pd.Series([documents[w] for w, _ in ranked], dtype="int64"),
        }
    )
