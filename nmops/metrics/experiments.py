"""A/B tests and group comparisons with confidence intervals (A/B 检验与分组比较).

Level 中级 (intermediate). Every formula is written out here in numpy/scipy so
that a learner can read it; the test suite checks each one against
statsmodels, which is the independent reference.

Sign convention used throughout this module: **A is the control (对照组),
B is the variant (实验组), and every signed quantity is B − A** (the lift,
the z statistic, the confidence interval of the difference). statsmodels'
``proportions_ztest([a, b], ...)`` computes *first minus second*, so on the
same data its z has the opposite sign of ours.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy import stats

from nmops._validation import NmopsInputError, require_columns, require_non_negative, safe_divide
from nmops.metrics._common import _check_bool, _check_choice, _require_numeric

__all__ = [
    "ABTestResult",
    "ab_test_proportions",
    "ab_test_table",
    "ab_sample_size",
    "proportion_ci",
    "compare_rates",
    "compare_means",
]

_ALTERNATIVES = ("two-sided", "larger", "smaller")
_DIFF_CI_METHODS = ("wald", "agresti-caffo", "newcombe")
_PROP_CI_METHODS = ("wilson", "wald", "agresti-coull", "clopper-pearson")


# --------------------------------------------------------------------------- checks


def _check_count(value, name: str, *, positive: bool = False) -> int:
    """Return ``value`` as an int, refusing non-integers and negatives."""
    ok = isinstance(value, Integral) and not isinstance(value, bool)
    if not ok and isinstance(value, Real) and not isinstance(value, bool):
        ok = math.isfinite(float(value)) and float(value).is_integer()
    if not ok:
        raise NmopsInputError(
            f"{name} 应该是整数（人数或次数），收到的是 {value!r}。"
            f" / {name} must be a whole number (a count), got {value!r}."
        )
    value = int(value)
    if value < 0 or (positive and value == 0):
        need = "大于 0" if positive else "不能为负数"
        need_en = "greater than 0" if positive else "not negative"
        raise NmopsInputError(f"{name} {need}，收到的是 {value}。 / {name} must be {need_en}, got {value}.")
    return value


def _check_probability(value, name: str, *, open_interval: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise NmopsInputError(f"{name} 应该是 0 到 1 之间的数，收到的是 {value!r}。 / {name} must be a number in (0, 1), got {value!r}.")
    value = float(value)
    if open_interval and not 0 < value < 1:
        raise NmopsInputError(
            f"{name} 应该在 0 和 1 之间（不含 0 和 1），收到的是 {value}。注意写成小数，例如 5% 写 0.05。"
            f" / {name} must be strictly between 0 and 1, got {value}. Write 5% as 0.05."
        )
    return value


# --------------------------------------------------------------------------- A/B test


@dataclass(frozen=True, repr=False)
class ABTestResult:
    """Result of :func:`ab_test_proportions` (A/B 检验结果).

    All signed quantities are B − A (variant minus control). ``repr`` prints a
    short Chinese summary; :meth:`to_series` gives the fields as a Series, and
    ``dataclasses.asdict`` works too.

    Attributes
    ----------
    successes_a, n_a, successes_b, n_b : int
        The counts passed in.
    rate_a, rate_b : float
        Conversion rate (转化率) of each arm.
    abs_lift : float
        Absolute lift (绝对提升) ``rate_b - rate_a``, in rate units
        (0.015 = 1.5 percentage points, 1.5 个百分点).
    rel_lift : float
        Relative lift (相对提升) ``rate_b / rate_a - 1``; NaN when ``rate_a`` is 0.
    z : float
        Pooled two-proportion z statistic (z 值), sign of ``abs_lift``.
    p_value : float
        p value (p 值) for ``alternative``.
    ci_low, ci_high : float
        Two-sided confidence interval of ``rate_b - rate_a`` at level ``1 - alpha``.
    alternative, ci_method : str
        The choices used.
    alpha : float
        Significance level (显著性水平).
    significant : bool
        ``p_value < alpha`` (显著).
    """

    successes_a: int
    n_a: int
    successes_b: int
    n_b: int
    rate_a: float
    rate_b: float
    abs_lift: float
    rel_lift: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alternative: str
    ci_method: str
    alpha: float
    significant: bool

    def to_series(self) -> pd.Series:
        """The fields as a Series (index = field names), e.g. to stack several tests into a table."""
        return pd.Series(asdict(self), dtype=object)

    def __repr__(self) -> str:
        side = {"two-sided": "双侧", "larger": "单侧，B > A", "smaller": "单侧，B < A"}[self.alternative]
        level = f"{(1 - self.alpha) * 100:g}%"
        verdict = "显著" if self.significant else "不显著"
        rel = "无法计算（A 组转化率为 0）" if math.isnan(self.rel_lift) else f"{self.rel_lift:+.2%}"
        return (
            "A/B 检验（两比例 z 检验，合并方差） two-proportion z-test\n"
            f"  A 组转化率 rate_a : {self.rate_a:.2%} ({self.successes_a}/{self.n_a})\n"
            f"  B 组转化率 rate_b : {self.rate_b:.2%} ({self.successes_b}/{self.n_b})\n"
            f"  绝对提升 abs_lift : {self.abs_lift * 100:+.2f} 个百分点\n"
            f"  相对提升 rel_lift : {rel}\n"
            f"  z 值 z            : {self.z:.3f}\n"
            f"  p 值 p_value      : {self.p_value:.4f}（{side}）\n"
            f"  B − A 的 {level} 置信区间 : [{self.ci_low * 100:+.2f}, {self.ci_high * 100:+.2f}] 个百分点（{self.ci_method}）\n"
            f"  结论 : α = {self.alpha:g} 下{verdict}"
        )


def _diff_confint(x_a: int, n_a: int, x_b: int, n_b: int, alpha: float, method: str) -> tuple[float, float]:
    """Two-sided CI of rate_b - rate_a (see :func:`ab_test_proportions` for the formulas)."""
    z = stats.norm.isf(alpha / 2)
    if method in ("wald", "agresti-caffo"):
        add = 1 if method == "agresti-caffo" else 0
        p_a = (x_a + add) / (n_a + 2 * add)
        p_b = (x_b + add) / (n_b + 2 * add)
        se = math.sqrt(p_a * (1 - p_a) / (n_a + 2 * add) + p_b * (1 - p_b) / (n_b + 2 * add))
        return p_b - p_a - z * se, p_b - p_a + z * se
    # Newcombe's hybrid score interval: combine the Wilson interval of each arm.
    p_a, p_b = x_a / n_a, x_b / n_b
    low_a, high_a = _wilson(np.array(x_a), np.array(n_a), z)
    low_b, high_b = _wilson(np.array(x_b), np.array(n_b), z)
    diff = p_b - p_a
    low = diff - math.sqrt((p_b - low_b) ** 2 + (high_a - p_a) ** 2)
    high = diff + math.sqrt((high_b - p_b) ** 2 + (p_a - low_a) ** 2)
    return float(low), float(high)


def ab_test_proportions(
    successes_a: int,
    n_a: int,
    successes_b: int,
    n_b: int,
    *,
    alternative: str = "two-sided",
    alpha: float = 0.05,
    ci_method: str = "wald",
) -> ABTestResult:
    """A/B test of two proportions (两比例 A/B 检验): z, p, lift and a confidence interval.

    z = (p_B − p_A) / sqrt(p̂ (1 − p̂) (1/n_A + 1/n_B)),  p̂ = (x_A + x_B) / (n_A + n_B)

    This is the pooled two-proportion z-test (合并方差的两比例 z 检验), the
    test behind ``statsmodels.stats.proportion.proportions_ztest``. Under the
    null hypothesis both arms share one rate, so the standard error uses the
    pooled rate p̂. The p value is ``2 * (1 - Φ(|z|))`` two-sided,
    ``1 - Φ(z)`` for ``alternative="larger"`` (B better than A) and ``Φ(z)``
    for ``"smaller"``.

    The confidence interval is for the difference ``p_B − p_A`` and is always
    two-sided at level ``1 - alpha``. Methods (``ci_method``):

    - ``"wald"`` (default, unpooled): ``(p_B − p_A) ± z_{1−α/2} · sqrt(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B)``;
    - ``"agresti-caffo"``: the same after adding one success and one failure
      to each arm (better with small counts);
    - ``"newcombe"``: Newcombe's hybrid score interval built from the Wilson
      interval of each arm.

    Trap (易错点): the test uses the pooled standard error and the Wald
    interval the unpooled one, so near the edge "p < 0.05" and "the interval
    excludes 0" can disagree. Also, the sign convention: here z has the sign
    of B − A; statsmodels' ``proportions_ztest([x_A, x_B], [n_A, n_B])``
    returns A − B, i.e. the same |z| with the opposite sign. And decide n
    before the test (see :func:`ab_sample_size`): stopping as soon as p < 0.05
    inflates false positives.

    Parameters
    ----------
    successes_a, n_a : int
        Conversions and users (or impressions) of the control arm A (对照组).
    successes_b, n_b : int
        Conversions and users of the variant arm B (实验组).
    alternative : {"two-sided", "larger", "smaller"}
        Two-sided (default); ``"larger"`` tests B > A, ``"smaller"`` B < A.
    alpha : float
        Significance level (显著性水平), default 0.05; also sets the interval
        level ``1 - alpha``.
    ci_method : {"wald", "agresti-caffo", "newcombe"}
        Interval for the difference, default ``"wald"``.

    Returns
    -------
    ABTestResult
        Frozen dataclass: rates, ``abs_lift``, ``rel_lift``, ``z``,
        ``p_value``, ``ci_low``/``ci_high``, ``significant``. z and p are NaN
        when both arms are all 0 % or all 100 % (no variation to test).

    Examples
    --------
    The worked check of the course (120/2000 vs 150/2000):

    >>> r = ab_test_proportions(120, 2000, 150, 2000)
    >>> round(r.z, 3), round(r.p_value, 4), round(r.rel_lift, 2)
    (1.891, 0.0587, 0.25)
    >>> r
    A/B 检验（两比例 z 检验，合并方差） two-proportion z-test
      A 组转化率 rate_a : 6.00% (120/2000)
      B 组转化率 rate_b : 7.50% (150/2000)
      绝对提升 abs_lift : +1.50 个百分点
      相对提升 rel_lift : +25.00%
      z 值 z            : 1.891
      p 值 p_value      : 0.0587（双侧）
      B − A 的 95% 置信区间 : [-0.05, +3.05] 个百分点（wald）
      结论 : α = 0.05 下不显著
    """
    x_a = _check_count(successes_a, "successes_a")
    n_a = _check_count(n_a, "n_a", positive=True)
    x_b = _check_count(successes_b, "successes_b")
    n_b = _check_count(n_b, "n_b", positive=True)
    for x, n, arm in ((x_a, n_a, "A"), (x_b, n_b, "B")):
        if x > n:
            raise NmopsInputError(
                f"{arm} 组的转化数 {x} 大于样本数 {n}：转化数必须是样本中的一部分。检查是否把参数顺序写反了（先转化数，后样本数）。"
                f" / Arm {arm}: successes ({x}) exceed the sample size ({n}); pass successes first, then n."
            )
    alternative = _check_choice(alternative, _ALTERNATIVES, name="alternative")
    ci_method = _check_choice(ci_method, _DIFF_CI_METHODS, name="ci_method")
    alpha = _check_probability(alpha, "alpha")

    rate_a, rate_b = x_a / n_a, x_b / n_b
    pooled = (x_a + x_b) / (n_a + n_b)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (rate_b - rate_a) / se_pooled if se_pooled > 0 else float("nan")
    if math.isnan(z):
        p_value = float("nan")
    elif alternative == "two-sided":
        p_value = float(2 * stats.norm.sf(abs(z)))
    elif alternative == "larger":
        p_value = float(stats.norm.sf(z))
    else:
        p_value = float(stats.norm.cdf(z))
    ci_low, ci_high = _diff_confint(x_a, n_a, x_b, n_b, alpha, ci_method)
    return ABTestResult(
        successes_a=x_a,
        n_a=n_a,
        successes_b=x_b,
        n_b=n_b,
        rate_a=rate_a,
        rate_b=rate_b,
        abs_lift=rate_b - rate_a,
        rel_lift=safe_divide(rate_b, rate_a) - 1,
        z=float(z),
        p_value=p_value,
        ci_low=float(ci_low),
        ci_high=float(ci_high),
        alternative=alternative,
        ci_method=ci_method,
        alpha=alpha,
        significant=bool(p_value < alpha),
    )


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment: p_(i) × (m − i + 1), made monotone, capped at 1."""
    m = len(p)
    order = np.argsort(p, kind="mergesort")
    stepped = np.maximum.accumulate(p[order] * (m - np.arange(m)))
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def ab_test_table(
    tests: pd.DataFrame,
    *,
    test: str = "test_id",
    variant: str = "variant",
    successes: str = "reads",
    trials: str = "delivered",
    control: str = "A",
    treatment: str = "B",
    alternative: str = "two-sided",
    alpha: float = 0.05,
    ci_method: str = "wald",
    adjust: str | None = None,
) -> pd.DataFrame:
    """Many A/B tests at once (批量 A/B 检验): one :func:`ab_test_proportions` per test.

    p_adjusted = min(1, m × p) (Bonferroni);  Holm: the k-th smallest p × (m − k + 1), kept monotone

    ``tests`` is a long table with one row per test and variant, like the
    course's ``ab_tests`` table (defaults: ``test_id``, ``variant``, ``reads``
    over ``delivered``). Each test is run with ``control`` as A and
    ``treatment`` as B; signs are B − A.

    Trap (易错点): run 20 tests at α = 0.05 and about one comes out
    "significant" by chance even when no headline matters. ``adjust`` corrects
    the p values for the number of tests m: ``"bonferroni"`` (simple, strict)
    or ``"holm"`` (never less powerful); ``significant`` then uses the adjusted
    p value. Default None: no adjustment, one test at a time.

    Parameters
    ----------
    tests : DataFrame
        One row per test and variant.
    test, variant, successes, trials : str
        Column names.
    control, treatment : str
        Labels of the control (A, 对照组) and the variant (B, 实验组) in ``variant``.
    alternative, alpha, ci_method
        As in :func:`ab_test_proportions`.
    adjust : {None, "bonferroni", "holm"}
        Multiple-testing correction (多重检验校正), default None.

    Returns
    -------
    DataFrame
        Indexed by test, in the order of first appearance, with the fields of
        :class:`ABTestResult` (``successes_a`` ... ``significant``) and
        ``p_adjusted`` (equal to ``p_value`` when ``adjust`` is None).

    Examples
    --------
    >>> tests = pd.DataFrame({"test_id": ["T1", "T1", "T2", "T2"], "variant": ["A", "B", "A", "B"],
    ...                       "reads": [120, 150, 300, 310], "delivered": [2000, 2000, 5000, 5000]})
    >>> ab_test_table(tests)[["rate_a", "rate_b", "z", "p_value"]].round(4)
             rate_a  rate_b       z  p_value
    test_id
    T1         0.06   0.075  1.8907   0.0587
    T2         0.06   0.062  0.4178   0.6761
    """
    require_columns(tests, [test, variant, successes, trials], what="tests A/B 测试表")
    _check_choice(adjust, (None, "bonferroni", "holm"), name="adjust")
    alpha = _check_probability(alpha, "alpha")
    rows = {}
    for key, group in tests.groupby(test, sort=False):
        arms = {}
        for label in (control, treatment):
            arm = group[group[variant] == label]
            if len(arm) != 1:
                have = "、".join(map(str, group[variant].tolist()))
                raise NmopsInputError(
                    f"测试 {key} 应该恰好有一行 {variant}={label!r}，实际有 {len(arm)} 行（该测试的版本：{have}）。"
                    f"检查 control/treatment 参数或重复行。"
                    f" / Test {key} must have exactly one row with {variant}={label!r}, found {len(arm)}."
                )
            arms[label] = arm.iloc[0]
        a, b = arms[control], arms[treatment]
        result = ab_test_proportions(
            a[successes], a[trials], b[successes], b[trials], alternative=alternative, alpha=alpha, ci_method=ci_method
        )
        rows[key] = asdict(result)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = test
    p = out["p_value"].to_numpy(dtype="float64")
    if adjust is None:
        adjusted = p
    elif adjust == "bonferroni":
        adjusted = np.minimum(p * len(p), 1.0)
    else:
        adjusted = _holm(p)
    out["p_adjusted"] = adjusted
    out["significant"] = out["p_adjusted"] < alpha
    return out


