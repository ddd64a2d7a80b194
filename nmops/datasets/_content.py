"""Content and platforms (内容与平台): staff, campaigns, titles, posts and their reads, daily followers, spend."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from nmops.datasets._audience import ORGANIC_SOURCE_P, _follower_events, _leave_days
from nmops.datasets._calendar import Calendar
from nmops.datasets._params import (
    ADS_BASE,
    BASE_IMPRESSIONS,
    CH,
    CONTENT_MIX,
    Campaign,
    DAILY_CHURN,
    DAILY_READ_CHANNELS,
    DAY,
    DOUYIN_HIT_MULT,
    DOUYIN_HIT_P,
    IMPRESSION_SIGMA,
    KIND_CLICK,
    KIND_FOLLOW,
    KOL_FEE,
    LEVEL_CHANNEL_WEIGHT,
    LEVEL_READ_MULT,
    NCH,
    ORGANIC_FOLLOWS,
    PAID_EXPONENT,
    PAID_K,
    POSTS_PER_DAY,
    RATES,
    READ_CURVE_KIND,
    READ_RATE,
    REPOST_P,
    REPOST_READ,
    SLOTS,
    STAFF,
    START_FOLLOWERS,
    TOPICS,
    TOPIC_CLICK,
    TOPIC_FOLLOW,
    TOPIC_MIX,
    TOPIC_READ,
    TYPE_MULT,
    WECHAT_ARTICLES_PER_PUSH,
    WECHAT_BLOCKED,
    WECHAT_POSITION_MULT,
    WECHAT_PUSH_READ_RATE,
    WECHAT_SOURCE_RATIO,
    _lognormal,
    _rng,
)
from nmops.datasets.dictionary import CHANNELS, TABLES


# =========================================================================== staff
def build_staff(year: int) -> pd.DataFrame:
    """The operations team (运营团队)."""
    rows = []
    for name, level, (back, m, d), cost in STAFF:
        chans = [c for c in CHANNELS if LEVEL_CHANNEL_WEIGHT[level].get(c, 0) > 0]
        rows.append((name, level, pd.Timestamp(year - back, m, d), cost, ",".join(chans)))
    return pd.DataFrame(rows, columns=TABLES["staff"].column_names)


# =========================================================================== campaigns
def plan_campaigns(cal: Calendar) -> list[Campaign]:
    """The year's campaigns, anchored on festivals (dates move with the lunar calendar)."""
    y = cal.year
    f = cal.festivals
    td = pd.Timedelta

    def d(x) -> date:
        x = pd.Timestamp(x)
        x = min(max(x, pd.Timestamp(y, 1, 2)), pd.Timestamp(y, 12, 31))
        return x.date()

    sf, qx, ma = pd.Timestamp(f["spring_festival"]), pd.Timestamp(f["qixi"]), pd.Timestamp(f["mid_autumn"])
    plan = [
        ("新春集福签到：连签 14 天领鲜花饼", "wechat", "checkin", sf - td(days=20), sf - td(days=7), 3000, "event"),
        ("情人节玫瑰礼盒转发抽奖", "weibo", "giveaway", (y, 2, 5), (y, 2, 13), 5000, "gift_box"),
        ("情人节鲜花饼直播专场", "douyin", "live", (y, 2, 10), (y, 2, 12), 8000, "gift_box"),
        ("我的昆明春天：圆通山樱花照片征集", "xiaohongshu", "contest", (y, 3, 10), (y, 3, 31), 4000, "event"),
        ("21 天花茶打卡", "wechat", "checkin", (y, 4, 1), (y, 4, 21), 2500, "tea"),
        ("玫瑰花季鲜花饼试吃抽奖", "wechat", "giveaway", (y, 5, 6), (y, 5, 12), 6000, "flower_cake"),
        ("520 告白故事征集", "weibo", "contest", (y, 5, 8), (y, 5, 19), 4000, "event"),
        ("凌晨四点斗南花市直播", "douyin", "live", (y, 5, 24), (y, 5, 26), 6000, "flower_cake"),
        ("618 抖音福袋抽奖", "douyin", "giveaway", (y, 6, 10), (y, 6, 17), 7000, "flower_cake"),
        ("夏日冷泡花茶打卡", "xiaohongshu", "checkin", (y, 7, 1), (y, 7, 21), 3000, "tea"),
        ("你心中的云南味道：知乎征文", "zhihu", "contest", (y, 7, 15), (y, 8, 10), 3000, "event"),
        ("七夕转发抽奖：送你一盒玫瑰鲜花饼", "weibo", "giveaway", qx - td(days=8), qx - td(days=1), 5000, "gift_box"),
        ("七夕鲜花礼盒直播", "douyin", "live", qx - td(days=3), qx - td(days=1), 6000, "gift_box"),
        ("中秋云腿月饼抽奖", "wechat", "giveaway", ma - td(days=22), ma - td(days=14), 8000, "mooncake"),
        ("中秋家书征集", "wechat", "contest", ma - td(days=15), ma - td(days=2), 3000, "event"),
        ("中秋云腿月饼直播专场", "douyin", "live", ma - td(days=13), ma - td(days=11), 10000, "mooncake"),
        ("双11 抖音福袋抽奖", "douyin", "giveaway", (y, 11, 4), (y, 11, 10), 8000, "gift_box"),
        ("双11 直播专场", "douyin", "live", (y, 11, 8), (y, 11, 10), 12000, "gift_box"),
        ("红嘴鸥回来了：转发抽奖", "weibo", "giveaway", (y, 11, 20), (y, 11, 28), 4000, "flower_cake"),
        ("冬日昆明晒图征集", "xiaohongshu", "contest", (y, 12, 5), (y, 12, 24), 3000, "event"),
        ("年终感恩抽奖", "toutiao", "giveaway", (y, 12, 15), (y, 12, 22), 4000, "gift_box"),
    ]
    out = []
    for name, ch, kind, a, b, budget, landing in plan:
        a = d(pd.Timestamp(*a) if isinstance(a, tuple) else a)
        b = d(pd.Timestamp(*b) if isinstance(b, tuple) else b)
        out.append(Campaign(name, ch, kind, a, max(a, b), float(budget), landing))
    out.sort(key=lambda c: (c.start, c.end, c.name))
    return out


