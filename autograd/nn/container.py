"""The containers of torch.nn: ``Sequential`` (modules applied one after another, named 0, 1, 2, ...
or by a dict), ``ModuleList``, ``ModuleDict``, ``ParameterList`` and ``ParameterDict``."""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any

from .._tensor import Tensor
from ..compiled.watch import mutated
from .module import Module, _check_name
from .parameter import Parameter


class Sequential(Module):
    """``Sequential(m0, m1, ...)(x) = ...m1(m0(x))``; state-dict keys ``"0.weight"``, ``"2.bias"``, ...

    As in torch, ``Sequential(OrderedDict(fc=Linear(2, 3), act=Tanh()))`` names the modules
    instead (keys ``"fc.weight"``, ...).
    """

    def __init__(self, *modules: Module | Mapping[str, Module]) -> None:
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            named = list(modules[0].items())
        else:
            named = [(str(i), m) for i, m in enumerate(modules)]
        for i, (name, m) in enumerate(named):
            if not isinstance(m, Module):
                what = f"argument {i}" if name == str(i) else f"module {name!r}"
                raise TypeError(f"Sequential: {what} must be a Module, got {type(m).__name__}")
            if not isinstance(name, str) or not name or "." in name:
                raise ValueError(
                    f"Sequential: module names must be non-empty strings without '.', got {name!r}"
                )
        self._named = named

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return iter(self._named)

    def forward(self, x: Any) -> Any:
        for _, m in self._named:
            x = m(x)
        return x

    def append(self, module: Module) -> Sequential:
        """Add ``module`` at the end, named by its position (returns self, as torch)."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential.append: expected a Module, got {type(module).__name__}")
        self._named.append((str(len(self._named)), module))
        mutated(self, "append")
        return self

    def add_module(self, name: str, module: Module) -> None:
        """Put ``module`` under ``name``: in the place of the module so named, else at the end (torch)."""
        _check_name("Sequential.add_module", name)
        module = _module("Sequential.add_module", module)
        names = [n for n, _ in self._named]
        if name in names:
            self[names.index(name)] = module
        else:
            self._named.append((name, module))
            mutated(self, f"add_module({name!r})")

    register_module = add_module

    def insert(self, index: int, module: Module) -> Sequential:
        """Insert ``module`` before ``index``; the modules are numbered again (returns self, as torch)."""
        n = len(self._named)
        if not isinstance(index, int) or not -n <= index <= n:
            raise IndexError(f"Sequential.insert: index must be an int in [{-n}, {n}], got {index!r}")
        modules = [m for _, m in self._named]
        modules.insert(index, _module("Sequential.insert", module))
        self._named = [(str(i), m) for i, m in enumerate(modules)]
        mutated(self, "insert")
        return self

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return Sequential(dict(self._named[index]))
        return self._named[index][1]

    def __setitem__(self, index: int, module: Module) -> None:
        """Replace the module at ``index``, keeping its name (torch: swap a classifier in)."""
        name, old = self._named[index]
        self._named[index] = (name, _module(f"Sequential[{index}] =", module))
        if module is not old:
            mutated(self, f"[{index}]")

    def __delitem__(self, index: int | slice) -> None:
        """Remove the module(s) at ``index``; the rest are numbered again ``"0"``, ``"1"``, ... (torch)."""
        modules = [m for _, m in self._named]
        del modules[index]
        self._named = [(str(i), m) for i, m in enumerate(modules)]
        mutated(self, f"del [{index}]")

    def __len__(self) -> int:
        return len(self._named)

    def __iter__(self) -> Iterator[Module]:
        return (m for _, m in self._named)


class ModuleList(Module):
    """A list of modules, registered as submodules named ``"0"``, ``"1"``, ... (``torch.nn.ModuleList``).

    It has no ``forward``: index or iterate it in your own. Supports ``append``, ``extend``,
    ``insert``, indexing (a slice gives a ModuleList), assignment, ``del``, ``len`` and ``+=``.

    Parameters
    ----------
    modules : iterable of Module, optional
        The first elements.

    Raises
    ------
    TypeError
        If an element is not a Module.
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        self._list: list[Module] = []
        if modules is not None:
            self.extend(modules)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return ((str(i), m) for i, m in enumerate(self._list))

    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns self."""
        self._list.append(_module("ModuleList.append", module))
        mutated(self, "append")
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add every module of ``modules`` at the end; returns self."""
        self._list.extend(_module(f"ModuleList: element {i}", m) for i, m in enumerate(modules))
        mutated(self, "extend")
        return self

    def add_module(self, name: str, module: Module) -> None:
        """``"i"`` replaces the i-th module, ``str(len(self))`` appends one (torch's names)."""
        n = len(self._list)
        if not (isinstance(name, str) and name.isdigit() and name == str(int(name)) and int(name) <= n):
            raise KeyError(f"ModuleList.add_module: name must be an index from '0' to '{n}', got {name!r}")
        if int(name) == n:
            self.append(module)
        else:
            self[int(name)] = module

    register_module = add_module

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before ``index``."""
        self._list.insert(index, _module("ModuleList.insert", module))
        mutated(self, "insert")

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ModuleList(self._list[index])
        return self._list[index]

    def __setitem__(self, index: int, module: Module) -> None:
        old = self._list[index]
        self._list[index] = _module("ModuleList[index] =", module)
        if module is not old:
            mutated(self, f"[{index}]")

    def __delitem__(self, index: int | slice) -> None:
        del self._list[index]
        mutated(self, f"del [{index}]")

    def __len__(self) -> int:
        return len(self._list)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._list)

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __repr__(self) -> str:
        """As torch prints it: a run of equal modules on one line, ``(0-2): 3 x Linear(...)``."""
        if not self._list:
            return "ModuleList()"
        lines, start = [], 0
        reprs = [repr(m) for m in self._list]
        for i in range(1, len(reprs) + 1):
            if i == len(reprs) or reprs[i] != reprs[start]:
                where = str(start) if i - start == 1 else f"{start}-{i - 1}"
                count = "" if i - start == 1 else f"{i - start} x "
                lines.append(f"({where}): {count}{reprs[start]}".replace("\n", "\n  "))
                start = i
        return "ModuleList(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """Modules by name, in insertion order, registered as submodules (``torch.nn.ModuleDict``).

    A dict's interface: ``d[key]``, ``d[key] = m``, ``del``, ``in``, ``len``, iteration over the
    keys, ``keys()``, ``values()``, ``items()``, ``update()``, ``pop()``, ``clear()``.

    Parameters
    ----------
    modules : mapping or iterable, optional
        The first entries: a mapping of names to modules, or ``(name, module)`` pairs.

    Raises
    ------
    TypeError
        If a value is not a Module.
    KeyError
        If a name is not a str or holds '.'.
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None) -> None:
        self._dict: dict[str, Module] = {}
        if modules is not None:
            self.update(modules)

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return iter(self._dict.items())

    def __getitem__(self, key: str) -> Module:
        return self._dict[key]

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str) or not key or "." in key:
            raise KeyError(f"ModuleDict: keys must be non-empty strs without '.', got {key!r}")
        old = self._dict.get(key)
        self._dict[key] = _module(f"ModuleDict[{key!r}] =", module)
        if module is not old:
            mutated(self, f"[{key!r}]")

    def add_module(self, name: str, module: Module) -> None:
        """``d[name] = module`` (torch's ModuleDict registers it as an entry)."""
        self[name] = module

    register_module = add_module

    def __delitem__(self, key: str) -> None:
        del self._dict[key]
        mutated(self, f"del [{key!r}]")

    def __contains__(self, key: object) -> bool:
        return key in self._dict

    def __len__(self) -> int:
        return len(self._dict)

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def keys(self) -> KeysView[str]:
        """The names, in insertion order."""
        return self._dict.keys()

    def values(self) -> ValuesView[Module]:
        """The modules, in insertion order."""
        return self._dict.values()

    def items(self) -> ItemsView[str, Module]:
        """``(name, module)`` pairs, in insertion order."""
        return self._dict.items()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add or replace modules from a mapping or from ``(name, module)`` pairs."""
        for key, module in modules.items() if isinstance(modules, Mapping) else modules:
            self[key] = module

    def pop(self, key: str) -> Module:
        """Remove ``key`` and return its module."""
        module = self._dict.pop(key)
        mutated(self, f"pop({key!r})")
        return module

    def clear(self) -> None:
        """Remove every module."""
        self._dict.clear()
        mutated(self, "clear()")


def _module(where: str, module: Any) -> Module:
    if not isinstance(module, Module):
        raise TypeError(f"{where}: expected a Module, got {type(module).__name__}")
    return module


class ParameterList(Module):
    """A list of parameters, registered under the names ``"0"``, ``"1"``, ... (``torch.nn.ParameterList``).

    A Tensor added is made a :class:`~autograd.nn.Parameter` (sharing its array), as torch does;
    other objects are kept as they are (and are not parameters). Supports ``append``,
    ``extend``, indexing (a slice gives a ParameterList), assignment, ``len``, iteration and ``+=``.

    Parameters
    ----------
    values : iterable, optional
        The first elements.
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        self._params: list[Any] = []
        if values is not None:
            self.extend(values)

    def _named_own_parameters(self) -> Iterator[tuple[str, Any]]:
        return ((str(i), p) for i, p in enumerate(self._params) if isinstance(p, Parameter))

    def _set_own(self, name: str, value: Any) -> None:
        self[int(name)] = value

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return ((str(i), m) for i, m in enumerate(self._params) if isinstance(m, Module))

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` at the end (a Tensor as a Parameter); returns self."""
        self._params.append(_as_parameter(value))
        mutated(self, "append")
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Add every element of ``values`` at the end; returns self."""
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(
                f"ParameterList.extend should be called with an iterable, got {type(values).__name__}"
            )
        self._params.extend(_as_parameter(v) for v in values)
        mutated(self, "extend")
        return self

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ParameterList(self._params[index])
        return self._params[index]

    def __setitem__(self, index: int, value: Any) -> None:
        old, new = self._params[index], _as_parameter(value)
        self._params[index] = new
        if new is not old:
            mutated(self, f"[{index}]")

    def __len__(self) -> int:
        return len(self._params)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._params)

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def __repr__(self) -> str:
        """As torch prints it: one line per element, its kind, dtype and size."""
        lines = [f"  ({i}): {_describe(p, 'list')}" for i, p in enumerate(self._params)]
        return _container_repr("ParameterList", lines)


class ParameterDict(Module):
    """Parameters by name, in insertion order (``torch.nn.ParameterDict``); state-dict keys are the names.

    A Tensor stored is made a :class:`~autograd.nn.Parameter` (sharing its array), as torch does.
    A dict's interface: ``d[key]``, ``d[key] = p``, ``del``, ``in``, ``len``, iteration over the
    keys, ``keys()``, ``values()``, ``items()``, ``get()``, ``update()``, ``pop()``, ``clear()``.

    Parameters
    ----------
    parameters : mapping or iterable, optional
        The first entries: a mapping of names to parameters, or ``(name, parameter)`` pairs.

    Raises
    ------
    KeyError
        If a name is not a str or holds '.'.
    """

    def __init__(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> None:
        self._params: dict[str, Any] = {}
        if parameters is not None:
            self.update(parameters)

    def _named_own_parameters(self) -> Iterator[tuple[str, Any]]:
        return ((k, p) for k, p in self._params.items() if isinstance(p, Parameter))

    def _set_own(self, name: str, value: Any) -> None:
        self[name] = value

    def named_children(self) -> Iterator[tuple[str, Module]]:
        return ((k, m) for k, m in self._params.items() if isinstance(m, Module))

    def __getitem__(self, key: str) -> Any:
        return self._params[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str) or not key or "." in key:
            raise KeyError(f"ParameterDict: keys must be non-empty strs without '.', got {key!r}")
        old, new = self._params.get(key), _as_parameter(value)
        self._params[key] = new
        if new is not old:
            mutated(self, f"[{key!r}]")

    def __delitem__(self, key: str) -> None:
        del self._params[key]
        mutated(self, f"del [{key!r}]")

    def __contains__(self, key: object) -> bool:
        return key in self._params

    def __len__(self) -> int:
        return len(self._params)

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def keys(self) -> KeysView[str]:
        """The names, in insertion order."""
        return self._params.keys()

    def values(self) -> ValuesView[Any]:
        """The parameters, in insertion order."""
        return self._params.values()

    def items(self) -> ItemsView[str, Any]:
        """``(name, parameter)`` pairs, in insertion order."""
        return self._params.items()

    def get(self, key: str, default: Any = None) -> Any:
        """The parameter named ``key``, or ``default``."""
        return self._params.get(key, default)

    def update(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        """Add or replace entries from a mapping or from ``(name, parameter)`` pairs."""
        for key, value in parameters.items() if isinstance(parameters, Mapping) else parameters:
            self[key] = value

    def pop(self, key: str) -> Any:
        """Remove ``key`` and return its parameter."""
        value = self._params.pop(key)
        mutated(self, f"pop({key!r})")
        return value

    def clear(self) -> None:
        """Remove every entry."""
        self._params.clear()
        mutated(self, "clear()")

    def __repr__(self) -> str:
        """As torch prints it: one line per entry, its kind, type and size."""
        lines = [f"  ({k}): {_describe(p, 'dict')}" for k, p in self._params.items()]
        return _container_repr("ParameterDict", lines)


def _container_repr(name: str, lines: list[str]) -> str:
    """torch's layout: one line inline (``ParameterList(  (0): ...)``), more one per line."""
    if len(lines) <= 1:
        return f"{name}({''.join(lines)})"
    return f"{name}(" + "".join(f"\n  {line}" for line in lines) + "\n)"


def _as_parameter(value: Any) -> Any:
    """A Tensor as a Parameter (sharing its array), as torch's ParameterList and ParameterDict store it."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _describe(p: Any, kind: str) -> str:
    """torch's line for one element: ``Parameter containing: [autograd.float64 of size 3x4]`` (a
    list) or ``[autograd.DoubleTensor of size 3x4]`` (a dict)."""
    if not isinstance(p, Tensor):
        return f"Object of type: {type(p).__name__}"
    size = "x".join(map(str, p.shape))
    what = f"autograd.{p.dtype}" if kind == "list" else p.type()
    return f"{'Parameter' if isinstance(p, Parameter) else 'Tensor'} containing: [{what} of size {size}]"
