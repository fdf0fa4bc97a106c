"""Shape and selection ops (``autograd/shape_ops.py`` methods, ``autograd/numpy_shapes.py`` numpy
functions) against torch float64: values, first derivatives and second derivatives.

Each case runs ``ours`` on a Tensor and ``theirs`` on a torch tensor made from the same numbers,
both applied to ``x³`` (so the second derivative is not trivially 0), and compares level by level:
the values; the VJP ``uᵀ ∂f/∂x`` for a random cotangent ``u``; the VJP of that VJP with respect to
``x`` and ``u``. A method with torch's name runs as the same code on both sides (``x.roll(1, 0)``);
a numpy spelling runs against torch's equivalent. Inputs: random normals, the same with inf, nan and
±0 put in, empty arrays and 0-d arrays where the op takes them. The numpy spellings' values are
also checked against numpy itself on plain arrays, and a wrong gradient is shown to be caught.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import autograd as ag
from autograd import Tensor, ValueArray
from autograd.ops import primitive
from autograd.shape_ops import ShapeOps

T = torch.tensor
IDX = np.array([[0, 3, 3], [1, 0, 2], [2, 2, 2]])  # (3, 3): positions along an axis of length 4 (repeats)
ALONG = np.array([[[0, 3, 3, 1, 1], [1, 0, 2, 2, 2]]])  # (1, 2, 5): along axis 1 of (3, 4, 5), broadcast

#: name -> (ours, theirs, shape); ours/theirs map a node to a node, a tuple of nodes or a sort result
CASES: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any], tuple[int, ...]]] = {}


def case(
    name: str, ours: Callable[[Any], Any], theirs: Callable[[Any], Any] | None = None, shape: Any = (3, 4, 5)
) -> None:
    CASES[name] = (ours, ours if theirs is None else theirs, shape)


# -- methods with torch's names and semantics (the same code on both sides)
for spelling, fn in {
    "ravel()": lambda t: t.ravel(),
    "flip(0, 2)": lambda t: t.flip(0, 2),
    "flip([1])": lambda t: t.flip([1]),
    "flip(dims=(-1,))": lambda t: t.flip(dims=(-1,)),
    "fliplr()": lambda t: t.fliplr(),
    "flipud()": lambda t: t.flipud(),
    "roll(2)": lambda t: t.roll(2),
    "roll(7, 1)": lambda t: t.roll(7, 1),
    "roll((1, -2), (0, 2))": lambda t: t.roll((1, -2), (0, 2)),
    "rot90()": lambda t: t.rot90(),
    "rot90(2, [1, 2])": lambda t: t.rot90(2, [1, 2]),
    "rot90(3, (2, 0))": lambda t: t.rot90(3, (2, 0)),
    "rot90(-1, (0, 1))": lambda t: t.rot90(-1, (0, 1)),
    "tril()": lambda t: t.tril(),
    "tril(-1)": lambda t: t.tril(-1),
    "triu(2)": lambda t: t.triu(2),
    "triu(-5)": lambda t: t.triu(-5),
    "diagonal()": lambda t: t.diagonal(),
    "diagonal(1, 0, 2)": lambda t: t.diagonal(1, 0, 2),
    "diagonal(-1, 2, 1)": lambda t: t.diagonal(-1, 2, 1),
    "diagonal(9)": lambda t: t.diagonal(9),
    "repeat(2, 1, 3)": lambda t: t.repeat(2, 1, 3),
    "repeat((2, 1, 1, 2))": lambda t: t.repeat((2, 1, 1, 2)),
    "tile((2,))": lambda t: t.tile((2,)),
    "tile((2, 1, 1, 3))": lambda t: t.tile((2, 1, 1, 3)),
    "repeat_interleave(2)": lambda t: t.repeat_interleave(2),
    "repeat_interleave(3, 1)": lambda t: t.repeat_interleave(3, 1),
    "repeat_interleave(0, -1)": lambda t: t.repeat_interleave(0, -1),
    "split(2)": lambda t: t.split(2),
    "split([1, 3], 1)": lambda t: t.split([1, 3], 1),
    "tensor_split(3, 2)": lambda t: t.tensor_split(3, 2),
    "tensor_split([1, 3, 9], 1)": lambda t: t.tensor_split([1, 3, 9], 1),
    "hsplit(2)": lambda t: t.hsplit(2),
    "vsplit([1])": lambda t: t.vsplit([1]),
    "dsplit([2, 3])": lambda t: t.dsplit([2, 3]),
    "movedim(0, 2)": lambda t: t.movedim(0, 2),
    "moveaxis((0, 1), (2, 0))": lambda t: t.moveaxis((0, 1), (2, 0)),
    "swapaxes(0, 2)": lambda t: t.swapaxes(0, 2),
    "swapdims(1, -1)": lambda t: t.swapdims(1, -1),
    "expand(-1, 3, -1)": lambda t: t[:, :1].expand(-1, 3, -1),
    "expand(2, -1, -1, -1)": lambda t: t.expand(2, -1, -1, -1),
    "broadcast_to((2, 4, 5))": lambda t: t[0].broadcast_to((2, 4, 5)),
    "expand_as": lambda t: t[:1].expand_as(t),
}.items():
    case(spelling, fn)
case("diag() of a matrix", lambda t: t.diag(), shape=(4, 5))
case("diag(1) of a matrix", lambda t: t.diag(1), shape=(4, 5))
case("diag(-2) of a matrix", lambda t: t.diag(-2), shape=(4, 5))
case("diag() of a vector", lambda t: t.diag(), shape=(4,))
case("diag(2) of a vector", lambda t: t.diag(2), shape=(4,))
case("diag(-1) of a vector", lambda t: t.diag(-1), shape=(4,))
case("sort()", lambda t: t.sort().values, lambda t: t.sort(stable=True).values)
case(
    "sort(0, descending)",
    lambda t: t.sort(0, True).values,
    lambda t: t.sort(dim=0, descending=True, stable=True).values,
)
case("take", lambda t: t.take(IDX), lambda t: t.take(T(IDX)))
case("take_along_dim(1)", lambda t: t.take_along_dim(ALONG, 1), lambda t: t.take_along_dim(T(ALONG), 1))
case("take_along_dim(None)", lambda t: t.take_along_dim(IDX), lambda t: t.take_along_dim(T(IDX)))
case(
    "repeat_interleave(counts, 0)",
    lambda t: t.repeat_interleave([2, 0, 1], 0),
    lambda t: t.repeat_interleave(T([2, 0, 1]), 0),
)

# -- numpy's spellings against torch's equivalents
for spelling, ours, theirs, shape in [
    ("np.ravel", np.ravel, torch.ravel, (3, 4, 5)),
    ("np.flip", np.flip, lambda t: t.flip(0, 1, 2), (3, 4, 5)),
    ("np.flip(axis=1)", lambda t: np.flip(t, 1), lambda t: t.flip(1), (3, 4, 5)),
    ("np.fliplr", np.fliplr, torch.fliplr, (3, 4, 5)),
    ("np.flipud", np.flipud, torch.flipud, (3, 4, 5)),
    ("np.roll", lambda t: np.roll(t, -3), lambda t: t.roll(-3), (3, 4, 5)),
    ("np.roll(axis=(0, 0))", lambda t: np.roll(t, (1, 2), (0, 0)), lambda t: t.roll(3, 0), (3, 4, 5)),
    ("np.rot90", lambda t: np.rot90(t, 2, (1, 2)), lambda t: t.rot90(2, (1, 2)), (3, 4, 5)),
    ("np.tril", lambda t: np.tril(t, 1), lambda t: t.tril(1), (3, 4, 5)),
    ("np.triu", lambda t: np.triu(t, -1), lambda t: t.triu(-1), (3, 4, 5)),
    ("np.tril of a vector", np.tril, lambda t: t.expand(4, 4).tril(), (4,)),
    ("np.triu of a vector", lambda t: np.triu(t, 1), lambda t: t.expand(4, 4).triu(1), (4,)),
    ("np.diag", lambda t: np.diag(t, -1), lambda t: t.diag(-1), (4, 5)),
    ("np.diagonal", lambda t: np.diagonal(t, 1, 2, 0), lambda t: t.diagonal(1, 2, 0), (3, 4, 5)),
    ("np.repeat", lambda t: np.repeat(t, 2), lambda t: t.ravel().repeat_interleave(2), (3, 4, 5)),
    (
        "np.repeat(axis=1)",
        lambda t: np.repeat(t, [1, 0, 2, 1], 1),
        lambda t: t.repeat_interleave(T([1, 0, 2, 1]), 1),
        (3, 4, 5),
    ),
    ("np.tile", lambda t: np.tile(t, 2), lambda t: t.tile((2,)), (3, 4, 5)),
    ("np.tile(reps longer)", lambda t: np.tile(t, (2, 1, 1, 1)), lambda t: t.tile((2, 1, 1, 1)), (3, 4, 5)),
    ("np.split", lambda t: np.split(t, 2, 1), lambda t: t.tensor_split(2, 1), (3, 4, 5)),
    ("np.split(indices)", lambda t: np.split(t, [1, 3], 2), lambda t: t.tensor_split([1, 3], 2), (3, 4, 5)),
    ("np.array_split", lambda t: np.array_split(t, 3, 1), lambda t: t.tensor_split(3, 1), (3, 4, 5)),
    ("np.hsplit", lambda t: np.hsplit(t, 2), lambda t: t.hsplit(2), (3, 4, 5)),
    ("np.vsplit", lambda t: np.vsplit(t, [2]), lambda t: t.vsplit([2]), (3, 4, 5)),
    ("np.dsplit", lambda t: np.dsplit(t, 5), lambda t: t.dsplit(5), (3, 4, 5)),
    ("np.hstack", lambda t: np.hstack([t, 2 * t]), lambda t: torch.hstack([t, 2 * t]), (3, 4, 5)),
    (
        "np.hstack of vectors",
        lambda t: np.hstack([t, t[1:], t[0]]),
        lambda t: torch.hstack([t, t[1:], t[0]]),
        (4,),
    ),
    ("np.vstack", lambda t: np.vstack([t[0], t]), lambda t: torch.vstack([t[0], t]), (3, 4)),
    ("np.row_stack", lambda t: _row_stack([t, t]), lambda t: torch.row_stack([t, t]), (4,)),
    ("np.dstack", lambda t: np.dstack([t[0], t[1]]), lambda t: torch.dstack([t[0], t[1]]), (3, 4)),
    (
        "np.column_stack",
        lambda t: np.column_stack([t[0], t[1], t.T]),
        lambda t: torch.column_stack([t[0], t[1], t.T]),
        (4, 2),
    ),
    ("np.atleast_1d", lambda t: np.atleast_1d(t[0, 0], t), lambda t: torch.atleast_1d(t[0, 0], t), (3, 4)),
    (
        "np.atleast_2d",
        lambda t: np.atleast_2d(t[0], t[0, 0]),
        lambda t: torch.atleast_2d(t[0], t[0, 0]),
        (3, 4),
    ),
    (
        "np.atleast_3d",
        lambda t: np.atleast_3d(t, t[0], t[0, 0]),
        lambda t: torch.atleast_3d(t, t[0], t[0, 0]),
        (3, 4),
    ),
    ("np.sort", lambda t: np.sort(t, 1), lambda t: t.sort(dim=1, stable=True).values, (3, 4, 5)),
    (
        "np.sort(axis=None)",
        lambda t: np.sort(t, axis=None),
        lambda t: t.ravel().sort(stable=True).values,
        (3, 4, 5),
    ),
    ("np.take", lambda t: np.take(t, IDX), lambda t: t.ravel()[T(IDX)], (3, 4, 5)),
    ("np.take(axis=1)", lambda t: np.take(t, IDX, axis=1), lambda t: t[:, T(IDX)], (3, 4, 5)),
    (
        "np.take(mode=wrap)",
        lambda t: np.take(t, [5, -7], axis=1, mode="wrap"),
        lambda t: t[:, [1, 1]],
        (3, 4, 5),
    ),
    (
        "np.take(mode=clip)",
        lambda t: np.take(t, [5, -7], axis=1, mode="clip"),
        lambda t: t[:, [3, 0]],
        (3, 4, 5),
    ),
    (
        "np.take_along_axis",
        lambda t: np.take_along_axis(t, ALONG, 1),
        lambda t: t.take_along_dim(T(ALONG), 1),
        (3, 4, 5),
    ),
    (
        "np.moveaxis",
        lambda t: np.moveaxis(t, [0, 2], [1, 0]),
        lambda t: torch.moveaxis(t, [0, 2], [1, 0]),
        (3, 4, 5),
    ),
    ("np.swapaxes", lambda t: np.swapaxes(t, -1, 0), lambda t: torch.swapaxes(t, -1, 0), (3, 4, 5)),
    ("np.rollaxis", lambda t: np.rollaxis(t, 2), lambda t: t.permute(2, 0, 1), (3, 4, 5)),
    ("np.rollaxis(start=3)", lambda t: np.rollaxis(t, 0, 3), lambda t: t.permute(1, 2, 0), (3, 4, 5)),
    ("np.expand_dims", lambda t: np.expand_dims(t, (0, 3)), lambda t: t.unsqueeze(0).unsqueeze(3), (3, 4, 5)),
    (
        "np.broadcast_to",
        lambda t: np.broadcast_to(t, (2, 3, 4, 5)),
        lambda t: t.expand(2, 3, 4, 5),
        (3, 4, 5),
    ),
    ("np.append", lambda t: np.append(t, t[0]), lambda t: torch.cat([t.ravel(), t[0].ravel()]), (3, 4, 5)),
    ("np.append(axis=0)", lambda t: np.append(t, t[:1], 0), lambda t: torch.cat([t, t[:1]], 0), (3, 4, 5)),
    (
        "np.select",
        lambda t: np.select([COND, COND2], [t, 2 * t], -1.5),
        lambda t: _select_torch(t),
        (3, 4, 5),
    ),
    (
        "np.pad constant",
        lambda t: np.pad(t, ((1, 0), (0, 2), (3, 1)), constant_values=1.5),
        lambda t: TF.pad(t, (3, 1, 0, 2, 1, 0), value=1.5),
        (3, 4, 5),
    ),
    (
        "np.pad edge",
        lambda t: np.pad(t, ((0, 0), (2, 1), (3, 4)), "edge"),
        lambda t: TF.pad(t, (3, 4, 2, 1), "replicate"),
        (3, 4, 5),
    ),
    (
        "np.pad reflect",
        lambda t: np.pad(t, ((0, 0), (3, 1), (4, 2)), "reflect"),
        lambda t: TF.pad(t, (4, 2, 3, 1), "reflect"),
        (3, 4, 5),
    ),
    (
        "np.pad constant 0",
        lambda t: np.pad(t, ((0, 0), (4, 1), (2, 5))),
        lambda t: TF.pad(t, (2, 5, 4, 1)),
        (3, 4, 5),
    ),
    (
        "np.pad wrap (circular)",
        lambda t: np.pad(t, ((0, 0), (4, 1), (2, 5)), "wrap"),
        lambda t: TF.pad(t, (2, 5, 4, 1), "circular"),
        (3, 4, 5),
    ),
    (
        "F.pad negative",
        lambda t: ag.nn.functional.pad(t, (2, -1, -3, 1), "reflect"),
        lambda t: TF.pad(t, (2, -1, -3, 1), "reflect"),
        (3, 4, 5),
    ),
    (
        "F.pad circular crop",
        lambda t: ag.nn.functional.pad(t, (2, -1), "circular"),
        lambda t: TF.pad(t, (2, -1), "circular"),
        (3, 4, 5),
    ),
    ("np.astype", lambda t: np.astype(t, np.float32), lambda t: t.to(torch.float32), (3, 4, 5)),
    ("astype(float64)", lambda t: t.astype("float64"), lambda t: t.to(torch.float64), (3, 4, 5)),
    ("ag.vstack", lambda t: ag.vstack([t, t]), lambda t: torch.vstack([t, t]), (3, 4)),
]:
    case(spelling, ours, theirs, shape)

RNG0 = np.random.default_rng(7)
COND, COND2 = RNG0.random((3, 4, 5)) < 0.3, RNG0.random((4, 5)) < 0.5


def _select_torch(t: torch.Tensor) -> torch.Tensor:
    return torch.where(T(COND), t, torch.where(T(COND2), 2 * t, T(-1.5, dtype=torch.float64)))


def _row_stack(parts: Any) -> Any:
    with warnings.catch_warnings():  # (numpy 2 deprecates the alias of vstack)
        warnings.simplefilter("ignore", DeprecationWarning)
        return np.row_stack(parts)


# ----------------------------------------------------------------------------- the check
def _flat(result: Any) -> list[Any]:
    if isinstance(result, (list, tuple)):
        return [x for r in result for x in _flat(r)]
    return [result]


def _numbers(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return np.zeros(x.shape) if x._is_zerotensor() else x.detach().double().numpy()
    return np.asarray(x.data if isinstance(x, Tensor) else x, dtype=np.float64)


def _same(ours: list[Any], theirs: list[Any], what: str, rtol: float, finite_only: bool = False) -> None:
    """Equal results (nan where torch has nan); ``finite_only``: where torch's are finite (second
    derivatives at inf and nan inputs, where the order of 0 · inf and inf - inf terms differs, as in
    the second-order fuzzer)."""
    assert len(ours) == len(theirs), f"{what}: {len(ours)} results, torch {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        a, b = _numbers(a), _numbers(b)
        assert a.shape == b.shape, f"{what}[{i}]: shape {a.shape}, torch {b.shape}"
        if finite_only:
            a, b = np.where(np.isfinite(b), a, 0.0), np.where(np.isfinite(b), b, 0.0)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol, equal_nan=True, err_msg=f"{what}[{i}]")


def check(ours: Callable[[Any], Any], theirs: Callable[[Any], Any], x: np.ndarray, seed: int = 0) -> None:
    """Values, first and second derivatives of ``ours(x³)`` against torch's ``theirs(x³)``."""
    rng = np.random.default_rng(seed)
    xs, xt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    outs, refs = _flat(ours(xs * xs * xs)), _flat(theirs(xt * xt * xt))
    rtol = 1e-6 if any(_numbers(o).dtype == np.float32 or o.dtype == np.float32 for o in outs) else 1e-12
    _same(outs, refs, "values", rtol)
    assert all(isinstance(o, Tensor) and o.requires_grad for o in outs), "the graph was dropped"
    us = [rng.normal(size=o.shape) for o in outs]
    ut = [torch.tensor(u, dtype=r.dtype, requires_grad=True) for u, r in zip(us, refs)]
    us = [Tensor(u, requires_grad=True, dtype=o.dtype) for u, o in zip(us, outs)]
    (g,) = ag.grad(outs, [xs], us, create_graph=True, allow_unused=True, materialize_grads=True)
    (gt,) = torch.autograd.grad(refs, [xt], ut, create_graph=True, allow_unused=True, materialize_grads=True)
    _same([g], [gt], "first derivative", rtol)
    assert g.dtype == x.dtype, f"the gradient's dtype {g.dtype} is not the input's {x.dtype}"
    v = rng.normal(size=x.shape)
    second = ag.grad([g], [xs, *us], [Tensor(v)], allow_unused=True, materialize_grads=True)
    second_t = torch.autograd.grad(
        [gt], [xt, *ut], [torch.tensor(v)], allow_unused=True, materialize_grads=True
    )
    finite = all(np.isfinite(_numbers(o)).all() for o in outs)
    _same(list(second), list(second_t), "second derivative", rtol, finite_only=not finite)


