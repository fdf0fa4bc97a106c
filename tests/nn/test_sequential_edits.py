"""``del seq[i]`` and ``seq.insert(i, m)``, as torch's Sequential does them: the modules numbered
again, the same state-dict keys, the same outputs once torch's copy holds the same weights."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn as tnn

import autograd.nn as nn
from autograd import Tensor, manual_seed

EDITS: list[tuple[str, Callable[[Any, Any], None]]] = [
    ("del 1", lambda s, m: s.__delitem__(1)),
    ("del -1", lambda s, m: s.__delitem__(-1)),
    ("del 0:2", lambda s, m: s.__delitem__(slice(0, 2))),
    ("insert 0", lambda s, m: s.insert(0, m.Linear(2, 2))),
    ("insert 1", lambda s, m: s.insert(1, m.Linear(2, 2))),
    ("insert -1", lambda s, m: s.insert(-1, m.Tanh())),
    ("insert -3", lambda s, m: s.insert(-3, m.Sigmoid())),
    ("insert at the end", lambda s, m: s.insert(3, m.Sigmoid())),
    ("add_module of a new name", lambda s, m: s.add_module("head", m.Linear(2, 1))),
    ("add_module of a name taken", lambda s, m: s.add_module("1", m.Sigmoid())),
]


def _pair() -> tuple[nn.Sequential, tnn.Sequential]:
    ours = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2))
    theirs = tnn.Sequential(tnn.Linear(2, 2), tnn.ReLU(), tnn.Linear(2, 2))
    return ours, theirs


@pytest.mark.parametrize("edit", [f for _, f in EDITS], ids=[n for n, _ in EDITS])
def test_an_edit_numbers_the_modules_as_torch(edit: Callable[[Any, Any], None]) -> None:
    manual_seed(0)
    ours, theirs = _pair()
    edit(ours, nn)
    edit(theirs, tnn)
    assert [type(m).__name__ for m in ours] == [type(m).__name__ for m in theirs]
    state = ours.state_dict()
    assert list(state) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in state.items()})
    x = np.linspace(-1.0, 1.0, 6).reshape(3, 2).astype(np.float32)
    np.testing.assert_allclose(ours(Tensor(x)).data, theirs(torch.from_numpy(x)).detach().numpy(), atol=1e-6)


def test_insert_out_of_range_names_the_index() -> None:
    ours, theirs = _pair()
    with pytest.raises(IndexError, match="Index out of range"):
        theirs.insert(4, tnn.Tanh())
    with pytest.raises(IndexError, match=r"Sequential.insert: index must be an int in \[-3, 3\], got 4"):
        ours.insert(4, nn.Tanh())
    with pytest.raises(TypeError, match="Sequential.insert: expected a Module, got int"):
        ours.insert(0, 3)
    assert len(ours) == 3


def test_add_module_of_module_dict_and_module_list_as_torch() -> None:
    for mod in (nn, tnn):
        d = mod.ModuleDict({"a": mod.ReLU()})
        d.add_module("a", mod.Tanh())
        d.register_module("b", mod.Sigmoid())
        assert [(k, type(v).__name__) for k, v in d.items()] == [("a", "Tanh"), ("b", "Sigmoid")]
        layers = mod.ModuleList([mod.ReLU()])
        layers.add_module("1", mod.Tanh())
        layers.add_module("0", mod.Sigmoid())
        assert [type(m).__name__ for m in layers] == ["Sigmoid", "Tanh"]
    with pytest.raises(
        KeyError, match="ModuleList.add_module: name must be an index from '0' to '1', got '5'"
    ):
        nn.ModuleList([nn.ReLU()]).add_module("5", nn.Tanh())
    with pytest.raises(TypeError, match="Sequential.add_module: expected a Module, got int"):
        nn.Sequential().add_module("a", 3)
