"""Synthesis of the sample tables (示例数据合成): one coherent simulated year.

Everything here is driven by one seed. Each stage draws from its own random
stream (``np.random.default_rng([seed, year, stream])``), so changing one
stage does not reshuffle the others. The planted effects are described for
instructors in ``docs/instructor-data.md``; the parameters that plant them
are the ``*_MULT`` / ``INTENT`` / ``LIFE_*`` tables below.

Times are handled as integer seconds since 1 January 00:00 of the year and
turned into timezone-naive Beijing times at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from nmops.datasets._calendar import MIN_YEAR, Calendar, build_calendar
from nmops.datasets.dictionary import CHANNELS, STAFF_NAMES, TABLES

DAY = 86_400
CH = {c: i for i, c in enumerate(CHANNELS)}
NCH = len(CHANNELS)

# --------------------------------------------------------------------------- staff
#: name, level, joined as (years before the data year, month, day), monthly cost (元)
STAFF = (
    ("周岚", "senior", (6, 3, 4), 15000),
    ("李想", "intermediate", (4, 6, 1), 10000),
    ("杨帆", "intermediate", (3, 9, 13), 10000),
    ("段晓雯", "junior", (2, 4, 3), 7000),
    ("赵一鸣", "junior", (2, 11, 20), 7000),
    ("和小雨", "novice", (0, 1, 6), 5000),
    ("普梅", "novice", (0, 7, 1), 5000),
)
assert tuple(s[0] for s in STAFF) == STAFF_NAMES

#: posting weight of each level on each channel (0 = not their channel)
LEVEL_CHANNEL_WEIGHT = {
    "novice": {"wechat": 3, "weibo": 4},
    "junior": {"wechat": 2, "weibo": 2, "zhihu": 2, "toutiao": 3},
    "intermediate": {"wechat": 1.5, "zhihu": 2, "toutiao": 1, "douyin": 3, "xiaohongshu": 3},
    "senior": {"wechat": 0.5, "zhihu": 1, "douyin": 1, "xiaohongshu": 0.5},
}
#: v1 made reads rise with the author's level; that rise came from collabs credited to
#: senior staff, so v2 plants no level effect (a confound for the lessons, not a finding).
LEVEL_READ_MULT = {"novice": 1.0, "junior": 1.0, "intermediate": 1.0, "senior": 1.0}

# --------------------------------------------------------------------------- channels
START_FOLLOWERS = {"wechat": 36000, "weibo": 52000, "zhihu": 4800, "toutiao": 8500, "douyin": 18000, "xiaohongshu": 9500}
ORGANIC_FOLLOWS = {"wechat": 22, "weibo": 18, "zhihu": 5, "toutiao": 10, "douyin": 40, "xiaohongshu": 15}
DAILY_CHURN = {"wechat": 0.0006, "weibo": 0.0005, "zhihu": 0.0004, "toutiao": 0.0007, "douyin": 0.0009, "xiaohongshu": 0.0006}
POSTS_PER_DAY = {"wechat": 0.45, "weibo": 1.35, "zhihu": 0.28, "toutiao": 0.42, "douyin": 0.72, "xiaohongshu": 0.55}
#: WeChat 订阅号: at most one 群发 a day (POSTS_PER_DAY is the chance of a push day);
#: articles per push: 1, 2 or 3 (头条, 次条, 第三条)
WECHAT_ARTICLES_PER_PUSH = (0.5, 0.35, 0.15)
#: median organic impressions per post (WeChat is built from delivered instead)
BASE_IMPRESSIONS = {"weibo": 5000, "zhihu": 2600, "toutiao": 18000, "douyin": 6000, "xiaohongshu": 9000}
IMPRESSION_SIGMA = {"wechat": 0.45, "weibo": 0.6, "zhihu": 0.7, "toutiao": 0.7, "douyin": 1.0, "xiaohongshu": 0.8}
#: reads per impression. Weibo's 阅读数 counts displays (刷到即算), so it is close to
#: impressions; WeChat's 阅读 is a click (people who opened the article).
READ_RATE = {"weibo": 0.9, "zhihu": 0.45, "toutiao": 0.09, "douyin": 0.45, "xiaohongshu": 0.12}
#: Douyin: share of videos the recommendation feed picks up (爆款), and their reach multiplier
DOUYIN_HIT_P = 0.02
DOUYIN_HIT_MULT = (15.0, 60.0)
#: WeChat push open rate (公众号消息阅读人数 / 送达人数) of a 头条 at median, and the
#: multiplier of the 2nd and 3rd positions (次条 are read less)
WECHAT_PUSH_READ_RATE = 0.022
WECHAT_POSITION_MULT = (1.0, 0.35, 0.25)
#: other read sources relative to push reads (median): 朋友圈, 推荐 (看一看), 其他 (搜一搜、历史消息)
WECHAT_SOURCE_RATIO = {"moments": 0.32, "recommend": 0.14, "other": 0.12}
WECHAT_BLOCKED = 0.03
#: reposts (转载 / 转发): share of posts, and their read multiplier
REPOST_P = {"wechat_secondary": 0.3, "weibo": 0.25}
REPOST_READ = {"wechat": 0.7, "weibo": 0.5}
#: share of a post's first-90-day reads on each day since publishing
READ_CURVE_KIND = {"wechat": "fast", "weibo": "fast", "zhihu": "long", "toutiao": "medium", "douyin": "medium", "xiaohongshu": "medium"}
#: channels whose daily reads per post are shipped (post_daily_reads)
DAILY_READ_CHANNELS = ("wechat", "zhihu", "toutiao")
#: share of link clicks that load the landing page and become a store visit
#: (WeChat opens the mini-program in-app; others go through an H5 jump page)
LOAD_RATE = {"wechat": 0.88, "weibo": 0.55, "zhihu": 0.7, "toutiao": 0.62}
#: Douyin and Xiaohongshu do not link to the WeChat mini-program: their link clicks are
#: product clicks in their own shop, converting at this rate
SHOP_CONVERSION = {"douyin": 0.035, "xiaohongshu": 0.045}
STORES = ("mini_program", "douyin_shop", "xiaohongshu_shop")
#: extra organic (search / direct) visits to the mini-program per Douyin play of a hit video
DOUYIN_HALO_PER_PLAY = 0.0015

#: per read: like, comment, share, favorite, follow, link click
RATES = {
    "wechat": (0.012, 0.0020, 0.020, 0.006, 0.0060, 0.020),
    "weibo": (0.004, 0.0008, 0.0015, 0.0004, 0.0006, 0.0010),
    "zhihu": (0.020, 0.0040, 0.004, 0.025, 0.0022, 0.020),
    "toutiao": (0.010, 0.0020, 0.004, 0.006, 0.0030, 0.012),
    "douyin": (0.035, 0.0020, 0.0035, 0.004, 0.0015, 0.004),
    "xiaohongshu": (0.040, 0.0040, 0.006, 0.030, 0.0060, 0.007),
}
CONTENT_MIX = {
    "wechat": {"article": 0.75, "comic": 0.18, "collab": 0.07},
    "weibo": {"article": 0.55, "comic": 0.15, "short_video": 0.25, "collab": 0.05},
    "zhihu": {"qa": 0.7, "article": 0.3},
    "toutiao": {"article": 0.7, "short_video": 0.3},
    "douyin": {"short_video": 0.92, "collab": 0.08},
    "xiaohongshu": {"article": 0.55, "short_video": 0.3, "collab": 0.1, "comic": 0.05},
}
TOPIC_MIX = {  # goods, tea, local, festival(base), brand
    "wechat": (0.3, 0.25, 0.25, 0.05, 0.15),
    "weibo": (0.35, 0.15, 0.3, 0.05, 0.15),
    "zhihu": (0.2, 0.4, 0.3, 0.02, 0.08),
    "toutiao": (0.25, 0.25, 0.35, 0.05, 0.1),
    "douyin": (0.4, 0.15, 0.3, 0.05, 0.1),
    "xiaohongshu": (0.4, 0.25, 0.2, 0.05, 0.1),
}
TOPICS = ("goods", "tea", "local", "festival", "brand")
#: content type multipliers: reach, like, share, follow, click
TYPE_MULT = {
    "article": (1.0, 1.0, 1.0, 1.0, 1.0),
    "short_video": (1.3, 1.1, 1.1, 1.0, 0.9),
    "comic": (1.1, 1.5, 2.6, 1.1, 0.8),
    "event": (2.2, 1.2, 1.6, 1.0, 1.0),  # follow and click are set by the campaign kind
    "collab": (3.0, 1.1, 1.0, 1.5, 1.3),
    "qa": (1.0, 1.0, 0.8, 1.0, 1.2),
}
KIND_FOLLOW = {"giveaway": 7.0, "contest": 2.0, "checkin": 1.5, "live": 2.0}
KIND_CLICK = {"giveaway": 6.0, "contest": 2.5, "checkin": 3.0, "live": 3.0}
TOPIC_READ = {"goods": 0.85, "tea": 1.1, "local": 1.1, "festival": 1.05, "brand": 0.95}
TOPIC_FOLLOW = {"goods": 0.8, "tea": 1.4, "local": 1.4, "festival": 1.0, "brand": 1.0}
TOPIC_CLICK = {"goods": 1.5, "tea": 0.9, "local": 0.8, "festival": 1.3, "brand": 0.9}
#: publication slots: (start hour, end hour, probability, read multiplier)
SLOTS = ((7.0, 9.0, 0.28, 1.0), (11.5, 13.0, 0.2, 1.05), (15.0, 17.0, 0.17, 0.9), (19.0, 22.0, 0.3, 1.4), (22.0, 23.5, 0.05, 1.1))

ADS_BASE = {"wechat": 2500, "weibo": 2000, "zhihu": 800, "toutiao": 1500, "douyin": 6000, "xiaohongshu": 2500}
#: paid impressions = k * cost ** 0.5 (diminishing returns)
PAID_K = {"wechat": 900, "weibo": 1500, "zhihu": 500, "toutiao": 1800, "douyin": 2000, "xiaohongshu": 1200}
PAID_EXPONENT = 0.5
KOL_FEE = {"wechat": 2500, "weibo": 2000, "zhihu": 2000, "toutiao": 1500, "douyin": 5000, "xiaohongshu": 3000}

# --------------------------------------------------------------------------- users
P_NEW = {"wechat": 0.35, "weibo": 0.6, "zhihu": 0.75, "toutiao": 0.8, "douyin": 0.85, "xiaohongshu": 0.75}
#: purchase intent by first channel (index NCH = organic)
INTENT = np.array([1.3, 0.7, 1.4, 0.75, 0.6, 1.1, 1.2])
#: mean lifetime (days) of content users by first channel, and of other acquisitions
LIFE_CONTENT = np.array([50, 25, 60, 25, 18, 35, 45], dtype=float)
LIFE = {"giveaway": 8.0, "campaign": 25.0, "organic": 45.0}
ACTIVE_P = {"content": 0.07, "giveaway": 0.05, "campaign": 0.06, "organic": 0.08}
ACQ = ("content", "giveaway", "campaign", "organic")
CITIES = ("昆明", "上海", "北京", "广州", "深圳", "成都", "杭州", "重庆", "大理", "曲靖", "玉溪", "丽江", "武汉", "西安")
CITY_OTHER_P = np.array([0.12, 0.10, 0.08, 0.10, 0.10, 0.07, 0.05, 0.07, 0.06, 0.06, 0.05, 0.07, 0.07])
KUNMING_SHARE = np.array([0.6, 0.35, 0.2, 0.4, 0.25, 0.3, 0.5])
FEMALE_SHARE = np.array([0.6, 0.65, 0.45, 0.4, 0.6, 0.85, 0.6])
AGE_BANDS = ("18-24", "25-34", "35-44", "45+")
AGE_P = np.array([
    [0.12, 0.38, 0.30, 0.20],
    [0.30, 0.40, 0.20, 0.10],
    [0.25, 0.50, 0.20, 0.05],
    [0.10, 0.30, 0.30, 0.30],
    [0.35, 0.35, 0.20, 0.10],
    [0.30, 0.50, 0.15, 0.05],
    [0.15, 0.40, 0.28, 0.17],
])
#: activity hour of day (users): weights per hour 0..23
USER_HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 3, 3, 3, 3.5, 5, 4, 3, 3, 3, 3.5, 4, 5, 6.5, 7, 5.5, 3])
USER_HOURS = USER_HOURS / USER_HOURS.sum()

PRODUCTS = ("flower_cake", "mooncake", "tea", "gift_box")
#: the SKUs, four per category in price order: id, category, name, price, unit cost, shipping per unit (元).
#: Unit costs are an estimate for a small food brand (gross margin 55–65 %); shipping is cold-chain for cakes.
SKUS = (
    ("FC1", "flower_cake", "玫瑰鲜花饼 4 枚装", 39.9, 14.0, 8.0),
    ("FC2", "flower_cake", "玫瑰鲜花饼 6 枚装", 59.9, 20.0, 8.0),
    ("FC3", "flower_cake", "双味鲜花饼 10 枚礼袋", 79.9, 27.0, 10.0),
    ("FC4", "flower_cake", "鲜花饼 12 枚家庭装", 99.0, 33.0, 10.0),
    ("MC1", "mooncake", "云腿月饼 4 枚装", 128.0, 48.0, 12.0),
    ("MC2", "mooncake", "云腿月饼 6 枚装", 168.0, 62.0, 12.0),
    ("MC3", "mooncake", "云腿月饼 8 枚礼盒", 198.0, 74.0, 14.0),
    ("MC4", "mooncake", "云腿月饼 12 枚礼盒", 268.0, 98.0, 14.0),
    ("TE1", "tea", "玫瑰花茶 50 克", 45.0, 12.0, 6.0),
    ("TE2", "tea", "滇红玫瑰茶 100 克", 68.0, 20.0, 6.0),
    ("TE3", "tea", "花茶三味组合", 88.0, 27.0, 8.0),
    ("TE4", "tea", "花茶礼罐", 120.0, 38.0, 8.0),
    ("GB1", "gift_box", "鲜花饼花茶小礼盒", 168.0, 70.0, 14.0),
    ("GB2", "gift_box", "鲜花礼盒", 228.0, 95.0, 16.0),
    ("GB3", "gift_box", "滇花记四季礼盒", 298.0, 125.0, 16.0),
    ("GB4", "gift_box", "滇花记臻选礼盒", 398.0, 165.0, 18.0),
)
SKU_PRICE = np.array([s[3] for s in SKUS])
#: coupons (满减): threshold, discount; the chance an order uses one on festival and other days
COUPONS = ((199.0, 20.0, "满199减20"), (99.0, 10.0, "满99减10"))
COUPON_P = {"festive": 0.35, "other": 0.08}
REFUND_P = 0.04


@dataclass
class Campaign:
    """One campaign as planned by the generator."""

    name: str
    channel: str
    kind: str
    start: date
    end: date
    budget: float
    landing: str


def _rng(seed: int, year: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, year, stream])


def _lognormal(rng: np.random.Generator, sigma, size) -> np.ndarray:
    """Log-normal noise with median 1."""
    return np.exp(rng.normal(0.0, sigma, size))


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
FOLLOW_SOURCES = ("post", "campaign", "collab", "search", "recommend", "other")
#: organic follows (not from a post) by source
ORGANIC_SOURCE_P = (0.5, 0.3, 0.2)  # search, recommend, other
#: chance that a new follower leaves soon, and the mean days until then
QUICK_LEAVE = {"giveaway": (0.5, 6.0), "campaign": (0.12, 20.0), "content": (0.04, 15.0)}
#: daily unfollow hazard of everyone else (long-term followers)
LONG_HAZARD = 1 / 900


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


def _leave_days(rng, start: np.ndarray, group: str, end_day: int | None = None) -> np.ndarray:
    """Day each new follower unfollows (may lie beyond the year)."""
    p_quick, mean_quick = QUICK_LEAVE[group]
    k = len(start)
    quick = rng.random(k) < p_quick
    anchor = np.full(k, end_day) if end_day is not None else start
    out = start + rng.geometric(LONG_HAZARD, k)
    out[quick] = np.maximum(anchor[quick], start[quick]) + rng.geometric(1 / mean_quick, quick.sum())
    return out


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


def _follower_events(rng, cal: Calendar, fl: dict, base_unf: np.ndarray, start_total: np.ndarray,
                     t_pub: np.ndarray, post_ids: np.ndarray) -> pd.DataFrame:
    """One row per follow and unfollow, adding up to followers_daily."""
    n = cal.n
    c = np.concatenate(fl["c"])
    d = np.concatenate(fl["d"])
    src = np.concatenate(fl["src"])
    post = np.concatenate(fl["post"])
    cmp_ = np.concatenate(fl["camp"])
    lv = np.concatenate(fl["leave"])
    # follow time: after the post went out, on the same day; organic follows at any hour
    day_end = (d + 1) * DAY - 1
    t_post = np.where(post >= 0, t_pub[np.maximum(post, 0)], d * DAY)
    t_f = np.where(post >= 0, t_post + (rng.random(len(d)) ** 2 * (day_end - t_post)).astype(np.int64), d * DAY + _hours(rng, len(d)))
    o = np.lexsort((rng.random(len(d)), c, t_f))
    c, d, src, post, cmp_, lv, t_f = (a[o] for a in (c, d, src, post, cmp_, lv, t_f))
    prefix = np.array(["WX", "WB", "ZH", "TT", "DY", "XHS"], dtype=object)
    num = np.zeros(len(c), dtype=np.int64)
    for k in range(NCH):
        sel = c == k
        num[sel] = start_total[k] + 1 + np.arange(sel.sum())
    fid = np.array([f"{prefix[k]}{x:07d}" for k, x in zip(c, num)], dtype=object)
    left = lv < n
    t_u = lv[left] * DAY + _hours(rng, left.sum())
    # followers carried in from before the year who unfollow
    bc, bd = np.nonzero(base_unf.T)  # channel, day
    cnt = base_unf.T[bc, bd]
    bc, bd = np.repeat(bc, cnt), np.repeat(bd, cnt)
    bnum = np.zeros(len(bc), dtype=np.int64)
    for k in range(NCH):
        sel = bc == k
        bnum[sel] = rng.choice(start_total[k], size=sel.sum(), replace=False) + 1
    bid = np.array([f"{prefix[k]}{x:07d}" for k, x in zip(bc, bnum)], dtype=object)
    src_names = np.array(FOLLOW_SOURCES, dtype=object)
    camp_ids = np.array([f"C{k + 1:02d}" for k in range(max(cmp_.max() + 1, 1))] + [None], dtype=object)
    pid = np.where(post >= 0, post_ids[np.maximum(post, 0)], None)
    cid = camp_ids[np.where(cmp_ >= 0, cmp_, len(camp_ids) - 1)]
    frame = pd.DataFrame({
        "follower_id": np.concatenate([fid, fid[left], bid]),
        "channel": np.array(CHANNELS, dtype=object)[np.concatenate([c, c[left], bc])],
        "event_time": cal.days[0] + pd.to_timedelta(np.concatenate([t_f, t_u, bd * DAY + _hours(rng, len(bd))]), unit="s"),
        "event": np.array(["follow"] * len(c) + ["unfollow"] * (left.sum() + len(bc)), dtype=object),
        "source": np.concatenate([src_names[src], src_names[src[left]], np.full(len(bc), None, dtype=object)]),
        "post_id": np.concatenate([pid, pid[left], np.full(len(bc), None, dtype=object)]),
        "campaign_id": np.concatenate([cid, cid[left], np.full(len(bc), None, dtype=object)]),
    })
    return frame.sort_values(["event_time", "follower_id", "event"], kind="stable").reset_index(drop=True)



# =========================================================================== visits, users, orders
P_SIGNUP_POST = {"giveaway": 0.75, "contest": 0.25, "checkin": 0.45, "live": 0.55}
P_SIGNUP_SHARE = {"giveaway": 0.6, "contest": 0.2, "checkin": 0.35, "live": 0.4}
P_JOIN = {"giveaway": 0.92, "contest": 0.35, "checkin": 0.65, "live": 0.6}
P_SHARE = {"giveaway": 0.55, "contest": 0.3, "checkin": 0.25, "live": 0.2}
#: participants who follow the account (giveaways ask for it)
P_FOLLOW = {"giveaway": 0.7, "contest": 0.15, "checkin": 0.25, "live": 0.2}
SHARE_VISITS = {"giveaway": 1.1, "contest": 0.8, "checkin": 0.6, "live": 0.7}
KINDS = ("giveaway", "contest", "checkin", "live")
SRC_POST, SRC_SHARE, SRC_ORGANIC_NEW, SRC_RETURN = 0, 1, 2, 3
ORGANIC_NEW_PER_DAY = 12.0
P_VISIT_ON_ACTIVE_DAY = 0.6
BASE_ORDER_P = 0.02
SOURCE_ORDER = np.array([1.0, 0.6, 1.0, 1.7])
REPEAT_MULT = 3.0
ACQ_ORDER = {"content": 1.0, "giveaway": 0.45, "campaign": 0.8, "organic": 1.0}
SHOP = "https://shop.dianhuaji.example"
#: users carried in from the two years before (the brand dates from 2019): how many,
#: their first channel (index NCH = organic), the share who had bought, their orders
HISTORY_USERS = 7000
HISTORY_FIRST_CHANNEL_P = (0.45, 0.15, 0.15, 0.05, 0.0, 0.0, 0.2)
HISTORY_BUYER_P = 0.45
#: mean active days in the data year of a carried-in user, halving every HISTORY_HALF_LIFE days of age
HISTORY_ACTIVE_DAYS = 4.0
HISTORY_HALF_LIFE = 400.0
LANDING = {
    "flower_cake": "/item/rose-flower-cake",
    "mooncake": "/item/yunnan-ham-mooncake",
    "tea": "/item/rose-tea",
    "gift_box": "/item/flower-gift-box",
    "event": "/",
}


def _hours(rng: np.random.Generator, size: int) -> np.ndarray:
    """Seconds after midnight, following the users' hour-of-day pattern."""
    h = rng.choice(24, size=size, p=USER_HOURS)
    return h * 3600 + rng.integers(0, 3600, size=size)


