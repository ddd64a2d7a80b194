"""Private input checks and period helpers shared by the metric modules.

One version of each guard that more than one module of
:mod:`nmops.metrics` needs: a choice among named options, an integer or
boolean parameter, numeric / non-negative count columns, missing values,
datetime columns, pandas period codes (with a configurable week-end day),
and the integer coding used by the vectorised code of
:mod:`~nmops.metrics.retention` and :mod:`~nmops.metrics.attribution`.

Every refusal is an :class:`nmops._validation.NmopsInputError` whose message
is Chinese first, then " / " and English, and says what to do next.
Helpers that only one module uses stay in that module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError, require_columns, require_non_negative

#: Last day of a week, as pandas spells it in period codes ("W-SUN").
_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

#: Period lengths and their pandas period codes (a week gets its end day appended).
_FREQ_CODES = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}

#: The int64 value of NaT.
_NAT = np.iinfo(np.int64).min


# --------------------------------------------------------------------------- parameters


def _or_list(options: Sequence, *, sep: str, last: str) -> str:
    """``'a'、'b' 或 'c'`` / ``'a', 'b' or 'c'``: the options as a readable list."""
    shown = [repr(o) for o in options]
    if len(shown) < 2:
        return "".join(shown)
    return sep.join(shown[:-1]) + last + shown[-1]


def _check_choice(value, allowed: Sequence, *, name: str):
    """Refuse ``value`` unless it is one of ``allowed``; return it.

    Examples
    --------
    >>> _check_choice("week", ("day", "week"), name="freq")
    'week'
    >>> _check_choice("W", ("day", "week", "month"), name="freq")
    Traceback (most recent call last):
    ...
    nmops._validation.NmopsInputError: freq 只能是 'day'、'week' 或 'month'，收到 'W'。 / freq must be 'day', 'week' or 'month', got 'W'.
    """
    if value not in allowed:
        raise NmopsInputError(
            f"{name} 只能是 {_or_list(allowed, sep='、', last=' 或 ')}，收到 {value!r}。"
            f" / {name} must be {_or_list(allowed, sep=', ', last=' or ')}, got {value!r}."
        )
    return value


def _check_int(value, *, name: str, minimum: int = 0) -> int:
    """Refuse anything but an integer (not a bool, not a float) >= ``minimum``; return it as int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise NmopsInputError(
            f"{name} 应该是不小于 {minimum} 的整数，收到 {value!r}。"
            f" / {name} must be an integer >= {minimum}, got {value!r}."
        )
    return int(value)


def _check_bool(value, *, name: str) -> bool:
    """Refuse anything but True / False (a string such as "yes" is refused); return it as bool."""
    if not isinstance(value, (bool, np.bool_)):
        raise NmopsInputError(f"{name} 应该是 True 或 False，收到 {value!r}。 / {name} must be True or False, got {value!r}.")
    return bool(value)


def _as_list(value, name: str) -> list:
    """A column name or a sequence of them as a list; anything else refused."""
    if isinstance(value, str):
        return [value]
    try:
        items = list(value)
    except TypeError:
        raise NmopsInputError(
            f"{name} 应该是列名或列名的列表，收到 {type(value).__name__}。"
            f" / {name} must be a column name or a list of them, got {type(value).__name__}."
        ) from None
    return items


# --------------------------------------------------------------------------- tables and columns


def _require_frame(df: pd.DataFrame, columns: list[str], *, what: str, allow_empty: bool = False) -> None:
    """Columns present and, unless ``allow_empty``, at least one row."""
    require_columns(df, columns, what=what)
    if not allow_empty and len(df) == 0:
        raise NmopsInputError(
            f"{what} 是空表（0 行），没有可以计算的数据。请检查筛选条件或读入的文件。"
            f" / {what} is empty (0 rows): nothing to compute; check your filter or the file you read."
        )


def _non_negative(values: pd.Series, *, name: str) -> None:
    """require_non_negative, also for nullable dtypes (Int64 with <NA>), which it cannot read as is."""
    if isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        values = values.astype("float64")
    require_non_negative(values, name=name)


