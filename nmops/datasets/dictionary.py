"""Data dictionary of the sample channel data (示例数据字典).

One source of truth for every table's columns: their order, their type, their
Chinese and English names and descriptions, and the code lists of every
categorical column with its Chinese label. The loaders in
:mod:`nmops.datasets` type their frames from it, the generator writes columns
in its order, and ``docs/data-dictionary.md`` is rendered from it by
:func:`data_dictionary_markdown`.

The company is fictional: 滇花记 (Dianhuaji), a Kunming brand that sells
flower cakes (鲜花饼), Yunnan ham mooncakes (云腿月饼), flower tea (花茶) and
gift boxes through a WeChat mini-program store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "BRAND",
    "CHANNELS",
    "CHANNEL_LABELS_ZH",
    "CATEGORIES",
    "ORDERED_CATEGORIES",
    "STAFF_NAMES",
    "Column",
    "Table",
    "TABLES",
    "EXPORTS",
    "ExportFile",
    "data_dictionary_markdown",
]

BRAND = "滇花记"

#: Channel codes (渠道代码), in the order used everywhere.
CHANNELS: tuple[str, ...] = ("wechat", "weibo", "zhihu", "toutiao", "douyin", "xiaohongshu")

CHANNEL_LABELS_ZH: dict[str, str] = {
    "wechat": "微信公众号",
    "weibo": "微博",
    "zhihu": "知乎",
    "toutiao": "今日头条",
    "douyin": "抖音",
    "xiaohongshu": "小红书",
}

#: The operations team, in the order of the ``author`` categories.
STAFF_NAMES: tuple[str, ...] = ("周岚", "李想", "杨帆", "段晓雯", "赵一鸣", "和小雨", "普梅")

#: Every coded categorical column: code -> Chinese label (in category order).
CATEGORIES: dict[str, dict[str, str]] = {
    "channel": CHANNEL_LABELS_ZH,
    "level": {"novice": "小白", "junior": "初级", "intermediate": "中级", "senior": "高级"},
    "content_type": {
        "article": "图文",
        "short_video": "短视频",
        "comic": "漫画",
        "event": "活动",
        "collab": "合作",
        "qa": "问答",
    },
    "topic": {
        "goods": "产品种草",
        "tea": "花茶知识",
        "local": "云南风物",
        "festival": "节日",
        "brand": "品牌故事",
    },
    "campaign_kind": {"giveaway": "抽奖", "contest": "征集", "checkin": "打卡", "live": "直播"},
    "step": {"click": "点击", "participate": "参与", "share": "分享", "follow": "关注"},
    "store": {"mini_program": "微信小程序商城", "douyin_shop": "抖店", "xiaohongshu_shop": "小红书店铺"},
    "follow_event": {"follow": "关注", "unfollow": "取消关注"},
    "follow_source": {
        "post": "内容",
        "campaign": "活动",
        "collab": "合作",
        "search": "搜索",
        "recommend": "推荐",
        "other": "其他（名片分享等）",
    },
    "traffic_type": {"post": "内容链接", "campaign": "活动分享", "organic": "自然流量"},
    "first_touch": {"content": "内容", "campaign": "活动", "organic": "自然流量"},
    "gender": {"female": "女", "male": "男"},
    "age_band": {"18-24": "18-24岁", "25-34": "25-34岁", "35-44": "35-44岁", "45+": "45岁及以上"},
    "product_category": {
        "flower_cake": "鲜花饼",
        "mooncake": "云腿月饼",
        "tea": "花茶",
        "gift_box": "礼盒",
    },
    "coupon": {"满99减10": "满99减10", "满199减20": "满199减20"},
    "event": {
        "open": "打开小程序",
        "view_item": "浏览商品",
        "add_to_cart": "加入购物车",
        "purchase": "下单",
        "checkin": "签到",
        "share": "分享",
    },
    "variant": {"A": "A", "B": "B"},
    "partner_type": {"kol": "KOL 达人", "media": "本地媒体号"},
    "experiment_kind": {"conversion": "转化实验", "peeking": "多次查看的实验", "holdout": "留空对照（增量）"},
    "arm": {"A": "A", "B": "B", "holdout": "对照组（不投放）", "treatment": "投放组"},
    "spend_kind": {"ads": "广告投放", "kol": "KOL合作", "campaign": "活动经费", "staff": "人力"},
    "occupation": {
        "student": "学生",
        "office": "上班族",
        "freelance": "自由职业",
        "retired": "退休",
        "other": "其他",
    },
    "found_via": {**CHANNEL_LABELS_ZH, "friend": "朋友推荐", "other": "其他"},
    "purchase_freq": {"never": "从未购买", "once": "1次", "few": "2-3次", "many": "4次及以上"},
    "author": {name: name for name in STAFF_NAMES},
}

#: Categoricals whose order means something (ordered=True).
ORDERED_CATEGORIES: frozenset[str] = frozenset({"level", "age_band", "purchase_freq", "step"})


@dataclass(frozen=True)
class Column:
    """One column of a table: name, kind, Chinese name and descriptions.

    ``kind`` is one of ``id`` (text key), ``str`` (free text), ``datetime``
    (local time, Asia/Shanghai, timezone-naive), ``date`` (a day, stored as
    datetime64 at midnight), ``int`` (int64, never missing), ``Int64``
    (nullable integer), ``float``, ``bool``, ``category:<code list>`` (a
    code list of :data:`CATEGORIES`) or ``category`` (free categories).
    """

    name: str
    kind: str
    zh: str
    desc_zh: str
    desc_en: str


@dataclass(frozen=True)
class Table:
    """One table: file name, Chinese name, what one row is, and its columns."""

    name: str
    zh: str
    row_zh: str
    row_en: str
    columns: tuple[Column, ...]
    notes_zh: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        """The column names in file order."""
        return [c.name for c in self.columns]


C = Column

TABLES: dict[str, Table] = {
    "staff": Table(
        "staff",
        "运营团队",
        "一行是一位运营人员",
        "one row per member of the operations team",
        (
            C("author", "category:author", "作者", "运营人员姓名，与 posts.author 对应", "staff member's name, as in posts.author"),
            C("level", "category:level", "级别", "小白 / 初级 / 中级 / 高级（有序）", "novice < junior < intermediate < senior (ordered)"),
            C("joined", "date", "入职日期", "入职那一天；年中入职的人当年工作量自然少", "first working day; people who joined mid-year have less output"),
            C("monthly_cost", "int", "月人力成本", "每月人力成本（元，含社保），按在职天数折算进 spend 表的 staff", "monthly cost in yuan incl. social insurance; prorated into spend (kind staff)"),
            C("channels", "str", "负责渠道", "负责的渠道代码，逗号分隔；lang='zh' 时显示中文，顿号分隔", "channel codes the person posts on, comma-separated (Chinese with lang='zh')"),
        ),
    ),
    "posts": Table(
        "posts",
        "内容发布",
        "一行是一篇在某个渠道发布的内容",
        "one row per piece of content published on one channel",
        (
            C("post_id", "id", "内容编号", "P 开头，按发布时间编号；visits.utm_content 用它", "P-prefixed id in publication order; used as visits.utm_content"),
            C("channel", "category:channel", "渠道", "发布渠道", "channel the post was published on"),
            C("author", "category:author", "作者", "负责这篇内容的运营人员（合作内容是对接人）", "staff member responsible (for collab posts: the contact person)"),
            C("content_type", "category:content_type", "内容形式", "图文 / 短视频 / 漫画 / 活动 / 合作 / 问答", "article, short video, comic, event, collab (KOL), Q&A"),
            C("topic", "category:topic", "选题", "产品种草 / 花茶知识 / 云南风物 / 节日 / 品牌故事", "subject: product, tea know-how, Yunnan culture, festival, brand story"),
            C("campaign_id", "id", "活动编号", "活动内容对应的 campaigns.campaign_id；非活动内容为空", "campaign of an event post; empty otherwise"),
            C("title", "str", "标题", "标题（中文）；抖音为视频文案；转载/转发的标题带“【转载】”或“//转发”", "title in Chinese (Douyin: the caption); reposts are marked"),
            C("original", "bool", "是否原创", "原创为 True；微信次条的转载文章、微博转发为 False", "True for original content; False for WeChat reprints (转载) and Weibo reposts (转发)"),
            C("published_at", "datetime", "发布时间", "发布时间（北京时间，无时区）；微信同一次群发的几篇时间相同", "publication time (Beijing time, timezone-naive); the articles of one WeChat push share it"),
            C("position", "Int64", "图文位置", "仅微信：在当天群发中的位置，1 = 头条，2 = 次条……；订阅号每天最多群发一次；其他渠道为空", "WeChat only: position in the day's push (1 = 头条 lead, 2 = 次条 …); one push a day at most"),
            C("impressions", "int", "曝光量", "曝光/展现次数；微信为送达人数加推荐曝光；含付费推广带来的曝光", "impressions; WeChat: delivered plus recommendation exposure; includes paid exposure"),
            C("reads", "int", "阅读量", "发布后 90 天内（截至年底）的阅读/播放/观看：微信为总阅读人数（点开文章的人）；微博为平台的“阅读数”（刷到即算的展示，和微信阅读不可比）；抖音为播放量。年底发布的内容还没攒满 90 天", "reads in the first 90 days (cut at the year's end): WeChat readers who opened the article; Weibo's 阅读数 counts displays (not comparable); Douyin plays"),
            C("likes", "int", "点赞", "点赞数", "likes"),
            C("comments", "int", "评论", "评论数", "comments"),
            C("shares", "int", "分享", "分享/转发数（微信为分享人数）", "shares or reposts (WeChat: people who shared)"),
            C("favorites", "int", "收藏", "收藏数", "saves"),
            C("follows_gained", "int", "带来关注", "阅读/观看后关注账号的人数（微信“阅读后关注人数”），计入发布当天的新增关注", "follows after reading, counted on the publication day in followers_daily"),
            C("link_clicks", "int", "链接点击", "点击商品/商城链接的次数。微信、微博、知乎、头条链到小程序商城，一部分点击在页面加载时流失，所以多于 visits 中 utm_content 为本内容的访问；抖音、小红书不能链到微信小程序，点击的是本平台店铺（抖店、小红书店铺）的商品", "clicks on the shop link: to the mini-program for WeChat, Weibo, Zhihu, Toutiao (more than the visits they bring: page-load loss); to the platform's own shop for Douyin and Xiaohongshu"),
            C("boosted", "bool", "是否投放", "是否花钱推广（微信广告、粉丝通、DOU+、薯条、头条投放、知+）", "paid promotion of the post (not KOL)"),
            C("cost", "float", "内容成本", "直接花费（元）：推广费或 KOL 合作费；人力不在内", "direct cost in yuan: promotion or KOL fee; staff excluded"),
            C("delivered", "Int64", "送达人数", "仅微信：推送送达的粉丝数；其他渠道为空", "WeChat only: followers the push was delivered to"),
            C("reads_push", "Int64", "公众号消息阅读", "仅微信：从推送消息（会话）点开的人数，不超过送达人数；打开率 = reads_push / delivered", "WeChat only: readers from the push message (会话); open rate = reads_push / delivered"),
            C("reads_moments", "Int64", "朋友圈阅读", "仅微信：从朋友圈点开的人数", "WeChat only: readers from 朋友圈 (Moments)"),
            C("reads_recommend", "Int64", "推荐阅读", "仅微信：从“看一看”/推荐点开的人数", "WeChat only: readers from recommendation (看一看)"),
            C("reads_other", "Int64", "其他来源阅读", "仅微信：搜一搜、历史消息、广告等其他来源；四个来源相加等于 reads", "WeChat only: search, history, ads and other; the four sources add up to reads"),
            C("zaikan", "Int64", "在看", "仅微信：点“在看”的人数；其他渠道为空", "WeChat only: 'wow' (在看) clicks"),
            C("completion_rate", "float", "完读/完播率", "微信为阅读完成率，短视频为完播率（0–1）；其他为空", "WeChat read-completion, short-video completion rate (0–1); else empty"),
        ),
    ),
    "post_daily_reads": Table(
        "post_daily_reads",
        "内容每日阅读",
        "一行是一篇微信/知乎/头条内容在发布后某一天的阅读",
        "one row per WeChat, Zhihu or Toutiao post and day since publishing (first 90 days)",
        (
            C("post_id", "id", "内容编号", "posts.post_id（只有微信、知乎、今日头条的内容）", "posts.post_id (WeChat, Zhihu and Toutiao posts only)"),
            C("date", "date", "日期", "自然日", "calendar day"),
            C("age_days", "int", "发布天数", "发布后第几天：0 = 发布当天，最多到 89；年底截止", "days since publishing: 0 = publication day, up to 89; cut at the year's end"),
            C("reads", "int", "当日阅读", "这一天新增的阅读；同一内容各天相加等于 posts.reads", "reads that day; a post's days add up to posts.reads"),
        ),
        ("知乎回答会在几个月里持续涨阅读，微信文章两三天后就几乎不涨：比较不同渠道要按相同的发布天数比。",),
    ),
    "followers_daily": Table(
        "followers_daily",
        "每日粉丝",
        "一行是某渠道某一天的粉丝变化",
        "one row per channel and day",
        (
            C("date", "date", "日期", "自然日", "calendar day"),
            C("channel", "category:channel", "渠道", "渠道", "channel"),
            C("new_followers", "int", "新增关注", "当天新关注人数（含当天发布内容带来的关注）", "new follows that day (includes follows_gained of that day's posts)"),
            C("unfollows", "int", "取消关注", "当天取消关注人数", "unfollows that day"),
            C("net_followers", "int", "净增关注", "净增 = 新增 − 取消", "net = new − unfollows"),
            C("total_followers", "int", "累计关注", "当天结束时的粉丝总数 = 前一天总数 + 净增", "followers at the end of the day = previous total + net"),
        ),
        ("年初（1 月 1 日之前）的粉丝数记录在 manifest.json 的 start_followers 中。",),
    ),
    "follower_events": Table(
        "follower_events",
        "关注与取关记录",
        "一行是一位粉丝在一个渠道的一次关注或取消关注",
        "one row per follow or unfollow of one follower on one channel",
        (
            C("follower_id", "id", "粉丝编号", "渠道前缀（WX、WB、ZH、TT、DY、XHS）加编号；年初之前就关注的粉丝编号较小，没有关注记录", "channel prefix plus number; followers from before the year have no follow row"),
            C("channel", "category:channel", "渠道", "渠道", "channel"),
            C("event_time", "datetime", "时间", "关注或取关的时间", "time of the follow or unfollow"),
            C("event", "category:follow_event", "行为", "关注 / 取消关注", "follow or unfollow"),
            C("source", "category:follow_source", "关注来源", "内容 / 活动 / 合作 / 搜索 / 推荐 / 其他；取关行沿用当初的关注来源，年初之前就关注的粉丝为空", "source of the follow; unfollow rows repeat it; empty for followers from before the year"),
            C("post_id", "id", "内容编号", "带来这次关注的 posts.post_id；不是内容带来的为空", "posts.post_id that brought the follow; empty otherwise"),
            C("campaign_id", "id", "活动编号", "活动内容带来的关注的 campaigns.campaign_id", "campaign of the post that brought the follow"),
        ),
        ("按天、渠道数关注行和取关行，正好等于 followers_daily 的 new_followers 和 unfollows。",),
    ),
    "campaigns": Table(
        "campaigns",
        "运营活动",
        "一行是一次活动",
        "one row per campaign",
        (
            C("campaign_id", "id", "活动编号", "C 开头，按开始日期编号", "C-prefixed, in start order"),
            C("name", "str", "活动名称", "活动名称（中文）", "campaign name (Chinese)"),
            C("channel", "category:channel", "渠道", "主推渠道", "channel the campaign ran on"),
            C("kind", "category:campaign_kind", "活动类型", "抽奖 / 征集 / 打卡 / 直播", "giveaway, contest (UGC call), check-in, livestream"),
            C("start", "date", "开始日期", "第一天（含）", "first day (inclusive)"),
            C("end", "date", "结束日期", "最后一天（含，到 23:59:59）", "last day (inclusive, until 23:59:59)"),
            C("budget", "float", "活动预算", "奖品、直播等经费（元），计入 spend 表 campaign 类", "prizes and production (yuan); in spend, kind campaign"),
            C("reach", "int", "覆盖", "活动内容的曝光量合计（人次，不去重）", "sum of impressions of the campaign's posts (not deduplicated)"),
            C("exposed", "int", "曝光人数", "看到活动内容的人数（人，去重后的估计）：活动漏斗的第一步", "people who saw the campaign's posts (deduplicated estimate): the funnel's first step"),
        ),
    ),
    "participants": Table(
        "participants",
        "活动参与",
        "一行是一位用户在一次活动中完成的一个步骤",
        "one row per user, campaign and funnel step",
        (
            C("campaign_id", "id", "活动编号", "campaigns.campaign_id", "campaigns.campaign_id"),
            C("user_id", "id", "用户编号", "users.user_id", "users.user_id"),
            C("step", "category:step", "步骤", "点击 → 参与 → 分享 → 关注（有序）；每人每步最多一行（按人计，取最早一次）", "click → participate → share → follow (ordered); at most one row per user and step"),
            C("event_time", "datetime", "时间", "完成该步骤的时间，都在活动起止日期之内", "time of the step, inside the campaign dates"),
        ),
        ("活动页在小程序里，所以只有微信、微博、知乎、头条的活动有参与记录；漏斗第一步“曝光”按人数记在 campaigns.exposed。"
         "微博转发抽奖靠转发参与，参与的人都有“分享”。",),
    ),
    "visits": Table(
        "visits",
        "商城访问",
        "一行是一次进入小程序商城的访问（会话）",
        "one row per session in the mini-program store",
        (
            C("visit_id", "id", "访问编号", "V 开头，按时间编号", "V-prefixed, in time order"),
            C("user_id", "id", "用户编号", "users.user_id", "users.user_id"),
            C("visited_at", "datetime", "访问时间", "会话开始时间", "session start"),
            C("traffic_type", "category:traffic_type", "流量类型", "内容链接（utm_content 是内容编号）/ 活动分享（活动参与者分享的链接，无内容编号）/ 自然流量（无 UTM）", "post link (utm_content = post_id), campaign share link (no post), organic (no UTM)"),
            C("url", "str", "落地链接", "落地页链接，带 UTM 参数", "landing URL with its UTM query"),
            C("utm_source", "str", "utm_source", "来源（渠道代码），区分大小写；自然流量为空", "source (channel code), case-sensitive; empty for organic"),
            C("utm_medium", "str", "utm_medium", "媒介：social 自然发布、paid_social 投放、kol 合作、event 活动内容、share 活动分享", "medium: social, paid_social, kol, event, share"),
            C("utm_campaign", "str", "utm_campaign", "活动内容和活动分享为活动编号，其他内容为选题档期（如 valentine）", "campaign id for campaign traffic, else a content theme slug"),
            C("utm_content", "str", "utm_content", "内容编号 post_id；活动分享和自然流量为空", "post_id; empty for campaign shares and organic"),
            C("pages", "int", "浏览页数", "本次访问浏览的页面数（1 即跳出）", "pages viewed (1 = bounce)"),
            C("seconds", "int", "停留秒数", "本次访问时长（秒）", "session length in seconds"),
        ),
    ),
    "users": Table(
        "users",
        "用户",
        "一行是一位访问过商城的用户",
        "one row per user who visited the store",
        (
            C("user_id", "id", "用户编号", "U 开头，按首次访问时间编号", "U-prefixed, in order of first visit"),
            C("first_seen", "datetime", "首次访问时间", "第一次访问的时间；老用户在前两年就来过", "time of the first visit; users carried in from the two years before came earlier"),
            C("first_visit_id", "id", "首次访问编号", "第一次访问的 visits.visit_id；前两年来的老用户为空（visits 只有当年）", "visits.visit_id of the first visit; empty for users from earlier years"),
            C("first_channel", "category:channel", "首次来源渠道", "第一次访问的来源渠道；自然流量为空", "channel of the first visit; empty for organic"),
            C("first_touch", "category:first_touch", "首次触点", "内容（普通内容链接）/ 活动（活动内容或活动分享）/ 自然流量", "content post, campaign (event post or share link), organic"),
            C("city", "category", "城市", "所在城市", "city"),
            C("gender", "category:gender", "性别", "女 / 男；未知为空", "female / male; empty if unknown"),
            C("age_band", "category:age_band", "年龄段", "有序；未知为空", "ordered; empty if unknown"),
        ),
    ),
    "orders": Table(
        "orders",
        "订单",
        "一行是一笔订单（含前两年的历史订单：按年份筛选）",
        "one row per order (including the two years before: filter by year)",
        (
            C("order_id", "id", "订单编号", "O 开头，按下单时间编号", "O-prefixed, in time order"),
            C("store", "category:store", "店铺", "微信小程序商城 / 抖店 / 小红书店铺", "mini-program, Douyin shop (抖店) or Xiaohongshu shop"),
            C("user_id", "id", "用户编号", "小程序订单的 users.user_id；抖店、小红书店铺订单为空（平台不给买家身份）", "users.user_id for mini-program orders; empty for platform shops"),
            C("visit_id", "id", "访问编号", "小程序订单所在的那次访问（同一用户，下单晚于访问开始）；前两年的历史订单和平台店铺订单为空", "session of a mini-program order; empty for orders of earlier years and platform shops"),
            C("post_id", "id", "带货内容", "抖店、小红书店铺订单由哪条视频/笔记带来（平台的“作品带货”）；小程序订单为空，看 visits 的 UTM", "video or note that sold a platform-shop order; empty for mini-program orders (see the visit's UTM)"),
            C("ordered_at", "datetime", "下单时间", "下单时间", "order time"),
            C("product_id", "id", "主要商品", "第一行商品的 products.product_id；全部商品见 order_lines", "products.product_id of the first line; every line is in order_lines"),
            C("gross_amount", "float", "商品金额", "优惠前金额（元）= order_lines 的 数量 × 单价 之和", "amount before discount = sum of quantity × unit price of the order's lines"),
            C("coupon", "category:coupon", "优惠券", "用了哪张满减券；没用为空。节日期间用券的多", "满减 coupon used, empty if none (more during festivals)"),
            C("discount", "float", "优惠金额", "优惠券减掉的金额（元）", "discount in yuan"),
            C("amount", "float", "实付金额", "实付金额（元）= 商品金额 − 优惠金额", "amount paid in yuan = gross_amount − discount"),
            C("refund", "float", "退款金额", "退款金额（元），没有退款为 0；整单退款", "refunded amount in yuan, 0 if none (whole-order refunds)"),
        ),
    ),
    "products": Table(
        "products",
        "商品",
        "一行是一个商品（SKU）",
        "one row per product (SKU)",
        (
            C("product_id", "id", "商品编号", "FC 鲜花饼、MC 云腿月饼、TE 花茶、GB 礼盒，加档位 1–4", "FC, MC, TE or GB plus a price tier 1–4"),
            C("category", "category:product_category", "品类", "鲜花饼 / 云腿月饼 / 花茶 / 礼盒", "product category"),
            C("name", "str", "商品名称", "商品名称（中文）", "product name (Chinese)"),
            C("price", "float", "售价", "标价（元）", "list price in yuan"),
            C("unit_cost", "float", "单位成本", "每件的商品成本（元，估计值）", "cost of goods per unit in yuan (estimate)"),
            C("shipping_cost", "float", "单件运费", "每件的发货成本（元，鲜花饼走冷链）", "shipping cost per unit in yuan"),
        ),
        ("毛利 = 实付金额 − 退款 − Σ(数量 × (单位成本 + 单件运费))；按营收算的 ROI 会掩盖亏损。",),
    ),
    "order_lines": Table(
        "order_lines",
        "订单明细",
        "一行是一笔订单里的一种商品",
        "one row per order and product",
        (
            C("order_id", "id", "订单编号", "orders.order_id", "orders.order_id"),
            C("product_id", "id", "商品编号", "products.product_id", "products.product_id"),
            C("quantity", "int", "数量", "件数", "units"),
            C("unit_price", "float", "单价", "下单时的单价（元）", "unit price in yuan"),
        ),
    ),
    "events": Table(
        "events",
        "小程序行为",
        "一行是一位用户在小程序里的一次行为",
        "one row per user action in the mini-program",
        (
            C("user_id", "id", "用户编号", "users.user_id", "users.user_id"),
            C("event_time", "datetime", "时间", "行为发生时间", "time of the action"),
            C("event", "category:event", "行为", "打开小程序 / 浏览商品 / 加入购物车 / 下单 / 签到 / 分享", "open, view_item, add_to_cart, purchase, checkin, share"),
        ),
        ("每次访问都有一条同一时间的“打开小程序”；每笔小程序订单都有一条同一时间的“下单”。用户在没有商城访问的日子也可能打开小程序。",),
    ),
    "survey": Table(
        "survey",
        "用户调研",
        "一行是一份问卷",
        "one row per questionnaire",
        (
            C("respondent_id", "id", "答卷编号", "R 开头", "R-prefixed"),
            C("user_id", "id", "用户编号", "答卷人的 users.user_id；通过公开链接匿名填写的为空", "users.user_id; empty for anonymous answers"),
            C("submitted_at", "datetime", "提交时间", "提交时间", "submission time"),
            C("gender", "category:gender", "性别", "女 / 男；未填为空", "gender"),
            C("age_band", "category:age_band", "年龄段", "年龄段", "age band"),
            C("city", "category", "城市", "城市", "city"),
            C("occupation", "category:occupation", "职业", "学生 / 上班族 / 自由职业 / 退休 / 其他", "occupation"),
            C("found_via", "category:found_via", "从哪里知道我们", "渠道、朋友推荐或其他", "where they first heard of the brand"),
            C("purchase_freq", "category:purchase_freq", "购买次数", "提交前在商城下单的次数（有序）", "orders before the survey (ordered)"),
            C("pref_article", "Int64", "喜欢长图文", "1–5 分（1 很不同意，5 很同意）；跳过为空", "Likert 1–5: likes long articles"),
            C("pref_short_video", "Int64", "喜欢短视频", "1–5 分", "Likert 1–5: likes short videos"),
            C("pref_comic", "Int64", "喜欢漫画", "1–5 分", "Likert 1–5: likes comics"),
            C("pref_live", "Int64", "喜欢直播", "1–5 分", "Likert 1–5: likes livestreams"),
            C("pref_giveaway", "Int64", "喜欢抽奖", "1–5 分", "Likert 1–5: likes giveaways"),
            C("need_discount", "Int64", "想要优惠", "1–5 分", "Likert 1–5: wants discounts"),
            C("need_gift_ideas", "Int64", "想要送礼建议", "1–5 分", "Likert 1–5: wants gift ideas"),
            C("need_tea_knowledge", "Int64", "想学花茶知识", "1–5 分", "Likert 1–5: wants tea know-how"),
            C("need_local_culture", "Int64", "想看云南风物", "1–5 分", "Likert 1–5: wants stories of Yunnan"),
            C("recommend", "Int64", "推荐意愿", "0–10 分，愿意推荐给朋友的程度（可算 NPS）", "0–10 likelihood to recommend (for NPS)"),
            C("open_answer", "str", "开放题", "“你最希望我们多发什么内容？”的回答；未答为空", "answer to 'what would you like us to post more of?'"),
        ),
    ),
    "ab_tests": Table(
        "ab_tests",
        "标题测试",
        "一行是一次标题测试的一个版本",
        "one row per headline test and variant",
        (
            C("test_id", "id", "测试编号", "T 开头", "T-prefixed"),
            C("channel", "category:channel", "渠道", "微信（多标题测试）或今日头条（双标题）", "WeChat or Toutiao"),
            C("post_id", "id", "内容编号", "被测试的 posts.post_id", "posts.post_id tested"),
            C("date", "date", "日期", "测试日期（内容发布日）", "test day (publication day)"),
            C("variant", "category:variant", "版本", "A / B", "A or B"),
            C("headline", "str", "标题", "该版本的标题", "headline of the variant"),
            C("delivered", "int", "送达/展现", "微信：收到该版本的粉丝数（两版相加等于 posts.delivered）；头条：该版本的展现量", "WeChat: followers who got this variant (sums to posts.delivered); Toutiao: impressions"),
            C("reads", "int", "阅读", "微信：从推送消息打开的人数；头条：点击阅读数", "WeChat: opens from the push message; Toutiao: clicks"),
        ),
    ),
    "experiments": Table(
        "experiments",
        "小程序实验",
        "一行是一个实验某一天某一组的结果",
        "one row per experiment, day and arm",
        (
            C("experiment_id", "id", "实验编号", "X 开头", "X-prefixed"),
            C("name", "str", "实验名称", "实验内容（中文）", "what was tested (Chinese)"),
            C("kind", "category:experiment_kind", "实验类型", "转化实验（下单率、每访客营收）/ 多次查看的实验 / 留空对照（付费投放的增量）", "conversion test, a test peeked at daily, paid campaign with a randomized holdout"),
            C("date", "date", "日期", "实验日", "day"),
            C("arm", "category:arm", "组别", "A / B；留空对照实验为 对照组（随机 10% 不投放）/ 投放组", "A or B; holdout or treatment for the holdout test"),
            C("users", "int", "人数", "当天新分到这一组的用户数", "users newly assigned to the arm that day"),
            C("orders", "int", "下单人数", "这些用户中 7 天内下单的人数", "of them, users who ordered within 7 days"),
            C("revenue", "float", "营收", "这些用户 7 天内的实付金额合计（元）", "their revenue within 7 days in yuan"),
        ),
        ("实验按天汇总：要算整个实验的结果，先把各天相加再算比率；每天看一次、一显著就停，会把噪声当成效果。",),
    ),
    "collabs": Table(
        "collabs",
        "合作",
        "一行是一次 KOL/媒体合作（一条合作内容）",
        "one row per collaboration (one collab post)",
        (
            C("collab_id", "id", "合作编号", "K 开头，按发布时间编号", "K-prefixed, in publication order"),
            C("partner", "category", "合作方", "达人或媒体账号名", "partner account"),
            C("partner_type", "category:partner_type", "合作方类型", "KOL 达人 / 本地媒体号", "KOL or local media account"),
            C("channel", "category:channel", "渠道", "发布渠道", "channel"),
            C("post_id", "id", "内容编号", "posts.post_id（内容形式为合作）", "posts.post_id of the collab post"),
            C("published_at", "datetime", "发布时间", "合作内容发布时间", "publication time"),
            C("fee", "float", "合作费用", "付给合作方的费用（元）= posts.cost，计入 spend 的 KOL合作", "fee in yuan = posts.cost; in spend (kind kol)"),
            C("deliverables", "str", "交付内容", "约定交付的内容", "what the partner delivers"),
            C("reads", "int", "阅读/播放", "= posts.reads", "= posts.reads"),
            C("follows_gained", "int", "带来关注", "= posts.follows_gained", "= posts.follows_gained"),
            C("link_clicks", "int", "链接点击", "= posts.link_clicks", "= posts.link_clicks"),
            C("visits", "int", "小程序访问", "utm_content 为这条内容的访问数（抖音、小红书为 0）", "visits tagged with the post (0 for Douyin and Xiaohongshu)"),
            C("orders", "int", "订单", "这些访问里下的单 + 平台店铺里这条内容带来的订单（末次触点）", "orders of those visits plus platform-shop orders of the post (last touch)"),
            C("revenue", "float", "营收", "这些订单的实付金额（元）", "amount paid of those orders"),
        ),
        ("按合作算每个结果的成本：费用 ÷ 关注、费用 ÷ 订单；订单只算末次触点，低估了种草的长期效果。",),
    ),
    "spend": Table(
        "spend",
        "花费",
        "一行是某月某渠道某类花费",
        "one row per month, channel and kind of spend",
        (
            C("month", "date", "月份", "该月第一天", "first day of the month"),
            C("channel", "category:channel", "渠道", "渠道", "channel"),
            C("kind", "category:spend_kind", "花费类型", "广告投放（= 当月该渠道投放内容 cost 之和）/ KOL合作（= 合作内容 cost 之和）/ 活动经费（= 当月开始的活动 budget 之和）/ 人力（按发文量分摊的月人力成本）", "ads (= cost of boosted posts), kol (= cost of collab posts), campaign (= budgets of campaigns starting that month), staff (monthly cost split by posts)"),
            C("amount", "float", "金额", "金额（元）", "amount in yuan"),
        ),
    ),
}

del C


@dataclass(frozen=True)
class ExportFile:
    """One messy platform export written from the same rows as a clean table (``posts`` unless said)."""

    name: str
    file: str
    platform: str
    encoding: str
    header_row: int
    quirks_zh: tuple[str, ...]
    columns: tuple[tuple[str, str | None, str], ...]
    """(header, clean column of ``table`` or None, note in Chinese)."""
    table: str = "posts"


EXPORTS: dict[str, ExportFile] = {
    "wechat": ExportFile(
        "wechat",
        "wechat_notified_content.csv",
        "微信公众号后台“已通知内容”导出",
        "GB18030",
        1,
        (
            "编码是 GB18030（不是 UTF-8），用 encoding='gb18030' 读取。",
            "最新发布的在最上面。",
            "发表时间形如 2025/03/08 20:05（没有秒）。",
            "人数、次数带千分位逗号，如 \"3,456\"（CSV 中带引号）。",
            "总阅读人数达到 100000 时只显示“10万+”：清洗后只知道 reads ≥ 100000，与干净表对比时要单独处理。",
            "比率是百分数文本，如 \"12.50%\"，保留两位小数。",
        ),
        (
            ("内容标题", "title", "标题"),
            ("发表时间", "published_at", "精确到分钟"),
            ("总阅读人数", "reads", "“10万+” 表示 ≥ 100000"),
            ("总阅读次数", None, "阅读次数（同一人可读多次），仅导出文件有"),
            ("总分享人数", "shares", ""),
            ("分享次数", None, "分享次数，仅导出文件有"),
            ("阅读后关注人数", "follows_gained", ""),
            ("送达人数", "delivered", ""),
            ("公众号消息阅读次数", None, "从推送消息打开的次数，仅导出文件有"),
            ("送达阅读率", None, "= 公众号消息阅读次数 / 送达人数（次数除以人数）"),
            ("首次分享次数", None, "仅导出文件有"),
            ("分享产生阅读次数", None, "仅导出文件有"),
            ("首次分享率", None, "= 首次分享次数 / 公众号消息阅读次数"),
            ("阅读完成率", "completion_rate", "百分数文本，两位小数"),
            ("内容url", None, "文章链接"),
        ),
    ),
    "toutiao": ExportFile(
        "toutiao",
        "toutiao_works.csv",
        "今日头条创作者后台作品数据导出",
        "UTF-8 with BOM (utf-8-sig)",
        1,
        (
            "UTF-8 带 BOM：用 encoding='utf-8-sig' 读取，否则第一个列名前有一个不可见字符。",
            "展现量、阅读量等于或超过 10000 时写成“1.2w”（= 值 / 10000，保留一位小数，四舍五入），清洗后只能精确到 1000。",
            "点击率是小数（如 0.0912），不是百分数；平均阅读完成率是百分数文本（如 \"35.2%\"）。",
            "平均阅读时长形如“1分23秒”。",
        ),
        (
            ("标题", "title", ""),
            ("发布时间", "published_at", "形如 2025-03-08 20:05"),
            ("展现量", "impressions", "≥ 10000 时为“x.yw”"),
            ("粉丝展现量", None, "粉丝看到的展现，仅导出文件有"),
            ("阅读量", "reads", "≥ 10000 时为“x.yw”"),
            ("粉丝阅读量", None, "仅导出文件有"),
            ("点击率", None, "= 阅读量 / 展现量，小数，四位"),
            ("平均阅读完成率", "completion_rate", "只有短视频在干净表里有完播率；图文为仅导出文件有"),
            ("点赞量", "likes", ""),
            ("评论量", "comments", ""),
            ("转发量", None, "头条站内转发，仅导出文件有"),
            ("分享量", "shares", ""),
            ("收藏量", "favorites", ""),
            ("平均阅读时长", None, "形如“1分23秒”，仅导出文件有"),
        ),
    ),
    "xiaohongshu": ExportFile(
        "xiaohongshu",
        "xiaohongshu_notes.xlsx",
        "小红书创作服务平台笔记数据导出",
        "xlsx",
        2,
        (
            "第 1 行是一句说明，第 2 行才是表头：pd.read_excel(..., header=1)。",
            "曝光、观看量是带千分位逗号的文本（如 \"13,456\"）。",
            "封面点击率是百分数文本（如 \"12.5%\"，一位小数）。",
            "首次发布时间是 Excel 日期时间单元格。",
            "人均观看时长形如“23.4秒”。",
        ),
        (
            ("笔记标题", "title", ""),
            ("首次发布时间", "published_at", ""),
            ("曝光", "impressions", "千分位文本"),
            ("观看量", "reads", "千分位文本"),
            ("封面点击率", None, "= 观看量 / 曝光，百分数一位小数"),
            ("人均观看时长", None, "仅导出文件有"),
            ("涨粉", "follows_gained", ""),
            ("点赞", "likes", ""),
            ("评论", "comments", ""),
            ("收藏", "favorites", ""),
            ("分享", "shares", ""),
        ),
    ),
    "douyin": ExportFile(
        "douyin",
        "douyin_works.xlsx",
        "抖音创作者中心作品数据导出",
        "xlsx",
        1,
        (
            "发布时间是 Excel 序列日期（数字，如 45723.84375 = 自 1899-12-30 起的天数）："
            "pd.to_datetime(x, unit='D', origin='1899-12-30') 后四舍五入到分钟。",
            "播放量、点赞量等于或超过 10000 时写成“1.2w”文本。",
            "完播率、5s完播率、封面点击率、2s跳出率是百分数文本（如 \"12.5%\"）。",
            "平均播放时长是秒数（小数）。",
        ),
        (
            ("发布时间", "published_at", "Excel 序列日期"),
            ("作品名称", "title", ""),
            ("体裁", None, "视频 / 图文（合作、活动也是视频）"),
            ("播放量", "reads", "≥ 10000 时为“x.yw”"),
            ("完播率", "completion_rate", "百分数一位小数"),
            ("5s完播率", None, "仅导出文件有"),
            ("封面点击率", None, "= 播放量 / 曝光量（posts.impressions），百分数一位小数"),
            ("2s跳出率", None, "仅导出文件有"),
            ("平均播放时长", None, "秒，仅导出文件有"),
            ("点赞量", "likes", "≥ 10000 时为“x.yw”"),
            ("分享量", "shares", ""),
            ("评论量", "comments", ""),
            ("收藏量", "favorites", ""),
            ("主页访问量", None, "仅导出文件有"),
            ("粉丝增量", "follows_gained", ""),
        ),
    ),
    "douyin_shop": ExportFile(
        "douyin_shop",
        "douyin_shop_orders.csv",
        "抖店商家后台订单导出",
        "UTF-8 with BOM (utf-8-sig)",
        1,
        (
            "UTF-8 带 BOM：用 encoding='utf-8-sig' 读取。",
            "订单编号前面有一个制表符（防止 Excel 把 19 位数字变成科学计数法）：读成文本后 .str.strip()。",
            "金额是带两位小数的文本，如 \"128.00\"。",
            "订单提交时间形如 2025/03/08 20:05:33。",
            "最新的订单在最上面；平台不给买家身份，只有带货作品。",
        ),
        (
            ("主订单编号", None, "平台自己的订单号，不是 orders.order_id"),
            ("选购商品", None, "商品名称 = products.name"),
            ("商家编码", "product_id", "商家自己的商品编码"),
            ("商品数量", None, "主商品件数"),
            ("订单应付金额", "amount", "两位小数文本"),
            ("优惠总金额", "discount", "两位小数文本"),
            ("订单提交时间", "ordered_at", "精确到秒"),
            ("订单状态", None, "已完成 / 已退款（orders.refund > 0）"),
            ("带货作品", None, "视频标题 = posts.title（orders.post_id 那一条）"),
        ),
        "orders",
    ),
}


def _kind_zh(kind: str) -> str:
    if kind.startswith("category:"):
        return "分类（category）"
    return {
        "id": "编号（文本）",
        "str": "文本",
        "datetime": "日期时间（datetime64）",
        "date": "日期（datetime64，零点）",
        "int": "整数（int64）",
        "Int64": "可空整数（Int64）",
        "float": "小数（float64）",
        "bool": "是/否（bool）",
        "category": "分类（category）",
    }[kind]


def data_dictionary_markdown() -> str:
    """Render the whole data dictionary (数据字典) as Markdown, Chinese first.

    This is the text of ``docs/data-dictionary.md``; a test keeps the two
    identical, so edit the dictionary module, not the page.

    Returns
    -------
    str
        Markdown text.

    Examples
    --------
    >>> text = data_dictionary_markdown()
    >>> text.splitlines()[0]
    '# 数据字典 Data dictionary'
    >>> "## posts 内容发布" in text
    True
    """
    out: list[str] = [
        "# 数据字典 Data dictionary",
        "",
        "<!-- 本页由 nmops.datasets.dictionary.data_dictionary_markdown() 生成，请勿手改。"
        " Generated from nmops/datasets/dictionary.py; do not edit by hand. -->",
        "",
        f"示例数据来自一家虚构的昆明品牌“{BRAND}”一整年的新媒体运营：它在微信小程序商城里卖鲜花饼、"
        "云腿月饼、花茶和礼盒。时间都是北京时间（不带时区）。",
        "",
        "```python",
        "import nmops.datasets as ds",
        "posts = ds.load_posts()              # 渠道等分类列用英文代码",
        "posts = ds.load_posts(lang=\"zh\")     # 分类列显示中文：微信公众号、微博……",
        "ds.describe_table(\"posts\")           # 在 notebook 里查看本页的一张表",
        "```",
        "",
        "## 分类代码 Category codes",
        "",
    ]
    for key, labels in CATEGORIES.items():
        if key == "author":
            continue
        ordered = "（有序）" if key in ORDERED_CATEGORIES else ""
        pairs = "，".join(f"`{code}` {zh}" for code, zh in labels.items())
        out.append(f"- **{key}**{ordered}：{pairs}")
    out.append("")
    for table in TABLES.values():
        out += [f"## {table.name} {table.zh}", "", f"{table.row_zh}。{table.row_en}.", ""]
        out += ["| 列 column | 中文名 | 类型 | 说明 | description |", "| --- | --- | --- | --- | --- |"]
        for col in table.columns:
            kind = _kind_zh(col.kind)
            if col.kind.startswith("category:"):
                kind += f" `{col.kind.split(':', 1)[1]}`"
            out.append(f"| `{col.name}` | {col.zh} | {kind} | {col.desc_zh} | {col.desc_en} |")
        for note in table.notes_zh:
            out += ["", f"注：{note}"]
        out.append("")
    out += [
        "## 平台导出文件 Platform exports",
        "",
        "`nmops.datasets.export_path(name)` 给出文件路径。这些文件由 `posts` 中同一批内容写成，"
        "保留了真实后台导出的“脏”格式，用来练习数据清洗：清洗后可以和 `load_posts()` 的对应列比对。"
        "“干净列”为空的列只在导出文件里有。",
        "",
    ]
    for exp in EXPORTS.values():
        out += [
            f"### {exp.name}：`{exp.file}`",
            "",
            f"- 平台：{exp.platform}",
            f"- 编码/格式：{exp.encoding}；表头在第 {exp.header_row} 行",
        ]
        out += [f"- {q}" for q in exp.quirks_zh]
        out += ["", f"| 表头 | 干净列 {exp.table}.* | 说明 |", "| --- | --- | --- |"]
        for header, clean, note in exp.columns:
            out.append(f"| {header} | {'`' + clean + '`' if clean else ''} | {note} |")
        out.append("")
    out += [
        "## 真实数据 Real data: `load_facebook_metrics()`",
        "",
        "某国际化妆品品牌 Facebook 主页 2014 年发布的 500 条帖子及其 Insights 指标（真实数据，列名保持英文原样）。"
        "来源：UCI Machine Learning Repository “Facebook metrics”，许可 CC BY 4.0。引用：S. Moro, P. Rita, B. Vala. "
        "Predicting social media performance metrics and evaluation of the impact on brand building: "
        "A data mining approach. Journal of Business Research 69(9), 2016, 3341-3351. "
        "doi:10.1016/j.jbusres.2016.02.010",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(data_dictionary_markdown(), end="")
