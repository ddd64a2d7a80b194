"""Plausible wrong answers for assignment 00-orientation (instructor only).

Never released: ``CourseDirectory.ignore`` in ``nbgrader_config.py`` keeps
this file out of ``exercises/`` and out of autograded submissions.

``tests/test_assignments.py`` reads ``WRONG_ANSWERS``: for each autograder
test cell (key: its ``grade_id``) it replaces the nearest answer cell above
that test with each snippet, runs the notebook up to the test, and requires
the snippet itself to run cleanly and the test cell to fail with an
AssertionError. Every autograder test cell needs at least one entry, and each
entry says which misreading of the article or the data it stands for.
"""

_LEVEL_KPIS = {
    "小白": {"工作量", "曝光量"},
    "初级": {"工作量", "曝光量", "活动参与人数", "流量"},
    "中级": {"流量", "用户粘性"},
    "高级": {"流量", "转化率", "用户粘性"},
}


def _level_kpis(**changes: set) -> str:
    """Code that defines ``level_kpis`` as the right answer with some levels changed."""
    value = {level: changes.get(level, kpis) for level, kpis in _LEVEL_KPIS.items()}
    return f"level_kpis = {value!r}"


WRONG_ANSWERS = {
    "q1_test": [
        ("转化率也算进了初级（文中转化率只出现在高级）",
         _level_kpis(初级={"工作量", "曝光量", "活动参与人数", "流量", "转化率"})),
        ("小白也考核活动参与人数（小白做活动，但考核的是工作量和曝光）",
         _level_kpis(小白={"工作量", "曝光量", "活动参与人数"})),
        ("中级仍考核工作量和曝光（文中说中级不再以工作量和曝光考核）",
         _level_kpis(中级={"工作量", "曝光量", "流量", "用户粘性"})),
        ("高级漏了用户粘性", _level_kpis(高级={"流量", "转化率"})),
        ("值写成列表而不是集合",
         "level_kpis = {k: sorted(v) for k, v in " + repr(_LEVEL_KPIS) + ".items()}"),
        ("一个 __eq__ 永远返回 True 的 dict 子类",
         "class _AlwaysEqual(dict):\n"
         "    def __eq__(self, other):\n"
         "        return True\n"
         "level_kpis = _AlwaysEqual({k: set() for k in LEVELS})"),
    ],
    "q2a_test": [
        ("初级只有微博和微信（漏了开始尝试的知乎、今日头条）",
         'named_channels = {"小白": {"微博", "微信"}, "初级": {"微博", "微信"}}'),
        ("小白也推广知乎",
         'named_channels = {"小白": {"微博", "微信", "知乎"}, "初级": {"微博", "微信", "知乎", "今日头条"}}'),
    ],
    "q2b_test": [
        ("只有高级不受限（中级已有权限测试新渠道）", 'free_channel_levels = {"高级"}'),
        ("把初级也算进来（初级仍以微博微信为主）", 'free_channel_levels = {"初级", "中级", "高级"}'),
        ("写成列表而不是集合", 'free_channel_levels = ["中级", "高级"]'),
    ],
    "q3a_test": [
        ("数了所有行（微博和转载也算成文章）", "n_original = len(posts)"),
        ("数了所有公众号内容（转载的文章不是原创）",
         'n_original = (posts["platform"] == "微信公众号").sum()'),
        ("一个 __eq__ 和 __sub__ 都在撒谎的 int 子类",
         "class _Liar(int):\n"
         "    def __eq__(self, other):\n"
         "        return True\n"
         "    def __sub__(self, other):\n"
         "        return 0\n"
         "    __hash__ = int.__hash__\n"
         "n_original = _Liar(1)"),
        ("篇数存成了小数（题目要求整数，检查单元格会提示）",
         'n_original = float((posts["kind"] == "原创文章").sum())'),
    ],
    "q3b_test": [
        ("把转载文章的阅读也算进来",
         'original_reads = posts.loc[posts["platform"] == "微信公众号", "reads"].sum()'),
        ("把整周所有内容（含微博）的阅读都加起来", 'original_reads = posts["reads"].sum()'),
        ("算成了平均阅读而不是总阅读",
         'original_reads = int(posts.loc[posts["kind"] == "原创文章", "reads"].mean())'),
    ],
    "q3c_test": [
        ("把公众号文章的转发也算进来", 'weibo_reposts = posts["reposts"].sum()'),
        ("数了微博条数而不是转发数", 'weibo_reposts = (posts["platform"] == "微博").sum()'),
        ("加的是微博的阅读数而不是转发数",
         'weibo_reposts = posts.loc[posts["platform"] == "微博", "reads"].sum()'),
    ],
}
