"""The free names a compiled step's trace read, watched: one bound to another object traces again.

A compiled step holds the objects its trace reached. After ``model = Model()`` again in a
notebook, or ``W = Tensor(...)`` anew for a helper's global, it would go on computing with the old
ones, silently; so, as ``torch.compile`` guards the globals its traced frames read, every call
first checks that each free name the trace read still holds the object it held then, and drops
the traced programs where one does not (the call traces again).

**Which names.** Those of every Python function the trace ran that is the user's code: not the
library's packages (``autograd``, ``losses``, ``optimizers``), the standard library or
site-packages (numpy, torch). They are found by running them (a ``sys.setprofile`` hook on the
tracing thread, during the trace only: about 0.2 ms more per trace of a three-layer network), so
a helper, a helper's helper, a method reached through ``self`` (a Module subclass's
``forward``), a comprehension are all seen; a function the trace did not run (the other branch)
is not watched. For each such function:

- the globals its code reads (the names its bytecode loads as globals, found in its module's
  namespace as the code starts to run; not builtins, not a global it only assigns);
- its closure's cells, where the function object is found: the compiled function itself, a
  function a watched name holds (a helper in a global or a closure variable, a bound method, a
  ``functools.partial``), a method of its first argument's class or instance (``self``), or a
  function among its caller's local variables. A function made during the trace (a ``def``
  inside the step) needs no watch: its cells are its maker's variables, new at every call;
- where such a global or cell holds a module of the user's (``helpers.W``) or a plain object of the
  user's (``ns.W`` of a ``SimpleNamespace``, ``cfg.scale`` of an instance of a class of the
  user's that is no Module, Tensor, Value or array), its attributes that the code reads by name
  (one level: ``cfg.opt.lr`` watches ``cfg.opt``).

The compiled function's own names are watched whatever its file (a library function compiled as it is).

**Another object** is one that is not the same (``is``), as torch.compile's ``ID_MATCH`` guards,
except that a number, string or bool equal to the old one, of the same type, is the same (a cell
run again, ``lr = 0.1``). A number read from a global is part of the program the trace wrote (its
value is in the code), so a changed one traces again, as torch.compile recompiles on a changed
int global: a global step counter read inside the step (``min(1.0, step / 100)``) traces at every
new value, the same rule for the step's own globals and for a helper's. Pass a number that changes
from call to call as an argument (a Value or a one-element Tensor) to keep one program. A function
that rebinds a global it reads (``global n; n += 1``) traces at every call; the eighth trace warns,
naming the names that changed.

**Modules.** A Module the trace reached is watched, with every module under it (its
``modules()``, and the Modules its attributes hold, in lists, tuples and dicts too: a micrograd
Layer's neurons): one whose ``__call__`` ran while tracing, one a watched name holds (``model``
read by the step, the ``self`` of a compiled bound method, a Module in a list, tuple or dict a
name holds). So a submodule the trace only read (``F.linear(x, self.fc.weight)``) is watched too. Any
rebinding of a watched module's attributes to another object (the rule below) makes every compiled
step trace again at its next call: ``model.fc = nn.Linear(...)``, ``fc.weight = Parameter(...)``,
``self.scale = 2.0``, ``del m.bias``, ``m.forward = f``, ``register_buffer``/``register_parameter``/
``add_module``, and the containers' mutators (``Sequential``'s ``seq[1] = nn.Tanh()``, ``append``,
``insert``, ``del seq[i]``; ``ModuleList``, ``ModuleDict``, ``ParameterList``, ``ParameterDict``).
``Module.__setattr__`` and the mutators advance one clock, ``CLOCK``, where the module is
watched and the object bound is another; each compiled step keeps the clock's value at its trace.
``training`` is left out (``train()``/``eval()``: the flag of each module called while tracing picks
one of the programs kept for both modes, see ``autograd.compile``; a module whose ``forward`` is
run without calling the module, ``self.drop.forward(x)``, has its flag read once). Rebinding while
a step traces, or during the eager pass of ``check=True``, is the function's own doing and advances
nothing; an eager call of a model that assigns attributes in its forward (``self.last = out``)
between compiled calls does trace again. ``load_state_dict``, ``to(dtype)``, an optimizer's step
and ``p.data = ...`` write into the same objects: their numbers are read at every call (the
leaves). A fresh module, and a copy (``copy.deepcopy``), is not watched until a trace reaches it.

**Not watched.** Attributes of other objects: of the library's or an installed package's (an
optimizer's), of a plain object reached otherwise than by a watched name (``self.cfg.scale`` in a
method, ``cfg.opt.lr``), of classes (``Net.forward = f``); a list or dict changed in place
(``self.layers[0] = ...`` where ``self.layers`` is a plain list: use ``nn.ModuleList``). The program
keeps the old object: rebind the name the step reads, or compile again; ``check=True`` finds the
difference. The names of code run while another tool holds
``sys.setprofile`` (cProfile on Python 3.10 and 3.11): only the compiled function's own names are
watched then (modules are watched as they are called all the same).

**Cost.** The check compares the clock, then reads each watched name and compares it by identity:
about 0.3 µs a call, and 30 ns more a name (a step reading ten names: 0.7 µs), as the check of the
step's own names alone cost. A watched module's attribute assignment costs a dictionary look-up
more (an unwatched one's too: ``Module.__setattr__`` is Python code).
"""

