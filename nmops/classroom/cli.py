"""``nmops-class``: set up and run a class on one Linux server (班级服务器).

::

    sudo .venv/bin/nmops-class setup --roster roster.csv --instructor teacher1
    sudo /opt/nmops-class/env/bin/jupyterhub -f /opt/nmops-class/jupyterhub_config.py

``setup`` can be run again with a longer roster: existing accounts, homes,
files and grades are kept. The guide: docs/instructor-hub.md.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from pathlib import Path

from nmops.classroom.provision import ClassSetupError, setup
from nmops.classroom.roster import RosterError, read_roster, user_id_problem
from nmops.classroom.settings import ClassSettings

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[2]


def _settings(args: argparse.Namespace) -> ClassSettings:
    existing = Path(args.prefix) / "class.json"
    settings = ClassSettings.load(existing) if existing.exists() else ClassSettings(prefix=args.prefix)
    for field in fields(ClassSettings):
        value = getattr(args, field.name, None)
        if value is not None and field.name not in ("instructors", "learners"):
            setattr(settings, field.name, value)
    settings.instructors = sorted(set(settings.instructors) | set(args.instructor or []))
    return settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="nmops-class", description="在一台 Linux 服务器上搭建 nmops 班级（JupyterHub）。")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("setup", help="搭建或更新班级（可重复运行；已有的账户、文件和成绩不变）")
    up.add_argument("--roster", type=Path, required=True, help="学员名单 CSV（列：id,name 或 学号,姓名）")
    up.add_argument("--instructor", action="append", help="讲师的用户名（可写多次）")
    up.add_argument("--prefix", default=ClassSettings.prefix, help="班级文件夹（默认 %(default)s）")
    up.add_argument("--exchange", help=f"nbgrader 交换目录（默认 {ClassSettings.exchange}）")
    up.add_argument("--home-base", dest="home_base", help=f"家目录所在文件夹（默认 {ClassSettings.home_base}）")
    up.add_argument("--port", type=int, help=f"学员访问的端口（默认 {ClassSettings.port}）")
    up.add_argument("--spawner", choices=["local", "systemd"],
                    help="local：不限制资源；systemd：按 --mem-limit/--cpu-limit 限制每个学员（需要 systemd）")
    up.add_argument("--mem-limit", dest="mem_limit", help=f"每个学员的内存上限（默认 {ClassSettings.mem_limit}）")
    up.add_argument("--cpu-limit", dest="cpu_limit", type=float, help=f"每个学员的 CPU 核数上限（默认 {ClassSettings.cpu_limit}）")
    up.add_argument("--repo", type=Path, default=REPO, help="课程仓库（默认：本命令所在的仓库）")
    args = parser.parse_args(argv)

    if not (args.repo / "deploy" / "hub" / "jupyterhub_config.py").is_file():
        parser.error(f"{args.repo} 不是课程仓库（没有 deploy/hub/）。请在仓库里用 .venv/bin/nmops-class 运行，或用 --repo 指定。")
    try:
        roster = [(learner.user_id, learner.name) for learner in read_roster(args.roster)]
        settings = _settings(args)
        if not settings.instructors:
            parser.error("至少需要一位讲师：--instructor <用户名>")
        for instructor in settings.instructors:
            if problem := user_id_problem(instructor):
                parser.error(f"讲师用户名 {instructor!r} {problem}")
        settings.learners = sorted(set(settings.learners) | {user for user, _ in roster})
        passwords = setup(settings, args.repo.resolve(), roster)
    except (RosterError, ClassSetupError) as err:
        sys.exit(f"错误：{err}")
    print(f"班级已就绪：{settings.path}\n"
          f"新账户的初始密码在 {passwords}（仅 root 可读），请分发后提醒学员在终端里用 passwd 修改。\n"
          f"启动：sudo {settings.env}/bin/jupyterhub -f {Path(settings.prefix) / 'jupyterhub_config.py'}\n"
          f"（长期运行请用 deploy/hub/nmops-class.service，见 docs/instructor-hub.md）")


if __name__ == "__main__":
    main()
