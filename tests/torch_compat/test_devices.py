"""The device lines that open PyTorch's tutorials, ``autograd.device``, the CUDA / accelerator / MPS
questions (all "no" here, as on a CPU-only torch), ``inference_mode``, and ``autograd.Generator``:
each run with ``torch`` bound to this library and to PyTorch where the two agree."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import numpy as np
import pytest

import autograd

torch = pytest.importorskip("torch")
from side_by_side import check  # noqa: E402 (needs torch)


# ---------------------------------------------------------------------------------------------
# devices
# ---------------------------------------------------------------------------------------------
def test_the_tutorials_device_lines_pick_the_cpu() -> None:
    def first_lines(torch: Any) -> Any:
        # "Build the Model" and "Quickstart" (2.x)
        device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
        # the older spelling
        older = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
        as_object = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2)).to(device)
        X = torch.rand(1, 2, 2, device=device)
        t = torch.tensor([1.0, 2.0], device=as_object).to(as_object)
        moved = t.to(device), t.to("cpu"), t.to(as_object, torch.float32), t.to(device=as_object)
        return (
            device,
            older,
            str(as_object),
            repr(as_object),
            as_object.type,
            model(X).shape,
            str(X.device),
            repr(t.device),
            t.device.type,
            [str(m.device) for m in moved],
            moved[2].dtype,
            t.cpu().numpy().tolist(),
            torch.cuda.device_count(),
            torch.accelerator.device_count(),
            torch.backends.mps.is_built(),
            torch.backends.cudnn.is_available(),
            torch.zeros(2, device=torch.device("cpu")),
            torch.ones(1, device="cpu:0"),
        )

    check(first_lines)


def test_a_device_prints_compares_and_pickles_as_torchs() -> None:
    def devices(torch: Any) -> Any:
        cpu, indexed, two_args = torch.device("cpu"), torch.device("cpu:0"), torch.device("cpu", 0)
        return (
            repr(cpu),
            repr(indexed),
            str(indexed),
            indexed.index,
            cpu.index,
            indexed == two_args,
            cpu == torch.device(cpu),
            cpu != indexed,
            len({cpu, torch.device("cpu")}),
            repr(pickle.loads(pickle.dumps(indexed))),
            repr(copy.deepcopy(cpu)),
            torch.tensor([1.0]).device == cpu,
        )

    check(devices)


def test_a_device_equals_its_string_here() -> None:
    """A difference: torch's ``device("cpu") == "cpu"`` is False; here True, so code testing
    ``t.device == "cpu"`` keeps working. Hashes agree with that equality."""
    cpu = autograd.device("cpu")
    assert cpu == "cpu" and "cpu" == cpu and autograd.tensor([1.0]).device == "cpu"
    assert autograd.device("cpu:0") == "cpu:0" and autograd.device("cpu:0") != "cpu"
    assert {cpu: 1}["cpu"] == 1 and cpu != 3
    assert (torch.device("cpu") == "cpu") is False


@pytest.mark.parametrize("name", ["cuda", "cuda:0", "mps", "xpu"])
def test_another_device_is_refused_saying_only_the_cpu_exists(name: str) -> None:
    with pytest.raises(
        RuntimeError, match=r"only the CPU exists here: this library runs on numpy on the CPU"
    ):
        autograd.device(name)
    t = autograd.tensor([1.0])
    with pytest.raises(RuntimeError, match="only the CPU is supported"):
        t.to(name)
    with pytest.raises(RuntimeError, match="not supported"):
        autograd.zeros(2, device=name)
    with pytest.raises(RuntimeError, match="devices are not supported"):
        autograd.nn.Linear(2, 2).to(name)


def test_bad_device_strings_and_types() -> None:
    for lib in (autograd, torch):
        with pytest.raises(RuntimeError, match="(?i)expected one of cpu, cuda"):
            lib.device("gpu")
    with pytest.raises(TypeError, match=r"device\(0\) means 'cuda:0'; there is no CUDA here"):
        autograd.device(0)
    with pytest.raises(TypeError, match="index must be a non-negative int"):
        autograd.device("cpu", -1)
    with pytest.raises(RuntimeError, match="Generator: device='cuda' is not supported"):
        autograd.Generator(device="cuda")


def test_cuda_seeding_calls_of_reproducibility_recipes_run() -> None:
    def recipe(torch: Any) -> Any:
        torch.manual_seed(0)
        torch.cuda.manual_seed(0)
        torch.cuda.manual_seed_all(0)
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        return torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark, torch.cuda.is_available()

    check(recipe)
    autograd.backends.cudnn.deterministic = False  # (as it was)


# ---------------------------------------------------------------------------------------------
# inference_mode
# ---------------------------------------------------------------------------------------------
def test_inference_mode_as_torchs() -> None:
    def modes(torch: Any) -> Any:
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        seen = []
        with torch.inference_mode():
            seen.append((w * 2).requires_grad)
            seen.append(torch.is_grad_enabled())
        with torch.inference_mode(False):
            seen.append((w * 2).requires_grad)
        with torch.inference_mode(mode=True):
            seen.append((w * 2).requires_grad)

        @torch.inference_mode()
        def called() -> Any:
            return (w * 3).requires_grad

        @torch.inference_mode
        def bare() -> Any:
            return (w * 3).requires_grad

        seen += [called(), bare(), called.__name__, torch.is_grad_enabled(), (w * 2).requires_grad]
        with torch.no_grad(), torch.inference_mode(False):
            seen.append((w * 2).requires_grad)  # True: torch's inference_mode(False) turns grad on
        with torch.inference_mode():
            with torch.inference_mode():
                seen.append((w * 2).requires_grad)
            seen.append((w * 2).requires_grad)
        seen.append((w * 2).requires_grad)
        return seen

    ours, _ = check(modes)
    assert ours == [False, False, True, False, False, False, "called", True, True, True, False, False, True]


# ---------------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------------
def test_a_generator_seeds_as_torchs() -> None:
    def seeds(torch: Any) -> Any:
        g = torch.Generator()
        fresh = g.initial_seed()
        same_object = g.manual_seed(123) is g
        negative = torch.Generator().manual_seed(-1).initial_seed()
        return fresh, same_object, g.initial_seed(), negative, str(g.device)

    ours, _ = check(seeds)
    assert ours[0] == 67280421310721


def test_a_generator_makes_every_draw_reproducible() -> None:
    def draws(g: Any) -> list[Any]:
        w = autograd.empty(3)
        return [
            autograd.randn(2, 2, generator=g).tolist(),
            autograd.rand(3, generator=g).tolist(),
            autograd.randint(0, 10, (4,), generator=g).tolist(),
            autograd.randperm(6, generator=g).tolist(),
            autograd.randn_like(w, generator=g).tolist(),
            w.normal_(generator=g).tolist(),
            autograd.nn.init.uniform_(autograd.empty(2), generator=g).tolist(),
        ]

    a = draws(autograd.Generator().manual_seed(11))
    assert a == draws(autograd.Generator().manual_seed(11))
    assert a != draws(autograd.Generator().manual_seed(12))
    assert draws(autograd.Generator()) == draws(autograd.Generator())  # the default seed, fixed
    autograd.manual_seed(0)
    before = autograd.rand(2).tolist()
    autograd.manual_seed(0)
    draws(autograd.Generator().manual_seed(1))
    assert autograd.rand(2).tolist() == before  # a Generator leaves the default stream alone


def test_get_state_and_set_state_resume_the_stream() -> None:
    g = autograd.Generator().manual_seed(5)
    autograd.randn(3, generator=g)
    state = g.get_state()
    assert state.dtype == np.uint8 and state.shape == (5056,) and not state.requires_grad
    after = autograd.randn(4, generator=g).tolist()
    autograd.randn(7, generator=g)
    assert g.set_state(state) is g and autograd.randn(4, generator=g).tolist() == after
    other = autograd.Generator().set_state(state)
    assert other.initial_seed() == 5 and autograd.randn(4, generator=other).tolist() == after
    # torch's layout: the state loads into torch and torch's into ours
    t = torch.Generator().set_state(torch.from_numpy(state.data.copy()))
    assert torch.randn(4, generator=t).double().tolist() == after
    with pytest.raises(RuntimeError, match="expected a state of 5056 bytes"):
        g.set_state(autograd.from_numpy(np.zeros(45, np.uint8)))
    with pytest.raises(TypeError, match="new_state must be the uint8 Tensor"):
        g.set_state([1, 2])


def test_generator_errors() -> None:
    with pytest.raises(TypeError, match="seed must be an int, got float 1.5"):
        autograd.Generator().manual_seed(1.5)
    with pytest.raises(ValueError, match=r"seed must be in \[-2\*\*63, 2\*\*64 - 1\]"):
        autograd.Generator().manual_seed(2**64)
    with pytest.raises(ValueError):
        torch.Generator().manual_seed(2**64)
    with pytest.raises(TypeError, match="seed must be a non-negative int, an autograd.Generator"):
        autograd.randn(2, generator="seven")


def test_seed_draws_a_new_seed() -> None:
    g = autograd.Generator()
    s = g.seed()
    assert isinstance(s, int) and 0 <= s < 2**64 and g.initial_seed() == s
    assert (
        autograd.rand(2, generator=g).tolist()
        == autograd.rand(2, generator=autograd.Generator().manual_seed(s)).tolist()
    )
