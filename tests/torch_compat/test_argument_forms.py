"""Argument forms and edge shapes against torch: the spellings torch accepts for one call (dims as
negative ints, tuples, lists and ``()``; positional and keyword forms; ``dtype=``; torch's keyword
names), on 0-d, empty and non-contiguous inputs; values, shapes, dtypes and first-order gradients
in float64, and errors where torch raises. The existing fuzzers draw the values; this file draws the
forms."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from side_by_side import check, grads, same

import autograd

RNG = np.random.default_rng(14)
B = RNG.normal(size=(2, 3, 4))
A = RNG.normal(size=(3, 4))
S, E0, V = np.array(1.5), np.zeros(0), RNG.normal(size=5)
F32 = {"rtol": 1e-5, "atol": 1e-6}  # float32 results: torch and numpy sum in other orders


# -- reductions: the forms of dim --------------------------------------------------------------
#: torch's reductions that take several dims, and whether they take keepdim
REDUCTIONS = {
    "sum": True,
    "mean": True,
    "nansum": True,
    "nanmean": True,
    "std": True,
    "var": True,
    "norm": True,
    "logsumexp": True,
    "amax": True,
    "amin": True,
    "count_nonzero": False,
}
DIMS = [0, -1, -3, (0,), (0, 1), [0, -1], (-1, 0), [2, 0, 1], (), []]


def _reduce(torch: Any, x: Any, name: str, dim: Any, keepdim: bool, form: str) -> Any:
    kw = {"keepdim": keepdim} if REDUCTIONS[name] else {}
    if name == "norm":  # (its second argument is p)
        return (
            x.norm(2, dim, keepdim)
            if form == "method"
            else torch.norm(input=x, p=2, dim=dim, keepdim=keepdim)
        )
    if form == "method" and name not in ("nansum", "nanmean", "count_nonzero"):
        return getattr(x, name)(dim, **kw)
    if form == "keywords":
        return getattr(torch, name)(input=x, dim=dim, **kw)
    return getattr(torch, name)(x, dim, **kw)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(sorted(REDUCTIONS)),
    st.sampled_from(DIMS),
    st.booleans(),
    st.sampled_from(["method", "function", "keywords"]),
)
def test_reductions_take_torchs_forms_of_dim(name: str, dim: Any, keepdim: bool, form: str) -> None:
    """An empty tuple or list of dims reduces every axis, as torch (numpy's ``axis=()`` reduces
    none); negative dims, tuples and lists as torch; the gradient as torch's."""
    if name == "logsumexp" and dim in ((), []) and not keepdim:
        return  # torch itself fails there ("output with shape [] doesn't match ...")
    if name in ("amax", "amin") and dim == []:
        return  # (torch's amax reads [] as its default (): every axis; tested with ())
    if name in ("std", "var") and dim in ((), []):
        # torch's backward divides by n - 1 with n = 1 there (-inf gradients): values only
        check(lambda torch: _reduce(torch, torch.tensor(B, requires_grad=True), name, dim, keepdim, form))
        return
    if name == "count_nonzero":
        check(lambda torch: _reduce(torch, torch.tensor(B), name, dim, keepdim, form))
        return
    check(lambda torch: grads(torch, lambda torch, x: _reduce(torch, x, name, dim, keepdim, form), B))


@pytest.mark.parametrize(
    "name", ["sum", "mean", "nansum", "nanmean", "std", "var", "logsumexp", "count_nonzero"]
)
@pytest.mark.parametrize("dim", [(0, 0), (1, -2), [2, 2]])
def test_a_repeated_dim_is_refused_as_torch_refuses_it(name: str, dim: Any) -> None:
    with pytest.raises(RuntimeError, match="dim"):
        getattr(torch, name)(torch.tensor(B), dim)
    with pytest.raises(RuntimeError, match=r"dim \d appears more than once"):
        getattr(autograd, name)(autograd.tensor(B), dim)


