"""Experiments of the sample year (实验): headline tests, a mini-program conversion test,
a test that a daily peeker would stop early, and a paid campaign with a randomized holdout.

Each draws from its own random stream, like the other stages of the generator.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nmops.datasets._calendar import Calendar
from nmops.datasets._params import _rng
from nmops.datasets.dictionary import TABLES

AB_HEADLINES = (
    # (A, B): the first pair is the real winner, the second the noise "winner"
    ("鲜花饼的保存方法", "鲜花饼放冰箱还是常温？3 个保存方法一次讲清"),
    ("昆明人的早餐：一块鲜花饼配一杯滇红", "一块鲜花饼配一杯滇红，是昆明人的早餐"),
    ("玫瑰花茶的冲泡方法", "玫瑰花茶别再用开水泡了"),
    ("我们的玫瑰种植基地", "凌晨 4 点，我们去摘了今天的玫瑰"),
    ("云南花茶推荐", "5 种云南花茶，第 3 种最适合办公室"),
    ("中秋礼盒上新", "中秋礼盒上新｜云腿月饼回来了"),
    ("斗南花市游玩攻略", "斗南花市怎么逛？本地人的 6 条建议"),
    ("鲜花饼的故事", "一块鲜花饼的 48 小时"),
)
#: true relative lift of B for tests 3..8 (tests 1 and 2 are constructed)
AB_LIFTS = (0.10, 0.0, 0.06, 0.0, -0.05, 0.12)


def build_ab_tests(seed: int, cal: Calendar, posts: pd.DataFrame, extra: dict) -> pd.DataFrame:
    """Headline tests. T01 has a real winner (z about 3.2–4.2), T02 only noise (z about 0.4–0.8)."""
    rng = _rng(seed, cal.year, 9)
    push = posts["reads_push"].fillna(0).to_numpy(dtype="int64")
    ordinary = posts["campaign_id"].isna() & posts["content_type"].isin(["article", "comic"]) & ~posts["boosted"] & posts["original"]
    wechat = np.flatnonzero((posts["channel"] == "wechat") & ordinary & (posts["position"] == 1).fillna(False).to_numpy())
    toutiao = np.flatnonzero((posts["channel"] == "toutiao") & ordinary & (posts["content_type"] == "article"))
    month = posts["published_at"].dt.month.to_numpy()
    chosen: list[int] = []
    plan = [("wechat", 3), ("wechat", 5), ("toutiao", 4), ("wechat", 6), ("toutiao", 7), ("wechat", 8), ("wechat", 10), ("wechat", 11)]
    for ch_, mo in plan:
        pool = wechat if ch_ == "wechat" else toutiao
        cand = [i for i in pool if month[i] == mo and i not in chosen and posts["reads"].iat[i] < 100_000]
        if not cand:
            cand = [i for i in pool if i not in chosen and posts["reads"].iat[i] < 100_000]
        chosen.append(int(rng.choice(cand)))
    rows = []
    for k, i in enumerate(chosen):
        ch_ = posts["channel"].iat[i]
        if ch_ == "wechat":
            total = int(posts["delivered"].iat[i])
            base_reads = int(push[i])
        else:
            total = int(posts["impressions"].iat[i])
            base_reads = int(posts["reads"].iat[i] * 0.9)
        na = total // 2
        nb = total - na
        p0 = base_reads / total / 1.06
        if k in (0, 1):
            ra = int(rng.binomial(na, p0 * 0.97))
            pa = ra / na
            z = rng.uniform(3.2, 4.2) if k == 0 else rng.uniform(0.4, 0.8)
            # choose B's reads so that the pooled two-proportion z statistic is about z
            rb = ra * nb / na
            for _ in range(50):
                pp = (ra + rb) / (na + nb)
                se = np.sqrt(pp * (1 - pp) * (1 / na + 1 / nb))
                rb = nb * (pa + z * se)
            rb = int(round(rb))
        else:
            lift = AB_LIFTS[k - 2]
            ra = int(rng.binomial(na, p0))
            rb = int(rng.binomial(nb, p0 * (1 + lift)))
        date = posts["published_at"].iat[i].normalize()
        for variant, n_, r_, head in (("A", na, ra, AB_HEADLINES[k][0]), ("B", nb, rb, AB_HEADLINES[k][1])):
            rows.append((f"T{k + 1:02d}", ch_, posts["post_id"].iat[i], date, variant, head, n_, r_))
    return pd.DataFrame(rows, columns=TABLES["ab_tests"].column_names)


#: (id, name, kind, start (month, day), days, daily users per variant, order rate A, lift of B, revenue per order)
EXPERIMENTS = (
    ("X01", "商品详情页：加“买二送一”标签", "conversion", (4, 8), 21, 260, 0.030, 0.30, 96.0),
    ("X02", "首页横幅：花茶 vs 鲜花饼", "peeking", (7, 1), 28, 240, 0.030, 0.0, 88.0),
    ("X03", "中秋朋友圈广告（10% 随机留空对照组）", "holdout", None, 14, 0, 0.034, 0.22, 150.0),
)
HOLDOUT_SHARE = 0.1
HOLDOUT_AUDIENCE_PER_DAY = 3200


def _daily(rng, days, users_a, users_b, rate_a, rate_b, per_order):
    ua = rng.poisson(users_a, days)
    ub = rng.poisson(users_b, days)
    oa = rng.binomial(ua, rate_a)
    ob = rng.binomial(ub, rate_b)
    ra = np.round([rng.gamma(4.0, per_order / 4.0, k).sum() for k in oa], 2)
    rb = np.round([rng.gamma(4.0, per_order / 4.0, k).sum() for k in ob], 2)
    return (ua, oa, ra), (ub, ob, rb)


def _cumulative_p(a, b) -> np.ndarray:
    """Two-sided p of the pooled two-proportion z test on the cumulative counts, day by day."""
    na, xa, nb, xb = np.cumsum(a[0]), np.cumsum(a[1]), np.cumsum(b[0]), np.cumsum(b[1])
    pool = (xa + xb) / (na + nb)
    se = np.sqrt(pool * (1 - pool) * (1 / na + 1 / nb))
    z = np.where(se > 0, (xb / nb - xa / na) / np.where(se > 0, se, 1), 0.0)
    return np.array([math.erfc(abs(x) / math.sqrt(2)) for x in z])


def build_experiments(seed: int, cal: Calendar) -> pd.DataFrame:
    """Daily results of the mini-program experiments, one row per experiment, day and variant."""
    rng = _rng(seed, cal.year, 14)
    rows = []
    for exp_id, name, kind, start, days, users, rate_a, lift, per_order in EXPERIMENTS:
        if kind == "holdout":
            ma = pd.Timestamp(cal.festivals["mid_autumn"])
            first = ma - pd.Timedelta(days=days + 1)
            n_t, n_h = HOLDOUT_AUDIENCE_PER_DAY * (1 - HOLDOUT_SHARE), HOLDOUT_AUDIENCE_PER_DAY * HOLDOUT_SHARE
            a, b = _daily(rng, days, n_h, n_t, rate_a, rate_a * (1 + lift), per_order)
            labels = ("holdout", "treatment")
        elif kind == "peeking":
            # no true difference; the year's draw is one where a daily peeker sees p < 0.05 in the first
            # ten days, while the full test ends far from significance
            first = pd.Timestamp(cal.year, *start)
            for _ in range(500):
                a, b = _daily(rng, days, users, users, rate_a, rate_a, per_order)
                p = _cumulative_p(a, b)
                if p[:10].min() < 0.05 and p[-1] > 0.3 and a[1][:10].sum() < b[1][:10].sum():
                    break
            labels = ("A", "B")
        else:
            first = pd.Timestamp(cal.year, *start)
            a, b = _daily(rng, days, users, users, rate_a, rate_a * (1 + lift), per_order)
            labels = ("A", "B")
        for d in range(days):
            for label, (u, o, r) in zip(labels, (a, b)):
                rows.append((exp_id, name, kind, first + pd.Timedelta(days=d), label, int(u[d]), int(o[d]), float(r[d])))
    return pd.DataFrame(rows, columns=TABLES["experiments"].column_names)
