"""A temporary course with the corpus handed in, graded by the course's own command.

Used by ``tests/test_integrity.py`` and by ``python -m tests.adversarial grade``. The
students are, in the order nbgrader grades them (sorted ids):

- ``aa_blank``, ``aa_honest``: the untouched release and the instructor's answers, graded
  before every cheat;
- ``m_<cheat>``: one per cheat; ``n_<cheat>`` for those that write others' files, the
  gradebook or a startup file, graded after the rest;
- ``zz_blank``, ``zz_honest``: the same two again, graded after every cheat, so a cheat
  that changes how later students are graded (a startup file, a patched module, a
  rewritten file) shows up in their grades.

Everything runs under the course folder and a ``home/`` beside it (``HOME`` and
``IPYTHONDIR`` point there), so a cheat that writes into the home directory writes there.
"""

from __future__ import annotations

import csv
import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tools import grading

from . import Cheat, honest

ROOT = grading.ROOT
BEFORE, AFTER = ("aa_blank", "aa_honest"), ("zz_blank", "zz_honest")
HONEST, BLANK = ("aa_honest", "zz_honest"), ("aa_blank", "zz_blank")
#: Seconds a cell may run (nbgrader's Execute.timeout); the honest cells take < 1 s.
CELL_TIMEOUT = 10
#: Seconds an interrupted cell has to stop before the student's process is stopped.
RECOVERY_TIMEOUT = 3
#: Seconds the whole grading command may take before it counts as hung.
COMMAND_TIMEOUT = 900
#: Files whose content no student may change (relative to the course root).
PROTECTED = ("submitted", "solutions", "assignments", "nbgrader_config.py")


#: Cheats that change how others are graded (their files, the gradebook, a startup file)
#: are graded after all the others (``n_``), so a grader that lets them through still shows
#: what every other cheat earns; the ``zz_`` sentinels come after them all.
LATE_CATEGORIES, LATE_NAMES = ("gradebook", "other-files"), ("startup_file",)


def student_id(cheat: Cheat) -> str:
    late = cheat.category in LATE_CATEGORIES or cheat.name in LATE_NAMES
    return f"{'n' if late else 'm'}_{cheat.name}"


@dataclass
class Run:
    """What one grading command did."""

    returncode: int | None  # None: still running after COMMAND_TIMEOUT (then killed)
    seconds: float
    output: str
    scores: dict[str, float | None] = field(default_factory=dict)  # None: no submission row


@dataclass
class Course:
    root: Path
    assignment: str
    students: list[str]
    cheats: dict[str, Cheat]  # student id -> cheat
    canary: str
    env: dict[str, str]
    checksums: dict[str, str] = field(default_factory=dict)


def checksums(root: Path) -> dict[str, str]:
    """sha256 of every protected file (path relative to the course root)."""
    out = {}
    for name in PROTECTED:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for p in files:
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _env(home: Path, canary: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NBGRADER_EXCHANGE", "NBGRADER_DB_URL", "MPLBACKEND", "IPYTHONDIR",
                        "PYTHONSTARTUP", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR")}
    env["PATH"] = f"{grading.BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    env["HOME"] = str(home)
    env["IPYTHONDIR"] = str(home / ".ipython")
    env["GRADER_API_TOKEN"] = canary  # a secret of the grader's; no student may read it
    return env


def _save(folder: Path, assignment: str, submission) -> None:
    folder.mkdir(parents=True)
    name = submission.notebook_name or f"{assignment}.ipynb"
    if isinstance(submission.notebook, bytes):
        (folder / name).write_bytes(submission.notebook)
    elif submission.notebook is not None:
        nbformat.write(submission.notebook, folder / name)
    for rel, content in submission.files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def build(root: Path, assignment: str, cheats: list[Cheat]) -> Course:
    """A course in ``root`` (created) with the release generated and every submission in
    ``submitted/``; the protected files' checksums are recorded last."""
    root.mkdir(parents=True)
    home = root.parent / f"{root.name}-home"
    home.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    course = Course(root, assignment, [], {student_id(c): c for c in cheats},
                    f"canary-{secrets.token_hex(12)}", {})
    course.env = _env(home, course.canary)
    out = _command(course, "generate", assignment)
    if out.returncode != 0:
        raise RuntimeError(f"generate {assignment} failed:\n{out.output[-4000:]}")
    release = nbformat.read(root / "assignments" / assignment / f"{assignment}.ipynb", 4)
    solution = grading.load_solution(assignment)
    from . import Submission

    subs = {"aa_blank": Submission(release), "zz_blank": Submission(release),
            "aa_honest": Submission(honest(release, solution)),
            "zz_honest": Submission(honest(release, solution))}
    for sid, c in course.cheats.items():
        subs[sid] = c.build(nbformat.from_dict(release), assignment, solution)
    for sid in sorted(subs):
        _save(root / "submitted" / sid / assignment, assignment, subs[sid])
    course.students = sorted(subs)
    course.checksums = checksums(root)
    return course


def _command(course: Course, *args: str) -> Run:
    """``python -m tools.course <args>`` in the course, in its own process group (so what
    a cheat does to its process group cannot reach the caller); killed if it hangs."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "tools.course", *args], cwd=course.root,
                            env=course.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=COMMAND_TIMEOUT)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        code = None
    return Run(code, time.monotonic() - start, out.decode(errors="replace"))


def autograde(course: Course, *extra: str) -> Run:
    """The instructor's grading command on every submission; the scores it recorded."""
    run = _command(course, "autograde", course.assignment, f"--Execute.timeout={CELL_TIMEOUT}",
                   f"--SafeExecute.recovery_timeout={RECOVERY_TIMEOUT}", *extra)
    run.scores = scores(course)
    return run


def scores(course: Course) -> dict[str, float | None]:
    """Each student's total score in the gradebook (None: no submission row, or no gradebook)."""
    db = course.root / "gradebook.db"
    out = dict.fromkeys(course.students)
    if not db.exists():
        return out
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{db}", "intro-dl") as gb:
        try:
            subs = gb.assignment_submissions(course.assignment)
        except MissingEntry:  # a new, empty gradebook
            return out
        for sub in subs:
            if sub.student_id in out:
                out[sub.student_id] = float(sub.score)
    return out


def problems(course: Course) -> dict[str, list[str]]:
    """student -> the problems the grading command listed in reports/<a>-problems.csv."""
    path = course.root / "reports" / f"{course.assignment}-problems.csv"
    out: dict[str, list[str]] = {}
    if path.exists():
        with path.open(newline="") as fh:
            for row in csv.DictReader(fh):
                out.setdefault(row["student"], []).append(row["problem"])
    return out


def files_containing(root: Path, text: str) -> list[str]:
    """Files under ``root`` whose bytes contain ``text``."""
    needle = text.encode()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and needle in p.read_bytes())
