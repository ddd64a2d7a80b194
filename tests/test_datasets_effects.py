"""Planted effects are there, measured the way a learner would (埋设效应).

Each test computes the learner's statistic in plain pandas / statsmodels /
scipy and asserts the direction and a meaningful margin, never an exact
value. The measured strengths are quoted in docs/instructor-data.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu, spearmanr
from statsmodels.stats.proportion import proportions_ztest

import nmops.datasets as ds


@pytest.fixture(scope="module")
def t():
    return {name: ds.load_table(name) for name in ds.TABLE_NAMES}


def test_zhihu_small_reach_best_conversion_weibo_toutiao_weakest(t):
    posts, users, orders = t["posts"], t["users"], t["orders"]
    reach = posts.groupby("channel", observed=True)["impressions"].sum()
    assert reach.idxmin() == "zhihu"
    users = users[users["first_visit_id"].notna()]  # users who first came this year
    buyer = users["user_id"].isin(orders["user_id"])
    conv = buyer.groupby(users["first_channel"], observed=True).mean()
    assert conv.idxmax() == "zhihu" and conv.idxmin() in ("weibo", "toutiao")
    assert conv["zhihu"] >= 3 * conv.min()
    assert conv.drop(["zhihu"]).max() < 0.8 * conv["zhihu"]


def test_visit_conversion_ranks_zhihu_above_weibo_and_toutiao(t):
    v = t["visits"]
    ordered = v["visit_id"].isin(t["orders"]["visit_id"])
    rate = ordered.groupby(v["utm_source"]).mean()
    assert rate["zhihu"] >= 1.3 * max(rate["weibo"], rate["toutiao"])


def test_giveaway_followers_leave_within_30_days(t):
    fe, c = t["follower_events"], t["campaigns"]
    follows = fe[fe["event"] == "follow"]
    follows = follows[follows["event_time"] < follows["event_time"].max() - pd.Timedelta(days=30)]
    left = fe[fe["event"] == "unfollow"].set_index("follower_id")["event_time"]
    gone = (follows["follower_id"].map(left) - follows["event_time"]) <= pd.Timedelta(days=30)
    giveaway = follows["campaign_id"].isin(c.loc[c["kind"] == "giveaway", "campaign_id"])
    content = follows["source"].isin(["post", "search", "recommend", "other"])
    kept_giveaway = 1 - gone[giveaway].mean()
    kept_content = 1 - gone[content].mean()
    assert giveaway.sum() >= 300
    assert kept_content >= 0.85
    assert kept_giveaway <= 0.7
    assert kept_content - kept_giveaway >= 0.2


def test_comics_are_shared_most(t):
    p = t["posts"][t["posts"]["campaign_id"].isna()]
    # within each channel that publishes comics: pooled and per-post share rates
    for ch in ("wechat", "weibo"):
        q = p[p["channel"] == ch]
        g = q.groupby("content_type", observed=True)[["shares", "reads"]].sum()
        rate = g["shares"] / g["reads"]
        assert rate.idxmax() == "comic", ch
        assert rate["comic"] >= 1.5 * rate["article"], ch
        per_post = (q["shares"] / q["reads"]).groupby(q["content_type"], observed=True).mean()
        assert per_post.idxmax() == "comic", ch


def _ztest(ab: pd.DataFrame, test_id: str):
    rows = ab[ab["test_id"] == test_id].set_index("variant")
    counts = np.array([rows.loc["B", "reads"], rows.loc["A", "reads"]])
    nobs = np.array([rows.loc["B", "delivered"], rows.loc["A", "delivered"]])
    z, p = proportions_ztest(counts, nobs)
    return z, p, counts / nobs


def test_headline_test_t01_has_a_real_winner(t):
    z, p, (rate_b, rate_a) = _ztest(t["ab_tests"], "T01")
    assert p < 0.01
    assert rate_b > rate_a * 1.1


def test_headline_test_t02_winner_is_only_noise(t):
    z, p, (rate_b, rate_a) = _ztest(t["ab_tests"], "T02")
    assert rate_b > rate_a  # looks like a winner by eye
    assert p > 0.3


def test_evening_wechat_posts_are_opened_more(t):
    p = t["posts"]
    w = p[(p["channel"] == "wechat") & p["campaign_id"].isna() & ~p["boosted"]]
    rate = w["reads"] / w["delivered"].astype("float64")
    hour = w["published_at"].dt.hour
    evening, morning = rate[hour.between(19, 21)], rate[hour.between(7, 8)]
    assert len(evening) >= 20 and len(morning) >= 20
    assert evening.median() >= 1.15 * morning.median()
    assert mannwhitneyu(evening, morning, alternative="greater").pvalue < 0.01


def test_ad_spend_has_diminishing_returns(t):
    import statsmodels.formula.api as smf

    p, s = t["posts"], t["spend"]
    paid = p[p["boosted"]]
    per_month = paid.groupby([paid["published_at"].dt.to_period("M").dt.to_timestamp().rename("month"),
                              paid["channel"].astype(str).rename("channel")])["link_clicks"].sum().rename("clicks").reset_index()
    ads = s[s["kind"] == "ads"].assign(channel=lambda d: d["channel"].astype(str))
    m = ads.merge(per_month, on=["month", "channel"], how="left").fillna({"clicks": 0})
    m = m[(m["amount"] > 0) & (m["clicks"] > 0)]
    fit = smf.ols("np.log(clicks) ~ np.log(amount) + C(channel)", data=m).fit()
    assert fit.params["np.log(amount)"] < 0.6
    low, high = fit.conf_int().loc["np.log(amount)"]
    assert low > 0  # more spend does buy more clicks ...
    assert high < 0.8  # ... but doubling spend buys far less than double


def test_content_users_are_stickier_than_giveaway_users(t):
    u, v, c, e = t["users"], t["visits"], t["campaigns"], t["events"]
    first = u.merge(v[["visit_id", "utm_campaign"]], left_on="first_visit_id", right_on="visit_id")
    first = first.merge(c[["campaign_id", "kind"]], left_on="utm_campaign", right_on="campaign_id", how="left")
    cutoff = pd.Timestamp(f"{e['event_time'].dt.year.iloc[0]}-12-17")
    first = first[first["first_seen"] < cutoff]
    content = first.loc[first["first_touch"] == "content", "user_id"]
    giveaway = first.loc[first["kind"] == "giveaway", "user_id"]
    e = e.merge(first[["user_id", "first_seen"]], on="user_id")
    day = (e["event_time"].dt.normalize() - e["first_seen"].dt.normalize()).dt.days
    retained = set(e.loc[day.between(7, 13), "user_id"])
    r_content = content.isin(retained).mean()
    r_giveaway = giveaway.isin(retained).mean()
    assert len(giveaway) > 500
    assert r_content >= 2 * r_giveaway


def test_mid_autumn_sales_peak(t):
    o = t["orders"]
    year = o["ordered_at"].dt.year.iloc[-1]
    o = o[o["ordered_at"].dt.year == year]
    from nmops.datasets._calendar import LUNAR_FESTIVALS

    ma = pd.Timestamp(LUNAR_FESTIVALS[year][2])
    window = o[(o["ordered_at"] >= ma - pd.Timedelta(days=25)) & (o["ordered_at"] < ma + pd.Timedelta(days=1))]
    per_day_window = window["amount"].sum() / 26
    per_day_year = o["amount"].sum() / 365
    assert per_day_window >= 2 * per_day_year
    category = window["product_id"].map(t["products"].set_index("product_id")["category"])
    assert (category == "mooncake").mean() > 0.5


def test_young_respondents_prefer_video_older_prefer_articles(t):
    s = t["survey"].dropna(subset=["age_band"])
    code = s["age_band"].cat.codes
    assert (code >= 0).all()  # a missing band would be code -1, read as younger than 18-24
    video = s["pref_short_video"].astype("float64")
    ok = video.notna()
    rho, p = spearmanr(code[ok], video[ok])
    assert rho < -0.3 and p < 0.001
    means = s.groupby("age_band", observed=True)["pref_short_video"].mean()
    assert means["18-24"] - means["45+"] >= 0.8
    art = s.groupby("age_band", observed=True)["pref_article"].mean()
    assert art["45+"] - art["18-24"] >= 0.5


def test_survey_says_tea_and_local_stories_are_wanted_and_posts_confirm(t):
    s, p = t["survey"], t["posts"]
    items = s[[c for c in s.columns if c.startswith(("pref_", "need_"))]].mean().sort_values()
    assert set(items.index[-3:]) >= {"need_tea_knowledge", "need_local_culture"}
    q = p[p["campaign_id"].isna()].groupby("topic", observed=True)[["follows_gained", "reads"]].sum()
    per_1000 = 1000 * q["follows_gained"] / q["reads"]
    assert per_1000["tea"] >= 1.5 * per_1000["goods"]
    assert per_1000["local"] >= 1.5 * per_1000["goods"]


def test_last_touch_undervalues_zhihu(t):
    o = t["orders"][t["orders"]["store"] == "mini_program"]
    o = o.merge(t["users"][["user_id", "first_channel"]], on="user_id")
    o = o.merge(t["visits"][["visit_id", "utm_source"]], on="visit_id")
    total = o["amount"].sum()
    first = o.groupby("first_channel", observed=True)["amount"].sum() / total
    last = o.groupby("utm_source")["amount"].sum() / total
    assert first["zhihu"] >= 2.5 * last["zhihu"]
    assert first["zhihu"] / last["zhihu"] > first["wechat"] / last["wechat"]


def test_evening_lead_articles_have_a_higher_push_open_rate(t):
    p = t["posts"]
    w = p[(p["channel"] == "wechat") & p["campaign_id"].isna() & ~p["boosted"] & (p["position"] == 1)]
    rate = w["reads_push"] / w["delivered"].astype("float64")
    hour = w["published_at"].dt.hour
    assert rate[hour.between(19, 21)].median() >= 1.15 * rate[hour.between(7, 8)].median()


def test_a_novice_joined_mid_year_so_has_fewer_posts(t):
    staff, posts = t["staff"], t["posts"]
    year = posts["published_at"].dt.year.iloc[0]
    late = staff[(staff["level"] == "novice") & (staff["joined"] > pd.Timestamp(year, 6, 1))]
    assert len(late) == 1
    counts = posts["author"].value_counts()
    early = staff[(staff["level"] == "novice") & (staff["joined"] <= pd.Timestamp(year, 1, 31))]["author"]
    assert counts[late["author"].iloc[0]] < 0.7 * counts[early.iloc[0]]


def _arms(t, experiment_id):
    e = t["experiments"]
    return e[e["experiment_id"] == experiment_id].groupby("arm", observed=True)[["users", "orders", "revenue"]].sum()


def test_mini_program_conversion_test_has_a_real_winner(t):
    arms = _arms(t, "X01")
    z, p = proportions_ztest(arms.loc[["B", "A"], "orders"].to_numpy(), arms.loc[["B", "A"], "users"].to_numpy())
    assert p < 0.01 and z > 0
    rpv = arms["revenue"] / arms["users"]
    assert rpv["B"] >= 1.1 * rpv["A"]


def test_a_daily_peeker_would_stop_the_null_test_early_and_wrongly(t):
    e = t["experiments"]
    daily = e[e["experiment_id"] == "X02"].pivot_table(index="date", columns="arm", values=["users", "orders"],
                                                       aggfunc="sum", observed=True).cumsum()
    p_by_day = [proportions_ztest(daily["orders"].iloc[i].to_numpy(), daily["users"].iloc[i].to_numpy())[1]
                for i in range(len(daily))]
    assert min(p_by_day[:10]) < 0.05  # someone peeking daily would have called it
    assert p_by_day[-1] > 0.3  # the full test shows nothing


def test_holdout_measures_the_paid_campaigns_increment(t):
    arms = _arms(t, "X03")
    share = arms.loc["holdout", "users"] / arms["users"].sum()
    assert 0.08 <= share <= 0.12  # a randomized 10 % holdout
    cr = arms["orders"] / arms["users"]
    z, p = proportions_ztest(arms.loc[["treatment", "holdout"], "orders"].to_numpy(), arms.loc[["treatment", "holdout"], "users"].to_numpy())
    assert p < 0.05 and z > 0
    incremental = arms.loc["treatment", "users"] * (cr["treatment"] - cr["holdout"])
    # most buyers in the exposed group would have bought anyway: the increment is a minority of their orders
    assert 0.05 <= incremental / arms.loc["treatment", "orders"] <= 0.5


def test_the_biggest_douyin_video_lifts_search_and_direct_first_visits(t):
    p, u = t["posts"], t["users"]
    top = p[p["channel"] == "douyin"].nlargest(1, "reads").iloc[0]
    assert not t["visits"]["utm_source"].eq("douyin").any()  # no link from Douyin to the mini-program
    new = u[u["first_visit_id"].notna() & (u["first_touch"] == "organic")].set_index("first_seen").resample("D").size()
    day0 = top["published_at"].normalize()
    before = new[day0 - pd.Timedelta(days=14): day0 - pd.Timedelta(days=1)].mean()
    after = new[day0: day0 + pd.Timedelta(days=4)].mean()
    assert after >= 1.5 * before