from __future__ import annotations

import dis
import functools
import operator
import os
import site
import sys
import sysconfig
import types
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from .. import _hooks
from .._tensor import Tensor
from ..value import Value

_PLAIN = (int, float, complex, str, bytes, bool, type(None))  # (equal ones are the same value)
_MISSING = object()
_GLOBAL_LOADS = frozenset({"LOAD_GLOBAL", "LOAD_NAME", "LOAD_FROM_DICT_OR_GLOBALS"})
_ATTRIBUTE_LOADS = frozenset({"LOAD_ATTR", "LOAD_METHOD", "LOAD_SUPER_ATTR"})
_READS: weakref.WeakKeyDictionary[Any, tuple[tuple[str, ...], frozenset[str]]] = weakref.WeakKeyDictionary()

#: The rebinding clock: advanced when an attribute of a watched module is bound to another object.
CLOCK = [0]
#: The watched modules: id -> a weak reference to it (the entry goes with the module).
WATCHED: dict[int, weakref.ref] = {}
_LAST = [""]  # what advanced the clock last (the eighth trace's warning)
_PAUSED: ContextVar[bool] = ContextVar("autograd_compiled_watch_paused", default=False)


def rebinding(module: Any, name: str, value: Any = _MISSING) -> None:
    """Before ``module.name = value`` (``del`` without ``value``): advance ``CLOCK`` where the
    module is watched and ``value`` is another object than the one bound (see the module docstring)."""
    if name == "training" or _PAUSED.get() or _unwatched(module):
        return
    old = vars(module).get(name, _MISSING)
    if old is _MISSING:
        old = getattr(type(module), name, _MISSING)  # (a class default: training, a method)
    if not _same(old, value):
        _advance(f"{name}, an attribute of a {type(module).__name__}")


def mutated(module: Any, what: str) -> None:
    """A watched container's contents changed (``seq[1] = m``, ``append``): advance ``CLOCK``."""
    if not (_PAUSED.get() or _unwatched(module)):
        _advance(f"{what} of a {type(module).__name__}")


def reach(module: Any) -> None:
    """Watch ``module`` and every module under it (a trace reached it): its children, and the
    Modules its attributes hold, in a list, tuple or dict too (a micrograd Layer's neurons are the
    rows of its weight, not children)."""
    kind = sys.modules["autograd.nn.module"].Module
    stack, seen = [module], set()
    while stack:
        m = stack.pop()
        key = id(m)
        if key in seen:
            continue
        seen.add(key)
        ref = WATCHED.get(key)
        if ref is None or ref() is not m:
            try:
                WATCHED[key] = weakref.ref(m, functools.partial(_forget, key))
            except TypeError:  # (no weak references: __slots__ without __weakref__; not watched)
                pass
        stack += m.children()
        for value in getattr(m, "__dict__", {}).values():
            stack += [x for x in _items(value) if issubclass(type(x), kind)]


@contextmanager
def paused() -> Iterator[None]:
    """Rebinding inside the block advances nothing (the function's own, while traced or checked)."""
    token = _PAUSED.set(True)
    try:
        yield
    finally:
        _PAUSED.reset(token)


