"""Running the engine's array code on symbols, to write it down as numpy statements.

A :class:`Sym` stands for an array of the generated code: it has a name and an example value (the
number the trace saw), so shapes and dtypes are known while the code is written. A primitive's
forward or VJP (the table's own callables) is run with Syms in place of its arrays: every numpy
operation it applies to a Sym is recorded as a line of :class:`~autograd.compiled.code.Code` (and
computed on the example, so the next operation sees a real shape); operations on constants alone are
simply computed (constant folding); Python control flow on shapes runs as usual.

Where the function's path depends on the *numbers* (``if np.isfinite(...)``, ``bool(x)``,
``np.asarray(x)``), or it writes into an array, the trace of that function is abandoned and one
line calls the function itself (:func:`call`), exactly as the eager engine does. Every traced
function's result is compared bit for bit with the function's own result on the example before its
lines are kept.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import grad_mode as mode
from ..ops import ARRAYS
from .code import Code, Var, name, number, var_name


class Escape(Exception):
    """The traced function depends on the numbers, or writes into an array: call it instead."""


_BINARY = {
    operator.add: ast.Add, operator.sub: ast.Sub, operator.mul: ast.Mult, operator.truediv: ast.Div,
    operator.pow: ast.Pow, operator.matmul: ast.MatMult, operator.and_: ast.BitAnd,
    operator.or_: ast.BitOr, operator.xor: ast.BitXor, operator.floordiv: ast.FloorDiv,
    operator.mod: ast.Mod,
}  # fmt: skip
_COMPARE = {
    operator.lt: ast.Lt, operator.le: ast.LtE, operator.gt: ast.Gt, operator.ge: ast.GtE,
    operator.eq: ast.Eq, operator.ne: ast.NotEq,
}  # fmt: skip
_UNARY = {operator.neg: ast.USub, operator.pos: ast.UAdd, operator.invert: ast.Invert}
# ufuncs written as the operator that calls them on ndarrays (not power: ``x ** 2`` is np.square)
_UFUNC_OPERATORS = {
    np.add: operator.add, np.subtract: operator.sub, np.multiply: operator.mul,
    np.true_divide: operator.truediv, np.matmul: operator.matmul, np.less: operator.lt,
    np.less_equal: operator.le, np.greater: operator.gt, np.greater_equal: operator.ge,
    np.equal: operator.eq, np.not_equal: operator.ne, np.bitwise_and: operator.and_,
    np.bitwise_or: operator.or_,
}  # fmt: skip
_UFUNC_UNARY = {np.negative: operator.neg, np.invert: operator.invert}
#: numpy functions that read only shapes and dtypes
_STATIC = {np.shape, np.ndim, np.size, np.result_type, np.iscomplexobj, np.isrealobj}
#: numpy functions that write into an argument
_WRITES = {np.copyto, np.put, np.place, np.putmask, np.fill_diagonal, np.put_along_axis}
#: ARRAYS' questions about a layout, answered from the traced arrays
_LAYOUT = {"column_major"}
#: attributes of an array that are views of it
_VIEWS = {"T", "mT"}


class Sym(Var):
    """An array of the generated code: its name and its example ``value``."""

    __slots__ = ("value", "code", "opaque")
    __array_priority__ = 1000

    def __init__(self, code: Code, name_: str, value: Any, temp: bool = True) -> None:
        super().__init__(name_, temp)
        self.value, self.code = value, code
        self.opaque = False  # made by a function called as it is: a 0-d result's type may vary

    shape = property(lambda self: self.value.shape)
    ndim = property(lambda self: self.value.ndim)
    dtype = property(lambda self: self.value.dtype)
    size = property(lambda self: self.value.size)
    itemsize = property(lambda self: self.value.itemsize)

    def __len__(self) -> int:
        return len(self.value)

    # -- what a trace cannot follow: the numbers themselves
    def _escape(self, *args: Any, **kwargs: Any) -> Any:
        raise Escape("the function reads the numbers of an array")

    __bool__ = __float__ = __int__ = __index__ = __complex__ = __iter__ = __array__ = _escape
    item = tolist = tobytes = _escape
    __hash__ = None  # type: ignore[assignment]

    def __setitem__(self, key: Any, value: Any) -> None:
        raise Escape("the function writes into an array")

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        found = getattr(self.value, attr)
        if callable(found):
            return lambda *args, **kwargs: record(self.code, _Method(attr), (self, *args), kwargs)
        if attr in _VIEWS:
            return record(self.code, _Attribute(attr), (self,), {})
        raise Escape(f"the function reads the array attribute {attr!r}")

    def __getitem__(self, index: Any) -> Any:
        flat = _gather(self.code, self.value, index)
        if flat is not None:  # (the same elements, gathered from one axis: 3x cheaper in numpy)
            return record(self.code, operator.getitem, (self.reshape(-1), flat), {})
        return record(self.code, operator.getitem, (self, index), {})

    # -- numpy's protocols: every ufunc and function applied to a Sym is recorded
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method == "at" or "out" in kwargs:
            raise Escape("the function writes into an array")
        if method == "__call__" and not kwargs:
            if len(inputs) == 2 and ufunc in _UFUNC_OPERATORS:
                return record(self.code, _UFUNC_OPERATORS[ufunc], inputs, {})
            if len(inputs) == 1 and ufunc in _UFUNC_UNARY:
                return record(self.code, _UFUNC_UNARY[ufunc], inputs, {})
        fn = ufunc if method == "__call__" else getattr(ufunc, method)
        return record(self.code, _Ufunc(ufunc, method, fn), inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if func in _STATIC:
            return func(*concrete(args), **concrete(kwargs))
        if func in _WRITES or "out" in kwargs:
            raise Escape("the function writes into an array")
        return record(self.code, func, args, kwargs)


def _gather(code: Code, value: Any, index: Any) -> np.ndarray | None:
    """Where ``value[index]`` reads in ``value.reshape(-1)``, for an ``index`` of constant integer
    arrays, one for every axis (then ``...``, or not): ``x[rows, y]`` (a loss picking each row's
    target) is ``x.reshape(-1)[rows * n + y]``. Else None. One array per index (``code.gathers``)."""
    if type(index) is not tuple or not isinstance(value, np.ndarray):
        return None
    parts = index[:-1] if index and index[-1] is Ellipsis else index
    if len(parts) < 2 or len(parts) != value.ndim or value.size == 0:
        return None
    if not all(type(p) is np.ndarray and p.dtype.kind in "iu" for p in parts):
        return None
    key = (*map(id, parts), *value.shape)
    held = code.gathers.get(key)
    if held is not None:
        return held[1]
    if not all(((p >= -n) & (p < n)).all() for p, n in zip(parts, value.shape)):
        return None  # (numpy raises on these: left to it)
    try:
        flat = np.ravel_multi_index(np.broadcast_arrays(*parts), value.shape, mode="wrap")  # (-1: the last)
    except (ValueError, TypeError):  # (index arrays that do not broadcast together: numpy's error)
        return None
    code.gathers[key] = (parts, flat)
    return flat


def _binary(op: Callable[[Any, Any], Any]) -> tuple[Callable[..., Any], Callable[..., Any]]:
    return (lambda self, other: record(self.code, op, (self, other), {}),
            lambda self, other: record(self.code, op, (other, self), {}))  # fmt: skip


for _op, (_name, _rname) in {
    operator.add: ("__add__", "__radd__"), operator.sub: ("__sub__", "__rsub__"),
    operator.mul: ("__mul__", "__rmul__"), operator.truediv: ("__truediv__", "__rtruediv__"),
    operator.pow: ("__pow__", "__rpow__"), operator.matmul: ("__matmul__", "__rmatmul__"),
    operator.and_: ("__and__", "__rand__"), operator.or_: ("__or__", "__ror__"),
    operator.xor: ("__xor__", "__rxor__"), operator.floordiv: ("__floordiv__", "__rfloordiv__"),
    operator.mod: ("__mod__", "__rmod__"),
}.items():  # fmt: skip
    _fwd, _rev = _binary(_op)
    setattr(Sym, _name, _fwd)
    setattr(Sym, _rname, _rev)
for _op, _name in {
    operator.lt: "__lt__", operator.le: "__le__", operator.gt: "__gt__", operator.ge: "__ge__",
    operator.eq: "__eq__", operator.ne: "__ne__",
}.items():  # fmt: skip
    setattr(Sym, _name, _binary(_op)[0])
for _op, _name in {operator.neg: "__neg__", operator.pos: "__pos__", operator.invert: "__invert__",
                   abs: "__abs__"}.items():  # fmt: skip
    setattr(Sym, _name, (lambda op: lambda self: record(self.code, op, (self,), {}))(_op))


class _Method:
    """``x.<name>(...)``."""

    __slots__ = ("name",)

    def __init__(self, name_: str) -> None:
        self.name = name_

    def __call__(self, obj: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(obj, self.name)(*args, **kwargs)


class _Attribute(_Method):
    """``x.<name>`` (a view: ``x.T``, ``x.mT``)."""

    def __call__(self, obj: Any) -> Any:
        return getattr(obj, self.name)


class _Ufunc:
    """A ufunc's method: ``np.add.reduce(...)``."""

    __slots__ = ("ufunc", "method", "fn")

    def __init__(self, ufunc: np.ufunc, method: str, fn: Callable[..., Any]) -> None:
        self.ufunc, self.method, self.fn = ufunc, method, fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)


