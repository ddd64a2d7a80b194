"""What is known about the answers of assignment 02-junior: the one place (instructor only).

``TASKS`` (autograded tasks: title, answer variable, tiered hints, known
wrong answers with their Chinese explanations), ``WRITTEN`` (the activity
review, graded by hand: title, rubric) and ``PLANTED`` (other wrong answers
the tests plant: format errors the visible test catches). Same format as
``solutions/00-orientation/known_answers.py`` (see ``nmops/coach.py``).

Each mistake's code runs where the task's data is defined (after the setup
cell) and assigns the wrong value to the task's variable. The reference
answers with one thing changed are built by the small functions below, so a
mistake differs from the reference in exactly the named way.
"""

from nmops.coach import Mistake, Task, Written

_C14 = 'participants[participants["campaign_id"] == CAMPAIGN]'
_CAMPAIGN_ROW = 'campaigns.loc[campaigns["campaign_id"] == CAMPAIGN]'


def _q1(first='"exposed"', people=f'activity_funnel({_C14}, STEPS).loc[CAMPAIGN, "users"]') -> str:
    return (
        f"_people = {people}\n"
        f"c14_funnel = {{\"exposed\": int({_CAMPAIGN_ROW}[{first}].iloc[0]), **{{s: int(_people[s]) for s in STEPS}}}}"
    )


def _q2(base='"exposed"', rate="_n[k] / _n[k - 1]") -> str:
    return (
        f'_people = activity_funnel({_C14}, STEPS).loc[CAMPAIGN, "users"]\n'
        f"_n = [int({_CAMPAIGN_ROW}[{base}].iloc[0])] + [int(_people[s]) for s in STEPS]\n"
        f"c14_step_rates = {{s: float({rate}) for k, s in enumerate(STEPS, start=1)}}"
    )


def _q3(upper='< "2025-09-23"', net='int((_wx["new_followers"] - _wx["unfollows"]).sum())') -> str:
    return (
        '_wx = followers_daily[(followers_daily["channel"] == "wechat") & (followers_daily["date"] >= "2025-09-14")\n'
        f'                     & (followers_daily["date"] {upper})]\n'
        f"wechat_net_followers = {net}"
    )


def _q4(events='follower_events[follower_events["channel"] == "wechat"]', as_of="DATA_END") -> str:
    return (
        f'retention_by_source = follower_retention({events}, days=30, by="source", as_of={as_of})["retention"]\n'
        "retention_by_source.index = retention_by_source.index.astype(str)"
    )


def _q5(upper='< WEEK_START + pd.Timedelta(days=7)', count=".size()") -> str:
    return (
        f'_w = visits[(visits["visited_at"] >= WEEK_START) & (visits["visited_at"] {upper})]\n'
        f'week_visits = _w.groupby(["utm_source", "utm_medium"]){count}.unstack(fill_value=0)'
    )


def _q6(visits_rows='visits[visits["traffic_type"] == "post"]', base='"link_clicks"') -> str:
    return (
        '_linked = posts[posts["channel"].isin(LINKED)]\n'
        f'_base = _linked.groupby("channel", observed=True)[{base}].sum()\n'
        f'_visits = {visits_rows}.groupby("utm_source").size()\n'
        "click_to_visit = {ch: float(_visits[ch] / _base[ch]) for ch in LINKED}"
    )


def _q7(window="_d[\"age_days\"] < days", complete='_full[_full == 89].index', how=".mean()") -> str:
    return (
        '_d = post_daily_reads.merge(posts[["post_id", "channel"]], on="post_id")\n'
        '_full = _d.groupby("post_id")["age_days"].max()\n'
        f'_d = _d[_d["post_id"].isin({complete})]\n'
        "def _per_post(channel, days):\n"
        f'    _rows = _d[(_d["channel"] == channel) & ({window})]\n'
        f'    return float(_rows.groupby("post_id")["reads"].sum(){how})\n'
        "zhihu_vs_wechat = {f\"{ch}_{n}\": _per_post(ch, n) for n in (7, 90) for ch in (\"zhihu\", \"wechat\")}"
    )


