"""Student commands: fetch an assignment, validate it, submit it, fetch the feedback.

The same four steps as the Assignment List and the Validate button in JupyterLab, from a
terminal, in the folder where you keep your assignments::

    python -m tools.student fetch 01_perceptron     # -> ./01_perceptron/01_perceptron.ipynb
    python -m tools.student validate 01_perceptron/01_perceptron.ipynb
    python -m tools.student submit 01_perceptron    # validates first, then submits
    python -m tools.student feedback 01_perceptron  # -> ./01_perceptron/feedback/<time>/*.html
    python -m tools.student list                    # what is released, fetched, submitted

``validate`` exits with status 1 and names each failing exercise and its message
(``nbgrader validate`` prints them but exits 0). ``submit`` submits even when tests fail
(you may resubmit until the deadline); it says so first.

The course id and the exchange folder come from nbgrader's configuration: the
``nbgrader_config.py`` in this folder (the repository root has one), or the one your
instructor installed (``/etc/jupyter/nbgrader_config.py`` on a JupyterHub, written by
``python -m tools.course student-config``). ``--course`` and ``--exchange`` override them.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

__all__ = ["main", "validate"]

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_ERROR_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|NotRun)\b")


def _nbgrader(*args: str) -> int:
    """Run one nbgrader command here, in this process."""
    from tools.grading import nbgrader_main

    return nbgrader_main(list(args))


def _message(raw: str) -> str:
    """The exception line(s) of a traceback, without colours: what went wrong."""
    lines = [ln.rstrip() for ln in _ANSI.sub("", raw).splitlines() if ln.strip()]
    found = next((i for i in range(len(lines) - 1, -1, -1) if _ERROR_LINE.match(lines[i])),
                 max(0, len(lines) - 3))
    text = "\n".join(lines[found:])
    if text.rstrip(":") == "NotImplementedError":
        text += " an answer is missing: replace `raise NotImplementedError()` with your code"
    return text


def _exercise_labels(nb) -> dict[str, tuple[str, str]]:
    """stripped source of each graded test cell -> (grade_id, heading of its exercise)."""
    out, heading = {}, ""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("#"):
            heading = cell.source.lstrip().splitlines()[0].lstrip("#").strip()
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") or meta.get("locked"):
            out.setdefault(cell.source.strip(), (meta.get("grade_id", "?"), heading))
    return out


def validate(path: Path, timeout: int = 120) -> list[str]:
    """Run the notebook's tests as nbgrader does; return one paragraph per failure
    (empty when every test passes)."""
    import nbformat

    from tools.nbgrader_plugins import find_problems

    path = Path(path).resolve()  # (the folder of "x.ipynb" is "", not the folder's name)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # noqa: BLE001 (not a notebook: say so, like any failure)
        return [f"the notebook cannot be read ({type(err).__name__}: {err}); fetch the "
                "assignment again into another folder and copy your answers over"]
    if not any(c.get("metadata", {}).get("nbgrader", {}).get("grade") for c in nb.cells):
        return ["this notebook has no test cells of an assignment: it is another notebook, "
                "or its cells lost their nbgrader metadata (pasted into a new notebook?), "
                "and the grader would find none of your answers; fetch the assignment into "
                "another folder and paste your answers into its answer cells"]
    deleted = _deleted_tests(path, nb)
    out = [f"{problem}: delete one of them, or undo the change (the grader grades the "
           "first cell of each id and runs the others as ordinary cells)"
           for _, problem, _ in find_problems(nb)]
    if not out:
        return deleted + _run_tests(path, nb, timeout)
    # Validate what the grader will grade: a repaired copy, next to copies of the
    # assignment's other files (the notebook may read them). Only the folder's own files:
    # its subfolders (.ipynb_checkpoints, feedback, ...) are not part of the assignment.
    for index, _, _ in find_problems(nb):
        del nb.cells[index].metadata["nbgrader"]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / (path.parent.name or "assignment")
        copy.mkdir()
        for file in path.parent.iterdir():
            if file.is_file() and file != path:
                shutil.copy2(file, copy / file.name)
        nbformat.write(nb, copy / path.name)
        return deleted + out + _run_tests(copy / path.name, nb, timeout)


def _released(path: Path):
    """The released version of the notebook at ``path`` (its assignment is its folder's
    name): the exchange's, as nbgrader's configuration names it, else this repository's
    ``assignments/``; None if neither has it."""
    import nbformat

    from tools.grading import ROOT

    places = [ROOT / "assignments" / path.parent.name / path.name]
    exchange, course = _exchange(), _course_id()
    if exchange and course:
        places.insert(0, Path(exchange) / course / "outbound" / path.parent.name / path.name)
    for place in places:
        try:
            return nbformat.read(place, as_version=4)
        except Exception:  # noqa: BLE001 (missing or unreadable: try the next one)
            continue
    return None


def _deleted_tests(path: Path, nb) -> list[str]:
    """A failure naming the released test cells missing from ``nb``: the grader puts them
    back and runs them, so validating without them says nothing about them."""
    released = _released(path)
    if released is None:
        return []
    have = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells}
    gone = [meta["grade_id"] for c in released.cells
            if (meta := c.get("metadata", {}).get("nbgrader", {})).get("grade")
            and not meta.get("solution") and meta.get("grade_id") not in have]
    if not gone:
        return []
    return [f"test cells deleted: {', '.join(gone)}; the grader puts them back and runs "
            "them, so they were not checked here: undo the deletion (in JupyterLab, Esc then "
            "Z) or copy them from a fresh fetch into another folder"]


def _run_tests(path: Path, nb, timeout: int) -> list[str]:
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput
    from nbgrader.validator import Validator
    from traitlets.config import Config

    from tools.nbgrader_plugins import SafeExecute

    config = Config()
    config.Execute.timeout = timeout
    # encrypt the kernel's messages (CurveZMQ) when the kernel can: ipykernel warns at
    # every start that plain local TCP could be read by others on the machine
    config.KernelManager.transport_encryption = "auto"
    validator = Validator(config=config)
    validator.preprocessors = [CheckCellMetadata, ClearOutput, SafeExecute]
    try:
        results = validator.validate(str(path))
    except Exception as err:  # noqa: BLE001 (a notebook nbgrader cannot run)
        return [f"the notebook could not be validated: {type(err).__name__}: {err}"]
    labels = _exercise_labels(nb)
    out = []
    for cell in results.get("type_changed", []):
        out.append(f"a {cell['old_type']} cell was changed to a {cell['new_type']} cell; "
                   "change it back (grading uses the original type):\n"
                   + _indent(cell["source"][:200]))
    for cell in results.get("changed", []):
        grade_id, heading = labels.get(cell["source"], ("?", ""))
        out.append(f"{heading} [{grade_id}]: this test cell was edited; undo the edit or "
                   "copy the cell from a fresh fetch (grading uses the original tests)")
    groups: dict[tuple[str, str], list[str]] = {}  # same exercise, same message: one entry
    for cell in results.get("failed", []):
        grade_id, heading = labels.get(cell["source"], ("?", ""))
        groups.setdefault((heading, _message(cell["raw_error"])), []).append(grade_id)
    for (heading, message), ids in groups.items():
        out.append(f"{heading} [{', '.join(ids)}]:\n" + _indent(message))
    return out


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def _missing_notebook(folder: Path, assignment: str) -> str | None:
    """Why ``folder`` cannot be submitted as ``assignment``: its notebook was renamed
    (the grader grades ``<assignment>.ipynb`` only; any other name scores 0)."""
    if (folder / f"{assignment}.ipynb").exists():
        return None
    found = ", ".join(sorted(p.name for p in folder.glob("*.ipynb"))) or "no notebook"
    return (f"{folder / assignment}.ipynb is missing: rename your notebook back to "
            f"{assignment}.ipynb (found: {found})")


def cmd_validate(paths: list[str], timeout: int) -> int:
    status = 0
    for name in paths:
        path = Path(name)
        if path.is_dir():
            problem = _missing_notebook(path, path.resolve().name)
            if problem and _released(path.resolve() / f"{path.resolve().name}.ipynb") is None:
                found = sorted(p.name for p in path.glob("*.ipynb"))
                problem = (f"{name} is not an assignment folder (one named like its notebook, "
                           "e.g. 01_perceptron/); name the notebook to validate"
                           + (f": {', '.join(found)}" if found else ""))
            if problem:
                print(f"error: {problem}", file=sys.stderr)
                status = 1
                continue
            notebooks = sorted(p for p in path.glob("*.ipynb"))
        elif path.suffix != ".ipynb":
            print(f"error: {name} is not a notebook (.ipynb); name the notebook, e.g. "
                  "01_perceptron/01_perceptron.ipynb", file=sys.stderr)
            status = 1
            continue
        else:
            notebooks = [path]
        if not notebooks or not all(p.exists() for p in notebooks):
            print(f"error: no notebook at {name}", file=sys.stderr)
            status = 1
            continue
        for nb in notebooks:
            failures = validate(nb, timeout)
            if failures:
                status = 1
                print(f"FAILED {nb}: {len(failures)} problem(s); if you submit it as it "
                      "is, you will not get full marks:")
                for text in failures:
                    print("  " + text.replace("\n", "\n  "))
            else:
                print(f"OK {nb}: every test passes (the grader runs more tests).")
    return status


def _setting(section: str, name: str) -> str | None:
    """``c.<section>.<name>`` in nbgrader's configuration, as nbgrader reads it (the Jupyter
    config folders, then ./nbgrader_config.py); None if unset or it cannot be read."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for folder in [*reversed(jupyter_config_path()), "."]:
        if (Path(folder) / "nbgrader_config.py").is_file():
            try:
                config.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
            except Exception:  # noqa: BLE001 (nbgrader itself will report it)
                return None
    return config[section].get(name) or None