# =========================================================================== titles
PRODUCT_NAMES = ("玫瑰鲜花饼", "茉莉鲜花饼", "玫瑰花茶", "滇红玫瑰茶", "云腿月饼", "鲜花礼盒")
TEAS = ("玫瑰花茶", "滇红", "普洱", "茉莉花茶", "菊花茶", "玫瑰滇红")
PLACES = ("斗南花市", "翠湖", "滇池", "圆通山", "官渡古镇", "大理", "石林", "安宁", "呈贡", "金殿")
FESTIVAL_ZH = {
    "spring_festival": "春节",
    "valentine": "情人节",
    "love520": "520",
    "qixi": "七夕",
    "mid_autumn": "中秋",
    "double11": "双11",
    "rose_season": "玫瑰花季",
    "daily": "周末",
}
TITLE_TEMPLATES = {
    "goods": (
        "{p}上新：一口咬下去全是花瓣",
        "{n}个理由，告诉你{p}为什么要趁鲜吃",
        "{p}放冰箱还是常温？{n}个保存方法",
        "一口爆浆！{p}的正确打开方式",
        "今天的{p}，是凌晨{h}点的玫瑰做的",
        "{p}为什么比超市的贵？我们算了一笔账",
        "{p}测评：{n}种口味，你选哪一个",
        "今年第一批{p}出炉了",
        "第一次做鲜花饼的人，最容易犯的{n}个错",
    ),
    "tea": (
        "{t}怎么泡才不苦？{n}步搞定",
        "办公室花茶清单：{t}配什么点心",
        "{n}种云南花茶，你喝过几种？",
        "冷泡{t}：夏天的第一杯",
        "秋天的第一杯{t}",
        "{t}和鲜花饼，是昆明人的下午茶",
        "一杯{t}的{n}种喝法",
    ),
    "local": (
        "凌晨四点的{pl}，有多美",
        "昆明人的{n}个生活习惯，外地人看不懂",
        "在{pl}，吃一块鲜花饼",
        "红嘴鸥回来了！翠湖喂鸥指南",
        "云南人吃花的{n}种方式",
        "周末去{pl}：一份本地人的路线",
        "四季如春的昆明，冬天到底冷不冷",
        "离昆明最近的花海：{pl}",
        "第一次去云南，带这份清单就够了",
        "最近的昆明，满街都是蓝花楹",
    ),
    "festival": (
        "{f}送什么？{n}款{p}礼盒推荐",
        "{f}快到了，这份{p}清单收好",
        "{f}限定：{p}预售开始",
        "过{f}，给远方的家人寄一盒{p}",
    ),
    "brand": (
        "从一朵玫瑰到一块鲜花饼：我们的{n}道工序",
        "开店这些年，我们最常被问的{n}个问题",
        "探访{pl}的玫瑰种植基地",
        "做鲜花饼的阿姨，已经做了{n}年",
        "我们为什么只用当天采的玫瑰",
    ),
}
QA_TEMPLATES = {
    "goods": ("云南鲜花饼哪家好吃？", "鲜花饼为什么这么贵？", "鲜花饼能放多久？", "云腿月饼是什么味道？"),
    "tea": ("玫瑰花茶真的有用吗？", "花茶和绿茶有什么区别？", "滇红怎么泡才好喝？", "办公室适合喝什么花茶？"),
    "local": ("去昆明旅游带什么伴手礼？", "昆明有哪些本地人才知道的好去处？", "如何评价云南人吃花？", "第一次去云南，有什么建议？"),
    "festival": ("中秋送什么月饼比较体面？", "情人节送花还是送吃的？", "过年给长辈带什么云南特产？"),
    "brand": ("在昆明做食品品牌是一种什么体验？", "小众食品品牌怎么做出差异化？"),
}
KOLS = ("昆明吃货小分队", "云南旅行家阿木", "花花的厨房", "滇味研究所", "茶博士老周", "大理小鹿")


