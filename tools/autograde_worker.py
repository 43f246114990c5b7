"""One of the processes of ``python -m tools.course autograde --jobs N`` (N > 1).

    python -m tools.autograde_worker ASSIGNMENT [nbgrader options...]

Imports and configures nbgrader once (from the course's ``nbgrader_config.py`` in the
current directory, then the options, as ``nbgrader autograde`` would), then grades one
student at a time through nbgrader's own converter, as the parent asks: it reads a
student id per line on stdin and answers ``done <student> <0|1>`` (1: nbgrader reported
an error for that submission) on stdout, and stops at the end of stdin. nbgrader's log
goes to stderr, as usual. The parent hands out the next student to whichever process is
free, so a class whose slow submissions bunch together still keeps every CPU busy.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to the log, not into the replies

    from nbgrader.apps.autogradeapp import AutogradeApp
    from nbgrader.converters import Autograde
    from nbgrader.converters.base import NbGraderException

    app = AutogradeApp()
    app.initialize(list(sys.argv[1:] if argv is None else argv))
    if len(app.extra_args) != 1:
        print("usage: python -m tools.autograde_worker ASSIGNMENT [nbgrader options]",
              file=sys.stderr)
        return 2
    app.coursedir.assignment_id = app.extra_args[0]
    for line in sys.stdin:
        student = line.strip()
        if not student:
            continue
        app.coursedir.student_id = student
        failed = 0
        try:
            Autograde(coursedir=app.coursedir, parent=app).start()
        except NbGraderException:
            failed = 1  # nbgrader has logged why; the other students go on
        replies.write(f"done {student} {failed}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
