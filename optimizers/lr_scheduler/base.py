"""The base of the learning-rate schedules: ``LRScheduler``, the checks of their
arguments and state fields, and ``lr_at``."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from .._validate import check_bool, check_int, check_nonneg, check_range
from ..base import Optimizer
from ..sgd import SGD

#: A check of one ``state_dict`` field: ``check(scheduler, name, value)`` returns the value to store.
FieldCheck = Callable[[Any, str, Any], Any]


def per_group(name: str, optimizer: Optimizer, value: float | Sequence[float]) -> list[float]:
    """One value per param group: a scalar is repeated, a list must match the group count."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have one value per param group: expected "
                f"{len(optimizer.param_groups)}, got {len(value)}"
            )
        return list(value)
    return [value] * len(optimizer.param_groups)


def check_optimizer(optimizer: Any) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer: expected an Optimizer, got {type(optimizer).__name__}")


def field_check(check: Callable[..., Any], **kwargs: Any) -> FieldCheck:
    """A field check from a ``_validate`` check ``check(name, value, **kwargs)``."""
    return lambda _, name, value: check(name, value, **kwargs)


def group_values(what: str) -> FieldCheck:
    """A field check: one real ``>= 0`` (``what``, e.g. learning rates) per param group."""

    def check(scheduler: Any, name: str, value: Any) -> list[float]:
        n = len(scheduler.optimizer.param_groups)
        if not isinstance(value, list) or len(value) != n:
            found = f"{len(value)} values" if isinstance(value, list) else type(value).__name__
            raise ValueError(f"Invalid {name}: expected a list of {n} {what} (one per group), got {found}")
        return [check_nonneg(f"{name}[{i}]", v) for i, v in enumerate(value)]

    return check


group_lrs = group_values("learning rates")
group_momenta = group_values("momenta")


def int_list(scheduler: Any, name: str, value: Any) -> list[int]:
    """Integers >= 0 (e.g. milestones), sorted."""
    if not isinstance(value, list):
        raise TypeError(f"Invalid {name}: expected a list of integers, got {type(value).__name__}")
    checked = [check_int(f"{name}[{i}]", v, low=0) for i, v in enumerate(value)]
    if checked != sorted(checked):
        raise ValueError(f"Invalid {name}: expected increasing integers, got {checked}")
    return checked


def check_like(name: str, value: Any, current: Any) -> Any:
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
        return type(current)(check_like(f"{name}[{i}]", v, c) for i, (v, c) in enumerate(zip(value, current)))
    if isinstance(current, dict):
        if not isinstance(value, dict) or set(value) != set(current):
            raise ValueError(f"Invalid {name}: expected a dict with keys {sorted(current)}, got {value!r}")
        return {k: check_like(f"{name}[{k!r}]", value[k], current[k]) for k in current}
    if value != current or type(value) is not type(current):
        raise ValueError(f"Invalid {name}: expected {current!r}, got {value!r}")
    return value


class LRScheduler:
    """The base of the schedules (``torch.optim.lr_scheduler.LRScheduler``): remembers each
    group's ``initial_lr`` and sets the groups' lrs at construction and on each ``step()``.

    A subclass computes the lrs in ``_get_lr``. ``_fields`` maps the state fields to their
    checks (merged over the class hierarchy): a constructor checks its arguments with the check
    of the field they are stored in (``_store``), and ``load_state_dict`` applies the same
    checks; a field without one must keep the type and layout of its current value.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer.
    """

    _fields: dict[str, FieldCheck] = {
        "base_lrs": group_lrs,
        "_last_lr": group_lrs,
        "last_epoch": field_check(check_int, low=-1),
        "_is_initial": field_check(check_bool),
    }

    def __init__(self, optimizer: Optimizer) -> None:
        check_optimizer(optimizer)
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

    @classmethod
    def _field_checks(cls) -> dict[str, FieldCheck]:
        checks: dict[str, FieldCheck] = {}
        for klass in reversed(cls.__mro__):
            checks.update(vars(klass).get("_fields", {}))
        return checks

    def _store(self, **arguments: Any) -> None:
        """Check each constructor argument with its field's check and store it."""
        checks = self._field_checks()
        for name, value in arguments.items():
            setattr(self, name, checks[name](self, name, value))

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
        checks = self._field_checks()
        new = {}
        for name, value in state_dict.items():
            check = checks.get(name)
            new[name] = copy.deepcopy(
                check_like(name, value, current[name]) if check is None else check(self, name, value)
            )
        return new

    def _own_state(self) -> dict[str, Any]:
        """The fields this scheduler restores itself: its state dict without the states of
        nested schedulers (``_schedulers``, as in SequentialLR), which restore their own."""
        return {k: v for k, v in self.state_dict().items() if k != "_schedulers"}

    def _commit_state_dict(self, state: dict[str, Any]) -> None:
        vars(self).update(state)


def lr_at(
    make_scheduler: Callable[..., LRScheduler],
    steps: int,
    base_lr: float = 0.1,
    **kwargs: Any,
) -> list[float]:
    """The lr used at each of the first ``steps`` optimizer steps, without an optimizer.

    ``make_scheduler(optimizer, **kwargs)`` builds the schedule on a throwaway one-parameter
    SGD optimizer with ``lr=base_lr``. Not for ReduceLROnPlateau, whose lr depends on the
    metrics fed to it.

    Parameters
    ----------
    make_scheduler : callable
        A scheduler class, or a function of the optimizer (and ``kwargs``) returning a
        scheduler.
    steps : int
        How many steps.
    base_lr : float
        The optimizer's lr (default 0.1).
    **kwargs
        Passed to ``make_scheduler``.

    Returns
    -------
    list of float
        The lr of each step, before that step's ``scheduler.step()``.

    Examples
    --------
    >>> from optimizers import StepLR, lr_at
    >>> lr_at(StepLR, 4, base_lr=1.0, step_size=2, gamma=0.5)
    [1.0, 1.0, 0.5, 0.5]
    >>> len(lr_at(lambda opt: StepLR(opt, step_size=10), 30))
    30
    """
    optimizer = SGD([SimpleNamespace(data=0.0, grad=0.0)], lr=base_lr)
    scheduler = make_scheduler(optimizer, **kwargs)
    lrs = []
    for _ in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
    return lrs