def _title(rng: np.random.Generator, channel: str, ctype: str, topic: str, theme: str, campaign_name: str | None) -> str:
    n = int(rng.integers(3, 10))
    fill = {
        "p": PRODUCT_NAMES[rng.integers(len(PRODUCT_NAMES))],
        "t": TEAS[rng.integers(len(TEAS))],
        "pl": PLACES[rng.integers(len(PLACES))],
        "f": FESTIVAL_ZH.get(theme, "节日"),
        "n": n,
        "h": int(rng.integers(3, 6)),
        "b": "滇花记",
    }
    if topic == "festival" and theme == "mid_autumn":
        fill["p"] = "云腿月饼"
    elif fill["p"] == "云腿月饼" and theme != "mid_autumn":
        fill["p"] = "玫瑰鲜花饼"  # mooncakes are only sold before 中秋
    if ctype == "event" and campaign_name:
        prefix = {"giveaway": "【抽奖】", "contest": "【征集】", "checkin": "【打卡】", "live": "【直播预告】"}
        return prefix.get(topic, "【活动】") + campaign_name
    if ctype == "qa":
        qa = QA_TEMPLATES.get(topic, QA_TEMPLATES["local"])
        return qa[rng.integers(len(qa))]
    templates = TITLE_TEMPLATES[topic]
    text = templates[rng.integers(len(templates))].format(**fill)
    if ctype == "comic":
        return "【漫画】" + text
    if ctype == "collab":
        return f"和@{KOLS[rng.integers(len(KOLS))]}一起：" + text
    if channel == "douyin":
        tags = ("#鲜花饼", "#昆明美食", "#云南旅行", "#花茶", "#伴手礼")
        return text + " " + " ".join(tags[i] for i in sorted(rng.choice(len(tags), 2, replace=False)))
    if ctype == "short_video":
        return "【视频】" + text
    return text

AD_LAW_TITLES = (
    "全网最佳鲜花饼，吃过的人都说好",
    "顶级玫瑰，只做顶级鲜花饼",
    "国家级非遗工艺：云腿月饼上新",
    "鲜花饼第一品牌，十年只做一件事",
    "史上最低价！玫瑰花茶限时抢",
    "云南最好吃的鲜花饼，就在滇花记",
)

"""Titles with absolute claims that the 广告法 (Advertising Law, art. 9) forbids."""

VIRAL_TITLE = "离开云南的第十个中秋，妈妈又寄来一盒云腿月饼"


def _read_curves() -> dict[str, np.ndarray]:
    """Share of a post's first-90-day reads on each day since publishing."""
    d = np.arange(90, dtype=float)
    fast = np.r_[0.72, 0.17, 0.05, 0.06 * 0.55 ** np.arange(87) * (1 - 0.55)]
    medium = np.r_[0.45, 0.28, 0.12, 0.15 * 0.7 ** np.arange(87) * (1 - 0.7)]
    long = (d + 1) ** -0.7
    return {k: v / v.sum() for k, v in (("fast", fast), ("medium", medium), ("long", long))}

CURVES = _read_curves()


def _keep_in_year(rng, total: int, curve: np.ndarray, days_left: int) -> np.ndarray:
    """Split ``total`` 90-day reads over days; days after the year's end are cut off."""
    daily = rng.multinomial(int(total), curve)
    daily[max(days_left, 0):] = 0
    return daily


