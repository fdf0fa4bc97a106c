"""einsum, tensordot, dot, inner, vdot, outer, kron, cross, trace and matmul on Tensors: values,
first and second derivatives against torch float64 (nan, inf, 0-d and empty inputs), every
spelling, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_helpers import close, compare_to_second_order

import autograd as ag
from autograd import Tensor, ops

NAN, INF = np.nan, np.inf
rng = np.random.default_rng(3)


def R(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def with_edges(x: np.ndarray) -> np.ndarray:
    """``x`` with a nan, an inf and a zero in it."""
    y = x.copy().reshape(-1)
    y[: min(3, y.size)] = [NAN, INF, 0.0][: min(3, y.size)]
    return y.reshape(x.shape)


EINSUM = [
    ("ij,jk->ik", [R(2, 3), R(3, 4)]),
    ("ij,jk", [R(2, 3), R(3, 4)]),  # implicit: "ik"
    ("Ba,aC", [R(2, 3), R(3, 4)]),  # implicit, capitals first: "BC"
    ("ij->ji", [R(3, 4)]),
    ("ii->", [R(3, 3)]),  # trace
    ("ii->i", [R(3, 3)]),  # diagonal
    ("ii", [R(3, 3)]),  # implicit trace
    ("iij->ji", [R(3, 3, 2)]),
    ("ij->i", [R(3, 4)]),
    ("i,i->", [R(5), R(5)]),
    ("i,j->ij", [R(3), R(4)]),
    ("ij,k", [R(3, 4), R(3)]),  # implicit, no index summed: "ijk"
    ("...ij,...jk->...ik", [R(2, 1, 2, 3), R(4, 3, 2)]),  # ellipsis broadcast, (1 against 4)
    ("...ij,...jk", [R(0, 2, 3), R(0, 3, 4)]),  # empty batch
    ("i...,i...", [R(2, 3), R(2, 1)]),  # implicit ellipsis output, broadcast
    ("ijk,lji->lki", [R(3, 4, 4), R(4, 4, 3)]),
    ("ijk,lji,lli->lki", [R(3, 4, 4), R(4, 4, 3), R(4, 4, 3)]),  # repeats within an operand
    ("ij,ij->ij", [R(1, 3), R(2, 3)]),  # a length-1 index broadcasts
    ("k,nk->", [R(5), R(10, 5)]),
    (" i j , j -> i ", [R(2, 3), R(3)]),  # spaces
    ("->", [np.array(1.7)]),  # 0-d
    ("ij,jk->ki", [R(40, 40), R(40, 3)]),  # large: contracted through BLAS (optimize)
]


@pytest.mark.parametrize("subscripts, arrays", EINSUM, ids=[e[0] for e in EINSUM])
def test_einsum(subscripts: str, arrays: list) -> None:
    compare_to_second_order(
        lambda *xs: np.einsum(subscripts, *xs), lambda *ts: torch.einsum(subscripts, *ts), arrays
    )


def test_einsum_with_nan_and_inf() -> None:
    a, b = with_edges(R(2, 3)), R(3, 4)
    compare_to_second_order(
        lambda x, y: ag.einsum("ij,jk->ik", x, y),
        lambda x, y: torch.einsum("ij,jk->ik", x, y),
        [a, b],
        second=False,
    )


def test_einsum_sublists_and_torch_lists() -> None:
    a, b = R(2, 3), R(3, 4)
    compare_to_second_order(
        lambda x, y: np.einsum(x, [0, 1], y, [1, 2], [0, 2]),
        lambda x, y: torch.einsum(x, [0, 1], y, [1, 2], [0, 2]),
        [a, b],
    )
    compare_to_second_order(lambda x: np.einsum(x, [Ellipsis, 0], [0, Ellipsis]), lambda x: x.mT, [a])
    compare_to_second_order(
        lambda x, y: ag.einsum("ij,jk", [x, y]), lambda x, y: torch.einsum("ij,jk", [x, y]), [a, b]
    )


@pytest.mark.parametrize(
    "a, b, axes",
    [
        (R(3, 4, 5), R(4, 5, 2), 2),
        (R(3, 4), R(4, 2), 1),
        (R(4), R(), 0),
        (R(2, 3), R(4, 2), ([0], [1])),
        (R(3, 4, 5), R(5, 3, 2), ((0, 2), (1, 0))),
        (R(2, 6), R(6, 3), ([-1], [0])),
        (R(2), R(2, 2), (0, 1)),
        (R(2, 0), R(0, 3), 1),
    ],
)
def test_tensordot(a: np.ndarray, b: np.ndarray, axes: object) -> None:
    listed = lambda k: [k] if isinstance(k, int) else list(k)  # noqa: E731
    dims = axes if isinstance(axes, int) else (listed(axes[0]), listed(axes[1]))
    compare_to_second_order(
        lambda x, y: np.tensordot(x, y, axes), lambda x, y: torch.tensordot(x, y, dims=dims), [a, b]
    )
    compare_to_second_order(
        lambda x, y: ag.tensordot(x, y, dims=dims), lambda x, y: torch.tensordot(x, y, dims), [a, b]
    )


def _torch_dot(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """NumPy's dot in torch."""
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return torch.tensordot(a, b, dims=([a.ndim - 1], [max(b.ndim - 2, 0)]))