TASKS = {
    "q1": Task(
        title="第 1 题：中秋抽奖 C14 的参与漏斗（按人）",
        variable="c14_funnel",
        hints=(
            "第一步“曝光”要的是人数，在 campaigns 表里；后面四步从 participants 里数不同的人，而且要按时间顺序走过前一步才算。",
            ("课程第 1 节：activity_funnel(这次活动的参与记录, STEPS) 按课程唯一的漏斗口径（按顺序）给出每步的人数（users 列）；"
             "曝光用 exposed（人），不是 reach（人次）。每个值转成 int。"),
        ),
        mistakes=(
            Mistake("曝光用了 reach", "reach 是曝光次数（同一个人看两次算两次），漏斗第一步要曝光人数 exposed。",
                    _q1(first='"reach"')),
            Mistake("每一步各数各的人，没有按顺序",
                    "漏斗的第 k 步只数走过前面每一步的人；各数各的，关注的人会比分享的人还多，就不是漏斗了。",
                    _q1(people=f'{_C14}.groupby("step", observed=True)["user_id"].nunique()')),
        ),
    ),
    "q2": Task(
        title="第 2 题：C14 每一步的步骤转化率",
        variable="c14_step_rates",
        hints=(
            "步骤转化率 = 这一步的人数 ÷ 上一步的人数；“点击”的上一步是曝光。",
            "用第 1 题的五个人数（曝光人数 exposed 和按顺序的四步），依次相除；不要都除以曝光（那是总转化率）。",
        ),
        mistakes=(
            Mistake("算成了总转化率", "每一步都除以曝光人数，得到的是“占曝光”的总转化率；步骤转化率除以上一步的人数。",
                    _q2(rate="_n[k] / _n[0]")),
            Mistake("点击率的分母用了 reach", "第一步的分母是曝光人数 exposed，不是曝光次数 reach。",
                    _q2(base='"reach"')),
        ),
    ),
    "q3": Task(
        title="第 3 题：活动期间微信的净增关注",
        variable="wechat_net_followers",
        hints=(
            "净增 = 新增关注 − 取消关注，把活动每一天（含开始和结束那天）的微信数字加起来。",
            "followers_daily 里筛 channel == \"wechat\"、日期 ≥ 9 月 14 日且 < 9 月 23 日；new_followers 的和减去 unfollows 的和。",
        ),
        mistakes=(
            Mistake("只算了新增", "取关的人也要减掉：净增 = 新增 − 取关。", _q3(net='int(_wx["new_followers"].sum())')),
            Mistake("漏了活动最后一天", "活动到 9 月 22 日 23:59:59 才结束：日期上界写“< 9 月 23 日”。", _q3(upper='< "2025-09-22"')),
            Mistake("用了累计关注相减", "9 月 22 日的累计减 9 月 14 日的累计，少算了 14 日当天的净增：用每天的新增和取关相加。",
                    _q3(net='int(_wx["total_followers"].iloc[-1] - _wx["total_followers"].iloc[0])')),
        ),
    ),
    "q4": Task(
        title="第 4 题：微信新粉丝的 30 天留存，按关注来源",
        variable="retention_by_source",
        hints=(
            "只看微信；每个粉丝按第一次关注算；只数关注时间离 DATA_END 已满 30 天的人；30 天内取关了算走了。",
            ("课程 3.2 节：follower_retention(微信的关注与取关记录, days=30, by=\"source\", as_of=DATA_END) 的 retention 列；"
             "索引转成文本（.astype(str)）。"),
        ),
        mistakes=(
            Mistake("所有渠道都算了", "题目只问微信：先筛 channel == \"wechat\"。", _q4(events="follower_events")),
            Mistake("不满 30 天的新粉也算进来了", "12 月才关注的人还没过 30 天，看起来都“留下了”，会把留存抬高：只数关注已满 30 天的人。",
                    _q4(as_of="DATA_END + pd.Timedelta(days=30)")),
            Mistake("取关过就算走了，不管多久以后",
                    "30 天留存只看关注后 30 天内有没有取关；第 40 天才取关的人，30 天时还在。",
                    ('_wx = follower_events[follower_events["channel"] == "wechat"]\n'
                     '_f = _wx[_wx["event"] == "follow"].sort_values("event_time").drop_duplicates("follower_id")\n'
                     '_f = _f[_f["event_time"] + pd.Timedelta(days=30) <= DATA_END]\n'
                     '_gone = set(_wx.loc[_wx["event"] == "unfollow", "follower_id"])\n'
                     'retention_by_source = _f.assign(_s=~_f["follower_id"].isin(_gone)).groupby("source", observed=True)["_s"].mean()\n'
                     "retention_by_source.index = retention_by_source.index.astype(str)")),
        ),
    ),
    "q5": Task(
        title="第 5 题：一周的商城访问，按 UTM 来源和媒介",
        variable="week_visits",
        hints=(
            "筛出 WEEK_START 起 7 天的访问（周一 0 点到周日 24 点），按 utm_source 和 utm_medium 两列分组数访问次数。",
            "groupby([\"utm_source\", \"utm_medium\"]).size() 会自动去掉没有 UTM 的自然流量；再 .unstack(fill_value=0) 把媒介变成列。数的是访问（次），不是访客（人）。",
        ),
        mistakes=(
            Mistake("周日被漏掉了", "“≤ 9 月 21 日”是 21 日 0 点：一周的上界写“< WEEK_START + 7 天”。", _q5(upper='<= "2025-09-21"')),
            Mistake("数了访客人数", "题目要访问次数：同一个人一周来两次算两次访问；nunique 数的是访客。",
                    _q5(count='["user_id"].nunique()')),
        ),
    ),
    "q6": Task(
        title="第 6 题：每个渠道从链接点击到商城访问",
        variable="click_to_visit",
        hints=(
            "点击到访问率 = 内容链接带来的访问 ÷ 内容的链接点击，全年，每个渠道一个数。",
            ("分子：visits 里 traffic_type == \"post\" 的访问，按 utm_source 数；分母：posts 的 link_clicks 按 channel 求和。"
             "活动分享（traffic_type == \"campaign\"）不是内容链接带来的。"),
        ),
        mistakes=(
            Mistake("算进了活动分享的访问", "分享链接不是内容里的链接被点出来的：分子只数 traffic_type == \"post\" 的访问。",
                    _q6(visits_rows='visits[visits["utm_source"].notna()]')),
            Mistake("算成了点击率", "点击 ÷ 曝光是点击率；这里问的是点了之后有多少真的打开了商城：访问 ÷ 点击。",
                    ('_linked = posts[posts["channel"].isin(LINKED)]\n'
                     '_g = _linked.groupby("channel", observed=True)[["link_clicks", "impressions"]].sum()\n'
                     'click_to_visit = {ch: float(_g.loc[ch, "link_clicks"] / _g.loc[ch, "impressions"]) for ch in LINKED}')),
        ),
    ),
    "q7": Task(
        title="第 7 题：知乎和微信，发布后 7 天和 90 天的每篇阅读",
        variable="zhihu_vs_wechat",
        hints=(
            "只用已经攒满 90 天的内容（post_daily_reads 里 age_days 到了 89）；每篇把前 N 天的阅读加起来，再对这个渠道的内容取平均。",
            "“前 7 天”是 age_days 为 0 到 6（age_days < 7）；先 groupby(\"post_id\") 求每篇的和，再 .mean()。",
        ),
        mistakes=(
            Mistake("前 7 天多算了一天", "age_days 从 0 开始（0 = 发布当天），前 7 天是 age_days < 7，不是 ≤ 7。",
                    _q7(window='_d["age_days"] <= days')),
            Mistake("没去掉还没满 90 天的内容", "年底发的内容还没攒满，和攒满 90 天的放在一起平均，慢慢涨的知乎吃亏：只用 age_days 到了 89 的内容。",
                    _q7(complete='_full.index')),
            Mistake("算成了渠道总阅读", "要公平比较，按每篇比：总阅读取决于发了多少篇。", _q7(how=".sum()")),
        ),
    ),
}

