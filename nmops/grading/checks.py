"""Answer checks for autograder test cells (判题辅助函数).

A test written as ``assert answer == expected`` or
``abs(answer - expected) < tol`` trusts the learner's object: anything whose
``__eq__`` returns True, or whose ``__sub__`` returns 0, passes (this was
reproduced with nbgrader 0.9.6, see ``docs/instructor.md``). Every check here
therefore works in two steps:

1. require an exact, known type (``type(x) is dict``, not ``isinstance``),
   so a subclass that overrides ``__eq__``/``__sub__``/``__iter__`` is refused;
2. convert to plain values and compare with our own code (``math.isclose``,
   ``numpy.isclose`` on float64 arrays, equality of builtin ``str``/``int``),
   never with the answer's operators.

Each failure raises ``AssertionError`` with a Chinese message naming the
variable and what is wrong (type, length, labels, which item), never the
expected value, so the same checks can sit in visible or hidden tests.

Accepted types, one rule for every check:

* numbers: builtin ``int`` and ``float``, and numpy integer and floating
  scalars (``numpy.int64`` is what ``Series.sum()`` returns, so refusing it
  would punish correct pandas code). ``bool`` and ``numpy.bool_`` are refused
  even though ``bool`` is a subclass of ``int``: ``True`` is not a count.
* text: builtin ``str`` only.
* containers: ``dict`` (and the standard-library ``OrderedDict``,
  ``defaultdict``, ``Counter``), ``set``/``frozenset``, ``list``, ``tuple``,
  ``pandas.Series``, ``pandas.DataFrame``, each by exact type.
* labels inside sets, keys and indexes: the plain scalars above plus
  ``None``, ``bool``, ``pandas.Timestamp``, ``datetime.date``/``datetime``,
  ``pandas.Period`` and tuples of these.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections import Counter, OrderedDict, defaultdict
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "require_number",
    "check_number",
    "check_set",
    "check_mapping",
    "check_series",
    "check_frame",
]

_DICT_TYPES = (dict, OrderedDict, defaultdict, Counter)
_SET_TYPES = (set, frozenset)
_LABEL_TYPES = (str, int, float, bool, type(None), pd.Timestamp, _dt.date, _dt.datetime, pd.Period)
_MAX_SHOWN = 5


class _NotPlain(Exception):
    """A value whose type is not on the accepted list."""

    def __init__(self, value: Any):
        super().__init__(type(value).__name__)
        self.value = value


def _type_zh(value: Any) -> str:
    """Name the type of ``value`` for a learner, in Chinese.

    Examples
    --------
    >>> _type_zh(3), _type_zh("3"), _type_zh(None)
    ('整数 int', '文字 str', 'None（空值：是不是忘了赋值或 return？）')
    """
    t = type(value)
    names = {
        bool: "布尔值 bool（True/False）",
        int: "整数 int",
        float: "小数 float",
        str: "文字 str",
        list: "列表 list",
        tuple: "元组 tuple",
        dict: "字典 dict",
        set: "集合 set",
        frozenset: "集合 frozenset",
        pd.Series: "pd.Series",
        pd.DataFrame: "pd.DataFrame",
        np.ndarray: "numpy 数组 ndarray",
        type(None): "None（空值：是不是忘了赋值或 return？）",
    }
    if t in names:
        return names[t]
    if _is_numpy_number(value):
        return f"numpy 数字 {t.__name__}"
    return f"{t.__module__}.{t.__qualname__}" if t.__module__ != "builtins" else t.__name__


def _is_numpy_number(value: Any) -> bool:
    """True for numpy's own integer/floating scalar classes, not for subclasses defined elsewhere."""
    t = type(value)
    return t.__module__ == "numpy" and issubclass(t, (np.integer, np.floating))


def _is_plain_number(value: Any) -> bool:
    return type(value) in (int, float) or _is_numpy_number(value)


