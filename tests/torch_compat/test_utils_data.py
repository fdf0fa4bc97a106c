"""``autograd.utils.data`` against ``torch.utils.data``: the same code run with ``torch`` bound to each
library gives the same batches (lengths, shapes, dtypes, values, the structure of collated samples,
the order without shuffling, ``drop_last``) and refuses the same bad arguments with the same
exception types (the messages here name the argument, what was expected and what came in).
Shuffled orders cannot be compared (the random streams differ); they are checked to be
permutations and reproducible through ``manual_seed`` and ``Generator``."""

from __future__ import annotations

import pickle
import warnings
from collections import OrderedDict, namedtuple
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd.utils import data as ours_data

torch = pytest.importorskip("torch")
from side_by_side import check  # noqa: E402 (needs torch)

Point = namedtuple("Point", ["x", "y"])


def structure(x: Any) -> Any:
    """The types of a batch, recursively (``same`` compares values, not tuple against list)."""
    if isinstance(x, dict):
        return (type(x).__name__, {k: structure(v) for k, v in x.items()})
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__, [structure(v) for v in x])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [structure(v) for v in x])
    if isinstance(x, (autograd.Tensor, torch.Tensor)):
        return "Tensor"
    return type(x).__name__


def check_batches(snippet: Any, *args: Any) -> tuple[Any, Any]:
    ours, theirs = check(snippet, *args)
    assert structure(ours) == structure(theirs)
    return ours, theirs


def tensor_data(torch: Any, n: int) -> Any:
    x = torch.arange(n * 6, dtype=torch.float64).reshape(n, 2, 3) / 4
    y = torch.arange(n) % 3
    return torch.utils.data.TensorDataset(x, y)


# ---------------------------------------------------------------------------------------------
# batches: lengths, shapes, dtypes, order, drop_last
# ---------------------------------------------------------------------------------------------
@given(n=st.integers(0, 30), batch_size=st.integers(1, 12), drop_last=st.booleans())
def test_batches_lengths_and_order_without_shuffle_are_torchs(
    n: int, batch_size: int, drop_last: bool
) -> None:
    def loop(torch: Any) -> Any:
        loader = torch.utils.data.DataLoader(
            tensor_data(torch, n), batch_size=batch_size, drop_last=drop_last
        )
        return len(loader), len(loader.dataset), [(X, y) for X, y in loader], [len(X) for X, _ in loader]

    check_batches(loop)


@pytest.mark.parametrize("batch_size", [1, 4, None])
def test_a_list_as_dataset_and_batch_size_none(batch_size: int | None) -> None:
    def loop(torch: Any) -> Any:
        loader = torch.utils.data.DataLoader([3, 1.5, 2, 7], batch_size=batch_size)
        return len(loader), list(loader), list(loader)  # (re-iterable)

    check_batches(loop)


def test_the_loader_is_re_iterable_and_each_pass_starts_over() -> None:
    def loop(torch: Any) -> Any:
        loader = torch.utils.data.DataLoader(tensor_data(torch, 5), batch_size=2)
        it = iter(loader)
        first = next(it)
        return first, list(loader), next(it), len(it)

    check_batches(loop)


def test_a_batch_sampler_and_a_sampler() -> None:
    def loop(torch: Any) -> Any:
        data = torch.utils.data
        ds = tensor_data(torch, 7)
        by_batches = data.DataLoader(ds, batch_sampler=[[6, 0], [3], [1, 2, 5]])
        by_sampler = data.DataLoader(ds, sampler=[4, 4, 1], batch_size=2)
        batch_sampler = data.BatchSampler(data.SequentialSampler(range(10)), batch_size=3, drop_last=False)
        dropping = data.BatchSampler(range(10), batch_size=3, drop_last=True)
        return (
            [y for _, y in by_batches],
            [y for _, y in by_sampler],
            len(by_batches),
            len(by_sampler),
            list(batch_sampler),
            len(batch_sampler),
            list(dropping),
            len(dropping),
        )

    check_batches(loop)


