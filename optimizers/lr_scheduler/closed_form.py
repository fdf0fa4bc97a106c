"""Schedules with a closed form ``lr_t = base_lr * f(t)``, computed as torch computes
them (recursively where torch is recursive, so the floats match)."""

from __future__ import annotations

import copy
import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .._validate import check_int, check_int_positive, check_nonneg, check_range
from ..base import Optimizer
from .base import LRScheduler, field_check, int_list


class LambdaLR(LRScheduler):
    r""":math:`\text{lr}_t = \text{base\_lr} \cdot \lambda(t)` (``torch.optim.lr_scheduler.LambdaLR``).

    ``t`` is the number of ``step()`` calls so far. The lambdas are not part of
    ``state_dict()``; recreate the scheduler with the same lambdas before ``load_state_dict``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    lr_lambda : callable or list of callable
        :math:`\lambda(t)`: one function of the step, or one per param group.

    Raises
    ------
    ValueError
        If a list of lambdas does not have one per param group.
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


class MultiplicativeLR(LambdaLR):
    r""":math:`\text{lr}_t = \text{lr}_{t-1} \cdot \lambda(t)` for :math:`t \ge 1`
    (``torch.optim.lr_scheduler.MultiplicativeLR``).

    As for :class:`LambdaLR`, the lambdas are not part of ``state_dict()``.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    lr_lambda : callable or list of callable
        :math:`\lambda(t)`: one function of the step, or one per param group.

    Raises
    ------
    ValueError
        If a list of lambdas does not have one per param group.
    """

    def _get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current_lrs()
        return [
            lr * lmbda(self.last_epoch)
            for lmbda, lr in zip(self.lr_lambdas, self._current_lrs(), strict=True)
        ]


class StepLR(LRScheduler):
    r""":math:`\text{lr}_t = \text{base\_lr} \cdot \gamma^{\lfloor t / \text{step\_size} \rfloor}`
    (``torch.optim.lr_scheduler.StepLR``), computed as ``lr * gamma`` every ``step_size`` steps.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    step_size : int
        The period of the decay, > 0.
    gamma : float
        The factor :math:`\gamma \ge 0` (default 0.1).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {"step_size": field_check(check_int_positive), "gamma": field_check(check_nonneg)}

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self._store(step_size=step_size, gamma=gamma)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        return [b * self.gamma ** (self.last_epoch // self.step_size) for b in self.base_lrs]


class MultiStepLR(LRScheduler):
    r""":math:`\text{lr}_t = \text{base\_lr} \cdot \gamma^{m(t)}`, :math:`m(t)` the number of
    milestones :math:`\le t` (``torch.optim.lr_scheduler.MultiStepLR``).

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    milestones : iterable of int
        The steps at which the lr is multiplied by ``gamma`` (a repeated one multiplies twice).
    gamma : float
        The factor :math:`\gamma \ge 0` (default 0.1).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {"milestones": int_list, "gamma": field_check(check_nonneg)}

    def __init__(self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1) -> None:
        self._store(milestones=sorted(milestones), gamma=gamma)
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
    r""":math:`\text{lr}_t = \text{base\_lr} \cdot \gamma^t` (``torch.optim.lr_scheduler.ExponentialLR``),
    computed as ``lr * gamma`` each step.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    gamma : float
        The factor :math:`\gamma \ge 0`.

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {"gamma": field_check(check_nonneg)}

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self._store(gamma=gamma)
        super().__init__(optimizer)

    def _get_lr(self) -> list[float]:
        if self._is_initial:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]

    def _closed_form_lr(self) -> list[float]:
        return [b * self.gamma**self.last_epoch for b in self.base_lrs]


class LinearLR(LRScheduler):
    r"""A linear ramp of the factor from ``start_factor`` to ``end_factor`` over ``total_iters``
    steps (``torch.optim.lr_scheduler.LinearLR``).

    .. math::

        \text{lr}_t = \text{base\_lr} \cdot \Bigl(s + (e - s) \frac{\min(t, T)}{T}\Bigr)

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    start_factor : float
        :math:`s \in (0, 1]` (default 1/3).
    end_factor : float
        :math:`e \in [0, 1]` (default 1).
    total_iters : int
        :math:`T > 0` (default 5).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {
        "start_factor": field_check(check_range, low=0, high=1, low_open=True),
        "end_factor": field_check(check_range, low=0, high=1),
        "total_iters": field_check(check_int_positive),
    }

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
    ) -> None:
        self._store(start_factor=start_factor, end_factor=end_factor, total_iters=total_iters)
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


class ConstantLR(LRScheduler):
    r""":math:`\text{lr}_t = \text{base\_lr} \cdot \text{factor}` for :math:`t < \text{total\_iters}`,
    then ``base_lr`` (``torch.optim.lr_scheduler.ConstantLR``).

    Computed as ``lr * factor`` at step 0 and ``lr / factor`` at ``total_iters``, as torch.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    factor : float
        In (0, 1] (default 1/3).
    total_iters : int
        The number of steps at the reduced lr, >= 0 (default 5).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {
        "factor": field_check(check_range, low=0, high=1, low_open=True),  # the lr is divided by it
        "total_iters": field_check(check_int, low=0),
    }

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5) -> None:
        self._store(factor=factor, total_iters=total_iters)
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
    r""":math:`\text{lr}_t = \text{base\_lr} \cdot (1 - \min(t, T) / T)^{p}`
    (``torch.optim.lr_scheduler.PolynomialLR``).

    Computed with torch's recursive form,
    :math:`\text{lr}_t = \text{lr}_{t-1} \cdot ((T - t) / (T - t + 1))^p`, so the floats match.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    total_iters : int
        :math:`T > 0` (default 5).
    power : float
        :math:`p \ge 0` (default 1).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {"total_iters": field_check(check_int_positive), "power": field_check(check_nonneg)}

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0) -> None:
        self._store(total_iters=total_iters, power=power)
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


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing (``torch.optim.lr_scheduler.CosineAnnealingLR``).

    .. math::

        \text{lr}_t = \eta_{\min} + (\text{base\_lr} - \eta_{\min})
        \frac{1 + \cos(\pi t / T_{\max})}{2}

    Computed with torch's recursive form, and continuing past ``T_max`` as a cosine.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    T_max : int
        The half period, > 0.
    eta_min : float
        The lowest lr :math:`\eta_{\min} \ge 0` (default 0).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {"T_max": field_check(check_int_positive), "eta_min": field_check(check_nonneg)}

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self._store(T_max=T_max, eta_min=eta_min)
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
    r"""SGDR, cosine annealing with warm restarts
    (``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts``).

    .. math::

        \text{lr} = \eta_{\min} + (\text{base\_lr} - \eta_{\min})
        \frac{1 + \cos(\pi T_{\text{cur}} / T_i)}{2}

    :math:`T_{\text{cur}}` restarts at 0 after :math:`T_i` steps, and then
    :math:`T_i \leftarrow T_i \cdot T_{\text{mult}}`.

    Parameters
    ----------
    optimizer : Optimizer
        The optimizer whose param groups' ``lr`` the schedule sets.
    T_0 : int
        The first period :math:`T_i`, > 0.
    T_mult : int
        The growth of the period after each restart, > 0 (default 1).
    eta_min : float
        The lowest lr :math:`\eta_{\min} \ge 0` (default 0).

    Raises
    ------
    TypeError
        If ``optimizer`` is not an Optimizer, or an argument has the wrong type (the message
        names it).
    ValueError
        If an argument is out of its range (the message names it, the range and the value).
    """

    _fields = {
        **dict.fromkeys(("T_0", "T_i", "T_mult"), field_check(check_int_positive)),
        "T_cur": field_check(check_int, low=-1),
        "eta_min": field_check(check_nonneg),
    }

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> None:
        self._store(T_0=T_0, T_mult=T_mult, eta_min=eta_min)
        self.T_i = T_0
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