def _course_id() -> str | None:
    return _setting("CourseDirectory", "course_id")


def _exchange() -> str | None:
    return _setting("Exchange", "root")


def _setup_problem(args) -> str | None:
    """What stops nbgrader from finding the course, said the way a student can fix it
    (nbgrader says "Unwritable directory, please contact your instructor: <its default>"
    when no configuration is found, "Re-run with --course flag" without a course id)."""
    from nbgrader.exchange.default.exchange import Exchange

    configured = args.exchange or _exchange()
    exchange = configured or Exchange.class_traits()["root"].default_value
    if not configured and not Path(exchange).is_dir():
        return ("no nbgrader configuration here: run this in the folder with the "
                "nbgrader_config.py your instructor gave you, install it as "
                "~/.jupyter/nbgrader_config.py, or pass --exchange and --course")
    if args.course or _course_id() or args.command == "list":
        return None
    offering = sorted(p.parent.parent.name
                      for p in Path(exchange).glob(f"*/outbound/{args.assignment}"))
    if not offering:
        return (f"no course id is configured, and no course in the exchange {exchange} "
                f"offers {args.assignment}; ask your instructor for nbgrader_config.py")
    return (f"no course id is configured; in the exchange {exchange}, "
            f"{args.assignment} is offered by: {', '.join(offering)}. Add "
            f"--course={offering[0]}" + (" (or another)" if len(offering) > 1 else "")
            + f", or put c.CourseDirectory.course_id = {offering[0]!r} in your "
            "nbgrader_config.py")


