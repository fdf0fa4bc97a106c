"""The harness of test_tinygrad_ops.py: tinygrad's ``helper_test_op`` with this library in
tinygrad's place.

A ported test is a function of one argument, the module it calls ``torch``. :func:`port` turns it
into a pytest test that runs it twice per dtype pass: first with PyTorch, when every
:func:`helper_test_op` records the forward values and the gradients of its inputs, then with
``autograd``, when each call compares its results with the recorded ones (shape, dtype, values
within tinygrad's ``atol``/``rtol``, ``grad_atol``/``grad_rtol``, at most ``F64_TOLERANCE`` in
float64; integer and bool results exactly). The passes: float32 inputs with both default dtypes
float32 (tinygrad's), and float64 inputs with both defaults float64 (this library's default).
:func:`helper_test_exception` checks that both sides raise the expected exception class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
import torch

import autograd

torch.set_num_threads(1)  # small inputs: torch's thread pool only adds waiting on a loaded machine

#: the dtype passes: (input dtype, both libraries' default dtype) by name
PASSES = {"float32": np.float32, "float64": np.float64}
#: the float64 pass's tolerances, at most (tinygrad's are float32's; they hid hardsigmoid's slope,
#: torch's float32 1/6 also in float64, off by 3e-8)
F64_TOLERANCE = 1e-9


class _Run:
    """The state of one run of a ported test: which side, what the torch side recorded."""

    module: Any = None
    dtype: Any = np.float32
    recorded: list[Any] = []
    index = 0


def _as_numpy(t: Any) -> np.ndarray:
    if isinstance(t, torch.Tensor):
        return t.detach().cpu().numpy()
    assert isinstance(t, autograd.Tensor), f"the op returned {type(t).__name__}, not a Tensor"
    return t.detach().numpy()


def _prepare(
    shps: Sequence[Any] | None, vals: Sequence[Any] | None, low: float, high: float, forward_only: bool
) -> list[Any]:
    T = _Run.module
    if shps is None:
        return [T.tensor(x, requires_grad=not forward_only) for x in vals]
    np.random.seed(0)
    data = [np.random.uniform(low=low, high=high, size=s).astype(_Run.dtype) for s in shps]
    return [T.tensor(d, requires_grad=not forward_only) for d in data]


def _compare(what: str, ours: np.ndarray, theirs: np.ndarray, atol: float, rtol: float) -> None:
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape}, torch {theirs.shape}"
    assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype}, torch {theirs.dtype}"
    if np.issubdtype(ours.dtype, np.floating):
        np.testing.assert_allclose(ours, theirs, atol=atol, rtol=rtol, err_msg=what)
    else:
        np.testing.assert_equal(ours, theirs, err_msg=what)


def helper_test_op(
    shps: Sequence[Any] | None,
    fxn: Callable[..., Any],
    atol: float = 1e-6,
    rtol: float = 1e-3,
    grad_atol: float = 1e-4,
    grad_rtol: float = 1e-3,
    forward_only: bool = False,
    vals: Sequence[Any] | None = None,
    low: float = -2,
    high: float = 2,
    promotes: bool = False,
) -> None:
    """Run ``fxn`` on random inputs of shapes ``shps`` (uniform in ``[low, high)``, seed 0) or on
    tensors of ``vals``; record (torch) or compare (ours) its value and, unless ``forward_only``,
    the gradients of ``fxn(*inputs).sum()`` with respect to every input.

    ``promotes``: ``fxn`` mixes integers with floats, which give float64 here (numpy's promotion) and
    the default dtype in torch, a documented difference (test_known_differences.py): our floating
    result is compared in the default dtype (its numbers, rounded to float32 in the float32 pass).
    """
    T = _Run.module
    ts = _prepare(shps, vals, low, high, forward_only)
    out = fxn(*ts)
    if promotes and T is autograd and out.is_floating_point():
        out = out.to(autograd.get_default_dtype())
    results = [_as_numpy(out)]
    if not forward_only and ts:
        grads = T.autograd.grad(fxn(*ts).sum(), ts)  # here ndarrays (Tensors with create_graph=True)
        results += [g.detach().numpy() if isinstance(g, torch.Tensor) else g for g in grads]
    if T is torch:
        _Run.recorded.append(results)
        return
    if _Run.dtype == np.float64:  # both sides in float64: float32's tolerances would hide a slip
        atol, rtol, grad_atol, grad_rtol = (min(t, F64_TOLERANCE) for t in (atol, rtol, grad_atol, grad_rtol))
    expected = _Run.recorded[_Run.index]
    _Run.index += 1
    where = f"helper_test_op call {_Run.index} (shapes {shps}, vals {vals})"
    assert len(results) == len(expected), f"{where}: {len(results)} results, torch {len(expected)}"
    _compare(f"{where} forward", results[0], expected[0], atol, rtol)
    for i, (ours, theirs) in enumerate(zip(results[1:], expected[1:])):
        _compare(f"{where} gradient of input {i}", ours, theirs, grad_atol, grad_rtol)


def helper_test_exception(
    shps: Sequence[Any] | None,
    fxn: Callable[..., Any],
    expected: type[BaseException] | tuple[type[BaseException], ...],
    forward_only: bool = False,
    vals: Sequence[Any] | None = None,
    low: float = -1.5,
    high: float = 1.5,
) -> None:
    """``fxn`` raises one of ``expected`` on both sides."""
    ts = _prepare(shps, vals, low, high, forward_only)
    with pytest.raises(expected):
        fxn(*ts)


def _run(test: Callable[[Any], None], module: Any, dtype: Any) -> None:
    _Run.module, _Run.dtype = module, dtype
    np.random.seed(1337)  # the bodies' own draws (class labels) are the same on both sides
    test(module)


def port(test: Callable[[Any], None]) -> Callable[[str], None]:
    """A pytest test (parametrized by dtype pass) that runs ``test(torch)`` then ``test(autograd)``
    and compares every ``helper_test_op`` of the second run with the first's."""

    @pytest.mark.parametrize("dtype", list(PASSES))
    def run_both(dtype: str) -> None:
        torch_default, ours_default = torch.get_default_dtype(), autograd.get_default_dtype()
        _Run.recorded, _Run.index = [], 0
        try:
            torch.set_default_dtype(getattr(torch, dtype))
            _run(test, torch, PASSES[dtype])
            autograd.set_default_dtype(PASSES[dtype])
            _run(test, autograd, PASSES[dtype])
        finally:
            torch.set_default_dtype(torch_default)
            autograd.set_default_dtype(ours_default)
        assert _Run.index == len(_Run.recorded), f"{_Run.index} calls here, torch {len(_Run.recorded)}"

    run_both.__name__ = run_both.__qualname__ = test.__name__
    run_both.__doc__ = test.__doc__
    return run_both
