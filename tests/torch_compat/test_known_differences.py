"""The torch habits that behave differently here on purpose, one test each, with the exact value or
behaviour on both sides (the README's "Known differences from PyTorch" lists them)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd


def test_data_is_the_ndarray() -> None:
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    assert type(w.data) is np.ndarray and type(torch.ones(1).data) is torch.Tensor
    with pytest.raises(AttributeError, match="'numpy.ndarray' object has no attribute 'zero_'"):
        w.grad.data.zero_()  # torch's habit; here w.grad.zero_()
    w.data -= 0.5 * w.grad  # in place into the ndarray: [1, 2] - 0.5 * [2, 4]
    assert w.tolist() == [0.0, 0.0]


def test_size_is_torchs_method_and_shape_a_plain_tuple() -> None:
    t, tt = autograd.zeros(3, 4), torch.zeros(3, 4)
    assert t.size() == tt.size() == (3, 4) and t.size(1) == tt.size(1) == 4
    assert type(t.shape) is tuple and type(tt.shape) is torch.Size
    assert repr(t.size()) == "Size([3, 4])" and repr(tt.size()) == "torch.Size([3, 4])"
    with pytest.raises(TypeError, match="write t.numel"):
        _ = t.size == 12  # numpy's habit


def test_random_numbers_are_torchs_stream() -> None:
    """Once numpy's PCG64 stream; now torch's: randn(3) after manual_seed(0) is torch's float32
    randn(3), held in float64 (more in tests/engine/test_torch_random_streams.py)."""
    autograd.manual_seed(0)
    ours = autograd.randn(3)
    torch.manual_seed(0)
    np.testing.assert_array_equal(ours.data, torch.randn(3).double().numpy())
    autograd.manual_seed(0)
    np.testing.assert_array_equal(autograd.randn(3).data, ours.data)  # reproducible all the same


def test_the_default_dtype_is_float64() -> None:
    assert autograd.tensor([1.5]).dtype == autograd.float64 and autograd.get_default_dtype() == np.float64
    assert torch.tensor([1.5]).dtype == torch.float32 == torch.get_default_dtype()
    assert autograd.tensor([1.5]).item() == 1.5 and autograd.tensor([0.1]).item() == 0.1
    assert torch.tensor([0.1]).item() == 0.10000000149011612


def test_every_computed_tensor_keeps_its_gradient() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    (y * y).sum().backward()
    assert y.grad.tolist() == [6.0, 12.0]  # torch: None (with a warning) unless y.retain_grad()
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    ty = tx * 3
    (ty * ty).sum().backward()
    with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
        assert ty.grad is None
    (y * y).sum().backward()
    assert y.grad.tolist() == [6.0, 12.0]  # this pass's (torch's retained grads accumulate: 12, 24)
    assert x.grad.tolist() == [36.0, 72.0]  # leaves accumulate, as torch


def test_graphs_are_never_freed() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    loss = (x.exp() * x).sum()
    loss.backward()
    loss.backward()  # torch raises without retain_graph=True
    np.testing.assert_allclose(x.grad.data, 2 * np.exp([1.0, 2.0]) * (1 + np.array([1.0, 2.0])), rtol=1e-15)
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    tloss = (tx.exp() * tx).sum()
    tloss.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        tloss.backward()


def test_grad_is_a_new_tensor_at_each_read_and_accumulation_replaces_it() -> None:
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    assert w.grad is not w.grad and w.grad.data is w.grad.data  # torch: the same Tensor object
    before = w.grad
    (w * w).sum().backward()
    assert before.tolist() == [2.0, 4.0] and w.grad.tolist() == [4.0, 8.0]  # torch: before is [4, 8] too
    tw = torch.tensor([1.0, 2.0], requires_grad=True)
    (tw * tw).sum().backward()
    tbefore = tw.grad
    (tw * tw).sum().backward()
    assert tbefore.tolist() == [4.0, 8.0]


def test_non_float_inputs_give_the_default_float_dtype() -> None:
    """Where torch's result is its default float dtype (float32: an int64 tensor divided, with a Python
    float, sin of a bool), it is the default dtype here: float64, float32 after set_default_dtype.
    Otherwise the dtypes are torch's (tests/engine/test_dtype_promotion.py)."""
    i, f = autograd.tensor([1, 2]), autograd.tensor([0.5, 0.25], dtype=autograd.float32)
    ti, tf = torch.tensor([1, 2]), torch.tensor([0.5, 0.25], dtype=torch.float32)
    assert (i * f).dtype == np.float32 and (ti * tf).dtype == torch.float32  # the same as torch
    assert (i / i).dtype == (i + 0.5).dtype == autograd.tensor([True]).sin().dtype == np.float64
    assert (ti / ti).dtype == (ti + 0.5).dtype == torch.tensor([True]).sin().dtype == torch.float32
    previous = autograd.get_default_dtype()
    autograd.set_default_dtype(autograd.float32)
    try:
        assert (i + 0.5).dtype == (i / i).dtype == (i**0.5).dtype == np.float32  # torch's, now
    finally:
        autograd.set_default_dtype(previous)


