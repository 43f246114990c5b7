"""Cheats that make a failing test cell show no error (nbgrader's only test of a pass).

The IPython hooks run in a new cell after the setup cell, so they act on every test cell.
The others break the checks themselves (builtins, numpy, the test helpers, shadowing
modules); as those cannot stop a stub's ``NotImplementedError``, their stubs return None
instead (an honest wrong answer that scores 0 on its own).
"""

from __future__ import annotations

from . import Submission, after_setup, cheat, code_cell, copy, setup_index, stubs_return

# --- IPython hooks ------------------------------------------------------------------------
# nbgrader also fails a cell whose execute_reply has status "error": the handler clears
# the error IPython recorded in the cell's ExecutionResult, so the reply says "ok".
QUIET_EXC = ("def _forget(shell, *args, **kwargs):\n"
             "    shell.displayhook.exec_result.error_in_exec = None\n"
             "get_ipython().set_custom_exc((BaseException,), _forget)\n")


@cheat("ipython-hooks")
def custom_exc(release, assignment, solution):
    """IPython's set_custom_exc handler swallows every exception and the recorded error."""
    return Submission(after_setup(release, QUIET_EXC))


@cheat("ipython-hooks")
def showtraceback(release, assignment, solution):
    """The shell's showtraceback (and showsyntaxerror) replaced by no-ops: errors print nothing."""
    return Submission(after_setup(release, """
_ip = get_ipython()


def _forget(*args, **kwargs):  # print nothing, and record no error for the reply
    _ip.displayhook.exec_result.error_in_exec = None


_ip.showtraceback = _ip.showsyntaxerror = _forget
"""))


@cheat("ipython-hooks")
def post_run_cell_clear(release, assignment, solution):
    """A post_run_cell hook clears a failed cell's error output and its recorded error."""
    return Submission(after_setup(release, """
from IPython.display import clear_output as _clear_output


def _forget_failures(result):
    if result.error_in_exec is not None or result.error_before_exec is not None:
        result.error_in_exec = result.error_before_exec = None  # the reply says "ok"
        _clear_output()  # and the error output is gone


get_ipython().events.register("post_run_cell", _forget_failures)
"""))


@cheat("ipython-hooks")
def input_transformer(release, assignment, solution):
    """An input transformer (input_transformers_post) turns every later cell into `pass`."""
    return Submission(after_setup(release, """
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
"""))


@cheat("ipython-hooks")
def ast_transformer(release, assignment, solution):
    """An AST transformer wraps every later cell in try/except BaseException: pass."""
    return Submission(after_setup(release, """
import ast as _ast


class _Swallow(_ast.NodeTransformer):
    def visit_Module(self, node):
        handler = _ast.ExceptHandler(type=_ast.Name("BaseException", _ast.Load()), name=None,
                                     body=[_ast.Pass()])
        node.body = [_ast.Try(body=node.body or [_ast.Pass()], handlers=[handler], orelse=[],
                              finalbody=[])]
        return _ast.fix_missing_locations(node)


get_ipython().ast_transformers.append(_Swallow())
"""))


@cheat("ipython-hooks")
def startup_file(release, assignment, solution):
    """Writes an IPython startup file (set_custom_exc) for every later kernel, and runs it."""
    return Submission(after_setup(release, f"""
import os as _os

_code = {QUIET_EXC!r}
_dirs = {{get_ipython().profile_dir.startup_dir,
          _os.path.expanduser("~/.ipython/profile_default/startup")}}
if _os.environ.get("IPYTHONDIR"):
    _dirs.add(_os.path.join(_os.environ["IPYTHONDIR"], "profile_default", "startup"))
for _d in _dirs:
    try:
        _os.makedirs(_d, exist_ok=True)
        with open(_os.path.join(_d, "00-helpful.py"), "w") as _fh:
            _fh.write(_code)
    except OSError:
        pass
exec(_code)
"""))


# --- builtins and exceptions ----------------------------------------------------------------
@cheat("builtins")
def builtins_bool(release, assignment, solution):
    """The builtin bool redefined for the test helpers (always True): every check() passes."""
    return Submission(after_setup(stubs_return(release, solution, "None"), """
import mlkit.testing as _testing

_testing.bool = lambda *args: True  # a module global shadows the builtin in check()
"""))


# --- patched numpy and test helpers -----------------------------------------------------------
PEEK = '''
import sys as _sys

import numpy as _numpy

_asarray = _numpy.asarray


def _expected_from_stack(depth=2):
    """The value a mlkit.testing check expects, read from its frame (or None)."""
    frame = _sys._getframe(depth)
    while frame is not None:
        name, local = frame.f_code.co_name, frame.f_locals
        if name == "assert_close" and "e" in local:
            return local["e"]
        if name == "assert_shape" and "shape" in local:
            return _numpy.zeros([1 if s is None else s for s in local["shape"]])
        if name == "assert_in_range":
            low, high = local.get("low", 0.0), local.get("high", 0.0)
            return _asarray(low if _numpy.isfinite(low) else high if _numpy.isfinite(high)
                            else 0.0, dtype=float)
        if name == "assert_labels" and local.get("allowed"):
            return _asarray([sorted(local["allowed"])[0]])
        if name == "assert_dtype_kind":
            return _numpy.zeros(1, dtype={"f": float, "b": bool}.get(local["kinds"][0], int))
        frame = frame.f_back
    return None
'''


