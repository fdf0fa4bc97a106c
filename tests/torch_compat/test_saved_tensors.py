"""``grad_fn._saved_self``, ``_saved_other``, ``_saved_result``, ... against torch 2.13: which
attributes each backward shows, and what they hold (the input itself, a new tensor over the
output, None where torch saves nothing, numbers, sizes and strides); torch's AttributeError for
another name; ``_raw_saved_*`` (torch's SavedTensor objects: their hooks are tested in
test_saved_tensor_hooks.py). PyTorch's tutorial "Hooks for autograd saved tensors" first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import autograd


def test_the_tutorials_examples() -> None:
    for lib in (torch, autograd):
        x = lib.tensor(np.random.default_rng(0).normal(size=5), requires_grad=True)
        y = x.pow(2)
        assert x.equal(y.grad_fn._saved_self) and x is y.grad_fn._saved_self
        y = x.exp()
        assert y.equal(y.grad_fn._saved_result) and y is not y.grad_fn._saved_result


Case = Callable[[Any, dict[str, Any]], Any]
CASES: dict[str, Case] = {
    "mul": lambda m, t: t["x"] * t["w"],
    "mul by itself": lambda m, t: t["x"] * t["x"],
    "mul by a constant": lambda m, t: t["x"] * t["c"],
    "constant times": lambda m, t: t["c"] * t["x"],
    "div": lambda m, t: t["x"] / t["w"],
    "div by a constant": lambda m, t: t["x"] / t["c"],
    "constant over": lambda m, t: t["c"] / t["x"],
    "add": lambda m, t: t["x"] + t["w"],
    "sub": lambda m, t: t["x"] - t["w"],
    "pow int": lambda m, t: t["x"].pow(2),
    "pow 0.5": lambda m, t: t["p"] ** 0.5,
    "square": lambda m, t: t["x"].square(),
    "pow tensor": lambda m, t: t["p"].pow(t["w"]),
    "pow constant tensor": lambda m, t: t["p"].pow(t["c"]),
    "number pow": lambda m, t: 2 ** t["x"],
    "number 2.5 pow": lambda m, t: 2.5 ** t["x"],
    "exp": lambda m, t: t["x"].exp(),
    "exp2": lambda m, t: t["x"].exp2(),
    "expm1": lambda m, t: t["x"].expm1(),
    "sin": lambda m, t: t["x"].sin(),
    "cos": lambda m, t: t["x"].cos(),
    "tan": lambda m, t: t["x"].tan(),
    "tanh": lambda m, t: t["x"].tanh(),
    "sigmoid": lambda m, t: t["x"].sigmoid(),
    "relu": lambda m, t: t["x"].relu(),
    "F.relu": lambda m, t: m.nn.functional.relu(t["x"]),
    "log": lambda m, t: t["p"].log(),
    "log2": lambda m, t: t["p"].log2(),
    "log1p": lambda m, t: t["p"].log1p(),
    "sqrt": lambda m, t: t["p"].sqrt(),
    "rsqrt": lambda m, t: t["p"].rsqrt(),
    "reciprocal": lambda m, t: t["p"].reciprocal(),
    "abs": lambda m, t: t["x"].abs(),
    "sinh": lambda m, t: t["x"].sinh(),
    "atan": lambda m, t: t["x"].atan(),
    "mm": lambda m, t: t["A"].mm(t["B"]),
    "matmul": lambda m, t: t["A"] @ t["B"],
    "matmul of a constant": lambda m, t: t["A"] @ t["C"],
    "matmul of transposes": lambda m, t: t["C"].T @ t["A"].T,
    "mv": lambda m, t: t["A"] @ t["x"],
    "dot": lambda m, t: t["x"] @ t["w"],
    "log_softmax": lambda m, t: t["A"].log_softmax(1),
    "log_softmax dim -1": lambda m, t: t["A"].log_softmax(-1),
    "sum": lambda m, t: t["A"].sum(),
    "sum dim": lambda m, t: t["A"].sum(0),
    "sum dim -1 keepdim": lambda m, t: t["A"].sum(-1, keepdim=True),
    "clamp": lambda m, t: t["x"].clamp(-1, 1),
    "clamp min": lambda m, t: t["x"].clamp(min=0),
    "clamp 0.5": lambda m, t: t["x"].clamp(-0.5, 0.5),
    "neg": lambda m, t: -t["x"],
}


def _inputs(lib: Any) -> dict[str, Any]:
    rng = np.random.default_rng(1)
    arrays = {
        "x": rng.normal(size=3),
        "w": rng.normal(size=3),
        "p": rng.uniform(0.5, 2.0, size=3),
        "c": rng.normal(size=3),
        "A": rng.normal(size=(2, 3)),
        "B": rng.normal(size=(3, 4)),
        "C": rng.normal(size=(3, 4)),
    }
    return {k: lib.tensor(v, requires_grad=k not in "cC") for k, v in arrays.items()}


def _saved_names(fn: Any) -> list[str]:
    return sorted(a for a in dir(fn) if a.startswith("_saved_"))


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_saved_attributes_as_torch_shows_them(case: Case) -> None:
    t, ours_t = _inputs(torch), _inputs(autograd)
    theirs, ours = case(torch, t), case(autograd, ours_t)
    fn, ours_fn = theirs.grad_fn, ours.grad_fn
    assert ours_fn.name() == fn.name()
    assert _saved_names(ours_fn) == _saved_names(fn)
    for attr in _saved_names(fn):
        value, ours_value = getattr(fn, attr), getattr(ours_fn, attr)
        if value is None:
            assert ours_value is None, attr
        elif isinstance(value, torch.Tensor):
            inputs = [k for k, v in t.items() if v is value]
            if inputs:  # (an input: the tensor itself)
                assert ours_value is ours_t[inputs[0]], attr
            elif value.equal(theirs):  # (the output: a new tensor over its memory, with its grad_fn)
                assert ours_value is not ours and ours_value.equal(ours)
                assert np.shares_memory(ours_value.data, ours.data)
                assert ours_value.requires_grad == value.requires_grad
                assert ours_value.grad_fn.name() == value.grad_fn.name()
            else:  # (a view of an input, or a number operand made a 0-d tensor)
                assert tuple(ours_value.shape) == tuple(value.shape), attr
                np.testing.assert_array_equal(ours_value.data, value.detach().numpy())
        elif attr == "_saved_dim":  # (a negative dim: see autograd/_saved.py's differences)
            ndim = theirs.grad_fn._saved_self_sym_sizes if isinstance(value, tuple) else t["A"].shape
            assert ours_value == _dims(value, len(ndim)), attr
        else:
            assert ours_value == value and type(ours_value) is type(value), attr
    for name in ("_saved_nothing", "_saved_self" if "_saved_self" not in _saved_names(fn) else "_saved_x"):
        assert _attribute_error(ours_fn, name) == _attribute_error(fn, name)


def _dims(value: Any, ndim: int) -> Any:
    """torch's saved dims with the negative ones (shown as 2**64 + dim) made positive."""
    if isinstance(value, tuple):
        return tuple(_dims(v, ndim) for v in value)
    return value - 2**64 + ndim if value >= 2**63 else value


def _attribute_error(fn: Any, name: str) -> str:
    with pytest.raises(AttributeError) as err:
        getattr(fn, name)
    return str(err.value)


def test_the_result_carries_the_gradient_back_as_the_output_does() -> None:
    x = autograd.tensor([0.5, -1.0, 2.0], requires_grad=True)
    tx = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    r = x.tanh().grad_fn._saved_result
    tr = tx.tanh().grad_fn._saved_result
    (r * r).sum().backward()
    (tr * tr).sum().backward()
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-14)


def test_raw_saved_tensors_are_there_for_saved_tensors_only() -> None:
    for lib in (torch, autograd):
        x = lib.tensor([1.0], requires_grad=True)
        fn = x.exp().grad_fn
        assert type(fn._raw_saved_result).__name__ == "SavedTensor"
        assert "_raw_saved_result" in dir(fn)
    ours, theirs = autograd.tensor([1.0], requires_grad=True), torch.tensor([1.0], requires_grad=True)
    for name in ("_raw_saved_exponent", "_raw_saved_nothing"):  # (a number; no such attribute)
        assert _attribute_error(ours.pow(2).grad_fn, name) == _attribute_error(theirs.pow(2).grad_fn, name)
