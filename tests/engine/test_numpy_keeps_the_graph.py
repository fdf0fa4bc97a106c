"""No NumPy function drops the graph silently (issue 16): it records the graph, returns plain values
that carry no gradient by design, or raises a TypeError that says what to call.

A Tensor that requires grad refuses to become a plain array (``Tensor.__array__``, as torch), so
``np.array([t, 2 * t])``, ``np.r_[t, t]``, ``np.mean([t, t + 2])`` raise, naming the numpy function
where there is Python code to name and ``autograd.stack``. ``np.stack``, ``np.concatenate`` and
``np.append`` given Tensors record the graph. Lists of Values become object arrays whose numpy
loops call the Values' methods (``np.std``, ``np.var`` included); numpy on a ValueArray runs on its
Values and gives ValueArrays, and refuses where numpy would turn the Values into floats.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import Tensor, Value, ValueArray

#: numpy functions whose results carry no gradient by design: derivative 0 almost everywhere
#: (rounding, sign, floor division, a real number's angle and imaginary part: plain results, as
#: ``t.floor()``) and the set of distinct values
PLAIN_BY_DESIGN = {
    "angle", "around", "ceil", "fix", "floor", "floor_divide", "imag", "rint", "round", "sign", "trunc",
    "unique",
}
SKIP = {  # files, printing and settings, iterator objects, and constructors of no array
    "save", "savez", "savez_compressed", "savetxt", "load", "loadtxt", "genfromtxt", "fromfile", "info",
    "show_config", "show_runtime", "test", "get_include", "printoptions", "set_printoptions", "seterr",
    "setbufsize", "seterrcall", "frompyfunc", "vectorize", "memmap", "nditer", "nested_iters", "fromregex",
    "get_printoptions", "getbufsize", "geterr", "geterrcall", "busday_count", "busday_offset", "is_busday",
    "datetime_as_string", "datetime_data", "from_dlpack", "asmatrix", "bmat", "fromstring", "frombuffer",
    "fromiter", "fromfunction", "piecewise", "apply_along_axis", "apply_over_axes",
}  # fmt: skip
FUNCTIONS = sorted(
    name
    for name in dir(np)
    if not name.startswith("_") and name not in SKIP and callable(getattr(np, name))
    and not isinstance(getattr(np, name), type)
)  # fmt: skip


def _leaf() -> Tensor:
    return Tensor([1.0, 2.0, 3.0], requires_grad=True)


def _float_numbers(result: Any) -> bool:
    """Whether ``result`` holds plain floats (a float array or number, or a sequence with one)."""
    if isinstance(result, (list, tuple)):
        return any(map(_float_numbers, result))
    if isinstance(result, np.ndarray):
        return result.dtype.kind in "fcO"
    return isinstance(result, (float, complex, np.inexact))


def _sweep() -> tuple[list[Any], list[Any]]:
    """Every public numpy function, given a Tensor that requires grad (alone, in a list, twice, with a
    number): the calls that gave plain floats where a gradient should flow, and the engine's errors
    that do not name the function."""
    forms = {
        "f(t)": lambda: (_leaf(),),
        "f([t, t])": lambda: ([_leaf(), _leaf()],),
        "f(t, t)": lambda: (_leaf(), _leaf()),
        "f(t, 1)": lambda: (_leaf(), 1),
    }
    dropped, unnamed = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in FUNCTIONS:
            for form, args in forms.items():
                try:
                    result = getattr(np, name)(*args())
                except Exception as e:  # noqa: BLE001 (any error is a refusal; the engine's must name the function)
                    if "not supported on Tensors" in str(e) and getattr(np, name).__name__ not in str(e):
                        unnamed.append((name, form, str(e)[:80]))
                    continue
                if not (isinstance(result, Tensor) and result.requires_grad) and _float_numbers(result):
                    if name not in PLAIN_BY_DESIGN:
                        dropped.append((name, form, type(result).__name__))
    return dropped, unnamed


def test_no_numpy_function_returns_the_numbers_of_a_tensor_that_requires_grad() -> None:
    """A Tensor that requires grad, plain integers or bools, or an error; never floats, except where
    no gradient flows by design. An error of the engine names the function."""
    dropped, unnamed = _sweep()
    assert not dropped, f"plain numbers from a Tensor that requires grad: {dropped}"
    assert not unnamed, unnamed


def test_the_sweep_finds_a_dropped_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the refusal in Tensor.__array__ (numbers handed out, as before), the sweep finds the
    silent drops that the HIPS port found."""
    monkeypatch.setattr(Tensor, "__array__", lambda self, dtype=None, copy=None: np.asarray(self.data, dtype))
    dropped = {(name, form) for name, form, _ in _sweep()[0]}
    assert {("mean", "f([t, t])"), ("array", "f([t, t])"), ("exp", "f([t, t])")} <= dropped