@pytest.mark.parametrize("name", ["sum", "mean", "nansum", "nanmean", "std", "var", "count_nonzero"])
@pytest.mark.parametrize("dim", [3, -4, (0, 3)])
def test_a_dim_out_of_range_is_an_index_error_as_torchs(name: str, dim: Any) -> None:
    with pytest.raises(IndexError):
        getattr(torch, name)(torch.tensor(B), dim)
    with pytest.raises(IndexError, match="out of range"):
        getattr(autograd, name)(autograd.tensor(B), dim)


# -- std and var: torch's positional unbiased and keepdim ----------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda torch, x: x.std(0, False),
        lambda torch, x: x.var(-1, True, True),
        lambda torch, x: x.var((0, 2), False, keepdim=True),
        lambda torch, x: x.std([1], True),
        lambda torch, x: x.var(False),
        lambda torch, x: x.std(None, False, True),
        lambda torch, x: torch.std(x, 1, False, True),
        lambda torch, x: torch.var(x, True),
        lambda torch, x: torch.var_mean(x, -1, False, True),
        lambda torch, x: torch.std_mean(x, (0, 1), True),
        lambda torch, x: torch.std_mean(x, False),
        lambda torch, x: torch.var_mean(x, dim=1, correction=0),
    ],
)
def test_std_and_var_take_torchs_positional_unbiased_and_keepdim(call: Any) -> None:
    check(lambda torch: grads(torch, call, B))


def test_std_and_var_refuse_unbiased_twice() -> None:
    with pytest.raises(TypeError, match="unbiased"):
        autograd.tensor(B).var(True, False)


# -- dtype= of reductions, scans and softmax: the input cast first ---------------------------------
DTYPE_CALLS = {
    "sum": lambda torch, x: x.sum(1, dtype=torch.float32),
    "mean": lambda torch, x: torch.mean(x, dtype=torch.float32),
    "mean dim": lambda torch, x: x.mean((0, 2), keepdim=True, dtype=torch.float32),
    "prod": lambda torch, x: torch.prod(x, 1, dtype=torch.float32),
    "nansum": lambda torch, x: torch.nansum(x, 1, dtype=torch.float32),
    "nanmean": lambda torch, x: torch.nanmean(x, dtype=torch.float32),
    "cumsum": lambda torch, x: torch.cumsum(x, -1, dtype=torch.float32),
    "cumprod method": lambda torch, x: x.cumprod(dim=0, dtype=torch.float32),
    "softmax": lambda torch, x: torch.softmax(x, 1, dtype=torch.float32),
    "softmax method": lambda torch, x: x.softmax(-1, dtype=torch.float32),
    "log_softmax": lambda torch, x: torch.log_softmax(x, 1, dtype=torch.float32),
    "F.softmax": lambda torch, x: torch.nn.functional.softmax(x, dim=-1, dtype=torch.float32),
    "F.log_softmax": lambda torch, x: torch.nn.functional.log_softmax(x, 0, dtype=torch.float32),
    "F.softmin": lambda torch, x: torch.nn.functional.softmin(x, 0, dtype=torch.float32),
    "to float64": lambda torch, x: torch.cumsum(x.float(), 0, dtype=torch.float64),
}


@pytest.mark.parametrize("name", sorted(DTYPE_CALLS))
def test_dtype_casts_the_input_first(name: str) -> None:
    """The result in the dtype asked for; the gradient back in the input's (float64)."""
    check(lambda torch: grads(torch, DTYPE_CALLS[name], B), **F32)


def test_a_dtype_that_is_not_one_is_refused_naming_the_operation() -> None:
    with pytest.raises(TypeError, match="cumsum: dtype must be"):
        autograd.cumsum(autograd.tensor(A), 0, dtype="complex128")


# -- a table of forms: values, shapes and gradients ------------------------------------------------
FORMS: dict[str, tuple[Any, tuple[np.ndarray, ...], bool]] = {}


def form(name: str, *datas: np.ndarray, grad: bool = True) -> Any:
    """Register ``f(torch, *leaves)`` under ``name``: compared with torch on ``datas`` (default
    ``A``), with the leaves' gradients unless ``grad`` is False (a result without a graph)."""

    def register(f: Any) -> Any:
        FORMS[name] = (f, datas or (A,), grad)
        return f

    return register