def test_positional_max_is_amax_on_a_tensor() -> None:
    x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
    assert x.max(1).tolist() == [5.0, 7.0]  # the values only (torch: values and indices)
    values, indices = autograd.max(x, 1)  # the function is torch's
    tvalues, tindices = torch.tensor([[1.0, 5.0], [7.0, 2.0]]).max(1)
    assert values.tolist() == tvalues.tolist() and indices.tolist() == tindices.tolist() == [1, 0]
    assert x.max(dim=1).indices.tolist() == [1, 0]
    # torch's keyword keepdim asks for torch's form (pytorch/examples' `output.max(1, keepdim=True)[1]`)
    t = torch.tensor([[1.0, 5.0], [7.0, 2.0]])
    for op in ("max", "min"):
        for keep in (True, False):
            ours, theirs = getattr(x, op)(1, keepdim=keep), getattr(t, op)(1, keepdim=keep)
            assert ours[1].tolist() == theirs[1].tolist() and ours[0].shape == tuple(theirs[0].shape)
    assert x.max(keepdim=True).shape == (1, 1) and x.min(0, True).tolist() == [[1.0, 2.0]]  # (numpy keepdims)


def test_autograd_grad_gives_arrays_without_create_graph() -> None:
    x = autograd.tensor([1.0, 2.0], requires_grad=True)
    (g,) = autograd.autograd.grad((x * x).sum(), x)
    assert type(g) is np.ndarray and g.tolist() == [2.0, 4.0]  # torch: a Tensor
    (g,) = autograd.autograd.grad((x * x).sum(), x, create_graph=True)
    assert type(g) is autograd.Tensor


def test_an_ndarray_on_the_left_of_a_comparison_gives_an_ndarray() -> None:
    t = autograd.tensor([1.0, 2.0])
    assert type(t == np.array([1.0, 0.0])) is autograd.Tensor
    assert type(np.array([1.0, 0.0]) == t) is np.ndarray  # numpy's function on a Tensor: numpy's result
    assert type(np.array([1.0, 0.0]) == torch.tensor([1.0, 2.0])) is torch.Tensor


def test_the_printed_form() -> None:
    assert repr(autograd.tensor([1.0, 2.0], requires_grad=True)) == (
        "Tensor([1., 2.], dtype=float64, requires_grad=True)"
    )
    assert repr(torch.tensor([1.0, 2.0], requires_grad=True)) == "tensor([1., 2.], requires_grad=True)"


def test_the_device_equals_the_string_cpu_and_there_are_no_others() -> None:
    t = autograd.tensor([1.0])
    assert t.device == "cpu" and t.to(t.device) is t and str(torch.tensor([1.0]).device) == "cpu"
    assert repr(t.device) == repr(torch.tensor([1.0]).device) == "device(type='cpu')"
    assert (torch.tensor([1.0]).device == "cpu") is False  # torch: a device is never equal to a string
    torch.device("cuda")  # torch makes a CUDA device without CUDA (moving a tensor there fails)
    with pytest.raises(RuntimeError, match="only the CPU exists here"):
        autograd.device("cuda")


