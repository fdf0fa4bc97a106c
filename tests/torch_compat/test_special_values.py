"""Every elementwise op against torch 2.13 at the special values, in float32 and float64.

The special values: ±0, ±1, ±inf, nan, the smallest subnormal (±) and a huge number (a quarter of
the dtype's largest, whose square or sum overflows); a binary op at every pair of them. For each:
the value (and its dtype), the first derivative, and the second (d/dx of the create_graph gradient)
wherever torch's is finite (torch's double backward gives 0 · inf nans where the limit is finite, as
the power rule at 0 does).

The ops: every entry of the op table (``autograd/ops``; ``tests/engine/test_elementwise_ops.py``
checks them in float64 on a grid of ordinary numbers, on Values and ValueArrays too) and the
elementwise functions composed outside it (the activations of ``nn.functional``, ``ldexp``, ``logit``,
``xlogy``, clamps by Tensor bounds, ...). ``KNOWN`` lists where the numbers differ on purpose, each
with its reason.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import autograd as ag
import autograd.nn.functional as AF
from autograd import Tensor

sys.path.insert(0, str(Path(__file__).parents[1] / "engine"))
from test_elementwise_ops import ENTRIES, ours_fn, torch_fn  # noqa: E402 (the table's references)

DTYPES = {
    "float64": (np.float64, torch.float64, 1e-9, 1e-12),
    "float32": (np.float32, torch.float32, 2e-5, 1e-6),
}


def special(dtype: type) -> list[float]:
    tiny, huge = float(np.finfo(dtype).smallest_subnormal), float(np.finfo(dtype).max) / 4
    return [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan, tiny, -tiny, huge, -huge]


#: the composed ops: (ours, torch's, arity)
COMPOSED: dict[str, tuple[Callable[..., Any], Callable[..., Any], int]] = {
    **{
        f"F.{name}": (getattr(AF, name), getattr(TF, name), 1)
        for name in (
            "celu",
            "elu",
            "selu",
            "gelu",
            "silu",
            "mish",
            "softplus",
            "softsign",
            "logsigmoid",
            "tanhshrink",
            "hardshrink",
            "softshrink",
            "hardtanh",
            "relu6",
            "leaky_relu",
            "hardswish",
            "hardsigmoid",
        )  # fmt: skip
    },  # fmt: skip
    "F.celu(alpha=2)": (lambda x: AF.celu(x, 2.0), lambda x: TF.celu(x, 2.0), 1),
    "F.elu(alpha=0.5)": (lambda x: AF.elu(x, 0.5), lambda x: TF.elu(x, 0.5), 1),
    "F.gelu(tanh)": (lambda x: AF.gelu(x, approximate="tanh"), lambda x: TF.gelu(x, approximate="tanh"), 1),
    "logit": (ag.logit, torch.logit, 1),
    "frac": (ag.frac, torch.frac, 1),
    "ldexp": (ag.ldexp, torch.ldexp, 2),
    "clamp_min": (ag.clamp_min, torch.clamp_min, 2),
    "clamp_max": (ag.clamp_max, torch.clamp_max, 2),
    "float_power": (ag.float_power, torch.float_power, 2),
    "xlogy": (ag.xlogy, torch.xlogy, 2),
    "xlog1py": (ag.special.xlog1py, torch.special.xlog1py, 2),
    "rsub": (ag.rsub, torch.rsub, 2),
}
CASES = {e.name: (ours_fn(e), torch_fn(e), e.arity) for e in ENTRIES} | COMPOSED
#: torch has no second derivative of these (its backward is not differentiable)
FIRST_ORDER_ONLY = {"F.hardsigmoid"}

_NAN_KERNELS = (
    "torch's vectorised kernel sends 0 (or nan) at a nan input, its scalar kernel g; this is the scalar one's"
)


def _known(name: str, what: str, point: tuple[float, ...], dtype: str) -> str | None:
    """Why ours differs from torch's here on purpose (None: it must not differ)."""
    x, y = point[0], point[-1]
    tiny = float(np.finfo(np.float32 if dtype == "float32" else np.float64).smallest_subnormal)
    name = name.split("(")[0]
    if name in ("remainder", "fmod") and what == "value" and abs(y) == tiny:
        return "torch's vectorised fmod gives nan for a subnormal divisor, its 0-d kernel the exact remainder"
    if name in ("xlogy", "xlog1py") and what == "d1" and x == 0:
        return "xlogy's documented 0 gradient where x is 0 and the log ±inf or y/x 0/0 (torch: inf, nan)"
    if name == "xlogy" and what == "d2" and x == 0:
        return "xlogy's replaced log where x is 0 (as its d1) also drops x/y's derivative 1/y there"
    if name == "logit" and what == "d2" and not 0 <= x <= 1:
        return (
            "logit outside [0, 1]: value and gradient nan in both; torch's second derivative of its nan is 0"
        )
    if name == "float_power" and what == "d2" and x == y == tiny:
        return "y(y-1)x^(y-2) + x^(y-1)(1 + y ln x) at x = y = 1e-45: terms of 7e44 cancel to rounding"
    if name == "F.hardswish" and what == "value" and (x == -math.inf or abs(x) > 1e30):
        return "hardswish's limits: 0 at -inf and x at a huge x, where torch's x(x + 3)/6 gives nan and inf"
    if math.isnan(x) and what == "d1" and dtype == "float64" and name in (
        "F.celu", "F.elu", "F.selu", "F.hardshrink", "F.softshrink", "F.hardtanh", "F.relu6", "F.hardswish",
    ):  # fmt: skip
        return _NAN_KERNELS
    return None