@pytest.mark.parametrize(
    "a, b",
    [
        (R(), R(3)),
        (R(4), R(4)),
        (R(2, 3), R(3)),
        (R(3), R(3, 2)),
        (R(2, 3), R(3, 4)),
        (R(2, 2, 3), R(3)),
        (R(2, 3), R(4, 3, 2)),
        (R(2, 4, 3), R(5, 3, 2)),
        (R(0, 3), R(3, 2)),
    ],
)
def test_dot_in_every_dimensionality(a: np.ndarray, b: np.ndarray) -> None:
    compare_to_second_order(np.dot, _torch_dot, [a, b])
    compare_to_second_order(lambda x, y: x.dot(y), _torch_dot, [a, b])


@pytest.mark.parametrize(
    "a, b",
    [(R(), R(3)), (R(4), R(4)), (R(2, 3), R(4, 3)), (R(2, 3, 4), R(5, 4)), (R(3), R(0, 3))],
)
def test_inner(a: np.ndarray, b: np.ndarray) -> None:
    compare_to_second_order(np.inner, torch.inner, [a, b])


@pytest.mark.parametrize(
    "a, b",
    [(R(4), R(4)), (R(2, 3), R(3, 2)), (R(), R()), (R(0), R(0)), (with_edges(R(3)), R(3))],
)
def test_vdot_and_outer(a: np.ndarray, b: np.ndarray) -> None:
    finite = bool(np.isfinite(a).all())
    compare_to_second_order(
        np.vdot, lambda x, y: torch.dot(x.reshape(-1), y.reshape(-1)), [a, b], second=finite
    )
    compare_to_second_order(
        np.outer, lambda x, y: torch.outer(x.reshape(-1), y.reshape(-1)), [a, b], second=finite
    )


@pytest.mark.parametrize(
    "a, b",
    [
        (R(2, 3), R(3, 2)),
        (R(3), R(2)),
        (R(2), R(3, 1)),
        (R(1, 3), R(3, 1)),
        (R(), R(2, 2)),
        (R(2, 2, 2), R(3, 1)),
        (R(0, 2), R(2)),
    ],
)
def test_kron(a: np.ndarray, b: np.ndarray) -> None:
    compare_to_second_order(np.kron, torch.kron, [a, b])
    compare_to_second_order(lambda x, y: x.kron(y), torch.kron, [a, b])


def _torch_cross(a: torch.Tensor, b: torch.Tensor, axisa: int, axisb: int, axisc: int) -> torch.Tensor:
    c = torch.linalg.cross(torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1))
    return torch.movedim(c, -1, axisc)


@pytest.mark.parametrize("axisa, axisb, axisc", [(-1, -1, -1), (0, 1, 0), (1, 0, -1), (0, 0, 1)])
def test_cross(axisa: int, axisb: int, axisc: int) -> None:
    a, b = R(3, 3), R(3, 3)
    compare_to_second_order(
        lambda x, y: np.cross(x, y, axisa, axisb, axisc),
        lambda x, y: _torch_cross(x, y, axisa, axisb, axisc),
        [a, b],
    )


def test_cross_spellings_broadcast_and_edges() -> None:
    a, b = R(4, 3), R(3)
    compare_to_second_order(
        lambda x, y: ag.linalg.cross(x, y), torch.linalg.cross, [a, np.broadcast_to(b, (4, 3))]
    )
    compare_to_second_order(np.cross, lambda x, y: torch.linalg.cross(x, y.expand(4, 3)), [a, b])
    c = R(3, 2)
    compare_to_second_order(lambda x, y: x.cross(y, dim=0), lambda x, y: x.cross(y, dim=0), [c, R(3, 2)])
    compare_to_second_order(lambda x, y: ag.cross(x, y, 0), lambda x, y: torch.cross(x, y, 0), [c, R(3, 2)])
    compare_to_second_order(np.cross, torch.linalg.cross, [with_edges(R(2, 3)), R(2, 3)], second=False)
    compare_to_second_order(np.cross, torch.linalg.cross, [R(0, 3), R(0, 3)])


@pytest.mark.parametrize(
    "shape, offset, axes",
    [
        ((5, 5), 0, (0, 1)),
        ((4, 5), 1, (0, 1)),
        ((5, 4), -2, (0, 1)),
        ((3, 4, 5), -1, (0, 1)),
        ((3, 4, 5), 2, (2, 0)),
        ((5, 6, 4, 3), -5, (0, 1)),
        ((3, 3), 7, (0, 1)),
        ((0, 3), 0, (0, 1)),
    ],
)
def test_trace(shape: tuple, offset: int, axes: tuple) -> None:
    compare_to_second_order(
        lambda x: np.trace(x, offset, *axes), lambda t: torch.diagonal(t, offset, *axes).sum(-1), [R(*shape)]
    )