def test_grad_accepts_an_ndarray() -> None:
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    w.grad = np.array([0.5, 0.5])
    assert w.grad.tolist() == [0.5, 0.5]
    tw = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="assigned grad expected to be a Tensor or None"):
        tw.grad = np.array([0.5, 0.5])


# -- found by tinygrad's op tests (tests/torch_compat/test_tinygrad_ops.py)
def test_rounding_ops_give_plain_results() -> None:
    """sign, floor, ceil, round, trunc: a result with no graph (their derivative is 0), so
    autograd.grad of it alone raises; torch records it and gives zeros. Through a product the
    gradients agree."""
    x = autograd.tensor([-1.5, 0.0, 2.5], requires_grad=True)
    assert not x.sign().requires_grad and not x.floor().requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        autograd.autograd.grad(x.sign().sum(), x)
    tx = torch.tensor([-1.5, 0.0, 2.5], requires_grad=True)
    assert torch.autograd.grad(tx.sign().sum(), tx)[0].tolist() == [0.0, 0.0, 0.0]
    (g,) = autograd.autograd.grad((x.sign() * x).sum(), x)
    assert g.tolist() == torch.autograd.grad((tx.sign() * tx).sum(), tx)[0].tolist() == [-1.0, 0.0, 1.0]


def test_numpys_slices_and_indices() -> None:
    """Negative steps slice as numpy's (torch refuses them); a[..., ...] and a float list index are
    refused as numpy refuses them (torch takes both: one ellipsis, the floats truncated)."""
    a = np.arange(6.0).reshape(2, 3)
    assert autograd.tensor(a)[:, ::-1].tolist() == a[:, ::-1].tolist() == [[2.0, 1.0, 0.0], [5.0, 4.0, 3.0]]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        torch.tensor(a)[:, ::-1]
    with pytest.raises(IndexError, match="single ellipsis"):
        autograd.tensor(a)[..., ...]
    assert torch.tensor(a)[..., ...].tolist() == a.tolist()
    with pytest.raises(IndexError, match="integer"):
        autograd.tensor(a)[[1.1]]
    assert torch.tensor(a)[[1.1]].tolist() == [[3.0, 4.0, 5.0]]


def test_max_with_numpys_axis_keyword_is_amax() -> None:
    """x.max(axis=1), numpy's keyword, is numpy's max (values only), as x.max(1); torch reads axis as
    dim and gives (values, indices)."""
    x = autograd.tensor([[1.0, 5.0], [7.0, 2.0]])
    assert x.max(axis=1).tolist() == [5.0, 7.0]
    assert torch.tensor([[1.0, 5.0], [7.0, 2.0]]).max(axis=1).indices.tolist() == [1, 0]


def test_roll_pairs_shifts_and_dims_as_numpy() -> None:
    """shifts and dims broadcast together as numpy's roll pairs them; torch wants one shift per dim."""
    x = np.arange(6.0).reshape(2, 3)
    assert autograd.tensor(x).roll(1, (0, 1)).tolist() == np.roll(x, 1, (0, 1)).tolist()
    with pytest.raises(RuntimeError, match="shifts and dimensions must align"):
        torch.tensor(x).roll(1, (0, 1))


