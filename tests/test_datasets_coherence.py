"""The sample tables agree with each other (数据一致性).

Each check is written from the definition in the issue and the data
dictionary, in plain pandas, independently of the generator's code.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest

import nmops.datasets as ds


@pytest.fixture(scope="module")
def t():
    return {name: ds.load_table(name) for name in ds.TABLE_NAMES}


# ---------------------------------------------------------------- posts <-> visits
def test_link_clicks_are_more_than_the_visits_they_bring(t):
    posts, visits = t["posts"], t["visits"]
    counted = visits["utm_content"].value_counts()
    visits_of_post = posts["post_id"].map(counted).fillna(0).astype("int64")
    assert (posts["link_clicks"] >= visits_of_post).all()
    # page-load loss differs by platform: WeChat opens the mini-program in-app
    by_ch = visits_of_post.groupby(posts["channel"], observed=True).sum() / posts.groupby("channel", observed=True)["link_clicks"].sum()
    assert 0.8 <= by_ch["wechat"] <= 0.95
    for ch in ("weibo", "zhihu", "toutiao"):
        assert 0.4 <= by_ch[ch] <= 0.8, ch
    # Douyin and Xiaohongshu cannot link into the WeChat mini-program
    assert by_ch["douyin"] == 0 and by_ch["xiaohongshu"] == 0
    assert not visits["utm_source"].isin(["douyin", "xiaohongshu"]).any()
    # and no visit names a post that does not exist
    assert set(visits["utm_content"].dropna()) <= set(posts["post_id"])


def test_visits_without_a_post_say_where_they_came_from(t):
    v, campaigns = t["visits"], t["campaigns"]
    no_post = v[v["utm_content"].isna()]
    assert set(no_post["traffic_type"]) == {"campaign", "organic"}
    camp = no_post[no_post["traffic_type"] == "campaign"]
    assert camp["utm_campaign"].isin(campaigns["campaign_id"]).all()
    assert (camp["utm_medium"] == "share").all()
    org = no_post[no_post["traffic_type"] == "organic"]
    assert org[["utm_source", "utm_medium", "utm_campaign"]].isna().all().all()
    assert not org["url"].str.contains("?", regex=False).any()
    assert (v.loc[v["utm_content"].notna(), "traffic_type"] == "post").all()


def test_post_visits_come_from_the_posts_channel_after_publication(t):
    v = t["visits"].merge(t["posts"][["post_id", "channel", "published_at"]], left_on="utm_content", right_on="post_id")
    assert (v["utm_source"] == v["channel"].astype(str)).all()
    assert (v["visited_at"] > v["published_at"]).all()


def test_url_query_matches_the_utm_columns(t):
    v = t["visits"].sample(5000, random_state=0)
    for _, row in v.iterrows():
        q = {k: vals[0] for k, vals in parse_qs(urlsplit(row["url"]).query).items()}
        for key in ("utm_source", "utm_medium", "utm_campaign", "utm_content"):
            value = row[key]
            assert q.get(key) == (None if pd.isna(value) else value), (row["visit_id"], key)


def test_visit_ids_are_unique_and_in_time_order(t):
    v = t["visits"]
    assert v["visit_id"].is_unique
    assert v["visited_at"].is_monotonic_increasing
    assert (v["pages"] >= 1).all() and (v["seconds"] >= 0).all()
    # a user's sessions do not overlap
    s = v.sort_values(["user_id", "visited_at"])
    end = s["visited_at"] + pd.to_timedelta(s["seconds"], unit="s")
    same = s["user_id"].eq(s["user_id"].shift(-1))
    assert (end[same] < s["visited_at"].shift(-1)[same]).all()


# ---------------------------------------------------------------- followers
def test_followers_add_up_day_by_day(t):
    f = t["followers_daily"].sort_values(["channel", "date"])
    assert (f["net_followers"] == f["new_followers"] - f["unfollows"]).all()
    start = ds.load_manifest()["start_followers"]
    for ch, g in f.groupby("channel", observed=True):
        prev = np.concatenate([[start[ch]], g["total_followers"].to_numpy()[:-1]])
        assert (g["total_followers"].to_numpy() == prev + g["net_followers"].to_numpy()).all(), ch
        assert g["date"].diff().dropna().eq(pd.Timedelta(days=1)).all()
    assert len(f) == 365 * 6
    assert (f[["new_followers", "unfollows", "total_followers"]] >= 0).all().all()


def test_follows_gained_by_posts_are_inside_new_followers(t):
    p = t["posts"]
    gained = p.groupby([p["published_at"].dt.normalize().rename("date"), "channel"], observed=True)["follows_gained"].sum()
    f = t["followers_daily"].set_index(["date", "channel"])["new_followers"]
    assert (gained <= f.reindex(gained.index)).all()


def test_wechat_delivered_is_the_previous_days_followers_less_blocked(t):
    p = t["posts"][t["posts"]["channel"] == "wechat"]
    f = t["followers_daily"]
    f = f[f["channel"] == "wechat"].set_index("date")["total_followers"]
    start = ds.load_manifest()["start_followers"]["wechat"]
    prev = p["published_at"].dt.normalize() - pd.Timedelta(days=1)
    prev_total = prev.map(f).fillna(start)
    ratio = p["delivered"].astype("float64") / prev_total
    assert ratio.between(0.95, 0.98).all()
    assert t["posts"].loc[t["posts"]["channel"] != "wechat", ["delivered", "zaikan"]].isna().all().all()


# ---------------------------------------------------------------- orders, users, events
def test_platform_shop_orders_come_from_that_platforms_posts(t):
    o, p = t["orders"], t["posts"]
    shop = o[o["store"] != "mini_program"].merge(p[["post_id", "channel", "published_at"]], on="post_id", how="left")
    assert len(shop) > 0 and shop["channel"].notna().all()
    expect = shop["store"].astype(str).map({"douyin_shop": "douyin", "xiaohongshu_shop": "xiaohongshu"})
    assert (shop["channel"].astype(str) == expect).all()
    assert (shop["ordered_at"] > shop["published_at"]).all()
    assert shop[["user_id", "visit_id"]].isna().all().all()
    mp = o[o["store"] == "mini_program"]
    assert mp["user_id"].notna().all() and mp["post_id"].isna().all()
    # orders carried in from the years before have no visit in this year's visits table
    year = t["posts"]["published_at"].dt.year.iloc[0]
    assert (mp["visit_id"].isna() == (mp["ordered_at"].dt.year < year)).all()
    assert (mp["ordered_at"].dt.year >= year - 2).all()
    assert o["order_id"].is_unique and o["ordered_at"].is_monotonic_increasing


def test_every_order_belongs_to_a_visit_of_the_same_user_after_it(t):
    o, v, u = t["orders"], t["visits"], t["users"]
    o = o[(o["store"] == "mini_program") & o["visit_id"].notna()]
    assert o["user_id"].isin(u["user_id"]).all()
    m = o.merge(v[["visit_id", "user_id", "visited_at"]], on="visit_id", how="left", suffixes=("", "_visit"))
    assert m["visited_at"].notna().all()
    assert (m["user_id"] == m["user_id_visit"]).all()
    assert (m["ordered_at"] > m["visited_at"]).all()
    assert o["visit_id"].is_unique and o["order_id"].is_unique
    assert (o["amount"] > 0).all()


def test_users_first_seen_is_their_first_visit(t):
    u, v = t["users"], t["visits"]
    year = v["visited_at"].dt.year.iloc[0]
    carried = u[u["first_visit_id"].isna()]
    assert (carried["first_seen"].dt.year < year).all() and len(carried) > 0
    assert u["first_seen"].is_monotonic_increasing and u["user_id"].is_monotonic_increasing
    u = u[u["first_visit_id"].notna()]
    v = v[v["user_id"].isin(u["user_id"])]
    first = v.groupby("user_id")["visited_at"].min()
    assert set(first.index) == set(u["user_id"])
    assert (u.set_index("user_id")["first_seen"] == first.reindex(u["user_id"]).to_numpy()).all()
    fv = u.merge(v[["visit_id", "user_id", "visited_at", "utm_source"]], left_on="first_visit_id", right_on="visit_id")
    assert len(fv) == len(u)
    assert (fv["user_id_x"] == fv["user_id_y"]).all()
    assert (fv["visited_at"] == fv["first_seen"]).all()
    fc = fv["first_channel"].astype(object).fillna("")
    src = fv["utm_source"].astype(object).fillna("")
    assert (fc == src).all()


def test_events_are_known_users_and_mirror_visits_and_orders(t):
    e, u, v, o = t["events"], t["users"], t["visits"], t["orders"]
    assert e["user_id"].isin(u["user_id"]).all()
    o = o[(o["store"] == "mini_program") & o["visit_id"].notna()]
    opens = e.loc[e["event"] == "open", ["user_id", "event_time"]].drop_duplicates()
    m = v[["user_id", "visited_at"]].merge(opens, left_on=["user_id", "visited_at"], right_on=["user_id", "event_time"], how="left")
    assert len(m) == len(v) and m["event_time"].notna().all()
    buys = e.loc[e["event"] == "purchase", ["user_id", "event_time"]]
    assert len(buys) == len(o)
    m = o[["user_id", "ordered_at"]].merge(buys, left_on=["user_id", "ordered_at"], right_on=["user_id", "event_time"], how="inner")
    assert len(m) == len(o)
    year = v["visited_at"].dt.year.iloc[0]
    assert (e["event_time"].dt.year == year).all()


def test_participants_are_known_users_inside_the_campaign_dates(t):
    p, u, c = t["participants"], t["users"], t["campaigns"]
    assert p["user_id"].isin(u["user_id"]).all()
    m = p.merge(c[["campaign_id", "start", "end"]], on="campaign_id", how="left")
    assert m["start"].notna().all()
    assert (m["event_time"] >= m["start"]).all()
    assert (m["event_time"] < m["end"] + pd.Timedelta(days=1)).all()
    assert not p.duplicated(["campaign_id", "user_id", "step"]).any()


def test_participant_funnel_steps_are_in_order(t):
    p = t["participants"]
    w = p.pivot_table(index=["campaign_id", "user_id"], columns="step", values="event_time", aggfunc="min", observed=True)
    took_part = w["participate"].notna()
    assert w.loc[took_part, "click"].notna().all()
    assert (w.loc[took_part, "participate"] >= w.loc[took_part, "click"]).all()
    for later in ("share", "follow"):
        done = w[later].notna()
        assert w.loc[done, "participate"].notna().all(), later
        assert (w.loc[done, later] >= w.loc[done, "participate"]).all(), later
    # persons per step never grow down the funnel; exposure (campaigns.exposed) is the widest
    persons = p.groupby(["campaign_id", "step"], observed=True)["user_id"].nunique().unstack()
    assert (persons["participate"] <= persons["click"]).all()
    exposed = t["campaigns"].set_index("campaign_id")["exposed"]
    assert (persons["click"] <= exposed.reindex(persons.index)).all()


def test_weibo_repost_giveaways_have_more_reposts_than_entrants(t):
    p, c, parts = t["posts"], t["campaigns"], t["participants"]
    for cid in c.loc[(c["channel"] == "weibo") & (c["kind"] == "giveaway"), "campaign_id"]:
        mine = parts[parts["campaign_id"] == cid]
        entrants = mine.loc[mine["step"] == "participate", "user_id"]
        sharers = mine.loc[mine["step"] == "share", "user_id"]
        assert set(entrants) <= set(sharers), cid  # reposting is how one enters
        assert p.loc[p["campaign_id"] == cid, "shares"].sum() >= len(entrants), cid


# ---------------------------------------------------------------- posts, staff, campaigns, spend
def test_post_counts_are_consistent(t):
    p = t["posts"]
    for col in ("likes", "comments", "shares", "favorites", "follows_gained", "link_clicks"):
        assert (p[col] >= 0).all() and (p[col] <= p["reads"]).all(), col
    assert (p["reads"] <= p["impressions"]).all()
    assert p["post_id"].is_unique and p["published_at"].is_monotonic_increasing
    assert ((p["boosted"] | (p["content_type"] == "collab")) == (p["cost"] > 0)).all()
    assert p["completion_rate"].dropna().between(0, 1).all()


def test_authors_had_joined_before_posting(t):
    m = t["posts"].merge(t["staff"][["author", "joined"]], on="author")
    assert len(m) == len(t["posts"])
    assert (m["published_at"] >= m["joined"]).all()


def test_campaign_posts_and_reach(t):
    p, c = t["posts"], t["campaigns"]
    cp = p[p["campaign_id"].notna()].merge(c, on="campaign_id", suffixes=("", "_c"))
    assert (cp["content_type"] == "event").all()
    assert (cp["channel"] == cp["channel_c"]).all()
    assert ((cp["published_at"] >= cp["start"]) & (cp["published_at"] < cp["end"] + pd.Timedelta(days=1))).all()
    reach = p.groupby("campaign_id")["impressions"].sum()
    assert (c.set_index("campaign_id")["reach"] == reach.reindex(c["campaign_id"]).to_numpy()).all()
    assert (p["content_type"] == "event").eq(p["campaign_id"].notna()).all()


def test_spend_adds_up_from_posts_and_campaigns(t):
    p, c, s, staff = t["posts"], t["campaigns"], t["spend"], t["staff"]
    month = p["published_at"].dt.to_period("M").dt.to_timestamp()
    ads = p[p["content_type"] != "collab"].groupby([month, "channel"], observed=True)["cost"].sum()
    kol = p[p["content_type"] == "collab"].groupby([month, "channel"], observed=True)["cost"].sum()
    camp = c.groupby([c["start"].dt.to_period("M").dt.to_timestamp(), "channel"], observed=True)["budget"].sum()
    sp = s.set_index(["month", "channel", "kind"])["amount"]
    for kind, expected in (("ads", ads), ("kol", kol), ("campaign", camp)):
        got = sp.xs(kind, level="kind")
        exp = expected.reindex(got.index).fillna(0.0)
        assert np.allclose(got.to_numpy(), exp.to_numpy(), atol=0.005), kind
    # staff: each month's total is the prorated monthly cost of the people employed
    staff_month = s[s["kind"] == "staff"].groupby("month")["amount"].sum()
    for m0, got in staff_month.items():
        m1 = m0 + pd.offsets.MonthBegin(1)
        days = (m1 - m0).days
        expected = sum(
            r.monthly_cost * max(0, min(days, (m1 - max(m0, r.joined)).days)) / days for r in staff.itertuples()
        )
        assert abs(got - expected) < 0.05, m0


def test_ab_tests_match_their_posts(t):
    ab, p = t["ab_tests"], t["posts"]
    m = ab.groupby(["test_id", "post_id", "channel"], observed=True)[["delivered", "reads"]].sum().reset_index()
    m = m.merge(p[["post_id", "channel", "delivered", "impressions", "reads", "published_at"]], on="post_id", suffixes=("", "_post"))
    assert (m["channel"] == m["channel_post"]).all()
    wx = m[m["channel"] == "wechat"]
    assert (wx["delivered"] == wx["delivered_post"]).all()
    tt = m[m["channel"] == "toutiao"]
    assert (tt["delivered"] == tt["impressions"]).all()
    assert (m["reads"] <= m["reads_post"]).all()
    dates = ab.merge(p[["post_id", "published_at"]], on="post_id")
    assert (dates["date"] == dates["published_at"].dt.normalize()).all()


def test_survey_profiles_match_users_and_orders(t):
    s, u, o = t["survey"], t["users"], t["orders"]
    linked = s[s["user_id"].notna()].merge(u, on="user_id", suffixes=("", "_u"))
    assert len(linked) == s["user_id"].notna().sum()
    for col in ("gender", "age_band", "city"):
        a = linked[col].astype(object).fillna("")
        b = linked[f"{col}_u"].astype(object).fillna("")
        assert (a == b).all(), col
    assert (linked["first_seen"] < linked["submitted_at"]).all()
    n = [int(((o["user_id"] == uid) & (o["ordered_at"] < ts)).sum()) for uid, ts in zip(linked["user_id"], linked["submitted_at"])]
    band = pd.cut(pd.Series(n), [-1, 0, 1, 3, np.inf], labels=["never", "once", "few", "many"]).astype(str)
    assert (linked["purchase_freq"].astype(str).to_numpy() == band.to_numpy()).all()
    likert = [c for c in s.columns if c.startswith(("pref_", "need_"))]
    assert s[likert].stack().between(1, 5).all()
    assert s["recommend"].dropna().between(0, 10).all()


# ---------------------------------------------------------------- v2 tables
def test_follower_events_add_up_to_the_daily_totals(t):
    fe, f = t["follower_events"], t["followers_daily"]
    day = fe["event_time"].dt.normalize().rename("date")
    counts = fe.groupby([day, "channel", "event"], observed=True).size().unstack(fill_value=0)
    daily = f.set_index(["date", "channel"])
    got = counts.reindex(daily.index, fill_value=0)
    assert (got["follow"] == daily["new_followers"]).all()
    assert (got["unfollow"] == daily["unfollows"]).all()
    # a follower follows at most once and unfollows after following
    follows = fe[fe["event"] == "follow"]
    assert follows["follower_id"].is_unique
    unf = fe[fe["event"] == "unfollow"]
    assert unf["follower_id"].is_unique
    m = unf.merge(follows[["follower_id", "event_time"]], on="follower_id", suffixes=("", "_follow"))
    assert (m["event_time"] > m["event_time_follow"]).all()
    # follows brought by a post: that post's channel, after it went out, counted in follows_gained
    by_post = follows.dropna(subset=["post_id"]).groupby("post_id").size()
    p = t["posts"].set_index("post_id")
    assert (by_post == p.loc[by_post.index, "follows_gained"]).all()
    assert (p.loc[p["follows_gained"] > 0].index.isin(by_post.index)).all()


def test_post_daily_reads_add_up_to_the_post_totals(t):
    d, p = t["post_daily_reads"], t["posts"]
    assert set(p.loc[p["post_id"].isin(d["post_id"]), "channel"].astype(str)) == {"wechat", "zhihu", "toutiao"}
    total = d.groupby("post_id")["reads"].sum()
    mine = p[p["channel"].isin(["wechat", "zhihu", "toutiao"])].set_index("post_id")
    assert (total.reindex(mine.index) == mine["reads"]).all()
    m = d.merge(p[["post_id", "published_at"]], on="post_id")
    assert (m["date"] == m["published_at"].dt.normalize() + pd.to_timedelta(m["age_days"], unit="D")).all()
    assert d["age_days"].between(0, 89).all()
    year = p["published_at"].dt.year.iloc[0]
    assert (d["date"].dt.year == year).all()


def test_wechat_sends_one_push_a_day_with_lead_and_secondary_articles(t):
    p = t["posts"]
    w = p[p["channel"] == "wechat"]
    per_day = w.groupby(w["published_at"].dt.normalize())
    assert (per_day["published_at"].nunique() == 1).all()  # one 群发 a day at most
    assert (per_day["position"].min() == 1).all()
    assert (per_day["position"].max() == per_day.size()).all()
    assert (w[["reads_push", "reads_moments", "reads_recommend", "reads_other"]].sum(axis=1) == w["reads"]).all()
    assert (w["reads_push"] <= w["delivered"]).all()
    # reads above delivered only where 朋友圈 carried the article
    over = w[w["reads"] > w["delivered"]]
    assert (over["reads_moments"] > over["reads"] / 2).all()
    other = p[p["channel"] != "wechat"]
    assert other[["position", "reads_push", "reads_moments", "reads_recommend", "reads_other"]].isna().all().all()


def test_staff_channels_list_every_channel_they_posted_on(t):
    done = t["posts"].groupby("author", observed=True)["channel"].agg(lambda s: set(s.astype(str)))
    for _, row in t["staff"].iterrows():
        assert done.get(row["author"], set()) <= set(row["channels"].split(",")), row["author"]


def test_no_column_or_pivoted_category_shadows_a_dataframe_attribute(t):
    attributes = set(dir(pd.DataFrame))
    for name, df in t.items():
        clash = set(df.columns) & attributes
        assert not clash, (name, clash)
        for col in df.select_dtypes("category").columns:
            values = {str(v) for v in df[col].cat.categories}
            assert not values & attributes, (name, col, values & attributes)


def test_the_name_check_would_catch_a_shadowing_name():
    attributes = set(dir(pd.DataFrame))
    assert {"at", "product", "join"} <= attributes


def test_order_money_adds_up(t):
    o, lines, products = t["orders"], t["order_lines"], t["products"]
    assert set(lines["order_id"]) == set(o["order_id"])
    assert lines["product_id"].isin(products["product_id"]).all() and o["product_id"].isin(products["product_id"]).all()
    price = lines["product_id"].map(products.set_index("product_id")["price"])
    assert (lines["unit_price"] == price).all() and (lines["quantity"] >= 1).all()
    gross = (lines["quantity"] * lines["unit_price"]).groupby(lines["order_id"]).sum()
    assert ((gross.reindex(o["order_id"]).to_numpy() - o["gross_amount"].to_numpy()).__abs__() < 0.005).all()
    assert ((o["gross_amount"] - o["discount"] - o["amount"]).abs() < 0.005).all()
    assert ((o["refund"] == 0) | (o["refund"] == o["amount"])).all()
    # a 满减 coupon needs its threshold
    for name, threshold, off in (("满99减10", 99, 10), ("满199减20", 199, 20)):
        used = o[o["coupon"] == name]
        assert len(used) > 0 and (used["gross_amount"] >= threshold).all() and (used["discount"] == off).all()
    assert (o.loc[o["coupon"].isna(), "discount"] == 0).all()
    assert ((products["unit_cost"] + products["shipping_cost"]) < products["price"]).all()


def test_collabs_are_the_collab_posts_and_their_results(t):
    k, p, v, o = t["collabs"], t["posts"], t["visits"], t["orders"]
    cp = p[p["content_type"] == "collab"].set_index("post_id")
    assert set(k["post_id"]) == set(cp.index) and k["collab_id"].is_unique
    for col, post_col in (("fee", "cost"), ("reads", "reads"), ("follows_gained", "follows_gained"), ("link_clicks", "link_clicks")):
        assert (k[col].to_numpy() == cp.loc[k["post_id"], post_col].to_numpy()).all(), col
    assert (k["visits"] <= k["link_clicks"]).all()
    tagged = v[v["utm_content"].isin(k["post_id"])]
    mini = o[o["visit_id"].isin(tagged["visit_id"])]
    shop = o[o["post_id"].isin(k["post_id"])]
    assert k["orders"].sum() == len(mini) + len(shop)
    assert abs(k["revenue"].sum() - mini["amount"].sum() - shop["amount"].sum()) < 0.01 * max(len(k), 1)
    assert all(str(name) in title for name, title in zip(k["partner"], cp.loc[k["post_id"], "title"]))


def test_survey_has_buyers_linked_to_users_and_rich_open_answers(t):
    s = t["survey"]
    assert (s["purchase_freq"] != "never").mean() >= 0.3
    assert s["user_id"].notna().mean() >= 0.8
    answers = s["open_answer"].dropna()
    assert answers.nunique() >= 300 and answers.str.len().median() >= 10
    # skipped answers are missing values, never a code such as -1 or an empty string
    assert not (answers == "").any()
    assert s["age_band"].isna().any() and set(s["age_band"].dropna().astype(str)) <= {"18-24", "25-34", "35-44", "45+"}