def _require_numeric(df: pd.DataFrame, columns: Iterable[str], *, what: str) -> None:
    """Refuse a column that is not numeric (e.g. text such as "10万+"), or is boolean."""
    for c in columns:
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            raise NmopsInputError(
                f"{what} 的列 {c} 应该是数字，实际类型是 {s.dtype}。"
                f"请先转换：df['{c}'] = pd.to_numeric(df['{c}'])（“10万+”“1.2w”这类后台导出的文字请用 nmops.exports.parse_count）。"
                f" / Column {c} of {what} must be numeric, got dtype {s.dtype}; convert it with pd.to_numeric first"
                f" (export text such as '10万+' with nmops.exports.parse_count)."
            )


def _require_counts(df: pd.DataFrame, columns: Iterable[str], *, what: str, allow_missing: bool = False) -> None:
    """Refuse count / amount columns that are not numeric, are negative, or (by default) have missing values."""
    columns = list(columns)
    _require_numeric(df, columns, what=what)
    for c in columns:
        _non_negative(df[c], name=f"{what} 的列 {c}")
        if not allow_missing and df[c].isna().any():
            k = int(df[c].isna().sum())
            raise NmopsInputError(
                f"{what} 的列 {c} 有 {k} 个缺失值。请先决定怎么处理：填 0（df['{c}'].fillna(0)）"
                f"还是删掉这些行（df.dropna(subset=['{c}'])）。"
                f" / Column {c} of {what} has {k} missing value(s); fill them (fillna(0)) or drop those rows first."
            )


def _require_no_missing(df: pd.DataFrame, columns: Iterable[str], *, what: str, group_key: bool = False) -> None:
    """Refuse missing values in ``columns``.

    ``group_key=True`` words the message for group-key columns, whose
    missing rows pandas would silently drop from a groupby.
    """
    for c in columns:
        k = int(df[c].isna().sum())
        if not k:
            continue
        if group_key:
            raise NmopsInputError(
                f"{what} 的分组列 {c} 有 {k} 个缺失值，这些行会被悄悄丢掉。请先填上（如 df['{c}'].fillna('未知')）。"
                f" / Group column {c} of {what} has {k} missing value(s) that would be silently dropped; fill them first."
            )
        raise NmopsInputError(
            f"{what} 的列 {c} 有 {k} 个缺失值。请先补上或删掉这些行。"
            f" / Column {c} of {what} has {k} missing value(s); fill them or drop those rows."
        )


def _as_numbers(values, *, name: str, non_negative: bool = True):
    """Check a number, or a Series / array / list of numbers, is numeric, finite (and by default non-negative).

    Returns a Series unchanged, other sequences as a new Series, and a
    scalar as is. Booleans, text and infinity (``inf`` is never a count or
    an amount) are refused.
    """
    if not isinstance(values, (bool, np.bool_)) and isinstance(values, (int, float, np.integer, np.floating)):
        if np.isinf(values):
            raise NmopsInputError(
                f"{name} 不能是无穷大（收到 {values}）。请检查计算它的除法（除以 0 会得到 inf）。"
                f" / {name} must be finite, got {values}; check the division that produced it."
            )
        if non_negative and values < 0:
            raise NmopsInputError(f"{name} 不能为负数（收到 {values}）。 / {name} must not be negative (got {values}).")
        return values
    if isinstance(values, (pd.Series, pd.Index, np.ndarray, list, tuple)):
        s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values))
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            raise NmopsInputError(
                f"{name} 应该是数字，实际类型是 {s.dtype}。请先用 pd.to_numeric 转换。"
                f" / {name} must be numeric, got dtype {s.dtype}; convert it with pd.to_numeric first."
            )
        inf = np.isinf(s.astype("float64").to_numpy())
        if inf.any():
            label = s.index[inf].tolist()[0]
            raise NmopsInputError(
                f"{name} 中有 {int(inf.sum())} 个无穷大（inf），例如索引 {label!r} 的 {s[inf].iloc[0]}。"
                f"请检查计算它的除法（除以 0 会得到 inf），把这些值改成缺失值或删掉。"
                f" / {name} holds {int(inf.sum())} infinite value(s), e.g. at index {label!r}; make them NaN or drop them."
            )
        if non_negative:
            _non_negative(s, name=name)
        return s
    raise NmopsInputError(
        f"{name} 应该是数字或数字的 Series，收到 {type(values).__name__}（{values!r}）。"
        f" / {name} must be a number or a numeric Series, got {type(values).__name__}."
    )


