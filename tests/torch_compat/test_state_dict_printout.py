"""The recipe "What is a state_dict" carried on past the page: after a few steps of SGD with
momentum and of Adam, ``print(model.state_dict())`` and ``print(optimizer.state_dict())`` print
torch's keys, structure and numbers (compared as in ``test_tutorial_pages.py``), with only the
import lines changed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from test_tutorial_pages import ours, run_page, same_printout

import autograd

torch = pytest.importorskip("torch")

PROGRAM = """
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.BatchNorm1d(2), nn.Linear(2, 1))
x, y = torch.rand(5, 3), torch.rand(5, 1)
for make in (lambda p: optim.SGD(p, lr=0.1, momentum=0.9), lambda p: optim.Adam(p, lr=0.01)):
    optimizer = make(net.parameters())
    for step in range(2):
        optimizer.zero_grad()
        loss = nn.MSELoss()(net(x), y)
        loss.backward()
        optimizer.step()
    print(net.state_dict())
    for var_name in optimizer.state_dict():
        print(var_name, "\\t", optimizer.state_dict()[var_name])
    for name, value in net.state_dict().items():
        print(name, value.size(), value.dtype == torch.int64, value.requires_grad)
    print(list(optimizer.state_dict()["state"][0]))
"""

#: torch's implementation keys, in its param groups only (one implementation here)
TORCH_ONLY = re.compile(r"'(foreach|differentiable|fused|capturable)': \w+, ")


def _structure(lines: list[str]) -> list[str]:
    """The printed lines without their numbers and tensor reprs: keys and nesting only."""
    text = "\n".join(TORCH_ONLY.sub("", line) for line in lines)
    text = re.sub(r"(?is)tensor\((\[.*?\]|[^()\[\]]*?)(, dtype=\w+)?\)", "T", text)
    return re.sub(r"(torch\.)?Size\(\[[\d, ]*\]\)", "S", text).split("\n")


def test_printed_state_dicts_after_steps_are_torchs(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    theirs, _ = run_page(PROGRAM, torch, tmp_path, monkeypatch)
    mine, _ = run_page(ours(PROGRAM), autograd, tmp_path, monkeypatch)
    assert _structure(mine) == _structure(theirs)
    assert any("'exp_avg_sq'" in line for line in mine) and any("momentum_buffer" in line for line in mine)
    same_printout(mine, [TORCH_ONLY.sub("", line) for line in theirs])
