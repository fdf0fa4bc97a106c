"""torch's device object, for the CPU, the only device here: ``autograd.device("cpu")``.

PyTorch's tutorials start by choosing a device (``device = "cuda" if torch.cuda.is_available()
else "cpu"``, or ``torch.accelerator.current_accelerator()``); with ``autograd.cuda``,
``autograd.accelerator`` and ``autograd.backends.mps`` all answering "not available", that code
picks the CPU, and ``tensor.to(device)``, ``model.to(device)`` and ``device=`` keep working.
Asking for any other device raises an error that says only the CPU exists; torch's ``"meta"``
device (shapes and dtypes without data, ``autograd/meta.py``) is there too, for building a model
before loading its weights.
"""

from __future__ import annotations

from typing import Any

_ONLY_CPU = "this library runs on numpy on the CPU, the only device: use 'cpu' (or 'meta')"
#: the devices here
_OURS = ("cpu", "meta")
#: the device types torch knows (its error for another string lists them)
_TORCH_TYPES = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia",
    "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)  # fmt: skip


class device:  # noqa: N801 (torch's name)
    """A device, as ``torch.device``: the CPU, or torch's ``"meta"`` device (no data).

    ``device("cpu")``, ``device("cpu:0")``, ``device("cpu", 0)``, ``device("meta")`` and
    ``device(other_device)`` are accepted; ``.type`` is ``"cpu"`` or ``"meta"`` and ``.index`` the
    index given (or None). Used as a context manager (``with device("meta"):``) it is the default
    device of the factories and modules made inside, as torch's. A device equals
    another device of the same type and index, and also the string it prints as (``device("cpu")
    == "cpu"``; torch compares a device and a string as unequal), so code that tests
    ``t.device == "cpu"`` keeps working.

    Parameters
    ----------
    type : str or device
        ``"cpu"``, ``"meta"`` (either with ``":<index>"``), or a device to copy.
    index : int, optional
        The device index (only with a type without one).

    Raises
    ------
    RuntimeError
        If another device is named (``"cuda"``, ``"mps"``, ...; the message says only the CPU
        exists), or the string is no device type at all (torch's error).
    TypeError
        If ``type`` is not a string or a device, or ``index`` is not a non-negative int.

    Examples
    --------
    >>> import autograd
    >>> autograd.device("cpu")
    device(type='cpu')
    >>> autograd.tensor([1.0]).to(autograd.device("cpu")).device.type
    'cpu'
    """

    __slots__ = ("_type", "_index")

    def __init__(self, type: Any, index: Any = None) -> None:  # noqa: A002 (torch's argument name)
        if isinstance(type, device):
            if index is not None:
                raise TypeError(f"device: index is given by the device {type!r}; got index={index!r} too")
            self._type, self._index = type.type, type.index
            return
        if isinstance(type, bool) or not isinstance(type, str):
            hint = (
                " (torch's device(0) means 'cuda:0'; there is no CUDA here)" if isinstance(type, int) else ""
            )
            raise TypeError(f"device: expected a string such as 'cpu' or a device, got {type!r}{hint}")
        name, _, rest = type.partition(":")
        if name not in _TORCH_TYPES:
            raise RuntimeError(
                f"device: expected one of {', '.join(_TORCH_TYPES)} at the start of the device string, "
                f"got {type!r}; {_ONLY_CPU}"
            )
        if name not in _OURS:
            raise RuntimeError(
                f"device({type!r}): only the CPU exists here: {_ONLY_CPU} "
                f"(autograd.cuda.is_available() and autograd.accelerator.is_available() are False)"
            )
        if rest:
            if index is not None:
                raise TypeError(f"device: the string {type!r} has an index already; got index={index!r} too")
            if not rest.isdigit():
                raise RuntimeError(
                    f"device: invalid device string {type!r}: the index after ':' must be an int"
                )
            index = int(rest)
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
            raise TypeError(f"device: index must be a non-negative int or None, got {index!r}")
        self._type, self._index = name, index

    @property
    def type(self) -> str:
        """``"cpu"`` or ``"meta"``."""
        return self._type

    @property
    def index(self) -> int | None:
        """The index given (``device("cpu:0").index`` is 0), else None."""
        return self._index

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __repr__(self) -> str:
        index = "" if self._index is None else f", index={self._index}"
        return f"device(type='{self._type}'{index})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, device):
            return (self._type, self._index) == (other._type, other._index)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))  # equal to the string it equals

    def __reduce__(self) -> tuple[Any, ...]:
        return (device, (self._type, self._index))

    def __enter__(self) -> device:
        """Make this the default device until the ``with`` block ends (torch's)."""
        _DEFAULT.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _DEFAULT.pop()


#: the device every Tensor with data is on (``Tensor.device``), and the meta device
CPU, META = device("cpu"), device("meta")
#: the default devices, innermost last (``with device(...)``, ``set_default_device``)
_DEFAULT: list[device] = [CPU]


def is_meta(x: Any) -> bool:
    """Whether a factory's ``device=`` argument ``x`` asks for the meta device: it names it, or is
    None inside ``with device("meta")`` (or after ``set_default_device("meta")``)."""
    return (device_type(x) if x is not None else _DEFAULT[-1].type) == "meta"


def device_type(x: Any) -> str | None:
    """The device type named by ``x`` (a device, or a string that is not a dtype's name: ``"cpu"``,
    ``"cuda:0"`` -> ``"cuda"``); None for anything else (a dtype, None)."""
    if isinstance(x, device):
        return x.type
    if not isinstance(x, str):
        return None
    import numpy as np

    try:
        np.dtype(x)  # "float32", "int64": a dtype, not a device
    except TypeError:
        return x.split(":")[0]
    return None


def check_cpu(op: str, x: Any) -> None:
    """Accept torch's ``device=`` when it names the CPU (or is None).

    Raises:
        RuntimeError: ``x`` names another device; the message names ``op``.
    """
    if x is None or device_type(x) == "cpu":
        return
    raise RuntimeError(f"{op}: device={x!r} is not supported: only the CPU exists here: {_ONLY_CPU}")


def set_default_device(device: Any) -> None:
    """Where factories put new tensors (``torch.set_default_device``): the CPU, or ``"meta"``.

    Parameters
    ----------
    device : str, device or None
        ``"cpu"``, ``"meta"``, a device, or None (the CPU).

    Raises
    ------
    RuntimeError
        If ``device`` names another device (a GPU).
    """
    if is_meta(device) and device is not None:
        _DEFAULT[0] = META
        return
    check_cpu("set_default_device", device)
    _DEFAULT[0] = CPU


def get_default_device() -> device:
    """The device factories put new tensors on (``torch.get_default_device``): the CPU, or the
    meta device inside ``with device("meta")``."""
    return _DEFAULT[-1]


__all__ = [
    "device",
    "CPU",
    "META",
    "device_type",
    "is_meta",
    "check_cpu",
    "set_default_device",
    "get_default_device",
]
