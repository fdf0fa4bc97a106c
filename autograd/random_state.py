"""The library's random state: one default generator (a ``numpy.random.Generator``) that serves
every draw not given its own ``seed``/``generator``: ``rand``, ``randn``, ``randint``, ``randperm``,
the ``_like`` draws, ``uniform_``/``normal_``, ``nn.Dropout``, ``nn.init`` and ``nn.Linear``'s
initial weights. ``manual_seed(0)`` makes all of them reproducible, as ``torch.manual_seed`` does
(the numbers are numpy's, not torch's stream).

:class:`Generator` is torch's ``torch.Generator``: an object with its own stream (a numpy PCG64
generator inside), seeded by ``Generator().manual_seed(s)``, passed as ``generator=`` to the
factories, ``uniform_``/``normal_``, ``nn.init``, the samplers, ``DataLoader`` and
``random_split``. Every place that takes a ``generator=`` goes through :func:`generator`, so a
numpy Generator serves there as well.

Only numpy: the factories and the Tensor's in-place draws both build on this module.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_DEFAULT: np.random.Generator | None = None  # made on first use (numpy.random takes 10+ ms to import)


def _is_seed(seed: Any) -> bool:
    return isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the library's default generator, as ``torch.manual_seed``; returns that generator.

    After ``manual_seed(0)``, ``randn(3)``, dropout masks, ``nn.init`` and the initial weights of
    ``nn.Linear`` repeat from run to run. The same generator object is reseeded in place, so a
    reference taken earlier (``default_generator()``) follows the new seed too.

    Raises:
        TypeError: ``seed`` is not a non-negative int.
    """
    if not _is_seed(seed):
        raise TypeError(f"manual_seed: seed must be a non-negative int, got {type(seed).__name__} {seed!r}")
    default = default_generator()
    default.bit_generator.state = np.random.PCG64(int(seed)).state
    return default


