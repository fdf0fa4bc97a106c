"""hvp and hessian of a compiled function: one HVP traced and generated, split into what depends on x
alone and what is linear in v; the same numbers as the eager transforms, and as torch."""

from __future__ import annotations

import ast
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import Tensor

SIZES = [(2, 4), (4,), (4, 1), (1,)]
N = sum(int(np.prod(s)) for s in SIZES)
RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 2))
Y = RNG.normal(size=(12, 1))


def _unpack(theta: Tensor) -> list[Tensor]:
    parts, k = [], 0
    for s in SIZES:
        m = int(np.prod(s))
        parts.append(theta[k : k + m].reshape(s))
        k += m
    return parts


def f(theta: Tensor) -> Tensor:
    """A 2-4-1 tanh network's MSE as a function of its 17 parameters, flattened."""
    W1, b1, W2, b2 = _unpack(theta)
    return ((((Tensor(X) @ W1 + b1).tanh() @ W2 + b2) - Tensor(Y)) ** 2).mean()


def f_torch(theta: torch.Tensor) -> torch.Tensor:
    parts, k = [], 0
    for s in SIZES:
        m = int(np.prod(s))
        parts.append(theta[k : k + m].reshape(s))
        k += m
    W1, b1, W2, b2 = parts
    h = torch.tanh(torch.from_numpy(X) @ W1 + b1)
    return (((h @ W2 + b2) - torch.from_numpy(Y)) ** 2).mean()


def test_hvp_of_a_compiled_function_is_the_eager_one() -> None:
    cf = ag.compile(f)
    theta, v = RNG.normal(size=N), RNG.normal(size=N)
    got, want = ag.hvp(cf, theta, v), ag.hvp(f, theta, v)
    assert isinstance(got, np.ndarray) and got.tobytes() == want.tobytes()
    ref = torch.autograd.functional.hvp(f_torch, torch.from_numpy(theta), torch.from_numpy(v))[1]
    np.testing.assert_allclose(got, ref.numpy(), rtol=1e-12, atol=1e-14)
    # a Tensor in, a Tensor out (without a graph); traced once per shape and dtype
    t = ag.hvp(cf, Tensor(theta), Tensor(v))
    assert isinstance(t, Tensor) and t.data.tobytes() == want.tobytes() and not t.requires_grad
    assert len(cf._second_order) == 1
    ag.hvp(cf, theta.astype(np.float32), v)
    assert len(cf._second_order) == 2


def test_the_hvp_code_is_split_at_v() -> None:
    from autograd.compiled.higher import second_order

    cf = ag.compile(f)
    so = second_order(cf, RNG.normal(size=N))
    assert "def prepare(" in so.source and "def apply(" in so.source
    assert "np.tanh(" in so.prepare_source and "np.tanh(" not in so.apply_source
    assert ", v):" in so.apply_source.splitlines()[0]