# ---------------------------------------------------------------------------------------------
# collate
# ---------------------------------------------------------------------------------------------
SAMPLES = {
    "floats": [1.5, 2.0, -0.25],
    "ints": [1, 2, 3],
    "bools": [True, False, True],
    "strings": ["a", "bc", "d"],
    "bytes": [b"a", b"b", b"c"],
    "float32 arrays": [np.full((2, 2), i, np.float32) for i in range(3)],
    "int32 arrays": [np.arange(3, dtype=np.int32) + i for i in range(3)],
    "uint8 arrays": [np.full(4, i, np.uint8) for i in range(3)],
    "bool arrays": [np.array([i % 2 == 0, True]) for i in range(3)],
    "float64 scalars": [np.float64(0.5), np.float64(1.5), np.float64(2.5)],
    "float32 scalars": [np.float32(0.5), np.float32(1.5), np.float32(2.5)],
    "int64 scalars": [np.int64(4), np.int64(5), np.int64(6)],
    "0-d arrays": [np.array(1.0), np.array(2.0), np.array(3.0)],
    "tuples": [(np.zeros(2), 1, "a"), (np.ones(2), 2, "b"), (np.ones(2) * 2, 3, "c")],
    "lists": [[1.0, 2], [3.0, 4], [5.0, 6]],
    "dicts": [{"x": np.full(2, i, np.float64), "label": i, "name": str(i)} for i in range(3)],
    "ordered dicts": [OrderedDict(b=i, a=float(i)) for i in range(3)],
    "named tuples": [Point(np.float64(i), [i, i + 1]) for i in range(3)],
    "nested": [{"pair": (i, [0.5 * i, {"deep": np.arange(2) * i}])} for i in range(3)],
}


@pytest.mark.parametrize("kind", SAMPLES)
def test_default_collate_is_torchs(kind: str) -> None:
    def collate(torch: Any) -> Any:
        return torch.utils.data.default_collate(SAMPLES[kind])

    check_batches(collate)


@pytest.mark.parametrize(
    "kind", ["float32 arrays", "float32 scalars", "tuples", "dicts", "named tuples", "nested"]
)
def test_default_convert_is_torchs(kind: str) -> None:
    def convert(torch: Any) -> Any:
        return [torch.utils.data.default_convert(s) for s in SAMPLES[kind]], torch.utils.data.default_convert(
            3.5
        )

    check_batches(convert)


def test_collate_of_tensors_stacks_with_one_copy_and_no_graph() -> None:
    rows = [autograd.tensor([1.0, 2.0]), autograd.tensor([3.0, 4.0])]
    batch = ours_data.default_collate(rows)
    assert batch.tolist() == [[1.0, 2.0], [3.0, 4.0]] and not batch.requires_grad and batch.is_leaf
    assert not any(np.shares_memory(batch.data, r.data) for r in rows)  # (a new batch, not a view)
    w = autograd.tensor([1.0, 2.0], requires_grad=True)
    stacked = ours_data.default_collate([w, w * 2])  # as torch.stack: part of the graph
    stacked.sum().backward()
    assert stacked.requires_grad and w.grad.tolist() == [3.0, 3.0]


def test_python_floats_collate_to_float64_whatever_the_default_dtype() -> None:
    """torch's ``collate_float_fn`` makes float64, even under a float32 default dtype."""
    previous = autograd.get_default_dtype()
    autograd.set_default_dtype(autograd.float32)
    try:
        assert ours_data.default_collate([0.5, 1.0]).dtype == autograd.float64
    finally:
        autograd.set_default_dtype(previous)
    assert torch.utils.data.default_collate([0.5, 1.0]).dtype == torch.float64


def test_tensors_a_dataset_yields_are_views_that_require_no_grad() -> None:
    x = autograd.randn(6, 3)
    ds = ours_data.TensorDataset(x, autograd.arange(6))
    row, label = ds[2]
    assert np.shares_memory(row.data, x.data) and not row.requires_grad and label.item() == 2
    X, y = next(iter(ours_data.DataLoader(ds, batch_size=4)))
    assert (
        not X.requires_grad
        and not y.requires_grad
        and X.dtype == autograd.float64
        and y.dtype == autograd.int64
    )


def test_without_batching_a_tensor_comes_out_as_the_same_object() -> None:
    items = [autograd.tensor([1.0]), autograd.tensor([2.0])]
    assert all(a is b for a, b in zip(ours_data.DataLoader(items, batch_size=None), items, strict=True))


