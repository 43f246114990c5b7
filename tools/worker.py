"""The student's side of isolated grading: runs inside the sandbox, speaks ``tools/wire``.

Started by ``tools/judge.py`` (through ``tools/sandbox.py``) as ``python -I worker.py``
with the protocol on file descriptors 0 (requests in) and 1 (replies out); the student's
own ``print`` output is captured per request and returned as data, and the file
descriptors 1 and 2 are pointed at ``/dev/null`` so that nothing the student's code
writes there can be mistaken for a message.

Everything here is as untrusted as the student's code that shares this process: the
judge believes nothing it says except as *claims about what the student's code
returned*, which its trusted tests then check. So this file stays simple; its job is to
be faithful to an honest student, not to resist a dishonest one.

Requests (the judge's ``op``): ``exec`` a cell; ``get`` a global; ``call`` a function
or object (optionally watched, for ``assert_not_calling``); ``getattr``, ``len``,
``getitem``, ``iter`` and ``next`` on an object; ``bind`` a global (for
``substitute``). A call may call back into the judge (``callback``), for the test's own
functions passed as arguments; the judge answers ``return`` or ``raise``.
"""

from __future__ import annotations

import builtins
import importlib
import io
import os
import signal
import sys
import traceback
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # `python -I` leaves it out

import numpy as np  # noqa: E402
import wire  # noqa: E402
from wire import ProtocolError, Ref  # noqa: E402

IN, OUT = os.dup(0), os.dup(1)
MAX_TEXT = 100_000  # characters of captured output kept per request and stream


class Interrupts:
    """The judge's SIGINT stops the student's code only (KeyboardInterrupt, as in Jupyter),
    never this file's own message passing: an interrupt that arrives while a message is
    read or written waits until the student's code runs again; one that arrives between
    requests is dropped."""

    busy = False
    pending = False

    @classmethod
    def handler(cls, signum, frame):
        if cls.busy:
            raise KeyboardInterrupt
        cls.pending = True

    @classmethod
    def student(cls, busy: bool) -> None:
        cls.busy = busy
        if busy and cls.pending:
            cls.pending = False
            raise KeyboardInterrupt


def _quiet_stdio() -> None:
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


class Capture(io.TextIOBase):
    """A ``sys.stdout``/``sys.stderr`` that keeps at most MAX_TEXT characters."""

    def __init__(self):
        self.parts, self.size, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        keep = max(0, min(len(text), MAX_TEXT - self.size))
        if keep:
            self.parts.append(text[:keep])
            self.size += keep
        self.dropped += len(text) - keep
        return len(text)

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n[... {self.dropped} more characters of output not kept]\n"
        return out


class Origin:
    """The arguments of one call, as the student's code leaves them, and how to tell the
    judge what changed: after the call itself, by comparing encodings (as the judge sent
    them); for the generator it returned, at each later request, by comparing with a copy
    kept here (encoding large arrays at every next() would cost more than the work)."""

    def __init__(self, arguments: list, sent: list):
        self.arguments, self.sent, self.copy = arguments, sent, None

    def changes(self, encode):
        """The arguments, encoded, if they changed since last time (else None)."""
        try:
            if self.copy is not None and _same(self.copy, self.arguments):
                return None
            after = encode(self.arguments)
        except TypeError:
            return None
        if after == self.sent:
            return None
        self.sent = after
        if self.copy is not None:
            self.copy = _copy(self.arguments)
        return after

    def kept(self) -> Origin:
        """This origin, made ready to be checked at every request of a generator."""
        self.copy = _copy(self.arguments)
        return self


def _copy(value):
    import copy

    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 (an argument that cannot be copied: encode each time)
        return None


def _same(a, b) -> bool:
    """Whether ``b`` holds what ``a`` (a copy made earlier) holds."""
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
                and not a.dtype.hasobject and bool(np.array_equal(a, b)))  # (NaN: encoded)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, np.random.Generator):
        return isinstance(b, np.random.Generator) and \
            a.bit_generator.state == b.bit_generator.state
    if isinstance(a, int | float | complex | str | bytes | bool | type(None) | np.generic):
        return type(a) is type(b) and (a == b or a != a and b != b)
    return False  # anything else: encode it and compare the encodings