def _unwatched(module: Any) -> bool:
    ref = WATCHED.get(id(module))
    return ref is None or ref() is not module


def _forget(key: int, ref: weakref.ref) -> None:
    if WATCHED.get(key) is ref:
        del WATCHED[key]


def _advance(what: str) -> None:
    CLOCK[0] += 1
    _LAST[0] = what


_hooks.ON_MOVED.append(lambda: _advance("a hook registered"))  # (hooks: a compiled step refuses them)


class Watch:
    """The free names the traces of one compiled function read, and the objects they held.

    ``changed()`` is the per-call check; ``recording(fn)`` records what a trace of ``fn`` reads and
    adds it (names already watched keep their first object: the programs traced before hold it).
    """

    __slots__ = ("_cells", "_clock", "_entries", "_groups", "_objects")

    def __init__(self) -> None:
        self._clock = CLOCK[0]  # (the rebinding clock at the latest trace)
        # (id(holder), name) -> (holder: a cell or a namespace, name, object, (kind, code that read it))
        self._entries: dict[tuple[int, str], tuple[Any, str, Any, tuple[str, Any]]] = {}
        self._cells: tuple[Any, ...] = ()
        # per namespace: an itemgetter of its watched names (a lone name twice: the getter gives a tuple)
        self._groups: tuple[tuple[Callable[[Any], tuple[Any, ...]], Any], ...] = ()
        self._objects: tuple[Any, ...] = ()

    def __len__(self) -> int:
        return len(self._entries)

    def changed(self) -> bool:
        """Whether a watched name holds another object than at its trace, or a watched module's
        attribute was bound anew since (see the module)."""
        if CLOCK[0] != self._clock:
            return True
        try:
            now = [c.cell_contents for c in self._cells]
            for getter, namespace in self._groups:
                now += getter(namespace)
        except (ValueError, KeyError):  # (a cell emptied, a global deleted: the trace raises NameError)
            return True
        if all(map(operator.is_, now, self._objects)):
            return False
        if self.rebound():
            return True
        # only equal numbers or strings bound again: hold the new ones (the check stays one `is`)
        self._entries = {k: (h, n, _read(h, n), why) for k, (h, n, _, why) in self._entries.items()}
        self._freeze()
        return False

    def rebound(self) -> list[str]:
        """What changed, one phrase a name (``"W, a global read by helper (model.py:12)"``), then the
        latest module rebinding (``"fc, an attribute of a Net"``)."""
        names = [
            _describe(name, why)
            for holder, name, obj, why in self._entries.values()
            if not _same(obj, _read(holder, name))
        ]
        return names + [_LAST[0]] if CLOCK[0] != self._clock else names

    @contextmanager
    def recording(self, fn: Any) -> Iterator[None]:
        """Record the free names read while the block runs ``fn`` (a trace); add them if it succeeds,
        and watch the modules they hold (those called while tracing watch themselves)."""
        recorder = _Recorder(fn)
        hooked = sys.getprofile() is None  # (another tool's profiler is left alone: see the module)
        if hooked:
            sys.setprofile(recorder.hook)
        try:
            with paused():
                yield
        finally:
            if hooked:
                sys.setprofile(None)
        for key, entry in recorder.entries.items():
            self._entries.setdefault(key, entry)
        for obj in (fn, *(entry[2] for entry in recorder.entries.values())):
            _reach_held(obj)
        self._freeze()
        self._clock = CLOCK[0]

    def _freeze(self) -> None:
        """The tuples ``changed`` reads: cells first, then the names grouped by namespace."""
        cells, groups = [], {}
        for holder, name, obj, _ in self._entries.values():
            if isinstance(holder, types.CellType):
                cells.append((holder, obj))
            else:
                groups.setdefault(id(holder), (holder, []))[1].append((name, obj))
        for _, items in groups.values():
            items *= 2 if len(items) == 1 else 1
        self._cells = tuple(c for c, _ in cells)
        self._groups = tuple((operator.itemgetter(*(n for n, _ in items)), h) for h, items in groups.values())
        self._objects = (*(o for _, o in cells), *(o for _, items in groups.values() for _, o in items))


