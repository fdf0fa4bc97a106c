"""nn.functional's normalize, cosine_similarity and pairwise_distance against torch in float64:
values and gradients, with a zero vector, a vector below eps, broadcasting, nan and inf."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import autograd.nn.functional as F
from autograd import Tensor, Value, ValueArray

rng = np.random.default_rng(0)
A = rng.normal(size=(5, 4))
A[1] = 0.0  # a zero vector
A[2] *= 1e-10  # below cosine_similarity's eps and pairwise_distance's scale
A[3] *= 1e150
B = rng.normal(size=(1, 4))
EDGE = np.array([[np.nan, 1.0, 2.0], [np.inf, 1.0, 0.0], [-np.inf, np.inf, 1.0]])

CASES: dict[str, tuple[Any, Any, list[np.ndarray]]] = {
    "normalize": (F.normalize, TF.normalize, [A]),
    "normalize p=1 dim=0": (
        lambda x: F.normalize(x, 1.0, 0),
        lambda t: TF.normalize(t, 1.0, 0),
        [A],
    ),
    "cosine_similarity": (F.cosine_similarity, TF.cosine_similarity, [A, B]),
    "cosine_similarity dim=0": (
        lambda x, y: F.cosine_similarity(x, y, dim=0),
        lambda x, y: TF.cosine_similarity(x, y, dim=0),
        [A, A[::-1].copy()],
    ),
    "pairwise_distance": (F.pairwise_distance, TF.pairwise_distance, [A, B]),
    "pairwise_distance p=1 keepdim": (
        lambda x, y: F.pairwise_distance(x, y, 1.0, keepdim=True),
        lambda x, y: TF.pairwise_distance(x, y, 1.0, keepdim=True),
        [A, B],
    ),
}


def _run(name: str, arrays: list[np.ndarray]) -> tuple[Any, Any, list[Tensor], list[torch.Tensor]]:
    ours, theirs, _ = CASES[name]
    xs = [Tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = ours(*xs), theirs(*ts)
    u = np.linspace(-1.0, 2.0, out.data.size).reshape(out.shape)
    out.backward(Tensor(u))
    ref.backward(torch.tensor(u))
    return out, ref, xs, ts


def _close(actual: np.ndarray, desired: np.ndarray) -> None:
    np.testing.assert_allclose(actual, desired, rtol=1e-9, atol=1e-300, equal_nan=True)


@pytest.mark.parametrize("name", CASES)
def test_values_and_gradients_as_torch(name: str) -> None:
    out, ref, xs, ts = _run(name, CASES[name][2])
    _close(out.data, ref.detach().numpy())
    for x, t in zip(xs, ts):
        _close(x.grad.data, t.grad.numpy())


@pytest.mark.parametrize("name", ["normalize", "pairwise_distance"])
def test_nan_and_infinities_as_torch(name: str) -> None:
    arrays = [EDGE] if name == "normalize" else [EDGE, np.ones((1, 3))]
    out, ref, xs, ts = _run(name, arrays)
    _close(out.data, ref.detach().numpy())
    for x, t in zip(xs, ts):
        _close(x.grad.data, t.grad.numpy())


def test_values_and_bad_arguments_are_refused_by_name() -> None:
    with pytest.raises(TypeError, match="cosine_similarity: x2 must be a Tensor .*got a ValueArray"):
        F.cosine_similarity(Tensor(A), ValueArray([1.0, 2.0, 3.0, 4.0]))
    with pytest.raises(TypeError, match="normalize: input must be a Tensor .*got a Value"):
        F.normalize(Value(1.0))
    with pytest.raises(TypeError, match="normalize: out= is not supported"):
        F.normalize(Tensor(A), out=Tensor(A))


def test_the_check_catches_a_clamp_that_is_recorded() -> None:
    # torch does not record cosine_similarity's clamp of a small norm: a recorded clamp (no gradient
    # through the norm below eps) gives another gradient at A[2], and the comparison sees it
    x = Tensor(A, requires_grad=True)
    n = (x * x).sum(1, keepdims=True) ** 0.5
    unit = x / n.clamp_min(1e-8)
    (unit * (Tensor(B) / (Tensor(B) * Tensor(B)).sum(1, keepdims=True) ** 0.5)).sum(1).sum().backward()
    t = torch.tensor(A, requires_grad=True)
    TF.cosine_similarity(t, torch.tensor(B)).sum().backward()
    assert not np.allclose(x.grad.data[2], t.grad.numpy()[2], rtol=1e-9)


def test_cosine_similarity_of_a_vector_whose_norm_overflows_as_torch() -> None:
    """A norm that overflows to inf is kept (the unrecorded clamp only raises a norm below eps)."""
    a = np.array([[-1e308, 2.2], [1e308, 1e308], [3.0, 4.0]])
    b = a * 0.5 + 1.0
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    out, ref = F.cosine_similarity(x, Tensor(b)), TF.cosine_similarity(t, torch.tensor(b))
    _close(out.data, ref.detach().numpy())
    out.sum().backward()
    ref.sum().backward()
    _close(x.grad.data, t.grad.numpy())
