"""A torch name the library lacks: an AttributeError that says what to write instead, or plainly that
it is not supported; and the errors of torch's habits that cannot carry over."""

from __future__ import annotations

import copy
import pickle
import sys

import numpy as np
import pytest
import torch

import autograd
import autograd.nn as nn
import autograd.nn.functional as F


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("mps", r"MPS is not supported: this library runs on numpy on the CPU"),
        ("float16", r"float16 is not supported"),
        ("IntTensor", r"use autograd\.LongTensor \(int64\) or autograd\.tensor\(data, dtype=autograd\.int64"),
        ("int32", r"use autograd\.int64"),
        ("linsapce", r"did you mean 'linspace'\?"),
        ("sofmax", r"did you mean 'softmax'\?"),
        ("zzz_unheard_of", r"nor anything spelled like it"),
    ],
)
def test_the_namespace_says_what_to_write(name: str, says: str) -> None:
    with pytest.raises(AttributeError, match=rf"module 'autograd' has no attribute '{name}': {says}|{says}"):
        getattr(autograd, name)
    assert hasattr(torch, name) or name in ("linsapce", "sofmax", "zzz_unheard_of")  # (torch's own names)


@pytest.mark.parametrize(
    ("module", "name", "says"),
    [
        (
            nn,
            "CrossMapLRN2d",
            "module 'autograd.nn' has no attribute 'CrossMapLRN2d': not supported: the layers",
        ),
        (nn, "Linaer", "did you mean 'Linear'"),
        (
            F,
            "conv_tbc",
            "module 'autograd.nn.functional' has no attribute 'conv_tbc': not supported",
        ),
        (F, "rleu", "did you mean 'relu'"),
    ],
)
def test_nn_and_functional_say_what_to_write(module: object, name: str, says: str) -> None:
    with pytest.raises(AttributeError, match=says):
        getattr(module, name)


def test_probing_a_missing_name_looks_for_no_spelling(monkeypatch: pytest.MonkeyPatch) -> None:
    # hasattr and getattr(x, name, default) only catch the error: the nearest spelling (difflib,
    # about 2 ms a name) is looked for when the message is read, once
    import difflib

    calls = []
    close = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: calls.append(a) or close(*a, **k))
    assert not hasattr(autograd, "linsapce") and getattr(nn, "Linaer", None) is None
    assert calls == []
    with pytest.raises(AttributeError) as info:
        autograd.linsapce  # noqa: B018
    message = "module 'autograd' has no attribute 'linsapce': did you mean 'linspace'?"
    assert str(info.value) == message and str(info.value) == message
    assert len(calls) == 1


def test_importing_a_missing_name_fails_as_python_does() -> None:
    with pytest.raises(ImportError, match="CrossMapLRN2d"):
        from autograd.nn import CrossMapLRN2d  # noqa: F401


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("cuda", r"not supported: this library runs on numpy on the CPU; drop \.cuda\(\)"),
        ("short", r"use \.long\(\) \(int64\)"),
        ("copy", r"use \.clone\(\)"),
        ("half", r"float16 is not supported"),
    ],
)
def test_tensor_members_say_what_to_write(name: str, says: str) -> None:
    t = autograd.tensor([1.0, 2.0])
    with pytest.raises(AttributeError, match=rf"'Tensor' object has no attribute '{name}': {says}"):
        getattr(t, name)


def test_a_misspelled_member_gets_pythons_own_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        _ = autograd.tensor([1.0]).sofmax
    except AttributeError as e:
        sys.__excepthook__(type(e), e, e.__traceback__)  # what a script's traceback shows
    shown = capsys.readouterr().err
    assert "'Tensor' object has no attribute 'sofmax'" in shown and "Did you mean: 'softmax'?" in shown


def test_protocol_probes_get_the_plain_error_and_tensors_still_copy_and_pickle() -> None:
    t = autograd.tensor([1.0, 2.0], requires_grad=True)
    (t * t).sum().backward()
    assert not hasattr(t, "__deepcopy__") and not hasattr(t, "_repr_html_")
    for other in (copy.deepcopy(t), pickle.loads(pickle.dumps(t))):
        assert other.tolist() == [1.0, 2.0] and other.requires_grad and other.grad.tolist() == [2.0, 4.0]


def test_devices_other_than_the_cpu_are_refused_plainly() -> None:
    x = autograd.ones(2)
    assert x.to("cpu") is x and autograd.zeros(2, device="cpu").device == "cpu"
    with pytest.raises(RuntimeError, match=r"to\('cuda:0'\): only the CPU is supported"):
        x.to("cuda:0")
    with pytest.raises(RuntimeError, match="zeros: device='cuda' is not supported"):
        autograd.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match="tensor: device='mps' is not supported"):
        autograd.tensor([1.0], device="mps")
    with pytest.raises(RuntimeError, match=r"Linear\.to\('cuda'\): expected 'cpu'"):
        nn.Linear(2, 1).to("cuda")


def test_the_numpy_size_habit_says_to_write_numel() -> None:
    t = autograd.zeros(3, 4)
    message = (
        r"t\.size is a method, as in torch: t\.size\(\) is the shape .* "
        r"\(numpy's a\.size = 12 here\) write t\.numel\(\)"
    )
    for habit in (
        lambda: t.size == 12,
        lambda: t.size > 0,
        lambda: int(t.size),
        lambda: range(t.size),
        lambda: t.size * 2,
    ):
        with pytest.raises(TypeError, match=message):
            habit()
    with pytest.raises(TypeError, match=message):
        if t.size:
            pass
    assert t.size() == (3, 4) and t.size(1) == 4 and t.numel() == 12 and np.size(t.data) == 12


def test_habits_on_data_say_why() -> None:
    """``t.data`` is the ndarray: torch's ``w.grad.data.zero_()`` becomes ``w.grad.zero_()``."""
    w = autograd.ones(2, requires_grad=True)
    (w * 3).sum().backward()
    with pytest.raises(AttributeError, match="'numpy.ndarray' object has no attribute 'zero_'"):
        w.grad.data.zero_()
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0]


def test_float_indices_and_integer_grads_are_refused_as_torch() -> None:
    x = autograd.tensor([1.0, 2.0, 3.0])
    for t, bad in ((autograd, autograd.tensor([0.0, 1.0])), (torch, torch.tensor([0.0, 1.0]))):
        with pytest.raises(
            IndexError, match="tensors used as indices must be long, int, byte or bool tensors"
        ):
            (x if t is autograd else torch.tensor([1.0, 2.0, 3.0]))[bad]
    with pytest.raises(
        RuntimeError, match="Only Tensors of floating point and complex dtype can require gradients"
    ):
        autograd.arange(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="backward: element 0 of tensors does not require grad"):
        autograd.ones(2).sum().backward()