WRITTEN = {
    "q8": Written(
        title="第 8 题：活动复盘——中秋云腿月饼抽奖 C14",
        rubric=(
            "目标和结果对得上：写出活动前的目标，逐项说达到没有，每个数字说清楚口径（人还是次，哪几天）：1 分",
            "用 30 天后还在的粉丝和每个留下的粉丝的成本说成果，而不是参与人数：1 分",
            "指出漏斗最漏的一步和抽奖粉丝留不住，并说明原因（有数据支持）：1 分",
            "下次怎么改：具体、合规（微信不许诱导分享和关注），写清楚怎么衡量；不超过 500 字：1 分",
        ),
    ),
}

# Wrong answers that are not named mistakes: the visible (format) test must reject them.
PLANTED = {
    "q1": [("交了漏斗表（DataFrame）而不是字典", f'c14_funnel = activity_funnel({_C14}, STEPS)')],
    "q2": [("写成了百分数", _q2(rate="_n[k] / _n[k - 1] * 100"))],
    "q3": [("交了每天的表", _q3(net='_wx["new_followers"] - _wx["unfollows"]'))],
    "q5": [("把自然流量也放进来了（NaN 行）",
            _q5(count='.size()').replace('groupby(["utm_source", "utm_medium"])',
                                          'groupby(["utm_source", "utm_medium"], dropna=False)'))],
    "q6": [("除反了（点击 ÷ 访问）", _q6().replace("_visits[ch] / _base[ch]", "_base[ch] / _visits[ch]"))],
}
