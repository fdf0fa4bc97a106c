"""Schedules that cycle the learning rate (and the momentum, inversely): ``CyclicLR``
and ``OneCycleLR``."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from typing import Any

from .._validate import check_bool, check_choice, check_int_positive, check_nonneg, check_range
from ..base import Optimizer
from .base import LRScheduler, check_like, check_optimizer, field_check, group_lrs, group_momenta, per_group


def _phases(name: str, value: Any, current: list[list[Any]]) -> list[list[Any]]:
    """OneCycleLR's phases: the current layout and names, with finite end steps."""
    phases = check_like(name, value, current)
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
    lows = [check_nonneg("base_momentum", m) for m in per_group("base_momentum", optimizer, base_momentum)]
    highs = [check_nonneg("max_momentum", m) for m in per_group("max_momentum", optimizer, max_momentum)]
    for group, low, high in zip(optimizer.param_groups, lows, highs, strict=True):
        _set_momentum(group, high, use_beta1)
        group["max_momentum"] = high
        group["base_momentum"] = low
    return use_beta1, lows, highs


_CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    """Cyclical learning rate (Smith 2017; ``torch.optim.lr_scheduler.CyclicLR``): each cycle rises
    linearly from ``base_lr`` to ``max_lr`` over ``step_size_up`` steps, then falls back over
    ``step_size_down``.

    With :math:`u` = ``step_size_up``, :math:`d` = ``step_size_down`` and :math:`r = u / (u + d)`::

        cycle = floor(1 + t / (u + d));  x = 1 + t / (u + d) - cycle
        height = x / r if x <= r else (x - 1) / (r - 1)
        lr = base_lr + (max_lr - base_lr) * height * scale

    ``scale`` is 1 ("triangular"), ``1 / 2 ** (cycle - 1)`` ("triangular2"), ``gamma ** t``
    ("exp_range"), or ``scale_fn(cycle)`` / ``scale_fn(t)`` for ``scale_mode="cycle"`` /
    ``"iterations"``. Construction sets the lr to ``base_lr``. ``scale_fn`` is not part of
    ``state_dict()``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    base_lr, max_lr : float or sequence of float
        The low and high lr, one for all groups or one per group.
    step_size_up : int
        Steps of the rising half, > 0 (default 2000).
    step_size_down : int, optional
        Steps of the falling half (default: ``step_size_up``).
    mode : {"triangular", "triangular2", "exp_range"}
        The amplitude's scale (ignored when ``scale_fn`` is given).
    gamma : float
        The base of "exp_range"'s scale (default 1).
    scale_fn : callable, optional
        A custom scale, a function of the cycle or the step.
    scale_mode : {"cycle", "iterations"}
        What ``scale_fn`` is called with (default "cycle").
    cycle_momentum : bool
        Move the momentum (SGD's ``momentum`` or Adam-like ``betas[0]``) inversely between
        ``max_momentum`` and ``base_momentum`` (default True).
    base_momentum, max_momentum : float or sequence of float
        The momentum's range (default 0.8 and 0.9).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
        Also if ``cycle_momentum`` is set and the optimizer has no momentum.
    """

    _fields = {
        "max_lrs": group_lrs,
        "total_size": field_check(check_range, low=0, low_open=True),
        "step_ratio": field_check(check_range, low=0, high=1, low_open=True),
        # with a custom scale_fn, ``mode`` is unused and kept as given
        "mode": lambda s, name, value: (
            check_choice(name, value, _CYCLIC_MODES)
            if s._scale_fn_custom is None
            else check_like(name, value, s.mode)
        ),
        "gamma": field_check(check_nonneg),
        "scale_mode": field_check(check_choice, choices=("cycle", "iterations")),
        "cycle_momentum": field_check(check_bool),
        "use_beta1": field_check(check_bool),
        "base_momentums": group_momenta,
        "max_momentums": group_momenta,
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
        check_optimizer(optimizer)
        base_lrs = [check_nonneg("base_lr", lr) for lr in per_group("base_lr", optimizer, base_lr)]
        self.max_lrs = [check_nonneg("max_lr", lr) for lr in per_group("max_lr", optimizer, max_lr)]
        up = float(check_range("step_size_up", step_size_up, low=0, low_open=True))
        down = up if step_size_down is None else float(check_nonneg("step_size_down", step_size_down))
        self._scale_fn_custom = scale_fn
        self.mode = mode if scale_fn is not None else check_choice("mode", mode, _CYCLIC_MODES)
        self._store(gamma=gamma, scale_mode=scale_mode, cycle_momentum=cycle_momentum)
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


class OneCycleLR(LRScheduler):
    r"""The 1cycle policy (``torch.optim.lr_scheduler.OneCycleLR``): the lr rises from
    ``max_lr / div_factor`` to ``max_lr`` over the first ``pct_start`` of ``total_steps``, then
    anneals to ``initial_lr / final_div_factor`` (``three_phase``: back to ``initial_lr`` first).

    Annealing from ``start`` to ``end`` over the fraction ``pct`` of a phase: "cos" is
    :math:`\text{end} + (\text{start} - \text{end})(1 + \cos \pi\, \text{pct}) / 2`, "linear"
    :math:`\text{start} + (\text{end} - \text{start})\, \text{pct}`.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    max_lr : float or sequence of float
        The peak lr, one for all groups or one per group.
    total_steps : int, optional
        The length of the cycle; or give ``epochs`` and ``steps_per_epoch``.
    epochs, steps_per_epoch : int, optional
        Their product is ``total_steps`` when that is None.
    pct_start : float
        The rising fraction of the cycle, in [0, 1] (default 0.3).
    anneal_strategy : {"cos", "linear"}
        The shape of each phase (default "cos").
    cycle_momentum : bool
        Move the momentum (SGD's ``momentum`` or Adam-like ``betas[0]``) inversely between
        ``max_momentum`` and ``base_momentum`` (default True).
    base_momentum, max_momentum : float or sequence of float
        The momentum's range (default 0.85 and 0.95).
    div_factor : float
        ``initial_lr = max_lr / div_factor``, > 0 (default 25).
    final_div_factor : float
        ``min_lr = initial_lr / final_div_factor``, > 0 (default 1e4).
    three_phase : bool
        Anneal back to ``initial_lr`` before the final descent (default False).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
        Also if neither ``total_steps`` nor ``epochs`` and ``steps_per_epoch`` are given, or
        ``step()`` is called more than ``total_steps`` times.
    """

    _fields = {
        "total_steps": field_check(check_int_positive),
        "anneal_strategy": field_check(check_choice, choices=("cos", "linear")),
        "_schedule_phases": lambda s, name, value: _phases(name, value, s._schedule_phases),
        "cycle_momentum": field_check(check_bool),
        "use_beta1": field_check(check_bool),
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
        check_optimizer(optimizer)
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
            steps_per_epoch = check_int_positive("steps_per_epoch", steps_per_epoch)
            total_steps = check_int_positive("epochs", epochs) * steps_per_epoch
        self._store(total_steps=total_steps, anneal_strategy=anneal_strategy, cycle_momentum=cycle_momentum)
        check_range("pct_start", pct_start, low=0, high=1)
        check_range("div_factor", div_factor, low=0, low_open=True)
        check_range("final_div_factor", final_div_factor, low=0, low_open=True)
        check_bool("three_phase", three_phase)
        max_lrs = [check_nonneg("max_lr", lr) for lr in per_group("max_lr", optimizer, max_lr)]
        if cycle_momentum:  # checks everything before it changes the groups
            self.use_beta1 = _init_momentum(optimizer, base_momentum, max_momentum)[0]
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
        for group, lr in zip(optimizer.param_groups, max_lrs, strict=True):
            group["initial_lr"] = lr / div_factor
            group["max_lr"] = lr
            group["min_lr"] = group["initial_lr"] / final_div_factor
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
