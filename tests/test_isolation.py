"""Isolated grading, piece by piece: the wire format, the sandbox, and the judge.

The whole pipeline (nbgrader, a course, dozens of dishonest submissions) is exercised by
``tests/test_integrity.py``; here each guarantee is pinned down on its own, with small
cells, so that a failure names the broken piece.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tools import wire
from tools.judge import run_job
from tools.sandbox import Limits, Sandbox, SandboxDied, bwrap_available, seccomp_program

ISOLATION = os.environ.get("GRADING_ISOLATION", "bwrap")


@pytest.fixture(scope="module", autouse=True)
def _bubblewrap_is_there():
    """The default isolation needs bubblewrap: say how to get it instead of failing
    obscurely (CI installs it in .ci/run)."""
    if ISOLATION == "bwrap":
        problem = bwrap_available()
        assert problem is None, f"{problem}; or run with GRADING_ISOLATION=process"


# --- the wire ------------------------------------------------------------------------------
plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


@given(plain)
def test_plain_data_survives_the_wire(value):
    assert wire.decode(json.loads(json.dumps(wire.encode(value)))) == value


@given(hnp.arrays(hnp.scalar_dtypes().filter(lambda d: d.kind in "biufc"),
                  hnp.array_shapes(min_dims=0, max_dims=3, max_side=4)))
def test_arrays_survive_the_wire_with_shape_and_dtype(a):
    b = wire.decode(json.loads(json.dumps(wire.encode(a))))
    assert b.dtype == a.dtype and b.shape == a.shape
    assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")


def test_special_floats_scalars_and_generators():
    value = [math.inf, -math.inf, np.float32(1.5), np.int64(3), np.bool_(True), 2 + 1j, b"x",
             {1, 2}, slice(1, None, 2)]
    back = wire.decode(json.loads(json.dumps(wire.encode(value))))
    assert back[:2] == [math.inf, -math.inf] and math.isnan(wire.decode(wire.encode(math.nan)))
    assert type(back[2]) is np.float32 and type(back[3]) is np.int64
    assert type(back[4]) is np.bool_ and back[5:] == value[5:]
    rng = np.random.default_rng(7)
    copy = wire.decode(wire.encode(rng))
    assert copy.random() == rng.random()


def test_subclasses_arrive_as_their_plain_base_type():
    class Liar(float):
        def __eq__(self, other):
            return True

    class Arr(np.ndarray):
        def __eq__(self, other):
            return True

    got = wire.decode(wire.encode([Liar(0.25), np.zeros(2).view(Arr)]))
    assert type(got[0]) is float and got[0] != 1.0
    assert type(got[1]) is np.ndarray and not (got[1] == 1).any()


def test_objects_that_are_not_data_need_a_reference():
    with pytest.raises(TypeError, match="not plain data"):
        wire.encode(object())
    ref = wire.Ref("w", 3, "function", "f")
    assert wire.encode(lambda: 1, lambda obj: ref) == {"$r": ["w", 3, "function", "f"]}


@pytest.mark.parametrize("message, why", [
    ({"$a": ["|O", [1], "AA=="]}, "not plain numbers"),
    ({"$a": ["<f8", [2], "AAAAAAAAAAA="]}, "does not match"),
    ({"$zz": 1}, "malformed|unknown tag"),
    ({"$a": 1, "$t": 2}, "unexpected dict"),
    ({"$r": ["x", 1, "k", "t"]}, "unknown tag"),
    ({"$o": ["os:system", {"$d": []}]}, "not an mlkit object"),
    ({"$rng": ["Evil", 1]}, "unknown tag"),
])
def test_malformed_messages_are_rejected(message, why):
    with pytest.raises(wire.ProtocolError, match=why):
        wire.decode(message)


def test_deep_nesting_is_rejected():
    deep = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(wire.ProtocolError, match="deeply"):
        wire.decode(deep)


def test_a_message_cut_short_is_a_protocol_error():
    r, w = os.pipe()
    os.write(w, b"\x00\x00\x00\x10{")
    os.close(w)
    with pytest.raises(wire.ProtocolError, match="closed"):
        wire.receive(r)
    os.close(r)


def test_nothing_arriving_before_the_deadline_is_a_timeout():
    r, w = os.pipe()
    with pytest.raises(wire.ChannelTimeout):
        wire.receive(r, time.monotonic() + 0.05)
    os.close(r), os.close(w)


def test_seccomp_program_is_whole_instructions():
    program = seccomp_program()
    assert program is None or len(program) % 8 == 0


# --- the sandbox ---------------------------------------------------------------------------
def _student(source: str, **limits):
    """Run one student cell in a sandbox; (outputs, error)."""
    with Sandbox(ISOLATION, Limits(**limits)) as sb:
        sb.send({"op": "exec", "source": source})
        reply = sb.receive(time.monotonic() + 60)
    text = "".join(o.get("text", "") for o in reply["outputs"])
    return text, reply["error"]


@pytest.mark.skipif(ISOLATION != "bwrap", reason="only bubblewrap hides the file system")
def test_the_course_home_and_tmp_are_out_of_sight(tmp_path):
    secret = tmp_path / "solutions" / "answer.txt"
    secret.parent.mkdir()
    secret.write_text("42")
    home = os.path.expanduser("~/.grading-test-secret")
    with open(home, "w") as fh:
        fh.write("x")
    try:
        solutions = str(Path(__file__).resolve().parent.parent / "solutions")
        text, error = _student(
            "import os\n"
            f"print([os.path.exists(p) for p in [{str(secret)!r}, {home!r}, {solutions!r},"
            " '/etc/hostname', '/var', '/home']])\n"
            "print(sorted(os.environ))")
    finally:
        os.remove(home)
    assert error is None, error
    assert text.splitlines()[0] == "[False, False, False, False, False, False]"
    assert "NBGRADER_DB_URL" not in text and "HOME" in text


@pytest.mark.skipif(ISOLATION != "bwrap", reason="only bubblewrap hides the file system")
def test_nothing_outside_the_private_tmp_can_be_written(tmp_path):
    import sys

    text, error = _student(
        "import os, errno\n"
        f"for path in ['/etc/x', {str(tmp_path / 'x')!r}, {sys.prefix + '/x'!r},"
        f" {os.path.expanduser('~/x')!r}]:\n"
        "    try:\n"
        "        open(path, 'w').close(); print('wrote', path)\n"
        "    except OSError as err:\n"
        "        print('refused', errno.errorcode[err.errno])\n"
        "with open('/tmp/ok', 'w') as fh:\n    fh.write('fine')\n"
        "with open('/tmp/ok') as fh:\n    print(fh.read())")
    assert error is None, error
    assert "wrote" not in text and text.count("refused") == 4 and text.endswith("fine\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(ISOLATION != "bwrap", reason="only bubblewrap takes the network away")
def test_no_network():
    text, error = _student(
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 22), timeout=2); print('connected')\n"
        "except OSError as err:\n"
        "    print('no network:', type(err).__name__)")
    assert error is None and text.startswith("no network"), (text, error)


@pytest.mark.skipif(seccomp_program() is None, reason="no seccomp filter for this machine")
def test_no_new_processes_but_threads_work():
    text, error = _student(
        "import os, subprocess, threading\n"
        "for make in (os.fork, lambda: subprocess.run(['true'])):\n"
        "    try:\n"
        "        make(); print('made a process')\n"
        "    except OSError as err:\n"
        "        print('refused', err.errno)\n"
        "t = threading.Thread(target=print, args=('thread ran',)); t.start(); t.join()")
    assert error is None, error
    assert "made a process" not in text and text.count("refused 1") == 2
    assert "thread ran" in text


def test_memory_is_limited():
    text, error = _student("import numpy as np\nx = np.ones(2 * 1024**3 // 8)", memory_mb=1024)
    assert error and error["ename"] == "MemoryError", (text, error)


def test_a_file_larger_than_the_limit_cannot_be_written():
    text, error = _student("open('/tmp/big', 'wb').write(b'x' * (3 * 2**20))", file_mb=2)
    assert error is not None and error["ename"] == "OSError", error
    assert "File too large" in error["evalue"] or "No space left" in error["evalue"], error


def test_a_worker_that_exits_is_reported_as_dead():
    with Sandbox(ISOLATION) as sb:
        sb.send({"op": "exec", "source": "import os\nos._exit(3)"})
        with pytest.raises(SandboxDied, match="exited"):
            sb.receive(time.monotonic() + 30)


# --- the judge -----------------------------------------------------------------------------
SETUP = "import numpy as np\nfrom mlkit.testing import check, assert_close, substitute\n"


def _grade(*cells, timeout=10, recovery=2):
    """Run cells given as (role, source); the error name of each (None: passed)."""
    job = {"cells": [{"role": r, "source": s} for r, s in [("setup", SETUP), *cells]],
           "timeout": timeout, "recovery": recovery, "isolation": ISOLATION}
    result = run_job(job)
    verdicts = []
    for cell in result["cells"][1:]:
        errors = [o for o in cell["outputs"] if o["output_type"] == "error"
                  or o.get("name") == "stderr"]
        verdicts.append(errors[0].get("ename", "stderr") if errors else None)
    return verdicts, result


TEST = ("test", "check(np.allclose(double(np.arange(3.0)), [0.0, 2.0, 4.0]), 'wrong')")


def test_right_answers_pass_and_wrong_ones_fail():
    verdicts, _ = _grade(("student", "def double(x):\n    return 2 * x"), TEST,
                         ("student", "def double(x):\n    return x + 1"), TEST)
    assert verdicts == [None, None, None, "AssertionError"]


@pytest.mark.parametrize("cheat", [
    "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)",
    "get_ipython().showtraceback = lambda *a, **k: None",
    "import builtins\nbuiltins.AssertionError = type('Nope', (BaseException,), {})",
    "import numpy\nnumpy.allclose = lambda *a, **k: True",
    "import mlkit.testing\nmlkit.testing.check = lambda *a, **k: None",
    "check = lambda *a, **k: None",
    "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])",
])
def test_hooks_and_patches_in_the_students_process_cannot_pass_a_test(cheat):
    verdicts, _ = _grade(("student", cheat + "\ndef double(x):\n    return x"), TEST)
    assert verdicts == [None, "AssertionError"]


def test_objects_that_equal_anything_do_not_pass():
    verdicts, _ = _grade(
        ("student", "class Anything(float):\n    def __eq__(self, o):\n        return True\n"
                    "    __hash__ = float.__hash__\n"
                    "class Obj:\n    def __eq__(self, o):\n        return True\n"
                    "    def __bool__(self):\n        return True\n"
                    "def f():\n    return Anything(7.0)\n"
                    "def g():\n    return Obj()\n"),
        ("test", "check(f() == 3.0, 'f')"),
        ("test", "check(g() == 3.0, 'g')"),
        ("test", "check(g(), 'g')"))
    assert verdicts == [None, "AssertionError", "AssertionError", "TypeError"]


def test_hidden_test_source_never_reaches_the_student():
    verdicts, result = _grade(
        ("student", "def double(x):\n    return 2 * x"),
        ("test", "SECRET_VALUE_123 = 1\ncheck(double(SECRET_VALUE_123) == 2, 'x')"),
        ("student", "import gc\nprint(any('SECRET_VALUE_123' in str(o) for o in gc.get_objects()"
                    " if isinstance(o, str)), 'SECRET_VALUE_123' in globals())"))
    assert verdicts == [None, None, None]
    assert result["cells"][3]["outputs"][0]["text"] == "False False\n"


def test_arguments_changed_by_the_students_function_are_changed_for_the_test():
    verdicts, _ = _grade(
        ("student", "def scale(x, d):\n    x *= 2\n    d['k'] = 1\n"),
        ("test", "x, d = np.ones(2), {}\nscale(x, d)\ncheck(x.tolist() == [2, 2] and d == {'k': 1},"
                 " 'not copied back')"))
    assert verdicts == [None, None]


def test_arguments_changed_by_the_students_generator_as_it_runs_are_changed_too():
    """A generator runs its body at each next(), after the call that made it returned."""
    verdicts, _ = _grade(
        ("student", "def batches(X, b, rng):\n"
                    "    X[:] = X[rng.permutation(len(X))]\n"
                    "    for s in range(0, len(X), b):\n        yield X[s:s + b]\n"
                    "def pairs(X):\n    return iter(batches(X, 1, np.random.default_rng(0)))"),
        ("test", "X = np.arange(6.0)\ngen = batches(X, 2, np.random.default_rng(0))\n"
                 "check(X.tolist() == list(range(6)), 'changed before it ran')\n"
                 "first = next(gen)\n"
                 "check(X.tolist() != list(range(6)), 'the shuffle did not reach the test')\n"
                 "check(sorted(X.tolist()) == list(range(6)), str(X))\n"
                 "check(np.array_equal(first, X[:2]), f'{first} {X}')\n"
                 "check(np.array_equal(np.concatenate([first, *gen]), X), str(X))"),
        ("test", "X = np.arange(6.0)\nlist(pairs(X))\n"
                 "check(X.tolist() != list(range(6)), 'not through iter() of a result')"),
        # changed by the call itself, before the generator runs; and by the generator later
        ("student", "def lazy(X):\n    X[0] = -1.0\n    yield 1\n    X[1] = -2.0\n    yield 2"),
        ("test", "X = np.zeros(3)\ng = lazy(X)\ncheck(X[0] == 0, 'not yet')\nnext(g)\n"
                 "check(X.tolist() == [-1, 0, 0], str(X))\nnext(g)\n"
                 "check(X.tolist() == [-1, -2, 0], str(X))"),
        ("student", "def eager(X):\n    X[0] = 5.0\n    return iter([1, 2])"),
        ("test", "X = np.zeros(2)\nit = eager(X)\ncheck(X[0] == 5, 'the call itself')\n"
                 "check(list(it) == [1, 2], 'values')"))
    assert verdicts == [None, None, None, None, None, None, None]


def test_substitute_reaches_the_students_code_and_callbacks_work():
    verdicts, _ = _grade(
        ("student", "def helper(x):\n    return x + 100\ndef f(x, g):\n    return helper(g(x))"),
        ("test", "calls = []\n"
                 "with substitute(globals(), helper=lambda x: x):\n"
                 "    out = f(1, lambda v: calls.append(v) or v * 3)\n"
                 "check(out == 3 and calls == [1], f'{out} {calls}')\n"
                 "check(f(1, lambda v: v) == 101, 'helper not restored')"))
    assert verdicts == [None, None]


def test_an_assertion_in_a_tests_callback_fails_the_test_even_if_caught():
    verdicts, _ = _grade(
        ("student", "def f(g):\n    try:\n        g()\n    except Exception:\n        pass\n"),
        ("test", "def never():\n    raise AssertionError('must not be called')\nf(never)"))
    assert verdicts == [None, "AssertionError"]


def test_a_slow_cell_is_interrupted_and_the_next_cells_run():
    verdicts, result = _grade(
        ("student", "import time\ndef double(x):\n    return 2 * x\ntime.sleep(60)"),
        TEST, timeout=1)
    assert verdicts == ["CellTimeoutError", None]
    assert result["stopped"] is None


def test_a_cell_that_ignores_interrupts_stops_the_student_only():
    start = time.monotonic()
    verdicts, result = _grade(
        ("student", "def double(x):\n    return 2 * x\n"),
        ("student", "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n"
                    "    except KeyboardInterrupt:\n        pass"),
        TEST, timeout=1, recovery=1)
    assert verdicts == [None, "CellTimeoutError", "NotRun"]
    assert "did not stop" in result["stopped"] and time.monotonic() - start < 30


def test_a_test_that_calls_a_hanging_function_times_out():
    verdicts, _ = _grade(("student", "def double(x):\n    while True:\n        pass"), TEST,
                         ("student", "def double(x):\n    return 2 * x"), TEST, timeout=1)
    assert verdicts == [None, "CellTimeoutError", None, None]


def test_a_crash_keeps_the_earlier_verdicts():
    verdicts, result = _grade(
        ("student", "def double(x):\n    return 2 * x"), TEST,
        ("student", "import os\nos._exit(1)"), TEST)
    assert verdicts == [None, None, "DeadKernelError", "NotRun"]


def test_errstate_and_warning_filters_of_the_test_reach_the_students_code():
    verdicts, _ = _grade(
        ("student", "def f(x):\n    return np.exp(x)"),
        ("test", "import warnings\nwith warnings.catch_warnings():\n"
                 "    warnings.simplefilter('error')\n"
                 "    with np.errstate(over='raise'):\n"
                 "        try:\n            f(np.array([1000.0]))\n"
                 "        except FloatingPointError:\n            pass\n"
                 "        else:\n            raise AssertionError('no error')"))
    assert verdicts == [None, None]


def test_each_request_runs_under_the_tests_filters_of_that_moment():
    # the worker keeps the last filters it was sent: changes either way must reach it,
    # and a filter set by the student's code must not outlast its request
    verdicts, _ = _grade(
        ("student", "import warnings\ndef w():\n    warnings.warn('careful', UserWarning)\n"
                    "    return 1\ndef ignore_all():\n    warnings.simplefilter('ignore')"),
        ("test", "import warnings\n"
                 "with warnings.catch_warnings():\n"
                 "    warnings.simplefilter('ignore')\n"
                 "    w()\n"
                 "    with warnings.catch_warnings():\n"
                 "        warnings.simplefilter('error')\n"
                 "        for _ in range(2):\n"
                 "            try:\n                w()\n"
                 "            except UserWarning:\n                pass\n"
                 "            else:\n"
                 "                raise AssertionError('the error filter was lost')\n"
                 "            ignore_all()\n"
                 "    check(w() == 1, 'the ignore filter did not come back')"))
    assert verdicts == [None, None]


def test_process_isolation_also_decides_verdicts_outside():
    job = {"cells": [{"role": "setup", "source": SETUP},
                     {"role": "student", "source": "import builtins\n"
                      "builtins.AssertionError = type('N', (BaseException,), {})\n"
                      "def double(x):\n    return x"},
                     {"role": TEST[0], "source": TEST[1]}],
           "timeout": 10, "isolation": "process"}
    outputs = run_job(job)["cells"][2]["outputs"]
    assert outputs and outputs[0]["ename"] == "AssertionError"


def test_assert_not_calling_watches_the_students_generator_as_it_runs():
    verdicts, _ = _grade(
        ("student", "import mlkit.activations\n"
                    "def gen(n):\n    for i in range(n):\n"
                    "        yield float(mlkit.activations.sigmoid(0.0))"),
        ("test", "from mlkit.testing import assert_not_calling\n"
                 "assert_not_calling(lambda: list(gen(2)))"),
        ("test", "check(list(gen(2)) == [0.5, 0.5], 'values')"))
    assert verdicts == [None, "AssertionError", None]


# --- the judge server (tools/judge.py --serve, as IsolatedExecute uses it) ------------------
def _job(*cells, timeout=10):
    return {"cells": [{"role": r, "source": s} for r, s in [("setup", SETUP), *cells]],
            "timeout": timeout, "recovery": 2, "isolation": ISOLATION}


def test_the_judge_server_forks_a_fresh_judge_for_each_job():
    from tools.nbgrader_plugins import _JudgeServer

    server = _JudgeServer.get(None)
    try:
        right = _job(("student", "def double(x):\n    return 2 * x"), TEST,
                     ("test", "import os\nprint(os.getpid(), os.getcwd() == os.environ['HOME'])\n"
                              "import mlkit.testing as t\n"  # module state outlives a job
                              "check(not hasattr(t, 'leftover'), 'state from a judge before')\n"
                              "t.leftover = 1"))
        wrong = _job(("student", "def double(x):\n    return x"), TEST)
        first, second = server.run(right, 60), server.run(wrong, 60)
        third = server.run(right, 60)
        assert first["exit"] == second["exit"] == third["exit"] == 0
        assert first["result"]["cells"][2]["outputs"] == []  # as run_job in this process
        assert third["result"]["cells"][3]["outputs"][1:] == []  # no state from `first`
        assert second["result"]["cells"][2]["outputs"][0]["ename"] == "AssertionError"
        prints = [r["result"]["cells"][3]["outputs"][0]["text"].split() for r in (first, third)]
        assert prints[0][1] == prints[1][1] == "True"  # a folder of its own, as HOME
        assert prints[0][0] != prints[1][0]  # and a process of its own
    finally:
        server.close()


def test_the_judge_server_survives_a_failing_judge_and_a_timeout():
    from tools.nbgrader_plugins import _JudgeServer

    server = _JudgeServer.get(None)
    try:
        broken = server.run({"cells": "not a list of cells"}, 60)  # the judge itself fails
        assert broken["exit"] != 0 and broken["result"] is None
        assert "Traceback" in broken["log"]
        slow = _job(("test", "import time\ntime.sleep(30)"))
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            server.run(slow, 1)
        assert time.monotonic() - start < 10
        again = server.run(_job(("student", "def double(x):\n    return 2 * x"), TEST), 60)
        assert again["exit"] == 0 and again["result"]["cells"][2]["outputs"] == []
    finally:
        server.close()
    assert _JudgeServer.get(None) is not server  # a closed server is replaced
    _JudgeServer.get(None).close()


def test_grading_refuses_an_environment_whose_mlkit_is_another_checkout(tmp_path):
    """The worker and the judge run `python -I`, so they import the environment's mlkit:
    grading a copy of the course whose mlkit the environment does not hold would fail
    every test cell that needs mlkit, and score correct work low without a word."""
    import shutil
    import subprocess
    import sys

    from tools.sandbox import mlkit_mismatch

    assert mlkit_mismatch() is None  # this checkout, installed with pip install -e
    root = Path(__file__).resolve().parent.parent
    skip = shutil.ignore_patterns("__pycache__")
    for folder in ("mlkit", "tools", "solutions/01_perceptron"):
        shutil.copytree(root / folder, tmp_path / folder, ignore=skip)
    shutil.copy(root / "nbgrader_config.py", tmp_path)
    probe = subprocess.run([sys.executable, "-c", "from tools.sandbox import mlkit_mismatch;"
                            " print(mlkit_mismatch())"], cwd=tmp_path, capture_output=True,
                           text=True, check=True)
    copy = os.path.realpath(tmp_path)
    assert f"this course's mlkit is {copy}/mlkit" in probe.stdout
    assert f"is {os.path.realpath(root)}/mlkit" in probe.stdout
    assert f"pip install -e {copy}" in probe.stdout
    course = subprocess.run([sys.executable, "-m", "tools.course", "autograde", "01_perceptron"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert course.returncode == 2 and "the grader's sandbox would not find it" in course.stderr


def test_nbgraders_own_autograde_refuses_the_other_checkouts_mlkit_too(monkeypatch):
    # `nbgrader autograde` and the Formgrader run IsolatedExecute without tools.course
    import nbformat

    from tools import nbgrader_plugins

    assert nbgrader_plugins._mlkit_mismatch() is None
    monkeypatch.setattr(nbgrader_plugins, "_mlkit_mismatch", lambda: "mlkit is elsewhere")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    with pytest.raises(RuntimeError, match="cannot grade: mlkit is elsewhere"):
        nbgrader_plugins.IsolatedExecute().preprocess(nb, {})


def test_a_change_anywhere_in_tools_or_mlkit_replaces_the_judge_server(tmp_path, monkeypatch):
    """The server imports the judge's code once; editing any of it, in a subpackage such as
    mlkit/plotting/ too, or adding a module, must give a new stamp (and so a new server)."""
    from tools import nbgrader_plugins

    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "judge.py").write_text("")
    (tmp_path / "mlkit" / "plotting").mkdir(parents=True)
    inner = tmp_path / "mlkit" / "plotting" / "curves.py"
    inner.write_text("")
    (tmp_path / "mlkit" / "plotting" / "notes.txt").write_text("")  # not code
    monkeypatch.setattr(nbgrader_plugins, "JUDGE", tmp_path / "tools" / "judge.py")
    os.utime(tmp_path / "tools" / "judge.py", ns=(10**18, 10**18))
    os.utime(inner, ns=(10**18, 10**18))
    before = nbgrader_plugins._code_stamp()
    assert before == (10**18, 2)
    os.utime(inner, ns=(10**18 + 1, 10**18 + 1))  # an edit deep in mlkit
    assert nbgrader_plugins._code_stamp() == (10**18 + 1, 2)
    (tmp_path / "mlkit" / "plotting" / "new.py").write_text("")  # a module added
    assert nbgrader_plugins._code_stamp()[1] == 3


def test_without_a_judge_server_each_judge_starts_afresh(monkeypatch):
    from tools import nbgrader_plugins

    monkeypatch.setattr(nbgrader_plugins._JudgeServer, "get", classmethod(lambda cls, cpu: None))
    execute = nbgrader_plugins.IsolatedExecute(isolation=ISOLATION)
    result = execute._judge(_job(("student", "def double(x):\n    return x"), TEST))
    assert result["cells"][2]["outputs"][0]["ename"] == "AssertionError"
