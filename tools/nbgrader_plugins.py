"""What nbgrader 0.9 lacks for fair grading, as nbgrader preprocessors.

Registered in ``nbgrader_config.py``, so they act wherever nbgrader grades or writes
feedback (the command line, ``tools.course`` and the Formgrader alike):

- ``RepairCells`` (autograde, sanitizing step; replaces nbgrader's ``DeduplicateIds``):
  a cell copied or split by the student (a second cell with the same ``grade_id``, or
  nbgrader metadata that no longer validates) would make nbgrader fail the whole
  submission (nbgrader #1083). The first cell of each ``grade_id`` keeps its role; the
  others become ordinary cells, still run in their place. Works on nbgrader's copy in
  ``autograded/``; the submitted file is never written.
- ``SafeExecute`` (autograde, replaces nbgrader's ``Execute``): when the kernel dies
  (``os._exit``, a segfault, out of memory), nbgrader discards the submission's grades.
  Here the cell that killed it and every later cell get an error output, so the
  submission keeps the points earned before the crash. A cell that times out is
  interrupted (nbgrader's behaviour); if the kernel still does not answer, it is shut
  down and the rest is treated as after a crash, so one hung submission costs at most
  one timeout instead of one per remaining cell.
- ``HideHiddenTests`` (generate_feedback): the feedback HTML shows each test cell's
  output and the failure message, but not the code between ``### BEGIN HIDDEN TESTS``
  and ``### END HIDDEN TESTS`` (nbgrader prints it, #917, #1363), nor traceback frames
  that quote it.

- ``IsolatedExecute`` (autograde, replaces ``SafeExecute`` there): the student's code
  runs in a sandbox and the test cells in a separate trusted process that decides every
  verdict (``tools/judge.py``, ``tools/sandbox.py``): no hook, patched builtin, lying
  object or file written by the submission can pass a test, read the solutions or the
  gradebook, or touch another student's files. It keeps SafeExecute's behaviour for
  crashes and hangs (the points earned before stay; the batch goes on).

- ``ExtensionCollect`` (collect, replaces nbgrader's ``ExchangeCollect``): with
  ``--before-duedate``, a student given an extension (``python -m tools.course extend``)
  has their newest submission made by their own due date collected; nbgrader's looks at
  the assignment's due date only, though its gradebook adds the extension when it
  decides how late a submission is.

``find_problems`` is the check behind ``RepairCells``; ``python -m tools.course
autograde`` uses it to report malformed submissions before grading.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from functools import cache, partial
from pathlib import Path
from queue import Empty
from time import monotonic

from jsonschema import ValidationError as SchemaError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat.notebooknode import NotebookNode
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat import common as _nbgrader_schemas
from nbgrader.nbgraderformat.common import SchemaMismatchError
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, OverwriteCells
from traitlets import Enum, Integer, Unicode

__all__ = ["find_problems", "PutBackCells", "RepairCells", "SafeExecute", "IsolatedExecute",
           "HideHiddenTests"]

JUDGE = Path(__file__).resolve().parent / "judge.py"


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


class _CheckedSchemas:
    """``jsonschema`` as nbgrader's metadata validator (``nbgraderformat.common``) uses it:
    ``validate`` as jsonschema's, except that each schema is checked against its
    meta-schema once, not again for every cell (nbgrader's check of one submission's
    cells spent most of its 0.3 s there). nbgrader reads its schema file afresh for each
    validator it makes, so schemas are recognised by content: one entry per schema
    version, however long the process runs."""

    def __init__(self):
        self._validators: list[tuple] = []  # (schema, its validator)

    def validate(self, instance, schema):
        validator = next((v for known, v in self._validators
                          if known is schema or known == schema), None)
        if validator is None:
            cls = validator_for(schema)
            cls.check_schema(schema)
            validator = cls(schema)
            self._validators.append((schema, validator))
        error = best_match(validator.iter_errors(instance))
        if error is not None:
            raise error


_nbgrader_schemas.jsonschema = _CheckedSchemas()

def _metadata_problem(cell, validator) -> str | None:
    """Why nbgrader would reject the cell's metadata, or None."""
    try:
        validator.validate_cell(cell)
        validator.validate_nb(NotebookNode(cells=[cell]))
    except (ValidationError, SchemaError, SchemaMismatchError, KeyError, TypeError,
            AttributeError) as err:
        return err.message if isinstance(err, SchemaError) else str(err)
    return None


