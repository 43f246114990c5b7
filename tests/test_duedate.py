"""Due dates: what an instructor may type, and what the course's commands do with it.

The whole cycle with a due date (a late resubmission, collect by the due date, --latest,
the late report) runs in tests/test_workflow.py.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

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
    (86400 * 2 + 3 * 3600 + 5, "2 d 3 h"),
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
