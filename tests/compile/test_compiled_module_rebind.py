"""A compiled step traces again after an attribute of a module its trace reached is bound to another
object (``model.fc = nn.Linear(...)``, ``seq[1] = nn.Tanh()``, ``fc.weight = Parameter(...)``,
``self.scale = 2.0``): it went on computing with the old objects, silently. Each case compares the
compiled step's output and gradients with the eager run's, bit for bit, after the change, and counts
the traces; nothing rebound, or the same object bound again, traces nothing; a training loop with an
optimizer, batch norm, dropout, train/eval and eager validation calls traces once per step."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import autograd as ag
import optimizers
from autograd import Tensor, nn
from autograd.compiled import watch
from autograd.nn import functional as F

X = Tensor(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3))


def _param(*shape: int, start: float = 0.5) -> nn.Parameter:
    values = np.linspace(start, -start, int(np.prod(shape)), dtype=np.float32)
    return nn.Parameter(Tensor(values.reshape(shape)))


def _bits(t: Any) -> bytes | None:
    return None if t is None else np.ascontiguousarray(getattr(t, "data", t)).tobytes()


def _agree(step: Any, fn: Callable[[], Tensor], model: nn.Module) -> None:
    """The compiled step and the eager ``fn().backward()``: the same output and ``.grad`` bits."""
    params = list(model.parameters())
    for p in params:
        p.grad = None
    got = step()
    got_grads = [_bits(p.grad) for p in params]
    for p in params:
        p.grad = None
    want = fn()
    want.backward()
    assert _bits(got) == _bits(want), (got.item(), want.item())
    assert got_grads == [_bits(p.grad) for p in params]


class _Net(nn.Module):
    """A body and a head (``fc``), a gain read in forward, a bias read without calling ``extra``."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4))
        self.fc = nn.Linear(4, 2)
        self.extra = nn.Linear(2, 2)
        self.scale = 1.5
        self.blocks = nn.ModuleList([nn.Tanh()])
        self.heads = nn.ModuleDict({"a": nn.Identity()})
        self.register_buffer("shift", Tensor(np.full(2, 0.25, np.float32)))

    def forward(self, x: Tensor) -> Tensor:
        h = self.body(x)
        for block in self.blocks:
            h = block(h)
        h = self.heads["a"](self.fc(h)) * self.scale + self.shift
        return F.linear(h, self.extra.weight, self.extra.bias)  # (extra is read, never called)


def _net() -> _Net:
    ag.manual_seed(0)
    return _Net()


def _swap_head(m: _Net) -> None:  # transfer learning
    m.fc = nn.Linear(4, 2)


def _new_weight(m: _Net) -> None:
    m.fc.weight = _param(2, 4)


def _new_weight_of_a_module_read_not_called(m: _Net) -> None:
    m.extra.weight = _param(2, 2, start=2.0)


def _new_scale(m: _Net) -> None:
    m.scale = 2.0


def _new_buffer(m: _Net) -> None:
    m.register_buffer("shift", Tensor(np.full(2, -3.0, np.float32)))


def _new_parameter_registered(m: _Net) -> None:
    m.extra.register_parameter("bias", _param(2, start=1.0))


def _bias_deleted(m: _Net) -> None:
    del m.extra.bias
    m.extra.bias = None


def _module_added(m: _Net) -> None:
    m.add_module("fc", nn.Linear(4, 2))


def _sequential_item_set(m: _Net) -> None:
    m.body[1] = nn.Tanh()


def _sequential_item_deleted(m: _Net) -> None:
    del m.body[1]


def _sequential_appended(m: _Net) -> None:
    m.body.append(nn.Sigmoid())


def _sequential_module_added(m: _Net) -> None:
    m.body.add_module("out", nn.Sigmoid())


def _module_dict_module_added(m: _Net) -> None:
    m.heads.add_module("a", nn.Sigmoid())


def _sequential_inserted(m: _Net) -> None:
    m.body.insert(2, nn.Sigmoid())


def _module_list_item_set(m: _Net) -> None:
    m.blocks[0] = nn.Sigmoid()


def _module_list_appended(m: _Net) -> None:
    m.blocks.append(nn.Sigmoid())


def _module_list_extended(m: _Net) -> None:
    m.blocks += [nn.Sigmoid(), nn.Tanh()]


def _module_list_inserted(m: _Net) -> None:
    m.blocks.insert(0, nn.Sigmoid())


def _module_list_item_deleted(m: _Net) -> None:
    del m.blocks[0]


