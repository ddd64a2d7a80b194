"""Shared input checks and safe arithmetic for every KPI function.

Every KPI in :mod:`nmops` refuses bad input with :class:`NmopsInputError`,
whose message is in Chinese first (for learners) and English second (for
maintainers), and divides with :func:`safe_divide` so that a zero
denominator gives NaN, never ``inf`` and never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["NmopsInputError", "NmopsWarning", "require_columns", "safe_divide", "require_non_negative"]


class NmopsInputError(ValueError):
    """Bad input to an nmops function (缺列、取值不对、编码不对……).

    The message names the problem in Chinese, then in English, and says what
    to do next.
    """


class NmopsWarning(UserWarning):
    """A result of an nmops function holds NaN (or a doubtful value) for a reason the message names.

    Like :class:`NmopsInputError`, the message is Chinese first, then
    English. Turn it into an error with
    ``warnings.simplefilter("error", NmopsWarning)``.
    """


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, what: str = "数据表 data") -> None:
    """Raise :class:`NmopsInputError` naming every column of ``columns`` missing from ``df``.

    Parameters
    ----------
    df : DataFrame
        The table to check.
    columns : iterable of str
        Columns the caller needs.
    what : str
        How to call the table in the message, e.g. ``"posts 帖子表"``.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"reads": [1]}), ["reads", "delivered"], what="posts")
    Traceback (most recent call last):
    ...
    nmops._validation.NmopsInputError: posts 缺少列：delivered（现有列：reads）。 / posts is missing column(s): delivered (has: reads).
    """
    if not isinstance(df, pd.DataFrame):
        raise NmopsInputError(
            f"{what} 应该是 pandas.DataFrame，收到的是 {type(df).__name__}。"
            f" / {what} must be a pandas.DataFrame, got {type(df).__name__}."
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns)) or "无 none"
        miss = ", ".join(missing)
        raise NmopsInputError(
            f"{what} 缺少列：{miss}（现有列：{have}）。"
            f" / {what} is missing column(s): {miss} (has: {have})."
        )


def require_non_negative(values: pd.Series | pd.DataFrame, *, name: str) -> None:
    """Raise :class:`NmopsInputError` if ``values`` holds a negative number.

    Examples
    --------
    >>> require_non_negative(pd.Series([3, None], dtype="Int64"), name="reads")
    >>> require_non_negative(pd.Series([3, -1]), name="reads")
    Traceback (most recent call last):
    ...
    nmops._validation.NmopsInputError: reads 不能为负数（发现 1 个负值，例如 -1）。 / reads must not be negative (found 1 negative value(s), e.g. -1).
    """
    arr = pd.DataFrame(values) if isinstance(values, pd.Series) else values
    neg = arr.lt(0).fillna(False).to_numpy(dtype=bool).ravel()
    if neg.any():
        first = arr.to_numpy(dtype=object).ravel()[neg][0]
        raise NmopsInputError(
            f"{name} 不能为负数（发现 {int(neg.sum())} 个负值，例如 {first}）。"
            f" / {name} must not be negative (found {int(neg.sum())} negative value(s), e.g. {first})."
        )


def safe_divide(numerator, denominator):
    """Divide, giving NaN wherever the denominator is zero or missing.

    safe_divide(a, b) = a / b if b != 0 else NaN

    Works on scalars, Series and DataFrames (aligned as pandas aligns them).
    Results are float64 (``numpy.nan`` for missing), never ``inf``.

    Examples
    --------
    >>> safe_divide(pd.Series([1200, 5]), pd.Series([10000, 0])).tolist()
    [0.12, nan]
    >>> safe_divide(3, 0)
    nan
    >>> safe_divide(np.array([1, 2]), np.array([0, 1])).tolist()
    [nan, 2.0]
    """
    if np.isscalar(numerator) and np.isscalar(denominator):
        if denominator == 0 or pd.isna(denominator) or pd.isna(numerator):
            return float("nan")
        return float(numerator) / float(denominator)
    num = _as_float(numerator)
    den = _as_float(denominator)
    if isinstance(den, (pd.Series, pd.DataFrame)):
        den = den.mask(den == 0)
    elif np.isscalar(den):
        den = np.nan if den == 0 else den
    else:
        den = np.where(den == 0, np.nan, den)
    return num / den


def _as_float(x):
    if isinstance(x, (pd.Series, pd.DataFrame)):
        return x.astype("float64")
    return float(x) if np.isscalar(x) else np.asarray(x, dtype="float64")
