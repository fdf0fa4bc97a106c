"""Updates into reused arrays (``optimizers._scratch``) give bitwise the numbers of the
allocating expressions they replace (``allocating_rules.py``).

Every optimizer runs a few steps side by side with its allocating twin on float32 and float64
parameters: 0-d, empty, small, one large enough for the reused arrays, a Value, a gradient of
another dtype, and non-finite gradients; the parameters and every state entry are compared by
their bytes after each step. A 1-ulp change of one number fails the comparison.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from optimizer_problems import ONLY_2D

import optimizers
from autograd import Value
from optimizers._scratch import MIN_SIZE, Scratch
from tests.optimizers.allocating_rules import RULES, allocating

STEPS = 7  # RAdam's rectified branch starts at step 6 with the default betas


class Param:
    """A duck-typed parameter: ``.data`` an ndarray, ``.grad`` an ndarray of any float dtype."""

    def __init__(self, data: np.ndarray) -> None:
        self.data, self.grad = data, None


OPTIONS: dict[str, list[dict[str, Any]]] = {
    "SGD": [
        {"lr": 0.1},
        {"lr": 0.1, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.1, "maximize": True},
        {"lr": np.float64(0.1), "momentum": 0.9, "nesterov": True},
    ],
    "Adam": [{"lr": 0.01}, {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1, "maximize": True}],
    "AdamW": [{"lr": np.float64(0.01), "betas": (np.float64(0.8), 0.99)}],
    "Adagrad": [{"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "maximize": True}],
    "Adamax": [{"lr": 0.01, "weight_decay": 0.1}],
    "RMSprop": [{"lr": 0.01}, {"lr": 0.01, "centered": True, "momentum": 0.9, "eps": np.float64(1e-6)}],
    "NAdam": [{"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}],
    "RAdam": [{"lr": 0.01, "weight_decay": 0.1}],
    "Adadelta": [{"lr": 1.0, "weight_decay": 0.1, "maximize": True}],
    "Lion": [{"lr": 0.01, "weight_decay": 0.1}],
    "ASGD": [{"lr": 0.01, "t0": 2, "weight_decay": 0.1}],
    "Adafactor": [{"lr": 0.01, "weight_decay": 0.1, "maximize": True}],
    "Rprop": [{"lr": 0.01, "maximize": True}],
}
CASES = [(name, i) for name, options in OPTIONS.items() for i in range(len(options))]


def _params(dtype: type, empty: bool = True) -> list[Any]:
    rng = np.random.default_rng(0)
    shapes = [(), *([(0,), (0, 3)] if empty else []), (5,), (3, 4), (MIN_SIZE // 32 + 1, 32)]
    params: list[Any] = [Param(rng.standard_normal(shape).astype(dtype)) for shape in shapes]
    params.append(Param(rng.standard_normal((MIN_SIZE + 7,)).astype(dtype)))  # non-finite gradients
    params.append(Param(rng.standard_normal((2, MIN_SIZE)).astype(dtype)))  # a gradient of the other dtype
    params.append(Value(0.75))
    return params


def _gradients(params: list[Any], step: int) -> list[Any]:
    rng = np.random.default_rng(step + 1)
    grads: list[Any] = []
    for i, p in enumerate(params):
        if isinstance(p, Value):
            grads.append(float(rng.standard_normal()))
            continue
        g = rng.standard_normal(p.data.shape).astype(p.data.dtype)
        if i == len(params) - 3 and step >= 3:
            g[:3] = [np.nan, np.inf, -np.inf]
        if i == len(params) - 2:
            g = g.astype(np.float64 if p.data.dtype == np.float32 else np.float32)
        grads.append(g)
    return grads


def _numbers(opt: optimizers.Optimizer, params: list[Any]) -> list[bytes]:
    """The bytes of every parameter and every state entry, in order."""
    out = [np.asarray(p.data).tobytes() for p in params]
    for p in params:
        for key, value in sorted(opt.state[p].items()):
            out.append(key.encode() + np.asarray(value).tobytes())
    return out


def _run_side_by_side(ours: type, name: str, options: dict, dtype: type) -> None:
    empty = name != "Adafactor"  # an empty parameter: ZeroDivisionError, as in torch
    mine, theirs = _params(dtype, empty), _params(dtype, empty)
    opt, ref = ours(mine, **options), allocating(name)(theirs, **options)
    for step in range(STEPS):
        for params in (mine, theirs):
            for p, g in zip(params, _gradients(params, step)):
                p.grad = g
        opt.step()
        ref.step()
        got, expected = _numbers(opt, mine), _numbers(ref, theirs)
        assert len(got) == len(expected)
        for i, (a, b) in enumerate(zip(got, expected)):
            assert a == b, f"{name} {options} {np.dtype(dtype)}: entry {i} differs after step {step + 1}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("name", "option"), CASES)
def test_bitwise_the_allocating_update(name: str, option: int, dtype: type) -> None:
    _run_side_by_side(getattr(optimizers, name), name, OPTIONS[name][option], dtype)


def test_every_optimizer_is_compared() -> None:
    in_package = {n for n in optimizers.__all__ if isinstance(getattr(optimizers, n), type)}
    optimizer_classes = {n for n in in_package if issubclass(getattr(optimizers, n), optimizers.Optimizer)}
    assert set(OPTIONS) == set(RULES) == optimizer_classes - {"Optimizer", "LBFGS"} - ONLY_2D


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("where", ["small", "large"])
def test_the_comparison_catches_one_ulp(dtype: type, where: str) -> None:
    """An update off by one ulp in one entry (of a small or a large parameter) is caught."""
    target = (5,) if where == "small" else (MIN_SIZE // 32 + 1, 32)

    class OneUlpOff(optimizers.SGD):
        def _update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: Any) -> None:
            super()._update(param, grad, state, group)
            if param.shape == target:
                param.flat[3] = np.nextafter(param.flat[3], np.inf)

    with pytest.raises(AssertionError, match="differs after step 1"):
        _run_side_by_side(OneUlpOff, "SGD", {"lr": 0.1, "momentum": 0.9}, dtype)


def test_large_results_are_written_into_reused_arrays() -> None:
    """Above ``MIN_SIZE`` elements a step allocates no temporaries: the same arrays come back."""
    tmp = Scratch().apply
    x = np.ones(MIN_SIZE, np.float32)
    first = tmp("a", np.multiply, x, 0.5)
    assert first.dtype == np.float32 and tmp("a", np.multiply, x, 0.25) is first
    assert tmp("a", np.multiply, x, np.float64(0.5)).dtype == np.float64  # a strong scalar: float64
    assert tmp("a", np.multiply, 2.0, x) is first  # the array may come second
    small = np.ones(MIN_SIZE - 1, np.float32)
    assert tmp("a", np.multiply, small, 0.5) is not tmp("a", np.multiply, small, 0.5)
    bigger = tmp("a", np.multiply, np.ones(2 * MIN_SIZE, np.float32), 1.0)
    assert bigger.shape == (2 * MIN_SIZE,) and tmp("a", np.add, x, 1.0).base is bigger.base


def test_scratch_is_not_state() -> None:
    """The reused arrays are neither saved nor loaded: a state dict is the same as without them."""
    p = Param(np.ones(MIN_SIZE, np.float32))
    opt = optimizers.Adam([p], lr=0.1)
    p.grad = np.ones(MIN_SIZE, np.float32)
    opt.step()
    saved = opt.state_dict()
    assert set(saved["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    fresh = optimizers.Adam([p], lr=0.1)
    fresh.load_state_dict(saved)
    opt.step()
    fresh.step()
    assert _numbers(opt, [p])[1:] == _numbers(fresh, [p])[1:]
