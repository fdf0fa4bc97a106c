"""HIPS autograd's ``tests/test_numpy.py``, ported: NumPy functions, methods and indexing on Tensors.

Each HIPS ``check_grads`` call (and each ``grad(...) == ...`` assertion) is one case, run the
NumPy way on float64 Tensors (``np.cumsum(t, axis=0)``, ``t.reshape(...)``, ``t[::-1]``) and
compared with torch float64 up to second order (see ``hips_harness``). Scalar code that HIPS
feeds a Python float (lists and arrays built from ``x``, ``np.linspace(x, y)``) runs on
``Value``s, as ``autograd.grad(f)(3.0)`` would. Inputs are drawn as HIPS draws them
(``np.random.seed(42)`` before each test). Where HIPS's ``check_grads(fun)(x, y)`` checks only
``x`` (its default argnum), every argument is differentiated here. The case list comes from
HIPS autograd (MIT licence, https://github.com/HIPS/autograd); the code is this project's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hips_harness import HIPS_ONLY, VALUE_DTYPE, Case, call, check, params, stopped_on_missing_op

from autograd import concatenate, stack


def _seeded() -> np.random.RandomState:
    return np.random.RandomState(42)


def _both(name: str, pairs: list[tuple[Any, Any]], fn: Any, ops: tuple[str, ...] = ()) -> list[Case]:
    return [Case(f"{name}[{k}]", fn, pair, argnums=(0, 1), ops=ops) for k, pair in enumerate(pairs)]


def _one(name: str, fn: Any, x: Any, ops: tuple[str, ...] = (), **kw: Any) -> Case:
    return Case(name, fn, (x,), ops=ops, **kw)


def _products() -> list[Case]:
    rs = _seeded()
    mat1, mat2, vect1, vect2, vect3 = (
        rs.randn(10, 11),
        rs.randn(10, 11),
        rs.randn(10),
        rs.randn(11),
        rs.randn(11),
    )
    dot = call("dot")
    cases = _both("dot", [(mat1, vect2), (mat1, mat2.T), (vect1, mat1), (vect2, vect3)], dot)
    rs = _seeded()
    mat1, vect1, float1 = rs.randn(10, 11), rs.randn(10), rs.randn()
    pairs = [(mat1, float1), (float1, mat1), (vect1, float1), (float1, vect1)]
    cases += _both("dot_with_floats", pairs, dot)
    rs = _seeded()
    vect2, vect3 = rs.randn(11), rs.randn(11)
    cases += _both("outer", [(vect2, vect3), (vect2.T, vect3), (vect2.T, vect3.T)], call("outer"))
    return cases


def _reductions() -> list[Case]:
    cases = []
    for name in ("max", "min"):
        fn = call(name)
        cases.append(_one(name, fn, _seeded().randn(10, 11)))
        cases.append(Case(f"{name}_axis", fn, (_seeded().randn(3, 4, 5),), kwargs={"axis": 1}))
        cases.append(
            Case(
                f"{name}_axis_keepdims", fn, (_seeded().randn(3, 4, 5),), kwargs={"axis": 1, "keepdims": True}
            )
        )
    for name in ("sum", "mean"):
        fn = call(name)
        cases.append(_one(f"{name}_1", fn, _seeded().randn(10, 11)))
        cases.append(Case(f"{name}_2", fn, (_seeded().randn(10, 11),), kwargs={"axis": 0}))
        cases.append(Case(f"{name}_3", fn, (_seeded().randn(10, 11),), kwargs={"axis": 0, "keepdims": True}))
    cases.append(
        Case("sum_with_axis_tuple", call("sum"), (_seeded().randn(10, 11, 7),), kwargs={"axis": (1, 2)})
    )
    base = np.abs(_seeded().randn(5)) + 0.5
    for name in ("sum", "prod", "max", "min"):
        # HIPS: plain numpy's reductions on a box; here numpy's reductions on a Tensor
        fn = lambda xp, a, base, name=name: getattr(xp, name)(xp.exp(a) * base)  # noqa: E731
        cases.append(Case(f"plain_numpy_reductions_on_box[{name}]", fn, (0.7, base), ops=(name,)))
    cases.append(
        Case(
            "non_numpy_sum",
            lambda xp, x, y: sum([x, y]),
            (_seeded().randn(10, 11), _seeded().randn(10, 11)),
            argnums=(0, 1),
        )
    )
    for name in ("mean", "std", "var"):
        for seq in (list, tuple):
            fn = lambda xp, x, name=name, seq=seq: getattr(xp, name)(seq([x, x + 2]))  # noqa: E731
            cases.append(Case(f"{name}_list_of_boxes[{seq.__name__}]", fn, (0.0,), kind="value", order=1))
    for name in ("var", "std"):
        rs = _seeded()
        b, c, d = rs.randn(3), rs.randn(3, 4), rs.randn(1, 3)
        combos = [(x, None, keep, ddof) for x in (b, c, d) for keep in (True, False) for ddof in (0, 1)]
        combos += [(x, axis, keep, 2) for x in (c, d) for axis in (None, 1) for keep in (True, False)]
        for x, axis, keep, ddof in combos:
            kwargs = {"axis": axis, "keepdims": keep, "ddof": ddof}
            tag = f"{x.shape}-axis={axis}-keepdims={keep}-ddof={ddof}".replace(" ", "")
            cases.append(Case(f"{name}_ddof[{tag}]", call(name), (x,), kwargs=kwargs))
    return cases


def _scans_and_shapes() -> list[Case]:
    cases = [
        _one(name, call(name), _seeded().randn(10, 11), ops=(name,)) for name in ("flipud", "fliplr", "rot90")
    ]
    cumsum = call("cumsum")
    cases.append(
        Case("cumsum_axis0", cumsum, (_seeded().randn(10, 11),), kwargs={"axis": 0}, ops=("cumsum",))
    )
    cases.append(
        Case("cumsum_axis1", cumsum, (_seeded().randn(10, 11),), kwargs={"axis": 1}, ops=("cumsum",))
    )
    cases.append(_one("cumsum_1d", cumsum, _seeded().randn(10), ops=("cumsum",)))
    cases.append(_one("cumsum_no_axis", cumsum, _seeded().randn(10, 11), ops=("cumsum",)))
    a = _seeded().randn(5, 6, 4)
    flip0 = lambda x: x.flip(0)  # noqa: E731 (torch has no negative slice step)
    cases += [
        _one("index_ints", lambda xp, x: x[3, 0, 1], a),
        _one("index_slice", lambda xp, x: x[::-1, 2:4, :], a, torch_fn=lambda xp, x: flip0(x)[:, 2:4, :]),
        _one("index_lists", lambda xp, x: x[[0, 1, 2], :, :], a),
        # (HIPS's index_mixed, x[3, 2:, [1, 3]], is left out: torch applies the int first, so the
        # list's axis stays in place where numpy's goes first, and the engine's Tensor follows torch:
        # test_known_differences.py, test_an_int_and_an_array_apart_index_as_torch)
        _one("vector_slice", lambda xp, x: x[2:4], _seeded().randn(5)),
        _one(
            "index_slice_fanout",
            lambda xp, x: x[::-1, 2:4, :] + x[::-1, 3:5, :],
            a,
            torch_fn=lambda xp, x: flip0(x)[:, 2:4, :] + flip0(x)[:, 3:5, :],
        ),
        _one("index_multiple_slices", lambda xp, x: x[2:6][1:3], _seeded().randn(7)),
        _one("reshape_method", lambda xp, x: x.reshape((5 * 4, 6)), a),
        _one("reshape_call", lambda xp, x: xp.reshape(x, (5 * 4, 6)), a),
        _one("reshape_method_nolist", lambda xp, x: x.reshape(5 * 4, 6), a),
        _one("ravel_method", lambda xp, x: x.ravel(), a, ops=("Tensor.ravel",)),
        _one("ravel_call", call("ravel"), a),
        _one("flatten_method", lambda xp, x: x.flatten(), a),
    ]
    append = call("append")
    cases.append(
        Case("simple_append_list", append, (np.array([1.0, 2.0, 3.0]), 4.0), argnums=(0, 1), ops=("append",))
    )
    cases.append(
        Case("simple_append_arr", append, (np.array([1.0, 2.0, 3.0]), 4.0), argnums=(0, 1), ops=("append",))
    )
    a2, b2 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), np.array([[7.0, 8.0, 9.0]])
    cases.append(
        Case("simple_append_list_2D", append, (a2, b2), argnums=(0, 1), kwargs={"axis": 0}, ops=("append",))
    )
    rs = _seeded()
    a, b = rs.randn(5, 6, 4), rs.randn(4, 6, 4)
    cases.append(Case("simple_concatenate", lambda xp, x, a: xp.concatenate((a, x)), (b, a)))
    rs = _seeded()
    a, b = rs.randn(5, 6, 4), rs.randn(5, 6, 4)
    cases += [
        Case("concatenate_axis_0", lambda xp, x, b: xp.concatenate((b, x, b)), (a, b)),
        Case("concatenate_axis_1", lambda xp, x, b: xp.concatenate((b, x, b), axis=1), (a, b)),
        Case("concatenate_axis_1_unnamed", lambda xp, x, b: xp.concatenate((b, x, b), 1), (a, b)),
    ]
    for name, shape, low, high in (
        ("trace", (10, 11), -9, 11),
        ("trace2", (11, 10), -9, 11),
        ("trace_extradims", (5, 6, 4, 3), -5, 6),
    ):
        rs = _seeded()
        mat = rs.randn(*shape)
        cases.append(
            Case(name, call("trace"), (mat,), kwargs={"offset": int(rs.randint(low, high))}, ops=("trace",))
        )
    cases += [
        _one("diag", call("diag"), _seeded().randn(10, 10), ops=("diag",)),
        _one("transpose", lambda xp, x: x.T, _seeded().randn(8, 8)),
        Case("roll", call("roll"), (_seeded().randn(4, 5), 2), kwargs={"axis": 1}, ops=("roll",)),
        Case("roll_no_axis", call("roll"), (_seeded().randn(4, 5), 2), kwargs={"axis": 1}, ops=("roll",)),
        Case("triu", call("triu"), (_seeded().randn(5, 5),), kwargs={"k": 2}, ops=("triu",)),
        Case("tril", call("tril"), (_seeded().randn(5, 5),), kwargs={"k": 2}, ops=("tril",)),
        Case("clip", call("clip"), (_seeded().randn(5, 5),), kwargs={"a_min": 0.1, "a_max": 1.1}),
    ]
    prod = call("prod")
    cases += [
        _one("prod_1", prod, _seeded().randn(2, 3) ** 2 / 10.0 + 0.1, ops=("prod",)),
        Case("prod_2", prod, (_seeded().randn(2, 3) ** 2 + 0.1,), kwargs={"axis": 0}, ops=("prod",)),
        Case(
            "prod_3",
            prod,
            (_seeded().randn(2, 3) ** 2 + 0.1,),
            kwargs={"axis": 0, "keepdims": True},
            ops=("prod",),
        ),
        _one("prod_4", prod, _seeded().randn(7) ** 2 + 0.1, ops=("prod",)),
    ]
    return cases


def _scalar_arrays() -> list[Case]:
    one = lambda xp, x: xp.array([x, x * 1.0, x + 2.5])  # noqa: E731
    two = lambda xp, x: xp.array([[x, x * 1.0, x + 2.5], [x**2, x, x / 2.0]])  # noqa: E731

    def attributes(xp: Any, x: Any) -> Any:
        size = x.numel() if callable(x.size) else x.size  # (torch's size is a method)
        assert (tuple(x.shape), x.ndim, size) == ((), 0, 1)
        assert str(x.dtype).endswith("float64")
        return x**2

    cases = [
        _one("1d_array", one, 3.0, kind="value"),
        _one("2d_array", two, 3.0, kind="value"),
        _one("1d_array_fanout", lambda xp, x: one(xp, x) + one(xp, x), 3.0, kind="value"),
        _one("2d_array_fanout", lambda xp, x: two(xp, x) + two(xp, x), 3.0, kind="value"),
        _one("array_from_scalar", lambda xp, x: xp.array(x), 3.0, kind="value"),
        _one(
            "scalar_array_box_attributes",
            attributes,
            3.0,
            kind="value",
            order=1,
            skip=VALUE_DTYPE,
        ),
    ]
    a = _seeded().randn(3, 2)
    array = {"refused": r"autograd\.stack"}  # (np.array cannot give a Tensor: what the refusal names)
    cases += [
        _one(
            "array_from_arrays",
            lambda xp, x: xp.array([x, x]),
            a,
            instead=lambda xp, x: stack([x, x]),
            **array,
        ),
        _one(
            "array_from_arrays_2",
            lambda xp, x: xp.array([[2 * x, x + 1], [x, x]]),
            a,
            instead=lambda xp, x: stack([stack([2 * x, x + 1]), stack([x, x])]),
            **array,
        ),
    ]

    def length(xp: Any, x: Any) -> Any:
        assert len(x) == 3
        return x

    cases.append(_one("len", length, _seeded().randn(3, 2)))
    return cases


def _r_and_c() -> list[Case]:
    rs = _seeded()
    rs.randn(3, 2)  # (HIPS draws an unused c first)
    a = rs.randn(3, 2)
    # np.r_ and np.c_ cannot give a Tensor: the engine refuses them, naming autograd.concatenate,
    # which is checked in their place
    r_ = {"refused": r"numpy\.r_ .*autograd\.concatenate"}
    c_ = {"refused": r"numpy\.c_ .*autograd\.concatenate"}
    cases = [
        _one("r_basic", lambda xp, x: xp.r_[x], a, instead=lambda xp, x: concatenate([x]), **r_),
        _one("r_double", lambda xp, x: xp.r_[x, x], a, instead=lambda xp, x: concatenate([x, x]), **r_),
    ]
    rs = _seeded()
    c, a = rs.randn(3, 2), rs.randn(3, 2)
    cases += [
        Case("no_relation", lambda xp, x, c: c, (a, c), constant_ok=True),
        Case("r_no_relation", lambda xp, x, c: xp.r_[c], (a, c), constant_ok=True),
        Case("r_node_and_const", lambda xp, x, c: xp.r_[x, c], (a, c), instead=_joined(), **r_),
        Case("r_mixed", lambda xp, x, c: xp.r_[x, c, x], (a, c), instead=_joined(x_again=True), **r_),
    ]
    rs = _seeded()
    c, a = rs.randn(10), rs.randn(10)
    slicing = lambda xp, x, c: concatenate([x, c, np.arange(1, 10)])  # noqa: E731
    cases.append(Case("r_slicing", lambda xp, x, c: xp.r_[x, c, 1:10], (a, c), instead=slicing, **r_))
    rs = _seeded()
    c, a = rs.randn(3, 2), rs.randn(3, 2)
    cases += [
        Case("c_", lambda xp, x, c: xp.c_[x, c, x], (a, c), instead=_joined(True, axis=-1), **c_),
        Case("c_mixed", lambda xp, x, c: xp.c_[x, c, x], (a, c), instead=_joined(True, axis=-1), **c_),
    ]
    return cases


def _joined(x_again: bool = False, axis: int = 0) -> Any:
    """``concatenate([x, c(, x)], axis)``: what np.r_ (axis 0) and np.c_ (the last axis) compute."""
    return lambda xp, x, c: concatenate([x, c, x] if x_again else [x, c], axis)


def _cast_to_int(xp: Any, w: Any, inds: Any) -> Any:
    xp.concatenate((w, inds), axis=1)  # (HIPS glues them and ignores the result)
    new_w = w[:, :-1]
    new_inds = xp.int64(w[:, -1])
    assert str(new_inds.dtype).endswith("int64")
    return new_w[new_inds].sum()


def _selection() -> list[Case]:
    rs = _seeded()
    cond, a, b = rs.randn(4, 5) > 0, rs.randn(4, 5), rs.randn(4, 5)
    cases = [
        Case("where", lambda xp, x, y, c: xp.where(c, x, y), (a, b, cond), argnums=(0, 1)),
        _one("squeeze_func", call("squeeze"), _seeded().randn(5, 1, 4)),
        _one("squeeze_method", lambda xp, x: x.squeeze(), _seeded().randn(5, 1, 4)),
    ]
    repeat = call("repeat")
    for name, shape, n, axis in (
        ("repeat", (5, 3, 4), 2, 1),
        ("repeat_axis1_rep1", (5, 3, 4), 1, 1),
        ("repeat_axis0", (5, 3), 2, 0),
        ("repeat_1d_axis0", (5,), 2, 0),
        ("repeat_axis0_rep1", (5, 1), 1, 0),
    ):
        cases.append(Case(name, repeat, (_seeded().randn(*shape), n), kwargs={"axis": axis}, ops=("repeat",)))
    cases.append(Case("expand_dims", call("expand_dims"), (_seeded().randn(5, 1, 4), 2)))
    tensordot = lambda xp, x: xp.tensordot(x * xp.ones((2, 2)), x * xp.ones((2, 2)), 2)  # noqa: E731
    cases.append(_one("tensordot_kwargs_by_position", tensordot, 1.0, order=1, ops=("tensordot",)))
    a = _seeded().randn(3)
    cases += [
        _one("multi_index", lambda xp, x: xp.sum(x[[0, 0]]), a),
        _one("multi_index2", lambda xp, x: xp.sum(x[[0, 1, 0]]), a),
        _one("index_dot_slices", lambda xp, x: xp.dot(x[:2], x[2:]), _seeded().randn(4)),
        Case("cast_to_int", _cast_to_int, (np.random.RandomState(42).randn(5, 10), np.ones(5)[:, None])),
    ]
    rs = _seeded()
    make_diagonal = "autograd.numpy.make_diagonal: " + HIPS_ONLY
    cases += [
        Case(f"make_diagonal[{k}]", lambda xp, d: d, (rs.randn(*shape),), skip=make_diagonal)
        for k, shape in enumerate([(4,), (3, 4)])
    ]
    rs = _seeded()
    diagonal = call("diagonal")
    cases += [
        Case(
            f"diagonal[{k}]",
            diagonal,
            (rs.randn(*shape),),
            kwargs={"axis1": -1, "axis2": -2},
            ops=("diagonal",),
        )
        for k, shape in enumerate([(4, 4), (3, 4, 4)])
    ]
    y = np.array([0.0, np.nan, np.inf, -np.inf])
    nan_to_num = lambda xp, x, y: xp.sum(xp.sin(xp.nan_to_num(x + y)))  # noqa: E731
    cases.append(Case("nan_to_num", nan_to_num, (_seeded().randn(4), y), ops=("nan_to_num", "sin")))
    return cases


def _ties() -> list[Case]:
    max2d = lambda xp, x: xp.max(xp.array([[x, x], [x, 0.5]]), axis=1)  # noqa: E731
    min3 = lambda xp, x: xp.min(xp.array([[x, x, x], [x, 0.5, 0.5], [0.5, 0.5, 0.5], [x, x, 0.5]]), axis=0)  # noqa: E731
    maximum2d = lambda xp, x: xp.maximum(xp.array([x, x, 0.5]), xp.array([[x, 0.5, x], [x, x, 0.5]]))  # noqa: E731
    cases = [_one("max_equal_values", lambda xp, x: xp.max(xp.array([x, x])), 1.0, kind="value")]
    cases += [_one(f"max_equal_values_2d({x})", max2d, x, kind="value") for x in (1.0, -1.0)]
    cases += [_one(f"min_3_way_equality({x})", min3, x, kind="value") for x in (1.0, -1.0)]
    cases.append(_one("maximum_equal_values", lambda xp, x: xp.maximum(x, x), 1.0, kind="value"))
    cases += [_one(f"maximum_equal_values_2d({x})", maximum2d, x, kind="value") for x in (1.0, -1.0, 2.0)]
    for num in (0, 1, 5):
        fn = lambda xp, x, y, num=num: xp.linspace(x, y, num)  # noqa: E731
        for pair in ((1.2, 3.4), (1.2, -3.4), (1.2, 1.2)):
            cases.append(Case(f"linspace[num={num}-{pair}]", fn, pair, argnums=(0, 1), kind="value"))
    return cases


def _astype_float32_grad(grads: list[Any]) -> None:
    assert grads[0].dtype == np.float32, grads[0].dtype


def _last() -> list[Case]:
    x32 = np.arange(3, dtype="float32")
    fn = lambda xp, x: xp.sum(xp.sin(x.astype("float64")))  # noqa: E731
    in_torch = lambda xp, x: xp.sum(xp.sin(x))  # noqa: E731 (the reference is float64 throughout)
    ops = ("Tensor.astype", "sin")
    cases = [Case("astype", fn, (x32,), order=1, ops=ops, torch_fn=in_torch, extra=_astype_float32_grad)]
    gradient = call("gradient")
    rs = _seeded()
    for shape in ((10,), (10, 10), (10, 10, 10)):
        cases.append(
            _one(f"gradient[{shape}]".replace(" ", ""), gradient, rs.randn(*shape), ops=("gradient",))
        )
    for axis in (None, 0, 1, -1, (0, 1), (0, -1)):
        x = rs.randn(10, 10, 10)
        cases.append(
            Case(
                f"gradient[axis={axis}]".replace(" ", ""),
                gradient,
                (x,),
                kwargs={"axis": axis},
                ops=("gradient",),
            )
        )
    return cases


def _cases() -> list[Case]:
    version = Case(
        "numpy_version", lambda xp, x: x, (0.0,), skip="autograd.numpy's __version__: " + HIPS_ONLY
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [
            version,
            *_products(),
            *_reductions(),
            *_scans_and_shapes(),
            *_scalar_arrays(),
            *_r_and_c(),
            *_selection(),
            *_ties(),
            *_last(),
        ]


CASES = _cases()


@pytest.mark.parametrize("case", params(CASES))
def test_numpy(case: Case) -> None:
    __tracebackhide__ = stopped_on_missing_op
    check(case)
