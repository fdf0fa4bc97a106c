"""CTC loss (losses.ctc, F.ctc_loss, nn.CTCLoss) against torch 2.13 in float64: values to 1e-12 and
gradients (the engine's, derived from the alpha recursion) to torch's and to finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd
import losses
from autograd import Tensor, gradcheck
from autograd.nn import CTCLoss
from autograd.nn import functional as F

RNG = np.random.default_rng(11)
T, N, C = 7, 5, 5
X = RNG.normal(size=(T, N, C))
# repeated labels (1 2 2 needs a blank between the 2s; 3 3 1), an empty target, an impossible
# one (3 labels with a repeat need 4 frames, sample 4 has 3), the blank at class 0
TARGETS = np.array([[1, 2, 2], [3, 3, 1], [1, 0, 0], [4, 4, 4], [2, 1, 3]])
INPUT_LENGTHS = np.array([7, 6, 5, 3, 7])
TARGET_LENGTHS = np.array([3, 2, 0, 3, 3])


def both(x, targets, il, tl, **kw):
    """(autograd loss, its grad wrt x; torch loss, its grad) with log_softmax over the classes."""
    xa = Tensor(x, requires_grad=True)
    la = F.ctc_loss(xa.log_softmax(-1), targets, il, tl, **kw)
    la.sum().backward()
    xt = torch.tensor(x, requires_grad=True)
    lt = torch.nn.functional.ctc_loss(
        xt.log_softmax(-1), torch.as_tensor(targets), torch.as_tensor(il), torch.as_tensor(tl), **kw
    )
    lt.sum().backward()
    return la.data, xa.grad.data, lt.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_values_and_gradients_match_torch(reduction: str, zero_infinity: bool) -> None:
    la, ga, lt, gt = both(
        X, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction=reduction, zero_infinity=zero_infinity
    )
    np.testing.assert_allclose(la, lt, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ga, gt, rtol=1e-12, atol=1e-12)  # (nan where torch's is nan)
    if zero_infinity:
        assert not ga[:, 3].any()  # the impossible sample: loss 0, gradient 0
    else:  # the impossible sample's gradient is nan on its 3 frames (as torch's), 0 after them
        assert np.isnan(ga[:3, 3]).all() and not ga[3:, 3].any() and np.isfinite(np.delete(ga, 3, 1)).all()


@pytest.mark.parametrize("zero_infinity", [False, True])
def test_no_alignment_gives_torchs_nan_gradient_on_log_probs(zero_infinity: bool) -> None:
    # on log_probs directly (torch's finite gradient there is its logits' one, exp(lp) - posterior,
    # so only the nan and zero pattern compare): sample 0 needs 3 frames and has 2, sample 3 needs
    # class 2, of probability 0, sample 2 has no frames (loss inf, no frame to send nan to)
    x = np.random.default_rng(0).normal(size=(4, 4, 4))
    lp = x - np.log(np.exp(x).sum(-1, keepdims=True))
    lp[:, 3, 2] = -np.inf
    targets, il, tl = np.array([[1, 2, 3], [1, 1, 0], [2, 0, 0], [2, 1, 0]]), [2, 4, 0, 4], [3, 2, 1, 2]
    for reduction in ("none", "sum", "mean"):
        a = Tensor(lp, requires_grad=True)
        F.ctc_loss(a, targets, il, tl, reduction=reduction, zero_infinity=zero_infinity).sum().backward()
        t = torch.tensor(lp, requires_grad=True)
        torch.nn.functional.ctc_loss(
            t, torch.tensor(targets), torch.tensor(il), torch.tensor(tl), reduction=reduction,
            zero_infinity=zero_infinity,
        ).sum().backward()  # fmt: skip
        want = t.grad.numpy()
        np.testing.assert_array_equal(np.isnan(a.grad.data), np.isnan(want))
        assert np.isnan(want).sum() == (0 if zero_infinity else (2 + 4) * 4)
        np.testing.assert_array_equal(a.grad.data[:, [0, 2, 3]], want[:, [0, 2, 3]])  # (nan, 0)


def test_impossible_alignment_is_inf() -> None:
    la, *_ = both(X, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS, reduction="none")
    assert np.isinf(la[3]) and np.isfinite(la[[0, 1, 2, 4]]).all()


def test_concatenated_targets_and_blank() -> None:
    concat = np.concatenate([row[:k] for row, k in zip(TARGETS, TARGET_LENGTHS)])
    shifted = np.where(TARGETS == 4, 0, TARGETS)  # blank=4: class 0 is a label now
    for targets, blank in [(concat, 0), (shifted, 4)]:
        la, ga, lt, gt = both(X, targets, INPUT_LENGTHS, TARGET_LENGTHS, blank=blank, reduction="none")
        np.testing.assert_allclose(la, lt, rtol=1e-12, atol=1e-12)
        finite = ~np.isnan(gt)
        np.testing.assert_allclose(ga[finite], gt[finite], rtol=1e-12, atol=1e-12)


def test_unbatched_and_zero_frames() -> None:
    la, ga, lt, gt = both(X[:, 0], TARGETS[0], np.array(7), np.array(3), reduction="none")
    assert la.shape == () and np.allclose(la, lt, rtol=1e-12, atol=0)
    np.testing.assert_allclose(ga, gt, rtol=1e-12, atol=1e-12)
    la, _, lt, _ = both(X[:, :2], np.array([2]), np.array([0, 0]), np.array([0, 1]), reduction="none")
    np.testing.assert_array_equal(la, lt)  # [0, inf]: no frames fit only the empty target


def test_empty_log_probs_are_refused_as_torch() -> None:
    args = (np.zeros((0, 2), int), np.zeros(0, int), np.zeros(0, int))
    with pytest.raises(RuntimeError, match="log_probs tensor must not be empty"):
        torch.nn.functional.ctc_loss(torch.zeros(T, 0, C), *map(torch.tensor, args))
    with pytest.raises(RuntimeError, match="log_probs must not be empty"):
        F.ctc_loss(Tensor(np.zeros((T, 0, C))), *args)


def test_module_and_losses_spelling() -> None:
    lp = Tensor(X, requires_grad=True).log_softmax(-1)
    module = CTCLoss(blank=0, reduction="mean", zero_infinity=True)(
        lp, TARGETS, INPUT_LENGTHS, TARGET_LENGTHS
    )
    direct = losses.ctc(TARGETS, lp, INPUT_LENGTHS, TARGET_LENGTHS, zero_infinity=True)
    torch_value = torch.nn.CTCLoss(zero_infinity=True)(
        torch.tensor(X).log_softmax(-1), *map(torch.tensor, (TARGETS, INPUT_LENGTHS, TARGET_LENGTHS))
    )
    assert module.data == direct.data and abs(module.data - torch_value.item()) < 1e-12


def test_finite_differences() -> None:
    def f(x):
        return losses.ctc(
            TARGETS[[0, 1, 4]], x.log_softmax(-1), INPUT_LENGTHS[[0, 1, 4]], TARGET_LENGTHS[[0, 1, 4]]
        )

    assert gradcheck(f, (Tensor(X[:, [0, 1, 4]], requires_grad=True),))


def test_float32() -> None:
    xa = Tensor(X.astype(np.float32))
    la = losses.ctc(TARGETS, xa.log_softmax(-1), INPUT_LENGTHS, TARGET_LENGTHS, reduction="none")
    lt = torch.nn.functional.ctc_loss(
        torch.tensor(X, dtype=torch.float32).log_softmax(-1),
        *map(torch.tensor, (TARGETS, INPUT_LENGTHS, TARGET_LENGTHS)),
        reduction="none",
    )
    assert la.data.dtype == np.float32
    np.testing.assert_allclose(la.data, lt.numpy(), rtol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"blank": 5}, "blank must be a class index"),
        ({"blank": 1.0}, "blank must be an int"),
        ({"reduction": "avg"}, "reduction must be one of"),
        ({"zero_infinity": "yes"}, "zero_infinity must be True or False"),
        ({"input_lengths": np.array([8, 1, 1, 1, 1])}, r"input_lengths must lie in \[0, 7\]"),
        ({"input_lengths": np.array([7, 7])}, "input_lengths must be 5 integer"),
        ({"target_lengths": np.array([4, 1, 1, 1, 1])}, "target_lengths must be at most targets' S = 3"),
        ({"targets": TARGETS + 5}, r"targets must be class indices in \[0, 4\]"),
        ({"targets": TARGETS[:2]}, r"targets must have shape \(N, S\)"),
        ({"targets": np.arange(3)}, "concatenated targets must hold sum"),
        ({"targets": TARGETS + 0.5}, "targets must hold integers; got dtype float64"),
        ({"targets": TARGETS * 0}, "targets must not contain the blank class 0"),
        ({"log_probs": X[0, 0]}, r"log_probs must have shape \(T, N, C\)"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs: dict, match: str) -> None:
    args = {
        "log_probs": Tensor(X),
        "targets": TARGETS,
        "input_lengths": INPUT_LENGTHS,
        "target_lengths": TARGET_LENGTHS,
    }
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=match):
        F.ctc_loss(**args)


def test_losses_names_point_here() -> None:
    with pytest.raises(AttributeError, match="losses.ctc"):
        losses.ctc_loss  # noqa: B018
    assert autograd.nn.CTCLoss is CTCLoss


def test_compiled_step_reads_each_calls_numbers() -> None:
    # the logsumexp shifts and masks are nograd nodes: a compiled step equals eager to the bit
    x = Tensor(X.copy(), requires_grad=True)

    @autograd.compile
    def step():
        return losses.ctc(TARGETS, x.log_softmax(-1), INPUT_LENGTHS, TARGET_LENGTHS, zero_infinity=True)

    for scale in (1.0, 11.0, 21.0):
        x.data[...] = RNG.normal(size=X.shape) * scale
        x.grad = None
        out = step()
        e = Tensor(x.data.copy(), requires_grad=True)
        want = losses.ctc(TARGETS, e.log_softmax(-1), INPUT_LENGTHS, TARGET_LENGTHS, zero_infinity=True)
        want.backward()
        assert out.item() == want.item() and np.array_equal(x.grad.data, e.grad.data)
    assert step.trace_count == 1
