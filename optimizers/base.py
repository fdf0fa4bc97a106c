"""Optimizer base class: parameter groups, validation, the shared step loop, state dicts.

Optimizers only read ``.grad`` and write ``.data`` (through ``_params``, which also
says what a parameter and a gradient may be); gradients come from the engine.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from . import _fma
from ._engine import fused, loud, quiet
from ._fma import addcmul_, axpy_, fma
from ._params import changed_in_place, data_array, grad_array, grad_attribute, is_tensor, set_data, set_grad
from ._scratch import MIN_SIZE, Scratch, Tmp
from ._state_tensors import arrays, scalar_dtype, tensors
from ._validate import at, check_int, check_nonneg, check_range

ParamGroup = dict[str, Any]
Params = Iterable[Any] | Iterable[ParamGroup]
Check = Callable[[str, Any], Any]

#: Group keys that schedulers add (they may appear in a saved group the optimizer didn't create).
SCHEDULER_CHECKS: dict[str, Check] = dict.fromkeys(
    ("initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum"), check_nonneg
)


def _is_module(obj: Any) -> bool:
    return callable(getattr(obj, "parameters", None)) and not hasattr(obj, "data")


def lerp_(buf: np.ndarray, target: np.ndarray, weight: float, tmp: Tmp, exact: bool = True) -> None:
    """In place ``buf <- buf + weight * (target - buf)``, rounded as torch's ``lerp_`` (ATen's
    ``fmadd``, one rounding): ``fma(w, target - buf, buf)`` where ``|w| < 0.5``, else
    ``fma(w - 1, target - buf, target)``, ``w`` being ``weight`` in ``buf``'s dtype; the difference
    goes to ``tmp``'s slot ``"lerp"``. Not ``exact`` (the optimizers whose square root differs from
    torch's anyway: ``_fma.EXACT_PRODUCTS``), an array of fewer than ``MIN_SIZE`` elements takes
    numpy's two roundings, cheaper there than a call into BLAS."""
    w = buf.dtype.type(weight)
    diff = tmp("lerp", np.subtract, target, buf)
    if not exact and buf.size < MIN_SIZE:
        if abs(weight) < 0.5:
            buf += tmp("lerp", np.multiply, diff, weight)
        else:
            np.subtract(target, tmp("lerp", np.multiply, diff, 1 - weight), out=buf)
    elif abs(w) < 0.5:
        axpy_(buf, w, diff)
    elif getattr(target, "dtype", None) == buf.dtype:
        np.copyto(buf, target)
        axpy_(buf, w - buf.dtype.type(1), diff)
    else:  # (a target of another dtype: in the wider one)
        fma(w - buf.dtype.type(1), diff, target, out=buf)


def ema_sq_(buf: np.ndarray, x: np.ndarray, beta: float, tmp: Tmp) -> None:
    """In place ``buf <- beta * buf + (1 - beta) * x * x`` as torch's ``mul_(beta).addcmul_(x, x,
    value=1 - beta)``: ``fma((1 - beta) * x, x, beta * buf)``, rounded once after the products;
    ``(1 - beta) * x`` goes to ``tmp``'s slot ``"ema_sq"``."""
    buf *= beta
    scaled = tmp("ema_sq", np.multiply, x, 1 - beta)
    if _fma.EXACT_PRODUCTS:
        addcmul_(buf, scaled, x)
    else:  # (rounded twice, as before torch's fused kernel: see _fma.EXACT_PRODUCTS)
        buf += tmp("ema_sq", np.multiply, scaled, x)


