"""Tests of the junior (初级) traffic KPIs in nmops.metrics.traffic.

UTM parsing is checked on hand-written URLs and by a hypothesis round trip
(values encoded with urllib's urlencode must come back unchanged); traffic
counts are checked by hand and against DuckDB SQL.
"""

import math
from urllib.parse import quote, urlencode

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmops._validation import NmopsInputError
from nmops.metrics.traffic import UTM_FIELDS, click_through_rate, parse_utm, traffic_summary

FAST = settings(max_examples=80, deadline=None)


# ----------------------------------------------------------------------------- parse_utm


def test_parse_utm_by_hand():
    urls = pd.Series(
        [
            "https://shop.example.com/item?id=3&utm_source=WeChat&utm_medium=social"
            "&utm_campaign=%E5%8F%8C11&utm_term=face+cream&utm_content=banner%201",
            "https://shop.example.com/item",  # no UTM
            None,  # missing URL
            np.nan,
            "https://x.cn/?utm_source=wechat&utm_source=weibo&utm_medium=",  # repeated, empty
            "https://x.cn/?UTM_SOURCE=weibo&Utm_Medium=cpc",  # names are exact
            "not a url at all",
            "https://m.x.cn/#/landing?utm_source=douyin",  # query inside the fragment
        ],
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )
    out = parse_utm(urls)
    assert list(out.columns) == list(UTM_FIELDS)
    assert list(out.index) == [10, 11, 12, 13, 14, 15, 16, 17]
    first = out.loc[10]
    assert first["utm_source"] == "WeChat"  # case kept
    assert first["utm_campaign"] == "双11"  # percent-decoded UTF-8
    assert first["utm_term"] == "face cream"  # '+' is a space
    assert first["utm_content"] == "banner 1"
    assert out.loc[[11, 12, 13, 15, 16, 17]].isna().all().all()
    assert out.loc[14, "utm_source"] == "wechat"  # first value wins
    assert pd.isna(out.loc[14, "utm_medium"])  # empty value is missing
    with_fragment = parse_utm(urls, include_fragment=True)
    assert with_fragment.loc[17, "utm_source"] == "douyin"


def test_parse_utm_accepts_one_string_and_lists():
    out = parse_utm("https://a.cn/?utm_source=zhihu")
    assert out.shape == (1, 5) and out.loc[0, "utm_source"] == "zhihu"
    out = parse_utm(["https://a.cn/?utm_medium=cpc", None])
    assert out["utm_medium"].iloc[0] == "cpc" and pd.isna(out["utm_medium"].iloc[1])
    assert parse_utm([]).shape == (0, 5)


utm_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12
)


@FAST
@given(
    values=st.fixed_dictionaries({}, optional={f: utm_values for f in UTM_FIELDS}),
    extra=st.dictionaries(st.sampled_from(["id", "from", "utm_id"]), utm_values, max_size=2),
)
def test_parse_utm_round_trips_urlencoded_values(values, extra):
    query = urlencode({**extra, **values}, quote_via=quote)
    out = parse_utm([f"https://shop.example.com/p?{query}"])
    for field in UTM_FIELDS:
        got = out.loc[0, field]
        if field in values:
            assert got == values[field]
        else:
            assert pd.isna(got)


def test_parse_utm_refuses_bad_input():
    with pytest.raises(NmopsInputError, match="第 1 个网址不是文本.*int"):
        parse_utm(["https://a.cn/?utm_source=x", 12345])
    with pytest.raises(NmopsInputError, match="整张表"):
        parse_utm(pd.DataFrame({"url": ["https://a.cn"]}))
    with pytest.raises(NmopsInputError, match="列表或 Series"):
        parse_utm(5)


# ----------------------------------------------------------------------------- traffic_summary


def _visits():
    return pd.DataFrame(
        {
            "visit_id": [1, 2, 3, 4, 5, 6, 6],  # visit 6 logged twice
            "user_id": ["a", "a", "b", None, "c", "a", "a"],
            "utm_source": ["weibo", "weibo", "weibo", "weibo", None, "wechat", "wechat"],
            "utm_medium": ["social", "social", "cpc", "social", None, "social", "social"],
            "utm_campaign": ["双11", "双11", "双11", None, None, "双11", "双11"],
        }
    )


