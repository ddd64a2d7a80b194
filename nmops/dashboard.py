"""Weekly KPI dashboard (每周 KPI 看板) of a junior operator: one long table, an explorer, a static chart.

:func:`weekly_kpis` builds one row per week, channel and KPI from the posts,
the daily follower figures and the product visits; :func:`explorer` is an
ipywidgets explorer (channel, week, KPI) drawing plotly charts;
:func:`static_dashboard` draws the same view with matplotlib, so a page read
without a kernel still shows the result.
"""

from __future__ import annotations

import pandas as pd

from nmops._validation import NmopsInputError, require_columns

__all__ = ["CHANNEL_LABELS", "KPI_LABELS", "explorer", "plotly_figure", "static_dashboard", "weekly_kpis"]

#: KPI code -> Chinese label, in the order the dashboard shows them.
KPI_LABELS = {
    "posts": "发布篇数",
    "reads": "阅读（90 天内）",
    "new_followers": "新增关注",
    "net_followers": "净增关注",
    "visits": "商城访问（带 UTM）",
}

#: Channel code -> Chinese name.
CHANNEL_LABELS = {
    "wechat": "微信", "weibo": "微博", "zhihu": "知乎", "toutiao": "今日头条", "douyin": "抖音", "xiaohongshu": "小红书",
}


def _monday(times: pd.Series) -> pd.Series:
    return times.dt.to_period("W-SUN").dt.start_time


def weekly_kpis(posts: pd.DataFrame, followers_daily: pd.DataFrame, visits: pd.DataFrame) -> pd.DataFrame:
    """Weekly KPIs per channel (每周分渠道 KPI), long format.

    posts_w = posts published in the week;  reads_w = Σ reads of those posts;
    new/net_followers_w = Σ daily new / (new − unfollows);  visits_w = visits whose utm_source is the channel

    Weeks run Monday to Sunday and are labelled by their Monday. Reads are the
    posts' 90-day reads, counted in the week of publication (not comparable
    across platforms: see the lesson). Visits without UTM (organic) are left out.

    Returns
    -------
    DataFrame
        Columns ``week`` (Monday), ``channel``, ``kpi`` (a key of
        :data:`KPI_LABELS`), ``value`` (int); every week × channel × KPI.
    """
    require_columns(posts, ["channel", "published_at", "reads"], what="posts 内容表")
    require_columns(followers_daily, ["date", "channel", "new_followers", "unfollows"], what="followers_daily 每日粉丝表")
    require_columns(visits, ["visited_at", "utm_source"], what="visits 商城访问表")
    p = posts.assign(week=_monday(posts["published_at"]), channel=posts["channel"].astype(str))
    f = followers_daily.assign(
        week=_monday(followers_daily["date"]), channel=followers_daily["channel"].astype(str),
        net_followers=followers_daily["new_followers"] - followers_daily["unfollows"],
    )
    v = visits[visits["utm_source"].notna()]
    v = v.assign(week=_monday(v["visited_at"]), channel=v["utm_source"].astype(str))
    parts = {
        "posts": p.groupby(["week", "channel"]).size(),
        "reads": p.groupby(["week", "channel"])["reads"].sum(),
        "new_followers": f.groupby(["week", "channel"])["new_followers"].sum(),
        "net_followers": f.groupby(["week", "channel"])["net_followers"].sum(),
        "visits": v.groupby(["week", "channel"]).size(),
    }
    wide = pd.DataFrame(parts)
    weeks = sorted(set(wide.index.get_level_values("week")))
    channels = [c for c in CHANNEL_LABELS if c in set(wide.index.get_level_values("channel"))]
    full = pd.MultiIndex.from_product([weeks, channels], names=["week", "channel"])
    wide = wide.reindex(full).fillna(0).astype("int64")
    long = wide.rename_axis(columns="kpi").stack().rename("value").reset_index()
    return long[["week", "channel", "kpi", "value"]]


