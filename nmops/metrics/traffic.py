"""Junior (初级) KPIs: traffic brought to the product (引流).

Links placed in posts carry UTM parameters (``utm_source``, ``utm_medium``,
``utm_campaign``, ``utm_term``, ``utm_content``) so that the product's
analytics can tell which channel and campaign each visit came from. This
module parses them (:func:`parse_utm`), counts visits and unique visitors
by channel and campaign (:func:`traffic_summary`), builds tagged links
(:func:`build_utm_url`), and computes the
click-through rate (:func:`click_through_rate`, 点击率).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError, require_columns, safe_divide
from nmops.metrics._common import _as_list, _named, _number_pair

__all__ = ["UTM_FIELDS", "build_utm_url", "click_through_rate", "parse_utm", "traffic_summary"]

#: The five UTM parameters, in the order :func:`parse_utm` returns them.
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


def build_utm_url(
    base: str,
    *,
    source: str,
    medium: str,
    campaign: str,
    content: str | None = None,
    term: str | None = None,
) -> str:
    """Tagged link (带 UTM 参数的链接): the landing URL with its UTM query appended.

    url = base + ("?" or "&") + "utm_source=…&utm_medium=…&utm_campaign=…[&utm_content=…][&utm_term=…]"

    Values are written as given (percent-encoded, case kept): analytics tools
    treat ``WeChat`` and ``wechat`` as two sources, so use the team's lower-case
    codes. A query already in ``base`` is kept; a UTM parameter already in it
    is refused (two values for one parameter cannot be read back).

    Parameters
    ----------
    base : str
        Landing page URL (``https://…``), with or without a query.
    source, medium, campaign : str
        ``utm_source`` (channel code), ``utm_medium`` (social, paid_social,
        kol, event, share …), ``utm_campaign``: required, non-empty.
    content, term : str, optional
        ``utm_content`` (e.g. the post id) and ``utm_term``.

    Returns
    -------
    str
        The tagged URL; :func:`parse_utm` reads back the same values.

    Examples
    --------
    >>> build_utm_url("https://shop.example/item/1", source="zhihu", medium="social", campaign="C11", content="P0042")
    'https://shop.example/item/1?utm_source=zhihu&utm_medium=social&utm_campaign=C11&utm_content=P0042'
    """
    if not isinstance(base, str) or not base.startswith(("http://", "https://")):
        raise NmopsInputError(
            f"落地页链接应以 http:// 或 https:// 开头，收到 {base!r}。 / base should be an http(s) URL, got {base!r}."
        )
    pairs = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign, "utm_content": content, "utm_term": term}
    for name in ("utm_source", "utm_medium", "utm_campaign"):
        value = pairs[name]
        if not isinstance(value, str) or not value.strip():
            raise NmopsInputError(f"{name} 必须是非空文本，收到 {value!r}。 / {name} must be a non-empty string, got {value!r}.")
    for name in ("utm_content", "utm_term"):
        if pairs[name] is not None and not isinstance(pairs[name], str):
            raise NmopsInputError(f"{name} 应是文本或 None，收到 {pairs[name]!r}。 / {name} must be a string or None.")
    parts = urlsplit(base)
    present = {key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}
    clash = sorted(present & set(pairs))
    if clash:
        raise NmopsInputError(
            f"落地页链接里已经有 {', '.join(clash)}：先去掉旧参数再加。 / base already has {', '.join(clash)}."
        )
    added = urlencode([(k, v) for k, v in pairs.items() if v is not None])
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def parse_utm(urls: pd.Series | Iterable[str] | str, *, include_fragment: bool = False) -> pd.DataFrame:
    """Parse UTM parameters (UTM 参数) out of URLs.

    utm_x = the decoded value of the query parameter ``utm_x`` of the URL

    Rules, the same for every URL:

    - Parameter names match exactly (lower case ``utm_source``; a
      ``UTM_SOURCE`` is not recognised) and values keep their case: UTM
      values are case-sensitive, so ``WeChat`` and ``wechat`` are two
      sources in the report. Clean them up deliberately, not here.
    - Values are percent-decoded and ``+`` becomes a space, as in an HTML
      form (``%E5%85%AC%E4%BC%97%E5%8F%B7`` → ``公众号``).
    - A parameter that is absent or empty (``utm_term=``) is missing (NaN).
      If a parameter is repeated, the first value wins.
    - Only the query string (after ``?``) is read. Single-page sites often
      put it after ``#`` (``https://m.example.com/#/page?utm_source=x``);
      set ``include_fragment=True`` to read a query inside the fragment too
      (the main query wins when both hold a parameter).
    - A missing URL (None/NaN) gives a row of missing values; text that is
      not a URL simply has no UTM parameters. Anything else that is not a
      string (a number, a list) is refused with :class:`NmopsInputError`.

    Each distinct URL is parsed once (:func:`pandas.factorize`) and the
    result spread to every row: the 177 000 visit URLs of the course data
    hold about 1 500 distinct links. The values are those
    :func:`urllib.parse.parse_qsl` gives (URLs with a percent-encoded
    parameter name or a bracket are read by urllib itself). A column where
    every URL is different (click ids such as ``gclid``) gains little.

    Parameters
    ----------
    urls : Series, iterable of str, or str
        The URLs (a single string is treated as one URL).
    include_fragment : bool, default False
        Also read a ``?query`` inside the ``#fragment``.

    Returns
    -------
    DataFrame
        Columns ``utm_source``, ``utm_medium``, ``utm_campaign``,
        ``utm_term``, ``utm_content`` (text, NaN when absent), one row per
        URL, with the index of ``urls`` when it is a Series.

    Examples
    --------
    >>> utm = parse_utm([
    ...     "https://shop.example.com/p?utm_source=WeChat&utm_medium=social&utm_campaign=%E5%8F%8C11",
    ...     "https://shop.example.com/p",
    ... ])
    >>> utm[["utm_source", "utm_medium", "utm_campaign"]]
      utm_source utm_medium utm_campaign
    0     WeChat     social          双11
    1        NaN        NaN          NaN
    """
    if isinstance(urls, str):
        urls = [urls]
    if isinstance(urls, pd.DataFrame):
        raise NmopsInputError(
            "parse_utm 需要一列网址（Series 或列表），收到的是整张表：请传入 df['url']。"
            " / parse_utm needs one column of URLs (a Series or a list), not a DataFrame: pass df['url']."
        )
    if isinstance(urls, pd.Series):
        index = urls.index
        values = pd.Series(urls.to_numpy(dtype=object), dtype=object)
    else:
        try:
            values = pd.Series(list(urls), dtype=object)
        except TypeError:
            raise NmopsInputError(
                f"parse_utm 需要网址的列表或 Series，收到 {type(urls).__name__}。"
                f" / parse_utm needs a list or Series of URLs, got {type(urls).__name__}."
            ) from None
        index = pd.RangeIndex(len(values))
    # Parse each distinct URL once (visits repeat the same few thousand links), then spread by code.
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # an unhashable value (a list): name the first value that is not text
        for position, url in zip(index, values):
            _utm_of(url, position, include_fragment)
        raise
    labels = np.empty(len(uniques), dtype=object)
    known = np.flatnonzero(codes >= 0)[::-1]
    labels[codes[known]] = index[known]  # the label of each distinct URL's first row, for the error message
    table = np.full((len(uniques) + 1, len(UTM_FIELDS)), np.nan, dtype=object)  # last row: missing URL
    for i, url in enumerate(uniques):
        found = _utm_fast(url, labels[i], include_fragment)
        for j, f in enumerate(UTM_FIELDS):
            table[i, j] = found.get(f, np.nan)
    rows = table[codes]  # code -1 (missing URL) picks the last row
    # NaN (not None) for a missing value, so pandas 2 (object) and 3 (str) both show NaN.
    columns = {f: pd.Series(rows[:, j], index=index, dtype=str) for j, f in enumerate(UTM_FIELDS)}
    return pd.DataFrame(columns, index=index)


_UTM_PAIR = re.compile(r"(?:^|&)(utm_source|utm_medium|utm_campaign|utm_term|utm_content)=([^&]+)")
_ENCODED_KEY = re.compile(r"(?:^|&)[^=&]*%")


def _utm_fast(url, position, include_fragment: bool) -> dict:
    """:func:`_utm_of` with a regular expression instead of urllib for the ordinary URL."""
    if not isinstance(url, str) or "[" in url or "]" in url:
        return _utm_of(url, position, include_fragment)  # refuses non-text; urlsplit refuses some brackets
    url = url.replace("\t", "").replace("\r", "").replace("\n", "").strip()
    before_hash, _, fragment = url.partition("#")
    queries = [before_hash.partition("?")[2]]
    if include_fragment and "?" in fragment:
        queries.append(fragment.partition("?")[2])
    if any(_ENCODED_KEY.search(q) for q in queries):
        return _utm_of(url, position, include_fragment)  # a percent-encoded name such as utm%5Fsource
    found: dict = {}
    for query in queries:
        for key, value in _UTM_PAIR.findall(query):
            if key not in found:
                found[key] = unquote_plus(value) if ("%" in value or "+" in value) else value
    return found


def _utm_of(url, position, include_fragment: bool) -> dict:
    """The UTM parameters of one URL, read by urllib (see :func:`parse_utm` for the rules)."""
    if url is None or (isinstance(url, float) and np.isnan(url)) or url is pd.NA:
        return {}
    if not isinstance(url, str):
        raise NmopsInputError(
            f"第 {position!r} 个网址不是文本，而是 {type(url).__name__}（{url!r}）。"
            f"网址应该是字符串；缺失的网址请用 None 或 NaN。"
            f" / URL at {position!r} is not a string but {type(url).__name__} ({url!r}); use None/NaN for a missing URL."
        )
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unbalanced "[" in the host
        return {}
    queries = [parts.query]
    if include_fragment and "?" in parts.fragment:
        queries.append(parts.fragment.split("?", 1)[1])
    found: dict = {}
    for query in queries:
        for key, value in parse_qsl(query, keep_blank_values=True):
            if key in UTM_FIELDS and key not in found and value != "":
                found[key] = value
    return found


def traffic_summary(
    visits: pd.DataFrame,
    by: str | Sequence[str] = ("utm_source", "utm_medium"),
    *,
    visitor: str = "user_id",
    visit: str | None = "visit_id",
    missing_label: str | None = "(none)",
) -> pd.DataFrame:
    """Traffic to the product (引流效果): visits and unique visitors by channel or campaign.

    visits = number of distinct visits;  visitors = number of distinct users (UV, 访客数)

    Group by ``("utm_source", "utm_medium")`` for channels, by
    ``"utm_campaign"`` for campaigns. Visits that carry no UTM value are
    grouped under ``missing_label`` (as Google Analytics shows
    ``(direct) / (none)``) instead of vanishing from the total. A visitor who
    came through two channels counts once in each, so the visitors of the
    groups add up to more than the site's visitors: never sum UV over
    groups. Visits with a missing user (anonymous) count as visits, not as
    visitors.

    Parameters
    ----------
    visits : DataFrame
        One row per visit (``visit_id``, ``user_id`` and the UTM columns;
        get those from a ``url`` column with :func:`parse_utm` and
        ``visits.join(parse_utm(visits["url"]))``).
    by : str or list of str, default ("utm_source", "utm_medium")
        Group key(s).
    visitor : str, default "user_id"
        User column, for unique visitors.
    visit : str or None, default "visit_id"
        Visit id column, counted as distinct ids. None counts rows.
    missing_label : str or None, default "(none)"
        Label of the group of visits with a missing key. None drops them
        (say so in your report).

    Returns
    -------
    DataFrame
        One row per group (sorted by key), columns ``visits``, ``visitors``
        (both int) and ``visits_per_visitor``.

    Examples
    --------
    >>> v = pd.DataFrame({
    ...     "visit_id": [1, 2, 3, 4],
    ...     "user_id": ["a", "a", "b", "c"],
    ...     "utm_source": ["weibo", "weibo", "weibo", None],
    ... })
    >>> traffic_summary(v, "utm_source")
                visits  visitors  visits_per_visitor
    utm_source
    (none)           1         1                 1.0
    weibo            3         2                 1.5
    """
    keys = _as_list(by, "by")
    needed = keys + [visitor] + ([] if visit is None else [visit])
    require_columns(visits, needed, what="visits 访问表")
    frame = visits[list(dict.fromkeys(needed))].copy()
    for k in keys:
        if missing_label is not None and frame[k].isna().any():
            frame[k] = frame[k].astype(object).where(frame[k].notna(), missing_label)
    if missing_label is None:
        frame = frame.dropna(subset=keys)
    grouped = frame.groupby(keys if len(keys) > 1 else keys[0], sort=False)
    n_visits = grouped[visit].nunique() if visit is not None else grouped.size()
    out = pd.DataFrame(
        {"visits": n_visits.astype("int64"), "visitors": grouped[visitor].nunique().astype("int64")}
    )
    try:
        out = out.sort_index()
    except TypeError:  # numbers mixed with the text missing_label: sort as text
        out = out.sort_index(key=lambda level: level.astype(str))
    out["visits_per_visitor"] = safe_divide(out["visits"], out["visitors"])
    return out


def click_through_rate(clicks, impressions):
    """Click-through rate (点击率, CTR): clicks over impressions.

    CTR = clicks / impressions

    The standard definition (Toutiao's 点击率, ad platforms' CTR). Clicks
    and impressions must come from the same placement and period; a
    "CTR" of link clicks over *reads* is another rate (阅读原文率) and is
    not comparable. Both are counts (次).

    Parameters
    ----------
    clicks : Series or number
        Clicks (点击次数), e.g. ``link_clicks``.
    impressions : Series or number
        Impressions (曝光/展现次数).

    Returns
    -------
    Series or float
        The rate (a Series named ``"ctr"``) or one number; NaN where there
        were no impressions.

    Examples
    --------
    >>> click_through_rate(pd.Series([30, 0]), pd.Series([1000, 0])).tolist()
    [0.03, nan]
    >>> click_through_rate(12, 400)
    0.03
    """
    clicks, impressions = _number_pair(clicks, impressions, names=("clicks", "impressions"))
    return _named(safe_divide(clicks, impressions), "ctr")
