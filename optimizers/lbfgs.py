"""L-BFGS with an optional strong-Wolfe line search, a port of ``torch.optim.LBFGS``.

Unlike the other optimizers, ``step(closure)`` evaluates the loss itself, several
times per step: ``closure`` must zero the gradients, recompute the loss, call
``backward()`` and return the loss.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

import numpy as np

from ._fma import axpy_
from ._params import data_array, set_data
from ._state_tensors import arrays, tensors
from ._validate import (
    LearningRate,
    NonNegative,
    PositiveInt,
    check_choice,
    check_int,
    check_int_positive,
    check_range,
    check_real,
)
from .base import Optimizer, ParamGroup, Params, ParamState, cast_array

Objective = Callable[[list[np.ndarray], float, np.ndarray], tuple[float, np.ndarray]]
MaxEval = Annotated[int | None, check_int_positive]  # None: max_iter * 5 // 4, before any check
LineSearch = Annotated[str | None, partial(check_choice, choices=(None, "strong_wolfe"))]


def _cubic_interpolate(
    x1: float,
    f1: float,
    g1: float,
    x2: float,
    f2: float,
    g2: float,
    bounds: tuple[float, float] | None = None,
) -> float:
    """Minimizer, clamped to ``bounds`` (default: between x1 and x2), of the cubic
    through ``(x1, f1)``, ``(x2, f2)`` with slopes ``g1``, ``g2``; the midpoint of the
    bounds when the cubic has no minimizer::

        d1 = g1 + g2 - 3 (f1 - f2) / (x1 - x2);   d2 = sqrt(d1^2 - g1 g2)
        x  = x2 - (x2 - x1) (g2 + d2 - d1) / (g2 - g1 + 2 d2)     (x1 <= x2)

    IEEE arithmetic, as torch's 0-d tensors do it: a zero denominator gives ±inf (then
    clamped to the bounds) or nan, never ZeroDivisionError.
    """
    with np.errstate(all="ignore"):
        return float(_cubic_minimizer(*map(np.float64, (x1, f1, g1, x2, f2, g2)), bounds))


def _cubic_minimizer(
    x1: np.float64,
    f1: np.float64,
    g1: np.float64,
    x2: np.float64,
    f2: np.float64,
    g2: np.float64,
    bounds: tuple[float, float] | None,
) -> np.float64:
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(
    obj_func: Objective,
    x: list[np.ndarray],
    t: float,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, float, int]:
    """Line search along ``d`` from ``x`` for a step ``t`` with
    ``f(x + t d) <= f + c1 t gtd`` (sufficient decrease) and ``|g(x + t d) . d| <= -c2 gtd``
    (curvature): bracket such a step, then zoom in by cubic interpolation.
    Returns ``(f_new, g_new, t, evaluations)``."""
    d_norm = float(np.abs(d).max())
    g = g.copy()
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = float(g_new.dot(d))

    # bracket an interval containing a point satisfying the Wolfe criteria
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        # extrapolate
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = float(g_new.dot(d))
        ls_iter += 1

    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0.0, t], [f, f_new], [g, g_new]

    # zoom: shrink the bracket until a point satisfies the Wolfe criteria
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(
            bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        # a trial point within 10% of the bracket's ends twice in a row (or on an
        # end) is moved to 10% inside the nearest end
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = float(g_new.dot(d))
        ls_iter += 1

        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            # not a sufficient decrease, or not below the low end: new high end
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                # the old low end becomes the high end
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos], bracket_gtd[high_pos] = bracket_g[low_pos], bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new

    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals


def _loss_value(loss: Any) -> float:
    """The closure's loss (a Value, a one-element Tensor or a real number) as a float."""
    plain = (np.ndarray, np.generic, numbers.Real)
    value = loss if isinstance(loss, plain) else getattr(loss, "data", None)
    if not isinstance(value, plain) or np.asarray(value).dtype.kind not in "iuf":
        raise TypeError(
            "LBFGS closure must return the loss (a Value, a one-element Tensor or a number), "
            f"got {type(loss).__name__}"
        )
    value = np.asarray(value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(f"LBFGS closure must return a one-element loss, got shape {value.shape}")
    return float(value.reshape(()))


class LBFGS(Optimizer):
    """L-BFGS, following ``torch.optim.LBFGS`` (one parameter group; all parameters
    are treated as one flat vector ``x``).

    Each ``step(closure)`` runs up to ``max_iter`` iterations (and ``max_eval``
    closure calls). Iteration ``k``, with gradient ``g``::

        d = -H g      (two-loop recursion over the last ``history_size`` pairs
                       s = x_k - x_{k-1}, y = g_k - g_{k-1} with y.s > 1e-10;
                       H_0 = (y.s / y.y) I; on the very first iteration d = -g)
        t = lr        (first iteration: min(1, 1 / sum|g|) * lr)
        x <- x + t d  (with ``line_search_fn="strong_wolfe"``, t from a strong-Wolfe search)

    and it stops early when ``max|g| <= tolerance_grad``, when
    ``g.d > -tolerance_change``, or when ``max|t d|`` or the change of the loss is
    below ``tolerance_change``. The history is kept across ``step`` calls.

    ``closure()`` must zero the gradients, compute the loss, call ``backward()`` and
    return the loss; ``step`` returns the loss of its first evaluation.

    State (of the first parameter, as in torch): ``func_evals``, ``n_iter``, ``d``,
    ``t``, ``old_dirs``, ``old_stps``, ``ro``, ``H_diag``, ``prev_flat_grad``,
    ``prev_loss``, ``al``.

    Parameters
    ----------
    params : iterable of Tensor, Value or dict
        The parameters to update (``model.parameters()``), or parameter groups: dicts with a
        ``"params"`` list and their own hyperparameters.
    lr : float
        The learning rate (default 1).
    max_iter : int
        The most iterations per ``step`` (default 20).
    max_eval : int, optional
        The most closure calls per ``step`` (default ``max_iter * 5 // 4``).
    tolerance_grad : float
        Stop when the largest gradient element is at most this (default 1e-7).
    tolerance_change : float
        Stop when a step or the change of the loss is below this (default 1e-9).
    history_size : int
        How many correction pairs to keep (default 100).
    line_search_fn : {None, "strong_wolfe"}
        The line search; None takes the fixed step ``lr``.

    Raises
    ------
    TypeError
        If ``params`` is not an iterable of parameters or groups (a Module: pass
        ``model.parameters()``), or holds something without ``.data`` and ``.grad``.
    ValueError
        If a hyperparameter is out of its range (the message names it, the range and the value),
        ``params`` is empty, or lists a parameter twice.
    """

    def __init__(
        self,
        params: Params,
        lr: LearningRate = 1,
        max_iter: PositiveInt = 20,
        max_eval: MaxEval = None,
        tolerance_grad: NonNegative = 1e-7,
        tolerance_change: NonNegative = 1e-9,
        history_size: PositiveInt = 100,
        line_search_fn: LineSearch = None,
    ) -> None:
        if isinstance(max_iter, int) and max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, locals())
        self._params = self.param_groups[0]["params"]

    def add_param_group(self, param_group: ParamGroup) -> None:
        if self.param_groups:
            raise ValueError(
                "LBFGS doesn't support per-parameter options (parameter groups): expected 1 group, "
                f"got {len(self.param_groups) + 1}"
            )
        super().add_param_group(param_group)

    def _state_shape(self, name: str, param: np.ndarray) -> tuple[int, ...]:
        return (sum(data_array(p).size for p in self._params),)  # the flat vectors d, prev_flat_grad

    def _gather_flat_grad(self) -> np.ndarray:
        views = []
        for p, grad in zip(self._params, self._checked_grads()[0]):
            views.append(np.zeros(data_array(p).size, data_array(p).dtype) if grad is None else grad.ravel())
        return np.concatenate(views)

    def _add_grad(self, step_size: float, update: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            data = data_array(p)
            axpy_(data, step_size, update[offset : offset + data.size].reshape(data.shape))
            set_data(p, data)
            offset += data.size

    def _clone_param(self) -> list[np.ndarray]:
        return [data_array(p).copy() for p in self._params]

    def _set_param(self, params_data: list[np.ndarray]) -> None:
        for p, saved in zip(self._params, params_data, strict=True):
            data = data_array(p)
            data[...] = saved
            set_data(p, data)

    def _directional_evaluate(
        self, closure: Callable[[], Any], x: list[np.ndarray], t: float, d: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """Loss and flat gradient at ``x + t d``; the parameters are put back to ``x``."""
        self._add_grad(t, d)
        try:
            return _loss_value(closure()), self._gather_flat_grad()
        finally:
            self._set_param(x)

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; returns the loss of the first
        ``closure()`` call (at the parameters ``step`` started from). A gradient not
        shaped like its parameter is refused; non-finite values propagate silently (the
        closure runs with the caller's numpy error settings)."""
        if not callable(closure):
            raise TypeError(
                "closure: LBFGS.step needs a callable that zeroes the gradients, recomputes the loss, "
                f"calls backward() and returns the loss; got {type(closure).__name__}"
            )
        caller_errstate = np.geterr()

        def evaluate() -> Any:
            with np.errstate(**caller_errstate):
                return closure()

        with np.errstate(all="ignore"):
            return self._iterate(evaluate)

    def _iterate(self, closure: Callable[[], Any]) -> Any:
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = closure()
        loss = _loss_value(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        H_diag = state.get("H_diag")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # descent direction
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y.dot(s))
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / float(y.dot(y))
                num_old = len(old_dirs)
                if "al" not in state:
                    state["al"] = [None] * history_size
                al = state["al"]
                q = -flat_grad
                for i in range(num_old - 1, -1, -1):
                    al[i] = float(old_stps[i].dot(q)) * ro[i]
                    axpy_(q, -al[i], old_dirs[i])
                d = r = q * H_diag
                for i in range(num_old):
                    be_i = float(old_dirs[i].dot(r)) * ro[i]
                    axpy_(r, al[i] - be_i, old_stps[i])

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                prev_flat_grad[...] = flat_grad
            prev_loss = loss

            # step length
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(np.abs(flat_grad).sum())) * lr
            else:
                t = lr
            gtd = float(flat_grad.dot(d))
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if group["line_search_fn"] == "strong_wolfe":
                x_init = self._clone_param()

                def obj_func(x: list[np.ndarray], t: float, d: np.ndarray) -> tuple[float, np.ndarray]:
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    # re-evaluate only if another iteration may follow
                    loss = _loss_value(closure())
                    flat_grad = self._gather_flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            # stopping conditions
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break

        state.update(
            d=d,
            t=t,
            old_dirs=old_dirs,
            old_stps=old_stps,
            ro=ro,
            H_diag=H_diag,
            prev_flat_grad=prev_flat_grad,
            prev_loss=prev_loss,
        )
        return orig_loss

    list_buffers = ("old_dirs", "old_stps")
    _COUNTERS = ("func_evals", "n_iter")
    _HISTORY = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss")

    #: the state that torch's LBFGS holds as Tensors (the rest are Python numbers there too)
    _TENSORS = ("d", "prev_flat_grad", "old_dirs", "old_stps", "ro", "al", "H_diag")

    def _state_tensors(self, state: dict[str, Any], dtype: np.dtype) -> dict[str, Any]:
        """As torch's: the whole state under the first parameter; the flat vectors Tensors over
        the optimizer's arrays, the history in new lists, ``ro``, ``al`` and ``H_diag`` 0-d
        Tensors in the vectors' dtype; ``func_evals``, ``n_iter``, ``t``, ``prev_loss`` numbers."""
        dtype = state["d"].dtype if "d" in state else dtype
        return {k: tensors(v, dtype) if k in self._TENSORS else v for k, v in state.items()}

    def _validated_state_dict(self, state_dict: Any) -> tuple[list[ParamGroup], ParamState]:
        groups, state = super()._validated_state_dict(state_dict)
        for k, p in enumerate(groups[0]["params"][1:], start=1):
            if p in state and state[p]:
                raise ValueError(f"state: expected LBFGS's state under parameter 0 only, got parameter {k}")
        return groups, state

    def _validated_param_state(self, saved: Any, data: np.ndarray, group: ParamGroup) -> dict[str, Any]:
        """``func_evals`` and ``n_iter``, and after the first iteration the history: the flat
        vectors ``d`` and ``prev_flat_grad``, at most ``history_size`` pairs in ``old_dirs``,
        ``old_stps`` with their ``ro > 0``, the scalars ``t``, ``H_diag > 0``, ``prev_loss``,
        and ``al`` (``history_size`` entries, None or a number) once the recursion ran."""
        if not isinstance(saved, dict):
            raise TypeError(f"expected a dict, got {type(saved).__name__}")
        if not saved:
            return {}
        saved = {k: arrays(v, numbers=True) for k, v in saved.items()}  # (Tensors as arrays or numbers)
        allowed = {*self._COUNTERS, *self._HISTORY, "al"}
        unknown = sorted(set(saved) - allowed, key=str)
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}: expected keys among {sorted(allowed)}")
        required = {*self._COUNTERS, *self._HISTORY} if set(saved) - set(self._COUNTERS) else self._COUNTERS
        missing = sorted(set(required) - set(saved))
        if missing:
            raise ValueError(f"missing key {missing[0]!r}: expected keys {sorted(required)} (and 'al')")
        state: dict[str, Any] = {name: int(check_int(name, saved[name], low=0)) for name in self._COUNTERS}
        if "d" not in saved:
            return state
        flat = np.zeros(self._state_shape("d", data), np.result_type(*map(data_array, self._params)))
        for name in ("d", "prev_flat_grad"):
            state[name] = cast_array(name, saved[name], flat)
        state["t"] = float(check_range("t", saved["t"]))
        state["H_diag"] = float(check_range("H_diag", saved["H_diag"], low=0, low_open=True))
        state["prev_loss"] = float(check_real("prev_loss", saved["prev_loss"]))
        history = group["history_size"]
        lengths = set()
        for name in ("old_dirs", "old_stps", "ro"):
            value = saved[name]
            if not isinstance(value, list) or len(value) > history:
                found = f"{len(value)} entries" if isinstance(value, list) else type(value).__name__
                raise ValueError(
                    f"{name}: expected a list of at most history_size={history} entries, got {found}"
                )
            lengths.add(len(value))
        if len(lengths) != 1:
            raise ValueError(
                "old_dirs, old_stps and ro: expected lists of one length, got lengths "
                f"{[len(saved[n]) for n in ('old_dirs', 'old_stps', 'ro')]}"
            )
        for name in self.list_buffers:
            state[name] = [cast_array(f"{name}[{i}]", v, flat) for i, v in enumerate(saved[name])]
        state["ro"] = [
            float(check_range(f"ro[{i}]", v, low=0, low_open=True)) for i, v in enumerate(saved["ro"])
        ]
        if "al" in saved:
            al = saved["al"]
            if not isinstance(al, list) or len(al) != history:
                found = f"{len(al)} entries" if isinstance(al, list) else type(al).__name__
                raise ValueError(f"al: expected a list of history_size={history} entries, got {found}")
            state["al"] = [None if v is None else float(check_real(f"al[{i}]", v)) for i, v in enumerate(al)]
        return state
