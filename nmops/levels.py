"""The four levels of a new media operator (新媒体运营的四个级别), as the course's source article defines them.

Source: 《昆明新媒体运营每天都干什么》 (the seed article of this course). It
splits the job into 小白 (novice), 初级 (junior), 中级 (intermediate) and
高级 (senior), each described by the channels it is responsible for
(负责的渠道), its work (工作内容) and how it is judged (绩效考核, KPI).
Lessons show this table and graded assignments check answers against it,
so the article is encoded once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Level", "LEVELS", "KPI_NAMES", "CHANNEL_NAMES", "get_level", "levels_table"]

#: KPI codes used by the course, with their Chinese names.
KPI_NAMES = {
    "workload": "工作量",               # e.g. original articles written per week
    "exposure": "曝光量",               # e.g. article reads, Weibo reposts
    "activity_participants": "活动参与人数",
    "traffic": "流量",                  # traffic brought to the product (引流)
    "stickiness": "用户粘性",
    "conversion_rate": "转化率",
}

#: Channel codes used by the course, with their Chinese names.
CHANNEL_NAMES = {
    "wechat": "微信公众号",
    "weibo": "微博",
    "zhihu": "知乎",
    "toutiao": "今日头条",
    "douyin": "抖音",
    "xiaohongshu": "小红书",
}


@dataclass(frozen=True)
class Level:
    """One level of the job: who it is, where it works, what it does, how it is judged."""

    code: str
    name: str
    role: str
    channels: str
    core_channels: tuple[str, ...]
    trial_channels: tuple[str, ...]
    work: tuple[str, ...]
    kpis: tuple[str, ...]
    next_step: str


LEVELS: tuple[Level, ...] = (
    Level(
        code="novice",
        name="小白",
        role="没有经验的新人，还没掌握系统的工作方式；做执行类的“体力活”，主要负责产出内容。",
        channels="公司的微博和微信",
        core_channels=("wechat", "weibo"),
        trial_channels=(),
        work=("写（原创）文章", "做微博、微信的活动"),
        kpis=("workload", "exposure"),
        next_step="开始懂得调整、优化自己的工作，思考如何评估绩效，就成了初级。",
    ),
    Level(
        code="junior",
        name="初级",
        role="不再傻干活：开始调整优化自己的工作，开始思考如何评估绩效。",
        channels="以公司的微博和微信为主，开始探索其他渠道（如知乎、今日头条）",
        core_channels=("wechat", "weibo"),
        trial_channels=("zhihu", "toutiao"),
        work=("写文章", "做微博、微信的活动"),
        kpis=("workload", "exposure", "activity_participants", "traffic"),
        next_step="有理有据地工作：做用户调查、收集画像、调查需求，按需求做内容、选渠道，并用反馈优化，就到了中级。",
    ),
    Level(
        code="intermediate",
        name="中级",
        role="按科学的流程工作：用户调查、用户画像、用户需求 → 内容与渠道 → 评估绩效、回收反馈 → 调整优化。",
        channels="已验证能给公司带来流量的固有渠道，并有权限测试新渠道",
        core_channels=(),
        trial_channels=(),
        work=("用户调查与用户画像", "根据需求做任何形式的内容：文章、活动、漫画、合作", "用数据反馈证明工作有效"),
        kpis=("traffic", "stickiness"),
        next_step="完全自主地工作，以绩效为目标、为最终转化负责，就到了高级。",
    ),
    Level(
        code="senior",
        name="高级",
        role="纯粹自主地工作，以绩效为目标，为最终转化负责，用各种方式为产品带来流量。",
        channels="不限渠道，自己灵活选择",
        core_channels=(),
        trial_channels=(),
        work=("任何能给产品带来流量和用户粘性的工作（法无禁止即可为）",),
        kpis=("traffic", "conversion_rate", "stickiness"),
        next_step="这是文章中的最高级别。",
    ),
)


def get_level(key: str) -> Level:
    """Look a level up by its code (``"novice"``) or Chinese name (``"小白"``).

    Examples
    --------
    >>> get_level("初级").kpis
    ('workload', 'exposure', 'activity_participants', 'traffic')
    """
    for level in LEVELS:
        if key in (level.code, level.name):
            return level
    names = "、".join(f"{lv.name}（{lv.code}）" for lv in LEVELS)
    raise KeyError(f"没有这个级别：{key!r}。可选：{names}。 / unknown level {key!r}.")


def levels_table() -> pd.DataFrame:
    """The four levels as a table in Chinese (级别, 角色, 负责的渠道, 工作内容, 绩效考核).

    Examples
    --------
    >>> levels_table().index.tolist()
    ['小白', '初级', '中级', '高级']
    >>> levels_table().loc["高级", "绩效考核"]
    '流量、转化率、用户粘性'
    """
    rows = [
        {
            "级别": lv.name,
            "角色": lv.role,
            "负责的渠道": lv.channels,
            "工作内容": "；".join(lv.work),
            "绩效考核": "、".join(KPI_NAMES[k] for k in lv.kpis),
        }
        for lv in LEVELS
    ]
    return pd.DataFrame(rows).set_index("级别")