def _plain(value: Any) -> Any:
    """Return ``value`` as plain Python data, or raise :class:`_NotPlain`.

    numpy scalars become ``int``/``float``/``bool``; ``pd.NA`` and ``pd.NaT``
    become ``None``; tuples are converted item by item; anything whose exact type is not on the accepted list is refused.
    """
    t = type(value)
    if t in _LABEL_TYPES:
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    if t.__module__ == "numpy" and isinstance(value, np.generic):
        if isinstance(value, (np.integer, np.floating, np.bool_)):
            return value.item()
        if isinstance(value, np.datetime64):
            return pd.Timestamp(value)
        if isinstance(value, np.str_):
            return str(value)
    if t is tuple:
        return tuple(_plain(v) for v in value)
    raise _NotPlain(value)


def _is_nan(value: Any) -> bool:
    return type(value) is float and math.isnan(value)


def _same_plain(a: Any, b: Any) -> bool:
    """Equality of two plain values (both already passed through :func:`_plain`)."""
    if _is_nan(a) and _is_nan(b):
        return True
    if type(a) is tuple and type(b) is tuple:
        return len(a) == len(b) and all(_same_plain(x, y) for x, y in zip(a, b))
    if (type(a) is bool) != (type(b) is bool):
        return False
    return a == b


def _show(values: list[Any]) -> str:
    """Show at most a few of the learner's own values, as text."""
    shown = "、".join(repr(v) if not isinstance(v, str) else v for v in values[:_MAX_SHOWN])
    return shown + ("……" if len(values) > _MAX_SHOWN else "")


def _fail(message: str) -> None:
    raise AssertionError(message)


def require_number(answer: Any, *, name: str = "答案", integer: bool = False) -> None:
    """Require a plain number (数字格式检查): the format part of :func:`check_number`.

    accepted = int | float | numpy integer/floating scalar, never bool

    Meant for visible tests: it says whether ``answer`` is a number (and, with
    ``integer=True``, a whole number such as a count), without comparing it
    to anything.

    Parameters
    ----------
    answer : object
        The learner's value.
    name : str
        The variable's name, used in the message.
    integer : bool
        Also require an integer type (``int`` or a numpy integer). Counts
        (篇数、人数) should be integers; ``3.0`` is refused with a hint.

    Raises
    ------
    AssertionError
        With a Chinese message naming the type received.

    Examples
    --------
    >>> require_number(np.int64(3), name="n_original", integer=True)
    >>> require_number(True, name="n_original")
    Traceback (most recent call last):
    ...
    AssertionError: n_original 应该是一个数字，现在是 布尔值 bool（True/False）。
    >>> require_number(3.0, name="n_original", integer=True)
    Traceback (most recent call last):
    ...
    AssertionError: n_original 应该是整数（int），现在是小数 3.0。计数请用 len() 或 .sum()，不要除法或 float()。
    """
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        _fail(
            f"{name} 应该是一个数字，现在是 {_type_zh(answer)}。"
            "请从表里取出一个数值，例如 .sum()、len(...) 或 .iloc[0]。"
        )
    if type(answer) is str:
        _fail(f"{name} 应该是一个数字，现在是文字 str（{answer!r}）。请去掉引号，或用 int()/float() 转换。")
    if not _is_plain_number(answer):
        _fail(f"{name} 应该是一个数字，现在是 {_type_zh(answer)}。")
    if integer and not (type(answer) is int or isinstance(answer, np.integer)):
        _fail(
            f"{name} 应该是整数（int），现在是小数 {float(answer)!r}。"
            "计数请用 len() 或 .sum()，不要除法或 float()。"
        )


