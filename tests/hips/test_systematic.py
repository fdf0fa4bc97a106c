"""HIPS autograd's ``tests/test_systematic.py``, ported: every combination of shapes, axes and
keywords HIPS tries for each NumPy function, on Tensors.

HIPS's helpers (``stat_check``, ``unary_ufunc_check``, ``binary_ufunc_check[_no_same_args]``,
``combo_check``) are re-expressed below as generators of cases: one case per combination of
arguments and keywords, the same shapes, domains (``lims``) and orders (2, or 3 where HIPS asks
for it), with inputs drawn as HIPS draws them (``np.random.seed(42)`` before each test). Each
case runs the NumPy way on float64 Tensors (a Python float becomes a 0-d Tensor) and is compared
with torch float64 (see ``hips_harness``). The complex-valued combinations are listed and
skipped; those repeating a real combination already listed are left out. The case list comes
from HIPS autograd (MIT licence, https://github.com/HIPS/autograd); the code is this project's.
"""

from __future__ import annotations

import itertools
import operator
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from hips_harness import Case, call, check, describe, params, stopped_on_missing_op


def _seeded() -> np.random.RandomState:
    return np.random.RandomState(42)


def combos(
    test: str,
    fn: Any,
    argnums: Sequence[int],
    arg_lists: Sequence[Sequence[Any]],
    kw_lists: dict[str, Sequence[Any]] | None = None,
    *,
    ops: tuple[str, ...] | None = None,
    order: int = 2,
    keep: Any = None,
    **case: Any,
) -> list[Case]:
    """HIPS's ``combo_check(fn, argnums)(*arg_lists, **kw_lists)``: a case per combination
    (``keep`` filters the argument combinations)."""
    if isinstance(fn, str):
        ops = (fn,) if ops is None else ops
        fn = call(fn)
    kw_lists = kw_lists or {}
    cases = []
    for args in itertools.product(*arg_lists):
        if keep is not None and not keep(args):
            continue
        for values in itertools.product(*kw_lists.values()):
            kwargs = dict(zip(kw_lists, values))
            tag = ",".join([describe(a) for a in args] + [f"{k}={describe(v)}" for k, v in kwargs.items()])
            cases.append(
                Case(
                    f"{test}[{tag}]", fn, tuple(args), tuple(argnums), kwargs, ops or (), order=order, **case
                )
            )
    return cases


def _complex(x: Any) -> bool:
    return isinstance(x, complex) or (isinstance(x, np.ndarray) and x.dtype.kind == "c")


def _any_complex(args: Sequence[Any]) -> bool:
    return any(map(_complex, args))


# ----------------------------------------------------------------------------- HIPS's helpers
def stat_check(name: str) -> list[Case]:
    rs = _seeded()
    x, a, b, c, d = 3.5, rs.randn(), rs.randn(3), rs.randn(2, 3), rs.randn(1, 3)
    keepdims = {"keepdims": [True, False]}
    cases = combos(f"test_{name}", name, (0,), [[x, a]])
    cases += combos(f"test_{name}", name, (0,), [[b, c, d]], {"axis": [None, 0], **keepdims})
    cases += combos(f"test_{name}", name, (0,), [[c, d]], {"axis": [None, 0, 1], **keepdims})
    z, e = rs.randn() + 0.1j * rs.randn(), rs.randn(2, 3) + 0.1j * rs.randn(2, 3)
    cases += combos(f"test_{name}", name, (0,), [[z]])
    cases += combos(f"test_{name}", name, (0,), [[e]], {"axis": [None, 0], **keepdims})
    return cases


def _lims(lims: Sequence[float], x: Any) -> Any:
    return x * (lims[1] - lims[0]) + lims[0]


def unary_check(
    test: str, fn: Any, lims: Sequence[float] = (-2, 2), complex_too: bool = True, **case: Any
) -> list[Case]:
    rs = _seeded()
    inputs = [
        _lims(lims, 0.4),
        _lims(lims, rs.rand(2)),
        _lims(lims, rs.rand(3, 2)),
        _lims(lims, rs.rand(1, 2)),
    ]
    cases = combos(test, fn, (0,), [inputs], **case)
    if complex_too:
        comp = _lims(lims, 0.4) + 0.1j * _lims(lims, 0.3)
        matc = _lims(lims, rs.rand(3, 2)) + 0.1j * rs.rand(3, 2)
        cases += combos(test, fn, (0,), [[comp, matc]], **case)
    return cases


