"""Views and copies as torch has them: for every torch-named Tensor member and module function of
this library (enumerated from ``dir(Tensor)`` and ``dir(autograd)``, called as
tests/torch_compat/view_calls.py says), on contiguous, strided, transposed, 0-d, empty and permuted
3-d inputs of float32, float64 and int64, the same call on both libraries gives results that

- are the input itself, or not (``contiguous()``, ``to(same dtype)``, the in-place methods);
- share memory with the input, or not (torch: the same storage; ours: ``np.shares_memory``);
- change the input when written into (``fill_``), and change when the input is written.

A mismatch this library keeps is listed in ``KNOWN`` with the reason; the test fails on a new one
and on a listed one that no longer happens (so a fix removes its entry)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
import torch
from side_by_side import check, grads
from view_calls import CALLS, OPERATORS, SKIP, SQUARE

import autograd
from autograd.torch_methods import TorchHints

VARIANTS = ("contiguous", "strided", "transposed", "0-d", "empty", "3-d permuted")
DTYPES = ("float32", "float64", "int64")
SENTINEL = 9  # a value no input holds

_PROPERTIES = (
    "is the input",
    "shares memory",
    "a write into it reaches the input",
    "sees writes into the input",
)

# (name, what differs) -> why it stays; "what differs" is one of _PROPERTIES, "outputs" (how many
# tensors come back), "runs where torch refuses" or "refused where torch runs"
KNOWN: dict[tuple[str, str], str] = {
    ("isin", "runs where torch refuses"): (
        "torch 2.13's isin refuses a non-contiguous test_elements (its own view(-1) fails): torch's bug"
    ),
    **{
        (name, prop): (
            "a diagonal of a plane whose two axes do not join in memory (of a permuted 3-d tensor) is a "
            "copy: a view there needs a strided primitive with a gradient rule of its own (numpy's "
            "read-only np.diagonal view has none here); 2-d inputs, contiguous or not, give views"
        )
        for name in ("diagonal", "x.diagonal(1)", "x.diagonal(-1, 1, 0)")
        for prop in _PROPERTIES[1:]
    },
    **{
        (name, "runs where torch refuses"): (
            "numpy's looser forms: outer/vdot of 2-d arguments (flattened), trace of a 3-d tensor (its "
            "first plane), addmm with a 3-d input (broadcast), cartesian_prod of a 2-d one"
        )
        for name in ("outer", "vdot", "trace", "addmm", "cartesian_prod")
    },
    **{
        ("unfold", prop): (
            "windows that overlap are a copy here: a view needs a strided primitive with a gradient rule "
            "of its own (as diagonal's); torch's unfold is an as_strided view"
        )
        for prop in _PROPERTIES[1:]
    },
    ("unfold", "refused where torch runs"): (
        "a dimension -1 of a 0-d tensor: torch takes it as of a 1-d one, this library refuses it"
    ),
    ("searchsorted", "refused where torch runs"): (
        "an N-d sorted sequence (one per row of the values): this library takes a 1-d one"
    ),
    # torch's top-level forms of nn.functional's functions: what F's functions take (not memory questions)
    ("batch_norm", "refused where torch runs"): (
        "zero channels (2, 0) in training: nn.functional.batch_norm asks for more than 1 value per channel"
    ),
    **{
        (name, "refused where torch runs"): (
            "one value per group (a 0-d input as (1, 1, 1)): nn.functional's norms refuse it in training, "
            "torch's normalizes it to 0"
        )
        for name in ("group_norm", "instance_norm")
    },
    ("triplet_margin_loss", "refused where torch runs"): (
        "a 0-d or 3-d input: nn.functional.triplet_margin_loss takes (D,) or (N, D), torch's any shape"
    ),
    ("bilinear", "runs where torch refuses"): (
        "zero input features: torch's reshape(-1, 0) fails (its bug), here the sum of no terms"
    ),
}


def _names(members: bool) -> list[str]:
    """The public names this library and torch share: Tensor members (not those that only say what
    to write instead, :class:`TorchHints`), or callable module functions."""
    if members:
        return [
            n
            for n in dir(autograd.Tensor)
            if not n.startswith("_") and hasattr(torch.Tensor, n) and n not in vars(TorchHints)
        ]
    return [
        n
        for n in sorted(set(dir(autograd)) | set(autograd._LAZY))  # (the lazy names, loaded or not)
        if not n.startswith("_")
        and hasattr(torch, n)
        and callable(getattr(autograd, n))
        and not inspect.isclass(getattr(autograd, n))
    ]


MEMBERS, FUNCTIONS = _names(True), _names(False)


@contextmanager
def _float64_default() -> Iterator[None]:
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


def _values(variant: str, dtype: str, square: bool) -> np.ndarray:
    """The input's numbers: positive, below 1 for floats (so acos, logit, ... are defined)."""
    if variant == "0-d":
        return np.array(3 if dtype == "int64" else 0.5, dtype)
    shape = (3, 3) if square else (3, 4)
    if variant == "empty":
        return np.zeros((0, 0) if square else (0, 4), dtype)
    if variant == "3-d permuted":
        square = False
        shape = (2, 3, 4)
    if square:
        a = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]])
        return (a * 10 if dtype == "int64" else a / 10).astype(dtype)
    n = np.arange(int(np.prod(shape))).reshape(shape) % 7 + 1
    return (n if dtype == "int64" else n / 10).astype(dtype)