# torch's keyword names of the shape methods
form("view(size=)")(lambda torch, x: x.view(size=(4, 3)))
form("reshape(shape=)")(lambda torch, x: x.reshape(shape=(2, -1)))
form("torch.reshape(input=, shape=)")(lambda torch, x: torch.reshape(input=x, shape=(12,)))
form("permute(dims=)")(lambda torch, x: x.permute(dims=(1, 0)))
form("torch.permute(input=, dims=)")(lambda torch, x: torch.permute(input=x, dims=[1, 0]))
form("transpose(dim0=, dim1=)")(lambda torch, x: x.transpose(dim0=0, dim1=1))
form("transpose(-1, dim1=0)")(lambda torch, x: x.transpose(-1, dim1=0))
form("torch.transpose(input=, dim0=, dim1=)", B)(lambda torch, x: torch.transpose(input=x, dim0=2, dim1=0))
form("expand(size=)")(lambda torch, x: x.expand(size=(2, 3, 4)))
form("repeat(repeats=)")(lambda torch, x: x.repeat(repeats=(2, 1)))
form("split(split_size=)")(lambda torch, x: x.split(split_size=2))
form("split(split_size=, dim=)")(lambda torch, x: x.split(split_size=[1, 3], dim=1))
form("gather(sparse_grad=False)")(
    lambda torch, x: torch.gather(x, 1, torch.tensor([[0], [1], [3]]), sparse_grad=False)
)
form("narrow(start=0-d tensor)")(lambda torch, x: x.narrow(1, torch.tensor(1), 2))
form("narrow(start=-2)")(lambda torch, x: x.narrow(-1, -2, 2))
form("new_full(size=, fill_value=)", grad=False)(lambda torch, x: x.new_full(size=(2, 2), fill_value=3.5))
form("max(other)")(lambda torch, x: x.max(x.flip(0)))
form("min(other) broadcast")(lambda torch, x: x.min(x[:1] * 0.5))
form("torch.max(x, other)")(lambda torch, x: torch.max(x, x.t().t().flip(1)))


# torch's argument names of the products, the *_like factories and the logical methods
form("torch.inner(input=, other=)")(lambda torch, x: torch.inner(input=x, other=x.flip(0)))
form("x.inner(other=)")(lambda torch, x: x.inner(other=x.flip(1)))
form("torch.outer(input=, vec2=)", V)(lambda torch, x: torch.outer(input=x, vec2=x[:3]))
form("torch.dot(input=, tensor=)", V)(lambda torch, x: torch.dot(input=x, tensor=x.flip(0)))
form("torch.kron(input=, other=)")(lambda torch, x: torch.kron(input=x, other=x[:2, :1]))
form("zeros_like(input=)", grad=False)(lambda torch, x: torch.zeros_like(input=x))
form("ones_like(input=, dtype=)", grad=False)(lambda torch, x: torch.ones_like(input=x, dtype=torch.int64))
form("empty_like(input=) shape", grad=False)(lambda torch, x: torch.empty_like(input=x).shape)
form("x.logical_and(other=)", grad=False)(lambda torch, x: x.logical_and(other=x > 0))
form("torch.gradient(0-d)", S, grad=False)(lambda torch, x: torch.gradient(x))

# torch's keywords of div_, repeat_interleave and tensor_split
form("div_(rounding_mode='floor')")(lambda torch, x: (x * 1).div_(0.3, rounding_mode="floor"))
form("div_(t, rounding_mode='trunc')")(lambda torch, x: (x * 1).div_(x.flip(0), rounding_mode="trunc"))
form("repeat_interleave(output_size=)")(lambda torch, x: x.repeat_interleave(2, dim=1, output_size=8))
form("repeat_interleave(t, output_size=)")(
    lambda torch, x: torch.repeat_interleave(x, torch.tensor([1, 0, 2]), dim=0, output_size=3)
)
form("tensor_split(sections=, dim=)")(lambda torch, x: x.tensor_split(sections=3, dim=-1))
form("tensor_split(indices=)")(lambda torch, x: torch.tensor_split(x, indices=[1, 3], dim=1))
form("tensor_split(1-d tensor)")(lambda torch, x: x.tensor_split(torch.tensor([1, 2])))
form("tensor_split(0-d tensor, dim)")(lambda torch, x: x.tensor_split(torch.tensor(2), 1))

