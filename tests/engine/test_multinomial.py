"""``autograd.multinomial`` / ``Tensor.multinomial`` against torch 2.13's CPU kernel, bit for bit:
the same indices after the same seed (with and without replacement, 1-d and 2-d, float32 and
float64, zero probabilities and their tie order), the generator where torch leaves it, torch's
errors; inside a compiled step, new samples at every call equal to eager's, and a ``generator=``
of its own refused."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd
import autograd.nn.functional as F
from autograd import Tensor
from autograd._stl_sort import topk_indices
from autograd.compiled import CompileError


def _case(rng: np.random.Generator, trial: int) -> tuple[np.ndarray, int, bool]:
    dtype = (np.float32, np.float64)[trial % 2]
    k = int(rng.integers(1, 40))
    shape = (k,) if trial % 4 < 2 else (int(rng.integers(1, 4)), k)
    p = rng.random(shape).astype(dtype)
    if trial % 3 == 0:
        p[p < 0.4] = 0  # zero probabilities: without replacement they come last, in topk's tie order
        p[..., 0] = 0.5
    if trial % 5 == 0:
        p = (p**8).astype(dtype)  # tiny and unequal weights
    replacement = trial % 4 in (1, 3)
    n = int(rng.integers(1, 2 * k + 1)) if replacement else int(rng.integers(1, k + 1))
    return p, n, replacement


@pytest.mark.parametrize("block", range(4))
def test_the_indices_and_the_next_draw_are_torchs(block: int) -> None:
    rng = np.random.default_rng(block)
    for trial in range(60):
        p, n, replacement = _case(rng, trial)
        seed = int(rng.integers(0, 2**40))
        torch.manual_seed(seed)
        autograd.manual_seed(seed)
        theirs = torch.multinomial(torch.from_numpy(p), n, replacement)
        ours = autograd.multinomial(autograd.tensor(p), n, replacement)
        where = (block, trial, p.shape, p.dtype, n, replacement)
        assert ours.dtype == autograd.int64 and ours.shape == tuple(theirs.shape), where
        assert ours.data.tolist() == theirs.tolist(), where
        assert (
            autograd.rand(3, dtype=autograd.float64).data.tolist()
            == torch.rand(3, dtype=torch.float64).tolist()
        )


def test_one_sample_with_replacement_takes_torchs_exponential_path() -> None:
    """torch draws one exponential per category for ``n == 1`` even with replacement: the
    generator moves by the number of categories, not by one uniform."""
    p = np.array([[0.2, 0.3, 0.5, 0.0], [1.0, 1.0, 1.0, 1.0]])
    for seed in range(20):
        torch.manual_seed(seed)
        autograd.manual_seed(seed)
        assert (
            autograd.multinomial(p, 1, True).data.tolist()
            == torch.multinomial(torch.tensor(p), 1, True).tolist()
        )
        assert (
            autograd.rand(2, dtype=autograd.float64).data.tolist()
            == torch.rand(2, dtype=torch.float64).tolist()
        )


def test_running_sums_are_in_the_inputs_dtype() -> None:
    """float32 weights [2**24, 1, ..., 1]: torch's float32 running sum never moves past 2**24, so
    every sample is 0; in float64 the ones get their 1000/(2**24 + 1000) share."""
    p = np.array([2.0**24] + [1.0] * 1000)
    for dtype, torch_dtype in ((np.float32, torch.float32), (np.float64, torch.float64)):
        torch.manual_seed(0)
        autograd.manual_seed(0)
        theirs = torch.multinomial(torch.tensor(p, dtype=torch_dtype), 200_000, True)
        ours = autograd.multinomial(autograd.tensor(p.astype(dtype)), 200_000, True)
        assert np.array_equal(ours.data, theirs.numpy())
        assert (ours.data != 0).any() == (dtype == np.float64)


def test_zero_probabilities_come_last_in_torchs_order() -> None:
    """All categories without replacement where most weights are 0: the zeros' order is topk's."""
    p = np.zeros(200)
    p[[3, 50, 120]] = [0.2, 0.5, 0.3]
    for n, seed in ((200, 0), (150, 1), (5, 2), (3, 3)):
        torch.manual_seed(seed)
        autograd.manual_seed(seed)
        theirs = torch.multinomial(torch.tensor(p), n).tolist()
        assert autograd.multinomial(autograd.tensor(p), n).data.tolist() == theirs
        assert sorted(theirs[:3]) == [3, 50, 120]


def test_topk_ties_and_nans_are_in_torchs_order() -> None:
    """The port of libstdc++'s nth_element/sort/partial_sort against torch.topk on values with
    many ties (and NaNs), for both of torch's branches (64·k <= n: partial_sort)."""
    rng = np.random.default_rng(5)
    for trial in range(400):
        n = int(rng.choice([2, 3, 4, 15, 16, 17, 40, 64, 65, 130, 700]))
        k = int(rng.integers(1, n + 1)) if trial % 2 else max(1, n // 64)
        values = rng.integers(0, int(rng.choice([1, 2, 5, 1000])), size=n).astype(np.float32)
        if trial % 5 == 0:
            values[rng.random(n) < 0.2] = np.nan
        assert topk_indices(values, k).tolist() == torch.topk(torch.from_numpy(values), k).indices.tolist(), (
            trial,
            n,
            k,
        )


def test_a_generator_and_the_tensor_method() -> None:
    p = np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]], dtype=np.float32)
    ours_g, theirs_g = autograd.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    for replacement, n in ((True, 5), (False, 2)):
        ours = autograd.tensor(p).multinomial(n, replacement, generator=ours_g)
        theirs = torch.from_numpy(p).multinomial(n, replacement, generator=theirs_g)
        assert ours.data.tolist() == theirs.tolist()
    assert (
        autograd.rand(4, generator=ours_g, dtype=autograd.float32).data.tolist()
        == torch.rand(4, generator=theirs_g).tolist()
    )