def find_problems(nb, known_ids=None) -> list[tuple[int, str, str]]:
    """The cells whose nbgrader metadata would stop nbgrader from grading ``nb``.

    Parameters
    ----------
    nb : NotebookNode
        A submitted notebook.
    known_ids : set of str, optional
        The grade_ids of the released notebook; a cell naming another id is a problem.

    Returns
    -------
    list of (int, str, str)
        ``(cell index, what is wrong, what grading does about it)``, in notebook order.
        The first cell of each grade_id is never listed as a duplicate: it is the one kept.
    """
    problems, seen, validator = [], {}, MetadataValidator()
    for index, cell in enumerate(nb.cells):
        if "nbgrader" not in cell.get("metadata", {}):
            continue
        meta = cell.metadata.nbgrader
        grade_id = meta.get("grade_id") if isinstance(meta, dict) else None
        where = f"cell {index + 1}" + (f" ({grade_id!r})" if grade_id else "")
        what = _metadata_problem(cell, validator)
        if what is not None:
            problems.append((index, f"{where}: its nbgrader metadata is invalid ({what})",
                             "it runs as an ordinary cell"))
            continue
        if not (meta.get("grade") or meta.get("solution") or meta.get("locked")
                or meta.get("task")):
            continue
        if grade_id in seen:
            problems.append((index, f"{where}: a copy of cell {seen[grade_id] + 1} (same "
                             "grade_id)", "the first is graded; this one runs as an ordinary cell"))
        elif known_ids is not None and grade_id not in known_ids:
            problems.append((index, f"{where}: not a cell of this assignment",
                             "it runs as an ordinary cell"))
        else:
            seen[grade_id] = index
    return problems


class PutBackCells(OverwriteCells):
    """nbgrader's OverwriteCells, but a deleted test cell whose answer cell is gone too (a
    whole exercise deleted; cells pasted into a new notebook) is put back after the
    nearest earlier cell of the assignment still there, or first. nbgrader looks up only
    the cell just before it and fails the whole submission with a KeyError (0 points)."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        cells = source_nb.source_cells
        order = [cell.name for cell in cells]
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for position, name in enumerate(order):
            where = {c["metadata"]["nbgrader"].get("grade_id"): i
                     for i, c in enumerate(nb.cells) if "nbgrader" in c.get("metadata", {})}
            if name not in grade_cells or name in where:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", name)
            before = [where[n] for n in order[:position] if n in where]
            cell = self.missing_cell_transform(cells[position], grade_cells[name].max_score,
                                               is_solution=name in solution_ids)
            cell.setdefault("id", name[:64])  # (nbformat 4.5 wants one)
            nb.cells.insert(max(before) + 1 if before else 0, cell)
        return nb, resources


class RepairCells(NbGraderPreprocessor):
    """Make a copied, split or foreign nbgrader cell an ordinary cell (see the module)."""

    def preprocess(self, nb, resources):
        known = None
        info = resources.get("nbgrader", {})
        if info.get("db_url"):
            with Gradebook(info["db_url"]) as gb:
                try:
                    source = gb.find_notebook(info["notebook"], info["assignment"])
                except MissingEntry:
                    source = None
                if source is not None:
                    known = {c.name for c in source.source_cells}
        for index, problem, action in find_problems(nb, known):
            self.log.warning("%s/%s: %s; %s.", info.get("student", "?"),
                             info.get("notebook", "?"), problem, action)
            del nb.cells[index].metadata["nbgrader"]
        return nb, resources


class SafeExecute(Execute):
    """nbgrader's Execute, surviving a kernel that dies or stops answering (see the module)."""

    recovery_timeout = Integer(
        10, help="Seconds a kernel has to answer after a timed-out cell was interrupted."
    ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = None  # why the remaining cells are not run
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._stopped:
            cell.outputs = [_error("NotRun", self._stopped)]
            return cell, self.resources
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        where = f"cell {index + 1}" + (f" ({grade_id!r})" if grade_id else "")
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self.log.error("The kernel died in %s; the cells after it are not run.", where)
            cell.outputs.append(_error(
                "DeadKernelError", "The kernel died while running this cell (os._exit, a "
                "crash or running out of memory). The cells after it were not run."))
            self._stopped = f"This cell was not run: the kernel died in {where}."
            return cell, self.resources
        except CellTimeoutError:  # no interrupt, or the kernel went on after it
            self.log.error("%s ran out of time and the kernel did not stop; stopping it.", where)
            cell.outputs.append(_error(
                "CellTimeoutError", f"This cell ran out of time ({self.timeout} s) and did not "
                "stop when interrupted. The cells after it were not run."))
            self._stop_kernel(f"This cell was not run: {where} ran out of time.")
            return cell, self.resources
        timed_out = any(o.output_type == "error" and o.get("ename") == "CellTimeoutError"
                        for o in cell.outputs)
        if timed_out and not self._kernel_answers():
            self.log.error("The kernel does not answer after %s timed out; stopping it.", where)
            self._stop_kernel(f"This cell was not run: {where} ran out of time and the "
                              "kernel did not recover.")
        return cell, resources

    def _stop_kernel(self, reason: str) -> None:
        self._stopped = reason
        if self.km is not None:
            run_sync(self.km.shutdown_kernel)(now=True)

    def _kernel_answers(self) -> bool:
        """Whether the kernel replies to kernel_info within ``recovery_timeout``: requests
        on the shell channel wait until the interrupted cell has really stopped."""

        async def probe() -> bool:
            msg_id = self.kc.kernel_info()
            deadline = monotonic() + self.recovery_timeout
            while (left := deadline - monotonic()) > 0:
                try:
                    msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=left))
                except Empty:
                    return False
                if msg["parent_header"].get("msg_id") == msg_id:
                    return True
            return False

        return run_sync(probe)()


