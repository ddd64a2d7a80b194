"""A class on JupyterHub, end to end over HTTP (root only; CI runs it).

One run (module fixture) sets up a class with the code of ``nmops-class
setup`` -- three throw-away learners and one instructor with private homes, a
grader account, a temporary exchange, the hub on free loopback ports with
PAM login and configurable-http-proxy -- and plays the cycle the way people
do it in the browser:

the instructor logs in and releases ``00-orientation`` from the formgrader
service → each learner logs in, their server starts, they fetch the
assignment through their server, type answers through its contents API
(learner 1 the reference answers, learner 2 a known wrong answer for every
task, learner 3 nothing) and submit → the instructor collects, autogrades each
submission (sandboxed), generates and releases feedback from the formgrader →
each learner fetches their feedback through their server.

The tests then check the scores, the feedback pages (Chinese, no hidden test,
each learner only their own), who may open what (403 on another learner's
server and on the formgrader; no formgrader in a learner's server), what the
file permissions let a learner read, and that nothing is left running.

The class environment is built once per checkout under
``/var/tmp/nmops-class-test-<hash of the checkout's path>`` (about 2 minutes,
then reused while requirements/constraints.txt and pyproject.toml stay the
same; only the course package is reinstalled). Delete that folder to reclaim
its ~1 GB. Users are named ``nmh<6 hex>l1``…; if a run is killed before its
clean-up, ``getent passwd | grep ^nmh`` shows what to ``userdel -r``.
"""

from __future__ import annotations

import json
import os
import re
import pwd
import time
from pathlib import Path

import nbformat
import pytest

from assignment_helpers import (
    ROOT,
    answer_cell_before,
    fill_answers,
    html_text,
    load_wrong_answers,
    secret_and_public_lines,
)
from conftest import require_or_skip
from hub_class import Browser, HubClass, processes  # tools/ is on sys.path (conftest.py)
from nmops.classroom.provision import NODE_MAJOR, SYSTEM_PYTHON, node_problem
from nmops.grading.sandbox import bwrap_path

ASSIGNMENT = "00-orientation"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"


def _processes_of(uids: set[int]) -> list[str]:
    found = []
    for proc in processes(uids=uids):
        try:
            found.append(f"{proc.name}: {(proc / 'cmdline').read_bytes().replace(bytes(1), b' ')[:120]!r}")
        except OSError:
            pass
    return found


def _wrong_notebook(nb) -> None:
    """The first known wrong answer of every task, typed where a learner types it."""
    for test_id, planted in load_wrong_answers(ASSIGNMENT).items():
        if planted:
            nb.cells[answer_cell_before(nb, test_id)].source = planted[0][1]


