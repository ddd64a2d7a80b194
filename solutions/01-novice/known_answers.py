"""What is known about the answers of assignment 01-novice: the one place (instructor only).

``TASKS`` (autograded tasks: title, answer variable, tiered hints, known
wrong answers with their Chinese explanations), ``WRITTEN`` (manually graded
tasks: title, rubric) and ``PLANTED`` (other wrong answers the tests plant:
format errors the visible test catches). Same format as
``solutions/00-orientation/known_answers.py`` of the learner loop (see
``nmops/coach.py`` there). A mistake is ``public=True`` only when its wrong
value tells nothing of the right one.

Each mistake's code runs where the task's data is defined (after the setup
cell and the task's data cell) and assigns the wrong value to the task's
variable. ``CourseDirectory.ignore`` in ``nbgrader_config.py`` keeps this
file out of ``exercises/`` and out of autograded submissions.
"""

from nmops.coach import Mistake, Task, Written

# Shared pieces of the planted code (the reference answers with one thing changed).
_Q1_CORE = (
    '_core = posts[posts["channel"].isin(["wechat", "weibo"]){original}]\n'
    '_core = _core[(_core["published_at"] >= "2025-09-01") & (_core["published_at"] {upper})]\n'
)
_Q1_GROUP = (
    "originals_per_week = (\n"
    '    _core.groupby([pd.Grouper(key="published_at", {freq}), "channel"], observed=True)\n'
    '    .size().unstack("channel", fill_value=0)[["wechat", "weibo"]]\n'
    ")"
)
_MONDAY_WEEKS = 'freq="W-MON", label="left", closed="left"'


def _q1(original='& posts["original"]', upper='< "2025-10-06"', freq=_MONDAY_WEEKS) -> str:
    return _Q1_CORE.format(original=original, upper=upper) + _Q1_GROUP.format(freq=freq)


def _q2(start="WEEK_START", rate='float(_wx["reads"].sum() / _wx["delivered"].sum())') -> str:
    return (
        f'_wx = posts[(posts["channel"] == "wechat") & (posts["published_at"] >= {start})\n'
        f'            & (posts["published_at"] < {start} + pd.Timedelta(days=7))]\n'
        f"wechat_read_rate = {rate}"
    )


_RAW = '_raw = pd.read_csv(WECHAT_EXPORT, encoding="gb18030", dtype=str)\n'


def _q4(readers='_to_int(_raw["总阅读人数"])', floor='_raw["总阅读人数"].str.endswith("+")') -> str:
    return (
        _RAW
        + "def _to_int(text):\n"
        '    return text.str.replace(",", "", regex=False).str.replace("10万+", "100000", regex=False).astype("int64")\n'
        "wechat_clean = pd.DataFrame({\n"
        '    "title": _raw["内容标题"],\n'
        '    "published_at": pd.to_datetime(_raw["发表时间"], format="%Y/%m/%d %H:%M"),\n'
        f'    "readers": {readers},\n'
        f'    "readers_is_floor": {floor},\n'
        '    "delivered": _to_int(_raw["送达人数"]),\n'
        '    "sharers": _to_int(_raw["总分享人数"]),\n'
        "})"
    )


def _q5(original='& posts["original"]', how='["shares"].mean()') -> str:
    return (
        f'_wb = posts[(posts["channel"] == "weibo") {original}]\n'
        f'weibo_reposts_per_post = _wb.groupby("content_type", observed=True){how}.sort_values(ascending=False)'
    )


def _q6(position='& (posts["position"] == 1)', rate='_g["reads_push"].sum() / _g["delivered"].sum()', prep="") -> str:
    return (
        f'_lead = posts[(posts["channel"] == "wechat") {position} & ~posts["boosted"] & posts["campaign_id"].isna()].copy()\n'
        '_lead["slot"] = pd.cut(_lead["published_at"].dt.hour, bins=SLOT_HOURS, right=False, labels=SLOTS)\n'
        f"{prep}"
        '_g = _lead.groupby("slot", observed=False)\n'
        f'slot_table = pd.DataFrame({{"posts": _g.size(), "open_rate": {rate}}})\n'
        "slot_table.index = slot_table.index.astype(str)\n"
        'slot_table["open_rate"] = slot_table["open_rate"].astype(float)'
    )


_PER_POST_OPEN = '_lead["_rate"] = _lead["reads_push"] / _lead["delivered"]\n'