def _input(t: Any, variant: str, dtype: str, square: bool) -> Any:
    """The input tensor in library ``t``: a strided one is every other column of a wider tensor, a
    transposed one the transpose of a contiguous tensor (both non-contiguous in both libraries)."""
    a = _values(variant, dtype, square)
    if variant == "strided":
        wide = np.zeros((a.shape[0], 2 * a.shape[1]), dtype)
        wide[:, ::2] = a
        return t.tensor(wide)[:, ::2]
    if variant == "transposed":
        return t.tensor(np.ascontiguousarray(a.T)).t()
    if variant == "3-d permuted":  # (2, 3, 4): axes of a (3, 4, 2) tensor, moved
        return t.tensor(np.ascontiguousarray(a.transpose(1, 2, 0))).permute(2, 0, 1)
    return t.tensor(a)


def _tensors(out: Any) -> list[Any]:
    if isinstance(out, (tuple, list)):
        return [y for x in out for y in _tensors(x)]
    return [out] if isinstance(out, (torch.Tensor, autograd.Tensor)) else []


def _call(t: Any, name: str, member: bool, x: Any) -> Any:
    how = OPERATORS.get(name) or CALLS[name]
    if callable(how):
        return how(t, x)
    if member:
        found = getattr(x, name)
        return found(*how) if callable(found) else found
    return getattr(t, name)(x, *how)


def _array(t: Any, x: Any) -> np.ndarray:
    if t is not torch:
        return np.array(x.data)
    return np.array((x.detach().float() if x.dtype == torch.bfloat16 else x.detach()).numpy())


def _shares(t: Any, a: Any, b: Any) -> bool | None:
    if a.numel() == 0 or b.numel() == 0:
        return None  # (nothing to share: torch's empty storages all sit at address 0)
    if t is torch:
        return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()
    return bool(np.shares_memory(a.data, b.data))


def _written(t: Any, target: Any, seen: Any) -> bool | str:
    """Whether filling ``target`` changes ``seen``; "refused" if the write raises."""
    before = _array(t, seen)
    try:
        target.fill_(SENTINEL)
    except (RuntimeError, ValueError):
        return "refused"
    return before.tobytes() != _array(t, seen).tobytes()  # (bits: an empty_like may hold a nan)


def outcome(t: Any, name: str, member: bool, variant: str, dtype: str) -> Any:
    """What the call does to memory in library ``t``: a tuple of _PROPERTIES for each tensor it
    returns, or "refused" where it raises."""
    square = name in SQUARE

    def fresh() -> tuple[Any, list[Any]]:
        x = _input(t, variant, dtype, square)
        return x, _tensors(_call(t, name, member, x))

    with _float64_default():
        try:
            x, outs = fresh()
        except Exception:  # noqa: BLE001 (any error: refused)
            return "refused"
        found = []
        for k, out in enumerate(outs):
            into, back = fresh(), fresh()
            writes = _written(t, into[1][k], into[0]), _written(t, back[0], back[1][k])
            found.append((out is x, _shares(t, out, x), *writes))
        return tuple(found)


def _cases() -> list[tuple[str, bool]]:
    members = [(n, True) for n in [*MEMBERS, *OPERATORS] if n not in SKIP]
    return members + [(n, False) for n in FUNCTIONS if n not in SKIP]


