"""A differential sweep of the reductions against torch: every reduction of the torch namespace
that is here, over dims None / int / negative / tuple, keepdim, on 0-d, empty, nan/inf and
bool/integer/float32/float64 inputs. Each case compares the error class (when torch raises), or
the dtype, shape and values, and for float64 inputs the gradient of the sum of the outputs.

torch runs with float64 as its default dtype here (this library's default), so an integer input
promoted to a float is float64 on both sides. The cases that still differ are listed in
``KNOWN`` with the reason; the test asserts they still differ, so a fix shows."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag

NAN, INF = float("nan"), float("inf")


def _inputs() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    m = rng.normal(size=(3, 4))
    m[0, 1], m[2, 3], m[1, 0] = NAN, INF, -INF
    ties = np.array([[1.0, 3.0, 3.0, 0.5], [2.0, 2.0, 2.0, 2.0], [NAN, NAN, NAN, NAN]])
    ints = rng.integers(-90, 90, size=(3, 4))
    cases = {
        "f64": rng.normal(size=(3, 4)),
        "f64-naninf": m,
        "f64-ties-nanrow": ties,
        "f32": rng.normal(size=(3, 4)).astype(np.float32),
        "f64-0d": np.array(1.5),
        "f64-0d-nan": np.array(NAN),
        "f64-empty": np.zeros((0, 3)),
        "f64-1d": rng.normal(size=5),
        "i64": ints,
        "i32": ints.astype(np.int32),
        "i16": ints.astype(np.int16),
        "i8": ints.astype(np.int8),
        "u8": np.abs(ints).astype(np.uint8) + 100,
        "bool": ints > 0,
        "i64-0d": np.array(7),
        "i64-empty": np.zeros((2, 0), np.int64),
    }
    return cases


INPUTS = _inputs()
DIMS: list[dict[str, Any]] = [
    {},
    {"dim": 0},
    {"dim": -1},
    {"dim": (0, 1)},
    {"dim": (-1, 0)},
    {"dim": 1, "keepdim": True},
    {"dim": (0,), "keepdim": True},
    {"dim": 5},
]
ONE_DIM = [{"dim": 0}, {"dim": -1}, {"dim": 5}]


def _lib_fn(lib: Any, path: str) -> Callable[..., Any]:
    fn: Any = lib
    for part in path.split("."):
        fn = getattr(fn, part)
    return fn


#: (name, the torch function's path, the forms of its dim arguments, extra keywords)
OPS: list[tuple[str, str, list[dict[str, Any]], dict[str, Any]]] = [
    ("sum", "sum", DIMS, {}),
    ("nansum", "nansum", DIMS, {}),
    ("mean", "mean", DIMS, {}),
    ("nanmean", "nanmean", DIMS, {}),
    ("prod", "prod", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}, {"dim": 5}], {}),
    ("amax", "amax", DIMS, {}),
    ("amin", "amin", DIMS, {}),
    ("max", "max", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("min", "min", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("argmax", "argmax", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("argmin", "argmin", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("all", "all", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("any", "any", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("count_nonzero", "count_nonzero", [{}, {"dim": 0}, {"dim": (0, 1)}], {}),
    ("logsumexp", "logsumexp", DIMS[1:], {}),
    ("std", "std", DIMS, {}),
    ("var", "var", DIMS, {}),
    ("var-c0", "var", [{}, {"dim": 1}], {"correction": 0}),
    ("std_mean", "std_mean", [{}, {"dim": 0}], {}),
    ("var_mean", "var_mean", [{}, {"dim": 0}], {}),
    ("median", "median", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("nanmedian", "nanmedian", [{}, {"dim": 0}], {}),
    ("mode", "mode", [{}, {"dim": 0}], {}),
    ("aminmax", "aminmax", [{}, {"dim": 0}, {"dim": -1, "keepdim": True}], {}),
    ("norm", "norm", [{}, {"dim": 0}, {"dim": (0, 1)}], {}),
    ("vector_norm", "linalg.vector_norm", [{}, {"dim": -1}, {"dim": (0, 1), "keepdim": True}], {}),
    ("vector_norm-1", "linalg.vector_norm", [{}, {"dim": 0}], {"ord": 1}),
    ("vector_norm-inf", "linalg.vector_norm", [{}, {"dim": 0}], {"ord": INF}),
    ("cumsum", "cumsum", ONE_DIM, {}),
    ("cumprod", "cumprod", ONE_DIM, {}),
    ("cummax", "cummax", ONE_DIM, {}),
    ("cummin", "cummin", ONE_DIM, {}),
    ("logcumsumexp", "logcumsumexp", ONE_DIM, {}),
    ("softmax", "softmax", ONE_DIM, {}),
    ("log_softmax", "log_softmax", ONE_DIM, {}),
    ("quantile", "quantile", [{}, {"dim": 0}], {"q": 0.3}),
    ("nanquantile", "nanquantile", [{}, {"dim": 0}], {"q": 0.3}),
    ("special.logsumexp", "special.logsumexp", ONE_DIM, {}),
]


def _cases() -> Iterator[Any]:
    for name, path, dims, extra in OPS:
        for d in dims:
            for key in INPUTS:
                yield pytest.param(name, path, d, extra, key, id=f"{name}-{key}-{_dims_id(d)}")


def _dims_id(d: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in d.items()).replace(" ", "") or "all"


def _outputs(r: Any) -> list[Any]:
    return list(r) if isinstance(r, tuple) else [r]


def _run(lib: Any, path: str, d: dict[str, Any], extra: dict[str, Any], data: np.ndarray) -> Any:
    """(outputs as arrays, the input's gradient or None) or the exception raised."""
    grad = data.dtype == np.float64
    x = torch.tensor(data, requires_grad=grad) if lib is torch else ag.tensor(data, requires_grad=grad)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = _outputs(_lib_fn(lib, path)(x, **d, **extra))
            floats = [o for o in out if o.dtype in (torch.float64, torch.float32, ag.float64, ag.float32)]
            g = None
            if grad and floats and any(o.requires_grad for o in floats):
                total = sum(o.sum() for o in floats if o.requires_grad)
                total.backward()
                g = x.grad
    except Exception as e:  # noqa: BLE001 (the class is what is compared)
        return e
    arrays = [o.detach().numpy() if lib is torch else np.asarray(o.data) for o in out]
    return arrays, None if g is None else (g.numpy() if lib is torch else np.asarray(g.data))


def _difference(theirs: Any, mine: Any) -> str | None:
    if isinstance(theirs, Exception) or isinstance(mine, Exception):
        if not isinstance(theirs, Exception):
            return f"raises {type(mine).__name__}: {mine}; torch does not"
        if not isinstance(mine, Exception):
            return f"torch raises {type(theirs).__name__}: {theirs}"
        if not isinstance(mine, type(theirs)):
            return f"{type(mine).__name__} ({mine}), torch's {type(theirs).__name__} ({theirs})"
        return None
    (t_out, t_grad), (m_out, m_grad) = theirs, mine
    if len(t_out) != len(m_out):
        return f"{len(m_out)} outputs, torch's {len(t_out)}"
    for t, m in zip(t_out, m_out):
        if t.dtype != m.dtype or t.shape != m.shape:
            return f"{m.dtype}{m.shape}, torch's {t.dtype}{t.shape}"
        if t.dtype.kind == "f":
            if not np.allclose(
                m, t, rtol=1e-5, atol=1e-6 if t.dtype == np.float32 else 1e-12, equal_nan=True
            ):
                return f"values {m}, torch's {t}"
        elif not np.array_equal(m, t):
            return f"values {m}, torch's {t}"
    if (t_grad is None) != (m_grad is None):
        return f"gradient {m_grad}, torch's {t_grad}"
    if t_grad is not None and not np.allclose(m_grad, t_grad, rtol=1e-7, atol=1e-12, equal_nan=True):
        return f"gradient {m_grad}, torch's {t_grad}"
    return None


#: (name, input, dims id) -> why it still differs (none now: session 18 matched the last ones, see
#: tests/engine/test_var_rule_vs_torch.py and tests/engine/test_reduction_edges_vs_torch.py)
KNOWN: dict[tuple[str, str, str], str] = {}


def test_the_listed_differences_are_cases_of_the_sweep() -> None:
    cases = {(p.values[0], p.values[4], _dims_id(p.values[2])) for p in _cases()}
    assert set(KNOWN) <= cases, set(KNOWN) - cases


@pytest.fixture(scope="module", autouse=True)
def _torch_float64() -> Iterator[None]:
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


@pytest.mark.parametrize(("name", "path", "d", "extra", "key"), list(_cases()))
def test_reduction_as_torch(name: str, path: str, d: dict[str, Any], extra: dict[str, Any], key: str) -> None:
    data = INPUTS[key]
    diff = _difference(_run(torch, path, d, extra, data), _run(ag, path, d, extra, data))
    known = KNOWN.get((name, key, _dims_id(d)))
    if known is None:
        assert diff is None, diff
    else:
        assert diff is not None, f"listed as differing ({known}), now the same: remove it from KNOWN"


# ---------------------------------------------------------------------------- dtypes of sum-like reductions
INT_DTYPES = ["uint8", "int8", "int16", "int32", "int64", "bool"]
#: the sum-like reductions and scans, each as (torch's call, this library's call) of (lib, tensor, kwargs)
SUMMING: dict[str, Callable[..., Any]] = {
    "sum": lambda lib, t, **k: lib.sum(t, **k),
    "sum-dim": lambda lib, t, **k: t.sum(1, **k),
    "prod": lambda lib, t, **k: lib.prod(t, **k),
    "prod-dim": lambda lib, t, **k: t.prod(0, **k),
    "nansum": lambda lib, t, **k: lib.nansum(t, **k),
    "cumsum": lambda lib, t, **k: lib.cumsum(t, 1, **k),
    "cumprod": lambda lib, t, **k: t.cumprod(0, **k),
    "trace": lambda lib, t, **k: t.trace(),
}
_BIG = np.array([[120, -7, 100, 3], [90, 127, -128, 5], [2, 60, 99, -1]])


@pytest.mark.parametrize("op", list(SUMMING))
@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("out", [None, "int8", "int32", "int64", "float32", "float64", "bool"])
def test_integer_reductions_are_torchs(op: str, dtype: str, out: str | None) -> None:
    """Integers and bools sum (multiply) to int64, as torch's (numpy: uint8 sums to uint64, an int32
    trace stays int32); with ``dtype=``, the result is of it, wrapping as torch's sum in it does."""
    data = (_BIG > 0) if dtype == "bool" else _BIG.astype(dtype)
    kw: dict[str, Any] = {} if out is None else {"dtype": getattr(torch, out)}
    mine_kw: dict[str, Any] = {} if out is None else {"dtype": np.dtype(out)}
    if op == "trace" and out is not None:
        pytest.skip("torch.trace has no dtype argument")
    try:
        theirs = SUMMING[op](torch, torch.from_numpy(data.copy()), **kw)
    except (RuntimeError, NotImplementedError) as e:
        with pytest.raises(type(e)):
            SUMMING[op](ag, ag.tensor(data.copy()), **mine_kw)
        return
    mine = SUMMING[op](ag, ag.tensor(data.copy()), **mine_kw)
    assert str(mine.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_array_equal(np.asarray(mine.data), theirs.numpy())


def test_the_wrapping_and_counting_of_a_dtype() -> None:
    """sum(dtype=int8) wraps as torch's (100 + 100 = -56); dtype=bool is any, prod's all; an int32
    trace does not overflow (int64, as torch's)."""
    assert (
        ag.tensor([100, 100]).sum(dtype=np.int8).item()
        == -56
        == torch.tensor([100, 100]).sum(dtype=torch.int8)
    )
    flags = ag.tensor([True, True, False])
    assert ag.sum(flags, dtype=ag.bool).item() is True and ag.prod(flags, dtype=ag.bool).item() is False
    big = np.full((2, 2), 2**31 - 1, np.int32)
    assert ag.tensor(big).trace().item() == 2**32 - 2 == torch.from_numpy(big).trace().item()
    with pytest.raises(NotImplementedError, match="Bool"):
        ag.tensor([[True]]).trace()
    with pytest.raises(NotImplementedError, match="cumsum"):
        ag.cumsum(ag.tensor([1, 2]), 0, dtype=ag.bool)
    assert ag.tensor(True).cumsum(0).dtype == ag.int64  # (a 0-d bool too, as torch's)
    assert np.trace(ag.tensor([[True, False], [True, True]])).item() == 2  # (numpy's trace counts bools)


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_mean_of_integers_is_refused_as_torch(dtype: str) -> None:
    data = (_BIG > 0) if dtype == "bool" else _BIG.astype(dtype)
    for fn in ("mean", "nanmean"):
        for kw in ({}, {"dtype": "float64"}, {"dtype": "int64"}):
            t_kw = {k: getattr(torch, v) for k, v in kw.items()}
            try:
                theirs = getattr(torch, fn)(torch.from_numpy(data.copy()), **t_kw)
            except RuntimeError as e:
                with pytest.raises(RuntimeError) as caught:
                    getattr(ag, fn)(ag.tensor(data.copy()), **{k: np.dtype(v) for k, v in kw.items()})
                assert str(caught.value) == str(e)
                continue
            mine = getattr(ag, fn)(ag.tensor(data.copy()), **{k: np.dtype(v) for k, v in kw.items()})
            assert mine.dtype == np.float64 and np.isclose(mine.item(), theirs.item())


def test_mean_of_floats_with_an_integer_dtype_is_refused_as_torch() -> None:
    for fn in ("mean", "nanmean"):
        with pytest.raises(RuntimeError) as theirs:
            getattr(torch, fn)(torch.tensor([1.5, 2.5]), dtype=torch.int64)
        with pytest.raises(RuntimeError) as mine:
            getattr(ag, fn)(ag.tensor([1.5, 2.5]), dtype=ag.int64)
        assert str(mine.value) == str(theirs.value)


# ------------------------------------------------------------- nan gradients, first and second order
def _grads(lib: Any, fn: Callable[..., Any], data: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The value, the gradient g of y.sum() and the gradient of (g·g).sum() + y.sum() (second order;
    g itself where g is a constant of x, as torch's g of a max: no graph)."""
    x = lib.tensor(data, dtype=lib.float64, requires_grad=True)
    y = fn(lib, x)
    (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
    gg = lib.autograd.grad((g * g).sum() + y.sum(), x)[0] if g.requires_grad else g
    as_np = (lambda t: t.detach().numpy()) if lib is torch else (lambda t: np.asarray(t.data))
    return as_np(y), as_np(g), as_np(gg)


NAN_CASES: dict[str, tuple[Callable[..., Any], Any]] = {
    "nanmean-all-nan": (lambda lib, x: lib.nanmean(x), [NAN, NAN]),
    "nanmean-nan-row": (lambda lib, x: lib.nanmean(x, dim=1), [[NAN, NAN], [1.0, NAN], [2.0, 3.0]]),
    "nanmean-keepdim": (lambda lib, x: lib.nanmean(x * x, dim=0, keepdim=True), [[NAN, 1.0], [NAN, 2.0]]),
    "amax-0d-nan": (lambda lib, x: lib.amax(x), NAN),
    "amin-0d-nan": (lambda lib, x: lib.amin(x * x), NAN),
    "amax-0d-nan-dim": (lambda lib, x: lib.amax(x, dim=0), NAN),
    "amax-0d": (lambda lib, x: lib.amax(x * x), 1.5),
    "amin-0d-dim": (lambda lib, x: lib.amin(x * x, dim=-1, keepdim=True), 1.5),
    "max-0d-nan": (lambda lib, x: lib.max(x), NAN),
    "aminmax-0d-nan": (lambda lib, x: lib.aminmax(x)[0] + lib.aminmax(x * x)[1], NAN),
}


@pytest.mark.parametrize("case", list(NAN_CASES))
def test_nan_gradients_are_torchs(case: str) -> None:
    fn, data = NAN_CASES[case]
    mine, theirs = _grads(ag, fn, data), _grads(torch, fn, data)
    for m, t in zip(mine, theirs):
        np.testing.assert_allclose(m, t, equal_nan=True)


# ---------------------------------------------------------------------------- refusals and arguments
def test_mt_of_a_0d_tensor_is_itself_with_torchs_warning() -> None:
    x, tx = ag.tensor(2.0), torch.tensor(2.0)
    for name in ("mT", "mH"):
        with pytest.warns(UserWarning, match=f"Tensor.{name} is deprecated on 0-D tensors"):
            assert getattr(x, name) is x
        with pytest.warns(UserWarning):
            assert getattr(tx, name) is tx
        with pytest.raises(RuntimeError) as mine:
            getattr(ag.tensor([1.0, 2.0]), name)
        with pytest.raises(RuntimeError) as theirs:
            getattr(torch.tensor([1.0, 2.0]), name)
        assert str(mine.value) == str(theirs.value)


@pytest.mark.parametrize(
    ("have", "want"),
    [("float32", "float64"), ("float64", "float64"), ("float64", "float32"), ("float32", "int64")],
)
@pytest.mark.parametrize("ord", [2, 1, INF, 0.5])
def test_vector_norm_dtype(have: str, want: str, ord: float) -> None:
    """``dtype=`` casts first (torch's result and gradient dtype); narrowing or an integer is refused."""
    data = np.array([[3.0, -4.0], [0.5, 2.0]], dtype=have)
    tx = torch.tensor(data, requires_grad=True)
    x = ag.tensor(data, requires_grad=True)
    try:
        theirs = torch.linalg.vector_norm(tx, ord, dim=1, dtype=getattr(torch, want))
    except RuntimeError as e:
        with pytest.raises(RuntimeError) as caught:
            ag.linalg.vector_norm(x, ord, dim=1, dtype=np.dtype(want))
        assert str(caught.value) == str(e)
        return
    mine = ag.linalg.vector_norm(x, ord, dim=1, dtype=np.dtype(want))
    assert mine.dtype == np.dtype(want)
    np.testing.assert_allclose(mine.data, theirs.detach().numpy(), rtol=1e-6)
    theirs.sum().backward()
    mine.sum().backward()
    assert x.grad.dtype == np.dtype(have)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(
        ag.norm(x, ord, dim=1, dtype=np.dtype(want)).data, theirs.detach().numpy(), rtol=1e-6
    )


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("where", ["torch", "method", "F"])
def test_softmax_of_integers(fn: str, where: str) -> None:
    """Refused as torch refuses it (NotImplementedError); with a floating ``dtype=``, computed."""

    def call(lib: Any, t: Any, **kw: Any) -> Any:
        if where == "method":
            return getattr(t, fn)(0, **kw)
        return getattr(lib if where == "torch" else lib.nn.functional, fn)(t, 0, **kw)

    with pytest.raises(NotImplementedError, match="Long"):
        call(torch, torch.tensor([3, 4]))
    with pytest.raises(NotImplementedError, match=f"{fn}.*Long"):
        call(ag, ag.tensor([3, 4]))
    theirs = call(torch, torch.tensor([3, 4]), dtype=torch.float64)
    np.testing.assert_allclose(call(ag, ag.tensor([3, 4]), dtype=ag.float64).data, theirs.numpy())


# ---------------------------------------------------------------------------- float32 accuracy
@pytest.mark.parametrize(
    ("shape", "dim"),
    [((1000, 3000), 0), ((3000, 1000), 0), ((40, 50, 60), (0, 2)), ((60, 40, 50), 1), ((200, 300), (0, 1)),
     ((10**6,), None), ((1000, 3000), 1)],
)  # fmt: skip
@pytest.mark.parametrize("op", ["sum", "mean"])
def test_float32_sums_are_as_accurate_as_torchs(shape: tuple[int, ...], dim: Any, op: str) -> None:
    """A float32 sum or mean over a leading axis is added pairwise, as accurate as torch's cascade
    (numpy adds along a leading axis row after row: 10-20 times torch's error over 1000 rows)."""
    data = np.random.default_rng(3).uniform(0, 1, shape).astype(np.float32)
    exact = getattr(data.astype(np.float64), op)(axis=dim)
    theirs = getattr(torch.from_numpy(data), op)(*(() if dim is None else (dim,))).numpy()
    mine = np.asarray(getattr(ag.tensor(data), op)(dim).data)
    assert mine.dtype == np.float32 and mine.shape == theirs.shape
    err_t, err_m = (np.max(np.abs(v.astype(np.float64) - exact) / np.abs(exact)) for v in (theirs, mine))
    assert err_m <= 1.5 * err_t, (err_m, err_t)


def test_float32_sums_keep_the_dims_and_gradients() -> None:
    data = np.random.default_rng(4).normal(size=(30, 4, 20)).astype(np.float32)
    for dim in (0, (0, 2), (2, 0), 1):
        for keep in (False, True):
            x, tx = ag.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
            y, ty = x.sum(dim, keepdim=keep), tx.sum(dim, keepdim=keep)
            assert y.shape == tuple(ty.shape)
            np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=2e-6, atol=2e-5)
            (y * y).sum().backward()
            (ty * ty).sum().backward()
            np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-5, atol=1e-4)


def test_float32_pairwise_sums_compile_to_the_eager_bits() -> None:
    """A compiled step replays the pairwise float32 sum (over a leading axis and over two axes) and
    its gradient bit for bit, ``check=True`` running the eager step beside it."""
    rng = np.random.default_rng(5)
    w = ag.tensor(rng.normal(size=(50, 30)).astype(np.float32), requires_grad=True)

    def loss(x: Any) -> Any:
        h = (x @ w).tanh()
        return (h.sum(0) ** 2).sum() + h.sum((0, 1), keepdim=True).sum() + h.mean(0).sum()

    step = ag.compile(loss, check=True)
    for seed in range(3):
        x = ag.tensor(np.random.default_rng(seed).normal(size=(200, 50)).astype(np.float32))
        w.grad = None
        out = step(x)
        compiled = (np.asarray(out.data).copy(), np.asarray(w.grad.data).copy())
        w.grad = None
        eager = loss(x)
        eager.backward()
        assert compiled[0].tobytes() == np.asarray(eager.data).tobytes()
        assert compiled[1].tobytes() == np.asarray(w.grad.data).tobytes()