class RecordingNamespace:
    """The number system ``ns`` a VJP receives while it is written down: each of ARRAYS' functions,
    each itself traced (and called as one line where it cannot be)."""

    def __init__(self, code: Code) -> None:
        self._code = code

    def __getattr__(self, attr: str) -> Any:
        found = getattr(ARRAYS, attr)
        if attr in _LAYOUT:  # (read from the traced arrays: the code is written for their layout)
            return lambda *args: found(*concrete(args))
        if attr == "num":
            return lambda x: x if isinstance(x, Sym) and type(x.value) is np.ndarray else call(
                self._code, found, (x,), {}, "t", "num")  # fmt: skip
        if not callable(found):
            return found
        return lambda *args, **kwargs: call(self._code, found, args, kwargs, "t", attr)


# ---------------------------------------------------------------------------- recording
def concrete(x: Any) -> Any:
    """``x`` with every Sym replaced by its example value (and a recording ns by ARRAYS)."""
    if isinstance(x, Sym):
        return x.value
    if isinstance(x, RecordingNamespace):
        return ARRAYS
    if type(x) in (tuple, list):
        return type(x)(concrete(v) for v in x)
    if type(x) is dict:
        return {k: concrete(v) for k, v in x.items()}
    return x


def syms_in(x: Any, found: list[Sym]) -> list[Sym]:
    if isinstance(x, Sym):
        found.append(x)
    elif type(x) in (tuple, list):
        for v in x:
            syms_in(v, found)
    elif type(x) is dict:
        for v in x.values():
            syms_in(v, found)
    return found


