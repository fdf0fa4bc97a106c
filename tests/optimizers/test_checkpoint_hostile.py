"""Hostile, corrupt and mismatched checkpoint files: every one raises CheckpointError
naming the file and the member or field, and leaves the parameters, the optimizer
and the scheduler exactly as they were."""

from __future__ import annotations

import io
import json
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import optimizers as optim
from autograd import Tensor, Value
from autograd.nn import TensorMLP
from optimizers import SGD, Adam, CheckpointError, ExponentialLR, StepLR, load_checkpoint, save_checkpoint

Members = dict[str, bytes]  # member name (without .npy) -> .npy file bytes


def make_run(seed: int = 0) -> tuple[list[Any], Adam, StepLR]:
    """Parameters of three kinds (float64, float32, Value), Adam(amsgrad) and StepLR."""
    rng = np.random.default_rng(seed)
    params = [
        Tensor(rng.normal(size=(3, 2)), requires_grad=True),
        Tensor(rng.normal(size=4).astype(np.float32), requires_grad=True),
        Value(float(rng.normal())),
    ]
    opt = Adam(params, lr=0.01, amsgrad=True)
    return params, opt, StepLR(opt, step_size=2, gamma=0.5)


def train(params: list[Any], opt: Any, sched: Any, steps: int) -> None:
    for k in range(steps):
        params[0].grad = np.full((3, 2), 0.1 * (k + 1))
        params[1].grad = np.linspace(-1, 1, 4).astype(np.float32)
        params[2].grad = 0.3
        opt.step()
        sched.step()


def snapshot(params: list[Any], opt: Any, sched: Any) -> str:
    """Everything loading could change, as exact text (arrays with dtype and all bits)."""

    def default(a: np.ndarray | Tensor) -> Any:
        a = np.asarray(a)  # (a state dict's Tensor)
        return [str(a.dtype), a.shape, a.tobytes().hex()]

    data = [default(np.asarray(p.data)) if isinstance(p, Tensor) else repr(p.data) for p in params]
    return json.dumps([data, opt.state_dict(), sched.state_dict()], default=default, sort_keys=True)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ckpt") / "good.npz"
    params, opt, sched = make_run()
    train(params, opt, sched, 3)
    save_checkpoint(path, params, opt, sched, epoch=3)
    return path


def members(path: Path) -> Members:
    with zipfile.ZipFile(path) as z:
        return {info.filename[:-4]: z.read(info) for info in z.infolist()}


def npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=True)
    return buf.getvalue()


