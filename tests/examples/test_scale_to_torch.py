"""examples/scale_to_torch.py: the one script trains on this library; with only its import lines
changed it trains on PyTorch with the same losses and weights; and that copy trains under
DistributedDataParallel on two CPU processes with the single-process numbers."""

from __future__ import annotations

import difflib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
import torch
from example_loader import EXAMPLES, load_example

STEPS = 4
SWAP = {
    "import autograd as torch  # PyTorch: import torch": "import torch",
    "from autograd import nn  # PyTorch: from torch import nn": "from torch import nn",
}


def pytorch_copy(folder: Path) -> Path:
    """The script with its import lines swapped for PyTorch's, and nothing else changed."""
    source = (EXAMPLES / "scale_to_torch.py").read_text(encoding="utf-8")
    swapped = "\n".join(SWAP.get(line, line) for line in source.split("\n"))
    changed = [
        line[1:]
        for line in difflib.unified_diff(source.split("\n"), swapped.split("\n"), lineterm="", n=0)
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert len(changed) == 2 * len(SWAP) and all(c.startswith(("import ", "from ")) for c in changed), changed
    path = folder / "scale_to_torch_pytorch.py"
    path.write_text(swapped, encoding="utf-8")
    return path


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def same_run(ours: dict, theirs: dict, rtol: float) -> None:
    np.testing.assert_allclose(ours["losses"], theirs["losses"], rtol=rtol, atol=0)
    assert ours["weights"].keys() == theirs["weights"].keys()
    for name in ours["weights"]:
        np.testing.assert_allclose(ours["weights"][name], theirs["weights"][name], rtol=rtol, atol=1e-14)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path]:
    """(this library's run, PyTorch's run in this process, the PyTorch copy's path)."""
    ours = load_example("scale_to_torch").run(STEPS)
    path = pytorch_copy(tmp_path_factory.mktemp("scale"))
    previous = torch.get_default_dtype()
    try:
        theirs = load(path).run(STEPS)
    finally:
        torch.set_default_dtype(previous)  # (the script sets float64)
    return ours, theirs, path


def test_it_trains_here_and_gives_pytorchs_losses_and_weights(runs: tuple[dict, dict, Path]) -> None:
    ours, theirs, _ = runs
    assert len(ours["losses"]) == STEPS and ours["losses"][-1] < ours["losses"][0]
    same_run(ours, theirs, rtol=1e-12)


def test_the_comparison_catches_a_different_run(runs: tuple[dict, dict, Path]) -> None:
    ours, theirs, _ = runs
    shifted = {"losses": ours["losses"][1:] + ours["losses"][:1], "weights": ours["weights"]}
    with pytest.raises(AssertionError):
        same_run(shifted, theirs, rtol=1e-12)


@pytest.mark.skipif(
    not torch.distributed.is_available(), reason="this PyTorch build has no torch.distributed (gloo)"
)
def test_it_trains_under_distributed_data_parallel_as_in_one_process(
    runs: tuple[dict, dict, Path], tmp_path: Path
) -> None:
    _, theirs, path = runs
    out = tmp_path / "ddp.json"
    done = subprocess.run(
        [sys.executable, str(path), "--ddp", "--steps", str(STEPS), "--json", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    same_run(json.loads(out.read_text()), theirs, rtol=1e-10)
    assert f"step {STEPS - 1}: loss" in done.stdout