def mismatches(name: str, member: bool) -> tuple[dict[str, list[str]], int]:
    """What differs from torch, with the inputs where it does ({property: ["strided float32: ours
    True, torch False", ...]}), and on how many inputs both libraries ran the call. Where only torch
    runs it, it is "refused where torch runs" (a dtype or a form the library lacks); where only this library
    does, it is "runs where torch refuses" (a view torch cannot make, say). Only torch's refusals of
    int64 (its dtype rules) and this library's of empty int64 inputs are not counted."""
    found: dict[str, list[str]] = {}
    compared = 0
    for variant in VARIANTS:
        for dtype in DTYPES:
            ours = outcome(autograd, name, member, variant, dtype)
            theirs = outcome(torch, name, member, variant, dtype)
            where = f"{variant} {dtype}"
            if theirs == "refused" and ours != "refused" and dtype != "int64":  # (not: ints promoted)
                found.setdefault("runs where torch refuses", []).append(where)
            if ours == "refused" and theirs != "refused" and (variant, dtype) != ("empty", "int64"):
                found.setdefault("refused where torch runs", []).append(where)
            if "refused" in (ours, theirs):
                continue
            compared += 1
            if len(ours) != len(theirs):
                found.setdefault("outputs", []).append(where)
                continue
            for a, b in zip(ours, theirs):
                for prop, p, q in zip(_PROPERTIES, a, b):
                    if p != q and None not in (p, q):
                        found.setdefault(prop, []).append(f"{where}: ours {p}, torch {q}")
    return found, compared


def test_every_shared_name_has_a_call_or_a_reason() -> None:
    missing = sorted({n for n, _ in _cases()} - set(CALLS) - set(OPERATORS))
    assert not missing, f"add a call to view_calls.CALLS (or a reason to SKIP) for {missing}"


@pytest.mark.parametrize("name, member", _cases(), ids=lambda v: str(v))
def test_views_and_copies_as_torch(name: str, member: bool) -> None:
    if name not in CALLS and name not in OPERATORS:
        pytest.skip("no call (see the test above)")
    found, compared = mismatches(name, member)
    assert compared, f"{name}: no input both libraries take: the call in view_calls is wrong"
    known = {prop for (n, prop) in KNOWN if n == name}
    new = {prop: where for prop, where in found.items() if prop not in known}
    assert not new, f"{name}: differs from torch: {new}"
    fixed = known - set(found)
    assert not fixed, f"{name}: {fixed} now agree with torch: remove them from KNOWN"


X3 = np.arange(24.0).reshape(2, 3, 4) / 7 - 1.5

NEW_MEMBERS = {
    "select": lambda t, x: x.select(1, -1),
    "unbind": lambda t, x: t.stack(x.unbind(2)[::-1]) * t.tensor(np.arange(24.0).reshape(4, 2, 3)),
    "unflatten": lambda t, x: x.unflatten(-1, (2, -1)) * t.tensor(np.arange(24.0).reshape(2, 3, 2, 2)),
    "reshape_as": lambda t, x: x.reshape_as(t.zeros(6, 4)) * t.tensor(np.arange(24.0).reshape(6, 4)),
    "type_as": lambda t, x: x.type_as(t.zeros(1, dtype=t.float32)).double() * 3,
    "mH": lambda t, x: x.mH * t.tensor(np.arange(24.0).reshape(2, 4, 3)),
    "H": lambda t, x: x[0].H * t.tensor(np.arange(12.0).reshape(4, 3)),
}


@pytest.mark.parametrize("name", list(NEW_MEMBERS))
def test_the_view_members_give_torchs_values_and_gradients(name: str) -> None:
    check(lambda t: grads(t, NEW_MEMBERS[name], X3), rtol=1e-6 if name == "type_as" else 1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.select(3, 0),
        lambda x: x.select(0, 4),
        lambda x: x.select(-1, -3),
        lambda x: x.unbind(-4),
        lambda x: x.unflatten(2, (3, 2)),
        lambda x: x.unflatten(2, (-1, -1)),
        lambda x: x.H,
        lambda x: x.view(-1),
        lambda x: x.view_as(x.reshape(-1)),
    ],
)
def test_the_view_members_refuse_what_torch_refuses(call: Any) -> None:
    ours, theirs = autograd.tensor(X3).transpose(0, 2), torch.tensor(X3).transpose(0, 2)
    with pytest.raises((RuntimeError, IndexError)):
        call(theirs)
    with pytest.raises((RuntimeError, IndexError)):
        call(ours)