def ab_sample_size(
    baseline_rate: float,
    mde: float,
    *,
    relative: bool = False,
    alpha: float = 0.05,
    power: float = 0.8,
    alternative: str = "two-sided",
) -> int:
    """Sample size per arm (每组样本量) an A/B test of two proportions needs.

    n = (z_{1−α/2} · sqrt(2 p̄ (1 − p̄)) + z_{1−β} · sqrt(p₁(1 − p₁) + p₂(1 − p₂)))² / (p₂ − p₁)²

    with p₁ the baseline rate, p₂ = p₁ + MDE, p̄ = (p₁ + p₂) / 2 and power
    1 − β. This is the standard normal-approximation formula for the pooled
    z-test of :func:`ab_test_proportions` with equal arms (no continuity
    correction), the same as statsmodels'
    ``samplesize_proportions_2indep_onetail``. For a one-sided alternative
    ``z_{1−α}`` replaces ``z_{1−α/2}``. The result is rounded **up**; the whole
    test needs twice as many users.

    Trap (易错点): the minimum detectable effect (MDE, 最小可检测效应) is absolute
    by default: ``mde=0.01`` on a 5 % baseline means 5 % → 6 %. With
    ``relative=True`` the same 0.01 means 5 % → 5.05 %, which needs about
    10 000 times more users. Halving the MDE quadruples n.

    Parameters
    ----------
    baseline_rate : float
        Current conversion rate of the control (基线转化率), in (0, 1).
    mde : float
        Minimum detectable effect: absolute (default) or relative to the
        baseline when ``relative=True``. Negative to detect a drop.
    relative : bool
        Whether ``mde`` is relative (相对) instead of absolute (绝对).
    alpha : float
        Significance level, default 0.05.
    power : float
        Statistical power (检验功效) 1 − β, default 0.8.
    alternative : {"two-sided", "larger", "smaller"}
        Default two-sided; a one-sided test needs fewer users.

    Returns
    -------
    int
        Users (or impressions) needed in **each** arm.

    Examples
    --------
    From 5 % to 6 %, two-sided α = 0.05, power 80 %:

    >>> ab_sample_size(0.05, 0.01)
    8158
    >>> ab_sample_size(0.05, 0.20, relative=True)  # +20 % relative = 5 % → 6 %
    8158
    """
    p1 = _check_probability(baseline_rate, "baseline_rate")
    if isinstance(mde, bool) or not isinstance(mde, Real) or not math.isfinite(float(mde)) or mde == 0:
        raise NmopsInputError(
            f"mde（最小可检测效应）应该是非零的数，收到的是 {mde!r}。 / mde must be a non-zero number, got {mde!r}."
        )
    _check_bool(relative, name="relative")
    alpha = _check_probability(alpha, "alpha")
    power = _check_probability(power, "power")
    alternative = _check_choice(alternative, _ALTERNATIVES, name="alternative")
    diff = p1 * float(mde) if relative else float(mde)
    p2 = p1 + diff
    if not 0 < p2 < 1:
        raise NmopsInputError(
            f"基线 {p1} 加上效应 {diff:+g} 得到 {p2:g}，不是 0 到 1 之间的转化率。检查 mde 与 relative 参数。"
            f" / baseline {p1} plus effect {diff:+g} gives {p2:g}, not a rate in (0, 1); check mde and relative."
        )
    z_alpha = stats.norm.isf(alpha / 2 if alternative == "two-sided" else alpha)
    z_beta = stats.norm.isf(1 - power)
    p_bar = (p1 + p2) / 2
    numerator = z_alpha * math.sqrt(2 * p_bar * (1 - p_bar)) + z_beta * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    n = numerator**2 / diff**2
    # Guard against 8157.999999999 becoming 8158 through float noise only.
    return int(math.ceil(round(n, 9)))


