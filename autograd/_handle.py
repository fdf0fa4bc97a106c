""":class:`RemovableHandle`, what every ``register_*hook`` method returns (public as
``autograd.utils.hooks.RemovableHandle``, torch's place; here, below the Tensor, which returns it)."""

from __future__ import annotations

import itertools
import weakref
from typing import Any

__all__ = ["RemovableHandle"]

_ids = itertools.count()


class RemovableHandle:
    """The handle of one registered hook: ``handle.remove()`` unregisters it (twice is harmless);
    ``with handle:`` removes it when the block ends. As ``torch.utils.hooks.RemovableHandle``.

    Parameters
    ----------
    hooks_dict : dict
        The hooks the hook was registered in, by handle ``id``: a dict that takes weak references
        (an ``OrderedDict``, a dict subclass), held weakly, as torch.
    extra_dict : dict or list of dict, optional
        Further dicts whose entry of the same ``id`` goes too (the flags of a hook: ``with_kwargs``).

    Attributes
    ----------
    id : int
        The key of the hook in ``hooks_dict`` (unique over the process).
    """

    def __init__(self, hooks_dict: Any, *, extra_dict: Any = None) -> None:
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(_ids)
        extras = [extra_dict] if isinstance(extra_dict, dict) else list(extra_dict or ())
        self.extra_dict_ref = tuple(weakref.ref(d) for d in extras)

    def remove(self) -> None:
        """Unregister the hook (nothing happens if it is gone already)."""
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<RemovableHandle id={self.id}>"