def _edges(shape: tuple[int, ...], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=shape)
    spots = rng.random(shape)
    x[spots < 0.3] = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0], size=int((spots < 0.3).sum()))
    return x


@pytest.mark.parametrize("inputs", ["normal", "non-finite"])
@pytest.mark.parametrize("name", list(CASES))
def test_against_torch_to_second_order(name: str, inputs: str) -> None:
    ours, theirs, shape = CASES[name]
    if inputs == "non-finite" and "sort" in name:  # (nan and inf are sorted as torch sorts them: see below)
        pytest.skip("sort's positions of nan are checked in test_sort_puts_nan_where_torch_does")
    x = (
        np.random.default_rng(len(name)).normal(size=shape)
        if inputs == "normal"
        else _edges(shape, len(name))
    )
    check(ours, theirs, x)


# 0-d and empty inputs: (ours, theirs, shape)
EDGE_SHAPES = {
    "ravel 0-d": (lambda t: t.ravel(), None, ()),
    "flip 0-d": (lambda t: t.flip(()), None, ()),
    "np.flip 0-d": (np.flip, lambda t: t.flip(()), ()),
    "sort 0-d": (lambda t: t.sort().values, lambda t: t.sort(stable=True).values, ()),
    "take 0-d": (lambda t: t.take(np.array([0, 0])), lambda t: t.take(T([0, 0])), ()),
    "tile 0-d": (lambda t: t.tile((2, 3)), None, ()),
    "repeat_interleave 0-d": (lambda t: t.repeat_interleave(3), None, ()),
    "broadcast_to 0-d": (lambda t: t.broadcast_to((2, 3)), None, ()),
    "atleast_3d 0-d": (np.atleast_3d, torch.atleast_3d, ()),
    "np.pad 0-d": (lambda t: np.pad(t, 2), lambda t: t * 1, ()),
    "flip empty": (lambda t: t.flip(0, 1), None, (0, 3)),
    "roll empty": (lambda t: t.roll(2, 0), None, (0, 3)),
    "roll along empty rows": (lambda t: t.roll(2, 1), None, (0, 3)),
    "tril empty": (lambda t: t.tril(), None, (2, 0, 3)),
    "diagonal empty": (lambda t: t.diagonal(), None, (0, 3)),
    "diag empty vector": (lambda t: t.diag(1), None, (0,)),
    "repeat empty": (lambda t: t.repeat(2, 2), None, (0, 3)),
    "repeat_interleave empty": (lambda t: t.repeat_interleave(2, 1), None, (0, 3)),
    "split empty": (lambda t: t.split(2), None, (0, 3)),
    "tensor_split empty": (lambda t: t.tensor_split(3, 1), None, (2, 0)),
    "sort empty": (lambda t: t.sort(0).values, lambda t: t.sort(dim=0, stable=True).values, (0, 3)),
    "take_along_dim empty": (
        lambda t: t.take_along_dim(np.zeros((0, 3), int), 0),
        lambda t: t.take_along_dim(torch.zeros((0, 3), dtype=torch.long), 0),
        (0, 3),
    ),
    "np.pad constant empty": (lambda t: np.pad(t, 1), lambda t: TF.pad(t, (1, 1, 1, 1)), (0, 3)),
    "np.hstack empty": (lambda t: np.hstack([t, t]), lambda t: torch.hstack([t, t]), (0, 3)),
}