# --------------------------------------------------------------------------- rates and means per group


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (see :func:`proportion_ci`)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        denom = 1 + z**2 / n
        center = (p + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return center - half, center + half


def _as_float_array(values, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        raise NmopsInputError(f"{name} 应该是数字，收到的是 {values!r}。 / {name} must be numeric, got {values!r}.") from None
    return arr


def proportion_ci(successes, trials, *, method: str = "wilson", alpha: float = 0.05):
    """Confidence interval for a rate (比率的置信区间), e.g. a read rate or a CTR.

    Wilson: (p + z²/2n ± z · sqrt(p(1 − p)/n + z²/4n²)) / (1 + z²/n),  z = z_{1−α/2}

    Methods: ``"wilson"`` (default: behaves well with few trials and rates
    near 0), ``"wald"`` (``p ± z·sqrt(p(1 − p)/n)``, the textbook normal
    approximation; too narrow for small n or rates near 0, and with 0
    successes it collapses to [0, 0], which is why it is not the default),
    ``"agresti-coull"`` (Wald after adding z²/2 successes and z²/2 failures)
    and ``"clopper-pearson"`` (exact, from the beta distribution;
    conservative). Wilson, Wald and Agresti-Coull are clipped to [0, 1]. Same
    definitions as ``statsmodels.stats.proportion.proportion_confint``
    (methods ``wilson``, ``normal``, ``agresti_coull``, ``beta``).

    Trap (易错点): the interval assumes independent trials. Readers of one post
    are not independent of each other across posts (some posts simply do
    better), so an interval for many posts pooled is too narrow; for a
    per-post view use :func:`compare_means` on per-post rates.

    Parameters
    ----------
    successes, trials : int, array-like or Series
        Successes (e.g. 点击) and trials (e.g. 曝光); broadcast together.
    method : {"wilson", "wald", "agresti-coull", "clopper-pearson"}
        Interval method, default ``"wilson"``.
    alpha : float
        1 − confidence level, default 0.05 (a 95 % interval).

    Returns
    -------
    tuple
        ``(low, high)``: floats for scalar input, Series for Series input,
        arrays otherwise. NaN where ``trials`` is 0.

    Examples
    --------
    >>> low, high = proportion_ci(12, 100)
    >>> round(low, 4), round(high, 4)
    (0.07, 0.1981)
    >>> proportion_ci(0, 0)
    (nan, nan)
    """
    method = _check_choice(method, _PROP_CI_METHODS, name="method")
    alpha = _check_probability(alpha, "alpha")
    index = None
    for v in (successes, trials):
        if isinstance(v, pd.Series):
            index = v.index
            break
    x = _as_float_array(successes, "successes")
    n = _as_float_array(trials, "trials")
    if np.isnan(x).any() or np.isnan(n).any():
        raise NmopsInputError("successes 和 trials 不能有缺失值。 / successes and trials must not contain missing values.")
    require_non_negative(pd.Series(x.ravel()), name="successes")
    require_non_negative(pd.Series(n.ravel()), name="trials")
    x, n = np.broadcast_arrays(x, n)
    if (x > n).any():
        raise NmopsInputError(
            "successes 大于 trials：比率的分子必须是分母的一部分（例如点击数 ≤ 曝光数）。"
            " / successes exceed trials: the numerator must be part of the denominator (clicks ≤ impressions)."
        )
    n_safe = np.where(n > 0, n, np.nan)
    z = stats.norm.isf(alpha / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n_safe
        if method == "wilson":
            low, high = _wilson(x, n_safe, z)
        elif method == "wald":
            half = z * np.sqrt(p * (1 - p) / n_safe)
            low, high = p - half, p + half
        elif method == "agresti-coull":
            n_t = n_safe + z**2
            p_t = (x + z**2 / 2) / n_t
            half = z * np.sqrt(p_t * (1 - p_t) / n_t)
            low, high = p_t - half, p_t + half
        if method != "clopper-pearson":
            low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)  # a rate cannot leave [0, 1]
        else:
            low = np.where(x == 0, 0.0, stats.beta.ppf(alpha / 2, x, n_safe - x + 1))
            high = np.where(x == n, 1.0, stats.beta.isf(alpha / 2, x + 1, n_safe - x))
            low = np.where(np.isnan(n_safe), np.nan, low)
            high = np.where(np.isnan(n_safe), np.nan, high)
    if low.ndim == 0:
        return float(low), float(high)
    if index is not None and len(index) == len(low):
        return pd.Series(low, index=index), pd.Series(high, index=index)
    return low, high


def _sorted_groups(out: pd.DataFrame, by: str, key: str) -> pd.DataFrame:
    """Sort by ``key`` descending, ties by group label ascending, NaN last."""
    out = out.sort_values(by, kind="mergesort")
    out = out.sort_values(key, ascending=False, kind="mergesort", na_position="last")
    return out.reset_index(drop=True)


def _check_group_frame(df: pd.DataFrame, by: str, columns: list[str], what: str) -> None:
    """The group column and numeric value columns are present."""
    require_columns(df, [by, *columns], what=what)
    _require_numeric(df, columns, what=what)


def compare_rates(
    df: pd.DataFrame,
    by: str,
    successes: str,
    trials: str,
    *,
    method: str = "wilson",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Rate per group with a confidence interval (分组比率及置信区间), e.g. read rate by content type.

    rate_g = Σ successes_g / Σ trials_g,  interval from :func:`proportion_ci`

    The rate of a group is pooled (合并): the group's successes over its
    trials, so big posts weigh more than small ones. Rows whose group label is
    missing are left out; rows with missing counts are refused.

    Trap (易错点): overlapping intervals do not prove "no difference", and the
    interval treats every trial as independent, which overstates precision
    when posts differ a lot from each other; :func:`compare_means` on
    per-post rates shows the post-to-post spread.

    Parameters
    ----------
    df : DataFrame
        One row per post (or per day, per user...).
    by : str
        Column holding the group (e.g. ``"content_type"``, 内容类型).
    successes : str
        Numerator column (e.g. ``"reads"``, ``"clicks"``).
    trials : str
        Denominator column (e.g. ``"delivered"``, ``"impressions"``).
    method : {"wilson", "wald", "agresti-coull", "clopper-pearson"}
        Interval method, default ``"wilson"``.
    alpha : float
        1 − confidence level, default 0.05.

    Returns
    -------
    DataFrame
        Columns ``[by, "rows", "successes", "trials", "rate", "ci_low",
        "ci_high"]``, one row per group, **sorted by rate descending** (ties by
        group label ascending, groups without trials last), index 0..k−1.

    Examples
    --------
    >>> posts = pd.DataFrame({"content_type": ["干货", "干货", "活动", "活动"],
    ...                       "reads": [30, 20, 15, 25], "delivered": [200, 200, 100, 100]})
    >>> compare_rates(posts, "content_type", "reads", "delivered").round(3)
      content_type  rows  successes  trials   rate  ci_low  ci_high
    0           活动     2         40     200  0.200   0.150    0.261
    1           干货     2         50     400  0.125   0.096    0.161
    """
    _check_group_frame(df, by, [successes, trials], "compare_rates 的数据表 df")
    method = _check_choice(method, _PROP_CI_METHODS, name="method")
    alpha = _check_probability(alpha, "alpha")
    if df[[successes, trials]].isna().any().any():
        raise NmopsInputError(
            f"列 {successes} 或 {trials} 有缺失值；先决定缺失表示 0 还是没有数据（fillna(0) 或 dropna()）。"
            f" / Columns {successes}/{trials} contain missing values; fill or drop them first."
        )
    require_non_negative(df[[successes, trials]], name=f"{successes}/{trials}")
    grouped = df.groupby(by, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "rows": grouped.size(),
            "successes": grouped[successes].sum(),
            "trials": grouped[trials].sum(),
        }
    )
    bad = out.index[out["successes"] > out["trials"]]
    if len(bad):
        raise NmopsInputError(
            f"分组 {', '.join(map(str, bad))} 的 {successes} 合计大于 {trials} 合计，不是一个比率（每次成功应是一次尝试）。"
            f"这种“每次阅读的互动数”可能大于 1，请改用 compare_means 比较每篇的比值。"
            f" / In group(s) {', '.join(map(str, bad))} total {successes} exceeds total {trials}: not a proportion;"
            f" use compare_means on per-row ratios instead."
        )
    out["rate"] = safe_divide(out["successes"], out["trials"])
    low, high = proportion_ci(out["successes"], out["trials"], method=method, alpha=alpha)
    out["ci_low"], out["ci_high"] = low, high
    out = out.rename_axis(by).reset_index()
    return _sorted_groups(out, by, "rate")


def compare_means(df: pd.DataFrame, by: str, value: str, *, alpha: float = 0.05) -> pd.DataFrame:
    """Mean of a metric per group with a t interval (分组均值及 t 置信区间).

    mean ± t_{1−α/2, n−1} · s / √n

    For a metric measured per post (reads per post, per-post read rate,
    average watch time): the mean of the group's rows, the sample standard
    deviation ``s`` (ddof = 1) and Student's t interval, as in
    ``statsmodels.stats.weightstats.DescrStatsW(...).tconfint_mean()``. Missing
    values are left out, so ``n`` counts the non-missing rows.

    Trap (易错点): with a handful of posts per group the interval is wide, and a
    single viral post drags the mean; look at the median too before ranking
    content types. A group with one post has no interval (NaN).

    Parameters
    ----------
    df : DataFrame
        One row per post (or other unit).
    by : str
        Column holding the group.
    value : str
        Numeric column to average.
    alpha : float
        1 − confidence level, default 0.05.

    Returns
    -------
    DataFrame
        Columns ``[by, "n", "mean", "std", "ci_low", "ci_high"]``, one row per
        group, **sorted by mean descending** (ties by group label ascending),
        index 0..k−1.

    Examples
    --------
    >>> posts = pd.DataFrame({"content_type": ["干货", "干货", "干货", "活动", "活动"],
    ...                       "reads": [100, 200, 300, 50, 70]})
    >>> compare_means(posts, "content_type", "reads").round(1)
      content_type  n   mean    std  ci_low  ci_high
    0           干货  3  200.0  100.0   -48.4    448.4
    1           活动  2   60.0   14.1   -67.1    187.1
    """
    _check_group_frame(df, by, [value], "compare_means 的数据表 df")
    alpha = _check_probability(alpha, "alpha")
    grouped = df.groupby(by, sort=True, observed=True)[value]
    out = pd.DataFrame({"n": grouped.count(), "mean": grouped.mean(), "std": grouped.std(ddof=1)})
    out["n"] = out["n"].astype("int64")
    dof = (out["n"] - 1).where(out["n"] > 1)
    t = pd.Series(stats.t.isf(alpha / 2, dof.to_numpy(dtype="float64")), index=out.index)
    half = t * out["std"] / np.sqrt(out["n"].where(out["n"] > 0))
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out = out.rename_axis(by).reset_index()
    return _sorted_groups(out, by, "mean")