def write(path: Path, content: Members, compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in content.items():
            z.writestr(name + ".npy", data)
    return path


def meta(content: Members) -> dict[str, Any]:
    return json.loads(str(np.load(io.BytesIO(content["__meta__"]))))


def with_meta(content: Members, change: Callable[[dict[str, Any]], Any]) -> Members:
    m = meta(content)
    change(m)
    return {**content, "__meta__": npy(np.array(json.dumps(m)))}


def expect_refused(path: Path, message: str) -> CheckpointError:
    """Loading ``path`` into a fresh run raises CheckpointError matching ``message``
    (and naming the file), and changes nothing."""
    params, opt, sched = make_run(seed=1)
    train(params, opt, sched, 1)
    before = snapshot(params, opt, sched)
    with pytest.raises(CheckpointError, match=message) as info:
        load_checkpoint(path, params, opt, sched)
    assert str(path) in str(info.value)
    assert snapshot(params, opt, sched) == before
    assert info.value.__cause__ is None or not str(info.value).startswith("Traceback")
    return info.value


def test_the_good_file_loads(good: Path) -> None:
    params, opt, sched = make_run(seed=1)
    assert load_checkpoint(good, params, opt, sched) == {"epoch": 3}
    reference = make_run()
    train(*reference, 3)
    assert snapshot(params, opt, sched) == snapshot(*reference)


def _set(*path: Any, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(m: dict[str, Any]) -> None:
        *head, last = path
        for key in head:
            m = m[key]
        m[last] = value

    return change


META_CASES = [
    (
        "lr str",
        _set("optimizer", "param_groups", 0, "lr", value="abc"),
        "optimizer.*Invalid lr: expected a real",
    ),
    ("lr -5", _set("optimizer", "param_groups", 0, "lr", value=-5), r"Invalid lr: expected lr >= 0, got -5"),
    ("lr inf", _set("optimizer", "param_groups", 0, "lr", value=float("inf")), "finite lr"),
    ("lr nan", _set("optimizer", "param_groups", 0, "lr", value=float("nan")), "got nan"),
    ("betas", _set("optimizer", "param_groups", 0, "betas", value=[1.5, 2.0]), "beta parameter at index 0"),
    ("betas short", _set("optimizer", "param_groups", 0, "betas", value=[0.9]), "tuple of 2 floats"),
    ("state key -1", _set("optimizer", "state", "-1", value={}), "got key '-1'"),
    ("state key 01", _set("optimizer", "state", "01", value={}), "got key '01'"),
    ("step float", _set("optimizer", "state", "0", "step", value=2.5), "Invalid step: expected an integer"),
    ("step huge", _set("optimizer", "state", "0", "step", value=10**30), "at most 20 digits"),
    ("num_params str", _set("num_params", value="2"), "field 'num_params': expected an integer, got '2'"),
    ("num_params 2", _set("num_params", value=2), "holds 2 parameters, but 3 were given"),
    ("no extra", lambda m: m.pop("extra"), "field 'extra': missing"),
    ("unknown field", _set("evil", value=1), "field 'evil': unknown"),
    ("format", _set("format", value="other"), "not a gradscope checkpoint"),
    ("version", _set("version", value=2), "field 'version': expected 1, got 2"),
    ("sched step", _set("scheduler", "step", value=7), "unknown field 'step' for StepLR"),
    ("sched step_size 0", _set("scheduler", "step_size", value=0), "Invalid step_size"),
    ("sched gamma str", _set("scheduler", "gamma", value="0.5"), "Invalid gamma"),
    ("sched lrs", _set("scheduler", "base_lrs", value=[0.1, 0.2]), "list of 1 learning rates"),
    ("sched array", _set("scheduler", "gamma", value={"__ndarray__": "scheduler/gamma"}), "no arrays"),
    ("opt class", _set("optimizer_class", value="SGD"), r"expected Adam \(the optimizer given\), got 'SGD'"),
    ("sched class", _set("scheduler_class", value="ExponentialLR"), "expected StepLR"),
    ("no optimizer", lambda m: (m.pop("optimizer"), m.pop("optimizer_class")), "no optimizer state"),
    ("class alone", lambda m: m.pop("scheduler"), "expected both or neither"),
    (
        "ref elsewhere",
        _set("optimizer", "state", "0", "exp_avg", value={"__ndarray__": "params/0"}),
        "reference",
    ),
    ("ref extra key", _set("optimizer", "state", "0", "exp_avg", "x", value=1), "reference"),
    ("group key", _set("optimizer", "param_groups", 0, "foo", value=1), "unknown key 'foo'"),
    ("group params", _set("optimizer", "param_groups", 0, "params", value=[0, 1, "2"]), "indices"),
    (
        "amsgrad off",
        _set("optimizer", "param_groups", 0, "amsgrad", value=False),
        "unknown key 'max_exp_avg_sq'",
    ),
    ("maximize str", _set("optimizer", "param_groups", 0, "maximize", value="no"), "Invalid maximize"),
    ("state list", _set("optimizer", "state", value=[]), "exp_avg.: not part of this checkpoint"),
    ("groups dict", _set("optimizer", "param_groups", value={}), "param_groups: expected a list"),
    ("meta list", lambda m: m.clear() or m.update({"format": []}), "not a gradscope checkpoint"),
]


@pytest.mark.parametrize(("case", "change", "message"), META_CASES, ids=[c[0] for c in META_CASES])
def test_bad_json_fields_are_refused(
    good: Path, tmp_path: Path, case: str, change: Any, message: str
) -> None:
    expect_refused(write(tmp_path / "bad.npz", with_meta(members(good), change)), message)


def _raw_meta(content: Members, text: str) -> Members:
    return {**content, "__meta__": npy(np.array(text))}


@pytest.mark.parametrize(
    ("case", "text", "message"),
    [
        ("deep nesting", "[" * 100_000 + "]" * 100_000, "nested at most 32 deep, got 100000"),
        ("brackets in a string are not nesting", '"' + "[" * 100 + '"', "not a gradscope checkpoint"),
        (
            "5000-digit int",
            '{"format": "gradscope-checkpoint", "version": ' + "9" * 5000 + "}",
            "5000 digits",
        ),
        ("not json", "{nope", "expected JSON, got an invalid document"),
        ("a list", "[1, 2]", "not a gradscope checkpoint"),
    ],
    ids=lambda x: x if isinstance(x, str) and len(x) < 40 else "",
)
def test_bad_json_documents_are_refused(
    good: Path, tmp_path: Path, case: str, text: str, message: str
) -> None:
    expect_refused(write(tmp_path / "bad.npz", _raw_meta(members(good), text)), message)


def _replace(name: str, array: np.ndarray) -> Callable[[Members], Members]:
    return lambda c: {**c, name: npy(array)}


MEMBER_CASES = [
    ("pickled param", _replace("params/0", np.array([{}, None], dtype=object)), "dtype object.*refused"),
    ("pickled extra", lambda c: {**c, "evil": npy(np.array([{}], dtype=object))}, "'evil'.*unknown member"),
    ("extra member", lambda c: {**c, "params/3": npy(np.zeros(3))}, "'params/3'.*unknown member"),
    ("missing member", lambda c: {k: v for k, v in c.items() if k != "params/1"}, "'params/1' is missing"),
    ("missing buffer", lambda c: {k: v for k, v in c.items() if "0/exp_avg_sq" not in k}, "is missing"),
    ("no meta", lambda c: {k: v for k, v in c.items() if k != "__meta__"}, "'__meta__' is missing"),
    ("shape", _replace("params/0", np.zeros((2, 3))), r"'params/0': expected shape \(3, 2\), got \(2, 3\)"),
    ("buffer shape", _replace("optimizer/state/1/exp_avg", np.zeros(5)), r"expected shape \(4,\)"),
    (
        "int data",
        _replace("params/0", np.zeros((3, 2), np.int64)),
        "real floating-point array, got dtype int64",
    ),
    ("complex", _replace("params/1", np.zeros(4, complex)), "got dtype complex128"),
    ("structured", _replace("params/1", np.zeros(4, "f8,f8")), "plain numeric array"),
    ("bool", _replace("params/2", np.array(True)), "dtype bool"),
    ("1e300 to float32", _replace("params/1", np.array([0, 1e300, 0, 0])), r"1e\+300 overflows float32"),
    ("1e300 buffer", _replace("optimizer/state/1/exp_avg", np.full(4, -1e300)), "overflows float32"),
    ("meta not text", _replace("__meta__", np.zeros(3)), "'__meta__': expected a unicode string"),
    ("meta 1-d", _replace("__meta__", np.array(["{}"])), r"expected shape \(\), got \(1,\)"),
    ("not npy", lambda c: {**c, "params/0": b"hello"}, r"'params/0' \(.npy header\).*corrupt"),
]


@pytest.mark.parametrize(("case", "change", "message"), MEMBER_CASES, ids=[c[0] for c in MEMBER_CASES])
def test_bad_members_are_refused(good: Path, tmp_path: Path, case: str, change: Any, message: str) -> None:
    expect_refused(write(tmp_path / "bad.npz", change(members(good))), message)


def test_files_written_before_format_1_still_load(good: Path, tmp_path: Path, good_snapshot: str) -> None:
    """Without format, version and class names; the state itself is checked as always."""
    path = write(tmp_path / "v0.npz", with_meta(members(good), _strip_v1))
    params, opt, sched = make_run(seed=1)
    assert load_checkpoint(path, params, opt, sched) == {"epoch": 3}
    assert snapshot(params, opt, sched) == good_snapshot
    bad = write(tmp_path / "v0bad.npz", with_meta(members(good), lambda m: (_strip_v1(m), m.pop("extra"))))
    expect_refused(bad, "field .extra.: missing")
    sgd_params = make_run()[0]
    sgd = SGD(sgd_params, lr=0.1, momentum=0.9)
    sgd_sched = StepLR(sgd, 2)
    train(sgd_params, sgd, sgd_sched, 1)
    save_checkpoint(tmp_path / "sgd.npz", sgd_params, sgd, sgd_sched)
    old_sgd = write(tmp_path / "sgd0.npz", with_meta(members(tmp_path / "sgd.npz"), _strip_v1))
    expect_refused(old_sgd, r"field .optimizer.: param_groups\[0\]: unknown key .dampening.")


def _strip_v1(m: dict[str, Any]) -> None:
    for key in ("format", "version", "optimizer_class", "scheduler_class"):
        m.pop(key)


def test_a_class_name_must_be_a_string(good: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "null.npz", with_meta(members(good), _set("optimizer_class", value=None)))
    expect_refused(path, "'optimizer_class': expected a class name, got None")


def test_a_member_named_twice_is_refused(good: Path, tmp_path: Path) -> None:
    content = members(good)
    path = write(tmp_path / "twice.npz", content)
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "a") as z:
        z.writestr("params/0.npy", npy(np.ones((3, 2))))
    expect_refused(path, "'params/0' appears twice")


def test_other_compression_methods_are_refused(good: Path, tmp_path: Path) -> None:
    """bzip2/lzma members are decompressed by zipfile without an output bound."""
    expect_refused(write(tmp_path / "bz.npz", members(good), zipfile.ZIP_BZIP2), "compression method 12")


def test_deflated_members_load(good: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "deflated.npz", members(good), zipfile.ZIP_DEFLATED)
    params, opt, sched = make_run(seed=1)
    load_checkpoint(path, params, opt, sched)
    reference = make_run()
    train(*reference, 3)
    assert snapshot(params, opt, sched) == snapshot(*reference)


def test_nan_and_inf_data_round_trip_faithfully(tmp_path: Path) -> None:
    """A diverged run is saved and restored bit for bit (only hyperparameters must be finite)."""
    params, opt, sched = make_run()
    train(params, opt, sched, 1)
    params[0].data[0, 0], params[1].data[2] = np.nan, -np.inf
    opt.state[params[0]]["exp_avg"][1, 1] = np.inf
    save_checkpoint(tmp_path / "nan.npz", params, opt, sched)
    loaded = make_run(seed=1)
    load_checkpoint(tmp_path / "nan.npz", *loaded)
    assert snapshot(*loaded) == snapshot(params, opt, sched)


@pytest.mark.parametrize(
    ("case", "data", "message"),
    [
        (
            "npy file",
            npy(np.zeros(3)),
            "expected an .npz archive \\(a zip file\\), found a single .npy array",
        ),
        ("empty", b"", "expected an .npz archive"),
        ("text", b"hello world" * 10, "expected an .npz archive"),
    ],
)
def test_files_that_are_not_archives(tmp_path: Path, case: str, data: bytes, message: str) -> None:
    path = tmp_path / "x.npz"
    path.write_bytes(data)
    expect_refused(path, message)


def test_mismatched_optimizer_and_scheduler_classes(tmp_path: Path) -> None:
    params = make_run()[0]
    sgd = SGD(params, lr=0.1, momentum=0.9)
    save_checkpoint(tmp_path / "sgd.npz", params, sgd, ExponentialLR(sgd, 0.9))
    expect_refused(
        tmp_path / "sgd.npz", r"'optimizer_class': expected Adam \(the optimizer given\), got 'SGD'"
    )
    p2 = make_run()[0]
    adam = Adam(p2)
    save_checkpoint(tmp_path / "exp.npz", p2, adam, ExponentialLR(adam, 0.9))
    expect_refused(tmp_path / "exp.npz", r"'scheduler_class': expected StepLR \(the scheduler given\)")


# ---------------------------------------------------------------- truncation and bit flips


def _load_outcome(data: bytes, tmp_path: Path, good_snapshot: str) -> None:
    """Loading ``data`` either gives exactly the saved state or raises CheckpointError
    and changes nothing; no other exception."""
    path = tmp_path / "flipped.npz"
    path.write_bytes(data)
    params, opt, sched = make_run(seed=1)
    before = snapshot(params, opt, sched)
    try:
        load_checkpoint(path, params, opt, sched)
    except CheckpointError:
        assert snapshot(params, opt, sched) == before
    else:
        assert snapshot(params, opt, sched) == good_snapshot


@pytest.fixture(scope="module")
def good_snapshot() -> str:
    reference = make_run()
    train(*reference, 3)
    return snapshot(*reference)


def test_every_truncation_is_refused(good: Path, tmp_path: Path, good_snapshot: str) -> None:
    data = good.read_bytes()
    for cut in sorted({*range(0, len(data), max(1, len(data) // 60)), *range(len(data) - 20, len(data))}):
        path = tmp_path / "cut.npz"
        path.write_bytes(data[:cut])
        expect_refused(path, r"expected an \.npz archive|corrupt or truncated")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_bit_flips_give_a_correct_load_or_checkpoint_error(
    good: Path, tmp_path: Path, good_snapshot: str, data: st.DataObject
) -> None:
    raw = bytearray(good.read_bytes())
    position = data.draw(st.integers(0, len(raw) - 1), label="position")
    raw[position] ^= 1 << data.draw(st.integers(0, 7), label="bit")
    _load_outcome(bytes(raw), tmp_path, good_snapshot)


def test_bit_flips_across_a_deflated_file(good: Path, tmp_path: Path, good_snapshot: str) -> None:
    raw = bytearray(write(tmp_path / "d.npz", members(good), zipfile.ZIP_DEFLATED).read_bytes())
    for position in range(0, len(raw), max(1, len(raw) // 100)):
        flipped = bytearray(raw)
        flipped[position] ^= 0x10
        _load_outcome(bytes(flipped), tmp_path, good_snapshot)


# ---------------------------------------------------------------- decompression bomb


_BOMB_ELEMENTS = 1 << 28  # float64 zeros: 2 GiB
# zlib.crc32 of _bomb_header() followed by 2 GiB of zero bytes (computed once; 2 s to recompute)
_BOMB_CRC = 0xE269C806


def _bomb_header() -> bytes:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (_BOMB_ELEMENTS,)}
    )
    return header.getvalue()


def _bomb_stream(header: bytes) -> bytes:
    """Raw deflate of ``header`` + 2 GiB of zeros, built from one 1 MiB block repeated:
    after a full flush the compressor emits the same bytes for the same input."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(header) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(bytes(1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    return head + block * (_BOMB_ELEMENTS * 8 >> 20) + c.flush()


def _zip_with_raw_member(path: Path, plain: Members, name: str, raw: bytes, crc: int, size: int) -> None:
    """A zip of stored ``plain`` members plus one deflated member given as raw deflate bytes."""
    entries, out = [], io.BytesIO()
    items = [(k + ".npy", zlib.crc32(v), len(v), len(v), 0, v) for k, v in plain.items()]
    items.append((name + ".npy", crc, len(raw), size, 8, raw))
    for filename, crc32, csize, usize, method, payload in items:
        offset = out.tell()
        encoded = filename.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 33, crc32, csize, usize, len(encoded), 0
            )
        )
        out.write(encoded + payload)
        entries.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 33, crc32, csize, usize,
                len(encoded), 0, 0, 0, 0, 0, offset,
            ) + encoded
        )  # fmt: skip
    start = out.tell()
    out.write(b"".join(entries))
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(items), len(items), out.tell() - start, start, 0)
    )
    path.write_bytes(out.getvalue())


@pytest.fixture(scope="module")
def bomb(good: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.npz"
    header = _bomb_header()
    plain = {k: v for k, v in members(good).items() if k != "params/0"}
    _zip_with_raw_member(
        path, plain, "params/0", _bomb_stream(header), _BOMB_CRC, len(header) + 8 * _BOMB_ELEMENTS
    )
    return path


def test_the_bomb_is_real(bomb: Path) -> None:
    """2 MiB on disk, a valid zip whose member declares (and inflates to) 2 GiB."""
    assert bomb.stat().st_size < 2.1 * 2**20
    with zipfile.ZipFile(bomb) as z:
        info = z.getinfo("params/0.npy")
        assert info.file_size > 2 * 2**30 and info.compress_type == zipfile.ZIP_DEFLATED
        with z.open(info) as f:
            assert np.lib.format.read_magic(f) == (1, 0)
            assert np.lib.format.read_array_header_1_0(f)[0] == (_BOMB_ELEMENTS,)
            assert f.read(1 << 24) == bytes(1 << 24)


def test_a_decompression_bomb_is_refused_quickly_and_in_little_memory(bomb: Path) -> None:
    params, opt, sched = make_run(seed=1)
    before = snapshot(params, opt, sched)
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(CheckpointError, match=r"'params/0': expected shape \(3, 2\), got \(268435456,\)"):
        load_checkpoint(bomb, params, opt, sched)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"bomb refused in {elapsed * 1e3:.1f} ms, peak traced memory {peak / 2**20:.2f} MiB")
    assert elapsed < 0.5 and peak < 100 * 2**20  # generous guards for the user-facing bound
    assert snapshot(params, opt, sched) == before


def test_a_bomb_lying_about_its_size_stops_at_the_declared_size(good: Path, tmp_path: Path) -> None:
    """Declared as the right small size but inflating to 2 GiB: zipfile stops at the
    declared size, and the CRC (of all 2 GiB) no longer matches."""
    path = tmp_path / "liar.npz"
    header = _bomb_header()
    header = header.replace(b"(268435456,)", b"(3, 2)      ")
    plain = {k: v for k, v in members(good).items() if k != "params/0"}
    _zip_with_raw_member(path, plain, "params/0", _bomb_stream(header), _BOMB_CRC, len(header) + 48)
    tracemalloc.start()
    start = time.perf_counter()
    expect_refused(path, "'params/0'.*corrupt.*CRC")
    elapsed, peak = time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 0.5 and peak < 100 * 2**20


def test_an_oversized_json_member_is_refused_from_the_directory(good: Path, tmp_path: Path) -> None:
    path = tmp_path / "meta_bomb.npz"
    plain = {k: v for k, v in members(good).items() if k != "__meta__"}
    _zip_with_raw_member(path, plain, "__meta__", b"", 0, 2**31)
    expect_refused(
        path, r"'__meta__': expected at most 4194304 characters, got a declared size of 2147483648"
    )


# ---------------------------------------------------------------- saving


def test_saving_accepts_numpy_scalars_and_refuses_the_unserialisable(tmp_path: Path) -> None:
    params = make_run()[0]
    path = tmp_path / "extra.npz"
    save_checkpoint(path, params, epoch=np.int64(3), loss=np.float32(0.5), done=np.bool_(True), tags=("a", 1))
    extra = load_checkpoint(path, make_run()[0])
    assert extra == {"epoch": 3, "loss": 0.5, "done": True, "tags": ["a", 1]}
    assert type(extra["epoch"]) is int and type(extra["done"]) is bool
    path.write_bytes(b"old")
    for bad, where in [
        ({"x": {1, 2}}, r"extra\['x'\]: .*got set"),
        ({"y": [np.zeros(2)]}, r"extra\['y'\]\[0\]"),
    ]:
        with pytest.raises(TypeError, match=where):
            save_checkpoint(path, params, **bad)
    assert path.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["extra.npz"]


def test_a_module_is_accepted_wherever_parameters_are(tmp_path: Path) -> None:
    model = TensorMLP(2, [4, 1], rng=0)
    opt = Adam(model.parameters(), lr=0.1)
    save_checkpoint(tmp_path / "m.npz", model, opt)
    other = TensorMLP(2, [4, 1], rng=1)
    load_checkpoint(tmp_path / "m.npz", other, Adam(other.parameters()))
    for a, b in zip(model.parameters(), other.parameters()):
        np.testing.assert_array_equal(a.data, b.data)
    with pytest.raises(TypeError, match="expected a Module or an iterable of parameters, got Parameter"):
        save_checkpoint(tmp_path / "t.npz", next(model.parameters()))


# ---------------------------------------------------------------- the newer optimizers and schedulers


def _grads(params: list[Any]) -> float:
    """Set the gradient of ``sum_k (k + 1) (x - 0.5)^2 + 0.1 x^4`` and return that loss."""
    loss = 0.0
    for k, p in enumerate(params):
        x = np.asarray(p.data, dtype=np.float64)
        loss += float(np.sum((k + 1) * (x - 0.5) ** 2 + 0.1 * x**4))
        g = 2 * (k + 1) * (x - 0.5) + 0.4 * x**3
        p.grad = g.astype(p.data.dtype) if isinstance(p, Tensor) else float(g)
    return loss


# name -> (optimizer, scheduler) built on the parameters of make_run
NEW_RUNS: dict[str, Callable[[list[Any]], tuple[Any, Any]]] = {}


def _run(name: str, make_opt: Callable[[list[Any]], Any], make_sched: Callable[[Any], Any]) -> None:
    NEW_RUNS[name] = lambda params: (opt := make_opt(params), make_sched(opt))


_run("Rprop+ConstantLR", lambda p: optim.Rprop(p, lr=0.05), lambda o: optim.ConstantLR(o, 0.5, 2))
_run("ASGD+PolynomialLR", lambda p: optim.ASGD(p, lr=0.05, t0=2), lambda o: optim.PolynomialLR(o, 8, 2.0))
_run(
    "Adafactor+MultiplicativeLR",
    lambda p: optim.Adafactor(p, lr=0.05, weight_decay=0.1),
    lambda o: optim.MultiplicativeLR(o, lambda t: 0.9),
)
_run(
    "SGD+CyclicLR",
    lambda p: SGD(p, lr=0.05, momentum=0.9),
    lambda o: optim.CyclicLR(o, 0.01, 0.1, step_size_up=2, mode="triangular2"),
)
_run(
    "Adam+CyclicLR",
    lambda p: Adam(p, lr=0.05),
    lambda o: optim.CyclicLR(o, [0.01] * 1, 0.1, step_size_up=3, mode="exp_range", gamma=0.9),
)
_run(
    "LBFGS+ChainedScheduler",
    lambda p: optim.LBFGS(p, lr=0.5, max_iter=3, history_size=2),
    lambda o: optim.ChainedScheduler([optim.ConstantLR(o, 0.5, 2), ExponentialLR(o, 0.9)]),
)
_run(
    "LBFGS-wolfe+StepLR",
    lambda p: optim.LBFGS(p, max_iter=4, history_size=3, line_search_fn="strong_wolfe"),
    lambda o: StepLR(o, 2, 0.5),
)


def new_run(name: str, seed: int = 0) -> tuple[list[Any], Any, Any]:
    params = make_run(seed)[0]
    return (params, *NEW_RUNS[name](params))


def train_new(params: list[Any], opt: Any, sched: Any, steps: int) -> None:
    for _ in range(steps):
        if isinstance(opt, optim.LBFGS):
            opt.step(lambda: _grads(params))
        else:
            _grads(params)
            opt.step()
        sched.step()


@pytest.mark.parametrize("name", NEW_RUNS)
def test_new_classes_resume_exactly_from_a_checkpoint(name: str, tmp_path: Path) -> None:
    """Save after 3 steps, load into a fresh run (other parameters, fresh optimizer and
    scheduler), take 3 more: bit for bit the run that never stopped."""
    full = new_run(name)
    train_new(*full, 6)
    part = new_run(name)
    train_new(*part, 3)
    save_checkpoint(tmp_path / "c.npz", part[0], part[1], part[2])
    resumed = new_run(name, seed=1)
    assert snapshot(*resumed) != snapshot(*part)
    load_checkpoint(tmp_path / "c.npz", *resumed)
    assert snapshot(*resumed) == snapshot(*part)
    train_new(*resumed, 3)
    assert snapshot(*resumed) == snapshot(*full)


def _new_refused(path: Path, name: str, message: str) -> None:
    params, opt, sched = new_run(name, seed=1)
    train_new(params, opt, sched, 1)
    before = snapshot(params, opt, sched)
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path, params, opt, sched)
    assert snapshot(params, opt, sched) == before


@pytest.fixture(scope="module")
def new_good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Members]:
    folder = tmp_path_factory.mktemp("new")
    files = {}
    for name in NEW_RUNS:
        params, opt, sched = new_run(name)
        train_new(params, opt, sched, 3)
        save_checkpoint(folder / "c.npz", params, opt, sched)
        files[name] = members(folder / "c.npz")
    return files


def _json(*path: Any, value: Any) -> Callable[[Members], Members]:
    return lambda c: with_meta(c, _set(*path, value=value))


NEW_CASES = [
    ("Rprop+ConstantLR", _json("optimizer", "param_groups", 0, "etas", value=[0.5, 0.9]), r"etas\[1\]"),
    ("Rprop+ConstantLR", _json("optimizer", "param_groups", 0, "step_sizes", value=[1, 0.1]), "step_sizes"),
    (
        "Rprop+ConstantLR",
        _replace("optimizer/state/1/step_size", -np.ones(4)),
        r"state\['1'\]: step_size: expected values >= 0",
    ),
    ("Rprop+ConstantLR", _json("scheduler", "factor", value=0), "Invalid factor"),
    ("Rprop+ConstantLR", _json("scheduler", "total_iters", value=2.0), "Invalid total_iters"),
    ("ASGD+PolynomialLR", _json("optimizer", "param_groups", 0, "lambd", value=-1), "Invalid lambd"),
    ("ASGD+PolynomialLR", _json("optimizer", "param_groups", 0, "t0", value="2"), "Invalid t0"),
    ("ASGD+PolynomialLR", _json("optimizer", "state", "0", "mu", value=2.0), "Invalid mu"),
    ("ASGD+PolynomialLR", _json("optimizer", "state", "2", "eta", value=None), "Invalid eta"),
    ("ASGD+PolynomialLR", _replace("optimizer/state/0/ax", np.zeros(6)), r"expected shape \(3, 2\)"),
    ("ASGD+PolynomialLR", _json("scheduler", "power", value=-1.0), "Invalid power"),
    (
        "Adafactor+MultiplicativeLR",
        _json("optimizer", "param_groups", 0, "eps", value=[None, -1]),
        r"eps\[1\]",
    ),
    (
        "Adafactor+MultiplicativeLR",
        _json("optimizer", "param_groups", 0, "eps", value=[1e-30]),
        "Invalid eps",
    ),
    ("Adafactor+MultiplicativeLR", _json("optimizer", "param_groups", 0, "d", value=0.5), "Invalid d"),
    (
        "Adafactor+MultiplicativeLR",
        _json("optimizer", "param_groups", 0, "beta2_decay", value=0.5),
        "beta2_decay",
    ),
    (
        "Adafactor+MultiplicativeLR",
        _replace("optimizer/state/0/row_var", np.zeros((3, 2))),
        r"'optimizer/state/0/row_var': expected shape \(3, 1\), got \(3, 2\)",
    ),
    (
        "Adafactor+MultiplicativeLR",
        _replace("optimizer/state/0/col_var", -np.ones((1, 2))),
        "col_var: expected values >= 0",
    ),
    (
        "Adafactor+MultiplicativeLR",
        _json("optimizer", "state", "1", "row_var", value=None),
        "unknown key 'row_var'",
    ),
    ("SGD+CyclicLR", _json("scheduler", "mode", value="cos"), "Invalid mode"),
    ("SGD+CyclicLR", _json("scheduler", "max_momentums", value=[-0.9]), r"Invalid max_momentums\[0\]"),
    ("SGD+CyclicLR", _json("scheduler", "step_ratio", value=0), "Invalid step_ratio"),
    ("SGD+CyclicLR", _json("scheduler", "use_beta1", value=1), "Invalid use_beta1"),
    (
        "Adam+CyclicLR",
        _json("optimizer", "param_groups", 0, "max_momentum", value=-1),
        "Invalid max_momentum",
    ),
    ("Adam+CyclicLR", _json("scheduler", "max_lrs", value=[0.1, 0.1]), "expected a list of 1 learning rates"),
    (
        "LBFGS+ChainedScheduler",
        _json("optimizer", "param_groups", 0, "history_size", value=0),
        "history_size",
    ),
    (
        "LBFGS+ChainedScheduler",
        _json("optimizer", "param_groups", 0, "max_eval", value=2.5),
        "Invalid max_eval",
    ),
    (
        "LBFGS+ChainedScheduler",
        _json("optimizer", "param_groups", 0, "line_search_fn", value="wolfe"),
        "Invalid line_search_fn: expected None or 'strong_wolfe'",
    ),
    (
        "LBFGS+ChainedScheduler",
        _json("optimizer", "param_groups", 0, "tolerance_change", value=-1),
        "Invalid tolerance_change",
    ),
    ("LBFGS+ChainedScheduler", _json("optimizer", "state", "0", "ro", 0, value=-1.0), r"Invalid ro\[0\]"),
    ("LBFGS+ChainedScheduler", _json("optimizer", "state", "0", "al", value=[0.5]), "al: expected a list of"),
    ("LBFGS+ChainedScheduler", _json("optimizer", "state", "0", "H_diag", value="1"), "Invalid H_diag"),
    ("LBFGS+ChainedScheduler", _json("optimizer", "state", "0", "n_iter", value=-1), "Invalid n_iter"),
    ("LBFGS+ChainedScheduler", _json("optimizer", "state", "0", "foo", value=1), "unknown key 'foo'"),
    ("LBFGS+ChainedScheduler", _json("optimizer", "state", "0", "ro", value=[]), "lists of one length"),
    (
        "LBFGS+ChainedScheduler",
        _replace("optimizer/state/0/old_dirs/1", np.zeros(10)),
        r"'optimizer/state/0/old_dirs/1': expected shape \(11,\), got \(10,\)",
    ),
    (
        "LBFGS+ChainedScheduler",
        _replace("optimizer/state/0/prev_flat_grad", np.zeros(11, complex)),
        "dtype complex128",
    ),
    (
        "LBFGS+ChainedScheduler",
        _json("scheduler", "_schedulers", 1, "gamma", value=-1.0),
        r"_schedulers\[1\]: Invalid gamma",
    ),
    ("LBFGS+ChainedScheduler", _json("scheduler", "_schedulers", value=[]), "expected a list of 2"),
    ("LBFGS-wolfe+StepLR", _json("optimizer", "state", "0", "t", value=float("nan")), "Invalid t"),
]


@pytest.mark.parametrize(("name", "change", "message"), NEW_CASES, ids=[f"{c[0]}-{c[2]}" for c in NEW_CASES])
def test_a_corrupted_field_of_a_new_class_is_refused(
    new_good: dict[str, Members], tmp_path: Path, name: str, change: Any, message: str
) -> None:
    _new_refused(write(tmp_path / "bad.npz", change(new_good[name])), name, message)


def test_lbfgs_history_arrays_only_where_lbfgs_keeps_lists(
    new_good: dict[str, Members], tmp_path: Path
) -> None:
    """``<name>/<i>`` members only for LBFGS's lists, and its state only under parameter 0."""
    content = new_good["LBFGS+ChainedScheduler"]

    def move_state(m: dict[str, Any]) -> None:
        m["optimizer"]["state"]["1"] = m["optimizer"]["state"].pop("0")

    moved = {k.replace("state/0/", "state/1/"): v for k, v in with_meta(content, move_state).items()}
    moved = with_meta(moved, lambda m: _references_renamed(m["optimizer"]["state"]["1"], "optimizer/state/1"))
    _new_refused(write(tmp_path / "moved.npz", moved), "LBFGS+ChainedScheduler", "under parameter 0 only")

    rprop = new_good["Rprop+ConstantLR"]
    listed = {**rprop, "optimizer/state/0/prev/0": rprop["optimizer/state/0/prev"]}
    listed.pop("optimizer/state/0/prev")
    listed = with_meta(
        listed, _set("optimizer", "state", "0", "prev", value=[{"__ndarray__": "optimizer/state/0/prev/0"}])
    )
    _new_refused(write(tmp_path / "listed.npz", listed), "Rprop+ConstantLR", r"<name>/<i> for name in \[\]")


def _references_renamed(obj: Any, path: str) -> None:
    """Point the array references inside ``obj`` (a dict or list) at ``path``."""
    items = obj.items() if isinstance(obj, dict) else enumerate(obj)
    for k, v in items:
        if isinstance(v, dict) and "__ndarray__" in v:
            v["__ndarray__"] = f"{path}/{k}"
        elif isinstance(v, (dict, list)):
            _references_renamed(v, f"{path}/{k}")


@pytest.mark.parametrize(
    ("saved", "given", "message"),
    [
        ("Rprop+ConstantLR", "ASGD+PolynomialLR", "expected ASGD .the optimizer given., got 'Rprop'"),
        (
            "LBFGS+ChainedScheduler",
            "LBFGS-wolfe+StepLR",
            "expected StepLR .the scheduler given., got 'Chained",
        ),
        ("SGD+CyclicLR", "Adam+CyclicLR", "expected Adam .the optimizer given., got 'SGD'"),
    ],
)
def test_a_new_class_checkpoint_into_another_class_is_refused(
    new_good: dict[str, Members], tmp_path: Path, saved: str, given: str, message: str
) -> None:
    _new_refused(write(tmp_path / "other.npz", new_good[saved]), given, message)
