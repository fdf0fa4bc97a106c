"""The differential fuzzers' programs (``tests/engine/fuzz_programs.py``), compiled.

Each program is compiled once and called on the inputs it was traced with, then on new inputs of the
same shapes; every output and gradient must equal the eager engine's bit for bit (a nan counts as a
nan: for Values, which of two nans an addition keeps depends on the interpreter's specialisation of
the instruction, in the eager loop as in the generated code).

Programs that compute something from the numbers in Python (``where(x > y, ...)``'s condition,
``x * x.floor()``'s factor, ``std``'s mask of zero variances, ``max(dim)``'s indices), or whose
program the fuzzer picks by looking at the inputs (its linear algebra, cross and vector norms), are
compared only on the inputs they were traced with: a trace fixes those numbers, as documented.
"""

from __future__ import annotations

import math
import os
import struct
from typing import Any

import numpy as np
import pytest
from fuzz_programs import (
    DTYPE14_OPS,
    DTYPE15_OPS,
    EAGER_ONLY_OPS,
    EDGE16_OPS,
    POW16_OPS,
    REDUCE17_OPS,
    REDUCE18_OPS,
    SCATTER_OPS,
    SESSION10_OPS,
    SESSION12_OPS,
    SESSION13_OPS,
    TRIPLET17_OPS,
    Lib,
    numbers,
    run_scalar_program,
    run_tensor_program,
    scalar_program,
    tensor_program,
    value_array_program,
)

import autograd as ag
from autograd import Tensor, Value, ValueArray
from autograd.compiled import CheckError, CompileError, tensor_code, value_code

SCALE = int(os.environ.get("FUZZ_SCALE", 10 if os.environ.get("HYPOTHESIS_PROFILE") == "dev" else 1))
N_TENSOR, N_VALUE, N_VALUE_ARRAY = 250 * SCALE, 300 * SCALE, 40 * SCALE
#: programs the fuzzer itself picks by looking at the inputs (its linear algebra and cross), and
#: numpy's partition (its arrangement is a number of the trace). Masks made by comparisons,
#: ``where``, the activations' pieces, norms and the rounding ops are computed at every call
#: (comparisons are graph operations, and masks the library makes from the numbers go through
#: ``nograd``), and so are the places a median, a quantile (which move with the nans), a k-th value
#: or a running maximum take their values from (positions as ``getitem``'s inputs): those programs run on new
#: inputs too.
READS_DATA = ("inv", "det", "slogdet", "solve", "cholesky", "eigvalsh", "matrix_norm", "cross", "partition")
#: on Values a comparison is a Python bool and a rounding op a float: the trace's numbers
VALUE_READS_DATA = (*READS_DATA, "where", "times_")


def _bits(x: Any) -> Any:
    if x is None:
        return None
    a = np.asarray(x)
    return type(x).__name__, a.dtype.str, a.shape, a.tobytes()


def _value_bits(x: float) -> Any:
    return "nan" if x != x else struct.pack("<d", x)


def _reads_data(prog: dict[str, Any], reads: tuple[str, ...] = READS_DATA) -> bool:
    return any(op[0] in reads or any(op[1].startswith(d) for d in reads) for op in prog["ops"])


def _shared(leaves: list[Tensor], out: Tensor) -> list[str]:
    """The pairs of arrays that share memory although a user may change one in place: each leaf's
    ``.grad`` against every leaf's data, the output and every other ``.grad`` (``grad.zero_()``,
    clipping and ``zero_grad(set_to_none=False)`` must change nothing else)."""
    grads = [(f"grad {i}", x.grad.data) for i, x in enumerate(leaves) if x.grad is not None]
    others = [(f"leaf {i}", x.data) for i, x in enumerate(leaves)] + [("output", out.data)] + grads
    return [
        f"{a} ~ {b}"
        for a, g in grads
        for b, o in others
        if a != b and np.shares_memory(g, o)
    ]


def _tensor_case(prog: dict[str, Any], arrays: list[np.ndarray], step: Any) -> tuple[list, list] | None:
    """(eager, compiled) results of one call: the output, then every leaf's gradient, then the
    arrays that share memory (none, in both)."""
    eager = [Tensor(a, requires_grad=True) for a in arrays]
    try:
        out = run_tensor_program(prog, eager[:-1], eager[-1], False)
        out.backward()
    except Exception:  # noqa: BLE001 (a program the engine refuses: the compiled one must refuse too)
        with pytest.raises(Exception):  # noqa: B017, PT011
            step(*[Tensor(a, requires_grad=True) for a in arrays])
        return None
    leaves = [Tensor(a, requires_grad=True) for a in arrays]
    got = step(*leaves)
    shared = [f"eager {s}" for s in _shared(eager, out)] + [f"compiled {s}" for s in _shared(leaves, got)]
    return [_bits(out.data)] + [_bits(x.grad) for x in eager] + [[]], [_bits(got.data)] + [
        _bits(x.grad) for x in leaves
    ] + [shared]


