"""What is known about the answers of assignment 00-orientation: the one place (instructor only).

``TASKS`` (autograded tasks: title, answer variable, tiered hints, known
wrong answers with their Chinese explanations), ``WRITTEN`` (manually graded
tasks: title, rubric) and ``PLANTED`` (other wrong answers the tests plant:
format errors the visible test catches, objects that lie about equality).
See ``nmops/coach.py`` for who reads it and for what ships with
``exercises/`` (``coach.json``: titles, hints, format checks and the
mistakes marked ``public=True`` only). A mistake is public only when its
wrong value tells nothing of the right one.

``CourseDirectory.ignore`` in ``nbgrader_config.py`` keeps this file out of
``exercises/`` and out of autograded submissions.
"""

from nmops.coach import Mistake, Task, Written

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


TASKS = {
    "q1": Task(
        title="第 1 题：每个级别用哪些 KPI 考核",
        variable="level_kpis",
        hints=(
            "只看文章里每个级别“绩效考核”那一段，不看“工作内容”：做什么工作和用什么考核是两回事。",
            "逐级对照：小白“以工作量和曝光数字为 KPI”；初级在此之上加了活动参与人数和引流；"
            "中级不再看工作量和曝光；转化率只在一个级别出现。",
        ),
        mistakes=(
            Mistake("转化率算进了初级", "文中转化率只出现在高级的考核里，初级考核的是工作量、曝光、活动参与人数和引流。",
                    _level_kpis(初级={"工作量", "曝光量", "活动参与人数", "流量", "转化率"})),
            Mistake("小白也考核活动参与人数", "小白也做活动，但文中说小白的考核以工作量和曝光数字为 KPI：做什么和考核什么是两回事。",
                    _level_kpis(小白={"工作量", "曝光量", "活动参与人数"})),
            Mistake("中级仍考核工作量和曝光", "文中说中级已经不再以工作量和曝光来考核，看的是流量和用户粘性。",
                    _level_kpis(中级={"工作量", "曝光量", "流量", "用户粘性"})),
            Mistake("高级漏了用户粘性", "高级要对最终转化负责，但文中高级的考核里用户粘性仍然在。",
                    _level_kpis(高级={"流量", "转化率"})),
        ),
    ),
    "q2a": Task(
        title="第 2 题 (a)：小白和初级负责哪些平台",
        variable="named_channels",
        hints=(
            "初级的渠道是“以……为主，开始探索……”：主渠道和开始尝试的渠道都要算进去。",
            "小白：文中“公司的微博和微信”（微信即微信公众号）；初级：主渠道加上括号里举例的两个平台。",
        ),
        mistakes=(
            Mistake("初级漏了开始尝试的平台", "文中初级“开始探索其他渠道（如知乎、今日头条）”：题目问的是负责或开始尝试推广的平台，尝试的也要算。",
                    'named_channels = {"小白": {"微博", "微信公众号"}, "初级": {"微博", "微信公众号"}}'),
            Mistake("小白也推广知乎", "小白只负责公司的微博和微信，知乎是初级才开始尝试的。",
                    'named_channels = {"小白": {"微博", "微信公众号", "知乎"}, "初级": {"微博", "微信公众号", "知乎", "今日头条"}}'),
        ),
    ),
    "q2b": Task(
        title="第 2 题 (b)：哪些级别不再限定具体平台",
        variable="free_channel_levels",
        hints=(
            "找文中说“有权限测试新渠道”和“不限于具体渠道”的级别。",
            "渠道不限定的级别从中间某一级开始，一直到最高级。",
        ),
        mistakes=(
            Mistake("只算了高级", "中级已经“有权限自己去测试新的渠道”，渠道也不再限定在具体平台上。",
                    'free_channel_levels = {"高级"}'),
            Mistake("把初级也算进来", "初级仍以微博和微信为主，只是开始尝试几个点名的平台，渠道还是具体的。",
                    'free_channel_levels = {"初级", "中级", "高级"}'),
        ),
    ),
    "q3a": Task(
        title="第 3 题 (a)：一周写了几篇原创文章",
        variable="n_original",
        hints=(
            "只数 kind 是“原创文章”的行：转载的文章不是自己写的，微博也不算文章。",
            "比较运算“某列 == 某个值”得到一列 True/False（第 0 课“按条件筛选”一节）；"
            "对这一列 .sum()，得到的就是 True 的个数。",
        ),
        mistakes=(
            Mistake("数了所有行", "表里有微博和转载文章，它们不是原创文章：要先按 kind 筛选再数。",
                    "n_original = len(posts)", public=True),
            Mistake("数了所有公众号内容", "公众号上还有转载文章，转载不是自己写的：按 kind（类型）筛选，而不是按 platform（平台）。",
                    'n_original = (posts["platform"] == "微信公众号").sum()', public=True),
        ),
    ),
    "q3b": Task(
        title="第 3 题 (b)：原创文章的阅读数之和",
        variable="original_reads",
        hints=(
            "先筛出原创文章的行，再把它们的阅读数加起来。",
            "表.loc[行的条件, 列名] 取出符合条件的行的某一列，再用 .sum() 求和；行的条件和 (a) 题一样。",
        ),
        mistakes=(
            Mistake("把转载文章的阅读也算进来", "按平台筛选会把公众号上的转载文章也算进去：题目只要原创文章，应按 kind 筛选。",
                    'original_reads = posts.loc[posts["platform"] == "微信公众号", "reads"].sum()', public=True),
            Mistake("把整周所有内容（含微博）的阅读都加起来", "微博和转载文章的阅读不是原创文章的曝光：先筛选再求和。",
                    'original_reads = posts["reads"].sum()', public=True),
            Mistake("算成了平均阅读", "题目要的是阅读数加起来的总数（.sum()），不是每篇的平均数（.mean()）。",
                    'original_reads = int(posts.loc[posts["kind"] == "原创文章", "reads"].mean())', public=True),
        ),
    ),
    "q3c": Task(
        title="第 3 题 (c)：微博一共被转发了多少次",
        variable="weibo_reposts",
        hints=(
            "只看平台是“微博”的行，加的是转发数 reposts，不是阅读数。",
            "和 (b) 题同一个套路：表.loc[行的条件, 列名] 再 .sum()，只是条件换成看平台，列换成转发数。",
        ),
        mistakes=(
            Mistake("把公众号文章的转发也算进来", "题目只问微博的转发：先筛出平台是微博的行，再加 reposts。",
                    'weibo_reposts = posts["reposts"].sum()', public=True),
            Mistake("数了微博条数而不是转发数", "要的是转发次数之和（reposts 列求和），不是发了几条微博。",
                    'weibo_reposts = (posts["platform"] == "微博").sum()', public=True),
            Mistake("加的是微博的阅读数", "要加的是 reposts（转发数）列，不是 reads（阅读数）列。",
                    'weibo_reposts = posts.loc[posts["platform"] == "微博", "reads"].sum()', public=True),
        ),
    ),
}

WRITTEN = {
    "q4": Written(
        title="第 4 题：从初级到中级，变的是什么",
        rubric=(
            "说清楚这个变化是什么（用自己的话）：1 分",
            "引用文章中至少一句原话支持你的说法：1 分",
            "说明变化体现在渠道、工作内容、绩效考核中的哪一个或几个方面：1 分",
        ),
    ),
}

# Wrong answers that are not named mistakes: the visible (format) test or the
# exact-type checks must reject them. (why, code) per task.
PLANTED = {
    "q1": [
        ("值写成列表而不是集合",
         "level_kpis = {k: sorted(v) for k, v in " + repr(_LEVEL_KPIS) + ".items()}"),
        ("一个 __eq__ 永远返回 True 的 dict 子类",
         "class _AlwaysEqual(dict):\n"
         "    def __eq__(self, other):\n"
         "        return True\n"
         "level_kpis = _AlwaysEqual({k: set() for k in LEVELS})"),
    ],
    "q2b": [("写成列表而不是集合", 'free_channel_levels = ["中级", "高级"]')],
    "q3a": [
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
}
