"""Optimizer base class: parameter groups, validation, the shared step loop, state dicts.

Parameters are duck-typed: anything with ``.data`` and ``.grad``.

* Tensor-like: ``.data`` is an ndarray (updated in place, dtype preserved) and
  ``.grad`` is an ndarray of the same shape, or ``None`` before the first backward.
* Value-like: ``.data`` and ``.grad`` are Python floats. They are viewed as 0-d
  float64 arrays, go through exactly the same update code, and are written back
  as floats.

Optimizers only read ``.grad`` and write ``.data``; gradients come from the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

ParamGroup = dict[str, Any]
Params = Iterable[Any] | Iterable[ParamGroup]

# Hyperparameters that must be >= 0 wherever they appear in a group.
_NON_NEGATIVE = (
    "lr",
    "eps",
    "momentum",
    "weight_decay",
    "alpha",
    "lr_decay",
    "initial_accumulator_value",
    "momentum_decay",
)


def _is_tensor(p: Any) -> bool:
    return isinstance(p.data, np.ndarray)


def grad_array(p: Any) -> np.ndarray | None:
    """The gradient of ``p`` as an ndarray (0-d float64 for a Value), or None."""
    if p.grad is None:
        return None
    return p.grad if _is_tensor(p) else np.array(p.grad, dtype=np.float64)


def set_grad(p: Any, grad: np.ndarray) -> None:
    """Store ``grad`` as the gradient of ``p`` (a float for a Value)."""
    p.grad = grad if _is_tensor(p) else float(grad)


def data_array(p: Any) -> np.ndarray:
    """A writable ndarray of ``p``'s data: the Tensor's own array, or a 0-d copy of a Value."""
    return p.data if _is_tensor(p) else np.array(p.data, dtype=np.float64)


def set_data(p: Any, data: np.ndarray) -> None:
    """Store ``data`` as the data of ``p`` (a float for a Value)."""
    p.data = data if _is_tensor(p) else float(data)


def lerp_(buf: np.ndarray, target: np.ndarray, weight: float) -> None:
    """In place ``buf <- buf + weight * (target - buf)``, rounded like torch's ``lerp_``
    (which computes ``target - (target - buf) * (1 - weight)`` when ``|weight| >= 0.5``)."""
    if abs(weight) < 0.5:
        buf += weight * (target - buf)
    else:
        buf[...] = target - (target - buf) * (1 - weight)


def ema_sq_(buf: np.ndarray, x: np.ndarray, beta: float) -> None:
    """In place ``buf <- beta * buf + (1 - beta) * x * x`` (torch ``mul_().addcmul_()``)."""
    buf *= beta
    buf += (1 - beta) * x * x


class ParamState:
    """Per-parameter state dicts keyed by parameter identity (parameters need not be hashable).

    ``opt.state[p]`` returns (creating if needed) the state dict of parameter ``p``.
    """

    def __init__(self) -> None:
        self._items: dict[int, tuple[Any, dict[str, Any]]] = {}

    def __getitem__(self, param: Any) -> dict[str, Any]:
        return self._items.setdefault(id(param), (param, {}))[1]

    def __contains__(self, param: Any) -> bool:
        return id(param) in self._items

    def items(self) -> Iterator[tuple[Any, dict[str, Any]]]:
        return iter(self._items.values())

    def clear(self) -> None:
        self._items.clear()


class Optimizer:
    """Base class. Subclasses set ``defaults`` and implement ``_update``.

    ``step()`` does, for every parameter ``p`` whose gradient is not None
    (Tensors with ``grad is None`` are skipped, as in torch):

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
        if hasattr(params, "data") or isinstance(params, dict):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of "
                f"parameters or dicts, but got {type(params).__name__}"
            )
        self.defaults = defaults
        self.state = ParamState()
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
        params = param_group["params"]
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
        ids = [id(p) for p in group["params"]]
        if len(set(ids)) != len(ids):
            raise ValueError("a parameter group contains the same parameter more than once")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if not seen.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: ParamGroup) -> None:
        """Raise ValueError naming the hyperparameter, the valid range and the value given."""
        for name in _NON_NEGATIVE:
            if name in group and not group[name] >= 0.0:
                raise ValueError(f"Invalid {name}: expected {name} >= 0, got {group[name]!r}")
        for i, beta in enumerate(group.get("betas", ())):
            if not 0.0 <= beta < 1.0:
                raise ValueError(
                    f"Invalid beta parameter at index {i}: expected 0 <= betas[{i}] < 1, got {beta!r}"
                )
        if "rho" in group and not 0.0 <= group["rho"] <= 1.0:
            raise ValueError(f"Invalid rho: expected 0 <= rho <= 1, got {group['rho']!r}")

    #: Names of the per-parameter buffers that start as zeros shaped like the parameter.
    buffers: tuple[str, ...] = ()

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
        """Apply the optimizer rule in place to ``param`` (after maximize / weight decay)."""
        raise NotImplementedError

    def _weight_decay(self, param: np.ndarray, grad: np.ndarray, group: ParamGroup) -> np.ndarray:
        """Apply ``weight_decay`` before ``_update`` (decoupled: to ``param`` in place;
        else added to the gradient) and return the gradient to use."""
        weight_decay = group["weight_decay"]
        if weight_decay == 0:
            return grad
        if group.get("decoupled_weight_decay", False):
            param *= 1 - group["lr"] * weight_decay
            return grad
        return grad + weight_decay * param

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient. Returns ``closure()`` if given."""
        loss = None if closure is None else closure()
        for group in self.param_groups:
            for p in group["params"]:
                grad = grad_array(p)
                if grad is None:
                    continue
                param = data_array(p)
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    self._init_state(state, param, group)
                state["step"] += 1
                if group["maximize"]:
                    grad = -grad
                grad = self._weight_decay(param, grad, group)
                self._update(param, grad, state, group)
                set_data(p, param)
        return loss

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients: Values get 0.0; Tensor grads become None, or zeros if
        ``set_to_none=False`` (a Tensor whose grad is already None keeps None, as in torch)."""
        for group in self.param_groups:
            for p in group["params"]:
                if not _is_tensor(p):
                    p.grad = 0.0
                elif p.grad is not None:
                    p.grad = None if set_to_none else np.zeros_like(p.grad)

    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``.

        Parameters are referred to by their position over all groups, as in torch.
        Arrays are copies, so later steps don't change a saved state dict.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index[id(p)] = len(index)
            saved = {k: v for k, v in group.items() if k != "params"}
            saved["params"] = [index[id(p)] for p in group["params"]]
            groups.append(saved)
        state = {
            index[id(p)]: {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in s.items()}
            for p, s in self.state.items()
            if s
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and state saved by ``state_dict`` (arrays are copied
        and cast to each parameter's dtype)."""
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                "loaded state dict has a different number of parameter groups: expected "
                f"{len(self.param_groups)}, got {len(saved_groups)}"
            )
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the "
                    f"size of optimizer's group: expected {len(group['params'])} "
                    f"parameters, got {len(saved['params'])}"
                )
        params = [p for group in self.param_groups for p in group["params"]]
        self.state.clear()
        for key, saved_state in state_dict["state"].items():
            p = params[int(key)]
            data = data_array(p)
            state = self.state[p]
            for name, value in saved_state.items():
                if isinstance(value, np.ndarray):
                    if value.shape != self._state_shape(name, data):
                        raise ValueError(
                            f"state {name!r} of parameter {key} has shape {value.shape}, "
                            f"expected {self._state_shape(name, data)}"
                        )
                    value = value.astype(data.dtype)
                state[name] = value
        for group, saved in zip(self.param_groups, saved_groups):
            for name, value in saved.items():
                if name != "params":
                    group[name] = tuple(value) if isinstance(group.get(name), tuple) else value