def _evaluate(fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    token = mode.quiet()  # (as the engine computes: inf and nan are results, not warnings)
    try:
        return fn(*args, **kwargs)
    finally:
        mode.loud(token)


def same(a: Any, b: Any) -> bool:
    """Whether two results are the same, bit for bit (type, dtype, shape and bytes)."""
    if a is None or b is None:
        return a is None and b is None
    if type(a) is not type(b):
        return False
    if isinstance(a, (np.ndarray, np.generic)):
        return (
            a.dtype == b.dtype and a.shape == b.shape and np.asarray(a).tobytes() == np.asarray(b).tobytes()
        )
    return bool(a == b) or (a != a and b != b)


def record(code: Code, fn: Any, args: tuple, kwargs: dict, hint: str = "t") -> Any:
    """One operation on Syms: computed on the examples and written as a line (or, where the result
    is known to be an operand or a constant whatever the numbers, that)."""
    value = _evaluate(fn, concrete(args), concrete(kwargs))
    if not isinstance(value, (np.ndarray, np.generic)):
        raise Escape(f"{fn!r} gives a {type(value).__name__}, not an array")
    known = _identity(code, fn, args, kwargs, value)
    if known is not None:
        return known
    key = _key(fn, args, kwargs)
    if key is not None:  # the same operation on the same values: computed once
        held = code.computed.get(key)
        if held is not None and held[1] < len(code.lines) and code.lines[held[1]].target is held[0]:
            return held[0]
    args, kwargs = _literals(fn, args, kwargs, value)
    out = Sym(code, code.unique(hint), value)
    code.add(out, render(code, fn, args, kwargs), syms_in((args, kwargs), []), section=code.section)
    if key is not None:  # (the operands are held too: a key names them by id, which must stay theirs)
        code.computed[key] = (out, len(code.lines) - 1, args, kwargs)
    permutation = _permutation(fn, args, kwargs)
    if permutation is not None:
        code.transposes[id(out)] = (args[0], permutation, out)
    return out


def _identity(code: Code, fn: Any, args: tuple, kwargs: dict, value: Any) -> Any:
    """The result where IEEE arithmetic fixes it whatever the numbers (None elsewhere), for the same
    shape and dtype: ``1 · x = x``, ``x ** 1 = x`` (bit for bit: tests/compile checks this platform's
    pow), ``x ** 0 = 1`` (C99 F.9.4.4), ``where`` on a constant condition, and a transpose undone."""

    def alike(x: Any) -> bool:
        example = x.value if isinstance(x, Sym) else x
        return isinstance(example, (np.ndarray, np.generic)) and example.shape == value.shape and (
            example.dtype == value.dtype) and type(example) is type(value)  # fmt: skip

    def ones(x: Any) -> bool:
        return (
            not isinstance(x, Sym)
            and isinstance(x, (np.ndarray, np.generic, float, int))
            and bool(np.all(np.asarray(x) == 1))
        )

    if kwargs:
        return None
    if fn is operator.mul and len(args) == 2:
        for a, b in ((args[0], args[1]), (args[1], args[0])):
            if isinstance(a, Sym) and ones(b) and alike(a):
                return a
    power = isinstance(fn, _Ufunc) and fn.ufunc is np.power and fn.method == "__call__" and len(args) == 2
    if power and isinstance(args[0], Sym) and not isinstance(args[1], Sym) and np.ndim(args[1]) == 0:
        exponent = float(np.asarray(args[1]))
        if exponent == 1.0 and alike(args[0]):
            return args[0]
        if exponent == 0.0:
            return value  # (a constant: ones of the result's shape and dtype)
    if fn is np.where and len(args) == 3 and not isinstance(args[0], Sym):
        condition = np.asarray(args[0])
        branch = args[1] if condition.all() else args[2] if not condition.any() else None
        if branch is not None and isinstance(branch, Sym) and alike(branch):
            return branch
    permutation = _permutation(fn, args, kwargs)
    if permutation is not None and isinstance(args[0], Sym) and id(args[0]) in code.transposes:
        source, before, _ = code.transposes[id(args[0])]
        if tuple(before[i] for i in permutation) == tuple(range(len(permutation))) and alike(source):
            return source
    return None


def _key(fn: Any, args: tuple, kwargs: dict) -> Any:
    """What identifies an operation: the function and its operands (variables by identity, constants
    by value); None where an operand cannot serve as a key."""

    def part(x: Any) -> Any:
        if isinstance(x, Sym):
            return ("sym", id(x))
        if isinstance(x, (np.ndarray, np.generic)):
            return (
                ("array", x.dtype.str, x.shape, np.asarray(x).tobytes()) if x.size < 64 else ("object", id(x))
            )
        if type(x) in (tuple, list):
            return (type(x).__name__, *map(part, x))
        if isinstance(x, (int, float, bool, str, type(None), slice, np.dtype)) or x is Ellipsis:
            return ("value", type(x).__name__, repr(x))
        return ("object", id(x))

    fn_key = (
        ("method", fn.name)
        if isinstance(fn, _Method)
        else ("ufunc", fn.ufunc, fn.method)
        if isinstance(fn, _Ufunc)
        else fn
    )
    try:
        return (
            type(fn).__name__,
            fn_key,
            tuple(map(part, args)),
            tuple((k, part(v)) for k, v in sorted(kwargs.items())),
        )
    except TypeError:
        return None


def _permutation(fn: Any, args: tuple, kwargs: dict) -> tuple[int, ...] | None:
    """The axes permutation a transpose applies (None for any other operation)."""
    if not args or not isinstance(args[0], Sym) or kwargs:
        return None
    ndim = args[0].ndim
    if isinstance(fn, _Attribute) and fn.name in ("T", "mT") and ndim >= 2:
        return tuple(range(ndim))[::-1] if fn.name == "T" else (*range(ndim - 2), ndim - 1, ndim - 2)
    if (fn is np.transpose or (isinstance(fn, _Method) and fn.name == "transpose")) and len(args) == 2:
        axes = args[1]
        if axes is None:
            return tuple(range(ndim))[::-1]
        if isinstance(axes, (tuple, list)) and len(axes) == ndim:
            return tuple(int(a) for a in axes)
    return None


def _literals(fn: Any, args: tuple, kwargs: dict, value: Any) -> tuple[tuple, dict]:
    """The arguments with numpy scalars and 0-d arrays replaced by Python numbers wherever that gives
    the same result (the same dtype, so the same loop: NumPy reads a Python number in the other
    operands' dtype, exactly)."""
    positions = [i for i, a in enumerate(args) if _scalar_constant(a)]
    if not positions:
        return args, kwargs
    args = list(args)
    for i in positions:
        c = args[i]
        for candidate in _plain_numbers(c, value):
            trial = args[:i] + [candidate] + args[i + 1 :]
            try:
                got = _evaluate(fn, concrete(tuple(trial)), concrete(kwargs))
            except Exception:  # noqa: BLE001 (the number does not do: keep the array)
                continue
            if same(got, value):
                args[i] = candidate
                break
    return tuple(args), kwargs


def _scalar_constant(x: Any) -> bool:
    return isinstance(x, (np.generic, np.ndarray)) and np.ndim(x) == 0 and x.dtype.kind in "biuf"


def _plain_numbers(c: Any, result: Any) -> list[Any]:
    c = np.asarray(c)
    if c.dtype.kind == "b":
        return [bool(c)]
    if c.dtype.kind in "iu":
        return [int(c)]
    exact = float(c)
    if c.dtype == np.float32 and result.dtype == np.float32:  # read as float32: its short form is exact
        return [float(str(c[()])), exact]
    return [exact]


# ---------------------------------------------------------------------------- rendering
def render(code: Code, fn: Any, args: tuple, kwargs: dict) -> ast.expr:
    """The expression calling ``fn`` on ``args``."""
    a = [literal(code, x) for x in args]
    kw = [ast.keyword(arg=k, value=literal(code, v)) for k, v in kwargs.items()]
    if fn in _BINARY and len(a) == 2 and not kw:
        return ast.BinOp(left=a[0], op=_BINARY[fn](), right=a[1])
    if fn in _COMPARE and len(a) == 2 and not kw:
        return ast.Compare(left=a[0], ops=[_COMPARE[fn]()], comparators=[a[1]])
    if fn in _UNARY and len(a) == 1:
        return ast.UnaryOp(op=_UNARY[fn](), operand=a[0])
    if fn is abs:
        return ast.Call(func=name("abs"), args=a, keywords=[])
    if fn is operator.getitem:
        return ast.Subscript(value=a[0], slice=_index(code, args[1]), ctx=ast.Load())
    if isinstance(fn, _Attribute):
        return ast.Attribute(value=a[0], attr=fn.name, ctx=ast.Load())
    if isinstance(fn, _Method):
        return ast.Call(func=ast.Attribute(value=a[0], attr=fn.name, ctx=ast.Load()), args=a[1:], keywords=kw)
    if isinstance(fn, _Ufunc):
        func: ast.expr = function(code, fn.ufunc)
        if fn.method != "__call__":
            func = ast.Attribute(value=func, attr=fn.method, ctx=ast.Load())
        return ast.Call(func=func, args=a, keywords=kw)
    return ast.Call(func=function(code, fn), args=a, keywords=kw)


def _index(code: Code, index: Any) -> ast.expr:
    """An index as written inside ``[...]``: ``x[1:3, idx]``."""
    if type(index) is tuple:
        return (
            ast.Tuple(elts=[_index(code, i) for i in index], ctx=ast.Load())
            if index
            else literal(code, index)
        )
    if isinstance(index, slice):
        parts = [None if p is None else literal(code, p) for p in (index.start, index.stop, index.step)]
        return ast.Slice(lower=parts[0], upper=parts[1], step=parts[2])
    return literal(code, index)


def function(code: Code, fn: Any) -> ast.expr:
    """How the generated code names a function: ``np.tanh``, ``np.linalg.norm``, else a global."""
    name_ = getattr(fn, "__name__", None)
    module = getattr(fn, "__module__", None) or ("numpy" if isinstance(fn, np.ufunc) else None)
    if name_ and module and (module == "numpy" or module.startswith("numpy.")):
        path = ["np", *module.split(".")[1:]]
        for parts in (["np", name_], [*path, name_]):
            obj: Any = np
            for p in parts[1:]:
                obj = getattr(obj, p, None)
            if obj is fn:
                expr: ast.expr = name("np")
                for p in parts[1:]:
                    expr = ast.Attribute(value=expr, attr=p, ctx=ast.Load())
                return expr
    hint = name_ if name_ and name_.isidentifier() and name_ != "<lambda>" else "f"
    return code.glob(fn, hint.lstrip("_") or "f")


def literal(code: Code, x: Any) -> ast.expr:
    """An argument as written: a variable, a number, a tuple..., else a global constant."""
    if isinstance(x, Var):
        return var_name(x)
    if isinstance(x, RecordingNamespace):
        return code.glob(ARRAYS, "ns")
    if x is None or x is Ellipsis or type(x) in (bool, str):
        return ast.Constant(value=x)
    if type(x) is int:
        return ast.UnaryOp(op=ast.USub(), operand=ast.Constant(-x)) if x < 0 else ast.Constant(value=x)
    if type(x) is float:
        return number(x)
    if type(x) in (tuple, list):
        elts = [literal(code, v) for v in x]
        return (
            ast.Tuple(elts=elts, ctx=ast.Load()) if type(x) is tuple else ast.List(elts=elts, ctx=ast.Load())
        )
    if isinstance(x, slice):
        return ast.Call(
            func=name("slice"), args=[literal(code, p) for p in (x.start, x.stop, x.step)], keywords=[]
        )
    if (
        isinstance(x, np.dtype)
        and getattr(np, x.name, None) is not None
        and np.dtype(getattr(np, x.name)) == x
    ):
        return ast.Attribute(value=name("np"), attr=x.name, ctx=ast.Load())
    if isinstance(x, type) and issubclass(x, np.generic) and getattr(np, x.__name__, None) is x:
        return ast.Attribute(value=name("np"), attr=x.__name__, ctx=ast.Load())
    if callable(x) and not isinstance(x, (np.ndarray, np.generic)):
        return function(code, x)
    return code.glob(x, "c")


# ---------------------------------------------------------------------------- a traced call
def call(
    code: Code, fn: Callable[..., Any], args: tuple, kwargs: dict, hint: str = "t", fname: str | None = None
) -> Any:
    """``fn(*args, **kwargs)`` written into ``code``: traced into numpy lines where it can be (and
    its result checked bit for bit), else one line calling ``fn`` (a global named ``fname``).
    Constants in, constant out."""
    if not syms_in((args, kwargs), []):
        return _evaluate(fn, concrete(args), concrete(kwargs))
    mark = len(code.lines)
    expected = _evaluate(fn, concrete(args), concrete(kwargs))
    try:
        result = _evaluate(fn, args, kwargs)
        got = result.value if isinstance(result, Sym) else result
        if isinstance(result, Sym) or result is None or isinstance(result, (np.ndarray, np.generic)):
            if same(got, expected):
                return result
    except Exception:  # noqa: BLE001 (anything the symbols cannot do: the function is called instead)
        pass
    del code.lines[mark:]
    if expected is None:
        return None
    if not isinstance(expected, (np.ndarray, np.generic)):
        raise TypeError(
            f"compile: {getattr(fn, '__name__', fn)!r} returned {type(expected).__name__}, not an array"
        )
    out = Sym(code, code.unique(hint), expected)
    out.opaque = True
    if fname is not None and not isinstance(fn, np.ufunc):
        code.glob(fn, fname)
    code.add(out, render(code, fn, args, kwargs), syms_in((args, kwargs), []), section=code.section)
    return out
