"""``Module.state_dict()`` as torch's: an ``OrderedDict`` of detached Tensors sharing the
parameters' and buffers' memory (``keep_vars=True``: the objects themselves), torch's keys,
``prefix``, ``destination``, ``_metadata`` and deprecated positional form, each checked beside
torch; every consumer (``load_state_dict``, ``assign=True``, ``autograd.save``/``load``, deepcopy)
takes the Tensors, the numpy arrays of before, and torch's own tensors."""

from __future__ import annotations

import copy
import io
import json
import random
import warnings
from collections import OrderedDict
from typing import Any

import numpy as np
import pytest
import torch

import autograd
from autograd import Tensor, nn
from autograd.nn import MLP, Parameter


class _Net:
    """The same small network in both libraries: Linear, BatchNorm1d, a nested Sequential, and a
    module with a persistent, a non-persistent and a None buffer."""

    @staticmethod
    def build(lib: Any) -> Any:
        class Extra(lib.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.scale = lib.nn.Parameter(lib.tensor([2.0, 3.0], dtype=lib.float64))
                self.register_buffer("kept", lib.tensor([1.0, -1.0], dtype=lib.float64))
                self.register_buffer("scratch", lib.zeros(2, dtype=lib.float64), persistent=False)
                self.register_buffer("nothing", None)

        lib.manual_seed(0)
        inner = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.Tanh())
        model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.BatchNorm1d(3), inner, Extra())
        return model.double()


def _pair() -> tuple[Any, Any]:
    ours, theirs = _Net.build(autograd), _Net.build(torch)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    return ours, theirs


def test_keys_types_dtypes_and_numbers_are_torchs() -> None:
    ours, theirs = _pair()
    sd, tsd = ours.state_dict(), theirs.state_dict()
    assert type(sd) is type(tsd) is OrderedDict
    assert list(sd) == list(tsd) and "3.scratch" not in sd and "3.nothing" not in sd
    assert "1.num_batches_tracked" in sd and "3.kept" in sd
    for k, t in tsd.items():
        v = sd[k]
        assert type(v) is Tensor, k
        assert (
            (v.requires_grad, v.is_leaf, v.grad_fn)
            == (t.requires_grad, t.is_leaf, None)
            == (False, True, None)
        )
        assert str(v.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], k
        assert tuple(v.size()) == tuple(t.size()), k
        np.testing.assert_array_equal(v.numpy(), t.numpy(), err_msg=k)


def test_values_share_memory_with_the_parameters_and_buffers_both_ways() -> None:
    ours, theirs = _pair()
    for lib, model in ((autograd, ours), (torch, theirs)):
        sd = model.state_dict()
        sd["0.weight"].add_(1.0)  # the state dict's value changes the model ...
        sd["1.running_mean"].sub_(2.0)
        with lib.no_grad():
            model[0].bias.mul_(3.0)  # ... and the model's parameter the value
    for k, t in theirs.state_dict().items():
        np.testing.assert_array_equal(ours.state_dict()[k].numpy(), t.numpy(), err_msg=k)
    np.testing.assert_array_equal(ours[1].running_mean.numpy(), theirs[1].running_mean.numpy())
    sd = ours.state_dict()
    assert np.shares_memory(sd["0.weight"].data, ours[0].weight.data)
    assert np.shares_memory(sd["3.kept"].data, ours[3].kept.data)


def test_keep_vars_gives_the_parameters_and_buffers_themselves() -> None:
    ours, theirs = _pair()
    for model in (ours, theirs):
        sd = model.state_dict(keep_vars=True)
        assert sd["0.weight"] is model[0].weight and sd["2.0.bias"] is model[2][0].bias
        assert sd["1.running_var"] is model[1].running_var and sd["3.scale"] is model[3].scale
        assert sd["0.weight"].requires_grad and model.state_dict()["0.weight"] is not model[0].weight
    assert type(ours.state_dict(keep_vars=True)["0.weight"]) is Parameter


def test_prefix_destination_metadata_and_the_positional_form_are_torchs() -> None:
    ours, theirs = _pair()
    assert ours.state_dict()._metadata == theirs.state_dict()._metadata  # (BatchNorm's version 2)
    for prefix in ("model.", "abc", ""):
        sd, tsd = ours.state_dict(prefix=prefix), theirs.state_dict(prefix=prefix)
        assert list(sd) == list(tsd) and sd._metadata == tsd._metadata, prefix
    mine: dict[str, Any] = {"first": 1}
    theirs_d: dict[str, Any] = {"first": 1}
    assert ours.state_dict(destination=mine, prefix="x.") is mine
    theirs.state_dict(destination=theirs_d, prefix="x.")
    assert list(mine) == list(theirs_d) and not hasattr(mine, "_metadata")
    caught = []
    for model in (ours, theirs):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            sd = model.state_dict(None, "p.", True)
        caught.append([(x.category, str(x.message)) for x in w])
        assert list(sd)[0] == "p.0.weight" and sd["p.0.weight"] is model[0].weight
    assert caught[0] == caught[1] and caught[0][0][0] is FutureWarning


