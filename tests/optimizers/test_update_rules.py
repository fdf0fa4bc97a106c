"""Update rules equal torch's over random hyperparameters (hypothesis).

Gradients here are random arrays (random shapes, exact zeros among the entries)
written into ``.grad`` of both sides (the optimizers only read ``.grad``), so no loss
or derivative is involved and every corner of each optimizer's option space is
reached cheaply.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

import optimizers
from autograd import Tensor

pytestmark = pytest.mark.usefixtures("torch_float64")  # NAdam's mu_product, ASGD's eta and mu

lr = st.floats(1e-4, 1.0)
weight_decay = st.one_of(st.just(0.0), st.floats(0.0, 0.5))
beta = st.floats(0.0, 0.999)
betas = st.tuples(beta, beta)
eps = st.floats(1e-10, 1e-2)
flag = st.booleans()


def _sgd_options(d: dict[str, Any]) -> dict[str, Any]:
    if d["nesterov"]:  # torch requires momentum > 0 and dampening == 0
        d["dampening"], d["momentum"] = 0.0, max(d["momentum"], 0.1)
    return d


SPACES = {
    "SGD": st.fixed_dictionaries(
        {
            "lr": lr,
            "momentum": st.floats(0.0, 0.99),
            "dampening": st.floats(0.0, 0.9),
            "nesterov": flag,
            "weight_decay": weight_decay,
            "maximize": flag,
        }
    ).map(_sgd_options),
    "Adagrad": st.fixed_dictionaries(
        {
            "lr": lr,
            "lr_decay": st.floats(0.0, 1.0),
            "initial_accumulator_value": st.floats(0.0, 1.0),
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": flag,
        }
    ),
    "RMSprop": st.fixed_dictionaries(
        {
            "lr": lr,
            "alpha": st.floats(0.5, 0.999),
            "eps": eps,
            "momentum": st.one_of(st.just(0.0), st.floats(0.0, 0.99)),
            "centered": flag,
            "weight_decay": weight_decay,
            "maximize": flag,
        }
    ),
    "Adam": st.fixed_dictionaries(
        {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "amsgrad": flag,
            "weight_decay": weight_decay,
            "decoupled_weight_decay": flag,
            "maximize": flag,
        }
    ),
    "AdamW": st.fixed_dictionaries(
        {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "amsgrad": flag,
            "weight_decay": weight_decay,
            "maximize": flag,
        }
    ),
    "Adamax": st.fixed_dictionaries(
        {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": flag}
    ),
    "NAdam": st.fixed_dictionaries(
        {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "momentum_decay": st.floats(0.0, 0.1),
            "weight_decay": weight_decay,
            "decoupled_weight_decay": flag,
            "maximize": flag,
        }
    ),
    "RAdam": st.fixed_dictionaries(
        {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "decoupled_weight_decay": flag,
            "maximize": flag,
        }
    ),
    "Adadelta": st.fixed_dictionaries(
        {"lr": lr, "rho": st.floats(0.0, 1.0), "eps": eps, "weight_decay": weight_decay, "maximize": flag}
    ),
    "Rprop": st.fixed_dictionaries(
        {
            "lr": st.floats(1e-4, 1.0),
            "etas": st.tuples(st.floats(0.05, 0.95), st.floats(1.05, 3.0)),
            "step_sizes": st.tuples(st.floats(0.0, 1e-3), st.floats(0.1, 50.0)),
            "maximize": flag,
        }
    ),
    "ASGD": st.fixed_dictionaries(
        {
            "lr": st.floats(1e-4, 0.5),
            "lambd": st.floats(0.0, 1.0),
            "alpha": st.floats(0.0, 1.0),
            "t0": st.floats(0.0, 6.0),
            "weight_decay": st.floats(0.0, 0.5),
            "maximize": flag,
        }
    ),
    "Adafactor": st.fixed_dictionaries(
        {
            "lr": st.floats(1e-4, 1.0),
            "beta2_decay": st.floats(-1.0, 0.0),
            "eps": st.tuples(st.one_of(st.none(), st.floats(0.0, 1e-3)), st.floats(0.0, 1e-2)),
            "d": st.floats(1.0, 5.0),
            "weight_decay": st.floats(0.0, 0.5),
            "maximize": flag,
        }
    ),
}



# eps1 = 0 with an all-zero gradient row gives 0 / 0 = nan in Adafactor, in torch too (compared equal)
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", sorted(SPACES))
@given(data=st.data(), shape=st.sampled_from([(), (3,), (2, 3), (2, 2, 3)]))
def test_update_equals_torch_for_random_options(name: str, data: Any, shape: tuple) -> None:
    """Random options and random gradients (with exact zeros) of random shapes written into ``.grad``."""
    kwargs = data.draw(SPACES[name], label="options")
    entries = st.one_of(st.just(0.0), st.floats(-10.0, 10.0))
    arrays = st.lists(entries, min_size=int(np.prod(shape)), max_size=int(np.prod(shape)))
    start = np.array(data.draw(arrays, label="start")).reshape(shape)
    ours, theirs = Tensor(start, requires_grad=True), torch.tensor(start, requires_grad=True)
    opt = getattr(optimizers, name)([ours], **kwargs)
    t_opt = getattr(torch.optim, name)([theirs], foreach=False, **kwargs)
    for g in data.draw(st.lists(arrays, min_size=1, max_size=8), label="grads"):
        ours.grad = np.array(g).reshape(shape)
        theirs.grad = torch.tensor(g).reshape(shape)
        before = theirs.detach().numpy().copy()
        opt.step()
        t_opt.step()
        # torch's lerp_ (Adam's and Adamax's averages) rounds once (a fused multiply-add), numpy
        # twice: an ulp apart. A step that cancels a weight to under 1e-6 of itself (with eps
        # 1e-10, lr = 1/(1 - beta1)) makes that ulp the next step's 1e-7: not a comparable case
        assume(np.all(np.abs(theirs.detach().numpy()) >= 1e-6 * np.abs(before)))
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-11, atol=1e-12)