def _no_feedback_yet(args) -> tuple[int, str] | None:
    """``(exit status, why)`` there is no feedback to fetch, when the exchange shows it:
    nbgrader says "Assignment not found at: <exchange>/<course>/feedback" before the first
    feedback of the course is released, and nothing for a misspelt assignment."""
    exchange = args.exchange or _exchange()
    course = args.course or _course_id()
    if not (exchange and course and (Path(exchange) / course).is_dir()):
        return None  # nbgrader says what is wrong
    outbound = Path(exchange) / course / "outbound"
    if not (outbound / args.assignment).is_dir():
        released = sorted(p.name for p in outbound.glob("*") if p.is_dir())
        return 1, (f"error: no assignment {args.assignment} was released in {course}"
                   + (f" (released: {', '.join(released)})" if released else "") + ".")
    if not any((Path(exchange) / course / f).is_dir() for f in ("feedback", "feedback_public")):
        return 0, (f"no feedback has been released in {course} yet: it comes after "
                   "grading, when your instructor releases it.")
    return None


def _folder(assignment: str, course: str | None = None) -> Path:
    """Where nbgrader keeps a fetched assignment: ./<assignment>, or ./<course>/<assignment>
    when the exchange is set up with ``path_includes_course``. Without a course id, the
    one ./*/<assignment> there is (two courses with the same assignment: ./<assignment>)."""
    here = Path(assignment)
    if here.is_dir():
        return here
    course = course or _course_id()
    if course and (Path(course) / assignment).is_dir():
        return Path(course) / assignment
    nested = sorted(Path().glob(f"*/{assignment}"))
    return nested[0] if len(nested) == 1 else here


