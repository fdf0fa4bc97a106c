"""Learning-rate schedules with ``torch.optim.lr_scheduler`` semantics.

Call ``sched.step()`` once after each ``opt.step()``; the scheduler writes
``group["lr"]`` of every parameter group. Constructing a scheduler already sets
the lr for the first step. Where torch computes a schedule recursively
(``lr_t`` from ``lr_{t-1}``) we do too, so the floats match torch's exactly.

``lr_at(make_scheduler, steps, base_lr, **kwargs)`` gives the lr at each step
without a real optimizer, e.g. for plotting.

Not supported (unlike torch): the ``last_epoch`` constructor argument and
``step(epoch)``; resume with ``state_dict()`` / ``load_state_dict()`` instead.
"""

from __future__ import annotations

import copy
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from ._validate import (
    at,
    check_bool,
    check_choice,
    check_int,
    check_int_positive,
    check_nonneg,
    check_range,
)
from .base import Optimizer
from .sgd import SGD

#: A check of one ``state_dict`` field: ``check(scheduler, name, value)`` returns the value to store.
FieldCheck = Callable[[Any, str, Any], Any]


def _per_group(name: str, optimizer: Optimizer, value: float | Sequence[float]) -> list[float]:
    """One value per param group: a scalar is repeated, a list must match the group count."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have one value per param group: expected "
                f"{len(optimizer.param_groups)}, got {len(value)}"
            )
        return list(value)
    return [value] * len(optimizer.param_groups)


def _check_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def _field(check: Callable[..., Any], **kwargs: Any) -> FieldCheck:
    """A field check from a ``_validate`` check ``check(name, value, **kwargs)``."""
    return lambda _, name, value: check(name, value, **kwargs)


def _group_values(what: str) -> FieldCheck:
    """A field check: one real ``>= 0`` (``what``, e.g. learning rates) per param group."""

    def check(scheduler: Any, name: str, value: Any) -> list[float]:
        n = len(scheduler.optimizer.param_groups)
        if not isinstance(value, list) or len(value) != n:
            found = f"{len(value)} values" if isinstance(value, list) else type(value).__name__
            raise ValueError(f"Invalid {name}: expected a list of {n} {what} (one per group), got {found}")
        return [check_nonneg(f"{name}[{i}]", v) for i, v in enumerate(value)]

    return check


_group_lrs = _group_values("learning rates")
_group_momenta = _group_values("momenta")


def _int_list(scheduler: Any, name: str, value: Any) -> list[int]:
    """Integers >= 0 (e.g. milestones), sorted."""
    if not isinstance(value, list):
        raise TypeError(f"Invalid {name}: expected a list of integers, got {type(value).__name__}")
    checked = [check_int(f"{name}[{i}]", v, low=0) for i, v in enumerate(value)]
    if checked != sorted(checked):
        raise ValueError(f"Invalid {name}: expected increasing integers, got {checked}")
    return checked


def _phases(name: str, value: Any, current: list[list[Any]]) -> list[list[Any]]:
    """OneCycleLR's phases: the current layout and names, with finite end steps."""
    phases = _like(name, value, current)
    for i, phase in enumerate(phases):
        check_range(f"{name}[{i}][0]", phase[0])
    return phases