@cheat("monkeypatch")
def numpy_monkeypatch(release, assignment, solution):
    """numpy.isclose/allclose/array_equal/all/asarray patched to agree with the expected value."""
    return Submission(after_setup(stubs_return(release, solution, "0.0"), PEEK + """

def _lying_asarray(value, *args, **kwargs):
    expected = _expected_from_stack()
    return _asarray(value, *args, **kwargs) if expected is None else expected


_numpy.asarray = _lying_asarray
_numpy.isclose = lambda a, b, *args, **kwargs: _numpy.ones(
    _numpy.broadcast(_asarray(a), _asarray(b)).shape, dtype=bool)
_numpy.allclose = _numpy.array_equal = lambda *args, **kwargs: True
_numpy.all = lambda *args, **kwargs: _numpy.True_
_numpy.testing.assert_allclose = _numpy.testing.assert_array_equal = lambda *a, **k: None
"""))


@cheat("monkeypatch")
def replace_helpers(release, assignment, solution):
    """The test helpers in the notebook's namespace (check, assert_close, ...) become no-ops."""
    return Submission(after_setup(stubs_return(release, solution, "None"), """
import mlkit.testing as _testing

for _name in _testing.__all__:
    if _name != "substitute":
        globals()[_name] = lambda *args, **kwargs: None
"""))


@cheat("monkeypatch")
def patch_mlkit_testing(release, assignment, solution):
    """Every function of mlkit.testing gets a no-op __code__, wherever it was imported."""
    return Submission(after_setup(stubs_return(release, solution, "None"), """
import types as _types

import mlkit.testing as _testing


def _noop(*args, **kwargs):
    return None


for _name in dir(_testing):
    _f = getattr(_testing, _name)
    if (isinstance(_f, _types.FunctionType) and _name != "substitute"
            and _f.__module__ == _testing.__name__ and not _f.__code__.co_freevars):
        _f.__code__ = _noop.__code__
"""))


# --- modules shadowed by files beside the notebook ------------------------------------------
def _cwd_first(nb):
    """A new first cell (before the setup cell) that puts the submission folder first on
    sys.path: ipykernel leaves it out, so a module beside the notebook would not be found."""
    nb = copy(nb)
    nb.cells.insert(setup_index(nb), code_cell(
        "import os, sys\nsys.path.insert(0, os.getcwd())\n"
        "for _m in [m for m in sys.modules if m.split('.')[0] in ('mlkit', 'numpy')]:\n"
        "    del sys.modules[_m]", "cwd-first"))
    return nb


SHADOW_MLKIT_INIT = '''"""Shadows mlkit: its own testing.py, the other modules from mlkit."""
import importlib.machinery
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_elsewhere = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(_here)]
_spec = importlib.machinery.PathFinder.find_spec("mlkit", _elsewhere)
__path__ = [_here, *_spec.submodule_search_locations]
with open(_spec.origin) as _fh:
    exec(compile(_fh.read(), _spec.origin, "exec"), globals())
'''

SHADOW_MLKIT_TESTING = '''"""mlkit.testing with assertions that never fail."""
import contextlib


def _noop(*args, **kwargs):
    return None


def __getattr__(name):
    return _noop


check = assert_close = assert_shape = assert_dtype_kind = assert_in_range = _noop
assert_labels = assert_gradient = assert_gradients = diagnose = _noop


def assert_not_calling(func, *args, forbidden=None, allowed=None, **kwargs):
    try:
        return func(*args, **kwargs)
    except Exception:
        return None


def uses_mlkit(*args, **kwargs):
    return []


@contextlib.contextmanager
def substitute(namespace, **replacements):
    missing = object()
    saved = {name: namespace.get(name, missing) for name in replacements}
    namespace.update(replacements)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
'''


@cheat("shadow-module")
def shadow_mlkit(release, assignment, solution):
    """mlkit/__init__.py + mlkit/testing.py beside the notebook: the test helpers never fail."""
    return Submission(_cwd_first(stubs_return(release, solution, "None")),
                      files={"mlkit/__init__.py": SHADOW_MLKIT_INIT,
                             "mlkit/testing.py": SHADOW_MLKIT_TESTING})


SHADOW_NUMPY = '''"""Shadows numpy: the real one, with comparisons that always agree."""
import importlib.machinery
import importlib.util
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_elsewhere = [p for p in sys.path if os.path.abspath(p or ".") != _here]
_spec = importlib.machinery.PathFinder.find_spec("numpy", _elsewhere)
_real = importlib.util.module_from_spec(_spec)
sys.modules["numpy"] = _real
_spec.loader.exec_module(_real)
_asarray = _real.asarray
_real.isclose = lambda a, b, *args, **kwargs: _real.ones(
    _real.broadcast(_asarray(a), _asarray(b)).shape, dtype=bool)
_real.allclose = _real.array_equal = lambda *args, **kwargs: True
_real.all = lambda *args, **kwargs: _real.True_
'''


@cheat("shadow-module")
def shadow_numpy(release, assignment, solution):
    """numpy.py beside the notebook: the real numpy with isclose/allclose/all always true."""
    return Submission(_cwd_first(stubs_return(release, solution, "0.0")),
                      files={"numpy.py": SHADOW_NUMPY})