def binary_check(
    test: str,
    fn: Any,
    lims_a: Sequence[float] = (-2, 2),
    lims_b: Sequence[float] = (-2, 2),
    complex_too: bool = True,
    same_args: bool = True,
    **case: Any,
) -> list[Case]:
    """``binary_ufunc_check`` (``same_args``: both operands from the same draws) or
    ``binary_ufunc_check_no_same_args``."""
    rs = _seeded()
    if same_args:
        raw = [0.6, rs.rand(2), rs.rand(3, 2), rs.rand(1, 2)]
        raw_a, raw_b = raw, raw
    else:
        scalars = (0.6, 0.7)
        vectors = (rs.rand(2), rs.rand(2))
        mats1 = (rs.rand(3, 2), rs.rand(3, 2))
        mats2 = (rs.rand(1, 2), rs.rand(1, 2))
        raw_a = [scalars[0], vectors[0], mats1[0], mats2[0]]
        raw_b = [scalars[1], vectors[1], mats1[1], mats2[1]]
    a_list, b_list = [_lims(lims_a, x) for x in raw_a], [_lims(lims_b, x) for x in raw_b]
    cases = combos(test, fn, (0, 1), [a_list, b_list], **case)
    if complex_too:
        if same_args:
            comp_a = comp_b = 0.6 + 0.3j
            matc_a = matc_b = rs.rand(3, 2) + 0.1j * rs.rand(3, 2)
        else:
            comp_a, comp_b = 0.6 + 0.3j, 0.1 + 0.2j
            matc_a, matc_b = rs.rand(3, 2) + 0.1j * rs.rand(3, 2), rs.rand(3, 2) + 0.1j * rs.rand(3, 2)
        a_all = [a_list[0], _lims(lims_a, comp_a), a_list[1], _lims(lims_a, matc_a), a_list[3]]
        b_all = [b_list[0], _lims(lims_b, comp_b), b_list[1], _lims(lims_b, matc_b), b_list[3]]
        cases += combos(test, fn, (0, 1), [a_all, b_all], keep=_any_complex, **case)
    return cases


# ----------------------------------------------------------------------------- the tests
def _statistics() -> list[Case]:
    cases = [c for name in ("max", "mean", "min", "sum", "prod", "var", "std") for c in stat_check(name)]
    for case in cases:
        (x,), axis = case.args, case.kwargs.get("axis")
        one_element = np.size(x) == 1 or (axis is not None and np.shape(x)[axis] == 1)
        if case.name.startswith("test_std[") and one_element:
            # std over one element is 0 for every x; torch's first derivative is 0 there, its second
            # nan (0/0 past the mask of its first-order rule): differences instead
            case.reference = "fd"
    return cases


def _over_50(name: str) -> Any:
    def fn(xp: Any, x: Any) -> Any:
        return getattr(xp, name)(x) / 50.0

    return fn


