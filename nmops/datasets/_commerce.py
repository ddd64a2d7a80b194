"""Commerce (交易): store visits, users (with those carried in from earlier years), campaign funnels,
orders of the mini-program, 抖店 and 小红书店铺, products, money and collaborations."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nmops.datasets._calendar import Calendar, MIN_YEAR, build_calendar
from nmops.datasets._params import (
    ACQ,
    ACTIVE_P,
    AGE_BANDS,
    AGE_P,
    CH,
    CITIES,
    CITY_OTHER_P,
    COUPONS,
    COUPON_P,
    Campaign,
    DAY,
    DOUYIN_HALO_FROM,
    DOUYIN_HALO_PER_PLAY,
    FEMALE_SHARE,
    INTENT,
    KUNMING_SHARE,
    LIFE,
    LIFE_CONTENT,
    LOAD_RATE,
    NCH,
    P_NEW,
    REFUND_P,
    SHOP_CONVERSION,
    SKUS,
    SKU_PRICE,
    _hours,
    _lognormal,
    _rng,
)
from nmops.datasets.dictionary import CHANNELS, TABLES


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
    # a Douyin video that breaks out of the brand's usual reach sends viewers to search the brand in WeChat
    halo = np.zeros(n)
    for i in np.flatnonzero(extra["ch"] == CH["douyin"]):
        d0 = int(extra["t_pub"][i] // DAY)
        w = 0.5 ** np.arange(7)
        span_ = slice(d0, min(d0 + 7, n))
        extra_plays = max(posts["reads"].iat[i] - DOUYIN_HALO_FROM, 0)
        halo[span_] += extra_plays * DOUYIN_HALO_PER_PLAY * (w / w.sum())[: span_.stop - d0]
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
