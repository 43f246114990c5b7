"""Adversarial submissions: student code that tries to get marks it did not earn.

Each cheat is a :class:`Cheat` whose ``build(release_nb, assignment, solution_nb)`` starts
from the STUDENT version of an assignment (``assignments/<a>/<a>.ipynb``: answers unsolved)
and returns a :class:`Submission`: the notebook (a NotebookNode, or raw bytes for a file
that is not a notebook) and the extra files to put beside it in the submission folder.
``solution_nb`` is used only for what a student knows anyway: the names the exercises ask
for (``answer_names``) and, for the sentinels, the honest answers.

Every cheat works on every assignment, and each is a real attack: it earns marks (or
harms the grading of others) against nbgrader 0.9 with its default set-up. Fair grading
scores each one at most as high as the untouched release, changes nobody else's grade or
file, and finishes the batch; ``tests/test_integrity.py`` checks exactly that.

Cheats only reach paths relative to the grading directory (``autograded/<student>/<a>/``
in the temporary course) or found by searching from it, never absolute paths of the
repository. ``dangerous=True`` marks the ones that harm the machine when the grader does
not contain them (killing processes, fork and memory bombs, output floods): run those only
with a sandboxed grader.

The modules, by category:

- ``hide_errors``: IPython hooks, startup files, redefined builtins, patched numpy and
  test helpers, modules shadowed by files beside the notebook;
- ``lying``: answers that return objects that compare equal to anything;
- ``access``: reading the solutions, the gradebook or other students' work; writing the
  gradebook or others' files; reading the grader's secrets;
- ``processes``: killing the grader, hanging, exhausting memory, processes or output;
- ``malformed``: notebooks a careless or cunning student can produce in JupyterLab.

``python -m tests.adversarial`` lists the corpus.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

import nbformat
from nbformat.v4 import new_code_cell

__all__ = ["CATEGORIES", "Cheat", "Submission", "all_cheats", "safe_cheats"]

#: What each category attacks (the issue's list).
CATEGORIES = {
    "ipython-hooks": "hide a failing test's error: IPython hooks, transformers, startup files",
    "builtins": "redefine builtins or exceptions the checks rely on",
    "monkeypatch": "replace numpy or the test helpers the test cells call",
    "shadow-module": "drop a module beside the notebook that shadows a real one",
    "lying-object": "return objects that compare equal to anything",
    "solution-access": "read the instructor's solutions, hidden tests or other students' work",
    "gradebook": "write or delete the gradebook",
    "other-files": "change other students' files or the instructor's",
    "secrets": "read the grader's environment",
    "batch": "kill, hang or exhaust the grader so the batch stops",
    "malformed": "notebooks the grader must handle without stopping the batch",
}


@dataclass
class Submission:
    """What a student hands in: ``notebook`` is saved as ``notebook_name`` (default
    ``<assignment>.ipynb``; None: no notebook), ``files`` maps relative paths to contents."""

    notebook: nbformat.NotebookNode | bytes | None
    files: dict[str, str | bytes] = field(default_factory=dict)
    notebook_name: str | None = None


@dataclass(frozen=True)
class Cheat:
    name: str
    category: str
    doc: str  # one line: what it attacks
    build: Callable[[nbformat.NotebookNode, str, nbformat.NotebookNode], Submission]
    dangerous: bool = False


_REGISTRY: list[Cheat] = []


def cheat(category: str, dangerous: bool = False):
    """Register ``build`` (its docstring's first line is the documentation)."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; use one of {sorted(CATEGORIES)}")

    def register(build):
        doc = (build.__doc__ or "").strip().splitlines()[0]
        if not doc:
            raise ValueError(f"cheat {build.__name__} has no docstring")
        _REGISTRY.append(Cheat(build.__name__, category, doc, build, dangerous))
        return build

    return register


def all_cheats() -> list[Cheat]:
    """Every cheat, in the order the modules define them."""
    from . import access, hide_errors, lying, malformed, processes  # noqa: F401 (registers)

    names = [c.name for c in _REGISTRY]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"cheat names used twice: {sorted(dup)}")
    return list(_REGISTRY)