def _check(table: pd.DataFrame) -> None:
    require_columns(table, ["week", "channel", "kpi", "value"], what="weekly_kpis 的结果")
    unknown = sorted(set(table["kpi"]) - set(KPI_LABELS))
    if unknown:
        raise NmopsInputError(f"不认识的 KPI：{unknown}；可用的有 {list(KPI_LABELS)}。 / unknown KPI {unknown}.")


def _series(table: pd.DataFrame, channels, kpi: str) -> pd.DataFrame:
    rows = table[(table["kpi"] == kpi) & table["channel"].isin(channels)]
    return rows.pivot(index="week", columns="channel", values="value")[list(channels)]


def plotly_figure(table: pd.DataFrame, channels, kpi: str, week):
    """Plotly chart: the KPI per week for the channels, the chosen week marked."""
    import plotly.graph_objects as go

    _check(table)
    wide = _series(table, channels, kpi)
    fig = go.Figure()
    for channel in wide.columns:
        fig.add_scatter(x=wide.index, y=wide[channel], mode="lines+markers", name=CHANNEL_LABELS.get(channel, channel))
    fig.add_vline(x=pd.Timestamp(week), line_dash="dash", line_color="grey")
    fig.update_layout(title=f"{KPI_LABELS[kpi]}（每周，周一为标签）", height=380, margin={"l": 40, "r": 20, "t": 50, "b": 40},
                      xaxis_title="周", yaxis_title=KPI_LABELS[kpi])
    return fig


def explorer(table: pd.DataFrame):
    """ipywidgets explorer (看板浏览器): pick channels, a week and a KPI; a plotly chart and the week's table follow."""
    import ipywidgets as widgets
    from IPython.display import display

    _check(table)
    channels = [c for c in CHANNEL_LABELS if c in set(table["channel"])]
    weeks = sorted(table["week"].unique())
    pick_channels = widgets.SelectMultiple(
        options=[(CHANNEL_LABELS[c], c) for c in channels], value=tuple(channels[:2]), description="渠道", rows=6)
    pick_kpi = widgets.Dropdown(options=[(label, k) for k, label in KPI_LABELS.items()], value="net_followers", description="KPI")
    pick_week = widgets.SelectionSlider(
        options=[(pd.Timestamp(w).strftime("%m-%d"), pd.Timestamp(w)) for w in weeks], value=pd.Timestamp(weeks[-1]),
        description="周", continuous_update=False, layout=widgets.Layout(width="600px"))
    out = widgets.Output()

    def redraw(*_):
        with out:
            out.clear_output(wait=True)
            chosen = list(pick_channels.value) or channels
            plotly_figure(table, chosen, pick_kpi.value, pick_week.value).show()
            week_rows = table[(table["week"] == pick_week.value) & table["channel"].isin(chosen)]
            display(week_rows.pivot(index="kpi", columns="channel", values="value").reindex(list(KPI_LABELS)))

    for control in (pick_channels, pick_kpi, pick_week):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([pick_channels, widgets.VBox([pick_kpi, pick_week])]), out])


def static_dashboard(table: pd.DataFrame, channels, kpi: str, week):
    """The explorer's view as a matplotlib figure (readable without a kernel): KPI per week, and the week's bars."""
    import matplotlib.pyplot as plt

    _check(table)
    wide = _series(table, channels, kpi)
    week = pd.Timestamp(week)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), gridspec_kw={"width_ratios": [3, 1]})
    for channel in wide.columns:
        left.plot(wide.index, wide[channel], marker=".", label=CHANNEL_LABELS.get(channel, channel))
    left.axvline(week, color="grey", linestyle="--")
    left.set_title(f"{KPI_LABELS[kpi]}（每周）")
    left.legend()
    values = wide.loc[week]
    right.bar([CHANNEL_LABELS.get(c, c) for c in values.index], values.to_numpy(), color="#c0504d")
    right.set_title(f"{week:%m-%d} 这一周")
    fig.tight_layout()
    return fig
