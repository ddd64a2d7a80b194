# nmops course: `make lab` opens the course, `make test` runs every check.
# Both create .venv with the pinned versions (requirements/constraints.txt) on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.nmops-installed
PYTEST_ARGS ?=

.PHONY: lab test exercises lock bench clean help

help:
	@echo "make lab        安装（首次），把课程和作业复制到 work/（已有的不覆盖），打开中文界面的 JupyterLab"
	@echo "make test       安装（首次）并运行全部测试"
	@echo "make exercises  由 solutions/ 重新生成 exercises/（讲师/维护者；不会覆盖被改动过的文件）"
	@echo "make lock       重新解析并锁定依赖版本（维护者，需要联网）"
	@echo "make bench      运行性能基准脚本（打印耗时与内存）"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "需要 Python 3.10 或更高版本，当前是 " + sys.version.split()[0] + "。请安装新版 Python 后重试，或用 PYTHON=python3.12 make …指定。")'
	$(PYTHON) -m venv $(VENV) || { echo "创建虚拟环境失败。Debian/Ubuntu 上请先运行：sudo apt-get install python3-venv"; exit 1; }

$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	@echo ">> 安装课程依赖（首次约 2–3 分钟）…"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off \
		-c requirements/constraints.txt -e ".[test,hub]"
	$(BIN)/nmops-setup-lab
	@touch $(STAMP)

# The learner works in work/ (git-ignored): nmops-start copies every lesson and
# exercise not copied yet, never overwriting a copy the learner already has.
# Kernels talk to the server over local sockets (ipc), not unencrypted TCP:
# no ipykernel warning in the terminal, nothing listening on the network.
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/python -m nmops.start --quiet
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)/work" \
		--LabApp.default_url=/lab/tree/lessons/00-orientation.ipynb \
		--KernelManager.transport=ipc \
		$(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,) $(LAB_ARGS)

test: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

exercises: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python tools/make_exercises.py

lock: $(STAMP)
	$(BIN)/python tools/lock.py

bench: $(STAMP)
	for script in benchmarks/*.py; do echo ">> $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache nmops.egg-info