def default_generator() -> np.random.Generator:
    """The library-wide generator that draws without an explicit seed use (see ``manual_seed``)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = np.random.default_rng()
    return _DEFAULT


def generator(seed: Any = None, op: str = "generator") -> np.random.Generator:
    """The generator for a draw: ``seed`` itself if it is a numpy Generator, a new one seeded by an
    int, or the library's default generator for None.

    Raises:
        TypeError: ``seed`` is none of these; the message names ``op``.
    """
    if seed is None:
        return default_generator()
    if isinstance(seed, Generator):
        return seed._rng
    if isinstance(seed, np.random.Generator):
        return seed
    if _is_seed(seed):
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"{op}: seed must be a non-negative int, an autograd.Generator, a numpy.random.Generator or None, "
        f"got {seed!r}"
    )


#: ``torch.Generator().initial_seed()``: the seed of a new Generator, torch's, so a Generator
#: never seeded still gives the same numbers run after run
DEFAULT_SEED = 67280421310721
#: the layout of ``Generator.get_state()``: PCG64's 128-bit state and increment, whether a 32-bit
#: half is buffered and that half, and the initial seed (little-endian bytes)
_STATE_FIELDS = (("state", 16), ("inc", 16), ("has_uint32", 1), ("uinteger", 4), ("seed", 8))
_STATE_SIZE = sum(n for _, n in _STATE_FIELDS)


#: how ``Generator.get_state`` hands its bytes out as a Tensor: ``autograd.factories`` sets its
#: ``from_numpy`` here when it loads (the Tensor modules import this one, not the other way round)
as_tensor: Any = np.asarray


class Generator:
    """A random number generator with its own stream (``torch.Generator``).

    Pass it as ``generator=`` wherever torch takes one: ``rand``, ``randn``, ``randint``,
    ``randperm``, the ``_like`` draws, ``uniform_``/``normal_``, ``nn.init``, the samplers of
    :mod:`autograd.utils.data`, ``DataLoader(..., shuffle=True)`` and ``random_split``. The same
    seed gives the same numbers run after run; they are numpy's PCG64 stream, not torch's
    (``torch.Generator().manual_seed(0)`` and this one draw different numbers). A new Generator
    starts from torch's default seed, 67280421310721.

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
    >>> a = autograd.randperm(5, generator=g)
    >>> b = autograd.randperm(5, generator=autograd.Generator().manual_seed(42))
    >>> a.tolist() == b.tolist()
    True
    >>> g.initial_seed()
    42
    """

    __slots__ = ("_rng", "_seed")

    def __init__(self, device: Any = "cpu") -> None:
        from .devices import check_cpu

        check_cpu("Generator", device)
        self._seed = DEFAULT_SEED
        self._rng = np.random.Generator(np.random.PCG64(DEFAULT_SEED))

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
            as torch does).

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
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"Generator.manual_seed: seed must be an int, got {type(seed).__name__} {seed!r}")
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise ValueError(f"Generator.manual_seed: seed must be in [-2**63, 2**64 - 1], got {seed}")
        self._seed = seed % 2**64
        self._rng.bit_generator.state = np.random.PCG64(self._seed).state
        return self

    def seed(self) -> int:
        """Seed the generator from the operating system's entropy and return that seed (as torch).

        Returns
        -------
        int
            The new seed, a 64-bit non-negative int (``initial_seed()`` from now on).
        """
        self.manual_seed(int(np.random.SeedSequence().generate_state(1, np.uint64)[0]))
        return self._seed

    def initial_seed(self) -> int:
        """The seed the stream started from: the last ``manual_seed``, or torch's default seed.

        Returns
        -------
        int
            A non-negative int.
        """
        return self._seed

    def get_state(self) -> Any:
        """The generator's state, a 1-d uint8 Tensor (as torch's ByteTensor; its bytes are this
        library's, not torch's): ``set_state`` of it resumes the stream where it was.

        Returns
        -------
        Tensor
            45 bytes (dtype uint8), a copy: drawing more does not change it.
        """
        values = {**self._rng.bit_generator.state["state"], "seed": self._seed}
        values.update((k, self._rng.bit_generator.state[k]) for k in ("has_uint32", "uinteger"))
        raw = b"".join(int(values[k]).to_bytes(n, "little") for k, n in _STATE_FIELDS)
        return as_tensor(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state: Any) -> Generator:
        """Restore a state that ``get_state`` returned; returns self (as torch).

        Parameters
        ----------
        new_state : Tensor or numpy.ndarray
            A uint8 array from ``get_state()`` of a Generator of this library.

        Returns
        -------
        Generator
            self.

        Raises
        ------
        TypeError
            If ``new_state`` is not a uint8 Tensor or array (torch: a ByteTensor).
        RuntimeError
            If it has the wrong size (torch's error type).
        """
        data = getattr(new_state, "data", new_state)
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8:
            raise TypeError(
                "Generator.set_state: new_state must be the uint8 Tensor that get_state() returned, "
                f"got {type(new_state).__name__} of dtype {getattr(data, 'dtype', None)}"
            )
        if data.shape != (_STATE_SIZE,):
            raise RuntimeError(
                f"Generator.set_state: expected a state of {_STATE_SIZE} bytes (from get_state() of this "
                f"library's Generator; torch's states do not carry over), got shape {tuple(data.shape)}"
            )
        raw, at, values = data.tobytes(), 0, {}
        for k, n in _STATE_FIELDS:
            values[k], at = int.from_bytes(raw[at : at + n], "little"), at + n
        self._rng.bit_generator.state = {
            "bit_generator": "PCG64",
            "state": {"state": values["state"], "inc": values["inc"]},
            "has_uint32": values["has_uint32"],
            "uinteger": values["uinteger"],
        }
        self._seed = values["seed"]
        return self

    def __repr__(self) -> str:
        return f"<autograd.Generator initial_seed={self._seed}>"


__all__ = ["manual_seed", "default_generator", "generator", "Generator", "DEFAULT_SEED"]