def test_no_rows_draw_nothing() -> None:
    autograd.manual_seed(0)
    state = autograd.get_rng_state().data.tobytes()
    out = autograd.multinomial(np.zeros((0, 3)), 2, True)
    assert out.shape == (0, 2) and out.dtype == autograd.int64
    assert autograd.get_rng_state().data.tobytes() == state


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((np.ones((2, 2, 2)), 1), RuntimeError, "prob_dist must be 1 or 2 dim"),
        ((autograd.tensor([1, 2]), 1), RuntimeError, "only supports floating-point dtypes"),
        ((np.ones(3), 0), RuntimeError, "cannot sample n_sample <= 0 samples"),
        ((np.ones(3), 4), RuntimeError, "cannot sample n_sample > prob_dist.size"),
        (
            (np.array([0.5, -0.1]), 1),
            RuntimeError,
            "probability tensor contains either `inf`, `nan` or element < 0",
        ),
        ((np.array([0.5, np.inf]), 2, True), RuntimeError, "contains either `inf`"),
        ((np.array([0.5, np.nan]), 1), RuntimeError, "contains either `inf`"),
        (
            (np.zeros((2, 3)), 1),
            RuntimeError,
            r"invalid multinomial distribution \(sum of probabilities <= 0\)",
        ),
        ((np.ones(3), 1.5), TypeError, "num_samples must be an int, got float 1.5"),
        ((np.ones(3), 1, "yes"), TypeError, "replacement must be a bool"),
    ],
)
def test_bad_input_gets_torchs_error(args: tuple, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        autograd.multinomial(*args)


def test_torch_raises_the_same_errors() -> None:
    """The messages above are torch's (its RuntimeError for the values and the sizes)."""
    for p, n, repl, message in [
        (torch.ones(2, 2, 2), 1, False, "prob_dist must be 1 or 2 dim"),
        (torch.ones(3), 4, False, "cannot sample n_sample > prob_dist.size"),
        (
            torch.tensor([0.5, -0.1]),
            1,
            False,
            "probability tensor contains either `inf`, `nan` or element < 0",
        ),
        (torch.zeros(2, 3), 1, False, r"invalid multinomial distribution \(sum of probabilities <= 0\)"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            torch.multinomial(p, n, repl)


W = Tensor(np.random.default_rng(0).normal(size=(4, 5)), requires_grad=True)


def _policy_loss(x: Tensor, n: int, replacement: bool) -> Tensor:
    """REINFORCE's shape: sample actions from the policy's softmax, sum their log-probabilities."""
    logits = x @ W
    actions = autograd.multinomial(F.softmax(logits, -1), n, replacement)
    return autograd.take_along_dim(F.log_softmax(logits, -1), actions, -1).sum()


@pytest.mark.parametrize("n, replacement", [(4, True), (3, False), (1, True)])
def test_compiled_steps_draw_new_samples_equal_to_eager(n: int, replacement: bool) -> None:
    x = Tensor(np.random.default_rng(1).normal(size=(3, 4)))
    runs = []
    for compiled in (False, True):
        autograd.manual_seed(7)
        step = autograd.compile(lambda x: _policy_loss(x, n, replacement)) if compiled else None
        run = []
        for _ in range(4):
            W.grad = None
            if step is None:
                loss = _policy_loss(x, n, replacement)
                loss.backward()
            else:
                loss = step(x)
            run.append((loss.item(), W.grad.data.tobytes()))
        run.append(autograd.rand(2).data.tobytes())
        runs.append(run)
        if step is not None:
            assert step.trace_count == 1
    assert runs[0] == runs[1]
    assert len({value for value, _ in runs[0][:4]}) > 1  # (new samples at every call)


def test_a_generator_of_its_own_is_refused_in_a_compiled_step() -> None:
    g = autograd.Generator().manual_seed(1)
    x = Tensor(np.ones((3, 4)))
    step = autograd.compile(
        lambda x: (x @ W).sum() + autograd.multinomial(autograd.tensor([0.2, 0.8]), 1, generator=g).sum()
    )
    with pytest.raises(CompileError, match="generator= of its own"):
        step(x)
