"""torch's legacy typed constructors (``torch.LongTensor([0])``, ``torch.FloatTensor(2, 3)``, as the
"Deep Learning for NLP" pages write them) and their ``isinstance`` checks, beside torch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from side_by_side import check

import autograd

torch = pytest.importorskip("torch")

NAMES = ["FloatTensor", "DoubleTensor", "LongTensor", "BoolTensor"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "args",
    [
        ([1.7, -2.5, 0.0],),
        ((1, 0, 3),),
        ([[1, 2], [3, 4]],),
        ([],),
        (np.array([2.5, -1.5]),),
        (2,),
        (2, 3),
        (),
    ],
)
def test_made_as_torchs(name: str, args: tuple[Any, ...]) -> None:
    def make(lib: Any) -> Any:
        t = getattr(lib, name)(*args)
        return t if args and not all(isinstance(a, int) for a in args) else (t.shape, t.dtype)

    ours, theirs = check(make)
    if isinstance(ours, tuple):
        assert str(ours[1]).replace("autograd.", "") == str(theirs[1]).replace("torch.", "")


@pytest.mark.parametrize("name", NAMES)
def test_isinstance_asks_for_the_dtype(name: str) -> None:
    for data in ([1.5], [1], [True]):
        for dtype in ("float32", "float64"):
            ours = autograd.tensor(data, dtype=getattr(autograd, dtype) if data == [1.5] else None)
            theirs = torch.tensor(data, dtype=getattr(torch, dtype) if data == [1.5] else None)
            assert isinstance(ours, getattr(autograd, name)) == isinstance(theirs, getattr(torch, name))
    legacy = getattr(autograd, name)
    assert not isinstance([1], legacy) and not isinstance(np.ones(1), legacy)


def test_a_tensor_of_its_dtype_is_returned_and_others_are_refused() -> None:
    t = autograd.tensor([1, 2])
    assert autograd.LongTensor(t) is t
    for lib in (torch, autograd):
        with pytest.raises(TypeError):
            lib.LongTensor(lib.tensor([1.0]))
        with pytest.raises(TypeError, match="invalid data type 'str'"):
            lib.LongTensor("a")
        with pytest.raises(TypeError):
            lib.LongTensor([1], 2)
    with pytest.raises(TypeError, match=r"LongTensor\(\): expected a tensor of dtype int64, got one of"):
        autograd.LongTensor(autograd.tensor([1.0]))
    with pytest.raises(TypeError, match=r"LongTensor\(\): expected data or sizes \(ints\), got \(list, int"):
        autograd.LongTensor([1], 2)
    with pytest.raises(RuntimeError, match="cuda"):
        autograd.LongTensor([1], device="cuda")


def test_tensor_with_sizes_is_refused_not_misread() -> None:
    """``torch.Tensor(2, 3)`` (a 2×3 tensor) would be the number 2 requiring grad here (``Tensor(data,
    requires_grad)``): an int ``requires_grad`` is refused, as ``torch.tensor`` refuses it."""
    with pytest.raises(TypeError, match=r"^Tensor\(\): argument 'requires_grad' must be bool, not int \("):
        autograd.Tensor(2, 3)
    with pytest.raises(TypeError, match=r"write autograd\.empty\(2, 3\) or autograd\.zeros\(2, 3\)"):
        autograd.Tensor(2, 3)
    with pytest.raises(TypeError, match=r"must be bool, not int$"):
        autograd.Tensor([1.0], requires_grad=1)
    with pytest.raises(TypeError, match="must be bool, not int"):
        torch.tensor([1.0], requires_grad=1)
    assert autograd.Tensor([1.0], requires_grad=np.True_).requires_grad
    assert not autograd.Tensor([1.0], requires_grad=0).requires_grad  # (falsy: nothing to record)
