"""``inplace=True`` of the functional activations and dropouts, and of their modules
(``nn.ReLU(inplace=True)``, ...), against torch: the input itself comes back, its numbers replaced
by torch's and its version counter moved on by one; a leaf that requires grad is refused, as
torch refuses it. A tensor computed from others inside a graph (which this engine does not
rewrite) gets a new tensor, as ``y += x`` does here: its numbers and gradients are torch's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")

X = np.array([[-2.5, -1.0, -0.25, 0.0], [0.3, 1.0, 4.0, 7.5], [-0.7, 2.2, -3.3, 0.1]])

#: (name, the call with inplace=True given the library as ``t``)
CALLS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("relu", lambda t, x: t.nn.functional.relu(x, inplace=True)),
    ("relu positional", lambda t, x: t.nn.functional.relu(x, True)),
    ("leaky_relu", lambda t, x: t.nn.functional.leaky_relu(x, 0.2, inplace=True)),
    ("elu", lambda t, x: t.nn.functional.elu(x, 0.5, inplace=True)),
    ("silu", lambda t, x: t.nn.functional.silu(x, inplace=True)),
    ("hardtanh", lambda t, x: t.nn.functional.hardtanh(x, -2.0, 3.0, inplace=True)),
    ("relu6", lambda t, x: t.nn.functional.relu6(x, inplace=True)),
    ("hardsigmoid", lambda t, x: t.nn.functional.hardsigmoid(x, inplace=True)),
    ("hardswish", lambda t, x: t.nn.functional.hardswish(x, inplace=True)),
    ("mish", lambda t, x: t.nn.functional.mish(x, inplace=True)),
    ("threshold", lambda t, x: t.nn.functional.threshold(x, 0.2, -9.0, inplace=True)),
    ("selu", lambda t, x: t.nn.functional.selu(x, inplace=True)),
    ("celu", lambda t, x: t.nn.functional.celu(x, 2.0, inplace=True)),
    ("rrelu eval", lambda t, x: t.nn.functional.rrelu(x, inplace=True)),
    ("rrelu training", lambda t, x: t.nn.functional.rrelu(x, 0.1, 0.3, True, inplace=True)),
    ("dropout", lambda t, x: t.nn.functional.dropout(x, 0.4, True, inplace=True)),
    ("dropout1d", lambda t, x: t.nn.functional.dropout1d(x, 0.5, True, inplace=True)),
    ("alpha_dropout", lambda t, x: t.nn.functional.alpha_dropout(x, 0.3, True, inplace=True)),
    ("ReLU", lambda t, x: t.nn.ReLU(inplace=True)(x)),
    ("ReLU positional", lambda t, x: t.nn.ReLU(True)(x)),
    ("LeakyReLU", lambda t, x: t.nn.LeakyReLU(0.1, inplace=True)(x)),
    ("ELU", lambda t, x: t.nn.ELU(inplace=True)(x)),
    ("SiLU", lambda t, x: t.nn.SiLU(inplace=True)(x)),
    ("Hardtanh", lambda t, x: t.nn.Hardtanh(-1.5, 2.0, inplace=True)(x)),
    ("ReLU6", lambda t, x: t.nn.ReLU6(inplace=True)(x)),
    ("Hardsigmoid", lambda t, x: t.nn.Hardsigmoid(inplace=True)(x)),
    ("Hardswish", lambda t, x: t.nn.Hardswish(inplace=True)(x)),
    ("Mish", lambda t, x: t.nn.Mish(inplace=True)(x)),
    ("Threshold", lambda t, x: t.nn.Threshold(0.5, 2.0, inplace=True)(x)),
    ("SELU", lambda t, x: t.nn.SELU(inplace=True)(x)),
    ("CELU", lambda t, x: t.nn.CELU(1.5, inplace=True)(x)),
    ("RReLU", lambda t, x: t.nn.RReLU(inplace=True)(x)),
    ("Dropout", lambda t, x: t.nn.Dropout(0.5, inplace=True)(x)),
    ("Dropout2d", lambda t, x: t.nn.Dropout2d(0.5, inplace=True)(x[None])[0]),
    ("Dropout1d", lambda t, x: t.nn.Dropout1d(0.5, inplace=True)(x)),
]


def _tensor(lib: Any, requires_grad: bool = False) -> Any:
    return lib.tensor(X, dtype=lib.float64, requires_grad=requires_grad)


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[n for n, _ in CALLS])
def test_the_input_is_written_and_returned_as_torchs(name: str, call: Callable[[Any, Any], Any]) -> None:
    found = []
    for lib in (autograd, torch):
        lib.manual_seed(0)
        x = _tensor(lib)
        before = x._version
        y = call(lib, x)
        assert y is x or (y.data_ptr() == x.data_ptr() if lib is torch else np.shares_memory(y.data, x.data))
        found.append((np.array(x.detach().numpy()), x._version - before))
    (mine, my_count), (theirs, their_count) = found
    np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)
    assert my_count >= 1 and their_count >= 1  # (a dropout's kernel counts each of its steps in torch)
    assert my_count == their_count or "ropout" in name


@pytest.mark.parametrize("call", [c for _, c in CALLS], ids=[n for n, _ in CALLS])
def test_a_leaf_that_requires_grad_is_refused_as_in_torch(call: Callable[[Any, Any], Any]) -> None:
    for lib in (autograd, torch):
        lib.manual_seed(0)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            call(lib, _tensor(lib, requires_grad=True))


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[n for n, _ in CALLS])
def test_inside_a_graph_the_numbers_and_gradients_are_torchs(name: str, call: Callable[..., Any]) -> None:
    if name.lower() == "hardsigmoid":
        pytest.skip("torch's hardsigmoid gradient is a float32 1/6 in float64 too (0.1666666716)")
    found = []
    for lib in (autograd, torch):
        lib.manual_seed(0)
        w = _tensor(lib, requires_grad=True)
        y = call(lib, w * 1.5)
        (y * y).sum().backward()
        found.append((np.array(y.detach().numpy()), np.array(w.grad.numpy())))
    for mine, theirs in zip(*found, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-14)


def test_torchs_alpha_dropout_modules_ignore_their_inplace_flag() -> None:
    for lib in (autograd, torch):
        for module in (lib.nn.AlphaDropout(0.5, inplace=True), lib.nn.FeatureAlphaDropout(0.5, inplace=True)):
            x = _tensor(lib)[None]
            assert module(x) is not x and x._version == 0


def test_a_model_in_eval_writes_its_activations_in_place() -> None:
    """An inference pass (no_grad) through ``ReLU(inplace=True)``: the linear layer's output is the
    tensor the ReLU returns, as in torch."""
    for lib in (autograd, torch):
        lib.manual_seed(0)
        linear, relu = lib.nn.Linear(4, 3).double(), lib.nn.ReLU(inplace=True)
        with lib.no_grad():
            h = linear(_tensor(lib))
            assert relu(h) is h and h._version == 1 and bool((h >= 0).all())


def test_a_compiled_step_replays_a_model_with_inplace_activations() -> None:
    """While a compiled step traces, a computed tensor gets a new tensor (an in-place write would
    become a constant of the trace): the step's losses and updates are the eager ones."""
    found = []
    for compiled in (False, True):
        autograd.manual_seed(0)
        nn = autograd.nn
        # (not ReLU then Dropout in place: the dropout changes the output relu's rule reads, and
        # eager backward() refuses, as torch's)
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True), nn.Linear(4, 4),
                              nn.Dropout(0.2, inplace=True), nn.ELU(inplace=True),
                              nn.Linear(4, 1))  # fmt: skip
        optimizer = autograd.optim.SGD(model.parameters(), lr=0.1)
        x, y = autograd.randn(8, 3), autograd.randn(8, 1)

        def step(x: Any, y: Any, model: Any = model) -> Any:
            return ((model(x) - y) ** 2).mean()

        run = autograd.compile(step) if compiled else step
        losses = []
        for _ in range(3):
            optimizer.zero_grad()
            loss = run(x, y)
            if not compiled:
                loss.backward()
            optimizer.step()
            losses.append(float(loss))
        found.append((losses, np.array(model[0].weight.data)))
    assert found[0][0] == found[1][0]
    np.testing.assert_array_equal(found[0][1], found[1][1])




def test_a_compiled_step_replays_inplace_activations_under_no_grad() -> None:
    """A teacher run under ``no_grad`` inside the step (distillation): its computed tensors are
    recorded while the step traces, so ``ReLU(inplace=True)`` gives them a new tensor, which the
    step replays at each call (an in-place write would be refused there)."""
    autograd.manual_seed(0)
    nn = autograd.nn
    teacher = nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True), nn.Linear(4, 1))
    student = nn.Linear(3, 1)

    def loss(x: Any) -> Any:
        with autograd.no_grad():
            target = teacher(x)
        return ((student(x) - target) ** 2).mean()

    compiled = autograd.compile(loss)
    for x in (autograd.randn(8, 3), autograd.randn(8, 3)):
        assert float(compiled(x)) == float(loss(x))
