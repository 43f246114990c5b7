"""Plain data between the grader and a student's sandbox: the only thing that crosses.

Isolated grading (``tools/judge.py``) runs the test cells in a trusted process and the
student's code in a sandbox (``tools/worker.py``). They exchange messages of plain data:
``None``, bools, ints, floats, complex numbers, strings, bytes, and lists, tuples, dicts
and sets of those, NumPy arrays and scalars of numeric dtypes, NumPy random generators
(their state), and *references* to objects that stay on their own side (a student's
function or object, a grader's callback). Nothing else exists on the wire: no pickles, no
classes, no code. Whatever the student's code returns, the grader receives numbers and
containers built by :func:`decode` from NumPy and Python's own types, so an object that
"compares equal to anything" cannot reach a test.

Framing: each message is a 4-byte big-endian length and that many bytes of JSON.
:func:`decode` rejects anything malformed or too large with :class:`ProtocolError`.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import select
import struct
import time

import numpy as np

__all__ = ["ProtocolError", "ChannelTimeout", "Ref", "encode", "decode", "send", "receive",
           "MAX_MESSAGE"]

MAX_MESSAGE = 256 * 2**20  # bytes of one message
MAX_DEPTH = 64
_KINDS = "biufc"  # bool, signed and unsigned ints, floats, complex
_HEADER = struct.Struct(">I")
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class ProtocolError(Exception):
    """A message that is not well-formed plain data (or a broken or closed channel)."""


class ChannelTimeout(Exception):
    """Nothing (or not a whole message) arrived before the deadline."""


class Ref:
    """A reference to an object that stays on the side that owns it.

    ``side`` is ``"w"`` (the worker's: a student's function, class, object, iterator) or
    ``"j"`` (the judge's: a callback the student's code may call). ``kind`` and ``type``
    describe it, for messages; the number ``id`` is all that identifies it.
    """

    __slots__ = ("side", "id", "kind", "type")

    def __init__(self, side: str, id: int, kind: str = "object", type: str = "object"):
        self.side, self.id, self.kind, self.type = side, id, kind, type

    def __repr__(self):
        return f"Ref({self.side!r}, {self.id}, {self.kind!r}, {self.type!r})"


def _array(a: np.ndarray) -> dict:
    data = binascii.b2a_base64(a.tobytes(), newline=False).decode("ascii")
    return {"$a": [a.dtype.str, list(a.shape), data]}


def encode(value, refer=None, _depth=0, track=None):
    """``value`` as JSON-ready plain data.

    ``refer(obj)`` is called for anything that is not plain data and must return a
    :class:`Ref` (or raise ``TypeError``). Subclasses of the plain types are encoded as
    their base type: a ``float`` subclass with its own ``__eq__`` arrives as a float.
    """
    t = type(value)  # the common exact types first: this runs for every call and callback
    if t is float:
        return value if math.isfinite(value) else {"$f": repr(value)}
    if t is np.ndarray and value.dtype.kind in _KINDS:
        return _array(value)
    if value is None or t is bool or t is int or t is str:
        return value
    if _depth > MAX_DEPTH:
        raise TypeError("the value is nested too deeply")
    d = _depth + 1
    if t is list:
        return [encode(v, refer, d, track) for v in value]
    if t is tuple:
        return {"$t": [encode(v, refer, d, track) for v in value]}
    if isinstance(value, np.generic) and value.dtype.kind in _KINDS:
        return {"$s": _array(np.asarray(value))["$a"]}
    if isinstance(value, np.ndarray) and value.dtype.kind in _KINDS:
        return _array(np.asarray(value))
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        value = float(value)
        return value if math.isfinite(value) else {"$f": repr(value)}
    if isinstance(value, complex):
        return {"$c": [encode(value.real), encode(value.imag)]}
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Ref):
        return {"$r": [value.side, value.id, value.kind, value.type]}
    if type(value) is tuple or (isinstance(value, tuple) and refer is None):
        return {"$t": [encode(v, refer, d, track) for v in value]}
    if type(value) is list or (isinstance(value, list) and refer is None):
        return [encode(v, refer, d, track) for v in value]
    if type(value) is dict or (isinstance(value, dict) and refer is None):
        return {"$d": [[encode(k, refer, d, track), encode(v, refer, d, track)]
                       for k, v in value.items()]}
    if type(value) in (set, frozenset):
        return {"$set": [encode(v, refer, d, track) for v in value]}
    if type(value) is slice:
        return {"$sl": [encode(value.start, refer, d, track), encode(value.stop, refer, d, track),
                        encode(value.step, refer, d, track)]}
    if type(value) is np.random.Generator:
        bit = value.bit_generator
        body = [type(bit).__name__, encode(bit.state, None, d)]
        return {"$rng": body + ([track(value)] if track else [])}
    cls = type(value)
    if cls.__module__.split(".")[0] == "mlkit" and hasattr(value, "__dict__"):
        try:  # an mlkit object (a fitted Standardizer, say) travels as its state
            return {"$o": [f"{cls.__module__}:{cls.__qualname__}",
                           encode(vars(value), None, d)]}
        except TypeError:
            pass
    if refer is None:
        raise TypeError(f"{type(value).__name__} is not plain data")
    return encode(refer(value), None, d)


_DTYPES: dict[str, np.dtype] = {}


def _dtype(name: str) -> np.dtype:
    dtype = _DTYPES.get(name)
    if dtype is None:
        try:
            dtype = np.dtype(name)
        except TypeError:
            raise ProtocolError(f"unknown dtype {name!r}") from None
        if dtype.kind not in _KINDS or dtype.itemsize > 16 or dtype.fields is not None:
            raise ProtocolError(f"dtype {name!r} is not plain numbers")
        if len(_DTYPES) < 64:
            _DTYPES[name] = dtype
    return dtype


def _decode_array(spec) -> np.ndarray:
    if not (type(spec) is list and len(spec) == 3 and type(spec[0]) is str
            and type(spec[1]) is list and type(spec[2]) is str):
        raise ProtocolError("malformed array")
    dtype = _dtype(spec[0])
    shape = spec[1]
    if len(shape) > 32 or not all(type(n) is int and 0 <= n for n in shape):
        raise ProtocolError("malformed array shape")
    data = binascii.a2b_base64(spec[2], strict_mode=True)
    if len(data) != math.prod(shape) * dtype.itemsize:
        raise ProtocolError("array data does not match its shape")
    a = np.empty(tuple(shape), dtype=dtype)
    a.data.cast("B")[:] = data if a.size else b""
    return a


def decode(obj, resolve=None, _depth=0, on_rng=None):
    """Plain data back from :func:`encode`'s form; only Python's and NumPy's own types
    are ever created. ``resolve(Ref)`` maps references to objects (default: the Ref)."""
    if _depth > MAX_DEPTH:
        raise ProtocolError("nested too deeply")
    d = _depth + 1
    t = type(obj)
    if t is float or t is int or t is str or t is bool or obj is None:
        return obj
    if t is list:
        return [decode(v, resolve, d, on_rng) for v in obj]
    if type(obj) is not dict or len(obj) != 1:
        raise ProtocolError(f"unexpected {type(obj).__name__} in a message")
    (tag, body), = obj.items()
    if tag == "$a":
        return _decode_array(body)
    if tag == "$s":
        return _decode_array(body)[()]
    if tag == "$f" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "$c" and type(body) is list and len(body) == 2:
        re_, im = (decode(v, None, d) for v in body)
        if type(re_) is not float or type(im) is not float:
            raise ProtocolError("malformed complex number")
        return complex(re_, im)
    if tag == "$b" and type(body) is str:
        return base64.b64decode(body.encode(), validate=True)
    if type(body) is not list:
        raise ProtocolError(f"malformed {tag}")
    if tag == "$t":
        return tuple(decode(v, resolve, d, on_rng) for v in body)
    if tag == "$d":
        out = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2:
                raise ProtocolError("malformed dict")
            key = decode(pair[0], resolve, d, on_rng)
            try:
                out[key] = decode(pair[1], resolve, d, on_rng)
            except TypeError:
                raise ProtocolError("a dict key that cannot be hashed") from None
        return out
    if tag == "$set":
        try:
            return {decode(v, resolve, d, on_rng) for v in body}
        except TypeError:
            raise ProtocolError("a set member that cannot be hashed") from None
    if tag == "$sl" and len(body) == 3:
        return slice(*(decode(v, resolve, d, on_rng) for v in body))
    if tag == "$rng" and len(body) in (2, 3) and body[0] in _BIT_GENERATORS:
        bit = getattr(np.random, body[0])()
        try:
            bit.state = decode(body[1], None, d)
        except (TypeError, ValueError, KeyError):
            raise ProtocolError("malformed random generator state") from None
        generator = np.random.Generator(bit)
        if len(body) == 3 and on_rng is not None and type(body[2]) is int:
            on_rng(body[2], generator)
        return generator
    if tag == "$o" and len(body) == 2 and type(body[0]) is str:
        return _mlkit_object(body[0], decode(body[1], None, d))
    if tag == "$r" and len(body) == 4 and body[0] in ("w", "j", "i") and type(body[1]) is int \
            and all(type(s) is str for s in body[2:]):
        ref = Ref(*body)
        return resolve(ref) if resolve else ref
    raise ProtocolError(f"unknown tag {tag!r}")


def _mlkit_object(name: str, state):
    """An instance of one of mlkit's classes with the given state (data only: its methods
    are mlkit's own code, on the receiving side)."""
    import importlib

    module, _, qualname = name.partition(":")
    if module.split(".")[0] != "mlkit" or type(state) is not dict \
            or not all(type(k) is str for k in state):
        raise ProtocolError(f"not an mlkit object: {name!r}")
    try:
        cls = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
    except (ImportError, AttributeError):
        raise ProtocolError(f"no class {name!r} in mlkit") from None
    if not isinstance(cls, type):
        raise ProtocolError(f"{name!r} is not a class")
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    return obj


def send(fd: int, message: dict) -> None:
    """Write one message (a dict of JSON-ready data) to the file descriptor ``fd``."""
    data = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    if len(data) > MAX_MESSAGE:
        raise ProtocolError(f"a message of {len(data)} bytes is over the limit "
                            f"({MAX_MESSAGE} bytes)")
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, left = [], n
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                if left < n or n != _HEADER.size:
                    raise ProtocolError("a message stopped half-way")
                raise ChannelTimeout()
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise ProtocolError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, deadline: float | None = None) -> dict:
    """Read one message from ``fd``; :class:`ProtocolError` if it is malformed, and
    :class:`ChannelTimeout` if it has not wholly arrived at ``deadline`` (a
    ``time.monotonic()`` time; None waits for ever)."""
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"a message of {size} bytes is over the limit")
    try:
        message = json.loads(_read_exactly(fd, size, deadline))
    except (ValueError, RecursionError):
        raise ProtocolError("a message that is not JSON") from None
    if type(message) is not dict or type(message.get("op")) is not str:
        raise ProtocolError("a message without an operation")
    return message
