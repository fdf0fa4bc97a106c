"""HIPS autograd's ``tests/test_scalar_ops.py``, ported: NumPy's functions on scalar ``Value``s.

Each HIPS check, ``check_grads(lambda x: 3.0 * np.sin(x))(x0)``, is one case here: the same
function on a ``Value`` (``np.sin(v)`` reaches the engine through NumPy's object loops, which
call the Value's method of that name), compared with torch float64 at first and second order.
Inputs are drawn as HIPS draws them (``np.random.seed(42)`` before each test), in their domains.
Where HIPS's ``check_grads(fun)(x, y)`` checks only ``x`` (its default argnum), the ``_arg1``
tests take ``y``, as their names say. The case list comes from HIPS autograd (MIT licence,
https://github.com/HIPS/autograd); the code is this project's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hips_harness import Case, check, params, stopped_on_missing_op


def _seeded() -> np.random.RandomState:
    return np.random.RandomState(42)


def _times3(name: str) -> Any:
    def fn(xp: Any, x: Any) -> Any:
        return 3.0 * getattr(xp, name)(x)

    return fn


def _unary(name: str, x: float, order: int = 2, tag: str = "", constant_ok: bool = False) -> Case:
    return Case(
        f"{name}{tag}",
        _times3(name),
        (x,),
        ops=(f"Value.{name}",),
        kind="value",
        order=order,
        constant_ok=constant_ok,
    )


def _binary(name: str, argnum: int) -> Case:
    rs = _seeded()
    args = (rs.rand(), rs.rand())
    fn = lambda xp, x, y: getattr(xp, name)(x, y)  # noqa: E731
    ops = ("Value %",) if name == "mod" else ()
    return Case(f"{name}_arg{argnum}", fn, args, argnums=(argnum,), ops=ops, kind="value")


def _cases() -> list[Case]:
    cases = []
    for name in ("abs", "absolute"):
        cases += [_unary(name, 1.1, tag="(1.1)"), _unary(name, -1.1, tag="(-1.1)")]
        cases.append(_unary(name, 0.0, order=1, tag="(0)"))
    cases += [
        _unary("sign", 1.1, tag="(1.1)", constant_ok=True),
        _unary("sign", -1.1, tag="(-1.1)", constant_ok=True),
    ]
    for name in ("sin", "exp", "cos", "tan", "cosh", "sinh", "tanh", "arcsinh"):
        cases.append(_unary(name, _seeded().randn()))
    for name in ("log", "log2", "log10", "log1p", "expm1", "exp2"):
        cases.append(_unary(name, abs(_seeded().randn())))
    cases.append(Case("neg", lambda xp, x: 3.0 * -x, (_seeded().randn(),), kind="value"))
    cases += [_unary("arccos", 0.1), _unary("arcsin", 0.1), _unary("arctan", 0.2), _unary("arctanh", 0.2)]
    cases.append(_unary("arccosh", _seeded().randn() ** 2 + 1.2))
    cases.append(_unary("sqrt", 10.0 * _seeded().rand()))
    power = lambda xp, x, y: xp.power(x, y)  # noqa: E731
    rs = _seeded()
    y, x = rs.randn() ** 2 + 1.0, rs.rand() ** 2 + 1.0
    cases.append(Case("power_arg0", power, (x, y), kind="value"))
    cases.append(Case("power_arg0(0**0)", power, (0.0, 0.0), kind="value"))
    rs = _seeded()
    x = rs.randn() ** 2
    cases.append(Case("power_arg1", power, (x, rs.rand() ** 2), argnums=(1,), kind="value"))
    # torch's second derivative of 0.0 ** y is nan (0 · log 0 behind its mask): differences instead
    zero_base = (0.0, _seeded().rand() ** 2)
    cases.append(Case("power_arg1_zero", power, zero_base, argnums=(1,), kind="value", reference="fd"))
    for name in ("mod", "divide", "multiply", "true_divide"):
        cases += [_binary(name, 0), _binary(name, 1)]
    for name in ("reciprocal", "negative"):
        cases.append(
            Case(name, lambda xp, x, name=name: getattr(xp, name)(x), (_seeded().rand(),), kind="value")
        )
    for name in ("rad2deg", "deg2rad", "radians", "degrees", "sinc"):
        cases.append(_unary(name, 10.0 * _seeded().rand()))
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", params(CASES))
def test_scalar_op(case: Case) -> None:
    __tracebackhide__ = stopped_on_missing_op
    check(case)
