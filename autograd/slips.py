"""What is wrong with a hand formula: one best explanation of its numbers, ranked by the evidence.

:func:`diagnose` compares the formula's numbers ``h`` with the engine's ``g`` and tries, simplest
first, the readings that explain every element:

1. a constant ``h = c·g``: a flipped sign, a missing or extra ``1/n`` (n one of the element counts of
   the input: all elements, the batch size, the elements per sample), a factor 2, or a product of
   these. Where one number has two readings (a batch of 2 is also a factor 2), the formula and the
   engine are evaluated once more on the batch repeated twice: a ``1/n`` doubles, a 2 stays;
2. the same with the arguments swapped (listed as an equivalent when it fits as simply: for an even
   loss such as MSE a flipped sign *is* y and ŷ swapped), a sum ``Σ_i`` that does not belong, or the
   derivative with respect to the other argument (only when those numbers differ from every
   reading above), a transposed second derivative;
3. a missing or extra chain-rule factor: ``h·d = g`` (or ``h = g·d``) where ``d`` is the local
   derivative of a nonlinearity on the path from the input to the output (σ′(z), tanh′, exp, 1/x),
   taken from the engine's own graph, on every wrong element;
4. a sign flipped on some elements only, else the range of ``formula / engine``.

Alternatives follow the best explanation only when they fit the numbers equally well, and are
reported as equivalent.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .graph import toposort


@dataclass(frozen=True)
class Reading:
    """One explanation: its ``parts`` (the slips), the constant ``factor`` = formula / engine it
    implies (None when not constant) and how that factor changes when the batch is repeated twice
    (``probe``: 2 for a missing 1/n of the batch, 1/2 for an extra one, 1 otherwise)."""

    parts: tuple[str, ...]
    factor: float | None = None
    probe: float = 1.0
    family: str = "formula"

    @property
    def text(self) -> str:
        return "; ".join(self.parts)


@dataclass(frozen=True)
class ChainFactor:
    """A local derivative on the path from the input to the output: the operation ``op`` it belongs
    to, the label of that operation's input, and its values (broadcastable to the gradient)."""

    op: str
    label: str
    value: np.ndarray

    @property
    def name(self) -> str:
        """Its teaching form: ``σ′(z1) = σ(z1)(1 − σ(z1))``."""
        return _RULE_NAMES[self.op].format(x=self.label)

    @property
    def short(self) -> str:
        return self.name.split(" = ")[0]