def _funnel(rng, t, camp, from_share, kinds, c_start, c_end, t_end, c_ch):
    """Campaign funnel of one generation of visits: click → participate → share → follow.

    Returns participant rows (visit position, step code, time) and the share-link
    visits it causes (time, campaign).
    """
    ok = (camp >= 0)
    ok[ok] = (t[ok] >= c_start[camp[ok]]) & (t[ok] <= c_end[camp[ok]])
    pos = np.flatnonzero(ok)
    rows = [(pos, np.zeros(len(pos), int), t[pos])]  # click: the visit to the activity page
    k = kinds[camp[pos]]
    table = P_SIGNUP_SHARE if from_share else P_SIGNUP_POST
    p = np.array([table[KINDS[x]] * P_JOIN[KINDS[x]] for x in k])
    keep = rng.random(len(pos)) < p
    pos, k, t0 = pos[keep], k[keep], t[pos[keep]]
    cp = camp[pos]
    end = c_end[cp]
    delay = np.select(
        [k == 0, k == 1, k == 2],
        [rng.integers(10, 300, len(pos)), rng.exponential(2 * DAY, len(pos)).astype(np.int64) + 600,
         rng.integers(60, 12 * 3600, len(pos))],
        default=0,
    )
    live_t = (end // DAY) * DAY + 19 * 3600 + rng.integers(0, 9000, len(pos))
    t_join = np.where(k == 3, np.maximum(live_t, t0 + 60), t0 + rng.integers(5, 120, len(pos)) + delay)
    j = t_join <= end
    rows.append((pos[j], np.ones(j.sum(), int), t_join[j]))
    # Weibo 转发抽奖: reposting is how one enters, so every entrant shares
    repost_entry = (k == 0) & (c_ch[cp] == CH["weibo"])
    ps = np.where(repost_entry, 1.0, np.array([P_SHARE[KINDS[x]] for x in k]))
    s = j & (rng.random(len(pos)) < ps)
    t_share = np.where(repost_entry, t_join, t_join + rng.integers(30, 1800, len(pos)))
    s &= t_share <= end
    rows.append((pos[s], np.full(s.sum(), 2), t_share[s]))
    f = j & (rng.random(len(pos)) < np.array([P_FOLLOW[KINDS[x]] for x in k]))
    t_follow = t_join + rng.integers(5, 600, len(pos))
    f &= t_follow <= end
    rows.append((pos[f], np.full(f.sum(), 3), t_follow[f]))
    lam = np.array([SHARE_VISITS[KINDS[x]] for x in k[s]])
    nv = rng.poisson(lam)
    rt = np.repeat(t_share[s], nv) + rng.exponential(3 * 3600, nv.sum()).astype(np.int64) + 1
    rc = np.repeat(cp[s], nv)
    inside = rt <= t_end
    return rows, rt[inside], rc[inside]


def build_traffic(seed: int, cal: Calendar, posts: pd.DataFrame, extra: dict, campaigns: list[Campaign]):
    """Visits, users, participants, orders and events, consistent with each other."""
    rng = _rng(seed, cal.year, 4)
    n = cal.n
    t_end = n * DAY - 1
    kinds = np.array([KINDS.index(c.kind) for c in campaigns])
    c_start = np.array([cal.index(c.start) * DAY for c in campaigns])
    c_end = np.array([cal.index(c.end) * DAY + DAY - 1 for c in campaigns])
    c_ch = np.array([CH[c.channel] for c in campaigns])

    # ---- post-link visits ----------------------------------------------------
    lc = posts["link_clicks"].to_numpy()
    pidx = np.repeat(np.arange(len(posts)), lc)
    tp = extra["t_pub"][pidx]
    N = len(pidx)
    delay = np.where(rng.random(N) < 0.7, rng.exponential(3 * 3600, N), rng.exponential(30 * 3600, N)).astype(np.int64) + 1
    t = tp + delay
    over = t > t_end
    t[over] = tp[over] + (rng.random(over.sum()) * (t_end - tp[over])).astype(np.int64)
    # Douyin and Xiaohongshu clicks open their own shop: they become shop orders, not visits
    pch = extra["ch"][pidx]
    shop_ch = np.isin(pch, [CH["douyin"], CH["xiaohongshu"]])
    conv = np.array([SHOP_CONVERSION.get(c, 0.0) for c in CHANNELS])[pch]
    bought = shop_ch & (rng.random(N) < conv * cal.demand[np.minimum(t // DAY, n - 1)] / cal.demand.mean())
    shop = (pidx[bought], np.minimum(t[bought] + rng.integers(30, 900, bought.sum()), t_end), pch[bought])
    # other clicks load the landing page, losing some on the way (page-load loss)
    load = np.array([LOAD_RATE.get(c, 0.0) for c in CHANNELS])[pch]
    ok = ~shop_ch & (rng.random(N) < load)
    pidx, t = pidx[ok], t[ok]
    N = len(pidx)
    slot_t = [t]
    slot_src = [np.full(N, SRC_POST)]
    slot_ch = [extra["ch"][pidx]]
    slot_post = [pidx]
    slot_camp = [extra["camp"][pidx]]

    # ---- campaign funnels: post visits -> signups -> shares -> share visits ----
    parts = []  # (global slot position, step, time)
    offset = 0
    cur_t, cur_camp, from_share = t, extra["camp"][pidx], False
    for gen in range(3):
        rows, rt, rc = _funnel(rng, cur_t, cur_camp, from_share, kinds, c_start, c_end, t_end, c_ch)
        for pos, step, at in rows:
            parts.append((pos + offset, step, at))
        offset += len(cur_t)
        slot_t.append(rt)
        slot_src.append(np.full(len(rt), SRC_SHARE))
        slot_ch.append(c_ch[rc] if len(rc) else np.zeros(0, int))
        slot_post.append(np.full(len(rt), -1))
        slot_camp.append(rc)
        cur_t, cur_camp, from_share = rt, rc, True
        if gen == 2:
            break
    # the last generation's share visits are in the slots, with no further funnel

    # ---- organic first visits ---------------------------------------------------
    # a Douyin hit sends people to search the brand in WeChat over the next days
    halo = np.zeros(n)
    for i in np.flatnonzero(extra["hit"]):
        d0 = int(extra["t_pub"][i] // DAY)
        w = 0.5 ** np.arange(7)
        span_ = slice(d0, min(d0 + 7, n))
        halo[span_] += posts["reads"].iat[i] * DOUYIN_HALO_PER_PLAY * (w / w.sum())[: span_.stop - d0]
    per_day = rng.poisson(ORGANIC_NEW_PER_DAY * np.sqrt(cal.demand) + halo)
    od = np.repeat(np.arange(n), per_day)
    ot = od * DAY + _hours(rng, len(od))
    slot_t.append(ot)
    slot_src.append(np.full(len(ot), SRC_ORGANIC_NEW))
    slot_ch.append(np.full(len(ot), -1))
    slot_post.append(np.full(len(ot), -1))
    slot_camp.append(np.full(len(ot), -1))

    S_t = np.concatenate(slot_t)
    S_src = np.concatenate(slot_src)
    S_ch = np.concatenate(slot_ch).astype(int)
    S_post = np.concatenate(slot_post)
    S_camp = np.concatenate(slot_camp)
    NS = len(S_t)

    # ---- who is new ---------------------------------------------------------------
    p_new = np.where(S_ch >= 0, np.array([P_NEW[c] for c in CHANNELS] + [1.0])[S_ch], 1.0)
    p_new = np.where(S_camp >= 0, np.where(kinds[np.maximum(S_camp, 0)] == 0, 0.8, 0.7), p_new)
    p_new = np.where(S_src == SRC_SHARE, 0.8, p_new)
    p_new = np.where(S_src == SRC_ORGANIC_NEW, 1.0, p_new)
    is_new = rng.random(NS) < p_new
    first_new_t = S_t[is_new].min()
    is_new |= S_t <= first_new_t

    new_pos = np.flatnonzero(is_new)
    new_pos = new_pos[np.lexsort((new_pos, S_t[new_pos]))]
    U = len(new_pos)
    u_t = S_t[new_pos]
    u_fc = np.where(S_ch[new_pos] >= 0, S_ch[new_pos], NCH)
    u_camp = S_camp[new_pos]
    u_acq = np.where(S_src[new_pos] == SRC_ORGANIC_NEW, 3, 0)
    u_acq = np.where(u_camp >= 0, np.where(kinds[np.maximum(u_camp, 0)] == 0, 1, 2), u_acq)
    u_touch = np.where(u_acq == 3, 2, np.where(u_camp >= 0, 1, 0))  # content, campaign, organic
    slot_user = np.full(NS, -1)
    slot_user[new_pos] = np.arange(U)

    # ---- returning visits from posts and share links ----------------------------------
    mean_life = np.where(u_acq == 0, LIFE_CONTENT[u_fc], np.array([0, LIFE["giveaway"], LIFE["campaign"], LIFE["organic"]])[u_acq])
    q = np.array([ACTIVE_P[a] for a in ACQ])[u_acq]
    weight = mean_life * q + 0.3
    aff = np.ones((NCH, NCH + 1))
    for c in range(NCH):
        aff[c, c] = 3.0
    aff[CH["wechat"], CH["zhihu"]] = 2.5
    aff[CH["wechat"], CH["xiaohongshu"]] = 1.5
    ret = np.flatnonzero(~is_new)
    n_t = np.searchsorted(u_t, S_t[ret], side="left")
    for c in range(NCH):
        sel = ret[S_ch[ret] == c]
        if len(sel) == 0:
            continue
        cum = np.cumsum(weight * aff[c, u_fc])
        nt = n_t[S_ch[ret] == c]
        r = rng.random(len(sel)) * cum[nt - 1]
        slot_user[sel] = np.minimum(np.searchsorted(cum, r, side="right"), nt - 1)

    # ---- life: active days after the first visit ---------------------------------------
    life = rng.exponential(mean_life)
    first_day = u_t // DAY
    cap = np.minimum(np.floor(life), n - 1 - first_day).astype(np.int64)
    cap = np.maximum(cap, 0)
    n_act = rng.binomial(cap, q)
    au = np.repeat(np.arange(U), n_act)
    aoff = 1 + np.floor(rng.random(len(au)) * cap[au]).astype(np.int64)
    key = np.unique(au * 1000 + aoff)
    au, aoff = key // 1000, key % 1000
    aday = first_day[au] + aoff
    at = aday * DAY + _hours(rng, len(au))
    hist = _history_users(_rng(seed, cal.year, 13), cal, U)
    au = np.concatenate([au, hist["active_user"]])
    at = np.concatenate([at, hist["active_t"]])
    u_t = np.concatenate([u_t, hist["first_t"]])
    u_fc = np.concatenate([u_fc, hist["first_channel"]])
    u_acq = np.concatenate([u_acq, np.where(hist["first_channel"] == NCH, 3, 0)])
    u_touch = np.concatenate([u_touch, np.where(hist["first_channel"] == NCH, 2, 0)])
    UT = U + HISTORY_USERS
    visit_day = rng.random(len(au)) < P_VISIT_ON_ACTIVE_DAY
    app_user, app_t = au[~visit_day], at[~visit_day]

    V_t = np.concatenate([S_t, at[visit_day]])
    V_src = np.concatenate([S_src, np.full(visit_day.sum(), SRC_RETURN)])
    V_ch = np.concatenate([S_ch, np.full(visit_day.sum(), -1)])
    V_post = np.concatenate([S_post, np.full(visit_day.sum(), -1)])
    V_camp = np.concatenate([S_camp, np.full(visit_day.sum(), -1)])
    V_user = np.concatenate([slot_user, au[visit_day]])
    order = np.lexsort((np.arange(len(V_t)), V_t))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    V_t, V_src, V_ch, V_post, V_camp, V_user = (a[order] for a in (V_t, V_src, V_ch, V_post, V_camp, V_user))
    NV = len(V_t)
    first_visit = rank[new_pos]  # position of each user's first visit after sorting

    # ---- orders ------------------------------------------------------------------------
    orng = _rng(seed, cal.year, 6)
    vday = V_t // DAY
    is_first = np.zeros(NV, dtype=bool)
    is_first[first_visit] = True
    acq_o = np.array([ACQ_ORDER[a] for a in ACQ])[u_acq[V_user]]
    p_order = BASE_ORDER_P * INTENT[u_fc[V_user]] * cal.demand[vday] * SOURCE_ORDER[V_src] * acq_o * np.where(is_first, 0.8, 1.0)
    ordered = orng.random(NV) < np.clip(p_order, 0, 0.5)
    # loyalty: after a first purchase, a user's later visits convert REPEAT_MULT times as often
    first_buy = np.full(UT, np.iinfo(np.int64).max)
    first_buy[U:][hist["buyer"]] = -1  # bought before the year
    np.minimum.at(first_buy, V_user[ordered], V_t[ordered])
    again = (V_t > first_buy[V_user]) & ~ordered
    ordered |= again & (orng.random(NV) < np.clip(p_order * (REPEAT_MULT - 1), 0, 0.5))
    lam = 1.6 * np.sqrt(INTENT[u_fc[V_user]]) * np.where(V_ch == CH["douyin"], 0.6, 1.0)
    pages = 1 + orng.poisson(lam) + np.where(ordered, 3, 0)
    seconds = np.round(pages * 35 * _lognormal(orng, 0.5, NV) + 5 + np.where(ordered, 120, 0)).astype(np.int64)
    # a session ends before the same user's next session starts
    by_user = np.lexsort((V_t, V_user))
    nxt = np.full(NV, np.iinfo(np.int64).max // 2)
    same = V_user[by_user][1:] == V_user[by_user][:-1]
    nxt[by_user[:-1][same]] = V_t[by_user[1:][same]]
    seconds = np.minimum(seconds, np.maximum(nxt - V_t - 1, 0))
    o_t = V_t + np.minimum(np.maximum(10, np.floor(seconds * orng.uniform(0.5, 0.95, NV)).astype(np.int64)), seconds - 1)
    ordered &= (o_t <= t_end) & (seconds >= 3)
    theme = cal.theme[vday]
    basket = _basket(orng, theme)

    # ---- participants -------------------------------------------------------------------
    P_pos = np.concatenate([p[0] for p in parts]).astype(np.int64)
    P_step = np.concatenate([p[1] for p in parts]).astype(np.int64)
    P_t = np.concatenate([p[2] for p in parts]).astype(np.int64)
    P_user = slot_user[P_pos]
    P_camp = S_camp[P_pos]
    o = np.lexsort((P_t, P_step, P_user, P_camp))
    P_user, P_camp, P_step, P_t = P_user[o], P_camp[o], P_step[o], P_t[o]
    first = np.ones(len(o), dtype=bool)
    first[1:] = (P_user[1:] != P_user[:-1]) | (P_camp[1:] != P_camp[:-1]) | (P_step[1:] != P_step[:-1])
    P_user, P_camp, P_step, P_t = P_user[first], P_camp[first], P_step[first], P_t[first]
    o = np.lexsort((P_step, P_user, P_t))
    P_user, P_camp, P_step, P_t = P_user[o], P_camp[o], P_step[o], P_t[o]

    # ---- events ------------------------------------------------------------------------------
    erng = _rng(seed, cal.year, 7)
    ev_u, ev_t, ev_e = [V_user, app_user], [V_t, app_t], [np.zeros(NV, int), np.zeros(len(app_user), int)]
    view = pages >= 3
    ev_u.append(V_user[view])
    ev_t.append(np.minimum(V_t[view] + np.maximum(1, seconds[view] // 3), t_end))
    ev_e.append(np.full(view.sum(), 1))
    cart = ordered | ((pages >= 3) & (erng.random(NV) < 0.15))
    cart_t = np.where(ordered, np.maximum(V_t + 2, o_t - erng.integers(5, 60, NV)), V_t + np.maximum(2, (seconds * 0.7).astype(np.int64)))
    ev_u.append(V_user[cart])
    ev_t.append(np.minimum(cart_t[cart], t_end))
    ev_e.append(np.full(cart.sum(), 2))
    ev_u.append(V_user[ordered])
    ev_t.append(o_t[ordered])
    ev_e.append(np.full(ordered.sum(), 3))
    chk = erng.random(len(app_user)) < 0.25
    ev_u.append(app_user[chk])
    ev_t.append(np.minimum(app_t[chk] + 5, t_end))
    ev_e.append(np.full(chk.sum(), 4))
    # check-in campaigns: daily check-ins after joining, until the user stops or the campaign ends
    cj = (P_step == 1) & (kinds[P_camp] == 2)
    for u_, c_, t0 in zip(P_user[cj], P_camp[cj], P_t[cj]):
        ev_u.append(np.array([u_]))
        ev_t.append(np.array([t0]))
        ev_e.append(np.array([4]))
        last = c_end[c_] // DAY
        k = int(min(erng.geometric(0.12), last - t0 // DAY))
        if k <= 0:
            continue
        days_ = t0 // DAY + np.arange(1, k + 1)
        days_ = days_[erng.random(k) < 0.8]
        ev_u.append(np.full(len(days_), u_))
        ev_t.append(days_ * DAY + _hours(erng, len(days_)))
        ev_e.append(np.full(len(days_), 4))
    sh = P_step == 2
    ev_u.append(P_user[sh])
    ev_t.append(P_t[sh])
    ev_e.append(np.full(sh.sum(), 5))
    E_u = np.concatenate(ev_u).astype(np.int64)
    E_t = np.concatenate(ev_t).astype(np.int64)
    E_e = np.concatenate(ev_e).astype(np.int64)
    o = np.lexsort((E_e, E_u, E_t))
    E_u, E_t, E_e = E_u[o], E_t[o], E_e[o]
    keep = np.ones(len(o), dtype=bool)
    keep[1:] = (E_u[1:] != E_u[:-1]) | (E_t[1:] != E_t[:-1]) | (E_e[1:] != E_e[:-1])
    E_u, E_t, E_e = E_u[keep], E_t[keep], E_e[keep]

    # ---- frames -----------------------------------------------------------------------------------
    t0 = cal.days[0]
    ts = lambda a: t0 + pd.to_timedelta(a, unit="s")  # noqa: E731
    # carried-in users come first (ids in order of first visit), then the year's new users
    uid = np.array([f"U{HISTORY_USERS + i + 1:06d}" for i in range(U)] + [f"U{j + 1:06d}" for j in range(HISTORY_USERS)], dtype=object)
    vid = np.array([f"V{i + 1:06d}" for i in range(NV)], dtype=object)
    post_ids = posts["post_id"].to_numpy()
    post_boost = posts["boosted"].to_numpy()
    post_type = posts["content_type"].to_numpy()
    camp_ids = np.array([f"C{i + 1:02d}" for i in range(len(campaigns))], dtype=object)
    src_ch = np.array(list(CHANNELS) + [None], dtype=object)
    utm_source = src_ch[np.where(V_ch >= 0, V_ch, NCH)]
    medium = np.full(NV, None, dtype=object)
    isp = V_src == SRC_POST
    pp = V_post[isp]
    medium[isp] = np.where(V_camp[isp] >= 0, "event", np.where(post_type[pp] == "collab", "kol", np.where(post_boost[pp], "paid_social", "social")))
    medium[V_src == SRC_SHARE] = "share"
    ucamp = np.full(NV, None, dtype=object)
    has_c = V_camp >= 0
    ucamp[has_c] = camp_ids[V_camp[has_c]]
    no_c = isp & ~has_c
    ucamp[no_c] = cal.theme[(extra["t_pub"][V_post[no_c]]) // DAY]
    ucontent = np.full(NV, None, dtype=object)
    ucontent[isp] = post_ids[pp]
    topic = extra["topic"]
    land = np.full(NV, "/", dtype=object)
    ptopic = topic[pp]
    pth = cal.theme[extra["t_pub"][pp] // DAY]
    land_p = np.where(np.isin(ptopic, ["goods", "festival"]),
                      np.where(pth == "mid_autumn", LANDING["mooncake"],
                               np.where(np.isin(pth, ["valentine", "qixi", "love520", "spring_festival"]), LANDING["gift_box"], LANDING["flower_cake"])),
                      np.where(ptopic == "tea", LANDING["tea"], "/"))
    land[isp] = land_p
    ev_path = np.array([f"/event/{c}" for c in camp_ids] + ["/"], dtype=object)
    land[has_c] = ev_path[V_camp[has_c]]
    org = V_src >= SRC_ORGANIC_NEW
    land[org] = np.array(["/", "/", LANDING["flower_cake"], LANDING["tea"], "/orders"], dtype=object)[erng.integers(0, 5, org.sum())]
    urls = []
    for i in range(NV):
        if utm_source[i] is None:
            urls.append(SHOP + land[i])
        else:
            q_ = f"utm_source={utm_source[i]}&utm_medium={medium[i]}&utm_campaign={ucamp[i]}"
            if ucontent[i] is not None:
                q_ += f"&utm_content={ucontent[i]}"
            urls.append(f"{SHOP}{land[i]}?{q_}")
    ttype = np.array(["post", "campaign", "organic", "organic"], dtype=object)[V_src]

    visits = pd.DataFrame({
        "visit_id": vid, "user_id": uid[V_user], "visited_at": ts(V_t), "traffic_type": ttype, "url": urls,
        "utm_source": utm_source, "utm_medium": medium, "utm_campaign": ucamp, "utm_content": ucontent,
        "pages": pages.astype(np.int64), "seconds": seconds,
    })

    # demographics
    drng = _rng(seed, cal.year, 5)
    kun = drng.random(UT) < KUNMING_SHARE[u_fc]
    other_city = drng.choice(len(CITIES) - 1, size=UT, p=CITY_OTHER_P / CITY_OTHER_P.sum()) + 1
    city = np.array(CITIES, dtype=object)[np.where(kun, 0, other_city)]
    gender = np.where(drng.random(UT) < FEMALE_SHARE[u_fc], "female", "male").astype(object)
    gender[drng.random(UT) < 0.08] = None
    cum_age = AGE_P.cumsum(axis=1)[u_fc]
    age_i = np.minimum((drng.random(UT)[:, None] > cum_age).sum(axis=1), 3)
    age = np.array(AGE_BANDS, dtype=object)[age_i]
    age[drng.random(UT) < 0.1] = None
    users = pd.DataFrame({
        "user_id": uid, "first_seen": ts(u_t), "first_visit_id": np.concatenate([vid[first_visit], np.full(HISTORY_USERS, None, dtype=object)]),
        "first_channel": src_ch[u_fc], "first_touch": np.array(["content", "campaign", "organic"], dtype=object)[u_touch],
        "city": city, "gender": gender, "age_band": age,
    })
    users = users.sort_values("user_id", kind="stable").reset_index(drop=True)

    oi = np.flatnonzero(ordered)
    s_post, s_t, s_ch = shop
    store = np.where(s_ch == CH["douyin"], "douyin_shop", "xiaohongshu_shop").astype(object)
    h_user, h_t, h_basket, h_festive = hist["orders"]
    nh = len(h_t)
    s_basket = _basket(orng, cal.theme[s_t // DAY])
    bk = {key: np.concatenate([basket[key][oi], h_basket[key], s_basket[key]]) for key in basket}
    festive = np.concatenate([cal.festive[o_t[oi] // DAY], h_festive, cal.festive[s_t // DAY]])
    money = _money(orng, bk["gross"], festive)
    sku_ids = np.array([s_[0] for s_ in SKUS], dtype=object)
    orders = pd.DataFrame({
        "order_id": "",
        "store": np.concatenate([np.full(len(oi) + nh, "mini_program", dtype=object), store]),
        "user_id": np.concatenate([uid[V_user[oi]], uid[U + h_user], np.full(len(s_t), None, dtype=object)]),
        "visit_id": np.concatenate([vid[oi], np.full(nh + len(s_t), None, dtype=object)]),
        "post_id": np.concatenate([np.full(len(oi) + nh, None, dtype=object), posts["post_id"].to_numpy()[s_post]]),
        "ordered_at": ts(np.concatenate([o_t[oi], h_t, s_t])),
        "product_id": sku_ids[bk["sku"]],
        "gross_amount": bk["gross"],
        "coupon": money["coupon"],
        "discount": money["discount"],
        "amount": money["amount"],
        "refund": money["refund"],
        "_sku2": np.where(bk["extra"], bk["sku2"], -1),
        "_qty": bk["qty"],
    })
    orders = orders.sort_values(["ordered_at", "store", "visit_id"], kind="stable").reset_index(drop=True)
    orders["order_id"] = [f"O{i + 1:06d}" for i in range(len(orders))]
    two = orders["_sku2"].to_numpy() >= 0
    lines = pd.DataFrame({
        "order_id": np.concatenate([orders["order_id"].to_numpy(), orders["order_id"].to_numpy()[two]]),
        "product_id": np.concatenate([orders["product_id"].to_numpy(), sku_ids[orders["_sku2"].to_numpy()[two]]]),
        "quantity": np.concatenate([orders["_qty"].to_numpy(), np.ones(two.sum(), dtype=np.int64)]),
    })
    lines["unit_price"] = SKU_PRICE[pd.Index(sku_ids).get_indexer(lines["product_id"])]
    lines = lines.sort_values("order_id", kind="stable").reset_index(drop=True)
    orders = orders.drop(columns=["_sku2", "_qty"])

    participants = pd.DataFrame({
        "campaign_id": camp_ids[P_camp], "user_id": uid[P_user],
        "step": np.array(["click", "participate", "share", "follow"], dtype=object)[P_step], "event_time": ts(P_t),
    })
    events = pd.DataFrame({
        "user_id": uid[E_u], "event_time": ts(E_t),
        "event": np.array(["open", "view_item", "add_to_cart", "purchase", "checkin", "share"], dtype=object)[E_e],
    })
    perm = np.r_[np.arange(U, UT), np.arange(U)]  # internal index of each row of the users table
    hidden = {"u_acq": u_acq[perm], "u_fc": u_fc[perm]}
    return visits, users, participants, orders, lines, events, hidden


def _basket(rng: np.random.Generator, theme: np.ndarray) -> dict[str, np.ndarray]:
    """What an order placed on a day of ``theme`` holds: main SKU and quantity, maybe a second SKU."""
    k = len(theme)
    pr = np.full((k, 4), [0.5, 0.0, 0.3, 0.2])
    pr[theme == "mid_autumn"] = [0.15, 0.7, 0.05, 0.1]
    pr[np.isin(theme, ["valentine", "qixi", "love520"])] = [0.35, 0.0, 0.15, 0.5]
    pr[theme == "spring_festival"] = [0.35, 0.0, 0.2, 0.45]
    pr[theme == "rose_season"] = [0.6, 0.0, 0.25, 0.15]
    pr[theme == "double11"] = [0.4, 0.0, 0.25, 0.35]
    cum = pr.cumsum(axis=1)
    prod = np.minimum((rng.random(k)[:, None] > cum).sum(axis=1), 3)
    sku = prod * 4 + rng.integers(0, 4, k)
    qty = rng.choice([1, 2, 3], size=k, p=[0.6, 0.28, 0.12])
    # a second line now and then: a small bag of flower cakes or a tea (one unit)
    sku2 = np.where(rng.random(k) < 0.5, 0, 8) + rng.integers(0, 2, k)
    extra = (rng.random(k) < 0.25) & (sku2 // 4 != prod)
    gross = np.round(SKU_PRICE[sku] * qty + np.where(extra, SKU_PRICE[sku2], 0.0), 2)
    return {"sku": sku, "qty": qty, "sku2": sku2, "extra": extra, "gross": gross}


def _money(rng: np.random.Generator, gross: np.ndarray, festive: np.ndarray) -> dict[str, np.ndarray]:
    """Coupon (满减), discount, amount paid and refund of each order."""
    k = len(gross)
    uses = rng.random(k) < np.where(festive, COUPON_P["festive"], COUPON_P["other"])
    coupon = np.full(k, None, dtype=object)
    discount = np.zeros(k)
    for threshold, off, name in reversed(COUPONS):  # the larger coupon wins where both apply
        ok = uses & (gross >= threshold)
        coupon[ok] = name
        discount[ok] = off
    amount = np.round(gross - discount, 2)
    refund = np.where(rng.random(k) < REFUND_P, amount, 0.0)
    return {"coupon": coupon, "discount": discount, "amount": amount, "refund": refund}


def build_products() -> pd.DataFrame:
    """The products table (商品): SKU, category, name, price, unit cost, shipping per unit."""
    return pd.DataFrame(SKUS, columns=TABLES["products"].column_names)


#: collaboration partners: type and what each delivers per collab post
PARTNERS = {
    "昆明吃货小分队": ("kol", "1 篇探店图文/视频 + 评论区置顶"),
    "云南旅行家阿木": ("kol", "1 条旅行 vlog + 2 张图文"),
    "花花的厨房": ("kol", "1 条做饭视频 + 1 次直播口播"),
    "滇味研究所": ("media", "1 篇专题稿 + 账号转发"),
    "茶博士老周": ("kol", "1 篇花茶测评 + 1 次问答"),
    "大理小鹿": ("kol", "1 条种草视频 + 主页置顶 7 天"),
}


def build_collabs(posts: pd.DataFrame, visits: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """The collaborations table (合作): one row per collab post with its cost, deliverables and results."""
    c = posts[posts["content_type"] == "collab"].copy()
    c["partner"] = c["title"].str.extract(r"和@(.+?)一起", expand=False)
    tagged = visits["utm_content"].value_counts()
    mini = orders.merge(visits[["visit_id", "utm_content"]], on="visit_id")
    sold = pd.concat([mini["utm_content"], orders["post_id"]]).dropna()
    amounts = pd.concat([mini.set_index("utm_content")["amount"], orders.dropna(subset=["post_id"]).set_index("post_id")["amount"]])
    return pd.DataFrame({
        "collab_id": [f"K{i + 1:03d}" for i in range(len(c))],
        "partner": c["partner"].to_numpy(),
        "partner_type": [PARTNERS[x][0] for x in c["partner"]],
        "channel": c["channel"].to_numpy(),
        "post_id": c["post_id"].to_numpy(),
        "published_at": c["published_at"].to_numpy(),
        "fee": c["cost"].to_numpy(),
        "deliverables": [PARTNERS[x][1] for x in c["partner"]],
        "reads": c["reads"].to_numpy(),
        "follows_gained": c["follows_gained"].to_numpy(),
        "link_clicks": c["link_clicks"].to_numpy(),
        "visits": c["post_id"].map(tagged).fillna(0).astype("int64").to_numpy(),
        "orders": c["post_id"].map(sold.value_counts()).fillna(0).astype("int64").to_numpy(),
        "revenue": c["post_id"].map(amounts.groupby(level=0).sum()).fillna(0.0).round(2).to_numpy(),
    })


def staff_channels_from_posts(staff: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    """Set ``channels`` to the channels each person actually posted on (in channel order)."""
    out = staff.copy()
    done = posts.groupby("author")["channel"].agg(set)
    out["channels"] = [
        ",".join(c for c in CHANNELS if c in done.get(a, set())) or chans
        for a, chans in zip(out["author"], out["channels"])
    ]
    return out


def _history_users(rng: np.random.Generator, cal: Calendar, offset: int) -> dict:
    """Users carried in from the two years before: first visit, past orders, activity in the year.

    Internal user indices are ``offset .. offset + HISTORY_USERS - 1``; the
    first visits happen before 1 January (negative seconds), in order of index.
    """
    years = [y for y in (cal.year - 2, cal.year - 1) if y >= MIN_YEAR]
    past = [build_calendar(y) for y in years]
    demand = np.concatenate([c.demand for c in past])
    theme = np.concatenate([c.theme for c in past])
    nd = len(demand)
    growth = np.linspace(0.5, 1.5, nd)  # the brand was growing
    w = growth * np.sqrt(demand)
    day = np.sort(rng.choice(nd, size=HISTORY_USERS, p=w / w.sum()))
    first_t = np.sort((day - nd) * DAY + _hours(rng, HISTORY_USERS))  # ids in order of first visit
    first_channel = rng.choice(NCH + 1, size=HISTORY_USERS, p=HISTORY_FIRST_CHANNEL_P)
    buyer = rng.random(HISTORY_USERS) < HISTORY_BUYER_P
    # past orders: the first on a day after the first visit, more for older customers
    o_user, o_day = [], []
    for j in np.flatnonzero(buyer):
        k = 1 + rng.poisson(0.5 * (nd - day[j]) / 365)
        span = np.arange(day[j], nd)
        dd = np.sort(rng.choice(span, size=min(k, len(span)), replace=False, p=demand[span] / demand[span].sum()))
        o_user += [j] * len(dd)
        o_day += list(dd)
    o_user, o_day = np.array(o_user, dtype=np.int64), np.array(o_day, dtype=np.int64)
    o_t = (o_day - nd) * DAY + _hours(rng, len(o_day))
    o_t = np.maximum(o_t, first_t[o_user] + 60)
    o_t = np.minimum(o_t, -1)
    basket = _basket(rng, theme[o_day])
    festive = np.concatenate([c.festive for c in past])[o_day]
    # activity in the data year: fading with age, drawn to the festivals
    age = nd - day
    lam = HISTORY_ACTIVE_DAYS * 0.5 ** (age / HISTORY_HALF_LIFE) * np.where(buyer, 1.5, 0.7)
    k = rng.poisson(lam)
    au = np.repeat(np.arange(HISTORY_USERS), k)
    pday = cal.demand ** 1.5
    aday = rng.choice(cal.n, size=len(au), p=pday / pday.sum())
    key = np.unique(au * 1000 + aday)
    au, aday = key // 1000, key % 1000
    return {
        "first_t": first_t, "first_channel": first_channel, "buyer": buyer,
        "orders": (o_user, o_t, basket, festive),
        "active_user": au + offset, "active_t": aday * DAY + _hours(rng, len(au)),
    }


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


# =========================================================================== survey
LIKERT = ("pref_article", "pref_short_video", "pref_comic", "pref_live", "pref_giveaway",
          "need_discount", "need_gift_ideas", "need_tea_knowledge", "need_local_culture")
PHRASES = {
    "pref_article": ("喜欢看长一点的文章，讲清楚来龙去脉", "希望多写深度一点的图文", "文章写得很用心，周末会认真看",
                     "可以多写写做鲜花饼的工序和原料来源"),
    "pref_short_video": ("多拍点短视频吧，刷起来方便", "想看做鲜花饼的过程视频", "视频比文字直观",
                         "短视频里的花田太好看了，多拍点"),
    "pref_comic": ("漫画很可爱，希望多出几期", "喜欢你们的漫画，经常转给朋友", "漫画里的小花猫太有梗了"),
    "pref_live": ("直播的时候可以多讲讲产品", "希望直播时间固定一点", "直播间福利可以再多一点"),
    "pref_giveaway": ("多搞点抽奖活动", "希望有更多抽奖和福袋", "抽奖中过一次，很开心"),
    "need_discount": ("希望多发优惠券", "价格再便宜一点就好了", "有折扣的时候提醒一下", "满减门槛太高了",
                      "老顾客能不能有专属优惠"),
    "need_gift_ideas": ("过节送礼不知道选哪个，希望有推荐", "想要礼盒搭配建议", "希望有适合送长辈的礼盒清单",
                        "公司团购送客户，想要能开发票的礼盒"),
    "need_tea_knowledge": ("想学花茶怎么泡", "多讲讲玫瑰花茶和滇红的搭配", "希望有冲泡花茶的小教程",
                           "想知道花茶怎么保存才不受潮"),
    "need_local_culture": ("想看更多云南的风土人情", "多介绍昆明好玩的地方", "喜欢斗南花市和云南吃花的故事",
                           "外地人，想通过你们了解昆明"),
}
#: what buyers add about the products and the service
BUYER_PHRASES = (
    "鲜花饼很新鲜，花瓣很多", "鲜花饼有点甜，希望出个少糖款", "冷链快递很快，到手还是软的", "包装很好看，送人有面子",
    "月饼油有点大", "云腿月饼咸甜刚好，家里老人很喜欢", "希望有小包装，一个人吃不完", "快递盒压坏了一次，客服处理得很快",
    "玫瑰花茶泡出来很香", "价格偏贵，但品质对得起", "退款流程有点慢", "回购好几次了",
)


def build_survey(seed: int, cal: Calendar, users: pd.DataFrame, orders: pd.DataFrame, hidden: dict) -> pd.DataFrame:
    """A user-research questionnaire fielded in June, linked to users where possible."""
    rng = _rng(seed, cal.year, 8)
    start = pd.Timestamp(cal.year, 6, 1)
    t_span = 20 * DAY
    eligible = np.flatnonzero((users["first_seen"] < start).to_numpy())
    acq = hidden["u_acq"]
    w = np.where(acq[eligible] == 1, 0.5, 1.0)
    n_linked = min(720, len(eligible))
    pick = np.sort(rng.choice(eligible, size=n_linked, replace=False, p=w / w.sum()))
    n_anon = 80
    sub = start + pd.to_timedelta(rng.integers(0, t_span, n_linked + n_anon), unit="s")
    fc = hidden["u_fc"]
    u = users.iloc[pick]
    gender = list(u["gender"]) + list(rng.choice(["female", "male"], n_anon, p=[0.62, 0.38]))
    age = list(u["age_band"]) + list(rng.choice(AGE_BANDS, n_anon, p=[0.2, 0.4, 0.25, 0.15]))
    city = list(u["city"]) + list(rng.choice(CITIES, n_anon))
    chan = list(fc[pick]) + list(rng.integers(0, NCH + 1, n_anon))
    giveaway = list(acq[pick] == 1) + [False] * n_anon
    # purchases before submitting
    od = orders[orders["ordered_at"] < start + pd.Timedelta(seconds=t_span)]
    counts = od.groupby("user_id")["ordered_at"].apply(list).to_dict()
    n_orders = [sum(1 for x in counts.get(uid_, []) if x < ts_) for uid_, ts_ in zip(u["user_id"], sub[:n_linked])]
    n_orders += list(rng.choice([0, 1, 2, 4], n_anon, p=[0.5, 0.25, 0.17, 0.08]))
    N = n_linked + n_anon
    age_i = np.array([AGE_BANDS.index(a) if isinstance(a, str) else 1 for a in age])
    chan = np.array(chan)
    giveaway = np.array(giveaway)
    n_orders = np.array(n_orders)
    non_km = np.array([c != "昆明" for c in city])
    mean = {
        "pref_article": 3.0 + np.array([-0.5, 0.0, 0.4, 0.8])[age_i] + 0.6 * (chan == CH["zhihu"]) + 0.3 * (chan == CH["wechat"]),
        "pref_short_video": 3.2 + np.array([0.9, 0.4, -0.3, -0.9])[age_i] + 0.6 * (chan == CH["douyin"]),
        "pref_comic": 3.1 + np.array([0.7, 0.3, -0.2, -0.5])[age_i] + 0.3 * (chan == CH["weibo"]),
        "pref_live": 2.6 + 0.7 * (chan == CH["douyin"]) + np.array([0.2, 0.1, 0.0, -0.2])[age_i],
        "pref_giveaway": 3.0 + 1.1 * giveaway,
        "need_discount": 3.3 + 0.8 * giveaway + 0.3 * (chan == CH["douyin"]),
        "need_gift_ideas": 3.2 + np.array([0.0, 0.4, 0.3, 0.0])[age_i],
        "need_tea_knowledge": 3.6 + 0.6 * (chan == CH["zhihu"]) + np.array([-0.2, 0.0, 0.3, 0.3])[age_i],
        "need_local_culture": 3.5 + 0.5 * non_km,
    }
    data: dict[str, object] = {}
    for item in LIKERT:
        v = np.clip(np.round(mean[item] + rng.normal(0, 0.9, N)), 1, 5).astype(np.int64)
        data[item] = pd.Series(v, dtype="Int64").mask(rng.random(N) < 0.03)
    rec = np.clip(np.round(7.0 + 1.0 * (n_orders > 0) - 1.2 * giveaway + rng.normal(0, 1.6, N)), 0, 10).astype(np.int64)
    answers = []
    for r in range(N):
        if rng.random() < 0.15:
            answers.append(None)
            continue
        scores = np.array([float(data[it].iat[r]) if not pd.isna(data[it].iat[r]) else 0.0 for it in LIKERT])
        scores = scores + rng.random(len(LIKERT)) * 0.5
        top = np.argsort(-scores)[: rng.integers(1, 3)]
        parts_ = [PHRASES[LIKERT[j]][rng.integers(len(PHRASES[LIKERT[j]]))] for j in top]
        if n_orders[r] > 0 and rng.random() < 0.7:
            parts_.insert(int(rng.integers(0, len(parts_) + 1)), BUYER_PHRASES[rng.integers(len(BUYER_PHRASES))])
        answers.append("，".join(parts_) + rng.choice(["。", "！", "", "～"]))
    occ = []
    for a in age_i:
        p = [[0.55, 0.3, 0.1, 0.0, 0.05], [0.05, 0.7, 0.18, 0.0, 0.07], [0.0, 0.72, 0.18, 0.02, 0.08], [0.0, 0.45, 0.15, 0.3, 0.1]][a]
        occ.append(("student", "office", "freelance", "retired", "other")[rng.choice(5, p=p)])
    found = np.array(list(CHANNELS) + ["friend"], dtype=object)[np.minimum(chan, NCH)]
    found[(chan == NCH) & (rng.random(N) < 0.3)] = "other"
    freq = np.array(["never", "once", "few", "few", "many"], dtype=object)[np.minimum(n_orders, 4)]
    order = np.argsort(sub.to_numpy(), kind="stable")
    df = pd.DataFrame({
        "respondent_id": "",
        "user_id": list(u["user_id"]) + [None] * n_anon,
        "submitted_at": sub,
        "gender": gender, "age_band": age, "city": city, "occupation": occ,
        "found_via": found, "purchase_freq": freq,
        **data,
        "recommend": pd.Series(rec, dtype="Int64"),
        "open_answer": answers,
    })
    df = df.iloc[order].reset_index(drop=True)
    df["respondent_id"] = [f"R{i + 1:04d}" for i in range(N)]
    return df[TABLES["survey"].column_names]