# ---------------------------------------------------------------------------------------------
# datasets
# ---------------------------------------------------------------------------------------------
def test_subset_concat_and_stack_datasets_index_as_torchs() -> None:
    def index(torch: Any) -> Any:
        data = torch.utils.data
        a, b = tensor_data(torch, 4), tensor_data(torch, 3)
        both = a + b
        concat = data.ConcatDataset([a, b, a])
        sub = data.Subset(a, [3, 0])
        stacked = data.StackDataset(a, list(range(4)))
        named = data.StackDataset(x=a, n=list(range(10, 14)))
        return (
            len(both),
            both[5],
            both[-1],
            len(concat),
            concat.cumulative_sizes,
            concat[8],
            len(sub),
            sub[0],
            sub[1],
            stacked[2],
            named[1],
            len(named),
            list(data.DataLoader(concat, batch_size=4))[1],
            list(data.DataLoader(sub, batch_size=2)),
        )

    check_batches(index)


class Numbers:
    """A map-style dataset that counts how it is asked: one by one or a batch at once."""

    def __init__(self, n: int) -> None:
        self.n, self.calls = n, []

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> Any:
        self.calls.append("item")
        return float(i)

    def __getitems__(self, indices: list[int]) -> Any:
        self.calls.append("items")
        return [float(i) for i in indices]


def test_getitems_fetches_a_batch_at_once_through_a_subset() -> None:
    def loop(torch: Any) -> Any:
        ds = Numbers(7)
        sub = torch.utils.data.Subset(ds, [6, 5, 4, 3, 2])
        batches = list(torch.utils.data.DataLoader(sub, batch_size=2))
        return batches, ds.calls

    check_batches(loop)


def stream_class(torch: Any, n: int, with_len: bool = True) -> Any:
    class Count(torch.utils.data.IterableDataset):
        def __iter__(self) -> Any:
            info = torch.utils.data.get_worker_info()
            start, step = (0, 1) if info is None else (info.id, info.num_workers)
            return iter([np.array([i, -i]) for i in range(start, n, step)])

    if with_len:
        Count.__len__ = lambda self: n  # type: ignore[attr-defined]
    return Count()


@pytest.mark.parametrize(
    ("n", "batch_size", "drop_last"), [(7, 3, False), (7, 3, True), (6, 3, True), (0, 2, False)]
)
def test_an_iterable_dataset_is_read_as_a_stream(n: int, batch_size: int, drop_last: bool) -> None:
    def loop(torch: Any) -> Any:
        ds = stream_class(torch, n)
        loader = torch.utils.data.DataLoader(ds, batch_size=batch_size, drop_last=drop_last)
        unbatched = torch.utils.data.DataLoader(ds, batch_size=None)
        return len(loader), list(loader), list(loader), len(unbatched), list(unbatched)[:2]

    check_batches(loop)


def test_chain_dataset() -> None:
    def loop(torch: Any) -> Any:
        chained = stream_class(torch, 3) + stream_class(torch, 2)
        return len(chained), list(torch.utils.data.DataLoader(chained, batch_size=4))

    check_batches(loop)


def test_num_workers_load_in_process_as_worker_zero_and_every_sample_comes_once() -> None:
    seen = []
    loader = ours_data.DataLoader(
        stream_class(autograd, 10), batch_size=4, num_workers=3, worker_init_fn=seen.append, prefetch_factor=4
    )
    batches = [b.data[:, 0].tolist() for b in loader]
    assert batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]] and seen == [0]
    assert ours_data.get_worker_info() is None  # only while loading
    infos = []

    class Spy(ours_data.Dataset):
        def __len__(self) -> int:
            return 3

        def __getitem__(self, i: int) -> int:
            infos.append(ours_data.get_worker_info())
            return i

    assert [b.tolist() for b in ours_data.DataLoader(Spy(), batch_size=2, num_workers=2)] == [[0, 1], [2]]
    assert {(i.id, i.num_workers) for i in infos} == {(0, 1)} and isinstance(infos[0].seed, int)
    assert [b.tolist() for b in ours_data.DataLoader(Spy(), batch_size=2)] == [[0, 1], [2]]
    assert infos[-1] is None


# ---------------------------------------------------------------------------------------------
# shuffling, samplers, random_split: permutations, reproducible
# ---------------------------------------------------------------------------------------------
def shuffled_labels(loader: Any) -> list[int]:
    return [int(v) for _, y in loader for v in y.tolist()]