# =========================================================================== posts + followers
def build_posts_and_followers(seed: int, cal: Calendar, staff: pd.DataFrame, campaigns: list[Campaign]):
    """Simulate publishing day by day; followers feed reach and reach feeds followers.

    Returns (posts, followers_daily, follower_events, post_daily_reads, post_extra)
    where post_extra holds generator-only arrays (campaign index, publication
    times) used by later stages.
    """
    rng = _rng(seed, cal.year, 2)
    n = cal.n
    # ---- schedule -------------------------------------------------------
    ch_l, day_l, type_l, topic_l, camp_l = [], [], [], [], []
    for c in CHANNELS:
        rate = POSTS_PER_DAY[c] * cal.post_factor
        if c == "wechat":  # a 订阅号 may 群发 once a day, with 1-3 articles
            push_day = rng.random(n) < np.minimum(rate, 1.0)
            counts = np.where(push_day, rng.choice(3, size=n, p=WECHAT_ARTICLES_PER_PUSH) + 1, 0)
        else:
            counts = rng.poisson(rate)
        days = np.repeat(np.arange(n), counts)
        mix = CONTENT_MIX[c]
        types = rng.choice(list(mix), size=len(days), p=list(mix.values()))
        base = np.array(TOPIC_MIX[c])
        topics = []
        for dd in days:
            p = base.copy()
            if cal.festive[dd]:
                p[3] = 0.45
            topics.append(TOPICS[rng.choice(5, p=p / p.sum())])
        ch_l += [c] * len(days)
        day_l += list(days)
        type_l += list(types)
        topic_l += topics
        camp_l += [-1] * len(days)
    for k, cp in enumerate(campaigns):
        a, b = cal.index(cp.start), cal.index(cp.end)
        pdays = list(range(a, b + 1, 7))
        if cp.kind in ("giveaway", "live") and b not in pdays and b - a >= 1:
            pdays.append(b)
        for dd in pdays:
            ch_l.append(cp.channel)
            day_l.append(dd)
            type_l.append("event")
            topic_l.append(cp.kind)  # placeholder; replaced below
            camp_l.append(k)
    m = len(ch_l)
    ch = np.array([CH[c] for c in ch_l])
    day = np.array(day_l)
    ctype = np.array(type_l, dtype=object)
    camp = np.array(camp_l)
    kind = np.array([campaigns[k].kind if k >= 0 else "" for k in camp], dtype=object)
    topic = np.array(topic_l, dtype=object)
    topic[camp >= 0] = "festival"
    for i in np.flatnonzero(camp >= 0):
        if campaigns[camp[i]].landing in ("tea",):
            topic[i] = "tea"
        elif campaigns[camp[i]].kind == "contest":
            topic[i] = "local"

    # time of day
    slot_p = np.array([s[2] for s in SLOTS])
    slot = rng.choice(len(SLOTS), size=m, p=slot_p / slot_p.sum())
    start_h = np.array([s[0] for s in SLOTS])[slot]
    end_h = np.array([s[1] for s in SLOTS])[slot]
    minute_of_day = np.floor((start_h + rng.random(m) * (end_h - start_h)) * 60).astype(int)
    hour_mult = np.array([s[3] for s in SLOTS])[slot]

    # the viral 中秋 story: an ordinary WeChat article a few days before 中秋,
    # the 头条 of an evening push, carried by 朋友圈 shares
    wx = np.flatnonzero(ch == CH["wechat"])
    viral = np.zeros(m, dtype=bool)
    ma = cal.index(cal.festivals["mid_autumn"])
    cand = wx[(ctype[wx] == "article") & (camp[wx] < 0) & (day[wx] >= ma - 12) & (day[wx] <= ma - 2)]
    if len(cand) == 0:
        cand = wx[(ctype[wx] == "article") & (camp[wx] < 0)]
    v = int(rng.choice(cand))
    viral[v] = True
    topic[v] = "festival"
    minute_of_day[v] = 20 * 60 + int(rng.integers(0, 60))
    hour_mult[v] = SLOTS[3][3]
    # WeChat: the articles of a day's push share its time; 头条 first (the viral story, else an event)
    position = np.zeros(m, dtype=np.int64)
    for d_ in np.unique(day[wx]):
        P = wx[day[wx] == d_]
        P = P[np.argsort(np.where(viral[P], 0, np.where(camp[P] >= 0, 1, 2)), kind="stable")]
        minute_of_day[P] = minute_of_day[P[0]]
        hour_mult[P] = hour_mult[P[0]]
        position[P] = np.arange(1, len(P) + 1)
    t_pub = day * DAY + minute_of_day * 60

    # sort by publication time, then channel, then position in the push
    order = np.lexsort((position, ch, t_pub))
    ch, day, ctype, camp, kind, topic, t_pub, hour_mult, viral, position = (
        a[order] for a in (ch, day, ctype, camp, kind, topic, t_pub, hour_mult, viral, position)
    )
    # original or repost (转载 on WeChat 次条, 转发 on Weibo)
    original = np.ones(m, dtype=bool)
    sec = (ch == CH["wechat"]) & (position >= 2) & (camp < 0) & (ctype == "article")
    original[sec] = rng.random(sec.sum()) >= REPOST_P["wechat_secondary"]
    wb = (ch == CH["weibo"]) & (camp < 0) & (ctype == "article")
    original[wb] = rng.random(wb.sum()) >= REPOST_P["weibo"]

    # authors
    levels = staff["level"].to_numpy()
    joined_day = np.array([(pd.Timestamp(j) - cal.days[0]).days for j in staff["joined"]])
    author = np.empty(m, dtype=int)
    for i in range(m):
        w = np.array([LEVEL_CHANNEL_WEIGHT[lv].get(CHANNELS[ch[i]], 0.0) for lv in levels], dtype=float)
        w[joined_day > day[i]] = 0.0
        if ctype[i] == "collab":
            w[(levels == "novice") | (levels == "junior")] = 0.0
        if w.sum() == 0:
            w = np.array([1.0 if lv == "senior" else 0.0 for lv in levels])
        author[i] = rng.choice(len(levels), p=w / w.sum())
    level_mult = np.array([LEVEL_READ_MULT[levels[a]] for a in author])

    # titles
    trng = _rng(seed, cal.year, 11)
    titles = [
        _title(trng, CHANNELS[ch[i]], ctype[i], kind[i] if camp[i] >= 0 else topic[i], cal.theme[day[i]],
               campaigns[camp[i]].name if camp[i] >= 0 else None)
        for i in range(m)
    ]
    for i in np.flatnonzero(~original):
        titles[i] = ("【转载】" if ch[i] == CH["wechat"] else "//转发 @云南文旅：") + titles[i]
    titles[int(np.flatnonzero(viral)[0])] = VIRAL_TITLE
    # a few titles by novices and juniors break the 广告法 (absolute claims)
    pool = np.flatnonzero(np.isin(ch, [CH["wechat"], CH["weibo"], CH["xiaohongshu"]]) & (camp < 0) & original & ~viral
                          & (ctype == "article") & np.isin(levels[author], ["novice", "junior"]))
    for i, text in zip(np.sort(trng.choice(pool, size=len(AD_LAW_TITLES), replace=False)), AD_LAW_TITLES):
        titles[i] = text
    # articles of one push never share a title (exports are matched on time and title)
    seen: set[tuple[int, str]] = set()
    for i in range(m):
        while (t_pub[i], titles[i]) in seen:
            titles[i] += "（续）"
        seen.add((t_pub[i], titles[i]))

    # ---- cost: boosts and KOL fees (decided before the posts go out) ----------
    month = cal.days[day].month.to_numpy()
    fest_months = {pd.Timestamp(v).month for v in cal.festivals.values()}
    cost = np.zeros(m)
    boosted = np.zeros(m, dtype=bool)
    for c in CHANNELS:
        for mo in range(1, 13):
            cand = np.flatnonzero((ch == CH[c]) & (month == mo) & (ctype != "collab") & (ctype != "event") & ~viral & original)
            budget = ADS_BASE[c] * (1.5 if mo in fest_months else 1.0) * float(_lognormal(rng, 0.5, 1)[0])
            budget = int(round(budget, -1))
            if len(cand) == 0 or budget <= 0:
                continue
            k = max(1, int(round(len(cand) * 0.3)))
            chosen = np.sort(rng.choice(cand, size=k, replace=False))
            share = rng.dirichlet(np.full(k, 3.0))
            amounts = np.floor(budget * share)
            amounts[-1] += budget - amounts.sum()
            cost[chosen] = amounts
            boosted[chosen] = True
    collab = ctype == "collab"
    kol_median = np.array([KOL_FEE[CHANNELS[c]] for c in ch])
    cost[collab] = np.round(kol_median[collab] * _lognormal(rng, 0.4, collab.sum()), -2)
    paid_impr = np.zeros(m)
    k_paid = np.array([PAID_K[CHANNELS[c]] for c in ch])
    paid_impr[boosted] = np.round(k_paid[boosted] * cost[boosted] ** PAID_EXPONENT * _lognormal(rng, 0.15, boosted.sum()))

    # ---- per-post multipliers -----------------------------------------------
    tm = np.array([TYPE_MULT[t] for t in ctype])  # reach, like, share, follow, click
    topic_read = np.array([TOPIC_READ[t] for t in topic])
    sigma = np.array([IMPRESSION_SIGMA[CHANNELS[c]] for c in ch])
    impr_noise = np.exp(rng.normal(0, 1, m) * sigma)
    dy = np.flatnonzero((ch == CH["douyin"]) & (ctype == "short_video"))
    hit = dy[rng.random(len(dy)) < DOUYIN_HIT_P]
    if len(hit) == 0:
        hit = dy[[int(rng.integers(len(dy)))]]
    impr_noise[hit] *= rng.uniform(*DOUYIN_HIT_MULT, len(hit))
    ctr_noise = _lognormal(rng, 0.25, m)
    att = cal.attention[day]
    repost_mult = np.where(original, 1.0, np.where(ch == CH["wechat"], REPOST_READ["wechat"], REPOST_READ["weibo"]))
    read_mult = hour_mult * level_mult * topic_read * ctr_noise * repost_mult

    impressions = np.zeros(m, dtype=np.int64)
    reads = np.zeros(m, dtype=np.int64)
    sources = np.zeros((m, 4), dtype=np.int64)  # WeChat reads: push (会话), moments, recommend, other
    delivered = np.full(m, -1, dtype=np.int64)
    follows = np.zeros(m, dtype=np.int64)
    daily_reads = np.zeros((m, 90), dtype=np.int64)
    rates = np.array([RATES[CHANNELS[c]] for c in ch])
    follow_rate = rates[:, 4] * tm[:, 3] * np.array([TOPIC_FOLLOW[t] for t in topic])
    for i in np.flatnonzero(camp >= 0):
        follow_rate[i] = rates[i, 4] * KIND_FOLLOW[kind[i]]

    # ---- day-by-day loop ------------------------------------------------------
    total = np.array([START_FOLLOWERS[c] for c in CHANNELS], dtype=np.int64)
    start_total = total.copy()
    base_left = total.copy()  # followers carried in from before the year who have not left
    leave = np.zeros((NCH, n + 1), dtype=np.int64)
    fol_rows = np.zeros((n, NCH, 4), dtype=np.int64)
    base_unf = np.zeros((n, NCH), dtype=np.int64)
    fl = {"c": [], "d": [], "src": [], "post": [], "camp": [], "leave": []}  # new followers of the year
    post_by_day = np.split(np.arange(m), np.searchsorted(day, np.arange(1, n)))
    end_day = np.array([cal.index(cp.end) for cp in campaigns] or [0])

    def add_followers(c, d, src, post, cmp, leave_at):
        fl["c"].append(np.full(len(leave_at), c))
        fl["d"].append(np.full(len(leave_at), d))
        fl["src"].append(np.full(len(leave_at), src))
        fl["post"].append(np.full(len(leave_at), post))
        fl["camp"].append(np.full(len(leave_at), cmp))
        fl["leave"].append(leave_at)
        np.add.at(leave[c], np.minimum(leave_at, n), 1)

    for d in range(n):
        idx = post_by_day[d]
        gained = np.zeros(NCH, dtype=np.int64)
        for c in range(NCH):
            P = idx[ch[idx] == c]
            if len(P) == 0:
                continue
            fan = (total[c] / start_total[c]) ** 0.3
            curve = CURVES[READ_CURVE_KIND[CHANNELS[c]]]
            if c == CH["wechat"]:
                dl = np.round(total[c] * (1 - WECHAT_BLOCKED + rng.uniform(-0.005, 0.005, len(P)))).astype(np.int64)
                pos_mult = np.array(WECHAT_POSITION_MULT)[np.minimum(position[P], 3) - 1]
                p_push = np.clip(WECHAT_PUSH_READ_RATE * read_mult[P] * pos_mult * tm[P, 0] ** 0.3 * att[P], 0, 0.3)
                push = rng.binomial(dl, p_push)
                comic = np.where(ctype[P] == "comic", 2.0, 1.0)
                src = np.zeros((len(P), 4), dtype=np.int64)
                src[:, 0] = push
                src[:, 1] = np.round(push * WECHAT_SOURCE_RATIO["moments"] * _lognormal(rng, 0.5, len(P)) * comic * tm[P, 0] ** 0.7)
                src[:, 2] = np.round(push * WECHAT_SOURCE_RATIO["recommend"] * _lognormal(rng, 0.6, len(P)))
                src[:, 3] = np.round(push * WECHAT_SOURCE_RATIO["other"] * _lognormal(rng, 0.4, len(P)))
                src[:, 3] += rng.binomial(paid_impr[P].astype(np.int64), 0.02)
                vv = viral[P]
                if vv.any():
                    target = rng.integers(115_000, 160_000, vv.sum())
                    src[vv, 2] = np.round(target * rng.uniform(0.08, 0.12, vv.sum()))
                    src[vv, 1] = target - src[vv, 0] - src[vv, 2] - src[vv, 3]
                for j, i in enumerate(P):
                    daily = _keep_in_year(rng, src[j].sum(), CURVES["medium" if viral[i] else "fast"], n - d)
                    kept = int(daily.sum())
                    if kept < src[j].sum():
                        src[j] = rng.multivariate_hypergeometric(src[j], kept)
                    daily_reads[i] = daily
                delivered[P] = dl
                sources[P] = src
                reads[P] = src.sum(axis=1)
                impressions[P] = dl + np.round(src[:, 1:].sum(axis=1) * rng.uniform(6, 10, len(P))).astype(np.int64) + paid_impr[P].astype(np.int64)
            else:
                name = CHANNELS[c]
                imp = np.round(BASE_IMPRESSIONS[name] * fan * tm[P, 0] * att[P] * impr_noise[P]) + paid_impr[P]
                imp = imp.astype(np.int64)
                p_read = np.clip(READ_RATE[name] * read_mult[P], 0, 0.97)
                life = rng.binomial(imp, p_read)
                for j, i in enumerate(P):
                    daily_reads[i] = _keep_in_year(rng, life[j], curve, n - d)
                reads[P] = daily_reads[P].sum(axis=1)
                impressions[P] = np.where(life > 0, np.ceil(imp * reads[P] / np.maximum(life, 1)), imp).astype(np.int64)
            follows[P] = rng.binomial(reads[P], np.clip(follow_rate[P], 0, 0.5))
            gained[c] = follows[P].sum()
            for i in P[follows[P] > 0]:
                if camp[i] >= 0:
                    group, src_code, anchor = ("giveaway" if kind[i] == "giveaway" else "campaign"), 1, end_day[camp[i]]
                else:
                    group, src_code, anchor = "content", (2 if ctype[i] == "collab" else 0), None
                add_followers(c, d, src_code, i, camp[i], _leave_days(rng, np.full(follows[i], d), group, anchor))
        organic = rng.poisson(np.array([ORGANIC_FOLLOWS[c] for c in CHANNELS]) * cal.attention[d])
        for c in range(NCH):
            for k_src, k_n in zip((3, 4, 5), rng.multinomial(organic[c], ORGANIC_SOURCE_P)):
                if k_n:
                    add_followers(c, d, k_src, -1, -1, _leave_days(rng, np.full(k_n, d), "content"))
        new = organic + gained
        base_unf[d] = rng.binomial(base_left, np.array([DAILY_CHURN[c] for c in CHANNELS]))
        base_left -= base_unf[d]
        unf = base_unf[d] + leave[:, d]
        net = new - unf
        total = total + net
        fol_rows[d, :, 0] = new
        fol_rows[d, :, 1] = unf
        fol_rows[d, :, 2] = net
        fol_rows[d, :, 3] = total

    # ---- engagement after the loop -------------------------------------------
    clip = lambda p: np.clip(p, 0, 0.9)  # noqa: E731
    likes = rng.binomial(reads, clip(rates[:, 0] * tm[:, 1] * _lognormal(rng, 0.3, m)))
    comments = rng.binomial(reads, clip(rates[:, 1] * _lognormal(rng, 0.4, m)))
    share_rate = rates[:, 2] * tm[:, 2] * _lognormal(rng, 0.3, m)
    share_rate[viral] = 0.06  # a story passed on in 朋友圈
    # Weibo 转发抽奖: reposting is how one enters, so reposts are many
    share_rate[(ch == CH["weibo"]) & (kind == "giveaway")] = 0.03
    shares = rng.binomial(reads, clip(share_rate))
    favorites = rng.binomial(reads, clip(rates[:, 3] * np.where(ctype == "qa", 1.5, 1.0) * _lognormal(rng, 0.3, m)))
    click_rate = rates[:, 5] * tm[:, 4] * np.array([TOPIC_CLICK[t] for t in topic])
    for i in np.flatnonzero(camp >= 0):
        click_rate[i] = rates[i, 5] * KIND_CLICK[kind[i]]
    click_rate[viral] *= 0.3
    link_clicks = rng.binomial(reads, clip(click_rate * _lognormal(rng, 0.3, m)))
    is_wechat = ch == CH["wechat"]
    zaikan = np.where(is_wechat, rng.binomial(reads, clip(0.012 * tm[:, 1])), -1)
    completion = np.full(m, np.nan)
    comp_wechat = rng.beta(6, 7, m) + np.where(ctype == "comic", 0.2, 0.0)
    completion[is_wechat] = comp_wechat[is_wechat]
    video = (ctype == "short_video") | ((ch == CH["douyin"]) & np.isin(ctype, ["collab", "event"]))
    base_comp = np.where(ch == CH["douyin"], 0.22, 0.3)
    completion[video & ~is_wechat] = np.clip(base_comp * _lognormal(rng, 0.35, m), 0.02, 0.95)[video & ~is_wechat]
    completion = np.round(np.clip(completion, 0, 1), 4)

    def wx_only(a):
        return pd.Series(np.where(is_wechat, a, -1), dtype="Int64").mask(~is_wechat)

    published = cal.days[0] + pd.to_timedelta(t_pub, unit="s")
    post_ids = np.array([f"P{i + 1:04d}" for i in range(m)], dtype=object)
    posts = pd.DataFrame(
        {
            "post_id": post_ids,
            "channel": [CHANNELS[c] for c in ch],
            "author": staff["author"].to_numpy()[author],
            "content_type": ctype.astype(str),
            "topic": topic.astype(str),
            "campaign_id": [f"C{k + 1:02d}" if k >= 0 else None for k in camp],
            "title": titles,
            "original": original,
            "published_at": published,
            "position": pd.Series(position, dtype="Int64").mask(position == 0),
            "impressions": impressions,
            "reads": reads,
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "favorites": favorites,
            "follows_gained": follows,
            "link_clicks": link_clicks,
            "boosted": boosted,
            "cost": cost.astype(float),
            "delivered": pd.Series(delivered, dtype="Int64").mask(delivered < 0),
            "reads_push": wx_only(sources[:, 0]),
            "reads_moments": wx_only(sources[:, 1]),
            "reads_recommend": wx_only(sources[:, 2]),
            "reads_other": wx_only(sources[:, 3]),
            "zaikan": pd.Series(zaikan, dtype="Int64").mask(zaikan < 0),
            "completion_rate": completion,
        }
    )
    fol = pd.DataFrame(
        {
            "date": np.repeat(cal.days.to_numpy(), NCH),
            "channel": np.tile(np.array(CHANNELS), n),
            "new_followers": fol_rows[:, :, 0].ravel(),
            "unfollows": fol_rows[:, :, 1].ravel(),
            "net_followers": fol_rows[:, :, 2].ravel(),
            "total_followers": fol_rows[:, :, 3].ravel(),
        }
    )
    follower_events = _follower_events(rng, cal, fl, base_unf, start_total, t_pub, post_ids)
    sel = np.flatnonzero(np.isin(ch, [CH[c] for c in DAILY_READ_CHANNELS]))
    ages = np.arange(90)
    keep = (day[sel][:, None] + ages[None, :]) < n
    rows_post, rows_age = np.nonzero(keep)
    daily = pd.DataFrame({
        "post_id": post_ids[sel][rows_post],
        "date": cal.days[day[sel][rows_post] + rows_age],
        "age_days": rows_age.astype(np.int64),
        "reads": daily_reads[sel][rows_post, rows_age],
    })
    extra = {"camp": camp, "kind": kind, "t_pub": t_pub, "ch": ch, "viral": viral, "hit": np.isin(np.arange(m), hit),
             "start_followers": {c: int(START_FOLLOWERS[c]) for c in CHANNELS}, "topic": topic,
             "author": author}
    return posts, fol, follower_events, daily, extra