def _agree(a: np.ndarray, b: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Elementwise: nan where torch's is nan, the same infinity, else close."""
    both_nan = np.isnan(a) & np.isnan(b)
    finite = np.isfinite(a) & np.isfinite(b)
    with np.errstate(invalid="ignore", over="ignore"):
        close = finite & (np.abs(a - b) <= rtol * np.abs(b) + atol)
    return both_nan | (a == b) | close


def _derivatives(lib: Any, fn: Callable[..., Any], columns: np.ndarray, dtype: Any, second: bool) -> tuple:
    xs = [lib.tensor(c, dtype=dtype, requires_grad=True) for c in columns]
    out = fn(*xs)
    gs = lib.autograd.grad(out.sum(), xs, create_graph=second, allow_unused=True, materialize_grads=True)
    hs = [np.zeros(columns.shape[1]) for _ in xs]  # (a constant gradient: derivative 0)
    nodes = [g for g in gs if getattr(g, "requires_grad", False)]
    if second and nodes:
        total = sum(g.sum() for g in nodes)
        hs = lib.autograd.grad(total, xs, allow_unused=True, materialize_grads=True)
    as_array = lambda v: np.asarray(  # noqa: E731
        v.numpy(force=True)
        if isinstance(v, torch.Tensor)
        else v.detach().numpy()
        if hasattr(v, "detach")
        else v,
        dtype=np.float64,
    )
    return (
        np.dtype(str(out.dtype).replace("torch.", "")),
        as_array(out),
        [as_array(g) for g in gs],
        [as_array(h) for h in hs],
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", CASES)
def test_special_values_as_torch(name: str, dtype: str) -> None:
    ours, theirs, arity = CASES[name]
    np_dtype, torch_dtype, rtol, atol = DTYPES[dtype]
    columns = np.array(list(itertools.product(special(np_dtype), repeat=arity)), dtype=np_dtype).T
    second = name not in FIRST_ORDER_ONLY
    want_dtype, *want = _derivatives(torch, theirs, columns, torch_dtype, second)
    got_dtype, *got = _derivatives(ag, ours, columns, np_dtype, second)
    assert got_dtype == want_dtype, f"{name}: dtype {got_dtype}, torch {want_dtype}"
    bad = []
    for what, g, w in (("value", [got[0]], [want[0]]), ("d1", got[1], want[1]), ("d2", got[2], want[2])):
        for i, (a, b) in enumerate(zip(g, w)):
            ok = _agree(a, b, rtol, atol) | (~np.isfinite(b) if what == "d2" else False)
            for k in np.flatnonzero(~ok):
                point = tuple(columns[:, k].tolist())
                if _known(name, what, point, dtype) is None:
                    bad.append(f"{name} {what}[{i}] at {point}: ours {a[k]!r}, torch {b[k]!r}")
    assert not bad, f"{len(bad)} differences:\n" + "\n".join(bad[:12])


def test_the_sweep_sees_a_wrong_rule() -> None:
    """The comparison is not blind: elu's old second derivative at 0 (alpha) is caught, and so is a
    gradient 0 where torch's is nan (ctc's old rule at an impossible alignment, in miniature)."""
    x = np.array([0.0, -1.0])
    rtol, atol = DTYPES["float64"][2:]
    assert not _agree(np.array([1.0, 0.3]), np.array([0.0, 0.3]), rtol, atol)[0]
    assert not _agree(np.array([0.0]), np.array([np.nan]), rtol, atol)[0]
    assert not _agree(np.array([np.inf]), np.array([-np.inf]), rtol, atol)[0]
    _, *got = _derivatives(ag, lambda t: AF.elu(t, 1.0), x[None], np.float64, True)
    _, *want = _derivatives(torch, lambda t: TF.elu(t, 1.0), x[None], torch.float64, True)
    assert _agree(got[2][0], want[2][0], rtol, atol).all() and want[2][0][0] == 0.0
    assert isinstance(Tensor(x), Tensor)
