"""``x ** t`` for a tensor exponent ``t`` (0-d too) and integer powers, against torch 2.13.

torch computes a tensor exponent with its kernel of two tensors (``PowBackward1``): the C pow for
every exponent, where a number exponent's 2, 3, -2, ±0.5 and -1 are products, roots and
reciprocals (``tests/torch_compat/test_small_integer_powers.py``). Its special values are the C
pow's (``(-inf) ** tensor(0.5)`` is inf, ``(-0.0) ** tensor(0.5)`` is 0.0); its vectorized body
calls SLEEF's pow, whose last bit differs from the C pow on 1-2% of the elements (measured below):
those bits are not matched. Integers: a negative Python int exponent is torch's RuntimeError, a
negative tensor exponent gives 0 (1 for a base of 1, ±1 for -1); a bool tensor to a Python bool
stays bool.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import autograd
from autograd import Tensor

torch = pytest.importorskip("torch")

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -3e38, 1e160, -1e-170, 1.0, -1.0, 2.0, -2.5, 0.5]
EXPONENTS = [2.0, 3.0, -2.0, 0.5, -0.5, -1.0, 4.0, 1.5, 0.0, -0.0, np.inf, -np.inf, np.nan]
FLOATS = [(np.float32, torch.float32), (np.float64, torch.float64)]


@pytest.fixture
def float32_default() -> Iterator[None]:
    before = autograd.get_default_dtype()
    autograd.set_default_dtype(np.float32)
    yield
    autograd.set_default_dtype(before)


def _same(mine: Any, theirs: Any) -> None:
    """The same dtype, shape and bits, every nan taken as one."""
    a, b = np.asarray(mine), np.asarray(theirs)
    assert a.dtype == b.dtype and a.shape == b.shape
    a, b = np.where(np.isnan(a), np.nan, a), np.where(np.isnan(b), np.nan, b)
    assert a.tobytes() == b.tobytes(), f"{a} != {b}"


def _specials(dtype: Any) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.array(SPECIAL).astype(dtype)


FORMS = {
    "operator": lambda x, t: x**t,
    "function": lambda x, t: x.pow(t) if isinstance(x, Tensor) else torch.pow(x, t),
    "torch.pow": lambda x, t: (autograd if isinstance(x, Tensor) else torch).pow(x, t),
    "pow_": lambda x, t: x.clone().pow_(t),
    "exponent=": lambda x, t: x.pow(exponent=t),
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("dtypes", FLOATS, ids=["float32", "float64"])
@pytest.mark.parametrize("k", EXPONENTS)
def test_special_values_of_a_0d_tensor_exponent_are_torchs(k: float, dtypes: Any, form: str) -> None:
    np_dtype, torch_dtype = dtypes
    data, power = _specials(np_dtype), FORMS[form]
    mine = power(autograd.tensor(data), autograd.tensor(k, dtype=np_dtype))
    theirs = power(torch.tensor(data), torch.tensor(k, dtype=torch_dtype))
    _same(mine.numpy(), theirs.numpy())


@pytest.mark.parametrize("dtypes", FLOATS, ids=["float32", "float64"])
@pytest.mark.parametrize("k", [2.0, 0.5, -1.0, 3.0])
def test_0d_base_and_exponent_and_a_full_exponent(k: float, dtypes: Any) -> None:
    np_dtype, torch_dtype = dtypes
    for v in _specials(np_dtype):
        _same((autograd.tensor(v) ** autograd.tensor(k, dtype=np_dtype)).numpy(),
              (torch.tensor(v) ** torch.tensor(k, dtype=torch_dtype)).numpy())  # fmt: skip
    data = _specials(np_dtype)
    full = np.full(data.shape, k, np_dtype)
    _same(
        (autograd.tensor(data) ** autograd.tensor(full)).numpy(),
        (torch.tensor(data) ** torch.tensor(full)).numpy(),
    )
    one = np.array([[k]], np_dtype)  # (a size-1 exponent broadcast against the base)
    _same(
        (autograd.tensor(data) ** autograd.tensor(one)).numpy(),
        (torch.tensor(data) ** torch.tensor(one)).numpy(),
    )
    empty = np.zeros((0, 3), np_dtype)
    _same((autograd.tensor(empty) ** autograd.tensor(k, dtype=np_dtype)).numpy(),
          (torch.tensor(empty) ** torch.tensor(k, dtype=torch_dtype)).numpy())  # fmt: skip


@pytest.mark.parametrize("dtypes", FLOATS, ids=["float32", "float64"])
@pytest.mark.parametrize("k", [2.0, 3.0, -2.0, 0.5, -0.5, -1.0])
def test_a_tensor_exponent_is_the_c_pow_not_the_numbers_products(k: float, dtypes: Any) -> None:
    """Here the C pow (one exponent per element: numpy's shortcuts for one exponent are avoided);
    torch's SLEEF differs from it on under 5% of the elements, and the number path (x·x·x, roots)
    on up to a quarter."""
    np_dtype, torch_dtype = dtypes
    data = (np.random.default_rng(0).normal(size=4096) * 3).astype(np_dtype)
    mine = (autograd.tensor(data) ** autograd.tensor(k, dtype=np_dtype)).numpy()
    with np.errstate(invalid="ignore"):
        c_pow = np.power(data, np.full(data.shape, k, np_dtype))
    _same(mine, c_pow)
    theirs = (torch.tensor(data) ** torch.tensor(k, dtype=torch_dtype)).numpy()
    assert np.mean((mine != theirs) & ~np.isnan(theirs)) < 0.05
    assert np.allclose(mine, theirs, rtol=4 * np.finfo(np_dtype).eps, equal_nan=True)


def test_the_node_is_torchs_pow_of_two_tensors() -> None:
    x, t = autograd.tensor([1.0, 2.0], requires_grad=True), autograd.tensor(3.0, requires_grad=True)
    assert (x**t).grad_fn.name() == "PowBackward1" and (x**3).grad_fn.name() == "PowBackward0"
    assert [type(f).__name__ for f, _ in (x**t).grad_fn.next_functions] == ["AccumulateGrad"] * 2
    assert torch.pow(torch.ones(2), torch.tensor(3.0, requires_grad=True)).grad_fn.name() == "PowBackward1"


@pytest.mark.parametrize("dtypes", FLOATS, ids=["float32", "float64"])
@pytest.mark.parametrize("k", [3.0, -2.0, 0.5, 2.0, -1.0, 1.5])
def test_gradients_of_a_tensor_exponent(k: float, dtypes: Any) -> None:
    """First order to a few ulp of torch's (its backward pows are SLEEF's too); a compiled step
    gives the eager numbers, bit for bit."""
    np_dtype, torch_dtype = dtypes
    data = (np.abs(np.random.default_rng(1).normal(size=300)) * 3 + 0.1).astype(np_dtype)
    x, t = autograd.tensor(data, requires_grad=True), autograd.tensor(k, dtype=np_dtype, requires_grad=True)
    tx, tt = torch.tensor(data, requires_grad=True), torch.tensor(k, dtype=torch_dtype, requires_grad=True)

    def loss() -> Any:
        return (x**t).sum()

    eager = loss()
    eager.backward()
    grads = x.grad.numpy().copy(), t.grad.numpy().copy()
    x.grad = t.grad = None
    _same(autograd.compile(loss)().numpy(), eager.detach().numpy())
    _same(x.grad.numpy(), grads[0])
    _same(t.grad.numpy(), grads[1])
    (tx**tt).sum().backward()
    eps = np.finfo(np_dtype).eps
    assert x.grad.dtype == np_dtype and t.grad.dtype == np_dtype
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=4 * eps)
    np.testing.assert_allclose(t.grad.numpy(), tt.grad.numpy(), rtol=300 * eps)  # (a sum of 300)


def test_second_order_of_a_tensor_exponent() -> None:
    data = np.array([0.5, 1.5, 2.0, 3.0])
    x, t = autograd.tensor(data, requires_grad=True), autograd.tensor(2.5, requires_grad=True)
    tx, tt = (
        torch.tensor(data, requires_grad=True),
        torch.tensor(2.5, dtype=torch.float64, requires_grad=True),
    )
    gx, gt = autograd.grad((x**t).sum(), (x, t), create_graph=True)
    ux, ut = torch.autograd.grad((tx**tt).sum(), (tx, tt), create_graph=True)
    hx = autograd.grad(gx.sum() + gt, (x, t))
    vx = torch.autograd.grad(ux.sum() + ut, (tx, tt))
    for mine, theirs in zip((gx, gt, *hx), (ux, ut, *vx)):
        mine = mine.detach().numpy() if isinstance(mine, Tensor) else np.asarray(mine)
        np.testing.assert_allclose(mine, theirs.detach().numpy(), rtol=1e-14)


# --- integers and bools: the table is torch's own behaviour (RuntimeError or the numbers)
NEGATIVE_NUMBER = "Integers to negative integer powers are not allowed."
INTEGER_CASES = [
    ("T.tensor([1, 2, 3]) ** -1", None),
    ("T.tensor([1, 2, 3]) ** -2", None),
    ("T.tensor([1, 2, 3]).pow(-1)", None),
    ("T.pow(T.tensor([1, 2, 3]), -1)", None),
    ("T.tensor([1, 2, 3]).pow_(-1)", None),
    ("T.tensor(2) ** -1", None),
    ("T.tensor([], dtype=T.int64) ** -1", None),
    ("T.tensor([], dtype=T.bool) ** -1", None),
    ("T.tensor([True, False]) ** -1", None),
    ("T.tensor([1, 2]) ** np.int64(-1)", None),
    ("T.tensor([1, 2, 3]) ** T.tensor(-1)", [1, 0, 0]),
    ("T.tensor([1, 2, 3]) ** T.tensor([1, -1, 2])", [1, 0, 9]),
    ("T.tensor([-1, -1, 0, 1, 5, -7]) ** T.tensor([-3, -2, -1, -1, -(2**63), 0])", [-1, 1, 0, 1, 0, 1]),
    ("T.tensor([[1], [2], [-1]]) ** T.tensor([-1, 1, -3])", [[1, 1, 1], [0, 2, 0], [-1, -1, -1]]),
    ("T.tensor(3) ** T.tensor(-1)", 0),
    ("T.tensor([], dtype=T.int64) ** T.tensor(-1)", []),
    ("T.tensor([1, 2]).pow_(T.tensor(-3))", [1, 0]),
    ("T.pow(2, T.tensor([1, 2, -1]))", [2, 4, 0]),
    ("2 ** T.tensor([1, 2, -1, 62, 64])", [2, 4, 0, 2**62, 0]),
    ("-1 ** T.tensor([1, 2])", [-1, -1]),
    ("T.tensor([True, False]) ** T.tensor([2, -1])", [1, 0]),
    ("T.tensor([True, False]) ** T.tensor(-1)", [1, 0]),
    ("T.tensor([True, False]) ** True", [True, False]),
    ("T.tensor([True, False]) ** False", [True, True]),
    ("T.tensor(False) ** False", True),
    ("T.pow(T.tensor([True, False]), True)", [True, False]),
    ("T.tensor([True, False]).pow_(False)", [True, True]),
    ("T.tensor([True, False]).pow(exponent=True)", [True, False]),
    ("T.tensor([True, False]) ** 0", [1, 1]),
    ("T.tensor([True, False]) ** np.bool_(False)", [1.0, 1.0]),
    ("T.tensor([1, 2, 3]) ** 2", [1, 4, 9]),
    ("T.tensor([0, 1, 2]) ** 0", [1, 1, 1]),
    ("T.tensor([1, 2]) ** T.tensor([True, False])", [1, 1]),
    ("T.tensor([1, 2, 3]) ** True", [1, 2, 3]),
    ("T.tensor([1, 2]) ** T.tensor(0)", [1, 1]),
    ("T.tensor([0, 1, 2]) ** T.tensor(-1.0)", [np.inf, 1.0, 0.5]),
    ("T.tensor([1, 2, 3]) ** 2.5", [1.0, 5.656854152679443, 15.588457107543945]),
    (
        "T.tensor([1, 2, 3]) ** T.tensor(-1.5, dtype=T.float64)",
        [1.0, 0.3535533905932738, 0.19245008972987526],
    ),
    ("T.tensor([True, False]) ** 2.5", [1.0, 0.0]),
]


def _run(lib: Any, source: str) -> Any:
    try:
        out = eval(source, {"T": lib, "np": np})  # noqa: S307 (the table's expressions)
    except RuntimeError as e:
        return RuntimeError, str(e)
    name = str(out.dtype).replace("torch.", "")
    return name, np.asarray(out.numpy()).tolist()


@pytest.mark.usefixtures("float32_default")
@pytest.mark.parametrize(("source", "numbers"), INTEGER_CASES, ids=[c for c, _ in INTEGER_CASES])
def test_integer_and_bool_powers_are_torchs(source: str, numbers: Any) -> None:
    theirs = _run(torch, source)
    assert _run(autograd, source) == theirs
    if numbers is None:
        assert theirs == (RuntimeError, NEGATIVE_NUMBER)
    else:
        assert theirs[1] == numbers  # (the table states torch's numbers)


def test_the_refusals_of_bool_tensor_exponents_stay_torchs() -> None:
    for source in ("T.tensor([True, False]) ** T.tensor(True)", "True ** T.tensor([True, False])"):
        for lib in (torch, autograd):
            with pytest.raises(NotImplementedError, match="\"pow\" not implemented for 'Bool'"):
                eval(source, {"T": lib})  # noqa: S307


def test_a_negative_number_exponent_of_a_float_tensor_is_computed() -> None:
    _same(
        (autograd.tensor([2.0, -0.0]) ** -1).numpy(),
        (torch.tensor([2.0, -0.0], dtype=torch.float64) ** -1).numpy(),
    )
    _same(
        (autograd.tensor([4.0], dtype=np.float32) ** np.int64(-2)).numpy(),
        (torch.tensor([4.0]) ** np.int64(-2)).numpy(),
    )


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("dtypes", FLOATS, ids=["float32", "float64"])
@pytest.mark.parametrize("k", [0.5, 1.5, -0.5, -1.0, 3.0, -2.0, 2.0])
def test_gradients_at_special_values_are_torchs(k: float, dtypes: Any, create_graph: bool) -> None:
    """The rule's own ``x ** (y - 1)`` is the pow of two tensors too (torch's ``PowBackward1``):
    at x = -0.0 with y = 0.5 the gradient is inf (a number exponent's root would give -inf)."""
    np_dtype, torch_dtype = dtypes
    data = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 4.0], np_dtype)
    x, t = autograd.tensor(data, requires_grad=True), autograd.tensor(k, dtype=np_dtype, requires_grad=True)
    tx, tt = torch.tensor(data, requires_grad=True), torch.tensor(k, dtype=torch_dtype, requires_grad=True)
    mine = autograd.grad((x**t).sum(), x, create_graph=create_graph)[0]
    theirs = torch.autograd.grad((tx**tt).sum(), tx, create_graph=create_graph)[0]
    _same(mine.detach().numpy() if isinstance(mine, Tensor) else mine, theirs.detach().numpy())


@pytest.mark.parametrize("dtypes", FLOATS, ids=["float32", "float64"])
@pytest.mark.parametrize("base", [-0.0, 0.0, -np.inf, np.inf, np.nan, 2.0, -2.0, 1.0, 0.5])
def test_a_number_base_is_torchs_pow_of_two_tensors(base: float, dtypes: Any) -> None:
    """``number ** t`` (``PowBackward2``): the C pow, ``(-0.0) ** tensor(0.5)`` is 0.0 and
    ``2 ** tensor(-0.5)`` correctly rounded (a root's reciprocal differs in the last bit)."""
    np_dtype, torch_dtype = dtypes
    k = np.array([0.5, -0.5, 3.0, -2.0, 2.0, -1.0, 1.5], np_dtype)
    for t, tt in ((autograd.tensor(v), torch.tensor(v)) for v in [*k, k]):
        _same((base**t).numpy(), (base**tt).numpy())
        _same(autograd.pow(base, t).numpy(), torch.pow(base, tt).numpy())
    t = autograd.tensor(k, requires_grad=True)
    assert (
        (2.0**t).grad_fn.name()
        == "PowBackward2"
        == torch.pow(2.0, torch.tensor(k, requires_grad=True)).grad_fn.name()
    )