def _set_momentum(group: dict[str, Any], momentum: float, use_beta1: bool) -> None:
    """Set the momentum of ``group``: ``betas[0]`` (Adam-like) or ``momentum`` (SGD-like)."""
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def _init_momentum(
    optimizer: Optimizer,
    base_momentum: float | Sequence[float],
    max_momentum: float | Sequence[float],
) -> tuple[bool, list[float], list[float]]:
    """For ``cycle_momentum``: check the momenta, start every group at its ``max_momentum``
    and record ``base_momentum`` / ``max_momentum`` in it (as torch does). Returns
    ``(use_beta1, base momenta, max momenta)``."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
    use_beta1 = "betas" in optimizer.defaults
    lows = [check_nonneg("base_momentum", m) for m in _per_group("base_momentum", optimizer, base_momentum)]
    highs = [check_nonneg("max_momentum", m) for m in _per_group("max_momentum", optimizer, max_momentum)]
    for group, low, high in zip(optimizer.param_groups, lows, highs, strict=True):
        _set_momentum(group, high, use_beta1)
        group["max_momentum"] = high
        group["base_momentum"] = low
    return use_beta1, lows, highs


def _like(name: str, value: Any, current: Any) -> Any:
    """``value`` with the JSON type and layout of the field's ``current`` value
    (for fields without a dedicated check)."""
    if isinstance(current, bool):
        return check_bool(name, value)
    if isinstance(current, int):
        return check_int(name, value)
    if isinstance(current, float):
        return float(check_range(name, value, finite=False))
    if isinstance(current, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(current):
            raise ValueError(f"Invalid {name}: expected a list of {len(current)} values, got {value!r}")
        return type(current)(_like(f"{name}[{i}]", v, c) for i, (v, c) in enumerate(zip(value, current)))
    if isinstance(current, dict):
        if not isinstance(value, dict) or set(value) != set(current):
            raise ValueError(f"Invalid {name}: expected a dict with keys {sorted(current)}, got {value!r}")
        return {k: _like(f"{name}[{k!r}]", value[k], current[k]) for k in current}
    if value != current or type(value) is not type(current):
        raise ValueError(f"Invalid {name}: expected {current!r}, got {value!r}")
    return value


class LRScheduler:
    """Base class: remembers ``initial_lr`` per group and sets lrs on each ``step()``.

    ``_fields`` maps state fields to their checks (merged over the class hierarchy);
    ``load_state_dict`` applies them, and checks any other field against the type and
    layout of its current value.
    """

    _fields: dict[str, FieldCheck] = {
        "base_lrs": _group_lrs,
        "_last_lr": _group_lrs,
        "last_epoch": _field(check_int, low=-1),
        "_is_initial": _field(check_bool),
    }

    def __init__(self, optimizer: Optimizer) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = -1
        self._initial_step()

    def _initial_step(self) -> None:
        self._is_initial = True
        self.step()
        self._is_initial = False

    def _get_lr(self) -> list[float]:
        """The lrs for ``self.last_epoch`` (may read the current group lrs)."""
        raise NotImplementedError

    def _closed_form_lr(self) -> list[float]:
        """The lrs for ``self.last_epoch`` from the base lrs (used by SequentialLR)."""
        return self._get_lr()

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def _set_lrs(self, lrs: Iterable[float]) -> None:
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = self._current_lrs()

    def step(self) -> None:
        """Advance one step and set the lr of every param group."""
        self.last_epoch += 1
        self._set_lrs(self._get_lr())

    def _restart(self) -> None:
        """Jump to step 0 (SequentialLR switching to this scheduler at a milestone)."""
        self.last_epoch = 0
        self._set_lrs(self._closed_form_lr())

    def get_last_lr(self) -> list[float]:
        """The lrs set by the last ``step()`` (one per param group)."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """All attributes except the optimizer (copied)."""
        return copy.deepcopy({k: v for k, v in vars(self).items() if k != "optimizer"})

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()``: exactly this scheduler's fields, each checked like
        the constructor's argument; nothing changes unless all of them are valid."""
        self._commit_state_dict(self._validated_state_dict(state_dict))

    def _validated_state_dict(self, state_dict: Any) -> dict[str, Any]:
        """Checked copies of the fields of ``state_dict``; ``self`` is untouched."""
        current = self._own_state()
        if not isinstance(state_dict, dict):
            raise TypeError(f"expected a dict of scheduler fields, got {type(state_dict).__name__}")
        unknown = sorted(set(state_dict) - set(current), key=str)
        if unknown:
            raise ValueError(
                f"unknown field {unknown[0]!r} for {type(self).__name__}: expected fields {sorted(current)}"
            )
        missing = sorted(set(current) - set(state_dict))
        if missing:
            raise ValueError(f"missing field {missing[0]!r} for {type(self).__name__}")
        checks: dict[str, FieldCheck] = {}
        for cls in reversed(type(self).__mro__):
            checks.update(vars(cls).get("_fields", {}))
        new = {}
        for name, value in state_dict.items():
            check = checks.get(name)
            new[name] = copy.deepcopy(
                _like(name, value, current[name]) if check is None else check(self, name, value)
            )
        return new

    def _own_state(self) -> dict[str, Any]:
        """The fields this scheduler restores itself: its state dict without the states of
        nested schedulers (``_schedulers``, as in SequentialLR), which restore their own."""
        return {k: v for k, v in self.state_dict().items() if k != "_schedulers"}

    def _commit_state_dict(self, state: dict[str, Any]) -> None:
        vars(self).update(state)


