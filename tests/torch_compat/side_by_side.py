"""Run one piece of PyTorch code twice, with ``torch`` bound to this library and to PyTorch, and
compare everything it returns.

A snippet is a function whose first argument is the module it calls ``torch``::

    def snippet(torch):
        x = torch.tensor([2.0, 3.0], requires_grad=True)
        y = (x * x).sum()
        y.backward()
        return y, x.grad

    check(snippet)  # runs snippet(autograd) and snippet(torch), compares y and x.grad

PyTorch runs with float64 as its default dtype (this library's default), so the same code makes
the same dtypes on both sides and the numbers agree to rounding. ``same`` compares structures
(tuples, lists, dicts, named tuples), tensors (shape, dtype by name, ``requires_grad``, values with
nan where torch has nan), sizes (``Size`` and ``torch.Size`` as tuples), numbers (their Python type
too: ``item()`` of an int tensor is an int on both sides) and strings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

import autograd

torch.set_num_threads(1)  # tiny inputs: torch's thread pool only adds waiting on a loaded machine
RTOL, ATOL = 1e-12, 1e-14


def run(snippet: Callable[..., Any], *args: Any) -> tuple[Any, Any]:
    """``(snippet(autograd, *args), snippet(torch, *args))``, torch's default dtype float64 meanwhile."""
    ours = snippet(autograd, *args)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        theirs = snippet(torch, *args)
    finally:
        torch.set_default_dtype(previous)
    return ours, theirs


def check(snippet: Callable[..., Any], *args: Any, rtol: float = RTOL, atol: float = ATOL) -> tuple[Any, Any]:
    """Run ``snippet`` both ways and assert the results are the same (see ``same``); returns them."""
    ours, theirs = run(snippet, *args)
    same(ours, theirs, rtol=rtol, atol=atol)
    return ours, theirs


def _dtype_name(dtype: Any) -> str:
    return str(dtype).replace("torch.", "")


def _is_tensor(x: Any) -> bool:
    return isinstance(x, (autograd.Tensor, torch.Tensor))


def same(ours: Any, theirs: Any, rtol: float = RTOL, atol: float = ATOL, path: str = "result") -> None:
    """Assert ``ours`` (this library's) matches ``theirs`` (PyTorch's), recursively; the message names
    the place (``result[1].grad``) and what differs."""
    if _is_tensor(ours) or _is_tensor(theirs):
        assert _is_tensor(ours) and _is_tensor(theirs), (
            f"{path}: {type(ours).__name__} vs {type(theirs).__name__}"
        )
        a = ours.data
        b = theirs.detach().numpy()
        assert a.shape == b.shape, f"{path}: shape {a.shape} vs {b.shape}"
        assert _dtype_name(ours.dtype) == _dtype_name(theirs.dtype), (
            f"{path}: dtype {ours.dtype} vs {theirs.dtype}"
        )
        assert ours.requires_grad == theirs.requires_grad, f"{path}: requires_grad {ours.requires_grad}"
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True, err_msg=path)
        return
    if isinstance(theirs, torch.Size) or isinstance(ours, autograd.Size):
        assert tuple(ours) == tuple(theirs), f"{path}: size {ours} vs {theirs}"
        return
    if isinstance(theirs, torch.dtype):
        assert _dtype_name(ours) == _dtype_name(theirs), f"{path}: dtype {ours} vs {theirs}"
        return
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and ours.keys() == theirs.keys(), f"{path}: keys {ours!r} vs {theirs!r}"
        for k in theirs:
            same(ours[k], theirs[k], rtol, atol, f"{path}[{k!r}]")
        return
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, (tuple, list)) and len(ours) == len(theirs), f"{path}: {ours!r} vs {theirs!r}"
        for k, (x, y) in enumerate(zip(ours, theirs)):
            same(x, y, rtol, atol, f"{path}[{k}]")
        return
    if isinstance(theirs, (bool, int, float)) and not isinstance(theirs, str):
        assert type(ours) is type(theirs), (
            f"{path}: {type(ours).__name__} {ours!r} vs {type(theirs).__name__}"
        )
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True, err_msg=path)
        return
    assert ours == theirs, f"{path}: {ours!r} vs {theirs!r}"


def grads(torch: Any, f: Callable[..., Any], *datas: Any) -> tuple[Any, list[Any]]:
    """``(f(torch, *leaves), [leaf.grad ...])``: the leaves made by ``torch.tensor(data,
    requires_grad=True)``, the output backpropagated with weights 0.5 .. 1.5 (so every element's
    gradient counts, and differently). A tuple output (``max(x, dim)``) is backpropagated through
    its first element."""
    xs = [torch.tensor(d, requires_grad=True) for d in datas]
    out = f(torch, *xs)
    first = out[0] if isinstance(out, tuple) else out
    weights = torch.linspace(0.5, 1.5, first.numel()).reshape(first.shape)
    (first * weights).sum().backward()
    return out, [x.grad for x in xs]


def caught(check: Callable[[Any], Any], program: Any) -> bool:
    """Whether ``check(program)`` fails (an AssertionError): a mutation test's question."""
    try:
        check(program)
    except AssertionError:
        return True
    return False
