"""Schedulers that drive other schedulers (``SequentialLR``, ``ChainedScheduler``), and
``ReduceLROnPlateau``, which is driven by a metric and so cannot be one of theirs."""

from __future__ import annotations

import copy
import math
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from .._validate import at, check_choice, check_int, check_nonneg, check_range
from ..base import Optimizer
from .base import LRScheduler, check_optimizer, field_check, group_lrs, int_list, per_group


class _Composite(LRScheduler):
    """A scheduler driving others (``_schedulers``): its state dict holds theirs, and
    loading checks all of them before any changes (all-or-nothing)."""

    _schedulers: list[LRScheduler]

    def _adopt(self, schedulers: Sequence[Any], optimizer: Any) -> None:
        """Keep ``schedulers`` and ``optimizer`` after checking them: at least one scheduler,
        each of ``optimizer`` and none a ReduceLROnPlateau (whose step needs a metric)."""
        name, schedulers = type(self).__name__, list(schedulers)
        if not schedulers:
            raise ValueError(f"{name} expects at least one scheduler, but got none")
        for i, scheduler in enumerate(schedulers):
            if not isinstance(scheduler, LRScheduler):
                raise TypeError(f"{name} expects schedulers, but got {type(scheduler).__name__} at index {i}")
        check_optimizer(optimizer)
        for i, scheduler in enumerate(schedulers):
            if isinstance(scheduler, ReduceLROnPlateau):
                raise ValueError(  # noqa: TRY004 (ValueError, as torch raises)
                    f"{name} does not support ReduceLROnPlateau (its step needs a metric), "
                    f"but got one at index {i}"
                )
            if scheduler.optimizer is not optimizer:
                raise ValueError(
                    f"{name} expects all schedulers to belong to the same optimizer, "
                    f"but scheduler {type(scheduler).__name__} at index {i} has a different one"
                )
        self.optimizer = optimizer
        self._schedulers = schedulers

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
    """Run ``schedulers[i]`` between ``milestones[i-1]`` and ``milestones[i]``
    (``torch.optim.lr_scheduler.SequentialLR``); each scheduler restarts from its step 0 at its
    milestone.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    schedulers : sequence of LRScheduler
        The schedules, each of ``optimizer`` (none a ReduceLROnPlateau).
    milestones : sequence of int
        One fewer than the schedulers: the steps at which the next one takes over.

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or a scheduler is not an LRScheduler.
    ValueError
        If there are no schedulers, one belongs to another optimizer or is a
        ReduceLROnPlateau, or the number of milestones is not one fewer.
    """

    _fields = {"_milestones": int_list}

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: Sequence[LRScheduler],
        milestones: Sequence[int],
    ) -> None:
        self._adopt(schedulers, optimizer)
        milestones = list(milestones)
        if len(milestones) != len(self._schedulers) - 1:
            raise ValueError(
                "SequentialLR expects one milestone fewer than schedulers: got "
                f"{len(self._schedulers)} schedulers and {len(milestones)} milestones"
            )
        self._milestones = int_list(self, "milestones", milestones)
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


class ChainedScheduler(_Composite):
    """Step several schedulers of one optimizer together (``torch.optim.lr_scheduler.ChainedScheduler``):
    each ``step()`` calls every scheduler's ``step()`` in order, so their effects on the lr
    compose (e.g. a ConstantLR warm-up times an ExponentialLR decay).

    Parameters
    ----------
    schedulers : sequence of LRScheduler
        The schedules, each of the same optimizer (none a ReduceLROnPlateau).
    optimizer : Optimizer, optional
        Their optimizer (default: the first scheduler's).

    Raises
    ------
    TypeError
        If a scheduler is not an LRScheduler, or ``optimizer`` is not an Optimizer.
    ValueError
        If there are no schedulers, one belongs to another optimizer or is a
        ReduceLROnPlateau.
    """

    def __init__(self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None) -> None:
        schedulers = list(schedulers)
        if optimizer is None and schedulers:
            optimizer = getattr(schedulers[0], "optimizer", None)
        self._adopt(schedulers, optimizer)
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


class ReduceLROnPlateau(LRScheduler):
    r"""Multiply the lr by ``factor`` when the metric passed to ``step(metrics)`` has not improved
    for more than ``patience`` steps; then wait ``cooldown`` steps
    (``torch.optim.lr_scheduler.ReduceLROnPlateau``).

    Improvement, for ``mode="min"``: :math:`a < \text{best} \cdot (1 - \text{threshold})` with
    ``threshold_mode="rel"``, :math:`a < \text{best} - \text{threshold}` with ``"abs"``
    (mirrored for ``"max"``). The new lr is :math:`\max(\text{lr} \cdot \text{factor},
    \text{min\_lr})`, applied only if it changes the lr by more than ``eps``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    mode : {"min", "max"}
        Whether the metric should fall (a loss) or rise (an accuracy); default "min".
    factor : float
        The reduction, in [0, 1) (default 0.1).
    patience : int
        The number of steps without improvement that are tolerated, >= 0 (default 10).
    threshold : float
        How much better counts as an improvement, >= 0 (default 1e-4).
    threshold_mode : {"rel", "abs"}
        Relative (default) or absolute threshold.
    cooldown : int
        Steps to wait after a reduction before counting again, >= 0 (default 0).
    min_lr : float or sequence of float
        The lowest lr, one for all groups or one per group (default 0).
    eps : float
        The smallest change of the lr that is applied (default 1e-8).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {
        "mode": field_check(check_choice, choices=("min", "max")),
        "factor": field_check(check_range, low=0, high=1, high_open=True),
        "threshold_mode": field_check(check_choice, choices=("rel", "abs")),
        **dict.fromkeys(("threshold", "eps"), field_check(check_nonneg)),
        **dict.fromkeys(
            ("patience", "cooldown", "num_bad_epochs", "cooldown_counter", "last_epoch"),
            field_check(check_int, low=0),
        ),
        "min_lrs": group_lrs,
        "best": field_check(check_range, finite=False),
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
        check_optimizer(optimizer)
        self.optimizer = optimizer
        self._store(
            mode=mode,
            factor=factor,
            patience=patience,
            threshold=threshold,
            threshold_mode=threshold_mode,
            cooldown=cooldown,
            eps=eps,
        )
        self.min_lrs = group_lrs(self, "min_lr", per_group("min_lr", optimizer, min_lr))
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
