"""Shared pytest setup. Keep it minimal: fixtures used by one test file live in that file."""

import os
import shutil

import pytest
from hypothesis import settings

# No per-example deadline: under coverage on a busy 2-core CI machine, timing is noise.
# On CI (CI=true) the examples are derandomized, so a run can be reproduced exactly.
settings.register_profile("course", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "course")

# Data for the assignment tests (wrong answers, equivalent mutants), not test modules; the
# harness loads them by path (tools/grading.py, tools/mutation.py).
collect_ignore_glob = ["wrong_answers/*", "mutants/*"]


@pytest.fixture
def course_copy(tmp_path):
    """A throw-away course folder: the course's nbgrader_config.py and the instructor
    version of 01_perceptron, nothing generated yet."""
    from tools import grading

    shutil.copy(grading.ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(grading.ROOT / "solutions" / "01_perceptron",
                    tmp_path / "solutions" / "01_perceptron")
    return tmp_path
