"""The HIPS port's harness catches what it must: a wrong first or second derivative (against torch
and against differences, on Tensors and on Values), a dropped graph, a wrong reference; and its
marks follow the list of unsupported ops.

The wrong rules are built from correct ones plus ``c · (x - x')``, where ``x'`` is a constant
copy of ``x``: the value is unchanged and the derivative is off by ``c`` (by ``2c`` at second
order for ``c · (x - x')²``), so no engine file is touched.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import test_linalg
import test_numpy
import test_scalar_ops
import test_systematic
from hips_harness import (
    COMPLEX,
    OUT_OF_SCOPE,
    UNSUPPORTED,
    Case,
    GraphDropped,
    check,
    params,
    stopped_on_missing_op,
    unique,
)

from autograd import Tensor, Value, stack

ALL_CASES = [*test_scalar_ops.CASES, *test_numpy.CASES, *test_systematic.CASES, *test_linalg.CASES]


def _constant(x: Any) -> Any:
    """A constant with ``x``'s value (``x`` itself for plain numbers)."""
    if isinstance(x, Value):
        return Value(x.data)
    return x.detach() if isinstance(x, Tensor) else x


def _cube(xp: Any, x: Any) -> Any:
    return x * x * x


def _off_first(xp: Any, x: Any) -> Any:
    """x³ with a derivative off by 0.1."""
    return x * x * x + 0.1 * (x - _constant(x))


def _off_second(xp: Any, x: Any) -> Any:
    """x³ with the right first derivative and a second derivative off by 0.2."""
    return x * x * x + 0.1 * (x - _constant(x)) ** 2


@pytest.mark.parametrize("reference", ["torch", "fd"])
@pytest.mark.parametrize("kind, x", [("tensor", np.array([0.3, -1.2])), ("value", 0.7)])
def test_a_right_rule_passes(reference: str, kind: str, x: Any) -> None:
    check(Case("cube", _off_second, (x,), kind=kind, order=1, reference=reference, torch_fn=_cube))
    check(Case("cube", _cube, (x,), kind=kind, order=3, reference=reference))


@pytest.mark.parametrize("reference", ["torch", "fd"])
@pytest.mark.parametrize("kind, x", [("tensor", np.array([0.3, -1.2])), ("value", 0.7)])
def test_a_wrong_first_derivative_fails_at_level_1(reference: str, kind: str, x: Any) -> None:
    with pytest.raises(AssertionError, match="level 1"):
        check(Case("off", _off_first, (x,), kind=kind, order=1, reference=reference, torch_fn=_cube))


@pytest.mark.parametrize("reference", ["torch", "fd"])
@pytest.mark.parametrize("kind, x", [("tensor", np.array([0.3, -1.2])), ("value", 0.7)])
def test_a_wrong_second_derivative_fails_at_level_2(reference: str, kind: str, x: Any) -> None:
    with pytest.raises(AssertionError, match="level 2"):
        check(Case("off", _off_second, (x,), kind=kind, order=2, reference=reference, torch_fn=_cube))


def test_a_wrong_derivative_of_one_argument_of_a_sequence_fails() -> None:
    def joined(xp: Any, parts: Any) -> Any:
        a, b = parts
        return xp.concatenate([a, b + 0.1 * (b - _constant(b))])

    with pytest.raises(AssertionError, match="level 1"):
        check(
            Case(
                "joined",
                joined,
                ((np.ones(2), np.ones(3)),),
                order=1,
                torch_fn=lambda xp, p: xp.concatenate(p),
            )
        )


def test_a_dropped_graph_is_reported() -> None:
    with pytest.raises(GraphDropped, match="plain ndarray"):
        check(Case("dropped", lambda xp, x: x.data if xp is np else x, (np.ones(3),)))
    check(Case("constant", lambda xp, x: np.ones(3), (np.ones(3),), constant_ok=True))


def test_a_refusal_is_checked_and_so_is_what_it_names() -> None:
    stacked = lambda xp, x: xp.array([x, 2 * x])  # noqa: E731
    check(
        Case(
            "refused",
            stacked,
            (np.ones(3),),
            refused="autograd.stack",
            instead=lambda xp, x: stack([x, 2 * x]),
        )
    )
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"):  # no refusal where one is claimed
        check(Case("accepted", lambda xp, x: 2 * x, (np.ones(3),), refused="autograd.stack", instead=stacked))
    with pytest.raises(AssertionError, match="level 1"):  # the named spelling is checked too
        check(
            Case(
                "wrong",
                stacked,
                (np.ones(3),),
                refused="autograd.stack",
                instead=lambda xp, x: stack([x, 2 * x + 0.1 * (x - _constant(x))]),
                order=1,
            )
        )


def test_a_wrong_reference_is_caught_before_it_judges() -> None:
    with pytest.raises(AssertionError, match="the reference"):
        check(Case("shim", lambda xp, x: xp.sum(x), (np.ones(3),), torch_fn=lambda xp, x: x.prod()))


def test_marks_follow_the_unsupported_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(UNSUPPORTED, "frobnicate", KeyError)
    missing, out_of_scope, plain, complex_ = params(
        [
            Case("a", _cube, (1.0,), ops=("frobnicate",)),
            Case("b", _cube, (1.0,), skip="no"),
            Case("c", _cube, (1.0,), ops=("add",)),
            Case("d", _cube, (np.ones(2) * 1j,)),
        ]
    )
    (mark,) = missing.marks
    assert mark.name == "xfail" and mark.kwargs["strict"] and mark.kwargs["raises"] == (KeyError,)
    assert mark.kwargs["reason"] == "frobnicate not supported yet"
    assert [m.name for m in out_of_scope.marks] == ["skip"] and not plain.marks
    assert complex_.marks[0].kwargs["reason"] == COMPLEX


def test_a_stop_on_the_missing_op_is_reraised_bare_and_marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(UNSUPPORTED, "frobnicate", KeyError)

    def stops(xp: Any, x: Any) -> Any:
        raise KeyError("no frobnicate")

    with pytest.raises(KeyError) as info:
        check(Case("stops", stops, (np.ones(2),), ops=("frobnicate",)))
    assert stopped_on_missing_op(info) and _last_frame(info) == "check"
    with pytest.raises(KeyError) as info:  # the same exception without the mark keeps its traceback
        check(Case("stops", stops, (np.ones(2),)))
    assert not stopped_on_missing_op(info) and _last_frame(info) == "stops"


def _last_frame(info: pytest.ExceptionInfo[BaseException]) -> str:
    tb = info.tb
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name


def test_exact_repeats_are_dropped_and_namesakes_numbered() -> None:
    x = np.arange(3.0)
    cases = unique([Case("a", _cube, (x,)), Case("a", _cube, (x.copy(),)), Case("a", _cube, (x + 1,))])
    assert [c.name for c in cases] == ["a", "a#2"]


def test_every_unsupported_op_is_needed_by_a_case() -> None:
    needed = {op for case in ALL_CASES for op in case.ops}
    assert not set(UNSUPPORTED) - needed, "stale entries: remove them from UNSUPPORTED"


def test_case_names_are_unique_per_module() -> None:
    for module in (test_scalar_ops, test_numpy, test_systematic, test_linalg):
        names = [p.id for p in params(module.CASES)]
        assert len(names) == len(set(names)), module.__name__


def test_every_skip_gives_an_out_of_scope_reason() -> None:
    reasons = {case.skip for case in ALL_CASES if case.skip}
    assert all(any(r.endswith(why) for why in OUT_OF_SCOPE) for r in reasons), reasons
