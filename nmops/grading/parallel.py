"""Grade a whole class on every core (全班并行评分): ``nmops-grade-class <assignment>``.

nbgrader grades submissions one after another (nbgrader issue #174). This
command, run in the course folder like ``nbgrader autograde``:

1. prepares each submitted notebook exactly as ``nbgrader autograde`` does
   (nbgrader's own sanitizing preprocessors: locked cells restored from the
   gradebook, missing test cells put back) and runs it through the same
   :class:`~nmops.grading.safe_execute.SandboxedExecute` with the same
   configuration and sandbox, in ``--jobs`` worker processes at once; each
   result is kept in a private folder, keyed by the notebook's exact cells;
2. runs the ordinary ``nbgrader autograde <assignment>`` once, in this
   process, pointed at those results: nbgrader writes the autograded
   notebooks and the gradebook from this one process, and any notebook whose
   result is missing (a worker failed) is executed there as usual.

Extra ``--Section.option=value`` arguments go to both steps, as with nbgrader::

    nmops-grade-class 00-orientation --jobs 2 --Execute.timeout=30
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

__all__ = ["main", "precompute"]


def _config(course: str, extra: list[str]):
    from traitlets.config.loader import KVArgParseConfigLoader, PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=course).load_config()
    config.merge(KVArgParseConfigLoader(extra).load_config())
    return config


def precompute(course: str, extra: list[str], notebook: str, student: str, assignment: str, cache: str) -> str:
    """Sanitize and execute one submitted notebook as autograde would; store its result in ``cache``."""
    import nbformat
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    from nmops.grading.safe_execute import SandboxedExecute

    config = _config(course, extra)
    config.SandboxedExecute.cache_dir = cache
    coursedir = CourseDirectory(config=config)
    nb = nbformat.read(notebook, as_version=4)
    resources = {"nbgrader": {"student": student, "assignment": assignment, "notebook": Path(notebook).stem,
                              "db_url": coursedir.db_url},
                 "metadata": {"path": str(Path(notebook).parent)}}
    for step in Autograde.class_traits()["sanitize_preprocessors"].default():
        nb, resources = step(config=config).preprocess(nb, resources)
    SandboxedExecute(config=config).preprocess(nb, resources)
    return student


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="并行自动评分全班作业（与 nbgrader autograde 结果相同，使用同样的沙箱）。")
    parser.add_argument("assignment", help="作业编号，例如 00-orientation")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="同时评几份（默认：CPU 核数）")
    args, extra = parser.parse_known_args(argv)
    course = os.getcwd()
    if not Path(course, "nbgrader_config.py").is_file():
        raise SystemExit("当前文件夹里没有 nbgrader_config.py：请在课程文件夹里运行（和 nbgrader autograde 一样）。")
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=_config(course, extra))
    pattern = coursedir.format_path(coursedir.submitted_directory, "*", args.assignment)
    notebooks = sorted(Path("/").glob(str(Path(pattern, "*.ipynb")).lstrip("/")))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nmops-grade-class-") as cache:
        with ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
            futures = {pool.submit(precompute, course, extra, str(nb), nb.parents[1].name, args.assignment, cache): nb
                       for nb in notebooks}
            for done, future in enumerate(as_completed(futures), start=1):
                nb = futures[future]
                try:
                    future.result()
                    status = "完成"
                except Exception as exc:  # the main pass below grades it again, sequentially
                    status = f"并行评分失败（{type(exc).__name__}），稍后按顺序重新评分"
                print(f"[{done}/{len(notebooks)}] {nb.parents[1].name} {nb.name}：{status}", file=sys.stderr, flush=True)
        print(f">> 已运行 {len(notebooks)} 份，用时 {time.perf_counter() - started:.1f} 秒；写入成绩库…",
              file=sys.stderr, flush=True)
        from nbgrader.apps.nbgraderapp import NbGraderApp

        NbGraderApp.launch_instance(argv=["autograde", args.assignment, f"--SandboxedExecute.cache_dir={cache}",
                                          *extra])


if __name__ == "__main__":
    main()
