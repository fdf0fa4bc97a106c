"""Optimizer race
==============

Optimizer race: GD, SGD, momentum, Nesterov, AdaGrad, RMSprop, Adam, L-BFGS and Newton on 2-D surfaces.

Each optimizer starts from the same point on three loss surfaces f(x, y):

* Rosenbrock, (1 - x)² + 100 (y - x²)²: a curved, narrow valley with its minimum at
  (1, 1). Plain GD crawls along the valley floor; momentum and Adam get there.
* a saddle, x² - y², starting almost on the ridge (y = 0.001): the gradient in y is
  tiny there, so GD takes long to leave; noise and gradient normalisation (RMSprop,
  Adam) escape fast. (The saddle has no minimum: escaping is the goal.)
* the (w, b) landscape of a small linear model ŷ = w·x + b: the mean squared error
  over a fixed data set, as a function of the two parameters. Inputs x in [0, 3] are
  not centred, so w and b are correlated and the valley is long and thin.
  (The teaching notes' w-b table, L = w + b + 1, is not a loss surface: it is linear
  and has no minimum. This one is the real thing, defined from data.)

The point (x, y) is one Tensor ``p`` of shape (2,); every step runs ``f`` forward,
``backward()`` fills ``p.grad`` and a real optimizer from ``optimizers`` updates
``p``. Two second-order methods join the first-order ones:

* ``LBFGS`` (torch's, ``line_search_fn="strong_wolfe"``), one iteration per ``step(closure)``;
  its line search calls the closure several times, so the legend counts the evaluations of
  f and ∇f, not the steps.
* Newton's method, w ← w − lr·H⁻¹∇f, with H from the engine's ``hessian`` (``Newton`` below).
  Where H is not positive definite (the saddle) a plain Newton step goes *to* the critical
  point: from the saddle's start it lands on (0, 0) in one step. So each eigenvalue λ of H
  is replaced by ``max(|λ|, 1e-6)`` (the "saddle-free" Newton step): directions of negative
  curvature are followed downhill, scaled by their curvature.

A run stops early when it has converged (a step moves ``p`` by at most 1e-12) or has run away
(``|p| > 1e6``: L-BFGS's line search on the saddle, which is unbounded below).

"SGD (noisy)" gets noisy gradients: a 4-sample minibatch of the data on the (w, b) landscape,
and on the analytic surfaces f(p) + n·p with fresh n ~ N(0, σ²), whose gradient is the true
one plus n.

A second figure shows learning-rate schedules from ``optimizers`` over 100 steps,
computed without an optimizer by ``optimizers.lr_at``.

    python examples/optimizer_race.py [--out DIR] [--small]

writes ``optimizer_race.png`` (contours and trajectories) and ``lr_schedules.png``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from _common import (
    legend_outside,
    line_styles,
    make_parser,
    out_dir,
    print_table,
    pyplot,
    save_figure,
)

from autograd import Tensor, grad, hessian, no_grad
from optimizers import (
    LBFGS,
    SGD,
    Adagrad,
    Adam,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    ExponentialLR,
    LinearLR,
    OneCycleLR,
    RMSprop,
    StepLR,
    lr_at,
)

BASE_LR = 0.1  # of the schedules figure

Surface = Callable[[Tensor, Tensor], Tensor]  # f(x, y), elementwise over Tensors of any shape
RUNAWAY = 1e6  # a run whose |p| exceeds this has left every landscape's picture: it stops
CONVERGED = 1e-12  # a run whose step moves p by at most this has converged: it stops


class Newton:
    """Newton's method on one parameter Tensor ``p``: ``p ← p − lr·H⁻¹∇f(p)``, H = ``hessian(f)(p)``.

    H = V diag(λ) Vᵀ is inverted as V diag(1 / max(|λ|, eps)) Vᵀ: the plain Newton step where
    H is positive definite, and a step downhill (not towards the saddle) where it is not.
    ``indefinite_steps`` counts the steps where some λ < eps.
    """

    def __init__(self, params: list[Tensor], lr: float, f: Callable[[Tensor], Tensor], eps: float = 1e-6):
        (self.param,) = params
        self.lr, self.f, self.eps = lr, f, eps
        self.indefinite_steps = 0
        self.evaluations = 0  # of ∇f and H, one each per step() call

    def direction(self, x: np.ndarray) -> np.ndarray:
        """The (modified) Newton direction H⁻¹∇f at ``x``."""
        self.evaluations += 1
        lam, vecs = np.linalg.eigh(hessian(self.f)(x))
        self.indefinite_steps += bool(lam.min() < self.eps)
        return vecs @ ((vecs.T @ grad(self.f)(x)) / np.maximum(np.abs(lam), self.eps))

    def step(self, closure: Callable[[], Any] | None = None) -> None:
        self.param.data[...] -= self.lr * self.direction(self.param.data.copy())


# name -> (optimizer class, keyword arguments other than lr)
OPTIMIZERS: dict[str, tuple[type, dict[str, Any]]] = {
    "GD": (SGD, {}),
    "SGD (noisy)": (SGD, {}),
    "momentum": (SGD, {"momentum": 0.9}),
    "Nesterov": (SGD, {"momentum": 0.9, "nesterov": True}),
    "AdaGrad": (Adagrad, {}),
    "RMSprop": (RMSprop, {}),
    "Adam": (Adam, {}),
    # one iteration per step(closure); max_eval > max_iter leaves room for the line search
    "LBFGS": (LBFGS, {"max_iter": 1, "max_eval": 25, "line_search_fn": "strong_wolfe"}),
    "Newton": (Newton, {}),
}


def rosenbrock(x: Tensor, y: Tensor) -> Tensor:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def saddle(x: Tensor, y: Tensor) -> Tensor:
    return x**2 - y**2


class LinearModelLoss:
    """MSE of ŷ = w·x + b on a fixed data set, as a function of (w, b); any shape of w, b."""

    def __init__(self, n: int = 40, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.x = rng.uniform(0, 3, n)
        self.y = 1.5 * self.x - 1.0 + rng.normal(0, 0.3, n)
        # the least-squares solution: where every optimizer should end up
        w, b = np.polyfit(self.x, self.y, 1)
        self.minimum = (float(w), float(b))

    def __call__(self, w: Tensor, b: Tensor, rows: np.ndarray | None = None) -> Tensor:
        x, y = (self.x, self.y) if rows is None else (self.x[rows], self.y[rows])
        col = w.shape + (1,)  # a data axis after the parameter axes
        return ((w.reshape(col) * x + b.reshape(col) - y) ** 2).mean(axis=-1)


@dataclass
class Landscape:
    name: str
    f: Surface
    start: tuple[float, float]
    box: tuple[tuple[float, float], tuple[float, float]]  # least plotting window ((x0, x1), (y0, y1))
    lrs: dict[str, float]  # tuned per surface: a stable step for one is divergent on another
    steps: int
    minimum: tuple[float, float] | None = None
    noise: float = 0.0
    noisy_loss: Callable[[Tensor, np.random.Generator], Tensor] | None = field(default=None, repr=False)
    axis_labels: tuple[str, str] = ("x", "y")

    def loss(self, p: Tensor) -> Tensor:
        return self.f(p[0], p[1])

    def stochastic_loss(self, p: Tensor, rng: np.random.Generator) -> Tensor:
        """A loss whose gradient is a noisy estimate of the true one."""
        if self.noisy_loss is not None:
            return self.noisy_loss(p, rng)
        n = rng.normal(0.0, self.noise, 2)
        return self.loss(p) + (p * n).sum()


def landscapes(small: bool) -> list[Landscape]:
    data = LinearModelLoss()
    scale = 1 if small else 2
    return [
        Landscape(
            "rosenbrock",
            rosenbrock,
            start=(-1.5, 2.0),
            box=((-2.0, 2.0), (-1.0, 3.0)),
            lrs={
                "GD": 1e-3,
                "SGD (noisy)": 1e-3,
                "momentum": 1e-3,
                "Nesterov": 1e-3,
                "AdaGrad": 1.0,
                "RMSprop": 1e-2,
                "Adam": 0.1,
                "LBFGS": 1.0,
                "Newton": 1.0,
            },
            steps=1000 * scale,
            minimum=(1.0, 1.0),
            noise=2.0,
        ),
        Landscape(
            "saddle",
            saddle,
            start=(1.0, 1e-3),
            box=((-1.5, 1.5), (-1.5, 1.5)),
            lrs={
                "GD": 0.02,
                "SGD (noisy)": 0.02,
                "momentum": 0.01,
                "Nesterov": 0.01,
                "AdaGrad": 0.1,
                "RMSprop": 0.01,
                "Adam": 0.02,
                "LBFGS": 1.0,
                "Newton": 0.1,  # |p_y| grows by 1.1 per step
            },
            steps=60,  # the surface falls away without bound: a short race
            noise=0.5,
        ),
        Landscape(
            "linear model (w, b)",
            lambda w, b: data(w, b),
            start=(-1.0, 2.5),
            box=((-1.5, 3.0), (-2.5, 3.0)),
            lrs={
                "GD": 0.1,
                "SGD (noisy)": 0.05,
                "momentum": 0.02,
                "Nesterov": 0.02,
                "AdaGrad": 0.5,
                "RMSprop": 0.03,
                "Adam": 0.1,
                "LBFGS": 1.0,
                "Newton": 1.0,
            },
            steps=80 * scale,
            minimum=data.minimum,
            noisy_loss=lambda p, rng: data(p[0], p[1], rng.choice(len(data.x), 4, replace=False)),
            axis_labels=("w (slope)", "b (intercept)"),
        ),
    ]


def race(land: Landscape, name: str, seed: int = 0) -> dict[str, Any]:
    """Run one optimizer on one surface; the trajectory has one row per step (start included).

    Every optimizer is driven through ``step(closure)``; ``evals`` counts the closure's calls
    (each one f and one ∇f), and for Newton the Hessians too.
    """
    cls, kwargs = OPTIMIZERS[name]
    p = Tensor(land.start, requires_grad=True, label="p")
    if cls is Newton:
        kwargs = kwargs | {"f": land.loss}
    opt = cls([p], lr=land.lrs[name], **kwargs)
    rng = np.random.default_rng(seed)
    compute = (lambda: land.stochastic_loss(p, rng)) if name == "SGD (noisy)" else (lambda: land.loss(p))
    calls = 0

    def closure() -> Tensor:
        nonlocal calls
        calls += 1
        opt.zero_grad()
        loss = compute()
        loss.backward()
        return loss

    path = [p.data.copy()]
    for _ in range(land.steps):
        opt.step(None if cls is Newton else closure)
        if np.abs(p.data - path[-1]).max() <= CONVERGED:
            break  # converged: the step (almost) no longer moves p
        path.append(p.data.copy())
        if not np.all(np.abs(p.data) < RUNAWAY):
            break  # ran away (L-BFGS's line search on the saddle)
    steps = len(path) - 1
    with no_grad():
        final_loss = land.loss(p).item()
    out = {
        "final": tuple(float(v) for v in p.data),
        "loss": final_loss,
        "trajectory": np.array(path),
        "optimizer": opt,
        "param": p,
        "steps": steps,
        "evals": opt.evaluations if cls is Newton else calls,
        "ran_away": not np.all(np.abs(p.data) < RUNAWAY),
    }
    if land.minimum is not None:
        out["distance_to_min"] = float(np.hypot(*(p.data - np.asarray(land.minimum))))
    return out


def cost(name: str, r: dict[str, Any]) -> str:
    """What a run cost, counted honestly: f+∇f evaluations (and Hessians for Newton)."""
    steps = f"{r['steps']} step" + "s" * (r["steps"] != 1)
    if name == "Newton":
        return f"{steps}: {r['evals']} ∇f + {r['evals']} H"
    if name == "LBFGS":
        return f"{steps}, {r['evals']} f+∇f evals"
    if name == "SGD (noisy)":
        return f"{r['evals']} noisy f+∇f evals"
    return f"{r['evals']} f+∇f evals"


def newton_to_the_saddle(land: Landscape) -> tuple[float, float]:
    """Where one plain Newton step (H⁻¹ unmodified) from the start goes: the critical point."""
    x = np.asarray(land.start, dtype=float)
    return tuple(float(v) for v in x - np.linalg.solve(hessian(land.loss)(x), grad(land.loss)(x)))


def schedules(steps: int = 100, base_lr: float = BASE_LR) -> dict[str, list[float]]:
    """The lr at each of ``steps`` steps for the common schedules (no optimizer needed)."""
    return {
        "StepLR(step_size=25, gamma=0.5)": lr_at(StepLR, steps, base_lr, step_size=25, gamma=0.5),
        "ExponentialLR(gamma=0.97)": lr_at(ExponentialLR, steps, base_lr, gamma=0.97),
        f"CosineAnnealingLR(T_max={steps})": lr_at(CosineAnnealingLR, steps, base_lr, T_max=steps),
        "CosineAnnealingWarmRestarts(T_0=10, T_mult=2)": lr_at(
            CosineAnnealingWarmRestarts, steps, base_lr, T_0=10, T_mult=2
        ),
        "LinearLR warm-up (start_factor=0.1, total_iters=20)": lr_at(
            LinearLR, steps, base_lr, start_factor=0.1, total_iters=20
        ),
        f"OneCycleLR(max_lr={base_lr:g}, total_steps={steps})": lr_at(
            OneCycleLR, steps, base_lr, max_lr=base_lr, total_steps=steps
        ),
    }


def plot_schedules(plt: Any, lrs: dict[str, list[float]], base_lr: float = BASE_LR) -> Any:
    """One small panel per schedule, titled with its call, on shared axes (no legend to cover a curve)."""
    cols = 3
    rows = -(-len(lrs) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(12, 3.1 * rows), sharex=True, sharey=True, squeeze=False)
    for ax, (name, values) in zip(axes.flat, lrs.items()):
        cls, _, args = name.partition("(")
        ax.plot(np.arange(len(values)), values, color="C0", lw=1.8, drawstyle="steps-post")  # lr per step
        ax.set_title(f"{cls.strip()}\n({args}" if args else cls, fontsize=10)
        ax.set(xlabel="step", ylabel="lr")
        ax.grid(alpha=0.3)
        ax.label_outer()  # shared axes: labels on the outer panels only
    for ax in axes.flat[len(lrs) :]:
        ax.set_visible(False)
    fig.suptitle(f"learning-rate schedules (base lr {base_lr:g})")
    return fig


def view_limits(
    land: Landscape, runs: dict[str, dict[str, Any]], pad: float = 0.04
) -> list[tuple[float, float]]:
    """The x and y ranges to draw: the landscape's window, widened to hold every trajectory whole.

    Nothing is cut off: an optimizer that runs far (AdaGrad and RMSprop down the saddle's
    slope) widens the view, so the picture shows where it went. A run that ran away (to
    |p| > 1e6) is left out: its legend entry says where it went.
    """
    paths = [r["trajectory"] for r in runs.values() if not r["ran_away"]]
    points = np.concatenate([np.asarray(land.box).T] + paths)
    lo, hi = points.min(axis=0), points.max(axis=0)
    margin = pad * (hi - lo)
    return [(float(a), float(b)) for a, b in zip(lo - margin, hi + margin)]


def plot_race(plt: Any, lands: list[Landscape], results: dict[str, dict[str, Any]]) -> Any:
    """One panel per landscape: loss contours, every optimizer's path (start ●, minimum ★).

    Paths that coincide (GD under Nesterov, AdaGrad under RMSprop) stay visible: each has its own
    dash pattern and marker, and the earlier ones are wider and drawn underneath.
    """
    fig, axes = plt.subplots(1, len(lands), figsize=(6.5 * len(lands), 7.2))
    styles = dict(zip(OPTIMIZERS, line_styles(len(OPTIMIZERS))))
    for ax, land in zip(axes, lands):
        (x0, x1), (y0, y1) = view_limits(land, results[land.name])
        xx, yy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
        with no_grad():
            zz = land.f(Tensor(xx), Tensor(yy)).data
        # levels packed towards the low values, where the trajectories end
        levels = np.unique(np.quantile(zz, np.linspace(0, 1, 30) ** 2.5))
        ax.contour(xx, yy, zz, levels=levels, colors="0.75", linewidths=0.6)
        every = max(1, land.steps // 10)  # by step, not by distance: zigzags would crowd them
        for i, (name, r) in enumerate(results[land.name].items()):
            t = r["trajectory"]
            # a short path (Newton, L-BFGS) gets a marker at every step: each step is visible
            mark = (every * (i + 1) // (len(OPTIMIZERS) + 1), every) if len(t) > 4 * 10 else 1
            style = styles[name] | {"markevery": mark}
            if r["ran_away"]:  # no line to draw: say where it went
                gone = f"ran away: |p| = {np.abs(t[-1]).max():.1e} after {r['steps']} steps"
                ax.plot([], [], label=f"{name} (lr={land.lrs[name]:g}): {gone}", **style)
                continue
            label = f"{name} (lr={land.lrs[name]:g}): loss {r['loss']:.3g}, {cost(name, r)}"
            ax.plot(t[:, 0], t[:, 1], label=label, **style)
        ax.plot(*land.start, "ko", ms=7, zorder=5, label=f"start {land.start}")
        if land.minimum is not None:
            ax.plot(*land.minimum, "r*", ms=14, zorder=5, label="minimum")
        xlabel, ylabel = land.axis_labels
        ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel=xlabel, ylabel=ylabel)
        ax.set_title(f"{land.name}, {land.steps} steps (markers every {every} steps)")
        legend_outside(ax, "below", fontsize=8)
    return fig


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = make_parser(__doc__).parse_args(argv)
    lands = landscapes(args.small)
    results = {land.name: {name: race(land, name, args.seed) for name in OPTIMIZERS} for land in lands}

    for land in lands:
        print(f"\n{land.name}: start {land.start}, {land.steps} steps", end="")
        print(f", minimum {tuple(round(v, 4) for v in land.minimum)}" if land.minimum else "")
        rows = [
            [name, land.lrs[name], f"({r['final'][0]:.4g}, {r['final'][1]:.4g})", r["loss"], cost(name, r)]
            for name, r in results[land.name].items()
        ]
        print_table(rows, ["optimizer", "lr", "final (x, y)", "final loss", "cost"])
    saddle = next(land for land in lands if land.name == "saddle")
    result_saddle = newton_to_the_saddle(saddle)
    print(f"\nplain Newton (H unmodified) from the saddle's start {saddle.start}: one step to", result_saddle)

    lrs = schedules()
    result: dict[str, Any] = {
        "landscapes": results,
        "schedules": lrs,
        "plain_newton_on_saddle": result_saddle,
        "plots": [],
    }
    plt = pyplot()
    if plt is not None:
        folder = out_dir(args.out)
        result["plots"].append(save_figure(plot_race(plt, lands, results), folder, "optimizer_race.png"))
        result["plots"].append(save_figure(plot_schedules(plt, lrs), folder, "lr_schedules.png"))
    return result


if __name__ == "__main__":
    main()