def _number_pair(a, b, *, names: tuple[str, str], non_negative: tuple[bool, bool] = (True, True)):
    """Check two numbers or Series with :func:`_as_numbers`; two Series must have the same index.

    pandas would align two Series on their index and put NaN in every row
    that only one of them has: a silent wrong answer, refused here.
    """
    a = _as_numbers(a, name=names[0], non_negative=non_negative[0])
    b = _as_numbers(b, name=names[1], non_negative=non_negative[1])
    if isinstance(a, pd.Series) and isinstance(b, pd.Series) and not a.index.equals(b.index):
        if len(a) != len(b):
            detail, detail_en = f"长度不同（{len(a)} 行和 {len(b)} 行）", f"lengths differ ({len(a)} and {len(b)})"
        else:
            only = a.index.difference(b.index)
            label = only.tolist()[0] if len(only) else None
            detail = f"例如索引 {label!r} 只在 {names[0]} 中有" if len(only) else "索引顺序不同"
            detail_en = f"e.g. index {label!r} is only in {names[0]}" if len(only) else "their order differs"
        raise NmopsInputError(
            f"{names[0]} 和 {names[1]} 的索引不一致（{detail}），pandas 会按索引对齐并悄悄产生 NaN 行。"
            f"请确认两列来自同一张表的同样的行；若行是一一对应的，先对两者都用 .reset_index(drop=True)。"
            f" / {names[0]} and {names[1]} have different indexes ({detail_en}); pandas would align them into NaN rows."
            f" Take both from the same rows, or reset_index(drop=True) both if they correspond row by row."
        )
    return a, b


def _named(result, name: str):
    """Name a Series result; leave scalars alone."""
    if isinstance(result, pd.Series):
        return result.rename(name)
    return result


# --------------------------------------------------------------------------- dates and periods


def _require_datetime_dtype(values: pd.Series, *, name: str, what: str) -> None:
    """Refuse a column that is not of a datetime dtype (e.g. dates still as text)."""
    if not pd.api.types.is_datetime64_any_dtype(values):
        raise NmopsInputError(
            f"{what} 的列 {name} 应该是日期时间类型，实际类型是 {values.dtype}。"
            f"请先转换：df['{name}'] = pd.to_datetime(df['{name}'])。"
            f" / Column {name} of {what} must be datetime, got dtype {values.dtype}; convert it with pd.to_datetime first."
        )


def _missing_dates_error(k: int, *, name: str, what: str) -> NmopsInputError:
    """The error for ``k`` missing dates (NaT) in a datetime column."""
    return NmopsInputError(
        f"{what} 的列 {name} 有 {k} 个缺失的日期（NaT）。请先补上或删掉这些行。"
        f" / Column {name} of {what} has {k} missing date(s) (NaT); fill them or drop those rows."
    )


#: The time zone of the course data and of Chinese platform backends (Beijing time, UTC+8).
BEIJING = "Asia/Shanghai"


def _beijing_wall_clock(values: pd.Series) -> pd.Series:
    """A datetime column as naive Beijing time: a timezone-aware column is converted, a naive one kept.

    Days (DAU, retention, weeks of a report) are Beijing calendar days, as in
    the platforms' backends: an event at 2024-01-01 20:00 UTC belongs to
    2 January in Beijing. Naive times are taken to be Beijing time already.
    """
    if getattr(values.dt, "tz", None) is not None:
        return values.dt.tz_convert(BEIJING).dt.tz_localize(None)
    return values


def _require_dates(values: pd.Series, *, name: str, what: str) -> pd.Series:
    """Check a datetime column (no text, no NaT); return it as naive Beijing time (see _beijing_wall_clock)."""
    _require_datetime_dtype(values, name=name, what=what)
    k = int(values.isna().sum())
    if k:
        raise _missing_dates_error(k, name=name, what=what)
    return _beijing_wall_clock(values)


