"""Parameters of the simulated year (模拟参数): every knob that sets a platform magnitude or plants an effect.

The planted effects are described for instructors in ``docs/instructor-data.md``;
their strength is re-measured by ``python -m nmops.datasets.effects``. Also the
random helpers shared by the domain modules: each stage draws from its own
stream (``np.random.default_rng([seed, year, stream])``), so changing one stage
does not reshuffle the others. Times are integer seconds since 1 January 00:00
of the year, turned into timezone-naive Beijing times at the end.
"""

from __future__ import annotations

from datetime import date
from dataclasses import dataclass

import numpy as np

from nmops.datasets.dictionary import CHANNELS, STAFF_NAMES

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
#: extra organic (search / direct) first visits to the mini-program per Douyin play above
#: DOUYIN_HALO_FROM plays (a video that breaks out of the usual reach), over the next week
DOUYIN_HALO_FROM = 10_000
DOUYIN_HALO_PER_PLAY = 0.003
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


def _hours(rng: np.random.Generator, size: int) -> np.ndarray:
    """Seconds after midnight, following the users' hour-of-day pattern."""
    h = rng.choice(24, size=size, p=USER_HOURS)
    return h * 3600 + rng.integers(0, 3600, size=size)