@pytest.mark.parametrize("name", list(EDGE_SHAPES))
def test_0d_and_empty_against_torch(name: str) -> None:
    ours, theirs, shape = EDGE_SHAPES[name]
    check(ours, ours if theirs is None else theirs, np.random.default_rng(0).normal(size=shape))


def test_sort_puts_nan_where_torch_does() -> None:
    x = np.array([[1.0, np.nan, -np.inf, 0.0, -0.0, np.inf, 1.0, np.nan, -2.0]] * 2)
    x[1] = x[1, ::-1]
    for descending in (False, True):
        check(
            lambda t, d=descending: t.sort(1, d).values,
            lambda t, d=descending: t.sort(dim=1, descending=d, stable=True).values,
            x,
        )
        ours = Tensor(x).sort(1, descending).indices
        np.testing.assert_array_equal(
            ours, torch.tensor(x).sort(dim=1, descending=descending, stable=True).indices.numpy()
        )
        np.testing.assert_array_equal(Tensor(x).argsort(1, descending), ours)


def test_the_check_catches_a_wrong_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Taking ints and slices for a plain store in scatter_add (the gradient of indexing) would
    drop repeated positions' sums: with that fast path wrongly applied to index arrays too,
    take's first derivative is caught, flip's (slices) is not affected."""
    ours, theirs, shape = CASES["take"]
    x = np.random.default_rng(1).normal(size=shape)
    monkeypatch.setattr(primitive, "_basic", lambda index: True)
    with pytest.raises(AssertionError, match="first derivative"):
        check(ours, theirs, x)
    check(*CASES["flip(0, 2)"][:2], x)


def test_the_check_catches_a_wrong_second_derivative(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong rule in the VJP of scatter_add (run only when a gradient is differentiated) is
    caught at second order, not before."""
    prim = ag.ops.SCATTER_ADD
    wrong = (lambda ns, g, out, a, index, shape: 2 * ns.getitem(g, index),)
    monkeypatch.setattr(prim, "vjps", wrong)
    ours, theirs, shape = CASES["flip(0, 2)"]
    with pytest.raises(AssertionError, match="second derivative"):
        check(ours, theirs, np.random.default_rng(2).normal(size=shape))


