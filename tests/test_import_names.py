"""``autograd``, ``losses`` and ``optimizers`` are common names. A user's own ``losses.py`` or
``autograd.py`` next to their script must neither break this library nor be hidden by it: each
package finds the others beside it on disk (``autograd/_siblings.py``). Each case runs a script in
a fresh interpreter, from a folder that holds the user's file, as ``python script.py`` would."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import autograd

ROOT = Path(autograd.__file__).resolve().parent.parent


def run(folder: Path, files: dict[str, str], script: str) -> str:
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    (folder / "script.py").write_text(textwrap.dedent(script))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "script.py"], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


USERS_LOSSES = {"losses.py": "WHOSE = 'the user'\n\ndef mse(a, b):\n    return 'mine'\n"}
TRAIN_THE_TORCH_WAY = """
    import autograd.nn as nn
    import optimizers
    from autograd import Tensor

    w = nn.Parameter(Tensor([1.0, -2.0]))
    opt = optimizers.SGD([w], lr=0.25)
    for _ in range(2):
        opt.zero_grad()
        loss = nn.MSELoss()(w, Tensor([0.0, 0.0]))
        loss.backward()
        opt.step()
    print(round(loss.item(), 12), w.data.tolist())
"""


@pytest.mark.parametrize("users_file_first", [True, False], ids=["imported-first", "imported-last"])
def test_a_users_losses_py_and_ours_both_work(tmp_path: Path, users_file_first: bool) -> None:
    first, last = ("import losses\n", "") if users_file_first else ("", "import losses\n")
    check = """
        import sys
        print(losses.WHOSE, losses.mse(1, 2), sys.modules["losses"] is losses)
        ours = sys.modules["_gradscope_losses"]  # the real package, under its private name
        print(ours.mse([1.0, 3.0], [2.0, 3.0]).item(), ours.__file__.endswith("__init__.py"))
    """
    script = first + textwrap.dedent(TRAIN_THE_TORCH_WAY) + last + textwrap.dedent(check)
    out = run(tmp_path, USERS_LOSSES, script)
    # w <- w - 0.25·w twice from (1, -2); the loss of the second step is mean(0.75², 1.5²)
    assert out.splitlines() == ["1.40625 [0.5625, -1.125]", "the user mine True", "0.5 True"]


def test_a_users_autograd_py_and_our_losses_and_optimizers_both_work(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        {"autograd.py": "WHOSE = 'the user'\n"},
        """
        import sys
        import losses, optimizers
        import autograd

        ours = sys.modules["_gradscope_autograd"]  # our engine, under its private name
        y_pred = ours.Tensor([1.5, 2.0], requires_grad=True)
        loss = losses.mse([1.0, 2.0], y_pred)
        loss.backward()
        optimizers.SGD([y_pred], lr=1.0).step()
        print(autograd.WHOSE, loss.item(), y_pred.data.tolist(), type(loss).__module__.split(".")[0])
        print(ours.nn.MSELoss()(ours.Tensor([3.0]), [1.0]).item(), sys.modules["losses"] is losses)
        """,
    )
    assert out.splitlines() == ["the user 0.125 [1.0, 2.0] _gradscope_autograd", "4.0 True"]


def test_without_a_users_file_there_is_one_copy_of_each_package(tmp_path: Path) -> None:
    out = run(
        tmp_path,
        {},
        """
        import sys
        import autograd
        print(sorted(k for k in sys.modules if k.startswith(("losses", "_gradscope"))))
        import autograd.nn as nn, losses
        nn.MSELoss()(autograd.Tensor([1.0]), [0.0])
        same = losses._core.Tensor is autograd.Tensor
        print(sorted(k for k in sys.modules if k.startswith("_gradscope")), same)
        """,
    )
    assert out.splitlines() == ["[]", "[] True"]  # import autograd imports no losses; no private copies
