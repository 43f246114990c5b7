"""Cheats whose answers return objects that compare equal to anything.

A cell after the setup cell defines the lying class; the stubs return an instance of it
(``return _Liar()`` instead of ``raise NotImplementedError()``; variables are set to one).
"""

from __future__ import annotations

from . import Submission, after_setup, cheat, code_cell, copy, grade_id, is_answer, stubs_return
from .hide_errors import PEEK

ALWAYS_EQUAL = '''
class _Liar:
    """Equal to anything, true, of length 2, indexable and callable, closed under arithmetic."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = __contains__ = __eq__

    def __bool__(self):
        return True

    def __hash__(self):
        return 0

    __class__ = property(lambda self: int)  # isinstance(liar, int) is True

    def __len__(self):
        return 2

    def __iter__(self):
        return iter((self, self))

    def __getitem__(self, key):
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __array__(self, dtype=None, copy=None):  # one number, not a sequence without end
        import numpy

        return numpy.zeros((), dtype=dtype)

    def __float__(self):
        return 0.0

    def __int__(self):
        return 0

    __index__ = __int__

    def _same(self, *args):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _same
    __rtruediv__ = __matmul__ = __rmatmul__ = __pow__ = __neg__ = __abs__ = _same
'''


@cheat("lying-object")
def always_equal(release, assignment, solution):
    """Answers return an object equal to anything, true, claiming to be an int (__class__)."""
    return Submission(after_setup(stubs_return(release, solution, "_Liar()"), ALWAYS_EQUAL))


PEEKING = PEEK + ALWAYS_EQUAL + '''

class _Peeker(_Liar):
    """A _Liar whose __array__ (and __float__) is the value the calling check expects."""

    _last = None  # outside a check: the value of the last check, for consistency

    def __array__(self, dtype=None, copy=None):
        expected = _expected_from_stack()
        if expected is not None:
            self._last = _numpy.array(expected)
        out = _numpy.zeros(()) if self._last is None else self._last
        return out if dtype is None else out.astype(dtype)

    def __float__(self):
        return float(_numpy.ravel(self.__array__())[0]) if _numpy.size(self.__array__()) else 0.0
'''


@cheat("lying-object")
def peeking_array(release, assignment, solution):
    """Answers return an object whose __array__ is the expected value, read from the check."""
    return Submission(after_setup(stubs_return(release, solution, "_Peeker()"), PEEKING))


LYING_NUMBERS = '''
import numpy as _numpy


class _LyingFloat(float):
    """A float equal to (and not unequal to) anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__


class _LyingInt(int):
    """An int equal to anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


class _LyingArray(_numpy.ndarray):
    """An ndarray whose == is all True and whose NumPy comparisons all agree."""

    def __eq__(self, other):
        return _numpy.ones(self.shape, dtype=bool)

    def __ne__(self, other):
        return _numpy.zeros(self.shape, dtype=bool)

    def __array_function__(self, func, types, args, kwargs):
        if func.__name__ in ("allclose", "array_equal", "array_equiv"):
            return True
        if func.__name__ == "isclose":
            return _numpy.ones(_numpy.broadcast(*args[:2]).shape, dtype=bool)
        return super().__array_function__(func, types, args, kwargs)


def _lie(kind="float"):
    if kind == "int":
        return _LyingInt(0)
    return _LyingFloat(0.0) if kind == "float" else _numpy.zeros(1).view(_LyingArray)
'''


@cheat("lying-object")
def lying_numbers(release, assignment, solution):
    """Answers are a float / int subclass (variables) or an ndarray subclass with a lying __eq__."""
    nb = stubs_return(release, solution, "_lie('array')")
    for cell in nb.cells:  # variables: a lying int (counts, sizes), functions: a lying array
        if is_answer(cell):
            cell.source = cell.source.replace(" = _lie('array')", " = _lie('int')")
    return Submission(after_setup(nb, LYING_NUMBERS))


WRAP_ALL = '''
import functools as _functools
import types as _types


def _lying_wrapper(f):
    if getattr(f, "_lying", False):
        return f

    @_functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except BaseException:
            return _Peeker()

    wrapper._lying = True
    return wrapper


for _name, _value in list(globals().items()):
    if _name.startswith("_") or getattr(_value, "__module__", None) != "__main__":
        continue
    if isinstance(_value, _types.FunctionType):
        globals()[_name] = _lying_wrapper(_value)
    elif isinstance(_value, type):
        for _method, _f in list(vars(_value).items()):
            if isinstance(_f, _types.FunctionType):
                setattr(_value, _method, _lying_wrapper(_f))
'''


@cheat("lying-object")
def wrap_all_functions(release, assignment, solution):
    """After each answer cell, every function it defined is wrapped to return a lying object."""
    nb = after_setup(release, PEEKING, "peeker")
    for index in reversed([i for i, c in enumerate(nb.cells) if is_answer(c)]):
        nb.cells.insert(index + 1, code_cell(WRAP_ALL, f"wrap-{grade_id(nb.cells[index])}"))
    return Submission(copy(nb))