def test_shuffle_gives_a_new_permutation_each_pass_reproducible_by_manual_seed() -> None:
    ds = tensor_data(autograd, 40)
    ds = ours_data.TensorDataset(ds.tensors[0], autograd.arange(40))
    loader = ours_data.DataLoader(ds, batch_size=8, shuffle=True)
    autograd.manual_seed(0)
    first, second = shuffled_labels(loader), shuffled_labels(loader)
    assert sorted(first) == sorted(second) == list(range(40)) and first != second
    autograd.manual_seed(0)
    assert shuffled_labels(loader) == first and shuffled_labels(loader) == second
    autograd.manual_seed(1)
    assert shuffled_labels(loader) != first


def test_a_generator_gives_the_loader_its_own_stream() -> None:
    ds = list(range(30))
    orders = []
    for _ in range(2):
        g = autograd.Generator().manual_seed(7)
        loader = ours_data.DataLoader(ds, batch_size=5, shuffle=True, generator=g)
        orders.append([shuffled_list(loader), shuffled_list(loader)])
    assert orders[0] == orders[1] and orders[0][0] != orders[0][1]
    # the loader's generator leaves the library's default stream alone
    autograd.manual_seed(3)
    expected = autograd.rand(3).tolist()
    autograd.manual_seed(3)
    list(ours_data.DataLoader(ds, shuffle=True, generator=autograd.Generator().manual_seed(1)))
    assert autograd.rand(3).tolist() == expected
    # a numpy Generator serves too
    numpy_orders = [
        shuffled_list(
            ours_data.DataLoader(ds, batch_size=5, shuffle=True, generator=np.random.default_rng(2))
        )
        for _ in range(2)
    ]
    assert numpy_orders[0] == numpy_orders[1]


def shuffled_list(loader: Any) -> list[int]:
    return [v for b in loader for v in b.tolist()]


def test_an_epoch_advances_the_default_stream_by_one_draw_whatever_the_size() -> None:
    """As torch: a RandomSampler without a generator seeds its pass from one draw."""
    after = []
    for n in (5, 500):
        autograd.manual_seed(0)
        list(ours_data.RandomSampler(range(n)))
        after.append(autograd.rand(2).tolist())
    assert after[0] == after[1]


@pytest.mark.parametrize(
    "make",
    [
        lambda g: ours_data.RandomSampler(range(10), generator=g),
        lambda g: ours_data.RandomSampler(range(10), replacement=True, num_samples=25, generator=g),
        lambda g: ours_data.RandomSampler(range(4), num_samples=10, generator=g),
        lambda g: ours_data.SubsetRandomSampler([9, 3, 5, 1], generator=g),
        lambda g: ours_data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5, generator=g),
        lambda g: ours_data.WeightedRandomSampler([0.9, 0.4, 0.05, 0.2], 4, replacement=False, generator=g),
    ],
)
def test_samplers_are_reproducible_with_a_generator(make: Any) -> None:
    a = list(make(autograd.Generator().manual_seed(5)))
    b = list(make(autograd.Generator().manual_seed(5)))
    assert a == b and len(a) == len(make(None))
    autograd.manual_seed(4)
    c = list(make(None))
    autograd.manual_seed(4)
    assert list(make(None)) == c


@pytest.mark.parametrize("replacement", [True, False])
def test_the_weighted_sampler_draws_torchs_indices(replacement: bool) -> None:
    """torch's sampler is ``torch.multinomial`` over its weights: the same indices after the same seed."""
    import torch

    weights = [0.1, 0.9, 0.0, 0.7, 3.0, 0.6]
    torch.manual_seed(7)
    autograd.manual_seed(7)
    theirs = [list(torch.utils.data.WeightedRandomSampler(weights, 5, replacement)) for _ in range(4)]
    assert [list(ours_data.WeightedRandomSampler(weights, 5, replacement)) for _ in range(4)] == theirs


