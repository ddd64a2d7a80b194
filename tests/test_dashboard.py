"""The weekly KPI dashboard (nmops.dashboard): the long table adds up, the explorer redraws, the static view draws."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

import nmops.datasets as ds
from nmops import dashboard as dash
from nmops._validation import NmopsInputError
from nmops.plotting import use_chinese_font


@pytest.fixture(scope="module")
def kpis():
    use_chinese_font()
    return dash.weekly_kpis(ds.load_posts(), ds.load_followers_daily(), ds.load_visits())


def test_weekly_kpis_add_up_to_the_sources(kpis):
    posts, daily, visits = ds.load_posts(), ds.load_followers_daily(), ds.load_visits()
    total = kpis.groupby("kpi")["value"].sum()
    assert total["posts"] == len(posts)
    assert total["reads"] == posts["reads"].sum()
    assert total["net_followers"] == (daily["new_followers"] - daily["unfollows"]).sum()
    assert total["visits"] == visits["utm_source"].notna().sum()
    per_cell = kpis.groupby(["week", "channel", "kpi"]).size()
    assert (per_cell == 1).all() and len(per_cell) == kpis["week"].nunique() * kpis["channel"].nunique() * len(dash.KPI_LABELS)


def test_explorer_redraws_on_every_control(kpis):
    box = dash.explorer(kpis)
    channels, (kpi, week) = box.children[0].children[0], box.children[0].children[1].children
    kpi.value = "visits"
    week.value = week.options[10][1]
    channels.value = ("zhihu",)
    assert box.children[1] is not None


def test_plotly_and_static_views_show_the_chosen_channels(kpis):
    week = pd.Timestamp("2025-09-15")
    fig = dash.plotly_figure(kpis, ["wechat", "zhihu"], "visits", week)
    assert [t.name for t in fig.data] == ["微信", "知乎"]
    static = dash.static_dashboard(kpis, ["wechat", "zhihu"], "visits", week)
    bars = static.axes[1].patches
    expected = kpis[(kpis["week"] == week) & (kpis["kpi"] == "visits")].set_index("channel")["value"]
    assert [b.get_height() for b in bars] == [expected["wechat"], expected["zhihu"]]


def test_unknown_kpi_is_refused_in_chinese(kpis):
    with pytest.raises(NmopsInputError, match="不认识的 KPI"):
        dash.plotly_figure(kpis.assign(kpi="ctr"), ["wechat"], "ctr", "2025-09-15")