class ParamState:
    """Per-parameter state dicts keyed by parameter identity (parameters need not be hashable).

    ``opt.state[p]`` returns (creating if needed) the state dict of parameter ``p``.
    """

    def __init__(self) -> None:
        self._items: dict[int, tuple[Any, dict[str, Any]]] = {}

    def __getitem__(self, param: Any) -> dict[str, Any]:
        item = self._items.get(id(param))
        if item is None:
            item = self._items[id(param)] = (param, {})
        return item[1]

    def __contains__(self, param: Any) -> bool:
        return id(param) in self._items

    def items(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        return iter(self._items.values())

    def clear(self) -> None:
        self._items.clear()


class Optimizer:
    """Base class, as ``torch.optim.Optimizer``. Subclasses declare their hyperparameters
    and implement ``_update``.

    A hyperparameter is declared once, as a keyword argument of the subclass's
    ``__init__``: its name, its default, and an annotation carrying its check (see
    ``_validate``), e.g. ``lr: LearningRate = 1e-3``. The subclass hands its arguments
    on with ``super().__init__(params, locals())`` (``defaults``, a dict of
    hyperparameters as in torch; ``self``, ``params`` and ``__class__`` are left out).
    ``defaults``, the checks of the constructor, of ``add_param_group`` and of
    ``load_state_dict``, and ``repr`` all come from that one declaration, and
    ``help()`` and IDEs show torch's signature.

    ``step()`` does, for every parameter ``p`` whose gradient is not None
    (the others are skipped, as in torch):

    .. code-block:: text

        state.step += 1
        g = -grad if maximize else grad
        if weight_decay != 0:
            if decoupled_weight_decay: p <- p * (1 - lr * weight_decay)
            else:                      g <- g + weight_decay * p
        _update(p, g, state, group)      # optimizer-specific rule

    Hyperparameters live in ``param_groups`` (a list of dicts); editing
    ``group["lr"]`` takes effect on the next step. State lives in ``state``.
    """

    def __init__(self, params: Params, defaults: dict[str, Any]) -> None:
        if hasattr(params, "data") or isinstance(params, dict) or _is_module(params):
            hint = "; pass model.parameters()" if _is_module(params) else ""
            raise TypeError(
                "params argument given to the optimizer should be an iterable of "
                f"parameters or dicts, but got {type(params).__name__}{hint}"
            )
        self.defaults = {k: v for k, v in defaults.items() if k not in ("self", "params", "__class__")}
        self.state = ParamState()
        #: ``tmp(slot, ufunc, *args)``: ``ufunc(*args)`` into an array reused from step to step
        #: (not state: never saved); see ``_scratch.Scratch``
        self._tmp = Scratch().apply
        #: where ``batched_update``, ``self._axpy.add(param, alpha, x)``: a parameter's last update
        #: ``axpy_(param, alpha, x)``, written for all the small float32 parameters of a group at
        #: once after its loop (``x`` must not change before: a gradient, a state buffer or a fresh
        #: array; ``self._tmp`` reuses arrays of ``MIN_SIZE`` elements or more only, larger than a
        #: batch takes)
        self._axpy = fused.AxpyBatch()
        self.param_groups: list[ParamGroup] = []
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: ParamGroup) -> None:
        """Add a group; keys missing from it are filled in from ``defaults``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        if "params" not in param_group:
            raise KeyError(f"param_group must have a 'params' key, but got keys {sorted(param_group)}")
        params = param_group["params"]
        if _is_module(params):
            raise TypeError(
                f"param_group['params'] should be parameters, but got {type(params).__name__}; "
                "pass model.parameters()"
            )
        if isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, "
                "but got a set; use a list instead"
            )
        group = {**self.defaults, **param_group}
        group["params"] = [params] if hasattr(params, "data") else list(params)
        for p in group["params"]:
            if not hasattr(p, "data") or not hasattr(p, "grad"):
                raise TypeError(
                    "optimizer can only optimize Values or Tensors (objects with .data "
                    f"and .grad), but one of the params is {type(p).__name__}"
                )
            if getattr(p, "_prev", ()):
                raise ValueError(
                    f"can't optimize a non-leaf {type(p).__name__} (one computed by an operation); "
                    "pass the leaves it was computed from"
                )
        ids = [id(p) for p in group["params"]]
        if len(set(ids)) != len(ids):
            raise ValueError("a parameter group contains the same parameter more than once")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if not seen.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: ParamGroup) -> None:
        """Check every declared hyperparameter of ``group`` (TypeError / ValueError naming it,
        the valid range and the value given); pairs such as ``betas`` are stored as tuples."""
        checks = self._hyperparameter_checks()
        for name, value in group.items():
            check = checks.get(name, SCHEDULER_CHECKS.get(name))
            if check is not None:
                group[name] = check(name, value)

    @classmethod
    def _hyperparameter_checks(cls) -> dict[str, Check]:
        """The check of each hyperparameter: the annotations of ``__init__`` along the class
        hierarchy (a subclass's declaration wins). Read once per class."""
        if "_checks" not in vars(cls):
            checks: dict[str, Check] = {}
            for klass in reversed(cls.__mro__[: cls.__mro__.index(Optimizer)]):
                init = vars(klass).get("__init__")
                hints = typing.get_type_hints(init, include_extras=True) if init else {}
                checks.update({k: h.__metadata__[0] for k, h in hints.items() if hasattr(h, "__metadata__")})
            cls._checks = checks
        return cls._checks

    def __repr__(self) -> str:
        """As torch: the class name, then every group's hyperparameters in name order."""
        text = f"{type(self).__name__} ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params")
        return text + ")"

    #: Whether ``_update`` leaves its last ``axpy_`` of the parameter to ``self._axpy`` (written
    #: after the group's loop). A subclass that overrides ``_update`` updates at once (it may read
    #: or edit the parameter after ``super()._update``), unless it sets this itself.
    batched_update = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_update" in vars(cls) and "batched_update" not in vars(cls):
            cls.batched_update = False

    #: Whether a parameter's state counts its steps (``state["step"]``), as every torch optimizer's
    #: but SGD's does.
    counts_steps = True
    #: Whether the weight decay is always decoupled (``p <- p * (1 - lr * weight_decay)``, as Lion's
    #: and Muon's), with no ``decoupled_weight_decay`` hyperparameter.
    decoupled_only = False
    #: Names of the per-parameter buffers that start as zeros shaped like the parameter.
    buffers: tuple[str, ...] = ()
    #: Buffers (shaped like the parameter) that ``_update`` may add later to a parameter's state.
    lazy_buffers: tuple[str, ...] = ()
    #: Buffers that never hold negative values (checked on load; nan, as left by nan gradients, passes).
    nonneg_buffers: tuple[str, ...] = ()
    #: State entries that are lists of arrays (saved as ``optimizer/state/<k>/<name>/<i>``).
    list_buffers: tuple[str, ...] = ()

    def _init_state(self, state: dict[str, Any], param: np.ndarray, group: ParamGroup) -> None:
        """Create the optimizer's buffers for a parameter on its first step: ``buffers`` as zeros."""
        for name in self.buffers:
            state[name] = np.zeros_like(param)

    def _state_shape(self, name: str, param: np.ndarray) -> tuple[int, ...]:
        """The shape of state buffer ``name`` of ``param`` (checked by ``load_state_dict``)."""
        return param.shape

    def _update(
        self,
        param: np.ndarray,
        grad: np.ndarray,
        state: dict[str, Any],
        group: ParamGroup,
    ) -> None:
        """Apply the optimizer rule in place to ``param`` (after maximize / weight decay).

        A parameter-sized intermediate result is written with ``self._tmp(slot, ufunc, *args)``
        (``ufunc(*args)`` into an array reused from step to step, bitwise the same numbers)
        rather than allocated; state is updated in place (``buf *= beta``)."""
        raise NotImplementedError

    def _weight_decay(self, param: np.ndarray, grad: np.ndarray, group: ParamGroup) -> np.ndarray:
        """Apply ``weight_decay`` (not 0: ``_step_param`` skips this call then) before ``_update``
        (decoupled: to ``param`` in place; else added to the gradient) and return the gradient to use."""
        weight_decay = group["weight_decay"]
        if self.decoupled_only or group.get("decoupled_weight_decay", False):
            param *= 1 - group["lr"] * weight_decay
            return grad
        if grad.dtype != param.dtype:  # (a gradient of another dtype: the sum in the wider one)
            return fma(float(weight_decay), param, grad)
        grad = self._copy("grad", grad)  # torch's grad.add(param, alpha=weight_decay)
        axpy_(grad, weight_decay, param)
        return grad

    def _copy(self, slot: str, x: np.ndarray) -> np.ndarray:
        """A copy of ``x`` in ``self._tmp``'s ``slot`` (an array, also where ``x`` is 0-d)."""
        y = self._tmp(slot, np.positive, x)
        return y if type(y) is np.ndarray else np.array(y)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient. ``closure`` (optional, as in torch)
        recomputes the loss and its gradients first; returns what it returns."""
        if closure is not None and not callable(closure):
            found = type(closure).__name__
            raise TypeError(f"closure: expected a callable that recomputes the loss, or None; got {found}")
        loss = None if closure is None else closure()
        grads = self._checked_grads()
        changed = []
        step_param, axpy = self._step_param, self._axpy
        token = quiet()  # non-finite gradients propagate as in torch, silently
        try:
            for group, group_grads in zip(self.param_groups, grads):
                for p, grad in zip(group["params"], group_grads):
                    if grad is not None and step_param(p, grad, group):
                        changed.append(p)
                if axpy:
                    axpy.flush()
        finally:
            if axpy:  # (an update raised: the parameters before it are updated, as in torch)
                axpy.flush()
            loud(token)
            if changed:
                changed_in_place(changed)
        return loss

    def _checked_grads(self) -> list[list[np.ndarray | None]]:
        """The gradient of every parameter (None where it has none), group by group, each read
        once. Refuses, before any update, a gradient that is not an array of its parameter's shape."""
        grads = []
        for g, group in enumerate(self.param_groups):
            group_grads = []
            for i, p in enumerate(group["params"]):
                grad = getattr(p, grad_attribute(p))
                data = p.data
                if type(grad) is not np.ndarray or type(data) is not np.ndarray:  # (else a Tensor's array)
                    try:
                        grad = grad_array(p)
                    except (TypeError, ValueError):
                        with at(f"parameter {i} of param group {g}"):
                            raise
                if grad is not None:
                    shape = data.shape if type(data) is np.ndarray else np.shape(data)
                    if grad.shape != shape:
                        raise ValueError(
                            f"parameter {i} of param group {g} has shape {shape}, but its .grad has "
                            f"shape {grad.shape}: expected a gradient of the parameter's shape"
                        )
                group_grads.append(grad)
            grads.append(group_grads)
        return grads

    def _step_param(self, p: Any, grad: np.ndarray, group: ParamGroup) -> bool:
        """Update ``p`` from ``grad``; returns whether its array was changed in place (a Tensor's)."""
        param = p.data
        if type(param) is not np.ndarray:
            param = data_array(p)
        item = self.state._items.get(id(p))
        state = self.state[p] if item is None else item[1]
        if self.counts_steps:
            if not state:
                state["step"] = 0
                self._init_state(state, param, group)
            state["step"] += 1
        elif not state:
            self._init_state(state, param, group)
        if group.get("maximize", False):
            grad = self._tmp("grad", np.negative, grad)
        if group.get("weight_decay", 0) != 0:
            grad = self._weight_decay(param, grad, group)
        self._update(param, grad, state, group)
        if param is not p.data:  # a Value: its number was updated as a 0-d array
            set_data(p, param)
            return False
        return True

    def linear_step(self, group: ParamGroup) -> float | None:
        """``alpha`` where this optimizer's step on a parameter of ``group`` is now exactly
        ``p.add_(p.grad, alpha=alpha)`` (no state, nothing else read), else None. A step compiled
        with this optimizer (``autograd.compile(loss_fn, optimizer=opt)``) writes such an update
        into the gradient's matrix product. None here: an update with state or more terms."""
        return None

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients: Tensor grads become None, or zeros if ``set_to_none=False`` (a
        Tensor whose grad is None keeps None, as in torch); Values get 0.0 (the engine adds
        into a number)."""
        for group in self.param_groups:
            for p in group["params"]:
                if type(p.data) is not np.ndarray and not is_tensor(p):
                    set_grad(p, 0.0)
                elif set_to_none:
                    setattr(p, grad_attribute(p), None)
                elif (grad := grad_array(p)) is not None:
                    set_grad(p, np.zeros_like(grad))

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``, as torch's.

        Parameters are referred to by their position over all groups, as in torch. The state
        holds Tensors, as torch's: each buffer (``exp_avg``, ``momentum_buffer``, ...) a Tensor
        over the optimizer's own array, so later steps show in it
        (``copy.deepcopy(opt.state_dict())`` keeps a snapshot); each number (``step``, NAdam's
        ``mu_product``, ASGD's ``eta`` and ``mu``) a 0-d Tensor, a copy, in float64 when that is
        the default dtype, else float32 (torch's ``tensor(1.)``).
        """
        saved = self._packed_state()
        dtype = scalar_dtype()
        saved["state"] = {i: self._state_tensors(s, dtype) for i, s in saved["state"].items()}
        return saved

    def _packed_state(self) -> dict[str, Any]:
        """``state_dict()`` with the optimizer's own arrays and numbers (no Tensors, no copies):
        what a checkpoint file stores."""
        index = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index[id(p)] = len(index)
            saved = {k: v for k, v in group.items() if k != "params"}
            saved["params"] = [index[id(p)] for p in group["params"]]
            groups.append(saved)
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if s}
        return {"state": state, "param_groups": groups}

    def _state_tensors(self, state: dict[str, Any], dtype: np.dtype) -> dict[str, Any]:
        """A parameter's state as ``state_dict()`` gives it (``_state_tensors.tensors``)."""
        return {k: tensors(v, dtype) for k, v in state.items()}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and state saved by ``state_dict`` (here or by torch).

        Everything is checked before anything changes (TypeError / ValueError naming the
        field): the group layout, every hyperparameter with the constructor's checks,
        no unknown keys, and per-parameter state with exactly the optimizer's buffers,
        shaped like the parameter. The state's values may be Tensors (this library's or
        torch's), numpy arrays or numbers; they are copied and cast to the parameter's dtype.
        """
        self._commit_state_dict(*self._validated_state_dict(state_dict))

    def _validated_state_dict(self, state_dict: Any) -> tuple[list[ParamGroup], ParamState]:
        """New param groups and state from ``state_dict``, checked; ``self`` is untouched."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            found = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
            raise ValueError(f"expected a dict with keys 'param_groups' and 'state', got {found}")
        saved_groups, saved_state = state_dict["param_groups"], state_dict["state"]
        if not isinstance(saved_groups, list):
            raise TypeError(f"param_groups: expected a list, got {type(saved_groups).__name__}")
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                "loaded state dict has a different number of parameter groups: expected "
                f"{len(self.param_groups)}, got {len(saved_groups)}"
            )
        groups, first = [], 0
        for g, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            with at(f"param_groups[{g}]"):
                groups.append(self._validated_group(group, saved, first))
            first += len(group["params"])
        if not isinstance(saved_state, dict):
            raise TypeError(f"state: expected a dict, got {type(saved_state).__name__}")
        params = [(p, group) for group in groups for p in group["params"]]
        state = ParamState()
        for key, saved in saved_state.items():
            index = _param_index(key, len(params))
            p, group = params[index]
            if p in state:
                raise ValueError(f"state: parameter {index} appears twice")
            with at(f"state[{key!r}]"):
                state[p].update(self._validated_param_state(saved, data_array(p), group))
        return groups, state

    def _validated_group(self, group: ParamGroup, saved: Any, first: int) -> ParamGroup:
        """``group`` with the hyperparameters of ``saved`` (whose params must be the
        indices ``first, first + 1, ...``), checked like a constructor's."""
        if not isinstance(saved, dict):
            raise TypeError(f"expected a dict, got {type(saved).__name__}")
        expected = list(range(first, first + len(group["params"])))
        if saved.get("params") != expected or not all(type(i) is int for i in saved["params"]):
            found = saved.get("params", "no 'params' key")
            if isinstance(found, list) and len(found) != len(expected):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the "
                    f"size of optimizer's group: expected {len(expected)} parameters, got {len(found)}"
                )
            raise ValueError(f"params: expected the parameter indices {expected}, got {found!r}")
        saved = _without_torch_implementation(saved)
        allowed = set(group) | set(SCHEDULER_CHECKS)
        unknown = sorted(set(saved) - allowed, key=str)
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}: expected keys among {sorted(allowed)}")
        missing = sorted(set(self.defaults) - set(saved))
        if missing:
            raise ValueError(f"missing key {missing[0]!r}")
        new = {**group, **saved, "params": group["params"]}
        self._check_group(new)  # also turns JSON's lists back into tuples (e.g. betas)
        return new

    def _validated_param_state(self, saved: Any, data: np.ndarray, group: ParamGroup) -> dict[str, Any]:
        """A parameter's state: ``step`` (where ``counts_steps``) and exactly the keys a first step
        would create (plus ``lazy_buffers``); arrays shaped like ``data`` and cast to its dtype, with
        finite values staying finite; scalars of the type the optimizer uses."""
        if not isinstance(saved, dict):
            raise TypeError(f"expected a dict, got {type(saved).__name__}")
        saved = {k: arrays(v) for k, v in saved.items()}  # (Tensors as numpy arrays)
        if not self.counts_steps:  # (this library's SGD counted steps before torch's state was adopted)
            saved = {k: v for k, v in saved.items() if k != "step"}
        if not saved:
            return {}
        template: dict[str, Any] = {"step": 0} if self.counts_steps else {}
        self._init_state(template, np.zeros_like(data), group)
        missing = sorted(set(template) - set(saved))
        if missing:
            raise ValueError(f"missing key {missing[0]!r}: expected keys {sorted(template)}")
        allowed = set(template) | set(self.lazy_buffers)
        state = {}
        for name, value in saved.items():
            if name not in allowed:
                raise ValueError(f"unknown key {name!r}: expected keys among {sorted(allowed)}")
            kind = template.get(name, data)
            if not isinstance(kind, np.ndarray) and isinstance(value, np.ndarray) and value.ndim == 0:
                value = _scalar(name, value, kind)  # (torch keeps step, mu_product, eta as 0-d tensors)
            if isinstance(kind, np.ndarray):
                state[name] = cast_array(name, value, kind)
            elif isinstance(kind, float):
                state[name] = float(check_range(name, value, finite=True))
            elif isinstance(kind, int) and not isinstance(kind, bool):
                state[name] = int(check_int(name, value, low=0))
            else:  # a subclass with other kinds of state checks it in its own override
                raise TypeError(f"{name}: no check for state of type {type(kind).__name__}")
        for name in self.nonneg_buffers:
            if name in state and (state[name] < 0).any():
                bad = float(state[name][state[name] < 0].flat[0])
                raise ValueError(f"{name}: expected values >= 0, got {bad!r}")
        return state

    def _commit_state_dict(self, groups: list[ParamGroup], state: ParamState) -> None:
        for group, new in zip(self.param_groups, groups, strict=True):
            group.clear()
            group.update(new)
        self.state = state


