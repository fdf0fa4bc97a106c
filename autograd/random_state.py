"""The library's random state, torch's CPU stream bit for bit: one default generator serves every
draw not given its own ``seed``/``generator`` (``rand``, ``randn``, ``randint``, ``randperm``, the
``_like`` draws, ``uniform_``/``normal_``, ``nn.Dropout``, ``nn.init``, the modules' initial
weights, ``DataLoader(shuffle=True)``, ``random_split``). After ``manual_seed(s)`` they give the
numbers ``torch.manual_seed(s)`` gives (torch 2.x on the CPU): the same mt19937 stream and the
same transforms (see ``autograd._mt_stream``).

Which of torch's dtypes a draw follows: an explicit float32 or float64 ``dtype=`` its own; else
torch's default dtype, float32, unless ``set_default_dtype(float64)`` was called. The library's
float64 tensors (its default) then hold torch's float32 numbers exactly, so ``nn.Linear(3, 2)``
here and in torch have equal weights.

:class:`Generator` is ``torch.Generator``: its own stream, passed as ``generator=``. A numpy
Generator is accepted there too (then the numbers are numpy's).

Only numpy: the factories and the Tensor's in-place draws both build on this module.
"""

from __future__ import annotations

import math
import struct
from typing import Any

import numpy as np

from . import _mt_stream
from .graph import CompileError, is_tracing

#: ``torch.Generator().initial_seed()`` and the default generator's seed at start-up (torch's)
DEFAULT_SEED = 67280421310721
#: torch's ``get_state()`` size: the legacy mt19937 record and the cached float32 normal
_STATE_SIZE = 5056
_LEGACY_SIZE = 5048


def draw_dtype(dtype: Any = None) -> np.dtype:
    """The dtype whose torch stream a draw follows: float64 for an explicit float64 (or after
    ``set_default_dtype(float64)``), else float32 (torch's default dtype)."""
    from . import dtypes

    if dtype is None:
        return np.dtype(np.float64) if dtypes._explicit_float64() else np.dtype(np.float32)
    dt = np.dtype(dtype)
    return dt if dt in (np.float32, np.float64) else np.dtype(np.float32)


def _count(size: Any) -> tuple[tuple[int, ...], int]:
    shape = () if size is None else (int(size),) if np.ndim(size) == 0 else tuple(int(n) for n in size)
    return shape, math.prod(shape)


class Draws:
    """numpy-Generator-like methods on torch's stream: what the library's draws call.

    ``random``, ``uniform``, ``normal``, ``standard_normal`` take ``dtype`` (None: see
    :func:`draw_dtype`); ``integers`` is ``random_(low, high)``, ``permutation`` ``randperm``,
    ``bernoulli`` ``bernoulli_(p)``.
    """

    __slots__ = ("stream",)

    def __init__(self, stream: _mt_stream.Stream) -> None:
        self.stream = stream

    def random(self, size: Any = None, dtype: Any = None) -> Any:
        shape, n = _count(size)
        out = self.stream.unit(n, draw_dtype(dtype)).reshape(shape)
        return out if shape else out[()]

    def uniform(self, low: float = 0.0, high: float = 1.0, size: Any = None, dtype: Any = None) -> Any:
        shape, n = _count(size)
        return self.stream.uniform(n, float(low), float(high), draw_dtype(dtype)).reshape(shape)

    def normal(self, loc: float = 0.0, scale: float = 1.0, size: Any = None, dtype: Any = None) -> Any:
        shape, n = _count(size)
        return self.stream.normal(n, float(loc), float(scale), draw_dtype(dtype)).reshape(shape)

    def standard_normal(self, size: Any = None, dtype: Any = None) -> Any:
        return self.normal(0.0, 1.0, size, dtype)

    def integers(self, low: int, high: int | None = None, size: Any = None) -> Any:
        if high is None:
            low, high = 0, low
        shape, n = _count(size)
        out = self.stream.integers(int(low), int(high), n).reshape(shape)
        return out if size is not None else int(out[()])

    def permutation(self, n: int) -> np.ndarray:
        return self.stream.permutation(int(n))

    def bernoulli(self, p: float, size: Any = None) -> np.ndarray:
        shape, n = _count(size)
        return (self.stream.unit(n, np.dtype(np.float64)) < p).reshape(shape)

    def exponential(self, scale: float = 1.0, size: Any = None) -> np.ndarray:
        shape, n = _count(size)
        return self.stream.exponential(n, 1.0 / scale).reshape(shape)


