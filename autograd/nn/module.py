"""The base class of every layer: calling, parameters, zero_grad, reprs and state dicts, as in torch.nn."""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from .._errors import ArgumentError
from .._tensor import Tensor
from ..compiled.watch import WATCHED, reach, rebinding
from ..graph import is_tracing, watch
from ..meta import NO_DATA, is_meta
from ..value import Value
from . import meta as _meta_modules
from .hooks import GLOBAL as _GLOBAL_HOOKS
from .hooks import _ModuleHooks
from .hooks import call as _call_with_hooks
from .parameter import Parameter

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped, as torch returns it: ``missing_keys``, the
    model's keys the state dict did not have, and ``unexpected_keys``, the state dict's keys the
    model does not have.
    """

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        """torch's text: ``<All keys matched successfully>`` when both lists are empty, else its
        class's (``_IncompatibleKeys(missing_keys=[...], unexpected_keys=[...])``)."""
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        missing, unexpected = self.missing_keys, self.unexpected_keys
        return f"_IncompatibleKeys(missing_keys={missing!r}, unexpected_keys={unexpected!r})"

    __str__ = __repr__


class Module(_ModuleHooks):
    """A callable holding parameters (Values or Tensors), modelled on ``torch.nn.Module``.

    Subclasses define ``forward`` (or micrograd-style ``__call__``). Submodules and parameters
    are registered by assigning them to attributes, as in torch (``self.fc1 = nn.Linear(2, 3)``,
    ``self.w = nn.Parameter(...)``), in the order they were assigned; ``super().__init__()`` may
    be called or left out. A parameter is a ``Parameter``, or a leaf Tensor that requires grad,
    or a leaf Value; a submodule a ``Module``. A list or tuple of them counts too (named
    ``attr.0``, ``attr.1``, ... as torch's ModuleList and ParameterList name theirs). Names and
    order are torch's: each module's own parameters, then its children's, depth first. Hooks
    (``register_forward_hook``, ``register_full_backward_hook``, ...): ``autograd/nn/hooks.py``.
    """

    training = True  # torch's flag, set by train()/eval(); Dropout reads it
    _version = 1  # torch's: the layout's version, in ``state_dict()._metadata`` (2 for the norms)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if _meta_modules.takes_device(init):  # (device="meta", or in `with device("meta")`: nn/meta.py)
            cls.__init__ = _meta_modules.built_on_device(init)  # type: ignore[method-assign]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if is_tracing():  # (a compiled step is valid for the train/eval mode it was traced in)
            watch(self, "training")
            reach(self)  # (and while its modules' attributes stay bound: autograd.compiled.watch)
        if self._module_hooks is not None or _GLOBAL_HOOKS.any:  # (hooks: autograd/nn/hooks.py)
            return _call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        if id(self) in WATCHED:  # (a compiled step's trace reached it: another object traces again)
            rebinding(self, name, value)
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if id(self) in WATCHED:
            rebinding(self, name)
        object.__delattr__(self, name)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation, ``module(x)``: each subclass defines it (its class docstring has the formula)."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(...)")

    # -- structure (override where the layout differs from the attributes)
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Direct submodules as ``(name, module)``."""
        for name, attr in vars(self).items():
            if isinstance(attr, Module):
                yield name, attr
            elif isinstance(attr, (list, tuple)) and attr and all(isinstance(m, Module) for m in attr):
                yield from ((f"{name}.{i}", m) for i, m in enumerate(attr))

    def _named_own_parameters(self) -> Iterator[tuple[str, Any]]:
        for name, attr in vars(self).items():
            if _is_parameter(attr):
                yield name, attr
            elif isinstance(attr, (list, tuple)) and attr and all(map(_is_parameter, attr)):
                yield from ((f"{name}.{i}", p) for i, p in enumerate(attr))

    def _named_own_buffers(self, persistent_only: bool = False) -> Iterator[tuple[str, Tensor]]:
        """This module's registered buffers (``register_buffer``) that are not None."""
        for name, persistent in vars(self).get("_buffers", {}).items():
            buffer = getattr(self, name, None)
            if buffer is not None and (persistent or not persistent_only):
                yield name, buffer

    def _own_state(self) -> dict[str, Any]:
        """This module's own entries of the state dict, the objects themselves: parameters (a
        Tensor or a Value), then persistent buffers (``state_dict`` detaches them)."""
        state = dict(self._named_own_parameters())
        state.update(self._named_own_buffers(True))
        return state

    def _load_own(self, arrays: Mapping[str, np.ndarray]) -> None:
        """Write checked arrays (shape and dtype already equal to ``_own_state``'s) in place."""
        params = dict(self._named_own_parameters())
        params.update(self._named_own_buffers(persistent_only=True))
        for name, arr in arrays.items():
            p = params[name]
            if isinstance(p, Value):
                p.data = float(arr)
            elif is_meta(p.data):
                warnings.warn(
                    f"for {name}: copying from a non-meta parameter in the checkpoint to a meta parameter "
                    "in the current model, which is a no-op. (Did you mean to pass `assign=True` to assign "
                    "items in the state dictionary to their corresponding key in the module instead of "
                    "copying them in place?)",
                    UserWarning,
                    stacklevel=4,
                )
            else:
                p.data[...] = arr
                p._changed_in_place([p.data])  # (torch's version counter)

    def _assign_own(self, values: Mapping[str, Any]) -> None:
        """``load_state_dict(assign=True)``'s step: each entry (checked by ``_assignable``)
        becomes the parameter or buffer of its name; Values are loaded in place."""
        params = dict(self._named_own_parameters())
        if any(isinstance(p, Value) for p in params.values()):  # (a micrograd module: in place)
            own = self._own_state()
            self._load_own({name: v.data.astype(_array(own[name]).dtype) for name, v in values.items()})
            return
        for name, value in values.items():
            if name in params:  # (a buffer is the Tensor given itself)
                value = _as_parameter(value, params[name].requires_grad)
            self._set_own(name, value)

    def _set_own(self, name: str, value: Tensor) -> None:
        """Make ``value`` this module's own parameter or buffer ``name`` (as ``state_dict`` keys it)."""
        attr, _, index = name.partition(".")
        if index:  # (a list or tuple attribute: ``attr.0``, ``attr.1``, ...)
            items = list(getattr(self, attr))
            items[int(index)] = value
            setattr(self, attr, type(getattr(self, attr))(items))
        else:
            setattr(self, attr, value)

    def _walk(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """Every module under every name it has (a shared module once per name: state-dict keys)."""
        yield prefix, self
        for name, child in self.named_children():
            yield from child._walk(f"{prefix}.{name}" if prefix else name)

    # -- public API
    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """This module (named ``prefix``) and every submodule, depth first; a module reached twice
        is given once unless ``remove_duplicate=False`` (torch's signature)."""
        memo = set() if memo is None else memo
        for name, module in self._walk(prefix):
            if remove_duplicate:
                if id(module) in memo:
                    continue
                memo.add(id(module))
            yield name, module

    def children(self) -> Iterator[Module]:
        """Direct submodules."""
        return (m for _, m in self.named_children())

    def modules(self) -> Iterator[Module]:
        """This module and every submodule, depth first."""
        return (m for _, m in self.named_modules())

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """``(name, parameter)`` for every parameter, in the order of ``parameters()``; a shared one
        once (unless ``remove_duplicate=False``). ``recurse=False``: this module's own only."""
        seen: set[int] = set()
        walk = self._walk(prefix) if recurse else iter([(prefix, self)])
        for path, module in walk:
            for name, p in module._named_own_parameters():
                if remove_duplicate:
                    if id(p) in seen:
                        continue
                    seen.add(id(p))
                yield (f"{path}.{name}" if path else name), p

    def parameters(self, recurse: bool = True) -> Iterator[Any]:
        """Every trainable node (Value or Tensor), in a fixed order: a generator, as in torch
        (pass it straight to an optimizer; ``list(model.parameters())`` to keep it)."""
        return (p for _, p in self.named_parameters(recurse=recurse))

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: a Value's to 0.0; a Tensor's to None, or to zeros in
        place with ``set_to_none=False`` (torch's signature)."""
        for p in self.parameters():
            if isinstance(p, Value):
                p.grad = 0.0
            elif set_to_none or p._grad is None:
                p.grad = None
            else:
                p.grad = np.zeros_like(p.data)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze every Tensor parameter, in place; returns self, as torch."""
        for p in self.parameters():
            if isinstance(p, Tensor):
                p.requires_grad_(requires_grad)
        return self

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every submodule, then on this module (torch's ``model.apply(init_weights)``);
        returns self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def add_module(self, name: str, module: Module | None) -> None:
        """Register ``module`` as the attribute ``name`` (as ``setattr``, with torch's checks)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: module must be a Module or None, got {type(module).__name__}")
        _check_name("add_module", name)
        setattr(self, name, module)

    register_module = add_module

    def register_parameter(self, name: str, param: Tensor | None) -> None:
        """Register ``param`` (a Parameter, or None for an absent one such as ``bias``) as ``name``."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter: cannot assign {type(param).__name__} object to parameter {name!r} "
                "(a Parameter or None is required)"
            )
        _check_name("register_parameter", name)
        setattr(self, name, param)

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register ``tensor`` as the state ``name`` that is not a parameter (BatchNorm's running
        statistics): an attribute, in ``buffers()`` and, if ``persistent``, in the state dict after
        the parameters, as torch. None registers an absent buffer."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"register_buffer: cannot assign {type(tensor).__name__} object to buffer {name!r} "
                "(a Tensor or None is required)"
            )
        _check_name("register_buffer", name)
        vars(self).setdefault("_buffers", {})[name] = bool(persistent)
        setattr(self, name, tensor)

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:  # fmt: skip
        """``(name, buffer)`` for every registered buffer, this module's first, then its children's."""
        seen: set[int] = set()
        walk = self._walk(prefix) if recurse else iter([(prefix, self)])
        for path, module in walk:
            for name, b in module._named_own_buffers():
                if remove_duplicate:
                    if id(b) in seen:
                        continue
                    seen.add(id(b))
                yield (f"{path}.{name}" if path else name), b

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every registered buffer, in the order of ``named_buffers()``."""
        return (b for _, b in self.named_buffers(recurse=recurse))

    def train(self, mode: bool = True) -> Module:
        """Set ``training`` on this module and every submodule (as torch); returns self."""
        for _, m in self._walk():
            m.training = bool(mode)
        return self

    def eval(self) -> Module:
        """``train(False)``."""
        return self.train(False)

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """``to("cpu")`` (or a CPU device) returns self; ``to(float32)`` or ``to(dtype=float64)`` casts
        every Tensor parameter in place, as torch. Other devices raise: this library runs on numpy.

        Parameters
        ----------
        *args, **kwargs
            A device, a dtype, or both, as torch takes them (``non_blocking`` and ``copy`` are
            ignored).

        Returns
        -------
        Module
            self.

        Raises
        ------
        RuntimeError
            If a device other than the CPU is asked for (``"cuda"``, ``"mps"``, ...).
        TypeError
            If a dtype is not float32 or float64.
        """
        for target in (*args, *kwargs.values()):
            if _device(target) == "meta":
                _meta_modules.to_device(self, "meta")
                continue
            if _device(target) == "cpu":
                _meta_modules.refuse_copy_out(self, f"{type(self).__name__}.to({target!r})")
            if target is None or isinstance(target, bool) or _device(target) == "cpu":
                continue  # (None and bools: torch's non_blocking= and copy=)
            dtype = None if _device(target) else _float_or_none(target)
            if dtype is None:
                raise (RuntimeError if _device(target) else TypeError)(
                    f"{type(self).__name__}.to({target!r}): expected 'cpu', float32 or float64; other "
                    "devices are not supported: this library runs on numpy on the CPU"
                )
            for p in self.parameters():
                if isinstance(p, Tensor):
                    p.data = p.data.astype(dtype)
                    p._grad = None if p._grad is None else np.asarray(p._grad, dtype=dtype)
            for b in self.buffers():  # (floating buffers follow, as torch's; counts stay ints)
                if b.data.dtype.kind == "f":
                    b.data = b.data.astype(dtype)
        return self

    def cpu(self) -> Module:
        """Returns self: everything lives on the CPU.

        Raises:
            NotImplementedError: a parameter or buffer is on the meta device (torch's error:
                ``to_empty`` moves a module off it).
        """
        _meta_modules.refuse_copy_out(self, f"{type(self).__name__}.cpu()")
        return self

    def to_empty(self, *, device: Any, recurse: bool = True) -> Module:
        """Give every parameter and buffer new, uninitialized memory on ``device`` (torch's
        ``to_empty``): the way from the meta device to the CPU, before the values are loaded or
        drawn (``load_state_dict``, ``reset_parameters``). As torch's, the parameters and buffers
        are new objects (an optimizer must be built after).

        Parameters
        ----------
        device : str
            ``"cpu"`` or ``"meta"`` (or an ``autograd.device``).
        recurse : bool
            Submodules' too (default True, as torch's); only this module's own when False.

        Returns
        -------
        Module
            self.

        Raises
        ------
        RuntimeError
            If ``device`` names another device.
        """
        _meta_modules.to_device(self, device, recurse)
        return self

    def float(self) -> Module:
        """Cast every Tensor parameter to float32, in place (as torch); returns self."""
        return self.to(np.float32)

    def double(self) -> Module:
        """Cast every Tensor parameter to float64, in place (as torch); returns self."""
        return self.to(np.float64)

    def state_dict(
        self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Any]:
        """The parameters and persistent buffers by name, as torch's ``state_dict``: an
        ``OrderedDict`` keyed as the matching torch module keys it (``fc1.weight``, ...).

        The values are Tensors sharing memory with the parameters and buffers, detached
        (``requires_grad`` False), so ``sd["weight"].add_(1)`` changes the model and a later step
        changes ``sd``; ``copy.deepcopy(model.state_dict())`` keeps a snapshot. With
        ``keep_vars=True`` they are the parameters and buffers themselves. Buffers registered with
        ``persistent=False`` and parameters or buffers set to None are left out. A scalar
        :class:`~autograd.Value` parameter gives a 0-d float64 Tensor, and a micrograd layer's
        Values (``nn.Layer``, ``nn.MLP``) a ``weight`` and a ``bias`` Tensor: copies, as Values hold
        no array to share. As torch's, the dict carries ``_metadata`` (each module's ``version``).

        Parameters
        ----------
        *args : object
            torch's deprecated positional form ``(destination, prefix, keep_vars)``, with a
            ``FutureWarning``.
        destination : dict, optional
            The mapping to fill and return (default: a new ``OrderedDict``).
        prefix : str
            Put before every key as it is (``prefix="model."`` gives ``model.fc1.weight``).
        keep_vars : bool
            Give the parameters and buffers themselves, not detached Tensors.

        Returns
        -------
        collections.OrderedDict
            ``destination``, filled.
        """
        if args:
            warnings.warn(
                "Positional args are being deprecated, use kwargs instead. Refer to "
                "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.state_dict"
                " for details.",
                FutureWarning,
                stacklevel=2,
            )
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()  # type: ignore[attr-defined]
        metadata = getattr(destination, "_metadata", None)
        for path, module in self._walk():
            at = f"{prefix}{path}." if path else prefix
            if metadata is not None:
                metadata[at[:-1]] = {"version": module._version}
            for name, value in module._own_state().items():
                destination[at + name] = value if keep_vars else _detached(value)
        return destination

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> IncompatibleKeys:
        """Copy ``state_dict``'s arrays into the parameters and buffers, in place; all or nothing.

        Every value must have its parameter's exact shape and hold finite real numbers (Tensors,
        as ``state_dict()`` gives them, torch tensors, numpy arrays, nested lists); it is copied,
        cast to the parameter's dtype. With
        ``strict=True`` (torch's default) missing and unexpected keys are errors too. Any
        error raises ``ValueError`` (also torch's ``RuntimeError``) listing every problem by key,
        and changes nothing.

        With ``assign=True`` (torch's) nothing is copied: each parameter becomes a
        :class:`~autograd.nn.Parameter` over the given tensor's memory, in its dtype, that requires
        grad as the old parameter did (a Parameter given is kept itself); each buffer becomes the
        given Tensor itself. Optimizers built before hold the old parameters, as in torch. Scalar
        (Value) parameters are still loaded in place.
        Returns ``(missing_keys, unexpected_keys)`` as torch does.
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, Mapping):
            found = type(state_dict).__name__
            raise TypeError(f"{where}: expected a mapping of names to arrays, got {found}")
        own = {path: module._own_state() for path, module in self._walk()}
        expected = {
            (f"{p}.{n}" if p else n): (p, n, _array(v)) for p, st in own.items() for n, v in st.items()
        }
        missing = [k for k in expected if k not in state_dict]
        unexpected = [k for k in state_dict if k not in expected]
        problems = []
        if strict and missing:
            problems.append(f"missing key(s) {', '.join(map(repr, missing))}")
        if strict and unexpected:
            problems.append(f"unexpected key(s) {', '.join(map(repr, unexpected))}")
        modules = dict(self._walk())
        updates: dict[str, dict[str, Any]] = {}
        for key, (path, name, current) in expected.items():
            if key in state_dict:
                if assign:
                    arr, problem = _assignable(state_dict[key], current, modules[path], name)
                else:
                    arr, problem = _checked(state_dict[key], current)
                if problem:
                    problems.append(f"{key!r}: {problem}")
                else:
                    updates.setdefault(path, {})[name] = arr
        if problems:
            raise ArgumentError(f"{where}: nothing was loaded; " + "; ".join(problems))
        for path, arrays in updates.items():
            (modules[path]._assign_own if assign else modules[path]._load_own)(arrays)
        return IncompatibleKeys(missing, unexpected)

    # -- printing, as torch prints modules
    def extra_repr(self) -> str:
        """The text inside this module's parentheses (its constructor arguments)."""
        return ""

    def __repr__(self) -> str:
        lines = [f"({name}): {_indent(repr(child))}" for name, child in self.named_children()]
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        body = "\n  ".join(([extra] if extra else []) + lines)
        return f"{type(self).__name__}(\n  {body}\n)"


def _is_parameter(attr: Any) -> bool:
    """A Parameter, or a leaf that is trained: a Value, or a Tensor that requires grad. (A computed
    node kept as an attribute, such as the last activation, is not a parameter.)"""
    if isinstance(attr, Parameter):
        return True
    return (isinstance(attr, Value) or (isinstance(attr, Tensor) and attr.requires_grad)) and not attr.op


def _device(target: Any) -> str | None:
    """The device type of a device string or object (``"cuda:0"`` -> ``"cuda"``); None otherwise."""
    name = getattr(target, "type", target)
    if not isinstance(name, str):
        return None
    try:
        np.dtype(name)  # "float32", "int64": a dtype, not a device
    except TypeError:
        return name.split(":")[0]
    return None


def _float_or_none(dtype: Any) -> np.dtype | None:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        return None
    return dt if dt in (np.dtype(np.float32), np.dtype(np.float64)) else None


def _check_name(where: str, name: Any) -> None:
    if not isinstance(name, str) or not name or "." in name:
        raise KeyError(f"{where}: name must be a non-empty str without '.', got {name!r}")


def _detached(value: Any) -> Tensor:
    """A state-dict value: a Tensor detached (the same memory), a Value as a 0-d float64 Tensor."""
    return Tensor(np.array(value.data, np.float64)) if isinstance(value, Value) else value.detach()


def _array(value: Any) -> np.ndarray:
    """The numbers of a parameter or buffer (a Value's as a 0-d float64 array)."""
    return np.array(value.data, np.float64) if isinstance(value, Value) else value.data


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _checked(value: Any, current: np.ndarray) -> tuple[np.ndarray, str]:
    """``value`` as an array like ``current``, or ('', why not)."""
    if isinstance(value, Tensor):
        value = value.data
    if is_meta(value):
        return current, f"{NO_DATA} (a meta tensor: load it with assign=True)"
    if type(value).__module__.startswith("torch"):  # a torch tensor, maybe requiring grad
        try:
            value = value.detach().cpu().numpy()
        except (TypeError, RuntimeError) as e:  # e.g. bfloat16, which numpy lacks
            return current, f"expected a tensor numpy can hold, got {getattr(value, 'dtype', '?')} ({e})"
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as e:
        return current, f"expected an array of real numbers, got {type(value).__name__} ({e})"
    if arr.dtype.kind not in "fiu":
        return current, f"expected real numbers (float or int), got dtype {arr.dtype}"
    if arr.shape != current.shape:
        return current, f"expected shape {current.shape}, got {arr.shape}"
    with np.errstate(over="ignore", invalid="ignore"):
        cast = arr.astype(current.dtype)
    if not np.isfinite(cast).all():
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            return current, "expected finite values, got nan or inf"
        return current, f"values do not fit in {current.dtype} (they would become inf)"
    return cast, ""


def _as_parameter(value: Tensor, requires_grad: bool) -> Parameter:
    """``value`` as the Parameter ``load_state_dict(assign=True)`` registers: a Parameter given is
    kept (its ``requires_grad`` set to the old parameter's), a Tensor wrapped sharing its array."""
    if isinstance(value, Parameter):
        value.requires_grad = requires_grad
        return value
    return Parameter(value.detach(), requires_grad=requires_grad)


def _assignable(value: Any, current: np.ndarray, module: Module, name: str) -> tuple[Any, str]:
    """``value`` as the Tensor ``load_state_dict(assign=True)`` makes ``module``'s ``name``
    (sharing its memory, in its own dtype), or (None, why not): its shape must be ``current``'s,
    its numbers finite and real, and a floating dtype where the parameter requires grad."""
    if isinstance(value, Tensor):
        tensor = value
    else:
        if type(value).__module__.startswith("torch"):
            try:  # (torch's numpy() shares the tensor's memory)
                value = value.detach().cpu().numpy()
            except (TypeError, RuntimeError) as e:
                return None, f"expected a tensor numpy can hold, got {getattr(value, 'dtype', '?')} ({e})"
        try:
            tensor = Tensor._node(np.asanyarray(value))  # (a meta array stays one)
        except (ValueError, TypeError) as e:
            return None, f"expected an array of real numbers, got {type(value).__name__} ({e})"
    arr = tensor.data
    if arr.dtype.kind not in "fiub":
        return None, f"expected real numbers (float, int or bool), got dtype {arr.dtype}"
    if arr.shape != current.shape:
        return None, f"expected shape {current.shape}, got {arr.shape}"
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        return None, "expected finite values, got nan or inf"
    old = dict(module._named_own_parameters()).get(name)
    if isinstance(old, Tensor) and old.requires_grad and arr.dtype.kind != "f":
        return None, (
            f"expected a floating dtype, as the parameter requires grad, got {arr.dtype} (torch: Only "
            "Tensors of floating point and complex dtype can require gradients)"
        )
    return tensor, ""


def check_sizes(where: str, nin: Any, nouts: Any) -> list[int]:
    """``[nin, *nouts]`` after checking both, or a TypeError/ValueError saying what is expected.

    ``nouts`` is None when the caller left it out: the old ``TensorMLP(sizes)`` call, or ``MLP(2)``.
    """
    example = f"{where}(2, [16, 16, 1])"
    if isinstance(nin, (list, tuple)):
        hint = f"{where}({nin[0]}, {list(nin[1:])})" if len(nin) > 1 else example
        raise TypeError(
            f"{where}: nin must be an int (the number of inputs), got {type(nin).__name__} {list(nin)}; "
            f"the signature is {where}(nin, nouts, activation='relu'): did you mean {hint}?"
        )
    check_size(where, "nin", nin)
    if nouts is None:
        raise TypeError(
            f"{where}: missing nouts, the list of layer sizes: {where}(nin, nouts), e.g. {example}"
        )
    if not isinstance(nouts, (list, tuple)):
        raise TypeError(
            f"{where}: nouts must be a list of layer sizes, e.g. {example}; "
            f"got {type(nouts).__name__} {nouts!r}"
        )
    if not nouts or not all(_is_size(n) for n in nouts):
        raise ValueError(f"{where}: nouts must be a non-empty list of positive ints, got {nouts!r}")
    return [int(nin), *map(int, nouts)]


def check_activation(where: str, activation: Any) -> str:
    if not (isinstance(activation, str) and activation in ACTIVATIONS):
        raise ValueError(f"{where}: activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def check_size(where: str, name: str, n: Any) -> int:
    """``n`` as an int, or a TypeError naming ``name`` if it is not a positive int."""
    if not _is_size(n):
        raise TypeError(f"{where}: {name} must be a positive int, got {type(n).__name__} {n!r}")
    return int(n)


def _is_size(n: Any) -> bool:
    return isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n > 0