#: The keys of torch's param groups that choose an implementation (for-loop, foreach, fused, CUDA
#: graphs, a differentiable step), not the numbers, and the values that ask for none: this library
#: has one implementation, so ``load_state_dict`` drops them at these values (a state dict saved by
#: torch loads as it is) and refuses others.
TORCH_IMPLEMENTATION: dict[str, tuple[Any, ...]] = {
    "foreach": (None, False),
    "fused": (None, False),
    "capturable": (False,),
    "differentiable": (False,),
}


def _without_torch_implementation(saved: dict[str, Any]) -> dict[str, Any]:
    """``saved`` less torch's implementation keys (:data:`TORCH_IMPLEMENTATION`) at their off values."""
    if TORCH_IMPLEMENTATION.keys().isdisjoint(saved):
        return saved
    for key, off in TORCH_IMPLEMENTATION.items():
        if key in saved and not any(saved[key] is v for v in off):
            raise ValueError(
                f"{key}: expected {' or '.join(map(repr, off))} (torch's choice of implementation; this "
                f"library has one), got {saved[key]!r}"
            )
    return {k: v for k, v in saved.items() if k not in TORCH_IMPLEMENTATION}


def _scalar(name: str, value: np.ndarray, kind: Any) -> Any:
    """A 0-d array (a torch state tensor saved as numpy: ``step`` is a float tensor there) as the
    Python number ``kind`` is: an int only if its value is a whole number."""
    number = value.item()
    if isinstance(kind, int) and not isinstance(kind, bool) and isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"{name}: expected a whole number of steps, got {number!r}")
        return int(number)
    return number


