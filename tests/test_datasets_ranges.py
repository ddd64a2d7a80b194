"""Platform magnitudes stay inside the ranges the data is tuned to (平台指标区间).

Each figure is measured from the shipped tables by
``nmops.datasets.effects.platform_figures``; the ranges and their public
sources are in ``TUNED_RANGES`` and docs/instructor-data.md §3.
"""

from __future__ import annotations

import pytest

from nmops.datasets.effects import TUNED_RANGES, platform_figures

SOURCES = {"weixiaobao2019", "weibo_definition", "estimate"}


@pytest.fixture(scope="module")
def figures():
    return platform_figures()


@pytest.mark.parametrize("name", sorted(TUNED_RANGES))
def test_figure_is_inside_its_tuned_range(figures, name):
    low, high, source = TUNED_RANGES[name]
    assert source in SOURCES
    assert low <= figures[name] <= high, (name, figures[name], (low, high))


def test_every_tuned_figure_is_measured(figures):
    assert set(figures) == set(TUNED_RANGES)


def test_v1_magnitudes_would_fail_the_ranges():
    """Control: the figures found in data v1 lie outside the v2 ranges."""
    v1 = {"wechat_read_rate_lead": 0.095, "douyin_median_plays": 27_000, "zhihu_follows_per_1000_reads": 11.7,
          "weibo_reads_per_impression": 0.55, "weibo_giveaway_reposts_per_entrant": 0.54}
    for name, value in v1.items():
        low, high, _ = TUNED_RANGES[name]
        assert not low <= value <= high, name


def test_instructor_docs_cite_every_range():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "instructor-data.md").read_text(encoding="utf-8")
    for name in TUNED_RANGES:
        assert f"`{name}`" in text, name
