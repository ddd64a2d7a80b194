"""Audience and followers (粉丝): who follows from which source, and when they leave."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nmops.datasets._calendar import Calendar
from nmops.datasets._params import DAY, NCH, _hours
from nmops.datasets.dictionary import CHANNELS

FOLLOW_SOURCES = ("post", "campaign", "collab", "search", "recommend", "other")
#: organic follows (not from a post) by source
ORGANIC_SOURCE_P = (0.5, 0.3, 0.2)  # search, recommend, other
#: chance that a new follower leaves soon, and the mean days until then
QUICK_LEAVE = {"giveaway": (0.5, 6.0), "campaign": (0.12, 20.0), "content": (0.04, 15.0)}
#: daily unfollow hazard of everyone else (long-term followers)
LONG_HAZARD = 1 / 900


def _leave_days(rng, start: np.ndarray, group: str, end_day: int | None = None) -> np.ndarray:
    """Day each new follower unfollows (may lie beyond the year)."""
    p_quick, mean_quick = QUICK_LEAVE[group]
    k = len(start)
    quick = rng.random(k) < p_quick
    anchor = np.full(k, end_day) if end_day is not None else start
    out = start + rng.geometric(LONG_HAZARD, k)
    out[quick] = np.maximum(anchor[quick], start[quick]) + rng.geometric(1 / mean_quick, quick.sum())
    return out


def _follower_events(rng, cal: Calendar, fl: dict, base_unf: np.ndarray, start_total: np.ndarray,
                     t_pub: np.ndarray, post_ids: np.ndarray) -> pd.DataFrame:
    """One row per follow and unfollow, adding up to followers_daily."""
    n = cal.n
    c = np.concatenate(fl["c"])
    d = np.concatenate(fl["d"])
    src = np.concatenate(fl["src"])
    post = np.concatenate(fl["post"])
    cmp_ = np.concatenate(fl["camp"])
    lv = np.concatenate(fl["leave"])
    # follow time: after the post went out, on the same day; organic follows at any hour
    day_end = (d + 1) * DAY - 1
    t_post = np.where(post >= 0, t_pub[np.maximum(post, 0)], d * DAY)
    t_f = np.where(post >= 0, t_post + (rng.random(len(d)) ** 2 * (day_end - t_post)).astype(np.int64), d * DAY + _hours(rng, len(d)))
    o = np.lexsort((rng.random(len(d)), c, t_f))
    c, d, src, post, cmp_, lv, t_f = (a[o] for a in (c, d, src, post, cmp_, lv, t_f))
    prefix = np.array(["WX", "WB", "ZH", "TT", "DY", "XHS"], dtype=object)
    num = np.zeros(len(c), dtype=np.int64)
    for k in range(NCH):
        sel = c == k
        num[sel] = start_total[k] + 1 + np.arange(sel.sum())
    fid = np.array([f"{prefix[k]}{x:07d}" for k, x in zip(c, num)], dtype=object)
    left = lv < n
    t_u = lv[left] * DAY + _hours(rng, left.sum())
    # followers carried in from before the year who unfollow
    bc, bd = np.nonzero(base_unf.T)  # channel, day
    cnt = base_unf.T[bc, bd]
    bc, bd = np.repeat(bc, cnt), np.repeat(bd, cnt)
    bnum = np.zeros(len(bc), dtype=np.int64)
    for k in range(NCH):
        sel = bc == k
        bnum[sel] = rng.choice(start_total[k], size=sel.sum(), replace=False) + 1
    bid = np.array([f"{prefix[k]}{x:07d}" for k, x in zip(bc, bnum)], dtype=object)
    src_names = np.array(FOLLOW_SOURCES, dtype=object)
    camp_ids = np.array([f"C{k + 1:02d}" for k in range(max(cmp_.max() + 1, 1))] + [None], dtype=object)
    pid = np.where(post >= 0, post_ids[np.maximum(post, 0)], None)
    cid = camp_ids[np.where(cmp_ >= 0, cmp_, len(camp_ids) - 1)]
    frame = pd.DataFrame({
        "follower_id": np.concatenate([fid, fid[left], bid]),
        "channel": np.array(CHANNELS, dtype=object)[np.concatenate([c, c[left], bc])],
        "event_time": cal.days[0] + pd.to_timedelta(np.concatenate([t_f, t_u, bd * DAY + _hours(rng, len(bd))]), unit="s"),
        "event": np.array(["follow"] * len(c) + ["unfollow"] * (left.sum() + len(bc)), dtype=object),
        "source": np.concatenate([src_names[src], src_names[src[left]], np.full(len(bc), None, dtype=object)]),
        "post_id": np.concatenate([pid, pid[left], np.full(len(bc), None, dtype=object)]),
        "campaign_id": np.concatenate([cid, cid[left], np.full(len(bc), None, dtype=object)]),
    })
    return frame.sort_values(["event_time", "follower_id", "event"], kind="stable").reset_index(drop=True)