class IsolatedExecute(SafeExecute):
    """Run a submission with its student code sandboxed and its tests judged outside it.

    Each code cell gets a role from the gradebook (what ``generate_assignment`` stored):
    a locked cell whose source is the released one is *trusted*: a test cell (graded) or
    a set-up cell; every other cell is the student's. The judge runs trusted cells in its
    own process and the student's cells in the sandbox, and writes every cell's outputs;
    nbgrader then grades them as usual. ``Execute.timeout`` is the limit per cell,
    ``SafeExecute.recovery_timeout`` the time an interrupted cell has to stop.
    """

    isolation = Enum(["bwrap", "process"], default_value=os.environ.get(
        "GRADING_ISOLATION", "bwrap"), help="bwrap: bubblewrap sandbox (Linux); process: "
        "limits and a private folder only, the file system stays readable (see "
        "tools/sandbox.py).").tag(config=True)
    memory_mb = Integer(4096, help="Address-space limit of the student's process (MB).").tag(
        config=True)
    cpu_seconds = Integer(1800, help="CPU-time limit of one submission (s).").tag(config=True)
    file_mb = Integer(64, help="Largest file the student's code may write, and the size "
                      "of its private /tmp (MB).").tag(config=True)
    submission_timeout = Integer(1800, help="Wall-clock limit of one submission (s).").tag(
        config=True)
    cpu = Integer(-1, help="The CPU that the judge and the student's process share (-1: "
                  "one of this process's CPUs, chosen by its process id). On one CPU, their "
                  "messages do not wait for another CPU to wake up (10x faster on a VM)."
                  ).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        problem = _mlkit_mismatch()
        if problem:  # every test needing mlkit would fail: refuse rather than grade low
            raise RuntimeError(f"cannot grade: {problem}")
        info = (resources or {}).get("nbgrader", {})
        trusted, tests = self._trusted_cells(info)
        code = [c for c in nb.cells if c.cell_type == "code"]
        job = {"cells": [{"source": c.source, "role": self._role(c, trusted, tests)}
                         for c in code],
               "timeout": self.timeout if self.timeout is not None else 120,
               "recovery": self.recovery_timeout, "isolation": self.isolation,
               "limits": {"memory_mb": self.memory_mb, "cpu_seconds": self.cpu_seconds,
                          "file_mb": self.file_mb}}
        result = self._judge(job)
        for cell, out in zip(code, result["cells"], strict=True):
            cell.outputs = [NotebookNode(o) for o in out["outputs"]]
            cell.execution_count = out.get("execution_count")
        if result.get("stopped"):
            self.log.warning("%s/%s: %s", info.get("student", "?"), info.get("notebook", "?"),
                             result["stopped"])
        return nb, resources

    def _trusted_cells(self, info):
        """The released source of each locked code cell, and the ids of the test cells."""
        if not info.get("db_url"):
            return {}, set()
        with Gradebook(info["db_url"]) as gb:
            try:
                source = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return {}, set()
            trusted = {c.name: c.source for c in source.source_cells
                       if c.locked and c.cell_type == "code"}
            tests = {c.name for c in source.grade_cells if c.cell_type == "code"}
        return trusted, tests

    @staticmethod
    def _role(cell, trusted, tests) -> str:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id in trusted and meta.get("locked") and not meta.get("solution") \
                and cell.source == trusted[grade_id]:
            return "test" if grade_id in tests and meta.get("grade") else "setup"
        return "student"

    def _judge(self, job) -> dict:
        """Run the job in a judge of its own (never in this process: its tests' state
        stays there): forked by this CPU's judge server, or started afresh if there is
        none (the outputs are the same; the fork saves 0.2 s of start-up)."""
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        cpu = cpus[(self.cpu if self.cpu >= 0 else os.getpid()) % len(cpus)] if cpus else None
        server = _JudgeServer.get(cpu)
        why = None
        if server is not None:
            try:
                reply = server.run(job, self.submission_timeout)
                if reply["exit"] == 0 and isinstance(reply.get("result"), dict):
                    return reply["result"]
                why = (f"the grader failed (exit code {reply['exit']}): "
                       + str(reply.get("log") or "").strip()[-2000:])
            except TimeoutError:
                why = (f"grading this submission took longer than {self.submission_timeout} s "
                       "and was stopped")
            except (OSError, ValueError, KeyError, TypeError) as err:
                self.log.warning("the judge server stopped (%s); starting judges afresh", err)
                server.close()
        if why is None:
            outcome = self._judge_afresh(job, cpu)
            if isinstance(outcome, dict):
                return outcome
            why = outcome
        self.log.error(why)
        return {"cells": [{"outputs": [_error("GradingError", why)], "execution_count": None}
                          for _ in job["cells"]], "stopped": why}

    def _judge_afresh(self, job, cpu) -> dict | str:
        """``python -I tools/judge.py`` for this job alone: its result, or why it failed."""
        env = _judge_environment()
        with tempfile.TemporaryDirectory(prefix="judge-") as tmp:
            env["HOME"] = env["MPLCONFIGDIR"] = tmp
            try:
                proc = subprocess.run([sys.executable, "-I", str(JUDGE)], input=json.dumps(job),
                                      capture_output=True, text=True, cwd=tmp, env=env,
                                      timeout=self.submission_timeout,
                                      preexec_fn=partial(_pin, cpu))
                if proc.returncode == 0:
                    return json.loads(proc.stdout)
                return (f"the grader failed (exit code {proc.returncode}): "
                        + proc.stderr.strip()[-2000:])
            except subprocess.TimeoutExpired:
                return (f"grading this submission took longer than {self.submission_timeout} s "
                        "and was stopped")
            except ValueError:
                return "the grader gave no result"


