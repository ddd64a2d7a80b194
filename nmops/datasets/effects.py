"""Measure the planted effects of the sample data (教师用：埋设效应的实测强度).

For instructors: ``python -m nmops.datasets.effects [--data-dir DIR]`` prints
how strong each planted effect is in the shipped data or in a generated year
(for example a capstone year made with another seed), measured with the
statistic a learner would compute. ``docs/instructor-data.md`` quotes these
figures for the shipped data. Do not show this to learners before they have
found the effects themselves.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

import nmops.datasets as ds

__all__ = ["TUNED_RANGES", "measure_effects", "platform_figures", "main"]


def _z_test(r1: int, n1: int, r2: int, n2: int) -> tuple[float, float]:
    """Pooled two-proportion z-test (B minus A), two-sided p."""
    from scipy.stats import norm

    p = (r1 + r2) / (n1 + n2)
    se = np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
    z = (r2 / n2 - r1 / n1) / se
    return float(z), float(2 * norm.sf(abs(z)))


#: figure -> (low, high, source key); the sources are cited in docs/instructor-data.md §3
TUNED_RANGES: dict[str, tuple[float, float, str]] = {
    "wechat_open_rate_lead": (0.01, 0.05, "weixiaobao2019"),
    "wechat_open_rate_secondary_vs_lead": (0.2, 0.6, "estimate"),
    "wechat_read_rate_lead": (0.02, 0.08, "weixiaobao2019"),
    "wechat_reads_from_push": (0.45, 0.75, "weixiaobao2019"),
    "wechat_reads_from_moments": (0.12, 0.35, "weixiaobao2019"),
    "wechat_share_rate": (0.015, 0.05, "weixiaobao2019"),
    "wechat_viral_reads": (100_000, 200_000, "estimate"),
    "wechat_reads_after_day_3": (0.0, 0.1, "estimate"),
    "weibo_reads_per_impression": (0.8, 1.0, "weibo_definition"),
    "weibo_like_rate": (0.001, 0.01, "estimate"),
    "douyin_median_plays": (1_000, 8_000, "estimate"),
    "douyin_p99_over_median": (5, 200, "estimate"),
    "douyin_max_over_median": (20, 500, "estimate"),
    "douyin_like_rate": (0.02, 0.06, "estimate"),
    "zhihu_follows_per_1000_reads": (1.0, 5.0, "estimate"),
    "zhihu_reads_after_day_30": (0.2, 0.5, "estimate"),
    "toutiao_reads_per_impression": (0.04, 0.15, "estimate"),
    "toutiao_reads_after_day_30": (0.0, 0.05, "estimate"),
    "xiaohongshu_like_rate": (0.02, 0.08, "estimate"),
    "xiaohongshu_save_rate": (0.015, 0.06, "estimate"),
    "xiaohongshu_comment_rate": (0.002, 0.01, "estimate"),
    "wechat_visits_per_click": (0.8, 0.95, "estimate"),
    "h5_visits_per_click": (0.4, 0.8, "estimate"),
    "weibo_giveaway_reposts_per_entrant": (1.0, float("inf"), "weibo_definition"),
}


def platform_figures(data_dir: str | Path | None = None) -> dict[str, float]:
    """Measure each platform magnitude of :data:`TUNED_RANGES` (平台指标实测).

    Parameters
    ----------
    data_dir : str or Path, optional
        Generated data folder; default: the shipped data.

    Returns
    -------
    dict
        Figure name -> measured value (rates as fractions).

    Examples
    --------
    >>> fig = platform_figures()
    >>> lo, hi, _ = TUNED_RANGES["wechat_open_rate_lead"]
    >>> lo <= fig["wechat_open_rate_lead"] <= hi
    True
    """
    kw = {"data_dir": data_dir}
    posts = ds.load_posts(**kw)
    daily = ds.load_post_daily_reads(**kw)
    visits = ds.load_visits(**kw)
    campaigns = ds.load_campaigns(**kw)
    parts = ds.load_participants(**kw)
    ordinary = posts[posts["campaign_id"].isna() & ~posts["boosted"] & (posts["content_type"] != "collab")]
    ch = {c: posts[posts["channel"] == c] for c in ds.CHANNELS}
    out: dict[str, float] = {}

    wx = ordinary[ordinary["channel"] == "wechat"]
    open_rate = wx["reads_push"] / wx["delivered"].astype("float64")
    lead = open_rate[wx["position"] == 1].median()
    out["wechat_open_rate_lead"] = float(lead)
    out["wechat_open_rate_secondary_vs_lead"] = float(open_rate[wx["position"] == 2].median() / lead)
    out["wechat_read_rate_lead"] = float((wx["reads"] / wx["delivered"].astype("float64"))[wx["position"] == 1].median())
    w_all = ch["wechat"]
    viral = w_all["reads"].idxmax()
    rest = w_all.drop(index=viral)
    out["wechat_reads_from_push"] = float(rest["reads_push"].sum() / rest["reads"].sum())
    out["wechat_reads_from_moments"] = float(rest["reads_moments"].sum() / rest["reads"].sum())
    out["wechat_share_rate"] = float(wx["shares"].sum() / wx["reads"].sum())
    out["wechat_viral_reads"] = float(w_all.loc[viral, "reads"])
    d = daily.merge(posts[["post_id", "channel"]], on="post_id")
    full = d.groupby("post_id")["age_days"].transform("max") == 89  # posts with all 90 days in the year
    d = d[full]
    for c, after in (("wechat", 3), ("zhihu", 30), ("toutiao", 30)):
        dc = d[d["channel"] == c]
        if f"{c}_reads_after_day_{after}" in TUNED_RANGES:
            out[f"{c}_reads_after_day_{after}"] = float(dc.loc[dc["age_days"] >= after, "reads"].sum() / dc["reads"].sum())

    wb = ordinary[ordinary["channel"] == "weibo"]
    out["weibo_reads_per_impression"] = float((wb["reads"] / wb["impressions"]).median())
    out["weibo_like_rate"] = float(ch["weibo"]["likes"].sum() / ch["weibo"]["reads"].sum())
    dy = ordinary[ordinary["channel"] == "douyin"]
    out["douyin_median_plays"] = float(dy["reads"].median())
    out["douyin_p99_over_median"] = float(dy["reads"].quantile(0.99) / dy["reads"].median())
    out["douyin_max_over_median"] = float(dy["reads"].max() / dy["reads"].median())
    out["douyin_like_rate"] = float(ch["douyin"]["likes"].sum() / ch["douyin"]["reads"].sum())
    zh = ch["zhihu"]
    out["zhihu_follows_per_1000_reads"] = float(1000 * zh["follows_gained"].sum() / zh["reads"].sum())
    tt = ordinary[ordinary["channel"] == "toutiao"]
    out["toutiao_reads_per_impression"] = float(tt["reads"].sum() / tt["impressions"].sum())
    xhs = ch["xiaohongshu"]
    for name, col in (("like", "likes"), ("save", "favorites"), ("comment", "comments")):
        out[f"xiaohongshu_{name}_rate"] = float(xhs[col].sum() / xhs["reads"].sum())

    tagged = visits["utm_content"].value_counts()
    vis = posts["post_id"].map(tagged).fillna(0)
    per = vis.groupby(posts["channel"], observed=True).sum() / posts.groupby("channel", observed=True)["link_clicks"].sum()
    out["wechat_visits_per_click"] = float(per["wechat"])
    out["h5_visits_per_click"] = float(per[["weibo", "zhihu", "toutiao"]].max())
    ratios = []
    for cid in campaigns.loc[(campaigns["channel"] == "weibo") & (campaigns["kind"] == "giveaway"), "campaign_id"]:
        entrants = parts.loc[(parts["campaign_id"] == cid) & (parts["step"] == "participate"), "user_id"].nunique()
        ratios.append(posts.loc[posts["campaign_id"] == cid, "shares"].sum() / max(entrants, 1))
    out["weibo_giveaway_reposts_per_entrant"] = float(min(ratios))
    return out


def measure_effects(data_dir: str | Path | None = None) -> dict[str, object]:
    """Compute every planted effect's strength (埋设效应强度).

    Parameters
    ----------
    data_dir : str or Path, optional
        Generated data folder; default: the shipped data.

    Returns
    -------
    dict
        Effect name -> figures (floats, Series or dicts).

    Examples
    --------
    >>> fx = measure_effects()
    >>> fx["conversion_by_first_channel"].idxmax(), fx["conversion_by_first_channel"].idxmin()
    ('zhihu', 'weibo')
    """
    kw = {"data_dir": data_dir}
    posts = ds.load_posts(**kw)
    users = ds.load_users(**kw)
    orders = ds.load_orders(**kw)
    visits = ds.load_visits(**kw)
    events = ds.load_events(**kw)
    campaigns = ds.load_campaigns(**kw)
    follower_events = ds.load_follower_events(**kw)
    spend = ds.load_spend(**kw)
    ab = ds.load_ab_tests(**kw)
    survey = ds.load_survey(**kw)
    out: dict[str, object] = {}
    mini = orders[orders["store"] == "mini_program"]

    # 1. reach and conversion by channel (mini-program users; Douyin and Xiaohongshu sell in their own shops)
    out["impressions_by_channel"] = posts.groupby("channel", observed=True)["impressions"].sum()
    year = int(posts["published_at"].dt.year.iloc[0])
    orders = orders[orders["ordered_at"].dt.year == year]  # orders carried in from earlier years aside
    mini = orders[orders["store"] == "mini_program"]
    users = users[users["first_visit_id"].notna()]  # users who first came this year
    users = users.assign(buyer=users["user_id"].isin(set(mini["user_id"])))
    out["conversion_by_first_channel"] = users.groupby("first_channel", observed=True)["buyer"].mean()
    vo = visits.assign(ordered=visits["visit_id"].isin(set(mini["visit_id"])))
    out["visit_conversion_by_source"] = vo.groupby("utm_source")["ordered"].mean()
    out["revenue_by_store"] = orders.groupby("store", observed=True)["amount"].sum()

    # 2. giveaway followers leave: share of follows still there 30 days later, by source
    fo = follower_events[follower_events["event"] == "follow"]
    fo = fo[fo["event_time"] < fo["event_time"].max() - pd.Timedelta(days=30)]
    left = follower_events[follower_events["event"] == "unfollow"].set_index("follower_id")["event_time"]
    kept = ~((fo["follower_id"].map(left) - fo["event_time"]) <= pd.Timedelta(days=30))
    giveaway_ids = set(campaigns.loc[campaigns["kind"] == "giveaway", "campaign_id"])
    group = np.where(fo["campaign_id"].isin(giveaway_ids), "giveaway", fo["source"].astype(str))
    out["follower_30d_retention_by_source"] = kept.groupby(group).mean()

    # 3. share rate by content type, within channels (ordinary posts)
    ordinary = posts[posts["campaign_id"].isna()]
    for ch in ("wechat", "weibo"):
        w = ordinary[ordinary["channel"] == ch].groupby("content_type", observed=True)[["shares", "reads"]].sum()
        out[f"share_rate_{ch}"] = w["shares"] / w["reads"]

    # 4. A/B tests
    tests = {}
    for tid, t in ab.groupby("test_id"):
        a = t[t["variant"] == "A"].iloc[0]
        b = t[t["variant"] == "B"].iloc[0]
        z, p = _z_test(int(a["reads"]), int(a["delivered"]), int(b["reads"]), int(b["delivered"]))
        tests[tid] = {"rate_A": a["reads"] / a["delivered"], "rate_B": b["reads"] / b["delivered"], "z": z, "p": p}
    out["ab_tests"] = pd.DataFrame(tests).T

    # 5. evening posts on WeChat: push open rate of lead articles = reads_push / delivered
    wp = posts[(posts["channel"] == "wechat") & posts["campaign_id"].isna() & ~posts["boosted"] & (posts["position"] == 1)].copy()
    wp["open_rate"] = wp["reads_push"] / wp["delivered"].astype("float64")
    hour = wp["published_at"].dt.hour
    ev = wp.loc[hour.between(19, 21), "open_rate"]
    mo = wp.loc[hour.between(7, 8), "open_rate"]
    out["wechat_open_rate_evening_vs_morning"] = {
        "evening_median": float(ev.median()),
        "morning_median": float(mo.median()),
        "ratio": float(ev.median() / mo.median()),
        "n_evening": int(len(ev)),
        "n_morning": int(len(mo)),
    }

    # 6. diminishing returns of ads: log link clicks of boosted posts ~ log ads spend + channel
    paid = posts[posts["boosted"]]
    pc = paid.groupby([paid["published_at"].dt.to_period("M").dt.to_timestamp(), paid["channel"].astype(str)])["link_clicks"].sum()
    ads = spend[spend["kind"] == "ads"].set_index(["month", "channel"])["amount"]
    ads.index = ads.index.set_levels(ads.index.levels[1].astype(str), level=1)
    m = pd.DataFrame({"ads": ads, "clicks": pc.reindex(ads.index).fillna(0)}).reset_index()
    m = m[(m["ads"] > 0) & (m["clicks"] > 0)]
    import statsmodels.formula.api as smf

    fit = smf.ols("np.log(clicks) ~ np.log(ads) + C(channel)", data=m).fit()
    lo, hi = fit.conf_int().loc["np.log(ads)"]
    out["ads_elasticity"] = {"slope": float(fit.params["np.log(ads)"]), "ci_low": float(lo), "ci_high": float(hi), "n": int(len(m))}

    # 7. retention: content users vs giveaway users, active on days 7-13 after the first visit
    first = users.merge(visits[["visit_id", "utm_campaign"]], left_on="first_visit_id", right_on="visit_id")
    first = first.merge(campaigns[["campaign_id", "kind"]], left_on="utm_campaign", right_on="campaign_id", how="left")
    first["group"] = np.where(first["first_touch"] == "content", "content",
                              np.where(first["kind"] == "giveaway", "giveaway",
                                       np.where(first["first_touch"] == "campaign", "other_campaign", "organic")))
    last_day = events["event_time"].max().normalize()
    first = first[first["first_seen"].dt.normalize() <= last_day - pd.Timedelta(days=14)]
    e = events[["user_id", "event_time"]].merge(first[["user_id", "first_seen"]], on="user_id")
    d = (e["event_time"].dt.normalize() - e["first_seen"].dt.normalize()).dt.days
    active = set(e.loc[d.between(7, 13), "user_id"])
    first["retained"] = first["user_id"].isin(active)
    out["week2_retention"] = first.groupby("group")["retained"].mean()

    # 8. seasonality: revenue by month (every store)
    rev = orders.set_index("ordered_at")["amount"].resample("D").sum()
    out["revenue_by_month"] = orders.groupby(orders["ordered_at"].dt.month)["amount"].sum()
    out["revenue_peak_month_ratio"] = float(out["revenue_by_month"].max() / out["revenue_by_month"].median())
    out["daily_revenue_mean"] = float(rev.mean())

    # 9. survey
    s = survey
    out["survey_short_video_by_age"] = s.groupby("age_band", observed=True)["pref_short_video"].mean()
    out["survey_tea_knowledge_zhihu_vs_rest"] = {
        "zhihu": float(s.loc[s["found_via"] == "zhihu", "need_tea_knowledge"].mean()),
        "rest": float(s.loc[s["found_via"] != "zhihu", "need_tea_knowledge"].mean()),
    }
    out["survey_item_means"] = s[[c for c in s.columns if c.startswith(("pref_", "need_"))]].mean().sort_values()

    # 10. topic: follows per 1,000 reads
    tp = ordinary.groupby("topic", observed=True)[["follows_gained", "reads"]].sum()
    out["follows_per_1000_reads_by_topic"] = 1000 * tp["follows_gained"] / tp["reads"]

    # 11. attribution of mini-program revenue: first touch vs last touch ("direct" = no UTM)
    o = mini.merge(users[["user_id", "first_channel"]], on="user_id").merge(visits[["visit_id", "utm_source"]], on="visit_id")
    out["revenue_share_first_touch"] = o.groupby(o["first_channel"].astype(object).fillna("direct"))["amount"].sum() / o["amount"].sum()
    out["revenue_share_last_touch"] = o.groupby(o["utm_source"].fillna("direct"))["amount"].sum() / o["amount"].sum()

    # 12. experiments on the mini-program: pooled over days
    ex = ds.load_experiments(**kw)
    arms = ex.groupby(["experiment_id", "arm"], observed=True)[["users", "orders", "revenue"]].sum()
    arms["order_rate"] = arms["orders"] / arms["users"]
    arms["revenue_per_user"] = arms["revenue"] / arms["users"]
    out["experiments"] = arms
    h = arms.loc["X03"]
    out["holdout_incremental_share_of_orders"] = float(
        h.loc["treatment", "users"] * (h.loc["treatment", "order_rate"] - h.loc["holdout", "order_rate"]) / h.loc["treatment", "orders"])

    # 13. the biggest Douyin video lifts new organic (search / direct) users of the mini-program
    dy = posts[posts["channel"] == "douyin"].nlargest(1, "reads").iloc[0]
    day0 = dy["published_at"].normalize()
    new = users[users["first_touch"] == "organic"].set_index("first_seen").resample("D").size()
    before = new[day0 - pd.Timedelta(days=14): day0 - pd.Timedelta(days=1)].mean()
    after = new[day0: day0 + pd.Timedelta(days=4)].mean()
    out["douyin_top_video_organic_lift"] = {"post_id": dy["post_id"], "plays": int(dy["reads"]),
                                            "new_organic_users_before": float(before), "after": float(after),
                                            "ratio": float(after / before)}

    # 14. the viral 中秋 story
    wx = posts[posts["channel"] == "wechat"]
    top = wx.loc[wx["reads"].idxmax()]
    out["wechat_viral_article"] = {"title": top["title"], "reads": int(top["reads"]),
                                   "moments_share": float(top["reads_moments"] / top["reads"]),
                                   "delivered": int(top["delivered"])}
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Print the measured strength of every planted effect."""
    parser = argparse.ArgumentParser(description="打印示例数据中埋设效应的实测强度（教师用）。")
    parser.add_argument("--data-dir", default=None, help="生成的数据文件夹；默认是随包数据")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 120)
    print("== platform figures (measured / tuned range / source)")
    for key, value in platform_figures(args.data_dir).items():
        lo, hi, src = TUNED_RANGES[key]
        flag = "" if lo <= value <= hi else "  <-- outside"
        print(f"{key:<38}{value:>14.4f}   [{lo:g}, {hi:g}]  {src}{flag}")
    print()
    for key, value in measure_effects(args.data_dir).items():
        print(f"== {key}")
        print(value)
        print()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