def test_traffic_summary_by_hand():
    out = traffic_summary(_visits())
    # (weibo, social): visits 1 2 4 -> 3; users a (+ anonymous) -> 1
    assert out.loc[("weibo", "social"), "visits"] == 3
    assert out.loc[("weibo", "social"), "visitors"] == 1
    assert out.loc[("weibo", "cpc")].tolist() == [1, 1, 1.0]
    # wechat: visit 6 counted once
    assert out.loc[("wechat", "social"), "visits"] == 1
    assert out.loc[("(none)", "(none)"), "visits"] == 1
    assert out["visits"].sum() == 6  # every distinct visit, none lost
    by_campaign = traffic_summary(_visits(), "utm_campaign")
    assert by_campaign.loc["双11", "visits"] == 4 and by_campaign.loc["双11", "visitors"] == 2
    assert by_campaign.loc["(none)", "visits"] == 2
    dropped = traffic_summary(_visits(), "utm_campaign", missing_label=None)
    assert list(dropped.index) == ["双11"]
    rows = traffic_summary(_visits(), "utm_source", visit=None)
    assert rows.loc["wechat", "visits"] == 2  # counting rows, the duplicate counts twice


def test_traffic_summary_matches_duckdb():
    duckdb = pytest.importorskip("duckdb")
    visits = _visits()
    ref = duckdb.sql(
        """
        SELECT coalesce(utm_source, '(none)') AS s, coalesce(utm_medium, '(none)') AS m,
               count(DISTINCT visit_id) AS visits, count(DISTINCT user_id) AS visitors
        FROM visits GROUP BY ALL ORDER BY s, m
        """
    ).df()
    out = traffic_summary(visits).reset_index()
    merged = out.merge(ref, left_on=["utm_source", "utm_medium"], right_on=["s", "m"], how="outer")
    assert len(merged) == len(ref) == len(out)
    assert (merged["visits_x"] == merged["visits_y"]).all()
    assert (merged["visitors_x"] == merged["visitors_y"]).all()


def test_traffic_summary_refuses_bad_input():
    with pytest.raises(NmopsInputError, match="utm_term"):
        traffic_summary(_visits(), "utm_term")
    with pytest.raises(NmopsInputError, match="user_id"):
        traffic_summary(_visits().drop(columns="user_id"))
    with pytest.raises(NmopsInputError, match="by"):
        traffic_summary(_visits(), by=3)
    with pytest.raises(NmopsInputError, match="DataFrame"):
        traffic_summary({"utm_source": ["a"]})


# ----------------------------------------------------------------------------- CTR


def test_click_through_rate_by_hand():
    out = click_through_rate(pd.Series([30, 0, 5]), pd.Series([1000, 0, 0]))
    assert out.iloc[0] == pytest.approx(0.03)
    assert out.iloc[1:].isna().all()  # no impressions -> NaN, never inf
    assert out.name == "ctr"
    assert click_through_rate(12, 400) == pytest.approx(0.03)
    assert math.isnan(click_through_rate(3, 0))


@FAST
@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 10**7), st.integers(0, 10**7)).map(sorted), min_size=1, max_size=30
    )
)
def test_click_through_rate_property_bounded(pairs):
    clicks = pd.Series([p[0] for p in pairs])
    impressions = pd.Series([p[1] for p in pairs])
    ctr = click_through_rate(clicks, impressions)
    assert not np.isinf(ctr).any()
    ok = ctr[impressions > 0]
    assert ((ok >= 0) & (ok <= 1)).all()
    assert ctr[impressions == 0].isna().all()


def test_click_through_rate_refuses_bad_input():
    with pytest.raises(NmopsInputError, match="clicks 不能为负数"):
        click_through_rate(pd.Series([-1]), pd.Series([10]))
    with pytest.raises(NmopsInputError, match="impressions 应该是数字"):
        click_through_rate(pd.Series([1]), pd.Series(["1.2w"]))
    with pytest.raises(NmopsInputError, match="clicks 应该是数字"):
        click_through_rate(None, 10)


def test_build_utm_url_reads_back_with_parse_utm():
    from nmops.metrics import build_utm_url

    url = build_utm_url("https://shop.example/item/1?ref=a", source="zhihu", medium="social", campaign="中秋", content="P0042")
    assert url.startswith("https://shop.example/item/1?ref=a&utm_source=zhihu")
    back = parse_utm(url).iloc[0]
    assert (back["utm_source"], back["utm_medium"], back["utm_campaign"], back["utm_content"]) == ("zhihu", "social", "中秋", "P0042")
    assert pd.isna(back["utm_term"])


@pytest.mark.parametrize("kwargs", [
    {"base": "shop.example/item", "source": "zhihu", "medium": "social", "campaign": "c"},
    {"base": "https://shop.example/?utm_source=x", "source": "zhihu", "medium": "social", "campaign": "c"},
    {"base": "https://shop.example/", "source": "", "medium": "social", "campaign": "c"},
])
def test_build_utm_url_refuses_bad_input(kwargs):
    from nmops._validation import NmopsInputError
    from nmops.metrics import build_utm_url

    with pytest.raises(NmopsInputError):
        build_utm_url(**kwargs)