def _module_dict_item_set(m: _Net) -> None:
    m.heads["a"] = nn.Sigmoid()


def _module_dict_updated(m: _Net) -> None:
    m.heads.update({"a": nn.Tanh()})


def _module_dict_popped(m: _Net) -> None:
    m.heads.pop("a")
    m.heads["a"] = nn.Softplus()


def _forward_replaced(m: _Net) -> None:
    m.fc.forward = lambda x: x[:, :2] * 3.0


def _applied(m: _Net) -> None:
    def init(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            module.weight = _param(*module.weight.shape, start=0.3)

    m.apply(init)


REBINDINGS = [
    _swap_head,
    _new_weight,
    _new_weight_of_a_module_read_not_called,
    _new_scale,
    _new_buffer,
    _new_parameter_registered,
    _bias_deleted,
    _module_added,
    _sequential_item_set,
    _sequential_item_deleted,
    _sequential_appended,
    _sequential_inserted,
    _sequential_module_added,
    _module_dict_module_added,
    _module_list_item_set,
    _module_list_appended,
    _module_list_extended,
    _module_list_inserted,
    _module_list_item_deleted,
    _module_dict_item_set,
    _module_dict_updated,
    _module_dict_popped,
    _forward_replaced,
    _applied,
]


@pytest.mark.parametrize("rebind", REBINDINGS, ids=lambda f: f.__name__.strip("_"))
def test_a_rebinding_traces_again_and_equals_eager(rebind: Callable[[_Net], None]) -> None:
    m = _net()
    fn = lambda: m(X).sum()  # noqa: E731
    step = ag.compile(fn)
    _agree(step, fn, m)
    before = _bits(step())
    rebind(m)
    _agree(step, fn, m)
    assert _bits(step()) != before  # (the change changes the loss: the check above can fail)
    assert step.trace_count == 2
    _agree(step, fn, m)
    assert step.trace_count == 2  # (nothing rebound since)


def test_the_same_objects_bound_again_trace_nothing() -> None:
    m = _net()
    step = ag.compile(lambda: m(X).sum())
    step()
    m.fc = m.fc
    m.fc.weight = m.fc.weight
    m.scale = 1.5  # (an equal float: the same value, as for a watched name)
    m.body[0] = m.body[0]
    m.blocks[0] = m.blocks[0]
    m.heads["a"] = m.heads["a"]
    m.register_buffer("shift", m.shift)
    m.train()
    m.fc.weight.data = m.fc.weight.data * 2  # (in place: the array is read at every call)
    m.load_state_dict(m.state_dict())
    fresh = _Net()  # (a new module is not watched: making it advances nothing)
    fresh.fc = nn.Linear(4, 2)
    twin = copy.deepcopy(m)  # (nor is a copy)
    twin.fc = nn.Linear(4, 2)
    twin.body[1] = nn.Tanh()
    _agree(step, lambda: m(X).sum(), m)
    assert step.trace_count == 1


def test_load_state_dict_writes_in_place_and_the_step_reads_it() -> None:
    m, other = _net(), _Net()
    fn = lambda: m(X).sum()  # noqa: E731
    step = ag.compile(fn)
    before = _bits(step())
    m.load_state_dict(other.state_dict())
    _agree(step, fn, m)
    assert _bits(step()) != before and step.trace_count == 1


class _Scaled(nn.Module):
    def __init__(self) -> None:
        self.fc = nn.Linear(3, 1)
        self.scale = 1.0

    def loss(self, x: Tensor) -> Tensor:  # (a method, not forward: the module is never called)
        return F.linear(x, self.fc.weight, self.fc.bias).sum() * self.scale


def test_a_compiled_bound_method_watches_its_module() -> None:
    ag.manual_seed(0)
    m = _Scaled()
    step = ag.compile(m.loss)
    _agree(lambda: step(X), lambda: m.loss(X), m)
    m.scale = -2.0
    _agree(lambda: step(X), lambda: m.loss(X), m)
    m.fc.weight = _param(1, 3)
    _agree(lambda: step(X), lambda: m.loss(X), m)
    assert step.trace_count == 3


def test_a_module_in_a_list_a_name_holds_is_watched_without_being_called() -> None:
    ag.manual_seed(0)
    layers = [nn.Linear(3, 2)]
    holder = nn.Module()
    holder.layers = layers
    fn = lambda: F.linear(X, layers[0].weight).sum()  # noqa: E731
    step = ag.compile(fn)
    step()
    layers[0].weight = _param(2, 3)
    _agree(step, fn, holder)
    assert step.trace_count == 2


def test_parameter_containers_rebound_trace_again() -> None:
    plist = nn.ParameterList([_param(3)])
    pdict = nn.ParameterDict({"w": _param(3, start=1.0)})
    holder = nn.Module()
    holder.plist, holder.pdict = plist, pdict
    fn = lambda: (X * plist[0] * pdict["w"]).sum()  # noqa: E731
    step = ag.compile(fn)
    step()
    plist[0] = _param(3, start=2.0)
    _agree(step, fn, holder)
    pdict["w"] = _param(3, start=-1.0)
    _agree(step, fn, holder)
    assert step.trace_count == 3


class _Caching(nn.Module):
    """Keeps its last output (as attention layers keep their weights to plot): a new Tensor each call."""

    def __init__(self) -> None:
        self.fc = nn.Linear(3, 2)
        self.last = None

    def forward(self, x: Tensor) -> Tensor:
        self.last = self.fc(x)
        return self.last


@pytest.mark.parametrize("check", [False, True])
def test_a_module_assigning_in_its_own_forward_does_not_trace_again(check: bool) -> None:
    ag.manual_seed(0)
    m = _Caching()
    step = ag.compile(lambda: m(X).sum(), check=check)
    for _ in range(10):
        step()
    assert step.trace_count == 1
    m(X)  # (an eager call between compiled ones rebinds `last`: the next call traces again)
    step()
    assert step.trace_count == 2


def test_a_training_loop_with_batch_norm_dropout_and_eval_traces_once_per_step() -> None:
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.25), nn.Linear(8, 1))
    opt = optimizers.Adam(model.parameters(), lr=1e-2)
    sched = optimizers.lr_scheduler.StepLR(opt, step_size=3)
    train = ag.compile(lambda: (model(X) ** 2).mean())
    evaluate = ag.compile(lambda: model(X).sum())
    clock = watch.CLOCK[0]
    for _ in range(10):
        model.train()
        for _step in range(3):
            opt.zero_grad()
            train()
            opt.step()
        sched.step()
        model.eval()
        with ag.no_grad():
            evaluate()
            model(X)  # (an eager validation call)
    assert (train.trace_count, evaluate.trace_count) == (1, 1)
    assert watch.CLOCK[0] == clock
    assert int(model[1].num_batches_tracked.item()) == 30