def safe_cheats() -> list[Cheat]:
    """The cheats that cannot harm the machine even if the grader does not contain them."""
    return [c for c in all_cheats() if not c.dangerous]


# --- notebook helpers shared by the cheats ----------------------------------------------------
def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell) -> str | None:
    return meta(cell).get("grade_id")


def is_answer(cell) -> bool:
    return bool(meta(cell).get("solution"))


def is_test(cell) -> bool:
    return bool(meta(cell).get("grade")) and not meta(cell).get("solution")


def copy(nb) -> nbformat.NotebookNode:
    return nbformat.from_dict(nb)


def code_cell(source: str, tag: str) -> nbformat.NotebookNode:
    """A new ordinary code cell with a fixed id (so a built notebook is the same every time)."""
    return new_code_cell(source.strip("\n"), id=f"cheat-{tag}"[:64])


def setup_index(nb) -> int:
    """Index of the setup cell: the first code cell (imports, data)."""
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")


def after_setup(release_nb, source: str, tag: str = "payload") -> nbformat.NotebookNode:
    """A copy of the release with a new cell holding ``source`` right after the setup cell."""
    nb = copy(release_nb)
    nb.cells.insert(setup_index(nb) + 1, code_cell(source, tag))
    return nb


def answer_names(solution_nb) -> dict[str, list[str]]:
    """grade_id -> the names an answer cell must define (functions, classes, variables): what
    the exercise asks for, read from the instructor version's definitions."""
    out = {}
    for cell in solution_nb.cells:
        if not is_answer(cell):
            continue
        names = []
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.append(node.name)
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AnnAssign) else [])
            names += [t.id for t in targets if isinstance(t, ast.Name)]
        out[grade_id(cell)] = names
    return out


def module_level_names(release_nb, solution_nb) -> dict[str, list[str]]:
    """grade_id -> the variables an answer cell must set (names that are not ``def``s in
    the release's stub)."""
    out = {}
    wanted = answer_names(solution_nb)
    for cell in release_nb.cells:
        if is_answer(cell):
            defined = {n.name for n in ast.parse(cell.source).body
                       if isinstance(n, ast.FunctionDef | ast.ClassDef)}
            out[grade_id(cell)] = [n for n in wanted.get(grade_id(cell), []) if n not in defined]
    return out


def stubs_return(release_nb, solution_nb, value: str) -> nbformat.NotebookNode:
    """A copy of the release whose stubs no longer raise: each ``raise NotImplementedError()``
    inside a function becomes ``return <value>``, and each at module level sets the cell's
    variables to ``<value>``. With ``value="None"`` this is an honest wrong answer that
    scores 0; a cheat combines it with something that makes checks pass."""
    nb = copy(release_nb)
    variables = module_level_names(release_nb, solution_nb)
    for cell in nb.cells:
        if not is_answer(cell):
            continue
        lines = []
        for line in cell.source.splitlines():
            if line.strip() == "raise NotImplementedError()":
                indent = line[: len(line) - len(line.lstrip())]
                if indent:
                    line = f"{indent}return {value}"
                else:
                    names = variables.get(grade_id(cell)) or ["_unused"]
                    line = " = ".join(names) + f" = {value}"
            lines.append(line)
        cell.source = "\n".join(lines)
    return nb


def first_answer_index(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if is_answer(c))


def honest(release_nb, solution_nb) -> nbformat.NotebookNode:
    """The release with the instructor's answers typed in (no ``### BEGIN/END SOLUTION``
    lines): what a student who solved everything hands in."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    answers = {grade_id(c): "\n".join(ln for ln in c.source.splitlines()
                                      if ln.strip() not in markers)
               for c in solution_nb.cells if is_answer(c)}
    nb = copy(release_nb)
    for cell in nb.cells:
        if is_answer(cell):
            cell.source = answers[grade_id(cell)]
    return nb
