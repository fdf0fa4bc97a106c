"""torch's ``out=`` on every function of torch's namespace that takes it, against torch 2.13: the
values written and returned (``out`` itself), the resizing of an ``out`` of another shape (torch's
warning when it had elements), the dtype rules (cast, computed in, or refused with torch's error and
words), tuple outs, and the refusal of ``out=`` where a gradient would be needed."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from out_calls import OUT_CALLS, TUPLE_OUTS, A
from side_by_side import same

import autograd
from autograd import out_arguments

#: out tensors tried: (shape, dtype), None meaning the result's
OUTS = {
    "result's": (None, None),
    "empty": ((0,), None),
    "other shape": ((7,), None),
    "float32": (None, "float32"),
    "float64": (None, "float64"),
    "int64": (None, "int64"),
    "bool": (None, "bool"),
}
F32 = {"rtol": 2e-6, "atol": 1e-7}  # (torch computes var, std, ... in float32 for a float32 out)


def _outcome(lib: Any, call: Any, make: Any) -> tuple[Any, ...]:
    """(``"ok"``, out after the call, whether the call returned it, the warnings) or (the error's
    class name, its message)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = call(lib, None)
    out = make(lib, result)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            returned = call(lib, out)
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return type(e).__name__, str(e)
    said = [re.sub(r" \(Triggered internally at .*\)$", "", str(w.message)) for w in caught]
    said = [m for m in said if "resized" in m]  # (torch's own deprecations of chain_matmul, ...)
    parts = returned if isinstance(out, tuple) else (returned,)
    outs = out if isinstance(out, tuple) else (out,)
    return "ok", out, all(r is o for r, o in zip(parts, outs)), said


def _make(kind: str) -> Any:
    shape, dtype = OUTS[kind]

    def make(lib: Any, result: Any) -> Any:
        size = tuple(result.shape) if shape is None else shape
        return lib.zeros(size, dtype=getattr(lib, dtype) if dtype else result.dtype)

    return make


def _compare(ours: tuple[Any, ...], theirs: tuple[Any, ...], where: str) -> None:
    assert ours[0] == theirs[0], f"{where}: {ours[:2]} vs torch's {theirs[:2]}"
    if ours[0] != "ok":
        assert ours[1] == theirs[1], f"{where}: message {ours[1]!r} vs torch's {theirs[1]!r}"
        return
    same(ours[1], theirs[1], path=where, **F32)
    assert ours[2] and theirs[2], f"{where}: out is not what the call returned"
    if where.split("(")[0] in ("kthvalue", "mode"):  # (torch's warning names its kernel's shapes, [1, 9])
        assert len(ours[3]) == len(theirs[3]), f"{where}: warnings {ours[3]} vs torch's {theirs[3]}"
        return
    assert ours[3] == theirs[3], f"{where}: warnings {ours[3]} vs torch's {theirs[3]}"


def _torch(call: Any, make: Any) -> tuple[Any, ...]:
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        return _outcome(torch, call, make)
    finally:
        torch.set_default_dtype(previous)


@pytest.mark.parametrize("kind", sorted(OUTS))
@pytest.mark.parametrize("name", sorted(OUT_CALLS))
def test_out_is_written_resized_and_checked_as_torchs(name: str, kind: str) -> None:
    theirs = _torch(OUT_CALLS[name], _make(kind))
    if theirs[0] == "RuntimeError" and "INTERNAL ASSERT" in theirs[1]:
        return  # (torch's ldexp into a float32 out: a bug of torch's, not a rule)
    _compare(_outcome(autograd, OUT_CALLS[name], _make(kind)), theirs, f"{name}(out={kind})")


#: tuple outs tried: each part's (shape, dtype), None meaning the result part's
TUPLES = {
    "result's": ((None, None), (None, None)),
    "empty": (((0,), None), ((0,), None)),
    "other shape": (((9,), None), ((2, 2), None)),
    "float32 values": (((0,), "float32"), ((0,), None)),
    "float64 indices": (((0,), None), ((0,), "float64")),
}


def _make_parts(kind: str) -> Any:
    def make(lib: Any, result: Any) -> Any:
        return tuple(
            lib.zeros(
                tuple(part.shape) if shape is None else shape,
                dtype=getattr(lib, dtype) if dtype else part.dtype,
            )
            for (shape, dtype), part in zip(TUPLES[kind], result)
        )

    return make


@pytest.mark.parametrize("kind", sorted(TUPLES))
@pytest.mark.parametrize("name", sorted(TUPLE_OUTS))
def test_tuple_outs_are_written_and_checked_as_torchs(name: str, kind: str) -> None:
    theirs = _torch(TUPLE_OUTS[name], _make_parts(kind))
    ours = _outcome(autograd, TUPLE_OUTS[name], _make_parts(kind))
    _compare(ours, theirs, f"{name}(out={kind})")


def test_a_tuple_out_returns_the_named_tuple_of_the_outs() -> None:
    for t in (autograd, torch):
        values, indices = t.zeros(0, dtype=t.float64), t.zeros(0, dtype=t.int64)
        result = t.max(t.tensor([[1.0, 5.0], [3.0, 2.0]], dtype=t.float64), 0, out=[values, indices])
        assert result.values is values and result.indices is indices
        assert values.tolist() == [3.0, 5.0] and indices.tolist() == [1, 0]


