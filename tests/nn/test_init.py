"""nn.init with torch's gains and fan formulas, in place, drawing from the library's generator; and
manual_seed making every draw repeat."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch

import autograd as ag
import autograd.nn as nn
from autograd import Tensor

SHAPES = [(3, 5), (4, 2, 3), (2, 3, 2, 2)]


@pytest.mark.parametrize(
    "nonlinearity, param",
    [
        ("linear", None),
        ("conv2d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("leaky_relu", 3),
        ("selu", None),
    ],
)
def test_calculate_gain_is_torchs(nonlinearity: str, param: Any) -> None:
    assert nn.init.calculate_gain(nonlinearity, param) == torch.nn.init.calculate_gain(nonlinearity, param)


def test_unknown_gain_and_fans_of_vectors_raise_as_torch() -> None:
    with pytest.raises(ValueError, match="Unsupported nonlinearity softmax"):
        nn.init.calculate_gain("softmax")
    with pytest.raises(ValueError, match="negative_slope slope not a valid number"):
        nn.init.calculate_gain("leaky_relu", "slope")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        nn.init.xavier_uniform_(nn.Parameter(np.zeros(3)))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        nn.init.kaiming_normal_(nn.Parameter(np.zeros((2, 2))), mode="fan_avg")
    with pytest.raises(TypeError, match="uniform_: expected a Tensor"):
        nn.init.uniform_(np.zeros(3))  # type: ignore[arg-type]


def torch_bound(shape: tuple, fn: str, **kwargs: Any) -> float:
    """The bound (uniform) or standard deviation (normal) torch's own formula gives for ``shape``."""
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    if fn.startswith("xavier"):
        std = kwargs.get("gain", 1.0) * math.sqrt(2.0 / float(fan_in + fan_out))
    else:
        fan = fan_in if kwargs.get("mode", "fan_in") == "fan_in" else fan_out
        std = torch.nn.init.calculate_gain(
            kwargs.get("nonlinearity", "leaky_relu"), kwargs.get("a", 0)
        ) / math.sqrt(fan)
    return math.sqrt(3.0) * std if fn.endswith("uniform_") else std


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(
    "fn, kwargs",
    [
        ("xavier_uniform_", {}),
        ("xavier_uniform_", {"gain": 5 / 3}),
        ("xavier_normal_", {"gain": 2.0}),
        ("kaiming_uniform_", {}),
        ("kaiming_uniform_", {"a": math.sqrt(5)}),
        ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
        ("kaiming_normal_", {"nonlinearity": "tanh"}),
        ("kaiming_normal_", {"a": 0.1, "mode": "fan_out"}),
    ],
)
def test_random_init_draws_with_torchs_bound_in_place(shape: tuple, fn: str, kwargs: dict) -> None:
    """torch's numbers bit for bit: the bound's formula and the stream (generator=3 is
    torch.Generator().manual_seed(3)); a float64 parameter holds torch's float32 draws."""
    import torch

    p = nn.Parameter(np.zeros(shape))
    before = p.data
    assert getattr(nn.init, fn)(p, **kwargs, generator=3) is p and p.data is before
    t = torch.zeros(shape)
    getattr(torch.nn.init, fn)(t, **kwargs, generator=torch.Generator().manual_seed(3))
    np.testing.assert_array_equal(p.data, t.numpy().astype(np.float64))


def test_constant_fills_and_plain_draws() -> None:
    p = nn.Parameter(np.zeros((2, 3), dtype=np.float32))
    assert nn.init.ones_(p).data.sum() == 6 and p.dtype == np.float32
    assert not nn.init.zeros_(p).data.any()
    assert (nn.init.constant_(p, 0.25).data == 0.25).all()
    nn.init.uniform_(p, -2.0, -1.0)
    assert ((-2 <= p.data) & (p.data < -1)).all()
    nn.init.normal_(p, mean=10.0, std=0.01, generator=np.random.default_rng(0))
    assert abs(p.data.mean() - 10) < 0.05
    with pytest.warns(UserWarning, match="zero-element tensors is a no-op"):
        nn.init.kaiming_uniform_(nn.Parameter(np.zeros((0, 3))))


def test_manual_seed_makes_factories_init_and_layers_repeat() -> None:
    def draw() -> list[np.ndarray]:
        p = nn.Parameter(np.zeros((3, 4)))
        nn.init.kaiming_normal_(p)
        return [
            ag.randn(3).data,
            ag.rand(2, 2).data,
            ag.rand_like(Tensor(np.ones(2))).data,
            p.data,
            nn.Linear(2, 2).weight.data,
            ag.randn_like(np.ones(3)).data,
        ]

    assert ag.manual_seed(123) is ag.factories.default_generator()
    first = draw()
    ag.manual_seed(123)
    second = draw()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(draw()[0], first[0])
    with pytest.raises(TypeError, match="manual_seed: seed must be an int, got float 1.5"):
        ag.manual_seed(1.5)  # type: ignore[arg-type]


def test_an_explicit_seed_or_generator_leaves_the_default_stream_alone() -> None:
    ag.manual_seed(0)
    expected = ag.randn(4).data
    ag.manual_seed(0)
    ag.randn(4, seed=9), ag.rand(3, generator=np.random.default_rng(1)), nn.Linear(3, 3, rng=2)
    np.testing.assert_array_equal(ag.randn(4).data, expected)
    with pytest.raises(TypeError, match="randn: got both seed and generator"):
        ag.randn(2, seed=1, generator=np.random.default_rng(1))
