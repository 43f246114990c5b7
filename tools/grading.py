"""Grade notebooks of an assignment with real nbgrader in a throw-away course directory.

The maintainers' proof that the autograder is fair: the instructor version scores full
marks, the untouched release scores 0, and every realistic wrong answer kept in
``tests/wrong_answers/<assignment>.py`` loses points in its own exercise and nowhere else.

Command line (from the repository root)::

    python -m tools.grading check <assignment>        # solution and blank release
    python -m tools.grading check-wrong <assignment>  # ... and every wrong answer

Nothing is written inside the repository: each run builds its course directory under a
temporary folder (or ``--workdir``), copies the repository's ``nbgrader_config.py`` there,
generates the release, places the submissions, and runs ``nbgrader autograde``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

__all__ = [
    "Wrong",
    "ROOT",
    "BIN",
    "NBGRADER",
    "nbgrader_env",
    "nbgrader_main",
    "assignments",
    "load_solution",
    "load_release",
    "answer_ids",
    "exercise_of",
    "replace_answer",
    "load_wrong",
    "grade",
    "wrong_answer_verdict",
]


@dataclass(frozen=True)
class Wrong:
    """A realistic wrong answer: ``source`` replaces the whole answer cell ``cell``."""

    cell: str
    why: str
    source: str


def assignments() -> list[str]:
    """The assignment ids, from the instructor versions in ``solutions/``."""
    return sorted(p.name for p in (ROOT / "solutions").iterdir()
                  if (p / f"{p.name}.ipynb").exists())


def load_solution(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)


def load_release(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "assignments" / assignment / f"{assignment}.ipynb",
                         as_version=4)


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answer_ids(nb) -> list[str]:
    """grade_ids of the answer cells, in notebook order."""
    return [_grade_id(c) for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution")]


def test_ids(nb) -> dict[str, int]:
    """grade_id -> points of every graded test cell."""
    out = {}
    for c in nb.cells:
        meta = c.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            out[meta["grade_id"]] = meta.get("points", 0)
    return out


test_ids.__test__ = False  # not a pytest test


def exercise_of(test_id: str, answers: list[str]) -> str:
    """The answer cell a test cell belongs to: its grade_id is ``test_<answer id>...``."""
    matches = [a for a in answers if test_id.startswith(f"test_{a}")]
    if not matches:
        raise ValueError(f"test cell {test_id!r} does not start with 'test_<answer id>'.")
    return max(matches, key=len)


def replace_answer(nb, cell_id: str, source: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose answer cell ``cell_id`` holds ``source``."""
    nb = nbformat.from_dict(nb)  # deep copy
    cells = [c for c in nb.cells if _grade_id(c) == cell_id]
    if len(cells) != 1:
        raise ValueError(f"expected one answer cell {cell_id!r}, found {len(cells)}.")
    cells[0].source = source.strip("\n")
    return nb


