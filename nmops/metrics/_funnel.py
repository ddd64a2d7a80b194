"""The one funnel rule behind :func:`~nmops.metrics.conversion.conversion_funnel` and
:func:`~nmops.metrics.activity.activity_funnel` (漏斗的统一口径).

Both public funnels call :func:`funnel_table`, so they share the names of
the rules, the meaning of each rule, the first-step convention and the
output columns:

- ``rule="in_order"`` (default): with t_1 the user's first time at step 1,
  t_k is their first time at step k at or after t_(k−1) (``strict=True``:
  strictly later than t_(k−1)); the user counts at step k if t_k exists
  (and, with ``within``, t_k ≤ t_1 + within).
- ``rule="any_order"``: the user has a record at step k and at every
  earlier step, at any time.
- ``rule="reached"``: the user has a record at step k, whatever the earlier
  steps (a step can then hold more users than the one before).

Output: ``users`` (distinct users, 人), ``step_conversion`` = users_k /
users_(k−1), NaN at the first step (it has no previous step) and where the
previous step is empty, and ``overall_conversion`` = users_k / users_1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError, safe_divide
from nmops.metrics._common import _check_bool, _check_choice, _require_dates, _require_frame, _require_no_missing

#: The funnel rules, in order from the strictest to the loosest.
FUNNEL_RULES = ("in_order", "any_order", "reached")

#: Rule names of earlier versions, and what they are called now.
_RENAMED_RULES = {"chronological": "in_order", "ordered": "in_order", "sequential": "any_order"}


def _check_steps(steps) -> list:
    """At least two distinct step names, as a list."""
    if isinstance(steps, str):
        raise NmopsInputError(
            f"steps 应该是至少两个步骤名的列表（按漏斗顺序），例如 ['报名', '参与', '分享']，而不是单个字符串 {steps!r}。"
            f" / steps must be a list of step names in funnel order, not a single string ({steps!r})."
        )
    if not isinstance(steps, Sequence) or len(steps) < 2 or len(set(steps)) != len(steps):
        raise NmopsInputError(
            f"steps 应该是至少两个、不重复的步骤名的列表，例如 ['open', 'add_to_cart', 'purchase']，收到 {steps!r}。"
            f" / steps must be a list of at least two distinct step names, got {steps!r}."
        )
    return list(steps)


def _check_rule(rule, strict, within) -> pd.Timedelta | None:
    """Check rule, strict and within together; return within as a Timedelta (or None)."""
    if rule in _RENAMED_RULES:
        raise NmopsInputError(
            f"rule={rule!r} 已改名为 rule={_RENAMED_RULES[rule]!r}（两个漏斗函数现在用同一套口径）。"
            f" / rule={rule!r} is now called rule={_RENAMED_RULES[rule]!r} (both funnels share one set of rules)."
        )
    _check_choice(rule, FUNNEL_RULES, name="rule")
    _check_bool(strict, name="strict")
    if strict and rule != "in_order":
        raise NmopsInputError(
            "strict=True（后一步必须严格晚于前一步）只对 rule='in_order' 有意义。"
            " / strict=True (each step strictly later than the previous one) needs rule='in_order'."
        )
    if within is None:
        return None
    if rule != "in_order":
        raise NmopsInputError(
            "within 只能和 rule='in_order' 一起用（其他口径不看时间，没有起点）。 / within needs rule='in_order'."
        )
    try:
        within = pd.Timedelta(within)
    except (TypeError, ValueError) as exc:
        raise NmopsInputError(
            f"within 应该是一段时长，例如 '7D'，收到 {within!r}。 / within must be a duration such as '7D', got {within!r}."
        ) from exc
    if within is pd.NaT or within < pd.Timedelta(0):
        raise NmopsInputError(f"within 不能为负或缺失，收到 {within!r}。 / within must not be negative, got {within!r}.")
    return within


def funnel_table(
    events: pd.DataFrame,
    steps,
    *,
    rule: str,
    strict: bool,
    within,
    by: str | None,
    segment: str | None,
    user: str,
    step: str,
    at: str,
    what: str,
) -> pd.DataFrame:
    """Users at each step, step and overall conversion (see the module docstring for the rule).

    ``by`` gives one funnel per value (a user's records in two groups are
    two separate journeys; every group of ``events`` appears, with 0 users if
    nobody reached a step). ``segment`` splits one funnel by the user's value
    on their first record at the lowest step they have (for ``in_order`` and
    ``any_order``: their first step-1 record).
    """
    steps = _check_steps(steps)
    within = _check_rule(rule, strict, within)
    keys = [] if by is None else [by]
    timed = rule == "in_order" or segment is not None
    cols = keys + [user, step] + ([at] if timed else []) + ([segment] if segment is not None else [])
    _require_frame(events, cols, what=what)
    present = set(events[step].dropna().unique())
    absent = [s for s in steps if s not in present]
    if absent:
        have = ", ".join(sorted(map(str, present)))
        raise NmopsInputError(
            f"步骤 {absent} 在 {what} 的列 {step} 中一次也没有出现（现有取值：{have}）。请检查拼写和大小写。"
            f" / Step(s) {absent} never occur in column {step} of {what} (values: {have}); check spelling and case."
        )
    _require_no_missing(events, keys, what=what, group_key=True)
    if events[user].isna().any():
        k = int(events[user].isna().sum())
        raise NmopsInputError(
            f"{what} 的列 {user} 有 {k} 个缺失值：匿名记录分不清是谁，不能算进按人计数的漏斗。"
            f"请先删掉这些行（df.dropna(subset=['{user}'])），并在报告里说明删了多少。"
            f" / Column {user} of {what} has {k} missing value(s); anonymous rows cannot be counted per user: drop them first."
        )
    in_funnel = events[step].isin(steps).to_numpy()
    rows = pd.DataFrame({c: events[c].to_numpy()[in_funnel] for c in keys + [user]})
    rows["_k"] = pd.Categorical(events[step].to_numpy()[in_funnel], categories=steps).codes
    if timed:
        rows["_t"] = _require_dates(events[at], name=at, what=what).to_numpy()[in_funnel]
    ident = keys + [user]

    reached = _reached_per_step(rows, len(steps), ident=ident, rule=rule, strict=strict, within=within)
    if segment is not None:
        rows["_seg"] = events[segment].to_numpy()[in_funnel]
        first = rows.sort_values(["_k", "_t"], kind="stable").drop_duplicates(user).set_index(user)["_seg"]
        first = first.loc[pd.unique(np.concatenate([r[user].to_numpy() for r in reached]))]  # users in the funnel
        if first.isna().any():
            raise NmopsInputError(
                f"{what} 的列 {segment} 在 {int(first.isna().sum())} 个用户的首个漏斗事件上是缺失值。"
                f"请先填上（例如 fillna('(none)')）。"
                f" / Column {segment} is missing on the first funnel event of {int(first.isna().sum())} user(s); fill it first."
            )
        counts = pd.DataFrame({s: first.loc[r[user]].value_counts() for s, r in zip(steps, reached)})
        counts = counts.fillna(0).astype(np.int64).sort_index()
        counts.index.name = segment
    elif keys:
        counts = pd.DataFrame({s: r.groupby(by, sort=True).size() for s, r in zip(steps, reached)})
        groups = pd.Index(sorted(pd.unique(events[by]), key=str), name=by)
        counts = counts.reindex(groups).fillna(0).astype(np.int64)
    else:
        counts = pd.DataFrame({s: [len(r)] for s, r in zip(steps, reached)}, dtype=np.int64)
    return _conversion_columns(counts, steps, group=segment if segment is not None else by)


def _reached_per_step(rows: pd.DataFrame, n_steps: int, *, ident, rule, strict, within) -> list[pd.DataFrame]:
    """For each step, the distinct ``ident`` rows (users, per group) counted there."""
    reached: list[pd.DataFrame] = []
    previous: pd.DataFrame | None = None  # users counted at the previous step (with t_(k−1) for in_order)
    start: pd.DataFrame | None = None  # t_1 per user, for within
    for k in range(n_steps):
        at_step = rows[rows["_k"] == k]
        if rule == "in_order":
            if previous is None:
                current = at_step.groupby(ident, as_index=False, sort=False)["_t"].min()
                start = current.rename(columns={"_t": "_t1"})
            else:
                joined = at_step[ident + ["_t"]].merge(previous.rename(columns={"_t": "_prev"}), on=ident)
                later = joined["_t"] > joined["_prev"] if strict else joined["_t"] >= joined["_prev"]
                if within is not None:
                    joined = joined.merge(start, on=ident)
                    later &= joined["_t"] <= joined["_t1"] + within
                current = joined[later].groupby(ident, as_index=False, sort=False)["_t"].min()
        else:
            current = at_step[ident].drop_duplicates()
            if rule == "any_order" and previous is not None:
                current = current.merge(previous[ident], on=ident)
        previous = current
        reached.append(current)
    return reached


def _conversion_columns(counts: pd.DataFrame, steps: list, *, group: str | None) -> pd.DataFrame:
    """Long table (group, step) → users, step_conversion (NaN at step 1), overall_conversion."""
    users = counts.to_numpy(dtype=np.int64)  # shape (funnels, steps)
    prev = np.concatenate([np.full((len(users), 1), np.nan), users[:, :-1]], axis=1)
    first = np.repeat(users[:, :1], len(steps), axis=1)
    if group is None:
        index = pd.Index(steps, name="step")
    else:
        index = pd.MultiIndex.from_product([counts.index, steps], names=[group, "step"])
    out = pd.DataFrame({"users": users.ravel()}, index=index)
    out["step_conversion"] = safe_divide(users.ravel(), prev.ravel())
    out["overall_conversion"] = safe_divide(users.ravel(), first.ravel())
    return out
