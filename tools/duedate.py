"""Due dates, as nbgrader keeps them: one per assignment, in the gradebook, in UTC.

``python -m tools.course release A --duedate WHEN`` (or ``duedate A WHEN``) records it;
``collect`` then takes, for each student, the newest submission made by the due date
(nbgrader's ``--before-duedate``), and ``autograde`` says who submitted late and by how
much. nbgrader's own late penalty applies on top (``--LateSubmissionPlugin.penalty_method``:
``none``, the default, or ``zero``).

``extend A STUDENT 2d`` gives one student more time. nbgrader keeps the extension with the
student's submission and adds it to the due date (so it moves with it) when it decides
how late a submission is; ``collect`` uses it too (``ExtensionCollect`` in
``tools/nbgrader_plugins.py``).

``WHEN`` is a date and a time, in this machine's time zone unless one is given::

    2026-12-14 23:59                 # this machine's time zone
    2026-12-14 23:59 Europe/Berlin   # an IANA time zone name (or UTC)
    2026-12-14T23:59+01:00           # ISO 8601 with an offset
"""

from __future__ import annotations

import difflib
import re
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["parse", "parse_extension", "for_nbgrader", "describe", "lateness", "nbgrader_step",
           "show", "clear", "extend", "extension_of", "placeholder", "collect_options"]

_EXAMPLES = ("'2026-12-14 23:59' (this machine's time zone), "
             "'2026-12-14 23:59 Europe/Berlin' or '2026-12-14T23:59+01:00'")


def parse(text: str) -> datetime:
    """The moment ``text`` names, as an aware datetime in UTC.

    Raises
    ------
    ValueError
        For anything but a date with a time (a date alone would mean the midnight that
        starts it, a day early), or an unknown time zone; the message shows the forms
        that work.
    """
    words = str(text).split()
    zone = None
    if len(words) == 3 or (len(words) == 2 and "T" in words[0]):
        name = words.pop()
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r} in the due date {text!r}: use an "
                             "IANA name such as Europe/Berlin, America/New_York or UTC") from None
    stamp = " ".join(words)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp):
        raise ValueError(f"the due date {text!r} has no time: a date alone would mean the "
                         f"midnight at its start; give the time too, e.g. '{stamp} 23:59'")
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError(f"cannot read the due date {text!r}: give a date and a time, as in "
                         f"{_EXAMPLES}") from None
    if when.tzinfo is not None and zone is not None:
        raise ValueError(f"the due date {text!r} gives both an offset and a time zone; "
                         "give one of them")
    if zone is not None:
        when = when.replace(tzinfo=zone)
    return when.astimezone(UTC)  # a naive time is this machine's local time


def parse_extension(text: str) -> timedelta | None:
    """The extension ``text`` names, e.g. ``2d``, ``36h``, ``1d 12h`` or ``90min``.

    ``none`` (or any zero) gives None: no extension.

    Raises
    ------
    ValueError
        For anything else; the message shows the forms that work.
    """
    words = str(text).strip().lower()
    if words == "none":
        return None
    found = re.fullmatch(r"(?:(\d+) ?d)? ?(?:(\d+) ?h)? ?(?:(\d+) ?min)?", words)
    if not found or not any(found.groups()):
        raise ValueError(f"cannot read the extension {text!r}: give days, hours or minutes, "
                         "as in '2d', '36h', '1d 12h' or '90min' (none removes it)")
    days, hours, minutes = (int(group or 0) for group in found.groups())
    try:
        by = timedelta(days=days, hours=hours, minutes=minutes)
    except OverflowError:
        by = timedelta.max
    if by > timedelta(days=365):
        raise ValueError(f"the extension {text!r} is longer than a year; give at most '365d'")
    return by or None


def for_nbgrader(when: datetime) -> str:
    """``when`` as ``nbgrader db assignment add --duedate`` reads it (UTC, to the second)."""
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe(when: datetime) -> str:
    """``when`` in UTC and in this machine's time zone, e.g. for the gradebook's value.

    A naive ``when`` is UTC, as nbgrader stores it.
    """
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    utc, local = when.astimezone(UTC), when.astimezone()
    text = utc.strftime("%Y-%m-%d %H:%M UTC")
    if local.utcoffset():
        text += local.strftime(" (%Y-%m-%d %H:%M %Z here)")
    return text