def load_wrong(assignment: str) -> list[Wrong]:
    """The wrong answers kept in ``tests/wrong_answers/<assignment>.py``."""
    path = ROOT / "tests" / "wrong_answers" / f"{assignment}.py"
    spec = importlib.util.spec_from_file_location(f"wrong_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.WRONG)


def nbgrader_env(keep: bool = False) -> dict[str, str]:
    """The environment for an ``nbgrader`` subprocess: the venv's ``bin/`` first on PATH
    (nbgrader runs ``alembic``) and the repository on PYTHONPATH (a copied
    ``nbgrader_config.py`` imports ``tools.nbgrader_plugins``). Unless ``keep``, also
    none of the variables that point nbgrader at the course's real exchange and gradebook
    (for a throw-away course directory)."""
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    for var in ("MPLBACKEND", *(() if keep else ("NBGRADER_DB_URL", "NBGRADER_EXCHANGE"))):
        env.pop(var, None)
    return env


def alembic_on_path() -> None:
    """Put the venv's ``bin/`` on PATH: nbgrader runs ``alembic`` when it creates a
    gradebook (``Gradebook(...)`` or any command), and a venv's executables are on PATH
    only when it is activated."""
    if str(BIN) not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"


def nbgrader_main(args: list[str], cwd: Path | None = None) -> int:
    """Run one ``nbgrader`` command in this process, as the ``nbgrader`` executable would
    (configuration from ``cwd``, default: the current directory); return its exit code.
    Saves starting a second interpreter, which costs seconds (nbgrader imports a lot)."""
    from nbgrader.apps.nbgraderapp import NbGraderApp

    alembic_on_path()
    before = Path.cwd()
    try:
        os.chdir(cwd or before)
        NbGraderApp.launch_instance(argv=list(args))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(before)
        _clear_instances(NbGraderApp)
    return 0


def _clear_instances(app) -> None:
    """Forget the singleton of ``app`` and of its subcommands, to any depth (``nbgrader db
    assignment add`` is two deep): one left behind keeps the configuration it read, and
    the next command, run for another course, would read that course's too."""
    if isinstance(app, type) and hasattr(app, "clear_instance"):
        app.clear_instance()
        subcommands = vars(app).get("subcommands")  # a dict, or a trait on Application
        for sub, _ in subcommands.values() if isinstance(subcommands, dict) else ():
            _clear_instances(sub)


#: ``nbgrader`` as a command, started through ``tools`` (see tools/__init__.py: 2 s faster).
NBGRADER = [sys.executable, "-c", "import sys, tools; from nbgrader.apps.nbgraderapp import "
            "main; sys.argv[0] = 'nbgrader'; sys.exit(main())"]


def _run(args: list[str], cwd: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, env=nbgrader_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed with exit code {proc.returncode}:\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )


def grade(assignment: str, submissions: dict[str, nbformat.NotebookNode],
          workdir: Path | None = None) -> dict[str, dict[str, tuple[float, float]]]:
    """Autograde each submission with nbgrader; return ``{student: {test_id: (score,
    max_score)}}``. Student ids must be simple names (letters, digits, ``_``, ``-``)."""
    own_tmp = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix=f"grade-{assignment}-")) if own_tmp else workdir
    try:
        shutil.copy(ROOT / "nbgrader_config.py", workdir / "nbgrader_config.py")
        shutil.copytree(ROOT / "solutions" / assignment, workdir / "solutions" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        _run([*NBGRADER, "generate_assignment", assignment, "--force"], workdir)
        release = workdir / "assignments" / assignment
        for student, nb in submissions.items():
            dest = workdir / "submitted" / student / assignment
            shutil.copytree(release, dest)
            nbformat.write(nb, dest / f"{assignment}.ipynb")
        _run([*NBGRADER, "autograde", assignment], workdir)
        return _scores(workdir, assignment, list(submissions))
    finally:
        if own_tmp:
            shutil.rmtree(workdir, ignore_errors=True)


def _scores(workdir: Path, assignment: str, students: list[str]):
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{workdir / 'gradebook.db'}") as gb:
        for student in students:
            nb = gb.find_submission_notebook(assignment, assignment, student)
            out[student] = {g.name: (float(g.score), float(g.max_score))
                            for g in nb.grades if g.max_score}
    return out


def wrong_answer_verdict(scores: dict[str, tuple[float, float]], cell: str,
                         answers: list[str]) -> str | None:
    """None if the wrong answer in ``cell`` lost points in its own exercise only;
    otherwise a sentence saying what went wrong."""
    own_lost = [t for t, (s, m) in scores.items()
                if exercise_of(t, answers) == cell and s < m]
    other_lost = [t for t, (s, m) in scores.items()
                  if exercise_of(t, answers) != cell and s < m]
    problems = []
    if not own_lost:
        problems.append("it lost no points in its own exercise")
    if other_lost:
        problems.append(f"it also lost points in {', '.join(sorted(other_lost))}")
    return "; and ".join(problems) if problems else None


def _report(assignment: str, with_wrong: bool) -> int:
    solution = load_solution(assignment)
    answers = answer_ids(solution)
    subs = {"solution": solution, "blank": load_release(assignment)}
    wrongs = load_wrong(assignment) if with_wrong else []
    for i, w in enumerate(wrongs):
        subs[f"wrong{i:03d}"] = replace_answer(solution, w.cell, w.source)
    scores = grade(assignment, subs)
    total = {s: sum(v[0] for v in sc.values()) for s, sc in scores.items()}
    print(f"{assignment}: solution {total['solution']:g}, blank {total['blank']:g}")
    failures = int(total["solution"] != 100) + int(total["blank"] != 0)
    for i, w in enumerate(wrongs):
        verdict = wrong_answer_verdict(scores[f"wrong{i:03d}"], w.cell, answers)
        mark = "ok  " if verdict is None else "FAIL"
        print(f"  {mark} {w.cell}: {w.why} -> {total[f'wrong{i:03d}']:g}"
              + (f" ({verdict})" if verdict else ""))
        failures += verdict is not None
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.grading", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["check", "check-wrong"])
    parser.add_argument("assignment", nargs="*", help="assignment ids (default: all)")
    args = parser.parse_args(argv)
    status = 0
    for a in args.assignment or assignments():
        status |= _report(a, args.command == "check-wrong")
    return status


if __name__ == "__main__":
    sys.exit(main())