def test_the_samplers_draw_what_torchs_draw() -> None:
    """Lengths and sets (the orders are random on both sides)."""

    def draw(torch: Any) -> Any:
        data = torch.utils.data
        g = torch.Generator().manual_seed(0)
        perm = list(data.RandomSampler(range(10), generator=g))
        wrapped = list(data.RandomSampler(range(4), num_samples=10, generator=g))
        replaced = list(data.RandomSampler(range(3), replacement=True, num_samples=50, generator=g))
        subset = list(data.SubsetRandomSampler([9, 3, 5], generator=g))
        weighted = list(data.WeightedRandomSampler([0.0, 1.0, 0.0, 2.0], 40, generator=g))
        unique = list(data.WeightedRandomSampler([1.0, 0.0, 2.0, 3.0], 4, replacement=False, generator=g))
        return (
            sorted(perm),
            [2 <= wrapped.count(i) <= 3 for i in range(4)],  # two permutations and part of a third
            sorted(wrapped[:4]),
            len(replaced),
            set(replaced) <= {0, 1, 2},
            sorted(subset),
            set(weighted) == {1, 3},
            sorted(unique),
            unique[-1],  # the zero weight comes last
            len(data.RandomSampler(range(4), num_samples=10)),
            len(data.WeightedRandomSampler([1.0, 2.0], 7)),
        )

    check(draw)