class Worker:
    def __init__(self):
        from IPython.core.interactiveshell import InteractiveShell

        self.objects: dict[int, object] = {0: Missing}
        self.rngs: dict[int, np.random.Generator] = {}  # the judge's, by the judge's number
        self.ids: dict[int, int] = {}
        # The arguments of the call that returned a generator (or another iterator), by
        # its number: it runs the student's code at each next(), after the call returned,
        # and what that does to the arguments goes back to the judge as for the call.
        self.origins: dict[int, Origin] = {}
        self.shell = InteractiveShell.instance(colors="nocolor")
        self.ns = self.shell.user_ns
        self._outputs: list[dict] = []
        self._error = None
        self.shell._showtraceback = self._record_error
        hook = self.shell.displayhook
        hook.write_output_prompt = lambda: None
        hook.finish_displayhook = lambda: None
        hook.write_format_data = lambda data, md=None: self._outputs.append(
            {"output_type": "execute_result", "text": str(data.get("text/plain", ""))})

    # --- references -------------------------------------------------------------------
    def refer(self, obj) -> Ref:
        if isinstance(obj, Callback):
            return obj.ref
        key = id(obj)
        if key not in self.ids:
            self.ids[key] = len(self.objects) + 1
            self.objects[self.ids[key]] = obj
        kind = ("class" if isinstance(obj, type) else
                "iterator" if hasattr(type(obj), "__next__") else
                "function" if callable(obj) else "object")
        name = getattr(obj, "__name__", None) if kind in ("class", "function") else None
        return Ref("w", self.ids[key], kind, name or type(obj).__name__)

    def resolve(self, ref: Ref):
        if ref.side == "i":  # a function both sides can import (mlkit's, NumPy's)
            module, _, qualname = ref.type.partition(":")
            obj = importlib.import_module(module)
            for part in qualname.split("."):
                obj = getattr(obj, part)
            return obj
        if ref.side == "w":
            try:
                return self.objects[ref.id]
            except KeyError:
                raise ProtocolError(f"no object {ref.id}") from None
        return Callback(self, ref)

    def encode(self, value):
        return wire.encode(value, self.refer)

    def decode(self, data):
        return wire.decode(data, self.resolve, on_rng=self.rngs.__setitem__)

    def rng_states(self) -> list:
        """How the judge's random generators advanced here (their copies' states)."""
        return [[n, wire.encode(g.bit_generator.state)] for n, g in self.rngs.items()]

    # --- the loop -----------------------------------------------------------------------
    def serve(self) -> None:
        while True:
            message = wire.receive(IN)
            if message["op"] == "exit":
                return
            Interrupts.pending = False  # an interrupt meant for an earlier request
            wire.send(OUT, self.handle(message))

    def handle(self, message: dict) -> dict:
        op = message["op"]
        if op == "exec":
            return self.exec_cell(message["source"])
        ctx, made = {}, None
        with Captured() as out:
            state = JudgeState(message.get("state"))
            try:
                Interrupts.student(True)
                with state:
                    watch = message.get("watch")
                    if watch:  # inside the test's assert_not_calling: watch this request too
                        from mlkit.testing import assert_not_calling

                        value = assert_not_calling(lambda: self.request(op, message, ctx),
                                                   forbidden=tuple(watch[0]),
                                                   allowed=tuple(watch[1]))
                    else:
                        value = self.request(op, message, ctx)
                Interrupts.student(False)
                reply = {"op": "return", "value": self.encode(value)}
                made = value if op == "call" and hasattr(type(value), "__next__") else None
            except ProtocolError:
                raise
            except BaseException as exc:  # noqa: BLE001 (everything goes back to the judge)
                Interrupts.student(False)
                reply = self.error_reply(exc)
                if op == "next":  # a generator that raised (StopIteration, say) is done
                    self.origins.pop(self.ids.get(id(ctx.get("target"))), None)
            if "origin" in ctx:
                after = ctx["origin"].changes(self.encode)
                if after is not None:
                    reply["after"] = after
                if made is not None and id(made) in self.ids:  # a generator: it changes
                    # the arguments later, at each next()
                    self.origins[self.ids[id(made)]] = ctx["origin"].kept()
        reply["warnings"] = state.caught
        reply["rngs"] = self.rng_states()
        reply["stdout"], reply["stderr"] = out.stdout.text(), out.stderr.text()
        return reply

    def request(self, op: str, m: dict, ctx: dict):
        if op == "get":
            name = m["name"]
            return self.ns[name] if name in self.ns else Missing
        if op == "bind":  # returns what the names were bound to, by reference
            old = {}
            for name, value in self.decode(m["names"]).items():
                old[name] = self.refer(self.ns[name]) if name in self.ns else Missing
                if value is Missing:
                    self.ns.pop(name, None)
                else:
                    self.ns[name] = value
            return old
        target = ctx["target"] = self.decode(m["target"])
        if op == "call":
            args, kwargs = self.decode(m["args"]), self.decode(m["kwargs"])
            ctx["origin"] = Origin([args, kwargs], [m["args"], m["kwargs"]])
            return target(*args, **kwargs)
        if self.ids.get(id(target)) in self.origins:  # a generator made by a call
            ctx["origin"] = self.origins[self.ids[id(target)]]
        if op == "getattr":
            return getattr(target, m["name"])
        if op == "len":
            return len(target)
        if op == "getitem":
            return target[self.decode(m["key"])]
        if op == "iter":
            return iter(target)
        if op == "next":
            return next(target)
        raise ProtocolError(f"unknown operation {op!r}")

    def error_reply(self, exc: BaseException) -> dict:
        names = [f"{c.__module__}.{c.__qualname__}" for c in type(exc).__mro__]
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        return {"op": "raise", "types": names, "message": _text(exc)[:MAX_TEXT],
                "traceback": "".join(lines[1:])[-MAX_TEXT:]}

    # --- cells --------------------------------------------------------------------------
    def _record_error(self, etype, evalue, stb):
        self._error = {"ename": etype.__name__ if isinstance(etype, type) else str(etype),
                       "evalue": _text(evalue)[:MAX_TEXT],
                       "traceback": [str(line)[:MAX_TEXT] for line in stb][-200:]}

    def exec_cell(self, source: str) -> dict:
        self._outputs, self._error = [], None
        with Captured() as out:
            try:
                Interrupts.student(True)
                self.shell.run_cell(source, store_history=False)
            except BaseException as exc:  # noqa: BLE001 (SystemExit and the like)
                self._record_error(type(exc), exc, traceback.format_exception(exc))
            finally:
                Interrupts.student(False)
        outputs = [{"output_type": "stream", "name": n, "text": t}
                   for n, t in (("stdout", out.stdout.text()), ("stderr", out.stderr.text()))
                   if t]
        return {"op": "done", "outputs": outputs + self._outputs, "error": self._error,
                "rngs": self.rng_states()}


