"""Sample channel data of a fictional Kunming brand (示例渠道数据) and a real Facebook file.

One calendar year (2025) of new media operations at 滇花记, a fictional
Kunming brand that sells flower cakes (鲜花饼), Yunnan ham mooncakes, flower
tea and gift boxes through a WeChat mini-program store, a 抖店 and a
小红书店铺. Its team of seven (小白 to 高级) publishes on WeChat, Weibo,
Zhihu, Toutiao, Douyin and Xiaohongshu, runs campaigns and experiments, and
brings people to the stores. Users and orders carried in from the two years
before are included, so January is not a cold start.

Every table has a ``load_<table>()`` function returning a typed DataFrame
(datetime64 times, categoricals for coded columns, nullable ``Int64`` where a
count can be missing). Coded categories are English codes by default;
``lang="zh"`` labels them in Chinese (微信公众号, 微博, 知乎, 今日头条, 抖音,
小红书 …). :func:`describe_table` shows the Chinese data dictionary of a table.
Messy platform exports of the same posts are at :func:`export_path`.

The tables agree with each other: a post's ``link_clicks`` are at least the
visits whose ``utm_content`` is its ``post_id`` (some clicks are lost while
the page loads); every mini-program order of the year belongs to a visit of
the same user; ``follower_events`` add up to ``followers_daily``, which adds
up day by day; ``post_daily_reads`` add up to ``posts.reads``.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pandas as pd

from nmops._validation import NmopsInputError
from nmops.datasets.dictionary import (
    CATEGORIES,
    CHANNEL_LABELS_ZH,
    CHANNELS,
    EXPORTS,
    ORDERED_CATEGORIES,
    TABLES,
)

__all__ = [
    "TABLE_NAMES",
    "CHANNELS",
    "CHANNEL_LABELS_ZH",
    "load_table",
    "load_staff",
    "load_posts",
    "load_post_daily_reads",
    "load_followers_daily",
    "load_follower_events",
    "load_campaigns",
    "load_participants",
    "load_visits",
    "load_users",
    "load_products",
    "load_orders",
    "load_order_lines",
    "load_events",
    "load_survey",
    "load_ab_tests",
    "load_collabs",
    "load_experiments",
    "load_spend",
    "load_facebook_metrics",
    "load_manifest",
    "describe_table",
    "data_dictionary",
    "export_path",
]

#: Names of the synthetic tables, in the order of the data dictionary.
TABLE_NAMES: tuple[str, ...] = tuple(TABLES)

_LANGS = ("en", "zh")
_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
_DATE_FORMAT = "%Y-%m-%d"


def _check_lang(lang: str) -> str:
    if lang not in _LANGS:
        raise NmopsInputError(
            f"lang 只能是 'en'（英文代码）或 'zh'（中文标签），收到 {lang!r}。"
            f" / lang must be 'en' (codes) or 'zh' (Chinese labels), got {lang!r}."
        )
    return lang


def _check_table(name: str) -> str:
    if name not in TABLES:
        known = "、".join(TABLES)
        raise NmopsInputError(
            f"没有名为 {name!r} 的表；可用的表：{known}。 / unknown table {name!r}; known tables: {', '.join(TABLES)}."
        )
    return name


def _open(filename: str, data_dir: str | Path | None):
    """Open a data file in binary mode, from the package or from ``data_dir``."""
    if data_dir is None:
        path = resources.files("nmops.datasets").joinpath("data", *filename.split("/"))
        if not path.is_file():
            raise NmopsInputError(
                f"安装包里缺少数据文件 {filename}：请重新安装 nmops。 / packaged data file {filename} is missing; reinstall nmops."
            )
        return path.open("rb")
    path = Path(data_dir) / filename
    if not path.is_file():
        raise NmopsInputError(
            f"在 {data_dir} 里找不到数据文件 {filename}：请先运行 nmops-generate-data --out {data_dir} 生成数据，或检查文件夹路径。"
            f" / data file {filename} not found in {data_dir}; run nmops-generate-data --out {data_dir} first."
        )
    return path.open("rb")


def load_table(name: str, *, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load one sample table (加载示例数据表) by name, typed from the data dictionary.

    Parameters
    ----------
    name : str
        One of :data:`TABLE_NAMES`, e.g. ``"posts"``.
    lang : {"en", "zh"}
        ``"en"`` keeps coded categories as English codes (``wechat``);
        ``"zh"`` labels them in Chinese (``微信公众号``). Column names stay English.
    data_dir : str or Path, optional
        Folder written by ``nmops-generate-data``; default: the shipped data.

    Returns
    -------
    DataFrame
        Columns in data-dictionary order.

    Examples
    --------
    >>> load_table("staff")["level"].cat.categories.tolist()
    ['novice', 'junior', 'intermediate', 'senior']
    >>> load_table("staff", lang="zh")["level"].cat.categories.tolist()
    ['小白', '初级', '中级', '高级']
    """
    _check_table(name)
    _check_lang(lang)
    table = TABLES[name]
    dtypes: dict[str, object] = {}
    dates: dict[str, str] = {}
    text_cols: list[str] = []
    for col in table.columns:
        kind = col.kind
        if kind.startswith("category:"):
            key = kind.split(":", 1)[1]
            dtypes[col.name] = pd.CategoricalDtype(list(CATEGORIES[key]), ordered=key in ORDERED_CATEGORIES)
        elif kind == "category":
            dtypes[col.name] = "category"
        elif kind in ("id", "str"):
            # Left to inference: pandas 3 gives its default ``str`` dtype (pandas 2
            # object), and is several times faster than ``dtype=str``.
            text_cols.append(col.name)
        elif kind == "int":
            dtypes[col.name] = "int64"
        elif kind == "Int64":
            dtypes[col.name] = "Int64"
        elif kind == "float":
            dtypes[col.name] = "float64"
        elif kind == "bool":
            dtypes[col.name] = "bool"
        elif kind == "datetime":
            dates[col.name] = _DATETIME_FORMAT
        elif kind == "date":
            dates[col.name] = _DATE_FORMAT
    with _open(f"{name}.csv.gz", data_dir) as fh:
        with gzip.open(fh, "rb") as raw:
            df = pd.read_csv(raw, dtype=dtypes, keep_default_na=False, na_values=[""])
    if list(df.columns) != table.column_names:
        raise NmopsInputError(
            f"{name}.csv.gz 的列与数据字典不一致：请用当前版本的 nmops-generate-data 重新生成。"
            f" / columns of {name}.csv.gz differ from the data dictionary; regenerate with this nmops version."
        )
    for col in text_cols:
        if not (pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object):
            # an all-empty column is read as float NaN: keep it a text column
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    for col, fmt in dates.items():
        df[col] = pd.to_datetime(df[col], format=fmt)
    if lang == "zh":
        for col in table.columns:
            if col.kind.startswith("category:"):
                labels = CATEGORIES[col.kind.split(":", 1)[1]]
                df[col.name] = df[col.name].cat.rename_categories(labels)
        if name == "staff":
            df["channels"] = df["channels"].map(lambda s: "、".join(CHANNEL_LABELS_ZH[c] for c in s.split(",")))
    return df