# torch's keyword names of pow, the new_* factories and the functions whose own names are numpy's or
# torch.linalg's (session 15)
SPD = A[:, :3].T @ A[:, :3] + 3 * np.eye(3)
form("torch.pow(input=, exponent=2)")(lambda torch, x: torch.pow(input=x, exponent=2))
form("torch.pow(x, exponent=tensor)")(lambda torch, x: torch.pow(x, exponent=x.flip(0)))
form("torch.pow(self=2, exponent=)")(lambda torch, x: torch.pow(self=2, exponent=x))
form("torch.pow(2.5, x)")(lambda torch, x: torch.pow(2.5, x))
form("x.pow(exponent=3)")(lambda torch, x: x.pow(exponent=3))
form("new_ones(size=)", grad=False)(lambda torch, x: x.new_ones(size=(2, 3)))
form("new_zeros(size=, dtype=)", grad=False)(lambda torch, x: x.new_zeros(size=[4], dtype=torch.int64))
form("new_empty(size=) shape", grad=False)(lambda torch, x: x.new_empty(size=(3, 1)).shape)
form("new_ones(2, 3)", grad=False)(lambda torch, x: x.new_ones(2, 3))
form("torch.det(input=)", SPD)(lambda torch, x: torch.det(input=x))
form("torch.logdet(input=)", SPD)(lambda torch, x: torch.logdet(input=x))
form("torch.slogdet(input=)", SPD)(lambda torch, x: torch.slogdet(input=x)[1])
form("torch.inverse(input=)", SPD)(lambda torch, x: torch.inverse(input=x))
form("torch.matrix_exp(input=)", SPD / 5)(lambda torch, x: torch.matrix_exp(input=x))
form("torch.cholesky_inverse(input=)", np.linalg.cholesky(SPD))(
    lambda torch, x: torch.cholesky_inverse(input=x.tril())
)
form("torch.cholesky_solve(input=, input2=)", A[:3], np.linalg.cholesky(SPD))(
    lambda torch, b, x: torch.cholesky_solve(input=b, input2=x.tril())
)
form("torch.vdot(input=, other=)", V)(lambda torch, x: torch.vdot(input=x, other=x.flip(0)))
form("torch.hstack(tensors=)")(lambda torch, x: torch.hstack(tensors=[x, x[:, :1]]))
form("torch.vstack(tensors=)")(lambda torch, x: torch.vstack(tensors=(x, x[:1])))
form("torch.column_stack(tensors=)")(lambda torch, x: torch.column_stack(tensors=[x, x[:, 0]]))
form("torch.swapdims(dim0=, dim1=)", B)(lambda torch, x: torch.swapdims(x, dim0=0, dim1=2))
form("torch.broadcast_to(size=)")(lambda torch, x: torch.broadcast_to(x[0], size=(2, 4)))
form("torch.hsplit(sections=)")(lambda torch, x: torch.hsplit(x, sections=2))
form("torch.vsplit(indices=)")(lambda torch, x: torch.vsplit(x, indices=[1, 2]))
form("torch.tensor_split(tensor_indices_or_sections=)")(
    lambda torch, x: torch.tensor_split(x, tensor_indices_or_sections=torch.tensor([1, 3]), dim=1)
)
form("torch.max(x, other=)")(lambda torch, x: torch.max(x, other=x.flip(1)))
form("torch.min(input=, other=)")(lambda torch, x: torch.min(input=x, other=x.flip(0)))
form("torch.zeros(size=)", grad=False)(lambda torch, x: torch.zeros(size=(2, 3)))
form("torch.ones(size=, dtype=)", grad=False)(lambda torch, x: torch.ones(size=[4], dtype=torch.int64))
form("torch.empty(size=) shape", grad=False)(lambda torch, x: torch.empty(size=(3, 1)).shape)
form("torch.rand(size=) shape", grad=False)(lambda torch, x: torch.rand(size=(2,)).shape)
form("torch.randn(size=) shape", grad=False)(lambda torch, x: torch.randn(size=(2, 2)).shape)
form("x.broadcast_to(size=)")(lambda torch, x: x[0].broadcast_to(size=(2, 4)))
form("x.swapdims(dim0=, dim1=)", B)(lambda torch, x: x.swapdims(dim0=2, dim1=0))
form("x.hsplit(sections=)")(lambda torch, x: x.hsplit(sections=2))
form("x.vsplit(indices=)")(lambda torch, x: x.vsplit(indices=[1]))
form("x.tensor_split(tensor_indices_or_sections=)")(
    lambda torch, x: x.tensor_split(tensor_indices_or_sections=torch.tensor([1, 2]), dim=1)
)
form("x.vdot(other=)", V)(lambda torch, x: x.vdot(other=x.flip(0)))
form("x.take(index=)")(lambda torch, x: x.take(index=torch.tensor([[0, 5], [11, 5]])))
form("x.uniform_(from=, to=) range", grad=False)(
    lambda torch, x: bool(((x * 0).uniform_(**{"from": 2.0, "to": 3.0}) >= 2.0).all())
)
form("torch.divide(rounding_mode=)", grad=False)(lambda torch, x: torch.divide(x, 0.3, rounding_mode="floor"))


