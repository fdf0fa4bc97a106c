"""torch's bitwise functions (``bitwise_and``, ``bitwise_or``, ``bitwise_xor``, ``bitwise_not``,
as functions and Tensor members) and ``rand(..., out=t)``, against torch: "Introduction to
PyTorch Tensors" calls ``torch.bitwise_xor`` and ``torch.rand(2, 2, out=c)``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

INTS = np.array([[1, 5, 11, -3], [0, 7, -8, 2**40]])
OTHER = np.array([2, 7, 10, -1])
BOOLS = np.array([[True, False, True, False], [True, True, False, False]])


def _both(f: Any) -> tuple[np.ndarray, np.ndarray]:
    mine, theirs = f(autograd), f(torch)
    assert str(mine.dtype).replace("torch.", "") == str(theirs.dtype).replace("torch.", "")
    return np.asarray(mine.numpy()), np.asarray(theirs.numpy())


@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor"])
@pytest.mark.parametrize(
    ("a", "b"), [(INTS, OTHER), (BOOLS, BOOLS[::-1].copy()), (INTS, 6)], ids=["int", "bool", "6"]
)
def test_binary_bitwise_functions_and_members_are_torchs(name: str, a: np.ndarray, b: Any) -> None:
    def call(t: Any, member: bool) -> Any:
        x, y = t.tensor(a), (t.tensor(b) if isinstance(b, np.ndarray) else b)
        return getattr(x, name)(y) if member else getattr(t, name)(x, y)

    for member in (False, True):
        mine, theirs = _both(lambda t, member=member: call(t, member))
        np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("a", [INTS, BOOLS], ids=["int", "bool"])
def test_bitwise_not_is_torchs(a: np.ndarray) -> None:
    mine, theirs = _both(lambda t: t.bitwise_not(t.tensor(a)))
    np.testing.assert_array_equal(mine, theirs)
    mine, theirs = _both(lambda t: t.tensor(a).bitwise_not())
    np.testing.assert_array_equal(mine, theirs)


def test_floats_are_refused_with_torchs_error_class() -> None:
    for t in (autograd, torch):
        with pytest.raises(NotImplementedError):
            t.bitwise_xor(t.tensor([1.0]), t.tensor([1]))
        with pytest.raises(NotImplementedError):
            t.bitwise_not(t.tensor([1.5]))


def test_rand_writes_into_out_as_torchs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The draws of out's dtype (float32 and float64 are different streams), as torch's; an out of
    the default dtype draws torch's default stream (float32's, while float64 is only this
    library's implicit default), as a tutorial's ``c = zeros(2, 3); rand(2, 3, out=c)``."""
    from autograd import dtypes

    monkeypatch.setattr(dtypes, "_default", list(dtypes._default))  # (the default restored after)
    monkeypatch.setattr(dtypes, "_set_by_user", list(dtypes._set_by_user))
    for dtype, explicit in (("float32", False), (None, False), ("float64", True)):
        found = []
        for t in (autograd, torch):
            t.manual_seed(7)
            if explicit:
                t.set_default_dtype(t.float64)
            try:
                c = t.zeros(2, 3) if dtype is None else t.zeros(2, 3, dtype=getattr(t, dtype))
                d = t.rand(2, 3, out=c)
            finally:
                torch.set_default_dtype(torch.float32)
            assert d is c
            found.append(np.asarray(c.numpy(), dtype=np.float64))
        np.testing.assert_allclose(*found, rtol=1e-7)
    with pytest.warns(
        UserWarning,
        match=r"resized since it had shape \[3\], which does not match the required output shape \[2, 2\]",
    ):
        assert autograd.rand(2, 2, out=autograd.zeros(3)).shape == (2, 2)