class _Recorder:
    """What one trace reads: the profile hook's state (see the module docstring)."""

    def __init__(self, fn: Any) -> None:
        self.entries: dict[tuple[int, str], tuple[Any, str, Any, tuple[str, Any]]] = {}
        self.functions: dict[Any, list[types.FunctionType]] = {}  # code -> functions seen holding it
        self.seen: set[Any] = set()
        own = _function(fn)
        if own is not None:  # (the compiled function's own names, whatever its file)
            self.seen.add(own.__code__)
            self.functions[own.__code__] = [own]
            self._names(own.__globals__, own.__code__)
            self._cells(own)

    def hook(self, frame: Any, event: str, arg: Any) -> None:
        if event != "call":
            return
        code = frame.f_code
        if code in self.seen:
            return
        self.seen.add(code)
        try:  # (a profile function that raises would raise in the user's code, and be removed)
            scope = frame.f_globals
            module = scope.get("__file__")
            if not (_is_users(code.co_filename) and _is_users(module if isinstance(module, str) else "<")):
                return  # (the library's, or code it generated: a dataclass's __init__ is "<string>")
            self._names(scope, code)
            if code.co_freevars:
                for f in self._functions_of(frame, code):
                    self._cells(f)
        except Exception:  # (an object that refuses to be looked at: not watched)
            pass

    def _watch(self, holder: Any, name: str, obj: Any, why: tuple[str, Any]) -> None:
        key = (id(holder), name)
        if key not in self.entries:
            self.entries[key] = (holder, name, obj, why)
            f = _function(obj)
            if f is not None:
                self.functions.setdefault(f.__code__, []).append(f)

    def _names(self, scope: dict[str, Any], code: Any) -> None:
        """The globals ``code`` reads (not those it only assigns), and the attributes it reads of
        those that are a user's module or a plain object of the user's."""
        for name in _reads(code)[0]:
            obj = scope.get(name, _MISSING)
            if obj is _MISSING:  # (a builtin)
                continue
            self._watch(scope, name, obj, ("a global read by", code))
            self._attributes(name, obj, code)

    def _cells(self, f: types.FunctionType) -> None:
        for name, cell in zip(f.__code__.co_freevars, f.__closure__ or ()):
            try:
                obj = cell.cell_contents
            except ValueError:  # (not bound yet)
                continue
            self._watch(cell, name, obj, ("a closure variable of", f.__code__))
            self._attributes(name, obj, f.__code__)

    def _attributes(self, name: str, obj: Any, code: Any) -> None:
        """The attributes ``code`` reads (by name) of ``obj``, where it is a module of the user's
        (``helpers.W``) or a plain object of the user's (``ns.W``, ``cfg.scale``: a SimpleNamespace,
        an instance of a class of the user's that is no Module, Tensor or array)."""
        kind = type(obj)
        if issubclass(kind, types.ModuleType):
            namespace = vars(obj)
            file = namespace.get("__file__")
            if not (isinstance(file, str) and _is_users(file)):
                return
            why = f"an attribute of module {namespace.get('__name__')} read by"
        elif kind is types.SimpleNamespace or _users_class(kind):
            try:  # (its own attributes, not through a __getattr__)
                namespace = object.__getattribute__(obj, "__dict__")
            except AttributeError:
                return
            if type(namespace) is not dict:
                return
            why = f"an attribute of {name} read by"
        else:
            return
        for attribute in _reads(code)[1] & namespace.keys():
            self._watch(namespace, attribute, namespace[attribute], (why, code))

    def _functions_of(self, frame: Any, code: Any) -> list[types.FunctionType]:
        """The function objects running ``code`` in ``frame`` (several share a code where a factory
        made them; those whose cells hold the frame's values are kept)."""
        found = self.functions.get(code, [])
        if not found:
            candidates: list[Any] = []
            local = frame.f_locals
            if code.co_argcount:
                first = local.get(code.co_varnames[0])
                for k in (first if issubclass(type(first), type) else type(first)).__mro__:
                    candidates += vars(k).values()
                try:  # (its own attributes, not through a __getattr__)
                    candidates += object.__getattribute__(first, "__dict__").values()
                except AttributeError:
                    pass
            if frame.f_back is not None:
                candidates += frame.f_back.f_locals.values()
            found = [f for f in map(_function, candidates) if f is not None and f.__code__ is code]
        if len(found) > 1:
            values = [frame.f_locals.get(n, _MISSING) for n in code.co_freevars]
            exact = [f for f in found if all(map(operator.is_, values, map(_contents, f.__closure__)))]
            found = exact or found
        return found