def test_both_names_of_one_argument_are_refused() -> None:
    with pytest.raises(TypeError, match="det\\(\\) got input= and A=, two names of one argument"):
        autograd.det(input=autograd.tensor(SPD), A=autograd.tensor(SPD))
    with pytest.raises(TypeError, match=r"new_ones\(\) got the size both as positional arguments and"):
        autograd.tensor(A).new_ones(2, size=(2,))
    with pytest.raises(TypeError, match=r"zeros\(\) got the size both as positional arguments and as size="):
        autograd.zeros(2, size=(2,))


def test_a_wrong_output_size_is_refused_as_torch_refuses_it() -> None:
    with pytest.raises(RuntimeError):
        torch.tensor(A).repeat_interleave(2, dim=1, output_size=7)
    with pytest.raises(RuntimeError, match="output_size 7"):
        autograd.tensor(A).repeat_interleave(2, dim=1, output_size=7)


# 0-d tensors take dim 0 and -1, as torch's
form("0-d flip(0)", S)(lambda torch, x: x.flip(0))
form("0-d flip((-1,))", S)(lambda torch, x: torch.flip(x, (-1,)))
form("0-d movedim(0, -1)", S)(lambda torch, x: x.movedim(0, -1))
form("0-d moveaxis((0,), (0,))", S)(lambda torch, x: torch.moveaxis(x, (0,), (0,)))
form("0-d swapaxes(0, -1)", S)(lambda torch, x: x.swapaxes(0, -1))
form("0-d gather(0, 0-d index)", S)(lambda torch, x: x.gather(0, torch.tensor(0)))
form("0-d gather(-1, 1-d index)", S)(lambda torch, x: torch.gather(x, -1, torch.tensor([0])))
form("1-d gather(0, 0-d index)", V)(lambda torch, x: x.gather(0, torch.tensor(3)))
form("0-d index_select(0, [0])", S)(lambda torch, x: x.index_select(0, torch.tensor([0])))
form("0-d index_select(-1, 0-d)", S)(lambda torch, x: torch.index_select(x, -1, torch.tensor(0)))
# cat joins a 1-d empty tensor to anything (torch's legacy rule: the accumulate-in-a-loop habit)
form("cat(x, empty)", A, E0)(lambda torch, x, e: torch.cat([x, e]))
form("cat(empty, x, empty, dim=1)", A, E0)(lambda torch, x, e: torch.cat([e, x, e], dim=1))
form("cat(empty, x, dim=-1) 3-d", B, E0)(lambda torch, x, e: torch.cat((e, x), -1))
form("cat(empty, empty)", E0)(lambda torch, e: torch.cat([e, e]))
form("cat in a loop", A)(lambda torch, x: torch.cat([torch.cat([torch.tensor([]), x[0]]), x[1]]))
# the median of no elements: nan, as torch's
form("median(empty)", E0)(lambda torch, e: e.median())
form("nanmedian(empty 2-d)", np.zeros((2, 0)))(lambda torch, e: torch.nanmedian(e))