@dataclass
class Problem:
    """What :func:`diagnose` needs: the two gradients, the tolerances, the differentiated input's
    ``shape``, and (each optional) ways to compute more evidence:

    ``swapped()`` the formula with the differentiated input and its partner swapped, ``other()``
    the engine's derivative with respect to that partner, ``unsummed()`` the formula without its
    sums, ``probe(family)`` the constant formula / engine ratio on the batch repeated twice (None
    when that is not possible), ``chain()`` the local derivatives on the path (first order).
    """

    h: np.ndarray
    g: np.ndarray
    atol: float
    rtol: float
    shape: tuple[int, ...]
    order: int = 1
    swap_text: str = ""
    other_text: str = ""
    swapped: Callable[[], np.ndarray] | None = None
    other: Callable[[], np.ndarray] | None = None
    unsummed: Callable[[], np.ndarray] | None = None
    probe: Callable[[str], float | None] | None = None
    chain: Callable[[], list[ChainFactor]] | None = None
    _probed: dict[str, float | None] = field(default_factory=dict)

    def close(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.isclose(a, b, rtol=self.rtol, atol=self.atol)

    def probed(self, family: str) -> float | None:
        if family not in self._probed:
            self._probed[family] = _quietly(lambda: self.probe(family)) if self.probe else None
        return self._probed[family]


def counts(shape: tuple[int, ...]) -> list[tuple[int, str, float]]:
    """The element counts a mean over (part of) an input of ``shape`` divides by: ``(n, meaning,
    how n changes when the batch is repeated twice)``."""
    size = int(np.prod(shape)) if shape else 1
    found = [(size, "the number of elements", 2.0)]
    if len(shape) > 1:
        found += [
            (shape[0], "the batch size, axis 0", 2.0),
            (size // shape[0], "the elements per sample", 1.0),
            (shape[-1], "the size of the last axis", 1.0),
        ]
    unique: dict[tuple[int, float], tuple[int, str, float]] = {}
    for n, what, scale in found:
        unique.setdefault((n, scale), (n, what, scale))
    return [c for c in unique.values() if c[0] > 1]


def constant_readings(shape: tuple[int, ...]) -> list[Reading]:
    """Every constant factor formula / engine with its slips, simplest first."""
    scalings = [(1.0, "", 1.0)]
    for n, what, scale in counts(shape):
        scalings += [
            (float(n), f"missing 1/n (n = {n}, {what})", scale),
            (1.0 / n, f"extra 1/n (n = {n}, {what})", 1 / scale),
        ]
    signs = [(1.0, ""), (-1.0, "sign flipped")]
    twos = [(1.0, ""), (2.0, "factor 2 too large"), (0.5, "factor 2 too small")]
    found = [
        Reading(tuple(p for p in (s_text, n_text, t_text) if p), s * n * t, probe)
        for (s, s_text), (n, n_text, probe), (t, t_text) in itertools.product(signs, scalings, twos)
    ]
    return sorted(found, key=lambda r: (len(r.parts), any(p.startswith("factor 2") for p in r.parts)))


def relations(p: Problem, h: np.ndarray, g: np.ndarray, family: str = "formula") -> list[Reading]:
    """The simplest constant readings of ``h = c·g``.

    Args:
        p: the problem (its tolerances and the input's shape, whose counts a 1/n may be).
        h, g: the formula's and the engine's numbers.
        family: what ``h`` is (the formula as given, "swapped", "unsummed", ...), kept in the readings.

    Returns:
        the readings with the fewest slips (several when one number has several readings: 2 is a
        factor 2 and n = 2); empty when no constant relates them.
    """
    if np.allclose(g, 0.0, rtol=0.0, atol=p.atol):
        return [Reading((), 1.0, family=family)] if np.allclose(h, 0.0, rtol=0.0, atol=p.atol) else []
    found = [r for r in constant_readings(p.shape) if np.allclose(h, r.factor * g, rtol=p.rtol, atol=p.atol)]
    simplest = [r for r in found if len(r.parts) == len(found[0].parts)] if found else []
    return [Reading(r.parts, r.factor, r.probe, family) for r in simplest]


def diagnose(p: Problem) -> tuple[str, tuple[str, ...], float | None]:
    """Why the formula's numbers ``p.h`` differ from the engine's ``p.g`` (see the module docstring).

    Args:
        p: the numbers, and the ways to gather more evidence.

    Returns:
        ``(diagnosis, explanations, factor)``: the best explanation; it followed by the readings
        that fit the numbers equally well; the constant formula / engine when there is one.
    """
    readings = relations(p, p.h, p.g)
    if p.swapped is not None:
        h_swapped = _quietly(p.swapped)
        if h_swapped is not None:
            readings += [_with(p.swap_text, r) for r in relations(p, h_swapped, p.g, "swapped")]
    if not readings and p.unsummed is not None:
        h_unsummed = _quietly(p.unsummed)
        if h_unsummed is not None:
            text = (
                "a sum Σ that does not belong (the derivative for one element has no sum over the elements)"
            )
            readings += [_with(text, r) for r in relations(p, h_unsummed, p.g, "unsummed")]
    if not readings and p.other is not None:
        g_other = _quietly(p.other)
        if g_other is not None and not relations(p, g_other, p.g):  # else: the same numbers as a slip above
            readings += [_with(p.other_text, r) for r in relations(p, p.h, g_other, "other")]
    if p.order == 2 and p.g.ndim == 2 and p.g.shape[0] == p.g.shape[1] and not p.close(p.h, p.h.T).all():
        if not [r for r in readings if len(r.parts) <= 1]:
            readings += [_with("transposed", r) for r in relations(p, p.h.T, p.g, "transposed")]
    if readings:
        best = _best(p, readings)
        factor = next((r.factor for r in best if r.family == "formula"), None)
        return best[0].text, tuple(r.text for r in best), factor
    if p.chain is not None:
        found = _chain_finding(p)
        if found:
            return found, (found,), None
    found = _elementwise_finding(p)
    return found, (found,), None


def _with(text: str, r: Reading) -> Reading:
    return Reading((text, *r.parts), r.factor, r.probe, r.family)


def _best(p: Problem, readings: list[Reading]) -> list[Reading]:
    """The readings with the fewest slips; where their factors change differently on a twice
    repeated batch (a 1/n of the batch, or a 2), the ones the probe confirms."""
    fewest = min(len(r.parts) for r in readings)
    best = [r for r in readings if len(r.parts) == fewest]
    if len({(r.family, r.probe) for r in best}) > len({r.family for r in best}):
        confirmed = []
        for r in best:
            factor = p.probed(r.family)
            if (
                factor is not None
                and r.factor is not None
                and np.isclose(factor, r.factor * r.probe, rtol=1e-6)
            ):
                confirmed.append(r)
        best = confirmed or best
    order = {"formula": 0, "swapped": 1, "unsummed": 2, "other": 3, "transposed": 4}
    return sorted(best, key=lambda r: order[r.family])


def _quietly(compute: Callable[[], Any]) -> Any:
    """``compute()``, or None when it cannot be done (a loss refusing swapped values, a function that
    needs a node where the other argument is a plain array): no evidence then, never an error."""
    try:
        with np.errstate(all="ignore"):
            return compute()
    except Exception:  # noqa: BLE001 (the user's f and formula may raise anything on these inputs)
        return None


def chain_factors(out: Any, leaves: Sequence[Any], shape: tuple[int, ...]) -> list[ChainFactor]:
    """The local derivatives of the nonlinear operations on the path from an input to the output.

    The numbers are the engine's own: a Value's stored local derivative, or for a Tensor
    ``∂node/∂input = input.grad / node.grad`` where the input has that one user.

    Args:
        out: the output node (backward has run).
        leaves: the differentiated input's nodes.
        shape: the gradient's shape; each factor is broadcast to it (a scalar node's factor may
            explain any element).

    Returns:
        one :class:`ChainFactor` per sigmoid, tanh, exp, log, sqrt or softplus node on the path.
    """
    nodes = toposort(out)
    leaf_ids = {id(x) for x in leaves}
    depends: dict[int, bool] = {}
    users: dict[int, int] = {}
    for node in nodes:
        depends[id(node)] = id(node) in leaf_ids or any(depends.get(id(c), False) for c in node.children)
        for c in node.children:
            users[id(c)] = users.get(id(c), 0) + 1
    found = []
    for node in nodes:
        inputs = [c for c in node.children if depends.get(id(c))]
        if node.op not in _RULE_NAMES or len(inputs) != 1 or not depends[id(node)]:
            continue
        child = inputs[0]
        local = node.local_grads[list(node.children).index(child)]
        if isinstance(local, str):  # a Tensor: the rule is text; take the engine's numbers instead
            if (
                users.get(id(child)) != 1
                or node.grad is None
                or child.grad is None
                or np.shape(child.data) != np.shape(node.data)
            ):
                continue
            with np.errstate(all="ignore"):
                local = np.where(
                    np.asarray(node.grad) != 0, np.asarray(child.grad) / np.asarray(node.grad), np.nan
                )
        value = np.asarray(local, dtype=np.float64)
        try:
            value = np.broadcast_to(value, shape)
        except ValueError:
            continue
        label = getattr(child, "label", None) or ("x" if node.op in ("log", "sqrt") else "z")
        found.append(ChainFactor(node.op, label, value))
    return found


_RULE_NAMES = {
    "sigmoid": "σ′({x}) = σ({x})(1 − σ({x}))",
    "tanh": "tanh′({x}) = 1 − tanh²({x})",
    "exp": "exp′({x}) = exp({x})",
    "log": "log′({x}) = 1/{x}",
    "sqrt": "√′({x}) = 1/(2√{x})",
    "softplus": "softplus′({x}) = σ({x})",
}


def _chain_finding(p: Problem) -> str | None:
    """A missing (or extra) chain-rule factor of one kind of operation that explains every wrong
    element, if there is one (several nodes of that kind may share the elements: a ValueArray's
    elements, or a network's hidden units)."""
    factors = [f for f in (_quietly(p.chain) or []) if not np.allclose(np.abs(f.value), 1.0)]
    wrong = ~p.close(p.h, p.g)
    for direction, fits in (
        ("missing", lambda d: p.close(p.h * d, p.g)),
        ("extra", lambda d: p.close(p.h, p.g * d)),
    ):
        for op in dict.fromkeys(f.op for f in factors):
            covered = np.zeros_like(wrong)
            used: list[ChainFactor] = []
            for f in (f for f in factors if f.op == op):
                fit = fits(f.value) & wrong & ~covered
                if fit.any():
                    covered |= fit
                    used.append(f)
            if not (covered == wrong).all():
                continue
            one = used[0] if len({f.label for f in used}) == 1 else ChainFactor(op, "z", used[0].value)
            ratio = f"1/{one.short}" if direction == "missing" else one.short
            found = f"{direction} chain-rule factor {one.name} (formula/engine = {ratio})"
            if wrong.sum() < wrong.size:
                where = [tuple(int(i) for i in ix) for ix in np.argwhere(wrong)[:6]]
                found += f" on {int(wrong.sum())} of {wrong.size} elements, e.g. at {where}"
            return found
    return None


def _elementwise_finding(p: Problem) -> str:
    """What is wrong when no single constant, swap or chain factor relates formula and engine."""
    agrees = p.close(p.h, p.g)
    flipped = p.close(p.h, -p.g) & ~agrees
    if (agrees | flipped).all():
        where = [tuple(int(i) for i in ix) for ix in np.argwhere(flipped)[:6]]
        return f"sign flipped on {int(flipped.sum())} of {p.g.size} elements, e.g. at {where}"
    magnitude = relations(p, np.abs(p.h), np.abs(p.g))
    if magnitude and magnitude[0].parts:
        return "; ".join(("sign flipped on some elements", *magnitude[0].parts))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = p.h[~agrees] / p.g[~agrees]
    span = (
        f"from {np.nanmin(ratio):.4g} to {np.nanmax(ratio):.4g}" if np.isfinite(ratio).any() else "undefined"
    )
    return (
        f"wrong on {int((~agrees).sum())} of {p.g.size} elements; no single factor, sign, swap or chain-rule "
        f"factor explains it (formula/engine {span})"
    )