# ----------------------------------------------------------------------------- numpy's values
NUMPY = {
    "flip": lambda m: np.flip(m),
    "roll": lambda m: np.roll(m, (1, -1), (0, 1)),
    "rot90": lambda m: np.rot90(m, 3, (1, 0)),
    "rollaxis": lambda m: np.rollaxis(m, 0, 2),
    "expand_dims": lambda m: np.expand_dims(m, (0, 3)),
    "atleast_3d": lambda m: np.atleast_3d(m[0]),
    "diag": lambda m: np.diag(m[0], -1),
    "tril": lambda m: np.tril(m[0], 1),
    "sort": lambda m: np.sort(m[::-1] * np.array([1, -1, 1, -1.0])),
    "take wrap": lambda m: np.take(m, [5, -7], axis=1, mode="wrap"),
    "take_along_axis": lambda m: np.take_along_axis(m, np.array([0, 3]), None),
    "repeat": lambda m: np.repeat(m, [1, 0, 2], 0),
    "tile": lambda m: np.tile(m, (2, 1, 2)),
    "split": lambda m: np.split(m, [1, 5], 1),
    "array_split": lambda m: np.array_split(m, 3, 1),
    "hstack": lambda m: np.hstack([m[0], M[0], m[1, 1]]),
    "column_stack": lambda m: np.column_stack([m[0], M[1]]),
    "vstack of one array": lambda m: np.vstack(m),
    "select": lambda m: np.select([M > 5, M > 2], [m, 2 * m], -1.0),
    "pad constant pairs": lambda m: np.pad(m, ((1, 2), (0, 3)), constant_values=((1, 2), (3, 4))),
    "pad reflect, wider than the array": lambda m: np.pad(m, (5, 7), "reflect"),
    "pad symmetric, wider than the array": lambda m: np.pad(m, (5, 9), "symmetric"),
    "pad wrap, wider than the array": lambda m: np.pad(m, ((9, 2), (1, 6)), "wrap"),
    "pad reflect of length 1": lambda m: np.pad(m[:1], (3, 2), "reflect"),
    "pad symmetric of length 1": lambda m: np.pad(m[:, :1], (3, 4), "symmetric"),
}
M = np.arange(12.0).reshape(3, 4)


