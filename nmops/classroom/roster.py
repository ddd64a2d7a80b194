"""The class roster (学员名单): a CSV file of learners, one line each, checked before any account exists.

The instructor writes it in Excel, WPS or a text editor::

    id,name
    stu01,王小明
    zhangsan,张三

or with the Chinese header ``学号,姓名``. Each ``id`` becomes a learner's Unix
user name on the class server, so :func:`read_roster` checks every line and
reports every problem at once, in Chinese, with the file, the line, the value
and what to change. ``name`` is optional (may be empty or absent).

Accepted: UTF-8, UTF-8 with BOM (Excel's "CSV UTF-8") and GB18030/GBK (Excel's
"CSV" on Chinese Windows); blank lines are skipped, cells are stripped, columns
other than id/name are ignored. An example: ``docs/roster-example.csv``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nmops._encoding import UnknownEncoding, decode_text
from nmops.grading.sandbox import GRADER_USER

__all__ = ["Learner", "RosterError", "read_roster", "user_id_problem", "MAX_ID_LENGTH", "RESERVED_IDS",
           "RESERVED_PREFIXES"]

#: Longest user name accepted (``useradd`` allows 32 characters).
MAX_ID_LENGTH = 32
#: User names a learner may not get: system accounts, the hub's and the grader's.
RESERVED_IDS = frozenset({"root", "nobody", "admin", "jupyter", "jupyterhub", GRADER_USER})
#: Prefixes of user names kept for the course's own accounts.
RESERVED_PREFIXES = ("grader-",)

_ID_HEADERS = ("id", "学号")
_NAME_HEADERS = ("name", "姓名")
_ALLOWED = re.compile(r"[a-z0-9_-]")
_SEPARATORS = {"\t": "制表符（Tab）", "，": "中文逗号“，”", ";": "分号“;”", "；": "中文分号“；”"}
_SAVE_AS = "请在 Excel 或 WPS 里另存为“CSV UTF-8（逗号分隔）”，或用文本编辑器保存为 UTF-8，然后重试。"


@dataclass(frozen=True)
class Learner:
    """One learner of the roster.

    Attributes
    ----------
    user_id : str
        Their user name on the class server (the roster's ``id``/``学号``).
    name : str
        Their name as the instructor wrote it (``name``/``姓名``), possibly empty.
    """

    user_id: str
    name: str


class RosterError(ValueError):
    """A roster that cannot be used; the message (Chinese) lists every problem and what to change.

    Attributes
    ----------
    problems : list of str
        One message per problem, each naming its line (or the whole file).
    """

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        if len(problems) == 1:
            message = f"名单文件 {path}：{problems[0]}"
        else:
            message = f"名单文件 {path} 有 {len(problems)} 处问题，请全部改正后重试：\n" + "\n".join(
                f"- {p}" for p in problems)
        super().__init__(message)


def user_id_problem(user_id: str) -> str | None:
    """What is wrong with ``user_id`` as a learner's user name (Chinese), or None if it can be used.

    Rules: 1 to :data:`MAX_ID_LENGTH` characters; lowercase letters ``a-z``,
    digits, ``-`` and ``_`` only; a letter first; not in :data:`RESERVED_IDS`
    and not starting with one of :data:`RESERVED_PREFIXES`.

    Parameters
    ----------
    user_id : str
        The candidate user name, already stripped.

    Returns
    -------
    str or None
        What breaks which rule, e.g. ``"以数字开头（用户名只能用……）"``; None when it is fine.

    Examples
    --------
    >>> user_id_problem("stu01") is None
    True
    >>> user_id_problem("Zhang San")
    '含有大写字母、空格（用户名只能用小写字母、数字、- 和 _，以字母开头，最多 32 个字符）'
    """
    if not user_id:
        return "是空的"
    contains = []
    if any("A" <= ch <= "Z" for ch in user_id):
        contains.append("大写字母")
    if any(ch.isspace() for ch in user_id):
        contains.append("空格")
    others = dict.fromkeys(ch for ch in user_id if not _ALLOWED.fullmatch(ch.lower()) and not ch.isspace())
    if others:
        contains.append("不允许的字符 " + " ".join(f"“{ch}”" for ch in others))
    reasons = ["含有" + "、".join(contains)] if contains else []
    if not ("a" <= user_id[0].lower() <= "z"):
        reasons.append("以数字开头" if user_id[0].isdigit() else "不是以字母开头")
    if len(user_id) > MAX_ID_LENGTH:
        reasons.append(f"有 {len(user_id)} 个字符，超过上限 {MAX_ID_LENGTH} 个")
    if reasons:
        return "，".join(reasons) + f"（用户名只能用小写字母、数字、- 和 _，以字母开头，最多 {MAX_ID_LENGTH} 个字符）"
    if user_id in RESERVED_IDS or user_id.startswith(RESERVED_PREFIXES):
        reserved = "、".join(sorted(RESERVED_IDS)) + "".join(f"，以及 {p} 开头的名字" for p in RESERVED_PREFIXES)
        return f"是系统或课程保留的用户名（{reserved}），不能给学员用"
    return None


def _suggestion(user_id: str) -> str:
    """What to write instead: a cleaned-up form of ``user_id`` if one can be made, else examples."""
    candidate = "".join(ch for ch in user_id.lower() if _ALLOWED.fullmatch(ch))
    if candidate and not ("a" <= candidate[0] <= "z"):
        candidate = "s" + candidate
    candidate = candidate[:MAX_ID_LENGTH]
    if not candidate or user_id_problem(candidate) is not None:
        candidate = "stu-" + candidate if candidate and user_id_problem("stu-" + candidate) is None else ""
    if candidate and candidate != user_id:
        return f"请改成例如 {candidate} 后重试。"
    return "请改用拼音或编号，例如 zhangsan 或 stu01，然后重试。"


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RosterError(path, ["找不到这个文件。请检查路径和文件名（例如 docs/roster-example.csv）后重试。"]) from None
    except IsADirectoryError:
        raise RosterError(path, ["这是一个文件夹，不是名单文件。请给出 CSV 文件的路径。"]) from None
    except OSError as exc:
        raise RosterError(path, [f"无法读取（{exc.strerror}）。请检查文件权限后重试。"]) from None
    try:
        return decode_text(data)[0]
    except UnknownEncoding as exc:
        if exc.utf16:
            raise RosterError(path, ["文件是 UTF-16 编码（Excel 的“Unicode 文本”会存成这样），不是 UTF-8 或 GB18030。"
                                     + _SAVE_AS]) from None
        raise RosterError(path, ["无法识别文件编码：它既不是 UTF-8（带或不带 BOM），也不是 GB18030/GBK（"
                                 + "；".join(exc.attempts) + "），也可能根本不是文本文件。" + _SAVE_AS]) from None


def _rows(path: Path, text: str):
    """(first line number, stripped cells) of every non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            cells = [cell.strip() for cell in row]
            if any(cells):
                yield start, cells
    except csv.Error as exc:
        raise RosterError(path, [f"第 {reader.line_num} 行不是合法的 CSV（{exc}）。请检查这一行的引号，"
                                 "或在 Excel 里另存为“CSV UTF-8（逗号分隔）”后重试。"]) from None


def _columns(line: int, header: list[str]) -> tuple[int, int | None, list[str]]:
    """Positions of the id and name columns in the header, and the header's problems."""
    shown = ",".join(header)
    if len(header) == 1:
        for sep, what in _SEPARATORS.items():
            if sep in header[0]:
                return -1, None, [f"第 {line} 行的表头 “{shown}” 用{what}分隔，不是英文逗号“,”。"
                                  f"请改用英文逗号，例如 id,name。"]
    keys = [cell.lower() for cell in header]
    ids = [i for i, k in enumerate(keys) if k in _ID_HEADERS]
    names = [i for i, k in enumerate(keys) if k in _NAME_HEADERS]
    problems = []
    if not ids:
        problems.append(f"第 {line} 行的表头 “{shown}” 里没有 id 列（也可以写作 学号）。第一行应该是表头 id,name 或 学号,姓名；"
                        "如果第一行已经是学员，请在它上面加一行表头。")
    if len(ids) > 1 or len(names) > 1:
        problems.append(f"第 {line} 行的表头 “{shown}” 有重复的列（id/学号 或 name/姓名 出现了两次）。请只保留一列。")
    return (ids[0] if ids else -1), (names[0] if names else None), problems


def read_roster(path: str | Path) -> list[Learner]:
    """Read and check a class roster (CSV with header ``id,name`` or ``学号,姓名``).

    Parameters
    ----------
    path : str or Path
        The roster file: UTF-8, UTF-8 with BOM or GB18030/GBK.

    Returns
    -------
    list of Learner
        The learners in file order.

    Raises
    ------
    RosterError
        Listing every problem at once: unreadable file or encoding, a missing
        ``id`` column, a line without ``id``, an ``id`` that cannot be a user
        name (see :func:`user_id_problem`), a duplicate ``id`` (letter case
        ignored), or a line with more cells than the header.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = path.write_text("学号,姓名\\n stu01 , 王小明\\n\\nzhangsan,\\n", encoding="gb18030")
    >>> read_roster(path)
    [Learner(user_id='stu01', name='王小明'), Learner(user_id='zhangsan', name='')]
    """
    path = Path(path)
    rows = iter(_rows(path, _read_text(path)))
    first = next(rows, None)
    if first is None:
        raise RosterError(path, ["文件是空的。第一行写表头 id,name（或 学号,姓名），下面每行一个学员，例如 stu01,王小明。"])
    header_line, header = first
    id_col, name_col, problems = _columns(header_line, header)
    if problems:
        raise RosterError(path, problems)
    width = max(i for i, cell in enumerate(header) if cell) + 1
    learners, seen = [], {}
    for line, cells in rows:
        extra = [cell for cell in cells[width:] if cell]
        if extra:
            problems.append(f"第 {line} 行比表头多了 {len(extra)} 个值（“{','.join(cells)}”）。"
                            "姓名里有英文逗号时，请把姓名放在英文双引号里，或改用中文逗号“，”。")
            continue
        user_id = cells[id_col] if id_col < len(cells) else ""
        name = cells[name_col] if name_col is not None and name_col < len(cells) else ""
        if not user_id:
            problems.append(f"第 {line} 行没有学号（id 是空的，姓名 “{name}”）。学号就是登录用户名，每个学员都要有："
                            "请填上学号，或删掉这一行。")
            continue
        problem = user_id_problem(user_id)
        if problem:
            problems.append(f"第 {line} 行的学号 “{user_id}” 不能用作用户名：{problem}。{_suggestion(user_id)}")
        key = user_id.lower()
        if key in seen:
            problems.append(f"第 {line} 行的学号 “{user_id}” 和第 {seen[key]} 行重复（不区分大小写）。"
                            "每个学员的学号必须不同：请改掉其中一个后重试。")
        else:
            seen[key] = line
        learners.append(Learner(user_id, name))
    if problems:
        raise RosterError(path, problems)
    return learners