def check_number(
    answer: Any,
    expected: Any,
    *,
    name: str = "答案",
    rel_tol: float = 1e-9,
    abs_tol: float = 0.0,
    integer: bool = False,
) -> None:
    """Check a single number (检查一个数): exact type first, then the value.

    integers:  int(answer) == int(expected)
    otherwise: math.isclose(float(answer), float(expected), rel_tol, abs_tol)

    ``answer`` must pass :func:`require_number` (so ``True``, strings, a
    one-row Series or an object that overrides ``__eq__``/``__sub__`` are
    refused before any comparison). NaN equals NaN here (a rate with a zero
    denominator is NaN by the course's definition, see ``safe_divide``); a NaN
    answer where a number is expected is reported as a missing value.

    Parameters
    ----------
    answer : object
        The learner's value.
    expected : int, float or numpy scalar
        The right value (computed in the test, not typed in).
    name : str
        The variable's name, used in the message.
    rel_tol, abs_tol : float
        Tolerances passed to :func:`math.isclose` when either side is a float.
        The default ``rel_tol=1e-9`` only absorbs floating-point noise; say
        in the prompt how many decimals you accept if you loosen it.
    integer : bool
        Require an integer type (for counts).

    Raises
    ------
    AssertionError
        Chinese message; never shows ``expected``.

    Examples
    --------
    >>> check_number(np.int64(3), 3, name="n_original", integer=True)
    >>> check_number(0.1 + 0.2, 0.3, name="read_rate")
    >>> check_number(9, 3, name="n_original")
    Traceback (most recent call last):
    ...
    AssertionError: n_original 的数值不对（你的结果是 9）。请对照题目里的定义再算一遍。
    """
    if not _is_plain_number(expected):
        raise TypeError(f"expected must be a plain number, got {type(expected).__name__}")
    require_number(answer, name=name, integer=integer)
    a = answer.item() if isinstance(answer, np.generic) else answer
    e = expected.item() if isinstance(expected, np.generic) else expected
    if isinstance(e, float) and math.isnan(e):
        if isinstance(a, float) and math.isnan(a):
            return
        _fail(f"{name} 的数值不对（你的结果是 {a!r}）。请对照题目里的定义再算一遍，注意分母为 0 的情况。")
    if isinstance(a, float) and math.isnan(a):
        _fail(f"{name} 是 NaN（缺失值）。检查是否除以了 0，或者数据里有缺失值没有处理。")
    if type(a) is int and type(e) is int:
        ok = a == e
    else:
        ok = math.isclose(float(a), float(e), rel_tol=rel_tol, abs_tol=abs_tol)
    if not ok:
        _fail(f"{name} 的数值不对（你的结果是 {a!r}）。请对照题目里的定义再算一遍。")


def check_set(answer: Any, expected: set | frozenset, *, name: str = "答案") -> None:
    """Check a set of labels (检查一个集合): exact type, plain items, same members.

    answer == expected as sets, compared item by item on plain values

    ``answer`` must be a builtin ``set`` or ``frozenset`` (a list is refused:
    the prompt asks for a set because order and duplicates do not matter), and
    every item must be a plain label (``str``, number, ...). The message
    names the learner's extra items and counts the missing ones, so it never
    lists the expected members.

    Parameters
    ----------
    answer : object
        The learner's value.
    expected : set or frozenset
        The right members.
    name : str
        The variable's name, used in the message.

    Raises
    ------
    AssertionError
        Chinese message; never lists the expected members.

    Examples
    --------
    >>> check_set({"微博", "微信"}, {"微信", "微博"}, name="channels")
    >>> check_set({"微博", "知乎"}, {"微信", "微博"}, name="channels")
    Traceback (most recent call last):
    ...
    AssertionError: channels 不对：多出了 知乎；还少 1 项。
    >>> check_set(["微博", "微信"], {"微信", "微博"}, name="channels")
    Traceback (most recent call last):
    ...
    AssertionError: channels 应该是集合 set，例如 {'甲', '乙'}，现在是 列表 list。
    """
    if type(expected) not in _SET_TYPES:
        raise TypeError(f"expected must be a set, got {type(expected).__name__}")
    if type(answer) not in _SET_TYPES:
        _fail(f"{name} 应该是集合 set，例如 {{'甲', '乙'}}，现在是 {_type_zh(answer)}。")
    ans = _plain_members(answer, name)
    exp = _plain_members(expected, "expected")
    extra = [a for a in ans if not any(_same_plain(a, e) for e in exp)]
    missing = [e for e in exp if not any(_same_plain(a, e) for a in ans)]
    if extra or missing:
        parts = []
        if extra:
            parts.append(f"多出了 {_show(sorted(extra, key=repr))}")
        if missing:
            parts.append(f"还少 {len(missing)} 项")
        _fail(f"{name} 不对：{'；'.join(parts)}。")