def _reach_held(obj: Any) -> None:
    """Watch the Modules ``obj`` holds: itself, a bound method's ``self``, a list's, tuple's or dict's."""
    module = sys.modules.get("autograd.nn.module")
    if module is None:  # (no Module was made)
        return
    if type(obj) is types.MethodType:
        obj = obj.__self__
    for item in _items(obj):
        if issubclass(type(item), module.Module):  # (by its type: a proxy is not asked its __class__)
            reach(item)


def _items(value: Any) -> Any:
    """The elements of a list or tuple, the values of a dict; else ``value`` alone."""
    kind = type(value)
    return value.values() if kind is dict else value if kind in (list, tuple) else (value,)


@functools.lru_cache(maxsize=1024)
def _users_class(kind: type) -> bool:
    """Whether instances of ``kind`` are plain objects of the user's: a class from the user's code
    (see ``_is_users``), not a Module (watched by the clock), Tensor, Value or array, nor a class."""
    if issubclass(kind, (type, np.ndarray, Tensor, Value)) or kind.__module__ == "builtins":
        return False
    nn_module = sys.modules.get("autograd.nn.module")
    if nn_module is not None and issubclass(kind, nn_module.Module):
        return False
    file = getattr(sys.modules.get(kind.__module__), "__file__", None)
    return _is_users(file if isinstance(file, str) else "<")


def _function(obj: Any) -> types.FunctionType | None:
    """The Python function behind ``obj`` (a function, bound method, partial, static/class method);
    by its type alone (``isinstance`` would ask a proxy's ``__class__``)."""
    for _ in range(4):
        kind = type(obj)
        if kind is types.FunctionType:
            return obj
        if kind is types.MethodType or kind is staticmethod or kind is classmethod:
            obj = obj.__func__
        elif issubclass(kind, functools.partial):
            obj = obj.func
        else:
            return None
    return None


def _reads(code: Any) -> tuple[tuple[str, ...], frozenset[str]]:
    """The global names ``code`` loads, and the attribute names it loads (from its bytecode, once)."""
    found = _READS.get(code)
    if found is None:
        names: dict[str, None] = {}
        attributes = set()
        for ins in dis.get_instructions(code):
            if ins.opname in _GLOBAL_LOADS:
                names[ins.argval] = None
            elif ins.opname in _ATTRIBUTE_LOADS:
                attributes.add(ins.argval)
        found = _READS[code] = (tuple(names), frozenset(attributes))
    return found


def _contents(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:
        return _MISSING


def _read(holder: Any, name: str) -> Any:
    return _contents(holder) if isinstance(holder, types.CellType) else holder.get(name, _MISSING)


def _same(old: Any, new: Any) -> bool:
    """The same object, or an equal plain number, string or bool of the same type (not 0.0 and -0.0)."""
    if old is new:
        return True
    return type(old) is type(new) and type(old) in _PLAIN and old == new and repr(old) == repr(new)


def _describe(name: str, why: tuple[str, Any]) -> str:
    kind, code = why
    return f"{name}, {kind} {code.co_name} ({os.path.basename(code.co_filename)}:{code.co_firstlineno})"


@functools.lru_cache(maxsize=4096)
def _is_users(filename: str) -> bool:
    """Whether code from ``filename`` is the user's: not the library's, the standard library's, an
    installed package's, frozen or generated by ``autograd.compile``."""
    if filename.startswith("<"):
        return not filename.startswith(("<frozen", "<autograd.compile"))
    path = os.path.realpath(filename)
    return not any(path == d or path.startswith(d + os.sep) for d in _library_dirs())


@functools.lru_cache(maxsize=1)
def _library_dirs() -> tuple[str, ...]:
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../autograd
    root = os.path.dirname(package)
    dirs = [package, os.path.join(root, "losses"), os.path.join(root, "optimizers")]
    paths = sysconfig.get_paths()
    dirs += [paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths]
    dirs += getattr(site, "getsitepackages", list)()
    dirs.append(site.getusersitepackages() if site.ENABLE_USER_SITE else "")
    return tuple(os.path.realpath(d) for d in dirs if d)