def fuzz_tensors(seeds: range, only: tuple[str, ...] = ()) -> list[str]:
    failures = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        prog = tensor_program(rng, rng.random() < 0.1, only)
        arrays = [*prog["leaves"], prog["weight"]]
        step = ag.compile(lambda *ls, prog=prog: run_tensor_program(prog, list(ls[:-1]), ls[-1], False))
        first = _tensor_case(prog, arrays, step)
        if first is not None and first[0] != first[1]:
            failures.append(f"Tensor seed {seed} (traced inputs): ops {prog['ops']}")
            continue
        if first is None or _reads_data(prog):
            continue
        again = _tensor_case(
            prog, [numbers(np.random.default_rng(seed + 10**6), a.shape) for a in arrays], step
        )
        if again is not None and again[0] != again[1]:
            failures.append(f"Tensor seed {seed} (new inputs): ops {prog['ops']}")
        assert step.trace_count == 1
    return failures


def test_tensor_programs_compiled_equal_eager_bit_for_bit() -> None:
    failures = fuzz_tensors(range(N_TENSOR))
    assert not failures, f"{len(failures)} of {N_TENSOR} programs differ:\n" + "\n".join(failures[:10])


def test_programs_with_a_hand_written_function_compiled_equal_eager_bit_for_bit() -> None:
    """fuzz_programs' autograd.Function (x³, its input saved) among a few layout ops: the generated
    code calls its forward and backward at every call (nan/inf/0-d/empty inputs included)."""
    only = ("custom_function", "custom_function", "flip", "roll", "tril", "expand", "swapaxes")
    failures = fuzz_tensors(range(40 * SCALE), only)
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_session10_ops_compiled_equal_eager_bit_for_bit() -> None:
    """mode, nanquantile, max_unpool and sort's positions (fuzz_programs.SESSION10_OPS) on their own:
    positions found from each call's numbers (new inputs included)."""
    failures = fuzz_tensors(range(60 * SCALE), tuple(SESSION10_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_session12_and_13_ops_compiled_equal_eager_bit_for_bit() -> None:
    """Sessions 12's and 13's ops (fuzz_programs: ldexp, clamp by tensors, the triangular solves,
    fractional pooling; the fused multiply-adds, relu of wide float32 rows) and session 14's mixed
    dtypes (the promotion's casts) on their own, compiled."""
    only = tuple(op for op in SESSION12_OPS + SESSION13_OPS + DTYPE14_OPS if op not in EAGER_ONLY_OPS)
    failures = fuzz_tensors(range(60 * SCALE), only)
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_dtype15_ops_compiled_equal_eager_bit_for_bit() -> None:
    """Session 15's dtype edges (fuzz_programs.DTYPE15_OPS: clamp by bool and int64 tensor bounds,
    numpy scalars beside tensors, float32 + float64 leaves) on their own, compiled."""
    failures = fuzz_tensors(range(40 * SCALE), tuple(DTYPE15_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_pow16_ops_compiled_equal_eager_bit_for_bit() -> None:
    """Session 16's powers (fuzz_programs.POW16_OPS: a 0-d tensor exponent, constant and in the
    graph; integer tensors to negative integer tensor powers) on their own, compiled."""
    failures = fuzz_tensors(range(40 * SCALE), tuple(POW16_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_edge16_ops_compiled_equal_eager_bit_for_bit() -> None:
    """Session 16's differential findings (fuzz_programs.EDGE16_OPS: norms of order < 1 at zeros,
    quantile with keepdim, huber and smooth L1 at infinite errors, cdist of order inf) on their
    own, compiled."""
    failures = fuzz_tensors(range(40 * SCALE), tuple(EDGE16_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_reduce17_ops_compiled_equal_eager_bit_for_bit() -> None:
    """Session 17's reductions (fuzz_programs.REDUCE17_OPS: nanmean with slices of nans, amax of a
    0-d tensor, vector_norm with dtype=, float32 sums over leading axes added pairwise) on their
    own, compiled."""
    failures = fuzz_tensors(range(40 * SCALE), tuple(REDUCE17_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_reduce18_ops_compiled_equal_eager_bit_for_bit() -> None:
    """Session 18's reductions (fuzz_programs.REDUCE18_OPS: var's rule with corrections past n,
    var_mean/std_mean's Welford mean, cummax/cummin of an empty slice along any dim) on their own,
    compiled."""
    failures = fuzz_tensors(range(40 * SCALE), tuple(REDUCE18_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_triplet17_ops_compiled_equal_eager_bit_for_bit() -> None:
    """Session 17's triplet_margin_with_distance_loss (fuzz_programs.TRIPLET17_OPS) on its own,
    compiled."""
    failures = fuzz_tensors(range(40 * SCALE), tuple(TRIPLET17_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def test_scatter_ops_compiled_equal_eager_bit_for_bit() -> None:
    """The scatter family (fuzz_programs.SCATTER_OPS) on its own: positions computed from each
    call's index (an argmax's too), new inputs included."""
    failures = fuzz_tensors(range(100 * SCALE), tuple(SCATTER_OPS))
    assert not failures, f"{len(failures)} programs differ:\n" + "\n".join(failures[:10])


def fuzz_values(seeds: range, inputs_per_program: int = 3) -> list[str]:
    L = Lib(False)
    failures = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        prog = scalar_program(rng)
        inputs = numbers(rng, (prog["n_leaves"], inputs_per_program))
        step = ag.compile(lambda *ls, prog=prog: run_scalar_program(prog, list(ls), L))
        for k, column in enumerate(inputs.T.tolist()):
            if k and _reads_data(prog, VALUE_READS_DATA):
                break
            eager = [Value(x) for x in column]
            out = run_scalar_program(prog, eager, L)
            out.backward()
            leaves = [Value(x) for x in column]
            got = step(*leaves)
            want = [_value_bits(out.data)] + [_value_bits(v.grad) for v in eager]
            if want != [_value_bits(got.data)] + [_value_bits(v.grad) for v in leaves]:
                failures.append(f"Value seed {seed}, inputs {column}: ops {prog['ops']}")
        assert step.trace_count == 1
    return failures


def test_value_programs_compiled_equal_eager_bit_for_bit() -> None:
    failures = fuzz_values(range(N_VALUE))
    assert not failures, f"{len(failures)} Value graphs differ:\n" + "\n".join(failures[:10])


def test_value_array_programs_compiled_equal_eager_bit_for_bit() -> None:
    """On the inputs traced with. ValueArray's max and min link the elements by custom nodes whose
    value is read from the data (ties, nans): compiling those is refused with a clear error."""
    failures, refused = [], 0
    for seed in range(N_VALUE_ARRAY):
        rng = np.random.default_rng(seed)
        prog = value_array_program(rng)
        arrays = [*prog["leaves"], prog["weight"]]
        eager = [ValueArray(a) for a in arrays]
        leaves = [ValueArray(a) for a in arrays]
        step = ag.compile(lambda *ls, prog=prog: run_tensor_program(prog, list(ls[:-1]), ls[-1], False))
        try:
            out = run_tensor_program(prog, eager[:-1], eager[-1], False).to_value()
        except ValueError:  # (a program the engine refuses, as torch: max of an empty axis)
            with pytest.raises(ValueError):
                step(*leaves)
            continue
        out.backward()
        try:
            got = step(*leaves)
        except CompileError as e:
            assert "custom local derivatives" in str(e)
            assert any(op[1] in ("max", "min") for op in prog["ops"])
            refused += 1
            continue
        want = [_value_bits(out.data)] + [[_value_bits(g) for g in v.grad.flat] for v in eager]
        if want != [_value_bits(got.to_value().data)] + [
            [_value_bits(g) for g in v.grad.flat] for v in leaves
        ]:
            failures.append(f"ValueArray seed {seed}: ops {prog['ops']}")
    assert not failures, "\n".join(failures[:10])
    assert refused < N_VALUE_ARRAY / 2


# ---------------------------------------------------------------------------- a wrong rule is caught
def test_a_wrong_generated_value_rule_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated code whose tanh rule is 1 − tanh (not 1 − tanh²): check=True raises, and the fuzzer's
    comparison with the eager engine fails on the programs using tanh."""
    template = value_code.ValueCode._template

    def wrong(self: Any, entry: Any, params: tuple) -> tuple[str, tuple[str, ...]]:
        forward, locals_ = template(self, entry, params)
        if entry.name == "tanh":
            locals_ = (f"(1.0 - {value_code._OUT}) * {value_code._G}",)
        return forward, locals_

    monkeypatch.setattr(value_code.ValueCode, "_template", wrong)
    x = Value(0.3)
    with pytest.raises(CheckError, match="grad"):
        ag.compile(lambda: (x * 2.0).tanh(), check=True)()
    failures = fuzz_values(range(60), 1)
    assert failures and all("tanh" in f for f in failures)


def test_a_wrong_generated_tensor_rule_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Generated code whose exp VJP is off by 1e-4: check=True raises, and the fuzzer finds it."""
    call = tensor_code.call

    def wrong(code: Any, fn: Any, args: tuple, kwargs: dict, hint: str = "t", fname: Any = None) -> Any:
        out = call(code, fn, args, kwargs, hint, fname)
        return out * 1.0001 if fname == "exp_vjp" and out is not None else out

    monkeypatch.setattr(tensor_code, "call", wrong)
    x = Tensor([0.5, -1.0], requires_grad=True)
    with pytest.raises(CheckError, match="grad"):
        ag.compile(lambda: x.exp().sum(), check=True)()
    failures = fuzz_tensors(range(60))
    assert failures


def test_nan_signs_differ_only_by_the_interpreter() -> None:
    """Why Value nans are compared as nans: CPython's float addition keeps one nan or the other
    depending on whether the instruction is specialised yet (so eager runs differ among themselves)."""
    negative, positive = -math.nan, math.nan
    assert math.copysign(1, negative) < 0 < math.copysign(1, positive)
    kept = {math.copysign(1, negative + positive) for _ in range(100)}
    assert kept <= {1.0, -1.0}