def _param_index(key: Any, n: int) -> int:
    """A state key (an index, or its decimal string as JSON stores it) as an index below ``n``."""
    if isinstance(key, str) and key.isdecimal() and key == str(int(key)):
        key = int(key)
    if type(key) is not int or not 0 <= key < n:
        raise ValueError(f"state: expected parameter indices 0 to {n - 1}, got key {key!r}")
    return key


def cast_array(name: str, value: Any, like: np.ndarray) -> np.ndarray:
    """A copy of ``value`` (a real floating array shaped like ``like``) in ``like``'s dtype;
    refuses other dtypes or shapes, and finite values that the cast would turn into inf."""
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name}: expected an array of shape {like.shape}, got {type(value).__name__}")
    if value.dtype.kind != "f":
        raise TypeError(f"{name}: expected a real floating-point array, got dtype {value.dtype}")
    if value.shape != like.shape:
        raise ValueError(f"{name}: expected shape {like.shape}, got {value.shape}")
    with np.errstate(over="ignore"):
        out = value.astype(like.dtype)
    if np.can_cast(value.dtype, out.dtype, "safe"):
        return out
    overflow = np.isfinite(value) & ~np.isfinite(out)
    if overflow.any():
        bad = float(value[overflow].flat[0])
        raise ValueError(f"{name}: {bad!r} overflows {like.dtype} (expected finite values to stay finite)")
    return out