@pytest.mark.parametrize(
    "a, b",
    [
        (R(4), R(4)),
        (R(4), R(4, 2)),
        (R(2, 4), R(4)),
        (R(3, 2, 4), R(4, 5)),
        (R(4), R(3, 4, 2)),
        (R(2, 1, 2, 3), R(4, 3, 2)),
        (R(0, 3), R(3, 2)),
        (with_edges(R(2, 3)), R(3, 2)),
    ],
)
def test_matmul(a: np.ndarray, b: np.ndarray) -> None:
    second = bool(np.isfinite(a).all())
    compare_to_second_order(np.matmul, torch.matmul, [a, b], second=second)
    compare_to_second_order(lambda x, y: ag.linalg.matmul(x, y), torch.linalg.matmul, [a, b], second=second)


def test_methods_and_functions_give_the_same_nodes() -> None:
    a, b = Tensor(R(3, 3), requires_grad=True), Tensor(R(3, 3), requires_grad=True)
    for x, y in [
        (a.trace(), np.trace(a)),
        (a.inner(b), ag.inner(a, b)),
        (a.outer(b), ag.outer(a, b)),
        (a.vdot(b), ag.vdot(a, b)),
        (ag.dot(a, b), a @ b),
        (ag.kron(a, b), np.kron(a, b)),
    ]:
        assert isinstance(x, Tensor) and x.requires_grad
        close(x.data, y.data)
    # a plain operand is a constant
    close(np.einsum("ij,jk", a.data, b).data, np.einsum("ij,jk", a.data, b.data))


def test_bad_input_names_the_function_and_what_came_in() -> None:
    a, b = Tensor(R(2, 3), requires_grad=True), Tensor(R(4, 2), requires_grad=True)
    cases = [
        (
            lambda: np.einsum("ij,jk->ik", a, b),
            r"einsum: index 'j' has length 3 in one operand and 4 in operand 1",
        ),
        (lambda: np.einsum("ij,jk", a), r"einsum: the subscripts 'ij,jk' name 2 operand\(s\), got 1"),
        (
            lambda: np.einsum("ijk", a),
            r"einsum: operand 0 has 2 dimension\(s\) \(shape \(2, 3\)\) but its subscripts 'ijk' name 3",
        ),
        (lambda: np.einsum("ij->ik", a), r"einsum: the output 'ik' names an index no operand has: 'k'"),
        (lambda: np.einsum("ij->ii", a), r"einsum: the output 'ii' repeats 'i'"),
        (lambda: np.einsum("i1", a), r"einsum: subscripts hold letters.*with '1'"),
        (lambda: np.einsum("ii", a), r"einsum: operand 0 repeats index 'i' over axes of lengths 2 and 3"),
        (
            lambda: np.tensordot(a, b, 1),
            r"tensordot: a's axis 1 has length 3 but b's axis 0, summed with it, has 4",
        ),
        (lambda: np.tensordot(a, b, 3), r"tensordot: axes=3 must be in \[0, 2\]"),
        (lambda: np.dot(a, b), r"dot: shapes \(2, 3\) and \(4, 2\) are not aligned"),
        (lambda: np.inner(a, b), r"inner: the last axes differ in length"),
        (lambda: np.vdot(a, b[:2]), r"vdot: a and b must have the same number of elements"),
        (lambda: np.trace(Tensor([1.0, 2.0])), r"trace: expected at least 2 dimensions, got shape \(2,\)"),
        (lambda: np.trace(a, axis1=1, axis2=-1), r"trace: axis1 and axis2 must differ"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(ValueError, match=r"cross: a's vectors \(axis 0\) must have length 3, got 2"):
        np.cross(a, a, axis=0)
    with pytest.raises(TypeError, match=r"numpy\.einsum on a Tensor: the option out="):
        np.einsum("ij", a, out=np.empty((2, 3)))


def test_these_checks_catch_a_wrong_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # an einsum VJP that forgets that a repeated index is a diagonal (ones where the identity
    # belongs): right for a contraction, wrong for a trace
    real = ops.products.gradient_subscripts

    def no_diagonal(subscripts: str, i: int, shape: tuple) -> tuple:
        spec, constants = real(subscripts, i, shape)
        inputs, out = spec.split("->")
        terms = inputs.split(",")
        k = len(terms) - len(constants)
        new_terms, new_constants = terms[:k], []
        for (kind, n), sub in zip(constants, terms[k:]):
            pairs = [(c, (("ones", n))) for c in sub] if kind == "eye" else [(sub, (kind, n))]
            new_terms += [c for c, _ in pairs]
            new_constants += [k_n for _, k_n in pairs]
        return ",".join(new_terms) + "->" + out, tuple(new_constants)

    monkeypatch.setattr(ops.products, "gradient_subscripts", no_diagonal)
    a, b = R(2, 3), R(3, 2)
    compare_to_second_order(
        lambda x, y: np.einsum("ij,jk", x, y), lambda x, y: torch.einsum("ij,jk", x, y), [a, b]
    )
    with pytest.raises(AssertionError, match="gradient 0"):
        compare_to_second_order(lambda x: np.einsum("ii", x), lambda t: torch.einsum("ii", t), [R(3, 3)])