def staff_channels_from_posts(staff: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Set ``channels`` to the channels each person actually posted on (in channel order)."""
    out = staff.copy()
    done = posts.groupby("author")["channel"].agg(set)
    out["channels"] = [
        ",".join(c for c in CHANNELS if c in done.get(a, set())) or chans
        for a, chans in zip(out["author"], out["channels"])
    ]
    return out


# =========================================================================== campaigns table
def build_campaigns(campaigns: list[Campaign], posts: pd.DataFrame, seed: int, year: int) -> pd.DataFrame:
    """The campaigns table; reach = impressions of the campaign's posts, exposed = people reached."""
    ids = [f"C{i + 1:02d}" for i in range(len(campaigns))]
    reach = posts.groupby("campaign_id")["impressions"].sum()
    frequency = _rng(seed, year, 12).uniform(1.3, 1.8, len(ids))  # impressions per person reached
    return pd.DataFrame({
        "campaign_id": ids,
        "name": [c.name for c in campaigns],
        "channel": [c.channel for c in campaigns],
        "kind": [c.kind for c in campaigns],
        "start": [pd.Timestamp(c.start) for c in campaigns],
        "end": [pd.Timestamp(c.end) for c in campaigns],
        "budget": [c.budget for c in campaigns],
        "reach": [int(reach.get(i, 0)) for i in ids],
        "exposed": [int(round(reach.get(i, 0) / f)) for i, f in zip(ids, frequency)],
    })


# =========================================================================== spend
def build_spend(cal: Calendar, staff: pd.DataFrame, posts: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
    """Monthly spend by channel and kind; every figure adds up from the other tables."""
    months = pd.date_range(f"{cal.year}-01-01", periods=12, freq="MS")
    pm = posts["published_at"].dt.month
    rows = []
    staff_alloc = np.zeros((12, NCH))
    for _, s in staff.iterrows():
        w_default = np.array([LEVEL_CHANNEL_WEIGHT[s["level"]].get(c, 0.0) for c in CHANNELS])
        for mi, m0 in enumerate(months):
            m1 = m0 + pd.offsets.MonthBegin(1)
            days_in = (m1 - m0).days
            worked = (m1 - max(m0, s["joined"])).days
            if worked <= 0:
                continue
            cost = s["monthly_cost"] * min(worked, days_in) / days_in
            mine = posts[(posts["author"] == s["author"]) & (pm == mi + 1)]["channel"].value_counts()
            w = np.array([mine.get(c, 0) for c in CHANNELS], dtype=float)
            if w.sum() == 0:
                w = w_default
            staff_alloc[mi] += cost * w / w.sum()
    for mi, m0 in enumerate(months):
        for ci, c in enumerate(CHANNELS):
            sel = (posts["channel"] == c) & (pm == mi + 1)
            ads = posts.loc[sel & (posts["content_type"] != "collab"), "cost"].sum()
            kol = posts.loc[sel & (posts["content_type"] == "collab"), "cost"].sum()
            camp = campaigns.loc[(campaigns["channel"] == c) & (campaigns["start"].dt.month == mi + 1), "budget"].sum()
            for kind, amount in (("ads", ads), ("kol", kol), ("campaign", camp), ("staff", staff_alloc[mi, ci])):
                rows.append((m0, c, kind, round(float(amount), 2)))
    return pd.DataFrame(rows, columns=TABLES["spend"].column_names)
