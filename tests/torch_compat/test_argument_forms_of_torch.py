"""Argument forms torch 2.13 accepts, each called in torch and here: a number first
(``torch.add(1, other=x)``), keyword operands (``x.add(other=y, alpha=2)``, ``torch.sub(input=x,
other=y)``, ``torch.pow(self=2, exponent=x)``), ``x.max(other=y)``/``x.min(other=y)`` as methods,
and ``torch.mean/var/std(..., out=float32)`` of float64 input (computed in the out's dtype, as
torch). The same dtype and numbers, or the same exception type. Forms torch refuses are not
added (``torch.mm(a, b, out_dtype=...)``: no CPU kernel in 2.13)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def float32_default() -> Iterator[None]:
    before = autograd.get_default_dtype()
    autograd.set_default_dtype(np.float32)
    yield
    autograd.set_default_dtype(before)


def _names(lib: Any) -> dict[str, Any]:
    return {
        "T": lib,
        "x": lib.tensor([1.0, 2.0, 3.0]),
        "y": lib.tensor([0.5, -1.0, 2.0]),
        "n": lib.tensor([np.nan, -np.inf, 0.0]),
        "z": lib.tensor(1.5),
        "e": lib.zeros((0,)),
        "m": lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]], dtype=lib.float64),
    }


def _run(lib: Any, source: str) -> Any:
    try:
        out = eval(source, _names(lib))  # noqa: S307 (the table's expressions)
    except Exception as e:  # noqa: BLE001 (the exception's type is compared)
        return type(e).__name__
    return str(out.dtype).replace("torch.", ""), str(
        np.asarray(out.detach().numpy()).tolist()
    )  # (nan == nan)


FORMS = [
    "T.add(1, other=x)",
    "T.add(1, x)",
    "T.add(input=1, other=x)",
    "T.add(2.5, x)",
    "T.add(1, x, alpha=2)",
    "T.add(x, other=y, alpha=2)",
    "T.add(input=x, other=y, alpha=2)",
    "T.add(x, y, alpha=2.5)",
    "T.add(x, 1, alpha=True)",
    "T.sub(1, x)",
    "T.sub(1, other=x, alpha=2)",
    "T.sub(input=x, other=y)",
    "T.subtract(1, x)",
    "T.rsub(x, 1)",
    "T.rsub(x, y, alpha=2)",
    "T.mul(2, x)",
    "T.mul(input=2, other=x)",
    "T.multiply(2, x)",
    "T.div(1, x)",
    "T.div(1, other=x)",
    "T.divide(1, other=x)",
    "T.true_divide(1, x)",
    "x.add(y, alpha=2)",
    "x.add(other=y, alpha=2)",
    "x.add(other=y)",
    "x.add(2, alpha=3)",
    "x.sub(other=y, alpha=0.5)",
    "x.mul(other=y)",
    "x.div(other=y)",
    "x.pow(exponent=y)",
    "T.pow(self=2, exponent=x)",
    "T.pow(input=x, exponent=2)",
    "T.pow(2, exponent=x)",
    "T.add(1, other=n)",
    "T.add(z, other=e)",
    "x.max(y)",
    "x.max(other=y)",
    "x.min(other=y)",
    "x.max(other=n)",
    "x.min(other=n)",
    "x.max(other=z)",
    "z.min(other=x)",
    "e.max(other=z)",
    "x.max(other=T.tensor([1, 5, 0]))",
    "T.Tensor.max(x, other=y)",
    "T.max(x, other=y)",
    "T.max(input=x, other=y)",
    "x.maximum(other=y)",
    "x.max(other=2)",
    "x.max(other=y, dim=0)",
    "x.max(0, other=y)",
    "T.mean(m, 1, out=T.zeros(2, dtype=T.float32))",
    "T.mean(m, dim=1, out=T.zeros(2, dtype=T.float32))",
    "T.var(m, 1, out=T.zeros(2, dtype=T.float32))",
    "T.std(m, 1, out=T.zeros(2, dtype=T.float32))",
    "T.mean(m, out=T.zeros((), dtype=T.float32))",
    "T.var(m, out=T.zeros((), dtype=T.float32))",
    "T.mean(m.float(), 0, out=T.zeros(3, dtype=T.float64))",
]


#: the forms torch refuses (a TypeError, a RuntimeError for a bool alpha of a float result)
REFUSED = {"T.add(x, 1, alpha=True)", "x.max(other=2)", "x.max(other=y, dim=0)", "x.max(0, other=y)"}


@pytest.mark.parametrize("source", FORMS)
def test_the_form_is_torchs(source: str) -> None:
    theirs = _run(torch, source)
    assert isinstance(theirs, str) == (source in REFUSED), theirs  # (the table is torch's)
    assert _run(autograd, source) == theirs


def test_max_other_keeps_the_graph() -> None:
    """``x.max(other=y)`` is ``maximum``: the gradient goes to the larger one (ties split)."""
    x, y = (
        autograd.tensor([1.0, 2.0, 3.0], requires_grad=True),
        autograd.tensor([3.0, 2.0, 1.0], requires_grad=True),
    )
    tx, ty = (
        torch.tensor([1.0, 2.0, 3.0], requires_grad=True),
        torch.tensor([3.0, 2.0, 1.0], requires_grad=True),
    )
    (x.max(other=y) * autograd.tensor([1.0, 2.0, 4.0])).sum().backward()
    (tx.max(other=ty) * torch.tensor([1.0, 2.0, 4.0])).sum().backward()
    assert x.grad.tolist() == tx.grad.tolist() and y.grad.tolist() == ty.grad.tolist()
    x.grad = None
    x.min(other=y).sum().backward()
    tx.grad = None
    tx.min(other=ty).sum().backward()
    assert x.grad.tolist() == tx.grad.tolist()


def test_max_other_errors_name_the_argument() -> None:
    x = autograd.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match="argument 'other' must be Tensor, not int"):
        x.max(other=2)
    with pytest.raises(TypeError, match="unexpected keyword argument 'other'"):
        x.min(0, other=x)
