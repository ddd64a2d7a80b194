import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

# nbgrader and JupyterLab shell out to tools in the environment's bin/ (alembic, jupyter).
os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_or_skip(ok: bool, what: str, how: str):
    """Skip on a learner's machine, fail in CI, when an optional system tool is missing."""
    import pytest

    if ok:
        return
    message = f"{what} 未安装，跳过此测试。启用方法：{how}"
    if IN_CI:
        pytest.fail(f"CI=true but {what} is missing: {how}")
    pytest.skip(message)
