"""nbgrader configuration of the course (read by nbgrader and by its JupyterLab extensions).

nbgrader executes this file with traitlets' config loader, which provides ``c`` (the
``Config`` object) and sets ``__file__``. Every path is computed from this file, so the
commands work from the repository root whatever the current directory of the caller.

Environment variables (both optional):

- ``NBGRADER_EXCHANGE``: the exchange folder, e.g. ``/srv/nbgrader/exchange`` on a
  JupyterHub. Default: ``exchange/`` in the repository (git-ignored).
- ``NBGRADER_DB_URL``: the gradebook database, e.g. a PostgreSQL URL when several
  graders share one course. Default: ``gradebook.db`` (SQLite) in the repository.
"""

import os
import sys
import warnings

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from sqlalchemy.exc import SAWarning

c = get_config()  # provided by traitlets' config loader (F821 ignored in pyproject)

REPO = os.path.dirname(os.path.abspath(__file__))

# The course's nbgrader plugins (tools/nbgrader_plugins.py). A copy of this file in a
# throw-away course directory (tools/grading.py) finds them through PYTHONPATH.
if os.path.isdir(os.path.join(REPO, "tools")) and REPO not in sys.path:
    sys.path.insert(0, REPO)
from tools.nbgrader_plugins import (  # noqa: E402
    ExtensionCollect,
    HideHiddenTests,
    IsolatedExecute,
    PutBackCells,
    RepairCells,
)

# Course directory: solutions/ holds the instructor versions (nbgrader's "source"), and
# assignments/ the generated student versions (nbgrader's "release").
c.CourseDirectory.course_id = "intro-dl"
c.CourseDirectory.root = REPO
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = os.environ.get(
    "NBGRADER_DB_URL", "sqlite:///" + os.path.join(REPO, "gradebook.db")
)

# Exchange (release, fetch, submit, collect). nbgrader requires the folder to exist.
EXCHANGE = os.environ.get("NBGRADER_EXCHANGE") or os.path.join(REPO, "exchange")
c.Exchange.root = EXCHANGE
if not os.environ.get("NBGRADER_EXCHANGE"):  # one that is named must exist: not a typo's
    try:
        os.makedirs(EXCHANGE, exist_ok=True)
    except OSError:
        pass  # nbgrader then reports it as unwritable

# A submission without one of the released notebooks (renamed, say 01_perceptron-Copy1.ipynb)
# is refused, from the Assignment List and from `nbgrader submit`: the grader grades the
# released names only, so it would score 0 and its feedback could not be fetched.
c.ExchangeSubmit.strict = True

# collect --before-duedate takes each student's own due date, with their extension
# (`python -m tools.course extend`); nbgrader's uses the assignment's for everyone.
c.ExchangeFactory.collect = ExtensionCollect

# Autograding: at most 120 s per cell, then interrupt the kernel and record an error.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A deleted test cell is put back (and graded) instead of silently scoring 0; PutBackCells
# also when its answer cell is gone too (nbgrader's OverwriteCells fails the submission).
c.OverwriteCells.add_missing_cells = True

# nbgrader's autograde steps with two of them replaced (tools/nbgrader_plugins.py):
# RepairCells for DeduplicateIds (a copied or split answer cell no longer fails the
# submission: the first cell of each grade_id is graded), IsolatedExecute for Execute
# (the student's code runs in a bubblewrap sandbox and the tests in a separate trusted
# process that decides every verdict; a submission that crashes or hangs keeps the points
# earned before, and the batch goes on). On a machine without bubblewrap (macOS, say),
# set GRADING_ISOLATION=process and read what that leaves open in tools/sandbox.py.
c.Autograde.sanitize_preprocessors = [
    ClearOutput, RepairCells, OverwriteKernelspec, PutBackCells, CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    IsolatedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
    AssignLatePenalties, CheckCellMetadata,
]

# Feedback shows every test's output and message, not the source of hidden tests.
c.GenerateFeedback.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]

# The stub that replaces each ### BEGIN SOLUTION ... ### END SOLUTION block (the default).
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}

# Harmless SQLAlchemy warning on the first autograde of a submission ("... not in
# session ..."); silenced here rather than with PYTHONWARNINGS.
warnings.filterwarnings("ignore", message=r".*not in session", category=SAWarning)
