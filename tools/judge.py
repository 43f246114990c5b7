"""The trusted side of isolated grading: test cells run here, the student's code never.

A submission is graded by two processes that share no memory:

- the **worker** (``tools/worker.py``), in the sandbox of ``tools/sandbox.py``, runs the
  student's cells and the notebook's provided (locked) set-up cells, and nothing else;
  it never sees a test cell, so hidden tests stay hidden from the student's code;
- the **judge** (this module) runs the set-up cells and the test cells, as the instructor
  wrote them, in its own interpreter. A name the test uses and no trusted cell defined
  (``add_bias``, ``AddGate``, ``xor_separable``) is looked up in the worker: plain data
  comes back as a copy (``tools/wire``), anything else as a :class:`Remote` proxy whose
  calls, attribute reads and iteration are requests to the worker. Arguments travel the
  other way: data as copies (changes the student's function makes to them are copied
  back), the test's own functions as callbacks the worker may call.

Every verdict (an assertion in a test cell, nbgrader's "no error in this cell") is
reached in the judge, on numbers that the worker can only *claim* its functions
returned: no hook, patched builtin, monkeypatched NumPy or object with a lying ``__eq__``
in the worker can reach it. ``substitute`` and ``assert_not_calling`` of
``mlkit.testing`` are extended to act in the worker too.

Run as ``python -I tools/judge.py`` by ``tools.nbgrader_plugins.IsolatedExecute``: it
reads a JSON job on stdin (the code cells with their roles, the limits) and writes the
outputs of every cell as JSON on stdout.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import io
import json
import os
import re
import sys
import time
import traceback
import types
import warnings

if __name__ == "__main__":  # python -I tools/judge.py: the repository is not on sys.path
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from tools import wire  # noqa: E402
from tools.sandbox import Limits, Sandbox, SandboxDied, Timeout  # noqa: E402
from tools.wire import Ref  # noqa: E402

__all__ = ["Remote", "Session", "CellTimeout", "WorkerStopped", "run_job"]

MAX_TEXT = 100_000
_BUILTINS = frozenset(dir(builtins))
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,79}$")
_UNSAFE = (SystemExit, KeyboardInterrupt, GeneratorExit, BaseExceptionGroup)


class CellTimeout(BaseException):
    """The student's code ran past the cell's time limit (not an ``Exception``, so that
    a test's ``except Exception`` cannot take it for an ordinary failure)."""


class WorkerStopped(BaseException):
    """The student's process is gone (it exited, crashed, hung or broke the protocol)."""


# --- proxies for the worker's objects --------------------------------------------------------
class Remote:
    """An object of the student's, left in the worker. Calls, attribute reads, ``len``,
    indexing and iteration go to the worker; everything that would decide a test
    (comparison, truth value, hashing by value) stays here and is strict: a proxy equals
    only itself and has no truth value."""

    __slots__ = ("_session", "_ref", "__weakref__")

    def __init__(self, session, ref):
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_ref", ref)

    def __call__(self, *args, **kwargs):
        return self._session.call(self._ref, args, kwargs)

    def __getattr__(self, name):
        if name in ("__name__", "__qualname__") and self._ref.kind in ("function", "class"):
            return self._ref.type
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._session.remote("getattr", self._ref, name=name)

    def __setattr__(self, name, value):
        raise AttributeError(f"the grader cannot set {name!r} on {self._ref.type} objects")

    def __len__(self):
        n = self._session.remote("len", self._ref)
        if type(n) is not int or n < 0:
            raise TypeError(f"len() of a {self._ref.type} object gave {n!r}")
        return n

    def __getitem__(self, key):
        return self._session.remote("getitem", self._ref, key=self._session.encode(key))

    def __iter__(self):
        it = self._session.remote("iter", self._ref)
        if not isinstance(it, Remote):
            raise TypeError(f"iter() of a {self._ref.type} object gave {type(it).__name__}")
        return it

    def __next__(self):
        return self._session.remote("next", self._ref)

    def __bool__(self):
        raise TypeError(f"a {self._ref.type} object from your code cannot be used as "
                        "True/False here: give a bool (or a number).")

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    __hash__ = object.__hash__

    def __repr__(self):
        return f"<{self._ref.type} {self._ref.kind} from your code>"


def _proxy_class(kind: str, name: str) -> type:
    """A subclass of Remote named like the student's type, so that messages built from
    ``type(x).__name__`` read naturally ("got generator")."""
    name = {"function": "function", "class": "type"}.get(kind, name)
    return type(name if _IDENTIFIER.match(name) else "object", (Remote,), {"__slots__": ()})


# --- the session: one worker, requests and callbacks -----------------------------------------
class Session:
    """The judge's connection to one worker."""

    def __init__(self, sandbox: Sandbox, recovery: float = 10.0):
        self.sandbox, self.recovery = sandbox, recovery
        self.deadline: float | None = None
        self.timeout = 0.0
        self.watch = None  # (forbidden, allowed) inside assert_not_calling
        self.stopped: str | None = None
        self.not_run = ""
        self.failure: BaseException | None = None
        self._proxies: dict[int, Remote] = {}
        self._classes: dict[tuple, type] = {}
        self._rngs: dict[int, np.random.Generator] = {}  # lent to the worker
        # the arguments of the call that returned a generator (by its number): what it does
        # to them at each next() is copied back to them, as for the call
        self._origins: dict[int, tuple[list, dict]] = {}
        self._mine: dict[int, object] = {}  # the judge's objects lent to the worker
        self._my_ids: dict[int, int] = {}
        self._sent_filters: list | None = None  # the warning filters the worker last got

    # references
    def refer(self, obj) -> Ref:
        if isinstance(obj, Remote):
            return obj._ref
        if isinstance(obj, np.ufunc) and getattr(np, obj.__name__, None) is obj:
            return Ref("i", 0, "import", f"numpy:{obj.__name__}")
        if isinstance(obj, types.FunctionType | type | types.BuiltinFunctionType):
            module = getattr(obj, "__module__", "") or ""
            if module.split(".")[0] in ("mlkit", "numpy"):
                try:
                    found = importlib.import_module(module)
                    for part in obj.__qualname__.split("."):
                        found = getattr(found, part)
                except (ImportError, AttributeError):
                    found = None
                if found is obj:  # the worker can import the very same function
                    return Ref("i", 0, "import", f"{module}:{obj.__qualname__}")
        key = id(obj)
        if key not in self._my_ids:
            self._my_ids[key] = len(self._mine) + 1
            self._mine[self._my_ids[key]] = obj
        name = getattr(obj, "__name__", None) or type(obj).__name__
        return Ref("j", self._my_ids[key], "function" if callable(obj) else "object",
                   str(name))

    def resolve(self, ref: Ref):
        if ref.side == "j":
            try:
                return self._mine[ref.id]
            except KeyError:
                raise wire.ProtocolError(f"no judge object {ref.id}") from None
        if ref.side != "w":
            raise wire.ProtocolError("a reference the worker may not send")
        if ref.kind == "missing":
            return _MISSING
        if ref.id not in self._proxies:
            key = (ref.kind, ref.type)
            if key not in self._classes:
                self._classes[key] = _proxy_class(*key)
            self._proxies[ref.id] = self._classes[key](self, ref)
        return self._proxies[ref.id]

    def encode(self, value):
        return wire.encode(value, self.refer, track=self._track)

    def _track(self, generator) -> int:
        for n, g in self._rngs.items():
            if g is generator:
                return n
        self._rngs[len(self._rngs) + 1] = generator
        return len(self._rngs)

    def decode(self, data):
        return wire.decode(data, self.resolve)

    # requests
    def call(self, ref: Ref, args, kwargs):
        message = {"op": "call", "target": self.encode(ref), "args": self.encode(list(args)),
                   "kwargs": self.encode(dict(kwargs))}
        return self._answer(self.request(message), (list(args), dict(kwargs)))

    def remote(self, op: str, ref: Ref, **fields):
        reply = self.request({"op": op, "target": self.encode(ref), **fields})
        if op == "next" and reply["op"] == "raise":  # a generator that raised is done
            return self._answer(reply, self._origins.pop(ref.id, None))
        return self._answer(reply, self._origins.get(ref.id))

    def _answer(self, reply: dict, origin):
        """The result of a request; the arguments in ``origin`` get the changes the
        student's code made to them (the worker sends them back, as ``after``)."""
        if origin is not None and "after" in reply:
            try:
                after_args, after_kwargs = self.decode(reply["after"])
                _copy_back(origin[0], after_args)
                _copy_back(origin[1], after_kwargs)
            except (wire.ProtocolError, TypeError, ValueError):
                pass
        result = self._result(reply)
        if origin is not None and isinstance(result, Remote) and result._ref.kind == "iterator":
            self._origins[result._ref.id] = origin
        return result

    def get(self, name: str):
        return self._result(self.request({"op": "get", "name": name}))

    def bind(self, names: dict) -> dict:
        """Bind globals in the worker; returns what they were bound to (to bind back)."""
        return self._result(self.request({"op": "bind", "names": self.encode(names)}))

    def exec_cell(self, source: str) -> dict:
        return self.request({"op": "exec", "source": source})

    def request(self, message: dict) -> dict:
        """Send a request and serve the worker's callbacks until its answer arrives.

        Past the cell's deadline the worker is interrupted (KeyboardInterrupt, as Jupyter
        does) and has ``recovery`` seconds to answer; then the cell fails with
        :class:`CellTimeout`. If it does not answer, its process is stopped and every
        later request fails with :class:`WorkerStopped`."""
        if self.stopped:
            raise WorkerStopped(self.stopped)
        message["state"] = state = _judge_state()
        if message["op"] != "exec":  # (a student's cell runs in its own state)
            if state["filters"] == self._sent_filters:
                state["filters"] = None  # as for the last request: the worker keeps them
            else:
                self._sent_filters = state["filters"]
        if self.watch and message["op"] not in ("exec", "get", "bind"):
            message["watch"] = self.watch  # inside assert_not_calling
        timed_out, recover_by = False, None
        try:
            self.sandbox.send(message)
            while True:
                try:
                    reply = self.sandbox.receive(recover_by or self.deadline
                                                 or time.monotonic() + 3600)
                except Timeout:
                    if timed_out:
                        self.stop(f"Your code ran out of time ({self.timeout:g} s) and did "
                                  "not stop when interrupted, so its process was stopped",
                                  "an earlier cell ran out of time and did not stop when "
                                  "interrupted")
                        raise CellTimeout(self.stopped + ".") from None
                    timed_out, recover_by = True, time.monotonic() + self.recovery
                    self.sandbox.interrupt()
                    continue
                if reply["op"] != "callback":
                    break
                if not timed_out:
                    try:
                        self._callback(reply)
                        continue
                    except CellTimeout:
                        if self.stopped:
                            raise
                        timed_out, recover_by = True, time.monotonic() + self.recovery
                self.sandbox.send({"op": "raise", "types": ["builtins.KeyboardInterrupt"],
                                   "message": "out of time"})
            if reply["op"] not in ("return", "raise", "done"):
                raise wire.ProtocolError(f"unexpected {reply['op']!r}")
        except (SandboxDied, wire.ProtocolError) as err:
            self.stop(f"The process running your code stopped while running this cell ({err}: "
                      "os._exit, a crash, or running out of memory or CPU time); the cells "
                      "after it were not run",
                      "the process running your code stopped in an earlier cell")
            raise WorkerStopped(self.stopped + ".") from None
        if timed_out:
            raise CellTimeout(f"This cell ran out of time ({self.timeout:g} s) and was "
                              "interrupted.")
        self._advance_rngs(reply)
        self._show(reply)
        if self.failure is not None:  # a test's function, called by the student's code, failed
            failure, self.failure = self.failure, None
            raise failure
        return reply

    def stop(self, why: str, later: str = "") -> None:
        """Stop the worker: ``why`` for the cell it happened in, ``later`` for the rest."""
        if not self.stopped:
            self.stopped, self.not_run = why, later or why
        self.sandbox.kill()

    def _advance_rngs(self, reply: dict) -> None:
        """Random generators lent to the student's code advance here as they did there."""
        for item in reply.get("rngs", []) if isinstance(reply.get("rngs"), list) else []:
            try:
                number, state = item
                generator = self._rngs[number]
                generator.bit_generator.state = wire.decode(state)
            except (KeyError, TypeError, ValueError, wire.ProtocolError):
                continue

    def _callback(self, message: dict) -> None:
        """The student's code called a function the test gave it."""
        try:
            target = self.decode(message["target"])
            if "attr" in message:  # an attribute of an object the test lent
                name = message["attr"]
                if type(name) is not str or name.startswith("__"):
                    raise wire.ProtocolError("a malformed attribute request")
                value = getattr(target, name)
            else:
                args, kwargs = self.decode(message["args"]), self.decode(message["kwargs"])
                if not callable(target) or type(kwargs) is not dict or \
                        not all(type(k) is str for k in kwargs):
                    raise wire.ProtocolError("a malformed callback")
                value = target(*args, **kwargs)
            reply = {"op": "return", "value": self.encode(value)}
        except (wire.ProtocolError, CellTimeout, WorkerStopped):
            raise
        except Exception as exc:  # noqa: BLE001 (the test's function failed: tell the worker)
            if isinstance(exc, AssertionError) and self.failure is None:
                self.failure = exc  # raised again here, whatever the student's code does
            reply = {"op": "raise", "types": [f"builtins.{c.__qualname__}"
                                              for c in type(exc).__mro__
                                              if c.__module__ == "builtins"],
                     "message": str(exc)}
        self.sandbox.send(reply)

    def _show(self, reply: dict) -> None:
        """What the student's code printed or warned while serving the request."""
        if reply.get("stdout"):
            sys.stdout.write(str(reply["stdout"])[:MAX_TEXT])
        if reply.get("stderr"):
            sys.stderr.write(str(reply["stderr"])[:MAX_TEXT])
        for item in reply.get("warnings", [])[:100]:
            try:
                names, message, filename, lineno = item
                warnings.warn_explicit(str(message)[:MAX_TEXT], _safe_class(names, Warning),
                                       str(filename), int(lineno))
            except (TypeError, ValueError):
                continue

    def _result(self, reply: dict):
        if reply["op"] == "return":
            return self.decode(reply["value"])
        names = reply.get("types") or []
        if any(n == "builtins.KeyboardInterrupt" for n in names[:1]):
            raise CellTimeout(f"This cell ran out of time ({self.timeout:g} s) and was "
                              "interrupted.")
        exc = _safe_class(names, Exception)
        try:
            error = exc(str(reply.get("message", "")))
        except Exception:  # noqa: BLE001 (a class with another constructor)
            error = Exception(str(reply.get("message", "")))
        where = str(reply.get("traceback", ""))[-4000:].rstrip()
        if where:
            error.add_note(f"(raised in your code)\n{where}")
        raise error


_MISSING = object()


def _safe_class(names, default):
    """The first class in the student's exception (or warning) MRO that the judge knows
    itself: Python's built-in ones and NumPy's. The student's own classes never run here."""
    for name in names if isinstance(names, list) else []:
        module, _, qualname = str(name).rpartition(".")
        cls = None
        if module == "builtins":
            cls = getattr(builtins, qualname, None)
        elif module.split(".")[0] == "numpy" and module in sys.modules:
            cls = getattr(sys.modules[module], qualname, None)
        if isinstance(cls, type) and issubclass(cls, default) and not issubclass(cls, _UNSAFE):
            return cls
    return default


def _judge_state() -> dict:
    filters = []
    for action, message, category, module, lineno in warnings.filters:
        filters.append([action, getattr(message, "pattern", message) or "",
                        f"{category.__module__}.{category.__qualname__}",
                        getattr(module, "pattern", module) or "", lineno])
    return {"errstate": np.geterr(), "filters": filters}


def _copy_back(original, after) -> None:
    """Apply to the test's own arguments what the student's function did to its copies."""
    if isinstance(original, np.ndarray) and isinstance(after, np.ndarray):
        if original.shape == after.shape and original.flags.writeable and \
                not np.array_equal(original, after, equal_nan=True):
            np.copyto(original, after, casting="unsafe")
    elif isinstance(original, list) and isinstance(after, list):
        if len(original) == len(after):
            for i, (o, a) in enumerate(zip(original, after, strict=True)):
                if isinstance(o, np.ndarray | list | dict | np.random.Generator):
                    _copy_back(o, a)
                elif not isinstance(o, Remote) and type(o) is type(a) and o != a:
                    original[i] = a
        else:
            original[:] = after
    elif isinstance(original, dict) and isinstance(after, dict):
        for key in [k for k in original if k not in after]:
            del original[key]
        for key, value in after.items():
            if key in original and isinstance(original[key], np.ndarray | list | dict
                                              | np.random.Generator):
                _copy_back(original[key], value)
            elif key not in original or not isinstance(original[key], Remote):
                original[key] = value
    elif isinstance(original, np.random.Generator) and isinstance(after, np.random.Generator):
        original.bit_generator.state = after.bit_generator.state


# --- running the notebook ---------------------------------------------------------------------
class Judge:
    """Runs one notebook's code cells: student cells in the worker, trusted ones here."""

    def __init__(self, session: Session, timeout: float):
        self.session, self.timeout = session, timeout
        self.ns: dict = {"__name__": "__main__", "__builtins__": builtins}
        self.trusted: set[str] = set(self.ns)  # names bound by trusted cells
        self.fetched: dict[str, object] = {}
        self.count = 0
        _extend_mlkit_testing(self)

    def run(self, cells: list[dict]) -> list[dict]:
        results = []
        for cell in cells:
            source, role = cell["source"], cell["role"]
            if not source.strip():
                results.append({"outputs": [], "execution_count": None})
                continue
            self.count += 1
            if self.session.stopped:
                outputs = [_error("NotRun", "This cell was not run: "
                                  + self.session.not_run.rstrip(".") + ".")]
            elif role == "student":
                outputs = self.in_worker(source)
            elif role == "setup":
                worker_outputs = self.in_worker(source)
                outputs = self.here(source)
                if self.session.stopped:
                    outputs = worker_outputs
            elif role == "test":
                outputs = self.here(source)
            else:
                raise ValueError(f"unknown role {role!r}")
            results.append({"outputs": outputs, "execution_count": self.count})
        return results

    def in_worker(self, source: str) -> list[dict]:
        self.session.timeout = self.timeout
        self.session.deadline = time.monotonic() + self.timeout
        try:
            reply = self.session.exec_cell(source)
        except CellTimeout as err:
            return [_error("CellTimeoutError", str(err))]
        except WorkerStopped as err:
            return [_error("DeadKernelError", str(err))]
        finally:
            self.session.deadline = None
        outputs = []
        for out in reply.get("outputs", [])[:50]:
            if not isinstance(out, dict):
                continue
            if out.get("output_type") == "stream" and out.get("name") in ("stdout", "stderr"):
                outputs.append({"output_type": "stream", "name": out["name"],
                                "text": str(out.get("text", ""))[:MAX_TEXT]})
            elif out.get("output_type") == "execute_result":
                outputs.append({"output_type": "execute_result", "execution_count": self.count,
                                "data": {"text/plain": str(out.get("text", ""))[:MAX_TEXT]},
                                "metadata": {}})
        err = reply.get("error")
        if isinstance(err, dict):
            tb = err.get("traceback")
            outputs.append({"output_type": "error", "ename": str(err.get("ename", "Error")),
                            "evalue": str(err.get("evalue", ""))[:MAX_TEXT],
                            "traceback": [str(t)[:MAX_TEXT] for t in tb][:200]
                            if isinstance(tb, list) else []})
        return outputs

    def _refresh(self, tree) -> None:
        """Look up, in the worker, the names this cell (or an earlier one) takes from the
        student's code: names no trusted cell bound and that are not built-ins."""
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        for name in sorted((used | set(self.fetched)) - self.trusted - _BUILTINS):
            try:
                value = self.session.get(name)
            except (CellTimeout, WorkerStopped):
                return
            except Exception:  # noqa: BLE001 (a value that cannot be sent: left unbound)
                value = _MISSING
            if value is _MISSING:
                self.ns.pop(name, None)
                self.fetched.pop(name, None)
            else:
                self.ns[name] = self.fetched[name] = value

    def here(self, source: str) -> list[dict]:
        """Run a trusted cell in the judge; its outputs as nbformat dicts."""
        outputs: list[dict] = []
        stdout, stderr = _Stream("stdout", outputs), _Stream("stderr", outputs)
        self.session.timeout = self.timeout
        self.session.deadline = time.monotonic() + self.timeout
        try:
            tree = ast.parse(source, filename=f"<cell {self.count}>")
            self._refresh(tree)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr), \
                    _warnings_to(stderr):
                exec(compile(tree, f"<cell {self.count}>", "exec"), self.ns)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), f"<cell {self.count}>",
                                         "eval"), self.ns)
                    if value is not None:
                        outputs.append({"output_type": "execute_result",
                                        "execution_count": self.count,
                                        "data": {"text/plain": repr(value)[:MAX_TEXT]},
                                        "metadata": {}})
        except CellTimeout as err:
            outputs.append(_error("CellTimeoutError", str(err)))
        except WorkerStopped as err:
            outputs.append(_error("DeadKernelError", str(err)))
        except BaseException as exc:  # noqa: BLE001 (the test failed: that is its output)
            if isinstance(exc, SystemExit | KeyboardInterrupt) and not isinstance(exc, Exception):
                outputs.append(_error(type(exc).__name__, str(exc)))
            else:
                lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
                outputs.append({"output_type": "error", "ename": type(exc).__name__,
                                "evalue": str(exc)[:MAX_TEXT],
                                "traceback": [ln.rstrip("\n") for ln in lines][-60:]})
        finally:
            self.session.deadline = None
            stdout.flush(), stderr.flush()
        self.trusted |= {k for k in self.ns if k not in self.fetched
                         or self.ns[k] is not self.fetched[k]}
        for name in [k for k in self.fetched if k in self.trusted]:
            del self.fetched[name]
        return outputs