def _plain_members(values: Any, name: str) -> list[Any]:
    out = []
    for v in values:
        try:
            out.append(_plain(v))
        except _NotPlain as exc:
            _fail(f"{name} 里有不支持的元素类型 {_type_zh(exc.value)}：请只放文字、数字这样的简单值。")
    return out


def check_mapping(answer: Any, expected: dict, *, name: str = "答案", rel_tol: float = 1e-9) -> None:
    """Check a dict (检查一个字典): exact type, same keys, then each value by its own rule.

    keys(answer) == keys(expected); every answer[k] checked against expected[k]

    Values are checked by the type of ``expected[k]``: a set with
    :func:`check_set`, a number with :func:`check_number` (``integer=True``
    when the expected value is an ``int``), a dict recursively, a Series or
    DataFrame with :func:`check_series`/:func:`check_frame`, a list or tuple
    item by item, a ``str``/``bool``/``None`` by exact type and equality.

    Parameters
    ----------
    answer : object
        The learner's value: ``dict`` (or ``OrderedDict``, ``defaultdict``,
        ``Counter``; subclasses defined elsewhere are refused).
    expected : dict
        The right mapping.
    name : str
        The variable's name, used in messages (``name['key']`` for values).
    rel_tol : float
        Relative tolerance for float values.

    Raises
    ------
    AssertionError
        Chinese message naming the first wrong key; never the expected value.

    Examples
    --------
    >>> right = {"小白": {"工作量", "曝光量"}, "高级": {"流量", "转化率"}}
    >>> check_mapping({"小白": {"曝光量", "工作量"}, "高级": {"转化率", "流量"}}, right, name="level_kpis")
    >>> check_mapping({"小白": {"工作量"}, "高级": {"流量", "转化率"}}, right, name="level_kpis")
    Traceback (most recent call last):
    ...
    AssertionError: level_kpis['小白'] 不对：还少 1 项。
    >>> check_mapping({"小白": {"工作量", "曝光量"}}, right, name="level_kpis")
    Traceback (most recent call last):
    ...
    AssertionError: level_kpis 的键不对：还少 1 个键。
    """
    if type(expected) not in _DICT_TYPES:
        raise TypeError(f"expected must be a dict, got {type(expected).__name__}")
    if type(answer) not in _DICT_TYPES:
        _fail(f"{name} 应该是字典 dict，例如 {{'键': 值}}，现在是 {_type_zh(answer)}。")
    keys = list(dict.keys(answer))
    plain_keys = _plain_members(keys, f"{name} 的键")
    exp_keys = [_plain(k) for k in expected]
    extra = [k for k in plain_keys if not any(_same_plain(k, e) for e in exp_keys)]
    missing = [e for e in exp_keys if not any(_same_plain(k, e) for k in plain_keys)]
    if extra or missing:
        parts = []
        if extra:
            parts.append(f"多出了键 {_show(sorted(extra, key=repr))}")
        if missing:
            parts.append(f"还少 {len(missing)} 个键")
        _fail(f"{name} 的键不对：{'；'.join(parts)}。")
    for exp_key, exp_value in expected.items():
        ans_key = next(k for k, p in zip(keys, plain_keys) if _same_plain(p, _plain(exp_key)))
        _check_value(dict.__getitem__(answer, ans_key), exp_value, name=f"{name}[{exp_key!r}]", rel_tol=rel_tol)