def test_the_eighth_trace_names_the_rebound_attribute() -> None:
    m = _net()
    step = ag.compile(lambda: m(X).sum())
    with pytest.warns(RuntimeWarning, match="traced 8 times.*rebinding of scale, an attribute of a _Net"):
        for k in range(8):
            m.scale = float(k)
            step()


def test_the_module_zoo_is_watched_without_advancing_the_clock() -> None:
    """Modules with state (batch norm's statistics, recurrent layers) write it in place, never rebind."""
    ag.manual_seed(0)
    models = [nn.BatchNorm1d(3), nn.LSTM(3, 4), nn.GRU(3, 4), nn.LayerNorm(3), nn.MultiheadAttention(3, 1)]
    for m in models:
        m.float()
    steps = [
        ag.compile(lambda: models[0](X).sum()),
        ag.compile(lambda: models[1](X[None])[0].sum()),
        ag.compile(lambda: models[2](X[None])[0].sum()),
        ag.compile(lambda: models[3](X).sum()),
        ag.compile(lambda: models[4](X[None], X[None], X[None])[0].sum()),
    ]
    clock = watch.CLOCK[0]
    for _ in range(3):
        for m, step in zip(models, steps):
            step()
            m.eval()
            m.train()
    assert all(id(m) in watch.WATCHED for m in models)
    assert watch.CLOCK[0] == clock and [s.trace_count for s in steps] == [1] * 5


def test_a_neuron_of_a_micrograd_mlp_is_watched() -> None:
    """A Layer's neurons are the rows of its weight, not its children; its forward calls theirs
    without ``__call__``: found among its attributes."""
    ag.manual_seed(0)
    m = nn.MLP(2, [3, 1])
    xs = [ag.Value(0.5), ag.Value(-1.0)]
    fn = lambda: m(xs) * 2.0  # noqa: E731
    step = ag.compile(fn)
    assert step().data == fn().data
    m.layers[0].neurons[0].b = ag.Value(3.0)
    assert step().data == fn().data != 0.3029165987915487
    assert step.trace_count == 2