def _unary() -> list[Case]:
    plain = {"complex_too": False}
    cases = unary_check("test_sin", "sin")
    cases += unary_check("test_abs", "abs", (0.1, 4.0))
    cases += unary_check("test_absolute", "absolute", (0.1, 4.0))
    cases += unary_check("test_arccosh", "arccosh", (1.1, 4.0))
    cases += unary_check("test_arcsinh", "arcsinh", (-0.9, 0.9))
    cases += unary_check("test_arctanh", "arctanh", (-0.9, 0.9))
    cases += unary_check("test_ceil", "ceil", (-1.5, 1.5), constant_ok=True, **plain)
    cases += unary_check("test_cos", "cos")
    cases += unary_check("test_cosh", "cosh")
    cases += unary_check("test_deg2rad", "deg2rad", **plain)
    cases += unary_check("test_degrees", _over_50("degrees"), ops=("degrees",), **plain)
    cases += unary_check("test_exp", "exp")
    cases += unary_check("test_exp2", "exp2")
    cases += unary_check("test_expm1", "expm1")
    cases += unary_check("test_fabs", "fabs", **plain)
    cases += unary_check("test_floor", "floor", (-1.5, 1.5), constant_ok=True, **plain)
    for name in ("log", "log10", "log1p", "log2"):
        cases += unary_check(f"test_{name}", name, (0.2, 2.0))
    cases += unary_check("test_rad2deg", _over_50("rad2deg"), ops=("rad2deg",), **plain)
    cases += unary_check("test_radians", "radians", **plain)
    cases += unary_check("test_sign", "sign", constant_ok=True, **plain)
    cases += unary_check("test_sinh", "sinh")
    cases += unary_check("test_sqrt", "sqrt", (1.0, 3.0))
    cases += unary_check("test_square", "square", **plain)
    cases += unary_check("test_tan", "tan", (-1.1, 1.1))
    cases += unary_check("test_tanh", "tanh")
    # the complex-number API on real numbers (complex inputs stay out of scope): imag and angle are
    # constants, plain results as numpy gives them
    for name in ("real", "real_if_close", "conj", "conjugate"):
        cases += unary_check(f"test_{name}", name)
    for name in ("imag", "angle"):
        cases += unary_check(f"test_{name}", name, constant_ok=True)
    return cases


def _binary() -> list[Case]:
    plain = {"complex_too": False}
    no_same = {"complex_too": False, "same_args": False}
    cases = binary_check("test_add", "add")
    cases += binary_check("test_logaddexp", "logaddexp", **plain)
    cases += binary_check("test_logaddexp2", "logaddexp2", **plain)
    cases += binary_check("test_remainder", "remainder", (-0.9, 0.9), (0.7, 1.9), **no_same)
    cases += binary_check("test_true_divide", "true_divide", lims_b=(0.8, 1.2), **plain)
    cases += binary_check("test_mod", "mod", lims_b=(0.8, 2.1), ops=("remainder",), **no_same)
    cases += binary_check("test_true_divide_neg", "true_divide", lims_b=(-0.3, -2.0), **plain)
    cases += binary_check("test_mod_neg", "mod", lims_b=(-0.3, -2.0), ops=("remainder",), **no_same)
    cases += binary_check("test_op_mul", lambda xp, a, b: operator.mul(a, b))
    cases += binary_check("test_op_add", lambda xp, a, b: operator.add(a, b))
    cases += binary_check("test_op_sub", lambda xp, a, b: operator.sub(a, b))
    op_mod = {"ops": ("operator %",), **no_same}
    cases += binary_check("test_op_mod", lambda xp, a, b: operator.mod(a, b), lims_b=(0.3, 2.0), **op_mod)
    cases += binary_check(
        "test_op_mod_neg", lambda xp, a, b: operator.mod(a, b), lims_b=(-0.3, -2.0), **op_mod
    )
    return cases


