"""Modules on torch's meta device (:mod:`autograd.meta`): built there, moved off it, as torch's.

``nn.Linear(4, 4, device="meta")`` or any module built inside ``with device("meta"):`` has meta
parameters and buffers (shapes and dtypes, no data); ``module.to_empty(device="cpu")`` gives them
uninitialized memory and ``module.load_state_dict(sd, assign=True)`` makes a checkpoint's tensors
the module's. The ``__init__`` of every ``Module`` subclass that takes a ``device`` argument is
wrapped (:func:`built_on_device`) so that no module has to handle the meta device itself: it is
built on the CPU, then its parameters and buffers are made meta. (A module without one, built
inside ``with device("meta")``, has meta parameters where it makes them with the factories,
``autograd.empty``, ``randn``, ...: its submodules' are meta anyway.)
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import devices
from .._tensor import Tensor
from ..meta import NO_DATA, is_meta, meta_array
from .parameter import Parameter


def takes_device(init: Any) -> bool:
    """Whether ``init`` (a class's own ``__init__``, or None) has a ``device`` argument, as torch's
    modules with parameters or buffers do. (Only those are wrapped: a wrapper is a frame more
    between a warning in ``__init__`` and the code its ``stacklevel`` names.)"""
    return init is not None and "device" in inspect.signature(init).parameters


def built_on_device(init: Callable[..., None]) -> Callable[..., None]:
    """``init`` (a Module's ``__init__``) that builds the module on the meta device when its
    ``device`` argument names it (as a keyword, or by position), or is left out inside
    ``with device("meta")``; otherwise ``init`` unchanged."""
    names = list(inspect.signature(init).parameters)[1:]  # (without self)
    position = names.index("device") if "device" in names else None

    @functools.wraps(init)
    def build(self: Any, *args: Any, **kwargs: Any) -> None:
        if position is not None and len(args) > position:
            device = args[position]
        else:
            device = kwargs.get("device")
        if not devices.is_meta(device):
            return init(self, *args, **kwargs)
        if device is not None:  # (the module builds on the CPU; its tensors are made meta after)
            if "device" in kwargs:
                kwargs["device"] = None
            else:
                args = (*args[:position], None, *args[position + 1 :])
        with devices.CPU:
            init(self, *args, **kwargs)
        to_device(self, devices.META)
        return None

    build.__signature__ = inspect.signature(init)  # type: ignore[attr-defined]
    return build


#: the wrapper's code, which :func:`stacklevel` steps over
_BUILD = built_on_device(lambda self, device=None: None).__code__


def stacklevel(level: int) -> int:
    """``warnings.warn``'s ``stacklevel`` for a warning of a wrapped ``__init__`` that would name
    the frame ``level`` up without the wrappers (:func:`built_on_device`): ``level`` plus the
    wrappers' frames on the way there."""
    frame, seen = sys._getframe(1), 1  # (the frame that warns)
    while frame is not None and seen < level:
        frame = frame.f_back
        if frame is not None and frame.f_code is _BUILD:
            level += 1
        seen += 1
    return level


def to_device(module: Any, device: Any, recurse: bool = True) -> None:
    """Give every Tensor parameter and buffer of ``module`` (its own only, without ``recurse``)
    new memory on ``device``: a meta array, or uninitialized CPU memory (``to_empty``). As torch's,
    they are new objects (a Parameter requiring grad as the old one did), without gradients."""
    meta = devices.device(device).type == "meta"
    for _, m in module.named_modules() if recurse else [("", module)]:
        for name, p in list(m._named_own_parameters()):
            if isinstance(p, Tensor):  # (a micrograd Value holds a Python float: it has no device)
                m._set_own(name, Parameter(Tensor._node(_empty(p.data, meta)), requires_grad=p.requires_grad))
        for name, b in list(m._named_own_buffers()):
            m._set_own(name, Tensor._node(_empty(b.data, meta)))


def _empty(data: np.ndarray, meta: bool) -> np.ndarray:
    return meta_array(data.shape, data.dtype) if meta else np.empty(data.shape, data.dtype)


def refuse_copy_out(module: Any, what: str) -> None:
    """torch's error for ``module.to("cpu")`` of a module with meta tensors (``to_empty`` is the
    way off the meta device).

    Raises:
        NotImplementedError: ``module`` has a meta parameter or buffer.
    """
    if any(is_meta(getattr(t, "data", None)) for t in (*module.parameters(), *module.buffers())):
        raise NotImplementedError(
            f"{what}: {NO_DATA} Please use Module.to_empty() instead of Module.to() when moving module "
            "from meta to a different device."
        )


__all__ = ["takes_device", "built_on_device", "stacklevel", "to_device", "refuse_copy_out"]