def _period_code(freq: str, week_ends: str = "SUN", *, allowed: Sequence[str] = tuple(_FREQ_CODES)) -> str:
    """The pandas period code of ``freq`` (one of ``allowed``); weeks end on ``week_ends`` ("W-SUN").

    ``week_ends`` is checked whatever ``freq`` is, so a typo never goes unnoticed.

    Examples
    --------
    >>> _period_code("week"), _period_code("week", "sat"), _period_code("quarter")
    ('W-SUN', 'W-SAT', 'Q')
    """
    _check_choice(freq, allowed, name="freq")
    if not isinstance(week_ends, str) or week_ends.upper() not in _WEEKDAYS:
        raise NmopsInputError(
            f"week_ends 应该是星期的英文缩写之一：{', '.join(_WEEKDAYS)}，收到 {week_ends!r}。"
            f" / week_ends must be one of {', '.join(_WEEKDAYS)}, got {week_ends!r}."
        )
    if freq == "week":
        return f"W-{week_ends.upper()}"
    return _FREQ_CODES[freq]


def _to_periods(
    dates: pd.Series, *, freq: str, week_ends: str = "SUN", allowed: Sequence[str] = tuple(_FREQ_CODES)
) -> pd.PeriodIndex:
    """The period (day, week ending ``week_ends``, month, quarter or year) of each date."""
    return pd.PeriodIndex(dates.dt.to_period(_period_code(freq, week_ends, allowed=allowed)))


def _period_span(periods: pd.PeriodIndex, *, name: str) -> pd.PeriodIndex:
    """Every period from the first to the last of ``periods`` (empty if there are none)."""
    if len(periods) == 0:
        return pd.PeriodIndex([], freq=periods.freq, name=name)
    return pd.period_range(periods.min(), periods.max(), freq=periods.freq, name=name)


# --------------------------------------------------------------------------- integer coding (vectorised code)


def _time_ns(values: pd.Series, *, name: str, what: str, wall_clock: bool = True) -> np.ndarray:
    """A datetime column as int64 nanoseconds (no NaT allowed).

    ``wall_clock=True`` reads a timezone-aware column as Beijing wall-clock
    time (for calendar days); ``False`` converts it to UTC instants (for durations).
    """
    _require_datetime_dtype(values, name=name, what=what)
    if getattr(values.dt, "tz", None) is not None:
        values = _beijing_wall_clock(values) if wall_clock else values.dt.tz_convert("UTC").dt.tz_localize(None)
    arr = values.to_numpy()
    if arr.dtype != np.dtype("datetime64[ns]"):
        arr = arr.astype("datetime64[ns]")
    ns = arr.view(np.int64)
    missing = int(np.count_nonzero(ns == _NAT))
    if missing:
        raise _missing_dates_error(missing, name=name, what=what)
    return ns


def _require_ids(values: pd.Series, *, name: str, what: str) -> None:
    """Refuse missing user ids."""
    k = int(values.isna().sum())
    if k:
        raise NmopsInputError(
            f"{what} 的列 {name} 有 {k} 个缺失值。每一行都需要用户 ID：请先补上或删掉这些行。"
            f" / Column {name} of {what} has {k} missing value(s); every row needs a user id."
        )


def _dense_range(values: pd.Series) -> tuple[np.ndarray, int, int] | None:
    """``(ids as int64, min, max)`` when integer ids are dense enough to shift instead of hash, else None."""
    if not (pd.api.types.is_integer_dtype(values) and len(values)):
        return None
    arr = values.to_numpy(dtype=np.int64)
    lo, hi = int(arr.min()), int(arr.max())
    if hi - lo < 4 * len(arr) + 1024:
        return arr, lo, hi
    return None


def _user_codes(values: pd.Series, *, name: str, what: str) -> tuple[np.ndarray, int]:
    """Integer codes 0..n_codes-1 for user ids (equal ids, equal codes).

    Dense integer ids are shifted instead of hashed (faster); anything else
    goes through :func:`pandas.factorize`.
    """
    _require_ids(values, name=name, what=what)
    dense = _dense_range(values)
    if dense is not None:
        arr, lo, hi = dense
        return arr - lo, hi - lo + 1
    codes, uniques = pd.factorize(values)
    return codes.astype(np.int64, copy=False), len(uniques)


def _run_starts(sorted_codes: np.ndarray) -> np.ndarray:
    """Boolean mask: True where a run of equal values starts."""
    start = np.empty(len(sorted_codes), dtype=bool)
    if len(start):
        start[0] = True
        np.not_equal(sorted_codes[1:], sorted_codes[:-1], out=start[1:])
    return start