Missing = Ref("w", 0, "missing", "missing")


class Captured:
    """Redirect ``sys.stdout``/``sys.stderr`` into :class:`Capture` objects."""

    def __enter__(self):
        self.saved = sys.stdout, sys.stderr
        self.stdout, self.stderr = Capture(), Capture()
        sys.stdout, sys.stderr = self.stdout, self.stderr
        return self

    def __exit__(self, *exc):
        sys.stdout, sys.stderr = self.saved


class JudgeState:
    """NumPy's floating-point error handling and the warning filters of the judge at the
    time of a request, in force while the request runs (a test's ``np.errstate(over=
    "raise")`` or ``warnings.simplefilter("error")`` reaches the student's code). The
    warnings that are shown, not raised, are kept in ``caught`` for the judge to show."""

    _filters: list | None = None  # the judge's warning filters, built here (then reused)

    def __init__(self, state):
        self.state, self.caught = state, []

    def __enter__(self):
        if not self.state:
            return self
        self.err = np.seterr(**self.state["errstate"])
        self.warnings = warnings.catch_warnings(record=True)
        self.log = self.warnings.__enter__()
        warnings.resetwarnings()
        sent = self.state["filters"]
        if sent is not None:  # (None: the same as for the last request)
            for action, message, category, module, lineno in reversed(sent):
                warnings.filterwarnings(action, message, _warning_class(category), module,
                                        lineno)
            JudgeState._filters = list(warnings.filters)
        elif JudgeState._filters is None:
            raise ProtocolError("a request that keeps warning filters never sent")
        else:
            warnings.filters[:] = JudgeState._filters  # (resetwarnings told the registries)
        return self

    def __exit__(self, *exc):
        if self.state:
            self.warnings.__exit__(*exc)
            np.seterr(**self.err)
            self.caught = [[[f"{c.__module__}.{c.__qualname__}" for c in w.category.__mro__],
                            _text(w.message)[:MAX_TEXT], str(w.filename), int(w.lineno or 0)]
                           for w in self.log[:100]]


def _warning_class(name: str):
    module, _, qualname = name.rpartition(".")
    obj = sys.modules.get(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) and issubclass(obj, Warning) else Warning


def _text(exc) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 (a __str__ that fails)
        return f"<{type(exc).__name__}>"


class Callback:
    """The judge's function, as the student's code sees it: calling it asks the judge."""

    def __init__(self, worker: Worker, ref: Ref):
        self.worker, self.ref = worker, ref
        self.__name__ = ref.type

    def __call__(self, *args, **kwargs):
        w = self.worker
        return self._ask({"op": "callback", "target": w.encode(self.ref),
                          "args": w.encode(list(args)), "kwargs": w.encode(kwargs)})

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask({"op": "callback", "target": self.worker.encode(self.ref),
                          "attr": name})

    def _ask(self, message):
        w = self.worker
        Interrupts.student(False)
        try:
            wire.send(OUT, message)
            while True:
                message = wire.receive(IN)
                if message["op"] in ("return", "raise"):
                    break
                wire.send(OUT, w.handle(message))  # a request made by the callback itself
        finally:
            Interrupts.busy = True
        Interrupts.student(True)  # an interrupt that came meanwhile is raised here
        if message["op"] == "return":
            return w.decode(message["value"])
        raise _rebuild(message)


def _rebuild(message) -> BaseException:
    for name in message.get("types", []):
        module, _, qualname = name.rpartition(".")
        cls = getattr(builtins, qualname, None) if module == "builtins" else None
        if isinstance(cls, type) and issubclass(cls, BaseException):
            return cls(message.get("message", ""))
    return Exception(message.get("message", ""))


def main() -> None:
    _quiet_stdio()
    signal.signal(signal.SIGINT, Interrupts.handler)
    try:
        worker = Worker()
        wire.send(OUT, {"op": "ready"})
        worker.serve()
    except ProtocolError:
        pass


if __name__ == "__main__":
    main()