def _is_seed(seed: Any) -> bool:
    return isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)


class Generator:
    """A random number generator with its own stream (``torch.Generator``): torch's CPU generator,
    so ``Generator().manual_seed(s)`` draws what ``torch.Generator().manual_seed(s)`` draws.

    Pass it as ``generator=`` wherever torch takes one: ``rand``, ``randn``, ``randint``,
    ``randperm``, the ``_like`` draws, ``uniform_``/``normal_``, ``nn.init``, the samplers of
    :mod:`autograd.utils.data`, ``DataLoader(..., shuffle=True)`` and ``random_split``. A new
    Generator starts from torch's default seed, 67280421310721. ``get_state()`` is torch's 5056
    bytes, so a state saved by torch loads here and the other way round.

    Parameters
    ----------
    device : str or device
        ``"cpu"`` (the default; torch's argument: other devices raise).

    Raises
    ------
    RuntimeError
        If ``device`` names a device other than the CPU.

    Examples
    --------
    >>> import autograd
    >>> g = autograd.Generator().manual_seed(42)
    >>> autograd.randperm(5, generator=g).tolist()  # torch.randperm(5, generator=...) gives these
    [2, 4, 3, 0, 1]
    >>> g.initial_seed()
    42
    """

    __slots__ = ("_rng",)

    def __init__(self, device: Any = "cpu") -> None:
        from .devices import check_cpu

        check_cpu("Generator", device)
        self._rng = Draws(_mt_stream.Stream(DEFAULT_SEED))

    @property
    def device(self) -> Any:
        """``device(type='cpu')``: where the generator's numbers go."""
        from .devices import CPU

        return CPU

    def manual_seed(self, seed: Any) -> Generator:
        """Restart the stream from ``seed``; returns the generator itself (as torch).

        Parameters
        ----------
        seed : int
            Any int torch takes, from -2**63 to 2**64 - 1 (a negative seed is taken modulo 2**64,
            as torch does); its low 32 bits seed the mt19937.

        Returns
        -------
        Generator
            self, so ``g = Generator().manual_seed(0)`` works.

        Raises
        ------
        TypeError
            If ``seed`` is not an int (torch raises RuntimeError for a float).
        ValueError
            If ``seed`` is outside torch's range.
        """
        if not _is_seed(seed):
            raise TypeError(f"Generator.manual_seed: seed must be an int, got {type(seed).__name__} {seed!r}")
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise ValueError(f"Generator.manual_seed: seed must be in [-2**63, 2**64 - 1], got {seed}")
        self._rng.stream.reseed(seed % 2**64)
        return self

    def seed(self) -> int:
        """Seed the generator from the operating system's entropy and return that seed (as torch).

        Returns
        -------
        int
            The new seed, a 64-bit non-negative int (``initial_seed()`` from now on).
        """
        self.manual_seed(int(np.random.SeedSequence().generate_state(1, np.uint64)[0]))
        return self.initial_seed()

    def initial_seed(self) -> int:
        """The seed the stream started from: the last ``manual_seed``, or torch's default seed.

        Returns
        -------
        int
            A non-negative int.
        """
        return self._rng.stream.seed

    def get_state(self) -> Any:
        """The generator's state as torch lays it out: a 1-d uint8 Tensor of 5056 bytes (the seed,
        the mt19937 words and position, the cached normal samples); ``set_state`` of it, here or in
        torch, resumes the stream where it was.

        Returns
        -------
        Tensor
            5056 bytes (dtype uint8), a copy: drawing more does not change it.
        """
        stream = self._rng.stream
        st = stream.bits.state["state"]
        pos = int(st["pos"])
        left, nxt = (1, 0) if pos == 624 and stream.fresh() else (625 - pos, pos)
        n64, n32 = stream.normal64, stream.normal32
        raw = struct.pack("<qiiQ", stream.seed - 2**64 if stream.seed >= 2**63 else stream.seed, left, 1, nxt)
        raw += np.asarray(st["key"], dtype=np.uint64).astype("<u8").tobytes()
        raw += struct.pack("<dddi4x", 0.0, 0.0 if n64 is None else n64, 0.0, int(n64 is not None))
        raw += struct.pack("<f?3x", 0.0 if n32 is None else n32, n32 is not None)
        return as_tensor(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state: Any) -> Generator:
        """Restore a state that ``get_state`` returned (here or in torch: the same 5056 bytes);
        returns self (as torch).

        Parameters
        ----------
        new_state : Tensor or numpy.ndarray
            A uint8 array from ``get_state()`` (torch's ``ByteTensor`` converted with ``.numpy()``).

        Returns
        -------
        Generator
            self.

        Raises
        ------
        TypeError
            If ``new_state`` is not a uint8 Tensor or array (torch: a ByteTensor).
        RuntimeError
            If it has the wrong size or an invalid position (torch's error type).
        """
        data = new_state
        if not isinstance(data, np.ndarray):
            inner = getattr(data, "data", None)
            data = (
                inner if isinstance(inner, np.ndarray) else data.numpy() if hasattr(data, "numpy") else data
            )
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8:
            raise TypeError(
                "Generator.set_state: new_state must be the uint8 Tensor that get_state() returned, "
                f"got {type(new_state).__name__} of dtype {getattr(data, 'dtype', None)}"
            )
        if data.shape not in ((_STATE_SIZE,), (_LEGACY_SIZE,)):
            raise RuntimeError(
                f"Generator.set_state: expected a state of {_STATE_SIZE} bytes (torch's CPU generator "
                f"state, from get_state()), got shape {tuple(data.shape)}"
            )
        raw = data.tobytes()
        seed, left, _seeded, _next = struct.unpack_from("<qiiQ", raw, 0)
        if not 1 <= left <= 624:
            raise RuntimeError(
                f"Generator.set_state: invalid mt19937 position (left={left}, expected 1..624)"
            )
        key = np.frombuffer(raw, dtype="<u8", count=624, offset=24).astype(np.uint32)
        _x, n64, _rho, n64_valid = struct.unpack_from("<dddi", raw, 5016)
        stream = self._rng.stream
        stream.bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 625 - left}}
        stream.seed = seed % 2**64
        stream.normal64 = n64 if n64_valid else None
        stream.normal32 = None
        stream.untouched = _next == 0 and left == 1
        if len(raw) == _STATE_SIZE:
            n32, n32_valid = struct.unpack_from("<f?", raw, 5048)
            stream.normal32 = n32 if n32_valid else None
        return self

    def __repr__(self) -> str:
        return f"<autograd.Generator initial_seed={self.initial_seed()}>"


