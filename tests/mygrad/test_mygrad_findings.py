"""Engine defects the MyGrad port led to, each as a minimal test that failed before its fix (or a
strict xfail while it is open).

1. ``np.clip`` on Tensors dropped the gradient of Tensor bounds silently (MyGrad's
   ``test_clip_bkwd`` with ``np.clip(a, b, None)``): ``numpy_dispatch._clip`` passed the bounds'
   numbers to ``Tensor.clip``, so ``b.grad`` stayed None where torch's ``clamp(a, min=b)`` gives
   ``b`` the gradient where ``b > a``. Fixed: a Tensor bound is passed on as a Tensor.
2. ``t **= y`` is not in place: Tensor has no ``__ipow__`` (torch's Tensor has), so Python falls back
   to ``t = t ** y``, a new tensor: a view's base keeps its old numbers (MyGrad's in-place ``ipow``
   case). Fixed: ``__ipow__`` is ``pow_`` (and ``__ifloordiv__``, ``__imod__`` the same way).
3. ``losses.categorical_focal`` (and ``binary_focal``): a nan gradient at p_y = 1 for 0 < gamma < 1.
   Fixed: ``losses._core.focal_factor`` selects 0 there with ``where``.
4. ``einsum`` backward raised where the operands broadcast an index. Fixed (ops/products.py).
5. ``linalg.vector_norm`` of an empty slice with ord < 0 gave 0 (torch refuses). Fixed (linalg.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

import autograd as ag
import losses
from autograd import Tensor


@pytest.mark.parametrize("which", ["a_min", "a_max", "both"])
def test_np_clip_passes_the_gradient_to_tensor_bounds(which: str) -> None:
    a_np, b_np = np.array([0.0, 2.0, -3.0]), np.array([1.0, 1.0, -4.0])
    grads = []
    for lib, mk in (
        (ag, lambda x: Tensor(x, requires_grad=True)),
        (torch, lambda x: torch.tensor(x, requires_grad=True)),
    ):
        a, b = mk(a_np), mk(b_np)
        if which == "a_min":
            out = np.clip(a, b, None) if lib is ag else torch.clamp(a, min=b)
        elif which == "a_max":
            out = np.clip(a, None, b) if lib is ag else torch.clamp(a, max=b)
        else:
            out = np.clip(a, b, b + 2.5) if lib is ag else torch.clamp(a, b, b + 2.5)
        (out * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)).sum().backward()
        assert b.grad is not None, f"{lib.__name__}: the bound's gradient is None"
        grads.append((np.asarray(a.grad.numpy()), np.asarray(b.grad.numpy())))
    assert_allclose(grads[0][0], grads[1][0])
    assert_allclose(grads[0][1], grads[1][1])


def test_ipow_is_in_place() -> None:
    expected = torch.full((3,), 2.0, dtype=torch.float64)
    view = expected[:2]
    view **= 2.0
    x = ag.full((3,), 2.0)
    v = x[:2]
    v **= 2.0
    assert_allclose(x.numpy(), expected.numpy())  # torch: [4, 4, 2]; here [2, 2, 2]


@pytest.mark.parametrize("compiled", [False, True])
@pytest.mark.parametrize(("from_logits", "scores"), [(False, [[1.0, 0.0]]), (True, [[50.0, 0.0]])])
def test_focal_gradient_at_a_certain_prediction(
    from_logits: bool, scores: list[list[float]], compiled: bool
) -> None:
    """3. ``losses.categorical_focal`` with ``gamma`` in (0, 1) gives a nan gradient where the true
    class's probability is 1 (a confident logit, 50 against 0, is enough), MyGrad's
    ``test_softmax_focal_bkwd`` with one class. The loss -α (1 - p)^γ log p is 0 there and its
    (one-sided) derivative 0, as MyGrad's closed form gives: the chain multiplies
    d(1 - p)^γ/dp = -γ (1 - p)^(γ - 1) = inf by log p = 0. Fixed (Keras clips p to 1 - 1e-7 instead).
    The same holds for ``binary_focal``'s (1 - p_t)^γ."""
    p = Tensor(np.array(scores), requires_grad=True)
    truth = np.array([[1.0, 0.0]])

    def both() -> Tensor:
        kw = {"gamma": 0.5, "from_logits": from_logits, "reduction": "sum"}
        return losses.categorical_focal(truth, p, alpha=1.0, **kw) + losses.binary_focal(truth, p, **kw)

    loss = ag.compile(both)() if compiled else both()
    if not compiled:
        loss.backward()
    assert np.all(np.isfinite(p.grad.numpy())), p.grad
    if not from_logits:  # (a logit of 0 is p = 1/2 in binary_focal: a gradient there)
        assert_allclose(p.grad.numpy(), [[0.0, 0.0]], atol=1e-12)
    else:
        assert p.grad.numpy()[0, 0] == 0.0


@pytest.mark.parametrize(
    ("script", "a_shape", "b_shape"),
    [("ki,jk->ij", (3, 2), (4, 1)), ("i,i", (3,), (1,)), ("i,i", (1,), (3,)), ("ij,ij->", (1, 3), (4, 1))],
)
def test_einsum_gradient_of_an_operand_the_others_broadcast(
    script: str, a_shape: tuple[int, ...], b_shape: tuple[int, ...]
) -> None:
    """4. ``einsum`` whose operands broadcast one index (length 1 in one of them, as NumPy and torch
    allow) raised ``ValueError: cannot reshape`` in backward (MyGrad's test_einsum_static_bkwd,
    ``"ki,jk->ij"`` of (3, 2) and (4, 1)): the gradient einsum of the operand with the full
    length gave length 1 along that index. Fixed in ops/products.py: that gradient is broadcast
    back (it is the same all along the index); first and second order checked against torch."""
    rng = np.random.default_rng(0)
    a_np, b_np = rng.random(a_shape), rng.random(b_shape)
    results = []
    for lib in (torch, ag):
        a, b = lib.tensor(a_np, requires_grad=True), lib.tensor(b_np, requires_grad=True)
        g = lib.autograd.grad(lib.einsum(script, a, b).sum() ** 2, [a, b], create_graph=True)
        h = lib.autograd.grad((g[0] ** 2).sum() + (g[1] ** 3).sum(), [a, b])
        results.append([x.detach().numpy() if hasattr(x, "detach") else np.asarray(x) for x in (*g, *h)])
    for ours, theirs in zip(results[1], results[0]):
        assert ours.shape == theirs.shape
        assert_allclose(ours, theirs, rtol=1e-12)


@pytest.mark.parametrize("ord", [-1.0, -0.5, -np.inf, np.inf])
@pytest.mark.parametrize(("shape", "dim"), [((0,), None), ((2, 0), 1), ((0, 3), 0), ((2, 0), None)])
def test_vector_norm_of_nothing_with_no_identity(ord: float, shape: tuple[int, ...], dim: int | None) -> None:
    """5. ``linalg.vector_norm`` of an empty slice with a negative ``ord`` gave 0 (torch refuses: the
    operation has no identity; NumPy's answer is inf, 0^(1/p)), and with ``ord=inf`` an
    ArgumentError (torch: the same RuntimeError). MyGrad's test_norm_backward with empty arrays."""
    with pytest.raises(RuntimeError, match="does not have an identity") as torch_error:
        torch.linalg.vector_norm(torch.zeros(shape, dtype=torch.float64), ord, dim)
    with pytest.raises(RuntimeError, match="does not have an identity") as ours:
        ag.linalg.vector_norm(ag.zeros(shape), ord, dim)
    assert str(ours.value).replace(" ", "") == str(torch_error.value).replace(" ", "")