def _shapes_and_products() -> list[Case]:
    rs = _seeded()
    R = rs.randn  # noqa: N806 (HIPS's names)

    def C(*shape: int) -> Any:  # noqa: N802
        return rs.randn(*shape) + 1j * rs.randn(*shape)

    cases: list[Case] = []

    def add(*new: list[Case]) -> None:
        for group in new:
            cases.extend(group)

    def fresh() -> None:  # each HIPS test starts from seed 42
        rs.seed(42)

    fresh()
    axes = [None, [0, 1, 2], [0, 2, 1], [2, 0, 1], [2, 1, 0], [1, 0, 2], [1, 2, 0]]
    add(combos("test_transpose", "transpose", (0,), [[R(2, 3, 4)]], {"axes": axes}, ops=()))
    fresh()
    add(
        combos(
            "test_moveaxis", "moveaxis", (0,), [[R(2, 3, 4)]], {"source": [0, 1, 2], "destination": [0, 1, 2]}
        )
    )
    fresh()
    add(
        combos(
            "test_repeat",
            "repeat",
            (0,),
            [[R(2, 3, 4), R(3, 1)]],
            {"repeats": [0, 1, 2], "axis": [None, 0, 1]},
        )
    )
    fresh()
    add(combos("test_diff", "diff", (0,), [[R(5, 5), R(5, 5, 5)]], {"n": [1, 2], "axis": [0, 1]}))
    add(combos("test_diff", "diff", (0,), [[R(1), R(1, 1)]], {"axis": [0]}))
    add(combos("test_diff", "diff", (0,), [[R(1, 1), R(3, 1)]], {"axis": [1]}))
    fresh()
    add(combos("test_gradient", "gradient", (0,), [[R(5, 5), R(5, 5, 5)]], {"axis": [None, 0, 1, -1]}))
    add(combos("test_gradient", "gradient", (0,), [[R(5, 5, 5)]], {"axis": [(0, 1), (0, -1)]}))
    fresh()
    add(combos("test_tile", "tile", (0,), [[R(2, 1, 3, 1)]], {"reps": [(1, 4, 1, 2)]}))
    add(combos("test_tile", "tile", (0,), [[R(1, 2)]], {"reps": [(1, 2), (2, 3), (3, 2, 1)]}))
    add(combos("test_tile", "tile", (0,), [[R(1)]], {"reps": [(2,), 2]}))
    fresh()
    kron_a = [R(5, 5), R(4, 4), R(5), R(5, 1), R(1, 5), R(), C(5, 5)]
    kron_b = [R(3, 3), R(2, 2), R(3), R(1, 3), R(3, 1), R(), C(3, 3)]
    add(combos("test_kron", "kron", (0, 1), [kron_a, kron_b]))
    fresh()
    add(combos("test_inner", "inner", (0, 1), [[1.5, R(3), R(2, 3)], [0.3, R(3), R(4, 3)]]))
    fresh()
    dot_a = [1.5, R(3), R(2, 3), R(2, 2, 3), C(3), C(2, 3)]
    dot_b = [0.3, R(3), R(3, 4), R(2, 3, 4), C(3)]
    for case in combos("test_dot", "dot", (0, 1), [dot_a, dot_b], order=3):
        if min(map(np.ndim, case.args)) > 0 and max(map(np.ndim, case.args)) > 2:
            case.ops += ("np.dot of >2-d",)
        cases.append(case)
    fresh()
    add(combos("test_outer", "outer", (0, 1), [[R(3), C(3)], [R(3), C(3)]], order=3))
    fresh()
    mm_a = [R(3), R(2, 3), R(2, 2, 3), C(3), C(2, 3)]
    mm_b = [R(3), R(3, 4), R(2, 3, 4), C(3), C(3, 4)]
    add(combos("test_matmul", "matmul", (0, 1), [mm_a, mm_b], ops=()))
    fresh()
    add(combos("test_matmul_broadcast", "matmul", (0, 1), [[R(1, 2, 2)], [R(3, 2, 1)]], ops=()))
    td = {"order": 3}
    fresh()
    t1 = ([R(1, 3), R(2, 3, 2), C(1, 3)], [R(3), R(3, 1), R(3, 4, 2), C(3)])
    add(combos("test_tensordot_1", "tensordot", (0, 1), t1, {"axes": [[(1,), (0,)]]}, **td))
    fresh()
    t2 = ([R(3), R(3, 1), R(3, 4, 2)], [R(1, 3), R(2, 3, 2)])
    add(combos("test_tensordot_2", "tensordot", (0, 1), t2, {"axes": [[(0,), (1,)]]}, **td))
    fresh()
    t3 = ([R(2, 3), R(2, 3, 4)], [R(1, 2, 3), R(2, 2, 3, 4)])
    add(
        combos(
            "test_tensordot_3", "tensordot", (0, 1), t3, {"axes": [[(0, 1), (1, 2)], [(1, 0), (2, 1)]]}, **td
        )
    )
    fresh()
    t4 = ([R(2, 2), R(4, 2, 2)], [R(2, 2), R(2, 2, 4)])
    add(combos("test_tensordot_4", "tensordot", (0, 1), t4, {"axes": [1, 2]}, **td))
    fresh()
    add(combos("test_tensordot_5", "tensordot", (0, 1), [[R(4)], [R()]], {"axes": [0]}, **td))
    fresh()
    add(
        combos("test_tensordot_6", "tensordot", (0, 1), [[R(2, 6)], [R(6, 3)]], {"axes": [[[-1], [0]]]}, **td)
    )
    fresh()
    add(combos("test_tensordot_7", "tensordot", (0, 1), [[R(2, 6)], [R(6, 3)]], {"axes": [[-1, 0]]}, **td))
    fresh()
    add(combos("test_tensordot_8", "tensordot", (0, 1), [[R(2)], [R(2, 2)]], {"axes": [[0, 1]]}, **td))
    for name, native in (("maximum", True), ("fmax", False), ("minimum", True), ("fmin", False)):
        fresh()
        shapes = [[R(1), R(1, 4), R(3, 4)], [R(1), R(1, 4), R(3, 4)]]
        add(combos(f"test_{name}", name, (0, 1), shapes, ops=() if native else (name,)))
    fresh()
    add(combos("test_sort", "sort", (0,), [[R(1), R(7)]]))
    fresh()
    # (torch has no partition: differences, of a step that keeps the inputs' order: the closest two
    # of R(7) are 1.6e-5 apart; partition is linear between, so a small step is exact but for rounding)
    fd = {"reference": "fd", "step": 1e-7}
    add(combos("test_partition", "partition", (0,), [[R(7), R(14)]], {"kth": [0, 3, 6]}, **fd))
    for name, extra in (("atleast_1d", []), ("atleast_2d", []), ("atleast_3d", [(2, 4, 3, 5)])):
        fresh()
        inputs = [1.2, R(1), R(7), R(1, 4), R(2, 4), R(2, 4, 5)] + [R(*s) for s in extra]
        add(combos(f"test_{name}", name, (0,), [inputs]))
    return cases