@given(n=st.integers(1, 50), data=st.data())
def test_random_split_partitions_the_dataset_as_torchs_lengths(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(1, 4))
    cuts = sorted(data.draw(st.lists(st.integers(0, n), min_size=k - 1, max_size=k - 1)))
    lengths = [b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    weights = data.draw(st.lists(st.integers(1, 9), min_size=k, max_size=k))
    fractions = [w / sum(weights) for w in weights]
    if not np.isclose(sum(fractions), 1) or sum(fractions) > 1:
        fractions = [1.0]

    def split(torch: Any) -> Any:
        g = torch.Generator().manual_seed(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (an empty split warns)
            parts = torch.utils.data.random_split(range(n), lengths, generator=g)
            by_fraction = torch.utils.data.random_split(range(n), fractions, generator=g)
        return (
            [len(p) for p in parts],
            sorted(i for p in parts for i in p),
            [len(p) for p in by_fraction],
            sorted(i for p in by_fraction for i in p),
        )

    check(split)


def test_random_split_is_reproducible_and_warns_of_an_empty_split() -> None:
    def parts(generator: Any) -> list[list[int]]:
        return [list(p) for p in ours_data.random_split(range(20), [0.5, 0.3, 0.2], generator=generator)]

    assert parts(autograd.Generator().manual_seed(1)) == parts(autograd.Generator().manual_seed(1))
    autograd.manual_seed(9)
    first = parts(None)
    autograd.manual_seed(9)
    assert parts(None) == first and [len(p) for p in first] == [10, 6, 4]
    for lib in (ours_data, torch.utils.data):
        with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
            lib.random_split(range(2), [0.9, 0.1])


# ---------------------------------------------------------------------------------------------
# errors: the same bad arguments refused with the same exception types
# ---------------------------------------------------------------------------------------------
class NoLen:
    def __getitem__(self, i: int) -> int:
        return i


def plain_stream(torch: Any) -> Any:
    return stream_class(torch, 3, with_len=False)


BAD = {
    "batch_size=0": (lambda t: t.utils.data.DataLoader(range(3), batch_size=0), ValueError, r"batch_size=0"),
    "batch_size=-2": (
        lambda t: t.utils.data.DataLoader(range(3), batch_size=-2),
        ValueError,
        r"batch_size=-2",
    ),
    "batch_size=1.5": (
        lambda t: t.utils.data.DataLoader(range(3), batch_size=1.5),
        ValueError,
        r"batch_size=1.5",
    ),
    "batch_size=True": (
        lambda t: t.utils.data.DataLoader(range(3), batch_size=True),
        ValueError,
        r"batch_size=True",
    ),
    "sampler and shuffle": (
        lambda t: t.utils.data.DataLoader(range(3), sampler=[0, 1], shuffle=True),
        ValueError,
        r"sampler option is mutually exclusive with shuffle",
    ),
    "batch_sampler and batch_size": (
        lambda t: t.utils.data.DataLoader(range(3), batch_sampler=[[0]], batch_size=2),
        ValueError,
        r"batch_sampler option is mutually exclusive .*got batch_size=2",
    ),
    "batch_sampler and drop_last": (
        lambda t: t.utils.data.DataLoader(range(3), batch_sampler=[[0]], drop_last=True),
        ValueError,
        r"got drop_last=True",
    ),
    "batch_size=None and drop_last": (
        lambda t: t.utils.data.DataLoader(range(3), batch_size=None, drop_last=True),
        ValueError,
        r"batch_size=None .*drop_last",
    ),
    "num_workers=-1": (
        lambda t: t.utils.data.DataLoader(range(3), num_workers=-1),
        ValueError,
        r"num_workers=-1",
    ),
    "timeout=-1": (lambda t: t.utils.data.DataLoader(range(3), timeout=-1), ValueError, r"timeout=-1"),
    "timeout without workers": (
        lambda t: iter(t.utils.data.DataLoader(range(3), timeout=5)),
        AssertionError,
        r"timeout=5 needs num_workers > 0",
    ),
    "prefetch_factor without workers": (
        lambda t: t.utils.data.DataLoader(range(3), prefetch_factor=2),
        ValueError,
        r"prefetch_factor=2 needs num_workers > 0",
    ),
    "persistent_workers without workers": (
        lambda t: t.utils.data.DataLoader(range(3), persistent_workers=True),
        ValueError,
        r"persistent_workers=True needs num_workers > 0",
    ),
    "multiprocessing_context without workers": (
        lambda t: t.utils.data.DataLoader(range(3), multiprocessing_context="spawn"),
        ValueError,
        r"multiprocessing_context .*num_workers=0",
    ),
    "an IterableDataset and shuffle": (
        lambda t: t.utils.data.DataLoader(plain_stream(t), shuffle=True),
        ValueError,
        r"IterableDataset: expected unspecified shuffle option, but got shuffle=True",
    ),
    "an IterableDataset and a sampler": (
        lambda t: t.utils.data.DataLoader(plain_stream(t), sampler=[0]),
        ValueError,
        r"expected unspecified sampler option",
    ),
    "an IterableDataset without len": (
        lambda t: len(t.utils.data.DataLoader(plain_stream(t))),
        TypeError,
        r"has no len",
    ),
    "a dataset without len": (lambda t: len(t.utils.data.DataLoader(NoLen())), TypeError, r"has no len"),
    "an empty dataset shuffled": (
        lambda t: t.utils.data.DataLoader([], shuffle=True),
        ValueError,
        r"num_samples=0 \(len\(data_source\)",
    ),
    "setting batch_size after": (
        lambda t: setattr(t.utils.data.DataLoader(range(3)), "batch_size", 2),
        ValueError,
        r"batch_size attribute should not be set after DataLoader is initialized",
    ),
    "random_split lengths not summing": (
        lambda t: t.utils.data.random_split(range(10), [3, 4]),
        ValueError,
        r"\[3, 4\] sum to 7, len\(dataset\) is 10",
    ),
    "random_split fraction out of range": (
        lambda t: t.utils.data.random_split(range(10), [1.25, -0.25]),
        ValueError,
        r"fraction at index 0 is not between 0 and 1, got 1.25",
    ),
    "TensorDataset size mismatch": (
        lambda t: t.utils.data.TensorDataset(t.zeros(3, 2), t.zeros(4)),
        AssertionError,
        r"size mismatch between tensors: .* got \[3, 4\]",
    ),
    "ConcatDataset of nothing": (
        lambda t: t.utils.data.ConcatDataset([]),
        AssertionError,
        r"datasets should not be an empty iterable",
    ),
    "ConcatDataset of a stream": (
        lambda t: t.utils.data.ConcatDataset([plain_stream(t)]),
        AssertionError,
        r"does not support IterableDataset",
    ),
    "ConcatDataset index too negative": (
        lambda t: t.utils.data.ConcatDataset([range(2)])[-3],
        ValueError,
        r"absolute value of index should not exceed dataset length",
    ),
    "ChainDataset of a list": (
        lambda t: list(t.utils.data.ChainDataset([[1, 2]])),
        AssertionError,
        r"ChainDataset only supports IterableDataset",
    ),
    "RandomSampler replacement=1": (
        lambda t: t.utils.data.RandomSampler(range(3), replacement=1),
        TypeError,
        r"replacement=1",
    ),
    "RandomSampler num_samples=0": (
        lambda t: t.utils.data.RandomSampler(range(3), num_samples=0),
        ValueError,
        r"num_samples=0",
    ),
    "WeightedRandomSampler num_samples=0": (
        lambda t: t.utils.data.WeightedRandomSampler([1.0], 0),
        ValueError,
        r"num_samples=0",
    ),
    "WeightedRandomSampler replacement=None": (
        lambda t: t.utils.data.WeightedRandomSampler([1.0], 1, replacement=None),
        ValueError,
        r"replacement=None",
    ),
    "WeightedRandomSampler 2-d weights": (
        lambda t: t.utils.data.WeightedRandomSampler([[1.0, 2.0]], 1),
        ValueError,
        r"weights have shape \(1, 2\)",
    ),
    "WeightedRandomSampler negative weight": (
        lambda t: list(t.utils.data.WeightedRandomSampler([1.0, -1.0], 2)),
        RuntimeError,
        r"negative",
    ),
    "WeightedRandomSampler zero weights": (
        lambda t: list(t.utils.data.WeightedRandomSampler([0.0, 0.0], 2)),
        RuntimeError,
        r"sum of probabilities <= 0",
    ),
    "WeightedRandomSampler too many without replacement": (
        lambda t: list(t.utils.data.WeightedRandomSampler([1.0, 1.0], 3, replacement=False)),
        RuntimeError,
        r"cannot sample n_sample > prob_dist.size\(-1\) samples without replacement",
    ),
    "BatchSampler drop_last='yes'": (
        lambda t: t.utils.data.BatchSampler(range(3), 2, drop_last="yes"),
        ValueError,
        r"drop_last='yes'",
    ),
    "collate of tensors of two shapes": (
        lambda t: t.utils.data.default_collate([t.zeros(3), t.zeros(2)]),
        RuntimeError,
        r"stack expects each tensor to be equal size, but got \[3\] at entry 0 and \[2\] at entry 1",
    ),
    "collate of arrays of two shapes": (
        lambda t: t.utils.data.default_collate([np.zeros(3), np.zeros(2)]),
        RuntimeError,
        r"stack expects each array to be equal size",
    ),
    "collate of sequences of two lengths": (
        lambda t: t.utils.data.default_collate([(1, 2), (3,)]),
        RuntimeError,
        r"each element in list of batch should be of equal size",
    ),
    "collate of objects": (
        lambda t: t.utils.data.default_collate([object(), object()]),
        TypeError,
        r"batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'object'>",
    ),
    "collate of string arrays": (
        lambda t: t.utils.data.default_collate([np.array(["a"]), np.array(["b"])]),
        TypeError,
        r"found <U1",
    ),
    "collate of nothing": (lambda t: t.utils.data.default_collate([]), IndexError, r"the batch is empty"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_arguments_are_refused_as_torch_refuses_them(case: str) -> None:
    make, error, says = BAD[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error):
            make(torch)
        with pytest.raises(error, match=says):
            make(autograd)


def test_a_tensor_dataset_takes_tensors() -> None:
    with pytest.raises(TypeError, match=r"tensors\[1\] must be a Tensor .* got ndarray; .*from_numpy"):
        ours_data.TensorDataset(autograd.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="expected one or more Tensors"):
        ours_data.TensorDataset()
    with pytest.raises(TypeError, match="dataset must be a map-style dataset .* got generator"):
        ours_data.DataLoader(i for i in range(3))
    with pytest.raises(TypeError, match="generator must be an autograd.Generator .* got 3"):
        list(ours_data.RandomSampler(range(3), generator=3))


def test_pin_memory_warns_as_torch_does_without_an_accelerator() -> None:
    for lib in (autograd, torch):
        with pytest.warns(
            UserWarning, match="'pin_memory' argument is set as true but no accelerator is found"
        ):
            list(lib.utils.data.DataLoader([1.0, 2.0], pin_memory=True))


def test_the_size_mismatch_is_both_a_value_error_and_torchs_assertion_error() -> None:
    with pytest.raises(ValueError):
        ours_data.TensorDataset(autograd.zeros(1), autograd.zeros(2))
    with pytest.raises(AssertionError):
        ours_data.TensorDataset(autograd.zeros(1), autograd.zeros(2))


def test_the_datasets_pickle() -> None:
    ds = ours_data.TensorDataset(autograd.arange(3.0), autograd.arange(3))
    back = pickle.loads(pickle.dumps(ours_data.Subset(ds, [2, 0])))
    assert [t.item() for t in back[0]] == [2.0, 2] and len(back) == 2
