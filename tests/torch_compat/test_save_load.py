"""``torch.save`` / ``torch.load`` with the import line changed: the quickstart's last lines and the
tutorial's checkpoint of model, optimizer and epoch, beside PyTorch; training resumed from a file
continues bit for bit; types, dtypes, order and key types survive; bad objects, bad files and bad
arguments get errors that name them. The two libraries' files are not interchangeable."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch as real_torch
from side_by_side import check, same
from test_learn_the_basics import IMAGES, batches, initial_weights, network, weights_of

import autograd
from autograd import serialization


def test_quickstart_save_and_load(tmp_path: Path) -> None:
    """The quickstart's end: train, ``torch.save(model.state_dict(), "model.pth")``, a new model,
    ``load_state_dict(torch.load("model.pth", weights_only=True))``, predict."""

    def page(torch: Any, arrays: dict[str, np.ndarray]) -> Any:
        model = network(torch)
        weights_of(torch, model, arrays)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
        for X, y in batches(torch):
            loss = torch.nn.CrossEntropyLoss()(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        path = str(tmp_path / f"model_{torch.__name__}.pth")
        torch.save(model.state_dict(), path)
        model = network(torch)
        model.load_state_dict(torch.load(path, weights_only=True))
        model.eval()
        with torch.no_grad():
            pred = model(torch.from_numpy(IMAGES[:2]))
        return pred, pred[0].argmax(0), dict(model.named_parameters())

    check(page, initial_weights(), rtol=1e-10, atol=1e-12)


def train(torch: Any, model: Any, optimizer: Any, scheduler: Any, epochs: range) -> list[float]:
    losses = []
    for _ in epochs:
        for X, y in batches(torch):
            loss = torch.nn.CrossEntropyLoss()(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        scheduler.step()
    return losses


def resume(torch: Any, arrays: dict[str, np.ndarray], folder: str) -> tuple[list[float], list[float], Any]:
    """Adam and StepLR for 2 epochs, a checkpoint dict saved and loaded into fresh objects, 2 more;
    and the same 4 epochs without stopping. Returns (uninterrupted losses, resumed losses, the
    loaded checkpoint's epoch and loss)."""

    def fresh() -> tuple[Any, Any, Any]:
        model = network(torch)
        weights_of(torch, model, arrays)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        return model, optimizer, torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)

    straight = train(torch, *fresh(), range(4))
    model, optimizer, scheduler = fresh()
    first = train(torch, model, optimizer, scheduler, range(2))
    path = os.path.join(folder, f"checkpoint_{torch.__name__}.pt")
    torch.save(
        {
            "epoch": 2,
            "model_state_dict": model.state_dict(),
            "optimizer_state_dict": optimizer.state_dict(),
            "scheduler_state_dict": scheduler.state_dict(),
            "loss": first[-1],
        },
        path,
    )
    model, optimizer, scheduler = fresh()
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    resumed = first + train(torch, model, optimizer, scheduler, range(checkpoint["epoch"], 4))
    return straight, resumed, (checkpoint["epoch"], checkpoint["loss"])


def test_training_resumes_bit_for_bit(tmp_path: Path) -> None:
    """The tutorial's checkpoint of model, optimizer (and scheduler) and epoch: the resumed run is
    the uninterrupted one exactly, here as in torch, and both libraries agree."""
    ours, _ = check(resume, initial_weights(2), str(tmp_path), rtol=1e-9, atol=1e-12)
    straight, resumed, _ = ours
    assert resumed == straight


