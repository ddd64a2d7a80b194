"""Platform and advertising rules a novice operator must know (平台规则与广告法).

Three rules that get a 小白's account penalised, each with where it is
written (the course quotes the rule; read the source before you rely on it):

- A WeChat 订阅号 (subscription account) can send one 群发 (push) a day;
  a push may hold several articles (头条, 次条 …). Written in the 公众平台's
  own help on 群发功能 (订阅号每天可群发 1 次).
- WeChat forbids 诱导分享 (inducing shares: "转发抽奖", "分享到朋友圈领奖",
  "集赞"). Written in the 微信公众平台运营规范 and 微信外部链接内容管理规范.
- The Advertising Law of the PRC (《中华人民共和国广告法》, Article 9 item 3)
  forbids absolute claims (绝对化用语) such as 国家级, 最高级, 最佳 in ads;
  a brand account's product posts count as advertising.

:data:`ABSOLUTE_CLAIMS` is the course's list of forbidden phrases and
:func:`find_absolute_claims` checks titles against it. The list names whole
phrases on purpose: "最" and "第一" alone are ordinary Chinese ("第一次去云南",
"夏天的第一杯", "离昆明最近的花海") and are not absolute claims about a product.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from nmops._validation import NmopsInputError

__all__ = ["ABSOLUTE_CLAIMS", "find_absolute_claims"]

#: Absolute claims (绝对化用语) the course treats as forbidden in a brand's titles.
ABSOLUTE_CLAIMS: tuple[str, ...] = (
    "最佳", "最好", "最优", "最高级", "最低价", "史上最", "全网最",
    "顶级", "极品", "国家级", "世界级", "第一品牌", "销量第一", "全网第一", "独一无二",
)


def find_absolute_claims(titles: pd.Series | Iterable[str], terms: Iterable[str] = ABSOLUTE_CLAIMS) -> pd.Series:
    """The forbidden absolute claims (绝对化用语) each title uses.

    flagged(title) = [term for term in terms if term occurs in title]

    A plain substring search for each whole phrase of ``terms``: no regular
    expressions, so "最" in "最近" or "第一" in "第一次" is never flagged
    unless a listed phrase contains it.

    Parameters
    ----------
    titles : Series or iterable of str
        Titles (标题); missing titles use no term.
    terms : iterable of str, default :data:`ABSOLUTE_CLAIMS`
        Phrases to look for (non-empty strings).

    Returns
    -------
    Series
        For each title (same index as ``titles``), the terms it uses, joined by
        "、"; an empty string when it uses none.

    Examples
    --------
    >>> find_absolute_claims(["全网最佳鲜花饼", "第一次去云南", "离昆明最近的花海"]).tolist()
    ['最佳、全网最', '', '']
    """
    titles = titles if isinstance(titles, pd.Series) else pd.Series(list(titles), dtype=object)
    terms = list(terms)
    bad = [t for t in terms if not isinstance(t, str) or not t]
    if not terms or bad:
        raise NmopsInputError(f"terms 应该是非空字符串组成的列表，例如 ABSOLUTE_CLAIMS；这些不行：{bad!r}")

    def used(title) -> str:
        if not isinstance(title, str):
            return ""
        return "、".join(t for t in terms if t in title)

    return titles.map(used).astype(object).rename("absolute_claims")
