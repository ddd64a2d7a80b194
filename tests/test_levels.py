"""nmops.levels (shown in the lesson) agrees with the reference answers of the orientation assignment."""

import json
from pathlib import Path

import pytest

from nmops.levels import CHANNEL_NAMES, KPI_NAMES, LEVELS, get_level, levels_table

ROOT = Path(__file__).resolve().parents[1]


def solution_namespace():
    """Run the setup, data and answer cells of solutions/00-orientation (no tests) and return the variables."""
    nb = json.loads((ROOT / "solutions/00-orientation/00-orientation.ipynb").read_text(encoding="utf-8"))
    namespace = {}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "code" and not meta.get("grade"):
            exec("".join(cell["source"]), namespace)
    return namespace


def test_lesson_table_agrees_with_the_assignment_answers():
    answers = solution_namespace()
    assert answers["KPI_NAMES"] == list(KPI_NAMES.values())
    expected = {level.name: {KPI_NAMES[k] for k in level.kpis} for level in LEVELS}
    assert answers["level_kpis"] == expected


def test_named_channels_agree():
    answers = solution_namespace()
    # The exercise names channels as the package does (微信公众号, not 微信).
    assert set(answers["PLATFORMS"]) <= set(CHANNEL_NAMES.values())
    for name, channels in answers["named_channels"].items():
        level = get_level(name)
        assert channels == {CHANNEL_NAMES[c] for c in level.core_channels + level.trial_channels}
    free = {lv.name for lv in LEVELS if not lv.core_channels}
    assert answers["free_channel_levels"] == free


def test_levels_table_and_lookup():
    table = levels_table()
    assert list(table.index) == ["小白", "初级", "中级", "高级"]
    assert table.loc["小白", "绩效考核"] == "工作量、曝光量"
    assert get_level("senior") is get_level("高级")
    assert set(CHANNEL_NAMES) >= {"wechat", "weibo", "zhihu", "toutiao", "douyin", "xiaohongshu"}
    with pytest.raises(KeyError, match="没有这个级别"):
        get_level("专家")