class LambdaLR(LRScheduler):
    """``lr_t = base_lr * lr_lambda(t)`` (one lambda, or one per group).

    The lambdas are not part of ``state_dict()``; recreate the scheduler with the
    same lambdas before ``load_state_dict``.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
    ) -> None:
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(
                    f"Expected {len(optimizer.param_groups)} lr_lambdas, but got {len(lr_lambda)}"
                )
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        return [
            base_lr * lmbda(self.last_epoch)
            for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)
        ]

    def state_dict(self) -> dict[str, Any]:
        state = {k: v for k, v in vars(self).items() if k not in ("optimizer", "lr_lambdas")}
        return copy.deepcopy(state)


class StepLR(LRScheduler):
    """``lr_t = base_lr * gamma ** (t // step_size)`` (computed as ``lr * gamma``
    every ``step_size`` steps)."""

    _fields = {"step_size": _field(check_int_positive), "gamma": _field(check_nonneg)}

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = check_int_positive("step_size", step_size)
        self.gamma = check_nonneg("gamma", gamma)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        return [b * self.gamma ** (self.last_epoch // self.step_size) for b in self.base_lrs]


class MultiStepLR(LRScheduler):
    """``lr_t = base_lr * gamma ** (number of milestones <= t)``."""

    _fields = {"milestones": _int_list, "gamma": _field(check_nonneg)}

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1) -> None:
        self.milestones = _int_list(self, "milestones", sorted(milestones))
        self.gamma = check_nonneg("gamma", gamma)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        hits = self.milestones.count(self.last_epoch)
        if hits == 0:
            return self._current_lrs()
        return [lr * self.gamma**hits for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        n = bisect_right(self.milestones, self.last_epoch)
        return [b * self.gamma**n for b in self.base_lrs]


class ExponentialLR(LRScheduler):
    """``lr_t = base_lr * gamma ** t`` (computed as ``lr * gamma`` each step)."""

    _fields = {"gamma": _field(check_nonneg)}

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = check_nonneg("gamma", gamma)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        return [b * self.gamma**self.last_epoch for b in self.base_lrs]


class LinearLR(LRScheduler):
    """Linear ramp of the factor from ``start_factor`` to ``end_factor`` over
    ``total_iters`` steps: ``lr_t = base_lr * (s + (e - s) * min(t, T) / T)``."""

    _fields = {
        "start_factor": _field(check_range, low=0, high=1, low_open=True),
        "end_factor": _field(check_range, low=0, high=1),
        "total_iters": _field(check_int_positive),
    }

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
    ) -> None:
        fields = {"start_factor": start_factor, "end_factor": end_factor, "total_iters": total_iters}
        for name, value in fields.items():
            setattr(self, name, self._fields[name](self, name, value))
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return [lr * self.start_factor for lr in self._current_lrs()]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        delta = self.end_factor - self.start_factor
        factor = 1.0 + delta / (self.total_iters * self.start_factor + (self.last_epoch - 1) * delta)
        return [lr * factor for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        delta = self.end_factor - self.start_factor
        fraction = min(self.total_iters, self.last_epoch) / self.total_iters
        return [b * (self.start_factor + delta * fraction) for b in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """``lr_t = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2``,
    computed with torch's recursive form (and continuing past ``T_max`` as a cosine)."""

    _fields = {"T_max": _field(check_int_positive), "eta_min": _field(check_nonneg)}

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max = check_int_positive("T_max", T_max)
        self.eta_min = check_nonneg("eta_min", eta_min)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current_lrs()
        if (t - 1 - T) % (2 * T) == 0:
            return [
                lr + (b - eta_min) * (1 - math.cos(math.pi / T)) / 2
                for lr, b in zip(self._current_lrs(), self.base_lrs, strict=True)
            ]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (lr - eta_min) + eta_min for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        cos_term = 1 + math.cos(math.pi * self.last_epoch / self.T_max)
        return [self.eta_min + (b - self.eta_min) * cos_term / 2 for b in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    """SGDR: ``lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2``;
    ``T_cur`` restarts at 0 after ``T_i`` steps and then ``T_i <- T_i * T_mult``."""

    _fields = {
        **dict.fromkeys(("T_0", "T_i", "T_mult"), _field(check_int_positive)),
        "T_cur": _field(check_int, low=-1),
        "eta_min": _field(check_nonneg),
    }

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> None:
        self.T_0 = check_int_positive("T_0", T_0)
        self.T_i = T_0
        self.T_mult = check_int_positive("T_mult", T_mult)
        self.eta_min = check_nonneg("eta_min", eta_min)
        self.T_cur = -1
        super().__init__(optimizer)

    def step(self) -> None:
        if self.last_epoch < 0:
            self.T_cur, self.T_i = 0, self.T_0
        else:
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur %= self.T_i
                self.T_i *= self.T_mult
        super().step()

    def _get_lr(self) -> list[float]:
        cos_term = 1 + math.cos(math.pi * self.T_cur / self.T_i)
        return [self.eta_min + (b - self.eta_min) * cos_term / 2 for b in self.base_lrs]


class OneCycleLR(LRScheduler):
    """1cycle policy: lr rises from ``max_lr / div_factor`` to ``max_lr`` over the
    first ``pct_start`` of ``total_steps``, then anneals to
    ``initial_lr / final_div_factor`` (``three_phase``: back to ``initial_lr``
    first). Momentum (SGD ``momentum`` or Adam-like ``betas[0]``) cycles inversely
    between ``max_momentum`` and ``base_momentum`` when ``cycle_momentum``.
    Annealing: ``cos``: ``end + (start - end) * (1 + cos(pi * pct)) / 2``;
    ``linear``: ``start + (end - start) * pct``.
    """

    _fields = {
        "total_steps": _field(check_int_positive),
        "anneal_strategy": _field(check_choice, choices=("cos", "linear")),
        "_schedule_phases": lambda s, name, value: _phases(name, value, s._schedule_phases),
        "cycle_momentum": _field(check_bool),
        "use_beta1": _field(check_bool),
    }

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | Sequence[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | Sequence[float] = 0.85,
        max_momentum: float | Sequence[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
    ) -> None:
        _check_optimizer(optimizer)
        if total_steps is not None:
            if not isinstance(total_steps, int) or total_steps <= 0:
                raise ValueError(f"Invalid total_steps: expected a positive integer, got {total_steps!r}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            for name, value in (
                ("epochs", epochs),
                ("steps_per_epoch", steps_per_epoch),
            ):
                if not isinstance(value, int) or value <= 0:
                    raise ValueError(f"Invalid {name}: expected a positive integer, got {value!r}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        if not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"Invalid pct_start: expected a float in [0, 1], got {pct_start!r}")
        self.anneal_strategy = check_choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
        check_range("div_factor", div_factor, low=0, low_open=True)
        check_range("final_div_factor", final_div_factor, low=0, low_open=True)
        check_bool("three_phase", three_phase)
        warmup_end = float(pct_start * self.total_steps) - 1
        last = self.total_steps - 1
        if three_phase:
            self._schedule_phases = [
                [warmup_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"],
                [
                    2 * warmup_end,
                    "max_lr",
                    "initial_lr",
                    "base_momentum",
                    "max_momentum",
                ],
                [last, "initial_lr", "min_lr", "max_momentum", "max_momentum"],
            ]
        else:
            self._schedule_phases = [
                [warmup_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"],
                [last, "max_lr", "min_lr", "base_momentum", "max_momentum"],
            ]
        for group, lr in zip(optimizer.param_groups, _per_group("max_lr", optimizer, max_lr)):
            check_nonneg("max_lr", lr)
            group["initial_lr"] = lr / div_factor
            group["max_lr"] = lr
            group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = check_bool("cycle_momentum", cycle_momentum)
        if cycle_momentum:
            self.use_beta1 = _init_momentum(optimizer, base_momentum, max_momentum)[0]
        super().__init__(optimizer)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _get_lr(self) -> list[float]:
        step_num = self.last_epoch
        if step_num > self.total_steps:
            raise ValueError(
                f"Tried to step {step_num} times. The specified number of total steps is {self.total_steps}"
            )
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, (end_step, lr0, lr1, mom0, mom1) in enumerate(self._schedule_phases):
                if step_num <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step_num - start_step) / (end_step - start_step)
                    lrs.append(self._anneal(group[lr0], group[lr1], pct))
                    if self.cycle_momentum:
                        momentum = self._anneal(group[mom0], group[mom1], pct)
                        _set_momentum(group, momentum, self.use_beta1)
                    break
                start_step = end_step
        return lrs


class _Composite(LRScheduler):
    """A scheduler driving others (``_schedulers``): its state dict holds theirs, and
    loading checks all of them before any changes (all-or-nothing)."""

    _schedulers: list[LRScheduler]

    def state_dict(self) -> dict[str, Any]:
        """Own attributes plus ``_schedulers``: the state dicts of the driven schedulers."""
        state = {k: v for k, v in vars(self).items() if k not in ("optimizer", "_schedulers")}
        state = copy.deepcopy(state)
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def _validated_state_dict(self, state_dict: Any) -> dict[str, Any]:
        if not isinstance(state_dict, dict) or "_schedulers" not in state_dict:
            raise ValueError(f"expected a dict of {type(self).__name__} fields with the key '_schedulers'")
        state = dict(state_dict)
        saved = state.pop("_schedulers")
        n = len(self._schedulers)
        if not isinstance(saved, list) or len(saved) != n:
            found = f"{len(saved)} states" if isinstance(saved, list) else type(saved).__name__
            raise ValueError(f"Invalid _schedulers: expected a list of {n} scheduler states, got {found}")
        children = []
        for i, (scheduler, child) in enumerate(zip(self._schedulers, saved)):
            with at(f"_schedulers[{i}]"):
                children.append(scheduler._validated_state_dict(child))
        return {**super()._validated_state_dict(state), "_schedulers": children}

    def _commit_state_dict(self, state: dict[str, Any]) -> None:
        state = dict(state)
        for scheduler, child in zip(self._schedulers, state.pop("_schedulers"), strict=True):
            scheduler._commit_state_dict(child)
        super()._commit_state_dict(state)


class SequentialLR(_Composite):
    """Run ``schedulers[i]`` between ``milestones[i-1]`` and ``milestones[i]``; each
    scheduler restarts from its step 0 at its milestone."""

    _fields = {"_milestones": _int_list}

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: Sequence[LRScheduler],
        milestones: Sequence[int],
    ) -> None:
        if len(schedulers) < 1:
            raise ValueError("SequentialLR expects at least one scheduler, but got none")
        for i, scheduler in enumerate(schedulers):
            if isinstance(scheduler, ReduceLROnPlateau):
                raise ValueError(  # noqa: TRY004 (ValueError, as torch raises)
                    "SequentialLR does not support ReduceLROnPlateau (its step needs a "
                    f"metric), but got one at index {i}"
                )
            if scheduler.optimizer is not optimizer:
                raise ValueError(
                    "SequentialLR expects all schedulers to belong to the same optimizer, "
                    f"but scheduler {type(scheduler).__name__} at index {i} has a different one"
                )
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "SequentialLR expects one milestone fewer than schedulers: got "
                f"{len(schedulers)} schedulers and {len(milestones)} milestones"
            )
        self.optimizer = optimizer
        self._schedulers = list(schedulers)
        self._milestones = _int_list(self, "milestones", list(milestones))
        self.last_epoch = 0
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self._undo_initial_steps(self)
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    @classmethod
    def _undo_initial_steps(cls, scheduler: LRScheduler) -> None:
        for child in scheduler._schedulers:
            if isinstance(child, _Composite):
                cls._undo_initial_steps(child)
            else:
                child.last_epoch -= 1

    def step(self) -> None:
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler._restart()
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ReduceLROnPlateau(LRScheduler):
    """Multiply the lr by ``factor`` when the metric passed to ``step(metrics)`` has
    not improved for more than ``patience`` steps; then wait ``cooldown`` steps.

    Improvement: ``mode="min", threshold_mode="rel"``: ``a < best * (1 - threshold)``;
    ``"abs"``: ``a < best - threshold`` (mirrored for ``"max"``). New lr:
    ``max(lr * factor, min_lr)``, applied only if it changes the lr by more than ``eps``.
    """

    _fields = {
        "mode": _field(check_choice, choices=("min", "max")),
        "factor": _field(check_range, low=0, high=1, high_open=True),
        "threshold_mode": _field(check_choice, choices=("rel", "abs")),
        **dict.fromkeys(("threshold", "eps"), _field(check_nonneg)),
        **dict.fromkeys(
            ("patience", "cooldown", "num_bad_epochs", "cooldown_counter", "last_epoch"),
            _field(check_int, low=0),
        ),
        "min_lrs": _group_lrs,
        "best": _field(check_range, finite=False),
    }

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | Sequence[float] = 0,
        eps: float = 1e-8,
    ) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        arguments = {
            "mode": mode,
            "factor": factor,
            "patience": patience,
            "threshold": threshold,
            "threshold_mode": threshold_mode,
            "cooldown": cooldown,
            "eps": eps,
        }
        for name, value in arguments.items():
            setattr(self, name, self._fields[name](self, name, value))
        self.min_lrs = _group_lrs(self, "min_lr", _per_group("min_lr", optimizer, min_lr))
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._last_lr = self._current_lrs()

    def _is_better(self, a: float) -> bool:
        sign = 1.0 if self.mode == "min" else -1.0
        if self.threshold_mode == "rel":
            return sign * a < sign * self.best * (1.0 - sign * self.threshold)
        return sign * a < sign * self.best - self.threshold

    def step(self, metrics: float) -> None:  # type: ignore[override]
        """Record ``metrics`` (e.g. the validation loss) and reduce the lr if it plateaued."""
        current = float(metrics)
        self.last_epoch += 1
        if self._is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs, strict=True):
                new_lr = max(group["lr"] * self.factor, min_lr)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()