@pytest.mark.parametrize(
    "call",
    [
        lambda torch, x: x.flip(1),
        lambda torch, x: x.flip((0, 0)),
        lambda torch, x: x.swapaxes(0, 1),
        lambda torch, x: x.gather(1, torch.tensor(0)),
        lambda torch, x: x.gather(0, torch.tensor([1])),
        lambda torch, x: x.index_select(0, torch.tensor([0, 0])),
        lambda torch, x: x.index_select(0, torch.tensor([1])),
        lambda torch, x: torch.cat([torch.tensor([]), x]),
    ],
)
def test_0d_tensors_refuse_what_torch_refuses(call: Any) -> None:
    with pytest.raises((IndexError, RuntimeError)):
        call(torch, torch.tensor(1.5))
    with pytest.raises((IndexError, RuntimeError)):
        call(autograd, autograd.tensor(1.5))


@pytest.mark.parametrize(
    "call",
    [
        lambda torch, x: x.gather(1, torch.tensor([[-1], [0], [1]])),
        lambda torch, x: torch.gather(x, 0, torch.tensor([[0, -3, 1, 2]])),
        lambda torch, x: x.index_select(0, torch.tensor([-1])),
        lambda torch, x: torch.index_select(x, 1, torch.tensor([0, -4])),
    ],
)
def test_a_negative_position_is_refused_where_torch_refuses_it(call: Any) -> None:
    """numpy's indexing would count it from the end: a silently different element."""
    with pytest.raises((IndexError, RuntimeError)):
        call(torch, torch.tensor(A))
    with pytest.raises(IndexError, match="index -[0-9] is out of bounds for dimension"):
        call(autograd, autograd.tensor(A))


def test_the_median_of_no_integers_is_torchs_number() -> None:
    """torch gives nan cast to int64 (the smallest int64 on x86), and so does the engine now
    (tests/engine/test_reduction_edges_vs_torch.py has every integer dtype)."""
    ours = autograd.tensor([], dtype=autograd.int64).median()
    assert ours.item() == torch.tensor([], dtype=torch.int64).median().item() == np.iinfo(np.int64).min


@pytest.mark.parametrize("name", sorted(FORMS))
def test_forms_against_torch(name: str) -> None:
    f, datas, grad = FORMS[name]
    if grad:
        check(lambda torch: grads(torch, f, *datas))
    else:
        check(lambda torch: f(torch, *(torch.tensor(d) for d in datas)))


def test_both_spellings_at_once_are_refused_naming_the_argument() -> None:
    x = autograd.tensor(A)
    for call, name in [
        (lambda: x.view(4, 3, size=(4, 3)), "size"),
        (lambda: x.reshape(12, shape=(12,)), "shape"),
        (lambda: x.permute(1, 0, dims=(1, 0)), "dims"),
        (lambda: x.expand(3, 4, size=(3, 4)), "size"),
        (lambda: x.repeat(2, 1, repeats=(2, 1)), "repeats"),
        (lambda: x.split(2, split_size=2), "split_size"),
    ]:
        with pytest.raises(TypeError, match=f"got {name} both as positional arguments"):
            call()