def _check_value(answer: Any, expected: Any, *, name: str, rel_tol: float) -> None:
    """Dispatch on the type of ``expected``: the rule used for every value in a mapping."""
    if type(expected) in _SET_TYPES:
        check_set(answer, expected, name=name)
    elif type(expected) in _DICT_TYPES:
        check_mapping(answer, expected, name=name, rel_tol=rel_tol)
    elif type(expected) is bool or isinstance(expected, np.bool_):
        if type(answer) is not bool and not (type(answer) is np.bool_):
            _fail(f"{name} 应该是 True 或 False，现在是 {_type_zh(answer)}。")
        if bool(answer) != bool(expected):
            _fail(f"{name} 不对（你的结果是 {bool(answer)}）。")
    elif _is_plain_number(expected):
        check_number(
            answer, expected, name=name, rel_tol=rel_tol,
            integer=type(expected) is int or isinstance(expected, np.integer),
        )
    elif type(expected) is pd.Series:
        check_series(answer, expected, name=name, rtol=rel_tol)
    elif type(expected) is pd.DataFrame:
        check_frame(answer, expected, name=name, rtol=rel_tol)
    elif type(expected) in (list, tuple):
        kind = "列表 list" if type(expected) is list else "元组 tuple"
        if type(answer) is not type(expected):
            _fail(f"{name} 应该是{kind}，现在是 {_type_zh(answer)}。")
        if len(answer) != len(expected):
            _fail(f"{name} 有 {len(answer)} 项，应该有 {len(expected)} 项。")
        for i, (a, e) in enumerate(zip(answer, expected)):
            _check_value(a, e, name=f"{name}[{i}]", rel_tol=rel_tol)
    elif type(expected) is str:
        if type(answer) is not str:
            _fail(f"{name} 应该是文字 str，现在是 {_type_zh(answer)}。")
        if answer != expected:
            _fail(f"{name} 不对（你的结果是 {answer!r}）。注意错别字和多余的空格。")
    elif expected is None:
        if answer is not None:
            _fail(f"{name} 应该是 None，现在是 {_type_zh(answer)}。")
    else:
        raise TypeError(f"no check for expected values of type {type(expected).__name__}")


def _index_labels(index: pd.Index, name: str, what: str) -> list[Any]:
    labels = []
    for v in index.tolist():
        try:
            labels.append(_plain(v))
        except _NotPlain as exc:
            _fail(f"{name} 的{what}里有不支持的类型 {_type_zh(exc.value)}：请用文字、数字或日期作{what}。")
    return labels


def _align(answer: pd.Series | pd.DataFrame, expected: pd.Series | pd.DataFrame, *, name: str, check_order: bool) -> np.ndarray:
    """Compare the row labels; return positions of ``answer`` rows in ``expected`` order."""
    if len(answer) != len(expected):
        _fail(f"{name} 有 {len(answer)} 行，应该有 {len(expected)} 行。")
    ans = _index_labels(answer.index, name, "索引")
    exp = [_plain(v) for v in expected.index.tolist()]
    if all(_same_plain(a, e) for a, e in zip(ans, exp)):
        return np.arange(len(ans))
    extra = [a for a in ans if not any(_same_plain(a, e) for e in exp)]
    missing = [e for e in exp if not any(_same_plain(a, e) for a in ans)]
    if extra or missing:
        parts = []
        if extra:
            parts.append(f"多出了 {_show(extra)}")
        if missing:
            parts.append(f"还少 {len(missing)} 个")
        _fail(f"{name} 的索引（行标签）不对：{'；'.join(parts)}。")
    if check_order:
        _fail(f"{name} 的索引顺序不对：标签都对，但顺序不同。请排序，例如 .sort_index()。")
    if len(set(map(repr, ans))) != len(ans):
        _fail(f"{name} 的索引有重复标签：每个标签只能出现一次。")
    return np.array([next(i for i, a in enumerate(ans) if _same_plain(a, e)) for e in exp])