@pytest.mark.parametrize(
    "call",
    [
        lambda t, x, out: t.exp(x, out=out),
        lambda t, x, out: t.sum(x, 0, out=out),
        lambda t, x, out: t.cat([x, x], out=out),
        lambda t, x, out: t.cumsum(x, 0, out=out),
        lambda t, x, out: t.mm(x.reshape(1, 3), x.reshape(3, 1), out=out),
        lambda t, x, out: t.where(x > 1, x, x.flip(0), out=out),
        lambda t, x, out: t.max(x, 0, out=(out, t.zeros(0, dtype=t.int64))),
    ],
)
def test_out_with_an_input_that_requires_grad_is_torchs_error(call: Any) -> None:
    for t in (autograd, torch):
        x = t.tensor([1.0, 2.0, 3.0], dtype=t.float64, requires_grad=True)
        with pytest.raises(
            RuntimeError,
            match=r"^\w+\(\): functions with out=\.\.\. arguments don't support "
            r"automatic differentiation, but one of the arguments requires grad\.$",
        ):
            call(t, x, t.zeros(0, dtype=t.float64))
        with t.no_grad():  # (no graph is recorded: allowed)
            out = t.zeros(0, dtype=t.float64)
            assert call(t, x, out) is not None and out.numel() > 0


def test_an_out_that_requires_grad_is_refused_unless_the_result_has_no_gradient() -> None:
    for t in (autograd, torch):
        x = t.tensor([1.0, 2.0], dtype=t.float64)
        leaf = t.zeros(2, dtype=t.float64, requires_grad=True)
        with pytest.raises(RuntimeError, match=r"^exp\(\): functions with out=\.\.\. arguments"):
            t.exp(x, out=leaf)
        # a comparison or argmax has no gradient: torch takes an input that requires grad
        y = x.clone().requires_grad_()
        assert t.eq(y, x, out=t.zeros(2, dtype=t.bool)).tolist() == [True, True]
        assert t.argmax(y, out=t.zeros(0, dtype=t.int64)).item() == 1


@pytest.mark.parametrize("out", [3, np.zeros(3), [1.0]])
def test_out_that_is_not_a_tensor_is_refused_naming_it(out: Any) -> None:
    for t in (autograd, torch):
        with pytest.raises(TypeError, match=r"exp\(\): argument 'out' must be Tensor, not "):
            t.exp(t.tensor(A), out=out)
        with pytest.raises(TypeError, match=r"cat\(\): argument 'out' must be Tensor, not "):
            t.cat([t.tensor(A)], out=out)


def test_a_tuple_out_of_the_wrong_length_is_refused() -> None:
    for t in (autograd, torch):
        with pytest.raises(TypeError, match="expected tuple of 2 elements but got 1"):
            t.sort(t.tensor(A), out=(t.zeros(0),))


def test_sum_and_cumsum_compute_in_an_integer_outs_dtype() -> None:
    """The input is cast first, as by ``dtype=``: 0.5 + 0.5 + 0.7 into an int64 out is 0, not 1."""
    for t in (autograd, torch):
        x = t.tensor([0.5, 0.5, 0.7])
        assert t.sum(x, 0, out=t.zeros(0, dtype=t.int64)).item() == 0
        assert t.cumsum(x, 0, out=t.zeros(3, dtype=t.int64)).tolist() == [0, 0, 0]
        assert t.prod(t.tensor([1.5, 1.5]), 0, out=t.zeros((), dtype=t.int64)).item() == 1


def test_writing_into_a_view_of_the_right_shape_writes_through() -> None:
    for t in (autograd, torch):
        base = t.zeros(2, 3, dtype=t.float64)
        t.exp(t.zeros(3, dtype=t.float64), out=base[1])
        assert base.tolist() == [[0.0] * 3, [1.0] * 3]


def _torchs_functions_with_out() -> set[str]:
    """The names of torch's namespace whose signatures (torch/_C/_VariableFunctions.pyi) take ``out``,
    with torch.functional's ``norm``, ``tensordot`` and ``chain_matmul``."""
    stub = Path(torch.__file__).parent / "_C" / "_VariableFunctions.pyi"
    names = {
        node.name
        for node in ast.parse(stub.read_text()).body
        if isinstance(node, ast.FunctionDef) and any(a.arg == "out" for a in node.args.kwonlyargs)
    }
    return {*names, "norm", "tensordot", "chain_matmul"}


def test_every_shared_function_that_takes_out_in_torch_takes_it_here() -> None:
    import inspect

    shared = {n for n in _torchs_functions_with_out() if not n.startswith("_") and hasattr(autograd, n)}
    assert len(shared) > 200
    assert shared <= out_arguments.TAKE_OUT, sorted(shared - out_arguments.TAKE_OUT)
    lacking = [n for n in sorted(shared) if "out" not in inspect.signature(getattr(autograd, n)).parameters]
    assert not lacking
    tried = set(OUT_CALLS) | set(TUPLE_OUTS)
    untried = shared - tried - set(UNTRIED)
    assert not untried, sorted(untried)


#: the shared functions with out= not in OUT_CALLS, and why
UNTRIED = {
    **dict.fromkeys(["bernoulli", "multinomial", "normal", "rand", "randn", "randint", "randperm"], "random"),
    "empty": "values unset",
    "range": "deprecated in torch (a warning); arange's rule",
    **dict.fromkeys(["qr", "svd", "slogdet", "histogram"], "several results: the generic tuple rule"),
}
