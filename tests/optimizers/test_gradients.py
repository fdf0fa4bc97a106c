"""What the optimizers and the clip functions take as a gradient, and what they take
as parameters: every kind the engine (or a user) leaves in ``.grad``, ``None`` and
``zero_grad`` both ways, and parameters as a list, a generator or groups, as torch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from optimizer_problems import ONLY_2D

import optimizers
from autograd import Tensor, Value
from autograd.nn import TensorMLP

pytestmark = pytest.mark.usefixtures("torch_float64")

NAMES = sorted(
    n
    for n in optimizers.__all__
    if isinstance(getattr(optimizers, n), type) and issubclass(getattr(optimizers, n), optimizers.Optimizer)
    if n != "Optimizer" and n not in ONLY_2D
)
IN_TORCH = [n for n in NAMES if hasattr(torch.optim, n)]
START = np.array([0.5, -1.0, 2.0])
TOL = {"rtol": 1e-12, "atol": 1e-12}


class GradObject:
    """A gradient object holding its numbers in ``.data`` (as a torch-like ``.grad`` would)."""

    def __init__(self, data: Any) -> None:
        self.data = data


def quartic(params: list[Any]) -> Any:
    """sum(w^4) + x y: a gradient that depends on the parameters, so create_graph keeps a graph."""
    if len(params) == 1:
        return (params[0] ** 4).sum()
    x, y = params
    return x**4 + y**4 + x * y


def _fill(params: list[Any], kind: str) -> None:
    """Write the gradient of ``quartic`` into ``.grad``, as the given kind."""
    if kind == "create_graph":
        quartic(params).backward(create_graph=True)
        assert all(isinstance(p.grad, (Tensor, Value)) for p in params)
        return
    quartic(params).backward()
    if kind == "object":  # (a Tensor's .grad setter keeps such an object's array; a Value keeps the object)
        for p in params:
            p.grad = GradObject(p.grad.data if isinstance(p, Tensor) else p.grad)


def _run(name: str, params: list[Any], fill: Callable[[], Any], steps: int = 3) -> None:
    opt = getattr(optimizers if isinstance(params[0], (Tensor, Value)) else torch.optim, name)(params)
    for _ in range(steps):
        if name == "LBFGS":

            def closure() -> Any:
                opt.zero_grad()
                return fill()

            opt.step(closure)
        else:
            opt.zero_grad()
            fill()
            opt.step()


def _torch_run(name: str, start: list[float] | np.ndarray) -> list[float]:
    if isinstance(start, np.ndarray):
        params = [torch.tensor(start, requires_grad=True)]
    else:
        params = [torch.tensor(v, requires_grad=True) for v in start]

    def fill() -> Any:
        loss = quartic(params)
        loss.backward(create_graph=True)
        return loss

    _run(name, params, fill)
    return np.concatenate([p.detach().numpy().ravel() for p in params])


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True:UserWarning")
@pytest.mark.parametrize("on", ["Tensor", "Values"])
@pytest.mark.parametrize("name", NAMES)
def test_a_graph_gradient_steps_with_its_numbers_like_torch(name: str, on: str) -> None:
    """After ``backward(create_graph=True)`` (a Tensor / Value in ``.grad``), and with any
    object holding the numbers in ``.data``, every optimizer takes the step torch takes."""
    results = {}
    for kind in ("plain", "create_graph", "object"):
        params = [Tensor(START, requires_grad=True)] if on == "Tensor" else [Value(0.5), Value(-1.0)]

        def fill(params: list[Any] = params, kind: str = kind) -> Any:
            _fill(params, kind)
            return quartic(params)

        _run(name, params, fill)
        results[kind] = np.concatenate([np.ravel(p.data) for p in params])
    assert np.abs(results["plain"] - (START if on == "Tensor" else [0.5, -1.0])).max() > 1e-4
    np.testing.assert_array_equal(results["create_graph"], results["plain"])
    np.testing.assert_array_equal(results["object"], results["plain"])
    if name in IN_TORCH:
        np.testing.assert_allclose(
            results["plain"], _torch_run(name, START if on == "Tensor" else [0.5, -1.0]), **TOL
        )


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True:UserWarning")
@pytest.mark.parametrize("kind", ["create_graph", "object"])
def test_clipping_a_graph_gradient_uses_its_numbers_like_torch(kind: str) -> None:
    ours = [Tensor(START, requires_grad=True), Value(0.5)]
    _fill(ours[:1], kind)
    _fill(ours[1:] + [Value(3.0)], kind)
    theirs = [torch.tensor(START, requires_grad=True), torch.tensor(0.5, requires_grad=True)]
    quartic(theirs[:1]).backward(create_graph=True)
    quartic(theirs[1:] + [torch.tensor(3.0)]).backward(create_graph=True)
    total = optimizers.clip_grad_norm(ours, max_norm=1.0)
    assert total == pytest.approx(float(torch.nn.utils.clip_grad_norm_(theirs, max_norm=1.0)), rel=1e-12)
    optimizers.clip_grad_value(ours, clip_value=0.1)
    torch.nn.utils.clip_grad_value_(theirs, clip_value=0.1)
    np.testing.assert_allclose(
        np.asarray(getattr(ours[0].grad, "data", ours[0].grad)), theirs[0].grad.detach(), **TOL
    )
    assert float(getattr(ours[1].grad, "data", ours[1].grad)) == pytest.approx(
        theirs[1].grad.item(), rel=1e-12
    )


@pytest.mark.parametrize("name", NAMES)
def test_a_parameter_whose_grad_is_none_is_skipped_like_torch(name: str) -> None:
    """``w.grad = None`` on a Tensor or a Value: no step, no state, no weight decay; the
    others step as torch's do (LBFGS, like torch, counts it as a zero gradient)."""
    used, unused, value = Tensor(START, requires_grad=True), Tensor([3.0], requires_grad=True), Value(2.0)
    t_used, t_unused, t_value = (torch.tensor(a, requires_grad=True) for a in (START, [3.0], 2.0))
    opt = getattr(optimizers, name)([used, unused, value])
    t_opt = getattr(torch.optim, name)([t_used, t_unused, t_value]) if name in IN_TORCH else None

    def fill() -> Any:
        used.grad, unused.grad, value.grad = None, None, None
        quartic([used]).backward()
        return quartic([used])

    def t_fill() -> Any:
        t_used.grad, t_unused.grad, t_value.grad = None, None, None
        quartic([t_used]).backward()
        return quartic([t_used])

    for _ in range(3):
        if name == "LBFGS":
            opt.step(fill)
            t_opt.step(t_fill)
        else:
            fill()
            opt.step()
            if t_opt is not None:
                t_fill()
                t_opt.step()
    assert unused.data.tolist() == [3.0] and value.data == 2.0 and np.abs(used.data - START).max() > 1e-4
    if name != "LBFGS":
        assert unused not in opt.state and value not in opt.state
    if t_opt is not None:
        np.testing.assert_allclose(used.data, t_used.detach().numpy(), **TOL)