@pytest.mark.parametrize("name", list(NUMPY))
def test_numpy_spellings_give_numpys_values(name: str) -> None:
    expected, got = NUMPY[name](M), NUMPY[name](Tensor(M, requires_grad=True))
    for e, g in zip(_flat(expected), _flat(got), strict=True):
        assert isinstance(g, Tensor) and g.requires_grad
        assert e.shape == g.shape and np.array_equal(e, g.data), (e, g.data)


def test_pad_gradient_reaches_each_source_position_as_often_as_it_is_read() -> None:
    x = Tensor(np.arange(4.0), requires_grad=True)
    for mode, counts in {
        "edge": [4, 1, 1, 3],
        "reflect": [1, 3, 3, 2],
        "symmetric": [2, 2, 3, 2],
        "wrap": [2, 3, 2, 2],
    }.items():
        x.grad = None
        np.pad(x, (3, 2), mode).sum().backward()
        assert x.grad.tolist() == counts, (mode, x.grad)


# ----------------------------------------------------------------------------- ValueArray
VALUE_ARRAY = [
    "flip(0, 2)",
    "roll((1, -2), (0, 2))",
    "rot90(3, (2, 0))",
    "tril(-1)",
    "diagonal(1, 0, 2)",
    "repeat(2, 1, 3)",
    "repeat_interleave(3, 1)",
    "split([1, 3], 1)",
    "moveaxis((0, 1), (2, 0))",
    "expand(-1, 3, -1)",
    "sort(0, descending)",
    "take",
    "take_along_dim(1)",
    "diag(2) of a vector",
]