def lateness(seconds: float) -> str:
    """A duration in words: ``'2 d 3 h'``, ``'1 h 05 min'``, ``'4 min'``, ``'20 s'``."""
    seconds = int(round(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d" + (f" {hours} h" if hours or minutes else "") + (
            f" {minutes:02d} min" if minutes else "")
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


# --- the gradebook's due date, for tools.course ------------------------------------------------
def nbgrader_step(assignment: str, when: datetime) -> list[str]:
    """The nbgrader command that records ``when`` as the due date (announced first)."""
    print(f"due date of {assignment}: {describe(when)}", flush=True)
    if when < datetime.now(UTC):
        print(f"WARNING that is in the past: every submission of {assignment} from now on "
              "is late.", file=sys.stderr)
    return ["db", "assignment", "add", assignment, f"--duedate={for_nbgrader(when)}"]


def _gradebook(coursedir):
    from nbgrader.api import Gradebook

    from tools.grading import alembic_on_path

    alembic_on_path()  # a new gradebook runs `alembic`
    return Gradebook(coursedir.db_url, coursedir.course_id)


def _recorded(coursedir, assignment: str):
    """``(in the gradebook, due date or None)``."""
    from nbgrader.api import MissingEntry

    with _gradebook(coursedir) as gb:
        try:
            return True, gb.find_assignment(assignment).duedate
        except MissingEntry:
            return False, None


def _extensions(gb, assignment: str) -> dict[str, timedelta]:
    """``{student: extension}`` of the students given one for ``assignment``."""
    return {s.student_id: s.extension for s in gb.assignment_submissions(assignment)
            if s.extension}


def show(coursedir, assignment: str) -> str:
    """What the gradebook says of the due date of ``assignment``, and of extensions."""
    known, due = _recorded(coursedir, assignment)
    if not known:
        return f"{assignment} is not in the gradebook yet (`release` records it)."
    if not due:
        return f"{assignment} has no due date."
    with _gradebook(coursedir) as gb:
        extensions = _extensions(gb, assignment)
    return "\n".join([f"{assignment} is due {describe(due)}.", *(
        f"  {student}: {lateness(by.total_seconds())} more, until {describe(due + by)}"
        for student, by in sorted(extensions.items()))])


def clear(coursedir, assignment: str) -> str:
    """Remove the due date of ``assignment`` (nbgrader's command cannot)."""
    with _gradebook(coursedir) as gb:
        gb.update_or_create_assignment(assignment, duedate=None)
    return f"{assignment} has no due date now: collect takes each student's newest submission."


def _student_due(student: str, assignment: str, due: datetime, by) -> str:
    if by is None:
        return f"{student} has no extension for {assignment}: due {describe(due)}."
    return (f"{student} has {lateness(by.total_seconds())} more for {assignment}: due "
            f"{describe(due + by)}.")


def extend(coursedir, assignment: str, student: str, by: timedelta | None,
           others=()) -> str:
    """Give ``student`` ``by`` more than the due date of ``assignment`` (None: take it away).

    ``student`` must be in the gradebook or in ``others`` (say, those who submitted): a
    misspelt name would otherwise get the extension.

    Raises
    ------
    ValueError
        When ``assignment`` has no due date, or ``student`` is unknown.
    """
    from nbgrader.api import MissingEntry

    known, due = _recorded(coursedir, assignment)
    if not due:
        raise ValueError(f"{assignment} " + ("has no due date" if known else
                                             "is not in the gradebook yet (not released)")
                         + f", so there is nothing to extend: set a due date first (duedate "
                         f"{assignment} WHEN)")
    with _gradebook(coursedir) as gb:
        _check_student(gb, student, others)
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            submission = None
        had = submission.extension if submission else None
        if by is not None:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(assignment, student, extension=by)
        elif had is not None and placeholder(submission):
            gb.remove_submission(assignment, student)  # made by extend: nothing else in it
        elif had is not None:
            gb.update_or_create_submission(assignment, student, extension=None)
    if by is None:
        return _student_due(student, assignment, due, None) + (
            " The extension is removed; if a submission made under it was collected or "
            f"graded, collect again and regrade: autograde {assignment} --student={student} "
            "--force." if had else "")
    return (_student_due(student, assignment, due, by) + " collect takes their newest "
            "submission made by then, and autograde reports it late only after that. "
            "(nbgrader keeps the extension with the student's submission, which counts as "
            "one: as after the first submission, cells can no longer be added to or removed "
            f"from {assignment}; `extend ... none` undoes it while they have not submitted.)")


def _check_student(gb, student: str, others=()) -> None:
    """Refuse a student who is neither in the gradebook nor in ``others`` (a typo?)."""
    students = {s.id for s in gb.students} | set(others)
    if student not in students:
        close = difflib.get_close_matches(student, students, n=1)
        raise ValueError(
            f"no student {student!r} is in the gradebook or has submitted anything"
            + (f" (did you mean {close[0]}?)" if close else "")
            + f"; if the name is right, add them first: nbgrader db student add {student}")


def placeholder(submission) -> bool:
    """Whether a gradebook submission only holds an extension: never submitted, nothing
    graded (``extend`` made it for a student who had not submitted)."""
    return submission.timestamp is None and not any(
        g.auto_score is not None or g.manual_score is not None
        for nb in submission.notebooks for g in nb.grades)


def extension_of(coursedir, assignment: str, student: str, others=()) -> str:
    """What the gradebook says of ``student``'s due date for ``assignment``.

    Raises
    ------
    ValueError
        When ``student`` is neither in the gradebook nor in ``others``.
    """
    due = _recorded(coursedir, assignment)[1]
    if not due:
        return show(coursedir, assignment)
    with _gradebook(coursedir) as gb:
        _check_student(gb, student, others)
        return _student_due(student, assignment, due, _extensions(gb, assignment).get(student))


def collect_options(coursedir, assignment: str, latest: bool) -> list[str]:
    """nbgrader collect's options for the due date of ``assignment``, said aloud."""
    due = _recorded(coursedir, assignment)[1]
    if not due:
        return []
    if latest:
        print(f"due {describe(due)}; --latest: the newest submission is collected, even if "
              "it came later (autograde says how late)", flush=True)
        return []
    with _gradebook(coursedir) as gb:
        extended = len(_extensions(gb, assignment))
    print(f"due {describe(due)}: for each student, the newest submission made by then"
          + (f", or by their own due date for the {extended} with an extension" if extended
             else "")
          + " (a student with none: their newest, graded as late; --latest takes the newest)",
          flush=True)
    return ["--before-duedate"]