def lr_at(
    make_scheduler: Callable[..., LRScheduler],
    steps: int,
    base_lr: float = 0.1,
    **kwargs: Any,
) -> list[float]:
    """The lr used at each of the first ``steps`` optimizer steps, without an optimizer.

    ``make_scheduler(optimizer, **kwargs)`` builds the schedule on a throwaway
    one-parameter SGD optimizer with ``lr=base_lr``; a scheduler class works::

        lr_at(CosineAnnealingLR, 100, base_lr=0.1, T_max=50)
        lr_at(lambda opt: StepLR(opt, step_size=10), 30)

    (Not for ReduceLROnPlateau, whose lr depends on the metrics fed to it.)
    """
    optimizer = SGD([SimpleNamespace(data=0.0, grad=0.0)], lr=base_lr)
    scheduler = make_scheduler(optimizer, **kwargs)
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
    return lrs


class ConstantLR(LRScheduler):
    """``lr_t = base_lr * factor`` for ``t < total_iters``, then ``base_lr`` (computed
    as ``lr * factor`` at step 0 and ``lr / factor`` at ``total_iters``)."""

    _fields = {
        "factor": _field(check_range, low=0, high=1, low_open=True),  # the lr is divided by it
        "total_iters": _field(check_int, low=0),
    }

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5) -> None:
        self.factor = check_range("factor", factor, low=0, high=1, low_open=True)
        self.total_iters = check_int("total_iters", total_iters, low=0)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._current_lrs()]
        if self.last_epoch != self.total_iters:
            return self._current_lrs()
        return [lr * (1.0 / self.factor) for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        done = self.last_epoch >= self.total_iters
        return [b * (self.factor + done * (1 - self.factor)) for b in self.base_lrs]


class PolynomialLR(LRScheduler):
    """``lr_t = base_lr * (1 - min(t, total_iters) / total_iters) ** power``, computed
    with torch's recursive form (``lr_t = lr_{t-1} * ((T - t) / (T - t + 1)) ** power``)."""

    _fields = {"total_iters": _field(check_int_positive), "power": _field(check_nonneg)}

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0) -> None:
        self.total_iters = check_int_positive("total_iters", total_iters)
        self.power = check_nonneg("power", power)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        t, T = self.last_epoch, self.total_iters
        if self._is_initial or t > T:
            return self._current_lrs()
        decay_factor = ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** self.power
        return [lr * decay_factor for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        fraction = min(self.total_iters, self.last_epoch) / self.total_iters
        return [b * (1.0 - fraction) ** self.power for b in self.base_lrs]


class MultiplicativeLR(LambdaLR):
    """``lr_t = lr_{t-1} * lr_lambda(t)`` for ``t >= 1`` (one lambda, or one per group).

    As for LambdaLR, the lambdas are not part of ``state_dict()``.
    """

    def _get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current_lrs()
        return [
            lr * lmbda(self.last_epoch)
            for lmbda, lr in zip(self.lr_lambdas, self._current_lrs(), strict=True)
        ]


_CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    """Cyclical learning rate (Smith 2017): each cycle rises linearly from ``base_lr``
    to ``max_lr`` over ``step_size_up`` steps, then falls back over ``step_size_down``::

        cycle = floor(1 + t / (up + down));  x = 1 + t / (up + down) - cycle
        height = x / r if x <= r else (x - 1) / (r - 1)      (r = up / (up + down))
        lr = base_lr + (max_lr - base_lr) * height * scale

    ``scale`` is 1 (``"triangular"``), ``1 / 2 ** (cycle - 1)`` (``"triangular2"``),
    ``gamma ** t`` (``"exp_range"``), or ``scale_fn(cycle)`` / ``scale_fn(t)`` for
    ``scale_mode="cycle"`` / ``"iterations"``. With ``cycle_momentum``, the momentum
    (SGD ``momentum`` or Adam-like ``betas[0]``) moves inversely between
    ``max_momentum`` and ``base_momentum``. Construction sets the lr to ``base_lr``.
    ``scale_fn`` is not part of ``state_dict()``.
    """

    _fields = {
        "max_lrs": _group_lrs,
        "total_size": _field(check_range, low=0, low_open=True),
        "step_ratio": _field(check_range, low=0, high=1, low_open=True),
        # with a custom scale_fn, ``mode`` is unused and kept as given
        "mode": lambda s, name, value: (
            check_choice(name, value, _CYCLIC_MODES)
            if s._scale_fn_custom is None
            else _like(name, value, s.mode)
        ),
        "gamma": _field(check_nonneg),
        "scale_mode": _field(check_choice, choices=("cycle", "iterations")),
        "cycle_momentum": _field(check_bool),
        "use_beta1": _field(check_bool),
        "base_momentums": _group_momenta,
        "max_momentums": _group_momenta,
    }

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | Sequence[float],
        max_lr: float | Sequence[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | Sequence[float] = 0.8,
        max_momentum: float | Sequence[float] = 0.9,
    ) -> None:
        _check_optimizer(optimizer)
        base_lrs = [check_nonneg("base_lr", lr) for lr in _per_group("base_lr", optimizer, base_lr)]
        self.max_lrs = [check_nonneg("max_lr", lr) for lr in _per_group("max_lr", optimizer, max_lr)]
        up = float(check_range("step_size_up", step_size_up, low=0, low_open=True))
        down = up if step_size_down is None else float(check_nonneg("step_size_down", step_size_down))
        self._scale_fn_custom = scale_fn
        self.mode = mode if scale_fn is not None else check_choice("mode", mode, _CYCLIC_MODES)
        self.gamma = check_nonneg("gamma", gamma)
        check_choice("scale_mode", scale_mode, ("cycle", "iterations"))
        self.cycle_momentum = check_bool("cycle_momentum", cycle_momentum)
        if cycle_momentum:  # checks everything before it changes the groups
            self.use_beta1, self.base_momentums, self.max_momentums = _init_momentum(
                optimizer, base_momentum, max_momentum
            )
        for lr, group in zip(base_lrs, optimizer.param_groups, strict=True):
            group["lr"] = lr
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if scale_fn is None:
            scale_mode = "iterations" if mode == "exp_range" else "cycle"
        self.scale_mode = scale_mode
        super().__init__(optimizer)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        """The amplitude scale at ``x`` (the cycle number or the step, per ``scale_mode``)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def _get_lr(self) -> list[float]:
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [
            base_lr + (max_lr - base_lr) * scale_factor * scale
            for base_lr, max_lr in zip(self.base_lrs, self.max_lrs, strict=True)
        ]
        if self.cycle_momentum:
            for group, low, high in zip(
                self.optimizer.param_groups, self.base_momentums, self.max_momentums, strict=True
            ):
                _set_momentum(group, high - (high - low) * scale_factor * scale, self.use_beta1)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        state = {k: v for k, v in vars(self).items() if k not in ("optimizer", "_scale_fn_custom")}
        return copy.deepcopy(state)


class ChainedScheduler(_Composite):
    """Step several schedulers of one optimizer together: each ``step()`` calls every
    scheduler's ``step()`` in order, so their effects on the lr compose (e.g. a
    ConstantLR warm-up times an ExponentialLR decay)."""

    def __init__(self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None) -> None:
        schedulers = list(schedulers)
        if not schedulers:
            raise ValueError("ChainedScheduler expects at least one scheduler, but got none")
        for i, scheduler in enumerate(schedulers):
            if not isinstance(scheduler, LRScheduler):
                raise TypeError(
                    f"ChainedScheduler expects schedulers, but got {type(scheduler).__name__} at index {i}"
                )
        optimizer = schedulers[0].optimizer if optimizer is None else optimizer
        _check_optimizer(optimizer)
        for i, scheduler in enumerate(schedulers):
            if isinstance(scheduler, ReduceLROnPlateau):
                raise ValueError(  # noqa: TRY004 (ValueError, as torch raises)
                    "ChainedScheduler does not support ReduceLROnPlateau (its step needs a "
                    f"metric), but got one at index {i}"
                )
            if scheduler.optimizer is not optimizer:
                raise ValueError(
                    "ChainedScheduler expects all schedulers to belong to the same optimizer, "
                    f"but scheduler {type(scheduler).__name__} at index {i} has a different one"
                )
        self.optimizer = optimizer
        self._schedulers = schedulers
        self._last_lr = self._current_lrs()

    def step(self) -> None:
        """Step every chained scheduler once, in order."""
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current_lrs()

    def _restart(self) -> None:
        raise NotImplementedError(
            "a ChainedScheduler can only be the first scheduler of a SequentialLR (it cannot "
            "restart at a milestone; torch fails there too)"
        )