@pytest.mark.parametrize(
    "build, names",
    [
        (lambda t: np.array([t, 2 * t]), "numpy"),
        (lambda t: np.asarray(t), "numpy"),
        (lambda t: np.r_[t, t], "numpy.r_"),
        (lambda t: np.c_[t, t], "numpy.c_"),
        (lambda t: np.mean([t, t + 2]), "numpy.mean"),
        (lambda t: np.median([t, t]), "numpy.median"),
        (lambda t: np.linalg.norm([t, t]), "numpy.linalg.norm"),
        (lambda t: np.exp([t, t]), "numpy"),
    ],
)
def test_building_an_array_of_tensors_that_require_grad_is_refused(build: Any, names: str) -> None:
    with pytest.raises(
        TypeError, match=rf"^{names}[ (].*requires grad.*autograd\.stack.*t\.detach\(\) or t\.data"
    ):
        build(_leaf())


def test_what_may_still_be_converted() -> None:
    t = _leaf()
    assert np.array([t.detach(), t.data]).tolist() == [[1.0, 2.0, 3.0]] * 2
    assert np.asarray(Tensor([1.0, 2.0])).tolist() == [1.0, 2.0]  # (no grad required)
    with ag.no_grad():
        assert np.asarray(t).tolist() == [1.0, 2.0, 3.0]
    # integers and bools carry no gradient (as t.floor())
    assert np.int64(t).tolist() == [1, 2, 3] and np.asarray(t, dtype=bool).all()
    assert np.array([t, t], dtype=int).shape == (2, 3)


def test_stack_concatenate_and_append_given_tensors_record_the_graph() -> None:
    x = np.array([0.5, -1.0, 2.0])
    t, tt = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours = [np.stack([t, 2 * t]), np.concatenate([t, t * t]), np.append(t, [1.0, 2.0]), ag.stack([t, t], 1)]
    theirs = [
        torch.stack([tt, 2 * tt]),
        torch.cat([tt, tt * tt]),
        torch.cat([tt, torch.tensor([1.0, 2.0], dtype=torch.float64)]),
        torch.stack([tt, tt], 1),
    ]
    for o, r in zip(ours, theirs):
        w = np.arange(r.numel(), dtype=float).reshape(tuple(r.shape))
        (o * w).sum().backward()
        (r * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-15)


# ----------------------------------------------------------------------------- Values
@pytest.mark.parametrize("name", ["std", "var"])
@pytest.mark.parametrize("ddof", [0, 1])
def test_std_and_var_of_a_list_of_values_match_torch(name: str, ddof: int) -> None:
    numbers = [0.3, -1.2, 2.5, 0.3]
    vs = [Value(x) for x in numbers]
    out = getattr(np, name)(vs, ddof=ddof)
    assert isinstance(out, Value)
    out.backward()
    t = torch.tensor(numbers, dtype=torch.float64, requires_grad=True)
    ref = getattr(t, name)(correction=ddof)
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-14)
    np.testing.assert_allclose([v.grad for v in vs], t.grad.numpy(), rtol=1e-13)


def test_numpy_on_value_arrays_gives_value_arrays() -> None:
    va = ValueArray([0.5, -1.0, 2.0])
    results = [np.exp(va), np.sum(va), np.flip(va), np.std(va), np.ones(3) + va, np.stack([va, va])]
    assert all(isinstance(r, ValueArray) for r in results)
    total = sum((r.sum() for r in results), start=ValueArray(0.0))
    total.backward()
    t = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    ref = t.exp().sum() + t.sum() + t.flip(0).sum() + t.std(correction=0) + (1 + t).sum() + 2 * t.sum()
    ref.backward()
    np.testing.assert_allclose(va.grad, t.grad.numpy(), rtol=1e-13)
    assert np.asarray(va).dtype == object and all(isinstance(v, Value) for v in np.asarray(va))
    assert np.argsort(va).tolist() == [1, 0, 2]  # positions carry no gradient


def test_numpy_turning_the_values_of_a_value_array_into_floats_is_refused() -> None:
    va = ValueArray([0.5, -1.0, 2.0])
    with pytest.raises(
        TypeError, match=r"ValueArray: numpy asked for its elements as float64 numbers.*va\.data"
    ):
        np.asarray(va, dtype=float)
    with pytest.raises(TypeError, match=r"numpy\.gradient on a ValueArray gave plain numbers.*float\(\)"):
        np.gradient(va)


def test_comparisons_and_flags_of_value_arrays_are_plain_numbers() -> None:
    va, a = ValueArray([1.0, 2.0, np.nan]), np.array([1.0, 3.0, 0.0])
    assert (a == va).tolist() == [True, False, False] and (a > va).tolist() == [False, True, False]
    assert np.isnan(va).tolist() == [False, False, True] and np.isfinite(va).tolist() == [True, True, False]