def test_a_lossy_saver_breaks_the_resume(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The resume check is live: a saver that keeps float32 copies of the arrays changes the run."""
    real = serialization._encode

    def lossy(obj: Any, where: str, arrays: list[np.ndarray], key: bool = False) -> Any:
        node = real(obj, where, arrays, key)
        arrays[:] = [a.astype(np.float32).astype(a.dtype) for a in arrays]
        return node

    monkeypatch.setattr(serialization, "_encode", lossy)
    straight, resumed, _ = resume(autograd, initial_weights(2), str(tmp_path))
    assert resumed != straight


def test_what_comes_back_is_what_torch_gives_back(tmp_path: Path) -> None:
    """Types, dtypes, requires_grad, key types and order, tuples, nan: as torch.load returns them."""

    def snippet(torch: Any) -> Any:
        w = torch.tensor([[1.0, -2.0]], requires_grad=True)
        obj = {
            "epoch": 3,
            "loss": float("nan"),
            "w": w,
            "y": w * 2,  # a non-leaf comes back a leaf
            "idx": torch.tensor([1, 2]),
            "mask": torch.tensor([True, False]),
            "half": torch.tensor([1.5, float("inf")], dtype=torch.float32),
            "scalar": torch.tensor(2.5),
            "empty": torch.zeros(0, 3),
            "state": {1: {"step": 2, "buf": torch.zeros(2)}, 0: {"step": None}},
            "odict": OrderedDict([("z", 1), ("a", 2)]),
            "betas": (0.9, 0.999),
            "groups": [{"lr": 0.1, "params": [0, 1], "name": "all", "nesterov": False}],
            "param": torch.nn.Parameter(torch.ones(2)),
        }
        path = str(tmp_path / f"obj_{torch.__name__}.pt")
        torch.save(obj, path)
        back = torch.load(path, weights_only=True, map_location="cpu")
        types = {k: type(v).__name__ for k, v in back.items() if k != "param"}
        keys = list(back["state"]), list(back["odict"])
        return back, types, keys, back["y"].is_leaf, type(back["param"]).__name__

    ours, theirs = check(snippet)
    assert ours[1]["betas"] == "tuple" and ours[1]["odict"] == "OrderedDict" and ours[-1] == "Parameter"


def round_trip(obj: Any) -> Any:
    buffer = io.BytesIO()
    autograd.save(obj, buffer)
    buffer.seek(0)
    return autograd.load(buffer)


def assert_identical(a: Any, b: Any, where: str = "obj") -> None:
    """Same types all the way down, same dtypes and shapes, same bits (nan included)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, (autograd.Tensor, np.ndarray, np.generic)):
        x, y = (a.data, b.data) if isinstance(a, autograd.Tensor) else (np.asarray(a), np.asarray(b))
        assert x.dtype == y.dtype and x.shape == y.shape, f"{where}: {x.dtype}{x.shape} vs {y.dtype}{y.shape}"
        assert x.tobytes() == y.tobytes(), where
        if isinstance(a, autograd.Tensor):
            assert a.requires_grad == b.requires_grad and b.is_leaf, where
    elif isinstance(a, dict):
        assert list(a) == list(b) and [type(k) for k in a] == [type(k) for k in b], where
        for k in a:
            assert_identical(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_identical(x, y, f"{where}[{i}]")
    else:
        assert a == b or (a != a and b != b), f"{where}: {a!r} vs {b!r}"


THINGS = {
    "arrays": {k: (np.arange(6) % 3).astype(k).reshape(2, 3) for k in ("f4", "f8", "i8", "bool", "u1")},
    "numpy scalars": [np.float32(0.1), np.float64(-0.0), np.int64(-(2**62)), np.bool_(True)],
    "tensors": [autograd.tensor([[0.1]], dtype=autograd.float32), autograd.tensor(3.0, requires_grad=True)],
    "keys": {0: "int", (1, "a"): "tuple", 2.5: "float", None: "none", True: "bool", "s": "str"},
    "numbers": [float("inf"), -float("inf"), float("nan"), 2**63, -1, 1e-308, "", "ünïcode"],
    "nested": OrderedDict([("b", ((), [], {}, OrderedDict())), ("a", [[np.zeros((0, 2))]])]),
}


@pytest.mark.parametrize("name", THINGS)
def test_round_trip_keeps_types_and_bits(name: str) -> None:
    assert_identical(THINGS[name], round_trip(THINGS[name]))


def test_a_state_dict_and_the_library_optimizers_round_trip(tmp_path: Path) -> None:
    model = autograd.nn.Sequential(autograd.nn.Linear(3, 4), autograd.nn.ReLU(), autograd.nn.Linear(4, 1))
    optimizer = autograd.optim.LBFGS(model.parameters(), history_size=3)
    x = autograd.randn(5, 3)

    def closure() -> Any:
        optimizer.zero_grad()
        loss = (model(x) ** 2).mean()
        loss.backward()
        return loss

    optimizer.step(closure)
    for obj in (model.state_dict(), optimizer.state_dict()):  # LBFGS: lists of arrays, int keys
        autograd.save(obj, tmp_path / "state.pt")
        assert_identical(obj, autograd.load(tmp_path / "state.pt"))


def test_the_round_trip_check_catches_a_saver_that_loses_dtypes(monkeypatch: pytest.MonkeyPatch) -> None:
    real = serialization._encode

    def widening(obj: Any, where: str, arrays: list[np.ndarray], key: bool = False) -> Any:
        node = real(obj, where, arrays, key)
        arrays[:] = [a.astype(np.float64) for a in arrays]
        return node

    monkeypatch.setattr(serialization, "_encode", widening)
    with pytest.raises(AssertionError, match="float32.* vs float64"):
        assert_identical(THINGS["arrays"], round_trip(THINGS["arrays"]))


class Custom:
    pass


@pytest.mark.parametrize(
    ("obj", "where", "found"),
    [
        ({"model": {"fc.weight": lambda x: x}}, r"obj\['model'\]\['fc.weight'\]", "function"),
        ({"model": autograd.nn.Linear(2, 1)}, r"obj\['model'\]", r"Linear \(save its state_dict\(\) "),
        ([1, (2, Custom())], r"obj\[1\]\[1\]", "Custom"),
        ({"m": autograd}, r"obj\['m'\]", "module"),
        ({"v": autograd.Value(1.0)}, r"obj\['v'\]", "Value"),
        ({"s": np.array(["a"])}, r"obj\['s'\]", "dtype <U1"),
        ({frozenset(): 1}, r"obj key frozenset\(\)", "frozenset"),
    ],
)
def test_an_unsupported_object_is_named_by_its_path(obj: Any, where: str, found: str, tmp_path: Path) -> None:
    path = tmp_path / "x.pt"
    with pytest.raises(TypeError, match=f"{where}: expected .*{found}"):
        autograd.save(obj, path)
    assert not path.exists() and os.listdir(tmp_path) == []


def test_what_load_would_refuse_is_not_saved(tmp_path: Path) -> None:
    deep: Any = 1
    for _ in range(16):
        deep = {"a": deep}
    looped: list[Any] = []
    looped.append(looped)
    refused = [(deep, "nested too deeply"), (looped, "contains itself"), (10**20, "of at most 20 digits")]
    for obj, message in refused:
        with pytest.raises(ValueError, match=message):
            autograd.save(obj, tmp_path / "x.pt")
    assert os.listdir(tmp_path) == []


def test_file_objects_and_paths(tmp_path: Path) -> None:
    obj = {"w": autograd.tensor([1.0, 2.0])}
    autograd.save(obj, tmp_path / "a.pt")  # a PathLike
    with open(tmp_path / "b.pt", "wb") as f:  # an open file
        autograd.save(obj, f)
    with open(tmp_path / "b.pt", "rb") as f:
        assert_identical(obj, autograd.load(f))

    class Stream:  # read() only: no seek
        def __init__(self, data: bytes) -> None:
            self.read = io.BytesIO(data).read

    assert_identical(obj, autograd.load(Stream((tmp_path / "a.pt").read_bytes())))
    assert sorted(np.load(tmp_path / "a.pt")) == ["0", "__meta__"]  # an .npz numpy reads
    with pytest.raises(TypeError, match="f: expected a path .* got int"):
        autograd.save(obj, 3)
    with pytest.raises(TypeError, match="f: expected a path .* got list"):
        autograd.load([])


def test_os_errors_name_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "model.pth"
    with pytest.raises(FileNotFoundError, match="expected a file in an existing folder") as info:
        autograd.save({}, missing)
    assert info.value.filename == str(missing)
    with pytest.raises(FileNotFoundError) as info:
        autograd.load(missing)
    assert info.value.filename == str(missing)
    with pytest.raises(IsADirectoryError):
        autograd.save({}, tmp_path)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_read_only_file_is_refused_and_kept() -> None:
    """0444: PermissionError naming the path, the file unchanged. Root may write any file, so the
    save runs in a forked child that has become the user "nobody"."""
    folder = tempfile.mkdtemp()
    os.chmod(folder, 0o777)
    path = os.path.join(folder, "model.pth")
    autograd.save({"a": 1}, path)
    os.chmod(path, 0o444)
    before = Path(path).read_bytes()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        message = b"no error"
        try:
            os.close(read)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            autograd.save({"a": 2}, path)
        except PermissionError as e:
            message = f"PermissionError {e}".encode()
        finally:
            os.write(write, message)
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        message = f.read().decode()
    os.waitpid(pid, 0)
    assert message.startswith("PermissionError") and "model.pth'" in message and "read-only" in message
    assert Path(path).read_bytes() == before and os.listdir(folder) == ["model.pth"]
    os.chmod(path, 0o644)
    os.unlink(path)
    os.rmdir(folder)


def _tampered(path: Path, meta: str | None = None, extra: bytes | None = None) -> None:
    """Rewrite our file with another ``__meta__`` text and/or an extra member."""
    members = dict(np.load(path))
    if meta is not None:
        members["__meta__"] = np.array(meta)
    if extra is not None:
        members["9"] = np.frombuffer(extra, np.uint8)
    with open(path, "wb") as f:  # (np.savez would add .npz to the name)
        np.savez(f, **members)


def test_bad_files_give_clear_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.pt"
    autograd.save({"w": autograd.tensor([1.0, 2.0, 3.0]), "step": 1}, good)
    data = good.read_bytes()
    cases: dict[str, tuple[bytes | None, str]] = {
        "empty": (b"", "expected an .npz archive"),
        "text": (b"hello", "expected an .npz archive"),
        "truncated": (data[: len(data) // 2], "expected an .npz archive"),
        "cut short": (data[:-1], "expected an .npz archive"),
        "npy": (None, "found a single .npy array"),
        "foreign npz": (None, "'__meta__' is missing: expected a file written by autograd.save"),
        "bad tag": (None, r"obj: expected None, bool, int, str, finite float or a tagged node, got \{'set'"),
        "dangling": (None, r"obj\['w'\]: expected the number of an unused array member, got 7"),
        "twice": (None, r"obj\['v'\]: expected the number of an unused array member, got 0"),
        "extra member": (None, "member '9': not referred to"),
        "other format": (None, "expected a file written by autograd.save"),
        "not json": (None, "expected JSON"),
        "flipped bit": (None, "corrupt or truncated"),
    }
    np.save(tmp_path / "npy", np.ones(2))
    cases["npy"] = ((tmp_path / "npy.npy").read_bytes(), cases["npy"][1])
    np.savez(tmp_path / "foreign.npz", a=np.ones(2))
    cases["foreign npz"] = ((tmp_path / "foreign.npz").read_bytes(), cases["foreign npz"][1])
    header = '{"format": "gradscope-save", "version": 1, "obj": '
    metas = {
        "bad tag": header + '{"set": [1]}}',
        "dangling": header + '{"dict": ["w", {"tensor": 7, "requires_grad": false}]}}',
        "twice": header + '{"dict": ["w", {"ndarray": 0}, "v", {"ndarray": 0}]}}',
        "other format": '{"format": "something", "version": 1, "obj": 1}',
        "not json": "{",
    }
    for name in ("bad tag", "dangling", "twice", "other format", "not json", "extra member"):
        path = tmp_path / f"{name}.pt"
        path.write_bytes(data)
        _tampered(path, metas.get(name), b"x" if name == "extra member" else None)
        cases[name] = (path.read_bytes(), cases[name][1])
    with zipfile.ZipFile(good) as z:
        start = z.getinfo("0.npy").header_offset
    name_and_extra = data[start + 26 : start + 28], data[start + 28 : start + 30]
    local = sum(int.from_bytes(n, "little") for n in name_and_extra)
    offset = start + 30 + local + 128 + 3  # inside the array's numbers (after its 128-byte .npy header)
    flipped = bytearray(data)
    flipped[offset] ^= 1
    cases["flipped bit"] = (bytes(flipped), cases["flipped bit"][1])
    for name, (content, message) in cases.items():
        path = tmp_path / f"case {name}.pt"
        path.write_bytes(content or b"")
        with pytest.raises(ValueError, match=message) as info:
            autograd.load(path)
        assert str(info.value).startswith(f"autograd.load({str(path)!r}): "), name
        assert info.value.__cause__ is None and info.value.__suppress_context__, name


def test_a_torch_file_says_how_to_convert_it(tmp_path: Path) -> None:
    """Neither library reads the other's files; torch's .pth gets the conversion recipe."""
    path = tmp_path / "model.pth"
    real_torch.save(real_torch.nn.Linear(2, 1).state_dict(), path)
    with pytest.raises(ValueError, match=r"PyTorch \.pth file .* torch\.load\(p\)\.items\(\)") as info:
        autograd.load(path)
    assert str(path) in str(info.value)
    real_torch.save({"w": real_torch.ones(1)}, path, _use_new_zipfile_serialization=False)  # legacy pickle
    with pytest.raises(ValueError, match=r"PyTorch \.pth file"):
        autograd.load(path)
    autograd.save({"w": autograd.ones(1)}, path)
    with pytest.raises(Exception):  # noqa: B017 (torch's own error, whatever it is)
        real_torch.load(path, weights_only=True)
    # the recipe works: torch's arrays into a model here
    net, model = real_torch.nn.Linear(2, 1).double(), autograd.nn.Linear(2, 1)
    model.load_state_dict({k: v.numpy() for k, v in net.state_dict().items()})
    same(model.weight, net.weight)


def test_arguments_torch_code_passes(tmp_path: Path) -> None:
    path = tmp_path / "x.pt"
    autograd.save([1], path)
    for where in (None, "cpu", "cpu:0", real_torch.device("cpu")):
        assert autograd.load(path, map_location=where) == [1]
    assert autograd.load(path, weights_only=False) == [1]  # no pickle either way
    for where in ("cuda", "cuda:0", "cpu:1", "mps", real_torch.device("cuda", 0), {"cuda:0": "cpu"}, 0):
        with pytest.raises(ValueError, match="map_location: expected None, 'cpu' or a CPU device"):
            autograd.load(path, map_location=where)
    with pytest.raises(TypeError, match="weights_only: expected True or False, got 'yes'"):
        autograd.load(path, weights_only="yes")