TASKS = {
    "q1": Task(
        title="第 1 题：每周原创篇数，按渠道",
        variable="originals_per_week",
        hints=(
            "三步：筛出微信和微博的原创（original 为 True）→ 按“周一开始的周”和渠道分组数篇数 → 把渠道变成列。",
            ("按周分组：pd.Grouper(key=\"published_at\", freq=\"W-MON\", label=\"left\", closed=\"left\")（课程 1.6 节），"
            "和 \"channel\" 一起放进 groupby，.size() 后 .unstack(\"channel\", fill_value=0)。日期上界写“< 10 月 6 日”。"),
        ),
        mistakes=(
            Mistake("把转载和转发也算进了工作量", "微信次条的转载、微博的“//转发”不是自己写的：先筛 original 为 True 的行。",
                    _q1(original="")),
            Mistake("用了 pandas 默认的周（以周日做标签）",
                    "resample(\"W\") / freq=\"W\" 的周虽然也是周一到周日，但标签是周日；题目要求用周一做标签"
                    "（label=\"left\", closed=\"left\", freq=\"W-MON\"）。",
                    _q1(freq='freq="W"')),
            Mistake("日期上界写成了“≤ 10 月 5 日”", "“≤ 2025-10-05”指的是 10 月 5 日 0 点，周日白天发的内容被漏掉了：写“< 2025-10-06”。",
                    _q1(upper='<= "2025-10-05"')),
        ),
    ),
    "q2": Task(
        title="第 2 题：上周微信的阅读率",
        variable="wechat_read_rate",
        hints=(
            "一周汇总算：先把这周所有微信文章的阅读加起来、送达加起来，再相除。",
            ("筛选“≥ WEEK_START 且 < WEEK_START + 7 天”的微信文章，然后 reads.sum() / delivered.sum()。"
            "不要先算每篇的率再取平均；分子是 reads（全部阅读），不是 reads_push。"),
        ),
        mistakes=(
            Mistake("每篇阅读率的平均", "平均率让每篇文章一样重；一周的阅读率要汇总算：Σ阅读 ÷ Σ送达。",
                    _q2(rate='float((_wx["reads"] / _wx["delivered"]).mean())')),
            Mistake("算成了打开率", "reads_push 只是从推送消息点开的人，题目的阅读率用全部阅读人数 reads（含朋友圈等来源）。",
                    _q2(rate='float(_wx["reads_push"].sum() / _wx["delivered"].sum())'), public=True),
            Mistake("周从周日开始", "运营的一周是周一到周日：从 9 月 28 日（周日）算会把上周日的文章算进来、把 10 月 5 日的漏掉。",
                    _q2(start='pd.Timestamp("2025-09-28")')),
            Mistake("分母用了曝光量", "阅读率的分母是送达人数 delivered；impressions 还包括推荐曝光。",
                    _q2(rate='float(_wx["reads"].sum() / _wx["impressions"].sum())'), public=True),
        ),
    ),
    "q3": Task(
        title="第 3 题：全年阅读最多的三篇公众号文章",
        variable="top3_titles",
        hints=(
            "先用 encoding=\"gb18030\" 读文件；“总阅读人数”是文本，要变成数字才能排序：去掉千分位逗号，“10万+”记成 100000。",
            ("课程 3.2 节：pd.to_numeric(errors=\"coerce\") 会把“10万+”变成空值、从排行榜上消失；"
            "先 .str.replace 处理“10万+”，再转整数，然后 sort_values(ascending=False) 取前 3 行的“内容标题”。"),
        ),
        mistakes=(
            Mistake("“10万+”被变成了空值", "errors=\"coerce\" 把“10万+”悄悄变成 NaN，全年阅读最多的那篇就不见了：它至少有 100000 人读。",
                    _RAW + '_n = pd.to_numeric(_raw["总阅读人数"].str.replace(",", "", regex=False), errors="coerce")\n'
                    'top3_titles = _raw.loc[_n.sort_values(ascending=False).index[:3], "内容标题"].tolist()'),
            Mistake("没转成数字就排序", "文本按字典序排，\"999\" 排在 \"10,000\" 前面：先去掉逗号、处理“10万+”，转成整数再排序。",
                    _RAW + 'top3_titles = _raw.sort_values("总阅读人数", ascending=False)["内容标题"].head(3).tolist()'),
        ),
    ),
    "q4": Task(
        title="第 4 题：把公众号导出清洗成干净的表",
        variable="wechat_clean",
        hints=(
            ("逐列转换：时间用 pd.to_datetime(format=\"%Y/%m/%d %H:%M\")；数字列去掉逗号、“10万+”记 100000 后 .astype(\"int64\")；"
            "readers_is_floor 是“原文是不是以 + 结尾”。"),
            ("用 dtype=str 读，所有列先是文本；.str.replace(\",\", \"\", regex=False)、.str.replace(\"10万+\", \"100000\", regex=False)、"
            ".str.endswith(\"+\")。readers 来自“总阅读人数”（人），不是“总阅读次数”。"),
        ),
        mistakes=(
            Mistake("“10万+”变成了 10", "去掉“万+”之后还要乘 10000：“10万+”是至少 100000 人。",
                    _q4(readers='_raw["总阅读人数"].str.replace(",", "", regex=False).str.replace("万+", "", regex=False).astype("int64")')),
            Mistake("用了阅读次数", "readers 是“总阅读人数”（人）；“总阅读次数”把同一个人读两遍算两次。",
                    _q4(readers='_to_int(_raw["总阅读次数"])')),
            Mistake("没有标出下限", "“10万+”只是下限：readers_is_floor 对这一行应该是 True，报告里才能写“10万+”而不是一个假装精确的数。",
                    _q4(floor='pd.Series(False, index=_raw.index)')),
        ),
    ),
    "q5": Task(
        title="第 5 题：微博每条原创的平均转发，按内容形式",
        variable="weibo_reposts_per_post",
        hints=(
            "筛出微博上的原创，按 content_type 分组，取 shares 的平均（= 转发合计 ÷ 条数）。",
            "groupby(\"content_type\", observed=True)[\"shares\"].mean()，observed=True 让没出现过的形式不出现；最后 sort_values(ascending=False)。",
        ),
        mistakes=(
            Mistake("算成了转发合计", "题目要每条的平均：合计会让发得多的形式显得好。",
                    _q5(how='["shares"].sum()')),
            Mistake("把“//转发”也算进来", "转发别人的微博不是原创，它的转发数很少，会把平均拉低：先筛 original 为 True。",
                    _q5(original="")),
            Mistake("用了中位数", "题目定义的是平均：转发合计 ÷ 条数，即 mean()，不是 median()。",
                    _q5(how='["shares"].median()')),
        ),
    ),
    "q6": Task(
        title="第 6 题：哪个时段发头条打开率最高",
        variable="slot_table",
        hints=(
            "筛选：微信、position == 1、没投放、campaign_id 为空；用 pd.cut(小时, bins=SLOT_HOURS, right=False, labels=SLOTS) 分时段。",
            "每个时段：posts = 篇数（size），open_rate = reads_push 合计 ÷ delivered 合计（汇总，不是每篇打开率的平均或中位数）。",
        ),
        mistakes=(
            Mistake("用了全部阅读", "打开率只算从推送消息点开的 reads_push；reads 还含朋友圈，会被一篇爆款带偏。",
                    _q6(rate='_g["reads"].sum() / _g["delivered"].sum()')),
            Mistake("先算每篇的打开率再平均", "题目要汇总的打开率：Σreads_push ÷ Σdelivered，不是每篇的率再平均。",
                    _q6(rate='_g["_rate"].mean()', prep=_PER_POST_OPEN)),
            Mistake("次条也算进来了", "只看头条（position == 1）：次条的打开率低得多，哪个时段次条多，哪个时段就被拉低。",
                    _q6(position="")),
        ),
    ),
    "q7": Task(
        title="第 7 题：哪些标题用了广告法禁止的绝对化用语",
        variable="flagged_ids",
        hints=(
            "对每个标题检查 FORBIDDEN 里的每个短语是否出现在标题里，只要有一个就算。",
            ("posts[\"title\"].map(lambda t: any(w in t for w in FORBIDDEN)) 得到一列 True/False，"
            "再取这些行的 post_id，sorted(...) 成列表。"),
        ),
        mistakes=(
            Mistake("见到“最”或“第一”就算", "“第一次去云南”“离昆明最近的花海”不是绝对化用语：只查 FORBIDDEN 里完整的短语。",
                    'flagged_ids = sorted(posts.loc[posts["title"].str.contains("最|第一"), "post_id"].tolist())'),
            Mistake("只查了几个例子词", "FORBIDDEN 的每一个短语都要查，“最好”“最低价”“史上最”也是违禁词。",
                    'flagged_ids = sorted(posts.loc[posts["title"].str.contains("最佳|顶级|国家级|第一品牌"), "post_id"].tolist())'),
        ),
    ),
}

