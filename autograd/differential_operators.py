"""HIPS autograd's differential operators, with HIPS's names and signatures
(``autograd.differential_operators`` in HIPS): each takes a function and ``argnum`` and returns a
new function, so ``from autograd import elementwise_grad; elementwise_grad(f)(x)`` runs unchanged.

``grad``, ``value_and_grad``, ``jacobian`` and ``hessian`` are :mod:`autograd.functional`'s (they
take ``argnum`` as well as ``argnums``). The rest are written here from the engine's transforms
(:func:`autograd.vjp`, :func:`autograd.jvp`, :func:`autograd.grad`): numbers in, numbers out;
nodes in (or a call inside another transform), nodes out, so they nest (``elementwise_grad`` of
``elementwise_grad``). The call pattern is HIPS's; torch's ``torch.autograd.functional.jacobian(f,
x)``, which computes at once, is :func:`autograd.autograd.functional.jacobian`.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from .functional import (
    ArgNums,
    _checked_argnums,
    _named,
    func_grad,
    hessian,
    jacobian,
    jvp,
    value_and_grad,
    vjp,
)
from .gradients import shape_of
from .value import Value

__all__ = [
    "elementwise_grad",
    "deriv",
    "grad_and_aux",
    "make_vjp",
    "make_jvp",
    "make_hvp",
    "hessian_tensor_product",
    "hessian_vector_product",
    "tensor_jacobian_product",
    "vector_jacobian_product",
    "multigrad_dict",
]

_REEXPORTED = (jacobian, hessian, value_and_grad)  # (HIPS's too; documented where they are defined)


def _at(
    fun: Callable[..., Any], args: tuple, kwargs: dict, argnum: int | tuple[int, ...], what: str
) -> tuple:
    """``fun`` as a function of the argument(s) ``argnum`` alone, and the point: ``(g, xs)``."""
    nums = (argnum,) if isinstance(argnum, int) else argnum
    if any(not -len(args) <= n < len(args) for n in nums):
        raise ValueError(
            f"{what}: argnum={argnum!r} is out of range: f was called with {len(args)} argument(s)"
        )

    def g(*xs: Any) -> Any:
        call = list(args)
        for n, x in zip(nums, xs):
            call[n] = x
        return fun(*call, **kwargs)

    return g, tuple(args[n] for n in nums)


def _ones_like(out: Any) -> Any:
    shape = shape_of(out)
    return np.ones(shape) if shape else 1.0


def make_vjp(fun: Callable[..., Any], argnum: ArgNums = 0) -> Callable[..., tuple[Callable[..., Any], Any]]:
    r"""The function returning ``(vjp_fn, fun(*args))``, where ``vjp_fn(g)`` is
    :math:`g^\top \partial\,\mathrm{fun} / \partial x` for the argument ``x`` number ``argnum``
    (HIPS autograd's ``make_vjp``; :func:`autograd.vjp` is torch's and JAX's order).

    Parameters
    ----------
    fun : callable
        A function of numbers, arrays or nodes.
    argnum : int or tuple of int
        The positional argument to differentiate (default 0); with a tuple, ``vjp_fn`` returns a
        tuple, one result per argument.

    Returns
    -------
    callable
        ``(*args, **kwargs) -> (vjp_fn, value)``.

    Raises
    ------
    TypeError
        At once, if ``argnum`` is not an int or a tuple of ints.
    ValueError
        When called, if ``argnum`` is out of range.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import make_vjp
    >>> vjp_fn, value = make_vjp(lambda x: x ** 2)(np.array([1.0, 2.0]))
    >>> vjp_fn(np.array([1.0, 10.0]))
    array([ 2., 40.])
    """
    argnum = _checked_argnums(argnum, None, "make_vjp")

    def make_vjp_f(*args: Any, **kwargs: Any) -> tuple[Callable[..., Any], Any]:
        g, xs = _at(fun, args, kwargs, argnum, "make_vjp")
        out, pull = vjp(g, *xs)

        def vjp_fn(cotangent: Any) -> Any:
            found = pull(cotangent)
            return found[0] if isinstance(argnum, int) else found

        return vjp_fn, out

    return _named(make_vjp_f, "make_vjp", fun, argnum)


def elementwise_grad(fun: Callable[..., Any], argnum: ArgNums = 0) -> Callable[..., Any]:
    """The function returning the VJP of ``fun`` with a vector of ones: for a function applied
    element by element, the derivative at each element (HIPS autograd's ``elementwise_grad``).

    Parameters
    ----------
    fun : callable
        A function of numbers, arrays or nodes, returning one array (or number or node).
    argnum : int or tuple of int
        The positional argument to differentiate (default 0).

    Returns
    -------
    callable
        ``(*args, **kwargs) -> 1ᵀ ∂fun/∂x``, of ``x``'s shape. Numbers in, numbers out; it nests
        (``elementwise_grad(elementwise_grad(f))`` is the second derivative).

    Raises
    ------
    TypeError
        At once, if ``argnum`` is not an int or a tuple of ints.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import elementwise_grad
    >>> elementwise_grad(lambda x: x ** 3)(np.array([1.0, 2.0]))
    array([ 3., 12.])
    """
    vjp_of = make_vjp(fun, argnum)

    def elementwise_grad_f(*args: Any, **kwargs: Any) -> Any:
        vjp_fn, out = vjp_of(*args, **kwargs)
        return vjp_fn(_ones_like(out))

    return _named(elementwise_grad_f, "elementwise_grad", fun, argnum)


#: HIPS autograd's other name for :func:`elementwise_grad`
deriv = elementwise_grad


def grad_and_aux(fun: Callable[..., Any], argnum: ArgNums = 0) -> Callable[..., tuple[Any, Any]]:
    """The function returning ``(gradient, aux)`` of a ``fun`` that returns ``(scalar, aux)``
    (HIPS autograd's ``grad_and_aux``; :func:`autograd.grad` with ``has_aux=True``).

    Parameters
    ----------
    fun : callable
        Returns ``(scalar, aux)``; ``aux`` is returned beside the gradient, untouched.
    argnum : int or tuple of int
        The positional argument to differentiate (default 0).

    Returns
    -------
    callable
        ``(*args, **kwargs) -> (gradient, aux)``.

    Raises
    ------
    TypeError
        If ``argnum`` is not an int or a tuple of ints; when called, if ``fun`` does not return a
        pair whose first element is a scalar.

    Examples
    --------
    >>> from autograd import grad_and_aux
    >>> grad_and_aux(lambda x: (x ** 2, "aux"))(3.0)
    (6.0, 'aux')
    """
    return func_grad(fun, argnum, has_aux=True)


def _contract(a: Any, b: Any, what: str) -> Any:
    """``Σ a·b`` over all elements of two same-shaped operands (HIPS's ``tensordot(a, b, ndim(b))``
    when the shapes agree), else numpy's ``tensordot`` over ``b``'s dimensions."""
    if isinstance(a, Value) or isinstance(b, Value):
        return a * b
    if shape_of(a) == shape_of(b):
        return (a * b).sum()
    return np.tensordot(a, b, np.ndim(b))


def hessian_tensor_product(fun: Callable[..., Any], argnum: ArgNums = 0) -> Callable[..., Any]:
    r"""The function returning :math:`\nabla^2 f(x)\, v` without forming the Hessian: the
    gradient of :math:`\langle \nabla f(x), v \rangle` (HIPS autograd's
    ``hessian_tensor_product``, also named ``hessian_vector_product``; :func:`autograd.hvp` takes
    ``(f, x, v)`` at once).

    Parameters
    ----------
    fun : callable
        A scalar function.
    argnum : int
        The positional argument ``x`` (default 0).

    Returns
    -------
    callable
        ``(*args, v) -> H v``: ``fun``'s arguments, then the vector ``v`` of ``x``'s shape.

    Raises
    ------
    TypeError
        If ``argnum`` is not an int; when called, if ``fun`` is not scalar.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import hessian_vector_product
    >>> hessian_vector_product(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
    """
    fun_grad = func_grad(fun, argnum)

    def vector_dot_grad(*args: Any, **kwargs: Any) -> Any:
        args, vector = args[:-1], args[-1]
        return _contract(fun_grad(*args, **kwargs), vector, "hessian_tensor_product")

    return _named(func_grad(vector_dot_grad, argnum), "hessian_tensor_product", fun, argnum)


#: HIPS autograd's other name for :func:`hessian_tensor_product`
hessian_vector_product = hessian_tensor_product


def tensor_jacobian_product(fun: Callable[..., Any], argnum: ArgNums = 0) -> Callable[..., Any]:
    r"""The function returning :math:`v^\top J`, the product of a tensor ``v`` (of ``fun``'s
    output shape, or its trailing part) with ``fun``'s Jacobian (HIPS autograd's
    ``tensor_jacobian_product``, also named ``vector_jacobian_product``).

    Parameters
    ----------
    fun : callable
        A function of numbers, arrays or nodes.
    argnum : int
        The positional argument ``x`` (default 0).

    Returns
    -------
    callable
        ``(*args, v) -> vᵀ J``: ``fun``'s arguments, then ``v``; of ``x``'s shape when ``v`` has
        the output's shape.

    Raises
    ------
    TypeError
        If ``argnum`` is not an int or a tuple of ints.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import vector_jacobian_product
    >>> vector_jacobian_product(lambda x: x ** 2)(np.array([1.0, 2.0]), np.array([1.0, 10.0]))
    array([ 2., 40.])
    """

    def vector_dot_fun(*args: Any, **kwargs: Any) -> Any:
        args, vector = args[:-1], args[-1]
        out = fun(*args, **kwargs)
        if isinstance(out, Value) or isinstance(vector, Value) or shape_of(out) == shape_of(vector):
            return _contract(out, vector, "tensor_jacobian_product")
        return np.tensordot(vector, out, axes=np.ndim(vector))

    return _named(jacobian(vector_dot_fun, argnum), "tensor_jacobian_product", fun, argnum)


#: HIPS autograd's other name for :func:`tensor_jacobian_product`
vector_jacobian_product = tensor_jacobian_product


def make_jvp(fun: Callable[..., Any], argnum: ArgNums = 0) -> Callable[..., Callable[..., tuple[Any, Any]]]:
    r"""The function that, at a point, returns ``jvp_fn(v) -> (fun(x), J v)``: the directional
    derivative along ``v`` (HIPS autograd's ``make_jvp``; :func:`autograd.jvp` is torch's and
    JAX's form). Computed by the double-VJP trick, as :func:`autograd.jvp`.

    Parameters
    ----------
    fun : callable
        A function of numbers, arrays or nodes.
    argnum : int or tuple of int
        The positional argument ``x`` (default 0); with a tuple, ``v`` is a tuple too.

    Returns
    -------
    callable
        ``(*args, **kwargs) -> jvp_fn``, with ``jvp_fn(v) -> (value, J v)``.

    Raises
    ------
    TypeError
        If ``argnum`` is not an int or a tuple of ints.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import make_jvp
    >>> make_jvp(lambda x: x ** 2)(np.array([1.0, 2.0]))(np.array([1.0, 0.0]))
    (array([1., 4.]), array([2., 0.]))
    """
    argnum = _checked_argnums(argnum, None, "make_jvp")

    def make_jvp_f(*args: Any, **kwargs: Any) -> Callable[..., tuple[Any, Any]]:
        g, xs = _at(fun, args, kwargs, argnum, "make_jvp")

        def jvp_fn(v: Any) -> tuple[Any, Any]:
            return jvp(g, xs, (v,) if isinstance(argnum, int) else tuple(v))

        return jvp_fn

    return _named(make_jvp_f, "make_jvp", fun, argnum)


def make_hvp(fun: Callable[..., Any], argnum: ArgNums = 0) -> Callable[..., tuple[Callable[..., Any], Any]]:
    r"""The function that, at a point, returns ``(hvp_fn, gradient)`` with ``hvp_fn(v)`` the
    Hessian-vector product :math:`\nabla^2 f(x)\, v` (HIPS autograd's ``make_hvp``: the VJP of
    the gradient, built once for many ``v``).

    Parameters
    ----------
    fun : callable
        A scalar function.
    argnum : int
        The positional argument ``x`` (default 0).

    Returns
    -------
    callable
        ``(*args, **kwargs) -> (hvp_fn, gradient)``.

    Raises
    ------
    TypeError
        If ``argnum`` is not an int or a tuple of ints.

    Examples
    --------
    >>> import numpy as np
    >>> from autograd import make_hvp
    >>> hvp_fn, g = make_hvp(lambda x: (x ** 3).sum())(np.array([1.0, 2.0]))
    >>> hvp_fn(np.array([1.0, 0.0]))
    array([6., 0.])
    """
    return _named(make_vjp(func_grad(fun, argnum), argnum), "make_hvp", fun, argnum)


def multigrad_dict(fun: Callable[..., Any]) -> Callable[..., OrderedDict]:
    """The function returning the gradient with respect to every argument of ``fun``, as a dict
    from argument name to gradient (HIPS autograd's ``multigrad_dict``; defaults included).

    Parameters
    ----------
    fun : callable
        A scalar function whose parameters are named (no ``*args`` or ``**kwargs``).

    Returns
    -------
    callable
        ``(*args, **kwargs) -> OrderedDict(name=gradient)`` in the parameters' order.

    Raises
    ------
    TypeError
        If ``fun`` takes ``*args`` or ``**kwargs``, or (when called) the arguments do not bind.

    Examples
    --------
    >>> from autograd import multigrad_dict
    >>> dict(multigrad_dict(lambda x, y=2.0: x * y)(3.0))
    {'x': 2.0, 'y': 3.0}
    """
    sig = inspect.signature(fun)
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in sig.parameters.values()):
        raise TypeError(f"multigrad_dict: fun must name all its parameters, got the signature {sig}")

    def multigrad_dict_f(*args: Any, **kwargs: Any) -> OrderedDict:
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        # (Values and Tensors do not mix: beside an array, a number is differentiated as a 0-d Tensor)
        scalars = [k for k, v in arguments.items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if len(scalars) < len(arguments) and any(
            isinstance(v, (np.ndarray, list)) for v in arguments.values()
        ):
            arguments.update((k, np.asarray(arguments[k], dtype=float)) for k in scalars)
        else:
            scalars = []
        grads = func_grad(lambda arguments: fun(**arguments))(arguments)
        return OrderedDict((k, float(grads[k]) if k in scalars else grads[k]) for k in bound.arguments)

    return multigrad_dict_f
