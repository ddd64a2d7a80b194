"""The docs cover what the package exposes."""

from pathlib import Path

import nmops.exports
import nmops.metrics

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_kpi_function_is_in_the_reference_page():
    page = (ROOT / "docs" / "kpi-reference.md").read_text(encoding="utf-8")
    names = [n for n in nmops.metrics.__all__ + nmops.exports.__all__
             if callable(getattr(nmops.metrics, n, None) or getattr(nmops.exports, n, None))
             and not isinstance(getattr(nmops.metrics, n, None) or getattr(nmops.exports, n), type)]
    missing = [n for n in names if f"{n}(" not in page and f"`{n}`" not in page]
    assert not missing, f"add to docs/kpi-reference.md: {missing}"


def test_every_level_has_its_functions():
    assert set(nmops.metrics.BY_LEVEL) == {"小白", "初级", "中级", "高级"}
    assert all(nmops.metrics.BY_LEVEL.values())