def _einsum() -> list[Case]:
    rs = _seeded()
    R = rs.randn  # noqa: N806

    def C(*shape: int) -> Any:  # noqa: N802
        return rs.randn(*shape) + 1j * rs.randn(*shape)

    cases: list[Case] = []

    def einsum(test: str, argnums: tuple[int, ...], *arg_lists: Any) -> None:
        cases.extend(combos(test, "einsum", argnums, arg_lists))

    rs.seed(42)
    einsum("test_einsum_transpose", (1,), ["ij->ji"], [R(1, 1), R(4, 4), R(3, 4)])
    rs.seed(42)
    einsum("test_einsum_matmult", (1, 2), ["ij,jk->ik"], [R(2, 3), C(2, 3)], [R(3, 4), C(3, 4)])
    rs.seed(42)
    einsum(
        "test_einsum_matmult_broadcast",
        (1, 2),
        ["...ij,...jk->...ik"],
        [R(2, 3), R(2, 2, 3)],
        [R(3, 4), R(2, 3, 4)],
    )
    rs.seed(42)
    einsum(
        "test_einsum_matmult_broadcast_leadzero", (1, 2), ["...ij,...jk->...ik"], [R(0, 2, 3)], [R(0, 3, 4)]
    )
    rs.seed(42)
    einsum("test_einsum_covsum", (1, 2), ["ijk,lji->lki"], [R(3, 4, 4)], [R(4, 4, 3)])
    rs.seed(42)
    subs = ["...jk,...lj->...lk", "...,...->..."]
    einsum("test_einsum_ellipses", (1, 2), subs, [R(4, 4), R(3, 4, 4)], [R(4, 4), R(3, 4, 4)])
    rs.seed(42)
    einsum(
        "test_einsum_ellipses_tail",
        (1, 2),
        ["jk...,lj...->lk..."],
        [R(3, 2), R(3, 2, 4)],
        [R(2, 3), R(2, 3, 4)],
    )
    rs.seed(42)
    einsum(
        "test_einsum_ellipses_center",
        (1, 2),
        ["j...k,lj...->lk..."],
        [R(2, 2), R(2, 2, 2)],
        [R(2, 2), R(2, 2, 2)],
    )
    rs.seed(42)
    einsum("test_einsum_three_args", (1, 2), ["ijk,lji,lli->lki"], [R(3, 4, 4)], [R(4, 4, 3)], [R(4, 4, 3)])
    rs.seed(42)
    einsum("test_einsum2_transpose", (0,), [R(1, 1), R(4, 4), R(3, 4)], [(0, 1)], [(1, 0)])
    rs.seed(42)
    einsum("test_einsum2_matmult", (0, 2), [R(2, 3)], [(0, 1)], [R(3, 4)], [(1, 2)], [(0, 2)])
    rs.seed(42)
    e, sub = Ellipsis, [(Ellipsis, 0, 1)]
    einsum(
        "test_einsum2_matmult_broadcast",
        (0, 2),
        [R(2, 3), R(2, 2, 3)],
        sub,
        [R(3, 4), R(2, 3, 4)],
        [(e, 1, 2)],
        [(e, 0, 2)],
    )
    rs.seed(42)
    einsum("test_einsum2_covsum", (0, 2), [R(3, 4, 4)], [(0, 1, 2)], [R(4, 4, 3)], [(3, 1, 0)], [(3, 2, 0)])
    rs.seed(42)
    three = ([R(3, 4, 4)], [(0, 1, 2)], [R(4, 4, 3)], [(3, 1, 0)], [R(4, 4, 3)], [(3, 3, 0)], [(3, 2, 0)])
    einsum("test_einsum2_three_args", (0, 2), *three)
    rs.seed(42)
    einsum("test_einsum_naked_sum", (1, 2), ["k,nk->"], [R(5)], [R(10, 5)])
    rs.seed(42)
    einsum("test_einsum_naked_sum2", (1,), ["abcd->bd"], [R(3, 2, 3, 2)])
    rs.seed(42)
    einsum("test_einsum_naked_sum_ellipsis", (1, 2), ["...k,...nk->..."], [R(3, 5)], [R(3, 10, 5)])
    rs.seed(42)
    einsum("test_einsum_no_output_indices", (1, 2), ["ij,k"], [R(3, 4)], [R(3)])
    return cases