WRITTEN = {
    "q8": Written(
        title="第 8 题：给老板的周报",
        rubric=(
            "这周干了多少、被多少人看到，每个数字说清楚口径：1 分",
            "说对最好的内容：“10万+”只是下限、阅读从哪里来、为什么这周不能和平常的周比：1 分",
            "一条有数据支持的具体建议，说清楚下周怎么做、怎么看效果：1 分",
            "不踩坑（不跨渠道比阅读、不用平均率）、不超过 400 字：1 分",
        ),
    ),
}

# Wrong answers that are not named mistakes: the visible (format) test must reject them.
PLANTED = {
    "q1": [("周从周日开始（多出一行）", _q1(freq='freq="W-SUN", label="left", closed="left"'))],
    "q2": [("写成了百分数", _q2(rate='float(_wx["reads"].sum() / _wx["delivered"].sum() * 100)'))],
    "q3": [("交了 Series 而不是列表", _RAW + 'top3_titles = _raw["内容标题"].head(3)')],
    "q4": [("“10万+”留成了空值（readers 变成小数）",
            _q4(readers='pd.to_numeric(_raw["总阅读人数"].str.replace(",", "", regex=False), errors="coerce")'))],
    "q5": [("没有排序", ('_wb = posts[(posts["channel"] == "weibo") & posts["original"]]\n'
            'weibo_reposts_per_post = _wb.groupby("content_type", observed=True)["shares"].mean().sort_index()'))],
    "q7": [("交了标题而不是编号",
            'flagged_ids = sorted(posts.loc[posts["title"].map(lambda t: any(w in t for w in FORBIDDEN)), "title"].tolist())')],
}