def _common(args) -> list[str]:
    out = []
    if args.course:
        out.append(f"--course={args.course}")
    if args.exchange:
        out.append(f"--Exchange.root={args.exchange}")
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.student", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [("fetch", "fetch a released assignment into ./<assignment>/"),
                       ("submit", "validate, then submit ./<assignment>/"),
                       ("feedback", "fetch the feedback into ./<assignment>/feedback/"),
                       ("list", "list released, fetched and submitted assignments")]:
        p = sub.add_parser(name, help=text)
        if name != "list":
            p.add_argument("assignment")
        if name in ("submit", "feedback"):
            p.add_argument("--student", help="your student id (default: your user name)")
        if name == "submit":
            p.add_argument("--no-validate", action="store_true", help="skip the validation")
        p.add_argument("--course", help="course id (default: from nbgrader's config)")
        p.add_argument("--exchange", help="exchange folder (default: from nbgrader's config)")
    p = sub.add_parser("validate", help="run the tests; exit 1 naming each failing exercise")
    p.add_argument("notebook", nargs="+", help="notebooks, or assignment folders")
    p.add_argument("--timeout", type=int, default=120, help="seconds per cell (default 120)")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "validate":
        return cmd_validate(args.notebook, args.timeout)
    here = Path.cwd()
    if (args.command != "list" and here.name == args.assignment
            and (here / f"{args.assignment}.ipynb").exists()):
        print(f"error: you are inside the assignment folder {here}; run this from the folder "
              f"that holds it: cd .. && python -m tools.student {args.command} "
              f"{args.assignment}", file=sys.stderr)
        return 1
    folder = _folder(args.assignment, args.course) if args.command != "list" else None
    if args.command == "submit":
        if not folder.is_dir():
            print(f"error: no folder {folder}/ here; fetch the assignment first, or run this "
                  "where the folder is.", file=sys.stderr)
            return 1
        problem = _missing_notebook(folder, args.assignment)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
    problem = _setup_problem(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    common = _common(args)
    who = [f"--student={args.student}"] if getattr(args, "student", None) else []
    if args.command == "fetch":
        status = _nbgrader("fetch_assignment", args.assignment, *common)
        if status == 0:
            print(f"fetched: {_folder(args.assignment, args.course).resolve()}")
        return status
    if args.command == "list":  # released and fetched, then submitted (nbgrader's cache)
        status = _nbgrader("list", *common)
        return _nbgrader("list", "--cached", *common) or status
    if args.command == "submit":
        if not args.no_validate and cmd_validate([str(folder)], 120):
            print("Submitting anyway: you can fix it and submit again before the deadline.")
        return _nbgrader("submit", args.assignment, *who, *common)
    nothing = _no_feedback_yet(args)
    if nothing:
        status, text = nothing
        print(text, file=sys.stderr if status else sys.stdout)
        return status
    status = _nbgrader("fetch_feedback", args.assignment, *who, *common)
    files = sorted(_folder(args.assignment, args.course).glob("feedback/*/*.html"))
    if status == 0 and files:
        print("feedback:\n" + "\n".join(f"  {f.resolve()}" for f in files))
    elif status == 0:
        print("no feedback yet for this assignment.")
    return status


if __name__ == "__main__":
    sys.exit(main())