def _row_stack(xp: Any, tup: Any) -> Any:
    with warnings.catch_warnings():  # (NumPy 2 deprecates the alias of vstack)
        warnings.simplefilter("ignore", DeprecationWarning)
        return xp.row_stack(tup)


def _selection() -> list[Case]:
    rs = _seeded()
    R = rs.randn  # noqa: N806
    cases: list[Case] = []

    def add(test: str, *args: Any, **kw: Any) -> None:
        rs.seed(42)
        cases.extend(combos(test, *args, **kw))

    add("test_trace", "trace", (0,), [[R(5, 5), R(4, 5), R(5, 4), R(3, 4, 5)]], {"offset": [-1, 0, 1]})
    add("test_diag", "diag", (0,), [[R(5, 5)]], {"k": [-1, 0, 1]})
    add("test_diag_flat", "diag", (0,), [[R(5)]], {"k": [-1, 0, 1]})
    for name in ("tril", "triu"):
        add(f"test_{name}", name, (0,), [[R(5, 5)]], {"k": [-1, 0, 1]})
    for name in ("tril", "triu"):
        add(f"test_{name}_3d", name, (0,), [[R(5, 5, 4)]], {"k": [-1, 0, 1]})
    add("test_swapaxes", "swapaxes", (0,), [[R(3, 4, 5)]], {"axis1": [0, 1, 2], "axis2": [0, 1, 2]}, ops=())
    add("test_rollaxis", "rollaxis", (0,), [[R(2, 3, 4)]], {"axis": [0, 1, 2], "start": [0, 1, 2]})
    rs.seed(42)
    cross = {"axisa": [-1, 0, 1], "axisb": [-1, 0, 1], "axisc": [-1, 0, 1], "axis": [None, -1, 0, 1]}
    cases += combos("test_cross", "cross", (0, 1), [[R(3, 3)], [R(3, 3)]], cross)
    for name, shape, parts in (
        ("vsplit_2d", (4, 8), 4),
        ("vsplit_3d", (4, 4, 4), 2),
        ("hsplit_2d", (4, 8), 4),
        ("hsplit_3d", (4, 4, 4), 2),
        ("dsplit_3d", (4, 4, 4), 2),
    ):
        add(f"test_{name}", name.split("_")[0], (0,), [[R(*shape)], [parts, [1, 2]]])
    add("test_split_1d", "split", (0,), [[R(1), R(7)], [1]], {"axis": [0]})
    add("test_split_2d", "split", (0,), [[R(4, 8)], [4, [1, 2]]], {"axis": [0, 1]})
    add("test_split_3d", "split", (0,), [[R(4, 4, 4)], [2, [1, 2]]], {"axis": [0, 1, 2]})
    add("test_array_split_1d", "array_split", (0,), [[R(1), R(7)], [1, 3]], {"axis": [0]})
    add("test_array_split_2d", "array_split", (0,), [[R(7, 7)], [4, [3, 5]]], {"axis": [0, 1]})
    add("test_array_split_3d", "array_split", (0,), [[R(7, 7, 7)], [4, [3, 5]]], {"axis": [0, 1, 2]})
    add("test_concatenate_1ist", "concatenate", (0,), [[(R(1), R(3))]], {"axis": [0]}, ops=())
    add("test_concatenate_tuple", "concatenate", (0,), [[[R(1), R(3)]]], {"axis": [0]}, ops=())
    add("test_concatenate_2d", "concatenate", (0,), [[(R(2, 2), R(2, 2))]], {"axis": [0, 1]}, ops=())
    add("test_concatenate_3d", "concatenate", (0,), [[(R(2, 2, 2), R(2, 2, 2))]], {"axis": [0, 1, 2]}, ops=())
    for name in ("vstack", "hstack"):
        add(f"test_{name}_1d", name, (0,), [[R(2), (R(2), R(2))]])
        if name == "vstack":
            add(f"test_{name}_2d", name, (0,), [[R(2, 3), (R(2, 4), R(1, 4))]])
            add(f"test_{name}_3d", name, (0,), [[R(2, 3, 4), (R(2, 3, 4), R(5, 3, 4))]])
        else:
            add(f"test_{name}_2d", name, (0,), [[R(3, 2), (R(3, 4), R(3, 5))]])
            add(f"test_{name}_3d", name, (0,), [[R(2, 3, 4), (R(2, 1, 4), R(2, 5, 4))]])
    add("test_stack_1d", "stack", (0,), [[(R(2),), (R(2), R(2))]], {"axis": [0, 1]}, ops=())
    add("test_row_stack_1d", _row_stack, (0,), [[R(2), (R(2), R(2))]], ops=("row_stack",))
    add("test_row_stack_2d", _row_stack, (0,), [[R(2, 3), (R(2, 4), R(1, 4))]], ops=("row_stack",))
    add("test_column_stack_1d", "column_stack", (0,), [[R(2), (R(2), R(2))]])
    add("test_column_stack_2d", "column_stack", (0,), [[R(2, 2), (R(2, 2), R(2, 2))]])
    rs.seed(42)
    conditions = [R(3, 4, 5) > 0, R(3, 4, 5) > 0, R(3, 4, 5) > 0]
    choices = (R(3, 4, 5), R(3, 4, 5), R(3, 4, 5))
    cases += combos("test_select", "select", (1,), [[conditions], [choices]], {"default": [0.0, 1.1]})
    widths = [0, 3, (3,), (3, 2), ((3, 2),), ((1, 2), (3, 4)), ((0, 0), (0, 0))]
    add("test_pad", "pad", (0,), [[R(2, 2)], widths, ["constant"]])
    return cases


def _cases() -> list[Case]:
    return [*_statistics(), *_unary(), *_binary(), *_shapes_and_products(), *_einsum(), *_selection()]


CASES = _cases()


@pytest.mark.parametrize("case", params(CASES))
def test_systematic(case: Case) -> None:
    __tracebackhide__ = stopped_on_missing_op
    check(case)