def test_soft_targets_must_be_probabilities() -> None:
    """cross_entropy's class probabilities are checked to lie in [0, 1] (the losses' bad-input rule,
    docs/guides/losses.md); torch computes with any numbers."""
    logits, target = np.zeros((2, 3)), np.array([[2.0, -1.0, 0.0], [0.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match=r"y_true must be probabilities in \[0, 1\]"):
        autograd.nn.functional.cross_entropy(autograd.tensor(logits), autograd.tensor(target))
    loss = torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(target))
    assert abs(loss.item() - np.log(3.0)) < 1e-12  # (-(2 - 1 + 0) - (1)) * -log 3 / 2 = log 3


def test_an_int_and_an_array_apart_index_as_torch() -> None:
    """``x[3, 2:, [1, 3]]``: an int and an array index with a slice between them. numpy counts the int
    as an advanced index and puts the broadcast axes first; torch applies the int first, so the
    array's axis stays in place. The engine's Tensor follows torch (HIPS autograd's numpy case
    ``index_mixed`` is left out of tests/hips for this)."""
    a = np.arange(5 * 6 * 7, dtype=float).reshape(5, 6, 7)
    ours, theirs = autograd.tensor(a)[3, 2:, [1, 3]], torch.tensor(a)[3, 2:, [1, 3]]
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert ours.shape == (4, 2) and a[3, 2:, [1, 3]].shape == (2, 4)


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (4, 4), (6, 2)])
@pytest.mark.parametrize("view", ["contiguous", "transposed"])
def test_svd_signs_are_lapacks_and_torch_calls_mkl(shape: tuple[int, int], view: str) -> None:
    """Each singular pair (u_k, v_k) is fixed only up to a common sign. numpy's LAPACK (OpenBLAS's
    gesdd) picks it here; torch's CPU wheels call MKL's gesdd, which picks the other sign for some
    columns (a contiguous 4x3 matrix too: it is the shape and the numbers, not the transposition).
    What is the same: the singular values, U·diag(S)·Vh, each column up to its sign, and the
    gradients of functions that do not depend on the signs."""
    rng = np.random.default_rng(7)
    data = rng.normal(size=shape if view == "contiguous" else shape[::-1])
    ours, theirs = autograd.tensor(data), torch.tensor(data)
    if view == "transposed":
        ours, theirs = ours.t(), theirs.t()
    u, s, vh = autograd.linalg.svd(ours, full_matrices=False)
    tu, ts, tvh = torch.linalg.svd(theirs, full_matrices=False)
    np.testing.assert_allclose(s.data, ts.numpy(), rtol=1e-12)
    np.testing.assert_allclose((u * s) @ vh, (tu * ts) @ tvh, atol=1e-12)
    np.testing.assert_allclose(np.abs(np.sum(u.data * tu.numpy(), axis=0)), 1.0, rtol=1e-10)
    np.testing.assert_allclose(np.abs(np.sum(vh.data * tvh.numpy(), axis=1)), 1.0, rtol=1e-10)
    np.testing.assert_allclose(u.data, np.linalg.svd(ours.data, full_matrices=False)[0], atol=1e-12)
    if shape == (4, 3):  # (the difference this test documents: a column of other sign)
        assert (np.sum(u.data * tu.numpy(), axis=0) < 0).any()


def test_an_optimizer_state_dicts_step_is_a_copy() -> None:
    """``optimizer.state_dict()``'s buffers are the optimizer's own memory on both sides, but its
    ``step`` is a 0-d Tensor made at the call here (steps are counted in an int), where torch's is
    the optimizer's own step tensor, which later steps advance."""
    import optimizers

    w, tw = autograd.ones(2, requires_grad=True), torch.ones(2, dtype=torch.float64, requires_grad=True)
    opt, topt = optimizers.Adam([w], lr=0.1), torch.optim.Adam([tw], lr=0.1)
    saved = []
    for step in range(2):
        w.grad, tw.grad = autograd.tensor([0.5, -1.0]), torch.tensor([0.5, -1.0], dtype=torch.float64)
        opt.step()
        topt.step()
        if step == 0:
            saved = [opt.state_dict()["state"][0], topt.state_dict()["state"][0]]
    mine, theirs = saved
    assert mine["step"].item() == 1.0 and theirs["step"].item() == 2.0  # torch's moved on
    np.testing.assert_allclose(mine["exp_avg"].numpy(), theirs["exp_avg"].numpy(), rtol=1e-15)
    np.testing.assert_array_equal(mine["exp_avg"].numpy(), opt.state[w]["exp_avg"])  # both live
