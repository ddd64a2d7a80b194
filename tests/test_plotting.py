"""Chinese labels in matplotlib render without missing glyphs, even with no CJK font installed."""

import subprocess
import sys
import textwrap

import pytest

# Runs in a fresh interpreter: hides every font that is not matplotlib's own
# (so the machine's CJK fonts, if any, cannot help), then draws Chinese labels
# and reports the "Glyph ... missing" warnings.
SCRIPT = textwrap.dedent(
    """
    import sys, warnings
    import matplotlib
    matplotlib.use("Agg")
    from pathlib import Path
    from matplotlib import font_manager
    import matplotlib.pyplot as plt

    own = Path(matplotlib.get_data_path()).resolve()
    fm = font_manager.fontManager
    fm.ttflist = [f for f in fm.ttflist if Path(f.fname).resolve().is_relative_to(own)]
    fm._findfont_cached.cache_clear()
    font_manager._get_font.cache_clear()
    assert not any("CJK" in f.name or "SC" in f.name for f in fm.ttflist)

    setup = sys.argv[1] == "setup"
    if setup:
        from nmops.plotting import use_chinese_font
        print("FAMILY", use_chinese_font())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.bar(["微信公众号", "微博", "知乎"], [3, -1, 2])
        ax.set_title("各渠道阅读率（%）：知乎转化最好")
        ax.set_xlabel("渠道 channel")
        fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    print("MISSING", len(missing))
    for m in missing[:3]:
        print(m)
    """
)


def _draw(mode):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_without_setup_chinese_glyphs_are_missing():
    """Control: with the system fonts hidden, the check really sees tofu."""
    out = _draw("none")
    assert "MISSING 0" not in out, out
    assert "Glyph" in out


def test_use_chinese_font_renders_every_glyph_with_no_system_cjk_font():
    out = _draw("setup")
    assert "FAMILY Noto Sans SC nmops" in out, out
    assert "MISSING 0" in out, out


def test_shipped_font_covers_course_text():
    """Every Chinese character in the lessons and assignments is in the shipped subset."""
    from importlib import resources
    from pathlib import Path

    from fontTools.ttLib import TTFont

    root = Path(__file__).resolve().parents[1]
    with resources.as_file(resources.files("nmops.fonts") / "NotoSansSC-nmops.otf") as p:
        cmap = TTFont(p)["cmap"].getBestCmap()
    texts = [p.read_text(encoding="utf-8") for d in ("course", "solutions") for p in (root / d).rglob("*.ipynb")]
    if not texts:
        pytest.skip("no notebooks yet")
    cjk = {ch for t in texts for ch in t if "\u4e00" <= ch <= "\u9fff"}
    uncovered = sorted(ch for ch in cjk if ord(ch) not in cmap)
    assert not uncovered, f"add these to tools/build_font.py and rebuild: {''.join(uncovered)}"


def test_prefers_a_system_font_when_present(monkeypatch):
    from matplotlib import font_manager

    from nmops import plotting

    fake = font_manager.FontEntry(fname="/nonexistent/msyh.ttc", name="Microsoft YaHei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, fake])
    assert plotting.use_chinese_font() == "Microsoft YaHei"
    assert plotting.use_chinese_font(prefer_system=False) == plotting.SHIPPED_FONT_FAMILY