class _Stream(io.TextIOBase):
    """Collects text into nbformat stream outputs (consecutive writes merged)."""

    def __init__(self, name, outputs):
        self.name, self.outputs, self.size = name, outputs, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)[: max(0, MAX_TEXT - self.size)]
        self.size += len(text)
        if text:
            last = self.outputs[-1] if self.outputs else None
            if last and last["output_type"] == "stream" and last["name"] == self.name:
                last["text"] += text
            else:
                self.outputs.append({"output_type": "stream", "name": self.name, "text": text})
        return len(text)


@contextlib.contextmanager
def _warnings_to(stream):
    saved = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        stream.write(warnings.formatwarning(message, category, filename, lineno, line))

    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = saved


def _error(ename: str, evalue: str) -> dict:
    return {"output_type": "error", "ename": ename, "evalue": evalue,
            "traceback": [f"{ename}: {evalue}"]}


def _extend_mlkit_testing(judge: Judge) -> None:
    """Make ``substitute`` and ``assert_not_calling`` reach into the worker (the set-up
    cells import them from mlkit.testing after this runs)."""
    import mlkit.testing as testing

    original_substitute, original_not_calling = testing.substitute, testing.assert_not_calling

    @contextlib.contextmanager
    def substitute(namespace: dict, **replacements):
        with original_substitute(namespace, **replacements):
            if namespace is not judge.ns:
                yield
                return
            old = judge.session.bind(replacements)
            try:
                yield
            finally:
                if not judge.session.stopped:
                    judge.session.bind(old)

    def assert_not_calling(func, *args, forbidden=("mlkit",), allowed=testing._ALLOWED,
                           **kwargs):
        forbidden = (forbidden,) if isinstance(forbidden, str) else forbidden
        allowed = (allowed,) if isinstance(allowed, str) else allowed
        saved = judge.session.watch
        judge.session.watch = [list(forbidden), list(allowed)]
        try:
            return original_not_calling(func, *args, forbidden=forbidden, allowed=allowed,
                                        **kwargs)
        finally:
            judge.session.watch = saved

    substitute.__doc__ = original_substitute.__doc__
    assert_not_calling.__doc__ = original_not_calling.__doc__
    testing.substitute, testing.assert_not_calling = substitute, assert_not_calling


