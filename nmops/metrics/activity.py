"""Junior (初级) KPIs: activity operations (活动运营).

A 初级 operator runs campaigns (抽奖、打卡、征集……) and reports who took
part: participants per campaign (参与人数), the participation rate against
reach (参与率), and the activity funnel (活动漏斗), e.g. 报名 → 参与 → 分享.

Participants are counted as unique users (人), never as records (次): a user
who signs up twice is one participant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import pandas as pd

from nmops._validation import NmopsInputError, require_columns, safe_divide
from nmops.metrics._common import _as_list, _require_counts, _require_no_missing
from nmops.metrics._funnel import funnel_table

__all__ = ["campaign_participants", "participation_rate", "activity_funnel"]

_WHAT = "participants 参与记录表"


def campaign_participants(
    participants: pd.DataFrame,
    *,
    at_step: str | None = None,
    campaign: str = "campaign_id",
    user: str = "user_id",
    step: str = "step",
    campaigns: Iterable | None = None,
) -> pd.Series:
    """Participants (参与人数): unique users per campaign.

    participants[c] = number of distinct users with a record in campaign c (at ``at_step``, if given)

    Users are counted once per campaign however many records they have (人,
    not 次). Records whose user is missing (anonymous) cannot be told apart
    and are not counted. The trap: "参与" means different steps in different
    reports (signed up? submitted? shared?); say which with ``at_step``.

    Parameters
    ----------
    participants : DataFrame
        One row per user action in a campaign (columns ``campaign_id``,
        ``user_id`` and, if ``at_step`` is given, ``step``).
    at_step : str, optional
        Count only records at this step (e.g. ``"参与"``). None counts users
        with any record.
    campaign : str, default "campaign_id"
        Campaign column.
    user : str, default "user_id"
        User column.
    step : str, default "step"
        Step column (used only with ``at_step``).
    campaigns : iterable, optional
        Campaign ids to report; campaigns nobody joined appear with 0.
        Default: the campaigns found in ``participants``.

    Returns
    -------
    Series
        Unique participants per campaign (int), named ``"participants"``,
        indexed by campaign.

    Examples
    --------
    >>> p = pd.DataFrame({
    ...     "campaign_id": ["A", "A", "A", "B"],
    ...     "user_id": ["u1", "u1", "u2", "u1"],
    ...     "step": ["报名", "参与", "报名", "报名"],
    ... })
    >>> campaign_participants(p, campaigns=["A", "B", "C"]).to_dict()
    {'A': 2, 'B': 1, 'C': 0}
    >>> campaign_participants(p, at_step="参与").to_dict()
    {'A': 1}
    """
    cols = [campaign, user] + ([] if at_step is None else [step])
    require_columns(participants, cols, what=_WHAT)
    _require_no_missing(participants, [campaign], what=_WHAT, group_key=True)
    rows = participants if at_step is None else participants[participants[step] == at_step]
    counts = rows.groupby(campaign, sort=True)[user].nunique().astype("int64")
    if campaigns is not None:
        ids = _as_list(campaigns, "campaigns")
        counts = counts.reindex(ids, fill_value=0)
        counts.index.name = campaign
    return counts.rename("participants")


def participation_rate(
    participants: pd.DataFrame,
    campaigns: pd.DataFrame,
    *,
    at_step: str | None = None,
    campaign: str = "campaign_id",
    user: str = "user_id",
    step: str = "step",
    reach: str = "reach",
) -> pd.DataFrame:
    """Participation rate (参与率): unique participants over the campaign's reach.

    participation_rate = participants (人) / reach (人)

    Reach (触达) must count people, like participants; a reach that counts
    impressions (曝光次数) understates the rate. A campaign nobody joined
    has rate 0; one with zero reach has NaN. Participant records of a
    campaign missing from ``campaigns`` are refused rather than dropped.

    Parameters
    ----------
    participants : DataFrame
        One row per user action (``campaign_id``, ``user_id``, ``step``).
    campaigns : DataFrame
        One row per campaign with its reach (``campaign_id``, ``reach``).
    at_step : str, optional
        Count participants at this step only (see :func:`campaign_participants`).
    campaign, user, step, reach : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by campaign (in the order of ``campaigns``), columns
        ``participants``, ``reach``, ``participation_rate``.

    Examples
    --------
    >>> p = pd.DataFrame({"campaign_id": ["A", "A", "A"], "user_id": ["u1", "u1", "u2"]})
    >>> c = pd.DataFrame({"campaign_id": ["A", "B", "C"], "reach": [40, 10, 0]})
    >>> participation_rate(p, c)
                 participants  reach  participation_rate
    campaign_id
    A                       2     40                0.05
    B                       0     10                0.00
    C                       0      0                 NaN
    """
    require_columns(campaigns, [campaign, reach], what="campaigns 活动表")
    _require_counts(campaigns, [reach], what="campaigns 活动表")
    _require_no_missing(campaigns, [campaign], what="campaigns 活动表", group_key=True)
    if campaigns[campaign].duplicated().any():
        dup = campaigns.loc[campaigns[campaign].duplicated(), campaign].iloc[0]
        raise NmopsInputError(
            f"campaigns 活动表中活动 {dup!r} 出现了不止一次：每个活动应只有一行。"
            f" / campaigns has campaign {dup!r} more than once; each campaign needs one row."
        )
    require_columns(participants, [campaign, user], what=_WHAT)
    unknown = sorted(set(participants[campaign].dropna()) - set(campaigns[campaign]), key=str)
    if unknown:
        shown = ", ".join(map(str, unknown[:5]))
        raise NmopsInputError(
            f"participants 参与记录中有活动表里没有的活动：{shown}。请检查活动编号，或把这些活动补进 campaigns。"
            f" / participants refers to campaign(s) not in campaigns: {shown}."
        )
    counts = campaign_participants(
        participants, at_step=at_step, campaign=campaign, user=user, step=step,
        campaigns=campaigns[campaign],
    )
    out = pd.DataFrame(
        {"participants": counts.to_numpy(), "reach": campaigns[reach].to_numpy()},
        index=pd.Index(campaigns[campaign].to_numpy(), name=campaign),
    )
    out["participation_rate"] = safe_divide(out["participants"], out["reach"])
    return out


def activity_funnel(
    participants: pd.DataFrame,
    steps: Sequence[str],
    *,
    rule: Literal["in_order", "any_order", "reached"] = "in_order",
    strict: bool = False,
    within: pd.Timedelta | str | None = None,
    by: str | None = "campaign_id",
    user: str = "user_id",
    step: str = "step",
    at: str = "event_time",
) -> pd.DataFrame:
    """Activity funnel (活动漏斗): unique users at each ordered step, with conversion.

    step_conversion_k = users_k / users_(k-1)  (NaN at k = 1);  overall_conversion_k = users_k / users_1

    Who counts at step k is a definition, chosen with ``rule``; the rules,
    names and output are those of
    :func:`~nmops.metrics.conversion.conversion_funnel` (one
    implementation, see ``docs/kpi-reference.md``):

    - ``"in_order"`` (default): in order in time. With t_1 the user's first
      time at step 1, t_k is their first time at step k at or after t_(k−1)
      (``strict=True``: strictly later); the user counts at step k if t_k
      exists. Needs the ``event_time`` column.
    - ``"any_order"``: the user has a record at step k *and* at every
      earlier step, in any order in time. The funnel never widens.
    - ``"reached"``: the user has a record at step k, whatever the earlier
      steps. A user who shared without signing up counts at 分享, so a step
      can hold more users than the one before (conversion above 100%): the
      trap of counting each step on its own.

    Records at steps not listed in ``steps`` are ignored; a listed step
    that never occurs is refused (a typo). Within one funnel a user is
    counted once per step (人, not 次). Records without a user are refused:
    drop them first and say how many.

    Parameters
    ----------
    participants : DataFrame
        One row per user action: user, step, (campaign), (time).
    steps : sequence of str
        The steps in funnel order (at least two), e.g. ``["报名", "参与", "分享"]``.
    rule : {"in_order", "any_order", "reached"}, default "in_order"
        Who counts at a step (see above).
    strict : bool, default False
        ``in_order`` only: each step strictly later than the previous one.
    within : Timedelta or str, optional
        ``in_order`` only: the last step at most this long after the first.
    by : str or None, default "campaign_id"
        One funnel per value of this column. None pools all rows into one
        funnel (a user's steps in different campaigns then combine).
    user, step, at : str
        Column names (``event_time``, a datetime, is used only by ``"in_order"``).

    Returns
    -------
    DataFrame
        Index: ``step`` (or ``(by, step)``), steps in funnel order. Columns:
        ``users`` (int), ``step_conversion`` (NaN at the first step: it has
        no previous step; NaN where the previous step is empty) and
        ``overall_conversion`` (against the first step).

    Examples
    --------
    >>> p = pd.DataFrame({
    ...     "user_id": ["u1", "u1", "u1", "u2", "u2", "u3", "u4"],
    ...     "step": ["报名", "参与", "分享", "报名", "参与", "报名", "分享"],
    ... })
    >>> activity_funnel(p, ["报名", "参与", "分享"], by=None, rule="any_order")
          users  step_conversion  overall_conversion
    step
    报名      3              NaN            1.000000
    参与      2         0.666667            0.666667
    分享      1         0.500000            0.333333
    >>> activity_funnel(p, ["报名", "参与", "分享"], by=None, rule="reached")["users"].tolist()
    [3, 2, 2]
    """
    return funnel_table(
        participants, steps, rule=rule, strict=strict, within=within, by=by, segment=None,
        user=user, step=step, at=at, what=_WHAT,
    )
