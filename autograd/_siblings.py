"""Find a package of this project by its place on disk, beside this one, not by its name.

``autograd``, ``losses`` and ``optimizers`` are common names: HIPS autograd, or a user's own
``losses.py`` next to their script, may come first on ``sys.path``. So inside the project one
package reaches another with :func:`sibling`, never with ``import losses``. It

1. reuses the module already imported under the package's name, or under its private alias
   ``_gradscope_<name>``, when that module is the directory beside this package;
2. else imports it by its name, when that name would find the directory beside this package
   (the usual case: then ``import losses`` in a script gives the very same module);
3. else loads that directory under the private alias, and leaves the name to whatever the user's
   ``sys.path`` finds: their own ``losses.py`` stays importable as ``losses`` in their script,
   and ours keeps working beside it.

This file imports only the standard library, so ``losses`` can load it by path too.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from types import ModuleType

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _same_file(path: str | None, expected: str) -> bool:
    if not path:
        return False
    return os.path.normcase(os.path.realpath(path)) == os.path.normcase(os.path.realpath(expected))


def sibling(name: str) -> ModuleType:
    """The package ``name`` (``"autograd"``, ``"losses"``, ``"optimizers"``) of this project.

    Returns:
        The module: the one imported as ``name`` when that is ours, else ours loaded (once) as
        ``_gradscope_<name>``.

    Raises:
        ImportError: there is no such package beside this one.
    """
    init = os.path.join(_ROOT, name, "__init__.py")
    alias = f"_gradscope_{name}"
    for key in (name, alias):
        module = sys.modules.get(key)
        if module is not None and _same_file(getattr(module, "__file__", None), init):
            return module
    if not os.path.isfile(init):
        raise ImportError(f"the package {name!r} is not beside {os.path.join(_ROOT, 'autograd')}", name=name)
    if name not in sys.modules:  # (a module already imported under the name is not ours: see above)
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and _same_file(spec.origin, init):
            return importlib.import_module(name)
    return _load(alias, init)


def _load(alias: str, init: str) -> ModuleType:
    """The package whose ``__init__.py`` is ``init``, loaded as ``alias``; all or nothing."""
    folder = os.path.dirname(init)
    spec = importlib.util.spec_from_file_location(alias, init, submodule_search_locations=[folder])
    assert spec is not None and spec.loader is not None  # (a file location always has a loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        for key in [k for k in sys.modules if k == alias or k.startswith(alias + ".")]:
            del sys.modules[key]
        raise
    return module
