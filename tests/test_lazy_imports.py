"""What ``import autograd, losses, optimizers`` leaves for first use, and that each name so left works.

torch's namespaces the engine does not need (``autograd.autograd``, ``autograd.func``, the device
questions), the function transforms, ``check_derivative``, each optimizer, scheduler and loss are
imported when first used (PEP 562 ``__getattr__``); torch's ``out=`` is given to a function when it is
first used. Each case runs in a fresh interpreter, as the import is once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: modules that the import must not read (each is imported by the first use of one of its names)
LEFT = (
    "autograd.autograd", "autograd.func", "autograd.functional", "autograd.gradients", "autograd.pytree",
    "autograd.slips", "autograd.integrals", "autograd.legacy_tensors", "autograd.cuda",
    "autograd.accelerator", "autograd.backends", "autograd.nn", "autograd.linalg_solvers",
    "autograd.linalg_functions", "losses._core", "losses.regression",
    "optimizers.base", "optimizers.sgd", "optimizers.lr_scheduler", "optimizers.checkpoint", "json",
)  # fmt: skip


def run(script: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_import_leaves_these_modules_for_first_use() -> None:
    out = run(f"""
        import sys
        import autograd, losses, optimizers
        print(*[m for m in {LEFT!r} if m in sys.modules], "|")
        print(*[n for n in ("zeros", "sum", "reshape", "exp") if n in vars(autograd)], "|")
        print(*[n for n in ("reshape", "matmul", "exp", "atan2") if n in vars(autograd.functions)], "|")
        losses.mse([1.0], [2.0])  # (imports autograd.derivcheck: its warning; not the reading of slips)
        print(*[m for m in ("autograd.slips", "autograd.pytree") if m in sys.modules], "|")
    """)
    assert out == ["|", "|", "|", "|"]  # nothing left was read; no out= wrapper nor method's function made


def test_the_names_left_for_first_use_work() -> None:
    out = run("""
        import autograd as torch, losses, optimizers
        x = torch.tensor([3.0], requires_grad=True)
        (g,) = torch.autograd.grad(x**2, x)  # torch.autograd: d(x²)/dx = 6
        print(g.item(), torch.grad(lambda t: (t**3).sum())(torch.tensor([2.0])).item())  # 12
        print(torch.vmap(lambda t: t * 2)(torch.tensor([1.0, 2.0])).tolist())
        print(torch.trapz(torch.tensor([1.0, 2.0, 3.0])).item(), torch.cuda.is_available())  # 4.0
        print(torch.func.grad(lambda t: (t * t).sum())(torch.tensor([1.5])).tolist())  # [3.0]
        print(type(torch.FloatTensor([1.0])).__name__, torch.DoubleTensor([1.0]).dtype)
        c = torch.empty(2)
        print(torch.zeros(2, out=c) is c, torch.sum(torch.tensor([[1.0, 2.0]]), 1, out=c[:1]).tolist())
        print(torch.hstack(tensors=(torch.ones(1), torch.zeros(1))).tolist())  # out= and torch's keyword
        print(torch.exp(0.0), torch.atan2(torch.tensor([1.0]), 1.0).item() * 4)  # 1.0, pi
        print(torch.reshape([[1.0, 2.0]], (2,)).tolist(), torch.swapdims(torch.ones(1, 2), 0, dim1=1).shape)
        w = torch.tensor([1.0], requires_grad=True)
        opt = optimizers.SGD([w], lr=0.5)
        loss = losses.mse([0.0], w)  # (1 - 0)² = 1, d/dw = 2
        loss.backward()
        opt.step()
        print(loss.item(), w.item(), optimizers.lr_scheduler.StepLR is torch.optim.StepLR)
        r = torch.check_derivative(lambda t: (t**2).sum(), lambda t: t, torch.tensor([1.0, 2.0]))
        print(r.ok, r.diagnosis.replace(" ", "_"))  # half the derivative: the slips reading names it
    """)
    assert out[:11] == ["6.0", "12.0", "[2.0,", "4.0]", "4.0", "False", "[3.0]", "Tensor", "float64",
                        "True", "[3.0]"]  # fmt: skip
    assert out[11:19] == ["[1.0,", "0.0]", "1.0", "3.141592653589793", "[1.0,", "2.0]", "(2,", "1)"]
    assert out[19:23] == ["1.0", "0.0", "True", "False"]
    assert "2" in out[23]  # (a factor 2 missing)


def test_a_submodule_imported_first_does_not_shadow_its_loss() -> None:
    """``losses.ctc`` is the loss even after an unpickling imports the module that defines it."""
    out = run("""
        import pickle, losses
        f = pickle.loads(pickle.dumps(losses.mse))
        import losses._ctc
        print(callable(losses.ctc), f is losses.mse)
    """)
    assert out == ["True", "True"]


@pytest.mark.parametrize("package", ["autograd", "losses", "optimizers"])
def test_every_public_name_and_module_is_listed_and_reached(package: str) -> None:
    out = run(f"""
        import {package} as p
        names = set(dir(p))
        print(all(n in names for n in p.__all__), all(callable(getattr(p, n)) or n in ("bool", "float",
              "double", "float32", "float64", "int64", "long") or type(getattr(p, n)).__name__ == "module"
              for n in p.__all__))
        mods = [n for n in getattr(p, "_MODULES", ()) + getattr(p, "_NAMESPACES", ())]
        print(all(type(getattr(p, m)).__name__ == "module" and m in names for m in mods), len(mods) > 3)
        try:
            p.no_such_name
        except AttributeError as e:
            print(str(e).startswith(f"module '{package}' has no attribute 'no_such_name'"))
    """)
    assert out == ["True"] * 5


def test_numpy_functions_registered_by_a_module_left_for_first_use_work_first() -> None:
    """np.linalg.qr on a Tensor, before anything imported autograd.linalg_solvers (which registers it):
    the dispatch imports the deferred modules and looks again (numpy_dispatch.DEFERRED)."""
    out = run("""
        import numpy as np
        import autograd
        a = np.array([[4.0, 1.0], [2.0, 3.0]])
        q, r = np.linalg.qr(autograd.tensor(a, requires_grad=True))
        r_numpy = np.linalg.qr(a)[1]
        print(type(q).__name__, np.allclose(q.data @ r.data, a), np.allclose(np.abs(r.data), np.abs(r_numpy)))
        e = np.linalg.matrix_rank(autograd.tensor(a))
        print(int(e), autograd.qr(autograd.tensor(a)).R.shape)
        print(autograd.matrix_exp(autograd.zeros(1, 1)).item())
    """)
    assert out == ["Tensor", "True", "True", "2", "(2,", "2)", "1.0"]


def test_a_submodule_imported_first_does_not_shadow_its_function() -> None:
    """``autograd.gradcheck`` is the function even after ``autograd.gradcheck``, the module, is imported
    by ``torch.autograd`` (the import system sets a submodule as its package's attribute)."""
    out = run("""
        import autograd, autograd.autograd
        print(callable(autograd.gradcheck), callable(autograd.check_derivative))
        import autograd.derivcheck
        print(callable(autograd.check_derivative), autograd.grad.__module__)
    """)
    assert out == ["True", "True", "True", "autograd.functional"]