def _judge_environment() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg"}


def _pin(cpu) -> None:
    """In a judge's process, before exec: the judge and its sandbox share one CPU."""
    if cpu is not None:
        os.sched_setaffinity(0, {cpu})


@cache
def _mlkit_mismatch() -> str | None:
    """tools.sandbox.mlkit_mismatch, once per process (it starts a Python)."""
    from tools.sandbox import mlkit_mismatch

    return mlkit_mismatch()


def _code_stamp() -> tuple:
    """When the judge's code (tools/, mlkit/ and its subpackages) last changed: a server
    older than that is replaced (a long-running Formgrader picks up an update)."""
    stamps = []
    for folder in (JUDGE.parent, JUDGE.parent.parent / "mlkit"):
        for path in folder.rglob("*.py"):
            with contextlib.suppress(OSError):  # a file removed meanwhile
                stamps.append(path.stat().st_mtime_ns)
    return (max(stamps, default=0), len(stamps))


class _JudgeServer:
    """``python -I tools/judge.py --serve`` (see ``judge.serve``): one per CPU in this
    process, pinned to that CPU, forking a fresh judge for each submission."""

    _running: dict = {}

    @classmethod
    def get(cls, cpu) -> _JudgeServer | None:
        stamp = _code_stamp()
        server = cls._running.get(cpu)
        if server is not None and (server.proc.poll() is not None or server.stamp != stamp):
            server.close()
            server = None
        if server is None:
            try:
                server = cls._running[cpu] = cls(cpu, stamp)
            except OSError:
                return None
        return server

    def __init__(self, cpu, stamp):
        self.cpu, self.stamp, self._buffer = cpu, stamp, bytearray()
        self.folder = tempfile.mkdtemp(prefix="judges-")
        env = dict(_judge_environment(), HOME=self.folder, MPLCONFIGDIR=self.folder)
        self.proc = subprocess.Popen([sys.executable, "-I", str(JUDGE), "--serve"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     cwd=self.folder, env=env, preexec_fn=partial(_pin, cpu))
        atexit.register(self.close)

    def run(self, job: dict, timeout: float) -> dict:
        """The server's report on ``job``. TimeoutError after ``timeout`` s (the job's judge
        is then killed); OSError or ValueError if the server itself failed."""
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()
        try:
            pid = self._reply(monotonic() + 60)["pid"]
        except TimeoutError:
            raise OSError("it started no judge within 60 s") from None
        try:
            return self._reply(monotonic() + timeout)
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)  # its sandbox dies with it
            try:
                self._reply(monotonic() + 60)  # the report of the killed judge
            except (TimeoutError, OSError, ValueError):
                self.close()  # out of step: the next submission gets a new server
            raise

    def _reply(self, deadline: float) -> dict:
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            wait = deadline - monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise OSError("it closed its output")
            self._buffer += chunk
        end = self._buffer.index(b"\n")
        line = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        reply = json.loads(line)
        if not isinstance(reply, dict):
            raise ValueError("a reply that is not an object")
        return reply

    def close(self) -> None:
        if self._running.get(self.cpu) is self:
            del self._running[self.cpu]
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(OSError):
            self.proc.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback without the source of hidden tests (see the module)."""

    begin = Unicode("### BEGIN HIDDEN TESTS").tag(config=True)
    end = Unicode("### END HIDDEN TESTS").tag(config=True)
    placeholder = Unicode("# (hidden tests: not shown in the feedback)").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or self.begin not in cell.source:
            return cell, resources
        lines, hidden = [], False
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped.startswith(self.begin):
                hidden = True
                lines.append(line[: len(line) - len(line.lstrip())] + self.placeholder)
            elif stripped.startswith(self.end):
                hidden = False
            elif not hidden:
                lines.append(line)
        cell.source = "\n".join(lines)
        # IPython's traceback quotes the lines around the failure: keep the message only.
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                output.traceback = [f"\x1b[0;31m{output.ename}\x1b[0m: {output.evalue}",
                                    "(traceback not shown: this test cell has hidden tests)"]
        return cell, resources


class ExtensionCollect(ExchangeCollect):
    """nbgrader's collect, where ``--before-duedate`` takes each student's own due date:
    the assignment's plus their extension, as the gradebook keeps it."""

    def init_src(self):
        super().init_src()
        if not (self.before_duedate and self.duedate):
            return
        assignment = self.coursedir.assignment_id
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            due = {s.student_id: s.duedate for s in gb.assignment_submissions(assignment)
                   if s.extension}
        for i, chosen in enumerate(self.src_records):
            student = chosen["username"]
            if student in due:
                pattern = os.path.join(self.inbound_path, glob.escape(f"{student}+{assignment}+")
                                       + "*")
                records = self._sort_by_timestamp(map(self._path_to_record, glob.glob(pattern)))
                self.src_records[i] = next(
                    (r for r in records if r["timestamp"] <= due[student]), chosen)