def test_hessian_of_a_compiled_function() -> None:
    cf = ag.compile(f)
    theta = RNG.normal(size=N)
    got, want = ag.hessian(cf)(theta), ag.hessian(f)(theta)
    assert got.shape == (N, N) and got.tobytes() == want.tobytes()
    ref = torch.autograd.functional.hessian(f_torch, torch.from_numpy(theta))
    np.testing.assert_allclose(got, ref.numpy(), rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(got, got.T, rtol=1e-12, atol=1e-14)  # (symmetric up to rounding, as eager)


def test_the_hessian_runs_the_hvp_on_a_batch_of_directions() -> None:
    """The second part of the HVP rewritten for a stack of directions: the same numbers as applying
    it to each direction, and every line batched (none runs direction by direction here)."""
    from autograd.compiled.higher import second_order

    theta = RNG.normal(size=N)
    so = second_order(ag.compile(f), theta)
    assert "def apply_batch(" in so.batch_source and "each(" not in so.batch_source
    assert "v[:, 0:8]" in so.batch_source
    state = so.prepare(Tensor(theta))
    vs = RNG.normal(size=(5, N))
    assert so.apply_batch(state, vs).tobytes() == np.stack([so.apply(state, v) for v in vs]).tobytes()


def test_a_line_the_batch_rules_do_not_cover_runs_per_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lines the rules do not know (here: every product, as if they did not) run direction by
    direction through ``each``; the numbers are the same."""
    from autograd.compiled import batch
    from autograd.compiled.higher import second_order

    rewrite = batch.Batcher._rewrite

    def no_products(self: Any, expr: Any, ndim: int) -> Any:
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):
            raise batch._Unknown
        return rewrite(self, expr, ndim)

    monkeypatch.setattr(batch.Batcher, "_rewrite", no_products)
    theta = RNG.normal(size=N)
    so = second_order(ag.compile(f), theta)
    assert "each(op, (True, False)" in so.batch_source or "each(op, (False, True)" in so.batch_source
    state = so.prepare(Tensor(theta))
    vs = RNG.normal(size=(4, N))
    assert so.apply_batch(state, vs).tobytes() == np.stack([so.apply(state, v) for v in vs]).tobytes()


def test_hessian_of_a_matrix_argument() -> None:
    A = RNG.normal(size=(2, 3))
    g = ag.compile(lambda w: (w * w * w).sum() + (w @ Tensor(A.T)).tanh().sum())
    w = RNG.normal(size=(2, 3))
    got = ag.hessian(g)(w)
    assert got.shape == (2, 3, 2, 3)
    np.testing.assert_array_equal(
        got, ag.hessian(lambda w: (w * w * w).sum() + (w @ Tensor(A.T)).tanh().sum())(w)
    )


def test_bad_input_to_a_compiled_hvp() -> None:
    cf = ag.compile(f)
    with pytest.raises(RuntimeError, match="shape"):
        ag.hvp(cf, RNG.normal(size=N), RNG.normal(size=N + 1))
    with pytest.raises(TypeError, match="x must be"):
        ag.hvp(cf, np.array(["a"] * N), np.zeros(N))


@pytest.mark.parametrize(
    ("fn", "torch_fn"),
    [
        (lambda x: 0.5 * (x * x).sum(), lambda x: 0.5 * (x * x).sum()),  # (prepare keeps nothing: H = I)
        (lambda x: (x * 3.0).sum(), lambda x: (x * 3.0).sum()),  # linear: ∇f does not depend on x
        (lambda x: x.sum(), lambda x: x.sum()),
        (lambda x: (x**3).sum(), lambda x: (x**3).sum()),
    ],
)
def test_hvp_of_a_function_of_degree_at_most_two(fn: Any, torch_fn: Any) -> None:
    """Quadratic and linear functions, whose first part computes nothing for the second: the same
    numbers as eager and torch, also for a direction holding inf and nan (H = 0 gives zeros, as
    torch's, not 0·inf); a Tensor for a Tensor in, compiled or not."""
    x = Tensor(np.array([1.0, 2.0, 3.0]))
    compiled = ag.compile(fn)
    for v in (np.array([1.0, -2.0, 0.5]), np.array([1.0, np.inf, np.nan])):
        got, eager = ag.hvp(compiled, x, Tensor(v)), ag.hvp(fn, x, Tensor(v))
        assert isinstance(got, Tensor) and isinstance(eager, Tensor)
        _, want = torch.autograd.functional.hvp(torch_fn, torch.tensor(x.data), torch.tensor(v))
        np.testing.assert_array_equal(got.data, want.numpy())
        np.testing.assert_array_equal(eager.data, want.numpy())
    want_h = torch.autograd.functional.hessian(torch_fn, torch.tensor(x.data)).numpy()
    np.testing.assert_array_equal(ag.hessian(compiled)(x).data, want_h)


# ---------------------------------------------------------------- the transforms fuzzer's findings
# (tests/engine/test_transforms_fuzz.py; each failed before its fix)
def test_hvp_of_a_compiled_function_that_does_not_depend_on_x() -> None:
    """f's result requires no grad (x detached): H = 0, as eager and torch (the trace raised "output 0
    does not require grad")."""
    x, v = np.array([1.0, -2.0]), np.array([np.inf, 1.0])
    fn = lambda x: (x.detach() ** 2).sum()  # noqa: E731
    torch_fn = lambda x: (x.detach() ** 2).sum()  # noqa: E731
    want = torch.autograd.functional.hvp(torch_fn, torch.tensor(x), torch.tensor(v))[1]
    for got in (ag.hvp(ag.compile(fn), x, v), ag.hvp(fn, x, v)):
        np.testing.assert_array_equal(got, want.numpy())
    np.testing.assert_array_equal(ag.hessian(ag.compile(fn))(x), np.zeros((2, 2)))


PIECEWISE_LINEAR = [lambda x: x.abs().sum(), lambda x: x.relu().sum(), lambda x: x.clip(-1, 1).sum()]


@pytest.mark.parametrize("fn", PIECEWISE_LINEAR)
def test_hessian_of_a_compiled_piecewise_linear_function(fn: Any) -> None:
    """∇f is a graph but H·v is no line of the code (zeros): batched, that line read no direction and
    ``each`` raised StopIteration."""
    x = np.array([1.5, -2.0, 0.5])
    got = ag.hessian(ag.compile(fn))(x)
    assert got.shape == (3, 3) and got.tobytes() == ag.hessian(fn)(x).tobytes() == np.zeros((3, 3)).tobytes()


def test_hvp_of_a_compiled_convolution() -> None:
    """The HVP's function was named ``apply``, as a global of its lines (conv2d's unfold): the lines
    called the HVP itself (TypeError: unexpected keyword argument)."""
    import autograd.nn.functional as F

    w = Tensor(np.arange(4.0).reshape(1, 1, 2, 2) / 4)
    fn = lambda x: (F.conv2d(x.reshape(1, 1, 3, 3), w) ** 2).sum()  # noqa: E731
    x, v = np.linspace(-1, 1, 9), RNG.normal(size=9)
    assert ag.hvp(ag.compile(fn), x, v).tobytes() == ag.hvp(fn, x, v).tobytes()
    assert ag.hessian(ag.compile(fn))(x).tobytes() == ag.hessian(fn)(x).tobytes()


def test_a_compiled_hvp_of_a_non_scalar_function() -> None:
    """hvp refuses it as the eager hvp does (it raised grad's message); hessian gives each output
    element's Hessian, as the eager one and torch.func.hessian (it raised)."""
    cube = ag.compile(lambda x: x * x * x)
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match=r"hvp: f must return a scalar .* got Tensor of shape \(3,\)"):
        ag.hvp(cube, x, x)
    want = torch.func.hessian(lambda x: x * x * x)(torch.tensor(x)).numpy()
    np.testing.assert_array_equal(ag.hessian(cube)(x), want)


def test_hvp_of_a_compiled_function_linear_in_x_with_a_captured_parameter() -> None:
    """∇f = W·1 reads no x: the generated first part had no parameter x but was called with it
    (TypeError)."""
    W = Tensor(RNG.normal(size=(3, 2)), requires_grad=True)
    fn = lambda x: (x @ W).sum()  # noqa: E731
    x, v = RNG.normal(size=3), RNG.normal(size=3)
    np.testing.assert_array_equal(ag.hvp(ag.compile(fn), x, v), np.zeros(3))
    np.testing.assert_array_equal(ag.hessian(ag.compile(fn))(x), np.zeros((3, 3)))


def test_a_compiled_hvp_traces_again_when_a_captured_parameter_changes() -> None:
    """A captured Tensor's requires_grad or dtype changed since the trace: the generated guard raised
    its internal Stale at the caller; now the HVP is traced again, and its numbers are eager's."""
    W = Tensor(RNG.normal(size=(3, 2)), requires_grad=True)
    fn = lambda x: ((x @ W).tanh() ** 2).sum()  # noqa: E731
    compiled = ag.compile(fn)
    x, v = RNG.normal(size=3), RNG.normal(size=3)
    assert ag.hvp(compiled, x, v).tobytes() == ag.hvp(fn, x, v).tobytes()
    W.data[...] = RNG.normal(size=(3, 2))  # (in place: read at every call, no new trace)
    assert ag.hvp(compiled, x, v).tobytes() == ag.hvp(fn, x, v).tobytes()
    W.requires_grad_(False)
    assert ag.hvp(compiled, x, v).tobytes() == ag.hvp(fn, x, v).tobytes()
    W.requires_grad_(True)
    W.data = W.data.astype(np.float32)
    assert ag.hessian(compiled)(x).tobytes() == ag.hessian(fn)(x).tobytes()


def test_a_rebound_name_makes_a_compiled_hvp_trace_again() -> None:
    scale = Tensor(np.array([1.0, 2.0]))
    compiled = ag.compile(lambda x: ((x * scale) ** 2).sum())
    x, v = Tensor(np.array([1.0, 1.0])), Tensor(np.array([1.0, 1.0]))
    assert ag.hvp(compiled, x, v).tolist() == [2.0, 8.0]
    scale = Tensor(np.array([3.0, 1.0]))  # noqa: F841 (read by the function)
    assert ag.hvp(compiled, x, v).tolist() == [18.0, 2.0]