@pytest.mark.parametrize("name", VALUE_ARRAY)
def test_the_same_methods_on_value_arrays(name: str) -> None:
    ours, _, shape = CASES[name]
    x = np.random.default_rng(3).normal(size=shape)
    t, va = Tensor(x, requires_grad=True), ValueArray(x)
    outs, vouts = _flat(ours(t)), _flat(ours(va))
    total, vtotal = 0.0, 0.0
    for k, (o, vo) in enumerate(zip(outs, vouts, strict=True)):
        assert isinstance(vo, ValueArray) and np.array_equal(o.data, vo.data)
        w = np.arange(o.data.size, dtype=float).reshape(o.shape) + k
        total, vtotal = total + (o * w).sum(), vtotal + (vo * w).sum()
    total.backward()
    vtotal.backward()
    np.testing.assert_array_equal(va.grad, t.grad)


def test_value_array_astype_keeps_float64() -> None:
    va = ValueArray([1.0, 2.0])
    assert va.astype(np.float64).data.tolist() == [1.0, 2.0]
    with pytest.raises(TypeError, match="astype: a ValueArray holds float64 Values, got dtype float32"):
        va.astype(np.float32)


# ----------------------------------------------------------------------------- errors
ERRORS = {
    "flip(3)": (
        lambda t: t.flip(3),
        ValueError,
        r"flip: axis 3 is out of range for an array with 3 dimension",
    ),
    "flip(0, 0)": (lambda t: t.flip(0, 0), ValueError, r"flip: repeated axis in \(0, 0\)"),
    "flip(dims, axis)": (lambda t: t.flip(dims=0, axis=1), TypeError, r"flip: got both dims=0 and axis=1"),
    "roll pairs": (
        lambda t: t.roll((1, 2, 3), (0, 1)),
        ValueError,
        r"roll: shifts \(1, 2, 3\) and dims \(0, 1\) do not pair",
    ),
    "roll float": (lambda t: t.roll(1.5, 0), TypeError, r"roll: shifts must be an int, got float 1.5"),
    "rot90 one axis": (lambda t: t.rot90(1, (0,)), ValueError, r"rot90: dims must be two axes"),
    "rot90 same axes": (lambda t: t.rot90(1, (1, -2)), ValueError, r"rot90: dims must be two different axes"),
    "tril 0-d": (lambda t: t[0, 0, 0].tril(), ValueError, r"tril: expected an array of at least 1 dimension"),
    "diag 3-d": (lambda t: t.diag(), ValueError, r"diag: expected a 1-d or 2-d array, got 3 dimensions"),
    "diagonal same axes": (lambda t: t.diagonal(0, 1, 1), ValueError, r"diagonal: the two axes must differ"),
    "repeat too few": (
        lambda t: t.repeat(2, 2),
        RuntimeError,
        r"repeat dims can not be smaller than number of dimensions of tensor \(got 2.*repeat_interleave",
    ),
    "repeat negative": (lambda t: t.repeat(2, -1, 1), TypeError, r"repeat: sizes must be non-negative ints"),
    "repeat_interleave counts": (
        lambda t: t.repeat_interleave([1, 2], 0),
        ValueError,
        r"expected an int or 3 counts, got shape \(2,\)",
    ),
    "repeat_interleave negative": (
        lambda t: t.repeat_interleave(-1, 0),
        ValueError,
        r"repeats must be non-negative",
    ),
    "split sizes": (
        lambda t: t.split([1, 1], 0),
        ValueError,
        r"split: the sizes \(1, 1\) must add up to the length 3",
    ),
    "np.split unequal": (
        lambda t: np.split(t, 2, 0),
        ValueError,
        r"split: an axis of length 3 does not split into 2 equal",
    ),
    "vsplit 1-d": (
        lambda t: t[0, 0].vsplit(2),
        ValueError,
        r"vsplit: expected an array of at least 2 dimension",
    ),
    "moveaxis lengths": (
        lambda t: t.moveaxis((0, 1), 2),
        ValueError,
        r"moveaxis: source \(0, 1\) and destination 2 differ",
    ),
    "broadcast_to": (
        lambda t: t.broadcast_to((3, 5, 5)),
        ValueError,
        r"broadcast_to: cannot broadcast shape \(3, 4, 5\) to \(3, 5, 5\)",
    ),
    "expand too few": (
        lambda t: t.expand(4, 5),
        RuntimeError,
        r"expand: the number of sizes provided \(2\) must be greater or equal to the number of dimensions",
    ),
    "take float Tensor indices": (
        lambda t: t.take(Tensor([0.0])),
        TypeError,
        r"take: indices must be integers .* got a Tensor of dtype float64",
    ),
    "take float indices": (
        lambda t: t.take([0.5]),
        TypeError,
        r"take: indices must be integers, got dtype float64",
    ),
    "take mode": (
        lambda t: t.take([0], mode="nearest"),
        ValueError,
        r'take: mode must be "raise", "wrap" or "clip"',
    ),
    "take out of range": (
        lambda t: t.take([60]),
        IndexError,
        r"Tensor op 'getitem'.*index 60 is out of bounds",
    ),
    "take_along_dim ndim": (
        lambda t: t.take_along_dim(np.zeros(3, int), 0),
        ValueError,
        r"take_along_dim: indices must have as many dimensions as the array \(3\)",
    ),
    "astype int": (
        lambda t: t.astype(int),
        TypeError,
        r"astype: dtype must be float32 or float64, got <class 'int'>",
    ),
    "np.pad negative": (lambda t: np.pad(t, -1), ValueError, r"numpy.pad: pad_width must be non-negative"),
    "np.pad float width": (lambda t: np.pad(t, 1.5), TypeError, r"numpy.pad: pad_width must be ints"),
    "np.pad widths": (
        lambda t: np.pad(t, ((1, 2), (3, 4))),
        ValueError,
        r"numpy.pad: pad_width .* fits no array of 3 dimension",
    ),
    "np.pad mode": (
        lambda t: np.pad(t, 1, "mean"),
        TypeError,
        r"numpy.pad on a Tensor: mode 'mean' is not supported",
    ),
    "np.pad unknown mode": (
        lambda t: np.pad(t, 1, "mirror"),
        ValueError,
        r"numpy.pad: mode must be constant, edge",
    ),
    "np.pad option": (
        lambda t: np.pad(t, 1, "edge", constant_values=2),
        ValueError,
        r"unsupported keyword arguments for mode 'edge'",
    ),
    "np.pad empty axis": (
        lambda t: np.pad(t[:0], 1, "wrap"),
        ValueError,
        r"numpy.pad: cannot extend the empty axis 0 in mode 'wrap'",
    ),
    "np.pad Tensor constant": (
        lambda t: np.pad(t, 1, constant_values=t[0, 0, 0]),
        TypeError,
        r"constant_values must be numbers, got a Tensor",
    ),
    "np.select lengths": (
        lambda t: np.select([COND], [t, t]),
        ValueError,
        r"numpy.select: expected as many choices as conditions",
    ),
    "np.sort order": (
        lambda t: np.sort(t, order="a"),
        TypeError,
        r"numpy.sort on a Tensor: the option order='a'",
    ),
    "np.rollaxis start": (
        lambda t: np.rollaxis(t, 0, 5),
        ValueError,
        r"numpy.rollaxis: start must be in \[-3, 3\], got 5",
    ),
    "np.vstack of a number": (lambda t: np.vstack(t[0, 0, 0]), ValueError, r"need at least one array"),
    "vstack of a number": (
        lambda t: ag.vstack(t[0, 0, 0]),
        ValueError,
        r"vstack: expected an array of at least 1",
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_bad_arguments_get_clear_errors(name: str) -> None:
    fn, error, message = ERRORS[name]
    with pytest.raises(error, match=message):
        fn(Tensor(np.zeros((3, 4, 5)), requires_grad=True))


def test_the_fuzzer_exercises_these_ops_and_catches_a_wrong_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The differential fuzzer (fuzz_programs.py's shape and selection block) runs every op of the
    block, and a roll that shifts one place too far is caught there."""
    from fuzz_programs import LAYOUT_OPS, tensor_program
    from test_fuzz_vs_torch import Tally, fuzz_arrays

    seen = set()
    for seed in range(4000):  # (every op drawn by seed 2087, with the scatter family's 21)
        rng = np.random.default_rng(seed)
        seen |= {op[1] for op in tensor_program(rng, rng.random() < 0.1)["ops"] if op[0] == "layout"}
    assert seen == set(LAYOUT_OPS)
    roll = ShapeOps.roll
    monkeypatch.setattr(ShapeOps, "roll", lambda self, shifts, dims=None: roll(self, np.add(shifts, 1), dims))
    tally = Tally()
    # (roll among a few layout ops: in the mixed programs it is one of ~160, drawn a few times in 1000)
    fuzz_arrays("tensor", range(200), tally, ["roll", "flip", "tril"])
    assert tally.failures and all("roll" in f for f in tally.failures), tally.failures[:3]