# -- every function of torch's namespace this library also has, on edge inputs --------------------
#: left out of the sweep, and why
NOT_SWEPT = {
    # random draws and global state: tested against torch's streams elsewhere
    **dict.fromkeys(
        ["bernoulli", "multinomial", "normal", "poisson", "rand_like", "randn_like", "randint_like"],
        "random",
    ),
    **dict.fromkeys(["dropout", "feature_dropout", "alpha_dropout", "rrelu", "randperm"], "random"),
    **dict.fromkeys(["manual_seed", "seed", "set_default_dtype", "set_printoptions"], "global state"),
    **dict.fromkeys(["set_grad_enabled", "use_deterministic_algorithms", "set_num_threads"], "global state"),
    **dict.fromkeys(["set_rng_state", "get_rng_state", "initial_seed", "set_default_device"], "global state"),
    **dict.fromkeys(["compile", "load", "save", "vmap", "typename"], "not a tensor function"),
    **dict.fromkeys(["empty", "empty_like", "empty_strided", "rand", "randn", "randint"], "values unset"),
    # a result without a graph: a documented difference (test_known_differences)
    **dict.fromkeys(["floor", "ceil", "trunc", "fix", "round", "sign", "sgn", "angle"], "no graph"),
    "svd": "a singular pair's sign is free: numpy's LAPACK and torch's MKL pick others (known differences)",
    "qr": "an empty input: Q without a graph here; rank-deficient (expanded): refused here",
    "adjoint": "of a 0-d tensor: deprecated in torch, refused here",
    "pdist": "torch's backward crashes (a segfault) on a transposed empty input",
    "unique": "torch's sorted=False order is its own",
}
SWEPT = sorted(
    name
    for name in dir(torch)
    if not name.startswith("_")
    and not name.endswith("_")
    and hasattr(autograd, name)
    and callable(getattr(torch, name))
    and not isinstance(getattr(torch, name), type)
    and name not in NOT_SWEPT
)
#: the edge inputs: (data, how the leaf is viewed before the call)
EDGES = {
    "0-d": (np.array(-0.75), lambda x: x),
    "(2, 0)": (np.zeros((2, 0)), lambda x: x),
    "(0, 3) transposed": (np.zeros((0, 3)), lambda x: x.t()),
    "transposed": (A, lambda x: x.t()),
    "strided and flipped": (B, lambda x: x[:, ::2].flip(0)),
    "expanded": (A[:1], lambda x: x.expand(3, 4)),
}


def _backward(torch: Any, out: Any, leaf: Any) -> Any:
    """The leaf's gradient from the first output that requires grad (weights 0.5 .. 1.5), or None."""
    parts = out if isinstance(out, (tuple, list)) else (out,)
    first = next((p for p in parts if getattr(p, "requires_grad", False)), None)
    if first is None:
        return None
    weights = torch.tensor(np.linspace(0.5, 1.5, first.numel()).reshape(tuple(first.shape)))
    (first * weights).sum().backward()
    return leaf.grad


def _call(torch: Any, name: str, edge: str) -> Any:
    data, view = EDGES[edge]
    leaf = torch.tensor(data, requires_grad=True)
    out = getattr(torch, name)(view(leaf))
    return out, _backward(torch, out, leaf)


def test_the_sweep_reaches_the_namespace() -> None:
    assert len(SWEPT) > 300 and {"sum", "cumsum", "flip", "logsumexp", "sort", "cat"} & set(SWEPT)


@pytest.mark.parametrize("name", SWEPT)
def test_every_shared_function_of_one_tensor_gives_torchs_result_on_edge_inputs(name: str) -> None:
    """``torch.<name>(x)`` with x 0-d, empty, transposed, strided, flipped or expanded: where torch
    gives a result, this library gives the same (values, shape, dtype, gradient). Where torch raises,
    this library may accept (numpy's spellings: ``cumsum(x)`` of the flattened x)."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    for edge in EDGES:
        try:
            theirs = _call(torch, name, edge)
        except Exception:  # noqa: BLE001 (torch refuses this input: not compared)
            continue
        finally:
            torch.set_default_dtype(previous)
        ours = _call(autograd, name, edge)
        same(ours, theirs, path=f"{name}({edge})")
        torch.set_default_dtype(torch.float64)
    torch.set_default_dtype(previous)
