"""`make lab` serves JupyterLab in Simplified Chinese, from this environment's settings only."""

import json
import sys

import pytest
from conftest import require_or_skip

import labserver
from nmops import labsetup


def test_overrides_merge_and_keep_existing_keys(tmp_path):
    path = labsetup.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}}))
    labsetup.write_lab_overrides(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["@jupyterlab/translation-extension:plugin"] == {"locale": "zh_CN"}
    assert data["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert data["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_bad_overrides_file_is_left_untouched(tmp_path):
    path = labsetup.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(SystemExit, match="不是合法的 JSON"):
        labsetup.write_lab_overrides(tmp_path)
    assert path.read_text() == "{not json"


def test_overrides_live_in_the_environment_not_home():
    assert labsetup.overrides_path().is_relative_to(sys.prefix)


@pytest.fixture(scope="module")
def lab():
    labsetup.write_lab_overrides()  # what `make lab` does before starting
    with labserver.lab_server() as base:
        yield base


def test_settings_api_reports_zh_cn(lab):
    assert labserver.lab_locale(lab) == "zh_CN"
    languages = labserver.get_json(lab, "/lab/api/translations/")["data"]
    assert "zh_CN" in languages, "jupyterlab-language-pack-zh-CN is not installed"


def test_browser_shows_chinese_menus(lab, tmp_path):
    chromium = labserver.find_chromium()
    require_or_skip(chromium is not None, "Chromium",
                    "Debian/Ubuntu 上运行 sudo apt-get install chromium fonts-noto-cjk")
    dom = labserver.browse(lab, chromium, screenshot=tmp_path / "lab.png")
    assert (tmp_path / "lab.png").stat().st_size > 10_000
    assert "文件" in dom and "编辑" in dom, "JupyterLab menus are not in Chinese"
    assert ">File<" not in dom