def run_job(job: dict) -> dict:
    """Grade the cells of ``job`` (see the module); the outputs of each cell."""
    limits = Limits(**job.get("limits", {}))
    start = time.monotonic()
    try:
        sandbox = Sandbox(job.get("isolation", "bwrap"), limits)
    except (SandboxDied, OSError) as err:
        message = f"The grader could not start the sandbox: {err}"
        return {"cells": [{"outputs": [_error("SandboxError", message)],
                           "execution_count": None} for _ in job["cells"]],
                "error": message}
    try:
        session = Session(sandbox, recovery=float(job.get("recovery", 10)))
        judge = Judge(session, float(job.get("timeout", 120)))
        cells = judge.run(job["cells"])
    finally:
        sandbox.close()
    return {"cells": cells, "seconds": round(time.monotonic() - start, 3),
            "stopped": session.stopped}


def main() -> None:
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything else printed goes to stderr, not into the result
    job = json.load(sys.stdin)
    os.environ["MPLBACKEND"] = "Agg"
    result = run_job(job)
    json.dump(result, out)
    out.flush()


def serve() -> None:
    """``python -I tools/judge.py --serve``: a judge for each job, forked from this process,
    which has imported NumPy and mlkit once (a judge then starts in a few milliseconds
    instead of 0.2 s). Reads one job per line on stdin; answers ``{"pid": N}`` when the
    job's judge has started and ``{"exit": code, "result": ..., "log": ...}`` when it has
    ended (``result`` as :func:`main` writes it; null if the judge failed: ``log`` holds
    the end of what it printed). Each judge has its own working and home folder, removed
    after it. Stops at the end of stdin."""
    import gc
    import random
    import shutil
    import tempfile

    import mlkit  # noqa: F401 (the set-up and test cells import them)
    import mlkit.testing  # noqa: F401

    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    os.environ["MPLBACKEND"] = "Agg"
    gc.freeze()  # the garbage collector of each judge leaves these objects (and pages) alone
    for line in sys.stdin:
        job = json.loads(line)
        folder = tempfile.mkdtemp(prefix="judge-")
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the judge of this job
            code = 1
            try:
                os.chdir(folder)
                os.environ["HOME"] = os.environ["MPLCONFIGDIR"] = folder
                log = os.open("log.txt", os.O_WRONLY | os.O_CREAT, 0o600)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.dup2(log, 1)
                os.dup2(log, 2)
                np.random.seed()  # noqa: NPY002 (a fresh global state, as in a new interpreter)
                random.seed()
                result = run_job(job)
                with open("result.json", "w") as fh:
                    json.dump(result, fh)
                code = 0
            except BaseException:  # noqa: BLE001 (reported through the log)
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        replies.write(json.dumps({"pid": pid}) + "\n")
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        result = log = None
        try:
            if code == 0:
                with open(os.path.join(folder, "result.json")) as fh:
                    result = json.load(fh)
            with open(os.path.join(folder, "log.txt"), errors="replace") as fh:
                log = fh.read()[-4000:]
        except (OSError, ValueError):
            pass
        shutil.rmtree(folder, ignore_errors=True)
        replies.write(json.dumps({"exit": code, "result": result, "log": log}) + "\n")


if __name__ == "__main__":
    serve() if sys.argv[1:] == ["--serve"] else main()