_DEFAULT: Generator | None = None


def default_generator() -> Generator:
    """The library-wide generator (``torch.default_generator``) that serves every draw without an
    explicit ``generator=``; it starts from torch's default seed, as torch's does."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Generator()
    return _DEFAULT


def manual_seed(seed: int) -> Generator:
    """Seed the library's default generator, as ``torch.manual_seed``; returns that generator.

    After ``manual_seed(s)``, ``randn(3)``, dropout masks, ``nn.init``, the modules' initial
    weights and shuffling give torch's numbers after ``torch.manual_seed(s)``. The same generator
    object is reseeded in place.

    Parameters
    ----------
    seed : int
        An int from -2**63 to 2**64 - 1.

    Returns
    -------
    Generator
        The default generator.

    Raises
    ------
    TypeError
        If ``seed`` is not an int.
    ValueError
        If ``seed`` is outside torch's range.

    Examples
    --------
    >>> import autograd
    >>> _ = autograd.manual_seed(0)
    >>> autograd.rand(3, dtype=autograd.float32).tolist()  # torch.rand(3) after torch.manual_seed(0)
    [0.49625658988952637, 0.7682217955589294, 0.08847743272781372]
    """
    if not _is_seed(seed):
        raise TypeError(f"manual_seed: seed must be an int, got {type(seed).__name__} {seed!r}")
    return default_generator().manual_seed(seed)


def seed() -> int:
    """Seed the default generator from the operating system's entropy (``torch.seed``).

    Returns
    -------
    int
        The new seed.
    """
    return default_generator().seed()


def initial_seed() -> int:
    """The default generator's seed (``torch.initial_seed``).

    Returns
    -------
    int
        The last ``manual_seed``, or torch's default seed 67280421310721.
    """
    return default_generator().initial_seed()


def get_rng_state() -> Any:
    """The default generator's state (``torch.get_rng_state``): torch's 5056 bytes.

    Returns
    -------
    Tensor
        A uint8 tensor; ``set_rng_state`` of it resumes the stream (here or in torch).
    """
    return default_generator().get_state()


def set_rng_state(new_state: Any) -> None:
    """Restore the default generator's state (``torch.set_rng_state``).

    Parameters
    ----------
    new_state : Tensor or numpy.ndarray
        A state from ``get_rng_state()`` (or torch's, as a uint8 array).
    """
    default_generator().set_state(new_state)


def generator(seed: Any = None, op: str = "generator") -> Any:
    """What a draw takes its numbers from: the default generator's stream for None, a
    Generator's stream, a new stream seeded by an int (as ``Generator().manual_seed(seed)``), or a
    numpy Generator itself (numpy's numbers).

    Raises:
        TypeError: ``seed`` is none of these; the message names ``op``.
    """
    if seed is None:
        return default_generator()._rng
    if isinstance(seed, (Generator, np.random.Generator)) and is_tracing():
        raise CompileError(
            f"compile: {op} draws from a generator of its own (generator=...), whose draws a compiled "
            "step cannot repeat at every call (it would replay the trace's numbers); draw from the "
            "default generator (autograd.manual_seed), or pass the random numbers as an argument"
        )
    if isinstance(seed, Generator):
        return seed._rng
    if isinstance(seed, (Draws, np.random.Generator)):
        return seed
    if _is_seed(seed) and seed >= 0:
        return Generator().manual_seed(int(seed))._rng
    raise TypeError(
        f"{op}: seed must be a non-negative int, an autograd.Generator, a numpy.random.Generator or None, "
        f"got {seed!r}"
    )


def _inplace_dtype(data: np.ndarray) -> Any:
    return np.float32 if data.dtype == np.float32 else None


def fill_uniform(rng: Any, data: np.ndarray, low: float, high: float) -> np.ndarray:
    """``data.uniform_(low, high)`` in place, torch's numbers (a float32 array draws torch's float32
    stream; a float64 one torch's default dtype's, see :func:`draw_dtype`); ``rng`` from
    :func:`generator`. Returns ``data``."""
    if isinstance(rng, Draws):
        data[...] = rng.uniform(low, high, data.shape, dtype=_inplace_dtype(data))
    else:
        data[...] = rng.uniform(low, high, data.shape)
    return data


def fill_normal(rng: Any, data: np.ndarray, mean: float, std: float) -> np.ndarray:
    """``data.normal_(mean, std)`` in place, as :func:`fill_uniform`. Returns ``data``."""
    if isinstance(rng, Draws):
        data[...] = rng.normal(mean, std, data.shape, dtype=_inplace_dtype(data))
    else:
        data[...] = rng.normal(mean, std, data.shape)
    return data


#: how ``Generator.get_state`` hands its bytes out as a Tensor: ``autograd.factories`` sets its
#: ``from_numpy`` here when it loads (the Tensor modules import this one, not the other way round)
as_tensor: Any = np.asarray


__all__ = [
    "manual_seed",
    "default_generator",
    "generator",
    "Generator",
    "DEFAULT_SEED",
    "seed",
    "initial_seed",
    "get_rng_state",
    "set_rng_state",
]