@pytest.fixture(scope="module")
def hub_run(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.skip("a class on JupyterHub needs root (it creates Unix users); CI runs this test as root")
    require_or_skip(bwrap_path() is not None, "bubblewrap", "apt-get install bubblewrap")
    require_or_skip(node_problem() is None, f"Node.js >= {NODE_MAJOR} with npm", "install nodejs 20 (NodeSource) for the hub's proxy")
    require_or_skip(Path(SYSTEM_PYTHON).exists(), "the system Python", "apt-get install python3 python3-venv")
    work = tmp_path_factory.mktemp("hub")
    source_nb = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    result: dict = {"feedback": {}, "scores": {}, "timings": {}}
    with HubClass(3, work) as hub:
        uids = {pwd.getpwnam(u).pw_uid for u in hub.users()}
        result["timings"]["setup (env cached)"] = hub.setup_seconds
        started = time.perf_counter()
        teacher = Browser(hub, hub.instructor)
        assert teacher.login().status_code == 302
        fg = teacher.open_formgrader()
        released = teacher.post(fg, f"formgrader/api/assignment/{ASSIGNMENT}/release").json()
        assert released["success"], released

        browsers = {}
        for number, user in enumerate(hub.learners):
            browser = browsers[user] = Browser(hub, user)
            assert browser.login().status_code == 302, hub.log()[-2000:]
            prefix = browser.start_server()
            listed = browser.get(f"{prefix}assignments?course_id={hub.settings.course_id}").json()
            assert any(a["assignment_id"] == ASSIGNMENT for a in listed["value"]), listed
            fetched = browser.post(prefix, "assignments/fetch",
                                   data={"course_id": hub.settings.course_id, "assignment_id": ASSIGNMENT})
            assert fetched.status_code == 200, fetched.text[-2000:]
            model = browser.get(f"{prefix}api/contents/{NOTEBOOK}").json()
            nb = nbformat.from_dict(model["content"])
            if number == 0:
                fill_answers(nb, source_nb)
            elif number == 1:
                _wrong_notebook(nb)
            saved = browser.put(prefix, f"api/contents/{NOTEBOOK}",
                                json={"type": "notebook", "format": "json", "content": nb})
            assert saved.status_code == 200, saved.text[-2000:]
            submitted = browser.post(prefix, "assignments/submit",
                                     data={"course_id": hub.settings.course_id, "assignment_id": ASSIGNMENT})
            assert submitted.status_code == 200, submitted.text[-2000:]
            assert submitted.json().get("success", True), submitted.text[-2000:]
            assert any(a.get("status") == "submitted" for a in submitted.json()["value"]), submitted.text[-2000:]
        result["timings"]["log in, spawn, fetch, submit (3 learners)"] = time.perf_counter() - started

        t0 = time.perf_counter()
        collected = teacher.post(fg, f"formgrader/api/assignment/{ASSIGNMENT}/collect").json()
        assert collected["success"], collected
        for user in hub.learners:
            graded = teacher.post(fg, f"formgrader/api/submission/{ASSIGNMENT}/{user}/autograde").json()
            assert graded["success"], graded.get("log", graded)[-3000:]
        result["timings"]["collect + autograde (sandboxed)"] = time.perf_counter() - t0
        for row in teacher.get(f"{fg}formgrader/api/submissions/{ASSIGNMENT}").json():
            result["scores"][row["student"]] = (row["score"], row["max_score"])
        t0 = time.perf_counter()
        result["generate_feedback"] = teacher.post(fg, f"formgrader/api/assignment/{ASSIGNMENT}/generate_feedback").json()
        print(result["generate_feedback"].get("log", "")[-3000:])
        result["release_feedback"] = teacher.post(fg, f"formgrader/api/assignment/{ASSIGNMENT}/release_feedback").json()
        for user, browser in browsers.items():
            prefix = f"/user/{user}/"
            got = browser.post(prefix, "assignments/fetch_feedback",
                               data={"course_id": hub.settings.course_id, "assignment_id": ASSIGNMENT})
            assert got.status_code == 200, got.text[-2000:]
            home = Path(pwd.getpwnam(user).pw_dir)
            result["feedback"][user] = {str(p.relative_to(home)): p.read_text(encoding="utf-8")
                                        for p in (home / ASSIGNMENT / "feedback").rglob("*.html")}
        result["timings"]["feedback: generate, release, fetch"] = time.perf_counter() - t0
        result["timings"]["whole cycle over HTTP"] = time.perf_counter() - started
        print("\nclass cycle on JupyterHub:", json.dumps(result["timings"], ensure_ascii=False, indent=1))
        yield hub, browsers, teacher, result
    leftovers = _processes_of(uids)
    assert not leftovers, f"processes of the test's users still running: {leftovers}"
    assert not Path(hub.home_base).exists()


def _autograded_points() -> float:
    """Points of the test cells the autograder scores (written answers wait for the instructor)."""
    nb = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return sum(cell.metadata["nbgrader"]["points"] for cell in nb.cells
               if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")
               and cell.cell_type == "code")


def test_scores_of_the_three_learners(hub_run):
    hub, _, _, result = hub_run
    right, wrong, blank = hub.learners
    score, most = result["scores"][right]
    auto = _autograded_points()
    assert 0 < auto < most and score == auto, (result["scores"], auto)
    assert result["scores"][blank][0] == 0, result["scores"]
    assert result["scores"][wrong][0] < most, result["scores"]


def test_generate_feedback_from_the_formgrader_works(hub_run):
    _, _, _, result = hub_run
    assert result["generate_feedback"]["success"], result["generate_feedback"].get("log", "")[-3000:]
    assert result["release_feedback"]["success"], result["release_feedback"]


def test_each_learner_fetches_only_their_own_chinese_feedback(hub_run):
    hub, _, _, result = hub_run
    source_nb = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    secret, _ = secret_and_public_lines(source_nb)
    hidden = {line for line in secret if "assert" in line}
    for user in hub.learners:
        pages = result["feedback"][user]
        assert len(pages) == 1, (user, list(pages))
        page = next(iter(pages.values()))
        text = html_text(page)
        assert "评分" in text or "得分" in text, text[:500]
        score, _ = result["scores"][user]
        shown = re.search(r"自动评分：\s*([\d.]+)\s*/\s*([\d.]+)", text)
        assert shown, text[:800]
        assert (float(shown[1]), float(shown[2])) == (score, _autograded_points()), (user, score, shown[0])
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"hidden test lines in {user}'s feedback: {leaked[:3]}"
        others = [u for u in hub.learners if u != user]
        assert not any(other in page for other in others), f"{user}'s feedback names another learner"


def test_learners_cannot_open_each_others_servers_or_the_formgrader(hub_run):
    hub, browsers, teacher, _ = hub_run
    first, second, _ = hub.learners
    assert browsers[first].get(f"/user/{second}/api/contents").status_code == 403
    assert browsers[first].get("/services/nmops-formgrader/formgrader").status_code == 403
    # Instructors grade through the formgrader; they do not open a learner's server either,
    # but they see the hub's admin page (who is on, stop a server); learners do not.
    assert teacher.get(f"/user/{first}/api/contents").status_code == 403
    assert teacher.get("/hub/admin").status_code == 200
    assert browsers[first].get("/hub/admin").status_code == 403


def test_learners_have_no_formgrader_in_their_own_server(hub_run):
    hub, browsers, _, _ = hub_run
    user = hub.learners[0]
    assert browsers[user].get(f"/user/{user}/formgrader").status_code == 404
    home = Path(pwd.getpwnam(user).pw_dir)
    assert not (home / "gradebook.db").exists()
    lab = browsers[user].get(f"/user/{user}/lab").text
    assert "@jupyter/nbgrader:formgrader" in lab  # listed among the disabled extensions
    assert (home / "lessons" / "00-orientation.ipynb").stat().st_uid == pwd.getpwnam(user).pw_uid


def test_learners_cannot_read_other_homes_or_the_instructors_files(hub_run):
    hub, _, _, _ = hub_run
    first, second, _ = hub.learners
    course = hub.settings.course_dir
    for path in [hub.settings.grader_home, course / "gradebook.db", course / "solutions",
                 Path(hub.home_base) / second, Path(hub.home_base) / hub.instructor, hub.settings.state]:
        attempt = hub.run_as(first, "ls", "-la", str(path))
        assert attempt.returncode != 0 and "Permission denied" in attempt.stderr, (path, attempt)
    other_feedback = Path(hub.home_base) / second / ASSIGNMENT / "feedback"
    assert hub.run_as(first, "find", str(other_feedback)).returncode != 0
    for user in [*hub.learners, hub.instructor, hub.settings.grader_user]:
        assert (Path(hub.home_base) / user).stat().st_mode & 0o777 == 0o700
    # The class's environment and lessons are readable by everyone, the solutions are not in them.
    assert hub.run_as(first, str(hub.settings.env / "bin" / "python"), "-c", "import nmops").returncode == 0
    assert not list(Path(hub.settings.prefix).rglob("known_answers.py"))


def test_learners_get_jupyterlab_in_chinese(hub_run):
    hub, browsers, _, _ = hub_run
    user = hub.learners[0]
    login = Browser(hub, user).get("/hub/login")
    assert "学号（用户名）" in login.text and "密码" in login.text
    landing = browsers[user].get(f"/user/{user}/")
    assert landing.url.endswith(f"/user/{user}/lab/tree/lessons/00-orientation.ipynb"), landing.url
    data = browsers[user].get(f"/user/{user}/lab/api/settings/@jupyterlab/translation-extension:plugin").json()
    locale = data["settings"].get("locale", data["schema"]["properties"]["locale"]["default"])
    assert locale == "zh_CN"
    assert "zh_CN" in browsers[user].get(f"/user/{user}/lab/api/translations/").json()["data"]


def test_formgrader_grades_in_the_sandbox_as_the_grader_account(hub_run):
    hub, _, _, _ = hub_run
    grader = pwd.getpwnam(hub.settings.grader_user).pw_uid
    for user in hub.learners:
        graded = hub.settings.course_dir / "autograded" / user / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert graded.stat().st_uid == grader  # written by the formgrader service, not by root
        note = nbformat.read(graded, as_version=4).cells[0]
        assert note.metadata.get("nmops", {}).get("grading_note"), note.source[:200]
        assert "你的代码在隔离的沙箱里运行" in note.source