def test_a_deepcopy_is_an_independent_snapshot_as_torchs() -> None:
    ours, theirs = _pair()
    for model in (ours, theirs):
        snapshot = copy.deepcopy(model.state_dict())
        assert type(snapshot) is OrderedDict and snapshot._metadata == model.state_dict()._metadata
        before = snapshot["0.weight"].clone()
        model.state_dict()["0.weight"].add_(5.0)
        assert (snapshot["0.weight"] == before).all()
        snapshot["0.bias"].add_(1.0)
        assert not (model[0].bias == snapshot["0.bias"]).any()


def test_torchs_tensors_ours_and_numpy_arrays_all_load() -> None:
    ours, theirs = _pair()
    theirs[0].weight.data.normal_()
    for source in (
        theirs.state_dict(),  # torch's tensors
        {k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()},  # the old numpy form
    ):
        fresh = _Net.build(autograd)
        assert repr(fresh.load_state_dict(source)) == "<All keys matched successfully>"
        for k, v in fresh.state_dict().items():
            np.testing.assert_array_equal(v.numpy(), np.asarray(source[k]), err_msg=k)
    back = _Net.build(torch)
    back.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in fresh.state_dict().items()})
    for k, v in back.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), fresh.state_dict()[k].numpy(), err_msg=k)


def test_load_copies_and_assign_shares_as_torchs() -> None:
    source, tsource = _pair()
    for lib, src in ((autograd, source), (torch, tsource)):
        copied, assigned = _Net.build(lib), _Net.build(lib)
        copied.load_state_dict(src.state_dict())
        assigned.load_state_dict(src.state_dict(), assign=True)
        with lib.no_grad():
            src[0].weight.add_(1.0)
        assert not (copied[0].weight == src[0].weight).any()
        assert (assigned[0].weight == src[0].weight).all() and assigned[0].weight.requires_grad


def test_save_and_load_round_trip_keeps_tensors_order_and_parameters() -> None:
    ours, _ = _pair()
    for keep_vars in (False, True):
        buffer = io.BytesIO()
        autograd.save(ours.state_dict(keep_vars=keep_vars), buffer)
        buffer.seek(0)
        loaded = autograd.load(buffer)
        assert type(loaded) is OrderedDict and list(loaded) == list(ours.state_dict())
        assert type(loaded["0.weight"]) is (Parameter if keep_vars else Tensor)
        assert type(loaded["1.running_mean"]) is Tensor and not loaded["1.running_mean"].requires_grad
        assert loaded["1.num_batches_tracked"].dtype == autograd.int64
        fresh = _Net.build(autograd)
        fresh.load_state_dict(loaded)
        for k, v in ours.state_dict().items():
            np.testing.assert_array_equal(fresh.state_dict()[k].numpy(), v.numpy(), err_msg=k)


def _old_file(arrays: dict[str, np.ndarray]) -> io.BytesIO:
    """The file ``autograd.save(model.state_dict())`` wrote before state dicts held Tensors: a
    plain dict of numpy arrays (``{"dict": [key, {"ndarray": i}, ...]}``)."""
    items: list[Any] = []
    for i, k in enumerate(arrays):
        items += [k, {"ndarray": i}]
    meta = json.dumps({"format": "gradscope-save", "version": 1, "obj": {"dict": items}})
    buffer = io.BytesIO()
    np.savez(buffer, __meta__=np.array(meta), **{str(i): a for i, a in enumerate(arrays.values())})
    buffer.seek(0)
    return buffer


def test_a_file_written_before_loads_unchanged() -> None:
    ours, _ = _pair()
    arrays = {k: v.numpy().copy() for k, v in ours.state_dict().items()}
    loaded = autograd.load(_old_file(arrays))
    assert type(loaded) is dict and all(type(v) is np.ndarray for v in loaded.values())
    fresh = _Net.build(autograd)
    fresh[0].weight.data[...] = 0.0
    assert repr(fresh.load_state_dict(loaded)) == "<All keys matched successfully>"
    for k, v in fresh.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), arrays[k], err_msg=k)


def test_a_value_model_gives_float64_tensors_that_are_copies() -> None:
    model = MLP(2, [3, 1], rng=random.Random(0))
    sd = model.state_dict()
    assert list(sd) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(type(v) is Tensor and v.dtype == autograd.float64 for v in sd.values())
    assert sd["0.weight"].shape == (3, 2)
    sd["0.weight"].add_(1.0)
    assert model.layers[0].neurons[0].w[0].data == sd["0.weight"][0, 0].item() - 1.0

    class Scalar(nn.Module):
        def __init__(self) -> None:
            self.w = autograd.Value(0.5)

    scalar = Scalar()
    (value,) = scalar.state_dict().values()
    assert type(value) is Tensor and value.shape == () and value.item() == 0.5
    assert scalar.state_dict(keep_vars=True)["w"] is scalar.w


@pytest.mark.parametrize("bad", [np.array([1.0, np.nan, 0.0]), torch.ones(4)])
def test_a_bad_tensor_is_refused_and_nothing_changes(bad: Any) -> None:
    ours, _ = _pair()
    before = {k: v.numpy().copy() for k, v in ours.state_dict().items()}
    sd = {k: v.clone() + 1.0 for k, v in ours.state_dict().items()}
    sd["0.bias"] = bad
    with pytest.raises(ValueError, match=r"'0\.bias': expected"):
        ours.load_state_dict(sd)
    for k, v in ours.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k], err_msg=k)
