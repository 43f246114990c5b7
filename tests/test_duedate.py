"""Due dates: what an instructor may type, and what the course's commands do with it.

The whole cycle with a due date (a late resubmission, collect by the due date, --latest,
the late report) runs in tests/test_workflow.py.
"""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta

import pytest

from tools import course, duedate


@pytest.fixture
def berlin(monkeypatch):
    """This machine's time zone is Europe/Berlin for the test."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("text, utc", [
    ("2026-12-14 23:59 UTC", "2026-12-14 23:59:00 UTC"),
    ("2026-12-14 23:59 Europe/Berlin", "2026-12-14 22:59:00 UTC"),
    ("2026-07-14 23:59 Europe/Berlin", "2026-07-14 21:59:00 UTC"),  # summer time
    ("2026-12-14T23:59:30+01:00", "2026-12-14 22:59:30 UTC"),
    ("2026-12-14T23:59Z", "2026-12-14 23:59:00 UTC"),
    ("2026-12-14T23:59 America/New_York", "2026-12-15 04:59:00 UTC"),
])
def test_parse_gives_the_moment_in_utc(text, utc):
    assert duedate.for_nbgrader(duedate.parse(text)) == utc


def test_a_time_without_a_zone_is_this_machines(berlin):
    when = duedate.parse("2026-12-14 23:59")
    assert duedate.for_nbgrader(when) == "2026-12-14 22:59:00 UTC"
    assert duedate.describe(when) == "2026-12-14 22:59 UTC (2026-12-14 23:59 CET here)"
    # the gradebook's naive value is UTC
    assert duedate.describe(datetime(2026, 12, 14, 22, 59)) == duedate.describe(when)


@pytest.mark.parametrize("text, message", [
    ("2026-12-14", "has no time: a date alone would mean the midnight at its start"),
    ("14/12/2026 23:59", "give a date and a time, as in '2026-12-14 23:59'"),
    ("next friday", "give a date and a time"),
    ("2026-12-14 24:30", "give a date and a time"),
    ("", "give a date and a time"),
    ("2026-12-14 23:59 Mars/Olympus", "unknown time zone 'Mars/Olympus'"),
    ("2026-12-14T23:59+01:00 UTC", "both an offset and a time zone"),
])
def test_parse_refuses_what_it_cannot_read_and_shows_what_works(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        duedate.parse(text)


@pytest.mark.parametrize("seconds, text", [
    (0.4, "0 s"), (59, "59 s"), (61, "1 min"), (3900, "1 h 05 min"),
    (86400 * 2 + 3 * 3600 + 5, "2 d 3 h"), (86400 * 2, "2 d"), (86400 + 1800, "1 d 0 h 30 min"),
])
def test_lateness_in_words(seconds, text):
    assert duedate.lateness(seconds) == text


def test_release_with_a_bad_due_date_does_nothing(course_copy, capsys):
    with pytest.raises(SystemExit, match="has no time"):
        course.main(["--root", str(course_copy), "release", "01_perceptron",
                     "--duedate", "2026-12-14"])
    assert sorted(p.name for p in course_copy.iterdir()) == ["nbgrader_config.py", "solutions"]
    assert "$ nbgrader" not in capsys.readouterr().out


def test_duedate_names_the_assignments_when_one_is_misspelt(course_copy):
    with pytest.raises(SystemExit, match="no assignment '01_perceptrn' .*did you mean "
                       "01_perceptron"):
        course.main(["--root", str(course_copy), "duedate", "01_perceptrn",
                     "2026-12-14 23:59 UTC"])
    assert not (course_copy / "gradebook.db").exists()


def test_duedate_set_show_and_clear(course_copy, capsys):
    def run(*args):
        assert course.main(["--root", str(course_copy), "duedate", "01_perceptron", *args]) == 0
        return capsys.readouterr()

    assert "not in the gradebook yet" in run().out
    shown = run("2030-01-10 12:00 UTC").out
    assert "$ nbgrader db assignment add 01_perceptron '--duedate=2030-01-10 12:00:00 UTC'" in shown
    assert "01_perceptron is due 2030-01-10 12:00 UTC" in run().out
    past = run("2020-01-10 12:00 UTC")
    assert "in the past" in past.err
    assert "no due date now" in run("none").out
    assert "has no due date" in run().out

    # collect adds nbgrader's --before-duedate only while there is a due date
    coursedir = course.load_coursedir(course_copy)[1]
    assert duedate.collect_options(coursedir, "01_perceptron", latest=False) == []
    run(datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    assert duedate.collect_options(coursedir, "01_perceptron", latest=False) == [
        "--before-duedate"]
    assert duedate.collect_options(coursedir, "01_perceptron", latest=True) == []


@pytest.mark.parametrize("text, hours", [
    ("2d", 48), ("36h", 36), ("1d 12h", 36), ("1d12h", 36), ("90min", 1.5), ("2D", 48),
    ("1d 2h 30min", 26.5), ("none", None), ("0d", None),
])
def test_parse_extension(text, hours):
    got = duedate.parse_extension(text)
    assert (got if got is None else got.total_seconds() / 3600) == hours


@pytest.mark.parametrize("text", ["2", "two days", "2 days", "-1d", "1.5d", "", "2h 1d"])
def test_parse_extension_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError, match="give days, hours or minutes, as in '2d', '36h'"):
        duedate.parse_extension(text)


@pytest.mark.parametrize("text", ["366d", "99999999999d", "9000h"])
def test_parse_extension_refuses_more_than_a_year(text):
    with pytest.raises(ValueError, match="longer than a year; give at most '365d'"):
        duedate.parse_extension(text)


def _submit(course, student, when):
    """A submission of 01_perceptron in the exchange's inbound, made at ``when``."""
    stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    folder = course / "exchange" / "intro-dl" / "inbound" / f"{student}+01_perceptron+{stamp}"
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(stamp)
    return stamp