@pytest.mark.parametrize("name", [n for n in IN_TORCH if n != "LBFGS"])
def test_zero_grad_both_ways_then_step_like_torch(name: str) -> None:
    """``zero_grad()`` (torch's default, set_to_none=True: the next step skips the parameter)
    and ``zero_grad(set_to_none=False)`` (a zero gradient: weight decay and momentum still act)."""
    ours, theirs = Tensor(START, requires_grad=True), torch.tensor(START, requires_grad=True)
    opt = getattr(optimizers, name)([ours], weight_decay=0.1) if name != "Rprop" else optimizers.Rprop([ours])
    t_opt = getattr(torch.optim, name)([theirs], **({"weight_decay": 0.1} if name != "Rprop" else {}))
    for set_to_none in (False, True, False):
        quartic([ours]).backward()
        quartic([theirs]).backward()
        opt.step()
        t_opt.step()
        opt.zero_grad(set_to_none=set_to_none)
        t_opt.zero_grad(set_to_none=set_to_none)
        assert (ours.grad is None) == (theirs.grad is None) == set_to_none
        opt.step()
        t_opt.step()
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), **TOL)


def test_parameters_as_a_generator_an_iterator_or_groups() -> None:
    """torch's ways of passing parameters: ``model.parameters()``, any iterator, groups whose
    ``params`` are iterators; each is read once, in order."""
    model = TensorMLP(2, [3, 1], rng=0)
    expected = [id(p) for p in model.parameters()]
    for params in (
        model.parameters(),
        iter(model.parameters()),
        (p for p in model.parameters()),
        ({"params": p} for p in model.parameters()),
    ):
        opt = optimizers.Adam(params, lr=0.1)
        assert [id(p) for g in opt.param_groups for p in g["params"]] == expected
    groups = [
        {"params": iter(list(model.parameters())[:2]), "lr": 0.5},
        {"params": (p for p in list(model.parameters())[2:])},
    ]
    opt = optimizers.SGD(groups, lr=0.1)
    assert [len(g["params"]) for g in opt.param_groups] == [2, len(expected) - 2]
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.1]
    with pytest.raises(ValueError, match="empty parameter list"):
        optimizers.SGD(p for p in [])


def test_only_the_accessor_touches_grad() -> None:
    """Every read and write of ``.grad`` in optimizers/ goes through ``_params`` (so a new
    kind of gradient object changes one module)."""
    import ast
    from pathlib import Path

    root = Path(optimizers.__file__).parent
    touching = sorted(
        f"{path.relative_to(root)}:{node.lineno}"
        for path in root.rglob("*.py")
        if path.name != "_params.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == "grad"
    )
    assert touching == []
