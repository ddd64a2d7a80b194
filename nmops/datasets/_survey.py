"""The user survey (用户调研), fielded in June and linked to users where possible."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nmops.datasets._calendar import Calendar
from nmops.datasets._params import AGE_BANDS, CH, CITIES, DAY, NCH, _rng
from nmops.datasets.dictionary import CHANNELS, TABLES


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


#: how much more often a customer answered than a visitor who never bought
SURVEY_BUYER_WEIGHT = 2.0


def build_survey(seed: int, cal: Calendar, users: pd.DataFrame, orders: pd.DataFrame, hidden: dict) -> pd.DataFrame:
    """A user-research questionnaire fielded in June, linked to users where possible."""
    rng = _rng(seed, cal.year, 8)
    start = pd.Timestamp(cal.year, 6, 1)
    t_span = 20 * DAY
    eligible = np.flatnonzero((users["first_seen"] < start).to_numpy())
    acq = hidden["u_acq"]
    w = np.where(acq[eligible] == 1, 0.5, 1.0)
    # the survey link also went out in the order notifications, so customers answered more often
    bought = users["user_id"].iloc[eligible].isin(orders.loc[orders["ordered_at"] < start, "user_id"]).to_numpy()
    w = w * np.where(bought, SURVEY_BUYER_WEIGHT, 1.0)
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