def _check_values(answer: pd.Series, expected: pd.Series, *, name: str, rtol: float, atol: float, check_dtype: bool) -> None:
    """Compare the values of two aligned, same-length Series (answer already reordered)."""
    exp_dtype = expected.dtype
    numeric = pd.api.types.is_numeric_dtype(exp_dtype) and not pd.api.types.is_bool_dtype(exp_dtype)
    labels = expected.index.tolist()
    if numeric:
        dt = answer.dtype
        if not pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt):
            _fail(f"{name} 应该是数值，现在的类型是 {dt}。如果是文字形式的数字，请用 pd.to_numeric() 转换。")
        if check_dtype and dt.kind != exp_dtype.kind:
            want = "整数" if exp_dtype.kind in "iu" else "小数"
            _fail(f"{name} 应该是{want}类型，现在是 {dt}。")
        a = answer.to_numpy(dtype="float64", na_value=np.nan)
        e = expected.to_numpy(dtype="float64", na_value=np.nan)
        bad = ~np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    else:
        a_list = answer.tolist()
        e_list = expected.tolist()
        bad_list = []
        for a_v, e_v in zip(a_list, e_list):
            try:
                a_p = _plain(a_v)
            except _NotPlain as exc:
                _fail(f"{name} 里有不支持的值类型 {_type_zh(exc.value)}。")
            e_p = _plain(e_v)
            a_missing = a_p is None or _is_nan(a_p)
            e_missing = e_p is None or _is_nan(e_p)
            bad_list.append(not ((a_missing and e_missing) or _same_plain(a_p, e_p)))
        bad = np.array(bad_list, dtype=bool)
    if bad.any():
        first = labels[int(np.flatnonzero(bad)[0])]
        _fail(f"{name} 有 {int(bad.sum())} 个值不对，例如索引 {first!r} 那一行。")


def check_series(
    answer: Any,
    expected: pd.Series,
    *,
    name: str = "答案",
    rtol: float = 1e-9,
    atol: float = 0.0,
    check_order: bool = True,
    check_dtype: bool = False,
    check_name: bool = False,
) -> None:
    """Check a Series (检查一个 pd.Series): exact type, labels, then values.

    same index labels (and order), then numpy.isclose(answer, expected, rtol, atol) per label

    ``answer`` must be exactly ``pandas.Series`` (a DataFrame with one column,
    a dict or a subclass is refused with a hint). Labels are compared as plain
    values; numeric values as float64 with ``numpy.isclose`` (NaN equals NaN),
    other values as plain Python values. ``pandas.testing`` is not used for the
    message because its message prints the expected values.

    Parameters
    ----------
    answer : object
        The learner's value.
    expected : Series
        The right Series, computed in the test.
    name : str
        The variable's name, used in messages.
    rtol, atol : float
        Tolerances for numeric values.
    check_order : bool
        Require the same label order (default True: a weekly series should be
        in time order). With False, labels must be unique and are matched.
    check_dtype : bool
        Require the same kind of number (integer vs float). Off by default:
        ``3.0`` reads the same as ``3`` in a chart or a report.
    check_name : bool
        Require the same ``Series.name``.

    Raises
    ------
    AssertionError
        Chinese message naming the first wrong label; never the expected value.

    Examples
    --------
    >>> right = pd.Series({"微博": 214, "微信公众号": 84})
    >>> check_series(pd.Series({"微博": 214.0, "微信公众号": 84.0}), right, name="reposts_by_platform")
    >>> check_series(pd.Series({"微博": 214, "微信公众号": 75}), right, name="reposts_by_platform")
    Traceback (most recent call last):
    ...
    AssertionError: reposts_by_platform 有 1 个值不对，例如索引 '微信公众号' 那一行。
    >>> check_series(right.to_frame(), right, name="reposts_by_platform")
    Traceback (most recent call last):
    ...
    AssertionError: reposts_by_platform 应该是 pd.Series，现在是 pd.DataFrame。只取一列，例如 df['reads']，得到的就是 Series。
    """
    if type(expected) is not pd.Series:
        raise TypeError(f"expected must be a pandas Series, got {type(expected).__name__}")
    if type(answer) is not pd.Series:
        hint = {
            pd.DataFrame: "只取一列，例如 df['reads']，得到的就是 Series。",
            dict: "可以用 pd.Series(你的字典) 转换。",
        }.get(type(answer), "")
        _fail(f"{name} 应该是 pd.Series，现在是 {_type_zh(answer)}。{hint}")
    order = _align(answer, expected, name=name, check_order=check_order)
    if check_name and answer.name != expected.name:
        _fail(f"{name} 的名字（.name）不对，现在是 {answer.name!r}。")
    _check_values(answer.iloc[order], expected, name=name, rtol=rtol, atol=atol, check_dtype=check_dtype)


