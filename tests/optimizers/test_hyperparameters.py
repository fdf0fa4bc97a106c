"""Each optimizer declares its hyperparameters once, in its ``__init__`` signature (name,
default, and an annotation carrying the check); ``defaults``, the constructor's and
``load_state_dict``'s checks and ``repr`` come from it, and the signature is torch's."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import numpy as np
import pytest
import torch

import optimizers
from autograd import Tensor
from optimizers._validate import LearningRate, check_range

NAMES = sorted(
    n
    for n in optimizers.__all__
    if isinstance(getattr(optimizers, n), type) and issubclass(getattr(optimizers, n), optimizers.Optimizer)
    if n != "Optimizer"
)
TORCH_ONLY = {"foreach", "capturable", "differentiable", "fused"}


def _arguments(cls: type) -> dict[str, inspect.Parameter]:
    return {k: p for k, p in inspect.signature(cls).parameters.items() if k != "params"}


@pytest.mark.parametrize("name", [n for n in NAMES if hasattr(torch.optim, n)])
def test_the_signature_is_torchs(name: str) -> None:
    """Names, order, defaults and keyword-only markers, less torch's device options."""
    ours = _arguments(getattr(optimizers, name))
    theirs = {k: p for k, p in _arguments(getattr(torch.optim, name)).items() if k not in TORCH_ONLY}
    assert list(ours) == list(theirs)
    for k, p in ours.items():
        assert (p.default, p.kind) == (theirs[k].default, theirs[k].kind), k


@pytest.mark.parametrize("name", NAMES)
def test_defaults_and_checks_come_from_the_declaration(name: str) -> None:
    cls = getattr(optimizers, name)  # (1x1 parameters: every optimizer takes them, Muon only 2-d ones)
    opt = cls([Tensor([[1.0]], requires_grad=True)])
    declared = {k: p.default for k, p in _arguments(cls).items()}
    if name == "LBFGS":
        declared["max_eval"] = 25  # max_iter * 5 // 4
    assert {k: v for k, v in opt.defaults.items() if k in declared} == declared
    assert set(opt.defaults) - set(declared) == ({"decoupled_weight_decay"} if name == "AdamW" else set())
    assert set(cls._hyperparameter_checks()) == set(opt.defaults)
    for key in declared:  # every one is checked, in the constructor and in load_state_dict
        with pytest.raises((TypeError, ValueError), match=rf"Invalid {key}\b"):
            cls([Tensor([[1.0]], requires_grad=True)], **{key: "bad"})
        state = opt.state_dict()
        state["param_groups"][0][key] = "bad"
        with pytest.raises((TypeError, ValueError), match=rf"param_groups\[0\]: Invalid {key}\b"):
            opt.load_state_dict(state)


def test_a_subclass_declares_its_own() -> None:
    """A new annotation is a new check; an inherited one is kept (a user's optimizer works alike)."""

    class Damped(optimizers.SGD):
        def __init__(
            self, params: Any, lr: LearningRate = 0.1, damping: Annotated[float, check_range] = 0.5
        ) -> None:
            super().__init__(params, lr=lr)
            self.defaults["damping"] = damping
            for group in self.param_groups:
                group.setdefault("damping", damping)
                self._check_group(group)

    with pytest.raises(ValueError, match="Invalid damping: expected a finite damping, got inf"):
        Damped([Tensor([1.0], requires_grad=True)], damping=float("inf"))
    with pytest.raises(ValueError, match="Invalid lr"):
        Damped([Tensor([1.0], requires_grad=True)], lr=-1.0)
    assert Damped._hyperparameter_checks()["momentum"] is optimizers.SGD._hyperparameter_checks()["momentum"]


def test_the_checks_catch_a_wrong_declaration(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above would fail if a declaration lost its check."""
    monkeypatch.setattr(optimizers.Adam, "_checks", {}, raising=False)
    optimizers.Adam([Tensor([1.0], requires_grad=True)], lr="bad")  # no longer refused
    with pytest.raises(AssertionError):
        test_defaults_and_checks_come_from_the_declaration("Adam")


@pytest.mark.parametrize("name", [n for n in NAMES if hasattr(torch.optim, n)])
def test_repr_is_torchs(name: str) -> None:
    """torch's format, line for line, less the lines of torch's device options."""
    groups = [
        {"params": [Tensor([[1.0]], requires_grad=True)]},
        {"params": [Tensor([[2.0]], requires_grad=True)]},
    ]
    t_groups = [
        {"params": [torch.zeros(1, 1, requires_grad=True)]},
        {"params": [torch.ones(1, 1, requires_grad=True)]},
    ]
    if name != "LBFGS":
        groups[1]["lr"] = t_groups[1]["lr"] = 0.5
    else:
        groups, t_groups = groups[:1], t_groups[:1]
    theirs = [
        line
        for line in repr(getattr(torch.optim, name)(t_groups)).splitlines()
        if line.split(":")[0].strip() not in TORCH_ONLY
    ]
    assert repr(getattr(optimizers, name)(groups)).splitlines() == theirs
    np.testing.assert_equal(len(theirs) > 4, True)