def test_extend_and_collect_by_each_students_due_date(course_copy, capsys):
    def run(command, *args, status=0):
        assert course.main(["--root", str(course_copy), command, *args]) == status
        return capsys.readouterr()

    a = "01_perceptron"
    run("duedate", a, "2030-01-10 12:00 UTC")
    due = datetime(2030, 1, 10, 12, tzinfo=UTC)
    # each: on time, a day late, three days late ("ann[1]" next to "ann1": a glob pattern)
    students = ("alice", "bob", "ann[1]", "ann1")
    stamps = {s: [_submit(course_copy, s, due + late) for late in (
        timedelta(hours=-1), timedelta(days=1), timedelta(days=3))] for s in students}

    # unknown students are refused; those who submitted are known
    err = run("extend", a, "alcie", "2d", status=1).err
    assert "no student 'alcie'" in err and "did you mean alice?" in err
    assert "nbgrader db student add alcie" in err
    assert "alice has no extension for 01_perceptron: due 2030-01-10 12:00 UTC" in run(
        "extend", a, "alice").out
    assert "alice has 2 d more for 01_perceptron: due 2030-01-12 12:00 UTC" in run(
        "extend", a, "alice", "2d").out
    assert "  alice: 2 d more, until 2030-01-12 12:00 UTC" in run("duedate", a).out
    with pytest.raises(SystemExit, match="cannot read the extension '2 days'"):
        course.main(["--root", str(course_copy), "extend", a, "alice", "2 days"])
    assert "did you mean alice?" in run("extend", a, "alcie", status=1).err
    run("extend", a, "ann[1]", "2d")

    # collect by each one's due date: alice's and ann[1]'s submission a day late is within
    # their extension (the one three days late is not); bob's and ann1's are late
    out = run("collect", a, "--ExchangeCollect.check_owner=False").out
    assert "by their own due date for the 2 with an extension" in out
    submitted = {s: (course_copy / "submitted" / s / a / "timestamp.txt").read_text()
                 for s in students}
    assert submitted == {"alice": stamps["alice"][1], "bob": stamps["bob"][0],
                         "ann[1]": stamps["ann[1]"][1], "ann1": stamps["ann1"][0]}

    # the gradebook says alice's late submission is not late (nbgrader adds the extension)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course_copy / 'gradebook.db'}") as gb:
        gb.update_or_create_submission(a, "alice", timestamp=stamps["alice"][1])
        assert gb.find_submission(a, "alice").total_seconds_late == 0

    out = run("extend", a, "alice", "none").out
    assert "alice has no extension for 01_perceptron: due 2030-01-10" in out
    assert "removed" in out and "autograde 01_perceptron --student=alice --force" in out
    assert "alice" not in run("duedate", a).out
    with Gradebook(f"sqlite:///{course_copy / 'gradebook.db'}") as gb:
        assert gb.find_submission(a, "alice").timestamp is not None  # kept: it was graded

    # an extension for someone who has not submitted makes a submission record (nbgrader
    # keeps extensions there); taking it away removes that record again
    with Gradebook(f"sqlite:///{course_copy / 'gradebook.db'}") as gb:
        gb.add_student("carol")
    assert "cells can no longer be added" in run("extend", a, "carol", "1d").out
    with Gradebook(f"sqlite:///{course_copy / 'gradebook.db'}") as gb:
        assert gb.find_submission(a, "carol").extension == timedelta(days=1)
    run("extend", a, "carol", "none")
    with Gradebook(f"sqlite:///{course_copy / 'gradebook.db'}") as gb:
        assert "carol" not in {s.student_id for s in gb.assignment_submissions(a)}


def test_an_extension_needs_a_due_date(course_copy, capsys):
    assert course.main(["--root", str(course_copy), "extend", "01_perceptron", "alice",
                        "2d"]) == 1
    assert "01_perceptron is not in the gradebook yet (not released), so there is nothing to " \
        "extend: set a due date first" in capsys.readouterr().err
    assert course.main(["--root", str(course_copy), "duedate", "01_perceptron", "none"]) == 0
    assert course.main(["--root", str(course_copy), "extend", "01_perceptron", "alice",
                        "2d"]) == 1
    assert "01_perceptron has no due date, so there is nothing to extend" in (
        capsys.readouterr().err)


def test_each_in_process_nbgrader_command_reads_its_own_course(course_copy, tmp_path_factory):
    """``nbgrader db assignment add`` is two subcommands deep: its configuration from one
    course must not linger into the next command, run for another course."""
    from nbgrader.api import Gradebook

    other = tmp_path_factory.mktemp("other") / "course"
    shutil.copytree(course_copy, other)
    for root, when in ((course_copy, "2030-01-10 12:00 UTC"), (other, "2031-02-11 13:00 UTC")):
        assert course.main(["--root", str(root), "duedate", "01_perceptron", when]) == 0
    for root, year in ((course_copy, 2030), (other, 2031)):
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            assert gb.find_assignment("01_perceptron").duedate.year == year