def check_frame(
    answer: Any,
    expected: pd.DataFrame,
    *,
    name: str = "答案",
    rtol: float = 1e-9,
    atol: float = 0.0,
    check_order: bool = True,
    check_column_order: bool = False,
    check_dtype: bool = False,
) -> None:
    """Check a DataFrame (检查一个 pd.DataFrame): exact type, columns, labels, then each column.

    same columns, same index labels, then every column as in :func:`check_series`

    Column names are format, not answers, so a missing column is named in the
    message (the prompt names the columns anyway); row labels and values are
    reported by count and first wrong label only.

    Parameters
    ----------
    answer : object
        The learner's value.
    expected : DataFrame
        The right table, computed in the test.
    name : str
        The variable's name, used in messages.
    rtol, atol : float
        Tolerances for numeric columns.
    check_order : bool
        Require the same row order.
    check_column_order : bool
        Require the same column order (off by default).
    check_dtype : bool
        Require the same kind of number per column.

    Raises
    ------
    AssertionError
        Chinese message; never the expected values.

    Examples
    --------
    >>> right = pd.DataFrame({"reads": [812, 1046], "reposts": [23, 37]})
    >>> check_frame(right[["reposts", "reads"]].copy(), right, name="top")
    >>> check_frame(right[["reads"]].copy(), right, name="top")
    Traceback (most recent call last):
    ...
    AssertionError: top 缺少列：reposts。
    """
    if type(expected) is not pd.DataFrame:
        raise TypeError(f"expected must be a pandas DataFrame, got {type(expected).__name__}")
    if type(answer) is not pd.DataFrame:
        hint = "可以用 .to_frame() 把 Series 变成表。" if type(answer) is pd.Series else ""
        _fail(f"{name} 应该是 pd.DataFrame，现在是 {_type_zh(answer)}。{hint}")
    cols = _index_labels(answer.columns, name, "列名")
    if len(set(map(repr, cols))) != len(cols):
        _fail(f"{name} 有重复的列名：每一列的名字只能出现一次。")
    exp_cols = [_plain(c) for c in expected.columns]
    missing = [e for e in exp_cols if not any(_same_plain(c, e) for c in cols)]
    extra = [c for c in cols if not any(_same_plain(c, e) for e in exp_cols)]
    if missing:
        _fail(f"{name} 缺少列：{_show(missing)}。")
    if extra:
        _fail(f"{name} 多出了列：{_show(extra)}。")
    if check_column_order and not all(_same_plain(c, e) for c, e in zip(cols, exp_cols)):
        _fail(f"{name} 的列顺序不对。")
    order = _align(answer, expected, name=name, check_order=check_order)
    for e_col, e_plain in zip(expected.columns, exp_cols):
        a_pos = next(i for i, c in enumerate(cols) if _same_plain(c, e_plain))
        _check_values(
            answer.iloc[order, a_pos], expected[e_col], name=f"{name}[{e_col!r}]",
            rtol=rtol, atol=atol, check_dtype=check_dtype,
        )