def load_staff(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the operations team (运营团队): author, level (小白–高级), joined, monthly cost, channels.

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese (小白, 初级, 中级, 高级).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per staff member.

    Examples
    --------
    >>> staff = load_staff()
    >>> staff.columns.tolist()
    ['author', 'level', 'joined', 'monthly_cost', 'channels']
    >>> sorted(set(load_staff(lang="zh")["level"]))
    ['中级', '初级', '小白', '高级']
    """
    return load_table("staff", lang=lang, data_dir=data_dir)


def load_posts(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the published posts (内容发布) of every channel, one row per post.

    Exposure (曝光 impressions), reads (阅读/播放), likes, comments, shares,
    favorites, follows gained, link clicks to the store and direct cost, plus
    WeChat's delivered (送达人数) and 在看, and completion rates.

    Trap: ``reads`` is not the same thing on every channel. Weibo's 阅读数
    counts displays, WeChat's counts people who opened the article; compare
    channels on rates within a channel, not on raw reads.

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese (微信公众号, 图文 …).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per post, in publication order.

    Examples
    --------
    >>> posts = load_posts()
    >>> posts["channel"].cat.categories.tolist()
    ['wechat', 'weibo', 'zhihu', 'toutiao', 'douyin', 'xiaohongshu']
    >>> load_posts(lang="zh")["channel"].cat.categories.tolist()
    ['微信公众号', '微博', '知乎', '今日头条', '抖音', '小红书']
    >>> str(posts["delivered"].dtype)
    'Int64'
    """
    return load_table("posts", lang=lang, data_dir=data_dir)


def load_post_daily_reads(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load daily reads per post (内容每日阅读) for the first 90 days of WeChat, Zhihu and Toutiao posts.

    Compare channels at the same age since publishing (``age_days``): a
    Zhihu answer keeps collecting reads for months, a WeChat article
    hardly after its third day.

    Parameters
    ----------
    lang : {"en", "zh"}
        Accepted for symmetry with the other loaders (this table has no coded categories).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per post and day since publishing.

    Examples
    --------
    >>> daily = load_post_daily_reads()
    >>> daily.columns.tolist()
    ['post_id', 'date', 'age_days', 'reads']
    """
    return load_table("post_daily_reads", lang=lang, data_dir=data_dir)


def load_followers_daily(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load daily followers by channel (每日粉丝): new, unfollows, net, total.

    net_followers = new_followers − unfollows
    total_followers = previous day's total + net_followers

    Parameters
    ----------
    lang : {"en", "zh"}
        Channel labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per day and channel.

    Examples
    --------
    >>> f = load_followers_daily()
    >>> bool((f["net_followers"] == f["new_followers"] - f["unfollows"]).all())
    True
    """
    return load_table("followers_daily", lang=lang, data_dir=data_dir)


def load_follower_events(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load follows and unfollows (关注与取关记录), one row per follower and event, with the follow's source.

    Counted by day and channel they equal ``followers_daily``; follow a
    follower from the follow row to the unfollow row to measure how many of
    those brought by a source are still there after 30 days.

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese (关注, 取消关注, 活动 …).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per follow or unfollow, in time order.

    Examples
    --------
    >>> load_follower_events()["source"].cat.categories.tolist()
    ['post', 'campaign', 'collab', 'search', 'recommend', 'other']
    """
    return load_table("follower_events", lang=lang, data_dir=data_dir)


def load_campaigns(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the campaigns (运营活动): 抽奖 giveaways, 征集 contests, 打卡 check-ins, 直播 livestreams.

    ``reach`` is the sum of the impressions of the campaign's posts (人次, not
    deduplicated people).

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per campaign.

    Examples
    --------
    >>> load_campaigns(lang="zh")["kind"].cat.categories.tolist()
    ['抽奖', '征集', '打卡', '直播']
    """
    return load_table("campaigns", lang=lang, data_dir=data_dir)


def load_participants(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load campaign participation (活动参与): one row per user, campaign and step (点击, 参与, 分享, 关注).

    Count a funnel step in persons (人): each user has at most one row per
    campaign and step. The first step, exposure (曝光人数), is
    ``campaigns.exposed``.

    Parameters
    ----------
    lang : {"en", "zh"}
        Step labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per step done.

    Examples
    --------
    >>> load_participants()["step"].cat.categories.tolist()
    ['click', 'participate', 'share', 'follow']
    """
    return load_table("participants", lang=lang, data_dir=data_dir)


def load_visits(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the store visits (商城访问) with their landing URL and UTM tags.

    ``traffic_type`` says where a visit came from: a post link
    (``utm_content`` = ``post_id``), a campaign share link (no post), or
    organic (no UTM tags). UTM values are case-sensitive.

    Parameters
    ----------
    lang : {"en", "zh"}
        Labels of ``traffic_type``: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per session, in time order.

    Examples
    --------
    >>> v = load_visits()
    >>> v["traffic_type"].cat.categories.tolist()
    ['post', 'campaign', 'organic']
    >>> bool(v["visited_at"].is_monotonic_increasing)
    True
    """
    return load_table("visits", lang=lang, data_dir=data_dir)


def load_users(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the store's users (用户): first visit, first channel, first touch and profile.

    ``first_channel`` is empty for users whose first visit was organic.

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per user.

    Examples
    --------
    >>> load_users()["age_band"].cat.ordered
    True
    """
    return load_table("users", lang=lang, data_dir=data_dir)


def load_orders(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the orders (订单) of every store: the mini-program, 抖店 and 小红书店铺.

    A mini-program order is tied to the visit it was placed in (``visit_id``)
    and its user; a platform-shop order only to the video or note that sold
    it (``post_id``), as those platforms report no buyer identity.

    Parameters
    ----------
    lang : {"en", "zh"}
        Product labels: English codes or Chinese (鲜花饼, 云腿月饼 …).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per order, in time order.

    Examples
    --------
    >>> load_orders()["store"].cat.categories.tolist()
    ['mini_program', 'douyin_shop', 'xiaohongshu_shop']
    """
    return load_table("orders", lang=lang, data_dir=data_dir)


def load_products(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the products (商品): SKU, category, name, price, unit cost and shipping cost per unit.

    gross profit (毛利) = amount − refund − Σ quantity × (unit_cost + shipping_cost)

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese (鲜花饼, 云腿月饼 …).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per SKU.

    Examples
    --------
    >>> load_products(lang="zh")["category"].cat.categories.tolist()
    ['鲜花饼', '云腿月饼', '花茶', '礼盒']
    """
    return load_table("products", lang=lang, data_dir=data_dir)


def load_order_lines(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the order lines (订单明细): one row per order and product, with quantity and unit price.

    Σ quantity × unit_price of an order's lines = ``orders.gross_amount``.

    Parameters
    ----------
    lang : {"en", "zh"}
        Accepted for symmetry with the other loaders (this table has no coded categories).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per order line.

    Examples
    --------
    >>> load_order_lines().columns.tolist()
    ['order_id', 'product_id', 'quantity', 'unit_price']
    """
    return load_table("order_lines", lang=lang, data_dir=data_dir)


def load_events(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load mini-program activity (小程序行为) for stickiness and retention (DAU, MAU, 留存).

    Parameters
    ----------
    lang : {"en", "zh"}
        Event labels: English codes or Chinese (打开小程序, 下单 …).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per action, in time order.

    Examples
    --------
    >>> load_events()["event"].cat.categories.tolist()
    ['open', 'view_item', 'add_to_cart', 'purchase', 'checkin', 'share']
    """
    return load_table("events", lang=lang, data_dir=data_dir)


def load_survey(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the June user survey (用户调研): profile, 1–5 Likert items, 0–10 recommend, free text.

    Skipped Likert answers are missing (``Int64`` with ``<NA>``);
    anonymous respondents have no ``user_id``.

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per questionnaire.

    Examples
    --------
    >>> s = load_survey()
    >>> str(s["pref_comic"].dtype)
    'Int64'
    >>> bool(s["pref_comic"].dropna().between(1, 5).all())
    True
    """
    return load_table("survey", lang=lang, data_dir=data_dir)


def load_ab_tests(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the headline tests (标题测试): delivered and reads per variant.

    read rate of a variant = reads / delivered; compare two variants with a
    two-proportion z-test, not by eye.

    Parameters
    ----------
    lang : {"en", "zh"}
        Channel labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per test and variant.

    Examples
    --------
    >>> ab = load_ab_tests()
    >>> bool(ab.groupby("test_id")["variant"].count().eq(2).all())
    True
    """
    return load_table("ab_tests", lang=lang, data_dir=data_dir)


def load_experiments(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the mini-program experiments (小程序实验), summed by day: users, orders, revenue per arm.

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per experiment, day and arm.

    Examples
    --------
    >>> load_experiments()["kind"].cat.categories.tolist()
    ['conversion', 'peeking', 'holdout']
    """
    return load_table("experiments", lang=lang, data_dir=data_dir)


def load_collabs(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the KOL and media collaborations (合作): fee, deliverables and results of each collab post.

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per collaboration.

    Examples
    --------
    >>> load_collabs()["partner_type"].cat.categories.tolist()
    ['kol', 'media']
    """
    return load_table("collabs", lang=lang, data_dir=data_dir)


def load_spend(*, lang: str = "en", data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load monthly spend (花费) by channel and kind: ads, KOL, campaign, staff (元).

    Parameters
    ----------
    lang : {"en", "zh"}
        Category labels: English codes or Chinese (广告投放, KOL合作, 活动经费, 人力).
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    DataFrame
        One row per month, channel and kind (zeros included).

    Examples
    --------
    >>> sp = load_spend()
    >>> len(sp) == 12 * 6 * 4
    True
    """
    return load_table("spend", lang=lang, data_dir=data_dir)


def load_manifest(*, data_dir: str | Path | None = None) -> dict:
    """Load ``manifest.json``: seed, year, row counts and start-of-year followers (年初粉丝数).

    Parameters
    ----------
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    dict
        The manifest.

    Examples
    --------
    >>> m = load_manifest()
    >>> m["year"], sorted(m["start_followers"]) == sorted(CHANNELS)
    (2025, True)
    """
    with _open("manifest.json", data_dir) as fh:
        return json.loads(fh.read().decode("utf-8"))


def load_facebook_metrics() -> pd.DataFrame:
    """Load the real Facebook metrics dataset (真实数据：Facebook 主页帖子指标).

    500 posts published in 2014 on the Facebook page of a worldwide cosmetics
    brand, with lifetime post metrics exactly as Facebook Insights exported
    them (reach, impressions, engaged users, consumers, comments, likes,
    shares, total interactions) and seven inputs (page total likes, type,
    category, month, weekday, hour, paid). Column names are kept as in the
    original file. Missing values: ``Paid`` 1, ``like`` 1, ``share`` 4
    (nullable ``Int64``).

    Source: UCI Machine Learning Repository, "Facebook metrics" (dataset 368),
    licensed under Creative Commons Attribution 4.0 International (CC BY 4.0).
    Cite: S. Moro, P. Rita, B. Vala. "Predicting social media performance
    metrics and evaluation of the impact on brand building: A data mining
    approach." Journal of Business Research 69(9), 2016, 3341-3351.
    doi:10.1016/j.jbusres.2016.02.010

    Trap: the pooled rate (Σ interactions / Σ reach, 1.53%) differs from the
    mean of per-post rates (2.41%).

    Returns
    -------
    DataFrame
        500 rows, 19 columns.

    Examples
    --------
    >>> fb = load_facebook_metrics()
    >>> fb.shape
    (500, 19)
    >>> fb["Type"].value_counts().to_dict()
    {'Photo': 426, 'Status': 45, 'Link': 22, 'Video': 7}
    >>> int(fb["share"].isna().sum())
    4
    """
    dtypes = {"Type": "category", "Paid": "Int64", "like": "Int64", "share": "Int64"}
    with _open("facebook_metrics.csv", None) as fh:
        return pd.read_csv(fh, dtype=dtypes)


def describe_table(name: str) -> pd.DataFrame:
    """Show the Chinese data dictionary (数据字典) of one table.

    Parameters
    ----------
    name : str
        One of :data:`TABLE_NAMES`.

    Returns
    -------
    DataFrame
        One row per column: 列名, 中文名, 类型, 说明, description.

    Examples
    --------
    >>> d = describe_table("posts")
    >>> d.columns.tolist()
    ['列名', '中文名', '类型', '说明', 'description']
    >>> d.loc[d["列名"] == "delivered", "中文名"].item()
    '送达人数'
    """
    _check_table(name)
    rows = [(c.name, c.zh, c.kind, c.desc_zh, c.desc_en) for c in TABLES[name].columns]
    return pd.DataFrame(rows, columns=["列名", "中文名", "类型", "说明", "description"])


def data_dictionary() -> pd.DataFrame:
    """The whole data dictionary (数据字典) as one table: every column of every table.

    Returns
    -------
    DataFrame
        Columns 表, 表中文名, 列名, 中文名, 类型, 说明, description.

    Examples
    --------
    >>> dd = data_dictionary()
    >>> sorted(dd["表"].unique()) == sorted(TABLE_NAMES)
    True
    """
    frames = []
    for name, table in TABLES.items():
        d = describe_table(name)
        d.insert(0, "表中文名", table.zh)
        d.insert(0, "表", name)
        frames.append(d)
    return pd.concat(frames, ignore_index=True)


def export_path(name: str, *, data_dir: str | Path | None = None) -> Path:
    """Path of a messy platform export (平台导出文件) written from the same posts.

    Parameters
    ----------
    name : {"wechat", "toutiao", "xiaohongshu", "douyin"}
        Which platform's export. See ``nmops.datasets.dictionary.EXPORTS``
        for encoding, header row and quirks.
    data_dir : str or Path, optional
        Generated data folder instead of the shipped data.

    Returns
    -------
    Path
        The file on disk.

    Examples
    --------
    >>> export_path("wechat").name
    'wechat_notified_content.csv'
    >>> import pandas as pd
    >>> raw = pd.read_csv(export_path("wechat"), encoding="gb18030", dtype=str)
    >>> raw.columns[:3].tolist()
    ['内容标题', '发表时间', '总阅读人数']
    """
    if name not in EXPORTS:
        raise NmopsInputError(
            f"没有名为 {name!r} 的导出文件；可用：{'、'.join(EXPORTS)}。"
            f" / unknown export {name!r}; known: {', '.join(EXPORTS)}."
        )
    filename = EXPORTS[name].file
    if data_dir is not None:
        path = Path(data_dir) / "exports" / filename
    else:
        path = Path(str(resources.files("nmops.datasets").joinpath("data", "exports", filename)))
    if not path.is_file():
        raise NmopsInputError(
            f"找不到导出文件 {path}：请重新安装 nmops，或先运行 nmops-generate-data 生成数据。"
            f" / export file {path} not found."
        )
    return path
