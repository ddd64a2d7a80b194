"""User segmentation for personas (用户分层与用户画像): RFM and clusters of survey answers.

Level 中级 (intermediate). Two tools a content or user operator uses to turn
"our users" into a few groups one can write for:

- :func:`rfm_table` scores customers on recency, frequency and monetary value
  (RFM 模型) and labels them with the common 8-segment Chinese scheme
  (重要价值客户, 重要发展客户, ...);
- :func:`cluster_survey` groups survey respondents by their Likert answers
  (李克特量表) with k-means and describes each group (用户画像).

No scikit-learn: k-means is the short numpy loop in :func:`cluster_survey`.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError, require_columns, require_non_negative
from nmops.metrics._common import _check_choice, _check_int

__all__ = ["RFM_SEGMENTS", "rfm_scores", "rfm_table", "SurveyClusters", "cluster_survey"]

#: The 8-segment RFM scheme: (R high?, F high?, M high?) -> label.
#: "High" R means a **recent** customer (small recency in days).
RFM_SEGMENTS: dict[tuple[bool, bool, bool], str] = {
    (True, True, True): "重要价值客户",  # recent, frequent, big spender: keep them happy
    (False, True, True): "重要保持客户",  # frequent big spender who has not come back lately: reach out
    (True, False, True): "重要发展客户",  # recent big spender, rarely buys: raise frequency
    (False, False, True): "重要挽留客户",  # big spender, rare and long gone: win back
    (True, True, False): "一般价值客户",
    (False, True, False): "一般保持客户",
    (True, False, False): "一般发展客户",
    (False, False, False): "一般挽留客户",
}


def rfm_scores(values: pd.Series, *, bins: int = 5, higher_is_better: bool = True) -> pd.Series:
    """Quantile score 1..bins of an RFM dimension (RFM 分位打分).

    score = ceil(bins × rank / n),  rank = average rank (ties share their mean rank)

    The best values get ``bins`` (5), the worst get 1. With distinct values
    each score holds n / bins customers. **Ties** (e.g. the many customers
    who bought exactly once) all get the same score, the one of their average
    rank, so equal customers are never split across scores by the order of
    the rows; the price is that scores can be unevenly filled, or some score
    can be empty. Missing values keep a missing score.

    Parameters
    ----------
    values : Series
        Recency in days, frequency, or monetary value, one per customer.
    bins : int
        Number of scores, default 5.
    higher_is_better : bool
        True for frequency and monetary (default); False for recency, where
        fewer days since the last purchase is better.

    Returns
    -------
    Series
        Nullable integer scores (``Int64``) aligned with ``values``.

    Examples
    --------
    >>> rfm_scores(pd.Series([1, 1, 1, 2, 5, 9, 12, 20, 30, 40])).tolist()
    [1, 1, 1, 2, 3, 3, 4, 4, 5, 5]
    >>> rfm_scores(pd.Series([3, 40, 10]), bins=3, higher_is_better=False).tolist()
    [3, 1, 2]
    """
    bins = _check_int(bins, name="bins", minimum=2)
    if not isinstance(values, pd.Series) or not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise NmopsInputError(
            "rfm_scores 需要一个数值型的 pandas.Series（天数、次数或金额）。 / rfm_scores needs a numeric pandas Series."
        )
    rank = values.rank(method="average", ascending=higher_is_better)
    n = values.notna().sum()
    score = np.ceil(bins * rank / n)
    return score.astype("Int64")


def rfm_table(
    orders: pd.DataFrame,
    *,
    as_of,
    customer: str = "user_id",
    date: str = "ordered_at",
    amount: str = "amount",
    order_id: str | None = None,
    monetary: str = "sum",
    bins: int = 5,
    threshold: str | float = "mean",
) -> pd.DataFrame:
    """RFM table (RFM 模型): recency, frequency, monetary, scores and a segment per customer.

    recency = (as_of − last purchase date) in whole days;  frequency = orders;  monetary = Σ amount

    Definitions used here (say them when you report RFM, sources differ):

    - **recency (最近一次消费, R)**: days from the customer's last purchase to
      the explicit ``as_of`` date (e.g. the day the data were exported). The
      ``lifetimes`` package defines recency differently: the customer's
      *age at the last purchase* (last − first purchase), with frequency
      counting *repeat* purchases only and monetary value the mean of repeat
      purchases. Its numbers are not comparable with these.
    - **frequency (消费频率, F)**: number of orders (rows, or distinct
      ``order_id`` when given) up to ``as_of``.
    - **monetary (消费金额, M)**: total amount (``monetary="sum"``, default) or
      mean amount per order (``"mean"``).
    - **scores**: :func:`rfm_scores` with ``bins`` (5) scores, recency
      reversed so that 5 is the most recent.
    - **segment (客户分层)**: each score is "high" (高) when **strictly above**
      ``threshold`` — the mean of that score over all customers (default), or
      a fixed number such as 3 — and the three high/low flags name one of the
      8 segments of :data:`RFM_SEGMENTS` (重要价值客户 = R, F, M all high; 一般挽留客户 =
      all low; "重要" means high M).

    Trap (易错点): recency depends on ``as_of``; run the same data a month later
    and everyone's recency grows. Orders after ``as_of`` are refused rather
    than silently dropped.

    Parameters
    ----------
    orders : DataFrame
        One row per order (or per order line when ``order_id`` is given).
    as_of : date-like
        Reference date for recency (统计截止日), required; e.g. ``"2025-06-30"``.
    customer, date, amount : str
        Column names, default ``"user_id"``, ``"ordered_at"``, ``"amount"``
        (the columns of the course's ``orders`` table).
    order_id : str, optional
        Count distinct values of this column as orders instead of rows.
    monetary : {"sum", "mean"}
        Total (default) or average amount per order.
    bins : int
        Number of scores, default 5.
    threshold : "mean", "median" or float
        Cut between low and high scores (default ``"mean"`` of each score).

    Returns
    -------
    DataFrame
        Indexed by customer, columns ``recency``, ``frequency``, ``monetary``,
        ``r_score``, ``f_score``, ``m_score``, ``segment``; sorted by customer.

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "user_id": ["a", "a", "b", "c", "c", "c", "d"],
    ...     "ordered_at": pd.to_datetime(["2025-06-01", "2025-06-28", "2025-03-01", "2025-06-20",
    ...                                   "2025-06-25", "2025-06-29", "2025-01-10"]),
    ...     "amount": [100.0, 300.0, 800.0, 50.0, 60.0, 40.0, 20.0]})
    >>> rfm_table(orders, as_of="2025-06-30", bins=4)
                 recency  frequency  monetary  r_score  f_score  m_score segment
    user_id
    a                  2          2     400.0        3        3        3  重要价值客户
    b                121          1     800.0        2        2        4  重要挽留客户
    c                  1          3     150.0        4        4        2  一般价值客户
    d                171          1      20.0        1        2        1  一般挽留客户
    """
    require_columns(orders, [customer, date, amount] + ([order_id] if order_id else []), what="orders 订单表")
    _check_choice(monetary, ("sum", "mean"), name="monetary")
    bins = _check_int(bins, name="bins", minimum=2)
    try:
        as_of_ts = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise NmopsInputError(f"as_of 不是日期：{as_of!r}。请写成 '2025-06-30' 这样的日期。 / as_of is not a date: {as_of!r}.") from None
    if pd.isna(as_of_ts):
        raise NmopsInputError("as_of 不能为空：RFM 的 R 需要一个明确的截止日期。 / as_of must be a date, not missing.")
    try:
        dates = pd.to_datetime(orders[date])
    except (TypeError, ValueError):
        raise NmopsInputError(
            f"列 {date} 里有无法识别的日期；先用 pd.to_datetime 或 nmops.exports.parse_excel_date 转换。"
            f" / Column {date} holds values that are not dates; convert it first."
        ) from None
    if getattr(dates.dt, "tz", None) is not None and as_of_ts.tz is None:
        as_of_ts = as_of_ts.tz_localize(dates.dt.tz)
    if dates.isna().any() or orders[customer].isna().any():
        raise NmopsInputError(
            f"列 {date} 或 {customer} 有缺失值：每张订单都需要客户和日期。 / Columns {date}/{customer} contain missing values."
        )
    if not pd.api.types.is_numeric_dtype(orders[amount]) or pd.api.types.is_bool_dtype(orders[amount]):
        raise NmopsInputError(f"列 {amount} 应该是数字（金额），实际类型是 {orders[amount].dtype}。 / Column {amount} must be numeric.")
    require_non_negative(orders[amount], name=amount)
    late = dates > as_of_ts
    if late.any():
        raise NmopsInputError(
            f"有 {int(late.sum())} 张订单的日期晚于 as_of={as_of_ts.date()}（例如 {dates[late].iloc[0]}）。"
            f"把 as_of 设为数据的截止日，或先筛掉之后的订单。"
            f" / {int(late.sum())} order(s) are dated after as_of; choose a later as_of or filter them out."
        )
    if len(orders) == 0:
        raise NmopsInputError("orders 订单表是空的。 / orders is empty.")

    frame = pd.DataFrame({"customer": orders[customer].to_numpy(), "date": dates.to_numpy(), "amount": orders[amount].to_numpy()})
    grouped = frame.groupby("customer", sort=True)
    last = grouped["date"].max()
    out = pd.DataFrame(index=last.index)
    out["recency"] = ((as_of_ts.normalize() - last.dt.normalize()).dt.days).astype("int64")
    if order_id:
        ids = pd.Series(orders[order_id].to_numpy(), index=frame.index)
        out["frequency"] = ids.groupby(frame["customer"]).nunique().astype("int64")
    else:
        out["frequency"] = grouped.size().astype("int64")
    total = grouped["amount"].sum().astype("float64")
    out["monetary"] = total if monetary == "sum" else total / out["frequency"]
    out["r_score"] = rfm_scores(out["recency"], bins=bins, higher_is_better=False)
    out["f_score"] = rfm_scores(out["frequency"], bins=bins)
    out["m_score"] = rfm_scores(out["monetary"], bins=bins)

    flags = []
    for col in ("r_score", "f_score", "m_score"):
        score = out[col].astype("float64")
        if threshold == "mean":
            cut = score.mean()
        elif threshold == "median":
            cut = score.median()
        elif isinstance(threshold, (int, float)) and not isinstance(threshold, bool):
            cut = float(threshold)
        else:
            raise NmopsInputError(
                f"threshold 只能是 'mean'、'median' 或一个数字，收到 {threshold!r}。"
                f" / threshold must be 'mean', 'median' or a number, got {threshold!r}."
            )
        flags.append(score > cut)
    out["segment"] = [RFM_SEGMENTS[(bool(r), bool(f), bool(m))] for r, f, m in zip(*flags)]
    out.index.name = customer
    return out


class SurveyClusters(NamedTuple):
    """Result of :func:`cluster_survey`: ``labels, profile = cluster_survey(...)``."""

    labels: pd.Series
    profile: pd.DataFrame


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, max_iter: int) -> tuple[np.ndarray, np.ndarray, float]:
    """One run of Lloyd's k-means with k-means++ initialisation; returns labels, centres, inertia."""
    n = len(x)
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[rng.integers(n)]
    d2 = ((x - centres[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        # k-means++: next centre drawn with probability proportional to squared distance
        probs = d2 / d2.sum() if d2.sum() > 0 else np.full(n, 1 / n)
        centres[j] = x[rng.choice(n, p=probs)]
        d2 = np.minimum(d2, ((x - centres[j]) ** 2).sum(axis=1))
    labels = np.full(n, -1)
    for _ in range(max_iter):
        dist = ((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)  # n × k squared distances
        new = dist.argmin(axis=1)  # each answer to its nearest centre
        if np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):  # each centre to the mean of its answers
            members = x[labels == j]
            if len(members):
                centres[j] = members.mean(axis=0)
            else:  # empty cluster: restart it on the point farthest from its centre
                far = dist[np.arange(n), labels].argmax()
                centres[j] = x[far]
    inertia = float(((x - centres[labels]) ** 2).sum())
    return labels, centres, inertia


def cluster_survey(
    answers: pd.DataFrame,
    k: int,
    *,
    items: list[str] | None = None,
    standardize: bool = True,
    seed: int = 0,
    n_init: int = 10,
    max_iter: int = 300,
) -> SurveyClusters:
    """Cluster survey respondents into personas (问卷聚类与用户画像) with k-means.

    minimise Σ_i ‖z_i − c_{label(i)}‖²,  z = (answer − item mean) / item std

    Steps: (1) standardise each Likert item (李克特量表题) to mean 0 and
    standard deviation 1 (population std, ddof = 0), so an item answered on a
    1–7 scale does not outweigh one on 1–5; an item everyone answered the same
    way becomes 0 (it carries no information); (2) k-means (Lloyd's
    algorithm, k-means++ start) ``n_init`` times from a random generator seeded
    with ``seed``, keeping the run with the smallest within-cluster sum of
    squares; (3) renumber clusters by size, largest first (ties by their first
    respondent), so the result does not depend on the random start's naming;
    (4) describe each cluster by its size and the mean of every item **on the
    original scale** (that is the persona: "此群体对价格最敏感……").

    Trap (易错点): k-means always returns k groups, even from data with no
    groups; try a few k and keep the one whose profiles an operator can name
    and act on. Results depend on the seed; fix it to be reproducible.

    Parameters
    ----------
    answers : DataFrame
        One row per respondent, one numeric column per item; no missing
        values (drop or impute them first, and say how).
    k : int
        Number of clusters (画像数), between 1 and the number of respondents.
    items : list of str, optional
        The item columns to use; default all columns.
    standardize : bool
        Standardise items first (default True).
    seed : int
        Seed of the random generator (default 0).
    n_init : int
        Number of random starts (default 10).
    max_iter : int
        Maximum iterations per start (default 300).

    Returns
    -------
    SurveyClusters
        ``labels``: Series of cluster numbers 0..k−1 aligned with ``answers``;
        ``profile``: DataFrame indexed by cluster with ``size``, ``share`` and
        the mean of each item.

    Examples
    --------
    >>> survey = pd.DataFrame({"价格敏感": [5, 5, 4, 1, 2, 1], "看重品牌": [1, 2, 1, 5, 4, 5]})
    >>> labels, profile = cluster_survey(survey, 2)
    >>> labels.tolist()
    [0, 0, 0, 1, 1, 1]
    >>> profile.round(2)
             size  share  价格敏感  看重品牌
    cluster
    0           3    0.5  4.67  1.33
    1           3    0.5  1.33  4.67
    """
    if not isinstance(answers, pd.DataFrame):
        raise NmopsInputError(f"answers 应该是 pandas.DataFrame，收到 {type(answers).__name__}。 / answers must be a DataFrame.")
    items = list(answers.columns) if items is None else list(items)
    require_columns(answers, items, what="answers 问卷表")
    if not items:
        raise NmopsInputError("没有可用的题目列。 / No item columns to cluster.")
    not_numeric = [c for c in items if not pd.api.types.is_numeric_dtype(answers[c]) or pd.api.types.is_bool_dtype(answers[c])]
    if not_numeric:
        raise NmopsInputError(
            f"这些题目列不是数字：{', '.join(map(str, not_numeric))}。李克特题请编码为 1–5 等数字，或用 items= 只选数值题。"
            f" / Item columns are not numeric: {', '.join(map(str, not_numeric))}; code answers as numbers or pass items=."
        )
    data = answers[items].astype("float64")
    missing = data.isna().sum()
    if missing.any():
        cols = ", ".join(f"{c}({n})" for c, n in missing[missing > 0].items())
        raise NmopsInputError(
            f"问卷有缺失答案：{cols}。先删除这些受访者（dropna）或说明如何填补。 / Missing answers in: {cols}; drop or impute first."
        )
    for name, value, low in (("k", k, 1), ("n_init", n_init, 1), ("max_iter", max_iter, 1), ("seed", seed, 0)):
        _check_int(value, name=name, minimum=low)
    if k > len(data):
        raise NmopsInputError(
            f"k={k} 大于受访者人数 {len(data)}：每个画像至少要有一个人。 / k={k} exceeds the number of respondents ({len(data)})."
        )

    x = data.to_numpy()
    if standardize:
        std = x.std(axis=0)
        x = np.divide(x - x.mean(axis=0), std, out=np.zeros_like(x), where=std > 0)
    rng = np.random.default_rng(seed)
    best_labels, best_inertia = None, math.inf
    for _ in range(n_init):
        labels, _, inertia = _kmeans(x, int(k), rng, int(max_iter))
        if inertia < best_inertia - 1e-12:
            best_labels, best_inertia = labels, inertia

    # Renumber: largest cluster first, ties by the position of its first member.
    ids, first, sizes = np.unique(best_labels, return_index=True, return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-sizes[i], first[i]))
    mapping = {ids[i]: new for new, i in enumerate(order)}
    labels = pd.Series([mapping[v] for v in best_labels], index=answers.index, name="cluster", dtype="int64")

    profile = data.groupby(labels.to_numpy()).mean()
    profile.insert(0, "share", labels.value_counts(normalize=True).sort_index())
    profile.insert(0, "size", labels.value_counts().sort_index().astype("int64"))
    profile.index.name = "cluster"
    profile.columns.name = None
    return SurveyClusters(labels=labels, profile=profile)
